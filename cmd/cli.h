/*
 * cli.h - what every leadkit main shares: messages, exit codes, input
 * and output files, rejects.  Header-only (static functions) so that each
 * tool stays one file; this is the only code besides the mains that
 * prints or exits.
 *
 * Exit codes: 0 success; 1 data or runtime error; 2 usage or model error
 * (followed by "Try 'PROG --help' for more information.").  A closed
 * output pipe (an lk_err with the cause LK_EPIPE) is a quiet exit 0.
 */
#ifndef LK_CLI_H
#define LK_CLI_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "score/activity.h"
#include "core/csvio.h"
#include "core/date.h"
#include "model/expr.h"
#include "core/err.h"
#include "core/hash.h"

static const char *lk_prog = "leadkit";

/* The --help lines of the input/output options every filter shares. */
#define LK_CLI_IO_HELP \
	"  -t, --tsv               tab-separated input and output\n" \
	"  -d, --delimiter CHAR    input and output delimiter\n" \
	"  -o, --output FILE       write FILE atomically instead of stdout\n" \
	"      --flush             write each row as soon as it is done\n" \
	LK_CLI_SCALE_HELP \
	"  -h, --help              this help\n" \
	"      --version           version\n"


/*
 * Output files not yet committed.  Every exit (lk_cli_fail, lk_cli_usage,
 * a return from main) removes their temporary files through atexit, so a
 * failed run never leaves a half-written ".name.tmpXXXXXX" behind.  The
 * lk_outfile objects must outlive main (static storage).
 */
static lk_outfile *lk_cli_outs[8];

static void lk_cli_cleanup(void)
{
	int i;

	for (i = 0; i < 8; i++)
		if (lk_cli_outs[i])
			lk_outfile_abort(lk_cli_outs[i]);
}

/* lk_outfile_open, with the file removed on an early exit. */
static int lk_cli_outfile_open(lk_outfile *o, const char *path, lk_err *e)
{
	static int registered;
	int i;

	if (!registered++)
		atexit(lk_cli_cleanup);
	if (lk_outfile_open(o, path, e) < 0)
		return -1;
	for (i = 0; i < 8; i++)
		if (!lk_cli_outs[i] || lk_cli_outs[i] == o) {
			lk_cli_outs[i] = o;
			break;
		}
	return 0;
}

static void lk_cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void lk_cli_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", lk_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Usage error: message, the --help hint, exit 2. */
static void lk_cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void lk_cli_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", lk_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", lk_prog);
	exit(2);
}

/* Print an lk_err as "prog: what: detail" and exit with its code. */
static void lk_cli_fail(const char *what, const lk_err *e) __attribute__((noreturn));
static void lk_cli_fail(const char *what, const lk_err *e)
{
	char buf[2048];

	if (e->kind == LK_EIO && e->cause == LK_EPIPE)
		exit(0);
	fprintf(stderr, "%s: %s%s%s\n", lk_prog, what ? what : "", what ? ": " : "",
		lk_err_str(e, buf, sizeof buf));
	if (e->kind == LK_EMODEL || e->kind == LK_EUSAGE) {
		fprintf(stderr, "Try '%s --help' for more information.\n", lk_prog);
		exit(2);
	}
	exit(1);
}

/* Open a named input ("-" is stdin); exits 1 with a message on failure. */
static int lk_cli_open_in(const char *path)
{
	int fd;

	if (!path || !strcmp(path, "-"))
		return 0;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		lk_cli_warn("%s: cannot open: %s", path, strerror(errno));
		exit(1);
	}
	return fd;
}

/* Parse a non-negative integer option value or exit 2. */
static long lk_cli_long(const char *opt, const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < 0)
		lk_cli_usage("%s: '%s' is not a non-negative number", opt, s);
	return v;
}

/* The delimiter of -d CHAR (a single byte, or "\t" / "tab"). */
static char lk_cli_delim(const char *s)
{
	if (!strcmp(s, "\\t") || !strcmp(s, "tab"))
		return '\t';
	if (strlen(s) != 1 || *s == '"' || *s == '\n' || *s == '\r')
		lk_cli_usage("-d: the delimiter must be one character other than a quote or newline, not '%s'", s);
	return *s;
}

/*
 * Rejected rows: written unchanged (plus _reject_reason and _line) to
 * --rejects FILE, counted by reason for the summary on stderr.
 */
typedef struct lk_rejects {
	lk_outfile file;
	lk_writer *w;
	int open;
	long count;
	long max;			/* --max-rejects, -1: no limit */
	const char *const *header;	/* input header names */
	int nheader;
	lk_hash *reasons;		/* reason class -> count */
	lk_buf tmp;
	int warned;
} lk_rejects;

static void lk_rejects_init(lk_rejects *r, const char *path, long max, char delim)
{
	lk_err e = { .record = -1 };

	memset(r, 0, sizeof *r);
	r->max = max;
	r->reasons = lk_hash_new(16);
	if (!path)
		return;
	if (lk_cli_outfile_open(&r->file, path, &e) < 0)
		lk_cli_fail("--rejects", &e);
	r->w = lk_writer_new(r->file.fd, delim, 0);
	r->open = 1;
}

static void lk_rejects_header(lk_rejects *r, const char *const *names, int n)
{
	lk_err e = { .record = -1 };
	int i;

	r->header = names;
	r->nheader = n;
	if (!r->w)
		return;
	for (i = 0; i < n; i++)
		lk_writer_field(r->w, names[i], strlen(names[i]));
	lk_writer_field(r->w, "_reject_reason", 14);
	lk_writer_field(r->w, "_line", 5);
	if (lk_writer_end(r->w, &e) < 0)
		lk_cli_fail("--rejects", &e);
}

/* The reason class: the text before the first ':' (for the summary). */
static void lk_rejects_add(lk_rejects *r, const lk_row *row, const char *reason)
{
	lk_err e = { .record = -1 };
	void **slot;
	size_t cl = strcspn(reason, ":'");
	int i;

	while (cl && reason[cl - 1] == ' ')
		cl--;
	r->count++;
	slot = lk_hash_slot(r->reasons, reason, cl, 1, NULL);
	if (slot)
		*slot = (void *)((char *)*slot + 1);
	if (r->w) {
		char line[32];
		for (i = 0; i < row->n; i++)
			lk_writer_field(r->w, row->f[i], row->len[i]);
		lk_writer_field(r->w, reason, strlen(reason));
		snprintf(line, sizeof line, "%ld", row->line);
		lk_writer_field(r->w, line, strlen(line));
		if (lk_writer_end(r->w, &e) < 0)
			lk_cli_fail("--rejects", &e);
	} else if (r->warned < 10) {
		lk_cli_warn("record %ld (line %ld): %s: row not written (--rejects FILE keeps such rows)",
			    row->record, row->line, reason);
		r->warned++;
	}
}

/* Summary on stderr; 1 when --max-rejects was exceeded. */
static int lk_rejects_finish(lk_rejects *r, long rows_in)
{
	lk_err e = { .record = -1 };
	size_t i;

	if (r->w) {
		if (lk_writer_flush(r->w, &e) < 0 || lk_outfile_commit(&r->file, &e) < 0)
			lk_cli_fail("--rejects", &e);
		lk_writer_free(r->w);
		r->w = NULL;
	}
	if (r->count) {
		lk_cli_warn("%ld of %ld rows rejected%s", r->count, rows_in,
			    r->open ? "" : " (not kept: use --rejects FILE)");
		for (i = 0; i < lk_hash_count(r->reasons); i++) {
			const char *k;
			void *v;
			lk_hash_entry(r->reasons, i, &k, NULL, &v);
			fprintf(stderr, "  %8ld  %s\n", (long)(intptr_t)v, k);
		}
	}
	lk_hash_free(r->reasons);
	lk_buf_free(&r->tmp);
	if (r->max >= 0 && r->count > r->max) {
		lk_cli_warn("too many rejected rows: %ld (--max-rejects %ld)", r->count, r->max);
		return 1;
	}
	return 0;
}

/* Hadoop Streaming counters on stderr (--counters). */
static void lk_cli_counter(int on, const char *name, long n)
{
	if (on)
		fprintf(stderr, "reporter:counter:leadkit,%s,%ld\n", name, n);
}

/* The activities' summary on stderr after a run that read --activities:
 * those after --now, those for no lead, those rejected. */
static inline void lk_cli_activity_summary(const lk_activities_stats *st, int counters)
{
	if (st->future)
		lk_cli_warn("%ld activit%s after --now ignored", st->future,
			    st->future == 1 ? "y" : "ies");
	if (st->unmatched)
		lk_cli_warn("%ld activit%s for no lead in the input", st->unmatched,
			    st->unmatched == 1 ? "y" : "ies");
	if (st->bad)
		lk_cli_warn("%ld activit%s rejected (%s)", st->bad,
			    st->bad == 1 ? "y" : "ies", st->bad_example);
	lk_cli_counter(counters, "activities_future", st->future);
}

/*
 * The Hadoop Streaming line contract, the same in every tool (see
 * leadkit(7), SCALE-OUT).  A main adds LK_CLI_SCALE_OPTS to its long
 * options and LK_CLI_SCALE_HELP to its --help, and hands getopt's codes
 * it does not know to lk_cli_scale_opt(); the values land in lk_scale:
 *
 *   --header-from FILE  the input is a split without its header: the
 *                       header is FILE's first record (lk_csvopt.header_from)
 *   --no-header-out     do not write the header row
 *   --partition N       with --emit-key: each line P<TAB>KEY<TAB>ROW, P =
 *                       FNV-1a 64 of the key's ID mod N; header lines go to
 *                       every partition (lk_writer_set_partition)
 *   --counters          reporter:counter:leadkit,NAME,N lines on stderr
 */
typedef struct lk_scaleopt {
	const char *header_from;
	int no_header_out;
	int counters;
	unsigned partition;
} lk_scaleopt;

static lk_scaleopt lk_scale;

enum { LK_O_HEADER_FROM = 0x1000, LK_O_NOHDR_OUT, LK_O_PARTITION, LK_O_COUNTERS };

#define LK_CLI_SCALE_OPTS \
	{ "header-from", required_argument, NULL, LK_O_HEADER_FROM }, \
	{ "no-header-out", no_argument, NULL, LK_O_NOHDR_OUT }, \
	{ "partition", required_argument, NULL, LK_O_PARTITION }, \
	{ "counters", no_argument, NULL, LK_O_COUNTERS }

#define LK_CLI_SCALE_HELP \
	"      --header-from FILE  the input has no header row: take FILE's first row\n" \
	"      --no-header-out     do not write the header row\n" \
	"      --partition N       with --emit-key: prefix each line with its partition,\n" \
	"                          FNV-1a(key) mod N (see leadkit(7), SCALE-OUT)\n" \
	"      --counters          Hadoop Streaming counters on stderr\n"

/* One of the options above: 1 when `c` was one, else 0. */
static inline int lk_cli_scale_opt(int c, const char *arg)
{
	long n;

	switch (c) {
	case LK_O_HEADER_FROM: lk_scale.header_from = arg; return 1;
	case LK_O_NOHDR_OUT: lk_scale.no_header_out = 1; return 1;
	case LK_O_COUNTERS: lk_scale.counters = 1; return 1;
	case LK_O_PARTITION:
		n = lk_cli_long("--partition", arg);
		if (n < 1 || n > 65536)
			lk_cli_usage("--partition: '%s' is not a number of partitions from 1 to 65536", arg);
		lk_scale.partition = (unsigned)n;
		return 1;
	}
	return 0;
}

/* Apply --partition to the output writer; `keyed`: the tool writes
 * --emit-key lines (only those can be partitioned). */
static inline void lk_cli_scale_writer(lk_writer *w, int keyed)
{
	if (lk_scale.partition && !keyed)
		lk_cli_usage("--partition N splits keyed output: give --emit-key");
	if (lk_scale.partition)
		lk_writer_set_partition(w, lk_scale.partition);
}

/* --now TIMESTAMP: epoch seconds, or exit 2. */
static inline int64_t lk_cli_now(const char *arg)
{
	lk_time t;

	if (lk_date_parse(arg, strlen(arg), LK_DATE_AUTO, &t) < 0)
		lk_cli_usage("--now: '%s' is not a date or timestamp", arg);
	return t.secs;
}

/* A copy of a header row the caller keeps (the reader reuses the row's
 * memory), NULL-terminated; exits 1 when out of memory. */
static inline char **lk_cli_header_copy(const lk_row *row)
{
	char **h = calloc((size_t)row->n + 1, sizeof *h);
	int i;

	for (i = 0; h && i < row->n; i++)
		if (!(h[i] = strdup(row->f[i]))) {
			while (i--)
				free(h[i]);
			free(h);
			h = NULL;
		}
	if (!h) {
		lk_cli_warn("out of memory");
		exit(1);
	}
	return h;
}

static inline void lk_cli_header_free(char **h)
{
	int i;

	for (i = 0; h && h[i]; i++)
		free(h[i]);
	free(h);
}

/* Flush the writer and commit its output file; exits on failure. */
static inline void lk_cli_out_done(lk_writer *w, lk_outfile *of, const char *name)
{
	lk_err e = { .record = -1 };

	if (lk_writer_flush(w, &e) < 0)
		lk_cli_fail(name, &e);
	if (lk_outfile_commit(of, &e) < 0)
		lk_cli_fail(NULL, &e);
}

/* What expression evaluation counted, as warnings. */
static inline void lk_cli_expr_warn(const lk_exprenv *env)
{
	if (env->nonnum)
		lk_cli_warn("%ld comparison%s with a non-numeric value counted as false",
			    env->nonnum, env->nonnum == 1 ? "" : "s");
	if (env->baddate)
		lk_cli_warn("%ld value%s in days_since() not a date", env->baddate,
			    env->baddate == 1 ? "" : "s");
}

/*
 * Open the leads of a per-lead tool that joins activities (lead-score,
 * lead-nurture): NAME ("-" for stdin) as CSV, honouring --header-from,
 * or with `keyed` a key-sorted `lead-score --emit-key` stream joined
 * with its activities by lk_keyjoin.  Sets exactly one of *rd and *kj
 * (failing the run otherwise) and returns the descriptor read.
 */
static inline int lk_cli_open_leads(const char *name, char delim, int keyed, int64_t now,
				    lk_date_order order, lk_reader **rd, lk_keyjoin **kj)
{
	lk_csvopt co = { 0 };
	lk_err e = { .record = -1 };
	int fd;

	co.delim = delim;
	co.header_from = lk_scale.header_from;
	co.name = name;
	fd = lk_cli_open_in(name);
	*rd = NULL;
	*kj = NULL;
	if (keyed)
		*kj = lk_keyjoin_new(fd, name, delim, now, order, &e);
	else
		*rd = lk_reader_new(fd, &co, &e);
	if (!*rd && !*kj)
		lk_cli_fail(NULL, &e);
	return fd;
}

/*
 * The next lead and its activities, from the keyed join or from the
 * reader and the in-memory table `acts` (NULL: none); with `ld`, also
 * the activities' kept details.  Returns as lk_reader_next.
 */
static inline int lk_cli_next_lead(lk_reader *rd, lk_keyjoin *kj, lk_activities *acts,
				   lk_row **row, const lk_act **la, const char *const **ld,
				   int *nla, lk_err *e)
{
	int c;

	if (kj) {
		c = lk_keyjoin_next(kj, row, la, nla, e);
		if (ld)
			*ld = c > 0 ? lk_keyjoin_details(kj) : NULL;
		return c;
	}
	*la = NULL;
	*nla = 0;
	if (ld)
		*ld = NULL;
	c = lk_reader_next(rd, row, e);
	if (c > 0 && acts && !(*row)->bad && (*row)->record > 0) {
		*la = lk_activities_for(acts, *row, nla);
		if (ld)
			*ld = lk_activities_details(acts);
	}
	return c;
}

#endif
