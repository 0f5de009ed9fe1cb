/*
 * fit.c - the fit object, its candidates and the run: folds, the MQL
 * threshold and the figures.  See fit.h; the solver is in fit_solve.c,
 * candidates from the data in fit_cand.c, the labelled leads in
 * fit_data.c and the model written back in fit_write.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score/fit_int.h"
#include "core/hash.h"
#include "core/stats.h"

void lk_fit_note(lk_fit *f, const char *fmt, ...)
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
	lk_fit_work_free(f);
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
			lk_fit_note(f, "candidate rule '%s' matches no row: not fitted", t->name);
			continue;
		}
		if (c == f->n && !t->x) {
			t->drop = LK_DROP_ALL;
			lk_fit_note(f, "candidate rule '%s' matches every row: not fitted (points 0)", t->name);
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
			lk_fit_note(f, "candidate rule '%s' matches the same rows as '%s': not fitted",
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
				lk_fit_note(f, "candidate rule '%s' matches exactly the rows '%s' does not: "
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
	if (lk_fit_work_new(f) < 0)
		goto oom;
	pts = calloc((size_t)f->nft + 1, sizeof *pts);
	fold = calloc((size_t)f->n, sizeof *fold);
	hs = calloc((size_t)f->n, sizeof *hs);
	hy = calloc((size_t)f->n, 1);
	if (!pts || !fold || !hs || !hy)
		goto oom;

	/* Held-out figures: each fold scored by a model that never saw it. */
	if (o->folds >= 2) {
		long npos_fold = pos / o->folds, nneg_fold = (f->n - pos) / o->folds;
		if (npos_fold < 1 || nneg_fold < 1)
			lk_fit_note(f, "too few rows of one outcome for %d folds: no held-out figures",
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
		lk_fit_solve(f, o);
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
	fig->lambda = lk_fit_solve(f, o);
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

void lk_fit_thresholds(const lk_fit *f, const lk_fit_figures *fig, int value, lk_buf *out)
{
	const lk_fit_level *lv = f->lev;
	/* Stage two: per threshold, what it keeps, at each tenth of capture. */
	double step = 0.1;
	int k;

	lk_buf_adds(out, "thresholds (training rows; mql = score >= T):\n");
	lk_buf_addf(out, "      T   MQLs  share  reject  capture%s\n", value ? "  won value" : "");
	for (k = 0; k < f->nlev; k++) {
		double cap = (double)lv[k].won / (double)fig->positives;
		if (cap + 1e-12 < step && lv[k].threshold != fig->threshold && k != f->nlev - 1)
			continue;
		while (step <= cap + 1e-12)
			step += 0.1;
		lk_buf_addf(out, "  %5ld %6ld %5.1f%% %6.1f%%  %6.1f%%", lv[k].threshold, lv[k].mql,
			    100.0 * (double)lv[k].mql / (double)fig->rows,
			    100.0 * (double)(lv[k].mql - lv[k].won) / (double)lv[k].mql, 100 * cap);
		if (value)
			lk_buf_addf(out, "  %9.0f", lv[k].value);
		lk_buf_addf(out, "%s\n", lv[k].threshold == fig->threshold ? "  <- chosen" : "");
	}
}
