/*
 * tz.c - time zones for naive timestamps: the system's TZif files
 * (RFC 8536) read here, and fixed offsets; see date.h.
 *
 * The C library's zone machinery (TZ, tzset, mktime) is process-wide
 * state, so the library reads /usr/share/zoneinfo itself: a zone is its
 * transitions (UTC instant, offset after it) and, for the instants
 * after the last one, the POSIX TZ rule of the file's footer
 * ("EST5EDT,M3.2.0,M11.1.0").  A loaded zone is read-only, so threads
 * may share it.
 *
 * Local to UTC follows Python's zoneinfo with fold=0: a transition
 * takes effect for a wall time from the later of the two wall clocks
 * at its instant, so a wall time in a gap or an overlap is read with
 * the offset in force before the change.
 */
#include "core/date.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One change of a POSIX TZ rule: the day it falls on and the local time. */
struct rule_date {
	char kind;		/* 'M' month.week.day, 'J' Julian 1-365, 'D' day 0-365 */
	int mon, week, wday;	/* kind 'M' */
	int day;		/* kinds 'J' and 'D' */
	int32_t secs;		/* local time of day, may be negative or > 24h */
};

struct lk_tz {
	char name[128];		/* as given, for messages and --show-mapping */
	int64_t *trans;		/* transition instants, ascending */
	int32_t *after;		/* offset (seconds east) from each transition on */
	int n;
	int32_t first;		/* offset before the first transition */
	int has_rule;		/* the footer rule applies after the last transition */
	int32_t std_off, dst_off; /* seconds east */
	int has_dst;
	struct rule_date start, end;
};

static lk_tz *tz_alloc(const char *name)
{
	lk_tz *z = calloc(1, sizeof *z);

	if (z)
		snprintf(z->name, sizeof z->name, "%s", name);
	return z;
}

void lk_tz_free(lk_tz *z)
{
	if (!z)
		return;
	free(z->trans);
	free(z->after);
	free(z);
}

const char *lk_tz_name(const lk_tz *z)
{
	return z ? z->name : "UTC";
}

/* A fixed offset, [+-]HH[[:]MM]: "+02:00", "-0530", "+02"; -1 if not. */
static int fixed_offset(const char *s, int32_t *off)
{
	int sign, hh, mm = 0, i;

	if (s[0] != '+' && s[0] != '-')
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	if (!(s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9'))
		return -1;
	hh = (s[1] - '0') * 10 + (s[2] - '0');
	i = 3;
	if (s[i] == ':')
		i++;
	if (s[i]) {
		if (!(s[i] >= '0' && s[i] <= '9' && s[i + 1] >= '0' && s[i + 1] <= '9') || s[i + 2])
			return -1;
		mm = (s[i] - '0') * 10 + (s[i + 1] - '0');
	} else if (s[i - 1] == ':') {
		return -1;
	}
	if (hh > 23 || mm > 59)
		return -1;
	*off = sign * (hh * 3600 + mm * 60);
	return 0;
}

/* Big-endian integers of a TZif file. */
static int64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	if (n == 4)
		return (int32_t)(uint32_t)v;
	return (int64_t)v;
}

/* ---- the POSIX TZ rule of the footer ---- */

/* A zone abbreviation: letters, or <...> quoted (may hold + - digits). */
static const char *rule_abbr(const char *p)
{
	const char *s = p;

	if (*p == '<') {
		while (*p && *p != '>')
			p++;
		return *p == '>' ? p + 1 : NULL;
	}
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
		p++;
	return p - s >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]], hours up to 167 (RFC 8536's extension); seconds. */
static const char *rule_time(const char *p, int32_t *secs)
{
	int sign = 1, v[3] = { 0, 0, 0 }, i;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	for (i = 0; i < 3; i++) {
		int d = 0;

		if (i && *p != ':')
			break;
		if (i)
			p++;
		while (*p >= '0' && *p <= '9' && d < 3) {
			v[i] = v[i] * 10 + (*p++ - '0');
			d++;
		}
		if (d == 0)
			return NULL;
	}
	if (v[0] > 167 || v[1] > 59 || v[2] > 59)
		return NULL;
	*secs = sign * (v[0] * 3600 + v[1] * 60 + v[2]);
	return p;
}

static const char *rule_num(const char *p, int *v, int lo, int hi)
{
	int d = 0;

	*v = 0;
	while (*p >= '0' && *p <= '9' && d < 4) {
		*v = *v * 10 + (*p++ - '0');
		d++;
	}
	return d && *v >= lo && *v <= hi ? p : NULL;
}

static const char *rule_date(const char *p, struct rule_date *r)
{
	r->secs = 7200;		/* 02:00 unless given */
	if (*p == 'M') {
		r->kind = 'M';
		if (!(p = rule_num(p + 1, &r->mon, 1, 12)) || *p != '.' ||
		    !(p = rule_num(p + 1, &r->week, 1, 5)) || *p != '.' ||
		    !(p = rule_num(p + 1, &r->wday, 0, 6)))
			return NULL;
	} else if (*p == 'J') {
		r->kind = 'J';
		if (!(p = rule_num(p + 1, &r->day, 1, 365)))
			return NULL;
	} else {
		r->kind = 'D';
		if (!(p = rule_num(p, &r->day, 0, 365)))
			return NULL;
	}
	if (*p == '/')
		p = rule_time(p + 1, &r->secs);
	return p;
}

/* "EST5EDT,M3.2.0,M11.1.0", "<+03>-3", "CET-1CEST,M3.5.0,M10.5.0/3". */
static int parse_rule(lk_tz *z, const char *p)
{
	int32_t t;

	if (!(p = rule_abbr(p)) || !(p = rule_time(p, &t)))
		return -1;
	z->std_off = -t;		/* POSIX counts west of Greenwich */
	z->dst_off = z->std_off;
	if (*p == '\0') {
		z->has_rule = 1;
		return 0;
	}
	if (!(p = rule_abbr(p)))
		return -1;
	z->dst_off = z->std_off + 3600;
	if (*p && *p != ',') {
		if (!(p = rule_time(p, &t)))
			return -1;
		z->dst_off = -t;
	}
	/* Without dates, POSIX leaves the changes to the implementation:
	 * the US rules, as glibc does. */
	if (*p == '\0')
		p = ",M3.2.0,M11.1.0";
	if (*p != ',' || !(p = rule_date(p + 1, &z->start)) || *p != ',' ||
	    !(p = rule_date(p + 1, &z->end)) || *p)
		return -1;
	z->has_dst = 1;
	z->has_rule = 1;
	return 0;
}

/* The local midnight (as epoch days) of a rule's day in year y. */
static int64_t rule_day(const struct rule_date *r, int y)
{
	int64_t d;

	if (r->kind == 'J')	/* 1-365, February 29 never counted */
		return lk_days_from_civil(y, 1, 1) + r->day - 1 +
		       (lk_is_leap(y) && r->day >= 60);
	if (r->kind == 'D')
		return lk_days_from_civil(y, 1, 1) + r->day;
	/* Week w (5: the last) of month m, weekday wday (0 Sunday). */
	d = lk_days_from_civil(y, r->mon, 1);
	{
		/* 1970-01-01 was a Thursday (4). */
		int wd = (int)(((d + 4) % 7 + 7) % 7);
		int64_t first = d + (r->wday - wd + 7) % 7;
		int64_t day = first + 7 * (r->week - 1);

		while (day >= d + lk_days_in_month(y, r->mon))
			day -= 7;
		return day;
	}
}

/* The UTC instants DST starts and ends in year y. */
static void rule_year(const lk_tz *z, int y, int64_t *start, int64_t *end)
{
	*start = rule_day(&z->start, y) * 86400 + z->start.secs - z->std_off;
	*end = rule_day(&z->end, y) * 86400 + z->end.secs - z->dst_off;
}

static int year_of(int64_t secs)
{
	int y, m, d;
	int64_t days = secs / 86400 - (secs % 86400 < 0);

	lk_civil_from_days(days, &y, &m, &d);
	return y;
}

static int32_t rule_offset(const lk_tz *z, int64_t u)
{
	int64_t s, e;

	if (!z->has_dst)
		return z->std_off;
	rule_year(z, year_of(u + z->std_off), &s, &e);
	if (s < e)
		return u >= s && u < e ? z->dst_off : z->std_off;
	/* The southern hemisphere: DST spans the new year. */
	return u >= e && u < s ? z->std_off : z->dst_off;
}

/*
 * The first change after instant u (strictly), within the rule's
 * years; 0 when there is none.
 */
static int rule_next(const lk_tz *z, int64_t u, int64_t *when, int32_t *off)
{
	int y = year_of(u), i;
	int64_t best = 0, s, e;
	int found = 0;

	if (!z->has_dst)
		return 0;
	for (i = -1; i <= 1; i++) {
		rule_year(z, y + i, &s, &e);
		if (s > u && (!found || s < best)) {
			best = s;
			*off = z->dst_off;
			found = 1;
		}
		if (e > u && (!found || e < best)) {
			best = e;
			*off = z->std_off;
			found = 1;
		}
	}
	*when = best;
	return found;
}

int32_t lk_tz_offset(const lk_tz *z, int64_t u)
{
	int lo = 0, hi;

	if (!z)
		return 0;
	if (z->n == 0)
		return z->has_rule ? rule_offset(z, u) : z->first;
	if (u < z->trans[0])
		return z->first;
	if (u >= z->trans[z->n - 1] && z->has_rule)
		return rule_offset(z, u);
	/* The last transition at or before u. */
	hi = z->n - 1;
	while (lo < hi) {
		int mid = lo + (hi - lo + 1) / 2;

		if (z->trans[mid] <= u)
			lo = mid;
		else
			hi = mid - 1;
	}
	return z->after[lo];
}

/* The first change after instant u; 0 when there is none. */
static int next_change(const lk_tz *z, int64_t u, int64_t *when, int32_t *off)
{
	int lo = 0, hi = z->n;

	/* The first transition after u. */
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (z->trans[mid] <= u)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < z->n) {
		*when = z->trans[lo];
		*off = z->after[lo];
		return 1;
	}
	if (!z->has_rule)
		return 0;
	if (z->n && u < z->trans[z->n - 1])
		u = z->trans[z->n - 1];
	return rule_next(z, u, when, off);
}

int64_t lk_tz_utc(const lk_tz *z, int64_t local)
{
	/* Offsets stay within +-26 h: start well before the wall time. */
	int64_t u = local - 2 * 86400, when;
	int32_t cur, next;

	if (!z)
		return local;
	cur = lk_tz_offset(z, u);
	while (next_change(z, u, &when, &next) && when <= local + 2 * 86400) {
		int32_t later = next > cur ? next : cur;

		/* The change applies from the later of the two wall clocks. */
		if (local < when + later)
			break;
		cur = next;
		u = when;
	}
	return local - cur;
}

/* The zones near `name` in its folder, for a did-you-mean. */
static void closest_zone(const char *dir, const char *name, char *out, size_t outlen)
{
	char path[1024], parent[200];
	const char *slash = strrchr(name, '/'), *leaf = slash ? slash + 1 : name;
	const char *cands[512];
	char *store[512];
	const char *best;
	struct dirent *de;
	DIR *d;
	int n = 0, i;

	*out = '\0';
	snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - name) : 0, name);
	snprintf(path, sizeof path, "%s/%s", dir, parent);
	if (!(d = opendir(path)))
		return;
	while ((de = readdir(d)) && n < 512) {
		if (de->d_name[0] == '.')
			continue;
		if (!(store[n] = strdup(de->d_name)))
			break;
		cands[n] = store[n];
		n++;
	}
	closedir(d);
	best = lk_did_you_mean(leaf, cands, n);
	if (best)
		snprintf(out, outlen, "%s%s%s", parent, *parent ? "/" : "", best);
	for (i = 0; i < n; i++)
		free(store[i]);
}

/* Read the TZif file at fd into z; -1 when it is not one. */
static int read_tzif(lk_tz *z, int fd)
{
	unsigned char *buf = NULL, *p, *end;
	size_t len = 0, cap = 0;
	ssize_t k;
	int64_t cnt[6];
	int v2, tsize, i, ok = -1;
	unsigned char *types = NULL;

	for (;;) {
		if (len == cap) {
			unsigned char *nb = realloc(buf, cap = cap ? cap * 2 : 8192);

			if (!nb)
				goto out;
			buf = nb;
		}
		k = read(fd, buf + len, cap - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		len += (size_t)k;
		if (len > (1u << 22))
			goto out;
	}
	p = buf;
	end = buf + len;
	if (len < 44 || memcmp(p, "TZif", 4))
		goto out;
	v2 = p[4] >= '2';
	for (i = 0; i < 6; i++)
		if ((cnt[i] = be(p + 20 + 4 * i, 4)) < 0 || cnt[i] > (1 << 20))
			goto out;
	p += 44;
	tsize = 4;
	if (v2) {
		/* Skip the 32-bit block: the 64-bit one follows its header. */
		int64_t skip = cnt[3] * 4 + cnt[3] + cnt[4] * 6 + cnt[5] + cnt[2] * 8 + cnt[1] +
			       cnt[0];

		if (skip > end - p || end - p - skip < 44 || memcmp(p + skip, "TZif", 4))
			goto out;
		p += skip;
		for (i = 0; i < 6; i++)
			if ((cnt[i] = be(p + 20 + 4 * i, 4)) < 0 || cnt[i] > (1 << 20))
				goto out;
		p += 44;
		tsize = 8;
	}
	/* isutcnt isstdcnt leapcnt timecnt typecnt charcnt */
	if (cnt[3] < 0 || cnt[4] < 1 || cnt[3] > 100000 || cnt[4] > 256 ||
	    end - p < cnt[3] * tsize + cnt[3] + cnt[4] * 6)
		goto out;
	z->n = (int)cnt[3];
	z->trans = malloc((size_t)(z->n ? z->n : 1) * sizeof *z->trans);
	z->after = malloc((size_t)(z->n ? z->n : 1) * sizeof *z->after);
	if (!z->trans || !z->after)
		goto out;
	types = p + z->n * tsize + z->n;
	for (i = 0; i < z->n; i++) {
		int t = p[z->n * tsize + i];

		if (t >= cnt[4])
			goto out;
		z->trans[i] = be(p + i * tsize, tsize);
		z->after[i] = (int32_t)be(types + 6 * t, 4);
		if (i && z->trans[i] <= z->trans[i - 1])
			goto out;
	}
	/* Before the first transition: type 0 (RFC 8536, 3.2). */
	z->first = (int32_t)be(types, 4);
	{
		/* The footer, after the abbreviations, leap seconds and flags. */
		int64_t rest = cnt[4] * 6 + cnt[5] + cnt[2] * (tsize + 4) + cnt[1] + cnt[0];

		p = rest < end - types ? types + rest : end;
	}
	if (v2 && p < end && *p == '\n') {
		unsigned char *nl = memchr(p + 1, '\n', (size_t)(end - p - 1));
		char footer[128];

		if (nl && nl - p - 1 > 0 && nl - p - 1 < (long)sizeof footer) {
			memcpy(footer, p + 1, (size_t)(nl - p - 1));
			footer[nl - p - 1] = '\0';
			if (parse_rule(z, footer) < 0)
				z->has_rule = 0;
		}
	}
	ok = 0;
out:
	free(buf);
	return ok;
}

lk_tz *lk_tz_load(const char *name, lk_err *err)
{
	const char *dir = getenv("TZDIR");
	char path[1024], near[512];
	lk_tz *z;
	int32_t off;
	int fd;

	if (!name || !*name)
		return lk_err_set(err, LK_EUSAGE, "empty time zone name"), NULL;
	if (!(z = tz_alloc(name)))
		return lk_err_set(err, LK_ENOMEM, "out of memory"), NULL;
	if (!strcmp(name, "UTC") || !strcmp(name, "Z") || !strcmp(name, "utc") ||
	    !strcmp(name, "GMT"))
		return z;
	if (fixed_offset(name, &off) == 0) {
		z->first = off;
		return z;
	}
	if (name[0] == '+' || name[0] == '-') {
		lk_tz_free(z);
		lk_err_set(err, LK_EUSAGE, "bad time zone offset '%s' (expected +HH:MM or +HHMM, "
			   "e.g. +02:00 or -0530)", name);
		return NULL;
	}
	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	if (name[0] == '/' || strstr(name, "..") || strlen(name) > 200)
		fd = -1;
	else {
		snprintf(path, sizeof path, "%s/%s", dir, name);
		fd = open(path, O_RDONLY);
	}
	if (fd >= 0) {
		struct stat st;

		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read_tzif(z, fd) == 0) {
			close(fd);
			return z;
		}
		close(fd);
	}
	lk_tz_free(z);
	closest_zone(dir, name, near, sizeof near);
	if (*near)
		lk_err_set(err, LK_EUSAGE, "unknown time zone '%s' (did you mean '%s'?)", name, near);
	else
		lk_err_set(err, LK_EUSAGE, "unknown time zone '%s' (expected a name of the tz "
			   "database under %s such as America/New_York or Europe/Berlin, "
			   "UTC, or an offset such as +02:00)", name, dir);
	return NULL;
}
