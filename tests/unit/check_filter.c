/* Unit tests for lib/ingest/filter and the key policy it follows
 * (keys.h): plain rows come out one for one, rejects carry their
 * reason, --dedupe holds rows until their group is complete and merges
 * them, --emit-key keys each row (a keyless row with a key of its own),
 * --key names output columns, and activity exports have their own
 * header and no lead key. */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "core/hash.h"
#include "ingest/filter.h"
#include "ingest/keys.h"

static const char *hdr[] = { "Record ID", "Email", "First Name", "Last Modified Date" };

struct rowbuf {
	lk_row row;
	char *f[4];
	size_t len[4];
};

static const lk_row *mk(struct rowbuf *b, const char *const *v, long record)
{
	int i;

	memset(b, 0, sizeof *b);
	for (i = 0; i < 4; i++) {
		b->f[i] = (char *)v[i];
		b->len[i] = strlen(v[i]);
	}
	b->row.n = 4;
	b->row.f = b->f;
	b->row.len = b->len;
	b->row.record = record;
	b->row.line = record + 1;
	return &b->row;
}

static lk_model *m;

static void setup(void)
{
	lk_err e;

	m = lk_model_load(NULL, &e);
	ck_assert_ptr_nonnull(m);
}

static void teardown(void)
{
	lk_model_free(m);
}

static lk_ingest_filter *filter(int dedupe, int activities, const char *const *h)
{
	struct rowbuf b;
	lk_ingest_opt io = { 0 };
	lk_err e;
	lk_ingest_filter *f;

	io.dedupe = dedupe;
	f = lk_ingest_filter_new(m, &io, activities, mk(&b, h, 0), &e);
	ck_assert_msg(f != NULL, "lk_ingest_filter_new: %s", e.msg);
	return f;
}

/* A lead filter keyed by email: merging (sorted or not) or emitting keys. */
static lk_ingest_filter *keyed(int sorted, int emit_key)
{
	lk_ingest_filter *f = filter(!emit_key, 0, hdr);
	lk_err e;

	ck_assert_int_eq(lk_ingest_filter_keys(f, "email", sorted, emit_key, &e), 0);
	return f;
}

/* Give a row the filter must take. */
static void take(lk_ingest_filter *f, const char *const *v, long record)
{
	struct rowbuf b;
	const char *reason = NULL;
	lk_err e;

	ck_assert_msg(lk_ingest_filter_row(f, mk(&b, v, record), &reason, &e) == 1,
		      "row %ld not taken: %s", record, reason ? reason : e.msg);
}

/* The next output row (there must be one), and its key. */
static lk_row *next(lk_ingest_filter *f, const lk_buf **key)
{
	lk_row *out = NULL;

	ck_assert_int_eq(lk_ingest_filter_next(f, &out, key), 1);
	return out;
}

static void none_ready(lk_ingest_filter *f)
{
	const lk_buf *key;
	lk_row *out;

	ck_assert_int_eq(lk_ingest_filter_next(f, &out, &key), 0);
}

/* Output column `name` of `out`. */
static const char *col(const lk_ingest_filter *f, const lk_row *out, const char *name)
{
	int c = lk_ingest_column(lk_ingest_filter_ingest(f), name);

	ck_assert_int_ge(c, 0);
	return out->f[c];
}

static const char *ann[] = { "L-1", "ann@example.com", "Ann", "2026-01-01" };
static const char *ann2[] = { "L-2", "ANN@example.com", "Annie", "2026-02-01" };
static const char *bob[] = { "L-3", "bob@example.com", "Bob", "2026-01-15" };
static const char *nobody[] = { "", "", "Nobody", "" };
static const char *noemail[] = { "L-4", "", "Cy", "" };

START_TEST(plain_rows_one_for_one)
{
	lk_ingest_filter *f = filter(0, 0, hdr);
	struct rowbuf b;
	const char *reason = NULL;
	const lk_buf *key;
	lk_err e;

	take(f, ann, 1);
	ck_assert_str_eq(col(f, next(f, &key), "first_name"), "Ann");
	ck_assert_ptr_null(key);
	none_ready(f);
	ck_assert_int_eq(lk_ingest_filter_row(f, mk(&b, nobody, 2), &reason, &e), 0);
	ck_assert_str_eq(reason, "no email and no lead_id");
	none_ready(f);
	ck_assert_int_eq(lk_ingest_filter_finish(f, &e), 0);
	none_ready(f);
	ck_assert_int_eq(lk_ingest_filter_merged(f), 0);
	lk_ingest_filter_free(f);
	lk_ingest_filter_free(NULL);
}
END_TEST

/* In memory, groups come out at the end, in order of first appearance,
 * the newest value winning and the other lead_ids in merged_ids. */
START_TEST(dedupe_merges_at_the_end)
{
	lk_ingest_filter *f = keyed(0, 0);
	const lk_buf *key;
	lk_row *out;
	lk_err e;

	take(f, ann, 1);
	take(f, bob, 2);
	take(f, ann2, 3);
	none_ready(f);
	ck_assert_int_eq(lk_ingest_filter_finish(f, &e), 0);
	out = next(f, &key);
	ck_assert_ptr_null(key);
	ck_assert_str_eq(col(f, out, "first_name"), "Annie");
	ck_assert_str_eq(col(f, out, "merged_ids"), "L-1");
	ck_assert_str_eq(col(f, next(f, &key), "first_name"), "Bob");
	none_ready(f);
	ck_assert_int_eq(lk_ingest_filter_merged(f), 1);
	lk_ingest_filter_free(f);
}
END_TEST

/* Sorted input: a group comes out when the next key starts; a smaller
 * key is an error naming the row. */
START_TEST(dedupe_sorted_streams)
{
	lk_ingest_filter *f = keyed(1, 0);
	struct rowbuf b;
	const char *reason;
	const lk_buf *key;
	lk_err e;

	take(f, ann, 1);
	take(f, ann2, 2);
	none_ready(f);
	take(f, bob, 3);
	ck_assert_str_eq(col(f, next(f, &key), "merged_ids"), "L-1");
	ck_assert_int_eq(lk_ingest_filter_row(f, mk(&b, ann, 4), &reason, &e), -1);
	ck_assert_int_eq(e.kind, LK_EDATA);
	ck_assert_int_eq(e.record, 4);
	lk_ingest_filter_free(f);
}
END_TEST

/* Each row comes out at once with its key; a row with no key gets "~",
 * the hash of its first field and its record number. */
START_TEST(emit_key_keys_each_row)
{
	lk_ingest_filter *f = keyed(0, 1);
	const lk_buf *key;
	lk_row *out;
	char want[64];
	lk_err e;

	take(f, ann2, 1);
	next(f, &key);
	ck_assert_str_eq(key->data, "ann@example.com\t");
	none_ready(f);
	take(f, noemail, 7);
	out = next(f, &key);
	snprintf(want, sizeof want, "~%016llx.7\t",
		 (unsigned long long)lk_fnv1a(out->f[0], out->len[0]));
	ck_assert_str_eq(key->data, want);
	ck_assert_int_eq(lk_ingest_filter_finish(f, &e), 0);
	none_ready(f);
	ck_assert_int_eq(lk_ingest_filter_merged(f), 0);
	lk_ingest_filter_free(f);
}
END_TEST

START_TEST(key_names_output_columns)
{
	lk_ingest_filter *f = filter(1, 0, hdr);
	const lk_ingest *g = lk_ingest_filter_ingest(f);
	lk_buf key = LK_BUF_INIT;
	lk_dedupe *d;
	lk_err e;

	lk_err_clear(&e);
	ck_assert_int_eq(lk_ingest_filter_keys(f, "nope", 0, 1, &e), -1);
	ck_assert_int_eq(e.kind, LK_EUSAGE);
	ck_assert_str_eq(e.msg, "--key: no column 'nope' in the output");
	ck_assert_ptr_null(lk_ingest_dedupe_new(g, "email,email,email,email,email,email,email,"
						   "email,email,email,email,email,email,email,"
						   "email,email,email", 0, &e));
	ck_assert_str_eq(e.msg, "--key: at most 16 columns");
	/* Several columns: their values, 0x1f between. */
	d = lk_ingest_dedupe_new(g, "email,first_name", 1, &e);
	ck_assert_ptr_nonnull(d);
	take(f, ann, 1);
	lk_ingest_key(d, next(f, &(const lk_buf *){ NULL }), &key);
	ck_assert_str_eq(key.data, "ann@example.com\x1f" "Ann");
	lk_buf_free(&key);
	lk_dedupe_free(d);
	lk_ingest_filter_free(f);
}
END_TEST

START_TEST(activity_exports)
{
	static const char *ahdr[] = { "Email", "Activity Type", "Activity Date", "Notes" };
	static const char *row[] = { "ann@example.com", "Email Opened", "2026-03-01", "x" };
	lk_ingest_filter *f = filter(0, 1, ahdr);
	const char *const *names;
	const lk_buf *key;
	lk_err e;
	int n;

	ck_assert_ptr_null(lk_ingest_filter_ingest(f));
	lk_ingest_filter_header(f, &names, &n);
	ck_assert_int_ge(n, 5);
	ck_assert_str_eq(names[2], "activity");
	ck_assert_int_eq(lk_ingest_filter_keys(f, "email", 0, 0, &e), -1);
	ck_assert_int_eq(e.kind, LK_EUSAGE);
	take(f, row, 1);
	ck_assert_str_eq(next(f, &key)->f[2], "email_opened");
	lk_ingest_filter_free(f);
}
END_TEST

Suite *lk_suite_filter(void)
{
	Suite *s = suite_create("filter");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, plain_rows_one_for_one);
	tcase_add_test(tc, dedupe_merges_at_the_end);
	tcase_add_test(tc, dedupe_sorted_streams);
	tcase_add_test(tc, emit_key_keys_each_row);
	tcase_add_test(tc, key_names_output_columns);
	tcase_add_test(tc, activity_exports);
	suite_add_tcase(s, tc);
	return s;
}
