/*
 * lead-ingest - any CRM export in, clean canonical leads out.
 *
 * Options, wiring and exit codes only; the work is in lib/ingest:
 * filter.c (each row normalised by ingest.c, then merged by dedupe.c or
 * keyed by keys.c), the date orders settled on the rows the filter
 * driver reads ahead across the files; with --activities, activities.c
 * (each file mapped on its own, the driver's inputs of different
 * shapes) and link.c (--link); the stream loop is the driver's.
 */
#include "filter.h"
#include "ingest/activities.h"
#include "ingest/filter.h"
#include "ingest/history.h"
#include "ingest/ingest.h"
#include "ingest/link.h"

static const char usage[] =
"Usage: lead-ingest [OPTION]... [FILE]...\n"
"Map and normalise a CRM export (CSV or TSV) to canonical leads on stdout.\n"
"\n"
"  -m, --model FILE        lead model (default $LEAD_MODEL, then ./lead.yaml)\n"
"      --from PRESET       auto (default), hubspot, salesforce, marketo, pipedrive,\n"
"                          or none (no mapping or normalising: re-encode only);\n"
"                          with --activities also zoho\n"
"      --show-mapping      print which header became which column, then exit\n"
"      --default-country CC  country for phone numbers without a prefix (e.g. US)\n"
"      --date-order ORDER  dmy or mdy for all-numeric dates (default: settled per\n"
"                          column by the data, else month first)\n"
"      --tz ZONE           the zone of times without an offset: America/New_York,\n"
"                          +02:00, UTC (default: the model's fields.tz, else UTC)\n"
"      --placeholder TEXT  another value that means empty (repeatable)\n"
"      --no-placeholders   do not empty the built-in placeholder values\n"
"      --dedupe            merge records with the same key (newest wins per field)\n"
"      --key COL[,COL]     dedupe key (default email)\n"
"      --sorted            input is grouped by the key: merge in constant memory\n"
"      --emit-key          write KEY<TAB>ROW lines for a MapReduce shuffle\n"
"      --keyed             the input is --emit-key output, sorted: read it back\n"
"                          (with --dedupe --sorted: the reduce side)\n"
"      --activities        the inputs are activity exports (calls, tasks, events,\n"
"                          campaign members...), one activity stream out\n"
"      --activity-name NAME  with --activities: every row's activity is NAME\n"
"      --link FILE         with --activities or --history: resolve the CRM's ids\n"
"                          (CONTACTID, WhoId, Person ID...) and names through\n"
"                          this contacts, leads or persons export (repeatable;\n"
"                          the first file that gives an email gives its lead_id)\n"
"      --rejects FILE      write rejected rows there, with _reject_reason, _line\n"
"      --max-rejects N     exit 1 when more than N rows are rejected\n"
"      --encoding ENC      input encoding, e.g. latin1 or windows-1252\n"
"      --history           the input is an opportunity, deal or stage-history\n"
"                          export: write the stage history (lead_id or email,\n"
"                          stage, changed_at, amount, currency, deal_id)\n"
"      --stages-from FILE  bring each lead's stage up to date from its deals in\n"
"                          FILE, a history or deals export (repeatable)\n"
"      --now TIMESTAMP     with --stages-from, leave out changes after this time\n"
LK_CLI_IO_HELP
"\n"
"Examples:\n"
"  lead-ingest contacts.csv > leads.csv\n"
"  lead-ingest --show-mapping export.csv\n"
"  lead-ingest --dedupe --rejects bad.csv -o leads.csv export.csv\n"
"  lead-ingest --activities -m model.yaml activity-export.csv > activities.csv\n"
"  lead-ingest --activities --link contacts.csv --rejects bad.csv calls.csv tasks.csv\n"
"  lead-ingest --activities --activity-name call --show-mapping calls.csv\n"
"  lead-ingest --from none --encoding windows-1252 old.csv > utf8.csv\n"
"  lead-ingest --history opportunity-history.csv > history.csv\n"
"  lead-ingest --stages-from history.csv contacts.csv > leads.csv\n";

/* The codes of lead-ingest's own options; the shared ones are LK_O_* (cli.h). */
enum { O_FROM = 256, O_SHOW, O_COUNTRY, O_ORDER, O_PH, O_NOPH, O_DEDUPE, O_KEY, O_SORTED,
       O_EMITKEY, O_KEYED, O_ACT, O_ENC, O_HIST, O_STAGES_FROM, O_ACTNAME, O_LINK };
/* --tz is shared: LK_O_TZ (cli.h). */

static const struct option longopts[] = {
	LK_CLI_ARG("model", 'm'), LK_CLI_ARG("from", O_FROM), LK_CLI_FLAG("show-mapping", O_SHOW),
	LK_CLI_ARG("default-country", O_COUNTRY), LK_CLI_ARG("date-order", O_ORDER),
	LK_CLI_ARG("tz", LK_O_TZ),
	LK_CLI_ARG("placeholder", O_PH), LK_CLI_FLAG("no-placeholders", O_NOPH),
	LK_CLI_FLAG("dedupe", O_DEDUPE), LK_CLI_ARG("key", O_KEY), LK_CLI_FLAG("sorted", O_SORTED),
	LK_CLI_FLAG("emit-key", O_EMITKEY), LK_CLI_FLAG("keyed", O_KEYED),
	LK_CLI_FLAG("activities", O_ACT), LK_CLI_ARG("activity-name", O_ACTNAME),
	LK_CLI_ARG("link", O_LINK), LK_CLI_REJECT_OPTS, LK_CLI_ARG("encoding", O_ENC),
	LK_CLI_FLAG("history", O_HIST), LK_CLI_ARG("stages-from", O_STAGES_FROM),
	LK_CLI_ARG("now", LK_O_NOW),
	LK_CLI_FILTER_OPTS
};

/* What the callbacks share. */
struct ingester {
	lk_model *m;
	lk_ingest_opt io;		/* io.dedupe: --dedupe */
	const char *name;		/* the first input's, in messages about its header */
	int act, show;			/* --activities (an activity export), --show-mapping */
	int emit_key, sorted;		/* --emit-key, --sorted */
	const char *key;		/* --key COL[,COL] */
	lk_ingest_filter *flt;		/* made by bind from the header */
	int hist;			/* --history: a history or deals export */
	lk_histingest *hi;		/* made by hist_bind from the header */
	lk_stagesync *sync;		/* --stages-from: the leads' deals, or NULL */
	lk_linkplan *hplan;		/* --history --link: how its rows link */
	lk_histmap_opt hopt;		/* the history's link hook */
	const char *tz_source;		/* where io.tz came from: "--tz", "fields.tz",
					 * "default" */
	/* --activities: */
	lk_actingest_opt ao;		/* --from, --activity-name, --date-order, --link */
	const char *links[16];		/* --link FILE... */
	int nlinks;
	lk_csvopt lco;			/* how the link files are read */
	lk_link *link;			/* their people */
	lk_actingest *acts;		/* the activity files, mapped */
	const char *const *inputs;	/* their names */
};

/* The filter for this header; its rejects keep the header as mapped
 * (renamed names included), and open before the key is checked. */
static int on_bind(void *st, lk_filter *f, const lk_row *hdr, const char *const *h, int n)
{
	struct ingester *t = st;
	lk_err e = { .record = -1 };
	lk_buf msgs = LK_BUF_INIT;
	const lk_mapping *mp;

	if (hdr->bad)
		lk_cli_warn("%s: header: %s", t->name, hdr->bad);
	if (!(t->flt = lk_ingest_filter_new(t->m, &t->io, t->act, hdr, &e)))
		return lk_filter_fail(f, t->act ? t->name : NULL, &e);
	if (!t->act) {
		mp = lk_ingest_mapping(lk_ingest_filter_ingest(t->flt));
		lk_mapping_renames(mp, hdr, t->name, &msgs);
		lk_cli_warn_all(&msgs);
		lk_filter_rejects_header(f, (const char *const *)mp->names, n);
	}
	if (lk_filter_rejects_open(f) < 0)
		return -1;
	if ((t->io.dedupe || t->emit_key) &&
	    lk_ingest_filter_keys(t->flt, t->key, t->sorted, t->emit_key, &e) < 0)
		return lk_filter_fail(f, NULL, &e);
	return 0;
}

static int on_ahead(void *st, lk_filter *f, const lk_row *row)
{
	lk_ingest_sniff(lk_ingest_filter_ingest(((struct ingester *)st)->flt), row);
	return 0;
}

/* The date orders the rows read ahead settle (none with --flush); with
 * --show-mapping, what was decided, and the run ends before any output. */
static int on_settle(void *st, lk_filter *f)
{
	struct ingester *t = st;
	lk_ingest *ing = lk_ingest_filter_ingest(t->flt);
	lk_buf notes = LK_BUF_INIT, page = LK_BUF_INIT;

	if (ing)
		lk_ingest_settle(ing, &notes);
	if (t->show) {
		/* How the file was read, the mapping, then the dates: their
		 * zone and the orders settled. */
		lk_buf none = LK_BUF_INIT;

		lk_cli_dialect_describe(lk_filter_dialect(f), &page);
		if (lk_ingest_describe(ing, &none, &page) == 0) {
			lk_cli_tz_describe(t->io.tz, t->tz_source, &page);
			lk_buf_add(&page, notes.data ? notes.data : "", notes.len);
			fputs(page.data, stdout);
		}
	}
	lk_buf_free(&page);
	lk_buf_free(&notes);
	return t->show ? LK_FILTER_DONE : 0;
}

static int on_header(void *st, lk_filter *f)
{
	struct ingester *t = st;
	const char *const *names;
	lk_err e = { .record = -1 };
	int n;

	lk_ingest_filter_header(t->flt, &names, &n);
	if (t->sync) {	/* --stages-from: stage_from after the lead's columns */
		if (lk_stagesync_bind(t->sync, names, n, &e) < 0)
			return lk_filter_fail(f, NULL, &e);
		lk_stagesync_header(t->sync, &names, &n);
	}
	return lk_filter_header(f, names, n);
}

/* Write out the rows the filter has ready, each after its key when keyed. */
static int drain(struct ingester *t, lk_filter *f)
{
	const lk_buf *key;
	lk_row *out;

	while (lk_ingest_filter_next(t->flt, &out, &key)) {
		if (t->sync && lk_stagesync_apply(t->sync, out, &out) < 0)	/* --stages-from */
			return lk_filter_nomem(f);
		if ((key ? lk_filter_put_keyed(f, key->data, key->len, out) : lk_filter_put(f, out)) < 0)
			return -1;
	}
	return 0;
}

static int on_row(void *st, lk_filter *f, lk_row *in)
{
	static lk_err e = { .record = -1 };	/* static: not cleared per row */
	struct ingester *t = st;
	const char *reason;
	int c = lk_ingest_filter_row(t->flt, in, &reason, &e);

	if (c < 0)
		return lk_filter_fail(f, NULL, &e);
	return c ? drain(t, f) : lk_filter_reject(f, in, reason);
}

/* The rows --dedupe still holds. */
static int on_finish(void *st, lk_filter *f)
{
	struct ingester *t = st;
	lk_err e = { .record = -1 };

	if (lk_ingest_filter_finish(t->flt, &e) < 0)
		return lk_filter_fail(f, NULL, &e);
	return drain(t, f);
}

/* What was kept as it was; with --dedupe, how the rows add up. */
static void on_report(void *st, lk_filter *f)
{
	struct ingester *t = st;
	long merged = lk_ingest_filter_merged(t->flt);
	lk_buf msgs = LK_BUF_INIT;

	lk_ingest_notes(lk_ingest_filter_ingest(t->flt), &msgs);
	lk_cli_warn_all(&msgs);
	if (merged)
		lk_cli_warn("%ld rows in, %ld out, %ld merged, %ld rejected", lk_filter_rows_in(f),
			    lk_filter_rows_out(f), merged, lk_filter_rows_rejected(f));
	if (t->sync) {
		const lk_stagesync_stats *ss = lk_stagesync_stats_get(t->sync);
		lk_cli_warn("%ld stage%s brought up to date from the history (%ld won, %ld open, "
			    "%ld lost)", ss->won + ss->open + ss->lost,
			    ss->won + ss->open + ss->lost == 1 ? "" : "s", ss->won, ss->open, ss->lost);
		if (ss->later)
			lk_cli_warn("%ld stage change%s dated after --now left out", ss->later,
				    ss->later == 1 ? "" : "s");
	}
	lk_filter_counters(f);
	lk_cli_counter(lk_scale.counters, "rows_merged", merged);
}

/* ---- --activities: one stream from every activity file ---- */

/* The people of the --link files (for --activities and --history). */
static int load_links(struct ingester *t, lk_filter *f)
{
	lk_err e = { .record = -1 };
	int i, fd;

	if (t->nlinks && !(t->link = lk_link_new()))
		return lk_filter_nomem(f);
	for (i = 0; i < t->nlinks; i++) {
		lk_csvopt co = t->lco;
		co.name = t->links[i];
		if (lk_cli_input(t->links[i], &fd) < 0)
			return lk_filter_stop(f, 1);
		if (lk_link_load(t->link, t->m, fd, &co, &e) < 0) {
			if (fd > 0)
				close(fd);
			return lk_filter_fail(f, "--link", &e);
		}
		if (fd > 0)
			close(fd);
	}
	return 0;
}

/* The people of the --link files, then the first file's mapping. */
static int act_bind(void *st, lk_filter *f, const lk_row *hdr, const char *const *h, int n)
{
	struct ingester *t = st;
	lk_err e = { .record = -1 };

	if (hdr->bad)
		lk_cli_warn("%s: header: %s", t->name, hdr->bad);
	if (load_links(t, f) < 0)
		return -1;
	t->ao.link = t->link;
	if (!(t->acts = lk_actingest_new(t->m, &t->ao, &e)))
		return lk_filter_fail(f, NULL, &e);
	if (lk_actingest_add(t->acts, hdr, &e) < 0)
		return lk_filter_fail(f, t->name, &e);
	return 0;
}

/* A further activity file: its own mapping. */
static int act_shape(void *st, lk_filter *f, int idx, const char *name, const lk_row *hdr)
{
	struct ingester *t = st;
	lk_err e = { .record = -1 };

	if (hdr->bad)
		lk_cli_warn("%s: header: %s", name, hdr->bad);
	if (lk_actingest_add(t->acts, hdr, &e) < 0)
		return lk_filter_fail(f, name, &e);
	return 0;
}

static int act_input(void *st, lk_filter *f, int idx)
{
	lk_actingest_use(((struct ingester *)st)->acts, idx);
	return 0;
}

/* --show-mapping: each file's mapping, and how its rows are linked. */
static int act_settle(void *st, lk_filter *f)
{
	struct ingester *t = st;
	lk_buf page = LK_BUF_INIT;
	int i, n = lk_actingest_files(t->acts), bad = 0;

	if (!t->show)
		return 0;
	lk_cli_dialect_describe(lk_filter_dialect(f), &page);
	for (i = 0; i < n; i++) {
		if (n > 1)
			bad |= lk_buf_addf(&page, "%s%s:\n", i ? "\n" : "",
					   lk_filter_input_name(f, i));
		bad |= lk_actingest_describe(t->acts, i, &page);
	}
	lk_cli_tz_describe(t->io.tz, t->tz_source, &page);
	if (bad)
		return lk_filter_nomem(f);
	fputs(page.data, stdout);
	lk_buf_free(&page);
	return LK_FILTER_DONE;
}

static int act_header(void *st, lk_filter *f)
{
	const char *const *names;
	int n;

	lk_actingest_header(((struct ingester *)st)->acts, &names, &n);
	return lk_filter_header(f, names, n);
}

static int act_row(void *st, lk_filter *f, lk_row *in)
{
	static lk_err e = { .record = -1 };	/* static: not cleared per row */
	struct ingester *t = st;
	const char *reason;
	lk_row *out;
	int c = lk_actingest_row(t->acts, in, &out, &reason, &e);

	if (c < 0)
		return lk_filter_fail(f, NULL, &e);
	return c == LK_ACT_OUT ? lk_filter_put(f, out) : c == LK_ACT_REPEAT ? 0
		: lk_filter_reject(f, in, reason);
}

/* How each file's rows add up (when there are several, or repeats or
 * links to tell); the repeats and links in all. */
static void act_report(void *st, lk_filter *f)
{
	struct ingester *t = st;
	lk_actingest_stats s, all = { 0 };
	long in, out, rej;
	int i, n = lk_actingest_files(t->acts);

	for (i = 0; i < n; i++) {
		lk_actingest_stats_get(t->acts, i, &s);
		all.repeats += s.repeats;
		all.linked += s.linked;
		all.ambiguous += s.ambiguous;
		all.missing += s.missing;
		if (n < 2)
			continue;
		lk_filter_input_rows(f, i, &in, &out, &rej);
		lk_cli_warn("%s: %ld rows in, %ld out, %ld rejected, %ld exact repeat%s dropped",
			    lk_filter_input_name(f, i), in, out, rej, s.repeats,
			    s.repeats == 1 ? "" : "s");
	}
	if (all.repeats)
		lk_cli_warn("%ld exact repeat%s dropped (same lead, activity, occurred_at and "
			    "detail)", all.repeats, all.repeats == 1 ? "" : "s");
	if (t->link && lk_link_skipped(t->link))
		lk_cli_warn("--link: %ld row%s of the link files without a lead_id or an email "
			    "left out", lk_link_skipped(t->link),
			    lk_link_skipped(t->link) == 1 ? "" : "s");
	if (t->link)
		lk_cli_warn("--link: %ld %s; %ld row%s linked, %ld ambiguous, %ld without a lead",
			    lk_link_people(t->link), lk_link_people(t->link) == 1 ? "person" : "people",
			    all.linked, all.linked == 1 ? "" : "s", all.ambiguous, all.missing);
	lk_filter_counters(f);
	lk_cli_counter(lk_scale.counters, "rows_repeated", all.repeats);
	if (t->link) {
		lk_cli_counter(lk_scale.counters, "rows_linked", all.linked);
		lk_cli_counter(lk_scale.counters, "rows_ambiguous", all.ambiguous);
		lk_cli_counter(lk_scale.counters, "rows_unlinked", all.missing);
	}
}

static const lk_filter_ops act_ops = {
	.bind = act_bind, .shape = act_shape, .input = act_input, .settle = act_settle,
	.header = act_header, .row = act_row, .report = act_report
};

static const lk_filter_ops ops = {
	.bind = on_bind, .ahead = on_ahead, .settle = on_settle, .header = on_header,
	.row = on_row, .finish = on_finish, .report = on_report
};

/* ---- --history: a history or deals export to the canonical history ---- */

static int hist_bind(void *st, lk_filter *f, const lk_row *hdr, const char *const *h, int n)
{
	struct ingester *t = st;
	lk_err e = { .record = -1 };

	if (hdr->bad)
		lk_cli_warn("%s: header: %s", t->name, hdr->bad);
	/* With --link, rows that name only a CRM contact find their lead
	 * through the link files' people. */
	if (load_links(t, f) < 0)
		return -1;
	if (t->link) {
		if (!(t->hplan = lk_link_plan(t->link, t->m, hdr, NULL, &e)))
			return lk_filter_fail(f, t->name, &e);
		t->hopt.link = lk_link_histmap;
		t->hopt.link_ctx = t->hplan;
	}
	if (!(t->hi = lk_histingest_new(t->m, t->io.date_order, hdr, t->link ? &t->hopt : NULL, &e)))
		return lk_filter_fail(f, t->name, &e);
	return lk_filter_rejects_open(f);
}

static int hist_ahead(void *st, lk_filter *f, const lk_row *row)
{
	lk_histingest_sniff(((struct ingester *)st)->hi, row);
	return 0;
}

static int hist_settle(void *st, lk_filter *f)
{
	struct ingester *t = st;
	lk_buf notes = LK_BUF_INIT, page = LK_BUF_INIT;

	lk_histingest_settle(t->hi, &notes);
	if (t->show)
		lk_cli_dialect_describe(lk_filter_dialect(f), &page);
	if (t->show && lk_histingest_describe(t->hi, &notes, &page) == 0) {
		lk_cli_tz_describe(t->io.tz, t->tz_source, &page);
		fputs(page.data, stdout);
	}
	lk_buf_free(&page);
	lk_buf_free(&notes);
	return t->show ? LK_FILTER_DONE : 0;
}

static int hist_header(void *st, lk_filter *f)
{
	const char *const *names;
	int n;

	lk_histingest_header(((struct ingester *)st)->hi, &names, &n);
	return lk_filter_header(f, names, n);
}

/* One export row: its stage changes out, or the row to the rejects. */
static int hist_row(void *st, lk_filter *f, lk_row *in)
{
	struct ingester *t = st;
	const char *reason;
	lk_row *out;

	if (!lk_histingest_row(t->hi, in, &reason))
		return lk_filter_reject(f, in, reason);
	while (lk_histingest_next(t->hi, &out))
		if (lk_filter_put(f, out) < 0)
			return -1;
	return 0;
}

/* Rows in and out differ (a deal row gives one change per stage date). */
static void hist_report(void *st, lk_filter *f)
{
	struct ingester *t = st;

	if (t->hi && !t->show)
		lk_cli_warn("%ld row%s in, %ld taken, %ld rejected: %ld stage changes out",
			    lk_filter_rows_in(f), lk_filter_rows_in(f) == 1 ? "" : "s",
			    lk_histingest_rows_taken(t->hi),
			    lk_filter_rows_rejected(f), lk_histingest_changes(t->hi));
	if (t->hplan && !t->show) {
		const lk_link_stats *ls = lk_linkplan_stats(t->hplan);
		lk_cli_warn("--link: %ld %s; %ld row%s linked, %ld ambiguous, %ld without a lead",
			    lk_link_people(t->link), lk_link_people(t->link) == 1 ? "person" : "people",
			    ls->linked, ls->linked == 1 ? "" : "s", ls->ambiguous, ls->missing);
	}
}

static const lk_filter_ops hist_ops = {
	.bind = hist_bind, .ahead = hist_ahead, .settle = hist_settle, .header = hist_header,
	.row = hist_row, .report = hist_report
};

/* --stages-from: read each history into the table of the leads' deals. */
static lk_stagesync *load_stages(const lk_model *m, const char *const *paths, int n,
				 const lk_filter_opts *fo, lk_date_order order)
{
	lk_stagesync *s = lk_stagesync_new(m, fo->env.now);
	lk_err e = { .record = -1 };
	int i, fd;

	if (!s) {
		lk_err_set(&e, LK_ENOMEM, "out of memory");
		lk_cli_fail(NULL, &e);
	}
	for (i = 0; i < n; i++) {
		fd = lk_cli_open_in(paths[i]);
		if (lk_stagesync_load(s, fd, paths[i], fo->delim, order, &e) < 0)
			lk_cli_read_fail(paths[i], &e);
		if (fd > 0)
			close(fd);
	}
	if (lk_stagesync_first_reject(s))
		lk_cli_warn("--stages-from: %ld of %ld history rows not used, the first: %s",
			    lk_stagesync_stats_get(s)->rejected, lk_stagesync_stats_get(s)->rows,
			    lk_stagesync_first_reject(s));
	return s;
}

int main(int argc, char **argv)
{
	struct ingester t = { .key = "email" };
	lk_filter_opts fo = LK_FILTER_OPTS_INIT;
	const char *phs[64];
	const char *tz = NULL;
	lk_err e = { .record = -1 };
	const char *stages_from[16];
	int c, nstages_from = 0;

	lk_prog = "lead-ingest";
	while ((c = getopt_long(argc, argv, "m:td:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case O_FROM: t.io.from = optarg; break;
		case O_SHOW: t.show = 1; break;
		case O_COUNTRY: t.io.default_country = optarg; break;
		case O_ORDER:
			t.io.date_order = !strcmp(optarg, "dmy") ? LK_DATE_DMY :
					  !strcmp(optarg, "mdy") ? LK_DATE_MDY : LK_DATE_AUTO;
			if (t.io.date_order == LK_DATE_AUTO)
				lk_cli_usage("--date-order must be dmy or mdy, not '%s'", optarg);
			break;
		case O_PH:
			if (t.io.nplaceholders == 64)
				lk_cli_usage("too many --placeholder values (at most 64)");
			phs[t.io.nplaceholders++] = optarg;
			break;
		case O_NOPH: t.io.no_placeholders = 1; break;
		case O_DEDUPE: t.io.dedupe = 1; break;
		case O_KEY: t.key = optarg; break;
		case O_SORTED: t.sorted = 1; break;
		case O_EMITKEY: t.emit_key = 1; break;
		case O_KEYED: fo.csv.keyed = 1; break;
		case O_ACT: t.act = 1; break;
		case O_ACTNAME: t.ao.activity_name = optarg; break;
		case O_LINK:
			if (t.nlinks == 16)
				lk_cli_usage("too many --link files (at most 16)");
			t.links[t.nlinks++] = optarg;
			break;
		case O_ENC: fo.csv.encoding = optarg; break;
		case O_HIST: t.hist = 1; break;
		case O_STAGES_FROM:
			if (nstages_from == 16)
				lk_cli_usage("too many --stages-from files (at most 16)");
			stages_from[nstages_from++] = optarg;
			break;
		case LK_O_TZ: tz = optarg; break;
		case '?': lk_cli_try_help();	/* getopt has said what was wrong */
		default: lk_cli_filter_opt(&fo, c, optarg, usage);
		}
	}
	t.io.placeholders = phs;
	if (t.sorted && !t.io.dedupe)
		lk_cli_usage("--sorted needs --dedupe");
	if (!t.act && (t.ao.activity_name || (t.nlinks && !t.hist)))
		lk_cli_usage("%s needs --activities%s", t.nlinks ? "--link" : "--activity-name",
			     t.nlinks ? " or --history" : "");
	if (t.ao.activity_name && !*t.ao.activity_name)
		lk_cli_usage("--activity-name needs a name");
	if (t.act && (t.io.dedupe || t.emit_key))
		lk_cli_usage("--activities cannot be combined with --dedupe or --emit-key");
	if (t.hist && (t.act || t.io.dedupe || t.emit_key || nstages_from))
		lk_cli_usage("--history reads a history or deals export; it cannot be combined "
			     "with --activities, --dedupe, --emit-key or --stages-from");
	if (t.act && nstages_from)
		lk_cli_usage("--stages-from brings leads up to date; it cannot be combined with "
			     "--activities");
	if (t.emit_key && t.sorted)
		lk_cli_usage("--emit-key and --sorted are the two halves of a shuffle; use one");

	if (!(t.m = lk_model_load(lk_model_path(fo.model), &e)))
		lk_cli_fail(NULL, &e);
	/* Naive timestamps: --tz, else the model's fields.tz, else UTC. */
	t.tz_source = tz ? "--tz" : t.m->tz ? "fields.tz" : "default";
	if (tz && lk_model_set_tz(t.m, tz, &e) < 0)
		lk_cli_fail("--tz", &e);
	t.io.tz = t.m->zone;
	t.name = optind < argc ? argv[optind] : "-";
	fo.inputs = (const char *const *)argv + optind;
	fo.csv.check_utf8 = 1;
	fo.keyed_out = t.emit_key;
	/* A lead export's date orders are settled on the first rows, unless
	 * every row is to go out at once. */
	fo.ahead = t.act || fo.flush ? 0 : LK_LOOKAHEAD;
	fo.late_rejects = fo.abort_rejected = 1;
	if (nstages_from)
		t.sync = load_stages(t.m, stages_from, nstages_from, &fo, t.io.date_order);
	if (t.act) {
		t.ao.from = t.io.from;
		t.ao.date_order = t.io.date_order;
		t.ao.tz = t.io.tz;
		fo.shapes = 1;
	}
	t.lco = fo.csv;		/* how the --link files are read */
	t.lco.delim = fo.delim;
	c = lk_filter_run(t.act ? &act_ops : t.hist ? &hist_ops : &ops, &t, &fo);
	lk_actingest_free(t.acts);
	lk_link_free(t.link);
	lk_stagesync_free(t.sync);
	lk_histingest_free(t.hi);
	lk_linkplan_free(t.hplan);
	lk_ingest_filter_free(t.flt);
	lk_model_free(t.m);
	return c;
}
