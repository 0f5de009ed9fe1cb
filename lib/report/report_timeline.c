/*
 * report_timeline.c - per lead, everything that happened, in time order:
 * what a rep reads before the call.
 *
 * Events come from three places:
 *   the lead row   created (created_at), stage (each <stage>_at),
 *                  assigned (assigned_at: the owner, route and queue),
 *                  first_touch (first_touch_at), sla_due (sla_due_at);
 *   --activities   activity (its name and detail);
 *   --history      stage (a stage change: the model's id for the value,
 *                  or the value itself when the model does not know it,
 *                  with detail "unknown stage").
 * Activities and history dated after --now are left out.  Events are
 * sorted by lead key (bytes), time, then the order above, then input
 * order; a stage change found both in the history and in a <stage>_at
 * column at the same time shows once.  With lead rows, only their leads are shown (activities of
 * other keys are not leads of this file); with --lead ID, only the lead
 * whose lead_id or email is ID.  Activities and history rows name their
 * lead by lead_id, or by email when lead_id is blank (as lead-ingest
 * writes activities); a lead is shown under its lead_id, else its email.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "report/report_int.h"

enum { R_CREATED, R_STAGE, R_ASSIGNED, R_ACTIVITY, R_TOUCH, R_DUE };

static const char *const ev_name[] = {
	"created", "stage", "assigned", "activity", "first_touch", "sla_due"
};

typedef struct event {
	char *key;		/* owned block: key, what, detail, each NUL-ended */
	const char *what, *detail;
	size_t klen;
	const char *dkey;	/* at render: the lead's shown key */
	size_t dlen;
	int64_t t;
	int rank;
	size_t seq;
} event;

typedef struct tl {
	const lk_model *m;
	const lk_report_opt *o;
	lk_report_stats *st;
	int a_id, a_email, a_act, a_at, a_detail;
	int h_col[3];
	int c_id, c_email, c_created, c_assigned, c_owner, c_route, c_queue, c_touch, c_due;
	int *c_at;		/* [nstages] */
	event *ev;
	size_t nev, cap;
	lk_hash *leads;		/* lead_id and email of lead rows -> index + 1 */
	char **shown;		/* per lead row: its shown key (lead_id, else email) */
	size_t nshown, capshown;
	const char *want;	/* --lead: the shown key of that lead, or the ID */
	long lead_rows;
} tl;

static void *tl_create(const lk_model *m, const lk_report_opt *o, lk_report_stats *st, lk_err *err)
{
	tl *t = calloc(1, sizeof *t);

	if (!t || !(t->c_at = malloc(sizeof *t->c_at * (size_t)(m->nstages + 1))) ||
	    !(t->leads = lk_hash_new(64))) {
		if (t)
			free(t->c_at);
		free(t);
		lk_report_nomem(err);
		return NULL;
	}
	t->m = m;
	t->o = o;
	t->st = st;
	t->want = o->lead;
	return t;
}

static void tl_destroy(void *x)
{
	tl *t = x;
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nev; i++)
		free(t->ev[i].key);
	free(t->ev);
	for (i = 0; i < t->nshown; i++)
		free(t->shown[i]);
	free(t->shown);
	free(t->c_at);
	lk_hash_free(t->leads);
	free(t);
}

/* Record one event; strings are copied into one block. */
static int push(tl *t, const char *key, size_t klen, int64_t when, int rank, const char *what,
		size_t wlen, const char *detail, size_t dlen)
{
	event *e;
	char *b;

	if (t->nev == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		event *ne = realloc(t->ev, cap * sizeof *ne);
		if (!ne)
			return -1;
		t->ev = ne;
		t->cap = cap;
	}
	b = malloc(klen + wlen + dlen + 3);
	if (!b)
		return -1;
	e = &t->ev[t->nev];
	memcpy(b, key, klen);
	b[klen] = '\0';
	memcpy(b + klen + 1, what, wlen);
	b[klen + 1 + wlen] = '\0';
	memcpy(b + klen + wlen + 2, detail, dlen);
	b[klen + wlen + 2 + dlen] = '\0';
	e->key = b;
	e->klen = klen;
	e->what = b + klen + 1;
	e->detail = b + klen + wlen + 2;
	e->t = when;
	e->rank = rank;
	e->seq = t->nev++;
	return 0;
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

static int tl_bind_act(void *x, const char *const *names, int n, lk_err *err)
{
	tl *t = x;

	t->a_id = lk_report_col(names, n, "lead_id");
	t->a_email = lk_report_col(names, n, "email");
	t->a_act = lk_report_col(names, n, "activity");
	t->a_at = lk_report_col(names, n, "occurred_at");
	t->a_detail = lk_report_col(names, n, "detail");
	if ((t->a_id < 0 && t->a_email < 0) || t->a_act < 0 || t->a_at < 0)
		return lk_err_set(err, LK_EUSAGE,
				  "--activities: the file needs lead_id (or email), activity and occurred_at columns");
	return 0;
}

static int tl_add_act(void *x, const lk_row *row, lk_err *err)
{
	tl *t = x;
	int64_t when;
	size_t kl, al, dl;
	const char *k, *a = fld(row, t->a_act, &al), *d;

	if (!lk_report_key(row, t->a_id, t->a_email, &k, &kl))
		return 0;
	if (lk_report_time(t->m, row, t->a_at, &when) < 0) {
		t->st->bad_times++;
		return 0;
	}
	if (when > t->o->now)
		return 0;
	d = fld(row, t->a_detail, &dl);
	if (push(t, k, kl, when, R_ACTIVITY, a, al, d, dl) < 0)
		return lk_report_nomem(err);
	return 0;
}

static int tl_bind_hist(void *x, const char *const *names, int n, lk_err *err)
{
	tl *t = x;

	return lk_report_hist_cols(names, n, t->h_col, err);
}

static int tl_add_hist(void *x, const lk_row *row, lk_err *err)
{
	tl *t = x;
	int64_t when;
	size_t kl, sl;
	const char *k = fld(row, t->h_col[0], &kl), *s = fld(row, t->h_col[1], &sl);
	int st;

	if (!lk_report_field_ok(row, t->h_col[0]))
		return 0;
	if (lk_report_time(t->m, row, t->h_col[2], &when) < 0) {
		t->st->bad_times++;
		return 0;
	}
	if (when > t->o->now)
		return 0;
	st = lk_model_stage(t->m, s, sl);
	if (st < 0)
		t->st->hist_unknown++;
	if ((st >= 0 ? push(t, k, kl, when, R_STAGE, t->m->stages[st].id,
			    strlen(t->m->stages[st].id), "history", 7)
		     : push(t, k, kl, when, R_STAGE, s, sl, "unknown stage", 13)) < 0)
		return lk_report_nomem(err);
	return 0;
}

static int tl_bind(void *x, const char *const *names, int n, lk_err *err)
{
	tl *t = x;
	char at[256];
	int s;

	t->c_id = lk_report_col(names, n, "lead_id");
	t->c_email = lk_report_col(names, n, "email");
	if (t->c_id < 0 && t->c_email < 0)
		return lk_err_set(err, LK_EUSAGE, "timeline: the input has no lead_id or email column");
	t->c_created = lk_report_col(names, n, "created_at");
	t->c_assigned = lk_report_col(names, n, "assigned_at");
	t->c_owner = lk_report_col(names, n, "owner");
	t->c_route = lk_report_col(names, n, "route");
	t->c_queue = lk_report_col(names, n, "queue");
	t->c_touch = lk_report_col(names, n, "first_touch_at");
	t->c_due = lk_report_col(names, n, "sla_due_at");
	for (s = 0; s < t->m->nstages; s++) {
		snprintf(at, sizeof at, "%s_at", t->m->stages[s].id);
		t->c_at[s] = lk_report_col(names, n, at);
	}
	return 0;
}

/* One dated field of the lead row as an event. */
static int row_event(tl *t, const lk_row *row, const char *k, size_t kl, int col, int rank,
		     const char *what, size_t wl, const char *detail, size_t dl)
{
	int64_t when;

	if (!lk_report_field_ok(row, col))
		return 0;
	if (lk_report_time(t->m, row, col, &when) < 0) {
		t->st->bad_times++;
		return 0;
	}
	return push(t, k, kl, when, rank, what, wl, detail, dl);
}

static int tl_add(void *x, const lk_row *row, lk_err *err)
{
	tl *t = x;
	size_t kl, ol, rl, ql;
	const char *k, *own, *route, *queue;
	char detail[512];
	int s, c, rc = 0;

	t->st->rows++;
	t->lead_rows++;
	if (!lk_report_key(row, t->c_id, t->c_email, &k, &kl))
		return 0;
	if (t->nshown == t->capshown) {
		size_t cap = t->capshown ? t->capshown * 2 : 64;
		char **ns = realloc(t->shown, cap * sizeof *ns);
		if (!ns)
			return lk_report_nomem(err);
		t->shown = ns;
		t->capshown = cap;
	}
	if (!(t->shown[t->nshown] = strndup(k, kl)))
		return lk_report_nomem(err);
	t->nshown++;
	/* Events keyed by either the lead_id or the email are this lead's. */
	for (c = 0; c < 2; c++) {
		int col = c ? t->c_email : t->c_id;
		void **slot;
		if (!lk_report_field_ok(row, col))
			continue;
		slot = lk_hash_slot(t->leads, row->f[col], row->len[col], 1, NULL);
		if (!slot)
			return lk_report_nomem(err);
		*slot = (void *)(intptr_t)t->nshown;
		if (t->o->lead && row->len[col] == strlen(t->o->lead) &&
		    !memcmp(row->f[col], t->o->lead, row->len[col]))
			t->want = t->shown[t->nshown - 1];
	}
	rc |= row_event(t, row, k, kl, t->c_created, R_CREATED, "", 0, "", 0);
	for (s = 0; s < t->m->nstages; s++)
		rc |= row_event(t, row, k, kl, t->c_at[s], R_STAGE, t->m->stages[s].id,
				strlen(t->m->stages[s].id), "", 0);
	own = fld(row, t->c_owner, &ol);
	route = fld(row, t->c_route, &rl);
	queue = fld(row, t->c_queue, &ql);
	snprintf(detail, sizeof detail, "%s%.*s%s%.*s", rl ? "route " : "", (int)rl, route,
		 ql ? (rl ? ", queue " : "queue ") : "", (int)ql, queue);
	rc |= row_event(t, row, k, kl, t->c_assigned, R_ASSIGNED, own, ol, detail, strlen(detail));
	rc |= row_event(t, row, k, kl, t->c_touch, R_TOUCH, "", 0, "", 0);
	rc |= row_event(t, row, k, kl, t->c_due, R_DUE, "", 0, "", 0);
	return rc < 0 ? lk_report_nomem(err) : 0;
}

static int cmp_event(const void *x, const void *y)
{
	const event *a = x, *b = y;
	int c = lk_report_cmp(a->dkey, a->dlen, b->dkey, b->dlen);

	if (c)
		return c;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank - b->rank;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

static int tl_render(void *x, lk_report_fmt fmt, lk_buf *out, lk_err *err)
{
	tl *t = x;
	lk_tab tab, *tp = &tab;
	const event *prev = NULL;
	size_t i;
	char buf[40];
	int rc;

	lk_tab_init(&tab, NULL);
	lk_tab_col(&tab, "lead_id", 's');
	lk_tab_col(&tab, "at", 's');
	lk_tab_col(&tab, "event", 's');
	lk_tab_col(&tab, "what", 's');
	lk_tab_col(&tab, "detail", 's');
	/* Each event under its lead's shown key; NULL: no lead row has it. */
	for (i = 0; i < t->nev; i++) {
		event *e = &t->ev[i];
		void *v = lk_hash_get(t->leads, e->key, e->klen);
		e->dkey = v ? t->shown[(intptr_t)v - 1] : t->lead_rows ? NULL : e->key;
		e->dlen = e->dkey ? strlen(e->dkey) : 0;
	}
	if (t->nev)
		qsort(t->ev, t->nev, sizeof *t->ev, cmp_event);
	for (i = 0; i < t->nev; i++) {
		const event *e = &t->ev[i];
		if (!e->dkey || (t->want && strcmp(e->dkey, t->want)))
			continue;
		/* A stage both in the history and in a <stage>_at column at
		 * the same time is one change: the history's comes first. */
		if (prev && e->rank == R_STAGE && prev->rank == R_STAGE && prev->t == e->t &&
		    !strcmp(prev->what, e->what) && !strcmp(prev->dkey, e->dkey))
			continue;
		prev = e;
		lk_tab_add(&tab, e->dkey, e->dlen);
		lk_tab_adds(&tab, lk_date_format_full(e->t, buf));
		lk_tab_adds(&tab, ev_name[e->rank]);
		lk_tab_adds(&tab, e->what);
		lk_tab_adds(&tab, e->detail);
	}
	rc = lk_tabs_render(&tp, 1, fmt, out, err);
	lk_tab_free(&tab);
	return rc;
}

const lk_report_ops lk_report_timeline_ops = {
	tl_create, tl_bind, tl_add, tl_bind_act, tl_add_act, tl_bind_hist, tl_add_hist,
	tl_render, tl_destroy
};
