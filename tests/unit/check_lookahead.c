/* Unit tests for lib/ingest/lookahead: rows read ahead are replayed in
 * order, whole, with their record and line; the reader goes on after
 * them; and what they show settles the ingest's date orders before the
 * first row is normalised (lookahead.h, ingest.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "core/buf.h"
#include "ingest/lookahead.h"

/* One test's input: a reader over a text (its header read), an ingest
 * for that header, and the look-ahead under test. */
static struct {
	lk_model *m;
	int fd;
	lk_reader *rd;
	lk_ingest *g;
	lk_lookahead *a;
} t;

static void open_text(const char *text)
{
	FILE *f = tmpfile();
	lk_csvopt co = { 0 };
	lk_row *hdr;
	lk_err e;

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	fflush(f);
	t.fd = dup(fileno(f));
	fclose(f);
	lseek(t.fd, 0, SEEK_SET);
	co.delim = ',';
	co.name = "test.csv";
	t.rd = lk_reader_new(t.fd, &co, &e);
	ck_assert_ptr_nonnull(t.rd);
	ck_assert_int_eq(lk_reader_next(t.rd, &hdr, &e), 1);
	t.g = lk_ingest_new(t.m, NULL, hdr, &e);
	ck_assert_msg(t.g != NULL, "lk_ingest_new: %s", e.msg);
	t.a = lk_lookahead_new();
	ck_assert_ptr_nonnull(t.a);
}

static void setup(void)
{
	lk_err e;

	memset(&t, 0, sizeof t);
	t.m = lk_model_load(NULL, &e);
	ck_assert_ptr_nonnull(t.m);
}

static void teardown(void)
{
	lk_lookahead_free(t.a);
	lk_ingest_free(t.g);
	lk_reader_free(t.rd);
	if (t.fd > 0)
		close(t.fd);
	lk_model_free(t.m);
}

/* A short input: every row kept, the end of input said, the rows given
 * back in order with their fields, record numbers and lines. */
START_TEST(replays_a_short_input_in_order)
{
	const lk_row *row;
	lk_err e;

	open_text("Email,Notes\na@b.co,one\n\nc@d.co,\"two\nlines\"\ne@f.co,three,x\n");
	ck_assert_int_eq(lk_lookahead_fill(t.a, t.rd, t.g, &e), 0);
	ck_assert_int_eq(lk_lookahead_next(t.a, &row, &e), 1);
	ck_assert_int_eq(row->n, 2);
	ck_assert_str_eq(row->f[0], "a@b.co");
	ck_assert_int_eq(row->record, 1);
	ck_assert_int_eq(row->line, 2);
	ck_assert_int_eq(lk_lookahead_next(t.a, &row, &e), 1);
	ck_assert_str_eq(row->f[1], "two\nlines");
	ck_assert_uint_eq(row->len[1], 9);
	ck_assert_int_eq(row->record, 2);
	ck_assert_int_eq(row->line, 4);
	/* A wider row than any before it: the replayed row grows. */
	ck_assert_int_eq(lk_lookahead_next(t.a, &row, &e), 1);
	ck_assert_int_eq(row->n, 3);
	ck_assert_str_eq(row->f[2], "x");
	ck_assert_int_eq(lk_lookahead_next(t.a, &row, &e), 0);
	ck_assert_int_eq(lk_lookahead_next(t.a, &row, &e), 0);
	lk_lookahead_free(NULL);
}
END_TEST

/* A long input: LK_LOOKAHEAD rows kept, and the reader's next row is
 * the one after them. */
START_TEST(stops_after_lookahead_rows)
{
	lk_buf text = LK_BUF_INIT;
	const lk_row *row;
	lk_row *after;
	long i, n = 0;
	lk_err e;

	lk_buf_adds(&text, "Email\n");
	for (i = 1; i <= LK_LOOKAHEAD + 5; i++)
		lk_buf_addf(&text, "u%ld@b.co\n", i);
	open_text(text.data);
	lk_buf_free(&text);
	ck_assert_int_eq(lk_lookahead_fill(t.a, t.rd, t.g, &e), 1);
	while (lk_lookahead_next(t.a, &row, &e) == 1)
		ck_assert_int_eq(row->record, ++n);
	ck_assert_int_eq(n, LK_LOOKAHEAD);
	ck_assert_int_eq(lk_reader_next(t.rd, &after, &e), 1);
	ck_assert_int_eq(after->record, LK_LOOKAHEAD + 1);
}
END_TEST

/* The rows read ahead settle the order: 13/04/2026 can only be day
 * first, so the earlier 03/04/2026 is 3 April when it is replayed. */
START_TEST(settles_date_orders_before_the_first_row)
{
	const lk_row *row;
	const char *reason;
	lk_row *out;
	lk_err e;

	open_text("Email,Create Date\na@b.co,03/04/2026\nc@d.co,13/04/2026\n");
	ck_assert_int_eq(lk_lookahead_fill(t.a, t.rd, t.g, &e), 0);
	lk_ingest_settle(t.g, NULL);
	ck_assert_int_eq(lk_lookahead_next(t.a, &row, &e), 1);
	ck_assert_int_eq(lk_ingest_row(t.g, row, &out, &reason), 1);
	ck_assert_str_eq(out->f[lk_ingest_column(t.g, "created_at")], "2026-04-03");
}
END_TEST

Suite *lk_suite_lookahead(void)
{
	Suite *s = suite_create("lookahead");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, replays_a_short_input_in_order);
	tcase_add_test(tc, stops_after_lookahead_rows);
	tcase_add_test(tc, settles_date_orders_before_the_first_row);
	suite_add_tcase(s, tc);
	return s;
}
