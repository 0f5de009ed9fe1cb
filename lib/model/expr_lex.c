/*
 * expr_lex.c - the tokens of the language, and the error messages that
 * point into the source ("expression: col N: ...").
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/expr_int.h"

/* Line and character column (1-based) of byte offset pos. */
void lk_expr_where(const char *src, size_t pos, long *line, long *col)
{
	size_t i, bol = 0;

	*line = 1;
	for (i = 0; i < pos; i++)
		if (src[i] == '\n') {
			(*line)++;
			bol = i + 1;
		}
	*col = 1;
	for (i = bol; i < pos; i++)
		*col += ((unsigned char)src[i] & 0xC0) != 0x80;
}

/* Record the first error, at byte offset pos. */
void *lk_expr_perr(parser *p, size_t pos, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	long line, col;
	int multi;

	if (p->failed)
		return NULL;
	p->failed = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	lk_expr_where(p->src, pos, &line, &col);
	multi = memchr(p->src, '\n', p->len) != NULL;
	if (multi)
		lk_err_set(p->err, LK_EMODEL, "expression: line %ld, col %ld: %s",
			   line, col, msg);
	else
		lk_err_set(p->err, LK_EMODEL, "expression: col %ld: %s", col, msg);
	if (p->err)
		p->err->col = col;
	return NULL;
}

void *lk_expr_nomem(parser *p)
{
	if (!p->failed) {
		p->failed = 1;
		lk_err_set(p->err, LK_ENOMEM, "expression: out of memory");
	}
	return NULL;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Describe the text at pos for "unexpected ..." messages. */
const char *lk_expr_show(parser *p, size_t pos, size_t end, char *buf, size_t size)
{
	size_t n = end - pos;

	if (n > 40)
		n = 40;
	if (n == 1 && !isprint((unsigned char)p->src[pos]))
		snprintf(buf, size, "byte 0x%02x", (unsigned char)p->src[pos]);
	else
		snprintf(buf, size, "'%.*s'", (int)n, p->src + pos);
	return buf;
}

/* The operator at s[i], t: `one` alone, or `two` when the byte `next`
 * follows it (`<` and `<=`). */
static tok op2(tok t, const char *s, size_t n, size_t i, int next, int one, int two)
{
	if (i + 1 < n && s[i + 1] == next) {
		t.t = two;
		t.end = i + 2;
	} else {
		t.t = one;
	}
	return t;
}

/* The token t as an error (T_ERR), reported with `msg` when `report`. */
static tok bad_tok(parser *p, tok t, int report, const char *msg)
{
	if (report)
		lk_expr_perr(p, t.pos, "%s", msg);
	return t;
}

/* Lex one token at `pos`; report errors only when `report`. */
tok lk_expr_lex(parser *p, size_t pos, int report)
{
	const char *s = p->src;
	size_t n = p->len, i;
	tok t;
	char buf[64];

	while (pos < n && is_sp((unsigned char)s[pos]))
		pos++;
	t.pos = pos;
	t.end = pos + 1;
	t.t = T_ERR;
	if (pos >= n) {
		t.t = T_EOF;
		t.end = pos;
		return t;
	}
	i = pos;
	switch (s[i]) {
	case '(': t.t = T_LP; return t;
	case ')': t.t = T_RP; return t;
	case '[': t.t = T_LB; return t;
	case ']': t.t = T_RB; return t;
	case ',': t.t = T_COMMA; return t;
	case '+': t.t = T_PLUS; return t;
	case '-': t.t = T_MINUS; return t;
	case '*': t.t = T_STAR; return t;
	case '/': t.t = T_SLASH; return t;
	case '=':
		if (i + 1 < n && s[i + 1] == '=') {
			t.t = T_EQ;
			t.end = i + 2;
		} else if (report) {
			lk_expr_perr(p, pos, "unexpected '='; did you mean '=='?");
		}
		return t;
	case '<': return op2(t, s, n, i, '=', T_LT, T_LE);
	case '>': return op2(t, s, n, i, '=', T_GT, T_GE);
	case '~': return op2(t, s, n, i, '*', T_RE, T_REI);
	case '!':
		if (i + 1 < n && s[i + 1] == '~') {
			t.end = i + 2;
			return op2(t, s, n, i + 1, '*', T_NRE, T_NREI);
		}
		return op2(t, s, n, i, '=', T_NOT, T_NE);
	case '&':
	case '|':
		if (i + 1 < n && s[i + 1] == s[i]) {
			t.t = s[i] == '&' ? T_AND : T_OR;
			t.end = i + 2;
		} else if (report) {
			lk_expr_perr(p, pos, "unexpected '%c'; did you mean '%s'?", s[i],
				     s[i] == '&' ? "and" : "or");
		}
		return t;
	case '"':
	case '\'':
		for (i = pos + 1; i < n && s[i] != s[pos]; i++)
			if (s[i] == '\\' && i + 1 < n)
				i++;
		if (i >= n)
			return bad_tok(p, t, report, "unterminated string");
		t.t = T_STR;
		t.end = i + 1;
		return t;
	case '$':
		if (i + 1 < n && s[i + 1] == '{') {
			for (i = pos + 2; i < n && s[i] != '}'; i++)
				;
			if (i >= n)
				return bad_tok(p, t, report, "unterminated '${' (no closing '}')");
			if (i == pos + 2)
				return bad_tok(p, t, report, "empty name '${}'");
			t.t = T_NAME;
			t.end = i + 1;
			return t;
		}
		break;
	default:
		break;
	}
	if (is_digit((unsigned char)s[i]) ||
	    (s[i] == '.' && i + 1 < n && is_digit((unsigned char)s[i + 1]))) {
		while (i < n && is_digit((unsigned char)s[i]))
			i++;
		if (i < n && s[i] == '.')
			for (i++; i < n && is_digit((unsigned char)s[i]); i++)
				;
		if (i < n && (s[i] == 'e' || s[i] == 'E')) {
			size_t j = i + 1;

			if (j < n && (s[j] == '+' || s[j] == '-'))
				j++;
			if (j < n && is_digit((unsigned char)s[j])) {
				while (j < n && is_digit((unsigned char)s[j]))
					j++;
				i = j;
			}
		}
		t.t = T_NUM;
		if (i < n && is_id0((unsigned char)s[i])) {
			double secs;

			while (i < n && is_id((unsigned char)s[i]))
				i++;
			t.t = T_DUR;
			if (lk_duration_parse(s + pos, i - pos, &secs) != 0) {
				if (report)
					lk_expr_perr(p, pos, "bad duration '%.*s' (write a number and a unit: 30d, 4h, 90m, 2w, 10s)",
						     (int)(i - pos > 40 ? 40 : i - pos), s + pos);
				t.t = T_ERR;
			}
		}
		t.end = i;
		return t;
	}
	if (is_id0((unsigned char)s[i])) {
		static const struct { const char *w; int t; } kw[] = {
			{ "and", T_AND }, { "or", T_OR }, { "not", T_NOT },
			{ "in", T_IN }, { "true", T_TRUE }, { "false", T_FALSE },
		};
		size_t k;

		while (i < n && is_id((unsigned char)s[i]))
			i++;
		t.t = T_IDENT;
		t.end = i;
		for (k = 0; k < sizeof kw / sizeof kw[0]; k++)
			if (strlen(kw[k].w) == i - pos &&
			    memcmp(kw[k].w, s + pos, i - pos) == 0)
				t.t = kw[k].t;
		return t;
	}
	if (report) {
		size_t e = pos + 1;

		/* Show a whole UTF-8 character, not one byte of it. */
		while (e < n && ((unsigned char)s[e] & 0xC0) == 0x80)
			e++;
		lk_expr_perr(p, pos, "unexpected character %s", lk_expr_show(p, pos, e, buf, sizeof buf));
	}
	return t;
}
