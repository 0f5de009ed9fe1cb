/*
 * route.c - the routing section of the model, the working calendar and
 * routing one row.  See route.h for the model syntax and the methods.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "core/hash.h"
#include "model/norm.h"
#include "route/route.h"

const char *const lk_route_kinds[LK_ROUTE_NKINDS] = {
	"sales", "nurture", "recycle", "disqualify", "hold"
};

const char *const lk_route_columns[LK_RT_NCOLS] = {
	"route", "route_rule", "route_reason", "queue", "owner", "assigned_at", "sla_due_at",
	"recycle_count"
};

static const char *const methods[] = { "round_robin", "weighted", "capacity", "hash", "account" };

/* Input columns the router reads besides the rules' own. */
enum { IN_ID, IN_EMAIL, IN_STAGE, IN_STATUS, IN_ROUTE, IN_OWNER, IN_ASSIGNED, IN_RECYCLES,
       IN_COMPANY, IN_N };
static const char *const in_names[IN_N] = {
	"lead_id", "email", "stage", "status", "route", "owner", "assigned_at", "recycle_count",
	"company"
};

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
	int in[IN_N];			/* input index of each column read, or -1 */
	int nout;
	const char **names;
	int col[LK_RT_NCOLS];
	lk_row out;
	lk_buf val[LK_RT_NCOLS];	/* built values: reason, times, count */
	const char *cv[LK_RT_NCOLS];	/* each owned column of the row being routed */
	size_t cl[LK_RT_NCOLS];
	lk_buf key, note;
};

/* ---- parsing ---- */

static int good_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.'))
			return 0;
	return 1;
}

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

/* "20/day", "100/week", "20/d", "5/w", or a bare number (per day). */
static int parse_cap(const char *s, long *cap, int *week)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (v < 0 || v > 1000000000L)
		return -1;
	while (*end == ' ')
		end++;
	*week = 0;
	if (*end == '/') {
		end++;
		while (*end == ' ')
			end++;
		if (!strcmp(end, "day") || !strcmp(end, "d"))
			*week = 0;
		else if (!strcmp(end, "week") || !strcmp(end, "w") || !strcmp(end, "wk"))
			*week = 1;
		else
			return -1;
	} else if (*end) {
		return -1;
	}
	*cap = v;
	return 0;
}

static int parse_rep(lk_route *r, lk_yml *y, lk_pool *p, yaml_node_t *n, lk_err *err)
{
	static const char *const keys[] = { "id", "weight", "cap", "away" };
	lk_rep *rep = &p->reps[p->nreps];
	yaml_node_t *an;
	const char *s;
	double v;
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
		if ((rc = lk_yml_get_num(y, n, "weight", 0, &v, err)) < 0)
			return -1;
		if (rc) {
			if (v < 1 || v > 1000000 || v != floor(v))
				return lk_yml_err(y, lk_yml_get(y, n, "weight", err), err,
						  "'weight' must be a whole number from 1 to 1000000");
			rep->weight = (long)v;
		}
		if ((rc = lk_yml_get_str(y, n, "cap", 0, &s, err)) < 0)
			return -1;
		if (rc && parse_cap(s, &rep->cap, &rep->cap_week) < 0)
			return lk_yml_err(y, lk_yml_get(y, n, "cap", err), err,
					  "'cap' must be a number of leads per day or week, such "
					  "as 20/day or 80/week, not '%s'", s);
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

static int parse_pools(lk_route *r, lk_yml *y, yaml_node_t *ps, lk_err *err)
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
		if (!good_name(p->name))
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

/* The sla as working seconds: d and w count working days and weeks. */
static int parse_sla(lk_route *r, lk_yml *y, yaml_node_t *rule, double *out, lk_err *err)
{
	const char *s, *u;
	size_t len;
	double secs;
	int rc = lk_yml_get_duration(y, rule, "sla", 0, &secs, err);

	if (rc <= 0)
		return rc;
	if (secs <= 0)
		return lk_yml_err(y, lk_yml_get(y, rule, "sla", err), err,
				  "'sla' must be longer than zero");
	lk_yml_get_str(y, rule, "sla", 0, &s, err);
	len = strlen(s);
	while (len && s[len - 1] == ' ')
		len--;
	u = s + len;
	while (u > s && ((u[-1] >= 'a' && u[-1] <= 'z')))
		u--;
	if (*u == 'd' || *u == 'w') {
		double daylen = (double)(r->cal.end - r->cal.start) * 60.0;
		int nd = 0, i;
		for (i = 0; i < 7; i++)
			nd += (r->cal.days >> i) & 1;
		if (*u == 'd')
			secs = secs / 86400.0 * daylen;
		else
			secs = secs / (7 * 86400.0) * nd * daylen;
	}
	*out = secs;
	return 1;
}

static int parse_rule(lk_route *r, lk_yml *y, yaml_node_t *n, lk_err *err)
{
	static const char *const keys[] = { "rule", "when", "route", "pool", "sla", "reassign",
					    "track", "max_recycles" };
	lk_route_rule *ru = &r->rules[r->nrules];
	yaml_node_t *rn, *pn;
	const char *s;
	double v;
	int i, rc;

	memset(ru, 0, sizeof *ru);
	ru->node = n;
	ru->pool = -1;
	ru->max_recycles = -1;
	r->nrules++;
	if (lk_yml_expect(y, n, YAML_MAPPING_NODE, "a routing rule", err) < 0 ||
	    lk_yml_check_keys(y, n, keys, 8, "routing rule", err) < 0 ||
	    lk_yml_get_str(y, n, "rule", 1, &ru->name, err) < 0)
		return -1;
	rn = lk_yml_get(y, n, "rule", err);
	if (!good_name(ru->name))
		return lk_yml_err(y, rn, err, "rule name '%s' may only hold letters, digits, "
				  "'_', '-' and '.'", ru->name);
	for (i = 0; i < r->nrules - 1; i++)
		if (!strcmp(r->rules[i].name, ru->name))
			return lk_yml_err(y, rn, err, "duplicate rule name '%s' (first at line %lu)",
					  ru->name,
					  (unsigned long)r->rules[i].node->start_mark.line + 1);
	if ((rc = lk_yml_get_str(y, n, "when", 0, &ru->when, err)) < 0)
		return -1;
	ru->when_node = lk_yml_get(y, n, "when", err);
	if (lk_yml_get_str(y, n, "route", 1, &s, err) < 0)
		return -1;
	for (i = 0; i < LK_ROUTE_NKINDS && strcmp(s, lk_route_kinds[i]); i++)
		;
	if (i == LK_ROUTE_NKINDS) {
		const char *dym = lk_did_you_mean(s, lk_route_kinds, LK_ROUTE_NKINDS);
		return lk_yml_err(y, lk_yml_get(y, n, "route", err), err,
				  "unknown route '%s'%s%s%s; routes are: sales, nurture, recycle, "
				  "disqualify, hold", s, dym ? " (did you mean '" : "",
				  dym ? dym : "", dym ? "'?)" : "");
	}
	ru->route = (lk_route_kind)i;
	if ((rc = lk_yml_get_str(y, n, "pool", 0, &s, err)) < 0)
		return -1;
	if (rc) {
		pn = lk_yml_get(y, n, "pool", err);
		for (i = 0; i < r->npools && strcmp(s, r->pools[i].name); i++)
			;
		if (i == r->npools) {
			const char *names[64], *dym;
			char list[512] = "";
			size_t off = 0;
			int k;
			for (k = 0; k < r->npools && k < 64; k++) {
				names[k] = r->pools[k].name;
				if (off < sizeof list - 1)
					off += (size_t)snprintf(list + off, sizeof list - off, "%s%s",
								k ? ", " : "", names[k]);
			}
			dym = lk_did_you_mean(s, names, k);
			if (!r->npools)
				return lk_yml_err(y, pn, err, "unknown pool '%s': routing has no "
						  "'pools'", s);
			return lk_yml_err(y, pn, err, "unknown pool '%s'%s%s%s; pools are: %s", s,
					  dym ? " (did you mean '" : "", dym ? dym : "",
					  dym ? "'?)" : "", list);
		}
		ru->pool = i;
	}
	if (parse_sla(r, y, n, &ru->sla, err) < 0 ||
	    lk_yml_get_bool(y, n, "reassign", 0, &ru->reassign, err) < 0 ||
	    lk_yml_get_str(y, n, "track", 0, &ru->track, err) < 0)
		return -1;
	if ((rc = lk_yml_get_num(y, n, "max_recycles", 0, &v, err)) < 0)
		return -1;
	if (rc) {
		if (v < 0 || v > 1000000 || v != floor(v))
			return lk_yml_err(y, lk_yml_get(y, n, "max_recycles", err), err,
					  "'max_recycles' must be a whole number from 0 up");
		ru->max_recycles = (int)v;
	}
	return 0;
}

static int add_warning(lk_route *r, const lk_err *e)
{
	char buf[1024], **nw;

	nw = realloc(r->warn, ((size_t)r->nwarn + 1) * sizeof *nw);
	if (!nw)
		return -1;
	r->warn = nw;
	lk_err_str(e, buf, sizeof buf);
	if (!(r->warn[r->nwarn] = strdup(buf)))
		return -1;
	r->nwarn++;
	return 0;
}

lk_route *lk_route_new(lk_model *m, lk_err *err)
{
	static const char *const keys[] = { "calendar", "rules", "pools" };
	lk_yml *y = &m->yml;
	yaml_node_t *rules;
	yaml_node_item_t *it;
	lk_route *r;
	int i, catchall = -1;
	size_t n;

	if (!m->routing) {
		lk_model_missing(m, "routing", "routing rules", err);
		return NULL;
	}
	r = calloc(1, sizeof *r);
	if (!r || !(r->who = lk_hash_new(16))) {
		free(r);
		lk_err_set(err, LK_ENOMEM, "out of memory");
		return NULL;
	}
	r->m = m;
	r->recycled_stage = lk_model_stage_id(m, "recycled");
	for (i = 0; i < LK_RT_NCOLS; i++)
		r->col[i] = -1;
	if (lk_yml_check_keys(y, m->routing, keys, 3, "routing", err) < 0 ||
	    lk_calendar_load(m, &r->cal, err) < 0 ||
	    parse_pools(r, y, lk_yml_get(y, m->routing, "pools", err), err) < 0)
		goto fail;
	rules = lk_yml_get(y, m->routing, "rules", err);
	if (!rules) {
		lk_yml_err(y, m->routing, err, "routing has no 'rules'");
		goto fail;
	}
	if (lk_yml_expect(y, rules, YAML_SEQUENCE_NODE, "routing 'rules'", err) < 0)
		goto fail;
	n = (size_t)(rules->data.sequence.items.top - rules->data.sequence.items.start);
	r->rules = calloc(n + 1, sizeof *r->rules);
	if (!r->rules) {
		lk_err_set(err, LK_ENOMEM, "out of memory");
		goto fail;
	}
	for (it = rules->data.sequence.items.start; it < rules->data.sequence.items.top; it++) {
		yaml_node_t *rn = lk_yml_node(y, *it, err);
		lk_route_rule *ru;
		if (!rn || parse_rule(r, y, rn, err) < 0)
			goto fail;
		ru = &r->rules[r->nrules - 1];
		if (catchall >= 0) {
			lk_err w;
			lk_err_clear(&w);
			lk_yml_err(y, ru->node, &w, "rule '%s' can never match: rule '%s' (line %lu) "
				   "matches every lead", ru->name, r->rules[catchall].name,
				   (unsigned long)r->rules[catchall].node->start_mark.line + 1);
			if (add_warning(r, &w) < 0) {
				lk_err_set(err, LK_ENOMEM, "out of memory");
				goto fail;
			}
		} else if (!ru->when && ru->max_recycles < 0) {
			catchall = r->nrules - 1;
		}
	}
	r->day_load = calloc((size_t)r->nwho + 1, sizeof *r->day_load);
	r->week_load = calloc((size_t)r->nwho + 1, sizeof *r->week_load);
	if (!r->day_load || !r->week_load) {
		lk_err_set(err, LK_ENOMEM, "out of memory");
		goto fail;
	}
	return r;
fail:
	if (err->kind != LK_ENOMEM)
		err->kind = LK_EMODEL;
	lk_route_free(r);
	return NULL;
}

void lk_route_free(lk_route *r)
{
	int i, k;

	if (!r)
		return;
	for (i = 0; i < r->nrules; i++)
		lk_expr_free(r->rules[i].expr);
	free(r->rules);
	for (i = 0; i < r->npools; i++) {
		for (k = 0; k < r->pools[i].nreps; k++)
			free(r->pools[i].reps[k].away);
		free(r->pools[i].reps);
	}
	free(r->pools);
	free(r->cal.holidays);
	lk_hash_free(r->who);
	free(r->day_load);
	free(r->week_load);
	lk_hash_free(r->leads);
	free(r->led);
	free(r->anon);
	lk_hash_free(r->by_domain);
	lk_hash_free(r->by_company);
	for (i = 0; i < (int)r->nowners; i++)
		free(r->owners[i]);
	free(r->owners);
	lk_buf_free(&r->acct);
	for (i = 0; i < r->nwarn; i++)
		free(r->warn[i]);
	free(r->warn);
	free(r->names);
	free(r->out.f);
	free(r->out.len);
	for (i = 0; i < LK_RT_NCOLS; i++)
		lk_buf_free(&r->val[i]);
	lk_buf_free(&r->key);
	lk_buf_free(&r->note);
	free(r);
}

const char *const *lk_route_warnings(const lk_route *r, int *n)
{
	*n = r->nwarn;
	return (const char *const *)r->warn;
}

const lk_route_rule *lk_route_rules(const lk_route *r, int *n)
{
	*n = r->nrules;
	return r->rules;
}

const lk_pool *lk_route_pools(const lk_route *r, int *n)
{
	*n = r->npools;
	return r->pools;
}

const lk_calendar *lk_route_calendar(const lk_route *r)
{
	return &r->cal;
}

/* ---- binding ---- */

int lk_route_bind(lk_route *r, const char *const *cols, int n, lk_err *err)
{
	lk_err ee;
	int i, j, k;

	for (i = 0; i < r->nrules; i++) {
		lk_route_rule *ru = &r->rules[i];
		lk_expr_free(ru->expr);
		ru->expr = NULL;
		if (!ru->when)
			continue;
		lk_err_clear(&ee);
		ru->expr = lk_expr_compile(ru->when, cols, n, &ee);
		if (!ru->expr) {
			lk_yml_err(&r->m->yml, ru->when_node, err, "routing rule '%s': when: %s",
				   ru->name, ee.msg);
			err->kind = ee.kind == LK_ENOMEM ? LK_ENOMEM : LK_EMODEL;
			return -1;
		}
	}
	for (j = 0; j < IN_N; j++) {
		r->in[j] = -1;
		for (i = 0; i < n && r->in[j] < 0; i++)
			if (!strcmp(cols[i], in_names[j]))
				r->in[j] = i;
	}
	free(r->names);
	r->names = calloc((size_t)n + LK_RT_NCOLS + 1, sizeof *r->names);
	if (!r->names)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		r->names[i] = cols[i];
	k = n;
	for (j = 0; j < LK_RT_NCOLS; j++) {
		for (i = 0; i < n; i++)
			if (!strcmp(cols[i], lk_route_columns[j]))
				break;
		if (i < n) {
			r->col[j] = i;
		} else {
			r->col[j] = k;
			r->names[k++] = lk_route_columns[j];
		}
	}
	r->nout = k;
	free(r->out.f);
	free(r->out.len);
	r->out.f = calloc((size_t)k + 1, sizeof *r->out.f);
	r->out.len = calloc((size_t)k + 1, sizeof *r->out.len);
	if (!r->out.f || !r->out.len)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	r->out.n = k;
	return 0;
}

void lk_route_header(const lk_route *r, const char *const **names, int *n)
{
	*names = r->names;
	*n = r->nout;
}

/* ---- routing a row ---- */

static int is_recycled(const lk_route *r, const lk_row *in)
{
	int c;

	if (r->recycled_stage < 0)
		return 0;
	for (c = IN_STAGE; c <= IN_STATUS; c++) {
		size_t len;
		const char *v = lk_row_field(in, r->in[c], &len);
		if (len && lk_model_stage(r->m, v, len) == r->recycled_stage)
			return 1;
	}
	return 0;
}

static int is_away(const lk_rep *rep, int64_t day)
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
static int available(lk_route *r, const lk_rep *rep, int64_t day, lk_buf *why)
{
	const char *what = NULL;

	if (is_away(rep, day))
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
	const char *key = lk_row_field(in, r->in[IN_ID], &len);

	lk_buf_reset(&r->key);
	if (lk_blank(key, len, 0)) {
		key = lk_row_field(in, r->in[IN_EMAIL], &len);
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

/* ---- accounts ---- */

static int find_rep(const lk_pool *p, const char *id);

/* The domain of an email or a website ("https://www.Acme.com/x" and
 * "jo@Acme.com" are acme.com) into out; 0 when there is none. */
static int norm_domain(const char *s, size_t len, lk_buf *out)
{
	const char *at = memchr(s, '@', len), *e;
	size_t i;

	lk_buf_reset(out);
	if (at) {
		len -= (size_t)(at + 1 - s);
		s = at + 1;
	} else {
		const char *sl = NULL;
		for (i = 0; i + 2 < len; i++)
			if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') {
				sl = s + i + 3;
				break;
			}
		if (sl) {
			len -= (size_t)(sl - s);
			s = sl;
		}
	}
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	for (e = s; e < s + len && *e != '/' && *e != ' ' && *e != '\t' && *e != '>' &&
		    *e != ':' && *e != '?'; e++)
		;
	len = (size_t)(e - s);
	while (len && s[len - 1] == '.')
		len--;
	if (!at && len > 4 && (s[0] | 0x20) == 'w' && (s[1] | 0x20) == 'w' &&
	    (s[2] | 0x20) == 'w' && s[3] == '.')
		s += 4, len -= 4;
	for (i = 0; i < len; i++)
		lk_buf_addc(out, s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	lk_buf_str(out);
	return len && memchr(s, '.', len) != NULL;
}

/* A company name for matching: white space cleaned (lk_norm_space),
 * lower case, punctuation dropped, and legal-form words at the end
 * and a leading "the" ("The Acme Co., Ltd.", "ACME Inc" and "Acme" are one
 * company).  0 when empty. */
static int norm_company(const char *s, size_t len, lk_buf *out)
{
	static const char *const forms[] = { "inc", "incorporated", "llc", "ltd", "limited",
		"corp", "corporation", "co", "company", "gmbh", "ag", "sa", "sas", "sarl", "bv",
		"nv", "plc", "pty", "oy", "ab", "srl", "spa", "kk", "lp", "llp", "se" };
	lk_buf sp = { 0 };
	size_t i, k, end;
	int more = 1;

	lk_buf_reset(out);
	lk_norm_space(s, len, &sp);
	for (i = 0; i < sp.len; i++) {
		unsigned char c = (unsigned char)sp.data[i];
		if (c >= 'A' && c <= 'Z')
			c += 32;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
			lk_buf_addc(out, c);
		else if (c == '&')
			lk_buf_adds(out, out->len && out->data[out->len - 1] != ' ' ? " and " : "and ");
		else if (c == ' ' || c == ',' || c == '-' || c == '/')
			if (out->len && out->data[out->len - 1] != ' ')
				lk_buf_addc(out, ' ');
	}
	lk_buf_free(&sp);
	while (out->len && out->data[out->len - 1] == ' ')
		out->len--;
	while (more && out->len) {	/* "acme holdings co ltd" keeps "acme holdings" */
		more = 0;
		end = out->len;
		for (k = end; k && out->data[k - 1] != ' '; k--)
			;
		if (!k)
			break;	/* never drop the only word */
		for (i = 0; i < sizeof forms / sizeof forms[0]; i++)
			if (strlen(forms[i]) == end - k && !memcmp(out->data + k, forms[i], end - k)) {
				out->len = k - 1;
				more = 1;
				break;
			}
	}
	if (out->len > 4 && !memcmp(out->data, "the ", 4)) {	/* "The Acme Co." */
		memmove(out->data, out->data + 4, out->len - 4);
		out->len -= 4;
	}
	lk_buf_str(out);
	return out->len > 0;
}

static int acct_put(lk_route *r, lk_hash *h, const char *key, size_t len, size_t owner,
		    const char *path, const lk_row *row, const char *what, lk_err *err)
{
	int created = 0;
	void **slot = lk_hash_slot(h, key, len, 1, &created);

	if (!slot)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	if (!created && (size_t)(intptr_t)*slot != owner + 1 &&
	    strcmp(r->owners[(intptr_t)*slot - 1], r->owners[owner])) {
		lk_err_set(err, LK_EDATA, "%s '%s' belongs to '%s' and to '%s': one owner per %s",
			   what, key, r->owners[(intptr_t)*slot - 1], r->owners[owner], what);
		snprintf(err->file, sizeof err->file, "%s", path);
		err->record = row->record;
		err->line = row->line;
		return -1;
	}
	if (created)
		*slot = (void *)(intptr_t)(owner + 1);
	return 0;
}

int lk_route_accounts_load(lk_route *r, const char *path, lk_err *err)
{
	lk_csvopt co = { 0 };
	lk_reader *rd;
	lk_row *row;
	lk_buf key = { 0 };
	int fd, k, cd = -1, cc = -1, co_ = -1, i, rc = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lk_err_set(err, LK_EIO, "%s: cannot open: %s", path, strerror(errno));
	co.name = path;
	if (!(rd = lk_reader_new(fd, &co, err))) {
		close(fd);
		return -1;
	}
	lk_hash_free(r->by_domain);
	lk_hash_free(r->by_company);
	r->by_domain = lk_hash_new(1024);
	r->by_company = lk_hash_new(1024);
	if (!r->by_domain || !r->by_company) {
		lk_err_set(err, LK_ENOMEM, "out of memory");
		goto out;
	}
	if ((k = lk_reader_next(rd, &row, err)) <= 0) {
		if (k == 0)
			lk_err_set(err, LK_EDATA, "%s: empty: the accounts file needs a header with "
				   "owner and domain or company", path);
		goto out;
	}
	for (i = 0; i < row->n; i++) {
		const char *h = row->f[i];
		if (!strcmp(h, "domain") || !strcmp(h, "website"))
			cd = cd < 0 ? i : cd;
		else if (!strcmp(h, "company") || !strcmp(h, "account") || !strcmp(h, "name"))
			cc = cc < 0 ? i : cc;
		else if (!strcmp(h, "owner"))
			co_ = i;
	}
	if (co_ < 0 || (cd < 0 && cc < 0)) {
		lk_err_set(err, LK_EDATA, "%s: the accounts file needs the columns owner and "
			   "domain (or website) or company (or account, name)", path);
		goto out;
	}
	while ((k = lk_reader_next(rd, &row, err)) > 0) {
		char **no;
		size_t ol;
		const char *o;
		if (row->bad) {
			lk_err_set(err, LK_EDATA, "%s", row->bad);
			goto at;
		}
		o = co_ < row->n ? row->f[co_] : "";
		ol = co_ < row->n ? row->len[co_] : 0;
		while (ol && (o[ol - 1] == ' ' || o[ol - 1] == '\t'))
			ol--;
		while (ol && (*o == ' ' || *o == '\t'))
			o++, ol--;
		if (!ol)
			continue;	/* an account nobody owns routes like no account */
		no = realloc(r->owners, (r->nowners + 1) * sizeof *no);
		if (!no || !(no[r->nowners] = strndup(o, ol))) {
			if (no)
				r->owners = no;
			lk_err_set(err, LK_ENOMEM, "out of memory");
			goto out;
		}
		r->owners = no;
		r->nowners++;
		if (cd >= 0 && cd < row->n && norm_domain(row->f[cd], row->len[cd], &key) &&
		    acct_put(r, r->by_domain, key.data, key.len, r->nowners - 1, path, row,
			     "domain", err) < 0)
			goto out;
		if (cc >= 0 && cc < row->n && norm_company(row->f[cc], row->len[cc], &key) &&
		    acct_put(r, r->by_company, key.data, key.len, r->nowners - 1, path, row,
			     "company", err) < 0)
			goto out;
	}
	if (k == 0)
		rc = 0;
	goto out;
at:
	snprintf(err->file, sizeof err->file, "%s", path);
	err->record = row->record;
	err->line = row->line;
out:
	lk_buf_free(&key);
	lk_reader_free(rd);
	close(fd);
	return rc;
}

/* The account owner of the lead: by the email's domain or a parent
 * domain (eu.acme.com, then acme.com), else by company; NULL when none.
 * *how says which key matched (in r->acct). */
static intptr_t account_owner(lk_route *r, const lk_row *in, const char **how)
{
	size_t len, off;
	const char *v = lk_row_field(in, r->in[IN_EMAIL], &len);
	intptr_t at;

	if (!r->by_domain)
		return 0;
	if (len && norm_domain(v, len, &r->acct)) {
		for (off = 0; off < r->acct.len;) {
			const char *dot;
			at = (intptr_t)lk_hash_get(r->by_domain, r->acct.data + off, r->acct.len - off);
			if (at) {
				memmove(r->acct.data, r->acct.data + off, r->acct.len - off + 1);
				r->acct.len -= off;
				*how = "domain";
				return at;
			}
			dot = memchr(r->acct.data + off, '.', r->acct.len - off);
			if (!dot || !memchr(dot + 1, '.', r->acct.len - (size_t)(dot + 1 - r->acct.data)))
				break;	/* never up to a bare top-level domain */
			off = (size_t)(dot + 1 - r->acct.data);
		}
	}
	v = lk_row_field(in, r->in[IN_COMPANY], &len);
	if (len && norm_company(v, len, &r->acct) &&
	    (at = (intptr_t)lk_hash_get(r->by_company, r->acct.data, r->acct.len))) {
		*how = "company";
		return at;
	}
	return 0;
}

/* Pick a rep of pool p for the lead (hash: keyed by r->key); -1 when
 * none is available. */
static int pick(lk_route *r, lk_pool *p, const lk_row *in, int64_t day, lk_buf *why)
{
	int i, best = -1;
	char ok[256];
	int n = p->nreps;

	lk_buf_reset(why);
	for (i = 0; i < n; i++) {
		int a = available(r, &p->reps[i], day, why);
		if (i < (int)sizeof ok)
			ok[i] = (char)a;
	}
#define OK(i) ((i) < (int)sizeof ok ? ok[i] : available(r, &p->reps[i], day, why))
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
static int64_t day_of(lk_route *r, int64_t now)
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

/* Count (sign 1) or uncount (-1) a lead of `rep` assigned on `day`. */
static void count_lead(lk_route *r, const lk_rep *rep, int64_t day, long sign)
{
	if (day == r->today)
		r->day_load[rep->who] += sign;
	if (day >= r->week0 && day < r->week0 + 7)
		r->week_load[rep->who] += sign;
}

/* Remember in the ledger that the lead keyed r->key went to rep k of
 * pool p on `day`, replacing (and uncounting) an earlier assignment. */
static int remember(lk_route *r, int p, int k, int64_t day)
{
	const lk_rep *rep = &r->pools[p].reps[k];
	struct lk_led *e;
	void **slot;
	int created = 0;

	if (!r->key.len) {
		if (day >= r->week0 && day < r->week0 + 7)
			r->anon[rep->who * 7 + (day - r->week0)]++;
		return 0;
	}
	slot = lk_hash_slot(r->leads, r->key.data, r->key.len, 1, &created);
	if (!slot)
		return -1;
	if (created) {
		if (r->nled == r->aled) {
			size_t na = r->aled ? r->aled * 2 : 256;
			struct lk_led *nl = realloc(r->led, na * sizeof *nl);
			if (!nl)
				return -1;
			r->led = nl;
			r->aled = na;
		}
		*slot = (void *)(intptr_t)(++r->nled);
		e = &r->led[r->nled - 1];
	} else {
		e = &r->led[(intptr_t)*slot - 1];
		count_lead(r, &r->pools[e->pool].reps[e->rep], e->day, -1);
	}
	e->pool = p;
	e->rep = k;
	e->day = day;
	return 0;
}

/*
 * Give the lead a rep of pool `pi` as of `now`, explaining in `why`.
 * Returns the rep's index + 1, 0 when none is available, -1 when out of
 * memory.  With the ledger, a lead assigned before this week keeps its
 * rep (while not away) and counts once.
 */
static int assign(lk_route *r, int pi, const lk_row *in, int64_t now, lk_buf *why)
{
	lk_pool *p = &r->pools[pi];
	lk_buf *note = &r->note;
	int64_t day = day_of(r, now);
	int k;

	if (r->ledger || p->method == LK_POOL_HASH)
		lead_key(r, in);
	if (r->ledger && r->key.len) {
		intptr_t at = (intptr_t)lk_hash_get(r->leads, r->key.data, r->key.len);
		const struct lk_led *e = at ? &r->led[at - 1] : NULL;
		if (e && e->pool == pi && !is_away(&p->reps[e->rep], day)) {
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
		count_lead(r, &p->reps[k], day, 1);
		if (remember(r, pi, k, day) < 0)
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

/* A timestamp column: empty for -1; the last value is kept formatted,
 * since most rows of a run share now and its SLA due times. */
static void put_time(lk_buf *b, int64_t t)
{
	char ts[40];

	if (t < 0) {
		lk_buf_reset(b);
		return;
	}
	lk_date_format_full(t, ts);
	if (b->len && !strcmp(b->data, ts))
		return;
	lk_buf_reset(b);
	lk_buf_adds(b, ts);
}

/*
 * Method account: the lead's account owner gets it, unless the owner is
 * one of the pool's reps and away or at cap.  Returns the owner's index
 * + 1 into r->owners, or 0 for the pool's round-robin fallback (with the
 * reason so far in why).
 */
static int by_account(lk_route *r, lk_pool *p, const lk_row *in, int64_t now, lk_buf *why)
{
	const char *how = NULL, *o;
	intptr_t at = account_owner(r, in, &how);
	int64_t day = day_of(r, now);
	int k;
	void *w;

	if (!at) {
		lk_buf_adds(why, "; no account matched");
		return 0;
	}
	o = r->owners[at - 1];
	lk_buf_add(why, "; account (", 11);
	lk_buf_adds(why, how);
	lk_buf_addc(why, ' ');
	lk_buf_add(why, r->acct.data, r->acct.len);
	lk_buf_add(why, ") in ", 5);
	lk_buf_adds(why, p->name);
	lk_buf_add(why, ": ", 2);
	lk_buf_adds(why, o);
	k = find_rep(p, o);
	if (k >= 0) {
		lk_buf_reset(&r->note);
		if (!available(r, &p->reps[k], day, &r->note)) {
			lk_buf_add(why, " is ", 4);
			lk_buf_adds(why, p->reps[k].away && is_away(&p->reps[k], day) ? "away" : "at cap");
			return 0;
		}
	}
	if ((w = lk_hash_get(r->who, o, strlen(o)))) {
		r->day_load[(intptr_t)w - 1]++;
		r->week_load[(intptr_t)w - 1]++;
	}
	return (int)at;
}

/* An owned column's value: s must live until the next row (a static
 * or model string, an input field, or one of r->val). */
static void set(lk_route *r, int which, const char *s, size_t len)
{
	r->cv[which] = s ? s : "";
	r->cl[which] = s ? len : 0;
}

int lk_route_row(lk_route *r, const lk_row *in, lk_exprenv *env, lk_row **out,
		 lk_route_result *res)
{
	lk_buf *why = &r->val[LK_RT_REASON];
	const lk_route_rule *ru = NULL;
	lk_route_kind kind = LK_ROUTE_HOLD;
	int64_t now = env ? env->now : 0, assigned = -1, due = -1;
	long count = 0;
	size_t len;
	const char *v;
	int i, k, rule = -1, owner_set = 0;

	lk_buf_reset(why);
	for (i = 0; i < r->nrules; i++) {
		const lk_route_rule *c = &r->rules[i];
		int hit = c->expr ? lk_expr_bool(c->expr, in, env) :
			  c->max_recycles >= 0 ? is_recycled(r, in) : 1;
		if (hit) {
			ru = c;
			rule = i;
			break;
		}
	}
	v = lk_row_field(in, r->in[IN_RECYCLES], &len);
	if (len) {
		char num[24];
		char *end;
		long x;
		snprintf(num, sizeof num, "%.*s", (int)(len < 23 ? len : 23), v);
		x = strtol(num, &end, 10);
		if (end != num && x > 0)
			count = x;
	}
	set(r, LK_RT_OWNER, "", 0);
	v = lk_row_field(in, r->in[IN_OWNER], &len);
	set(r, LK_RT_OWNER, v, len);
	if (!ru) {
		lk_buf_adds(why, "no rule matched");
	} else {
		kind = ru->route;
		if (ru->when) {
			lk_buf_add(why, "matched: ", 9);
			lk_buf_adds(why, ru->when);
		} else if (ru->max_recycles >= 0)
			lk_buf_adds(why, "stage or status is recycled");
		else
			lk_buf_adds(why, "catch-all");
		if (ru->max_recycles >= 0) {
			const char *from = lk_row_field(in, r->in[IN_ROUTE], &len);
			if (lk_blank(from, len, 0) || (len == 5 && !memcmp(from, "sales", 5)))
				count++;
			if (count > ru->max_recycles) {
				kind = LK_ROUTE_DISQUALIFY;
				lk_buf_addf(why, "; recycled %ld times, more than max_recycles %d",
					    count, ru->max_recycles);
			} else {
				lk_buf_addf(why, "; recycle %ld of %d", count, ru->max_recycles);
			}
		}
		if (kind == ru->route && ru->pool >= 0) {
			lk_pool *p = &r->pools[ru->pool];
			v = lk_row_field(in, r->in[IN_OWNER], &len);
			if (!lk_blank(v, len, 0) && !ru->reassign) {
				lk_time t;
				size_t al;
				const char *a = lk_row_field(in, r->in[IN_ASSIGNED], &al);
				assigned = al && lk_date_parse(a, al, LK_DATE_AUTO, &t) == 0 ? t.secs : now;
				lk_buf_add(why, "; kept owner ", 13);
				lk_buf_add(why, v, len);
				owner_set = 1;
			} else if (p->method == LK_POOL_ACCOUNT &&
				   (k = by_account(r, p, in, now, why)) > 0) {
				v = r->owners[k - 1];
				set(r, LK_RT_OWNER, v, strlen(v));
				assigned = now;
			} else {
				k = assign(r, ru->pool, in, now, why);
				if (k < 0)
					return -1;
				if (k > 0) {
					const char *id = p->reps[k - 1].id;
					set(r, LK_RT_OWNER, id, strlen(id));
					assigned = now;
					owner_set = 1;
				} else {
					kind = LK_ROUTE_HOLD;
				}
			}
		}
		if (kind == LK_ROUTE_NURTURE && ru->route == kind && ru->track) {
			lk_buf_add(why, "; track ", 8);
			lk_buf_adds(why, ru->track);
		}
		if (kind == ru->route && ru->sla > 0) {
			if (assigned < 0)
				assigned = now;
			if (assigned == now) {	/* the usual case: once per rule and now */
				lk_route_rule *w = &r->rules[rule];
				if (!w->due_ok || w->due_from != now) {
					w->due = lk_calendar_add(&r->cal, now, ru->sla);
					w->due_from = now;
					w->due_ok = 1;
				}
				due = w->due;
			} else {
				due = lk_calendar_add(&r->cal, assigned, ru->sla);
			}
		}
	}
	(void)owner_set;
	set(r, LK_RT_ROUTE, lk_route_kinds[kind], strlen(lk_route_kinds[kind]));
	v = ru ? ru->name : "";
	set(r, LK_RT_RULE, v, strlen(v));
	v = ru && ru->pool >= 0 && (kind == ru->route || kind == LK_ROUTE_HOLD) ?
	    r->pools[ru->pool].name : lk_route_kinds[kind];
	set(r, LK_RT_QUEUE, v, strlen(v));
	put_time(&r->val[LK_RT_ASSIGNED], assigned);
	put_time(&r->val[LK_RT_SLA], due);
	lk_buf_reset(&r->val[LK_RT_RECYCLES]);
	{
		char num[24], *e = num + sizeof num, *b = e;
		unsigned long u = (unsigned long)count;
		do
			*--b = (char)('0' + u % 10);
		while (u /= 10);
		lk_buf_add(&r->val[LK_RT_RECYCLES], b, (size_t)(e - b));
	}

	for (i = 0; i < r->nout; i++) {
		if (i < in->n) {
			r->out.f[i] = in->f[i];
			r->out.len[i] = in->len ? in->len[i] : strlen(in->f[i]);
		} else {
			r->out.f[i] = (char *)"";
			r->out.len[i] = 0;
		}
	}
	set(r, LK_RT_REASON, why->data, why->len);
	set(r, LK_RT_ASSIGNED, r->val[LK_RT_ASSIGNED].data, r->val[LK_RT_ASSIGNED].len);
	set(r, LK_RT_SLA, r->val[LK_RT_SLA].data, r->val[LK_RT_SLA].len);
	set(r, LK_RT_RECYCLES, r->val[LK_RT_RECYCLES].data, r->val[LK_RT_RECYCLES].len);
	for (k = 0; k < LK_RT_NCOLS; k++) {
		r->out.f[r->col[k]] = (char *)r->cv[k];
		r->out.len[r->col[k]] = r->cl[k];
	}
	*out = &r->out;
	if (res) {
		res->route = kind;
		res->rule = rule;
		res->owner = r->cv[LK_RT_OWNER];
		res->assigned_at = assigned;
		res->sla_due_at = due;
		res->recycle_count = count;
	}
	return 0;
}

/* ---- the state ledger ---- */

static const char *const state_cols[] = { "record", "pool", "rep", "day", "value" };

int lk_route_lock(const char *path, double wait, lk_err *err)
{
	lk_buf lp = { 0 };
	struct timespec pause = { 0, 50 * 1000000L };
	double waited = 0;
	char pid[32];
	int fd, n;

	lk_buf_addf(&lp, "%s.lock", path);
	if (!lp.data)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	fd = open(lp.data, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		lk_err_set(err, LK_EIO, "%s: cannot open the lock file: %s", lp.data, strerror(errno));
		lk_buf_free(&lp);
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			lk_err_set(err, LK_EIO, "%s: cannot lock: %s", lp.data, strerror(errno));
			goto fail;
		}
		if (waited >= wait) {
			n = (int)pread(fd, pid, sizeof pid - 1, 0);
			pid[n > 0 ? n : 0] = 0;
			pid[strcspn(pid, "\n")] = 0;
			lk_err_set(err, LK_EIO, "%s: in use by another lead-route run%s%s%s (waited %gs; "
				   "--wait-lock SECONDS waits longer)", path, *pid ? " (pid " : "",
				   pid, *pid ? ")" : "", wait);
			goto fail;
		}
		nanosleep(&pause, NULL);
		waited += 0.05;
	}
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	/* The pid is only a hint for the message above: errors do not matter. */
	if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, (size_t)n, 0) != n) {
		n = 0;
	}
	lk_buf_free(&lp);
	return fd;
fail:
	close(fd);
	lk_buf_free(&lp);
	return -1;
}

static int state_err(lk_err *err, const char *path, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int state_err(lk_err *err, const char *path, long line, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		return lk_err_at(err, path, line, 1, "corrupt state file: %s (it is left as it is; "
				 "move it aside to start afresh)", msg);
	lk_err_set(err, LK_EMODEL, "%s", msg);
	snprintf(err->file, sizeof err->file, "%s", path);
	return -1;
}

static int find_pool(const lk_route *r, const char *name)
{
	int i;

	for (i = 0; i < r->npools; i++)
		if (!strcmp(r->pools[i].name, name))
			return i;
	return -1;
}

static int find_rep(const lk_pool *p, const char *id)
{
	int i;

	for (i = 0; i < p->nreps; i++)
		if (!strcmp(p->reps[i].id, id))
			return i;
	return -1;
}

/* A whole number, or -1. */
static int state_num(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return *s && !*end && !errno ? 0 : -1;
}

static int state_day(const char *s, size_t len, int64_t *day)
{
	lk_time t;

	if (len != 10 || s[4] != '-' || s[7] != '-' || lk_date_parse(s, len, LK_DATE_AUTO, &t) < 0 || t.has_time)
		return -1;
	*day = t.secs / 86400;
	return 0;
}

/* Start the ledger as of `now`: empty, this week. */
static int ledger_start(lk_route *r, int64_t now)
{
	r->have_today = 0;
	day_of(r, now);
	r->ledger = 1;
	lk_hash_free(r->leads);
	free(r->anon);
	r->leads = lk_hash_new(1024);
	r->anon = calloc((size_t)r->nwho * 7 + 1, sizeof *r->anon);
	return r->leads && r->anon ? 0 : -1;
}

int lk_route_state_load(lk_route *r, const char *path, int64_t now, lk_err *err)
{
	lk_csvopt co = { 0 };
	lk_reader *rd = NULL;
	lk_row *row;
	struct stat st;
	char *seen = NULL;
	int *first = NULL;
	int fd, rc, i, k, nseen = 0, version = 0;

	if (ledger_start(r, now) < 0)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;	/* the first run: the file is created at the end */
		return lk_err_set(err, LK_EIO, "%s: cannot open: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) == 0 && st.st_size == 0) {
		close(fd);
		return 0;	/* touched empty: also a first run */
	}
	/* seen[]: the pools, then each pool's reps, met in the file. */
	first = calloc((size_t)r->npools + 1, sizeof *first);
	for (i = 0; i < r->npools; i++) {
		first[i] = nseen;
		nseen += 1 + r->pools[i].nreps;
	}
	seen = calloc((size_t)nseen + 1, 1);
	co.name = path;
	if (!first || !seen || !(rd = lk_reader_new(fd, &co, err))) {
		rc = err->kind ? -1 : lk_err_set(err, LK_ENOMEM, "out of memory");
		goto out;
	}
	rc = -1;
	if ((k = lk_reader_next(rd, &row, err)) <= 0) {
		if (k == 0)
			state_err(err, path, 1, "no header");
		else
			state_err(err, path, err->line, "%s", err->msg);
		goto out;
	}
	for (i = 0; i < 5; i++)
		if (row->n != 5 || strcmp(row->f[i], state_cols[i])) {
			state_err(err, path, row->line, "the header must be "
				  "record,pool,rep,day,value");
			goto out;
		}
	while ((k = lk_reader_next(rd, &row, err)) > 0) {
		const char *kind = row->f[0], *pn = row->f[1], *id = row->f[2];
		long line = row->line, v = 0;
		int64_t day = 0;
		int p = -1, rep = -1;

		if (row->bad || row->n != 5) {
			state_err(err, path, line, "%s", row->bad ? row->bad : "a record has 5 fields");
			goto out;
		}
		if (!version) {
			if (strcmp(kind, "version") || strcmp(row->f[4], "1")) {
				state_err(err, path, line, "the first record must be version,,,,1");
				goto out;
			}
			version = 1;
			continue;
		}
		if (*pn && (p = find_pool(r, pn)) < 0) {
			state_err(err, path, 0, "written for another model: pool '%s' is in the "
				  "state but not in the model (the rotation cannot carry over; move "
				  "the file aside to start afresh)", pn);
			goto out;
		}
		if (p >= 0 && *id && (rep = find_rep(&r->pools[p], id)) < 0) {
			state_err(err, path, 0, "written for another model: rep '%s' of pool '%s' "
				  "is in the state but not in the model (the rotation cannot carry "
				  "over; move the file aside to start afresh)", id, pn);
			goto out;
		}
		if (!strcmp(kind, "pool")) {
			if (p < 0 || *id || *row->f[3]) {
				state_err(err, path, line, "a pool record names a pool and nothing else");
				goto out;
			}
			if (seen[first[p]]++) {
				state_err(err, path, line, "pool '%s' twice", pn);
				goto out;
			}
			if (*row->f[4]) {
				int nx = find_rep(&r->pools[p], row->f[4]);
				if (nx < 0) {
					state_err(err, path, line, "the next rep '%s' is not in pool "
						  "'%s'", row->f[4], pn);
					goto out;
				}
				r->pools[p].next = nx;
			}
		} else if (!strcmp(kind, "rep")) {
			if (rep < 0 || *row->f[3] || state_num(row->f[4], &v) < 0) {
				state_err(err, path, line, "a rep record has a pool, a rep and a "
					  "whole-number credit");
				goto out;
			}
			if (seen[first[p] + 1 + rep]++) {
				state_err(err, path, line, "rep '%s' of pool '%s' twice", id, pn);
				goto out;
			}
			r->pools[p].reps[rep].credit = v;
		} else if (!strcmp(kind, "lead")) {
			if (rep < 0 || state_day(row->f[3], row->len[3], &day) < 0 || !row->len[4]) {
				state_err(err, path, line, "a lead record has a pool, a rep, a day "
					  "(YYYY-MM-DD) and a lead key");
				goto out;
			}
			if (day < r->week0 || day >= r->week0 + 7)
				continue;	/* an earlier week's: forgotten */
			if (lk_hash_get(r->leads, row->f[4], row->len[4])) {
				state_err(err, path, line, "lead '%s' twice", row->f[4]);
				goto out;
			}
			lk_buf_reset(&r->key);
			if (lk_buf_add(&r->key, row->f[4], row->len[4]) < 0 ||
			    remember(r, p, rep, day) < 0) {
				lk_err_set(err, LK_ENOMEM, "out of memory");
				goto out;
			}
			count_lead(r, &r->pools[p].reps[rep], day, 1);
		} else if (!strcmp(kind, "count")) {
			void *w = lk_hash_get(r->who, id, strlen(id));
			if (*pn || !w || state_day(row->f[3], row->len[3], &day) < 0 ||
			    state_num(row->f[4], &v) < 0 || v < 0) {
				state_err(err, path, line, "a count record has a rep, a day "
					  "(YYYY-MM-DD) and a number");
				goto out;
			}
			if (day < r->week0 || day >= r->week0 + 7)
				continue;
			k = (int)(intptr_t)w - 1;
			r->anon[k * 7 + (day - r->week0)] += v;
			if (day == r->today)
				r->day_load[k] += v;
			r->week_load[k] += v;
		} else {
			state_err(err, path, line, "unknown record '%s' (records are version, pool, "
				  "rep, lead, count)", kind);
			goto out;
		}
	}
	if (k < 0) {
		state_err(err, path, err->line, "%s", err->msg);
		goto out;
	}
	if (!version) {
		state_err(err, path, 1, "no version record");
		goto out;
	}
	for (i = 0; i < r->npools; i++)
		for (k = 0; k <= r->pools[i].nreps; k++)
			if (!seen[first[i] + k]) {
				if (k == 0)
					state_err(err, path, 0, "written for another model: pool '%s' "
						  "is in the model but not in the state (the rotation "
						  "cannot carry over; move the file aside to start "
						  "afresh)", r->pools[i].name);
				else
					state_err(err, path, 0, "written for another model: rep '%s' "
						  "of pool '%s' is in the model but not in the state "
						  "(the rotation cannot carry over; move the file aside "
						  "to start afresh)", r->pools[i].reps[k - 1].id,
						  r->pools[i].name);
				goto out;
			}
	rc = 0;
out:
	lk_reader_free(rd);
	close(fd);
	free(seen);
	free(first);
	return rc;
}

static void put_day(lk_writer *w, int64_t day)
{
	char ts[40];

	lk_writer_field(w, lk_date_format_full(day * 86400, ts), 10);
}

int lk_route_state_save(lk_route *r, const char *path, lk_err *err)
{
	lk_outfile of;
	lk_writer *w;
	char num[32];
	size_t i;
	int p, k, d, dfd, rc;

	if (!r->ledger)
		return lk_err_set(err, LK_EUSAGE, "no ledger: lk_route_state_load was not called");
	if (lk_outfile_open(&of, path, err) < 0)
		return -1;
	w = lk_writer_new(of.fd, ',', 0);
	if (!w) {
		lk_outfile_abort(&of);
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	lk_writer_row(w, state_cols, NULL, 5, err);
	lk_writer_raw(w, "version,,,,1\n", 13);
	for (p = 0; p < r->npools; p++) {
		const lk_pool *pl = &r->pools[p];
		const char *nx = pl->method == LK_POOL_ROUND_ROBIN || pl->method == LK_POOL_ACCOUNT ?
				 pl->reps[pl->next].id : "";
		lk_writer_field(w, "pool", 4);
		lk_writer_field(w, pl->name, strlen(pl->name));
		lk_writer_field(w, "", 0);
		lk_writer_field(w, "", 0);
		lk_writer_field(w, nx, strlen(nx));
		lk_writer_end(w, err);
		for (k = 0; k < pl->nreps; k++) {
			lk_writer_field(w, "rep", 3);
			lk_writer_field(w, pl->name, strlen(pl->name));
			lk_writer_field(w, pl->reps[k].id, strlen(pl->reps[k].id));
			lk_writer_field(w, "", 0);
			snprintf(num, sizeof num, "%ld", pl->reps[k].credit);
			lk_writer_field(w, num, strlen(num));
			lk_writer_end(w, err);
		}
	}
	for (k = 0; k < r->nwho; k++)
		for (d = 0; d < 7; d++) {
			const char *id;
			long n = r->anon[k * 7 + d];
			if (!n)
				continue;
			lk_hash_entry(r->who, (size_t)k, &id, NULL, NULL);
			lk_writer_field(w, "count", 5);
			lk_writer_field(w, "", 0);
			lk_writer_field(w, id, strlen(id));
			put_day(w, r->week0 + d);
			snprintf(num, sizeof num, "%ld", n);
			lk_writer_field(w, num, strlen(num));
			lk_writer_end(w, err);
		}
	for (i = 0; i < r->nled; i++) {
		const struct lk_led *e = &r->led[i];
		const char *key, *id = r->pools[e->pool].reps[e->rep].id;
		size_t klen;
		if (e->day < r->week0 || e->day >= r->week0 + 7)
			continue;
		lk_hash_entry(r->leads, i, &key, &klen, NULL);
		lk_writer_field(w, "lead", 4);
		lk_writer_field(w, r->pools[e->pool].name, strlen(r->pools[e->pool].name));
		lk_writer_field(w, id, strlen(id));
		put_day(w, e->day);
		lk_writer_field(w, key, klen);
		if (lk_writer_end(w, err) < 0)
			break;
	}
	rc = lk_writer_flush(w, err);
	lk_writer_free(w);
	if (rc < 0) {
		lk_outfile_abort(&of);
		return -1;
	}
	if (lk_outfile_commit(&of, err) < 0)
		return -1;
	/* The rename is durable once the directory is on disk too. */
	{
		const char *slash = strrchr(path, '/');
		lk_buf dir = { 0 };
		if (slash)
			lk_buf_add(&dir, path, slash == path ? 1 : (size_t)(slash - path));
		else
			lk_buf_adds(&dir, ".");
		dfd = dir.data ? open(dir.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
		rc = dfd >= 0 && fsync(dfd) < 0 && errno != EINVAL ?
		     lk_err_set(err, LK_EIO, "%s: cannot sync its directory: %s", path,
				strerror(errno)) : 0;
		if (dfd >= 0)
			close(dfd);
		lk_buf_free(&dir);
	}
	return rc;
}

int lk_route_needs_accounts(const lk_route *r)
{
	int i;

	for (i = 0; i < r->npools; i++)
		if (r->pools[i].method == LK_POOL_ACCOUNT)
			return 1;
	return 0;
}

/* ---- --split-by: one file per value ---- */

#define SPLIT_MANIFEST ".lead-route-split"

struct lk_split_file {
	char *value, *name;		/* owned */
	lk_outfile of;
	lk_writer *w;
};

struct lk_split {
	char *dir;
	int col;
	char delim;
	const char *const *names;	/* the header, the caller's */
	int nnames;
	lk_hash *by_value, *by_name;	/* -> index + 1 into files */
	struct lk_split_file *files;
	size_t nfiles, afiles;
	lk_hash *mine;			/* names in the manifest of the last run */
	lk_buf path, tmp;
};

/* The file name of a value: bytes other than letters, digits, '.', '-'
 * and '_' become '_', as does a leading '.'; empty is "_empty".  So a
 * name never holds '/' and is never "." or "..". */
static void split_name(const char *v, size_t len, char delim, lk_buf *out)
{
	size_t i;

	lk_buf_reset(out);
	if (!len)
		lk_buf_adds(out, "_empty");
	for (i = 0; i < len && i < 100; i++) {
		char c = v[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 c == '-' || c == '_' || (c == '.' && i > 0);
		lk_buf_addc(out, ok ? c : '_');
	}
	lk_buf_adds(out, delim == '\t' ? ".tsv" : ".csv");
}

lk_split *lk_split_new(const char *dir, int col, char delim, const char *const *names, int n,
		       lk_err *err)
{
	lk_split *s = calloc(1, sizeof *s);
	struct stat st;
	int fd;

	if (!s || !(s->dir = strdup(dir)) || !(s->by_value = lk_hash_new(64)) ||
	    !(s->by_name = lk_hash_new(64)) || !(s->mine = lk_hash_new(64))) {
		lk_split_free(s);
		lk_err_set(err, LK_ENOMEM, "out of memory");
		return NULL;
	}
	s->col = col;
	s->delim = delim;
	s->names = names;
	s->nnames = n;
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		lk_err_set(err, LK_EIO, "%s: cannot create the directory: %s", dir, strerror(errno));
		goto fail;
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		lk_err_set(err, LK_EIO, "%s: not a directory", dir);
		goto fail;
	}
	/* The manifest: the files an earlier --split-by wrote here. */
	lk_buf_reset(&s->path);
	lk_buf_addf(&s->path, "%s/%s", dir, SPLIT_MANIFEST);
	fd = open(s->path.data, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		char buf[4096];
		ssize_t k;
		lk_buf line = { 0 };
		while ((k = read(fd, buf, sizeof buf)) > 0) {
			ssize_t i;
			for (i = 0; i < k; i++) {
				if (buf[i] != '\n') {
					lk_buf_addc(&line, buf[i]);
					continue;
				}
				if (line.len && !strchr(lk_buf_str(&line), '/'))
					lk_hash_put(s->mine, line.data, line.len, (void *)1);
				lk_buf_reset(&line);
			}
		}
		lk_buf_free(&line);
		close(fd);
	}
	return s;
fail:
	lk_split_free(s);
	return NULL;
}

/* The file of the row's value, opened (a temporary file) on first use. */
static struct lk_split_file *split_file(lk_split *s, const char *v, size_t len, lk_err *err)
{
	struct lk_split_file *f;
	intptr_t at = (intptr_t)lk_hash_get(s->by_value, v, len);
	struct stat st;
	int i;

	if (at)
		return &s->files[at - 1];
	if (s->nfiles == s->afiles) {
		size_t na = s->afiles ? s->afiles * 2 : 16;
		struct lk_split_file *nf = realloc(s->files, na * sizeof *nf);
		if (!nf)
			return lk_err_set(err, LK_ENOMEM, "out of memory"), NULL;
		s->files = nf;
		s->afiles = na;
	}
	split_name(v, len, s->delim, &s->tmp);
	if (lk_hash_get(s->by_name, s->tmp.data, s->tmp.len)) {
		/* "Ann Lee" and "Ann_Lee" both clean to Ann_Lee: the later one
		 * gets the value's FNV-1a hash in its name. */
		char h[24];
		snprintf(h, sizeof h, "~%08lx", (unsigned long)(lk_fnv1a(v, len) & 0xffffffffUL));
		s->tmp.len -= 4;
		lk_buf_adds(&s->tmp, h);
		lk_buf_adds(&s->tmp, s->delim == '\t' ? ".tsv" : ".csv");
		if (lk_hash_get(s->by_name, s->tmp.data, s->tmp.len))
			return lk_err_set(err, LK_EDATA, "--split-by: two values share the file "
					  "name %s", s->tmp.data), NULL;
	}
	lk_buf_reset(&s->path);
	lk_buf_addf(&s->path, "%s/%s", s->dir, s->tmp.data);
	if (lstat(s->path.data, &st) == 0 && !lk_hash_get(s->mine, s->tmp.data, s->tmp.len))
		return lk_err_set(err, LK_EIO, "%s exists and was not written by lead-route "
				  "--split-by: not overwritten (move it, or split into another "
				  "directory)", s->path.data), NULL;
	f = &s->files[s->nfiles];
	memset(f, 0, sizeof *f);
	f->value = strndup(v, len);
	f->name = strdup(s->tmp.data);
	if (!f->value || !f->name) {
		free(f->value);
		free(f->name);
		return lk_err_set(err, LK_ENOMEM, "out of memory"), NULL;
	}
	if (lk_outfile_open(&f->of, s->path.data, err) < 0) {
		free(f->value);
		free(f->name);
		return NULL;
	}
	s->nfiles++;
	if (!(f->w = lk_writer_new(f->of.fd, s->delim, 0)) ||
	    lk_hash_put(s->by_value, v, len, (void *)(intptr_t)s->nfiles) < 0 ||
	    lk_hash_put(s->by_name, f->name, strlen(f->name), (void *)(intptr_t)s->nfiles) < 0)
		return lk_err_set(err, LK_ENOMEM, "out of memory"), NULL;
	for (i = 0; i < s->nnames; i++)
		lk_writer_field(f->w, s->names[i], strlen(s->names[i]));
	if (lk_writer_end(f->w, err) < 0)
		return NULL;
	return f;
}

int lk_split_row(lk_split *s, const lk_row *row, lk_err *err)
{
	const char *v = s->col < row->n ? row->f[s->col] : "";
	size_t len = s->col < row->n ? row->len[s->col] : 0;
	struct lk_split_file *f = split_file(s, v, len, err);

	if (!f)
		return -1;
	return lk_writer_row(f->w, (const char *const *)row->f, row->len, row->n, err);
}

int lk_split_commit(lk_split *s, lk_err *err)
{
	lk_outfile man;
	lk_writer *w;
	size_t i;
	int rc = 0;

	for (i = 0; i < s->nfiles; i++)
		if (lk_writer_flush(s->files[i].w, err) < 0)
			return -1;
	for (i = 0; i < s->nfiles; i++)
		if (lk_outfile_commit(&s->files[i].of, err) < 0)
			return -1;
	/* Files of the last run that this one did not write are stale:
	 * yesterday's list for a rep with no leads today must not be sent. */
	for (i = 0; i < lk_hash_count(s->mine); i++) {
		const char *name;
		size_t nl;
		lk_hash_entry(s->mine, i, &name, &nl, NULL);
		if (lk_hash_get(s->by_name, name, nl))
			continue;
		lk_buf_reset(&s->path);
		lk_buf_addf(&s->path, "%s/%s", s->dir, name);
		unlink(s->path.data);
	}
	lk_buf_reset(&s->path);
	lk_buf_addf(&s->path, "%s/%s", s->dir, SPLIT_MANIFEST);
	if (lk_outfile_open(&man, s->path.data, err) < 0)
		return -1;
	if (!(w = lk_writer_new(man.fd, ',', 0))) {
		lk_outfile_abort(&man);
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	for (i = 0; i < s->nfiles; i++) {
		lk_writer_raw(w, s->files[i].name, strlen(s->files[i].name));
		lk_writer_raw(w, "\n", 1);
	}
	rc = lk_writer_flush(w, err);
	lk_writer_free(w);
	if (rc < 0) {
		lk_outfile_abort(&man);
		return -1;
	}
	return lk_outfile_commit(&man, err);
}

void lk_split_free(lk_split *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nfiles; i++) {
		lk_outfile_abort(&s->files[i].of);	/* nothing once committed */
		lk_writer_free(s->files[i].w);
		free(s->files[i].value);
		free(s->files[i].name);
	}
	free(s->files);
	free(s->dir);
	lk_hash_free(s->by_value);
	lk_hash_free(s->by_name);
	lk_hash_free(s->mine);
	lk_buf_free(&s->path);
	lk_buf_free(&s->tmp);
	free(s);
}
