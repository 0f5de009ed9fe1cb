/*
 * activity.h - a lead's activities, held in memory for scoring.
 *
 * Loads a canonical activity CSV (lead-ingest --activities writes one):
 * a header with `activity`, `occurred_at` and at least one of `lead_id`
 * and `email`; other columns (detail) are ignored.  Each activity is
 * filed under its lead_id when it has one, else under its email
 * (trimmed, lower-cased).  A lead is then looked up by its lead_id and
 * by its email, and gets the activities filed under either.
 *
 * Counted, never fatal: activities dated after `now` (left out, so a
 * past --now replays history without the future), rows whose
 * occurred_at is no date or that have neither lead_id nor email
 * (rejected, with the first reason kept), and activities that no scored
 * lead claimed (known once every lead has been looked up).
 *
 * Memory: the whole activity file is held (about 40 bytes per activity
 * plus one copy of each distinct activity name and key); this is the
 * module's exception to constant memory.  Ownership: the arrays that
 * lk_activities_for returns belong to the table and live until its
 * next call.
 */
#ifndef LK_ACTIVITY_H
#define LK_ACTIVITY_H

#include <stdint.h>

#include "csvio.h"
#include "date.h"
#include "err.h"
#include "score.h"

typedef struct lk_activities lk_activities;

typedef struct lk_activities_stats {
	long loaded;		/* activities kept (at or before now) */
	long future;		/* dated after now: ignored */
	long bad;		/* rejected rows */
	char bad_example[160];	/* "record 3 (line 4): unparseable date 'x'" */
	long unmatched;		/* kept activities no lead looked up */
} lk_activities_stats;

/* Read the activity CSV on fd; `name` for messages.  NULL with err when
 * the file cannot be read or its header lacks the needed columns. */
lk_activities *lk_activities_load(int fd, const char *name, int64_t now,
				  lk_date_order order, lk_err *err);
void lk_activities_free(lk_activities *a);

/* Tell the table where lead_id and email are in the leads header. */
void lk_activities_bind(lk_activities *a, const char *const *cols, int n);

/* The activities of one lead row (no particular order); *n receives the
 * count, 0 when there are none. */
const lk_score_act *lk_activities_for(lk_activities *a, const lk_row *lead, int *n);

/* Counters; `unmatched` is computed at the call. */
const lk_activities_stats *lk_activities_stats_get(lk_activities *a);

#endif
