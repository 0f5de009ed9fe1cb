/*
 * csvio.c - streaming CSV/TSV reader and writer over libcsv; see csvio.h.
 *
 * The reader feeds libcsv one physical line at a time, cut from 64 KiB
 * read(2) blocks.  Feeding whole lines (never single bytes) keeps
 * libcsv's per-call cost negligible, and it tells us exactly which
 * physical line each record ends on, which blank lines and quoted
 * newlines would otherwise hide.  A record's first line is its last
 * line minus the newlines inside its fields.
 *
 * Most records never reach libcsv: one that starts between records and
 * whose quoting is well formed is split by feed_plain, a word at a time,
 * with the same result libcsv would give (the unit tests and
 * csv-spectrum hold both to it); anything unusual goes to libcsv.
 */
#include "core/csvio.h"
#include "core/hash.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <fcntl.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define LK_BLOCK 65536

/* Does the 8-byte word w contain the byte whose broadcast is b? */
#define LK_ONES 0x0101010101010101ULL
#define LK_HIGHS 0x8080808080808080ULL
static inline uint64_t has_byte(uint64_t w, uint64_t b)
{
	uint64_t x = w ^ b;

	return (x - LK_ONES) & ~x & LK_HIGHS;
}

/* libcsv's parser states (libcsv.c); FIELD_BEGUN with `quoted` set at
 * end of input means an unterminated quoted field. */
#define LK_CSV_ROW_NOT_BEGUN 0
#define LK_CSV_FIELD_BEGUN 2

struct lk_rec {
	size_t f0;		/* index of the first field in foff/flen */
	size_t nf;		/* number of fields */
	long line;		/* first physical line */
	long nlines;		/* lines spanned */
	const char *bad;	/* why it is malformed, or NULL */
	long recno;		/* record number (header 0) */
};

struct lk_reader {
	int fd;
	lk_csvopt opt;
	char name[256];
	struct csv_parser p;

	/* Raw bytes as read, before transcoding. */
	char *raw;
	size_t raw_len;
	int started;		/* BOM sniffed */
	int eof;		/* read(2) returned 0 */
	int finished;		/* csv_fini done */
	iconv_t cd;		/* (iconv_t)-1 when input is UTF-8 */

	/* Decoded UTF-8 text, cut into lines from in_pos. */
	lk_buf in;
	size_t in_pos;

	/* Field bytes (NUL-terminated) of completed and in-progress records. */
	lk_buf arena;
	size_t *foff, *flen;
	size_t nf, fcap;
	size_t pf0;		/* first field of the in-progress record */
	long cur_nl;		/* newlines inside the in-progress record */
	const char *cur_bad;
	int nul_seen;		/* a line fed since the parser was last between
				 * rows holds a NUL byte */

	/* Records completed by the last csv_parse call, returned one by one. */
	struct lk_rec *q;
	size_t qn, qcap, qi;

	lk_buf unkeyed;		/* keyed input: the current line, key dropped, unescaped */
	long line;		/* physical line being fed (1-based) */
	long nrec;		/* records completed, header included */
	int last_nl;		/* the last chunk fed ended with a newline */
	char eol;		/* the byte that ends a physical line: LF, or CR */
	long returned;		/* data records returned (header excluded) */
	int oom;

	lk_row row;
	size_t rowcap;

	/* --header-from: the header row, returned before the input's records. */
	lk_row hdr;
	lk_buf hdr_text;
	int hdr_pending;

	lk_dialect dialect;	/* how the delimiter was chosen */
	int sniffing;		/* detection still to do, before the first line */
};

static int header_from(lk_reader *r, lk_err *err);

int lk_header_index(const char *const *names, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

static int keep_spaces(unsigned char c)
{
	(void)c;
	return 0;
}

static void on_field(void *data, size_t len, void *ctx)
{
	lk_reader *r = ctx;
	const char *s = data ? data : "";

	if (r->nf == r->fcap) {
		size_t cap = r->fcap ? r->fcap * 2 : 64;
		size_t *o = realloc(r->foff, cap * sizeof *o);
		size_t *l;
		if (!o) {
			r->oom = 1;
			return;
		}
		r->foff = o;
		l = realloc(r->flen, cap * sizeof *l);
		if (!l) {
			r->oom = 1;
			return;
		}
		r->flen = l;
		r->fcap = cap;
	}
	if (r->arena.cap - r->arena.len <= len + 16 && lk_buf_grow(&r->arena, len + 16) < 0) {
		r->oom = 1;
		return;
	}
	r->foff[r->nf] = r->arena.len;
	r->flen[r->nf] = len;
	/* libcsv appended a NUL.  Its field buffer is at least the block
	 * size set in lk_reader_new (64 KiB), so short fields (most) are
	 * copied as 16 bytes, without a call; the arena has that room. */
	if (len < 16 && data)
		memcpy(r->arena.data + r->arena.len, s, 16);
	else
		memcpy(r->arena.data + r->arena.len, s, len + 1);
	r->arena.len += len + 1;
	r->nf++;
	/* Lines with a NUL byte were seen by feed(); only their fields are searched. */
	if (r->nul_seen && !r->cur_bad && len && memchr(s, '\0', len))
		r->cur_bad = "NUL byte in field";
}

static void on_row(int c, void *ctx)
{
	lk_reader *r = ctx;
	struct lk_rec *rec;

	(void)c;
	if (r->qn == r->qcap) {
		size_t cap = r->qcap ? r->qcap * 2 : 16;
		struct lk_rec *q = realloc(r->q, cap * sizeof *q);
		if (!q) {
			r->oom = 1;
			return;
		}
		r->q = q;
		r->qcap = cap;
	}
	rec = &r->q[r->qn++];
	rec->f0 = r->pf0;
	rec->nf = r->nf - r->pf0;
	/* Keyed lines hold a whole record, its newlines escaped. */
	rec->line = r->opt.keyed ? r->line : r->line - r->cur_nl;
	rec->nlines = r->opt.keyed ? 1 : r->cur_nl + 1;
	rec->bad = r->cur_bad;
	rec->recno = r->opt.no_header ? r->nrec + 1 : r->nrec;
	r->pf0 = r->nf;
	r->cur_nl = 0;
	r->cur_bad = NULL;
	r->nrec++;
}

lk_reader *lk_reader_new(int fd, const lk_csvopt *opt, lk_err *err)
{
	lk_reader *r = calloc(1, sizeof *r);

	if (!r) {
		lk_err_set(err, LK_ENOMEM, "out of memory");
		return NULL;
	}
	r->fd = fd;
	if (opt)
		r->opt = *opt;
	if (!r->opt.delim)
		r->opt.delim = ',';
	r->dialect.delim = r->opt.delim;
	r->dialect.sure = 1;
	r->sniffing = r->opt.detect > 0 && !r->opt.keyed;
	snprintf(r->name, sizeof r->name, "%s",
		 r->opt.name && strcmp(r->opt.name, "-") ? r->opt.name : "stdin");
	r->opt.name = r->name;
	r->cd = (iconv_t)-1;
	if (r->opt.encoding && strcasecmp(r->opt.encoding, "utf-8") &&
	    strcasecmp(r->opt.encoding, "utf8")) {
		const char *enc = r->opt.encoding;
		if (!strcasecmp(enc, "latin1") || !strcasecmp(enc, "latin-1"))
			enc = "ISO-8859-1";
		r->cd = iconv_open("UTF-8", enc);
		if (r->cd == (iconv_t)-1) {
			lk_err_set(err, LK_EUSAGE, "unknown encoding '%s'",
				   r->opt.encoding);
			free(r);
			return NULL;
		}
	}
	if (csv_init(&r->p, CSV_APPEND_NULL) != 0) {
		if (r->cd != (iconv_t)-1)
			iconv_close(r->cd);
		free(r);
		lk_err_set(err, LK_ENOMEM, "out of memory");
		return NULL;
	}
	csv_set_space_func(&r->p, keep_spaces);
	/* libcsv grows a field's buffer by this much at a time; its default
	 * (128 bytes) makes a multi-megabyte field quadratic. */
	csv_set_blk_size(&r->p, 1u << 16);
	csv_set_delim(&r->p, (unsigned char)r->opt.delim);
	r->raw = malloc(LK_BLOCK);
	if (!r->raw) {
		lk_reader_free(r);
		lk_err_set(err, LK_ENOMEM, "out of memory");
		return NULL;
	}
	if (r->opt.header_from && header_from(r, err) < 0) {
		lk_reader_free(r);
		return NULL;
	}
	return r;
}

void lk_reader_free(lk_reader *r)
{
	if (!r)
		return;
	csv_free(&r->p);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	free(r->raw);
	lk_buf_free(&r->in);
	lk_buf_free(&r->arena);
	lk_buf_free(&r->unkeyed);
	free(r->foff);
	free(r->flen);
	free(r->q);
	free(r->row.f);
	free(r->row.len);
	free(r->hdr.f);
	free(r->hdr.len);
	lk_buf_free(&r->hdr_text);
	free(r);
}

long lk_reader_lines(const lk_reader *r)
{
	return r->line;
}

long lk_reader_records(const lk_reader *r)
{
	return r->returned;
}

/*
 * --header-from: read the first record of opt.header_from with a reader
 * of the same delimiter and encoding and keep it as the header.  The
 * input then starts at data record 1: nrec counts the header as read,
 * which also makes a keyed reader skip every empty-key header line.
 */
static int header_from(lk_reader *r, lk_err *err)
{
	lk_csvopt o = r->opt;
	lk_reader *h;
	lk_row *row;
	int fd, c, i;
	size_t *off = NULL;

	o.header_from = NULL;
	o.keyed = 0;
	o.no_header = 0;
	o.name = r->opt.header_from;
	fd = open(o.name, O_RDONLY);
	if (fd < 0)
		return lk_err_set(err, LK_EUSAGE, "--header-from %s: cannot open: %s",
				  o.name, strerror(errno));
	h = lk_reader_new(fd, &o, err);
	c = h ? lk_reader_next(h, &row, err) : -1;
	if (c == 0)
		lk_err_set(err, LK_EUSAGE, "--header-from %s: empty file: no header row", o.name);
	if (c == 1) {
		r->hdr.f = calloc((size_t)row->n + 1, sizeof *r->hdr.f);
		r->hdr.len = calloc((size_t)row->n + 1, sizeof *r->hdr.len);
		off = calloc((size_t)row->n + 1, sizeof *off);
		if (!r->hdr.f || !r->hdr.len || !off)
			c = lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	for (i = 0; c == 1 && i < row->n; i++) {
		off[i] = r->hdr_text.len;
		r->hdr.len[i] = row->len[i];
		if (lk_buf_add(&r->hdr_text, row->f[i], row->len[i]) < 0 ||
		    lk_buf_addc(&r->hdr_text, 0) < 0)
			c = lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	if (c == 1) {
		/* The text no longer moves: point the fields into it. */
		for (i = 0; i < row->n; i++)
			r->hdr.f[i] = r->hdr_text.data + off[i];
		r->hdr.n = row->n;
		r->hdr.line = 1;
		r->hdr.nlines = row->nlines;
		r->hdr.bad = row->bad;
		r->hdr_pending = 1;
		r->nrec = 1;
		r->opt.no_header = 0;
		/* The header file's delimiter is the input's. */
		if (r->sniffing) {
			r->dialect = *lk_reader_dialect(h);
			r->opt.delim = r->dialect.delim;
			csv_set_delim(&r->p, (unsigned char)r->opt.delim);
			r->sniffing = 0;
		}
	}
	free(off);
	lk_reader_free(h);
	close(fd);
	return c == 1 ? 0 : -1;
}

static int fail(lk_reader *r, lk_err *err, lk_errkind kind, long line,
		const char *fmt, const char *detail)
{
	lk_err_set(err, kind, fmt, detail);
	if (err) {
		snprintf(err->file, sizeof err->file, "%s", r->name);
		err->line = line;
		err->record = r->nrec - (r->opt.no_header ? 0 : 1) + 1;
		if (err->record < 0)
			err->record = 0;
	}
	return -1;
}

/*
 * Input that is not valid in its encoding (`fmt` names it).  An encoding
 * named as a form of UTF-8 ("UTF-8//IGNORE") makes it invalid UTF-8,
 * the cause the UTF-8 check gives, so callers treat both alike.
 */
static int bad_encoding(lk_reader *r, lk_err *err, long line, const char *fmt)
{
	const char *enc = r->opt.encoding ? r->opt.encoding : "UTF-16";

	fail(r, err, LK_EDATA, line, fmt, enc);
	return strstr(enc, "UTF-8") ? lk_err_because(err, LK_EUTF8) : -1;
}

/* Decode raw bytes into r->in.  Returns 0, or -1 with err. */
static int decode(lk_reader *r, size_t *rawpos, lk_err *err)
{
	if (r->cd == (iconv_t)-1) {
		if (lk_buf_add(&r->in, r->raw + *rawpos, r->raw_len - *rawpos) < 0)
			return fail(r, err, LK_ENOMEM, r->line, "%s", "out of memory");
		*rawpos = r->raw_len;
		return 0;
	}
	while (*rawpos < r->raw_len) {
		char *ip = r->raw + *rawpos, *op;
		size_t il = r->raw_len - *rawpos, ol, before;

		if (lk_buf_grow(&r->in, il * 4 + 16) < 0)
			return fail(r, err, LK_ENOMEM, r->line, "%s", "out of memory");
		op = r->in.data + r->in.len;
		ol = r->in.cap - r->in.len - 1;
		before = ol;
		if (iconv(r->cd, &ip, &il, &op, &ol) == (size_t)-1) {
			if (errno == EINVAL)	/* incomplete sequence: wait for more */
				break;
			if (errno != E2BIG) {
				r->in.len += before - ol;
				*rawpos = (size_t)(ip - r->raw);
				return bad_encoding(r, err, r->line + 1, "input is not valid %s");
			}
		}
		r->in.len += before - ol;
		r->in.data[r->in.len] = '\0';
		*rawpos = (size_t)(ip - r->raw);
	}
	return 0;
}

/* Read one block; returns 1 if bytes arrived, 0 at end of input, -1 on error. */
static int fill(lk_reader *r, lk_err *err)
{
	ssize_t n;
	size_t pos = 0, keep = 0;

	/* Bytes left over from an incomplete multibyte sequence stay at the front. */
	if (r->cd != (iconv_t)-1)
		keep = r->raw_len;
	do
		n = read(r->fd, r->raw + keep, LK_BLOCK - keep);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return fail(r, err, LK_EIO, r->line, "read error: %s", strerror(errno));
	if (n == 0) {
		if (keep)
			return bad_encoding(r, err, r->line + 1, "input ends inside a %s character");
		r->eof = 1;
		return 0;
	}
	r->raw_len = keep + (size_t)n;
	if (!r->started) {
		unsigned char *u = (unsigned char *)r->raw;
		/* Need enough bytes to see a BOM. */
		while (r->raw_len < 3) {
			do
				n = read(r->fd, r->raw + r->raw_len, LK_BLOCK - r->raw_len);
			while (n < 0 && errno == EINTR);
			if (n <= 0)
				break;
			r->raw_len += (size_t)n;
		}
		r->started = 1;
		if (r->raw_len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
			pos = 3;
		} else if (r->raw_len >= 2 && r->cd == (iconv_t)-1 &&
			   ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
			r->cd = iconv_open("UTF-8", u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE");
			if (r->cd == (iconv_t)-1)
				return fail(r, err, LK_EDATA, 1, "%s", "cannot transcode UTF-16 input");
			pos = 2;
		}
	}
	if (decode(r, &pos, err) < 0)
		return -1;
	/* Old Mac exports (Excel for Mac "CSV") end lines with a lone CR:
	 * when the first block has CRs and no LF, lines are cut at CR. */
	if (!r->eol) {
		const char *d = r->in.data ? r->in.data : "";
		r->eol = !memchr(d, '\n', r->in.len) && memchr(d, '\r', r->in.len) ? '\r' : '\n';
	}
	if (r->cd != (iconv_t)-1) {
		memmove(r->raw, r->raw + pos, r->raw_len - pos);
		r->raw_len -= pos;
	} else {
		r->raw_len = 0;
	}
	return 1;
}

/* Full UTF-8 validation of one line; returns the offending byte offset or -1. */
static long bad_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t k, need;
		unsigned cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			cp = c & 0x07;
		} else {
			return (long)i;
		}
		if (i + need >= n)
			return (long)i;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return (long)i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return (long)i;
		i += need + 1;
	}
	return -1;
}

/* What one pass over a line finds: bytes >= 0x80 (UTF-8 to validate)
 * and NUL bytes (fields to search), eight bytes at a time. */
#define LK_LINE_HIGH 1
#define LK_LINE_NUL 2
static unsigned line_bytes(const unsigned char *s, size_t n)
{
	uint64_t hi = 0, nul = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		hi |= w;
		nul |= (w - LK_ONES) & ~w;
	}
	for (; i < n; i++) {
		hi |= s[i];
		nul |= s[i] ? 0 : LK_HIGHS;
	}
	return ((hi & LK_HIGHS) ? LK_LINE_HIGH : 0) | ((nul & LK_HIGHS) ? LK_LINE_NUL : 0);
}

/* How many quote characters s[0..n) holds, eight bytes at a time. */
static size_t count_quotes(const char *s, size_t n)
{
	const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL, quote = LK_ONES * '"';
	size_t i = 0, k = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w, x, y;
		memcpy(&w, s + i, 8);
		x = w ^ quote;
		y = ~(((x & low7) + low7) | x | low7);	/* 0x80 where x's byte is 0 */
		k += (size_t)(((y >> 7) * LK_ONES) >> 56);	/* the bytes' sum */
	}
	for (; i < n; i++)
		k += s[i] == '"';
	return k;
}

/*
 * A record that starts between records and whose quoted fields are all
 * well formed is split here, as libcsv would split it, without a call
 * per byte: a delimiter ends an unquoted field, a quoted one runs to its
 * closing quote ("" inside it is one quote, newlines are kept), nothing
 * is trimmed, and a blank line is no record.  s[0..n) is the line just
 * cut from r->in; a quoted field left open takes the following lines
 * while they are whole in r->in, each checked as feed() checks a line.
 * Anything else (a quote inside an unquoted field, text after a closing
 * quote, a CR outside quotes, a NUL, a record running past the text
 * read) is left to libcsv, which then reads the line.  The fields are
 * written into the arena, NUL after each.  Returns 1 when done, 0 when
 * libcsv must read the line, -1 on ENOMEM.
 */
static int feed_plain(lk_reader *r, const char *s, size_t n)
{
	const char delim = r->opt.delim;
	size_t m, nd = 0, at, span = n, quotes = count_quotes(s, n);
	long extra = 0;
	char *base, *p, *e, *w;

	/* A record's lines run until the quotes in them pair up. */
	while (quotes & 1) {
		const char *nx = s + span, *end = r->in.data + r->in.len, *nl;
		unsigned bytes;
		size_t len;
		if (nx >= end || !(nl = memchr(nx, r->eol, (size_t)(end - nx))))
			return 0;
		len = (size_t)(nl - nx) + 1;
		bytes = line_bytes((const unsigned char *)nx, len);
		if ((bytes & LK_LINE_NUL) ||
		    (r->opt.check_utf8 && r->cd == (iconv_t)-1 && (bytes & LK_LINE_HIGH) &&
		     bad_utf8((const unsigned char *)nx, len) >= 0))
			return 0;
		quotes += count_quotes(nx, len);
		span += len;
		extra++;
	}
	m = span - 1;
	if (r->eol == '\n' && m && s[m - 1] == '\r')
		m--;
	if (!m)
		return 1;	/* a blank line: no record */
	/* The record is copied once and split in place: a field ends where
	 * its delimiter or closing quote was. */
	if (lk_buf_grow(&r->arena, m + 1) < 0)
		return -1;
	at = r->arena.len;
	base = p = r->arena.data + at;
	memcpy(base, s, m);
	e = base + m;
	*e = '\0';
	for (;;) {
		char *f;
		if (r->nf + nd == r->fcap) {
			size_t cap = r->fcap ? r->fcap * 2 : 64;
			size_t *o = realloc(r->foff, cap * sizeof *o), *l;
			if (!o)
				return -1;
			r->foff = o;
			if (!(l = realloc(r->flen, cap * sizeof *l)))
				return -1;
			r->flen = l;
			r->fcap = cap;
		}
		if (*p == '"') {
			char *q;
			f = w = ++p;
			for (;;) {
				if (!(q = memchr(p, '"', (size_t)(e - p))))
					return 0;
				if (w != p)
					memmove(w, p, (size_t)(q - p));
				w += q - p;
				p = q + 1;
				if (*p != '"')
					break;
				*w++ = '"';	/* "" is one quote */
				p++;
			}
			if (p < e && *p != delim)
				return 0;
		} else {
			char *q = memchr(p, delim, (size_t)(e - p));
			if (!q)
				q = e;
			f = p;
			for (w = p; w < q; w++)
				if (*w == '"' || *w == '\r' || *w == '\n')
					return 0;
			p = q;
		}
		*w = '\0';
		r->foff[r->nf + nd] = at + (size_t)(f - base);
		r->flen[r->nf + nd] = (size_t)(w - f);
		nd++;
		if (p == e)
			break;
		p++;	/* the delimiter */
	}
	r->arena.len = at + m + 1;
	r->nf += nd;
	/* The lines taken after the first are fed now. */
	r->in_pos += span - n;
	r->line += extra;
	r->cur_nl = extra;
	on_row(0, r);
	return r->oom ? -1 : 1;
}

/* Feed one chunk (a line, or the unterminated tail) to libcsv. */
static int feed(lk_reader *r, const char *s, size_t n, lk_err *err)
{
	unsigned bytes;

	r->line++;
	r->last_nl = n && s[n - 1] == r->eol;
	bytes = line_bytes((const unsigned char *)s, n);
	/* NUL bytes are rare: on_field looks for them only when a line
	 * has one. */
	if (bytes & LK_LINE_NUL)
		r->nul_seen = 1;
	if (r->opt.check_utf8 && r->cd == (iconv_t)-1 && (bytes & LK_LINE_HIGH)) {
		long off = bad_utf8((const unsigned char *)s, n);
		if (off >= 0) {
			char what[64];
			snprintf(what, sizeof what, "%ld", off + 1);
			fail(r, err, LK_EDATA, r->line, "invalid UTF-8 at byte %s of the line", what);
			return lk_err_because(err, LK_EUTF8);
		}
	}
	if (r->opt.keyed) {
		const char *tab = memchr(s, '\t', n), *p, *end = s + n;
		if (!tab)
			return fail(r, err, LK_EDATA, r->line, "%s",
				    "keyed input: no TAB after the key (is it --emit-key output?)");
		/* Every mapper's header sorts first, with an empty key: keep one. */
		if (tab == s && r->nrec > 0 && r->pf0 == r->nf)
			return 0;
		lk_buf_reset(&r->unkeyed);
		for (p = tab + 1; p < end; p++) {
			int c = (unsigned char)*p;
			if (c == '\\' && p + 1 < end) {
				c = (unsigned char)*++p;
				c = c == 'n' ? '\n' : c == 'r' ? '\r' : c;
			}
			if (lk_buf_addc(&r->unkeyed, c) < 0)
				return fail(r, err, LK_ENOMEM, r->line, "%s", "out of memory");
		}
		s = lk_buf_str(&r->unkeyed);
		n = r->unkeyed.len;
	} else if (r->last_nl && !(bytes & LK_LINE_NUL) && r->p.pstate == LK_CSV_ROW_NOT_BEGUN) {
		int done = feed_plain(r, s, n);
		if (done < 0)
			return fail(r, err, LK_ENOMEM, r->line, "%s", "out of memory");
		if (done)
			return 0;
	}
	if (csv_parse(&r->p, s, n, on_field, on_row, r) != n)
		return fail(r, err, LK_ENOMEM, r->line, "csv: %s",
			    csv_strerror(csv_error(&r->p)));
	/* A line that ends inside a quoted field put its newline into the
	 * field: the record started that many lines earlier. */
	if (!r->opt.keyed && r->last_nl && r->p.pstate == LK_CSV_FIELD_BEGUN && r->p.quoted)
		r->cur_nl++;
	/* Bytes of a NUL line can reach a field of a later line only
	 * through a field still open. */
	if (r->p.pstate == LK_CSV_ROW_NOT_BEGUN)
		r->nul_seen = 0;
	if (r->oom)
		return fail(r, err, LK_ENOMEM, r->line, "%s", "out of memory");
	return 0;
}

/* Drop returned records; keep the in-progress one at the front. */
static void compact(lk_reader *r)
{
	size_t i, base;

	r->qn = r->qi = 0;
	if (r->pf0 == r->nf) {
		lk_buf_reset(&r->arena);
		r->nf = r->pf0 = 0;
		return;
	}
	if (r->pf0 == 0)
		return;
	base = r->foff[r->pf0];
	memmove(r->arena.data, r->arena.data + base, r->arena.len - base);
	r->arena.len -= base;
	for (i = r->pf0; i < r->nf; i++) {
		r->foff[i - r->pf0] = r->foff[i] - base;
		r->flen[i - r->pf0] = r->flen[i];
	}
	r->nf -= r->pf0;
	r->pf0 = 0;
}

/* ---- delimiter detection ---- */

static const char sniff_cands[4] = { ',', ';', '\t', '|' };

/*
 * Fields per row with delimiter c over the first maxrows rows of
 * s[0..len), quotes respected, blank lines skipped; a last row without
 * its line end counts only at the end of input.  Returns the rows.
 */
static int sniff_rows(const char *s, size_t len, int at_eof, char c, int maxrows, int *counts)
{
	size_t i;
	int rows = 0, fields = 1, inq = 0, fstart = 1, any = 0;

	for (i = 0; i < len && rows < maxrows; i++) {
		char ch = s[i];

		if (inq) {
			if (ch == '"') {
				if (i + 1 < len && s[i + 1] == '"')
					i++;
				else
					inq = 0;
			}
			continue;
		}
		if (ch == '"' && fstart) {
			inq = 1;
			fstart = 0;
			any = 1;
		} else if (ch == c) {
			fields++;
			fstart = 1;
			any = 1;
		} else if (ch == '\n' || ch == '\r') {
			if (any)
				counts[rows++] = fields;
			if (ch == '\r' && i + 1 < len && s[i + 1] == '\n')
				i++;
			fields = 1;
			fstart = 1;
			any = 0;
		} else {
			fstart = 0;
			any = 1;
		}
	}
	if (at_eof && any && i >= len && rows < maxrows)
		counts[rows++] = fields;
	return rows;
}

static const char *delim_name(char c)
{
	return c == '\t' ? "TAB" : c == ',' ? "','" : c == ';' ? "';'" : "'|'";
}

void lk_csv_sniff(const char *text, size_t len, int at_eof, int maxrows, const char *name,
		  lk_dialect *d)
{
	int *counts, rows[4], head[4], match[4], used[4], i, k, best = -1, tie = -1;
	size_t nl = name ? strlen(name) : 0;
	int tsv = nl >= 4 && (!strcasecmp(name + nl - 4, ".tsv") || !strcasecmp(name + nl - 4, ".tab"));
	int anyused = 0;

	memset(d, 0, sizeof *d);
	d->delim = ',';
	d->sure = 1;
	d->detected = 1;
	if (maxrows < 1)
		maxrows = 1;
	if (!(counts = malloc((size_t)maxrows * sizeof *counts))) {
		d->sure = 0;
		snprintf(d->why, sizeof d->why, "out of memory");
		return;
	}
	for (k = 0; k < 4; k++) {
		rows[k] = sniff_rows(text ? text : "", text ? len : 0, at_eof, sniff_cands[k],
				     maxrows, counts);
		head[k] = rows[k] ? counts[0] : 0;
		match[k] = used[k] = 0;
		for (i = 0; i < rows[k]; i++) {
			match[k] += counts[i] == head[k];
			used[k] |= counts[i] > 1;
		}
		anyused |= used[k];
	}
	free(counts);
	d->rows = rows[0];
	if (rows[0] == 0) {
		snprintf(d->why, sizeof d->why, "empty input");
		return;
	}
	for (k = 0; k < 4; k++) {
		/* The header splits, and (nearly) every row as it does. */
		if (head[k] < 2 || match[k] * 10 < rows[k] * 9)
			continue;
		if (best < 0 || head[k] > head[best] ||
		    (head[k] == head[best] && match[k] > match[best])) {
			best = k;
			tie = -1;
		} else if (head[k] == head[best] && match[k] == match[best]) {
			if (tsv && sniff_cands[k] == '\t') {
				tie = -1;
				best = k;
			} else if (!(tsv && sniff_cands[best] == '\t') && tie < 0) {
				tie = k;
			}
		}
	}
	if (best < 0) {
		/* Ragged rows, but only one candidate occurs at all: there
		 * is nothing else it could be. */
		for (k = 0, i = -1; k < 4; k++)
			if (used[k])
				i = i == -1 ? k : -2;
		if (i >= 0) {
			d->delim = sniff_cands[i];
			d->fields = head[i];
			d->rows = rows[i];
			d->matching = match[i];
			snprintf(d->why, sizeof d->why, "the only candidate in use: %d field%s in "
				 "the header, as many in %d of the first %d rows", head[i],
				 head[i] == 1 ? "" : "s", match[i], rows[i]);
			return;
		}
		d->fields = 1;
		d->matching = rows[0];
		if (!anyused) {
			snprintf(d->why, sizeof d->why, "one column: no ',' ';' TAB or '|' outside "
				 "quotes in the first %d rows", rows[0]);
			return;
		}
		d->sure = 0;
		snprintf(d->why, sizeof d->why, "no delimiter gives the header's number of "
			 "fields in the first %d rows", rows[0]);
		return;
	}
	d->delim = sniff_cands[best];
	d->fields = head[best];
	d->rows = rows[best];
	d->matching = match[best];
	if (tie >= 0) {
		d->sure = 0;
		if (match[best] == rows[best])
			snprintf(d->why, sizeof d->why, "%s and %s both give %d fields in each of "
				 "the %d rows", delim_name(sniff_cands[best]),
				 delim_name(sniff_cands[tie]), head[best], rows[best]);
		else
			snprintf(d->why, sizeof d->why, "%s and %s both give %d fields in %d of the "
				 "first %d rows", delim_name(sniff_cands[best]),
				 delim_name(sniff_cands[tie]), head[best], match[best], rows[best]);
		return;
	}
	if (rows[best] == 1)
		snprintf(d->why, sizeof d->why, "%d fields in the header, the only row", head[best]);
	else if (match[best] == rows[best])
		snprintf(d->why, sizeof d->why, "%d fields in each of the %s%d rows", head[best],
			 at_eof && rows[best] < maxrows ? "" : "first ", rows[best]);
	else
		snprintf(d->why, sizeof d->why, "%d fields in %d of the first %d rows", head[best],
			 match[best], rows[best]);
}

const lk_dialect *lk_reader_dialect(const lk_reader *r)
{
	return &r->dialect;
}

/* How many line ends the text not yet fed holds, up to `max`. */
static int lines_ahead(const lk_reader *r, int max)
{
	const char *p = r->in.data ? r->in.data + r->in_pos : NULL, *e;
	int n = 0;

	if (!p)
		return 0;
	e = r->in.data + r->in.len;
	while (n < max && p < e && (p = memchr(p, r->eol, (size_t)(e - p)))) {
		p++;
		n++;
	}
	return n;
}

/* Read until the rows to judge are in (or the input ends), then choose
 * the delimiter. */
static int sniff(lk_reader *r, lk_err *err)
{
	r->sniffing = 0;
	while (!r->eof && lines_ahead(r, r->opt.detect) < r->opt.detect &&
	       r->in.len - r->in_pos < (1u << 20))
		if (fill(r, err) < 0)
			return -1;
	lk_csv_sniff(r->in.data ? r->in.data + r->in_pos : "", r->in.len - r->in_pos, r->eof,
		     r->opt.detect, r->opt.name, &r->dialect);
	r->opt.delim = r->dialect.delim;
	csv_set_delim(&r->p, (unsigned char)r->opt.delim);
	return 0;
}

int lk_reader_next(lk_reader *r, lk_row **rowp, lk_err *err)
{
	struct lk_rec *rec;
	size_t i;

	if (r->hdr_pending) {
		r->hdr_pending = 0;
		*rowp = &r->hdr;
		return 1;
	}
	if (r->sniffing && sniff(r, err) < 0)
		return -1;
	while (r->qi == r->qn) {
		char *s, *nl;
		size_t avail;

		compact(r);
		s = r->in.data ? r->in.data + r->in_pos : NULL;
		avail = r->in.len - r->in_pos;
		if (avail && (nl = memchr(s, r->eol, avail))) {
			size_t n = (size_t)(nl - s) + 1;
			r->in_pos += n;
			if (feed(r, s, n, err) < 0)
				return -1;
			continue;
		}
		if (!r->eof) {
			/* Keep the partial line, drop what was consumed. */
			if (r->in_pos) {
				memmove(r->in.data, r->in.data + r->in_pos, avail);
				r->in.len = avail;
				r->in_pos = 0;
			}
			if (fill(r, err) < 0)
				return -1;
			continue;
		}
		if (r->finished)
			return 0;
		if (avail) {
			r->in_pos += avail;
			if (feed(r, s, avail, err) < 0)
				return -1;
		}
		r->finished = 1;
		if (r->p.pstate == LK_CSV_FIELD_BEGUN && r->p.quoted) {
			if (!r->cur_bad)
				r->cur_bad = "unterminated quoted field at end of input";
			/* The field swallowed the last line's newline: the
			 * record ends on the line after it. */
			if (r->last_nl) {
				r->line++;
				csv_fini(&r->p, on_field, on_row, r);
				r->line--;
			} else {
				csv_fini(&r->p, on_field, on_row, r);
			}
		} else {
			csv_fini(&r->p, on_field, on_row, r);
		}
		if (r->oom)
			return fail(r, err, LK_ENOMEM, r->line, "%s", "out of memory");
	}
	rec = &r->q[r->qi++];
	if (rec->nf > r->rowcap) {
		size_t cap = rec->nf * 2;
		char **f = realloc(r->row.f, cap * sizeof *f);
		size_t *l;
		if (!f)
			return fail(r, err, LK_ENOMEM, rec->line, "%s", "out of memory");
		r->row.f = f;
		l = realloc(r->row.len, cap * sizeof *l);
		if (!l)
			return fail(r, err, LK_ENOMEM, rec->line, "%s", "out of memory");
		r->row.len = l;
		r->rowcap = cap;
	}
	for (i = 0; i < rec->nf; i++) {
		r->row.f[i] = r->arena.data + r->foff[rec->f0 + i];
		r->row.len[i] = r->flen[rec->f0 + i];
	}
	r->row.n = (int)rec->nf;
	r->row.line = rec->line;
	r->row.nlines = rec->nlines;
	r->row.bad = rec->bad;
	r->row.record = rec->recno;
	if (rec->recno > 0)
		r->returned++;
	*rowp = &r->row;
	return 1;
}

/* ---- writer ---- */

struct lk_writer {
	int fd;
	char delim;
	int flush_rows;
	int infield;		/* a field was written on the current row */
	int nfields;
	size_t rowstart;
	int keyed;		/* escape \\, CR, LF: one row per line */
	lk_buf esc;
	lk_buf out;
	unsigned nparts;	/* --partition N, 0: off */
};

static int partition_line(lk_writer *w);

lk_writer *lk_writer_new(int fd, char delim, int flush_rows)
{
	lk_writer *w = calloc(1, sizeof *w);

	if (!w)
		return NULL;
	w->fd = fd;
	w->delim = delim ? delim : ',';
	w->flush_rows = flush_rows;
	if (lk_buf_grow(&w->out, LK_BLOCK + 1024) < 0) {
		free(w);
		return NULL;
	}
	return w;
}

void lk_writer_set_keyed(lk_writer *w, int keyed)
{
	w->keyed = keyed;
}

void lk_writer_set_flush(lk_writer *w, int flush_rows)
{
	w->flush_rows = flush_rows;
}

void lk_writer_free(lk_writer *w)
{
	if (!w)
		return;
	lk_buf_free(&w->out);
	lk_buf_free(&w->esc);
	free(w);
}


int lk_csv_quote(lk_buf *out, const char *s, size_t len, char delim)
{
	size_t i = 0;
	int need = 0;

	if (len >= 16) {
		/* Eight bytes at a time for long fields. */
		uint64_t bd = LK_ONES * (unsigned char)delim, bq = LK_ONES * '"';
		uint64_t bn = LK_ONES * '\n', br = LK_ONES * '\r';
		for (; i + 8 <= len; i += 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (has_byte(w, bd) | has_byte(w, bq) | has_byte(w, bn) | has_byte(w, br)) {
				need = 1;
				break;
			}
		}
	}
	/* Short fields (most of them) byte by byte, without a branch on the
	 * byte's value: text mixes spaces and letters too randomly for the
	 * branch predictor. */
	if (!need) {
		static const unsigned char fixed[256] = { ['"'] = 1, ['\n'] = 1, ['\r'] = 1 };
		const unsigned char *u = (const unsigned char *)s;
		unsigned char d = (unsigned char)delim;
		unsigned hit = 0;
		for (; i < len; i++)
			hit |= fixed[u[i]] | (u[i] == d);
		need = hit != 0;
	}
	if (!need)
		return lk_buf_add(out, s, len);
	if (lk_buf_grow(out, len + 2 + 16) < 0 || lk_buf_addc(out, '"') < 0)
		return -1;
	for (i = 0; i < len; i++) {
		const char *q = memchr(s + i, '"', len - i);
		size_t upto = q ? (size_t)(q - s) + 1 : len;
		if (lk_buf_add(out, s + i, upto - i) < 0)
			return -1;
		if (q && lk_buf_addc(out, '"') < 0)
			return -1;
		i = upto - 1;
	}
	return lk_buf_addc(out, '"');
}

int lk_writer_field(lk_writer *w, const char *s, size_t len)
{
	if (w->nfields == 0)
		w->rowstart = w->out.len;
	if (w->nfields++ && lk_buf_addc(&w->out, w->delim) < 0)
		return -1;
	if (w->keyed) {
		/* Quote first (the field's own newlines decide that), then
		 * escape the quoted text, which the reader unescapes whole. */
		size_t i;
		lk_buf_reset(&w->esc);
		if (lk_csv_quote(&w->esc, s, len, w->delim) < 0)
			return -1;
		for (i = 0; i < w->esc.len; i++) {
			char c = w->esc.data[i];
			if (c == '\\' || c == '\n' || c == '\r') {
				lk_buf_addc(&w->out, '\\');
				c = c == '\n' ? 'n' : c == '\r' ? 'r' : c;
			}
			if (lk_buf_addc(&w->out, c) < 0)
				return -1;
		}
		return 0;
	}
	return lk_csv_quote(&w->out, s, len, w->delim);
}

int lk_writer_raw(lk_writer *w, const char *s, size_t len)
{
	return lk_buf_add(&w->out, s, len);
}

int lk_writer_flush(lk_writer *w, lk_err *err)
{
	size_t off = 0;

	while (off < w->out.len) {
		ssize_t n = write(w->fd, w->out.data + off, w->out.len - off);
		if (n < 0) {
			int e = errno;
			if (e == EINTR)
				continue;
			lk_err_set(err, LK_EIO, "write error: %s", strerror(e));
			if (e == EPIPE)
				lk_err_because(err, LK_EPIPE);
			lk_buf_reset(&w->out);
			errno = e;
			return -1;
		}
		off += (size_t)n;
	}
	lk_buf_reset(&w->out);
	return 0;
}

int lk_writer_end(lk_writer *w, lk_err *err)
{
	/* A row of one empty field would be a blank line, which readers skip. */
	if (w->nfields == 1 && w->out.len == w->rowstart &&
	    lk_buf_add(&w->out, "\"\"", 2) < 0)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	w->nfields = 0;
	if (lk_buf_addc(&w->out, '\n') < 0)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	if (w->nparts && partition_line(w) < 0)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	if (w->flush_rows || w->out.len >= LK_BLOCK)
		return lk_writer_flush(w, err);
	return 0;
}

/*
 * Is the row text s[0..n) plain: no quote, CR or LF, and exactly `ndelim`
 * delimiters (the ones between fields, so no field holds one)?  Then
 * every field is written as is.  The 16 bytes after s + n must be
 * readable and zero.  One pass over the whole row costs less than a
 * call per field, and most rows are plain.
 */
#if defined(__SSE2__)
static int row_plain(const char *s, size_t n, char delim, size_t ndelim)
{
	const __m128i q = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n');
	const __m128i cr = _mm_set1_epi8('\r'), d = _mm_set1_epi8(delim);
	const __m128i zero = _mm_setzero_si128();
	__m128i acc = zero, sum = zero;
	size_t i, k = 0;

	for (i = 0; i < n; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i sp = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, q),
						       _mm_cmpeq_epi8(x, lf)),
					  _mm_cmpeq_epi8(x, cr));
		if (_mm_movemask_epi8(sp))
			return 0;
		/* Count delimiters per byte lane (a match is -1); fold
		 * the lanes before any of them can pass 255. */
		acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(x, d));
		if (++k == 255) {
			sum = _mm_add_epi64(sum, _mm_sad_epu8(acc, zero));
			acc = zero;
			k = 0;
		}
	}
	sum = _mm_add_epi64(sum, _mm_sad_epu8(acc, zero));
	return (size_t)_mm_cvtsi128_si32(sum) +
	       (size_t)_mm_cvtsi128_si32(_mm_unpackhi_epi64(sum, sum)) == ndelim;
}

/* Does the field s[0..n) of a row that row_plain() refused need no
 * quotes?  Reads up to 15 bytes past the field, inside the same row
 * or its zeroed tail. */
static int field_plain(const char *s, size_t n, char delim)
{
	const __m128i q = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n');
	const __m128i cr = _mm_set1_epi8('\r'), d = _mm_set1_epi8(delim);
	size_t i;

	for (i = 0; i < n; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, q), _mm_cmpeq_epi8(x, lf)),
				     _mm_or_si128(_mm_cmpeq_epi8(x, cr), _mm_cmpeq_epi8(x, d))));
		if (n - i < 16)
			m &= (1u << (n - i)) - 1;
		if (m)
			return 0;
	}
	return 1;
}
#else
static int row_plain(const char *s, size_t n, char delim, size_t ndelim)
{
	const uint64_t bd = LK_ONES * (unsigned char)delim, bq = LK_ONES * '"';
	const uint64_t bn = LK_ONES * '\n', br = LK_ONES * '\r';
	const uint64_t lows = ~LK_HIGHS;
	size_t i, count = 0;

	for (i = 0; i < n; i += 8) {
		uint64_t x, z;
		memcpy(&x, s + i, 8);
		if (has_byte(x, bq) | has_byte(x, bn) | has_byte(x, br))
			return 0;
		/* Exact per-byte test for the delimiter (has_byte may
		 * flag the byte after a match too), then a sum of bytes. */
		x ^= bd;
		z = ~(((x & lows) + lows) | x | lows);
		count += (size_t)(((z >> 7) * LK_ONES) >> 56);
	}
	return count == ndelim;
}

static int field_plain(const char *s, size_t n, char delim)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '"' || s[i] == '\n' || s[i] == '\r' || s[i] == delim)
			return 0;
	return 1;
}
#endif

int lk_writer_row(lk_writer *w, const char *const *f, const size_t *len, int n,
		  lk_err *err)
{
	size_t total = (size_t)n + 1;
	int i;

	if (w->keyed || !len || w->nfields) {
		for (i = 0; i < n; i++)
			if (lk_writer_field(w, f[i], len ? len[i] : strlen(f[i])) < 0)
				return lk_err_set(err, LK_ENOMEM, "out of memory");
		if (n == 0)
			w->nfields = 0;
		return lk_writer_end(w, err);
	}
	/* The common case, a whole row at once: room for it unquoted is made
	 * once and the fields are copied straight; when the copy turns out
	 * to need quotes (a few rows do), the row is written again field by
	 * field with quoting. */
	for (i = 0; i < n; i++)
		total += len[i];
	if (lk_buf_grow(&w->out, total + 2 + 16) < 0)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	w->rowstart = w->out.len;
	{
		char *o = w->out.data + w->out.len;
		/* Fields that lie one after another with one byte between
		 * (a reader's row, passed through) are copied as one run,
		 * then the bytes between them become delimiters. */
		for (i = 0; i < n;) {
			int j = i + 1;
			size_t run = len[i];
			char *at = o;
			while (j < n && f[j] == f[j - 1] + len[j - 1] + 1)
				run += len[j++] + 1;
			if (run)
				memcpy(o, f[i], run);
			for (; i < j - 1; i++) {
				at += len[i];
				*at++ = w->delim;
			}
			o += run;
			if (++i < n)
				*o++ = w->delim;
		}
		memset(o, 0, 16);
		if (row_plain(w->out.data + w->rowstart, (size_t)(o - w->out.data) - w->rowstart,
			      w->delim, n ? (size_t)n - 1 : 0)) {
			w->out.len = (size_t)(o - w->out.data);
			w->nfields = n;
			return lk_writer_end(w, err);
		}
	}
	/* Keep the copied fields before the first one that needs quotes;
	 * quote from there on. */
	{
		const char *row = w->out.data + w->rowstart;
		size_t at = 0;
		int first;
		for (first = 0; first < n && field_plain(row + at, len[first], w->delim); first++)
			at += len[first] + 1;
		w->out.len = w->rowstart + at;
		for (i = first; i < n; i++) {
			if (i > first)
				w->out.data[w->out.len++] = w->delim;
			if (lk_csv_quote(&w->out, f[i], len[i], w->delim) < 0)
				return lk_err_set(err, LK_ENOMEM, "out of memory");
		}
	}
	w->nfields = n;
	return lk_writer_end(w, err);
}

/* ---- partitioned keyed output (see lk_writer_set_partition) ---- */

void lk_writer_set_partition(lk_writer *w, unsigned nparts)
{
	w->nparts = nparts;
}

/* Prefix the line just ended with its partition, or copy a header line
 * to every partition.  Keyed lines hold no raw newline, so the line
 * starts after the last one before it. */
static int partition_line(lk_writer *w)
{
	char *d = w->out.data, pre[16];
	size_t end = w->out.len, start = end - 1, klen, idlen, len, plen;
	const char *tab, *sep;
	unsigned p, first, last;

	while (start > 0 && d[start - 1] != '\n')
		start--;
	len = end - start;
	tab = memchr(d + start, '\t', len);
	klen = tab ? (size_t)(tab - (d + start)) : len - 1;
	sep = memchr(d + start, '\x1f', klen);
	idlen = sep ? (size_t)(sep - (d + start)) : klen;
	if (idlen) {
		first = last = (unsigned)(lk_fnv1a(d + start, idlen) % w->nparts);
	} else if (klen == 2 && d[start + 1] == '2') {
		first = last = 0;	/* a lead without a key joins nothing */
	} else {
		first = 0;		/* a header line: one per partition */
		last = w->nparts - 1;
	}
	for (p = first; p <= last; p++) {
		plen = (size_t)snprintf(pre, sizeof pre, "%u\t", p);
		if (p == first) {
			/* Shift the line right and prefix it in place. */
			if (lk_buf_grow(&w->out, plen + (last - first) * (len + plen) + 16) < 0)
				return -1;
			d = w->out.data;
			memmove(d + start + plen, d + start, len);
			memcpy(d + start, pre, plen);
			w->out.len += plen;
			continue;
		}
		if (lk_buf_add(&w->out, pre, plen) < 0 ||
		    lk_buf_add(&w->out, w->out.data + start + plen, len) < 0)
			return -1;
	}
	return 0;
}
