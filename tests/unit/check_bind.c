/* Unit tests for lib/model/bind: owned columns appended or updated in
 * place, skipped columns, repeated names, and rows passed through (short
 * rows, rows without lengths). */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "model/bind.h"

static const char *const owned[] = { "route", "owner", "queue" };

/* What lk_bind_owned hands the caller to free. */
static void unbind(const char **names, lk_row *out)
{
	free(names);
	free(out->f);
	free(out->len);
}

START_TEST(appended_after_the_input)
{
	const char *cols[] = { "lead_id", "email" };
	const char **names = NULL;
	lk_row out = { 0 };
	int col[3];
	lk_err e;

	ck_assert_int_eq(lk_bind_owned(cols, 2, owned, 3, NULL, col, &names, &out, &e), 5);
	ck_assert_int_eq(out.n, 5);
	ck_assert_str_eq(names[2], "route");
	ck_assert_str_eq(names[3], "owner");
	ck_assert_str_eq(names[4], "queue");
	ck_assert_ptr_null(names[5]);
	ck_assert_int_eq(col[0], 2);
	ck_assert_int_eq(col[1], 3);
	ck_assert_int_eq(col[2], 4);
	unbind(names, &out);
}
END_TEST

START_TEST(updated_in_place_and_skipped)
{
	/* owner is in the input (twice: the first wins); queue is skipped. */
	const char *cols[] = { "owner", "lead_id", "owner" };
	const char skip[] = { 0, 0, 1 };
	const char **names = NULL;
	lk_row out = { 0 };
	int col[3];
	lk_err e;

	ck_assert_int_eq(lk_bind_owned(cols, 3, owned, 3, skip, col, &names, &out, &e), 4);
	ck_assert_int_eq(col[0], 3);
	ck_assert_int_eq(col[1], 0);
	ck_assert_int_eq(col[2], -1);
	ck_assert_str_eq(names[0], "owner");
	ck_assert_str_eq(names[3], "route");
	/* A second bind replaces the header and the row's arrays. */
	ck_assert_int_eq(lk_bind_owned(cols, 1, owned, 3, NULL, col, &names, &out, &e), 3);
	ck_assert_int_eq(col[1], 0);
	ck_assert_int_eq(col[2], 2);
	unbind(names, &out);
}
END_TEST

START_TEST(pass_through)
{
	const char *cols[] = { "a", "b", "c" };
	char *f[] = { "1", "22", "333", "extra" };
	size_t len[] = { 1, 2, 3, 5 };
	lk_row in = { .n = 2, .f = f, .len = len };
	const char **names = NULL;
	lk_row out = { 0 };
	int col[3];
	lk_err e;

	ck_assert_int_eq(lk_bind_owned(cols, 3, owned, 3, NULL, col, &names, &out, &e), 6);
	lk_bind_pass(&out, &in, 3);
	ck_assert_ptr_eq(out.f[0], f[0]);
	ck_assert_uint_eq(out.len[1], 2);
	ck_assert_str_eq(out.f[2], "");	/* a short row */
	ck_assert_uint_eq(out.len[2], 0);
	ck_assert_str_eq(out.f[3], "");
	/* A long row's extra field never lands in an owned column, and a
	 * row without lengths is measured. */
	in.n = 4;
	in.len = NULL;
	lk_bind_pass(&out, &in, 3);
	ck_assert_uint_eq(out.len[2], 3);
	ck_assert_str_eq(out.f[3], "");
	ck_assert_uint_eq(out.len[3], 0);
	unbind(names, &out);
}
END_TEST

START_TEST(find_first_of_a_name)
{
	const char *cols[] = { "email", "lead_id", "email" };
	const char *want[] = { "lead_id", "email", "stage" };
	int idx[3];

	lk_bind_find(cols, 3, want, 3, idx);
	ck_assert_int_eq(idx[0], 1);
	ck_assert_int_eq(idx[1], 0);
	ck_assert_int_eq(idx[2], -1);
}
END_TEST

Suite *lk_suite_bind(void)
{
	Suite *s = suite_create("bind");
	TCase *t = tcase_create("bind");

	tcase_add_test(t, appended_after_the_input);
	tcase_add_test(t, updated_in_place_and_skipped);
	tcase_add_test(t, pass_through);
	tcase_add_test(t, find_first_of_a_name);
	suite_add_tcase(s, t);
	return s;
}
