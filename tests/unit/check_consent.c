/* Unit tests for lib/model/consent: what each CRM's opt-out, do-not-call
 * and bounce values mean.  The values are those the CRMs' own field
 * references list (HubSpot booleancheckbox true/false and hard bounce
 * reasons, Salesforce checkboxes TRUE/FALSE and EmailBouncedDate,
 * Marketo 1/0 and Yes/No, Pipedrive marketing statuses, X Education's
 * Yes/No, spreadsheets' Y/N, X and checked). */
#include <string.h>

#include "unit.h"
#include "model/consent.h"

static lk_flag rd(const char *s, int evidence)
{
	return lk_flag_read(s, strlen(s), evidence);
}

START_TEST(yes_in_every_style)
{
	static const char *const v[] = {
		"true", "TRUE", "True", "Yes", "YES", "yes", "Y", "y", "1", "checked",
		"Checked", "X", "x", "on", "Opted Out", "opted-out", "OPTED_OUT", "Opt out",
		"unsubscribed", "Unsubscribed", "bounced", "Hard bounce", "Blocklisted",
		"Black Listed", "No consent", "no_consent", "  Yes  ", "2", "17",
	};
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		ck_assert_msg(rd(v[i], 0) == LK_FLAG_TRUE, "'%s' is a yes", v[i]);
}
END_TEST

START_TEST(no_in_every_style)
{
	static const char *const v[] = {
		"false", "FALSE", "False", "No", "NO", "no", "N", "n", "0", "00", "unchecked",
		"Unchecked", "off", "Subscribed", "subscribed", "Opted in", "opt-in", "valid",
	};
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		ck_assert_msg(rd(v[i], 0) == LK_FLAG_FALSE, "'%s' is a no", v[i]);
}
END_TEST

START_TEST(empty_and_unknown)
{
	ck_assert_int_eq(rd("", 0), LK_FLAG_EMPTY);
	ck_assert_int_eq(rd("   ", 0), LK_FLAG_EMPTY);
	ck_assert_int_eq(rd("\t\r\n", 1), LK_FLAG_EMPTY);
	/* Not understood: kept by lead-ingest, counted. */
	ck_assert_int_eq(rd("maybe", 0), LK_FLAG_UNKNOWN);
	ck_assert_int_eq(rd("Archived", 0), LK_FLAG_UNKNOWN);
	ck_assert_int_eq(rd("2026-03-04", 0), LK_FLAG_UNKNOWN);
	ck_assert_int_eq(rd("-1", 0), LK_FLAG_UNKNOWN);
	ck_assert_int_eq(rd("a very long value that says nothing about consent at all", 0),
			 LK_FLAG_UNKNOWN);
	/* "yes" with more after it is not yes. */
	ck_assert_int_eq(rd("yes please", 0), LK_FLAG_UNKNOWN);
}
END_TEST

/* A reason or a date column: any value but a no means it happened. */
START_TEST(evidence_columns)
{
	ck_assert_int_eq(rd("MAILBOX_FULL", 1), LK_FLAG_TRUE);		/* HubSpot enum */
	ck_assert_int_eq(rd("550 5.1.1 user unknown", 1), LK_FLAG_TRUE);	/* Salesforce reason */
	ck_assert_int_eq(rd("2026-03-04T10:00:00.000+0000", 1), LK_FLAG_TRUE);
	ck_assert_int_eq(rd("04/03/2026", 1), LK_FLAG_TRUE);
	ck_assert_int_eq(rd("false", 1), LK_FLAG_FALSE);
	ck_assert_int_eq(rd("0", 1), LK_FLAG_FALSE);
	ck_assert_int_eq(rd("", 1), LK_FLAG_EMPTY);

	ck_assert_int_eq(lk_flag_evidence_name("EmailBouncedReason", 18), 1);
	ck_assert_int_eq(lk_flag_evidence_name("Email Bounced Date", 18), 1);
	ck_assert_int_eq(lk_flag_evidence_name("Email hard bounce reason", 24), 1);
	ck_assert_int_eq(lk_flag_evidence_name("emailInvalidCause", 17), 1);
	ck_assert_int_eq(lk_flag_evidence_name("IsEmailBounced", 14), 0);
	ck_assert_int_eq(lk_flag_evidence_name("Email Invalid", 13), 0);
	ck_assert_int_eq(lk_flag_evidence_name("Do Not Call", 11), 0);
}
END_TEST

START_TEST(texts_columns_and_channels)
{
	ck_assert_str_eq(lk_flag_text(LK_FLAG_TRUE), "true");
	ck_assert_str_eq(lk_flag_text(LK_FLAG_FALSE), "false");
	ck_assert_str_eq(lk_flag_text(LK_FLAG_EMPTY), "");
	ck_assert_str_eq(lk_flag_text(LK_FLAG_UNKNOWN), "");
	ck_assert_int_eq(lk_consent_column("email_opt_out"), 1);
	ck_assert_int_eq(lk_consent_column("do_not_call"), 1);
	ck_assert_int_eq(lk_consent_column("email_bounced"), 1);
	ck_assert_int_eq(lk_consent_column("email"), 0);
	ck_assert_int_eq(lk_consent_column(NULL), 0);
	ck_assert_int_eq(lk_channel_is_call("call"), 1);
	ck_assert_int_eq(lk_channel_is_call("Phone"), 1);
	ck_assert_int_eq(lk_channel_is_call("email"), 0);
	ck_assert_int_eq(lk_channel_is_call("sms"), 0);
	ck_assert_int_eq(lk_channel_is_call("call-center-outbound"), 0);
	ck_assert_int_eq(lk_channel_is_call(NULL), 0);
}
END_TEST

Suite *lk_suite_consent(void)
{
	return lk_unit_suite("consent", NULL, NULL,
			     LK_UNIT_TESTS(yes_in_every_style, no_in_every_style, empty_and_unknown,
					   evidence_columns, texts_columns_and_channels));
}
