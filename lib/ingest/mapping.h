/*
 * mapping.h - which input column is which canonical lead column.
 *
 * CRM exports name the same thing many ways ("Email", "Email Address",
 * "Person - Email", "EmailAddress").  A mapping is decided once per
 * header, from (in order of precedence) the model's fields.aliases, the
 * CRM preset (HubSpot, Salesforce report labels and API names, Marketo
 * friendly labels and REST names, Pipedrive), and generic synonyms.
 * Header names are compared loosely: lower-case letters and digits
 * only, so "Country/Region" and "country_region" are the same name.
 * With --from auto the preset is the one whose names overlap the header
 * most.  Each canonical column takes at most one input column (the
 * strongest match, then the leftmost); the others pass through.  The
 * consent columns (model/consent.h) also read the columns that only
 * lost to another (`shadowed`): a lead is opted out when any of them
 * says so (Marketo's Unsubscribed and Black Listed).
 *
 * Ownership: an lk_mapping owns its arrays; names point into the
 * header row given to lk_mapping_build only during the call, so the
 * mapping copies the header names it keeps.
 */
#ifndef LK_MAPPING_H
#define LK_MAPPING_H

#include "core/csvio.h"
#include "model/model.h"

/* How a column was mapped, for --show-mapping. */
typedef enum {
	LK_MAP_NONE = 0,	/* passes through unchanged */
	LK_MAP_SELF,		/* already the canonical name */
	LK_MAP_MODEL,		/* fields.aliases in the model */
	LK_MAP_PRESET,		/* the CRM preset */
	LK_MAP_SYNONYM		/* generic synonym */
} lk_mapkind;

typedef struct lk_mapping {
	int ncols;		/* input columns */
	char **names;		/* input header names, as output (deduplicated) */
	int *canon;		/* per input column: canonical index, or -1 */
	lk_mapkind *kind;	/* per input column: how it was decided */
	int *shadowed;		/* per input column: canonical index it also matched, or -1 */
	int src[LK_NCANON];	/* per canonical column: input column, or -1 */
	const char *preset;	/* chosen preset ("hubspot"), or NULL */
	int npreset_hits;	/* header names the preset knew */
	int renamed;		/* header names changed: empty or duplicate */
} lk_mapping;

/* The presets --from accepts, besides "auto" and "none". */
extern const char *const lk_presets[];

/*
 * Decide the mapping for a header row.  `from` is "auto", "none" (map
 * nothing) or a preset name.  Empty header names become "_colN" and
 * repeated ones "Name_2" (as Miller does); `renamed` counts them.
 * -1 with err for an unknown preset.
 */
int lk_mapping_build(lk_mapping *mp, const lk_model *m, const char *from,
		     const lk_row *header, lk_err *err);
void lk_mapping_free(lk_mapping *mp);

/* Human-readable decision, one line per column, for --show-mapping. */
int lk_mapping_describe(const lk_mapping *mp, lk_buf *out);

/*
 * The header names the mapping renamed (none when mp->renamed is 0),
 * so that the user can find them: the first five as "NAME: header: column 3: repeated name 'Email'
 * renamed 'Email_2'" (or "empty name renamed '_col3'"), then, beyond
 * five, how many in all.  `header` is the row the mapping was built
 * from, `name` the input's name.  Appended to `out` as messages, each
 * ended by a NUL byte (a name may hold a newline); -1 on ENOMEM.
 */
int lk_mapping_renames(const lk_mapping *mp, const lk_row *header, const char *name, lk_buf *out);

/*
 * ---- activity exports (lead-ingest --activities; mapping_act.c) ----
 *
 * An activity export's columns play these roles: lead_id, email,
 * activity, occurred_at, detail (the canonical activity columns), and
 * references: a CRM's foreign id of the lead (CONTACTID, WhoId, "Lead
 * ID", Person ID...; LK_REF_ID) or its name ("Contact Name",
 * "Associated Contact"; LK_REF_NAME), which link.h resolves to a lead.
 * Only a column named lead_id (or a model alias of lead_id) is the
 * lead's own id; without a link the first id reference stands for it,
 * as a lead export of the same CRM names its records by the same ids.
 *
 * A role is decided, strongest first, by the model's fields.aliases
 * (which take activity, occurred_at, detail, lead_ref and lead_name
 * besides the lead columns), the canonical name, the CRM's activity
 * preset (hubspot, salesforce, marketo, pipedrive, zoho: named by
 * --from or the one that knows the header best) and generic synonyms;
 * among equals the name the preset or synonym list ranks first, then
 * the leftmost.  Up to LK_ACT_MAXDATES date columns are kept for
 * occurred_at: a row whose first is empty takes the next (a
 * Salesforce Task without an ActivityDate is dated by its CreatedDate).
 *
 * Ownership: an lk_actmap owns its arrays and copies the header names.
 */
enum { LK_ACT_LEAD_ID, LK_ACT_EMAIL, LK_ACT_ACTIVITY, LK_ACT_OCCURRED_AT, LK_ACT_DETAIL,
       LK_NACT };
extern const char *const lk_act_canon[LK_NACT];

/* A reference column: a foreign id of the lead, or its name. */
enum { LK_REF_NONE = 0, LK_REF_ID, LK_REF_NAME };

/* The presets --from accepts with --activities, besides "auto" and "none". */
extern const char *const lk_act_presets[];

#define LK_ACT_MAXDATES 3

typedef struct lk_actmap {
	int ncols;		/* input columns */
	char **names;		/* input header names (copies) */
	int src[LK_NACT];	/* per role: input column, or -1 */
	lk_mapkind kind[LK_NACT]; /* per role: how it was decided */
	int dates[LK_ACT_MAXDATES]; /* occurred_at and its fallbacks, -1 ended */
	int *ref;		/* per input column: LK_REF_ID, LK_REF_NAME or 0 */
	lk_mapkind *refkind;	/* per input column: how a reference was decided */
	int *refs;		/* reference columns, ids first, best first */
	int nrefs;
	int lead_ref;		/* without a link: the id reference read as
				 * lead_id (src[LK_ACT_LEAD_ID] then), or -1 */
	const char *preset;	/* the activity preset, or NULL */
	const char *activity_name; /* --activity-name: every row's activity */
	int linked;		/* a link table resolves the references */
} lk_actmap;

/*
 * Decide the roles of an activity export's header.  `from` is "auto"
 * (or NULL), "none" (canonical names and model aliases only) or one of
 * lk_act_presets; `activity_name` (or NULL) names every row's activity,
 * so no column is taken for it; `linked`: a link table will resolve the
 * references (a name reference is enough then).  -1 with err
 * (LK_EUSAGE: an unknown preset; LK_EDATA: "header: no occurred_at
 * column (closest: "Call Start Time"? "Created Time"?); ..." naming each
 * missing role and the headers closest to it).
 */
int lk_mapping_activities(lk_actmap *am, const lk_model *m, const char *from,
			  const char *activity_name, int linked, const lk_row *header,
			  lk_err *err);
void lk_actmap_free(lk_actmap *am);

/* --show-mapping's page for an activity export: one line per role and
 * reference, then the columns passed through.  -1 on ENOMEM. */
int lk_actmap_describe(const lk_actmap *am, lk_buf *out);

/*
 * The reference kind of a header name in any export (the link's plan
 * uses it on any object's header): the model's fields.aliases lead_ref
 * and lead_name first, then the built-in names (CONTACTID, LEADID,
 * WhoId, "Contact ID", "Lead ID", Person ID, ConvertedContactId, ...;
 * "Contact Name", "Associated Contact", "Contact person", ...).
 */
int lk_mapping_ref_kind(const lk_model *m, const char *name, size_t len);

#endif
