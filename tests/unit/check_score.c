/* Unit tests for lib/score and lib/activity: every error of the scoring
 * section at its file:line:col (positions counted by hand, 1-based), the
 * binding of rules to a header, and the arithmetic of fit, decay, window,
 * cap, grades and mql, with each expected value worked out in a comment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "score/activity.h"
#include "score/score.h"

#define DAY 86400
#define NOW 1795000000LL	/* any fixed instant; ages are counted from it */

static const char *const H[] = { "lead_id", "email", "title", "employees" };

static lk_model *model;

static lk_score *load(const char *text, lk_err *e)
{
	lk_score *s;

	lk_err_clear(e);
	model = lk_model_load_mem("m.yaml", text, strlen(text), e);
	if (!model)
		return NULL;
	s = lk_score_new(model, e);
	return s;
}

static void done(lk_score *s)
{
	lk_score_free(s);
	lk_model_free(model);
	model = NULL;
}

/* The model must fail to load (or bind to H) with exactly `want`. */
static void fails(const char *text, const char *want)
{
	lk_err e;
	char buf[1024];
	lk_score *s = load(text, &e);

	if (s && lk_score_bind(s, H, 4, 0, &e) == 0)
		ck_abort_msg("accepted: %s", text);
	ck_assert_str_eq(lk_err_str(&e, buf, sizeof buf), want);
	ck_assert_int_eq(e.kind, LK_EMODEL);
	done(s);
}

static const struct { const char *text, *want; } bad[] = {
	{ "detours: []\n", "m.yaml: no 'scoring' section in the model" },
	{ "scoring:\n  fit: []\n  grade: {A: 1}\n  mql: 'true'\n",
	  "m.yaml:3:3: unknown key 'grade' in scoring (did you mean 'grades'?)" },
	{ "scoring:\n  fit:\n    - {rule: a, when: 'true', pionts: 3}\n  mql: 'true'\n",
	  "m.yaml:3:31: unknown key 'pionts' in fit rule (did you mean 'points'?)" },
	{ "scoring:\n  fit:\n    - {rule: a, when: 'true', points: 3}\n"
	  "    - {rule: a, when: 'false', points: 1}\n  mql: 'true'\n",
	  "m.yaml:4:14: duplicate rule name 'a' (first at line 3)" },
	{ "scoring:\n  fit:\n    - {rule: a, when: 'true', points: 3}\n  engagement:\n"
	  "    - {rule: a, activity: x, points: 1}\n  mql: 'true'\n",
	  "m.yaml:5:14: duplicate rule name 'a' (first at line 3)" },
	{ "scoring:\n  fit:\n    - {rule: a, when: 'true', points: many}\n  mql: 'true'\n",
	  "m.yaml:3:39: 'points' must be a number, not 'many'" },
	{ "scoring:\n  fit:\n    - {rule: 'a;b', when: 'true', points: 1}\n  mql: 'true'\n",
	  "m.yaml:3:14: rule name 'a;b' may only hold letters, digits, '_', '-' and '.'" },
	{ "scoring:\n  engagement:\n    - {rule: w, activity: x, points: 1, half_life: 30 days ago}\n"
	  "  mql: 'true'\n",
	  "m.yaml:3:52: 'half_life' must be a duration such as 30d, 4h or 90m, not '30 days ago'" },
	{ "scoring:\n  engagement:\n    - {rule: w, activity: x, points: 1, cap: -5}\n"
	  "  mql: 'true'\n",
	  "m.yaml:3:46: 'cap' must be a number of points from 0 up" },
	{ "scoring:\n  engagement:\n    - {rule: w, points: 1}\n  mql: 'true'\n",
	  "m.yaml:3:7: missing key 'activity'" },
	{ "scoring:\n  engagement:\n    - {rule: w, activity: '', points: 1}\n  mql: 'true'\n",
	  "m.yaml:3:27: 'activity' has a blank activity name: the rule would never fire" },
	{ "scoring:\n  engagement:\n    - {rule: w, activity: [demo, ' '], points: 1}\n"
	  "  mql: 'true'\n",
	  "m.yaml:3:34: 'activity' has a blank activity name: the rule would never fire" },
	{ "scoring:\n  engagement:\n    - rule: w\n      activity:\n        - demo\n        - \"\"\n"
	  "      points: 1\n  mql: 'true'\n",
	  "m.yaml:6:11: 'activity' has a blank activity name: the rule would never fire" },
	{ "scoring:\n  fit: {rule: a}\n  mql: 'true'\n",
	  "m.yaml:2:8: scoring 'fit' must be a list, not a mapping" },
	{ "scoring:\n  grades: {A: 10, B: 20}\n  mql: 'true'\n",
	  "m.yaml:2:22: grade B needs a lower fit threshold than grade A" },
	{ "scoring:\n  grades: {A: 10, C: 5}\n  mql: 'true'\n",
	  "m.yaml:2:11: grades must be A, B, C, ... without gaps, each with a fit threshold" },
	{ "scoring:\n  fit: []\n", "m.yaml:2:3: missing key 'mql'" },
	/* Binding: a rule naming a column the input lacks names the rule. */
	{ "scoring:\n  fit:\n    - {rule: big, when: 'employes > 100', points: 5}\n  mql: 'true'\n",
	  NULL },
	{ "scoring:\n  mql: 'mql or score > 1'\n",
	  "m.yaml:2:8: mql: the expression cannot use 'mql', which lead-score computes from it" },
};

START_TEST(refuses_bad_scoring)
{
	if (bad[_i].want) {
		fails(bad[_i].text, bad[_i].want);
	} else {
		lk_err e;
		lk_score *s = load(bad[_i].text, &e);
		ck_assert_ptr_nonnull(s);
		ck_assert_int_eq(lk_score_bind(s, H, 4, 0, &e), -1);
		ck_assert_int_eq(e.kind, LK_EMODEL);
		ck_assert_int_eq(e.line, 3);
		ck_assert_msg(strstr(e.msg, "fit rule 'big': when:") == e.msg, "%s", e.msg);
		ck_assert_msg(strstr(e.msg, "employes") != NULL, "%s", e.msg);
		ck_assert_msg(strstr(e.msg, "employees") != NULL, "%s", e.msg);
		done(s);
	}
}
END_TEST

/* Comparing `stage` with a literal that is no stage id or alias of the
 * model is an error at the expression; ids, aliases (loosely matched, as
 * lk_model_stage does), "" and other columns are fine. */
START_TEST(refuses_unknown_stages)
{
	static const char *const hs[] = { "lead_id", "stage", "status" };
	static const struct { const char *text, *want; } t[] = {
		/* Line 3: "    - {rule: a, when: '" is 23 characters, so the
		 * value starts at col 23; in the expression, "mqll" (with its
		 * quote) starts after `stage == `: col 10. */
		{ "scoring:\n  fit:\n    - {rule: a, when: 'stage == \"mqll\"', points: 1}\n"
		  "  mql: 'true'\n",
		  "m.yaml:3:23: fit rule 'a': when: expression: col 10: unknown stage 'mqll' "
		  "(did you mean 'mql'?); stages are: inquiry, mql, sal, sql, opportunity, won, "
		  "recycled, disqualified, lost" },
		/* `stage in ["sal", "oportunity"]`: the second item at col 18 (its quote);
		 * "  mql: '" puts the value at 2:8. */
		{ "scoring:\n  mql: 'stage in [\"sal\", \"oportunity\"]'\n",
		  "m.yaml:2:8: mql: expression: col 18: unknown stage 'oportunity' "
		  "(did you mean 'opportunity'?); stages are: inquiry, mql, sal, sql, opportunity, "
		  "won, recycled, disqualified, lost" },
		/* The literal on the left, nothing close: no hint. */
		{ "scoring:\n  mql: '\"zzzzzz\" != stage'\n",
		  "m.yaml:2:8: mql: expression: col 1: unknown stage 'zzzzzz'; stages are: "
		  "inquiry, mql, sal, sql, opportunity, won, recycled, disqualified, lost" },
		/* Known: an id, an alias in another case, empty, and a status. */
		{ "scoring:\n  fit:\n    - {rule: a, when: 'stage == \"won\" or stage == "
		  "\"Customer\" or stage == \"\" or status == \"mqll\"', points: 1}\n"
		  "  mql: 'stage not in [\"Marketing Qualified Lead\"]'\n", NULL },
	};
	char buf[1024];
	int i;

	for (i = 0; i < (int)(sizeof t / sizeof t[0]); i++) {
		lk_err e;
		lk_score *s = load(t[i].text, &e);
		int rc;
		ck_assert_msg(s != NULL, "%s", e.msg);
		rc = lk_score_bind(s, hs, 3, 0, &e);
		if (t[i].want) {
			ck_assert_int_eq(rc, -1);
			ck_assert_int_eq(e.kind, LK_EMODEL);
			ck_assert_str_eq(lk_err_str(&e, buf, sizeof buf), t[i].want);
		} else {
			ck_assert_msg(rc == 0, "%s", e.msg);
		}
		done(s);
	}
}
END_TEST

START_TEST(formats_tenths)
{
	lk_buf b = LK_BUF_INIT;

	lk_score_fmt(&b, 200, 0, 0);
	lk_buf_addc(&b, ' ');
	lk_score_fmt(&b, -96, 1, 1);
	lk_buf_addc(&b, ' ');
	lk_score_fmt(&b, 200, 1, 1);
	lk_buf_addc(&b, ' ');
	lk_score_fmt(&b, 0, 0, 0);
	lk_buf_addc(&b, ' ');
	lk_score_fmt(&b, -5, 0, 0);
	ck_assert_str_eq(b.data, "20.0 -9.6 +20 0.0 -0.5");
	lk_buf_free(&b);
}
END_TEST

static const char M[] =
	"scoring:\n"
	"  fit:\n"
	"    - {rule: senior, when: 'title ~* \"\\\\b(vp|chief|director)\\\\b\"', points: 20}\n"
	"    - {rule: student, when: 'title ~* \"student|intern\"', points: -30}\n"
	"    - {rule: big, when: 'employees >= 1000', points: 15.55}\n"
	"  engagement:\n"
	"    - {rule: webinar, activity: webinar, points: 12, half_life: 30d, window: 90d, cap: 20}\n"
	"    - {rule: pricing, activity: [pricing, demo], points: 10}\n"
	"  grades: {A: 40, B: 25, C: 10}\n"
	"  mql: 'score >= 30 and grade in [\"A\", \"B\"]'\n";

static lk_row *run(lk_score *s, const char *title, const char *emp, const lk_act *a,
		   int na, lk_score_result *res)
{
	static char *f[4];
	static lk_row in;
	lk_exprenv env = { 0 };
	lk_row *out;

	f[0] = "1";
	f[1] = "a@x.com";
	f[2] = (char *)title;
	f[3] = (char *)emp;
	in.n = 4;
	in.f = f;
	in.len = NULL;
	env.now = NOW;
	ck_assert_int_eq(lk_score_row(s, &in, a, na, &env, &out, res), 0);
	return out;
}

START_TEST(fit_grade_mql)
{
	lk_err e;
	lk_score *s = load(M, &e);
	lk_score_result r;
	lk_row *o;

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(lk_score_bind(s, H, 4, 1, &e), 0);
	/* senior 20 + big 15.55 -> 15.6 (half away from zero) = 35.6: grade B
	 * (35.6 >= 25, < 40), mql: 35.6 >= 30 and B. */
	o = run(s, "VP Sales", "5000", NULL, 0, &r);
	ck_assert_int_eq(r.fit, 356);
	ck_assert_int_eq(r.score, 356);
	ck_assert_str_eq(r.grade, "B");
	ck_assert_int_eq(r.mql, 1);
	ck_assert_int_eq(o->n, 10);
	ck_assert_str_eq(o->f[4], "35.6");
	ck_assert_str_eq(o->f[5], "35.6");
	ck_assert_str_eq(o->f[6], "0.0");
	ck_assert_str_eq(o->f[7], "B");
	ck_assert_str_eq(o->f[8], "yes");
	ck_assert_str_eq(o->f[9], "senior:+20;big:+15.6");
	/* student -30, employees "n/a" is no number: big does not match. */
	o = run(s, "Marketing Intern", "n/a", NULL, 0, &r);
	ck_assert_int_eq(r.score, -300);
	ck_assert_str_eq(o->f[7], "D");
	ck_assert_str_eq(o->f[8], "no");
	ck_assert_str_eq(o->f[9], "student:-30");
	/* Nothing: 0.0, grade D, empty reasons. */
	o = run(s, "Engineer", "", NULL, 0, &r);
	ck_assert_str_eq(o->f[4], "0.0");
	ck_assert_str_eq(o->f[7], "D");
	ck_assert_str_eq(o->f[9], "");
	done(s);
}
END_TEST

START_TEST(engagement_decay_window_cap)
{
	lk_err e;
	lk_score *s = load(M, &e);
	lk_score_result r;
	lk_row *o;
	/* webinar 10 days old: 12 * 0.5^(10/30) = 12 * 0.793700... = 9.5244 -> 9.5
	 * webinar 30 days old: 12 * 0.5 = 6.0
	 * webinar 60 days old: 12 * 0.25 = 3.0; sum 18.5, under the cap of 20
	 * webinar 91 days old: outside the 90d window, ignored
	 * pricing today: 10 (no half_life: no decay); demo 400 days: 10 (no window)
	 * unrelated activity: nothing */
	lk_act a[] = {
		{ "webinar", NOW - 10 * DAY }, { "webinar", NOW - 30 * DAY },
		{ "webinar", NOW - 60 * DAY }, { "webinar", NOW - 91 * DAY },
		{ "pricing", NOW }, { "demo", NOW - 400 * DAY }, { "email_open", NOW },
	};

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(lk_score_bind(s, H, 4, 1, &e), 0);
	/* engagement 18.5 + 20 = 38.5; fit senior 20: score 58.5, grade C
	 * (20 < 25), so no mql although the score is over 30. */
	o = run(s, "Director", "", a, 7, &r);
	ck_assert_int_eq(r.engagement, 385);
	ck_assert_int_eq(r.score, 585);
	ck_assert_str_eq(o->f[4], "58.5");
	ck_assert_str_eq(o->f[6], "38.5");
	ck_assert_str_eq(o->f[7], "C");
	ck_assert_str_eq(o->f[8], "no");
	ck_assert_str_eq(o->f[9], "senior:+20;webinar(10d):+9.5;webinar(30d):+6;webinar(60d):+3;"
			 "pricing(0d):+10;pricing(400d):+10");
	/* Cap: four fresh webinars would give 48; the rule gives 20, and the
	 * reasons say so: 4 * 12 - 28 = 20. */
	{
		lk_act c[] = { { "webinar", NOW }, { "webinar", NOW }, { "webinar", NOW },
				     { "webinar", NOW } };
		o = run(s, "Engineer", "", c, 4, &r);
		ck_assert_int_eq(r.engagement, 200);
		ck_assert_str_eq(o->f[9], "webinar(0d):+12;webinar(0d):+12;webinar(0d):+12;"
				 "webinar(0d):+12;webinar(cap):-28");
	}
	done(s);
}
END_TEST

START_TEST(ledger_entries)
{
	lk_err e;
	lk_score *s = load(M, &e);
	lk_score_result r;
	const lk_score_entry *en;
	lk_writer *w;
	FILE *tmp = tmpfile();
	char text[1024];
	size_t got;
	long sum = 0;
	int n, i;
	/* Fit: senior 20.  Engagement: webinar 15 days old, 12 * 0.5^(15/30) =
	 * 12 * 0.707107 = 8.485 -> 8.5; two fresh webinars 12 each: 32.5 is over
	 * the cap of 20, so a cap entry of -12.5; demo half a day old: 10
	 * (no decay, factor 1).  Score 20 + 20 + 10 = 50. */
	lk_act a[] = {
		{ "webinar", NOW - 15 * DAY }, { "webinar", NOW }, { "webinar", NOW },
		{ "demo", NOW - DAY / 2 },
	};

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(lk_score_bind(s, H, 4, 0, &e), 0);
	run(s, "VP", "", a, 4, &r);
	en = lk_score_entries(s, &n);
	ck_assert_int_eq(n, 0);		/* not kept unless asked */
	lk_score_keep_entries(s, 1);
	run(s, "VP", "", a, 4, &r);
	en = lk_score_entries(s, &n);
	ck_assert_int_eq(n, 6);
	ck_assert_int_eq(en[0].kind, LK_ENTRY_FIT);
	ck_assert_str_eq(en[0].rule->name, "senior");
	ck_assert_int_eq(en[0].points, 200);
	ck_assert_int_eq(en[1].kind, LK_ENTRY_ENGAGEMENT);
	ck_assert_str_eq(en[1].activity, "webinar");
	ck_assert_double_eq_tol(en[1].age, 15, 1e-9);
	ck_assert_double_eq_tol(en[1].factor, 0.70710678, 1e-8);
	ck_assert_int_eq(en[1].points, 85);
	ck_assert_int_eq(en[4].kind, LK_ENTRY_CAP);
	ck_assert_int_eq(en[4].points, -125);
	ck_assert_str_eq(en[5].rule->name, "pricing");
	ck_assert_double_eq(en[5].factor, 1);
	for (i = 0; i < n; i++)
		sum += en[i].points;
	ck_assert_int_eq(sum, 500);
	ck_assert_int_eq(r.score, 500);

	/* As CSV, keyed by lead_id (run() gives "1"); NOW is
	 * 2026-11-18T11:06:40Z (date -u -d @1795000000), so 15 days before is
	 * 2026-11-03T11:06:40Z and half a day before 2026-11-17T23:06:40Z. */
	w = lk_writer_new(fileno(tmp), ',', 0);
	ck_assert_int_eq(lk_writer_row(w, lk_ledger_columns, NULL, LK_LEDGER_NCOLS, &e), 0);
	{
		static char *f[] = { "1", "a@x.com", "VP", "" };
		lk_row in = { .n = 4, .f = f };
		ck_assert_int_eq(lk_score_ledger(s, &in, w, &e), 0);
		f[0] = "";	/* no lead_id: the email is the key */
		ck_assert_int_eq(lk_score_ledger(s, &in, w, &e), 0);
	}
	ck_assert_int_eq(lk_writer_flush(w, &e), 0);
	lk_writer_free(w);
	rewind(tmp);
	got = fread(text, 1, sizeof text - 1, tmp);
	text[got] = 0;
	ck_assert_str_eq(text,
		"lead_id,rule,kind,activity,occurred_at,age_days,factor,points\n"
		"1,senior,fit,,,,1,20.0\n"
		"1,webinar,engagement,webinar,2026-11-03T11:06:40Z,15,0.707107,8.5\n"
		"1,webinar,engagement,webinar,2026-11-18T11:06:40Z,0,1,12.0\n"
		"1,webinar,engagement,webinar,2026-11-18T11:06:40Z,0,1,12.0\n"
		"1,webinar,cap,,,,,-12.5\n"
		"1,pricing,engagement,demo,2026-11-17T23:06:40Z,0.5,1,10.0\n"
		"a@x.com,senior,fit,,,,1,20.0\n"
		"a@x.com,webinar,engagement,webinar,2026-11-03T11:06:40Z,15,0.707107,8.5\n"
		"a@x.com,webinar,engagement,webinar,2026-11-18T11:06:40Z,0,1,12.0\n"
		"a@x.com,webinar,engagement,webinar,2026-11-18T11:06:40Z,0,1,12.0\n"
		"a@x.com,webinar,cap,,,,,-12.5\n"
		"a@x.com,pricing,engagement,demo,2026-11-17T23:06:40Z,0.5,1,10.0\n");
	fclose(tmp);
	done(s);
}
END_TEST

START_TEST(baseline_columns_and_flips)
{
	static const char B[] =
		"scoring:\n"
		"  fit:\n"
		"    - {rule: any-title, when: 'not empty(title)', points: 5}\n"
		"  engagement:\n"
		"    - {rule: demo, activity: demo, points: 40}\n"
		"  mql: 'score >= 40'\n";
	lk_err e;
	lk_score *s = load(M, &e);
	lk_model *bm = lk_model_load_mem("b.yaml", B, strlen(B), &e);
	lk_score *b = bm ? lk_score_new(bm, &e) : NULL;
	const char *const *names;
	lk_score_result r;
	lk_row *o;
	long up, down;
	int n;
	lk_act demo = { "demo", NOW };

	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(b);
	lk_score_set_baseline(s, b);
	ck_assert_int_eq(lk_score_bind(s, H, 4, 1, &e), 0);
	lk_score_header(s, &names, &n);
	ck_assert_int_eq(n, 12);
	ck_assert_str_eq(names[9], "score_reasons");
	ck_assert_str_eq(names[10], "baseline_score");
	ck_assert_str_eq(names[11], "baseline_mql");
	/* VP at 5000: M gives 20 + 15.55 -> 15.6 = 35.6, B, mql yes (>= 30);
	 * B gives 5 (a title): no.  A flip no -> yes. */
	o = run(s, "VP Sales", "5000", NULL, 0, &r);
	ck_assert_str_eq(o->f[8], "yes");
	ck_assert_str_eq(o->f[10], "5.0");
	ck_assert_str_eq(o->f[11], "no");
	ck_assert_int_eq(r.base_score, 50);
	ck_assert_int_eq(r.base_mql, 0);
	/* An engineer with a demo today: M gives pricing 10, D: no; B gives
	 * 5 + 40 = 45: yes.  A flip yes -> no. */
	o = run(s, "Engineer", "", &demo, 1, &r);
	ck_assert_str_eq(o->f[4], "10.0");
	ck_assert_str_eq(o->f[8], "no");
	ck_assert_str_eq(o->f[10], "45.0");
	ck_assert_str_eq(o->f[11], "yes");
	/* No title: M 0, B 0: no flip. */
	o = run(s, "", "", NULL, 0, &r);
	ck_assert_str_eq(o->f[10], "0.0");
	lk_score_flips(s, &up, &down);
	ck_assert_int_eq(up, 1);
	ck_assert_int_eq(down, 1);
	done(s);
	lk_score_free(b);
	lk_model_free(bm);
}
END_TEST

/* Write `text` to dir/name; the path in a static buffer. */
static const char *put(const char *dir, const char *name, const char *text)
{
	static char path[128];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

/* A scorer loaded from its file owns the model, and a baseline loaded
 * from its file is kept with it: freeing the scorer frees all four.  A
 * baseline that cannot be loaded leaves the scorer as it was. */
START_TEST(loads_model_and_baseline)
{
	char dir[64];
	lk_err e;
	lk_score *s;
	lk_row *o;
	lk_score_result r;
	long up, down;

	lk_unit_mkdir(dir);
	s = lk_score_load(put(dir, "m.yaml", M), &e);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(strstr(lk_score_model(s)->path, "/m.yaml"));
	ck_assert_int_eq(lk_score_load_baseline(s, put(dir, "none.yaml", "detours: []\n"), &e), -1);
	ck_assert_int_eq(e.kind, LK_EMODEL);
	ck_assert_ptr_nonnull(strstr(e.msg, "no 'scoring' section"));
	ck_assert_int_eq(lk_score_load_baseline(s, put(dir, "b.yaml", "scoring:\n  mql: 'true'\n"),
						&e), 0);
	ck_assert_int_eq(lk_score_bind(s, H, 4, 0, &e), 0);
	o = run(s, "VP", "", NULL, 0, &r);	/* 20 points: no MQL; the baseline says yes */
	ck_assert_str_eq(o->f[8], "no");
	lk_score_flips(s, &up, &down);
	ck_assert_int_eq(up, 0);
	ck_assert_int_eq(down, 1);
	lk_score_free(s);
	ck_assert_ptr_null(lk_score_load(put(dir, "x.yaml", "scoring:\n  fit: [\n"), &e));
	ck_assert_int_eq(e.kind, LK_EMODEL);
	lk_unit_rmdir(dir);
}
END_TEST

START_TEST(updates_columns_in_place)
{
	static const char *const h2[] = { "lead_id", "score", "title", "grade", "employees", "email" };
	static char *f[] = { "7", "99.0", "Chief of Staff", "A", "", "" };
	lk_row in = { .n = 6, .f = f };
	lk_exprenv env = { 0 };
	const char *const *names;
	lk_err e;
	lk_score *s = load(M, &e);
	lk_row *o;
	int n;

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(lk_score_bind(s, h2, 6, 0, &e), 0);
	lk_score_header(s, &names, &n);
	/* score and grade stay where they are; fit, engagement, mql appended. */
	ck_assert_int_eq(n, 9);
	ck_assert_str_eq(names[6], "fit");
	ck_assert_str_eq(names[7], "engagement");
	ck_assert_str_eq(names[8], "mql");
	ck_assert_int_eq(lk_score_row(s, &in, NULL, 0, &env, &o, NULL), 0);
	/* The old 99.0 and A are replaced: senior 20 -> C; mql sees the new 20. */
	ck_assert_str_eq(o->f[1], "20.0");
	ck_assert_str_eq(o->f[3], "C");
	ck_assert_str_eq(o->f[8], "no");
	done(s);
}
END_TEST

START_TEST(activities_by_id_and_email)
{
	static const char csv[] =
		"lead_id,email,activity,occurred_at,detail\n"
		"1,,webinar,2026-11-12T00:00:00Z,a\n"
		",A@X.com ,pricing,2026-11-20,b\n"
		",a@x.com,demo,2026-12-01,future\n"
		",z@x.com,demo,2026-11-01,nobody\n"
		"1,,webinar,yesterday,bad\n"
		",,webinar,2026-11-01,keyless\n";
	static const char *const lh[] = { "lead_id", "email" };
	static char *f[] = { "1", "a@x.com" };
	lk_row lead = { .n = 2, .f = f };
	lk_time now;
	lk_err e;
	lk_activities *a;
	const lk_act *v;
	const lk_activities_stats *st;
	FILE *tmp = tmpfile();
	int n;

	fputs(csv, tmp);
	fflush(tmp);
	rewind(tmp);
	ck_assert_int_eq(lk_date_parse("2026-11-22", 10, LK_DATE_AUTO, &now), 0);
	lk_err_clear(&e);
	a = lk_activities_load(fileno(tmp), "act.csv", now.secs, LK_DATE_AUTO, &e);
	ck_assert_msg(a != NULL, "%s", e.msg);
	lk_activities_bind(a, lh, 2);
	v = lk_activities_for(a, &lead, &n);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(v[0].activity, "webinar");
	ck_assert_str_eq(v[1].activity, "pricing");
	st = lk_activities_stats_get(a);
	ck_assert_int_eq(st->loaded, 3);
	ck_assert_int_eq(st->future, 1);
	ck_assert_int_eq(st->bad, 2);
	ck_assert_int_eq(st->unmatched, 1);
	ck_assert_str_eq(st->bad_example, "record 5 (line 6): unparseable date 'yesterday'");
	lk_activities_free(a);
	fclose(tmp);
}
END_TEST

/* Map the leads and activities of one file each to a tmpfile, keyed. */
static FILE *emit_keyed(const char *csv, int kind, lk_joinkey first, FILE *out)
{
	FILE *in = tmpfile();
	lk_reader *rd;
	lk_writer *w;
	lk_keyemit *k;
	lk_row *r;
	lk_err e;
	int c;

	fputs(csv, in);
	fflush(in);
	rewind(in);
	rd = lk_reader_new(fileno(in), NULL, &e);
	w = lk_writer_new(fileno(out), ',', 0);
	k = lk_keyemit_new(w, kind, first);
	ck_assert_int_eq(lk_reader_next(rd, &r, &e), 1);
	ck_assert_int_eq(lk_keyemit_header(k, r, "in.csv", &e), 0);
	while ((c = lk_reader_next(rd, &r, &e)) > 0)
		lk_keyemit_row(k, r, &e);
	ck_assert_int_eq(c, 0);
	ck_assert_int_eq(lk_writer_flush(w, &e), 0);
	lk_keyemit_free(k);
	lk_writer_free(w);
	lk_reader_free(rd);
	fclose(in);
	return out;
}

/*
 * The keyed join: the map output sorted as LC_ALL=C sort would sort it
 * (qsort with strcmp is byte order), then read back.  Lead 1 (id 1,
 * email a@x.com) is keyed by its id and gets the id-keyed activities
 * only; the email-only pricing row finds nobody (the one-key limit);
 * the future demo and the bad date are counted.
 */
static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(keyed_join)
{
	static const char acts[] =
		"lead_id,email,activity,occurred_at\n"
		"1,,webinar,2026-11-12T00:00:00Z\n"
		",A@X.com ,pricing,2026-11-20\n"
		"1,x@y,demo,2026-12-01\n"
		"1,,webinar,yesterday\n"
		"1,,pricing,2026-11-02\n"
		",,webinar,2026-11-01\n";
	static const char leads[] =
		"lead_id,email,notes\n"
		"1,a@x.com,\"two\nlines\"\n"
		",b@x.com,by email\n"
		",,no key\n";
	FILE *m = tmpfile(), *srt = tmpfile();
	char buf[4096], *lines[32];
	int n = 0, i, na;
	lk_keyjoin *j;
	lk_row *r;
	const lk_act *v;
	const lk_activities_stats *st;
	lk_time now;
	lk_err e;

	emit_keyed(acts, LK_KEY_ACT, LK_JOIN_ID, m);
	emit_keyed(leads, LK_KEY_LEAD, LK_JOIN_ID, m);
	rewind(m);
	while (n < 32 && fgets(buf, sizeof buf, m))
		lines[n++] = strdup(buf);
	/* 2 headers, 5 activities (the keyless one is not written), 3 leads */
	ck_assert_int_eq(n, 10);
	qsort(lines, (size_t)n, sizeof *lines, cmp_lines);
	ck_assert_str_eq(lines[0], "\tlead_id,email,notes\n");
	ck_assert_str_eq(lines[1], "\x1f" "1\tlead_id,email,activity,occurred_at\n");
	ck_assert_str_eq(lines[2], "\x1f" "2\t,,no key\n");
	for (i = 0; i < n; i++) {
		fputs(lines[i], srt);
		free(lines[i]);
	}
	fflush(srt);
	rewind(srt);
	ck_assert_int_eq(lk_date_parse("2026-11-22", 10, LK_DATE_AUTO, &now), 0);
	j = lk_keyjoin_new(fileno(srt), "s.tsv", ',', now.secs, LK_DATE_AUTO, &e);
	ck_assert_int_eq(lk_keyjoin_next(j, &r, &v, &na, &e), 1);
	ck_assert_int_eq(r->n, 3);
	ck_assert_str_eq(r->f[2], "notes");
	ck_assert_int_eq(na, 0);
	/* The keyless lead first (0x1f sorts below 'e' and 'i'). */
	ck_assert_int_eq(lk_keyjoin_next(j, &r, &v, &na, &e), 1);
	ck_assert_str_eq(r->f[2], "no key");
	ck_assert_int_eq(na, 0);
	ck_assert_int_eq(lk_keyjoin_next(j, &r, &v, &na, &e), 1);
	ck_assert_str_eq(r->f[1], "b@x.com");
	ck_assert_int_eq(na, 0);
	ck_assert_int_eq(lk_keyjoin_next(j, &r, &v, &na, &e), 1);
	ck_assert_str_eq(r->f[0], "1");
	ck_assert_str_eq(r->f[2], "two\nlines");
	/* By time: pricing on the 2nd, webinar on the 12th. */
	ck_assert_int_eq(na, 2);
	ck_assert_str_eq(v[0].activity, "pricing");
	ck_assert_str_eq(v[1].activity, "webinar");
	ck_assert_int_eq(lk_keyjoin_next(j, &r, &v, &na, &e), 0);
	st = lk_keyjoin_stats(j);
	ck_assert_int_eq(st->loaded, 3);
	ck_assert_int_eq(st->future, 1);
	ck_assert_int_eq(st->bad, 1);
	ck_assert_int_eq(st->unmatched, 1);
	lk_keyjoin_free(j);
	fclose(m);

	/* Out of order: the error names the line. */
	rewind(srt);
	ck_assert_int_eq(ftruncate(fileno(srt), 0), 0);
	fputs("\ta\nx\x1f" "2\t1\nb\x1f" "2\t2\n", srt);
	fflush(srt);
	rewind(srt);
	j = lk_keyjoin_new(fileno(srt), "s.tsv", ',', now.secs, LK_DATE_AUTO, &e);
	ck_assert_int_eq(lk_keyjoin_next(j, &r, &v, &na, &e), 1);
	ck_assert_int_eq(lk_keyjoin_next(j, &r, &v, &na, &e), 1);
	ck_assert_int_eq(lk_keyjoin_next(j, &r, &v, &na, &e), -1);
	ck_assert_str_eq(lk_err_str(&e, buf, sizeof buf), "s.tsv: line 3: the keys are not "
			 "sorted: sort the map output with LC_ALL=C sort first");
	lk_keyjoin_free(j);
	fclose(srt);
}
END_TEST

Suite *lk_suite_score(void)
{
	Suite *s = suite_create("score");
	TCase *tc = tcase_create("score");

	tcase_add_loop_test(tc, refuses_bad_scoring, 0, (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(tc, refuses_unknown_stages);
	tcase_add_test(tc, formats_tenths);
	tcase_add_test(tc, fit_grade_mql);
	tcase_add_test(tc, engagement_decay_window_cap);
	tcase_add_test(tc, ledger_entries);
	tcase_add_test(tc, baseline_columns_and_flips);
	tcase_add_test(tc, loads_model_and_baseline);
	tcase_add_test(tc, updates_columns_in_place);
	tcase_add_test(tc, activities_by_id_and_email);
	tcase_add_test(tc, keyed_join);
	suite_add_tcase(s, tc);
	return s;
}
