/*
 * activity.c - activities per lead, in memory.  See activity.h.
 */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "score/activity.h"
#include "core/hash.h"

typedef struct group {
	lk_act *v;
	const char **d;		/* details parallel to v, when kept */
	int n, cap;
	int used;		/* a lead looked it up */
} group;

/*
 * A few recent names and their copies, looked up before the names
 * table: an activity file repeats a handful of names (and a nurture
 * program's details) millions of times, and a compare of a short
 * string that is already in the cache costs less than a hash probe.
 */
#define LK_NAME_CACHE 64
typedef struct name_hit {
	const char *s;		/* the interned copy; NULL while unused */
	size_t len;
	int kept;		/* its detail is kept (load_details), -1 unknown */
} name_hit;

/*
 * An activity read but not yet filed under its group.  Rows are filed
 * a batch at a time, in file order: the hash of each key is computed as
 * its row is read and the table's slot for it prefetched, so the probes
 * of a whole batch overlap instead of missing the cache one by one
 * (the table is far bigger than the cache for a real activity file).
 */
#define LK_ACT_BATCH 32
typedef struct pending {
	size_t koff, klen;	/* the key, in lk_activities.pkeys */
	uint64_t hv;
	const char *act, *det;
	int64_t at;
} pending;

struct lk_activities {
	lk_hash *groups;	/* "i" lead_id or "e" email -> group */
	lk_hash *names;		/* activity name -> its copy */
	name_hit cache[LK_NAME_CACHE];
	pending pend[LK_ACT_BATCH];
	int npend;
	lk_buf pkeys;		/* the pending rows' keys, back to back */
	int id_col, email_col;	/* in the leads header */
	lk_act *scratch;	/* both groups of one lead */
	const char **dscratch;	/* their details */
	int nscratch;
	int details;		/* keep the detail column */
	const char *const *keep;	/* of these activities only (NULL: all) */
	int nkeep;
	int has_id, has_email;	/* keys of each kind were filed */
	const char *const *last_d;	/* details of the last lk_activities_for */
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

/* Append "i<id>" or "e<email>", trimmed; email lower-cased: its length,
 * 0 when empty (nothing appended) or out of memory (k unchanged). */
static size_t add_key(lk_buf *k, int kind, const char *s, size_t len)
{
	char *o;
	size_t i;

	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (!len || lk_buf_grow(k, len + 1) < 0)
		return 0;
	o = k->data + k->len;
	*o++ = (char)kind;
	if (kind == 'e')
		for (i = 0; i < len; i++)
			o[i] = s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i];
	else
		memcpy(o, s, len);
	k->len += len + 1;
	k->data[k->len] = 0;
	return len + 1;
}

/* The key alone in k: 1, or 0 when empty. */
static int make_key(lk_buf *k, int kind, const char *s, size_t len)
{
	lk_buf_reset(k);
	return add_key(k, kind, s, len) > 0;
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

/* Intern through the cache of recent names: the entry, NULL when out of memory. */
static name_hit *intern_cached(lk_activities *a, const char *s, size_t len)
{
	name_hit *h = &a->cache[len ? (len * 31 + (unsigned char)s[0] * 7 +
				       (unsigned char)s[len / 2] * 3 + (unsigned char)s[len - 1]) %
				      LK_NAME_CACHE : 0];

	if (h->s && h->len == len && !memcmp(h->s, s, len))
		return h;
	if (!(h->s = intern(a, s, len)))
		return NULL;
	h->len = len;
	h->kept = -1;
	return h;
}

static void reject(lk_activities_stats *st, const lk_row *r, const char *why, const char *v)
{
	if (!st->bad++)
		snprintf(st->bad_example, sizeof st->bad_example, "record %ld (line %ld): %s%s%.60s%s",
			 r->record, r->line, why, v ? " '" : "", v ? v : "", v ? "'" : "");
}

/* File the pending rows under their groups, in the order they came. */
static int file_pending(lk_activities *a)
{
	int i;

	for (i = 0; i < a->npend; i++) {
		const pending *p = &a->pend[i];
		void **slot = lk_hash_slot_hashed(a->groups, a->pkeys.data + p->koff, p->klen,
						  p->hv, 1, NULL);
		group *g;

		if (!slot)
			return -1;
		if (!*slot && !(*slot = calloc(1, sizeof(group))))
			return -1;
		g = *slot;
		if (g->n == g->cap) {
			int nc = g->cap ? g->cap * 2 : 4;
			lk_act *nv = realloc(g->v, (size_t)nc * sizeof *nv);
			if (!nv)
				return -1;
			g->v = nv;
			if (a->details) {
				const char **nd = realloc(g->d, (size_t)nc * sizeof *nd);
				if (!nd)
					return -1;
				g->d = nd;
			}
			g->cap = nc;
		}
		if (a->details)
			g->d[g->n] = p->det;
		if (a->pkeys.data[p->koff] == 'i')
			a->has_id = 1;
		else
			a->has_email = 1;
		g->v[g->n].activity = p->act;
		g->v[g->n].at = p->at;
		g->n++;
		a->st.loaded++;
	}
	a->npend = 0;
	lk_buf_reset(&a->pkeys);
	return 0;
}

static lk_activities *load(int fd, const char *name, int64_t now, lk_date_order order,
			   int details, const char *const *keep, int nkeep, lk_err *err)
{
	lk_csvopt co = { 0 };
	lk_activities *a = calloc(1, sizeof *a);
	lk_reader *rd = NULL;
	lk_row *r;
	int c, cid, cem, cact, cat, cdet;

	if (!a)
		goto nomem;
	a->details = details;
	a->keep = keep;
	a->nkeep = nkeep;
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
	cdet = details ? find(r, "detail") : -1;
	if (cact < 0 || cat < 0 || (cid < 0 && cem < 0)) {
		lk_err_set(err, LK_EUSAGE, "%s: not an activity file: the header needs activity, "
			   "occurred_at and lead_id or email (lead-ingest --activities writes one)",
			   name);
		goto fail;
	}
	while ((c = lk_reader_next(rd, &r, err)) > 0) {
		lk_time t;
		name_hit *act;
		pending *p;
		size_t klen;
		const char *aname, *det = NULL;

		if (r->bad) {
			reject(&a->st, r, r->bad, NULL);
			continue;
		}
		if (cact >= r->n || !r->len[cact]) {
			reject(&a->st, r, "no activity", NULL);
			continue;
		}
		if (cat >= r->n || lk_date_parse(r->f[cat], r->len[cat], order, &t) < 0) {
			reject(&a->st, r, "unparseable date", cat < r->n ? r->f[cat] : "");
			continue;
		}
		/* Room for either key, so add_key's 0 means an empty one. */
		if (lk_buf_grow(&a->pkeys, (cid >= 0 && cid < r->n ? r->len[cid] : 0) +
				(cem >= 0 && cem < r->n ? r->len[cem] : 0) + 2) < 0)
			goto nomem;
		klen = cid >= 0 && cid < r->n ? add_key(&a->pkeys, 'i', r->f[cid], r->len[cid]) : 0;
		if (!klen)
			klen = cem >= 0 && cem < r->n ?
			       add_key(&a->pkeys, 'e', r->f[cem], r->len[cem]) : 0;
		if (!klen) {
			reject(&a->st, r, "neither lead_id nor email", NULL);
			continue;
		}
		if (t.secs > now) {
			a->pkeys.len -= klen;
			a->pkeys.data[a->pkeys.len] = 0;
			a->st.future++;
			continue;
		}
		if (!(act = intern_cached(a, r->f[cact], r->len[cact])))
			goto nomem;
		aname = act->s;
		if (details) {
			if (act->kept < 0) {
				int k = 0;
				while (a->keep && k < a->nkeep && strcmp(act->s, a->keep[k]))
					k++;
				act->kept = !a->keep || k < a->nkeep;
			}
			det = "";
			if (act->kept && cdet >= 0 && cdet < r->n) {
				/* May take act's place in the cache: aname is kept. */
				name_hit *d = intern_cached(a, r->f[cdet], r->len[cdet]);
				if (!d)
					goto nomem;
				det = d->s;
			}
		}
		p = &a->pend[a->npend];
		p->koff = a->pkeys.len - klen;
		p->klen = klen;
		p->hv = lk_hash_code(a->pkeys.data + p->koff, klen);
		lk_hash_prefetch(a->groups, p->hv);
		p->act = aname;
		p->det = det;
		p->at = t.secs;
		if (++a->npend == LK_ACT_BATCH && file_pending(a) < 0)
			goto nomem;
	}
	if (c == 0 && file_pending(a) < 0)
		goto nomem;
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

lk_activities *lk_activities_load(int fd, const char *name, int64_t now,
				  lk_date_order order, lk_err *err)
{
	return load(fd, name, now, order, 0, NULL, 0, err);
}

lk_activities *lk_activities_load_details(int fd, const char *name, int64_t now,
					  lk_date_order order, const char *const *keep, int nkeep,
					  lk_err *err)
{
	return load(fd, name, now, order, 1, keep, nkeep, err);
}

const char *const *lk_activities_details(const lk_activities *a)
{
	return a->last_d;
}

void lk_activities_free(lk_activities *a)
{
	size_t i;
	void *v;

	if (!a)
		return;
	for (i = 0; a->groups && i < lk_hash_count(a->groups); i++) {
		lk_hash_entry(a->groups, i, NULL, NULL, &v);
		if (v) {
			free(((group *)v)->v);
			free(((group *)v)->d);
		}
		free(v);
	}
	for (i = 0; a->names && i < lk_hash_count(a->names); i++) {
		lk_hash_entry(a->names, i, NULL, NULL, &v);
		free(v);
	}
	lk_hash_free(a->groups);
	lk_hash_free(a->names);
	free(a->scratch);
	free(a->dscratch);
	lk_buf_free(&a->key);
	lk_buf_free(&a->pkeys);
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

const lk_act *lk_activities_for(lk_activities *a, const lk_row *lead, int *n)
{
	group *gi = a->has_id ? lookup(a, lead, a->id_col, 'i') : NULL;
	group *ge = a->has_email ? lookup(a, lead, a->email_col, 'e') : NULL;
	int need;

	*n = 0;
	a->last_d = NULL;
	if (!gi || !ge) {
		group *g = gi ? gi : ge;
		if (!g)
			return NULL;
		*n = g->n;
		a->last_d = g->d;
		return g->v;
	}
	need = gi->n + ge->n;
	if (need > a->nscratch) {
		lk_act *ns = realloc(a->scratch, (size_t)need * sizeof *ns);
		if (!ns)
			return NULL;
		a->scratch = ns;
		if (a->details) {
			const char **nd = realloc(a->dscratch, (size_t)need * sizeof *nd);
			if (!nd)
				return NULL;
			a->dscratch = nd;
		}
		a->nscratch = need;
	}
	memcpy(a->scratch, gi->v, (size_t)gi->n * sizeof *gi->v);
	memcpy(a->scratch + gi->n, ge->v, (size_t)ge->n * sizeof *ge->v);
	if (a->details) {
		memcpy(a->dscratch, gi->d, (size_t)gi->n * sizeof *gi->d);
		memcpy(a->dscratch + gi->n, ge->d, (size_t)ge->n * sizeof *ge->d);
		a->last_d = a->dscratch;
	}
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

/* ---- keyed mode: see activity.h ---- */

/*
 * The join key of a row into k ('i' id or 'e' email, as make_key), the
 * kind named by `first` tried first.  0 when neither is usable: empty,
 * or holding a byte below 0x20, which would break the line (TAB, LF) or
 * the grouping (0x1f) of the shuffle.
 */
static int join_key(lk_buf *k, const lk_row *r, int id_col, int email_col, lk_joinkey first)
{
	int t, col, kind;

	for (t = 0; t < 2; t++) {
		size_t i;
		kind = (t == 0) == (first == LK_JOIN_ID) ? 'i' : 'e';
		col = kind == 'i' ? id_col : email_col;
		if (col < 0 || col >= r->n ||
		    !make_key(k, kind, r->f[col], r->len ? r->len[col] : strlen(r->f[col])))
			continue;
		for (i = 1; i < k->len && (unsigned char)k->data[i] >= 0x20; i++)
			;
		if (i == k->len)
			return 1;
	}
	lk_buf_reset(k);
	return 0;
}

struct lk_keyemit {
	lk_writer *w;
	int kind;			/* LK_KEY_LEAD or LK_KEY_ACT */
	lk_joinkey first;
	int id_col, email_col;
	lk_buf key;
	long keyless;
	long rejected;			/* activities not written */
	char example[160];		/* why the first of them was not */
};

lk_keyemit *lk_keyemit_new(lk_writer *w, int kind, lk_joinkey first)
{
	lk_keyemit *k = calloc(1, sizeof *k);

	if (!k)
		return NULL;
	k->w = w;
	k->kind = kind;
	k->first = first;
	k->id_col = k->email_col = -1;
	lk_writer_set_keyed(w, 1);
	return k;
}

void lk_keyemit_free(lk_keyemit *k)
{
	if (!k)
		return;
	lk_buf_free(&k->key);
	free(k);
}

long lk_keyemit_keyless(const lk_keyemit *k)
{
	return k->keyless;
}

long lk_keyemit_rejected(const lk_keyemit *k, const char **example)
{
	*example = k->example;
	return k->rejected;
}

int lk_keyemit_bind(lk_keyemit *k, const lk_row *h, const char *name, lk_err *err)
{
	k->id_col = find(h, "lead_id");
	k->email_col = find(h, "email");
	if (k->kind == LK_KEY_ACT && (find(h, "activity") < 0 || find(h, "occurred_at") < 0 ||
				      (k->id_col < 0 && k->email_col < 0)))
		return lk_err_set(err, LK_EUSAGE, "%s: not an activity file: the header needs "
				  "activity, occurred_at and lead_id or email (lead-ingest "
				  "--activities writes one)", name);
	return 0;
}

int lk_keyemit_header(lk_keyemit *k, const lk_row *h, const char *name, lk_err *err)
{
	char tag[2] = { LK_KEY_SEP, (char)LK_KEY_ACT };

	if (lk_keyemit_bind(k, h, name, err) < 0)
		return -1;
	if (k->kind == LK_KEY_ACT)
		lk_writer_raw(k->w, tag, 2);
	lk_writer_raw(k->w, "\t", 1);
	return lk_writer_row(k->w, (const char *const *)h->f, h->len, h->n, err);
}

const char *lk_keyemit_key(lk_keyemit *k, const lk_row *r, size_t *len)
{
	char tag[3] = { LK_KEY_SEP, (char)k->kind, '\t' };

	if (!join_key(&k->key, r, k->id_col, k->email_col, k->first)) {
		if (k->kind == LK_KEY_ACT)
			return NULL;
		k->keyless++;
	}
	if (lk_buf_add(&k->key, tag, 3) < 0)
		return NULL;
	*len = k->key.len;
	return k->key.data;
}

/* An activity not written: counted, the first one's place and reason kept. */
static int emit_reject(lk_keyemit *k, const lk_row *r, const char *why)
{
	if (!k->rejected++)
		snprintf(k->example, sizeof k->example, "record %ld (line %ld): %s", r->record,
			 r->line, why);
	return 0;
}

int lk_keyemit_row(lk_keyemit *k, const lk_row *r, lk_err *err)
{
	const char *key;
	size_t len;

	if (k->kind == LK_KEY_ACT && r->bad)
		return emit_reject(k, r, r->bad);
	key = lk_keyemit_key(k, r, &len);
	/* No key for an activity leaves the buffer empty; else memory ran out. */
	if (!key && k->kind == LK_KEY_ACT && !k->key.len)
		return emit_reject(k, r, "neither lead_id nor email");
	if (!key)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	lk_writer_raw(k->w, key, len);
	if (lk_writer_row(k->w, (const char *const *)r->f, r->len, r->n, err) < 0)
		return -1;
	return 1;
}

/* One activity of the current key: its name is at `off` in names. */
typedef struct keyact {
	size_t off;
	size_t doff;			/* its detail, after the name */
	int64_t at;
} keyact;

struct lk_keyjoin {
	int fd;
	char name[256];
	int64_t now;
	lk_date_order order;
	struct csv_parser p;

	lk_buf in;			/* bytes read, lines cut from pos */
	size_t pos;
	int eof;
	const char *pend;		/* a line read ahead, not yet handled */
	size_t npend;
	int has_pend;
	long line;			/* physical line of the line being handled */

	lk_buf prev;			/* the previous key, for the order check */
	lk_buf gid;			/* ID of the current key's group */
	lk_buf lhdr, ahdr;		/* the header lines, as written */
	int have_lhdr, have_ahdr;
	int cid, cem, cact, cat, cdet;	/* columns of the activity header */

	lk_buf unesc;			/* the row of a line, unescaped */
	lk_buf fld;			/* its fields, NUL-terminated */
	size_t *foff;
	int nf, fcap, nrows, oom;
	lk_row row;
	int rowcap;

	lk_buf names;			/* the current key's activity names */
	keyact *ka;
	int nka, cka;
	lk_act *acts;		/* ka as lk_act, built for its leads */
	const char **dets;		/* their details, parallel */
	int cacts, acts_ok, used;
	long nleads, nacts;
	lk_activities_stats st;
};

static int kj_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void kj_field(void *data, size_t len, void *ctx)
{
	lk_keyjoin *j = ctx;

	if (j->nf == j->fcap) {
		int nc = j->fcap ? j->fcap * 2 : 32;
		size_t *o = realloc(j->foff, (size_t)nc * sizeof *o);
		if (!o) {
			j->oom = 1;
			return;
		}
		j->foff = o;
		j->fcap = nc;
	}
	j->foff[j->nf++] = j->fld.len;
	if (lk_buf_add(&j->fld, data ? data : "", len) < 0 || lk_buf_addc(&j->fld, 0) < 0)
		j->oom = 1;
}

static void kj_row(int c, void *ctx)
{
	(void)c;
	((lk_keyjoin *)ctx)->nrows++;
}

static int kj_fail(lk_keyjoin *j, lk_err *err, lk_errkind kind, const char *what)
{
	lk_err_set(err, kind, "line %ld: %s", j->line, what);
	snprintf(err->file, sizeof err->file, "%s", j->name);
	err->record = -1;
	return -1;
}

lk_keyjoin *lk_keyjoin_new(int fd, const char *name, char delim, int64_t now,
			   lk_date_order order, lk_err *err)
{
	lk_keyjoin *j = calloc(1, sizeof *j);

	if (!j || csv_init(&j->p, CSV_APPEND_NULL) != 0) {
		free(j);
		lk_err_set(err, LK_ENOMEM, "out of memory");
		return NULL;
	}
	csv_set_space_func(&j->p, kj_space);
	csv_set_blk_size(&j->p, 1u << 16);
	csv_set_delim(&j->p, (unsigned char)(delim ? delim : ','));
	j->fd = fd;
	snprintf(j->name, sizeof j->name, "%s", name && strcmp(name, "-") ? name : "stdin");
	j->now = now;
	j->order = order;
	return j;
}

void lk_keyjoin_free(lk_keyjoin *j)
{
	if (!j)
		return;
	csv_free(&j->p);
	lk_buf_free(&j->in);
	lk_buf_free(&j->prev);
	lk_buf_free(&j->gid);
	lk_buf_free(&j->lhdr);
	lk_buf_free(&j->ahdr);
	lk_buf_free(&j->unesc);
	lk_buf_free(&j->fld);
	lk_buf_free(&j->names);
	free(j->foff);
	free(j->row.f);
	free(j->row.len);
	free(j->ka);
	free(j->acts);
	free(j->dets);
	free(j);
}

const lk_activities_stats *lk_keyjoin_stats(const lk_keyjoin *j)
{
	return &j->st;
}

const char *const *lk_keyjoin_details(const lk_keyjoin *j)
{
	return j->nka ? j->dets : NULL;
}

/* The next line without its line end into *s, *n: 1, 0 at the end, -1. */
static int kj_line(lk_keyjoin *j, const char **s, size_t *n, lk_err *err)
{
	if (j->has_pend) {
		/* Still in the buffer: nothing was read since. */
		*s = j->pend;
		*n = j->npend;
		j->has_pend = 0;
		j->line++;
		return 1;
	}
	for (;;) {
		size_t avail = j->in.len - j->pos;
		const char *b = j->in.data ? j->in.data + j->pos : NULL;
		const char *nl = avail ? memchr(b, '\n', avail) : NULL;
		ssize_t got;

		if (nl || (j->eof && avail)) {
			*s = b;
			*n = nl ? (size_t)(nl - b) : avail;
			j->pos += *n + (nl != NULL);
			if (*n && b[*n - 1] == '\r')
				(*n)--;
			j->line++;
			return 1;
		}
		if (j->eof)
			return 0;
		if (j->pos) {
			memmove(j->in.data, j->in.data + j->pos, avail);
			j->in.len = avail;
			j->pos = 0;
		}
		if (lk_buf_grow(&j->in, 65536) < 0)
			return kj_fail(j, err, LK_ENOMEM, "out of memory");
		do
			got = read(j->fd, j->in.data + j->in.len, 65536);
		while (got < 0 && errno == EINTR);
		if (got < 0) {
			lk_err_set(err, LK_EIO, "%s: read error: %s", j->name, strerror(errno));
			return -1;
		}
		if (got == 0)
			j->eof = 1;
		j->in.len += (size_t)got;
		j->in.data[j->in.len] = 0;
	}
}

/* Unescape and parse the row part of a line into j->row. */
static int kj_parse(lk_keyjoin *j, const char *s, size_t n, long record, lk_err *err)
{
	size_t i;
	int k;

	lk_buf_reset(&j->unesc);
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '\\' && i + 1 < n) {
			c = (unsigned char)s[++i];
			c = c == 'n' ? '\n' : c == 'r' ? '\r' : c;
		}
		if (lk_buf_addc(&j->unesc, c) < 0)
			return kj_fail(j, err, LK_ENOMEM, "out of memory");
	}
	lk_buf_reset(&j->fld);
	j->nf = j->nrows = 0;
	if (csv_parse(&j->p, j->unesc.data ? j->unesc.data : "", j->unesc.len, kj_field, kj_row,
		      j) != j->unesc.len || csv_fini(&j->p, kj_field, kj_row, j) != 0)
		return kj_fail(j, err, LK_EDATA, csv_strerror(csv_error(&j->p)));
	if (j->oom)
		return kj_fail(j, err, LK_ENOMEM, "out of memory");
	if (j->nrows != 1)
		return kj_fail(j, err, LK_EDATA, "the row after the key is not one CSV record "
			       "(is it lead-score --emit-key output, with the same -t or -d?)");
	if (j->nf > j->rowcap) {
		int nc = j->nf * 2;
		char **f = realloc(j->row.f, (size_t)nc * sizeof *f);
		size_t *l;
		if (!f)
			return kj_fail(j, err, LK_ENOMEM, "out of memory");
		j->row.f = f;
		l = realloc(j->row.len, (size_t)nc * sizeof *l);
		if (!l)
			return kj_fail(j, err, LK_ENOMEM, "out of memory");
		j->row.len = l;
		j->rowcap = nc;
	}
	for (k = 0; k < j->nf; k++) {
		j->row.f[k] = j->fld.data + j->foff[k];
		j->row.len[k] = (k + 1 < j->nf ? j->foff[k + 1] : j->fld.len) - j->foff[k] - 1;
	}
	j->row.n = j->nf;
	j->row.record = record;
	j->row.line = j->line;
	j->row.nlines = 1;
	j->row.bad = NULL;
	return 0;
}

/* A header line: the first is kept, later ones must be the same. */
static int kj_header(lk_keyjoin *j, lk_buf *keep, int *have, const char *s, size_t n,
		     const char *what, lk_err *err)
{
	char msg[160];

	if (*have) {
		if (keep->len == n && !memcmp(keep->data, s, n))
			return 0;
		snprintf(msg, sizeof msg, "a second %s header that differs from the first "
			 "(did the mappers read files with different columns?)", what);
		return kj_fail(j, err, LK_EDATA, msg);
	}
	lk_buf_reset(keep);
	if (lk_buf_add(keep, s, n) < 0)
		return kj_fail(j, err, LK_ENOMEM, "out of memory");
	*have = 1;
	return 1;
}

/* The current key's group ends: count what no lead claimed. */
static void kj_end_group(lk_keyjoin *j)
{
	if (!j->used)
		j->st.unmatched += j->nka;
	j->nka = 0;
	j->used = 0;
	j->acts_ok = 0;
	lk_buf_reset(&j->names);
}

/* An activity line of the current key: checked as lk_activities_load
 * checks a row, then kept.  -1 only when out of memory. */
static int kj_activity(lk_keyjoin *j, lk_err *err)
{
	lk_row *r = &j->row;
	keyact *a;
	lk_time t;

	if (j->cact >= r->n || !r->len[j->cact]) {
		reject(&j->st, r, "no activity", NULL);
		return 0;
	}
	if (j->cat >= r->n || lk_date_parse(r->f[j->cat], r->len[j->cat], j->order, &t) < 0) {
		reject(&j->st, r, "unparseable date", j->cat < r->n ? r->f[j->cat] : "");
		return 0;
	}
	if (t.secs > j->now) {
		j->st.future++;
		return 0;
	}
	if (j->nka == j->cka) {
		int nc = j->cka ? j->cka * 2 : 16;
		keyact *nk = realloc(j->ka, (size_t)nc * sizeof *nk);
		if (!nk)
			return kj_fail(j, err, LK_ENOMEM, "out of memory");
		j->ka = nk;
		j->cka = nc;
	}
	a = &j->ka[j->nka++];
	a->off = j->names.len;
	a->at = t.secs;
	if (lk_buf_add(&j->names, r->f[j->cact], r->len[j->cact]) < 0 ||
	    lk_buf_addc(&j->names, 0) < 0)
		return kj_fail(j, err, LK_ENOMEM, "out of memory");
	a->doff = j->names.len;
	if ((j->cdet >= 0 && j->cdet < r->n &&
	     lk_buf_add(&j->names, r->f[j->cdet], r->len[j->cdet]) < 0) ||
	    lk_buf_addc(&j->names, 0) < 0)
		return kj_fail(j, err, LK_ENOMEM, "out of memory");
	j->acts_ok = 0;
	j->st.loaded++;
	return 0;
}

/* By time; ties keep the shuffle's order (the rows' text). */
static int by_time(const void *a, const void *b)
{
	const keyact *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/*
 * The current key's activities as lk_act, once per group, in time
 * order: the shuffle delivers them sorted as text, but score_reasons
 * and the ledger list them in the order given, and activity logs (which
 * the in-memory table keeps in file order) are usually in time order.
 */
static int kj_acts(lk_keyjoin *j, lk_err *err)
{
	int i;

	if (j->acts_ok)
		return 0;
	if (j->nka > j->cacts) {
		lk_act *na = realloc(j->acts, (size_t)j->nka * sizeof *na);
		const char **nd;
		if (!na)
			return kj_fail(j, err, LK_ENOMEM, "out of memory");
		j->acts = na;
		nd = realloc(j->dets, (size_t)j->nka * sizeof *nd);
		if (!nd)
			return kj_fail(j, err, LK_ENOMEM, "out of memory");
		j->dets = nd;
		j->cacts = j->nka;
	}
	if (j->nka > 1)
		qsort(j->ka, (size_t)j->nka, sizeof *j->ka, by_time);
	for (i = 0; i < j->nka; i++) {
		j->acts[i].activity = j->names.data + j->ka[i].off;
		j->acts[i].at = j->ka[i].at;
		j->dets[i] = j->names.data + j->ka[i].doff;
	}
	j->acts_ok = 1;
	return 0;
}

int lk_keyjoin_next(lk_keyjoin *j, lk_row **lead, const lk_act **acts, int *n,
		    lk_err *err)
{
	const char *s, *tab;
	size_t len, klen;
	int c;

	*acts = NULL;
	*n = 0;
	while ((c = kj_line(j, &s, &len, err)) > 0) {
		const char *row;
		size_t rlen;
		int tag;

		tab = memchr(s, '\t', len);
		if (!tab)
			return kj_fail(j, err, LK_EDATA, "no TAB after the key (is it lead-score "
				       "--emit-key output?)");
		klen = (size_t)(tab - s);
		row = tab + 1;
		rlen = len - klen - 1;
		if (j->prev.len && (memcmp(s, j->prev.data, klen < j->prev.len ? klen : j->prev.len) < 0 ||
				    (klen < j->prev.len && !memcmp(s, j->prev.data, klen))))
			return kj_fail(j, err, LK_EDATA, "the keys are not sorted: sort the map "
				       "output with LC_ALL=C sort first");
		lk_buf_reset(&j->prev);
		if (lk_buf_add(&j->prev, s, klen) < 0)
			return kj_fail(j, err, LK_ENOMEM, "out of memory");
		if (klen == 0) {
			/* The lead header of a mapper. */
			c = kj_header(j, &j->lhdr, &j->have_lhdr, row, rlen, "lead", err);
			if (c < 0)
				return -1;
			if (c == 0)
				continue;
			if (kj_parse(j, row, rlen, 0, err) < 0)
				return -1;
			/* Every mapper's lead header sorts first: check them all
			 * before the caller binds its model to this one. */
			while ((c = kj_line(j, &s, &len, err)) > 0) {
				if (len && *s == '\t') {
					if (kj_header(j, &j->lhdr, &j->have_lhdr, s + 1, len - 1,
						      "lead", err) < 0)
						return -1;
					continue;
				}
				j->pend = s;
				j->npend = len;
				j->has_pend = 1;
				j->line--;
				break;
			}
			if (c < 0)
				return -1;
			*lead = &j->row;
			return 1;
		}
		if (klen < 2 || s[klen - 2] != LK_KEY_SEP ||
		    (s[klen - 1] != LK_KEY_ACT && s[klen - 1] != LK_KEY_LEAD))
			return kj_fail(j, err, LK_EDATA, "the key has no lead-score tag (is it "
				       "lead-score --emit-key output?)");
		tag = s[klen - 1];
		klen -= 2;
		if (j->gid.len != klen || (klen && memcmp(j->gid.data, s, klen))) {
			kj_end_group(j);
			lk_buf_reset(&j->gid);
			if (lk_buf_add(&j->gid, s, klen) < 0)
				return kj_fail(j, err, LK_ENOMEM, "out of memory");
		}
		if (tag == LK_KEY_ACT && klen == 0) {
			c = kj_header(j, &j->ahdr, &j->have_ahdr, row, rlen, "activity", err);
			if (c < 0)
				return -1;
			if (c == 0)
				continue;
			if (kj_parse(j, row, rlen, 0, err) < 0)
				return -1;
			j->cid = find(&j->row, "lead_id");
			j->cem = find(&j->row, "email");
			j->cact = find(&j->row, "activity");
			j->cat = find(&j->row, "occurred_at");
			j->cdet = find(&j->row, "detail");
			if (j->cact < 0 || j->cat < 0)
				return kj_fail(j, err, LK_EDATA, "the activity header lacks activity "
					       "or occurred_at");
			continue;
		}
		if (tag == LK_KEY_ACT) {
			if (!j->have_ahdr)
				return kj_fail(j, err, LK_EDATA, "an activity before the activity "
					       "header (is the input sorted?)");
			if (kj_parse(j, row, rlen, ++j->nacts, err) < 0 || kj_activity(j, err) < 0)
				return -1;
			continue;
		}
		if (!j->have_lhdr)
			return kj_fail(j, err, LK_EDATA, "a lead before the lead header (is the "
				       "input sorted, with a mapper's header line?)");
		if (kj_parse(j, row, rlen, ++j->nleads, err) < 0 || kj_acts(j, err) < 0)
			return -1;
		j->used = 1;
		*lead = &j->row;
		*acts = j->acts;
		*n = j->nka;
		return 1;
	}
	if (c < 0)
		return -1;
	kj_end_group(j);
	return 0;
}
