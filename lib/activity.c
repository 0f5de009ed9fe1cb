/*
 * activity.c - activities per lead, in memory.  See activity.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "hash.h"

typedef struct group {
	lk_score_act *v;
	int n, cap;
	int used;		/* a lead looked it up */
} group;

struct lk_activities {
	lk_hash *groups;	/* "i" lead_id or "e" email -> group */
	lk_hash *names;		/* activity name -> its copy */
	int id_col, email_col;	/* in the leads header */
	lk_score_act *scratch;	/* both groups of one lead */
	int nscratch;
	lk_buf key;
	lk_activities_stats st;
};

static int find(const lk_row *h, const char *name)
{
	int i;

	for (i = 0; i < h->n; i++)
		if (!strcmp(h->f[i], name))
			return i;
	return -1;
}

/* "i<id>" or "e<email>", trimmed; email lower-cased.  0 when empty. */
static int make_key(lk_buf *k, int kind, const char *s, size_t len)
{
	size_t i;

	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (!len)
		return 0;
	lk_buf_reset(k);
	lk_buf_addc(k, kind);
	for (i = 0; i < len; i++)
		lk_buf_addc(k, kind == 'e' && s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	return 1;
}

static const char *intern(lk_activities *a, const char *s, size_t len)
{
	void **slot = lk_hash_slot(a->names, s, len, 1, NULL);

	if (!slot)
		return NULL;
	if (!*slot) {
		char *c = malloc(len + 1);
		if (!c)
			return NULL;
		memcpy(c, s, len);
		c[len] = 0;
		*slot = c;
	}
	return *slot;
}

static void reject(lk_activities *a, const lk_row *r, const char *why, const char *v)
{
	if (!a->st.bad++)
		snprintf(a->st.bad_example, sizeof a->st.bad_example, "record %ld (line %ld): %s%s%.60s%s",
			 r->record, r->line, why, v ? " '" : "", v ? v : "", v ? "'" : "");
}

lk_activities *lk_activities_load(int fd, const char *name, int64_t now,
				  lk_date_order order, lk_err *err)
{
	lk_csvopt co = { 0 };
	lk_activities *a = calloc(1, sizeof *a);
	lk_reader *rd = NULL;
	lk_row *r;
	int c, cid, cem, cact, cat;

	if (!a)
		goto nomem;
	a->groups = lk_hash_new(1024);
	a->names = lk_hash_new(64);
	if (!a->groups || !a->names)
		goto nomem;
	co.name = name;
	rd = lk_reader_new(fd, &co, err);
	if (!rd)
		goto fail;
	c = lk_reader_next(rd, &r, err);
	if (c < 0)
		goto fail;
	if (c == 0) {
		lk_err_set(err, LK_EDATA, "%s: empty activity file: no header row", name);
		goto fail;
	}
	cid = find(r, "lead_id");
	cem = find(r, "email");
	cact = find(r, "activity");
	cat = find(r, "occurred_at");
	if (cact < 0 || cat < 0 || (cid < 0 && cem < 0)) {
		lk_err_set(err, LK_EUSAGE, "%s: not an activity file: the header needs activity, "
			   "occurred_at and lead_id or email (lead-ingest --activities writes one)",
			   name);
		goto fail;
	}
	while ((c = lk_reader_next(rd, &r, err)) > 0) {
		lk_time t;
		const char *act;
		void **slot;
		group *g;
		int ok;

		if (r->bad) {
			reject(a, r, r->bad, NULL);
			continue;
		}
		if (cact >= r->n || !r->len[cact]) {
			reject(a, r, "no activity", NULL);
			continue;
		}
		if (cat >= r->n || lk_date_parse(r->f[cat], r->len[cat], order, &t) < 0) {
			reject(a, r, "unparseable date", cat < r->n ? r->f[cat] : "");
			continue;
		}
		ok = cid >= 0 && cid < r->n && make_key(&a->key, 'i', r->f[cid], r->len[cid]);
		if (!ok)
			ok = cem >= 0 && cem < r->n && make_key(&a->key, 'e', r->f[cem], r->len[cem]);
		if (!ok) {
			reject(a, r, "neither lead_id nor email", NULL);
			continue;
		}
		if (t.secs > now) {
			a->st.future++;
			continue;
		}
		act = intern(a, r->f[cact], r->len[cact]);
		slot = lk_hash_slot(a->groups, a->key.data, a->key.len, 1, NULL);
		if (!act || !slot)
			goto nomem;
		if (!*slot && !(*slot = calloc(1, sizeof(group))))
			goto nomem;
		g = *slot;
		if (g->n == g->cap) {
			int nc = g->cap ? g->cap * 2 : 4;
			lk_score_act *nv = realloc(g->v, (size_t)nc * sizeof *nv);
			if (!nv)
				goto nomem;
			g->v = nv;
			g->cap = nc;
		}
		g->v[g->n].activity = act;
		g->v[g->n].at = t.secs;
		g->n++;
		a->st.loaded++;
	}
	if (c < 0)
		goto fail;
	lk_reader_free(rd);
	a->id_col = a->email_col = -1;
	return a;
nomem:
	lk_err_set(err, LK_ENOMEM, "out of memory");
fail:
	lk_reader_free(rd);
	lk_activities_free(a);
	return NULL;
}

void lk_activities_free(lk_activities *a)
{
	size_t i;
	void *v;

	if (!a)
		return;
	for (i = 0; a->groups && i < lk_hash_count(a->groups); i++) {
		lk_hash_entry(a->groups, i, NULL, NULL, &v);
		if (v)
			free(((group *)v)->v);
		free(v);
	}
	for (i = 0; a->names && i < lk_hash_count(a->names); i++) {
		lk_hash_entry(a->names, i, NULL, NULL, &v);
		free(v);
	}
	lk_hash_free(a->groups);
	lk_hash_free(a->names);
	free(a->scratch);
	lk_buf_free(&a->key);
	free(a);
}

void lk_activities_bind(lk_activities *a, const char *const *cols, int n)
{
	int i;

	a->id_col = a->email_col = -1;
	for (i = n - 1; i >= 0; i--) {
		if (!strcmp(cols[i], "lead_id"))
			a->id_col = i;
		if (!strcmp(cols[i], "email"))
			a->email_col = i;
	}
}

static group *lookup(lk_activities *a, const lk_row *r, int col, int kind)
{
	group *g;

	if (col < 0 || col >= r->n ||
	    !make_key(&a->key, kind, r->f[col], r->len ? r->len[col] : strlen(r->f[col])))
		return NULL;
	g = lk_hash_get(a->groups, a->key.data, a->key.len);
	if (g)
		g->used = 1;
	return g;
}

const lk_score_act *lk_activities_for(lk_activities *a, const lk_row *lead, int *n)
{
	group *gi = lookup(a, lead, a->id_col, 'i');
	group *ge = lookup(a, lead, a->email_col, 'e');
	int need;

	*n = 0;
	if (!gi || !ge) {
		group *g = gi ? gi : ge;
		if (!g)
			return NULL;
		*n = g->n;
		return g->v;
	}
	need = gi->n + ge->n;
	if (need > a->nscratch) {
		lk_score_act *ns = realloc(a->scratch, (size_t)need * sizeof *ns);
		if (!ns)
			return NULL;
		a->scratch = ns;
		a->nscratch = need;
	}
	memcpy(a->scratch, gi->v, (size_t)gi->n * sizeof *gi->v);
	memcpy(a->scratch + gi->n, ge->v, (size_t)ge->n * sizeof *ge->v);
	*n = need;
	return a->scratch;
}

const lk_activities_stats *lk_activities_stats_get(lk_activities *a)
{
	size_t i;
	void *v;

	a->st.unmatched = 0;
	for (i = 0; i < lk_hash_count(a->groups); i++) {
		lk_hash_entry(a->groups, i, NULL, NULL, &v);
		if (v && !((group *)v)->used)
			a->st.unmatched += ((group *)v)->n;
	}
	return &a->st;
}
