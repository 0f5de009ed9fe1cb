/*
 * ingest.h - one CRM export row in, one clean canonical lead out.
 *
 * lk_ingest turns rows of any CRM export into canonical leads: columns
 * mapped (mapping.h), canonical values normalised (placeholders to
 * empty, white space, email, phone to E.164, country to ISO alpha-2,
 * employee ranges to a number, dates to ISO 8601 UTC, stage values to
 * the model's stage ids), and every other column passed through
 * unchanged, in order.  A row that cannot become a lead is rejected
 * with a reason, never dropped: the caller writes it to --rejects.
 *
 * Output columns: the canonical columns (model.h, the consent ones
 * last), email_alt, merged_ids (with dedupe), then the unmapped input
 * columns.
 *
 * Consent (email_opt_out, do_not_call, email_bounced) is written true
 * or false (model/consent.h), empty when the export says nothing; a
 * consent column reads its mapped input column and every column that
 * lost to it (mapping.h): true when any says yes.  A value neither yes
 * nor no is kept as it was and counted as not understood.
 *
 * Dates: all-numeric dates such as 03/04/2026 are read day-first or
 * month-first per column.  The caller shows the ingest some rows first
 * (lk_ingest_sniff) and the column's own values settle the order when
 * any of them can only be read one way; --date-order forces it.
 *
 * Ownership: the row returned by lk_ingest_row is owned by the ingest
 * and valid until the next call; its unmapped fields point into the
 * input row, which must stay valid as long.
 */
#ifndef LK_INGEST_H
#define LK_INGEST_H

#include "core/csvio.h"
#include "ingest/mapping.h"
#include "model/model.h"
#include "model/norm.h"

typedef struct lk_ingest_opt {
	const char *from;		/* "auto" (NULL), "none", or a preset */
	const char *default_country;	/* alpha-2 for phones without one, or NULL */
	lk_date_order date_order;	/* LK_DATE_AUTO: settle per column */
	const lk_tz *tz;		/* naive timestamps are read in it (NULL:
					 * UTC); the caller keeps it alive */
	int dedupe;			/* add the merged_ids column */
	const char *const *placeholders; /* extra placeholder values */
	int nplaceholders;
	int no_placeholders;		/* start from an empty list */
} lk_ingest_opt;

/* What could not be understood, per canonical column, for the summary. */
typedef struct lk_ingest_stats {
	long not_understood[LK_NCANON];	/* values kept as they were */
	long placeholders;		/* values emptied as placeholders */
	long invalid_email;		/* kept in email_alt */
	long multi_email;		/* cells with more than one address */
} lk_ingest_stats;

typedef struct lk_ingest lk_ingest;

/* Build from the header row.  NULL with err for an unknown preset. */
lk_ingest *lk_ingest_new(const lk_model *m, const lk_ingest_opt *opt, const lk_row *header,
			 lk_err *err);
void lk_ingest_free(lk_ingest *g);

const lk_mapping *lk_ingest_mapping(const lk_ingest *g);
/* Output header: names and count (owned by the ingest). */
void lk_ingest_header(const lk_ingest *g, const char *const **names, int *n);
/* Output column index of a name, or -1. */
int lk_ingest_column(const lk_ingest *g, const char *name);

/* Rows to show lk_ingest_sniff before the first goes out: enough to
 * settle a column's date order (lead-ingest reads them ahead, through
 * the filter driver, and replays them). */
#define LK_LOOKAHEAD 2000

/* Look at a row before processing (to settle date orders). */
void lk_ingest_sniff(lk_ingest *g, const lk_row *row);
/* Decide the date order of each date column; writes one line per
 * decision worth telling the user into `notes` (may be NULL). */
void lk_ingest_settle(lk_ingest *g, lk_buf *notes);

/*
 * Normalise one row.  Returns 1 with *out, or 0 when the row is
 * rejected, with *reason (valid until the next call).
 */
int lk_ingest_row(lk_ingest *g, const lk_row *in, lk_row **out, const char **reason);

const lk_ingest_stats *lk_ingest_stats_get(const lk_ingest *g);

/*
 * What the ingest kept as it was, for the user: "values kept as they
 * were (not understood): phone 3, country 1" and "2 invalid email
 * addresses moved to email_alt", each only when there were some (none
 * for a NULL ingest).  Appended to `out` as messages, each ended by a
 * NUL byte; -1 on ENOMEM.
 */
int lk_ingest_notes(const lk_ingest *g, lk_buf *out);

/* --show-mapping's page, appended to `out`: the mapping
 * (lk_mapping_describe), then "dates:" and the `notes` of
 * lk_ingest_settle, when there are any.  -1 on ENOMEM. */
int lk_ingest_describe(const lk_ingest *g, const lk_buf *notes, lk_buf *out);

/* Activity exports (lead-ingest --activities) are activities.h's. */

#endif
