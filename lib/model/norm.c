/*
 * norm.c - normalisers for canonical lead columns; see norm.h.
 *
 * Everything here runs once per cell on exports of millions of rows, so
 * the functions work on the caller's bytes in place, keep small keys on
 * the stack, and allocate only when they grow the caller's lk_buf.  The
 * country tables (norm_tables.c) are constant data, sorted at build time
 * (LC_ALL=C byte order) and searched by bisection; lk_norm_check_tables()
 * proves the order.
 */
#include "model/norm.h"
#include "model/norm_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	size_t lo = 0, hi = lk_norm_nkeys;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(k, lk_norm_country_keys[mid].key);

		if (c == 0)
			return &lk_norm_countries[lk_norm_country_keys[mid].idx];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Exact alpha-2 lookup (either case), by bisection of lk_norm_countries[]. */
static const struct lk_country *country_by_a2(const char *a2)
{
	size_t lo = 0, hi = lk_norm_ncountries;
	char k[2];

	if (!a2 || !a2[0] || !a2[1] || a2[2])
		return NULL;
	k[0] = (char)to_upper((unsigned char)a2[0]);
	k[1] = (char)to_upper((unsigned char)a2[1]);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(k, lk_norm_countries[mid].a2, 2);

		if (c == 0)
			return &lk_norm_countries[mid];
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

	for (i = 1; i < lk_norm_ncountries; i++)
		if (memcmp(lk_norm_countries[i - 1].a2, lk_norm_countries[i].a2, 2) >= 0)
			return -1;
	for (i = 0; i < lk_norm_nkeys; i++) {
		const char *key = lk_norm_country_keys[i].key;

		if (i > 0 && strcmp(lk_norm_country_keys[i - 1].key, key) >= 0)
			return -1;
		if (lk_norm_country_keys[i].idx >= lk_norm_ncountries)
			return -1;
		/* Every key must be its own normal form, or it is unreachable. */
		if (country_key((const unsigned char *)key, strlen(key), k) == 0 ||
		    strcmp(k, key) != 0)
			return -1;
	}
	for (i = 1; i < lk_norm_ncodes; i++)
		if (lk_norm_calling_codes[i - 1] >= lk_norm_calling_codes[i])
			return -1;
	return 0;
}

/* ---- phone ---- */

/* Is the decimal s[0..n) an assigned E.164 country calling code? */
static int calling_code_known(const char *s, size_t n)
{
	unsigned v = 0;
	size_t i, lo = 0, hi = lk_norm_ncodes;

	for (i = 0; i < n; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	if (s[0] == '0')
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (lk_norm_calling_codes[mid] == v)
			return 1;
		if (lk_norm_calling_codes[mid] > v)
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
