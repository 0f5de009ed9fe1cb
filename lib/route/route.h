/*
 * route.h - lead routing: rules, pools of reps, business-hours SLAs and
 * recycling, from the `routing:` section of the model.
 *
 *   routing:
 *     calendar: {tz: America/New_York, days: mon-fri, hours: "09:00-17:00",
 *                holidays: [2026-12-25, 2027-01-01]}
 *     rules:                          # first match wins
 *       - {rule: junk, when: 'empty(email)', route: disqualify}
 *       - {rule: hot, when: 'mql', route: sales, pool: enterprise, sla: 4h}
 *       - {rule: back, route: nurture, track: recycle, max_recycles: 3}
 *       - {rule: default, route: nurture}
 *     pools:
 *       enterprise:
 *         method: weighted            # round_robin | weighted | capacity | hash
 *         reps:
 *           - {id: alice, weight: 2, cap: 20/day}
 *           - {id: bob, away: [{from: 2026-11-23, to: 2026-11-27}]}
 *
 * Rules.  Each rule has a name (`rule`), a `route` (sales, nurture,
 * recycle, disqualify, hold) and optionally: `when` (an expression of the
 * shared language, see expr.h; without it the rule matches every lead),
 * `pool` (the pool whose reps receive the lead), `sla` (a duration,
 * counted in the calendar's working time), `reassign` (true: replace an
 * existing owner), `track` (a nurture track: named in route_reason as
 * "; track NAME" when the lead goes to nurture, for people and for
 * lead-nurture's enter expressions) and `max_recycles`.
 * The first rule whose `when` is true routes the lead; a lead no rule
 * matches goes to hold with the reason "no rule matched".  A rule after
 * one without `when` can never match: a warning (lk_route_warnings).
 *
 * Recycling.  A rule with `max_recycles` is a recycling rule.  Without
 * `when` it matches the leads whose stage or status column means the
 * model's `recycled` stage (any alias); it is then not a catch-all.  A
 * matched lead that comes back from sales (its input `route` is sales,
 * or empty or absent: never routed) has its recycle_count raised by one;
 * past max_recycles it is disqualified with the reason "recycled N
 * times, more than max_recycles M".  Re-routing lead-route's own output
 * (route nurture) therefore counts nothing twice.
 *
 * Assignment.  With a `pool`, a lead that already has an owner keeps it
 * (sticky) unless the rule says reassign: true; otherwise the pool's
 * method picks a rep among those available: not away on the day of
 * `now` (dates in the calendar's zone, both ends included) and under
 * their cap (cap.h: N/day or N/week, also written N, N/1d, N/7d;
 * counted over this run's assignments).
 *   round_robin  the next available rep after the last one given a lead
 *   weighted     smooth weighted round robin (nginx's): each available
 *                rep's credit grows by its weight, the rep with the most
 *                credit (first on ties) gets the lead and loses the sum
 *                of the weights; deterministic, spreads leads evenly
 *   capacity     the available rep with the most cap left (every rep
 *                needs a cap); first on ties
 * Caps count this run's leads, and with the ledger (below) the leads
 * of earlier runs the same day or week.
 *   hash         FNV-1a (hash.h) of the lead key (lead_id, else the
 *                lower-cased email) modulo the number of reps, then the
 *                next available rep: the same lead goes to the same rep
 *                in any split of the input
 *   account      the lead's account owner (lk_route_accounts_load): by
 *                the email's domain, then its parent domains (eu.acme.com,
 *                acme.com), then the company column; the owner gets the
 *                lead even when not a rep of the pool, unless the owner
 *                is a rep of it who is away or at cap.  Leads without an
 *                account (or whose owner is away) go round robin over
 *                the pool's reps.
 * An away rep is simply left out: round robin moves past it and weighted
 * gives it no credit while away, so on return it receives its share from
 * then on and no catch-up flood (the catch-up is bounded by zero).  When
 * no rep is available the lead goes to hold, in the pool's queue, with
 * the reason.
 *
 * Columns written: route, route_rule, route_reason, queue (the rule's
 * pool, else the route), owner, assigned_at (now for a new assignment,
 * the input's value for a kept owner that had one, now for a kept owner
 * without one; empty without a pool unless the rule has an sla, when it
 * is the time the lead entered the queue), sla_due_at (assigned_at plus
 * the rule's sla in working time; empty without sla) and recycle_count.
 *
 * Calendar.  The working calendar is the model layer's (calendar.h:
 * zone, days, hours, holidays; 24x7 UTC without one).  SLA durations in
 * s, m, h count working seconds; d counts working days (one day = the
 * length of `hours`) and w working weeks (one week = the working days
 * of a week).
 *
 * Errors (LK_EMODEL at file:line:col): unknown keys with a did-you-mean,
 * unknown routes, unknown pools (did-you-mean), unknown methods,
 * duplicate rule names, duplicate rep ids in a pool, empty pools, bad
 * weights, caps (and caps whose period is not a day or a week), dates,
 * days, hours and zones, a capacity pool with a rep without cap, and
 * (at bind) expressions naming absent columns.
 *
 * Ownership: an lk_route points into the model's document, which must
 * outlive it.  The row lk_route_row returns belongs to the router and
 * lives until the next call; passed-through fields point into the input.
 */
#ifndef LK_ROUTE_H
#define LK_ROUTE_H

#include <stdint.h>

#include "core/buf.h"
#include "core/csvio.h"
#include "core/err.h"
#include "core/split.h"		/* lk_split: lead-route --split-by writes with it */
#include "model/calendar.h"
#include "model/expr.h"
#include "model/model.h"

typedef enum { LK_ROUTE_SALES, LK_ROUTE_NURTURE, LK_ROUTE_RECYCLE, LK_ROUTE_DISQUALIFY,
	       LK_ROUTE_HOLD, LK_ROUTE_NKINDS } lk_route_kind;
extern const char *const lk_route_kinds[LK_ROUTE_NKINDS];

/* The columns lead-route owns, in the order it appends them. */
enum { LK_RT_ROUTE, LK_RT_RULE, LK_RT_REASON, LK_RT_QUEUE, LK_RT_OWNER, LK_RT_ASSIGNED,
       LK_RT_SLA, LK_RT_RECYCLES, LK_RT_NCOLS };
extern const char *const lk_route_columns[LK_RT_NCOLS];

typedef enum { LK_POOL_ROUND_ROBIN, LK_POOL_WEIGHTED, LK_POOL_CAPACITY, LK_POOL_HASH,
	       LK_POOL_ACCOUNT } lk_pool_method;

typedef struct lk_away {
	int64_t from, to;		/* epoch day numbers, both included */
} lk_away;

typedef struct lk_rep {
	const char *id;
	long weight;			/* >= 1; 1 by default */
	long cap;			/* leads per period; -1: no cap */
	int cap_week;			/* 1: cap per week, 0: per day */
	lk_away *away;
	int naway;
	long credit;			/* weighted: smooth round-robin credit */
	int who;			/* index of the rep's load (shared across pools) */
	const yaml_node_t *node;
} lk_rep;

typedef struct lk_pool {
	const char *name;
	lk_pool_method method;
	lk_rep *reps;
	int nreps;
	int next;			/* round_robin: where the next search starts */
	const yaml_node_t *node;
} lk_pool;

typedef struct lk_route_rule {
	const char *name;
	const char *when;		/* source, or NULL: every lead (or recycled ones) */
	lk_expr *expr;			/* compiled by lk_route_bind */
	lk_route_kind route;
	int pool;			/* index into the pools, or -1 */
	double sla;			/* working seconds; 0: none */
	int reassign;
	const char *track;		/* or NULL */
	int max_recycles;		/* -1: not a recycling rule */
	const yaml_node_t *node, *when_node;
	int64_t due, due_from;		/* cache: sla due for a lead assigned at due_from */
	int due_ok;
} lk_route_rule;

/* What lk_route_row decided, for tests and summaries. */
typedef struct lk_route_result {
	lk_route_kind route;
	int rule;			/* index of the matched rule, or -1 */
	const char *owner;		/* as written (valid like the output row) */
	int64_t assigned_at;		/* -1: none */
	int64_t sla_due_at;		/* -1: none */
	long recycle_count;
} lk_route_result;

typedef struct lk_route lk_route;

/* Parse and check the model's routing section.  NULL with err. */
lk_route *lk_route_new(lk_model *m, lk_err *err);
void lk_route_free(lk_route *r);

/* Warnings found while parsing (rules that can never match), each a
 * "file:line:col: text" line; valid until lk_route_free. */
const char *const *lk_route_warnings(const lk_route *r, int *n);

/* The parsed parts, for summaries and tests. */
const lk_route_rule *lk_route_rules(const lk_route *r, int *n);
const lk_pool *lk_route_pools(const lk_route *r, int *n);
const lk_calendar *lk_route_calendar(const lk_route *r);

/*
 * Compile the rules against an input header of n names; owned columns
 * present in the input are updated in place, the others appended.  -1
 * with err (LK_EMODEL at the rule's `when`, naming rule and column).
 */
int lk_route_bind(lk_route *r, const char *const *cols, int n, lk_err *err);
/* The output header (valid until lk_route_free or the next bind). */
void lk_route_header(const lk_route *r, const char *const **names, int *n);

/*
 * Route one row as of env->now.  *out is the output row (see
 * Ownership); res may be NULL.  Returns 0, -1 when out of memory.
 */
int lk_route_row(lk_route *r, const lk_row *in, lk_exprenv *env, lk_row **out,
		 lk_route_result *res);

/*
 * The state ledger (lead-route --state FILE).  A CSV file with the
 * header record,pool,rep,day,value and these records:
 *   version,,,,1                  first, always
 *   pool,POOL,,,NEXT              every pool; NEXT: the rep round robin
 *                                 tries next (empty for other methods)
 *   rep,POOL,REP,,CREDIT          every rep of every pool; the weighted
 *                                 method's credit (0 for other methods)
 *   lead,POOL,REP,DAY,KEY         a lead assigned this week: its key
 *                                 (lead_id, else the lower-cased email),
 *                                 its pool and rep, and the day (in the
 *                                 calendar's zone)
 *   count,,REP,DAY,N              N leads without a key given to REP
 * The week runs Monday to Sunday in the calendar's zone; records of
 * earlier weeks are forgotten when the file is read.  The lead records
 * are both the cap counters (a rep's load today and this week is the
 * number of its records) and the memory that makes re-running a batch
 * harmless: a lead whose key is in the ledger for the same pool goes to
 * the same rep again (unless that rep is away now) and counts once.
 * Memory: one entry per lead assigned this week.
 *
 * lk_route_state_load starts the ledger as of `now` (routing then
 * remembers its assignments) and reads `path` when it exists and is
 * not empty.  A file that is not such a ledger is LK_EMODEL at
 * path:line:1 ("corrupt state file"); one whose pools and reps differ
 * from the model's is LK_EMODEL naming the first difference.  Either
 * way the caller must not save over it.
 *
 * lk_route_state_save writes the ledger to `path` atomically: a
 * temporary file in the same directory, fsync, rename, fsync of the
 * directory; a crash at any point leaves the old file or the new one.
 *
 * lk_route_lock takes an exclusive flock(2) on `path`.lock (created if
 * needed, never removed: the state file itself is replaced by rename,
 * so it cannot carry the lock), waiting up to `wait` seconds.  Returns
 * the descriptor that holds the lock (close it, or exit, to release),
 * or -1 with LK_EIO when another process keeps it.
 */
int lk_route_state_load(lk_route *r, const char *path, int64_t now, lk_err *err);
int lk_route_state_save(lk_route *r, const char *path, lk_err *err);
int lk_route_lock(const char *path, double wait, lk_err *err);

/*
 * The accounts table for pools with method account: a CSV file with a
 * header naming `owner` and `domain` (or `website`) and/or `company` (or
 * `account`, `name`); other columns are ignored.  Domains are compared
 * lower-cased without "www." or a URL's scheme and path; companies after
 * white space is cleaned, case folded, punctuation dropped and trailing
 * legal forms removed (Inc, LLC, Ltd, GmbH, ...): the keys of norm.h's
 * lk_norm_domain and lk_norm_company.  A domain or company given two
 * different owners is LK_EDATA at its record and line.  Rows without an
 * owner are skipped.  Memory: the table, one entry per domain and
 * company (the one exception to constant memory besides --state).
 */
int lk_route_accounts_load(lk_route *r, const char *path, lk_err *err);
/* 1 when a pool uses method account (and so needs the accounts table). */
int lk_route_needs_accounts(const lk_route *r);

#endif
