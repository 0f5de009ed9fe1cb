/* cli.c - what every leadkit main shares; see cli.h for the manual. */
#include "cli.h"

#include "core/rejects.h"

const char *lk_prog = "leadkit";
lk_scaleopt lk_scale;

/* ---- output files removed on every exit ---- */

/* Output files not yet committed: every exit (lk_cli_fail, lk_cli_usage,
 * a return from main) aborts them through atexit. */
static lk_outfile *lk_cli_outs[8];

static void lk_cli_cleanup(void)
{
	int i;

	for (i = 0; i < 8; i++)
		if (lk_cli_outs[i])
			lk_outfile_abort(lk_cli_outs[i]);
}

void lk_cli_outfile_watch(lk_outfile *o)
{
	static int registered;
	int i;

	if (!registered++)
		atexit(lk_cli_cleanup);
	for (i = 0; i < 8; i++)
		if (!lk_cli_outs[i] || lk_cli_outs[i] == o) {
			lk_cli_outs[i] = o;
			break;
		}
}

int lk_cli_outfile_open(lk_outfile *o, const char *path, lk_err *e)
{
	if (lk_outfile_open(o, path, e) < 0)
		return -1;
	lk_cli_outfile_watch(o);
	return 0;
}

void lk_cli_outfile_forget(lk_outfile *o)
{
	int i;

	for (i = 0; i < 8; i++)
		if (lk_cli_outs[i] == o)
			lk_cli_outs[i] = NULL;
}

/* ---- messages and exit codes ---- */

void lk_cli_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", lk_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void lk_cli_warn_all(lk_buf *msgs)
{
	size_t at;

	for (at = 0; at < msgs->len; at += strlen(msgs->data + at) + 1)
		lk_cli_warn("%s", msgs->data + at);
	lk_buf_free(msgs);
}

static int usage_vreport(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", lk_prog);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", lk_prog);
	return 2;
}

int lk_cli_usage_report(const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = usage_vreport(fmt, ap);
	va_end(ap);
	return rc;
}

void lk_cli_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	usage_vreport(fmt, ap);
	va_end(ap);
	exit(2);
}

void lk_cli_try_help(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", lk_prog);
	exit(2);
}

int lk_cli_report(const char *what, const lk_err *e)
{
	char buf[2048];

	if (e->kind == LK_EIO && e->cause == LK_EPIPE)
		return 0;
	fprintf(stderr, "%s: %s%s%s\n", lk_prog, what ? what : "", what ? ": " : "",
		lk_err_str(e, buf, sizeof buf));
	if (e->kind == LK_EMODEL || e->kind == LK_EUSAGE) {
		fprintf(stderr, "Try '%s --help' for more information.\n", lk_prog);
		return 2;
	}
	return 1;
}

void lk_cli_fail(const char *what, const lk_err *e)
{
	exit(lk_cli_report(what, e));
}

int lk_cli_read_report(const char *name, const lk_err *e)
{
	char buf[1024];

	if (e->cause == LK_EUTF8)
		lk_cli_warn("%s: record %ld (line %ld): %s; the file is not UTF-8: name its "
			    "encoding with --encoding latin1 (or windows-1252, ...)",
			    name ? name : e->file, e->record, e->line, e->msg);
	else
		lk_cli_warn("%s", lk_err_str(e, buf, sizeof buf));
	return 1;
}

void lk_cli_read_fail(const char *name, const lk_err *e)
{
	exit(lk_cli_read_report(name, e));
}

/* ---- files ---- */

int lk_cli_input(const char *path, int *fd)
{
	*fd = 0;
	if (!path || !strcmp(path, "-"))
		return 0;
	*fd = open(path, O_RDONLY);
	if (*fd < 0) {
		lk_cli_warn("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int lk_cli_open_in(const char *path)
{
	int fd;

	if (lk_cli_input(path, &fd) < 0)
		exit(1);
	return fd;
}

void lk_cli_out_text(lk_outfile *of, const lk_buf *text)
{
	const char *p = lk_buf_str(text), *name = of->path ? of->path : "stdout";
	size_t left = text->len;
	lk_err e = { .record = -1 };
	ssize_t k;

	while (left) {
		if ((k = write(of->fd, p, left)) < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno == EPIPE)
			exit(0);
		if (k < 0) {
			lk_cli_warn("%s: write failed: %s", name, strerror(errno));
			exit(1);
		}
		p += k;
		left -= (size_t)k;
	}
	if (lk_outfile_commit(of, &e) < 0)
		lk_cli_fail(NULL, &e);
}

char **lk_cli_header_dup(const lk_row *row)
{
	char **h = calloc((size_t)row->n + 1, sizeof *h);
	int i;

	for (i = 0; h && i < row->n; i++)
		if (!(h[i] = strdup(row->f[i]))) {
			lk_cli_header_free(h);
			return NULL;
		}
	return h;
}

char **lk_cli_header_copy(const lk_row *row)
{
	char **h = lk_cli_header_dup(row);

	if (!h) {
		lk_cli_warn("out of memory");
		exit(1);
	}
	return h;
}

void lk_cli_header_free(char **h)
{
	int i;

	for (i = 0; h && h[i]; i++)
		free(h[i]);
	free(h);
}

/* ---- option values ---- */

long lk_cli_long(const char *opt, const char *s)
{
	long v;

	if (lk_parse_count(s, &v) < 0)
		lk_cli_usage("%s: '%s' is not a non-negative number", opt, s);
	return v;
}

char lk_cli_delim(const char *s)
{
	if (!strcmp(s, "\\t") || !strcmp(s, "tab"))
		return '\t';
	if (strlen(s) != 1 || *s == '"' || *s == '\n' || *s == '\r')
		lk_cli_usage("-d: the delimiter must be one character other than a quote or newline, not '%s'", s);
	return *s;
}

const char *lk_cli_delim_name(char c)
{
	static char one[8][4];
	static int k;
	char *s;

	if (c == '\t')
		return "TAB";
	s = one[k++ & 7];
	s[0] = '\'';
	s[1] = c;
	s[2] = '\'';
	s[3] = '\0';
	return s;
}

void lk_cli_dialect_warn(const char *name, const lk_dialect *d)
{
	if (d && d->detected && !d->sure)
		lk_cli_warn("%s: delimiter not sure: %s; reading %s (give -d)",
			    name && strcmp(name, "-") ? name : "stdin", d->why,
			    lk_cli_delim_name(d->delim));
}

void lk_cli_dialect_describe(const lk_dialect *d, lk_buf *out)
{
	if (!d)
		return;
	if (!d->detected)
		lk_buf_addf(out, "delimiter: %s (given)\n", lk_cli_delim_name(d->delim));
	else
		lk_buf_addf(out, "delimiter: %s (%s: %s)\n", lk_cli_delim_name(d->delim),
			    d->sure ? "detected" : "not sure", d->why);
}

void lk_cli_tz_describe(const lk_tz *tz, const char *source, lk_buf *out)
{
	lk_buf_addf(out, "dates: naive times read in %s (%s)\n", lk_tz_name(tz), source);
}

int64_t lk_cli_now(const char *arg)
{
	lk_time t;

	if (lk_date_parse(arg, strlen(arg), LK_DATE_AUTO, &t) < 0)
		lk_cli_usage("--now: '%s' is not a date or timestamp", arg);
	return t.secs;
}

double lk_cli_positive(const char *opt, const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v > 0) || v > 1e15)
		lk_cli_usage("%s: '%s' is not a positive number", opt, s);
	return v;
}

int lk_cli_scale_opt(int c, const char *arg)
{
	long n;

	switch (c) {
	case LK_O_HEADER_FROM: lk_scale.header_from = arg; return 1;
	case LK_O_NOHDR_OUT: lk_scale.no_header_out = 1; return 1;
	case LK_O_COUNTERS: lk_scale.counters = 1; return 1;
	case LK_O_PARTITION:
		n = lk_cli_long("--partition", arg);
		if (n < 1 || n > 65536)
			lk_cli_usage("--partition: '%s' is not a number of partitions from 1 to 65536", arg);
		lk_scale.partition = (unsigned)n;
		return 1;
	}
	return 0;
}

int lk_cli_scale_check(int keyed)
{
	if (lk_scale.partition && !keyed)
		return lk_cli_usage_report("--partition N splits keyed output: give --emit-key");
	return 0;
}

/* ---- rejects ---- */

int lk_cli_rejects_open(lk_rejects *r, const char *path, long max, char delim, lk_err *e)
{
	if (lk_rejects_open(r, path, max, delim, e) < 0)
		return -1;
	if (r->open)
		lk_cli_outfile_watch(&r->file);
	return 0;
}

int lk_cli_reject(lk_rejects *r, const lk_row *row, const char *reason, lk_err *e)
{
	static int warned;
	int c = lk_rejects_put(r, row, reason, e);

	if (c == 1 && warned < 10) {
		lk_cli_warn("record %ld (line %ld): %s: row not written (--rejects FILE keeps such rows)",
			    row->record, row->line, reason);
		warned++;
	}
	return c < 0 ? -1 : 0;
}

int lk_cli_rejects_done(lk_rejects *r, long rows_in, lk_err *e)
{
	size_t i;

	if (lk_rejects_commit(r, e) < 0)
		return -1;
	lk_cli_outfile_forget(&r->file);
	if (r->count) {
		lk_cli_warn("%ld of %ld rows rejected%s", r->count, rows_in,
			    r->open ? "" : " (not kept: use --rejects FILE)");
		for (i = 0; i < lk_rejects_nclasses(r); i++) {
			const char *k;
			long n;
			lk_rejects_class(r, i, &k, &n);
			fprintf(stderr, "  %8ld  %s\n", n, k);
		}
	}
	lk_rejects_free(r);
	if (lk_rejects_over(r)) {
		lk_cli_warn("too many rejected rows: %ld (--max-rejects %ld)", r->count, r->max);
		return 1;
	}
	return 0;
}

/* ---- files read whole, each with its own header ---- */

int lk_cli_files_next(lk_cli_files *f, lk_row **row)
{
	lk_err e = { .record = -1 };
	int c, hdr_due;

	/* The first header is bound by now: the rejects may open. */
	if (f->hdr && !f->rej_names) {
		f->rej_names = lk_cli_header_copy(f->hdr);
		if (lk_cli_rejects_open(&f->rej, f->rejects, f->max_rejects, f->co.delim, &e) < 0 ||
		    lk_rejects_set_header(&f->rej, (const char *const *)f->rej_names, f->hdr->n,
					  &e) < 0)
			lk_cli_fail("--rejects", &e);
	}
	f->hdr = NULL;
	for (;;) {
		hdr_due = 0;
		if (!f->rd) {
			if (f->next == f->n)
				return 0;
			f->co.name = f->name = f->names[f->next++];
			f->fd = lk_cli_open_in(f->name);
			if (!(f->rd = lk_reader_new(f->fd, &f->co, &e)))
				lk_cli_fail(NULL, &e);
			hdr_due = !f->co.no_header;
		}
		if ((c = lk_reader_next(f->rd, row, &e)) < 0)
			lk_cli_read_fail(NULL, &e);
		if (c == 0) {
			lk_reader_free(f->rd);
			if (f->fd > 0)
				close(f->fd);
			f->rd = NULL;
			continue;
		}
		if (hdr_due) {
			lk_cli_dialect_warn(f->name, lk_reader_dialect(f->rd));
			f->hdr = *row;
			return 2;
		}
		if (f->co.no_header)
			return 1;
		f->in++;
		if (!(*row)->bad)
			return 1;
		if (lk_cli_reject(&f->rej, *row, (*row)->bad, &e) < 0)
			lk_cli_fail("--rejects", &e);
	}
}

int lk_cli_files_done(lk_cli_files *f)
{
	lk_err e = { .record = -1 };
	int rc = f->rej_names ? lk_cli_rejects_done(&f->rej, f->in, &e) : 0;

	if (rc < 0)
		lk_cli_fail("--rejects", &e);
	lk_cli_header_free(f->rej_names);
	f->rej_names = NULL;
	return rc;
}

/* ---- programs ---- */

int lk_cli_dot_svg(const lk_buf *dot, lk_buf *svg)
{
	char path[] = "/tmp/lead-report-XXXXXX", cmd[64], buf[8192];
	int fd = mkstemp(path), ok;
	FILE *f;
	size_t n;

	if (fd < 0)
		return -1;
	ok = write(fd, lk_buf_str(dot), dot->len) == (ssize_t)dot->len;
	close(fd);
	snprintf(cmd, sizeof cmd, "dot -Tsvg %s 2>/dev/null", path);
	f = ok ? popen(cmd, "r") : NULL;
	while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
		lk_buf_add(svg, buf, n);
	ok = f && pclose(f) == 0 && svg->len;
	unlink(path);
	return ok ? 0 : -1;
}

/* ---- counters and summaries ---- */

void lk_cli_counter(int on, const char *name, long n)
{
	if (on)
		fprintf(stderr, "reporter:counter:leadkit,%s,%ld\n", name, n);
}

void lk_cli_activity_summary(const lk_activities_stats *st, int counters)
{
	if (st->future)
		lk_cli_warn("%ld activit%s after --now ignored", st->future,
			    st->future == 1 ? "y" : "ies");
	if (st->unmatched)
		lk_cli_warn("%ld activit%s for no lead in the input", st->unmatched,
			    st->unmatched == 1 ? "y" : "ies");
	if (st->bad)
		lk_cli_warn("%ld activit%s rejected (%s)", st->bad,
			    st->bad == 1 ? "y" : "ies", st->bad_example);
	lk_cli_counter(counters, "activities_future", st->future);
}

void lk_cli_expr_warn(const lk_exprenv *env)
{
	if (env->nonnum)
		lk_cli_warn("%ld comparison%s with a non-numeric value counted as false",
			    env->nonnum, env->nonnum == 1 ? "" : "s");
	if (env->baddate)
		lk_cli_warn("%ld value%s in days_since() not a date", env->baddate,
			    env->baddate == 1 ? "" : "s");
}
