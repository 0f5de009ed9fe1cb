/* model.c - the lead model's shared sections; see model.h. */
#include "model/model.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

const char *const lk_canon[LK_NCANON] = {
	"lead_id", "email", "first_name", "last_name", "company", "title",
	"phone", "industry", "employees", "country", "source", "stage",
	"status", "owner", "created_at", "updated_at", "last_activity_at",
	"email_opt_out", "do_not_call", "email_bounced",
};

int lk_canon_index(const char *name)
{
	int i;

	for (i = 0; i < LK_NCANON; i++)
		if (!strcmp(name, lk_canon[i]))
			return i;
	return -1;
}

/* Built-in stages and the values CRMs use for them (HubSpot lifecycle
 * stages, Salesforce lead statuses, Marketo revenue stages). */
static const char *al_inquiry[] = { "subscriber", "lead", "new", "inquiry", "inquiries",
	"prospect", "open", "open - not contacted", "not contacted", "raw", "name",
	"known", "anonymous", "engaged", "working - contacted", "contacted",
	"attempting to contact", "in progress", "open deal", NULL };
static const char *al_mql[] = { "marketingqualifiedlead", "marketing qualified lead",
	"mql", "marketing qualified", NULL };
static const char *al_sal[] = { "sales accepted lead", "sales accepted", "sal",
	"accepted", NULL };
static const char *al_sql[] = { "salesqualifiedlead", "sales qualified lead", "sql",
	"sales qualified", "qualified", NULL };
static const char *al_opp[] = { "opportunity", "opp", "pipeline",
	/* the open stages of the CRMs' default deal pipelines */
	"prospecting", "qualification", "needs analysis", "value proposition",
	"id. decision makers", "identify decision makers", "perception analysis",
	"proposal/price quote", "negotiation/review", "appointment scheduled",
	"qualified to buy", "presentation scheduled", "decision maker bought-in",
	"contract sent", "contact made", "demo scheduled", "proposal made",
	"negotiations started", NULL };
static const char *al_won[] = { "customer", "closed - converted", "closed won",
	"won", "closedwon", "converted", "evangelist", NULL };
static const char *al_recycled[] = { "recycled", "recycle", "nurture", NULL };
static const char *al_disq[] = { "disqualified", "unqualified", "closed - not converted",
	"junk", "bad fit", "bad data", NULL };
static const char *al_lost[] = { "lost", "closed lost", "closedlost",
	"closed-lost to competition", NULL };

static const struct builtin {
	const char *id;
	const char **aliases;
	int detour;
} builtin[] = {
	{ "inquiry", al_inquiry, 0 },
	{ "mql", al_mql, 0 },
	{ "sal", al_sal, 0 },
	{ "sql", al_sql, 0 },
	{ "opportunity", al_opp, 0 },
	{ "won", al_won, 0 },
	{ "recycled", al_recycled, 1 },
	{ "disqualified", al_disq, 1 },
	{ "lost", al_lost, 1 },
};
#define NBUILTIN (int)(sizeof builtin / sizeof builtin[0])

void lk_loose_key(const char *s, size_t len, lk_buf *out)
{
	size_t i;

	lk_buf_reset(out);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c))
			lk_buf_addc(out, tolower(c));
		else if (c >= 0x80)
			lk_buf_addc(out, c);
	}
	/* Always a string, "" for a name of no letters or digits. */
	if (!out->data && lk_buf_grow(out, 1) == 0)
		out->data[0] = '\0';
}

static int index_alias(lk_model *m, const char *alias, int stage, const yaml_node_t *at,
		       lk_err *err)
{
	lk_buf k = LK_BUF_INIT;
	void **slot;
	int created;

	lk_loose_key(alias, strlen(alias), &k);
	if (k.len == 0) {
		lk_buf_free(&k);
		return 0;
	}
	slot = lk_hash_slot(m->stage_index, k.data, k.len, 1, &created);
	if (!slot) {
		lk_buf_free(&k);
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	if (!created && (int)(intptr_t)*slot != stage + 1) {
		int other = (int)(intptr_t)*slot - 1;
		lk_buf_free(&k);
		/* Built-in aliases yield to the model's own. */
		if (!at)
			return 0;
		return lk_yml_err(&m->yml, at, err,
				  "alias '%s' of stage '%s' already names stage '%s'",
				  alias, m->stages[stage].id, m->stages[other].id);
	}
	*slot = (void *)(intptr_t)(stage + 1);
	lk_buf_free(&k);
	return 0;
}

static const struct builtin *find_builtin(const char *id)
{
	int i;

	for (i = 0; i < NBUILTIN; i++)
		if (!strcmp(builtin[i].id, id))
			return &builtin[i];
	return NULL;
}

/* Index ids and aliases: the model's first, then built-in ones. */
static int build_index(lk_model *m, lk_err *err)
{
	int i, j;

	m->stage_index = lk_hash_new(64);
	if (!m->stage_index)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	for (i = 0; i < m->nstages; i++) {
		if (index_alias(m, m->stages[i].id, i, m->stages[i].node, err) < 0)
			return -1;
		for (j = 0; j < m->stages[i].naliases; j++)
			if (index_alias(m, m->stages[i].aliases[j], i,
					m->stages[i].node, err) < 0)
				return -1;
	}
	for (i = 0; i < m->nstages; i++) {
		const struct builtin *b = find_builtin(m->stages[i].id);
		if (!b)
			continue;
		for (j = 0; b->aliases[j]; j++)
			if (index_alias(m, b->aliases[j], i, NULL, err) < 0)
				return -1;
	}
	return 0;
}

static int builtin_stages(lk_model *m, int want_path, int want_detours)
{
	int i, k = m->nstages;
	lk_stage *s = realloc(m->stages, sizeof *s * (size_t)(m->nstages + NBUILTIN));

	if (!s)
		return -1;
	m->stages = s;
	for (i = 0; i < NBUILTIN; i++) {
		if ((builtin[i].detour && !want_detours) || (!builtin[i].detour && !want_path))
			continue;
		/* A model whose path has "lost" takes only the other detours. */
		if (lk_model_stage_id(m, builtin[i].id) >= 0)
			continue;
		memset(&s[k], 0, sizeof s[k]);
		s[k].id = builtin[i].id;
		s[k].detour = builtin[i].detour;
		s[k].order = builtin[i].detour ? -1 : k;
		k++;
	}
	m->nstages = k;
	if (want_path)
		m->npath = 0;
	for (i = 0; i < k; i++)
		if (!s[i].detour)
			m->npath = i + 1;
	return 0;
}

static int valid_id(const char *s)
{
	if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return 0;
	return 1;
}

/* One entry of `stages` or `detours`: an id, or {id, name, aliases, definition}. */
static int load_stage(lk_model *m, yaml_node_t *n, int detour, lk_err *err)
{
	static const char *keys[] = { "id", "name", "aliases", "definition", "exit" };
	lk_stage *s = &m->stages[m->nstages];
	yaml_node_t *al;
	int i;

	memset(s, 0, sizeof *s);
	s->node = n;
	if (n->type == YAML_SCALAR_NODE) {
		s->id = lk_yml_scalar(n);
	} else if (n->type == YAML_MAPPING_NODE) {
		if (lk_yml_check_keys(&m->yml, n, keys, 5, "stage", err) < 0)
			return -1;
		if (lk_yml_get_str(&m->yml, n, "id", 1, &s->id, err) < 0 ||
		    lk_yml_get_str(&m->yml, n, "name", 0, &s->name, err) < 0 ||
		    lk_yml_get_str(&m->yml, n, "definition", 0, &s->definition, err) < 0)
			return -1;
		al = lk_yml_get(&m->yml, n, "aliases", err);
		if (al) {
			int k = lk_yml_strlist(&m->yml, al, &s->aliases, "aliases", err);
			if (k < 0)
				return -1;
			s->naliases = k;
			s->node = al;
		}
	} else {
		return lk_yml_err(&m->yml, n, err, "a stage must be an id or a mapping, not %s",
				  lk_yml_kind(n));
	}
	if (!valid_id(s->id))
		goto bad_id;
	for (i = 0; i < m->nstages; i++)
		if (!strcmp(m->stages[i].id, s->id))
			goto twice;
	s->detour = detour;
	s->order = detour ? -1 : m->nstages;
	m->nstages++;
	return 0;
	/* The stage is not counted yet, so lk_model_free would not see its
	 * aliases: free them here. */
bad_id:
	free(s->aliases);
	s->aliases = NULL;
	return lk_yml_err(&m->yml, n, err,
			  "stage id '%s' must be a word (letters, digits, _ and -)", s->id);
twice:
	free(s->aliases);
	s->aliases = NULL;
	return lk_yml_err(&m->yml, n, err, "stage '%s' is defined twice", s->id);
}

static int load_stage_list(lk_model *m, yaml_node_t *list, int detour,
			   const char *what, lk_err *err)
{
	yaml_node_item_t *it;
	size_t n;

	if (lk_yml_expect(&m->yml, list, YAML_SEQUENCE_NODE, what, err) < 0)
		return -1;
	n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
	{
		lk_stage *s = realloc(m->stages, sizeof *s * ((size_t)m->nstages + n + NBUILTIN));
		if (!s)
			return lk_err_set(err, LK_ENOMEM, "out of memory");
		m->stages = s;
	}
	for (it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
		yaml_node_t *c = lk_yml_node(&m->yml, *it, err);
		if (!c || load_stage(m, c, detour, err) < 0)
			return -1;
	}
	if (!detour && n == 0)
		return lk_yml_err(&m->yml, list, err, "%s must list at least one stage", what);
	return 0;
}

static int add_aliases(lk_model *m, lk_alias **v, int *nv, const char *name,
		       yaml_node_t *list, lk_err *err)
{
	const char **items;
	int k = lk_yml_strlist(&m->yml, list, &items, "aliases", err), i;
	lk_alias *a;

	if (k < 0)
		return -1;
	a = realloc(*v, sizeof *a * (size_t)(*nv + k + 1));
	if (!a) {
		free(items);
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	for (i = 0; i < k; i++) {
		a[*nv].name = name;
		a[*nv].alias = items[i];
		(*nv)++;
	}
	*v = a;
	free(items);
	return 0;
}

/* The names fields.aliases takes besides the canonical lead columns:
 * the activity export's columns (lead-ingest --activities) and the
 * references to a lead in any export (lead_ref: a CRM's id of the
 * lead, lead_name: its name). */
const char *const lk_act_fields[LK_NACT_FIELDS] = {
	"activity", "occurred_at", "detail", "lead_ref", "lead_name"
};

int lk_act_field(const char *name)
{
	int i;

	for (i = 0; i < LK_NACT_FIELDS; i++)
		if (!strcmp(name, lk_act_fields[i]))
			return i;
	return -1;
}

static int load_fields(lk_model *m, yaml_node_t *f, lk_err *err)
{
	static const char *keys[] = { "aliases", "placeholders", "activities",
				      "default_country", "date_order", "tz" };
	yaml_node_t *n;
	yaml_node_pair_t *p;
	const char *s;

	if (lk_yml_expect(&m->yml, f, YAML_MAPPING_NODE, "fields", err) < 0 ||
	    lk_yml_check_keys(&m->yml, f, keys, (int)(sizeof keys / sizeof keys[0]), "fields",
			      err) < 0)
		return -1;
	if ((n = lk_yml_get(&m->yml, f, "aliases", err))) {
		if (lk_yml_expect(&m->yml, n, YAML_MAPPING_NODE, "fields.aliases", err) < 0 ||
		    lk_yml_check_dups(&m->yml, n, err) < 0)
			return -1;
		for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = lk_yml_node(&m->yml, p->key, err);
			yaml_node_t *v = k ? lk_yml_node(&m->yml, p->value, err) : NULL;
			const char *name;
			if (!v)
				return -1;
			name = lk_yml_scalar(k);
			if (lk_canon_index(name) < 0 && lk_act_field(name) < 0) {
				const char *hint = lk_did_you_mean(name, lk_canon, LK_NCANON);
				if (!hint)
					hint = lk_did_you_mean(name, lk_act_fields, LK_NACT_FIELDS);
				return lk_yml_err(&m->yml, k, err,
						  "'%s' is not a canonical column%s%s%s", name,
						  hint ? " (did you mean '" : "",
						  hint ? hint : "", hint ? "'?)" : "");
			}
			if (add_aliases(m, &m->field_aliases, &m->nfield_aliases, name, v, err) < 0)
				return -1;
		}
	}
	if ((n = lk_yml_get(&m->yml, f, "placeholders", err))) {
		int k = lk_yml_strlist(&m->yml, n, &m->placeholders, "placeholders", err);
		if (k < 0)
			return -1;
		m->nplaceholders = k;
	}
	if ((n = lk_yml_get(&m->yml, f, "activities", err))) {
		if (lk_yml_expect(&m->yml, n, YAML_MAPPING_NODE, "fields.activities", err) < 0 ||
		    lk_yml_check_dups(&m->yml, n, err) < 0)
			return -1;
		for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = lk_yml_node(&m->yml, p->key, err);
			yaml_node_t *v = k ? lk_yml_node(&m->yml, p->value, err) : NULL;
			if (!v)
				return -1;
			if (add_aliases(m, &m->activity_aliases, &m->nactivity_aliases,
					lk_yml_scalar(k), v, err) < 0)
				return -1;
		}
	}
	if (lk_yml_get_str(&m->yml, f, "default_country", 0, &m->default_country, err) < 0)
		return -1;
	if (lk_yml_get_str(&m->yml, f, "date_order", 0, &s, err) > 0) {
		if (!strcmp(s, "dmy"))
			m->date_order = LK_DATE_DMY;
		else if (!strcmp(s, "mdy"))
			m->date_order = LK_DATE_MDY;
		else
			return lk_yml_err(&m->yml, lk_yml_get(&m->yml, f, "date_order", err), err,
					  "date_order must be dmy or mdy, not '%s'", s);
	}
	if (lk_yml_get_str(&m->yml, f, "tz", 0, &m->tz, err) > 0) {
		lk_err e;

		if (!(m->zone = lk_tz_load(m->tz, &e)))
			return lk_yml_err(&m->yml, lk_yml_get(&m->yml, f, "tz", err), err,
					  "fields.tz: %s", e.msg);
	}
	return 0;
}

/*
 * plan: {rates: {<stage>: rate}}: the conversion into a success-path
 * stage from the one before it, in (0, 1], that lead-report plan uses
 * instead of the measured one.
 */
static int load_plan(lk_model *m, yaml_node_t *n, lk_err *err)
{
	static const char *keys[] = { "rates" };
	const char **ids;
	yaml_node_pair_t *p;
	yaml_node_t *r;
	int i, rc = 0;

	if (lk_yml_expect(&m->yml, n, YAML_MAPPING_NODE, "plan", err) < 0 ||
	    lk_yml_check_keys(&m->yml, n, keys, 1, "plan", err) < 0)
		return -1;
	if (!(r = lk_yml_get(&m->yml, n, "rates", err)))
		return 0;
	if (lk_yml_expect(&m->yml, r, YAML_MAPPING_NODE, "plan.rates", err) < 0 ||
	    lk_yml_check_dups(&m->yml, r, err) < 0)
		return -1;
	m->plan_rate = calloc((size_t)m->nstages + 1, sizeof *m->plan_rate);
	ids = calloc((size_t)m->npath + 1, sizeof *ids);
	if (!m->plan_rate || !ids) {
		free(ids);
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	for (i = 1; i < m->npath; i++)
		ids[i - 1] = m->stages[i].id;
	for (p = r->data.mapping.pairs.start; rc == 0 && p < r->data.mapping.pairs.top; p++) {
		yaml_node_t *k = lk_yml_node(&m->yml, p->key, err);
		yaml_node_t *v = k ? lk_yml_node(&m->yml, p->value, err) : NULL;
		const char *id = k ? lk_yml_scalar(k) : NULL, *s, *hint;
		double x;
		if (!v) {
			rc = -1;
		} else if (id && lk_model_stage_id(m, id) == 0) {
			rc = lk_yml_err(&m->yml, k, err,
					"plan.rates: '%s' is the first stage, nothing converts into it "
					"(a rate is keyed by the stage it leads to)", id);
		} else if (!id || (i = lk_model_stage_id(m, id)) < 1 || i >= m->npath) {
			hint = id ? lk_did_you_mean(id, ids, m->npath - 1) : NULL;
			rc = lk_yml_err(&m->yml, k, err,
					"plan.rates: '%s' is no success-path stage after the first%s%s%s",
					id ? id : "?", hint ? " (did you mean '" : "",
					hint ? hint : "", hint ? "'?)" : "");
		} else if (!(s = lk_yml_scalar(v)) || lk_yml_parse_num(s, &x) < 0 ||
			   !(x > 0 && x <= 1)) {
			rc = lk_yml_err(&m->yml, v, err,
					"plan.rates: the rate into '%s' must be a number in (0, 1], "
					"not %s%s%s", id, s ? "'" : "", s ? s : lk_yml_kind(v),
					s ? "'" : "");
		} else {
			m->plan_rate[i] = x;
		}
	}
	free(ids);
	return rc;
}

static int load_root(lk_model *m, lk_err *err)
{
	static const char *keys[] = { "stages", "detours", "fields", "scoring", "routing",
				      "nurture", "definitions", "stakeholders", "sla", "plan" };
	static const struct {
		const char *key;
		yaml_node_type_t type;
		size_t off;
	} sections[] = {
		{ "scoring", YAML_MAPPING_NODE, offsetof(lk_model, scoring) },
		{ "routing", YAML_MAPPING_NODE, offsetof(lk_model, routing) },
		{ "nurture", YAML_MAPPING_NODE, offsetof(lk_model, nurture) },
		{ "definitions", YAML_MAPPING_NODE, offsetof(lk_model, definitions) },
		{ "stakeholders", YAML_SEQUENCE_NODE, offsetof(lk_model, stakeholders) },
		{ "sla", YAML_MAPPING_NODE, offsetof(lk_model, sla) },
	};
	yaml_node_t *root = lk_yml_root(&m->yml), *n;
	size_t i;

	if (!root || (root->type == YAML_SCALAR_NODE && !*lk_yml_scalar(root)))
		return lk_err_at(err, m->yml.file, 1, 1,
				 "the model is empty (it needs at least a 'stages' or "
				 "'scoring' section)");
	if (root->type != YAML_MAPPING_NODE)
		return lk_yml_err(&m->yml, root, err,
				  "valid YAML but not a mapping: the model must be a mapping "
				  "of sections (stages, scoring, ...), not %s", lk_yml_kind(root));
	if (lk_yml_check_keys(&m->yml, root, keys, 10, "the model", err) < 0)
		return -1;
	if ((n = lk_yml_get(&m->yml, root, "stages", err))) {
		if (load_stage_list(m, n, 0, "stages", err) < 0)
			return -1;
		m->npath = m->nstages;
	} else if (builtin_stages(m, 1, 0) < 0) {
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	if ((n = lk_yml_get(&m->yml, root, "detours", err))) {
		if (load_stage_list(m, n, 1, "detours", err) < 0)
			return -1;
	} else if (builtin_stages(m, 0, 1) < 0) {
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	if ((n = lk_yml_get(&m->yml, root, "fields", err)) && load_fields(m, n, err) < 0)
		return -1;
	for (i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		n = lk_yml_get(&m->yml, root, sections[i].key, err);
		if (!n)
			continue;
		if (lk_yml_expect(&m->yml, n, sections[i].type, sections[i].key, err) < 0)
			return -1;
		*(yaml_node_t **)((char *)m + sections[i].off) = n;
	}
	if ((n = lk_yml_get(&m->yml, root, "plan", err)) && load_plan(m, n, err) < 0)
		return -1;
	if (m->yml.visits > m->yml.budget)
		return -1;
	return build_index(m, err);
}

static lk_model *finish(lk_model *m, int rc)
{
	if (rc < 0) {
		lk_model_free(m);
		return NULL;
	}
	return m;
}

lk_model *lk_model_load(const char *path, lk_err *err)
{
	lk_model *m = calloc(1, sizeof *m);

	if (!m) {
		lk_err_set(err, LK_ENOMEM, "out of memory");
		return NULL;
	}
	if (!path) {
		snprintf(m->path, sizeof m->path, "(built-in)");
		if (builtin_stages(m, 1, 1) < 0)
			return finish(m, lk_err_set(err, LK_ENOMEM, "out of memory"));
		return finish(m, build_index(m, err));
	}
	snprintf(m->path, sizeof m->path, "%s", path);
	if (lk_yml_load(&m->yml, path, err) < 0)
		return finish(m, -1);
	m->has_file = 1;
	return finish(m, load_root(m, err));
}

lk_model *lk_model_load_mem(const char *name, const char *text, size_t len, lk_err *err)
{
	lk_model *m = calloc(1, sizeof *m);

	if (!m) {
		lk_err_set(err, LK_ENOMEM, "out of memory");
		return NULL;
	}
	snprintf(m->path, sizeof m->path, "%s", name);
	if (lk_yml_load_mem(&m->yml, name, text, len, err) < 0)
		return finish(m, -1);
	m->has_file = 1;
	return finish(m, load_root(m, err));
}

int lk_model_set_tz(lk_model *m, const char *name, lk_err *err)
{
	lk_tz *z = lk_tz_load(name, err);

	if (!z)
		return -1;
	lk_tz_free(m->zone);
	m->zone = z;
	m->tz = name;
	return 0;
}

void lk_model_free(lk_model *m)
{
	int i;

	if (!m)
		return;
	for (i = 0; i < m->nstages; i++)
		if (m->stages[i].node)
			free(m->stages[i].aliases);
	free(m->stages);
	lk_tz_free(m->zone);
	free(m->field_aliases);
	free(m->placeholders);
	free(m->activity_aliases);
	free(m->plan_rate);
	lk_hash_free(m->stage_index);
	lk_yml_free(&m->yml);
	free(m);
}

int lk_model_stage(const lk_model *m, const char *s, size_t len)
{
	lk_buf k = LK_BUF_INIT;
	char small[128];
	void *v;

	/* Stack copy for the common short value; lk_buf only when long. */
	if (len < sizeof small) {
		size_t i, o = 0;
		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)s[i];
			if (isalnum(c))
				small[o++] = (char)tolower(c);
			else if (c >= 0x80)
				small[o++] = (char)c;
		}
		if (o == 0)
			return -1;
		v = lk_hash_get(m->stage_index, small, o);
	} else {
		lk_loose_key(s, len, &k);
		v = k.len ? lk_hash_get(m->stage_index, k.data, k.len) : NULL;
		lk_buf_free(&k);
	}
	return v ? (int)(intptr_t)v - 1 : -1;
}

int lk_model_stage_id(const lk_model *m, const char *id)
{
	int i;

	for (i = 0; i < m->nstages; i++)
		if (!strcmp(m->stages[i].id, id))
			return i;
	return -1;
}

int lk_model_missing(const lk_model *m, const char *section, const char *what, lk_err *err)
{
	if (m->has_file)
		lk_err_at(err, m->path, 0, 0, "no '%s' section in the model", section);
	else
		lk_err_set(err, LK_EMODEL, "no model file, so no %s: "
			   "name one with -m FILE or $LEAD_MODEL", what);
	err->kind = LK_EMODEL;
	return -1;
}

const char *lk_model_path(const char *opt)
{
	const char *env;

	if (opt)
		return opt;
	env = getenv("LEAD_MODEL");
	if (env && *env)
		return env;
	if (access("lead.yaml", R_OK) == 0)
		return "lead.yaml";
	return NULL;
}

int lk_model_good_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.'))
			return 0;
	return 1;
}
