/*
 * lead-score - fit and engagement scores, grade and MQL flag per lead.
 *
 * Options, wiring and exit codes only; what the options ask for and
 * whether they go together are in lib/score/config.c, the rules and the
 * arithmetic in lib/score/score.c, the activity table in
 * lib/score/activity.c, the fit in lib/score/fit*.c, the stream loop in
 * the filter driver (and --emit-key in cmd/emit.c).
 */
#include "filter.h"
#include "score/config.h"
#include "score/lint.h"
#include "score/score.h"

static const char usage[] =
"Usage: lead-score [OPTION]... [FILE]\n"
"Score leads (CSV or TSV) with the model's scoring rules: appends, or updates in\n"
"place, the columns score, fit, engagement, grade and mql.\n"
"\n"
"  -m, --model FILE        lead model (default $LEAD_MODEL, then ./lead.yaml)\n"
"      --activities FILE   activity CSV (lead_id or email, activity, occurred_at,\n"
"                          detail) for the engagement rules\n"
"      --now TIMESTAMP     score as of this time (default: the clock); activities\n"
"                          after it are ignored and counted\n"
"      --explain           add score_reasons: rule:points;... summing to the score\n"
"      --ledger FILE       write every contribution to FILE, one row each: lead_id,\n"
"                          rule, kind, activity, occurred_at, age_days, factor,\n"
"                          points (a lead's points sum to its score)\n"
"      --baseline MODEL    score with MODEL too: adds baseline_score and\n"
"                          baseline_mql, and counts the leads whose mql flips\n"
"      --lint              check the model, print a summary of its rules and exit;\n"
"                          column names are checked against FILE's header, or\n"
"                          against the canonical lead columns without FILE\n"
"      --fit OUTCOME       fit the fit rules' points to the 0/1 (yes/no, won/lost)\n"
"                          column OUTCOME and write the tuned model to stdout\n"
"      --candidates auto   with --fit: also try rules made from the data\n"
"      --exclude COL,...   with --candidates auto: columns to make no rules from\n"
"      --max-rules N       with --fit: at most N rules with points (default 20)\n"
"      --folds K           with --fit: K-fold held-out figures (default 5; 0: none)\n"
"      --seed S            with --fit: shuffles the folds (default 1)\n"
"      --capture P         with --fit: the MQL threshold keeps at least this share\n"
"                          of conversions (default 0.8)\n"
"      --value COL         with --fit: deal value, summed per threshold\n"
"      --emit-key          map side of a shuffle: write the leads of FILE (and the\n"
"                          activities of --activities) as KEY<TAB>ROW lines\n"
"      --key KIND          with --emit-key: join on lead_id (default), else email;\n"
"                          or on email, else lead_id (--key email)\n"
"      --keyed --sorted    reduce side: score the LC_ALL=C sorted map output, one\n"
"                          key's activities in memory at a time\n"
"      --rejects FILE      write malformed rows there, with _reject_reason, _line\n"
"      --max-rejects N     exit 1 when more than N rows are rejected\n"
LK_CLI_IO_HELP
"\n"
"score, fit and engagement are printed with one decimal (20.0, -9.6); every\n"
"contribution is rounded to one decimal before it is added, so the parts of\n"
"score_reasons add up to the score exactly.  mql is yes or no.\n"
"\n"
"Examples:\n"
"  lead-ingest export.csv | lead-score -m model.yaml > scored.csv\n"
"  lead-score -m model.yaml --explain leads.csv\n"
"  lead-score -m model.yaml --activities acts.csv --ledger ledger.csv leads.csv\n"
"  lead-score -m model.yaml --activities activities.csv --now 2025-06-30 leads.csv\n"
"  lead-score -m new.yaml --baseline live.yaml leads.csv > compare.csv\n"
"  lead-score -m model.yaml --lint\n"
"  lead-score -m model.yaml --fit converted --candidates auto leads.csv > tuned.yaml\n"
"  { lead-score --emit-key leads.csv; lead-score --emit-key --activities acts.csv; } |\n"
"    LC_ALL=C sort | lead-score -m model.yaml --keyed --sorted --now 2025-06-30\n"
"  tail -F webhook.csv | lead-score -m model.yaml --flush | lead-route\n";

/* The codes of lead-score's own options, O_ACT to O_VALUE, which main hands
 * to lk_score_config_opt by name; the shared ones are LK_O_* (cli.h). */
enum { O_ACT = 256, O_EXPLAIN, O_LEDGER, O_BASE, O_LINT, O_EMIT, O_KEY, O_KEYED, O_SORTED,
       O_FIT, O_CAND, O_NOCOLS, O_MAXR, O_FOLDS, O_SEED, O_CAPT, O_VALUE };

static const struct option longopts[] = {
	LK_CLI_ARG("model", 'm'), LK_CLI_ARG("activities", O_ACT), LK_CLI_ARG("now", LK_O_NOW),
	LK_CLI_FLAG("explain", O_EXPLAIN), LK_CLI_ARG("ledger", O_LEDGER),
	LK_CLI_ARG("baseline", O_BASE), LK_CLI_FLAG("lint", O_LINT), LK_CLI_REJECT_OPTS,
	LK_CLI_FLAG("emit-key", O_EMIT), LK_CLI_ARG("key", O_KEY), LK_CLI_FLAG("keyed", O_KEYED),
	LK_CLI_FLAG("sorted", O_SORTED), LK_CLI_ARG("fit", O_FIT), LK_CLI_ARG("candidates", O_CAND),
	LK_CLI_ARG("exclude", O_NOCOLS), LK_CLI_ARG("max-rules", O_MAXR),
	LK_CLI_ARG("folds", O_FOLDS), LK_CLI_ARG("seed", O_SEED), LK_CLI_ARG("capture", O_CAPT),
	LK_CLI_ARG("value", O_VALUE), LK_CLI_FILTER_OPTS
};

/*
 * --fit on the input `in`: the library's messages, then its error or the
 * tuned model (to -o FILE or stdout); the exit code.  The fit's own
 * failures are said as --fit's, with exit 2 when the data cannot be
 * fitted.  The fit loads the model itself, to write it back.
 */
static int fit(lk_fit_config *c, const lk_filter_opts *fo, const char *in)
{
	lk_buf model = LK_BUF_INIT, msgs = LK_BUF_INIT;
	lk_err e = { .record = -1 };
	size_t at;
	int rc;

	c->model = lk_model_path(fo->model);
	c->input = in;
	c->delim = fo->delim;
	c->now = fo->env.now;
	rc = lk_fit_leads(c, &model, &msgs, &e);
	for (at = 0; at < msgs.len; at += strlen(msgs.data + at) + 1)
		lk_cli_warn("%s", msgs.data + at);
	if (rc == -2)
		lk_cli_warn("--fit: %s", e.msg);
	else if (rc < 0 || lk_fit_save(fo->output, &model, &e) < 0)
		rc = lk_cli_report(NULL, &e);
	lk_buf_free(&model);
	lk_buf_free(&msgs);
	return rc == -2 ? (e.kind == LK_EDATA ? 2 : 1) : rc;
}

/* What the callbacks share. */
struct scorer {
	const lk_score_config *c;	/* what the options asked for */
	const lk_filter_opts *fo;	/* --flush for the ledger */
	lk_score *s;			/* the model's scorer (and its baseline's) */
	lk_writer *lw;			/* the ledger */
	lk_buf summary;			/* --lint's, for main to print */
};

static int on_bind(void *st, lk_filter *f, const lk_row *hdr, const char *const *h, int n)
{
	struct scorer *t = st;
	lk_err e = { .record = -1 };

	if (t->c->lint)
		return lk_score_lint_bound(t->s, h, n, t->c->explain, &t->summary, &e) < 0 ?
		       lk_filter_fail(f, NULL, &e) : LK_FILTER_DONE;
	if (lk_score_bind(t->s, h, n, t->c->explain, &e) < 0)
		return lk_filter_fail(f, NULL, &e);
	if (t->c->activities)
		return lk_filter_activities(f, t->c->activities, 0, NULL, 0);
	n = lk_score_rule_count(t->s, LK_RULE_ENGAGEMENT);
	if (n && !lk_leads_keyed(lk_filter_leads(f)))
		lk_cli_warn("no --activities: the %d engagement rule%s give 0", n, n == 1 ? "" : "s");
	return 0;
}

/* The output header, then the ledger's, its rows kept from here on. */
static int on_header(void *st, lk_filter *f)
{
	struct scorer *t = st;
	const char *const *names;
	int n;

	lk_score_header(t->s, &names, &n);
	if (lk_filter_header(f, names, n) < 0)
		return -1;
	if (!t->c->ledger)
		return 0;
	lk_score_keep_entries(t->s, 1);
	t->lw = lk_filter_side(f, t->c->ledger, "--ledger", lk_ledger_columns, LK_LEDGER_NCOLS,
			       t->fo->flush);
	return t->lw ? 0 : -1;
}

static int on_row(void *st, lk_filter *f, lk_row *in)
{
	struct scorer *t = st;
	lk_err e = { .record = -1 };
	const lk_act *la;
	lk_row *out;
	int nla;

	la = lk_leads_acts(lk_filter_leads(f), &nla, NULL);
	if (lk_score_row(t->s, in, la, nla, lk_filter_env(f), &out, NULL) < 0)
		return lk_filter_nomem(f);
	if (lk_filter_put(f, out) < 0)
		return -1;
	if (t->lw && lk_score_ledger(t->s, in, t->lw, &e) < 0)
		return lk_filter_fail(f, t->c->ledger, &e);
	return 0;
}

static void on_report(void *st, lk_filter *f)
{
	struct scorer *t = st;
	long up, down, n = lk_filter_rows_out(f);

	lk_filter_activity_summary(f);
	if (!t->c->baseline)
		return;
	lk_score_flips(t->s, &up, &down);
	lk_cli_warn("against the baseline %s: mql flips no->yes %ld, yes->no %ld, of %ld lead%s",
		    t->c->baseline, up, down, n, n == 1 ? "" : "s");
	lk_cli_counter(lk_scale.counters, "mql_flips_up", up);
	lk_cli_counter(lk_scale.counters, "mql_flips_down", down);
}

static const lk_filter_ops ops = {
	.bind = on_bind, .header = on_header, .row = on_row, .report = on_report
};

int main(int argc, char **argv)
{
	lk_filter_opts fo = LK_FILTER_OPTS_INIT;
	lk_score_config sc = LK_SCORE_CONFIG_INIT;
	struct scorer t = { .c = &sc, .fo = &fo };
	const char *in;
	int c, li;
	lk_err e = { .record = -1 };

	lk_prog = "lead-score";
	while ((c = getopt_long(argc, argv, "m:td:o:h", longopts, &li)) != -1) {
		if (c < O_ACT || c > O_VALUE)	/* the options every filter shares */
			lk_cli_filter_opt(&fo, c, optarg, usage);
		else if (lk_score_config_opt(&sc, longopts[li].name, optarg, &e) < 0)
			lk_cli_fail(NULL, &e);
	}
	fo.keyed_in = sc.keyed;
	if (fo.keyed_in && lk_scale.header_from)
		lk_cli_usage("--header-from: the keyed input carries its own header lines");
	if (argc - optind > 1)
		lk_cli_usage("one input file at most (or - for stdin)");
	in = optind < argc ? argv[optind] : "-";
	fo.inputs = (const char *const *)argv + optind;
	if (sc.ledger && !strcmp(sc.ledger, fo.output && strcmp(fo.output, "-") ? fo.output : "-"))
		lk_cli_usage("--ledger and the scored rows cannot go to the same place");
	if (lk_score_config_check(&sc, lk_scale.no_header_out, &e) < 0)
		lk_cli_fail(NULL, &e);
	if (sc.emit_key) {
		if (sc.activities && optind < argc && !strcmp(sc.activities, "-") &&
		    !strcmp(in, "-"))
			lk_cli_usage("--emit-key: the leads and --activities cannot both be stdin");
		return lk_filter_emit(&fo, sc.activities, sc.key);
	}
	if (sc.fit.outcome)
		return fit(&sc.fit, &fo, in);

	if (!(t.s = lk_score_load(lk_model_path(fo.model), &e)))
		lk_cli_fail(NULL, &e);
	fo.env.order = lk_score_model(t.s)->date_order;
	/* The baseline is its own file, so its errors name it; same header, same data. */
	if (sc.baseline && lk_score_load_baseline(t.s, sc.baseline, &e) < 0)
		lk_cli_fail("--baseline", &e);
	fo.name = strcmp(in, "-") ? in : "stdin";
	if (!sc.lint || optind < argc)
		c = lk_filter_run(&ops, &t, &fo);
	else	/* --lint without FILE: against the canonical columns */
		c = lk_score_lint_bound(t.s, NULL, 0, sc.explain, &t.summary, &e) < 0 ?
		    lk_cli_report(NULL, &e) : 0;
	fputs(lk_buf_str(&t.summary), stdout);
	lk_buf_free(&t.summary);
	lk_score_free(t.s);
	return c;
}
