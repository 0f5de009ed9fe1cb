/* Unit tests for lib/model/histmap: the three shapes of a stage-history
 * export (changes, stage dates, deals), each in a CRM's own header style
 * (Salesforce OpportunityHistory API names and report labels, HubSpot
 * deals with "Date entered" columns, Zoho potentials, Pipedrive deals and
 * deal updates, the Olist closed deals), the lead of a row, stage values
 * through the model, and the errors that name what is missing.  The
 * files are small and written here; expected values are read off them
 * by hand. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "model/histmap.h"

static lk_model *builtin;

static void setup(void)
{
	lk_err e;

	lk_err_clear(&e);
	builtin = lk_model_load(NULL, &e);
	ck_assert_ptr_nonnull(builtin);
}

static void teardown(void)
{
	lk_model_free(builtin);
}

/* A CSV text read by the real reader: its header, then its rows. */
struct csv {
	FILE *fp;
	lk_reader *rd;
	lk_row *row;
};

static const lk_row *csv_open(struct csv *c, const char *text)
{
	lk_csvopt co = { 0 };
	lk_err e;

	lk_err_clear(&e);
	c->fp = tmpfile();
	ck_assert_ptr_nonnull(c->fp);
	fputs(text, c->fp);
	fflush(c->fp);
	lseek(fileno(c->fp), 0, SEEK_SET);
	c->rd = lk_reader_new(fileno(c->fp), &co, &e);
	ck_assert_ptr_nonnull(c->rd);
	ck_assert_int_eq(lk_reader_next(c->rd, &c->row, &e), 1);
	return c->row;
}

static const lk_row *csv_next(struct csv *c)
{
	lk_err e;

	lk_err_clear(&e);
	ck_assert_int_eq(lk_reader_next(c->rd, &c->row, &e), 1);
	return c->row;
}

static void csv_close(struct csv *c)
{
	lk_reader_free(c->rd);
	fclose(c->fp);
}

/* A map of the header of `text` with the built-in model. */
static lk_histmap *map(struct csv *c, const lk_model *m, const char *text, int keep)
{
	lk_histmap_opt o = { .keep_unknown = keep };
	lk_err e;
	lk_histmap *hm;

	lk_err_clear(&e);
	hm = lk_histmap_new(m, csv_open(c, text), &o, &e);
	ck_assert_msg(hm != NULL, "map failed: %s", e.msg);
	return hm;
}

static void expect_ev(const lk_histev *ev, const char *lead, const char *email, const char *stage,
		      const char *at)
{
	ck_assert_msg(ev->lead_id_len == strlen(lead) && !memcmp(ev->lead_id, lead, ev->lead_id_len),
		      "lead_id '%.*s', want '%s'", (int)ev->lead_id_len, ev->lead_id, lead);
	ck_assert_msg(ev->email_len == strlen(email) && !memcmp(ev->email, email, ev->email_len),
		      "email '%.*s', want '%s'", (int)ev->email_len, ev->email, email);
	ck_assert_msg(ev->stage >= 0 && !strcmp(builtin->stages[ev->stage].id, stage),
		      "stage %d, want %s", ev->stage, stage);
	ck_assert_msg(ev->at_len == strlen(at) && !memcmp(ev->at, at, ev->at_len),
		      "at '%.*s', want '%s'", (int)ev->at_len, ev->at, at);
}

static int one_row(lk_histmap *hm, struct csv *c, const lk_histev **ev)
{
	const char *why = NULL;
	int n = lk_histmap_row(hm, csv_next(c), ev, &why);

	ck_assert_msg(n > 0, "row rejected: %s", why ? why : "?");
	return n;
}

START_TEST(test_salesforce_api_names)
{
	struct csv c;
	const lk_histev *ev;
	lk_histmap *hm = map(&c, builtin,
		"Id,OpportunityId,Contact Email,StageName,FromOpportunityStageName,CreatedDate,Amount,"
		"CurrencyIsoCode\n"
		"008X1,006A,Ana@Acme.example,Negotiation/Review,Prospecting,"
		"2026-02-10T09:30:00.000+0000,12000,USD\n"
		"008X2,006A,ana@acme.example,Closed Won,Negotiation/Review,"
		"2026-03-01T16:00:00.000+0000,15000,USD\n", 0);

	/* Id is the history row's: the deal is OpportunityId. */
	ck_assert_int_eq(lk_histmap_shape(hm), LK_HSHAPE_CHANGES);
	ck_assert_int_eq(lk_histmap_col(hm, LK_H_DEAL_ID), 1);
	ck_assert_int_eq(lk_histmap_col(hm, LK_H_EMAIL), 2);
	ck_assert_int_eq(lk_histmap_col(hm, LK_H_STAGE), 3);
	ck_assert_int_eq(lk_histmap_col(hm, LK_H_FROM_STAGE), 4);
	ck_assert_int_eq(lk_histmap_col(hm, LK_H_CREATED_AT), 5);
	ck_assert_int_eq(lk_histmap_col(hm, LK_H_CURRENCY), 7);
	ck_assert_int_eq(one_row(hm, &c, &ev), 1);
	expect_ev(ev, "", "ana@acme.example", "opportunity", "2026-02-10T09:30:00.000+0000");
	ck_assert_int_eq((int)ev->amount_len, 5);
	ck_assert_int_eq(one_row(hm, &c, &ev), 1);
	expect_ev(ev, "", "ana@acme.example", "won", "2026-03-01T16:00:00.000+0000");
	ck_assert(!memcmp(ev->deal_id, "006A", 4) && !memcmp(ev->currency, "USD", 3));
	lk_histmap_free(hm);
	csv_close(&c);
}
END_TEST

/* Report labels: the change is at Last Modified, not at Created Date. */
START_TEST(test_salesforce_report_labels)
{
	struct csv c;
	const lk_histev *ev;
	lk_histmap *hm = map(&c, builtin,
		"Opportunity ID,Lead ID,Stage,From Stage,Created Date,Last Modified,Amount\n"
		"006B,00Q1,Closed Lost,Qualification,1/5/2026,2/20/2026,5000\n", 0);

	ck_assert_int_eq(lk_histmap_shape(hm), LK_HSHAPE_CHANGES);
	ck_assert_int_eq(lk_histmap_col(hm, LK_H_CHANGED_AT), 5);
	ck_assert(lk_histmap_is_date(hm, 4) && lk_histmap_is_date(hm, 5) && !lk_histmap_is_date(hm, 6));
	ck_assert_int_eq(one_row(hm, &c, &ev), 1);
	expect_ev(ev, "00Q1", "", "lost", "2/20/2026");
	ck_assert_int_eq(ev->at_col, 5);
	lk_histmap_free(hm);
	csv_close(&c);
}
END_TEST

/* HubSpot deals: one change per "Date entered" date, in header order;
 * a deal without any is read by its current stage. */
START_TEST(test_hubspot_date_entered)
{
	struct csv c;
	const lk_histev *ev;
	lk_histmap *hm = map(&c, builtin,
		"Record ID,Deal Stage,Associated Email,Create Date,"
		"Date entered Appointment Scheduled (Sales Pipeline),"
		"Date entered Closed Won (Sales Pipeline),"
		"Date exited Appointment Scheduled (Sales Pipeline)\n"
		"9001,Closed Won,ana@acme.example,2026-01-04,2026-01-05 10:00,2026-03-01 16:00,"
		"2026-03-01 16:00\n"
		"9003,Contract Sent,cy@initech.example,2026-03-01 10:00,,,\n", 0);

	ck_assert_int_eq(lk_histmap_shape(hm), LK_HSHAPE_ENTERED);
	ck_assert_int_eq(one_row(hm, &c, &ev), 2);
	expect_ev(&ev[0], "", "ana@acme.example", "opportunity", "2026-01-05 10:00");
	expect_ev(&ev[1], "", "ana@acme.example", "won", "2026-03-01 16:00");
	ck_assert_int_eq(ev[1].at_col, 5);
	ck_assert(!lk_histmap_is_date(hm, 6));	/* "Date exited" is no change */
	ck_assert_int_eq(one_row(hm, &c, &ev), 1);
	expect_ev(ev, "", "cy@initech.example", "opportunity", "2026-03-01 10:00");
	lk_histmap_free(hm);
	csv_close(&c);
}
END_TEST

/* A closed deal whose export has no column for its stage's date: the
 * current stage is a change too, at the close date; an open deal whose
 * stage has a date gives nothing more. */
START_TEST(test_hubspot_current_stage)
{
	struct csv c;
	const lk_histev *ev;
	lk_histmap *hm = map(&c, builtin,
		"Associated Email,Deal Stage,Close Date,Last Modified Date,"
		"Date entered Appointment Scheduled (Sales Pipeline)\n"
		"bo@globex.example,Closed Lost,2026-03-15,2026-03-20,2026-02-01 08:00\n"
		"cy@initech.example,Contract Sent,2026-05-01,2026-03-20,2026-02-02 08:00\n"
		"dee@x.example,Stalled,2026-05-01,2026-03-20,2026-02-03 08:00\n", 0);

	ck_assert_int_eq(one_row(hm, &c, &ev), 2);
	expect_ev(&ev[0], "", "bo@globex.example", "opportunity", "2026-02-01 08:00");
	expect_ev(&ev[1], "", "bo@globex.example", "lost", "2026-03-15");
	ck_assert_int_eq(one_row(hm, &c, &ev), 1);
	expect_ev(ev, "", "cy@initech.example", "opportunity", "2026-02-02 08:00");
	/* A current stage the model lacks adds nothing; the dates stand. */
	ck_assert_int_eq(one_row(hm, &c, &ev), 1);
	expect_ev(ev, "", "dee@x.example", "opportunity", "2026-02-03 08:00");
	lk_histmap_free(hm);
	csv_close(&c);
}
END_TEST

/* The API's hs_date_entered_<stage> names, and a stage the model lacks. */
START_TEST(test_hubspot_unknown_stage_column)
{
	static const char *names[] = { "email", "hs_date_entered_closedwon",
				       "Date entered \"Closed Lost (Sales Pipeline)\"",
				       "Date entered Verbal Commit (Sales Pipeline)" };
	char *f[4];
	size_t len[4];
	lk_row h = { .n = 4, .f = f, .len = len };
	lk_err e;
	lk_histmap *hm;
	int i;

	for (i = 0; i < 4; i++) {
		f[i] = (char *)names[i];
		len[i] = strlen(names[i]);
	}
	lk_err_clear(&e);
	ck_assert_ptr_null(lk_histmap_new(builtin, &h, NULL, &e));
	ck_assert_msg(strstr(e.msg, "column 4 'Date entered Verbal Commit (Sales Pipeline)'") &&
		      strstr(e.msg, "'Verbal Commit' is no stage of the model (closest:"), "%s",
		      e.msg);
	h.n = 3;	/* the API's name and the quoted label both read */
	lk_err_clear(&e);
	hm = lk_histmap_new(builtin, &h, NULL, &e);
	ck_assert_msg(hm != NULL, "%s", e.msg);
	ck_assert_int_eq(lk_histmap_shape(hm), LK_HSHAPE_ENTERED);
	ck_assert(lk_histmap_is_date(hm, 1) && lk_histmap_is_date(hm, 2));
	lk_histmap_free(hm);
}
END_TEST

/* Zoho potentials: a closed deal at its Closing Date, an open one at
 * its Modified Time. */
START_TEST(test_zoho_potentials)
{
	struct csv c;
	const lk_histev *ev;
	lk_histmap *hm = map(&c, builtin,
		"Potential Id,Email,Stage,Modified Time,Closing Date,Amount,CONTACTID\n"
		"zp1,ana@acme.example,Closed Won,2026-03-09 11:00:00,2026-03-01,9000,zc1\n"
		"zp2,bo@globex.example,Needs Analysis,2026-03-09 12:00:00,2026-04-30,300,zc2\n"
		"zp3,cy@initech.example,Closed-Lost to Competition,2026-03-09 13:00:00,2026-03-02,1,zc3\n",
		0);

	ck_assert_int_eq(lk_histmap_shape(hm), LK_HSHAPE_DEALS);
	ck_assert_int_eq(lk_histmap_col(hm, LK_H_DEAL_ID), 0);
	ck_assert_int_eq(lk_histmap_col(hm, LK_H_CONTACT), 6);
	one_row(hm, &c, &ev);
	expect_ev(ev, "", "ana@acme.example", "won", "2026-03-01");
	one_row(hm, &c, &ev);
	expect_ev(ev, "", "bo@globex.example", "opportunity", "2026-03-09 12:00:00");
	one_row(hm, &c, &ev);
	expect_ev(ev, "", "cy@initech.example", "lost", "2026-03-02");
	lk_histmap_free(hm);
	csv_close(&c);
}
END_TEST

/* Pipedrive deals: the status says won or lost over the pipeline stage,
 * dated by the won or lost time. */
START_TEST(test_pipedrive_deals)
{
	struct csv c;
	const lk_histev *ev;
	lk_histmap *hm = map(&c, builtin,
		"Deal - ID,Person - Email,Deal - Stage,Deal - Status,Deal - Update time,"
		"Deal - Won time,Deal - Lost time,Deal - Value,Deal - Currency\n"
		"1,ana@acme.example,Negotiations Started,won,2026-03-05 10:00:00,"
		"2026-03-04 09:00:00,,100,EUR\n"
		"2,bo@globex.example,Proposal Made,lost,2026-03-06 10:00:00,,2026-03-06 08:00:00,200,EUR\n"
		"3,cy@initech.example,Demo Scheduled,open,2026-03-07 10:00:00,,,300,EUR\n", 0);

	ck_assert_int_eq(lk_histmap_shape(hm), LK_HSHAPE_DEALS);
	ck_assert_int_eq(lk_histmap_col(hm, LK_H_AMOUNT), 7);
	ck_assert_int_eq(lk_histmap_col(hm, LK_H_CURRENCY), 8);
	one_row(hm, &c, &ev);
	expect_ev(ev, "", "ana@acme.example", "won", "2026-03-04 09:00:00");
	one_row(hm, &c, &ev);
	expect_ev(ev, "", "bo@globex.example", "lost", "2026-03-06 08:00:00");
	one_row(hm, &c, &ev);
	expect_ev(ev, "", "cy@initech.example", "opportunity", "2026-03-07 10:00:00");
	lk_histmap_free(hm);
	csv_close(&c);
}
END_TEST

/* Pipedrive deal updates: one row per change. */
START_TEST(test_pipedrive_updates)
{
	struct csv c;
	const lk_histev *ev;
	lk_histmap *hm = map(&c, builtin,
		"Deal ID,Email,Stage,Update time\n"
		"7,ana@acme.example,Contact Made,2026-01-02 10:00:00\n", 0);

	ck_assert_int_eq(lk_histmap_shape(hm), LK_HSHAPE_CHANGES);
	one_row(hm, &c, &ev);
	expect_ev(ev, "", "ana@acme.example", "opportunity", "2026-01-02 10:00:00");
	lk_histmap_free(hm);
	csv_close(&c);
}
END_TEST

/* The Olist closed deals: won at won_date, the lead by mql_id. */
START_TEST(test_olist_won_date)
{
	struct csv c;
	const lk_histev *ev;
	lk_histmap *hm = map(&c, builtin,
		"mql_id,seller_id,won_date,business_segment\n"
		"5420aa,2c43fb,2018-02-26 19:58:54,pet\n", 0);

	ck_assert_int_eq(lk_histmap_shape(hm), LK_HSHAPE_DEALS);
	ck_assert_int_eq(lk_histmap_col(hm, LK_H_LEAD_ID), 0);
	one_row(hm, &c, &ev);
	expect_ev(ev, "5420aa", "", "won", "2018-02-26 19:58:54");
	lk_histmap_free(hm);
	csv_close(&c);
}
END_TEST

/* No lead column: the error says what the rows name instead. */
START_TEST(test_no_lead)
{
	static const struct {
		const char *header, *want;
	} t[] = {
		{ "CONTACTID,Stage,Modified Time\n",
		  "the rows name a CRM contact or person ('CONTACTID'), not a lead" },
		{ "OpportunityId,StageName,CreatedDate\n",
		  "the rows name a CRM deal ('OpportunityId'), not a lead" },
		{ "Name,Stage,Modified Time\n", "no lead_id or email column" },
		{ "email,changed_at\n", "no stage column" },
		{ "email,stage\n", "no date column" },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct csv c;
		lk_err e;
		lk_err_clear(&e);
		ck_assert_ptr_null(lk_histmap_new(builtin, csv_open(&c, t[i].header), NULL, &e));
		ck_assert_msg(strstr(e.msg, t[i].want), "%s: got '%s'", t[i].header, e.msg);
		ck_assert_int_eq(e.kind, LK_EDATA);
		csv_close(&c);
	}
}
END_TEST

/* The link plan's hook: a linker that knows contact zc1 only. */
static int link_zc1(void *ctx, const lk_row *row, const char *id, size_t len, lk_buf *lead_id,
		    lk_buf *email, const char **reason)
{
	++*(int *)ctx;
	if (len == 3 && !memcmp(id, "zc1", 3)) {
		lk_buf_adds(lead_id, "L-1");
		return 1;
	}
	*reason = "no lead for CONTACTID";
	return 0;
}

START_TEST(test_link_hook)
{
	int calls = 0;
	lk_histmap_opt o = { .link = link_zc1, .link_ctx = &calls };
	struct csv c;
	const lk_histev *ev;
	const char *why;
	lk_err e;
	lk_histmap *hm;

	lk_err_clear(&e);
	hm = lk_histmap_new(builtin, csv_open(&c, "CONTACTID,Stage,Modified Time\n"
					     "zc1,Closed Won,2026-01-01\nzc2,Closed Won,2026-01-02\n"),
			    &o, &e);
	ck_assert_msg(hm != NULL, "%s", e.msg);
	one_row(hm, &c, &ev);
	expect_ev(ev, "L-1", "", "won", "2026-01-01");
	ck_assert_int_eq(lk_histmap_row(hm, csv_next(&c), &ev, &why), 0);
	ck_assert_str_eq(why, "no lead for CONTACTID");
	ck_assert_int_eq(calls, 2);
	lk_histmap_free(hm);
	csv_close(&c);
}
END_TEST

/* The model's fields.aliases name the lead's column. */
START_TEST(test_model_alias)
{
	static const char yaml[] = "fields:\n  aliases:\n    lead_id: [Buyer Ref]\n";
	struct csv c;
	const lk_histev *ev;
	lk_err e;
	lk_model *m;
	lk_histmap *hm;

	lk_err_clear(&e);
	m = lk_model_load_mem("m.yaml", yaml, sizeof yaml - 1, &e);
	ck_assert_ptr_nonnull(m);
	hm = map(&c, m, "Opportunity ID,Buyer Ref,Stage,Last Modified\nX,B-7,Closed Won,2026-05-01\n",
		 0);
	ck_assert_int_eq(lk_histmap_col(hm, LK_H_LEAD_ID), 1);
	one_row(hm, &c, &ev);
	ck_assert(ev->lead_id_len == 3 && !memcmp(ev->lead_id, "B-7", 3));
	lk_histmap_free(hm);
	csv_close(&c);
	lk_model_free(m);
}
END_TEST

/* A value that is no stage: rejected with the closest ids, or kept as
 * written with keep_unknown; no lead, no date and ragged rows. */
START_TEST(test_rejects)
{
	static const char text[] =
		"lead_id,stage,changed_at\n"
		"L1,Closed Wonn,2026-01-01\n"
		"L1,Closed Wonn,2026-01-01\n"
		",mql,2026-01-01\n"
		"L2,mql,\n"
		"L3,mql\n";
	struct csv c;
	const lk_histev *ev;
	const char *why;
	lk_histmap *hm = map(&c, builtin, text, 0);

	ck_assert_int_eq(lk_histmap_row(hm, csv_next(&c), &ev, &why), 0);
	/* won is 1 edit away (closedwon), lost 3 (closedlost); the third
	 * closest is not pinned here. */
	static const char pre[] = "stage 'Closed Wonn' is no stage of the model (closest: won, lost, ";
	ck_assert_msg(!strncmp(why, pre, sizeof pre - 1) &&
		      strstr(why, "; give the stage an alias in the model)"), "%s", why);
	lk_histmap_free(hm);
	csv_close(&c);

	hm = map(&c, builtin, text, 1);
	ck_assert_int_eq(lk_histmap_row(hm, csv_next(&c), &ev, &why), 1);
	ck_assert_int_eq(lk_histmap_row(hm, csv_next(&c), &ev, &why), 1);
	ck_assert_int_eq(ev->stage, -1);
	ck_assert(ev->stage_len == 11 && !memcmp(ev->stage_text, "Closed Wonn", 11));
	ck_assert_int_eq(lk_histmap_row(hm, csv_next(&c), &ev, &why), 0);
	ck_assert_str_eq(why, "no lead: 'lead_id' is empty");
	ck_assert_int_eq(lk_histmap_row(hm, csv_next(&c), &ev, &why), 0);
	ck_assert_str_eq(why, "no date for the change to 'mql'");
	ck_assert_int_eq(lk_histmap_row(hm, csv_next(&c), &ev, &why), 0);
	ck_assert_str_eq(why, "ragged row: 2 fields, the header has 3");
	lk_histmap_free(hm);
	csv_close(&c);
}
END_TEST

Suite *lk_suite_histmap(void)
{
	return lk_unit_suite("histmap", setup, teardown,
			     LK_UNIT_TESTS(test_salesforce_api_names, test_salesforce_report_labels,
					   test_hubspot_date_entered, test_hubspot_current_stage,
					   test_hubspot_unknown_stage_column,
					   test_zoho_potentials, test_pipedrive_deals,
					   test_pipedrive_updates, test_olist_won_date, test_no_lead,
					   test_link_hook, test_model_alias, test_rejects));
}
