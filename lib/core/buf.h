/*
 * buf.h - the one growable byte buffer of liblead.
 *
 * An lk_buf owns `data`, which is always NUL-terminated after any call
 * that succeeds (so it can be used as a C string when it holds text).
 * `len` excludes the NUL.  Appends grow the buffer geometrically; when
 * allocation fails they return -1 and leave the contents unchanged.
 * A zeroed lk_buf (LK_BUF_INIT) is an empty buffer that owns nothing.
 */
#ifndef LK_BUF_H
#define LK_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct lk_buf {
	char *data;	/* owned; NULL until the first append */
	size_t len;	/* bytes in use, excluding the terminating NUL */
	size_t cap;	/* bytes allocated */
} lk_buf;

#define LK_BUF_INIT { NULL, 0, 0 }

/* Make room for at least `extra` more bytes (plus the NUL). */
int lk_buf_grow(lk_buf *b, size_t extra);
/* Append `n` bytes. */
static inline int lk_buf_add(lk_buf *b, const void *p, size_t n);
/* Append a C string. */
int lk_buf_adds(lk_buf *b, const char *s);
/* Append one byte. */
static inline int lk_buf_addc(lk_buf *b, int c);
/* Append printf-formatted text. */
int lk_buf_addf(lk_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Forget the contents, keep the memory. */
static inline void lk_buf_reset(lk_buf *b);
/* Release the memory; the buffer is empty and reusable afterwards. */
void lk_buf_free(lk_buf *b);
/* Give the data to the caller (who frees it) and empty the buffer;
 * returns an empty allocated string for an empty buffer, NULL on ENOMEM. */
char *lk_buf_detach(lk_buf *b);

/*
 * The appends are inline: they run for every field of every row, and
 * the common case (room already there) is a copy and a store.
 */
static inline int lk_buf_add(lk_buf *b, const void *p, size_t n)
{
	if (b->cap - b->len <= n && lk_buf_grow(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

static inline int lk_buf_addc(lk_buf *b, int c)
{
	if (b->cap - b->len <= 1 && lk_buf_grow(b, 1) < 0)
		return -1;
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
	return 0;
}

static inline void lk_buf_reset(lk_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* Make `data` a valid C string even when nothing was appended yet. */
static inline const char *lk_buf_str(const lk_buf *b)
{
	return b->data ? b->data : "";
}

/*
 * 1 when s[0..len) holds nothing but spaces and tabs (and, with
 * `newlines`, carriage returns and line feeds too); an empty string is
 * blank.  The one test of "no value here" the whole library shares.
 */
static inline int lk_blank(const char *s, size_t len, int newlines)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' &&
		    !(newlines && (s[i] == '\r' || s[i] == '\n')))
			return 0;
	return 1;
}

/*
 * Read all of `s` as a non-negative whole number in decimal, the way
 * every option that takes a count reads it: 0 and *out, or -1 when `s`
 * is empty, holds anything else, is negative or does not fit a long.
 */
int lk_parse_count(const char *s, long *out);

#endif
