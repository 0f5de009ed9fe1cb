/*
 * leads.h - leads read with their activities: one input for the
 * per-lead tools that join them (lead-score, lead-nurture), whichever
 * way the activities come.
 *
 *   - plain: a CSV reader (lk_reader) over the leads; once a table of
 *     activities is joined (lk_leads_join, after the header is known),
 *     each lead gets the activities filed under its lead_id or email;
 *   - keyed: the reduce side of a shuffle (lk_keyjoin): the key-sorted
 *     lines of lead-score --emit-key, each lead with its key's
 *     activities.
 *
 * Either way lk_leads_next returns the header first (record 0), then
 * one lead at a time, as lk_reader_next does; lk_leads_acts gives the
 * activities of the lead last returned.  A malformed row (row->bad)
 * gets none.
 *
 * Ownership: the row and the activities belong to the lk_leads (or to
 * the table) until the next call; the table stays the caller's and must
 * outlive its use here.  The descriptor is not closed.
 */
#ifndef LK_LEADS_H
#define LK_LEADS_H

#include <stdint.h>

#include "core/csvio.h"
#include "core/date.h"
#include "core/err.h"
#include "score/activity.h"

typedef struct lk_leads lk_leads;

/*
 * Read leads from fd: as CSV with `co` (its delimiter, name and
 * header_from), or with `keyed` as a keyed join (the delimiter and name
 * of `co`; activities dated with `order`, those after `now` counted and
 * left out).  NULL with err.
 */
lk_leads *lk_leads_new(int fd, const lk_csvopt *co, int keyed, int64_t now,
		       lk_date_order order, lk_err *err);
void lk_leads_free(lk_leads *l);

/* Give the plain reader's leads the activities of `acts` (not owned;
 * NULL: none) from the next lead on.  A keyed input ignores it. */
void lk_leads_join(lk_leads *l, lk_activities *acts);

/* The next row: 1 and *row, 0 at end of input, -1 with err. */
int lk_leads_next(lk_leads *l, lk_row **row, lk_err *err);

/* The activities of the lead last returned (*n of them, 0: none) and,
 * when `details` is not NULL, their details (parallel; NULL unless the
 * table kept them, or a keyed input had some). */
const lk_act *lk_leads_acts(const lk_leads *l, int *n, const char *const **details);

/* Whether the input is keyed. */
int lk_leads_keyed(const lk_leads *l);

/* How the plain input's delimiter was chosen (lk_reader_dialect); NULL
 * for a keyed input. */
const lk_dialect *lk_leads_dialect(const lk_leads *l);

/* The activities' counters: the keyed join's, the joined table's, or
 * NULL when there are no activities at all. */
const lk_activities_stats *lk_leads_stats(lk_leads *l);

#endif
