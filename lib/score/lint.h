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

/* The number of rules of one kind (lead-score warns when engagement
 * rules have no activities to count). */
int lk_score_rule_count(const lk_score *s, lk_rule_kind kind);

#endif
