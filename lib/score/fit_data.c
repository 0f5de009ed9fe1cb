/*
 * fit_data.c - the labelled leads of a fit: what an outcome or a value
 * cell means, and the indicators of the model's fit rules over the
 * stored rows.  See fit.h.
 */
#include <math.h>
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
