/* dedupe.c - merge records of the same lead; see dedupe.h. */
#include "ingest/dedupe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/hash.h"
#include "core/rowstore.h"

struct member {
	long row;		/* index in the store */
	long next;		/* next member of the group, -1 */
};

struct group {
	long first, last;	/* members (indices into d->mem) */
	long count;
};

/*
 * In memory mode rows are grouped a few at a time: each row's table
 * slot is prefetched when it arrives and looked up when the batch is
 * full, so the cache misses of a big table overlap instead of coming
 * one after another.  Groups still form in input order.
 */
#define LK_DD_BATCH 16

struct pending {
	long row;		/* index in the store */
	uint64_t hv;		/* hash of the key */
	size_t koff, klen;	/* key in d->pkeys; klen 0: no key */
};

struct lk_dedupe {
	lk_dedupe_cfg cfg;
	struct pending pend[LK_DD_BATCH];
	int npend;
	lk_buf pkeys;		/* keys of the pending rows */
	int key[16];
	lk_rowstore *store;
	lk_hash *groups;	/* key -> group index + 1 */
	struct group *g;
	long ng, gcap;
	struct member *mem;
	long nm, mcap;
	long emit;		/* next group to emit */
	long ready_upto;	/* groups [emit, ready_upto) may be emitted */
	long merged;
	lk_buf key_buf, prev_key;
	int have_prev;
	int pending;		/* sorted mode: d->out holds a merged row */
	lk_row *rows;		/* scratch for merging a group */
	int64_t *ts;
	long cap_rows;
	char **fields;		/* the members' field arrays, W per member */
	size_t *lens;
	size_t cap_fields;
	/* Output row. */
	lk_row out;
	lk_buf *vals;
	lk_buf ids;
};

static int build(lk_dedupe *d, long gi);

lk_dedupe *lk_dedupe_new(const lk_dedupe_cfg *cfg)
{
	lk_dedupe *d = calloc(1, sizeof *d);
	int i;

	if (!d)
		return NULL;
	d->cfg = *cfg;
	if (d->cfg.nkey > 16)
		d->cfg.nkey = 16;
	for (i = 0; i < d->cfg.nkey; i++)
		d->key[i] = cfg->key[i];
	d->cfg.key = d->key;
	d->store = lk_rowstore_new();
	d->groups = lk_hash_new(1024);
	d->vals = calloc((size_t)cfg->nfields + 1, sizeof *d->vals);
	d->out.f = calloc((size_t)cfg->nfields + 1, sizeof *d->out.f);
	d->out.len = calloc((size_t)cfg->nfields + 1, sizeof *d->out.len);
	if (!d->store || !d->groups || !d->vals || !d->out.f || !d->out.len) {
		lk_dedupe_free(d);
		return NULL;
	}
	d->out.n = cfg->nfields;
	return d;
}

void lk_dedupe_free(lk_dedupe *d)
{
	int i;

	if (!d)
		return;
	lk_rowstore_free(d->store);
	lk_hash_free(d->groups);
	free(d->g);
	free(d->mem);
	free(d->rows);
	free(d->ts);
	free(d->fields);
	free(d->lens);
	for (i = 0; d->vals && i < d->cfg.nfields; i++)
		lk_buf_free(&d->vals[i]);
	free(d->vals);
	free(d->out.f);
	free(d->out.len);
	lk_buf_free(&d->key_buf);
	lk_buf_free(&d->prev_key);
	lk_buf_free(&d->ids);
	lk_buf_free(&d->pkeys);
	free(d);
}

long lk_dedupe_merged(const lk_dedupe *d)
{
	return d->merged;
}

void lk_dedupe_key(const lk_dedupe *d, const lk_row *row, lk_buf *out)
{
	int i, any = 0;

	lk_buf_reset(out);
	for (i = 0; i < d->cfg.nkey; i++) {
		int c = d->cfg.key[i];
		if (i)
			lk_buf_addc(out, 0x1f);
		if (c < row->n && row->len[c]) {
			lk_buf_add(out, row->f[c], row->len[c]);
			any = 1;
		}
	}
	if (!any)
		lk_buf_reset(out);
	if (!out->data)
		lk_buf_grow(out, 1);
}

static long new_group(lk_dedupe *d)
{
	if (d->ng == d->gcap) {
		long cap = d->gcap ? d->gcap * 2 : 1024;
		struct group *g = realloc(d->g, sizeof *g * (size_t)cap);
		if (!g)
			return -1;
		d->g = g;
		d->gcap = cap;
	}
	d->g[d->ng].first = d->g[d->ng].last = -1;
	d->g[d->ng].count = 0;
	return d->ng++;
}

static int add_member(lk_dedupe *d, long gi, long row)
{
	struct group *g = &d->g[gi];

	if (d->nm == d->mcap) {
		long cap = d->mcap ? d->mcap * 2 : 1024;
		struct member *m = realloc(d->mem, sizeof *m * (size_t)cap);
		if (!m)
			return -1;
		d->mem = m;
		d->mcap = cap;
	}
	d->mem[d->nm].row = row;
	d->mem[d->nm].next = -1;
	if (g->last >= 0)
		d->mem[g->last].next = d->nm;
	else
		g->first = d->nm;
	g->last = d->nm++;
	g->count++;
	return 0;
}

/* Group the pending rows, in the order they came. */
static int flush_pending(lk_dedupe *d)
{
	int i;

	for (i = 0; i < d->npend; i++) {
		const struct pending *p = &d->pend[i];
		long gi;
		if (p->klen) {
			int created;
			void **slot = lk_hash_slot_hashed(d->groups, d->pkeys.data + p->koff,
							  p->klen, p->hv, 1, &created);
			if (!slot)
				return -1;
			if (!created)
				gi = (long)(intptr_t)*slot - 1;
			else if ((gi = new_group(d)) < 0)
				return -1;
			else
				*slot = (void *)(intptr_t)(gi + 1);
		} else if ((gi = new_group(d)) < 0) {
			return -1;
		}
		if (add_member(d, gi, p->row) < 0)
			return -1;
		if (d->g[gi].count > 1)
			d->merged++;
	}
	d->npend = 0;
	lk_buf_reset(&d->pkeys);
	return 0;
}

int lk_dedupe_add(lk_dedupe *d, const lk_row *row, lk_err *err)
{
	long ri, gi = -1;

	lk_dedupe_key(d, row, &d->key_buf);
	if (!d->cfg.sorted) {
		struct pending *p = &d->pend[d->npend];
		if ((ri = lk_rowstore_add(d->store, row)) < 0)
			return lk_err_set(err, LK_ENOMEM, "out of memory");
		p->row = ri;
		p->koff = d->pkeys.len;
		p->klen = d->key_buf.len;
		if (p->klen) {
			p->hv = lk_hash_code(d->key_buf.data, p->klen);
			lk_hash_prefetch(d->groups, p->hv);
			if (lk_buf_add(&d->pkeys, d->key_buf.data, p->klen) < 0)
				return lk_err_set(err, LK_ENOMEM, "out of memory");
		}
		if (++d->npend == LK_DD_BATCH && flush_pending(d) < 0)
			return lk_err_set(err, LK_ENOMEM, "out of memory");
		return 0;
	}
	if (d->cfg.sorted && d->pending)
		return lk_err_set(err, LK_EDATA, "dedupe: merged row not taken");
	/* Sorted mode: everything before a new key is complete. */
	{
		int same = d->have_prev && d->key_buf.len && d->prev_key.len == d->key_buf.len &&
			   !memcmp(d->prev_key.data, d->key_buf.data, d->key_buf.len);
		if (!same) {
			if (d->have_prev && d->key_buf.len && d->prev_key.len &&
			    strcmp(d->key_buf.data, d->prev_key.data) < 0) {
				lk_err_set(err, LK_EDATA,
					   "--sorted: input is not sorted by the key "
					   "('%s' after '%s'); sort it with LC_ALL=C sort or drop "
					   "--sorted", d->key_buf.data, d->prev_key.data);
				err->record = row->record;
				err->line = row->line;
				return -1;
			}
			if (d->ng > 0) {
				if (build(d, d->ng - 1) < 0)
					return lk_err_set(err, LK_ENOMEM, "out of memory");
				d->pending = 1;
				lk_rowstore_clear(d->store);
				d->ng = d->nm = 0;
			}
			/* A keyless row ends the group before it, so the same
			 * key after it starts a new group, never joins it. */
			lk_buf_reset(&d->prev_key);
			lk_buf_add(&d->prev_key, lk_buf_str(&d->key_buf), d->key_buf.len);
			d->have_prev = d->key_buf.len > 0;
		} else {
			gi = d->ng - 1;
		}
	}
	if (gi < 0 && (gi = new_group(d)) < 0)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	ri = lk_rowstore_add(d->store, row);
	if (ri < 0 || add_member(d, gi, ri) < 0)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	if (d->g[gi].count > 1)
		d->merged++;
	return 0;
}

int lk_dedupe_finish(lk_dedupe *d, lk_err *err)
{
	if (d->cfg.sorted) {
		if (d->ng > 0) {
			if (build(d, d->ng - 1) < 0)
				return lk_err_set(err, LK_ENOMEM, "out of memory");
			d->pending = 1;
			lk_rowstore_clear(d->store);
			d->ng = d->nm = 0;
		}
		return 0;
	}
	if (flush_pending(d) < 0)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	d->ready_upto = d->ng;
	return 0;
}

static int64_t row_time(const lk_dedupe *d, const lk_row *r)
{
	int i;

	for (i = 0; i < 3; i++) {
		int c = d->cfg.ts[i];
		lk_time t;
		if (c >= 0 && c < r->n && r->len[c] &&
		    lk_date_parse(r->f[c], r->len[c], LK_DATE_AUTO, &t) == 0)
			return t.secs;
	}
	return INT64_MIN;
}

/* 1 when a is newer than b (a wins); a total order. */
static int newer(const lk_dedupe *d, const lk_row *a, int64_t ta, const lk_row *b, int64_t tb)
{
	int i;

	if (ta != tb)
		return ta > tb;
	for (i = 0; i < a->n && i < b->n; i++) {
		size_t n = a->len[i] < b->len[i] ? a->len[i] : b->len[i];
		int c = memcmp(a->f[i], b->f[i], n);
		if (c)
			return c > 0;
		if (a->len[i] != b->len[i])
			return a->len[i] > b->len[i];
	}
	(void)d;
	return a->n > b->n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Collect lead_ids and merged_ids of all members except the survivor's id. */
static void merged_ids(lk_dedupe *d, lk_row *rows, long n, const char *survivor, size_t slen)
{
	char **ids = NULL;
	long nid = 0, cap = 0, i;
	lk_buf tmp = LK_BUF_INIT;

	for (i = 0; i < n; i++) {
		int pass;
		for (pass = 0; pass < 2; pass++) {
			int c = pass ? d->cfg.merged : d->cfg.id;
			const char *s, *e;
			if (c < 0 || c >= rows[i].n || !rows[i].len[c])
				continue;
			s = rows[i].f[c];
			e = s + rows[i].len[c];
			while (s < e) {
				const char *semi = pass ? memchr(s, ';', (size_t)(e - s)) : NULL;
				size_t len = (size_t)((semi ? semi : e) - s);
				if (len && !(len == slen && !memcmp(s, survivor, len))) {
					if (nid == cap) {
						cap = cap ? cap * 2 : 8;
						ids = realloc(ids, sizeof *ids * (size_t)cap);
					}
					ids[nid++] = strndup(s, len);
				}
				s += len + (semi ? 1 : 0);
				if (!semi)
					break;
			}
		}
	}
	if (nid > 1)
		qsort(ids, (size_t)nid, sizeof *ids, cmp_str);
	for (i = 0; i < nid; i++) {
		if (i && !strcmp(ids[i], ids[i - 1]))
			continue;
		if (tmp.len)
			lk_buf_addc(&tmp, ';');
		lk_buf_adds(&tmp, ids[i]);
	}
	for (i = 0; i < nid; i++)
		free(ids[i]);
	free(ids);
	lk_buf_reset(&d->ids);
	lk_buf_add(&d->ids, lk_buf_str(&tmp), tmp.len);
	lk_buf_free(&tmp);
}

/* Merge group gi into d->out (own buffers: valid after the store is cleared). */
static int build(lk_dedupe *d, long gi)
{
	struct group *g;
	lk_row *rows;
	int64_t *ts;
	long n, i, j, m;
	int c;

	g = &d->g[gi];
	n = g->count;
	/* A record with no duplicate comes out as it went in.  In memory
	 * mode the store outlives the output row, so no copy is needed. */
	if (n == 1 && !d->cfg.sorted &&
	    lk_rowstore_width(d->store, d->mem[g->first].row) == d->cfg.nfields) {
		lk_rowstore_get(d->store, d->mem[g->first].row, &d->out);
		if (d->cfg.merged < 0 || !d->out.len[d->cfg.merged])
			return 0;
	}
	{
		/* Field arrays for every member, W wide. */
		size_t w = (size_t)d->cfg.nfields, need;
		for (m = g->first; m >= 0; m = d->mem[m].next)
			if ((size_t)lk_rowstore_width(d->store, d->mem[m].row) > w)
				w = (size_t)lk_rowstore_width(d->store, d->mem[m].row);
		need = w * (size_t)n;
		if (n > d->cap_rows) {
			lk_row *nr = realloc(d->rows, sizeof *nr * (size_t)n);
			int64_t *nt = nr ? realloc(d->ts, sizeof *nt * (size_t)n) : NULL;
			if (nr)
				d->rows = nr;
			if (!nt)
				return -1;
			d->ts = nt;
			d->cap_rows = n;
		}
		if (need > d->cap_fields) {
			char **nf = realloc(d->fields, sizeof *nf * need);
			size_t *nl = nf ? realloc(d->lens, sizeof *nl * need) : NULL;
			if (nf)
				d->fields = nf;
			if (!nl)
				return -1;
			d->lens = nl;
			d->cap_fields = need;
		}
		rows = d->rows;
		ts = d->ts;
		for (i = 0, m = g->first; m >= 0; m = d->mem[m].next, i++) {
			rows[i].f = d->fields + (size_t)i * w;
			rows[i].len = d->lens + (size_t)i * w;
			lk_rowstore_get(d->store, d->mem[m].row, &rows[i]);
			ts[i] = row_time(d, &rows[i]);
		}
	}
	/* Newest first (insertion sort: groups are small). */
	for (i = 1; i < n; i++) {
		lk_row r = rows[i];
		int64_t t = ts[i];
		for (j = i; j > 0 && newer(d, &r, t, &rows[j - 1], ts[j - 1]); j--) {
			rows[j] = rows[j - 1];
			ts[j] = ts[j - 1];
		}
		rows[j] = r;
		ts[j] = t;
	}
	for (c = 0; c < d->cfg.nfields; c++) {
		lk_buf_reset(&d->vals[c]);
		for (i = 0; i < n; i++) {
			if (c < rows[i].n && rows[i].len[c]) {
				lk_buf_add(&d->vals[c], rows[i].f[c], rows[i].len[c]);
				break;
			}
		}
		d->out.f[c] = (char *)lk_buf_str(&d->vals[c]);
		d->out.len[c] = d->vals[c].len;
	}
	if (d->cfg.merged >= 0) {
		if (n > 1 || d->vals[d->cfg.merged].len) {
			const char *sid = d->cfg.id >= 0 ? lk_buf_str(&d->vals[d->cfg.id]) : "";
			merged_ids(d, rows, n, sid, strlen(sid));
			d->out.f[d->cfg.merged] = (char *)lk_buf_str(&d->ids);
			d->out.len[d->cfg.merged] = d->ids.len;
		}
	}
	d->out.record = rows[0].record;
	d->out.line = rows[0].line;
	return 0;
}

int lk_dedupe_next(lk_dedupe *d, lk_row **out)
{
	if (d->cfg.sorted) {
		if (!d->pending)
			return 0;
		d->pending = 0;
		*out = &d->out;
		return 1;
	}
	if (d->emit >= d->ready_upto || build(d, d->emit++) < 0)
		return 0;
	*out = &d->out;
	return 1;
}
