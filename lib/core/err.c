/* err.c - error values; see err.h. */
#include "core/err.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lk_err_clear(lk_err *e)
{
	if (!e)
		return;
	memset(e, 0, sizeof *e);
	e->record = -1;
}

int lk_err_vset(lk_err *e, lk_errkind kind, const char *fmt, va_list ap)
{
	if (!e)
		return -1;
	/* A new error starts with no position: callers add the one they know. */
	e->kind = kind;
	e->file[0] = '\0';
	e->line = e->col = 0;
	e->record = -1;
	e->cause = LK_ENOCAUSE;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	return -1;
}

int lk_err_set(lk_err *e, lk_errkind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lk_err_vset(e, kind, fmt, ap);
	va_end(ap);
	return -1;
}

int lk_err_at(lk_err *e, const char *file, long line, long col,
	      const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	lk_err_vset(e, LK_EMODEL, fmt, ap);
	va_end(ap);
	snprintf(e->file, sizeof e->file, "%s", file ? file : "");
	e->line = line;
	e->col = col;
	return -1;
}

int lk_err_because(lk_err *e, lk_errcause cause)
{
	if (e)
		e->cause = cause;
	return -1;
}

const char *lk_err_str(const lk_err *e, char *buf, unsigned long size)
{
	if (!e || size == 0)
		return "";
	if (e->kind == LK_EMODEL && e->file[0] && e->line > 0)
		snprintf(buf, size, "%s:%ld:%ld: %s", e->file, e->line,
			 e->col > 0 ? e->col : 1, e->msg);
	else if (e->record >= 0 && e->line > 0)
		snprintf(buf, size, "%s%srecord %ld (line %ld): %s",
			 e->file, e->file[0] ? ": " : "", e->record, e->line,
			 e->msg);
	else if (e->file[0])
		snprintf(buf, size, "%s: %s", e->file, e->msg);
	else
		snprintf(buf, size, "%s", e->msg);
	return buf;
}

static int dl_distance(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b);
	int *d, i, j, r;

	if (la > 64 || lb > 64)
		return 99;
	d = malloc(sizeof(int) * (size_t)(la + 1) * (size_t)(lb + 1));
	if (!d)
		return 99;
#define D(i, j) d[(i) * (lb + 1) + (j)]
	for (i = 0; i <= la; i++)
		D(i, 0) = i;
	for (j = 0; j <= lb; j++)
		D(0, j) = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			int cost = tolower((unsigned char)a[i - 1]) !=
				   tolower((unsigned char)b[j - 1]);
			int v = D(i - 1, j) + 1;
			if (D(i, j - 1) + 1 < v)
				v = D(i, j - 1) + 1;
			if (D(i - 1, j - 1) + cost < v)
				v = D(i - 1, j - 1) + cost;
			if (i > 1 && j > 1 &&
			    tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) &&
			    D(i - 2, j - 2) + 1 < v)
				v = D(i - 2, j - 2) + 1;
			D(i, j) = v;
		}
	}
	r = D(la, lb);
#undef D
	free(d);
	return r;
}

const char *lk_did_you_mean(const char *word, const char *const *cands, int n)
{
	const char *best = NULL;
	int bestd = 99, i, len = (int)strlen(word);
	int limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;

	for (i = 0; i < n; i++) {
		int dist = dl_distance(word, cands[i]);
		if (dist < bestd) {
			bestd = dist;
			best = cands[i];
		}
	}
	return bestd <= limit ? best : NULL;
}
