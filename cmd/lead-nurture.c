/*
 * lead-nurture - move leads along the model's nurture tracks: drip
 * steps, behaviour triggers, a frequency governor, exits; and the send
 * list of the touches due now.
 *
 * Options, wiring and exit codes only; the tracks and the rules are in
 * lib/nurture.c, the activity table in lib/activity.c.
 */
#include <getopt.h>
#include <stdint.h>
#include <time.h>

#include "score/activity.h"
#include "cli.h"
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

enum { O_ACT = 256, O_NOW, O_DUE, O_KEYED, O_SORTED, O_REJ, O_MAXREJ, O_FLUSH, O_VERSION };

static const struct option longopts[] = {
	{ "model", required_argument, NULL, 'm' },
	{ "activities", required_argument, NULL, O_ACT },
	{ "now", required_argument, NULL, O_NOW },
	{ "due", no_argument, NULL, O_DUE },
	{ "keyed", no_argument, NULL, O_KEYED }, { "sorted", no_argument, NULL, O_SORTED },
	{ "rejects", required_argument, NULL, O_REJ },
	{ "max-rejects", required_argument, NULL, O_MAXREJ },
	{ "tsv", no_argument, NULL, 't' }, { "delimiter", required_argument, NULL, 'd' },
	{ "output", required_argument, NULL, 'o' }, { "flush", no_argument, NULL, O_FLUSH },
	LK_CLI_SCALE_OPTS, { "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, O_VERSION }, { NULL, 0, NULL, 0 }
};

static const char *const due_columns[] = {
	"lead_id", "email", "track", "step", "offer", "content", "channel", "send_at"
};

static void read_fail(const lk_err *e) __attribute__((noreturn));
static void read_fail(const lk_err *e)
{
	lk_cli_warn("%s", lk_err_str(e, (char[1024]){0}, 1024));
	exit(1);
}

static int find(const char *const *h, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(h[i], name))
			return i;
	return -1;
}

/* One line of the send list. */
static int due_row(lk_writer *w, const lk_nurture *nu, const lk_row *in, int idc, int emc,
		   const lk_nurture_result *res, lk_err *e)
{
	const lk_nurture_track *t;
	const char *offer, *content, *channel;
	char step[16], ts[40];
	int nt;

	t = lk_nurture_tracks(nu, &nt);
	lk_nurture_next(nu, &offer, &content, &channel);
	snprintf(step, sizeof step, "%d", res->step);
	lk_date_format_full(res->next, ts);
	lk_writer_field(w, idc >= 0 && idc < in->n ? in->f[idc] : "",
			idc >= 0 && idc < in->n ? in->len[idc] : 0);
	lk_writer_field(w, emc >= 0 && emc < in->n ? in->f[emc] : "",
			emc >= 0 && emc < in->n ? in->len[emc] : 0);
	lk_writer_field(w, t[res->track].name, strlen(t[res->track].name));
	lk_writer_field(w, step, strlen(step));
	lk_writer_field(w, offer, strlen(offer));
	lk_writer_field(w, content, strlen(content));
	lk_writer_field(w, channel, strlen(channel));
	lk_writer_field(w, ts, strlen(ts));
	return lk_writer_end(w, e);
}

int main(int argc, char **argv)
{
	const char *model_path = NULL, *acts_path = NULL, *rejects = NULL, *outpath = NULL;
	const char *out_name = "stdout";
	int c, flush = 0, nohdr = 0, counters = 0, have_now = 0, due = 0, nnames, i, fd;
	int idc, emc, trc, keyed = 0, sorted = 0;
	lk_keyjoin *kj = NULL;
	const lk_act *la = NULL;
	const char *const *ld = NULL;
	int nla = 0;
	long maxrej = -1, in = 0, per[LK_NS_NKINDS] = { 0 }, ndue = 0, ndeferred = 0;
	long nunknown = 0, touches = 0;
	char delim = ',';
	static lk_outfile of;
	static lk_rejects rej;
	const char *in_name;
	lk_exprenv env = { 0 };
	lk_err e = { .record = -1 };
	lk_model *m;
	lk_nurture *nu;
	lk_activities *acts = NULL;
	lk_reader *rd = NULL;
	lk_writer *w;
	lk_row *row, *out;
	const char *const *names;
	char **h;

	lk_prog = "lead-nurture";
	while ((c = getopt_long(argc, argv, "m:td:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': model_path = optarg; break;
		case O_ACT: acts_path = optarg; break;
		case O_NOW: env.now = lk_cli_now(optarg), have_now = 1; break;
		case O_DUE: due = 1; break;
		case O_KEYED: keyed = 1; break;
		case O_SORTED: sorted = 1; break;
		case O_REJ: rejects = optarg; break;
		case O_MAXREJ: maxrej = lk_cli_long("--max-rejects", optarg); break;
		case 't': delim = '\t'; break;
		case 'd': delim = lk_cli_delim(optarg); break;
		case 'o': outpath = optarg; break;
		case O_FLUSH: flush = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		case O_VERSION: printf("lead-nurture (leadkit) %s\n", LK_VERSION); return 0;
		default: if (!lk_cli_scale_opt(c, optarg)) lk_cli_usage("unknown option");
		}
	}
	nohdr = lk_scale.no_header_out, counters = lk_scale.counters;
	if (argc - optind > 1)
		lk_cli_usage("one input file at most (or - for stdin)");
	if (acts_path && !strcmp(acts_path, "-") && (optind == argc || !strcmp(argv[optind], "-")))
		lk_cli_usage("the leads and --activities cannot both be stdin");
	if (keyed != sorted)
		lk_cli_usage("--keyed --sorted go together: the input is lead-score --emit-key "
			     "output sorted with LC_ALL=C sort");
	if (keyed && acts_path)
		lk_cli_usage("--keyed: the activities come in the keyed input, not --activities");
	if (!have_now)
		env.now = (int64_t)time(NULL);

	m = lk_model_load(lk_model_path(model_path), &e);
	if (!m)
		lk_cli_fail(NULL, &e);
	env.order = m->date_order;
	nu = lk_nurture_new(m, &e);
	if (!nu)
		lk_cli_fail(NULL, &e);

	in_name = optind < argc ? argv[optind] : "-";
	fd = lk_cli_open_leads(in_name, delim, keyed, env.now, m->date_order, &rd, &kj);
	c = lk_cli_next_lead(rd, kj, NULL, &row, &la, &ld, &nla, &e);
	if (c < 0)
		read_fail(&e);
	if (c == 0) {
		lk_cli_warn(kj ? "%s: no leads in the keyed input (no lead header line)"
			       : "%s: empty input: no header row", strcmp(in_name, "-") ? in_name : "stdin");
		return 1;
	}
	h = lk_cli_header_copy(row);
	lk_rejects_init(&rej, rejects, maxrej, delim);
	lk_rejects_header(&rej, (const char *const *)h, row->n);
	if (lk_nurture_bind(nu, (const char *const *)h, row->n, &e) < 0)
		lk_cli_fail(NULL, &e);
	idc = find((const char *const *)h, row->n, "lead_id");
	emc = find((const char *const *)h, row->n, "email");
	trc = find((const char *const *)h, row->n, "nurture_track");
	if (acts_path) {
		int afd = lk_cli_open_in(acts_path), nsent;
		const char *const *sent = lk_nurture_sent(nu, &nsent);
		acts = lk_activities_load_details(afd, acts_path, env.now, m->date_order, sent, nsent,
						  &e);
		if (!acts)
			lk_cli_fail(NULL, &e);
		if (afd > 0)
			close(afd);
		lk_activities_bind(acts, (const char *const *)h, row->n);
	}

	if (outpath && strcmp(outpath, "-"))
		out_name = outpath;
	if (lk_cli_outfile_open(&of, outpath, &e) < 0)
		lk_cli_fail(NULL, &e);
	w = lk_writer_new(of.fd, delim, flush || isatty(of.fd));
	lk_cli_scale_writer(w, 0);
	if (due) {
		names = due_columns;
		nnames = 8;
	} else {
		lk_nurture_header(nu, &names, &nnames);
	}
	if (!nohdr && lk_writer_row(w, names, NULL, nnames, &e) < 0)
		lk_cli_fail(out_name, &e);
	while ((c = lk_cli_next_lead(rd, kj, acts, &row, &la, &ld, &nla, &e)) > 0) {
		const char *why = NULL;
		lk_nurture_result res;
		int rc;
		in++;
		if (row->bad) {
			lk_rejects_add(&rej, row, row->bad);
			continue;
		}
		rc = lk_nurture_row(nu, row, la, ld, nla, &env, &out, &res, &why);
		if (rc < 0) {
			lk_cli_warn("out of memory");
			return 1;
		}
		if (rc > 0) {
			lk_rejects_add(&rej, row, why);
			continue;
		}
		per[res.state]++;
		ndue += res.due;
		ndeferred += res.deferred;
		nunknown += res.unknown;
		touches += res.advanced;
		if (res.unknown && nunknown <= 10)
			lk_cli_warn("record %ld (line %ld): track '%s' is not in the model: kept as it is",
				    row->record, row->line, row->f[trc]);
		if (due) {
			if (res.due && due_row(w, nu, row, idc, emc, &res, &e) < 0)
				lk_cli_fail(out_name, &e);
		} else if (lk_writer_row(w, (const char *const *)out->f, out->len, out->n, &e) < 0) {
			lk_cli_fail(out_name, &e);
		}
	}
	if (c < 0)
		read_fail(&e);
	lk_cli_out_done(w, &of, out_name);
	lk_cli_expr_warn(&env);
	if (nunknown)
		lk_cli_warn("%ld lead%s in a track the model does not have, kept as they were",
			    nunknown, nunknown == 1 ? "" : "s");
	if (acts || kj)
		lk_cli_activity_summary(kj ? lk_keyjoin_stats(kj) : lk_activities_stats_get(acts),
					counters);
	lk_cli_counter(counters, "nurture_due", ndue);
	lk_cli_counter(counters, "nurture_deferred", ndeferred);
	lk_cli_counter(counters, "nurture_touches_confirmed", touches);
	lk_cli_counter(counters, "nurture_unknown_track", nunknown);
	for (i = 1; i < LK_NS_NKINDS; i++) {
		char name[32];
		snprintf(name, sizeof name, "nurture_%s", lk_nurture_states[i]);
		lk_cli_counter(counters, name, per[i]);
	}
	lk_cli_counter(counters, "rows_in", in);
	lk_cli_counter(counters, "rows_out", due ? ndue : in - rej.count);
	lk_cli_counter(counters, "rows_rejected", rej.count);
	c = lk_rejects_finish(&rej, in);
	lk_writer_free(w);
	lk_reader_free(rd);
	lk_keyjoin_free(kj);
	if (fd > 0)
		close(fd);
	lk_activities_free(acts);
	lk_nurture_free(nu);
	lk_model_free(m);
	lk_cli_header_free(h);
	return c;
}
