/* Unit tests for lib/ingest/history: the canonical history written from
 * an export (columns, stage ids, ISO dates, the date order settled per
 * column), and leads' stages brought up to date from their deals (won,
 * open, lost, no deal, never backwards, moved on since, after --now).
 * Every expected value is worked out by hand from the rules in
 * history.h. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "ingest/history.h"

static lk_model *builtin;

static void setup(void)
{
	lk_err e;

	lk_err_clear(&e);
	builtin = lk_model_load(NULL, &e);
	ck_assert_ptr_nonnull(builtin);
}

static void teardown(void)
{
	lk_model_free(builtin);
}

/* A file holding `text`, positioned at its start; the caller closes it. */
static FILE *file(const char *text)
{
	FILE *fp = tmpfile();

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fflush(fp);
	lseek(fileno(fp), 0, SEEK_SET);
	return fp;
}

/* Run the whole of `text` through an lk_histingest, as lead-ingest
 * --history does (every row sniffed first), into `out` as CSV lines. */
static void ingest(const char *text, lk_date_order order, lk_buf *out, long *rejected)
{
	FILE *fp = file(text);
	lk_csvopt co = { 0 };
	lk_err e;
	lk_reader *rd;
	lk_row *row, *o;
	lk_histingest *h;
	const char *const *names;
	const char *why;
	int n, i;

	lk_err_clear(&e);
	rd = lk_reader_new(fileno(fp), &co, &e);
	ck_assert_int_eq(lk_reader_next(rd, &row, &e), 1);
	h = lk_histingest_new(builtin, order, row, NULL, &e);
	ck_assert_msg(h != NULL, "%s", e.msg);
	while (lk_reader_next(rd, &row, &e) > 0)
		lk_histingest_sniff(h, row);
	lk_histingest_settle(h, NULL);
	lk_reader_free(rd);
	lseek(fileno(fp), 0, SEEK_SET);
	rd = lk_reader_new(fileno(fp), &co, &e);
	lk_reader_next(rd, &row, &e);
	lk_histingest_header(h, &names, &n);
	for (i = 0; i < n; i++)
		lk_buf_addf(out, "%s%s", i ? "," : "", names[i]);
	lk_buf_addc(out, '\n');
	*rejected = 0;
	while (lk_reader_next(rd, &row, &e) > 0) {
		if (!lk_histingest_row(h, row, &why)) {
			++*rejected;
			continue;
		}
		while (lk_histingest_next(h, &o)) {
			for (i = 0; i < o->n; i++)
				lk_buf_addf(out, "%s%.*s", i ? "," : "", (int)o->len[i], o->f[i]);
			lk_buf_addc(out, '\n');
		}
	}
	lk_reader_free(rd);
	lk_histingest_free(h);
	fclose(fp);
}

START_TEST(test_canonical_output)
{
	lk_buf out = LK_BUF_INIT;
	long rej;

	/* Salesforce report labels; "Closed Won" -> won, dates to ISO UTC
	 * (+0100 moves the time back an hour); the typo is rejected. */
	ingest("Opportunity ID,Email,Stage,Last Modified,Amount,Currency\n"
	       "006A, Ana@Acme.Example ,Prospecting,2026-02-10T09:30:00+01:00,100,EUR\n"
	       "006A,ana@acme.example,Closed Won,2026-03-01,120,EUR\n"
	       "006B,bo@globex.example,Closd Won,2026-03-02,1,EUR\n",
	       LK_DATE_AUTO, &out, &rej);
	ck_assert_str_eq(out.data,
			 "email,stage,changed_at,amount,currency,deal_id\n"
			 "ana@acme.example,opportunity,2026-02-10T08:30:00Z,100,EUR,006A\n"
			 "ana@acme.example,won,2026-03-01,120,EUR,006A\n");
	ck_assert_int_eq(rej, 1);
	lk_buf_free(&out);
}
END_TEST

/* 13/02/2026 can only be day-first, so the column is read day-first and
 * 03/02/2026 is 3 February; --date-order mdy makes it 2 March (and
 * 13/02 is then read the only way it can be). */
START_TEST(test_date_order_per_column)
{
	static const char text[] =
		"lead_id,Deal Stage,Date entered Contract Sent (Sales Pipeline)\n"
		"L1,Contract Sent,13/02/2026\n"
		"L2,Contract Sent,03/02/2026\n";
	lk_buf out = LK_BUF_INIT;
	long rej;

	ingest(text, LK_DATE_AUTO, &out, &rej);
	ck_assert_str_eq(out.data, "lead_id,stage,changed_at\n"
				   "L1,opportunity,2026-02-13\n"
				   "L2,opportunity,2026-02-03\n");
	lk_buf_reset(&out);
	ingest(text, LK_DATE_MDY, &out, &rej);
	ck_assert_str_eq(out.data, "lead_id,stage,changed_at\n"
				   "L1,opportunity,2026-02-13\n"
				   "L2,opportunity,2026-03-02\n");
	ck_assert_int_eq(rej, 0);
	lk_buf_free(&out);
}
END_TEST

/* A lead header as lead-ingest writes it (the columns that matter). */
static const char *const lead_names[] = { "lead_id", "email", "stage", "updated_at" };

struct lead {
	lk_row row;
	char *f[4];
	size_t len[4];
};

static const lk_row *lead(struct lead *l, const char *id, const char *email, const char *stage,
			  const char *upd)
{
	const char *v[4] = { id, email, stage, upd };
	int i;

	memset(l, 0, sizeof *l);
	for (i = 0; i < 4; i++) {
		l->f[i] = (char *)v[i];
		l->len[i] = strlen(v[i]);
	}
	l->row.n = 4;
	l->row.f = l->f;
	l->row.len = l->len;
	return &l->row;
}

/* Apply and give "stage,updated_at,stage_from". */
static const char *apply(lk_stagesync *s, const char *id, const char *email, const char *stage,
			 const char *upd)
{
	static char buf[256];
	struct lead l;
	lk_row *o;

	ck_assert_int_eq(lk_stagesync_apply(s, lead(&l, id, email, stage, upd), &o), 0);
	ck_assert_int_eq(o->n, 5);
	snprintf(buf, sizeof buf, "%.*s,%.*s,%.*s", (int)o->len[2], o->f[2], (int)o->len[3],
		 o->f[3], (int)o->len[4], o->f[4]);
	return buf;
}

static lk_stagesync *sync_of(const char *text, int64_t now)
{
	lk_stagesync *s = lk_stagesync_new(builtin, now);
	FILE *fp = file(text);
	lk_err e;

	lk_err_clear(&e);
	ck_assert_int_eq(lk_stagesync_load(s, fileno(fp), "h.csv", ',', LK_DATE_AUTO, &e), 0);
	fclose(fp);
	ck_assert_int_eq(lk_stagesync_bind(s, lead_names, 4, &e), 0);
	return s;
}

START_TEST(test_stages_from)
{
	/* now: 2026-06-01T00:00:00Z */
	lk_stagesync *s = sync_of(
		"lead_id,email,stage,changed_at,deal_id\n"
		/* L1: two deals, one won -> won at the win */
		"L1,,opportunity,2026-01-01,A\n"
		"L1,,won,2026-02-01T10:00:00Z,A\n"
		"L1,,lost,2026-03-01,B\n"
		/* L2: open at opportunity (its latest) */
		"L2,,sql,2026-01-01,C\n"
		"L2,,opportunity,2026-01-05,C\n"
		/* L3 (by email): all lost */
		",c@x.example,opportunity,2026-01-01,D\n"
		",c@x.example,lost,2026-02-01,D\n"
		/* L4: lost, but the lead moved on since */
		"L4,,lost,2026-02-01,E\n"
		/* L5: open deal, the lead is won already: never backwards */
		"L5,,opportunity,2026-04-01,F\n"
		/* L6: won after --now: not used, the deal is still open */
		"L6,,opportunity,2026-04-01,G\n"
		"L6,,won,2026-07-01,G\n"
		/* L7: a deal at sql only: not open (before opportunity) */
		"L7,,sql,2026-04-01,H\n",
		1780272000);
	const lk_stagesync_stats *st;
	const char *const *names;
	int n;

	lk_stagesync_header(s, &names, &n);
	ck_assert_int_eq(n, 5);
	ck_assert_str_eq(names[4], "stage_from");
	ck_assert_str_eq(apply(s, "L1", "", "mql", "2026-01-15"), "won,2026-02-01T10:00:00Z,history");
	ck_assert_str_eq(apply(s, "L2", "", "Sales Qualified Lead", "2026-03-01"),
			 "opportunity,2026-03-01,history");
	ck_assert_str_eq(apply(s, "", "c@x.example", "sql", "2026-01-01"),
			 "lost,2026-02-01T00:00:00Z,history");
	ck_assert_str_eq(apply(s, "L4", "", "recycled", "2026-05-01"), "recycled,2026-05-01,");
	ck_assert_str_eq(apply(s, "L5", "", "won", "2026-01-01"), "won,2026-01-01,");
	ck_assert_str_eq(apply(s, "L6", "", "mql", "2026-01-01"),
			 "opportunity,2026-04-01T00:00:00Z,history");
	ck_assert_str_eq(apply(s, "L7", "", "mql", "2026-01-01"), "mql,2026-01-01,");
	ck_assert_str_eq(apply(s, "L9", "nobody@x.example", "mql", "2026-01-01"),
			 "mql,2026-01-01,");
	st = lk_stagesync_stats_get(s);
	ck_assert_int_eq(st->won, 1);
	ck_assert_int_eq(st->open, 2);
	ck_assert_int_eq(st->lost, 1);
	ck_assert_int_eq(st->later, 1);
	ck_assert_int_eq(st->rows, 12);
	ck_assert_int_eq(st->deals, 8);
	lk_stagesync_free(s);
}
END_TEST

/* A change that names a lead by lead_id and email makes both keys the
 * lead's, even when an earlier change named it by lead_id alone: a
 * later change by email alone is the same lead's deal. */
START_TEST(test_keys_join)
{
	lk_stagesync *s = sync_of("lead_id,email,stage,changed_at\n"
				  "L8,,sql,2026-01-15\n"
				  "L8,h@x.example,opportunity,2026-02-01\n"
				  ",h@x.example,won,2026-03-01\n", 1780272000);

	ck_assert_str_eq(apply(s, "L8", "", "mql", "2026-01-01"), "won,2026-03-01T00:00:00Z,history");
	ck_assert_str_eq(apply(s, "", "h@x.example", "mql", "2026-01-01"),
			 "won,2026-03-01T00:00:00Z,history");
	ck_assert_int_eq(lk_stagesync_stats_get(s)->deals, 1);
	lk_stagesync_free(s);
}
END_TEST

/* A loss never undoes a win; a history row that cannot be read is
 * counted, with its reason kept. */
START_TEST(test_lost_never_undoes_won)
{
	lk_stagesync *s = sync_of("lead_id,stage,changed_at\n"
				  "L1,lost,2026-02-01\n"
				  "L2,Someday,2026-02-01\n", 1780272000);

	ck_assert_str_eq(apply(s, "L1", "", "won", "2026-01-01"), "won,2026-01-01,");
	ck_assert_int_eq(lk_stagesync_stats_get(s)->rejected, 1);
	ck_assert_ptr_nonnull(strstr(lk_stagesync_first_reject(s),
				     "h.csv: record 2 (line 3): stage 'Someday' is no stage"));
	lk_stagesync_free(s);
}
END_TEST

Suite *lk_suite_history(void)
{
	return lk_unit_suite("history", setup, teardown,
			     LK_UNIT_TESTS(test_canonical_output, test_date_order_per_column,
					   test_stages_from, test_keys_join,
					   test_lost_never_undoes_won));
}
