/*
 * cap.c - the `cap` grammar of the model: N, N/PERIOD.  See cap.h.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "model/cap.h"

/* White space around N: nurture's parser (strtol) skipped it before N,
 * routing's skipped spaces after it. */
static int space_or_tab(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

int lk_cap_parse(const char *s, lk_cap *cap)
{
	const char *p = s;
	double period = 86400;
	long v = 0;
	int digits = 0;

	if (!s)
		return -1;
	while (space_or_tab(*p))
		p++;
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		if (v > (LONG_MAX - (*p - '0')) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (!digits)
		return -1;
	while (space_or_tab(*p))
		p++;
	if (*p == '/') {
		p++;
		/* "2/7d" is a duration; "20/day" and "5/w" are a unit alone,
		 * which reads as one of it. */
		if (lk_duration_parse(p, strlen(p), &period) < 0) {
			char one[64];
			snprintf(one, sizeof one, "1%s", p);
			if (lk_duration_parse(one, strlen(one), &period) < 0)
				return -1;
		}
		if (period <= 0)
			return -1;
	} else if (*p) {
		return -1;
	}
	cap->n = v;
	cap->period = period;
	return 0;
}
