/* history.c - stage histories in, leads' stages up to date; see history.h. */
#include "ingest/history.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "model/norm.h"

enum { O_LEAD_ID, O_EMAIL, O_STAGE, O_CHANGED_AT, O_AMOUNT, O_CURRENCY, O_DEAL_ID, O_N };
static const char *const out_names[O_N] = {
	"lead_id", "email", "stage", "changed_at", "amount", "currency", "deal_id"
};

struct lk_histingest {
	const lk_model *m;
	lk_histmap *hm;
	lk_date_order forced;		/* --date-order, else the model's, or AUTO */
	int ncols;
	/* Per input column and separator style ([1]: dotted), as lk_ingest. */
	lk_date_order (*order)[2];
	long (*dmy)[2], (*mdy)[2];
	int out[O_N];			/* output position of each column, or -1 */
	const char *names[O_N];
	int nout;
	const lk_histev *ev;		/* the changes of the last row */
	int nev, next;
	lk_row row;
	char *f[O_N];
	size_t len[O_N];
	char at[40];
	lk_buf reason;
	long taken, changes;
};

void lk_histingest_free(lk_histingest *h)
{
	if (!h)
		return;
	lk_histmap_free(h->hm);
	free(h->order);
	free(h->dmy);
	free(h->mdy);
	lk_buf_free(&h->reason);
	free(h);
}

lk_histingest *lk_histingest_new(const lk_model *m, lk_date_order order, const lk_row *header,
				 const lk_histmap_opt *opt, lk_err *err)
{
	lk_histingest *h = calloc(1, sizeof *h);
	int i, has[O_N];

	if (!h) {
		lk_err_set(err, LK_ENOMEM, "out of memory");
		return NULL;
	}
	h->m = m;
	h->forced = order ? order : m->date_order;
	if (!(h->hm = lk_histmap_new(m, header, opt, err))) {
		free(h);
		return NULL;
	}
	h->ncols = header->n;
	h->order = calloc((size_t)h->ncols + 1, sizeof *h->order);
	h->dmy = calloc((size_t)h->ncols + 1, sizeof *h->dmy);
	h->mdy = calloc((size_t)h->ncols + 1, sizeof *h->mdy);
	if (!h->order || !h->dmy || !h->mdy) {
		lk_histingest_free(h);
		lk_err_set(err, LK_ENOMEM, "out of memory");
		return NULL;
	}
	for (i = 0; i < h->ncols; i++)
		h->order[i][0] = h->order[i][1] = h->forced;
	has[O_LEAD_ID] = lk_histmap_col(h->hm, LK_H_LEAD_ID) >= 0;
	has[O_EMAIL] = lk_histmap_col(h->hm, LK_H_EMAIL) >= 0;
	if (!has[O_LEAD_ID] && !has[O_EMAIL])	/* linked: both */
		has[O_LEAD_ID] = has[O_EMAIL] = 1;
	has[O_STAGE] = has[O_CHANGED_AT] = 1;
	has[O_AMOUNT] = lk_histmap_col(h->hm, LK_H_AMOUNT) >= 0;
	has[O_CURRENCY] = lk_histmap_col(h->hm, LK_H_CURRENCY) >= 0;
	has[O_DEAL_ID] = lk_histmap_col(h->hm, LK_H_DEAL_ID) >= 0;
	for (i = 0; i < O_N; i++) {
		h->out[i] = has[i] ? h->nout : -1;
		if (has[i])
			h->names[h->nout++] = out_names[i];
	}
	h->row.n = h->nout;
	h->row.f = h->f;
	h->row.len = h->len;
	return h;
}

const lk_histmap *lk_histingest_map(const lk_histingest *h)
{
	return h->hm;
}

void lk_histingest_header(const lk_histingest *h, const char *const **names, int *n)
{
	*names = h->names;
	*n = h->nout;
}

/* 1 for day.month.year style values (as lk_ingest reads them). */
static int dotted(const char *s, size_t n)
{
	const char *dot = memchr(s, '.', n);

	return dot && !memchr(s, '-', (size_t)(dot - s)) && !memchr(s, ':', (size_t)(dot - s));
}

void lk_histingest_sniff(lk_histingest *h, const lk_row *row)
{
	int c;

	if (row->bad || row->n != h->ncols)
		return;
	for (c = 0; c < h->ncols; c++) {
		lk_date_order o;
		if (!row->len[c] || !lk_histmap_is_date(h->hm, c))
			continue;
		o = lk_date_sniff(row->f[c], row->len[c]);
		if (o == LK_DATE_DMY)
			h->dmy[c][dotted(row->f[c], row->len[c])]++;
		else if (o == LK_DATE_MDY)
			h->mdy[c][dotted(row->f[c], row->len[c])]++;
	}
}

void lk_histingest_settle(lk_histingest *h, lk_buf *notes)
{
	int c, k;

	if (h->forced != LK_DATE_AUTO)
		return;
	for (c = 0; c < h->ncols; c++)
		for (k = 0; k < 2; k++) {
			long d = h->dmy[c][k], m = h->mdy[c][k];
			const char *name = lk_histmap_name(h->hm, c);
			const char *style = k ? "dd.mm / mm.dd" : "dd/mm / mm/dd";
			if (!d && !m)
				continue;
			h->order[c][k] = d > m ? LK_DATE_DMY : LK_DATE_MDY;
			if (notes && d && m)
				lk_buf_addf(notes, "column '%s' (%s): %ld dates are only valid day-first "
					    "and %ld only month-first; reading ambiguous ones %s "
					    "(use --date-order to choose)\n", name, style, d, m,
					    d > m ? "day-first" : "month-first");
			else if (notes)
				lk_buf_addf(notes, "column '%s' (%s): read %s, settled by the data\n",
					    name, style, d ? "day-first" : "month-first");
		}
}

int lk_histingest_describe(const lk_histingest *h, const lk_buf *notes, lk_buf *out)
{
	size_t at = out->len;

	lk_histmap_describe(h->hm, out);
	lk_buf_adds(out, "output: ");
	for (int i = 0; i < h->nout; i++)
		lk_buf_addf(out, "%s%s", i ? "," : "", h->names[i]);
	lk_buf_addc(out, '\n');
	if (notes && notes->len)
		lk_buf_addf(out, "dates:\n%s", notes->data);
	return out->len > at ? 0 : -1;
}

/* Parse a change's date in its column's order (a value that can only be
 * read the other way is read that way, as lk_ingest does); a time without
 * an offset is read in the model's zone (fields.tz or --tz). */
static int parse_at(const lk_histingest *h, const lk_histev *e, lk_time *t)
{
	lk_date_order o = e->at_col >= 0 ? h->order[e->at_col][dotted(e->at, e->at_len)]
					 : h->forced;

	return lk_date_parse_tz(e->at, e->at_len, o, h->m->zone, t) == 0 ||
	       (o != LK_DATE_AUTO &&
		lk_date_parse_tz(e->at, e->at_len, o == LK_DATE_DMY ? LK_DATE_MDY : LK_DATE_DMY,
				 h->m->zone, t) == 0)
	       ? 0 : -1;
}

int lk_histingest_row(lk_histingest *h, const lk_row *in, const char **reason)
{
	int n = lk_histmap_row(h->hm, in, &h->ev, reason), i;

	h->nev = h->next = 0;
	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		lk_time t;
		if (parse_at(h, &h->ev[i], &t) < 0) {
			lk_buf_reset(&h->reason);
			lk_buf_addf(&h->reason, "unparseable date '%.*s' in '%s'", (int)h->ev[i].at_len,
				    h->ev[i].at, lk_histmap_name(h->hm, h->ev[i].at_col));
			*reason = h->reason.data;
			return 0;
		}
	}
	h->nev = n;
	h->taken++;
	h->changes += n;
	return n;
}

static void put(lk_histingest *h, int o, const char *s, size_t len)
{
	if (h->out[o] < 0)
		return;
	h->f[h->out[o]] = (char *)s;
	h->len[h->out[o]] = len;
}

int lk_histingest_next(lk_histingest *h, lk_row **out)
{
	const lk_histev *e;
	lk_time t;

	if (h->next >= h->nev)
		return 0;
	e = &h->ev[h->next++];
	parse_at(h, e, &t);	/* parsed once already: it parses */
	lk_date_format(t, h->at);
	put(h, O_LEAD_ID, e->lead_id, e->lead_id_len);
	put(h, O_EMAIL, e->email, e->email_len);
	if (e->stage >= 0)
		put(h, O_STAGE, h->m->stages[e->stage].id, strlen(h->m->stages[e->stage].id));
	else
		put(h, O_STAGE, e->stage_text, e->stage_len);
	put(h, O_CHANGED_AT, h->at, strlen(h->at));
	put(h, O_AMOUNT, e->amount, e->amount_len);
	put(h, O_CURRENCY, e->currency, e->currency_len);
	put(h, O_DEAL_ID, e->deal_id, e->deal_id_len);
	*out = &h->row;
	return 1;
}

long lk_histingest_rows_taken(const lk_histingest *h)
{
	return h->taken;
}

long lk_histingest_changes(const lk_histingest *h)
{
	return h->changes;
}

/* ---- leads brought up to date ---- */

/* A deal's latest change. */
struct deal {
	int lead;		/* index into leads */
	int stage;
	int64_t at;
};

/* What a lead's deals say, folded once the histories are read. */
struct lead {
	int won;		/* deals won */
	int64_t won_at;		/* the latest win */
	int open_stage;		/* the furthest open stage, or -1 */
	int64_t open_at;	/* when a deal reached it */
	int lost, deals;
	int64_t lost_at;	/* the latest loss */
};

struct lk_stagesync {
	const lk_model *m;
	int64_t now;
	lk_hash *lead_ix;	/* "i" lead_id or "e" email -> lead index + 1 */
	lk_hash *deal_ix;	/* lead index, deal id -> deal index + 1 */
	struct lead *leads;
	size_t nleads, caplead;
	struct deal *deals;
	size_t ndeals, capdeal;
	int folded;
	int opp, won, lost;	/* stage indices: opportunity, won, lost (-1) */
	lk_stagesync_stats st;
	char *first_reject;
	/* The lead header. */
	int c_id, c_email, c_stage, c_updated, c_from;
	const char **names;
	int nin, nout;
	lk_row row;
	char upd[40];
	lk_buf key;		/* a lead's key in lead_ix */
};

lk_stagesync *lk_stagesync_new(const lk_model *m, int64_t now)
{
	lk_stagesync *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->m = m;
	s->now = now;
	s->lead_ix = lk_hash_new(1024);
	s->deal_ix = lk_hash_new(1024);
	if (!s->lead_ix || !s->deal_ix) {
		lk_stagesync_free(s);
		return NULL;
	}
	s->won = m->npath > 0 ? m->npath - 1 : -1;
	s->opp = lk_model_stage_id(m, "opportunity");
	if (s->opp < 0 || s->opp >= m->npath)	/* a model without one: the stage before won */
		s->opp = m->npath > 1 ? m->npath - 2 : s->won;
	s->lost = lk_model_stage_id(m, "lost");
	return s;
}

void lk_stagesync_free(lk_stagesync *s)
{
	if (!s)
		return;
	lk_hash_free(s->lead_ix);
	lk_hash_free(s->deal_ix);
	free(s->leads);
	free(s->deals);
	free(s->first_reject);
	free(s->names);
	free(s->row.f);
	free(s->row.len);
	lk_buf_free(&s->key);
	free(s);
}

static int nomem(lk_err *err)
{
	return lk_err_set(err, LK_ENOMEM, "out of memory");
}

/* The lead of a change: found by its lead_id or email, else a new one
 * (known by both keys).  -1 on ENOMEM. */
static long lead_of(lk_stagesync *s, const lk_histev *e, lk_buf *k)
{
	void **slot = NULL, **slot2 = NULL;
	int created;
	long ix = -1;

	if (e->lead_id_len) {
		lk_buf_reset(k);
		lk_buf_addc(k, 'i');
		lk_buf_add(k, e->lead_id, e->lead_id_len);
		if ((slot = lk_hash_slot(s->lead_ix, k->data, k->len, 0, &created)))
			ix = (intptr_t)*slot - 1;
	}
	if (ix < 0 && e->email_len) {
		lk_buf_reset(k);
		lk_buf_addc(k, 'e');
		lk_buf_add(k, e->email, e->email_len);
		if ((slot2 = lk_hash_slot(s->lead_ix, k->data, k->len, 0, &created)))
			ix = (intptr_t)*slot2 - 1;
	}
	if (ix >= 0)
		goto keys;
	if (s->nleads == s->caplead) {
		size_t cap = s->caplead ? s->caplead * 2 : 256;
		struct lead *nl = realloc(s->leads, cap * sizeof *nl);
		if (!nl)
			return -1;
		s->leads = nl;
		s->caplead = cap;
	}
	ix = (long)s->nleads++;
	memset(&s->leads[ix], 0, sizeof s->leads[ix]);
keys:	/* The lead is known by each key the change gives, unless a key
	 * already names a lead (the first change to name it wins). */
	if (e->lead_id_len) {
		lk_buf_reset(k);
		lk_buf_addc(k, 'i');
		lk_buf_add(k, e->lead_id, e->lead_id_len);
		if (!(slot = lk_hash_slot(s->lead_ix, k->data, k->len, 1, &created)))
			return -1;
		if (created)
			*slot = (void *)(intptr_t)(ix + 1);
	}
	if (e->email_len) {
		lk_buf_reset(k);
		lk_buf_addc(k, 'e');
		lk_buf_add(k, e->email, e->email_len);
		if (!(slot = lk_hash_slot(s->lead_ix, k->data, k->len, 1, &created)))
			return -1;
		if (created)
			*slot = (void *)(intptr_t)(ix + 1);
	}
	return ix;
}

/* Keep a change as its deal's latest (a later row wins a tie). */
static int add_change(lk_stagesync *s, const lk_histev *e, int64_t at, lk_buf *k)
{
	long lead = lead_of(s, e, k);
	void **slot;
	int created;
	struct deal *d;

	if (lead < 0)
		return -1;
	lk_buf_reset(k);
	lk_buf_add(k, &lead, sizeof lead);
	lk_buf_add(k, e->deal_id, e->deal_id_len);	/* none: one deal per lead */
	if (!(slot = lk_hash_slot(s->deal_ix, k->data, k->len, 1, &created)))
		return -1;
	if (created) {
		if (s->ndeals == s->capdeal) {
			size_t cap = s->capdeal ? s->capdeal * 2 : 256;
			struct deal *nd = realloc(s->deals, cap * sizeof *nd);
			if (!nd)
				return -1;
			s->deals = nd;
			s->capdeal = cap;
		}
		*slot = (void *)(intptr_t)(s->ndeals + 1);
		d = &s->deals[s->ndeals++];
		d->lead = (int)lead;
		d->stage = e->stage;
		d->at = at;
		s->st.deals++;
		return 0;
	}
	d = &s->deals[(intptr_t)*slot - 1];
	if (at >= d->at) {
		d->stage = e->stage;
		d->at = at;
	}
	return 0;
}

int lk_stagesync_load(lk_stagesync *s, int fd, const char *name, char delim,
		      lk_date_order order, lk_err *err)
{
	lk_csvopt co = { 0 };
	lk_histingest *h = NULL;
	lk_reader *rd;
	lk_row *row, *out;
	lk_buf k = LK_BUF_INIT;
	const char *why;
	int c;

	co.delim = delim;
	co.name = name;
	if (!(rd = lk_reader_new(fd, &co, err)))
		return -1;
	c = lk_reader_next(rd, &row, err);
	if (c > 0 && !(h = lk_histingest_new(s->m, order, row, NULL, err))) {
		snprintf(err->file, sizeof err->file, "%s", name);
		c = -1;
	}
	while (c > 0 && (c = lk_reader_next(rd, &row, err)) > 0) {
		s->st.rows++;
		if (!lk_histingest_row(h, row, &why)) {
			s->st.rejected++;
			if (!s->first_reject) {
				lk_buf msg = LK_BUF_INIT;
				lk_buf_addf(&msg, "%s: record %ld (line %ld): %s", name, row->record,
					    row->line, why);
				s->first_reject = lk_buf_detach(&msg);
			}
			continue;
		}
		while (lk_histingest_next(h, &out)) {
			lk_time t;
			lk_date_parse(h->at, strlen(h->at), LK_DATE_AUTO, &t);
			if (t.secs > s->now) {
				s->st.later++;
				continue;
			}
			if (add_change(s, &h->ev[h->next - 1], t.secs, &k) < 0) {
				c = nomem(err);
				break;
			}
		}
	}
	lk_buf_free(&k);
	lk_histingest_free(h);
	lk_reader_free(rd);
	s->folded = 0;
	return c < 0 ? -1 : 0;
}

const char *lk_stagesync_first_reject(const lk_stagesync *s)
{
	return s->first_reject;
}

/* Fold every deal into its lead. */
static void fold(lk_stagesync *s)
{
	size_t i;

	for (i = 0; i < s->nleads; i++) {
		memset(&s->leads[i], 0, sizeof s->leads[i]);
		s->leads[i].open_stage = -1;
	}
	for (i = 0; i < s->ndeals; i++) {
		const struct deal *d = &s->deals[i];
		struct lead *l = &s->leads[d->lead];
		l->deals++;
		if (d->stage >= 0 && d->stage == s->won) {
			if (!l->won++ || d->at > l->won_at)
				l->won_at = d->at;
		} else if (d->stage >= 0 && d->stage == s->lost) {
			if (!l->lost++ || d->at > l->lost_at)
				l->lost_at = d->at;
		} else if (d->stage >= s->opp && d->stage < s->won && s->opp >= 0) {
			if (d->stage > l->open_stage ||
			    (d->stage == l->open_stage && d->at < l->open_at)) {
				l->open_stage = d->stage;
				l->open_at = d->at;
			}
		}
	}
	s->folded = 1;
}

int lk_stagesync_bind(lk_stagesync *s, const char *const *names, int n, lk_err *err)
{
	int i;

	s->c_id = lk_header_index(names, n, "lead_id");
	s->c_email = lk_header_index(names, n, "email");
	s->c_stage = lk_header_index(names, n, "stage");
	s->c_updated = lk_header_index(names, n, "updated_at");
	s->c_from = lk_header_index(names, n, "stage_from");
	if (s->c_stage < 0 || (s->c_id < 0 && s->c_email < 0))
		return lk_err_set(err, LK_EUSAGE, "--stages-from: the leads need a stage column "
				  "and a lead_id or email column");
	free(s->names);
	free(s->row.f);
	free(s->row.len);
	s->nin = n;
	s->nout = s->c_from >= 0 ? n : n + 1;
	s->names = calloc((size_t)s->nout + 1, sizeof *s->names);
	s->row.f = calloc((size_t)s->nout + 1, sizeof *s->row.f);
	s->row.len = calloc((size_t)s->nout + 1, sizeof *s->row.len);
	if (!s->names || !s->row.f || !s->row.len)
		return nomem(err);
	for (i = 0; i < n; i++)
		s->names[i] = names[i];
	if (s->c_from < 0) {
		s->c_from = n;
		s->names[n] = "stage_from";
	}
	s->row.n = s->nout;
	if (!s->folded)
		fold(s);
	return 0;
}

void lk_stagesync_header(const lk_stagesync *s, const char *const **names, int *n)
{
	*names = s->names;
	*n = s->nout;
}

/* The folded deals of a lead row: by its lead_id, else by its email. */
static const struct lead *find(lk_stagesync *s, const lk_row *r, lk_buf *k)
{
	size_t len;
	const char *v;
	void *p;

	v = lk_row_field(r, s->c_id, &len);
	if (len) {
		lk_buf_reset(k);
		lk_buf_addc(k, 'i');
		lk_buf_add(k, v, len);
		if ((p = lk_hash_get(s->lead_ix, k->data, k->len)))
			return &s->leads[(intptr_t)p - 1];
	}
	v = lk_row_field(r, s->c_email, &len);
	if (len) {
		lk_buf_reset(k);
		lk_buf_addc(k, 'e');
		lk_buf_add(k, v, len);
		if ((p = lk_hash_get(s->lead_ix, k->data, k->len)))
			return &s->leads[(intptr_t)p - 1];
	}
	return NULL;
}

int lk_stagesync_apply(lk_stagesync *s, const lk_row *lead, lk_row **out)
{
	const lk_model *m = s->m;
	const struct lead *l = find(s, lead, &s->key);
	const char *v;
	size_t len;
	int i, cur = -1, target = -1;
	int64_t at = 0, upd = INT64_MIN;
	long *count = NULL;
	lk_time t;

	for (i = 0; i < s->nin; i++) {
		s->row.f[i] = i < lead->n ? lead->f[i] : "";
		s->row.len[i] = i < lead->n ? lead->len[i] : 0;
	}
	if (s->c_from == s->nin) {
		s->row.f[s->nin] = "";
		s->row.len[s->nin] = 0;
	}
	*out = &s->row;
	if (!l)
		return 0;
	v = lk_row_field(lead, s->c_stage, &len);
	if (len)
		cur = lk_model_stage(m, v, len);
	v = lk_row_field(lead, s->c_updated, &len);
	if (len && lk_date_parse(v, len, LK_DATE_AUTO, &t) == 0)
		upd = t.secs;
	if (l->won) {
		target = s->won;
		at = l->won_at;
		count = &s->st.won;
	} else if (l->open_stage >= 0) {
		target = l->open_stage;
		at = l->open_at;
		count = &s->st.open;
	} else if (l->lost && l->lost == l->deals && s->lost >= 0 && upd <= l->lost_at) {
		target = s->lost;
		at = l->lost_at;
		count = &s->st.lost;
	}
	if (target < 0 || target == cur)
		return 0;
	/* Never backwards along the path; a loss never undoes a win. */
	if (cur >= 0 && !m->stages[cur].detour && !m->stages[target].detour &&
	    m->stages[cur].order >= m->stages[target].order)
		return 0;
	if (target == s->lost && cur == s->won)
		return 0;
	s->row.f[s->c_stage] = (char *)m->stages[target].id;
	s->row.len[s->c_stage] = strlen(m->stages[target].id);
	s->row.f[s->c_from] = "history";
	s->row.len[s->c_from] = 7;
	if (s->c_updated >= 0 && at > upd) {
		lk_date_format_full(at, s->upd);
		s->row.f[s->c_updated] = s->upd;
		s->row.len[s->c_updated] = strlen(s->upd);
	}
	(*count)++;
	return 0;
}

const lk_stagesync_stats *lk_stagesync_stats_get(const lk_stagesync *s)
{
	return &s->st;
}
