/*
 * date.c - timestamps as exports really write them, and durations;
 * see date.h.
 *
 * The parser is a hand-written scanner over [p, e): it is called on
 * every cell of a date column, so it avoids sscanf, strptime and the
 * C library's time-zone machinery, never allocates and never reads
 * past `len` bytes.  A value is read in three steps: a date (ISO
 * year-first, numeric day/month, or with an English month name), an
 * optional time of day with AM/PM and a zone, and nothing else but
 * spaces.  Anything left over makes the whole value invalid, because a
 * half-understood timestamp silently shifted by hours is worse than a
 * rejected one.
 */
#include "core/date.h"

#include <stdio.h>

/* A read position and the end of the text. */
typedef struct cur {
	const char *p;
	const char *e;
} cur;

/* A broken-down value as the scanner found it, before validation. */
typedef struct fields {
	int y, m, d;
	int hh, mi, ss;
	int has_time;
	int offset;		/* seconds east of UTC */
	int zoned;		/* the value named its zone or offset */
} fields;

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int peek(const cur *c)
{
	return c->p < c->e ? (unsigned char)*c->p : -1;
}

/* Skip spaces; returns how many were skipped. */
static int skip_spaces(cur *c)
{
	const char *s = c->p;

	while (c->p < c->e && is_space((unsigned char)*c->p))
		c->p++;
	return (int)(c->p - s);
}

/* Read 1..max digits; returns the number of digits read (0: none). */
static int read_num(cur *c, int max, int *val)
{
	int n = 0, v = 0;

	while (n < max && c->p < c->e && is_digit((unsigned char)*c->p)) {
		v = v * 10 + (*c->p - '0');
		c->p++;
		n++;
	}
	*val = v;
	return n;
}

/* Count the digits at the read position without consuming them. */
static int count_digits(const cur *c)
{
	const char *q = c->p;

	while (q < c->e && is_digit((unsigned char)*q))
		q++;
	return (int)(q - c->p);
}

/* Length of the run of letters at the read position. */
static int alpha_len(const cur *c)
{
	const char *q = c->p;

	while (q < c->e && is_alpha((unsigned char)*q))
		q++;
	return (int)(q - c->p);
}

/* Case-insensitive compare of n bytes at s with the lower-case word w. */
static int word_eq(const char *s, int n, const char *w)
{
	int i;

	for (i = 0; i < n; i++)
		if (w[i] == '\0' || lower((unsigned char)s[i]) != w[i])
			return 0;
	return w[n] == '\0';
}

int lk_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int lk_days_in_month(int y, int m)
{
	static const unsigned char dim[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && lk_is_leap(y) ? 29 : dim[m - 1];
}

/*
 * Howard Hinnant's days_from_civil: shift the year to start in March so
 * the leap day is the last day of the year, then count 400-year eras.
 * Intermediate values are int64 so any int year is safe.
 */
int64_t lk_days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;				/* [0, 399] */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* [0, 146096] */

	return era * 146097 + doe - 719468;
}

/*
 * The inverse (Hinnant's civil_from_days).  Exact for every day whose
 * year fits an int; `days` must be within about +-2^62.
 */
void lk_civil_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;				/* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);	/* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;			/* [0, 11] */
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = mm;
	*y = (int)(yoe + era * 400 + (mm <= 2));
}

/* Month from an English name, full or abbreviated (and "sept"); 0 if none. */
static int month_from_name(const char *s, int n)
{
	static const char *const full[12] = {
		"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"
	};
	int i;

	if (n == 3 || n == 4) {
		for (i = 0; i < 12; i++)
			if (lower((unsigned char)s[0]) == full[i][0] &&
			    lower((unsigned char)s[1]) == full[i][1] &&
			    lower((unsigned char)s[2]) == full[i][2] &&
			    (n == 3 || word_eq(s, n, full[i]) ||
			     (i == 8 && word_eq(s, n, "sept"))))
				return i + 1;
		return 0;
	}
	for (i = 0; i < 12; i++)
		if (word_eq(s, n, full[i]))
			return i + 1;
	return 0;
}

/* Is this an English weekday name, full or abbreviated? */
static int is_weekday(const char *s, int n)
{
	static const char *const full[7] = {
		"monday", "tuesday", "wednesday", "thursday", "friday",
		"saturday", "sunday"
	};
	int i;

	for (i = 0; i < 7; i++) {
		if (n == 3 && lower((unsigned char)s[0]) == full[i][0] &&
		    lower((unsigned char)s[1]) == full[i][1] &&
		    lower((unsigned char)s[2]) == full[i][2])
			return 1;
		if (word_eq(s, n, full[i]))
			return 1;
	}
	return 0;
}

/* Read a month name with an optional trailing dot; 0 if there is none. */
static int read_month_name(cur *c)
{
	int n = alpha_len(c), m;

	if (n < 3)
		return 0;
	m = month_from_name(c->p, n);
	if (!m)
		return 0;
	c->p += n;
	if (peek(c) == '.')
		c->p++;
	return m;
}

/* Two-digit years pivot like POSIX strptime %y: 69-99 -> 19xx, 00-68 -> 20xx. */
static int expand_year(int y, int ndigits)
{
	if (ndigits == 2)
		return y < 69 ? 2000 + y : 1900 + y;
	return y;
}

/* Read a year of 2 or 4 digits (exactly); -1 if there is none. */
static int read_year(cur *c, int *y)
{
	int v, n;

	if (count_digits(c) != 2 && count_digits(c) != 4)
		return -1;
	n = read_num(c, 4, &v);
	*y = expand_year(v, n);
	return 0;
}

/* An optional ordinal suffix after a day: 1st, 2nd, 3rd, 15th. */
static void skip_ordinal(cur *c)
{
	if (alpha_len(c) == 2 &&
	    (word_eq(c->p, 2, "st") || word_eq(c->p, 2, "nd") ||
	     word_eq(c->p, 2, "rd") || word_eq(c->p, 2, "th")))
		c->p += 2;
}

/*
 * The separator between the parts of a date written with a month name:
 * an optional comma and spaces ("Apr 15, 2021", "15 Apr 2021"), or a
 * single '-' or '/' ("15-Apr-2021").  Returns -1 when there is none.
 */
static int name_sep(cur *c)
{
	int ch = peek(c);

	if (ch == '-' || ch == '/') {
		c->p++;
		return 0;
	}
	if (ch == ',') {
		c->p++;
		skip_spaces(c);
		return 0;
	}
	return skip_spaces(c) > 0 ? 0 : -1;
}

/*
 * AM/PM marker: "am", "pm", "a.m.", "p.m.", any case.  Returns 0 when
 * absent, 1 for AM, 2 for PM.  Must not be followed by a letter.
 */
static int read_ampm(cur *c)
{
	const char *s = c->p;
	int ch = lower(peek(c)), r;

	if (ch != 'a' && ch != 'p')
		return 0;
	r = ch == 'a' ? 1 : 2;
	c->p++;
	if (peek(c) == '.')
		c->p++;
	if (lower(peek(c)) != 'm') {
		c->p = s;
		return 0;
	}
	c->p++;
	if (peek(c) == '.')
		c->p++;
	if (is_alpha(peek(c))) {
		c->p = s;
		return 0;
	}
	return r;
}

/* A numeric offset: +HH, +HHMM, +HH:MM (or '-'); -1 if malformed. */
static int read_offset(cur *c, int *off)
{
	int sign, hh, mm = 0;

	sign = peek(c) == '-' ? -1 : 1;
	c->p++;
	if (read_num(c, 2, &hh) != 2)
		return -1;
	if (peek(c) == ':') {
		c->p++;
		if (read_num(c, 2, &mm) != 2)
			return -1;
	} else if (count_digits(c) == 2) {
		read_num(c, 2, &mm);
	}
	if (is_digit(peek(c)) || hh > 23 || mm > 59)
		return -1;
	*off = sign * (hh * 3600 + mm * 60);
	return 0;
}

/*
 * An optional zone: Z, UTC, GMT, UT, the RFC 2822 North American names,
 * a numeric offset, or a name followed by an offset ("GMT+0200").
 * Returns 1 if a zone was read, 0 if none, -1 if malformed.
 */
static int read_zone(cur *c, int *off)
{
	static const struct {
		const char *name;
		int hours;
	} names[] = {
		{ "z", 0 }, { "utc", 0 }, { "gmt", 0 }, { "ut", 0 },
		{ "est", -5 }, { "edt", -4 }, { "cst", -6 }, { "cdt", -5 },
		{ "mst", -7 }, { "mdt", -6 }, { "pst", -8 }, { "pdt", -7 },
	};
	int ch = peek(c), n, i;

	if (ch == '+' || ch == '-')
		return read_offset(c, off) < 0 ? -1 : 1;
	n = alpha_len(c);
	if (n == 0)
		return 0;
	for (i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
		if (word_eq(c->p, n, names[i].name))
			break;
	if (i == (int)(sizeof names / sizeof names[0]))
		return 0;
	c->p += n;
	*off = names[i].hours * 3600;
	ch = peek(c);
	if (i < 4 && (ch == '+' || ch == '-'))
		return read_offset(c, off) < 0 ? -1 : 1;
	return 1;
}

/*
 * A time of day: H:MM, H:MM:SS, H:MM:SS.fff (fraction dropped), each
 * with optional AM/PM, or H followed by AM/PM ("3pm"); then an optional
 * zone.  Fills f; returns -1 when malformed or out of range.
 */
static int read_time(cur *c, fields *f)
{
	int hh, mi = 0, ss = 0, ampm, z;
	cur save;

	if (read_num(c, 2, &hh) == 0 || is_digit(peek(c)))
		return -1;
	if (peek(c) == ':') {
		c->p++;
		if (read_num(c, 2, &mi) != 2)
			return -1;
		if (peek(c) == ':') {
			c->p++;
			if (read_num(c, 2, &ss) != 2)
				return -1;
			if ((peek(c) == '.' || peek(c) == ',') &&
			    c->p + 1 < c->e && is_digit((unsigned char)c->p[1])) {
				c->p++;
				while (is_digit(peek(c)))
					c->p++;
			}
		}
		if (is_digit(peek(c)))
			return -1;
		save = *c;
		skip_spaces(c);
		ampm = read_ampm(c);
		if (!ampm)
			*c = save;	/* the spaces may lead to a zone or a year */
	} else {
		skip_spaces(c);
		ampm = read_ampm(c);
		if (!ampm)
			return -1;
	}
	if (ampm) {
		/* 12 AM is midnight, 12 PM noon; 0 AM is tolerated, 0 PM is not. */
		if (hh > 12 || (hh == 0 && ampm == 2))
			return -1;
		if (hh == 12)
			hh = 0;
		if (ampm == 2)
			hh += 12;
	}
	if (hh > 23 || mi > 59 || ss > 59)
		return -1;
	f->hh = hh;
	f->mi = mi;
	f->ss = ss;
	f->has_time = 1;
	save = *c;
	skip_spaces(c);
	z = read_zone(c, &f->offset);
	if (z < 0)
		return -1;
	if (z == 0)
		*c = save;
	f->zoned = z > 0;
	return 0;
}

/*
 * What may follow a date: nothing, or a separator ('T', spaces, a comma,
 * "at") and a time, then nothing but spaces.
 */
static int read_rest(cur *c, fields *f)
{
	int ch, sp;

	sp = skip_spaces(c);
	if (c->p == c->e)
		return 0;
	ch = peek(c);
	if (ch == 'T' || ch == 't') {
		c->p++;
	} else if (ch == ',') {
		c->p++;
		skip_spaces(c);
	} else if (sp > 0) {
		if (alpha_len(c) == 2 && word_eq(c->p, 2, "at")) {
			c->p += 2;
			if (skip_spaces(c) == 0)
				return -1;
		}
	} else {
		return -1;
	}
	if (read_time(c, f) < 0)
		return -1;
	skip_spaces(c);
	return c->p == c->e ? 0 : -1;
}

/*
 * read_rest after a day-month-year written with a month name, where
 * Apache's log format also puts a colon between date and time
 * ("10/Oct/2000:13:55:36 -0700").
 */
static int read_rest_named(cur *c, fields *f)
{
	if (peek(c) == ':' && c->p + 1 < c->e && is_digit((unsigned char)c->p[1])) {
		c->p++;
		if (read_time(c, f) < 0)
			return -1;
		skip_spaces(c);
		return c->p == c->e ? 0 : -1;
	}
	return read_rest(c, f);
}

/* Year first: 2026-07-09, 2026/07/09, 2026.07.09 (then time). */
static int parse_ymd(cur *c, fields *f)
{
	int sep;

	read_num(c, 4, &f->y);
	sep = peek(c);
	c->p++;
	if (read_num(c, 2, &f->m) == 0 || peek(c) != sep)
		return -1;
	c->p++;
	if (read_num(c, 2, &f->d) == 0 || is_digit(peek(c)))
		return -1;
	return read_rest(c, f);
}

/* Day first with a month name: 15 Apr 2021, 15-Apr-21, 15 April, 2021. */
static int parse_d_name_y(cur *c, fields *f)
{
	read_num(c, 2, &f->d);
	skip_ordinal(c);
	if (name_sep(c) < 0)
		return -1;
	if (!(f->m = read_month_name(c)))
		return -1;
	if (name_sep(c) < 0 || read_year(c, &f->y) < 0 || is_digit(peek(c)))
		return -1;
	return read_rest_named(c, f);
}

/*
 * Month name first: Apr 15, 2021; April 15 2021 3:04pm; and asctime's
 * Apr 15 03:04:05 [UTC] 2021, where the year follows the time.
 */
static int parse_name_d_y(cur *c, fields *f)
{
	cur save;

	if (!(f->m = read_month_name(c)))
		return -1;
	if (name_sep(c) < 0 || read_num(c, 2, &f->d) == 0 || is_digit(peek(c)))
		return -1;
	skip_ordinal(c);
	if (name_sep(c) < 0)
		return -1;
	save = *c;
	if (count_digits(c) <= 2) {
		int h;

		read_num(c, 2, &h);
		if (peek(c) == ':') {
			/* asctime: the time, then the year. */
			*c = save;
			if (read_time(c, f) < 0 || skip_spaces(c) == 0)
				return -1;
			if (read_year(c, &f->y) < 0)
				return -1;
			skip_spaces(c);
			return c->p == c->e ? 0 : -1;
		}
		*c = save;
	}
	if (read_year(c, &f->y) < 0 || is_digit(peek(c)))
		return -1;
	return read_rest(c, f);
}

/* Is (y, m, d) a real day? */
static int valid_ymd(int y, int m, int d)
{
	return m >= 1 && m <= 12 && d >= 1 && d <= lk_days_in_month(y, m);
}

/*
 * All-numeric day and month: 07/09/2026, 7-9-26, 09.07.2026.  `a` and
 * `b` are the first two numbers; the order decides which is the month.
 * In LK_DATE_AUTO a reading that is impossible one way is taken the
 * other way; when both are possible '.' means day first and '/' or '-'
 * month first.
 */
static int parse_numeric(cur *c, lk_date_order order, fields *f)
{
	int a, b, sep;

	read_num(c, 2, &a);
	sep = peek(c);
	c->p++;
	if (is_alpha(peek(c))) {
		/* 15-Apr-2021 */
		if (!(f->m = read_month_name(c)) || peek(c) != sep)
			return -1;
		c->p++;
		f->d = a;
		if (read_year(c, &f->y) < 0 || is_digit(peek(c)))
			return -1;
		return read_rest_named(c, f);
	}
	if (read_num(c, 2, &b) == 0 || peek(c) != sep)
		return -1;
	c->p++;
	if (read_year(c, &f->y) < 0 || is_digit(peek(c)))
		return -1;
	if (order == LK_DATE_AUTO) {
		int mdy_ok = valid_ymd(f->y, a, b), dmy_ok = valid_ymd(f->y, b, a);

		if (mdy_ok && dmy_ok)
			order = sep == '.' ? LK_DATE_DMY : LK_DATE_MDY;
		else
			order = dmy_ok ? LK_DATE_DMY : LK_DATE_MDY;
	}
	if (order == LK_DATE_DMY) {
		f->d = a;
		f->m = b;
	} else {
		f->m = a;
		f->d = b;
	}
	return read_rest(c, f);
}

/* A date that starts with a number: year first, numeric, or 15 Apr 2021. */
static int parse_digit_first(cur *c, lk_date_order order, fields *f)
{
	int n = count_digits(c);
	int ch = c->p + n < c->e ? (unsigned char)c->p[n] : -1;

	if (n == 4 && (ch == '-' || ch == '/' || ch == '.'))
		return parse_ymd(c, f);
	if (n <= 2 && (ch == '-' || ch == '/' || ch == '.'))
		return parse_numeric(c, order, f);
	if (n <= 2)
		return parse_d_name_y(c, f);
	return -1;
}

/*
 * Epoch seconds (10 digits, optionally with a fraction) or milliseconds
 * (13 digits), or a basic ISO date YYYYMMDD (8 digits).  Returns 1 when
 * the value was one of these (and *out is set), 0 when it is something
 * else, -1 when invalid.
 */
static int parse_all_digits(cur *c, lk_time *out)
{
	int n = count_digits(c), i;
	const char *q = c->p + n;
	int64_t v = 0;

	if (q < c->e && !(n == 10 && *q == '.'))
		return 0;
	if (n == 10 && q < c->e) {
		/* 1617235200.123: only digits may follow the dot. */
		const char *r = q + 1;

		if (r == c->e)
			return -1;
		for (; r < c->e; r++)
			if (!is_digit((unsigned char)*r))
				return -1;
	}
	if (n != 8 && n != 10 && n != 13)
		return 0;
	for (i = 0; i < n; i++)
		v = v * 10 + (c->p[i] - '0');
	if (n == 8) {
		int y = (int)(v / 10000), m = (int)(v / 100 % 100), d = (int)(v % 100);

		if (!valid_ymd(y, m, d))
			return -1;
		out->secs = lk_days_from_civil(y, m, d) * 86400;
		out->has_time = 0;
		return 1;
	}
	out->secs = n == 13 ? v / 1000 : v;
	out->has_time = 1;
	return 1;
}

/*
 * lk_date_parse and lk_date_parse_tz: the value scanned, then the zone
 * `tz` applied to a value without one (tz NULL: UTC).
 */
static int parse(const char *s, size_t len, lk_date_order order, const lk_tz *tz, lk_time *out)
{
	cur c;
	fields f = { 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	int ch, n, r;
	int64_t secs;

	if (!s)
		return -1;
	c.p = s;
	c.e = s + len;
	skip_spaces(&c);
	while (c.e > c.p && is_space((unsigned char)c.e[-1]))
		c.e--;
	if (c.p == c.e)
		return -1;

	ch = peek(&c);
	if (is_digit(ch)) {
		lk_time t;

		t.off = 0;
		r = parse_all_digits(&c, &t);
		if (r < 0 || (r > 0 && (t.secs < LK_DATE_MIN || t.secs > LK_DATE_MAX)))
			return -1;
		if (r > 0 && tz && !t.has_time) {
			/* 20260709, a basic ISO date alone: midnight in the zone. */
			int64_t local = t.secs;

			t.secs = lk_tz_utc(tz, local);
			t.off = (int32_t)(local - t.secs);
			if (t.secs < LK_DATE_MIN || t.secs > LK_DATE_MAX)
				return -1;
		}
		if (r > 0) {
			*out = t;
			return 0;
		}
		r = parse_digit_first(&c, order, &f);
	} else if (is_alpha(ch)) {
		n = alpha_len(&c);
		if (is_weekday(c.p, n)) {
			/* "Tue, 15 Apr 2021": the weekday is not checked. */
			c.p += n;
			if (peek(&c) == '.')
				c.p++;
			if (peek(&c) == ',')
				c.p++;
			if (skip_spaces(&c) == 0)
				return -1;
			ch = peek(&c);
		}
		if (is_digit(ch))
			r = parse_digit_first(&c, order, &f);
		else if (is_alpha(ch))
			r = parse_name_d_y(&c, &f);
		else
			r = -1;
	} else {
		r = -1;
	}
	if (r < 0 || !valid_ymd(f.y, f.m, f.d))
		return -1;
	secs = lk_days_from_civil(f.y, f.m, f.d) * 86400 +
	       f.hh * 3600 + f.mi * 60 + f.ss;
	if (f.zoned || !tz) {
		secs -= f.offset;
		f.offset = 0;
	} else {
		int64_t local = secs;

		secs = lk_tz_utc(tz, local);
		f.offset = (int)(local - secs);
	}
	/* Keep every result printable as a four-digit ISO year. */
	if (secs < LK_DATE_MIN || secs > LK_DATE_MAX)
		return -1;
	out->secs = secs;
	out->has_time = f.has_time;
	out->off = f.has_time ? 0 : f.offset;
	return 0;
}

int lk_date_parse(const char *s, size_t len, lk_date_order order, lk_time *out)
{
	return parse(s, len, order, NULL, out);
}

int lk_date_parse_tz(const char *s, size_t len, lk_date_order order, const lk_tz *tz,
		     lk_time *out)
{
	return parse(s, len, order, tz, out);
}

lk_date_order lk_date_sniff(const char *s, size_t len)
{
	const char *p = s, *e = s + len;
	lk_time t;
	int n = 0, dmy, mdy;

	if (!s)
		return LK_DATE_AUTO;
	while (p < e && is_space((unsigned char)*p))
		p++;
	while (p + n < e && is_digit((unsigned char)p[n]))
		n++;
	/* Only all-numeric day/month dates are worth a look. */
	if (n < 1 || n > 2 || p + n >= e ||
	    (p[n] != '/' && p[n] != '-' && p[n] != '.') ||
	    p + n + 1 >= e || !is_digit((unsigned char)p[n + 1]))
		return LK_DATE_AUTO;
	dmy = lk_date_parse(s, len, LK_DATE_DMY, &t) == 0;
	mdy = lk_date_parse(s, len, LK_DATE_MDY, &t) == 0;
	if (dmy && !mdy)
		return LK_DATE_DMY;
	if (mdy && !dmy)
		return LK_DATE_MDY;
	return LK_DATE_AUTO;
}

/* Write n decimal digits of v (v >= 0), zero-padded. */
static char *put_digits(char *p, int v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

/* Write YYYY-MM-DD for the day `days`; returns the end. */
static char *put_date(char *p, int64_t days)
{
	int y, m, d;

	lk_civil_from_days(days, &y, &m, &d);
	if (y >= 0 && y <= 9999)
		p = put_digits(p, y, 4);
	else
		p += snprintf(p, 16, "%d", y);	/* outside ISO's four digits */
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	return put_digits(p, d, 2);
}

/* Floor division, so times before 1970 land on the right day. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

char *lk_date_format_full(int64_t secs, char *buf)
{
	int64_t days = floor_div(secs, 86400);
	/* secs % 86400 cannot overflow, unlike days * 86400 near INT64_MIN. */
	int sod = (int)(secs % 86400);

	if (sod < 0)
		sod += 86400;
	char *p = put_date(buf, days);

	*p++ = 'T';
	p = put_digits(p, sod / 3600, 2);
	*p++ = ':';
	p = put_digits(p, sod / 60 % 60, 2);
	*p++ = ':';
	p = put_digits(p, sod % 60, 2);
	*p++ = 'Z';
	*p = '\0';
	return buf;
}

char *lk_date_format(lk_time t, char *buf)
{
	char *p;

	if (t.has_time)
		return lk_date_format_full(t.secs, buf);
	p = put_date(buf, floor_div(t.secs + t.off, 86400));
	*p = '\0';
	return buf;
}

/* Seconds per unit for a duration suffix; 0 when unknown. */
static double duration_unit(const char *s, int n)
{
	static const struct {
		const char *name;
		double secs;
	} units[] = {
		{ "s", 1 }, { "sec", 1 }, { "secs", 1 }, { "second", 1 }, { "seconds", 1 },
		{ "m", 60 }, { "min", 60 }, { "mins", 60 }, { "minute", 60 }, { "minutes", 60 },
		{ "h", 3600 }, { "hr", 3600 }, { "hrs", 3600 }, { "hour", 3600 }, { "hours", 3600 },
		{ "d", 86400 }, { "day", 86400 }, { "days", 86400 },
		{ "w", 604800 }, { "wk", 604800 }, { "wks", 604800 }, { "week", 604800 },
		{ "weeks", 604800 },
	};
	int i, j;

	for (i = 0; i < (int)(sizeof units / sizeof units[0]); i++) {
		/* Units are lower case: "30M" could mean months to someone. */
		for (j = 0; j < n && units[i].name[j] == s[j]; j++)
			;
		if (j == n && units[i].name[n] == '\0')
			return units[i].secs;
	}
	return 0;
}

int lk_duration_parse(const char *s, size_t len, double *secs)
{
	const char *p = s, *e = s + len, *u;
	int64_t mant = 0;
	double scale = 1, unit;
	int digits = 0, frac = -1;

	if (!s)
		return -1;
	while (p < e && is_space((unsigned char)*p))
		p++;
	while (e > p && is_space((unsigned char)e[-1]))
		e--;
	for (; p < e; p++) {
		if (is_digit((unsigned char)*p)) {
			/* 15 significant digits keep the value exact in a double. */
			if (++digits > 15)
				return -1;
			mant = mant * 10 + (*p - '0');
			if (frac >= 0) {
				frac++;
				scale *= 10;
			}
		} else if (*p == '.' && frac < 0) {
			frac = 0;
		} else {
			break;
		}
	}
	if (digits == 0 || frac == 0)
		return -1;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	for (u = p; p < e && is_alpha((unsigned char)*p); p++)
		;
	if (p != e || u == p)
		return -1;
	unit = duration_unit(u, (int)(p - u));
	if (unit == 0)
		return -1;
	/* Multiply before dividing so 0.1h is exactly 360. */
	*secs = (double)mant * unit / scale;
	return 0;
}
