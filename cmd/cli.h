/*
 * cli.h - what every leadkit main shares.  cli.c is compiled once and
 * linked into every tool; it, the filter driver (filter.h) and the
 * mains are the only code that prints or exits.
 *
 * Exit codes: 0 success; 1 data or runtime error; 2 usage or model error
 * (followed by "Try 'PROG --help' for more information.").  A closed
 * output pipe (an lk_err with the cause LK_EPIPE) is a quiet exit 0.
 *
 * Messages go to stderr as "PROG: what failed: detail"; lk_prog names
 * the tool (each main sets it first).
 *
 * Output files not yet committed are removed on every exit, through
 * atexit: a failed run never leaves a half-written ".name.tmpXXXXXX".
 *
 * The manual of each part is above its declarations: messages and exit
 * codes; files; option values; the scale-out options; the rejects;
 * files read whole; programs; counters and summaries.  Most functions
 * that can fail exit; each of them has a variant that reports and
 * returns instead, for code that must go on to clean up (the filter
 * driver, filter.h).
 */
#ifndef LK_CLI_H
#define LK_CLI_H

/* The mains use these through cli.h; they stay included here. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/csvio.h"
#include "core/date.h"
#include "core/err.h"
#include "core/hash.h"
#include "core/rejects.h"
#include "model/expr.h"
#include "score/activity.h"

/* ---- messages and exit codes ---- */

/* The tool's name in messages ("lead-route"); each main sets it. */
extern const char *lk_prog;

/* "PROG: message" on stderr. */
void lk_cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Each message of `msgs` so, then empty it: messages the library wrote
 * one after the other, each ended by a NUL byte (a message may hold a
 * newline). */
void lk_cli_warn_all(lk_buf *msgs);

/* Usage error: message, the --help hint, exit 2 (the report variant
 * returns 2). */
void lk_cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
int lk_cli_usage_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The --help hint alone, exit 2: getopt has said what was wrong
 * (lead-ingest's way with an unknown option). */
void lk_cli_try_help(void) __attribute__((noreturn));

/*
 * Report an lk_err as "PROG: what: detail" (what may be NULL) and
 * return the exit code it calls for: 2 with the --help hint for model
 * and usage errors, 1 for the others, and 0 with nothing printed for a
 * closed pipe (LK_EPIPE).
 */
int lk_cli_report(const char *what, const lk_err *e);

/* lk_cli_report, then exit with its code. */
void lk_cli_fail(const char *what, const lk_err *e) __attribute__((noreturn));

/*
 * A reader error ends the run: "PROG: detail" and exit code 1 (the
 * report variant returns it).  Input that is not valid UTF-8 (the cause
 * LK_EUTF8, from a reader with lk_csvopt.check_utf8) names the input
 * `name` and the way out: its encoding, with --encoding.
 */
int lk_cli_read_report(const char *name, const lk_err *e);
void lk_cli_read_fail(const char *name, const lk_err *e) __attribute__((noreturn));

/* ---- files ---- */

/* Open a named input ("-" or NULL is stdin); exits 1 with a message on
 * failure ("PATH: cannot open: why").  lk_cli_input sets *fd instead
 * and returns -1 after the message. */
int lk_cli_open_in(const char *path);
int lk_cli_input(const char *path, int *fd);

/* lk_outfile_open, with the file removed on an early exit.  The
 * lk_outfile must live until exit (static storage) or until it is
 * committed and handed to lk_cli_outfile_forget. */
int lk_cli_outfile_open(lk_outfile *o, const char *path, lk_err *e);
/* Watch an lk_outfile opened elsewhere: removed on an early exit. */
void lk_cli_outfile_watch(lk_outfile *o);

/* Stop watching a committed or aborted lk_outfile before it goes away. */
void lk_cli_outfile_forget(lk_outfile *o);

/* Write all of `text` to the open output `of` and commit it; exits on
 * failure: 1 with "NAME: write failed: why" (NAME: the file, or
 * stdout), or quietly 0 when the output is a closed pipe. */
void lk_cli_out_text(lk_outfile *of, const lk_buf *text);

/* A copy of a header row the caller keeps (the reader reuses the row's
 * memory), NULL-terminated; exits 1 when out of memory (the dup
 * variant returns NULL).  Free it with lk_cli_header_free. */
char **lk_cli_header_copy(const lk_row *row);
char **lk_cli_header_dup(const lk_row *row);
void lk_cli_header_free(char **h);

/* ---- option values ---- */

/* A non-negative integer option value, or exit 2. */
long lk_cli_long(const char *opt, const char *s);
/* The delimiter of -d CHAR (a single byte, or "\t" / "tab"), or exit 2. */
char lk_cli_delim(const char *s);
/*
 * Rows judged when the input delimiter is detected (lk_csvopt.detect):
 * LK_CLI_DETECT, or only the header with --flush (an endless stream
 * must not wait for 50 rows).
 */
#define LK_CLI_DETECT 50
/* "';'", "TAB": a delimiter as messages and --show-mapping write it. */
const char *lk_cli_delim_name(char c);
/*
 * After an input's header is read: when its delimiter was detected and
 * the detection is not sure, say so on stderr ("NAME: delimiter not
 * sure: WHY; reading ',' (give -d)").  `d` may be NULL.
 */
void lk_cli_dialect_warn(const char *name, const lk_dialect *d);
/* --show-mapping's line about it, appended to out: "delimiter: ';'
 * (detected: 12 fields in each of the first 50 rows)\n". */
void lk_cli_dialect_describe(const lk_dialect *d, lk_buf *out);
/* --show-mapping's line about it: "dates: naive times read in ZONE
 * (SOURCE)\n", SOURCE "--tz", "fields.tz" or "default". */
void lk_cli_tz_describe(const lk_tz *tz, const char *source, lk_buf *out);
/* --now TIMESTAMP: epoch seconds, or exit 2. */
int64_t lk_cli_now(const char *arg);
/* A positive number option value (at most 1e15), or exit 2. */
double lk_cli_positive(const char *opt, const char *s);

/*
 * ---- the Hadoop Streaming line contract ----
 *
 * The same in every tool (see leadkit(7), SCALE-OUT).  A main adds
 * LK_CLI_SCALE_OPTS to its long options and LK_CLI_SCALE_HELP to its
 * --help, and hands getopt's codes it does not know to
 * lk_cli_scale_opt() (lk_cli_filter_opt does that); the values land in
 * lk_scale:
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

extern lk_scaleopt lk_scale;

/* getopt codes of the shared options (and of the filter's, filter.h). */
enum { LK_O_HEADER_FROM = 0x1000, LK_O_NOHDR_OUT, LK_O_PARTITION, LK_O_COUNTERS,
       LK_O_REJECTS, LK_O_MAX_REJECTS, LK_O_FLUSH, LK_O_VERSION, LK_O_NOW,
       LK_O_OUT_DELIM, LK_O_TZ };

/* One entry of a getopt_long table: an option with a value, or a flag. */
#define LK_CLI_ARG(name, code) { name, required_argument, NULL, code }
#define LK_CLI_FLAG(name, code) { name, no_argument, NULL, code }

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
int lk_cli_scale_opt(int c, const char *arg);

/* 0 when --partition may apply: `keyed`, the tool writes --emit-key
 * lines (only those can be partitioned); else 2 after the usage error. */
int lk_cli_scale_check(int keyed);

/* The --help lines of the input/output options every filter shares. */
#define LK_CLI_IO_HELP \
	"  -t, --tsv               tab-separated input and output\n" \
	"  -d, --delimiter CHAR    input delimiter (default: detected among , ; TAB |)\n" \
	"      --output-delimiter CHAR  output (and --rejects) delimiter (default ,)\n" \
	"  -o, --output FILE       write FILE atomically instead of stdout\n" \
	"      --flush             write each row as soon as it is done\n" \
	LK_CLI_SCALE_HELP \
	"  -h, --help              this help\n" \
	"      --version           version\n"

/*
 * ---- rejects ----
 *
 * The tally of rejected rows is the library's (lk_rejects, core/rejects.h);
 * these add what is said about it on stderr.  lk_cli_rejects_open opens
 * the tally with the file removed on an early exit.  lk_cli_reject counts
 * a row and, when no --rejects file keeps it, names the first ten such
 * rows on stderr.  lk_cli_rejects_done commits the file, prints the
 * summary (the count, then the count per reason class), frees the tally
 * and returns 1 when there were more than --max-rejects.  Each returns
 * -1 with e on a write error and leaves the message to the caller, who
 * names the file "--rejects"; lk_rejects_free drops a run that ended
 * early: the file removed, nothing printed.
 */
int lk_cli_rejects_open(lk_rejects *r, const char *path, long max, char delim, lk_err *e);
int lk_cli_reject(lk_rejects *r, const lk_row *row, const char *reason, lk_err *e);
int lk_cli_rejects_done(lk_rejects *r, long rows_in, lk_err *e);

/*
 * ---- files read whole, each with its own header ----
 *
 * For a tool that aggregates rather than filters (lead-report):
 * lk_cli_files_next reads names[0..n) ("-": stdin) one after the other
 * with `co` (its delimiter or detection, encoding, header_from and
 * no_header; the name is set per file; a detection that is not sure is
 * said on stderr) and gives each file's header row (2; an empty file has none
 * and adds nothing), then its rows (1); 0 after the last file.
 * Malformed rows go to the rejects instead (--rejects FILE,
 * --max-rejects N), which keep the first header row's names and open
 * when the caller comes back for the row after it (so that its errors
 * with that header come first).  With co.no_header there are no header
 * rows and no rejects: every row is given.  A file that cannot be
 * opened or read ends the run (exit 1).  `name` is the file now read;
 * `in` counts the rows given and rejected after a header.  The struct
 * must have static storage (the rejects file is removed at exit).
 * lk_cli_files_done ends the rejects as lk_cli_rejects_done does (0 when
 * they were never opened).
 */
typedef struct lk_cli_files {
	char *const *names;	/* set by the caller */
	int n;
	lk_csvopt co;
	const char *rejects;
	long max_rejects;
	const char *name;	/* kept by lk_cli_files_next */
	long in;
	lk_rejects rej;
	lk_reader *rd;
	int fd, next;
	const lk_row *hdr;	/* the header row just given */
	char **rej_names;	/* the rejects' header, copied */
} lk_cli_files;

int lk_cli_files_next(lk_cli_files *f, lk_row **row);
int lk_cli_files_done(lk_cli_files *f);

/* ---- programs: cmd/ runs them, the library never does ---- */

/* SVG of a DOT graph by Graphviz's dot, appended to `svg` (an
 * lk_report_svg_fn, for lead-report's process kind); -1 when dot cannot
 * run or draws nothing. */
int lk_cli_dot_svg(const lk_buf *dot, lk_buf *svg);

/* ---- counters and summaries on stderr ---- */

/* A Hadoop Streaming counter (--counters): reporter:counter:leadkit,NAME,N. */
void lk_cli_counter(int on, const char *name, long n);

/* The activities' summary after a run that read them: those after
 * --now, those for no lead, those rejected; and the counter
 * activities_future. */
void lk_cli_activity_summary(const lk_activities_stats *st, int counters);

/* What expression evaluation counted, as warnings. */
void lk_cli_expr_warn(const lk_exprenv *env);

#endif
