/*
 * route.c - the routing rules: parsing the routing section (its pools
 * are pool.c's), binding to a header, and routing one row.  See route.h
 * for the model syntax and route_int.h for how the files share the work.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "model/bind.h"
#include "route/route_int.h"

const char *const lk_route_kinds[LK_ROUTE_NKINDS] = {
	"sales", "nurture", "recycle", "disqualify", "hold"
};

const char *const lk_route_columns[LK_RT_NCOLS] = {
	"route", "route_rule", "route_reason", "queue", "owner", "assigned_at", "sla_due_at",
	"recycle_count"
};

static const char *const in_names[LK_RTIN_N] = {
	"lead_id", "email", "stage", "status", "route", "owner", "assigned_at", "recycle_count",
	"company"
};

/* ---- parsing ---- */

int lk_route_get_whole(lk_yml *y, yaml_node_t *n, const char *key, double lo, const char *range,
		       long *out, lk_err *err)
{
	double v;
	int rc = lk_yml_get_num(y, n, key, 0, &v, err);

	if (rc <= 0)
		return rc;
	if (v < lo || v > 1000000 || v != floor(v))
		return lk_yml_err(y, lk_yml_get(y, n, key, err), err,
				  "'%s' must be a whole number from %s", key, range);
	*out = (long)v;
	return 1;
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
	long v;
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
	if (!lk_model_good_name(ru->name))
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
	if ((rc = lk_route_get_whole(y, n, "max_recycles", 0, "0 up", &v, err)) < 0)
		return -1;
	if (rc)
		ru->max_recycles = (int)v;
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
	    lk_route_parse_pools(r, y, lk_yml_get(y, m->routing, "pools", err), err) < 0)
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
	int i, k;

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
	lk_bind_find(cols, n, in_names, LK_RTIN_N, r->in);
	k = lk_bind_owned(cols, n, lk_route_columns, LK_RT_NCOLS, NULL, r->col, &r->names, &r->out,
			  err);
	if (k < 0)
		return -1;
	r->nin = n;
	r->nout = k;
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
	for (c = LK_RTIN_STAGE; c <= LK_RTIN_STATUS; c++) {
		size_t len;
		const char *v = lk_row_field(in, r->in[c], &len);
		if (len && lk_model_stage(r->m, v, len) == r->recycled_stage)
			return 1;
	}
	return 0;
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
	v = lk_row_field(in, r->in[LK_RTIN_RECYCLES], &len);
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
	v = lk_row_field(in, r->in[LK_RTIN_OWNER], &len);
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
			const char *from = lk_row_field(in, r->in[LK_RTIN_ROUTE], &len);
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
			v = lk_row_field(in, r->in[LK_RTIN_OWNER], &len);
			if (!lk_blank(v, len, 0) && !ru->reassign) {
				lk_time t;
				size_t al;
				const char *a = lk_row_field(in, r->in[LK_RTIN_ASSIGNED], &al);
				assigned = al && lk_date_parse(a, al, LK_DATE_AUTO, &t) == 0 ? t.secs : now;
				lk_buf_add(why, "; kept owner ", 13);
				lk_buf_add(why, v, len);
				owner_set = 1;
			} else if (p->method == LK_POOL_ACCOUNT &&
				   (k = lk_route_by_account(r, p, in, now, why)) > 0) {
				v = r->owners[k - 1];
				set(r, LK_RT_OWNER, v, strlen(v));
				assigned = now;
			} else {
				k = lk_route_assign(r, ru->pool, in, now, why);
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

	lk_bind_pass(&r->out, in, r->nin);
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
