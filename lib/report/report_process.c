/*
 * report_process.c - the model rendered back as the process document.
 *
 * The model file is the written process; this renders it for people who
 * do not read YAML: a Markdown document (definitions, stakeholders,
 * stages, scoring, routing and SLAs, nurture, and the flow chart as a
 * Graphviz DOT block) and the DOT graph alone.  Sections are rendered
 * from the YAML as written, so every key the model holds shows, in the
 * model's order: a list of mappings becomes a table whose columns are
 * the keys in first-seen order, a mapping becomes a bulleted list (or
 * sub-headings when its values are themselves structured), nested
 * values inside a cell are written in YAML flow style.  Nodes are
 * visited through lk_yml_node, so the model's visit budget also bounds
 * the rendering (an alias bomb is refused, not expanded).
 *
 * lk_report_process puts them in the format asked for: the html page
 * is the one every report is written as (report_tab.c), holding the
 * chart, as drawn by the tool's lk_report_svg_fn, and the document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

typedef struct pr {
	lk_yml *y;
	lk_buf *out;
	lk_err *err;
	int fail;
} pr;

static yaml_node_t *node(pr *p, int idx)
{
	yaml_node_t *n;

	if (p->fail)
		return NULL;
	n = lk_yml_node(p->y, idx, p->err);
	if (!n)
		p->fail = 1;
	return n;
}

/* Text for a Markdown table cell or list item: no newlines, | escaped. */
static void text(lk_buf *out, const char *s, int cell)
{
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r')
			lk_buf_addc(out, ' ');
		else if (cell && *s == '|')
			lk_buf_adds(out, "\\|");
		else
			lk_buf_addc(out, *s);
	}
}

/* A node in YAML flow style: a, [a, b], {k: v}. */
static void flow(pr *p, const yaml_node_t *n, int cell)
{
	yaml_node_item_t *it;
	yaml_node_pair_t *pa;

	if (!n || p->fail)
		return;
	if (n->type == YAML_SCALAR_NODE) {
		text(p->out, lk_yml_scalar(n), cell);
	} else if (n->type == YAML_SEQUENCE_NODE) {
		lk_buf_addc(p->out, '[');
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
			if (it > n->data.sequence.items.start)
				lk_buf_adds(p->out, ", ");
			flow(p, node(p, *it), cell);
		}
		lk_buf_addc(p->out, ']');
	} else {
		lk_buf_addc(p->out, '{');
		for (pa = n->data.mapping.pairs.start; pa < n->data.mapping.pairs.top; pa++) {
			if (pa > n->data.mapping.pairs.start)
				lk_buf_adds(p->out, ", ");
			flow(p, node(p, pa->key), cell);
			lk_buf_adds(p->out, ": ");
			flow(p, node(p, pa->value), cell);
		}
		lk_buf_addc(p->out, '}');
	}
}

static void block(pr *p, const yaml_node_t *n, int depth);

/* A list of scalars, or a mapping of scalars: one line in flow style. */
static int all_scalars(pr *p, const yaml_node_t *n)
{
	yaml_node_item_t *it;
	yaml_node_pair_t *pa;
	yaml_node_t *c;

	if (n->type == YAML_SCALAR_NODE)
		return 1;
	if (n->type == YAML_SEQUENCE_NODE) {
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
			if (!(c = node(p, *it)) || c->type != YAML_SCALAR_NODE)
				return 0;
		return 1;
	}
	for (pa = n->data.mapping.pairs.start; pa < n->data.mapping.pairs.top; pa++)
		if (!(c = node(p, pa->value)) || c->type != YAML_SCALAR_NODE)
			return 0;
	return 1;
}

/* A value that reads well in a table cell: scalars, or one mapping of
 * scalars in a list (a rep's single absence); steps of a track do not. */
static int cellable(pr *p, const yaml_node_t *v)
{
	yaml_node_t *c;

	if (all_scalars(p, v))
		return 1;
	return v->type == YAML_SEQUENCE_NODE &&
	       v->data.sequence.items.top - v->data.sequence.items.start == 1 &&
	       (c = node(p, *v->data.sequence.items.start)) && all_scalars(p, c);
}

/* A mapping whose values all fit in cells: a row of a table. */
static int is_flat(pr *p, const yaml_node_t *n)
{
	yaml_node_pair_t *pa;
	yaml_node_t *v;

	if (n->type != YAML_MAPPING_NODE)
		return n->type == YAML_SCALAR_NODE;
	for (pa = n->data.mapping.pairs.start; pa < n->data.mapping.pairs.top; pa++)
		if (!(v = node(p, pa->value)) || !cellable(p, v))
			return 0;
	return 1;
}

/* A list of mappings as a table; keys in first-seen order. */
static void table(pr *p, const yaml_node_t *n)
{
	const char *cols[32];
	int nc = 0, c;
	yaml_node_item_t *it;
	yaml_node_pair_t *pa;

	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *row = node(p, *it);
		if (!row || row->type != YAML_MAPPING_NODE)
			continue;
		for (pa = row->data.mapping.pairs.start; pa < row->data.mapping.pairs.top; pa++) {
			yaml_node_t *k = node(p, pa->key);
			const char *ks = k ? lk_yml_scalar(k) : NULL;
			if (!ks)
				continue;
			for (c = 0; c < nc && strcmp(cols[c], ks); c++)
				;
			if (c == nc && nc < 32)
				cols[nc++] = ks;
		}
	}
	for (c = 0; c < nc; c++)
		lk_buf_addf(p->out, "| %s ", cols[c]);
	lk_buf_adds(p->out, "|\n");
	for (c = 0; c < nc; c++)
		lk_buf_adds(p->out, "| --- ");
	lk_buf_adds(p->out, "|\n");
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *row = node(p, *it);
		if (!row)
			return;
		if (row->type != YAML_MAPPING_NODE) {
			lk_buf_adds(p->out, "| ");
			flow(p, row, 1);
			for (c = 1; c < nc; c++)
				lk_buf_adds(p->out, " | ");
			lk_buf_adds(p->out, " |\n");
			continue;
		}
		for (c = 0; c < nc; c++) {
			lk_buf_adds(p->out, "| ");
			for (pa = row->data.mapping.pairs.start; pa < row->data.mapping.pairs.top; pa++) {
				yaml_node_t *k = node(p, pa->key);
				const char *ks = k ? lk_yml_scalar(k) : NULL;
				if (ks && !strcmp(ks, cols[c])) {
					flow(p, node(p, pa->value), 1);
					break;
				}
			}
			lk_buf_addc(p->out, ' ');
		}
		lk_buf_adds(p->out, "|\n");
	}
	lk_buf_addc(p->out, '\n');
}

static void heading(pr *p, int depth, const char *s)
{
	int i;

	lk_buf_addc(p->out, '\n');
	for (i = 0; i < depth && i < 6; i++)
		lk_buf_addc(p->out, '#');
	lk_buf_addc(p->out, ' ');
	text(p->out, s, 0);
	lk_buf_adds(p->out, "\n\n");
}

static void block(pr *p, const yaml_node_t *n, int depth)
{
	yaml_node_item_t *it;
	yaml_node_pair_t *pa;

	if (!n || p->fail)
		return;
	if (n->type == YAML_SCALAR_NODE) {
		text(p->out, lk_yml_scalar(n), 0);
		lk_buf_addc(p->out, '\n');
	} else if (n->type == YAML_SEQUENCE_NODE) {
		int maps = 0;
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
			yaml_node_t *c = node(p, *it);
			maps += c && c->type == YAML_MAPPING_NODE;
		}
		if (maps) {
			/* Mappings with structured values (nurture tracks) get a
			 * heading each; flat ones share a table. */
			int flat = 1;
			for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
				yaml_node_t *c = node(p, *it);
				if (c && !is_flat(p, c))
					flat = 0;
			}
			if (flat) {
				table(p, n);
				return;
			}
			for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
				yaml_node_t *c = node(p, *it), *v;
				const char *title = NULL;
				if (!c)
					return;
				if (c->type == YAML_MAPPING_NODE && c->data.mapping.pairs.top > c->data.mapping.pairs.start &&
				    (v = node(p, c->data.mapping.pairs.start->value)))
					title = lk_yml_scalar(v);
				heading(p, depth, title ? title : "item");
				block(p, c, depth + 1);
			}
			return;
		}
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
			lk_buf_adds(p->out, "- ");
			flow(p, node(p, *it), 0);
			lk_buf_addc(p->out, '\n');
		}
	} else {
		for (pa = n->data.mapping.pairs.start; pa < n->data.mapping.pairs.top; pa++) {
			yaml_node_t *k = node(p, pa->key), *v = node(p, pa->value);
			const char *ks = k ? lk_yml_scalar(k) : NULL;
			if (!k || !v)
				return;
			if (v->type == YAML_SCALAR_NODE || all_scalars(p, v)) {
				lk_buf_adds(p->out, "- **");
				text(p->out, ks ? ks : "", 0);
				lk_buf_adds(p->out, "**: ");
				flow(p, v, 0);
				lk_buf_addc(p->out, '\n');
			} else {
				heading(p, depth, ks ? ks : "");
				block(p, v, depth + 1);
			}
		}
	}
}

/* A DOT identifier-safe quoted string. */
static void dq(lk_buf *out, const char *s)
{
	lk_buf_addc(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			lk_buf_addc(out, '\\');
		if (*s == '\n')
			lk_buf_adds(out, "\\n");
		else
			lk_buf_addc(out, *s);
	}
	lk_buf_addc(out, '"');
}

static const char *get_str(pr *p, const yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pa;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pa = map->data.mapping.pairs.start; pa < map->data.mapping.pairs.top; pa++) {
		yaml_node_t *k = node(p, pa->key), *v;
		if (k && lk_yml_scalar(k) && !strcmp(lk_yml_scalar(k), key)) {
			v = node(p, pa->value);
			return v ? lk_yml_scalar(v) : NULL;
		}
	}
	return NULL;
}

static yaml_node_t *get(pr *p, const yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pa;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pa = map->data.mapping.pairs.start; pa < map->data.mapping.pairs.top; pa++) {
		yaml_node_t *k = node(p, pa->key);
		if (k && lk_yml_scalar(k) && !strcmp(lk_yml_scalar(k), key))
			return node(p, pa->value);
	}
	return NULL;
}

/*
 * The flow chart: the success path left to right, detours beside it;
 * the scoring's MQL condition on the way to the MQL stage; each routing
 * rule an edge from a "route" decision to its destination (sales pool
 * and SLA, a nurture track, hold, disqualify); each nurture track back to
 * the path by its exit condition.
 */
static void dot(pr *p, const lk_model *m)
{
	lk_buf *o = p->out;
	yaml_node_t *rules = get(p, m->routing, "rules"), *tracks = get(p, m->nurture, "tracks");
	const char *mql = get_str(p, m->scoring, "mql");
	yaml_node_item_t *it;
	int s;
	char lab[512];

	lk_buf_adds(o, "digraph process {\n\trankdir=LR;\n\tnode [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
		    "\tedge [fontname=\"Helvetica\", fontsize=10];\n");
	lk_buf_adds(o, "\tsubgraph cluster_path {\n\t\tlabel=\"success path\";\n");
	for (s = 0; s < m->npath; s++) {
		lk_buf_adds(o, "\t\t");
		dq(o, m->stages[s].id);
		lk_buf_adds(o, " [label=");
		dq(o, m->stages[s].name ? m->stages[s].name : m->stages[s].id);
		lk_buf_adds(o, "];\n");
	}
	lk_buf_adds(o, "\t}\n");
	for (s = 1; s < m->npath; s++) {
		lk_buf_addc(o, '\t');
		dq(o, m->stages[s - 1].id);
		lk_buf_adds(o, " -> ");
		dq(o, m->stages[s].id);
		if (mql && !strcmp(m->stages[s].id, "mql")) {
			lk_buf_adds(o, " [label=");
			dq(o, mql);
			lk_buf_addc(o, ']');
		}
		lk_buf_adds(o, ";\n");
	}
	for (s = m->npath; s < m->nstages; s++) {
		lk_buf_addc(o, '\t');
		dq(o, m->stages[s].id);
		lk_buf_adds(o, " [style=\"rounded,dashed\"];\n");
	}
	if (rules && rules->type == YAML_SEQUENCE_NODE) {
		const char *from = m->npath > 1 ? m->stages[1].id : m->npath ? m->stages[0].id : NULL;
		lk_buf_adds(o, "\troute [shape=diamond, label=\"route\"];\n");
		if (from) {
			lk_buf_addc(o, '\t');
			dq(o, from);
			lk_buf_adds(o, " -> route [style=dotted];\n");
		}
		for (it = rules->data.sequence.items.start; it < rules->data.sequence.items.top; it++) {
			yaml_node_t *r = node(p, *it);
			const char *name = get_str(p, r, "rule"), *to = get_str(p, r, "route"),
				   *pool = get_str(p, r, "pool"), *sla = get_str(p, r, "sla"),
				   *track = get_str(p, r, "track");
			if (!to)
				continue;
			if (track)
				snprintf(lab, sizeof lab, "track %s", track);
			else if (pool)
				snprintf(lab, sizeof lab, "%s: %s", to, pool);
			else
				snprintf(lab, sizeof lab, "%s", to);
			lk_buf_addc(o, '\t');
			dq(o, lab);
			lk_buf_adds(o, !strcmp(to, "sales") ? " [shape=box, style=\"rounded,bold\"];\n"
				    : " [shape=box, style=\"rounded,filled\", fillcolor=\"#eeeeee\"];\n");
			lk_buf_adds(o, "\troute -> ");
			dq(o, lab);
			snprintf(lab, sizeof lab, "%s%s%s", name ? name : "", sla ? ", SLA " : "", sla ? sla : "");
			lk_buf_adds(o, " [label=");
			dq(o, lab);
			lk_buf_adds(o, "];\n");
		}
	}
	if (tracks && tracks->type == YAML_SEQUENCE_NODE)
		for (it = tracks->data.sequence.items.start; it < tracks->data.sequence.items.top; it++) {
			yaml_node_t *t = node(p, *it);
			const char *name = get_str(p, t, "track"), *ex = get_str(p, t, "exit");
			if (!name)
				continue;
			snprintf(lab, sizeof lab, "track %s", name);
			lk_buf_addc(o, '\t');
			dq(o, lab);
			lk_buf_adds(o, " [shape=box, style=\"rounded,filled\", fillcolor=\"#eeeeee\"];\n");
			if (ex && m->npath > 1) {
				lk_buf_addc(o, '\t');
				dq(o, lab);
				lk_buf_adds(o, " -> ");
				dq(o, m->stages[1].id);
				lk_buf_adds(o, " [style=dashed, label=");
				snprintf(lab, sizeof lab, "exit: %s", ex);
				dq(o, lab);
				lk_buf_adds(o, "];\n");
			}
		}
	lk_buf_adds(o, "}\n");
}

int lk_report_process_dot(const lk_model *m, lk_buf *out, lk_err *err)
{
	pr p = { (lk_yml *)&m->yml, out, err, 0 };

	dot(&p, m);
	if (p.fail)
		return -1;
	return out->data ? 0 : lk_report_nomem(err);
}

int lk_report_process_doc(const lk_model *m, lk_buf *out, lk_err *err)
{
	pr p = { (lk_yml *)&m->yml, out, err, 0 };
	static const char *const names[] = { "Definitions", "Stakeholders", "Service levels",
					     "Scoring", "Routing", "Nurture" };
	const yaml_node_t *sec[6];
	int s, i;

	sec[0] = m->definitions;
	sec[1] = m->stakeholders;
	sec[2] = m->sla;
	sec[3] = m->scoring;
	sec[4] = m->routing;
	sec[5] = m->nurture;
	lk_buf_adds(out, "# Lead management process\n\n");
	lk_buf_addf(out, "Rendered from the lead model %s by lead-report process.\n",
		    m->has_file ? m->path : "(built-in)");
	for (i = 0; i < 3; i++)
		if (sec[i]) {
			heading(&p, 2, names[i]);
			block(&p, sec[i], 3);
		}
	heading(&p, 2, "Stages");
	lk_buf_adds(out, "| stage | name | path | aliases | definition |\n| --- | --- | --- | --- | --- |\n");
	for (s = 0; s < m->nstages; s++) {
		const lk_stage *st = &m->stages[s];
		int a;
		lk_buf_addf(out, "| %s | ", st->id);
		text(out, st->name ? st->name : "", 1);
		lk_buf_addf(out, " | %s | ", st->detour ? "detour" : "path");
		for (a = 0; a < st->naliases; a++) {
			if (a)
				lk_buf_adds(out, ", ");
			text(out, st->aliases[a], 1);
		}
		lk_buf_adds(out, " | ");
		text(out, st->definition ? st->definition : "", 1);
		lk_buf_adds(out, " |\n");
	}
	for (i = 3; i < 6; i++)
		if (sec[i]) {
			heading(&p, 2, names[i]);
			block(&p, sec[i], 3);
		}
	heading(&p, 2, "Flow chart");
	lk_buf_adds(out, "```dot\n");
	dot(&p, m);
	lk_buf_adds(out, "```\n");
	if (p.fail)
		return -1;
	return out->data ? 0 : lk_report_nomem(err);
}

/* Text inside <pre>: only '<' and '&' could start markup there. */
static void pre(lk_buf *out, const char *s)
{
	for (; *s; s++)
		if (*s == '<')
			lk_buf_adds(out, "&lt;");
		else if (*s == '&')
			lk_buf_adds(out, "&amp;");
		else
			lk_buf_addc(out, *s);
}

int lk_report_process(const lk_model *m, lk_report_fmt fmt, lk_report_svg_fn to_svg,
		      lk_buf *out, lk_err *err)
{
	lk_buf dot = LK_BUF_INIT, doc = LK_BUF_INIT, svg = LK_BUF_INIT;
	const lk_buf *one;
	const char *s;
	int rc = -1;

	if (fmt != LK_FMT_MD && fmt != LK_FMT_DOT && fmt != LK_FMT_SVG && fmt != LK_FMT_HTML)
		return lk_err_set(err, LK_EUSAGE, "process: --format md, dot, svg or html");
	if (lk_report_process_dot(m, &dot, err) < 0 ||
	    (fmt != LK_FMT_DOT && fmt != LK_FMT_SVG && lk_report_process_doc(m, &doc, err) < 0))
		goto done;
	/* The page takes whatever the drawing left, even from a failed run. */
	if ((fmt == LK_FMT_SVG || fmt == LK_FMT_HTML) && (!to_svg || to_svg(&dot, &svg) < 0) &&
	    fmt == LK_FMT_SVG) {
		lk_err_set(err, LK_EIO, "process: --format svg needs Graphviz's dot (apt-get "
			   "install graphviz); --format dot writes its source");
		goto done;
	}
	if (fmt == LK_FMT_HTML) {
		lk_page_head(out, "process", "pre { white-space: pre-wrap; }\n", "process");
		/* Inline the SVG without dot's XML prologue; without dot, its source. */
		s = svg.len ? strstr(lk_buf_str(&svg), "<svg") : NULL;
		if (s)
			lk_buf_adds(out, s);
		lk_buf_adds(out, "<pre>\n");
		pre(out, lk_buf_str(&doc));
		lk_buf_adds(out, "</pre>\n");
		lk_page_foot(out);
	} else {
		one = fmt == LK_FMT_MD ? &doc : fmt == LK_FMT_DOT ? &dot : &svg;
		lk_buf_add(out, lk_buf_str(one), one->len);
	}
	rc = out->data ? 0 : lk_report_nomem(err);
done:
	lk_buf_free(&dot);
	lk_buf_free(&doc);
	lk_buf_free(&svg);
	return rc;
}
