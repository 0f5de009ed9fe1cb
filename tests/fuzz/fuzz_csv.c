/*
 * fuzz_csv.c - libFuzzer harness for the CSV/TSV reader and writer.
 *
 * The first input byte chooses the options (bit 0: TSV, bit 1:
 * check_utf8, bit 2: no_header, bit 3: Latin-1 input through iconv,
 * bit 4: a ';' delimiter, bit 5: also read with the delimiter
 * detected); the rest is the file, given to lk_reader through a memfd.
 * What must hold for any input:
 *   - every row has n >= 1 fields, record numbers count 0 (header), 1,
 *     2 ... (or from 1 without a header), lines start at 1 and never go
 *     back, nlines >= 1;
 *   - every field is NUL-terminated at len, and a field holding a NUL
 *     byte marks its row bad;
 *   - lk_reader_records() agrees with the rows returned at the end;
 *   - the writer takes every row; when nothing was malformed, reading
 *     the writer's output back gives the same fields.
 * A broken invariant aborts, which libFuzzer reports with the input.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/csvio.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* A descriptor reading the given bytes from its start. */
static int mem_fd(const void *data, size_t n)
{
	int fd = memfd_create("fuzz", 0);

	if (fd < 0) {
		FILE *f = tmpfile();
		if (!f)
			abort();
		fd = dup(fileno(f));
		fclose(f);
	}
	CHECK(fd >= 0);
	if (n)
		CHECK(write(fd, data, n) == (ssize_t)n);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	return fd;
}

/* All fields of all rows, each as length + bytes, for comparison. */
struct dump {
	char *p;
	size_t n, cap;
};

static void put(struct dump *d, const void *s, size_t n)
{
	if (d->cap - d->n < n) {
		while (d->cap - d->n < n)
			d->cap = d->cap ? d->cap * 2 : 4096;
		d->p = realloc(d->p, d->cap);
		CHECK(d->p != NULL);
	}
	memcpy(d->p + d->n, s, n);
	d->n += n;
}

static void put_row(struct dump *d, const lk_row *r)
{
	int i;

	put(d, &r->n, sizeof r->n);
	for (i = 0; i < r->n; i++) {
		put(d, &r->len[i], sizeof r->len[i]);
		put(d, r->f[i], r->len[i]);
	}
}

/* Read everything from fd, checking the invariants; optionally write
 * each row to `w` and collect the fields in `d`.  Returns 1 when every
 * row was well-formed and reading ended cleanly. */
static int read_all(int fd, const lk_csvopt *opt, lk_writer *w, struct dump *d)
{
	lk_err e;
	lk_reader *r = lk_reader_new(fd, opt, &e);
	lk_row *row;
	long want = opt->no_header ? 1 : 0, last_line = 0, rows = 0;
	int rc, clean = 1, i;

	if (!r)
		return 0;	/* e.g. iconv unavailable for the encoding */
	while ((rc = lk_reader_next(r, &row, &e)) == 1) {
		CHECK(row->n >= 1);
		CHECK(row->record == want);
		want++;
		CHECK(row->line >= 1);
		/* Not strictly: a lone CR ends a record but is not counted
		 * as a line (reported; see the csvio owner). */
		CHECK(row->line >= last_line);
		CHECK(row->nlines >= 1);
		last_line = row->line;
		for (i = 0; i < row->n; i++) {
			CHECK(row->f[i] != NULL);
			CHECK(row->f[i][row->len[i]] == '\0');
			if (memchr(row->f[i], '\0', row->len[i]))
				CHECK(row->bad != NULL);
		}
		if (row->record > 0)
			rows++;
		/* Records parsed so far: ahead of the rows returned while a
		 * batch is being handed out (reported: the header says
		 * "returned"), equal at the end. */
		CHECK(lk_reader_records(r) >= rows);
		CHECK(lk_reader_lines(r) >= row->line);
		if (row->bad)
			clean = 0;
		if (w) {
			CHECK(lk_writer_row(w, (const char *const *)row->f, row->len, row->n, &e) == 0);
		}
		if (d)
			put_row(d, row);
	}
	CHECK(rc == 0 || rc == -1);
	if (rc < 0)
		clean = 0;
	else
		CHECK(lk_reader_records(r) == rows);
	lk_reader_free(r);
	return clean;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lk_csvopt opt;
	struct dump a = { 0 }, b = { 0 };
	lk_writer *w;
	lk_err e;
	int fd, out, clean, detect;
	char delim;

	if (size < 1)
		return 0;
	detect = (data[0] >> 5) & 1;
	memset(&opt, 0, sizeof opt);
	delim = data[0] & 1 ? '\t' : data[0] & 16 ? ';' : ',';
	opt.delim = delim;
	opt.check_utf8 = (data[0] >> 1) & 1;
	opt.no_header = (data[0] >> 2) & 1;
	opt.encoding = data[0] & 8 ? "ISO-8859-1" : NULL;
	opt.name = "fuzz.csv";
	data++;
	size--;

	/* Read, and write every row to a second memfd. */
	fd = mem_fd(data, size);
	out = mem_fd("", 0);
	w = lk_writer_new(out, delim, (size & 1) != 0);
	CHECK(w != NULL);
	clean = read_all(fd, &opt, w, &a);
	CHECK(lk_writer_flush(w, &e) == 0);
	lk_writer_free(w);
	close(fd);

	/* Canonical output reads back to the same fields.  Skipped when the
	 * output itself begins like a byte order mark: the reader strips a
	 * UTF-8 BOM and transcodes UTF-16 by its BOM, as it should. */
	if (clean) {
		unsigned char head[3] = { 0, 0, 0 };
		lk_csvopt o2;
		ssize_t k;

		CHECK(lseek(out, 0, SEEK_SET) == 0);
		k = read(out, head, sizeof head);
		CHECK(k >= 0);
		if (!(k >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) &&
		    !(k >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) ||
				 (head[0] == 0xFE && head[1] == 0xFF)))) {
			CHECK(lseek(out, 0, SEEK_SET) == 0);
			o2 = opt;
			o2.encoding = NULL;	/* the writer writes UTF-8 */
			CHECK(read_all(out, &o2, NULL, &b) == 1);
			CHECK(a.n == b.n);
			CHECK(a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
		}
	}
	close(out);
	free(a.p);
	free(b.p);

	/* The same bytes to a writer on /dev/null, flushing per row. */
	fd = mem_fd(data, size);
	out = open("/dev/null", O_WRONLY);
	if (out >= 0) {
		w = lk_writer_new(out, delim, 1);
		read_all(fd, &opt, w, NULL);
		CHECK(lk_writer_flush(w, &e) == 0);
		lk_writer_free(w);
		close(out);
	}
	close(fd);

	/* The delimiter detected, judged on 1 to 60 rows. */
	if (detect) {
		lk_csvopt o3 = opt;
		const lk_dialect *d;
		lk_reader *r;
		lk_row *row;

		o3.detect = 1 + (int)(size % 60);
		fd = mem_fd(data, size);
		r = lk_reader_new(fd, &o3, &e);
		if (r) {
			while (lk_reader_next(r, &row, &e) > 0)
				CHECK(row->n >= 1);
			d = lk_reader_dialect(r);
			CHECK(d->delim && strchr(",;\t|", d->delim));
			CHECK(!d->detected || (d->rows <= o3.detect && d->matching <= d->rows));
			CHECK(!d->sure || d->fields >= 1 || d->rows == 0);
			lk_reader_free(r);
		}
		close(fd);
	}
	return 0;
}
