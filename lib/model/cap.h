/*
 * cap.h - the `cap` grammar of the model: how many of something per
 * period, one parser for routing (a rep's leads, `cap: 20/day`) and
 * nurture (the frequency governor's touches, `cap: 2/7d`).
 *
 *   cap     = N [ "/" PERIOD ]             blanks allowed around N and "/"
 *   N       = a whole number (decimal digits, no sign)
 *   PERIOD  = a duration (date.h: 7d, 36h, 1.5d, 2 weeks; units s, m, h,
 *             d, w and their spellings sec, min, hr, day, wk, week, ...)
 *           | a unit alone, meaning one of it (day, d, week, w, wk, h)
 *   no PERIOD: per day (20 is 20/day)
 *
 * The period must be longer than zero.  What the period means is the
 * section's: nurture counts touches in a sliding window of the period's
 * length (2/7d: at most 2 in any 7 days; 1/week is 1/7d), so any period
 * will do; routing counts leads per calendar day and Monday-to-Sunday
 * week of the routing calendar, so there a period must be exactly one
 * day (day, d, 1d, 24h) or one week (week, w, wk, 7d, 168h), and
 * routing refuses the others.  The range of N is the section's too:
 * routing takes 0 (the rep takes no leads) to 1000000000; nurture takes
 * 1 and more (a cap of 0 would never send).
 *
 * The parser is pure: it reads a string and fills an lk_cap; the
 * sections place their errors at the model's node.
 */
#ifndef LK_CAP_H
#define LK_CAP_H

typedef struct lk_cap {
	long n;				/* how many, from 0 up */
	double period;			/* seconds, > 0: 86400 for a bare number */
} lk_cap;

/* Parse `s` (NUL-terminated) as a cap: 0, or -1 when it is none (or N
 * does not fit in a long). */
int lk_cap_parse(const char *s, lk_cap *cap);

#endif
