/* lookahead.c - rows read ahead and replayed; see lookahead.h. */
#include "ingest/lookahead.h"

#include <stdlib.h>

#include "core/rowstore.h"

struct lk_lookahead {
	lk_rowstore *rows;	/* the copies, in input order */
	long next;		/* the next row to replay */
	lk_row row;		/* the replayed row; f and len are ours */
	int cap;		/* entries of row.f and row.len */
};

lk_lookahead *lk_lookahead_new(void)
{
	lk_lookahead *a = calloc(1, sizeof *a);

	if (a && !(a->rows = lk_rowstore_new())) {
		free(a);
		a = NULL;
	}
	return a;
}

void lk_lookahead_free(lk_lookahead *a)
{
	if (!a)
		return;
	lk_rowstore_free(a->rows);
	free(a->row.f);
	free(a->row.len);
	free(a);
}

int lk_lookahead_fill(lk_lookahead *a, lk_reader *rd, lk_ingest *g, lk_err *err)
{
	lk_row *row;
	int more = 1;

	while (lk_rowstore_count(a->rows) < LK_LOOKAHEAD &&
	       (more = lk_reader_next(rd, &row, err)) > 0) {
		if (lk_rowstore_add(a->rows, row) < 0)
			return lk_err_set(err, LK_ENOMEM, "out of memory");
		lk_ingest_sniff(g, row);
	}
	return more;
}

int lk_lookahead_next(lk_lookahead *a, const lk_row **row, lk_err *err)
{
	int w;

	if (a->next >= lk_rowstore_count(a->rows))
		return 0;
	w = lk_rowstore_width(a->rows, a->next);
	if (w > a->cap) {
		/* Grown to the widest row so far: one allocation per new width. */
		char **f = realloc(a->row.f, sizeof *f * (size_t)w);
		size_t *len = f ? realloc(a->row.len, sizeof *len * (size_t)w) : NULL;
		if (f)
			a->row.f = f;
		if (!f || !len)
			return lk_err_set(err, LK_ENOMEM, "out of memory");
		a->row.len = len;
		a->cap = w;
	}
	lk_rowstore_get(a->rows, a->next++, &a->row);
	*row = &a->row;
	return 1;
}
