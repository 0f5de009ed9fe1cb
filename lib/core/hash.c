/* hash.c - string-keyed hash table; see hash.h. */
#include "core/hash.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define LK_CHUNK (1u << 20)
#define SLOT(i, hv) ((uint64_t)(uint32_t)((i) + 1) | ((hv) & 0xffffffff00000000ULL))
#define SLOT_INDEX(s) ((size_t)(uint32_t)(s) - 1)

struct lk_entry {
	const char *key;
	size_t len;
	uint64_t hash;
	void *val;
};

struct lk_chunk {
	struct lk_chunk *next;
	size_t used, cap;
	char data[];
};

struct lk_hash {
	/* 0 = empty, else (entry index + 1) in the low 32 bits and the
	 * key's hash in the high 32: a probe compares the hash bits in the
	 * slot array and touches an entry and its key only on a likely match,
	 * which saves two cache misses per collision in big tables. */
	uint64_t *slots;
	size_t nslots;		/* power of two */
	struct lk_entry *e;
	size_t n, cap;
	struct lk_chunk *chunks;
};

uint64_t lk_fnv1a(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/*
 * The table's own hash: eight bytes per step (FNV-1a takes one), mixed
 * with a multiply and a final avalanche.  Tables are private to a run,
 * so this need not be the documented, machine-independent lk_fnv1a.
 */
static uint64_t table_hash(const char *key, size_t len)
{
	const unsigned char *p = (const unsigned char *)key;
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ len, w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
		h ^= h >> 31;
	}
	w = 0;
	memcpy(&w, p, len);
	h = (h ^ w) * 0x94D049BB133111EBULL;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 32;
	return h;
}

/*
 * A zeroed slot array.  Big tables are probed at random, so a lookup
 * misses the TLB as well as the cache: arrays of 2 MiB and more are
 * 2 MiB-aligned and offered to the kernel for huge pages.
 */
#define LK_HUGE (2u << 20)
static uint64_t *slots_new(size_t n)
{
	size_t bytes = n * sizeof(uint64_t);
	uint64_t *s;

	if (bytes < LK_HUGE)
		return calloc(n, sizeof *s);
	s = aligned_alloc(LK_HUGE, bytes);
	if (!s)
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(s, bytes, MADV_HUGEPAGE);
#endif
	memset(s, 0, bytes);
	return s;
}

lk_hash *lk_hash_new(size_t hint)
{
	lk_hash *h = calloc(1, sizeof *h);
	size_t n = 16;

	if (!h)
		return NULL;
	while (n < hint * 2)
		n *= 2;
	h->slots = slots_new(n);
	if (!h->slots) {
		free(h);
		return NULL;
	}
	h->nslots = n;
	return h;
}

void lk_hash_free(lk_hash *h)
{
	struct lk_chunk *c, *next;

	if (!h)
		return;
	for (c = h->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(h->slots);
	free(h->e);
	free(h);
}

static const char *copy_key(lk_hash *h, const char *key, size_t len)
{
	struct lk_chunk *c = h->chunks;
	char *p;

	if (!c || c->cap - c->used < len + 1) {
		size_t cap = len + 1 > LK_CHUNK ? len + 1 : LK_CHUNK;
		c = malloc(sizeof *c + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = h->chunks;
		h->chunks = c;
	}
	p = c->data + c->used;
	memcpy(p, key, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

static int rehash(lk_hash *h)
{
	size_t n = h->nslots * 2, i;
	uint64_t *s = slots_new(n);

	if (!s)
		return -1;
	for (i = 0; i < h->n; i++) {
		size_t j = (size_t)h->e[i].hash & (n - 1);
		while (s[j])
			j = (j + 1) & (n - 1);
		s[j] = SLOT(i, h->e[i].hash);
	}
	free(h->slots);
	h->slots = s;
	h->nslots = n;
	return 0;
}

uint64_t lk_hash_code(const char *key, size_t len)
{
	return table_hash(key, len);
}

void lk_hash_prefetch(const lk_hash *h, uint64_t hv)
{
#if defined(__GNUC__)
	__builtin_prefetch(&h->slots[(size_t)hv & (h->nslots - 1)]);
#else
	(void)h;
	(void)hv;
#endif
}

void **lk_hash_slot(lk_hash *h, const char *key, size_t len, int create, int *created)
{
	return lk_hash_slot_hashed(h, key, len, table_hash(key, len), create, created);
}

void **lk_hash_slot_hashed(lk_hash *h, const char *key, size_t len, uint64_t hv,
			   int create, int *created)
{
	size_t j = (size_t)hv & (h->nslots - 1);
	struct lk_entry *e;

	if (created)
		*created = 0;
	while (h->slots[j]) {
		if (((h->slots[j] ^ hv) & 0xffffffff00000000ULL) == 0) {
			e = &h->e[SLOT_INDEX(h->slots[j])];
			if (e->hash == hv && e->len == len && !memcmp(e->key, key, len))
				return &e->val;
		}
		j = (j + 1) & (h->nslots - 1);
	}
	if (!create)
		return NULL;
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		struct lk_entry *ne = realloc(h->e, cap * sizeof *ne);
		if (!ne)
			return NULL;
		h->e = ne;
		h->cap = cap;
	}
	e = &h->e[h->n];
	e->key = copy_key(h, key, len);
	if (!e->key)
		return NULL;
	e->len = len;
	e->hash = hv;
	e->val = NULL;
	h->slots[j] = SLOT(h->n, hv);
	h->n++;
	if (created)
		*created = 1;
	if (h->n * 10 > h->nslots * 7 && rehash(h) < 0)
		return NULL;
	return &h->e[h->n - 1].val;
}

void *lk_hash_get(const lk_hash *h, const char *key, size_t len)
{
	void **v = lk_hash_slot((lk_hash *)h, key, len, 0, NULL);

	return v ? *v : NULL;
}

int lk_hash_put(lk_hash *h, const char *key, size_t len, void *val)
{
	void **v = lk_hash_slot(h, key, len, 1, NULL);

	if (!v)
		return -1;
	*v = val;
	return 0;
}

size_t lk_hash_count(const lk_hash *h)
{
	return h->n;
}

void lk_hash_entry(const lk_hash *h, size_t i, const char **key, size_t *len, void **val)
{
	if (key)
		*key = h->e[i].key;
	if (len)
		*len = h->e[i].len;
	if (val)
		*val = h->e[i].val;
}
