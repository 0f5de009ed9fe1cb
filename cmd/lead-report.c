/*
 * lead-report - funnel and velocity reports over lead files, with
 * mergeable partial aggregates for split runs.
 *
 * Options, wiring and exit codes only; the counting, merging and
 * rendering are in lib/report.c.
 */
#include <getopt.h>

#include "cli.h"
#include "report.h"

static const char usage[] =
"Usage: lead-report [OPTION]... KIND [FILE]...\n"
"       lead-report [OPTION]... --merge KIND [PARTIAL]...\n"
"Aggregate leads (CSV or TSV, one header per file) into a report.\n"
"\n"
"Kinds:\n"
"  funnel     leads per stage of the model's success path: reached at least\n"
"             (current stage, or any later <stage>_at column filled) and\n"
"             currently in; stage-to-stage and cumulative conversion in\n"
"             percent; detours, blank and unknown stage values as rows\n"
"  velocity   calendar days between consecutive dated stages (<stage>_at\n"
"             columns): leads, median, p90, mean, min, max, and the count\n"
"             of negative durations (a stage dated before the previous one)\n"
"\n"
"  -m, --model FILE        lead model (default $LEAD_MODEL, then ./lead.yaml)\n"
"      --by COL            one group per value of COL; month: the month of\n"
"                          created_at (unless the input has a month column)\n"
"  -f, --format FMT        csv, tsv, table or json (default: table on a\n"
"                          terminal, csv otherwise)\n"
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
"whatever the order or the split of the input.\n"
"\n"
"Examples:\n"
"  lead-ingest export.csv | lead-report -m model.yaml funnel\n"
"  lead-report -m model.yaml --by source --format table funnel leads.csv\n"
"  lead-report -m model.yaml --by month velocity leads.csv\n"
"  for f in part-*.csv; do lead-report --partial funnel \"$f\" > \"$f.agg\"; done\n"
"  cat part-*.csv.agg | lead-report --merge funnel\n";

enum { O_BY = 256, O_PARTIAL, O_MERGE, O_REJ, O_MAXREJ, O_VERSION };

static const struct option longopts[] = {
	{ "model", required_argument, NULL, 'm' }, { "by", required_argument, NULL, O_BY },
	{ "format", required_argument, NULL, 'f' },
	{ "partial", no_argument, NULL, O_PARTIAL }, { "merge", no_argument, NULL, O_MERGE },
	{ "tsv", no_argument, NULL, 't' }, { "delimiter", required_argument, NULL, 'd' },
	{ "output", required_argument, NULL, 'o' },
	{ "rejects", required_argument, NULL, O_REJ },
	{ "max-rejects", required_argument, NULL, O_MAXREJ },
	LK_CLI_SCALE_OPTS, { "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, O_VERSION }, { NULL, 0, NULL, 0 }
};

static void read_fail(const lk_err *e) __attribute__((noreturn));
static void read_fail(const lk_err *e)
{
	lk_cli_warn("%s", lk_err_str(e, (char[1024]){0}, 1024));
	exit(1);
}

int main(int argc, char **argv)
{
	const char *model_path = NULL, *by = NULL, *fmt_name = NULL, *outpath = NULL;
	const char *rejects = NULL, *out_name = "stdout";
	int c, partial = 0, merge = 0, counters = 0, nfiles, i, rej_ready = 0;
	long maxrej = -1, in = 0;
	char delim = ',';
	static lk_outfile of;
	static lk_rejects rej;
	lk_err e = { .record = -1 };
	lk_report_kind kind;
	lk_report_fmt fmt = LK_FMT_CSV;
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
		case O_BY: by = optarg; break;
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
	counters = lk_scale.counters;
	if (lk_scale.partition)
		lk_cli_usage("--partition: lead-report --partial output needs no partitions (--merge folds any)");
	if (lk_scale.no_header_out && (partial || (fmt_name && strcmp(fmt_name, "csv") && strcmp(fmt_name, "tsv"))))
		lk_cli_usage("--no-header-out: only for csv and tsv reports");
	if (optind >= argc)
		lk_cli_usage("no report kind: funnel or velocity");
	if (lk_report_kind_parse(argv[optind], &kind) < 0)
		lk_cli_usage("unknown report kind '%s': funnel or velocity", argv[optind]);
	optind++;
	if (fmt_name && lk_report_fmt_parse(fmt_name, &fmt) < 0)
		lk_cli_usage("--format: '%s' is not csv, tsv, table or json", fmt_name);
	if (fmt_name && partial)
		lk_cli_usage("--format and --partial: a partial aggregate has one format");
	if (merge && rejects)
		lk_cli_usage("--rejects: partial aggregates have no lead rows to reject");
	if (outpath && strcmp(outpath, "-"))
		out_name = outpath;

	m = lk_model_load(lk_model_path(model_path), &e);
	if (!m)
		lk_cli_fail(NULL, &e);
	r = lk_report_new(m, kind, by, &e);
	if (!r)
		lk_cli_fail(NULL, &e);
	if (lk_cli_outfile_open(&of, outpath, &e) < 0)
		lk_cli_fail(NULL, &e);
	if (!fmt_name)
		fmt = isatty(of.fd) ? LK_FMT_TABLE : delim == '\t' ? LK_FMT_TSV : LK_FMT_CSV;

	nfiles = argc - optind;
	files = nfiles ? argv + optind : (char **)stdin_only;
	if (!nfiles)
		nfiles = 1;
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
				char **h = calloc((size_t)row->n + 1, sizeof *h);
				int k;
				for (k = 0; h && k < row->n; k++)
					h[k] = strdup(row->f[k]);
				lk_rejects_init(&rej, rejects, maxrej, delim);
				lk_rejects_header(&rej, (const char *const *)h, row->n);
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
	{
		const char *p = lk_buf_str(&out);
		size_t left = out.len;
		if (lk_scale.no_header_out && (fmt == LK_FMT_CSV || fmt == LK_FMT_TSV))
			while (left && left--)	/* the header line */
				if (*p++ == '\n')
					break;
		while (left) {
			ssize_t k = write(of.fd, p, left);
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				if (errno == EPIPE)
					return 0;
				lk_cli_warn("%s: write failed: %s", out_name, strerror(errno));
				return 1;
			}
			p += k;
			left -= (size_t)k;
		}
	}
	if (lk_outfile_commit(&of, &e) < 0)
		lk_cli_fail(NULL, &e);

	st = lk_report_stats_get(r);
	if (st->unknown)
		lk_cli_warn("%ld lead%s with a stage the model does not know (rows of kind unknown)",
			    st->unknown, st->unknown == 1 ? "" : "s");
	if (st->bad_dates)
		lk_cli_warn("%ld <stage>_at value%s not a date (ignored)", st->bad_dates,
			    st->bad_dates == 1 ? "" : "s");
	if (st->bad_months)
		lk_cli_warn("%ld lead%s without a created_at date (month blank)", st->bad_months,
			    st->bad_months == 1 ? "" : "s");
	lk_cli_counter(counters, "rows_in", in);
	lk_cli_counter(counters, "rows_rejected", rej.count);
	c = rej_ready ? lk_rejects_finish(&rej, in) : 0;
	lk_buf_free(&out);
	lk_report_free(r);
	lk_model_free(m);
	return c;
}
