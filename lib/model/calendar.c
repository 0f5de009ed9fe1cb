/*
 * calendar.c - the working calendar: parsing routing.calendar, local
 * days in the calendar's zone, and adding working time.  See calendar.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/date.h"
#include "model/calendar.h"

/* ---- local time in the calendar's zone ---- */

/* localtime_r and mktime read the zone from $TZ: set it only when it
 * changes, since tzset reads the zone file. */
static void use_zone(const char *tz)
{
	const char *cur = getenv("TZ");

	if (!cur || strcmp(cur, tz)) {
		setenv("TZ", tz, 1);
		tzset();
	}
}

int64_t lk_calendar_day(const lk_calendar *c, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (!c->tz)
		return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	use_zone(c->tz);
	if (!localtime_r(&tt, &tm))
		return t / 86400;
	return lk_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Epoch seconds of local time `min` minutes after midnight of `day`. */
static int64_t local_time(const lk_calendar *c, int64_t day, int min)
{
	struct tm tm;
	int y, mo, d;

	if (!c->tz)
		return day * 86400 + (int64_t)min * 60;
	use_zone(c->tz);
	lk_civil_from_days(day, &y, &mo, &d);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = min / 60;
	tm.tm_min = min % 60;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

int lk_calendar_weekday(int64_t day)
{
	return (int)(((day + 4) % 7 + 7) % 7);	/* 1970-01-01 was a Thursday */
}

static int holiday(const lk_calendar *c, int64_t day)
{
	int lo = 0, hi = c->nholidays;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (c->holidays[mid] == day)
			return 1;
		if (c->holidays[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int64_t lk_calendar_add(const lk_calendar *c, int64_t start, double secs)
{
	int64_t rem = secs > 0 ? (int64_t)llround(secs) : 0;
	int64_t day = lk_calendar_day(c, start);
	int i;

	for (i = 0; i < 3660; i++, day++) {
		int64_t ws, we, cur;
		if (!(c->days & (1 << lk_calendar_weekday(day))) || holiday(c, day))
			continue;
		ws = local_time(c, day, c->start);
		we = local_time(c, day, c->end);
		cur = start > ws ? start : ws;
		if (cur >= we)
			continue;
		if (rem <= we - cur)
			return cur + rem;
		rem -= we - cur;
	}
	return -1;
}

/* ---- parsing routing.calendar ---- */

int lk_calendar_parse_day(lk_yml *y, const yaml_node_t *n, const char *what, int64_t *out,
			  lk_err *err)
{
	const char *s = lk_yml_scalar(n);
	lk_time t;

	if (!s || lk_date_parse(s, strlen(s), LK_DATE_AUTO, &t) < 0 || t.has_time)
		return lk_yml_err(y, n, err, "%s must be a date such as 2026-12-25, not %s%s%s",
				  what, s ? "'" : "", s ? s : lk_yml_kind(n), s ? "'" : "");
	*out = t.secs / 86400;
	return 0;
}

static int cmp_day(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, z = *(const int64_t *)b;

	return x < z ? -1 : x > z;
}

static int day_index(const char *s, size_t len)
{
	static const char *const full[] = { "sunday", "monday", "tuesday", "wednesday",
					     "thursday", "friday", "saturday" };
	int i;
	size_t k;

	for (i = 0; i < 7; i++) {
		size_t fl = strlen(full[i]);
		if (len != 3 && len != fl)
			continue;
		for (k = 0; k < len; k++)
			if ((s[k] | 0x20) != full[i][k])
				break;
		if (k == len)
			return i;
	}
	return -1;
}

/* "mon-fri", "mon,wed,fri", "sat": add the days to *mask; -1 when bad. */
static int parse_days_text(const char *s, int *mask)
{
	while (*s) {
		const char *e = s, *dash;
		int a, b;
		while (*e && *e != ',')
			e++;
		while (s < e && *s == ' ')
			s++;
		for (dash = s; dash < e && *dash != '-'; dash++)
			;
		if (dash == e)
			dash = NULL;
		if (dash) {
			const char *t = dash;
			while (t > s && t[-1] == ' ')
				t--;
			a = day_index(s, (size_t)(t - s));
			t = dash + 1;
			while (t < e && *t == ' ')
				t++;
			{
				const char *u = e;
				while (u > t && u[-1] == ' ')
					u--;
				b = day_index(t, (size_t)(u - t));
			}
		} else {
			const char *u = e;
			while (u > s && u[-1] == ' ')
				u--;
			a = b = day_index(s, (size_t)(u - s));
		}
		if (a < 0 || b < 0)
			return -1;
		for (;;) {
			*mask |= 1 << a;
			if (a == b)
				break;
			a = (a + 1) % 7;	/* fri-mon wraps over the weekend */
		}
		s = *e ? e + 1 : e;
	}
	return 0;
}

static int hhmm(const char *s, int *out)
{
	int h, m;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	h = s[0] - '0';
	s++;
	if (*s >= '0' && *s <= '9')
		h = h * 10 + (*s++ - '0');
	if (*s++ != ':' || s[0] < '0' || s[0] > '5' || s[1] < '0' || s[1] > '9')
		return -1;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	if (h > 24 || (h == 24 && m))
		return -1;
	*out = h * 60 + m;
	return 0;
}

static int parse_hours(const char *s, int *start, int *end)
{
	const char *dash = strchr(s, '-');
	char a[16], b[16];
	size_t la, lb;

	if (!dash)
		return -1;
	la = (size_t)(dash - s);
	lb = strlen(dash + 1);
	while (la && s[la - 1] == ' ')
		la--;
	while (*s == ' ' && la)
		s++, la--;
	dash++;
	while (*dash == ' ')
		dash++, lb--;
	while (lb && dash[lb - 1] == ' ')
		lb--;
	if (la < 4 || la > 5 || lb < 4 || lb > 5)
		return -1;
	memcpy(a, s, la);
	a[la] = 0;
	memcpy(b, dash, lb);
	b[lb] = 0;
	if (hhmm(a, start) < 0 || hhmm(b, end) < 0 || (size_t)(strchr(a, ':') - a) + 3 != la ||
	    (size_t)(strchr(b, ':') - b) + 3 != lb)
		return -1;
	return *start < *end ? 0 : -1;
}

static int zone_exists(const char *tz)
{
	const char *dir = getenv("TZDIR");
	char path[1024];
	struct stat st;

	if (!*tz || tz[0] == '/' || strstr(tz, ".."))
		return 0;
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int parse_calendar(lk_calendar *cal, lk_yml *y, yaml_node_t *c, lk_err *err)
{
	static const char *const keys[] = { "tz", "days", "hours", "holidays" };
	yaml_node_t *n;
	const char *s;
	int rc;

	cal->days = 0x7f;
	cal->start = 0;
	cal->end = 24 * 60;
	if (!c)
		return 0;
	if (lk_yml_expect(y, c, YAML_MAPPING_NODE, "routing 'calendar'", err) < 0 ||
	    lk_yml_check_keys(y, c, keys, 4, "calendar", err) < 0)
		return -1;
	if ((rc = lk_yml_get_str(y, c, "tz", 0, &s, err)) < 0)
		return -1;
	if (rc) {
		if (!zone_exists(s))
			return lk_yml_err(y, lk_yml_get(y, c, "tz", err), err,
					  "unknown time zone '%s' (not in the system tz database; "
					  "names look like America/New_York, Europe/Berlin, UTC)", s);
		cal->tz = s;
	}
	n = lk_yml_get(y, c, "days", err);
	if (n) {
		const char **list;
		int i, k = lk_yml_strlist(y, n, &list, "'days'", err);
		if (k < 0)
			return -1;
		cal->days = 0;
		for (i = 0; i < k; i++)
			if (parse_days_text(list[i], &cal->days) < 0) {
				const char *bad = list[i];
				free(list);
				return lk_yml_err(y, n, err, "'days' must name weekdays such as "
						  "mon-fri or [mon, wed, fri], not '%s'", bad);
			}
		free(list);
		if (!cal->days)
			return lk_yml_err(y, n, err, "'days' names no working day");
	}
	if ((rc = lk_yml_get_str(y, c, "hours", 0, &s, err)) < 0)
		return -1;
	if (rc && parse_hours(s, &cal->start, &cal->end) < 0)
		return lk_yml_err(y, lk_yml_get(y, c, "hours", err), err,
				  "'hours' must be a range such as \"09:00-17:00\" that ends after "
				  "it starts, not '%s'", s);
	n = lk_yml_get(y, c, "holidays", err);
	if (n) {
		yaml_node_item_t *it;
		size_t k;
		if (lk_yml_expect(y, n, YAML_SEQUENCE_NODE, "'holidays'", err) < 0)
			return -1;
		k = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
		cal->holidays = calloc(k + 1, sizeof *cal->holidays);
		if (!cal->holidays)
			return lk_err_set(err, LK_ENOMEM, "out of memory");
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
			yaml_node_t *h = lk_yml_node(y, *it, err);
			if (!h || lk_calendar_parse_day(y, h, "a holiday",
							&cal->holidays[cal->nholidays], err) < 0)
				return -1;
			cal->nholidays++;
		}
		qsort(cal->holidays, (size_t)cal->nholidays, sizeof *cal->holidays, cmp_day);
	}
	return 0;
}

int lk_calendar_load(lk_model *m, lk_calendar *cal, lk_err *err)
{
	memset(cal, 0, sizeof *cal);
	if (parse_calendar(cal, &m->yml, m->routing ? lk_yml_get(&m->yml, m->routing, "calendar", err)
				    : NULL, err) < 0) {
		lk_calendar_release(cal);
		if (err && err->kind != LK_ENOMEM)
			err->kind = LK_EMODEL;
		return -1;
	}
	return 0;
}

void lk_calendar_release(lk_calendar *cal)
{
	free(cal->holidays);
	cal->holidays = NULL;
	cal->nholidays = 0;
}
