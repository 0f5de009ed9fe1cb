/*
 * Unit tests for lib/score/lint: the summary of a scoring model as
 * lead-score --lint prints it, written out by hand from lint.h: points
 * with a sign and without ".0", durations in days, activities joined by
 * '|', grades with the fallback letter, expressions in canonical form.
 */
#include <string.h>

#include "unit.h"
#include "score/lint.h"

START_TEST(test_summary)
{
	static const char model[] =
		"scoring:\n"
		"  fit:\n"
		"    - {rule: senior, when: 'title ~* \"vp\"', points: 20}\n"
		"    - {rule: student, when: 'title == \"student\"', points: -30.5}\n"
		"  engagement:\n"
		"    - {rule: web, activity: [webinar, demo], points: 12, half_life: 1.5d,"
		" window: 180d, cap: 36}\n"
		"    - {rule: visit, activity: visit, points: 1}\n"
		"  grades: {A: 40, B: 25}\n"
		"  mql: 'score >= 60 and grade == \"A\"'\n";
	const char *const cols[] = { "title" };
	lk_buf b = LK_BUF_INIT;
	lk_model *m;
	lk_score *s;
	lk_err e;

	m = lk_model_load_mem("m.yaml", model, strlen(model), &e);
	ck_assert_ptr_nonnull(m);
	s = lk_score_new(m, &e);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(lk_score_bind(s, cols, 1, 0, &e), 0);
	ck_assert_int_eq(lk_score_rule_count(s, LK_RULE_FIT), 2);
	ck_assert_int_eq(lk_score_rule_count(s, LK_RULE_ENGAGEMENT), 2);
	ck_assert_int_eq(lk_score_lint(s, &b), 0);
	ck_assert_str_eq(lk_buf_str(&b),
			 "fit rules: 2\n"
			 "  senior: +20 when title ~* \"vp\"\n"
			 "  student: -30.5 when title == \"student\"\n"
			 "engagement rules: 2\n"
			 "  web: +12 per webinar|demo, half-life 1.5d, window 180d, cap 36\n"
			 "  visit: +1 per visit\n"
			 "grades: A fit >= 40, B fit >= 25, else C\n"
			 "mql: (score >= 60) and (grade == \"A\")\n");
	lk_buf_free(&b);
	lk_score_free(s);
	lk_model_free(m);
}
END_TEST

/* --lint as a whole: bound to the columns given, or to the canonical
 * lead columns; a rule on a column that is not there fails the bind
 * and adds nothing. */
START_TEST(test_bound)
{
	static const char model[] =
		"scoring:\n"
		"  fit:\n"
		"    - {rule: senior, when: 'title ~* \"vp\"', points: 20}\n"
		"  mql: 'score >= 10'\n";
	const char *const cols[] = { "name" };
	lk_buf b = LK_BUF_INIT;
	lk_model *m;
	lk_score *s;
	lk_err e;

	m = lk_model_load_mem("m.yaml", model, strlen(model), &e);
	ck_assert_ptr_nonnull(m);
	s = lk_score_new(m, &e);
	ck_assert_ptr_nonnull(s);
	lk_buf_adds(&b, "before\n");
	ck_assert_int_eq(lk_score_lint_bound(s, cols, 1, 0, &b, &e), -1);
	ck_assert_int_eq(e.kind, LK_EMODEL);
	ck_assert_ptr_nonnull(strstr(e.msg, "senior"));
	ck_assert_str_eq(lk_buf_str(&b), "before\n");
	ck_assert_int_eq(lk_score_lint_bound(s, NULL, 0, 1, &b, &e), 0);
	ck_assert_str_eq(lk_buf_str(&b),
			 "before\n"
			 "fit rules: 1\n"
			 "  senior: +20 when title ~* \"vp\"\n"
			 "engagement rules: 0\n"
			 "grades: A fit >= 40, B fit >= 25, C fit >= 10, else D\n"
			 "mql: score >= 10\n");
	lk_buf_free(&b);
	lk_score_free(s);
	lk_model_free(m);
}
END_TEST

Suite *lk_suite_lint(void)
{
	return lk_unit_suite("lint", NULL, NULL, LK_UNIT_TESTS(test_summary, test_bound));
}
