/* Unit tests for lib/dedupe: newest value per field, deterministic ties,
 * order independence over every permutation of a group, merged_ids,
 * idempotent re-merging, sorted mode against in-memory mode, and empty
 * keys.  Expected rows are worked out from the rules in dedupe.h. */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "ingest/dedupe.h"

/* Columns of the test rows. */
enum { ID, EMAIL, FIRST, COMPANY, UPDATED, CREATED, MERGED, NF };

static const int key_email[] = { EMAIL };

/* When set, FIRST and COMPANY are read as two consent columns (their
 * values merged by rank, dedupe.h) instead of plain ones. */
static int consent_cols;
enum { OPT_OUT = FIRST, DNC = COMPANY };

static lk_dedupe_cfg cfg_for(int sorted)
{
	lk_dedupe_cfg c;

	memset(&c, 0, sizeof c);
	c.nfields = NF;
	c.key = key_email;
	c.nkey = 1;
	c.ts[0] = UPDATED;
	c.ts[1] = -1;
	c.ts[2] = CREATED;
	c.id = ID;
	c.merged = MERGED;
	c.sorted = sorted;
	if (consent_cols) {
		c.flag[0] = OPT_OUT;
		c.flag[1] = DNC;
		c.nflag = 2;
	}
	return c;
}

struct rec {
	const char *v[NF];
};

/* A row over the record's strings (the dedupe copies what it keeps). */
static void to_row(const struct rec *r, lk_row *row, char **f, size_t *len, long record)
{
	int i;

	for (i = 0; i < NF; i++) {
		f[i] = (char *)r->v[i];
		len[i] = strlen(r->v[i]);
	}
	memset(row, 0, sizeof *row);
	row->n = NF;
	row->f = f;
	row->len = len;
	row->record = record;
	row->line = record + 1;
	row->nlines = 1;
}

/* "f0|f1|...", one line per output row. */
static void dump(const lk_row *r, lk_buf *out)
{
	int i;

	for (i = 0; i < r->n; i++) {
		if (i)
			lk_buf_addc(out, '|');
		lk_buf_add(out, r->f[i], r->len[i]);
		ck_assert_int_eq(r->f[i][r->len[i]], '\0');
	}
	lk_buf_addc(out, '\n');
}

/* Run a dedupe over n records, in the order given by idx (or as is);
 * returns the output rows, dumped. */
static char *run(const struct rec *recs, const int *idx, int n, int sorted, long *merged)
{
	lk_dedupe_cfg c = cfg_for(sorted);
	lk_dedupe *d = lk_dedupe_new(&c);
	lk_buf out = LK_BUF_INIT;
	lk_row row, *o;
	char *f[NF];
	size_t len[NF];
	lk_err e;
	int i;

	ck_assert_ptr_nonnull(d);
	for (i = 0; i < n; i++) {
		to_row(&recs[idx ? idx[i] : i], &row, f, len, i + 1);
		lk_err_clear(&e);
		ck_assert_msg(lk_dedupe_add(d, &row, &e) == 0, "add %d: %s", i, e.msg);
		while (lk_dedupe_next(d, &o) == 1)
			dump(o, &out);
	}
	ck_assert_int_eq(lk_dedupe_finish(d, &e), 0);
	while (lk_dedupe_next(d, &o) == 1)
		dump(o, &out);
	if (merged)
		*merged = lk_dedupe_merged(d);
	lk_dedupe_free(d);
	if (!out.data)
		lk_buf_grow(&out, 1);
	return lk_buf_detach(&out);
}

/* The newest record's value wins in each column; blanks are filled from
 * older records; "newest" falls back from updated_at to created_at. */
START_TEST(newest_wins_blanks_filled)
{
	static const struct rec recs[] = {
		{ { "L1", "a@x.com", "Ada", "", "2026-01-01", "2025-12-01", "" } },
		{ { "L4", "b@y.com", "Bo", "Bco", "2026-01-01", "", "" } },
		{ { "L2", "a@x.com", "", "Acme", "2026-03-01", "2025-12-02", "" } },
		/* No updated_at: its created_at (1 Feb) places it between. */
		{ { "L3", "a@x.com", "Adeline", "", "", "2026-02-01", "" } },
	};
	long merged;
	char *got = run(recs, NULL, 4, 0, &merged);

	/* Groups come out in order of first appearance. */
	ck_assert_str_eq(got,
			 "L2|a@x.com|Adeline|Acme|2026-03-01|2025-12-02|L1;L3\n"
			 "L4|b@y.com|Bo|Bco|2026-01-01||\n");
	ck_assert_int_eq(merged, 2);
	free(got);
}
END_TEST

/* Timestamps compare as instants, not as text: 9:00 at -05:00 is later
 * than 12:00Z, and a date without a time is its midnight. */
START_TEST(timestamps_compare_as_instants)
{
	static const struct rec recs[] = {
		{ { "L1", "a@x.com", "Early", "", "2026-05-01T12:00:00Z", "", "" } },
		{ { "L2", "a@x.com", "Late", "", "2026-05-01T09:00:00-05:00", "", "" } },
		{ { "L3", "a@x.com", "Oldest", "", "2026-05-01", "", "" } },
	};
	char *got = run(recs, NULL, 3, 0, NULL);

	ck_assert_str_eq(got, "L2|a@x.com|Late||2026-05-01T09:00:00-05:00||L1;L3\n");
	free(got);
}
END_TEST

/* Equal timestamps: the record whose bytes compare greater (column by
 * column) is taken as newer, so input order does not matter. */
START_TEST(ties_are_deterministic)
{
	static const struct rec recs[] = {
		{ { "L1", "t@x.com", "Ann", "", "2026-02-02T08:00:00Z", "", "" } },
		{ { "L2", "t@x.com", "Bob", "", "2026-02-02T08:00:00Z", "", "" } },
	};
	static const int fwd[] = { 0, 1 }, rev[] = { 1, 0 };
	char *a = run(recs, fwd, 2, 0, NULL), *b = run(recs, rev, 2, 0, NULL);

	ck_assert_str_eq(a, "L2|t@x.com|Bob||2026-02-02T08:00:00Z||L1\n");
	ck_assert_str_eq(b, a);
	free(a);
	free(b);
}
END_TEST

/* Next permutation in lexicographic order; 0 after the last. */
static int next_perm(int *p, int n)
{
	int i = n - 2, j, t;

	while (i >= 0 && p[i] >= p[i + 1])
		i--;
	if (i < 0)
		return 0;
	for (j = n - 1; p[j] <= p[i]; j--)
		;
	t = p[i], p[i] = p[j], p[j] = t;
	for (i++, j = n - 1; i < j; i++, j--)
		t = p[i], p[i] = p[j], p[j] = t;
	return 1;
}

/* A group with a timestamp tie, a created_at fallback, a record with no
 * date at all that carries merged_ids from an earlier run: the same
 * survivor for all 24 input orders, in memory and sorted. */
START_TEST(same_survivor_for_every_permutation)
{
	static const struct rec recs[] = {
		{ { "L1", "k@x.com", "Ann", "", "2026-01-05T10:00:00Z", "", "" } },
		{ { "L2", "k@x.com", "", "Beta", "2026-01-05T10:00:00Z", "", "" } },
		{ { "L3", "k@x.com", "Cat", "Gamma", "", "2026-01-01", "" } },
		{ { "L4", "k@x.com", "", "", "", "", "L9;L0" } },
	};
	/* Newest first: L2 (ties with L1, "L2" > "L1"), L1, L3 (created
	 * 1 Jan), L4 (no date).  lead_id, company and updated_at from L2,
	 * first_name from L1, created_at from L3; merged_ids: every other
	 * id and the ids L4 carried, sorted. */
	static const char want[] = "L2|k@x.com|Ann|Beta|2026-01-05T10:00:00Z|2026-01-01|"
				   "L0;L1;L3;L4;L9\n";
	int p[4] = { 0, 1, 2, 3 }, count = 0;

	do {
		char *a = run(recs, p, 4, 0, NULL), *b = run(recs, p, 4, 1, NULL);
		ck_assert_msg(!strcmp(a, want), "order %d%d%d%d: %s", p[0], p[1], p[2], p[3], a);
		ck_assert_msg(!strcmp(b, want), "sorted, order %d%d%d%d: %s", p[0], p[1], p[2],
			      p[3], b);
		free(a);
		free(b);
		count++;
	} while (next_perm(p, 4));
	ck_assert_int_eq(count, 24);
}
END_TEST

/* Running the dedupe again over its output changes nothing; nor does
 * merging the output with the records it came from. */
START_TEST(remerge_is_idempotent)
{
	static const struct rec recs[] = {
		{ { "L1", "k@x.com", "Ann", "", "2026-01-05T10:00:00Z", "", "" } },
		{ { "L2", "k@x.com", "", "Beta", "2026-01-05T10:00:00Z", "", "" } },
		{ { "L3", "k@x.com", "Cat", "Gamma", "", "2026-01-01", "" } },
		{ { "L4", "k@x.com", "", "", "", "", "L9;L0" } },
		{ { "L5", "z@x.com", "Zed", "", "", "", "" } },
	};
	static const struct rec once[] = {
		{ { "L2", "k@x.com", "Ann", "Beta", "2026-01-05T10:00:00Z", "2026-01-01",
		    "L0;L1;L3;L4;L9" } },
		{ { "L5", "z@x.com", "Zed", "", "", "", "" } },
	};
	struct rec both[7];
	char *first = run(recs, NULL, 5, 0, NULL), *again, *mixed;
	int i;

	ck_assert_str_eq(first,
			 "L2|k@x.com|Ann|Beta|2026-01-05T10:00:00Z|2026-01-01|L0;L1;L3;L4;L9\n"
			 "L5|z@x.com|Zed||||\n");
	again = run(once, NULL, 2, 0, NULL);
	ck_assert_str_eq(again, first);
	/* The merged row first, then the originals again. */
	both[0] = once[0];
	both[1] = once[1];
	for (i = 0; i < 5; i++)
		both[2 + i] = recs[i];
	mixed = run(both, NULL, 7, 0, NULL);
	ck_assert_str_eq(mixed, first);
	free(first);
	free(again);
	free(mixed);
}
END_TEST

/* merged_ids never lists the survivor's own id, even when an older
 * record carried it, and lists each id once. */
START_TEST(merged_ids_exclude_survivor)
{
	static const struct rec recs[] = {
		{ { "L7", "m@x.com", "", "", "2026-01-01", "", "L2;L3" } },
		{ { "L2", "m@x.com", "", "", "2026-06-01", "", "L7;L3" } },
		{ { "L3", "m@x.com", "", "", "2025-01-01", "", "" } },
	};
	char *got = run(recs, NULL, 3, 0, NULL);

	ck_assert_str_eq(got, "L2|m@x.com|||2026-06-01||L3;L7\n");
	free(got);
}
END_TEST

/* Rows with an empty key pass through one by one, in memory and sorted. */
START_TEST(empty_keys_never_merge)
{
	static const struct rec recs[] = {
		{ { "L1", "", "A", "", "2026-01-01", "", "" } },
		{ { "L2", "", "B", "", "2026-01-02", "", "" } },
		{ { "L3", "", "C", "", "2026-01-03", "", "" } },
	};
	static const char want[] = "L1||A||2026-01-01||\nL2||B||2026-01-02||\n"
				   "L3||C||2026-01-03||\n";
	long merged = -1;
	char *a = run(recs, NULL, 3, 0, &merged), *b;

	ck_assert_str_eq(a, want);
	ck_assert_int_eq(merged, 0);
	b = run(recs, NULL, 3, 1, &merged);
	ck_assert_str_eq(b, want);
	ck_assert_int_eq(merged, 0);
	free(a);
	free(b);
}
END_TEST

/* On key-sorted input (LC_ALL=C order: empty keys first), sorted mode
 * gives the rows in-memory mode gives. */
START_TEST(sorted_mode_matches_memory)
{
	static const struct rec recs[] = {
		{ { "L7", "", "NoKey", "", "2026-01-01", "", "" } },
		{ { "L8", "", "NoKey2", "", "", "", "" } },
		{ { "L1", "a@x.com", "A1", "", "2026-01-01", "", "" } },
		{ { "L2", "a@x.com", "", "Aco", "2026-02-01", "", "" } },
		{ { "L3", "a@x.com.au", "Solo", "", "", "", "" } },
		{ { "L4", "b@x.com", "", "", "", "2026-01-01", "" } },
		{ { "L5", "b@x.com", "B5", "", "", "2026-03-01", "" } },
		{ { "L6", "b@x.com", "", "B6co", "", "2026-02-01", "L0" } },
	};
	long m1, m2;
	char *a = run(recs, NULL, 8, 0, &m1), *b = run(recs, NULL, 8, 1, &m2);

	ck_assert_str_eq(a,
			 "L7||NoKey||2026-01-01||\n"
			 "L8||NoKey2||||\n"
			 "L2|a@x.com|A1|Aco|2026-02-01||L1\n"
			 "L3|a@x.com.au|Solo||||\n"
			 "L5|b@x.com|B5|B6co||2026-03-01|L0;L4;L6\n");
	ck_assert_str_eq(b, a);
	ck_assert_int_eq(m1, 3);
	ck_assert_int_eq(m2, 3);
	free(a);
	free(b);
}
END_TEST

/* Sorted mode refuses a key smaller than the one before, naming the
 * record and line. */
START_TEST(sorted_mode_detects_unsorted_input)
{
	static const struct rec recs[] = {
		{ { "L1", "b@x.com", "", "", "", "", "" } },
		{ { "L2", "a@x.com", "", "", "", "", "" } },
	};
	lk_dedupe_cfg c = cfg_for(1);
	lk_dedupe *d = lk_dedupe_new(&c);
	lk_row row, *o;
	char *f[NF];
	size_t len[NF];
	lk_err e;
	char msg[1024];

	to_row(&recs[0], &row, f, len, 1);
	lk_err_clear(&e);
	ck_assert_int_eq(lk_dedupe_add(d, &row, &e), 0);
	ck_assert_int_eq(lk_dedupe_next(d, &o), 0);	/* the group may continue */
	to_row(&recs[1], &row, f, len, 2);
	ck_assert_int_eq(lk_dedupe_add(d, &row, &e), -1);
	ck_assert_int_eq(e.kind, LK_EDATA);
	ck_assert_str_eq(lk_err_str(&e, msg, sizeof msg),
			 "record 2 (line 3): --sorted: input is not sorted by the key "
			 "('a@x.com' after 'b@x.com'); sort it with LC_ALL=C sort or drop --sorted");
	lk_dedupe_free(d);
}
END_TEST

/* Keys of several columns are joined by \x1f; all-empty is empty. */
START_TEST(composite_keys)
{
	static const int key2[] = { FIRST, COMPANY };
	static const struct rec r = { { "L1", "", "Ann", "Acme", "", "", "" } };
	static const struct rec blank = { { "L1", "x@y.z", "", "", "", "", "" } };
	lk_dedupe_cfg c = cfg_for(0);
	lk_dedupe *d;
	lk_row row;
	char *f[NF];
	size_t len[NF];
	lk_buf k = LK_BUF_INIT;

	c.key = key2;
	c.nkey = 2;
	d = lk_dedupe_new(&c);
	to_row(&r, &row, f, len, 1);
	lk_dedupe_key(d, &row, &k);
	ck_assert_uint_eq(k.len, 8);
	ck_assert_int_eq(memcmp(k.data, "Ann\x1f" "Acme", 8), 0);
	to_row(&blank, &row, f, len, 1);
	lk_dedupe_key(d, &row, &k);
	ck_assert_uint_eq(k.len, 0);
	lk_buf_free(&k);
	lk_dedupe_free(d);
	lk_dedupe_free(NULL);
}
END_TEST

/* Many groups in memory: each comes out once, in first-appearance order. */
START_TEST(many_groups_in_memory)
{
	lk_dedupe_cfg c = cfg_for(0);
	lk_dedupe *d = lk_dedupe_new(&c);
	lk_row row, *o;
	char *f[NF], id[32], email[32];
	size_t len[NF];
	lk_err e;
	long i, n = 0;
	struct rec r = { { "", "", "", "", "", "", "" } };

	for (i = 0; i < 30000; i++) {
		snprintf(id, sizeof id, "L%05ld", i);
		snprintf(email, sizeof email, "u%ld@x.com", i % 10000);
		r.v[ID] = id;
		r.v[EMAIL] = email;
		to_row(&r, &row, f, len, i + 1);
		ck_assert_int_eq(lk_dedupe_add(d, &row, &e), 0);
	}
	ck_assert_int_eq(lk_dedupe_next(d, &o), 0);	/* nothing before finish */
	ck_assert_int_eq(lk_dedupe_finish(d, &e), 0);
	while (lk_dedupe_next(d, &o) == 1) {
		snprintf(email, sizeof email, "u%ld@x.com", n);
		ck_assert_str_eq(o->f[EMAIL], email);
		/* No dates: ties broken by bytes; of L0nnnn, L1nnnn, L2nnnn the
		 * last is greatest. */
		snprintf(id, sizeof id, "L%05ld", n + 20000);
		ck_assert_str_eq(o->f[ID], id);
		n++;
	}
	ck_assert_int_eq(n, 10000);
	ck_assert_int_eq(lk_dedupe_merged(d), 20000);
	lk_dedupe_free(d);
}
END_TEST

/* Keyless rows among keyed ones, in a count that is no multiple of any
 * batch size: groups still come out in order of first appearance. */
START_TEST(keyless_rows_keep_their_place)
{
	static const char *const want[] = { "L36", "L31", "L35", "L04", "L09", "L14",
					    "L19", "L24", "L29", "L34" };
	lk_dedupe_cfg c = cfg_for(0);
	lk_dedupe *d = lk_dedupe_new(&c);
	lk_row row, *o;
	char *f[NF], id[32], email[32];
	size_t len[NF];
	lk_err e;
	long i, n = 0;
	struct rec r = { { "", "", "", "", "", "", "" } };

	/* Row i: keyless when i % 5 == 4, else key u(i % 3).  Without dates
	 * the greatest id wins: L36 (u0), L31 (u1; L34 is keyless), L35 (u2). */
	for (i = 0; i < 37; i++) {
		snprintf(id, sizeof id, "L%02ld", i);
		snprintf(email, sizeof email, "u%ld@x.com", i % 3);
		r.v[ID] = id;
		r.v[EMAIL] = i % 5 == 4 ? "" : email;
		to_row(&r, &row, f, len, i + 1);
		ck_assert_int_eq(lk_dedupe_add(d, &row, &e), 0);
	}
	ck_assert_int_eq(lk_dedupe_finish(d, &e), 0);
	while (lk_dedupe_next(d, &o) == 1) {
		ck_assert_int_lt(n, 10);
		ck_assert_str_eq(o->f[ID], want[n]);
		n++;
	}
	ck_assert_int_eq(n, 10);
	ck_assert_int_eq(lk_dedupe_merged(d), 37 - 7 - 3);
	lk_dedupe_free(d);
}
END_TEST

/*
 * Rows held in memory come out byte for byte as they went in, whatever
 * the store made of each value: digit runs of odd and even length (two
 * to a byte), text with characters outside them, values a column repeats
 * (interned, the column cycling through 5 values over 3000 rows) and a
 * column of all-new values (which stops interning), values too long to
 * intern, empty ones, and a NUL byte inside a value.  Every key is
 * distinct, so each row is its own group.
 */
START_TEST(held_rows_come_out_unchanged)
{
	static const char *const kinds[] = {
		"2026-07-09T02:46:00Z", "+14155550123", "12345", "0", "1.5", "-", "TZ:+.-",
		"Acme, Inc.", "O'Brien \"Bob\"\nline two", "caf\xc3\xa9", "12a34", " 42 ",
	};
	static const char *const five[] = { "Open", "Working", "Closed - Won", "Nurture", "Lost" };
	enum { N = 3000 };
	lk_dedupe_cfg c = cfg_for(0);
	lk_dedupe *d = lk_dedupe_new(&c);
	lk_buf want = LK_BUF_INIT, got = LK_BUF_INIT, longv = LK_BUF_INIT;
	char vals[NF][128], *f[NF];
	size_t len[NF];
	lk_row row, *o;
	lk_err e;
	int i, k;

	ck_assert_ptr_nonnull(d);
	for (i = 0; i < 100; i++)
		lk_buf_addc(&longv, 'a' + i % 26);
	for (i = 0; i < N; i++) {
		snprintf(vals[ID], sizeof vals[ID], "%d", 51000000 + i * 7);
		snprintf(vals[EMAIL], sizeof vals[EMAIL], "p%d@x.example", i);
		snprintf(vals[FIRST], sizeof vals[FIRST], "%s", five[i % 5]);
		snprintf(vals[COMPANY], sizeof vals[COMPANY], "%s", kinds[i % 12]);
		snprintf(vals[UPDATED], sizeof vals[UPDATED], "2026-%02d-%02dT%02d:00:00Z",
			 i % 12 + 1, i % 28 + 1, i % 24);
		snprintf(vals[CREATED], sizeof vals[CREATED], "%s", i % 3 ? "" : "x");
		vals[MERGED][0] = '\0';
		for (k = 0; k < NF; k++) {
			f[k] = vals[k];
			len[k] = strlen(vals[k]);
		}
		if (i % 100 == 7) {	/* too long to intern */
			f[FIRST] = longv.data;
			len[FIRST] = longv.len;
		}
		if (i % 250 == 3) {	/* a NUL inside a value */
			memcpy(vals[CREATED], "a\0b", 4);
			len[CREATED] = 3;
		}
		memset(&row, 0, sizeof row);
		row.n = NF;
		row.f = f;
		row.len = len;
		row.record = i + 1;
		row.line = i + 2;
		for (k = 0; k < NF; k++) {
			if (k)
				lk_buf_addc(&want, '|');
			lk_buf_add(&want, f[k], len[k]);
		}
		lk_buf_addf(&want, " @%ld:%ld\n", row.record, row.line);
		ck_assert_int_eq(lk_dedupe_add(d, &row, &e), 0);
	}
	ck_assert_int_eq(lk_dedupe_finish(d, &e), 0);
	while (lk_dedupe_next(d, &o) == 1) {
		ck_assert_int_eq(o->n, NF);
		for (k = 0; k < NF; k++) {
			if (k)
				lk_buf_addc(&got, '|');
			lk_buf_add(&got, o->f[k], o->len[k]);
			ck_assert_int_eq(o->f[k][o->len[k]], '\0');
		}
		lk_buf_addf(&got, " @%ld:%ld\n", o->record, o->line);
	}
	ck_assert_uint_eq(got.len, want.len);
	ck_assert(!memcmp(got.data, want.data, want.len));
	ck_assert_int_eq(lk_dedupe_merged(d), 0);
	lk_buf_free(&want);
	lk_buf_free(&got);
	lk_buf_free(&longv);
	lk_dedupe_free(d);
}
END_TEST

/*
 * Keys the store packs (digits, two to a byte) and keys it interns
 * (a repeated company) find their groups: 20000 rows over 5000 phone
 * numbers, and over 5000 (company, phone) pairs whose companies repeat.
 * Row i's phone is +1555 and (i % 5000) on seven digits, so each group
 * has rows i, i + 5000, i + 10000, i + 15000; the key table grows
 * past its first 4096 slots on the way.
 */
START_TEST(packed_keys_find_their_groups)
{
	static const int key_phone[] = { FIRST };
	static const int key_co_phone[] = { COMPANY, FIRST };
	int round;

	for (round = 0; round < 2; round++) {
		lk_dedupe_cfg c = cfg_for(0);
		lk_dedupe *d;
		char id[16], ph[24], co[16], *f[NF];
		size_t len[NF];
		lk_row row, *o;
		lk_err e;
		int i, k, n = 0;

		c.key = round ? key_co_phone : key_phone;
		c.nkey = round ? 2 : 1;
		d = lk_dedupe_new(&c);
		ck_assert_ptr_nonnull(d);
		for (i = 0; i < 20000; i++) {
			const char *v[NF] = { id, "", ph, co, "", "", "" };
			snprintf(id, sizeof id, "L%d", i);
			snprintf(ph, sizeof ph, "+1555%07d", i % 5000);
			snprintf(co, sizeof co, "Co%d", i % 5000 % 7);
			for (k = 0; k < NF; k++) {
				f[k] = (char *)v[k];
				len[k] = strlen(v[k]);
			}
			memset(&row, 0, sizeof row);
			row.n = NF;
			row.f = f;
			row.len = len;
			row.record = i + 1;
			ck_assert_int_eq(lk_dedupe_add(d, &row, &e), 0);
		}
		ck_assert_int_eq(lk_dedupe_finish(d, &e), 0);
		while (lk_dedupe_next(d, &o) == 1) {
			char want[64];
			/* No dates: the tie goes to the greater bytes, "L9..." over
			 * "L1..."; first appearance orders the groups. */
			snprintf(ph, sizeof ph, "+1555%07d", n);
			ck_assert_str_eq(o->f[FIRST], ph);
			snprintf(want, sizeof want, "L%d;L%d;L%d;L%d", n, n + 5000, n + 10000, n + 15000);
			ck_assert_uint_eq(o->len[MERGED], strlen(want) - strlen(o->f[ID]) - 1);
			ck_assert_ptr_nonnull(strstr(want, o->f[ID]));
			n++;
		}
		ck_assert_int_eq(n, 5000);
		ck_assert_int_eq(lk_dedupe_merged(d), 15000);
		lk_dedupe_free(d);
	}
}
END_TEST

/* Consent columns: true wins whatever the times, then a value not
 * understood, then false, then empty; the newest of the best rank. */
static const struct rec consent_recs[] = {
	/* a: L2 is newest and says false, L1 opted out a year before. */
	{ { "L1", "a@x.com", "true", "false", "2026-01-01", "", "" } },
	{ { "L2", "a@x.com", "false", "", "2026-03-01", "", "" } },
	{ { "L3", "a@x.com", "", "Pending review", "2026-02-01", "", "" } },
	/* b: false beats empty, even from the older record. */
	{ { "L4", "b@y.com", "false", "", "2026-01-01", "", "" } },
	{ { "L5", "b@y.com", "", "", "2026-02-01", "", "" } },
	/* c: two values not understood: the newer one. */
	{ { "L6", "c@z.com", "maybe", "true", "2026-01-01", "", "" } },
	{ { "L7", "c@z.com", "ask later", "false", "2026-02-01", "", "" } },
	{ { "L8", "c@z.com", "false", "", "2026-03-01", "", "" } },
};

START_TEST(consent_true_is_never_lost)
{
	static const char want[] = "L2|a@x.com|true|Pending review|2026-03-01||L1;L3\n"
				   "L5|b@y.com|false||2026-02-01||L4\n"
				   "L8|c@z.com|ask later|true|2026-03-01||L6;L7\n";
	long m1, m2;
	char *a, *b;

	consent_cols = 1;
	a = run(consent_recs, NULL, 8, 0, &m1);
	b = run(consent_recs, NULL, 8, 1, &m2);
	consent_cols = 0;
	ck_assert_str_eq(a, want);
	ck_assert_str_eq(b, want);
	ck_assert_int_eq(m1, 5);
	ck_assert_int_eq(m2, 5);
	free(a);
	free(b);
}
END_TEST

/* The same merged flags for every order of a group, in memory and
 * sorted; without consent columns the newest value would win. */
START_TEST(consent_same_for_every_order)
{
	static const char want[] = "L2|a@x.com|true|Pending review|2026-03-01||L1;L3\n";
	int p[3] = { 0, 1, 2 }, count = 0;
	char *plain;

	consent_cols = 1;
	do {
		char *a = run(consent_recs, p, 3, 0, NULL), *b = run(consent_recs, p, 3, 1, NULL);
		ck_assert_msg(!strcmp(a, want), "order %d%d%d: %s", p[0], p[1], p[2], a);
		ck_assert_msg(!strcmp(b, want), "sorted, order %d%d%d: %s", p[0], p[1], p[2], b);
		free(a);
		free(b);
		count++;
	} while (next_perm(p, 3));
	consent_cols = 0;
	ck_assert_int_eq(count, 6);
	plain = run(consent_recs, NULL, 3, 0, NULL);
	ck_assert_str_eq(plain, "L2|a@x.com|false|Pending review|2026-03-01||L1;L3\n");
	free(plain);
}
END_TEST

Suite *lk_suite_dedupe(void)
{
	Suite *s = suite_create("dedupe");
	TCase *tc = tcase_create("merge");

	tcase_add_test(tc, newest_wins_blanks_filled);
	tcase_add_test(tc, timestamps_compare_as_instants);
	tcase_add_test(tc, ties_are_deterministic);
	tcase_add_test(tc, same_survivor_for_every_permutation);
	tcase_add_test(tc, remerge_is_idempotent);
	tcase_add_test(tc, merged_ids_exclude_survivor);
	tcase_add_test(tc, empty_keys_never_merge);
	tcase_add_test(tc, composite_keys);
	tcase_add_test(tc, many_groups_in_memory);
	tcase_add_test(tc, keyless_rows_keep_their_place);
	tcase_add_test(tc, held_rows_come_out_unchanged);
	tcase_add_test(tc, packed_keys_find_their_groups);
	tcase_add_test(tc, consent_true_is_never_lost);
	tcase_add_test(tc, consent_same_for_every_order);
	suite_add_tcase(s, tc);
	tc = tcase_create("sorted");
	tcase_add_test(tc, sorted_mode_matches_memory);
	tcase_add_test(tc, sorted_mode_detects_unsorted_input);
	suite_add_tcase(s, tc);
	return s;
}
