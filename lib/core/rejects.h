/*
 * rejects.h - the rejects file's format: bad rows never vanish.
 *
 * A tool that cannot process a row writes it to the rejects file
 * (--rejects FILE) unchanged, field for field as it was read, with two
 * more columns: _reject_reason (why) and _line (the physical line the
 * row started on).  The file's header is the input header plus those
 * two names, so the file can be fixed and fed back in.
 *
 * A reason's class is what a summary counts: its text before the first
 * ':' or quote, without the spaces before it ("unparseable date 'x'"
 * and "unparseable date 'y'" are one class, "unparseable date").
 *
 * lk_rejects is the tally a run keeps of its rejected rows: the rejects
 * file (when --rejects names one), the count, the count per reason class
 * and the --max-rejects limit.  It prints nothing: cmd/ warns about rows
 * not kept and writes the summary from lk_rejects_class.
 *
 * Ownership: lk_reject_header and lk_reject_row keep nothing (the writer
 * is the caller's); an lk_rejects owns its file, writer and class table
 * until lk_rejects_free, which also removes a file not yet committed.
 */
#ifndef LK_REJECTS_H
#define LK_REJECTS_H

#include <stddef.h>

#include "core/csvio.h"
#include "core/err.h"
#include "core/hash.h"
#include "core/outfile.h"

/* The names of the columns added to every rejected row. */
#define LK_REJECT_REASON "_reject_reason"
#define LK_REJECT_LINE "_line"

/* Write the header row: names[0..n), then the two added names.  -1
 * with err on a write error. */
int lk_reject_header(lk_writer *w, const char *const *names, int n, lk_err *err);

/* Write a rejected row with its reason and line.  -1 with err on a
 * write error. */
int lk_reject_row(lk_writer *w, const lk_row *row, const char *reason, lk_err *err);

/* The length of the reason's class (see above). */
size_t lk_reject_class(const char *reason);

/* A run's rejected rows.  The fields are read-only outside rejects.c. */
typedef struct lk_rejects {
	lk_outfile file;		/* the rejects file, when open */
	lk_writer *w;			/* writes `file`; NULL: rows not kept */
	int open;			/* 1: --rejects named a file */
	long count;			/* rows rejected so far */
	long max;			/* --max-rejects, -1: no limit */
	lk_hash *reasons;		/* reason class -> count */
} lk_rejects;

/* Start a tally; with `path`, open it (atomically, see outfile.h) as
 * the rejects file written with `delim`.  -1 with err. */
int lk_rejects_open(lk_rejects *r, const char *path, long max, char delim, lk_err *err);

/* Write the rejects file's header: the input's names[0..n) (see
 * lk_reject_header); nothing without a file.  -1 with err. */
int lk_rejects_set_header(lk_rejects *r, const char *const *names, int n, lk_err *err);

/* Count a rejected row under its reason's class and write it to the
 * file: 0, or 1 when there is no file to keep it, -1 with err on a
 * write error. */
int lk_rejects_put(lk_rejects *r, const lk_row *row, const char *reason, lk_err *err);

/* Flush and commit the rejects file (nothing without one).  -1 with err. */
int lk_rejects_commit(lk_rejects *r, lk_err *err);

/* The number of reason classes, and class i's name and count in the
 * order first met. */
size_t lk_rejects_nclasses(const lk_rejects *r);
void lk_rejects_class(const lk_rejects *r, size_t i, const char **name, long *count);

/* 1 when more rows were rejected than --max-rejects allows. */
int lk_rejects_over(const lk_rejects *r);

/* Free the tally; a rejects file not committed is removed.  Accepts a
 * tally never opened (all zero). */
void lk_rejects_free(lk_rejects *r);

#endif
