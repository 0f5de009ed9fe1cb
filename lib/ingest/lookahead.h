/*
 * lookahead.h - the first rows of an export, read before any output
 * and replayed after it.
 *
 * An all-numeric date such as 03/04/2026 reads day-first or month-first
 * per column, and the column's own values settle which (ingest.h).  So
 * before the first row goes out, lead-ingest reads up to LK_LOOKAHEAD
 * rows, shows each to lk_ingest_sniff and keeps a copy; once
 * lk_ingest_settle has decided, the copies are replayed in input order
 * and the reader goes on where the look-ahead stopped.
 *
 * Ownership: the look-ahead copies the rows it reads (rowstore.h), so
 * the reader's rule holds.  A row returned by lk_lookahead_next is the
 * look-ahead's: its field bytes live until lk_lookahead_free, the row
 * itself until the next call.
 */
#ifndef LK_LOOKAHEAD_H
#define LK_LOOKAHEAD_H

#include "core/csvio.h"
#include "core/err.h"
#include "ingest/ingest.h"

/* Rows read before output: enough to settle a column's date order. */
#define LK_LOOKAHEAD 2000

typedef struct lk_lookahead lk_lookahead;

/* An empty look-ahead; NULL when out of memory. */
lk_lookahead *lk_lookahead_new(void);
/* Frees the kept rows; accepts NULL. */
void lk_lookahead_free(lk_lookahead *a);

/*
 * Read rows of `rd` until LK_LOOKAHEAD are kept or the input ends,
 * copying each and showing it to `g` (lk_ingest_sniff).  Returns 1 when
 * the reader may have more rows, 0 when its input ended, -1 with err
 * (the reader's error as it gave it, or LK_ENOMEM).
 */
int lk_lookahead_fill(lk_lookahead *a, lk_reader *rd, lk_ingest *g, lk_err *err);

/* The kept rows in input order: 1 with *row, 0 after the last one, -1
 * with LK_ENOMEM. */
int lk_lookahead_next(lk_lookahead *a, const lk_row **row, lk_err *err);

#endif
