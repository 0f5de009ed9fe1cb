/*
 * fit.c - L1 logistic regression on rule indicators, the MQL threshold,
 * candidate rules from the data, and writing the model back.  See fit.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/expr.h"
#include "score/fit.h"
#include "core/hash.h"
#include "core/stats.h"

#define PATH_RATIO 0.7		/* lambda shrinks by this per path step */
#define PATH_HALVINGS 3		/* then narrows the step that passed max_rules */
#define PATH_STEPS 200
#define TOL 1e-8		/* coordinate moves below this (in objective units) are done */

/*
 * The rules made from one column: each row holds a code, 0 for none.
 * Values: code c means rule feat[c] alone.  Thresholds (nested): code c
 * means the rules of thresholds 1..c (the value reaches c of them).
 */
struct group {
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
	struct group *grp;
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

static void note(lk_fit *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(lk_fit *f, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	lk_buf_adds(&f->notes, line);
	lk_buf_addc(&f->notes, '\n');
}

lk_fit *lk_fit_new(long n, lk_err *err)
{
	lk_fit *f = calloc(1, sizeof *f);
	size_t un = n > 0 ? (size_t)n : 1;

	if (!f)
		goto oom;
	f->n = n;
	f->nw = (un + 63) / 64;
	f->y = calloc(un, 1);
	f->val = calloc(un, sizeof *f->val);
	f->train = calloc(un, 1);
	f->eta = calloc(un, sizeof *f->eta);
	f->w = calloc(un, sizeof *f->w);
	f->wr = calloc(un, sizeof *f->wr);
	f->score = calloc(un, sizeof *f->score);
	f->idx = calloc(un, sizeof *f->idx);
	f->tbits = calloc(f->nw, sizeof *f->tbits);
	if (!f->tbits || !f->y || !f->val || !f->train || !f->eta || !f->w || !f->wr || !f->score || !f->idx)
		goto oom;
	return f;
oom:
	lk_fit_free(f);
	lk_err_set(err, LK_ENOMEM, "out of memory");
	return NULL;
}

void lk_fit_free(lk_fit *f)
{
	int j;

	if (!f)
		return;
	for (j = 0; j < f->nft; j++) {
		free(f->ft[j].name);
		free(f->ft[j].when);
		free(f->ft[j].bits);
		free(f->ft[j].x);
	}
	free(f->ft);
	for (j = 0; j < f->ngrp; j++)
		free(f->grp[j].code);
	free(f->grp);
	free(f->gof);
	free(f->codes);
	free(f->gl);
	free(f->gsum);
	free(f->need);
	free(f->play);
	free(f->lev);
	lk_buf_free(&f->notes);
	free(f->y);
	free(f->val);
	free(f->train);
	free(f->tbits);
	free(f->eta);
	free(f->w);
	free(f->wr);
	free(f->score);
	free(f->beta);
	free(f->best);
	free(f->allow);
	free(f->G);
	free(f->H);
	free(f->W);
	free(f->in);
	free(f->fresh);
	free(f->delta);
	free(f->C);
	free(f->C0);
	free(f->oldin);
	free(f->oldpos);
	free(f->idx);
	free(f);
}

void lk_fit_label(lk_fit *f, long i, int y, double value)
{
	f->y[i] = y != 0;
	f->val[i] = value;
}

int lk_fit_add(lk_fit *f, const char *name, const char *when, lk_feat_kind kind, int rule,
	       lk_err *err)
{
	lk_fit_feature *t;

	if (f->nft == f->mft) {
		int m = f->mft ? 2 * f->mft : 32;
		lk_fit_feature *nf = realloc(f->ft, (size_t)m * sizeof *nf);
		int *ng;
		if (!nf)
			return lk_err_set(err, LK_ENOMEM, "out of memory");
		f->ft = nf;
		ng = realloc(f->gof, (size_t)m * sizeof *ng);
		if (!ng)
			return lk_err_set(err, LK_ENOMEM, "out of memory");
		f->gof = ng;
		f->mft = m;
	}
	t = &f->ft[f->nft];
	memset(t, 0, sizeof *t);
	f->gof[f->nft] = -1;
	t->kind = kind;
	t->rule = rule;
	t->name = strdup(name);
	t->when = when ? strdup(when) : NULL;
	if (kind == LK_FEAT_ENGAGEMENT)
		t->x = calloc(f->n > 0 ? (size_t)f->n : 1, sizeof *t->x);
	else
		t->bits = calloc(f->nw, sizeof *t->bits);
	if (!t->name || (when && !t->when) || (!t->x && !t->bits)) {
		free(t->name);
		free(t->when);
		free(t->x);
		free(t->bits);
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	return f->nft++;
}

void lk_fit_set(lk_fit *f, int j, long i, double x)
{
	lk_fit_feature *t = &f->ft[j];

	if (t->x)
		t->x[i] = x;
	else if (x != 0)
		t->bits[i >> 6] |= (uint64_t)1 << (i & 63);
}

void lk_fit_sign(lk_fit *f, int j, int sign)
{
	f->ft[j].sign = sign;
}

/* Would feature j move away from zero at this gradient? */
static int wants_in(const lk_fit_feature *t, double G, double lambda)
{
	return t->sign > 0 ? G > lambda : t->sign < 0 ? G < -lambda : fabs(G) > lambda;
}

const lk_fit_feature *lk_fit_features(const lk_fit *f, int *n)
{
	*n = f->nft;
	return f->ft;
}

const lk_fit_level *lk_fit_levels(const lk_fit *f, int *n)
{
	*n = f->nlev;
	return f->lev;
}

const char *lk_fit_notes(const lk_fit *f)
{
	return f->notes.data ? f->notes.data : "";
}

int lk_fit_outcome(const lk_model *m, const char *s, size_t len)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "won", "converted" };
	static const char *const no[] = { "0", "no", "n", "false", "lost" };
	size_t b = 0, i;
	int st;

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (b < len && (s[b] == ' ' || s[b] == '\t'))
		b++;
	if (b == len)
		return -1;
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strlen(yes[i]) == len - b && !strncasecmp(s + b, yes[i], len - b))
			return 1;
	for (i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strlen(no[i]) == len - b && !strncasecmp(s + b, no[i], len - b))
			return 0;
	st = m ? lk_model_stage(m, s + b, len - b) : -1;
	if (st < 0)
		return -1;
	if (!strcmp(m->stages[st].id, "won"))
		return 1;
	if (!strcmp(m->stages[st].id, "lost") || !strcmp(m->stages[st].id, "disqualified"))
		return 0;
	return -1;
}

int lk_fit_value(const char *s, size_t len, double *out)
{
	char tmp[64], *end;
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];
		if (c == ' ' || c == ',' || c == '$')
			continue;
		if (n + 1 >= sizeof tmp || !strchr("0123456789.-+eE", c))
			return -1;
		tmp[n++] = c;
	}
	tmp[n] = 0;
	if (!n)
		return -1;
	*out = strtod(tmp, &end);
	return *end || !isfinite(*out) ? -1 : 0;
}

/* ---- coordinate descent ---------------------------------------------- */

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

	if (t->x) {
		for (i = 0; i < f->n; i++) {
			double x = t->x[i];
			if (x != 0) {
				g += x * f->wr[i];
				w += x * f->w[i];
				h += x * x * f->w[i];
			}
		}
	} else {
		for (k = 0; k < f->nw; k++) {
			uint64_t m = t->bits[k] & f->tbits[k];
			while (m) {
				i = (long)(k * 64 + (size_t)__builtin_ctzll(m));
				g += f->wr[i];
				h += f->w[i];
				m &= m - 1;
			}
		}
		w = h;
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
	long i;

	for (k = 0; k < f->nw; k++) {
		uint64_t mp = bp[k] & f->tbits[k], mq = bq[k] & f->tbits[k];
		while (mp) {
			i = (long)(k * 64 + (size_t)__builtin_ctzll(mp));
			gp += f->wr[i];
			hp += f->w[i];
			mp &= mp - 1;
		}
		while (mq) {
			i = (long)(k * 64 + (size_t)__builtin_ctzll(mq));
			gq += f->wr[i];
			hq += f->w[i];
			mq &= mq - 1;
		}
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

/* A new group of rules from one column; its index, or -1 on ENOMEM. */
static int group_new(lk_fit *f, int nested)
{
	struct group *g;

	if (f->ngrp == f->mgrp) {
		int m = f->mgrp ? 2 * f->mgrp : 16;
		struct group *ng = realloc(f->grp, (size_t)m * sizeof *ng);
		if (!ng)
			return -1;
		f->grp = ng;
		f->mgrp = m;
	}
	g = &f->grp[f->ngrp];
	memset(g, 0, sizeof *g);
	g->nested = nested;
	g->code = calloc(f->n > 0 ? (size_t)f->n : 1, 1);
	if (!g->code)
		return -1;
	return f->ngrp++;
}

/* Make feature j the group's next code; that code, or 0 when full. */
static int group_add(lk_fit *f, int gi, int j)
{
	struct group *g = &f->grp[gi];

	if (g->k >= 32)
		return 0;
	g->feat[++g->k] = j;
	f->gof[j] = gi;
	return g->k;
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
		struct group *g = &f->grp[gi];
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
		struct group *g = &f->grp[f->gl[j]];
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
		const struct group *g = &f->grp[gp];
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
static double fit_model(lk_fit *f, const lk_fit_opts *o)
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

/* ---- scores, thresholds ------------------------------------------------ */

static long points_of(double b, double scale)
{
	return lround(b * scale / M_LN2);
}

/* Scores of every row from whole points. */
static void score_rows(lk_fit *f, const long *pts)
{
	long i;
	int j;

	for (i = 0; i < f->n; i++)
		f->score[i] = 0;
	for (j = 0; j < f->nft; j++) {
		size_t k;
		if (!pts[j])
			continue;
		if (f->ft[j].x) {
			for (i = 0; i < f->n; i++)
				f->score[i] += (double)pts[j] * f->ft[j].x[i];
			continue;
		}
		for (k = 0; k < f->nw; k++) {
			uint64_t m = f->ft[j].bits[k];
			while (m) {
				i = (long)(k * 64 + (size_t)__builtin_ctzll(m));
				f->score[i] += (double)pts[j];
				m &= m - 1;
			}
		}
	}
}

/* mql is score >= T for whole T: a row counts from ceil(score). */
static long level_of(double s)
{
	return (long)ceil(s - 1e-9);
}

static const lk_fit *sort_fit;
static int by_score_desc(const void *a, const void *b)
{
	long x = level_of(sort_fit->score[*(const long *)a]);
	long y = level_of(sort_fit->score[*(const long *)b]);

	if (x != y)
		return x > y ? -1 : 1;
	return (*(const long *)a > *(const long *)b) - (*(const long *)a < *(const long *)b);
}

/* Levels over the rows with mask[i] == want (mask NULL: all), highest
 * threshold first; cumulative counts.  Returns the count, -1 on ENOMEM.
 * Scores span a few hundred points, so the rows are bucketed by level
 * (a counting sort) rather than sorted. */
static int levels(lk_fit *f, const unsigned char *mask, int want, lk_fit_level **out)
{
	long i, m = 0, lo = 0, hi = 0, span, t;
	long *first;
	int nl = 0;
	lk_fit_level *lv;

	for (i = 0; i < f->n; i++) {
		if (mask && mask[i] != want)
			continue;
		t = level_of(f->score[i]);
		if (!m || t < lo)
			lo = t;
		if (!m || t > hi)
			hi = t;
		m++;
	}
	span = hi - lo + 1;
	if (span > 4 * f->n + 1024) {
		/* Points out of the ordinary: sort instead. */
		for (i = m = 0; i < f->n; i++)
			if (!mask || mask[i] == want)
				f->idx[m++] = i;
		sort_fit = f;
		qsort(f->idx, (size_t)m, sizeof *f->idx, by_score_desc);
	} else {
		first = calloc((size_t)span + 1, sizeof *first);
		if (!first)
			return -1;
		for (i = 0; i < f->n; i++)
			if (!mask || mask[i] == want)
				first[hi - level_of(f->score[i]) + 1]++;
		for (t = 1; t <= span; t++)
			first[t] += first[t - 1];
		for (i = 0; i < f->n; i++)
			if (!mask || mask[i] == want)
				f->idx[first[hi - level_of(f->score[i])]++] = i;
		free(first);
	}
	lv = calloc((size_t)m + 1, sizeof *lv);
	if (!lv)
		return -1;
	for (i = 0; i < m; i++) {
		long r = f->idx[i];
		t = level_of(f->score[r]);
		if (!nl || lv[nl - 1].threshold != t) {
			lv[nl] = nl ? lv[nl - 1] : (lk_fit_level){ 0 };
			lv[nl++].threshold = t;
		}
		lv[nl - 1].mql++;
		if (f->y[r]) {
			lv[nl - 1].won++;
			lv[nl - 1].value += f->val[r];
		}
	}
	*out = lv;
	return nl;
}

/* Stage one: the lowest reject rate among the thresholds capturing at
 * least `capture` of the `pos` conversions; ties to the larger capture. */
static int choose(const lk_fit_level *lv, int nl, long pos, double capture)
{
	int k, best = nl - 1;
	double br = 2;

	for (k = 0; k < nl; k++) {
		double rej;
		if ((double)lv[k].won < capture * (double)pos - 1e-9)
			continue;
		rej = (double)(lv[k].mql - lv[k].won) / (double)lv[k].mql;
		if (rej < br - 1e-12) {
			br = rej;
			best = k;
		}
	}
	return best;
}

/* ---- the run --------------------------------------------------------- */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Fold of every row: each class shuffled by the seed, then dealt out
 * round the folds, so every fold gets its share of both outcomes. */
static void assign_folds(lk_fit *f, int k, uint64_t seed, int *fold)
{
	uint64_t s = seed;
	int cls;

	for (cls = 0; cls < 2; cls++) {
		long i, m = 0;
		for (i = 0; i < f->n; i++)
			if (f->y[i] == cls)
				f->idx[m++] = i;
		for (i = m - 1; i > 0; i--) {
			long r = (long)(splitmix(&s) % (uint64_t)(i + 1)), t = f->idx[i];
			f->idx[i] = f->idx[r];
			f->idx[r] = t;
		}
		for (i = 0; i < m; i++)
			fold[f->idx[i]] = (int)(i % k);
	}
}

static int same_rows(const lk_fit *f, const lk_fit_feature *a, const lk_fit_feature *b)
{
	if (a->bits && b->bits)
		return !memcmp(a->bits, b->bits, f->nw * sizeof *a->bits);
	if (a->x && b->x)
		return !memcmp(a->x, b->x, (size_t)f->n * sizeof *a->x);
	return 0;
}

/* Drop what cannot be fitted: all rows, no row, or an earlier twin. */
static int prune(lk_fit *f, lk_err *err)
{
	lk_hash *seen = lk_hash_new((size_t)f->nft * 2 + 8);
	uint64_t *comp = calloc(f->nw, sizeof *comp);
	int j;

	if (!seen || !comp) {
		lk_hash_free(seen);
		free(comp);
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	for (j = 0; j < f->nft; j++) {
		lk_fit_feature *t = &f->ft[j];
		uint64_t h;
		void **slot;
		int created;
		long c = 0, i;
		size_t k;

		if (t->x) {
			for (i = 0; i < f->n; i++)
				c += t->x[i] != 0;
			h = lk_fnv1a(t->x, (size_t)f->n * sizeof *t->x);
		} else {
			for (k = 0; k < f->nw; k++)
				c += __builtin_popcountll(t->bits[k]);
			h = lk_fnv1a(t->bits, f->nw * sizeof *t->bits);
		}
		t->count = c;
		if (c == 0) {
			t->drop = LK_DROP_NONE_MATCH;
			note(f, "candidate rule '%s' matches no row: not fitted", t->name);
			continue;
		}
		if (c == f->n && !t->x) {
			t->drop = LK_DROP_ALL;
			note(f, "candidate rule '%s' matches every row: not fitted (points 0)", t->name);
			continue;
		}
		/* Same rows as an earlier rule: the hash finds the twin. */
		h ^= t->x ? 1 : 0;
		slot = lk_hash_slot(seen, (const char *)&h, sizeof h, 1, &created);
		if (!slot) {
			lk_hash_free(seen);
			free(comp);
			return lk_err_set(err, LK_ENOMEM, "out of memory");
		}
		if (!created && same_rows(f, &f->ft[(intptr_t)*slot - 1], t)) {
			t->drop = LK_DROP_SAME;
			t->same = (int)((intptr_t)*slot - 1);
			note(f, "candidate rule '%s' matches the same rows as '%s': not fitted",
			     t->name, f->ft[t->same].name);
			continue;
		}
		if (created)
			*slot = (void *)(intptr_t)(j + 1);
		/* Exactly the rows an earlier rule misses: with the intercept,
		 * the two are one rule, and L1 would split the points. */
		if (t->bits) {
			uint64_t hc;
			void *other;
			for (k = 0; k < f->nw; k++)
				comp[k] = ~t->bits[k];
			if (f->n % 64)
				comp[f->nw - 1] &= ((uint64_t)1 << (f->n % 64)) - 1;
			hc = lk_fnv1a(comp, f->nw * sizeof *comp);
			other = lk_hash_get(seen, (const char *)&hc, sizeof hc);
			if (other && f->ft[(intptr_t)other - 1].bits &&
			    !memcmp(f->ft[(intptr_t)other - 1].bits, comp, f->nw * sizeof *comp)) {
				t->drop = LK_DROP_COMPLEMENT;
				t->same = (int)((intptr_t)other - 1);
				note(f, "candidate rule '%s' matches exactly the rows '%s' does not: "
				     "not fitted", t->name, f->ft[t->same].name);
			}
		}
	}
	lk_hash_free(seen);
	free(comp);
	return 0;
}

int lk_fit_run(lk_fit *f, const lk_fit_opts *o, lk_fit_figures *fig, lk_err *err)
{
	long i, pos = 0, *pts = NULL;
	int *fold = NULL, k, j, nl;
	double *hs = NULL, aucsum = 0;
	unsigned char *hy = NULL;
	lk_fit_level *lv = NULL;

	memset(fig, 0, sizeof *fig);
	for (i = 0; i < f->n; i++) {
		pos += f->y[i];
		if (f->y[i])
			fig->value += f->val[i];
	}
	fig->rows = f->n;
	fig->positives = pos;
	if (pos == 0 || pos == f->n)
		return lk_err_set(err, LK_EDATA, "the outcome is constant: all %ld labelled rows are %s",
				  f->n, pos ? "converted" : "not converted");
	if (prune(f, err) < 0)
		return -1;
	free(f->beta);
	free(f->best);
	free(f->allow);
	free(f->G);
	free(f->H);
	free(f->W);
	free(f->in);
	free(f->delta);
	free(f->C);
	free(f->C0);
	free(f->oldin);
	free(f->oldpos);
	f->beta = calloc((size_t)f->nft + 1, sizeof *f->beta);
	f->best = calloc((size_t)f->nft + 1, sizeof *f->best);
	f->allow = calloc((size_t)f->nft + 1, 1);
	f->G = calloc((size_t)f->nft + 1, sizeof *f->G);
	f->H = calloc((size_t)f->nft + 1, sizeof *f->H);
	f->W = calloc((size_t)f->nft + 1, sizeof *f->W);
	f->in = calloc((size_t)f->nft + 1, sizeof *f->in);
	free(f->fresh);
	f->fresh = calloc((size_t)f->nft + 1, 1);
	free(f->need);
	f->need = calloc((size_t)f->nft + 1, 1);
	free(f->play);
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
	free(f->codes);
	free(f->gl);
	free(f->gsum);
	f->codes = malloc((size_t)f->n * (size_t)f->ngrp + 1);
	f->gl = calloc((size_t)f->ngrp + 1, sizeof *f->gl);
	f->gsum = calloc(((size_t)f->ngrp + 1) * 68, sizeof *f->gsum);
	if (!f->codes || !f->gl || !f->gsum)
		goto oom;
	for (k = 0; k < f->ngrp; k++)
		for (i = 0; i < f->n; i++)
			f->codes[(size_t)i * (size_t)f->ngrp + (size_t)k] = f->grp[k].code[i];
	pts = calloc((size_t)f->nft + 1, sizeof *pts);
	fold = calloc((size_t)f->n, sizeof *fold);
	hs = calloc((size_t)f->n, sizeof *hs);
	hy = calloc((size_t)f->n, 1);
	if (!f->beta || !f->best || !f->allow || !f->G || !f->H || !f->W || !f->in || !f->fresh || !f->need || !f->play || !f->delta ||
	    !f->C || !f->C0 || !f->oldin || !f->oldpos || !pts || !fold || !hs || !hy)
		goto oom;

	/* Held-out figures: each fold scored by a model that never saw it. */
	if (o->folds >= 2) {
		long npos_fold = pos / o->folds, nneg_fold = (f->n - pos) / o->folds;
		if (npos_fold < 1 || nneg_fold < 1)
			note(f, "too few rows of one outcome for %d folds: no held-out figures",
			     o->folds);
		else
			fig->folds = o->folds;
	}
	if (fig->folds)
		assign_folds(f, fig->folds, o->seed, fold);
	fig->auc_min = 1;
	for (k = 0; k < fig->folds; k++) {
		long m = 0, hpos = 0;
		double auc;
		int t;

		for (i = 0; i < f->n; i++)
			f->train[i] = fold[i] != k;
		fit_model(f, o);
		for (j = 0; j < f->nft; j++)
			pts[j] = points_of(f->beta[j], o->scale);
		score_rows(f, pts);
		for (i = 0; i < f->n; i++)
			if (!f->train[i]) {
				hs[m] = f->score[i];
				hy[m++] = f->y[i];
				hpos += f->y[i];
			}
		if (lk_auc(hs, hy, (size_t)m, &auc, err) < 0)
			goto fail;
		aucsum += auc;
		if (auc < fig->auc_min)
			fig->auc_min = auc;
		if (auc > fig->auc_max)
			fig->auc_max = auc;
		/* The threshold is chosen on the training rows only. */
		nl = levels(f, f->train, 1, &lv);
		if (nl < 0)
			goto oom;
		t = choose(lv, nl, pos - hpos, o->capture);
		for (i = 0; i < f->n; i++)
			if (!f->train[i] && level_of(f->score[i]) >= lv[t].threshold) {
				fig->ho_mql++;
				if (f->y[i]) {
					fig->ho_won++;
					fig->ho_value += f->val[i];
				}
			}
		free(lv);
		lv = NULL;
	}
	if (fig->folds)
		fig->auc = aucsum / fig->folds;


	/* The model written: fitted on every row. */
	for (i = 0; i < f->n; i++)
		f->train[i] = 1;
	fig->lambda = fit_model(f, o);
	for (j = 0; j < f->nft; j++) {
		f->ft[j].coef = f->beta[j];
		f->ft[j].points = pts[j] = points_of(f->beta[j], o->scale);
		fig->nrules += pts[j] != 0;
		fig->candidates += f->ft[j].drop == LK_DROP_NONE;
	}
	score_rows(f, pts);
	if (lk_auc(f->score, f->y, (size_t)f->n, &fig->train_auc, err) < 0)
		goto fail;
	free(f->lev);
	f->lev = NULL;
	nl = levels(f, NULL, 0, &f->lev);
	if (nl < 0)
		goto oom;
	f->nlev = nl;
	k = choose(f->lev, nl, pos, o->capture);
	fig->threshold = f->lev[k].threshold;
	fig->mql = f->lev[k].mql;
	fig->won = f->lev[k].won;
	fig->captured = f->lev[k].value;
	free(pts);
	free(fold);
	free(hs);
	free(hy);
	return 0;
oom:
	lk_err_set(err, LK_ENOMEM, "out of memory");
fail:
	free(lv);
	free(pts);
	free(fold);
	free(hs);
	free(hy);
	return -1;
}

void lk_fit_summary(const lk_fit_figures *fig, const lk_fit_opts *o, const char *what,
		    lk_buf *out)
{
	double base = fig->rows ? (double)fig->positives / (double)fig->rows : 0;

	lk_buf_addf(out, "# fit: %s\n", what);
	lk_buf_addf(out, "# fit: %ld labelled rows, %ld converted (%.1f%%); %d of %d candidate rule%s "
		    "with points (at most %d); %g points double the odds\n", fig->rows, fig->positives,
		    100 * base, fig->nrules, fig->candidates, fig->candidates == 1 ? "" : "s",
		    o->max_rules, o->scale);
	if (fig->folds) {
		double rej = fig->ho_mql ? (double)(fig->ho_mql - fig->ho_won) / (double)fig->ho_mql : 0;
		lk_buf_addf(out, "# fit: held-out (%d-fold, seed %llu): ROC AUC %.3f (folds %.3f-%.3f), "
			    "reject rate %.1f%%, capture %.1f%%, MQL share %.1f%% at each fold's "
			    "threshold\n", fig->folds, (unsigned long long)o->seed, fig->auc,
			    fig->auc_min, fig->auc_max, 100 * rej,
			    100 * (double)fig->ho_won / (double)fig->positives,
			    100 * (double)fig->ho_mql / (double)fig->rows);
	} else {
		lk_buf_adds(out, "# fit: held-out: not measured (no cross-validation)\n");
	}
	lk_buf_addf(out, "# fit: threshold: mql at score >= %ld, for a capture of at least %.0f%% "
		    "with the lowest reject rate\n", fig->threshold, 100 * o->capture);
	lk_buf_addf(out, "# fit: training (all rows, not held-out): ROC AUC %.3f, reject rate "
		    "%.1f%%, capture %.1f%%, MQL share %.1f%%", fig->train_auc,
		    fig->mql ? 100 * (double)(fig->mql - fig->won) / (double)fig->mql : 0,
		    100 * (double)fig->won / (double)fig->positives,
		    100 * (double)fig->mql / (double)fig->rows);
	if (fig->value > 0)
		lk_buf_addf(out, ", value captured %.0f of %.0f", fig->captured, fig->value);
	lk_buf_addc(out, '\n');
}

/* ---- candidates from the data ----------------------------------------- */

/* A loose number test, for telling numeric columns from categorical
 * ones; the rules themselves use the expression's number(). */
static int looks_number(const char *s, size_t len)
{
	char tmp[64], *end;
	size_t b = 0;

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (b < len && (s[b] == ' ' || s[b] == '\t'))
		b++;
	if (b == len || len - b >= sizeof tmp)
		return 0;
	if (!strchr("0123456789+-.", s[b]) || memchr(s + b, 'x', len - b) ||
	    memchr(s + b, 'X', len - b) || memchr(s + b, 'n', len - b) || memchr(s + b, 'N', len - b))
		return 0;
	memcpy(tmp, s + b, len - b);
	tmp[len - b] = 0;
	strtod(tmp, &end);
	return *end == 0 && end != tmp;
}

/* Lower-case letters and digits, other runs as one '-'. */
static void slug(lk_buf *b, const char *s, size_t max)
{
	size_t start = b->len;
	int dash = 0;

	for (; *s && b->len - start < max; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.') {
			if (dash && b->len > start)
				lk_buf_addc(b, '-');
			lk_buf_addc(b, c);
			dash = 0;
		} else if (c >= 'A' && c <= 'Z') {
			if (dash && b->len > start)
				lk_buf_addc(b, '-');
			lk_buf_addc(b, c - 'A' + 'a');
			dash = 0;
		} else {
			dash = 1;
		}
	}
	if (b->len == start)
		lk_buf_addc(b, 'x');
}

/* A column as the expression language names it. */
static void colname(lk_buf *b, const char *c)
{
	static const char *const kw[] = { "and", "or", "not", "in", "true", "false" };
	const char *p = c;
	size_t i;
	int bare = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_';

	for (p++; bare && *p; p++)
		bare = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		       (*p >= '0' && *p <= '9');
	for (i = 0; bare && i < sizeof kw / sizeof kw[0]; i++)
		bare = strcmp(c, kw[i]) != 0;
	if (bare)
		lk_buf_adds(b, c);
	else
		lk_buf_addf(b, "${%s}", c);
}

static int name_taken(const lk_fit *f, const char *const *taken, int ntaken, const char *n)
{
	int i;

	for (i = 0; i < ntaken; i++)
		if (!strcmp(taken[i], n))
			return 1;
	for (i = 0; i < f->nft; i++)
		if (!strcmp(f->ft[i].name, n))
			return 1;
	return 0;
}

/* Add an auto candidate named base (made unique), compiling `when`
 * against the header to be sure it is a rule lead-score reads. */
static int add_auto(lk_fit *f, lk_buf *base, const char *when, const char *const *cols,
		    int ncols, const char *const *taken, int ntaken, lk_err *err)
{
	lk_buf name = LK_BUF_INIT;
	lk_expr *x;
	lk_err ee;
	int k, j;

	lk_err_clear(&ee);
	x = lk_expr_compile(when, cols, ncols, &ee);
	if (!x) {
		if (ee.kind == LK_ENOMEM)
			return lk_err_set(err, LK_ENOMEM, "out of memory");
		note(f, "candidate '%s' does not compile (%s): left out", when, ee.msg);
		return -2;
	}
	lk_expr_free(x);
	lk_buf_adds(&name, lk_buf_str(base));
	for (k = 2; name_taken(f, taken, ntaken, lk_buf_str(&name)); k++) {
		lk_buf_reset(&name);
		lk_buf_addf(&name, "%s-%d", lk_buf_str(base), k);
	}
	j = lk_fit_add(f, lk_buf_str(&name), when, LK_FEAT_AUTO, -1, err);
	lk_buf_free(&name);
	return j;
}

struct colstat {
	lk_hash *vals;		/* value -> index + 1 */
	long *count;		/* per value index */
	long mcount;
	long nonmiss, numeric;
	int over;		/* too many distinct values */
	uint32_t *id;		/* per row: value index + 1, 0 missing */
};

#define MAX_DISTINCT 5000
#define MAX_VALUES 20
#define MIN_SHARE 0.005

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static const long *sort_count;
static int by_count_desc(const void *a, const void *b)
{
	long x = sort_count[*(const int *)a], y = sort_count[*(const int *)b];

	if (x != y)
		return x > y ? -1 : 1;
	return *(const int *)a - *(const int *)b;
}

static int numeric_candidates(lk_fit *f, const lk_rowstore *rows, const char *const *cols,
			      int ncols, int c, lk_row *row, const char *const *taken, int ntaken,
			      lk_err *err)
{
	lk_buf src = LK_BUF_INIT, base = LK_BUF_INIT;
	double *v = malloc((size_t)f->n * sizeof *v), *s = malloc((size_t)f->n * sizeof *s);
	double last = NAN;
	lk_expr *x;
	lk_err ee;
	long i, m = 0;
	int q, rc = 0, gi, code;

	if (!v || !s)
		goto oom;
	lk_buf_adds(&src, "number(");
	colname(&src, cols[c]);
	lk_buf_addc(&src, ')');
	lk_err_clear(&ee);
	x = lk_expr_compile(lk_buf_str(&src), cols, ncols, &ee);
	if (!x)
		goto oom;
	for (i = 0; i < f->n; i++) {
		lk_rowstore_get(rows, i, row);
		row->n = lk_rowstore_width(rows, i);
		v[i] = lk_expr_num(x, row, NULL);
		if (!isnan(v[i]))
			s[m++] = v[i];
	}
	lk_expr_free(x);
	qsort(s, (size_t)m, sizeof *s, cmp_double);
	gi = group_new(f, 1);
	if (gi < 0)
		goto oom;
	for (q = 1; q < 10 && m; q++) {
		double t = s[(size_t)((double)m * q / 10.0)];
		char num[32];
		int j;
		if (t == last)
			continue;
		last = t;
		snprintf(num, sizeof num, "%.15g", t);
		lk_buf_reset(&src);
		lk_buf_adds(&src, "number(");
		colname(&src, cols[c]);
		lk_buf_addf(&src, ") >= %s", num);
		lk_buf_reset(&base);
		slug(&base, cols[c], 32);
		lk_buf_adds(&base, ".ge-");
		slug(&base, num[0] == '-' ? num + 1 : num, 12);
		if (num[0] == '-')
			lk_buf_adds(&base, "-neg");
		j = add_auto(f, &base, lk_buf_str(&src), cols, ncols, taken, ntaken, err);
		if (j == -1)
			goto fail;
		if (j < 0)
			continue;
		code = group_add(f, gi, j);
		for (i = 0; i < f->n; i++)
			if (v[i] >= t) {
				lk_fit_set(f, j, i, 1);
				if (code)
					f->grp[gi].code[i] = (unsigned char)code;
			}
	}
	goto done;
oom:
	lk_err_set(err, LK_ENOMEM, "out of memory");
fail:
	rc = -1;
done:
	free(v);
	free(s);
	lk_buf_free(&src);
	lk_buf_free(&base);
	return rc;
}

static int value_candidates(lk_fit *f, struct colstat *cs, const char *const *cols, int ncols,
			    int c, const char *const *taken, int ntaken, lk_err *err)
{
	long nv = (long)lk_hash_count(cs->vals), i;
	int *order = malloc((size_t)(nv + 1) * sizeof *order), *feat = NULL, k, nchosen = 0, gi;
	int *code = calloc((size_t)(nv + 1), sizeof *code);
	long covered = 0;
	lk_buf src = LK_BUF_INIT, base = LK_BUF_INIT;
	long min = (long)ceil(MIN_SHARE * (double)f->n);

	if (min < 5)
		min = 5;
	feat = malloc((size_t)(nv + 1) * sizeof *feat);
	if (!order || !feat || !code) {
		free(order);
		free(feat);
		free(code);
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	for (k = 0; k < nv; k++) {
		order[k] = k;
		feat[k] = -1;
	}
	sort_count = cs->count;
	qsort(order, (size_t)nv, sizeof *order, by_count_desc);
	/* The values worth a rule: frequent, not numbers, printable. */
	for (k = 0; k < nv && nchosen < MAX_VALUES; k++) {
		const char *val, *p;
		size_t len;
		void *dummy;
		int ok = 1;

		if (cs->count[order[k]] < min)
			break;
		lk_hash_entry(cs->vals, (size_t)order[k], &val, &len, &dummy);
		if (looks_number(val, len))
			continue;	/* == would compare it as a number */
		for (p = val; p < val + len; p++)
			if ((unsigned char)*p < 0x20)
				ok = 0;
		if (!ok || strlen(val) != len)
			continue;
		order[nchosen++] = order[k];
		covered += cs->count[order[k]];
	}
	/* When they cover every row, one of them is the rest's complement
	 * (the intercept's twin): leave out the most frequent. */
	for (k = covered == f->n && nchosen > 1; k < nchosen; k++) {
		const char *val, *p;
		size_t len;
		void *dummy;
		int j;

		lk_hash_entry(cs->vals, (size_t)order[k], &val, &len, &dummy);
		lk_buf_reset(&src);
		colname(&src, cols[c]);
		lk_buf_adds(&src, " == \"");
		for (p = val; *p; p++) {
			if (*p == '"' || *p == '\\')
				lk_buf_addc(&src, '\\');
			lk_buf_addc(&src, *p);
		}
		lk_buf_addc(&src, '"');
		lk_buf_reset(&base);
		slug(&base, cols[c], 32);
		lk_buf_addc(&base, '.');
		slug(&base, val, 32);
		j = add_auto(f, &base, lk_buf_str(&src), cols, ncols, taken, ntaken, err);
		if (j == -1) {
			free(order);
			free(feat);
			free(code);
			lk_buf_free(&src);
			lk_buf_free(&base);
			return -1;
		}
		if (j >= 0)
			feat[order[k]] = j;
	}
	gi = group_new(f, 0);
	if (gi < 0) {
		free(order);
		free(feat);
		free(code);
		lk_buf_free(&src);
		lk_buf_free(&base);
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	for (k = 0; k < nv; k++)
		if (feat[k] >= 0)
			code[k] = group_add(f, gi, feat[k]);
	for (i = 0; i < f->n; i++)
		if (cs->id[i] && feat[cs->id[i] - 1] >= 0) {
			lk_fit_set(f, feat[cs->id[i] - 1], i, 1);
			f->grp[gi].code[i] = (unsigned char)code[cs->id[i] - 1];
		}
	free(code);
	free(order);
	free(feat);
	lk_buf_free(&src);
	lk_buf_free(&base);
	return 0;
}

int lk_fit_auto(lk_fit *f, const lk_rowstore *rows, const char *const *cols, int ncols,
		const unsigned char *skip, const lk_placeholders *ph,
		const char *const *taken, int ntaken, lk_err *err)
{
	struct colstat *cs = calloc((size_t)ncols + 1, sizeof *cs);
	lk_row row = { 0 };
	long i;
	int c, rc = -1;

	row.f = calloc((size_t)ncols + 1, sizeof *row.f);
	row.len = calloc((size_t)ncols + 1, sizeof *row.len);
	if (!cs || !row.f || !row.len)
		goto oom;
	for (c = 0; c < ncols; c++) {
		if (skip[c] || strchr(cols[c], '}') || !*cols[c])
			continue;
		cs[c].vals = lk_hash_new(64);
		cs[c].id = calloc(f->n > 0 ? (size_t)f->n : 1, sizeof *cs[c].id);
		if (!cs[c].vals || !cs[c].id)
			goto oom;
	}
	/* One pass: missing or not, number or not, and the value's index. */
	for (i = 0; i < f->n; i++) {
		int w = lk_rowstore_width(rows, i);
		lk_rowstore_get(rows, i, &row);
		for (c = 0; c < ncols && c < w; c++) {
			struct colstat *s = &cs[c];
			const char *v = row.f[c];
			size_t len = row.len[c];
			void **slot;
			int created;

			if (!s->vals || s->over || lk_blank(v, len, 0) || lk_is_placeholder(ph, v, len))
				continue;
			s->nonmiss++;
			s->numeric += looks_number(v, len);
			slot = lk_hash_slot(s->vals, v, len, 1, &created);
			if (!slot)
				goto oom;
			if (created) {
				long nv = (long)lk_hash_count(s->vals);
				if (nv > MAX_DISTINCT) {
					s->over = 1;
					continue;
				}
				if (nv > s->mcount) {
					long m = s->mcount ? 2 * s->mcount : 64;
					long *nc = realloc(s->count, (size_t)m * sizeof *nc);
					if (!nc)
						goto oom;
					s->count = nc;
					s->mcount = m;
				}
				s->count[nv - 1] = 0;
				*slot = (void *)(intptr_t)nv;
			}
			s->count[(intptr_t)*slot - 1]++;
			s->id[i] = (uint32_t)(intptr_t)*slot;
		}
	}
	for (c = 0; c < ncols; c++) {
		struct colstat *s = &cs[c];
		long nv;

		if (!s->vals || !s->nonmiss)
			continue;
		nv = (long)lk_hash_count(s->vals);
		if (s->numeric >= s->nonmiss - s->nonmiss / 20) {
			if (!s->over && (nv < s->nonmiss - s->nonmiss / 20 || s->nonmiss < 100)) {
				if (numeric_candidates(f, rows, cols, ncols, c, &row, taken, ntaken,
						       err) < 0)
					goto fail;
				continue;
			}
			note(f, "column '%s': numbers nearly all distinct (an identifier?): "
			     "no candidates", cols[c]);
			continue;
		}
		if (s->over) {
			note(f, "column '%s': more than %d distinct values: no candidates", cols[c],
			     MAX_DISTINCT);
			continue;
		}
		if (value_candidates(f, s, cols, ncols, c, taken, ntaken, err) < 0)
			goto fail;
	}
	rc = 0;
	goto done;
oom:
	lk_err_set(err, LK_ENOMEM, "out of memory");
fail:
	rc = -1;
done:
	for (c = 0; cs && c < ncols; c++) {
		lk_hash_free(cs[c].vals);
		free(cs[c].count);
		free(cs[c].id);
	}
	free(cs);
	free(row.f);
	free(row.len);
	return rc;
}

/* ---- writing the model back ------------------------------------------- */

/* libyaml marks count characters (a CRLF as two), after any BOM. */
static size_t byte_at(const char *text, size_t len, size_t chars)
{
	size_t b = 0, n = 0;

	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		b = 3;
	for (; b < len; b++) {
		if (((unsigned char)text[b] & 0xc0) == 0x80)
			continue;
		if (n++ == chars)
			return b;
	}
	return len;
}

typedef struct edit {
	size_t at, end;		/* bytes replaced: [at, end) */
	char *text;
} edit;

static int edit_cmp(const void *a, const void *b)
{
	const edit *x = a, *y = b;

	return (x->at > y->at) - (x->at < y->at);
}

struct edits {
	edit *e;
	int n, m;
};

static int add_edit(struct edits *es, size_t at, size_t end, const char *text)
{
	if (es->n == es->m) {
		int m = es->m ? 2 * es->m : 16;
		edit *ne = realloc(es->e, (size_t)m * sizeof *ne);
		if (!ne)
			return -1;
		es->e = ne;
		es->m = m;
	}
	es->e[es->n].at = at;
	es->e[es->n].end = end;
	es->e[es->n].text = strdup(text);
	if (!es->e[es->n].text)
		return -1;
	es->n++;
	return 0;
}

static int replace_node(struct edits *es, const char *text, size_t len, const yaml_node_t *n,
			const char *with)
{
	return add_edit(es, byte_at(text, len, n->start_mark.index),
			byte_at(text, len, n->end_mark.index), with);
}

/*
 * Where a list item's text really ends: libyaml ends a block mapping at
 * the next token, past blank lines and comments, so look for the last
 * scalar or flow collection inside it instead.
 */
static size_t item_end(lk_yml *y, const yaml_node_t *n, lk_err *ee)
{
	size_t end = n->end_mark.index, e;
	yaml_node_item_t *it;
	yaml_node_pair_t *pr;

	if (n->type == YAML_MAPPING_NODE && n->data.mapping.style == YAML_BLOCK_MAPPING_STYLE) {
		end = n->start_mark.index;
		for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
			const yaml_node_t *v = lk_yml_node(y, pr->value, ee);
			if (v && (e = item_end(y, v, ee)) > end)
				end = e;
		}
	} else if (n->type == YAML_SEQUENCE_NODE &&
		   n->data.sequence.style == YAML_BLOCK_SEQUENCE_STYLE) {
		end = n->start_mark.index;
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
			const yaml_node_t *v = lk_yml_node(y, *it, ee);
			if (v && (e = item_end(y, v, ee)) > end)
				end = e;
		}
	}
	return end;
}

/* YAML single quotes: ' doubled. */
static void squote(lk_buf *b, const char *s)
{
	lk_buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			lk_buf_addc(b, '\'');
		lk_buf_addc(b, *s);
	}
	lk_buf_addc(b, '\'');
}

static int ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '{';
}

/* The mql source with its `score >= N` set to the threshold; 0 when it
 * has no such comparison. */
static int set_threshold(const char *src, long t, lk_buf *out)
{
	const char *p;

	for (p = strstr(src, "score"); p; p = strstr(p + 1, "score")) {
		const char *q = p + 5, *num;
		if ((p > src && (ident_char(p[-1]) || p[-1] == '$')) || ident_char(*q))
			continue;
		while (*q == ' ' || *q == '\t')
			q++;
		if (q[0] != '>' || q[1] != '=')
			continue;
		q += 2;
		while (*q == ' ' || *q == '\t')
			q++;
		num = q;
		if (*q == '-')
			q++;
		while ((*q >= '0' && *q <= '9') || *q == '.')
			q++;
		if (q == num)
			continue;
		lk_buf_add(out, src, (size_t)(num - src));
		lk_buf_addf(out, "%ld", t);
		lk_buf_adds(out, q);
		return 1;
	}
	return 0;
}

int lk_fit_rewrite(const lk_fit *f, const lk_fit_figures *fig, const char *text, size_t len,
		   lk_model *m, const lk_score *s, const char *header, lk_buf *out,
		   lk_buf *nt, lk_err *err)
{
	lk_yml *y = &m->yml;
	struct edits es = { 0 };
	const lk_score_rule *rules;
	lk_buf b = LK_BUF_INIT, items = LK_BUF_INIT;
	yaml_node_t *fitlist;
	size_t hdr_end = 0, pos;
	int nr, j, nadd = 0, rc = -1;
	lk_err ee;

	lk_err_clear(&ee);
	rules = lk_score_rules(s, &nr);
	/* An earlier fit's header goes; the new one takes its place. */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		hdr_end = 3;
	pos = hdr_end;
	while (len - hdr_end >= 6 && !memcmp(text + hdr_end, "# fit:", 6)) {
		const char *nl = memchr(text + hdr_end, '\n', len - hdr_end);
		hdr_end = nl ? (size_t)(nl - text) + 1 : len;
	}
	if (add_edit(&es, pos, hdr_end, header) < 0)
		goto oom;

	for (j = 0; j < f->nft; j++) {
		const lk_fit_feature *t = &f->ft[j];
		const lk_score_rule *r;
		yaml_node_t *pn, *cn;

		if (t->kind == LK_FEAT_AUTO) {
			if (t->points == 0 || t->drop != LK_DROP_NONE)
				continue;
			lk_buf_addf(&items, "{rule: %s, when: ", t->name);
			squote(&items, t->when);
			lk_buf_addf(&items, ", points: %ld}", t->points);
			lk_buf_addc(&items, '\n');
			nadd++;
			continue;
		}
		if (t->drop == LK_DROP_NONE_MATCH || t->rule < 0 || t->rule >= nr)
			continue;
		r = &rules[t->rule];
		pn = lk_yml_get(y, r->node, "points", &ee);
		if (!pn)
			continue;
		lk_buf_reset(&b);
		lk_buf_addf(&b, "%ld", t->points);
		if (replace_node(&es, text, len, pn, lk_buf_str(&b)) < 0)
			goto oom;
		cn = t->kind == LK_FEAT_ENGAGEMENT ? lk_yml_get(y, r->node, "cap", &ee) : NULL;
		if (cn && r->points != 0 && r->cap >= 0) {
			/* The same number of activities: cap / points stays. */
			long cap = labs(lround((double)r->cap * (double)t->points * 10.0 /
					       (double)r->points));
			lk_buf_reset(&b);
			lk_score_fmt(&b, cap, 0, 1);
			if (replace_node(&es, text, len, cn, lk_buf_str(&b)) < 0)
				goto oom;
		}
	}

	fitlist = lk_yml_get(y, m->scoring, "fit", &ee);
	if (nadd && (!fitlist || fitlist->type != YAML_SEQUENCE_NODE)) {
		lk_yml_err(y, m->scoring, err, "the scoring section has no 'fit' list to add the "
			   "fitted rules to (write 'fit: []')");
		err->kind = LK_EMODEL;
		goto fail;
	}
	if (nadd) {
		yaml_node_item_t *first = fitlist->data.sequence.items.start;
		yaml_node_item_t *top = fitlist->data.sequence.items.top;
		const char *p;

		lk_buf_reset(&b);
		if (fitlist->data.sequence.style == YAML_FLOW_SEQUENCE_STYLE && first == top) {
			/* fit: [] becomes a block list, two columns in from `fit`. */
			yaml_node_pair_t *pr;
			int indent = 2;
			for (pr = m->scoring->data.mapping.pairs.start;
			     pr < m->scoring->data.mapping.pairs.top; pr++)
				if (lk_yml_node(y, pr->value, &ee) == fitlist) {
					yaml_node_t *kn = lk_yml_node(y, pr->key, &ee);
					if (kn)
						indent = (int)kn->start_mark.column + 2;
				}
			for (p = lk_buf_str(&items); *p; p = strchr(p, '\n') + 1) {
				lk_buf_addf(&b, "\n%*s- ", indent, "");
				lk_buf_add(&b, p, (size_t)(strchr(p, '\n') - p));
			}
			{
				size_t at = byte_at(text, len, fitlist->start_mark.index);
				while (at > 0 && text[at - 1] == ' ')
					at--;	/* no trailing space after `fit:` */
				if (add_edit(&es, at, byte_at(text, len, fitlist->end_mark.index),
					     lk_buf_str(&b)) < 0)
					goto oom;
			}
		} else if (fitlist->data.sequence.style == YAML_FLOW_SEQUENCE_STYLE) {
			/* [a, b] -> [a, b, new...] before the closing bracket. */
			size_t end = byte_at(text, len, fitlist->end_mark.index);
			while (end > 0 && text[end - 1] != ']')
				end--;
			for (p = lk_buf_str(&items); *p; p = strchr(p, '\n') + 1) {
				lk_buf_adds(&b, ", ");
				lk_buf_add(&b, p, (size_t)(strchr(p, '\n') - p));
			}
			if (add_edit(&es, end ? end - 1 : 0, end ? end - 1 : 0, lk_buf_str(&b)) < 0)
				goto oom;
		} else {
			/* A block list: new items after the last one, indented alike. */
			yaml_node_t *last = lk_yml_node(y, top[-1], &ee);
			size_t at, ls, d;
			int indent = 0;

			if (!last)
				goto oom;
			at = byte_at(text, len, item_end(y, last, &ee));
			if (!(at > 0 && text[at - 1] == '\n')) {
				const char *nl = memchr(text + at, '\n', len - at);
				at = nl ? (size_t)(nl - text) + 1 : len;
			}
			ls = byte_at(text, len, last->start_mark.index);
			while (ls > 0 && text[ls - 1] != '\n')
				ls--;
			for (d = ls; d < len && text[d] == ' '; d++)
				indent++;
			if (at == len && len && text[len - 1] != '\n')
				lk_buf_addc(&b, '\n');
			for (p = lk_buf_str(&items); *p; p = strchr(p, '\n') + 1) {
				lk_buf_addf(&b, "%*s- ", indent, "");
				lk_buf_add(&b, p, (size_t)(strchr(p, '\n') - p + 1));
			}
			if (add_edit(&es, at, at, lk_buf_str(&b)) < 0)
				goto oom;
		}
	}

	{
		const yaml_node_t *mn = lk_yml_get(y, m->scoring, "mql", &ee);
		const char *src = lk_score_mql_source(s);
		lk_buf e2 = LK_BUF_INIT;
		if (mn) {
			if (!set_threshold(src, fig->threshold, &e2)) {
				lk_buf_addf(&e2, "score >= %ld", fig->threshold);
				lk_buf_addf(nt, "mql '%s' has no 'score >= N': replaced by 'score >= %ld'\n",
					    src, fig->threshold);
			} else if (strstr(src, " and ") || strstr(src, " or ")) {
				lk_buf_addf(nt, "mql '%s' tests more than the score: the figures are "
					    "for score >= %ld alone\n", src, fig->threshold);
			}
			lk_buf_reset(&b);
			squote(&b, lk_buf_str(&e2));
			lk_buf_free(&e2);
			if (replace_node(&es, text, len, mn, lk_buf_str(&b)) < 0)
				goto oom;
		}
	}

	qsort(es.e, (size_t)es.n, sizeof *es.e, edit_cmp);
	pos = 0;
	for (j = 0; j < es.n; j++) {
		if (es.e[j].at < pos)
			continue;	/* overlapping edits cannot happen; be safe */
		lk_buf_add(out, text + pos, es.e[j].at - pos);
		lk_buf_adds(out, es.e[j].text);
		pos = es.e[j].end;
	}
	lk_buf_add(out, text + pos, len - pos);
	rc = 0;
	goto fail;
oom:
	lk_err_set(err, LK_ENOMEM, "out of memory");
fail:
	for (j = 0; j < es.n; j++)
		free(es.e[j].text);
	free(es.e);
	lk_buf_free(&b);
	lk_buf_free(&items);
	return rc;
}

/*
 * The fit rules' indicators, each rule's condition evaluated once per
 * distinct value of the columns it reads (rules reading the same columns
 * share one table of results).
 */
struct ruleset {
	const int *cols;
	int ncols, nk, *k;
	lk_hash *seen;		/* key -> results of the rules k, 1 + 0/1 each */
};

int lk_fit_rule_indicators(lk_fit *f, const lk_rowstore *rows, const lk_score_rule *rules, int nr,
			const int *featof, int width, lk_exprenv *env)
{
	struct ruleset *rs = calloc((size_t)nr + 1, sizeof *rs);
	lk_buf key = LK_BUF_INIT;
	lk_row got = { 0 };
	long n = lk_rowstore_count(rows), i;
	int nrs = 0, j, k, c, rc = -1;

	got.f = calloc((size_t)width + 1, sizeof *got.f);
	got.len = calloc((size_t)width + 1, sizeof *got.len);
	if (!rs || !got.f || !got.len)
		goto out;
	for (j = 0; j < nr; j++) {
		const int *cols;
		int nc;
		if (featof[j] < 0 || rules[j].kind != LK_RULE_FIT)
			continue;
		cols = lk_expr_columns(rules[j].expr, &nc);
		for (k = 0; k < nrs; k++)
			if (rs[k].ncols == nc && !memcmp(rs[k].cols, cols, (size_t)nc * sizeof *cols))
				break;
		if (k == nrs) {
			rs[k].cols = cols;
			rs[k].ncols = nc;
			rs[k].k = calloc((size_t)nr, sizeof *rs[k].k);
			rs[k].seen = lk_hash_new(1024);
			if (!rs[k].k || !rs[k].seen)
				goto out;
			nrs++;
		}
		rs[k].k[rs[k].nk++] = j;
	}
	for (i = 0; i < n; i++) {
		lk_rowstore_get(rows, i, &got);
		got.n = lk_rowstore_width(rows, i);
		for (k = 0; k < nrs; k++) {
			struct ruleset *r = &rs[k];
			const char *res;
			void **slot;
			int created = 0;
			lk_buf_reset(&key);
			for (c = 0; c < r->ncols; c++) {
				int col = r->cols[c];
				size_t len = col < got.n ? got.len[col] : 0;
				if (lk_buf_addc(&key, col < got.n ? '+' : '-') < 0 ||
				    lk_buf_add(&key, &len, sizeof len) < 0 ||
				    (len && lk_buf_add(&key, got.f[col], len) < 0))
					goto out;
			}
			slot = lk_hash_slot(r->seen, key.len ? key.data : "", key.len, 1, &created);
			if (!slot)
				goto out;
			if (created) {
				char *v = malloc((size_t)r->nk + 1);
				if (!v) {
					*slot = NULL;
					goto out;
				}
				for (j = 0; j < r->nk; j++)
					v[j] = (char)lk_expr_bool(rules[r->k[j]].expr, &got, env);
				*slot = v;
			}
			res = *slot;
			for (j = 0; j < r->nk; j++)
				if (res[j])
					lk_fit_set(f, featof[r->k[j]], i, 1);
		}
	}
	rc = 0;
out:
	for (k = 0; rs && k <= nrs && k < nr + 1; k++) {
		size_t e, ne;
		free(rs[k].k);
		if (!rs[k].seen)
			continue;
		ne = lk_hash_count(rs[k].seen);
		for (e = 0; e < ne; e++) {
			const char *kk;
			size_t kl;
			void *v;
			lk_hash_entry(rs[k].seen, e, &kk, &kl, &v);
			free(v);
		}
		lk_hash_free(rs[k].seen);
	}
	free(rs);
	free(got.f);
	free(got.len);
	lk_buf_free(&key);
	return rc;
}
