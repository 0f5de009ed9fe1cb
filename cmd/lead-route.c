/*
 * lead-route - route leads to sales, nurture, recycle, disqualify or hold,
 * assign owners from pools of reps, and set business-hours SLAs.
 *
 * Options, wiring and exit codes only; the rules, the methods and the
 * calendar are in lib/route.c.
 */
#include <getopt.h>
#include <stdint.h>
#include <time.h>

#include "cli.h"
#include "route/route.h"

static const char usage[] =
"Usage: lead-route [OPTION]... [FILE]\n"
"Route leads (CSV or TSV) with the model's routing rules: appends, or updates in\n"
"place, the columns route, route_rule, route_reason, queue, owner, assigned_at,\n"
"sla_due_at and recycle_count.\n"
"\n"
"  -m, --model FILE        lead model (default $LEAD_MODEL, then ./lead.yaml)\n"
"      --now TIMESTAMP     route as of this time (default: the clock): assigned_at,\n"
"                          the SLA clock and away dates count from it\n"
"      --state FILE        keep rotation, caps and this week's assignments in FILE\n"
"                          (locked while in use, replaced atomically at the end)\n"
"      --wait-lock SECONDS wait this long for another run's lock on FILE (default 0)\n"
"      --dry-run           route and write the rows, but leave the state untouched\n"
"      --split-by COL DIR  also write one file per owner, queue or route (COL) in DIR\n"
"      --accounts FILE     account owners by domain or company (CSV: owner, domain,\n"
"                          company), for pools with method account\n"
"      --rejects FILE      write malformed rows there, with _reject_reason, _line\n"
"      --max-rejects N     exit 1 when more than N rows are rejected\n"
LK_CLI_IO_HELP
"\n"
"The first rule whose `when` is true routes a lead; a lead with an owner keeps it\n"
"unless the rule says reassign: true.  sla_due_at counts the rule's sla in the\n"
"working hours of the model's calendar.  See lead-route(1) and lead-model(5).\n"
"\n"
"Examples:\n"
"  lead-score -m model.yaml leads.csv | lead-route -m model.yaml > routed.csv\n"
"  lead-route -m model.yaml --now 2026-11-20T21:00:00Z scored.csv\n"
"  tail -F webhook.csv | lead-score -m model.yaml --flush | lead-route --flush\n";

enum { O_NOW = 256, O_DRY, O_STATE, O_WAIT, O_ACCOUNTS, O_SPLIT, O_REJ, O_MAXREJ, O_FLUSH, O_VERSION };

static const struct option longopts[] = {
	{ "model", required_argument, NULL, 'm' },
	{ "now", required_argument, NULL, O_NOW },
	{ "dry-run", no_argument, NULL, O_DRY },
	{ "state", required_argument, NULL, O_STATE },
	{ "wait-lock", required_argument, NULL, O_WAIT },
	{ "accounts", required_argument, NULL, O_ACCOUNTS },
	{ "split-by", required_argument, NULL, O_SPLIT },
	{ "rejects", required_argument, NULL, O_REJ },
	{ "max-rejects", required_argument, NULL, O_MAXREJ },
	{ "tsv", no_argument, NULL, 't' }, { "delimiter", required_argument, NULL, 'd' },
	{ "output", required_argument, NULL, 'o' }, { "flush", no_argument, NULL, O_FLUSH },
	LK_CLI_SCALE_OPTS, { "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, O_VERSION }, { NULL, 0, NULL, 0 }
};

/* Split files not yet committed are removed on every exit. */
static lk_split *split;
static void split_cleanup(void)
{
	lk_split_free(split);
	split = NULL;
}

static void read_fail(const lk_err *e) __attribute__((noreturn));
static void read_fail(const lk_err *e)
{
	lk_cli_warn("%s", lk_err_str(e, (char[1024]){0}, 1024));
	exit(1);
}

int main(int argc, char **argv)
{
	const char *model_path = NULL, *rejects = NULL, *outpath = NULL, *out_name = "stdout";
	const char *state = NULL, *accounts = NULL, *split_col = NULL, *split_dir = NULL;
	long wait = 0;
	int dry = 0;
	int c, flush = 0, nohdr = 0, counters = 0, have_now = 0, nnames, i, fd;
	long maxrej = -1, in = 0, per[LK_ROUTE_NKINDS] = { 0 };
	char delim = ',';
	static lk_outfile of;
	static lk_rejects rej;
	lk_csvopt co = { 0 };
	lk_exprenv env = { 0 };
	lk_err e = { .record = -1 };
	lk_model *m;
	lk_route *r;
	lk_reader *rd;
	lk_writer *w;
	lk_row *row, *out;
	const char *const *names;
	const char *const *warns;
	char **h;

	lk_prog = "lead-route";
	while ((c = getopt_long(argc, argv, "m:td:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': model_path = optarg; break;
		case O_NOW: {
			lk_time t;
			if (lk_date_parse(optarg, strlen(optarg), LK_DATE_AUTO, &t) < 0)
				lk_cli_usage("--now: '%s' is not a date or timestamp", optarg);
			env.now = t.secs;
			have_now = 1;
			break;
		}
		case O_DRY: dry = 1; break;
		case O_STATE: state = optarg; break;
		case O_WAIT: wait = lk_cli_long("--wait-lock", optarg); break;
		case O_ACCOUNTS: accounts = optarg; break;
		case O_SPLIT:	/* two arguments: COL DIR */
			split_col = optarg;
			if (optind >= argc || !*argv[optind])
				lk_cli_usage("--split-by: name a column (owner, queue, route) and a directory");
			split_dir = argv[optind++];
			if (strcmp(split_col, "owner") && strcmp(split_col, "queue") &&
			    strcmp(split_col, "route"))
				lk_cli_usage("--split-by: '%s' is not owner, queue or route", split_col);
			break;
		case O_REJ: rejects = optarg; break;
		case O_MAXREJ: maxrej = lk_cli_long("--max-rejects", optarg); break;
		case 't': delim = '\t'; break;
		case 'd': delim = lk_cli_delim(optarg); break;
		case 'o': outpath = optarg; break;
		case O_FLUSH: flush = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		case O_VERSION: printf("lead-route (leadkit) %s\n", LK_VERSION); return 0;
		default: if (!lk_cli_scale_opt(c, optarg)) lk_cli_usage("unknown option");
		}
	}
	nohdr = lk_scale.no_header_out, counters = lk_scale.counters;
	if (argc - optind > 1)
		lk_cli_usage("one input file at most (or - for stdin)");
	if (!have_now)
		env.now = (int64_t)time(NULL);

	m = lk_model_load(lk_model_path(model_path), &e);
	if (!m)
		lk_cli_fail(NULL, &e);
	env.order = m->date_order;
	r = lk_route_new(m, &e);
	if (!r)
		lk_cli_fail(NULL, &e);
	warns = lk_route_warnings(r, &c);
	for (i = 0; i < c; i++)
		lk_cli_warn("warning: %s", warns[i]);
	if (lk_route_needs_accounts(r) && !accounts)
		lk_cli_usage("a pool uses method account: name the accounts file with --accounts FILE");
	if (accounts && lk_route_accounts_load(r, accounts, &e) < 0)
		lk_cli_fail("--accounts", &e);
	/* Lock before reading any input: a run that waits consumes nothing.
	 * A dry run only reads the state, which is always whole. */
	if (state && !dry && lk_route_lock(state, (double)wait, &e) < 0)
		lk_cli_fail(NULL, &e);
	if (state && lk_route_state_load(r, state, env.now, &e) < 0) {
		/* Not a usage error, but the run cannot go on: exit 2. */
		lk_cli_warn("%s", lk_err_str(&e, (char[1024]){0}, 1024));
		exit(e.kind == LK_EMODEL ? 2 : 1);
	}

	co.delim = delim;
	co.header_from = lk_scale.header_from;
	co.name = optind < argc ? argv[optind] : "-";
	fd = lk_cli_open_in(co.name);
	rd = lk_reader_new(fd, &co, &e);
	if (!rd)
		lk_cli_fail(NULL, &e);
	c = lk_reader_next(rd, &row, &e);
	if (c < 0)
		read_fail(&e);
	if (c == 0) {
		lk_cli_warn("%s: empty input: no header row", co.name);
		return 1;
	}
	/* The header stays ours: the reader reuses the row's memory. */
	h = calloc((size_t)row->n + 1, sizeof *h);
	if (!h) {
		lk_cli_warn("out of memory");
		return 1;
	}
	for (i = 0; i < row->n; i++)
		if (!(h[i] = strdup(row->f[i]))) {
			lk_cli_warn("out of memory");
			return 1;
		}
	lk_rejects_init(&rej, rejects, maxrej, delim);
	lk_rejects_header(&rej, (const char *const *)h, row->n);
	if (lk_route_bind(r, (const char *const *)h, row->n, &e) < 0)
		lk_cli_fail(NULL, &e);

	if (outpath && strcmp(outpath, "-"))
		out_name = outpath;
	if (lk_cli_outfile_open(&of, outpath, &e) < 0)
		lk_cli_fail(NULL, &e);
	w = lk_writer_new(of.fd, delim, flush || isatty(of.fd));
	lk_cli_scale_writer(w, 0);
	lk_route_header(r, &names, &nnames);
	if (split_dir) {
		for (i = 0; i < nnames && strcmp(names[i], split_col); i++)
			;
		atexit(split_cleanup);
		if (!(split = lk_split_new(split_dir, i, delim, names, nnames, &e)))
			lk_cli_fail("--split-by", &e);
	}
	if (!nohdr && lk_writer_row(w, names, NULL, nnames, &e) < 0)
		lk_cli_fail(out_name, &e);
	while ((c = lk_reader_next(rd, &row, &e)) > 0) {
		lk_route_result res;
		in++;
		if (row->bad) {
			lk_rejects_add(&rej, row, row->bad);
			continue;
		}
		if (lk_route_row(r, row, &env, &out, &res) < 0) {
			lk_cli_warn("out of memory");
			return 1;
		}
		per[res.route]++;
		if (lk_writer_row(w, (const char *const *)out->f, out->len, out->n, &e) < 0)
			lk_cli_fail(out_name, &e);
		if (split && lk_split_row(split, out, &e) < 0)
			lk_cli_fail("--split-by", &e);
	}
	if (c < 0)
		read_fail(&e);
	if (lk_writer_flush(w, &e) < 0)
		lk_cli_fail(out_name, &e);
	if (split && lk_split_commit(split, &e) < 0)
		lk_cli_fail("--split-by", &e);
	/* The state first: should the output fail now, a re-run gives the
	 * same leads the same reps. */
	if (state && !dry && lk_route_state_save(r, state, &e) < 0)
		lk_cli_fail("--state", &e);
	if (lk_outfile_commit(&of, &e) < 0)
		lk_cli_fail(NULL, &e);
	lk_cli_expr_warn(&env);
	lk_cli_counter(counters, "rows_in", in);
	lk_cli_counter(counters, "rows_out", in - rej.count);
	lk_cli_counter(counters, "rows_rejected", rej.count);
	for (i = 0; i < LK_ROUTE_NKINDS; i++) {
		char name[32];
		snprintf(name, sizeof name, "route_%s", lk_route_kinds[i]);
		lk_cli_counter(counters, name, per[i]);
	}
	c = lk_rejects_finish(&rej, in);
	lk_writer_free(w);
	lk_reader_free(rd);
	if (fd > 0)
		close(fd);
	lk_route_free(r);
	lk_model_free(m);
	for (i = 0; h[i]; i++)
		free(h[i]);
	free(h);
	return c;
}
