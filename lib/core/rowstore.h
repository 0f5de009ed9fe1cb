/*
 * rowstore.h - copies of rows kept past the reader's lifetime.
 *
 * The reader owns a row only until the next read; code that must look
 * ahead (lead-ingest settling a column's date order) or hold rows
 * until the end (in-memory dedupe) copies them here.  Rows are packed
 * into 1 MiB chunks that never move, so the field bytes an lk_row
 * filled by lk_rowstore_get() points to stay valid until
 * lk_rowstore_free() or lk_rowstore_clear(), and the store costs one
 * allocation per chunk, not per row or field.
 */
#ifndef LK_ROWSTORE_H
#define LK_ROWSTORE_H

#include <stddef.h>

#include "core/csvio.h"

typedef struct lk_rowstore lk_rowstore;

lk_rowstore *lk_rowstore_new(void);
void lk_rowstore_free(lk_rowstore *s);
/* Copy a row (fields, lengths, record, line, bad); returns its index or -1. */
long lk_rowstore_add(lk_rowstore *s, const lk_row *row);
/* Like lk_rowstore_add for n fields given as pointers and lengths. */
long lk_rowstore_addv(lk_rowstore *s, const char *const *f, const size_t *len, int n,
		      long record, long line);
long lk_rowstore_count(const lk_rowstore *s);
/* Number of fields of row i. */
int lk_rowstore_width(const lk_rowstore *s, long i);
/*
 * Fill `out` with row i.  The caller owns out->f and out->len, arrays
 * of at least lk_rowstore_width(s, i) entries; they are filled with
 * pointers to the stored bytes and their lengths.
 */
void lk_rowstore_get(const lk_rowstore *s, long i, lk_row *out);
/* Forget every row but keep the first chunk for reuse. */
void lk_rowstore_clear(lk_rowstore *s);

#endif
