/* mapping.c - header names to canonical columns; see mapping.h. */
#include "ingest/mapping.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct name_map {
	const char *loose;	/* loose key of a header name */
	const char *canon;	/* canonical column */
};

/* HubSpot contacts export (property labels). */
static const struct name_map hubspot[] = {
	{ "recordid", "lead_id" }, { "contactid", "lead_id" }, { "email", "email" },
	{ "firstname", "first_name" }, { "lastname", "last_name" },
	{ "companyname", "company" }, { "company", "company" }, { "jobtitle", "title" },
	{ "phonenumber", "phone" }, { "mobilephonenumber", "phone" },
	{ "industry", "industry" }, { "numberofemployees", "employees" },
	{ "countryregion", "country" }, { "country", "country" },
	{ "originalsource", "source" }, { "lifecyclestage", "stage" },
	{ "leadstatus", "status" }, { "contactowner", "owner" },
	{ "createdate", "created_at" }, { "lastmodifieddate", "updated_at" },
	{ "lastactivitydate", "last_activity_at" }, { NULL, NULL }
};

/* Salesforce Lead: report labels and API names. */
static const struct name_map salesforce[] = {
	{ "leadid", "lead_id" }, { "id", "lead_id" }, { "email", "email" },
	{ "firstname", "first_name" }, { "lastname", "last_name" },
	{ "company", "company" }, { "companyaccount", "company" }, { "title", "title" },
	{ "phone", "phone" }, { "mobilephone", "phone" }, { "mobile", "phone" },
	{ "industry", "industry" }, { "noofemployees", "employees" },
	{ "numberofemployees", "employees" }, { "employees", "employees" },
	{ "country", "country" }, { "countrycode", "country" },
	{ "leadsource", "source" }, { "leadstatus", "stage" }, { "status", "stage" },
	{ "leadowner", "owner" }, { "ownerid", "owner" }, { "owner", "owner" },
	{ "createddate", "created_at" }, { "createdate", "created_at" },
	{ "lastmodifieddate", "updated_at" }, { "lastmodified", "updated_at" },
	{ "lastactivity", "last_activity_at" }, { "lastactivitydate", "last_activity_at" },
	{ NULL, NULL }
};

/* Marketo lead fields: friendly labels, REST and SOAP names. */
static const struct name_map marketo[] = {
	{ "id", "lead_id" }, { "leadid", "lead_id" }, { "marketoid", "lead_id" },
	{ "email", "email" }, { "emailaddress", "email" },
	{ "firstname", "first_name" }, { "lastname", "last_name" },
	{ "company", "company" }, { "companyname", "company" },
	{ "title", "title" }, { "jobtitle", "title" },
	{ "phone", "phone" }, { "phonenumber", "phone" }, { "mainphone", "phone" },
	{ "mobilephone", "phone" }, { "mobilephonenumber", "phone" },
	{ "industry", "industry" }, { "numberofemployees", "employees" },
	{ "numemployees", "employees" }, { "country", "country" },
	{ "leadsource", "source" }, { "originalsourcetype", "source" },
	{ "leadstatus", "status" }, { "leadstage", "stage" },
	{ "revenuestage", "stage" }, { "leadlifecyclestage", "stage" },
	{ "leadowneremailaddress", "owner" }, { "leadowner", "owner" },
	{ "leadowneremail", "owner" }, { "createdat", "created_at" },
	{ "created", "created_at" }, { "updatedat", "updated_at" },
	{ "updated", "updated_at" }, { "lastinterestingmomentdate", "last_activity_at" },
	{ "lastactivitydate", "last_activity_at" }, { NULL, NULL }
};

/* Pipedrive exports: "Person - Email" style. */
static const struct name_map pipedrive[] = {
	{ "personpipedrivesystemid", "lead_id" }, { "personid", "lead_id" },
	{ "leadpipedrivesystemid", "lead_id" }, { "leadid", "lead_id" },
	{ "personemail", "email" }, { "personemailwork", "email" },
	{ "personfirstname", "first_name" }, { "personlastname", "last_name" },
	{ "organizationname", "company" }, { "personorganization", "company" },
	{ "organization", "company" }, { "personjobtitle", "title" },
	{ "personphone", "phone" }, { "personphonework", "phone" },
	{ "personphonemobile", "phone" }, { "organizationindustry", "industry" },
	{ "organizationnumberofemployees", "employees" },
	{ "organizationemployees", "employees" }, { "organizationcountry", "country" },
	{ "personcountry", "country" }, { "leadsourcechannel", "source" },
	{ "personsourcechannel", "source" }, { "personlabel", "status" },
	{ "leadlabels", "status" }, { "personowner", "owner" }, { "leadowner", "owner" },
	{ "personcreationdate", "created_at" }, { "leadcreationdate", "created_at" },
	{ "personupdatetime", "updated_at" }, { "personlastactivitydate", "last_activity_at" },
	{ NULL, NULL }
};

/* Names a CRM without a preset (or a spreadsheet) is likely to use. */
static const struct name_map synonyms[] = {
	{ "leadid", "lead_id" }, { "id", "lead_id" }, { "recordid", "lead_id" },
	{ "contactid", "lead_id" }, { "personid", "lead_id" }, { "prospectid", "lead_id" },
	{ "mqlid", "lead_id" }, { "customerid", "lead_id" },
	{ "email", "email" }, { "emailaddress", "email" }, { "mail", "email" },
	{ "workemail", "email" }, { "businessemail", "email" }, { "emailid", "email" },
	{ "primaryemail", "email" }, { "emails", "email" },
	{ "firstname", "first_name" }, { "first", "first_name" }, { "givenname", "first_name" },
	{ "forename", "first_name" }, { "fname", "first_name" },
	{ "lastname", "last_name" }, { "last", "last_name" }, { "surname", "last_name" },
	{ "familyname", "last_name" }, { "lname", "last_name" },
	{ "company", "company" }, { "companyname", "company" }, { "organization", "company" },
	{ "organisation", "company" }, { "organizationname", "company" },
	{ "organisationname", "company" }, { "accountname", "company" },
	{ "account", "company" }, { "employer", "company" }, { "business", "company" },
	{ "title", "title" }, { "jobtitle", "title" }, { "position", "title" },
	{ "designation", "title" }, { "jobrole", "title" }, { "role", "title" },
	{ "phone", "phone" }, { "phonenumber", "phone" }, { "telephone", "phone" },
	{ "tel", "phone" }, { "mobile", "phone" }, { "mobilephone", "phone" },
	{ "mobilenumber", "phone" }, { "mainphone", "phone" }, { "workphone", "phone" },
	{ "businessphone", "phone" }, { "cellphone", "phone" }, { "contactnumber", "phone" },
	{ "industry", "industry" }, { "vertical", "industry" }, { "sector", "industry" },
	{ "businesssegment", "industry" },
	{ "employees", "employees" }, { "numberofemployees", "employees" },
	{ "employeecount", "employees" }, { "companysize", "employees" },
	{ "headcount", "employees" }, { "noofemployees", "employees" },
	{ "numemployees", "employees" }, { "employeesize", "employees" },
	{ "country", "country" }, { "countryregion", "country" },
	{ "countryname", "country" }, { "countrycode", "country" }, { "nation", "country" },
	{ "source", "source" }, { "leadsource", "source" }, { "originalsource", "source" },
	{ "origin", "source" }, { "channel", "source" }, { "sourcechannel", "source" },
	{ "utmsource", "source" }, { "acquisitionsource", "source" },
	{ "stage", "stage" }, { "lifecyclestage", "stage" }, { "leadstage", "stage" },
	{ "funnelstage", "stage" }, { "lifecycle", "stage" },
	{ "status", "status" }, { "leadstatus", "status" },
	{ "owner", "owner" }, { "leadowner", "owner" }, { "contactowner", "owner" },
	{ "accountowner", "owner" }, { "assignedto", "owner" }, { "salesrep", "owner" },
	{ "ownername", "owner" }, { "owneremail", "owner" }, { "assignee", "owner" },
	{ "createdat", "created_at" }, { "createddate", "created_at" },
	{ "createdate", "created_at" }, { "createdtime", "created_at" },
	{ "creationdate", "created_at" }, { "datecreated", "created_at" },
	{ "created", "created_at" }, { "createdon", "created_at" },
	{ "firstcontactdate", "created_at" }, { "signupdate", "created_at" },
	{ "updatedat", "updated_at" }, { "lastmodifieddate", "updated_at" },
	{ "lastmodified", "updated_at" }, { "modifieddate", "updated_at" },
	{ "modifiedtime", "updated_at" }, { "updated", "updated_at" },
	{ "lastupdated", "updated_at" }, { "updatetime", "updated_at" },
	{ "updateddate", "updated_at" }, { "modifiedon", "updated_at" },
	{ "lastactivityat", "last_activity_at" }, { "lastactivitydate", "last_activity_at" },
	{ "lastactivitytime", "last_activity_at" }, { "lastengagementdate", "last_activity_at" },
	{ "lastactivitytimestamp", "last_activity_at" },
	{ NULL, NULL }
};

static const struct preset {
	const char *name;
	const struct name_map *map;
} presets[] = {
	{ "hubspot", hubspot },
	{ "salesforce", salesforce },
	{ "marketo", marketo },
	{ "pipedrive", pipedrive },
};
#define NPRESETS (int)(sizeof presets / sizeof presets[0])

const char *const lk_presets[] = { "hubspot", "salesforce", "marketo", "pipedrive", NULL };

static const char *lookup(const struct name_map *map, const char *loose)
{
	for (; map->loose; map++)
		if (!strcmp(map->loose, loose))
			return map->canon;
	return NULL;
}

/* Loose key with a Pipedrive/HubSpot-style entity prefix removed, or NULL. */
static const char *strip_prefix(const char *loose)
{
	static const char *pre[] = { "person", "contact", "lead", "prospect", NULL };
	int i;

	for (i = 0; pre[i]; i++) {
		size_t n = strlen(pre[i]);
		if (!strncmp(loose, pre[i], n) && loose[n])
			return loose + n;
	}
	return NULL;
}

void lk_mapping_free(lk_mapping *mp)
{
	int i;

	if (!mp)
		return;
	for (i = 0; i < mp->ncols; i++)
		free(mp->names[i]);
	free(mp->names);
	free(mp->canon);
	free(mp->kind);
	free(mp->shadowed);
	memset(mp, 0, sizeof *mp);
}

/* Give every column a usable, unique name. */
static int name_columns(lk_mapping *mp, const lk_row *h)
{
	int i, j;

	for (i = 0; i < h->n; i++) {
		char tmp[64];
		const char *base = h->f[i];
		if (h->len[i] == 0) {
			snprintf(tmp, sizeof tmp, "_col%d", i + 1);
			base = tmp;
			mp->renamed++;
		}
		mp->names[i] = strdup(base);
		if (!mp->names[i])
			return -1;
		for (j = 0; j < i; j++) {
			if (!strcmp(mp->names[j], mp->names[i])) {
				int k = 2;
				size_t n = strlen(base) + 16;
				char *s = malloc(n);
				if (!s)
					return -1;
				for (;;) {
					int taken = 0, q;
					snprintf(s, n, "%s_%d", base, k);
					for (q = 0; q < i; q++)
						if (!strcmp(mp->names[q], s))
							taken = 1;
					if (!taken)
						break;
					k++;
				}
				free(mp->names[i]);
				mp->names[i] = s;
				mp->renamed++;
				break;
			}
		}
	}
	return 0;
}

static void assign(lk_mapping *mp, int col, const char *canon, lk_mapkind kind)
{
	int c = lk_canon_index(canon);

	if (c < 0 || mp->canon[col] >= 0)
		return;
	if (mp->src[c] >= 0) {
		if (mp->shadowed[col] < 0)
			mp->shadowed[col] = c;
		return;
	}
	mp->src[c] = col;
	mp->canon[col] = c;
	mp->kind[col] = kind;
}

int lk_mapping_build(lk_mapping *mp, const lk_model *m, const char *from,
		     const lk_row *h, lk_err *err)
{
	lk_buf k = LK_BUF_INIT;
	char **loose = NULL;
	const struct preset *pre = NULL;
	int i, j, n = h->n;

	memset(mp, 0, sizeof *mp);
	for (i = 0; i < LK_NCANON; i++)
		mp->src[i] = -1;
	if (!from)
		from = "auto";
	if (strcmp(from, "auto") && strcmp(from, "none")) {
		for (i = 0; i < NPRESETS; i++)
			if (!strcmp(from, presets[i].name))
				pre = &presets[i];
		if (!pre) {
			const char *hint = lk_did_you_mean(from, lk_presets, NPRESETS);
			return lk_err_set(err, LK_EUSAGE,
					  "unknown --from '%s'%s%s%s (choose auto, none, hubspot, "
					  "salesforce, marketo or pipedrive)", from,
					  hint ? " (did you mean '" : "", hint ? hint : "",
					  hint ? "'?)" : "");
		}
	}
	mp->ncols = n;
	mp->names = calloc((size_t)n + 1, sizeof *mp->names);
	mp->canon = malloc(sizeof *mp->canon * ((size_t)n + 1));
	mp->kind = calloc((size_t)n + 1, sizeof *mp->kind);
	mp->shadowed = malloc(sizeof *mp->shadowed * ((size_t)n + 1));
	loose = calloc((size_t)n + 1, sizeof *loose);
	if (!mp->names || !mp->canon || !mp->kind || !mp->shadowed || !loose ||
	    name_columns(mp, h) < 0)
		goto oom;
	for (i = 0; i < n; i++) {
		mp->canon[i] = -1;
		mp->shadowed[i] = -1;
		lk_loose_key(h->f[i], h->len[i], &k);
		loose[i] = strdup(lk_buf_str(&k));
		if (!loose[i])
			goto oom;
	}
	if (!strcmp(from, "none"))
		goto done;

	/* 1. Columns already named canonically (our own output re-read). */
	for (i = 0; i < n; i++)
		if (lk_canon_index(h->f[i]) >= 0)
			assign(mp, i, h->f[i], LK_MAP_SELF);
	/* 2. The model's aliases. */
	for (j = 0; m && j < m->nfield_aliases; j++) {
		lk_loose_key(m->field_aliases[j].alias, strlen(m->field_aliases[j].alias), &k);
		for (i = 0; i < n; i++)
			if (!strcmp(loose[i], lk_buf_str(&k)))
				assign(mp, i, m->field_aliases[j].name, LK_MAP_MODEL);
	}
	/* 3. The preset: named, or the one that knows most of the header. */
	if (!pre) {
		int best = 0;
		for (j = 0; j < NPRESETS; j++) {
			int hits = 0;
			for (i = 0; i < n; i++)
				if (lookup(presets[j].map, loose[i]))
					hits++;
			/* Prefer the preset with distinctive hits: generic names
			 * such as "email" are in every preset. */
			if (hits > best) {
				best = hits;
				pre = &presets[j];
			}
		}
		if (best < 3)
			pre = NULL;
	}
	if (pre) {
		mp->preset = pre->name;
		for (i = 0; i < n; i++) {
			const char *c = lookup(pre->map, loose[i]);
			if (c) {
				mp->npreset_hits++;
				assign(mp, i, c, LK_MAP_PRESET);
			}
		}
	}
	/* 4. Generic synonyms, then with an entity prefix removed. */
	for (i = 0; i < n; i++) {
		const char *c = lookup(synonyms, loose[i]);
		if (c)
			assign(mp, i, c, LK_MAP_SYNONYM);
	}
	for (i = 0; i < n; i++) {
		const char *rest = strip_prefix(loose[i]), *c;
		/* A Pipedrive "Lead" is a pre-deal record, not a person: its
		 * "Lead - Title" names the record, not the job. */
		if (rest && mp->preset && !strcmp(mp->preset, "pipedrive") &&
		    !strncmp(loose[i], "lead", 4))
			continue;
		if (rest && (c = lookup(synonyms, rest)))
			assign(mp, i, c, LK_MAP_SYNONYM);
	}
done:
	for (i = 0; i < n; i++)
		free(loose[i]);
	free(loose);
	lk_buf_free(&k);
	return 0;
oom:
	for (i = 0; loose && i < n; i++)
		free(loose[i]);
	free(loose);
	lk_buf_free(&k);
	lk_mapping_free(mp);
	return lk_err_set(err, LK_ENOMEM, "out of memory");
}

int lk_mapping_describe(const lk_mapping *mp, lk_buf *out)
{
	static const char *how[] = { "", "canonical name", "model alias", "preset", "synonym" };
	int i, c, unmapped = 0;

	lk_buf_addf(out, "preset: %s\n", mp->preset ? mp->preset : "none");
	for (i = 0; i < mp->ncols; i++) {
		if (mp->canon[i] < 0)
			continue;
		lk_buf_addf(out, "  %-32s -> %-16s (%s)\n", mp->names[i],
			    lk_canon[mp->canon[i]], how[mp->kind[i]]);
	}
	for (c = 0; c < LK_NCANON; c++)
		if (mp->src[c] < 0)
			lk_buf_addf(out, "  %-32s -> %-16s (no column: left empty)\n", "-",
				    lk_canon[c]);
	for (i = 0; i < mp->ncols; i++) {
		if (mp->canon[i] >= 0)
			continue;
		if (!unmapped++)
			lk_buf_addf(out, "unmapped (passed through unchanged):\n");
		if (mp->shadowed[i] >= 0)
			lk_buf_addf(out, "  %-32s (also looks like %s, which is taken by '%s')\n",
				    mp->names[i], lk_canon[mp->shadowed[i]],
				    mp->names[mp->src[mp->shadowed[i]]]);
		else
			lk_buf_addf(out, "  %s\n", mp->names[i]);
	}
	return 0;
}

/* ---- activity exports ---- */

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

int lk_mapping_renames(const lk_mapping *mp, const lk_row *header, const char *name, lk_buf *out)
{
	int i, shown = 0, bad = 0;

	for (i = 0; mp->renamed && i < header->n; i++) {
		if (header->len[i] == strlen(mp->names[i]) &&
		    !memcmp(header->f[i], mp->names[i], header->len[i]))
			continue;
		if (shown++ == 5)
			break;
		if (header->len[i])
			bad |= lk_buf_addf(out, "%s: header: column %d: repeated name '%.*s' renamed '%s'",
					   name, i + 1, (int)header->len[i], header->f[i], mp->names[i]);
		else
			bad |= lk_buf_addf(out, "%s: header: column %d: empty name renamed '%s'", name,
					   i + 1, mp->names[i]);
		bad |= lk_buf_addc(out, 0);
	}
	if (mp->renamed > 5) {
		bad |= lk_buf_addf(out, "%s: header: %d empty or repeated names renamed in all", name,
				   mp->renamed);
		bad |= lk_buf_addc(out, 0);
	}
	return bad ? -1 : 0;
}
