/* Unit tests for lib/model/cap: the `cap` grammar shared by routing and
 * nurture (cap.h), every form it accepts with the count and period it
 * gives, and the forms it refuses.  What a period means to a section is
 * tested with the section (check_route.c, check_nurture.c). */
#include <string.h>

#include "unit.h"
#include "model/cap.h"

#define DAY 86400.0
#define WEEK (7 * 86400.0)

static const struct { const char *text; long n; double period; } good[] = {
	/* N/day and N/week, as routing wrote them. */
	{ "20/day", 20, DAY },
	{ "20/d", 20, DAY },
	{ "100/week", 100, WEEK },
	{ "5/w", 5, WEEK },
	{ "5/wk", 5, WEEK },
	{ "20 / day", 20, DAY },
	{ "0/day", 0, DAY },
	{ "1000000000/day", 1000000000L, DAY },
	/* A bare number is per day; blanks around it are allowed. */
	{ "20", 20, DAY },
	{ "20 ", 20, DAY },
	{ " 20/day", 20, DAY },
	{ "\t2/7d", 2, WEEK },
	/* N/duration, as nurture wrote them. */
	{ "2/7d", 2, WEEK },
	{ "3/10d", 3, 10 * DAY },
	{ "1/36h", 1, 36 * 3600.0 },
	{ "2/1.5d", 2, 1.5 * DAY },
	{ "2/.5d", 2, 0.5 * DAY },
	{ "4/90m", 4, 90 * 60.0 },
	{ "2/ 7d", 2, WEEK },
	{ "2/7 d", 2, WEEK },
	{ "2/2 weeks", 2, 2 * WEEK },
	{ "1/day", 1, DAY },
	{ "1/week", 1, WEEK },
	{ "1/h", 1, 3600.0 },
	/* Forms that are new to one section or the other. */
	{ "2 /7d", 2, WEEK },
	{ "20/1d", 20, DAY },
	{ "20/24h", 20, DAY },
	{ "80/7d", 80, WEEK },
	{ "20/day ", 20, DAY },
	{ "007/week", 7, WEEK },
};

static const char *const bad[] = {
	"", " ", "/7d", "/", "day", "-2/7d", "+2/7d", "2/", "2/ ", "2/0d", "2/0", "2/7",
	"2/month", "5/month", "2/7D", "2/7x", "2/7d/3", "2x/7d", "2,5/day", "1e3/day",
	"twenty/day", "2//7d", "2/-7d", "99999999999999999999/day",
};

START_TEST(test_good)
{
	lk_cap c = { -1, -1 };

	if (lk_cap_parse(good[_i].text, &c) < 0)
		ck_abort_msg("refused: '%s'", good[_i].text);
	ck_assert_int_eq(c.n, good[_i].n);
	ck_assert_double_eq(c.period, good[_i].period);
}
END_TEST

START_TEST(test_bad)
{
	lk_cap c = { -1, -1 };

	if (lk_cap_parse(bad[_i], &c) == 0)
		ck_abort_msg("accepted: '%s' (%ld per %g s)", bad[_i], c.n, c.period);
	/* A refused text leaves the cap as it was. */
	ck_assert_int_eq(c.n, -1);
}
END_TEST

START_TEST(test_null)
{
	lk_cap c;

	ck_assert_int_eq(lk_cap_parse(NULL, &c), -1);
}
END_TEST

Suite *lk_suite_cap(void)
{
	Suite *s = suite_create("cap");
	TCase *t = tcase_create("cap");

	tcase_add_loop_test(t, test_good, 0, (int)(sizeof good / sizeof good[0]));
	tcase_add_loop_test(t, test_bad, 0, (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(t, test_null);
	suite_add_tcase(s, t);
	return s;
}
