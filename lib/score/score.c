/*
 * score.c - the scoring section of the model, and scoring one row.
 * See score.h for the model syntax and the arithmetic.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "model/bind.h"
#include "score/score.h"

const char *const lk_score_columns[LK_SC_NCOLS] = {
	"score", "fit", "engagement", "grade", "mql", "score_reasons", "baseline_score",
	"baseline_mql"
};

const char *const lk_ledger_columns[LK_LEDGER_NCOLS] = {
	"lead_id", "rule", "kind", "activity", "occurred_at", "age_days", "factor", "points"
};

struct lk_score {
	lk_model *m;
	lk_score_rule *rules;		/* fit rules, then engagement rules */
	int nrules, nfit;
	lk_grade grades[5];
	int ngrades;
	char fallback[2];		/* grade below every threshold */
	const char *mql_src;
	const yaml_node_t *mql_node;
	lk_expr *mql;

	/* Output layout, set by lk_score_bind. */
	int nin;			/* input header width */
	int nout;
	const char **names;		/* output header */
	int col[LK_SC_NCOLS];		/* output index of each owned column, or -1 */
	lk_row out;			/* the output row */
	lk_buf val[LK_SC_NCOLS];	/* text of the owned columns */
	const char *empty;
	int id_col, email_col;		/* lead_id and email in the input, or -1 */
	lk_score *base;			/* the baseline scorer, or NULL (not owned) */
	lk_score *own_base;		/* lk_score_load_baseline's scorer, owned */
	lk_model *own_m;		/* lk_score_load's model, owned */
	long flip_up, flip_down;	/* mql no -> yes, yes -> no against it */

	/* The ledger: contributions of the last row, kept when asked. */
	int keep;
	lk_score_entry *ent;
	int nent, ment;
	lk_buf ltext;			/* one ledger field being formatted */
};

/* Points as tenths, half away from zero. */
static long tenths(double v)
{
	return lround(v * 10.0);
}

void lk_score_fmt(lk_buf *b, long t, int sign, int compact)
{
	unsigned long a = t < 0 ? (unsigned long)-t : (unsigned long)t;

	char tmp[32], *p = tmp + sizeof tmp;
	unsigned long whole = a / 10;

	/* By hand, not printf: three of these run for every scored row. */
	if (!compact || a % 10) {
		*--p = (char)('0' + a % 10);
		*--p = '.';
	}
	do
		*--p = (char)('0' + whole % 10);
	while ((whole /= 10) != 0);
	if (t < 0)
		*--p = '-';
	else if (sign)
		*--p = '+';
	lk_buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}

static int parse_rule(lk_score *s, lk_yml *y, yaml_node_t *n, lk_rule_kind kind, lk_err *err)
{
	static const char *const fitkeys[] = { "rule", "when", "points" };
	static const char *const engkeys[] = { "rule", "activity", "points", "half_life",
					       "window", "cap" };
	lk_score_rule *r = &s->rules[s->nrules];
	yaml_node_t *rn;
	double v;
	int i, rc;

	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->node = n;
	r->cap = -1;
	s->nrules++;	/* counted now, so lk_score_free releases a half-parsed rule */
	if (lk_yml_expect(y, n, YAML_MAPPING_NODE,
			  kind == LK_RULE_FIT ? "a fit rule" : "an engagement rule", err) < 0)
		return -1;
	if (kind == LK_RULE_FIT) {
		if (lk_yml_check_keys(y, n, fitkeys, 3, "fit rule", err) < 0)
			return -1;
	} else if (lk_yml_check_keys(y, n, engkeys, 6, "engagement rule", err) < 0) {
		return -1;
	}
	if (lk_yml_get_str(y, n, "rule", 1, &r->name, err) < 0)
		return -1;
	rn = lk_yml_get(y, n, "rule", err);
	if (!lk_model_good_name(r->name))
		return lk_yml_err(y, rn, err, "rule name '%s' may only hold letters, digits, "
				  "'_', '-' and '.'", r->name);
	for (i = 0; i < s->nrules - 1; i++)
		if (!strcmp(s->rules[i].name, r->name)) {
			const yaml_node_t *o = s->rules[i].node;
			return lk_yml_err(y, rn, err, "duplicate rule name '%s' (first at line %lu)",
					  r->name, (unsigned long)o->start_mark.line + 1);
		}
	if (lk_yml_get_num(y, n, "points", 1, &v, err) < 0)
		return -1;
	if (fabs(v) > 1e12)
		return lk_yml_err(y, lk_yml_get(y, n, "points", err), err,
				  "'points' is out of range");
	r->points = tenths(v);
	if (kind == LK_RULE_FIT) {
		if (lk_yml_get_str(y, n, "when", 1, &r->when, err) < 0)
			return -1;
		r->when_node = lk_yml_get(y, n, "when", err);
	} else {
		yaml_node_t *an = NULL;
		an = lk_yml_get(y, n, "activity", err);
		if (!an)
			return lk_yml_err(y, n, err, "missing key 'activity'");
		rc = lk_yml_strlist(y, an, &r->activities, "'activity'", err);
		if (rc < 0)
			return -1;
		r->nactivities = rc;
		if (rc == 0)
			return lk_yml_err(y, an, err, "'activity' names no activity");
		/* A blank name matches no activity an export can hold (lead-ingest
		 * rejects activity rows without one), so the rule would lint
		 * clean and never fire. */
		for (i = 0; i < rc; i++) {
			const char *a = r->activities[i];
			yaml_node_t *at = an;
			a += strspn(a, " \t");
			if (*a)
				continue;
			if (an->type == YAML_SEQUENCE_NODE)
				at = lk_yml_node(y, an->data.sequence.items.start[i], err);
			return lk_yml_err(y, at ? at : an, err, "'activity' has a blank activity "
					  "name: the rule would never fire");
		}
		if ((rc = lk_yml_get_duration(y, n, "half_life", 0, &v, err)) < 0)
			return -1;
		if (rc) {
			if (v <= 0)
				return lk_yml_err(y, lk_yml_get(y, n, "half_life", err), err,
						  "'half_life' must be longer than zero");
			r->half_life = v / 86400.0;
		}
		if ((rc = lk_yml_get_duration(y, n, "window", 0, &v, err)) < 0)
			return -1;
		if (rc) {
			if (v <= 0)
				return lk_yml_err(y, lk_yml_get(y, n, "window", err), err,
						  "'window' must be longer than zero");
			r->window = v / 86400.0;
		}
		if ((rc = lk_yml_get_num(y, n, "cap", 0, &v, err)) < 0)
			return -1;
		if (rc) {
			if (v < 0 || v > 1e12)
				return lk_yml_err(y, lk_yml_get(y, n, "cap", err), err,
						  "'cap' must be a number of points from 0 up");
			r->cap = tenths(v);
		}
	}
	return 0;
}

static int parse_rules(lk_score *s, lk_yml *y, const char *key, lk_rule_kind kind, lk_err *err)
{
	yaml_node_t *list = lk_yml_get(y, s->m->scoring, key, err);
	yaml_node_item_t *it;
	lk_score_rule *nr;
	size_t n;
	char what[64];

	if (!list)
		return 0;
	snprintf(what, sizeof what, "scoring '%s'", key);
	if (lk_yml_expect(y, list, YAML_SEQUENCE_NODE, what, err) < 0)
		return -1;
	n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
	nr = realloc(s->rules, ((size_t)s->nrules + n + 1) * sizeof *nr);
	if (!nr)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	s->rules = nr;
	for (it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
		yaml_node_t *rn = lk_yml_node(y, *it, err);
		if (!rn || parse_rule(s, y, rn, kind, err) < 0)
			return -1;
	}
	return 0;
}

static int parse_grades(lk_score *s, lk_yml *y, lk_err *err)
{
	static const char *const letters[] = { "A", "B", "C", "D", "E" };
	yaml_node_t *g = lk_yml_get(y, s->m->scoring, "grades", err);
	int i, rc;
	double v;

	if (!g) {
		/* The defaults of the design sketch. */
		static const long def[] = { 400, 250, 100 };
		for (i = 0; i < 3; i++) {
			s->grades[i].name[0] = letters[i][0];
			s->grades[i].min = def[i];
		}
		s->ngrades = 3;
		s->fallback[0] = 'D';
		return 0;
	}
	if (lk_yml_expect(y, g, YAML_MAPPING_NODE, "scoring 'grades'", err) < 0 ||
	    lk_yml_check_keys(y, g, letters, 5, "grades", err) < 0)
		return -1;
	for (i = 0; i < 5; i++) {
		if ((rc = lk_yml_get_num(y, g, letters[i], 0, &v, err)) < 0)
			return -1;
		if (!rc)
			break;
		if (fabs(v) > 1e12)
			return lk_yml_err(y, lk_yml_get(y, g, letters[i], err), err,
					  "grade %s: threshold out of range", letters[i]);
		s->grades[i].name[0] = letters[i][0];
		s->grades[i].min = tenths(v);
		if (i && s->grades[i].min >= s->grades[i - 1].min)
			return lk_yml_err(y, lk_yml_get(y, g, letters[i], err), err,
					  "grade %s needs a lower fit threshold than grade %s",
					  letters[i], letters[i - 1]);
	}
	s->ngrades = i;
	if (i == 0)
		return lk_yml_err(y, g, err, "grades must give at least grade A a fit threshold");
	if ((long)(g->data.mapping.pairs.top - g->data.mapping.pairs.start) != i)
		return lk_yml_err(y, g, err, "grades must be A, B, C, ... without gaps, "
				  "each with a fit threshold");
	s->fallback[0] = (char)('A' + i);
	return 0;
}

lk_score *lk_score_new(lk_model *m, lk_err *err)
{
	static const char *const keys[] = { "fit", "engagement", "grades", "mql" };
	lk_score *s;
	lk_yml *y = &m->yml;
	int i;

	if (!m->scoring) {
		lk_model_missing(m, "scoring", "scoring rules", err);
		return NULL;
	}
	s = calloc(1, sizeof *s);
	if (!s) {
		lk_err_set(err, LK_ENOMEM, "out of memory");
		return NULL;
	}
	s->m = m;
	s->empty = "";
	s->id_col = s->email_col = -1;
	for (i = 0; i < LK_SC_NCOLS; i++)
		s->col[i] = -1;
	if (lk_yml_check_keys(y, m->scoring, keys, 4, "scoring", err) < 0 ||
	    parse_rules(s, y, "fit", LK_RULE_FIT, err) < 0)
		goto fail;
	s->nfit = s->nrules;
	if (parse_rules(s, y, "engagement", LK_RULE_ENGAGEMENT, err) < 0 ||
	    parse_grades(s, y, err) < 0 ||
	    lk_yml_get_str(y, m->scoring, "mql", 1, &s->mql_src, err) < 0)
		goto fail;
	s->mql_node = lk_yml_get(y, m->scoring, "mql", err);
	return s;
fail:
	if (err->kind != LK_ENOMEM)
		err->kind = LK_EMODEL;
	lk_score_free(s);
	return NULL;
}

lk_score *lk_score_load(const char *path, lk_err *err)
{
	lk_model *m = lk_model_load(path, err);
	lk_score *s = m ? lk_score_new(m, err) : NULL;

	if (s)
		s->own_m = m;
	else
		lk_model_free(m);
	return s;
}

lk_model *lk_score_model(const lk_score *s)
{
	return s->m;
}

void lk_score_free(lk_score *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < s->nrules; i++) {
		lk_expr_free(s->rules[i].expr);
		free(s->rules[i].activities);
	}
	free(s->rules);
	lk_expr_free(s->mql);
	free(s->names);
	free(s->out.f);
	free(s->out.len);
	for (i = 0; i < LK_SC_NCOLS; i++)
		lk_buf_free(&s->val[i]);
	free(s->ent);
	lk_buf_free(&s->ltext);
	lk_score_free(s->own_base);
	lk_model_free(s->own_m);
	free(s);
}

const lk_score_rule *lk_score_rules(const lk_score *s, int *n)
{
	*n = s->nrules;
	return s->rules;
}

const lk_grade *lk_score_grades(const lk_score *s, int *n, const char **fallback)
{
	*n = s->ngrades;
	if (fallback)
		*fallback = s->fallback;
	return s->grades;
}

const char *lk_score_mql_source(const lk_score *s)
{
	return s->mql_src;
}

const lk_expr *lk_score_mql(const lk_score *s)
{
	return s->mql;
}

/* An expression error placed at the node holding the expression. */
static int expr_err(lk_score *s, const yaml_node_t *n, const char *what, const lk_err *ee,
		    lk_err *err)
{
	int rc = lk_yml_err(&s->m->yml, n, err, "%s: %s", what, ee->msg);

	if (ee->kind == LK_ENOMEM)
		err->kind = LK_ENOMEM;
	else
		err->kind = LK_EMODEL;
	return rc;
}

/* What check_stages needs while it walks one expression. */
struct stagecheck {
	lk_score *s;
	int col;			/* the stage column */
	const char *word;		/* the first unknown literal */
	long line, colno;
	char buf[128];
};

static int stage_literal(void *ctx, int col, const char *v, size_t len, long line, long colno)
{
	struct stagecheck *c = ctx;

	if (col != c->col || len == 0 || lk_model_stage(c->s->m, v, len) >= 0)
		return 0;
	snprintf(c->buf, sizeof c->buf, "%.*s", (int)(len < 100 ? len : 100), v);
	c->word = c->buf;
	c->line = line;
	c->colno = colno;
	return 1;
}

/*
 * A comparison of the stage column with a literal that names no stage
 * of the model (`stage == "mqll"`) can never be true for a lead-ingest
 * output, and is almost always a typo: a model error, like an unknown
 * column.
 */
static int check_stages(lk_score *s, const lk_expr *x, const char *const *cols, int n,
			const yaml_node_t *node, const char *what, lk_err *err)
{
	struct stagecheck c = { .s = s, .col = -1 };
	const char *ids[64];
	char list[512];
	const char *dym;
	size_t used = 0;
	int i, nids = s->m->nstages < 64 ? s->m->nstages : 64;

	for (i = 0; i < n && c.col < 0; i++)
		if (!strcmp(cols[i], "stage"))
			c.col = i;
	if (c.col < 0 || !lk_expr_each_compared_string(x, stage_literal, &c))
		return 0;
	list[0] = 0;
	for (i = 0; i < nids; i++) {
		ids[i] = s->m->stages[i].id;
		if (used < sizeof list)
			used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
						 i ? ", " : "", ids[i]);
	}
	dym = lk_did_you_mean(c.word, ids, nids);
	if (strchr(lk_expr_source(x), '\n'))
		return lk_yml_err(&s->m->yml, node, err, "%s: expression: line %ld, col %ld: "
				  "unknown stage '%s'%s%s%s; stages are: %s", what, c.line, c.colno,
				  c.word, dym ? " (did you mean '" : "", dym ? dym : "",
				  dym ? "'?)" : "", list);
	return lk_yml_err(&s->m->yml, node, err, "%s: expression: col %ld: unknown stage "
			  "'%s'%s%s%s; stages are: %s", what, c.colno, c.word,
			  dym ? " (did you mean '" : "", dym ? dym : "", dym ? "'?)" : "", list);
}

void lk_score_set_baseline(lk_score *s, lk_score *base)
{
	s->base = base;
}

int lk_score_load_baseline(lk_score *s, const char *path, lk_err *err)
{
	if (!(s->own_base = lk_score_load(path, err)))
		return -1;
	lk_score_set_baseline(s, s->own_base);
	return 0;
}

void lk_score_flips(const lk_score *s, long *up, long *down)
{
	*up = s->flip_up;
	*down = s->flip_down;
}

int lk_score_bind(lk_score *s, const char *const *cols, int n, int explain, lk_err *err)
{
	lk_err ee;
	char what[160];
	char skip[LK_SC_NCOLS];
	int i, j, k;

	for (i = 0; i < s->nfit; i++) {
		lk_score_rule *r = &s->rules[i];
		lk_err_clear(&ee);
		lk_expr_free(r->expr);
		r->expr = lk_expr_compile(r->when, cols, n, &ee);
		if (!r->expr) {
			snprintf(what, sizeof what, "fit rule '%s': when", r->name);
			return expr_err(s, r->when_node, what, &ee, err);
		}
		snprintf(what, sizeof what, "fit rule '%s': when", r->name);
		if (check_stages(s, r->expr, cols, n, r->when_node, what, err) < 0)
			return -1;
	}

	if (s->base && lk_score_bind(s->base, cols, n, 0, err) < 0)
		return -1;

	/* The output header: the input's, then the owned columns it lacks. */
	for (j = 0; j < LK_SC_NCOLS; j++)
		skip[j] = (j == LK_SC_REASONS && !explain) || (j >= LK_SC_BASE_SCORE && !s->base);
	k = lk_bind_owned(cols, n, lk_score_columns, LK_SC_NCOLS, skip, s->col, &s->names, &s->out,
			  err);
	if (k < 0)
		return -1;
	s->nin = n;
	s->nout = k;
	{
		static const char *const keys[] = { "lead_id", "email" };
		int at[2];
		lk_bind_find(cols, n, keys, 2, at);
		s->id_col = at[0];
		s->email_col = at[1];
	}

	/* mql sees the output row, so score, fit, engagement and grade are
	 * this run's values even when the input had such columns. */
	lk_err_clear(&ee);
	lk_expr_free(s->mql);
	s->mql = lk_expr_compile(s->mql_src, s->names, k, &ee);
	if (!s->mql)
		return expr_err(s, s->mql_node, "mql", &ee, err);
	if (check_stages(s, s->mql, s->names, n, s->mql_node, "mql", err) < 0)
		return -1;
	{
		int nc;
		const int *c = lk_expr_columns(s->mql, &nc);
		for (i = 0; i < nc; i++)
			if (c[i] == s->col[LK_SC_MQL] ||
			    (s->col[LK_SC_REASONS] >= 0 && c[i] == s->col[LK_SC_REASONS]))
				return lk_yml_err(&s->m->yml, s->mql_node, err,
						  "mql: the expression cannot use '%s', which "
						  "lead-score computes from it", s->names[c[i]]);
	}
	return 0;
}

void lk_score_header(const lk_score *s, const char *const **names, int *n)
{
	*names = s->names;
	*n = s->nout;
}

int lk_score_column(const lk_score *s, int which)
{
	return which >= 0 && which < LK_SC_NCOLS ? s->col[which] : -1;
}

static int act_matches(const lk_score_rule *r, const char *a)
{
	int i;

	for (i = 0; i < r->nactivities; i++)
		if (!strcmp(r->activities[i], a))
			return 1;
	return 0;
}

/* Keep one contribution for the ledger; -1 when out of memory. */
static int keep(lk_score *s, const lk_score_rule *r, lk_entry_kind kind, const lk_act *a,
		double age, double factor, long points)
{
	lk_score_entry *e;

	if (s->nent == s->ment) {
		int nm = s->ment ? s->ment * 2 : 16;
		lk_score_entry *ne = realloc(s->ent, (size_t)nm * sizeof *ne);
		if (!ne)
			return -1;
		s->ent = ne;
		s->ment = nm;
	}
	e = &s->ent[s->nent++];
	e->rule = r;
	e->kind = kind;
	e->activity = a ? a->activity : NULL;
	e->at = a ? a->at : 0;
	e->age = age;
	e->factor = factor;
	e->points = points;
	return 0;
}

void lk_score_keep_entries(lk_score *s, int on)
{
	s->keep = on;
	s->nent = 0;
}

const lk_score_entry *lk_score_entries(const lk_score *s, int *n)
{
	*n = s->nent;
	return s->ent;
}

/* A non-negative number with at most six decimals, trailing zeros dropped. */
static void fmt_dec(lk_buf *b, double v)
{
	size_t start = b->len;

	lk_buf_addf(b, "%.6f", v);
	if (!b->data || !memchr(b->data + start, '.', b->len - start))
		return;
	while (b->len > start && b->data[b->len - 1] == '0')
		b->len--;
	if (b->len > start && b->data[b->len - 1] == '.')
		b->len--;
	b->data[b->len] = 0;
}

static void field(lk_writer *w, const char *p, size_t len)
{
	lk_writer_field(w, p ? p : "", p ? len : 0);
}

int lk_score_ledger(lk_score *s, const lk_row *in, lk_writer *w, lk_err *err)
{
	const char *key = "";
	size_t klen = 0;
	int i, c;

	for (c = 0; c < 2 && !klen; c++) {
		int col = c ? s->email_col : s->id_col;
		if (col >= 0 && col < in->n) {
			key = in->f[col];
			klen = in->len ? in->len[col] : strlen(key);
		}
	}
	for (i = 0; i < s->nent; i++) {
		const lk_score_entry *e = &s->ent[i];
		static const char *const kinds[] = { "fit", "engagement", "cap" };
		char when[40];
		lk_buf *b = &s->ltext;

		lk_writer_field(w, key, klen);
		lk_writer_field(w, e->rule->name, strlen(e->rule->name));
		lk_writer_field(w, kinds[e->kind], strlen(kinds[e->kind]));
		if (e->kind == LK_ENTRY_ENGAGEMENT) {
			field(w, e->activity, strlen(e->activity));
			lk_date_format_full(e->at, when);
			field(w, when, strlen(when));
			lk_buf_reset(b);
			fmt_dec(b, e->age);
			field(w, b->data, b->len);
		} else {
			field(w, NULL, 0);
			field(w, NULL, 0);
			field(w, NULL, 0);
		}
		lk_buf_reset(b);
		if (e->kind != LK_ENTRY_CAP)
			fmt_dec(b, e->factor);
		field(w, b->data, b->len);
		lk_buf_reset(b);
		lk_score_fmt(b, e->points, 0, 0);
		field(w, b->data, b->len);
		if (lk_writer_end(w, err) < 0)
			return -1;
	}
	return 0;
}

static void reason(lk_buf *b, const char *name, const char *note, long t)
{
	if (b->len)
		lk_buf_addc(b, ';');
	lk_buf_adds(b, name);
	if (note)
		lk_buf_adds(b, note);
	lk_buf_addc(b, ':');
	lk_score_fmt(b, t, 1, 1);
}

int lk_score_row(lk_score *s, const lk_row *in, const lk_act *acts, int nacts,
		 lk_exprenv *env, lk_row **out, lk_score_result *res)
{
	lk_buf *why = &s->val[LK_SC_REASONS];
	int explain = s->col[LK_SC_REASONS] >= 0;
	long fit = 0, eng = 0;
	const char *grade = s->fallback;
	int i, j, mql;
	lk_score_result bres = { 0 };

	lk_buf_reset(why);
	s->nent = 0;
	for (i = 0; i < s->nfit; i++) {
		const lk_score_rule *r = &s->rules[i];
		if (!lk_expr_bool(r->expr, in, env))
			continue;
		fit += r->points;
		if (explain)
			reason(why, r->name, NULL, r->points);
		if (s->keep && keep(s, r, LK_ENTRY_FIT, NULL, 0, 1, r->points) < 0)
			return -1;
	}
	for (i = s->nfit; i < s->nrules; i++) {
		const lk_score_rule *r = &s->rules[i];
		long sum = 0;
		for (j = 0; j < nacts; j++) {
			double age, factor = 1;
			long t;
			char note[48];
			if (!act_matches(r, acts[j].activity))
				continue;
			age = env ? (double)(env->now - acts[j].at) / 86400.0 : 0;
			if (age < 0)
				continue;	/* the future: the caller counts these */
			if (r->window > 0 && age > r->window)
				continue;
			if (r->half_life > 0) {
				factor = pow(0.5, age / r->half_life);
				t = tenths((double)r->points / 10.0 * factor);
			} else {
				t = r->points;
			}
			sum += t;
			if (explain) {
				snprintf(note, sizeof note, "(%ldd)", (long)floor(age));
				reason(why, r->name, note, t);
			}
			if (s->keep && keep(s, r, LK_ENTRY_ENGAGEMENT, &acts[j], age, factor, t) < 0)
				return -1;
		}
		if (r->cap >= 0 && sum > r->cap) {
			if (explain)
				reason(why, r->name, "(cap)", r->cap - sum);
			if (s->keep && keep(s, r, LK_ENTRY_CAP, NULL, 0, 1, r->cap - sum) < 0)
				return -1;
			sum = r->cap;
		}
		eng += sum;
	}
	for (i = 0; i < s->ngrades; i++)
		if (fit >= s->grades[i].min) {
			grade = s->grades[i].name;
			break;
		}

	/* Pass the input through, then fill the owned columns. */
	lk_bind_pass(&s->out, in, s->nin);
	{
		long v[3] = { fit + eng, fit, eng };
		for (i = 0; i < 3; i++) {
			lk_buf_reset(&s->val[i]);
			lk_score_fmt(&s->val[i], v[i], 0, 0);
		}
	}
	lk_buf_reset(&s->val[LK_SC_GRADE]);
	lk_buf_adds(&s->val[LK_SC_GRADE], grade);
	for (i = 0; i <= LK_SC_GRADE; i++) {
		if (!s->val[i].data)
			return -1;
		s->out.f[s->col[i]] = s->val[i].data;
		s->out.len[s->col[i]] = s->val[i].len;
	}
	if (s->base) {
		lk_exprenv benv = { 0 };
		lk_row *bout;
		if (env) {
			benv.now = env->now;
			benv.order = env->order;
		}
		if (lk_score_row(s->base, in, acts, nacts, env ? &benv : NULL, &bout, &bres) < 0)
			return -1;
		lk_buf_reset(&s->val[LK_SC_BASE_SCORE]);
		lk_score_fmt(&s->val[LK_SC_BASE_SCORE], bres.score, 0, 0);
		if (!s->val[LK_SC_BASE_SCORE].data)
			return -1;
		s->out.f[s->col[LK_SC_BASE_SCORE]] = s->val[LK_SC_BASE_SCORE].data;
		s->out.len[s->col[LK_SC_BASE_SCORE]] = s->val[LK_SC_BASE_SCORE].len;
		s->out.f[s->col[LK_SC_BASE_MQL]] = (char *)(bres.mql ? "yes" : "no");
		s->out.len[s->col[LK_SC_BASE_MQL]] = bres.mql ? 3 : 2;
	}
	/* mql must not see a stale mql of the input (bind refuses it anyway). */
	s->out.f[s->col[LK_SC_MQL]] = (char *)s->empty;
	s->out.len[s->col[LK_SC_MQL]] = 0;
	mql = lk_expr_bool(s->mql, &s->out, env);
	s->out.f[s->col[LK_SC_MQL]] = (char *)(mql ? "yes" : "no");
	s->out.len[s->col[LK_SC_MQL]] = mql ? 3 : 2;
	if (explain) {
		s->out.f[s->col[LK_SC_REASONS]] = why->data ? why->data : (char *)s->empty;
		s->out.len[s->col[LK_SC_REASONS]] = why->len;
	}
	if (s->base) {
		s->flip_up += mql && !bres.mql;
		s->flip_down += !mql && bres.mql;
	}
	s->out.record = in->record;
	s->out.line = in->line;
	s->out.nlines = in->nlines;
	s->out.bad = NULL;
	*out = &s->out;
	if (res) {
		res->fit = fit;
		res->engagement = eng;
		res->score = fit + eng;
		res->grade = grade;
		res->mql = mql;
		res->base_score = s->base ? bres.score : 0;
		res->base_mql = s->base ? bres.mql : 0;
	}
	return 0;
}
