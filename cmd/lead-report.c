/*
 * lead-report - funnel and velocity reports over lead files, with
 * mergeable partial aggregates for split runs.
 *
 * Options, wiring and exit codes only; the counting, merging, rendering
 * and which kind takes which option are in lib/report.  Running
 * Graphviz's dot for process's svg is here: it runs a program, which
 * the library never does (report.h, lk_report_svg_fn).
 */
#include <getopt.h>

#include <time.h>

#include "cli.h"
#include "report/report.h"

static const char usage[] =
"Usage: lead-report [OPTION]... KIND [FILE]...\n"
"       lead-report [OPTION]... --merge KIND [PARTIAL]...\n"
"Aggregate leads (CSV or TSV, one header per file) into a report.\n"
"\n"
"Kinds:\n"
"  funnel       leads per stage of the model's success path: reached at least\n"
"               (current stage, or any later <stage>_at column filled) and\n"
"               currently in; stage-to-stage and cumulative conversion in\n"
"               percent; detours, blank and unknown stage values as rows\n"
"  velocity     calendar days between consecutive dated stages (<stage>_at\n"
"               columns): leads, median, p90, mean, min, max, and the count\n"
"               of negative durations (a stage dated before the previous one)\n"
"  calibration  scored leads against their outcome: ROC AUC, conversion per\n"
"               score band, MQL reject rate and won share per threshold,\n"
"               lift per rule of score_reasons\n"
"  sla          leads routed to sales: first touch before sla_due_at, by\n"
"               owner, and the breaches\n"
"  plan         the leads each stage needs for --revenue at --deal-size,\n"
"               from the conversion measured in the input (or given in\n"
"               the model's plan.rates), with a range\n"
"  timeline     per lead, stage changes, routing and activities in time order\n"
"  process      the model as the process document (Markdown; dot, svg, html)\n"
"\n"
"  -m, --model FILE        lead model (default $LEAD_MODEL, then ./lead.yaml)\n"
"      --by COL            one group per value of COL; month: the month of\n"
"                          created_at (unless the input has a month column)\n"
"      --outcome COL       calibration: 1/0, yes/no, won/lost or a stage\n"
"                          (default: the stage and <won>_at columns)\n"
"      --value COL         calibration: deal value of a won lead (default: 1)\n"
"      --bands LIST        calibration: score band edges, e.g. 0,25,50,75\n"
"                          (default: every 10 points)\n"
"      --activities FILE   sla, timeline: activities (lead_id or email,\n"
"                          activity, occurred_at, optional detail)\n"
"      --history FILE      stage changes (lead_id, stage, changed_at) standing in\n"
"                          for missing stage and <stage>_at columns; without\n"
"                          FILE arguments, the history's leads are the input\n"
"      --touch LIST        sla: activities that count as a touch (default: all)\n"
"      --now TIMESTAMP     leave out activities and history after this time;\n"
"                          sla: judge overdue leads at it (default: now)\n"
"      --revenue N         plan: revenue to reach\n"
"      --deal-size N       plan: revenue per won deal\n"
"      --lead ID           timeline: one lead only (its lead_id or email)\n"
"  -f, --format FMT        csv, tsv, table, json; svg (funnel and plan: a\n"
"                          chart), html (one page: chart and tables); process:\n"
"                          md, dot, svg, html (default: table on a terminal,\n"
"                          csv otherwise; process: md)\n"
"      --partial           write a partial aggregate instead of the report\n"
"      --merge             read partial aggregates (concatenated or as files)\n"
"                          and fold them; with --partial, write the sum\n"
"  -t, --tsv               tab-separated input (and tsv output by default)\n"
"  -d, --delimiter CHAR    input delimiter\n"
"  -o, --output FILE       write FILE atomically instead of stdout\n"
"      --rejects FILE      write malformed rows there, with _reject_reason, _line\n"
"      --max-rejects N     exit 1 when more than N rows are rejected\n"
LK_CLI_SCALE_HELP
"  -h, --help              this help\n"
"      --version           version\n"
"\n"
"Percentages have two decimals, rounded half up; a rate whose base is 0 is\n"
"empty (null in JSON).  Groups are sorted by value, so the report is the same\n"
"whatever the order or the split of the input.  Reports of several tables\n"
"(calibration, sla) print them one after the other, a blank line apart.\n"
"\n"
"Examples:\n"
"  lead-ingest export.csv | lead-report -m model.yaml funnel\n"
"  lead-report -m model.yaml --by source --format table funnel leads.csv\n"
"  lead-report -m model.yaml --by month velocity leads.csv\n"
"  lead-score --explain leads.csv | lead-report --outcome Converted calibration\n"
"  lead-report --activities acts.csv --now 2026-11-24T12:00:00Z sla routed.csv\n"
"  lead-report -m model.yaml --history stage-history.csv velocity\n"
"  lead-report --activities acts.csv --lead L-1042 -f table timeline leads.csv\n"
"  lead-report -m model.yaml --revenue 1200000 --deal-size 24000 plan leads.csv\n"
"  for f in part-*.csv; do lead-report --partial funnel \"$f\" > \"$f.agg\"; done\n"
"  cat part-*.csv.agg | lead-report --merge funnel\n"
"  lead-report -m model.yaml -f html --by source funnel leads.csv > funnel.html\n"
"  lead-report -m model.yaml -f svg process > process.svg\n";

enum {
	O_BY = 256, O_PARTIAL, O_MERGE, O_REJ, O_MAXREJ, O_VERSION, O_OUTCOME, O_VALUE,
	O_BANDS, O_ACT, O_TOUCH, O_NOW, O_REVENUE, O_DEAL, O_LEAD, O_HIST
};

static const struct option longopts[] = {
	{ "model", required_argument, NULL, 'm' }, { "by", required_argument, NULL, O_BY },
	{ "format", required_argument, NULL, 'f' },
	{ "partial", no_argument, NULL, O_PARTIAL }, { "merge", no_argument, NULL, O_MERGE },
	{ "tsv", no_argument, NULL, 't' }, { "delimiter", required_argument, NULL, 'd' },
	{ "output", required_argument, NULL, 'o' },
	{ "rejects", required_argument, NULL, O_REJ },
	{ "max-rejects", required_argument, NULL, O_MAXREJ },
	LK_CLI_SCALE_OPTS, { "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, O_VERSION },
	{ "outcome", required_argument, NULL, O_OUTCOME }, { "value", required_argument, NULL, O_VALUE },
	{ "bands", required_argument, NULL, O_BANDS },
	{ "activities", required_argument, NULL, O_ACT }, { "touch", required_argument, NULL, O_TOUCH },
	{ "now", required_argument, NULL, O_NOW }, { "revenue", required_argument, NULL, O_REVENUE },
	{ "deal-size", required_argument, NULL, O_DEAL }, { "lead", required_argument, NULL, O_LEAD },
	{ "history", required_argument, NULL, O_HIST },
	{ NULL, 0, NULL, 0 }
};

/* A reader error ends the run (exit 1). */
static void read_fail(const lk_err *e) __attribute__((noreturn));
static void read_fail(const lk_err *e)
{
	lk_cli_warn("%s", lk_err_str(e, (char[1024]){0}, 1024));
	exit(1);
}

/* A positive number option, or exit 2. */
static double positive(const char *opt, const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v > 0) || v > 1e15)
		lk_cli_usage("%s: '%s' is not a positive number", opt, s);
	return v;
}

/* Read the activity file (sla, timeline) or the stage history into the
 * report. */
static void read_side(lk_report *r, const char *path, char delim, int hist)
{
	lk_err e = { .record = -1 };
	int fd = lk_cli_open_in(path);

	if ((hist ? lk_report_load_history : lk_report_load_activities)(r, fd, path, delim, &e) < 0)
		lk_cli_fail(NULL, &e);
	if (fd > 0)
		close(fd);
}

/* "3 leads without ...": what a report could not use, on stderr. */
static void count_warn(long n, const char *noun, const char *what)
{
	if (n)
		lk_cli_warn("%ld %s%s %s", n, noun, n == 1 ? "" : "s", what);
}

/* Write everything, after the header line when `skip_header`, and commit
 * the output file; or exit: 0 quietly on a closed pipe, 1 on errors. */
static void write_out(lk_outfile *of, const lk_buf *out, int skip_header, const char *name)
{
	const char *p = lk_buf_str(out);
	size_t left = out->len;
	lk_err e = { .record = -1 };

	while (skip_header && left && left--)
		if (*p++ == '\n')
			break;
	while (left) {
		ssize_t k = write(of->fd, p, left);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			if (errno == EPIPE)
				exit(0);
			lk_cli_warn("%s: write failed: %s", name, strerror(errno));
			exit(1);
		}
		p += k;
		left -= (size_t)k;
	}
	if (lk_outfile_commit(of, &e) < 0)
		lk_cli_fail(NULL, &e);
}

/* SVG of a DOT graph by Graphviz's dot, for lk_report_process; -1 when
 * dot cannot run. */
static int run_dot(const lk_buf *src, lk_buf *svg)
{
	char path[] = "/tmp/lead-report-XXXXXX", cmd[64], buf[8192];
	int fd = mkstemp(path), ok;
	FILE *f;
	size_t n;

	if (fd < 0)
		return -1;
	ok = write(fd, lk_buf_str(src), src->len) == (ssize_t)src->len;
	close(fd);
	snprintf(cmd, sizeof cmd, "dot -Tsvg %s 2>/dev/null", path);
	f = ok ? popen(cmd, "r") : NULL;
	while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
		lk_buf_add(svg, buf, n);
	ok = f && pclose(f) == 0 && svg->len;
	unlink(path);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *model_path = NULL, *fmt_name = NULL, *outpath = NULL;
	const char *rejects = NULL, *out_name = "stdout", *acts = NULL, *hist = NULL;
	int c, partial = 0, merge = 0, nfiles, i, rej_ready = 0, have_now = 0;
	long maxrej = -1, in = 0;
	char delim = ',';
	static lk_outfile of;
	static lk_rejects rej;
	lk_err e = { .record = -1 };
	lk_report_kind kind;
	lk_report_fmt fmt = LK_FMT_CSV;
	lk_report_opt opt = { 0 };
	static double cut[256];
	lk_model *m;
	lk_report *r;
	lk_buf out = LK_BUF_INIT;
	const lk_report_stats *st;
	static const char *stdin_only[] = { "-" };
	char **files;

	lk_prog = "lead-report";
	while ((c = getopt_long(argc, argv, "m:f:td:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': model_path = optarg; break;
		case O_BY: opt.by = optarg; break;
		case O_OUTCOME: opt.outcome = optarg; break;
		case O_VALUE: opt.value = optarg; break;
		case O_BANDS:
			if ((opt.nbands = lk_report_bands_parse(optarg, cut, 256, &e)) < 0)
				lk_cli_fail(NULL, &e);
			opt.bands = cut;
			break;
		case O_ACT: acts = optarg; break;
		case O_TOUCH: opt.touch = optarg; break;
		case O_NOW: opt.now = lk_cli_now(optarg); have_now = 1; break;
		case O_REVENUE: opt.revenue = positive("--revenue", optarg); break;
		case O_DEAL: opt.deal_size = positive("--deal-size", optarg); break;
		case O_LEAD: opt.lead = optarg; break;
		case O_HIST: hist = optarg; break;
		case 'f': fmt_name = optarg; break;
		case O_PARTIAL: partial = 1; break;
		case O_MERGE: merge = 1; break;
		case 't': delim = '\t'; break;
		case 'd': delim = lk_cli_delim(optarg); break;
		case 'o': outpath = optarg; break;
		case O_REJ: rejects = optarg; break;
		case O_MAXREJ: maxrej = lk_cli_long("--max-rejects", optarg); break;
		case 'h': fputs(usage, stdout); return 0;
		case O_VERSION: printf("lead-report (leadkit) %s\n", LK_VERSION); return 0;
		default: if (!lk_cli_scale_opt(c, optarg)) lk_cli_usage("unknown option");
		}
	}
	if (lk_scale.partition)
		lk_cli_usage("--partition: lead-report --partial output needs no partitions (--merge folds any)");
	if (lk_scale.no_header_out && (partial || (fmt_name && strcmp(fmt_name, "csv") && strcmp(fmt_name, "tsv"))))
		lk_cli_usage("--no-header-out: only for csv and tsv reports");
#define KINDS "funnel, velocity, calibration, sla, plan, timeline or process"
	if (optind >= argc)
		lk_cli_usage("no report kind: " KINDS);
	if (lk_report_kind_parse(argv[optind], &kind) < 0)
		lk_cli_usage("unknown report kind '%s': " KINDS, argv[optind]);
	optind++;
	/* What the run was given, held against what the kind takes. */
	if (lk_report_check(kind, (partial ? LK_ROPT_PARTIAL : 0) | (merge ? LK_ROPT_MERGE : 0) |
			    (opt.by ? LK_ROPT_BY : 0) | (hist ? LK_ROPT_HISTORY : 0) |
			    (acts ? LK_ROPT_ACTIVITIES : 0) | (optind < argc ? LK_ROPT_FILES : 0) |
			    (lk_scale.no_header_out ? LK_ROPT_NO_HEADER_OUT : 0) |
			    (opt.revenue && opt.deal_size ? LK_ROPT_TARGET : 0), &e) < 0)
		lk_cli_fail(NULL, &e);
	if (!have_now)
		opt.now = (int64_t)time(NULL);
	if (fmt_name && lk_report_fmt_parse(fmt_name, &fmt) < 0)
		lk_cli_usage("--format: '%s' is not csv, tsv, table, json, svg, html, dot or md", fmt_name);
	if (fmt_name && partial)
		lk_cli_usage("--format and --partial: a partial aggregate has one format");
	if (merge && rejects)
		lk_cli_usage("--rejects: partial aggregates have no lead rows to reject");
	if (outpath && strcmp(outpath, "-"))
		out_name = outpath;

	m = lk_model_load(lk_model_path(model_path), &e);
	if (!m)
		lk_cli_fail(NULL, &e);
	if (kind == LK_REPORT_PROCESS) {
		if (optind < argc)
			lk_cli_usage("process: renders the model; it reads no leads");
		if (lk_report_process(m, fmt_name ? fmt : LK_FMT_MD, run_dot, &out, &e) < 0)
			lk_cli_fail(NULL, &e);
		if (lk_cli_outfile_open(&of, outpath, &e) < 0)
			lk_cli_fail(NULL, &e);
		write_out(&of, &out, 0, out_name);
		lk_buf_free(&out);
		lk_model_free(m);
		return 0;
	}
	r = lk_report_new_opt(m, kind, &opt, &e);
	if (!r)
		lk_cli_fail(NULL, &e);
	if (acts)
		read_side(r, acts, delim, 0);
	if (hist)
		read_side(r, hist, delim, 1);
	if (lk_cli_outfile_open(&of, outpath, &e) < 0)
		lk_cli_fail(NULL, &e);
	if (!fmt_name)
		fmt = isatty(of.fd) ? LK_FMT_TABLE : delim == '\t' ? LK_FMT_TSV : LK_FMT_CSV;

	nfiles = argc - optind;
	files = nfiles ? argv + optind : (char **)stdin_only;
	if (!nfiles && hist) {
		/* The history alone: its leads are the input. */
		if (lk_report_add_history_leads(r, &e) < 0)
			lk_cli_fail(NULL, &e);
	} else if (!nfiles) {
		nfiles = 1;
	}
	for (i = 0; i < nfiles; i++) {
		lk_csvopt co = { 0 };
		lk_reader *rd;
		lk_row *row;
		int fd;

		co.delim = merge ? ',' : delim;
		co.no_header = merge;
		co.header_from = merge ? NULL : lk_scale.header_from;
		co.name = files[i];
		fd = lk_cli_open_in(co.name);
		rd = lk_reader_new(fd, &co, &e);
		if (!rd)
			lk_cli_fail(NULL, &e);
		if (!merge) {
			/* Each file has its own header; an empty file adds no lead. */
			c = lk_reader_next(rd, &row, &e);
			if (c < 0)
				read_fail(&e);
			if (c == 0)
				goto next;
			if (lk_report_bind(r, (const char *const *)row->f, row->n, &e) < 0) {
				e.kind = LK_EUSAGE;
				lk_cli_fail(co.name, &e);
			}
			if (!rej_ready) {
				/* The rejects file keeps the first file's header. */
				lk_rejects_init(&rej, rejects, maxrej, delim);
				lk_rejects_header(&rej, (const char *const *)lk_cli_header_copy(row), row->n);
				rej_ready = 1;
			}
		}
		while ((c = lk_reader_next(rd, &row, &e)) > 0) {
			if (merge) {
				if (lk_report_merge_row(r, row, &e) < 0) {
					snprintf(e.file, sizeof e.file, "%s", co.name);
					lk_cli_fail(NULL, &e);
				}
				continue;
			}
			in++;
			if (row->bad) {
				lk_rejects_add(&rej, row, row->bad);
				continue;
			}
			if (lk_report_add(r, row, &e) < 0)
				lk_cli_fail(NULL, &e);
		}
		if (c < 0)
			read_fail(&e);
next:
		lk_reader_free(rd);
		if (fd > 0)
			close(fd);
	}

	if ((partial ? lk_report_partial(r, &out, &e) : lk_report_render(r, fmt, &out, &e)) < 0)
		lk_cli_fail(NULL, &e);
	write_out(&of, &out, lk_scale.no_header_out && (fmt == LK_FMT_CSV || fmt == LK_FMT_TSV),
		  out_name);

	st = lk_report_stats_get(r);
	count_warn(st->unknown, "lead", "with a stage the model does not know (rows of kind unknown)");
	count_warn(st->bad_dates, "<stage>_at value", "not a date (ignored)");
	count_warn(st->bad_scores, "lead", "without a numeric score (left out)");
	count_warn(st->open, "lead", "without an outcome yet (left out)");
	count_warn(st->bad_outcomes, "lead", "whose outcome is not 1/0, yes/no, won/lost or a stage (left out)");
	count_warn(st->no_sla, "sales lead", "without a sla_due_at date (left out)");
	count_warn(st->bad_times, "time value", "not a date (ignored)");
	count_warn(st->hist_unknown, "history row", "with a stage the model does not know");
	count_warn(st->bad_months, "lead", "without a created_at date (month blank)");
	count_warn(st->neg_response, "first touch", "before assigned_at (left out of response times)");
	lk_cli_counter(lk_scale.counters, "rows_in", in);
	lk_cli_counter(lk_scale.counters, "rows_rejected", rej.count);
	c = rej_ready ? lk_rejects_finish(&rej, in) : 0;
	lk_buf_free(&out);
	lk_report_free(r);
	lk_model_free(m);
	return c;
}
