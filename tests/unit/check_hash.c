/* Unit tests for lib/hash: the published FNV-1a 64 vectors, insert, get
 * and replace, growth to many keys, binary keys and insertion order. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "core/hash.h"

/* The FNV-1a 64-bit test vectors published with the algorithm
 * (Fowler, Noll, Vo: "FNV hash" test suite). */
START_TEST(fnv1a_published_vectors)
{
	ck_assert_uint_eq(lk_fnv1a("", 0), 0xcbf29ce484222325ULL);
	ck_assert_uint_eq(lk_fnv1a("a", 1), 0xaf63dc4c8601ec8cULL);
	ck_assert_uint_eq(lk_fnv1a("foobar", 6), 0x85944171f73967e8ULL);
	/* Only `len` bytes count, whatever follows. */
	ck_assert_uint_eq(lk_fnv1a("foobarbaz", 6), 0x85944171f73967e8ULL);
	/* A NUL byte is data: "a\0" differs from "a". */
	ck_assert_uint_ne(lk_fnv1a("a\0", 2), lk_fnv1a("a", 1));
}
END_TEST

START_TEST(insert_get_replace)
{
	lk_hash *h = lk_hash_new(0);
	int one = 1, two = 2, three = 3;
	void **slot;
	int created = -1;

	ck_assert_ptr_nonnull(h);
	ck_assert_uint_eq(lk_hash_count(h), 0);
	ck_assert_ptr_null(lk_hash_get(h, "x", 1));
	/* A lookup without create inserts nothing. */
	ck_assert_ptr_null(lk_hash_slot(h, "x", 1, 0, &created));
	ck_assert_int_eq(created, 0);
	ck_assert_uint_eq(lk_hash_count(h), 0);

	ck_assert_int_eq(lk_hash_put(h, "alpha", 5, &one), 0);
	ck_assert_int_eq(lk_hash_put(h, "beta", 4, &two), 0);
	ck_assert_ptr_eq(lk_hash_get(h, "alpha", 5), &one);
	ck_assert_ptr_eq(lk_hash_get(h, "beta", 4), &two);
	ck_assert_uint_eq(lk_hash_count(h), 2);

	/* Replace keeps one entry. */
	ck_assert_int_eq(lk_hash_put(h, "alpha", 5, &three), 0);
	ck_assert_ptr_eq(lk_hash_get(h, "alpha", 5), &three);
	ck_assert_uint_eq(lk_hash_count(h), 2);

	/* slot(create) on an existing key finds it and says so. */
	slot = lk_hash_slot(h, "beta", 4, 1, &created);
	ck_assert_ptr_nonnull(slot);
	ck_assert_int_eq(created, 0);
	ck_assert_ptr_eq(*slot, &two);
	/* ... and on a new key inserts NULL. */
	slot = lk_hash_slot(h, "gamma", 5, 1, &created);
	ck_assert_ptr_nonnull(slot);
	ck_assert_int_eq(created, 1);
	ck_assert_ptr_null(*slot);
	*slot = &one;
	ck_assert_ptr_eq(lk_hash_get(h, "gamma", 5), &one);
	ck_assert_uint_eq(lk_hash_count(h), 3);
	/* The empty key is a key like any other. */
	ck_assert_ptr_null(lk_hash_get(h, "", 0));
	ck_assert_int_eq(lk_hash_put(h, "", 0, &two), 0);
	ck_assert_ptr_eq(lk_hash_get(h, "", 0), &two);
	ck_assert_uint_eq(lk_hash_count(h), 4);
	lk_hash_free(h);
	lk_hash_free(NULL);
}
END_TEST

/* The table copies keys: the caller's buffer may change afterwards. */
START_TEST(keys_are_copied)
{
	lk_hash *h = lk_hash_new(4);
	char key[16];
	const char *k;
	size_t len;
	void *v;

	strcpy(key, "lead-1");
	ck_assert_int_eq(lk_hash_put(h, key, 6, (void *)(intptr_t)7), 0);
	strcpy(key, "XXXXXX");
	ck_assert_ptr_eq(lk_hash_get(h, "lead-1", 6), (void *)(intptr_t)7);
	ck_assert_ptr_null(lk_hash_get(h, "XXXXXX", 6));
	lk_hash_entry(h, 0, &k, &len, &v);
	ck_assert_str_eq(k, "lead-1");
	ck_assert_uint_eq(len, 6);
	lk_hash_free(h);
}
END_TEST

/* 100k keys from a tiny initial size: every key found with its own value
 * after many rehashes, absent keys not found. */
START_TEST(many_keys_with_growth)
{
	enum { N = 100000 };
	lk_hash *h = lk_hash_new(1);
	char key[32];
	long i;

	for (i = 0; i < N; i++) {
		int n = snprintf(key, sizeof key, "lead%ld@example.com", i);
		ck_assert_int_eq(lk_hash_put(h, key, (size_t)n, (void *)(intptr_t)(i + 1)), 0);
	}
	ck_assert_uint_eq(lk_hash_count(h), N);
	for (i = 0; i < N; i++) {
		int n = snprintf(key, sizeof key, "lead%ld@example.com", i);
		ck_assert_ptr_eq(lk_hash_get(h, key, (size_t)n), (void *)(intptr_t)(i + 1));
	}
	for (i = N; i < N + 1000; i++) {
		int n = snprintf(key, sizeof key, "lead%ld@example.com", i);
		ck_assert_ptr_null(lk_hash_get(h, key, (size_t)n));
	}
	/* Re-putting every key leaves the count alone. */
	for (i = 0; i < N; i += 7) {
		int n = snprintf(key, sizeof key, "lead%ld@example.com", i);
		ck_assert_int_eq(lk_hash_put(h, key, (size_t)n, NULL), 0);
	}
	ck_assert_uint_eq(lk_hash_count(h), N);
	ck_assert_ptr_null(lk_hash_get(h, "lead0@example.com", 17));
	ck_assert_ptr_eq(lk_hash_get(h, "lead1@example.com", 17), (void *)(intptr_t)2);
	lk_hash_free(h);
}
END_TEST

/* Keys are byte strings: NUL bytes inside them count, and keys that are
 * prefixes of each other stay distinct. */
START_TEST(binary_keys_and_prefixes)
{
	lk_hash *h = lk_hash_new(8);
	const char *k;
	size_t len;

	ck_assert_int_eq(lk_hash_put(h, "a\0b", 3, (void *)(intptr_t)1), 0);
	ck_assert_int_eq(lk_hash_put(h, "a\0c", 3, (void *)(intptr_t)2), 0);
	ck_assert_int_eq(lk_hash_put(h, "a", 1, (void *)(intptr_t)3), 0);
	ck_assert_int_eq(lk_hash_put(h, "a\0", 2, (void *)(intptr_t)4), 0);
	ck_assert_int_eq(lk_hash_put(h, "ab", 2, (void *)(intptr_t)5), 0);
	ck_assert_int_eq(lk_hash_put(h, "abc", 3, (void *)(intptr_t)6), 0);
	ck_assert_uint_eq(lk_hash_count(h), 6);
	ck_assert_ptr_eq(lk_hash_get(h, "a\0b", 3), (void *)(intptr_t)1);
	ck_assert_ptr_eq(lk_hash_get(h, "a\0c", 3), (void *)(intptr_t)2);
	ck_assert_ptr_eq(lk_hash_get(h, "a", 1), (void *)(intptr_t)3);
	ck_assert_ptr_eq(lk_hash_get(h, "a\0", 2), (void *)(intptr_t)4);
	ck_assert_ptr_eq(lk_hash_get(h, "ab", 2), (void *)(intptr_t)5);
	ck_assert_ptr_eq(lk_hash_get(h, "abc", 3), (void *)(intptr_t)6);
	ck_assert_ptr_null(lk_hash_get(h, "a\0d", 3));
	ck_assert_ptr_null(lk_hash_get(h, "abcd", 4));
	/* The stored key keeps its bytes and is NUL-terminated after them. */
	lk_hash_entry(h, 0, &k, &len, NULL);
	ck_assert_uint_eq(len, 3);
	ck_assert_int_eq(memcmp(k, "a\0b", 4), 0);
	lk_hash_free(h);
}
END_TEST

/* Iteration is in insertion order, through growth and replacement. */
START_TEST(iterates_in_insertion_order)
{
	lk_hash *h = lk_hash_new(2);
	char key[32];
	const char *k;
	size_t len, i;
	void *v;

	/* Keys in an order unrelated to their hashes or sort order. */
	for (i = 0; i < 5000; i++) {
		int n = snprintf(key, sizeof key, "k%zu", (i * 7919) % 5000);
		ck_assert_int_eq(lk_hash_put(h, key, (size_t)n, (void *)(intptr_t)(i + 1)), 0);
	}
	/* Replacing a value does not move its entry. */
	ck_assert_int_eq(lk_hash_put(h, "k0", 2, (void *)(intptr_t)99999), 0);
	ck_assert_uint_eq(lk_hash_count(h), 5000);
	for (i = 0; i < 5000; i++) {
		int n = snprintf(key, sizeof key, "k%zu", (i * 7919) % 5000);
		lk_hash_entry(h, i, &k, &len, &v);
		ck_assert_uint_eq(len, (size_t)n);
		ck_assert_str_eq(k, key);
		ck_assert_ptr_eq(v, i == 0 ? (void *)(intptr_t)99999 : (void *)(intptr_t)(i + 1));
	}
	lk_hash_free(h);
}
END_TEST

/* Keys longer than the arena's chunk are stored whole. */
START_TEST(long_keys)
{
	size_t n = (1u << 20) + 100;
	char *big = malloc(n);
	lk_hash *h = lk_hash_new(0);
	const char *k;
	size_t len;

	memset(big, 'q', n);
	ck_assert_int_eq(lk_hash_put(h, "short", 5, (void *)(intptr_t)1), 0);
	ck_assert_int_eq(lk_hash_put(h, big, n, (void *)(intptr_t)2), 0);
	ck_assert_int_eq(lk_hash_put(h, "after", 5, (void *)(intptr_t)3), 0);
	ck_assert_ptr_eq(lk_hash_get(h, big, n), (void *)(intptr_t)2);
	ck_assert_ptr_null(lk_hash_get(h, big, n - 1));
	ck_assert_ptr_eq(lk_hash_get(h, "short", 5), (void *)(intptr_t)1);
	ck_assert_ptr_eq(lk_hash_get(h, "after", 5), (void *)(intptr_t)3);
	lk_hash_entry(h, 1, &k, &len, NULL);
	ck_assert_uint_eq(len, n);
	ck_assert_int_eq(memcmp(k, big, n), 0);
	ck_assert_int_eq(k[n], '\0');
	lk_hash_free(h);
	free(big);
}
END_TEST

/* The two-step lookup (code, prefetch, slot) finds what lk_hash_slot
 * finds, across growth. */
START_TEST(hashed_lookup_matches)
{
	lk_hash *h = lk_hash_new(4);
	char k[32];
	int i, created;

	for (i = 0; i < 5000; i++) {
		size_t n = (size_t)snprintf(k, sizeof k, "key%d", i);
		uint64_t hv = lk_hash_code(k, n);
		void **v;
		lk_hash_prefetch(h, hv);
		v = lk_hash_slot_hashed(h, k, n, hv, 1, &created);
		ck_assert_ptr_nonnull(v);
		ck_assert_int_eq(created, 1);
		*v = (void *)(intptr_t)(i + 1);
	}
	for (i = 0; i < 5000; i++) {
		size_t n = (size_t)snprintf(k, sizeof k, "key%d", i);
		void **v = lk_hash_slot_hashed(h, k, n, lk_hash_code(k, n), 1, &created);
		ck_assert_int_eq(created, 0);
		ck_assert_ptr_eq(*v, (void *)(intptr_t)(i + 1));
		ck_assert_ptr_eq(lk_hash_get(h, k, n), (void *)(intptr_t)(i + 1));
	}
	ck_assert_uint_eq(lk_hash_count(h), 5000);
	lk_hash_free(h);
}
END_TEST

Suite *lk_suite_hash(void)
{
	Suite *s = suite_create("hash");
	TCase *tc = tcase_create("hash");

	tcase_add_test(tc, fnv1a_published_vectors);
	tcase_add_test(tc, insert_get_replace);
	tcase_add_test(tc, keys_are_copied);
	tcase_add_test(tc, many_keys_with_growth);
	tcase_add_test(tc, binary_keys_and_prefixes);
	tcase_add_test(tc, iterates_in_insertion_order);
	tcase_add_test(tc, long_keys);
	tcase_add_test(tc, hashed_lookup_matches);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
