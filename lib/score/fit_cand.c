/*
 * fit_cand.c - candidate rules made from the data (lk_fit_auto, see
 * fit.h): the frequent values of categorical columns and the decile
 * thresholds of numeric ones.  The rules from one column form a group,
 * so the solver can sum a whole column's gradients in one pass.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/expr.h"
#include "score/fit_int.h"
#include "core/hash.h"

/* A new group of rules from one column; its index, or -1 on ENOMEM. */
static int group_new(lk_fit *f, int nested)
{
	struct lk_fit_group *g;

	if (f->ngrp == f->mgrp) {
		int m = f->mgrp ? 2 * f->mgrp : 16;
		struct lk_fit_group *ng = realloc(f->grp, (size_t)m * sizeof *ng);
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
	struct lk_fit_group *g = &f->grp[gi];

	if (g->k >= 32)
		return 0;
	g->feat[++g->k] = j;
	f->gof[j] = gi;
	return g->k;
}

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
		lk_fit_note(f, "candidate '%s' does not compile (%s): left out", when, ee.msg);
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
		if (j == -1) {
			rc = -1;
			goto done;
		}
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
	rc = lk_err_set(err, LK_ENOMEM, "out of memory");
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
			lk_fit_note(f, "column '%s': numbers nearly all distinct (an identifier?): "
				    "no candidates", cols[c]);
			continue;
		}
		if (s->over) {
			lk_fit_note(f, "column '%s': more than %d distinct values: no candidates", cols[c],
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
