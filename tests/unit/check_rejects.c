/*
 * Unit tests for lib/core/rejects: a rejected row is written as it was
 * read, field for field, with its reason and its line after it, under
 * the input header plus _reject_reason and _line; a reason's class is
 * its text before the first ':' or quote.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "core/rejects.h"

START_TEST(test_rows)
{
	FILE *fp = tmpfile();
	lk_writer *w = lk_writer_new(fileno(fp), ',', 0);
	char *f[] = { "1", "a,b", "two\nlines" };
	size_t len[] = { 1, 3, 9 };
	lk_row row = { .n = 3, .f = f, .len = len, .record = 4, .line = 7 };
	char buf[256] = "";
	lk_err e;

	ck_assert_int_eq(lk_reject_header(w, (const char *const[]){ "id", "name", "notes" }, 3, &e),
			 0);
	ck_assert_int_eq(lk_reject_row(w, &row, "unparseable date 'x'", &e), 0);
	ck_assert_int_eq(lk_writer_flush(w, &e), 0);
	rewind(fp);
	ck_assert_uint_gt(fread(buf, 1, sizeof buf - 1, fp), 0);
	/* Minimal quoting: the comma and the newline need quotes, the
	 * apostrophes do not. */
	ck_assert_str_eq(buf, "id,name,notes,_reject_reason,_line\n"
			 "1,\"a,b\",\"two\nlines\",unparseable date 'x',7\n");
	lk_writer_free(w);
	fclose(fp);
}
END_TEST

START_TEST(test_class)
{
	ck_assert_uint_eq(lk_reject_class("unparseable date 'x'"), strlen("unparseable date"));
	ck_assert_uint_eq(lk_reject_class("nurture_state 'bogus' is not active"),
			  strlen("nurture_state"));
	ck_assert_uint_eq(lk_reject_class("empty name: nothing to measure"), strlen("empty name"));
	ck_assert_uint_eq(lk_reject_class("NUL byte in field"), strlen("NUL byte in field"));
	ck_assert_uint_eq(lk_reject_class(": no text"), 0);
}
END_TEST

/* The tally without a file: every row counted, none kept, the classes
 * in the order first met; four rows are over a limit of three. */
START_TEST(test_tally)
{
	char *f[] = { "1" };
	size_t len[] = { 1 };
	lk_row row = { .n = 1, .f = f, .len = len, .record = 1, .line = 2 };
	const char *reasons[] = { "unparseable date 'x'", "no email", "unparseable date 'y'",
				  "no email" };
	lk_rejects r;
	lk_err e;
	const char *name;
	long n;
	int i;

	ck_assert_int_eq(lk_rejects_open(&r, NULL, 3, ',', &e), 0);
	ck_assert_int_eq(r.open, 0);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(lk_rejects_put(&r, &row, reasons[i], &e), 1);
	ck_assert_int_eq(lk_rejects_over(&r), 0);
	ck_assert_int_eq(lk_rejects_put(&r, &row, reasons[3], &e), 1);
	ck_assert_int_eq(lk_rejects_over(&r), 1);
	ck_assert_int_eq(r.count, 4);
	ck_assert_uint_eq(lk_rejects_nclasses(&r), 2);
	lk_rejects_class(&r, 0, &name, &n);
	ck_assert_str_eq(name, "unparseable date");
	ck_assert_int_eq(n, 2);
	lk_rejects_class(&r, 1, &name, &n);
	ck_assert_str_eq(name, "no email");
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(lk_rejects_commit(&r, &e), 0);
	lk_rejects_free(&r);
}
END_TEST

Suite *lk_suite_rejects(void)
{
	return lk_unit_suite("rejects", NULL, NULL, LK_UNIT_TESTS(test_rows, test_class, test_tally));
}
