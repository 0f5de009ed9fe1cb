/*
 * filter.h - what lead-ingest does to each row: normalise it, then
 * merge it with the other rows of its lead or key it for a shuffle.
 *
 * A filter is made from the input's header row, for a lead export
 * (lk_ingest: mapping and normalising, ingest.h) or an activity export
 * (lk_actingest, activities.h; lead-ingest itself runs activity files
 * through activities.h, which reads several shapes).  Each input row given to lk_ingest_filter_row is
 * taken or rejected with a reason; the rows it makes come out of
 * lk_ingest_filter_next, none, one or several at a time:
 *   - plain: each taken row comes out at once;
 *   - --dedupe (lk_ingest_filter_keys, emit_key 0): rows of one lead
 *     are merged (dedupe.h) and come out when their group is complete,
 *     the rest after lk_ingest_filter_finish;
 *   - --emit-key (emit_key 1): each taken row comes out at once with
 *     its key (keys.h), to be written as KEY<TAB>ROW.
 * Rows of one input are given in order; with --dedupe --sorted they
 * must be grouped by key.
 *
 * Ownership: the row and key lk_ingest_filter_next returns are the
 * filter's, valid until its next call; fields passed through unchanged
 * point into the input row, which must stay valid as long (the reader's
 * rule, lib/README.md).  Merged rows are copies.
 */
#ifndef LK_INGEST_FILTER_H
#define LK_INGEST_FILTER_H

#include "core/buf.h"
#include "core/csvio.h"
#include "core/err.h"
#include "ingest/ingest.h"
#include "model/model.h"

typedef struct lk_ingest_filter lk_ingest_filter;

/*
 * A filter for the export whose header row is `header`: a lead export
 * normalised by `io`, or with `activities` an activity export (whose
 * ambiguous dates read as io->date_order, else the model's).  NULL with
 * the ingest's error (an unknown preset), the activity mapping's (a
 * column it needs lacks) or LK_ENOMEM.
 */
lk_ingest_filter *lk_ingest_filter_new(const lk_model *m, const lk_ingest_opt *io, int activities,
				       const lk_row *header, lk_err *err);
/* Frees the filter and its ingest; accepts NULL. */
void lk_ingest_filter_free(lk_ingest_filter *f);

/* The lead export's ingest (its mapping, date orders and statistics);
 * NULL for an activity export. */
lk_ingest *lk_ingest_filter_ingest(const lk_ingest_filter *f);
/* The output header: names and count, owned by the filter. */
void lk_ingest_filter_header(const lk_ingest_filter *f, const char *const **names, int *n);

/*
 * Merge the rows of one lead (emit_key 0; `sorted`: the input is
 * grouped by key) or key each row (emit_key 1), the key being the
 * output columns named in `key` (keys.h).  Lead exports only; before
 * the first row.  -1 with LK_EUSAGE for a bad `key`, or LK_ENOMEM.
 */
int lk_ingest_filter_keys(lk_ingest_filter *f, const char *key, int sorted, int emit_key,
			  lk_err *err);

/*
 * One input row: 1 when it is taken, 0 when it is rejected, with
 * *reason (valid until the next call).  -1 with err when merging fails
 * (out of memory, or --sorted input that is not sorted, with the row's
 * record and line).
 */
int lk_ingest_filter_row(lk_ingest_filter *f, const lk_row *in, const char **reason, lk_err *err);

/* The end of the input: every row held for merging becomes ready.
 * -1 with LK_ENOMEM. */
int lk_ingest_filter_finish(lk_ingest_filter *f, lk_err *err);

/* The next output row: 1 with *out and, with --emit-key, *key, the
 * line's start: the key and the TAB after it (else NULL); 0 when no
 * row is ready. */
int lk_ingest_filter_next(lk_ingest_filter *f, lk_row **out, const lk_buf **key);

/* Rows absorbed into another by merging (rows taken = rows out + merged). */
long lk_ingest_filter_merged(const lk_ingest_filter *f);

#endif
