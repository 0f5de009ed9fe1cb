/*
 * link.h - a CRM's foreign ids resolved to the lead they name.
 *
 * A CRM's objects point at their person by the CRM's own ids: a
 * Salesforce Task by WhoId, a Zoho call by CONTACTID or LEADID, a
 * Pipedrive activity by Person ID, a campaign member by LeadId or
 * ContactId, sometimes by a name only ("Contact Name").  A link table
 * is loaded from one or more exports of the people (leads, contacts,
 * persons: lk_link_load), each mapped as lead-ingest maps a lead export
 * (mapping.h, --from auto with the model's aliases) and normalised
 * (ingest.h), so every person has a lead_id and an email.
 *
 * Any other object's export is then bound to the table (lk_link_plan:
 * which of its columns are references: mapping.h's lk_mapping_ref_kind,
 * or a name (other than "Id") of an id column of a link file; and how
 * each is matched) and each of its rows resolved
 * (lk_link_resolve) to one lead's lead_id and email, or to a reason.
 *
 * The matching rule, for the first reference column of a row that has
 * a value (id references before name references, each in the order of
 * the plan); a reference that finds no lead lets the next one try:
 *   1. an id reference whose loose name (letters and digits, any case)
 *      is the name of a column of a link file is matched against that
 *      column only (CONTACTID against the contacts' CONTACTID);
 *   2. else against the link files' own ids (the column each mapped to
 *      lead_id), then against their other id columns (a name ending in
 *      "ID"/"Id" that speaks of a contact, lead, person, record,
 *      member or who, such as ConvertedContactId): the first tier that
 *      knows the value decides;
 *   3. a name reference is matched against the people's names (first
 *      and last name, or a full-name column), letters and digits only,
 *      in any case; a value holding an address ("Jane Doe
 *      <jane@acme.com>") is matched on the email instead.
 * Several link files are one table: a person of a later file whose
 * email an earlier file already gave is that earlier person (its
 * lead_id wins), so `--link leads.csv --link contacts.csv` resolves a
 * contact's CONTACTID to the lead_id of the lead it was converted from.
 * A value that names two different leads (different lead_id, or
 * without one different email) is ambiguous: the row is rejected,
 * never applied to both.  Empty values and Salesforce's empty id
 * 000000000000000AAA are no reference; an 18-character Salesforce id
 * also matches its 15-character form.
 *
 * Memory: the table holds every linked person's lead_id, email and
 * names and its index in memory (a contacts export, not the event
 * stream).  Ownership: the table owns its strings; a plan refers to the
 * table, which must outlive it; the strings lk_link_resolve gives are
 * the table's, valid as long as it is.
 */
#ifndef LK_LINK_H
#define LK_LINK_H

#include "core/buf.h"
#include "core/csvio.h"
#include "core/err.h"
#include "model/model.h"

typedef struct lk_link lk_link;
typedef struct lk_linkplan lk_linkplan;

/* An empty table; NULL on ENOMEM. */
lk_link *lk_link_new(void);
void lk_link_free(lk_link *l);

/*
 * Add the people of one export read from `fd` with `co` (co->name names
 * it in messages and in the plan).  -1 with err: it cannot be read, it
 * is empty, or its header has no lead_id, email or name column.
 */
int lk_link_load(lk_link *l, const lk_model *m, int fd, const lk_csvopt *co, lk_err *err);
/* People loaded, and rows that could not be (no lead_id and no email). */
long lk_link_people(const lk_link *l);
long lk_link_skipped(const lk_link *l);

/*
 * Bind an export's header to the table: its reference columns are
 * `refs` (per column LK_REF_ID, LK_REF_NAME or 0; NULL: found by
 * lk_mapping_ref_kind), each matched by the rule above.  NULL with err
 * on ENOMEM.  A plan with no reference column resolves nothing.
 */
lk_linkplan *lk_link_plan(const lk_link *l, const lk_model *m, const lk_row *header,
			  const int *refs, lk_err *err);
void lk_linkplan_free(lk_linkplan *p);
/* Reference columns in the plan. */
int lk_linkplan_count(const lk_linkplan *p);

/* What the plan does, for --show-mapping: "how rows are linked:" and
 * one line per reference column.  -1 on ENOMEM. */
int lk_linkplan_describe(const lk_linkplan *p, lk_buf *out);

/* One resolved lead (the table's strings). */
typedef struct lk_linked {
	const char *lead_id, *email;	/* NUL-terminated, "" when unknown */
} lk_linked;

/*
 * Resolve one row of the bound export: 1 with *lead; 0 with *reason
 * ("no lead for CONTACTID 123", "ambiguous: Contact Name 'Jane Doe'
 * names 2 leads (L1, L2)"; valid until the next call); -1 when the row
 * has no reference value at all (the caller may use its own columns).
 * A row shorter than the header has empty values where it ends.
 */
int lk_link_resolve(lk_linkplan *p, const lk_row *row, lk_linked *lead, const char **reason);

/*
 * One id value resolved as the plan's first id reference resolves its
 * column (no id reference: against the link files' own and other id
 * columns), for an ingest that holds the id rather than the row (the
 * history's link hook): the returns of lk_link_resolve; -1 for an empty
 * value or Salesforce's empty id.
 */
int lk_link_resolve_id(lk_linkplan *p, const char *id, size_t len, lk_linked *lead,
		       const char **reason);

/*
 * The stage history's link hook (lk_histmap_link_fn, model/histmap.h):
 * `plan` is an lk_linkplan bound to the history's header; the row is
 * resolved as lk_link_resolve resolves it, and the lead's lead_id and
 * email appended to the buffers.  A row with no reference value is 0
 * with a reason saying so.
 */
int lk_link_histmap(void *plan, const lk_row *row, const char *id, size_t len, lk_buf *lead_id,
		    lk_buf *email, const char **reason);

/* Rows resolved, found ambiguous and not found, so far. */
typedef struct lk_link_stats {
	long linked, ambiguous, missing;
} lk_link_stats;
const lk_link_stats *lk_linkplan_stats(const lk_linkplan *p);

#endif
