/*
 * expr_re.c - the regexes of the language: the patterns refused before
 * regcomp sees them, and a matcher for literal patterns that spares the
 * common rule (`title ~* "student|intern"`) a call of regexec.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "model/expr_int.h"

/*
 * glibc's regcomp copies a sub-pattern once per repetition ("a{50}" is
 * 50 copies, "a+" two), and repetitions multiply: a pattern such as
 * "((a{99}){99}){99}" or "a++++++++++++++++++++++++++++++" takes
 * gigabytes or minutes.  Refuse stacked repetitions ("a++", undefined
 * in POSIX anyway), estimate the copies before calling it and refuse
 * absurd patterns; ordinary ones cost a few dozen.  Back-references (\1..\9)
 * are refused as well: they are not POSIX ERE and can make matching
 * exponential.  Returns the estimate, or -1 with *why set.
 */
#define RE_MAX_COST 10000.0

static double re_cost(const char *s, size_t *i, int depth, const char **why)
{
	double total = 0, branch = 0, last = 0;
	int rep = 0;		/* the previous token was a repetition */

	while (s[*i] && !*why) {
		char c = s[*i];
		int isrep = c == '*' || c == '+' || c == '?' ||
			    (c == '{' && isdigit((unsigned char)s[*i + 1]));

		if (isrep && rep) {
			*why = "stacked repetitions (such as '++' or '*{2}') are not supported";
			break;
		}
		rep = isrep;

		if (c == ')' && depth > 0)
			break;
		if (c == '|') {
			total += branch;
			branch = last = 0;
			(*i)++;
		} else if (c == '(') {
			(*i)++;
			if (depth >= 64) {
				*why = "regex nested too deeply";
				break;
			}
			last = re_cost(s, i, depth + 1, why) + 1;
			if (s[*i] == ')')
				(*i)++;
			branch += last;
		} else if (c == '[') {
			(*i)++;
			if (s[*i] == '^')
				(*i)++;
			if (s[*i] == ']')
				(*i)++;
			while (s[*i] && s[*i] != ']') {
				if (s[*i] == '[' && (s[*i + 1] == ':' || s[*i + 1] == '.' ||
						     s[*i + 1] == '=')) {
					char end = s[*i + 1];

					*i += 2;
					while (s[*i] && !(s[*i] == end && s[*i + 1] == ']'))
						(*i)++;
					if (s[*i])
						(*i)++;
				}
				if (s[*i])
					(*i)++;
			}
			if (s[*i])
				(*i)++;
			last = 1;
			branch += 1;
		} else if (c == '\\') {
			if (s[*i + 1] >= '1' && s[*i + 1] <= '9') {
				*why = "back-references (\\1 ... \\9) are not supported";
				break;
			}
			*i += s[*i + 1] ? 2 : 1;
			last = 1;
			branch += 1;
		} else if (c == '+') {
			branch += last;
			last *= 2;
			(*i)++;
		} else if (c == '{' && isdigit((unsigned char)s[*i + 1])) {
			double m = 0, n = -1;
			size_t j = *i + 1;

			while (isdigit((unsigned char)s[j]) && m < 1e6)
				m = m * 10 + (s[j++] - '0');
			if (s[j] == ',') {
				j++;
				n = isdigit((unsigned char)s[j]) ? 0 : m + 1;
				while (isdigit((unsigned char)s[j]) && n < 1e6)
					n = n * 10 + (s[j++] - '0');
			}
			if (s[j] == '}') {
				/* Optional copies nest and cost about twice as much. */
				double k = n > m ? 2 * n - m : m;

				if (k < 1)
					k = 1;
				branch += last * (k - 1);
				last *= k;
				*i = j + 1;
			} else {
				(*i)++;
				last = 1;
				branch += 1;
			}
		} else {
			(*i)++;
			if (c != '*' && c != '?') {
				last = 1;
				branch += 1;
			}
		}
		if (total + branch > RE_MAX_COST && !*why)
			*why = "regex too complex (its repetitions expand too far)";
	}
	return total + branch;
}

const char *lk_expr_re_refused(const char *re)
{
	const char *why = NULL;
	size_t at = 0;

	if (re_cost(re, &at, 0, &why) > RE_MAX_COST && !why)
		why = "regex too complex (its repetitions expand too far)";
	return why;
}

/*
 * Most rule regexes are a word or a list of words: student|intern,
 * \b(vp|chief|director)\b, ^Mr\., gmail\.com$.  glibc's regexec
 * allocates on every call and spends most of its time setting up, so
 * such patterns are matched here instead, with the same meaning as
 * regexec in the C locale (which leadkit runs in): ASCII case folding
 * for ~*, word characters [A-Za-z0-9_] for \b, \< and \>.
 *
 *   pattern := ["^"] [B] ( alt { "|" alt } | "(" alt { "|" alt } ")" ) [B] ["$"]
 *
 * where an alternation without parentheses may carry no anchors, B is
 * \b (or \< at the start, \> at the end) and alt is a non-empty run
 * of printable ASCII that is not special, or a backslash-escaped special.
 */
typedef struct relit {
	char *buf;		/* the alternatives, each NUL-terminated (lower-cased for ~*) */
	size_t *off, *len;	/* where each starts and its length */
	int n;
	unsigned char bol, eol;	/* ^ and $ */
	unsigned char bstart;	/* 0, 1: \b, 2: \< */
	unsigned char bend;	/* 0, 1: \b, 2: \> */
	unsigned char icase;
	unsigned char first[256];	/* 1 for the first byte of an alternative */
} relit;

static inline int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

void lk_expr_relit_free(relit *r)
{
	if (!r)
		return;
	free(r->buf);
	free(r->off);
	free(r->len);
	free(r);
}

static int re_special(int c)
{
	return strchr(".[]()*+?{}|^$\\", c) != NULL;
}

/* Build the literal matcher for `re`, or NULL when it is not that simple
 * (or on ENOMEM: regexec then does the work). */
relit *lk_expr_relit_new(const char *re, int icase)
{
	size_t n = strlen(re), i = 0, k = 0;
	relit *r = calloc(1, sizeof *r);
	int grouped = 0, cap = 0;

	if (!r)
		return NULL;
	r->icase = (unsigned char)icase;
	r->buf = malloc(n + 1);
	if (!r->buf)
		goto no;
	if (re[i] == '^') {
		r->bol = 1;
		i++;
	}
	if (re[i] == '\\' && (re[i + 1] == 'b' || re[i + 1] == '<')) {
		r->bstart = re[i + 1] == 'b' ? 1 : 2;
		i += 2;
	}
	if (re[i] == '(') {
		grouped = 1;
		i++;
	}
	for (;;) {
		size_t start = k;

		while (re[i]) {
			unsigned char c = (unsigned char)re[i];

			if (c == '\\' && re[i + 1] && re_special((unsigned char)re[i + 1])) {
				c = (unsigned char)re[i + 1];
				i += 2;
			} else if (c >= 0x20 && c < 0x7f && !re_special(c)) {
				i++;
			} else {
				break;
			}
			r->buf[k++] = (char)(icase ? ascii_lower(c) : c);
		}
		if (k == start)
			goto no;
		if (r->n == cap) {
			size_t *o, *l;

			cap = cap ? cap * 2 : 4;
			o = realloc(r->off, sizeof *o * (size_t)cap);
			if (o)
				r->off = o;
			l = realloc(r->len, sizeof *l * (size_t)cap);
			if (l)
				r->len = l;
			if (!o || !l)
				goto no;
		}
		r->off[r->n] = start;
		r->len[r->n] = k - start;
		r->n++;
		r->buf[k++] = '\0';
		if (re[i] != '|')
			break;
		i++;
	}
	if (grouped) {
		if (re[i] != ')')
			goto no;
		i++;
	}
	if (re[i] == '\\' && (re[i + 1] == 'b' || re[i + 1] == '>')) {
		r->bend = re[i + 1] == 'b' ? 1 : 2;
		i += 2;
	}
	if (re[i] == '$') {
		r->eol = 1;
		i++;
	}
	if (re[i] != '\0')
		goto no;
	if (r->n > 1 && !grouped && (r->bol || r->eol || r->bstart || r->bend))
		goto no;	/* "^a|b" is "(^a)|b": leave it to regexec */
	for (i = 0; i < (size_t)r->n; i++)
		r->first[(unsigned char)r->buf[r->off[i]]] = 1;
	return r;
no:
	lk_expr_relit_free(r);
	return NULL;
}

static int word_ch(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Does the alternative `lit` (length l) match at pos, boundaries included? */
static int relit_at(const relit *r, const char *lit, size_t l, const char *s, size_t len,
		    size_t pos)
{
	size_t j;
	int prev, next;

	if (r->icase) {
		for (j = 1; j < l && ascii_lower((unsigned char)s[pos + j]) == (unsigned char)lit[j]; j++)
			;
	} else {
		for (j = 1; j < l && s[pos + j] == lit[j]; j++)
			;
	}
	if (j < l)
		return 0;
	prev = pos > 0 && word_ch((unsigned char)s[pos - 1]);
	next = pos + l < len && word_ch((unsigned char)s[pos + l]);
	if (r->bstart == 1 && prev == word_ch((unsigned char)s[pos]))
		return 0;
	if (r->bstart == 2 && (prev || !word_ch((unsigned char)s[pos])))
		return 0;
	if (r->bend == 1 && next == word_ch((unsigned char)s[pos + l - 1]))
		return 0;
	if (r->bend == 2 && (next || !word_ch((unsigned char)s[pos + l - 1])))
		return 0;
	return 1;
}

int lk_expr_relit_match(const relit *r, const char *s, size_t len)
{
	int a;

	/* Unanchored: one pass over the text, trying only the alternatives
	 * whose first byte is here (most positions try none). */
	if (!r->bol && !r->eol) {
		size_t pos;
		for (pos = 0; pos < len; pos++) {
			int c = (unsigned char)s[pos];
			if (r->icase)
				c = ascii_lower(c);
			if (!r->first[c])
				continue;
			for (a = 0; a < r->n; a++) {
				const char *lit = r->buf + r->off[a];
				size_t l = r->len[a];
				if ((unsigned char)lit[0] == c && l <= len - pos &&
				    relit_at(r, lit, l, s, len, pos))
					return 1;
			}
		}
		return 0;
	}
	/* Anchored: only the positions ^ and $ allow, each alternative in
	 * turn. */
	for (a = 0; a < r->n; a++) {
		const char *lit = r->buf + r->off[a];
		size_t l = r->len[a], pos, last;

		if (l > len)
			continue;
		last = r->bol ? 0 : len - l;
		if (r->eol)
			pos = len - l;
		else
			pos = 0;
		for (; pos <= last; pos++) {
			int c = (unsigned char)s[pos];

			if (r->icase)
				c = ascii_lower(c);
			if (c == (unsigned char)lit[0] && relit_at(r, lit, l, s, len, pos))
				return 1;
		}
	}
	return 0;
}
