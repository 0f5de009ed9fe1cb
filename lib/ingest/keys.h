/*
 * keys.h - which rows of lead-ingest's output are the same lead.
 *
 * --dedupe merges rows whose key is equal (dedupe.h); --emit-key writes
 * the key before each row, so that a MapReduce shuffle brings the rows
 * of one lead together for a reducer to merge.  Both follow one policy,
 * kept here:
 *   - the key is the values of the --key columns of the ingest's output
 *     (default email, already normalised by the ingest);
 *   - a record's age is its updated_at, else last_activity_at, else
 *     created_at; lead_id is what merged_ids lists;
 *   - a row with no key is never merged: --emit-key gives it a key of
 *     its own, so no shuffle puts it next to another row.
 *
 * Ownership: the dedupe returned is the caller's (lk_dedupe_free); it
 * keeps nothing of the ingest, which may be freed first.
 */
#ifndef LK_KEYS_H
#define LK_KEYS_H

#include "core/buf.h"
#include "core/csvio.h"
#include "core/err.h"
#include "ingest/dedupe.h"
#include "ingest/ingest.h"

/*
 * A dedupe of the output of `g`, keyed by `key`: output column names
 * separated by commas, at most 16.  `sorted`: the input is grouped by
 * key (dedupe.h).  NULL with LK_EUSAGE for a name that is no output
 * column or a 17th column, LK_ENOMEM otherwise.
 */
lk_dedupe *lk_ingest_dedupe_new(const lk_ingest *g, const char *key, int sorted, lk_err *err);

/*
 * The --emit-key key of an output row, into `key`: its dedupe key, or
 * for a row without one "~", 16 hex digits of the FNV-1a hash of its
 * first field, ".", and its record number, which no other row has.
 */
void lk_ingest_key(const lk_dedupe *d, const lk_row *row, lk_buf *key);

#endif
