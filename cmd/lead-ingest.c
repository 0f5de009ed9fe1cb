/*
 * lead-ingest - any CRM export in, clean canonical leads out.
 *
 * Options, wiring and exit codes only; the work is in lib/ingest:
 * filter.c (each row normalised by ingest.c, then merged by dedupe.c or
 * keyed by keys.c) and lookahead.c (the rows that settle date orders).
 */
#include <getopt.h>
#include <stdint.h>

#include "cli.h"
#include "ingest/filter.h"
#include "ingest/ingest.h"
#include "ingest/lookahead.h"

static const char usage[] =
"Usage: lead-ingest [OPTION]... [FILE]...\n"
"Map and normalise a CRM export (CSV or TSV) to canonical leads on stdout.\n"
"\n"
"  -m, --model FILE        lead model (default $LEAD_MODEL, then ./lead.yaml)\n"
"      --from PRESET       auto (default), hubspot, salesforce, marketo, pipedrive,\n"
"                          or none (no mapping or normalising: re-encode only)\n"
"      --show-mapping      print which header became which column, then exit\n"
"      --default-country CC  country for phone numbers without a prefix (e.g. US)\n"
"      --date-order ORDER  dmy or mdy for all-numeric dates (default: settled per\n"
"                          column by the data, else month first)\n"
"      --placeholder TEXT  another value that means empty (repeatable)\n"
"      --no-placeholders   do not empty the built-in placeholder values\n"
"      --dedupe            merge records with the same key (newest wins per field)\n"
"      --key COL[,COL]     dedupe key (default email)\n"
"      --sorted            input is grouped by the key: merge in constant memory\n"
"      --emit-key          write KEY<TAB>ROW lines for a MapReduce shuffle\n"
"      --keyed             the input is --emit-key output, sorted: read it back\n"
"                          (with --dedupe --sorted: the reduce side)\n"
"      --activities        the input is an activity export (lead_id/email,\n"
"                          activity, occurred_at, detail)\n"
"      --rejects FILE      write rejected rows there, with _reject_reason, _line\n"
"      --max-rejects N     exit 1 when more than N rows are rejected\n"
"      --encoding ENC      input encoding, e.g. latin1 or windows-1252\n"
LK_CLI_IO_HELP
"\n"
"Examples:\n"
"  lead-ingest contacts.csv > leads.csv\n"
"  lead-ingest --show-mapping export.csv\n"
"  lead-ingest --dedupe --rejects bad.csv -o leads.csv export.csv\n"
"  lead-ingest --activities -m model.yaml activity-export.csv > activities.csv\n"
"  lead-ingest --from none --encoding windows-1252 old.csv > utf8.csv\n";

enum { O_FROM = 256, O_SHOW, O_COUNTRY, O_ORDER, O_PH, O_NOPH, O_DEDUPE, O_KEY, O_SORTED,
       O_EMITKEY, O_KEYED, O_ACT, O_REJ, O_MAXREJ, O_ENC, O_FLUSH, O_VERSION };

static const struct option longopts[] = {
	{ "model", required_argument, NULL, 'm' }, { "from", required_argument, NULL, O_FROM },
	{ "show-mapping", no_argument, NULL, O_SHOW },
	{ "default-country", required_argument, NULL, O_COUNTRY },
	{ "date-order", required_argument, NULL, O_ORDER },
	{ "placeholder", required_argument, NULL, O_PH },
	{ "no-placeholders", no_argument, NULL, O_NOPH },
	{ "dedupe", no_argument, NULL, O_DEDUPE }, { "key", required_argument, NULL, O_KEY },
	{ "sorted", no_argument, NULL, O_SORTED }, { "emit-key", no_argument, NULL, O_EMITKEY },
	{ "keyed", no_argument, NULL, O_KEYED },
	{ "activities", no_argument, NULL, O_ACT }, { "rejects", required_argument, NULL, O_REJ },
	{ "max-rejects", required_argument, NULL, O_MAXREJ },
	{ "encoding", required_argument, NULL, O_ENC }, { "tsv", no_argument, NULL, 't' },
	{ "delimiter", required_argument, NULL, 'd' }, { "output", required_argument, NULL, 'o' },
	{ "flush", no_argument, NULL, O_FLUSH }, LK_CLI_SCALE_OPTS,
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, O_VERSION }, { NULL, 0, NULL, 0 }
};

static const char *out_name = "stdout";	/* for write errors */

struct run {
	lk_ingest_filter *flt;
	lk_writer *w;
	lk_rejects rej;
	long in, out;
};

/* Write out the rows the filter has ready, each after its key when keyed. */
static void emit(struct run *r)
{
	static lk_err e = { .record = -1 };	/* static: not cleared per row */
	const lk_buf *key;
	lk_row *out;

	while (lk_ingest_filter_next(r->flt, &out, &key)) {
		if (key) {
			lk_writer_raw(r->w, key->data, key->len);
			lk_writer_raw(r->w, "\t", 1);
		}
		if (lk_writer_row(r->w, (const char *const *)out->f, out->len, out->n, &e) < 0)
			lk_cli_fail(out_name, &e);
		r->out++;
	}
}

static void one(struct run *r, const lk_row *row)
{
	static lk_err e = { .record = -1 };	/* static: not cleared per row */
	const char *reason;
	int c;

	r->in++;
	c = lk_ingest_filter_row(r->flt, row, &reason, &e);
	if (c < 0)
		lk_cli_fail(NULL, &e);
	if (c == 0)
		lk_rejects_add(&r->rej, row, reason);
	else
		emit(r);
}

/*
 * A reader error ends the run (exit 1).  Invalid UTF-8 names the place
 * and the way out, wherever it is met: header, look-ahead or later.
 * The reader tells it only by its message until lk_err has a kind for
 * it; this is the one place that reads the message.
 */
static void read_fail(const char *name, const lk_err *e) __attribute__((noreturn));
static void read_fail(const char *name, const lk_err *e)
{
	if (e->kind == LK_EDATA && strstr(e->msg, "UTF-8"))
		lk_cli_warn("%s: record %ld (line %ld): %s; the file is not UTF-8: name its "
			    "encoding with --encoding latin1 (or windows-1252, ...)",
			    name, e->record, e->line, e->msg);
	else
		lk_cli_warn("%s", lk_err_str(e, (char[1024]){0}, 1024));
	exit(1);
}

/* Open an input and read its header row (*hdr NULL when it is empty). */
static lk_reader *open_input(const lk_csvopt *co, int *fd, lk_row **hdr)
{
	lk_reader *rd;
	lk_err e;
	int c;

	*fd = lk_cli_open_in(co->name);
	rd = lk_reader_new(*fd, co, &e);
	if (!rd)
		lk_cli_fail(NULL, &e);
	c = lk_reader_next(rd, hdr, &e);
	if (c < 0)
		read_fail(co->name, &e);
	if (c == 0)
		*hdr = NULL;
	return rd;
}

/* Name each renamed header column (a few), so the user can find it. */
static void warn_renamed(const char *name, const lk_mapping *mp, const lk_row *row)
{
	int i, shown = 0;

	for (i = 0; i < row->n; i++) {
		if (row->len[i] == strlen(mp->names[i]) && !memcmp(row->f[i], mp->names[i], row->len[i]))
			continue;
		if (shown++ == 5)
			break;
		if (row->len[i])
			lk_cli_warn("%s: header: column %d: repeated name '%.*s' renamed '%s'",
				    name, i + 1, (int)row->len[i], row->f[i], mp->names[i]);
		else
			lk_cli_warn("%s: header: column %d: empty name renamed '%s'", name, i + 1,
				    mp->names[i]);
	}
	if (mp->renamed > 5)
		lk_cli_warn("%s: header: %d empty or repeated names renamed in all", name, mp->renamed);
}

/* What the ingest kept as it was, on stderr. */
static void warn_stats(const lk_ingest_stats *st)
{
	lk_buf s = LK_BUF_INIT;
	int k;

	for (k = 0; k < LK_NCANON; k++)
		if (st->not_understood[k])
			lk_buf_addf(&s, "%s%s %ld", s.len ? ", " : "", lk_canon[k], st->not_understood[k]);
	if (s.len)
		lk_cli_warn("values kept as they were (not understood): %s", s.data);
	if (st->invalid_email)
		lk_cli_warn("%ld invalid email address%s moved to email_alt", st->invalid_email,
			    st->invalid_email == 1 ? "" : "es");
	lk_buf_free(&s);
}

int main(int argc, char **argv)
{
	const char *model_path = NULL, *key = "email", *rejects = NULL, *outpath = NULL;
	const char *phs[64];
	lk_ingest_opt io = { 0 };
	lk_csvopt co = { 0 };
	int c, show = 0, dedupe = 0, sorted = 0, emit_key = 0, act = 0, flush = 0, more = 1;
	long maxrej = -1;
	static struct run r;	/* static: the atexit clean-up reaches its files */
	static lk_outfile of;
	lk_model *m;
	lk_reader *rd;
	lk_row *row;
	const lk_row *kept;
	lk_ingest *ing;
	lk_lookahead *ahead;
	lk_buf notes = LK_BUF_INIT;
	lk_err e = { .record = -1 };
	const char *const *names;
	int nnames, fi, fd;
	char delim = ',';

	lk_prog = "lead-ingest";
	while ((c = getopt_long(argc, argv, "m:td:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': model_path = optarg; break;
		case O_FROM: io.from = optarg; break;
		case O_SHOW: show = 1; break;
		case O_COUNTRY: io.default_country = optarg; break;
		case O_ORDER:
			if (!strcmp(optarg, "dmy"))
				io.date_order = LK_DATE_DMY;
			else if (!strcmp(optarg, "mdy"))
				io.date_order = LK_DATE_MDY;
			else
				lk_cli_usage("--date-order must be dmy or mdy, not '%s'", optarg);
			break;
		case O_PH:
			if (io.nplaceholders == 64)
				lk_cli_usage("too many --placeholder values (at most 64)");
			phs[io.nplaceholders++] = optarg;
			break;
		case O_NOPH: io.no_placeholders = 1; break;
		case O_DEDUPE: dedupe = 1; break;
		case O_KEY: key = optarg; break;
		case O_SORTED: sorted = 1; break;
		case O_EMITKEY: emit_key = 1; break;
		case O_KEYED: co.keyed = 1; break;
		case O_ACT: act = 1; break;
		case O_REJ: rejects = optarg; break;
		case O_MAXREJ: maxrej = lk_cli_long("--max-rejects", optarg); break;
		case O_ENC: co.encoding = optarg; break;
		case 't': delim = '\t'; break;
		case 'd': delim = lk_cli_delim(optarg); break;
		case 'o': outpath = optarg; break;
		case O_FLUSH: flush = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		case O_VERSION: printf("lead-ingest (leadkit) %s\n", LK_VERSION); return 0;
		default:	/* getopt has said what was wrong */
			if (lk_cli_scale_opt(c, optarg))
				break;
			fprintf(stderr, "Try 'lead-ingest --help' for more information.\n");
			return 2;
		}
	}
	io.placeholders = phs;
	io.dedupe = dedupe;
	if (sorted && !dedupe)
		lk_cli_usage("--sorted needs --dedupe");
	if (act && show)
		lk_cli_usage("--show-mapping describes lead exports; activity columns are "
			     "listed in lead-ingest(1) under ACTIVITIES");
	if (act && (dedupe || emit_key))
		lk_cli_usage("--activities cannot be combined with --dedupe or --emit-key");
	if (emit_key && sorted)
		lk_cli_usage("--emit-key and --sorted are the two halves of a shuffle; use one");
	co.delim = delim;
	co.header_from = lk_scale.header_from;
	co.check_utf8 = 1;

	m = lk_model_load(lk_model_path(model_path), &e);
	if (!m)
		lk_cli_fail(NULL, &e);

	fi = optind;
	co.name = fi < argc ? argv[fi] : "-";
	rd = open_input(&co, &fd, &row);
	if (!row) {
		lk_cli_warn("%s: empty input: no header row", co.name);
		lk_reader_free(rd);
		lk_model_free(m);
		return 1;
	}
	if (row->bad)
		lk_cli_warn("%s: header: %s", co.name, row->bad);
	if (!(r.flt = lk_ingest_filter_new(m, &io, act, row, &e)))
		lk_cli_fail(act ? co.name : NULL, &e);
	lk_ingest_filter_header(r.flt, &names, &nnames);
	ing = lk_ingest_filter_ingest(r.flt);
	if (ing && lk_ingest_mapping(ing)->renamed)
		warn_renamed(co.name, lk_ingest_mapping(ing), row);
	{
		/* The rejects file gets the input header as it was. */
		static const char **inh;
		int i;
		inh = calloc((size_t)row->n + 1, sizeof *inh);
		for (i = 0; i < row->n; i++)
			inh[i] = ing ? lk_ingest_mapping(ing)->names[i] : strdup(row->f[i]);
		lk_rejects_init(&r.rej, rejects, maxrej, delim);
		lk_rejects_header(&r.rej, inh, row->n);
	}
	if ((dedupe || emit_key) && lk_ingest_filter_keys(r.flt, key, sorted, emit_key, &e) < 0)
		lk_cli_fail(NULL, &e);

	/* Look ahead to settle each date column's order before any output. */
	if (!(ahead = lk_lookahead_new())) {
		lk_err_set(&e, LK_ENOMEM, "out of memory");
		lk_cli_fail(NULL, &e);
	}
	if (ing && !flush) {
		if ((more = lk_lookahead_fill(ahead, rd, ing, &e)) < 0)
			read_fail(co.name, &e);
		lk_ingest_settle(ing, &notes);
	}
	if (show) {
		lk_buf d = LK_BUF_INIT;
		lk_mapping_describe(lk_ingest_mapping(ing), &d);
		fputs(lk_buf_str(&d), stdout);
		if (notes.len)
			printf("dates:\n%s", notes.data);
		lk_buf_free(&d);
		lk_buf_free(&notes);
		lk_lookahead_free(ahead);
		if (r.rej.w) {	/* no rows were read: no rejects file */
			lk_writer_free(r.rej.w);
			r.rej.w = NULL;
			lk_outfile_abort(&r.rej.file);
		}
		c = lk_rejects_finish(&r.rej, 0);
		lk_ingest_filter_free(r.flt);
		lk_reader_free(rd);
		lk_model_free(m);
		return c;
	}
	if (outpath && strcmp(outpath, "-"))
		out_name = outpath;
	if (lk_cli_outfile_open(&of, outpath, &e) < 0)
		lk_cli_fail(NULL, &e);
	r.w = lk_writer_new(of.fd, delim, flush || isatty(of.fd));
	lk_writer_set_keyed(r.w, emit_key);
	lk_cli_scale_writer(r.w, emit_key);
	if (!lk_scale.no_header_out) {
		if (emit_key)
			lk_writer_raw(r.w, "\t", 1);	/* a header line has an empty key */
		if (lk_writer_row(r.w, names, NULL, nnames, &e) < 0)
			lk_cli_fail(out_name, &e);
	}
	while ((c = lk_lookahead_next(ahead, &kept, &e)) > 0)
		one(&r, kept);
	if (c < 0)
		lk_cli_fail(NULL, &e);
	lk_lookahead_free(ahead);
	lk_buf_free(&notes);
	/* Once the look-ahead has met the end of the first file, the files
	 * after it are not read: lead-ingest has always done so. */
	while (more > 0) {
		while ((c = lk_reader_next(rd, &row, &e)) > 0)
			one(&r, row);
		if (c < 0)
			read_fail(co.name, &e);
		/* Further files: same header, rows appended. */
		if (++fi >= argc)
			break;
		lk_reader_free(rd);
		if (fd > 0)
			close(fd);
		co.name = argv[fi];
		rd = open_input(&co, &fd, &row);
		if (row) {
			int i, same = row->n == r.rej.nheader;
			for (i = 0; same && i < row->n; i++)
				same = !strcmp(row->f[i], r.rej.header[i]);
			if (!same) {
				lk_cli_warn("%s: header differs from the first file's", co.name);
				lk_outfile_abort(&of);
				return 1;
			}
		}
	}
	if (lk_ingest_filter_finish(r.flt, &e) < 0)
		lk_cli_fail(NULL, &e);
	emit(&r);
	if (lk_writer_flush(r.w, &e) < 0)
		lk_cli_fail(out_name, &e);
	/* Too many rejects is a failed run: the output file is not replaced. */
	if (r.rej.max >= 0 && r.rej.count > r.rej.max)
		lk_outfile_abort(&of);
	else if (lk_outfile_commit(&of, &e) < 0)
		lk_cli_fail(NULL, &e);
	if (ing)
		warn_stats(lk_ingest_stats_get(ing));
	if (lk_ingest_filter_merged(r.flt))
		lk_cli_warn("%ld rows in, %ld out, %ld merged, %ld rejected", r.in, r.out,
			    lk_ingest_filter_merged(r.flt), r.rej.count);
	lk_cli_counter(lk_scale.counters, "rows_in", r.in);
	lk_cli_counter(lk_scale.counters, "rows_out", r.out);
	lk_cli_counter(lk_scale.counters, "rows_rejected", r.rej.count);
	lk_cli_counter(lk_scale.counters, "rows_merged", lk_ingest_filter_merged(r.flt));
	c = lk_rejects_finish(&r.rej, r.in);
	lk_writer_free(r.w);
	lk_ingest_filter_free(r.flt);
	lk_reader_free(rd);
	lk_model_free(m);
	return c;
}
