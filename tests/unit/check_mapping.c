/* Unit tests for lib/mapping: CRM presets chosen by overlap, generic
 * synonyms, model aliases first, one input column per canonical column,
 * header renaming, --from none and unknown presets.  Headers are built
 * here from the CRMs' documented export names, and two real exports'
 * headers are read in place from the shared data. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "ingest/mapping.h"

#define MAXCOLS 256

struct hdr {
	lk_row row;
	char *f[MAXCOLS];
	size_t len[MAXCOLS];
};

static const lk_row *make_header(struct hdr *h, const char *const *names, int n)
{
	int i;

	memset(h, 0, sizeof *h);
	for (i = 0; i < n; i++) {
		h->f[i] = (char *)names[i];
		h->len[i] = strlen(names[i]);
	}
	h->row.n = n;
	h->row.f = h->f;
	h->row.len = h->len;
	return &h->row;
}

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

/* Build with `from`; each column's expected canonical name ("" for a
 * column that passes through) and kind. */
static void build(lk_mapping *mp, const lk_model *m, const char *from,
		  const char *const *names, int n)
{
	struct hdr h;
	lk_err e;

	lk_err_clear(&e);
	ck_assert_msg(lk_mapping_build(mp, m, from, make_header(&h, names, n), &e) == 0,
		      "build failed: %s", e.msg);
	ck_assert_int_eq(mp->ncols, n);
}

static void expect_cols(const lk_mapping *mp, const char *const *want, int n)
{
	int i, c;

	for (i = 0; i < n; i++) {
		const char *got = mp->canon[i] >= 0 ? lk_canon[mp->canon[i]] : "";
		ck_assert_msg(!strcmp(got, want[i]), "column %d (%s): got '%s', want '%s'",
			      i, mp->names[i], got, want[i]);
		if (mp->canon[i] >= 0)
			ck_assert_int_eq(mp->src[mp->canon[i]], i);
		else
			ck_assert_int_eq(mp->kind[i], LK_MAP_NONE);
	}
	/* src and canon agree both ways. */
	for (c = 0; c < LK_NCANON; c++)
		if (mp->src[c] >= 0)
			ck_assert_int_eq(mp->canon[mp->src[c]], c);
}

START_TEST(hubspot_by_overlap)
{
	static const char *names[] = {
		"Record ID", "First Name", "Last Name", "Email", "Phone Number",
		"Company Name", "Job Title", "Lifecycle Stage", "Lead Status",
		"Contact owner", "Create Date", "Last Activity Date", "Country/Region",
		"Industry", "Number of Employees", "Original Source", "Last Modified Date",
		"Favourite Colour",
	};
	static const char *want[] = {
		"lead_id", "first_name", "last_name", "email", "phone", "company", "title",
		"stage", "status", "owner", "created_at", "last_activity_at", "country",
		"industry", "employees", "source", "updated_at", "",
	};
	lk_mapping mp;
	int i;

	build(&mp, NULL, "auto", names, N(names));
	ck_assert_str_eq(mp.preset, "hubspot");
	ck_assert_int_eq(mp.npreset_hits, 17);
	expect_cols(&mp, want, N(names));
	for (i = 0; i < 17; i++)
		ck_assert_int_eq(mp.kind[i], LK_MAP_PRESET);
	ck_assert_int_eq(mp.shadowed[17], -1);
	ck_assert_int_eq(mp.renamed, 0);
	ck_assert_str_eq(mp.names[6], "Job Title");	/* names are kept as given */
	lk_mapping_free(&mp);
	lk_mapping_free(&mp);	/* a freed mapping frees again harmlessly */
}
END_TEST

/* Salesforce Lead API names: Status is the lead's stage there
 * ("Open - Not Contacted" ... "Closed - Converted"). */
START_TEST(salesforce_api_names)
{
	static const char *names[] = {
		"Id", "FirstName", "LastName", "Email", "Company", "Title", "Phone",
		"MobilePhone", "Industry", "NumberOfEmployees", "Country", "LeadSource",
		"Status", "OwnerId", "CreatedDate", "LastModifiedDate", "LastActivityDate",
		"IsConverted",
	};
	static const char *want[] = {
		"lead_id", "first_name", "last_name", "email", "company", "title", "phone",
		"", "industry", "employees", "country", "source", "stage", "owner",
		"created_at", "updated_at", "last_activity_at", "",
	};
	lk_mapping mp;

	build(&mp, NULL, NULL, names, N(names));	/* NULL is auto */
	ck_assert_str_eq(mp.preset, "salesforce");
	expect_cols(&mp, want, N(names));
	/* MobilePhone also means phone, which Phone took first. */
	ck_assert_int_eq(mp.shadowed[7], 6);
	ck_assert_int_eq(mp.shadowed[17], -1);
	ck_assert_int_eq(mp.src[12], -1);	/* no status column */
	lk_mapping_free(&mp);
}
END_TEST

/* Salesforce report labels. */
START_TEST(salesforce_labels)
{
	static const char *names[] = {
		"Lead ID", "First Name", "Last Name", "Title", "Company / Account", "Email",
		"Phone", "Mobile", "Lead Source", "Lead Status", "Lead Owner", "Create Date",
		"Last Modified Date", "Last Activity", "Industry", "No. of Employees", "Country",
	};
	static const char *want[] = {
		"lead_id", "first_name", "last_name", "title", "company", "email", "phone", "",
		"source", "stage", "owner", "created_at", "updated_at", "last_activity_at",
		"industry", "employees", "country",
	};
	lk_mapping mp;

	build(&mp, NULL, "auto", names, N(names));
	ck_assert_str_eq(mp.preset, "salesforce");
	ck_assert_int_eq(mp.npreset_hits, 17);
	expect_cols(&mp, want, N(names));
	ck_assert_int_eq(mp.shadowed[7], 6);
	lk_mapping_free(&mp);
}
END_TEST

/* Marketo REST names and friendly labels. */
START_TEST(marketo_names)
{
	static const char *rest[] = {
		"id", "email", "firstName", "lastName", "company", "title", "phone",
		"industry", "numberOfEmployees", "country", "leadSource", "leadStatus",
		"leadOwnerEmailAddress", "createdAt", "updatedAt",
		"lastInterestingMomentDate", "leadScore",
	};
	static const char *rest_want[] = {
		"lead_id", "email", "first_name", "last_name", "company", "title", "phone",
		"industry", "employees", "country", "source", "status", "owner",
		"created_at", "updated_at", "last_activity_at", "",
	};
	static const char *labels[] = {
		"Email Address", "First Name", "Last Name", "Company Name", "Job Title",
		"Phone Number", "Lead Source", "Lead Status", "Created At", "Updated At",
	};
	static const char *labels_want[] = {
		"email", "first_name", "last_name", "company", "title", "phone", "source",
		"status", "created_at", "updated_at",
	};
	lk_mapping mp;

	build(&mp, NULL, "auto", rest, N(rest));
	ck_assert_str_eq(mp.preset, "marketo");
	ck_assert_int_eq(mp.npreset_hits, 16);
	expect_cols(&mp, rest_want, N(rest));
	lk_mapping_free(&mp);
	build(&mp, NULL, "auto", labels, N(labels));
	ck_assert_str_eq(mp.preset, "marketo");
	expect_cols(&mp, labels_want, N(labels));
	lk_mapping_free(&mp);
}
END_TEST

/* Pipedrive's "Person - Email" headers (the import template's '*' on
 * required names is ignored like other punctuation). */
START_TEST(pipedrive_names)
{
	static const char *names[] = {
		"Person - Name*", "Person - First name", "Person - Last name",
		"Person - Email", "Person - Phone", "Person - Label", "Organization name",
		"Person - Owner", "Person - Creation date", "Person - Pipedrive System ID",
		"Person - Visible to",
	};
	static const char *want[] = {
		"", "first_name", "last_name", "email", "phone", "status", "company", "owner",
		"created_at", "lead_id", "",
	};
	lk_mapping mp;

	build(&mp, NULL, "auto", names, N(names));
	ck_assert_str_eq(mp.preset, "pipedrive");
	ck_assert_int_eq(mp.npreset_hits, 9);
	expect_cols(&mp, want, N(names));
	lk_mapping_free(&mp);
}
END_TEST

/* A CRM without a preset (Zoho-style names): generic synonyms. */
START_TEST(synonyms_without_preset)
{
	static const char *names[] = {
		"Salutation", "Surname", "E-mail", "Lead Owner", "Created Time",
		"Modified Time", "Designation", "Mobile Number",
	};
	static const char *want[] = {
		"", "last_name", "email", "owner", "created_at", "updated_at", "title", "phone",
	};
	static const char *four[] = { "Last Name", "Email Address", "Lead Owner", "Created Time" };
	static const char *four_want[] = { "last_name", "email", "owner", "created_at" };
	lk_mapping mp;
	int i;

	build(&mp, NULL, "auto", names, N(names));
	ck_assert_ptr_null(mp.preset);
	expect_cols(&mp, want, N(names));
	for (i = 1; i < N(names); i++)
		ck_assert_int_eq(mp.kind[i], LK_MAP_SYNONYM);
	lk_mapping_free(&mp);
	/* Whatever preset the overlap picks, these four names map. */
	build(&mp, NULL, "auto", four, N(four));
	expect_cols(&mp, four_want, N(four));
	ck_assert_int_eq(mp.kind[3], LK_MAP_SYNONYM);
	lk_mapping_free(&mp);
}
END_TEST

/* An entity prefix is dropped before the synonyms are consulted. */
START_TEST(prefixed_synonyms)
{
	static const char *names[] = { "Contact Email", "Lead Company", "Prospect Title", "Person" };
	static const char *want[] = { "email", "company", "title", "" };
	lk_mapping mp;

	build(&mp, NULL, "auto", names, N(names));
	expect_cols(&mp, want, N(names));
	lk_mapping_free(&mp);
}
END_TEST

/* A header already in canonical names (our own output read again). */
START_TEST(canonical_names_map_to_themselves)
{
	lk_mapping mp;
	int i;

	build(&mp, NULL, "auto", lk_canon, LK_NCANON);
	for (i = 0; i < LK_NCANON; i++) {
		ck_assert_int_eq(mp.canon[i], i);
		ck_assert_int_eq(mp.kind[i], LK_MAP_SELF);
	}
	lk_mapping_free(&mp);
}
END_TEST

/* fields.aliases beat the preset: "Work Email" is the email here, and
 * HubSpot's "Email" passes through. */
START_TEST(model_aliases_win)
{
	static const char yaml[] =
		"fields:\n  aliases:\n    email: [work-email]\n    owner: [\"SDR\"]\n";
	static const char *names[] = {
		"Record ID", "Email", "First Name", "Last Name", "Lifecycle Stage",
		"Contact owner", "Work Email", "SDR",
	};
	static const char *want[] = {
		"lead_id", "", "first_name", "last_name", "stage", "", "email", "owner",
	};
	lk_err e;
	lk_model *m = lk_model_load_mem("m.yaml", yaml, sizeof yaml - 1, &e);
	lk_mapping mp;

	ck_assert_ptr_nonnull(m);
	build(&mp, m, "auto", names, N(names));
	ck_assert_str_eq(mp.preset, "hubspot");
	expect_cols(&mp, want, N(names));
	ck_assert_int_eq(mp.kind[6], LK_MAP_MODEL);
	ck_assert_int_eq(mp.kind[7], LK_MAP_MODEL);
	ck_assert_int_eq(mp.shadowed[1], 1);	/* Email: would be email */
	ck_assert_int_eq(mp.shadowed[5], 13);	/* Contact owner: would be owner */
	lk_mapping_free(&mp);
	lk_model_free(m);
}
END_TEST

/* Two columns for one canonical column: the leftmost of the same
 * strength wins, the other is shadowed and passes through. */
START_TEST(first_column_wins)
{
	static const char *names[] = { "id", "Email Address", "Email", "Phone", "Telephone" };
	static const char *want[] = { "lead_id", "email", "", "phone", "" };
	lk_mapping mp;
	lk_buf d = LK_BUF_INIT;

	build(&mp, NULL, "auto", names, N(names));
	expect_cols(&mp, want, N(names));
	ck_assert_int_eq(mp.shadowed[2], 1);
	ck_assert_int_eq(mp.shadowed[4], 6);
	ck_assert_int_eq(mp.shadowed[0], -1);
	lk_mapping_describe(&mp, &d);
	ck_assert_ptr_nonnull(strstr(d.data, "Email"));
	ck_assert_ptr_nonnull(strstr(d.data, "also looks like email, which is taken by "
					     "'Email Address'"));
	lk_buf_free(&d);
	lk_mapping_free(&mp);
}
END_TEST

/* Empty names become _colN (1-based), repeated ones Name_2, Name_3,
 * skipping names the header already uses. */
START_TEST(renames_empty_and_duplicate_names)
{
	static const char *names[] = { "email", "", "Name", "Name", "a", "a_2", "a", "", "Name" };
	static const char *want[] = { "email", "_col2", "Name", "Name_2", "a", "a_2", "a_3",
				      "_col8", "Name_3" };
	lk_mapping mp;
	int i;

	build(&mp, NULL, "auto", names, N(names));
	for (i = 0; i < N(names); i++)
		ck_assert_str_eq(mp.names[i], want[i]);
	ck_assert_int_eq(mp.renamed, 5);
	ck_assert_int_eq(mp.canon[0], 1);
	lk_mapping_free(&mp);
}
END_TEST

/* What lk_mapping_renames tells of a header of n names, input `name`,
 * into out (emptied first); its length. */
static size_t renames(const char *const *names, int n, const char *name, lk_buf *out)
{
	lk_mapping mp;
	struct hdr h;

	lk_buf_reset(out);
	build(&mp, NULL, "auto", names, n);
	ck_assert_int_eq(lk_mapping_renames(&mp, make_header(&h, names, n), name, out), 0);
	lk_mapping_free(&mp);
	return out->len;
}

/* The renamed names told, each message ended by a NUL byte: five at
 * most, then how many in all; a name's newline stays inside its message. */
START_TEST(renames_told)
{
	static const char *names[] = { "email", "", "Name", "Name", "a", "a_2", "a", "", "Name" };
	static const char *blank[] = { "", "", "", "", "", "", "" };
	static const char *nl[] = { "x\ny", "x\ny" };
	static const char want[] = "in.csv: header: column 2: empty name renamed '_col2'\0"
				   "in.csv: header: column 4: repeated name 'Name' renamed 'Name_2'\0"
				   "in.csv: header: column 7: repeated name 'a' renamed 'a_3'\0"
				   "in.csv: header: column 8: empty name renamed '_col8'\0"
				   "in.csv: header: column 9: repeated name 'Name' renamed 'Name_3'";
	static const char first[] = "-: header: column 1: empty name renamed '_col1'";
	static const char last[] = "-: header: column 5: empty name renamed '_col5'\0"
				   "-: header: 7 empty or repeated names renamed in all";
	static const char want_nl[] = "-: header: column 2: repeated name 'x\ny' renamed 'x\ny_2'";
	lk_buf out = LK_BUF_INIT;

	ck_assert_uint_eq(renames(names, N(names), "in.csv", &out), sizeof want);
	ck_assert_mem_eq(out.data, want, sizeof want);
	/* Seven renamed: the first five, then the count. */
	ck_assert_uint_ge(renames(blank, N(blank), "-", &out), sizeof last);
	ck_assert_mem_eq(out.data, first, sizeof first);
	ck_assert_mem_eq(out.data + out.len - sizeof last, last, sizeof last);
	ck_assert_uint_eq(renames(nl, N(nl), "-", &out), sizeof want_nl);
	ck_assert_mem_eq(out.data, want_nl, sizeof want_nl);
	/* Nothing renamed, nothing told. */
	ck_assert_uint_eq(renames(nl, 1, "-", &out), 0);
	lk_buf_free(&out);
}
END_TEST

START_TEST(from_none_maps_nothing)
{
	static const char *names[] = { "email", "Email", "First Name", "" };
	lk_mapping mp;
	int i;

	build(&mp, NULL, "none", names, N(names));
	ck_assert_ptr_null(mp.preset);
	for (i = 0; i < N(names); i++) {
		ck_assert_int_eq(mp.canon[i], -1);
		ck_assert_int_eq(mp.shadowed[i], -1);
	}
	for (i = 0; i < LK_NCANON; i++)
		ck_assert_int_eq(mp.src[i], -1);
	ck_assert_str_eq(mp.names[1], "Email");
	ck_assert_str_eq(mp.names[3], "_col4");
	lk_mapping_free(&mp);
}
END_TEST

/* A named preset is used even where another would overlap more. */
START_TEST(named_preset_is_used)
{
	static const char *names[] = { "Record ID", "Email", "Lead Status", "Lifecycle Stage" };
	static const char *want[] = { "lead_id", "email", "stage", "" };
	lk_mapping mp;

	build(&mp, NULL, "salesforce", names, N(names));
	ck_assert_str_eq(mp.preset, "salesforce");
	/* Record ID is no Salesforce name, but a generic synonym. */
	expect_cols(&mp, want, N(names));
	ck_assert_int_eq(mp.kind[0], LK_MAP_SYNONYM);
	ck_assert_int_eq(mp.kind[2], LK_MAP_PRESET);
	ck_assert_int_eq(mp.shadowed[3], 11);
	lk_mapping_free(&mp);
}
END_TEST

START_TEST(unknown_from_has_did_you_mean)
{
	static const char *names[] = { "email" };
	struct hdr h;
	lk_mapping mp;
	lk_err e;
	char msg[1024];

	lk_err_clear(&e);
	ck_assert_int_eq(lk_mapping_build(&mp, NULL, "hubsopt", make_header(&h, names, 1), &e),
			 -1);
	ck_assert_int_eq(e.kind, LK_EUSAGE);
	ck_assert_str_eq(lk_err_str(&e, msg, sizeof msg),
			 "unknown --from 'hubsopt' (did you mean 'hubspot'?) (choose auto, none, "
			 "hubspot, salesforce, marketo or pipedrive)");
	lk_err_clear(&e);
	ck_assert_int_eq(lk_mapping_build(&mp, NULL, "zoho", make_header(&h, names, 1), &e), -1);
	ck_assert_str_eq(lk_err_str(&e, msg, sizeof msg),
			 "unknown --from 'zoho' (choose auto, none, hubspot, salesforce, "
			 "marketo or pipedrive)");
	lk_mapping_free(&mp);	/* harmless after a failed build */
}
END_TEST

/* The header row of a real export, read in place. */
static void read_header(const char *rel, lk_reader **rd, lk_row **row)
{
	lk_csvopt opt = { 0 };
	lk_err e;
	int fd = open(lk_test_data(rel), O_RDONLY);

	ck_assert_int_ge(fd, 0);
	*rd = lk_reader_new(fd, &opt, &e);
	ck_assert_ptr_nonnull(*rd);
	ck_assert_int_eq(lk_reader_next(*rd, row, &e), 1);
}

static int col_of(const lk_mapping *mp, const char *name)
{
	int i;

	for (i = 0; i < mp->ncols; i++)
		if (!strcmp(mp->names[i], name))
			return i;
	return -1;
}

/* A real Salesforce Lead export (API names, 50+ columns). */
START_TEST(real_salesforce_export)
{
	lk_reader *rd;
	lk_row *row;
	lk_mapping mp;
	lk_err e;

	read_header("crm-headers/salesforce/Kowshik527_Lead.csv", &rd, &row);
	ck_assert_int_eq(lk_mapping_build(&mp, NULL, "auto", row, &e), 0);
	ck_assert_str_eq(mp.preset, "salesforce");
	ck_assert_int_eq(mp.src[0], col_of(&mp, "Id"));
	ck_assert_int_eq(mp.src[1], col_of(&mp, "Email"));
	ck_assert_int_eq(mp.src[6], col_of(&mp, "Phone"));
	ck_assert_int_eq(mp.src[9], col_of(&mp, "Country"));
	ck_assert_int_eq(mp.src[11], col_of(&mp, "Status"));
	ck_assert_int_eq(mp.src[13], col_of(&mp, "OwnerId"));
	ck_assert_int_eq(mp.src[14], col_of(&mp, "CreatedDate"));
	ck_assert_int_eq(mp.src[15], col_of(&mp, "LastModifiedDate"));
	ck_assert_int_eq(mp.src[16], col_of(&mp, "LastActivityDate"));
	/* Look-alikes pass through. */
	ck_assert_int_eq(mp.canon[col_of(&mp, "MobilePhone")], -1);
	ck_assert_int_eq(mp.canon[col_of(&mp, "CountryCode")], -1);
	ck_assert_int_eq(mp.canon[col_of(&mp, "CreatedById")], -1);
	ck_assert_int_eq(mp.canon[col_of(&mp, "MasterRecordId")], -1);
	lk_mapping_free(&mp);
	lk_reader_free(rd);
}
END_TEST

/* A real HubSpot contacts export with a custom "Status" column next to
 * HubSpot's own "Lead Status". */
START_TEST(real_hubspot_export)
{
	lk_reader *rd;
	lk_row *row;
	lk_mapping mp;
	lk_err e;
	int st;

	read_header("crm-headers/hubspot/devtayyab_all-contacts.header.csv", &rd, &row);
	ck_assert_int_eq(lk_mapping_build(&mp, NULL, "auto", row, &e), 0);
	ck_assert_str_eq(mp.preset, "hubspot");
	ck_assert_int_eq(mp.src[0], col_of(&mp, "Record ID"));
	ck_assert_int_eq(mp.src[1], col_of(&mp, "Email"));
	ck_assert_int_eq(mp.src[11], col_of(&mp, "Lifecycle Stage"));
	ck_assert_int_eq(mp.src[12], col_of(&mp, "Lead Status"));
	ck_assert_int_eq(mp.src[13], col_of(&mp, "Contact owner"));
	ck_assert_int_eq(mp.src[14], col_of(&mp, "Create Date"));
	st = col_of(&mp, "Status");
	ck_assert_int_ge(st, 0);
	ck_assert_int_eq(mp.canon[st], -1);
	ck_assert_int_eq(mp.shadowed[st], 12);
	lk_mapping_free(&mp);
	lk_reader_free(rd);
}
END_TEST

START_TEST(activity_columns)
{
	static const char *names[] = { "Contact Email", "Activity Type", "Activity Date", "Subject",
				       "Owner" };
	static const char *bad[] = { "Email", "Subject" };
	struct hdr h;
	lk_actmap am;
	lk_err e;

	lk_err_clear(&e);
	ck_assert_int_eq(lk_mapping_activities(&am, NULL, NULL, NULL, 0,
					       make_header(&h, names, N(names)), &e), 0);
	ck_assert_int_eq(am.src[LK_ACT_LEAD_ID], -1);
	ck_assert_int_eq(am.src[LK_ACT_EMAIL], 0);
	ck_assert_int_eq(am.src[LK_ACT_ACTIVITY], 1);
	ck_assert_int_eq(am.src[LK_ACT_OCCURRED_AT], 2);
	ck_assert_int_eq(am.src[LK_ACT_DETAIL], 3);
	lk_actmap_free(&am);
	ck_assert_int_eq(lk_mapping_activities(&am, NULL, NULL, NULL, 0,
					       make_header(&h, bad, N(bad)), &e), -1);
}
END_TEST

Suite *lk_suite_mapping(void)
{
	Suite *s = suite_create("mapping");
	TCase *tc = tcase_create("presets");

	tcase_add_test(tc, hubspot_by_overlap);
	tcase_add_test(tc, salesforce_api_names);
	tcase_add_test(tc, salesforce_labels);
	tcase_add_test(tc, marketo_names);
	tcase_add_test(tc, pipedrive_names);
	tcase_add_test(tc, named_preset_is_used);
	tcase_add_test(tc, real_salesforce_export);
	tcase_add_test(tc, real_hubspot_export);
	suite_add_tcase(s, tc);
	tc = tcase_create("rules");
	tcase_add_test(tc, synonyms_without_preset);
	tcase_add_test(tc, prefixed_synonyms);
	tcase_add_test(tc, canonical_names_map_to_themselves);
	tcase_add_test(tc, model_aliases_win);
	tcase_add_test(tc, first_column_wins);
	tcase_add_test(tc, renames_empty_and_duplicate_names);
	tcase_add_test(tc, renames_told);
	tcase_add_test(tc, from_none_maps_nothing);
	tcase_add_test(tc, unknown_from_has_did_you_mean);
	tcase_add_test(tc, activity_columns);
	suite_add_tcase(s, tc);
	return s;
}
