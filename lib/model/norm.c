/*
 * norm.c - normalisers for canonical lead columns; see norm.h.
 *
 * Everything here runs once per cell on exports of millions of rows, so
 * the functions work on the caller's bytes in place, keep small keys on
 * the stack, and allocate only when they grow the caller's lk_buf.  The
 * country tables are static, sorted at build time (LC_ALL=C byte order)
 * and searched by bisection; lk_norm_check_tables() proves the order.
 */
#include "model/norm.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One ISO 3166-1 country. */
struct lk_country {
	char a2[3];		/* alpha-2, upper case */
	char a3[4];		/* alpha-3, upper case */
	const char *cc;		/* ITU-T E.164 country calling code, digits only */
	const char *name;	/* ISO English short name (UTF-8) */
};

/* A normalised lookup key (see country_key) and the country it names. */
struct lk_country_key {
	const char *key;
	unsigned char idx;	/* index into countries[] */
};

/*
 * The tables below were generated once (the script is not kept: edit
 * them by hand now): 249 countries in alpha-2 order; every
 * alpha-2, alpha-3, short name and common variant as a normalised key in
 * strcmp order; and every assigned calling code (the countries' codes,
 * plus Kosovo's 383 and the non-geographic 800, 808, 870, 878, 881, 882,
 * 883, 888 and 979) in numeric order.  Keep them sorted when editing by
 * hand: the unit test runs lk_norm_check_tables().
 */
static const struct lk_country countries[] = {
	{ "AD", "AND", "376", "Andorra" },
	{ "AE", "ARE", "971", "United Arab Emirates" },
	{ "AF", "AFG", "93", "Afghanistan" },
	{ "AG", "ATG", "1", "Antigua and Barbuda" },
	{ "AI", "AIA", "1", "Anguilla" },
	{ "AL", "ALB", "355", "Albania" },
	{ "AM", "ARM", "374", "Armenia" },
	{ "AO", "AGO", "244", "Angola" },
	{ "AQ", "ATA", "672", "Antarctica" },
	{ "AR", "ARG", "54", "Argentina" },
	{ "AS", "ASM", "1", "American Samoa" },
	{ "AT", "AUT", "43", "Austria" },
	{ "AU", "AUS", "61", "Australia" },
	{ "AW", "ABW", "297", "Aruba" },
	{ "AX", "ALA", "358", "Åland Islands" },
	{ "AZ", "AZE", "994", "Azerbaijan" },
	{ "BA", "BIH", "387", "Bosnia and Herzegovina" },
	{ "BB", "BRB", "1", "Barbados" },
	{ "BD", "BGD", "880", "Bangladesh" },
	{ "BE", "BEL", "32", "Belgium" },
	{ "BF", "BFA", "226", "Burkina Faso" },
	{ "BG", "BGR", "359", "Bulgaria" },
	{ "BH", "BHR", "973", "Bahrain" },
	{ "BI", "BDI", "257", "Burundi" },
	{ "BJ", "BEN", "229", "Benin" },
	{ "BL", "BLM", "590", "Saint Barthélemy" },
	{ "BM", "BMU", "1", "Bermuda" },
	{ "BN", "BRN", "673", "Brunei Darussalam" },
	{ "BO", "BOL", "591", "Bolivia (Plurinational State of)" },
	{ "BQ", "BES", "599", "Bonaire, Sint Eustatius and Saba" },
	{ "BR", "BRA", "55", "Brazil" },
	{ "BS", "BHS", "1", "Bahamas" },
	{ "BT", "BTN", "975", "Bhutan" },
	{ "BV", "BVT", "47", "Bouvet Island" },
	{ "BW", "BWA", "267", "Botswana" },
	{ "BY", "BLR", "375", "Belarus" },
	{ "BZ", "BLZ", "501", "Belize" },
	{ "CA", "CAN", "1", "Canada" },
	{ "CC", "CCK", "61", "Cocos (Keeling) Islands" },
	{ "CD", "COD", "243", "Congo, Democratic Republic of the" },
	{ "CF", "CAF", "236", "Central African Republic" },
	{ "CG", "COG", "242", "Congo" },
	{ "CH", "CHE", "41", "Switzerland" },
	{ "CI", "CIV", "225", "Côte d'Ivoire" },
	{ "CK", "COK", "682", "Cook Islands" },
	{ "CL", "CHL", "56", "Chile" },
	{ "CM", "CMR", "237", "Cameroon" },
	{ "CN", "CHN", "86", "China" },
	{ "CO", "COL", "57", "Colombia" },
	{ "CR", "CRI", "506", "Costa Rica" },
	{ "CU", "CUB", "53", "Cuba" },
	{ "CV", "CPV", "238", "Cabo Verde" },
	{ "CW", "CUW", "599", "Curaçao" },
	{ "CX", "CXR", "61", "Christmas Island" },
	{ "CY", "CYP", "357", "Cyprus" },
	{ "CZ", "CZE", "420", "Czechia" },
	{ "DE", "DEU", "49", "Germany" },
	{ "DJ", "DJI", "253", "Djibouti" },
	{ "DK", "DNK", "45", "Denmark" },
	{ "DM", "DMA", "1", "Dominica" },
	{ "DO", "DOM", "1", "Dominican Republic" },
	{ "DZ", "DZA", "213", "Algeria" },
	{ "EC", "ECU", "593", "Ecuador" },
	{ "EE", "EST", "372", "Estonia" },
	{ "EG", "EGY", "20", "Egypt" },
	{ "EH", "ESH", "212", "Western Sahara" },
	{ "ER", "ERI", "291", "Eritrea" },
	{ "ES", "ESP", "34", "Spain" },
	{ "ET", "ETH", "251", "Ethiopia" },
	{ "FI", "FIN", "358", "Finland" },
	{ "FJ", "FJI", "679", "Fiji" },
	{ "FK", "FLK", "500", "Falkland Islands (Malvinas)" },
	{ "FM", "FSM", "691", "Micronesia (Federated States of)" },
	{ "FO", "FRO", "298", "Faroe Islands" },
	{ "FR", "FRA", "33", "France" },
	{ "GA", "GAB", "241", "Gabon" },
	{ "GB", "GBR", "44", "United Kingdom of Great Britain and Northern Ireland" },
	{ "GD", "GRD", "1", "Grenada" },
	{ "GE", "GEO", "995", "Georgia" },
	{ "GF", "GUF", "594", "French Guiana" },
	{ "GG", "GGY", "44", "Guernsey" },
	{ "GH", "GHA", "233", "Ghana" },
	{ "GI", "GIB", "350", "Gibraltar" },
	{ "GL", "GRL", "299", "Greenland" },
	{ "GM", "GMB", "220", "Gambia" },
	{ "GN", "GIN", "224", "Guinea" },
	{ "GP", "GLP", "590", "Guadeloupe" },
	{ "GQ", "GNQ", "240", "Equatorial Guinea" },
	{ "GR", "GRC", "30", "Greece" },
	{ "GS", "SGS", "500", "South Georgia and the South Sandwich Islands" },
	{ "GT", "GTM", "502", "Guatemala" },
	{ "GU", "GUM", "1", "Guam" },
	{ "GW", "GNB", "245", "Guinea-Bissau" },
	{ "GY", "GUY", "592", "Guyana" },
	{ "HK", "HKG", "852", "Hong Kong" },
	{ "HM", "HMD", "672", "Heard Island and McDonald Islands" },
	{ "HN", "HND", "504", "Honduras" },
	{ "HR", "HRV", "385", "Croatia" },
	{ "HT", "HTI", "509", "Haiti" },
	{ "HU", "HUN", "36", "Hungary" },
	{ "ID", "IDN", "62", "Indonesia" },
	{ "IE", "IRL", "353", "Ireland" },
	{ "IL", "ISR", "972", "Israel" },
	{ "IM", "IMN", "44", "Isle of Man" },
	{ "IN", "IND", "91", "India" },
	{ "IO", "IOT", "246", "British Indian Ocean Territory" },
	{ "IQ", "IRQ", "964", "Iraq" },
	{ "IR", "IRN", "98", "Iran (Islamic Republic of)" },
	{ "IS", "ISL", "354", "Iceland" },
	{ "IT", "ITA", "39", "Italy" },
	{ "JE", "JEY", "44", "Jersey" },
	{ "JM", "JAM", "1", "Jamaica" },
	{ "JO", "JOR", "962", "Jordan" },
	{ "JP", "JPN", "81", "Japan" },
	{ "KE", "KEN", "254", "Kenya" },
	{ "KG", "KGZ", "996", "Kyrgyzstan" },
	{ "KH", "KHM", "855", "Cambodia" },
	{ "KI", "KIR", "686", "Kiribati" },
	{ "KM", "COM", "269", "Comoros" },
	{ "KN", "KNA", "1", "Saint Kitts and Nevis" },
	{ "KP", "PRK", "850", "Korea (Democratic People's Republic of)" },
	{ "KR", "KOR", "82", "Korea, Republic of" },
	{ "KW", "KWT", "965", "Kuwait" },
	{ "KY", "CYM", "1", "Cayman Islands" },
	{ "KZ", "KAZ", "7", "Kazakhstan" },
	{ "LA", "LAO", "856", "Lao People's Democratic Republic" },
	{ "LB", "LBN", "961", "Lebanon" },
	{ "LC", "LCA", "1", "Saint Lucia" },
	{ "LI", "LIE", "423", "Liechtenstein" },
	{ "LK", "LKA", "94", "Sri Lanka" },
	{ "LR", "LBR", "231", "Liberia" },
	{ "LS", "LSO", "266", "Lesotho" },
	{ "LT", "LTU", "370", "Lithuania" },
	{ "LU", "LUX", "352", "Luxembourg" },
	{ "LV", "LVA", "371", "Latvia" },
	{ "LY", "LBY", "218", "Libya" },
	{ "MA", "MAR", "212", "Morocco" },
	{ "MC", "MCO", "377", "Monaco" },
	{ "MD", "MDA", "373", "Moldova, Republic of" },
	{ "ME", "MNE", "382", "Montenegro" },
	{ "MF", "MAF", "590", "Saint Martin (French part)" },
	{ "MG", "MDG", "261", "Madagascar" },
	{ "MH", "MHL", "692", "Marshall Islands" },
	{ "MK", "MKD", "389", "North Macedonia" },
	{ "ML", "MLI", "223", "Mali" },
	{ "MM", "MMR", "95", "Myanmar" },
	{ "MN", "MNG", "976", "Mongolia" },
	{ "MO", "MAC", "853", "Macao" },
	{ "MP", "MNP", "1", "Northern Mariana Islands" },
	{ "MQ", "MTQ", "596", "Martinique" },
	{ "MR", "MRT", "222", "Mauritania" },
	{ "MS", "MSR", "1", "Montserrat" },
	{ "MT", "MLT", "356", "Malta" },
	{ "MU", "MUS", "230", "Mauritius" },
	{ "MV", "MDV", "960", "Maldives" },
	{ "MW", "MWI", "265", "Malawi" },
	{ "MX", "MEX", "52", "Mexico" },
	{ "MY", "MYS", "60", "Malaysia" },
	{ "MZ", "MOZ", "258", "Mozambique" },
	{ "NA", "NAM", "264", "Namibia" },
	{ "NC", "NCL", "687", "New Caledonia" },
	{ "NE", "NER", "227", "Niger" },
	{ "NF", "NFK", "672", "Norfolk Island" },
	{ "NG", "NGA", "234", "Nigeria" },
	{ "NI", "NIC", "505", "Nicaragua" },
	{ "NL", "NLD", "31", "Netherlands" },
	{ "NO", "NOR", "47", "Norway" },
	{ "NP", "NPL", "977", "Nepal" },
	{ "NR", "NRU", "674", "Nauru" },
	{ "NU", "NIU", "683", "Niue" },
	{ "NZ", "NZL", "64", "New Zealand" },
	{ "OM", "OMN", "968", "Oman" },
	{ "PA", "PAN", "507", "Panama" },
	{ "PE", "PER", "51", "Peru" },
	{ "PF", "PYF", "689", "French Polynesia" },
	{ "PG", "PNG", "675", "Papua New Guinea" },
	{ "PH", "PHL", "63", "Philippines" },
	{ "PK", "PAK", "92", "Pakistan" },
	{ "PL", "POL", "48", "Poland" },
	{ "PM", "SPM", "508", "Saint Pierre and Miquelon" },
	{ "PN", "PCN", "64", "Pitcairn" },
	{ "PR", "PRI", "1", "Puerto Rico" },
	{ "PS", "PSE", "970", "Palestine, State of" },
	{ "PT", "PRT", "351", "Portugal" },
	{ "PW", "PLW", "680", "Palau" },
	{ "PY", "PRY", "595", "Paraguay" },
	{ "QA", "QAT", "974", "Qatar" },
	{ "RE", "REU", "262", "Réunion" },
	{ "RO", "ROU", "40", "Romania" },
	{ "RS", "SRB", "381", "Serbia" },
	{ "RU", "RUS", "7", "Russian Federation" },
	{ "RW", "RWA", "250", "Rwanda" },
	{ "SA", "SAU", "966", "Saudi Arabia" },
	{ "SB", "SLB", "677", "Solomon Islands" },
	{ "SC", "SYC", "248", "Seychelles" },
	{ "SD", "SDN", "249", "Sudan" },
	{ "SE", "SWE", "46", "Sweden" },
	{ "SG", "SGP", "65", "Singapore" },
	{ "SH", "SHN", "290", "Saint Helena, Ascension and Tristan da Cunha" },
	{ "SI", "SVN", "386", "Slovenia" },
	{ "SJ", "SJM", "47", "Svalbard and Jan Mayen" },
	{ "SK", "SVK", "421", "Slovakia" },
	{ "SL", "SLE", "232", "Sierra Leone" },
	{ "SM", "SMR", "378", "San Marino" },
	{ "SN", "SEN", "221", "Senegal" },
	{ "SO", "SOM", "252", "Somalia" },
	{ "SR", "SUR", "597", "Suriname" },
	{ "SS", "SSD", "211", "South Sudan" },
	{ "ST", "STP", "239", "Sao Tome and Principe" },
	{ "SV", "SLV", "503", "El Salvador" },
	{ "SX", "SXM", "1", "Sint Maarten (Dutch part)" },
	{ "SY", "SYR", "963", "Syrian Arab Republic" },
	{ "SZ", "SWZ", "268", "Eswatini" },
	{ "TC", "TCA", "1", "Turks and Caicos Islands" },
	{ "TD", "TCD", "235", "Chad" },
	{ "TF", "ATF", "262", "French Southern Territories" },
	{ "TG", "TGO", "228", "Togo" },
	{ "TH", "THA", "66", "Thailand" },
	{ "TJ", "TJK", "992", "Tajikistan" },
	{ "TK", "TKL", "690", "Tokelau" },
	{ "TL", "TLS", "670", "Timor-Leste" },
	{ "TM", "TKM", "993", "Turkmenistan" },
	{ "TN", "TUN", "216", "Tunisia" },
	{ "TO", "TON", "676", "Tonga" },
	{ "TR", "TUR", "90", "Türkiye" },
	{ "TT", "TTO", "1", "Trinidad and Tobago" },
	{ "TV", "TUV", "688", "Tuvalu" },
	{ "TW", "TWN", "886", "Taiwan, Province of China" },
	{ "TZ", "TZA", "255", "Tanzania, United Republic of" },
	{ "UA", "UKR", "380", "Ukraine" },
	{ "UG", "UGA", "256", "Uganda" },
	{ "UM", "UMI", "1", "United States Minor Outlying Islands" },
	{ "US", "USA", "1", "United States of America" },
	{ "UY", "URY", "598", "Uruguay" },
	{ "UZ", "UZB", "998", "Uzbekistan" },
	{ "VA", "VAT", "379", "Holy See" },
	{ "VC", "VCT", "1", "Saint Vincent and the Grenadines" },
	{ "VE", "VEN", "58", "Venezuela (Bolivarian Republic of)" },
	{ "VG", "VGB", "1", "Virgin Islands (British)" },
	{ "VI", "VIR", "1", "Virgin Islands (U.S.)" },
	{ "VN", "VNM", "84", "Viet Nam" },
	{ "VU", "VUT", "678", "Vanuatu" },
	{ "WF", "WLF", "681", "Wallis and Futuna" },
	{ "WS", "WSM", "685", "Samoa" },
	{ "YE", "YEM", "967", "Yemen" },
	{ "YT", "MYT", "262", "Mayotte" },
	{ "ZA", "ZAF", "27", "South Africa" },
	{ "ZM", "ZMB", "260", "Zambia" },
	{ "ZW", "ZWE", "263", "Zimbabwe" },
};

static const struct lk_country_key country_keys[] = {
	{ "abw", 13 },
	{ "ad", 0 },
	{ "ae", 1 },
	{ "af", 2 },
	{ "afg", 2 },
	{ "afghanistan", 2 },
	{ "ag", 3 },
	{ "ago", 7 },
	{ "ai", 4 },
	{ "aia", 4 },
	{ "al", 5 },
	{ "ala", 14 },
	{ "aland", 14 },
	{ "aland islands", 14 },
	{ "alb", 5 },
	{ "albania", 5 },
	{ "alemania", 56 },
	{ "algeria", 61 },
	{ "allemagne", 56 },
	{ "am", 6 },
	{ "america", 232 },
	{ "american samoa", 10 },
	{ "and", 0 },
	{ "andorra", 0 },
	{ "angola", 7 },
	{ "anguilla", 4 },
	{ "antarctica", 8 },
	{ "antigua", 3 },
	{ "antigua and barbuda", 3 },
	{ "ao", 7 },
	{ "aq", 8 },
	{ "ar", 9 },
	{ "arab republic of egypt", 64 },
	{ "are", 1 },
	{ "arg", 9 },
	{ "argentina", 9 },
	{ "arm", 6 },
	{ "armenia", 6 },
	{ "aruba", 13 },
	{ "as", 10 },
	{ "asm", 10 },
	{ "at", 11 },
	{ "ata", 8 },
	{ "atf", 215 },
	{ "atg", 3 },
	{ "au", 12 },
	{ "aus", 12 },
	{ "australia", 12 },
	{ "austria", 11 },
	{ "aut", 11 },
	{ "aw", 13 },
	{ "ax", 14 },
	{ "az", 15 },
	{ "aze", 15 },
	{ "azerbaijan", 15 },
	{ "ba", 16 },
	{ "bahamas", 31 },
	{ "bahrain", 22 },
	{ "bangladesh", 18 },
	{ "barbados", 17 },
	{ "bb", 17 },
	{ "bd", 18 },
	{ "bdi", 23 },
	{ "be", 19 },
	{ "bel", 19 },
	{ "belarus", 35 },
	{ "belgie", 19 },
	{ "belgique", 19 },
	{ "belgium", 19 },
	{ "belize", 36 },
	{ "ben", 24 },
	{ "benin", 24 },
	{ "bermuda", 26 },
	{ "bes", 29 },
	{ "bf", 20 },
	{ "bfa", 20 },
	{ "bg", 21 },
	{ "bgd", 18 },
	{ "bgr", 21 },
	{ "bh", 22 },
	{ "bharat", 104 },
	{ "bhr", 22 },
	{ "bhs", 31 },
	{ "bhutan", 32 },
	{ "bi", 23 },
	{ "bih", 16 },
	{ "bj", 24 },
	{ "bl", 25 },
	{ "blm", 25 },
	{ "blr", 35 },
	{ "blz", 36 },
	{ "bm", 26 },
	{ "bmu", 26 },
	{ "bn", 27 },
	{ "bo", 28 },
	{ "bol", 28 },
	{ "bolivarian republic of venezuela", 237 },
	{ "bolivia", 28 },
	{ "bolivia plurinational state of", 28 },
	{ "bonaire", 29 },
	{ "bonaire sint eustatius and saba", 29 },
	{ "bosnia", 16 },
	{ "bosnia and herzegovina", 16 },
	{ "bosnia herzegovina", 16 },
	{ "botswana", 34 },
	{ "bouvet island", 33 },
	{ "bq", 29 },
	{ "br", 30 },
	{ "bra", 30 },
	{ "brasil", 30 },
	{ "brazil", 30 },
	{ "brb", 17 },
	{ "britain", 76 },
	{ "british indian ocean territory", 105 },
	{ "british virgin islands", 238 },
	{ "brn", 27 },
	{ "brunei", 27 },
	{ "brunei darussalam", 27 },
	{ "bs", 31 },
	{ "bt", 32 },
	{ "btn", 32 },
	{ "bulgaria", 21 },
	{ "burkina faso", 20 },
	{ "burma", 145 },
	{ "burundi", 23 },
	{ "bv", 33 },
	{ "bvi", 238 },
	{ "bvt", 33 },
	{ "bw", 34 },
	{ "bwa", 34 },
	{ "by", 35 },
	{ "bz", 36 },
	{ "ca", 37 },
	{ "cabo verde", 51 },
	{ "caf", 40 },
	{ "cambodia", 116 },
	{ "cameroon", 46 },
	{ "can", 37 },
	{ "canada", 37 },
	{ "cape verde", 51 },
	{ "caribbean netherlands", 29 },
	{ "cayman islands", 123 },
	{ "cc", 38 },
	{ "cck", 38 },
	{ "cd", 39 },
	{ "central african republic", 40 },
	{ "cf", 40 },
	{ "cg", 41 },
	{ "ch", 42 },
	{ "chad", 214 },
	{ "che", 42 },
	{ "chile", 45 },
	{ "china", 47 },
	{ "china prc", 47 },
	{ "chinese taipei", 227 },
	{ "chl", 45 },
	{ "chn", 47 },
	{ "christmas island", 53 },
	{ "ci", 43 },
	{ "civ", 43 },
	{ "ck", 44 },
	{ "cl", 45 },
	{ "cm", 46 },
	{ "cmr", 46 },
	{ "cn", 47 },
	{ "co", 48 },
	{ "cocos islands", 38 },
	{ "cocos keeling islands", 38 },
	{ "cod", 39 },
	{ "cog", 41 },
	{ "cok", 44 },
	{ "col", 48 },
	{ "colombia", 48 },
	{ "com", 118 },
	{ "comoros", 118 },
	{ "congo", 41 },
	{ "congo brazzaville", 41 },
	{ "congo dem rep", 39 },
	{ "congo democratic republic", 39 },
	{ "congo democratic republic of", 39 },
	{ "congo drc", 39 },
	{ "congo kinshasa", 39 },
	{ "congo rep", 41 },
	{ "congo republic", 41 },
	{ "cook islands", 44 },
	{ "costa rica", 49 },
	{ "cote d ivoire", 43 },
	{ "cote divoire", 43 },
	{ "cpv", 51 },
	{ "cr", 49 },
	{ "cri", 49 },
	{ "croatia", 97 },
	{ "cu", 50 },
	{ "cub", 50 },
	{ "cuba", 50 },
	{ "curacao", 52 },
	{ "cuw", 52 },
	{ "cv", 51 },
	{ "cw", 52 },
	{ "cx", 53 },
	{ "cxr", 53 },
	{ "cy", 54 },
	{ "cym", 123 },
	{ "cyp", 54 },
	{ "cyprus", 54 },
	{ "cz", 55 },
	{ "cze", 55 },
	{ "czech republic", 55 },
	{ "czechia", 55 },
	{ "danmark", 58 },
	{ "de", 56 },
	{ "democratic peoples republic of korea", 120 },
	{ "democratic republic of congo", 39 },
	{ "democratic republic of the congo", 39 },
	{ "denmark", 58 },
	{ "deu", 56 },
	{ "deutschland", 56 },
	{ "dj", 57 },
	{ "dji", 57 },
	{ "djibouti", 57 },
	{ "dk", 58 },
	{ "dm", 59 },
	{ "dma", 59 },
	{ "dnk", 58 },
	{ "do", 60 },
	{ "dom", 60 },
	{ "dominica", 59 },
	{ "dominican republic", 60 },
	{ "dprk", 120 },
	{ "dr congo", 39 },
	{ "drc", 39 },
	{ "dz", 61 },
	{ "dza", 61 },
	{ "east timor", 220 },
	{ "ec", 62 },
	{ "ecu", 62 },
	{ "ecuador", 62 },
	{ "ee", 63 },
	{ "eg", 64 },
	{ "egy", 64 },
	{ "egypt", 64 },
	{ "egypt arab rep", 64 },
	{ "eh", 65 },
	{ "eire", 101 },
	{ "el salvador", 209 },
	{ "ellada", 88 },
	{ "emirates", 1 },
	{ "england", 76 },
	{ "equatorial guinea", 87 },
	{ "er", 66 },
	{ "eri", 66 },
	{ "eritrea", 66 },
	{ "es", 67 },
	{ "esh", 65 },
	{ "esp", 67 },
	{ "espagne", 67 },
	{ "espana", 67 },
	{ "espanha", 67 },
	{ "est", 63 },
	{ "estados unidos", 232 },
	{ "estonia", 63 },
	{ "eswatini", 212 },
	{ "et", 68 },
	{ "etats unis", 232 },
	{ "eth", 68 },
	{ "ethiopia", 68 },
	{ "faeroe islands", 73 },
	{ "falkland islands", 71 },
	{ "falkland islands malvinas", 71 },
	{ "falklands", 71 },
	{ "faroe islands", 73 },
	{ "faroes", 73 },
	{ "federal republic of germany", 56 },
	{ "federated states of micronesia", 72 },
	{ "fi", 69 },
	{ "fiji", 70 },
	{ "fin", 69 },
	{ "finland", 69 },
	{ "fj", 70 },
	{ "fji", 70 },
	{ "fk", 71 },
	{ "flk", 71 },
	{ "fm", 72 },
	{ "fo", 73 },
	{ "former yugoslav republic of macedonia", 143 },
	{ "fr", 74 },
	{ "fra", 74 },
	{ "france", 74 },
	{ "french guiana", 79 },
	{ "french polynesia", 174 },
	{ "french southern territories", 215 },
	{ "fro", 73 },
	{ "fsm", 72 },
	{ "fyrom", 143 },
	{ "ga", 75 },
	{ "gab", 75 },
	{ "gabon", 75 },
	{ "gambia", 84 },
	{ "gb", 76 },
	{ "gbr", 76 },
	{ "gd", 77 },
	{ "ge", 78 },
	{ "geo", 78 },
	{ "georgia", 78 },
	{ "germany", 56 },
	{ "gf", 79 },
	{ "gg", 80 },
	{ "ggy", 80 },
	{ "gh", 81 },
	{ "gha", 81 },
	{ "ghana", 81 },
	{ "gi", 82 },
	{ "gib", 82 },
	{ "gibraltar", 82 },
	{ "gin", 85 },
	{ "gl", 83 },
	{ "glp", 86 },
	{ "gm", 84 },
	{ "gmb", 84 },
	{ "gn", 85 },
	{ "gnb", 92 },
	{ "gnq", 87 },
	{ "gp", 86 },
	{ "gq", 87 },
	{ "gr", 88 },
	{ "grc", 88 },
	{ "grd", 77 },
	{ "great britain", 76 },
	{ "greece", 88 },
	{ "greenland", 83 },
	{ "grenada", 77 },
	{ "grl", 83 },
	{ "gs", 89 },
	{ "gt", 90 },
	{ "gtm", 90 },
	{ "gu", 91 },
	{ "guadeloupe", 86 },
	{ "guam", 91 },
	{ "guatemala", 90 },
	{ "guernsey", 80 },
	{ "guf", 79 },
	{ "guinea", 85 },
	{ "guinea bissau", 92 },
	{ "gum", 91 },
	{ "guy", 93 },
	{ "guyana", 93 },
	{ "gw", 92 },
	{ "gy", 93 },
	{ "haiti", 98 },
	{ "heard and mcdonald islands", 95 },
	{ "heard island and mcdonald islands", 95 },
	{ "hellas", 88 },
	{ "hk", 94 },
	{ "hkg", 94 },
	{ "hm", 95 },
	{ "hmd", 95 },
	{ "hn", 96 },
	{ "hnd", 96 },
	{ "holland", 165 },
	{ "holy see", 235 },
	{ "honduras", 96 },
	{ "hong kong", 94 },
	{ "hong kong china", 94 },
	{ "hong kong sar", 94 },
	{ "hong kong sar china", 94 },
	{ "hongkong", 94 },
	{ "hr", 97 },
	{ "hrv", 97 },
	{ "hrvatska", 97 },
	{ "ht", 98 },
	{ "hti", 98 },
	{ "hu", 99 },
	{ "hun", 99 },
	{ "hungary", 99 },
	{ "iceland", 108 },
	{ "id", 100 },
	{ "idn", 100 },
	{ "ie", 101 },
	{ "il", 102 },
	{ "im", 103 },
	{ "imn", 103 },
	{ "in", 104 },
	{ "ind", 104 },
	{ "india", 104 },
	{ "indonesia", 100 },
	{ "io", 105 },
	{ "iot", 105 },
	{ "iq", 106 },
	{ "ir", 107 },
	{ "iran", 107 },
	{ "iran islamic rep", 107 },
	{ "iran islamic republic", 107 },
	{ "iran islamic republic of", 107 },
	{ "iraq", 106 },
	{ "ireland", 101 },
	{ "irl", 101 },
	{ "irn", 107 },
	{ "irq", 106 },
	{ "is", 108 },
	{ "isl", 108 },
	{ "islamic republic of iran", 107 },
	{ "isle of man", 103 },
	{ "isr", 102 },
	{ "israel", 102 },
	{ "it", 109 },
	{ "ita", 109 },
	{ "italia", 109 },
	{ "italy", 109 },
	{ "ivory coast", 43 },
	{ "jam", 111 },
	{ "jamaica", 111 },
	{ "japan", 113 },
	{ "je", 110 },
	{ "jersey", 110 },
	{ "jey", 110 },
	{ "jm", 111 },
	{ "jo", 112 },
	{ "jor", 112 },
	{ "jordan", 112 },
	{ "jp", 113 },
	{ "jpn", 113 },
	{ "kaz", 124 },
	{ "kazakhstan", 124 },
	{ "ke", 114 },
	{ "keeling islands", 38 },
	{ "ken", 114 },
	{ "kenya", 114 },
	{ "kg", 115 },
	{ "kgz", 115 },
	{ "kh", 116 },
	{ "khm", 116 },
	{ "ki", 117 },
	{ "kingdom of saudi arabia", 192 },
	{ "kingdom of the netherlands", 165 },
	{ "kir", 117 },
	{ "kirghizia", 115 },
	{ "kiribati", 117 },
	{ "km", 118 },
	{ "kn", 119 },
	{ "kna", 119 },
	{ "kor", 121 },
	{ "korea", 121 },
	{ "korea dem peoples rep", 120 },
	{ "korea dem rep", 120 },
	{ "korea democratic peoples republic of", 120 },
	{ "korea dpr", 120 },
	{ "korea north", 120 },
	{ "korea rep", 121 },
	{ "korea rep of", 121 },
	{ "korea republic", 121 },
	{ "korea republic of", 121 },
	{ "korea south", 121 },
	{ "kp", 120 },
	{ "kr", 121 },
	{ "ksa", 192 },
	{ "kuwait", 122 },
	{ "kw", 122 },
	{ "kwt", 122 },
	{ "ky", 123 },
	{ "kyrgyz republic", 115 },
	{ "kyrgyzstan", 115 },
	{ "kz", 124 },
	{ "la", 125 },
	{ "lao", 125 },
	{ "lao pdr", 125 },
	{ "lao peoples democratic republic", 125 },
	{ "laos", 125 },
	{ "latvia", 134 },
	{ "lb", 126 },
	{ "lbn", 126 },
	{ "lbr", 130 },
	{ "lby", 135 },
	{ "lc", 127 },
	{ "lca", 127 },
	{ "lebanon", 126 },
	{ "lesotho", 131 },
	{ "li", 128 },
	{ "liberia", 130 },
	{ "libya", 135 },
	{ "libyan arab jamahiriya", 135 },
	{ "lie", 128 },
	{ "liechtenstein", 128 },
	{ "lithuania", 132 },
	{ "lk", 129 },
	{ "lka", 129 },
	{ "lr", 130 },
	{ "ls", 131 },
	{ "lso", 131 },
	{ "lt", 132 },
	{ "ltu", 132 },
	{ "lu", 133 },
	{ "lux", 133 },
	{ "luxembourg", 133 },
	{ "lv", 134 },
	{ "lva", 134 },
	{ "ly", 135 },
	{ "ma", 136 },
	{ "mac", 147 },
	{ "macao", 147 },
	{ "macao sar", 147 },
	{ "macao sar china", 147 },
	{ "macau", 147 },
	{ "macau sar", 147 },
	{ "macedonia", 143 },
	{ "macedonia the former yugoslav republic of", 143 },
	{ "madagascar", 141 },
	{ "maf", 140 },
	{ "mainland china", 47 },
	{ "malawi", 155 },
	{ "malaysia", 157 },
	{ "maldives", 154 },
	{ "mali", 144 },
	{ "malta", 152 },
	{ "mar", 136 },
	{ "marshall islands", 142 },
	{ "martinique", 149 },
	{ "mauritania", 150 },
	{ "mauritius", 153 },
	{ "mayotte", 245 },
	{ "mc", 137 },
	{ "mco", 137 },
	{ "md", 138 },
	{ "mda", 138 },
	{ "mdg", 141 },
	{ "mdv", 154 },
	{ "me", 139 },
	{ "mex", 156 },
	{ "mexico", 156 },
	{ "mexiko", 156 },
	{ "mexique", 156 },
	{ "mf", 140 },
	{ "mg", 141 },
	{ "mh", 142 },
	{ "mhl", 142 },
	{ "micronesia", 72 },
	{ "micronesia fed sts", 72 },
	{ "micronesia federated states of", 72 },
	{ "mk", 143 },
	{ "mkd", 143 },
	{ "ml", 144 },
	{ "mli", 144 },
	{ "mlt", 152 },
	{ "mm", 145 },
	{ "mmr", 145 },
	{ "mn", 146 },
	{ "mne", 139 },
	{ "mng", 146 },
	{ "mnp", 148 },
	{ "mo", 147 },
	{ "moldova", 138 },
	{ "moldova republic of", 138 },
	{ "monaco", 137 },
	{ "mongolia", 146 },
	{ "montenegro", 139 },
	{ "montserrat", 151 },
	{ "morocco", 136 },
	{ "moz", 158 },
	{ "mozambique", 158 },
	{ "mp", 148 },
	{ "mq", 149 },
	{ "mr", 150 },
	{ "mrt", 150 },
	{ "ms", 151 },
	{ "msr", 151 },
	{ "mt", 152 },
	{ "mtq", 149 },
	{ "mu", 153 },
	{ "mus", 153 },
	{ "mv", 154 },
	{ "mw", 155 },
	{ "mwi", 155 },
	{ "mx", 156 },
	{ "my", 157 },
	{ "myanmar", 145 },
	{ "mys", 157 },
	{ "myt", 245 },
	{ "mz", 158 },
	{ "na", 159 },
	{ "nam", 159 },
	{ "namibia", 159 },
	{ "nauru", 168 },
	{ "nc", 160 },
	{ "ncl", 160 },
	{ "ne", 161 },
	{ "nederland", 165 },
	{ "nepal", 167 },
	{ "ner", 161 },
	{ "netherlands", 165 },
	{ "netherlands kingdom of", 165 },
	{ "new caledonia", 160 },
	{ "new zealand", 170 },
	{ "nf", 162 },
	{ "nfk", 162 },
	{ "ng", 163 },
	{ "nga", 163 },
	{ "ni", 164 },
	{ "nic", 164 },
	{ "nicaragua", 164 },
	{ "niederlande", 165 },
	{ "niger", 161 },
	{ "nigeria", 163 },
	{ "nippon", 113 },
	{ "niu", 169 },
	{ "niue", 169 },
	{ "nl", 165 },
	{ "nld", 165 },
	{ "no", 166 },
	{ "nor", 166 },
	{ "norfolk island", 162 },
	{ "norge", 166 },
	{ "north korea", 120 },
	{ "north macedonia", 143 },
	{ "northern ireland", 76 },
	{ "northern mariana islands", 148 },
	{ "norway", 166 },
	{ "np", 167 },
	{ "npl", 167 },
	{ "nr", 168 },
	{ "nru", 168 },
	{ "nu", 169 },
	{ "nz", 170 },
	{ "nzl", 170 },
	{ "occupied palestinian territory", 182 },
	{ "om", 171 },
	{ "oman", 171 },
	{ "omn", 171 },
	{ "osterreich", 11 },
	{ "pa", 172 },
	{ "pak", 177 },
	{ "pakistan", 177 },
	{ "palau", 184 },
	{ "palestine", 182 },
	{ "palestine state of", 182 },
	{ "palestinian territories", 182 },
	{ "palestinian territory", 182 },
	{ "pan", 172 },
	{ "panama", 172 },
	{ "papua new guinea", 175 },
	{ "paraguay", 185 },
	{ "pays bas", 165 },
	{ "pcn", 180 },
	{ "pe", 173 },
	{ "peoples republic of china", 47 },
	{ "per", 173 },
	{ "peru", 173 },
	{ "pf", 174 },
	{ "pg", 175 },
	{ "ph", 176 },
	{ "philippines", 176 },
	{ "phl", 176 },
	{ "pilipinas", 176 },
	{ "pitcairn", 180 },
	{ "pitcairn islands", 180 },
	{ "pk", 177 },
	{ "pl", 178 },
	{ "plurinational state of bolivia", 28 },
	{ "plw", 184 },
	{ "pm", 179 },
	{ "pn", 180 },
	{ "png", 175 },
	{ "pol", 178 },
	{ "poland", 178 },
	{ "polska", 178 },
	{ "portugal", 183 },
	{ "pr", 181 },
	{ "pr china", 47 },
	{ "prc", 47 },
	{ "pri", 181 },
	{ "prk", 120 },
	{ "prt", 183 },
	{ "pry", 185 },
	{ "ps", 182 },
	{ "pse", 182 },
	{ "pt", 183 },
	{ "puerto rico", 181 },
	{ "pw", 184 },
	{ "py", 185 },
	{ "pyf", 174 },
	{ "qa", 186 },
	{ "qat", 186 },
	{ "qatar", 186 },
	{ "qazaqstan", 124 },
	{ "re", 187 },
	{ "reino unido", 76 },
	{ "republic of congo", 41 },
	{ "republic of india", 104 },
	{ "republic of ireland", 101 },
	{ "republic of korea", 121 },
	{ "republic of moldova", 138 },
	{ "republic of north macedonia", 143 },
	{ "republic of the congo", 41 },
	{ "republic of yemen", 244 },
	{ "republique francaise", 74 },
	{ "reu", 187 },
	{ "reunion", 187 },
	{ "ro", 188 },
	{ "romania", 188 },
	{ "rou", 188 },
	{ "royaume uni", 76 },
	{ "rs", 189 },
	{ "ru", 190 },
	{ "rus", 190 },
	{ "russia", 190 },
	{ "russian federation", 190 },
	{ "rw", 191 },
	{ "rwa", 191 },
	{ "rwanda", 191 },
	{ "sa", 192 },
	{ "saint barthelemy", 25 },
	{ "saint barths", 25 },
	{ "saint barts", 25 },
	{ "saint christopher and nevis", 119 },
	{ "saint helena", 198 },
	{ "saint helena ascension and tristan da cunha", 198 },
	{ "saint kitts", 119 },
	{ "saint kitts and nevis", 119 },
	{ "saint kitts nevis", 119 },
	{ "saint lucia", 127 },
	{ "saint martin", 140 },
	{ "saint martin french part", 140 },
	{ "saint pierre and miquelon", 179 },
	{ "saint vincent", 236 },
	{ "saint vincent and the grenadines", 236 },
	{ "saint vincent grenadines", 236 },
	{ "samoa", 243 },
	{ "san marino", 203 },
	{ "sao tome", 208 },
	{ "sao tome and principe", 208 },
	{ "sau", 192 },
	{ "saudi arabia", 192 },
	{ "sb", 193 },
	{ "sc", 194 },
	{ "schweiz", 42 },
	{ "scotland", 76 },
	{ "sd", 195 },
	{ "sdn", 195 },
	{ "se", 196 },
	{ "sen", 204 },
	{ "senegal", 204 },
	{ "serbia", 189 },
	{ "seychelles", 194 },
	{ "sg", 197 },
	{ "sgp", 197 },
	{ "sgs", 89 },
	{ "sh", 198 },
	{ "shn", 198 },
	{ "si", 199 },
	{ "sierra leone", 202 },
	{ "singapore", 197 },
	{ "sint maarten", 210 },
	{ "sint maarten dutch part", 210 },
	{ "sj", 200 },
	{ "sjm", 200 },
	{ "sk", 201 },
	{ "sl", 202 },
	{ "slb", 193 },
	{ "sle", 202 },
	{ "slovak republic", 201 },
	{ "slovakia", 201 },
	{ "slovenia", 199 },
	{ "slv", 209 },
	{ "sm", 203 },
	{ "smr", 203 },
	{ "sn", 204 },
	{ "so", 205 },
	{ "solomon islands", 193 },
	{ "som", 205 },
	{ "somalia", 205 },
	{ "south africa", 246 },
	{ "south georgia", 89 },
	{ "south georgia and the south sandwich islands", 89 },
	{ "south korea", 121 },
	{ "south sudan", 207 },
	{ "spain", 67 },
	{ "spm", 179 },
	{ "sr", 206 },
	{ "srb", 189 },
	{ "sri lanka", 129 },
	{ "ss", 207 },
	{ "ssd", 207 },
	{ "st", 208 },
	{ "state of palestine", 182 },
	{ "stp", 208 },
	{ "sudan", 195 },
	{ "suisse", 42 },
	{ "suomi", 69 },
	{ "sur", 206 },
	{ "suriname", 206 },
	{ "sv", 209 },
	{ "svalbard", 200 },
	{ "svalbard and jan mayen", 200 },
	{ "sverige", 196 },
	{ "svizzera", 42 },
	{ "svk", 201 },
	{ "svn", 199 },
	{ "swaziland", 212 },
	{ "swe", 196 },
	{ "sweden", 196 },
	{ "swiss confederation", 42 },
	{ "switzerland", 42 },
	{ "swz", 212 },
	{ "sx", 210 },
	{ "sxm", 210 },
	{ "sy", 211 },
	{ "syc", 194 },
	{ "syr", 211 },
	{ "syria", 211 },
	{ "syrian arab republic", 211 },
	{ "sz", 212 },
	{ "taiwan", 227 },
	{ "taiwan province of china", 227 },
	{ "taiwan roc", 227 },
	{ "tajikistan", 218 },
	{ "tanzania", 228 },
	{ "tanzania united republic of", 228 },
	{ "tc", 213 },
	{ "tca", 213 },
	{ "tcd", 214 },
	{ "td", 214 },
	{ "tf", 215 },
	{ "tg", 216 },
	{ "tgo", 216 },
	{ "th", 217 },
	{ "tha", 217 },
	{ "thailand", 217 },
	{ "timor leste", 220 },
	{ "tj", 218 },
	{ "tjk", 218 },
	{ "tk", 219 },
	{ "tkl", 219 },
	{ "tkm", 221 },
	{ "tl", 220 },
	{ "tls", 220 },
	{ "tm", 221 },
	{ "tn", 222 },
	{ "to", 223 },
	{ "togo", 216 },
	{ "tokelau", 219 },
	{ "ton", 223 },
	{ "tonga", 223 },
	{ "tr", 224 },
	{ "trinidad", 225 },
	{ "trinidad and tobago", 225 },
	{ "tt", 225 },
	{ "tto", 225 },
	{ "tun", 222 },
	{ "tunisia", 222 },
	{ "tur", 224 },
	{ "turkey", 224 },
	{ "turkiye", 224 },
	{ "turkiye cumhuriyeti", 224 },
	{ "turkmenistan", 221 },
	{ "turks and caicos", 213 },
	{ "turks and caicos islands", 213 },
	{ "tuv", 226 },
	{ "tuvalu", 226 },
	{ "tv", 226 },
	{ "tw", 227 },
	{ "twn", 227 },
	{ "tz", 228 },
	{ "tza", 228 },
	{ "ua", 229 },
	{ "uae", 1 },
	{ "ug", 230 },
	{ "uga", 230 },
	{ "uganda", 230 },
	{ "uk", 76 },
	{ "ukr", 229 },
	{ "ukraine", 229 },
	{ "um", 231 },
	{ "umi", 231 },
	{ "united arab emirates", 1 },
	{ "united kingdom", 76 },
	{ "united kingdom of great britain", 76 },
	{ "united kingdom of great britain and northern ireland", 76 },
	{ "united republic of tanzania", 228 },
	{ "united states", 232 },
	{ "united states america", 232 },
	{ "united states minor outlying islands", 231 },
	{ "united states of america", 232 },
	{ "united states virgin islands", 239 },
	{ "uruguay", 233 },
	{ "ury", 233 },
	{ "us", 232 },
	{ "us of a", 232 },
	{ "us virgin islands", 239 },
	{ "usa", 232 },
	{ "uy", 233 },
	{ "uz", 234 },
	{ "uzb", 234 },
	{ "uzbekistan", 234 },
	{ "va", 235 },
	{ "vanuatu", 241 },
	{ "vat", 235 },
	{ "vatican", 235 },
	{ "vatican city", 235 },
	{ "vatican city state", 235 },
	{ "vc", 236 },
	{ "vct", 236 },
	{ "ve", 237 },
	{ "ven", 237 },
	{ "venezuela", 237 },
	{ "venezuela bolivarian republic of", 237 },
	{ "venezuela rb", 237 },
	{ "vereinigtes konigreich", 76 },
	{ "vg", 238 },
	{ "vgb", 238 },
	{ "vi", 239 },
	{ "viet nam", 240 },
	{ "vietnam", 240 },
	{ "vir", 239 },
	{ "virgin islands british", 238 },
	{ "virgin islands us", 239 },
	{ "vn", 240 },
	{ "vnm", 240 },
	{ "vu", 241 },
	{ "vut", 241 },
	{ "wales", 76 },
	{ "wallis", 242 },
	{ "wallis and futuna", 242 },
	{ "west bank and gaza", 182 },
	{ "western sahara", 65 },
	{ "wf", 242 },
	{ "wlf", 242 },
	{ "ws", 243 },
	{ "wsm", 243 },
	{ "ye", 244 },
	{ "yem", 244 },
	{ "yemen", 244 },
	{ "yemen rep", 244 },
	{ "yt", 245 },
	{ "za", 246 },
	{ "zaf", 246 },
	{ "zaire", 39 },
	{ "zambia", 247 },
	{ "zimbabwe", 248 },
	{ "zm", 247 },
	{ "zmb", 247 },
	{ "zw", 248 },
	{ "zwe", 248 },
};

static const unsigned short calling_codes[] = {
	1, 7, 20, 27, 30, 31, 32, 33, 34, 36, 39, 40,
	41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54,
	55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81,
	82, 84, 86, 90, 91, 92, 93, 94, 95, 98, 211, 212,
	213, 216, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228,
	229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240,
	241, 242, 243, 244, 245, 246, 248, 249, 250, 251, 252, 253,
	254, 255, 256, 257, 258, 260, 261, 262, 263, 264, 265, 266,
	267, 268, 269, 290, 291, 297, 298, 299, 350, 351, 352, 353,
	354, 355, 356, 357, 358, 359, 370, 371, 372, 373, 374, 375,
	376, 377, 378, 379, 380, 381, 382, 383, 385, 386, 387, 389,
	420, 421, 423, 500, 501, 502, 503, 504, 505, 506, 507, 508,
	509, 590, 591, 592, 593, 594, 595, 596, 597, 598, 599, 670,
	672, 673, 674, 675, 676, 677, 678, 679, 680, 681, 682, 683,
	685, 686, 687, 688, 689, 690, 691, 692, 800, 808, 850, 852,
	853, 855, 856, 870, 878, 880, 881, 882, 883, 886, 888, 960,
	961, 962, 963, 964, 965, 966, 967, 968, 970, 971, 972, 973,
	974, 975, 976, 977, 979, 992, 993, 994, 995, 996, 998,
};

#define NCOUNTRIES (sizeof countries / sizeof countries[0])
#define NKEYS (sizeof country_keys / sizeof country_keys[0])
#define NCODES (sizeof calling_codes / sizeof calling_codes[0])

/* ---- small byte helpers (ASCII only, locale-independent) ---- */

static inline int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline int is_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static inline unsigned char to_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

static inline unsigned char to_upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? (unsigned char)(c & ~0x20) : c;
}

/*
 * Width of the white space at s[i] (space, tab, CR, LF, VT, FF, or the
 * UTF-8 no-break space C2 A0), or 0 when s[i] is not white space.
 */
static inline size_t space_at(const unsigned char *s, size_t i, size_t len)
{
	unsigned char c = s[i];

	if (c == ' ' || (c >= '\t' && c <= '\r'))
		return 1;
	if (c == 0xC2 && i + 1 < len && s[i + 1] == 0xA0)
		return 2;
	return 0;
}

/* Narrow [*b, *e) to exclude leading and trailing white space. */
static void trim(const unsigned char *s, size_t *b, size_t *e)
{
	size_t w;

	/* Most values start and end with a printable ASCII byte: done. */
	if (*b < *e && s[*b] > ' ' && s[*b] < 0x80 && s[*e - 1] > ' ' && s[*e - 1] < 0x80)
		return;

	while (*b < *e && (w = space_at(s, *b, *e)) != 0)
		*b += w;
	while (*e > *b) {
		unsigned char c = s[*e - 1];

		if (c == ' ' || (c >= '\t' && c <= '\r'))
			(*e)--;
		else if (c == 0xA0 && *e - *b >= 2 && s[*e - 2] == 0xC2)
			*e -= 2;
		else
			break;
	}
}

/* Case-insensitive: does s[0..n) start with the lower-case ASCII `w`? */
static int has_prefix(const unsigned char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; w[i]; i++)
		if (i >= n || to_lower(s[i]) != (unsigned char)w[i])
			return 0;
	return 1;
}

void lk_norm_space(const char *s, size_t len, lk_buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t b = 0, e = len, i, w, run;
	int pending = 0;

	trim(u, &b, &e);
	if (lk_buf_grow(out, e - b) < 0)
		return;
	/* Most values have only single spaces between words: one copy. */
	{
		static const unsigned char other_space[256] = {
			['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [0xC2] = 1,
		};
		unsigned bad = 0, prev = 0;
		for (i = b; i < e; i++) {
			unsigned sp = u[i] == ' ';
			bad |= other_space[u[i]] | (sp & prev);
			prev = sp;
		}
		if (!bad) {
			memcpy(out->data + out->len, u + b, e - b);
			out->len += e - b;
			out->data[out->len] = '\0';
			return;
		}
	}
	/* Copy runs of non-space bytes whole; a space run becomes one ' '. */
	for (i = b; i < e;) {
		if ((w = space_at(u, i, e)) != 0) {
			pending = 1;
			i += w;
			continue;
		}
		if (pending) {
			out->data[out->len++] = ' ';
			pending = 0;
		}
		for (run = i + 1; run < e && !space_at(u, run, e); run++)
			;
		memcpy(out->data + out->len, u + i, run - i);
		out->len += run - i;
		i = run;
	}
	out->data[out->len] = '\0';
}

/* ---- email ---- */

/* Characters allowed in an unquoted local part (RFC 5322 atext and '.'). */
static int local_char(unsigned char c)
{
	static const unsigned char punct[128] = {
		['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1,
		['*'] = 1, ['+'] = 1, ['/'] = 1, ['='] = 1, ['?'] = 1, ['^'] = 1,
		['_'] = 1, ['`'] = 1, ['{'] = 1, ['|'] = 1, ['}'] = 1, ['~'] = 1,
		['.'] = 1, ['-'] = 1,
	};

	return is_alpha(c) || is_digit(c) || (c < 128 && punct[c]);
}

int lk_email_valid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	const unsigned char *at, *d, *lab;
	size_t nl, nd, i, lablen, dots = 0;
	int ascii_tld = 1, tld_letters = 1;

	if (len < 6 || len > 254)	/* a@b.cd is the shortest */
		return 0;
	at = memchr(u, '@', len);
	if (!at)
		return 0;
	nl = (size_t)(at - u);
	d = at + 1;
	nd = len - nl - 1;
	if (nl == 0 || nl > 64 || nd < 4 || nd > 253 || memchr(d, '@', nd))
		return 0;
	if (u[0] == '.' || u[nl - 1] == '.')
		return 0;
	for (i = 0; i < nl; i++) {
		if (!local_char(u[i]))
			return 0;
		if (u[i] == '.' && u[i + 1] == '.')
			return 0;
	}
	/* Domain: dot-separated labels of letters, digits and inner hyphens;
	 * bytes >= 0x80 are taken as an internationalised name, as-is. */
	lab = d;
	for (i = 0; i <= nd; i++) {
		unsigned char c = i < nd ? d[i] : '.';

		if (c == '.') {
			lablen = (size_t)(d + i - lab);
			if (lablen == 0 || lablen > 63)
				return 0;
			if (lab[0] == '-' || lab[lablen - 1] == '-')
				return 0;
			if (i < nd) {
				dots++;
				lab = d + i + 1;
				ascii_tld = tld_letters = 1;
			}
			continue;
		}
		if (c >= 0x80)
			ascii_tld = 0;
		else if (!is_alpha(c)) {
			if (!is_digit(c) && c != '-')
				return 0;
			tld_letters = 0;
		}
	}
	if (dots == 0)
		return 0;
	/* The last label: two or more letters, a punycode name, or IDN. */
	lablen = (size_t)(d + nd - lab);
	if (!ascii_tld)
		return 1;
	if (tld_letters)
		return lablen >= 2;
	return lablen > 4 && has_prefix(lab, lablen, "xn--");
}

static int email_sep(const unsigned char *s, size_t i, size_t len)
{
	unsigned char c = s[i];

	return c == ';' || c == ',' || space_at(s, i, len);
}

/*
 * Clean one candidate token into `k` (lower case): strip "mailto:",
 * surrounding quotes and brackets, and trailing dots.  Returns its
 * length, or 0 when it holds no '@' or is too long to be an address.
 */
static size_t email_clean(const unsigned char *t, size_t n, char *k, size_t cap)
{
	size_t b = 0, e = n, i;
	int changed = 1, mailto = 0;

	if (!memchr(t, '@', n))
		return 0;
	while (changed && b < e) {
		changed = 0;
		trim(t, &b, &e);
		if (b < e && t[b] && strchr("<([{\"'", t[b])) {
			b++;
			changed = 1;
		}
		if (b < e && t[e - 1] && strchr(">)]}\"'.:;,", t[e - 1])) {
			e--;
			changed = 1;
		}
		if (has_prefix(t + b, e - b, "mailto:")) {
			b += 7;
			changed = mailto = 1;
		}
	}
	if (mailto) {	/* mailto:a@b.com?subject=... */
		const unsigned char *q = memchr(t + b, '?', e - b);

		if (q)
			e = (size_t)(q - t);
		while (e > b && t[e - 1] == '.')
			e--;
	}
	if (e - b >= cap || e == b)
		return 0;
	for (i = b; i < e; i++)
		k[i - b] = (char)to_lower(t[i]);
	k[e - b] = '\0';
	return e - b;
}

/* Is k one of the ';'-separated entries of b->data[from..len)? */
static int list_has(const lk_buf *b, size_t from, const char *k, size_t n)
{
	size_t i = from, j;

	while (i < b->len) {
		for (j = i; j < b->len && b->data[j] != ';'; j++)
			;
		if (j - i == n && memcmp(b->data + i, k, n) == 0)
			return 1;
		i = j + 1;
	}
	return 0;
}

int lk_norm_email(const char *s, size_t len, lk_buf *email, lk_buf *alt)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = email->len, altstart = alt ? alt->len : 0;
	size_t i = 0, tb, te, n;
	int found = 0;
	char k[256];

	while (i < len) {
		while (i < len && email_sep(u, i, len))
			i += u[i] == 0xC2 ? 2 : 1;
		if (i >= len)
			break;
		/* A token is a "quoted string", an <angle group>, or a bare
		 * word; quotes keep display names like "Doe, Jane" whole. */
		if (u[i] == '"' || u[i] == '<') {
			const unsigned char *q = memchr(u + i + 1, u[i] == '"' ? '"' : '>', len - i - 1);

			tb = i + 1;
			te = q ? (size_t)(q - u) : len;
			i = q ? te + 1 : len;
		} else {
			tb = i;
			while (i < len && !email_sep(u, i, len) && u[i] != '<' && u[i] != '"')
				i++;
			te = i;
		}
		n = email_clean(u + tb, te - tb, k, sizeof k);
		if (n == 0 || !lk_email_valid(k, n))
			continue;
		if (!found) {
			if (lk_buf_add(email, k, n) < 0)
				return 0;
			found = 1;
		} else if (alt && !(n == email->len - start &&
				     memcmp(email->data + start, k, n) == 0) &&
			   !list_has(alt, altstart, k, n)) {
			if (alt->len > altstart)
				lk_buf_addc(alt, ';');
			lk_buf_add(alt, k, n);
		}
	}
	if (!found)
		lk_norm_space(s, len, email);
	return found;
}

/* ---- countries ---- */

#define KEY_MAX 96

/* Folding of U+00C0..U+00FF (UTF-8 C3 80..C3 BF) to ASCII; " " is a
 * separator (multiplication and division signs). */
static const char *const latin1_fold[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "y",
};

/*
 * Build the lookup key of a country string: ASCII lower case, accents
 * folded, dots and apostrophes dropped ("U.S.A." = "usa", "Cote d'Ivoire"
 * = "cote divoire"), "&" read as "and", any other punctuation a space,
 * spaces collapsed, a leading or trailing "the" dropped, and a leading
 * "st" read as "saint".  Returns the key length, 0 if empty or too long.
 */
static size_t country_key(const unsigned char *s, size_t len, char *k)
{
	size_t n = 0, i = 0, w;
	int space = 0;

	while (i < len) {
		unsigned char c = s[i];
		const char *rep;
		char one[2] = { 0, 0 };

		if (c < 0x80) {
			i++;
			if (is_alpha(c) || is_digit(c)) {
				one[0] = (char)to_lower(c);
				rep = one;
			} else if (c == '.' || c == '\'' || c == '`') {
				continue;
			} else if (c == '&') {
				rep = " and ";
			} else {
				rep = " ";
			}
		} else if ((w = space_at(s, i, len)) != 0) {
			i += w;
			rep = " ";
		} else if (c == 0xC3 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] < 0xC0) {
			rep = latin1_fold[s[i + 1] - 0x80];
			i += 2;
		} else if (c == 0xE2 && i + 2 < len && s[i + 1] == 0x80) {
			/* U+2018/2019 quotes vanish; dashes and spaces separate. */
			unsigned char d = s[i + 2];

			i += 3;
			if (d == 0x98 || d == 0x99)
				continue;
			rep = " ";
		} else {
			one[0] = (char)c;
			rep = one;
			i++;
		}
		for (; *rep; rep++) {
			if (*rep == ' ') {
				space = n > 0;
				continue;
			}
			if (n + 2 >= KEY_MAX)
				return 0;
			if (space) {
				k[n++] = ' ';
				space = 0;
			}
			k[n++] = *rep;
		}
	}
	k[n] = '\0';
	if (n > 4 && memcmp(k, "the ", 4) == 0) {
		memmove(k, k + 4, n - 3);
		n -= 4;
	}
	if (n > 4 && memcmp(k + n - 4, " the", 4) == 0)
		k[n -= 4] = '\0';
	if (n > 3 && memcmp(k, "st ", 3) == 0) {
		if (n + 3 >= KEY_MAX)
			return 0;
		memmove(k + 6, k + 3, n - 2);
		memcpy(k, "saint ", 6);
		n += 3;
	}
	return n;
}

static const struct lk_country *country_by_key(const char *k)
{
	size_t lo = 0, hi = NKEYS;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(k, country_keys[mid].key);

		if (c == 0)
			return &countries[country_keys[mid].idx];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Exact alpha-2 lookup (either case), by bisection of countries[]. */
static const struct lk_country *country_by_a2(const char *a2)
{
	size_t lo = 0, hi = NCOUNTRIES;
	char k[2];

	if (!a2 || !a2[0] || !a2[1] || a2[2])
		return NULL;
	k[0] = (char)to_upper((unsigned char)a2[0]);
	k[1] = (char)to_upper((unsigned char)a2[1]);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(k, countries[mid].a2, 2);

		if (c == 0)
			return &countries[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *lk_country_code(const char *s, size_t len)
{
	const struct lk_country *c;
	char k[KEY_MAX];

	if (!s || len == 0 || len > 4 * KEY_MAX)
		return NULL;
	if (country_key((const unsigned char *)s, len, k) == 0)
		return NULL;
	c = country_by_key(k);
	return c ? c->a2 : NULL;
}

const char *lk_country_calling_code(const char *alpha2)
{
	const struct lk_country *c = country_by_a2(alpha2);

	return c ? c->cc : NULL;
}

const char *lk_country_alpha3(const char *alpha2)
{
	const struct lk_country *c = country_by_a2(alpha2);

	return c ? c->a3 : NULL;
}

const char *lk_country_name(const char *alpha2)
{
	const struct lk_country *c = country_by_a2(alpha2);

	return c ? c->name : NULL;
}

int lk_norm_check_tables(void)
{
	size_t i;
	char k[KEY_MAX];

	for (i = 1; i < NCOUNTRIES; i++)
		if (memcmp(countries[i - 1].a2, countries[i].a2, 2) >= 0)
			return -1;
	for (i = 0; i < NKEYS; i++) {
		const char *key = country_keys[i].key;

		if (i > 0 && strcmp(country_keys[i - 1].key, key) >= 0)
			return -1;
		if (country_keys[i].idx >= NCOUNTRIES)
			return -1;
		/* Every key must be its own normal form, or it is unreachable. */
		if (country_key((const unsigned char *)key, strlen(key), k) == 0 ||
		    strcmp(k, key) != 0)
			return -1;
	}
	for (i = 1; i < NCODES; i++)
		if (calling_codes[i - 1] >= calling_codes[i])
			return -1;
	return 0;
}

/* ---- phone ---- */

/* Is the decimal s[0..n) an assigned E.164 country calling code? */
static int calling_code_known(const char *s, size_t n)
{
	unsigned v = 0;
	size_t i, lo = 0, hi = NCODES;

	for (i = 0; i < n; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	if (s[0] == '0')
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (calling_codes[mid] == v)
			return 1;
		if (calling_codes[mid] > v)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/*
 * Does this country's national significant number never begin with 0,
 * so that a leading 0 is the trunk prefix?  Italy, San Marino and the
 * Vatican keep the 0 of fixed lines in E.164 (+39 06 ...), and Cote
 * d'Ivoire, Congo and Gabon now number from 0 too.
 */
static int strips_trunk_zero(const char *cc, size_t n)
{
	static const char *const keep[] = { "39", "378", "379", "225", "242", "241" };
	size_t i;

	for (i = 0; i < sizeof keep / sizeof keep[0]; i++)
		if (strlen(keep[i]) == n && memcmp(keep[i], cc, n) == 0)
			return 0;
	return 1;
}

/*
 * Does u[0..n) (after the number) read as an extension: "x12",
 * "ext. 12", "extension 12", "#12", ";ext=12" or a ",12" dial pause?
 * Extensions are short; seven or more digits are a second number.
 */
static int phone_extension(const unsigned char *u, size_t n)
{
	size_t i = 0, digits = 0;

	if (has_prefix(u, n, ";ext="))
		i = 5;
	else if (has_prefix(u, n, "extension"))
		i = 9;
	else if (has_prefix(u, n, "extn"))
		i = 4;
	else if (has_prefix(u, n, "ext"))
		i = 3;
	else if (u[0] == 'x' || u[0] == 'X' || u[0] == '#' || u[0] == ',')
		i = 1;
	else
		return 0;
	for (; i < n; i++) {
		if (is_digit(u[i]))
			digits++;
		else if (!u[i] || !strchr(" \t.:=#-,", u[i]))
			return 0;
	}
	return digits <= 6;
}

int lk_norm_phone(const char *s, size_t len, const char *default_country, lk_buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	char d[24];
	const char *p, *cc = NULL, *a2;
	size_t nd = 0, n, cclen = 0, i = 0, e = len;
	int plus = 0, nanp = 0;

	trim(u, &i, &e);
	if (has_prefix(u + i, e - i, "tel:"))
		i += 4;
	for (; i < e; i++) {
		unsigned char c = u[i];

		if (is_digit(c)) {
			if (nd == sizeof d)
				goto fail;
			d[nd++] = (char)c;
		} else if (c == '+') {
			if (plus || nd)
				goto fail;
			plus = 1;
		} else if (c == '(' && i + 2 < e && u[i + 1] == '0' && u[i + 2] == ')') {
			i += 2;		/* "+44 (0)20 ...": the optional trunk 0 */
		} else if (c && strchr(" \t\r\n-.()/[]", c)) {
			;
		} else if (c == 0xC2 && i + 1 < e && u[i + 1] == 0xA0) {
			i++;
		} else if (c == 0xE2 && i + 2 < e && u[i + 1] == 0x80 &&
			   u[i + 2] >= 0x90 && u[i + 2] <= 0x94) {
			i += 2;		/* Unicode hyphens and dashes */
		} else if (nd > 0 && phone_extension(u + i, e - i)) {
			break;
		} else {
			goto fail;
		}
	}
	if (nd == 0)
		goto fail;
	if (default_country) {
		/* The usual default is an alpha-2 code: look it up directly. */
		const struct lk_country *dc = country_by_a2(default_country);

		if (dc)
			cc = dc->cc;
		else if ((a2 = lk_country_code(default_country, strlen(default_country))))
			cc = lk_country_calling_code(a2);
	}
	nanp = cc && strcmp(cc, "1") == 0;
	p = d;
	n = nd;
	if (!plus && n > 2 && p[0] == '0' && p[1] == '0') {
		plus = 1;
		p += 2;
		n -= 2;
	} else if (!plus && nanp && n > 3 && memcmp(p, "011", 3) == 0) {
		plus = 1;
		p += 3;
		n -= 3;
	}
	if (plus) {
		/* Calling codes are a prefix code: the first match is it. */
		for (cclen = 1; cclen <= 3 && cclen < n; cclen++)
			if (calling_code_known(p, cclen))
				break;
		if (cclen > 3 || cclen >= n)
			goto fail;
		cc = p;
		p += cclen;
		n -= cclen;
		if (p[0] == '0' && n > 1 && strips_trunk_zero(cc, cclen)) {
			p++;	/* "+44 020 ...", written with the trunk 0 */
			n--;
		}
	} else {
		if (!cc)
			goto fail;
		cclen = strlen(cc);
		if (nanp) {
			if (n == 11 && p[0] == '1') {
				p++;
				n--;
			}
		} else if (strcmp(cc, "7") == 0 && n == 11 && p[0] == '8') {
			p++;	/* Russia and Kazakhstan dial 8 as the trunk */
			n--;
		} else if (strcmp(cc, "36") == 0 && n > 2 && p[0] == '0' && p[1] == '6') {
			p += 2;	/* Hungary's trunk prefix is 06 */
			n -= 2;
		} else if (p[0] == '0' && n > 1 && strips_trunk_zero(cc, cclen)) {
			p++;
			n--;
		}
	}
	if (cclen == 1 && cc[0] == '1' && (n != 10 || p[0] < '2'))
		goto fail;	/* NANP: NPA-NXX-XXXX, area code 2-9 */
	if (cclen + n < 8 || cclen + n > 15)
		goto fail;
	if (lk_buf_grow(out, 1 + cclen + n) < 0)
		return 0;
	lk_buf_addc(out, '+');
	lk_buf_add(out, cc, cclen);
	lk_buf_add(out, p, n);
	return 1;
fail:
	lk_norm_space(s, len, out);
	return 0;
}

/* ---- employees ---- */

struct cur {
	const unsigned char *s;
	size_t i, n;
};

static void cur_space(struct cur *c)
{
	size_t w;

	while (c->i < c->n && (w = space_at(c->s, c->i, c->n)) != 0)
		c->i += w;
}

/* Consume the word `w` (lower case) if it comes next as a whole word,
 * with an optional trailing '.', and the space after it. */
static int cur_word(struct cur *c, const char *w)
{
	size_t l = strlen(w);

	if (!has_prefix(c->s + c->i, c->n - c->i, w))
		return 0;
	if (c->i + l < c->n && is_alpha(c->s[c->i + l]))
		return 0;
	c->i += l;
	if (c->i < c->n && c->s[c->i] == '.')
		c->i++;
	cur_space(c);
	return 1;
}

static int cur_words(struct cur *c, const char *const *ws)
{
	for (; *ws; ws++)
		if (cur_word(c, *ws))
			return 1;
	return 0;
}

/* Count of digits at c->i. */
static size_t digit_run(const struct cur *c, size_t at)
{
	size_t i = at;

	while (i < c->n && is_digit(c->s[i]))
		i++;
	return i - at;
}

#define EMP_MAX 10000000L	/* more than any employer; beyond is not a count */

/*
 * One number: digits with optional group separators (',' '.' '\'' or a
 * space before exactly three digits), an optional decimal part, and an
 * optional k (thousand) or m (million) suffix.  A lone '.' or ',' before
 * exactly three digits is a thousands separator ("1.000", "1,000") unless
 * a suffix follows ("1.500k"); before other digit counts it is a decimal
 * point ("250.0", "1.5k").  Fractions are truncated.
 */
static int parse_count(struct cur *c, long *val, long *mult)
{
	size_t start = c->i, i, r, seps = 0, last = 0;
	unsigned char sepc[8], first = 0;
	size_t sepat[8];
	int mixed = 0, dec = 0;
	long long ip = 0, fp = 0, fdiv = 1, v;

	r = digit_run(c, c->i);
	if (r == 0)
		return 0;
	i = c->i + r;
	for (;;) {
		size_t w = 1;
		unsigned char s;

		if (i >= c->n)
			break;
		s = c->s[i];
		if (s == 0xC2 && i + 1 < c->n && c->s[i + 1] == 0xA0) {
			s = ' ';
			w = 2;
		}
		if (!(s == ',' || s == '.' || s == '\'' || s == ' '))
			break;
		r = digit_run(c, i + w);
		if (r == 0 || (s == ' ' && r != 3) || seps == 8)
			break;
		if (s == ' ' && i + w + r < c->n && is_digit(c->s[i + w + r]))
			break;
		if (seps == 0)
			first = s;
		else if (s != first)
			mixed = 1;
		sepc[seps] = s;
		sepat[seps++] = i;
		last = i + w;
		i += w + r;
	}
	c->i = i;
	*mult = 1;
	if (i < c->n && (c->s[i] == 'k' || c->s[i] == 'K') &&
	    (i + 1 >= c->n || !is_alpha(c->s[i + 1]))) {
		*mult = 1000;
		c->i++;
	} else if (i < c->n && (c->s[i] == 'm' || c->s[i] == 'M') &&
		   (i + 1 >= c->n || !is_alpha(c->s[i + 1]))) {
		*mult = 1000000;
		c->i++;
	}
	/* Which separator, if any, is the decimal point? */
	if (seps > 0 && (sepc[seps - 1] == '.' || sepc[seps - 1] == ',')) {
		if (mixed)
			dec = 1;
		else if (seps == 1)
			dec = *mult > 1 || digit_run(c, last) != 3;
	}
	/* Integer part: every group after the first holds three digits. */
	for (i = start; i < (dec ? sepat[seps - 1] : c->i); i++) {
		if (!is_digit(c->s[i]))
			continue;
		if (ip > EMP_MAX)
			return 0;
		ip = ip * 10 + (c->s[i] - '0');
	}
	for (r = 0; r + dec < seps; r++) {
		size_t g = digit_run(c, sepat[r] + (c->s[sepat[r]] == 0xC2 ? 2 : 1));

		/* Indian grouping puts two digits between commas before
		 * the last three: 1,00,000 is a lakh. */
		if (g != 3 && !(g == 2 && sepc[r] == ',' && !mixed && !dec &&
				r + 1 < seps))
			return 0;
	}
	if (dec)
		for (i = last; i < c->n && is_digit(c->s[i]) && fdiv < 1000000; i++) {
			fp = fp * 10 + (c->s[i] - '0');
			fdiv *= 10;
		}
	if (ip > EMP_MAX)
		return 0;
	v = ip * *mult + fp * *mult / fdiv;
	if (v > EMP_MAX)
		return 0;
	*val = (long)v;
	return 1;
}

int lk_norm_employees(const char *s, size_t len, long *out)
{
	static const char *const gt[] = { "over", "more than", "greater than", "above", NULL };
	static const char *const ge[] = { "at least", "min", "minimum", NULL };
	static const char *const lt[] = { "less than", "fewer than", "under", "below", NULL };
	static const char *const le[] = { "up to", "upto", "max", "maximum", NULL };
	static const char *const approx[] = { "about", "approximately", "approx", "around",
					       "circa", "ca", NULL };
	static const char *const plus[] = { "or more", "and more", "or above", "and above",
					     "and up", "or greater", "plus", NULL };
	static const char *const unit[] = { "employees", "employee", "emps", "emp", "empl",
					     "staff", "people", "persons", "person", "ftes",
					     "fte", "workers", "heads", NULL };
	struct cur c = { (const unsigned char *)s, 0, len };
	enum { EQ, GT, GE, LT, LE } rel = EQ;
	long lo, hi, m1, m2;

	*out = 0;
	trim(c.s, &c.i, &c.n);
	if (c.i == c.n)
		return 0;
	if (is_digit(c.s[c.i])) {
		;	/* the usual case: no qualifier */
	} else if (has_prefix(c.s + c.i, c.n - c.i, ">=") ||
		   has_prefix(c.s + c.i, c.n - c.i, "\xe2\x89\xa5")) {	/* ≥ */
		c.i += c.s[c.i] == '>' ? 2 : 3;
		rel = GE;
	} else if (has_prefix(c.s + c.i, c.n - c.i, "<=") ||
		   has_prefix(c.s + c.i, c.n - c.i, "\xe2\x89\xa4")) {	/* ≤ */
		c.i += c.s[c.i] == '<' ? 2 : 3;
		rel = LE;
	} else if (c.s[c.i] == '>') {
		c.i++;
		rel = GT;
	} else if (c.s[c.i] == '<') {
		c.i++;
		rel = LT;
	} else if (c.s[c.i] == '~') {
		c.i++;
	} else if (cur_words(&c, gt)) {
		rel = GT;
	} else if (cur_words(&c, ge)) {
		rel = GE;
	} else if (cur_words(&c, lt)) {
		rel = LT;
	} else if (cur_words(&c, le)) {
		rel = LE;
	} else if (!cur_words(&c, approx)) {
		return 0;
	}
	cur_space(&c);
	if (!parse_count(&c, &lo, &m1))
		return 0;
	cur_space(&c);
	if (c.i == c.n) {
		;	/* the usual case: a bare number */
	} else if (c.s[c.i] == '+') {
		c.i++;
		if (rel == EQ)
			rel = GE;
	} else if (rel == EQ && cur_words(&c, plus)) {
		rel = GE;
	} else if (rel == EQ && (c.s[c.i] == '-' ||
				 has_prefix(c.s + c.i, c.n - c.i, "\xe2\x80\x93") ||
				 has_prefix(c.s + c.i, c.n - c.i, "\xe2\x80\x94") ||
				 has_prefix(c.s + c.i, c.n - c.i, "to"))) {
		/* A range: '-', an en or em dash, or "to". */
		if (c.s[c.i] == '-')
			c.i++;
		else if (c.s[c.i] == 0xE2)
			c.i += 3;
		else if (!cur_word(&c, "to"))
			return 0;
		cur_space(&c);
		if (!parse_count(&c, &hi, &m2))
			return 0;
		/* "1-5k" is 1,000 to 5,000: the suffix covers both ends. */
		if (m1 == 1 && m2 > 1 && lo * m2 <= hi)
			lo *= m2;
		if (lo == 0 && hi > 0)
			lo = 1;	/* the band "0-10" starts at one person */
	}
	cur_space(&c);
	if (c.i < c.n)
		cur_words(&c, unit);
	if (c.i != c.n)
		return 0;
	switch (rel) {
	case GT:
		lo++;
		break;
	case LT:
		/* "<10" is the band 1-9; like a range it gives its lower
		 * bound, 1.  "<1" is no band at all. */
		lo = lo > 1 ? 1 : 0;
		break;
	case LE:
		lo = lo >= 1 ? 1 : 0;	/* "up to 10": 1-10 */
		break;
	default:
		break;
	}
	if (lo <= 0)	/* zero is how CRMs spell "unknown" */
		return 0;
	*out = lo;
	return 1;
}

/* ---- account keys: domains and companies ---- */

/* The domain of an email or a website ("https://www.Acme.com/x" and
 * "jo@Acme.com" are acme.com) into out; 0 when there is none. */
int lk_norm_domain(const char *s, size_t len, lk_buf *out)
{
	const char *at = memchr(s, '@', len), *e;
	size_t i;

	lk_buf_reset(out);
	if (at) {
		len -= (size_t)(at + 1 - s);
		s = at + 1;
	} else {
		const char *sl = NULL;
		for (i = 0; i + 2 < len; i++)
			if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') {
				sl = s + i + 3;
				break;
			}
		if (sl) {
			len -= (size_t)(sl - s);
			s = sl;
		}
	}
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	for (e = s; e < s + len && *e != '/' && *e != ' ' && *e != '\t' && *e != '>' &&
		    *e != ':' && *e != '?'; e++)
		;
	len = (size_t)(e - s);
	while (len && s[len - 1] == '.')
		len--;
	if (!at && len > 4 && (s[0] | 0x20) == 'w' && (s[1] | 0x20) == 'w' &&
	    (s[2] | 0x20) == 'w' && s[3] == '.')
		s += 4, len -= 4;
	for (i = 0; i < len; i++)
		lk_buf_addc(out, s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	lk_buf_str(out);
	return len && memchr(s, '.', len) != NULL;
}

/* A company name for matching: white space cleaned (lk_norm_space),
 * lower case, punctuation dropped, and legal-form words at the end
 * and a leading "the" ("The Acme Co., Ltd.", "ACME Inc" and "Acme" are one
 * company).  0 when empty. */
int lk_norm_company(const char *s, size_t len, lk_buf *out)
{
	static const char *const forms[] = { "inc", "incorporated", "llc", "ltd", "limited",
		"corp", "corporation", "co", "company", "gmbh", "ag", "sa", "sas", "sarl", "bv",
		"nv", "plc", "pty", "oy", "ab", "srl", "spa", "kk", "lp", "llp", "se" };
	lk_buf sp = { 0 };
	size_t i, k, end;
	int more = 1;

	lk_buf_reset(out);
	lk_norm_space(s, len, &sp);
	for (i = 0; i < sp.len; i++) {
		unsigned char c = (unsigned char)sp.data[i];
		if (c >= 'A' && c <= 'Z')
			c += 32;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
			lk_buf_addc(out, c);
		else if (c == '&')
			lk_buf_adds(out, out->len && out->data[out->len - 1] != ' ' ? " and " : "and ");
		else if (c == ' ' || c == ',' || c == '-' || c == '/')
			if (out->len && out->data[out->len - 1] != ' ')
				lk_buf_addc(out, ' ');
	}
	lk_buf_free(&sp);
	while (out->len && out->data[out->len - 1] == ' ')
		out->len--;
	while (more && out->len) {	/* "acme holdings co ltd" keeps "acme holdings" */
		more = 0;
		end = out->len;
		for (k = end; k && out->data[k - 1] != ' '; k--)
			;
		if (!k)
			break;	/* never drop the only word */
		for (i = 0; i < sizeof forms / sizeof forms[0]; i++)
			if (strlen(forms[i]) == end - k && !memcmp(out->data + k, forms[i], end - k)) {
				out->len = k - 1;
				more = 1;
				break;
			}
	}
	if (out->len > 4 && !memcmp(out->data, "the ", 4)) {	/* "The Acme Co." */
		memmove(out->data, out->data + 4, out->len - 4);
		out->len -= 4;
	}
	lk_buf_str(out);
	return out->len > 0;
}

/* ---- placeholders ---- */

struct lk_placeholders {
	char **vals;		/* trimmed, lower-cased copies, owned */
	size_t *lens;
	size_t n, cap;
	uint64_t lenmask;	/* bit L: some value has length L (63: 63 or more) */
	unsigned char first[256];	/* 1 for the first byte of some value, either case */
};

static const char *const builtin_placeholders[] = {
	"select", "unknown", "n/a", "na", "none", "null", "nil", "-", "--", "?",
	"not provided", "not specified", "000000000000000AAA",
};

static uint64_t len_bit(size_t l)
{
	return (uint64_t)1 << (l < 63 ? l : 63);
}

lk_placeholders *lk_placeholders_new(void)
{
	lk_placeholders *p = calloc(1, sizeof *p);
	size_t i;

	if (!p)
		return NULL;
	for (i = 0; i < sizeof builtin_placeholders / sizeof builtin_placeholders[0]; i++)
		if (lk_placeholders_add(p, builtin_placeholders[i]) < 0) {
			lk_placeholders_free(p);
			return NULL;
		}
	return p;
}

int lk_placeholders_add(lk_placeholders *p, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t b = 0, e, i;
	char *v;

	if (!p || !s)
		return -1;
	e = strlen(s);
	trim(u, &b, &e);
	if (b == e || lk_is_placeholder(p, s, strlen(s)))
		return 0;	/* empty is already empty; no duplicates */
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 16;
		char **nv = realloc(p->vals, cap * sizeof *nv);
		size_t *nl;

		if (!nv)
			return -1;
		p->vals = nv;
		nl = realloc(p->lens, cap * sizeof *nl);
		if (!nl)
			return -1;
		p->lens = nl;
		p->cap = cap;
	}
	v = malloc(e - b + 1);
	if (!v)
		return -1;
	for (i = b; i < e; i++)
		v[i - b] = (char)to_lower(u[i]);
	v[e - b] = '\0';
	p->vals[p->n] = v;
	p->lens[p->n++] = e - b;
	p->lenmask |= len_bit(e - b);
	p->first[(unsigned char)v[0]] = 1;
	p->first[to_upper((unsigned char)v[0])] = 1;
	return 0;
}

void lk_placeholders_clear(lk_placeholders *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++)
		free(p->vals[i]);
	p->n = 0;
	p->lenmask = 0;
	memset(p->first, 0, sizeof p->first);
}

int lk_is_placeholder(const lk_placeholders *p, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t b = 0, e = len, l, i, j;

	if (!p || len == 0)
		return 0;
	/* Most values are told apart by their first byte (or, after
	 * trimming, their length) without a comparison. */
	if (u[0] > ' ' && u[0] < 0x80 && !p->first[u[0]])
		return 0;
	trim(u, &b, &e);
	l = e - b;
	if (l == 0 || !(p->lenmask & len_bit(l)) || !p->first[u[b]])
		return 0;
	for (i = 0; i < p->n; i++) {
		const char *v = p->vals[i];

		if (p->lens[i] != l || (unsigned char)v[0] != to_lower(u[b]))
			continue;
		for (j = 1; j < l && (unsigned char)v[j] == to_lower(u[b + j]); j++)
			;
		if (j == l)
			return 1;
	}
	return 0;
}

void lk_placeholders_free(lk_placeholders *p)
{
	if (!p)
		return;
	lk_placeholders_clear(p);
	free(p->vals);
	free(p->lens);
	free(p);
}
