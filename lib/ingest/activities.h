/*
 * activities.h - activity exports in, one canonical activity stream out.
 *
 * lead-ingest --activities turns the activity exports of a CRM (calls,
 * tasks, events, emails, campaign-member statuses, a marketing tool's
 * activity log) into the canonical activity CSV the other tools read:
 * lead_id, email, activity, occurred_at, detail, then every other
 * column of the inputs.  Several exports of different shapes make one
 * stream: each is mapped on its own (mapping.h, lk_mapping_activities)
 * and added before the first row (lk_actingest_add); the output's other
 * columns are the union of theirs, in the order first met (a name that
 * two files share is one column; a file's row is empty in the columns
 * it lacks), so nothing any file held is lost.
 *
 * Per row:
 *   - the lead: with a link table (link.h) and reference columns, the
 *     lead the references resolve to (its lead_id and email); a row
 *     with no reference value keeps its own lead_id and email columns;
 *     without a link, the lead_id column (or the first id reference)
 *     and the email, normalised.  No lead: rejected with the reason;
 *   - the activity: --activity-name, else the activity column's value
 *     through the model's fields.activities aliases, else through the
 *     built-in names of campaign-member and task statuses (Sent ->
 *     email_sent, Opened -> email_open, Clicked -> email_click,
 *     Responded -> campaign_response, Opted Out and Unsubscribed ->
 *     unsubscribe, Bounced -> email_bounced, Completed ->
 *     task_completed, ...: lk_act_builtin), else lower_snake_case
 *     ("Email Opened" -> email_opened);
 *   - occurred_at: the first date column with a value, a full ISO 8601
 *     UTC timestamp; all-numeric dates read in the option's order, else
 *     the model's;
 *   - an exact repeat (same lead_id, email, activity, occurred_at and
 *     detail as a row already out, from any file) is dropped and
 *     counted, not written and not rejected.
 * So, per file: rows in = rows out + rows rejected + repeats dropped.
 *
 * Memory: one key per distinct activity written (for the repeats), and
 * the link table.  Ownership: the row lk_actingest_row gives is the
 * ingest's, valid until the next call; its passed-through fields point
 * into the input row, and its lead's strings into the link table, which
 * must outlive the ingest.
 */
#ifndef LK_ACTIVITIES_H
#define LK_ACTIVITIES_H

#include "core/buf.h"
#include "core/csvio.h"
#include "core/date.h"
#include "core/err.h"
#include "ingest/link.h"
#include "ingest/mapping.h"
#include "model/model.h"

typedef struct lk_actingest_opt {
	const char *from;		/* "auto" (NULL), "none" or an activity preset */
	const char *activity_name;	/* every row's activity, or NULL */
	lk_date_order date_order;	/* LK_DATE_AUTO: the model's */
	const lk_link *link;		/* the people to link to, or NULL */
	const lk_tz *tz;		/* the zone of naive times (not owned);
					 * NULL: the model's fields.tz, else UTC */
} lk_actingest_opt;

typedef struct lk_actingest lk_actingest;

/* An ingest with no file yet; NULL on ENOMEM. */
lk_actingest *lk_actingest_new(const lk_model *m, const lk_actingest_opt *opt, lk_err *err);
void lk_actingest_free(lk_actingest *a);

/*
 * Add the next input by its header row: its mapping (and its link
 * plan).  Returns its index (0, 1, ...), or -1 with err
 * (lk_mapping_activities's: a role it lacks, an unknown preset).  Every
 * file is added before lk_actingest_header and the first row.
 */
int lk_actingest_add(lk_actingest *a, const lk_row *header, lk_err *err);
/* Files added. */
int lk_actingest_files(const lk_actingest *a);
/* A file's mapping. */
const lk_actmap *lk_actingest_mapping(const lk_actingest *a, int file);
/* --show-mapping's page for a file: its mapping, then with a link how
 * its rows are linked.  -1 on ENOMEM. */
int lk_actingest_describe(const lk_actingest *a, int file, lk_buf *out);

/* The output header: names and count (owned by the ingest). */
void lk_actingest_header(const lk_actingest *a, const char *const **names, int *n);
/* The rows that follow are the file's (0 after the last add). */
void lk_actingest_use(lk_actingest *a, int file);

/* lk_actingest_row's results besides 0 (rejected). */
enum { LK_ACT_OUT = 1, LK_ACT_REPEAT = 2 };

/*
 * One row of the file in use: LK_ACT_OUT with *out; LK_ACT_REPEAT when
 * it repeats a row already out (dropped); 0 when it is rejected, with
 * *reason (valid until the next call); -1 with err on ENOMEM.
 */
int lk_actingest_row(lk_actingest *a, const lk_row *in, lk_row **out, const char **reason,
		     lk_err *err);

/* What a file's rows came to: repeats dropped, and with a link the
 * rows linked, ambiguous and not found. */
typedef struct lk_actingest_stats {
	long repeats;
	long linked, ambiguous, missing;
} lk_actingest_stats;
void lk_actingest_stats_get(const lk_actingest *a, int file, lk_actingest_stats *st);

/* The built-in activity of a status value ("Opened" -> "email_open"),
 * matched on letters and digits in any case; NULL when there is none. */
const char *lk_act_builtin(const char *s, size_t len);

#endif
