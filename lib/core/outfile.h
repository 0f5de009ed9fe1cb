/*
 * outfile.h - output files that appear whole or not at all.
 *
 * lk_outfile_open opens a temporary file in the target's directory (so
 * rename(2) is atomic) with the mode a plain create would give it;
 * lk_outfile_commit syncs it and renames it over the target;
 * lk_outfile_abort removes it.  A failed run therefore never leaves a
 * half-written output, and an existing target stays as it was.  "-" or
 * NULL means stdout, and devices and FIFOs (/dev/null, /dev/full, a
 * named pipe) are written in place: commit and abort then only close.
 *
 * Ownership: the caller owns the lk_outfile (it is a plain struct, not
 * allocated); open fills it, and commit or abort releases what it holds,
 * after which it may be opened again.  Abort after commit does nothing.
 */
#ifndef LK_OUTFILE_H
#define LK_OUTFILE_H

#include "core/err.h"

typedef struct lk_outfile {
	int fd;			/* where to write: 1 for stdout */
	char *path;		/* target, owned; NULL for stdout */
	char *tmp;		/* temporary name, owned; NULL when written in place */
} lk_outfile;

/* Open `path` for writing; -1 with err (LK_EIO, LK_ENOMEM) when the
 * temporary file cannot be made. */
int lk_outfile_open(lk_outfile *o, const char *path, lk_err *err);
/* Make the output the target; -1 with err when it cannot (the
 * temporary file is then removed). */
int lk_outfile_commit(lk_outfile *o, lk_err *err);
/* Remove the temporary file: the target stays as it was. */
void lk_outfile_abort(lk_outfile *o);

#endif
