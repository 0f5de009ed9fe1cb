/* Unit tests for lib/nurture: model errors at their file:line:col
 * (columns counted by hand, 1-based), the governor and quiet hours
 * (every expected instant worked out in a comment), stage mapping,
 * re-entry, triggers, and the two promises of a pure function: the
 * order of the activities does not matter, and moving a lead's own
 * output again changes nothing. */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "nurture/nurture.h"

static lk_model *model;

static lk_nurture *load(const char *text, lk_err *e)
{
	lk_err_clear(e);
	model = lk_model_load_mem("m.yaml", text, strlen(text), e);
	if (!model)
		return NULL;
	return lk_nurture_new(model, e);
}

static void done(lk_nurture *n)
{
	lk_nurture_free(n);
	lk_model_free(model);
	model = NULL;
}

static int64_t ts(const char *s)
{
	lk_time t;

	ck_assert_int_eq(lk_date_parse(s, strlen(s), LK_DATE_AUTO, &t), 0);
	return t.secs;
}

static const struct { const char *text, *want; } bad[] = {
	/* "    - {track: a, steps: [{content: y}]}": the name at 15. */
	{ "nurture:\n  tracks:\n    - {track: a, steps: [{content: x}]}\n"
	  "    - {track: a, steps: [{content: y}]}\n",
	  "m.yaml:4:15: duplicate track 'a' (first at line 3)" },
	/* "    - {track: a, reentry: sometimes, ...": the value at 27. */
	{ "nurture:\n  tracks:\n    - {track: a, reentry: sometimes, steps: [{content: x}]}\n",
	  "m.yaml:3:27: 'reentry' must be never, always or a duration such as 90d, not "
	  "'sometimes'" },
	/* "    - {track: a, steps: [{content: x}], on: [{activity: p, skip: step}]}":
	 * the trigger's mapping at 46, its skip value at 66. */
	{ "nurture:\n  tracks:\n    - {track: a, steps: [{content: x}], on: [{activity: p, skip: step}]}\n",
	  "m.yaml:3:66: 'skip' can only be 'wait'" },
	{ "nurture:\n  tracks:\n    - {track: a, steps: [{content: x}], on: [{activity: p}]}\n",
	  "m.yaml:3:46: a trigger needs one of 'goto: track[/step]' and 'skip: wait'" },
	/* "    - {track: a, steps: [{content: x, stage: mgl}]}": mgl at 46. */
	{ "nurture:\n  tracks:\n    - {track: a, steps: [{content: x, stage: mgl}]}\n",
	  "m.yaml:3:46: unknown stage 'mgl' (did you mean 'mql'?)" },
	/* "    - {track: a, steps: [{offer: x}]}": the step at 26. */
	{ "nurture:\n  tracks:\n    - {track: a, steps: [{offer: x}]}\n",
	  "m.yaml:3:26: nurture step has no 'content'" },
	/* "    - {track: a, steps: [{step: 2, content: x}]}": 2 at 33. */
	{ "nurture:\n  tracks:\n    - {track: a, steps: [{step: 2, content: x}]}\n",
	  "m.yaml:3:33: a step name must not be a number ('2'): goto track/N counts steps "
	  "from 1" },
	/* "  quiet: always": the value at 10. */
	{ "nurture:\n  quiet: always\n  tracks: [{track: a, steps: [{content: x}]}]\n",
	  "m.yaml:2:10: 'quiet' must be calendar (the days and hours of routing.calendar) or "
	  "none, not 'always'" },
	/* "  open_deals: later": the value at 15. */
	{ "nurture:\n  open_deals: later\n  tracks: [{track: a, steps: [{content: x}]}]\n",
	  "m.yaml:2:15: 'open_deals' must be exit, pause or keep, not 'later'" },
	/* "  customers: pause": the value at 14 (customers never pause). */
	{ "nurture:\n  customers: pause\n  tracks: [{track: a, steps: [{content: x}]}]\n",
	  "m.yaml:2:14: 'customers' must be exit or keep, not 'pause'" },
	/* "  deal_stage: won": the value at 15. */
	{ "nurture:\n  deal_stage: won\n  tracks: [{track: a, steps: [{content: x}]}]\n",
	  "m.yaml:2:15: 'deal_stage' must be a stage of the success path before the last (won), "
	  "not 'won'" },
	{ "nurture:\n  deal_stage: lost\n  tracks: [{track: a, steps: [{content: x}]}]\n",
	  "m.yaml:2:15: 'deal_stage' must be a stage of the success path before the last (won), "
	  "not 'lost'" },
	{ "nurture:\n  deal_stage: oportunity\n  tracks: [{track: a, steps: [{content: x}]}]\n",
	  "m.yaml:2:15: unknown stage 'oportunity' (did you mean 'opportunity'?)" },
	/* "  cap: 0/7d": the value at 8. */
	{ "nurture:\n  cap: 0/7d\n  tracks: [{track: a, steps: [{content: x}]}]\n",
	  "m.yaml:2:8: 'cap' must be touches per period such as 2/7d or 1/day, not '0/7d'" },
	/* A period nurture can count but no count: "  cap: /7d". */
	{ "nurture:\n  cap: /7d\n  tracks: [{track: a, steps: [{content: x}]}]\n",
	  "m.yaml:2:8: 'cap' must be touches per period such as 2/7d or 1/day, not '/7d'" },
	{ "nurture:\n  cap: 2/month\n  tracks: [{track: a, steps: [{content: x}]}]\n",
	  "m.yaml:2:8: 'cap' must be touches per period such as 2/7d or 1/day, not '2/month'" },
	/* Three tracks in a ring: a -> b -> c -> a, closed by c's trigger,
	 * "    - {track: c, steps: [{content: z}], on: [{activity: q, goto: a}]}"
	 * whose mapping starts at 46. */
	{ "nurture:\n  tracks:\n"
	  "    - {track: a, steps: [{content: x}], on: [{activity: p, goto: b}]}\n"
	  "    - {track: b, steps: [{content: y}], on: [{activity: p, goto: c}]}\n"
	  "    - {track: c, steps: [{content: z}], on: [{activity: q, goto: a}]}\n",
	  "m.yaml:5:46: trigger cycle: a -> b -> c -> a (a lead would move forever)" },
	/* "    - {track: a, steps: [{content: x}], on: [{activity: p, goto: a/zz}]}":
	 * a/zz at 66. */
	{ "nurture:\n  tracks:\n    - {track: a, steps: [{content: x}], on: [{activity: p, goto: a/zz}]}\n",
	  "m.yaml:3:66: goto: track 'a' has no step 'zz' (steps are 1-1)" },
	{ "nurture:\n  tracks: []\n", "m.yaml:2:11: nurture has no tracks" },
	{ "nurture:\n  trakcs: []\n",
	  "m.yaml:2:3: unknown key 'trakcs' in nurture (did you mean 'tracks'?)" },
};

START_TEST(test_bad_model)
{
	lk_err e;
	char buf[1024];
	lk_nurture *n = load(bad[_i].text, &e);

	if (n)
		ck_abort_msg("accepted: %s", bad[_i].text);
	ck_assert_str_eq(lk_err_str(&e, buf, sizeof buf), bad[_i].want);
	ck_assert_int_eq(e.kind, LK_EMODEL);
	done(n);
}
END_TEST

/* The input header of the row tests (with nurture_reason, so an output
 * fed back carries it); the tool appends next_offer, next_content and
 * next_channel. */
static const char *const H[] = { "lead_id", "email", "stage", "route", "mql", "nurture_track",
				 "nurture_step", "nurture_state", "last_touch_at",
				 "next_touch_at", "nurture_reason" };
enum { NH = 11 };

static lk_nurture *bound(const char *text)
{
	lk_err e;
	char buf[1024];
	lk_nurture *n = load(text, &e);

	if (!n)
		ck_abort_msg("%s", lk_err_str(&e, buf, sizeof buf));
	ck_assert_int_eq(lk_nurture_bind(n, H, NH, &e), 0);
	return n;
}

/* Every cap form: the governor counts touches in any window of the
 * period, so N/week is N in any 7 days and a bare N is N in any day. */
static const struct { const char *cap; long n; double period; } cap_forms[] = {
	{ "2/7d", 2, 7 * 86400.0 }, { "2/week", 2, 7 * 86400.0 }, { "2/w", 2, 7 * 86400.0 },
	{ "1/day", 1, 86400.0 }, { "3", 3, 86400.0 }, { "3/36h", 3, 36 * 3600.0 },
	{ "2 / 7d", 2, 7 * 86400.0 }, { "5/2w", 5, 14 * 86400.0 },
};

START_TEST(test_cap_forms)
{
	char text[256];
	long count;
	double period;
	lk_nurture *n;

	snprintf(text, sizeof text, "nurture:\n  cap: \"%s\"\n"
		 "  tracks: [{track: a, steps: [{content: x}]}]\n", cap_forms[_i].cap);
	n = bound(text);
	lk_nurture_cap(n, &count, &period);
	ck_assert_int_eq(count, cap_forms[_i].n);
	ck_assert_double_eq(period, cap_forms[_i].period);
	done(n);
}
END_TEST

/* One lead: fields in H's order ("" for none). */
typedef struct lead_in {
	const char *f[NH];
} lead_in;

static char got[24][256];	/* the output row, by output column */

static const char *col(lk_nurture *n, const char *name)
{
	const char *const *names;
	int k, i;

	lk_nurture_header(n, &names, &k);
	for (i = 0; i < k; i++)
		if (!strcmp(names[i], name))
			return got[i];
	ck_abort_msg("no column %s", name);
	return NULL;
}

/* Move a lead of nh fields v[] (NULL: "") and keep its output in got. */
static int move_n(lk_nurture *n, int nh, const char *const *v, const lk_act *acts,
		  const char *const *det, int nacts, const char *now, lk_nurture_result *res)
{
	lk_row row;
	char *f[24];
	size_t len[24];
	lk_row *out;
	lk_exprenv env = { 0 };
	const char *why = NULL;
	int i, rc;

	for (i = 0; i < nh; i++) {
		f[i] = (char *)(v[i] ? v[i] : "");
		len[i] = strlen(f[i]);
	}
	row.n = nh;
	row.f = f;
	row.len = len;
	row.record = 1;
	row.line = 2;
	row.bad = NULL;
	env.now = ts(now);
	rc = lk_nurture_row(n, &row, acts, det, nacts, &env, &out, res, &why);
	if (rc)
		return rc;
	for (i = 0; i < out->n && i < 24; i++)
		snprintf(got[i], sizeof got[i], "%s", out->f[i]);
	return 0;
}

static int move(lk_nurture *n, const lead_in *l, const lk_act *acts,
		const char *const *det, int nacts, const char *now, lk_nurture_result *res)
{
	return move_n(n, NH, l->f, acts, det, nacts, now, res);
}

/* Copy the output back into an input (to move it again). */
static void feed(lk_nurture *n, lead_in *l, char store[NH][256])
{
	int i;

	for (i = 0; i < NH; i++) {
		snprintf(store[i], 256, "%s", got[i]);
		l->f[i] = store[i];
	}
	(void)n;
}

START_TEST(test_cap)
{
	/* cap 3/10d, now 2026-11-20T00:00Z.  Sends at 11-10 00:00 (exactly
	 * 10d ago: out of the window (now-10d, now]), 11-11, 11-15 and
	 * 11-19 12:00: three in the window, so the welcome waits until the
	 * oldest of them (11-11) leaves it: 11-21T00:00Z.  Then 11-15 and
	 * 11-19 are the only two in (11-11, 11-21]. */
	lk_nurture *n = bound("nurture:\n  cap: 3/10d\n  tracks:\n"
			      "    - {track: t, steps: [{content: w, wait: 0d}]}\n");
	lk_act a[] = {
		{ "email_sent", 0 }, { "email_sent", 0 }, { "email_sent", 0 }, { "email_sent", 0 },
	};
	const char *d[] = { "news", "news", "news", "news" };
	lead_in l = { { "1", "a@x.com", "inquiry" } };
	lk_nurture_result res;

	a[0].at = ts("2026-11-15T00:00:00Z");
	a[1].at = ts("2026-11-10T00:00:00Z");
	a[2].at = ts("2026-11-19T12:00:00Z");
	a[3].at = ts("2026-11-11T00:00:00Z");
	ck_assert_int_eq(move(n, &l, a, d, 4, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "next_touch_at"), "2026-11-21T00:00:00Z");
	ck_assert_str_eq(col(n, "nurture_reason"), "deferred: cap 3/10d");
	ck_assert_int_eq(res.due, 0);
	ck_assert_int_eq(res.deferred, 1);
	/* With the sends of 11-15 and 11-10 only (the latter on the window's
	 * edge), one is in the window: due now. */
	ck_assert_int_eq(move(n, &l, a, d, 2, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "next_touch_at"), "2026-11-20T00:00:00Z");
	ck_assert_int_eq(res.due, 1);
	done(n);
}
END_TEST

START_TEST(test_quiet_hours)
{
	/* New York, mon-fri 09-17 (EST, UTC-5 in November).  Fri 2026-11-20
	 * 23:00Z is 18:00 there: the welcome goes out Mon 09:00 EST =
	 * 2026-11-23T14:00Z.  At 15:00Z (10:00 there) it is due at once. */
	lk_nurture *n = bound("routing:\n  calendar: {tz: America/New_York, days: mon-fri, "
			      "hours: \"09:00-17:00\"}\nnurture:\n  tracks:\n"
			      "    - {track: t, steps: [{content: w}]}\n");
	lead_in l = { { "1", "a@x.com", "inquiry" } };
	lk_nurture_result res;

	ck_assert_int_eq(move(n, &l, NULL, NULL, 0, "2026-11-20T23:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "next_touch_at"), "2026-11-23T14:00:00Z");
	ck_assert_str_eq(col(n, "nurture_reason"), "deferred: quiet hours");
	ck_assert_int_eq(move(n, &l, NULL, NULL, 0, "2026-11-20T15:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "next_touch_at"), "2026-11-20T15:00:00Z");
	ck_assert_str_eq(col(n, "nurture_reason"), "entered t");
	ck_assert_int_eq(res.due, 1);
	done(n);
}
END_TEST

START_TEST(test_stage_mapping)
{
	/* Step 1 has content for inquiry and mql only; step 2 serves mql. */
	/* customers: keep, so that the won lead meets the steps. */
	lk_nurture *n = bound("nurture:\n  customers: keep\n  tracks:\n    - track: t\n      steps:\n"
			      "        - {offer: {default: guide, mql: demo}, content: {inquiry: i1, mql: m1}}\n"
			      "        - {offer: case, content: x2, stage: [mql]}\n");
	lead_in a = { { "1", "a@x.com", "inquiry" } };
	lead_in b = { { "2", "b@x.com", "MQL" } };
	lead_in c = { { "3", "c@x.com", "won" } };
	lk_act sent = { "email_sent", 0 };
	const char *det[] = { "i1" };
	lk_nurture_result res;

	ck_assert_int_eq(move(n, &a, NULL, NULL, 0, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "next_content"), "i1");
	ck_assert_str_eq(col(n, "next_offer"), "guide");
	ck_assert_int_eq(move(n, &b, NULL, NULL, 0, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "next_content"), "m1");
	ck_assert_str_eq(col(n, "next_offer"), "demo");
	/* won: no content for it in step 1, step 2 serves mql only. */
	ck_assert_int_eq(move(n, &c, NULL, NULL, 0, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_state"), "exhausted");
	ck_assert_str_eq(col(n, "nurture_reason"), "all 2 steps of t done");
	/* inquiry after i1 is reported: step 2 is not for it, so exhausted. */
	sent.at = ts("2026-11-19T00:00:00Z");
	ck_assert_int_eq(move(n, &a, &sent, det, 1, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_state"), "exhausted");
	ck_assert_str_eq(col(n, "last_touch_at"), "2026-11-19T00:00:00Z");
	ck_assert_int_eq(res.advanced, 1);
	done(n);
}
END_TEST

START_TEST(test_reentry)
{
	/* a re-enters 30d after the last touch; b never. */
	lk_nurture *n = bound("nurture:\n  customers: keep\n  tracks:\n"
			      "    - {track: a, enter: 'stage == \"inquiry\"', reentry: 30d, steps: [{content: x}]}\n"
			      "    - {track: b, enter: 'stage == \"won\"', steps: [{content: y}]}\n");
	lead_in old = { { "1", "", "inquiry", "", "", "a", "1", "exhausted", "2026-10-01T00:00:00Z" } };
	lead_in recent = { { "2", "", "inquiry", "", "", "a", "1", "exhausted", "2026-11-01T00:00:00Z" } };
	lead_in inb = { { "3", "", "won", "", "", "b", "1", "exhausted", "2026-01-01T00:00:00Z" } };
	lead_in bq = { { "4", "", "inquiry", "", "", "b", "1", "exhausted", "2026-11-19T00:00:00Z" } };
	lk_nurture_result res;

	/* 2026-10-01 to 11-20 is 50 days: back in a, at step 1. */
	ck_assert_int_eq(move(n, &old, NULL, NULL, 0, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_state"), "active");
	ck_assert_str_eq(col(n, "nurture_reason"), "entered a");
	/* 19 days: not yet. */
	ck_assert_int_eq(move(n, &recent, NULL, NULL, 0, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_state"), "exhausted");
	/* b never takes a lead twice; a wants inquiry leads only. */
	ck_assert_int_eq(move(n, &inb, NULL, NULL, 0, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_state"), "exhausted");
	ck_assert_str_eq(col(n, "nurture_track"), "b");
	/* Done with b, an inquiry lead may go to a (another track). */
	ck_assert_int_eq(move(n, &bq, NULL, NULL, 0, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_track"), "a");
	ck_assert_str_eq(col(n, "nurture_state"), "active");
	done(n);
}
END_TEST

START_TEST(test_triggers)
{
	/* A pricing visit within 7d sends the lead to b/2; older ones do not. */
	lk_nurture *n = bound("nurture:\n  tracks:\n"
			      "    - {track: a, steps: [{content: x}], on: [{activity: pricing_page, within: 7d, goto: b/2}]}\n"
			      "    - {track: b, enter: 'false', steps: [{content: y1}, {content: y2, wait: 2d}]}\n");
	lead_in l = { { "1", "a@x.com", "inquiry", "", "", "a", "1", "active", "",
			"2026-11-30T00:00:00Z" } };
	lk_act p = { "pricing_page", 0 };
	lk_nurture_result res;

	p.at = ts("2026-11-10T00:00:00Z");
	ck_assert_int_eq(move(n, &l, &p, NULL, 1, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_track"), "a");
	ck_assert_str_eq(col(n, "next_touch_at"), "2026-11-30T00:00:00Z");
	/* 11-17: within 7d; b/2 waits 2d from the visit: 11-19, due. */
	p.at = ts("2026-11-17T00:00:00Z");
	ck_assert_int_eq(move(n, &l, &p, NULL, 1, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_track"), "b");
	ck_assert_str_eq(col(n, "nurture_step"), "2");
	ck_assert_str_eq(col(n, "next_touch_at"), "2026-11-19T00:00:00Z");
	ck_assert_str_eq(col(n, "next_content"), "y2");
	ck_assert_str_eq(col(n, "nurture_reason"), "pricing_page: goto b/2");
	ck_assert_int_eq(res.due, 1);
	done(n);
}
END_TEST

START_TEST(test_unknown_track)
{
	lk_nurture *n = bound("nurture:\n  tracks: [{track: a, steps: [{content: x}]}]\n");
	lead_in gone = { { "1", "", "", "", "", "zzz", "4", "active", "2026-01-01", "2026-01-02" } };
	lead_in past = { { "2", "", "", "", "", "a", "9", "active", "2026-01-01T00:00:00Z" } };
	lead_in junk = { { "3", "", "", "", "", "a", "two", "active" } };
	lk_nurture_result res;

	ck_assert_int_eq(move(n, &gone, NULL, NULL, 0, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_int_eq(res.unknown, 1);
	ck_assert_str_eq(col(n, "nurture_track"), "zzz");
	ck_assert_str_eq(col(n, "nurture_step"), "4");
	ck_assert_str_eq(col(n, "last_touch_at"), "2026-01-01");
	ck_assert_str_eq(col(n, "next_touch_at"), "2026-01-02");
	ck_assert_str_eq(col(n, "nurture_reason"), "track 'zzz' is not in the model");
	ck_assert_int_eq(move(n, &past, NULL, NULL, 0, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_state"), "exhausted");
	ck_assert_str_eq(col(n, "nurture_step"), "1");
	ck_assert_str_eq(col(n, "nurture_reason"), "step 9 is past the end of a (1 step)");
	ck_assert_int_eq(move(n, &junk, NULL, NULL, 0, "2026-11-20T00:00:00Z", &res), 1);
	done(n);
}
END_TEST

/* Six activities of one lead in every one of their 720 orders give the
 * same row, and that row moved again gives itself. */
START_TEST(test_order_and_fixed_point)
{
	lk_nurture *n = bound("nurture:\n  cap: 2/7d\n  tracks:\n"
			      "    - track: a\n      steps: [{content: a1}, {content: a2, wait: 3d}, {content: a3, wait: 3d}]\n"
			      "      on: [{activity: webinar, skip: wait}, {activity: pricing, goto: b}]\n"
			      "    - track: b\n      enter: 'false'\n      steps: [{content: b1, wait: 1d}, {content: b2, wait: 5d}]\n");
	static const char *names[6] = { "email_sent", "webinar", "email_sent", "email_open",
					 "pricing", "email_sent" };
	static const char *dets[6] = { "a1", "w", "a2", "a2", "/pricing", "news" };
	static const char *times[6] = { "2026-11-01T10:00:00Z", "2026-11-02T10:00:00Z",
					"2026-11-03T10:00:00Z", "2026-11-03T11:00:00Z",
					"2026-11-10T09:00:00Z", "2026-11-15T10:00:00Z" };
	int perm[6] = { 0, 1, 2, 3, 4, 5 }, count = 0, i;
	char first[16][256], store[NH][256];
	lead_in l = { { "1", "a@x.com", "inquiry" } };
	lk_nurture_result res;
	const char *const *hn;
	int nh;

	lk_nurture_header(n, &hn, &nh);
	for (;;) {
		lk_act a[6];
		const char *d[6];
		for (i = 0; i < 6; i++) {
			a[i].activity = names[perm[i]];
			a[i].at = ts(times[perm[i]]);
			d[i] = dets[perm[i]];
		}
		ck_assert_int_eq(move(n, &l, a, d, 6, "2026-11-16T12:00:00Z", &res), 0);
		if (!count++) {
			memcpy(first, got, sizeof first);
		} else {
			for (i = 0; i < nh; i++)
				ck_assert_str_eq(got[i], first[i]);
		}
		/* next permutation (lexicographic) */
		for (i = 4; i >= 0 && perm[i] > perm[i + 1]; i--)
			;
		if (i < 0)
			break;
		{
			int j = 5, k, t;
			while (perm[j] < perm[i])
				j--;
			t = perm[i], perm[i] = perm[j], perm[j] = t;
			for (j = i + 1, k = 5; j < k; j++, k--)
				t = perm[j], perm[j] = perm[k], perm[k] = t;
		}
	}
	ck_assert_int_eq(count, 720);
	/* By hand: enters a at 11-16 12:00; a1 reported 11-01 10:00 -> step 2;
	 * a2 reported 11-03 10:00 -> step 3, last touch 11-03 10:00; the
	 * pricing visit of 11-10 09:00 (after it) -> b/1, due 1d later,
	 * 11-11 09:00 (the webinar of 11-02 is before the last touch).  The
	 * cap: sends of 11-15 10:00 and 11-03 10:00... only 11-15 is within
	 * 7d of now, so the touch may go out now and keeps its due time. */
	ck_assert_str_eq(first[5], "b");
	ck_assert_str_eq(col(n, "nurture_step"), "1");
	ck_assert_str_eq(col(n, "last_touch_at"), "2026-11-03T10:00:00Z");
	ck_assert_str_eq(col(n, "next_touch_at"), "2026-11-11T09:00:00Z");
	ck_assert_str_eq(col(n, "nurture_reason"), "pricing: goto b/1");
	ck_assert_int_eq(res.advanced, 2);
	ck_assert_int_eq(res.due, 1);
	/* Moved again, the output is its own result. */
	feed(n, &l, store);
	{
		lk_act a[6];
		const char *d[6];
		for (i = 0; i < 6; i++) {
			a[i].activity = names[i];
			a[i].at = ts(times[i]);
			d[i] = dets[i];
		}
		ck_assert_int_eq(move(n, &l, a, d, 6, "2026-11-16T12:00:00Z", &res), 0);
		for (i = 0; i < nh; i++)
			ck_assert_str_eq(got[i], first[i]);
		ck_assert_int_eq(res.advanced, 0);
	}
	done(n);
}
END_TEST

START_TEST(test_suppress_and_pause)
{
	lk_nurture *n = bound("nurture:\n  suppress:\n    - {reason: spam, activity: spam_report}\n"
			      "    - {reason: do-not-email, when: 'mql == \"dne\"'}\n"
			      "  tracks: [{track: a, steps: [{content: x}, {content: y, wait: 2d}]}]\n");
	lead_in s = { { "1", "", "", "nurture", "dne", "a", "2", "active" } };
	lead_in p = { { "2", "", "", "sales", "", "a", "2", "active", "2026-11-01T00:00:00Z",
			"2026-11-03T00:00:00Z" } };
	lead_in r = { { "3", "", "", "nurture", "", "a", "2", "paused", "2026-11-01T00:00:00Z" } };
	lk_act u = { "spam_report", 0 };
	lk_nurture_result res;

	u.at = ts("2026-11-02T00:00:00Z");
	ck_assert_int_eq(move(n, &s, NULL, NULL, 0, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_state"), "exited");
	ck_assert_str_eq(col(n, "nurture_reason"), "do-not-email");
	ck_assert_str_eq(col(n, "next_touch_at"), "");
	ck_assert_int_eq(move(n, &p, &u, NULL, 1, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_reason"), "spam");
	ck_assert_int_eq(move(n, &p, NULL, NULL, 0, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_state"), "paused");
	ck_assert_str_eq(col(n, "nurture_reason"), "routed to sales");
	ck_assert_str_eq(col(n, "last_touch_at"), "2026-11-01T00:00:00Z");
	ck_assert_str_eq(col(n, "next_touch_at"), "");
	/* Back from sales: step 2 is due its 2d after the last touch. */
	ck_assert_int_eq(move(n, &r, NULL, NULL, 0, "2026-11-20T00:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_state"), "active");
	ck_assert_str_eq(col(n, "next_touch_at"), "2026-11-03T00:00:00Z");
	ck_assert_str_eq(col(n, "nurture_reason"), "resumed");
	done(n);
}
END_TEST

/*
 * The built-in exits: the consent columns and activities, customers and
 * open deals, before the model's own suppression, which still works.
 * Leads in the header HC; the model's track a has an email step, a call
 * step and an email step; b takes anyone, again and again.
 */
static const char *const HC[] = { "lead_id", "email", "stage", "email_opt_out", "do_not_call",
				  "email_bounced", "nurture_track", "nurture_step",
				  "nurture_state", "last_touch_at", "next_touch_at",
				  "nurture_reason" };
enum { NHC = 12 };

static const char builtin_model[] =
	"nurture:\n"
	"  suppress:\n"
	"    - {reason: spam, activity: spam_report}\n"
	"  tracks:\n"
	"    - track: a\n"
	"      steps:\n"
	"        - {content: x}\n"
	"        - {content: c1, channel: call, wait: 1d}\n"
	"        - {content: y, wait: 2d}\n"
	"      on: [{activity: pricing_page, goto: b}]\n"
	"    - {track: b, reentry: always, steps: [{content: z}]}\n";

static lk_nurture *bound_c(const char *text)
{
	lk_err e;
	char buf[1024];
	lk_nurture *n = load(text, &e);

	if (!n)
		ck_abort_msg("%s", lk_err_str(&e, buf, sizeof buf));
	ck_assert_int_eq(lk_nurture_bind(n, HC, NHC, &e), 0);
	return n;
}

/* Move lead v (HC's fields) and check its state and reason; it is never due. */
static void exits(lk_nurture *n, const char *const *v, const lk_act *acts, int nacts,
		  const char *state, const char *why)
{
	lk_nurture_result res;

	ck_assert_int_eq(move_n(n, NHC, v, acts, NULL, nacts, "2026-11-20T10:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_state"), state);
	ck_assert_str_eq(col(n, "nurture_reason"), why);
	ck_assert_str_eq(col(n, "next_touch_at"), "");
	ck_assert_str_eq(col(n, "next_content"), "");
	ck_assert_int_eq(res.due, 0);
}

START_TEST(test_builtin_consent)
{
	lk_nurture *n = bound_c(builtin_model);
	/* Each is in a, step 1 due since the 1st: without consent it would be sent. */
#define DUE_A "a", "1", "active", "", "2026-11-01T00:00:00Z", "entered a"
	const char *ok[] = { "1", "a@x.com", "inquiry", "false", "", "false", DUE_A };
	const char *opt[] = { "2", "b@x.com", "inquiry", "true", "", "", DUE_A };
	const char *crm[] = { "3", "c@x.com", "inquiry", "Yes", "", "", DUE_A };
	const char *odd[] = { "4", "d@x.com", "inquiry", "maybe", "", "", DUE_A };
	const char *bnc[] = { "5", "e@x.com", "inquiry", "", "", "true", DUE_A };
	const char *both[] = { "6", "f@x.com", "won", "true", "", "true", DUE_A };
	const char *never[] = { "7", "g@x.com", "inquiry", "true", "", "", "", "", "", "", "", "" };
	lk_act unsub = { "unsubscribe", 0 }, bounce = { "email_bounced", 0 };
	lk_act spam = { "spam_report", 0 }, price = { "pricing_page", 0 };
	lk_act two[2];
	lk_nurture_result res;

	unsub.at = ts("2026-11-05T00:00:00Z");
	bounce.at = ts("2026-11-06T00:00:00Z");
	spam.at = ts("2026-11-07T00:00:00Z");
	price.at = ts("2026-11-19T00:00:00Z");

	/* Consent given: due. */
	ck_assert_int_eq(move_n(n, NHC, ok, NULL, NULL, 0, "2026-11-20T10:00:00Z", &res), 0);
	ck_assert_int_eq(res.due, 1);
	ck_assert_str_eq(col(n, "next_content"), "x");

	exits(n, opt, NULL, 0, "exited", "opted out: email_opt_out");
	exits(n, crm, NULL, 0, "exited", "opted out: email_opt_out");
	exits(n, odd, NULL, 0, "exited",
	      "opted out: email_opt_out is 'maybe' (not understood: taken as true)");
	exits(n, bnc, NULL, 0, "exited", "bounced: email_bounced");
	ck_assert_int_eq(move_n(n, NHC, bnc, NULL, NULL, 0, "2026-11-20T10:00:00Z", &res), 0);
	ck_assert_int_eq(res.builtin, LK_NX_BOUNCED);
	ck_assert_int_eq(move_n(n, NHC, opt, NULL, NULL, 0, "2026-11-20T10:00:00Z", &res), 0);
	ck_assert_int_eq(res.builtin, LK_NX_OPTED_OUT);
	/* Opted out first, then bounced, then customer. */
	exits(n, both, NULL, 0, "exited", "opted out: email_opt_out");
	/* Never in a track: exited all the same, with the reason. */
	exits(n, never, NULL, 0, "exited", "opted out: email_opt_out");
	/* Opted out with a trigger that would move it: it does not. */
	exits(n, opt, &price, 1, "exited", "opted out: email_opt_out");
	ck_assert_str_eq(col(n, "nurture_track"), "a");

	/* The activities, after the step became due (the 1st). */
	exits(n, ok, &unsub, 1, "exited", "opted out: unsubscribe activity");
	exits(n, ok, &bounce, 1, "exited", "bounced: email_bounced activity");
	/* The model's own suppression still works, after the built-in. */
	exits(n, ok, &spam, 1, "exited", "spam");
	two[0] = spam;
	two[1] = unsub;
	exits(n, ok, two, 2, "exited", "opted out: unsubscribe activity");
	/* Opted out (by an activity) before bounced (by the column). */
	exits(n, bnc, &unsub, 1, "exited", "opted out: unsubscribe activity");
	done(n);
#undef DUE_A
}
END_TEST

/* Running again on the output of an exit changes nothing; a lead that
 * may re-enter any time does not while opted out. */
START_TEST(test_builtin_idempotent_and_reentry)
{
	lk_nurture *n = bound_c(builtin_model);
	const char *b[] = { "1", "a@x.com", "inquiry", "", "", "", "b", "1", "exhausted",
			    "2026-11-01T00:00:00Z", "", "all 1 steps of b done" };
	const char *bo[NHC];
	char keep[NHC][256];
	lk_act unsub = { "unsubscribe", 0 }, price = { "pricing_page", 0 };
	lk_nurture_result res;
	int i;

	unsub.at = ts("2026-11-19T00:00:00Z");
	price.at = ts("2026-11-19T12:00:00Z");
	/* Without the unsubscribe, it re-enters (a first: the first track). */
	ck_assert_int_eq(move_n(n, NHC, b, &price, NULL, 1, "2026-11-20T10:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_state"), "active");
	ck_assert_int_eq(res.due, 1);
	/* With it, never. */
	exits(n, b, (lk_act[]){ unsub, price }, 2, "exited", "opted out: unsubscribe activity");
	ck_assert_str_eq(col(n, "last_touch_at"), "2026-11-01T00:00:00Z");
	for (i = 0; i < NHC; i++) {
		snprintf(keep[i], sizeof keep[i], "%s", col(n, HC[i]));
		bo[i] = keep[i];
	}
	exits(n, bo, (lk_act[]){ unsub, price }, 2, "exited", "opted out: unsubscribe activity");
	for (i = 0; i < NHC; i++)
		ck_assert_str_eq(col(n, HC[i]), keep[i]);
	done(n);
}
END_TEST

/* do_not_call: a call step is skipped, never due; email steps go on. */
START_TEST(test_builtin_do_not_call)
{
	lk_nurture *n = bound_c(builtin_model);
	/* Pending the call step, due on the 2nd. */
	const char *call[] = { "1", "a@x.com", "inquiry", "", "Yes", "", "a", "2", "active",
			       "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", "step 1 (x) sent" };
	const char *fine[] = { "2", "b@x.com", "inquiry", "", "false", "", "a", "2", "active",
			       "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", "step 1 (x) sent" };
	/* x reported sent on the 1st: the next step for a DNC lead is y. */
	const char *fresh[] = { "3", "c@x.com", "inquiry", "true", "", "", "", "", "", "", "", "" };
	lk_act sent = { "email_sent", 0 };
	const char *det[] = { "x" };
	lk_nurture_result res;

	sent.at = ts("2026-11-01T00:00:00Z");
	ck_assert_int_eq(move_n(n, NHC, call, NULL, NULL, 0, "2026-11-20T10:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_state"), "active");
	ck_assert_str_eq(col(n, "nurture_step"), "3");
	ck_assert_str_eq(col(n, "next_content"), "y");
	ck_assert_str_eq(col(n, "next_channel"), "email");
	ck_assert_str_eq(col(n, "nurture_reason"), "step 2 (call) skipped: do_not_call");
	/* y waits 2d after the last touch (the 1st): due on the 3rd. */
	ck_assert_str_eq(col(n, "next_touch_at"), "2026-11-03T00:00:00Z");
	ck_assert_int_eq(res.due, 1);
	ck_assert_int_eq(move_n(n, NHC, fine, NULL, NULL, 0, "2026-11-20T10:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "next_channel"), "call");
	ck_assert_int_eq(res.due, 1);
	/* Entering, then x reported: settles past the call step. */
	fresh[3] = "";
	fresh[4] = "1";
	ck_assert_int_eq(move_n(n, NHC, fresh, &sent, det, 1, "2026-11-20T10:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_step"), "3");
	ck_assert_str_eq(col(n, "next_channel"), "email");
	done(n);
}
END_TEST

/* Customers and open deals leave by default; lost leads are nurtured;
 * the model may keep customers, pause open deals or move deal_stage. */
START_TEST(test_builtin_deals)
{
	lk_nurture *n = bound_c(builtin_model);
	const char *won[] = { "1", "", "Closed Won", "", "", "", "a", "1", "active", "", "", "" };
	const char *opp[] = { "2", "", "opportunity", "", "", "", "a", "1", "active", "", "", "" };
	const char *sql[] = { "3", "", "sql", "", "", "", "", "", "", "", "", "" };
	const char *lost[] = { "4", "", "Closed Lost", "", "", "", "", "", "", "", "", "" };
	lk_nurture_result res;

	exits(n, won, NULL, 0, "exited", "customer: stage won");
	ck_assert_int_eq(move_n(n, NHC, won, NULL, NULL, 0, "2026-11-20T10:00:00Z", &res), 0);
	ck_assert_int_eq(res.builtin, LK_NX_CUSTOMER);
	exits(n, opp, NULL, 0, "exited", "open deal: stage opportunity");
	ck_assert_int_eq(move_n(n, NHC, opp, NULL, NULL, 0, "2026-11-20T10:00:00Z", &res), 0);
	ck_assert_int_eq(res.builtin, LK_NX_OPEN_DEAL);
	ck_assert_str_eq(lk_nurture_builtins[res.builtin], "open_deal");
	ck_assert_int_eq(move_n(n, NHC, sql, NULL, NULL, 0, "2026-11-20T10:00:00Z", &res), 0);
	ck_assert_int_eq(res.builtin, LK_NX_NONE);
	ck_assert_str_eq(col(n, "nurture_state"), "active");
	ck_assert_int_eq(move_n(n, NHC, lost, NULL, NULL, 0, "2026-11-20T10:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_state"), "active");
	ck_assert_str_eq(col(n, "nurture_reason"), "entered a");
	done(n);

	n = bound_c("nurture:\n  customers: keep\n  open_deals: pause\n  deal_stage: sql\n"
		    "  tracks:\n    - track: a\n      steps: [{content: x}]\n");
	ck_assert_int_eq(move_n(n, NHC, won, NULL, NULL, 0, "2026-11-20T10:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_state"), "active");
	ck_assert_int_eq(res.due, 1);
	/* Paused where it was, with the reason. */
	ck_assert_int_eq(move_n(n, NHC, opp, NULL, NULL, 0, "2026-11-20T10:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_state"), "paused");
	ck_assert_str_eq(col(n, "nurture_reason"), "open deal: stage opportunity");
	ck_assert_int_eq(res.due, 0);
	/* sql is a deal stage now; a lead in no track stays out of them. */
	ck_assert_int_eq(move_n(n, NHC, sql, NULL, NULL, 0, "2026-11-20T10:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_state"), "");
	ck_assert_str_eq(col(n, "nurture_reason"), "");
	ck_assert_int_eq(res.due, 0);
	/* Consent wins over keep. */
	won[3] = "true";
	exits(n, won, NULL, 0, "exited", "opted out: email_opt_out");
	done(n);

	n = bound_c("nurture:\n  deal_stage: none\n  tracks: [{track: a, steps: [{content: x}]}]\n");
	ck_assert_int_eq(move_n(n, NHC, opp, NULL, NULL, 0, "2026-11-20T10:00:00Z", &res), 0);
	ck_assert_str_eq(col(n, "nurture_state"), "active");
	done(n);
}
END_TEST

Suite *lk_suite_nurture(void)
{
	Suite *s = suite_create("nurture");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_bad_model, 0, (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(tc, test_cap);
	tcase_add_loop_test(tc, test_cap_forms, 0, (int)(sizeof cap_forms / sizeof cap_forms[0]));
	tcase_add_test(tc, test_quiet_hours);
	tcase_add_test(tc, test_stage_mapping);
	tcase_add_test(tc, test_reentry);
	tcase_add_test(tc, test_triggers);
	tcase_add_test(tc, test_unknown_track);
	tcase_add_test(tc, test_order_and_fixed_point);
	tcase_add_test(tc, test_suppress_and_pause);
	tcase_add_test(tc, test_builtin_consent);
	tcase_add_test(tc, test_builtin_idempotent_and_reentry);
	tcase_add_test(tc, test_builtin_do_not_call);
	tcase_add_test(tc, test_builtin_deals);
	suite_add_tcase(s, tc);
	return s;
}
