/* Unit tests for lib/stats: AUC against a brute-force pair count, ties,
 * the one-class error; Wilson intervals against published values. */
#include <math.h>
#include <stdlib.h>

#include "unit.h"
#include "core/stats.h"

/* The definition itself: over all positive/negative pairs, 1 when the
 * positive scores higher, 1/2 on a tie. */
static double brute_auc(const double *s, const unsigned char *y, size_t n)
{
	double win = 0, pairs = 0;
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (y[i] && !y[j]) {
				pairs++;
				win += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
			}
	return win / pairs;
}

START_TEST(auc_small_by_hand)
{
	/* Positives 0.9, 0.4; negatives 0.5, 0.1: pairs (0.9>0.5, 0.9>0.1,
	 * 0.4<0.5, 0.4>0.1) = 3 of 4. */
	double s[] = { 0.9, 0.5, 0.4, 0.1 };
	unsigned char y[] = { 1, 0, 1, 0 };
	double a;
	lk_err e;

	ck_assert_int_eq(lk_auc(s, y, 4, &a, &e), 0);
	ck_assert_double_eq_tol(a, 0.75, 1e-12);
}
END_TEST

START_TEST(auc_ties_and_random_match_pair_count)
{
	enum { N = 600 };
	double s[N], a;
	unsigned char y[N];
	lk_err e;
	unsigned r = 12345;
	int i;

	for (i = 0; i < N; i++) {
		r = r * 1103515245u + 12345u;
		s[i] = (double)((r >> 16) % 20);	/* many ties */
		y[i] = ((r >> 8) % 3) == 0;
	}
	ck_assert_int_eq(lk_auc(s, y, N, &a, &e), 0);
	ck_assert_double_eq_tol(a, brute_auc(s, y, N), 1e-12);
	/* All scores equal: 0.5 exactly. */
	for (i = 0; i < N; i++)
		s[i] = 7;
	ck_assert_int_eq(lk_auc(s, y, N, &a, &e), 0);
	ck_assert_double_eq_tol(a, 0.5, 1e-12);
}
END_TEST

START_TEST(auc_needs_both_classes)
{
	double s[] = { 1, 2, 3 }, a = -1;
	unsigned char y[] = { 1, 1, 1 };
	lk_err e;

	ck_assert_int_eq(lk_auc(s, y, 3, &a, &e), -1);
	ck_assert_int_eq(e.kind, LK_EDATA);
	ck_assert_double_eq(a, -1);
}
END_TEST

START_TEST(wilson_published_values)
{
	double lo, hi;

	/* 81 of 263 at 95%: Wilson interval 0.2553 to 0.3662
	 * (Newcombe 1998, Statistics in Medicine 17:857, example). */
	lk_wilson(81, 263, 1.959964, &lo, &hi);
	ck_assert_double_eq_tol(lo, 0.2553, 5e-5);
	ck_assert_double_eq_tol(hi, 0.3662, 5e-5);
	/* 0 of 10: lower bound 0, upper 0.2775 (same paper). */
	lk_wilson(0, 10, 1.959964, &lo, &hi);
	ck_assert_double_eq_tol(lo, 0, 1e-12);
	ck_assert_double_eq_tol(hi, 0.2775, 5e-5);
	lk_wilson(0, 0, 1.96, &lo, &hi);
	ck_assert_double_eq(lo, 0);
	ck_assert_double_eq(hi, 1);
}
END_TEST

Suite *lk_suite_stats(void)
{
	Suite *s = suite_create("stats");
	TCase *t = tcase_create("stats");

	tcase_add_test(t, auc_small_by_hand);
	tcase_add_test(t, auc_ties_and_random_match_pair_count);
	tcase_add_test(t, auc_needs_both_classes);
	tcase_add_test(t, wilson_published_values);
	suite_add_tcase(s, t);
	return s;
}
