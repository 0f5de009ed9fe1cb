/*
 * csvio.h - streaming CSV/TSV reader and writer over libcsv.
 *
 * Reader.  Reads a file descriptor with read(2) in 64 KiB blocks (so a
 * pipe's rows come out as soon as they arrive), strips a UTF-8 BOM,
 * transcodes UTF-16 (by BOM) or a named encoding through iconv, accepts
 * LF, CRLF and mixed line ends, quoted newlines, skips blank lines, and
 * keeps leading and trailing spaces.  Every row carries its record
 * number (header = 0, first data row = 1) and the physical line it
 * starts on.  A malformed row is still returned, with a `bad` reason,
 * so the caller can reject it without losing it.  The delimiter is
 * given (lk_csvopt.delim) or detected on the first rows
 * (lk_csvopt.detect, lk_csv_sniff); lk_reader_dialect says which and
 * why.
 *
 * Ownership: the reader owns each row's memory until the next call to
 * lk_reader_next() or lk_reader_free(); a caller that keeps a field
 * copies it.  Fields are NUL-terminated, and `len` gives the true
 * length (a field may contain NUL bytes; the row is then marked bad).
 *
 * Writer.  Buffers output and writes with write(2); minimal quoting (a
 * field is quoted only when it holds the delimiter, a quote, CR or LF);
 * LF line ends; no BOM.  Write errors are returned, never ignored.
 */
#ifndef LK_CSVIO_H
#define LK_CSVIO_H

#include <stddef.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
/* The atomic output files (lk_outfile) every writer's caller uses. */
#include "core/outfile.h"

/* One record.  Owned by the reader; see above. */
typedef struct lk_row {
	int n;			/* number of fields */
	char **f;		/* n NUL-terminated fields */
	size_t *len;		/* n field lengths in bytes */
	long record;		/* 1-based data record number; header is 0 */
	long line;		/* physical line the record starts on, 1-based */
	long nlines;		/* physical lines it spans */
	const char *bad;	/* NULL, or why the row is malformed (static text) */
} lk_row;

/*
 * Field `col` of `in` and its length; "" (length 0) when the row has no
 * such column (col < 0 for a column the header lacks, or a short row).
 * The pointer is the row's own memory: the reader's rule applies.
 */
static inline const char *lk_row_field(const lk_row *in, int col, size_t *len)
{
	if (col < 0 || col >= in->n) {
		*len = 0;
		return "";
	}
	*len = in->len ? in->len[col] : strlen(in->f[col]);
	return in->f[col];
}

/* Index of the column `name` among a header's n names, or -1. */
int lk_header_index(const char *const *names, int n, const char *name);

typedef struct lk_csvopt {
	char delim;		/* ',' by default (0 means ','), '\t' for TSV */
	int detect;		/* > 0: the delimiter is not given: judge it on up
				 * to this many rows (header included), see
				 * lk_csv_sniff; delim is then ignored.  Not for
				 * keyed input (always ',').  With header_from,
				 * the header file decides. */
	const char *encoding;	/* NULL: UTF-8 (UTF-16 by BOM); else an iconv name */
	int check_utf8;		/* 1: invalid UTF-8 is an error naming the line */
	int no_header;		/* 1: the first row is data, not a header */
	const char *name;	/* file name for messages ("-" or NULL: stdin) */
	int keyed;		/* 1: lines are KEY<TAB>ROW as --emit-key writes them
				 * (see lk_writer_set_keyed): the key is dropped,
				 * the row unescaped, and header lines after the
				 * first (one per mapper) are skipped */
	const char *header_from; /* a split without its header (Hadoop
				 * Streaming): the header is the first record
				 * of this file, read with the same delimiter
				 * and encoding, and returned as record 0; every
				 * record of the input is data (no_header is
				 * ignored).  With keyed, the input's own header
				 * lines (empty key) are all skipped. */
} lk_csvopt;

typedef struct lk_reader lk_reader;

/* Start reading `fd` (not closed by the reader).  NULL on ENOMEM, a bad
 * encoding name, or a header_from file that cannot be read or is empty,
 * with the reason in err. */
lk_reader *lk_reader_new(int fd, const lk_csvopt *opt, lk_err *err);

/*
 * Next record: returns 1 and sets *row, 0 at end of input, -1 on an
 * error that stops reading (I/O error, invalid UTF-8, bad encoding),
 * with err filled including record and line (and the cause LK_EUTF8 for
 * input that is not valid UTF-8).  Unless opt.no_header, the
 * first call returns the header row (record 0); a UTF-8 BOM never
 * reaches it.
 */
int lk_reader_next(lk_reader *r, lk_row **row, lk_err *err);

/*
 * Delimiter detection.  Each of ',' ';' TAB '|' is tried on the first
 * rows of the text, quotes respected (a quoted field may hold any of
 * them, and newlines): the delimiter is the one that splits the header
 * into two or more fields and (nearly) every row into as many; of
 * several such, the one giving the most fields.  A file with no
 * candidate outside quotes has one column (sure, ',').  A name ending
 * in .tsv or .tab prefers TAB when TAB fits as well as another; it is
 * a hint, not a rule.  A detection that is not sure (no candidate
 * fits, or two fit equally) chooses ','.
 */
typedef struct lk_dialect {
	char delim;		/* the delimiter chosen */
	int sure;		/* 0: a guess; ',' by default */
	int detected;		/* 1: detected, 0: given (-d, -t) */
	int fields;		/* fields of the header with it */
	int rows;		/* rows judged, header included */
	int matching;		/* of those, rows with as many fields */
	char why[200];		/* for --show-mapping and warnings:
				 * "12 fields in each of the first 50 rows" */
} lk_dialect;

/* Judge `len` bytes of text (the start of a file; `at_eof`: all of it)
 * on up to `maxrows` rows; `name` (may be NULL) gives the hint. */
void lk_csv_sniff(const char *text, size_t len, int at_eof, int maxrows, const char *name,
		  lk_dialect *d);

/* How the reader's delimiter was chosen, once the first row is read
 * (before: the delimiter given, or ',').  Owned by the reader. */
const lk_dialect *lk_reader_dialect(const lk_reader *r);

/* Physical lines consumed so far (for summaries). */
long lk_reader_lines(const lk_reader *r);
/* Records returned so far, header excluded. */
long lk_reader_records(const lk_reader *r);
void lk_reader_free(lk_reader *r);

typedef struct lk_writer lk_writer;

/* Write to `fd` (not closed by the writer); `flush_rows`: write(2) after
 * every row, for streaming. */
lk_writer *lk_writer_new(int fd, char delim, int flush_rows);

/* Write one row of n fields; len may be NULL (fields are C strings). */
int lk_writer_row(lk_writer *w, const char *const *f, const size_t *len, int n, lk_err *err);
/* Append one field to the row being built; end it with lk_writer_end(). */
int lk_writer_field(lk_writer *w, const char *s, size_t len);
int lk_writer_end(lk_writer *w, lk_err *err);
/* Append raw bytes (no quoting), e.g. a key and a tab before a row. */
int lk_writer_raw(lk_writer *w, const char *s, size_t len);
/* Write out buffered bytes.  Returns -1 with err on a write error;
 * errno is kept, and a closed pipe (EPIPE) has the cause LK_EPIPE. */
int lk_writer_flush(lk_writer *w, lk_err *err);
/*
 * Keyed output for a MapReduce shuffle: every row must be one line, so
 * a backslash, CR or LF inside a field is written as \\, \r or \n.  A
 * reader with lk_csvopt.keyed undoes it.  Call before the first row.
 */
void lk_writer_set_keyed(lk_writer *w, int keyed);
/*
 * Partitioned keyed output (--partition N): every line KEY<TAB>ROW is
 * written as P<TAB>KEY<TAB>ROW, P in decimal, 0 <= P < nparts:
 *
 *   ID = KEY up to its first 0x1f byte (all of KEY when there is none)
 *   P  = lk_fnv1a(ID) mod nparts   (64-bit FNV-1a over the bytes of ID)
 *
 * so a key's lines, and a lead with its activities (activity.h), land in
 * one partition on every machine.  A line with an empty ID is a header
 * line (key "" or 0x1f '1') and is written once to every partition,
 * except a lead with no usable key (0x1f '2'), which goes to partition 0.
 * Each partition is then a complete keyed stream: `grep '^P<TAB>' |
 * cut -f2-` gives it back.  0 turns it off.  Call before the first row,
 * on a keyed writer.
 */
void lk_writer_set_partition(lk_writer *w, unsigned nparts);
/* Set or change per-row flushing. */
void lk_writer_set_flush(lk_writer *w, int flush_rows);
/* Frees without flushing; call lk_writer_flush first. */
void lk_writer_free(lk_writer *w);

/* Append one field to `out` with minimal quoting for `delim`. */
int lk_csv_quote(lk_buf *out, const char *s, size_t len, char delim);

#endif
