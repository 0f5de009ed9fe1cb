/*
 * date.h - timestamps as exports really write them, and durations.
 *
 * Times are seconds since the Unix epoch, UTC (int64).  Parsing accepts
 * the formats CRM exports use (see lk_date_parse) and never allocates.
 * Timestamps without a zone are taken as UTC by lk_date_parse, and in a
 * time zone (lk_tz, below) by lk_date_parse_tz; an explicit offset
 * ("+02:00", "Z") is always applied.  Formatting produces ISO 8601 UTC:
 * "2026-11-22T09:30:00Z", or "2026-11-22" for a value that had no time
 * of day.
 *
 * Time zones (lk_tz): an IANA name read from the system's TZif files
 * ($TZDIR, else /usr/share/zoneinfo), a fixed offset, or UTC.  The
 * library reads the files itself and never touches TZ or the C
 * library's zone state, so a loaded zone is a read-only value that
 * threads may share; the caller owns it (lk_tz_free).
 */
#ifndef LK_DATE_H
#define LK_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* How to read all-numeric dates such as 03/04/2026. */
typedef enum {
	LK_DATE_AUTO = 0,	/* decide from the value; ambiguous -> month first */
	LK_DATE_MDY,		/* 03/04/2026 is March 4 */
	LK_DATE_DMY		/* 03/04/2026 is 3 April */
} lk_date_order;

/* The range lk_date_parse accepts: 0001-01-01T00:00:00Z through
 * 9999-12-31T23:59:59Z, so every parsed value formats with a
 * four-digit year and parses back. */
#define LK_DATE_MIN (-62135596800LL)
#define LK_DATE_MAX 253402300799LL

typedef struct lk_time {
	int64_t secs;		/* seconds since 1970-01-01T00:00:00Z */
	int has_time;		/* 0: the value was a date alone */
	int32_t off;		/* seconds east of UTC the value was read in (a
				 * zone of lk_date_parse_tz); a date alone is the
				 * day of secs + off */
} lk_time;

/*
 * Parse `len` bytes at `s` (not necessarily NUL-terminated; leading and
 * trailing spaces allowed).  Accepted:
 *   ISO 8601: 2026-07-09, 2026-07-09T02:46:00Z, 2026-07-09T02:46:00.123+02:00,
 *             2026-07-09 02:46, 2026-07-09 02:46:11, 2026/07/09
 *   numeric:  07/09/2026, 7/9/2026 2:46 PM, 07-09-2026, 09.07.2026 (dots are
 *             day first unless `order` says otherwise), two-digit years
 *   names:    15 Apr, 2021 00:03:00; Apr 15, 2021; 15 April 2021; Apr 15 2021 3:04pm
 *   epoch:    10 digits = seconds, 13 digits = milliseconds
 * and also: a weekday prefix ("Tue, 15 Apr 2021 10:00:00 +0000"),
 * asctime ("Tue Apr 15 03:04:05 2021"), "15-Apr-2021", Apache's
 * "10/Oct/2000:13:55:36 -0700", basic ISO 20260709, 1617235200.5.
 * Details:
 *   - month names are English, full or three letters (and "Sept"), any
 *     case, optional trailing dot; days may carry st/nd/rd/th; the
 *     weekday, when given, is not checked against the date;
 *   - in LK_DATE_AUTO a numeric date impossible one way is read the
 *     other way (13/04/2026 is 13 April); with MDY or DMY it is invalid;
 *   - two-digit years: 00-68 are 20xx, 69-99 are 19xx;
 *   - times: H:MM, H:MM:SS, fractions dropped, AM/PM ("3:04pm",
 *     "3 PM", "a.m."); date and time separated by 'T', spaces, a comma
 *     or " at ";
 *   - zones after a time: Z, UTC, GMT, UT, +HH, +HHMM, +HH:MM,
 *     GMT+HHMM, and RFC 2822's EST EDT CST CDT MST MDT PST PDT;
 *   - out->has_time is 0 only for a date alone (epochs have a time);
 *   - the result, after the zone is applied, lies within LK_DATE_MIN
 *     and LK_DATE_MAX (year 0000 is a placeholder, not a date).
 * Returns 0 on success, -1 when the text is not a valid date (including
 * impossible dates such as 2026-02-30, out-of-range times, and any
 * trailing text); *out is untouched on failure.
 */
int lk_date_parse(const char *s, size_t len, lk_date_order order, lk_time *out);

/* ---- time zones ---- */

typedef struct lk_tz lk_tz;

/*
 * Load a zone: an IANA name ("America/New_York", "Europe/Berlin") read
 * from its TZif file, including the POSIX rule of its footer for the
 * years after its last transition; "UTC" (or "Z", "GMT"); or a fixed
 * offset "+02:00", "+0200", "-05", "-0530".  NULL with err (LK_EUSAGE)
 * for an unknown name, naming the closest zone of the same folder
 * ("did you mean 'Europe/Berlin'?"), or a malformed offset; LK_ENOMEM.
 */
lk_tz *lk_tz_load(const char *name, lk_err *err);
void lk_tz_free(lk_tz *z);
/* The name it was loaded by; "UTC" for NULL. */
const char *lk_tz_name(const lk_tz *z);
/* Seconds east of UTC in force at the instant `utc` (NULL: UTC). */
int32_t lk_tz_offset(const lk_tz *z, int64_t utc);
/*
 * The instant of the wall-clock time `local` (seconds since 1970-01-01
 * 00:00 on the zone's clock).  The rule for the hours a change of
 * offset skips or repeats is Python's zoneinfo with fold=0: the offset
 * in force before the change applies.  So in America/New_York
 * 2026-03-08 02:30 (skipped) is 07:30Z, i.e. 03:30 EDT, and 2026-11-01
 * 01:30 (twice) is the first, 05:30Z (EDT).
 */
int64_t lk_tz_utc(const lk_tz *z, int64_t local);

/*
 * lk_date_parse, with a value that carries no zone (no Z, offset or
 * zone name, and no epoch number) read on the clock of `tz` (NULL:
 * UTC).  A date alone is midnight in the zone (out->has_time 0,
 * out->off its offset, so lk_date_format still writes the date).  A
 * value with its own offset keeps it.  Same return as lk_date_parse.
 */
int lk_date_parse_tz(const char *s, size_t len, lk_date_order order, const lk_tz *tz,
		     lk_time *out);

/*
 * Look at an all-numeric date without deciding it: returns LK_DATE_DMY
 * when only day-first reading is valid (13/04/2026), LK_DATE_MDY when
 * only month-first is (04/13/2026), LK_DATE_AUTO when both or neither
 * are (or the value is not an all-numeric day/month date).  Used to
 * settle the order of a whole column from its data.
 */
lk_date_order lk_date_sniff(const char *s, size_t len);

/* Write ISO 8601 UTC into buf (at least 32 bytes); returns buf. */
char *lk_date_format(lk_time t, char *buf);
/* Always with time of day: "2026-11-22T00:00:00Z". */
char *lk_date_format_full(int64_t secs, char *buf);

/* Days from civil date (proleptic Gregorian) to epoch days, and back.
 * lk_civil_from_days is exact for every day whose year fits an int. */
int64_t lk_days_from_civil(int y, int m, int d);
void lk_civil_from_days(int64_t days, int *y, int *m, int *d);

/* 1 when `y` is a Gregorian leap year. */
int lk_is_leap(int y);
/* Days in month `m` (1-12) of year `y`; 0 when m is out of range. */
int lk_days_in_month(int y, int m);

/*
 * Parse a duration: a number with a unit s, m (minutes), h, d, w, e.g.
 * "30d", "4h", "90m", "1.5d".  Spaces are allowed around and between
 * ("1.5 d"); units are lower case and may be spelled out (sec, min,
 * hr, hours, day, days, wk, weeks ...).  No sign, at most 15 digits.
 * Returns 0 and seconds in *secs, -1 when the text is not a duration.
 */
int lk_duration_parse(const char *s, size_t len, double *secs);

#endif
