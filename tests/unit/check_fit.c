/* Unit tests for lib/fit: outcomes, closed-form and Newton-method
 * references for the fit, the rule budget, separable data, candidates
 * from the data, and writing the model back. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "score/fit.h"

START_TEST(outcome_words_and_stages)
{
	lk_err e;
	lk_model *m = lk_model_load(NULL, &e);

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(lk_fit_outcome(m, "1", 1), 1);
	ck_assert_int_eq(lk_fit_outcome(m, " Yes ", 5), 1);
	ck_assert_int_eq(lk_fit_outcome(m, "TRUE", 4), 1);
	ck_assert_int_eq(lk_fit_outcome(m, "0", 1), 0);
	ck_assert_int_eq(lk_fit_outcome(m, "no", 2), 0);
	ck_assert_int_eq(lk_fit_outcome(m, "lost", 4), 0);
	/* Stage aliases of the built-in model. */
	ck_assert_int_eq(lk_fit_outcome(m, "Closed - Converted", 18), 1);
	ck_assert_int_eq(lk_fit_outcome(m, "customer", 8), 1);
	ck_assert_int_eq(lk_fit_outcome(m, "disqualified", 12), 0);
	/* Open stages and blanks are not labelled. */
	ck_assert_int_eq(lk_fit_outcome(m, "mql", 3), -1);
	ck_assert_int_eq(lk_fit_outcome(m, "  ", 2), -1);
	ck_assert_int_eq(lk_fit_outcome(m, "maybe", 5), -1);
	lk_model_free(m);
}
END_TEST

START_TEST(values)
{
	double v;

	ck_assert_int_eq(lk_fit_value("$12,500.50", 10, &v), 0);
	ck_assert_double_eq_tol(v, 12500.5, 1e-9);
	ck_assert_int_eq(lk_fit_value("7", 1, &v), 0);
	ck_assert_double_eq(v, 7);
	ck_assert_int_eq(lk_fit_value("n/a", 3, &v), -1);
	ck_assert_int_eq(lk_fit_value("", 0, &v), -1);
}
END_TEST

static const lk_fit_opts defaults = { .max_rules = 20, .folds = 0, .seed = 1, .capture = 0.8,
				      .scale = 10 };

/*
 * One rule with odds 4 when it matches and 1/4 when not, one rule with
 * no effect: the maximum-likelihood coefficients are ln 16 and 0 in
 * closed form, 40 and 0 points.
 */
START_TEST(closed_form_odds_ratio)
{
	lk_err e;
	lk_fit *f = lk_fit_new(400, &e);
	lk_fit_figures fig;
	const lk_fit_feature *ft;
	const lk_fit_level *lv;
	int a, b, n, nl;
	long i;

	ck_assert_ptr_nonnull(f);
	a = lk_fit_add(f, "big", NULL, LK_FEAT_RULE, 0, &e);
	b = lk_fit_add(f, "us", NULL, LK_FEAT_RULE, 1, &e);
	for (i = 0; i < 400; i++) {
		int big = i < 200, us = (i / 100) % 2, k = (int)(i % 100);
		lk_fit_label(f, i, big ? k < 80 : k < 20, 0);
		lk_fit_set(f, a, i, big);
		lk_fit_set(f, b, i, us);
	}
	ck_assert_int_eq(lk_fit_run(f, &defaults, &fig, &e), 0);
	ft = lk_fit_features(f, &n);
	ck_assert_int_eq(n, 2);
	ck_assert_double_eq_tol(ft[a].coef, log(16), 0.01);
	ck_assert_double_eq_tol(ft[b].coef, 0, 1e-6);
	ck_assert_int_eq(ft[a].points, 40);
	ck_assert_int_eq(ft[b].points, 0);
	ck_assert_int_eq(fig.nrules, 1);
	ck_assert_int_eq(fig.threshold, 40);
	ck_assert_int_eq(fig.mql, 200);
	ck_assert_int_eq(fig.won, 160);
	/* P(pos > neg) + P(tie) / 2 = 0.8 * 0.8 + (0.8 * 0.2 + 0.2 * 0.8) / 2. */
	ck_assert_double_eq_tol(fig.train_auc, 0.8, 1e-12);
	lv = lk_fit_levels(f, &nl);
	ck_assert_int_eq(nl, 2);
	ck_assert_int_eq(lv[1].threshold, 0);
	ck_assert_int_eq(lv[1].mql, 400);
	lk_fit_free(f);
}
END_TEST

static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

/* Unpenalised logistic regression by Newton's method on 3 parameters
 * (intercept, x1, x2): the reference the fit must agree with. */
static void newton(const int *x1, const int *x2, const int *y, int n, double b[3])
{
	int it, i, r, c;

	b[0] = b[1] = b[2] = 0;
	for (it = 0; it < 50; it++) {
		double g[3] = { 0 }, H[3][3] = { { 0 } }, d[3], m[3][4];
		for (i = 0; i < n; i++) {
			double x[3] = { 1, x1[i], x2[i] };
			double p = 1 / (1 + exp(-(b[0] + b[1] * x[1] + b[2] * x[2])));
			for (r = 0; r < 3; r++) {
				g[r] += (y[i] - p) * x[r];
				for (c = 0; c < 3; c++)
					H[r][c] += p * (1 - p) * x[r] * x[c];
			}
		}
		/* Solve H d = g by Gauss-Jordan. */
		for (r = 0; r < 3; r++) {
			for (c = 0; c < 3; c++)
				m[r][c] = H[r][c];
			m[r][3] = g[r];
		}
		for (c = 0; c < 3; c++)
			for (r = 0; r < 3; r++) {
				double k;
				if (r == c)
					continue;
				k = m[r][c] / m[c][c];
				for (i = 0; i < 4; i++)
					m[r][i] -= k * m[c][i];
			}
		for (r = 0; r < 3; r++) {
			d[r] = m[r][3] / m[r][r];
			b[r] += d[r];
		}
	}
}

START_TEST(agrees_with_newton)
{
	enum { N = 3000 };
	static int x1[N], x2[N], y[N];
	uint64_t s = 42;
	double ref[3];
	lk_err e;
	lk_fit *f = lk_fit_new(N, &e);
	lk_fit_figures fig;
	const lk_fit_feature *ft;
	int i, n;

	for (i = 0; i < N; i++) {
		double eta;
		x1[i] = lcg(&s) % 3 == 0;
		x2[i] = lcg(&s) % 2;
		eta = -1 + 1.5 * x1[i] - 0.7 * x2[i];
		y[i] = (double)(lcg(&s) % 1000000) / 1e6 < 1 / (1 + exp(-eta));
	}
	newton(x1, x2, y, N, ref);
	lk_fit_add(f, "a", NULL, LK_FEAT_RULE, 0, &e);
	lk_fit_add(f, "b", NULL, LK_FEAT_RULE, 1, &e);
	for (i = 0; i < N; i++) {
		lk_fit_label(f, i, y[i], 0);
		lk_fit_set(f, 0, i, x1[i]);
		lk_fit_set(f, 1, i, x2[i]);
	}
	ck_assert_int_eq(lk_fit_run(f, &defaults, &fig, &e), 0);
	ft = lk_fit_features(f, &n);
	/* The L2 term (1e-4) moves them by far less than this. */
	ck_assert_double_eq_tol(ft[0].coef, ref[1], 0.005);
	ck_assert_double_eq_tol(ft[1].coef, ref[2], 0.005);
	ck_assert_int_eq(ft[0].points, lround(ref[1] * 10 / M_LN2));
	lk_fit_free(f);
}
END_TEST

/* With more useful rules than the budget, at most max_rules get points;
 * and the same seed gives the same folds and figures. */
START_TEST(rule_budget_and_seed)
{
	enum { N = 2000, K = 8 };
	uint64_t s = 7;
	lk_err e;
	lk_fit_opts o = defaults;
	lk_fit_figures fig, fig2;
	lk_fit *f, *g;
	int i, j, n, nz = 0;
	const lk_fit_feature *ft;

	o.max_rules = 3;
	o.folds = 4;
	f = lk_fit_new(N, &e);
	g = lk_fit_new(N, &e);
	for (j = 0; j < K; j++) {
		char name[16];
		snprintf(name, sizeof name, "r%d", j);
		lk_fit_add(f, name, NULL, LK_FEAT_RULE, j, &e);
		lk_fit_add(g, name, NULL, LK_FEAT_RULE, j, &e);
	}
	for (i = 0; i < N; i++) {
		double eta = -0.5;
		int x[K], yy;
		for (j = 0; j < K; j++) {
			x[j] = lcg(&s) % 2;
			eta += (j + 1) * 0.3 * x[j];
		}
		yy = (double)(lcg(&s) % 1000000) / 1e6 < 1 / (1 + exp(-eta));
		lk_fit_label(f, i, yy, 0);
		lk_fit_label(g, i, yy, 0);
		for (j = 0; j < K; j++) {
			lk_fit_set(f, j, i, x[j]);
			lk_fit_set(g, j, i, x[j]);
		}
	}
	ck_assert_int_eq(lk_fit_run(f, &o, &fig, &e), 0);
	ck_assert_int_eq(lk_fit_run(g, &o, &fig2, &e), 0);
	ft = lk_fit_features(f, &n);
	for (j = 0; j < n; j++)
		nz += ft[j].points != 0;
	ck_assert_int_le(nz, 3);
	ck_assert_int_ge(nz, 1);
	/* The strongest rules are the ones kept. */
	ck_assert_int_ne(ft[K - 1].points, 0);
	ck_assert_int_eq(fig.folds, 4);
	ck_assert_double_eq(fig.auc, fig2.auc);
	ck_assert_int_eq(fig.ho_mql, fig2.ho_mql);
	ck_assert(fig.auc > 0.6 && fig.auc < 1);
	lk_fit_free(f);
	lk_fit_free(g);
}
END_TEST

START_TEST(separable_stays_finite)
{
	lk_err e;
	lk_fit *f = lk_fit_new(100, &e);
	lk_fit_figures fig;
	const lk_fit_feature *ft;
	int n;
	long i;

	lk_fit_add(f, "perfect", NULL, LK_FEAT_RULE, 0, &e);
	for (i = 0; i < 100; i++) {
		lk_fit_label(f, i, i % 2, 0);
		lk_fit_set(f, 0, i, i % 2);
	}
	ck_assert_int_eq(lk_fit_run(f, &defaults, &fig, &e), 0);
	ft = lk_fit_features(f, &n);
	ck_assert(isfinite(ft[0].coef));
	ck_assert(ft[0].coef > 5 && ft[0].coef < 30);
	ck_assert_double_eq_tol(fig.train_auc, 1, 1e-12);
	lk_fit_free(f);
}
END_TEST

START_TEST(constant_outcome_is_an_error)
{
	lk_err e;
	lk_fit *f = lk_fit_new(10, &e);
	lk_fit_figures fig;
	long i;

	for (i = 0; i < 10; i++)
		lk_fit_label(f, i, 1, 0);
	ck_assert_int_eq(lk_fit_run(f, &defaults, &fig, &e), -1);
	ck_assert_int_eq(e.kind, LK_EDATA);
	ck_assert_ptr_nonnull(strstr(e.msg, "constant"));
	lk_fit_free(f);
}
END_TEST

/* Candidates from rows: frequent values but not placeholders or blanks,
 * decile thresholds of numbers, with names and expressions. */
START_TEST(auto_candidates)
{
	static const char *const cols[] = { "source", "visits", "Lead Origin" };
	lk_rowstore *rs = lk_rowstore_new();
	lk_placeholders *ph = lk_placeholders_new();
	unsigned char skip[3] = { 0, 0, 0 };
	lk_err e;
	lk_fit *f;
	const lk_fit_feature *ft;
	int n, j, seen_google = 0, seen_ge5 = 0, seen_origin = 0;
	long i;

	for (i = 0; i < 200; i++) {
		const char *src = i % 4 == 0 ? "Google" : i % 4 == 1 ? "Select" : i % 4 == 2 ? "" : "Referral";
		char v[16];
		const char *fv[3];
		size_t len[3];
		snprintf(v, sizeof v, "%ld", i % 10);
		fv[0] = src;
		fv[1] = v;
		fv[2] = i < 100 ? "API" : "Form";
		for (j = 0; j < 3; j++)
			len[j] = strlen(fv[j]);
		lk_rowstore_addv(rs, fv, len, 3, i + 1, i + 2);
	}
	f = lk_fit_new(200, &e);
	ck_assert_int_eq(lk_fit_auto(f, rs, cols, 3, skip, ph, NULL, 0, &e), 0);
	ft = lk_fit_features(f, &n);
	for (j = 0; j < n; j++) {
		ck_assert_ptr_null(strstr(ft[j].when, "Select"));
		if (!strcmp(ft[j].when, "source == \"Google\"")) {
			seen_google = 1;
			ck_assert_str_eq(ft[j].name, "source.google");
			ck_assert_int_eq(__builtin_popcountll(ft[j].bits[0]) +
					 __builtin_popcountll(ft[j].bits[1]) +
					 __builtin_popcountll(ft[j].bits[2]) +
					 __builtin_popcountll(ft[j].bits[3]), 50);
		}
		if (!strcmp(ft[j].when, "number(visits) >= 5")) {
			seen_ge5 = 1;
			ck_assert_str_eq(ft[j].name, "visits.ge-5");
		}
		/* Two values covering every row: the commoner-or-first one
		 * is the other's complement and is left out. */
		if (strstr(ft[j].when, "${Lead Origin}"))
			seen_origin++;
	}
	ck_assert(seen_google && seen_ge5);
	ck_assert_int_eq(seen_origin, 1);
	lk_fit_free(f);
	lk_rowstore_free(rs);
	lk_placeholders_free(ph);
}
END_TEST

/* The model written back: points replaced in place after a UTF-8
 * comment (libyaml counts characters, not bytes), the header replaced
 * rather than stacked, the mql threshold set. */
START_TEST(rewrite_in_place)
{
	static const char text[] =
		"# fit: an old header\n"
		"# Größe zählt: a comment with multibyte letters\n"
		"scoring:\n"
		"  fit:\n"
		"    - {rule: big, when: 'employees == \"large\"', points: 5}  # größer\n"
		"  mql: \"score >= 60\"\n";
	static const char *const cols[] = { "employees" };
	lk_err e;
	lk_model *m = lk_model_load_mem("t.yaml", text, sizeof text - 1, &e);
	lk_score *s;
	lk_fit *f;
	lk_fit_figures fig;
	lk_buf out = LK_BUF_INIT, nt = LK_BUF_INIT;
	long i;

	ck_assert_ptr_nonnull(m);
	s = lk_score_new(m, &e);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(lk_score_bind(s, cols, 1, 0, &e), 0);
	f = lk_fit_new(400, &e);
	lk_fit_add(f, "big", NULL, LK_FEAT_RULE, 0, &e);
	for (i = 0; i < 400; i++) {
		lk_fit_label(f, i, i < 200 ? i % 100 < 80 : i % 100 < 20, 0);
		lk_fit_set(f, 0, i, i < 200);
	}
	ck_assert_int_eq(lk_fit_run(f, &defaults, &fig, &e), 0);
	ck_assert_int_eq(lk_fit_rewrite(f, &fig, text, sizeof text - 1, m, s, "# fit: new\n", &out,
					&nt, &e), 0);
	ck_assert_str_eq(lk_buf_str(&out),
		"# fit: new\n"
		"# Größe zählt: a comment with multibyte letters\n"
		"scoring:\n"
		"  fit:\n"
		"    - {rule: big, when: 'employees == \"large\"', points: 40}  # größer\n"
		"  mql: 'score >= 40'\n");
	lk_buf_free(&out);
	lk_buf_free(&nt);
	lk_fit_free(f);
	lk_score_free(s);
	lk_model_free(m);
}
END_TEST

/* A rule from the data goes after the last item of a block list, even
 * when that item is a block mapping followed by a blank line and a
 * comment (libyaml ends such a mapping at the next key). */
START_TEST(rewrite_appends_after_block_item)
{
	static const char text[] =
		"scoring:\n"
		"  fit:\n"
		"    - rule: big\n"
		"      when: 'employees == \"large\"'\n"
		"      points: 5   # a guess\n"
		"\n"
		"  # the MQL bar\n"
		"  mql: score >= 60\n";
	static const char *const cols[] = { "employees", "source" };
	lk_err e;
	lk_model *m = lk_model_load_mem("t.yaml", text, sizeof text - 1, &e);
	lk_score *s = lk_score_new(m, &e);
	lk_fit *f;
	lk_fit_figures fig;
	lk_buf out = LK_BUF_INIT, nt = LK_BUF_INIT;
	long i;

	ck_assert_int_eq(lk_score_bind(s, cols, 2, 0, &e), 0);
	f = lk_fit_new(400, &e);
	lk_fit_add(f, "big", NULL, LK_FEAT_RULE, 0, &e);
	lk_fit_add(f, "source.ads", "source == \"Ads\"", LK_FEAT_AUTO, -1, &e);
	for (i = 0; i < 400; i++) {
		/* big: odds 4 against 1/4; source Ads on every other row, no effect. */
		lk_fit_label(f, i, i < 200 ? i % 100 < 80 : i % 100 < 20, 0);
		lk_fit_set(f, 0, i, i < 200);
		lk_fit_set(f, 1, i, i % 2);
	}
	/* Give the Ads rule an effect: flip ten of its non-converted rows. */
	for (i = 1; i < 400; i += 2)
		if (i % 100 >= 80 && i < 200)
			lk_fit_label(f, i, 1, 0);
	ck_assert_int_eq(lk_fit_run(f, &defaults, &fig, &e), 0);
	ck_assert_int_eq(lk_fit_rewrite(f, &fig, text, sizeof text - 1, m, s, "", &out, &nt, &e), 0);
	ck_assert_ptr_nonnull(strstr(lk_buf_str(&out), "   # a guess\n"
				     "    - {rule: source.ads, when: 'source == \"Ads\"', points: "));
	ck_assert_ptr_nonnull(strstr(lk_buf_str(&out), "}\n\n  # the MQL bar\n  mql: 'score >= "));
	lk_buf_free(&out);
	lk_buf_free(&nt);
	lk_fit_free(f);
	lk_score_free(s);
	lk_model_free(m);
}
END_TEST

Suite *lk_suite_fit(void)
{
	Suite *s = suite_create("fit");
	TCase *tc = tcase_create("fit");

	tcase_add_test(tc, outcome_words_and_stages);
	tcase_add_test(tc, values);
	tcase_add_test(tc, closed_form_odds_ratio);
	tcase_add_test(tc, agrees_with_newton);
	tcase_add_test(tc, rule_budget_and_seed);
	tcase_add_test(tc, separable_stays_finite);
	tcase_add_test(tc, constant_outcome_is_an_error);
	tcase_add_test(tc, auto_candidates);
	tcase_add_test(tc, rewrite_in_place);
	tcase_add_test(tc, rewrite_appends_after_block_item);
	suite_add_tcase(s, tc);
	return s;
}
