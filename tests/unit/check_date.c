/*
 * Unit tests for lib/date.
 *
 * Every expected epoch value below was computed outside leadkit with
 * GNU date, e.g. `date -u -d "2026-07-09 02:46:00 +0200" +%s`; the
 * comment beside each literal names the instant it stands for.  The
 * calendar tests check lk_days_from_civil / lk_civil_from_days against
 * an independent day-by-day count and against the C library's gmtime_r.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "core/date.h"

/* One parse case: input, order, expected result. */
typedef struct pcase {
	const char *in;
	lk_date_order order;
	int64_t secs;
	int has_time;
} pcase;

#define AUTO LK_DATE_AUTO
#define MDY LK_DATE_MDY
#define DMY LK_DATE_DMY

static void check_cases(const pcase *cs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		lk_time t = { -12345, -1, 0 };
		int r = lk_date_parse(cs[i].in, strlen(cs[i].in), cs[i].order, &t);

		ck_assert_msg(r == 0, "parse failed: '%s' (order %d)", cs[i].in,
			      (int)cs[i].order);
		ck_assert_msg(t.secs == cs[i].secs,
			      "'%s' (order %d): got %lld, want %lld", cs[i].in,
			      (int)cs[i].order, (long long)t.secs,
			      (long long)cs[i].secs);
		ck_assert_msg(t.has_time == cs[i].has_time,
			      "'%s': has_time %d, want %d", cs[i].in, t.has_time,
			      cs[i].has_time);
	}
}

/* Inputs that must be rejected in every order, leaving *out untouched. */
static void check_bad(const char *const *bad, size_t n)
{
	size_t i;
	int o;

	for (i = 0; i < n; i++)
		for (o = AUTO; o <= DMY; o++) {
			lk_time t = { 777, 5, 0 };
			int r = lk_date_parse(bad[i], strlen(bad[i]), (lk_date_order)o, &t);

			ck_assert_msg(r == -1, "accepted bad date '%s' (order %d) as %lld",
				      bad[i], o, (long long)t.secs);
			ck_assert_msg(t.secs == 777 && t.has_time == 5,
				      "'%s': output changed on failure", bad[i]);
		}
}

START_TEST(parse_iso)
{
	static const pcase cs[] = {
		{ "2026-07-09", AUTO, 1783555200, 0 },			/* 2026-07-09 */
		{ "2026-07-09", DMY, 1783555200, 0 },			/* year first ignores order */
		{ "2026-07-09T02:46:00Z", AUTO, 1783565160, 1 },	/* 2026-07-09 02:46:00Z */
		{ "2026-07-09T02:46:00z", AUTO, 1783565160, 1 },
		{ "2026-07-09t02:46:00Z", AUTO, 1783565160, 1 },
		{ "2026-07-09T02:46:00", AUTO, 1783565160, 1 },		/* no zone is UTC */
		{ "2026-07-09T02:46Z", AUTO, 1783565160, 1 },
		{ "2026-07-09T02:46:00.123+02:00", AUTO, 1783557960, 1 }, /* 02:46 +0200 */
		{ "2026-07-09T02:46:00,5+02:00", AUTO, 1783557960, 1 },
		{ "2026-07-09T02:46:00.999999999Z", AUTO, 1783565160, 1 },
		{ "2026-07-09T02:46:00+0200", AUTO, 1783557960, 1 },
		{ "2026-07-09T02:46:00+02", AUTO, 1783557960, 1 },
		{ "2026-07-09T02:46:00-05:00", AUTO, 1783583160, 1 },	/* 02:46 -0500 */
		{ "2026-07-09T02:46:00+05:30", AUTO, 1783545360, 1 },	/* 02:46 +0530 */
		{ "2026-07-09T02:46:00+02:45", AUTO, 1783555260, 1 },	/* 02:46 +0245 */
		{ "2026-07-09T02:46:00+14:00", AUTO, 1783514760, 1 },	/* 02:46 +1400 */
		{ "2026-07-09T02:46:00-12:00", AUTO, 1783608360, 1 },	/* 02:46 -1200 */
		{ "2026-07-09T02:46:00-00:00", AUTO, 1783565160, 1 },
		{ "2026-01-01T00:30:00+01:00", AUTO, 1767223800, 1 },	/* offset crosses the year */
		{ "2026-07-09 02:46", AUTO, 1783565160, 1 },
		{ "2026-07-09 02:46:11", AUTO, 1783565171, 1 },		/* 02:46:11Z */
		{ "2026-07-09 02:46:00 +0200", AUTO, 1783557960, 1 },
		{ "2026-07-09 02:46:00 UTC", AUTO, 1783565160, 1 },
		{ "2026-07-09 02:46:00 GMT+02:00", AUTO, 1783557960, 1 },
		{ "2026-07-09 02:46:00 EDT", AUTO, 1783579560, 1 },	/* 02:46 -0400 */
		{ "2026-07-09 02:46:00 est", AUTO, 1783583160, 1 },	/* 02:46 -0500 */
		{ "2026-07-09 02:46:00 CST", AUTO, 1783586760, 1 },	/* 02:46 -0600 */
		{ "2026-07-09 02:46:00 PDT", AUTO, 1783590360, 1 },	/* 02:46 -0700 */
		{ "2026-07-09 02:46:00 PST", AUTO, 1783593960, 1 },	/* 02:46 -0800 */
		{ "2026-07-09 00:00:00", AUTO, 1783555200, 1 },		/* midnight has a time */
		{ "2026/07/09", AUTO, 1783555200, 0 },
		{ "2026.07.09", AUTO, 1783555200, 0 },
		{ "2026-7-9", AUTO, 1783555200, 0 },
		{ "20260709", AUTO, 1783555200, 0 },			/* basic ISO */
		{ "  2026-07-09  ", AUTO, 1783555200, 0 },
		{ "\t2026-07-09T02:46:00Z\r\n", AUTO, 1783565160, 1 },
		{ "2026-11-22T09:30:00Z", AUTO, 1795339800, 1 },	/* DESIGN.md's example */
		{ "1970-01-01", AUTO, 0, 0 },
		{ "1969-12-31T23:59:59Z", AUTO, -1, 1 },
		{ "1900-01-01", AUTO, -2208988800, 0 },
		{ "0001-01-01", AUTO, -62135596800, 0 },
		{ "9999-12-31T23:59:59Z", AUTO, 253402300799, 1 },
		{ "0001-01-01T00:00:00-00:01", AUTO, -62135596740, 1 },	/* in range after the offset */
		{ "9999-12-31T23:59:59+00:01", AUTO, 253402300739, 1 },
		{ "2038-01-19T03:14:07Z", AUTO, 2147483647, 1 },	/* 2^31 - 1 */
		{ "2038-01-19T03:14:08Z", AUTO, 2147483648, 1 },	/* ... and past it */
		{ "2026-07-09 02:46:59", AUTO, 1783565219, 1 },
	};

	check_cases(cs, sizeof cs / sizeof cs[0]);
}
END_TEST

START_TEST(parse_numeric_orders)
{
	static const pcase cs[] = {
		/* 03/04/2026: March 4 (1772582400) or 3 April (1775174400). */
		{ "03/04/2026", AUTO, 1772582400, 0 },	/* ambiguous '/' -> month first */
		{ "03/04/2026", MDY, 1772582400, 0 },
		{ "03/04/2026", DMY, 1775174400, 0 },
		{ "03-04-2026", AUTO, 1772582400, 0 },	/* ambiguous '-' -> month first */
		{ "03-04-2026", DMY, 1775174400, 0 },
		{ "03.04.2026", AUTO, 1775174400, 0 },	/* ambiguous '.' -> day first */
		{ "03.04.2026", MDY, 1772582400, 0 },
		{ "03.04.2026", DMY, 1775174400, 0 },
		{ "13/04/2026", AUTO, 1776038400, 0 },	/* 2026-04-13: only DMY works */
		{ "13/04/2026", DMY, 1776038400, 0 },
		{ "04/13/2026", AUTO, 1776038400, 0 },	/* only MDY works */
		{ "04/13/2026", MDY, 1776038400, 0 },
		{ "04.13.2026", AUTO, 1776038400, 0 },	/* dots, but only MDY works */
		{ "07/09/2026", AUTO, 1783555200, 0 },	/* 2026-07-09 */
		{ "7/9/2026", AUTO, 1783555200, 0 },
		{ "09.07.2026", AUTO, 1783555200, 0 },
		{ "07-09-2026", AUTO, 1783555200, 0 },
		{ "7/9/2026 2:46 PM", AUTO, 1783608360, 1 },	/* 2026-07-09 14:46 */
		{ "7/9/2026 2:46PM", AUTO, 1783608360, 1 },
		{ "7/9/2026 2:46 p.m.", AUTO, 1783608360, 1 },
		{ "7/9/26 2:46 pm", AUTO, 1783608360, 1 },
		{ "09.07.2026 14:46", AUTO, 1783608360, 1 },
		{ "7/9/2026 02:46:00", AUTO, 1783565160, 1 },
		/* Two-digit years: 00-68 are 20xx, 69-99 are 19xx. */
		{ "12/05/07", AUTO, 1196812800, 0 },	/* 2007-12-05 */
		{ "12/05/07", DMY, 1178928000, 0 },	/* 2007-05-12 */
		{ "12/31/99", AUTO, 946598400, 0 },	/* 1999-12-31 */
		{ "12/31/68", AUTO, 3124137600, 0 },	/* 2068-12-31 */
		{ "01/01/69", AUTO, -31536000, 0 },	/* 1969-01-01 */
		{ "01/01/00", AUTO, 946684800, 0 },	/* 2000-01-01 */
		{ "1/1/70", AUTO, 0, 0 },
		{ "02/29/2024", AUTO, 1709164800, 0 },	/* leap day */
		{ "29.02.2000", AUTO, 951782400, 0 },	/* 2000 is a leap year */
	};

	check_cases(cs, sizeof cs / sizeof cs[0]);
}
END_TEST

START_TEST(parse_month_names)
{
	static const pcase cs[] = {
		{ "15 Apr, 2021 00:03:00", AUTO, 1618444980, 1 },	/* 2021-04-15 00:03 */
		{ "15 Apr 2021 00:03:00", DMY, 1618444980, 1 },
		{ "Apr 15, 2021", AUTO, 1618444800, 0 },		/* 2021-04-15 */
		{ "Apr 15 2021", MDY, 1618444800, 0 },
		{ "apr 15 2021", AUTO, 1618444800, 0 },
		{ "APR. 15, 2021", AUTO, 1618444800, 0 },
		{ "Apr. 15th, 2021", AUTO, 1618444800, 0 },
		{ "April 15 2021", AUTO, 1618444800, 0 },
		{ "APRIL 15, 2021", AUTO, 1618444800, 0 },
		{ "15 April 2021", AUTO, 1618444800, 0 },
		{ "15th April 2021", AUTO, 1618444800, 0 },
		{ "15 april, 2021", AUTO, 1618444800, 0 },
		{ "15-Apr-2021", AUTO, 1618444800, 0 },
		{ "15-APR-21", AUTO, 1618444800, 0 },
		{ "15/Apr/2021", AUTO, 1618444800, 0 },
		{ "April 15 2021 3:04pm", AUTO, 1618499040, 1 },	/* 2021-04-15 15:04 */
		{ "Apr 15 2021 3:04 PM", AUTO, 1618499040, 1 },
		{ "April 15, 2021, 3:04 PM", AUTO, 1618499040, 1 },
		{ "April 15, 2021 at 3:04 PM", AUTO, 1618499040, 1 },
		{ "Apr 15 2021 3pm", AUTO, 1618498800, 1 },		/* 15:00 = 1618444800 + 54000 */
		{ "Apr 15 2021 3 pm", AUTO, 1618498800, 1 },
		{ "Tue, 15 Apr 2021 10:00:00 +0000", AUTO, 1618480800, 1 }, /* 2021-04-15 10:00 */
		{ "Thu, 15 Apr 2021 10:00:00 GMT", AUTO, 1618480800, 1 },	/* weekday not checked */
		{ "Thursday, April 15, 2021", AUTO, 1618444800, 0 },
		{ "thu 15 apr 2021", AUTO, 1618444800, 0 },
		{ "Thu 2021-04-15", AUTO, 1618444800, 0 },
		{ "Thu, 04/15/2021 10:00", AUTO, 1618480800, 1 },	/* 2021-04-15 10:00 */
		{ "Thu. 15.04.2021", AUTO, 1618444800, 0 },
		{ "Thu Apr 15 03:04:05 2021", AUTO, 1618455845, 1 },	/* asctime, 03:04:05Z */
		{ "Thu Apr 15 03:04:05 UTC 2021", AUTO, 1618455845, 1 },	/* date(1) */
		{ "Apr 15 03:04:05 2021", AUTO, 1618455845, 1 },
		{ "10/Oct/2000:13:55:36 -0700", AUTO, 971211336, 1 },	/* Apache; 20:55:36Z */
		{ "Sept 5, 2021", AUTO, 1630800000, 0 },		/* 2021-09-05 */
		{ "Sep 5 2021", AUTO, 1630800000, 0 },
		{ "5 September 2021", AUTO, 1630800000, 0 },
		{ "Jan 22, 2021", AUTO, 1611273600, 0 },
		{ "22 January 2021", AUTO, 1611273600, 0 },
		{ "Feb 28, 2023", AUTO, 1677542400, 0 },
		{ "March 1 2025", AUTO, 1740787200, 0 },
		{ "3 May 2021", AUTO, 1620000000, 0 },			/* 2021-05-03 */
		{ "June 2, 2021", AUTO, 1622592000, 0 },
		{ "Jun 2 2021", AUTO, 1622592000, 0 },
		{ "July 9, 2026", AUTO, 1783555200, 0 },
		{ "Aug 1, 1995", AUTO, 807235200, 0 },		/* 1995-08-01 */
		{ "Oct 10, 2000", AUTO, 971136000, 0 },		/* 2000-10-10 */
		{ "1 Nov 2026", AUTO, 1793491200, 0 },		/* 2026-11-01 */
		{ "Dec 25, 2021 11:59 PM", AUTO, 1640476740, 1 },	/* 2021-12-25 23:59 */
		{ "Mar 4 1995 11:59:00 p.m.", AUTO, 794361540, 1 },	/* 1995-03-04 23:59 */
	};

	check_cases(cs, sizeof cs / sizeof cs[0]);
}
END_TEST

START_TEST(parse_am_pm)
{
	static const pcase cs[] = {
		{ "2026-07-09 12:00 AM", AUTO, 1783555200, 1 },	/* midnight */
		{ "2026-07-09 12:30 am", AUTO, 1783557000, 1 },	/* 00:30 */
		{ "2026-07-09 0:30 AM", AUTO, 1783557000, 1 },	/* 0 AM tolerated */
		{ "2026-07-09 12:00 PM", AUTO, 1783598400, 1 },	/* noon */
		{ "2026-07-09 12:30 P.M.", AUTO, 1783600200, 1 },
		{ "2026-07-09 3:00 pm", AUTO, 1783609200, 1 },	/* 15:00 */
		{ "2026-07-09 2:46:00 AM", AUTO, 1783565160, 1 },
		{ "2026-07-09 2:46:00.5 AM Z", AUTO, 1783565160, 1 },
		{ "2026-07-09 2:46 PM +02:00", AUTO, 1783601160, 1 },	/* 14:46 +0200 = 12:46Z = 1783608360 - 7200 */
	};

	check_cases(cs, sizeof cs / sizeof cs[0]);
}
END_TEST

START_TEST(parse_epoch)
{
	static const pcase cs[] = {
		{ "1000000000", AUTO, 1000000000, 1 },
		{ "1617235200", AUTO, 1617235200, 1 },		/* 2021-04-01 */
		{ "1617235200123", AUTO, 1617235200, 1 },	/* milliseconds */
		{ "1617235200999", AUTO, 1617235200, 1 },	/* truncated, not rounded */
		{ "1617235200.75", AUTO, 1617235200, 1 },
		{ "0000000000", AUTO, 0, 1 },
		{ " 2000000000 ", DMY, 2000000000, 1 },
	};

	check_cases(cs, sizeof cs / sizeof cs[0]);
}
END_TEST

START_TEST(parse_rejects)
{
	static const char *const bad[] = {
		"", " ", "\t \r\n", "-", "x", "now", "null", "N/A", "0",
		/* impossible dates */
		"2026-02-30", "2026-02-29", "1900-02-29", "2100-02-29",
		"2026-13-01", "2026-00-10", "2026-04-31", "2026-06-00",
		"2026-01-32", "0000-00-00", "0000-01-01", "0000-12-31T23:00:00Z",
		"0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01", "31/02/2026", "02/30/2026",
		"13/13/2026", "00/01/2026", "29.02.2026", "31 Apr 2021",
		"Feb 29, 2023", "Apr 0, 2021", "20260230", "20261301", "00000203",
		/* impossible times */
		"2026-07-09T24:00:00Z", "2026-07-09T23:60:00Z",
		"2026-07-09T23:59:60Z", "2026-07-09T99:00", "2026-07-09 13:00 PM",
		"2026-07-09 0:00 PM", "2026-07-09 2:5", "2026-07-09 2:46:5",
		"2026-07-09 123:00", "2026-07-09 02:460",
		"2026-07-09T02:46:00+24:00", "2026-07-09T02:46:00+02:60",
		"2026-07-09T02:46:00+2", "2026-07-09T02:46:00+020",
		"2026-07-09T02:46:00+02:0", "2026-07-09T02:46:00+02000",
		"2026-07-09 2", "Apr 15 2021 3", "Apr 15 2021 3 xm",
		/* malformed */
		"2026-07", "2026", "2026-07-09T", "2026-07/09",
		"2026/07-09", "2026-007-09", "2026-07-009", "26-07", "07/09",
		"7/9/", "7/9/2026/", "07/09.2026", "7/9/202", "7/9/20266",
		"207/9/2026", "12345", "123456789", "12345678901",
		"161723520012", "16172352001234", "1617235200.", "1617235200.x",
		"-1617235200", "+2026-07-09", "2026-07-09Z", "2026-07-09+02:00",
		"2026-07-09T02:46:00.", "2026-07-09T02:46:00.Z",
		"Apr", "Apr 2021", "Apr 15", "15 Apr", "Apri 15 2021",
		"Aprill 15 2021", "Ap 15 2021", "Foo 15, 2021", "15 Foo 2021",
		"15Apr2021", "15 Apr 202", "Apr 15 20211", "Apr 155 2021",
		"Tue", "Tue,", "Tue,2021-04-15", "Tues, 15 Apr 2021", "Tue 1617235200",
		"15-Apr/2021", "10/Oct/2000:", "10/Oct/2000:13",
		"Apr 15 03:04:05", "Apr 15 03:04:05 21x",
		/* trailing junk */
		"2026-07-09x", "2026-07-09 x", "2026-07-09T02:46:00Zx",
		"2026-07-09T02:46:00 Z x", "2026-07-09 02:46 XYZ",
		"2026-07-09 02:46 am pm", "Apr 15, 2021 foo", "07/09/2026 junk",
		"2026-07-09T02:46:00+02:00:00", "2026-07-09 at", "2026-07-09,",
		"1617235200 x", "2026-07-09 02:46:00 EDT+02:00",
	};

	check_bad(bad, sizeof bad / sizeof bad[0]);
}
END_TEST

START_TEST(parse_explicit_order_is_strict)
{
	lk_time t;

	/* A column declared day-first does not silently flip to month-first. */
	ck_assert_int_eq(lk_date_parse("04/13/2026", 10, DMY, &t), -1);
	ck_assert_int_eq(lk_date_parse("13/04/2026", 10, MDY, &t), -1);
	ck_assert_int_eq(lk_date_parse("13.04.2026", 10, MDY, &t), -1);
	ck_assert_int_eq(lk_date_parse("04/13/2026", 10, AUTO, &t), 0);
	ck_assert_int_eq(lk_date_parse("13/04/2026", 10, AUTO, &t), 0);
}
END_TEST

START_TEST(parse_respects_len)
{
	const char *s = "2026-07-09T02:46:00Zgarbage";
	char nonul[10];
	lk_time t;

	/* Only `len` bytes are looked at. */
	ck_assert_int_eq(lk_date_parse(s, 20, AUTO, &t), 0);
	ck_assert_int_eq(t.secs, 1783565160);	/* 2026-07-09 02:46:00Z */
	ck_assert_int_eq(lk_date_parse(s, 10, AUTO, &t), 0);
	ck_assert_int_eq(t.secs, 1783555200);
	ck_assert_int_eq(t.has_time, 0);
	ck_assert_int_eq(lk_date_parse(s, 21, AUTO, &t), -1);
	ck_assert_int_eq(lk_date_parse(s, 0, AUTO, &t), -1);
	/* A buffer without a NUL (ASan catches an over-read). */
	memcpy(nonul, "2026-07-09", 10);
	ck_assert_int_eq(lk_date_parse(nonul, sizeof nonul, AUTO, &t), 0);
	ck_assert_int_eq(t.secs, 1783555200);
	memcpy(nonul, "1617235200", 10);
	ck_assert_int_eq(lk_date_parse(nonul, sizeof nonul, AUTO, &t), 0);
	ck_assert_int_eq(lk_date_parse(nonul, 4, AUTO, &t), -1);
	ck_assert_int_eq(lk_date_parse(NULL, 0, AUTO, &t), -1);
	/* An embedded NUL is just a bad byte. */
	ck_assert_int_eq(lk_date_parse("2026-07-09\0", 11, AUTO, &t), -1);
}
END_TEST

START_TEST(leap_years)
{
	static const struct { int y, leap; } ys[] = {
		{ 1600, 1 }, { 1700, 0 }, { 1800, 0 }, { 1900, 0 }, { 1996, 1 },
		{ 2000, 1 }, { 2001, 0 }, { 2004, 1 }, { 2023, 0 }, { 2024, 1 },
		{ 2100, 0 }, { 2400, 1 }, { 0, 1 }, { -4, 1 }, { -100, 0 },
	};
	size_t i;
	lk_time t;
	char s[32];

	for (i = 0; i < sizeof ys / sizeof ys[0]; i++) {
		ck_assert_int_eq(lk_is_leap(ys[i].y), ys[i].leap);
		ck_assert_int_eq(lk_days_in_month(ys[i].y, 2), 28 + ys[i].leap);
		if (ys[i].y >= 1000) {
			int n = snprintf(s, sizeof s, "%d-02-29", ys[i].y);

			ck_assert_int_eq(lk_date_parse(s, (size_t)n, AUTO, &t),
					 ys[i].leap ? 0 : -1);
		}
	}
	ck_assert_int_eq(lk_days_in_month(2026, 1), 31);
	ck_assert_int_eq(lk_days_in_month(2026, 4), 30);
	ck_assert_int_eq(lk_days_in_month(2026, 12), 31);
	ck_assert_int_eq(lk_days_in_month(2026, 0), 0);
	ck_assert_int_eq(lk_days_in_month(2026, 13), 0);
}
END_TEST

/* An independent leap rule and month table for the day-by-day count. */
static int test_dim(int y, int m)
{
	static const int dim[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 400 == 0) || (y % 4 == 0 && y % 100 != 0);

	return m == 2 ? 28 + leap : dim[m];
}

START_TEST(civil_every_day_1900_2100)
{
	/* 1900-01-01 is day -25567: date -u -d 1900-01-01 +%s = -2208988800. */
	int64_t n = -25567;
	int y, m, d, yy, mm, dd;

	for (y = 1900; y <= 2100; y++)
		for (m = 1; m <= 12; m++)
			for (d = 1; d <= test_dim(y, m); d++, n++) {
				time_t tt = (time_t)(n * 86400);
				struct tm tm;

				ck_assert_msg(lk_days_from_civil(y, m, d) == n,
					      "%d-%d-%d: %lld, want %lld", y, m, d,
					      (long long)lk_days_from_civil(y, m, d),
					      (long long)n);
				lk_civil_from_days(n, &yy, &mm, &dd);
				ck_assert_msg(yy == y && mm == m && dd == d,
					      "day %lld: %d-%d-%d", (long long)n, yy, mm, dd);
				/* And the C library agrees. */
				ck_assert_ptr_nonnull(gmtime_r(&tt, &tm));
				ck_assert_int_eq(tm.tm_year + 1900, y);
				ck_assert_int_eq(tm.tm_mon + 1, m);
				ck_assert_int_eq(tm.tm_mday, d);
			}
	/* 2101-01-01: date -u -d 2101-01-01 +%s = 4133980800 = 47847 days. */
	ck_assert_int_eq(n, 47847);
}
END_TEST

START_TEST(civil_round_trip_wide)
{
	int64_t n;
	int y, m, d;

	/* About +-5500 years around the epoch, and far beyond in big steps. */
	for (n = -2000000; n <= 2000000; n++) {
		lk_civil_from_days(n, &y, &m, &d);
		ck_assert(m >= 1 && m <= 12 && d >= 1 && d <= test_dim(y, m));
		ck_assert(lk_days_from_civil(y, m, d) == n);
	}
	for (n = -700000000000LL; n <= 700000000000LL; n += 9999999967LL) {
		lk_civil_from_days(n, &y, &m, &d);
		ck_assert(lk_days_from_civil(y, m, d) == n);
	}
	/* Proleptic Gregorian: 0001-01-01 is day -719162 (-62135596800 s). */
	ck_assert_int_eq(lk_days_from_civil(1, 1, 1), -719162);
	lk_civil_from_days(-719163, &y, &m, &d);
	ck_assert(y == 0 && m == 12 && d == 31);
	/* Year 0 is a leap year; so is -4 (5 BC). */
	ck_assert_int_eq(lk_days_from_civil(0, 3, 1) - lk_days_from_civil(0, 2, 28), 2);
	ck_assert_int_eq(lk_days_from_civil(-4, 3, 1) - lk_days_from_civil(-4, 2, 28), 2);
	ck_assert_int_eq(lk_days_from_civil(-100, 3, 1) - lk_days_from_civil(-100, 2, 28), 1);
}
END_TEST

START_TEST(format_values)
{
	char b[32];
	lk_time t;

	ck_assert_str_eq(lk_date_format_full(0, b), "1970-01-01T00:00:00Z");
	ck_assert_str_eq(lk_date_format_full(-1, b), "1969-12-31T23:59:59Z");
	ck_assert_str_eq(lk_date_format_full(1795339800, b), "2026-11-22T09:30:00Z");
	ck_assert_str_eq(lk_date_format_full(2147483648LL, b), "2038-01-19T03:14:08Z");
	ck_assert_str_eq(lk_date_format_full(-2208988800LL, b), "1900-01-01T00:00:00Z");
	ck_assert_str_eq(lk_date_format_full(-62135596800LL, b), "0001-01-01T00:00:00Z");
	ck_assert_str_eq(lk_date_format_full(253402300799LL, b), "9999-12-31T23:59:59Z");
	ck_assert_str_eq(lk_date_format_full(253402300800LL, b), "10000-01-01T00:00:00Z");
	t.secs = 1783555200;	/* 2026-07-09 */
	t.has_time = 0;
	ck_assert_str_eq(lk_date_format(t, b), "2026-07-09");
	t.has_time = 1;
	ck_assert_str_eq(lk_date_format(t, b), "2026-07-09T00:00:00Z");
	t.secs = -1;
	t.has_time = 0;
	ck_assert_str_eq(lk_date_format(t, b), "1969-12-31");
	/* Extremes must not crash or overflow the 32-byte buffer. */
	lk_date_format_full(INT64_MAX, b);
	ck_assert(strlen(b) < 32);
	lk_date_format_full(INT64_MIN, b);
	ck_assert(strlen(b) < 32);
}
END_TEST

START_TEST(format_matches_strftime)
{
	int64_t s;
	char b[32], want[32];

	/* Every 7919 s (a prime, so all times of day are hit) over 1900..2100. */
	for (s = -2208988800LL; s < 4133980800LL; s += 7919 * 97) {
		time_t tt = (time_t)s;
		struct tm tm;

		gmtime_r(&tt, &tm);
		strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
		ck_assert_str_eq(lk_date_format_full(s, b), want);
	}
}
END_TEST

START_TEST(format_round_trips)
{
	static const char *const ins[] = {
		"2026-07-09", "2026-07-09T02:46:00+02:00", "Apr 15, 2021 3:04 PM",
		"13/04/2026", "1617235200123", "Tue, 15 Apr 2021 10:00:00 +0000",
		"0001-01-01", "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z",
	};
	size_t i;

	for (i = 0; i < sizeof ins / sizeof ins[0]; i++) {
		lk_time a, b;
		char s[32];

		ck_assert_int_eq(lk_date_parse(ins[i], strlen(ins[i]), AUTO, &a), 0);
		lk_date_format(a, s);
		ck_assert_msg(lk_date_parse(s, strlen(s), AUTO, &b) == 0, "%s", s);
		ck_assert(a.secs == b.secs && a.has_time == b.has_time);
	}
}
END_TEST

START_TEST(sniff_orders)
{
	static const struct { const char *in; lk_date_order want; } cs[] = {
		{ "13/04/2026", DMY }, { "04/13/2026", MDY },
		{ "13.04.2026", DMY }, { "04.13.2026", MDY },
		{ "13-04-2026", DMY }, { "12/31/99", MDY },
		{ "31/12/99 10:00", DMY }, { "2/29/2024", MDY },
		{ "29/2/2024", DMY },
		{ "03/04/2026", AUTO },		/* both readings work */
		{ "05/05/2026", AUTO },
		{ "31/31/2026", AUTO },		/* neither does */
		{ "2/30/2026", AUTO },
		{ "2026-04-13", AUTO },		/* year first: nothing to sniff */
		{ "15-Apr-2021", AUTO },	/* month name */
		{ "Apr 13, 2026", AUTO },
		{ "1617235200", AUTO },
		{ "", AUTO }, { "x", AUTO }, { "13/", AUTO }, { "13/04/2026 x", AUTO },
		{ "  13/04/2026  ", DMY },
	};
	size_t i;

	for (i = 0; i < sizeof cs / sizeof cs[0]; i++)
		ck_assert_msg(lk_date_sniff(cs[i].in, strlen(cs[i].in)) == cs[i].want,
			      "sniff '%s'", cs[i].in);
	ck_assert_int_eq(lk_date_sniff(NULL, 0), AUTO);
	ck_assert_int_eq(lk_date_sniff("13/04/2026", 3), AUTO);
}
END_TEST

START_TEST(durations)
{
	static const struct { const char *in; double secs; } ok[] = {
		{ "30d", 2592000 }, { "4h", 14400 }, { "90m", 5400 }, { "45s", 45 },
		{ "2w", 1209600 }, { "1.5d", 129600 }, { "0.5h", 1800 },
		{ "0.1h", 360 }, { ".5d", 43200 }, { "0d", 0 }, { "007d", 604800 },
		{ " 30d ", 2592000 }, { "30 d", 2592000 }, { "30\td", 2592000 },
		{ "30 days", 2592000 }, { "1 day", 86400 }, { "2 weeks", 1209600 },
		{ "1wk", 604800 }, { "3 hours", 10800 }, { "2hr", 7200 },
		{ "15 min", 900 }, { "10 minutes", 600 }, { "5 sec", 5 },
		{ "1 second", 1 }, { "365d", 31536000 },
		{ "123456789012345s", 123456789012345.0 },
	};
	static const char *const bad[] = {
		"", " ", "d", "30", "30 ", "-5d", "+5d", "5.d", ".d", "1.2.3d",
		"30x", "30dd", "30D", "30M", "30 mo", "30 months", "1y", "5 d x",
		"5d5", "d5", "1e3s", "30,5d", "1234567890123456s", "inf d", "nan",
		"5 5d", "5-d",
	};
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		double v = -1;

		ck_assert_msg(lk_duration_parse(ok[i].in, strlen(ok[i].in), &v) == 0,
			      "duration '%s' rejected", ok[i].in);
		ck_assert_msg(v == ok[i].secs, "duration '%s': %f, want %f",
			      ok[i].in, v, ok[i].secs);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		double v = -1;

		ck_assert_msg(lk_duration_parse(bad[i], strlen(bad[i]), &v) == -1,
			      "duration '%s' accepted as %f", bad[i], v);
		ck_assert(v == -1);
	}
	/* Only `len` bytes are read. */
	{
		double v;

		ck_assert_int_eq(lk_duration_parse("30dx", 3, &v), 0);
		ck_assert(v == 2592000);
		ck_assert_int_eq(lk_duration_parse(NULL, 0, &v), -1);
	}
}
END_TEST

/*
 * Time zones.  The expected instants were computed with Python's
 * zoneinfo over the same system tz database, e.g.
 *   datetime.fromisoformat("2026-03-08 02:30").replace(
 *       tzinfo=ZoneInfo("America/New_York"), fold=0).astimezone(timezone.utc)
 * fold=0 is the documented rule for skipped and repeated wall times.
 */
static void tz_case(const char *zone, const char *in, const char *want)
{
	lk_err e;
	lk_tz *z = lk_tz_load(zone, &e);
	lk_time t;
	char buf[40];

	ck_assert_msg(z != NULL, "%s: %s", zone, e.msg);
	ck_assert_msg(lk_date_parse_tz(in, strlen(in), AUTO, z, &t) == 0, "%s", in);
	lk_date_format_full(t.secs, buf);
	ck_assert_msg(!strcmp(buf, want), "%s in %s: %s, want %s", in, zone, buf, want);
	lk_tz_free(z);
}

START_TEST(tz_new_york_dst)
{
	/* Spring forward 2026-03-08: 02:00-03:00 does not exist. */
	tz_case("America/New_York", "2026-03-08 01:59:59", "2026-03-08T06:59:59Z");
	tz_case("America/New_York", "2026-03-08 02:30", "2026-03-08T07:30:00Z");
	tz_case("America/New_York", "2026-03-08 03:00", "2026-03-08T07:00:00Z");
	/* Fall back 2026-11-01: 01:00-02:00 happens twice; the first (EDT). */
	tz_case("America/New_York", "2026-11-01 00:59:59", "2026-11-01T04:59:59Z");
	tz_case("America/New_York", "2026-11-01 01:30", "2026-11-01T05:30:00Z");
	tz_case("America/New_York", "2026-11-01 02:00", "2026-11-01T07:00:00Z");
	tz_case("America/New_York", "11/01/2026 1:30 AM", "2026-11-01T05:30:00Z");
	/* After the file's last transition (2037): the footer's rule. */
	tz_case("America/New_York", "2045-07-01 12:00", "2045-07-01T16:00:00Z");
	tz_case("America/New_York", "2045-11-05 01:30", "2045-11-05T05:30:00Z");
	tz_case("America/New_York", "2045-03-12 02:30", "2045-03-12T07:30:00Z");
}
END_TEST

START_TEST(tz_berlin_dst)
{
	tz_case("Europe/Berlin", "2026-03-29 02:30", "2026-03-29T01:30:00Z");
	tz_case("Europe/Berlin", "2026-10-25 02:30", "2026-10-25T00:30:00Z");
	tz_case("Europe/Berlin", "2026-10-25 03:00", "2026-10-25T02:00:00Z");
	tz_case("Europe/Berlin", "2026-07-01 12:00", "2026-07-01T10:00:00Z");
	tz_case("Europe/Berlin", "25.10.2026 02:30", "2026-10-25T00:30:00Z");
	tz_case("Europe/Berlin", "1950-07-01 12:00", "1950-07-01T11:00:00Z");
}
END_TEST

START_TEST(tz_southern)
{
	/* Sydney: DST from October to April, across the new year. */
	tz_case("Australia/Sydney", "2026-10-04 02:30", "2026-10-03T16:30:00Z");
	tz_case("Australia/Sydney", "2026-04-05 02:30", "2026-04-04T15:30:00Z");
	tz_case("Australia/Sydney", "2026-01-15 09:00", "2026-01-14T22:00:00Z");
	tz_case("Australia/Sydney", "2026-07-15 09:00", "2026-07-14T23:00:00Z");
	tz_case("Australia/Sydney", "2045-10-01 02:30", "2045-09-30T16:30:00Z");
}
END_TEST

START_TEST(tz_fixed_and_own_offsets)
{
	lk_err e;
	lk_tz *z;
	lk_time t;
	char buf[40];

	tz_case("+05:30", "2026-01-01 00:00", "2025-12-31T18:30:00Z");
	tz_case("-0530", "2026-01-01 00:00", "2026-01-01T05:30:00Z");
	tz_case("-05", "2026-01-01 00:00", "2026-01-01T05:00:00Z");
	tz_case("UTC", "2026-01-01 00:00", "2026-01-01T00:00:00Z");
	/* A value that names its own offset or zone keeps it. */
	tz_case("America/New_York", "2026-07-01T12:00:00+02:00", "2026-07-01T10:00:00Z");
	tz_case("America/New_York", "2026-07-01T12:00:00Z", "2026-07-01T12:00:00Z");
	tz_case("Europe/Berlin", "Tue, 15 Apr 2021 10:00:00 GMT", "2021-04-15T10:00:00Z");
	tz_case("Europe/Berlin", "1617235200", "2021-04-01T00:00:00Z");
	/* A date alone is midnight in the zone and still formats as the date. */
	ck_assert_ptr_nonnull(z = lk_tz_load("Europe/Berlin", &e));
	ck_assert_int_eq(lk_date_parse_tz("2026-11-22", 10, AUTO, z, &t), 0);
	ck_assert_int_eq(t.has_time, 0);
	ck_assert_str_eq(lk_date_format_full(t.secs, buf), "2026-11-21T23:00:00Z");
	ck_assert_str_eq(lk_date_format(t, buf), "2026-11-22");
	ck_assert_int_eq(lk_tz_offset(z, t.secs), 3600);
	ck_assert_str_eq(lk_tz_name(z), "Europe/Berlin");
	lk_tz_free(z);
	ck_assert_str_eq(lk_tz_name(NULL), "UTC");
	/* NULL is UTC. */
	ck_assert_int_eq(lk_date_parse_tz("2026-11-22 10:00", 16, AUTO, NULL, &t), 0);
	ck_assert_str_eq(lk_date_format_full(t.secs, buf), "2026-11-22T10:00:00Z");
}
END_TEST

/*
 * Every half hour of the months with a change of offset, in 2026 (the
 * zone files' transitions) and 2045 (their footer's rule), against
 * Python's zoneinfo with fold=0 over the same tz database: wall time to
 * instant, and the offset at that instant.
 */
static const char sweep_py[] =
	"from zoneinfo import ZoneInfo\n"
	"from datetime import datetime, timedelta\n"
	"for zn in ('America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'America/Nuuk',\n"
	"           'Australia/Lord_Howe', 'Europe/Dublin'):\n"
	"    z = ZoneInfo(zn)\n"
	"    for y in (2026, 2045):\n"
	"        for m in (3, 4, 9, 10, 11):\n"
	"            w = datetime(y, m, 1)\n"
	"            while w.month == m:\n"
	"                local = int((w - datetime(1970, 1, 1)).total_seconds())\n"
	"                u = int(w.replace(tzinfo=z, fold=0).timestamp())\n"
	"                off = int(datetime.fromtimestamp(u, z).utcoffset().total_seconds())\n"
	"                print(zn, local, u, off)\n"
	"                w += timedelta(minutes=30)\n";

START_TEST(tz_matches_zoneinfo)
{
	char zone[64], last[64] = "", first[256] = "";
	long long local, utc;
	int off, n = 0;
	lk_tz *z = NULL;
	lk_err e;
	FILE *py;

	setenv("LK_SWEEP_PY", sweep_py, 1);
	py = popen("python3 -c \"$LK_SWEEP_PY\"", "r");
	ck_assert_ptr_nonnull(py);
	while (fscanf(py, "%63s %lld %lld %d", zone, &local, &utc, &off) == 4) {
		if (strcmp(zone, last)) {
			lk_tz_free(z);
			z = lk_tz_load(zone, &e);
			ck_assert_msg(z != NULL, "%s: %s", zone, e.msg);
			snprintf(last, sizeof last, "%s", zone);
		}
		/* One assertion at the end: Check marks every assertion made. */
		if ((lk_tz_utc(z, local) != utc || lk_tz_offset(z, utc) != off) && !*first)
			snprintf(first, sizeof first, "%s: wall %lld: %lld (offset %d), zoneinfo "
				 "%lld (%d)", zone, local, (long long)lk_tz_utc(z, local),
				 (int)lk_tz_offset(z, utc), utc, off);
		n++;
	}
	lk_tz_free(z);
	ck_assert_int_eq(pclose(py), 0);
	ck_assert_msg(!*first, "%s", first);
	/* 6 zones, 2 years, 152 days of 48 half hours. */
	ck_assert_int_eq(n, 6 * 2 * 152 * 48);
}
END_TEST

START_TEST(tz_errors)
{
	lk_err e;

	lk_err_clear(&e);
	ck_assert_ptr_null(lk_tz_load("Europe/Berln", &e));
	ck_assert_int_eq(e.kind, LK_EUSAGE);
	ck_assert_msg(strstr(e.msg, "unknown time zone 'Europe/Berln'") &&
		      strstr(e.msg, "did you mean 'Europe/Berlin'"), "%s", e.msg);
	ck_assert_ptr_null(lk_tz_load("Mars/Olympus_Mons", &e));
	ck_assert_msg(strstr(e.msg, "unknown time zone 'Mars/Olympus_Mons'"), "%s", e.msg);
	ck_assert_ptr_null(lk_tz_load("+5", &e));
	ck_assert_msg(strstr(e.msg, "bad time zone offset '+5'"), "%s", e.msg);
	ck_assert_ptr_null(lk_tz_load("+24:00", &e));
	ck_assert_ptr_null(lk_tz_load("../../etc/passwd", &e));
	ck_assert_ptr_null(lk_tz_load("", &e));
	lk_tz_free(NULL);
}
END_TEST

Suite *lk_suite_date(void)
{
	Suite *s = suite_create("date");
	TCase *tc = tcase_create("parse");
	TCase *cal = tcase_create("calendar");
	TCase *zone = tcase_create("zones");

	tcase_add_test(tc, parse_iso);
	tcase_add_test(tc, parse_numeric_orders);
	tcase_add_test(tc, parse_month_names);
	tcase_add_test(tc, parse_am_pm);
	tcase_add_test(tc, parse_epoch);
	tcase_add_test(tc, parse_rejects);
	tcase_add_test(tc, parse_explicit_order_is_strict);
	tcase_add_test(tc, parse_respects_len);
	tcase_add_test(tc, sniff_orders);
	tcase_add_test(tc, durations);
	suite_add_tcase(s, tc);
	tcase_add_test(cal, leap_years);
	tcase_add_test(cal, civil_every_day_1900_2100);
	tcase_add_test(cal, civil_round_trip_wide);
	tcase_add_test(cal, format_values);
	tcase_add_test(cal, format_matches_strftime);
	tcase_add_test(cal, format_round_trips);
	tcase_set_timeout(cal, 60);
	suite_add_tcase(s, cal);
	tcase_add_test(zone, tz_new_york_dst);
	tcase_add_test(zone, tz_berlin_dst);
	tcase_add_test(zone, tz_southern);
	tcase_add_test(zone, tz_fixed_and_own_offsets);
	tcase_add_test(zone, tz_errors);
	tcase_add_test(zone, tz_matches_zoneinfo);
	tcase_set_timeout(zone, 60);
	suite_add_tcase(s, zone);
	return s;
}
