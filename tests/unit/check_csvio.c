/* Unit tests for lib/csvio: the reader against csv-spectrum and the data
 * contract's edge cases, the writer's minimal quoting, atomic outputs. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "core/csvio.h"

/* A file descriptor reading the given bytes (a temporary file). */
static int mem_fd(const void *data, size_t n)
{
	FILE *f = tmpfile();
	int fd;

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	fflush(f);
	fd = dup(fileno(f));
	fclose(f);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static lk_reader *open_str(const char *s, size_t n, const lk_csvopt *opt)
{
	lk_err e;
	lk_reader *r = lk_reader_new(mem_fd(s, n), opt, &e);

	ck_assert_ptr_nonnull(r);
	return r;
}

#define OPEN(lit, opt) open_str(lit, sizeof(lit) - 1, opt)

static lk_row *next_row(lk_reader *r)
{
	lk_row *row = NULL;
	lk_err e;
	int rc = lk_reader_next(r, &row, &e);

	ck_assert_msg(rc == 1, "expected a row, got %d (%s)", rc, e.msg);
	return row;
}

static void expect_end(lk_reader *r)
{
	lk_row *row;
	lk_err e;

	ck_assert_int_eq(lk_reader_next(r, &row, &e), 0);
}

/* --- a very small JSON reader for csv-spectrum's array of string objects --- */

static const char *json_str(const char *p, lk_buf *out)
{
	lk_buf_reset(out);
	ck_assert_int_eq(*p, '"');
	for (p++; *p != '"'; p++) {
		if (*p == '\\') {
			p++;
			switch (*p) {
			case 'n': lk_buf_addc(out, '\n'); break;
			case 'r': lk_buf_addc(out, '\r'); break;
			case 't': lk_buf_addc(out, '\t'); break;
			case 'u': {
				unsigned cp;
				sscanf(p + 1, "%4x", &cp);
				p += 4;
				if (cp < 0x80) {
					lk_buf_addc(out, (int)cp);
				} else if (cp < 0x800) {
					lk_buf_addc(out, (int)(0xC0 | (cp >> 6)));
					lk_buf_addc(out, (int)(0x80 | (cp & 0x3F)));
				} else {
					lk_buf_addc(out, (int)(0xE0 | (cp >> 12)));
					lk_buf_addc(out, (int)(0x80 | ((cp >> 6) & 0x3F)));
					lk_buf_addc(out, (int)(0x80 | (cp & 0x3F)));
				}
				break;
			}
			default: lk_buf_addc(out, *p);
			}
		} else {
			lk_buf_addc(out, *p);
		}
	}
	return p + 1;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	lk_buf b = LK_BUF_INIT;
	char tmp[4096];
	size_t k;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
		lk_buf_add(&b, tmp, k);
	fclose(f);
	*n = b.len;
	return lk_buf_detach(&b);
}

static const char *spectrum[] = {
	"comma_in_quotes", "empty", "empty_crlf", "escaped_quotes", "json",
	"location_coordinates", "newlines", "newlines_crlf",
	"quotes_and_newlines", "simple", "simple_crlf", "utf8",
};

/* Every csv-spectrum case reads to exactly the values of its JSON, in
 * header order (the JSON objects list keys in header order). */
START_TEST(reads_csv_spectrum)
{
	const char *name = spectrum[_i];
	char path[512];
	size_t jn;
	char *json;
	const char *p;
	lk_csvopt opt = { 0 };
	lk_reader *r;
	lk_err e;
	lk_row *hdr, *row;
	lk_buf key = LK_BUF_INIT, val = LK_BUF_INIT;
	char **names;
	int i, nh, fd, single, records = 0;

	snprintf(path, sizeof path, "csv-spectrum/csvs/%s.csv", name);
	opt.check_utf8 = 1;
	fd = open(lk_test_data(path), O_RDONLY);
	ck_assert_int_ge(fd, 0);
	r = lk_reader_new(fd, &opt, &e);
	ck_assert_ptr_nonnull(r);
	snprintf(path, sizeof path, "csv-spectrum/json/%s.json", name);
	json = slurp(lk_test_data(path), &jn);
	hdr = next_row(r);
	nh = hdr->n;
	names = calloc((size_t)nh, sizeof *names);
	for (i = 0; i < nh; i++)
		names[i] = strdup(hdr->f[i]);
	/* Most cases hold an array of objects; location_coordinates holds one
	 * bare object. */
	p = json + strspn(json, " \t\r\n");
	single = *p == '{';
	if (!single)
		p++;
	for (;;) {
		p += strspn(p, " \t\r\n,");
		if (*p == ']' || *p == '\0')
			break;
		ck_assert_int_eq(*p, '{');
		p++;
		row = next_row(r);
		ck_assert_int_eq(row->n, nh);
		records++;
		for (i = 0; i < nh; i++) {
			p += strspn(p, " \t\r\n,");
			p = json_str(p, &key);
			ck_assert_str_eq(key.data, names[i]);
			p += strspn(p, " \t\r\n:");
			p = json_str(p, &val);
			/* Upstream's location_coordinates.json gives the phone as
			 * "1234567890" while its CSV holds 2095257564: the JSON
			 * is wrong there, so that one cell is checked against the
			 * CSV bytes. */
			if (!strcmp(name, "location_coordinates") &&
			    !strcmp(key.data, "Contact Phone Number")) {
				ck_assert_str_eq(val.data, "1234567890");
				lk_buf_reset(&val);
				lk_buf_adds(&val, "2095257564");
			}
			ck_assert_uint_eq(row->len[i], val.len);
			ck_assert_int_eq(memcmp(row->f[i], lk_buf_str(&val), val.len), 0);
		}
		p += strspn(p, " \t\r\n");
		ck_assert_int_eq(*p, '}');
		p++;
		if (single)
			break;
	}
	ck_assert_int_gt(records, 0);
	expect_end(r);
	for (i = 0; i < nh; i++)
		free(names[i]);
	free(names);
	free(json);
	lk_buf_free(&key);
	lk_buf_free(&val);
	close(fd);
	lk_reader_free(r);
}
END_TEST

START_TEST(strips_bom_and_keeps_spaces)
{
	lk_reader *r = OPEN("\xEF\xBB\xBFname, x \r\n  Ann  ,\t1\t\r\n", NULL);
	lk_row *row = next_row(r);

	ck_assert_int_eq(row->record, 0);
	ck_assert_str_eq(row->f[0], "name");
	ck_assert_str_eq(row->f[1], " x ");
	row = next_row(r);
	ck_assert_int_eq(row->record, 1);
	ck_assert_str_eq(row->f[0], "  Ann  ");
	ck_assert_str_eq(row->f[1], "\t1\t");
	expect_end(r);
	lk_reader_free(r);
}
END_TEST

/* Physical lines: blank lines skipped but counted, quoted newlines span. */
START_TEST(counts_physical_lines)
{
	lk_reader *r = OPEN("a,b\n\n1,\"x\ny\nz\"\r\n\r\n\n2,3\n4,5", NULL);
	lk_row *row = next_row(r);

	ck_assert_int_eq(row->line, 1);
	row = next_row(r);
	ck_assert_int_eq(row->record, 1);
	ck_assert_int_eq(row->line, 3);
	ck_assert_int_eq(row->nlines, 3);
	ck_assert_str_eq(row->f[1], "x\ny\nz");
	row = next_row(r);
	ck_assert_int_eq(row->record, 2);
	ck_assert_int_eq(row->line, 8);
	row = next_row(r);		/* no final newline */
	ck_assert_int_eq(row->record, 3);
	ck_assert_int_eq(row->line, 9);
	ck_assert_str_eq(row->f[1], "5");
	expect_end(r);
	ck_assert_int_eq(lk_reader_records(r), 3);
	lk_reader_free(r);
}
END_TEST

/* Records split without libcsv (well-formed quoting, fields over
 * several lines) and with it (a quote inside an unquoted field) read
 * the same: "" is one quote, a CR inside quotes is kept, a blank line
 * is no record, and lines are counted as libcsv's path counts them. */
START_TEST(splits_quoted_records)
{
	lk_reader *r = OPEN("a,b,c\n\"x \"\"q\"\"\",\"\",z\n1,\"two\nlines, here\",3\n"
			    "4,x\"y,5\n6,\"a\r\nb\",7\r\n\n,\n", NULL);
	lk_row *row = next_row(r);

	ck_assert_int_eq(row->n, 3);
	row = next_row(r);
	ck_assert_int_eq(row->n, 3);
	ck_assert_str_eq(row->f[0], "x \"q\"");
	ck_assert_int_eq(row->len[1], 0);
	ck_assert_str_eq(row->f[2], "z");
	ck_assert_int_eq(row->line, 2);
	row = next_row(r);
	ck_assert_str_eq(row->f[1], "two\nlines, here");
	ck_assert_int_eq(row->line, 3);
	ck_assert_int_eq(row->nlines, 2);
	row = next_row(r);
	ck_assert_str_eq(row->f[1], "x\"y");
	ck_assert_int_eq(row->line, 5);
	row = next_row(r);
	ck_assert_str_eq(row->f[1], "a\r\nb");
	ck_assert_str_eq(row->f[2], "7");
	ck_assert_int_eq(row->line, 6);
	ck_assert_int_eq(row->nlines, 2);
	row = next_row(r);
	ck_assert_int_eq(row->n, 2);
	ck_assert_int_eq(row->len[0] + row->len[1], 0);
	ck_assert_int_eq(row->line, 9);
	expect_end(r);
	lk_reader_free(r);
}
END_TEST

/* Old Mac line ends (a lone CR) count as physical lines too. */
START_TEST(counts_lone_cr_lines)
{
	lk_reader *r = OPEN("a,b\r1,\"x\ry\"\r\r2,3\r", NULL);
	lk_row *row = next_row(r);

	ck_assert_int_eq(row->line, 1);
	row = next_row(r);
	ck_assert_int_eq(row->line, 2);
	ck_assert_int_eq(row->nlines, 2);
	ck_assert_str_eq(row->f[1], "x\ry");
	row = next_row(r);
	ck_assert_int_eq(row->line, 5);
	ck_assert_str_eq(row->f[0], "2");
	expect_end(r);
	lk_reader_free(r);
}
END_TEST

START_TEST(flags_unterminated_quote)
{
	lk_reader *r = OPEN("a,b\n1,2\n3,\"open\n4,5\n", NULL);
	lk_row *row = next_row(r);

	row = next_row(r);
	ck_assert_ptr_null(row->bad);
	row = next_row(r);
	ck_assert_ptr_nonnull(row->bad);
	ck_assert_ptr_nonnull(strstr(row->bad, "unterminated"));
	ck_assert_int_eq(row->line, 3);
	ck_assert_str_eq(row->f[0], "3");
	ck_assert_str_eq(row->f[1], "open\n4,5\n");
	expect_end(r);
	lk_reader_free(r);
}
END_TEST

START_TEST(flags_nul_bytes)
{
	lk_reader *r = OPEN("a,b\n1,x\0y\n2,3\n", NULL);
	lk_row *row = next_row(r);

	row = next_row(r);
	ck_assert_ptr_nonnull(row->bad);
	ck_assert_uint_eq(row->len[1], 3);
	ck_assert_int_eq(memcmp(row->f[1], "x\0y", 3), 0);
	row = next_row(r);
	ck_assert_ptr_null(row->bad);
	lk_reader_free(r);
}
END_TEST

START_TEST(rejects_invalid_utf8_with_line)
{
	lk_csvopt opt = { 0 };
	lk_reader *r;
	lk_row *row;
	lk_err e;

	opt.check_utf8 = 1;
	r = OPEN("a,b\nJos\xc3\xa9,1\nJos\xe9,2\n", &opt);
	next_row(r);
	row = next_row(r);
	ck_assert_str_eq(row->f[0], "Jos\xc3\xa9");
	ck_assert_int_eq(lk_reader_next(r, &row, &e), -1);
	ck_assert_int_eq(e.kind, LK_EDATA);
	ck_assert_int_eq(e.line, 3);
	ck_assert_int_eq(e.record, 2);
	ck_assert_ptr_nonnull(strstr(e.msg, "UTF-8"));
	lk_reader_free(r);

	/* Overlong encodings and surrogates are invalid too. */
	r = OPEN("a\n\xc0\xaf\n", &opt);
	next_row(r);
	ck_assert_int_eq(lk_reader_next(r, &row, &e), -1);
	lk_reader_free(r);
	r = OPEN("a\n\xed\xa0\x80\n", &opt);
	next_row(r);
	ck_assert_int_eq(lk_reader_next(r, &row, &e), -1);
	lk_reader_free(r);
}
END_TEST

START_TEST(transcodes_utf16_and_latin1)
{
	/* "a,b\r\nJosé,1\r\n" in UTF-16LE with BOM, then in UTF-16BE. */
	static const char le[] = "\xFF\xFE" "a\0,\0b\0\r\0\n\0J\0o\0s\0\xE9\0,\0" "1\0\r\0\n\0";
	static const char be[] = "\xFE\xFF" "\0a\0,\0b\0\r\0\n\0J\0o\0s\0\xE9\0,\0" "1\0\r\0\n";
	lk_csvopt opt = { 0 };
	lk_reader *r;
	lk_row *row;

	r = open_str(le, sizeof le - 1, NULL);
	row = next_row(r);
	ck_assert_str_eq(row->f[0], "a");
	row = next_row(r);
	ck_assert_str_eq(row->f[0], "Jos\xc3\xa9");
	expect_end(r);
	lk_reader_free(r);
	r = open_str(be, sizeof be - 1, NULL);
	next_row(r);
	row = next_row(r);
	ck_assert_str_eq(row->f[0], "Jos\xc3\xa9");
	lk_reader_free(r);

	opt.encoding = "latin1";
	opt.check_utf8 = 1;
	r = OPEN("a\nJos\xe9\n", &opt);
	next_row(r);
	row = next_row(r);
	ck_assert_str_eq(row->f[0], "Jos\xc3\xa9");
	lk_reader_free(r);
	/* windows-1252 maps 0x80 to the euro sign. */
	opt.encoding = "windows-1252";
	r = OPEN("a\n\x80 5\n", &opt);
	next_row(r);
	row = next_row(r);
	ck_assert_str_eq(row->f[0], "\xe2\x82\xac 5");
	lk_reader_free(r);
}
END_TEST

START_TEST(reads_tsv_and_huge_field)
{
	lk_csvopt opt = { 0 };
	size_t big = 10u << 20, i;
	char *data = malloc(big + 16);
	lk_reader *r;
	lk_row *row;

	opt.delim = '\t';
	r = OPEN("a\tb\n1,2\t3\n", &opt);
	next_row(r);
	row = next_row(r);
	ck_assert_int_eq(row->n, 2);
	ck_assert_str_eq(row->f[0], "1,2");
	lk_reader_free(r);

	memcpy(data, "a\n\"", 3);
	for (i = 3; i < big + 3; i++)
		data[i] = (char)('a' + i % 26);
	memcpy(data + big + 3, "\"\nz\n", 4);
	r = open_str(data, big + 7, NULL);
	next_row(r);
	row = next_row(r);
	ck_assert_uint_eq(row->len[0], big);
	row = next_row(r);
	ck_assert_str_eq(row->f[0], "z");
	ck_assert_int_eq(row->line, 3);
	lk_reader_free(r);
	free(data);
}
END_TEST

/* Rows come out while the writer end of a pipe is still open. */
START_TEST(streams_from_a_pipe)
{
	int p[2];
	lk_reader *r;
	lk_row *row;
	lk_err e;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "a,b\n1,2\n", 8), 8);
	r = lk_reader_new(p[0], NULL, &e);
	row = next_row(r);
	row = next_row(r);
	ck_assert_str_eq(row->f[1], "2");
	ck_assert_int_eq(write(p[1], "3,4\n", 4), 4);
	row = next_row(r);
	ck_assert_str_eq(row->f[0], "3");
	close(p[1]);
	expect_end(r);
	lk_reader_free(r);
	close(p[0]);
}
END_TEST

/* --header-from: the header is another file's first record (BOM, quotes
 * and CRLF handled as in any input); every record of the input is data. */
START_TEST(header_from_file)
{
	char path[] = "/tmp/lk-hdr-XXXXXX";
	int hfd = mkstemp(path);
	static const char hdr[] = "\xEF\xBB\xBF\"a\",b\r\nignored,row\r\n";
	lk_csvopt opt = { 0 };
	lk_reader *r;
	lk_row *row;
	lk_err e;

	ck_assert_int_ge(hfd, 0);
	ck_assert_int_eq(write(hfd, hdr, sizeof hdr - 1), (int)sizeof hdr - 1);
	close(hfd);
	opt.header_from = path;
	r = OPEN("1,2\n3,4\n", &opt);
	row = next_row(r);
	ck_assert_int_eq(row->record, 0);
	ck_assert_int_eq(row->n, 2);
	ck_assert_str_eq(row->f[0], "a");
	ck_assert_str_eq(row->f[1], "b");
	row = next_row(r);
	ck_assert_int_eq(row->record, 1);
	ck_assert_int_eq(row->line, 1);
	ck_assert_str_eq(row->f[0], "1");
	row = next_row(r);
	ck_assert_int_eq(row->record, 2);
	ck_assert_int_eq(row->line, 2);
	ck_assert_str_eq(row->f[1], "4");
	expect_end(r);
	lk_reader_free(r);

	/* An empty split still has its header. */
	r = OPEN("", &opt);
	ck_assert_str_eq(next_row(r)->f[1], "b");
	expect_end(r);
	lk_reader_free(r);

	/* Keyed input: every empty-key header line is skipped. */
	opt.keyed = 1;
	r = OPEN("\tx,y\nk1\t5,6\n\tx,y\n", &opt);
	ck_assert_str_eq(next_row(r)->f[0], "a");
	row = next_row(r);
	ck_assert_str_eq(row->f[0], "5");
	ck_assert_int_eq(row->record, 1);
	expect_end(r);
	lk_reader_free(r);
	opt.keyed = 0;

	/* A missing or empty header file is a usage error. */
	ck_assert_int_eq(truncate(path, 0), 0);
	ck_assert_ptr_null(lk_reader_new(mem_fd("1\n", 2), &opt, &e));
	ck_assert_int_eq(e.kind, LK_EUSAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "empty"));
	unlink(path);
	ck_assert_ptr_null(lk_reader_new(mem_fd("1\n", 2), &opt, &e));
	ck_assert_int_eq(e.kind, LK_EUSAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "cannot open"));
}
END_TEST

static char *write_rows(const char *const *f, int n, char delim)
{
	FILE *tf = tmpfile();
	int fd = dup(fileno(tf));
	lk_writer *w = lk_writer_new(fd, delim, 0);
	lk_err e;
	char buf[256] = { 0 };

	ck_assert_int_eq(lk_writer_row(w, f, NULL, n, &e), 0);
	ck_assert_int_eq(lk_writer_flush(w, &e), 0);
	lk_writer_free(w);
	lseek(fd, 0, SEEK_SET);
	ck_assert_int_ge(read(fd, buf, sizeof buf - 1), 0);
	close(fd);
	fclose(tf);
	return strdup(buf);
}

START_TEST(writes_minimal_quoting)
{
	const char *f1[] = { "plain", "a,b", "say \"hi\"", "two\nlines", " sp ", "" };
	const char *f2[] = { "" };
	const char *f3[] = { "a\tb", "c,d" };
	char *s;

	s = write_rows(f1, 6, ',');
	ck_assert_str_eq(s, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\", sp ,\n");
	free(s);
	s = write_rows(f2, 1, ',');
	ck_assert_str_eq(s, "\"\"\n");
	free(s);
	s = write_rows(f3, 2, '\t');
	ck_assert_str_eq(s, "\"a\tb\"\tc,d\n");
	free(s);
}
END_TEST

/* Rows written with lengths, as the tools write them: whole-row checks,
 * fields that lie one after another in one buffer, long rows. */
static char *write_lens(const char *const *f, const size_t *len, int n, char delim)
{
	FILE *tf = tmpfile();
	int fd = dup(fileno(tf));
	lk_writer *w = lk_writer_new(fd, delim, 0);
	lk_err e;
	lk_buf out = LK_BUF_INIT;
	char buf[4096];
	ssize_t k;

	ck_assert_int_eq(lk_writer_row(w, f, len, n, &e), 0);
	ck_assert_int_eq(lk_writer_flush(w, &e), 0);
	lk_writer_free(w);
	lseek(fd, 0, SEEK_SET);
	while ((k = read(fd, buf, sizeof buf)) > 0)
		lk_buf_add(&out, buf, (size_t)k);
	close(fd);
	fclose(tf);
	return lk_buf_detach(&out);
}

START_TEST(writes_rows_with_lengths)
{
	/* One buffer, NUL-separated, as a reader's row: the second field
	 * holds the delimiter, the fourth (past 16 bytes) a quote. */
	static const char arena[] = "id\0a,b\0plain\0a long field with \"q\"\0x\rz\0";
	const char *f[5];
	size_t len[5], i, at = 0;
	const char *g[] = { "one", "two", "three" };
	size_t glen[] = { 3, 3, 5 };
	char *s;
	lk_buf want = LK_BUF_INIT;
	const char **many;
	size_t *mlen;

	for (i = 0; i < 5; i++) {
		f[i] = arena + at;
		len[i] = strlen(arena + at);
		at += len[i] + 1;
	}
	s = write_lens(f, len, 5, ',');
	ck_assert_str_eq(s, "id,\"a,b\",plain,\"a long field with \"\"q\"\"\",\"x\rz\"\n");
	free(s);
	/* A field that holds the delimiter only for TSV output. */
	s = write_lens(f, len, 3, '\t');
	ck_assert_str_eq(s, "id\ta,b\tplain\n");
	free(s);
	/* Plain fields from separate strings, and one that ends early. */
	s = write_lens(g, glen, 3, ',');
	ck_assert_str_eq(s, "one,two,three\n");
	free(s);
	glen[2] = 2;
	s = write_lens(g, glen, 3, ',');
	ck_assert_str_eq(s, "one,two,th\n");
	free(s);
	/* A row of 3000 fields (longer than 255 blocks of 16 bytes), plain,
	 * then with a delimiter inside its last field. */
	many = malloc(3000 * sizeof *many);
	mlen = malloc(3000 * sizeof *mlen);
	for (i = 0; i < 3000; i++) {
		many[i] = "ab";
		mlen[i] = 2;
		if (i)
			lk_buf_addc(&want, ',');
		lk_buf_adds(&want, "ab");
	}
	lk_buf_addc(&want, '\n');
	s = write_lens(many, mlen, 3000, ',');
	ck_assert_str_eq(s, want.data);
	free(s);
	many[2999] = "a,b";
	mlen[2999] = 3;
	want.len -= 3;
	lk_buf_adds(&want, "\"a,b\"\n");
	s = write_lens(many, mlen, 3000, ',');
	ck_assert_str_eq(s, want.data);
	free(s);
	free(many);
	free(mlen);
	lk_buf_free(&want);
}
END_TEST

/* Keyed rows are one line each, and a keyed reader gets the fields back. */
START_TEST(keyed_round_trip)
{
	const char *f[] = { "two\nlines", "back\\slash", "a,b", "cr\r\nlf" };
	FILE *tf = tmpfile();
	int fd = dup(fileno(tf));
	lk_writer *w = lk_writer_new(fd, ',', 0);
	lk_csvopt opt = { 0 };
	lk_reader *r;
	lk_row *row;
	lk_err e;
	char buf[256] = { 0 };

	lk_writer_set_keyed(w, 1);
	lk_writer_raw(w, "\t", 1);
	ck_assert_int_eq(lk_writer_row(w, (const char *[]){ "w", "x", "y", "z" }, NULL, 4, &e), 0);
	lk_writer_raw(w, "k1\t", 3);
	ck_assert_int_eq(lk_writer_row(w, f, NULL, 4, &e), 0);
	/* A second mapper's header line, sorted next to the first. */
	lk_writer_raw(w, "\t", 1);
	ck_assert_int_eq(lk_writer_row(w, (const char *[]){ "w", "x", "y", "z" }, NULL, 4, &e), 0);
	ck_assert_int_eq(lk_writer_flush(w, &e), 0);
	lk_writer_free(w);
	lseek(fd, 0, SEEK_SET);
	ck_assert_int_gt(read(fd, buf, sizeof buf - 1), 0);
	ck_assert_str_eq(buf, "\tw,x,y,z\n"
			 "k1\t\"two\\nlines\",back\\\\slash,\"a,b\",\"cr\\r\\nlf\"\n"
			 "\tw,x,y,z\n");
	lseek(fd, 0, SEEK_SET);
	opt.keyed = 1;
	r = lk_reader_new(fd, &opt, &e);
	row = next_row(r);
	ck_assert_str_eq(row->f[0], "w");
	row = next_row(r);
	ck_assert_int_eq(row->n, 4);
	ck_assert_int_eq(row->line, 2);
	ck_assert_str_eq(row->f[0], "two\nlines");
	ck_assert_str_eq(row->f[1], "back\\slash");
	ck_assert_str_eq(row->f[2], "a,b");
	ck_assert_str_eq(row->f[3], "cr\r\nlf");
	expect_end(r);
	lk_reader_free(r);
	close(fd);
	fclose(tf);
}
END_TEST

/*
 * --partition: FNV-1a 64 of the key up to its 0x1f byte, mod N.  The
 * expected partitions were computed apart (Python): "i1" 0x08b70307b55bf1af
 * mod 3 = 1, "i2" mod 3 = 2, "i3" mod 3 = 0.
 */
START_TEST(partitions_keyed_lines)
{
	FILE *tf = tmpfile();
	int fd = dup(fileno(tf));
	lk_writer *w = lk_writer_new(fd, ',', 0);
	lk_err e;
	char buf[512] = { 0 };

	lk_writer_set_keyed(w, 1);
	lk_writer_set_partition(w, 3);
	lk_writer_raw(w, "\t", 1);	/* a header: every partition */
	ck_assert_int_eq(lk_writer_row(w, (const char *[]){ "h" }, NULL, 1, &e), 0);
	lk_writer_raw(w, "i1\x1f" "2\t", 5);
	ck_assert_int_eq(lk_writer_row(w, (const char *[]){ "a\nb" }, NULL, 1, &e), 0);
	lk_writer_raw(w, "i2\t", 3);
	ck_assert_int_eq(lk_writer_row(w, (const char *[]){ "c" }, NULL, 1, &e), 0);
	lk_writer_raw(w, "i3\x1f" "1\t", 5);
	ck_assert_int_eq(lk_writer_row(w, (const char *[]){ "d" }, NULL, 1, &e), 0);
	lk_writer_raw(w, "\x1f" "1\t", 3);	/* activity header: every partition */
	ck_assert_int_eq(lk_writer_row(w, (const char *[]){ "g" }, NULL, 1, &e), 0);
	lk_writer_raw(w, "\x1f" "2\t", 3);	/* keyless lead: partition 0 */
	ck_assert_int_eq(lk_writer_row(w, (const char *[]){ "k" }, NULL, 1, &e), 0);
	ck_assert_int_eq(lk_writer_flush(w, &e), 0);
	lk_writer_free(w);
	lseek(fd, 0, SEEK_SET);
	ck_assert_int_gt(read(fd, buf, sizeof buf - 1), 0);
	ck_assert_str_eq(buf, "0\t\th\n1\t\th\n2\t\th\n"
			 "1\ti1\x1f" "2\t\"a\\nb\"\n"
			 "2\ti2\tc\n"
			 "0\ti3\x1f" "1\td\n"
			 "0\t\x1f" "1\tg\n1\t\x1f" "1\tg\n2\t\x1f" "1\tg\n"
			 "0\t\x1f" "2\tk\n");
	close(fd);
	fclose(tf);
}
END_TEST

START_TEST(write_error_is_reported)
{
	int fd = open("/dev/full", O_WRONLY);
	lk_writer *w;
	const char *f[] = { "x" };
	lk_err e;

	if (fd < 0)
		return;
	w = lk_writer_new(fd, ',', 1);
	ck_assert_int_eq(lk_writer_row(w, f, NULL, 1, &e), -1);
	ck_assert_int_eq(e.kind, LK_EIO);
	ck_assert_ptr_nonnull(strstr(e.msg, "No space"));
	lk_writer_free(w);
	close(fd);
}
END_TEST

START_TEST(outfile_is_atomic)
{
	char dir[] = "/tmp/lk-outXXXXXX", path[256], buf[32] = { 0 };
	lk_outfile o;
	lk_err e;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/out.csv", dir);
	ck_assert_int_eq(lk_outfile_open(&o, path, &e), 0);
	ck_assert_int_eq(write(o.fd, "new\n", 4), 4);
	ck_assert_int_eq(access(path, F_OK), -1);	/* not there until commit */
	ck_assert_int_eq(lk_outfile_commit(&o, &e), 0);
	fd = open(path, O_RDONLY);
	ck_assert_int_eq(read(fd, buf, sizeof buf), 4);
	close(fd);
	ck_assert_str_eq(buf, "new\n");
	/* An aborted write leaves the old file as it was, and no temp file. */
	ck_assert_int_eq(lk_outfile_open(&o, path, &e), 0);
	ck_assert_int_eq(write(o.fd, "half", 4), 4);
	lk_outfile_abort(&o);
	fd = open(path, O_RDONLY);
	memset(buf, 0, sizeof buf);
	ck_assert_int_eq(read(fd, buf, sizeof buf), 4);
	close(fd);
	ck_assert_str_eq(buf, "new\n");
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);	/* empty: no temp file left */
}
END_TEST

/*
 * Delimiter detection on csv-spectrum: each file as it is (','), and a
 * ';', '|' and TAB version written by Python's csv module (which
 * quotes a field only when it holds the new delimiter, a quote or a
 * newline); the expected field count is the header's as Python's csv
 * reads it.  python3 writes the versions into a scratch directory and
 * lists "file delimiter fields" lines.
 */
static const char derive_py[] =
	"import csv, glob, os, sys\n"
	"src, dst = sys.argv[1], sys.argv[2]\n"
	"for path in sorted(glob.glob(os.path.join(src, '*.csv'))):\n"
	"    with open(path, newline='', encoding='utf-8', errors='surrogateescape') as f:\n"
	"        rows = list(csv.reader(f))\n"
	"    base = os.path.basename(path)[:-4]\n"
	"    print(path, 'comma', len(rows[0]))\n"
	"    for name, d in (('semi', ';'), ('pipe', '|'), ('tab', '\\t')):\n"
	"        out = os.path.join(dst, base + '.' + name)\n"
	"        with open(out, 'w', newline='', encoding='utf-8', errors='surrogateescape') as f:\n"
	"            csv.writer(f, delimiter=d, lineterminator='\\n').writerows(rows)\n"
	"        print(out, name, len(rows[0]))\n";

static char *slurp_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);

	ck_assert_ptr_nonnull(f);
	*n = fread(buf, 1, (1 << 20) - 1, f);
	buf[*n] = '\0';
	fclose(f);
	return buf;
}

START_TEST(detects_spectrum_delimiters)
{
	char dir[64], cmd[2048], path[1024], kind[16];
	const char *src = lk_test_data("csv-spectrum/csvs");
	FILE *py;
	int fields, seen = 0;

	lk_unit_mkdir(dir);
	snprintf(cmd, sizeof cmd, "python3 -c \"$LK_DERIVE_PY\" '%s' '%s'", src, dir);
	setenv("LK_DERIVE_PY", derive_py, 1);
	py = popen(cmd, "r");
	ck_assert_ptr_nonnull(py);
	while (fscanf(py, "%1023s %15s %d", path, kind, &fields) == 3) {
		lk_dialect d;
		size_t n;
		char *text = slurp_all(path, &n);
		char want = !strcmp(kind, "semi") ? ';' : !strcmp(kind, "pipe") ? '|' :
			    !strcmp(kind, "tab") ? '\t' : ',';

		lk_csv_sniff(text, n, 1, 50, path, &d);
		ck_assert_msg(d.delim == want && d.fields == fields && d.sure,
			      "%s: chose '%c' (%d fields, sure %d: %s), want '%c' (%d)",
			      path, d.delim, d.fields, d.sure, d.why, want, fields);
		free(text);
		seen++;
	}
	ck_assert_int_eq(pclose(py), 0);
	ck_assert_int_eq(seen, 48);
	lk_unit_rmdir(dir);
}
END_TEST

START_TEST(detects_hard_cases)
{
	lk_dialect d;
	const char *s;

	/* A quoted field holds every other candidate, and a newline. */
	s = "id;note;amount\n1;\"a,b|c\td\";1,5\n2;\"x;y\nz\";2,25\n";
	lk_csv_sniff(s, strlen(s), 1, 50, NULL, &d);
	ck_assert_int_eq(d.delim, ';');
	ck_assert_int_eq(d.fields, 3);
	ck_assert_int_eq(d.sure, 1);
	ck_assert_str_eq(d.why, "3 fields in each of the 3 rows");
	/* One column: nothing to split on, and that is sure. */
	s = "email\na@x.com\nb@y.org\n";
	lk_csv_sniff(s, strlen(s), 1, 50, NULL, &d);
	ck_assert_int_eq(d.delim, ',');
	ck_assert_int_eq(d.fields, 1);
	ck_assert_int_eq(d.sure, 1);
	/* Empty input. */
	lk_csv_sniff("", 0, 1, 50, NULL, &d);
	ck_assert_int_eq(d.delim, ',');
	ck_assert_int_eq(d.rows, 0);
	ck_assert_int_eq(d.sure, 1);
	lk_csv_sniff("\n\n", 2, 1, 50, NULL, &d);
	ck_assert_int_eq(d.rows, 0);
	/* Two candidates fit equally: not sure, ','. */
	s = "a,b|c\n1,2|3\n";
	lk_csv_sniff(s, strlen(s), 1, 50, NULL, &d);
	ck_assert_int_eq(d.delim, ',');
	ck_assert_int_eq(d.sure, 0);
	/* ... unless a .tsv name settles it for TAB. */
	s = "a,b\tc\n1,2\t3\n";
	lk_csv_sniff(s, strlen(s), 1, 50, "x.tsv", &d);
	ck_assert_int_eq(d.delim, '\t');
	ck_assert_int_eq(d.sure, 1);
	/* A .tsv name is a hint, not a rule. */
	s = "a,b,c\n1,2,3\n";
	lk_csv_sniff(s, strlen(s), 1, 50, "export.tsv", &d);
	ck_assert_int_eq(d.delim, ',');
	ck_assert_int_eq(d.sure, 1);
	/* Nothing fits: not sure, ','. */
	s = "a;b\n1,2,3;4;5\n1|2\n";
	lk_csv_sniff(s, strlen(s), 1, 50, NULL, &d);
	ck_assert_int_eq(d.delim, ',');
	ck_assert_int_eq(d.sure, 0);
	/* One ragged row in twenty does not hide the delimiter. */
	{
		lk_buf b = LK_BUF_INIT;
		int i;

		lk_buf_adds(&b, "a;b;c\n");
		for (i = 0; i < 19; i++)
			lk_buf_adds(&b, i == 7 ? "1;2\n" : "1;2;3\n");
		lk_csv_sniff(b.data, b.len, 1, 50, NULL, &d);
		ck_assert_int_eq(d.delim, ';');
		ck_assert_int_eq(d.sure, 1);
		ck_assert_str_eq(d.why, "3 fields in 19 of the first 20 rows");
		lk_buf_free(&b);
	}
	/* Ragged rows, but ',' is the only candidate in use: sure. */
	s = "email,name\na@x.com,Ann,extra\nb@x.com\nc@x.com,Cy\n";
	lk_csv_sniff(s, strlen(s), 1, 50, NULL, &d);
	ck_assert_int_eq(d.delim, ',');
	ck_assert_int_eq(d.sure, 1);
	ck_assert_int_eq(d.matching, 2);
	/* Only maxrows rows are judged; an unfinished last line waits. */
	s = "a|b\n1|2\n3|4\n5";
	lk_csv_sniff(s, strlen(s), 0, 2, NULL, &d);
	ck_assert_int_eq(d.rows, 2);
	ck_assert_str_eq(d.why, "2 fields in each of the first 2 rows");
}
END_TEST

/* The reader detects when asked, and keeps the delimiter it is given. */
START_TEST(reader_detects)
{
	lk_csvopt o = { .detect = 50 };
	lk_reader *r = OPEN("Name;Amount\n\"Doe; Jane\";1,5\n", &o);
	lk_row *row;

	row = next_row(r);
	ck_assert_int_eq(row->n, 2);
	ck_assert_int_eq(lk_reader_dialect(r)->delim, ';');
	ck_assert_int_eq(lk_reader_dialect(r)->detected, 1);
	row = next_row(r);
	ck_assert_str_eq(row->f[0], "Doe; Jane");
	ck_assert_str_eq(row->f[1], "1,5");
	expect_end(r);
	lk_reader_free(r);
	o.detect = 0;
	o.delim = ';';
	r = OPEN("a,b;c\n", &o);
	row = next_row(r);
	ck_assert_int_eq(row->n, 2);
	ck_assert_int_eq(lk_reader_dialect(r)->detected, 0);
	lk_reader_free(r);
}
END_TEST

Suite *lk_suite_csvio(void)
{
	Suite *s = suite_create("csvio");
	TCase *tc = tcase_create("reader");

	tcase_add_loop_test(tc, reads_csv_spectrum, 0,
			    (int)(sizeof spectrum / sizeof spectrum[0]));
	tcase_add_test(tc, strips_bom_and_keeps_spaces);
	tcase_add_test(tc, counts_physical_lines);
	tcase_add_test(tc, counts_lone_cr_lines);
	tcase_add_test(tc, splits_quoted_records);
	tcase_add_test(tc, flags_unterminated_quote);
	tcase_add_test(tc, flags_nul_bytes);
	tcase_add_test(tc, rejects_invalid_utf8_with_line);
	tcase_add_test(tc, transcodes_utf16_and_latin1);
	tcase_add_test(tc, reads_tsv_and_huge_field);
	tcase_add_test(tc, streams_from_a_pipe);
	tcase_add_test(tc, header_from_file);
	tcase_add_test(tc, detects_spectrum_delimiters);
	tcase_add_test(tc, detects_hard_cases);
	tcase_add_test(tc, reader_detects);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	tc = tcase_create("writer");
	tcase_add_test(tc, writes_minimal_quoting);
	tcase_add_test(tc, writes_rows_with_lengths);
	tcase_add_test(tc, keyed_round_trip);
	tcase_add_test(tc, partitions_keyed_lines);
	tcase_add_test(tc, write_error_is_reported);
	tcase_add_test(tc, outfile_is_atomic);
	suite_add_tcase(s, tc);
	return s;
}
