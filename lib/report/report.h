/*
 * report.h - lead-report's aggregates: funnel, velocity and plan
 * (mergeable), calibration and sla (report_cal.c, report_sla.c, whose
 * definitions open those files; they keep per-lead data and have no
 * partials).
 *
 * A report folds leads (rows of a lead file) into per-group counters,
 * then renders them as one table in CSV, TSV, JSON or an aligned text
 * table with bars.  Everything it keeps is a count, so the memory is
 * bounded by the number of groups (and, for velocity, distinct day
 * counts), never by the number of leads.
 *
 * Funnel.  For each group (the value of the --by column, or the month
 * of created_at for "month", or one group without --by):
 *   - leads: rows seen;
 *   - current[s]: leads whose stage column means stage s today
 *     (lk_model_stage); a blank stage and each value the model does not
 *     know are counted too, by value, so nothing is dropped;
 *   - reached[s] on the success path: leads that got at least as far as
 *     s.  A lead's furthest stage is the later of its current stage (when
 *     on the path) and every path stage whose `<id>_at` column is
 *     non-empty; it has reached that stage and every one before it, so
 *     the counts never grow down the path.  A detour is reached when the
 *     lead is in it now or its `<id>_at` column is non-empty.
 * Conversion of stage s is reached[s] / reached[s-1], cumulative is
 * reached[s] / reached[first]; both are percentages with two decimals,
 * rounded half up in integer arithmetic, empty when the base is 0.
 *
 * Velocity.  For each lead, the success-path stages whose `<id>_at`
 * column parses as a date, in path order; each consecutive pair (a, b)
 * contributes the number of calendar days (UTC) from a's date to b's.
 * Durations go into a day histogram per (group, a, b), so median, p90
 * (nearest rank), mean, min and max are exact and mergeable.  A negative
 * duration (b dated before a) is counted apart and left out of the
 * statistics.
 *
 * Partial aggregates.  lk_report_partial writes the counters as CSV
 * lines headed by a version line; lk_report_merge_row adds such lines
 * back.  Merging is exact integer addition, hence associative and
 * commutative, and a merged report renders byte for byte like a single
 * pass.  Output is sorted (groups by bytes, unknown stage values by
 * bytes, histograms by day), so neither input order nor splitting shows.
 *
 * Plan.  The funnel's counters, rendered backwards: the leads each
 * path stage needs for opt.revenue at opt.deal_size, each rate's Wilson
 * interval giving the range (see plan_rows in report.c).
 *
 * Ownership: a report copies what it keeps from rows (the reader's
 * rules); it keeps a pointer to the model, which must outlive it.
 */
#ifndef LK_REPORT_H
#define LK_REPORT_H

#include <stdint.h>

#include "core/buf.h"
#include "core/csvio.h"
#include "core/err.h"
#include "model/model.h"

typedef enum {
	LK_REPORT_FUNNEL,
	LK_REPORT_VELOCITY,
	LK_REPORT_CALIBRATION,
	LK_REPORT_SLA,
	LK_REPORT_PLAN,
	LK_REPORT_TIMELINE,
	LK_REPORT_PROCESS	/* the model itself: lk_report_process_* */
} lk_report_kind;

typedef enum {
	LK_FMT_CSV,
	LK_FMT_TSV,
	LK_FMT_TABLE,
	LK_FMT_JSON,
	LK_FMT_SVG,		/* funnel and plan: a chart */
	LK_FMT_HTML,		/* one self-contained page: chart and tables */
	LK_FMT_DOT,		/* process: the flow chart's Graphviz source */
	LK_FMT_MD		/* process: the document in Markdown */
} lk_report_fmt;

/* The version written in, and required of, partial aggregates. */
#define LK_REPORT_PARTIAL_VERSION 1

/* Counters of what a report could not use, for messages on stderr. */
typedef struct lk_report_stats {
	long rows;		/* lead rows added */
	long bad_dates;		/* non-empty <stage>_at values that are no date */
	long bad_months;	/* --by month: created_at empty or no date */
	long unknown;		/* leads whose stage value the model does not know */
	long bad_scores;	/* calibration: score empty or no number */
	long open;		/* calibration: no outcome yet (left out) */
	long bad_outcomes;	/* calibration: outcome value not understood */
	long no_sla;		/* sla: sales leads without a sla_due_at date */
	long bad_times;		/* sla, timeline: times that are no date */
	long hist_unknown;	/* history rows with a stage the model lacks */
	long neg_response;	/* sla: first_touch_at before assigned_at */
} lk_report_stats;

/*
 * Options of the kinds beyond funnel and velocity.  Strings and arrays
 * are borrowed and must outlive the report.
 */
typedef struct lk_report_opt {
	const char *by;		/* --by column (funnel, velocity) */
	const char *outcome;	/* calibration: outcome column; NULL: stages */
	const char *value;	/* calibration: deal value column, or NULL */
	const double *bands;	/* calibration: ascending cut points ... */
	int nbands;		/* ... 0: every 10 points over the data */
	const char *touch;	/* sla: activities that count as a touch
				 * (comma list); NULL: every activity */
	double revenue;		/* plan: revenue to reach */
	double deal_size;	/* plan: revenue per won deal */
	const char *lead;	/* timeline: only this lead, or NULL */
	int64_t now;		/* sla: overdue is judged at this time */
	int no_header;		/* csv and tsv rendered without their header
				 * line (--no-header-out) */
	const char *encoding;	/* the side files' (--activities, --history)
				 * encoding, as lk_csvopt.encoding */
	int detect;		/* their delimiter, when the load is given 0:
				 * judged on this many rows (lk_csvopt.detect) */
} lk_report_opt;

typedef struct lk_report lk_report;

/* Parse a report kind ("funnel", "velocity", "calibration", "sla",
 * "plan", "timeline", "process"); -1 when unknown. */
int lk_report_kind_parse(const char *s, lk_report_kind *kind);
/* Parse a format name ("csv", "tsv", "table", "json", "svg", "html",
 * "dot", "md"); -1 when unknown. */
int lk_report_fmt_parse(const char *s, lk_report_fmt *fmt);

/*
 * A new, empty report of `kind` over the stages of `m`, grouped by the
 * column `by` (NULL: one group; "month": created_at's YYYY-MM unless the
 * header has a column named month).  NULL on ENOMEM.
 */
lk_report *lk_report_new(const lk_model *m, lk_report_kind kind, const char *by, lk_err *err);
/* The same with every option; `o` is copied, its strings borrowed. */
lk_report *lk_report_new_opt(const lk_model *m, lk_report_kind kind, const lk_report_opt *o,
			     lk_err *err);
/*
 * What a run gives a report besides its kind, as bits: each kind says
 * in the kinds table (report.c) which of them it takes, and which it
 * needs; lk_report_check holds a run against it.
 */
enum {
	LK_ROPT_PARTIAL = 1 << 0,	/* --partial: write a partial aggregate */
	LK_ROPT_MERGE = 1 << 1,		/* --merge: read partial aggregates */
	LK_ROPT_BY = 1 << 2,		/* --by: groups */
	LK_ROPT_HISTORY = 1 << 3,	/* --history: a stage history */
	LK_ROPT_ACTIVITIES = 1 << 4,	/* --activities */
	LK_ROPT_NO_HEADER_OUT = 1 << 5,	/* --no-header-out: one table, its header left out */
	LK_ROPT_FILES = 1 << 6,		/* lead files named */
	LK_ROPT_TARGET = 1 << 7		/* --revenue and --deal-size both */
};

/* 1 when the kind takes every option of `opt` (LK_ROPT_ bits). */
int lk_report_takes(lk_report_kind kind, unsigned opt);
/* 1 when the kind reads an activity file (sla, timeline). */
int lk_report_takes_activities(lk_report_kind kind);
/* 1 when the kind has partial aggregates (funnel, velocity, plan). */
int lk_report_mergeable(lk_report_kind kind);
/*
 * Check the options `given` (LK_ROPT_ bits) against what the kind takes
 * and needs, in a fixed order, the first misfit an LK_EUSAGE error
 * whose message names the option and the kinds that take it.  Lead
 * files given to process are not checked here (see lead-report).
 */
int lk_report_check(lk_report_kind kind, unsigned given, lk_err *err);
/* --bands LIST: ascending numbers separated by commas, at most `max`,
 * into v; their count, or -1 with LK_EUSAGE. */
int lk_report_bands_parse(const char *s, double *v, int max, lk_err *err);
/*
 * Activities (sla, timeline), before any lead: resolve the activity
 * file's header (lead_id or email, activity, occurred_at, optional
 * detail), then add its rows.  -1 with LK_EUSAGE when a column lacks,
 * LK_ENOMEM otherwise.
 */
int lk_report_bind_activities(lk_report *r, const char *const *names, int n, lk_err *err);
int lk_report_add_activity(lk_report *r, const lk_row *row, lk_err *err);
/* Read a whole activity file from `fd` (`name` for messages, `delim`
 * its delimiter): bind its header, add its well-formed rows.  -1 with
 * the reader's error, or the binding's with err->file set to `name`. */
int lk_report_load_activities(lk_report *r, int fd, const char *name, char delim, lk_err *err);

/*
 * A stage history (--history: lead_id or email, stage, changed_at, like
 * Salesforce's OpportunityHistory), before any lead: funnel, velocity,
 * plan and timeline.  Per lead, the earliest change to each stage stands
 * in for a missing <stage>_at column, and the latest change for a
 * missing stage column.  Changes after opt.now are left out; bad dates
 * count in bad_dates, unknown stages in hist_unknown (and the latest
 * one shows as the lead's current value).  Lead rows join on the
 * history's key column (-1 with LK_EUSAGE in lk_report_bind when the
 * leads lack it).
 */
int lk_report_bind_history(lk_report *r, const char *const *names, int n, lk_err *err);
int lk_report_add_history(lk_report *r, const lk_row *row, lk_err *err);
/* Read a whole stage history from `fd`, as lk_report_load_activities. */
int lk_report_load_history(lk_report *r, int fd, const char *name, char delim, lk_err *err);
/* With no lead file: fold each lead of the history in as a lead (one
 * group).  0, or -1 on ENOMEM. */
int lk_report_add_history_leads(lk_report *r, lk_err *err);
void lk_report_free(lk_report *r);

/*
 * Resolve columns against a header (once per input file): the stage
 * column ("stage"), the `<id>_at` columns (any case) and the --by column.
 * -1 with an LK_EUSAGE error when --by names no column, or when the
 * header has neither a stage column nor any `<id>_at` column (funnel) or
 * no `<id>_at` column (velocity).
 */
int lk_report_bind(lk_report *r, const char *const *names, int n, lk_err *err);

/* Fold one lead row in (after lk_report_bind).  -1 only on ENOMEM. */
int lk_report_add(lk_report *r, const lk_row *row, lk_err *err);

/* Write the partial aggregate (see above) to `out`.  -1 on ENOMEM. */
int lk_report_partial(const lk_report *r, lk_buf *out, lk_err *err);

/*
 * Add one line of a partial aggregate, as read by a reader without a
 * header.  Partials may be concatenated: each starts with its version
 * line, which also checks the kind, the --by column and the model's
 * stages.  -1 with an LK_EDATA error on anything else.  A report made
 * with by == NULL takes the --by column of the first partial.
 */
int lk_report_merge_row(lk_report *r, const lk_row *row, lk_err *err);

/* Render the report in `fmt` to `out` (csv and tsv without their first
 * line, the header, with opt.no_header).  -1 on ENOMEM, or with
 * LK_EUSAGE for svg from a kind without a chart, or dot and md (the
 * process kind's, rendered by lk_report_process_*). */
int lk_report_render(const lk_report *r, lk_report_fmt fmt, lk_buf *out, lk_err *err);

const lk_report_stats *lk_report_stats_get(const lk_report *r);

/*
 * What the report could not use, for the user: one message per counter
 * of lk_report_stats that is not 0 (rows aside), "3 leads with a stage
 * the model does not know (rows of kind unknown)" and the like, in a
 * fixed order.  Appended to `out`, each ended by a NUL byte; -1 on
 * ENOMEM.
 */
int lk_report_notes(const lk_report *r, lk_buf *out);

/*
 * The process kind: the model rendered as the process document
 * (Markdown: definitions, stakeholders, service levels, stages, scoring,
 * routing, nurture, and the flow chart in a ```dot block), or the flow
 * chart alone as a Graphviz DOT graph.  Appended to `out`; -1 with err
 * when the model's node budget runs out, or on ENOMEM.
 */
int lk_report_process_doc(const lk_model *m, lk_buf *out, lk_err *err);
int lk_report_process_dot(const lk_model *m, lk_buf *out, lk_err *err);

/*
 * Draw a DOT graph as SVG, appending it to `svg`; -1 when it cannot.
 * The tool supplies it (lead-report runs Graphviz's dot): the library
 * runs no programs, and its tests need no Graphviz.
 */
typedef int (*lk_report_svg_fn)(const lk_buf *dot, lk_buf *svg);

/*
 * The process kind in `fmt`, appended to `out`: md (the document), dot
 * (the flow chart's source), svg (the chart, drawn by `to_svg`) or html
 * (one page, as the other kinds' pages: the chart inline when `to_svg`
 * drew one, then the document).  -1 with LK_EUSAGE for another format,
 * LK_EIO when svg is asked for and `to_svg` (which may be NULL) cannot
 * draw it, or the errors of lk_report_process_doc and _dot.
 */
int lk_report_process(const lk_model *m, lk_report_fmt fmt, lk_report_svg_fn to_svg,
		      lk_buf *out, lk_err *err);

#endif
