/*
 * due.h - the send list (lead-nurture --due): one row per lead whose
 * next touch is due, for the system that sends the touches.
 *
 *   lead_id,email,track,step,offer,content,channel,send_at
 *   L-1,ann@acme.com,awareness,2,webinar,web-2,email,2026-11-20T14:00:00Z
 *
 * lead_id and email are the lead's own (empty when the input has no such
 * column); track, step, offer, content and channel are those of the
 * touch lk_nurture_row just scheduled; send_at is its due time
 * (next_touch_at) as a full ISO 8601 UTC timestamp.
 *
 * Consent is checked here again, on the lead's own row, whatever the
 * tracks decided: a touch whose channel the row's email_opt_out,
 * email_bounced (any channel but a call) or do_not_call (a call)
 * forbids, or may forbid (a value not understood), is never listed
 * (lk_due_allowed).  lk_nurture_row exits such leads first, so this
 * holds back nothing unless a rule somewhere is wrong.
 *
 * Ownership: an lk_due is a plain struct the caller owns (no allocation,
 * nothing to free).  The row lk_due_row returns lives in it until the
 * next call; lead_id and email point into the input row, the rest into
 * the lk_due and the nurture object, which must outlive it.
 */
#ifndef LK_DUE_H
#define LK_DUE_H

#include <stddef.h>

#include "core/csvio.h"
#include "nurture/nurture.h"

enum { LK_DUE_NCOLS = 8 };

/* The send list's header, in order. */
extern const char *const lk_due_columns[LK_DUE_NCOLS];

typedef struct lk_due {
	const lk_nurture *nu;	/* the tracks the touches come from */
	int id_col, email_col;	/* lead_id and email in the input, -1: absent */
	int opt_col, bounced_col, dnc_col;	/* the consent columns, -1: absent */
	char step[16];		/* the step number as text */
	char send_at[40];	/* the due time as text */
	char *f[LK_DUE_NCOLS];	/* the row's fields */
	size_t len[LK_DUE_NCOLS];
	lk_row row;
} lk_due;

/* Start a send list for leads with the input header cols[0..n). */
void lk_due_init(lk_due *d, const lk_nurture *nu, const char *const *cols, int n);

/* 1 when the lead's consent columns allow the touch lk_nurture_row
 * just scheduled for it (its channel: lk_nurture_next), else 0. */
int lk_due_allowed(const lk_due *d, const lk_row *in);

/* The send-list row of `in`, which lk_nurture_row just moved on with
 * the result `res` (whose `due` is set). */
const lk_row *lk_due_row(lk_due *d, const lk_row *in, const lk_nurture_result *res);

#endif
