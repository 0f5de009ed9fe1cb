/* filter.c - the filter driver of the per-lead tools; see filter.h. */
#include "filter.h"

#include "core/rowstore.h"

/* The shared options; the others are the tool's, and unknown here. */
void lk_cli_filter_opt(lk_filter_opts *o, int c, const char *arg, const char *usage)
{
	switch (c) {
	case 'm': o->model = arg; return;
	case LK_O_NOW: o->env.now = lk_cli_now(arg); return;
	/* -t is TSV both ways; -d is the input's alone. */
	case 't': o->delim = o->out_delim = '\t'; return;
	case 'd': o->delim = lk_cli_delim(arg); return;
	case LK_O_OUT_DELIM: o->out_delim = lk_cli_delim(arg); return;
	case 'o': o->output = arg; return;
	case LK_O_FLUSH: o->flush = 1; return;
	case LK_O_REJECTS: o->rejects = arg; return;
	case LK_O_MAX_REJECTS: o->max_rejects = lk_cli_long("--max-rejects", arg); return;
	case 'h':
		fputs(usage, stdout);
		exit(0);
	case LK_O_VERSION:
		printf("%s (leadkit) %s\n", lk_prog, LK_VERSION);
		exit(0);
	}
	if (!lk_cli_scale_opt(c, arg))
		lk_cli_usage("unknown option");
}

/* A second output (lk_filter_side). */
struct side {
	lk_outfile file;
	lk_writer *w;
	const char *name;		/* in its flush errors */
};

enum { NSIDES = 2, NEXTRA = 2 };

struct lk_filter {
	const lk_filter_ops *ops;
	void *st;			/* the tool's state */
	const lk_filter_opts *o;
	const char *const *inputs;	/* the input now read, then the others */
	lk_csvopt co;			/* its reader's options */
	int fd;				/* its descriptor, -1: none */
	lk_leads *in;			/* its rows */
	lk_activities *acts;		/* the table joined to them */
	int eof;			/* every input is read */
	char **hdr;			/* the first input's header, copied */
	int nhdr;
	const char *const *rej_names;	/* the rejects header */
	int nrej_names;
	lk_rejects rej;
	int rej_open, rej_header, rej_done;
	lk_outfile out;
	int out_open;
	lk_writer *w;
	const char *out_name;
	struct side side[NSIDES];
	int nside;
	lk_reader *extra[NEXTRA];	/* lk_filter_open's inputs */
	int extra_fd[NEXTRA];
	int nextra;
	lk_rowstore *ahead;		/* rows read ahead, replayed first */
	long next_ahead;
	lk_row arow;			/* the replayed row */
	int acap;
	long nin, nout;
	lk_exprenv env;			/* the rows' expressions' */
	int counted;			/* the rows counters are out */
	int status;			/* the exit code of a run that ended */
	char first_reason[240];		/* the first rejected row's, and its line */
	long first_line;
	/* opts.shapes: the inputs, their rows, the union of their columns */
	int cur, ninputs;		/* the input read now, and how many */
	struct inrows {
		long in, out, rej;
	} *per;
	char **uni;			/* the rejects' header: the union, _file */
	int nuni;			/* the union's columns (without _file) */
	int **umap;			/* per input, per column: union column */
	int *ucols;			/* per input: its columns */
	lk_row laid;			/* a rejected row laid out under the union */
	int laidcap;
	lk_err rerr;			/* the per-row calls' error: filled only
					 * on failure, after which the run ends,
					 * so it is set up once, not per row */
};

int lk_filter_fail(lk_filter *f, const char *what, const lk_err *e)
{
	f->status = lk_cli_report(what, e);
	return -1;
}

int lk_filter_nomem(lk_filter *f)
{
	lk_err e;

	lk_err_set(&e, LK_ENOMEM, "out of memory");
	return lk_filter_fail(f, NULL, &e);
}

int lk_filter_stop(lk_filter *f, int status)
{
	f->status = status;
	return -1;
}

static int read_failed(lk_filter *f, const lk_err *e)
{
	return lk_filter_stop(f, lk_cli_read_report(f->co.name, e));
}

/* Open input `name` and read its header into *hdr (NULL: the input is
 * empty); -1 when it cannot be read. */
static int open_input(lk_filter *f, const char *name, lk_row **hdr)
{
	lk_err e = { .record = -1 };
	int c;

	lk_leads_free(f->in);
	f->in = NULL;
	if (f->fd > 0)
		close(f->fd);
	f->fd = -1;
	f->co = f->o->csv;
	f->co.delim = f->o->delim;
	f->co.detect = f->o->delim ? 0 : f->o->flush ? 1 : LK_CLI_DETECT;
	f->co.name = name;
	f->co.header_from = lk_scale.header_from;
	if (lk_cli_input(name, &f->fd) < 0)
		return lk_filter_stop(f, 1);
	f->in = lk_leads_new(f->fd, &f->co, f->o->keyed_in, f->env.now, f->env.order, &e);
	if (!f->in)
		return lk_filter_fail(f, NULL, &e);
	c = lk_leads_next(f->in, hdr, &e);
	if (c < 0)
		return read_failed(f, &e);
	if (c == 0)
		*hdr = NULL;
	else
		lk_cli_dialect_warn(name, lk_leads_dialect(f->in));
	return 0;
}

static int open_rejects(lk_filter *f)
{
	lk_err e = { .record = -1 };

	f->rej_open = 1;
	if (lk_cli_rejects_open(&f->rej, f->o->rejects, f->o->max_rejects, f->o->out_delim, &e) < 0)
		return lk_filter_fail(f, "--rejects", &e);
	return 0;
}

static int open_output(lk_filter *f)
{
	lk_err e = { .record = -1 };

	if (lk_cli_outfile_open(&f->out, f->o->output, &e) < 0)
		return lk_filter_fail(f, NULL, &e);
	f->out_open = 1;
	f->w = lk_writer_new(f->out.fd, f->o->out_delim, f->o->flush || isatty(f->out.fd));
	if (!f->w)
		return lk_filter_nomem(f);
	if (lk_cli_scale_check(f->o->keyed_out))
		return lk_filter_stop(f, 2);
	lk_writer_set_keyed(f->w, f->o->keyed_out);
	lk_writer_set_partition(f->w, lk_scale.partition);
	return 0;
}

/* The next row of the inputs, each in turn; 1, 0 at the end, -1 when
 * the run ends. */
static int read_row(lk_filter *f, lk_row **row)
{
	lk_row *hdr;
	int c, i;

	while (!f->eof) {
		c = lk_leads_next(f->in, row, &f->rerr);
		if (c != 0)
			return c > 0 ? 1 : read_failed(f, &f->rerr);
		/* A further input: its rows follow under the same header. */
		if (!f->inputs || !*f->inputs || !*++f->inputs) {
			f->eof = 1;
			break;
		}
		if (open_input(f, *f->inputs, &hdr) < 0)
			return -1;
		if (f->per) {
			f->cur++;
			if (f->ops->input && f->ops->input(f->st, f, f->cur) != 0)
				return -1;
			continue;
		}
		if (!hdr)
			continue;
		for (i = 0; hdr->n == f->nrej_names && i < hdr->n; i++)
			if (strcmp(hdr->f[i], f->rej_names[i]))
				break;
		if (hdr->n != f->nrej_names || i < hdr->n) {
			lk_cli_warn("%s: header differs from the first file's", f->co.name);
			return lk_filter_stop(f, 1);
		}
	}
	return 0;
}

/* The next row: the rows read ahead first, then read_row's. */
static int next_row(lk_filter *f, lk_row **row)
{
	int n;
	char **fl;
	size_t *ln;

	if (!f->ahead || f->next_ahead >= lk_rowstore_count(f->ahead))
		return read_row(f, row);
	n = lk_rowstore_width(f->ahead, f->next_ahead);
	if (n > f->acap) {
		if (!(fl = realloc(f->arow.f, (size_t)n * sizeof *fl)))
			return lk_filter_nomem(f);
		f->arow.f = fl;
		if (!(ln = realloc(f->arow.len, (size_t)n * sizeof *ln)))
			return lk_filter_nomem(f);
		f->arow.len = ln;
		f->acap = n;
	}
	lk_rowstore_get(f->ahead, f->next_ahead++, &f->arow);
	*row = &f->arow;
	return 1;
}

/* Input idx's columns `names` (n) in the union of the inputs' columns. */
static int unite(lk_filter *f, int idx, const char *const *names, int n)
{
	int i, j, k, q;

	if (!(f->umap[idx] = calloc((size_t)n + 1, sizeof **f->umap)))
		return -1;
	f->ucols[idx] = n;
	for (i = 0; i < n; i++) {
		/* The k-th column of a name in this input is the k-th of the union. */
		for (k = 0, q = 0; q < i; q++)
			k += !strcmp(names[q], names[i]);
		for (j = 0; j < f->nuni; j++)
			if (!strcmp(f->uni[j], names[i]) && k-- == 0)
				break;
		if (j == f->nuni) {
			char **u = realloc(f->uni, sizeof *u * (size_t)(f->nuni + 2));
			if (!u)
				return -1;
			f->uni = u;
			f->uni[f->nuni + 1] = NULL;
			if (!(f->uni[f->nuni++] = strdup(names[i])))
				return -1;
		}
		f->umap[idx][i] = j;
	}
	return 0;
}

/* opts.shapes: the header of every further input, shown to ops->shape;
 * the union of their columns becomes the rejects' header. */
static int shapes(lk_filter *f)
{
	const lk_filter_ops *ops = f->ops;
	int i, n, rc;

	for (n = 1; f->inputs && f->inputs[0] && f->inputs[n]; n++)
		;
	f->ninputs = n;
	f->per = calloc((size_t)n, sizeof *f->per);
	f->umap = calloc((size_t)n, sizeof *f->umap);
	f->ucols = calloc((size_t)n, sizeof *f->ucols);
	if (!f->per || !f->umap || !f->ucols ||
	    unite(f, 0, (const char *const *)f->hdr, f->nhdr) < 0)
		return lk_filter_nomem(f);
	for (i = 1; i < n; i++) {
		const char *name = f->inputs[i];
		lk_csvopt co = f->o->csv;
		lk_err e = { .record = -1 };
		lk_reader *rd;
		lk_row *hdr;
		int fd, c, nn;
		char **names;

		if (!strcmp(name, "-")) {
			lk_cli_warn("standard input ('-') can only be the first input");
			return lk_filter_stop(f, 2);
		}
		if (lk_cli_input(name, &fd) < 0)
			return lk_filter_stop(f, 1);
		co.delim = f->o->delim;
		co.name = name;
		if (!(rd = lk_reader_new(fd, &co, &e))) {
			close(fd);
			return lk_filter_fail(f, NULL, &e);
		}
		c = lk_reader_next(rd, &hdr, &e);
		rc = c > 0 && ops->shape ? ops->shape(f->st, f, i, name, hdr) : 0;
		names = c > 0 && rc == 0 ? lk_cli_header_dup(hdr) : NULL;
		nn = c > 0 ? hdr->n : 0;
		lk_reader_free(rd);
		close(fd);
		if (c < 0)
			return read_failed(f, &e);
		if (c == 0) {
			lk_cli_warn("%s: empty input: no header row", name);
			return lk_filter_stop(f, 1);
		}
		if (rc != 0)
			return rc;
		if (!names)
			return lk_filter_nomem(f);
		rc = unite(f, i, (const char *const *)names, nn);
		lk_cli_header_free(names);
		if (rc < 0)
			return lk_filter_nomem(f);
	}
	if (n > 1) {
		if (!(f->uni[f->nuni] = strdup("_file")))
			return lk_filter_nomem(f);
		lk_filter_rejects_header(f, (const char *const *)f->uni, f->nuni + 1);
	}
	return 0;
}

/* Steps 2 to 5: the input, its header, the rejects, bind, reading ahead. */
static int begin(lk_filter *f)
{
	const lk_filter_ops *ops = f->ops;
	const lk_filter_opts *o = f->o;
	const char *first = f->inputs && *f->inputs ? *f->inputs : "-";
	lk_row *row;
	int rc, c = 1;

	if (open_input(f, first, &row) < 0)
		return -1;
	if (!row) {
		lk_cli_warn(o->empty ? o->empty : o->keyed_in ?
			    "%s: no leads in the keyed input (no lead header line)" :
			    "%s: empty input: no header row", o->name ? o->name : first);
		return lk_filter_stop(f, 1);
	}
	if (!(f->hdr = lk_cli_header_dup(row)))
		return lk_filter_nomem(f);
	f->nhdr = row->n;
	lk_filter_rejects_header(f, (const char *const *)f->hdr, f->nhdr);
	if (!o->late_rejects && !f->rej_open && open_rejects(f) < 0)
		return -1;
	if (ops->bind && (rc = ops->bind(f->st, f, row, (const char *const *)f->hdr,
					  f->nhdr)) != 0)
		return rc;
	if (o->shapes && (rc = shapes(f)) != 0)
		return rc;
	if (lk_filter_rejects_open(f) < 0)
		return -1;
	if (o->ahead > 0 && !(f->ahead = lk_rowstore_new()))
		return lk_filter_nomem(f);
	/* Across the inputs: a short first one leaves room for the next. */
	while (f->ahead && lk_rowstore_count(f->ahead) < o->ahead && (c = read_row(f, &row)) > 0) {
		if (lk_rowstore_add(f->ahead, row) < 0)
			return lk_filter_nomem(f);
		if (ops->ahead && (rc = ops->ahead(f->st, f, row)) != 0)
			return rc;
	}
	if (c < 0)
		return -1;
	return ops->settle ? ops->settle(f->st, f) : 0;
}

/* Steps 9 to 12, after the last row. */
static int end(lk_filter *f)
{
	const lk_filter_ops *ops = f->ops;
	lk_err e = { .record = -1 };
	int i, rc, all;

	if (ops->finish && (rc = ops->finish(f->st, f)) != 0)
		return rc;
	if (lk_filter_flush(f) < 0)
		return -1;
	for (i = 0; i < f->nside; i++)
		if (lk_writer_flush(f->side[i].w, &e) < 0)
			return lk_filter_fail(f, f->side[i].name, &e);
	/* Rows came in and every one was rejected: the run failed, and an
	 * -o FILE keeps what it held (an empty batch never replaces it). */
	all = f->nin > 0 && f->nout == 0 && f->rej.count >= f->nin;
	/* Too many rejects fails the run: with abort_rejected, the old output stays. */
	if (all || (f->o->abort_rejected && lk_rejects_over(&f->rej)))
		lk_outfile_abort(&f->out);
	else if (lk_outfile_commit(&f->out, &e) < 0)
		return lk_filter_fail(f, NULL, &e);
	for (i = 0; i < f->nside && !all; i++)
		if (lk_outfile_commit(&f->side[i].file, &e) < 0)
			return lk_filter_fail(f, NULL, &e);
	lk_cli_expr_warn(&f->env);
	if (ops->report)
		ops->report(f->st, f);
	if (!f->counted)
		lk_filter_counters(f);
	f->rej_done = 1;
	if ((rc = lk_cli_rejects_done(&f->rej, f->nin, &e)) < 0) {
		f->rej_done = 0;
		return lk_filter_fail(f, "--rejects", &e);
	}
	if (all) {
		lk_cli_warn("all %ld row%s rejected, none written%s; first reason (line %ld): %s",
			    f->nin, f->nin == 1 ? "" : "s",
			    f->o->output && strcmp(f->o->output, "-") ? " (the output file is left as "
			    "it was)" : "", f->first_line, f->first_reason);
		rc = 1;
	}
	return lk_filter_stop(f, rc);
}

static int run(lk_filter *f)
{
	const lk_filter_ops *ops = f->ops;
	const lk_filter_opts *o = f->o;
	lk_row *row;
	int rc, c;

	if (o->out_first) {
		if (open_output(f) < 0 || open_rejects(f) < 0)
			return -1;
		if (ops->start && (rc = ops->start(f->st, f)) != 0)
			return rc;
		if (o->no_input)
			return end(f);
	}
	if ((rc = begin(f)) != 0)
		return rc;
	if (!f->out_open && open_output(f) < 0)
		return -1;
	if (ops->header && (rc = ops->header(f->st, f)) != 0)
		return rc;
	while ((c = next_row(f, &row)) > 0) {
		f->nin++;
		if (f->per)
			f->per[f->cur].in++;
		if (row->bad) {
			if (lk_filter_reject(f, row, row->bad) < 0)
				return -1;
			continue;
		}
		if (ops->row && (rc = ops->row(f->st, f, row)) != 0)
			return rc;
	}
	return c < 0 ? -1 : end(f);
}

int lk_filter_run(const lk_filter_ops *ops, void *st, const lk_filter_opts *o)
{
	lk_filter *f = calloc(1, sizeof *f);
	int i, status;

	if (!f) {
		lk_cli_warn("out of memory");
		return 1;
	}
	f->ops = ops;
	f->st = st;
	f->o = o;
	f->inputs = o->inputs;
	f->env = o->env;
	f->fd = -1;
	f->rerr.record = -1;
	f->out_name = o->output && strcmp(o->output, "-") ? o->output : "stdout";
	/* LK_FILTER_DONE ends the run with 0; every other end has set it. */
	if (run(f) == LK_FILTER_DONE)
		f->status = 0;
	status = f->status;
	/* What a run that ended early opened goes away; committed files stay. */
	lk_leads_free(f->in);
	if (f->fd > 0)
		close(f->fd);
	lk_activities_free(f->acts);
	lk_cli_header_free(f->hdr);
	for (i = 0; i < f->nextra; i++) {
		lk_reader_free(f->extra[i]);
		if (f->extra_fd[i] > 0)
			close(f->extra_fd[i]);
	}
	lk_rowstore_free(f->ahead);
	for (i = 0; f->uni && i <= f->nuni; i++)
		free(f->uni[i]);
	free(f->uni);
	for (i = 0; f->umap && i < f->ninputs; i++)
		free(f->umap[i]);
	free(f->umap);
	free(f->ucols);
	free(f->per);
	free(f->laid.f);
	free(f->laid.len);
	free(f->arow.f);
	free(f->arow.len);
	lk_writer_free(f->w);
	lk_outfile_abort(&f->out);
	lk_cli_outfile_forget(&f->out);
	for (i = 0; i < f->nside; i++) {
		lk_writer_free(f->side[i].w);
		lk_outfile_abort(&f->side[i].file);
		lk_cli_outfile_forget(&f->side[i].file);
	}
	if (!f->rej_done)
		lk_rejects_free(&f->rej);
	lk_cli_outfile_forget(&f->rej.file);
	free(f);
	return status;
}

int lk_filter_header(lk_filter *f, const char *const *names, int n)
{
	lk_err e = { .record = -1 };

	if (lk_scale.no_header_out)
		return 0;
	/* A keyed output's header line has the empty key. */
	if (f->o->keyed_out)
		lk_writer_raw(f->w, "\t", 1);
	if (lk_writer_row(f->w, names, NULL, n, &e) < 0)
		return lk_filter_fail(f, f->out_name, &e);
	return 0;
}

int lk_filter_put(lk_filter *f, const lk_row *out)
{
	if (lk_writer_row(f->w, (const char *const *)out->f, out->len, out->n, &f->rerr) < 0)
		return lk_filter_fail(f, f->out_name, &f->rerr);
	f->nout++;
	if (f->per)
		f->per[f->cur].out++;
	return 0;
}

int lk_filter_put_keyed(lk_filter *f, const char *key, size_t klen, const lk_row *out)
{
	lk_writer_raw(f->w, key, klen);
	return lk_filter_put(f, out);
}

/* A row of input f->cur laid out under the union of the inputs' columns
 * and _file (shapes(), with several inputs); NULL on ENOMEM. */
static const lk_row *lay_out(lk_filter *f, const lk_row *row)
{
	int i, nc = f->ucols[f->cur], n = f->nuni + 1 + (row->n > nc ? row->n - nc : 0);

	if (n > f->laidcap) {
		char **fl = realloc(f->laid.f, sizeof *fl * (size_t)n);
		size_t *ln = fl ? realloc(f->laid.len, sizeof *ln * (size_t)n) : NULL;
		if (fl)
			f->laid.f = fl;
		if (!ln)
			return NULL;
		f->laid.len = ln;
		f->laidcap = n;
	}
	for (i = 0; i < n; i++) {
		f->laid.f[i] = "";
		f->laid.len[i] = 0;
	}
	for (i = 0; i < row->n; i++) {
		int to = i < nc ? f->umap[f->cur][i] : f->nuni + 1 + i - nc;
		f->laid.f[to] = row->f[i];
		f->laid.len[to] = row->len[i];
	}
	f->laid.f[f->nuni] = (char *)f->o->inputs[f->cur];
	f->laid.len[f->nuni] = strlen(f->o->inputs[f->cur]);
	f->laid.n = n;
	f->laid.record = row->record;
	f->laid.line = row->line;
	f->laid.nlines = row->nlines;
	f->laid.bad = row->bad;
	return &f->laid;
}

int lk_filter_reject(lk_filter *f, const lk_row *row, const char *reason)
{
	lk_err e = { .record = -1 };

	if (!f->first_reason[0]) {
		snprintf(f->first_reason, sizeof f->first_reason, "%s", reason);
		f->first_line = row->line;
	}
	if (f->per) {
		f->per[f->cur].rej++;
		if (f->ninputs > 1 && !(row = lay_out(f, row)))
			return lk_filter_nomem(f);
	}
	if (lk_cli_reject(&f->rej, row, reason, &e) < 0)
		return lk_filter_fail(f, "--rejects", &e);
	return 0;
}

int lk_filter_flush(lk_filter *f)
{
	lk_err e = { .record = -1 };

	if (lk_writer_flush(f->w, &e) < 0)
		return lk_filter_fail(f, f->out_name, &e);
	return 0;
}

lk_exprenv *lk_filter_env(lk_filter *f)
{
	return &f->env;
}

lk_writer *lk_filter_writer(lk_filter *f)
{
	return f->w;
}

const char *lk_filter_out_name(const lk_filter *f)
{
	return f->out_name;
}

const char *const *lk_filter_input_header(const lk_filter *f, int *n)
{
	*n = f->nhdr;
	return (const char *const *)f->hdr;
}

const lk_dialect *lk_filter_dialect(const lk_filter *f)
{
	return lk_leads_dialect(f->in);
}

lk_leads *lk_filter_leads(lk_filter *f)
{
	return f->in;
}

void lk_filter_rejects_header(lk_filter *f, const char *const *names, int n)
{
	f->rej_names = names;
	f->nrej_names = n;
}

int lk_filter_rejects_open(lk_filter *f)
{
	lk_err e = { .record = -1 };

	if (!f->rej_open && open_rejects(f) < 0)
		return -1;
	if (f->rej_header++)
		return 0;
	if (lk_rejects_set_header(&f->rej, f->rej_names, f->nrej_names, &e) < 0)
		return lk_filter_fail(f, "--rejects", &e);
	return 0;
}

int lk_filter_inputs(const lk_filter *f)
{
	return f->per ? f->ninputs : 1;
}

const char *lk_filter_input_name(const lk_filter *f, int idx)
{
	return f->o->inputs && f->o->inputs[0] ? f->o->inputs[idx] : "-";
}

void lk_filter_input_rows(const lk_filter *f, int idx, long *in, long *out, long *rej)
{
	if (!f->per) {
		*in = f->nin, *out = f->nout, *rej = f->rej.count;
		return;
	}
	*in = f->per[idx].in, *out = f->per[idx].out, *rej = f->per[idx].rej;
}

long lk_filter_rows_in(const lk_filter *f)
{
	return f->nin;
}

long lk_filter_rows_out(const lk_filter *f)
{
	return f->nout;
}

long lk_filter_rows_rejected(const lk_filter *f)
{
	return f->rej.count;
}

lk_reader *lk_filter_open(lk_filter *f, const char *path, lk_row **hdr)
{
	lk_csvopt co = { 0 };
	lk_err e = { .record = -1 };
	lk_reader *rd;
	int c;

	if (f->nextra == NEXTRA) {
		lk_filter_nomem(f);
		return NULL;
	}
	co.delim = f->o->delim;
	co.detect = f->o->delim ? 0 : LK_CLI_DETECT;
	co.name = path;
	if (lk_cli_input(path, &f->extra_fd[f->nextra]) < 0) {
		lk_filter_stop(f, 1);
		return NULL;
	}
	/* Kept with its descriptor, both freed when the run ends. */
	rd = f->extra[f->nextra] = lk_reader_new(f->extra_fd[f->nextra], &co, &e);
	f->nextra++;
	if (!rd) {
		lk_filter_fail(f, NULL, &e);
		return NULL;
	}
	c = lk_reader_next(rd, hdr, &e);
	if (c < 0)
		lk_filter_stop(f, lk_cli_read_report(path, &e));
	if (c > 0)
		lk_cli_dialect_warn(path, lk_reader_dialect(rd));
	if (c == 0) {
		lk_cli_warn("%s: empty input: no header row", path);
		lk_filter_stop(f, 1);
	}
	return c > 0 ? rd : NULL;
}

int lk_filter_read(lk_filter *f, lk_reader *rd, lk_row **row)
{
	lk_err e = { .record = -1 };
	int c = lk_reader_next(rd, row, &e);

	return c < 0 ? lk_filter_stop(f, lk_cli_read_report(NULL, &e)) : c;
}

int lk_filter_activities(lk_filter *f, const char *path, int details, const char *const *keep,
			 int nkeep)
{
	lk_err e = { .record = -1 };
	int fd;

	if (lk_cli_input(path, &fd) < 0)
		return lk_filter_stop(f, 1);
	f->acts = details ? lk_activities_load_details(fd, path, f->env.now, f->env.order, keep,
							nkeep, &e)
			  : lk_activities_load(fd, path, f->env.now, f->env.order, &e);
	if (fd > 0)
		close(fd);
	if (!f->acts)
		return lk_filter_fail(f, NULL, &e);
	lk_activities_bind(f->acts, (const char *const *)f->hdr, f->nhdr);
	lk_leads_join(f->in, f->acts);
	return 0;
}

void lk_filter_activity_summary(lk_filter *f)
{
	const lk_activities_stats *st = f->in ? lk_leads_stats(f->in) : NULL;

	if (st)
		lk_cli_activity_summary(st, lk_scale.counters);
}

lk_writer *lk_filter_side(lk_filter *f, const char *path, const char *what,
			  const char *const *names, int n, int flush)
{
	lk_err e = { .record = -1 };
	struct side *s = &f->side[f->nside];

	if (f->nside == NSIDES) {
		lk_filter_nomem(f);
		return NULL;
	}
	if (lk_cli_outfile_open(&s->file, path, &e) < 0) {
		lk_filter_fail(f, what, &e);
		return NULL;
	}
	f->nside++;
	s->name = path;
	if (!(s->w = lk_writer_new(s->file.fd, f->o->out_delim, flush))) {
		lk_filter_nomem(f);
		return NULL;
	}
	if (!lk_scale.no_header_out && lk_writer_row(s->w, names, NULL, n, &e) < 0) {
		lk_filter_fail(f, path, &e);
		return NULL;
	}
	return s->w;
}

void lk_filter_counters(lk_filter *f)
{
	lk_cli_counter(lk_scale.counters, "rows_in", f->nin);
	lk_cli_counter(lk_scale.counters, "rows_out", f->nout);
	lk_cli_counter(lk_scale.counters, "rows_rejected", f->rej.count);
	f->counted = 1;
}
