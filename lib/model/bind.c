/*
 * bind.c - the owned columns of a per-lead filter: laying out the
 * output header and passing the input through.  See bind.h.
 */
#include <stdlib.h>
#include <string.h>

#include "model/bind.h"

void lk_bind_find(const char *const *cols, int n, const char *const *names, int k, int *idx)
{
	int i, j;

	for (j = 0; j < k; j++) {
		idx[j] = -1;
		for (i = 0; i < n && idx[j] < 0; i++)
			if (!strcmp(cols[i], names[j]))
				idx[j] = i;
	}
}

int lk_bind_owned(const char *const *cols, int n, const char *const *owned, int nowned,
		  const char *skip, int *col, const char ***names, lk_row *out, lk_err *err)
{
	const char **nm;
	int i, j, k;

	free(*names);
	*names = nm = calloc((size_t)n + (size_t)nowned + 1, sizeof *nm);
	if (!nm)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		nm[i] = cols[i];
	k = n;
	for (j = 0; j < nowned; j++) {
		col[j] = -1;
		if (skip && skip[j])
			continue;
		for (i = 0; i < n; i++)
			if (!strcmp(cols[i], owned[j]))
				break;
		if (i < n) {
			col[j] = i;
		} else {
			col[j] = k;
			nm[k++] = owned[j];
		}
	}
	free(out->f);
	free(out->len);
	out->f = calloc((size_t)k + 1, sizeof *out->f);
	out->len = calloc((size_t)k + 1, sizeof *out->len);
	out->n = 0;
	if (!out->f || !out->len)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	out->n = k;
	return k;
}

void lk_bind_pass(lk_row *out, const lk_row *in, int nin)
{
	int i;

	for (i = 0; i < out->n; i++) {
		if (i < in->n && i < nin) {
			out->f[i] = in->f[i];
			out->len[i] = in->len ? in->len[i] : strlen(in->f[i]);
		} else {
			out->f[i] = (char *)"";
			out->len[i] = 0;
		}
	}
}
