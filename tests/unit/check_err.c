/*
 * Unit tests for lib/core/err: the cause an error carries beyond its
 * kind, set where the failure is detected (the reader, the writer) and
 * cleared by every new error, so that callers act on the cause and
 * never on the message's words.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "core/csvio.h"

/* Read the n bytes of `text` to their end with `opt`: 0, or -1 and e. */
static int read_n(const char *text, size_t n, const lk_csvopt *opt, lk_err *e)
{
	FILE *fp = tmpfile();
	lk_reader *r;
	lk_row *row;
	int c;

	fwrite(text, 1, n, fp);
	fflush(fp);
	rewind(fp);
	lk_err_clear(e);
	r = lk_reader_new(fileno(fp), opt, e);
	ck_assert_ptr_nonnull(r);
	while ((c = lk_reader_next(r, &row, e)) > 0)
		;
	lk_reader_free(r);
	fclose(fp);
	return c;
}

#define read_all(lit, opt, e) read_n(lit, sizeof lit - 1, opt, e)

START_TEST(test_set_clears_cause)
{
	lk_err e;

	lk_err_clear(&e);
	ck_assert_int_eq(e.cause, LK_ENOCAUSE);
	ck_assert_int_eq(lk_err_set(&e, LK_EIO, "write error: Broken pipe"), -1);
	ck_assert_int_eq(lk_err_because(&e, LK_EPIPE), -1);
	ck_assert_int_eq(e.cause, LK_EPIPE);
	lk_err_set(&e, LK_EDATA, "something else");
	ck_assert_int_eq(e.cause, LK_ENOCAUSE);
	lk_err_at(&e, "m.yaml", 1, 2, "typo");
	ck_assert_int_eq(e.cause, LK_ENOCAUSE);
	ck_assert_int_eq(lk_err_because(NULL, LK_EUTF8), -1);	/* no detail wanted */
}
END_TEST

START_TEST(test_invalid_utf8)
{
	lk_csvopt opt = { 0 };
	lk_err e;

	/* 0xE9 alone (Latin-1 e-acute) is no UTF-8: on line 3, record 2. */
	opt.check_utf8 = 1;
	ck_assert_int_eq(read_all("name\nann\n\xe9t\xe9\n", &opt, &e), -1);
	ck_assert_int_eq(e.kind, LK_EDATA);
	ck_assert_int_eq(e.cause, LK_EUTF8);
	ck_assert_int_eq(e.line, 3);
	ck_assert_int_eq(e.record, 2);
	/* Unchecked, the bytes pass. */
	opt.check_utf8 = 0;
	ck_assert_int_eq(read_all("name\nann\n\xe9t\xe9\n", &opt, &e), 0);
	/* Input declared as a form of UTF-8 is invalid UTF-8 when it does
	 * not decode; UTF-16 cut inside a character ("x" is half of one) is
	 * bad input of another kind. */
	opt.encoding = "UTF-8//IGNORE";
	if (read_all("name\n\xe9\n", &opt, &e) < 0)
		ck_assert_int_eq(e.cause, LK_EUTF8);
	opt.encoding = "UTF-16LE";
	ck_assert_int_eq(read_all("n\0a\0\n\0x", &opt, &e), -1);
	ck_assert_int_eq(e.kind, LK_EDATA);
	ck_assert_int_eq(e.cause, LK_ENOCAUSE);
}
END_TEST

START_TEST(test_closed_pipe)
{
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	lk_writer *w;
	lk_err e;
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	close(p[0]);
	w = lk_writer_new(p[1], ',', 0);
	lk_writer_row(w, (const char *const[]){ "a", "b" }, NULL, 2, &e);
	ck_assert_int_eq(lk_writer_flush(w, &e), -1);
	ck_assert_int_eq(e.kind, LK_EIO);
	ck_assert_int_eq(e.cause, LK_EPIPE);
	lk_writer_free(w);
	close(p[1]);
	signal(SIGPIPE, old);

	/* A full disk is a write error with no cause. */
	{
		FILE *full = fopen("/dev/full", "w");
		if (!full)
			return;
		w = lk_writer_new(fileno(full), ',', 0);
		lk_writer_row(w, (const char *const[]){ "a" }, NULL, 1, &e);
		ck_assert_int_eq(lk_writer_flush(w, &e), -1);
		ck_assert_int_eq(e.kind, LK_EIO);
		ck_assert_int_eq(e.cause, LK_ENOCAUSE);
		lk_writer_free(w);
		fclose(full);
	}
}
END_TEST

Suite *lk_suite_err(void)
{
	return lk_unit_suite("err", NULL, NULL, LK_UNIT_TESTS(test_set_clears_cause,
			     test_invalid_utf8, test_closed_pipe));
}
