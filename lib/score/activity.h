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
 * Memory: the in-memory table holds the whole activity file (about 40
 * bytes per activity plus one copy of each distinct activity name and
 * key); this is the module's exception to constant memory.  The keyed
 * mode at the end holds one key's activities only.  Ownership: the arrays that
 * lk_activities_for returns belong to the table and live until its
 * next call.
 */
#ifndef LK_ACTIVITY_H
#define LK_ACTIVITY_H

#include <stdint.h>

#include "core/csvio.h"
#include "core/date.h"
#include "core/err.h"
#include "model/model.h"

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

/* The same, keeping the `detail` column too (interned; "" when the
 * file has none) of the activities named in keep[0..nkeep) (NULL: of
 * all; the names must outlive the table), for lead-nurture, which
 * matches a sent email's content id. */
lk_activities *lk_activities_load_details(int fd, const char *name, int64_t now,
					  lk_date_order order, const char *const *keep, int nkeep,
					  lk_err *err);
/* The details of the activities the last lk_activities_for returned,
 * parallel to them (same validity); NULL unless loaded with details or
 * when that lead had none. */
const char *const *lk_activities_details(const lk_activities *a);

/* Tell the table where lead_id and email are in the leads header. */
void lk_activities_bind(lk_activities *a, const char *const *cols, int n);

/* The activities of one lead row (no particular order); *n receives the
 * count, 0 when there are none. */
const lk_act *lk_activities_for(lk_activities *a, const lk_row *lead, int *n);

/* Counters; `unmatched` is computed at the call. */
const lk_activities_stats *lk_activities_stats_get(lk_activities *a);

/*
 * Keyed mode: the same join through a MapReduce shuffle, in constant
 * memory on the reduce side.
 *
 * Lines are KEY<TAB>ROW as lead-ingest --emit-key writes them, the row
 * escaped onto one line (lk_writer_set_keyed).  KEY is ID, the byte
 * 0x1f (LK_KEY_SEP) and a tag: LK_KEY_ACT ('1') for an activity,
 * LK_KEY_LEAD ('2') for a lead.  ID is the join key the in-memory
 * table uses: 'i' and the trimmed lead_id, or 'e' and the trimmed,
 * lower-cased email.  Under LC_ALL=C sort (byte order of whole lines)
 * every line of one ID is contiguous and a key's activities come
 * before its leads: ID cannot hold 0x1f (an id or email with any byte
 * below 0x20 counts as missing), so no other ID can sort between
 * "ID\x1f1" and "ID\x1f2", and '1' < '2'.  Header lines sort first:
 * the lead header has the empty key (as lead-ingest's does), the
 * activity header the key "\x1f1" (empty ID, activity tag), and leads
 * with no usable key "\x1f2" (they join nothing).  Every real ID starts
 * with 'i' or 'e', above all of these.
 *
 * A row picks one key: its lead_id, else its email (LK_JOIN_ID), or
 * its email, else its lead_id (LK_JOIN_EMAIL); leads and activities
 * must be keyed alike.  The in-memory table gives a lead the activities
 * filed under its lead_id and those under its email; the shuffle gives
 * it only those filed under the one key it was sent with.
 */
#define LK_KEY_SEP '\x1f'
enum { LK_KEY_ACT = '1', LK_KEY_LEAD = '2' };
typedef enum { LK_JOIN_ID, LK_JOIN_EMAIL } lk_joinkey;

/* The map side: writes one kind of row (LK_KEY_LEAD or LK_KEY_ACT) to
 * `w`, which it switches to keyed output.  `w` is not owned. */
typedef struct lk_keyemit lk_keyemit;

lk_keyemit *lk_keyemit_new(lk_writer *w, int kind, lk_joinkey first);
void lk_keyemit_free(lk_keyemit *k);
/* Find the key columns in the header; for activities, -1 with
 * LK_EUSAGE when it lacks activity, occurred_at or both of lead_id and
 * email.  `name` is the input's name for that message. */
int lk_keyemit_bind(lk_keyemit *k, const lk_row *h, const char *name, lk_err *err);
/* lk_keyemit_bind, then write the header line (with the empty ID). */
int lk_keyemit_header(lk_keyemit *k, const lk_row *h, const char *name, lk_err *err);
/*
 * The start of a row's line, KEY and TAB (*len bytes, valid until the
 * next call), for a caller that writes the row itself; NULL for an
 * activity with neither a usable lead_id nor email (not to be written),
 * or when out of memory.  A lead gets the empty ID when it has no key.
 */
const char *lk_keyemit_key(lk_keyemit *k, const lk_row *r, size_t *len);
/* Write one row: 1; 0 for an activity not written (malformed, or with
 * neither a usable lead_id nor email: counted, see below); -1 with err
 * on a write error.  A lead is always written, keyless if need be (the
 * caller rejects malformed leads). */
int lk_keyemit_row(lk_keyemit *k, const lk_row *r, lk_err *err);
/* Leads written with no usable key so far. */
long lk_keyemit_keyless(const lk_keyemit *k);
/* Activities not written so far, and *example the first one's place
 * and reason ("record 3 (line 4): neither lead_id nor email"; "" when
 * none), valid as long as k. */
long lk_keyemit_rejected(const lk_keyemit *k, const char **example);

/*
 * The reduce side: reads a sorted stream of both kinds of lines from
 * fd (read(2), so it streams), with rows delimited by `delim`.  Holds
 * the activities of one key only.  Activities are checked as
 * lk_activities_load checks them (dates with `order`, those after `now`
 * counted and left out).  The lead header of several mappers, and the
 * activity header, must each be the same on every line (else an error:
 * the mappers read files with different columns); keys out of order
 * are an error naming the line.
 */
typedef struct lk_keyjoin lk_keyjoin;

lk_keyjoin *lk_keyjoin_new(int fd, const char *name, char delim, int64_t now,
			   lk_date_order order, lk_err *err);
void lk_keyjoin_free(lk_keyjoin *j);
/*
 * Next lead: 1 with *lead and its key's activities (*acts, *n; at or
 * before now, no particular order), 0 at end of input, -1 with err.
 * The first call returns the lead header (record 0, no activities); 0
 * then means the stream holds no leads.  The row and the activities
 * belong to the reader until its next call.
 */
int lk_keyjoin_next(lk_keyjoin *j, lk_row **lead, const lk_act **acts, int *n,
		    lk_err *err);
/* The details (the `detail` column, "" without one) of the activities
 * the last lk_keyjoin_next returned, parallel to them and valid as
 * long; NULL when there were none. */
const char *const *lk_keyjoin_details(const lk_keyjoin *j);
/* Counters, as for the in-memory table; `unmatched` counts the
 * activities of keys no lead came with (final at end of input). */
const lk_activities_stats *lk_keyjoin_stats(const lk_keyjoin *j);

#endif
