/* rejects.c - the rejects file's format; see rejects.h. */
#include "core/rejects.h"

#include <stdio.h>
#include <string.h>

int lk_reject_header(lk_writer *w, const char *const *names, int n, lk_err *err)
{
	int i;

	for (i = 0; i < n; i++)
		lk_writer_field(w, names[i], strlen(names[i]));
	lk_writer_field(w, LK_REJECT_REASON, strlen(LK_REJECT_REASON));
	lk_writer_field(w, LK_REJECT_LINE, strlen(LK_REJECT_LINE));
	return lk_writer_end(w, err);
}

int lk_reject_row(lk_writer *w, const lk_row *row, const char *reason, lk_err *err)
{
	char line[32];
	int i;

	for (i = 0; i < row->n; i++)
		lk_writer_field(w, row->f[i], row->len[i]);
	lk_writer_field(w, reason, strlen(reason));
	snprintf(line, sizeof line, "%ld", row->line);
	lk_writer_field(w, line, strlen(line));
	return lk_writer_end(w, err);
}

size_t lk_reject_class(const char *reason)
{
	size_t n = strcspn(reason, ":'");

	while (n && reason[n - 1] == ' ')
		n--;
	return n;
}
