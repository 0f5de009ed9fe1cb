/*
 * fuzz_date.c - libFuzzer harness for lib/date.
 *
 * Feeds the input, as is and without a terminating NUL, to
 * lk_date_parse in every order, lk_date_sniff and lk_duration_parse,
 * and checks what must hold for any input:
 *   - a successful parse formats to ISO 8601 that parses back to the
 *     same instant and the same has_time, and a date alone is midnight;
 *   - orders only matter for all-numeric day/month dates: sniff's
 *     verdict agrees with which orders parsed, and AUTO succeeds
 *     whenever MDY or DMY does;
 *   - a duration is finite and not negative;
 *   - a failed call leaves its output untouched;
 *   - read in a zone (lk_date_parse_tz), a value parses as it does in
 *     UTC, within a day of it, and a date alone stays the same date.
 * A broken invariant aborts, which libFuzzer reports with the input.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void check_round_trip(lk_time t)
{
	char buf[32];
	lk_time back = { 0, -1, 0 };

	lk_date_format(t, buf);
	CHECK(strlen(buf) < sizeof buf);
	CHECK(lk_date_parse(buf, strlen(buf), LK_DATE_AUTO, &back) == 0);
	CHECK(back.secs == t.secs);
	CHECK(back.has_time == t.has_time);
	lk_date_format_full(t.secs, buf);
	CHECK(lk_date_parse(buf, strlen(buf), LK_DATE_DMY, &back) == 0);
	CHECK(back.secs == t.secs && back.has_time == 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private copy, so reading past `size` is caught by ASan. */
	char *s = malloc(size ? size : 1);
	lk_time t[3];
	int r[3], o;
	lk_date_order sniff;
	double secs = -12345;

	if (!s)
		return 0;
	memcpy(s, data, size);
	for (o = 0; o < 3; o++) {
		t[o].secs = 424242;
		t[o].has_time = 7;
		r[o] = lk_date_parse(s, size, (lk_date_order)o, &t[o]);
		CHECK(r[o] == 0 || r[o] == -1);
		if (r[o] == 0) {
			CHECK(t[o].has_time == 0 || t[o].has_time == 1);
			if (!t[o].has_time)
				CHECK(t[o].secs % 86400 == 0);
			check_round_trip(t[o]);
		} else {
			CHECK(t[o].secs == 424242 && t[o].has_time == 7);
		}
	}
	/* AUTO falls back to whichever explicit order works. */
	if (r[LK_DATE_MDY] == 0 || r[LK_DATE_DMY] == 0)
		CHECK(r[LK_DATE_AUTO] == 0);
	/* Readings that do not depend on the order agree. */
	if (r[LK_DATE_MDY] == 0 && r[LK_DATE_DMY] == 0 &&
	    t[LK_DATE_MDY].secs == t[LK_DATE_DMY].secs)
		CHECK(t[LK_DATE_AUTO].secs == t[LK_DATE_MDY].secs);

	/* In a zone: the same values parse (but for the few a day from the
	 * range's ends), as the same kind, within a day of UTC's reading;
	 * a date alone stays the same date. */
	{
		static lk_tz *ny;
		lk_time zt;
		int zr;

		if (!ny)
			ny = lk_tz_load("America/New_York", NULL);
		zr = ny ? lk_date_parse_tz(s, size, LK_DATE_AUTO, ny, &zt) : -1;
		if (zr == 0) {
			char a[32], b[32];

			CHECK(r[LK_DATE_AUTO] == 0);
			CHECK(zt.has_time == t[LK_DATE_AUTO].has_time);
			CHECK(llabs(zt.secs - t[LK_DATE_AUTO].secs) <= 26 * 3600);
			if (!zt.has_time)
				CHECK(!strcmp(lk_date_format(zt, a), lk_date_format(t[LK_DATE_AUTO], b)));
		} else if (ny && r[LK_DATE_AUTO] == 0) {
			CHECK(t[LK_DATE_AUTO].secs < LK_DATE_MIN + 2 * 86400 ||
			      t[LK_DATE_AUTO].secs > LK_DATE_MAX - 2 * 86400);
		}
	}

	sniff = lk_date_sniff(s, size);
	CHECK(sniff == LK_DATE_AUTO || sniff == LK_DATE_MDY || sniff == LK_DATE_DMY);
	if (sniff == LK_DATE_DMY)
		CHECK(r[LK_DATE_DMY] == 0 && r[LK_DATE_MDY] != 0 &&
		      t[LK_DATE_AUTO].secs == t[LK_DATE_DMY].secs);
	if (sniff == LK_DATE_MDY)
		CHECK(r[LK_DATE_MDY] == 0 && r[LK_DATE_DMY] != 0 &&
		      t[LK_DATE_AUTO].secs == t[LK_DATE_MDY].secs);

	if (lk_duration_parse(s, size, &secs) == 0)
		CHECK(isfinite(secs) && secs >= 0);
	else
		CHECK(secs == -12345);
	free(s);
	return 0;
}
