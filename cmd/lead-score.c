/*
 * lead-score - fit and engagement scores, grade and MQL flag per lead.
 *
 * Options, wiring and exit codes only; the rules and the arithmetic are
 * in lib/score/score.c, the activity table in lib/score/activity.c, the
 * stream loop in the filter driver (and --emit-key in cmd/emit.c).
 */
#include "filter.h"
#include "score/fit.h"
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

/* The codes of lead-score's own options; the shared ones are LK_O_* (cli.h). */
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

/* A reader error in --fit ends the run. */
static void read_fail(const lk_err *e) __attribute__((noreturn));
static void read_fail(const lk_err *e)
{
	lk_cli_read_fail(NULL, e);
}

/* --lint: the rules as the program understood them, on stdout; the
 * exit code. */
static int lint(const lk_score *s)
{
	lk_buf b = LK_BUF_INIT;
	int rc = lk_score_lint(s, &b);

	if (rc == 0)
		fputs(lk_buf_str(&b), stdout);
	else
		lk_cli_warn("out of memory");
	lk_buf_free(&b);
	return rc ? 1 : 0;
}

/* --fit: what the options asked for. */
struct fitargs {
	const char *outcome, *value, *exclude, *candidates;
	lk_fit_opts o;
};

/* The fit cannot go on: exit 2 when the data cannot be fitted (no or a
 * constant outcome), 1 when memory ran out. */
static void fit_fail(const lk_err *e) __attribute__((noreturn));
static void fit_fail(const lk_err *e)
{
	lk_cli_warn("--fit: %s", e->msg);
	exit(e->kind == LK_EDATA ? 2 : 1);
}

/* Each line of `text` as a warning: `prefix`, then the line less its
 * first `skip` bytes. */
static void fit_warn_lines(const char *prefix, const char *text, int skip)
{
	const char *nl;

	for (; *text; text = nl + 1) {
		nl = strchr(text, '\n');
		lk_cli_warn("%s%.*s", prefix, (int)(nl - text - skip), text + skip);
	}
}

/*
 * --fit: read every labelled lead, build the candidates (the model's
 * rules, the data's with --candidates auto), fit, print the figures on
 * stderr and the tuned model on stdout (or -o).  lib/score/fit.h does
 * the work; this opens the files, prints and picks the exit code.
 */
static int fit_main(struct fitargs *a, lk_model *m, lk_score *s, const char *model_path,
		    const char *in_name, char delim, const char *acts_path, lk_exprenv *env,
		    const char *outpath)
{
	static lk_outfile of;
	lk_csvopt co = { .delim = delim, .name = in_name };
	lk_err e = { .record = -1 };
	lk_buf warn = LK_BUF_INIT, head = LK_BUF_INIT, table = LK_BUF_INIT, out = LK_BUF_INIT,
	       note = LK_BUF_INIT;
	lk_activities *acts = NULL;
	lk_fit_figures fig;
	lk_fit_data *d;
	lk_reader *rd;
	lk_row *row;
	lk_fit *f;
	size_t at;
	int c, nh;

	rd = lk_reader_new(lk_cli_open_in(in_name), &co, &e);
	if (!rd)
		lk_cli_fail(NULL, &e);
	c = lk_reader_next(rd, &row, &e);
	if (c < 0)
		read_fail(&e);
	if (c == 0) {
		lk_cli_warn("%s: empty input: no header row", strcmp(in_name, "-") ? in_name : "stdin");
		return 1;
	}
	d = lk_fit_data_new(m, s, row, a->outcome, a->value, a->exclude, &e);
	if (!d)
		lk_cli_fail(NULL, &e);
	if (acts_path) {
		int afd = lk_cli_open_in(acts_path);
		const char *const *h = lk_fit_data_header(d, &nh);
		acts = lk_activities_load(afd, acts_path, env->now, m->date_order, &e);
		if (!acts)
			lk_cli_fail(NULL, &e);
		if (afd > 0)
			close(afd);
		lk_activities_bind(acts, h, nh);
	}
	if (lk_fit_data_read(d, rd, in_name, &warn, &e) < 0)
		read_fail(&e);
	c = lk_fit_data_check(d, &warn, &e);
	for (at = 0; at < warn.len; at += strlen(warn.data + at) + 1)
		lk_cli_warn("%s", warn.data + at);
	if (c < 0)
		fit_fail(&e);
	f = lk_fit_data_build(d, acts, env, a->candidates != NULL, &e);
	if (!f)
		lk_cli_fail(NULL, &e);
	if (lk_fit_run(f, &a->o, &fig, &e) < 0)
		fit_fail(&e);
	fit_warn_lines("--fit: ", lk_fit_notes(f), 0);

	/* The figures, on stderr and in the model's header; the table's
	 * first line is a message, the others its rows. */
	lk_fit_data_summary(d, f, &fig, &a->o, &head, &table);
	fit_warn_lines("", lk_buf_str(&head), 2);
	fprintf(stderr, "%s: %s", lk_prog, lk_buf_str(&table));
	if (lk_fit_rewrite_file(f, &fig, model_path, m, s, lk_buf_str(&head), &out, &note, &e) < 0)
		lk_cli_fail(NULL, &e);
	fit_warn_lines("--fit: ", lk_buf_str(&note), 0);
	if (lk_cli_outfile_open(&of, outpath, &e) < 0)
		lk_cli_fail(NULL, &e);
	for (at = 0; at < out.len;) {
		ssize_t w = write(of.fd, out.data + at, out.len - at);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EPIPE)
			exit(0);
		if (w < 0) {
			lk_cli_warn("%s: %s", outpath ? outpath : "stdout", strerror(errno));
			exit(1);
		}
		at += (size_t)w;
	}
	if (lk_outfile_commit(&of, &e) < 0)
		lk_cli_fail(NULL, &e);
	lk_fit_free(f);
	lk_fit_data_free(d);
	lk_activities_free(acts);
	lk_reader_free(rd);
	lk_buf_free(&warn);
	lk_buf_free(&head);
	lk_buf_free(&table);
	lk_buf_free(&out);
	lk_buf_free(&note);
	return 0;
}

/* What the callbacks share. */
struct scorer {
	lk_score *s, *bs;		/* the model's scorer, the baseline's */
	const char *acts_path;		/* --activities FILE, or NULL */
	const char *ledger, *base_path;	/* --ledger FILE, --baseline MODEL */
	int explain, lint, flush;
	lk_writer *lw;			/* the ledger */
};

static int on_bind(void *st, lk_filter *f, const lk_row *hdr, const char *const *h, int n)
{
	struct scorer *t = st;
	lk_err e = { .record = -1 };

	if (lk_score_bind(t->s, h, n, t->explain, &e) < 0)
		return lk_filter_fail(f, NULL, &e);
	if (t->lint)
		return lint(t->s) ? lk_filter_stop(f, 1) : LK_FILTER_DONE;
	if (t->acts_path)
		return lk_filter_activities(f, t->acts_path, 0, NULL, 0);
	n = lk_score_rule_count(t->s, LK_RULE_ENGAGEMENT);
	if (n && !lk_leads_keyed(lk_filter_leads(f)))
		lk_cli_warn("no --activities: the %d engagement rule%s give 0", n, n == 1 ? "" : "s");
	return 0;
}

/* The output header, then the ledger's. */
static int on_header(void *st, lk_filter *f)
{
	struct scorer *t = st;
	const char *const *names;
	int n;

	lk_score_header(t->s, &names, &n);
	if (lk_filter_header(f, names, n) < 0)
		return -1;
	if (!t->ledger)
		return 0;
	lk_score_keep_entries(t->s, 1);
	t->lw = lk_filter_side(f, t->ledger, "--ledger", lk_ledger_columns, LK_LEDGER_NCOLS, t->flush);
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
		return lk_filter_fail(f, t->ledger, &e);
	return 0;
}

static void on_report(void *st, lk_filter *f)
{
	struct scorer *t = st;
	long up, down, n = lk_filter_rows_out(f);

	lk_filter_activity_summary(f);
	if (!t->bs)
		return;
	lk_score_flips(t->s, &up, &down);
	lk_cli_warn("against the baseline %s: mql flips no->yes %ld, yes->no %ld, of %ld lead%s",
		    t->base_path, up, down, n, n == 1 ? "" : "s");
	lk_cli_counter(lk_scale.counters, "mql_flips_up", up);
	lk_cli_counter(lk_scale.counters, "mql_flips_down", down);
}

static const lk_filter_ops ops = {
	.bind = on_bind, .header = on_header, .row = on_row, .report = on_report
};

int main(int argc, char **argv)
{
	struct scorer t = { 0 };
	lk_filter_opts fo = LK_FILTER_OPTS_INIT;
	const char *in;
	int c, emit_key = 0, sorted = 0, key_given = 0;
	lk_joinkey first = LK_JOIN_ID;
	lk_err e = { .record = -1 };
	lk_model *m, *bm = NULL;
	struct fitargs fa = { .o = { .max_rules = 20, .folds = 5, .seed = 1, .capture = 0.8,
				     .scale = 10 } };

	lk_prog = "lead-score";
	while ((c = getopt_long(argc, argv, "m:td:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case O_ACT: t.acts_path = optarg; break;
		case O_EXPLAIN: t.explain = 1; break;
		case O_LEDGER: t.ledger = optarg; break;
		case O_BASE: t.base_path = optarg; break;
		case O_LINT: t.lint = 1; break;
		case O_EMIT: emit_key = 1; break;
		case O_KEYED: fo.keyed_in = 1; break;
		case O_SORTED: sorted = 1; break;
		case O_KEY:
			if (strcmp(optarg, "lead_id") && strcmp(optarg, "email"))
				lk_cli_usage("--key: '%s' is neither lead_id nor email", optarg);
			first = strcmp(optarg, "email") ? LK_JOIN_ID : LK_JOIN_EMAIL;
			key_given = 1;
			break;
		case O_FIT: fa.outcome = optarg; break;
		case O_VALUE: fa.value = optarg; break;
		case O_NOCOLS: fa.exclude = optarg; break;
		case O_CAND:
			if (strcmp(optarg, "auto") && strcmp(optarg, "model"))
				lk_cli_usage("--candidates: '%s' is neither auto nor model", optarg);
			fa.candidates = strcmp(optarg, "auto") ? NULL : optarg;
			break;
		case O_MAXR: fa.o.max_rules = (int)lk_cli_long("--max-rules", optarg); break;
		case O_FOLDS: fa.o.folds = (int)lk_cli_long("--folds", optarg); break;
		case O_SEED: fa.o.seed = (uint64_t)lk_cli_long("--seed", optarg); break;
		case O_CAPT: {
			char *end;
			fa.o.capture = strtod(optarg, &end);
			if (!*optarg || *end || !(fa.o.capture > 0 && fa.o.capture <= 1))
				lk_cli_usage("--capture: '%s' is not a share above 0 and at most 1", optarg);
			break;
		}
		default: lk_cli_filter_opt(&fo, c, optarg, usage);
		}
	}
	t.flush = fo.flush;
	if (fo.keyed_in && lk_scale.header_from)
		lk_cli_usage("--header-from: the keyed input carries its own header lines");
	if (argc - optind > 1)
		lk_cli_usage("one input file at most (or - for stdin)");
	in = optind < argc ? argv[optind] : "-";
	fo.inputs = (const char *const *)argv + optind;
	if (t.ledger && !strcmp(t.ledger, fo.output && strcmp(fo.output, "-") ? fo.output : "-"))
		lk_cli_usage("--ledger and the scored rows cannot go to the same place");
	if (emit_key && fo.keyed_in)
		lk_cli_usage("--emit-key and --keyed are the two halves of a shuffle; use one");
	if (key_given && !emit_key)
		lk_cli_usage("--key chooses the join key of --emit-key (the map side)");
	if (fo.keyed_in != sorted)
		lk_cli_usage("--keyed --sorted go together: the reduce side reads the map output "
			     "sorted with LC_ALL=C sort");
	if (fo.keyed_in && t.acts_path)
		lk_cli_usage("--keyed: the activities come in the keyed input, not --activities");
	if (emit_key) {
		if (t.explain || t.ledger || t.base_path || t.lint || lk_scale.no_header_out)
			lk_cli_usage("--emit-key only keys rows for the shuffle: give --explain, "
				     "--ledger, --baseline and --lint to the reduce side (--keyed), "
				     "and keep the header lines");
		if (t.acts_path && optind < argc && !strcmp(t.acts_path, "-") && !strcmp(in, "-"))
			lk_cli_usage("--emit-key: the leads and --activities cannot both be stdin");
		return lk_filter_emit(&fo, t.acts_path, first);
	}

	if (!fa.outcome && (fa.value || fa.exclude || fa.candidates))
		lk_cli_usage("--value, --exclude and --candidates go with --fit");
	if (fa.outcome && (t.explain || t.ledger || t.base_path || t.lint || fo.keyed_in ||
			   lk_scale.no_header_out))
		lk_cli_usage("--fit writes a model: --explain, --ledger, --baseline, --lint, "
			     "--keyed and --no-header-out do not apply");
	if (fa.exclude && !fa.candidates)
		lk_cli_usage("--exclude names columns --candidates auto makes no rules from");
	if (fa.o.folds == 1 || fa.o.folds > 100)
		lk_cli_usage("--folds: %d: give 0 (no held-out figures) or 2 to 100", fa.o.folds);

	m = lk_model_load(lk_model_path(fo.model), &e);
	if (!m || !(t.s = lk_score_new(m, &e)))
		lk_cli_fail(NULL, &e);
	fo.env.order = m->date_order;
	/* The baseline is its own file, so its errors name it; same header, same data. */
	if (t.base_path && (!(bm = lk_model_load(t.base_path, &e)) || !(t.bs = lk_score_new(bm, &e))))
		lk_cli_fail("--baseline", &e);
	if (t.bs)
		lk_score_set_baseline(t.s, t.bs);

	if (fa.outcome)
		c = fit_main(&fa, m, t.s, lk_model_path(fo.model), in, fo.delim, t.acts_path,
			     &fo.env, fo.output);
	else if (t.lint && optind == argc)	/* against the canonical columns */
		c = lk_score_bind(t.s, lk_canon, LK_NCANON, t.explain, &e) < 0 ? lk_cli_report(NULL, &e)
									      : lint(t.s);
	else {
		fo.name = strcmp(in, "-") ? in : "stdin";
		c = lk_filter_run(&ops, &t, &fo);
	}
	lk_score_free(t.s);
	lk_score_free(t.bs);
	lk_model_free(m);
	lk_model_free(bm);
	return c;
}
