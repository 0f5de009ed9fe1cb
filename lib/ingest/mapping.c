/* mapping.c - header names to canonical columns; see mapping.h. */
#include "ingest/mapping.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/consent.h"

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
	{ "lastactivitydate", "last_activity_at" },
	/* Consent: property labels and internal names. */
	{ "unsubscribedfromallemail", "email_opt_out" }, { "hsemailoptout", "email_opt_out" },
	{ "optedoutofallemail", "email_opt_out" },
	{ "optedoutofemailmarketinginformation", "email_opt_out" },
	{ "markedasspam", "email_opt_out" }, { "isgloballyineligible", "email_opt_out" },
	{ "hsemailisineligible", "email_opt_out" },
	{ "emailaddressquarantined", "email_opt_out" }, { "hsemailquarantined", "email_opt_out" },
	{ "emailhardbouncereason", "email_bounced" },
	{ "hsemailhardbouncereason", "email_bounced" },
	{ "hsemailhardbouncereasonenum", "email_bounced" },
	{ "invalidemailaddress", "email_bounced" }, { "hsemailbadaddress", "email_bounced" },
	{ "marketingemailsbounced", "email_bounced" }, { "hsemailbounce", "email_bounced" },
	{ NULL, NULL }
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
	{ "emailoptout", "email_opt_out" }, { "hasoptedoutofemail", "email_opt_out" },
	{ "donotcall", "do_not_call" },
	{ "emailbouncedreason", "email_bounced" }, { "emailbounceddate", "email_bounced" },
	{ "isemailbounced", "email_bounced" }, { "emailbounced", "email_bounced" },
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
	{ "lastactivitydate", "last_activity_at" },
	{ "unsubscribed", "email_opt_out" }, { "marketingsuspended", "email_opt_out" },
	{ "blacklisted", "email_opt_out" }, { "blocklisted", "email_opt_out" },
	{ "donotcall", "do_not_call" },
	{ "emailinvalid", "email_bounced" }, { "emailinvalidcause", "email_bounced" },
	{ NULL, NULL }
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
	{ "personemailmessagesmarketingstatus", "email_opt_out" },
	{ "personmarketingstatus", "email_opt_out" },
	{ "emailmessagesmarketingstatus", "email_opt_out" }, { "marketingstatus", "email_opt_out" },
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
	/* Consent (consent.h): Zoho's "Email Opt Out", X Education's "Do Not
	 * Email", spreadsheets' opt_out and dnc. */
	{ "emailoptout", "email_opt_out" }, { "optout", "email_opt_out" },
	{ "optedout", "email_opt_out" }, { "hasoptedoutofemail", "email_opt_out" },
	{ "emailoptedout", "email_opt_out" }, { "unsubscribed", "email_opt_out" },
	{ "emailunsubscribed", "email_opt_out" }, { "isunsubscribed", "email_opt_out" },
	{ "unsubscribedfromallemail", "email_opt_out" }, { "donotemail", "email_opt_out" },
	{ "noemail", "email_opt_out" }, { "emailsuppressed", "email_opt_out" },
	{ "blacklisted", "email_opt_out" }, { "blocklisted", "email_opt_out" },
	{ "marketingsuspended", "email_opt_out" },
	{ "marketingstatus", "email_opt_out" },
	{ "emailmessagesmarketingstatus", "email_opt_out" },
	{ "donotcall", "do_not_call" }, { "dnc", "do_not_call" }, { "donotphone", "do_not_call" },
	{ "nocall", "do_not_call" }, { "calloptout", "do_not_call" },
	{ "phoneoptout", "do_not_call" },
	{ "emailbounced", "email_bounced" }, { "bounced", "email_bounced" },
	{ "isbounced", "email_bounced" }, { "isemailbounced", "email_bounced" },
	{ "hardbounce", "email_bounced" }, { "hardbounced", "email_bounced" },
	{ "emailinvalid", "email_bounced" }, { "invalidemail", "email_bounced" },
	{ "emailbouncereason", "email_bounced" }, { "emailbouncedreason", "email_bounced" },
	{ "bouncereason", "email_bounced" }, { "emailbounceddate", "email_bounced" },
	{ "bounceddate", "email_bounced" }, { "hardbouncereason", "email_bounced" },
	{ "emailhardbouncereason", "email_bounced" }, { "invalidemailaddress", "email_bounced" },
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
			/* Consent names (Do Not Call) are shared by several
			 * CRMs and say nothing about which one wrote the file. */
			for (i = 0; i < n; i++) {
				const char *c = lookup(presets[j].map, loose[i]);
				if (c && !lk_consent_column(c))
					hits++;
			}
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
		if (mp->shadowed[i] >= 0 && lk_consent_column(lk_canon[mp->shadowed[i]]))
			lk_buf_addf(out, "  %-32s (also read into %s with '%s': a yes in either "
				    "makes it true)\n", mp->names[i], lk_canon[mp->shadowed[i]],
				    mp->names[mp->src[mp->shadowed[i]]]);
		else if (mp->shadowed[i] >= 0)
			lk_buf_addf(out, "  %-32s (also looks like %s, which is taken by '%s')\n",
				    mp->names[i], lk_canon[mp->shadowed[i]],
				    mp->names[mp->src[mp->shadowed[i]]]);
		else
			lk_buf_addf(out, "  %s\n", mp->names[i]);
	}
	return 0;
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
