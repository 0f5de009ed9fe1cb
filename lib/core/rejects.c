/* rejects.c - the rejects file's format; see rejects.h. */
#include "core/rejects.h"

#include <stdint.h>
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

int lk_rejects_open(lk_rejects *r, const char *path, long max, char delim, lk_err *err)
{
	memset(r, 0, sizeof *r);
	r->max = max;
	if (!(r->reasons = lk_hash_new(16)))
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	if (!path)
		return 0;
	if (lk_outfile_open(&r->file, path, err) < 0)
		return -1;
	r->w = lk_writer_new(r->file.fd, delim, 0);
	r->open = 1;
	return 0;
}

int lk_rejects_set_header(lk_rejects *r, const char *const *names, int n, lk_err *err)
{
	return r->w ? lk_reject_header(r->w, names, n, err) : 0;
}

int lk_rejects_put(lk_rejects *r, const lk_row *row, const char *reason, lk_err *err)
{
	void **slot;

	r->count++;
	slot = lk_hash_slot(r->reasons, reason, lk_reject_class(reason), 1, NULL);
	if (slot)
		*slot = (void *)((char *)*slot + 1);
	if (!r->w)
		return 1;
	return lk_reject_row(r->w, row, reason, err) < 0 ? -1 : 0;
}

int lk_rejects_commit(lk_rejects *r, lk_err *err)
{
	if (!r->w)
		return 0;
	if (lk_writer_flush(r->w, err) < 0 || lk_outfile_commit(&r->file, err) < 0)
		return -1;
	lk_writer_free(r->w);
	r->w = NULL;
	return 0;
}

size_t lk_rejects_nclasses(const lk_rejects *r)
{
	return r->reasons ? lk_hash_count(r->reasons) : 0;
}

void lk_rejects_class(const lk_rejects *r, size_t i, const char **name, long *count)
{
	void *v;

	lk_hash_entry(r->reasons, i, name, NULL, &v);
	*count = (long)(intptr_t)v;
}

int lk_rejects_over(const lk_rejects *r)
{
	return r->max >= 0 && r->count > r->max;
}

void lk_rejects_free(lk_rejects *r)
{
	lk_writer_free(r->w);
	r->w = NULL;
	lk_outfile_abort(&r->file);
	lk_hash_free(r->reasons);
	r->reasons = NULL;
}
