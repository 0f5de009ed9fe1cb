/*
 * history.h - opportunity, deal and stage-history exports in, the
 * canonical stage history out; and leads' stages brought up to date
 * by their deals.
 *
 * lk_histingest (lead-ingest --history) reads any export lk_histmap
 * knows (model/histmap.h: Salesforce OpportunityHistory, HubSpot deals
 * with "Date entered <stage>" columns, Zoho potentials, Pipedrive deals
 * and deal updates, one-row-per-deal files such as the Olist closed
 * deals) and writes the canonical history lead-report --history reads:
 *
 *   lead_id and/or email (the ones the export has), stage, changed_at,
 *   then amount, currency and deal_id when the export has them
 *
 * one row per stage change (a HubSpot deal row gives one per stage
 * date).  Stages are the model's ids; dates are ISO 8601 UTC, an
 * all-numeric date read day- or month-first per input column as the
 * column's own values settle it (lk_histingest_sniff, then
 * lk_histingest_settle; a forced order wins); emails are normalised.
 * Other columns are left out.  A row is rejected with a reason: no
 * lead, a stage the model does not know (with the closest ids), a date
 * that does not parse.
 *
 * lk_stagesync (lead-ingest --stages-from) holds the deals of one or
 * more histories, by lead, and brings each lead's stage up to date:
 *
 *   won    a deal whose latest change is the won stage (the last of the
 *          success path): the lead is won;
 *   open   else, a deal whose latest change is a path stage at or after
 *          opportunity: the lead is at the furthest such stage;
 *   lost   else, when every deal's latest change is lost: the lead is
 *          lost, unless its updated_at is later than the last loss
 *          (it has moved on since).
 *
 * A lead is never moved backwards along the path (an open deal does
 * not undo won), and lost never replaces won.  Changes after `now` are
 * not used.  A lead whose stage changes gets updated_at = the change's
 * time when that is later, and stage_from = "history" (a column added
 * after the lead's columns, or updated in place); the others get
 * stage_from empty.  Deals are matched by lead_id, else by email.  The
 * table is in memory: one entry per lead with a deal.
 *
 * Ownership: rows returned point into the object's buffers or into the
 * input row (the reader's rule), valid until the next call.
 */
#ifndef LK_INGEST_HISTORY_H
#define LK_INGEST_HISTORY_H

#include "core/buf.h"
#include "core/csvio.h"
#include "core/err.h"
#include "model/histmap.h"
#include "model/model.h"

typedef struct lk_histingest lk_histingest;

/* From the export's header row; `order` forces the order of
 * all-numeric dates (LK_DATE_AUTO: settled per column, else the
 * model's); `opt` (may be NULL) carries the link plan's hook
 * (lk_histmap_opt.link) that resolves rows naming only a CRM contact.
 * NULL with lk_histmap_new's error. */
lk_histingest *lk_histingest_new(const lk_model *m, lk_date_order order, const lk_row *header,
				 const lk_histmap_opt *opt, lk_err *err);
void lk_histingest_free(lk_histingest *h);
const lk_histmap *lk_histingest_map(const lk_histingest *h);
/* The output header: names and count, owned by h. */
void lk_histingest_header(const lk_histingest *h, const char *const **names, int *n);
/* Look at a row before any goes out (to settle the date orders). */
void lk_histingest_sniff(lk_histingest *h, const lk_row *row);
/* Decide each date column's order; one line per decision into `notes`
 * (may be NULL). */
void lk_histingest_settle(lk_histingest *h, lk_buf *notes);
/* --show-mapping's page: the mapping, then the `notes` of settle. */
int lk_histingest_describe(const lk_histingest *h, const lk_buf *notes, lk_buf *out);
/*
 * One input row: the number of history rows it gives (then read them
 * with lk_histingest_next), or 0 when it is rejected, with *reason
 * (valid until the next call).
 */
int lk_histingest_row(lk_histingest *h, const lk_row *in, const char **reason);
/* The next history row of the last input row: 1 with *out, 0 when done. */
int lk_histingest_next(lk_histingest *h, lk_row **out);
/* Input rows taken, and history rows made of them. */
long lk_histingest_rows_taken(const lk_histingest *h);
long lk_histingest_changes(const lk_histingest *h);

/* ---- leads brought up to date ---- */

typedef struct lk_stagesync lk_stagesync;

typedef struct lk_stagesync_stats {
	long won, open, lost;	/* leads whose stage was changed, by why */
	long deals;		/* deals read from the histories */
	long rows, rejected;	/* history rows read, and not usable */
	long later;		/* changes after `now`, not used */
} lk_stagesync_stats;

/* An empty table; changes after `now` (epoch seconds) are not used. */
lk_stagesync *lk_stagesync_new(const lk_model *m, int64_t now);
void lk_stagesync_free(lk_stagesync *s);
/*
 * Read a whole history or deals export from `fd` (`name` in messages,
 * `delim` its delimiter, `order` as lk_histingest_new) into the table.
 * Rows it cannot use are counted as rejected (the first reason kept,
 * lk_stagesync_first_reject).  -1 with err: the header maps to no
 * history (err->file is `name`), a read error, ENOMEM.
 */
int lk_stagesync_load(lk_stagesync *s, int fd, const char *name, char delim,
		      lk_date_order order, lk_err *err);
/* "NAME: record R (line L): reason" of the first row not used, or NULL. */
const char *lk_stagesync_first_reject(const lk_stagesync *s);
/*
 * The lead header the rows will have (the names lead-ingest writes):
 * finds lead_id, email, stage and updated_at.  -1 with LK_EUSAGE when
 * it has no stage column or neither lead_id nor email.
 */
int lk_stagesync_bind(lk_stagesync *s, const char *const *names, int n, lk_err *err);
/* The output header: the lead's names and stage_from (unless it has one). */
void lk_stagesync_header(const lk_stagesync *s, const char *const **names, int *n);
/* The lead row, its stage brought up to date: a row owned by s, whose
 * unchanged fields point into `lead`. -1 on ENOMEM. */
int lk_stagesync_apply(lk_stagesync *s, const lk_row *lead, lk_row **out);
const lk_stagesync_stats *lk_stagesync_stats_get(const lk_stagesync *s);

#endif
