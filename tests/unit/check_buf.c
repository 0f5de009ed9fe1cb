/* Unit tests for lib/buf and lib/err. */
#include <string.h>

#include "unit.h"
#include "core/buf.h"
#include "core/err.h"

START_TEST(buf_appends_and_terminates)
{
	lk_buf b = LK_BUF_INIT;
	int i;

	ck_assert_str_eq(lk_buf_str(&b), "");
	ck_assert_int_eq(lk_buf_adds(&b, "ab"), 0);
	ck_assert_int_eq(lk_buf_addc(&b, 'c'), 0);
	ck_assert_int_eq(lk_buf_addf(&b, "-%d-%s", 42, "x"), 0);
	ck_assert_str_eq(b.data, "abc-42-x");
	ck_assert_uint_eq(b.len, 8);
	for (i = 0; i < 10000; i++)
		lk_buf_addc(&b, 'z');
	ck_assert_uint_eq(b.len, 10008);
	ck_assert_int_eq(b.data[b.len], '\0');
	lk_buf_reset(&b);
	ck_assert_str_eq(b.data, "");
	lk_buf_free(&b);
	lk_buf_free(&b);	/* freeing twice is harmless */
	ck_assert_ptr_null(b.data);
}
END_TEST

START_TEST(buf_holds_nul_bytes)
{
	lk_buf b = LK_BUF_INIT;
	char *p;

	lk_buf_add(&b, "a\0b", 3);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_int_eq(memcmp(b.data, "a\0b", 3), 0);
	p = lk_buf_detach(&b);
	ck_assert_ptr_null(b.data);
	free(p);
	p = lk_buf_detach(&b);
	ck_assert_str_eq(p, "");
	free(p);
}
END_TEST

START_TEST(err_formats_positions)
{
	lk_err e;
	char s[1024];

	lk_err_clear(&e);
	ck_assert_int_eq(lk_err_at(&e, "m.yaml", 12, 5, "unknown key '%s'", "pionts"), -1);
	ck_assert_str_eq(lk_err_str(&e, s, sizeof s), "m.yaml:12:5: unknown key 'pionts'");
	lk_err_clear(&e);
	lk_err_set(&e, LK_EDATA, "ragged row");
	e.record = 3;
	e.line = 4;
	ck_assert_str_eq(lk_err_str(&e, s, sizeof s), "record 3 (line 4): ragged row");
	lk_err_clear(&e);
	lk_err_set(&e, LK_EIO, "disk full");
	ck_assert_str_eq(lk_err_str(&e, s, sizeof s), "disk full");
}
END_TEST

START_TEST(did_you_mean_finds_typos)
{
	const char *keys[] = { "points", "when", "rule", "half_life" };

	ck_assert_str_eq(lk_did_you_mean("pionts", keys, 4), "points");
	ck_assert_str_eq(lk_did_you_mean("Wehn", keys, 4), "when");
	ck_assert_str_eq(lk_did_you_mean("halflife", keys, 4), "half_life");
	ck_assert_ptr_null(lk_did_you_mean("completely", keys, 4));
}
END_TEST

Suite *lk_suite_buf(void)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, buf_appends_and_terminates);
	tcase_add_test(tc, buf_holds_nul_bytes);
	tcase_add_test(tc, err_formats_positions);
	tcase_add_test(tc, did_you_mean_finds_typos);
	suite_add_tcase(s, tc);
	return s;
}
