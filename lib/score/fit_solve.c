/*
 * fit_solve.c - the L1-regularised logistic regression of fit.h: IRLS
 * steps of cyclic coordinate descent with glmnet's covariance updates,
 * down the lambda path, then the relaxed refit.  Reads the candidates'
 * bits and values; writes only the work arrays of one fit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "score/fit_int.h"

#define PATH_RATIO 0.7		/* lambda shrinks by this per path step */
#define PATH_HALVINGS 3		/* then narrows the step that passed max_rules */
#define PATH_STEPS 200
#define TOL 1e-8		/* coordinate moves below this (in objective units) are done */

/* Would feature j move away from zero at this gradient? */
static int wants_in(const lk_fit_feature *t, double G, double lambda)
{
	return t->sign > 0 ? G > lambda : t->sign < 0 ? G < -lambda : fabs(G) > lambda;
}

/* ---- coordinate descent ---------------------------------------------- */

/*
 * Add wr and w over the rows whose bits are set in m, word k of a
 * bitset, to *g and *h, in row order.
 */
static inline void word_sums(const lk_fit *f, size_t k, uint64_t m, double *g, double *h)
{
	double sg = *g, sh = *h;

	while (m) {
		long i = (long)(k * 64 + (size_t)__builtin_ctzll(m));
		sg += f->wr[i];
		sh += f->w[i];
		m &= m - 1;
	}
	*g = sg;
	*h = sh;
}

/*
 * G = sum x * wr, H = sum x^2 * w, W = sum x * w over the feature's rows.
 * wr is kept lazily: the intercept's moves since the last reweight
 * (f->shift) are subtracted here rather than from every row.
 */
static void coord_stats(const lk_fit *f, const lk_fit_feature *t, double *G, double *H,
			double *W)
{
	double g = 0, h = 0, w = 0;
	long i;
	size_t k;

	if (t->bits) {
		for (k = 0; k < f->nw; k++)
			word_sums(f, k, t->bits[k] & f->tbits[k], &g, &h);
		w = h;
	} else {
		for (i = 0; i < f->n; i++) {
			double x = t->x[i];
			if (x != 0) {
				g += x * f->wr[i];
				w += x * f->w[i];
				h += x * x * f->w[i];
			}
		}
	}
	*G = g - f->shift * w;
	*H = h;
	*W = w;
}

/* coord_stats of two 0/1 rules p and q, in one pass over the words. */
static void pair_stats(lk_fit *f, int p, int q)
{
	const uint64_t *bp = f->ft[p].bits, *bq = f->ft[q].bits;
	double gp = 0, hp = 0, gq = 0, hq = 0;
	size_t k;

	for (k = 0; k < f->nw; k++) {
		word_sums(f, k, bp[k] & f->tbits[k], &gp, &hp);
		word_sums(f, k, bq[k] & f->tbits[k], &gq, &hq);
	}
	f->G[p] = gp - f->shift * hp;
	f->H[p] = f->W[p] = hp;
	f->G[q] = gq - f->shift * hq;
	f->H[q] = f->W[q] = hq;
}

/* Move the feature's coefficient by d: residuals and predictors follow. */
static void coord_move(lk_fit *f, const lk_fit_feature *t, double d)
{
	long i;
	size_t k;

	if (t->x) {
		for (i = 0; i < f->n; i++) {
			double x = t->x[i];
			if (x != 0) {
				f->wr[i] -= d * x * f->w[i];
				f->eta[i] += d * x;
			}
		}
	} else {
		for (k = 0; k < f->nw; k++) {
			uint64_t m = t->bits[k];
			while (m) {
				i = (long)(k * 64 + (size_t)__builtin_ctzll(m));
				f->wr[i] -= d * f->w[i];
				f->eta[i] += d;
				m &= m - 1;
			}
		}
	}
}

/* IRLS weights at the current predictors, over the training rows. */
static void reweight(lk_fit *f, double S)
{
	long i;

	f->g0 = f->h0 = 0;
	for (i = 0; i < f->n; i++) {
		f->eta[i] += f->shift;
		double p, v;
		if (!f->train[i]) {
			f->w[i] = f->wr[i] = 0;
			continue;
		}
		p = 1.0 / (1.0 + exp(-f->eta[i]));
		v = p * (1 - p);
		if (v < 1e-5)
			v = 1e-5;
		f->w[i] = v / S;
		f->wr[i] = ((double)f->y[i] - p) / S;
		f->g0 += f->wr[i];
		f->h0 += f->w[i];
	}
	f->shift = 0;
}

static double soft(double g, double l)
{
	return g > l ? g - l : g < -l ? g + l : 0;
}

/*
 * G, H and W of every feature marked in f->need, now.  A group whose
 * wanted rules cover more than a quarter of the rows goes in one
 * sequential pass over its codes; other features over their own rows.
 */
static void stats_for(lk_fit *f)
{
	int gi, c, j, ng = 0;
	long i;

	/* The groups wanted, then one pass over the rows for all of them:
	 * each row's residual and weight are read once. */
	for (gi = 0; gi < f->ngrp; gi++) {
		struct lk_fit_group *g = &f->grp[gi];
		long rows = 0;

		for (c = 1; c <= g->k; c++)
			if (f->need[g->feat[c]])
				rows += f->ft[g->feat[c]].count;
		if (rows * 4 >= f->n)
			f->gl[ng++] = gi;
	}
	if (ng) {
		memset(f->gsum, 0, (size_t)ng * 2 * 34 * sizeof *f->gsum);
		for (i = 0; i < f->n; i++) {
			double wr = f->wr[i], w = f->w[i];
			const unsigned char *code = f->codes + (size_t)i * (size_t)f->ngrp;
			double *sum = f->gsum;
			int k;
			if (w == 0)
				continue;	/* a held-out row */
			for (k = 0; k < ng; k++, sum += 68) {
				c = code[f->gl[k]];
				sum[c] += wr;
				sum[34 + c] += w;
			}
		}
	}
	for (j = 0; j < ng; j++) {
		struct lk_fit_group *g = &f->grp[f->gl[j]];
		double *sg = f->gsum + j * 68, *sw = sg + 34;

		if (g->nested)
			for (c = g->k - 1; c >= 1; c--) {
				sg[c] += sg[c + 1];
				sw[c] += sw[c + 1];
			}
		for (c = 1; c <= g->k; c++) {
			int fj = g->feat[c];
			if (!f->need[fj])
				continue;
			f->G[fj] = sg[c] - f->shift * sw[c];
			f->H[fj] = f->W[fj] = sw[c];
			f->need[fj] = 0;
			f->fresh[fj] = 1;
		}
	}
	/* The rest over their own rows; 0/1 rules two at a time, so the two
	 * sums (each in row order) overlap. */
	for (j = 0, c = -1; j < f->nft; j++) {
		if (!f->need[j])
			continue;
		f->need[j] = 0;
		f->fresh[j] = 1;
		if (f->ft[j].x) {
			coord_stats(f, &f->ft[j], &f->G[j], &f->H[j], &f->W[j]);
			continue;
		}
		if (c < 0) {
			c = j;
			continue;
		}
		pair_stats(f, c, j);
		c = -1;
	}
	if (c >= 0)
		coord_stats(f, &f->ft[c], &f->G[c], &f->H[c], &f->W[c]);
}

/* sum x_p * x_q * w over the rows, for the covariance updates. */
static double cross(const lk_fit *f, const lk_fit_feature *p, const lk_fit_feature *q)
{
	double c = 0;
	long i;
	size_t k;

	if (p->bits && q->bits) {
		for (k = 0; k < f->nw; k++) {
			uint64_t m = p->bits[k] & q->bits[k] & f->tbits[k];
			while (m) {
				c += f->w[k * 64 + (size_t)__builtin_ctzll(m)];
				m &= m - 1;
			}
		}
		return c;
	}
	for (i = 0; i < f->n; i++) {
		double xp = p->x ? p->x[i] : (double)(p->bits[i >> 6] >> (i & 63) & 1);
		double xq = q->x ? q->x[i] : (double)(q->bits[i >> 6] >> (i & 63) & 1);
		c += xp * xq * f->w[i];
	}
	return c;
}

/* Cross products of two rules; within a column group they need no
 * rows: values never share a row, and of two thresholds the higher one
 * matches a subset of the lower's rows. */
static double cross_in(const lk_fit *f, int p, int q)
{
	int gp = f->gof[p];

	if (gp >= 0 && gp == f->gof[q]) {
		const struct lk_fit_group *g = &f->grp[gp];
		int c, cp = 0, cq = 0;
		if (!g->nested)
			return 0;
		for (c = 1; c <= g->k; c++) {
			if (g->feat[c] == p)
				cp = c;
			if (g->feat[c] == q)
				cq = c;
		}
		return f->H[cp > cq ? p : q];
	}
	return cross(f, &f->ft[p], &f->ft[q]);
}

/*
 * One IRLS step at one lambda: coordinate descent on the quadratic,
 * glmnet's covariance updates.  The features in play (non-zero, or
 * whose gradient passes lambda) get their cross products once, so a
 * pass over them touches no row; the other features are checked
 * against lambda (one pass over their rows) once the ones in play
 * have settled, and join when they would move.  The largest first move,
 * as d^2 * H, tells whether the IRLS loop has converged.
 */
static double irls_step(lk_fit *f, double *b0, double lambda, double lprev, double S)
{
	int nf = f->nft, na, p, q, it, j, grew, nold = 0;
	double first = -1;

	reweight(f, S);
	/* The strong rule: a feature whose last gradient is below
	 * 2 lambda - lprev will almost surely stay at zero, so its rows wait
	 * for the check below. */
	for (j = 0; j < nf; j++) {
		f->fresh[j] = 0;
		f->need[j] = f->allow[j] && (f->beta[j] != 0 ||
					     wants_in(&f->ft[j], f->G[j], 2 * lambda - lprev));
	}
	stats_for(f);
	do {
		double d0sum = 0;
		for (j = na = 0; j < nf; j++) {
			f->play[j] = f->fresh[j] && (f->beta[j] != 0 ||
						     wants_in(&f->ft[j], f->G[j], lambda));
			if (f->play[j])
				f->in[na++] = j;
		}
		/* The weights stay put within the step: cross products of
		 * rules in play on the last round are kept (C0, by old index). */
		if (nold)
			memcpy(f->C0, f->C, (size_t)nold * (size_t)nold * sizeof *f->C0);
		for (p = 0; p < na; p++) {
			int op = f->oldpos[f->in[p]];
			f->delta[p] = 0;
			f->C[p * na + p] = f->H[f->in[p]];
			for (q = p + 1; q < na; q++) {
				int oq = f->oldpos[f->in[q]];
				f->C[p * na + q] = f->C[q * na + p] = op >= 0 && oq >= 0 ?
					f->C0[op * nold + oq] : cross_in(f, f->in[p], f->in[q]);
			}
		}
		for (j = 0; j < nold; j++)
			f->oldpos[f->oldin[j]] = -1;
		for (p = 0; p < na; p++) {
			f->oldin[p] = f->in[p];
			f->oldpos[f->in[p]] = p;
		}
		nold = na;
		for (it = 0; it < 10000; it++) {
			double most = 0, d;
			if (f->h0 > 0) {
				d = f->g0 / f->h0;
				*b0 += d;
				d0sum += d;
				f->g0 = 0;
				for (p = 0; p < na; p++)
					f->G[f->in[p]] -= d * f->W[f->in[p]];
				most = d * d * f->h0;
			}
			for (p = 0; p < na; p++) {
				int jp = f->in[p];
				double old = f->beta[jp], h = f->H[jp], nb;
				nb = soft(f->G[jp] + h * old, lambda) / (h + LK_FIT_L2);
				if (f->ft[jp].sign * nb < 0)
					nb = 0;
				d = nb - old;
				if (d == 0)
					continue;
				f->beta[jp] = nb;
				f->delta[p] += d;
				for (q = 0; q < na; q++)
					f->G[f->in[q]] -= d * f->C[p * na + q];
				f->g0 -= d * f->W[jp];
				if (d * d * (h + LK_FIT_L2) > most)
					most = d * d * (h + LK_FIT_L2);
			}
			if (first < 0)
				first = most;
			if (most < TOL)
				break;
		}
		/* The rows catch up: predictors and residuals of the moves. */
		f->shift += d0sum;
		for (p = 0; p < na; p++)
			if (f->delta[p] != 0)
				coord_move(f, &f->ft[f->in[p]], f->delta[p]);
		/* The check: may a rule out of play come in now? */
		grew = 0;
		for (j = 0; j < nf; j++)
			f->need[j] = f->allow[j] && !f->play[j];
		stats_for(f);
		for (j = 0; j < nf; j++)
			if (f->allow[j] && !f->play[j])
				grew |= wants_in(&f->ft[j], f->G[j], lambda);
	} while (grew);
	for (j = 0; j < nold; j++)
		f->oldpos[f->oldin[j]] = -1;
	return first;
}

/* Minimise at one lambda, warm-started, in at most `steps` IRLS steps
 * (the path only needs the rules a lambda picks; the refit converges). */
static void solve(lk_fit *f, double *b0, double lambda, double lprev, double S, int steps)
{
	int k;

	for (k = 0; k < steps; k++)
		if (irls_step(f, b0, lambda, k ? lambda : lprev, S) < TOL)
			break;
}

static void predict(lk_fit *f, double b0)
{
	long i;
	int j;

	f->shift = 0;
	for (i = 0; i < f->n; i++)
		f->eta[i] = b0;
	for (j = 0; j < f->nft; j++) {
		double b = f->beta[j];
		long dummy;
		size_t k;
		if (b == 0)
			continue;
		if (f->ft[j].x) {
			for (i = 0; i < f->n; i++)
				f->eta[i] += b * f->ft[j].x[i];
			continue;
		}
		for (k = 0; k < f->nw; k++) {
			uint64_t m = f->ft[j].bits[k];
			while (m) {
				dummy = (long)(k * 64 + (size_t)__builtin_ctzll(m));
				f->eta[dummy] += b;
				m &= m - 1;
			}
		}
	}
}

static int count_nonzero(const lk_fit *f)
{
	int j, n = 0;

	for (j = 0; j < f->nft; j++)
		n += f->beta[j] != 0;
	return n;
}

/*
 * Fit on the training rows: the lambda path down to max_rules non-zero
 * rules, then the relaxed refit of those.  Leaves f->beta; returns the
 * lambda chosen.
 */
double lk_fit_solve(lk_fit *f, const lk_fit_opts *o)
{
	double S = 0, pos = 0, b0, lmax = 0, lambda, chosen, bestb0;
	long i;
	int j, k, step;

	memset(f->tbits, 0, f->nw * sizeof *f->tbits);
	for (i = 0; i < f->n; i++)
		if (f->train[i]) {
			S++;
			pos += f->y[i];
			f->tbits[i >> 6] |= (uint64_t)1 << (i & 63);
		}
	b0 = log(pos / (S - pos));
	for (j = 0; j < f->nft; j++) {
		f->beta[j] = f->best[j] = 0;
		f->allow[j] = f->ft[j].drop == LK_DROP_NONE;
	}
	predict(f, b0);
	reweight(f, S);
	for (j = 0; j < f->nft; j++)
		f->need[j] = f->allow[j];
	stats_for(f);
	for (j = 0; j < f->nft; j++) {
		double G = f->G[j];
		if (f->allow[j] && wants_in(&f->ft[j], G, fabs(G) * 0.5) && fabs(G) > lmax)
			lmax = fabs(G);
	}
	chosen = lmax;
	bestb0 = b0;
	lambda = lmax;
	for (step = 0; step < PATH_STEPS && lmax > 0; step++) {
		solve(f, &b0, lambda * PATH_RATIO, lambda, S, 1);
		lambda *= PATH_RATIO;
		if (count_nonzero(f) > o->max_rules)
			break;
		memcpy(f->best, f->beta, (size_t)f->nft * sizeof *f->best);
		bestb0 = b0;
		chosen = lambda;
		if (lambda < lmax * 1e-4)
			break;
	}
	/* A step that let in too many rules: try lambdas in between (on a
	 * log scale), to end as close to max_rules as the path allows. */
	if (step < PATH_STEPS && lambda >= lmax * 1e-4 && lmax > 0) {
		double over = lambda, ok = chosen;
		for (k = 0; k < PATH_HALVINGS; k++) {
			double mid = sqrt(over * ok);
			solve(f, &b0, mid, over, S, 1);
			if (count_nonzero(f) > o->max_rules) {
				over = mid;
				continue;
			}
			memcpy(f->best, f->beta, (size_t)f->nft * sizeof *f->best);
			bestb0 = b0;
			chosen = ok = mid;
		}
	}
	/* The relaxed refit: the rules the path chose, without the L1 term. */
	memcpy(f->beta, f->best, (size_t)f->nft * sizeof *f->beta);
	for (j = 0; j < f->nft; j++)
		f->allow[j] = f->beta[j] != 0;
	b0 = bestb0;
	predict(f, b0);
	solve(f, &b0, 0, 0, S, 50);
	return chosen;
}

/* ---- work arrays ------------------------------------------------------- */

void lk_fit_work_free(lk_fit *f)
{
	free(f->beta);
	free(f->best);
	free(f->allow);
	free(f->G);
	free(f->H);
	free(f->W);
	free(f->in);
	free(f->fresh);
	free(f->need);
	free(f->play);
	free(f->delta);
	free(f->C);
	free(f->C0);
	free(f->oldin);
	free(f->oldpos);
	free(f->codes);
	free(f->gl);
	free(f->gsum);
}

int lk_fit_work_new(lk_fit *f)
{
	long i;
	int j, k;

	lk_fit_work_free(f);
	f->beta = calloc((size_t)f->nft + 1, sizeof *f->beta);
	f->best = calloc((size_t)f->nft + 1, sizeof *f->best);
	f->allow = calloc((size_t)f->nft + 1, 1);
	f->G = calloc((size_t)f->nft + 1, sizeof *f->G);
	f->H = calloc((size_t)f->nft + 1, sizeof *f->H);
	f->W = calloc((size_t)f->nft + 1, sizeof *f->W);
	f->in = calloc((size_t)f->nft + 1, sizeof *f->in);
	f->fresh = calloc((size_t)f->nft + 1, 1);
	f->need = calloc((size_t)f->nft + 1, 1);
	f->play = calloc((size_t)f->nft + 1, 1);
	f->delta = calloc((size_t)f->nft + 1, sizeof *f->delta);
	f->C = calloc(((size_t)f->nft + 1) * ((size_t)f->nft + 1), sizeof *f->C);
	f->C0 = calloc(((size_t)f->nft + 1) * ((size_t)f->nft + 1), sizeof *f->C0);
	f->oldin = calloc((size_t)f->nft + 1, sizeof *f->oldin);
	f->oldpos = malloc(((size_t)f->nft + 1) * sizeof *f->oldpos);
	if (f->oldpos)
		for (j = 0; j <= f->nft; j++)
			f->oldpos[j] = -1;
	/* The groups' codes, row by row, for stats_for's single pass. */
	f->codes = malloc((size_t)f->n * (size_t)f->ngrp + 1);
	f->gl = calloc((size_t)f->ngrp + 1, sizeof *f->gl);
	f->gsum = calloc(((size_t)f->ngrp + 1) * 68, sizeof *f->gsum);
	if (!f->beta || !f->best || !f->allow || !f->G || !f->H || !f->W || !f->in || !f->fresh ||
	    !f->need || !f->play || !f->delta || !f->C || !f->C0 || !f->oldin || !f->oldpos ||
	    !f->codes || !f->gl || !f->gsum)
		return -1;
	for (k = 0; k < f->ngrp; k++)
		for (i = 0; i < f->n; i++)
			f->codes[(size_t)i * (size_t)f->ngrp + (size_t)k] = f->grp[k].code[i];
	return 0;
}
