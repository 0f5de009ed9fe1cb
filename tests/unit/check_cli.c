/*
 * Unit tests for cmd/: the filter driver (filter.c) on a toy filter over
 * temporary files and pipes, and the shared helpers of cli.c (exit codes,
 * the shared options, the rejects).  Every expected byte is written out
 * by hand from the contracts in filter.h and cli.h: CSV with minimal
 * quoting, "PROG: message" lines (PROG is "leadkit" here, cli.c's
 * default), counters as reporter:counter:leadkit,NAME,N, and the
 * partition of a keyed line as 64-bit FNV-1a of its key mod N,
 * recomputed below from the published constants.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "filter.h"

/* ---- a scratch directory, files in it, stderr captured ---- */

static char dir[64];
static int saved_err = -1;

/* Each test's options, toy and captured stderr, made afresh by setup. */
struct toy;
static lk_filter_opts o;
static char *err;
static char out_path[512];	/* o.output, DIR/out.csv */

/* The path of `name` in the directory, in one of 64 buffers used in
 * turn, so that a test may keep a few in its options. */
static const char *at(const char *name)
{
	static char buf[64][512];
	static int i;

	i = (i + 1) % 64;
	snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
	return buf[i];
}

static void put(const char *name, const char *text)
{
	FILE *fp = fopen(at(name), "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

/* The whole file, or NULL when there is none; the caller frees it. */
static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *s;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	s = calloc((size_t)n + 1, 1);
	ck_assert_uint_eq(fread(s, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	return s;
}

static void file_is(const char *name, const char *want)
{
	char *got = slurp(at(name));

	ck_assert_msg(got != NULL, "%s: no such file", name);
	ck_assert_str_eq(got, want);
	free(got);
}

/* The files in the directory: tells whether a run left an output or a
 * temporary file behind. */
static int entries(void)
{
	return lk_unit_files(dir);
}

/* stderr goes to a temporary file from err_begin to err_end. */
static FILE *err_file;

static void err_begin(void)
{
	fflush(stderr);
	saved_err = dup(2);
	err_file = tmpfile();
	dup2(fileno(err_file), 2);
}

/* What went to stderr since err_begin, into err. */
static void err_end(void)
{
	long n;

	fflush(stderr);
	dup2(saved_err, 2);
	close(saved_err);
	free(err);
	n = ftell(err_file);
	err = calloc((size_t)n + 1, 1);
	rewind(err_file);
	ck_assert_uint_eq(fread(err, 1, (size_t)n, err_file), (size_t)n);
	fclose(err_file);
}

static void setup(void)
{
	lk_filter_opts fresh = LK_FILTER_OPTS_INIT;

	lk_unit_mkdir(dir);
	memset(&lk_scale, 0, sizeof lk_scale);
	o = fresh;
	o.output = strcpy(out_path, at("out.csv"));
}

static void teardown(void)
{
	lk_unit_rmdir(dir);
	memset(&lk_scale, 0, sizeof lk_scale);
	free(err);
	err = NULL;
}

/* ---- the toy filter: appends len, the length of the column name ---- */

struct toy {
	int col;			/* name in the input */
	int done_at_bind;		/* return LK_FILTER_DONE from bind */
	int rejects_at_bind;		/* open the rejects first thing in bind */
	int done_at_settle;		/* return LK_FILTER_DONE from settle */
	int counts;			/* report says rows in, out and rejected */
	int keyed;			/* put rows keyed by their first field */
	const char *side;		/* a side output: every name, one per line */
	lk_writer *sw;
	int headers, aheads, settles;	/* calls seen */
	int ahead_before_header;	/* every ahead call came before header */
	int aheads_at_settle;		/* ahead calls before settle */
	char seen[64];			/* the names read ahead, a comma after each */
	const char *names[9];
	char *f[9];
	size_t len[9];
	char num[16];
	lk_buf key;
	lk_row out;
};

static int toy_bind(void *st, lk_filter *f, const lk_row *hdr, const char *const *h, int n)
{
	struct toy *t = st;
	const char *const *h2;
	lk_err e;
	int n2;

	if (t->rejects_at_bind && lk_filter_rejects_open(f) < 0)
		return -1;
	h2 = lk_filter_input_header(f, &n2);
	ck_assert_int_eq(n, hdr->n);
	ck_assert_int_eq(n2, n);
	ck_assert_ptr_eq(h2, h);
	t->col = lk_header_index(h, n, "name");
	if (t->col < 0) {
		lk_err_set(&e, LK_EUSAGE, "no column 'name'");
		return lk_filter_fail(f, NULL, &e);
	}
	return t->done_at_bind ? LK_FILTER_DONE : 0;
}

static int toy_ahead(void *st, lk_filter *f, const lk_row *row)
{
	struct toy *t = st;

	t->aheads++;
	t->ahead_before_header = !t->headers;
	snprintf(t->seen + strlen(t->seen), sizeof t->seen - strlen(t->seen), "%s,",
		 t->col < row->n ? row->f[t->col] : "");
	return 0;
}

static int toy_settle(void *st, lk_filter *f)
{
	struct toy *t = st;

	t->settles++;
	t->aheads_at_settle = t->aheads;
	return t->done_at_settle ? LK_FILTER_DONE : 0;
}

static int toy_header(void *st, lk_filter *f)
{
	struct toy *t = st;
	const char *const *h;
	int n, i;

	t->headers++;
	h = lk_filter_input_header(f, &n);
	for (i = 0; i < n; i++)
		t->names[i] = h[i];
	t->names[n] = "len";
	if (t->side && !(t->sw = lk_filter_side(f, at(t->side), "--side", (const char *[]){ "name" },
						 1, 0)))
		return -1;
	return lk_filter_header(f, t->names, n + 1);
}

static int toy_row(void *st, lk_filter *f, lk_row *in)
{
	struct toy *t = st;
	lk_err e;
	int i;

	if (!in->len[t->col])
		return lk_filter_reject(f, in, "empty name: nothing to measure");
	for (i = 0; i < in->n; i++) {
		t->f[i] = in->f[i];
		t->len[i] = in->len[i];
	}
	snprintf(t->num, sizeof t->num, "%zu", in->len[t->col]);
	t->f[i] = t->num;
	t->len[i] = strlen(t->num);
	t->out.n = in->n + 1;
	t->out.f = t->f;
	t->out.len = t->len;
	if (t->sw && lk_writer_row(t->sw, (const char *const *)&in->f[t->col], NULL, 1, &e) < 0)
		return lk_filter_fail(f, t->side, &e);
	if (!t->keyed)
		return lk_filter_put(f, &t->out);
	lk_buf_reset(&t->key);
	lk_buf_add(&t->key, in->f[0], in->len[0]);
	lk_buf_addc(&t->key, '\t');
	return lk_filter_put_keyed(f, t->key.data, t->key.len, &t->out);
}

static void toy_report(void *st, lk_filter *f)
{
	struct toy *t = st;

	if (t->counts)
		lk_cli_warn("toy: %ld in, %ld out, %ld rejected", lk_filter_rows_in(f),
			    lk_filter_rows_out(f), lk_filter_rows_rejected(f));
	else
		lk_cli_warn("toy: %ld out", lk_filter_rows_out(f));
}

static const lk_filter_ops toy_ops = {
	.bind = toy_bind, .ahead = toy_ahead, .settle = toy_settle, .header = toy_header,
	.row = toy_row, .report = toy_report
};

/* Run the toy over in1 and in2 (names in dir, NULL: none) with the
 * options o; the exit code, and what went to stderr in err. */
static int run(struct toy *t, const char *in1, const char *in2)
{
	const char *inputs[3] = { NULL, NULL, NULL };
	char p1[512], p2[512];
	int rc;

	if (in1)
		inputs[0] = strcpy(p1, at(in1));
	if (in2)
		inputs[1] = strcpy(p2, at(in2));
	o.inputs = inputs;
	err_begin();
	rc = lk_filter_run(&toy_ops, t, &o);
	err_end();
	lk_buf_free(&t->key);
	return rc;
}

/*
 * A run that read rows and rejected every one failed: exit 1, a line
 * saying why after the summary, and -o FILE left as it was.  No rows at
 * all, or one row kept, is a success.  The input's delimiter (';')
 * is detected, and the output is written with commas.
 */
START_TEST(test_all_rejected)
{
	struct toy t = { 0 };

	put("out.csv", "old\n");
	put("in.csv", "id;name\n1;\n2;\n");
	ck_assert_int_eq(run(&t, "in.csv", NULL), 1);
	file_is("out.csv", "old\n");
	ck_assert_int_eq(entries(), 2);
	ck_assert_str_eq(err, "leadkit: record 1 (line 2): empty name: nothing to measure: row "
			 "not written (--rejects FILE keeps such rows)\n"
			 "leadkit: record 2 (line 3): empty name: nothing to measure: row "
			 "not written (--rejects FILE keeps such rows)\n"
			 "leadkit: toy: 0 out\n"
			 "leadkit: 2 of 2 rows rejected (not kept: use --rejects FILE)\n"
			 "         2  empty name\n"
			 "leadkit: all 2 rows rejected, none written (the output file is left as it "
			 "was); first reason (line 2): empty name: nothing to measure\n");
	put("in.csv", "id;name\n1;\n2;bo\n");
	ck_assert_int_eq(run(&t, "in.csv", NULL), 0);
	file_is("out.csv", "id,name,len\n2,bo,2\n");
	put("in.csv", "id;name\n");
	ck_assert_int_eq(run(&t, "in.csv", NULL), 0);
	file_is("out.csv", "id,name,len\n");
}
END_TEST

START_TEST(test_rows_out)
{
	struct toy t = { 0 };

	put("in.csv", "id,name\n1,ann\n2,\"b,o\"\n");
	ck_assert_int_eq(run(&t, "in.csv", NULL), 0);
	/* "b,o" holds the delimiter: quoted again on the way out; 3 bytes. */
	file_is("out.csv", "id,name,len\n1,ann,3\n2,\"b,o\",3\n");
	ck_assert_str_eq(err, "leadkit: toy: 2 out\n");
	ck_assert_int_eq(t.headers, 1);
	ck_assert_int_eq(entries(), 2);		/* in.csv, out.csv: no temporary file */
}
END_TEST

START_TEST(test_counters_and_options)
{
	struct toy t = { 0 };
	int c;

	/* The shared options as getopt hands them over. */
	lk_cli_filter_opt(&o, 'm', "m.yaml", "");
	ck_assert_str_eq(o.model, "m.yaml");
	lk_cli_filter_opt(&o, LK_O_NOW, "2026-11-20T09:30:00Z", "");
	ck_assert_int_eq(o.env.now, 1795167000);	/* 20777 days and 34200 s since 1970 */
	/* The input's delimiter is detected unless given; -t is TSV both
	 * ways, -d the input alone, --output-delimiter the output (and the
	 * rejects). */
	ck_assert_int_eq(o.delim, 0);
	ck_assert_int_eq(o.out_delim, ',');
	lk_cli_filter_opt(&o, 't', NULL, "");
	ck_assert_int_eq(o.delim, '\t');
	ck_assert_int_eq(o.out_delim, '\t');
	lk_cli_filter_opt(&o, 'd', ";", "");
	ck_assert_int_eq(o.delim, ';');
	ck_assert_int_eq(o.out_delim, '\t');
	lk_cli_filter_opt(&o, LK_O_OUT_DELIM, ";", "");
	ck_assert_int_eq(o.out_delim, ';');
	lk_cli_filter_opt(&o, 'o', at("out.csv"), "");
	lk_cli_filter_opt(&o, LK_O_FLUSH, NULL, "");
	lk_cli_filter_opt(&o, LK_O_REJECTS, at("rej.csv"), "");
	lk_cli_filter_opt(&o, LK_O_MAX_REJECTS, "7", "");
	for (c = LK_O_NOHDR_OUT; c <= LK_O_COUNTERS; c++)
		if (c != LK_O_PARTITION)
			lk_cli_filter_opt(&o, c, NULL, "");
	ck_assert_str_eq(o.output, at("out.csv"));
	ck_assert_str_eq(o.rejects, at("rej.csv"));
	ck_assert_int_eq(o.max_rejects, 7);
	ck_assert_int_eq(o.flush, 1);
	ck_assert_int_eq(lk_scale.no_header_out, 1);
	ck_assert_int_eq(lk_scale.counters, 1);

	put("in.csv", "id;name\n1;ann\n2;\n");
	ck_assert_int_eq(run(&t, "in.csv", NULL), 0);
	/* No header row out; the empty name is rejected with its line. */
	file_is("out.csv", "1;ann;3\n");
	file_is("rej.csv", "id;name;_reject_reason;_line\n2;;empty name: nothing to measure;3\n");
	ck_assert_str_eq(err, "leadkit: toy: 1 out\n"
			 "reporter:counter:leadkit,rows_in,2\n"
			 "reporter:counter:leadkit,rows_out,1\n"
			 "reporter:counter:leadkit,rows_rejected,1\n"
			 "leadkit: 1 of 2 rows rejected\n"
			 "         1  empty name\n");
}
END_TEST

START_TEST(test_rejects_and_limit)
{
	struct toy t = { 0 };

	/* Row 2 has no name; row 3's quote never closes, so its field runs
	 * to the end of the input, newline included, and starts on line 4. */
	put("in.csv", "id,name\n1,ann\n2,\n3,\"x\n");
	o.rejects = at("rej.csv");
	o.max_rejects = 1;
	ck_assert_int_eq(run(&t, "in.csv", NULL), 1);
	file_is("out.csv", "id,name,len\n1,ann,3\n");
	file_is("rej.csv", "id,name,_reject_reason,_line\n"
		"2,,empty name: nothing to measure,3\n"
		"3,\"x\n\",unterminated quoted field at end of input,4\n");
	ck_assert_str_eq(err, "leadkit: toy: 1 out\n"
			 "leadkit: 2 of 3 rows rejected\n"
			 "         1  empty name\n"
			 "         1  unterminated quoted field at end of input\n"
			 "leadkit: too many rejected rows: 2 (--max-rejects 1)\n");

	/* With abort_rejected (lead-ingest's rule) the old output stays. */
	put("out.csv", "old\n");
	o.abort_rejected = 1;
	ck_assert_int_eq(run(&t, "in.csv", NULL), 1);
	file_is("out.csv", "old\n");
	ck_assert_int_eq(entries(), 3);
}
END_TEST

START_TEST(test_rejects_named_without_file)
{
	struct toy t = { 0 };

	put("in.csv", "name\n\n\"\"\nann\n");
	ck_assert_int_eq(run(&t, "in.csv", NULL), 0);
	/* The blank line is skipped; "" is an empty name on line 3. */
	ck_assert_str_eq(err, "leadkit: record 1 (line 3): empty name: nothing to measure: row "
			 "not written (--rejects FILE keeps such rows)\n"
			 "leadkit: toy: 1 out\n"
			 "leadkit: 1 of 2 rows rejected (not kept: use --rejects FILE)\n"
			 "         1  empty name\n");
}
END_TEST

START_TEST(test_input_errors)
{
	struct toy t = { 0 };
	char want[512];

	put("empty.csv", "");
	ck_assert_int_eq(run(&t, "empty.csv", NULL), 1);
	snprintf(want, sizeof want, "leadkit: %s: empty input: no header row\n", at("empty.csv"));
	ck_assert_str_eq(err, want);

	o.name = "stdin";
	o.keyed_in = 1;
	ck_assert_int_eq(run(&t, "empty.csv", NULL), 1);
	ck_assert_str_eq(err, "leadkit: stdin: no leads in the keyed input (no lead header line)\n");
	o.keyed_in = 0;
	o.empty = "%s: nothing";
	ck_assert_int_eq(run(&t, "empty.csv", NULL), 1);
	ck_assert_str_eq(err, "leadkit: stdin: nothing\n");
	o.empty = NULL;

	ck_assert_int_eq(run(&t, "missing.csv", NULL), 1);
	snprintf(want, sizeof want, "leadkit: %s: cannot open: No such file or directory\n",
		 at("missing.csv"));
	ck_assert_str_eq(err, want);

	/* A model or usage error at bind: exit 2 with the hint; nothing
	 * opened is left behind (the rejects file was open already). */
	put("noname.csv", "id\n1\n");
	o.rejects = at("rej.csv");
	ck_assert_int_eq(run(&t, "noname.csv", NULL), 2);
	ck_assert_str_eq(err, "leadkit: no column 'name'\n"
			 "Try 'leadkit --help' for more information.\n");
	ck_assert_int_eq(entries(), 2);
}
END_TEST

START_TEST(test_done_at_bind)
{
	struct toy t = { .done_at_bind = 1 };

	put("in.csv", "name\nann\n");
	o.rejects = at("rej.csv");
	ck_assert_int_eq(run(&t, "in.csv", NULL), 0);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(t.headers, 0);
	ck_assert_int_eq(entries(), 1);		/* neither output nor rejects */
}
END_TEST

/* 64-bit FNV-1a (offset basis 14695981039346656037, prime 1099511628211). */
static unsigned part(const char *s, unsigned n)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (unsigned)(h % n);
}

START_TEST(test_partition)
{
	struct toy t = { 0 };
	char want[256];

	put("in.csv", "id,name\nk1,ann\nk2,bo\n");
	lk_scale.partition = 3;
	/* Partitioned output is keyed output only. */
	ck_assert_int_eq(run(&t, "in.csv", NULL), 2);
	ck_assert_str_eq(err, "leadkit: --partition N splits keyed output: give --emit-key\n"
			 "Try 'leadkit --help' for more information.\n");
	ck_assert_int_eq(entries(), 1);

	/* The header line (empty key) goes to every partition, a row to its key's. */
	o.keyed_out = 1;
	t.keyed = 1;
	ck_assert_int_eq(run(&t, "in.csv", NULL), 0);
	snprintf(want, sizeof want, "0\t\tid,name,len\n1\t\tid,name,len\n2\t\tid,name,len\n"
		 "%u\tk1\tk1,ann,3\n%u\tk2\tk2,bo,2\n", part("k1", 3), part("k2", 3));
	file_is("out.csv", want);
}
END_TEST

START_TEST(test_header_from_and_inputs)
{
	struct toy t = { 0 };
	char want[512];

	/* Splits without their header, the header from a file of its own. */
	put("hdr.csv", "id,name\n");
	put("a.csv", "1,ann\n");
	put("b.csv", "2,bo\n");
	lk_scale.header_from = at("hdr.csv");
	ck_assert_int_eq(run(&t, "a.csv", "b.csv"), 0);
	file_is("out.csv", "id,name,len\n1,ann,3\n2,bo,2\n");

	/* Several inputs: each header must be the first's. */
	lk_scale.header_from = NULL;
	put("a.csv", "id,name\n1,ann\n");
	put("b.csv", "id,nom\n2,bo\n");
	ck_assert_int_eq(run(&t, "a.csv", "b.csv"), 1);
	snprintf(want, sizeof want, "leadkit: %s: header differs from the first file's\n",
		 at("b.csv"));
	ck_assert_str_eq(err, want);
	file_is("out.csv", "id,name,len\n1,ann,3\n2,bo,2\n");	/* the last good one */
}
END_TEST

START_TEST(test_read_ahead)
{
	struct toy t = { .counts = 1 };

	/* bo's row is wider than the header: replayed whole. */
	put("in.csv", "name\nann\nbo,x\n\"\"\ncy\n");
	o.ahead = 3;
	lk_scale.counters = 1;
	ck_assert_int_eq(run(&t, "in.csv", NULL), 0);
	/* Each row read ahead is a new one, shown once, before settle and
	 * before the header. */
	ck_assert_str_eq(t.seen, "ann,bo,,");
	ck_assert_int_eq(t.aheads, 3);
	ck_assert_int_eq(t.settles, 1);
	ck_assert_int_eq(t.aheads_at_settle, 3);
	ck_assert_int_eq(t.ahead_before_header, 1);
	/* The rows read ahead come out first, counted once, with their
	 * record and line. */
	file_is("out.csv", "name,len\nann,3\nbo,x,2\ncy,2\n");
	ck_assert_str_eq(err, "leadkit: record 3 (line 4): empty name: nothing to measure: row "
			 "not written (--rejects FILE keeps such rows)\n"
			 "leadkit: toy: 4 in, 3 out, 1 rejected\n"
			 "reporter:counter:leadkit,rows_in,4\n"
			 "reporter:counter:leadkit,rows_out,3\n"
			 "reporter:counter:leadkit,rows_rejected,1\n"
			 "leadkit: 1 of 4 rows rejected (not kept: use --rejects FILE)\n"
			 "         1  empty name\n");
}
END_TEST

/* Reading ahead goes on into the next input when the first ends: a
 * short first file leaves room for the rows of the second, and every
 * row of both comes out, once, in order. */
START_TEST(test_read_ahead_across_inputs)
{
	struct toy t = { 0 };
	char want[512];

	put("a.csv", "name\nann\n");
	put("b.csv", "name\nbo\ncy\ndi\n");
	o.ahead = 3;
	ck_assert_int_eq(run(&t, "a.csv", "b.csv"), 0);
	ck_assert_str_eq(t.seen, "ann,bo,cy,");
	file_is("out.csv", "name,len\nann,3\nbo,2\ncy,2\ndi,2\n");

	/* Room for more than both hold: read ahead to the end of both. */
	t = (struct toy){ 0 };
	o.ahead = 100;
	ck_assert_int_eq(run(&t, "a.csv", "b.csv"), 0);
	ck_assert_str_eq(t.seen, "ann,bo,cy,di,");
	ck_assert_int_eq(t.aheads_at_settle, 4);
	file_is("out.csv", "name,len\nann,3\nbo,2\ncy,2\ndi,2\n");

	/* A further header that differs ends the run while reading ahead,
	 * before any output. */
	t = (struct toy){ 0 };
	put("b.csv", "nom\nbo\n");
	ck_assert_int_eq(run(&t, "a.csv", "b.csv"), 1);
	snprintf(want, sizeof want, "leadkit: %s: header differs from the first file's\n",
		 at("b.csv"));
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(t.settles, 0);
	ck_assert_int_eq(t.headers, 0);
}
END_TEST

/* settle may end the run before the output is opened: no output, no
 * rejects, and no --partition check (it comes with the output). */
START_TEST(test_done_at_settle)
{
	struct toy t = { .done_at_settle = 1 };

	put("in.csv", "name\nann\n");
	o.rejects = at("rej.csv");
	o.ahead = 5;
	lk_scale.partition = 2;
	ck_assert_int_eq(run(&t, "in.csv", NULL), 0);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(t.aheads_at_settle, 1);
	ck_assert_int_eq(t.headers, 0);
	ck_assert_int_eq(entries(), 1);		/* neither output nor rejects */
}
END_TEST

/* late_rejects: bind's errors come before the rejects file's, unless
 * bind opens it itself (lk_filter_rejects_open). */
START_TEST(test_late_rejects)
{
	struct toy t = { 0 };
	char want[512];

	put("noname.csv", "id\n1\n");
	o.rejects = at("no/such/dir/rej.csv");
	snprintf(want, sizeof want, "leadkit: --rejects: %s: cannot create: No such file or "
		 "directory\n", at("no/such/dir/rej.csv"));
	ck_assert_int_eq(run(&t, "noname.csv", NULL), 1);
	ck_assert_str_eq(err, want);
	o.late_rejects = 1;
	ck_assert_int_eq(run(&t, "noname.csv", NULL), 2);
	ck_assert_str_eq(err, "leadkit: no column 'name'\n"
			 "Try 'leadkit --help' for more information.\n");
	t.rejects_at_bind = 1;
	ck_assert_int_eq(run(&t, "noname.csv", NULL), 1);
	ck_assert_str_eq(err, want);

	/* Opened late, the rejects file is written as ever. */
	put("in.csv", "id,name\n1,\n2,bo\n");
	o.rejects = at("rej.csv");
	t.rejects_at_bind = 0;
	ck_assert_int_eq(run(&t, "in.csv", NULL), 0);
	file_is("rej.csv", "id,name,_reject_reason,_line\n1,,empty name: nothing to measure,2\n");
	t.rejects_at_bind = 1;
	ck_assert_int_eq(run(&t, "in.csv", NULL), 0);
	file_is("rej.csv", "id,name,_reject_reason,_line\n1,,empty name: nothing to measure,2\n");
}
END_TEST

START_TEST(test_closed_pipe)
{
	struct toy t = { 0 };
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	int p[2], out = dup(1);

	put("in.csv", "name\nann\n");
	ck_assert_int_eq(pipe(p), 0);
	close(p[0]);
	dup2(p[1], 1);
	close(p[1]);
	/* Nobody reads stdout: a quiet end, exit 0, nothing said. */
	o.output = NULL;
	ck_assert_int_eq(run(&t, "in.csv", NULL), 0);
	dup2(out, 1);
	close(out);
	signal(SIGPIPE, old);
	ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(test_output_errors)
{
	struct toy t = { .side = "side.txt" };
	char want[512];

	put("in.csv", "name\nann\nbo\n");
	ck_assert_int_eq(run(&t, "in.csv", NULL), 0);
	file_is("side.txt", "name\nann\nbo\n");

	/* A disk that is full: the write error names the output, exit 1. */
	t.side = NULL;
	t.sw = NULL;
	o.output = "/dev/full";
	ck_assert_int_eq(run(&t, "in.csv", NULL), 1);
	ck_assert_str_eq(err, "leadkit: /dev/full: write error: No space left on device\n");

	if (geteuid() == 0)
		return;		/* root writes anywhere */
	mkdir(at("ro"), 0555);
	o.output = at("ro/out.csv");
	ck_assert_int_eq(run(&t, "in.csv", NULL), 1);
	snprintf(want, sizeof want, "leadkit: %s: cannot create: Permission denied\n",
		 at("ro/out.csv"));
	ck_assert_str_eq(err, want);
}
END_TEST

/* start, for out_first: a line before any input is read. */
static int toy_start(void *st, lk_filter *f)
{
	lk_row *row;
	lk_reader *rd = lk_filter_open(f, at("first.csv"), &row);
	int c;

	if (!rd)
		return -1;
	lk_writer_raw(lk_filter_writer(f), "# ", 2);
	lk_writer_row(lk_filter_writer(f), (const char *const *)row->f, row->len, row->n, NULL);
	while ((c = lk_filter_read(f, rd, &row)) > 0)
		lk_writer_row(lk_filter_writer(f), (const char *const *)row->f, row->len, row->n, NULL);
	return c;
}

START_TEST(test_out_first)
{
	static const lk_filter_ops ops = { .start = toy_start };
	int rc;

	put("first.csv", "a,b\n1,2\n");
	o.out_first = o.no_input = 1;
	lk_scale.counters = 1;
	err_begin();
	rc = lk_filter_run(&ops, NULL, &o);
	err_end();
	ck_assert_int_eq(rc, 0);
	file_is("out.csv", "# a,b\n1,2\n");
	ck_assert_str_eq(err, "reporter:counter:leadkit,rows_in,0\n"
			 "reporter:counter:leadkit,rows_out,0\n"
			 "reporter:counter:leadkit,rows_rejected,0\n");
}
END_TEST

/* Read files through lk_cli_files until the end, each return code and
 * first field (and the file) into got; returns lk_cli_files_done's. */
static int files(lk_cli_files *fs, char *got, size_t size)
{
	lk_row *row;
	int c, rc;

	*got = 0;
	err_begin();
	while ((c = lk_cli_files_next(fs, &row)) > 0)
		snprintf(got + strlen(got), size - strlen(got), "%d:%s:%s ", c,
			 strrchr(fs->name, '/') + 1, row->f[0]);
	rc = lk_cli_files_done(fs);
	err_end();
	return rc;
}

/* Files read whole: each header (an empty file has none), then the
 * rows, the malformed ones rejected under the first header; with
 * no_header every row as it is, and no rejects. */
START_TEST(test_files)
{
	static lk_cli_files fs;		/* static, as its rejects file is watched */
	char *names[3] = { strdup(at("a.csv")), strdup(at("e.csv")), strdup(at("b.csv")) };
	char got[256];
	int i;

	put("a.csv", "id,name\n1,ann\n2,\"x\n");
	put("e.csv", "");
	put("b.csv", "name\nbo\n");
	fs = (lk_cli_files){ .names = names, .n = 3, .co.delim = ',', .rejects = at("rej.csv"),
			     .max_rejects = 0 };
	ck_assert_int_eq(files(&fs, got, sizeof got), 1);
	ck_assert_str_eq(got, "2:a.csv:id 1:a.csv:1 2:b.csv:name 1:b.csv:bo ");
	ck_assert_int_eq(fs.in, 3);
	file_is("rej.csv", "id,name,_reject_reason,_line\n"
		"2,\"x\n\",unterminated quoted field at end of input,3\n");
	ck_assert_str_eq(err, "leadkit: 1 of 3 rows rejected\n"
			 "         1  unterminated quoted field at end of input\n"
			 "leadkit: too many rejected rows: 1 (--max-rejects 0)\n");

	fs = (lk_cli_files){ .names = names, .n = 2, .co.delim = ',', .co.no_header = 1 };
	ck_assert_int_eq(files(&fs, got, sizeof got), 0);
	ck_assert_str_eq(got, "1:a.csv:id 1:a.csv:1 1:a.csv:2 ");
	ck_assert_int_eq(fs.in, 0);
	ck_assert_str_eq(err, "");

	/* Nothing but empty files: no header, so no rejects file. */
	unlink(at("rej.csv"));
	fs = (lk_cli_files){ .names = names + 1, .n = 1, .co.delim = ',', .rejects = at("rej.csv") };
	ck_assert_int_eq(files(&fs, got, sizeof got), 0);
	ck_assert_str_eq(got, "");
	ck_assert_int_eq(entries(), 3);
	for (i = 0; i < 3; i++)
		free(names[i]);
}
END_TEST

/* A whole text written out and committed. */
START_TEST(test_out_text)
{
	static lk_outfile of;
	lk_buf text = LK_BUF_INIT;
	lk_err e;

	lk_buf_adds(&text, "a,b\n1,2\n");
	ck_assert_int_eq(lk_cli_outfile_open(&of, at("text.csv"), &e), 0);
	lk_cli_out_text(&of, &text);
	lk_cli_outfile_forget(&of);
	file_is("text.csv", "a,b\n1,2\n");
	ck_assert_int_eq(entries(), 1);
	lk_buf_free(&text);
}
END_TEST

START_TEST(test_report_codes)
{
	lk_buf msgs = LK_BUF_INIT;
	lk_err e;

	err_begin();
	lk_err_set(&e, LK_EDATA, "bad");
	ck_assert_int_eq(lk_cli_report("in.csv", &e), 1);
	lk_err_set(&e, LK_EMODEL, "typo");
	ck_assert_int_eq(lk_cli_report(NULL, &e), 2);
	lk_err_set(&e, LK_EIO, "write error: Broken pipe");
	lk_err_because(&e, LK_EPIPE);
	ck_assert_int_eq(lk_cli_report("stdout", &e), 0);
	/* The same words without the cause are an error like any other. */
	lk_err_set(&e, LK_EIO, "write error: Broken pipe");
	ck_assert_int_eq(lk_cli_report("stdout", &e), 1);
	lk_err_set(&e, LK_EDATA, "invalid UTF-8 at byte 4 of the line");
	lk_err_because(&e, LK_EUTF8);
	e.record = 2;
	e.line = 3;
	ck_assert_int_eq(lk_cli_read_report("x.csv", &e), 1);
	ck_assert_int_eq(lk_cli_scale_check(0), 0);
	/* The library's messages, each ended by a NUL byte; a newline
	 * stays inside its message. */
	lk_buf_add(&msgs, "one\0two\nlines\0", 14);
	lk_cli_warn_all(&msgs);
	ck_assert_uint_eq(msgs.len, 0);
	lk_cli_warn_all(&msgs);
	err_end();
	ck_assert_str_eq(err, "leadkit: in.csv: bad\n"
			 "leadkit: typo\nTry 'leadkit --help' for more information.\n"
			 "leadkit: stdout: write error: Broken pipe\n"
			 "leadkit: x.csv: record 2 (line 3): invalid UTF-8 at byte 4 of the line; the "
			 "file is not UTF-8: name its encoding with --encoding latin1 (or "
			 "windows-1252, ...)\n"
			 "leadkit: one\nleadkit: two\nlines\n");
}
END_TEST

Suite *lk_suite_cli(void)
{
	return lk_unit_suite("cli", setup, teardown, LK_UNIT_TESTS(test_rows_out,
			     test_counters_and_options, test_rejects_and_limit,
			     test_rejects_named_without_file, test_input_errors, test_done_at_bind,
			     test_partition, test_header_from_and_inputs, test_read_ahead,
			     test_read_ahead_across_inputs, test_done_at_settle, test_late_rejects,
			     test_files, test_out_text, test_closed_pipe, test_output_errors, test_out_first,
			     test_report_codes, test_all_rejected));
}
