/* Unit tests for lib/ingest on hand-built rows: the output header, each
 * normalisation, rejections with reasons, placeholders only in mapped
 * columns, and date orders settled per column from the data.  Expected
 * values follow the standards (E.164, ISO 3166-1, ISO 8601) and the
 * rules written in ingest.h and norm.h. */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "ingest/ingest.h"

#define MAXCOLS 64
#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

struct rowbuf {
	lk_row row;
	char *f[MAXCOLS];
	size_t len[MAXCOLS];
};

static const lk_row *mk(struct rowbuf *b, const char *const *v, int n, long record)
{
	int i;

	memset(b, 0, sizeof *b);
	for (i = 0; i < n; i++) {
		b->f[i] = (char *)v[i];
		b->len[i] = strlen(v[i]);
	}
	b->row.n = n;
	b->row.f = b->f;
	b->row.len = b->len;
	b->row.record = record;
	b->row.line = record + 1;
	b->row.nlines = 1;
	return &b->row;
}

/* The built-in model, as the tool loads it without a model file. */
static lk_model *builtin;

static void setup(void)
{
	lk_err e;

	builtin = lk_model_load(NULL, &e);
	ck_assert_ptr_nonnull(builtin);
}

static void teardown(void)
{
	lk_model_free(builtin);
	builtin = NULL;
}

static lk_ingest *new_ingest(const lk_model *m, const lk_ingest_opt *opt,
			     const char *const *hdr, int n)
{
	struct rowbuf b;
	lk_err e;
	lk_ingest *g;

	if (!m)
		m = builtin;
	lk_err_clear(&e);
	g = lk_ingest_new(m, opt, mk(&b, hdr, n, 0), &e);
	ck_assert_msg(g != NULL, "lk_ingest_new: %s", e.msg);
	return g;
}

/* Output value of a named column for the last row. */
static const char *val(const lk_ingest *g, const lk_row *out, const char *name)
{
	int c = lk_ingest_column(g, name);

	ck_assert_msg(c >= 0, "no output column %s", name);
	ck_assert_int_eq(out->f[c][out->len[c]], '\0');
	ck_assert_uint_eq(strlen(out->f[c]), out->len[c]);
	return out->f[c];
}

static lk_row *ok_row(lk_ingest *g, const char *const *v, int n)
{
	struct rowbuf b;
	lk_row *out = NULL;
	const char *reason = NULL;
	int rc = lk_ingest_row(g, mk(&b, v, n, 1), &out, &reason);

	ck_assert_msg(rc == 1, "row rejected: %s", reason ? reason : "?");
	return out;
}

static const char *rejected(lk_ingest *g, const char *const *v, int n)
{
	struct rowbuf b;
	lk_row *out = NULL;
	const char *reason = NULL;

	ck_assert_int_eq(lk_ingest_row(g, mk(&b, v, n, 1), &out, &reason), 0);
	ck_assert_ptr_nonnull(reason);
	return reason;
}

static const char *hdr[] = {
	"Record ID", "Email", "First Name", "Last Name", "Favourite Colour", "Phone Number",
	"Country/Region", "Number of Employees", "Lifecycle Stage", "Create Date", "Notes",
	"Job Title",
};

/* The canonical columns, email_alt, merged_ids with --dedupe, then the
 * unmapped input columns in input order. */
START_TEST(output_header_order)
{
	const char *const *names;
	int n, i;
	lk_ingest_opt opt = { 0 };
	lk_ingest *g = new_ingest(NULL, NULL, hdr, N(hdr));

	lk_ingest_header(g, &names, &n);
	ck_assert_int_eq(n, LK_NCANON + 1 + 2);
	for (i = 0; i < LK_NCANON; i++)
		ck_assert_str_eq(names[i], lk_canon[i]);
	ck_assert_str_eq(names[LK_NCANON], "email_alt");
	ck_assert_str_eq(names[LK_NCANON + 1], "Favourite Colour");
	ck_assert_str_eq(names[LK_NCANON + 2], "Notes");
	ck_assert_int_eq(lk_ingest_column(g, "merged_ids"), -1);
	ck_assert_int_eq(lk_ingest_column(g, "Notes"), LK_NCANON + 2);
	ck_assert_int_eq(lk_ingest_column(g, "Job Title"), -1);	/* mapped to title */
	ck_assert_str_eq(lk_ingest_mapping(g)->preset, "hubspot");
	lk_ingest_free(g);

	opt.dedupe = 1;
	g = new_ingest(NULL, &opt, hdr, N(hdr));
	lk_ingest_header(g, &names, &n);
	ck_assert_int_eq(n, LK_NCANON + 2 + 2);
	ck_assert_str_eq(names[LK_NCANON], "email_alt");
	ck_assert_str_eq(names[LK_NCANON + 1], "merged_ids");
	ck_assert_str_eq(names[LK_NCANON + 2], "Favourite Colour");
	ck_assert_str_eq(names[LK_NCANON + 3], "Notes");
	lk_ingest_free(g);
	lk_ingest_free(NULL);
}
END_TEST

/* Each canonical column's normalisation, on one row. */
START_TEST(normalises_each_column)
{
	static const char *row[] = {
		"  42 ", " <Ada.Lovelace@Example.COM>; ada@work.example ", "  Ada  ", "Lovelace",
		"N/A", "(415) 555-0123", "United States", "501-1000",
		"Marketing Qualified Lead", "2026-04-13 09:30", "n/a", "  Chief   Analyst ",
	};
	lk_ingest *g = new_ingest(NULL, NULL, hdr, N(hdr));
	lk_row *out = ok_row(g, row, N(row));
	const lk_ingest_stats *st;

	ck_assert_int_eq(out->n, LK_NCANON + 3);
	ck_assert_str_eq(val(g, out, "lead_id"), "42");
	ck_assert_str_eq(val(g, out, "email"), "ada.lovelace@example.com");
	ck_assert_str_eq(val(g, out, "email_alt"), "ada@work.example");
	ck_assert_str_eq(val(g, out, "first_name"), "Ada");
	ck_assert_str_eq(val(g, out, "last_name"), "Lovelace");
	ck_assert_str_eq(val(g, out, "company"), "");
	ck_assert_str_eq(val(g, out, "title"), "Chief Analyst");
	/* A national number takes the lead's own country's calling code. */
	ck_assert_str_eq(val(g, out, "phone"), "+14155550123");
	ck_assert_str_eq(val(g, out, "country"), "US");
	ck_assert_str_eq(val(g, out, "employees"), "501");
	ck_assert_str_eq(val(g, out, "stage"), "mql");
	ck_assert_str_eq(val(g, out, "created_at"), "2026-04-13T09:30:00Z");
	ck_assert_str_eq(val(g, out, "updated_at"), "");
	/* Unmapped columns pass through unchanged, placeholders and all. */
	ck_assert_str_eq(val(g, out, "Favourite Colour"), "N/A");
	ck_assert_str_eq(val(g, out, "Notes"), "n/a");
	ck_assert_int_eq(out->record, 1);
	ck_assert_int_eq(out->line, 2);
	st = lk_ingest_stats_get(g);
	ck_assert_int_eq(st->multi_email, 1);
	ck_assert_int_eq(st->placeholders, 0);
	lk_ingest_free(g);
}
END_TEST

START_TEST(normalises_other_values)
{
	static const char *row[] = {
		"L-9", "MAILTO:bob@example.org", "Bob", "Builder", "",
		"030 1234567", "Deutschland", "1,000", "Closed - Converted",
		"13 Apr 2026", "", "CEO",
	};
	static const char *row2[] = {
		"L-10", "", "", "", "", "+44 20 7946 0958", "Atlantis", "self-employed",
		"Banana", "yesterday", "", "",
	};
	lk_ingest *g = new_ingest(NULL, NULL, hdr, N(hdr));
	lk_row *out = ok_row(g, row, N(row));
	const lk_ingest_stats *st;

	ck_assert_str_eq(val(g, out, "email"), "bob@example.org");
	ck_assert_str_eq(val(g, out, "email_alt"), "");
	/* German number: trunk 0 dropped after +49. */
	ck_assert_str_eq(val(g, out, "phone"), "+49301234567");
	ck_assert_str_eq(val(g, out, "country"), "DE");
	ck_assert_str_eq(val(g, out, "employees"), "1000");
	ck_assert_str_eq(val(g, out, "stage"), "won");
	/* A date alone stays a date. */
	ck_assert_str_eq(val(g, out, "created_at"), "2026-04-13");
	/* What is not understood is kept as it was, and counted. */
	out = ok_row(g, row2, N(row2));
	ck_assert_str_eq(val(g, out, "lead_id"), "L-10");
	ck_assert_str_eq(val(g, out, "phone"), "+442079460958");
	ck_assert_str_eq(val(g, out, "country"), "Atlantis");
	ck_assert_str_eq(val(g, out, "employees"), "self-employed");
	ck_assert_str_eq(val(g, out, "stage"), "Banana");
	ck_assert_str_eq(val(g, out, "created_at"), "yesterday");
	st = lk_ingest_stats_get(g);
	ck_assert_int_eq(st->not_understood[9], 1);	/* country */
	ck_assert_int_eq(st->not_understood[8], 1);	/* employees */
	ck_assert_int_eq(st->not_understood[11], 1);	/* stage */
	ck_assert_int_eq(st->not_understood[14], 1);	/* created_at */
	lk_ingest_free(g);
}
END_TEST

/* The stage values of a model, through the model's aliases. */
START_TEST(stages_through_the_model)
{
	static const char yaml[] =
		"stages:\n  - {id: new, aliases: [subscriber]}\n  - {id: hot, aliases: [MQL]}\n";
	static const char *row[] = { "1", "", "", "", "", "", "", "", "m.q.l", "", "", "" };
	static const char *row2[] = { "2", "", "", "", "", "", "", "", "Subscriber", "", "", "" };
	lk_err e;
	lk_model *m = lk_model_load_mem("m.yaml", yaml, sizeof yaml - 1, &e);
	lk_ingest *g;
	lk_row *out;

	ck_assert_ptr_nonnull(m);
	g = new_ingest(m, NULL, hdr, N(hdr));
	out = ok_row(g, row, N(row));
	ck_assert_str_eq(val(g, out, "stage"), "hot");
	out = ok_row(g, row2, N(row2));
	ck_assert_str_eq(val(g, out, "stage"), "new");
	lk_ingest_free(g);
	lk_model_free(m);
}
END_TEST

/* A phone without a country in the row uses the default country. */
START_TEST(default_country_for_phones)
{
	static const char *h[] = { "Email", "Phone" };
	static const char *row[] = { "a@b.co", "020 7946 0958" };
	lk_ingest_opt opt = { 0 };
	lk_ingest *g;
	lk_row *out;

	g = new_ingest(NULL, NULL, h, 2);
	out = ok_row(g, row, 2);
	ck_assert_str_eq(val(g, out, "phone"), "020 7946 0958");	/* no country: kept */
	ck_assert_int_eq(lk_ingest_stats_get(g)->not_understood[6], 1);
	lk_ingest_free(g);
	opt.default_country = "GB";
	g = new_ingest(NULL, &opt, h, 2);
	out = ok_row(g, row, 2);
	ck_assert_str_eq(val(g, out, "phone"), "+442079460958");
	lk_ingest_free(g);
}
END_TEST

/* What was kept as it was, told as messages each ended by a NUL byte:
 * the columns in canonical order, then the invalid addresses. */
START_TEST(notes_of_values_kept)
{
	static const char *row2[] = {
		"L-10", "", "", "", "", "+44 20 7946 0958", "Atlantis", "self-employed",
		"Banana", "yesterday", "", "",
	};
	static const char *kept[] = { "7", "not an email", "Ann", "", "", "", "", "", "",
				      "", "", "" };
	static const char want[] = "values kept as they were (not understood): employees 1, "
				   "country 1, stage 1, created_at 1\0"
				   "2 invalid email addresses moved to email_alt";
	lk_ingest *g = new_ingest(NULL, NULL, hdr, N(hdr));
	lk_buf notes = LK_BUF_INIT;

	ck_assert_int_eq(lk_ingest_notes(g, &notes), 0);
	ck_assert_uint_eq(notes.len, 0);
	ck_assert_int_eq(lk_ingest_notes(NULL, &notes), 0);
	ck_assert_uint_eq(notes.len, 0);
	ok_row(g, row2, N(row2));
	ok_row(g, kept, N(kept));
	ok_row(g, kept, N(kept));
	ck_assert_int_eq(lk_ingest_notes(g, &notes), 0);
	ck_assert_uint_eq(notes.len, sizeof want);
	ck_assert_mem_eq(notes.data, want, sizeof want);
	lk_buf_free(&notes);
	lk_ingest_free(g);
}
END_TEST

START_TEST(rejects_with_reasons)
{
	static const char *ragged[] = { "1", "a@b.co", "x" };
	static const char *nothing[] = { "", "", "Ann", "", "", "", "", "", "", "", "", "" };
	static const char *ph[] = { " - ", "N/A", "Ann", "", "", "", "", "", "", "", "", "" };
	static const char *invalid[] = { "", "not an email", "Ann", "", "", "", "", "", "",
					 "", "", "" };
	static const char *kept[] = { "7", "not an email", "Ann", "", "", "", "", "", "",
				      "", "", "" };
	lk_ingest *g = new_ingest(NULL, NULL, hdr, N(hdr));
	struct rowbuf b;
	lk_row *out;
	const char *reason;

	ck_assert_str_eq(rejected(g, ragged, N(ragged)), "ragged row: 3 fields, the header has 12");
	ck_assert_str_eq(rejected(g, nothing, N(nothing)), "no email and no lead_id");
	/* Placeholders in lead_id and email are no values either. */
	ck_assert_str_eq(rejected(g, ph, N(ph)), "no email and no lead_id");
	ck_assert_str_eq(rejected(g, invalid, N(invalid)), "invalid email and no lead_id");
	/* A row the reader found malformed keeps the reader's reason. */
	mk(&b, kept, N(kept), 3);
	b.row.bad = "unterminated quote";
	ck_assert_int_eq(lk_ingest_row(g, &b.row, &out, &reason), 0);
	ck_assert_str_eq(reason, "unterminated quote");
	/* An invalid email with a lead_id is a lead; the text goes to email_alt. */
	out = ok_row(g, kept, N(kept));
	ck_assert_str_eq(val(g, out, "email"), "");
	ck_assert_str_eq(val(g, out, "email_alt"), "not an email");
	lk_ingest_free(g);
	g = new_ingest(NULL, NULL, hdr, N(hdr));
	ok_row(g, kept, N(kept));
	ck_assert_int_eq(lk_ingest_stats_get(g)->invalid_email, 1);
	lk_ingest_free(g);
}
END_TEST

/* Placeholders empty mapped columns only; the list can be extended,
 * replaced by the model, or switched off. */
START_TEST(placeholders_only_in_mapped_columns)
{
	static const char *row[] = {
		"5", "a@b.co", "Select", "not provided", "Select", "-", "Unknown", "N/A",
		"--", "null", "Select", "TBD",
	};
	static const char yaml[] = "fields: {placeholders: [tbd]}\n";
	static const char *extra[] = { "tbd" };
	lk_ingest_opt opt = { 0 };
	lk_err e;
	lk_model *m;
	lk_ingest *g = new_ingest(NULL, NULL, hdr, N(hdr));
	lk_row *out = ok_row(g, row, N(row));

	ck_assert_str_eq(val(g, out, "first_name"), "");
	ck_assert_str_eq(val(g, out, "last_name"), "");
	ck_assert_str_eq(val(g, out, "phone"), "");
	ck_assert_str_eq(val(g, out, "country"), "");
	ck_assert_str_eq(val(g, out, "employees"), "");
	ck_assert_str_eq(val(g, out, "stage"), "");
	ck_assert_str_eq(val(g, out, "created_at"), "");
	ck_assert_str_eq(val(g, out, "title"), "TBD");	/* not a built-in placeholder */
	ck_assert_str_eq(val(g, out, "Favourite Colour"), "Select");
	ck_assert_str_eq(val(g, out, "Notes"), "Select");
	ck_assert_int_eq(lk_ingest_stats_get(g)->placeholders, 7);
	lk_ingest_free(g);

	/* Extra placeholders add to the built-in list. */
	opt.placeholders = extra;
	opt.nplaceholders = 1;
	g = new_ingest(NULL, &opt, hdr, N(hdr));
	out = ok_row(g, row, N(row));
	ck_assert_str_eq(val(g, out, "title"), "");
	ck_assert_str_eq(val(g, out, "first_name"), "");
	lk_ingest_free(g);

	/* No placeholders at all: values are kept (and understood or not). */
	memset(&opt, 0, sizeof opt);
	opt.no_placeholders = 1;
	g = new_ingest(NULL, &opt, hdr, N(hdr));
	out = ok_row(g, row, N(row));
	ck_assert_str_eq(val(g, out, "first_name"), "Select");
	ck_assert_str_eq(val(g, out, "country"), "Unknown");
	ck_assert_int_eq(lk_ingest_stats_get(g)->placeholders, 0);
	lk_ingest_free(g);

	/* The model's list replaces the built-in one. */
	m = lk_model_load_mem("m.yaml", yaml, sizeof yaml - 1, &e);
	ck_assert_ptr_nonnull(m);
	g = new_ingest(m, NULL, hdr, N(hdr));
	out = ok_row(g, row, N(row));
	ck_assert_str_eq(val(g, out, "title"), "");
	ck_assert_str_eq(val(g, out, "first_name"), "Select");
	lk_ingest_free(g);
	lk_model_free(m);
}
END_TEST

static const char *dhdr[] = { "Email", "Create Date", "Last Modified Date", "Last Activity Date" };

/* The date order is settled per column: a column holding 13/04/2026 is
 * day-first, so its 03/04/2026 is 3 April; a column holding 04/13/2026
 * is month-first, so its 03/04/2026 is 4 March. */
START_TEST(date_order_settled_per_column)
{
	static const char *rows[][4] = {
		{ "a@b.co", "13/04/2026", "04/13/2026", "03/04/2026" },
		{ "c@d.co", "03/04/2026", "03/04/2026", "" },
	};
	lk_ingest *g = new_ingest(NULL, NULL, dhdr, 4);
	lk_buf notes = LK_BUF_INIT;
	struct rowbuf b;
	lk_row *out;
	int i;

	for (i = 0; i < 2; i++)
		lk_ingest_sniff(g, mk(&b, rows[i], 4, i + 1));
	lk_ingest_settle(g, &notes);
	ck_assert_ptr_nonnull(strstr(notes.data, "column 'Create Date' (dd/mm / mm/dd): read "
					      "day-first, settled by the data\n"));
	ck_assert_ptr_nonnull(strstr(notes.data, "column 'Last Modified Date' (dd/mm / mm/dd): "
					      "read month-first, settled by the data\n"));
	ck_assert_ptr_null(strstr(notes.data, "Last Activity"));
	out = ok_row(g, rows[0], 4);
	ck_assert_str_eq(val(g, out, "created_at"), "2026-04-13");
	ck_assert_str_eq(val(g, out, "updated_at"), "2026-04-13");
	/* Nothing settled this column: ambiguous dates are month first. */
	ck_assert_str_eq(val(g, out, "last_activity_at"), "2026-03-04");
	out = ok_row(g, rows[1], 4);
	ck_assert_str_eq(val(g, out, "created_at"), "2026-04-03");
	ck_assert_str_eq(val(g, out, "updated_at"), "2026-03-04");
	lk_buf_free(&notes);
	lk_ingest_free(g);
}
END_TEST

/* --show-mapping's page: the mapping, then the settled orders after
 * "dates:" when there are any. */
START_TEST(describe_mapping_and_dates)
{
	static const char *row[] = { "a@b.co", "13/04/2026", "", "" };
	lk_ingest *g = new_ingest(NULL, NULL, dhdr, 4);
	lk_buf notes = LK_BUF_INIT, page = LK_BUF_INIT, map = LK_BUF_INIT;
	struct rowbuf b;

	lk_mapping_describe(lk_ingest_mapping(g), &map);
	ck_assert_int_eq(lk_ingest_describe(g, &notes, &page), 0);
	ck_assert_str_eq(page.data, map.data);
	lk_ingest_sniff(g, mk(&b, row, 4, 1));
	lk_ingest_settle(g, &notes);
	lk_buf_reset(&page);
	ck_assert_int_eq(lk_ingest_describe(g, &notes, &page), 0);
	ck_assert_mem_eq(page.data, map.data, map.len);
	ck_assert_str_eq(page.data + map.len, "dates:\ncolumn 'Create Date' (dd/mm / mm/dd): read "
			 "day-first, settled by the data\n");
	lk_buf_free(&notes);
	lk_buf_free(&page);
	lk_buf_free(&map);
	lk_ingest_free(g);
}
END_TEST

/* A column with both kinds: the majority wins, and the note says so. */
START_TEST(date_order_majority_and_dots)
{
	static const char *rows[][4] = {
		{ "a@b.co", "13/04/2026", "05.04.2026", "" },
		{ "a@b.co", "14/04/2026", "", "" },
		{ "a@b.co", "04/15/2026", "", "" },
		{ "a@b.co", "02/03/2026", "", "" },
	};
	lk_ingest *g = new_ingest(NULL, NULL, dhdr, 4);
	lk_buf notes = LK_BUF_INIT;
	struct rowbuf b;
	lk_row *out;
	int i;

	for (i = 0; i < 4; i++)
		lk_ingest_sniff(g, mk(&b, rows[i], 4, i + 1));
	lk_ingest_settle(g, &notes);
	ck_assert_ptr_nonnull(strstr(notes.data,
		"column 'Create Date' (dd/mm / mm/dd): 2 dates are only valid day-first and 1 "
		"only month-first; reading ambiguous ones day-first (use --date-order to "
		"choose)\n"));
	out = ok_row(g, rows[3], 4);
	ck_assert_str_eq(val(g, out, "created_at"), "2026-03-02");
	/* Dotted dates are day first unless told otherwise. */
	out = ok_row(g, rows[0], 4);
	ck_assert_str_eq(val(g, out, "updated_at"), "2026-04-05");
	lk_buf_free(&notes);
	lk_ingest_free(g);
}
END_TEST

/* --date-order (or the model's fields.date_order) overrides the data:
 * ambiguous dates follow it even where the column says otherwise. */
START_TEST(date_order_forced)
{
	static const char *row[] = { "a@b.co", "13/04/2026", "03/04/2026", "" };
	static const char *row2[] = { "a@b.co", "03/04/2026", "03/04/2026", "" };
	static const char yaml[] = "fields: {date_order: dmy}\n";
	lk_ingest_opt opt = { 0 };
	lk_ingest *g;
	lk_buf notes = LK_BUF_INIT;
	struct rowbuf b;
	lk_row *out;
	lk_err e;
	lk_model *m;

	opt.date_order = LK_DATE_MDY;
	g = new_ingest(NULL, &opt, dhdr, 4);
	lk_ingest_sniff(g, mk(&b, row, 4, 1));
	lk_ingest_settle(g, &notes);
	ck_assert_uint_eq(notes.len, 0);
	out = ok_row(g, row2, 4);
	ck_assert_str_eq(val(g, out, "created_at"), "2026-03-04");
	ck_assert_str_eq(val(g, out, "updated_at"), "2026-03-04");
	lk_ingest_free(g);

	m = lk_model_load_mem("m.yaml", yaml, sizeof yaml - 1, &e);
	ck_assert_ptr_nonnull(m);
	g = new_ingest(m, NULL, dhdr, 4);
	/* A column of only month-first dates would settle month-first. */
	lk_ingest_sniff(g, mk(&b, (const char *[]){ "a@b.co", "12/31/2026", "", "" }, 4, 1));
	lk_ingest_settle(g, &notes);
	ck_assert_uint_eq(notes.len, 0);
	out = ok_row(g, row2, 4);
	ck_assert_str_eq(val(g, out, "created_at"), "2026-04-03");
	ck_assert_str_eq(val(g, out, "updated_at"), "2026-04-03");
	lk_ingest_free(g);
	lk_model_free(m);
	lk_buf_free(&notes);
}
END_TEST

/* --from none: every column passes through unchanged (a re-encoder). */
START_TEST(from_none_passes_everything)
{
	static const char *h[] = { "Email", "Name", "Email" };
	static const char *row[] = { " N/A ", "Select", "X@Y.COM" };
	const char *const *names;
	lk_ingest_opt opt = { 0 };
	lk_ingest *g;
	lk_row *out;
	int n;

	opt.from = "none";
	g = new_ingest(NULL, &opt, h, 3);
	lk_ingest_header(g, &names, &n);
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(names[0], "Email");
	ck_assert_str_eq(names[2], "Email_2");
	out = ok_row(g, row, 3);
	ck_assert_int_eq(out->n, 3);
	ck_assert_str_eq(out->f[0], " N/A ");
	ck_assert_str_eq(out->f[1], "Select");
	ck_assert_str_eq(out->f[2], "X@Y.COM");
	lk_ingest_free(g);
}
END_TEST

/* Our own output read again: canonical names map to themselves and
 * email_alt / merged_ids keep their place and values. */
START_TEST(reingests_own_output)
{
	const char *h[LK_NCANON + 3], *row[LK_NCANON + 3];
	const char *const *names;
	lk_ingest *g;
	lk_row *out;
	int i, n;

	for (i = 0; i < LK_NCANON; i++) {
		h[i] = lk_canon[i];
		row[i] = "";
	}
	h[LK_NCANON] = "email_alt";
	h[LK_NCANON + 1] = "merged_ids";
	h[LK_NCANON + 2] = "custom";
	row[0] = "L1";
	row[1] = "a@b.co; c@d.co";
	row[LK_NCANON] = "old@e.co";
	row[LK_NCANON + 1] = "L0;L2";
	row[LK_NCANON + 2] = "kept";
	g = new_ingest(NULL, NULL, h, LK_NCANON + 3);
	lk_ingest_header(g, &names, &n);
	ck_assert_int_eq(n, LK_NCANON + 3);
	for (i = 0; i < LK_NCANON + 3; i++)
		ck_assert_str_eq(names[i], h[i]);
	out = ok_row(g, row, LK_NCANON + 3);
	ck_assert_str_eq(val(g, out, "email"), "a@b.co");
	ck_assert_str_eq(val(g, out, "email_alt"), "old@e.co;c@d.co");
	ck_assert_str_eq(val(g, out, "merged_ids"), "L0;L2");
	ck_assert_str_eq(val(g, out, "custom"), "kept");
	lk_ingest_free(g);
}
END_TEST

/* The consent columns from each CRM's names, values normalised to true
 * or false, an evidence column (a reason or a date) true when it holds
 * anything, the columns that lost to the mapped one read as well. */
START_TEST(consent_columns_from_each_crm)
{
	/* HubSpot: labels, a hard bounce reason. */
	static const char *hs[] = { "Email", "Unsubscribed from all email",
				    "Email hard bounce reason", "Record ID", "First Name" };
	static const char *hs1[] = { "a@x.com", "true", "", "1", "Ann" };
	static const char *hs2[] = { "b@x.com", "false", "MAILBOX_FULL", "2", "Bo" };
	/* Salesforce API names: TRUE/FALSE checkboxes, a bounce date that
	 * loses to the reason but is read all the same. */
	static const char *sf[] = { "Id", "Email", "HasOptedOutOfEmail", "DoNotCall",
				    "EmailBouncedReason", "EmailBouncedDate", "LastName" };
	static const char *sf1[] = { "00Q1", "c@x.com", "FALSE", "TRUE", "", "", "Cy" };
	static const char *sf2[] = { "00Q2", "d@x.com", "TRUE", "FALSE", "",
				     "2026-03-04T10:00:00.000+0000", "Di" };
	/* Marketo: Unsubscribed and Black Listed both opt out. */
	static const char *mk_[] = { "Email Address", "Unsubscribed", "Black Listed",
				     "Email Invalid", "Do Not Call", "Lead ID", "Company Name" };
	static const char *mk1[] = { "e@x.com", "0", "1", "0", "No", "7", "Acme" };
	static const char *mk2[] = { "f@x.com", "0", "0", "1", "", "8", "Acme" };
	lk_ingest *g;
	lk_row *out;

	g = new_ingest(NULL, NULL, hs, N(hs));
	out = ok_row(g, hs1, N(hs1));
	ck_assert_str_eq(val(g, out, "email_opt_out"), "true");
	ck_assert_str_eq(val(g, out, "email_bounced"), "");
	ck_assert_str_eq(val(g, out, "do_not_call"), "");
	out = ok_row(g, hs2, N(hs2));
	ck_assert_str_eq(val(g, out, "email_opt_out"), "false");
	ck_assert_str_eq(val(g, out, "email_bounced"), "true");
	ck_assert_int_eq(lk_ingest_column(g, "Unsubscribed from all email"), -1);
	lk_ingest_free(g);

	g = new_ingest(NULL, NULL, sf, N(sf));
	ck_assert_str_eq(lk_ingest_mapping(g)->preset, "salesforce");
	out = ok_row(g, sf1, N(sf1));
	ck_assert_str_eq(val(g, out, "email_opt_out"), "false");
	ck_assert_str_eq(val(g, out, "do_not_call"), "true");
	ck_assert_str_eq(val(g, out, "email_bounced"), "");
	out = ok_row(g, sf2, N(sf2));
	ck_assert_str_eq(val(g, out, "email_opt_out"), "true");
	ck_assert_str_eq(val(g, out, "do_not_call"), "false");
	ck_assert_str_eq(val(g, out, "email_bounced"), "true");
	/* The date column passes through unchanged too. */
	ck_assert_str_eq(val(g, out, "EmailBouncedDate"), "2026-03-04T10:00:00.000+0000");
	lk_ingest_free(g);

	g = new_ingest(NULL, NULL, mk_, N(mk_));
	ck_assert_str_eq(lk_ingest_mapping(g)->preset, "marketo");
	out = ok_row(g, mk1, N(mk1));
	ck_assert_str_eq(val(g, out, "email_opt_out"), "true");
	ck_assert_str_eq(val(g, out, "email_bounced"), "false");
	ck_assert_str_eq(val(g, out, "do_not_call"), "false");
	ck_assert_str_eq(val(g, out, "Black Listed"), "1");
	out = ok_row(g, mk2, N(mk2));
	ck_assert_str_eq(val(g, out, "email_opt_out"), "false");
	ck_assert_str_eq(val(g, out, "email_bounced"), "true");
	ck_assert_str_eq(val(g, out, "do_not_call"), "");
	lk_ingest_free(g);
}
END_TEST

/* Zoho, Pipedrive, X Education and a spreadsheet: synonyms; values not
 * understood are kept and counted; placeholders emptied. */
START_TEST(consent_synonyms_and_values_kept)
{
	static const char *zo[] = { "Email", "Email Opt Out", "Last Name" };
	static const char *zo1[] = { "a@x.com", "true", "Li" };
	static const char *hb[] = { "Email", "Unsubscribed from all email",
				    "Email hard bounce reason" };
	static const char *hb1[] = { "b@x.com", "false", "MAILBOX_FULL" };
	static const char *pd[] = { "Person - Email", "Person - Email messages marketing status",
				    "Person - Name" };
	static const char *pd1[] = { "b@x.com", "Unsubscribed", "Bo" };
	static const char *pd2[] = { "c@x.com", "Subscribed", "Cy" };
	static const char *pd3[] = { "d@x.com", "No consent", "Di" };
	static const char *pd4[] = { "e@x.com", "Archived", "Ed" };
	static const char *xe[] = { "Prospect ID", "Do Not Email", "Do Not Call" };
	static const char *xe1[] = { "p1", "Yes", "No" };
	static const char *xe2[] = { "p2", "No", "Select" };
	static const char *sp[] = { "email", "opt_out", "dnc", "bounced" };
	static const char *sp1[] = { "f@x.com", "X", "Y", "maybe" };
	lk_ingest *g;
	lk_row *out;
	lk_buf notes = LK_BUF_INIT;

	g = new_ingest(NULL, NULL, zo, N(zo));
	out = ok_row(g, zo1, N(zo1));
	ck_assert_str_eq(val(g, out, "email_opt_out"), "true");
	lk_ingest_free(g);

	/* HubSpot's labels alone (no preset): synonyms, the reason evidence. */
	g = new_ingest(NULL, NULL, hb, N(hb));
	ck_assert_ptr_null(lk_ingest_mapping(g)->preset);
	out = ok_row(g, hb1, N(hb1));
	ck_assert_str_eq(val(g, out, "email_opt_out"), "false");
	ck_assert_str_eq(val(g, out, "email_bounced"), "true");
	lk_ingest_free(g);

	g = new_ingest(NULL, NULL, pd, N(pd));
	ck_assert_str_eq(val(g, ok_row(g, pd1, N(pd1)), "email_opt_out"), "true");
	ck_assert_str_eq(val(g, ok_row(g, pd2, N(pd2)), "email_opt_out"), "false");
	ck_assert_str_eq(val(g, ok_row(g, pd3, N(pd3)), "email_opt_out"), "true");
	ck_assert_str_eq(val(g, ok_row(g, pd4, N(pd4)), "email_opt_out"), "Archived");
	ck_assert_int_eq(lk_ingest_stats_get(g)->not_understood[lk_canon_index("email_opt_out")], 1);
	lk_ingest_notes(g, &notes);
	ck_assert_str_eq(lk_buf_str(&notes), "values kept as they were (not understood): "
			 "email_opt_out 1");
	lk_buf_free(&notes);
	lk_ingest_free(g);

	g = new_ingest(NULL, NULL, xe, N(xe));
	out = ok_row(g, xe1, N(xe1));
	ck_assert_str_eq(val(g, out, "email_opt_out"), "true");
	ck_assert_str_eq(val(g, out, "do_not_call"), "false");
	out = ok_row(g, xe2, N(xe2));
	ck_assert_str_eq(val(g, out, "email_opt_out"), "false");
	ck_assert_str_eq(val(g, out, "do_not_call"), "");	/* "Select": a placeholder */
	ck_assert_int_eq(lk_ingest_stats_get(g)->placeholders, 1);
	lk_ingest_free(g);

	g = new_ingest(NULL, NULL, sp, N(sp));
	out = ok_row(g, sp1, N(sp1));
	ck_assert_str_eq(val(g, out, "email_opt_out"), "true");
	ck_assert_str_eq(val(g, out, "do_not_call"), "true");
	ck_assert_str_eq(val(g, out, "email_bounced"), "maybe");
	ck_assert_int_eq(lk_ingest_stats_get(g)->not_understood[lk_canon_index("email_bounced")], 1);
	lk_ingest_free(g);
}
END_TEST

START_TEST(unknown_preset_is_an_error)
{
	lk_ingest_opt opt = { 0 };
	struct rowbuf b;
	lk_err e;

	opt.from = "salesfroce";
	lk_err_clear(&e);
	ck_assert_ptr_null(lk_ingest_new(NULL, &opt, mk(&b, hdr, N(hdr), 0), &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "did you mean 'salesforce'?"));
}
END_TEST

Suite *lk_suite_ingest(void)
{
	Suite *s = suite_create("ingest");
	TCase *tc = tcase_create("rows");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, output_header_order);
	tcase_add_test(tc, normalises_each_column);
	tcase_add_test(tc, normalises_other_values);
	tcase_add_test(tc, stages_through_the_model);
	tcase_add_test(tc, default_country_for_phones);
	tcase_add_test(tc, rejects_with_reasons);
	tcase_add_test(tc, notes_of_values_kept);
	tcase_add_test(tc, placeholders_only_in_mapped_columns);
	tcase_add_test(tc, from_none_passes_everything);
	tcase_add_test(tc, reingests_own_output);
	tcase_add_test(tc, unknown_preset_is_an_error);
	tcase_add_test(tc, consent_columns_from_each_crm);
	tcase_add_test(tc, consent_synonyms_and_values_kept);
	suite_add_tcase(s, tc);
	tc = tcase_create("dates");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, date_order_settled_per_column);
	tcase_add_test(tc, date_order_majority_and_dots);
	tcase_add_test(tc, date_order_forced);
	tcase_add_test(tc, describe_mapping_and_dates);
	suite_add_tcase(s, tc);
	return s;
}
