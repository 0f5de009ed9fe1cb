/*
 * filter.h - the filter driver of the per-lead tools.
 *
 * One stream loop for the per-lead tools, in the manner of Miller's
 * mappers: a tool is a table of callbacks (lk_filter_ops, static) and
 * its state; the driver owns the input, the header, the rejects, the
 * writer, the atomic output, the counters, flushing, committing and the
 * exit code.  A main parses its options into an lk_filter_opts, builds
 * its state and ends with `return lk_filter_run(&ops, &state, &opts);`.
 *
 * A run does, in this order (the order of side effects tests see):
 *
 *   1. with out_first: open the output and the rejects, then ops->start
 *   2. open the input (--header-from applies; keyed_in: a keyed join)
 *      and read its header, its delimiter detected unless given (a
 *      detection that is not sure is said on stderr); none: "NAME:
 *      empty input: no header row" (opts.empty), exit 1
 *   3. keep a copy of the header (lk_filter_input_header); open the
 *      rejects (--rejects FILE, unless done in 1, or left to bind by
 *      opts.late_rejects)
 *   4. ops->bind(the header row and its names): set up for these
 *      columns, load what the rows need (lk_filter_activities); open
 *      the rejects if they are not yet (bind may, lk_filter_rejects_open)
 *      and write their header
 *      (the input's, or what bind gave lk_filter_rejects_header)
 *      with opts.shapes, every further input's header to ops->shape
 *      (see lk_filter_inputs below), then the rejects' header
 *   5. read ahead opts.ahead rows, each shown to ops->ahead, across
 *      the inputs (a further input's header must equal the first's);
 *      then ops->settle, before any output is opened
 *   6. open the output (unless done in 1): -o FILE atomically or
 *      stdout; the delimiter; per-row flushing with --flush or on a
 *      terminal; keyed lines with keyed_out (then --partition applies,
 *      else it is a usage error)
 *   7. ops->header: the tool writes its header row with
 *      lk_filter_header (and may open side outputs, lk_filter_side)
 *   8. every row, the ones read ahead first, then the rest of each
 *      input in turn (a further input's header must equal the
 *      first's): counted as rows_in; a malformed row is rejected with
 *      its reason; the others go to ops->row, which writes with
 *      lk_filter_put (counted as rows_out) or rejects with
 *      lk_filter_reject
 *   9. ops->finish: the input is done; the tool may still write (a
 *      dedupe's held rows), or flush first (lk_filter_flush) to order
 *      its own commits after the output's bytes
 *  10. flush the output, then each side output; commit the output
 *      (not with abort_rejected when there were more rejects than
 *      --max-rejects: a failed run keeps the old file), then the side
 *      outputs
 *  11. what the expressions counted (lk_cli_expr_warn); ops->report:
 *      summaries and the tool's counters on stderr; then the counters
 *      rows_in, rows_out and rows_rejected, unless report put them out
 *      itself, in its order, with lk_filter_counters
 *  12. the rejects summary; the exit code: 0, or 1 when there were
 *      more rejects than --max-rejects, or when rows came in and every
 *      one was rejected ("PROG: all N rows rejected; first reason:
 *      WHY"): a run that put nothing out is a failed run
 *
 * Every callback may be NULL and gets the tool's state `st`, the
 * pointer given to lk_filter_run.  It returns
 * 0 to go on; -1 when it failed, having said so with lk_filter_fail or
 * lk_filter_stop (or through a driver call that failed: lk_filter_put,
 * ...), which ends the run with that exit code; or LK_FILTER_DONE to end the run
 * at once with exit 0 (lead-score --lint has printed what it was asked
 * for).  A run that ends early commits nothing: every output it opened
 * is removed.
 *
 * Ownership: the driver owns the lk_filter, the input and its rows
 * (the reader's rule: a row lives until the next one), the header copy
 * and the activity table (until the run ends), the writers and the
 * output files.  The tool owns its state, its ops and opts (which must
 * outlive the run) and what it builds for them.
 *
 * lead-ingest fits as follows: its files as opts.inputs (a further
 * file's header compared with the rejects header); with late_rejects,
 * bind makes the ingester, warns about the header, gives the mapped
 * names to lk_filter_rejects_header and opens the rejects
 * (lk_filter_rejects_open) before it sets up --dedupe or --emit-key;
 * opts.ahead with ops->ahead sniffing the date columns (0 with
 * --flush), ops->settle deciding their orders, and --show-mapping
 * printing from settle and returning LK_FILTER_DONE before any output
 * is opened; keyed_out for --emit-key, whose rows go out with
 * lk_filter_put_keyed; the dedupe drained in row and finish; opts.csv
 * for --encoding, --keyed and the UTF-8 check; abort_rejected; and
 * report adding rows_merged after lk_filter_counters.  Reading ahead
 * across the files, the rows of every file go out, however short the
 * first.  With --activities it is another set of callbacks on
 * opts.shapes: bind loads the --link files and maps the first file,
 * shape maps each further one, input switches files, settle prints
 * --show-mapping, report says how each file's rows add up.
 */
#ifndef LK_FILTER_H
#define LK_FILTER_H

#include <time.h>

#include "cli.h"
#include "score/leads.h"

typedef struct lk_filter lk_filter;

/* A callback's return that ends the run at once with exit 0. */
enum { LK_FILTER_DONE = 1 };

typedef struct lk_filter_ops {
	/* 1: the output is open (out_first), the input not yet. */
	int (*start)(void *st, lk_filter *f);
	/* 4: the input's header row (record 0) as read, valid during the
	 * call, and its n names (the copy, valid until the run ends). */
	int (*bind)(void *st, lk_filter *f, const lk_row *hdr, const char *const *names, int n);
	/* 5: a row read ahead (malformed ones too), before any output. */
	int (*ahead)(void *st, lk_filter *f, const lk_row *row);
	/* 5: the rows are read ahead (none with opts.ahead 0); the output
	 * is not open yet (unless out_first). */
	int (*settle)(void *st, lk_filter *f);
	/* 7: the output is open; write the header row. */
	int (*header)(void *st, lk_filter *f);
	/* 4, with opts.shapes: the header of each further input (idx 1,
	 * 2, ...; `name` as given), read before any output is opened. */
	int (*shape)(void *st, lk_filter *f, int idx, const char *name, const lk_row *hdr);
	/* 8, with opts.shapes: the rows of input idx (1, 2, ...) follow. */
	int (*input)(void *st, lk_filter *f, int idx);
	/* 8: one well-formed row. */
	int (*row)(void *st, lk_filter *f, lk_row *row);
	/* 9: the end of the input. */
	int (*finish)(void *st, lk_filter *f);
	/* 11: the outputs are committed. */
	void (*report)(void *st, lk_filter *f);
} lk_filter_ops;

typedef struct lk_filter_opts {
	/* Set by lk_cli_filter_opt from the shared options: */
	const char *model;	/* -m FILE, or NULL (lk_model_path decides) */
	lk_exprenv env;		/* env.now: --now, else the clock; for the
				 * rows' expressions (lk_filter_env) and for
				 * dating activities, with env.order, which the
				 * tool sets to the model's date order */
	const char *output;	/* -o FILE; NULL or "-": stdout */
	const char *rejects;	/* --rejects FILE, or NULL */
	long max_rejects;	/* --max-rejects N; -1: no limit */
	char delim;		/* the input's: -t, -d CHAR; 0: detected per
				 * input (lk_csvopt.detect) */
	char out_delim;		/* the output's, the rejects' and the side
				 * outputs': ',', -t, --output-delimiter CHAR */
	int flush;		/* --flush */
	/* Set by the tool: */
	const char *const *inputs; /* NULL-terminated names, "-" for stdin;
				 * NULL or empty: stdin */
	int no_input;		/* with out_first: there is no input at all */
	const char *name;	/* the first input's name in the empty-input
				 * message; NULL: as given */
	const char *empty;	/* that message, a format with one %s for the
				 * name; NULL: "%s: empty input: no header
				 * row", or with keyed_in "%s: no leads in the
				 * keyed input (no lead header line)" */
	int keyed_in;		/* the input is a keyed join (lk_leads) */
	lk_csvopt csv;		/* the reader's encoding and check_utf8; the
				 * driver sets delim, name and header_from */
	int keyed_out;		/* the output is keyed lines (--emit-key) */
	int out_first;		/* open the output before the input (step 1) */
	long ahead;		/* rows to read ahead (step 5) */
	int abort_rejected;	/* too many rejects: do not commit the output */
	int late_rejects;	/* open the rejects in or after bind, not before */
	int shapes;		/* the inputs may have different headers (see
				 * below); with opts.ahead 0 */
} lk_filter_opts;

/* Options with their defaults: now, the input's delimiter detected, a
 * comma out, no limit on rejects. */
#define LK_FILTER_OPTS_INIT { .env.now = (int64_t)time(NULL), .max_rejects = -1, .delim = 0, \
			      .out_delim = ',' }

/* Run the filter `ops` with the state `st`; returns the exit code (see
 * above). */
int lk_filter_run(const lk_filter_ops *ops, void *st, const lk_filter_opts *opts);

/* Write the output's header row (n names), unless --no-header-out; a
 * keyed output's header line has the empty key.  -1 on failure. */
int lk_filter_header(lk_filter *f, const char *const *names, int n);
/* Write one output row and count it; -1 on failure (the run ends). */
int lk_filter_put(lk_filter *f, const lk_row *out);
/* The same, the line starting with `key` (klen bytes, its TAB
 * included) as written raw (a keyed output). */
int lk_filter_put_keyed(lk_filter *f, const char *key, size_t klen, const lk_row *out);
/* Reject an input row with a reason (static text, or valid until the
 * next row); -1 when the rejects file cannot be written. */
int lk_filter_reject(lk_filter *f, const lk_row *row, const char *reason);
/* Write out what the output holds now; -1 on failure. */
int lk_filter_flush(lk_filter *f);
/* End the run with `e`, reported as lk_cli_fail(what, e) would (at
 * once, so messages keep their order); returns -1 for `return
 * lk_filter_fail(...)`. */
int lk_filter_fail(lk_filter *f, const char *what, const lk_err *e);
/* lk_filter_fail with "out of memory". */
int lk_filter_nomem(lk_filter *f);
/* End the run with exit code `status`, the reason already printed;
 * returns -1. */
int lk_filter_stop(lk_filter *f, int status);

/* The expressions' environment of the rows (a copy of opts.env whose
 * counters the run adds up). */
lk_exprenv *lk_filter_env(lk_filter *f);
/* The output's writer (for a tool that writes its own lines). */
lk_writer *lk_filter_writer(lk_filter *f);
/* The output's name in messages: the -o FILE, or "stdout". */
const char *lk_filter_out_name(const lk_filter *f);
/* How the input now read had its delimiter chosen (given, or detected:
 * lk_reader_dialect); NULL for a keyed input. */
const lk_dialect *lk_filter_dialect(const lk_filter *f);
/* The copy of the input header, *n names (valid until the run ends). */
const char *const *lk_filter_input_header(const lk_filter *f, int *n);
/* The input's leads and their activities (lk_leads_acts, lk_leads_stats). */
lk_leads *lk_filter_leads(lk_filter *f);
/* From bind: the rejects file's header instead of the input header
 * (names valid until the run ends). */
void lk_filter_rejects_header(lk_filter *f, const char *const *names, int n);
/* From bind: open the rejects now, unless they are open, and write
 * their header (as it stands then); -1 on failure (the run ends). */
int lk_filter_rejects_open(lk_filter *f);
/*
 * Inputs of different shapes (opts.shapes, lead-ingest --activities):
 * after bind, the driver reads the header of every further input (a
 * file: standard input can only be the first) and shows it to
 * ops->shape; no header is compared; ops->input says when an input's
 * rows begin.  The rejects' header is then the union of the inputs'
 * columns (a name once per file that has it, in the order first met)
 * and, with several inputs, `_file`: each rejected row is laid out
 * under it, empty where its file has no such column (the fields of a
 * row longer than its header follow, unnamed).  Rows are counted per
 * input as well as in all (lk_filter_input_rows).
 */
/* The inputs of the run, and one's name as given. */
int lk_filter_inputs(const lk_filter *f);
const char *lk_filter_input_name(const lk_filter *f, int idx);
/* Rows of input idx read, written (while it was read) and rejected. */
void lk_filter_input_rows(const lk_filter *f, int idx, long *in, long *out, long *rej);

/* Rows read (rows_in), written (rows_out) and rejected so far. */
long lk_filter_rows_in(const lk_filter *f);
long lk_filter_rows_out(const lk_filter *f);
long lk_filter_rows_rejected(const lk_filter *f);

/*
 * From start: another input read beside the driver's (lead-score
 * --emit-key keys the activities before the leads): `path` ("-": stdin)
 * as CSV with the run's delimiter, its header row in *hdr.  NULL when
 * it cannot be opened or read, or is empty (the run ends, said as for
 * the driver's input).  lk_filter_read gives its next row as
 * lk_reader_next does (-1: the run ends).  The driver frees it.
 */
lk_reader *lk_filter_open(lk_filter *f, const char *path, lk_row **hdr);
int lk_filter_read(lk_filter *f, lk_reader *rd, lk_row **row);

/*
 * From bind: load --activities FILE ("-": stdin) dated up to
 * opts.env.now in its order, bound to the input header and joined to
 * the leads (lk_leads_acts gives a row's); with `details`, keeping the
 * detail of the activities keep[0..nkeep) (lk_activities_load_details).
 * -1 on failure (the run ends).  The driver frees the table.
 */
int lk_filter_activities(lk_filter *f, const char *path, int details, const char *const *keep,
			 int nkeep);
/* From report: the activities' summary (lk_cli_activity_summary), when
 * the rows had activities (a table joined, or a keyed input). */
void lk_filter_activity_summary(lk_filter *f);

/*
 * From header: a second output (lead-score --ledger) at `path`, atomic
 * as the first, with the same delimiter, flushed per row with `flush`,
 * its header row names[0..n) written unless --no-header-out; flushed
 * after the output and committed after it, its errors named by `path`.
 * NULL on failure (the run ends; `what` names the option when the file
 * cannot be made).
 */
lk_writer *lk_filter_side(lk_filter *f, const char *path, const char *what,
			  const char *const *names, int n, int flush);

/* From report: the counters rows_in, rows_out and rows_rejected now,
 * rather than after report. */
void lk_filter_counters(lk_filter *f);

/*
 * The map side of the keyed join of leads and activities (lead-score
 * --emit-key, emit.c): the activities of `acts` (NULL: none) and then
 * the leads of o->inputs (none when there are activities and no
 * inputs) as KEY<TAB>ROW lines (activity.h), keyed by `first`.  Bad
 * leads are rejected as in the other modes; activities that cannot be
 * keyed are counted and summarised.  Returns the exit code.
 */
int lk_filter_emit(lk_filter_opts *o, const char *acts, lk_joinkey first);


/*
 * ---- the options of the filter driver ----
 *
 * A per-lead tool's long options hold { "model", ..., 'm' } and
 * { "now", ..., LK_O_NOW } where its --help lists them, and end with
 * LK_CLI_REJECT_OPTS (likewise) and LK_CLI_FILTER_OPTS (the rest of
 * LK_CLI_IO_HELP, and the table's end); its getopt loop hands every
 * code it does not know to lk_cli_filter_opt, which fills the shared
 * fields of an lk_filter_opts, prints --help (`usage`) and --version
 * (exit 0), and calls an unknown option a usage error.  The order of the
 * entries is the order getopt lists them in its own messages.
 */
#define LK_CLI_REJECT_OPTS \
	{ "rejects", required_argument, NULL, LK_O_REJECTS }, \
	{ "max-rejects", required_argument, NULL, LK_O_MAX_REJECTS }

#define LK_CLI_FILTER_OPTS \
	{ "tsv", no_argument, NULL, 't' }, { "delimiter", required_argument, NULL, 'd' }, \
	{ "output-delimiter", required_argument, NULL, LK_O_OUT_DELIM }, \
	{ "output", required_argument, NULL, 'o' }, { "flush", no_argument, NULL, LK_O_FLUSH }, \
	LK_CLI_SCALE_OPTS, { "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, LK_O_VERSION }, { NULL, 0, NULL, 0 }


void lk_cli_filter_opt(lk_filter_opts *o, int c, const char *arg, const char *usage);

#endif
