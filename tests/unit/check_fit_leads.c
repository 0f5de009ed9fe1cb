/*
 * Unit tests for lead-score --fit as one call (fit_leads.c): the fit's
 * options by name and their checks, the run from files to the model's
 * text with the user's messages in order, the failures around the fit
 * (-1) and of the fit itself (-2), and the tuned model written whole or
 * not at all.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "score/fit.h"

static const char model_text[] =
	"# the model\n"
	"scoring:\n"
	"  fit:\n"
	"    - {rule: vp, when: 'title == \"VP\"', points: 5}\n"
	"  mql: \"score >= 10\"\n";

static char dir[64];
static lk_fit_config c;
static lk_buf model, msgs;
static lk_err e;

/* dir/name, in a static buffer (one at a time). */
static const char *at(const char *name)
{
	static char path[128];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

static void put(const char *name, const char *text)
{
	FILE *fp = fopen(at(name), "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

/* 100 leads: every VP converts 4 times in 5, everyone else once in 5. */
static void put_leads(const char *name)
{
	lk_buf b = LK_BUF_INIT;
	int i;

	lk_buf_adds(&b, "lead_id,title,converted\n");
	for (i = 0; i < 100; i++)
		lk_buf_addf(&b, "L%d,%s,%s\n", i, i % 2 ? "VP" : "Dev",
			    (i % 2 ? i % 10 < 8 : i % 10 < 2) ? "yes" : "no");
	put(name, lk_buf_str(&b));
	lk_buf_free(&b);
}

static void setup(void)
{
	static const lk_fit_config init = LK_FIT_CONFIG_INIT;
	static char mpath[128], lpath[128];

	lk_unit_mkdir(dir);
	put("m.yaml", model_text);
	put_leads("leads.csv");
	snprintf(mpath, sizeof mpath, "%s", at("m.yaml"));
	snprintf(lpath, sizeof lpath, "%s", at("leads.csv"));
	c = init;
	c.outcome = "converted";
	c.model = mpath;
	c.input = lpath;
	c.delim = ',';
	c.o.folds = 0;
	lk_err_clear(&e);
}

static void teardown(void)
{
	lk_buf_free(&model);
	lk_buf_free(&msgs);
	lk_unit_rmdir(dir);
}

/* The messages, each ended by a NUL, as one string with a '|' for each NUL. */
static const char *joined(void)
{
	static char out[4096];
	size_t i;

	ck_assert_uint_lt(msgs.len, sizeof out);
	for (i = 0; i < msgs.len; i++)
		out[i] = msgs.data[i] ? msgs.data[i] : '|';
	out[i] = '\0';
	return out;
}

/* The options by name, with lead-score's words for a value it does not take. */
START_TEST(takes_options)
{
	lk_fit_config x = LK_FIT_CONFIG_INIT;

	ck_assert_int_eq(x.o.max_rules, 20);
	ck_assert_int_eq(x.o.folds, 5);
	ck_assert_double_eq(x.o.capture, 0.8);
	ck_assert_int_eq(lk_fit_config_opt(&x, "fit", "won", &e), 0);
	ck_assert_int_eq(lk_fit_config_opt(&x, "value", "amount", &e), 0);
	ck_assert_int_eq(lk_fit_config_opt(&x, "exclude", "a,b", &e), 0);
	ck_assert_int_eq(lk_fit_config_opt(&x, "candidates", "auto", &e), 0);
	ck_assert_int_eq(lk_fit_config_opt(&x, "max-rules", "7", &e), 0);
	ck_assert_int_eq(lk_fit_config_opt(&x, "folds", "3", &e), 0);
	ck_assert_int_eq(lk_fit_config_opt(&x, "seed", "42", &e), 0);
	ck_assert_int_eq(lk_fit_config_opt(&x, "capture", "1", &e), 0);
	ck_assert_str_eq(x.outcome, "won");
	ck_assert_str_eq(x.value, "amount");
	ck_assert_str_eq(x.exclude, "a,b");
	ck_assert_int_eq(x.candidates, 1);
	ck_assert_int_eq(x.o.max_rules, 7);
	ck_assert_int_eq(x.o.folds, 3);
	ck_assert_uint_eq(x.o.seed, 42);
	ck_assert_double_eq(x.o.capture, 1);
	ck_assert_int_eq(lk_fit_config_opt(&x, "candidates", "model", &e), 0);
	ck_assert_int_eq(x.candidates, 0);

	ck_assert_int_eq(lk_fit_config_opt(&x, "candidates", "all", &e), -1);
	ck_assert_int_eq(e.kind, LK_EUSAGE);
	ck_assert_str_eq(e.msg, "--candidates: 'all' is neither auto nor model");
	ck_assert_int_eq(lk_fit_config_opt(&x, "capture", "0", &e), -1);
	ck_assert_str_eq(e.msg, "--capture: '0' is not a share above 0 and at most 1");
	ck_assert_int_eq(lk_fit_config_opt(&x, "capture", "", &e), -1);
	ck_assert_int_eq(lk_fit_config_opt(&x, "folds", "-1", &e), -1);
	ck_assert_str_eq(e.msg, "--folds: '-1' is not a non-negative number");
	ck_assert_int_eq(lk_fit_config_opt(&x, "seed", "99999999999999999999", &e), -1);
	ck_assert_int_eq(lk_fit_config_opt(&x, "max-rules", "", &e), -1);
	ck_assert_int_eq(lk_fit_config_opt(&x, "explain", NULL, &e), -1);
	ck_assert_str_eq(e.msg, "--explain: no such option");
}
END_TEST

/* The checks, in their order: the first that fails is the one named. */
START_TEST(checks_options)
{
	lk_fit_config x = LK_FIT_CONFIG_INIT;

	ck_assert_int_eq(lk_fit_config_check(&x, 1, &e), 0);	/* no fit: scoring is fine */
	x.value = "amount";
	x.o.folds = 1;
	ck_assert_int_eq(lk_fit_config_check(&x, 0, &e), -1);
	ck_assert_int_eq(e.kind, LK_EUSAGE);
	ck_assert_str_eq(e.msg, "--value, --exclude and --candidates go with --fit");
	x.outcome = "won";
	x.exclude = "a";
	ck_assert_int_eq(lk_fit_config_check(&x, 1, &e), -1);
	ck_assert_str_eq(e.msg, "--fit writes a model: --explain, --ledger, --baseline, --lint, "
			 "--keyed and --no-header-out do not apply");
	ck_assert_int_eq(lk_fit_config_check(&x, 0, &e), -1);
	ck_assert_str_eq(e.msg, "--exclude names columns --candidates auto makes no rules from");
	x.candidates = 1;
	ck_assert_int_eq(lk_fit_config_check(&x, 0, &e), -1);
	ck_assert_str_eq(e.msg, "--folds: 1: give 0 (no held-out figures) or 2 to 100");
	x.o.folds = 101;
	ck_assert_int_eq(lk_fit_config_check(&x, 0, &e), -1);
	x.o.folds = 100;
	ck_assert_int_eq(lk_fit_config_check(&x, 0, &e), 0);
}
END_TEST

/*
 * A run: the model file as written, its point and threshold fitted and
 * the figures as its header; the messages in the order lead-score prints
 * them: the data's warnings, the figures less their "# ", the table as
 * one message.  Every VP labelled converted: the small L2 term keeps the
 * points finite.
 */
START_TEST(fits_the_file)
{
	const char *m;

	put("leads.csv", "lead_id,title,converted\nL1,VP,yes\nL2,Dev,no\nL3,VP,maybe\n"
	    "L4,VP,yes\nL5,Dev,yes\nL6,Dev,no\n");
	ck_assert_int_eq(lk_fit_leads(&c, &model, &msgs, &e), 0);
	ck_assert_str_eq(joined(),
			 "--fit: 1 row without a 0/1, yes/no or won/lost outcome in 'converted' "
			 "left out (first: record 3: 'maybe')|"
			 "--fit: only 5 labelled rows: the points will be rough and the held-out "
			 "figures noisy|"
			 "fit: lead-score --fit converted --max-rules 20 --folds 0 --seed 1 "
			 "--capture 0.8|"
			 "fit: 5 labelled rows, 3 converted (60.0%); 1 of 1 candidate rule with "
			 "points (at most 20); 10 points double the odds|"
			 "fit: held-out: not measured (no cross-validation)|"
			 "fit: threshold: mql at score >= 0, for a capture of at least 80% with the "
			 "lowest reject rate|"
			 "fit: training (all rows, not held-out): ROC AUC 0.833, reject rate 40.0%, "
			 "capture 100.0%, MQL share 100.0%|"
			 "thresholds (training rows; mql = score >= T):\n"
			 "      T   MQLs  share  reject  capture\n"
			 "    101      2  40.0%    0.0%    66.7%\n"
			 "      0      5 100.0%   40.0%   100.0%  <- chosen|");
	m = lk_buf_str(&model);
	ck_assert_ptr_eq(strstr(m, "# fit: lead-score --fit converted"), m);
	ck_assert_ptr_nonnull(strstr(m, "\n# the model\nscoring:\n  fit:\n"
				     "    - {rule: vp, when: 'title == \"VP\"', points: 101}\n"
				     "  mql: 'score >= 0'\n"));
}
END_TEST

/* The steps around the fit fail with -1, and nothing said before. */
START_TEST(fails_around_the_fit)
{
	lk_fit_config x = c;

	x.input = at("nosuch.csv");
	ck_assert_int_eq(lk_fit_leads(&x, &model, &msgs, &e), -1);
	ck_assert_int_eq(e.kind, LK_EIO);
	ck_assert_ptr_nonnull(strstr(e.msg, "nosuch.csv: cannot open: No such file or directory"));
	put("empty.csv", "");
	x.input = at("empty.csv");
	ck_assert_int_eq(lk_fit_leads(&x, &model, &msgs, &e), -1);
	ck_assert_int_eq(e.kind, LK_EDATA);
	ck_assert_ptr_nonnull(strstr(e.msg, "empty.csv: empty input: no header row"));
	x = c;
	x.outcome = "convertd";
	ck_assert_int_eq(lk_fit_leads(&x, &model, &msgs, &e), -1);
	ck_assert_int_eq(e.kind, LK_EUSAGE);
	ck_assert_str_eq(e.msg, "--fit: no column 'convertd' in the input (did you mean "
			 "'converted'?)");
	x = c;
	x.activities = at("nosuch.csv");
	ck_assert_int_eq(lk_fit_leads(&x, &model, &msgs, &e), -1);
	ck_assert_int_eq(e.kind, LK_EIO);
	x = c;
	x.model = at("nosuch.yaml");
	ck_assert_int_eq(lk_fit_leads(&x, &model, &msgs, &e), -1);
	ck_assert_uint_eq(msgs.len, 0);
	ck_assert_uint_eq(model.len, 0);
	/* A model with no fit list has nowhere to put rules from the data:
	 * the figures have been said. */
	put("nofit.yaml", "scoring:\n  mql: \"score >= 10\"\n");
	x = c;
	x.model = at("nofit.yaml");
	x.candidates = 1;
	ck_assert_int_eq(lk_fit_leads(&x, &model, &msgs, &e), -1);
	ck_assert_int_eq(e.kind, LK_EMODEL);
	ck_assert_ptr_nonnull(strstr(joined(), "|thresholds (training rows; mql = score >= T):\n"));
}
END_TEST

/* The fit itself fails with -2: the data cannot be fitted. */
START_TEST(fails_in_the_fit)
{
	put("leads.csv", "lead_id,title,converted\nL1,VP,1\nL2,Dev,yes\n");
	ck_assert_int_eq(lk_fit_leads(&c, &model, &msgs, &e), -2);
	ck_assert_int_eq(e.kind, LK_EDATA);
	ck_assert_str_eq(e.msg, "the outcome 'converted' is constant: all 2 labelled rows are "
			 "converted; nothing to fit");
	ck_assert_uint_eq(msgs.len, 0);		/* the size is checked after */
	put("leads.csv", "lead_id,title,converted\nL1,VP,\n");
	lk_buf_reset(&msgs);
	ck_assert_int_eq(lk_fit_leads(&c, &model, &msgs, &e), -2);
	ck_assert_str_eq(e.msg, "no row has an outcome in 'converted' (0/1, yes/no, true/false, "
			 "won/lost)");
}
END_TEST

/* Written whole, or not at all with the reason; a closed pipe says so. */
START_TEST(saves_the_model)
{
	static const lk_buf text = { "scoring: {}\n", 12, 13 };
	char buf[32] = "";
	FILE *fp;
	int p[2];

	ck_assert_int_eq(lk_fit_save(at("tuned.yaml"), &text, &e), 0);
	fp = fopen(at("tuned.yaml"), "r");
	ck_assert_ptr_nonnull(fgets(buf, sizeof buf, fp));
	fclose(fp);
	ck_assert_str_eq(buf, "scoring: {}\n");
	ck_assert_int_eq(lk_unit_files(dir), 3);
	ck_assert_int_eq(lk_fit_save("/dev/full", &text, &e), -1);
	ck_assert_int_eq(e.kind, LK_EIO);
	ck_assert_str_eq(e.msg, "/dev/full: No space left on device");
	ck_assert_int_eq(lk_fit_save(at("no/tuned.yaml"), &text, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "/no/tuned.yaml: cannot create: "));
	ck_assert_int_eq(lk_unit_files(dir), 3);

	/* stdout, a pipe whose reader has gone */
	ck_assert_int_eq(pipe(p), 0);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_ne(fflush(stdout), EOF);
	{
		int saved = dup(1);

		dup2(p[1], 1);
		close(p[1]);
		ck_assert_int_eq(lk_fit_save(NULL, &text, &e), -1);
		dup2(saved, 1);
		close(saved);
	}
	signal(SIGPIPE, SIG_DFL);
	ck_assert_int_eq(e.kind, LK_EIO);
	ck_assert_int_eq(e.cause, LK_EPIPE);
	ck_assert_str_eq(e.msg, "stdout: Broken pipe");
}
END_TEST

Suite *lk_suite_fit_leads(void)
{
	return lk_unit_suite("fit_leads", setup, teardown,
			     LK_UNIT_TESTS(takes_options, checks_options, fits_the_file,
					   fails_around_the_fit, fails_in_the_fit, saves_the_model));
}
