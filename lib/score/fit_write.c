/*
 * fit_write.c - the model file written back with the fitted points
 * (lk_fit_rewrite, see fit.h): edits at the byte positions libyaml
 * reports, so comments and layout stay as the user wrote them.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score/fit_int.h"

/* libyaml marks count characters (a CRLF as two), after any BOM. */
static size_t byte_at(const char *text, size_t len, size_t chars)
{
	size_t b = 0, n = 0;

	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		b = 3;
	for (; b < len; b++) {
		if (((unsigned char)text[b] & 0xc0) == 0x80)
			continue;
		if (n++ == chars)
			return b;
	}
	return len;
}

typedef struct edit {
	size_t at, end;		/* bytes replaced: [at, end) */
	char *text;
} edit;

static int edit_cmp(const void *a, const void *b)
{
	const edit *x = a, *y = b;

	return (x->at > y->at) - (x->at < y->at);
}

struct edits {
	edit *e;
	int n, m;
};

static int add_edit(struct edits *es, size_t at, size_t end, const char *text)
{
	if (es->n == es->m) {
		int m = es->m ? 2 * es->m : 16;
		edit *ne = realloc(es->e, (size_t)m * sizeof *ne);
		if (!ne)
			return -1;
		es->e = ne;
		es->m = m;
	}
	es->e[es->n].at = at;
	es->e[es->n].end = end;
	es->e[es->n].text = strdup(text);
	if (!es->e[es->n].text)
		return -1;
	es->n++;
	return 0;
}

static int replace_node(struct edits *es, const char *text, size_t len, const yaml_node_t *n,
			const char *with)
{
	return add_edit(es, byte_at(text, len, n->start_mark.index),
			byte_at(text, len, n->end_mark.index), with);
}

/*
 * Where a list item's text really ends: libyaml ends a block mapping at
 * the next token, past blank lines and comments, so look for the last
 * scalar or flow collection inside it instead.
 */
static size_t item_end(lk_yml *y, const yaml_node_t *n, lk_err *ee)
{
	size_t end = n->end_mark.index, e;
	yaml_node_item_t *it;
	yaml_node_pair_t *pr;

	if (n->type == YAML_MAPPING_NODE && n->data.mapping.style == YAML_BLOCK_MAPPING_STYLE) {
		end = n->start_mark.index;
		for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
			const yaml_node_t *v = lk_yml_node(y, pr->value, ee);
			if (v && (e = item_end(y, v, ee)) > end)
				end = e;
		}
	} else if (n->type == YAML_SEQUENCE_NODE &&
		   n->data.sequence.style == YAML_BLOCK_SEQUENCE_STYLE) {
		end = n->start_mark.index;
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
			const yaml_node_t *v = lk_yml_node(y, *it, ee);
			if (v && (e = item_end(y, v, ee)) > end)
				end = e;
		}
	}
	return end;
}

/* YAML single quotes: ' doubled. */
static void squote(lk_buf *b, const char *s)
{
	lk_buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			lk_buf_addc(b, '\'');
		lk_buf_addc(b, *s);
	}
	lk_buf_addc(b, '\'');
}

static int ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '{';
}

/* The mql source with its `score >= N` set to the threshold; 0 when it
 * has no such comparison. */
static int set_threshold(const char *src, long t, lk_buf *out)
{
	const char *p;

	for (p = strstr(src, "score"); p; p = strstr(p + 1, "score")) {
		const char *q = p + 5, *num;
		if ((p > src && (ident_char(p[-1]) || p[-1] == '$')) || ident_char(*q))
			continue;
		while (*q == ' ' || *q == '\t')
			q++;
		if (q[0] != '>' || q[1] != '=')
			continue;
		q += 2;
		while (*q == ' ' || *q == '\t')
			q++;
		num = q;
		if (*q == '-')
			q++;
		while ((*q >= '0' && *q <= '9') || *q == '.')
			q++;
		if (q == num)
			continue;
		lk_buf_add(out, src, (size_t)(num - src));
		lk_buf_addf(out, "%ld", t);
		lk_buf_adds(out, q);
		return 1;
	}
	return 0;
}

int lk_fit_rewrite(const lk_fit *f, const lk_fit_figures *fig, const char *text, size_t len,
		   lk_model *m, const lk_score *s, const char *header, lk_buf *out,
		   lk_buf *nt, lk_err *err)
{
	lk_yml *y = &m->yml;
	struct edits es = { 0 };
	const lk_score_rule *rules;
	lk_buf b = LK_BUF_INIT, items = LK_BUF_INIT;
	yaml_node_t *fitlist;
	size_t hdr_end = 0, pos;
	int nr, j, nadd = 0, rc = -1;
	lk_err ee;

	lk_err_clear(&ee);
	rules = lk_score_rules(s, &nr);
	/* An earlier fit's header goes; the new one takes its place. */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		hdr_end = 3;
	pos = hdr_end;
	while (len - hdr_end >= 6 && !memcmp(text + hdr_end, "# fit:", 6)) {
		const char *nl = memchr(text + hdr_end, '\n', len - hdr_end);
		hdr_end = nl ? (size_t)(nl - text) + 1 : len;
	}
	if (add_edit(&es, pos, hdr_end, header) < 0)
		goto oom;

	for (j = 0; j < f->nft; j++) {
		const lk_fit_feature *t = &f->ft[j];
		const lk_score_rule *r;
		yaml_node_t *pn, *cn;

		if (t->kind == LK_FEAT_AUTO) {
			if (t->points == 0 || t->drop != LK_DROP_NONE)
				continue;
			lk_buf_addf(&items, "{rule: %s, when: ", t->name);
			squote(&items, t->when);
			lk_buf_addf(&items, ", points: %ld}", t->points);
			lk_buf_addc(&items, '\n');
			nadd++;
			continue;
		}
		if (t->drop == LK_DROP_NONE_MATCH || t->rule < 0 || t->rule >= nr)
			continue;
		r = &rules[t->rule];
		pn = lk_yml_get(y, r->node, "points", &ee);
		if (!pn)
			continue;
		lk_buf_reset(&b);
		lk_buf_addf(&b, "%ld", t->points);
		if (replace_node(&es, text, len, pn, lk_buf_str(&b)) < 0)
			goto oom;
		cn = t->kind == LK_FEAT_ENGAGEMENT ? lk_yml_get(y, r->node, "cap", &ee) : NULL;
		if (cn && r->points != 0 && r->cap >= 0) {
			/* The same number of activities: cap / points stays. */
			long cap = labs(lround((double)r->cap * (double)t->points * 10.0 /
					       (double)r->points));
			lk_buf_reset(&b);
			lk_score_fmt(&b, cap, 0, 1);
			if (replace_node(&es, text, len, cn, lk_buf_str(&b)) < 0)
				goto oom;
		}
	}

	fitlist = lk_yml_get(y, m->scoring, "fit", &ee);
	if (nadd && (!fitlist || fitlist->type != YAML_SEQUENCE_NODE)) {
		lk_yml_err(y, m->scoring, err, "the scoring section has no 'fit' list to add the "
			   "fitted rules to (write 'fit: []')");
		err->kind = LK_EMODEL;
		goto fail;
	}
	if (nadd) {
		yaml_node_item_t *first = fitlist->data.sequence.items.start;
		yaml_node_item_t *top = fitlist->data.sequence.items.top;
		const char *p;

		lk_buf_reset(&b);
		if (fitlist->data.sequence.style == YAML_FLOW_SEQUENCE_STYLE && first == top) {
			/* fit: [] becomes a block list, two columns in from `fit`. */
			yaml_node_pair_t *pr;
			int indent = 2;
			for (pr = m->scoring->data.mapping.pairs.start;
			     pr < m->scoring->data.mapping.pairs.top; pr++)
				if (lk_yml_node(y, pr->value, &ee) == fitlist) {
					yaml_node_t *kn = lk_yml_node(y, pr->key, &ee);
					if (kn)
						indent = (int)kn->start_mark.column + 2;
				}
			for (p = lk_buf_str(&items); *p; p = strchr(p, '\n') + 1) {
				lk_buf_addf(&b, "\n%*s- ", indent, "");
				lk_buf_add(&b, p, (size_t)(strchr(p, '\n') - p));
			}
			{
				size_t at = byte_at(text, len, fitlist->start_mark.index);
				while (at > 0 && text[at - 1] == ' ')
					at--;	/* no trailing space after `fit:` */
				if (add_edit(&es, at, byte_at(text, len, fitlist->end_mark.index),
					     lk_buf_str(&b)) < 0)
					goto oom;
			}
		} else if (fitlist->data.sequence.style == YAML_FLOW_SEQUENCE_STYLE) {
			/* [a, b] -> [a, b, new...] before the closing bracket. */
			size_t end = byte_at(text, len, fitlist->end_mark.index);
			while (end > 0 && text[end - 1] != ']')
				end--;
			for (p = lk_buf_str(&items); *p; p = strchr(p, '\n') + 1) {
				lk_buf_adds(&b, ", ");
				lk_buf_add(&b, p, (size_t)(strchr(p, '\n') - p));
			}
			if (add_edit(&es, end ? end - 1 : 0, end ? end - 1 : 0, lk_buf_str(&b)) < 0)
				goto oom;
		} else {
			/* A block list: new items after the last one, indented alike. */
			yaml_node_t *last = lk_yml_node(y, top[-1], &ee);
			size_t at, ls, d;
			int indent = 0;

			if (!last)
				goto oom;
			at = byte_at(text, len, item_end(y, last, &ee));
			if (!(at > 0 && text[at - 1] == '\n')) {
				const char *nl = memchr(text + at, '\n', len - at);
				at = nl ? (size_t)(nl - text) + 1 : len;
			}
			ls = byte_at(text, len, last->start_mark.index);
			while (ls > 0 && text[ls - 1] != '\n')
				ls--;
			for (d = ls; d < len && text[d] == ' '; d++)
				indent++;
			if (at == len && len && text[len - 1] != '\n')
				lk_buf_addc(&b, '\n');
			for (p = lk_buf_str(&items); *p; p = strchr(p, '\n') + 1) {
				lk_buf_addf(&b, "%*s- ", indent, "");
				lk_buf_add(&b, p, (size_t)(strchr(p, '\n') - p + 1));
			}
			if (add_edit(&es, at, at, lk_buf_str(&b)) < 0)
				goto oom;
		}
	}

	{
		const yaml_node_t *mn = lk_yml_get(y, m->scoring, "mql", &ee);
		const char *src = lk_score_mql_source(s);
		lk_buf e2 = LK_BUF_INIT;
		if (mn) {
			if (!set_threshold(src, fig->threshold, &e2)) {
				lk_buf_addf(&e2, "score >= %ld", fig->threshold);
				lk_buf_addf(nt, "mql '%s' has no 'score >= N': replaced by 'score >= %ld'\n",
					    src, fig->threshold);
			} else if (strstr(src, " and ") || strstr(src, " or ")) {
				lk_buf_addf(nt, "mql '%s' tests more than the score: the figures are "
					    "for score >= %ld alone\n", src, fig->threshold);
			}
			lk_buf_reset(&b);
			squote(&b, lk_buf_str(&e2));
			lk_buf_free(&e2);
			if (replace_node(&es, text, len, mn, lk_buf_str(&b)) < 0)
				goto oom;
		}
	}

	qsort(es.e, (size_t)es.n, sizeof *es.e, edit_cmp);
	pos = 0;
	for (j = 0; j < es.n; j++) {
		if (es.e[j].at < pos)
			continue;	/* overlapping edits cannot happen; be safe */
		lk_buf_add(out, text + pos, es.e[j].at - pos);
		lk_buf_adds(out, es.e[j].text);
		pos = es.e[j].end;
	}
	lk_buf_add(out, text + pos, len - pos);
	rc = 0;
	goto fail;
oom:
	lk_err_set(err, LK_ENOMEM, "out of memory");
fail:
	for (j = 0; j < es.n; j++)
		free(es.e[j].text);
	free(es.e);
	lk_buf_free(&b);
	lk_buf_free(&items);
	return rc;
}

int lk_fit_rewrite_file(const lk_fit *f, const lk_fit_figures *fig, const char *path,
			lk_model *m, const lk_score *s, const char *header, lk_buf *out,
			lk_buf *note, lk_err *err)
{
	FILE *fp = fopen(path, "rb");
	lk_buf text = LK_BUF_INIT;
	char chunk[65536];
	size_t r;
	int rc;

	/* The whole file: the edits are placed by libyaml's marks in it. */
	if (!fp)
		return lk_err_set(err, LK_EIO, "%s: cannot open: %s", path, strerror(errno));
	while ((r = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (lk_buf_add(&text, chunk, r) < 0) {
			fclose(fp);
			lk_buf_free(&text);
			return lk_err_set(err, LK_ENOMEM, "out of memory");
		}
	fclose(fp);
	rc = lk_fit_rewrite(f, fig, lk_buf_str(&text), text.len, m, s, header, out, note, err);
	lk_buf_free(&text);
	return rc;
}
