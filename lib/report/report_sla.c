/*
 * report_sla.c - SLA compliance of leads routed to sales.
 *
 * A lead counts when its route is sales (every lead when there is no
 * route column) and its sla_due_at is a date.  Its first touch is the
 * first_touch_at column when that is a date, else the earliest activity
 * (of the --touch names, or any) at or after assigned_at; nothing dated
 * after --now is used.  An activity names its lead by lead_id, or by
 * email when lead_id is blank (as lead-ingest writes activities).  Then the lead is
 *   met      touched at or before sla_due_at,
 *   late     touched after it,
 *   overdue  not touched and sla_due_at is past --now,
 *   open     not touched and still within its SLA.
 * met_pct is met / (met + late + overdue): open leads are not judged yet.
 * Response time is first touch minus assigned_at, for touched leads with
 * an assigned_at; its median is exact (the minutes are kept per owner).
 * A first_touch_at before assigned_at is counted (neg_response) and left
 * out of the response times; the lead is still met or late.
 * Three tables: summary, owners (sorted by owner), breaches (late and
 * overdue leads, by sla_due_at then lead).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "report/report_int.h"

typedef struct times {
	int64_t *t;
	size_t n, cap;
} times;

typedef struct owner {
	char *key;		/* owned */
	size_t len;
	int64_t n[4];		/* met, late, overdue, open */
	times resp;		/* response minutes */
} owner;

typedef struct breach {
	char *lead, *owner, *assigned, *due;	/* owned copies */
	int64_t due_secs, touch;		/* touch: -1 none */
	int late;				/* 1 late, 0 overdue */
} breach;

typedef struct sla {
	const lk_model *m;
	const lk_report_opt *o;
	lk_report_stats *st;
	/* activities */
	int a_id, a_email, a_act, a_at;	/* activity columns */
	int acts_bound;
	lk_hash *aidx;		/* key -> index + 1 into acts */
	times *acts;
	size_t nacts, capacts;
	lk_buf tmp;
	/* leads */
	int c_id, c_email, c_route, c_owner, c_assigned, c_due, c_touch;
	lk_hash *oidx;		/* owner -> index + 1 */
	owner *own;
	size_t nown, capown;
	breach *br;
	size_t nbr, capbr;
} sla;

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	void *np;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	np = realloc(*p, c * size);
	if (!np)
		return -1;
	*p = np;
	*cap = c;
	return 0;
}

static int times_add(times *t, int64_t v)
{
	if (grow((void **)&t->t, &t->cap, t->n, sizeof *t->t) < 0)
		return -1;
	t->t[t->n++] = v;
	return 0;
}

static char *dup(const char *s, size_t len)
{
	char *d = malloc(len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

static void *sla_create(const lk_model *m, const lk_report_opt *o, lk_report_stats *st, lk_err *err)
{
	sla *s = calloc(1, sizeof *s);

	if (!s || !(s->aidx = lk_hash_new(64)) || !(s->oidx = lk_hash_new(16))) {
		if (s)
			lk_hash_free(s->aidx);
		free(s);
		lk_report_nomem(err);
		return NULL;
	}
	s->m = m;
	s->o = o;
	s->st = st;
	return s;
}

static void sla_destroy(void *x)
{
	sla *s = x;
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nacts; i++)
		free(s->acts[i].t);
	free(s->acts);
	for (i = 0; i < s->nown; i++) {
		free(s->own[i].key);
		free(s->own[i].resp.t);
	}
	free(s->own);
	for (i = 0; i < s->nbr; i++) {
		free(s->br[i].lead);
		free(s->br[i].owner);
		free(s->br[i].assigned);
		free(s->br[i].due);
	}
	free(s->br);
	lk_hash_free(s->aidx);
	lk_hash_free(s->oidx);
	lk_buf_free(&s->tmp);
	free(s);
}

static int sla_bind_act(void *x, const char *const *names, int n, lk_err *err)
{
	sla *s = x;

	s->a_id = lk_report_col(names, n, "lead_id");
	s->a_email = lk_report_col(names, n, "email");
	s->a_act = lk_report_col(names, n, "activity");
	s->a_at = lk_report_col(names, n, "occurred_at");
	s->acts_bound = 1;
	if ((s->a_id < 0 && s->a_email < 0) || s->a_at < 0 || (s->o->touch && s->a_act < 0))
		return lk_err_set(err, LK_EUSAGE,
				  "--activities: the file needs lead_id (or email), activity and occurred_at columns");
	return 0;
}

/* 1 when the activity is one of --touch (loose names), or no --touch. */
static int is_touch(sla *s, const char *a, size_t len)
{
	const char *p = s->o->touch, *e;
	size_t klen;

	if (!p)
		return 1;
	lk_buf_reset(&s->tmp);
	lk_loose_key(a, len, &s->tmp);
	klen = s->tmp.len;
	while (*p) {
		lk_buf want = LK_BUF_INIT;
		int same;
		e = strchr(p, ',');
		if (!e)
			e = p + strlen(p);
		lk_loose_key(p, (size_t)(e - p), &want);
		same = want.len == klen && (!klen || !memcmp(lk_buf_str(&want), lk_buf_str(&s->tmp), klen));
		lk_buf_free(&want);
		if (same)
			return 1;
		p = *e ? e + 1 : e;
	}
	return 0;
}

static int sla_add_act(void *x, const lk_row *row, lk_err *err)
{
	sla *s = x;
	int64_t t;
	void **slot;
	int created;
	const char *k;
	size_t kl;

	if (!lk_report_key(row, s->a_id, s->a_email, &k, &kl))
		return 0;
	if (lk_report_time(s->m, row, s->a_at, &t) < 0) {
		s->st->bad_times++;
		return 0;
	}
	if (t > s->o->now)
		return 0;
	if (s->a_act >= 0 && s->a_act < row->n && !is_touch(s, row->f[s->a_act], row->len[s->a_act]))
		return 0;
	slot = lk_hash_slot(s->aidx, k, kl, 1, &created);
	if (!slot)
		return lk_report_nomem(err);
	if (created) {
		if (grow((void **)&s->acts, &s->capacts, s->nacts, sizeof *s->acts) < 0)
			return lk_report_nomem(err);
		memset(&s->acts[s->nacts], 0, sizeof *s->acts);
		*slot = (void *)(intptr_t)++s->nacts;
	}
	if (times_add(&s->acts[(intptr_t)*slot - 1], t) < 0)
		return lk_report_nomem(err);
	return 0;
}

static int sla_bind(void *x, const char *const *names, int n, lk_err *err)
{
	sla *s = x;

	s->c_due = lk_report_col(names, n, "sla_due_at");
	if (s->c_due < 0)
		return lk_err_set(err, LK_EUSAGE,
				  "sla: the input has no sla_due_at column (route it with lead-route first)");
	s->c_id = lk_report_col(names, n, "lead_id");
	s->c_route = lk_report_col(names, n, "route");
	s->c_owner = lk_report_col(names, n, "owner");
	s->c_assigned = lk_report_col(names, n, "assigned_at");
	s->c_touch = lk_report_col(names, n, "first_touch_at");
	s->c_email = lk_report_col(names, n, "email");
	if (s->acts_bound && s->c_id < 0 && s->c_email < 0)
		return lk_err_set(err, LK_EUSAGE,
				  "sla: the leads have neither lead_id nor email to find their activities");
	if (s->c_touch < 0 && !s->acts_bound)
		return lk_err_set(err, LK_EUSAGE,
				  "sla: no first touch: give --activities FILE or a first_touch_at column");
	return 0;
}

static owner *owner_of(sla *s, const char *k, size_t len)
{
	int created;
	void **slot = lk_hash_slot(s->oidx, k, len, 1, &created);

	if (!slot)
		return NULL;
	if (created) {
		owner *o;
		if (grow((void **)&s->own, &s->capown, s->nown, sizeof *s->own) < 0)
			return NULL;
		o = &s->own[s->nown];
		memset(o, 0, sizeof *o);
		if (!(o->key = dup(k, len)))
			return NULL;
		o->len = len;
		*slot = (void *)(intptr_t)++s->nown;
	}
	return &s->own[(intptr_t)*slot - 1];
}

static const char *fld(const lk_row *row, int c, size_t *len)
{
	if (c < 0 || c >= row->n) {
		*len = 0;
		return "";
	}
	*len = row->len[c];
	return row->f[c];
}

static int sla_add(void *x, const lk_row *row, lk_err *err)
{
	sla *s = x;
	int64_t due, asg = INT64_MIN, touch = -1;
	int has_asg, status;
	size_t olen, len;
	const char *ow;
	owner *o;

	s->st->rows++;
	if (s->c_route >= 0) {
		const char *r = fld(row, s->c_route, &len);
		if (len != 5 || strncasecmp(r, "sales", 5))
			return 0;
	}
	if (lk_report_time(s->m, row, s->c_due, &due) < 0) {
		if (lk_report_field_ok(row, s->c_due))
			s->st->bad_times++;
		s->st->no_sla++;
		return 0;
	}
	has_asg = lk_report_time(s->m, row, s->c_assigned, &asg) == 0;
	if (lk_report_time(s->m, row, s->c_touch, &touch) < 0 || touch > s->o->now) {
		int k;
		touch = -1;
		/* Activities may name the lead by lead_id or by email. */
		for (k = 0; k < 2; k++) {
			int col = k ? s->c_email : s->c_id;
			times *t;
			size_t i;
			if (!s->acts_bound || !lk_report_field_ok(row, col))
				continue;
			t = lk_hash_get(s->aidx, row->f[col], row->len[col]);
			if (!t)
				continue;
			t = &s->acts[(intptr_t)t - 1];
			for (i = 0; i < t->n; i++)
				if (t->t[i] >= asg && (touch < 0 || t->t[i] < touch))
					touch = t->t[i];
		}
	}
	status = touch >= 0 ? (touch <= due ? 0 : 1) : (due < s->o->now ? 2 : 3);
	ow = fld(row, s->c_owner, &olen);
	o = owner_of(s, ow, olen);
	if (!o)
		return lk_report_nomem(err);
	o->n[status]++;
	/* A touch before the assignment (first_touch_at from the CRM) is
	 * counted apart, not a negative response time. */
	if (touch >= 0 && has_asg && touch < asg)
		s->st->neg_response++;
	else if (touch >= 0 && has_asg && times_add(&o->resp, (touch - asg) / 60) < 0)
		return lk_report_nomem(err);
	if (status == 1 || status == 2) {
		breach *b;
		const char *v;
		if (grow((void **)&s->br, &s->capbr, s->nbr, sizeof *s->br) < 0)
			return lk_report_nomem(err);
		b = &s->br[s->nbr];
		memset(b, 0, sizeof *b);
		v = fld(row, s->c_id, &len);
		b->lead = dup(v, len);
		b->owner = dup(ow, olen);
		v = fld(row, s->c_assigned, &len);
		b->assigned = dup(v, len);
		v = fld(row, s->c_due, &len);
		b->due = dup(v, len);
		b->due_secs = due;
		b->touch = touch;
		b->late = status == 1;
		s->nbr++;
		if (!b->lead || !b->owner || !b->assigned || !b->due)
			return lk_report_nomem(err);
	}
	return 0;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

static int cmp_owner(const void *x, const void *y)
{
	const owner *a = x, *b = y;

	return lk_report_cmp(a->key, a->len, b->key, b->len);
}

static int cmp_breach(const void *x, const void *y)
{
	const breach *a = x, *b = y;

	if (a->due_secs != b->due_secs)
		return a->due_secs < b->due_secs ? -1 : 1;
	return strcmp(a->lead, b->lead);
}

/* One row of counts; resp sorted here. */
static void counts_row(lk_tab *t, const int64_t n[4], times *resp)
{
	int k;

	for (k = 0; k < 4; k++)
		lk_tab_int(t, k == 0 ? n[0] + n[1] + n[2] + n[3] : n[k - 1]);
	lk_tab_int(t, n[3]);
	lk_tab_pct(t, n[0], n[0] + n[1] + n[2]);
	if (resp->n) {
		size_t m = resp->n;
		qsort(resp->t, m, sizeof *resp->t, cmp_i64);
		lk_tab_num(t, (double)(resp->t[(m - 1) / 2] + resp->t[m / 2]) / 120.0, 2);
	} else {
		lk_tab_adds(t, "");
	}
}

static void count_cols(lk_tab *t)
{
	lk_tab_col(t, "routed", 'i');
	lk_tab_col(t, "met", 'i');
	lk_tab_col(t, "late", 'i');
	lk_tab_col(t, "overdue", 'i');
	lk_tab_col(t, "open", 'i');
	t->barcol = t->ncol;
	lk_tab_col(t, "met_pct", 'n');
	lk_tab_col(t, "median_response_hours", 'n');
}

static int sla_render(void *x, lk_report_fmt fmt, lk_buf *out, lk_err *err)
{
	sla *s = x;
	lk_tab sum, own, br;
	lk_tab *all[3] = { &sum, &own, &br };
	int64_t tot[4] = { 0, 0, 0, 0 };
	times allresp = { NULL, 0, 0 };
	size_t i, k;
	int rc;
	char buf[40];

	lk_tab_init(&sum, "summary");
	lk_tab_init(&own, "owners");
	lk_tab_init(&br, "breaches");
	if (s->nown)
		qsort(s->own, s->nown, sizeof *s->own, cmp_owner);
	/* The owner index is stale once sorted; render is the last call. */
	lk_hash_free(s->oidx);
	s->oidx = lk_hash_new(1);
	for (i = 0; i < s->nown; i++) {
		for (k = 0; k < 4; k++)
			tot[k] += s->own[i].n[k];
		for (k = 0; k < s->own[i].resp.n; k++)
			if (times_add(&allresp, s->own[i].resp.t[k]) < 0)
				sum.fail = 1;
	}
	count_cols(&sum);
	counts_row(&sum, tot, &allresp);
	free(allresp.t);
	lk_tab_col(&own, "owner", 's');
	count_cols(&own);
	for (i = 0; i < s->nown; i++) {
		lk_tab_add(&own, s->own[i].key, s->own[i].len);
		counts_row(&own, s->own[i].n, &s->own[i].resp);
	}
	lk_tab_col(&br, "lead_id", 's');
	lk_tab_col(&br, "owner", 's');
	lk_tab_col(&br, "assigned_at", 's');
	lk_tab_col(&br, "sla_due_at", 's');
	lk_tab_col(&br, "first_touch_at", 's');
	lk_tab_col(&br, "status", 's');
	lk_tab_col(&br, "hours_late", 'n');
	if (s->nbr)
		qsort(s->br, s->nbr, sizeof *s->br, cmp_breach);
	for (i = 0; i < s->nbr; i++) {
		const breach *b = &s->br[i];
		lk_tab_adds(&br, b->lead);
		lk_tab_adds(&br, b->owner);
		lk_tab_adds(&br, b->assigned);
		lk_tab_adds(&br, b->due);
		lk_tab_adds(&br, b->touch >= 0 ? lk_date_format_full(b->touch, buf) : "");
		lk_tab_adds(&br, b->late ? "late" : "overdue");
		lk_tab_num(&br, (double)((b->late ? b->touch : s->o->now) - b->due_secs) / 3600.0, 1);
	}
	rc = lk_tabs_render(all, 3, fmt, out, err);
	for (k = 0; k < 3; k++)
		lk_tab_free(all[k]);
	return rc;
}

const lk_report_ops lk_report_sla_ops = {
	sla_create, sla_bind, sla_add, sla_bind_act, sla_add_act, NULL, NULL, sla_render, sla_destroy
};
