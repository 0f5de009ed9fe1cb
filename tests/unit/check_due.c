/*
 * Unit tests for lib/nurture/due: the send list's row of a lead whose
 * touch is due, its fields taken from the lead (lead_id, email: empty
 * when the input lacks the column) and from the step lk_nurture_row
 * scheduled, send_at as a full UTC timestamp.
 */
#include <string.h>

#include "unit.h"
#include "nurture/due.h"

START_TEST(test_row)
{
	/* One track, one step due at once; no quiet hours, no cap. */
	static const char model[] =
		"nurture:\n  quiet: none\n  tracks:\n"
		"    - {track: welcome, steps: [{offer: guide, content: ebook-1, channel: email,"
		" wait: 0d}]}\n";
	const char *const cols[] = { "email", "lead_id", "stage" };
	char *f[] = { "ann@x.com", "L-1", "inquiry" };
	size_t len[] = { 9, 3, 7 };
	lk_row in = { .n = 3, .f = f, .len = len, .record = 1, .line = 2 };
	lk_exprenv env = { 0 };
	lk_nurture_result res;
	const lk_row *d;
	const char *why;
	lk_time now;
	lk_due due;
	lk_row *out;
	lk_model *m;
	lk_nurture *nu;
	lk_err e;
	int i;

	ck_assert_int_eq(lk_date_parse("2026-11-20T14:00:00Z", 20, LK_DATE_AUTO, &now), 0);
	env.now = now.secs;
	m = lk_model_load_mem("m.yaml", model, strlen(model), &e);
	ck_assert_ptr_nonnull(m);
	nu = lk_nurture_new(m, &e);
	ck_assert_ptr_nonnull(nu);
	ck_assert_int_eq(lk_nurture_bind(nu, cols, 3, &e), 0);
	lk_due_init(&due, nu, cols, 3);
	ck_assert_int_eq(lk_nurture_row(nu, &in, NULL, NULL, 0, &env, &out, &res, &why), 0);
	ck_assert_int_eq(res.due, 1);
	d = lk_due_row(&due, &in, &res);
	ck_assert_int_eq(d->n, LK_DUE_NCOLS);
	{
		const char *want[] = { "L-1", "ann@x.com", "welcome", "1", "guide", "ebook-1",
				       "email", "2026-11-20T14:00:00Z" };
		for (i = 0; i < LK_DUE_NCOLS; i++) {
			ck_assert_uint_eq(d->len[i], strlen(want[i]));
			ck_assert_int_eq(memcmp(d->f[i], want[i], d->len[i]), 0);
		}
	}
	ck_assert_str_eq(lk_due_columns[0], "lead_id");
	ck_assert_str_eq(lk_due_columns[7], "send_at");

	/* An input without lead_id and email: those fields are empty. */
	lk_due_init(&due, nu, (const char *const[]){ "stage", "x", "y" }, 3);
	d = lk_due_row(&due, &in, &res);
	ck_assert_uint_eq(d->len[0], 0);
	ck_assert_uint_eq(d->len[1], 0);
	lk_nurture_free(nu);
	lk_model_free(m);
}
END_TEST

/*
 * The send list checks consent again on the lead's own row: an email
 * touch is held back when email_opt_out or email_bounced says yes (or
 * something not understood), a call when do_not_call does.  The lead
 * is moved with its consent columns hidden from the tracks, so that
 * they schedule the touch and only the send list stands between it and
 * the address.
 */
START_TEST(test_allowed)
{
	static const char model[] =
		"nurture:\n  quiet: none\n  tracks:\n"
		"    - {track: t, enter: 'stage == \"inquiry\"', steps: [{content: e1, wait: 0d}]}\n"
		"    - {track: c, enter: 'stage == \"mql\"', steps: [{content: c1, channel: call}]}\n";
	/* nurture is bound to the first three columns only. */
	const char *const bind_cols[] = { "lead_id", "email", "stage" };
	const char *const cols[] = { "lead_id", "email", "stage", "email_opt_out", "email_bounced",
				     "do_not_call" };
	static const struct { const char *stage, *opt, *bounced, *dnc; int ok; } c[] = {
		{ "inquiry", "", "", "", 1 },		{ "inquiry", "false", "false", "true", 1 },
		{ "inquiry", "true", "", "", 0 },	{ "inquiry", "Yes", "", "", 0 },
		{ "inquiry", "", "true", "", 0 },	{ "inquiry", "", "maybe", "", 0 },
		{ "mql", "true", "true", "", 1 },	{ "mql", "", "", "true", 0 },
		{ "mql", "", "", "N", 1 },
	};
	lk_exprenv env = { 0 };
	lk_nurture_result res;
	const char *why;
	lk_due due;
	lk_row *out;
	lk_model *m;
	lk_nurture *nu;
	lk_err e;
	size_t i;

	env.now = 1795000000;
	m = lk_model_load_mem("m.yaml", model, strlen(model), &e);
	ck_assert_ptr_nonnull(m);
	nu = lk_nurture_new(m, &e);
	ck_assert_ptr_nonnull(nu);
	ck_assert_int_eq(lk_nurture_bind(nu, bind_cols, 3, &e), 0);
	lk_due_init(&due, nu, cols, 6);
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		char *f[] = { "L", "a@x.com", (char *)c[i].stage, (char *)c[i].opt,
			      (char *)c[i].bounced, (char *)c[i].dnc };
		size_t len[6];
		lk_row in = { .n = 6, .f = f, .len = len, .record = 1, .line = 2 };
		lk_row hidden = { .n = 3, .f = f, .len = len, .record = 1, .line = 2 };
		int k;
		for (k = 0; k < 6; k++)
			len[k] = strlen(f[k]);
		ck_assert_int_eq(lk_nurture_row(nu, &hidden, NULL, NULL, 0, &env, &out, &res, &why),
				 0);
		ck_assert_int_eq(res.due, 1);
		ck_assert_msg(lk_due_allowed(&due, &in) == c[i].ok, "case %zu", i);
	}
	lk_nurture_free(nu);
	lk_model_free(m);
}
END_TEST

Suite *lk_suite_due(void)
{
	return lk_unit_suite("due", NULL, NULL, LK_UNIT_TESTS(test_row, test_allowed));
}
