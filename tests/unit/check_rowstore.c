/* Unit tests for lib/rowstore: copies outlive the source, rows larger
 * than a chunk, many rows, clear and reuse. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "core/rowstore.h"

/* lk_rowstore_get fills field arrays the caller owns: room for 4 fields. */
#define GOT(name) \
	char *name##_f[4]; \
	size_t name##_l[4]; \
	lk_row name = { .f = name##_f, .len = name##_l }

/* An lk_row over caller-owned buffers. */
static void make_row(lk_row *r, char **f, size_t *len, int n, long record, long line)
{
	int i;

	memset(r, 0, sizeof *r);
	r->n = n;
	r->f = f;
	r->len = len;
	for (i = 0; i < n; i++)
		len[i] = strlen(f[i]);
	r->record = record;
	r->line = line;
	r->nlines = 1;
}

START_TEST(copies_survive_the_source)
{
	lk_rowstore *s = lk_rowstore_new();
	char a[] = "ada@example.com", b[] = "Ada", c[] = "";
	char *f[3] = { a, b, c };
	size_t len[3];
	lk_row r;
	GOT(got);

	make_row(&r, f, len, 3, 4, 7);
	r.bad = "ragged row";
	ck_assert_int_eq(lk_rowstore_add(s, &r), 0);
	/* The reader would now overwrite its buffers. */
	memset(a, 'x', sizeof a - 1);
	memset(b, 'y', sizeof b - 1);
	len[0] = len[1] = 99;
	f[0] = f[1] = NULL;
	ck_assert_int_eq(lk_rowstore_count(s), 1);
	lk_rowstore_get(s, 0, &got);
	ck_assert_int_eq(got.n, 3);
	ck_assert_str_eq(got.f[0], "ada@example.com");
	ck_assert_uint_eq(got.len[0], 15);
	ck_assert_str_eq(got.f[1], "Ada");
	ck_assert_uint_eq(got.len[1], 3);
	ck_assert_str_eq(got.f[2], "");
	ck_assert_uint_eq(got.len[2], 0);
	ck_assert_int_eq(got.record, 4);
	ck_assert_int_eq(got.line, 7);
	ck_assert_str_eq(got.bad, "ragged row");
	lk_rowstore_free(s);
	lk_rowstore_free(NULL);
}
END_TEST

/* Fields with NUL bytes keep their length; addv copies pointers+lengths. */
START_TEST(addv_keeps_binary_fields)
{
	lk_rowstore *s = lk_rowstore_new();
	const char *f[2] = { "a\0b", "zz" };
	size_t len[2] = { 3, 2 };
	GOT(got);

	ck_assert_int_eq(lk_rowstore_addv(s, f, len, 2, 9, 12), 0);
	ck_assert_int_eq(lk_rowstore_addv(s, f, len, 0, 10, 13), 1);
	lk_rowstore_get(s, 0, &got);
	ck_assert_int_eq(got.n, 2);
	ck_assert_uint_eq(got.len[0], 3);
	ck_assert_int_eq(memcmp(got.f[0], "a\0b", 4), 0);	/* and a NUL after */
	ck_assert_str_eq(got.f[1], "zz");
	ck_assert_int_eq(got.record, 9);
	ck_assert_int_eq(got.line, 12);
	ck_assert_ptr_null(got.bad);
	lk_rowstore_get(s, 1, &got);
	ck_assert_int_eq(got.n, 0);
	ck_assert_int_eq(got.record, 10);
	lk_rowstore_free(s);
}
END_TEST

/* Rows larger than the 1 MiB chunk, between small ones; and rows fetched
 * early stay valid while later rows are added (chunks never move). */
START_TEST(rows_larger_than_a_chunk)
{
	lk_rowstore *s = lk_rowstore_new();
	size_t big = (3u << 20) + 5;
	char *huge = malloc(big + 1);
	char *f[2];
	size_t len[2];
	lk_row r;
	GOT(first);
	GOT(got);
	long i;

	memset(huge, 'h', big);
	huge[big] = '\0';
	f[0] = "small";
	f[1] = "row";
	make_row(&r, f, len, 2, 1, 2);
	ck_assert_int_eq(lk_rowstore_add(s, &r), 0);
	lk_rowstore_get(s, 0, &first);
	f[0] = huge;
	f[1] = "tail";
	make_row(&r, f, len, 2, 2, 3);
	ck_assert_int_eq(lk_rowstore_add(s, &r), 1);
	/* Enough small rows to fill several chunks after the big one. */
	for (i = 0; i < 50000; i++) {
		char buf[64];
		snprintf(buf, sizeof buf, "row %ld with some padding to fill chunks", i);
		f[0] = buf;
		f[1] = "x";
		make_row(&r, f, len, 2, 3 + i, 4 + i);
		ck_assert_int_eq(lk_rowstore_add(s, &r), 2 + i);
	}
	ck_assert_int_eq(lk_rowstore_count(s), 50002);
	ck_assert_str_eq(first.f[0], "small");
	ck_assert_str_eq(first.f[1], "row");
	lk_rowstore_get(s, 1, &got);
	ck_assert_uint_eq(got.len[0], big);
	ck_assert_int_eq(memcmp(got.f[0], huge, big + 1), 0);
	ck_assert_str_eq(got.f[1], "tail");
	for (i = 0; i < 50000; i += 997) {
		char buf[64];
		snprintf(buf, sizeof buf, "row %ld with some padding to fill chunks", i);
		lk_rowstore_get(s, 2 + i, &got);
		ck_assert_str_eq(got.f[0], buf);
		ck_assert_int_eq(got.record, 3 + i);
		ck_assert_int_eq(got.line, 4 + i);
	}
	/* Pointers are aligned for the lengths array (size_t) access. */
	ck_assert_uint_eq((uintptr_t)got.len % sizeof(size_t), 0);
	free(huge);
	lk_rowstore_free(s);
}
END_TEST

/* clear forgets every row; the store is usable again, also with a row
 * larger than the chunk it kept. */
START_TEST(clear_and_reuse)
{
	lk_rowstore *s = lk_rowstore_new();
	char *f[1];
	size_t len[1];
	lk_row r;
	GOT(got);
	long i;
	size_t big = (2u << 20);
	char *huge = malloc(big + 1);

	lk_rowstore_clear(s);	/* clearing an empty store is harmless */
	ck_assert_int_eq(lk_rowstore_count(s), 0);
	for (i = 0; i < 3000; i++) {
		f[0] = "before";
		make_row(&r, f, len, 1, i + 1, i + 2);
		ck_assert_int_eq(lk_rowstore_add(s, &r), i);
	}
	lk_rowstore_clear(s);
	ck_assert_int_eq(lk_rowstore_count(s), 0);
	f[0] = "after";
	make_row(&r, f, len, 1, 1, 2);
	ck_assert_int_eq(lk_rowstore_add(s, &r), 0);
	lk_rowstore_get(s, 0, &got);
	ck_assert_str_eq(got.f[0], "after");
	memset(huge, 'z', big);
	huge[big] = '\0';
	for (i = 0; i < 3; i++) {
		lk_rowstore_clear(s);
		f[0] = huge;
		make_row(&r, f, len, 1, 1, 2);
		ck_assert_int_eq(lk_rowstore_add(s, &r), 0);
		f[0] = "small";
		make_row(&r, f, len, 1, 2, 3);
		ck_assert_int_eq(lk_rowstore_add(s, &r), 1);
		lk_rowstore_get(s, 0, &got);
		ck_assert_uint_eq(got.len[0], big);
		ck_assert_int_eq(got.f[0][big - 1], 'z');
		lk_rowstore_get(s, 1, &got);
		ck_assert_str_eq(got.f[0], "small");
	}
	free(huge);
	lk_rowstore_free(s);
}
END_TEST

Suite *lk_suite_rowstore(void)
{
	Suite *s = suite_create("rowstore");
	TCase *tc = tcase_create("rowstore");

	tcase_add_test(tc, copies_survive_the_source);
	tcase_add_test(tc, addv_keeps_binary_fields);
	tcase_add_test(tc, rows_larger_than_a_chunk);
	tcase_add_test(tc, clear_and_reuse);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
