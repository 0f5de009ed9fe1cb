/* rowstore.c - packed copies of rows; see rowstore.h. */
#include "core/rowstore.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LK_RS_CHUNK (1u << 20)

/* A stored row: this header, then n 32-bit lengths, then the n fields,
 * each NUL-terminated.  No pointers are stored: they are rebuilt by
 * lk_rowstore_get, which keeps an in-memory dedupe of a million leads
 * about a third smaller. */
struct srow {
	int n;
	long record, line;
	const char *bad;
};

struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t align[];
};

struct lk_rowstore {
	struct chunk *head, *cur;
	struct srow **rows;
	long n, cap;
};

lk_rowstore *lk_rowstore_new(void)
{
	return calloc(1, sizeof(lk_rowstore));
}

void lk_rowstore_free(lk_rowstore *s)
{
	struct chunk *c, *next;

	if (!s)
		return;
	for (c = s->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(s->rows);
	free(s);
}

void lk_rowstore_clear(lk_rowstore *s)
{
	struct chunk *c, *next;

	if (!s->head)
		return;
	for (c = s->head->next; c; c = next) {
		next = c->next;
		free(c);
	}
	s->head->next = NULL;
	s->head->used = 0;
	s->cur = s->head;
	s->n = 0;
}

static void *alloc(lk_rowstore *s, size_t n)
{
	struct chunk *c = s->cur;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > LK_RS_CHUNK ? n : LK_RS_CHUNK;
		c = malloc(sizeof *c + cap);
		if (!c)
			return NULL;
		c->next = NULL;
		c->used = 0;
		c->cap = cap;
		if (s->cur)
			s->cur->next = c;
		else
			s->head = c;
		s->cur = c;
	}
	p = (char *)c->align + c->used;
	c->used += n;
	return p;
}

long lk_rowstore_addv(lk_rowstore *s, const char *const *f, const size_t *len, int n,
		      long record, long line)
{
	size_t bytes = sizeof(struct srow) + (size_t)n * sizeof(uint32_t);
	struct srow *r;
	uint32_t *lp;
	char *data;
	int i;

	for (i = 0; i < n; i++) {
		if (len[i] > UINT32_MAX - 1)
			return -1;
		bytes += len[i] + 1;
	}
	if (s->n == s->cap) {
		long cap = s->cap ? s->cap * 2 : 1024;
		struct srow **v = realloc(s->rows, sizeof *v * (size_t)cap);
		if (!v)
			return -1;
		s->rows = v;
		s->cap = cap;
	}
	r = alloc(s, bytes);
	if (!r)
		return -1;
	r->n = n;
	r->record = record;
	r->line = line;
	r->bad = NULL;
	lp = (uint32_t *)(r + 1);
	data = (char *)(lp + n);
	for (i = 0; i < n; i++)
		lp[i] = (uint32_t)len[i];
	/* Fields that follow one another NUL-separated (a reader's row, or
	 * a transformer's values built in one buffer) are copied as one run. */
	for (i = 0; i < n;) {
		int j = i + 1;
		size_t run = len[i] + 1;
		while (j < n && f[j] == f[j - 1] + len[j - 1] + 1 && f[j - 1][len[j - 1]] == '\0')
			run += len[j++] + 1;
		/* The run's inner NULs come with it; the last one is set here. */
		memcpy(data, f[i], run - 1);
		data[run - 1] = '\0';
		data += run;
		i = j;
	}
	s->rows[s->n] = r;
	return s->n++;
}

long lk_rowstore_add(lk_rowstore *s, const lk_row *row)
{
	long i = lk_rowstore_addv(s, (const char *const *)row->f, row->len, row->n,
				  row->record, row->line);

	if (i >= 0)
		s->rows[i]->bad = row->bad;
	return i;
}

long lk_rowstore_count(const lk_rowstore *s)
{
	return s->n;
}

int lk_rowstore_width(const lk_rowstore *s, long i)
{
	return s->rows[i]->n;
}

void lk_rowstore_get(const lk_rowstore *s, long i, lk_row *out)
{
	struct srow *r = s->rows[i];
	const uint32_t *lp = (const uint32_t *)(r + 1);
	char *data = (char *)(lp + r->n);
	int k;

	for (k = 0; k < r->n; k++) {
		out->f[k] = data;
		out->len[k] = lp[k];
		data += lp[k] + 1;
	}
	out->n = r->n;
	out->record = r->record;
	out->line = r->line;
	out->nlines = 1;
	out->bad = r->bad;
}
