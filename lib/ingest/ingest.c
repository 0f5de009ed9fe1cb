/* ingest.c - CRM export rows to canonical leads; see ingest.h. */
#include "ingest/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "model/consent.h"

enum { C_LEAD_ID, C_EMAIL, C_FIRST, C_LAST, C_COMPANY, C_TITLE, C_PHONE, C_INDUSTRY,
       C_EMPLOYEES, C_COUNTRY, C_SOURCE, C_STAGE, C_STATUS, C_OWNER, C_CREATED,
       C_UPDATED, C_LAST_ACT, C_OPT_OUT, C_DNC, C_BOUNCED };
#define NCONSENT 3	/* C_OPT_OUT .. C_BOUNCED */

#define LK_MEMO_SLOTS 256
#define LK_MEMO_MAX 30
enum { MEMO_OK = 1, MEMO_PLACEHOLDER, MEMO_NOT_UNDERSTOOD };

struct lk_ingest {
	const lk_model *model;
	lk_ingest_opt opt;
	lk_mapping map;
	lk_placeholders *ph;

	int nout;
	const char **names;	/* output header */
	int col_alt;		/* email_alt output column */
	int col_merged;		/* merged_ids output column, -1 */
	int *pass;		/* output column -> input column for pass-through */
	int in_alt, in_merged;	/* input columns already named email_alt/merged_ids */

	/* Per date column and separator style ([0] slashes or dashes,
	 * [1] dots): exports mix 07/09/2026 and 09.07.2026 in one column,
	 * and the two styles follow different conventions. */
	lk_date_order order[LK_NCANON][2];
	long sniff_dmy[LK_NCANON][2], sniff_mdy[LK_NCANON][2];

	/* Per consent column: the input columns it reads (the mapped one
	 * first, then the ones that lost to it: mapping.h), and whether
	 * each holds evidence (a reason or a date: consent.h). */
	int *csrc[NCONSENT];
	char *cev[NCONSENT];
	int ncsrc[NCONSENT];

	lk_buf val[LK_NCANON + 2];
	lk_buf tmp, tmp2, reason;
	lk_row out;
	lk_ingest_stats stats;

	/* Country, employee and stage values repeat: each column remembers
	 * the normal form of the raw texts it met last, by hash. */
	struct lk_memo {
		unsigned char klen, vlen, kind;	/* kind: a MEMO_ value, 0 empty */
		char key[LK_MEMO_MAX];
		char val[LK_MEMO_MAX];
	} memo[3][LK_MEMO_SLOTS];
};

void lk_ingest_free(lk_ingest *g)
{
	int i;

	if (!g)
		return;
	lk_mapping_free(&g->map);
	lk_placeholders_free(g->ph);
	free(g->names);
	free(g->pass);
	for (i = 0; i < NCONSENT; i++) {
		free(g->csrc[i]);
		free(g->cev[i]);
	}
	for (i = 0; i < LK_NCANON + 2; i++)
		lk_buf_free(&g->val[i]);
	lk_buf_free(&g->tmp);
	lk_buf_free(&g->tmp2);
	lk_buf_free(&g->reason);
	free(g->out.f);
	free(g->out.len);
	free(g);
}

lk_ingest *lk_ingest_new(const lk_model *m, const lk_ingest_opt *opt, const lk_row *header,
			 lk_err *err)
{
	lk_ingest *g = calloc(1, sizeof *g);
	int i, k;

	if (!g) {
		lk_err_set(err, LK_ENOMEM, "out of memory");
		return NULL;
	}
	g->model = m;
	if (opt)
		g->opt = *opt;
	if (lk_mapping_build(&g->map, m, g->opt.from, header, err) < 0) {
		free(g);
		return NULL;
	}
	g->ph = lk_placeholders_new();
	if (!g->ph)
		goto oom;
	if (g->opt.no_placeholders || (m && m->placeholders))
		lk_placeholders_clear(g->ph);
	for (i = 0; m && i < m->nplaceholders; i++)
		lk_placeholders_add(g->ph, m->placeholders[i]);
	for (i = 0; i < g->opt.nplaceholders; i++)
		lk_placeholders_add(g->ph, g->opt.placeholders[i]);
	if (!g->opt.default_country && m)
		g->opt.default_country = m->default_country;
	if (g->opt.date_order == LK_DATE_AUTO && m)
		g->opt.date_order = m->date_order;

	g->in_alt = g->in_merged = -1;
	for (i = 0; i < header->n; i++) {
		if (!strcmp(g->map.names[i], "email_alt"))
			g->in_alt = i;
		else if (!strcmp(g->map.names[i], "merged_ids"))
			g->in_merged = i;
	}
	g->names = calloc((size_t)header->n + LK_NCANON + 3, sizeof *g->names);
	g->pass = calloc((size_t)header->n + LK_NCANON + 3, sizeof *g->pass);
	if (!g->names || !g->pass)
		goto oom;
	k = 0;
	if (g->opt.from && !strcmp(g->opt.from, "none")) {
		/* A pure re-encoder: every column passes through. */
		for (i = 0; i < header->n; i++) {
			g->names[k] = g->map.names[i];
			g->pass[k++] = i;
		}
		g->col_alt = g->col_merged = -1;
	} else {
		for (i = 0; i < LK_NCANON; i++) {
			g->names[k] = lk_canon[i];
			g->pass[k++] = -1;
		}
		g->col_alt = k;
		g->names[k] = "email_alt";
		g->pass[k++] = -1;
		g->col_merged = -1;
		if (g->opt.dedupe || g->in_merged >= 0) {
			g->col_merged = k;
			g->names[k] = "merged_ids";
			g->pass[k++] = g->in_merged;
		}
		for (i = 0; i < header->n; i++) {
			if (g->map.canon[i] >= 0 || i == g->in_alt || i == g->in_merged)
				continue;
			g->names[k] = g->map.names[i];
			g->pass[k++] = i;
		}
	}
	for (i = 0; i < NCONSENT; i++) {
		int c = C_OPT_OUT + i, j;
		g->csrc[i] = calloc((size_t)header->n + 1, sizeof *g->csrc[i]);
		g->cev[i] = calloc((size_t)header->n + 1, 1);
		if (!g->csrc[i] || !g->cev[i])
			goto oom;
		for (j = -1; j < header->n; j++) {
			int s = j < 0 ? g->map.src[c] : g->map.shadowed[j] == c ? j : -1;
			if (s < 0)
				continue;
			g->cev[i][g->ncsrc[i]] = (char)lk_flag_evidence_name(header->f[s],
									     header->len[s]);
			g->csrc[i][g->ncsrc[i]++] = s;
		}
	}
	g->nout = k;
	g->out.f = calloc((size_t)k + 1, sizeof *g->out.f);
	g->out.len = calloc((size_t)k + 1, sizeof *g->out.len);
	if (!g->out.f || !g->out.len)
		goto oom;
	g->out.n = k;
	for (i = 0; i < LK_NCANON; i++)
		g->order[i][0] = g->order[i][1] = g->opt.date_order;
	return g;
oom:
	lk_ingest_free(g);
	lk_err_set(err, LK_ENOMEM, "out of memory");
	return NULL;
}

const lk_mapping *lk_ingest_mapping(const lk_ingest *g)
{
	return &g->map;
}

void lk_ingest_header(const lk_ingest *g, const char *const **names, int *n)
{
	*names = g->names;
	*n = g->nout;
}

int lk_ingest_column(const lk_ingest *g, const char *name)
{
	int i;

	for (i = 0; i < g->nout; i++)
		if (!strcmp(g->names[i], name))
			return i;
	return -1;
}

const lk_ingest_stats *lk_ingest_stats_get(const lk_ingest *g)
{
	return &g->stats;
}

int lk_ingest_notes(const lk_ingest *g, lk_buf *out)
{
	const lk_ingest_stats *st = g ? &g->stats : &(lk_ingest_stats){ 0 };
	int k, any = 0, bad = 0;

	for (k = 0; k < LK_NCANON; k++)
		if (st->not_understood[k])
			bad |= lk_buf_addf(out, "%s%s %ld", any++ ? ", " :
					   "values kept as they were (not understood): ",
					   lk_canon[k], st->not_understood[k]);
	if (any)
		bad |= lk_buf_addc(out, 0);
	if (st->invalid_email) {
		bad |= lk_buf_addf(out, "%ld invalid email address%s moved to email_alt",
				   st->invalid_email, st->invalid_email == 1 ? "" : "es");
		bad |= lk_buf_addc(out, 0);
	}
	return bad ? -1 : 0;
}

int lk_ingest_describe(const lk_ingest *g, const lk_buf *notes, lk_buf *out)
{
	size_t len = out->len;

	lk_mapping_describe(&g->map, out);
	if (notes->len)
		lk_buf_addf(out, "dates:\n%s", notes->data);
	return out->len > len ? 0 : -1;
}

/* 1 for day.month.year style values, whose default is day first. */
static int dotted(const char *s, size_t n)
{
	const char *dot = memchr(s, '.', n);

	return dot && !memchr(s, '-', (size_t)(dot - s)) && !memchr(s, ':', (size_t)(dot - s));
}

void lk_ingest_sniff(lk_ingest *g, const lk_row *row)
{
	int c;

	for (c = C_CREATED; c <= C_LAST_ACT; c++) {
		int s = g->map.src[c];
		lk_date_order o;
		if (s < 0 || s >= row->n || !row->len[s])
			continue;
		o = lk_date_sniff(row->f[s], row->len[s]);
		if (o == LK_DATE_DMY)
			g->sniff_dmy[c][dotted(row->f[s], row->len[s])]++;
		else if (o == LK_DATE_MDY)
			g->sniff_mdy[c][dotted(row->f[s], row->len[s])]++;
	}
}

void lk_ingest_settle(lk_ingest *g, lk_buf *notes)
{
	int c;

	if (g->opt.date_order != LK_DATE_AUTO)
		return;
	for (c = C_CREATED; c <= C_LAST_ACT; c++) {
		const char *name = g->map.src[c] >= 0 ? g->map.names[g->map.src[c]] : NULL;
		int k;
		for (k = 0; name && k < 2; k++) {
			long d = g->sniff_dmy[c][k], m = g->sniff_mdy[c][k];
			const char *style = k ? "dd.mm / mm.dd" : "dd/mm / mm/dd";
			if (!d && !m)
				continue;
			g->order[c][k] = d > m ? LK_DATE_DMY : LK_DATE_MDY;
			if (notes && d && m)
				lk_buf_addf(notes,
					    "column '%s' (%s): %ld dates are only valid day-first "
					    "and %ld only month-first; reading ambiguous ones %s "
					    "(use --date-order to choose)\n", name, style, d, m,
					    d > m ? "day-first" : "month-first");
			else if (notes)
				lk_buf_addf(notes, "column '%s' (%s): read %s, settled by the data\n",
					    name, style, d ? "day-first" : "month-first");
		}
	}
}

/* Append the decimal digits of v (printf's %ld, without its cost per row). */
static void add_long(lk_buf *b, long v)
{
	char t[24];
	size_t i = sizeof t;
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

	do
		t[--i] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		t[--i] = '-';
	lk_buf_add(b, t + i, sizeof t - i);
}

static void norm_fresh(lk_ingest *g, int c, const char *s, size_t n, const char *country);

/*
 * Normalise canonical column c from text s into g->val[c].  Country,
 * employees and stage go through the column's memo: a raw text met
 * before gives the same value and counts the same in the summary.
 */
static void norm_value(lk_ingest *g, int c, const char *s, size_t n, const char *country)
{
	lk_buf *v = &g->val[c];
	int mi = c == C_COUNTRY ? 0 : c == C_EMPLOYEES ? 1 : c == C_STAGE ? 2 : -1;
	struct lk_memo *m;
	long ph, nu;

	lk_buf_reset(v);
	if (n == 0)
		return;
	if (mi < 0 || n > LK_MEMO_MAX) {
		norm_fresh(g, c, s, n, country);
		return;
	}
	m = &g->memo[mi][lk_fnv1a(s, n) & (LK_MEMO_SLOTS - 1)];
	if (m->kind && m->klen == n && !memcmp(m->key, s, n)) {
		lk_buf_add(v, m->val, m->vlen);
		if (m->kind == MEMO_PLACEHOLDER)
			g->stats.placeholders++;
		else if (m->kind == MEMO_NOT_UNDERSTOOD)
			g->stats.not_understood[c]++;
		return;
	}
	ph = g->stats.placeholders;
	nu = g->stats.not_understood[c];
	norm_fresh(g, c, s, n, country);
	if (v->len > LK_MEMO_MAX)
		return;
	m->kind = g->stats.placeholders != ph ? MEMO_PLACEHOLDER
		: g->stats.not_understood[c] != nu ? MEMO_NOT_UNDERSTOOD : MEMO_OK;
	m->klen = (unsigned char)n;
	memcpy(m->key, s, n);
	m->vlen = (unsigned char)v->len;
	if (v->len)
		memcpy(m->val, v->data, v->len);
}

static void norm_fresh(lk_ingest *g, int c, const char *s, size_t n, const char *country)
{
	lk_buf *v = &g->val[c];
	char tmp[40];

	if (lk_is_placeholder(g->ph, s, n)) {
		g->stats.placeholders++;
		return;
	}
	switch (c) {
	case C_EMAIL:
		lk_buf_reset(&g->val[LK_NCANON]);
		if (lk_norm_email(s, n, v, &g->val[LK_NCANON]) == 0) {
			/* Not an address: keep the text in email_alt, not email. */
			lk_buf_reset(&g->val[LK_NCANON]);
			lk_norm_space(s, n, &g->val[LK_NCANON]);
			lk_buf_reset(v);
			if (g->val[LK_NCANON].len)
				g->stats.invalid_email++;
		} else if (g->val[LK_NCANON].len) {
			g->stats.multi_email++;
		}
		return;
	case C_PHONE:
		if (!lk_norm_phone(s, n, country ? country : g->opt.default_country, v))
			g->stats.not_understood[c]++;
		return;
	case C_COUNTRY: {
		const char *code = lk_country_code(s, n);
		if (code) {
			lk_buf_adds(v, code);
			return;
		}
		break;
	}
	case C_EMPLOYEES: {
		long e;
		if (lk_norm_employees(s, n, &e)) {
			add_long(v, e);
			return;
		}
		break;
	}
	case C_STAGE: {
		int st = g->model ? lk_model_stage(g->model, s, n) : -1;
		if (st >= 0) {
			lk_buf_adds(v, g->model->stages[st].id);
			return;
		}
		break;
	}
	case C_CREATED:
	case C_UPDATED:
	case C_LAST_ACT: {
		lk_time t;
		lk_date_order o = g->order[c][dotted(s, n)];
		/* A value that can only be read the other way (15/04 in a
		 * month-first column) is read that way. */
		if (lk_date_parse_tz(s, n, o, g->opt.tz, &t) == 0 ||
		    (o != LK_DATE_AUTO &&
		     lk_date_parse_tz(s, n, o == LK_DATE_DMY ? LK_DATE_MDY : LK_DATE_DMY,
				      g->opt.tz, &t) == 0)) {
			lk_buf_adds(v, lk_date_format(t, tmp));
			return;
		}
		break;
	}
	default:
		lk_norm_space(s, n, v);
		return;
	}
	/* Not understood: keep the value, cleaned of stray white space. */
	g->stats.not_understood[c]++;
	lk_norm_space(s, n, v);
}

/*
 * Consent column c from its input columns: true when any of them says
 * yes; else the first value not understood, kept as it was (and
 * counted); else false when one says no; else empty.
 */
static void norm_consent(lk_ingest *g, int c, const lk_row *in)
{
	int k = c - C_OPT_OUT, i, unknown = -1, said_no = 0;
	lk_buf *v = &g->val[c];

	lk_buf_reset(v);
	for (i = 0; i < g->ncsrc[k]; i++) {
		int s = g->csrc[k][i];
		lk_flag f;
		if (!in->len[s])
			continue;
		if (lk_is_placeholder(g->ph, in->f[s], in->len[s])) {
			/* Only the mapped column is emptied; the others pass through. */
			if (i == 0)
				g->stats.placeholders++;
			continue;
		}
		f = lk_flag_read(in->f[s], in->len[s], g->cev[k][i]);
		if (f == LK_FLAG_TRUE) {
			lk_buf_adds(v, "true");
			return;
		}
		if (f == LK_FLAG_FALSE)
			said_no = 1;
		else if (f == LK_FLAG_UNKNOWN && unknown < 0)
			unknown = s;
	}
	if (unknown >= 0) {
		g->stats.not_understood[c]++;
		lk_norm_space(in->f[unknown], in->len[unknown], v);
	} else if (said_no) {
		lk_buf_adds(v, "false");
	}
}

int lk_ingest_row(lk_ingest *g, const lk_row *in, lk_row **out, const char **reason)
{
	lk_ingest_stats before;
	const char *country = NULL;
	int c, o, hn = g->map.ncols;

	if (in->bad) {
		*reason = in->bad;
		return 0;
	}
	if (in->n != hn) {
		lk_buf_reset(&g->reason);
		lk_buf_addf(&g->reason, "ragged row: %d field%s, the header has %d", in->n,
			    in->n == 1 ? "" : "s", hn);
		*reason = g->reason.data;
		return 0;
	}
	if (g->col_alt < 0) {
		for (o = 0; o < g->nout; o++) {
			g->out.f[o] = in->f[g->pass[o]];
			g->out.len[o] = in->len[g->pass[o]];
		}
		*out = &g->out;
		return 1;
	}
	before = g->stats;
	lk_buf_reset(&g->val[LK_NCANON]);
	/* Country first: phones without a prefix use the lead's country. */
	if (g->map.src[C_COUNTRY] >= 0) {
		int s = g->map.src[C_COUNTRY];
		norm_value(g, C_COUNTRY, in->f[s], in->len[s], NULL);
		if (g->val[C_COUNTRY].len == 2)
			country = g->val[C_COUNTRY].data;
	}
	for (c = 0; c < LK_NCANON; c++) {
		int s = g->map.src[c];
		if (c == C_COUNTRY)
			continue;
		if (c >= C_OPT_OUT && c <= C_BOUNCED) {
			norm_consent(g, c, in);
			continue;
		}
		if (s < 0) {
			lk_buf_reset(&g->val[c]);
			continue;
		}
		norm_value(g, c, in->f[s], in->len[s], country);
	}
	if (g->map.src[C_COUNTRY] < 0)
		lk_buf_reset(&g->val[C_COUNTRY]);
	/* An email_alt column from an earlier run keeps its addresses. */
	if (g->in_alt >= 0 && in->len[g->in_alt]) {
		lk_buf *alt = &g->val[LK_NCANON];
		lk_buf_reset(&g->tmp);
		lk_buf_add(&g->tmp, in->f[g->in_alt], in->len[g->in_alt]);
		if (alt->len)
			lk_buf_addc(&g->tmp, ';');
		lk_buf_add(&g->tmp, lk_buf_str(alt), alt->len);
		lk_buf_reset(alt);
		lk_buf_add(alt, g->tmp.data, g->tmp.len);
	}
	if (!g->val[C_EMAIL].len && !g->val[C_LEAD_ID].len) {
		*reason = g->val[LK_NCANON].len ? "invalid email and no lead_id"
						: "no email and no lead_id";
		/* The summary counts the values of rows written, not rejected. */
		g->stats = before;
		return 0;
	}
	for (o = 0; o < g->nout; o++) {
		if (o < LK_NCANON) {
			g->out.f[o] = (char *)lk_buf_str(&g->val[o]);
			g->out.len[o] = g->val[o].len;
		} else if (o == g->col_alt) {
			g->out.f[o] = (char *)lk_buf_str(&g->val[LK_NCANON]);
			g->out.len[o] = g->val[LK_NCANON].len;
		} else if (g->pass[o] >= 0) {
			g->out.f[o] = in->f[g->pass[o]];
			g->out.len[o] = in->len[g->pass[o]];
		} else {
			g->out.f[o] = "";
			g->out.len[o] = 0;
		}
	}
	g->out.record = in->record;
	g->out.line = in->line;
	*out = &g->out;
	return 1;
}
