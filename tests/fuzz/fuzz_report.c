/*
 * fuzz_report.c - libFuzzer harness for lead-report's aggregates
 * (lib/report*.c) over arbitrary lead files.
 *
 * The first byte picks the kind (funnel, velocity, calibration, sla,
 * plan, timeline) and whether to group by `source`; the second the
 * format (csv, tsv, table, json, svg, html); the rest is a CSV file read
 * as leads, and, for sla and timeline, also as activities and (timeline)
 * as a stage history, with the built-in model.  What must hold:
 *   - binding either works or fails with a usage error and a message;
 *   - adding rows never fails (no ENOMEM here) and rendering succeeds,
 *     except svg for a kind without a chart, which is a usage error;
 *   - for the mergeable kinds, the partial aggregate merged into a fresh
 *     report renders byte for byte like the report itself, and so does
 *     the partial of that merge (partials are a fixed point);
 * and everything is freed (leaks show up under ASan).
 *
 *   clang -fsanitize=fuzzer,address,undefined -g -O1 -std=c11 \
 *     -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -D_GNU_SOURCE -Ilib \
 *     tests/fuzz/fuzz_report.c lib/[a-z]*.c $(pkg-config --cflags --libs yaml-0.1) \
 *     -lcsv -lm -o fuzz_report && ./fuzz_report tests/fuzz/corpus/report
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/csvio.h"
#include "report/report.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_report: check failed at line %d: %s\n", __LINE__, #cond); \
	abort(); } } while (0)

static lk_model *model;

static int mem_fd(const void *data, size_t n)
{
	int fd = memfd_create("fuzz", 0);

	if (fd < 0) {
		FILE *f = tmpfile();
		CHECK(f);
		fd = dup(fileno(f));
		fclose(f);
	}
	CHECK(fd >= 0);
	if (n)
		CHECK(write(fd, data, n) == (ssize_t)n);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	return fd;
}

/* Feed a CSV text to the report as leads (0), activities (1) or history
 * (2).  Returns 0, or -1 when the header does not bind. */
static int feed(lk_report *r, const uint8_t *d, size_t n, int what, int no_header)
{
	lk_csvopt co = { 0 };
	lk_err e = { .record = -1 };
	lk_reader *rd;
	lk_row *row;
	int fd = mem_fd(d, n), c, rc = 0;

	co.delim = ',';
	co.name = "fuzz.csv";
	co.no_header = no_header;
	rd = lk_reader_new(fd, &co, &e);
	CHECK(rd);
	if (!no_header) {
		c = lk_reader_next(rd, &row, &e);
		if (c <= 0)
			goto out;
		c = what == 0 ? lk_report_bind(r, (const char *const *)row->f, row->n, &e) :
		    what == 1 ? lk_report_bind_activities(r, (const char *const *)row->f, row->n, &e) :
				lk_report_bind_history(r, (const char *const *)row->f, row->n, &e);
		if (c < 0) {
			CHECK(e.kind == LK_EUSAGE && e.msg[0]);
			rc = -1;
			goto out;
		}
	}
	while ((c = lk_reader_next(rd, &row, &e)) > 0) {
		if (row->bad)
			continue;
		if (no_header) {
			CHECK(lk_report_merge_row(r, row, &e) == 0);
			continue;
		}
		c = what == 0 ? lk_report_add(r, row, &e) : what == 1 ? lk_report_add_activity(r, row, &e)
								 : lk_report_add_history(r, row, &e);
		CHECK(c == 0);
	}
out:
	lk_reader_free(rd);
	close(fd);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lk_err e = { .record = -1 };
	lk_report_opt o;
	lk_report_kind kind;
	lk_report_fmt fmt;
	lk_report *r, *r2;
	lk_buf a = LK_BUF_INIT, b = LK_BUF_INIT, p = LK_BUF_INIT, p2 = LK_BUF_INIT;
	int rc;

	if (!model)
		CHECK((model = lk_model_load(NULL, &e)));
	if (size < 2)
		return 0;
	kind = (lk_report_kind)(data[0] % 6);
	fmt = (lk_report_fmt)(data[1] % 6);
	memset(&o, 0, sizeof o);
	o.by = (data[0] & 0x80) && lk_report_mergeable(kind) ? "source" : NULL;
	o.outcome = (data[0] & 0x40) ? "y" : NULL;
	o.revenue = 1000;
	o.deal_size = 7;
	o.now = 1800000000;
	o.lead = (data[1] & 0x80) ? "1" : NULL;
	data += 2;
	size -= 2;
	r = lk_report_new_opt(model, kind, &o, &e);
	CHECK(r);
	if (lk_report_takes_activities(kind))
		feed(r, data, size, 1, 0);
	if (kind != LK_REPORT_CALIBRATION && kind != LK_REPORT_SLA)
		feed(r, data, size, 2, 0);
	if (feed(r, data, size, 0, 0) < 0)
		goto done;
	rc = lk_report_render(r, fmt, &a, &e);
	if (fmt == LK_FMT_SVG && kind != LK_REPORT_FUNNEL && kind != LK_REPORT_PLAN)
		CHECK(rc < 0 && e.kind == LK_EUSAGE);
	else
		CHECK(rc == 0);
	if (lk_report_mergeable(kind) && rc == 0) {
		/* The history folds in per lead row; a partial must carry it. */
		CHECK(lk_report_partial(r, &p, &e) == 0);
		o.by = NULL;
		r2 = lk_report_new_opt(model, kind, &o, &e);
		CHECK(r2);
		CHECK(feed(r2, (const uint8_t *)lk_buf_str(&p), p.len, 0, 1) == 0);
		CHECK(lk_report_render(r2, fmt, &b, &e) == 0);
		CHECK(a.len == b.len && !memcmp(lk_buf_str(&a), lk_buf_str(&b), a.len));
		CHECK(lk_report_partial(r2, &p2, &e) == 0);
		CHECK(p.len == p2.len && !memcmp(lk_buf_str(&p), lk_buf_str(&p2), p.len));
		lk_report_free(r2);
	}
done:
	lk_report_free(r);
	lk_buf_free(&a);
	lk_buf_free(&b);
	lk_buf_free(&p);
	lk_buf_free(&p2);
	return 0;
}
