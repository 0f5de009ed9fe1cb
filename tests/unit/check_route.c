/* Unit tests for lib/route: errors of the routing section at their
 * file:line:col (columns counted by hand, 1-based), the working calendar
 * (every expected instant worked out in a comment from the calendar and
 * the zone's UTC offset), the assignment methods, sticky owners, caps,
 * away reps and recycling. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "route/route.h"

static lk_model *model;

static lk_route *load(const char *text, lk_err *e)
{
	lk_err_clear(e);
	model = lk_model_load_mem("m.yaml", text, strlen(text), e);
	if (!model)
		return NULL;
	return lk_route_new(model, e);
}

static void done(lk_route *r)
{
	lk_route_free(r);
	lk_model_free(model);
	model = NULL;
}

static int64_t ts(const char *s)
{
	lk_time t;

	ck_assert_int_eq(lk_date_parse(s, strlen(s), LK_DATE_AUTO, &t), 0);
	return t.secs;
}

static const char *fmt(int64_t t)
{
	static char buf[40];

	return t < 0 ? "none" : lk_date_format_full(t, buf);
}

static const char *const H[] = { "lead_id", "email", "stage", "owner", "route",
				 "recycle_count", "mql" };

static const struct { const char *text, *want; } bad[] = {
	{ "routing:\n  rules:\n    - {rule: a, route: sales, pool: enterprize}\n"
	  "  pools:\n    enterprise: {reps: [alice]}\n",
	  "m.yaml:3:37: unknown pool 'enterprize' (did you mean 'enterprise'?); pools are: "
	  "enterprise" },
	{ "routing:\n  rules:\n    - {rule: a, route: sales, pool: x}\n",
	  "m.yaml:3:37: unknown pool 'x': routing has no 'pools'" },
	{ "routing:\n  rules: [{rule: a, route: hold}]\n  pools:\n"
	  "    enterprise: {reps: [alice, bob, alice]}\n",
	  "m.yaml:4:37: duplicate rep 'alice' in pool 'enterprise' (first at line 4)" },
	{ "routing:\n  calendar: {tz: America/New_Yrok}\n  rules: [{rule: a, route: hold}]\n",
	  "m.yaml:2:18: unknown time zone 'America/New_Yrok' (not in the system tz database; "
	  "names look like America/New_York, Europe/Berlin, UTC)" },
	{ "routing:\n  calendar: {hours: 17:00-09:00}\n  rules: [{rule: a, route: hold}]\n",
	  "m.yaml:2:21: 'hours' must be a range such as \"09:00-17:00\" that ends after it "
	  "starts, not '17:00-09:00'" },
	{ "routing:\n  calendar: {days: mon-fry}\n  rules: [{rule: a, route: hold}]\n",
	  "m.yaml:2:20: 'days' must name weekdays such as mon-fri or [mon, wed, fri], not "
	  "'mon-fry'" },
	{ "routing:\n  calendar: {holidays: [2026-12-25, 2026-13-01]}\n"
	  "  rules: [{rule: a, route: hold}]\n",
	  "m.yaml:2:37: a holiday must be a date such as 2026-12-25, not '2026-13-01'" },
	{ "routing:\n  calendar: {timezone: UTC}\n  rules: [{rule: a, route: hold}]\n",
	  "m.yaml:2:14: unknown key 'timezone' in calendar (known keys: tz, days, hours, "
	  "holidays)" },
	{ "routing:\n  rules: [{rule: a, route: hold}]\n  pools:\n"
	  "    p: {method: round-robin, reps: [a]}\n",
	  "m.yaml:4:17: unknown method 'round-robin' (did you mean 'round_robin'?); methods "
	  "are: round_robin, weighted, capacity, hash, account" },
	{ "routing:\n  rules:\n    - {rule: a, route: hold, reasign: true}\n",
	  "m.yaml:3:30: unknown key 'reasign' in routing rule (did you mean 'reassign'?)" },
	{ "routing:\n  rules:\n    - {rule: a, route: sale}\n",
	  "m.yaml:3:24: unknown route 'sale' (did you mean 'sales'?); routes are: sales, "
	  "nurture, recycle, disqualify, hold" },
	{ "routing:\n  rules:\n    - {rule: a, route: hold}\n    - {rule: a, route: sales}\n",
	  "m.yaml:4:14: duplicate rule name 'a' (first at line 3)" },
	/* "    p: {method: capacity, reps: [{id: a, cap: 5/day}, b]}": b at 55. */
	{ "routing:\n  rules: [{rule: a, route: hold}]\n  pools:\n"
	  "    p: {method: capacity, reps: [{id: a, cap: 5/day}, b]}\n",
	  "m.yaml:4:55: rep 'b' needs a cap: pool 'p' uses method capacity" },
	/* "    p: {reps: [{id: a, cap: 5/month}]}": the cap value at 29. */
	{ "routing:\n  rules: [{rule: a, route: hold}]\n  pools:\n"
	  "    p: {reps: [{id: a, cap: 5/month}]}\n",
	  "m.yaml:4:29: 'cap' must be a number of leads per day or week, such as 20/day or "
	  "80/week, not '5/month'" },
	/* A cap of another period than a day or a week: the value at 29. */
	{ "routing:\n  rules: [{rule: a, route: hold}]\n  pools:\n"
	  "    p: {reps: [{id: a, cap: 5/3d}]}\n",
	  "m.yaml:4:29: 'cap' counts leads per calendar day or per week (Monday to Sunday), so "
	  "its period must be a day or a week, such as 20/day, 20/24h, 80/week or 80/7d, not "
	  "'5/3d'" },
	{ "routing:\n  rules: [{rule: a, route: hold}]\n  pools:\n"
	  "    p: {reps: [{id: a, cap: 1000000001/day}]}\n",
	  "m.yaml:4:29: 'cap' must be a number of leads per day or week, such as 20/day or "
	  "80/week, not '1000000001/day'" },
	{ "routing:\n  rules: [{rule: a, route: hold}]\n  pools:\n    p: {reps: []}\n",
	  "m.yaml:4:15: pool 'p' has no reps" },
	{ "routing:\n  pools: {}\n", "m.yaml:2:3: routing has no 'rules'" },
	{ "stages: [{id: inquiry}]\n", "m.yaml: no 'routing' section in the model" },
};

START_TEST(test_bad_model)
{
	lk_err e;
	char buf[1024];
	lk_route *r = load(bad[_i].text, &e);

	if (r)
		ck_abort_msg("accepted: %s", bad[_i].text);
	ck_assert_str_eq(lk_err_str(&e, buf, sizeof buf), bad[_i].want);
	ck_assert_int_eq(e.kind, LK_EMODEL);
	done(r);
}
END_TEST

START_TEST(test_unknown_column)
{
	lk_err e;
	char buf[1024];
	/* "    - {rule: hot, when: 'scroe > 50', route: sales}": when at 25. */
	lk_route *r = load("routing:\n  rules:\n    - {rule: hot, when: 'scroe > 50', route: sales}\n",
			   &e);
	static const char *const cols[] = { "lead_id", "score" };

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(lk_route_bind(r, cols, 2, &e), -1);
	ck_assert_int_eq(e.kind, LK_EMODEL);
	ck_assert_str_eq(lk_err_str(&e, buf, sizeof buf),
			 "m.yaml:3:25: routing rule 'hot': when: expression: col 1: unknown column "
			 "'scroe' (did you mean 'score'?); columns are: lead_id, score");
	done(r);
}
END_TEST

START_TEST(test_catchall_warning)
{
	lk_err e;
	int n;
	const char *const *w;
	lk_route *r = load("routing:\n  rules:\n    - {rule: all, route: nurture}\n"
			   "    - {rule: hot, when: mql, route: sales}\n"
			   "    - {rule: back, route: nurture, max_recycles: 1}\n", &e);

	ck_assert_ptr_nonnull(r);
	w = lk_route_warnings(r, &n);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(w[0], "m.yaml:4:7: rule 'hot' can never match: rule 'all' (line 3) "
			 "matches every lead");
	ck_assert_str_eq(w[1], "m.yaml:5:7: rule 'back' can never match: rule 'all' (line 3) "
			 "matches every lead");
	done(r);
	/* A recycling rule without when is no catch-all. */
	r = load("routing:\n  rules:\n    - {rule: back, route: nurture, max_recycles: 1}\n"
		 "    - {rule: all, route: nurture}\n", &e);
	ck_assert_ptr_nonnull(r);
	lk_route_warnings(r, &n);
	ck_assert_int_eq(n, 0);
	done(r);
}
END_TEST

/* ---- the calendar ---- */

static const char NY[] =
	"routing:\n"
	"  calendar: {tz: America/New_York, days: mon-fri, hours: \"09:00-17:00\",\n"
	"             holidays: [2026-11-26]}\n"
	"  rules: [{rule: a, route: hold, sla: 1d}]\n";

/*
 * 2026-01-01 is a Thursday, so 2026-11-20 (day 324 of the year, 323
 * days later, 323 = 46 * 7 + 1) is a Friday.  New York is on EST (UTC-5)
 * from 2026-11-01 (first Sunday of November), and on EDT (UTC-4) from
 * 2026-03-08 (second Sunday of March; March 1 is a Sunday).
 */
static const struct { const char *start; double hours; const char *due; } sla[] = {
	/* Fri 16:00 EST + 4h: 1h on Friday, 3h on Monday -> Mon 12:00 EST. */
	{ "2026-11-20T21:00:00Z", 4, "2026-11-23T17:00:00Z" },
	/* Over the DST change: Fri 2026-03-06 16:00 EST (21:00Z) + 4h ->
	 * Mon 2026-03-09 12:00 EDT = 16:00Z. */
	{ "2026-03-06T21:00:00Z", 4, "2026-03-09T16:00:00Z" },
	/* Wed 2026-11-25 15:00 EST + 8h: 2h Wed, Thursday is a holiday,
	 * 6h Fri -> Fri 15:00 EST = 20:00Z. */
	{ "2026-11-25T20:00:00Z", 8, "2026-11-27T20:00:00Z" },
	/* Before hours: Mon 07:30 EST + 1h starts at 09:00 -> 10:00 EST. */
	{ "2026-11-23T12:30:00Z", 1, "2026-11-23T15:00:00Z" },
	/* Ending exactly at closing time stays on the day: Mon 16:00 + 1h. */
	{ "2026-11-23T21:00:00Z", 1, "2026-11-23T22:00:00Z" },
	/* Saturday: Mon 09:00 + 30m = 09:30 EST = 14:30Z. */
	{ "2026-11-21T10:00:00Z", 0.5, "2026-11-23T14:30:00Z" },
	/* After hours on Monday (18:00 EST): Tue 09:00 + 2h = 11:00 EST. */
	{ "2026-11-23T23:00:00Z", 2, "2026-11-24T16:00:00Z" },
	/* 40h is five working days: Mon 09:00 -> Fri 17:00 EST, with
	 * Thanksgiving Thursday 2026-11-26 off -> Mon 2026-11-30 17:00 EST. */
	{ "2026-11-23T14:00:00Z", 40, "2026-11-30T22:00:00Z" },
};

START_TEST(test_sla)
{
	lk_err e;
	lk_route *r = load(NY, &e);
	const lk_calendar *c;

	ck_assert_ptr_nonnull(r);
	c = lk_route_calendar(r);
	ck_assert_str_eq(fmt(lk_calendar_add(c, ts(sla[_i].start), sla[_i].hours * 3600)),
			 sla[_i].due);
	done(r);
}
END_TEST

START_TEST(test_sla_units)
{
	lk_err e;
	lk_route *r = load(NY, &e);
	const lk_route_rule *ru;
	int n;
	lk_calendar utc = { .days = 0x7f, .start = 0, .end = 24 * 60 };

	ck_assert_ptr_nonnull(r);
	ru = lk_route_rules(r, &n);
	/* 1d is one working day of 09:00-17:00: 8 hours. */
	ck_assert(ru[0].sla == 8 * 3600);
	done(r);
	/* Without a calendar the clock runs 24x7 in UTC. */
	ck_assert_str_eq(fmt(lk_calendar_add(&utc, ts("2026-11-21T10:00:00Z"), 4 * 3600)),
			 "2026-11-21T14:00:00Z");
	/* A working week in a 4-day calendar of 10-hour days is 40 hours. */
	r = load("routing:\n  calendar: {days: [mon, tue, thu, fri], hours: 08:00-18:00}\n"
		 "  rules: [{rule: a, route: hold, sla: 1w}]\n", &e);
	ck_assert_ptr_nonnull(r);
	ru = lk_route_rules(r, &n);
	ck_assert(ru[0].sla == 40 * 3600);
	/* Wed 2026-11-25 12:00 UTC is a day off: Thu 08:00 + 3h = 11:00. */
	ck_assert_str_eq(fmt(lk_calendar_add(lk_route_calendar(r), ts("2026-11-25T12:00:00Z"),
					     3 * 3600)), "2026-11-26T11:00:00Z");
	done(r);
}
END_TEST

/* ---- assignment ---- */

/* Route n leads with ids L1..Ln (owner empty) and return the owners,
 * comma-separated, "-" for a lead held. */
static const char *owners(const char *text, int n, const char *now)
{
	static char out[512];
	lk_err e;
	lk_route *r = load(text, &e);
	lk_exprenv env = { .now = ts(now) };
	char id[16];
	char *f[7];
	size_t len[7];
	lk_row row = { .n = 7, .f = f, .len = len };
	lk_row *o;
	lk_route_result res;
	int i, k;

	if (!r)
		ck_abort_msg("model: %s", e.msg);
	ck_assert_int_eq(lk_route_bind(r, H, 7, &e), 0);
	out[0] = 0;
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "L%d", i + 1);
		for (k = 0; k < 7; k++)
			f[k] = (char *)"";
		f[0] = id;
		for (k = 0; k < 7; k++)
			len[k] = strlen(f[k]);
		ck_assert_int_eq(lk_route_row(r, &row, &env, &o, &res), 0);
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? "," : "",
			 res.route == LK_ROUTE_HOLD ? "-" : res.owner);
	}
	done(r);
	return out;
}

/* Every cap form routing takes, and whether it counts per week. */
static const struct { const char *cap; long n; int week; } cap_forms[] = {
	{ "20/day", 20, 0 }, { "20/d", 20, 0 }, { "20", 20, 0 }, { "20/1d", 20, 0 },
	{ "20/24h", 20, 0 }, { "0/day", 0, 0 }, { "80/week", 80, 1 }, { "80/w", 80, 1 },
	{ "80/wk", 80, 1 }, { "80/7d", 80, 1 }, { "80/168h", 80, 1 }, { "80 / week", 80, 1 },
};

START_TEST(test_cap_forms)
{
	char text[256];
	const lk_pool *p;
	int np;
	lk_err e;
	lk_route *r;

	snprintf(text, sizeof text, "routing:\n  rules: [{rule: a, route: hold}]\n"
		 "  pools:\n    p: {reps: [{id: a, cap: \"%s\"}]}\n", cap_forms[_i].cap);
	if (!(r = load(text, &e)))
		ck_abort_msg("cap '%s': %s", cap_forms[_i].cap, e.msg);
	p = lk_route_pools(r, &np);
	ck_assert_int_eq(p[0].reps[0].cap, cap_forms[_i].n);
	ck_assert_int_eq(p[0].reps[0].cap_week, cap_forms[_i].week);
	done(r);
}
END_TEST

START_TEST(test_methods)
{
	/* Smooth weighted round robin, weights 2 and 1: credits (a, b)
	 * (2,1) -> a, (-1,1); (1,2) -> b, (1,-1); (3,0) -> a, (0,0); and again. */
	ck_assert_str_eq(owners("routing:\n  rules: [{rule: s, route: sales, pool: p}]\n"
				"  pools:\n    p: {method: weighted, reps: [{id: a, weight: 2}, b]}\n",
				6, "2026-11-20T12:00:00Z"), "a,b,a,a,b,a");
	/* nginx's example for weights 5, 1, 1: a a b a c a a. */
	ck_assert_str_eq(owners("routing:\n  rules: [{rule: s, route: sales, pool: p}]\n"
				"  pools:\n    p: {method: weighted, reps: [{id: a, weight: 5}, b, c]}\n",
				7, "2026-11-20T12:00:00Z"), "a,a,b,a,c,a,a");
	/* Round robin, b away that day: a, c, a, c. */
	ck_assert_str_eq(owners("routing:\n  rules: [{rule: s, route: sales, pool: p}]\n"
				"  pools:\n    p: {reps: [a, {id: b, away: [{from: 2026-11-20, "
				"to: 2026-11-27}]}, c]}\n",
				4, "2026-11-20T12:00:00Z"), "a,c,a,c");
	/* The day after the away range b is back in turn, with no catch-up. */
	ck_assert_str_eq(owners("routing:\n  rules: [{rule: s, route: sales, pool: p}]\n"
				"  pools:\n    p: {reps: [a, {id: b, away: [{from: 2026-11-20, "
				"to: 2026-11-27}]}, c]}\n",
				4, "2026-11-28T12:00:00Z"), "a,b,c,a");
	/* A cap of 1/day: a once, then b. */
	ck_assert_str_eq(owners("routing:\n  rules: [{rule: s, route: sales, pool: p}]\n"
				"  pools:\n    p: {reps: [{id: a, cap: 1/day}, b]}\n",
				4, "2026-11-20T12:00:00Z"), "a,b,b,b");
	/* The same cap written as a bare number, as 1/24h and as 1/1d. */
	ck_assert_str_eq(owners("routing:\n  rules: [{rule: s, route: sales, pool: p}]\n"
				"  pools:\n    p: {reps: [{id: a, cap: 1}, b]}\n",
				4, "2026-11-20T12:00:00Z"), "a,b,b,b");
	ck_assert_str_eq(owners("routing:\n  rules: [{rule: s, route: sales, pool: p}]\n"
				"  pools:\n    p: {reps: [{id: a, cap: 1/24h}, {id: b, cap: 2/1d}]}\n",
				4, "2026-11-20T12:00:00Z"), "a,b,b,-");
	/* Capacity, caps 3 and 1: left (3,1) -> a, (2,1) -> a, (1,1) tie ->
	 * a, (0,1) -> b, (0,0) -> hold. */
	ck_assert_str_eq(owners("routing:\n  rules: [{rule: s, route: sales, pool: p}]\n"
				"  pools:\n    p: {method: capacity, reps: [{id: a, cap: 3/day}, "
				"{id: b, cap: 1/week}]}\n",
				5, "2026-11-20T12:00:00Z"), "a,a,a,b,-");
	/* Hash: FNV-1a 64 of "L1".."L4" mod 3 is 2, 1, 0, 1 (computed with a
	 * separate Python FNV-1a): c, b, a, b. */
	ck_assert_str_eq(owners("routing:\n  rules: [{rule: s, route: sales, pool: p}]\n"
				"  pools:\n    p: {method: hash, reps: [a, b, c]}\n",
				4, "2026-11-20T12:00:00Z"), "c,b,a,b");
	/* With b away, L2 and L4 go to the next rep: c. */
	ck_assert_str_eq(owners("routing:\n  rules: [{rule: s, route: sales, pool: p}]\n"
				"  pools:\n    p: {method: hash, reps: [a, {id: b, away: "
				"[{from: 2026-11-20, to: 2026-11-20}]}, c]}\n",
				4, "2026-11-20T12:00:00Z"), "c,c,a,c");
	/* Everyone away: held. */
	ck_assert_str_eq(owners("routing:\n  rules: [{rule: s, route: sales, pool: p}]\n"
				"  pools:\n    p: {reps: [{id: a, away: [{from: 2026-11-01, "
				"to: 2026-11-30}]}]}\n",
				2, "2026-11-20T12:00:00Z"), "-,-");
}
END_TEST

/* One row through a model; the output row's fields joined with '|'. */
static const char *route1(const char *text, const char *const *vals, const char *now)
{
	static char out[1024];
	lk_err e;
	lk_route *r = load(text, &e);
	lk_exprenv env = { .now = ts(now) };
	size_t len[7];
	lk_row row = { .n = 7, .f = (char **)vals, .len = len };
	lk_row *o;
	int i;

	if (!r)
		ck_abort_msg("model: %s", e.msg);
	ck_assert_int_eq(lk_route_bind(r, H, 7, &e), 0);
	for (i = 0; i < 7; i++)
		len[i] = strlen(vals[i]);
	ck_assert_int_eq(lk_route_row(r, &row, &env, &o, NULL), 0);
	out[0] = 0;
	for (i = 7; i < o->n; i++)
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i > 7 ? "|" : "",
			 o->f[i]);
	/* owner is updated in place (input column 3), route too (4). */
	snprintf(out + strlen(out), sizeof out - strlen(out), " owner=%s route=%s count=%s",
		 o->f[3], o->f[4], o->f[5]);
	done(r);
	return out;
}

static const char M[] =
	"routing:\n"
	"  calendar: {tz: America/New_York, days: mon-fri, hours: \"09:00-17:00\"}\n"
	"  rules:\n"
	"    - {rule: junk, when: 'empty(email)', route: disqualify}\n"
	"    - {rule: back, route: nurture, track: recycle, max_recycles: 2}\n"
	"    - {rule: hot, when: mql, route: sales, pool: ae, sla: 4h}\n"
	"    - {rule: move, when: 'lead_id == \"M1\"', route: sales, pool: ae, sla: 4h,\n"
	"       reassign: true}\n"
	"  pools:\n"
	"    ae: {reps: [alice, bob]}\n";

START_TEST(test_rows)
{
	/* Columns appended: route_rule, route_reason, queue, assigned_at,
	 * sla_due_at (owner, route, recycle_count are in H).  Fri 16:00 EST
	 * + 4h business = Mon 12:00 EST (see test_sla). */
	const char *hot[] = { "L1", "a@x.com", "mql", "", "", "", "yes" };
	const char *kept[] = { "L2", "a@x.com", "mql", "zed", "", "", "yes" };
	const char *move[] = { "M1", "a@x.com", "mql", "zed", "", "", "no" };
	const char *junk[] = { "L3", "", "mql", "", "", "", "yes" };
	const char *none[] = { "L4", "a@x.com", "mql", "", "", "", "no" };
	const char *rec1[] = { "L5", "a@x.com", "Recycled", "bob", "sales", "1", "no" };
	const char *rec2[] = { "L6", "a@x.com", "recycled", "bob", "", "2", "no" };
	const char *again[] = { "L7", "a@x.com", "Recycled", "bob", "nurture", "2", "no" };
	const char *now = "2026-11-20T21:00:00Z";

	ck_assert_str_eq(route1(M, hot, now),
			 "hot|matched: mql; round_robin in ae: alice|ae|2026-11-20T21:00:00Z|"
			 "2026-11-23T17:00:00Z owner=alice route=sales count=0");
	ck_assert_str_eq(route1(M, kept, now),
			 "hot|matched: mql; kept owner zed|ae|2026-11-20T21:00:00Z|"
			 "2026-11-23T17:00:00Z owner=zed route=sales count=0");
	ck_assert_str_eq(route1(M, move, now),
			 "move|matched: lead_id == \"M1\"; round_robin in ae: alice|ae|"
			 "2026-11-20T21:00:00Z|2026-11-23T17:00:00Z owner=alice route=sales count=0");
	ck_assert_str_eq(route1(M, junk, now),
			 "junk|matched: empty(email)|disqualify|| owner= route=disqualify count=0");
	ck_assert_str_eq(route1(M, none, now),
			 "|no rule matched|hold|| owner= route=hold count=0");
	/* Back from sales for the second time: 1 + 1 = 2, not past 2. */
	ck_assert_str_eq(route1(M, rec1, now),
			 "back|stage or status is recycled; recycle 2 of 2; track recycle|nurture|| "
			 "owner=bob "
			 "route=nurture count=2");
	/* Never routed, already recycled twice: the third is past 2. */
	ck_assert_str_eq(route1(M, rec2, now),
			 "back|stage or status is recycled; recycled 3 times, more than "
			 "max_recycles 2|disqualify|| owner=bob route=disqualify count=3");
	/* lead-route's own output again (route nurture): not counted twice. */
	ck_assert_str_eq(route1(M, again, now),
			 "back|stage or status is recycled; recycle 2 of 2; track recycle|nurture|| "
			 "owner=bob "
			 "route=nurture count=2");
}
END_TEST

/* ---- the ledger and the accounts table ---- */

/* Route lead `id` (email as given) with r; the owner ("-" when held). */
static const char *owner_of(lk_route *r, const char *id, const char *email, const char *now,
			    const char **reason)
{
	static char out[64];
	const char *vals[] = { id, email, "", "", "", "", "no" };
	size_t len[7];
	lk_row row = { .n = 7, .f = (char **)vals, .len = len };
	lk_exprenv env = { .now = ts(now) };
	lk_route_result res;
	lk_row *o;
	int i;

	for (i = 0; i < 7; i++)
		len[i] = strlen(vals[i]);
	ck_assert_int_eq(lk_route_row(r, &row, &env, &o, &res), 0);
	if (reason)
		*reason = o->f[8];	/* route_reason, the second appended column */
	snprintf(out, sizeof out, "%s", res.route == LK_ROUTE_HOLD ? "-" : res.owner);
	return out;
}

static lk_route *with_state(const char *text, const char *path, const char *now)
{
	lk_err e;
	lk_route *r = load(text, &e);

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(lk_route_bind(r, H, 7, &e), 0);
	if (lk_route_state_load(r, path, ts(now), &e) < 0)
		ck_abort_msg("state: %s", e.msg);
	return r;
}

START_TEST(test_state)
{
	/* Round robin a, b; a may take 2 a day. */
	static const char text[] = "routing:\n  rules: [{rule: s, route: sales, pool: p}]\n"
				   "  pools:\n    p: {reps: [{id: a, cap: 2/day}, b]}\n";
	char path[] = "/tmp/lk-route-stateXXXXXX", buf[1024];
	const char *why;
	lk_route *r;
	lk_err e;
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	close(fd);	/* empty: a first run */
	r = with_state(text, path, "2026-11-18T10:00:00Z");
	ck_assert_str_eq(owner_of(r, "L1", "", "2026-11-18T10:00:00Z", NULL), "a");
	ck_assert_str_eq(owner_of(r, "L2", "", "2026-11-18T10:00:00Z", NULL), "b");
	ck_assert_str_eq(owner_of(r, "", "Jo@X.com", "2026-11-18T10:00:00Z", NULL), "a");
	ck_assert_int_eq(lk_route_state_save(r, path, &e), 0);
	lk_route_free(r);
	lk_model_free(model);
	/* Same day: L2 again keeps b and counts once; jo@x.com (the key is
	 * the email lower-cased) keeps a although a has 2 today; L4 goes
	 * to b (round robin moved past a), L5 to b (a is at its cap). */
	r = with_state(text, path, "2026-11-18T12:00:00Z");
	ck_assert_str_eq(owner_of(r, "L2", "", "2026-11-18T12:00:00Z", &why), "b");
	ck_assert_ptr_nonnull(strstr(why, "assigned before, counted once"));
	ck_assert_str_eq(owner_of(r, "", "jo@x.com ", "2026-11-18T12:00:00Z", NULL), "a");
	ck_assert_str_eq(owner_of(r, "L4", "", "2026-11-18T12:00:00Z", NULL), "b");
	ck_assert_str_eq(owner_of(r, "L5", "", "2026-11-18T12:00:00Z", &why), "b");
	ck_assert_ptr_nonnull(strstr(why, "skipped a at cap"));
	ck_assert_int_eq(lk_route_state_save(r, path, &e), 0);
	lk_route_free(r);
	lk_model_free(model);
	/* The next day a's cap is free again: L6 a (round robin's turn). */
	r = with_state(text, path, "2026-11-19T09:00:00Z");
	ck_assert_str_eq(owner_of(r, "L6", "", "2026-11-19T09:00:00Z", NULL), "a");
	lk_route_free(r);
	lk_model_free(model);
	/* A damaged file: LK_EMODEL at its line, and left alone. */
	f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	fputs("lead,p,zz,2026-11-18,L9\n", f);
	fclose(f);
	r = load(text, &e);
	ck_assert_int_eq(lk_route_state_load(r, path, ts("2026-11-18T12:00:00Z"), &e), -1);
	ck_assert_int_eq(e.kind, LK_EMODEL);
	ck_assert_ptr_nonnull(strstr(lk_err_str(&e, buf, sizeof buf),
				     "written for another model: rep 'zz' of pool 'p'"));
	done(r);
	unlink(path);
}
END_TEST

START_TEST(test_accounts)
{
	static const char text[] = "routing:\n  rules: [{rule: s, route: sales, pool: k}]\n"
				   "  pools:\n    k: {method: account, reps: [fb]}\n";
	char path[] = "/tmp/lk-route-acctXXXXXX";
	lk_route *r;
	lk_err e;
	int fd = mkstemp(path);
	static const char csv[] = "owner,website,company\n"
				  "Dana,http://WWW.Acme.com/,\"The Acme Co., Ltd.\"\n"
				  "Eve,example.co.uk,\n";

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, csv, sizeof csv - 1), (int)(sizeof csv - 1));
	close(fd);
	r = load(text, &e);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(lk_route_bind(r, H, 7, &e), 0);
	ck_assert_int_eq(lk_route_accounts_load(r, path, &e), 0);
	ck_assert_str_eq(owner_of(r, "L1", "x@acme.com", "2026-11-18T10:00:00Z", NULL), "Dana");
	ck_assert_str_eq(owner_of(r, "L2", "x@mail.eu.ACME.com", "2026-11-18T10:00:00Z", NULL),
			 "Dana");
	ck_assert_str_eq(owner_of(r, "L3", "x@sales.example.co.uk", "2026-11-18T10:00:00Z", NULL),
			 "Eve");
	/* Not a parent domain, only a lookalike: the fallback. */
	ck_assert_str_eq(owner_of(r, "L4", "x@notacme.com", "2026-11-18T10:00:00Z", NULL), "fb");
	done(r);
	unlink(path);
}
END_TEST

Suite *lk_suite_route(void)
{
	Suite *s = suite_create("route");
	TCase *tc = tcase_create("route");

	tcase_add_loop_test(tc, test_bad_model, 0, (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(tc, test_unknown_column);
	tcase_add_test(tc, test_catchall_warning);
	tcase_add_loop_test(tc, test_sla, 0, (int)(sizeof sla / sizeof sla[0]));
	tcase_add_test(tc, test_sla_units);
	tcase_add_loop_test(tc, test_cap_forms, 0, (int)(sizeof cap_forms / sizeof cap_forms[0]));
	tcase_add_test(tc, test_methods);
	tcase_add_test(tc, test_rows);
	tcase_add_test(tc, test_state);
	tcase_add_test(tc, test_accounts);
	suite_add_tcase(s, tc);
	return s;
}
