/*
 * calendar.h - the working calendar: which local hours of which days
 * count, from the model's `routing.calendar`.
 *
 *   routing:
 *     calendar: {tz: America/New_York, days: mon-fri, hours: "09:00-17:00",
 *                holidays: [2026-12-25, 2027-01-01]}
 *
 * tz is a name of the system tz database (checked to exist under
 * $TZDIR or /usr/share/zoneinfo); days "mon-fri", "mon,wed,fri" or a
 * list (a range may wrap: fri-mon); hours "HH:MM-HH:MM", ending after
 * they start; holidays a list of dates.  Without a calendar the clock
 * runs 24x7 in UTC.
 *
 * Routing counts SLAs in it (route.h: s, m and h count working
 * seconds, d working days, w working weeks) and its caps by the
 * calendar's days and weeks; lead-nurture keeps its touches out of its
 * days off and off hours (nurture.h, `quiet`).  The calendar lives in
 * the model layer because both processes read it and neither may
 * include the other.
 *
 * Time zone conversion goes through the C library: lk_calendar_day and
 * lk_calendar_add set the process's TZ environment variable to the
 * calendar's zone (only when it differs, so a run in one zone calls
 * tzset once).  A calendar without tz never touches TZ.
 *
 * Errors (LK_EMODEL at file:line:col): unknown keys with a
 * did-you-mean, unknown zones, days that name no weekday, hours that
 * are no range, and holidays that are not dates.
 *
 * Ownership: a calendar points into the model's document (its zone
 * name), which must outlive it, and owns its holiday list: free it with
 * lk_calendar_release.
 */
#ifndef LK_CALENDAR_H
#define LK_CALENDAR_H

#include <stdint.h>

#include "core/err.h"
#include "core/yml.h"
#include "model/model.h"

/* The working calendar: which local hours of which days count. */
typedef struct lk_calendar {
	const char *tz;			/* zone name; NULL: UTC, 24x7 */
	int days;			/* bit d set: weekday d works (0 = Sunday) */
	int start, end;			/* working hours, minutes after midnight */
	int64_t *holidays;		/* epoch day numbers, ascending */
	int nholidays;
} lk_calendar;

/*
 * The model's working calendar (routing.calendar): 24x7 UTC when the
 * model has none.  -1 with err (LK_EMODEL at file:line:col, LK_ENOMEM);
 * nothing is then left to release.
 */
int lk_calendar_load(lk_model *m, lk_calendar *cal, lk_err *err);
/* Free the holiday list (the calendar stays usable as holiday-free). */
void lk_calendar_release(lk_calendar *cal);

/*
 * Add `secs` of working time to `start` (epoch seconds) in calendar c:
 * time outside working hours, on days off and on holidays does not
 * count.  A start outside working hours begins at the next working
 * minute.  Returns the due time, or -1 when no working time is found
 * within ten years (e.g. every day a holiday).
 */
int64_t lk_calendar_add(const lk_calendar *c, int64_t start, double secs);

/* The local epoch day number of `t` in the calendar's zone. */
int64_t lk_calendar_day(const lk_calendar *c, int64_t t);

/* The weekday of an epoch day number: 0 = Sunday ... 6 = Saturday. */
int lk_calendar_weekday(int64_t day);

/*
 * A model node holding a date alone (a holiday, a rep's away day), as
 * an epoch day number.  `what` names it in the message ("a holiday",
 * "'from'").  -1 with err at the node when it is no such date.
 */
int lk_calendar_parse_day(lk_yml *y, const yaml_node_t *n, const char *what, int64_t *day,
			  lk_err *err);

#endif
