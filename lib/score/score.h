/*
 * score.h - lead scoring: fit rules, engagement with time decay, grades
 * and the MQL definition, from the `scoring:` section of the model.
 *
 *   scoring:
 *     fit:                 # explicit: who they are; first-class columns only
 *       - {rule: senior-title, when: 'title ~* "\b(vp|chief)\b"', points: 20}
 *     engagement:          # implicit: what they did, decayed by age
 *       - {rule: webinar, activity: webinar_attended, points: 12,
 *          half_life: 30d, window: 180d, cap: 36}
 *     grades: {A: 40, B: 25, C: 10}     # fit thresholds, else the next letter
 *     mql: 'score >= 60 and grade in ["A", "B"]'
 *
 * Fit rules add `points` (negative allowed) when `when` is true for the
 * row.  Engagement rules add `points` for every activity of the lead
 * whose name is `activity` (a name or a list of names), multiplied by
 * 0.5^(age / half_life) (no decay without half_life); activities older
 * than `window` are ignored, and one rule gives at most `cap` (a total,
 * applied after decay).  fit = sum of fit rules, engagement = sum of
 * engagement rules, score = fit + engagement.  grade: the first of A, B,
 * C, D, E (those given, in order, with falling thresholds) whose
 * threshold fit reaches; else the letter after the last one given (D
 * for the default {A: 40, B: 25, C: 10}).  mql: the `mql` expression,
 * which sees the row's columns plus score, fit, engagement and grade.
 *
 * Arithmetic is exact to the printed precision: every contribution is
 * rounded to one decimal (tenths, half away from zero) first, and the
 * totals are sums of the rounded contributions, so the parts of
 * score_reasons always add up to the score shown.  Columns are printed
 * with exactly one decimal ("20.0", "-9.6"); reasons drop a ".0"
 * ("senior-title:+20;webinar(12d):+9.6").
 *
 * Errors (all LK_EMODEL at file:line:col of the model): unknown keys
 * with a did-you-mean, a missing `scoring` section, missing or mistyped
 * rule keys, duplicate rule names (fit and engagement share one name
 * space), names with characters other than letters, digits, '_', '-',
 * '.', bad durations, negative caps, grade thresholds that do not fall,
 * expressions that do not compile, and (at lk_score_bind) rules that
 * name a column the input does not have, named with the rule.
 *
 * Ledger (lk_score_keep_entries): when asked, lk_score_row also keeps
 * every contribution it added, one lk_score_entry each, in the order of
 * score_reasons: a fit rule that matched (factor 1), an activity that an
 * engagement rule counted (with its age and decay factor), and a cap
 * cutting a rule back (negative points).  Their points sum to the score.
 * lk_score_ledger writes them as CSV rows of lk_ledger_columns, keyed by
 * the lead's lead_id, or its email (as written) when it has none.  The
 * entry array and the text buffers are reused from row to row, so a
 * long run allocates only while they grow.
 *
 * Baseline (lk_score_set_baseline): a second scorer, from another model,
 * scores every row too, against the same input header and activities;
 * its score and mql become the columns baseline_score and baseline_mql,
 * after the scorer's own, so a model change shows which leads it would
 * flip.  The baseline's expressions count nothing in env (the row's
 * counters are the main model's).  lk_score_load_baseline loads the
 * baseline from its file and keeps it, model and all, with the scorer.
 *
 * Ownership: an lk_score points into the model's document, so the model
 * must outlive it (lk_score_load's scorer owns its model).  The row
 * lk_score_row returns belongs to the scorer and lives until its next
 * call; passed-through fields point into the input row, which must stay
 * valid as long as the output is used.
 */
#ifndef LK_SCORE_H
#define LK_SCORE_H

#include <stdint.h>

#include "core/buf.h"
#include "core/csvio.h"
#include "core/err.h"
#include "model/expr.h"
#include "model/model.h"

/* The columns lead-score owns, in the order it appends them: the last
 * three only with explain and a baseline. */
enum { LK_SC_SCORE, LK_SC_FIT, LK_SC_ENGAGEMENT, LK_SC_GRADE, LK_SC_MQL,
       LK_SC_REASONS, LK_SC_BASE_SCORE, LK_SC_BASE_MQL, LK_SC_NCOLS };
extern const char *const lk_score_columns[LK_SC_NCOLS];

typedef enum { LK_RULE_FIT, LK_RULE_ENGAGEMENT } lk_rule_kind;

typedef struct lk_score_rule {
	const char *name;		/* rule name, unique in the model */
	lk_rule_kind kind;
	const char *when;		/* fit: the condition's source */
	lk_expr *expr;			/* fit: compiled by lk_score_bind */
	const char **activities;	/* engagement: activity names */
	int nactivities;
	long points;			/* tenths of a point */
	double half_life;		/* days; 0: no decay */
	double window;			/* days; 0: no window */
	long cap;			/* tenths; -1: no cap */
	const yaml_node_t *node;	/* the rule's mapping, for messages */
	const yaml_node_t *when_node;	/* the `when` value, for messages */
} lk_score_rule;

typedef struct lk_grade {
	char name[2];			/* "A" */
	long min;			/* fit threshold, tenths */
} lk_grade;

/* One contribution to a score (see Ledger above). */
typedef enum { LK_ENTRY_FIT, LK_ENTRY_ENGAGEMENT, LK_ENTRY_CAP } lk_entry_kind;

typedef struct lk_score_entry {
	const lk_score_rule *rule;	/* the rule that gave it */
	lk_entry_kind kind;
	const char *activity;		/* engagement: the activity's name; else NULL */
	int64_t at;			/* engagement: when it happened */
	double age;			/* engagement: days before env->now */
	double factor;			/* fit: 1; engagement: 0.5^(age/half_life), or 1 */
	long points;			/* tenths, as added to the score */
} lk_score_entry;

/* The ledger's columns, in order. */
enum { LK_LEDGER_NCOLS = 8 };
extern const char *const lk_ledger_columns[LK_LEDGER_NCOLS];

/* The numbers of one scored row, for tests and summaries. */
typedef struct lk_score_result {
	long fit, engagement, score;	/* tenths */
	const char *grade;
	int mql;
	long base_score;		/* with a baseline: its score, tenths */
	int base_mql;			/* with a baseline: its mql */
} lk_score_result;

typedef struct lk_score lk_score;

/* Parse and check the model's scoring section.  NULL with err. */
lk_score *lk_score_new(lk_model *m, lk_err *err);
/* lk_score_new of the model file at `path` (lk_model_load; NULL: the
 * built-in model), which the scorer owns and frees with itself.  NULL
 * with err: the model's errors, then the scoring section's. */
lk_score *lk_score_load(const char *path, lk_err *err);
void lk_score_free(lk_score *s);
/* The model the scorer was made from. */
lk_model *lk_score_model(const lk_score *s);

/* The parsed rules (fit first, in model order), grades and mql source,
 * for --lint. */
const lk_score_rule *lk_score_rules(const lk_score *s, int *n);
const lk_grade *lk_score_grades(const lk_score *s, int *n, const char **fallback);
const char *lk_score_mql_source(const lk_score *s);
/* The compiled mql expression (after lk_score_bind), for lk_expr_print. */
const lk_expr *lk_score_mql(const lk_score *s);

/*
 * Score with `base` too (NULL: no baseline); call before lk_score_bind,
 * which binds `base` to the same header.  The caller keeps `base` (and
 * its model) alive and frees it after `s`.
 */
void lk_score_set_baseline(lk_score *s, lk_score *base);
/*
 * lk_score_set_baseline with the lk_score_load of the model file at
 * `path`, which `s` owns and frees with itself.  -1 with err: the
 * baseline model's errors, at its file's positions.
 */
int lk_score_load_baseline(lk_score *s, const char *path, lk_err *err);
/* Rows whose mql the model changes against the baseline: no -> yes
 * (*up) and yes -> no (*down), over all rows scored. */
void lk_score_flips(const lk_score *s, long *up, long *down);

/*
 * Compile the rules against an input header of `n` names.  Existing
 * owned columns (score, fit, ...) are updated in place, the others are
 * appended; `explain` adds score_reasons.  -1 with err (LK_EMODEL, at
 * the rule's position, naming the rule and the missing column).
 */
int lk_score_bind(lk_score *s, const char *const *cols, int n, int explain, lk_err *err);
/* The output header (valid until lk_score_free). */
void lk_score_header(const lk_score *s, const char *const **names, int *n);
/* Output index of an owned column (LK_SC_*), or -1 when not output. */
int lk_score_column(const lk_score *s, int which);

/*
 * Score one row: fit rules on `in`, engagement from the lead's `acts`
 * (already limited to activities at or before env->now), grade and mql.
 * *out is the output row (see Ownership); res, when not NULL, receives
 * the numbers.  Returns 0, or -1 when out of memory.
 */
int lk_score_row(lk_score *s, const lk_row *in, const lk_act *acts, int nacts,
		 lk_exprenv *env, lk_row **out, lk_score_result *res);

/* Keep (on = 1) or stop keeping the contributions of each scored row. */
void lk_score_keep_entries(lk_score *s, int on);
/* The contributions of the row last scored (none unless kept); valid
 * until the next lk_score_row. */
const lk_score_entry *lk_score_entries(const lk_score *s, int *n);
/*
 * Write the contributions of the row last scored to `w`, one ledger row
 * each; `in` is the input row that was scored (for its lead_id or
 * email).  Fit rows leave activity, occurred_at and age_days empty; cap
 * rows also leave factor empty.  age_days and factor have at most six
 * decimals, trailing zeros dropped.  -1 with err on a write error.
 */
int lk_score_ledger(lk_score *s, const lk_row *in, lk_writer *w, lk_err *err);

/* Append tenths as text: "12.5", "-3.0"; `sign` adds '+' to positive
 * values, `compact` drops ".0". */
void lk_score_fmt(lk_buf *b, long tenths, int sign, int compact);

#endif
