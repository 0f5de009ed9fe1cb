/* Unit tests for lib/model: the built-in stages and the aliases CRMs use,
 * a model with stages, detours and fields, and every load error with its
 * exact file:line:col message (positions counted by hand from the text,
 * 1-based), including alias bombs and alias cycles. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "model/model.h"

#define LOAD(lit, e) lk_model_load_mem("m.yaml", lit, sizeof(lit) - 1, e)

static int stage_of(const lk_model *m, const char *s)
{
	return lk_model_stage(m, s, strlen(s));
}

static const char *stage_name(const lk_model *m, const char *s)
{
	int i = stage_of(m, s);

	return i < 0 ? "(none)" : m->stages[i].id;
}

static void check_builtin(const lk_model *m)
{
	static const char *path[] = { "inquiry", "mql", "sal", "sql", "opportunity", "won" };
	static const char *detours[] = { "recycled", "disqualified", "lost" };
	int i;

	ck_assert_int_eq(m->nstages, 9);
	ck_assert_int_eq(m->npath, 6);
	for (i = 0; i < 6; i++) {
		ck_assert_str_eq(m->stages[i].id, path[i]);
		ck_assert_int_eq(m->stages[i].detour, 0);
		ck_assert_int_eq(m->stages[i].order, i);
		ck_assert_int_eq(lk_model_stage_id(m, path[i]), i);
	}
	for (i = 0; i < 3; i++) {
		ck_assert_str_eq(m->stages[6 + i].id, detours[i]);
		ck_assert_int_eq(m->stages[6 + i].detour, 1);
		ck_assert_int_eq(m->stages[6 + i].order, -1);
	}
	/* HubSpot lifecycle stages, Salesforce statuses, Marketo stages. */
	ck_assert_str_eq(stage_name(m, "Marketing Qualified Lead"), "mql");
	ck_assert_str_eq(stage_name(m, "marketingqualifiedlead"), "mql");
	ck_assert_str_eq(stage_name(m, "MQL"), "mql");
	ck_assert_str_eq(stage_name(m, "Closed - Converted"), "won");
	ck_assert_str_eq(stage_name(m, "customer"), "won");
	ck_assert_str_eq(stage_name(m, "subscriber"), "inquiry");
	ck_assert_str_eq(stage_name(m, "Open - Not Contacted"), "inquiry");
	ck_assert_str_eq(stage_name(m, "  SalesQualifiedLead "), "sql");
	ck_assert_str_eq(stage_name(m, "Closed Lost"), "lost");
	ck_assert_str_eq(stage_name(m, "Unqualified"), "disqualified");
	ck_assert_str_eq(stage_name(m, "opportunity"), "opportunity");
	ck_assert_int_eq(stage_of(m, "banana"), -1);
	ck_assert_int_eq(stage_of(m, ""), -1);
	ck_assert_int_eq(stage_of(m, " - "), -1);
	ck_assert_int_eq(lk_model_stage_id(m, "MQL"), -1);	/* ids are exact */
	/* Only the given length counts. */
	ck_assert_int_eq(lk_model_stage(m, "mqlx", 3), 1);
}

START_TEST(builtin_model)
{
	lk_err e;
	lk_model *m = lk_model_load(NULL, &e);

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->has_file, 0);
	check_builtin(m);
	ck_assert_ptr_null(m->placeholders);
	ck_assert_int_eq(m->nfield_aliases, 0);
	ck_assert_int_eq(m->date_order, LK_DATE_AUTO);
	lk_model_free(m);
	lk_model_free(NULL);
}
END_TEST

/* A model file without stages or detours keeps the built-in ones. */
START_TEST(model_without_stages_keeps_builtin)
{
	lk_err e;
	lk_model *m = LOAD("scoring:\n  grades: {A: 40}\n", &e);

	ck_assert_msg(m != NULL, "load failed: %s", e.msg);
	ck_assert_int_eq(m->has_file, 1);
	check_builtin(m);
	ck_assert_ptr_nonnull(m->scoring);
	ck_assert_int_eq(m->scoring->type, YAML_MAPPING_NODE);
	ck_assert_ptr_null(m->routing);
	lk_model_free(m);
}
END_TEST

/* A stage value longer than the stack copy in lk_model_stage. */
START_TEST(long_stage_values)
{
	lk_err e;
	lk_model *m = lk_model_load(NULL, &e);
	char buf[400];

	memset(buf, ' ', sizeof buf);
	memcpy(buf + 300, "Marketing Qualified Lead", 24);
	ck_assert_int_eq(lk_model_stage(m, buf, sizeof buf), 1);
	memset(buf, 'x', sizeof buf);
	ck_assert_int_eq(lk_model_stage(m, buf, sizeof buf), -1);
	lk_model_free(m);
}
END_TEST

static const char full_model[] =
	"# The written process.\n"
	"stages:\n"
	"  - {id: inquiry, aliases: [subscriber, \"Open - Not Contacted\"]}\n"
	"  - id: mql\n"
	"    name: Marketing Qualified\n"
	"    definition: score >= 60 and grade A or B\n"
	"    aliases: [marketingqualifiedlead, lead]\n"
	"  - sal\n"
	"  - {id: won, aliases: [customer, \"Closed - Converted\"]}\n"
	"detours: [recycled, {id: junk, aliases: spam}]\n"
	"fields:\n"
	"  aliases:\n"
	"    email: [\"E-mail\", Work Email]\n"
	"    lead_id: Record ID\n"
	"  placeholders: [tbd, \"-\"]\n"
	"  activities:\n"
	"    webinar_attended: [Attended Webinar, webinar]\n"
	"  default_country: US\n"
	"  date_order: dmy\n"
	"scoring: {fit: []}\n"
	"definitions: {lead: someone who asked}\n"
	"stakeholders: [{team: marketing}]\n"
	"sla: {}\n";

START_TEST(model_with_stages_detours_fields)
{
	lk_err e;
	lk_model *m = lk_model_load_mem("m.yaml", full_model, sizeof full_model - 1, &e);
	int i;

	ck_assert_msg(m != NULL, "load failed: %s", e.msg);
	ck_assert_int_eq(m->nstages, 6);
	ck_assert_int_eq(m->npath, 4);
	{
		static const char *ids[] = { "inquiry", "mql", "sal", "won", "recycled", "junk" };
		for (i = 0; i < 6; i++) {
			ck_assert_str_eq(m->stages[i].id, ids[i]);
			ck_assert_int_eq(m->stages[i].detour, i >= 4);
			ck_assert_int_eq(m->stages[i].order, i >= 4 ? -1 : i);
			ck_assert_ptr_nonnull(m->stages[i].node);
		}
	}
	ck_assert_str_eq(m->stages[1].name, "Marketing Qualified");
	ck_assert_str_eq(m->stages[1].definition, "score >= 60 and grade A or B");
	ck_assert_int_eq(m->stages[1].naliases, 2);
	ck_assert_str_eq(m->stages[1].aliases[1], "lead");
	ck_assert_ptr_null(m->stages[2].name);
	ck_assert_int_eq(m->stages[2].naliases, 0);
	ck_assert_int_eq(m->stages[5].naliases, 1);	/* a single value is a list of one */
	ck_assert_str_eq(m->stages[5].aliases[0], "spam");

	/* The model's aliases, then the built-in aliases of built-in ids. */
	ck_assert_str_eq(stage_name(m, "Closed - Converted"), "won");
	ck_assert_str_eq(stage_name(m, "closed won"), "won");
	ck_assert_str_eq(stage_name(m, "SPAM"), "junk");
	ck_assert_str_eq(stage_name(m, "Marketing Qualified Lead"), "mql");
	ck_assert_str_eq(stage_name(m, "Sales Accepted"), "sal");
	ck_assert_str_eq(stage_name(m, "nurture"), "recycled");
	/* The model's own alias wins over the built-in one ("lead" is a
	 * built-in inquiry alias; this model says it means mql). */
	ck_assert_str_eq(stage_name(m, "Lead"), "mql");
	/* Stages the model does not have mean nothing. */
	ck_assert_int_eq(stage_of(m, "opportunity"), -1);
	ck_assert_int_eq(stage_of(m, "disqualified"), -1);
	ck_assert_int_eq(stage_of(m, "Closed Lost"), -1);
	ck_assert_int_eq(lk_model_stage_id(m, "junk"), 5);

	ck_assert_int_eq(m->nfield_aliases, 3);
	ck_assert_str_eq(m->field_aliases[0].name, "email");
	ck_assert_str_eq(m->field_aliases[0].alias, "E-mail");
	ck_assert_str_eq(m->field_aliases[1].name, "email");
	ck_assert_str_eq(m->field_aliases[1].alias, "Work Email");
	ck_assert_str_eq(m->field_aliases[2].name, "lead_id");
	ck_assert_str_eq(m->field_aliases[2].alias, "Record ID");
	ck_assert_int_eq(m->nplaceholders, 2);
	ck_assert_str_eq(m->placeholders[0], "tbd");
	ck_assert_str_eq(m->placeholders[1], "-");
	ck_assert_int_eq(m->nactivity_aliases, 2);
	ck_assert_str_eq(m->activity_aliases[0].name, "webinar_attended");
	ck_assert_str_eq(m->activity_aliases[0].alias, "Attended Webinar");
	ck_assert_str_eq(m->activity_aliases[1].alias, "webinar");
	ck_assert_str_eq(m->default_country, "US");
	ck_assert_int_eq(m->date_order, LK_DATE_DMY);
	ck_assert_ptr_nonnull(m->scoring);
	ck_assert_ptr_nonnull(m->definitions);
	ck_assert_ptr_nonnull(m->stakeholders);
	ck_assert_ptr_nonnull(m->sla);
	ck_assert_ptr_null(m->routing);
	ck_assert_ptr_null(m->nurture);
	lk_model_free(m);
}
END_TEST

/* The same checks when the model comes from a file. */
START_TEST(loads_from_a_file)
{
	char path[] = "/tmp/lk-model-XXXXXX";
	static const char bad_text[] = "stages:\n  - inquiry\n  - mql: x: y\n";
	lk_err e;
	char msg[1200];
	lk_model *m;
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fwrite(full_model, 1, sizeof full_model - 1, f);
	fclose(f);
	m = lk_model_load(path, &e);
	ck_assert_msg(m != NULL, "load failed: %s", e.msg);
	ck_assert_int_eq(m->nstages, 6);
	ck_assert_str_eq(m->path, path);
	ck_assert_str_eq(stage_name(m, "spam"), "junk");
	lk_model_free(m);
	f = fopen(path, "w");
	fwrite(bad_text, 1, sizeof bad_text - 1, f);
	fclose(f);
	ck_assert_ptr_null(lk_model_load(path, &e));
	{
		char want[1200];
		snprintf(want, sizeof want, "%s:3:11: mapping values are not allowed in this context",
			 path);
		ck_assert_str_eq(lk_err_str(&e, msg, sizeof msg), want);
	}
	unlink(path);
	ck_assert_ptr_null(lk_model_load("/nonexistent/lead.yaml", &e));
	ck_assert_str_eq(lk_err_str(&e, msg, sizeof msg),
			 "/nonexistent/lead.yaml: No such file or directory");
}
END_TEST

/* A path that uses a built-in detour's id takes only the other detours:
 * no stage is defined twice. */
START_TEST(path_stage_named_like_a_detour)
{
	lk_err e;
	lk_model *m = LOAD("stages: [new, won, lost]\n", &e);

	ck_assert_msg(m != NULL, "load failed: %s", e.msg);
	ck_assert_int_eq(m->npath, 3);
	ck_assert_int_eq(m->nstages, 5);
	ck_assert_str_eq(m->stages[2].id, "lost");
	ck_assert_int_eq(m->stages[2].detour, 0);
	ck_assert_str_eq(m->stages[3].id, "recycled");
	ck_assert_str_eq(m->stages[4].id, "disqualified");
	ck_assert_int_eq(lk_model_stage_id(m, "lost"), 2);
	ck_assert_str_eq(stage_name(m, "Closed Lost"), "lost");
	lk_model_free(m);
}
END_TEST

/* fields.tz loads the zone; a tool's --tz replaces it. */
START_TEST(fields_tz)
{
	lk_err e;
	lk_model *m = LOAD("fields: {tz: Europe/Berlin}\n", &e);

	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->tz, "Europe/Berlin");
	ck_assert_str_eq(lk_tz_name(m->zone), "Europe/Berlin");
	/* 2026-07-01T10:00:00Z: summer time, two hours east. */
	ck_assert_int_eq(lk_tz_offset(m->zone, 1782900000), 7200);
	ck_assert_int_eq(lk_model_set_tz(m, "-05:00", &e), 0);
	ck_assert_str_eq(m->tz, "-05:00");
	ck_assert_int_eq(lk_tz_offset(m->zone, 1782900000), -18000);
	ck_assert_int_eq(lk_model_set_tz(m, "Nowhere/Atlantis", &e), -1);
	ck_assert_str_eq(m->tz, "-05:00");
	lk_model_free(m);
	m = LOAD("stages: [a]\n", &e);
	ck_assert_ptr_null(m->tz);
	ck_assert_ptr_null(m->zone);
	lk_model_free(m);
}
END_TEST

START_TEST(date_order_mdy)
{
	lk_err e;
	lk_model *m = LOAD("fields: {date_order: mdy}\n", &e);

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->date_order, LK_DATE_MDY);
	lk_model_free(m);
}
END_TEST

/* Every refused model, with the message a user sees after "prog: ". */
static const struct bad {
	const char *yaml;
	const char *want;
} bad[] = {
	/* Unknown top-level key, with a did-you-mean (a transposition). */
	{ "# model\ndetours: [lost]\nstagse:\n  - inquiry\n",
	  "m.yaml:3:1: unknown key 'stagse' in the model (did you mean 'stages'?)" },
	{ "scoring: {}\ncolour: red\n",
	  "m.yaml:2:1: unknown key 'colour' in the model (known keys: stages, detours, "
	  "fields, scoring, routing, nurture, definitions, stakeholders, sla, plan)" },
	/* Unknown keys in a stage mapping, flow and block style. */
	{ "stages:\n  - {id: mql, alaises: [x]}\n",
	  "m.yaml:2:15: unknown key 'alaises' in stage (did you mean 'aliases'?)" },
	{ "stages:\n  - id: mql\n    nmae: MQL\n",
	  "m.yaml:3:5: unknown key 'nmae' in stage (did you mean 'name'?)" },
	/* Duplicate keys: top level, in a stage, in fields.aliases. */
	{ "stages: [inquiry]\ndetours: [lost]\nstages: [mql]\n",
	  "m.yaml:3:1: duplicate key 'stages' (first at line 1)" },
	{ "stages:\n  - id: a\n    name: A\n    id: b\n",
	  "m.yaml:4:5: duplicate key 'id' (first at line 2)" },
	{ "fields:\n  aliases:\n    email: [a]\n    email: [b]\n",
	  "m.yaml:4:5: duplicate key 'email' (first at line 3)" },
	/* Duplicate stage ids, on the path and between path and detours. */
	{ "stages:\n  - inquiry\n  - mql\n  - inquiry\n",
	  "m.yaml:4:5: stage 'inquiry' is defined twice" },
	{ "stages: [a, b]\ndetours: [b]\n",
	  "m.yaml:2:11: stage 'b' is defined twice" },
	/* One alias naming two stages (compared loosely), reported at the
	 * second stage's aliases. */
	{ "stages:\n  - {id: mql, aliases: [hot]}\n  - {id: sql, aliases: [\"HOT\"]}\n",
	  "m.yaml:3:24: alias 'HOT' of stage 'sql' already names stage 'mql'" },
	{ "stages:\n  - mql\n  - {id: sql, aliases: [M.Q.L.]}\n",
	  "m.yaml:3:24: alias 'M.Q.L.' of stage 'sql' already names stage 'mql'" },
	/* Bad date_order, at its value. */
	{ "fields:\n  date_order: ymd\n",
	  "m.yaml:2:15: date_order must be dmy or mdy, not 'ymd'" },
	/* A time zone the system does not have, at its value, with the
	 * closest name of its folder. */
	{ "fields:\n  tz: America/New_Yrok\n",
	  "m.yaml:2:7: fields.tz: unknown time zone 'America/New_Yrok' (did you mean "
	  "'America/New_York'?)" },
	{ "fields: {tz: \"+5\"}\n",
	  "m.yaml:1:14: fields.tz: bad time zone offset '+5' (expected +HH:MM or +HHMM, "
	  "e.g. +02:00 or -0530)" },
	/* fields.aliases for a column that is not canonical. */
	{ "fields:\n  aliases:\n    emial: [E-mail]\n",
	  "m.yaml:3:5: 'emial' is not a canonical column (did you mean 'email'?)" },
	{ "fields:\n  aliases:\n    favourite_colour: [Colour]\n",
	  "m.yaml:3:5: 'favourite_colour' is not a canonical column" },
	{ "fields:\n  colour: x\n",
	  "m.yaml:2:3: unknown key 'colour' in fields (known keys: aliases, placeholders, "
	  "activities, default_country, date_order, tz)" },
	/* Empty models. */
	{ "", "m.yaml:1:1: the model is empty (it needs at least a 'stages' or "
	      "'scoring' section)" },
	{ "# nothing but a comment\n\n", "m.yaml:1:1: the model is empty (it needs at "
	  "least a 'stages' or 'scoring' section)" },
	{ "---\n", "m.yaml:1:1: the model is empty (it needs at least a 'stages' or "
	  "'scoring' section)" },
	/* Valid YAML that is not a mapping of sections. */
	{ "stages\n", "m.yaml:1:1: valid YAML but not a mapping: the model must be a "
	  "mapping of sections (stages, scoring, ...), not a value" },
	{ "\n- stages\n- scoring\n", "m.yaml:2:1: valid YAML but not a mapping: the model "
	  "must be a mapping of sections (stages, scoring, ...), not a list" },
	/* YAML syntax errors at the position libyaml finds them. */
	{ "stages:\n  - inquiry\n  - mql: x: y\n",
	  "m.yaml:3:11: mapping values are not allowed in this context" },
	{ "stages: [inquiry, mql\n",
	  "m.yaml:2:1: did not find expected ',' or ']' while parsing a flow sequence" },
	/* libyaml's reader errors carry a byte offset, placed by line and column. */
	{ "stages:\n  - a\n  - b\xff\n", "m.yaml:3:6: invalid leading UTF-8 octet" },
	{ "stages: [a\x01]\n", "m.yaml:1:11: control characters are not allowed" },
	/* One document: a second would be ignored silently, errors and all. */
	{ "stages: [a]\n---\nscoring: {}\n",
	  "m.yaml:3:1: a second YAML document starts here; the model must be one document" },
	{ "stages: [a]\n---\nx: [y\n",
	  "m.yaml:4:1: did not find expected ',' or ']' while parsing a flow sequence" },
	/* Shapes. */
	{ "stages: []\n", "m.yaml:1:9: stages must list at least one stage" },
	{ "stages: inquiry\n", "m.yaml:1:9: stages must be a list, not a value" },
	{ "stages:\n  - {name: MQL}\n", "m.yaml:2:5: missing key 'id'" },
	{ "stages:\n  - [a, b]\n",
	  "m.yaml:2:5: a stage must be an id or a mapping, not a list" },
	{ "stages: [\"two words\"]\n",
	  "m.yaml:1:10: stage id 'two words' must be a word (letters, digits, _ and -)" },
	{ "stages:\n  - {id: \"a b\", aliases: [x]}\n",
	  "m.yaml:2:5: stage id 'a b' must be a word (letters, digits, _ and -)" },
	{ "stages:\n  - a\n  - {id: a, aliases: [x, y]}\n",
	  "m.yaml:3:5: stage 'a' is defined twice" },
	{ "stages:\n  - {id: a, aliases: {x: y}}\n",
	  "m.yaml:2:22: aliases must be a list of values, not a mapping" },
	{ "scoring: [a]\n", "m.yaml:1:10: scoring must be a mapping, not a list" },
	{ "stakeholders: {a: b}\n",
	  "m.yaml:1:15: stakeholders must be a list, not a mapping" },
	{ "stages: [a]\n{x: 1}: y\n", "m.yaml:2:1: mapping keys must be plain values" },
	/* An alias cycle: libyaml registers an anchor before its children,
	 * so a list can contain itself.  It is refused by its shape, at
	 * the anchored node. */
	{ "stages: &s [inquiry, *s]\n",
	  "m.yaml:1:9: a stage must be an id or a mapping, not a list" },
	{ "stages:\n  - {id: a, aliases: &l [x, *l]}\n",
	  "m.yaml:2:22: aliases must be a list of values, not of a list" },
	{ "stages:\n  - &m {id: a, aliases: *m}\n",
	  "m.yaml:2:5: aliases must be a list of values, not a mapping" },
};

START_TEST(refuses_bad_models)
{
	const struct bad *b = &bad[_i];
	lk_err e;
	char msg[1200];
	lk_model *m;

	lk_err_clear(&e);
	m = lk_model_load_mem("m.yaml", b->yaml, strlen(b->yaml), &e);
	ck_assert_msg(m == NULL, "model %d loaded: %s", _i, b->yaml);
	ck_assert_int_eq(e.kind, LK_EMODEL);
	ck_assert_str_eq(lk_err_str(&e, msg, sizeof msg), b->want);
}
END_TEST

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The classic billion laughs, under `stages:` in the aliases of stages:
 * nine levels of nine references (9^9 strings if expanded).  libyaml
 * shares aliased nodes, and the loader refuses the first list of lists
 * without walking it: the error points at the anchored list. */
START_TEST(refuses_billion_laughs)
{
	static const char bomb[] =
		"stages:\n"
		"  - {id: a, aliases: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]}\n"
		"  - {id: b, aliases: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]}\n"
		"  - {id: c, aliases: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]}\n"
		"  - {id: d, aliases: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]}\n"
		"  - {id: e, aliases: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]}\n"
		"  - {id: f, aliases: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]}\n"
		"  - {id: g, aliases: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]}\n"
		"  - {id: h, aliases: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]}\n"
		"  - {id: i, aliases: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]}\n";
	static const char bomb2[] =
		"stages:\n"
		"  - &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
		"  - &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"  - &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"  - &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"  - &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"  - &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
		"  - &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
	lk_err e;
	char msg[1200];
	double t0 = now_s();
	lk_model *m = lk_model_load_mem("m.yaml", bomb, sizeof bomb - 1, &e);

	ck_assert_ptr_null(m);
	ck_assert_str_eq(lk_err_str(&e, msg, sizeof msg),
			 "m.yaml:2:22: aliases must be a list of values, not of a list");
	m = lk_model_load_mem("m.yaml", bomb2, sizeof bomb2 - 1, &e);
	ck_assert_ptr_null(m);
	ck_assert_str_eq(lk_err_str(&e, msg, sizeof msg),
			 "m.yaml:2:5: a stage must be an id or a mapping, not a list");
	ck_assert_msg(now_s() - t0 < 1.0, "bombs took %.2f s", now_s() - t0);
}
END_TEST

/* A flat fan-out the shapes allow: one anchored list of 2000 values used
 * as the aliases of 300 stages (600,000 visits from 10 KB of text).  The
 * visit budget refuses it quickly. */
START_TEST(refuses_wide_alias_fanout)
{
	lk_buf y = LK_BUF_INIT;
	lk_err e;
	char msg[1200];
	double t0;
	lk_model *m;
	int i;

	lk_buf_adds(&y, "stages:\n  - {id: s0, aliases: &l [");
	for (i = 0; i < 2000; i++)
		lk_buf_adds(&y, i ? ", \"-\"" : "\"-\"");
	lk_buf_adds(&y, "]}\n");
	for (i = 1; i < 300; i++)
		lk_buf_addf(&y, "  - {id: s%d, aliases: *l}\n", i);
	t0 = now_s();
	m = lk_model_load_mem("m.yaml", y.data, y.len, &e);
	ck_assert_ptr_null(m);
	ck_assert_str_eq(lk_err_str(&e, msg, sizeof msg),
			 "m.yaml:1:1: model too large: more than 200000 nodes visited "
			 "(an alias bomb or alias cycle?)");
	ck_assert_msg(now_s() - t0 < 1.0, "fan-out took %.2f s", now_s() - t0);
	lk_buf_free(&y);
}
END_TEST

START_TEST(loose_key)
{
	lk_buf b = LK_BUF_INIT;

	lk_loose_key("Country/Region", 14, &b);
	ck_assert_str_eq(b.data, "countryregion");
	lk_loose_key("country_region", 14, &b);
	ck_assert_str_eq(b.data, "countryregion");
	lk_loose_key("Größe", strlen("Größe"), &b);	/* bytes >= 0x80 kept */
	ck_assert_str_eq(b.data, "gr\xc3\xb6\xc3\x9f" "e");
	lk_loose_key("--", 2, &b);
	ck_assert_str_eq(lk_buf_str(&b), "");
	lk_buf_free(&b);
}
END_TEST

START_TEST(canon_columns)
{
	ck_assert_int_eq(lk_canon_index("lead_id"), 0);
	ck_assert_int_eq(lk_canon_index("last_activity_at"), 16);
	/* The consent columns come last, after the seventeen older ones. */
	ck_assert_int_eq(lk_canon_index("email_opt_out"), 17);
	ck_assert_int_eq(lk_canon_index("do_not_call"), 18);
	ck_assert_int_eq(lk_canon_index("email_bounced"), LK_NCANON - 1);
	ck_assert_int_eq(lk_canon_index("Email"), -1);
	ck_assert_str_eq(lk_canon[11], "stage");
}
END_TEST

Suite *lk_suite_model(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("load");

	tcase_add_test(tc, builtin_model);
	tcase_add_test(tc, model_without_stages_keeps_builtin);
	tcase_add_test(tc, long_stage_values);
	tcase_add_test(tc, model_with_stages_detours_fields);
	tcase_add_test(tc, date_order_mdy);
	tcase_add_test(tc, fields_tz);
	tcase_add_test(tc, path_stage_named_like_a_detour);
	tcase_add_test(tc, loads_from_a_file);
	tcase_add_test(tc, loose_key);
	tcase_add_test(tc, canon_columns);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_loop_test(tc, refuses_bad_models, 0, (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(tc, refuses_billion_laughs);
	tcase_add_test(tc, refuses_wide_alias_fanout);
	suite_add_tcase(s, tc);
	return s;
}
