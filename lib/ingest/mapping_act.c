/*
 * mapping_act.c - an activity export's header to its roles (lead_id,
 * email, activity, occurred_at, detail, references): the activity
 * presets and synonyms; see mapping.h.  The lead columns' tables are
 * mapping.c's.
 */
#include "ingest/mapping.h"

#include <stdlib.h>
#include <string.h>

struct name_map {
	const char *loose;	/* loose key of a header name */
	const char *canon;	/* the role it plays */
};

struct preset {
	const char *name;
	const struct name_map *map;
};

const char *const lk_act_canon[LK_NACT] = {
	"lead_id", "email", "activity", "occurred_at", "detail"
};

const char *const lk_act_presets[] = { "hubspot", "salesforce", "marketo", "pipedrive", "zoho",
				       NULL };

/* The roles of an activity export's columns: the canonical ones, then
 * the two kinds of reference. */
enum { R_REF = LK_NACT, R_NAME, NROLES };
static const char *const role_names[NROLES] = {
	"lead_id", "email", "activity", "occurred_at", "detail", "lead_ref", "lead_name"
};

/* Each table is in order of preference within a role: a Salesforce Task
 * is dated by ActivityDate before CreatedDate, typed by TaskSubtype
 * before Status. */

/* HubSpot activities (engagements) export. */
static const struct name_map act_hubspot[] = {
	{ "associatedcontactid", "lead_ref" }, { "contactid", "lead_ref" },
	{ "contactrecordid", "lead_ref" }, { "associatedcontact", "lead_name" },
	{ "contactname", "lead_name" }, { "email", "email" }, { "contactemail", "email" },
	{ "activitytype", "activity" }, { "engagementtype", "activity" },
	{ "activitydate", "occurred_at" }, { "engagementdate", "occurred_at" },
	{ "createdate", "occurred_at" }, { "subject", "detail" }, { "calltitle", "detail" },
	{ "emailsubject", "detail" }, { "meetingname", "detail" }, { "bodypreview", "detail" },
	{ NULL, NULL }
};

/* Salesforce Task, Event and CampaignMember: API names and report labels. */
static const struct name_map act_salesforce[] = {
	{ "whoid", "lead_ref" }, { "leadid", "lead_ref" }, { "contactid", "lead_ref" },
	{ "convertedcontactid", "lead_ref" }, { "name", "lead_name" }, { "whoname", "lead_name" },
	{ "contact", "lead_name" }, { "lead", "lead_name" }, { "email", "email" },
	{ "tasksubtype", "activity" }, { "eventsubtype", "activity" }, { "type", "activity" },
	{ "activitytype", "activity" }, { "calltype", "activity" }, { "status", "activity" },
	{ "memberstatus", "activity" },
	{ "activitydate", "occurred_at" }, { "completeddatetime", "occurred_at" },
	{ "activitydatetime", "occurred_at" }, { "startdatetime", "occurred_at" },
	{ "date", "occurred_at" }, { "duedate", "occurred_at" },
	{ "firstrespondeddate", "occurred_at" }, { "createddate", "occurred_at" },
	{ "subject", "detail" }, { "campaignname", "detail" }, { "campaign", "detail" },
	{ "description", "detail" }, { "comments", "detail" }, { NULL, NULL }
};

/* Marketo activity log. */
static const struct name_map act_marketo[] = {
	{ "leadid", "lead_ref" }, { "marketoid", "lead_ref" }, { "email", "email" },
	{ "emailaddress", "email" }, { "activitytype", "activity" },
	{ "activitytypename", "activity" }, { "activitydate", "occurred_at" },
	{ "activitydatetime", "occurred_at" }, { "date", "occurred_at" },
	{ "detail", "detail" }, { "primaryattributevalue", "detail" },
	{ "assetname", "detail" }, { "campaignname", "detail" }, { NULL, NULL }
};

/* Pipedrive activities ("Activity - " prefixes are dropped first). */
static const struct name_map act_pipedrive[] = {
	{ "personid", "lead_ref" }, { "personpipedrivesystemid", "lead_ref" },
	{ "contactpersonid", "lead_ref" }, { "contactperson", "lead_name" },
	{ "person", "lead_name" }, { "personname", "lead_name" },
	{ "personemail", "email" }, { "email", "email" }, { "type", "activity" },
	{ "donetime", "occurred_at" }, { "markedasdonetime", "occurred_at" },
	{ "duedate", "occurred_at" }, { "addtime", "occurred_at" },
	{ "subject", "detail" }, { "note", "detail" },
	/* The names as exported, which tell a Pipedrive file. */
	{ "activitypersonid", "lead_ref" }, { "activitycontactperson", "lead_name" },
	{ "activitytype", "activity" }, { "activitydonetime", "occurred_at" },
	{ "activitymarkedasdonetime", "occurred_at" }, { "activityduedate", "occurred_at" },
	{ "activityaddtime", "occurred_at" }, { "activitysubject", "detail" },
	{ "activitynote", "detail" }, { NULL, NULL }
};

/* Zoho CRM Calls, Tasks and campaign members. */
static const struct name_map act_zoho[] = {
	{ "contactid", "lead_ref" }, { "leadid", "lead_ref" }, { "whoid", "lead_ref" },
	{ "contactname", "lead_name" }, { "leadname", "lead_name" }, { "fullname", "lead_name" },
	{ "email", "email" }, { "calltype", "activity" }, { "memberstatus", "activity" },
	{ "status", "activity" }, { "callstarttime", "occurred_at" },
	{ "closedtime", "occurred_at" }, { "duedate", "occurred_at" },
	{ "modifiedtime", "occurred_at" }, { "createdtime", "occurred_at" },
	{ "subject", "detail" }, { "campaignname", "detail" }, { "description", "detail" },
	{ NULL, NULL }
};

/* Names any activity export may use. */
static const struct name_map act_synonyms[] = {
	{ "leadid", "lead_ref" }, { "contactid", "lead_ref" }, { "personid", "lead_ref" },
	{ "prospectid", "lead_ref" }, { "recordid", "lead_ref" }, { "whoid", "lead_ref" },
	{ "convertedcontactid", "lead_ref" }, { "contactname", "lead_name" },
	{ "leadname", "lead_name" }, { "personname", "lead_name" },
	{ "contactperson", "lead_name" },
	{ "email", "email" }, { "emailaddress", "email" }, { "contactemail", "email" },
	{ "leademail", "email" }, { "personemail", "email" },
	{ "activity", "activity" }, { "activitytype", "activity" }, { "activityname", "activity" },
	{ "type", "activity" }, { "event", "activity" }, { "eventtype", "activity" },
	{ "action", "activity" }, { "eventname", "activity" }, { "engagementtype", "activity" },
	{ "tasksubtype", "activity" }, { "memberstatus", "activity" }, { "status", "activity" },
	{ "occurredat", "occurred_at" }, { "date", "occurred_at" }, { "timestamp", "occurred_at" },
	{ "activitydate", "occurred_at" }, { "eventdate", "occurred_at" },
	{ "time", "occurred_at" }, { "datetime", "occurred_at" },
	{ "activitydatetime", "occurred_at" }, { "callstarttime", "occurred_at" },
	{ "donetime", "occurred_at" }, { "duedate", "occurred_at" }, { "createdat", "occurred_at" },
	{ "createddate", "occurred_at" }, { "createdtime", "occurred_at" },
	{ "detail", "detail" }, { "details", "detail" }, { "subject", "detail" },
	{ "description", "detail" }, { "campaign", "detail" }, { "campaignname", "detail" },
	{ "url", "detail" }, { "page", "detail" }, { "content", "detail" },
	{ "assetname", "detail" }, { NULL, NULL }
};

static const struct preset act_tables[] = {
	{ "hubspot", act_hubspot },
	{ "salesforce", act_salesforce },
	{ "marketo", act_marketo },
	{ "pipedrive", act_pipedrive },
	{ "zoho", act_zoho },
};
#define NACTPRESETS (int)(sizeof act_tables / sizeof act_tables[0])

static int role_index(const char *role)
{
	int r;

	for (r = 0; r < NROLES; r++)
		if (!strcmp(role, role_names[r]))
			return r;
	return -1;
}

/* The role and rank (position in the table) of a loose name, or -1. */
static int table_role(const struct name_map *map, const char *loose, int *rank)
{
	int i;

	for (i = 0; map[i].loose; i++)
		if (!strcmp(map[i].loose, loose)) {
			*rank = i;
			return role_index(map[i].canon);
		}
	return -1;
}

/* The loose name without an "activity" prefix (Pipedrive's "Activity -
 * Subject"), or NULL. */
static const char *act_prefix(const char *loose)
{
	return !strncmp(loose, "activity", 8) && loose[8] ? loose + 8 : NULL;
}

/* The role of a loose name in `map`, directly or without the prefix. */
static int act_lookup(const struct name_map *map, const char *loose, int *rank)
{
	const char *rest;
	int r = table_role(map, loose, rank);

	if (r < 0 && (rest = act_prefix(loose)) && (r = table_role(map, rest, rank)) >= 0)
		*rank += 1000;
	return r;
}

/* The model's alias for a loose header name: its role, or -1. */
static int model_role(const lk_model *m, const char *loose, lk_buf *k, int *rank)
{
	int j;

	for (j = 0; m && j < m->nfield_aliases; j++) {
		lk_loose_key(m->field_aliases[j].alias, strlen(m->field_aliases[j].alias), k);
		if (!strcmp(loose, lk_buf_str(k))) {
			*rank = j;
			return role_index(m->field_aliases[j].name);
		}
	}
	return -1;
}

int lk_mapping_ref_kind(const lk_model *m, const char *name, size_t len)
{
	lk_buf k = LK_BUF_INIT, a = LK_BUF_INIT;
	int r, rank, i;

	lk_loose_key(name, len, &k);
	r = model_role(m, lk_buf_str(&k), &a, &rank);
	if (r < 0)
		r = act_lookup(act_synonyms, lk_buf_str(&k), &rank);
	/* Any CRM's names of a reference, whichever export this is, but
	 * for the bare words ("Name", "Contact") that name other things in
	 * other objects. */
	for (i = 0; i < NACTPRESETS && r != R_REF && r != R_NAME; i++)
		if ((r = act_lookup(act_tables[i].map, lk_buf_str(&k), &rank)) == R_NAME &&
		    (!strcmp(k.data, "name") || !strcmp(k.data, "contact") ||
		     !strcmp(k.data, "lead") || !strcmp(k.data, "person")))
			r = -1;
	lk_buf_free(&k);
	lk_buf_free(&a);
	return r == R_REF ? LK_REF_ID : r == R_NAME ? LK_REF_NAME : LK_REF_NONE;
}

void lk_actmap_free(lk_actmap *am)
{
	int i;

	if (!am)
		return;
	for (i = 0; am->names && i < am->ncols; i++)
		free(am->names[i]);
	free(am->names);
	free(am->ref);
	free(am->refkind);
	free(am->refs);
	memset(am, 0, sizeof *am);
}

/* A column's claim on a role: lower is stronger. */
struct claim {
	int role;		/* -1: none */
	lk_mapkind kind;
	int rank;
};

static int stronger(const struct claim *a, int ca, const struct claim *b, int cb)
{
	/* Model aliases first, then canonical names, presets, synonyms. */
	static const int prio[] = { 9, 1, 0, 2, 3 };

	if (prio[a->kind] != prio[b->kind])
		return prio[a->kind] < prio[b->kind];
	if (a->rank != b->rank)
		return a->rank < b->rank;
	return ca < cb;
}

/* Words that make a header a likely candidate for a role it lacks. */
static int hint_score(int role, const char *loose)
{
	static const char *const when[] = { "date", "time", "day", "when", "stamp", "start",
					    "done", "due", "closed", "logged", "created", NULL };
	static const char *const what[] = { "type", "status", "activity", "event", "action",
					    "kind", "category", "outcome", "result", NULL };
	static const char *const who[] = { "email", "mail", "id", "contact", "lead", "person",
					   "who", "name", "member", NULL };
	const char *const *w = role == LK_ACT_OCCURRED_AT ? when : role == LK_ACT_ACTIVITY ? what
							  : who;
	int i, score = 0;

	for (i = 0; w[i]; i++)
		if (strstr(loose, w[i]))
			score += 10 - i;
	return score;
}

/* "no ROLE column (closest: "A"? "B"?)" for a missing role. */
static void missing(lk_buf *msg, const lk_actmap *am, char **loose, const struct claim *cl,
		    int role, const char *what)
{
	int best[2] = { -1, -1 }, score[2] = { 0, 0 }, i, k;

	if (msg->len)
		lk_buf_adds(msg, "; ");
	lk_buf_addf(msg, "no %s column", what);
	for (i = 0; i < am->ncols; i++) {
		int s = hint_score(role, loose[i]);
		/* A column already taken by another role is a poorer guess. */
		if (cl[i].role >= 0 && cl[i].role < LK_NACT && am->src[cl[i].role] == i)
			s /= 4;
		if (s > score[0]) {
			best[1] = best[0], score[1] = score[0];
			best[0] = i, score[0] = s;
		} else if (s > score[1]) {
			best[1] = i, score[1] = s;
		}
	}
	for (k = 0; k < 2 && best[k] >= 0; k++)
		lk_buf_addf(msg, "%s\"%s\"?", k ? " " : " (closest: ", am->names[best[k]]);
	if (best[0] >= 0)
		lk_buf_addc(msg, ')');
}

int lk_mapping_activities(lk_actmap *am, const lk_model *m, const char *from,
			  const char *activity_name, int linked, const lk_row *h, lk_err *err)
{
	lk_buf k = LK_BUF_INIT, a = LK_BUF_INIT, msg = LK_BUF_INIT;
	const struct preset *pre = NULL;
	struct claim *cl = NULL;
	char **loose = NULL;
	int i, j, n = h->n, none, nd, ok, nmiss;

	memset(am, 0, sizeof *am);
	for (j = 0; j < LK_NACT; j++)
		am->src[j] = -1;
	for (j = 0; j < LK_ACT_MAXDATES; j++)
		am->dates[j] = -1;
	am->lead_ref = -1;
	am->activity_name = activity_name;
	am->linked = linked;
	if (!from)
		from = "auto";
	none = !strcmp(from, "none");
	if (strcmp(from, "auto") && !none) {
		for (i = 0; i < NACTPRESETS; i++)
			if (!strcmp(from, act_tables[i].name))
				pre = &act_tables[i];
		if (!pre) {
			const char *hint = lk_did_you_mean(from, lk_act_presets, NACTPRESETS);
			return lk_err_set(err, LK_EUSAGE,
					  "unknown --from '%s'%s%s%s (with --activities choose auto, "
					  "none, hubspot, salesforce, marketo, pipedrive or zoho)",
					  from, hint ? " (did you mean '" : "", hint ? hint : "",
					  hint ? "'?)" : "");
		}
	}
	am->ncols = n;
	am->names = calloc((size_t)n + 1, sizeof *am->names);
	am->ref = calloc((size_t)n + 1, sizeof *am->ref);
	am->refkind = calloc((size_t)n + 1, sizeof *am->refkind);
	am->refs = calloc((size_t)n + 1, sizeof *am->refs);
	cl = calloc((size_t)n + 1, sizeof *cl);
	loose = calloc((size_t)n + 1, sizeof *loose);
	if (!am->names || !am->ref || !am->refkind || !am->refs || !cl || !loose)
		goto oom;
	for (i = 0; i < n; i++) {
		if (!(am->names[i] = strndup(h->f[i], h->len[i])))
			goto oom;
		lk_loose_key(h->f[i], h->len[i], &k);
		if (!(loose[i] = strdup(lk_buf_str(&k))))
			goto oom;
	}
	/* The preset that knows most names no generic synonym knows. */
	if (!pre && !none) {
		int best = 0, rank;
		/* Distinctive names first; the names it knows in all break ties. */
		for (j = 0; j < NACTPRESETS; j++) {
			int hits = 0;
			for (i = 0; i < n; i++)
				if (table_role(act_tables[j].map, loose[i], &rank) >= 0)
					hits += table_role(act_synonyms, loose[i], &rank) < 0 ? 100 : 1;
			if (hits >= 100 && hits > best) {
				best = hits;
				pre = &act_tables[j];
			}
		}
	}
	am->preset = pre ? pre->name : NULL;
	/* Each column's strongest claim. */
	for (i = 0; i < n; i++) {
		int rank = 0, r;
		cl[i].role = -1;
		if ((r = model_role(m, loose[i], &a, &rank)) >= 0) {
			cl[i] = (struct claim){ r, LK_MAP_MODEL, rank };
			continue;
		}
		if ((r = role_index(am->names[i])) >= 0 && r < LK_NACT) {
			cl[i] = (struct claim){ r, LK_MAP_SELF, 0 };
			continue;
		}
		if (none)
			continue;
		if (pre && (r = act_lookup(pre->map, loose[i], &rank)) >= 0)
			cl[i] = (struct claim){ r, LK_MAP_PRESET, rank };
		else if ((r = act_lookup(act_synonyms, loose[i], &rank)) >= 0)
			cl[i] = (struct claim){ r, LK_MAP_SYNONYM, rank };
	}
	/* --activity-name: no column is the activity. */
	for (i = 0; activity_name && i < n; i++)
		if (cl[i].role == LK_ACT_ACTIVITY)
			cl[i].role = -1;
	/* The strongest claim of each role wins it; the other date columns
	 * are fallbacks, the other references all kept, ids first. */
	for (j = 0; j < LK_NACT; j++) {
		int best = -1;
		for (i = 0; i < n; i++)
			if (cl[i].role == j && (best < 0 || stronger(&cl[i], i, &cl[best], best)))
				best = i;
		am->src[j] = best;
		if (best >= 0)
			am->kind[j] = cl[best].kind;
	}
	for (nd = 0; nd < LK_ACT_MAXDATES; nd++) {
		int best = -1, q, used;
		for (i = 0; i < n; i++) {
			for (used = 0, q = 0; q < nd; q++)
				used |= am->dates[q] == i;
			if (!used && cl[i].role == LK_ACT_OCCURRED_AT &&
			    (best < 0 || stronger(&cl[i], i, &cl[best], best)))
				best = i;
		}
		if (best < 0)
			break;
		am->dates[nd] = best;
	}
	for (j = R_REF; j <= R_NAME; j++) {
		for (;;) {
			int best = -1;
			for (i = 0; i < n; i++)
				if (cl[i].role == j && !am->ref[i] &&
				    (best < 0 || stronger(&cl[i], i, &cl[best], best)))
					best = i;
			if (best < 0)
				break;
			am->ref[best] = j == R_REF ? LK_REF_ID : LK_REF_NAME;
			am->refkind[best] = cl[best].kind;
			am->refs[am->nrefs++] = best;
		}
	}
	/* Without a link, the best id reference is the lead's id. */
	if (!linked && am->src[LK_ACT_LEAD_ID] < 0 && am->nrefs &&
	    am->ref[am->refs[0]] == LK_REF_ID) {
		am->lead_ref = am->refs[0];
		am->src[LK_ACT_LEAD_ID] = am->lead_ref;
		am->kind[LK_ACT_LEAD_ID] = am->refkind[am->lead_ref];
	}

	nmiss = 0;
	if (!activity_name && am->src[LK_ACT_ACTIVITY] < 0 && ++nmiss)
		missing(&msg, am, loose, cl, LK_ACT_ACTIVITY, "activity");
	if (am->src[LK_ACT_OCCURRED_AT] < 0 && ++nmiss)
		missing(&msg, am, loose, cl, LK_ACT_OCCURRED_AT, "occurred_at");
	ok = am->src[LK_ACT_LEAD_ID] >= 0 || am->src[LK_ACT_EMAIL] >= 0 || (linked && am->nrefs);
	if (!ok && am->nrefs) {
		if (msg.len)
			lk_buf_adds(&msg, "; ");
		lk_buf_addf(&msg, "no lead_id or email column, and \"%s\" names the lead only: "
			    "give --link FILE (a contacts or leads export) to link it",
			    am->names[am->refs[0]]);
	} else if (!ok && ++nmiss) {
		missing(&msg, am, loose, cl, LK_ACT_LEAD_ID, "lead_id, email or reference");
	}
	if (msg.len) {
		if (nmiss)
			lk_buf_addf(&msg, "; name %s in the model's fields.aliases%s",
				    nmiss > 1 ? "them" : "it",
				    !activity_name && am->src[LK_ACT_ACTIVITY] < 0 ?
				    ", or give every row one activity with --activity-name" : "");
		lk_err_set(err, LK_EDATA, "header: %s", msg.data);
		goto fail;
	}
	for (i = 0; i < n; i++)
		free(loose[i]);
	free(loose);
	free(cl);
	lk_buf_free(&k);
	lk_buf_free(&a);
	return 0;
oom:
	lk_err_set(err, LK_ENOMEM, "out of memory");
fail:
	for (i = 0; loose && i < n; i++)
		free(loose[i]);
	free(loose);
	free(cl);
	lk_buf_free(&k);
	lk_buf_free(&a);
	lk_buf_free(&msg);
	lk_actmap_free(am);
	return -1;
}

int lk_actmap_describe(const lk_actmap *am, lk_buf *out)
{
	static const char *how[] = { "", "canonical name", "model alias", "preset", "synonym" };
	int i, j, q, pass = 0, bad = 0;

	bad |= lk_buf_addf(out, "preset: %s\n", am->preset ? am->preset : "none");
	for (j = 0; j < LK_NACT; j++) {
		int s = am->src[j];
		if (j == LK_ACT_ACTIVITY && am->activity_name)
			bad |= lk_buf_addf(out, "  %-32s -> %-16s (--activity-name)\n",
					   am->activity_name, "activity");
		else if (j == LK_ACT_LEAD_ID && s >= 0 && s == am->lead_ref)
			bad |= lk_buf_addf(out, "  %-32s -> %-16s (%s; a reference, no --link)\n",
					   am->names[s], "lead_id", how[am->kind[j]]);
		else if (s >= 0)
			bad |= lk_buf_addf(out, "  %-32s -> %-16s (%s)\n", am->names[s],
					   lk_act_canon[j], how[am->kind[j]]);
		else
			bad |= lk_buf_addf(out, "  %-32s -> %-16s (no column: %s)\n", "-",
					   lk_act_canon[j],
					   am->linked && (j == LK_ACT_LEAD_ID || j == LK_ACT_EMAIL) ?
					   "from the link" : "left empty");
		for (q = 1; j == LK_ACT_OCCURRED_AT && q < LK_ACT_MAXDATES && am->dates[q] >= 0; q++)
			bad |= lk_buf_addf(out, "  %-32s -> %-16s (when the one above is empty; "
					   "also kept as it was)\n", am->names[am->dates[q]],
					   "occurred_at");
	}
	for (q = 0; q < am->nrefs; q++) {
		i = am->refs[q];
		if (i != am->lead_ref)
			bad |= lk_buf_addf(out, "  %-32s -> %-16s (%s; %s)\n",
					   am->names[i], am->ref[i] == LK_REF_ID ?
					   "reference (id)" : "reference (name)", how[am->refkind[i]],
					   am->linked ? "also kept as it was"
						      : "unused without --link; kept as it was");
	}
	for (i = 0; i < am->ncols; i++) {
		int used = am->ref[i] != 0;
		for (j = 0; j < LK_NACT; j++)
			used |= am->src[j] == i;
		for (q = 0; q < LK_ACT_MAXDATES; q++)
			used |= am->dates[q] == i;
		if (used)
			continue;
		if (!pass++)
			bad |= lk_buf_adds(out, "unmapped (passed through unchanged):\n");
		bad |= lk_buf_addf(out, "  %s\n", am->names[i]);
	}
	return bad ? -1 : 0;
}

