/*
 * lead-score - fit and engagement scores, grade and MQL flag per lead.
 *
 * Options, wiring and exit codes only; the rules and the arithmetic are
 * in lib/score.c, the activity table in lib/activity.c.
 */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <time.h>

#include "score/activity.h"
#include "cli.h"
#include "score/fit.h"
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

enum { O_ACT = 256, O_NOW, O_EXPLAIN, O_LEDGER, O_BASE, O_LINT, O_REJ, O_MAXREJ, O_FLUSH,
       O_VERSION, O_EMIT, O_KEY, O_KEYED, O_SORTED, O_FIT, O_CAND, O_NOCOLS, O_MAXR, O_FOLDS,
       O_SEED, O_CAPT, O_VALUE };

static const struct option longopts[] = {
	{ "model", required_argument, NULL, 'm' },
	{ "activities", required_argument, NULL, O_ACT },
	{ "now", required_argument, NULL, O_NOW },
	{ "explain", no_argument, NULL, O_EXPLAIN },
	{ "ledger", required_argument, NULL, O_LEDGER },
	{ "baseline", required_argument, NULL, O_BASE }, { "lint", no_argument, NULL, O_LINT },
	{ "rejects", required_argument, NULL, O_REJ },
	{ "max-rejects", required_argument, NULL, O_MAXREJ },
	{ "emit-key", no_argument, NULL, O_EMIT }, { "key", required_argument, NULL, O_KEY },
	{ "keyed", no_argument, NULL, O_KEYED }, { "sorted", no_argument, NULL, O_SORTED },
	{ "fit", required_argument, NULL, O_FIT }, { "candidates", required_argument, NULL, O_CAND },
	{ "exclude", required_argument, NULL, O_NOCOLS },
	{ "max-rules", required_argument, NULL, O_MAXR },
	{ "folds", required_argument, NULL, O_FOLDS }, { "seed", required_argument, NULL, O_SEED },
	{ "capture", required_argument, NULL, O_CAPT }, { "value", required_argument, NULL, O_VALUE },
	{ "tsv", no_argument, NULL, 't' }, { "delimiter", required_argument, NULL, 'd' },
	{ "output", required_argument, NULL, 'o' }, { "flush", no_argument, NULL, O_FLUSH },
	LK_CLI_SCALE_OPTS, { "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, O_VERSION }, { NULL, 0, NULL, 0 }
};

static void read_fail(const lk_err *e) __attribute__((noreturn));
static void read_fail(const lk_err *e)
{
	lk_cli_warn("%s", lk_err_str(e, (char[1024]){0}, 1024));
	exit(1);
}

static void days(lk_buf *b, double d)
{
	if (d == floor(d))
		lk_buf_addf(b, "%.0fd", d);
	else
		lk_buf_addf(b, "%gd", d);
}

/*
 * --emit-key: the map side of the keyed join.  The leads of `in` (when
 * named, or when there are no activities to key) and the activities of
 * `acts_path` become KEY<TAB>ROW lines (activity.h); no model needed.
 */
static int emit(const char *in, const char *acts_path, lk_joinkey first, char delim,
		const char *outpath, int flush, const char *rejects, long maxrej, int counters)
{
	static lk_outfile of;
	static lk_rejects rej;
	const char *out_name = outpath && strcmp(outpath, "-") ? outpath : "stdout";
	lk_err e = { .record = -1 };
	lk_csvopt co = { 0 };
	lk_writer *w;
	lk_row *row;
	long nin = 0, nout = 0, abad = 0;
	char ex[160] = "";
	int c, k;

	co.delim = delim;
	if (lk_cli_outfile_open(&of, outpath, &e) < 0)
		lk_cli_fail(NULL, &e);
	w = lk_writer_new(of.fd, delim, flush || isatty(of.fd));
	lk_cli_scale_writer(w, 1);
	lk_rejects_init(&rej, rejects, maxrej, delim);
	for (k = 0; k < 2; k++) {
		const char *name = k ? in : acts_path;
		lk_keyemit *ke;
		lk_reader *rd;
		int fd;

		if (!name)
			continue;
		co.name = name;
		co.header_from = k ? lk_scale.header_from : NULL;
		fd = lk_cli_open_in(name);
		rd = lk_reader_new(fd, &co, &e);
		if (!rd)
			lk_cli_fail(NULL, &e);
		ke = lk_keyemit_new(w, k ? LK_KEY_LEAD : LK_KEY_ACT, first);
		if (!ke) {
			lk_cli_warn("out of memory");
			return 1;
		}
		c = lk_reader_next(rd, &row, &e);
		if (c < 0)
			read_fail(&e);
		if (c == 0) {
			lk_cli_warn("%s: empty input: no header row", name);
			return 1;
		}
		if (k) {
			/* Bad leads go to --rejects, as in the other modes. */
			char **h = calloc((size_t)row->n + 1, sizeof *h);
			int i;
			for (i = 0; h && i < row->n; i++)
				h[i] = strdup(row->f[i]);
			lk_rejects_header(&rej, (const char *const *)h, row->n);
		}
		if (lk_keyemit_header(ke, row, name, &e) < 0)
			lk_cli_fail(e.kind == LK_EUSAGE ? NULL : out_name, &e);
		while ((c = lk_reader_next(rd, &row, &e)) > 0) {
			int rc;
			if (k)
				nin++;
			if (row->bad) {
				if (k)
					lk_rejects_add(&rej, row, row->bad);
				else if (!abad++)
					snprintf(ex, sizeof ex, "record %ld (line %ld): %s", row->record,
						 row->line, row->bad);
				continue;
			}
			rc = lk_keyemit_row(ke, row, &e);
			if (rc < 0)
				lk_cli_fail(out_name, &e);
			if (rc == 0 && !abad++)
				snprintf(ex, sizeof ex, "record %ld (line %ld): neither lead_id nor email",
					 row->record, row->line);
			nout += rc && k;
		}
		if (c < 0)
			read_fail(&e);
		if (k && lk_keyemit_keyless(ke))
			lk_cli_warn("%ld lead%s without a lead_id or email: keyed to join no activity",
				    lk_keyemit_keyless(ke), lk_keyemit_keyless(ke) == 1 ? "" : "s");
		lk_keyemit_free(ke);
		lk_reader_free(rd);
		if (fd > 0)
			close(fd);
	}
	if (lk_writer_flush(w, &e) < 0)
		lk_cli_fail(out_name, &e);
	if (lk_outfile_commit(&of, &e) < 0)
		lk_cli_fail(NULL, &e);
	lk_writer_free(w);
	if (abad)
		lk_cli_warn("%ld activit%s rejected (%s)", abad, abad == 1 ? "y" : "ies", ex);
	lk_cli_counter(counters, "activities_rejected", abad);
	lk_cli_counter(counters, "rows_in", nin);
	lk_cli_counter(counters, "rows_out", nout);
	lk_cli_counter(counters, "rows_rejected", rej.count);
	return lk_rejects_finish(&rej, nin);
}

/* --lint: the rules as the program understood them. */
static void lint(const lk_score *s)
{
	const lk_score_rule *r;
	const lk_grade *g;
	const char *fb;
	lk_buf b = LK_BUF_INIT;
	int n, i, k, nfit = 0;

	r = lk_score_rules(s, &n);
	for (i = 0; i < n; i++)
		nfit += r[i].kind == LK_RULE_FIT;
	lk_buf_addf(&b, "fit rules: %d\n", nfit);
	for (i = 0; i < n; i++) {
		if (r[i].kind != LK_RULE_FIT)
			continue;
		lk_buf_addf(&b, "  %s: ", r[i].name);
		lk_score_fmt(&b, r[i].points, 1, 1);
		lk_buf_adds(&b, " when ");
		lk_expr_print(r[i].expr, &b);
		lk_buf_addc(&b, '\n');
	}
	lk_buf_addf(&b, "engagement rules: %d\n", n - nfit);
	for (i = 0; i < n; i++) {
		if (r[i].kind != LK_RULE_ENGAGEMENT)
			continue;
		lk_buf_addf(&b, "  %s: ", r[i].name);
		lk_score_fmt(&b, r[i].points, 1, 1);
		lk_buf_adds(&b, " per ");
		for (k = 0; k < r[i].nactivities; k++)
			lk_buf_addf(&b, "%s%s", k ? "|" : "", r[i].activities[k]);
		if (r[i].half_life > 0) {
			lk_buf_adds(&b, ", half-life ");
			days(&b, r[i].half_life);
		}
		if (r[i].window > 0) {
			lk_buf_adds(&b, ", window ");
			days(&b, r[i].window);
		}
		if (r[i].cap >= 0) {
			lk_buf_adds(&b, ", cap ");
			lk_score_fmt(&b, r[i].cap, 0, 1);
		}
		lk_buf_addc(&b, '\n');
	}
	g = lk_score_grades(s, &n, &fb);
	lk_buf_adds(&b, "grades: ");
	for (i = 0; i < n; i++) {
		lk_buf_addf(&b, "%s fit >= ", g[i].name);
		lk_score_fmt(&b, g[i].min, 0, 1);
		lk_buf_adds(&b, ", ");
	}
	lk_buf_addf(&b, "else %s\nmql: ", fb);
	lk_expr_print(lk_score_mql(s), &b);
	lk_buf_addc(&b, '\n');
	fputs(lk_buf_str(&b), stdout);
	lk_buf_free(&b);
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

int main(int argc, char **argv)
{
	const char *model_path = NULL, *acts_path = NULL, *rejects = NULL, *outpath = NULL;
	const char *out_name = "stdout", *ledger_path = NULL;
	const char *base_path = NULL;
	int c, explain = 0, do_lint = 0, flush = 0, nohdr = 0, counters = 0, nnames;
	int emit_key = 0, keyed = 0, sorted = 0, key_given = 0;
	lk_joinkey first = LK_JOIN_ID;
	lk_keyjoin *kj = NULL;
	const lk_act *la = NULL;
	int nla = 0;
	long maxrej = -1, in = 0;
	char delim = ',';
	static lk_outfile of, lof;
	static lk_rejects rej;
	const char *in_name;
	lk_exprenv env = { 0 };
	lk_err e = { .record = -1 };
	lk_model *m, *bm = NULL;
	lk_score *s, *bs = NULL;
	lk_activities *acts = NULL;
	lk_reader *rd = NULL;
	lk_writer *w, *lw = NULL;
	lk_row *row, *out;
	const char *const *names;
	int have_now = 0;
	struct fitargs fa = { .o = { .max_rules = 20, .folds = 5, .seed = 1, .capture = 0.8,
				     .scale = 10 } };

	lk_prog = "lead-score";
	while ((c = getopt_long(argc, argv, "m:td:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': model_path = optarg; break;
		case O_ACT: acts_path = optarg; break;
		case O_NOW: {
			lk_time t;
			if (lk_date_parse(optarg, strlen(optarg), LK_DATE_AUTO, &t) < 0)
				lk_cli_usage("--now: '%s' is not a date or timestamp", optarg);
			env.now = t.secs;
			have_now = 1;
			break;
		}
		case O_EXPLAIN: explain = 1; break;
		case O_LEDGER: ledger_path = optarg; break;
		case O_BASE: base_path = optarg; break;
		case O_LINT: do_lint = 1; break;
		case O_REJ: rejects = optarg; break;
		case O_MAXREJ: maxrej = lk_cli_long("--max-rejects", optarg); break;
		case 't': delim = '\t'; break;
		case 'd': delim = lk_cli_delim(optarg); break;
		case 'o': outpath = optarg; break;
		case O_FLUSH: flush = 1; break;
		case O_EMIT: emit_key = 1; break;
		case O_KEYED: keyed = 1; break;
		case O_SORTED: sorted = 1; break;
		case O_KEY:
			if (!strcmp(optarg, "lead_id"))
				first = LK_JOIN_ID;
			else if (!strcmp(optarg, "email"))
				first = LK_JOIN_EMAIL;
			else
				lk_cli_usage("--key: '%s' is neither lead_id nor email", optarg);
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
		case 'h': fputs(usage, stdout); return 0;
		case O_VERSION: printf("lead-score (leadkit) %s\n", LK_VERSION); return 0;
		default: if (!lk_cli_scale_opt(c, optarg)) lk_cli_usage("unknown option");
		}
	}
	nohdr = lk_scale.no_header_out, counters = lk_scale.counters;
	if (keyed && lk_scale.header_from)
		lk_cli_usage("--header-from: the keyed input carries its own header lines");
	if (argc - optind > 1)
		lk_cli_usage("one input file at most (or - for stdin)");
	if (!have_now)
		env.now = (int64_t)time(NULL);
	if (ledger_path && !strcmp(ledger_path, outpath && strcmp(outpath, "-") ? outpath : "-"))
		lk_cli_usage("--ledger and the scored rows cannot go to the same place");
	if (emit_key && keyed)
		lk_cli_usage("--emit-key and --keyed are the two halves of a shuffle; use one");
	if (key_given && !emit_key)
		lk_cli_usage("--key chooses the join key of --emit-key (the map side)");
	if (keyed != sorted)
		lk_cli_usage("--keyed --sorted go together: the reduce side reads the map output "
			     "sorted with LC_ALL=C sort");
	if (keyed && acts_path)
		lk_cli_usage("--keyed: the activities come in the keyed input, not --activities");
	if (emit_key) {
		if (explain || ledger_path || base_path || do_lint || nohdr)
			lk_cli_usage("--emit-key only keys rows for the shuffle: give --explain, "
				     "--ledger, --baseline and --lint to the reduce side (--keyed), "
				     "and keep the header lines");
		if (acts_path && optind < argc && !strcmp(acts_path, "-") && !strcmp(argv[optind], "-"))
			lk_cli_usage("--emit-key: the leads and --activities cannot both be stdin");
		return emit(optind < argc ? argv[optind] : acts_path ? NULL : "-", acts_path, first,
			    delim, outpath, flush, rejects, maxrej, counters);
	}

	if (!fa.outcome && (fa.value || fa.exclude || fa.candidates))
		lk_cli_usage("--value, --exclude and --candidates go with --fit");
	if (fa.outcome && (explain || ledger_path || base_path || do_lint || keyed || nohdr))
		lk_cli_usage("--fit writes a model: --explain, --ledger, --baseline, --lint, "
			     "--keyed and --no-header-out do not apply");
	if (fa.exclude && !fa.candidates)
		lk_cli_usage("--exclude names columns --candidates auto makes no rules from");
	if (fa.o.folds == 1 || fa.o.folds > 100)
		lk_cli_usage("--folds: %d: give 0 (no held-out figures) or 2 to 100", fa.o.folds);

	m = lk_model_load(lk_model_path(model_path), &e);
	if (!m)
		lk_cli_fail(NULL, &e);
	env.order = m->date_order;
	s = lk_score_new(m, &e);
	if (!s)
		lk_cli_fail(NULL, &e);
	if (base_path) {
		/* Its own file, so its errors name it; same header, same data. */
		bm = lk_model_load(base_path, &e);
		if (!bm)
			lk_cli_fail("--baseline", &e);
		bs = lk_score_new(bm, &e);
		if (!bs)
			lk_cli_fail("--baseline", &e);
		lk_score_set_baseline(s, bs);
	}

	if (fa.outcome) {
		int rc = fit_main(&fa, m, s, lk_model_path(model_path),
				  optind < argc ? argv[optind] : "-", delim, acts_path, &env, outpath);

		lk_score_free(s);
		lk_model_free(m);
		return rc;
	}

	if (do_lint && optind == argc) {
		static const char *cols[LK_NCANON];
		int i;
		for (i = 0; i < LK_NCANON; i++)
			cols[i] = lk_canon[i];
		if (lk_score_bind(s, cols, LK_NCANON, explain, &e) < 0)
			lk_cli_fail(NULL, &e);
		lint(s);
		lk_score_free(s);
		lk_model_free(m);
		return 0;
	}

	in_name = optind < argc ? argv[optind] : "-";
	lk_cli_open_leads(in_name, delim, keyed, env.now, m->date_order, &rd, &kj);
	c = lk_cli_next_lead(rd, kj, NULL, &row, &la, NULL, &nla, &e);
	if (c < 0)
		read_fail(&e);
	if (c == 0) {
		lk_cli_warn(kj ? "%s: no leads in the keyed input (no lead header line)"
			       : "%s: empty input: no header row", strcmp(in_name, "-") ? in_name : "stdin");
		return 1;
	}
	{
		/* The header stays ours: the reader reuses the row's memory. */
		char **h = calloc((size_t)row->n + 1, sizeof *h);
		int i;
		for (i = 0; i < row->n; i++)
			h[i] = strdup(row->f[i]);
		lk_rejects_init(&rej, rejects, maxrej, delim);
		lk_rejects_header(&rej, (const char *const *)h, row->n);
		if (lk_score_bind(s, (const char *const *)h, row->n, explain, &e) < 0)
			lk_cli_fail(NULL, &e);
	}
	if (do_lint) {
		lint(s);
		return 0;
	}
	if (acts_path) {
		int afd = lk_cli_open_in(acts_path);
		acts = lk_activities_load(afd, acts_path, env.now, m->date_order, &e);
		if (!acts)
			lk_cli_fail(NULL, &e);
		if (afd > 0)
			close(afd);
		lk_activities_bind(acts, rej.header, rej.nheader);
	} else if (!kj) {
		int nr, i, neng = 0;
		const lk_score_rule *r = lk_score_rules(s, &nr);
		for (i = 0; i < nr; i++)
			neng += r[i].kind == LK_RULE_ENGAGEMENT;
		if (neng)
			lk_cli_warn("no --activities: the %d engagement rule%s give 0", neng,
				    neng == 1 ? "" : "s");
	}

	if (outpath && strcmp(outpath, "-"))
		out_name = outpath;
	if (lk_cli_outfile_open(&of, outpath, &e) < 0)
		lk_cli_fail(NULL, &e);
	w = lk_writer_new(of.fd, delim, flush || isatty(of.fd));
	lk_cli_scale_writer(w, 0);
	lk_score_header(s, &names, &nnames);
	if (!nohdr && lk_writer_row(w, names, NULL, nnames, &e) < 0)
		lk_cli_fail(out_name, &e);
	if (ledger_path) {
		if (lk_cli_outfile_open(&lof, ledger_path, &e) < 0)
			lk_cli_fail("--ledger", &e);
		lw = lk_writer_new(lof.fd, delim, flush);
		lk_score_keep_entries(s, 1);
		if (!nohdr && lk_writer_row(lw, lk_ledger_columns, NULL, LK_LEDGER_NCOLS, &e) < 0)
			lk_cli_fail(ledger_path, &e);
	}
	while ((c = lk_cli_next_lead(rd, kj, acts, &row, &la, NULL, &nla, &e)) > 0) {
		in++;
		if (row->bad) {
			lk_rejects_add(&rej, row, row->bad);
			continue;
		}
		if (lk_score_row(s, row, la, nla, &env, &out, NULL) < 0) {
			lk_cli_warn("out of memory");
			return 1;
		}
		if (lk_writer_row(w, (const char *const *)out->f, out->len, out->n, &e) < 0)
			lk_cli_fail(out_name, &e);
		if (lw && lk_score_ledger(s, row, lw, &e) < 0)
			lk_cli_fail(ledger_path, &e);
	}
	if (c < 0)
		read_fail(&e);
	if (lk_writer_flush(w, &e) < 0)
		lk_cli_fail(out_name, &e);
	if (lw && lk_writer_flush(lw, &e) < 0)
		lk_cli_fail(ledger_path, &e);
	if (lk_outfile_commit(&of, &e) < 0 || (lw && lk_outfile_commit(&lof, &e) < 0))
		lk_cli_fail(NULL, &e);
	lk_cli_expr_warn(&env);
	if (acts || kj)
		lk_cli_activity_summary(kj ? lk_keyjoin_stats(kj) : lk_activities_stats_get(acts),
					counters);
	if (bs) {
		long up, down;
		lk_score_flips(s, &up, &down);
		lk_cli_warn("against the baseline %s: mql flips no->yes %ld, yes->no %ld, "
			    "of %ld lead%s", base_path, up, down, in - rej.count,
			    in - rej.count == 1 ? "" : "s");
		lk_cli_counter(counters, "mql_flips_up", up);
		lk_cli_counter(counters, "mql_flips_down", down);
	}
	lk_cli_counter(counters, "rows_in", in);
	lk_cli_counter(counters, "rows_out", in - rej.count);
	lk_cli_counter(counters, "rows_rejected", rej.count);
	c = lk_rejects_finish(&rej, in);
	lk_writer_free(w);
	lk_writer_free(lw);
	lk_reader_free(rd);
	lk_keyjoin_free(kj);
	lk_activities_free(acts);
	lk_score_free(s);
	lk_score_free(bs);
	lk_model_free(m);
	lk_model_free(bm);
	return c;
}
