/* check_activities.c - activities.h and the activity half of mapping.h:
 * activity exports of each CRM mapped, linked and made one stream. */
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "ingest/activities.h"
#include "ingest/mapping.h"

/* The header name that plays `role` ("-" for none). */
static const char *role(const lk_actmap *am, int r)
{
	return am->src[r] >= 0 ? am->names[am->src[r]] : "-";
}

static void map(lk_actmap *am, const lk_model *m, const char *from, const char *name,
		int linked, const char *header)
{
	lk_unit_row h;
	lk_err e;

	lk_err_clear(&e);
	ck_assert_msg(lk_mapping_activities(am, m, from, name, linked, lk_unit_split(&h, header), &e) == 0,
		      "%s: %s", header, e.msg);
}

START_TEST(presets_of_each_crm)
{
	lk_actmap am;

	map(&am, NULL, NULL, NULL, 0,
	    "Activity ID,Activity date,Activity type,Associated Contact,Contact ID,Subject,Body preview");
	ck_assert_str_eq(am.preset, "hubspot");
	ck_assert_str_eq(role(&am, LK_ACT_OCCURRED_AT), "Activity date");
	ck_assert_str_eq(role(&am, LK_ACT_ACTIVITY), "Activity type");
	ck_assert_str_eq(role(&am, LK_ACT_LEAD_ID), "Contact ID");
	ck_assert_str_eq(role(&am, LK_ACT_DETAIL), "Subject");
	ck_assert_int_eq(am.ref[3], LK_REF_NAME);
	lk_actmap_free(&am);

	map(&am, NULL, NULL, NULL, 1,
	    "Id,WhoId,WhatId,Subject,ActivityDate,Status,TaskSubtype,CallType,CreatedDate");
	ck_assert_str_eq(am.preset, "salesforce");
	ck_assert_str_eq(role(&am, LK_ACT_ACTIVITY), "TaskSubtype");
	ck_assert_str_eq(role(&am, LK_ACT_OCCURRED_AT), "ActivityDate");
	ck_assert_int_eq(am.dates[1], 8);
	ck_assert_str_eq(role(&am, LK_ACT_LEAD_ID), "-");	/* linked: WhoId is a reference */
	ck_assert_int_eq(am.nrefs, 1);
	ck_assert_int_eq(am.refs[0], 1);
	lk_actmap_free(&am);

	map(&am, NULL, NULL, NULL, 0,
	    "Lead ID,Activity Date,Activity Type,Detail,Primary Attribute Value,Campaign Run ID");
	ck_assert_str_eq(am.preset, "marketo");
	ck_assert_str_eq(role(&am, LK_ACT_LEAD_ID), "Lead ID");
	ck_assert_str_eq(role(&am, LK_ACT_DETAIL), "Detail");
	lk_actmap_free(&am);

	map(&am, NULL, NULL, NULL, 0,
	    "Activity - Subject,Activity - Type,Activity - Due date,Activity - Done time,"
	    "Activity - Person ID,Activity - Deal ID");
	ck_assert_str_eq(am.preset, "pipedrive");
	ck_assert_str_eq(role(&am, LK_ACT_OCCURRED_AT), "Activity - Done time");
	ck_assert_int_eq(am.dates[1], 2);
	ck_assert_str_eq(role(&am, LK_ACT_LEAD_ID), "Activity - Person ID");
	ck_assert_str_eq(role(&am, LK_ACT_ACTIVITY), "Activity - Type");
	lk_actmap_free(&am);

	map(&am, NULL, NULL, NULL, 0,
	    "Subject,Call Type,Call Start Time,Call Duration,CONTACTID,Contact Name");
	ck_assert_str_eq(am.preset, "zoho");
	ck_assert_str_eq(role(&am, LK_ACT_OCCURRED_AT), "Call Start Time");
	ck_assert_str_eq(role(&am, LK_ACT_LEAD_ID), "CONTACTID");
	lk_actmap_free(&am);

	map(&am, NULL, NULL, NULL, 1,
	    "Campaign Name,Member Status,Modified Time,LEADID,CONTACTID");
	ck_assert_str_eq(am.preset, "zoho");
	ck_assert_str_eq(role(&am, LK_ACT_ACTIVITY), "Member Status");
	ck_assert_str_eq(role(&am, LK_ACT_DETAIL), "Campaign Name");
	ck_assert_int_eq(am.nrefs, 2);
	lk_actmap_free(&am);
}
END_TEST

START_TEST(model_aliases_win)
{
	static const char y[] =
		"fields:\n"
		"  aliases:\n"
		"    occurred_at: [Logged On]\n"
		"    activity: [Outcome]\n"
		"    detail: [Notes]\n"
		"    lead_ref: [Buyer Key]\n";
	lk_err e;
	lk_model *m = lk_model_load_mem("m.yaml", y, sizeof y - 1, &e);
	lk_actmap am;

	ck_assert_ptr_nonnull(m);
	map(&am, m, NULL, NULL, 0, "Type,Date,Logged On,Outcome,Notes,Buyer Key,Email");
	ck_assert_str_eq(role(&am, LK_ACT_OCCURRED_AT), "Logged On");
	ck_assert_str_eq(role(&am, LK_ACT_ACTIVITY), "Outcome");
	ck_assert_str_eq(role(&am, LK_ACT_DETAIL), "Notes");
	ck_assert_str_eq(role(&am, LK_ACT_LEAD_ID), "Buyer Key");
	ck_assert_int_eq(am.kind[LK_ACT_OCCURRED_AT], LK_MAP_MODEL);
	/* The column a synonym would have taken is a fallback date only. */
	ck_assert_int_eq(am.dates[1], 1);
	lk_actmap_free(&am);
	lk_model_free(m);
}
END_TEST

START_TEST(unmappable_names_what_lacks)
{
	lk_unit_row h;
	lk_actmap am;
	lk_err e;

	ck_assert_int_eq(lk_mapping_activities(&am, NULL, NULL, NULL, 0,
		lk_unit_split(&h, "Subject,Call Start Time x,Created Time x,Notes"), &e), -1);
	ck_assert_int_eq(e.kind, LK_EDATA);
	ck_assert_str_eq(e.msg, "header: no activity column; no occurred_at column (closest: "
			 "\"Call Start Time x\"? \"Created Time x\"?); no lead_id, email or "
			 "reference column; name them in the model's fields.aliases, or give "
			 "every row one activity with --activity-name");
	/* A name alone needs a link. */
	ck_assert_int_eq(lk_mapping_activities(&am, NULL, NULL, "call", 0,
		lk_unit_split(&h, "Date,Contact Name"), &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "\"Contact Name\" names the lead only: give --link"));
	ck_assert_int_eq(lk_mapping_activities(&am, NULL, "zohoo", NULL, 0,
		lk_unit_split(&h, "Date,Email,Type"), &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "did you mean 'zoho'"));
}
END_TEST

/* Run rows through an ingest of one or more files: the output row as
 * text, "REPEAT", or "REJECT: reason". */
static const char *run(lk_actingest *a, int file, const char *line)
{
	static char out[512];
	lk_unit_row r;
	lk_row *o;
	const char *reason;
	lk_err e;
	int c, i;

	lk_actingest_use(a, file);
	c = lk_actingest_row(a, lk_unit_split(&r, line), &o, &reason, &e);
	ck_assert_int_ge(c, 0);
	if (c == LK_ACT_REPEAT)
		return "REPEAT";
	if (c == 0) {
		snprintf(out, sizeof out, "REJECT: %s", reason);
		return out;
	}
	out[0] = 0;
	for (i = 0; i < o->n; i++)
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%.*s", i ? "," : "",
			 (int)o->len[i], o->f[i]);
	return out;
}

START_TEST(statuses_names_and_repeats)
{
	static const char y[] = "fields:\n  activities:\n    email_opened: [Opened]\n";
	lk_err e;
	lk_model *m = lk_model_load_mem("m.yaml", y, sizeof y - 1, &e);
	lk_actingest *a = lk_actingest_new(m, NULL, &e);
	lk_unit_row h;

	ck_assert_int_eq(lk_actingest_add(a, lk_unit_split(&h, "Member Status,Modified Time,Email,Campaign Name"),
					  &e), 0);
	ck_assert_str_eq(run(a, 0, "Sent,2026-03-01 10:00:00,A@x.example.com,Spring"),
			 ",a@x.example.com,email_sent,2026-03-01T10:00:00Z,Spring");
	/* The model's alias overrides the built-in name. */
	ck_assert_str_eq(run(a, 0, "Opened,2026-03-02 10:00:00,a@x.example.com,Spring"),
			 ",a@x.example.com,email_opened,2026-03-02T10:00:00Z,Spring");
	ck_assert_str_eq(run(a, 0, "Opted Out,2026-03-03 10:00:00,a@x.example.com,Spring"),
			 ",a@x.example.com,unsubscribe,2026-03-03T10:00:00Z,Spring");
	ck_assert_str_eq(run(a, 0, "Bounced,2026-03-03 10:00:00,a@x.example.com,Spring"),
			 ",a@x.example.com,email_bounced,2026-03-03T10:00:00Z,Spring");
	ck_assert_str_eq(run(a, 0, "Webinar Attended,2026-03-04 10:00:00,a@x.example.com,Spring"),
			 ",a@x.example.com,webinar_attended,2026-03-04T10:00:00Z,Spring");
	/* The same lead, activity, time and detail again: a repeat, however
	 * the values were written. */
	ck_assert_str_eq(run(a, 0, "sent,2026-03-01T10:00:00Z, a@X.example.com ,Spring"), "REPEAT");
	ck_assert_str_eq(run(a, 0, "Sent,2026-03-01 10:00:00,a@x.example.com,Autumn"),
			 ",a@x.example.com,email_sent,2026-03-01T10:00:00Z,Autumn");
	ck_assert_str_eq(run(a, 0, "Sent,,a@x.example.com,Spring"),
			 "REJECT: no date (Modified Time is empty)");
	lk_actingest_stats st;
	lk_actingest_stats_get(a, 0, &st);
	ck_assert_int_eq(st.repeats, 1);
	ck_assert_str_eq(lk_act_builtin("Responded", 9), "campaign_response");
	ck_assert_ptr_null(lk_act_builtin("Mystery", 7));
	lk_actingest_free(a);
	lk_model_free(m);
}
END_TEST

START_TEST(files_of_two_shapes_one_stream)
{
	lk_actingest_opt o = { .activity_name = NULL };
	lk_err e;
	lk_actingest *a = lk_actingest_new(NULL, &o, &e);
	const char *const *names;
	lk_unit_row h;
	int n;

	ck_assert_int_eq(lk_actingest_add(a, lk_unit_split(&h, "Email,Type,Date,Owner,Region"), &e), 0);
	ck_assert_int_eq(lk_actingest_add(a, lk_unit_split(&h, "Lead ID,Activity Type,Activity Date,Score,Owner"),
					  &e), 1);
	lk_actingest_header(a, &names, &n);
	ck_assert_int_eq(n, 8);
	ck_assert_str_eq(names[5], "Owner");
	ck_assert_str_eq(names[6], "Region");
	ck_assert_str_eq(names[7], "Score");
	ck_assert_str_eq(run(a, 0, "b@x.example.com,Demo Request,2026-01-02,ann,EU"),
			 ",b@x.example.com,demo_request,2026-01-02T00:00:00Z,,ann,EU,");
	ck_assert_str_eq(run(a, 1, "L7,Web Visit,2026-01-03,5,bob"),
			 "L7,,web_visit,2026-01-03T00:00:00Z,,bob,,5");
	lk_actingest_free(a);
}
END_TEST

START_TEST(activity_name_for_a_whole_file)
{
	lk_actingest_opt o = { .activity_name = "call" };
	lk_err e;
	lk_actingest *a = lk_actingest_new(NULL, &o, &e);
	lk_unit_row h;

	ck_assert_int_eq(lk_actingest_add(a, lk_unit_split(&h, "Email,Call Type,Date"), &e), 0);
	/* No column is the activity: Call Type passes through. */
	ck_assert_str_eq(run(a, 0, "c@x.example.com,Outbound,2026-01-02 09:00"),
			 ",c@x.example.com,call,2026-01-02T09:00:00Z,,Outbound");
	lk_actingest_free(a);
}
END_TEST

Suite *lk_suite_activities(void)
{
	return lk_unit_suite("activities", NULL, NULL,
			     LK_UNIT_TESTS(presets_of_each_crm, model_aliases_win,
					   unmappable_names_what_lacks, statuses_names_and_repeats,
					   files_of_two_shapes_one_stream,
					   activity_name_for_a_whole_file));
}
