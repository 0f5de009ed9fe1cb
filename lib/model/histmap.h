/*
 * histmap.h - which columns of an opportunity, deal or stage-history
 * export say whose stage changed, to what, and when.
 *
 * A stage history (lead-ingest --history, lead-report --history,
 * lead-ingest --stages-from) is a list of changes: a lead (lead_id or
 * email), the stage it reached, the time (changed_at), and where known
 * the deal's amount, currency and id.  CRMs export it in three shapes,
 * all read here, one input row giving one or several changes:
 *
 *   changes   one row per stage change: Salesforce OpportunityHistory
 *             (OpportunityId, StageName, FromOpportunityStageName,
 *             CreatedDate; report labels "Stage", "From Stage", "Last
 *             Modified"), Pipedrive deal updates, our own canonical
 *             history.  The change is at changed_at, else created_at.
 *   entered   one row per deal with one date column per stage (HubSpot
 *             "Date entered <stage> (Sales Pipeline)", the API's
 *             hs_date_entered_<stage>): each such date is one change,
 *             and the current stage one more when no date gives it and
 *             the model knows it (dated as a deal's, below).  A row with
 *             none of the dates is read as a deal.
 *   deals     one row per deal with its current stage (Zoho potentials,
 *             Pipedrive deals, HubSpot deals without the stage dates,
 *             the Olist closed deals, whose won_date alone says "won"):
 *             one change, dated by the won or lost time for a won or
 *             lost deal, else its close date, else changed_at, else
 *             created_at.  A status column (Pipedrive's "Deal - Status")
 *             saying won or lost outranks the pipeline stage.
 *
 * Header names are compared as lk_loose_key makes them; a prefix
 * "deal", "opportunity" or "potential" is tried away ("Deal - Stage" is
 * stage).  Precedence: the canonical names, then the model's
 * fields.aliases (for lead_id, email and stage, and for changed_at,
 * amount, currency and deal_id once the model takes aliases of those),
 * then the synonyms; the leftmost column wins a role.  Stage values go through the model's
 * stage aliases (lk_model_stage); one that is no stage is rejected
 * with a reason naming the closest stage ids, never guessed (unless
 * keep_unknown, for lead-report, which counts them itself).
 *
 * The lead: a column mapped to lead_id or email.  When the rows name
 * only a CRM contact or person id (CONTACTID, WhoId, "Person ID") or a
 * deal, the mapping fails saying so.  Linking such ids to leads belongs
 * to a link plan (lead-ingest --link); lk_histmap_opt.link is the hook
 * where one resolves the lead of such a row.
 *
 * This module lives in model/ because lib/ingest and lib/report both
 * read histories and a process folder never includes another.
 *
 * Ownership: an lk_histmap copies what it keeps of the header; the
 * changes lk_histmap_row returns point into the input row (the reader's
 * rule) or into the map's buffers, and are valid until the next call.
 */
#ifndef LK_HISTMAP_H
#define LK_HISTMAP_H

#include "core/buf.h"
#include "core/csvio.h"
#include "core/err.h"
#include "model/model.h"

/* The roles a history column can play. */
enum {
	LK_H_LEAD_ID, LK_H_EMAIL, LK_H_STAGE, LK_H_CHANGED_AT, LK_H_AMOUNT, LK_H_CURRENCY,
	LK_H_DEAL_ID, LK_H_FROM_STAGE, LK_H_STATUS, LK_H_CREATED_AT, LK_H_CLOSE_DATE,
	LK_H_WON_AT, LK_H_LOST_AT, LK_H_CONTACT, LK_NHROLE
};
/* Their names in --show-mapping ("lead_id", ..., "contact_id"). */
extern const char *const lk_hrole[LK_NHROLE];

typedef enum { LK_HSHAPE_CHANGES, LK_HSHAPE_ENTERED, LK_HSHAPE_DEALS } lk_hshape;

/*
 * The hook where a link plan resolves the lead of a row that names only
 * a CRM contact, person or deal (its whole `row`, and `id`, `len` bytes:
 * the value of the column mapped to contact_id, which may be empty when
 * the plan knows other reference columns): 1 with the lead's lead_id
 * and/or email appended to the buffers, 0 with *reason when the row
 * links to no lead or to several.  lead-ingest --link gives
 * lk_link_histmap (ingest/link.h) here.
 */
typedef int (*lk_histmap_link_fn)(void *ctx, const lk_row *row, const char *id, size_t len,
				  lk_buf *lead_id, lk_buf *email, const char **reason);

typedef struct lk_histmap_opt {
	int keep_unknown;		/* a value that is no stage: stage -1, not a reject */
	lk_histmap_link_fn link;	/* NULL: no link plan */
	void *link_ctx;
} lk_histmap_opt;

/* One stage change.  Strings are not NUL-terminated; see Ownership. */
typedef struct lk_histev {
	const char *lead_id, *email;	/* the lead; either may be empty */
	size_t lead_id_len, email_len;
	int stage;			/* stage index, -1 for an unknown one */
	const char *stage_text;		/* the value as written */
	size_t stage_len;
	const char *at;			/* the date as written */
	size_t at_len;
	int at_col;			/* the input column it came from */
	const char *amount, *currency, *deal_id;
	size_t amount_len, currency_len, deal_id_len;
} lk_histev;

typedef struct lk_histmap lk_histmap;

/*
 * The mapping of a history header.  NULL with err (LK_EDATA) when the
 * header has no stage (nor stage dates, nor a won date), no date, or
 * no lead (the message says which, and what the header has instead),
 * or when a "Date entered <stage>" column names no stage of the model
 * (with the closest stage ids); LK_ENOMEM.  `opt` may be NULL.
 */
lk_histmap *lk_histmap_new(const lk_model *m, const lk_row *header, const lk_histmap_opt *opt,
			   lk_err *err);
void lk_histmap_free(lk_histmap *hm);

lk_hshape lk_histmap_shape(const lk_histmap *hm);
/* Input column of a role, or -1. */
int lk_histmap_col(const lk_histmap *hm, int role);
/* The name of input column `col` (owned by the map), or "" out of range. */
const char *lk_histmap_name(const lk_histmap *hm, int col);
/* 1 when input column `col` holds dates the changes are read from. */
int lk_histmap_is_date(const lk_histmap *hm, int col);

/*
 * The changes of one row: their count (1 or more) with *ev, or 0 when
 * the row is rejected, with *reason (valid until the next call): a
 * ragged row, no lead, a stage that is no stage of the model, no date.
 */
int lk_histmap_row(lk_histmap *hm, const lk_row *row, const lk_histev **ev,
		   const char **reason);

/* --show-mapping's page for a history, appended to `out`. */
int lk_histmap_describe(const lk_histmap *hm, lk_buf *out);

/*
 * The reason for a value that is no stage: "stage 'Prospectin' is no
 * stage of the model (closest: opportunity, won, sql)", replacing
 * `out`.  The closest ids are ranked by the edit distance of the value
 * to each stage's id and aliases, loosely compared.
 */
void lk_histmap_unknown_stage(const lk_model *m, const char *s, size_t len, lk_buf *out);

#endif
