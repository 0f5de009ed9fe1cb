/* link.c - a CRM's foreign ids resolved to leads; see link.h. */
#include "ingest/link.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "ingest/ingest.h"
#include "ingest/mapping.h"
#include "model/norm.h"

/* One person of the link files: offsets of its strings in the arena. */
struct person {
	size_t lead_id, email;
};

/* A value that names two leads: the first two it met. */
struct amb {
	long a, b;
};

struct lk_link {
	lk_buf arena;		/* the people's strings, NUL-terminated */
	struct person *p;
	long np, cap;
	long skipped;
	/* Keys: a tier letter, then what it matches (see index_put); the
	 * value is the person's index + 1, or -(ambiguity's index + 1). */
	lk_hash *idx;
	struct amb *amb;
	long namb, ambcap;
	lk_hash *cols;		/* loose names of the link files' id columns */
	lk_buf key;
};

/* A reference column of a plan. */
struct pref {
	int col;
	int kind;		/* LK_REF_ID or LK_REF_NAME */
	int same;		/* 1: a link file has a column of its loose name */
	char *loose;		/* its loose name */
	char *label;		/* its header name, in reasons */
};

struct lk_linkplan {
	const lk_link *l;
	struct pref *r;
	int n;
	lk_buf key, val, reason;
	lk_link_stats st;
};

lk_link *lk_link_new(void)
{
	lk_link *l = calloc(1, sizeof *l);

	if (!l)
		return NULL;
	l->idx = lk_hash_new(1024);
	l->cols = lk_hash_new(16);
	if (!l->idx || !l->cols) {
		lk_link_free(l);
		return NULL;
	}
	return l;
}

void lk_link_free(lk_link *l)
{
	if (!l)
		return;
	lk_buf_free(&l->arena);
	free(l->p);
	lk_hash_free(l->idx);
	lk_hash_free(l->cols);
	free(l->amb);
	lk_buf_free(&l->key);
	free(l);
}

long lk_link_people(const lk_link *l)
{
	return l->np;
}

long lk_link_skipped(const lk_link *l)
{
	return l->skipped;
}

static const char *str(const lk_link *l, size_t off)
{
	return l->arena.data ? l->arena.data + off : "";
}

/* Two people are one lead when they share a lead_id, or, without one,
 * an email. */
static int same_lead(const lk_link *l, long a, long b)
{
	const char *ia = str(l, l->p[a].lead_id), *ib = str(l, l->p[b].lead_id);

	if (a == b)
		return 1;
	if (*ia && *ib)
		return !strcmp(ia, ib);
	return *str(l, l->p[a].email) && !strcmp(str(l, l->p[a].email), str(l, l->p[b].email));
}

/* Salesforce writes an empty id as fifteen zeros (and AAA). */
static int null_id(const char *s, size_t n)
{
	size_t i;

	if (n != 15 && n != 18)
		return 0;
	for (i = 0; i < 15; i++)
		if (s[i] != '0')
			return 0;
	return n == 15 || !memcmp(s + 15, "AAA", 3);
}

/* An 18-character Salesforce id: letters and digits only. */
static int sf18(const char *s, size_t n)
{
	size_t i;

	if (n != 18)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z')))
			return 0;
	return 1;
}

static intptr_t find(const lk_link *l, const lk_buf *k);

/* The key tier + what + US + value in l->key. */
static void make_key(lk_buf *k, char tier, const char *what, const char *v, size_t n)
{
	lk_buf_reset(k);
	lk_buf_addc(k, tier);
	lk_buf_adds(k, what);
	lk_buf_addc(k, 0x1f);
	lk_buf_add(k, v, n);
}

static int index_put(lk_link *l, char tier, const char *what, const char *v, size_t n, long who)
{
	void **slot;
	intptr_t old;
	int created;

	if (!n)
		return 0;
	make_key(&l->key, tier, what, v, n);
	if (!(slot = lk_hash_slot(l->idx, l->key.data, l->key.len, 1, &created)))
		return -1;
	old = (intptr_t)*slot;
	if (!old) {
		*slot = (void *)(intptr_t)(who + 1);
	} else if (old > 0 && !same_lead(l, old - 1, who)) {
		if (l->namb == l->ambcap) {
			long cap = l->ambcap ? 2 * l->ambcap : 16;
			struct amb *a = realloc(l->amb, (size_t)cap * sizeof *a);
			if (!a)
				return -1;
			l->amb = a;
			l->ambcap = cap;
		}
		l->amb[l->namb] = (struct amb){ old - 1, who };
		*slot = (void *)(intptr_t)-(++l->namb);
	}
	return 0;
}

/* An id value, and its 15-character form. */
static int index_id(lk_link *l, char tier, const char *what, const char *s, size_t n, long who)
{
	lk_buf v = LK_BUF_INIT;
	int rc = 0;

	lk_norm_space(s, n, &v);
	if (v.len && !null_id(v.data, v.len)) {
		rc |= index_put(l, tier, what, v.data, v.len, who);
		if (sf18(v.data, v.len))
			rc |= index_put(l, tier, what, v.data, 15, who);
	}
	lk_buf_free(&v);
	return rc;
}

/* A column of a link file that holds a person's id: a name ending in
 * ID/Id (or an underscore or space and id) that speaks of a person. */
static int id_column(const char *name, size_t n, const char *loose)
{
	static const char *const who[] = { "contact", "lead", "person", "record", "member",
					   "who", "customer", "prospect", NULL };
	int i;

	if (!strcmp(loose, "id"))
		return 1;
	if (n < 3 || !((name[n - 2] == 'I' && (name[n - 1] == 'D' || name[n - 1] == 'd')) ||
		       ((name[n - 3] == '_' || name[n - 3] == ' ' || name[n - 3] == '-') &&
			(name[n - 2] == 'i' || name[n - 2] == 'I'))))
		return 0;
	for (i = 0; who[i]; i++)
		if (strstr(loose, who[i]))
			return 1;
	return 0;
}

static int full_name_column(const char *loose)
{
	static const char *const names[] = { "name", "fullname", "contactname", "leadname",
					     "personname", NULL };
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(loose, names[i]))
			return 1;
	return 0;
}

static long add_person(lk_link *l, const lk_row *out)
{
	if (l->np == l->cap) {
		long cap = l->cap ? 2 * l->cap : 256;
		struct person *p = realloc(l->p, (size_t)cap * sizeof *p);
		if (!p)
			return -1;
		l->p = p;
		l->cap = cap;
	}
	l->p[l->np].lead_id = l->arena.len;
	lk_buf_add(&l->arena, out->f[0], out->len[0]);
	lk_buf_addc(&l->arena, 0);
	l->p[l->np].email = l->arena.len;
	lk_buf_add(&l->arena, out->f[1], out->len[1]);
	if (lk_buf_addc(&l->arena, 0) < 0)
		return -1;
	return l->np++;
}

int lk_link_load(lk_link *l, const lk_model *m, int fd, const lk_csvopt *co, lk_err *err)
{
	const char *name = co->name && strcmp(co->name, "-") ? co->name : "stdin";
	lk_ingest_opt io = { 0 };
	lk_reader *rd = lk_reader_new(fd, co, err);
	lk_ingest *g = NULL;
	lk_buf k = LK_BUF_INIT, nm = LK_BUF_INIT;
	char **loose = NULL;
	int *kind = NULL;	/* per column: 1 own id, 2 other id, 3 full name */
	const lk_mapping *mp;
	lk_row *row, *out;
	const char *reason;
	int c, i, n = 0, rc = -1;
	long first;

	if (!rd)
		return -1;
	if ((c = lk_reader_next(rd, &row, err)) <= 0) {
		if (c == 0)
			lk_err_set(err, LK_EDATA, "%s: empty link file: no header row", name);
		goto done;
	}
	if (!(g = lk_ingest_new(m, &io, row, err)))
		goto done;
	mp = lk_ingest_mapping(g);
	n = row->n;
	loose = calloc((size_t)n + 1, sizeof *loose);
	kind = calloc((size_t)n + 1, sizeof *kind);
	if (!loose || !kind)
		goto oom;
	for (i = 0; i < n; i++) {
		lk_loose_key(row->f[i], row->len[i], &k);
		if (!(loose[i] = strdup(lk_buf_str(&k))))
			goto oom;
		kind[i] = i == mp->src[0] ? 1 : id_column(row->f[i], row->len[i], loose[i]) ? 2
			: full_name_column(loose[i]) ? 3 : 0;
		if (kind[i] && kind[i] < 3 && lk_hash_put(l->cols, loose[i], strlen(loose[i]),
							  (void *)1) < 0)
			goto oom;
	}
	if (mp->src[0] < 0 && mp->src[1] < 0) {
		lk_err_set(err, LK_EDATA, "%s: header: a link file needs a lead_id or an email "
			   "column (read as a lead export is; see lead-ingest --show-mapping)", name);
		goto done;
	}
	first = l->np;
	while ((c = lk_reader_next(rd, &row, err)) > 0) {
		long who;
		intptr_t had;
		if (!lk_ingest_row(g, row, &out, &reason)) {
			l->skipped++;
			continue;
		}
		/* A person an earlier link file has already given (one email)
		 * is that person: a contacts file's ids then lead to the lead
		 * of the leads file given before it. */
		make_key(&l->key, 'e', "", out->f[1], out->len[1]);
		had = out->len[1] ? find(l, &l->key) : 0;
		if (had > 0 && had - 1 < first)
			who = had - 1;
		else if ((who = add_person(l, out)) < 0)
			goto oom;
		for (i = 0; i < n; i++) {
			if (!kind[i] || kind[i] == 3)
				continue;
			if (index_id(l, 'c', loose[i], row->f[i], row->len[i], who) < 0 ||
			    index_id(l, kind[i] == 1 ? 'p' : 'o', "", row->f[i], row->len[i], who) < 0)
				goto oom;
		}
		/* Names: first and last, and any full-name column. */
		lk_buf_reset(&nm);
		lk_buf_add(&nm, out->f[2], out->len[2]);
		lk_buf_add(&nm, out->f[3], out->len[3]);
		lk_loose_key(lk_buf_str(&nm), nm.len, &k);
		if (index_put(l, 'n', "", lk_buf_str(&k), k.len, who) < 0)
			goto oom;
		for (i = 0; i < n; i++) {
			if (kind[i] != 3)
				continue;
			lk_loose_key(row->f[i], row->len[i], &k);
			if (index_put(l, 'n', "", lk_buf_str(&k), k.len, who) < 0)
				goto oom;
		}
		if (index_put(l, 'e', "", out->f[1], out->len[1], who) < 0)
			goto oom;
	}
	if (c < 0)
		goto done;
	rc = 0;
	goto done;
oom:
	lk_err_set(err, LK_ENOMEM, "out of memory");
done:
	for (i = 0; loose && i < n; i++)
		free(loose[i]);
	free(loose);
	free(kind);
	lk_buf_free(&k);
	lk_buf_free(&nm);
	lk_ingest_free(g);
	lk_reader_free(rd);
	return rc;
}

void lk_linkplan_free(lk_linkplan *p)
{
	int i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->r[i].loose);
		free(p->r[i].label);
	}
	free(p->r);
	lk_buf_free(&p->key);
	lk_buf_free(&p->val);
	lk_buf_free(&p->reason);
	free(p);
}

lk_linkplan *lk_link_plan(const lk_link *l, const lk_model *m, const lk_row *h, const int *refs,
			  lk_err *err)
{
	lk_linkplan *p = calloc(1, sizeof *p);
	lk_buf k = LK_BUF_INIT;
	int i, pass;

	if (!p || !(p->r = calloc((size_t)h->n + 1, sizeof *p->r)))
		goto oom;
	p->l = l;
	/* Id references first, then names, each in column order. */
	for (pass = LK_REF_ID; pass <= LK_REF_NAME; pass++)
		for (i = 0; i < h->n; i++) {
			int kd = refs ? refs[i] : lk_mapping_ref_kind(m, h->f[i], h->len[i]);
			struct pref *r = &p->r[p->n];
			lk_loose_key(h->f[i], h->len[i], &k);
			/* A column named as an id column of a link file is one. */
			if (!refs && !kd && strcmp(lk_buf_str(&k), "id") &&
			    lk_hash_get(l->cols, lk_buf_str(&k), k.len))
				kd = LK_REF_ID;
			if (kd != pass)
				continue;
			r->col = i;
			r->kind = kd;
			r->loose = strdup(lk_buf_str(&k));
			r->label = strndup(h->f[i], h->len[i]);
			p->n++;
			if (!r->loose || !r->label)
				goto oom;
			r->same = kd == LK_REF_ID && lk_hash_get(l->cols, r->loose, strlen(r->loose));
		}
	lk_buf_free(&k);
	return p;
oom:
	lk_buf_free(&k);
	lk_linkplan_free(p);
	lk_err_set(err, LK_ENOMEM, "out of memory");
	return NULL;
}

int lk_linkplan_count(const lk_linkplan *p)
{
	return p ? p->n : 0;
}

const lk_link_stats *lk_linkplan_stats(const lk_linkplan *p)
{
	return &p->st;
}

int lk_linkplan_describe(const lk_linkplan *p, lk_buf *out)
{
	int i, bad = 0;

	bad |= lk_buf_addf(out, "how rows are linked (%ld %s in the link files):\n",
			   p->l->np, p->l->np == 1 ? "person" : "people");
	if (!p->n)
		bad |= lk_buf_adds(out, "  no reference column: rows keep their own lead_id "
				   "and email\n");
	for (i = 0; i < p->n; i++) {
		const struct pref *r = &p->r[i];
		if (r->kind == LK_REF_NAME)
			bad |= lk_buf_addf(out, "  %d. %-29s against the people's names "
					   "(an address in it: their emails); one lead only\n",
					   i + 1, r->label);
		else if (r->same)
			bad |= lk_buf_addf(out, "  %d. %-29s against the link files' column of "
					   "the same name\n", i + 1, r->label);
		else
			bad |= lk_buf_addf(out, "  %d. %-29s against the link files' lead_id, "
					   "then their other id columns\n", i + 1, r->label);
	}
	if (p->n)
		bad |= lk_buf_adds(out, "  the first with a value that finds a lead decides; a value "
				   "naming several leads rejects the row\n");
	return bad ? -1 : 0;
}

/* The index entry of key k: 0 none, >0 person + 1, <0 ambiguity. */
static intptr_t find(const lk_link *l, const lk_buf *k)
{
	return (intptr_t)lk_hash_get(l->idx, k->data, k->len);
}

static intptr_t find_id(lk_linkplan *p, const struct pref *r, const char *v, size_t n)
{
	intptr_t hit;
	size_t len = n;

	for (;;) {
		if (r->same) {
			make_key(&p->key, 'c', r->loose, v, len);
			hit = find(p->l, &p->key);
		} else {
			make_key(&p->key, 'p', "", v, len);
			if (!(hit = find(p->l, &p->key))) {
				make_key(&p->key, 'o', "", v, len);
				hit = find(p->l, &p->key);
			}
		}
		/* An 18-character id finds the 15-character one too. */
		if (hit || len != 18 || !sf18(v, n))
			return hit;
		len = 15;
	}
}

/* An address inside a name reference ("Jane Doe (jane@acme.com)"). */
static int email_in(const char *s, size_t n, lk_buf *out)
{
	const char *at = memchr(s, '@', n), *b, *e;
	lk_buf alt = LK_BUF_INIT;
	int ok;

	if (!at)
		return 0;
	for (b = at; b > s && !strchr(" (<,;\"'", b[-1]); b--)
		;
	for (e = at; e < s + n && !strchr(" )>,;\"'", *e); e++)
		;
	lk_buf_reset(out);
	ok = lk_norm_email(b, (size_t)(e - b), out, &alt) > 0;
	lk_buf_free(&alt);
	return ok;
}

static const char *who(const lk_link *l, long i)
{
	const char *id = str(l, l->p[i].lead_id);

	return *id ? id : str(l, l->p[i].email);
}

int lk_link_resolve(lk_linkplan *p, const lk_row *row, lk_linked *lead, const char **reason)
{
	const lk_link *l = p->l;
	int i, any = 0;

	lk_buf_reset(&p->reason);
	for (i = 0; i < p->n; i++) {
		const struct pref *r = &p->r[i];
		const char *s = r->col < row->n ? row->f[r->col] : "";
		size_t n = r->col < row->n ? row->len[r->col] : 0;
		intptr_t hit;

		lk_buf_reset(&p->val);
		lk_norm_space(s, n, &p->val);
		if (!p->val.len || (r->kind == LK_REF_ID && null_id(p->val.data, p->val.len)))
			continue;
		any = 1;
		if (r->kind == LK_REF_ID) {
			hit = find_id(p, r, p->val.data, p->val.len);
		} else if (email_in(p->val.data, p->val.len, &p->key)) {
			lk_buf tmp = LK_BUF_INIT;
			lk_buf_add(&tmp, p->key.data, p->key.len);
			make_key(&p->key, 'e', "", tmp.data, tmp.len);
			lk_buf_free(&tmp);
			hit = find(l, &p->key);
		} else {
			lk_buf tmp = LK_BUF_INIT;
			size_t len;
			lk_loose_key(p->val.data, p->val.len, &tmp);
			len = tmp.len;
			make_key(&p->key, 'n', "", lk_buf_str(&tmp), tmp.len);
			lk_buf_free(&tmp);
			hit = len ? find(l, &p->key) : 0;
		}
		if (hit > 0) {
			lead->lead_id = str(l, l->p[hit - 1].lead_id);
			lead->email = str(l, l->p[hit - 1].email);
			p->st.linked++;
			return 1;
		}
		if (hit < 0) {
			const struct amb *a = &l->amb[-hit - 1];
			lk_buf_reset(&p->reason);
			lk_buf_addf(&p->reason, "ambiguous: %s '%.*s' names more than one lead "
				    "(%s, %s)", r->label, (int)(p->val.len > 60 ? 60 : p->val.len),
				    p->val.data, who(l, a->a), who(l, a->b));
			*reason = p->reason.data;
			p->st.ambiguous++;
			return 0;
		}
		if (!p->reason.len)
			lk_buf_addf(&p->reason, "no lead for %s '%.*s'", r->label,
				    (int)(p->val.len > 60 ? 60 : p->val.len), p->val.data);
	}
	if (!any)
		return -1;
	*reason = p->reason.data;
	p->st.missing++;
	return 0;
}

int lk_link_resolve_id(lk_linkplan *p, const char *id, size_t len, lk_linked *lead,
		       const char **reason)
{
	struct pref any = { .kind = LK_REF_ID, .label = (char *)"id", .loose = (char *)"" };
	const struct pref *r = &any;
	const lk_link *l = p->l;
	intptr_t hit;
	int i;

	for (i = 0; i < p->n; i++)
		if (p->r[i].kind == LK_REF_ID) {
			r = &p->r[i];
			break;
		}
	lk_buf_reset(&p->val);
	lk_norm_space(id, len, &p->val);
	if (!p->val.len || null_id(p->val.data, p->val.len))
		return -1;
	hit = find_id(p, r, p->val.data, p->val.len);
	lk_buf_reset(&p->reason);
	if (hit > 0) {
		lead->lead_id = str(l, l->p[hit - 1].lead_id);
		lead->email = str(l, l->p[hit - 1].email);
		p->st.linked++;
		return 1;
	}
	if (hit < 0) {
		const struct amb *a = &l->amb[-hit - 1];
		lk_buf_addf(&p->reason, "ambiguous: %s '%.*s' names more than one lead (%s, %s)",
			    r->label, (int)(p->val.len > 60 ? 60 : p->val.len), p->val.data,
			    who(l, a->a), who(l, a->b));
		p->st.ambiguous++;
	} else {
		lk_buf_addf(&p->reason, "no lead for %s '%.*s'", r->label,
			    (int)(p->val.len > 60 ? 60 : p->val.len), p->val.data);
		p->st.missing++;
	}
	*reason = p->reason.data;
	return 0;
}

int lk_link_histmap(void *plan, const lk_row *row, const char *id, size_t len, lk_buf *lead_id,
		    lk_buf *email, const char **reason)
{
	lk_linked lead;
	int r = lk_link_resolve(plan, row, &lead, reason);

	(void)id;
	(void)len;
	if (r < 0) {
		*reason = "no lead: the row's contact references are empty";
		return 0;
	}
	if (r == 0)
		return 0;
	if (lk_buf_adds(lead_id, lead.lead_id) < 0 || lk_buf_adds(email, lead.email) < 0) {
		*reason = "out of memory";
		return 0;
	}
	return 1;
}
