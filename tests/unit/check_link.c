/* check_link.c - link.h: a CRM's foreign ids and names resolved to leads. */
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "ingest/link.h"
#include "ingest/mapping.h"

/* Load `text` as a link file named `name`. */
static void load(lk_link *l, const char *name, const char *text)
{
	lk_csvopt co = { .name = name };
	lk_err e;
	int fd[2];

	lk_err_clear(&e);
	ck_assert_int_eq(pipe(fd), 0);
	ck_assert_int_eq(write(fd[1], text, strlen(text)), (ssize_t)strlen(text));
	close(fd[1]);
	ck_assert_msg(lk_link_load(l, NULL, fd[0], &co, &e) == 0, "load: %s", e.msg);
	close(fd[0]);
}

/* Zoho contacts: Record Id is their lead_id; two people are named Jane Doe. */
static const char zoho_contacts[] =
	"Record Id,First Name,Last Name,Email\n"
	"100,Jane,Doe,jane@acme.example.com\n"
	"200,Raj,Patel,RAJ@globex.example.com\n"
	"300,Ana,Lima,ana@initech.example.com\n"
	"400,Jane,Doe,jdoe@umbrella.example.com\n"
	",No,Lead,\n";

/* Resolve `line` under `header`: the return, and lead_id or reason. */
static int resolve(const lk_link *l, const char *header, const char *line, const char **what)
{
	lk_unit_row h, r;
	lk_linkplan *p;
	lk_linked lead;
	lk_err e;
	static char out[256];
	int c;

	lk_err_clear(&e);
	p = lk_link_plan(l, NULL, lk_unit_split(&h, header), NULL, &e);
	ck_assert_ptr_nonnull(p);
	c = lk_link_resolve(p, lk_unit_split(&r, line), &lead, what);
	if (c > 0)
		snprintf(out, sizeof out, "%s %s", lead.lead_id, lead.email);
	else if (c == 0)
		snprintf(out, sizeof out, "%s", *what);
	else
		out[0] = 0;
	*what = out;
	lk_linkplan_free(p);
	return c;
}

START_TEST(ids_resolve_to_lead_id_and_email)
{
	lk_link *l = lk_link_new();
	const char *w;

	load(l, "contacts.csv", zoho_contacts);
	ck_assert_int_eq(lk_link_people(l), 4);
	ck_assert_int_eq(lk_link_skipped(l), 1);
	ck_assert_int_eq(resolve(l, "Subject,CONTACTID", "Call,200", &w), 1);
	ck_assert_str_eq(w, "200 raj@globex.example.com");
	ck_assert_int_eq(resolve(l, "Subject,CONTACTID", "Call,999", &w), 0);
	ck_assert_str_eq(w, "no lead for CONTACTID '999'");
	/* No reference value: the caller decides. */
	ck_assert_int_eq(resolve(l, "Subject,CONTACTID", "Call,", &w), -1);
	lk_link_free(l);
}
END_TEST

START_TEST(names_link_one_lead_only)
{
	lk_link *l = lk_link_new();
	const char *w;

	load(l, "contacts.csv", zoho_contacts);
	ck_assert_int_eq(resolve(l, "Subject,Contact Name", "Call,ana  LIMA", &w), 1);
	ck_assert_str_eq(w, "300 ana@initech.example.com");
	ck_assert_int_eq(resolve(l, "Subject,Contact Name", "Call,Jane Doe", &w), 0);
	ck_assert_str_eq(w, "ambiguous: Contact Name 'Jane Doe' names more than one lead (100, 400)");
	ck_assert_int_eq(resolve(l, "Subject,Contact Name", "Call,Nobody", &w), 0);
	ck_assert_str_eq(w, "no lead for Contact Name 'Nobody'");
	/* An address inside a name is matched on the email. */
	ck_assert_int_eq(resolve(l, "Subject,Associated Contact",
				 "Call,Jane Doe (JDOE@umbrella.example.com)", &w), 1);
	ck_assert_str_eq(w, "400 jdoe@umbrella.example.com");
	/* The id is tried before the name, whatever the column order. */
	ck_assert_int_eq(resolve(l, "Contact Name,CONTACTID", "Jane Doe,100", &w), 1);
	ck_assert_str_eq(w, "100 jane@acme.example.com");
	/* An id that finds nobody lets the name try. */
	ck_assert_int_eq(resolve(l, "Contact Name,CONTACTID", "Ana Lima,999", &w), 1);
	ck_assert_str_eq(w, "300 ana@initech.example.com");
	lk_link_free(l);
}
END_TEST

/* Several link files are one table: leads first, a contact converted
 * from a lead (the same email) is that lead, so its id finds the lead's
 * lead_id; a contact no lead knows stays a person of its own. */
START_TEST(link_files_one_table)
{
	lk_link *l = lk_link_new();
	const char *w;

	load(l, "leads.csv", "LEADID,First Name,Last Name,Email\n"
	     "L1,Anna,Schmidt,anna@acme.example.com\nL2,Ben,Carter,ben@bright.example.com\n");
	load(l, "contacts.csv", "CONTACTID,First Name,Last Name,Email\n"
	     "C1,Anna,Schmidt,ANNA@acme.example.com\nC9,Zoe,Ng,zoe@else.example.com\n");
	ck_assert_int_eq(lk_link_people(l), 3);
	ck_assert_int_eq(resolve(l, "Subject,CONTACTID", "Call,C1", &w), 1);
	ck_assert_str_eq(w, "L1 anna@acme.example.com");
	ck_assert_int_eq(resolve(l, "Subject,CONTACTID", "Call,C9", &w), 1);
	ck_assert_str_eq(w, "C9 zoe@else.example.com");
	ck_assert_int_eq(resolve(l, "Subject,LEADID", "Call,L2", &w), 1);
	ck_assert_str_eq(w, "L2 ben@bright.example.com");
	lk_link_free(l);
}
END_TEST

/* Salesforce: a converted lead points at its contact; WhoId names either. */
START_TEST(salesforce_tiers_and_id_forms)
{
	lk_link *l = lk_link_new();
	const char *w;

	load(l, "contacts.csv",
	     "Id,FirstName,LastName,Email\n"
	     "0035g00000XyZaBAAV,Maria,Garcia,maria@northwind.example.com\n");
	load(l, "leads.csv",
	     "Id,FirstName,LastName,Email,ConvertedContactId\n"
	     "00Q5g00000AbCdEUAV,Maria,Garcia,maria@northwind.example.com,0035g00000XyZaBAAV\n"
	     "00Q5g00000AbCdFUAV,Tom,Baker,tom@contoso.example.com,000000000000000AAA\n");
	/* The contact's own Id wins over the lead's ConvertedContactId; the
	 * converted lead (same email, a later file) is that contact. */
	ck_assert_int_eq(lk_link_people(l), 2);
	ck_assert_int_eq(resolve(l, "WhoId,Subject", "00Q5g00000AbCdEUAV,x", &w), 1);
	ck_assert_str_eq(w, "0035g00000XyZaBAAV maria@northwind.example.com");
	ck_assert_int_eq(resolve(l, "WhoId,Subject", "0035g00000XyZaBAAV,x", &w), 1);
	ck_assert_str_eq(w, "0035g00000XyZaBAAV maria@northwind.example.com");
	/* 15-character ids find 18-character ones, and the reverse. */
	ck_assert_int_eq(resolve(l, "WhoId,Subject", "00Q5g00000AbCdF,x", &w), 1);
	ck_assert_str_eq(w, "00Q5g00000AbCdFUAV tom@contoso.example.com");
	/* Salesforce's empty id is no reference. */
	ck_assert_int_eq(resolve(l, "WhoId,Subject", "000000000000000AAA,x", &w), -1);
	lk_link_free(l);
}
END_TEST

/* A reference whose name is a column of a link file is matched there only. */
START_TEST(same_name_column_first)
{
	lk_link *l = lk_link_new();
	const char *w;

	load(l, "persons.csv",
	     "Person ID,Email,Legacy Contact ID\n"
	     "1,a@x.example.com,2\n"
	     "2,b@x.example.com,1\n");
	ck_assert_int_eq(resolve(l, "Type,Legacy Contact ID", "call,2", &w), 1);
	ck_assert_str_eq(w, "1 a@x.example.com");
	ck_assert_int_eq(resolve(l, "Type,Person ID", "call,2", &w), 1);
	ck_assert_str_eq(w, "2 b@x.example.com");
	lk_link_free(l);
}
END_TEST

/* Two link rows of one lead (its lead and its contact, the same email and
 * no other id) are one lead, not an ambiguity. */
START_TEST(one_lead_twice_is_not_ambiguous)
{
	lk_link *l = lk_link_new();
	const char *w;

	load(l, "a.csv", "Email,First Name,Last Name\nann@x.example.com,Ann,Lee\n");
	load(l, "b.csv", "Email,Full Name\nann@x.example.com,Ann Lee\n");
	ck_assert_int_eq(resolve(l, "Contact Name,Type", "Ann Lee,call", &w), 1);
	ck_assert_str_eq(w, " ann@x.example.com");
	lk_link_free(l);
}
END_TEST

/* An id two people carry in their other id columns names neither. */
START_TEST(id_of_two_leads_is_ambiguous)
{
	lk_link *l = lk_link_new();
	const char *w;

	load(l, "persons.csv",
	     "Person ID,Email,Old Contact ID\n"
	     "1,a@x.example.com,77\n"
	     "2,b@x.example.com,77\n"
	     "3,c@x.example.com,78\n");
	ck_assert_int_eq(resolve(l, "Type,WhoId", "call,77", &w), 0);
	ck_assert_str_eq(w, "ambiguous: WhoId '77' names more than one lead (1, 2)");
	ck_assert_int_eq(resolve(l, "Type,WhoId", "call,78", &w), 1);
	ck_assert_str_eq(w, "3 c@x.example.com");
	/* The own id wins over the other columns. */
	ck_assert_int_eq(resolve(l, "Type,WhoId", "call,1", &w), 1);
	ck_assert_str_eq(w, "1 a@x.example.com");
	/* The same, one id at a time (a history's hook). */
	{
		lk_unit_row h;
		lk_err e;
		lk_linked lead;
		lk_linkplan *p = lk_link_plan(l, NULL, lk_unit_split(&h, "Deal,Contact Id"), NULL, &e);
		ck_assert_int_eq(lk_link_resolve_id(p, "78", 2, &lead, &w), 1);
		ck_assert_str_eq(lead.email, "c@x.example.com");
		ck_assert_int_eq(lk_link_resolve_id(p, "77", 2, &lead, &w), 0);
		ck_assert_str_eq(w, "ambiguous: Contact Id '77' names more than one lead (1, 2)");
		ck_assert_int_eq(lk_link_resolve_id(p, "9", 1, &lead, &w), 0);
		ck_assert_str_eq(w, "no lead for Contact Id '9'");
		ck_assert_int_eq(lk_link_resolve_id(p, " ", 1, &lead, &w), -1);
		lk_linkplan_free(p);
	}
	lk_link_free(l);
}
END_TEST

START_TEST(plan_describes_the_rule)
{
	lk_link *l = lk_link_new();
	lk_unit_row h;
	lk_buf out = LK_BUF_INIT;
	lk_linkplan *p;
	lk_err e;

	load(l, "contacts.csv", zoho_contacts);
	p = lk_link_plan(l, NULL, lk_unit_split(&h, "Contact Name,Subject,CONTACTID"), NULL, &e);
	ck_assert_int_eq(lk_linkplan_count(p), 2);
	ck_assert_int_eq(lk_linkplan_describe(p, &out), 0);
	ck_assert_ptr_nonnull(strstr(out.data, "1. CONTACTID"));
	ck_assert_ptr_nonnull(strstr(out.data, "2. Contact Name"));
	lk_buf_free(&out);
	lk_linkplan_free(p);
	lk_link_free(l);
}
END_TEST

START_TEST(link_file_needs_a_lead)
{
	lk_link *l = lk_link_new();
	lk_csvopt co = { .name = "notes.csv" };
	const char *t = "Subject,Body\nx,y\n";
	lk_err e;
	int fd[2];

	ck_assert_int_eq(pipe(fd), 0);
	ck_assert_int_eq(write(fd[1], t, strlen(t)), (ssize_t)strlen(t));
	close(fd[1]);
	ck_assert_int_eq(lk_link_load(l, NULL, fd[0], &co, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "notes.csv: header: a link file needs"));
	close(fd[0]);
	lk_link_free(l);
}
END_TEST

Suite *lk_suite_link(void)
{
	return lk_unit_suite("link", NULL, NULL,
			     LK_UNIT_TESTS(ids_resolve_to_lead_id_and_email, names_link_one_lead_only,
					   salesforce_tiers_and_id_forms, link_files_one_table, same_name_column_first,
					   one_lead_twice_is_not_ambiguous, id_of_two_leads_is_ambiguous,
					   plan_describes_the_rule,
					   link_file_needs_a_lead));
}
