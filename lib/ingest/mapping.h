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
 * Activity exports: which input column is lead_id, email, activity,
 * occurred_at, detail (indices into `src`, -1 when absent).
 */
enum { LK_ACT_LEAD_ID, LK_ACT_EMAIL, LK_ACT_ACTIVITY, LK_ACT_OCCURRED_AT, LK_ACT_DETAIL,
       LK_NACT };
extern const char *const lk_act_canon[LK_NACT];
int lk_mapping_activities(int src[LK_NACT], const lk_row *header, lk_err *err);

#endif
