/*
 * Unit tests for lib/norm: white space, email, phone (E.164), countries
 * (ISO 3166-1), employee counts, account keys (domains, companies) and
 * placeholders.  Expected values come
 * from the standards (ISO 3166-1, ITU-T E.164 and its list of assigned
 * country codes, national numbering plans), not from the implementation.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "model/norm.h"

/* ---- helpers: run a normaliser on a C string, return the text ---- */

static char got[512];

static const char *space(const char *s)
{
	lk_buf b = LK_BUF_INIT;

	lk_norm_space(s, strlen(s), &b);
	snprintf(got, sizeof got, "%s", lk_buf_str(&b));
	lk_buf_free(&b);
	return got;
}

static char alt_got[512];

/* Email: returns the main result, fills alt_got, stores the rc. */
static int email_rc;
static const char *email(const char *s)
{
	lk_buf e = LK_BUF_INIT, a = LK_BUF_INIT;

	email_rc = lk_norm_email(s, strlen(s), &e, &a);
	snprintf(got, sizeof got, "%s", lk_buf_str(&e));
	snprintf(alt_got, sizeof alt_got, "%s", lk_buf_str(&a));
	lk_buf_free(&e);
	lk_buf_free(&a);
	return got;
}

static int phone_rc;
static const char *phone(const char *s, const char *cc)
{
	lk_buf b = LK_BUF_INIT;

	phone_rc = lk_norm_phone(s, strlen(s), cc, &b);
	snprintf(got, sizeof got, "%s", lk_buf_str(&b));
	lk_buf_free(&b);
	return got;
}

static const char *country(const char *s)
{
	return lk_country_code(s, strlen(s));
}

/* Employee count, or -1 when lk_norm_employees says "not a count". */
static long emp(const char *s)
{
	long n = 12345;
	int rc = lk_norm_employees(s, strlen(s), &n);

	if (!rc) {
		ck_assert_msg(n == 0, "'%s': *out not reset on failure", s);
		return -1;
	}
	return n;
}

#define EMAIL_OK(in, want) do { \
	ck_assert_str_eq(email(in), want); \
	ck_assert_msg(email_rc == 1, "'%s' should be valid", in); \
} while (0)
#define EMAIL_BAD(in, want) do { \
	ck_assert_str_eq(email(in), want); \
	ck_assert_msg(email_rc == 0, "'%s' should be invalid", in); \
	ck_assert_str_eq(alt_got, ""); \
} while (0)
#define PHONE_OK(in, cc, want) do { \
	ck_assert_str_eq(phone(in, cc), want); \
	ck_assert_msg(phone_rc == 1, "'%s' should normalise", in); \
} while (0)
#define PHONE_BAD(in, cc, want) do { \
	ck_assert_str_eq(phone(in, cc), want); \
	ck_assert_msg(phone_rc == 0, "'%s' should not normalise", in); \
} while (0)
#define COUNTRY(in, want) do { \
	const char *c_ = country(in); \
	ck_assert_msg(c_ && strcmp(c_, want) == 0, "'%s' -> %s, want %s", \
		      in, c_ ? c_ : "NULL", want); \
} while (0)
#define NO_COUNTRY(in) do { \
	const char *c_ = country(in); \
	ck_assert_msg(c_ == NULL, "'%s' -> %s, want NULL", in, c_); \
} while (0)

/* ---- white space ---- */

START_TEST(space_trims_and_collapses)
{
	lk_buf b = LK_BUF_INIT;

	ck_assert_str_eq(space("  Jane \t Doe\r\n"), "Jane Doe");
	ck_assert_str_eq(space("\xc2\xa0" "Acme\xc2\xa0\xc2\xa0" "Corp "), "Acme Corp");
	ck_assert_str_eq(space("VP,\n\nSales"), "VP, Sales");
	ck_assert_str_eq(space("already clean"), "already clean");
	ck_assert_str_eq(space(""), "");
	ck_assert_str_eq(space(" \t\r\n\xc2\xa0 "), "");
	/* Other UTF-8 is left alone, including a lone C2. */
	ck_assert_str_eq(space(" Zürich \xc2"), "Zürich \xc2");
	/* It appends; the caller resets. */
	lk_buf_adds(&b, "x=");
	lk_norm_space(" 1  2 ", 6, &b);
	ck_assert_str_eq(b.data, "x=1 2");
	/* Only `len` bytes are read. */
	lk_buf_reset(&b);
	lk_norm_space("ab   cd", 4, &b);
	ck_assert_str_eq(b.data, "ab");
	lk_buf_free(&b);
}
END_TEST

/* ---- email ---- */

START_TEST(email_validity)
{
	static const char *const good[] = {
		"jane@example.com", "j.doe+crm@mail.example.co.uk",
		"o'brien@example.ie", "a_b-c@sub-domain.example.org",
		"Jane.Doe@Example.COM", "x@example.museum",
		"info@xn--bcher-kva.de", "kontakt@bücher.de",
		"support@example.xn--p1ai", "user@例え.テスト",
		"1234@123.example.com",
	};
	static const char *const bad[] = {
		"", "jane", "jane@", "@example.com", "jane@example",
		"jane@@example.com", "jane@bob@example.com",
		"jane@exa_mple.com", "jane..doe@example.com", ".jane@example.com",
		"jane.@example.com", "jane@example..com", "jane@.example.com",
		"jane@example.com.", "jane@-example.com", "jane@example-.com",
		"jane@example.c", "jane@example.c0m", "jane@10.0.0.1",
		"jane doe@example.com", "jane@example.com ", "jane@exam ple.com",
		"jane(at)example.com", "<jane@example.com>", "jané@example.com",
		"jane@[192.168.0.1]",
	};
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		ck_assert_msg(lk_email_valid(good[i], strlen(good[i])), "%s", good[i]);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(!lk_email_valid(bad[i], strlen(bad[i])), "%s", bad[i]);
	/* Length limits: 64 for the local part, 63 per label. */
	{
		char s[300];

		memset(s, 'a', 64);
		strcpy(s + 64, "@example.com");
		ck_assert(lk_email_valid(s, strlen(s)));
		memset(s, 'a', 65);
		strcpy(s + 65, "@example.com");
		ck_assert(!lk_email_valid(s, strlen(s)));
		strcpy(s, "a@");
		memset(s + 2, 'b', 64);
		strcpy(s + 66, ".com");
		ck_assert(!lk_email_valid(s, strlen(s)));
	}
	/* Only len bytes count. */
	ck_assert(lk_email_valid("jane@example.com;bob", 16));
}
END_TEST

START_TEST(email_cleans_one_address)
{
	EMAIL_OK("Jane.Doe@Example.COM", "jane.doe@example.com");
	EMAIL_OK("  jane@example.com \r\n", "jane@example.com");
	EMAIL_OK("mailto:Jane@Example.com", "jane@example.com");
	EMAIL_OK("MAILTO:sales@example.com?subject=Demo%20request", "sales@example.com");
	EMAIL_OK("\"Jane Doe\" <Jane.Doe@Example.com>", "jane.doe@example.com");
	EMAIL_OK("Jane Doe <jane@example.com>", "jane@example.com");
	EMAIL_OK("Doe, Jane <jane@example.com>", "jane@example.com");
	EMAIL_OK("<jane@example.com>", "jane@example.com");
	EMAIL_OK("<mailto:jane@example.com>", "jane@example.com");
	EMAIL_OK("'jane@example.com'", "jane@example.com");
	EMAIL_OK("\"jane@example.com\"", "jane@example.com");
	EMAIL_OK("(jane@example.com)", "jane@example.com");
	EMAIL_OK("[jane@example.com]", "jane@example.com");
	EMAIL_OK("jane@example.com.", "jane@example.com");
	EMAIL_OK("jane@example.com...", "jane@example.com");
	EMAIL_OK("\xc2\xa0jane@example.com\xc2\xa0", "jane@example.com");
	EMAIL_OK("Jane<jane@example.com>", "jane@example.com");
	ck_assert_str_eq(alt_got, "");
}
END_TEST

START_TEST(email_splits_multi_address_cells)
{
	EMAIL_OK("\"Doe, Jane\" <Jane@Example.com>, bob@example.org; carol@example.net",
		 "jane@example.com");
	ck_assert_str_eq(alt_got, "bob@example.org;carol@example.net");
	EMAIL_OK("jane@example.com\nbob@example.org", "jane@example.com");
	ck_assert_str_eq(alt_got, "bob@example.org");
	EMAIL_OK("jane@example.com bob@example.org", "jane@example.com");
	ck_assert_str_eq(alt_got, "bob@example.org");
	/* Repeats are dropped, in any case. */
	EMAIL_OK("jane@example.com; JANE@example.com; bob@example.org; Bob@Example.org",
		 "jane@example.com");
	ck_assert_str_eq(alt_got, "bob@example.org");
	/* Outlook's paste: the address and its mailto link. */
	EMAIL_OK("jane@example.com<mailto:jane@example.com>", "jane@example.com");
	ck_assert_str_eq(alt_got, "");
	/* An invalid first address does not win. */
	EMAIL_OK("jane@@example.com, n/a; bob@example.org", "bob@example.org");
	ck_assert_str_eq(alt_got, "");
	/* alt may be NULL. */
	{
		lk_buf e = LK_BUF_INIT;
		const char *s = "a@example.com;b@example.com";

		ck_assert_int_eq(lk_norm_email(s, strlen(s), &e, NULL), 1);
		ck_assert_str_eq(e.data, "a@example.com");
		lk_buf_free(&e);
	}
}
END_TEST

START_TEST(email_failures_keep_text)
{
	EMAIL_BAD("Not An Email", "Not An Email");
	EMAIL_BAD("  Jane AT example DOT com ", "Jane AT example DOT com");
	EMAIL_BAD("n/a", "n/a");
	EMAIL_BAD("", "");
	EMAIL_BAD("jane@example", "jane@example");
	EMAIL_BAD("Jane Doe <jane@localhost>", "Jane Doe <jane@localhost>");
	EMAIL_BAD("jane@@Example.com", "jane@@Example.com");
	EMAIL_BAD("\"Doe, Jane\"", "\"Doe, Jane\"");
	EMAIL_BAD("<>", "<>");
	EMAIL_BAD("\"unterminated", "\"unterminated");
	EMAIL_BAD("<unterminated@", "<unterminated@");
}
END_TEST

/* ---- phone ---- */

START_TEST(phone_nanp)
{
	PHONE_OK("(415) 555-0123", "US", "+14155550123");
	PHONE_OK("415.555.0123", "US", "+14155550123");
	PHONE_OK("4155550123", "US", "+14155550123");
	PHONE_OK("1-415-555-0123", "US", "+14155550123");
	PHONE_OK("+1 (415) 555-0123", NULL, "+14155550123");
	PHONE_OK(" +1\xc2\xa0" "415\xc2\xa0" "555 0123 ", "us", "+14155550123");
	PHONE_OK("(416) 555-0199", "CA", "+14165550199");
	PHONE_OK("876-555-0100", "JM", "+18765550100");
	PHONE_OK("415-555-0123", "United States", "+14155550123");
	PHONE_OK("415-555-0123", "USA", "+14155550123");
	/* Extensions are dropped. */
	PHONE_OK("415.555.0123 x204", "US", "+14155550123");
	PHONE_OK("415-555-0123 X 204", "US", "+14155550123");
	PHONE_OK("1-415-555-0123 ext. 12", "US", "+14155550123");
	PHONE_OK("(415) 555-0123 Ext: 12", "US", "+14155550123");
	PHONE_OK("(415) 555-0123 extension 12", "US", "+14155550123");
	PHONE_OK("415-555-0123#12", "US", "+14155550123");
	PHONE_OK("415-555-0123,,204", "US", "+14155550123");
	PHONE_OK("tel:+1-415-555-0123;ext=99", NULL, "+14155550123");
	/* 011 is NANP's international prefix. */
	PHONE_OK("011 44 20 7946 0958", "US", "+442079460958");
	/* NANP needs ten national digits and an area code 2-9. */
	PHONE_BAD("555-0123", "US", "555-0123");
	PHONE_BAD("+1 (555) 0123", NULL, "+1 (555) 0123");
	PHONE_BAD("415 555 01234", "US", "415 555 01234");
	PHONE_BAD("(123) 555-0123", "US", "(123) 555-0123");
	PHONE_BAD("21-415-555-0123", "US", "21-415-555-0123");
}
END_TEST

START_TEST(phone_international)
{
	/* UK: trunk 0 dropped, however it was written. */
	PHONE_OK("020 7946 0958", "GB", "+442079460958");
	PHONE_OK("020 7946 0958", "United Kingdom", "+442079460958");
	PHONE_OK("07700 900123", "GB", "+447700900123");
	PHONE_OK("+44 (0)20 7946 0958", NULL, "+442079460958");
	PHONE_OK("+44 (0) 20 7946 0958", NULL, "+442079460958");
	PHONE_OK("+44 020 7946 0958", NULL, "+442079460958");
	PHONE_OK("0044 20 7946 0958", "DE", "+442079460958");
	PHONE_OK("00 44 20 7946 0958", NULL, "+442079460958");
	PHONE_OK("(+44) 20 7946 0958", NULL, "+442079460958");
	/* Germany, France, Australia, India, South Africa. */
	PHONE_OK("030 1234567", "DE", "+49301234567");
	PHONE_OK("030/1234567", "de", "+49301234567");
	PHONE_OK("+49 (0) 89 123456-0", NULL, "+49891234560");
	PHONE_OK("01 23 45 67 89", "FR", "+33123456789");
	PHONE_OK("+33 1 23 45 67 89", NULL, "+33123456789");
	PHONE_OK("(02) 9374 4000", "AU", "+61293744000");
	PHONE_OK("+61 2 9374 4000", "GB", "+61293744000");
	PHONE_OK("98765 43210", "IN", "+919876543210");
	PHONE_OK("098765 43210", "India", "+919876543210");
	PHONE_OK("+91-98765-43210", NULL, "+919876543210");
	/* Outside NANP, 011 is a national area code (Johannesburg). */
	PHONE_OK("011 123 4567", "ZA", "+27111234567");
	/* Italy keeps the 0 of fixed numbers in E.164. */
	PHONE_OK("06 6982 1234", "IT", "+390669821234");
	PHONE_OK("+39 06 6982 1234", NULL, "+390669821234");
	/* Cote d'Ivoire numbers start with 0 since 2021. */
	PHONE_OK("+225 07 12 34 56 78", NULL, "+2250712345678");
	/* Russia's trunk prefix is 8; Kazakhstan shares +7. */
	PHONE_OK("8 (495) 123-45-67", "RU", "+74951234567");
	PHONE_OK("+7 701 123 4567", NULL, "+77011234567");
	/* Hungary's trunk prefix is 06. */
	PHONE_OK("06 1 234 5678", "HU", "+3612345678");
	/* Three-digit calling codes, short national numbers. */
	PHONE_OK("+352 123 456", NULL, "+352123456");
	PHONE_OK("+971 4 123 4567", NULL, "+97141234567");
	PHONE_OK("04 123 4567", "AE", "+97141234567");
	/* Unicode dashes are punctuation too. */
	PHONE_OK("+44\xe2\x80\x93" "20\xe2\x80\x93" "7946\xe2\x80\x93" "0958", NULL, "+442079460958");
}
END_TEST

START_TEST(phone_failures_keep_text)
{
	PHONE_BAD("4155550123", NULL, "4155550123");		/* no country */
	PHONE_BAD("020 7946 0958", "XX", "020 7946 0958");	/* unknown default */
	PHONE_BAD("1-800-FLOWERS", "US", "1-800-FLOWERS");
	PHONE_BAD("+0 123 456 789", NULL, "+0 123 456 789");
	PHONE_BAD("+28 123 456 789", NULL, "+28 123 456 789");	/* +28x unassigned */
	PHONE_BAD("+44 20 7946 0958 0958 0958", NULL, "+44 20 7946 0958 0958 0958");
	PHONE_BAD("+31 20 123", NULL, "+31 20 123");		/* 7 digits */
	PHONE_BAD("  n/a ", "US", "n/a");
	PHONE_BAD("", "US", "");
	PHONE_BAD("+", NULL, "+");
	PHONE_BAD("++44 20 7946 0958", NULL, "++44 20 7946 0958");
	PHONE_BAD("44+20 7946 0958", NULL, "44+20 7946 0958");
	PHONE_BAD("x123", "US", "x123");
	PHONE_BAD("+1 415 555 0123 / +1 415 555 0199", NULL,
		  "+1 415 555 0123 / +1 415 555 0199");
	PHONE_BAD("415 555 0123 or 415 555 0199", "US", "415 555 0123 or 415 555 0199");
	PHONE_BAD("415 555 0123, 415 555 0199", "US", "415 555 0123, 415 555 0199");
	PHONE_BAD("415 555 0123 x 1234567", "US", "415 555 0123 x 1234567");
	PHONE_BAD("call  me", "US", "call me");
	PHONE_BAD("123456789012345678901234567890", "US",
		  "123456789012345678901234567890");
}
END_TEST

/* ---- countries ---- */

/* All 249 ISO 3166-1 alpha-2 codes with their alpha-3 codes and E.164
 * calling codes, written out from the standards. */
static const char *const iso[][3] = {
	{"AD","AND","376"},{"AE","ARE","971"},{"AF","AFG","93"},{"AG","ATG","1"},
	{"AI","AIA","1"},{"AL","ALB","355"},{"AM","ARM","374"},{"AO","AGO","244"},
	{"AQ","ATA","672"},{"AR","ARG","54"},{"AS","ASM","1"},{"AT","AUT","43"},
	{"AU","AUS","61"},{"AW","ABW","297"},{"AX","ALA","358"},{"AZ","AZE","994"},
	{"BA","BIH","387"},{"BB","BRB","1"},{"BD","BGD","880"},{"BE","BEL","32"},
	{"BF","BFA","226"},{"BG","BGR","359"},{"BH","BHR","973"},{"BI","BDI","257"},
	{"BJ","BEN","229"},{"BL","BLM","590"},{"BM","BMU","1"},{"BN","BRN","673"},
	{"BO","BOL","591"},{"BQ","BES","599"},{"BR","BRA","55"},{"BS","BHS","1"},
	{"BT","BTN","975"},{"BV","BVT","47"},{"BW","BWA","267"},{"BY","BLR","375"},
	{"BZ","BLZ","501"},{"CA","CAN","1"},{"CC","CCK","61"},{"CD","COD","243"},
	{"CF","CAF","236"},{"CG","COG","242"},{"CH","CHE","41"},{"CI","CIV","225"},
	{"CK","COK","682"},{"CL","CHL","56"},{"CM","CMR","237"},{"CN","CHN","86"},
	{"CO","COL","57"},{"CR","CRI","506"},{"CU","CUB","53"},{"CV","CPV","238"},
	{"CW","CUW","599"},{"CX","CXR","61"},{"CY","CYP","357"},{"CZ","CZE","420"},
	{"DE","DEU","49"},{"DJ","DJI","253"},{"DK","DNK","45"},{"DM","DMA","1"},
	{"DO","DOM","1"},{"DZ","DZA","213"},{"EC","ECU","593"},{"EE","EST","372"},
	{"EG","EGY","20"},{"EH","ESH","212"},{"ER","ERI","291"},{"ES","ESP","34"},
	{"ET","ETH","251"},{"FI","FIN","358"},{"FJ","FJI","679"},{"FK","FLK","500"},
	{"FM","FSM","691"},{"FO","FRO","298"},{"FR","FRA","33"},{"GA","GAB","241"},
	{"GB","GBR","44"},{"GD","GRD","1"},{"GE","GEO","995"},{"GF","GUF","594"},
	{"GG","GGY","44"},{"GH","GHA","233"},{"GI","GIB","350"},{"GL","GRL","299"},
	{"GM","GMB","220"},{"GN","GIN","224"},{"GP","GLP","590"},{"GQ","GNQ","240"},
	{"GR","GRC","30"},{"GS","SGS","500"},{"GT","GTM","502"},{"GU","GUM","1"},
	{"GW","GNB","245"},{"GY","GUY","592"},{"HK","HKG","852"},{"HM","HMD","672"},
	{"HN","HND","504"},{"HR","HRV","385"},{"HT","HTI","509"},{"HU","HUN","36"},
	{"ID","IDN","62"},{"IE","IRL","353"},{"IL","ISR","972"},{"IM","IMN","44"},
	{"IN","IND","91"},{"IO","IOT","246"},{"IQ","IRQ","964"},{"IR","IRN","98"},
	{"IS","ISL","354"},{"IT","ITA","39"},{"JE","JEY","44"},{"JM","JAM","1"},
	{"JO","JOR","962"},{"JP","JPN","81"},{"KE","KEN","254"},{"KG","KGZ","996"},
	{"KH","KHM","855"},{"KI","KIR","686"},{"KM","COM","269"},{"KN","KNA","1"},
	{"KP","PRK","850"},{"KR","KOR","82"},{"KW","KWT","965"},{"KY","CYM","1"},
	{"KZ","KAZ","7"},{"LA","LAO","856"},{"LB","LBN","961"},{"LC","LCA","1"},
	{"LI","LIE","423"},{"LK","LKA","94"},{"LR","LBR","231"},{"LS","LSO","266"},
	{"LT","LTU","370"},{"LU","LUX","352"},{"LV","LVA","371"},{"LY","LBY","218"},
	{"MA","MAR","212"},{"MC","MCO","377"},{"MD","MDA","373"},{"ME","MNE","382"},
	{"MF","MAF","590"},{"MG","MDG","261"},{"MH","MHL","692"},{"MK","MKD","389"},
	{"ML","MLI","223"},{"MM","MMR","95"},{"MN","MNG","976"},{"MO","MAC","853"},
	{"MP","MNP","1"},{"MQ","MTQ","596"},{"MR","MRT","222"},{"MS","MSR","1"},
	{"MT","MLT","356"},{"MU","MUS","230"},{"MV","MDV","960"},{"MW","MWI","265"},
	{"MX","MEX","52"},{"MY","MYS","60"},{"MZ","MOZ","258"},{"NA","NAM","264"},
	{"NC","NCL","687"},{"NE","NER","227"},{"NF","NFK","672"},{"NG","NGA","234"},
	{"NI","NIC","505"},{"NL","NLD","31"},{"NO","NOR","47"},{"NP","NPL","977"},
	{"NR","NRU","674"},{"NU","NIU","683"},{"NZ","NZL","64"},{"OM","OMN","968"},
	{"PA","PAN","507"},{"PE","PER","51"},{"PF","PYF","689"},{"PG","PNG","675"},
	{"PH","PHL","63"},{"PK","PAK","92"},{"PL","POL","48"},{"PM","SPM","508"},
	{"PN","PCN","64"},{"PR","PRI","1"},{"PS","PSE","970"},{"PT","PRT","351"},
	{"PW","PLW","680"},{"PY","PRY","595"},{"QA","QAT","974"},{"RE","REU","262"},
	{"RO","ROU","40"},{"RS","SRB","381"},{"RU","RUS","7"},{"RW","RWA","250"},
	{"SA","SAU","966"},{"SB","SLB","677"},{"SC","SYC","248"},{"SD","SDN","249"},
	{"SE","SWE","46"},{"SG","SGP","65"},{"SH","SHN","290"},{"SI","SVN","386"},
	{"SJ","SJM","47"},{"SK","SVK","421"},{"SL","SLE","232"},{"SM","SMR","378"},
	{"SN","SEN","221"},{"SO","SOM","252"},{"SR","SUR","597"},{"SS","SSD","211"},
	{"ST","STP","239"},{"SV","SLV","503"},{"SX","SXM","1"},{"SY","SYR","963"},
	{"SZ","SWZ","268"},{"TC","TCA","1"},{"TD","TCD","235"},{"TF","ATF","262"},
	{"TG","TGO","228"},{"TH","THA","66"},{"TJ","TJK","992"},{"TK","TKL","690"},
	{"TL","TLS","670"},{"TM","TKM","993"},{"TN","TUN","216"},{"TO","TON","676"},
	{"TR","TUR","90"},{"TT","TTO","1"},{"TV","TUV","688"},{"TW","TWN","886"},
	{"TZ","TZA","255"},{"UA","UKR","380"},{"UG","UGA","256"},{"UM","UMI","1"},
	{"US","USA","1"},{"UY","URY","598"},{"UZ","UZB","998"},{"VA","VAT","379"},
	{"VC","VCT","1"},{"VE","VEN","58"},{"VG","VGB","1"},{"VI","VIR","1"},
	{"VN","VNM","84"},{"VU","VUT","678"},{"WF","WLF","681"},{"WS","WSM","685"},
	{"YE","YEM","967"},{"YT","MYT","262"},{"ZA","ZAF","27"},{"ZM","ZMB","260"},
	{"ZW","ZWE","263"},
};

START_TEST(country_tables_consistent)
{
	ck_assert_int_eq(lk_norm_check_tables(), 0);
}
END_TEST

START_TEST(country_every_iso_code)
{
	size_t i, n = sizeof iso / sizeof iso[0];
	char a2[3] = "", lower[4];
	int x, y, known = 0;

	ck_assert_uint_eq(n, 249);
	for (i = 0; i < n; i++) {
		const char *name = lk_country_name(iso[i][0]);

		COUNTRY(iso[i][0], iso[i][0]);
		COUNTRY(iso[i][1], iso[i][0]);
		ck_assert_str_eq(lk_country_alpha3(iso[i][0]), iso[i][1]);
		ck_assert_str_eq(lk_country_calling_code(iso[i][0]), iso[i][2]);
		ck_assert_msg(name != NULL, "%s has no name", iso[i][0]);
		COUNTRY(name, iso[i][0]);
		lower[0] = (char)(iso[i][1][0] | 0x20);
		lower[1] = (char)(iso[i][1][1] | 0x20);
		lower[2] = (char)(iso[i][1][2] | 0x20);
		lower[3] = '\0';
		COUNTRY(lower, iso[i][0]);
	}
	/* Nothing else: no user-assigned codes (XK, EU, UK) as alpha-2. */
	for (x = 'A'; x <= 'Z'; x++)
		for (y = 'A'; y <= 'Z'; y++) {
			a2[0] = (char)x;
			a2[1] = (char)y;
			if (lk_country_name(a2))
				known++;
		}
	ck_assert_int_eq(known, 249);
	ck_assert_ptr_null(lk_country_name("XK"));
	ck_assert_ptr_null(lk_country_calling_code("UK"));
	ck_assert_ptr_null(lk_country_calling_code("USA"));
	ck_assert_ptr_null(lk_country_calling_code("U"));
	ck_assert_ptr_null(lk_country_calling_code(""));
	ck_assert_ptr_null(lk_country_calling_code(NULL));
	ck_assert_str_eq(lk_country_calling_code("gb"), "44");
	ck_assert_str_eq(lk_country_name("DE"), "Germany");
	ck_assert_str_eq(lk_country_name("ci"), "Côte d'Ivoire");
}
END_TEST

START_TEST(country_variants)
{
	/* United States */
	COUNTRY("United States", "US");
	COUNTRY("united states of america", "US");
	COUNTRY("  UNITED   STATES ", "US");
	COUNTRY("USA", "US");
	COUNTRY("U.S.", "US");
	COUNTRY("U.S.A.", "US");
	COUNTRY("us", "US");
	COUNTRY("America", "US");
	COUNTRY("The United States", "US");
	/* United Kingdom */
	COUNTRY("United Kingdom", "GB");
	COUNTRY("UK", "GB");
	COUNTRY("U.K.", "GB");
	COUNTRY("Great Britain", "GB");
	COUNTRY("England", "GB");
	COUNTRY("Scotland", "GB");
	COUNTRY("Wales", "GB");
	COUNTRY("Northern Ireland", "GB");
	COUNTRY("GBR", "GB");
	COUNTRY("United Kingdom of Great Britain and Northern Ireland", "GB");
	/* Europe */
	COUNTRY("Germany", "DE");
	COUNTRY("Deutschland", "DE");
	COUNTRY("Holland", "NL");
	COUNTRY("The Netherlands", "NL");
	COUNTRY("Netherlands, The", "NL");
	COUNTRY("netherlands", "NL");
	COUNTRY("Czechia", "CZ");
	COUNTRY("Czech Republic", "CZ");
	COUNTRY("Russia", "RU");
	COUNTRY("Russian Federation", "RU");
	COUNTRY("Türkiye", "TR");
	COUNTRY("Turkiye", "TR");
	COUNTRY("TURKEY", "TR");
	COUNTRY("Switzerland", "CH");
	COUNTRY("Schweiz", "CH");
	COUNTRY("España", "ES");
	COUNTRY("Österreich", "AT");
	COUNTRY("Bosnia & Herzegovina", "BA");
	COUNTRY("Bosnia and Herzegovina", "BA");
	COUNTRY("North Macedonia", "MK");
	COUNTRY("Macedonia", "MK");
	COUNTRY("Moldova", "MD");
	COUNTRY("Republic of Ireland", "IE");
	COUNTRY("Holy See", "VA");
	COUNTRY("Vatican City", "VA");
	COUNTRY("Åland Islands", "AX");
	/* Asia */
	COUNTRY("Viet Nam", "VN");
	COUNTRY("Vietnam", "VN");
	COUNTRY("Korea", "KR");
	COUNTRY("South Korea", "KR");
	COUNTRY("Republic of Korea", "KR");
	COUNTRY("Korea, Republic of", "KR");
	COUNTRY("Korea (South)", "KR");
	COUNTRY("North Korea", "KP");
	COUNTRY("Korea (Democratic People's Republic of)", "KP");
	COUNTRY("Iran", "IR");
	COUNTRY("Iran (Islamic Republic of)", "IR");
	COUNTRY("UAE", "AE");
	COUNTRY("U.A.E.", "AE");
	COUNTRY("United Arab Emirates", "AE");
	COUNTRY("Hong Kong", "HK");
	COUNTRY("Hong Kong SAR", "HK");
	COUNTRY("Macau", "MO");
	COUNTRY("Taiwan", "TW");
	COUNTRY("Laos", "LA");
	COUNTRY("Burma", "MM");
	COUNTRY("Myanmar", "MM");
	COUNTRY("East Timor", "TL");
	COUNTRY("Timor-Leste", "TL");
	COUNTRY("Syria", "SY");
	COUNTRY("Palestine", "PS");
	COUNTRY("Brunei", "BN");
	COUNTRY("KSA", "SA");
	/* Africa */
	COUNTRY("Ivory Coast", "CI");
	COUNTRY("Côte d'Ivoire", "CI");
	COUNTRY("Côte d\xe2\x80\x99Ivoire", "CI");	/* typographic apostrophe */
	COUNTRY("Cote d'Ivoire", "CI");
	COUNTRY("COTE D IVOIRE", "CI");
	COUNTRY("Congo", "CG");
	COUNTRY("Republic of the Congo", "CG");
	COUNTRY("DR Congo", "CD");
	COUNTRY("Democratic Republic of the Congo", "CD");
	COUNTRY("Congo, Democratic Republic of the", "CD");
	COUNTRY("Tanzania", "TZ");
	COUNTRY("Swaziland", "SZ");
	COUNTRY("Eswatini", "SZ");
	COUNTRY("Cape Verde", "CV");
	COUNTRY("Cabo Verde", "CV");
	COUNTRY("The Gambia", "GM");
	COUNTRY("Guinea-Bissau", "GW");
	COUNTRY("Guinea Bissau", "GW");
	COUNTRY("São Tomé and Príncipe", "ST");
	COUNTRY("Réunion", "RE");
	/* Americas */
	COUNTRY("Bolivia", "BO");
	COUNTRY("Venezuela", "VE");
	COUNTRY("Brasil", "BR");
	COUNTRY("México", "MX");
	COUNTRY("Curaçao", "CW");
	COUNTRY("St. Lucia", "LC");
	COUNTRY("St Kitts & Nevis", "KN");
	COUNTRY("Saint Vincent and the Grenadines", "VC");
	COUNTRY("St. Vincent & the Grenadines", "VC");
	COUNTRY("Trinidad & Tobago", "TT");
	COUNTRY("The Bahamas", "BS");
	COUNTRY("British Virgin Islands", "VG");
	COUNTRY("US Virgin Islands", "VI");
	COUNTRY("Virgin Islands (U.S.)", "VI");
	COUNTRY("Puerto Rico", "PR");
	/* Oceania */
	COUNTRY("Micronesia", "FM");
	COUNTRY("New Zealand", "NZ");
	COUNTRY("\xc2\xa0India\xc2\xa0", "IN");
	/* Only `len` bytes count. */
	ck_assert_str_eq(lk_country_code("Indiana", 5), "IN");
}
END_TEST

START_TEST(country_not_countries)
{
	NO_COUNTRY("");
	NO_COUNTRY("   ");
	NO_COUNTRY("unknown");
	NO_COUNTRY("Unknown");
	NO_COUNTRY("Asia/Pacific Region");
	NO_COUNTRY("Europe");
	NO_COUNTRY("EMEA");
	NO_COUNTRY("APAC");
	NO_COUNTRY("North America");
	NO_COUNTRY("Select");
	NO_COUNTRY("N/A");
	NO_COUNTRY("the");
	NO_COUNTRY("Narnia");
	NO_COUNTRY("XX");
	NO_COUNTRY("Kosovo");		/* XK is not in ISO 3166-1 */
	NO_COUNTRY("Indiana");
	NO_COUNTRY("United");
	NO_COUNTRY("Korea Korea");
	NO_COUNTRY("日本");
	{
		char s[1000];

		memset(s, 'a', sizeof s - 1);
		s[sizeof s - 1] = '\0';
		NO_COUNTRY(s);
	}
	ck_assert_ptr_null(lk_country_code(NULL, 0));
}
END_TEST

START_TEST(country_calling_codes)
{
	/* The NANP members share +1, and nothing else has it. */
	static const char *const nanp[] = {
		"AG", "AI", "AS", "BB", "BM", "BS", "CA", "DM", "DO", "GD", "GU",
		"JM", "KN", "KY", "LC", "MP", "MS", "PR", "SX", "TC", "TT", "UM",
		"US", "VC", "VG", "VI",
	};
	size_t i, ones = 0;

	for (i = 0; i < sizeof nanp / sizeof nanp[0]; i++)
		ck_assert_str_eq(lk_country_calling_code(nanp[i]), "1");
	for (i = 0; i < sizeof iso / sizeof iso[0]; i++)
		if (strcmp(lk_country_calling_code(iso[i][0]), "1") == 0)
			ones++;
	ck_assert_uint_eq(ones, sizeof nanp / sizeof nanp[0]);
	ck_assert_str_eq(lk_country_calling_code("RU"), "7");
	ck_assert_str_eq(lk_country_calling_code("KZ"), "7");
	ck_assert_str_eq(lk_country_calling_code("DE"), "49");
	ck_assert_str_eq(lk_country_calling_code("IN"), "91");
	ck_assert_str_eq(lk_country_calling_code("CN"), "86");
	ck_assert_str_eq(lk_country_calling_code("AE"), "971");
	ck_assert_str_eq(lk_country_calling_code("SS"), "211");
}
END_TEST

/* ---- employees ---- */

START_TEST(employees_counts)
{
	ck_assert_int_eq(emp("250"), 250);
	ck_assert_int_eq(emp(" 42 "), 42);
	ck_assert_int_eq(emp("1,000"), 1000);
	ck_assert_int_eq(emp("1.000"), 1000);
	ck_assert_int_eq(emp("1 000"), 1000);
	ck_assert_int_eq(emp("1\xc2\xa0" "000"), 1000);
	ck_assert_int_eq(emp("1'000"), 1000);
	ck_assert_int_eq(emp("1,234,567"), 1234567);
	ck_assert_int_eq(emp("1.234.567"), 1234567);
	ck_assert_int_eq(emp("1,00,000"), 100000);
	ck_assert_int_eq(emp("12,34,567"), 1234567);
	ck_assert_int_eq(emp("250.0"), 250);
	ck_assert_int_eq(emp("12.5"), 12);
	ck_assert_int_eq(emp("1.234,5"), 1234);
	ck_assert_int_eq(emp("1,234.5"), 1234);
	ck_assert_int_eq(emp("1.5k"), 1500);
	ck_assert_int_eq(emp("1,5k"), 1500);
	ck_assert_int_eq(emp("10k"), 10000);
	ck_assert_int_eq(emp("10K+"), 10000);
	ck_assert_int_eq(emp("2.3M"), 2300000);
	ck_assert_int_eq(emp("42 FTEs"), 42);
	ck_assert_int_eq(emp("~300"), 300);
	ck_assert_int_eq(emp("approx. 300"), 300);
	ck_assert_int_eq(emp("About 300 employees"), 300);
}
END_TEST

START_TEST(employees_bands)
{
	/* Ranges give their lower bound. */
	ck_assert_int_eq(emp("501-1000"), 501);
	ck_assert_int_eq(emp("501 - 1,000"), 501);
	ck_assert_int_eq(emp("501\xe2\x80\x93" "1000"), 501);	/* en dash */
	ck_assert_int_eq(emp("501 to 1000"), 501);
	ck_assert_int_eq(emp("1-10 employees"), 1);
	ck_assert_int_eq(emp("11-50 Employees"), 11);
	ck_assert_int_eq(emp("10,001+"), 10001);
	ck_assert_int_eq(emp("0-10"), 1);
	ck_assert_int_eq(emp("1-5k"), 1000);
	ck_assert_int_eq(emp("500-1k"), 500);
	/* Open-ended: "+" and "or more" include the number, "over" not. */
	ck_assert_int_eq(emp("5000+"), 5000);
	ck_assert_int_eq(emp("5,000+ employees"), 5000);
	ck_assert_int_eq(emp("5 000 +"), 5000);
	ck_assert_int_eq(emp("1000 or more"), 1000);
	ck_assert_int_eq(emp("At least 50"), 50);
	ck_assert_int_eq(emp(">=200"), 200);
	ck_assert_int_eq(emp("Over 1000"), 1001);
	ck_assert_int_eq(emp("More than 500"), 501);
	ck_assert_int_eq(emp("> 200"), 201);
	/* Below a number: the band starts at one. */
	ck_assert_int_eq(emp("<10"), 1);
	ck_assert_int_eq(emp("< 10"), 1);
	ck_assert_int_eq(emp("Less than 10"), 1);
	ck_assert_int_eq(emp("Under 50"), 1);
	ck_assert_int_eq(emp("up to 10"), 1);
	ck_assert_int_eq(emp("<=1"), 1);
}
END_TEST

START_TEST(employees_not_counts)
{
	ck_assert_int_eq(emp(""), -1);
	ck_assert_int_eq(emp("   "), -1);
	ck_assert_int_eq(emp("0"), -1);
	ck_assert_int_eq(emp("-5"), -1);
	ck_assert_int_eq(emp("-"), -1);
	ck_assert_int_eq(emp("n/a"), -1);
	ck_assert_int_eq(emp("Unknown"), -1);
	ck_assert_int_eq(emp("Self-employed"), -1);
	ck_assert_int_eq(emp("abc"), -1);
	ck_assert_int_eq(emp("12 offices"), -1);
	ck_assert_int_eq(emp("1e5"), -1);
	ck_assert_int_eq(emp("5000++"), -1);
	ck_assert_int_eq(emp("<1"), -1);
	ck_assert_int_eq(emp("1,000,00"), -1);
	ck_assert_int_eq(emp("501-"), -1);
	ck_assert_int_eq(emp("501 to"), -1);
	ck_assert_int_eq(emp("501 to -1000"), -1);
	ck_assert_int_eq(emp("501 tons"), -1);
	ck_assert_int_eq(emp("501--1000"), -1);
	ck_assert_int_eq(emp("4155550123"), -1);	/* a phone number */
	ck_assert_int_eq(emp("99999999999999999999999"), -1);
	ck_assert_int_eq(emp("1 10"), -1);
}
END_TEST

/* ---- account keys: domains and companies ---- */

struct keycase {
	const char *in, *want;
	int rc;
};

/* Run an account-key normaliser over a table; the key is the buffer's
 * first len bytes (see norm.h), and each call replaces the last one. */
static void keys(int (*norm)(const char *, size_t, lk_buf *), const struct keycase *t, size_t n)
{
	lk_buf b = LK_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		int rc = norm(t[i].in, strlen(t[i].in), &b);
		ck_assert_msg(rc == t[i].rc, "'%s': rc %d", t[i].in, rc);
		snprintf(got, sizeof got, "%.*s", (int)b.len, lk_buf_str(&b));
		ck_assert_str_eq(got, t[i].want);
	}
	lk_buf_free(&b);
}

START_TEST(account_domains)
{
	static const struct keycase t[] = {
		{ "jo@Acme.com", "acme.com", 1 },
		{ "https://www.Acme.com/x", "acme.com", 1 },
		{ "WWW.acme.com", "acme.com", 1 },
		{ "acme.com.", "acme.com", 1 },
		{ "http://acme.com:8080/path?q", "acme.com", 1 },
		{ "acme.com?x=1", "acme.com", 1 },
		{ "  acme.com extra", "acme.com", 1 },
		{ "Jo <jo@eu.Acme.com>", "eu.acme.com", 1 },
		/* "www." is a website's, not part of an email's domain. */
		{ "jo@www.acme.com", "www.acme.com", 1 },
		{ "localhost", "localhost", 0 },
		{ "www.", "www", 0 },
		{ "", "", 0 },
	};

	keys(lk_norm_domain, t, sizeof t / sizeof t[0]);
}
END_TEST

START_TEST(account_companies)
{
	static const struct keycase t[] = {
		{ "The Acme Co., Ltd.", "acme", 1 },
		{ "ACME Inc", "acme", 1 },
		{ "Acme", "acme", 1 },
		{ "Acme Holdings Co Ltd", "acme holdings", 1 },
		{ "Smith & Sons, LLC", "smith and sons", 1 },
		{ "AT&T", "at and t", 1 },
		{ "Acme-Widgets/EU", "acme widgets eu", 1 },
		{ "M\xc3\xbcller GmbH", "m\xc3\xbcller", 1 },
		{ "  Acme\t\tCorp  ", "acme", 1 },
		/* A legal form alone is the name: never drop the only word. */
		{ "Inc", "inc", 1 },
		{ "  ...  ", "", 0 },
		{ "", "", 0 },
	};

	keys(lk_norm_company, t, sizeof t / sizeof t[0]);
}
END_TEST

/* ---- placeholders ---- */

static int ph(const lk_placeholders *p, const char *s)
{
	return lk_is_placeholder(p, s, strlen(s));
}

START_TEST(placeholders_builtin)
{
	lk_placeholders *p = lk_placeholders_new();
	static const char *const yes[] = {
		"select", "Select", "SELECT", " Select ", "\xc2\xa0Select\xc2\xa0",
		"unknown", "Unknown", "n/a", "N/A", "na", "NA", "none", "None",
		"null", "NULL", "nil", "-", "--", "?", "Not Provided",
		"not specified", "000000000000000AAA", "000000000000000aaa",
	};
	static const char *const no[] = {
		"", "   ", "Selected", "India", "none of the above", "0", "---",
		"n/a/", "nan", "Not", "000000000000000AAB", "Jane",
	};
	size_t i;

	ck_assert_ptr_nonnull(p);
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
		ck_assert_msg(ph(p, yes[i]), "'%s' should be a placeholder", yes[i]);
	for (i = 0; i < sizeof no / sizeof no[0]; i++)
		ck_assert_msg(!ph(p, no[i]), "'%s' should not be a placeholder", no[i]);
	/* Only `len` bytes are read. */
	ck_assert(lk_is_placeholder(p, "nullable", 4));
	ck_assert(!lk_is_placeholder(NULL, "null", 4));
	lk_placeholders_free(p);
	lk_placeholders_free(NULL);
}
END_TEST

START_TEST(placeholders_edit)
{
	lk_placeholders *p = lk_placeholders_new();
	char longv[200];

	ck_assert(!ph(p, "TBD"));
	ck_assert_int_eq(lk_placeholders_add(p, "  TBD "), 0);
	ck_assert(ph(p, "tbd"));
	ck_assert_int_eq(lk_placeholders_add(p, "tbd"), 0);	/* duplicate */
	ck_assert_int_eq(lk_placeholders_add(p, "   "), 0);	/* empty: ignored */
	ck_assert(!ph(p, " "));
	memset(longv, 'z', sizeof longv - 1);
	longv[sizeof longv - 1] = '\0';
	ck_assert_int_eq(lk_placeholders_add(p, longv), 0);
	ck_assert(ph(p, longv));
	longv[100] = '\0';
	ck_assert(!ph(p, longv));
	lk_placeholders_clear(p);
	ck_assert(!ph(p, "select"));
	ck_assert(!ph(p, "tbd"));
	ck_assert_int_eq(lk_placeholders_add(p, "Please Select"), 0);
	ck_assert(ph(p, "please select"));
	ck_assert(!ph(p, "select"));
	ck_assert_int_eq(lk_placeholders_add(NULL, "x"), -1);
	lk_placeholders_free(p);
}
END_TEST

/* ---- real data: X Education leads ---- */

/*
 * Split one CSV record (RFC 4180) starting at *pos into at most `max`
 * fields; returns the field count, or -1 at end of input.  Fields point
 * into `buf`, where quoted fields are unquoted in place.
 */
static int csv_record(char *buf, size_t len, size_t *pos, char **f, size_t *fl, int max)
{
	size_t i = *pos, o, start;
	int n = 0;

	if (i >= len)
		return -1;
	for (;;) {
		start = o = i;
		if (i < len && buf[i] == '"') {
			/* Copy the content down over the opening quote. */
			for (i++; i < len; ) {
				if (buf[i] == '"' && i + 1 < len && buf[i + 1] == '"') {
					buf[o++] = '"';
					i += 2;
				} else if (buf[i] == '"') {
					i++;
					break;
				} else {
					buf[o++] = buf[i++];
				}
			}
		} else {
			while (i < len && buf[i] != ',' && buf[i] != '\n' && buf[i] != '\r')
				i++;
			o = i;
		}
		if (n < max) {
			f[n] = buf + start;
			fl[n] = o - start;
		}
		n++;
		if (i < len && buf[i] == ',') {
			i++;
			continue;
		}
		while (i < len && (buf[i] == '\r' || buf[i] == '\n'))
			i++;
		*pos = i;
		return n;
	}
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static int column(char **f, size_t *fl, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (fl[i] == strlen(name) && memcmp(f[i], name, fl[i]) == 0)
			return i;
	ck_abort_msg("no column %s", name);
	return -1;
}

/*
 * Every Country in the X Education export is empty, a placeholder, the
 * region "Asia/Pacific Region", or a real country that maps to a code;
 * and every "Select" in Specialization is a placeholder.
 */
START_TEST(real_leads_countries)
{
	lk_placeholders *p = lk_placeholders_new();
	size_t len, pos = 0, mapped = 0, ph_cells = 0, rows = 0;
	char *buf = slurp(lk_test_data("x-education/Leads.csv"), &len);
	char *f[64];
	size_t fl[64];
	int n, ccol, scol;
	long in = 0, us = 0, ae = 0;

	n = csv_record(buf, len, &pos, f, fl, 64);
	ck_assert_int_gt(n, 12);
	ccol = column(f, fl, n, "Country");
	scol = column(f, fl, n, "Specialization");
	while ((n = csv_record(buf, len, &pos, f, fl, 64)) >= 0) {
		const char *c;
		lk_buf b = LK_BUF_INIT;

		ck_assert_int_gt(n, ccol);
		ck_assert_int_gt(n, scol);
		rows++;
		if (fl[scol] == 6 && memcmp(f[scol], "Select", 6) == 0) {
			ck_assert(lk_is_placeholder(p, f[scol], fl[scol]));
			ph_cells++;
		}
		if (fl[ccol] == 0 || lk_is_placeholder(p, f[ccol], fl[ccol]))
			continue;
		c = lk_country_code(f[ccol], fl[ccol]);
		if (fl[ccol] == 19 && memcmp(f[ccol], "Asia/Pacific Region", 19) == 0) {
			ck_assert_ptr_null(c);
			continue;
		}
		lk_norm_space(f[ccol], fl[ccol], &b);
		ck_assert_msg(c != NULL, "row %zu: country '%s' not mapped", rows, b.data);
		/* The name of the code is the name in the cell, or a variant. */
		ck_assert_ptr_nonnull(lk_country_name(c));
		lk_buf_free(&b);
		mapped++;
		in += strcmp(c, "IN") == 0;
		us += strcmp(c, "US") == 0;
		ae += strcmp(c, "AE") == 0;
	}
	/* Counts from the file (9240 leads; Country filled for ~6,700). */
	ck_assert_uint_eq(rows, 9240);
	ck_assert_int_eq(in, 6492);
	ck_assert_int_eq(us, 69);
	ck_assert_int_eq(ae, 53);
	ck_assert_uint_gt(mapped, 6700);
	ck_assert_uint_gt(ph_cells, 1000);
	free(buf);
	lk_placeholders_free(p);
}
END_TEST

Suite *lk_suite_norm(void)
{
	Suite *s = suite_create("norm");
	TCase *tc = tcase_create("core");
	TCase *real = tcase_create("real-data");

	tcase_add_test(tc, space_trims_and_collapses);
	tcase_add_test(tc, email_validity);
	tcase_add_test(tc, email_cleans_one_address);
	tcase_add_test(tc, email_splits_multi_address_cells);
	tcase_add_test(tc, email_failures_keep_text);
	tcase_add_test(tc, phone_nanp);
	tcase_add_test(tc, phone_international);
	tcase_add_test(tc, phone_failures_keep_text);
	tcase_add_test(tc, country_tables_consistent);
	tcase_add_test(tc, country_every_iso_code);
	tcase_add_test(tc, country_variants);
	tcase_add_test(tc, country_not_countries);
	tcase_add_test(tc, country_calling_codes);
	tcase_add_test(tc, employees_counts);
	tcase_add_test(tc, employees_bands);
	tcase_add_test(tc, employees_not_counts);
	tcase_add_test(tc, account_domains);
	tcase_add_test(tc, account_companies);
	tcase_add_test(tc, placeholders_builtin);
	tcase_add_test(tc, placeholders_edit);
	suite_add_tcase(s, tc);
	tcase_add_test(real, real_leads_countries);
	tcase_set_timeout(real, 30);
	suite_add_tcase(s, real);
	return s;
}
