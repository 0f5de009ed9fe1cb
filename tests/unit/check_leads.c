/*
 * Unit tests for lib/score/leads: leads read with their activities, the
 * same way whether the activities come from the in-memory table or from
 * the keyed join.  The keyed stream is written by hand from the format
 * activity.h documents: KEY TAB ROW, KEY the ID ('i' and the lead_id),
 * 0x1f and a tag ('1' activity, '2' lead), headers under the empty ID,
 * the lines in byte order.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "score/leads.h"

static FILE *file(const char *text)
{
	FILE *fp = tmpfile();

	fputs(text, fp);
	fflush(fp);
	rewind(fp);
	return fp;
}

static int64_t at(const char *s)
{
	lk_time t;

	ck_assert_int_eq(lk_date_parse(s, strlen(s), LK_DATE_AUTO, &t), 0);
	return t.secs;
}

START_TEST(test_plain_with_table)
{
	FILE *lf = file("lead_id,email\n1,a@x.com\n,b@x.com\n\"3,c\n");
	FILE *af = file("lead_id,email,activity,occurred_at\n"
			"1,,webinar,2026-11-12T00:00:00Z\n"
			",A@X.COM ,pricing,2026-11-10\n"
			",z@x.com,demo,2026-11-01\n");
	lk_csvopt co = { .name = "leads.csv" };
	int64_t now = at("2026-11-20");
	lk_activities *a;
	lk_leads *l;
	lk_row *row;
	const lk_act *la;
	const char *const *ld;
	const lk_activities_stats *st;
	lk_err e;
	int n;

	l = lk_leads_new(fileno(lf), &co, 0, now, LK_DATE_AUTO, &e);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(lk_leads_keyed(l), 0);
	ck_assert_ptr_null(lk_leads_stats(l));		/* no activities yet */
	ck_assert_int_eq(lk_leads_next(l, &row, &e), 1);
	ck_assert_int_eq(row->record, 0);
	a = lk_activities_load(fileno(af), "acts.csv", now, LK_DATE_AUTO, &e);
	ck_assert_ptr_nonnull(a);
	lk_activities_bind(a, (const char *const[]){ "lead_id", "email" }, 2);
	lk_leads_join(l, a);

	/* Lead 1 by its id and by its email (trimmed, lower-cased). */
	ck_assert_int_eq(lk_leads_next(l, &row, &e), 1);
	la = lk_leads_acts(l, &n, &ld);
	ck_assert_int_eq(n, 2);
	ck_assert_ptr_nonnull(la);
	ck_assert_ptr_null(ld);				/* loaded without details */
	ck_assert_int_eq(lk_leads_next(l, &row, &e), 1);
	lk_leads_acts(l, &n, NULL);
	ck_assert_int_eq(n, 0);
	/* A malformed row gets none, whatever its key. */
	ck_assert_int_eq(lk_leads_next(l, &row, &e), 1);
	ck_assert_ptr_nonnull(row->bad);
	lk_leads_acts(l, &n, NULL);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(lk_leads_next(l, &row, &e), 0);
	st = lk_leads_stats(l);
	ck_assert_int_eq(st->loaded, 3);
	ck_assert_int_eq(st->unmatched, 1);		/* z@x.com's demo */
	lk_leads_free(l);
	lk_activities_free(a);
	fclose(lf);
	fclose(af);
}
END_TEST

START_TEST(test_keyed)
{
	FILE *kf = file("\tlead_id,email\n"
			"\x1f" "1\tlead_id,email,activity,occurred_at,detail\n"
			"i1\x1f" "1\t1,,webinar,2026-11-12T00:00:00Z,web-2\n"
			"i1\x1f" "1\t1,,pricing,2026-11-30T00:00:00Z,\n"
			"i1\x1f" "2\t1,a@x.com\n"
			"i2\x1f" "2\t2,b@x.com\n");
	lk_csvopt co = { .name = "keyed" };
	lk_leads *l;
	lk_row *row;
	const lk_act *la;
	const char *const *ld;
	lk_err e;
	int n;

	l = lk_leads_new(fileno(kf), &co, 1, at("2026-11-20"), LK_DATE_AUTO, &e);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(lk_leads_keyed(l), 1);
	ck_assert_int_eq(lk_leads_next(l, &row, &e), 1);
	ck_assert_int_eq(row->n, 2);
	ck_assert_str_eq(row->f[1], "email");
	/* Lead 1: its key's activities up to now (pricing is after it). */
	ck_assert_int_eq(lk_leads_next(l, &row, &e), 1);
	ck_assert_str_eq(row->f[1], "a@x.com");
	la = lk_leads_acts(l, &n, &ld);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(la[0].activity, "webinar");
	ck_assert_str_eq(ld[0], "web-2");
	ck_assert_int_eq(lk_leads_next(l, &row, &e), 1);
	lk_leads_acts(l, &n, NULL);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(lk_leads_next(l, &row, &e), 0);
	ck_assert_int_eq(lk_leads_stats(l)->future, 1);
	lk_leads_free(l);
	fclose(kf);
}
END_TEST

Suite *lk_suite_leads(void)
{
	return lk_unit_suite("leads", NULL, NULL, LK_UNIT_TESTS(test_plain_with_table,
			     test_keyed));
}
