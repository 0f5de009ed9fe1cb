/*
 * hash.h - string-keyed hash table and the FNV-1a hash.
 *
 * Keys are byte strings (any bytes, with a length); the table copies
 * each key into its own arena, so callers may pass reader-owned field
 * memory.  Values are a pointer-sized slot the caller owns.  Iteration
 * order is insertion order, so output built from a table is
 * deterministic.  Open addressing with linear probing; no deletion.
 * The table hashes keys with its own word-at-a-time function (its
 * layout never leaves the process); lk_fnv1a is the stable hash for
 * anything that must agree across machines, such as --partition.
 */
#ifndef LK_HASH_H
#define LK_HASH_H

#include <stddef.h>
#include <stdint.h>

/*
 * FNV-1a, 64 bit (offset basis 14695981039346656037, prime
 * 1099511628211): the documented, machine-independent hash that
 * --partition uses on normalised keys.
 */
uint64_t lk_fnv1a(const void *data, size_t len);

typedef struct lk_hash lk_hash;

/* A table sized for about `hint` keys (it grows as needed); NULL on ENOMEM. */
lk_hash *lk_hash_new(size_t hint);
void lk_hash_free(lk_hash *h);

/*
 * The value slot for a key: found, or (when `create`) inserted with
 * value NULL, setting *created to 1.  NULL when absent and !create, or on
 * ENOMEM.  The slot pointer is valid until the next insertion.
 */
void **lk_hash_slot(lk_hash *h, const char *key, size_t len, int create, int *created);
/*
 * The same in two steps, for callers that see keys before they need
 * them: lk_hash_code gives a key's hash, lk_hash_prefetch starts
 * loading the part of the table that key will probe (a hint: nothing
 * changes), and lk_hash_slot_hashed is lk_hash_slot given that hash.
 */
uint64_t lk_hash_code(const char *key, size_t len);
void lk_hash_prefetch(const lk_hash *h, uint64_t hv);
void **lk_hash_slot_hashed(lk_hash *h, const char *key, size_t len, uint64_t hv,
			   int create, int *created);
/* The value for a key, or NULL. */
void *lk_hash_get(const lk_hash *h, const char *key, size_t len);
/* Insert or replace; -1 on ENOMEM. */
int lk_hash_put(lk_hash *h, const char *key, size_t len, void *val);
size_t lk_hash_count(const lk_hash *h);
/*
 * The i-th inserted entry (0 <= i < count): its key (NUL-terminated,
 * owned by the table), key length and value.
 */
void lk_hash_entry(const lk_hash *h, size_t i, const char **key, size_t *len, void **val);

#endif
