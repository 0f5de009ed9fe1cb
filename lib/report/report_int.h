/*
 * report_int.h - what the report kinds share inside liblead (not for
 * tools): the rendered table, the html page, and the interface of a kind
 * kept in its own file (report_cal.c, report_sla.c, report_timeline.c).
 *
 * A table (lk_tab) owns copies of its cells; its column names and title
 * are borrowed and must outlive it (string literals or model strings).
 * A kind object is made by `create`, owns everything it keeps from rows
 * (it copies fields, the reader's rules) and is freed by `destroy`.
 */
#ifndef LK_REPORT_INT_H
#define LK_REPORT_INT_H

#include <stdint.h>

#include "report/report.h"

#define LK_TAB_MAXCOL 16

/* Column types: 's' text, 'i' integer, 'n' decimal number. */
typedef struct lk_tab {
	const char *title;	/* section name (multi-table output), or NULL */
	int ncol;
	const char *name[LK_TAB_MAXCOL];
	char type[LK_TAB_MAXCOL];
	int barcol;		/* integer column drawn as a bar in table format, -1 */
	/* The svg chart (and html's): bars of chart_value labelled by
	 * chart_label, with chart_note's text, a section per chart_group
	 * value, rows where chart_filter equals chart_filter_value; no chart
	 * when chart_value is 0 (-1 for the optional columns). */
	int chart_group, chart_label, chart_value, chart_note, chart_filter;
	const char *chart_filter_value;
	char **cell;		/* rows * ncol, owned */
	size_t ncell, cap;
	int fail;		/* set on ENOMEM; the table is then incomplete */
} lk_tab;

void lk_tab_init(lk_tab *t, const char *title);
void lk_tab_col(lk_tab *t, const char *name, char type);
void lk_tab_add(lk_tab *t, const char *s, size_t len);
void lk_tab_adds(lk_tab *t, const char *s);
void lk_tab_int(lk_tab *t, int64_t n);
/* n / d as a percentage with two decimals, half up; "" when d is 0. */
void lk_tab_pct(lk_tab *t, int64_t n, int64_t d);
/* A double with `dec` decimals ("" for NaN). */
void lk_tab_num(lk_tab *t, double v, int dec);
void lk_tab_free(lk_tab *t);
/*
 * Render n tables.  html: one self-contained page (no scripts, no
 * network) with the first table's chart as inline SVG and every table.
 * svg: the first table's chart.  One table renders alone (JSON: an array of
 * objects).  Several: CSV/TSV blocks separated by one blank line, each
 * with its header (Miller's csvlite reads them); table format puts each
 * title above its table; JSON is one object of arrays keyed by title.
 * -1 on ENOMEM (any table's fail flag, or the buffer).
 */
int lk_tabs_render(lk_tab *const *t, int n, lk_report_fmt fmt, lk_buf *out, lk_err *err);

/*
 * The one html page every report is written as (no scripts, no
 * network): the head, whose <title> is "lead-report: TITLE" and whose
 * style is the body's and then `style`, up to the <h1>, "lead-report"
 * and ": HEADING" when `heading` is not NULL; then the caller's body,
 * then the foot.  TITLE and HEADING are escaped.
 */
void lk_page_head(lk_buf *out, const char *title, const char *style, const char *heading);
void lk_page_foot(lk_buf *out);

/* The interface of a report kind kept outside report.c. */
typedef struct lk_report_ops {
	void *(*create)(const lk_model *m, const lk_report_opt *o, lk_report_stats *st,
			lk_err *err);
	/* Resolve the lead file's header; -1 with LK_EUSAGE. */
	int (*bind)(void *x, const char *const *names, int n, lk_err *err);
	int (*add)(void *x, const lk_row *row, lk_err *err);
	/* Activities (NULL when the kind takes none). */
	int (*bind_act)(void *x, const char *const *names, int n, lk_err *err);
	int (*add_act)(void *x, const lk_row *row, lk_err *err);
	/* Stage history (NULL when the kind keeps it in report.c). */
	int (*bind_hist)(void *x, const char *const *names, int n, lk_err *err);
	int (*add_hist)(void *x, const lk_row *row, lk_err *err);
	int (*render)(void *x, lk_report_fmt fmt, lk_buf *out, lk_err *err);
	void (*destroy)(void *x);
} lk_report_ops;

extern const lk_report_ops lk_report_cal_ops, lk_report_sla_ops, lk_report_timeline_ops;

/* Shared helpers. */
int lk_report_nomem(lk_err *err);
/* The options the report was made with. */
const lk_report_opt *lk_report_opts(const lk_report *r);
/* Column index by exact name, else case-insensitive; -1. */
int lk_report_col(const char *const *names, int n, const char *name);
/* 1 when the field exists and is not blank (spaces and tabs). */
int lk_report_field_ok(const lk_row *row, int col);
/* The field parsed as a date (model's date order) into *secs; -1. */
int lk_report_time(const lk_model *m, const lk_row *row, int col, int64_t *secs);
/* The model a report was made with (report_load maps a history by it). */
const lk_model *lk_report_model(const lk_report *r);
/* The history file's columns: lead_id, stage, changed_at (any case;
 * lead_id may be email).  -1 with LK_EUSAGE naming what lacks. */
int lk_report_hist_cols(const char *const *names, int n, int col[3], lk_err *err);
/* A lead's key in a row: lead_id when not blank, else email (either
 * column may be -1).  1 with *k and *len set, 0 when both are blank. */
int lk_report_key(const lk_row *row, int id_col, int email_col, const char **k, size_t *len);
/* Byte order of two strings with lengths. */
int lk_report_cmp(const char *a, size_t al, const char *b, size_t bl);

#endif
