/*
 * split.c - one output file per value of a column, committed all at
 * once.  See split.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/hash.h"
#include "core/split.h"

/* The manifest keeps the name lead-route gave it: directories it wrote
 * before must still be recognised as ours. */
#define SPLIT_MANIFEST ".lead-route-split"

struct lk_split_file {
	char *value, *name;		/* owned */
	lk_outfile of;
	lk_writer *w;
};

struct lk_split {
	char *dir;
	int col;
	char delim;
	const char *const *names;	/* the header, the caller's */
	int nnames;
	lk_hash *by_value, *by_name;	/* -> index + 1 into files */
	struct lk_split_file *files;
	size_t nfiles, afiles;
	lk_hash *mine;			/* names in the manifest of the last run */
	lk_buf path, tmp;
};

/* The file name of a value: bytes other than letters, digits, '.', '-'
 * and '_' become '_', as does a leading '.'; empty is "_empty".  So a
 * name never holds '/' and is never "." or "..". */
static void split_name(const char *v, size_t len, char delim, lk_buf *out)
{
	size_t i;

	lk_buf_reset(out);
	if (!len)
		lk_buf_adds(out, "_empty");
	for (i = 0; i < len && i < 100; i++) {
		char c = v[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 c == '-' || c == '_' || (c == '.' && i > 0);
		lk_buf_addc(out, ok ? c : '_');
	}
	lk_buf_adds(out, delim == '\t' ? ".tsv" : ".csv");
}

lk_split *lk_split_new(const char *dir, int col, char delim, const char *const *names, int n,
		       lk_err *err)
{
	lk_split *s = calloc(1, sizeof *s);
	struct stat st;
	int fd;

	if (!s || !(s->dir = strdup(dir)) || !(s->by_value = lk_hash_new(64)) ||
	    !(s->by_name = lk_hash_new(64)) || !(s->mine = lk_hash_new(64))) {
		lk_split_free(s);
		lk_err_set(err, LK_ENOMEM, "out of memory");
		return NULL;
	}
	s->col = col;
	s->delim = delim;
	s->names = names;
	s->nnames = n;
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		lk_err_set(err, LK_EIO, "%s: cannot create the directory: %s", dir, strerror(errno));
		goto fail;
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		lk_err_set(err, LK_EIO, "%s: not a directory", dir);
		goto fail;
	}
	/* The manifest: the files an earlier --split-by wrote here. */
	lk_buf_reset(&s->path);
	lk_buf_addf(&s->path, "%s/%s", dir, SPLIT_MANIFEST);
	fd = open(s->path.data, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		char buf[4096];
		ssize_t k;
		lk_buf line = { 0 };
		while ((k = read(fd, buf, sizeof buf)) > 0) {
			ssize_t i;
			for (i = 0; i < k; i++) {
				if (buf[i] != '\n') {
					lk_buf_addc(&line, buf[i]);
					continue;
				}
				if (line.len && !strchr(lk_buf_str(&line), '/'))
					lk_hash_put(s->mine, line.data, line.len, (void *)1);
				lk_buf_reset(&line);
			}
		}
		lk_buf_free(&line);
		close(fd);
	}
	return s;
fail:
	lk_split_free(s);
	return NULL;
}

/* The file of the row's value, opened (a temporary file) on first use. */
static struct lk_split_file *split_file(lk_split *s, const char *v, size_t len, lk_err *err)
{
	struct lk_split_file *f;
	intptr_t at = (intptr_t)lk_hash_get(s->by_value, v, len);
	struct stat st;
	int i;

	if (at)
		return &s->files[at - 1];
	if (s->nfiles == s->afiles) {
		size_t na = s->afiles ? s->afiles * 2 : 16;
		struct lk_split_file *nf = realloc(s->files, na * sizeof *nf);
		if (!nf)
			return lk_err_set(err, LK_ENOMEM, "out of memory"), NULL;
		s->files = nf;
		s->afiles = na;
	}
	split_name(v, len, s->delim, &s->tmp);
	if (lk_hash_get(s->by_name, s->tmp.data, s->tmp.len)) {
		/* "Ann Lee" and "Ann_Lee" both clean to Ann_Lee: the later one
		 * gets the value's FNV-1a hash in its name. */
		char h[24];
		snprintf(h, sizeof h, "~%08lx", (unsigned long)(lk_fnv1a(v, len) & 0xffffffffUL));
		s->tmp.len -= 4;
		lk_buf_adds(&s->tmp, h);
		lk_buf_adds(&s->tmp, s->delim == '\t' ? ".tsv" : ".csv");
		if (lk_hash_get(s->by_name, s->tmp.data, s->tmp.len))
			return lk_err_set(err, LK_EDATA, "--split-by: two values share the file "
					  "name %s", s->tmp.data), NULL;
	}
	lk_buf_reset(&s->path);
	lk_buf_addf(&s->path, "%s/%s", s->dir, s->tmp.data);
	if (lstat(s->path.data, &st) == 0 && !lk_hash_get(s->mine, s->tmp.data, s->tmp.len))
		return lk_err_set(err, LK_EIO, "%s exists and was not written by lead-route "
				  "--split-by: not overwritten (move it, or split into another "
				  "directory)", s->path.data), NULL;
	f = &s->files[s->nfiles];
	memset(f, 0, sizeof *f);
	f->value = strndup(v, len);
	f->name = strdup(s->tmp.data);
	if (!f->value || !f->name) {
		free(f->value);
		free(f->name);
		return lk_err_set(err, LK_ENOMEM, "out of memory"), NULL;
	}
	if (lk_outfile_open(&f->of, s->path.data, err) < 0) {
		free(f->value);
		free(f->name);
		return NULL;
	}
	s->nfiles++;
	if (!(f->w = lk_writer_new(f->of.fd, s->delim, 0)) ||
	    lk_hash_put(s->by_value, v, len, (void *)(intptr_t)s->nfiles) < 0 ||
	    lk_hash_put(s->by_name, f->name, strlen(f->name), (void *)(intptr_t)s->nfiles) < 0)
		return lk_err_set(err, LK_ENOMEM, "out of memory"), NULL;
	for (i = 0; i < s->nnames; i++)
		lk_writer_field(f->w, s->names[i], strlen(s->names[i]));
	if (lk_writer_end(f->w, err) < 0)
		return NULL;
	return f;
}

int lk_split_row(lk_split *s, const lk_row *row, lk_err *err)
{
	const char *v = s->col < row->n ? row->f[s->col] : "";
	size_t len = s->col < row->n ? row->len[s->col] : 0;
	struct lk_split_file *f = split_file(s, v, len, err);

	if (!f)
		return -1;
	return lk_writer_row(f->w, (const char *const *)row->f, row->len, row->n, err);
}

int lk_split_commit(lk_split *s, lk_err *err)
{
	lk_outfile man;
	lk_writer *w;
	size_t i;
	int rc = 0;

	for (i = 0; i < s->nfiles; i++)
		if (lk_writer_flush(s->files[i].w, err) < 0)
			return -1;
	for (i = 0; i < s->nfiles; i++)
		if (lk_outfile_commit(&s->files[i].of, err) < 0)
			return -1;
	/* Files of the last run that this one did not write are stale:
	 * yesterday's list for a rep with no leads today must not be sent. */
	for (i = 0; i < lk_hash_count(s->mine); i++) {
		const char *name;
		size_t nl;
		lk_hash_entry(s->mine, i, &name, &nl, NULL);
		if (lk_hash_get(s->by_name, name, nl))
			continue;
		lk_buf_reset(&s->path);
		lk_buf_addf(&s->path, "%s/%s", s->dir, name);
		unlink(s->path.data);
	}
	lk_buf_reset(&s->path);
	lk_buf_addf(&s->path, "%s/%s", s->dir, SPLIT_MANIFEST);
	if (lk_outfile_open(&man, s->path.data, err) < 0)
		return -1;
	if (!(w = lk_writer_new(man.fd, ',', 0))) {
		lk_outfile_abort(&man);
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	for (i = 0; i < s->nfiles; i++) {
		lk_writer_raw(w, s->files[i].name, strlen(s->files[i].name));
		lk_writer_raw(w, "\n", 1);
	}
	rc = lk_writer_flush(w, err);
	lk_writer_free(w);
	if (rc < 0) {
		lk_outfile_abort(&man);
		return -1;
	}
	return lk_outfile_commit(&man, err);
}

void lk_split_free(lk_split *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nfiles; i++) {
		lk_outfile_abort(&s->files[i].of);	/* nothing once committed */
		lk_writer_free(s->files[i].w);
		free(s->files[i].value);
		free(s->files[i].name);
	}
	free(s->files);
	free(s->dir);
	lk_hash_free(s->by_value);
	lk_hash_free(s->by_name);
	lk_hash_free(s->mine);
	lk_buf_free(&s->path);
	lk_buf_free(&s->tmp);
	free(s);
}
