/* lint.c - the summary of a scoring model's rules; see lint.h. */
#include "score/lint.h"

#include <math.h>

/* A duration in days: "30d", or "1.5d" when it is not whole. */
static int days(lk_buf *b, double d)
{
	return lk_buf_addf(b, d == floor(d) ? "%.0fd" : "%gd", d);
}

/* The rest of an engagement rule's line: activities, decay, window, cap. */
static int engagement(lk_buf *b, const lk_score_rule *r)
{
	int k, rc = lk_buf_adds(b, " per ");

	for (k = 0; k < r->nactivities; k++)
		rc |= lk_buf_addf(b, "%s%s", k ? "|" : "", r->activities[k]);
	if (r->half_life > 0)
		rc |= lk_buf_adds(b, ", half-life ") | days(b, r->half_life);
	if (r->window > 0)
		rc |= lk_buf_adds(b, ", window ") | days(b, r->window);
	if (r->cap >= 0) {
		rc |= lk_buf_adds(b, ", cap ");
		lk_score_fmt(b, r->cap, 0, 1);
	}
	return rc;
}

int lk_score_rule_count(const lk_score *s, lk_rule_kind kind)
{
	const lk_score_rule *r;
	int n, i, count = 0;

	r = lk_score_rules(s, &n);
	for (i = 0; i < n; i++)
		count += r[i].kind == kind;
	return count;
}

int lk_score_lint(const lk_score *s, lk_buf *out)
{
	const lk_score_rule *r;
	const lk_grade *g;
	const char *fb;
	int n, i, kind, rc = 0;

	r = lk_score_rules(s, &n);
	/* Fit rules first, then engagement rules, each under its count. */
	for (kind = 0; kind < 2; kind++) {
		rc |= lk_buf_addf(out, "%s rules: %d\n", kind ? "engagement" : "fit",
				  lk_score_rule_count(s, kind ? LK_RULE_ENGAGEMENT : LK_RULE_FIT));
		for (i = 0; i < n; i++) {
			if (r[i].kind != (kind ? LK_RULE_ENGAGEMENT : LK_RULE_FIT))
				continue;
			rc |= lk_buf_addf(out, "  %s: ", r[i].name);
			lk_score_fmt(out, r[i].points, 1, 1);
			if (kind)
				rc |= engagement(out, &r[i]);
			else
				rc |= lk_buf_adds(out, " when ") | lk_expr_print(r[i].expr, out);
			rc |= lk_buf_addc(out, '\n');
		}
	}
	g = lk_score_grades(s, &n, &fb);
	rc |= lk_buf_adds(out, "grades: ");
	for (i = 0; i < n; i++) {
		rc |= lk_buf_addf(out, "%s fit >= ", g[i].name);
		lk_score_fmt(out, g[i].min, 0, 1);
		rc |= lk_buf_adds(out, ", ");
	}
	rc |= lk_buf_addf(out, "else %s\nmql: ", fb);
	rc |= lk_expr_print(lk_score_mql(s), out) | lk_buf_addc(out, '\n');
	return rc ? -1 : 0;
}

int lk_score_lint_bound(lk_score *s, const char *const *cols, int n, int explain, lk_buf *out,
			lk_err *err)
{
	size_t len = out->len;

	if (!cols) {
		cols = lk_canon;
		n = LK_NCANON;
	}
	if (lk_score_bind(s, cols, n, explain, err) < 0)
		return -1;
	if (lk_score_lint(s, out) == 0)
		return 0;
	/* Not half a summary: the buffer as it was. */
	out->len = len;
	if (out->data)
		out->data[len] = '\0';
	return lk_err_set(err, LK_ENOMEM, "out of memory");
}
