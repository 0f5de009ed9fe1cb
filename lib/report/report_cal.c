/*
 * report_cal.c - calibration: how well scores foretell the outcome.
 *
 * Input: scored leads (lead-score's score, optionally mql and
 * score_reasons) and an outcome per lead, from --outcome COL or from the
 * stages.  Four tables:
 *   summary     leads, scored, with an outcome, converted, the base rate
 *               and the ROC AUC (Mann-Whitney, ties one half) with a 95%
 *               interval (Hanley and McNeil's standard error);
 *   bands       conversion per score band with Wilson 95% intervals;
 *   thresholds  for each band's lower edge t, the leads scoring >= t
 *               (the MQLs such a threshold would make), the share of
 *               them that did not convert (the reject rate sales would
 *               see) and the share of won value (or won leads) they
 *               hold; the model's own mql column gives one more row;
 *   rules       per rule of score_reasons: leads it fired for, their
 *               conversion, the conversion of the others, and the lift
 *               (its conversion over the base rate).
 * Only leads with both a score and an outcome count; the others are
 * counted in the stats (bad_scores, open, bad_outcomes).  The scores are
 * kept (a double, a byte and the value per lead) for the AUC.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"
#include "core/stats.h"

typedef struct crule {
	char *name;		/* owned */
	size_t len;
	int64_t n, pos;		/* leads it fired for, converted among them */
	int64_t last;		/* the last lead counted, so a rule counts once */
} crule;

typedef struct cal {
	const lk_model *m;
	const lk_report_opt *o;
	lk_report_stats *st;
	int score_col, out_col, stage_col, won_col, value_col, reasons_col, mql_col;
	double *score, *value;	/* [n] */
	unsigned char *y;	/* [n] outcome 0/1 */
	signed char *mql;	/* [n] mql column: 1 yes, 0 no, -1 absent */
	size_t n, cap;
	int64_t leads;		/* rows seen */
	lk_hash *ridx;		/* rule name -> index + 1 */
	crule *rules;
	size_t nr, capr;
	lk_buf key;		/* scratch */
} cal;

static void *cal_create(const lk_model *m, const lk_report_opt *o, lk_report_stats *st, lk_err *err)
{
	cal *c = calloc(1, sizeof *c);

	if (!c || !(c->ridx = lk_hash_new(32))) {
		free(c);
		lk_report_nomem(err);
		return NULL;
	}
	c->m = m;
	c->o = o;
	c->st = st;
	return c;
}

static void cal_destroy(void *x)
{
	cal *c = x;
	size_t i;

	if (!c)
		return;
	free(c->score);
	free(c->value);
	free(c->y);
	free(c->mql);
	for (i = 0; i < c->nr; i++)
		free(c->rules[i].name);
	free(c->rules);
	lk_hash_free(c->ridx);
	lk_buf_free(&c->key);
	free(c);
}

static int cal_bind(void *x, const char *const *names, int n, lk_err *err)
{
	cal *c = x;
	const lk_model *m = c->m;
	char at[256];

	c->score_col = lk_report_col(names, n, "score");
	if (c->score_col < 0)
		return lk_err_set(err, LK_EUSAGE,
				  "calibration: the input has no score column (score it with lead-score first)");
	c->out_col = c->value_col = -1;
	c->stage_col = lk_report_col(names, n, "stage");
	c->won_col = -1;
	if (m->npath) {
		snprintf(at, sizeof at, "%s_at", m->stages[m->npath - 1].id);
		c->won_col = lk_report_col(names, n, at);
	}
	if (c->o->outcome) {
		c->out_col = lk_report_col(names, n, c->o->outcome);
		if (c->out_col < 0)
			return lk_err_set(err, LK_EUSAGE, "--outcome: no column '%s' in the input",
					  c->o->outcome);
	} else if (c->stage_col < 0 && c->won_col < 0) {
		return lk_err_set(err, LK_EUSAGE,
				  "calibration: no outcome: give --outcome COL, or a stage column "
				  "whose won and lost stages tell it");
	}
	if (c->o->value) {
		c->value_col = lk_report_col(names, n, c->o->value);
		if (c->value_col < 0)
			return lk_err_set(err, LK_EUSAGE, "--value: no column '%s' in the input",
					  c->o->value);
	}
	c->reasons_col = lk_report_col(names, n, "score_reasons");
	c->mql_col = lk_report_col(names, n, "mql");
	return 0;
}

static int is_word(const lk_buf *k, const char *const *words)
{
	for (; *words; words++)
		if (!strcmp(lk_buf_str(k), *words))
			return 1;
	return 0;
}

/* A stage value as an outcome: the last path stage is won, a detour is
 * not (lost, disqualified, recycled), an earlier stage is still open. */
static int stage_outcome(const cal *c, const char *s, size_t len)
{
	int st = lk_model_stage(c->m, s, len);

	if (st < 0)
		return -2;
	if (st == c->m->npath - 1)
		return 1;
	return st >= c->m->npath ? 0 : -1;
}

/* 1 converted, 0 not, -1 open (left out), -2 not understood. */
static int outcome(cal *c, const lk_row *row)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "won", "converted", NULL };
	static const char *const no[] = { "0", "no", "n", "false", "lost", "notconverted", NULL };

	if (c->out_col >= 0) {
		const char *s;
		size_t len;
		if (!lk_report_field_ok(row, c->out_col))
			return -1;
		s = row->f[c->out_col];
		len = row->len[c->out_col];
		lk_buf_reset(&c->key);
		lk_loose_key(s, len, &c->key);
		if (is_word(&c->key, yes))
			return 1;
		if (is_word(&c->key, no))
			return 0;
		return stage_outcome(c, s, len);
	}
	if (lk_report_field_ok(row, c->won_col))
		return 1;
	if (!lk_report_field_ok(row, c->stage_col))
		return -1;
	return stage_outcome(c, row->f[c->stage_col], row->len[c->stage_col]);
}

static int number(const lk_row *row, int col, double *v)
{
	char buf[64], *end;
	size_t len;

	if (!lk_report_field_ok(row, col) || (len = row->len[col]) >= sizeof buf)
		return -1;
	memcpy(buf, row->f[col], len);
	buf[len] = '\0';
	*v = strtod(buf, &end);
	while (*end == ' ')
		end++;
	return *end || end == buf || isnan(*v) || isinf(*v) ? -1 : 0;
}

/* Count the rules of one lead's score_reasons ("a:+20;b(12d):+9.6"). */
static int add_reasons(cal *c, const char *s, size_t len, int y)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i, colon = (size_t)-1, nlen;
		void **slot;
		int created;
		crule *ru;

		while (j < len && s[j] != ';') {
			if (s[j] == ':')
				colon = j;
			j++;
		}
		nlen = colon != (size_t)-1 ? colon - i : j - i;
		/* "webinar(12d)": the parenthesis is the activity's age. */
		if (nlen && s[i + nlen - 1] == ')') {
			size_t p = nlen;
			while (p > 0 && s[i + p - 1] != '(')
				p--;
			if (p > 1)
				nlen = p - 1;
		}
		while (nlen && s[i] == ' ') {
			i++;
			nlen--;
		}
		if (nlen) {
			slot = lk_hash_slot(c->ridx, s + i, nlen, 1, &created);
			if (!slot)
				return -1;
			if (created) {
				if (c->nr == c->capr) {
					size_t cap = c->capr ? c->capr * 2 : 16;
					crule *nr = realloc(c->rules, cap * sizeof *nr);
					if (!nr)
						return -1;
					c->rules = nr;
					c->capr = cap;
				}
				ru = &c->rules[c->nr];
				memset(ru, 0, sizeof *ru);
				ru->last = -1;
				if (!(ru->name = malloc(nlen + 1)))
					return -1;
				memcpy(ru->name, s + i, nlen);
				ru->name[nlen] = '\0';
				ru->len = nlen;
				*slot = (void *)(intptr_t)++c->nr;
			}
			ru = &c->rules[(intptr_t)*slot - 1];
			if (ru->last != (int64_t)c->n) {
				ru->last = (int64_t)c->n;
				ru->n++;
				ru->pos += y;
			}
		}
		i = j + 1;
	}
	return 0;
}

static int cal_add(void *x, const lk_row *row, lk_err *err)
{
	cal *c = x;
	double sc, v = 1;
	int y;

	c->leads++;
	c->st->rows++;
	if (number(row, c->score_col, &sc) < 0) {
		c->st->bad_scores++;
		return 0;
	}
	y = outcome(c, row);
	if (y == -1) {
		c->st->open++;
		return 0;
	}
	if (y == -2) {
		c->st->bad_outcomes++;
		return 0;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		double *ns = realloc(c->score, cap * sizeof *ns);
		if (ns)
			c->score = ns;
		double *nv = ns ? realloc(c->value, cap * sizeof *nv) : NULL;
		if (nv)
			c->value = nv;
		unsigned char *ny = nv ? realloc(c->y, cap) : NULL;
		if (ny)
			c->y = ny;
		signed char *nm = ny ? realloc(c->mql, cap) : NULL;
		if (!nm)
			return lk_report_nomem(err);
		c->mql = nm;
		c->cap = cap;
	}
	if (c->value_col >= 0 && number(row, c->value_col, &v) < 0)
		v = 0;
	c->score[c->n] = sc;
	c->y[c->n] = (unsigned char)y;
	c->value[c->n] = v;
	c->mql[c->n] = -1;
	if (lk_report_field_ok(row, c->mql_col)) {
		lk_buf_reset(&c->key);
		lk_loose_key(row->f[c->mql_col], row->len[c->mql_col], &c->key);
		c->mql[c->n] = !strcmp(lk_buf_str(&c->key), "yes") || !strcmp(lk_buf_str(&c->key), "true") ||
			       !strcmp(lk_buf_str(&c->key), "1");
	}
	if (c->reasons_col >= 0 && c->reasons_col < row->n &&
	    add_reasons(c, row->f[c->reasons_col], row->len[c->reasons_col], y) < 0)
		return lk_report_nomem(err);
	c->n++;
	return 0;
}

/* Band edges: the given cut points, else every 10 points over the data. */
static double *cuts(const cal *c, int *ncut)
{
	double lo = INFINITY, hi = -INFINITY, *v;
	size_t i;
	int k, n;

	if (c->o->nbands > 0) {
		v = malloc((size_t)c->o->nbands * sizeof *v);
		if (v)
			memcpy(v, c->o->bands, (size_t)c->o->nbands * sizeof *v);
		*ncut = c->o->nbands;
		return v;
	}
	for (i = 0; i < c->n; i++) {
		if (c->score[i] < lo)
			lo = c->score[i];
		if (c->score[i] > hi)
			hi = c->score[i];
	}
	if (!c->n)
		lo = hi = 0;
	lo = floor(lo / 10) * 10;
	n = (int)((floor(hi / 10) * 10 - lo) / 10) + 1;
	if (n > 1000)	/* scores spread over more than 10000 points */
		n = 1000;
	v = malloc((size_t)n * sizeof *v);
	for (k = 0; v && k < n; k++)
		v[k] = lo + 10.0 * k;
	*ncut = n;
	return v;
}

/* Band of a score: 0 below the first cut, k+1 from cut k. */
static int band_of(const double *cut, int ncut, double s)
{
	int lo = 0, hi = ncut;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (cut[mid] <= s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void fmt_num(char *b, size_t n, double v)
{
	snprintf(b, n, "%.10g", v);
}

/* Integer comparison of lift: a.pos / a.n against b.pos / b.n. */
static int cmp_rule(const void *x, const void *y)
{
	const crule *a = x, *b = y;
	int64_t l = a->pos * b->n, r = b->pos * a->n;

	if (l != r)
		return l > r ? -1 : 1;
	return lk_report_cmp(a->name, a->len, b->name, b->len);
}

static void pct_or_blank(lk_tab *t, double num, double den)
{
	if (den > 0)
		lk_tab_num(t, 100 * num / den, 2);
	else
		lk_tab_adds(t, "");
}

static void threshold_row(lk_tab *t, const char *name, int64_t mqls, int64_t conv, double val,
			  int64_t all, int64_t pos, double allval, int value)
{
	lk_tab_adds(t, name);
	lk_tab_int(t, mqls);
	lk_tab_pct(t, mqls, all);
	lk_tab_int(t, conv);
	lk_tab_pct(t, mqls - conv, mqls);
	lk_tab_pct(t, conv, pos);
	if (value)
		pct_or_blank(t, val, allval);
}

static int cal_render(void *x, lk_report_fmt fmt, lk_buf *out, lk_err *err)
{
	cal *c = x;
	lk_tab sum, bands, thr, rules;
	lk_tab *all[4] = { &sum, &bands, &thr, &rules };
	int ncut = 0, b, rc = -1, has_mql = 0;
	double *cut = cuts(c, &ncut), auc = NAN, allval = 0, *bval = NULL;
	crule *sorted = NULL;
	int64_t *bn = NULL, *bpos = NULL, pos = 0, mn = 0, mpos = 0;
	double mval = 0;
	size_t i;
	char lab[96], f1[32], f2[32];

	lk_tab_init(&sum, "summary");
	lk_tab_init(&bands, "bands");
	lk_tab_init(&thr, "thresholds");
	lk_tab_init(&rules, "rules");
	if (!cut && ncut)
		goto nomem;
	bn = calloc((size_t)ncut + 2, sizeof *bn);
	bpos = calloc((size_t)ncut + 2, sizeof *bpos);
	bval = calloc((size_t)ncut + 2, sizeof *bval);
	if (!bn || !bpos || !bval)
		goto nomem;
	for (i = 0; i < c->n; i++) {
		b = band_of(cut, ncut, c->score[i]);
		bn[b]++;
		bpos[b] += c->y[i];
		pos += c->y[i];
		if (c->y[i]) {
			bval[b] += c->value[i];
			allval += c->value[i];
		}
		if (c->mql[i] >= 0) {
			has_mql = 1;
			if (c->mql[i]) {
				mn++;
				mpos += c->y[i];
				mval += c->y[i] ? c->value[i] : 0;
			}
		}
	}
	if (pos && pos < (int64_t)c->n && lk_auc(c->score, c->y, c->n, &auc, err) < 0)
		goto out;

	lk_tab_col(&sum, "leads", 'i');
	lk_tab_col(&sum, "scored", 'i');
	lk_tab_col(&sum, "with_outcome", 'i');
	lk_tab_col(&sum, "converted", 'i');
	lk_tab_col(&sum, "conversion_pct", 'n');
	lk_tab_col(&sum, "auc", 'n');
	lk_tab_col(&sum, "auc_low", 'n');
	lk_tab_col(&sum, "auc_high", 'n');
	lk_tab_int(&sum, c->leads);
	lk_tab_int(&sum, c->leads - c->st->bad_scores);
	lk_tab_int(&sum, (int64_t)c->n);
	lk_tab_int(&sum, pos);
	lk_tab_pct(&sum, pos, (int64_t)c->n);
	lk_tab_num(&sum, auc, 4);
	{
		/* Hanley & McNeil (1982): the AUC's standard error. */
		double P = (double)pos, N = (double)((int64_t)c->n - pos), q1 = auc / (2 - auc),
		       q2 = 2 * auc * auc / (1 + auc), se;
		se = sqrt((auc * (1 - auc) + (P - 1) * (q1 - auc * auc) + (N - 1) * (q2 - auc * auc)) /
			  (P * N));
		lk_tab_num(&sum, auc - 1.96 * se < 0 ? 0 : auc - 1.96 * se, 4);
		lk_tab_num(&sum, auc + 1.96 * se > 1 ? 1 : auc + 1.96 * se, 4);
	}

	lk_tab_col(&bands, "band", 's');
	lk_tab_col(&bands, "from", 'n');
	lk_tab_col(&bands, "to", 'n');
	lk_tab_col(&bands, "leads", 'i');
	lk_tab_col(&bands, "converted", 'i');
	bands.barcol = bands.ncol;
	lk_tab_col(&bands, "conversion_pct", 'n');
	lk_tab_col(&bands, "ci_low_pct", 'n');
	lk_tab_col(&bands, "ci_high_pct", 'n');
	for (b = 0; b <= ncut; b++) {
		double lo, hi;
		if (b == 0 && (bn[0] == 0 || ncut == 0))
			continue;	/* nothing below the first edge */
		if (b > 0)
			fmt_num(f1, sizeof f1, cut[b - 1]);
		if (b < ncut)
			fmt_num(f2, sizeof f2, cut[b]);
		if (b == 0)
			snprintf(lab, sizeof lab, "< %s", f2);
		else if (b == ncut)
			snprintf(lab, sizeof lab, ">= %s", f1);
		else
			snprintf(lab, sizeof lab, "%s to %s", f1, f2);
		lk_tab_adds(&bands, lab);
		lk_tab_adds(&bands, b > 0 ? f1 : "");
		lk_tab_adds(&bands, b < ncut ? f2 : "");
		lk_tab_int(&bands, bn[b]);
		lk_tab_int(&bands, bpos[b]);
		lk_tab_pct(&bands, bpos[b], bn[b]);
		if (bn[b]) {
			lk_wilson((long)bpos[b], (long)bn[b], 1.96, &lo, &hi);
			lk_tab_num(&bands, 100 * lo, 2);
			lk_tab_num(&bands, 100 * hi, 2);
		} else {
			lk_tab_adds(&bands, "");
			lk_tab_adds(&bands, "");
		}
	}

	lk_tab_col(&thr, "min_score", 's');
	lk_tab_col(&thr, "mqls", 'i');
	lk_tab_col(&thr, "mql_pct", 'n');
	lk_tab_col(&thr, "converted", 'i');
	lk_tab_col(&thr, "reject_pct", 'n');
	lk_tab_col(&thr, "won_captured_pct", 'n');
	if (c->o->value)
		lk_tab_col(&thr, "value_captured_pct", 'n');
	{
		int64_t cn = 0, cp = 0;
		double cv = 0;
		for (b = ncut; b >= 1; b--) {
			cn += bn[b];
			cp += bpos[b];
			cv += bval[b];
			bn[b] = cn;	/* from here on: the counts at or above */
			bpos[b] = cp;
			bval[b] = cv;
		}
		for (b = 1; b <= ncut; b++) {
			fmt_num(f1, sizeof f1, cut[b - 1]);
			threshold_row(&thr, f1, bn[b], bpos[b], bval[b], (int64_t)c->n, pos, allval,
				      c->o->value != NULL);
		}
		if (has_mql)
			threshold_row(&thr, "mql", mn, mpos, mval, (int64_t)c->n, pos, allval,
				      c->o->value != NULL);
	}

	lk_tab_col(&rules, "rule", 's');
	lk_tab_col(&rules, "leads", 'i');
	lk_tab_col(&rules, "converted", 'i');
	lk_tab_col(&rules, "conversion_pct", 'n');
	lk_tab_col(&rules, "without_pct", 'n');
	lk_tab_col(&rules, "lift", 'n');
	sorted = malloc((c->nr + 1) * sizeof *sorted);
	if (!sorted)
		goto nomem;
	if (c->nr)
		memcpy(sorted, c->rules, c->nr * sizeof *sorted);
	qsort(sorted, c->nr, sizeof *sorted, cmp_rule);
	for (i = 0; i < c->nr; i++) {
		const crule *ru = &sorted[i];
		lk_tab_add(&rules, ru->name, ru->len);
		lk_tab_int(&rules, ru->n);
		lk_tab_int(&rules, ru->pos);
		lk_tab_pct(&rules, ru->pos, ru->n);
		lk_tab_pct(&rules, pos - ru->pos, (int64_t)c->n - ru->n);
		if (ru->n && pos)
			lk_tab_num(&rules, ((double)ru->pos / (double)ru->n) / ((double)pos / (double)c->n), 2);
		else
			lk_tab_adds(&rules, "");
	}
	rc = lk_tabs_render(all, 4, fmt, out, err);
	goto out;
nomem:
	lk_report_nomem(err);
out:
	for (b = 0; b < 4; b++)
		lk_tab_free(all[b]);
	free(cut);
	free(bn);
	free(bpos);
	free(bval);
	free(sorted);
	return rc;
}

const lk_report_ops lk_report_cal_ops = {
	cal_create, cal_bind, cal_add, NULL, NULL, NULL, NULL, cal_render, cal_destroy
};
