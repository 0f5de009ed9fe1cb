/*
 * route_int.h - what the files of lib/route share inside liblead (not
 * for tools): the router's state and the functions one file of it
 * calls in another.
 *
 *   route.c     the rules, lk_route_new/free, binding, routing a row
 *   pool.c      pools and reps (parsing, caps, away days) and the
 *               assignment methods: round_robin, weighted, capacity, hash
 *   accounts.c  the accounts table and method account
 *   state.c     the state ledger (--state) and its lock
 *
 * One lk_route owns everything below: lk_route_free (route.c) frees
 * what the other files allocate.  Rep loads are counted per rep id
 * (`who`), not per pool, so a rep in two pools has one cap; the ledger
 * and the loads move together (lk_route_count_lead, lk_route_remember).
 */
#ifndef LK_ROUTE_INT_H
#define LK_ROUTE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/hash.h"
#include "route/route.h"

/* Input columns the router reads besides the rules' own. */
enum { LK_RTIN_ID, LK_RTIN_EMAIL, LK_RTIN_STAGE, LK_RTIN_STATUS, LK_RTIN_ROUTE, LK_RTIN_OWNER,
       LK_RTIN_ASSIGNED, LK_RTIN_RECYCLES, LK_RTIN_COMPANY, LK_RTIN_N };

struct lk_route {
	lk_model *m;
	lk_calendar cal;
	lk_route_rule *rules;
	int nrules;
	lk_pool *pools;
	int npools;
	lk_hash *who;			/* rep id -> index + 1 into the loads */
	int nwho;

	/* Loads for caps: leads given to each rep today and this week (the
	 * state's and this run's; without state, this run's). */
	long *day_load, *week_load;
	int64_t today, week0;		/* day numbers of now and of its week's Monday */
	int have_today;
	int64_t day_now, day_of;	/* cache of lk_calendar_day(day_now) */

	/* The ledger (lk_route_state_load): leads assigned this week. */
	int ledger;
	lk_hash *leads;			/* lead key -> index + 1 into led (insertion order) */
	struct lk_led { int pool, rep; int64_t day; } *led;
	size_t nled, aled;
	long *anon;			/* keyless leads: who * 7 + day - week0 */

	/* Accounts (lk_route_accounts_load): keys -> index + 1 into owners. */
	lk_hash *by_domain, *by_company;
	char **owners;
	size_t nowners;
	lk_buf acct;			/* a normalised domain or company */
	char **warn;
	int nwarn;
	int recycled_stage;		/* the model's `recycled` stage, or -1 */

	/* Output layout, set by lk_route_bind. */
	int in[LK_RTIN_N];		/* input index of each column read, or -1 */
	int nin, nout;			/* input and output header widths */
	const char **names;
	int col[LK_RT_NCOLS];
	lk_row out;
	lk_buf val[LK_RT_NCOLS];	/* built values: reason, times, count */
	const char *cv[LK_RT_NCOLS];	/* each owned column of the row being routed */
	size_t cl[LK_RT_NCOLS];
	lk_buf key, note;
};


/* route.c: the whole number at `key` of mapping n, from lo to 1000000,
 * into *out; `range` words the bound in the message ("0 up").  Returns
 * 1, 0 when the key is absent (*out untouched), -1 with err. */
int lk_route_get_whole(lk_yml *y, yaml_node_t *n, const char *key, double lo, const char *range,
		       long *out, lk_err *err);

/* pool.c: parse routing.pools into r (LK_EMODEL at file:line:col). */
int lk_route_parse_pools(lk_route *r, lk_yml *y, yaml_node_t *ps, lk_err *err);
/* pool.c: the index of a pool by name, of a rep by id in a pool; -1. */
int lk_route_find_pool(const lk_route *r, const char *name);
int lk_route_find_rep(const lk_pool *p, const char *id);
/* pool.c: 1 when the rep is away on epoch day `day`. */
int lk_route_is_away(const lk_rep *rep, int64_t day);
/* pool.c: 1 when the rep may take a lead on `day` (not away, under its
 * cap); else 0, and "ID away" or "ID at cap" is added to why. */
int lk_route_available(lk_route *r, const lk_rep *rep, int64_t day, lk_buf *why);
/* pool.c: the calendar day of `now`; the first call also fixes today
 * and the Monday of its week, which the caps and the ledger count by. */
int64_t lk_route_day_of(lk_route *r, int64_t now);
/* pool.c: give the lead a rep of pool `pi`: the rep's index + 1, 0 when
 * none is available, -1 when out of memory; why gets the reason. */
int lk_route_assign(lk_route *r, int pi, const lk_row *in, int64_t now, lk_buf *why);

/* accounts.c: method account: the owner's index + 1 into r->owners, or
 * 0 for the pool's round-robin fallback (the reason so far in why). */
int lk_route_by_account(lk_route *r, lk_pool *p, const lk_row *in, int64_t now, lk_buf *why);

/* state.c: count (sign 1) or uncount (-1) a lead of `rep` assigned on
 * `day` in the loads of today and this week. */
void lk_route_count_lead(lk_route *r, const lk_rep *rep, int64_t day, long sign);
/* state.c: remember in the ledger that the lead keyed r->key went to
 * rep k of pool p on `day`; -1 when out of memory. */
int lk_route_remember(lk_route *r, int p, int k, int64_t day);

#endif
