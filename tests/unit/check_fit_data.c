/* Unit tests for the labelled leads of lead-score --fit (fit_data.c):
 * the columns named on the command line, the rows kept and the
 * warnings about the others, the checks before a fit, the fit built
 * from the scorer's rules, and the figures as text. */
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "score/fit.h"

static const char model_text[] =
	"scoring:\n"
	"  fit:\n"
	"    - {rule: vp, when: 'title == \"VP\"', points: 5}\n"
	"  mql: \"score >= 10\"\n";

/* The objects one test needs: a model with one rule on `title`, its
 * scorer, and a reader of the `len` bytes of CSV at `csv` (through a
 * pipe), its header read. */
typedef struct fixture {
	lk_model *m;
	lk_score *s;
	lk_reader *rd;
	lk_row *header;
	int fd;
	lk_err e;
} fixture;

static void setup(fixture *x, const char *csv, size_t len)
{
	lk_csvopt co = { .name = "t.csv" };
	int p[2];

	x->m = lk_model_load_mem("m.yaml", model_text, sizeof model_text - 1, &x->e);
	ck_assert_ptr_nonnull(x->m);
	x->s = lk_score_new(x->m, &x->e);
	ck_assert_ptr_nonnull(x->s);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], csv, len), (ssize_t)len);
	close(p[1]);
	x->fd = p[0];
	x->rd = lk_reader_new(x->fd, &co, &x->e);
	ck_assert_ptr_nonnull(x->rd);
	ck_assert_int_eq(lk_reader_next(x->rd, &x->header, &x->e), 1);
}

/* A string literal as the text and length setup takes (NULs included). */
#define CSV(s) (s), sizeof(s) - 1

static void teardown(fixture *x)
{
	lk_reader_free(x->rd);
	close(x->fd);
	lk_score_free(x->s);
	lk_model_free(x->m);
}

/* A column named on the command line that is not in the header is a
 * usage error naming the option and the closest column. */
START_TEST(names_columns)
{
	fixture x;

	setup(&x, CSV("lead_id,title,converted,amount\n"));
	ck_assert_ptr_null(lk_fit_data_new(x.m, x.s, x.header, "convertd", NULL, NULL, &x.e));
	ck_assert_int_eq(x.e.kind, LK_EUSAGE);
	ck_assert_str_eq(x.e.msg, "--fit: no column 'convertd' in the input "
			 "(did you mean 'converted'?)");
	ck_assert_ptr_null(lk_fit_data_new(x.m, x.s, x.header, "converted", "amont", NULL, &x.e));
	ck_assert_str_eq(x.e.msg, "--value: no column 'amont' in the input "
			 "(did you mean 'amount'?)");
	ck_assert_ptr_null(lk_fit_data_new(x.m, x.s, x.header, "converted", NULL, "title,zzzz",
					   &x.e));
	ck_assert_int_eq(x.e.kind, LK_EUSAGE);
	ck_assert_str_eq(x.e.msg, "--exclude: no column 'zzzz' in the input");
	teardown(&x);
}
END_TEST

/* Malformed rows, rows without an outcome and values that are no
 * number are counted, each with the first as an example; a warning
 * ends with a NUL byte, so it may quote a field's newline. */
START_TEST(reads_and_warns)
{
	static const char msgs[] =
		"t.csv: 1 malformed row left out (first: record 2 (line 3): NUL byte in field)\0"
		"--fit: 1 row without a 0/1, yes/no or won/lost outcome in 'converted' left out "
		"(first: record 3: 'may\nbe')\0"
		"--value: 1 value not a number counted as 0\0"
		"--fit: only 3 labelled rows: the points will be rough and the held-out "
		"figures noisy";
	static const char csv[] =
		"lead_id,title,converted,amount\n"
		"L1,VP,yes,\"$1,000\"\n"
		"L2,V\0P,1,\n"
		"L3,Dev,\"may\nbe\",\n"
		"L4,Dev,no,n/a\n"
		"L5,VP,won\n";
	fixture x;
	lk_fit_data *d;
	lk_buf warn = LK_BUF_INIT;
	const char *const *h;
	int n;

	setup(&x, CSV(csv));
	d = lk_fit_data_new(x.m, x.s, x.header, "converted", "amount", NULL, &x.e);
	ck_assert_ptr_nonnull(d);
	h = lk_fit_data_header(d, &n);
	ck_assert_int_eq(n, 4);
	ck_assert_str_eq(h[2], "converted");
	ck_assert_int_eq(lk_fit_data_read(d, x.rd, "t.csv", &warn, &x.e), 0);
	ck_assert_int_eq(lk_fit_data_check(d, &warn, &x.e), 0);
	ck_assert_uint_eq(warn.len, sizeof msgs);
	ck_assert_mem_eq(warn.data, msgs, sizeof msgs);
	lk_buf_free(&warn);
	lk_fit_data_free(d);
	teardown(&x);
}
END_TEST

START_TEST(checks_the_outcome)
{
	fixture x;
	lk_fit_data *d;
	lk_buf warn = LK_BUF_INIT;

	setup(&x, CSV("lead_id,title,converted\nL1,VP,\nL2,Dev, \n"));
	d = lk_fit_data_new(x.m, x.s, x.header, "converted", NULL, NULL, &x.e);
	ck_assert_int_eq(lk_fit_data_read(d, x.rd, "-", &warn, &x.e), 0);
	ck_assert_int_eq(lk_fit_data_check(d, &warn, &x.e), -1);
	ck_assert_int_eq(x.e.kind, LK_EDATA);
	ck_assert_str_eq(x.e.msg, "no row has an outcome in 'converted' (0/1, yes/no, true/false, "
			 "won/lost)");
	lk_fit_data_free(d);
	teardown(&x);

	lk_buf_reset(&warn);
	setup(&x, CSV("lead_id,title,converted\nL1,VP,1\nL2,Dev,yes\n"));
	d = lk_fit_data_new(x.m, x.s, x.header, "converted", NULL, NULL, &x.e);
	ck_assert_int_eq(lk_fit_data_read(d, x.rd, "-", &warn, &x.e), 0);
	ck_assert_int_eq(lk_fit_data_check(d, &warn, &x.e), -1);
	ck_assert_str_eq(x.e.msg, "the outcome 'converted' is constant: all 2 labelled rows are "
			 "converted; nothing to fit");
	ck_assert_uint_eq(warn.len, 0);
	lk_buf_free(&warn);
	lk_fit_data_free(d);
	teardown(&x);
}
END_TEST

/* 100 leads: every VP converts 4 times in 5, everyone else once in 5.
 * The model's rule and the data's rules are candidates; the figures
 * name the options that repeat the run. */
START_TEST(builds_and_sums_up)
{
	static const lk_fit_opts o = { .max_rules = 20, .folds = 0, .seed = 1, .capture = 0.8,
				       .scale = 10 };
	fixture x;
	lk_fit_data *d;
	lk_fit *f;
	lk_fit_figures fig;
	lk_exprenv env = { 0 };
	lk_buf csv = LK_BUF_INIT, warn = LK_BUF_INIT, head = LK_BUF_INIT, table = LK_BUF_INIT;
	lk_buf out = LK_BUF_INIT, note = LK_BUF_INIT;
	const lk_fit_feature *ft;
	int i, n, vp = -1, from_data = 0;

	lk_buf_adds(&csv, "lead_id,title,converted,amount\n");
	for (i = 0; i < 100; i++)
		lk_buf_addf(&csv, "L%d,%s,%d,%d\n", i, i % 2 ? "VP" : "Dev",
			    i % 2 ? i % 10 < 8 : i % 10 < 2, 100 + i);
	setup(&x, lk_buf_str(&csv), csv.len);
	d = lk_fit_data_new(x.m, x.s, x.header, "converted", "amount", "lead_id", &x.e);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(lk_fit_data_read(d, x.rd, "t.csv", &warn, &x.e), 0);
	ck_assert_int_eq(lk_fit_data_check(d, &warn, &x.e), 0);
	ck_assert_uint_eq(warn.len, 0);
	f = lk_fit_data_build(d, NULL, &env, 1, &x.e);
	ck_assert_ptr_nonnull(f);
	ft = lk_fit_features(f, &n);
	for (i = 0; i < n; i++) {
		if (!strcmp(ft[i].name, "vp"))
			vp = i;
		from_data += ft[i].kind == LK_FEAT_AUTO;
		/* The outcome, the value and the excluded lead_id make no rule. */
		ck_assert_ptr_null(ft[i].when ? strstr(ft[i].when, "converted") : NULL);
		ck_assert_ptr_null(ft[i].when ? strstr(ft[i].when, "lead_id") : NULL);
	}
	ck_assert_int_ge(vp, 0);
	ck_assert_int_eq(ft[vp].kind, LK_FEAT_RULE);
	ck_assert_int_gt(from_data, 0);
	ck_assert_int_eq(lk_fit_run(f, &o, &fig, &x.e), 0);
	ck_assert_int_eq(fig.rows, 100);
	lk_fit_data_summary(d, f, &fig, &o, &head, &table);
	ck_assert_ptr_eq(strstr(lk_buf_str(&head),
				"# fit: lead-score --fit converted --candidates auto --exclude 'lead_id' "
				"--max-rules 20 --folds 0 --seed 1 --capture 0.8 --value 'amount'\n"),
			 lk_buf_str(&head));
	ck_assert_ptr_eq(strstr(lk_buf_str(&table),
				"thresholds (training rows; mql = score >= T):\n"
				"      T   MQLs  share  reject  capture  won value\n"),
			 lk_buf_str(&table));
	ck_assert_ptr_nonnull(strstr(lk_buf_str(&table), "  <- chosen\n"));
	/* The model file is read from its path; a path that is gone fails. */
	ck_assert_int_eq(lk_fit_rewrite_file(f, &fig, "/nonexistent/m.yaml", x.m, x.s, "", &out,
					     &note, &x.e), -1);
	ck_assert_int_eq(x.e.kind, LK_EIO);
	ck_assert_str_eq(x.e.msg, "/nonexistent/m.yaml: cannot open: No such file or directory");
	lk_buf_free(&csv);
	lk_buf_free(&warn);
	lk_buf_free(&head);
	lk_buf_free(&table);
	lk_buf_free(&out);
	lk_buf_free(&note);
	lk_fit_free(f);
	lk_fit_data_free(d);
	teardown(&x);
}
END_TEST

Suite *lk_suite_fit_data(void)
{
	Suite *s = suite_create("fit_data");
	TCase *tc = tcase_create("fit_data");

	tcase_add_test(tc, names_columns);
	tcase_add_test(tc, reads_and_warns);
	tcase_add_test(tc, checks_the_outcome);
	tcase_add_test(tc, builds_and_sums_up);
	suite_add_tcase(s, tc);
	return s;
}
