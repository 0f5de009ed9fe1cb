/*
 * model.h - the lead model: one YAML file that is the written process.
 *
 * Every tool reads the same file (lead-model(5)).  This module loads the
 * sections all tools share and keeps the others as checked YAML nodes
 * for the modules that own them (scoring, routing, nurture):
 *
 *   stages       ordered success path: ids, aliases, names, definitions
 *   detours      off-path stages (recycled, disqualified, lost)
 *   fields       header aliases, placeholders, activity aliases, defaults,
 *                the time zone of naive timestamps (tz, loaded as zone)
 *   plan         given conversion rates (plan_rate below)
 *   definitions, stakeholders, sla, scoring, routing, nurture
 *
 * Unknown keys anywhere are errors at file:line:col with a did-you-mean,
 * because a typo in a model must never pass silently.  Without a file
 * the model holds built-in stages (inquiry, mql, sal, sql, opportunity,
 * won; detours recycled, disqualified, lost) with the aliases CRMs use.
 *
 * Ownership: the model owns everything it points to (strings point into
 * its YAML document or into static tables); all of it lives until
 * lk_model_free().
 */
#ifndef LK_MODEL_H
#define LK_MODEL_H

#include <stddef.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "core/hash.h"
#include "core/yml.h"

/*
 * The canonical lead columns lead-ingest produces, in output order.
 * The consent columns email_opt_out, do_not_call and email_bounced
 * (consent.h) come last, together: the seventeen columns before them
 * keep the places they have always had, so a script that cuts columns
 * by position keeps working, and the three that say what a lead must
 * not get read as one block.
 */
#define LK_NCANON 20
extern const char *const lk_canon[LK_NCANON];
/* Index of a canonical column name, or -1. */
int lk_canon_index(const char *name);

/* The other names fields.aliases takes: the activity columns activity,
 * occurred_at and detail, and lead_ref and lead_name (a reference to
 * the lead by a CRM id or by name, resolved by lead-ingest --link). */
#define LK_NACT_FIELDS 5
extern const char *const lk_act_fields[LK_NACT_FIELDS];
/* Index of such a name, or -1. */
int lk_act_field(const char *name);

typedef struct lk_stage {
	const char *id;			/* canonical id ("mql") */
	const char *name;		/* display name, or NULL */
	const char *definition;		/* what it means here, or NULL */
	const char **aliases;		/* values that mean this stage */
	int naliases;
	int detour;			/* 1: off the success path */
	int order;			/* position on the path (detours: -1) */
	const yaml_node_t *node;	/* where the model defines it; NULL: built-in */
} lk_stage;

typedef struct lk_alias {
	const char *name;		/* canonical column or activity name */
	const char *alias;		/* header or value that means it */
} lk_alias;

typedef struct lk_model {
	lk_yml yml;			/* the document; empty without a file */
	int has_file;
	char path[256];

	lk_stage *stages;		/* success path first, then detours */
	int nstages;
	int npath;			/* stages[0..npath) are the success path */
	lk_hash *stage_index;		/* normalised alias -> stage index + 1 */

	lk_alias *field_aliases;	/* fields.aliases */
	int nfield_aliases;
	const char **placeholders;	/* fields.placeholders, NULL: built-in list */
	int nplaceholders;
	lk_alias *activity_aliases;	/* fields.activities */
	int nactivity_aliases;
	const char *default_country;	/* fields.default_country, or NULL */
	lk_date_order date_order;	/* fields.date_order */
	const char *tz;			/* fields.tz: the name of the zone naive
					 * timestamps are read in, or NULL: UTC */
	lk_tz *zone;			/* that zone, loaded (owned); NULL: UTC */

	/* plan.rates: per stage, the conversion into it from the previous
	 * path stage, in (0, 1]; 0 when not given.  NULL: none given. */
	double *plan_rate;

	/* Sections owned by other modules, checked to be mappings/lists. */
	yaml_node_t *scoring, *routing, *nurture, *definitions, *stakeholders, *sla;
} lk_model;

/* Load a model file; NULL path: the built-in model.  NULL with err on
 * any error (exit 2 material). */
lk_model *lk_model_load(const char *path, lk_err *err);
/* Load from memory (tests, fuzzing); `name` appears in messages. */
lk_model *lk_model_load_mem(const char *name, const char *text, size_t len, lk_err *err);
void lk_model_free(lk_model *m);
/*
 * Read naive timestamps in the zone `name` instead of fields.tz (a
 * tool's --tz): m->zone is replaced and m->tz points to `name`, which
 * must outlive the model.  -1 with err (LK_EUSAGE: unknown zone, its
 * closest name) and the model unchanged.
 */
int lk_model_set_tz(lk_model *m, const char *name, lk_err *err);

/*
 * The stage a CRM value means ("Marketing Qualified Lead", "MQL",
 * "marketingqualifiedlead" -> mql): matched on lower-case letters and
 * digits only.  Returns the stage index or -1.
 */
int lk_model_stage(const lk_model *m, const char *s, size_t len);
/* Index of a stage id, or -1. */
int lk_model_stage_id(const lk_model *m, const char *id);

/* Lower-case letters and digits of s, for loose matching of names. */
void lk_loose_key(const char *s, size_t len, lk_buf *out);

/*
 * The error for a tool whose section is missing: "no 'SECTION' section
 * in the model" at the model file, or, without a model file, "no model
 * file, so no WHAT".  Always returns -1 (LK_EMODEL).
 */
int lk_model_missing(const lk_model *m, const char *section, const char *what, lk_err *err);

/*
 * Resolve the model path the way every tool does: the -m option, else
 * $LEAD_MODEL, else ./lead.yaml if it exists, else NULL (built-in).
 */
const char *lk_model_path(const char *opt);

/*
 * 1 when `s` is a good name for a rule, a pool or a rep: one or more
 * ASCII letters, digits, '_', '-' or '.'.  Such names appear in the
 * score_reasons, route_rule and owner columns, so they keep to an
 * alphabet that needs no quoting.
 */
int lk_model_good_name(const char *s);

/*
 * One activity of one lead, as score/activity's table and keyed join hand
 * it to the per-lead processes (scoring's engagement, nurture's
 * behaviour).  Both strings belong to whoever handed the array over.
 */
typedef struct lk_act {
	const char *activity;		/* NUL-terminated name */
	int64_t at;			/* epoch seconds */
} lk_act;

#endif
