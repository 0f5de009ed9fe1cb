/*
 * stats.h - small statistics shared by scoring, tuning and reports.
 *
 * ROC AUC is computed as the Mann-Whitney statistic: the probability
 * that a randomly chosen positive scores above a randomly chosen
 * negative, ties counting one half.  It is exact (no binning) and takes
 * O(n log n) time.  The caller owns every array; nothing is kept.
 */
#ifndef LK_STATS_H
#define LK_STATS_H

#include <stddef.h>

#include "core/err.h"

/*
 * ROC AUC of score[i] against label[i] (0 negative, non-zero positive)
 * over n rows, into *auc.  Returns 0, or -1 with LK_EDATA when there
 * are no positives or no negatives (AUC is undefined), or LK_ENOMEM.
 */
int lk_auc(const double *score, const unsigned char *label, size_t n, double *auc, lk_err *e);

/*
 * Wilson score interval for k successes in n trials at normal quantile
 * z (1.96 for 95%): *lo and *hi in [0, 1].  n == 0 gives [0, 1].
 */
void lk_wilson(long k, long n, double z, double *lo, double *hi);

#endif
