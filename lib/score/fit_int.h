/*
 * fit_int.h - what the files of the fit share inside liblead (not for
 * tools): the lk_fit object itself and the calls between its parts.
 *
 *   fit.c        the object and its candidates, the run: folds, the
 *                MQL threshold, the figures
 *   fit_solve.c  the L1 logistic regression: IRLS steps of coordinate
 *                descent down the lambda path, and their work arrays
 *   fit_cand.c   candidate rules made from the data (lk_fit_auto)
 *   fit_data.c   outcomes, values and the model's rules' indicators
 *   fit_write.c  the model file written back with the fitted points
 *   fit_leads.c  lead-score --fit as one call, from files to the model's
 *                text (through fit.h alone)
 *
 * Ownership is as fit.h says: an lk_fit owns every array it points to.
 * The work arrays of one fit (coefficients, gradients, cross products,
 * the groups' codes row by row) are sized by the candidates, so
 * lk_fit_run makes them anew with lk_fit_work_new once the candidates
 * are known; lk_fit_free releases them with the rest.
 */
#ifndef LK_FIT_INT_H
#define LK_FIT_INT_H

#include "score/fit.h"

/*
 * The rules made from one column: each row holds a code, 0 for none.
 * Values: code c means rule feat[c] alone.  Thresholds (nested): code c
 * means the rules of thresholds 1..c (the value reaches c of them).
 */
struct lk_fit_group {
	unsigned char *code;
	int k;			/* codes 1..k */
	int nested;
	int feat[33];		/* feat[1..k] */
};

struct lk_fit {
	long n;			/* rows */
	size_t nw;		/* 64-bit words per bitset */
	unsigned char *y;
	double *val;
	lk_fit_feature *ft;
	int nft, mft;
	lk_fit_level *lev;
	int nlev;
	lk_buf notes;

	/* Column groups of auto candidates: one pass over a group's codes
	 * gives the gradient of all its rules (see group_stats). */
	struct lk_fit_group *grp;
	int ngrp, mgrp;
	int *gof;		/* per feature: its group, or -1 */
	unsigned char *codes;	/* row-major: ngrp codes per row (lk_fit_run) */
	int *gl;		/* groups wanted in stats_for */
	double *gsum;		/* their sums: 34 of wr, then 34 of w, each */

	/* Work arrays for one fit. */
	unsigned char *train;	/* 1: the row is fitted */
	uint64_t *tbits;	/* the same as a bitset: other rows weigh 0 */
	double *eta, *w, *wr;	/* linear predictor, IRLS weight, weight * residual */
	double shift;		/* intercept moves not yet applied to eta and wr */
	double g0, h0;		/* sum wr (shift included), sum w */
	double *score;		/* points per row */
	double *beta, *best;	/* coefficients (current, last within max_rules) */
	unsigned char *allow;
	double *G, *H, *W;	/* per feature: gradient, curvature, sum x * w */
	int *in;		/* features in play in irls_step */
	unsigned char *fresh;	/* G, H, W are from this IRLS step */
	unsigned char *need;	/* stats wanted (group_stats) */
	unsigned char *play;	/* in play in irls_step */
	double *delta, *C;	/* their moves, their cross products */
	double *C0;		/* C of the last round within an IRLS step */
	int *oldin, *oldpos;	/* that round's features in play; per feature, -1 or its index */
	long *idx;		/* scratch row order */
};

/* Add one line, printf-style, to the notes for the user (lk_fit_notes). */
void lk_fit_note(lk_fit *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* (Re)make the work arrays of a fit for the candidates and column
 * groups there are now; -1 when memory runs out. */
int lk_fit_work_new(lk_fit *f);
/* Release the work arrays (lk_fit_free does, too). */
void lk_fit_work_free(lk_fit *f);

/*
 * Fit on the rows marked in f->train: the lambda path down to max_rules
 * non-zero rules, then the relaxed refit of those.  Leaves the
 * coefficients in f->beta; returns the lambda chosen.
 */
double lk_fit_solve(lk_fit *f, const lk_fit_opts *o);

#endif
