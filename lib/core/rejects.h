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
 * Ownership: nothing is kept; the writer is the caller's.
 */
#ifndef LK_REJECTS_H
#define LK_REJECTS_H

#include <stddef.h>

#include "core/csvio.h"
#include "core/err.h"

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

#endif
