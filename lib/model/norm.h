/*
 * norm.h - normalisers for canonical lead columns.
 *
 * Each normaliser reads `len` bytes at `s` (not necessarily
 * NUL-terminated) and appends its result to an lk_buf the caller owns
 * and resets.  None allocates beyond that buffer, none keeps state
 * between calls except the placeholder set, which the caller owns.
 * They return 1 when they normalised the value, 0 when the value was
 * left as it was (copied through, after whitespace clean-up), so the
 * caller can count what could not be understood.
 *
 * "White space" everywhere here is ASCII space, tab, CR, LF, VT, FF and
 * the UTF-8 no-break space U+00A0.  Case folding is ASCII only; other
 * bytes pass through unchanged.  The functions are reentrant and
 * thread-safe (their tables are static and read-only).
 */
#ifndef LK_NORM_H
#define LK_NORM_H

#include <stddef.h>

#include "core/buf.h"

/* Trim leading/trailing white space and collapse inner runs to one space.
 * (Appends nothing more on ENOMEM.) */
void lk_norm_space(const char *s, size_t len, lk_buf *out);

/*
 * Email: lower-cased, "mailto:" and <angle brackets> and display names
 * removed.  A cell may hold several addresses separated by ; , space or
 * newline: the first valid one goes to `email`, the other valid ones to
 * `alt` joined by ';'.  Returns 1 if a valid address was found, 0
 * otherwise (then `email` gets the cleaned text unchanged in case).
 * Display names may be quoted and hold commas ("Doe, Jane" <j@x.com>);
 * surrounding quotes and brackets and trailing dots are dropped; an
 * address repeated in the cell appears once.  `alt` may be NULL.
 */
int lk_norm_email(const char *s, size_t len, lk_buf *email, lk_buf *alt);

/*
 * 1 if s is one syntactically valid address (local@domain.tld), as is:
 * one '@'; a local part of 1-64 RFC 5322 atext characters and dots, no
 * leading, trailing or double dot; a domain of two or more labels of
 * letters, digits and inner hyphens (1-63 bytes each); a last label of
 * two or more letters or "xn--" punycode.  Labels with bytes >= 0x80
 * (internationalised names) are accepted as-is.  No white space.
 */
int lk_email_valid(const char *s, size_t len);

/*
 * Phone to E.164 ("+14155550123"): keeps a leading + or 00 international
 * prefix, otherwise uses the calling code of `default_country` (ISO
 * alpha-2, e.g. "US"; NULL = no default).  Drops extensions ("x123",
 * "ext. 12") and punctuation.  Returns 0 and copies the cleaned text when
 * the number cannot be made E.164 (too short, too long, no country).
 *
 * Details: default_country may be any spelling lk_country_code knows.
 * "00" always, and "011" for a NANP default, are the international
 * prefix.  A national number loses its trunk prefix: 0 (not for Italy,
 * San Marino, the Vatican, Cote d'Ivoire, Congo and Gabon, whose numbers
 * keep it), 8 for +7, 06 for Hungary, 1 for NANP; "+44 (0)20" and
 * "+44 020" lose the 0 the same way.  Extensions: "x12", "ext. 12",
 * "extension 12", "#12", ";ext=12", ",12".  "tel:" is dropped.  Valid:
 * an assigned calling code, 8-15 digits in all; NANP needs 10 national
 * digits with an area code starting 2-9.  Letters (vanity numbers) and
 * two numbers in one cell fail.  A national number that already starts
 * with the country code but has no + ("44 20 7946 0958") is not
 * recognised as such: write + or 00.
 */
int lk_norm_phone(const char *s, size_t len, const char *default_country, lk_buf *out);

/*
 * Country name, alpha-2, alpha-3 or common variant ("USA", "United
 * States of America", "U.K.", "Deutschland", "Viet Nam") to ISO 3166-1
 * alpha-2 ("US"); case-insensitive.  Returns a static string or NULL.
 * All 249 ISO 3166-1 countries are known.  Matching ignores case, dots,
 * apostrophes, accents (Latin-1 letters), other punctuation, extra
 * spaces and a leading or trailing "the"; "&" is "and" and a leading
 * "St" is "Saint".  Regions ("Asia/Pacific Region", "EMEA", "Europe")
 * and placeholders ("unknown") give NULL.
 */
const char *lk_country_code(const char *s, size_t len);

/* International calling code for an alpha-2 country ("US" -> "1"), or NULL.
 * Here and below, alpha2 may be in either case. */
const char *lk_country_calling_code(const char *alpha2);

/* ISO 3166-1 alpha-3 code ("DE" -> "DEU"), or NULL. */
const char *lk_country_alpha3(const char *alpha2);

/* ISO English short name in UTF-8 ("CI" -> "Côte d'Ivoire"), or NULL. */
const char *lk_country_name(const char *alpha2);

/*
 * 0 when the built-in country and calling-code tables are sorted and
 * every lookup key is in normal form, -1 otherwise.  For the unit tests
 * (a hand edit that breaks the order makes lookups silently miss).
 */
int lk_norm_check_tables(void);

/*
 * Employee counts: "250", "1,000", "501-1000" (lower bound), "5000+",
 * "10k", "1-10 employees".  Sets *out, returns 1, or 0 when not a count.
 *
 * Details: ranges ("501 - 1,000", "501 to 1000", "501–1000") give
 * their lower bound ("0-10" gives 1); "1-5k" is 1000-5000.  "+", "or
 * more", "at least", ">=" give the number itself; "over", "more than",
 * ">" the next one ("over 1000" = 1001).  "<10", "less than 10", "under
 * 10", "up to 10" give 1, the lower bound of the band below.  Group
 * separators: ',' '.' '\'' and a space before three digits ("1.000" =
 * "1 000" = 1000), and Indian grouping ("1,00,000" = 100000); a single
 * '.' or ',' before other digit counts, or before k/m, is a decimal
 * point ("1.5k" = 1500, "250.0" = 250); fractions are truncated.  A
 * trailing "employees", "staff", "people", "FTEs" ... is allowed; "~",
 * "about", "approx." are ignored.  Not a count (returns 0, *out = 0):
 * empty, zero (CRMs' "unknown"), negative, more than 10,000,000, words
 * ("self-employed"), anything left over.
 */
int lk_norm_employees(const char *s, size_t len, long *out);

/*
 * Account keys, for matching a lead to an account (lead-route's method
 * account): unlike the normalisers above, these replace `out` rather
 * than append to it, and they make keys to compare, not values to
 * write.
 *
 * lk_norm_domain: the domain of an email or a website, lower case,
 * without a URL's scheme, path, port or query, a leading "www." (of a
 * website) or trailing dots ("https://www.Acme.com/x" and
 * "jo@Acme.com" are both acme.com).  Returns 1 when the result holds a
 * dot (looks like a domain), else 0.
 */
int lk_norm_domain(const char *s, size_t len, lk_buf *out);

/*
 * lk_norm_company: a company name with white space cleaned
 * (lk_norm_space), ASCII lower case, punctuation dropped ("&" is
 * "and"), legal-form words at the end removed (inc, llc, ltd, gmbh, co,
 * ... as many as there are, never the only word) and a leading "the"
 * dropped: "The Acme Co., Ltd.", "ACME Inc" and "Acme" are one company.
 * Returns 1 when the key is not empty.  The key is out's first out->len
 * bytes: when words are dropped the bytes after it are not cleared, so
 * compare by length (as a hash key does), not as a C string.
 */
int lk_norm_company(const char *s, size_t len, lk_buf *out);

/* A set of placeholder values that mean "empty" ("Select", "N/A", "-"). */
typedef struct lk_placeholders lk_placeholders;

/* A set with the built-in list: select, unknown, n/a, na, none, null, nil,
 * -, --, ?, not provided, not specified, 000000000000000AAA (Salesforce's
 * null id).  NULL on ENOMEM. */
lk_placeholders *lk_placeholders_new(void);
/* Add a value (compared case-insensitively after trimming). */
int lk_placeholders_add(lk_placeholders *p, const char *s);
/* Remove every value (so a model can replace the list). */
void lk_placeholders_clear(lk_placeholders *p);
/* 1 when s (trimmed, any case) is a placeholder.  An empty or blank
 * cell is empty, not a placeholder: it gives 0, so callers test both. */
int lk_is_placeholder(const lk_placeholders *p, const char *s, size_t len);
void lk_placeholders_free(lk_placeholders *p);

#endif
