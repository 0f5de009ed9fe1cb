/*
 * lead-route - route leads to sales, nurture, recycle, disqualify or hold,
 * assign owners from pools of reps, and set business-hours SLAs.
 *
 * Options, wiring and exit codes only; the rules, the methods and the
 * calendar are in lib/route/, the stream loop in the filter driver.
 */
#include "filter.h"
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

/* The codes of lead-route's own options; the shared ones are LK_O_* (cli.h). */
enum { O_DRY = 256, O_STATE, O_WAIT, O_ACCOUNTS, O_SPLIT };

static const struct option longopts[] = {
	LK_CLI_ARG("model", 'm'), LK_CLI_ARG("now", LK_O_NOW), LK_CLI_FLAG("dry-run", O_DRY),
	LK_CLI_ARG("state", O_STATE), LK_CLI_ARG("wait-lock", O_WAIT),
	LK_CLI_ARG("accounts", O_ACCOUNTS), LK_CLI_ARG("split-by", O_SPLIT), LK_CLI_REJECT_OPTS,
	LK_CLI_FILTER_OPTS
};

/* What the callbacks share. */
struct router {
	lk_route *r;
	const char *state;		/* --state FILE, or NULL */
	int dry;			/* --dry-run: the state is left as it was */
	const char *split_col, *split_dir;	/* --split-by COL DIR */
	char delim;
	long per[LK_ROUTE_NKINDS];	/* leads per route, for the counters */
};

/* Split files not yet committed are removed on every exit. */
static lk_split *split;
static void split_cleanup(void)
{
	lk_split_free(split);
	split = NULL;
}

static int on_bind(void *st, lk_filter *f, const lk_row *hdr, const char *const *h, int n)
{
	struct router *t = st;
	lk_err e = { .record = -1 };

	return lk_route_bind(t->r, h, n, &e) < 0 ? lk_filter_fail(f, NULL, &e) : 0;
}

/* The output header; first the split files (--split-by), which take
 * its names for their own headers. */
static int on_header(void *st, lk_filter *f)
{
	struct router *t = st;
	lk_err e = { .record = -1 };
	const char *const *names;
	int n, i;

	lk_route_header(t->r, &names, &n);
	if (t->split_dir) {
		for (i = 0; i < n && strcmp(names[i], t->split_col); i++)
			;
		atexit(split_cleanup);
		if (!(split = lk_split_new(t->split_dir, i, t->delim, names, n, &e)))
			return lk_filter_fail(f, "--split-by", &e);
	}
	return lk_filter_header(f, names, n);
}

static int on_row(void *st, lk_filter *f, lk_row *in)
{
	struct router *t = st;
	lk_err e = { .record = -1 };
	lk_route_result res;
	lk_row *out;

	if (lk_route_row(t->r, in, lk_filter_env(f), &out, &res) < 0)
		return lk_filter_nomem(f);
	t->per[res.route]++;
	if (lk_filter_put(f, out) < 0)
		return -1;
	if (split && lk_split_row(split, out, &e) < 0)
		return lk_filter_fail(f, "--split-by", &e);
	return 0;
}

/* The rows out, then the split files, then the state, all before the
 * output is committed: should the output fail now, a re-run gives the
 * same leads the same reps. */
static int on_finish(void *st, lk_filter *f)
{
	struct router *t = st;
	lk_err e = { .record = -1 };

	if (lk_filter_flush(f) < 0)
		return -1;
	if (split && lk_split_commit(split, &e) < 0)
		return lk_filter_fail(f, "--split-by", &e);
	if (t->state && !t->dry && lk_route_state_save(t->r, t->state, &e) < 0)
		return lk_filter_fail(f, "--state", &e);
	return 0;
}

static void on_report(void *st, lk_filter *f)
{
	struct router *t = st;
	char name[32];
	int i;

	lk_filter_counters(f);
	for (i = 0; i < LK_ROUTE_NKINDS; i++) {
		snprintf(name, sizeof name, "route_%s", lk_route_kinds[i]);
		lk_cli_counter(lk_scale.counters, name, t->per[i]);
	}
}

static const lk_filter_ops ops = {
	.bind = on_bind, .header = on_header, .row = on_row, .finish = on_finish,
	.report = on_report
};

int main(int argc, char **argv)
{
	struct router t = { 0 };
	lk_filter_opts fo = LK_FILTER_OPTS_INIT;
	const char *accounts = NULL, *const *warns;
	long wait = 0;
	int c, i;
	lk_err e = { .record = -1 };
	lk_model *m;

	lk_prog = "lead-route";
	while ((c = getopt_long(argc, argv, "m:td:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case O_DRY: t.dry = 1; break;
		case O_STATE: t.state = optarg; break;
		case O_WAIT: wait = lk_cli_long("--wait-lock", optarg); break;
		case O_ACCOUNTS: accounts = optarg; break;
		case O_SPLIT:	/* two arguments: COL DIR */
			t.split_col = optarg;
			if (optind >= argc || !*argv[optind])
				lk_cli_usage("--split-by: name a column (owner, queue, route) and a directory");
			t.split_dir = argv[optind++];
			if (strcmp(t.split_col, "owner") && strcmp(t.split_col, "queue") &&
			    strcmp(t.split_col, "route"))
				lk_cli_usage("--split-by: '%s' is not owner, queue or route", t.split_col);
			break;
		default: lk_cli_filter_opt(&fo, c, optarg, usage);
		}
	}
	if (argc - optind > 1)
		lk_cli_usage("one input file at most (or - for stdin)");

	m = lk_model_load(lk_model_path(fo.model), &e);
	if (!m || !(t.r = lk_route_new(m, &e)))
		lk_cli_fail(NULL, &e);
	fo.env.order = m->date_order;
	warns = lk_route_warnings(t.r, &c);
	for (i = 0; i < c; i++)
		lk_cli_warn("warning: %s", warns[i]);
	if (lk_route_needs_accounts(t.r) && !accounts)
		lk_cli_usage("a pool uses method account: name the accounts file with --accounts FILE");
	if (accounts && lk_route_accounts_load(t.r, accounts, &e) < 0)
		lk_cli_fail("--accounts", &e);
	/* Lock before reading any input: a run that waits consumes nothing.
	 * A dry run only reads the state, which is always whole. */
	if (t.state && !t.dry && lk_route_lock(t.state, (double)wait, &e) < 0)
		lk_cli_fail(NULL, &e);
	if (t.state && lk_route_state_load(t.r, t.state, fo.env.now, &e) < 0) {
		/* Not a usage error, but the run cannot go on: exit 2. */
		lk_cli_warn("%s", lk_err_str(&e, (char[1024]){0}, 1024));
		exit(e.kind == LK_EMODEL ? 2 : 1);
	}
	t.delim = fo.out_delim;
	fo.inputs = (const char *const *)argv + optind;
	c = lk_filter_run(&ops, &t, &fo);
	lk_route_free(t.r);
	lk_model_free(m);
	return c;
}
