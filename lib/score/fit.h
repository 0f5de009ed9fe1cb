/*
 * fit.h - fit a points model from leads with a known outcome.
 *
 * lead-score --fit turns labelled leads into fitted points: every
 * candidate rule is a 0/1 indicator per lead (a model fit rule, or a
 * rule generated from the data by lk_fit_auto), or, for engagement
 * rules, the decayed count of matching activities.  The fit is an
 * L1-regularised logistic regression on those columns:
 *
 *   minimise  mean log-loss + lambda * sum |b_j| + (l2 / 2) * sum b_j^2
 *
 * solved by cyclic coordinate descent on the IRLS quadratic (glmnet's
 * scheme), with an unpenalised intercept.  lambda walks down a path from
 * the smallest value that keeps every rule at zero, by a factor of 0.7
 * per step (one IRLS step each, screened by the strong rule), and stops
 * before more than max_rules rules are non-zero, after three halvings
 * (on a log scale) of the step that passed it; the
 * rules alive at that point are then refitted without the L1 term (the
 * "relaxed" lasso, so L1 chooses the rules but does not shrink their
 * points).  The small fixed L2 term (LK_FIT_L2) keeps every coefficient
 * finite, also when a rule separates the outcome perfectly.
 *
 * Points: a coefficient b becomes round(b * scale / ln 2) whole points,
 * so with the default scale of 10, every 10 points double the odds of
 * converting.  A lead's score is the sum of the points of its rules, which a rep
 * can add up by hand.
 *
 * The MQL threshold (stage one): over the scores of the rows fitted,
 * the threshold T (mql: score >= T) with the lowest reject rate (share
 * of MQLs that did not convert) among those that still capture at least
 * `capture` of the conversions; ties go to the larger capture.  Stage
 * two: every threshold's captured value (the summed value of the
 * converted leads at or above it) is in lk_fit_levels.
 *
 * Honest figures: with folds >= 2, the rows are split into that many
 * folds, stratified by outcome, in an order shuffled by `seed` (so the
 * same seed gives the same folds); each fold is scored by a model fitted
 * on the others, threshold included, and only those held-out scores
 * give the held-out AUC, reject rate and capture.  The final model is
 * fitted on all rows; its own figures are training figures and are
 * named so.
 *
 * The labelled leads (lk_fit_data, at the end): lead-score --fit reads
 * its input through them, from the header row to the lk_fit; and the
 * whole of --fit as one call (lk_fit_leads, last), so that the tool
 * only prints what it returns and writes the model out.
 *
 * Ownership: an lk_fit owns its features (names, expressions, bitsets),
 * its notes and its levels; lk_fit_features and lk_fit_levels return
 * arrays that live until lk_fit_free.  Nothing here prints: notes for
 * the user (rules dropped, columns skipped) collect in lk_fit_notes,
 * and every other text is built in an lk_buf the caller owns.
 */
#ifndef LK_FIT_H
#define LK_FIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "model/norm.h"
#include "core/rowstore.h"
#include "score/activity.h"
#include "score/score.h"

#define LK_FIT_L2 1e-4

typedef struct lk_fit lk_fit;

typedef enum { LK_FEAT_RULE, LK_FEAT_AUTO, LK_FEAT_ENGAGEMENT } lk_feat_kind;

/* Why a candidate takes no part in the fit. */
typedef enum { LK_DROP_NONE, LK_DROP_ALL, LK_DROP_NONE_MATCH, LK_DROP_SAME,
	       LK_DROP_COMPLEMENT } lk_drop;

typedef struct lk_fit_feature {
	char *name;		/* rule name */
	char *when;		/* auto: the rule's expression; else NULL */
	lk_feat_kind kind;
	int rule;		/* index in lk_score_rules, or -1 */
	long count;		/* rows where it is non-zero */
	lk_drop drop;
	int same;		/* LK_DROP_SAME, _COMPLEMENT: the earlier feature with
				 * the same rows, or with exactly the others */
	int sign;		/* 1: coef >= 0, -1: coef <= 0, 0: either */
	double coef;		/* fitted on all rows */
	long points;		/* whole points on the scale */
	uint64_t *bits;		/* 0/1 indicator, one bit per row, or NULL */
	double *x;		/* engagement: a value per row, or NULL */
} lk_fit_feature;

typedef struct lk_fit_opts {
	int max_rules;		/* at most this many non-zero rules (20) */
	int folds;		/* cross-validation folds; < 2: none */
	uint64_t seed;		/* shuffles the fold assignment */
	double capture;		/* share of conversions the threshold keeps (0.8) */
	double scale;		/* points that double the odds (10) */
} lk_fit_opts;

/* One MQL threshold over the rows fitted (training figures). */
typedef struct lk_fit_level {
	long threshold;		/* mql: score >= threshold */
	long mql;		/* rows at or above it */
	long won;		/* of them converted */
	double value;		/* summed value of those converted */
} lk_fit_level;

typedef struct lk_fit_figures {
	long rows, positives;	/* rows fitted, converted among them */
	double value;		/* summed value of the converted rows */
	int nrules;		/* rules with non-zero points */
	int candidates;		/* candidate rules fitted (not dropped) */
	int folds;		/* 0: no cross-validation */
	double auc, auc_min, auc_max;	/* held-out ROC AUC: mean, range over folds */
	long ho_mql, ho_won;	/* held-out: MQLs at each fold's own threshold, converted */
	double ho_value;	/* held-out: value captured */
	double train_auc;	/* the final model on all rows (training) */
	long threshold;		/* chosen on all rows */
	long mql, won;		/* training: at the threshold */
	double captured;	/* training: value captured at the threshold */
	double lambda;		/* L1 strength of the final model */
} lk_fit_figures;

/*
 * The outcome a cell means: 1 for 1, yes, y, true, won, converted (any
 * case, trimmed) or a value naming the model's `won` stage; 0 for 0,
 * no, n, false, lost, or a value naming its `lost` or `disqualified`
 * stage; -1 for anything else (blank, an open stage: not labelled).
 */
int lk_fit_outcome(const lk_model *m, const char *s, size_t len);
/* A deal value: digits with optional currency sign, spaces and
 * thousands commas ("$12,500.00").  0 and *out, or -1. */
int lk_fit_value(const char *s, size_t len, double *out);

/* A fit over n rows (all labelled); NULL with err when out of memory. */
lk_fit *lk_fit_new(long n, lk_err *err);
void lk_fit_free(lk_fit *f);

/* Row i's outcome (0/1) and value (0 when unknown). */
void lk_fit_label(lk_fit *f, long i, int y, double value);

/*
 * Add a candidate; `when` (auto rules) is copied.  Engagement features
 * hold a value per row, the others a bit.  Returns its index, or -1
 * with err.
 */
int lk_fit_add(lk_fit *f, const char *name, const char *when, lk_feat_kind kind, int rule,
	       lk_err *err);
/* Set feature j of row i: a bit when x != 0, or the value x. */
void lk_fit_set(lk_fit *f, int j, long i, double x);
/*
 * Keep feature j's coefficient >= 0 (sign 1) or <= 0 (-1).  An
 * engagement rule with a cap needs it: the cap limits a positive total
 * only, so the capped count the feature holds is right for points of
 * the rule's own sign alone.
 */
void lk_fit_sign(lk_fit *f, int j, int sign);

/*
 * Set the indicators of fit rules rules[0..nr) (those with featof[j] >= 0
 * and kind LK_RULE_FIT) for every stored row, evaluating each condition
 * once per distinct value of the columns it reads: a fit rule reads
 * nothing else, so the result is what lk_score_row's ledger would say.
 * `width` is the widest stored row.  Returns 0, or -1 when memory runs
 * out (nothing useful is set; the caller scores row by row instead).
 */
int lk_fit_rule_indicators(lk_fit *f, const lk_rowstore *rows, const lk_score_rule *rules, int nr,
			   const int *featof, int width, lk_exprenv *env);

/*
 * Generate candidates from the rows (row i of `rows` is fit row i),
 * whose header is cols[0..ncols): for each column not marked in `skip`,
 * the frequent values of a categorical column (`source == "Google"`,
 * each value at least 0.5% of rows, at most 20 per column) and decile
 * thresholds of a numeric one (`number(visits) >= 5`).  Blank cells and
 * the placeholders in `ph` are missing: no candidate tests for them.
 * Numeric columns whose values are nearly all distinct (identifiers)
 * and columns with too many distinct values are skipped, with a note.
 * Rule names avoid the `taken` names.  -1 with err (out of memory).
 */
int lk_fit_auto(lk_fit *f, const lk_rowstore *rows, const char *const *cols, int ncols,
		const unsigned char *skip, const lk_placeholders *ph,
		const char *const *taken, int ntaken, lk_err *err);

/*
 * Fit: drop the candidates that match every row, none, the same rows
 * as an earlier one, or exactly the rows an earlier one does not (the
 * intercept makes the two one rule) (with a note each), run the folds and the
 * final fit, set every feature's coef and points and fill *fig.  -1
 * with err: LK_EDATA when the outcome is constant, LK_ENOMEM.
 */
int lk_fit_run(lk_fit *f, const lk_fit_opts *o, lk_fit_figures *fig, lk_err *err);

const lk_fit_feature *lk_fit_features(const lk_fit *f, int *n);
/* The thresholds of the final model, highest first (training figures). */
const lk_fit_level *lk_fit_levels(const lk_fit *f, int *n);
/* Notes for the user, one per line ("" when none). */
const char *lk_fit_notes(const lk_fit *f);

/*
 * The figures as comment text, one "# fit: ..." line each, for the
 * header of the written model and for stderr.  `what` describes the
 * run (outcome column, options).
 */
void lk_fit_summary(const lk_fit_figures *fig, const lk_fit_opts *o, const char *what,
		    lk_buf *out);

/*
 * Stage two as a table for the user: a title line, a header line, then
 * a line per threshold of the final model where the capture reaches the
 * next tenth (and the chosen one and the lowest), with each one's MQLs,
 * share, reject rate, capture and, with `value`, the value captured.
 */
void lk_fit_thresholds(const lk_fit *f, const lk_fit_figures *fig, int value, lk_buf *out);

/*
 * Write the model back with the fitted points into `out`: `text` (len
 * bytes) is the model file as read, `m` the model loaded from it and
 * `s` its scorer.  Each fitted rule's `points` value is replaced in
 * place (comments and layout kept); a rule fitted to zero keeps its line
 * with points 0; auto rules with non-zero points are appended to the fit
 * list as `- {rule: ..., when: '...', points: N}`; engagement rules get
 * new points (and a cap scaled to keep the same number of activities)
 * when they were fitted; the `mql` expression gets the threshold (its
 * `score >= N` comparison, else the whole expression becomes
 * `score >= N`, noted in `note`).  `header` (comment lines) replaces
 * any "# fit:" lines at the top.  -1 with err (LK_EMODEL: the model has
 * no fit list to add rules to).
 */
int lk_fit_rewrite(const lk_fit *f, const lk_fit_figures *fig, const char *text, size_t len,
		   lk_model *m, const lk_score *s, const char *header, lk_buf *out,
		   lk_buf *note, lk_err *err);

/*
 * lk_fit_rewrite of the model file at `path` (the file `m` was loaded
 * from), read whole.  -1 with err: LK_EIO ("PATH: cannot open: REASON"),
 * LK_ENOMEM, or lk_fit_rewrite's errors.
 */
int lk_fit_rewrite_file(const lk_fit *f, const lk_fit_figures *fig, const char *path,
			lk_model *m, const lk_score *s, const char *header, lk_buf *out,
			lk_buf *note, lk_err *err);

/*
 * The labelled leads of a fit, as lead-score --fit reads them from CSV:
 * made from the input's header row (lk_fit_data_new), filled from the
 * rest of the input (lk_fit_data_read), checked (lk_fit_data_check) and
 * turned into an lk_fit (lk_fit_data_build).  Messages for the user are
 * appended to a `warn` buffer, each ended by a NUL byte, since one may
 * quote a field, newlines and all; an lk_err says why a step failed.
 *
 * Ownership: an lk_fit_data owns a copy of the header and of every row
 * it keeps; it borrows the model, the scorer and the column names it
 * was given, which must outlive it.
 */
typedef struct lk_fit_data lk_fit_data;

/*
 * Start from the header row: copy it, bind the scorer `s` to it (no
 * --explain), and find the columns named on the command line: the
 * 0/1 `outcome` (--fit), the deal `value` (--value, or NULL) and the
 * comma-separated `exclude` (or NULL).  No candidate is made from
 * these, nor from the columns lead-score writes.  NULL with err: the
 * scorer's bind errors, LK_EUSAGE for a name that is no column ("--fit:
 * no column 'x' in the input (did you mean 'y'?)"), LK_ENOMEM.
 */
lk_fit_data *lk_fit_data_new(const lk_model *m, lk_score *s, const lk_row *header,
			     const char *outcome, const char *value, const char *exclude,
			     lk_err *err);
/* Release the copies and the rows kept; NULL is a no-op. */
void lk_fit_data_free(lk_fit_data *d);

/* The header as copied, with its width in *n. */
const char *const *lk_fit_data_header(const lk_fit_data *d, int *n);

/*
 * Read the rest of `rd` (named `name` in messages, "-" for stdin):
 * keep the rows with an outcome (lk_fit_outcome) and their values
 * (lk_fit_value; 0 when blank or not a number); count the malformed
 * rows, the rows without an outcome and the values that are not
 * numbers, each with a warning naming the first.  -1 with the reader's
 * error, or LK_ENOMEM.
 */
int lk_fit_data_read(lk_fit_data *d, lk_reader *rd, const char *name, lk_buf *warn,
		     lk_err *err);

/*
 * Can the rows kept be fitted?  -1 with LK_EDATA when no row has an
 * outcome or every one has the same; a warning when they are fewer
 * than 50.
 */
int lk_fit_data_check(const lk_fit_data *d, lk_buf *warn, lk_err *err);

/*
 * The fit over the rows kept: their outcomes and values, a candidate
 * for each rule of the scorer (engagement rules only with `acts`, whose
 * header must be bound to the data's), set from what lk_score_row's
 * ledger says of each row, and with `candidates`, the rules lk_fit_auto
 * makes from the data (the model's placeholders count as missing).
 * NULL with err (LK_ENOMEM).
 */
lk_fit *lk_fit_data_build(lk_fit_data *d, lk_activities *acts, lk_exprenv *env,
			  int candidates, lk_err *err);

/*
 * The run's figures for the user: lk_fit_summary's "# fit:" lines in
 * `head`, the first naming the options that repeat the run ("lead-score
 * --fit OUTCOME ..."), and lk_fit_thresholds' table in `table`.
 */
void lk_fit_data_summary(const lk_fit_data *d, const lk_fit *f, const lk_fit_figures *fig,
			 const lk_fit_opts *o, lk_buf *head, lk_buf *table);

/*
 * lead-score --fit as one call (fit_leads.c): an lk_fit_config holds
 * what the command line asked for; lk_fit_leads loads the model, reads
 * the leads, fits and rewrites the model as text, and lk_fit_save
 * writes that text out.  The user's messages come back in an lk_buf,
 * each ended by a NUL byte (as lk_fit_data's warnings), in the order
 * they are to be shown; the caller prints them, then the error if there
 * was one.
 *
 * Ownership: the config borrows its strings; lk_fit_leads keeps
 * nothing of it.
 */
typedef struct lk_fit_config {
	const char *outcome;	/* --fit OUTCOME: the 0/1 column; NULL: no fit */
	const char *value;	/* --value COL, or NULL */
	const char *exclude;	/* --exclude COL,..., or NULL */
	int candidates;		/* --candidates auto: rules from the data too */
	lk_fit_opts o;		/* --max-rules, --folds, --seed, --capture */
	const char *activities;	/* --activities FILE ("-": stdin), or NULL */
	const char *model;	/* the model file (lk_model_path), fitted and rewritten */
	const char *input;	/* the labelled leads, "-": stdin */
	char delim;		/* the input's delimiter */
	int64_t now;		/* --now: dates the activities, days_since() counts to it */
} lk_fit_config;

/* The defaults of lead-score --help: 20 rules, 5 folds, seed 1, a
 * capture of 0.8, 10 points to double the odds. */
#define LK_FIT_CONFIG_INIT { .o = { .max_rules = 20, .folds = 5, .seed = 1, .capture = 0.8, \
				    .scale = 10 } }

/*
 * Take the value of the fit's option `opt`, by its long name without
 * the dashes ("fit", "value", "exclude", "candidates", "max-rules",
 * "folds", "seed", "capture").  -1 with err (LK_EUSAGE) when the value
 * is not one it takes: "--capture: '2' is not a share above 0 and at
 * most 1", "--folds: 'x' is not a non-negative number" (as lead-score's
 * other numbers), "--candidates: 'x' is neither auto nor model"; or
 * when `opt` is none of those ("--x: no such option").
 */
int lk_fit_config_opt(lk_fit_config *c, const char *opt, const char *arg, lk_err *err);

/*
 * Do the options go together?  `scoring` says whether an option that
 * only scoring takes was given (--explain, --ledger, --baseline,
 * --lint, --keyed, --no-header-out).  The fit's options need --fit,
 * which needs none of those; --exclude needs --candidates auto; --folds
 * is 0 or 2 to 100.  -1 with err (LK_EUSAGE) naming the first that
 * does not.
 */
int lk_fit_config_check(const lk_fit_config *c, int scoring, lk_err *err);

/*
 * The fit of lead-score --fit: load c->model and its scorer
 * (lk_score_load), open c->input and read its header row,
 * find the columns named (lk_fit_data_new), load c->activities bound
 * to that header, read the labelled rows, check them, build the
 * candidates, fit, and rewrite the model file with the fitted points
 * and the figures as its "# fit:" header into `model`.  `msgs` gets,
 * in order: the data's warnings, the fit's notes ("--fit: ..."), the
 * figures (the header's lines less their "# "), the thresholds table
 * (one message of several lines) and the rewrite's notes ("--fit:
 * ...").  Returns 0; -1 with err when a step around the fit fails (a
 * file that cannot be opened or read, "NAME: empty input: no header
 * row", a column that is not there, the model's errors, LK_ENOMEM); or
 * -2 with err when the fit itself fails (lk_fit_data_check,
 * lk_fit_run: LK_EDATA when no row has an outcome or every row the
 * same, LK_ENOMEM).  On failure `msgs` holds what came before it.
 */
int lk_fit_leads(const lk_fit_config *c, lk_buf *model, lk_buf *msgs, lk_err *err);

/*
 * Write the tuned model's text to `path` (NULL or "-": stdout) as an
 * lk_outfile, whole or not at all.  -1 with err: lk_outfile's errors,
 * or LK_EIO "PATH: REASON" when a write fails (PATH "stdout" when
 * NULL), with the cause LK_EPIPE on a closed pipe.
 */
int lk_fit_save(const char *path, const lk_buf *model, lk_err *err);

#endif
