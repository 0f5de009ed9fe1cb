/*
 * split.h - one output file per value of a column (lead-route's
 * --split-by owner|queue|route): the rows again, each in the file of
 * its value, every file with the header, all appearing at once or not
 * at all.
 *
 * Files live in directory `dir` (created if missing).  A file's name
 * is the value with every byte but letters, digits, '.', '-' and '_'
 * turned into '_' (a leading '.' too; an empty value is _empty; at most
 * the first 100 bytes count), plus .csv (.tsv for a tab delimiter): no
 * value can name a path outside dir.  Two values that clean to one name
 * are told apart by a hash suffix (FNV-1a of the value, hash.h).
 *
 * Atomic: each file is a temporary file (csvio.h's lk_outfile) until
 * lk_split_commit renames them all into place; lk_split_free removes
 * the uncommitted ones, so a failed run leaves the last run's files.
 *
 * The directory's manifest (.lead-route-split: the name its first user
 * gave it, kept so directories written before still work) lists the
 * files the last run wrote, one name a line.  A file that exists and is
 * not listed belongs to someone else: lk_split_row fails (LK_EIO)
 * rather than overwrite it.  On commit the listed files this run did
 * not write are removed (a rep without leads today gets no stale list)
 * and the manifest is replaced.
 *
 * Memory: one open writer and one hash entry per distinct value, so a
 * column with few values (owners, queues) is what it is for.
 *
 * Ownership: the splitter copies `dir` and the values it meets; `names`
 * (the header) is the caller's and must outlive it.  Rows are written
 * at once: the reader's rule for their fields is enough.
 */
#ifndef LK_SPLIT_H
#define LK_SPLIT_H

#include "core/csvio.h"
#include "core/err.h"

typedef struct lk_split lk_split;

/* Split on column `col` of the rows to come, written with `delim`
 * under the header names[0..n).  NULL with err (LK_EIO: the directory
 * cannot be made; LK_ENOMEM). */
lk_split *lk_split_new(const char *dir, int col, char delim, const char *const *names, int n,
		       lk_err *err);
/* Write one row to the file of its value (opened on first use).  -1
 * with err: LK_EIO for a file that is not ours or cannot be written,
 * LK_EDATA for two values that would share one name. */
int lk_split_row(lk_split *s, const lk_row *row, lk_err *err);
/* Flush and rename every file into place, remove the stale ones and
 * replace the manifest.  -1 with err on a write or rename error. */
int lk_split_commit(lk_split *s, lk_err *err);
/* Remove the files not committed and free s; NULL is a no-op. */
void lk_split_free(lk_split *s);

#endif
