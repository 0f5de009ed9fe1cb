/* dedupe.c - merge records of the same lead; see dedupe.h. */
#include "ingest/dedupe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/date.h"
#include "core/hash.h"
#include "model/consent.h"

/*
 * In memory mode every row is held until the end, so how a row is held
 * decides the run's peak memory.  Rows are packed, one after another,
 * into chunks that never move (one allocation per chunk, none per row),
 * each as a few varints (width, unpacked size, record, line, bad) and
 * then its fields, each field a tag (a varint whose low two bits say
 * what follows):
 *
 *   0                 empty
 *   id << 2 | 1       a value interned in its column's dictionary
 *   len << 2 | 2      len characters of "0123456789-:.+TZ" (timestamps,
 *                     dates, numbers, phone numbers, ids), two per byte
 *   len << 2 | 3      len bytes as they are
 *
 * A column's values of four bytes or more are interned (kept once, each
 * row holding a small id) while the column repeats itself: one whose
 * values are mostly new (emails, names of people, timestamps) stops being
 * looked up after its first few hundred values.  Interned strings never
 * move either.  Out of the store, a row is unpacked into one scratch
 * buffer, its fields one after another, as the writer copies best.
 *
 * Groups are found through an open-addressing table of (hash, group
 * number) slots; the key is hashed once per row and never copied: on a
 * hash match the key columns of the group's first row are unpacked and
 * compared.  Members of a group are chained through one 32-bit `next`
 * per row.
 *
 * Sorted mode holds one group at a time in the same store, cleared when
 * the group goes out, and interns nothing (its memory stays constant).
 */

/* Chunks start at 1 MiB and double up to 64 MiB, so that a small input
 * takes little and a big one few allocations. */
#define LK_DD_CHUNK ((size_t)1 << 20)
#define LK_DD_CHUNK_MAX ((size_t)1 << 26)
/* Big blocks are aligned to, and asked to be backed by, 2 MiB pages where
 * the system has them: a million rows fill their memory with a few
 * hundred page faults instead of some hundred thousand. */
#define LK_DD_HUGE ((size_t)1 << 21)
#define LK_DD_NONE UINT32_MAX
/* A column stops interning when it has more than LK_DD_INTERN_MIN
 * distinct values and more than one in LK_DD_INTERN_RATIO is new. */
#define LK_DD_INTERN_MIN 256
#define LK_DD_INTERN_RATIO 4
#define LK_DD_INTERN_MAXLEN 64

/* Memory that never moves: chunks handed out front to back. */
struct chunk {
	struct chunk *next;
	size_t cap;
	max_align_t align[];
};

struct arena {
	struct chunk *head, *cur;
	unsigned char *p;	/* free space in cur */
	size_t left;
	size_t next_cap;	/* the size of the next chunk made */
};

/* n bytes, on huge pages when n is big and the system has them. */
static void *big_alloc(size_t n)
{
	void *p;

	if (n < 2 * LK_DD_HUGE)
		return malloc(n);
	if (posix_memalign(&p, LK_DD_HUGE, n) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(p, n, MADV_HUGEPAGE);	/* a hint: failure changes nothing */
#endif
	return p;
}

/* An interned value: NUL-terminated, in d->strings. */
struct ivalue {
	const char *s;
	uint32_t len;
	uint32_t hash;
};

/* A column's dictionary: value -> id + 1 (open addressing). */
struct icol {
	uint32_t *slots;
	uint32_t mask;		/* slots - 1; 0 before the first value */
	uint32_t n;		/* distinct values */
	uint64_t tries;		/* values looked up */
	int off;		/* interning stopped for this column */
};

struct group {
	const unsigned char *head;	/* the first row, packed (its key is the group's) */
	uint32_t first, last;	/* rows, in arrival order */
	uint32_t h;		/* the key's hash, folded to 32 bits */
	uint32_t keyed;		/* in the key table (a row with no key is not) */
};

/* A row held but not yet in its group (in memory mode rows are grouped
 * LK_DD_BATCH at a time, so that the cache misses of a big key table
 * overlap instead of coming one after another). */
#define LK_DD_BATCH 16
/* Groups are built this many behind the one whose rows are fetched. */
#define LK_DD_AHEAD 8

struct pending {
	uint32_t row;		/* held row */
	uint32_t h;		/* hash of its key */
	size_t koff, klen;	/* its key in d->pkeys; klen 0: no key */
};

struct lk_dedupe {
	lk_dedupe_cfg cfg;
	struct pending pend[LK_DD_BATCH];
	int npend;
	lk_buf pkeys;		/* keys of the pending rows */
	int key[16];
	/* Held rows. */
	struct arena store;
	unsigned char **row;	/* packed row i */
	uint32_t *next;		/* next row of the same group, or LK_DD_NONE */
	uint32_t nrow, caprow;
	/* Groups, in order of first appearance, and the key table. */
	struct group *g;
	uint32_t ng, capg;
	uint64_t *slots;	/* hash << 32 | group index + 1; 0: free */
	size_t mask;
	uint32_t nkeyed;	/* groups in the table */
	/* Interned values. */
	struct arena strings;
	struct ivalue *iv;
	uint32_t niv, capiv;
	struct icol *icol;	/* cfg.nfields columns */
	int intern;		/* 0 in sorted mode */
	const char **bads;	/* distinct lk_row.bad texts (index + 1 stored) */
	int nbad;
	/* Progress. */
	uint32_t emit;		/* next group to emit */
	uint32_t ready_upto;	/* groups [emit, ready_upto) may be emitted */
	long merged;
	lk_buf key_buf, prev_key;
	lk_buf probe_key;	/* the key of a group's first row */
	int have_prev;
	int pending;		/* sorted mode: d->out holds a merged row */
	/* Unpacking and merging a group. */
	lk_buf scratch;		/* the members' field bytes */
	lk_row *rows;
	int64_t *ts;
	long cap_rows;
	char **fields;		/* the members' field arrays, W per member */
	size_t *lens;
	size_t cap_fields;
	struct idref { const char *s; size_t len; } *ids;
	long cap_ids;
	/* Output row. */
	lk_row out;
	lk_buf idsbuf;
};

static int build(lk_dedupe *d, uint32_t gi);

/* ---- memory that never moves ---------------------------------------------- */

/* At least n bytes at a->p, in a new chunk when the current one is short. */
static int arena_reserve(struct arena *a, size_t n)
{
	struct chunk *c;
	size_t cap;

	if (a->left >= n)
		return 0;
	/* A chunk already there (after arena_clear) is reused when big enough. */
	if (a->cur && a->cur->next && a->cur->next->cap >= n) {
		c = a->cur->next;
	} else {
		if (a->next_cap < LK_DD_CHUNK)
			a->next_cap = LK_DD_CHUNK;
		cap = a->next_cap - sizeof *c;
		if (cap < n)
			cap = n;
		if (!(c = big_alloc(sizeof *c + cap)))
			return -1;
		if (a->next_cap < LK_DD_CHUNK_MAX)
			a->next_cap *= 2;
		c->cap = cap;
		c->next = a->cur ? a->cur->next : NULL;
		if (a->cur)
			a->cur->next = c;
		else
			a->head = c;
	}
	a->cur = c;
	a->p = (unsigned char *)c->align;
	a->left = c->cap;
	return 0;
}

static void arena_take(struct arena *a, size_t n)
{
	a->p += n;
	a->left -= n;
}

/* Forget everything, keeping the chunks for reuse. */
static void arena_clear(struct arena *a)
{
	a->cur = a->head;
	a->p = a->head ? (unsigned char *)a->head->align : NULL;
	a->left = a->head ? a->head->cap : 0;
}

static void arena_free(struct arena *a)
{
	struct chunk *c, *next;

	for (c = a->head; c; c = next) {
		next = c->next;
		free(c);
	}
}

/* ---- packing ---------------------------------------------------------------- */

static unsigned char *put_varint(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

static const unsigned char *get_varint(const unsigned char *p, uint64_t *v)
{
	uint64_t x = 0;
	int shift = 0;

	while (*p & 0x80) {
		x |= (uint64_t)(*p++ & 0x7f) << shift;
		shift += 7;
	}
	*v = x | (uint64_t)*p++ << shift;
	return p;
}

static const char nib_chars[16] = "0123456789-:.+TZ";

/* The nibble of each byte that has one, else 0xff; and the two
 * characters of each packed byte. */
static unsigned char nib_of[256];
static char nib_pair[256][2];

static void nib_init(void)
{
	int i;

	if (nib_of[0] == 0xff)
		return;
	memset(nib_of, 0xff, sizeof nib_of);
	for (i = 0; i < 16; i++)
		nib_of[(unsigned char)nib_chars[i]] = (unsigned char)i;
	for (i = 0; i < 256; i++) {
		nib_pair[i][0] = nib_chars[i >> 4];
		nib_pair[i][1] = nib_chars[i & 15];
	}
}

/* Pack s two characters to a byte at p: the end, or NULL when s has a
 * character outside nib_chars (p's bytes are then scrap). */
static unsigned char *put_nibbles(unsigned char *p, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k;

	for (k = 0; k + 1 < len; k += 2) {
		unsigned a = nib_of[u[k]], b = nib_of[u[k + 1]];
		if ((a | b) == 0xff || a > 15 || b > 15)
			return NULL;
		*p++ = (unsigned char)(a << 4 | b);
	}
	if (k < len) {
		if (nib_of[u[k]] > 15)
			return NULL;
		*p++ = (unsigned char)(nib_of[u[k]] << 4);
	}
	return p;
}

static uint32_t value_hash(const char *s, size_t len)
{
	return (uint32_t)lk_hash_code(s, len);
}

/* The id of value s in column c, interned now if new; -1 when the
 * column does not intern (any more) or on ENOMEM. */
static long intern(lk_dedupe *d, int c, const char *s, size_t len)
{
	struct icol *ic = &d->icol[c];
	uint32_t h, j = 0, id;

	if (ic->off || len > LK_DD_INTERN_MAXLEN)
		return -1;
	ic->tries++;
	h = value_hash(s, len);
	if (ic->mask) {
		for (j = h & ic->mask; ic->slots[j]; j = (j + 1) & ic->mask) {
			const struct ivalue *v = &d->iv[ic->slots[j] - 1];
			if (v->hash == h && v->len == len && !memcmp(v->s, s, len))
				return (long)(ic->slots[j] - 1);
		}
	}
	/* New: does the column still repeat itself? */
	if (ic->n >= LK_DD_INTERN_MIN && (uint64_t)ic->n * LK_DD_INTERN_RATIO > ic->tries) {
		ic->off = 1;
		return -1;
	}
	if (d->niv == d->capiv) {
		uint32_t cap = d->capiv ? d->capiv * 2 : 256;
		struct ivalue *nv = realloc(d->iv, sizeof *nv * cap);
		if (!nv)
			return -1;
		d->iv = nv;
		d->capiv = cap;
	}
	if ((ic->n + 1) * 2 > ic->mask) {
		uint32_t cap = ic->mask ? (ic->mask + 1) * 2 : 64, k;
		uint32_t *ns = calloc(cap, sizeof *ns);
		if (!ns)
			return -1;
		for (k = 0; ic->mask && k <= ic->mask; k++) {
			uint32_t e = ic->slots[k];
			if (e) {
				for (j = d->iv[e - 1].hash & (cap - 1); ns[j]; j = (j + 1) & (cap - 1))
					;
				ns[j] = e;
			}
		}
		free(ic->slots);
		ic->slots = ns;
		ic->mask = cap - 1;
		for (j = h & ic->mask; ic->slots[j]; j = (j + 1) & ic->mask)
			;
	}
	if (arena_reserve(&d->strings, len + 1) < 0)
		return -1;
	memcpy(d->strings.p, s, len);
	d->strings.p[len] = '\0';
	id = d->niv++;
	d->iv[id].s = (const char *)d->strings.p;
	d->iv[id].len = (uint32_t)len;
	d->iv[id].hash = h;
	arena_take(&d->strings, len + 1);
	ic->slots[j] = id + 1;
	ic->n++;
	return (long)id;
}

static int bad_index(lk_dedupe *d, const char *bad)
{
	int i;
	const char **nb;

	if (!bad)
		return 0;
	for (i = 0; i < d->nbad; i++)
		if (d->bads[i] == bad)
			return i + 1;
	if (!(nb = realloc(d->bads, sizeof *nb * (size_t)(d->nbad + 1))))
		return -1;
	d->bads = nb;
	d->bads[d->nbad++] = bad;
	return d->nbad;
}

static uint64_t zigzag(long v)
{
	return v < 0 ? ((uint64_t)-(v + 1) << 1) | 1 : (uint64_t)v << 1;
}

static long unzigzag(uint64_t v)
{
	return v & 1 ? -(long)(v >> 1) - 1 : (long)(v >> 1);
}

/*
 * Pack a row into the store; returns it, or NULL on ENOMEM.  The header
 * is the width, the bytes the fields take unpacked (NULs included), the
 * record, the line less the record, and the index of `bad` (0: none).
 */
static unsigned char *pack(lk_dedupe *d, const lk_row *row)
{
	size_t need = 5 * 10, size = 0, i;
	unsigned char *start, *p;
	int bad = bad_index(d, row->bad);

	if (bad < 0)
		return NULL;
	for (i = 0; i < (size_t)row->n; i++)
		size += row->len[i] + 1;
	need += size + (size_t)row->n * 9;
	if (arena_reserve(&d->store, need) < 0)
		return NULL;
	start = p = d->store.p;
	p = put_varint(p, (uint64_t)row->n);
	p = put_varint(p, (uint64_t)size);
	p = put_varint(p, zigzag(row->record));
	p = put_varint(p, zigzag(row->line - row->record));
	p = put_varint(p, (uint64_t)bad);
	for (i = 0; i < (size_t)row->n; i++) {
		const char *s = row->f[i];
		size_t len = row->len[i];
		unsigned char *q;
		long id;
		if (!len) {
			*p++ = 0;
			continue;
		}
		if (len >= 4 && d->intern && (int)i < d->cfg.nfields &&
		    (id = intern(d, (int)i, s, len)) >= 0) {
			p = put_varint(p, (uint64_t)id << 2 | 1);
			continue;
		}
		q = put_varint(p, (uint64_t)len << 2 | 2);
		if (len >= 2 && (q = put_nibbles(q, s, len))) {
			p = q;
		} else {
			p = put_varint(p, (uint64_t)len << 2 | 3);
			memcpy(p, s, len);
			p += len;
		}
	}
	arena_take(&d->store, (size_t)(p - start));
	return start;
}

/* The width of a packed row. */
static int packed_width(const unsigned char *p)
{
	uint64_t n;

	get_varint(p, &n);
	return (int)n;
}

/*
 * Unpack a row: its field bytes are appended to d->scratch, NUL after
 * each, and out->f[k] is set to their offset in it (the caller turns the
 * offsets into pointers once the scratch has stopped growing).  out->f
 * and out->len hold at least packed_width(p) entries.  -1 on ENOMEM.
 */
static int unpack(lk_dedupe *d, const unsigned char *p, lk_row *out)
{
	uint64_t n, size, v;
	size_t at;
	char *base;
	int k;

	p = get_varint(p, &n);
	p = get_varint(p, &size);
	out->n = (int)n;
	p = get_varint(p, &v);
	out->record = unzigzag(v);
	p = get_varint(p, &v);
	out->line = out->record + unzigzag(v);
	p = get_varint(p, &v);
	out->bad = v ? d->bads[v - 1] : NULL;
	out->nlines = 1;
	/* One more byte: a nibble pair may write one past an odd length. */
	if (lk_buf_grow(&d->scratch, (size_t)size + 1) < 0)
		return -1;
	base = d->scratch.data;
	at = d->scratch.len;
	for (k = 0; k < out->n; k++) {
		uint64_t tag;
		size_t len, i;
		char *w = base + at;
		if (!*p) {
			p++;
			len = 0;
		} else {
			p = get_varint(p, &tag);
			len = (size_t)(tag >> 2);
			switch (tag & 3) {
			case 1:
				len = d->iv[tag >> 2].len;
				memcpy(w, d->iv[tag >> 2].s, len);
				break;
			case 2:
				for (i = 0; i < len; i += 2)
					memcpy(w + i, nib_pair[*p++], 2);
				break;
			default:
				memcpy(w, p, len);
				p += len;
				break;
			}
		}
		w[len] = '\0';
		out->f[k] = (char *)(uintptr_t)at;
		out->len[k] = len;
		at += len + 1;
	}
	d->scratch.len = at;
	return 0;
}

/* Turn unpack's offsets into pointers into the scratch. */
static void fix(lk_dedupe *d, lk_row *r)
{
	int k;

	for (k = 0; k < r->n; k++)
		r->f[k] = d->scratch.data + (uintptr_t)r->f[k];
}

/* ---- life --------------------------------------------------------------------- */

lk_dedupe *lk_dedupe_new(const lk_dedupe_cfg *cfg)
{
	lk_dedupe *d = calloc(1, sizeof *d);
	int i;

	if (!d)
		return NULL;
	nib_init();
	d->cfg = *cfg;
	if (d->cfg.nkey > 16)
		d->cfg.nkey = 16;
	if (d->cfg.nflag > 3 || d->cfg.nflag < 0)
		d->cfg.nflag = d->cfg.nflag < 0 ? 0 : 3;
	for (i = 0; i < d->cfg.nkey; i++)
		d->key[i] = cfg->key[i];
	d->cfg.key = d->key;
	d->intern = !cfg->sorted;
	d->icol = calloc((size_t)cfg->nfields + 1, sizeof *d->icol);
	d->out.f = calloc((size_t)cfg->nfields + 1, sizeof *d->out.f);
	d->out.len = calloc((size_t)cfg->nfields + 1, sizeof *d->out.len);
	if (!d->icol || !d->out.f || !d->out.len) {
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
	arena_free(&d->store);
	arena_free(&d->strings);
	free(d->row);
	free(d->next);
	free(d->g);
	free(d->slots);
	free(d->iv);
	for (i = 0; d->icol && i < d->cfg.nfields; i++)
		free(d->icol[i].slots);
	free(d->icol);
	free(d->bads);
	free(d->rows);
	free(d->ts);
	free(d->fields);
	free(d->lens);
	free(d->ids);
	free(d->out.f);
	free(d->out.len);
	lk_buf_free(&d->scratch);
	lk_buf_free(&d->key_buf);
	lk_buf_free(&d->prev_key);
	lk_buf_free(&d->probe_key);
	lk_buf_free(&d->pkeys);
	lk_buf_free(&d->idsbuf);
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

/* ---- groups -------------------------------------------------------------------- */

static long new_group(lk_dedupe *d, uint32_t h, int keyed)
{
	if (d->ng == d->capg) {
		uint32_t cap = d->capg ? d->capg * 2 : 1024;
		struct group *g;
		if (d->capg >= UINT32_MAX / 4 || !(g = realloc(d->g, sizeof *g * cap)))
			return -1;
		d->g = g;
		d->capg = cap;
	}
	d->g[d->ng].first = d->g[d->ng].last = LK_DD_NONE;
	d->g[d->ng].h = h;
	d->g[d->ng].keyed = (uint32_t)keyed;
	return (long)d->ng++;
}

/* Hold a row (not yet in any group); its index, or -1 on ENOMEM. */
static long hold(lk_dedupe *d, const lk_row *row)
{
	unsigned char *p;

	if (d->nrow == d->caprow) {
		uint32_t cap = d->caprow ? d->caprow * 2 : 1024;
		unsigned char **nr;
		uint32_t *nn;
		if (d->caprow >= UINT32_MAX / 4)
			return -1;
		if (!(nr = realloc(d->row, sizeof *nr * cap)))
			return -1;
		d->row = nr;
		if (!(nn = realloc(d->next, sizeof *nn * cap)))
			return -1;
		d->next = nn;
		d->caprow = cap;
	}
	if (!(p = pack(d, row)))
		return -1;
	d->row[d->nrow] = p;
	d->next[d->nrow] = LK_DD_NONE;
	return (long)d->nrow++;
}

/* Row ri becomes the newest member of group gi. */
static void link_row(lk_dedupe *d, uint32_t gi, uint32_t ri)
{
	struct group *g = &d->g[gi];

	if (g->last != LK_DD_NONE) {
		d->next[g->last] = ri;
		d->merged++;
	} else {
		g->first = ri;
		g->head = d->row[ri];
	}
	g->last = ri;
}

/*
 * The key of a packed row, as lk_dedupe_key makes it, into `out`: only
 * the fields up to the last key column are walked, and only the key
 * columns unpacked.
 */
static int packed_key(lk_dedupe *d, const unsigned char *p, lk_buf *out)
{
	const char *val[16];
	size_t len[16], off[16];	/* off: where in d->scratch, when val is NULL */
	uint64_t n, v;
	int k, i, last = -1, any = 0;

	for (i = 0; i < d->cfg.nkey; i++) {
		val[i] = "";
		len[i] = 0;
		if (d->cfg.key[i] > last)
			last = d->cfg.key[i];
	}
	p = get_varint(p, &n);
	for (i = 0; i < 4; i++)
		p = get_varint(p, &v);
	lk_buf_reset(&d->scratch);
	for (k = 0; k < (int)n && k <= last; k++) {
		uint64_t tag;
		size_t l, at = 0;
		const char *s = "";
		p = get_varint(p, &tag);
		l = (size_t)(tag >> 2);
		switch (tag & 3) {
		case 0:
			l = 0;
			break;
		case 1:
			s = d->iv[tag >> 2].s;
			l = d->iv[tag >> 2].len;
			break;
		case 2:
			/* Unpacked only when it is a key column. */
			for (i = 0; i < d->cfg.nkey; i++)
				if (d->cfg.key[i] == k)
					break;
			if (i < d->cfg.nkey) {
				size_t j;
				at = d->scratch.len;
				if (lk_buf_grow(&d->scratch, l + 2) < 0)
					return -1;
				for (j = 0; j < l; j += 2)
					memcpy(d->scratch.data + at + j, nib_pair[p[j / 2]], 2);
				d->scratch.len += l;
				s = NULL;
			}
			p += (l + 1) / 2;
			break;
		default:
			s = (const char *)p;
			p += l;
			break;
		}
		for (i = 0; i < d->cfg.nkey; i++) {
			if (d->cfg.key[i] == k) {
				val[i] = s;
				len[i] = l;
				off[i] = at;
			}
		}
	}
	lk_buf_reset(out);
	for (i = 0; i < d->cfg.nkey; i++) {
		/* Nibble-packed values were unpacked into the scratch. */
		const char *s = val[i] ? val[i] : d->scratch.data + off[i];
		if (i && lk_buf_addc(out, 0x1f) < 0)
			return -1;
		if (len[i]) {
			if (lk_buf_add(out, s, len[i]) < 0)
				return -1;
			any = 1;
		}
	}
	if (!any)
		lk_buf_reset(out);
	return 0;
}

/* 1 when group gi's key is key[0..klen); -1 on ENOMEM. */
static int same_key(lk_dedupe *d, uint32_t gi, const char *key, size_t klen, lk_buf *tmp)
{
	if (packed_key(d, d->g[gi].head, tmp) < 0)
		return -1;
	return tmp->len == klen && !memcmp(tmp->data, key, klen);
}

/* Double the key table (4096 slots at first), rehashing every keyed group. */
static int grow_table(lk_dedupe *d)
{
	size_t cap = d->slots ? (d->mask + 1) * 2 : 4096, j;
	uint64_t *ns = big_alloc(cap * sizeof *ns);
	uint32_t gi;

	if (!ns)
		return -1;
	memset(ns, 0, cap * sizeof *ns);
	for (gi = 0; gi < d->ng; gi++) {
		if (!d->g[gi].keyed)
			continue;
		for (j = d->g[gi].h & (cap - 1); ns[j]; j = (j + 1) & (cap - 1))
			;
		ns[j] = (uint64_t)d->g[gi].h << 32 | (gi + 1);
	}
	free(d->slots);
	d->slots = ns;
	d->mask = cap - 1;
	return 0;
}

/* The group of key[0..klen) (hash h), made when new; -1 on ENOMEM. */
static long find_group(lk_dedupe *d, const char *key, size_t klen, uint32_t h)
{
	size_t j;
	long gi;

	if ((!d->slots || (size_t)(d->nkeyed + 1) * 2 > d->mask + 1) && grow_table(d) < 0)
		return -1;
	for (j = h & d->mask; d->slots[j]; j = (j + 1) & d->mask) {
		if ((uint32_t)(d->slots[j] >> 32) == h) {
			uint32_t e = (uint32_t)d->slots[j] - 1;
			int same = same_key(d, e, key, klen, &d->probe_key);
			if (same < 0)
				return -1;
			if (same)
				return (long)e;
		}
	}
	if ((gi = new_group(d, h, 1)) < 0)
		return -1;
	d->slots[j] = (uint64_t)h << 32 | ((uint32_t)gi + 1);
	d->nkeyed++;
	return gi;
}

/* Put the pending rows in their groups, in the order they came. */
static int flush_pending(lk_dedupe *d)
{
	int i, pass;

#if defined(__GNUC__)
	/* Hints only: fetch the groups whose hash matches (their slots were
	 * fetched as the rows came), then the rows whose keys will be
	 * compared, so that the misses overlap. */
	for (pass = 0; pass < 2 && d->slots; pass++) {
		for (i = 0; i < d->npend; i++) {
			size_t j;
			if (!d->pend[i].klen)
				continue;
			for (j = d->pend[i].h & d->mask; d->slots[j]; j = (j + 1) & d->mask) {
				uint32_t e = (uint32_t)d->slots[j] - 1;
				if ((uint32_t)(d->slots[j] >> 32) != d->pend[i].h)
					continue;
				if (pass)
					__builtin_prefetch(d->g[e].head);
				else
					__builtin_prefetch(&d->g[e]);
			}
		}
	}
#else
	(void)pass;
#endif
	for (i = 0; i < d->npend; i++) {
		const struct pending *pd = &d->pend[i];
		long gi = pd->klen ? find_group(d, d->pkeys.data + pd->koff, pd->klen, pd->h)
				   : new_group(d, 0, 0);
		if (gi < 0)
			return -1;
		link_row(d, (uint32_t)gi, pd->row);
	}
	d->npend = 0;
	lk_buf_reset(&d->pkeys);
	return 0;
}

int lk_dedupe_add(lk_dedupe *d, const lk_row *row, lk_err *err)
{
	long gi = -1, ri;

	lk_dedupe_key(d, row, &d->key_buf);
	if (!d->cfg.sorted) {
		/* The row is held now and put in its group a few rows later,
		 * its table slot being fetched meanwhile. */
		struct pending *pd = &d->pend[d->npend];
		if ((ri = hold(d, row)) < 0)
			return lk_err_set(err, LK_ENOMEM, "out of memory");
		pd->row = (uint32_t)ri;
		pd->koff = d->pkeys.len;
		pd->klen = d->key_buf.len;
		if (pd->klen) {
			uint64_t hv = lk_hash_code(d->key_buf.data, pd->klen);
			pd->h = (uint32_t)(hv ^ hv >> 32);
#if defined(__GNUC__)
			if (d->slots)
				__builtin_prefetch(&d->slots[pd->h & d->mask]);
#endif
			if (lk_buf_add(&d->pkeys, d->key_buf.data, pd->klen) < 0)
				return lk_err_set(err, LK_ENOMEM, "out of memory");
		}
		if (++d->npend == LK_DD_BATCH && flush_pending(d) < 0)
			return lk_err_set(err, LK_ENOMEM, "out of memory");
		return 0;
	}
	if (d->pending)
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
				arena_clear(&d->store);
				d->ng = d->nrow = 0;
			}
			/* A keyless row ends the group before it, so the same
			 * key after it starts a new group, never joins it. */
			lk_buf_reset(&d->prev_key);
			lk_buf_add(&d->prev_key, lk_buf_str(&d->key_buf), d->key_buf.len);
			d->have_prev = d->key_buf.len > 0;
		} else {
			gi = (long)d->ng - 1;
		}
	}
	if (gi < 0 && (gi = new_group(d, 0, 0)) < 0)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	if ((ri = hold(d, row)) < 0)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	link_row(d, (uint32_t)gi, (uint32_t)ri);
	return 0;
}

int lk_dedupe_finish(lk_dedupe *d, lk_err *err)
{
	if (d->cfg.sorted) {
		if (d->ng > 0) {
			if (build(d, d->ng - 1) < 0)
				return lk_err_set(err, LK_ENOMEM, "out of memory");
			d->pending = 1;
			arena_clear(&d->store);
			d->ng = d->nrow = 0;
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
static int newer(const lk_row *a, int64_t ta, const lk_row *b, int64_t tb)
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
	return a->n > b->n;
}

/* strcmp's order on ids that hold no NUL byte. */
static int cmp_id(const void *pa, const void *pb)
{
	const struct idref *a = pa, *b = pb;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->s, b->s, n);

	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* Collect lead_ids and merged_ids of all members except the survivor's
 * id, sorted and without repeats, into d->idsbuf. */
static int merged_ids(lk_dedupe *d, lk_row *rows, long n, const char *survivor, size_t slen)
{
	long nid = 0, i;

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
				/* An id is read up to a NUL byte, as C strings are. */
				const char *nul = memchr(s, '\0', len);
				size_t idlen = nul ? (size_t)(nul - s) : len;
				if (len && !(len == slen && !memcmp(s, survivor, len))) {
					if (nid == d->cap_ids) {
						long cap = d->cap_ids ? d->cap_ids * 2 : 16;
						struct idref *ni = realloc(d->ids, sizeof *ni * (size_t)cap);
						if (!ni)
							return -1;
						d->ids = ni;
						d->cap_ids = cap;
					}
					d->ids[nid].s = s;
					d->ids[nid++].len = idlen;
				}
				s += len + (semi ? 1 : 0);
				if (!semi)
					break;
			}
		}
	}
	if (nid > 1)
		qsort(d->ids, (size_t)nid, sizeof *d->ids, cmp_id);
	lk_buf_reset(&d->idsbuf);
	for (i = 0; i < nid; i++) {
		if (i && !cmp_id(&d->ids[i], &d->ids[i - 1]))
			continue;
		if (d->idsbuf.len && lk_buf_addc(&d->idsbuf, ';') < 0)
			return -1;
		if (lk_buf_add(&d->idsbuf, d->ids[i].s, d->ids[i].len) < 0)
			return -1;
	}
	if (!d->idsbuf.data && lk_buf_grow(&d->idsbuf, 1) < 0)
		return -1;
	return 0;
}

/* How much a consent value says: true over a value not understood over
 * false over nothing (dedupe.h). */
static int flag_rank(const char *s, size_t len)
{
	switch (lk_flag_read(s, len, 0)) {
	case LK_FLAG_TRUE:
		return 3;
	case LK_FLAG_UNKNOWN:
		return 2;
	case LK_FLAG_FALSE:
		return 1;
	default:
		return 0;
	}
}

/* Consent column c of d->out: the value of highest rank among the rows
 * (newest first), the newest of that rank. */
static void merge_flag(lk_dedupe *d, const lk_row *rows, long n, int c)
{
	int best = -1, r;
	long i;

	if (c < 0 || c >= d->cfg.nfields)
		return;
	for (i = 0; i < n; i++) {
		if (c >= rows[i].n)
			continue;
		r = flag_rank(rows[i].f[c], rows[i].len[c]);
		if (r > best) {
			best = r;
			d->out.f[c] = rows[i].f[c];
			d->out.len[c] = rows[i].len[c];
		}
	}
}

/*
 * Merge group gi into d->out.  Its fields point into d->scratch and
 * d->idsbuf, which the next build overwrites; neither is the store, so
 * sorted mode may clear the store at once.
 */
static int build(lk_dedupe *d, uint32_t gi)
{
	struct group *g = &d->g[gi];
	lk_row *rows;
	int64_t *ts;
	long n = 0, i, j;
	uint32_t m;
	size_t w = (size_t)d->cfg.nfields, need;
	int c;

	for (m = g->first; m != LK_DD_NONE; m = d->next[m]) {
		size_t wm = (size_t)packed_width(d->row[m]);
		if (wm > w)
			w = wm;
		n++;
	}
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
	lk_buf_reset(&d->scratch);
	for (i = 0, m = g->first; m != LK_DD_NONE; m = d->next[m], i++) {
		rows[i].f = d->fields + (size_t)i * w;
		rows[i].len = d->lens + (size_t)i * w;
		if (unpack(d, d->row[m], &rows[i]) < 0)
			return -1;
	}
	for (i = 0; i < n; i++)
		fix(d, &rows[i]);
	/* A record with no duplicate comes out as it went in. */
	if (n == 1 && rows[0].n == d->cfg.nfields &&
	    (d->cfg.merged < 0 || !rows[0].len[d->cfg.merged])) {
		memcpy(d->out.f, rows[0].f, sizeof *d->out.f * (size_t)rows[0].n);
		memcpy(d->out.len, rows[0].len, sizeof *d->out.len * (size_t)rows[0].n);
		d->out.n = rows[0].n;
		d->out.record = rows[0].record;
		d->out.line = rows[0].line;
		d->out.nlines = 1;
		d->out.bad = rows[0].bad;
		return 0;
	}
	for (i = 0; i < n; i++)
		ts[i] = row_time(d, &rows[i]);
	/* Newest first (insertion sort: groups are small). */
	for (i = 1; i < n; i++) {
		lk_row r = rows[i];
		int64_t t = ts[i];
		for (j = i; j > 0 && newer(&r, t, &rows[j - 1], ts[j - 1]); j--) {
			rows[j] = rows[j - 1];
			ts[j] = ts[j - 1];
		}
		rows[j] = r;
		ts[j] = t;
	}
	d->out.n = d->cfg.nfields;
	for (c = 0; c < d->cfg.nfields; c++) {
		d->out.f[c] = (char *)"";
		d->out.len[c] = 0;
		for (i = 0; i < n; i++) {
			if (c < rows[i].n && rows[i].len[c]) {
				d->out.f[c] = rows[i].f[c];
				d->out.len[c] = rows[i].len[c];
				break;
			}
		}
	}
	for (i = 0; i < d->cfg.nflag; i++)
		merge_flag(d, rows, n, d->cfg.flag[i]);
	if (d->cfg.merged >= 0 && (n > 1 || d->out.len[d->cfg.merged])) {
		const char *sid = d->cfg.id >= 0 ? d->out.f[d->cfg.id] : "";
		size_t slen = d->cfg.id >= 0 ? strlen(sid) : 0;
		if (merged_ids(d, rows, n, sid, slen) < 0)
			return -1;
		d->out.f[d->cfg.merged] = d->idsbuf.data;
		d->out.len[d->cfg.merged] = d->idsbuf.len;
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
#if defined(__GNUC__)
	/* Hints only: the rows of a group a few ahead are far apart in the
	 * store (a duplicate came in long after its first record). */
	if (d->emit + LK_DD_AHEAD < d->ready_upto) {
		const struct group *ga = &d->g[d->emit + LK_DD_AHEAD];
		uint32_t m = ga->first;
		__builtin_prefetch(ga->head);
		if (m != LK_DD_NONE && (m = d->next[m]) != LK_DD_NONE)
			__builtin_prefetch(d->row[m]);
	}
#endif
	if (d->emit >= d->ready_upto || build(d, d->emit++) < 0)
		return 0;
	*out = &d->out;
	return 1;
}
