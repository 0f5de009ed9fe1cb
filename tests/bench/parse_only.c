/*
 * parse_only: the floor of leadkit's benchmarks. It reads stdin with read(2)
 * in 64 KiB blocks, as liblead's reader does, and hands each block to
 * libcsv with callbacks that only count fields and rows. Every lead-* tool
 * does at least this much work, so a tool's time divided by this one's says
 * what its own logic costs.
 *
 *   parse_only < leads.csv        prints "rows fields" (the header included)
 *
 * Options mirror the reader's: CSV_APPEND_NULL (fields NUL-terminated) and a
 * space function returning 0 (leading and trailing spaces kept).
 */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

struct counts {
	unsigned long long rows, fields;
};

static void on_field(void *data, size_t len, void *arg)
{
	(void)data;
	(void)len;
	((struct counts *)arg)->fields++;
}

static void on_row(int term, void *arg)
{
	(void)term;
	((struct counts *)arg)->rows++;
}

/* Spaces are data: libcsv must not trim them. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

int main(void)
{
	static char buf[65536];
	struct csv_parser p;
	struct counts c = {0, 0};
	ssize_t n;

	if (csv_init(&p, CSV_APPEND_NULL) != 0) {
		fputs("parse_only: csv_init failed\n", stderr);
		return 1;
	}
	csv_set_space_func(&p, no_space);
	for (;;) {
		n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("parse_only: read");
			return 1;
		}
		if (n == 0)
			break;
		if (csv_parse(&p, buf, (size_t)n, on_field, on_row, &c) != (size_t)n) {
			fprintf(stderr, "parse_only: %s\n", csv_strerror(csv_error(&p)));
			return 1;
		}
	}
	csv_fini(&p, on_field, on_row, &c);
	csv_free(&p);
	printf("%llu %llu\n", c.rows, c.fields);
	return 0;
}
