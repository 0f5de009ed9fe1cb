/*
 * pool.c - pools of reps: parsing them (ids, weights, caps, away
 * days), who is available, and the assignment methods round_robin,
 * weighted, capacity and hash.  See route.h for the methods and
 * route_int.h for the router's state.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "model/cap.h"
#include "route/route_int.h"

static const char *const methods[] = { "round_robin", "weighted", "capacity", "hash", "account" };

/* ---- parsing ---- */

/* Rep ids are what the CRM's owner column holds ("Alice Romero",
 * "alice@example.com"); they go into route_reason, where ';' separates. */
static int good_id(const char *s)
{
	size_t n = strlen(s);

	if (!n || s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == ';')
			return 0;
	return 1;
}

/*
 * A rep's cap (cap.h's grammar): leads per calendar day or per
 * Monday-to-Sunday week, which is how the loads are counted, so the
 * period must be one day or one week however it is written (20/day,
 * 20/1d, 20/24h; 80/week, 80/w, 80/7d).  -1 when `s` is no cap at all,
 * -2 when its period is another length (3d, 12h, 2w).
 */
static int parse_cap(const char *s, long *cap, int *week)
{
	lk_cap c;

	if (lk_cap_parse(s, &c) < 0 || c.n > 1000000000L)
		return -1;
	if (c.period == 86400)
		*week = 0;
	else if (c.period == 7 * 86400)
		*week = 1;
	else
		return -2;
	*cap = c.n;
	return 0;
}

static int parse_rep(lk_route *r, lk_yml *y, lk_pool *p, yaml_node_t *n, lk_err *err)
{
	static const char *const keys[] = { "id", "weight", "cap", "away" };
	lk_rep *rep = &p->reps[p->nreps];
	yaml_node_t *an;
	const char *s;
	int i, rc, created = 0;
	void **slot;

	memset(rep, 0, sizeof *rep);
	rep->node = n;
	rep->weight = 1;
	rep->cap = -1;
	p->nreps++;	/* counted now, so lk_route_free releases its away list */
	if (n->type == YAML_SCALAR_NODE) {
		rep->id = lk_yml_scalar(n);	/* reps: [alice, bob] */
	} else {
		if (lk_yml_expect(y, n, YAML_MAPPING_NODE, "a rep", err) < 0 ||
		    lk_yml_check_keys(y, n, keys, 4, "rep", err) < 0 ||
		    lk_yml_get_str(y, n, "id", 1, &rep->id, err) < 0)
			return -1;
		if (lk_route_get_whole(y, n, "weight", 1, "1 to 1000000", &rep->weight, err) < 0)
			return -1;
		if ((rc = lk_yml_get_str(y, n, "cap", 0, &s, err)) < 0)
			return -1;
		if (rc && (rc = parse_cap(s, &rep->cap, &rep->cap_week)) < 0)
			return lk_yml_err(y, lk_yml_get(y, n, "cap", err), err, rc == -1 ?
					  "'cap' must be a number of leads per day or week, such "
					  "as 20/day or 80/week, not '%s'" :
					  "'cap' counts leads per calendar day or per week (Monday "
					  "to Sunday), so its period must be a day or a week, such "
					  "as 20/day, 20/24h, 80/week or 80/7d, not '%s'", s);
		an = lk_yml_get(y, n, "away", err);
		if (an) {
			yaml_node_item_t *it;
			size_t k;
			if (lk_yml_expect(y, an, YAML_SEQUENCE_NODE, "'away'", err) < 0)
				return -1;
			k = (size_t)(an->data.sequence.items.top - an->data.sequence.items.start);
			rep->away = calloc(k + 1, sizeof *rep->away);
			if (!rep->away)
				return lk_err_set(err, LK_ENOMEM, "out of memory");
			for (it = an->data.sequence.items.start; it < an->data.sequence.items.top; it++) {
				static const char *const akeys[] = { "from", "to" };
				yaml_node_t *a = lk_yml_node(y, *it, err), *f, *t;
				lk_away *w = &rep->away[rep->naway];
				if (!a || lk_yml_expect(y, a, YAML_MAPPING_NODE, "an away range", err) < 0 ||
				    lk_yml_check_keys(y, a, akeys, 2, "away range", err) < 0)
					return -1;
				f = lk_yml_get(y, a, "from", err);
				t = lk_yml_get(y, a, "to", err);
				if (!f || !t)
					return lk_yml_err(y, a, err, "an away range needs 'from' and 'to'");
				if (lk_calendar_parse_day(y, f, "'from'", &w->from, err) < 0 ||
				    lk_calendar_parse_day(y, t, "'to'", &w->to, err) < 0)
					return -1;
				if (w->to < w->from)
					return lk_yml_err(y, t, err, "'to' is before 'from'");
				rep->naway++;
			}
		}
	}
	if (!rep->id || !good_id(rep->id))
		return lk_yml_err(y, n, err, "rep id '%s' must be a name without control "
				  "characters, ';' or surrounding spaces", rep->id ? rep->id : "");
	for (i = 0; i < p->nreps - 1; i++)
		if (!strcmp(p->reps[i].id, rep->id))
			return lk_yml_err(y, n, err, "duplicate rep '%s' in pool '%s' (first at line %lu)",
					  rep->id, p->name,
					  (unsigned long)p->reps[i].node->start_mark.line + 1);
	if (p->method == LK_POOL_CAPACITY && rep->cap < 0)
		return lk_yml_err(y, n, err, "rep '%s' needs a cap: pool '%s' uses method capacity",
				  rep->id, p->name);
	slot = lk_hash_slot(r->who, rep->id, strlen(rep->id), 1, &created);
	if (!slot)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	if (created) {
		*slot = (void *)(intptr_t)(++r->nwho);
	}
	rep->who = (int)(intptr_t)*slot - 1;
	return 0;
}

int lk_route_parse_pools(lk_route *r, lk_yml *y, yaml_node_t *ps, lk_err *err)
{
	static const char *const keys[] = { "method", "reps" };
	yaml_node_pair_t *pr;
	size_t np;

	if (!ps)
		return 0;
	if (lk_yml_expect(y, ps, YAML_MAPPING_NODE, "routing 'pools'", err) < 0 ||
	    lk_yml_check_dups(y, ps, err) < 0)
		return -1;
	np = (size_t)(ps->data.mapping.pairs.top - ps->data.mapping.pairs.start);
	r->pools = calloc(np + 1, sizeof *r->pools);
	if (!r->pools)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	for (pr = ps->data.mapping.pairs.start; pr < ps->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = lk_yml_node(y, pr->key, err), *v, *reps;
		lk_pool *p = &r->pools[r->npools];
		yaml_node_item_t *it;
		const char *ms;
		size_t nr;
		int i, rc;

		if (!k || !(v = lk_yml_node(y, pr->value, err)))
			return -1;
		p->name = lk_yml_scalar(k);
		p->node = k;
		r->npools++;
		if (!lk_model_good_name(p->name))
			return lk_yml_err(y, k, err, "pool name '%s' may only hold letters, digits, "
					  "'_', '-' and '.'", p->name);
		if (lk_yml_expect(y, v, YAML_MAPPING_NODE, "a pool", err) < 0 ||
		    lk_yml_check_keys(y, v, keys, 2, "pool", err) < 0)
			return -1;
		p->method = LK_POOL_ROUND_ROBIN;
		if ((rc = lk_yml_get_str(y, v, "method", 0, &ms, err)) < 0)
			return -1;
		if (rc) {
			for (i = 0; i < 5 && strcmp(ms, methods[i]); i++)
				;
			if (i == 5) {
				const char *dym = lk_did_you_mean(ms, methods, 5);
				return lk_yml_err(y, lk_yml_get(y, v, "method", err), err,
						  "unknown method '%s'%s%s%s; methods are: round_robin, "
						  "weighted, capacity, hash, account", ms, dym ? " (did you mean '" : "",
						  dym ? dym : "", dym ? "'?)" : "");
			}
			p->method = (lk_pool_method)i;
		}
		reps = lk_yml_get(y, v, "reps", err);
		if (!reps)
			return lk_yml_err(y, v, err, "pool '%s' has no 'reps'", p->name);
		if (lk_yml_expect(y, reps, YAML_SEQUENCE_NODE, "'reps'", err) < 0)
			return -1;
		nr = (size_t)(reps->data.sequence.items.top - reps->data.sequence.items.start);
		if (nr == 0)
			return lk_yml_err(y, reps, err, "pool '%s' has no reps", p->name);
		p->reps = calloc(nr, sizeof *p->reps);
		if (!p->reps)
			return lk_err_set(err, LK_ENOMEM, "out of memory");
		for (it = reps->data.sequence.items.start; it < reps->data.sequence.items.top; it++) {
			yaml_node_t *rn = lk_yml_node(y, *it, err);
			if (!rn || parse_rep(r, y, p, rn, err) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- who may take a lead ---- */

int lk_route_find_pool(const lk_route *r, const char *name)
{
	int i;

	for (i = 0; i < r->npools; i++)
		if (!strcmp(r->pools[i].name, name))
			return i;
	return -1;
}

int lk_route_find_rep(const lk_pool *p, const char *id)
{
	int i;

	for (i = 0; i < p->nreps; i++)
		if (!strcmp(p->reps[i].id, id))
			return i;
	return -1;
}

int lk_route_is_away(const lk_rep *rep, int64_t day)
{
	int i;

	for (i = 0; i < rep->naway; i++)
		if (day >= rep->away[i].from && day <= rep->away[i].to)
			return 1;
	return 0;
}

/* The rep's leads in its cap period. */
static long load(const lk_route *r, const lk_rep *rep)
{
	return rep->cap_week ? r->week_load[rep->who] : r->day_load[rep->who];
}

/* Available: not away today and under the cap; else a note says why. */
int lk_route_available(lk_route *r, const lk_rep *rep, int64_t day, lk_buf *why)
{
	const char *what = NULL;

	if (lk_route_is_away(rep, day))
		what = "away";
	else if (rep->cap >= 0 && load(r, rep) >= rep->cap)
		what = "at cap";
	if (!what)
		return 1;
	lk_buf_addf(why, "%s%s %s", why->len ? ", " : "", rep->id, what);
	return 0;
}

/* The lead key in r->key: lead_id, else the email lower-cased without
 * blanks; empty when the lead has neither. */
static void lead_key(lk_route *r, const lk_row *in)
{
	size_t len, k;
	const char *key = lk_row_field(in, r->in[LK_RTIN_ID], &len);

	lk_buf_reset(&r->key);
	if (lk_blank(key, len, 0)) {
		key = lk_row_field(in, r->in[LK_RTIN_EMAIL], &len);
		for (k = 0; k < len; k++) {
			char c = key[k];
			if (c == ' ' || c == '\t')
				continue;
			lk_buf_addc(&r->key, c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
	} else {
		lk_buf_add(&r->key, key, len);
	}
	lk_buf_str(&r->key);
}

/* ---- the methods ---- */

/* Pick a rep of pool p for the lead (hash: keyed by r->key); -1 when
 * none is available. */
static int pick(lk_route *r, lk_pool *p, const lk_row *in, int64_t day, lk_buf *why)
{
	int i, best = -1;
	char ok[256];
	int n = p->nreps;

	lk_buf_reset(why);
	for (i = 0; i < n; i++) {
		int a = lk_route_available(r, &p->reps[i], day, why);
		if (i < (int)sizeof ok)
			ok[i] = (char)a;
	}
#define OK(i) ((i) < (int)sizeof ok ? ok[i] : lk_route_available(r, &p->reps[i], day, why))
	switch (p->method) {
	case LK_POOL_ROUND_ROBIN:
	case LK_POOL_ACCOUNT:		/* the fallback when no account matches */
		for (i = 0; i < n; i++) {
			int k = (p->next + i) % n;
			if (OK(k)) {
				best = k;
				break;
			}
		}
		if (best >= 0)
			p->next = (best + 1) % n;
		break;
	case LK_POOL_WEIGHTED: {
		long total = 0;
		for (i = 0; i < n; i++)
			if (OK(i)) {
				p->reps[i].credit += p->reps[i].weight;
				total += p->reps[i].weight;
				if (best < 0 || p->reps[i].credit > p->reps[best].credit)
					best = i;
			}
		if (best >= 0)
			p->reps[best].credit -= total;
		break;
	}
	case LK_POOL_CAPACITY:
		for (i = 0; i < n; i++)
			if (OK(i) && (best < 0 || p->reps[i].cap - load(r, &p->reps[i]) >
				      p->reps[best].cap - load(r, &p->reps[best])))
				best = i;
		break;
	case LK_POOL_HASH: {
		uint64_t h;
		h = lk_fnv1a(lk_buf_str(&r->key), r->key.len);
		for (i = 0; i < n; i++) {
			int at = (int)((h + (uint64_t)i) % (uint64_t)n);
			if (OK(at)) {
				best = at;
				break;
			}
		}
		break;
	}
	}
#undef OK
	return best;
}

/* The calendar day of `now`, computed once per distinct now. */
int64_t lk_route_day_of(lk_route *r, int64_t now)
{
	if (!r->have_today || r->day_now != now) {
		r->day_of = lk_calendar_day(&r->cal, now);
		r->day_now = now;
		if (!r->have_today) {
			r->today = r->day_of;
			r->week0 = r->today - (lk_calendar_weekday(r->today) + 6) % 7;
		}
		r->have_today = 1;
	}
	return r->day_of;
}

/*
 * Give the lead a rep of pool `pi` as of `now`, explaining in `why`.
 * Returns the rep's index + 1, 0 when none is available, -1 when out of
 * memory.  With the ledger, a lead assigned before this week keeps its
 * rep (while not away) and counts once.
 */
int lk_route_assign(lk_route *r, int pi, const lk_row *in, int64_t now, lk_buf *why)
{
	lk_pool *p = &r->pools[pi];
	lk_buf *note = &r->note;
	int64_t day = lk_route_day_of(r, now);
	int k;

	if (r->ledger || p->method == LK_POOL_HASH)
		lead_key(r, in);
	if (r->ledger && r->key.len) {
		intptr_t at = (intptr_t)lk_hash_get(r->leads, r->key.data, r->key.len);
		const struct lk_led *e = at ? &r->led[at - 1] : NULL;
		if (e && e->pool == pi && !lk_route_is_away(&p->reps[e->rep], day)) {
			lk_buf_addf(why, "; %s in %s: %s (assigned before, counted once)",
				    methods[p->method], p->name, p->reps[e->rep].id);
			return e->rep + 1;
		}
	}
	k = pick(r, p, in, day, note);
	if (k < 0) {
		lk_buf_addf(why, "; no rep available in %s (%s)", p->name, lk_buf_str(note));
		return 0;
	}
	if (r->ledger) {
		lk_route_count_lead(r, &p->reps[k], day, 1);
		if (lk_route_remember(r, pi, k, day) < 0)
			return -1;
	} else {		/* without a ledger the run's leads count */
		r->day_load[p->reps[k].who]++;
		r->week_load[p->reps[k].who]++;
	}
	lk_buf_add(why, "; ", 2);
	lk_buf_adds(why, p->method == LK_POOL_ACCOUNT ? "round_robin fallback" : methods[p->method]);
	lk_buf_add(why, " in ", 4);
	lk_buf_adds(why, p->name);
	lk_buf_add(why, ": ", 2);
	lk_buf_adds(why, p->reps[k].id);
	if (note->len) {
		lk_buf_add(why, " (skipped ", 10);
		lk_buf_add(why, note->data, note->len);
		lk_buf_addc(why, ')');
	}
	return k + 1;
}
