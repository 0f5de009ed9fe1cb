/*
 * lint.h - a scoring model's rules as the program understood them
 * (lead-score --lint): what a reviewer reads to check that the YAML
 * says what its author meant.
 *
 *   fit rules: 2
 *     senior-title: +20 when title ~* "\b(vp|chief)\b"
 *   engagement rules: 1
 *     webinar: +12 per webinar_attended, half-life 30d, window 180d, cap 36
 *   grades: A fit >= 40, B fit >= 25, C fit >= 10, else D
 *   mql: score >= 60 and grade in ["A", "B"]
 *
 * Points are printed as lk_score_fmt prints reasons (".0" dropped),
 * durations in days, the expressions as lk_expr_print writes them back.
 *
 * Ownership: the text is appended to the caller's buffer; nothing is
 * kept.
 */
#ifndef LK_LINT_H
#define LK_LINT_H

#include "core/buf.h"
#include "score/score.h"

/* Append the summary of `s` (bound: its expressions compiled) to
 * `out`.  Returns 0, or -1 when out of memory (the text is then not
 * whole). */
int lk_score_lint(const lk_score *s, lk_buf *out);

/*
 * --lint as a whole: lk_score_bind `s` to the columns cols[0..n) with
 * `explain` (cols NULL: the canonical lead columns, lk_canon), then
 * lk_score_lint appended to `out`.  -1 with err: the bind's errors
 * (LK_EMODEL), or LK_ENOMEM (`out` is then left as it was).
 */
int lk_score_lint_bound(lk_score *s, const char *const *cols, int n, int explain, lk_buf *out,
			lk_err *err);

/* The number of rules of one kind (lead-score warns when engagement
 * rules have no activities to count). */
int lk_score_rule_count(const lk_score *s, lk_rule_kind kind);

#endif
