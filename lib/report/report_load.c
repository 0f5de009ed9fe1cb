/*
 * report_load.c - the side files of a report, read whole: an activity
 * file (sla, timeline) or a stage history (--history).  See report.h.
 *
 * A history may be any export model/histmap.h reads (a Salesforce
 * OpportunityHistory, HubSpot deals with "Date entered <stage>"
 * columns, Zoho or Pipedrive deals, the canonical lead_id, stage,
 * changed_at): each row's stage changes reach the report as rows of
 * the canonical three columns, the stage as written and the date as
 * written (the report reads both as it reads a canonical history).
 */
#include <stdio.h>

#include "model/histmap.h"
#include "report/report_int.h"

/* The canonical row of one change: the lead, the stage, the date. */
struct hrow {
	lk_row row;
	char *f[3];
	size_t len[3];
};

static void hset(struct hrow *h, const lk_row *in, const char *k, size_t kl, const char *s,
		 size_t sl, const char *at, size_t al)
{
	h->row.n = 3;
	h->row.f = h->f;
	h->row.len = h->len;
	h->row.record = in->record;
	h->row.line = in->line;
	h->row.nlines = in->nlines;
	h->row.bad = NULL;
	h->f[0] = (char *)k, h->len[0] = kl;
	h->f[1] = (char *)s, h->len[1] = sl;
	h->f[2] = (char *)at, h->len[2] = al;
}

/* Bind the history's header through its mapping; *hm is the mapping. */
static int bind_history(lk_report *r, const lk_row *hdr, lk_histmap **hm, int *by_email,
			lk_err *err)
{
	static const lk_histmap_opt opt = { .keep_unknown = 1 };
	const char *names[3] = { "lead_id", "stage", "changed_at" };

	if (!(*hm = lk_histmap_new(lk_report_model(r), hdr, &opt, err)))
		return -1;
	*by_email = lk_histmap_col(*hm, LK_H_LEAD_ID) < 0;
	if (*by_email)
		names[0] = "email";
	return lk_report_bind_history(r, names, 3, err);
}

/* One history row: its changes, or, when the mapping cannot read it
 * (no lead, no stage, no date), the row's own columns, which the report
 * counts as it always has (a bad date, a blank change). */
static int add_history(lk_report *r, lk_histmap *hm, int by_email, const lk_row *row,
		       lk_err *err)
{
	const lk_histev *ev;
	const char *why;
	struct hrow h;
	int n = lk_histmap_row(hm, row, &ev, &why), i;

	for (i = 0; i < n; i++) {
		hset(&h, row, by_email ? ev[i].email : ev[i].lead_id,
		     by_email ? ev[i].email_len : ev[i].lead_id_len, ev[i].stage_text,
		     ev[i].stage_len, ev[i].at, ev[i].at_len);
		if (lk_report_add_history(r, &h.row, err) < 0)
			return -1;
	}
	if (!n) {
		size_t kl, sl, al;
		const char *k = lk_row_field(row, lk_histmap_col(hm, by_email ? LK_H_EMAIL
									   : LK_H_LEAD_ID), &kl);
		const char *s = lk_row_field(row, lk_histmap_col(hm, LK_H_STAGE), &sl);
		int dc = lk_histmap_col(hm, LK_H_CHANGED_AT);
		const char *at = lk_row_field(row, dc >= 0 ? dc : lk_histmap_col(hm, LK_H_CREATED_AT),
					      &al);
		hset(&h, row, k, kl, s, sl, at, al);
		return lk_report_add_history(r, &h.row, err);
	}
	return 0;
}

static int load(lk_report *r, int fd, const char *name, char delim, int hist, lk_err *err)
{
	lk_csvopt co = { 0 };
	lk_histmap *hm = NULL;
	lk_reader *rd;
	lk_row *row;
	int c, by_email = 0;

	co.delim = delim;
	co.detect = delim ? 0 : lk_report_opts(r)->detect;
	co.encoding = lk_report_opts(r)->encoding;
	co.check_utf8 = 1;
	co.name = name;
	rd = lk_reader_new(fd, &co, err);
	if (!rd)
		return -1;
	c = lk_reader_next(rd, &row, err);
	if (c > 0 && (hist ? bind_history(r, row, &hm, &by_email, err)
			   : lk_report_bind_activities(r, (const char *const *)row->f, row->n,
						       err)) < 0) {
		/* The header does not fit: the message names the file. */
		snprintf(err->file, sizeof err->file, "%s", name);
		c = -1;
	}
	while (c > 0 && (c = lk_reader_next(rd, &row, err)) > 0)
		if (!row->bad && (hist ? add_history(r, hm, by_email, row, err)
				       : lk_report_add_activity(r, row, err)) < 0)
			c = -1;
	lk_histmap_free(hm);
	lk_reader_free(rd);
	return c < 0 ? -1 : 0;
}

int lk_report_load_activities(lk_report *r, int fd, const char *name, char delim, lk_err *err)
{
	return load(r, fd, name, delim, 0, err);
}

int lk_report_load_history(lk_report *r, int fd, const char *name, char delim, lk_err *err)
{
	return load(r, fd, name, delim, 1, err);
}
