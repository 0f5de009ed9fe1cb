/*
 * lead-nurture - move leads along the model's nurture tracks: drip
 * steps, behaviour triggers, a frequency governor, exits; and the send
 * list of the touches due now.
 *
 * Options, wiring and exit codes only; the tracks and the rules are in
 * lib/nurture/, the activity table in lib/score/activity.c, the stream
 * loop in the filter driver.
 */
#include "filter.h"
#include "nurture/due.h"
#include "nurture/nurture.h"

static const char usage[] =
"Usage: lead-nurture [OPTION]... [FILE]\n"
"Move leads (CSV or TSV) along the model's nurture tracks: appends, or updates in\n"
"place, the columns nurture_track, nurture_step, nurture_state, nurture_reason,\n"
"last_touch_at, next_touch_at, next_offer, next_content and next_channel.\n"
"\n"
"  -m, --model FILE        lead model (default $LEAD_MODEL, then ./lead.yaml)\n"
"      --activities FILE   activity CSV (lead_id or email, activity, occurred_at,\n"
"                          detail): reported touches (email_sent with the content\n"
"                          id as detail), triggers and suppressions\n"
"      --now TIMESTAMP     as of this time (default: the clock); activities after\n"
"                          it are ignored and counted\n"
"      --due               write only the touches due at --now: lead_id, email,\n"
"                          track, step, offer, content, channel, send_at\n"
"      --keyed --sorted    read lead-score --emit-key output of leads and\n"
"                          activities, sorted with LC_ALL=C sort: one key's\n"
"                          activities in memory at a time\n"
"      --rejects FILE      write malformed rows there, with _reject_reason, _line\n"
"      --max-rejects N     exit 1 when more than N rows are rejected\n"
LK_CLI_IO_HELP
"\n"
"Leads opted out or bounced (email_opt_out, email_bounced, or an unsubscribe or\n"
"email_bounced activity), customers (the model's won stage) and open deals\n"
"(opportunity and after) leave nurture first, with the reason; do_not_call\n"
"leads skip call steps; the send list never holds what consent forbids.\n"
"\n"
"A touch counts as made only when an activity reports it: until then it stays\n"
"due, so a failed send is sent again and a reported one never is.  Run it again\n"
"on its own output with the same activities and --now and nothing changes.\n"
"See lead-nurture(1) and lead-model(5).\n"
"\n"
"Examples:\n"
"  lead-nurture -m model.yaml --activities acts.csv --now 2026-11-20T14:00:00Z \\\n"
"    routed.csv > nurtured.csv\n"
"  lead-nurture -m model.yaml --activities acts.csv --due nurtured.csv > send.csv\n"
"  lead-score -m model.yaml leads.csv | lead-route | lead-nurture --activities acts.csv\n"
"  { lead-score --emit-key --key email routed.csv;\n"
"    lead-score --emit-key --key email --activities acts.csv; } |\n"
"    LC_ALL=C sort | lead-nurture -m model.yaml --keyed --sorted\n";

/* The codes of lead-nurture's own options; the shared ones are LK_O_* (cli.h). */
enum { O_ACT = 256, O_DUE, O_KEYED, O_SORTED };

static const struct option longopts[] = {
	LK_CLI_ARG("model", 'm'), LK_CLI_ARG("activities", O_ACT), LK_CLI_ARG("now", LK_O_NOW),
	LK_CLI_FLAG("due", O_DUE), LK_CLI_FLAG("keyed", O_KEYED), LK_CLI_FLAG("sorted", O_SORTED),
	LK_CLI_REJECT_OPTS, LK_CLI_FILTER_OPTS
};

/* What the callbacks share. */
struct nurturer {
	lk_nurture *nu;
	const char *acts_path;		/* --activities FILE, or NULL */
	int due;			/* --due: the send list, not the leads */
	lk_due list;
	int track_col;			/* nurture_track in the input */
	long per[LK_NS_NKINDS], ndue, ndeferred, nunknown, touches;
	long nwithheld;			/* due, but held back by consent */
	long builtin[LK_NX_N];		/* leads each built-in exit applied to */
};

static int on_bind(void *st, lk_filter *f, const lk_row *hdr, const char *const *h, int n)
{
	struct nurturer *t = st;
	lk_err e = { .record = -1 };
	const char *const *sent;
	int nsent;

	if (lk_nurture_bind(t->nu, h, n, &e) < 0)
		return lk_filter_fail(f, NULL, &e);
	lk_due_init(&t->list, t->nu, h, n);
	t->track_col = lk_header_index(h, n, "nurture_track");
	if (!t->acts_path)
		return 0;
	sent = lk_nurture_sent(t->nu, &nsent);
	return lk_filter_activities(f, t->acts_path, 1, sent, nsent);
}

static int on_header(void *st, lk_filter *f)
{
	struct nurturer *t = st;
	const char *const *names = lk_due_columns;
	int n = LK_DUE_NCOLS;

	if (!t->due)
		lk_nurture_header(t->nu, &names, &n);
	return lk_filter_header(f, names, n);
}

static int on_row(void *st, lk_filter *f, lk_row *in)
{
	struct nurturer *t = st;
	const char *why = NULL, *const *ld;
	const lk_act *la;
	lk_nurture_result res;
	lk_row *out;
	int nla, rc;

	la = lk_leads_acts(lk_filter_leads(f), &nla, &ld);
	rc = lk_nurture_row(t->nu, in, la, ld, nla, lk_filter_env(f), &out, &res, &why);
	if (rc != 0)
		return rc < 0 ? lk_filter_nomem(f) : lk_filter_reject(f, in, why);
	t->per[res.state]++;
	t->ndeferred += res.deferred;
	t->builtin[res.builtin]++;
	t->nunknown += res.unknown;
	t->touches += res.advanced;
	if (res.unknown && t->nunknown <= 10)
		lk_cli_warn("record %ld (line %ld): track '%s' is not in the model: kept as it is",
			    in->record, in->line, in->f[t->track_col]);
	if (res.due && !lk_due_allowed(&t->list, in)) {
		/* The tracks scheduled what consent forbids: a bug, never sent. */
		res.due = 0;
		t->nwithheld++;
	}
	t->ndue += res.due;
	if (t->due)
		return res.due ? lk_filter_put(f, lk_due_row(&t->list, in, &res)) : 0;
	return lk_filter_put(f, out);
}

static void on_report(void *st, lk_filter *f)
{
	struct nurturer *t = st;
	int i, on = lk_scale.counters;
	char name[32];

	if (t->nunknown)
		lk_cli_warn("%ld lead%s in a track the model does not have, kept as they were",
			    t->nunknown, t->nunknown == 1 ? "" : "s");
	if (t->nwithheld)
		lk_cli_warn("%ld due touch%s held back: the lead's consent columns forbid them",
			    t->nwithheld, t->nwithheld == 1 ? "" : "es");
	lk_filter_activity_summary(f);
	lk_cli_counter(on, "nurture_due", t->ndue);
	lk_cli_counter(on, "nurture_deferred", t->ndeferred);
	lk_cli_counter(on, "nurture_touches_confirmed", t->touches);
	lk_cli_counter(on, "nurture_unknown_track", t->nunknown);
	for (i = 1; i < LK_NS_NKINDS; i++) {
		snprintf(name, sizeof name, "nurture_%s", lk_nurture_states[i]);
		lk_cli_counter(on, name, t->per[i]);
	}
	for (i = 1; i < LK_NX_N; i++) {
		snprintf(name, sizeof name, "nurture_left_%s", lk_nurture_builtins[i]);
		lk_cli_counter(on, name, t->builtin[i]);
	}
}

static const lk_filter_ops ops = {
	.bind = on_bind, .header = on_header, .row = on_row, .report = on_report
};

int main(int argc, char **argv)
{
	struct nurturer t = { 0 };
	lk_filter_opts fo = LK_FILTER_OPTS_INIT;
	const char *in;
	int c, sorted = 0;
	lk_err e = { .record = -1 };
	lk_model *m;

	lk_prog = "lead-nurture";
	while ((c = getopt_long(argc, argv, "m:td:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case O_ACT: t.acts_path = optarg; break;
		case O_DUE: t.due = 1; break;
		case O_KEYED: fo.keyed_in = 1; break;
		case O_SORTED: sorted = 1; break;
		default: lk_cli_filter_opt(&fo, c, optarg, usage);
		}
	}
	if (argc - optind > 1)
		lk_cli_usage("one input file at most (or - for stdin)");
	in = optind < argc ? argv[optind] : "-";
	if (t.acts_path && !strcmp(t.acts_path, "-") && !strcmp(in, "-"))
		lk_cli_usage("the leads and --activities cannot both be stdin");
	if (fo.keyed_in != sorted)
		lk_cli_usage("--keyed --sorted go together: the input is lead-score --emit-key "
			     "output sorted with LC_ALL=C sort");
	if (fo.keyed_in && t.acts_path)
		lk_cli_usage("--keyed: the activities come in the keyed input, not --activities");

	m = lk_model_load(lk_model_path(fo.model), &e);
	if (!m || !(t.nu = lk_nurture_new(m, &e)))
		lk_cli_fail(NULL, &e);
	fo.env.order = m->date_order;
	fo.inputs = (const char *const *)argv + optind;
	fo.name = strcmp(in, "-") ? in : "stdin";
	c = lk_filter_run(&ops, &t, &fo);
	lk_nurture_free(t.nu);
	lk_model_free(m);
	return c;
}
