/*
 * stats.c - ROC AUC by ranks, Wilson intervals.
 */
#include <math.h>
#include <stdlib.h>

#include "core/stats.h"

typedef struct {
	double s;
	unsigned char y;
} pair;

static int pair_cmp(const void *a, const void *b)
{
	double x = ((const pair *)a)->s, y = ((const pair *)b)->s;

	return (x > y) - (x < y);
}

int lk_auc(const double *score, const unsigned char *label, size_t n, double *auc, lk_err *e)
{
	pair *p;
	size_t i, j, npos = 0;
	double rank_sum = 0, nneg;

	for (i = 0; i < n; i++)
		npos += label[i] != 0;
	if (npos == 0 || npos == n)
		return lk_err_set(e, LK_EDATA, "ROC AUC needs both outcomes: %zu of %zu rows are positive",
				  npos, n);
	p = malloc(n * sizeof *p);
	if (!p)
		return lk_err_set(e, LK_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		p[i].s = score[i];
		p[i].y = label[i] != 0;
	}
	qsort(p, n, sizeof *p, pair_cmp);
	/* Mid-ranks (1-based) over runs of equal scores. */
	for (i = 0; i < n; i = j) {
		size_t pos = 0;
		double mid;

		for (j = i; j < n && p[j].s == p[i].s; j++)
			pos += p[j].y;
		mid = ((double)(i + 1) + (double)j) / 2.0;
		rank_sum += mid * (double)pos;
	}
	free(p);
	nneg = (double)(n - npos);
	*auc = (rank_sum - (double)npos * ((double)npos + 1) / 2.0) / ((double)npos * nneg);
	return 0;
}

void lk_wilson(long k, long n, double z, double *lo, double *hi)
{
	double p, z2, den, c, h;

	if (n <= 0) {
		*lo = 0;
		*hi = 1;
		return;
	}
	p = (double)k / (double)n;
	z2 = z * z;
	den = 1 + z2 / (double)n;
	c = (p + z2 / (2.0 * (double)n)) / den;
	h = z * sqrt(p * (1 - p) / (double)n + z2 / (4.0 * (double)n * (double)n)) / den;
	*lo = c - h < 0 ? 0 : c - h;
	*hi = c + h > 1 ? 1 : c + h;
}
