/*
 * lead-gen: a fast, deterministic generator of messy CRM data for leadkit's
 * benchmarks.
 *
 *   lead-gen leads N [--seed S] [--shape SHAPE] [--dups PCT]
 *   lead-gen activities N --leads M [--seed S]
 *
 * `leads` writes an export of one of four shapes (--shape), so that a
 * benchmark does not tune itself to one layout:
 *   classic     (the default) the 20 columns described below;
 *   hubspot     a HubSpot contacts export: 16 of its real column names, LF,
 *               values mostly clean, dates as HubSpot writes them;
 *   salesforce  a Salesforce lead report: its report labels, every field
 *               quoted, CRLF, addresses and descriptions with commas and
 *               line breaks, "--" and "[not provided]" placeholders, emails
 *               in mixed case, duplicates that differ in case and spaces;
 *   wide        the classic columns and 80 custom properties (100 columns),
 *               most of them empty, as a portal with years of fields has.
 * --dups PCT (default 15) is the share of rows that repeat an earlier
 * person's email, 0 to 90.
 *
 * The classic shape is a HubSpot-style contacts export (the header of
 * examples/crm-export.csv) with the messes real exports have: a UTF-8 BOM,
 * CRLF line ends, quoted multi-line notes, mixed date formats (ISO, US,
 * European, "15 Apr, 2026 00:03:00", epoch milliseconds), emails in mixed
 * case with stray spaces and sometimes two per cell, phones in many formats,
 * countries as names, codes and variants, employee ranges, placeholders
 * ("Select", "N/A", "-", "unknown"), about 15% of rows (--dups) duplicating
 * an earlier person by email, and rare rows without email and id or with
 * too few fields.
 *
 * `activities` writes canonical activities (email,activity,occurred_at,
 * detail) that reference the emails of the first M leads of the same seed
 * (and the default --dups),
 * dated over the nine months before 2026-11-20, with a few unknown emails
 * and unparseable dates.
 *
 * Every row is a pure function of (seed, row number): row i does not depend
 * on the rows before it, so the activities mode can recompute the email of
 * any lead without generating the file. The generator uses only libc: it is
 * not linked with liblead, so a bug there cannot bend the benchmark's input.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- output: one big buffer, flushed with write(2) ---------------------- */

static char outbuf[1 << 20];
static size_t outlen;

static void out_flush(void)
{
	size_t off = 0;

	while (off < outlen) {
		ssize_t n = write(STDOUT_FILENO, outbuf + off, outlen - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)
				exit(0);	/* a closed pipe is a quiet end */
			perror("lead-gen: write");
			exit(1);
		}
		off += (size_t)n;
	}
	outlen = 0;
}

/* Every row is far smaller than this, so a check per row is enough. */
static void out_reserve(void)
{
	if (outlen > sizeof(outbuf) - 8192)
		out_flush();
}

static void put(const char *s)
{
	size_t n = strlen(s);
	memcpy(outbuf + outlen, s, n);
	outlen += n;
}

static void putn(const char *s, size_t n)
{
	memcpy(outbuf + outlen, s, n);
	outlen += n;
}

static void putc_(char c)
{
	outbuf[outlen++] = c;
}

static void put_u64(uint64_t v)
{
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		outbuf[outlen++] = tmp[--i];
}

/* Zero-padded to width digits. */
static void put_pad(unsigned v, int width)
{
	char tmp[12];
	int i;

	for (i = width - 1; i >= 0; i--) {
		tmp[i] = (char)('0' + v % 10);
		v /= 10;
	}
	putn(tmp, (size_t)width);
}

/* A CSV field: quoted only when it holds a comma, quote, CR or LF. */
static void put_field(const char *s)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		put(s);
		return;
	}
	putc_('"');
	for (p = s; *p; p++) {
		if (*p == '"')
			putc_('"');
		putc_(*p);
	}
	putc_('"');
}

/* ---- randomness: splitmix64, seeded per row ------------------------------ */

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

typedef struct {
	uint64_t s;
} rng_t;

static uint64_t next64(rng_t *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix64(r->s);
}

/* A uniform integer in [0, n), n > 0 (the modulo bias is far below what
 * matters here). */
static uint64_t below(rng_t *r, uint64_t n)
{
	return next64(r) % n;
}

/* True with probability permille/1000. */
static int chance(rng_t *r, unsigned permille)
{
	return below(r, 1000) < permille;
}

static uint64_t g_seed = 1;
static unsigned g_dups = 150;	/* permille of rows repeating an earlier person */

/* The independent stream of one entity: (seed, what, index). */
static rng_t stream(uint64_t what, uint64_t i)
{
	rng_t r;

	r.s = mix64(g_seed * 0x9e3779b97f4a7c15ULL ^ mix64(what + 0x632be59bd9b4e019ULL) ^ mix64(i));
	return r;
}

enum { S_DUP = 1, S_PERSON, S_ROW, S_ACT };

#define PICK(r, a) ((a)[below((r), ARRAY_LEN(a))])

/* ---- vocabulary --------------------------------------------------------- */

/* Display name and its ASCII form for the email's local part. */
typedef struct {
	const char *name, *ascii;
} name_t;

static const name_t firsts[] = {
	{"James", "james"}, {"Mary", "mary"}, {"Robert", "robert"}, {"Patricia", "patricia"},
	{"John", "john"}, {"Jennifer", "jennifer"}, {"Michael", "michael"}, {"Linda", "linda"},
	{"David", "david"}, {"Elizabeth", "elizabeth"}, {"William", "william"}, {"Barbara", "barbara"},
	{"Richard", "richard"}, {"Susan", "susan"}, {"Joseph", "joseph"}, {"Jessica", "jessica"},
	{"Thomas", "thomas"}, {"Sarah", "sarah"}, {"Charles", "charles"}, {"Karen", "karen"},
	{"Daniel", "daniel"}, {"Nancy", "nancy"}, {"Matthew", "matthew"}, {"Lisa", "lisa"},
	{"Anthony", "anthony"}, {"Betty", "betty"}, {"Mark", "mark"}, {"Sandra", "sandra"},
	{"Steven", "steven"}, {"Ashley", "ashley"}, {"Paul", "paul"}, {"Emily", "emily"},
	{"Andrew", "andrew"}, {"Michelle", "michelle"}, {"Joshua", "joshua"}, {"Amanda", "amanda"},
	{"Kevin", "kevin"}, {"Melissa", "melissa"}, {"Brian", "brian"}, {"Stephanie", "stephanie"},
	{"George", "george"}, {"Rebecca", "rebecca"}, {"Priya", "priya"}, {"Arjun", "arjun"},
	{"Wei", "wei"}, {"Mei", "mei"}, {"Hiroshi", "hiroshi"}, {"Yuki", "yuki"},
	{"Jürgen", "juergen"}, {"Anja", "anja"}, {"Søren", "soren"}, {"Ingrid", "ingrid"},
	{"José", "jose"}, {"María", "maria"}, {"Chloé", "chloe"}, {"François", "francois"},
	{"Zoë", "zoe"}, {"Łukasz", "lukasz"}, {"Agnieszka", "agnieszka"}, {"Oluwaseun", "oluwaseun"},
	{"Aisha", "aisha"}, {"Mateo", "mateo"}, {"Sofia", "sofia"}, {"Liam", "liam"},
	{"Noah", "noah"}, {"Olivia", "olivia"}, {"Emma", "emma"}, {"Lucas", "lucas"},
	{"Lena", "lena"}, {"Finn", "finn"}, {"Nora", "nora"}, {"Raj", "raj"},
	{"Ananya", "ananya"}, {"Tomás", "tomas"}, {"Björn", "bjoern"}, {"Siobhán", "siobhan"},
	{"Declan", "declan"}, {"Niamh", "niamh"}, {"Kenji", "kenji"}, {"Hana", "hana"},
	{"Omar", "omar"}, {"Fatima", "fatima"}, {"Diego", "diego"}, {"Camila", "camila"},
	{"Erik", "erik"}, {"Laura", "laura"}, {"Peter", "peter"}, {"Julia", "julia"},
	{"Samuel", "samuel"}, {"Grace", "grace"}, {"Ethan", "ethan"}, {"Chen", "chen"},
	{"Ravi", "ravi"}, {"Fiona", "fiona"}, {"Marco", "marco"}, {"Giulia", "giulia"},
	{"Pieter", "pieter"}, {"Annika", "annika"}, {"Mohammed", "mohammed"}, {"Leila", "leila"},
	{"Tom", "tom"}, {"Kate", "kate"}, {"Ben", "ben"}, {"Alex", "alex"},
	{"Sam", "sam"}, {"Chris", "chris"}, {"Jordan", "jordan"}, {"Taylor", "taylor"},
	{"Morgan", "morgan"}, {"Casey", "casey"}, {"Dana", "dana"}, {"Robin", "robin"},
	{"Sven", "sven"}, {"Katrin", "katrin"}, {"Stefan", "stefan"}, {"Claudia", "claudia"},
	{"Pierre", "pierre"}, {"Camille", "camille"}, {"Luca", "luca"}, {"Elena", "elena"},
};

static const name_t lasts[] = {
	{"Smith", "smith"}, {"Johnson", "johnson"}, {"Williams", "williams"}, {"Brown", "brown"},
	{"Jones", "jones"}, {"Garcia", "garcia"}, {"Miller", "miller"}, {"Davis", "davis"},
	{"Rodriguez", "rodriguez"}, {"Martinez", "martinez"}, {"Hernandez", "hernandez"}, {"Lopez", "lopez"},
	{"Wilson", "wilson"}, {"Anderson", "anderson"}, {"Taylor", "taylor"}, {"Thomas", "thomas"},
	{"Moore", "moore"}, {"Jackson", "jackson"}, {"Martin", "martin"}, {"Lee", "lee"},
	{"Thompson", "thompson"}, {"White", "white"}, {"Harris", "harris"}, {"Clark", "clark"},
	{"Lewis", "lewis"}, {"Robinson", "robinson"}, {"Walker", "walker"}, {"Young", "young"},
	{"Allen", "allen"}, {"King", "king"}, {"O'Brien", "obrien"}, {"Müller", "mueller"},
	{"Schmidt", "schmidt"}, {"Schneider", "schneider"}, {"Fischer", "fischer"}, {"Weber", "weber"},
	{"Becker", "becker"}, {"Dubois", "dubois"}, {"Lefèvre", "lefevre"}, {"Moreau", "moreau"},
	{"Rossi", "rossi"}, {"Bianchi", "bianchi"}, {"Kowalski", "kowalski"}, {"Nowak", "nowak"},
	{"Jensen", "jensen"}, {"Nielsen", "nielsen"}, {"Lindqvist", "lindqvist"}, {"Tanaka", "tanaka"},
	{"Sato", "sato"}, {"Suzuki", "suzuki"}, {"Chen", "chen"}, {"Wang", "wang"},
	{"Zhang", "zhang"}, {"Patel", "patel"}, {"Sharma", "sharma"}, {"Gupta", "gupta"},
	{"Okafor", "okafor"}, {"Adeyemi", "adeyemi"}, {"Silva", "silva"}, {"Santos", "santos"},
	{"Pereira", "pereira"}, {"Murphy", "murphy"}, {"Kelly", "kelly"}, {"Byrne", "byrne"},
	{"van der Berg", "vanderberg"}, {"de Vries", "devries"}, {"Jansen", "jansen"},
	{"García-Márquez", "garcia-marquez"}, {"Nguyen", "nguyen"}, {"Kim", "kim"}, {"Park", "park"},
	{"Ivanova", "ivanova"}, {"Horvat", "horvat"}, {"Novak", "novak"}, {"Fernández", "fernandez"},
	{"Costa", "costa"}, {"MacLeod", "macleod"}, {"Fitzgerald", "fitzgerald"}, {"Haddad", "haddad"},
	{"Rahman", "rahman"}, {"Baker", "baker"}, {"Wright", "wright"}, {"Hill", "hill"},
	{"Scott", "scott"}, {"Green", "green"}, {"Adams", "adams"}, {"Nelson", "nelson"},
	{"Carter", "carter"}, {"Mitchell", "mitchell"}, {"Roberts", "roberts"}, {"Turner", "turner"},
	{"Phillips", "phillips"}, {"Campbell", "campbell"}, {"Parker", "parker"}, {"Evans", "evans"},
	{"Edwards", "edwards"}, {"Collins", "collins"}, {"Stewart", "stewart"}, {"Morris", "morris"},
	{"Hoffmann", "hoffmann"}, {"Schulz", "schulz"}, {"Wagner", "wagner"}, {"Koch", "koch"},
	{"Bauer", "bauer"}, {"Richter", "richter"}, {"Klein", "klein"}, {"Wolf", "wolf"},
	{"Laurent", "laurent"}, {"Bernard", "bernard"}, {"Petit", "petit"}, {"Romano", "romano"},
	{"Ricci", "ricci"}, {"Yamamoto", "yamamoto"}, {"Watanabe", "watanabe"}, {"Singh", "singh"},
	{"Kumar", "kumar"}, {"Ali", "ali"}, {"Hassan", "hassan"}, {"Andersson", "andersson"},
};

/* Company names are prefix + suffix (+ legal form); domains are the two
 * words on a reserved example domain. */
static const char *const co_prefix[] = {
	"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Soylent",
	"Tyrell", "Cyberdyne", "Wonka", "Massive", "Oceanic", "Dunder", "Gringotts", "Nordwind",
	"Blauberg", "Lumiere", "Kestrel", "Brightpath", "Northwind", "Contoso", "Fabrikam",
	"Tailspin", "Litware", "Proseware", "Wideworld", "Blueyonder", "Coho", "Fourth", "Alpine",
	"Trey", "Sakura", "Maple", "Granite", "Harbor", "Summit", "Cedar", "Aurora", "Vertex",
	"Nimbus", "Quantum", "Beacon", "Ember", "Falcon", "Orbit", "Pioneer", "Redwood", "Sierra",
	"Silverline", "Tidewater", "Keystone", "Lighthouse", "Meridian", "Octave", "Paragon",
	"Quill", "Riverbend", "Sapphire", "Topaz", "Unity", "Velvet", "Willow", "Zenith", "Atlas",
	"Bluebird", "Copper", "Driftwood", "Evergreen", "Foxglove", "Goldcrest", "Highland",
	"Ironclad", "Juniper", "Kinetic", "Lakeside", "Monarch", "Nova", "Oakridge", "Pinnacle",
	"Quarry", "Rocket", "Starling", "Thistle", "Upland", "Vista", "Westbrook", "Yellowstone",
	"Apex", "Bramble", "Cobalt", "Delta", "Elm", "Fjord", "Glacier", "Horizon", "Indigo",
	"Jade", "Kite", "Lumen", "Mosaic", "Nexus", "Onyx", "Polaris", "Radiant", "Solstice",
	"Terra", "Ultra", "Vanguard", "Wren", "Xenon", "Yarrow", "Zephyr", "Arbor", "Basalt",
	"Cinder", "Dune", "Echo", "Flint",
};
static const char *const co_suffix[] = {
	"Analytics", "Systems", "Software", "Logistics", "Labs", "Cloud", "Health", "Foods",
	"Robotics", "Financial", "Data", "Networks", "Media", "Industries", "Energy", "Capital",
	"Learning", "Retail", "Travel", "Insurance", "Telecom", "Manufacturing", "Biotech",
	"Consulting", "Security", "Solutions", "Dynamics", "Partners", "Works", "Studios",
	"Payments", "Devices", "Pharma", "Motors", "Foundry", "Holdings", "Ventures", "Digital",
	"Interactive", "Technologies", "Commerce", "Mobility", "Aerospace", "Marine", "Textiles",
	"Chemicals", "Realty", "Hospitality", "Outfitters", "Research",
};
/* The suffix as the company's domain spells it, short like real brands. */
static const char *const co_suffix_dom[] = {
	"ai", "sys", "soft", "go", "labs", "cloud", "health", "foods", "bots", "fin", "data",
	"net", "media", "ind", "energy", "cap", "learn", "shop", "travel", "ins", "tel", "mfg",
	"bio", "advisors", "sec", "hq", "dyn", "group", "works", "studio", "pay", "devices", "rx",
	"motors", "forge", "holdings", "vc", "digital", "io", "tech", "commerce", "mobility",
	"aero", "marine", "tex", "chem", "homes", "hotels", "gear", "research",
};
static const char *const co_legal[] = {
	"", "", "", "", "", "", "", "", "", "", " Inc.", " Inc.", " LLC", " Ltd", " GmbH", " AG", " SAS",
	" Corp.", ", Inc.", " B.V.", " K.K.", " Pty Ltd", " plc", " S.A.",
};
static const char *const tlds[] = {".example.com", ".example.com", ".example.net", ".example.org"};
static const char *const freemail[] = {
	"gmail.com", "gmail.com", "gmail.com", "gmail.com", "yahoo.com", "yahoo.com",
	"hotmail.com", "hotmail.com", "outlook.com", "icloud.com", "aol.com", "gmx.de",
};

/* Titles weighted by repetition: many managers and individual
 * contributors, fewer executives, a tail of students and interns. */
static const char *const titles[] = {
	"VP of Sales", "VP Marketing", "VP, Engineering", "Vice President, Revenue Operations",
	"SVP Sales", "VP Operations",
	"Director of Marketing", "Sr. Director, Demand Generation", "Director, IT",
	"Marketing Director", "Director of Sales", "Director of Engineering", "Finance Director",
	"Marketing Manager", "Marketing Manager", "Sales Manager", "Sales Manager",
	"Product Manager", "Product Manager", "IT Manager", "Operations Manager",
	"Account Manager", "Project Manager", "Engineering Manager", "HR Manager",
	"Head of Growth", "Head of Customer Success", "Head of Data",
	"Chief Revenue Officer", "CTO", "CEO", "CFO", "CMO", "COO", "Co-Founder & CEO", "Founder",
	"Owner", "Managing Director", "Geschäftsführer", "Responsable Marketing",
	"Marketing Operations Specialist", "Sales Development Representative",
	"Business Development Representative", "Account Executive", "Account Executive",
	"Software Engineer", "Software Engineer", "Senior Software Engineer", "Data Analyst",
	"Data Scientist", "Business Analyst", "Consultant", "Senior Consultant", "Office Manager",
	"Procurement Lead", "Recruiter", "Designer", "Teacher", "Nurse", "Accountant",
	"Student", "Student", "PhD Student", "Marketing Intern", "Intern", "Sales Intern",
	"Retired", "Self-employed", "Freelancer",
};
static const char *const industries[] = {
	"Computer Software", "Computer Software", "Information Technology and Services",
	"Information Technology and Services", "Financial Services", "Hospital & Health Care",
	"Marketing and Advertising", "Manufacturing", "Retail", "Education Management",
	"Logistics and Supply Chain", "Telecommunications", "Higher Education", "Insurance",
	"Real Estate", "Construction", "Nonprofit Organization Management", "Food & Beverages",
	"Airlines/Aviation", "Automotive", "Banking", "Pharmaceuticals", "Consumer Goods",
	"Internet", "Management Consulting", "Staffing and Recruiting", "Utilities",
};
static const char *const employees[] = {
	"1-10", "1-10", "11-50", "11-50", "11-50", "51-200", "51-200", "51-200", "201-500",
	"201-500", "501-1000", "501-1000", "1001-5000", "1001-5000", "5001-10000", "5000+",
	"10000+", "10,001+", "1,000", "250", "25", "2-10",
};
static const char *const sources[] = {
	"Organic Search", "Organic Search", "Organic Search", "Organic Search", "Organic Search",
	"Paid Search", "Paid Search", "Paid Search", "Direct Traffic", "Direct Traffic",
	"Direct Traffic", "Referrals", "Referrals", "Social Media", "Social Media", "Paid Social",
	"Paid Social", "Email Marketing", "Email Marketing", "Offline Sources", "Offline Sources",
	"Offline Sources", "Other Campaigns", "AI Referrals",
};
static const char *const stages[] = {
	"subscriber", "subscriber", "subscriber", "subscriber", "lead", "lead", "lead", "lead",
	"lead", "lead", "lead", "lead", "marketingqualifiedlead", "marketingqualifiedlead",
	"marketingqualifiedlead", "salesqualifiedlead", "salesqualifiedlead", "opportunity",
	"opportunity", "customer", "customer", "other",
};
static const char *const statuses[] = {
	"New", "New", "New", "Open", "Open", "In Progress", "Open Deal", "Unqualified",
	"Attempted to Contact", "Connected", "Bad Timing",
};
static const char *const owners[] = {
	"Alice Romero", "Bob Chen", "Carla Nunes", "Dev Patel", "Erin O'Neil", "Frank Osei",
	"Gina Rossi", "Hugo Lind",
};
static const char *const placeholders[] = {"Select", "N/A", "-", "unknown"};
static const char *const langs[] = {
	"English", "English", "English", "German", "French", "Spanish", "Dutch", "Portuguese",
	"Japanese", "en", "de-DE", "Select",
};
static const char *const budgets[] = {
	"25,000", "$10k", "5000", "50000.00", "120000", "N/A", "15k-25k", "$ 7,500", "100k+",
};
static const char *const notes[] = {
	"Met at SaaStr booth, asked about SSO and SCIM.",
	"Wants pricing for 50 seats; budget approved Q3, decision by end of Oct.",
	"Follow up after the webinar.\nInterested in routing, not scoring.",
	"Said \"call me after the board meeting\", so wait until the 15th.",
	"Bounced once, then replied from a personal address.",
	"Do not call before 10am CET.\nPrefers email; cc her assistant.",
	"Evaluating us against two competitors, price-sensitive.",
	"Old lead from the 2024 trade show list.\r\nRe-engaged via nurture.",
	"Champion left the company; new contact TBD.",
};

/* Countries: ISO code, the spellings exports use, and a weight. */
typedef struct {
	const char *code;
	const char *names[6];
	unsigned weight;
} country_t;

static const country_t countries[] = {
	{"US", {"United States", "USA", "US", "U.S.", "United States of America", "usa"}, 40},
	{"GB", {"United Kingdom", "U.K.", "UK", "GB", "Great Britain", "England"}, 11},
	{"DE", {"Germany", "Deutschland", "DE", "germany", "Germany", "DEU"}, 9},
	{"FR", {"France", "FR", "France", "FRA", "france", "France"}, 5},
	{"CA", {"Canada", "CA", "Canada", "CAN", "canada", "Canada"}, 6},
	{"NL", {"Netherlands", "The Netherlands", "NL", "Holland", "Nederland", "NLD"}, 4},
	{"ES", {"Spain", "España", "ES", "Spain", "ESP", "spain"}, 3},
	{"IN", {"India", "IN", "India", "IND", "india", "India"}, 7},
	{"AU", {"Australia", "AU", "Australia", "AUS", "australia", "Australia"}, 4},
	{"BR", {"Brazil", "Brasil", "BR", "Brazil", "BRA", "brazil"}, 3},
	{"JP", {"Japan", "JP", "Japan", "JPN", "Japan", "japan"}, 2},
	{"IE", {"Ireland", "IE", "Ireland", "IRL", "Republic of Ireland", "Ireland"}, 2},
	{"CH", {"Switzerland", "CH", "Schweiz", "Suisse", "CHE", "Switzerland"}, 2},
	{"SE", {"Sweden", "SE", "Sverige", "SWE", "sweden", "Sweden"}, 2},
};

static unsigned country_total;

static unsigned pick_country(rng_t *r)
{
	uint64_t x = below(r, country_total);
	unsigned i;

	for (i = 0; i < ARRAY_LEN(countries) - 1; i++) {
		if (x < countries[i].weight)
			return i;
		x -= countries[i].weight;
	}
	return i;
}

/* ---- dates --------------------------------------------------------------- */

/* Howard Hinnant's civil_from_days: days since 1970-01-01 to y/m/d. */
static void civil(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400) + (*m <= 2);
}

static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

enum { D_ISO, D_US, D_EU, D_LONG, D_EPOCH, D_ISOZ, D_UTC };

static const unsigned char date_kinds[] = {
	D_ISO, D_ISO, D_ISO, D_ISO, D_ISO, D_ISO, D_ISO, D_ISO, D_ISO, D_ISO,
	D_US, D_US, D_US, D_EU, D_EU, D_EU, D_LONG, D_EPOCH, D_EPOCH, D_ISOZ,
};

/* Writes the time t (seconds since the epoch, UTC) in date format kind. */
static void put_date(int64_t t, int kind, unsigned ms)
{
	int y;
	unsigned m, d, sod = (unsigned)(t % 86400);

	civil(t / 86400, &y, &m, &d);
	switch (kind) {
	case D_ISO:	/* 2026-07-09 02:46 (HubSpot's export format) */
		put_pad((unsigned)y, 4); putc_('-'); put_pad(m, 2); putc_('-'); put_pad(d, 2);
		putc_(' '); put_pad(sod / 3600, 2); putc_(':'); put_pad(sod / 60 % 60, 2);
		break;
	case D_US:	/* 07/09/2026 */
		put_pad(m, 2); putc_('/'); put_pad(d, 2); putc_('/'); put_pad((unsigned)y, 4);
		break;
	case D_EU:	/* 09.07.2026 */
		put_pad(d, 2); putc_('.'); put_pad(m, 2); putc_('.'); put_pad((unsigned)y, 4);
		break;
	case D_LONG:	/* "15 Apr, 2026 00:03:00" */
		putc_('"'); put_pad(d, 2); putc_(' '); put(months[m - 1]); put(", ");
		put_pad((unsigned)y, 4); putc_(' '); put_pad(sod / 3600, 2); putc_(':');
		put_pad(sod / 60 % 60, 2); putc_(':'); put_pad(sod % 60, 2); putc_('"');
		break;
	case D_EPOCH:	/* epoch milliseconds */
		put_u64((uint64_t)t * 1000 + ms);
		break;
	case D_ISOZ:	/* 2026-07-09T02:46:11.000Z (the API's form) */
	case D_UTC:	/* 2026-07-09T02:46:11Z (canonical) */
		put_pad((unsigned)y, 4); putc_('-'); put_pad(m, 2); putc_('-'); put_pad(d, 2);
		putc_('T'); put_pad(sod / 3600, 2); putc_(':'); put_pad(sod / 60 % 60, 2);
		putc_(':'); put_pad(sod % 60, 2);
		put(kind == D_ISOZ ? ".000Z" : "Z");
		break;
	}
}

#define T_2024_01_01 1704067200LL
#define T_2026_11_10 1794268800LL
#define T_2026_11_20 1795132800LL

/* ---- people -------------------------------------------------------------- */

/*
 * Row i either introduces a new person (person number i) or, with
 * probability g_dups (15% by default), repeats an earlier row's person.
 * A repeat names the same email, so a repeat of a repeat lands on the
 * original person.
 */
static uint64_t person_of(uint64_t row)
{
	for (;;) {
		rng_t r = stream(S_DUP, row);
		if (row == 0 || !chance(&r, g_dups))
			return row;
		/* Most duplicates are near their original (an import run twice,
		 * a form filled again), the rest anywhere before. */
		if (chance(&r, 600) && row > 1)
			row -= 1 + below(&r, row < 5000 ? row : 5000);
		else
			row = below(&r, row);
	}
}

typedef struct {
	const name_t *first, *last;
	unsigned prefix, suffix, legal, tld;	/* company */
	int free;	/* a free-mail address */
	char email[96];	/* canonical: lower case, no spaces */
	unsigned country;
	const char *title;
	int64_t created;
	const char *source;
	unsigned industry, size;
} person_t;

static void make_person(uint64_t p, person_t *o)
{
	rng_t r = stream(S_PERSON, p);
	char *e = o->email;
	const char *f, *l;
	const char *dom;

	o->first = &PICK(&r, firsts);
	o->last = &PICK(&r, lasts);
	o->prefix = (unsigned)below(&r, ARRAY_LEN(co_prefix));
	o->suffix = (unsigned)below(&r, ARRAY_LEN(co_suffix));
	/* The company's own attributes come from the company, not the person. */
	{
		rng_t c = stream(S_PERSON, ~(uint64_t)(o->prefix * 1000 + o->suffix));
		o->legal = (unsigned)below(&c, ARRAY_LEN(co_legal));
		o->tld = (unsigned)below(&c, ARRAY_LEN(tlds));
		o->industry = (unsigned)below(&c, ARRAY_LEN(industries));
		o->size = (unsigned)below(&c, ARRAY_LEN(employees));
	}
	o->free = chance(&r, 330);
	o->country = pick_country(&r);
	o->title = PICK(&r, titles);
	o->source = PICK(&r, sources);
	o->created = T_2024_01_01 + (int64_t)below(&r, (uint64_t)(T_2026_11_10 - T_2024_01_01));

	f = o->first->ascii;
	l = o->last->ascii;
	if (o->free) {
		unsigned n = (unsigned)below(&r, 10000);
		switch (below(&r, 4)) {
		case 0: e += sprintf(e, "%s.%s%u", f, l, n % 100); break;
		case 1: e += sprintf(e, "%c%s%u", f[0], l, n); break;
		case 2: e += sprintf(e, "%s%s%u", f, l, 1950 + n % 60); break;
		default: e += sprintf(e, "%s_%s%u", f, l, n % 1000); break;
		}
		dom = PICK(&r, freemail);
		sprintf(e, "@%s", dom);
	} else {
		switch (below(&r, 20)) {
		case 0: e += sprintf(e, "%s", f); break;
		case 1: case 2: case 3: case 4: case 5: case 6: e += sprintf(e, "%c%s", f[0], l); break;
		case 7: case 8: e += sprintf(e, "%s%c", f, l[0]); break;
		case 9: e += sprintf(e, "%s_%s", f, l); break;
		default: e += sprintf(e, "%s.%s", f, l); break;
		}
		{
			const char *pp = co_prefix[o->prefix];
			*e++ = '@';
			while (*pp)
				*e++ = (char)(*pp >= 'A' && *pp <= 'Z' ? *pp++ + 32 : *pp++);
			e += sprintf(e, "%s%s", co_suffix_dom[o->suffix], tlds[o->tld]);
		}
	}
}

/* Writes the email as the row spells it: mostly as is, some upper case,
 * some capitalised, some with spaces around it. */
static void put_email(rng_t *r, const char *email)
{
	uint64_t x = below(r, 1000);
	const char *p;

	if (x < 80) {		/* upper case */
		for (p = email; *p; p++)
			putc_((char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p));
	} else if (x < 200) {	/* First.Last@... */
		int up = 1;
		for (p = email; *p; p++) {
			putc_((char)(up && *p >= 'a' && *p <= 'z' ? *p - 32 : *p));
			up = (*p == '.' || *p == '@') && p < strchr(email, '@');
		}
	} else if (x < 230) {
		putc_(' ');
		put(email);
	} else if (x < 260) {
		put(email);
		put("  ");
	} else {
		put(email);
	}
}

static void put_phone(rng_t *r, const char *cc)
{
	unsigned a = (unsigned)below(r, 800) + 200, n = (unsigned)below(r, 100) + 100;
	unsigned x = (unsigned)below(r, 10000);

	switch (cc[0] << 8 | cc[1]) {
	case 'U' << 8 | 'S':
	case 'C' << 8 | 'A':
		switch (below(r, 8)) {
		case 0: put("+1 ("); put_u64(a); put(") 555-0"); put_u64(n); break;
		case 1: put_u64(a); put("-555-0"); put_u64(n); break;
		case 2: putc_('('); put_u64(a); put(") 555 0"); put_u64(n); break;
		case 3: put_u64(a); put(".555.0"); put_u64(n); break;
		case 4: put("+1-"); put_u64(a); put("-555-0"); put_u64(n); break;
		case 5: putc_('1'); put_u64(a); put("5550"); put_u64(n); break;
		case 6: put_u64(a); put("-555-0"); put_u64(n); put(" ext. "); put_u64(x % 90 + 10); break;
		default: put("+1 "); put_u64(a); put(" 555 0"); put_u64(n); break;
		}
		break;
	case 'G' << 8 | 'B':
		put(below(r, 2) ? "+44 20 7946 0" : "020 7946 0"); put_u64(n + 800);
		break;
	case 'D' << 8 | 'E':
		put(below(r, 2) ? "+49 30 " : "030 "); put_pad(x, 4); put_u64(n);
		break;
	case 'F' << 8 | 'R':
		put(below(r, 2) ? "+33 1 " : "01 "); put_pad(x / 100, 2); putc_(' ');
		put_pad(x % 100, 2); putc_(' '); put_u64(n % 90 + 10); put(" 00");
		break;
	case 'I' << 8 | 'N':
		put("+91 98765 "); put_pad(x, 4); put_u64(n % 10);
		break;
	default:
		putc_('+'); put(below(r, 2) ? "31 20 " : "61 2 "); put_pad(x, 4); putc_(' ');
		put_u64(n * 10);
		break;
	}
}

/* A name as the row spells it: now and then with a stray space. */
static void put_name(rng_t *r, const char *name)
{
	uint64_t x = below(r, 100);

	if (x < 2)
		putc_(' ');
	put(name);
	if (x >= 2 && x < 4)
		put("  ");
}

static const char header[] =
	"\xef\xbb\xbf\"Record ID\",\"First Name\",\"Last Name\",\"Email\",\"Phone Number\","
	"\"Company Name\",\"Job Title\",\"Industry\",\"Number of Employees\",\"Country/Region\","
	"\"Original Source\",\"Lifecycle Stage\",\"Lead Status\",\"Contact owner\","
	"\"Create Date\",\"Last Modified Date\",\"Last Activity Date\",\"Preferred Language\","
	"\"Budget (USD)\",\"Notes\"\r\n";

/* ---- the wide shape: 80 custom properties after the classic columns ----- */

/*
 * Real HubSpot contact property names (from a portal's property list in
 * ../shared/data/crm-headers/hubspot), each with the kind of value it
 * holds: b bool, d date, t datetime, e enumeration, n number, s string.
 * Most are empty on most rows, as custom properties are.
 */
static const struct {
	char kind;
	const char *name;
} wide_cols[] = {
	{'b', "Ads Consent from Forms"}, {'b', "Clicked Facebook ad"}, {'b', "Contact unworked"},
	{'b', "Created By Conversations"}, {'b', "Cross-sell Opportunity"},
	{'b', "Currently Enrolled in Prospecting Agent"}, {'b', "Currently in Sequence"},
	{'b', "Email Address Quarantined"},
	{'d', "Employment change detected date"}, {'d', "Job change detected date"},
	{'d', "Last Payment Date"}, {'d', "Last Payment Date (Sync)"}, {'d', "Last order shipped"},
	{'d', "Meeting Booked Date"},
	{'t', "Close Date"}, {'t', "Date of first engagement"},
	{'t', "Date of last meeting booked in meetings tool"},
	{'t', "Email Address Recipient Fatigue Next Available Sending Time"},
	{'t', "Enrichment opt out timestamp"}, {'t', "First Conversion Date"},
	{'t', "First Deal Created Date"}, {'t', "First marketing email click date"},
	{'t', "First marketing email open date"}, {'t', "First marketing email reply date"},
	{'t', "First marketing email send date"}, {'t', "First outreach date"},
	{'t', "First subscription create date"}, {'t', "Last CES survey date"},
	{'t', "Last CSAT survey date"}, {'t', "Last Contacted"},
	{'e', "Accepts Shipments"}, {'e', "Accepts marketing"}, {'e', "Access Point"},
	{'e', "Account state"}, {'e', "Active Client Profile"}, {'e', "Additional email addresses"},
	{'e', "All owner IDs"}, {'e', "All team IDs"}, {'e', "All teams"},
	{'e', "All vids for a contact"}, {'e', "Brands"}, {'e', "Buying Role"}, {'e', "Can Ship"},
	{'e', "Clicked LinkedIn Ad"}, {'e', "Clicked on a LinkedIn Ad"}, {'e', "Contact Currency"},
	{'e', "Contact Form Inquiry Motive"}, {'e', "Contact Profile"},
	{'n', "Associated Company Last Updated"}, {'n', "Associated Target Accounts"},
	{'n', "Average Pageviews"}, {'n', "Broadcast Clicks"}, {'n', "Color fee"},
	{'n', "Consultation fee"}, {'n', "Contact ID"}, {'n', "Contact has an active subscription"},
	{'n', "Count of engaged contacts"}, {'n', "Count of unengaged contacts"},
	{'n', "Created by user ID"}, {'n', "Cut-in fee"}, {'n', "Days To Close"},
	{'n', "Event Revenue"},
	{'s', "Airtable ID"}, {'s', "Annual Revenue"}, {'s', "Billing Address: City"},
	{'s', "Billing Address: Country"}, {'s', "Billing Address: Postal code"},
	{'s', "Billing Address: State/Region"}, {'s', "Billing Address: Street Address"},
	{'s', "Calculated Phone Number Area Code"}, {'s', "Calculated Phone Number Country Code"},
	{'s', "Campaign of last booking in meetings tool"}, {'s', "City"}, {'s', "Company size"},
	{'s', "Country/Region Code"}, {'s', "Email Domain"}, {'s', "Fax Number"},
	{'s', "First Page Seen"}, {'s', "First Referring Site"}, {'s', "First Conversion"},
};

static const char *const wide_enums[] = {
	"Yes", "No", "Decision Maker", "Influencer", "Budget Holder", "USD", "EUR", "GBP",
	"active", "inactive", "12345678;23456789", "Sales;Marketing", "Website", "Partner portal",
};
static const char *const wide_strings[] = {
	"Berlin", "Austin", "London", "94107", "10115", "CA", "US", "DE", "+1", "415",
	"recA1b2C3d4E5f6G7", "https://www.example.com/pricing", "https://www.example.com/blog/lead-scoring",
	"www.google.com", "linkedin.com", "Q3 webinar: Routing without spreadsheets",
	"12 Harbour Street, Suite 4", "51-200", "1000000", "example.com",
};

/* The 80 values of a wide row's custom properties. */
static void put_wide(rng_t *r)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(wide_cols); i++) {
		putc_(',');
		switch (wide_cols[i].kind) {
		case 'b':
			if (chance(r, 300))
				put(below(r, 3) ? "false" : "true");
			break;
		case 'd':
			if (chance(r, 200))
				put_date(T_2024_01_01 + (int64_t)below(r, 86400 * 1000), D_ISO, 0),
				outlen -= 6;	/* the date alone */
			break;
		case 't':
			if (chance(r, 250))
				put_date(T_2024_01_01 + (int64_t)below(r, 86400 * 1000),
					 below(r, 4) ? D_ISO : D_EPOCH, (unsigned)below(r, 1000));
			break;
		case 'e':
			if (chance(r, 300))
				put(PICK(r, wide_enums));
			break;
		case 'n':
			if (chance(r, 350))
				put_u64(below(r, 100000));
			break;
		default:
			if (chance(r, 400))
				put_field(PICK(r, wide_strings));
			break;
		}
	}
}

/* ---- the HubSpot shape: 16 real columns, clean values --------------------- */

static const char hubspot_header[] =
	"\"Record ID\",\"First Name\",\"Last Name\",\"Email\",\"Phone Number\",\"Company Name\","
	"\"Job Title\",\"Industry\",\"Number of Employees\",\"Country/Region\",\"Lifecycle Stage\","
	"\"Lead Status\",\"Contact owner\",\"Create Date\",\"Last Modified Date\","
	"\"Last Activity Date\"\n";

/*
 * HubSpot writes what its portal holds: emails in lower case, dates as
 * "2026-07-09 02:46", minimal quoting, LF.  A repeated person is a second
 * contact record with the same email (an import run twice).
 */
static void gen_hubspot(uint64_t n)
{
	uint64_t i;
	person_t p;

	put(hubspot_header);
	for (i = 0; i < n; i++) {
		rng_t r = stream(S_ROW, i);
		int64_t lm;
		const country_t *c;

		out_reserve();
		make_person(person_of(i), &p);
		c = &countries[p.country];
		put_u64(51000000000ULL + i * 13 + below(&r, 13));
		putc_(',');
		put(p.first->name);
		putc_(',');
		put(p.last->name);
		putc_(',');
		if (!chance(&r, 5))
			put(p.email);
		putc_(',');
		if (chance(&r, 500))
			put_phone(&r, c->code);
		putc_(',');
		if (!p.free) {
			const char *legal = co_legal[p.legal];
			if (legal[0] == ',')
				putc_('"');
			put(co_prefix[p.prefix]); putc_(' '); put(co_suffix[p.suffix]); put(legal);
			if (legal[0] == ',')
				putc_('"');
		}
		putc_(',');
		if (chance(&r, 650))
			put_field(p.title);
		putc_(',');
		if (chance(&r, 450))
			put(industries[p.industry]);
		putc_(',');
		if (chance(&r, 400))
			put_field(employees[p.size]);
		putc_(',');
		if (chance(&r, 750))
			put_field(c->names[0]);
		putc_(',');
		put(PICK(&r, stages));
		putc_(',');
		if (chance(&r, 500))
			put(PICK(&r, statuses));
		putc_(',');
		if (chance(&r, 600))
			put(PICK(&r, owners));
		putc_(',');
		lm = p.created + 3600 + (int64_t)below(&r, (uint64_t)(T_2026_11_20 - 86400 - p.created));
		put_date(p.created, D_ISO, 0);
		putc_(',');
		put_date(lm, D_ISO, 0);
		putc_(',');
		if (chance(&r, 450))
			put_date(p.created + (int64_t)below(&r, (uint64_t)(lm - p.created)), D_ISO, 0);
		putc_('\n');
	}
	out_flush();
}

/* ---- the Salesforce shape: a lead report, dirty ----------------------------- */

static const char sf_header[] =
	"\"Lead ID\",\"Salutation\",\"First Name\",\"Last Name\",\"Title\",\"Company\","
	"\"Street\",\"City\",\"State/Province\",\"Zip/Postal Code\",\"Country\",\"Phone\","
	"\"Mobile\",\"Email\",\"Lead Source\",\"Lead Status\",\"Industry\",\"Annual Revenue\","
	"\"No. of Employees\",\"Lead Owner\",\"Created Date\",\"Last Modified Date\","
	"\"Last Activity\",\"Email Opt Out\",\"Do Not Call\",\"Description\"\r\n";

static const char *const sf_salutations[] = {"", "", "Mr.", "Ms.", "Mrs.", "Dr.", "Prof."};
static const char *const sf_sources[] = {
	"Web", "Web", "Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other",
	"Trade Show", "Webinar", "Employee Referral", "--",
};
static const char *const sf_statuses[] = {
	"Open - Not Contacted", "Open - Not Contacted", "Working - Contacted",
	"Working - Contacted", "Closed - Converted", "Closed - Not Converted",
};
static const char *const sf_placeholders[] = {"--", "[not provided]", "N/A", "-", "none"};
static const char *const sf_streets[] = {
	"1 Market St", "500 Howard Street", "Floor 3, 45 Harbour Rd", "Friedrichstr. 68",
	"10 Downing St\nSuite 400", "221B Baker Street\r\nFlat 2", "PO Box 1234",
	"Unit 7, Riverside Park\nBuilding \"C\"", "88 Rue de Rivoli",
};
static const char *const sf_cities[] = {
	"San Francisco", "New York", "Austin", "London", "Berlin", "Paris", "Toronto", "Dublin",
	"Bengaluru", "Sydney", "Amsterdam", "Madrid", "Tokyo", "São Paulo",
};
static const char *const sf_states[] = {"CA", "NY", "TX", "", "", "ON", "NSW", "KA", "BE"};
static const char *const sf_revenue[] = {
	"$1,500,000", "USD 2,000,000.00", "$250,000", "12000000", "$ 35,000,000", "--",
};

/* A quoted field's text: quotes doubled. */
static void put_qtext(const char *s)
{
	for (; *s; s++) {
		if (*s == '"')
			putc_('"');
		putc_(*s);
	}
}

/* A Salesforce report date: 6/9/2026, or 6/9/2026, 6:17 PM with the time. */
static void put_sf_date(int64_t t, int with_time)
{
	int y;
	unsigned m, d, sod = (unsigned)(t % 86400), h;

	civil(t / 86400, &y, &m, &d);
	put_u64(m); putc_('/'); put_u64(d); putc_('/'); put_pad((unsigned)y, 4);
	if (!with_time)
		return;
	h = sod / 3600 % 12;
	put(", "); put_u64(h ? h : 12); putc_(':'); put_pad(sod / 60 % 60, 2);
	put(sod / 3600 < 12 ? " AM" : " PM");
}

/* A name as a re-entered duplicate spells it: now and then in capitals
 * or lower case, or with stray spaces. */
static void put_sf_name(rng_t *r, const char *name)
{
	uint64_t x = below(r, 100);
	const char *q;

	if (x < 4) {
		for (q = name; *q; q++)
			putc_((char)(*q >= 'a' && *q <= 'z' ? *q - 32 : *q));
	} else if (x < 7) {
		for (q = name; *q; q++)
			putc_((char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q));
	} else {
		put_name(r, name);
	}
}

/*
 * Every field quoted, CRLF, report labels for names; a repeated person
 * is re-entered by hand: a new Lead ID, its email and names in another
 * case or with spaces around them.
 */
static void gen_salesforce(uint64_t n)
{
	static const char b62[] =
		"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	uint64_t i;
	person_t p;

	put(sf_header);
	for (i = 0; i < n; i++) {
		rng_t r = stream(S_ROW, i);
		uint64_t id = mix64(i + 1), id2 = next64(&r);
		int64_t lm;
		const country_t *c;
		int k;

		out_reserve();
		make_person(person_of(i), &p);
		c = &countries[p.country];
		put("\"00Q");
		for (k = 0; k < 15; k++) {	/* 15 characters and a 3-character suffix */
			putc_(b62[(k < 10 ? id : id2) % 62]);
			if (k < 10)
				id /= 62;
			else
				id2 /= 62;
		}
		put("\",\"");
		put(PICK(&r, sf_salutations));
		put("\",\"");
		put_sf_name(&r, p.first->name);
		put("\",\"");
		put_sf_name(&r, p.last->name);
		put("\",\"");
		if (chance(&r, 750))
			put_qtext(p.title);
		else if (chance(&r, 300))
			put(PICK(&r, sf_placeholders));
		put("\",\"");
		if (p.free && chance(&r, 500))
			put("[not provided]");	/* Company is required: the form's filler */
		else {
			put(co_prefix[p.prefix]); putc_(' '); put(co_suffix[p.suffix]);
			put(co_legal[p.legal]);
		}
		put("\",\"");
		if (chance(&r, 600))
			put_qtext(PICK(&r, sf_streets));
		put("\",\"");
		if (chance(&r, 600))
			put(PICK(&r, sf_cities));
		put("\",\"");
		put(PICK(&r, sf_states));
		put("\",\"");
		if (chance(&r, 500))
			put_pad((unsigned)below(&r, 100000), 5);
		put("\",\"");
		if (chance(&r, 850))
			put(c->names[below(&r, 6)]);
		else if (chance(&r, 300))
			put(PICK(&r, sf_placeholders));
		put("\",\"");
		if (chance(&r, 600))
			put_phone(&r, c->code);
		put("\",\"");
		if (chance(&r, 150))
			put_phone(&r, c->code);
		put("\",\"");
		if (chance(&r, 985))
			put_email(&r, p.email);
		else
			put(PICK(&r, sf_placeholders));
		put("\",\"");
		put(PICK(&r, sf_sources));
		put("\",\"");
		put(PICK(&r, sf_statuses));
		put("\",\"");
		if (chance(&r, 500))
			put_qtext(industries[p.industry]);
		put("\",\"");
		if (chance(&r, 250))
			put(PICK(&r, sf_revenue));
		put("\",\"");
		if (chance(&r, 400))
			put_u64(below(&r, 20000) + 1);
		put("\",\"");
		put(PICK(&r, owners));
		put("\",\"");
		lm = p.created + 3600 + (int64_t)below(&r, (uint64_t)(T_2026_11_20 - 86400 - p.created));
		put_sf_date(p.created, 1);
		put("\",\"");
		put_sf_date(lm, 1);
		put("\",\"");
		if (chance(&r, 450))
			put_sf_date(p.created + (int64_t)below(&r, (uint64_t)(lm - p.created)), 0);
		put("\",\"");
		putc_(chance(&r, 40) ? '1' : '0');
		put("\",\"");
		putc_(chance(&r, 30) ? '1' : '0');
		put("\",\"");
		if (chance(&r, 250))
			put_qtext(PICK(&r, notes));
		put("\"\r\n");
	}
	out_flush();
}

/* The classic shape, and with `wide` its 80 custom properties after it. */
static void gen_leads(uint64_t n, int wide)
{
	uint64_t i;
	person_t p;

	if (wide) {
		size_t k;
		putn(header, sizeof header - 3);	/* without the CRLF */
		for (k = 0; k < ARRAY_LEN(wide_cols); k++) {
			put(",\"");
			put(wide_cols[k].name);
			putc_('"');
		}
		put("\r\n");
	} else {
		put(header);
	}
	for (i = 0; i < n; i++) {
		rng_t r = stream(S_ROW, i);
		uint64_t kind = below(&r, 10000);
		int noid = kind < 5;			/* 0.05%: no email and no id */
		int ragged = kind >= 5 && kind < 6;	/* 0.01%: cut after 12 fields */
		int noemail = kind >= 6 && kind < 56;	/* 0.5%: id but no email */
		int multi = kind >= 56 && kind < 106;	/* 0.5%: two emails */
		int64_t lm, la;
		const country_t *c;

		out_reserve();
		make_person(person_of(i), &p);
		c = &countries[p.country];

		/* Record ID: unique per row, as HubSpot gives duplicates their own. */
		if (!noid)
			put_u64(51000000000ULL + i * 13 + below(&r, 13));
		putc_(',');
		put_name(&r, p.first->name);
		putc_(',');
		put_name(&r, p.last->name);
		putc_(',');
		if (noid || noemail) {
			if (chance(&r, 200))
				put(PICK(&r, placeholders));
		} else if (multi) {
			putc_('"');
			put_email(&r, p.email);
			put(below(&r, 2) ? "; " : ", ");
			put(p.first->ascii); putc_('.'); put(p.last->ascii); put("@gmail.com\"");
		} else {
			put_email(&r, p.email);
		}
		putc_(',');
		if (chance(&r, 480))
			put_phone(&r, c->code);
		else if (chance(&r, 100))
			put(PICK(&r, placeholders));
		putc_(',');
		if (!p.free || chance(&r, 150)) {
			const char *legal = co_legal[p.legal];
			if (legal[0] == ',')
				putc_('"');
			put(co_prefix[p.prefix]); putc_(' '); put(co_suffix[p.suffix]); put(legal);
			if (legal[0] == ',')
				putc_('"');
		}
		putc_(',');
		if (chance(&r, 700))
			put_field(p.title);
		else if (chance(&r, 400))
			put(PICK(&r, placeholders));
		putc_(',');
		if (chance(&r, 450))
			put(industries[p.industry]);
		else if (chance(&r, 300))
			put(PICK(&r, placeholders));
		putc_(',');
		if (chance(&r, 550))
			put_field(employees[p.size]);
		else if (chance(&r, 300))
			put(below(&r, 2) ? "Select" : "-");
		putc_(',');
		if (chance(&r, 800))
			put_field(c->names[below(&r, 6)]);
		else if (chance(&r, 400))
			put(PICK(&r, placeholders));
		putc_(',');
		put(p.source);
		putc_(',');
		if (chance(&r, 960))
			put(PICK(&r, stages));
		if (ragged) {
			put("\r\n");
			continue;
		}
		putc_(',');
		if (chance(&r, 420))
			put(PICK(&r, statuses));
		putc_(',');
		if (chance(&r, 450))
			put(PICK(&r, owners));
		putc_(',');
		lm = p.created + 3600 + (int64_t)below(&r, (uint64_t)(T_2026_11_20 - 86400 - p.created));
		put_date(p.created, date_kinds[below(&r, ARRAY_LEN(date_kinds))], (unsigned)below(&r, 1000));
		putc_(',');
		put_date(lm, date_kinds[below(&r, ARRAY_LEN(date_kinds))], (unsigned)below(&r, 1000));
		putc_(',');
		if (chance(&r, 420)) {
			la = p.created + (int64_t)below(&r, (uint64_t)(lm - p.created));
			put_date(la, date_kinds[below(&r, ARRAY_LEN(date_kinds))], (unsigned)below(&r, 1000));
		}
		putc_(',');
		if (chance(&r, 200))
			put(PICK(&r, langs));
		putc_(',');
		if (chance(&r, 120))
			put_field(PICK(&r, budgets));
		putc_(',');
		if (chance(&r, 30))
			put_field(PICK(&r, notes));
		if (wide)
			put_wide(&r);
		put("\r\n");
	}
	out_flush();
}

/* ---- activities ---------------------------------------------------------- */

static const char *const campaigns[] = {
	"nurture-awareness-1", "nurture-awareness-2", "nurture-awareness-3",
	"nurture-evaluation-1", "newsletter-2026-03", "newsletter-2026-05",
	"newsletter-2026-07", "newsletter-2026-09", "product-update-oct", "webinar-invite-web-2",
	"recycle-checkin-1",
};
static const char *const webinars[] = {
	"web-1: Lead scoring that sales trusts", "web-2: Routing without spreadsheets",
	"web-3: Funnel metrics, defined", "web-4: Nurture, frequency caps and you",
};
static const char *const contents[] = {
	"ebook-1: The RevOps handbook", "guide: MQL definitions", "whitepaper-lead-routing.pdf",
	"checklist: SLA design", "case-study: Globex, 3x faster follow-up",
};
static const char *const forms[] = {
	"contact-us", "newsletter-signup", "trial-signup", "event-registration",
};
static const char *const pricing[] = {
	"/pricing", "/pricing", "/pricing?plan=team", "/pricing#enterprise",
};

/* Activity names weighted by how often they happen. */
enum { A_SENT, A_OPEN, A_CLICK, A_WEBINAR, A_PRICING, A_DEMO, A_FORM, A_CONTENT, A_UNSUB };
static const char *const act_names[] = {
	"email_sent", "email_open", "email_click", "webinar_attended", "pricing_page",
	"demo_request", "form_submit", "content_download", "unsubscribe",
};
static const unsigned act_weight[] = {400, 220, 60, 60, 70, 20, 65, 90, 15};

static void gen_activities(uint64_t n, uint64_t m)
{
	uint64_t i, total = 0;
	person_t p;
	unsigned k;

	for (k = 0; k < ARRAY_LEN(act_weight); k++)
		total += act_weight[k];
	put("email,activity,occurred_at,detail\n");
	for (i = 0; i < n; i++) {
		rng_t r = stream(S_ACT, i);
		uint64_t row, x, bad = below(&r, 10000);
		int64_t t;

		out_reserve();
		/* A fifth of the leads make 40% of the noise. */
		row = below(&r, m);
		if (chance(&r, 400))
			row -= row % 5;
		if (bad < 20) {		/* 0.2%: an email no lead has */
			put("nobody"); put_u64(below(&r, 100000)); put("@unknown.example.org");
		} else {
			make_person(person_of(row), &p);
			put(p.email);
		}
		putc_(',');
		x = below(&r, total);
		for (k = 0; x >= act_weight[k]; k++)
			x -= act_weight[k];
		put(act_names[k]);
		putc_(',');
		/* The nine months (273 days) before 2026-11-20. */
		t = T_2026_11_20 - 1 - (int64_t)below(&r, 273 * 86400);
		if (bad >= 20 && bad < 22)	/* 0.02%: a date nobody can parse */
			put(bad == 20 ? "yesterday" : "2026-02-30T10:00:00Z");
		else
			put_date(t, D_UTC, 0);
		putc_(',');
		switch (k) {
		case A_SENT: case A_OPEN: case A_CLICK: case A_UNSUB:
			put(PICK(&r, campaigns)); break;
		case A_WEBINAR: put_field(PICK(&r, webinars)); break;
		case A_PRICING: put(PICK(&r, pricing)); break;
		case A_DEMO: put("demo form"); break;
		case A_FORM: put(PICK(&r, forms)); break;
		default: put_field(PICK(&r, contents)); break;
		}
		putc_('\n');
	}
	out_flush();
}

/* ---- main ---------------------------------------------------------------- */

static void usage(int status)
{
	fputs("usage: lead-gen leads N [--seed S] [--shape SHAPE] [--dups PCT]\n"
	      "       lead-gen activities N --leads M [--seed S]\n"
	      "Writes N messy leads, or N activities that reference the emails of the\n"
	      "first M leads of the same seed, to stdout.  SHAPE is classic (default,\n"
	      "20 HubSpot-style columns), hubspot (16 columns, clean), salesforce (a\n"
	      "dirty lead report) or wide (100 columns); PCT (default 15) is the share\n"
	      "of rows repeating an earlier person's email.\n",
	      status ? stderr : stdout);
	exit(status);
}

static uint64_t number(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-') {
		fprintf(stderr, "lead-gen: not a number: '%s'\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	uint64_t n, m = 0;
	int i, leads;
	const char *shape = "classic";

	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		usage(0);
	if (argc < 3)
		usage(2);
	if (!strcmp(argv[1], "leads"))
		leads = 1;
	else if (!strcmp(argv[1], "activities"))
		leads = 0;
	else
		usage(2);
	n = number(argv[2]);
	for (i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			g_seed = number(argv[++i]);
		else if (!strcmp(argv[i], "--leads") && i + 1 < argc && !leads)
			m = number(argv[++i]);
		else if (!strcmp(argv[i], "--shape") && i + 1 < argc && leads)
			shape = argv[++i];
		else if (!strcmp(argv[i], "--dups") && i + 1 < argc && leads) {
			uint64_t pct = number(argv[++i]);
			if (pct > 90) {
				fputs("lead-gen: --dups is a percentage from 0 to 90\n", stderr);
				return 2;
			}
			g_dups = (unsigned)pct * 10;
		}
		else
			usage(2);
	}
	for (i = 0; i < (int)ARRAY_LEN(countries); i++)
		country_total += countries[i].weight;
	if (leads) {
		if (!strcmp(shape, "classic") || !strcmp(shape, "wide"))
			gen_leads(n, !strcmp(shape, "wide"));
		else if (!strcmp(shape, "hubspot"))
			gen_hubspot(n);
		else if (!strcmp(shape, "salesforce"))
			gen_salesforce(n);
		else {
			fprintf(stderr, "lead-gen: unknown shape '%s' (classic, hubspot, "
				"salesforce or wide)\n", shape);
			return 2;
		}
	} else {
		if (m == 0) {
			fputs("lead-gen: activities need --leads M (M > 0)\n", stderr);
			return 2;
		}
		gen_activities(n, m);
	}
	return 0;
}
