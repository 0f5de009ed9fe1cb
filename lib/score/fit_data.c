/*
 * fit_data.c - the labelled leads of a fit: what an outcome or a value
 * cell means, the rows lead-score --fit keeps (lk_fit_data), and the
 * candidates' indicators over them, read off the scorer's ledger or,
 * for fit rules alone, evaluated once per distinct value.  See fit.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/expr.h"
#include "score/fit_int.h"
#include "core/hash.h"

int lk_fit_outcome(const lk_model *m, const char *s, size_t len)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "won", "converted" };
	static const char *const no[] = { "0", "no", "n", "false", "lost" };
	size_t b = 0, i;
	int st;

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (b < len && (s[b] == ' ' || s[b] == '\t'))
		b++;
	if (b == len)
		return -1;
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strlen(yes[i]) == len - b && !strncasecmp(s + b, yes[i], len - b))
			return 1;
	for (i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strlen(no[i]) == len - b && !strncasecmp(s + b, no[i], len - b))
			return 0;
	st = m ? lk_model_stage(m, s + b, len - b) : -1;
	if (st < 0)
		return -1;
	if (!strcmp(m->stages[st].id, "won"))
		return 1;
	if (!strcmp(m->stages[st].id, "lost") || !strcmp(m->stages[st].id, "disqualified"))
		return 0;
	return -1;
}

int lk_fit_value(const char *s, size_t len, double *out)
{
	char tmp[64], *end;
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];
		if (c == ' ' || c == ',' || c == '$')
			continue;
		if (n + 1 >= sizeof tmp || !strchr("0123456789.-+eE", c))
			return -1;
		tmp[n++] = c;
	}
	tmp[n] = 0;
	if (!n)
		return -1;
	*out = strtod(tmp, &end);
	return *end || !isfinite(*out) ? -1 : 0;
}

/*
 * The fit rules' indicators, each rule's condition evaluated once per
 * distinct value of the columns it reads (rules reading the same columns
 * share one table of results).
 */
struct ruleset {
	const int *cols;
	int ncols, nk, *k;
	lk_hash *seen;		/* key -> results of the rules k, 1 + 0/1 each */
};

int lk_fit_rule_indicators(lk_fit *f, const lk_rowstore *rows, const lk_score_rule *rules, int nr,
			const int *featof, int width, lk_exprenv *env)
{
	struct ruleset *rs = calloc((size_t)nr + 1, sizeof *rs);
	lk_buf key = LK_BUF_INIT;
	lk_row got = { 0 };
	long n = lk_rowstore_count(rows), i;
	int nrs = 0, j, k, c, rc = -1;

	got.f = calloc((size_t)width + 1, sizeof *got.f);
	got.len = calloc((size_t)width + 1, sizeof *got.len);
	if (!rs || !got.f || !got.len)
		goto out;
	for (j = 0; j < nr; j++) {
		const int *cols;
		int nc;
		if (featof[j] < 0 || rules[j].kind != LK_RULE_FIT)
			continue;
		cols = lk_expr_columns(rules[j].expr, &nc);
		for (k = 0; k < nrs; k++)
			if (rs[k].ncols == nc && !memcmp(rs[k].cols, cols, (size_t)nc * sizeof *cols))
				break;
		if (k == nrs) {
			rs[k].cols = cols;
			rs[k].ncols = nc;
			rs[k].k = calloc((size_t)nr, sizeof *rs[k].k);
			rs[k].seen = lk_hash_new(1024);
			if (!rs[k].k || !rs[k].seen)
				goto out;
			nrs++;
		}
		rs[k].k[rs[k].nk++] = j;
	}
	for (i = 0; i < n; i++) {
		lk_rowstore_get(rows, i, &got);
		got.n = lk_rowstore_width(rows, i);
		for (k = 0; k < nrs; k++) {
			struct ruleset *r = &rs[k];
			const char *res;
			void **slot;
			int created = 0;
			lk_buf_reset(&key);
			for (c = 0; c < r->ncols; c++) {
				int col = r->cols[c];
				size_t len = col < got.n ? got.len[col] : 0;
				if (lk_buf_addc(&key, col < got.n ? '+' : '-') < 0 ||
				    lk_buf_add(&key, &len, sizeof len) < 0 ||
				    (len && lk_buf_add(&key, got.f[col], len) < 0))
					goto out;
			}
			slot = lk_hash_slot(r->seen, key.len ? key.data : "", key.len, 1, &created);
			if (!slot)
				goto out;
			if (created) {
				char *v = malloc((size_t)r->nk + 1);
				if (!v) {
					*slot = NULL;
					goto out;
				}
				for (j = 0; j < r->nk; j++)
					v[j] = (char)lk_expr_bool(rules[r->k[j]].expr, &got, env);
				*slot = v;
			}
			res = *slot;
			for (j = 0; j < r->nk; j++)
				if (res[j])
					lk_fit_set(f, featof[r->k[j]], i, 1);
		}
	}
	rc = 0;
out:
	for (k = 0; rs && k <= nrs && k < nr + 1; k++) {
		size_t e, ne;
		free(rs[k].k);
		if (!rs[k].seen)
			continue;
		ne = lk_hash_count(rs[k].seen);
		for (e = 0; e < ne; e++) {
			const char *kk;
			size_t kl;
			void *v;
			lk_hash_entry(rs[k].seen, e, &kk, &kl, &v);
			free(v);
		}
		lk_hash_free(rs[k].seen);
	}
	free(rs);
	free(got.f);
	free(got.len);
	lk_buf_free(&key);
	return rc;
}

struct lk_fit_data {
	const lk_model *m;	/* borrowed: outcomes may name its stages */
	lk_score *s;		/* borrowed: bound to the header, scores the rows */
	char **h;		/* the header, copied (the reader reuses its row) */
	int nh;
	unsigned char *skip;	/* per column: lk_fit_auto makes no rule from it */
	int ycol, vcol;		/* the outcome column; the value column, or -1 */
	const char *outcome, *value, *exclude;	/* borrowed: the names given */
	int candidates, activities;	/* what lk_fit_data_build was asked for */
	lk_rowstore *rows;	/* the rows kept, in input order */
	unsigned char *ys;	/* their outcomes, 0 or 1 */
	double *vals;		/* their values, 0 when unknown */
	long n;			/* rows kept */
};

/* Index of a column named on the command line, or -1 with err (the
 * usage error names the option and the closest column). */
static int named_column(const lk_fit_data *d, const char *opt, const char *name, lk_err *err)
{
	const char *dym;
	int i;

	for (i = 0; i < d->nh; i++)
		if (!strcmp(d->h[i], name))
			return i;
	dym = lk_did_you_mean(name, (const char *const *)d->h, d->nh);
	return lk_err_set(err, LK_EUSAGE, "%s: no column '%s' in the input%s%s%s", opt, name,
			  dym ? " (did you mean '" : "", dym ? dym : "", dym ? "'?)" : "");
}

/* Mark the columns of the comma-separated list `exclude`; -1 with err. */
static int exclude_columns(lk_fit_data *d, const char *exclude, lk_err *err)
{
	char *list = strdup(exclude), *tok, *save = NULL;
	int c = 0;

	if (!list)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	for (tok = strtok_r(list, ",", &save); tok && c >= 0; tok = strtok_r(NULL, ",", &save))
		if ((c = named_column(d, "--exclude", tok, err)) >= 0)
			d->skip[c] = 1;
	free(list);
	return c < 0 ? -1 : 0;
}

lk_fit_data *lk_fit_data_new(const lk_model *m, lk_score *s, const lk_row *header,
			     const char *outcome, const char *value, const char *exclude,
			     lk_err *err)
{
	lk_fit_data *d = calloc(1, sizeof *d);
	int i, j;

	if (!d)
		goto oom;
	d->m = m;
	d->s = s;
	d->vcol = -1;
	d->nh = header->n;
	d->h = calloc((size_t)d->nh + 1, sizeof *d->h);
	d->skip = calloc((size_t)d->nh + 1, 1);
	d->rows = lk_rowstore_new();
	d->outcome = outcome;
	d->value = value;
	d->exclude = exclude;
	if (!d->h || !d->skip || !d->rows)
		goto oom;
	for (i = 0; i < d->nh; i++)
		if (!(d->h[i] = strdup(header->f[i])))
			goto oom;
	if (lk_score_bind(s, (const char *const *)d->h, d->nh, 0, err) < 0 ||
	    (d->ycol = named_column(d, "--fit", outcome, err)) < 0 ||
	    (value && (d->vcol = named_column(d, "--value", value, err)) < 0))
		goto fail;
	d->skip[d->ycol] = 1;
	if (d->vcol >= 0)
		d->skip[d->vcol] = 1;
	for (j = 0; j < LK_SC_NCOLS; j++)
		for (i = 0; i < d->nh; i++)
			if (!strcmp(d->h[i], lk_score_columns[j]))
				d->skip[i] = 1;
	if (exclude && exclude_columns(d, exclude, err) < 0)
		goto fail;
	return d;
oom:
	lk_err_set(err, LK_ENOMEM, "out of memory");
fail:
	lk_fit_data_free(d);
	return NULL;
}

void lk_fit_data_free(lk_fit_data *d)
{
	int i;

	if (!d)
		return;
	for (i = 0; d->h && i < d->nh; i++)
		free(d->h[i]);
	free(d->h);
	free(d->skip);
	lk_rowstore_free(d->rows);
	free(d->ys);
	free(d->vals);
	free(d);
}

const char *const *lk_fit_data_header(const lk_fit_data *d, int *n)
{
	*n = d->nh;
	return (const char *const *)d->h;
}

/* Keep a labelled row: the row itself, its outcome and its value. */
static int keep(lk_fit_data *d, const lk_row *row, int y, double v, lk_err *err)
{
	if (lk_rowstore_add(d->rows, row) < 0)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	if (d->n % 4096 == 0) {
		double *nv = realloc(d->vals, ((size_t)d->n + 4096) * sizeof *nv);
		unsigned char *ny;

		if (nv)
			d->vals = nv;
		ny = realloc(d->ys, (size_t)d->n + 4096);
		if (ny)
			d->ys = ny;
		if (!nv || !ny)
			return lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	d->vals[d->n] = v;
	d->ys[d->n++] = (unsigned char)y;
	return 0;
}

int lk_fit_data_read(lk_fit_data *d, lk_reader *rd, const char *name, lk_buf *warn,
		     lk_err *err)
{
	char unl_ex[160] = "", bad_ex[200] = "";
	long unlabelled = 0, badval = 0, nbad = 0;
	int c, ycol = d->ycol, vcol = d->vcol;
	lk_row *row;

	/* Keep the labelled rows; the rest is counted. */
	while ((c = lk_reader_next(rd, &row, err)) > 0) {
		int y;
		double v = 0;
		if (row->bad) {
			if (!nbad++)
				snprintf(bad_ex, sizeof bad_ex, "record %ld (line %ld): %.100s",
					 row->record, row->line, row->bad);
			continue;
		}
		y = ycol < row->n ? lk_fit_outcome(d->m, row->f[ycol], row->len[ycol]) : -1;
		if (y < 0) {
			if (!unlabelled++)
				snprintf(unl_ex, sizeof unl_ex, "record %ld: '%.60s'", row->record,
					 ycol < row->n ? row->f[ycol] : "");
			continue;
		}
		if (vcol >= 0 && vcol < row->n && row->len[vcol] &&
		    lk_fit_value(row->f[vcol], row->len[vcol], &v) < 0) {
			badval++;
			v = 0;
		}
		if (keep(d, row, y, v, err) < 0)
			return -1;
	}
	if (c < 0)
		return -1;
	if (nbad && lk_buf_addf(warn, "%s: %ld malformed row%s left out (first: %s)",
				strcmp(name, "-") ? name : "stdin", nbad, nbad == 1 ? "" : "s",
				bad_ex) == 0)
		lk_buf_addc(warn, '\0');
	if (unlabelled && lk_buf_addf(warn, "--fit: %ld row%s without a 0/1, yes/no or won/lost "
				      "outcome in '%s' left out (first: %s)", unlabelled,
				      unlabelled == 1 ? "" : "s", d->outcome, unl_ex) == 0)
		lk_buf_addc(warn, '\0');
	if (badval && lk_buf_addf(warn, "--value: %ld value%s not a number counted as 0", badval,
				  badval == 1 ? "" : "s") == 0)
		lk_buf_addc(warn, '\0');
	return 0;
}

int lk_fit_data_check(const lk_fit_data *d, lk_buf *warn, lk_err *err)
{
	long npos = 0, i;

	if (d->n == 0)
		return lk_err_set(err, LK_EDATA, "no row has an outcome in '%s' (0/1, yes/no, "
				  "true/false, won/lost)", d->outcome);
	for (i = 0; i < d->n; i++)
		npos += d->ys[i];
	if (npos == 0 || npos == d->n)
		return lk_err_set(err, LK_EDATA, "the outcome '%s' is constant: all %ld labelled rows "
				  "are %s; nothing to fit", d->outcome, d->n,
				  npos ? "converted" : "not converted");
	if (d->n < 50 && lk_buf_addf(warn, "--fit: only %ld labelled row%s: the points will be "
				     "rough and the held-out figures noisy", d->n,
				     d->n == 1 ? "" : "s") == 0)
		lk_buf_addc(warn, '\0');
	return 0;
}

/*
 * A candidate for each of the scorer's rules (engagement rules only
 * with activities): featof[j] is rule j's feature, or -1.  An
 * engagement rule with a cap keeps the sign of its points (fit.h).
 */
static int rule_features(lk_fit *f, const lk_score_rule *rules, int nr, int acts, int *featof,
			 lk_err *err)
{
	int j;

	for (j = 0; j < nr; j++) {
		featof[j] = -1;
		if (rules[j].kind == LK_RULE_ENGAGEMENT && !acts)
			continue;
		featof[j] = lk_fit_add(f, rules[j].name, NULL, rules[j].kind == LK_RULE_FIT ?
				       LK_FEAT_RULE : LK_FEAT_ENGAGEMENT, j, err);
		if (featof[j] < 0)
			return -1;
		if (rules[j].kind == LK_RULE_ENGAGEMENT && rules[j].cap >= 0 && rules[j].points)
			lk_fit_sign(f, featof[j], rules[j].points > 0 ? 1 : -1);
	}
	return 0;
}

/*
 * Set the rules' features of rows [from, n) from the scorer's ledger:
 * a fit rule that gave points is a 1; an engagement rule holds its
 * points in units of the rule's own points (the decayed count of
 * activities, capped as the scorer caps it).  -1 when memory runs out.
 */
static int ledger_features(lk_fit_data *d, lk_fit *f, long from, lk_activities *acts,
			   lk_exprenv *env, const lk_score_rule *rules, int nr, const int *featof)
{
	lk_row got = { 0 }, *out;
	long i, *pos = calloc((size_t)nr + 1, sizeof *pos);
	int rc = -1;

	got.f = calloc((size_t)d->nh + 1, sizeof *got.f);
	got.len = calloc((size_t)d->nh + 1, sizeof *got.len);
	if (!pos || !got.f || !got.len)
		goto done;
	for (i = from; i < d->n; i++) {
		const lk_score_entry *en;
		const lk_act *la = NULL;
		int ne, nla = 0, k;

		lk_rowstore_get(d->rows, i, &got);
		got.n = lk_rowstore_width(d->rows, i);
		if (acts)
			la = lk_activities_for(acts, &got, &nla);
		if (lk_score_row(d->s, &got, la, nla, env, &out, NULL) < 0)
			goto done;
		en = lk_score_entries(d->s, &ne);
		for (k = 0; k < nr; k++)
			pos[k] = 0;
		for (k = 0; k < ne; k++)
			pos[en[k].rule - rules] += en[k].rule->points ? en[k].points :
						   (en[k].kind == LK_ENTRY_CAP ? 0 : 1);
		for (k = 0; k < nr; k++)
			if (featof[k] >= 0 && pos[k])
				lk_fit_set(f, featof[k], i, rules[k].kind == LK_RULE_FIT ? 1 :
					   rules[k].points ? (double)pos[k] / (double)rules[k].points
							   : (double)pos[k]);
	}
	rc = 0;
done:
	free(pos);
	free(got.f);
	free(got.len);
	return rc;
}

/* lk_fit_auto over the rows kept, with the model's placeholders as
 * missing values and the rules' names taken. */
static int auto_candidates(lk_fit_data *d, lk_fit *f, const lk_score_rule *rules, int nr,
			   lk_err *err)
{
	const char **taken = calloc((size_t)nr + 1, sizeof *taken);
	lk_placeholders *ph = lk_placeholders_new();
	int j, rc = -1;

	if (!ph || !taken) {
		lk_err_set(err, LK_ENOMEM, "out of memory");
		goto done;
	}
	if (d->m->placeholders) {
		lk_placeholders_clear(ph);
		for (j = 0; j < d->m->nplaceholders; j++)
			lk_placeholders_add(ph, d->m->placeholders[j]);
	}
	for (j = 0; j < nr; j++)
		taken[j] = rules[j].name;
	rc = lk_fit_auto(f, d->rows, (const char *const *)d->h, d->nh, d->skip, ph, taken, nr, err);
done:
	lk_placeholders_free(ph);
	free(taken);
	return rc;
}

lk_fit *lk_fit_data_build(lk_fit_data *d, lk_activities *acts, lk_exprenv *env,
			  int candidates, lk_err *err)
{
	const lk_score_rule *rules;
	lk_fit *f = lk_fit_new(d->n, err);
	long i;
	int nr, *featof = NULL;

	if (!f)
		return NULL;
	d->candidates = candidates;
	d->activities = acts != NULL;
	for (i = 0; i < d->n; i++)
		lk_fit_label(f, i, d->ys[i], d->vals[i]);
	/* The model's rules: indicators from the scorer's own ledger. */
	rules = lk_score_rules(d->s, &nr);
	featof = calloc((size_t)nr + 1, sizeof *featof);
	if (!featof) {
		lk_err_set(err, LK_ENOMEM, "out of memory");
		goto fail;
	}
	if (rule_features(f, rules, nr, acts != NULL, featof, err) < 0)
		goto fail;
	lk_score_keep_entries(d->s, 1);
	/* Without activities only the fit rules matter: by distinct value. */
	i = !acts && lk_fit_rule_indicators(f, d->rows, rules, nr, featof, d->nh, env) == 0 ? d->n : 0;
	if (ledger_features(d, f, i, acts, env, rules, nr, featof) < 0) {
		lk_err_set(err, LK_ENOMEM, "out of memory");
		goto fail;
	}
	if (candidates && auto_candidates(d, f, rules, nr, err) < 0)
		goto fail;
	free(featof);
	return f;
fail:
	free(featof);
	lk_fit_free(f);
	return NULL;
}

void lk_fit_data_summary(const lk_fit_data *d, const lk_fit *f, const lk_fit_figures *fig,
			 const lk_fit_opts *o, lk_buf *head, lk_buf *table)
{
	lk_buf what = LK_BUF_INIT;

	lk_buf_addf(&what, "lead-score --fit %s", d->outcome);
	if (d->candidates)
		lk_buf_adds(&what, " --candidates auto");
	if (d->exclude)
		lk_buf_addf(&what, " --exclude '%s'", d->exclude);
	lk_buf_addf(&what, " --max-rules %d --folds %d --seed %llu --capture %g", o->max_rules,
		    o->folds, (unsigned long long)o->seed, o->capture);
	if (d->value)
		lk_buf_addf(&what, " --value '%s'", d->value);
	if (d->activities)
		lk_buf_adds(&what, " --activities");
	lk_fit_summary(fig, o, lk_buf_str(&what), head);
	lk_fit_thresholds(f, fig, d->value != NULL, table);
	lk_buf_free(&what);
}
