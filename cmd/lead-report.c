/*
 * lead-report - funnel and velocity reports over lead files, with
 * mergeable partial aggregates for split runs.
 *
 * Options, wiring and exit codes only; the counting, merging, rendering
 * and which kind takes which option are in lib/report.  A report reads
 * whole files, each with its own header, not rows through the filter
 * driver: the files, rejects, output and dot (for process's svg: the
 * library runs no programs) go through cli.h.
 */
#include "filter.h"
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
"      --history FILE      stage changes (lead_id, stage, changed_at, or an\n"
"                          opportunity, deal or stage-history export as\n"
"                          lead-ingest --history reads it) standing in\n"
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
"      --encoding ENC      encoding of the lead files, --history, --activities:\n"
"                          e.g. latin1 or windows-1252 (default UTF-8)\n"
"      --date-order ORDER  dmy or mdy for all-numeric dates (default: the model's\n"
"                          fields.date_order, else decided per value)\n"
"      --tz ZONE           the zone of times without an offset: America/New_York,\n"
"                          +02:00, UTC (default: the model's fields.tz, else UTC)\n"
"  -t, --tsv               tab-separated input (and tsv output by default)\n"
"  -d, --delimiter CHAR    input delimiter (default: detected among , ; TAB |)\n"
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

/* The codes of lead-report's own options; the shared ones are LK_O_* (cli.h). */
enum { O_BY = 256, O_PARTIAL, O_MERGE, O_OUTCOME, O_VALUE, O_BANDS, O_ACT, O_TOUCH, O_REVENUE,
       O_DEAL, O_LEAD, O_HIST, O_ENC, O_ORDER };

static const struct option longopts[] = {
	LK_CLI_ARG("model", 'm'), LK_CLI_ARG("by", O_BY), LK_CLI_ARG("format", 'f'),
	LK_CLI_FLAG("partial", O_PARTIAL), LK_CLI_FLAG("merge", O_MERGE), LK_CLI_FLAG("tsv", 't'),
	LK_CLI_ARG("delimiter", 'd'), LK_CLI_ARG("output", 'o'), LK_CLI_REJECT_OPTS,
	LK_CLI_SCALE_OPTS, LK_CLI_FLAG("help", 'h'), LK_CLI_FLAG("version", LK_O_VERSION),
	LK_CLI_ARG("outcome", O_OUTCOME), LK_CLI_ARG("value", O_VALUE), LK_CLI_ARG("bands", O_BANDS),
	LK_CLI_ARG("activities", O_ACT), LK_CLI_ARG("touch", O_TOUCH), LK_CLI_ARG("now", LK_O_NOW),
	LK_CLI_ARG("revenue", O_REVENUE), LK_CLI_ARG("deal-size", O_DEAL),
	LK_CLI_ARG("lead", O_LEAD), LK_CLI_ARG("history", O_HIST), LK_CLI_ARG("encoding", O_ENC),
	LK_CLI_ARG("date-order", O_ORDER), LK_CLI_ARG("tz", LK_O_TZ), { NULL, 0, NULL, 0 }
};

/* What the run was asked for. */
struct job {
	lk_filter_opts fo;		/* the shared options (lead-report has no --flush) */
	lk_report_kind kind;
	lk_report_opt opt;
	const char *fmt_name;		/* -f FMT, or NULL: as the output suits */
	lk_report_fmt fmt;
	const char *side[2];		/* --activities FILE, --history FILE */
	int partial, merge;		/* --partial, --merge */
	char **files;			/* the lead files, or the partials */
	int nfiles;
	lk_date_order order;		/* --date-order, or LK_DATE_AUTO: the model's */
	const char *tz;			/* --tz ZONE, or NULL: the model's */
};

/* The report made and written out (-o FILE atomically), then what it
 * could not use, its counters and its rejects on stderr. */
static int run(struct job *j)
{
	static char *stdin_only[] = { "-" };
	static lk_outfile of;		/* static: removed at exit when not committed */
	static lk_cli_files fs;
	lk_err e = { .record = -1 };
	lk_buf out = LK_BUF_INIT, msgs = LK_BUF_INIT;
	lk_model *m = lk_model_load(lk_model_path(j->fo.model), &e);
	lk_report *r;
	lk_row *row;
	int i, c, fd;

	if (!m)
		lk_cli_fail(NULL, &e);
	/* The options override the model's fields.date_order and fields.tz. */
	if (j->order != LK_DATE_AUTO)
		m->date_order = j->order;
	if (j->tz && lk_model_set_tz(m, j->tz, &e) < 0)
		lk_cli_fail("--tz", &e);
	if (j->kind == LK_REPORT_PROCESS) {
		if (j->nfiles)
			lk_cli_usage("process: renders the model; it reads no leads");
		if (lk_report_process(m, j->fmt_name ? j->fmt : LK_FMT_MD, lk_cli_dot_svg, &out, &e) < 0 ||
		    lk_cli_outfile_open(&of, j->fo.output, &e) < 0)
			lk_cli_fail(NULL, &e);
		lk_cli_out_text(&of, &out);
		lk_buf_free(&out);
		lk_model_free(m);
		return 0;
	}
	if (!(r = lk_report_new_opt(m, j->kind, &j->opt, &e)))
		lk_cli_fail(NULL, &e);
	for (i = 0; i < 2; i++) {	/* the activities, then the stage history */
		fd = j->side[i] ? lk_cli_open_in(j->side[i]) : -1;
		if (fd >= 0 && (i ? lk_report_load_history : lk_report_load_activities)(
				       r, fd, j->side[i], j->fo.delim, &e) < 0) {
			if (e.cause == LK_EUTF8)
				lk_cli_read_fail(j->side[i], &e);
			lk_cli_fail(NULL, &e);
		}
		if (fd > 0)
			close(fd);
	}
	if (lk_cli_outfile_open(&of, j->fo.output, &e) < 0)
		lk_cli_fail(NULL, &e);
	if (!j->fmt_name)
		j->fmt = isatty(of.fd) ? LK_FMT_TABLE : j->fo.out_delim == '\t' ? LK_FMT_TSV : LK_FMT_CSV;
	/* No lead files: stdin, or with --history alone the history's leads. */
	fs = (lk_cli_files){ .names = j->nfiles ? j->files : stdin_only,
			     .n = j->nfiles ? j->nfiles : !j->side[1], .rejects = j->fo.rejects,
			     .max_rejects = j->fo.max_rejects, .co.delim = j->merge ? ',' : j->fo.delim,
			     .co.detect = j->merge || j->fo.delim ? 0 : LK_CLI_DETECT,
			     .co.encoding = j->merge ? NULL : j->fo.csv.encoding,
			     .co.check_utf8 = !j->merge,
			     .co.no_header = j->merge, .co.header_from = j->merge ? NULL : lk_scale.header_from };
	if (!fs.n && lk_report_add_history_leads(r, &e) < 0)
		lk_cli_fail(NULL, &e);
	while ((c = lk_cli_files_next(&fs, &row)) > 0) {
		if (c == 2 && lk_report_bind(r, (const char *const *)row->f, row->n, &e) < 0) {
			e.kind = LK_EUSAGE;	/* the file lacks what the options name */
			lk_cli_fail(fs.name, &e);
		}
		if (c == 1 && (j->merge ? lk_report_merge_row(r, row, &e) : lk_report_add(r, row, &e)) < 0) {
			if (j->merge)
				snprintf(e.file, sizeof e.file, "%s", fs.name);
			lk_cli_fail(NULL, &e);
		}
	}
	if ((j->partial ? lk_report_partial(r, &out, &e) : lk_report_render(r, j->fmt, &out, &e)) < 0)
		lk_cli_fail(NULL, &e);
	lk_cli_out_text(&of, &out);
	lk_report_notes(r, &msgs);
	lk_cli_warn_all(&msgs);
	lk_cli_counter(lk_scale.counters, "rows_in", fs.in);
	lk_cli_counter(lk_scale.counters, "rows_rejected", fs.rej.count);
	lk_buf_free(&out);
	lk_report_free(r);
	lk_model_free(m);
	return lk_cli_files_done(&fs);
}

int main(int argc, char **argv)
{
	static double cut[256];		/* --bands */
	int c;
	lk_err e = { .record = -1 };
	struct job j = { .fo = LK_FILTER_OPTS_INIT };

	lk_prog = "lead-report";
	while ((c = getopt_long(argc, argv, "m:f:td:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case O_BY: j.opt.by = optarg; break;
		case O_OUTCOME: j.opt.outcome = optarg; break;
		case O_VALUE: j.opt.value = optarg; break;
		case O_BANDS:
			if ((j.opt.nbands = lk_report_bands_parse(optarg, cut, 256, &e)) < 0)
				lk_cli_fail(NULL, &e);
			j.opt.bands = cut;
			break;
		case O_ACT: j.side[0] = optarg; break;
		case O_TOUCH: j.opt.touch = optarg; break;
		case O_REVENUE: j.opt.revenue = lk_cli_positive("--revenue", optarg); break;
		case O_DEAL: j.opt.deal_size = lk_cli_positive("--deal-size", optarg); break;
		case O_LEAD: j.opt.lead = optarg; break;
		case O_HIST: j.side[1] = optarg; break;
		case 'f': j.fmt_name = optarg; break;
		case O_PARTIAL: j.partial = 1; break;
		case O_MERGE: j.merge = 1; break;
		case O_ENC: j.fo.csv.encoding = optarg; break;
		case O_ORDER:
			j.order = !strcmp(optarg, "dmy") ? LK_DATE_DMY :
				  !strcmp(optarg, "mdy") ? LK_DATE_MDY : LK_DATE_AUTO;
			if (j.order == LK_DATE_AUTO)
				lk_cli_usage("--date-order must be dmy or mdy, not '%s'", optarg);
			break;
		case LK_O_TZ: j.tz = optarg; break;
		default: lk_cli_filter_opt(&j.fo, c, optarg, usage);
		}
	}
	if (lk_scale.partition)
		lk_cli_usage("--partition: lead-report --partial output needs no partitions (--merge folds any)");
	if (lk_scale.no_header_out && (j.partial || (j.fmt_name && strcmp(j.fmt_name, "csv") &&
						    strcmp(j.fmt_name, "tsv"))))
		lk_cli_usage("--no-header-out: only for csv and tsv reports");
#define KINDS "funnel, velocity, calibration, sla, plan, timeline or process"
	if (optind >= argc)
		lk_cli_usage("no report kind: " KINDS);
	if (lk_report_kind_parse(argv[optind], &j.kind) < 0)
		lk_cli_usage("unknown report kind '%s': " KINDS, argv[optind]);
	j.files = argv + ++optind;
	j.nfiles = argc - optind;
	/* What the run was given, held against what the kind takes. */
	if (lk_report_check(j.kind, (j.partial ? LK_ROPT_PARTIAL : 0) | (j.merge ? LK_ROPT_MERGE : 0) |
			    (j.opt.by ? LK_ROPT_BY : 0) | (j.side[1] ? LK_ROPT_HISTORY : 0) |
			    (j.side[0] ? LK_ROPT_ACTIVITIES : 0) | (j.nfiles ? LK_ROPT_FILES : 0) |
			    (lk_scale.no_header_out ? LK_ROPT_NO_HEADER_OUT : 0) |
			    (j.opt.revenue && j.opt.deal_size ? LK_ROPT_TARGET : 0), &e) < 0)
		lk_cli_fail(NULL, &e);
	if (j.fmt_name && lk_report_fmt_parse(j.fmt_name, &j.fmt) < 0)
		lk_cli_usage("--format: '%s' is not csv, tsv, table, json, svg, html, dot or md", j.fmt_name);
	if (j.fmt_name && j.partial)
		lk_cli_usage("--format and --partial: a partial aggregate has one format");
	if (j.merge && j.fo.rejects)
		lk_cli_usage("--rejects: partial aggregates have no lead rows to reject");
	j.opt.now = j.fo.env.now;
	j.opt.encoding = j.fo.csv.encoding;
	j.opt.detect = LK_CLI_DETECT;
	j.opt.no_header = lk_scale.no_header_out;
	return run(&j);
}
