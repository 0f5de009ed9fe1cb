/*
 * err.h - error values for liblead.
 *
 * The library never prints and never exits.  A function that can fail
 * returns 0 on success and -1 on failure, and fills the caller's lk_err
 * with a one-line message (lower case, no full stop) and, where known,
 * where the failure happened: a model file position (file:line:col,
 * 1-based) or a data position (record number, physical line, column).
 * Only cmd/ turns an lk_err into text on stderr and an exit code.
 *
 * Ownership: an lk_err is a plain value owned by the caller; it holds
 * copies of every string, so it stays valid after the failing object
 * is freed.  Passing NULL as the lk_err is allowed and drops the detail.
 */
#ifndef LK_ERR_H
#define LK_ERR_H

#include <stdarg.h>

/* What kind of failure; cmd/ maps these to exit codes. */
typedef enum {
	LK_EOK = 0,
	LK_EDATA,	/* bad input data: exit 1 */
	LK_EIO,		/* read or write failure: exit 1 */
	LK_EMODEL,	/* bad model file or expression: exit 2 */
	LK_EUSAGE,	/* bad option value: exit 2 */
	LK_ENOMEM	/* out of memory: exit 1 */
} lk_errkind;

/*
 * A finer cause under a kind, for the callers that act on it (a closed
 * pipe is a quiet exit; invalid UTF-8 earns a hint about --encoding)
 * rather than on the message text.  The code that detects the failure
 * sets it after lk_err_set, which clears it.
 */
typedef enum {
	LK_ENOCAUSE = 0,
	LK_EPIPE,	/* LK_EIO: the output is a pipe whose reader has gone (EPIPE) */
	LK_EUTF8	/* LK_EDATA: the input is not valid UTF-8 */
} lk_errcause;

typedef struct lk_err {
	lk_errkind kind;
	char msg[768];		/* the message, without any position prefix */
	char file[256];		/* model or data file name, "" if unknown */
	long line;		/* 1-based physical line, 0 if unknown */
	long col;		/* 1-based column in the line, 0 if unknown */
	long record;		/* 1-based data record number (header is 0), -1 if unknown */
	lk_errcause cause;	/* LK_ENOCAUSE unless the detecting code knows more */
} lk_err;

/* Clear an error to "no error". */
void lk_err_clear(lk_err *e);

/* Set kind and message (no position, no cause); returns -1 so
 * `return lk_err_set(...)` reads well. */
int lk_err_set(lk_err *e, lk_errkind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int lk_err_vset(lk_err *e, lk_errkind kind, const char *fmt, va_list ap);

/* Set a model-file error at file:line:col (1-based); returns -1. */
int lk_err_at(lk_err *e, const char *file, long line, long col,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Add the cause to an error just set; returns -1, as lk_err_set. */
int lk_err_because(lk_err *e, lk_errcause cause);

/*
 * Format the error as one line, without the program name:
 * "file:line:col: msg" for model errors, "record R (line L): msg" for
 * data errors, or just "msg".  Writes into buf (always NUL-terminated).
 */
const char *lk_err_str(const lk_err *e, char *buf, unsigned long size);

/*
 * Find the closest of `n` candidate words to `word` (Damerau-Levenshtein
 * distance, case-insensitive), for "did you mean" hints.  Returns NULL
 * when nothing is close enough to be a likely typo.
 */
const char *lk_did_you_mean(const char *word, const char *const *cands, int n);

#endif
