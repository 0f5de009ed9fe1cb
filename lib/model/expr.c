/* expr.c - the expression language; see expr.h for the manual. */
#include "model/expr.h"

#include <ctype.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Deepest tree (and parenthesis nesting) accepted; keeps the recursive
 * parser, evaluator and printer far from the end of the stack. */
#define MAX_DEPTH 256

/* Node kinds. */
enum {
	N_STR, N_NUM, N_BOOL,		/* literals */
	N_COL,				/* a column */
	N_LIST,				/* list literal, only under N_IN/N_NOTIN */
	N_NEG, N_ADD, N_SUB, N_MUL, N_DIV,
	N_EQ, N_NE, N_LT, N_LE, N_GT, N_GE,
	N_IN, N_NOTIN, N_RE, N_NRE,
	N_AND, N_OR, N_NOT,
	N_FUNC
};

/* Static types, known at compile time. */
enum { TY_STR, TY_NUM, TY_BOOL, TY_ANY, TY_LIST };

/* Functions. */
enum {
	F_EMPTY, F_LOWER, F_UPPER, F_TRIM, F_DOMAIN, F_DAYS, F_NUMBER, F_LEN,
	F_CONTAINS, F_STARTS, F_ENDS, F_COALESCE
};

static const struct fninfo {
	const char *name;
	int minargs, maxargs;	/* maxargs -1: any number */
	int ty;			/* result type */
	int needs_value;	/* 1: a boolean argument is a type error */
} fns[] = {
	[F_EMPTY] = { "empty", 1, 1, TY_BOOL, 0 },
	[F_LOWER] = { "lower", 1, 1, TY_STR, 1 },
	[F_UPPER] = { "upper", 1, 1, TY_STR, 1 },
	[F_TRIM] = { "trim", 1, 1, TY_STR, 1 },
	[F_DOMAIN] = { "domain", 1, 1, TY_STR, 1 },
	[F_DAYS] = { "days_since", 1, 1, TY_NUM, 1 },
	[F_NUMBER] = { "number", 1, 1, TY_NUM, 1 },
	[F_LEN] = { "len", 1, 1, TY_NUM, 1 },
	[F_CONTAINS] = { "contains", 2, 2, TY_BOOL, 1 },
	[F_STARTS] = { "starts_with", 2, 2, TY_BOOL, 1 },
	[F_ENDS] = { "ends_with", 2, 2, TY_BOOL, 1 },
	[F_COALESCE] = { "coalesce", 1, -1, TY_ANY, 0 },
};
#define NFNS ((int)(sizeof fns / sizeof fns[0]))

/* Run-time value kinds. */
enum { V_STR, V_NUM, V_BOOL, V_MISS };

/*
 * A value during evaluation.  Strings are NUL-terminated at s[len] and
 * point into the row, a literal, or a node's scratch buffer.  For a
 * string, `isnum` caches whether it reads as a number (-1: not looked at
 * yet); for a missing value it says whether it came from non-empty junk
 * (1, counted as nonnum) or from a blank (0, counted as blank).
 */
typedef struct val {
	const char *s;
	size_t len;
	double num;
	unsigned char t;
	signed char isnum;
	unsigned char b;
} val;

typedef struct node node;
struct node {
	unsigned char op;	/* N_* */
	unsigned char ty;	/* TY_* */
	unsigned char fn;	/* F_* for N_FUNC */
	unsigned char icase;	/* N_RE/N_NRE: ~* or !~* */
	unsigned char hasre;	/* `re` is compiled and must be freed */
	unsigned char strlist;	/* N_LIST: every item a string that is no number */
	int col;		/* N_COL: column index */
	int height;		/* 1 for a leaf */
	size_t pos, end;	/* source span of the token (literals, names, functions) */
	node *a, *b;		/* operands */
	node **args;		/* N_FUNC arguments, N_LIST items */
	int nargs;
	val lit;		/* N_STR/N_NUM/N_BOOL: the value */
	char *str;		/* owned: decoded string literal, column name */
	regex_t re;		/* N_RE/N_NRE */
	struct relit *lit_re;	/* N_RE/N_NRE: a literal pattern matched without regexec */
	char *sbuf;		/* scratch for string results, grown rarely */
	size_t scap;
	node *next;		/* every node of an expression, for freeing */
};

struct lk_expr {
	node *root;
	node *nodes;		/* list of all nodes */
	char *src;
	int *cols;		/* columns used, ascending */
	int ncols;
	char *sbuf;		/* scratch for lk_expr_str() number formatting */
};

/* ---------------------------------------------------------------- */
/* Numbers */

static const double p10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

static int is_sp(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Read s[0..len) as a number: surrounding spaces and tabs, then
 * [+-]digits[.digits][e[+-]digits] or [+-].digits[...].  Returns 1 and
 * the value, or 0.  Short plain decimals are converted exactly without
 * strtod (an integer below 2^53 divided by an exact power of ten is
 * correctly rounded); everything else goes through strtod.
 */
static int parse_num(const char *s, size_t len, double *out)
{
	size_t i = 0, start, ndig = 0, nfrac = 0;
	uint64_t m = 0;
	int neg = 0, hasexp = 0;
	char tmp[256];
	double d;

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	start = i;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	while (i < len && s[i] >= '0' && s[i] <= '9') {
		m = m * 10 + (uint64_t)(s[i++] - '0');
		ndig++;
	}
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			m = m * 10 + (uint64_t)(s[i++] - '0');
			ndig++;
			nfrac++;
		}
	}
	if (ndig == 0)
		return 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t e0;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		e0 = i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == e0)
			return 0;
		hasexp = 1;
	}
	if (i != len)
		return 0;
	if (!hasexp && ndig <= 15) {
		d = (double)m / p10[nfrac];
		*out = neg ? -d : d;
		return 1;
	}
	if (len - start >= sizeof tmp)
		return 0;
	memcpy(tmp, s + start, len - start);
	tmp[len - start] = '\0';
	d = strtod(tmp, NULL);
	if (!isfinite(d))
		return 0;
	*out = d;
	return 1;
}

/* Format a number the way values are shown as strings: %.15g. */
static size_t fmt_num(double d, char *buf, size_t size)
{
	int n;

	if (d == 0)
		d = 0;		/* no "-0" */
	n = snprintf(buf, size, "%.15g", d);
	return n < 0 ? 0 : (size_t)n >= size ? size - 1 : (size_t)n;
}

/* ---------------------------------------------------------------- */
/* Evaluation */

/* 1 and *d when v is (or reads as) a number. */
static int val_num(val *v, double *d)
{
	switch (v->t) {
	case V_NUM:
		*d = v->num;
		return 1;
	case V_STR:
		if (v->isnum < 0)
			v->isnum = (signed char)parse_num(v->s, v->len, &v->num);
		*d = v->num;
		return v->isnum;
	default:
		return 0;
	}
}

/* Count a comparison that failed because v was not a number. */
static void count_nonnum(lk_exprenv *env, const val *v)
{
	if (!env)
		return;
	if (v->t == V_MISS ? v->isnum == 0 : v->t == V_STR && lk_blank(v->s, v->len, 1))
		env->blank++;
	else
		env->nonnum++;
}

/* The string form of v; tmp (at least 40 bytes) holds a formatted number. */
static const char *val_str(const val *v, char *tmp, size_t *len)
{
	switch (v->t) {
	case V_STR:
		*len = v->len;
		return v->s;
	case V_NUM:
		*len = fmt_num(v->num, tmp, 40);
		return tmp;
	case V_BOOL:
		*len = v->b ? 4 : 5;
		return v->b ? "true" : "false";
	default:
		*len = 0;
		return "";
	}
}

static int str_truth(val *v)
{
	const char *s = v->s;
	size_t len = v->len;
	double d;

	while (len && is_sp((unsigned char)s[len - 1]))
		len--;
	while (len && is_sp((unsigned char)*s))
		s++, len--;
	if (len == 0)
		return 0;
	if ((len == 1 && (*s == 'n' || *s == 'N')) ||
	    (len == 2 && strncasecmp(s, "no", 2) == 0) ||
	    (len == 5 && strncasecmp(s, "false", 5) == 0))
		return 0;
	if ((*s >= '0' && *s <= '9') || *s == '.' || *s == '-' || *s == '+')
		if (val_num(v, &d) && d == 0)
			return 0;
	return 1;
}

static int val_truth(val *v)
{
	switch (v->t) {
	case V_BOOL:
		return v->b;
	case V_NUM:
		return v->num != 0;
	case V_STR:
		return str_truth(v);
	default:
		return 0;
	}
}

/* Room for `need` bytes plus a NUL in n's scratch; on allocation failure
 * the old (shorter) buffer is kept and the result truncated. */
static size_t scratch(node *n, size_t need)
{
	if (need + 1 > n->scap) {
		size_t cap = n->scap * 2 > need + 1 ? n->scap * 2 : need + 1;
		char *p = realloc(n->sbuf, cap);

		if (p) {
			n->sbuf = p;
			n->scap = cap;
		}
	}
	return need < n->scap ? need : n->scap - 1;
}

static void set_str(val *v, const char *s, size_t len)
{
	v->t = V_STR;
	v->s = s;
	v->len = len;
	v->isnum = -1;
}

static void set_num(val *v, double d)
{
	if (isfinite(d)) {
		v->t = V_NUM;
		v->num = d;
	} else {
		v->t = V_MISS;
		v->isnum = 1;
	}
}

static void set_miss(val *v, int junk)
{
	v->t = V_MISS;
	v->isnum = (signed char)junk;
}

static void eval(node *n, const lk_row *row, lk_exprenv *env, val *v);
static int truth(node *n, const lk_row *row, lk_exprenv *env);

static void eval_col(int c, const lk_row *row, val *v)
{
	v->t = V_STR;
	v->isnum = -1;
	if (row && c < row->n && row->f[c]) {
		v->s = row->f[c];
		v->len = row->len ? row->len[c] : strlen(v->s);
	} else {
		v->s = "";
		v->len = 0;
	}
}

static void eval_arith(node *n, const lk_row *row, lk_exprenv *env, val *v)
{
	val a, b;
	double x, y;

	eval(n->a, row, env, &a);
	if (!val_num(&a, &x)) {
		set_miss(v, !(a.t == V_MISS ? a.isnum == 0 :
			      a.t == V_STR && lk_blank(a.s, a.len, 1)));
		return;
	}
	if (n->op == N_NEG) {
		set_num(v, -x);
		return;
	}
	eval(n->b, row, env, &b);
	if (!val_num(&b, &y)) {
		set_miss(v, !(b.t == V_MISS ? b.isnum == 0 :
			      b.t == V_STR && lk_blank(b.s, b.len, 1)));
		return;
	}
	switch (n->op) {
	case N_ADD: set_num(v, x + y); break;
	case N_SUB: set_num(v, x - y); break;
	case N_MUL: set_num(v, x * y); break;
	default: set_num(v, x / y); break;	/* x/0 is not finite: missing */
	}
}

static int contains_at(const char *h, size_t hl, const char *s, size_t sl, int fn)
{
	if (sl > hl)
		return 0;
	switch (fn) {
	case F_STARTS:
		return memcmp(h, s, sl) == 0;
	case F_ENDS:
		return memcmp(h + hl - sl, s, sl) == 0;
	default:
		for (; sl && hl >= sl; h++, hl--) {
			const char *q = memchr(h, s[0], hl - sl + 1);

			if (!q)
				return 0;
			hl -= (size_t)(q - h);
			h = q;
			if (memcmp(h, s, sl) == 0)
				return 1;
		}
		return sl == 0;
	}
}

static void eval_func(node *n, const lk_row *row, lk_exprenv *env, val *v)
{
	val a, b;
	char t1[40], t2[40];
	const char *s, *s2;
	size_t len, len2, i, k;
	double d;
	lk_time tm;

	switch (n->fn) {
	case F_COALESCE:
		for (i = 0; i < (size_t)n->nargs; i++) {
			eval(n->args[i], row, env, v);
			if (i + 1 == (size_t)n->nargs)
				return;
			if (v->t == V_MISS || (v->t == V_STR && lk_blank(v->s, v->len, 1)))
				continue;
			return;
		}
		return;
	default:
		break;
	}
	eval(n->args[0], row, env, &a);
	switch (n->fn) {
	case F_EMPTY:
		v->t = V_BOOL;
		v->b = a.t == V_MISS || (a.t == V_STR && lk_blank(a.s, a.len, 1));
		return;
	case F_NUMBER:
		if (val_num(&a, &d))
			set_num(v, d);
		else if (a.t == V_BOOL)
			set_num(v, a.b);
		else
			set_miss(v, !(a.t == V_MISS ? a.isnum == 0 : lk_blank(a.s, a.len, 1)));
		return;
	default:
		break;
	}
	s = val_str(&a, t1, &len);
	switch (n->fn) {
	case F_LOWER:
	case F_UPPER:
		len = scratch(n, len);
		for (i = 0; i < len; i++)
			n->sbuf[i] = (char)(n->fn == F_LOWER ?
				tolower((unsigned char)s[i]) : toupper((unsigned char)s[i]));
		n->sbuf[len] = '\0';
		set_str(v, n->sbuf, len);
		return;
	case F_TRIM:
	case F_DOMAIN:
		if (n->fn == F_DOMAIN) {
			const char *at = NULL;

			for (i = len; i > 0; i--)
				if (s[i - 1] == '@') {
					at = s + i;
					break;
				}
			if (!at)
				len = 0;
			else {
				len -= (size_t)(at - s);
				s = at;
			}
		}
		while (len && is_sp((unsigned char)s[len - 1]))
			len--;
		while (len && is_sp((unsigned char)*s))
			s++, len--;
		len = scratch(n, len);
		for (i = 0; i < len; i++)
			n->sbuf[i] = (char)(n->fn == F_DOMAIN ?
				tolower((unsigned char)s[i]) : s[i]);
		n->sbuf[len] = '\0';
		set_str(v, n->sbuf, len);
		return;
	case F_LEN:
		for (i = k = 0; i < len; i++)
			k += ((unsigned char)s[i] & 0xC0) != 0x80;
		set_num(v, (double)k);
		return;
	case F_DAYS:
		if (a.t == V_MISS) {
			*v = a;
			return;
		}
		if (lk_blank(s, len, 1) || !env) {
			set_miss(v, 0);
			return;
		}
		if (lk_date_parse(s, len, env->order, &tm) != 0) {
			env->baddate++;
			set_miss(v, 1);
			return;
		}
		set_num(v, (double)(env->now - tm.secs) / 86400.0);
		return;
	default:	/* contains, starts_with, ends_with */
		eval(n->args[1], row, env, &b);
		s2 = val_str(&b, t2, &len2);
		v->t = V_BOOL;
		v->b = (unsigned char)contains_at(s, len, s2, len2, n->fn);
		return;
	}
}

static void eval(node *n, const lk_row *row, lk_exprenv *env, val *v)
{
	switch (n->op) {
	case N_STR:
	case N_NUM:
	case N_BOOL:
		*v = n->lit;
		return;
	case N_COL:
		eval_col(n->col, row, v);
		return;
	case N_NEG:
	case N_ADD:
	case N_SUB:
	case N_MUL:
	case N_DIV:
		eval_arith(n, row, env, v);
		return;
	case N_FUNC:
		eval_func(n, row, env, v);
		return;
	default:
		v->t = V_BOOL;
		v->b = (unsigned char)truth(n, row, env);
		return;
	}
}

/* == between two evaluated values (neither missing, neither boolean). */
static int vals_equal(val *a, val *b)
{
	double x, y;
	char t1[40], t2[40];
	const char *s1, *s2;
	size_t l1, l2;

	/* Look first at the side whose number-ness is known (a literal), so
	 * `title == "CEO"` never parses the field as a number. */
	if (a->t == V_STR && a->isnum < 0 && (b->t == V_NUM || b->isnum >= 0)) {
		val *t = a;
		a = b;
		b = t;
	}
	if (val_num(a, &x)) {
		if (val_num(b, &y))
			return x == y;
	} else if (a->t == V_NUM || b->t == V_NUM) {
		return 0;	/* a number never equals a non-number */
	}
	s1 = val_str(a, t1, &l1);
	s2 = val_str(b, t2, &l2);
	return l1 == l2 && memcmp(s1, s2, l1) == 0;
}

static int cmp_eq(node *n, const lk_row *row, lk_exprenv *env)
{
	val a, b;
	int r;

	eval(n->a, row, env, &a);
	eval(n->b, row, env, &b);
	if (a.t == V_BOOL || b.t == V_BOOL)
		r = val_truth(&a) == val_truth(&b);
	else if (a.t == V_MISS || b.t == V_MISS) {
		count_nonnum(env, a.t == V_MISS ? &a : &b);
		return 0;
	} else
		r = vals_equal(&a, &b);
	return n->op == N_EQ ? r : !r;
}

static int cmp_order(node *n, const lk_row *row, lk_exprenv *env)
{
	val a, b;
	double x, y;

	eval(n->a, row, env, &a);
	if (!val_num(&a, &x)) {
		count_nonnum(env, &a);
		return 0;
	}
	eval(n->b, row, env, &b);
	if (!val_num(&b, &y)) {
		count_nonnum(env, &b);
		return 0;
	}
	switch (n->op) {
	case N_LT: return x < y;
	case N_LE: return x <= y;
	case N_GT: return x > y;
	default: return x >= y;
	}
}

static int cmp_in(node *n, const lk_row *row, lk_exprenv *env)
{
	val a;
	node *l = n->b;
	int i, r = 0;

	eval(n->a, row, env, &a);
	if (a.t == V_MISS) {
		count_nonnum(env, &a);
		return 0;
	}
	/* No item is a number, so a string equals an item only byte for byte
	 * (what vals_equal would decide, without its number checks). */
	if (l->strlist && a.t == V_STR) {
		for (i = 0; i < l->nargs && !r; i++)
			r = l->args[i]->lit.len == a.len &&
			    !memcmp(l->args[i]->lit.s, a.s, a.len);
		return n->op == N_IN ? r : !r;
	}
	for (i = 0; i < l->nargs && !r; i++) {
		val it = l->args[i]->lit;

		if (a.t == V_BOOL || it.t == V_BOOL)
			r = val_truth(&a) == val_truth(&it);
		else
			r = vals_equal(&a, &it);
	}
	return n->op == N_IN ? r : !r;
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

static void relit_free(relit *r)
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
static relit *relit_new(const char *re, int icase)
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
	relit_free(r);
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

static int relit_match(const relit *r, const char *s, size_t len)
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
	for (a = 0; a < r->n; a++) {
		const char *lit = r->buf + r->off[a];
		size_t l = r->len[a], pos, j, last;

		if (l > len)
			continue;
		last = r->bol ? 0 : len - l;
		if (r->eol)
			pos = len - l;
		else
			pos = 0;
		for (; pos <= last; pos++) {
			int prev, next;

			if (r->icase) {
				if (ascii_lower((unsigned char)s[pos]) != (unsigned char)lit[0])
					continue;
				for (j = 1; j < l && ascii_lower((unsigned char)s[pos + j]) ==
						     (unsigned char)lit[j]; j++)
					;
			} else {
				if (s[pos] != lit[0])
					continue;
				for (j = 1; j < l && s[pos + j] == lit[j]; j++)
					;
			}
			if (j < l)
				continue;
			prev = pos > 0 && word_ch((unsigned char)s[pos - 1]);
			next = pos + l < len && word_ch((unsigned char)s[pos + l]);
			if (r->bstart == 1 && prev == word_ch((unsigned char)s[pos]))
				continue;
			if (r->bstart == 2 && (prev || !word_ch((unsigned char)s[pos])))
				continue;
			if (r->bend == 1 && next == word_ch((unsigned char)s[pos + l - 1]))
				continue;
			if (r->bend == 2 && (next || !word_ch((unsigned char)s[pos + l - 1])))
				continue;
			return 1;
		}
	}
	return 0;
}

static int cmp_re(node *n, const lk_row *row, lk_exprenv *env)
{
	val a;
	char tmp[40];
	size_t len;
	const char *s;
	int r;

	eval(n->a, row, env, &a);
	s = val_str(&a, tmp, &len);
	if (n->lit_re)
		r = relit_match(n->lit_re, s, len);
	else
		r = regexec(&n->re, s, 0, NULL, 0) == 0;
	return n->op == N_RE ? r : !r;
}

static int truth(node *n, const lk_row *row, lk_exprenv *env)
{
	val v;

	switch (n->op) {
	case N_AND:
		return truth(n->a, row, env) && truth(n->b, row, env);
	case N_OR:
		return truth(n->a, row, env) || truth(n->b, row, env);
	case N_NOT:
		return !truth(n->a, row, env);
	case N_EQ:
	case N_NE:
		return cmp_eq(n, row, env);
	case N_LT:
	case N_LE:
	case N_GT:
	case N_GE:
		return cmp_order(n, row, env);
	case N_IN:
	case N_NOTIN:
		return cmp_in(n, row, env);
	case N_RE:
	case N_NRE:
		return cmp_re(n, row, env);
	case N_BOOL:
		return n->lit.b;
	default:
		eval(n, row, env, &v);
		return val_truth(&v);
	}
}

int lk_expr_bool(const lk_expr *e, const lk_row *row, lk_exprenv *env)
{
	return truth(e->root, row, env);
}

double lk_expr_num(const lk_expr *e, const lk_row *row, lk_exprenv *env)
{
	val v;
	double d;

	eval(e->root, row, env, &v);
	if (v.t == V_BOOL)
		return v.b;
	return val_num(&v, &d) ? d : NAN;
}

const char *lk_expr_str(const lk_expr *e, const lk_row *row, lk_exprenv *env,
			size_t *len)
{
	val v;
	size_t l;
	const char *s;

	eval(e->root, row, env, &v);
	s = val_str(&v, e->sbuf, &l);
	if (len)
		*len = l;
	return s;
}

/* ---------------------------------------------------------------- */
/* Lexer */

enum {
	T_EOF, T_NUM, T_DUR, T_STR, T_IDENT, T_NAME,
	T_LP, T_RP, T_LB, T_RB, T_COMMA,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE,
	T_RE, T_REI, T_NRE, T_NREI,
	T_PLUS, T_MINUS, T_STAR, T_SLASH,
	T_AND, T_OR, T_NOT, T_IN, T_TRUE, T_FALSE,
	T_ERR,
	T_NOTIN_MARK		/* "not in", made by the parser from two tokens */
};

static const char *const tokname[] = {
	[T_EOF] = "end of expression", [T_NUM] = "number", [T_DUR] = "duration",
	[T_STR] = "string", [T_IDENT] = "name", [T_NAME] = "name",
	[T_LP] = "'('", [T_RP] = "')'", [T_LB] = "'['", [T_RB] = "']'",
	[T_COMMA] = "','", [T_EQ] = "'=='", [T_NE] = "'!='", [T_LT] = "'<'",
	[T_LE] = "'<='", [T_GT] = "'>'", [T_GE] = "'>='", [T_RE] = "'~'",
	[T_REI] = "'~*'", [T_NRE] = "'!~'", [T_NREI] = "'!~*'",
	[T_PLUS] = "'+'", [T_MINUS] = "'-'", [T_STAR] = "'*'", [T_SLASH] = "'/'",
	[T_AND] = "'and'", [T_OR] = "'or'", [T_NOT] = "'not'", [T_IN] = "'in'",
	[T_TRUE] = "'true'", [T_FALSE] = "'false'", [T_ERR] = "error",
	[T_NOTIN_MARK] = "'not in'",
};

static const char *const opname[] = {
	[N_ADD] = "+", [N_SUB] = "-", [N_MUL] = "*", [N_DIV] = "/",
	[N_EQ] = "==", [N_NE] = "!=", [N_LT] = "<", [N_LE] = "<=",
	[N_GT] = ">", [N_GE] = ">=", [N_IN] = "in", [N_NOTIN] = "not in",
	[N_AND] = "and", [N_OR] = "or",
};

typedef struct tok {
	int t;
	size_t pos, end;
} tok;

typedef struct parser {
	const char *src;
	size_t len;
	const char *const *cols;
	int ncols;
	lk_err *err;
	int failed;
	int depth;
	tok cur;
	lk_expr *e;
	unsigned char *used;	/* ncols flags: column read by the expression */
} parser;

/* Line and character column (1-based) of byte offset pos. */
static void where(const char *src, size_t pos, long *line, long *col)
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
__attribute__((format(printf, 3, 4)))
static void *perr(parser *p, size_t pos, const char *fmt, ...)
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
	where(p->src, pos, &line, &col);
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

static void *nomem(parser *p)
{
	if (!p->failed) {
		p->failed = 1;
		lk_err_set(p->err, LK_ENOMEM, "expression: out of memory");
	}
	return NULL;
}

static int is_id0(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_id(int c)
{
	return is_id0(c) || (c >= '0' && c <= '9');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Describe the text at pos for "unexpected ..." messages. */
static const char *show(parser *p, size_t pos, size_t end, char *buf, size_t size)
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

/* Lex one token at `pos`; report errors only when `report`. */
static tok lex_at(parser *p, size_t pos, int report)
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
			perr(p, pos, "unexpected '='; did you mean '=='?");
		}
		return t;
	case '<':
	case '>':
		if (i + 1 < n && s[i + 1] == '=') {
			t.t = s[i] == '<' ? T_LE : T_GE;
			t.end = i + 2;
		} else {
			t.t = s[i] == '<' ? T_LT : T_GT;
		}
		return t;
	case '~':
		if (i + 1 < n && s[i + 1] == '*') {
			t.t = T_REI;
			t.end = i + 2;
		} else {
			t.t = T_RE;
		}
		return t;
	case '!':
		if (i + 1 < n && s[i + 1] == '=') {
			t.t = T_NE;
			t.end = i + 2;
		} else if (i + 1 < n && s[i + 1] == '~') {
			if (i + 2 < n && s[i + 2] == '*') {
				t.t = T_NREI;
				t.end = i + 3;
			} else {
				t.t = T_NRE;
				t.end = i + 2;
			}
		} else {
			t.t = T_NOT;
		}
		return t;
	case '&':
	case '|':
		if (i + 1 < n && s[i + 1] == s[i]) {
			t.t = s[i] == '&' ? T_AND : T_OR;
			t.end = i + 2;
		} else if (report) {
			perr(p, pos, "unexpected '%c'; did you mean '%s'?", s[i],
			     s[i] == '&' ? "and" : "or");
		}
		return t;
	case '"':
	case '\'':
		for (i = pos + 1; i < n && s[i] != s[pos]; i++)
			if (s[i] == '\\' && i + 1 < n)
				i++;
		if (i >= n) {
			if (report)
				perr(p, pos, "unterminated string");
			return t;
		}
		t.t = T_STR;
		t.end = i + 1;
		return t;
	case '$':
		if (i + 1 < n && s[i + 1] == '{') {
			for (i = pos + 2; i < n && s[i] != '}'; i++)
				;
			if (i >= n) {
				if (report)
					perr(p, pos, "unterminated '${' (no closing '}')");
				return t;
			}
			if (i == pos + 2) {
				if (report)
					perr(p, pos, "empty name '${}'");
				return t;
			}
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
					perr(p, pos, "bad duration '%.*s' (write a number and a unit: 30d, 4h, 90m, 2w, 10s)",
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
		perr(p, pos, "unexpected character %s", show(p, pos, e, buf, sizeof buf));
	}
	return t;
}

static void next(parser *p)
{
	p->cur = lex_at(p, p->cur.end, 1);
	if (p->cur.t == T_ERR && !p->failed)
		perr(p, p->cur.pos, "unexpected input");
}

static tok peek(parser *p)
{
	return lex_at(p, p->cur.end, 0);
}

/* ---------------------------------------------------------------- */
/* Parser */

static node *mknode(parser *p, int op, int ty, size_t pos, size_t end)
{
	node *n = calloc(1, sizeof *n);

	if (!n)
		return nomem(p);
	n->op = (unsigned char)op;
	n->ty = (unsigned char)ty;
	n->pos = pos;
	n->end = end;
	n->height = 1;
	n->next = p->e->nodes;
	p->e->nodes = n;
	return n;
}

static int set_height(parser *p, node *n, size_t pos)
{
	int h = 0, i;

	if (n->a && n->a->height > h)
		h = n->a->height;
	if (n->b && n->b->height > h)
		h = n->b->height;
	for (i = 0; i < n->nargs; i++)
		if (n->args[i]->height > h)
			h = n->args[i]->height;
	n->height = h + 1;
	if (n->height > MAX_DEPTH) {
		perr(p, pos, "expression too deeply nested (more than %d levels)",
		     MAX_DEPTH);
		return -1;
	}
	return 0;
}

static node *binary(parser *p, int op, int ty, node *a, node *b, size_t pos)
{
	node *n;

	if (!a || !b)
		return NULL;
	/* The node's position is where its text starts, for messages. */
	n = mknode(p, op, ty, a->pos, a->pos);
	if (!n)
		return NULL;
	n->a = a;
	n->b = b;
	return set_height(p, n, pos) ? NULL : n;
}

/* Decode a string token (quotes included in [pos, end)). */
static node *string_lit(parser *p, tok t)
{
	const char *s = p->src;
	size_t i, k = 0;
	node *n = mknode(p, N_STR, TY_STR, t.pos, t.end);

	if (!n)
		return NULL;
	n->str = malloc(t.end - t.pos);
	if (!n->str)
		return nomem(p);
	for (i = t.pos + 1; i < t.end - 1; i++) {
		if (s[i] == '\\' && i + 1 < t.end - 1) {
			char c = s[i + 1];

			if (c == '"' || c == '\'' || c == '\\') {
				n->str[k++] = c;
				i++;
				continue;
			}
			if (c == 'n' || c == 't') {
				n->str[k++] = c == 'n' ? '\n' : '\t';
				i++;
				continue;
			}
			/* Any other escape keeps its backslash: "\b" is a regex's \b. */
		}
		n->str[k++] = s[i];
	}
	n->str[k] = '\0';
	set_str(&n->lit, n->str, k);
	n->lit.isnum = (signed char)parse_num(n->str, k, &n->lit.num);
	return n;
}

static node *number_lit(parser *p, tok t)
{
	node *n = mknode(p, N_NUM, TY_NUM, t.pos, t.end);
	double d = 0;

	if (!n)
		return NULL;
	if (t.t == T_DUR) {
		lk_duration_parse(p->src + t.pos, t.end - t.pos, &d);
		d /= 86400.0;
	} else if (!parse_num(p->src + t.pos, t.end - t.pos, &d)) {
		return perr(p, t.pos, "bad number '%.*s'",
			    (int)(t.end - t.pos > 40 ? 40 : t.end - t.pos),
			    p->src + t.pos);
	}
	n->lit.t = V_NUM;
	n->lit.num = d;
	return n;
}

static node *bool_lit(parser *p, tok t)
{
	node *n = mknode(p, N_BOOL, TY_BOOL, t.pos, t.end);

	if (!n)
		return NULL;
	n->lit.t = V_BOOL;
	n->lit.b = t.t == T_TRUE;
	return n;
}

static int find_fn(const char *s, size_t len)
{
	int i;

	for (i = 0; i < NFNS; i++)
		if (strlen(fns[i].name) == len && memcmp(fns[i].name, s, len) == 0)
			return i;
	return -1;
}

/* "a, b, c" (shortened with ", ..." when long) into b. */
static void list_names(const char *const *names, int n, char *out, size_t size)
{
	size_t k = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		size_t l = strlen(names[i]);

		if (k + l + 8 >= size) {
			snprintf(out + k, size - k, "%s...", i ? ", " : "");
			return;
		}
		k += (size_t)snprintf(out + k, size - k, "%s%s", i ? ", " : "", names[i]);
	}
}

static node *column(parser *p, tok t)
{
	const char *name;
	size_t len;
	char *word, cols[400], hint[128] = "";
	const char *dym;
	node *n;
	int i;

	if (t.t == T_NAME) {
		name = p->src + t.pos + 2;
		len = t.end - t.pos - 3;
	} else {
		name = p->src + t.pos;
		len = t.end - t.pos;
	}
	for (i = 0; i < p->ncols; i++)
		if (p->cols[i] && strlen(p->cols[i]) == len &&
		    memcmp(p->cols[i], name, len) == 0)
			break;
	if (i == p->ncols) {
		word = strndup(name, len);
		if (!word)
			return nomem(p);
		dym = lk_did_you_mean(word, p->cols, p->ncols);
		if (dym)
			snprintf(hint, sizeof hint, " (did you mean '%.80s'?)", dym);
		else if (t.t == T_IDENT && find_fn(name, len) >= 0)
			snprintf(hint, sizeof hint, " (%s is a function: write %s(...))",
				 word, word);
		list_names(p->cols, p->ncols, cols, sizeof cols);
		perr(p, t.pos, "unknown column '%.100s'%s; %s%s", word, hint,
		     p->ncols ? "columns are: " : "there are no columns", cols);
		free(word);
		return NULL;
	}
	n = mknode(p, N_COL, TY_STR, t.pos, t.end);
	if (!n)
		return NULL;
	n->col = i;
	n->str = strdup(p->cols[i]);
	if (!n->str)
		return nomem(p);
	p->used[i] = 1;
	return n;
}

static node *parse_expr(parser *p);

static node *call(parser *p, tok name)
{
	const char *s = p->src + name.pos;
	size_t len = name.end - name.pos;
	int f = find_fn(s, len), cap = 0, i;
	node *n, *a, **args;
	char hint[100] = "", list[300];

	if (f < 0) {
		const char *names[NFNS];
		const char *dym;
		char *word = strndup(s, len);

		if (!word)
			return nomem(p);
		for (i = 0; i < NFNS; i++)
			names[i] = fns[i].name;
		dym = lk_did_you_mean(word, names, NFNS);
		if (dym)
			snprintf(hint, sizeof hint, " (did you mean '%s'?)", dym);
		list_names(names, NFNS, list, sizeof list);
		perr(p, name.pos, "unknown function '%.100s'%s; functions are: %s",
		     word, hint, list);
		free(word);
		return NULL;
	}
	n = mknode(p, N_FUNC, fns[f].ty, name.pos, name.end);
	if (!n)
		return NULL;
	n->fn = (unsigned char)f;
	next(p);		/* the '(' */
	next(p);
	if (p->cur.t != T_RP) {
		for (;;) {
			a = parse_expr(p);
			if (!a)
				return NULL;
			if (fns[f].needs_value && (a->ty == TY_BOOL))
				return perr(p, a->pos, "%s() needs a value, not a true/false condition",
					    fns[f].name);
			if (n->nargs == cap) {
				cap = cap ? cap * 2 : 2;
				args = realloc(n->args, sizeof *args * (size_t)cap);
				if (!args)
					return nomem(p);
				n->args = args;
			}
			n->args[n->nargs++] = a;
			if (p->cur.t != T_COMMA)
				break;
			next(p);
		}
		if (p->cur.t != T_RP) {
			char buf[64];

			return perr(p, p->cur.pos, "expected ',' or ')' in %s(), found %s",
				    fns[f].name, p->cur.t == T_EOF ? "end of expression" :
				    show(p, p->cur.pos, p->cur.end, buf, sizeof buf));
		}
	}
	next(p);
	if (n->nargs < fns[f].minargs ||
	    (fns[f].maxargs >= 0 && n->nargs > fns[f].maxargs)) {
		if (fns[f].maxargs < 0)
			return perr(p, name.pos, "%s() takes at least %d argument%s, got %d",
				    fns[f].name, fns[f].minargs,
				    fns[f].minargs == 1 ? "" : "s", n->nargs);
		return perr(p, name.pos, "%s() takes %d argument%s, got %d",
			    fns[f].name, fns[f].minargs,
			    fns[f].minargs == 1 ? "" : "s", n->nargs);
	}
	if (set_height(p, n, name.pos))
		return NULL;
	n->sbuf = malloc(64);
	if (!n->sbuf)
		return nomem(p);
	n->scap = 64;
	return n;
}

static void *unexpected(parser *p, const char *wanted)
{
	char buf[64];

	if (p->cur.t == T_EOF)
		return perr(p, p->cur.pos, "expected %s, found end of expression", wanted);
	return perr(p, p->cur.pos, "expected %s, found %s", wanted,
		    p->cur.t == T_STR || p->cur.t == T_NAME || p->cur.t == T_IDENT ||
		    p->cur.t == T_NUM || p->cur.t == T_DUR ?
		    show(p, p->cur.pos, p->cur.end, buf, sizeof buf) : tokname[p->cur.t]);
}

static node *parse_primary(parser *p)
{
	tok t = p->cur;
	node *n;

	if (p->failed)
		return NULL;
	switch (t.t) {
	case T_NUM:
	case T_DUR:
		next(p);
		return number_lit(p, t);
	case T_STR:
		next(p);
		return string_lit(p, t);
	case T_TRUE:
	case T_FALSE:
		next(p);
		return bool_lit(p, t);
	case T_NAME:
		next(p);
		return column(p, t);
	case T_IDENT:
		if (peek(p).t == T_LP)
			return call(p, t);
		next(p);
		return column(p, t);
	case T_LP:
		next(p);
		n = parse_expr(p);
		if (!n)
			return NULL;
		if (p->cur.t != T_RP)
			return unexpected(p, "')'");
		next(p);
		return n;
	case T_LB:
		return perr(p, t.pos, "a list [...] can only follow 'in' or 'not in'");
	default:
		return unexpected(p, "a value");
	}
}

/* Arithmetic operands must be able to be numbers. */
static int need_num(parser *p, node *n, const char *op)
{
	if (!n)
		return -1;
	if (n->ty == TY_BOOL) {
		perr(p, n->pos, "'%s' needs numbers, not a true/false condition", op);
		return -1;
	}
	if (n->op == N_STR && !n->lit.isnum) {
		perr(p, n->pos, "'%s' needs numbers; %.*s is not a number", op,
		     (int)(n->end - n->pos > 60 ? 60 : n->end - n->pos), p->src + n->pos);
		return -1;
	}
	return 0;
}

static node *parse_unary(parser *p)
{
	tok t = p->cur;
	node *a, *n;

	if (t.t != T_MINUS)
		return parse_primary(p);
	if (++p->depth > MAX_DEPTH)
		return perr(p, t.pos, "expression too deeply nested (more than %d levels)",
			    MAX_DEPTH);
	next(p);
	a = parse_unary(p);
	p->depth--;
	if (need_num(p, a, "-"))
		return NULL;
	if (a->op == N_NUM) {	/* fold -5 into a literal */
		a->lit.num = -a->lit.num;
		if (a->lit.num == 0)
			a->lit.num = 0;
		a->pos = t.pos;
		return a;
	}
	n = mknode(p, N_NEG, TY_NUM, t.pos, t.end);
	if (!n)
		return NULL;
	n->a = a;
	return set_height(p, n, t.pos) ? NULL : n;
}

static node *parse_product(parser *p)
{
	node *a = parse_unary(p), *b;

	while (a && (p->cur.t == T_STAR || p->cur.t == T_SLASH)) {
		tok t = p->cur;

		next(p);
		b = parse_unary(p);
		if (need_num(p, a, t.t == T_STAR ? "*" : "/") ||
		    need_num(p, b, t.t == T_STAR ? "*" : "/"))
			return NULL;
		a = binary(p, t.t == T_STAR ? N_MUL : N_DIV, TY_NUM, a, b, t.pos);
	}
	return a;
}

static node *parse_sum(parser *p)
{
	node *a = parse_product(p), *b;

	while (a && (p->cur.t == T_PLUS || p->cur.t == T_MINUS)) {
		tok t = p->cur;

		next(p);
		b = parse_product(p);
		if (need_num(p, a, t.t == T_PLUS ? "+" : "-") ||
		    need_num(p, b, t.t == T_PLUS ? "+" : "-"))
			return NULL;
		a = binary(p, t.t == T_PLUS ? N_ADD : N_SUB, TY_NUM, a, b, t.pos);
	}
	return a;
}

static int is_cmp(int t)
{
	return (t >= T_EQ && t <= T_NREI) || t == T_IN;
}

static node *parse_list(parser *p)
{
	node *l = mknode(p, N_LIST, TY_LIST, p->cur.pos, p->cur.pos), *it, **args;
	int cap = 0;

	if (!l)
		return NULL;
	next(p);
	while (p->cur.t != T_RB) {
		tok t = p->cur;
		int neg = 0;

		if (t.t == T_MINUS) {
			neg = 1;
			next(p);
		}
		switch (p->cur.t) {
		case T_STR:
			it = neg ? NULL : string_lit(p, p->cur);
			break;
		case T_NUM:
		case T_DUR:
			it = number_lit(p, p->cur);
			if (it && neg) {
				it->lit.num = -it->lit.num;
				it->pos = t.pos;
			}
			break;
		case T_TRUE:
		case T_FALSE:
			it = neg ? NULL : bool_lit(p, p->cur);
			break;
		default:
			it = NULL;
			break;
		}
		if (!it) {
			if (p->failed)
				return NULL;
			if (p->cur.t == T_IDENT || p->cur.t == T_NAME)
				return perr(p, p->cur.pos, "a list holds literals only (strings, numbers, true, false)");
			return unexpected(p, neg ? "a number after '-'" : "a list item or ']'");
		}
		next(p);
		if (l->nargs == cap) {
			cap = cap ? cap * 2 : 4;
			args = realloc(l->args, sizeof *args * (size_t)cap);
			if (!args)
				return nomem(p);
			l->args = args;
		}
		l->args[l->nargs++] = it;
		if (p->cur.t == T_COMMA)
			next(p);
		else if (p->cur.t != T_RB)
			return unexpected(p, "',' or ']'");
	}
	l->end = p->cur.end;
	/* A list of plain strings is matched by bytes alone (see cmp_in). */
	l->strlist = 1;
	for (cap = 0; cap < l->nargs; cap++)
		if (l->args[cap]->op != N_STR || l->args[cap]->lit.t != V_STR ||
		    l->args[cap]->lit.isnum != 0)
			l->strlist = 0;
	next(p);
	return l;
}

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

static node *parse_compare(parser *p)
{
	node *a = parse_sum(p), *b, *n;
	tok t = p->cur;
	int op;

	if (!a)
		return NULL;
	if (t.t == T_NOT && peek(p).t == T_IN) {
		next(p);
		t.t = T_NOTIN_MARK;
	}
	if (!is_cmp(t.t) && t.t != T_NOTIN_MARK)
		return a;
	next(p);
	switch (t.t) {
	case T_IN:
	case T_NOTIN_MARK:
		if (p->cur.t != T_LB)
			return unexpected(p, "a list such as [\"a\", \"b\"] after 'in'");
		b = parse_list(p);
		n = binary(p, t.t == T_IN ? N_IN : N_NOTIN, TY_BOOL, a, b, t.pos);
		break;
	case T_RE:
	case T_REI:
	case T_NRE:
	case T_NREI: {
		int rc;
		if (a->ty == TY_BOOL)
			return perr(p, a->pos, "%s needs a string on the left, not a true/false condition",
				    tokname[t.t]);
		if (p->cur.t != T_STR)
			return unexpected(p, "a string literal regex");
		b = string_lit(p, p->cur);
		if (!b)
			return NULL;
		next(p);
		n = binary(p, t.t == T_RE || t.t == T_REI ? N_RE : N_NRE, TY_BOOL,
			   a, b, t.pos);
		if (!n)
			return NULL;
		n->icase = t.t == T_REI || t.t == T_NREI;
		{
			const char *why = NULL;
			size_t at = 0;

			if (re_cost(b->str, &at, 0, &why) > RE_MAX_COST && !why)
				why = "regex too complex (its repetitions expand too far)";
			if (why)
				return perr(p, b->pos, "bad regex %.*s: %s",
					    (int)(b->end - b->pos > 80 ? 80 : b->end - b->pos),
					    p->src + b->pos, why);
		}
		rc = regcomp(&n->re, b->str, REG_EXTENDED | REG_NOSUB |
			     (n->icase ? REG_ICASE : 0));
		if (rc != 0) {
			char msg[200];

			regerror(rc, &n->re, msg, sizeof msg);
			return perr(p, b->pos, "bad regex %.*s: %s",
				    (int)(b->end - b->pos > 80 ? 80 : b->end - b->pos),
				    p->src + b->pos, msg);
		}
		n->hasre = 1;
		n->lit_re = relit_new(b->str, n->icase);
		break;
	}
	default:
		b = parse_sum(p);
		if (!b)
			return NULL;
		op = t.t - T_EQ + N_EQ;
		if (op >= N_LT && (need_num(p, a, opname[op]) ||
				   need_num(p, b, opname[op])))
			return NULL;
		n = binary(p, op, TY_BOOL, a, b, t.pos);
		break;
	}
	if (n && (is_cmp(p->cur.t) || (p->cur.t == T_NOT && peek(p).t == T_IN)))
		return perr(p, p->cur.pos, "comparisons do not chain; join them with 'and'");
	return n;
}

static node *parse_not(parser *p)
{
	tok t = p->cur;
	node *a, *n;

	if (t.t != T_NOT)
		return parse_compare(p);
	if (++p->depth > MAX_DEPTH)
		return perr(p, t.pos, "expression too deeply nested (more than %d levels)",
			    MAX_DEPTH);
	next(p);
	a = parse_not(p);
	p->depth--;
	if (!a)
		return NULL;
	n = mknode(p, N_NOT, TY_BOOL, t.pos, t.end);
	if (!n)
		return NULL;
	n->a = a;
	return set_height(p, n, t.pos) ? NULL : n;
}

static node *parse_and(parser *p)
{
	node *a = parse_not(p);

	while (a && p->cur.t == T_AND) {
		size_t pos = p->cur.pos;

		next(p);
		a = binary(p, N_AND, TY_BOOL, a, parse_not(p), pos);
	}
	return a;
}

static node *parse_expr(parser *p)
{
	node *a;

	if (++p->depth > MAX_DEPTH)
		return perr(p, p->cur.pos, "expression too deeply nested (more than %d levels)",
			    MAX_DEPTH);
	a = parse_and(p);
	while (a && p->cur.t == T_OR) {
		size_t pos = p->cur.pos;

		next(p);
		a = binary(p, N_OR, TY_BOOL, a, parse_and(p), pos);
	}
	p->depth--;
	return a;
}

/* ---------------------------------------------------------------- */
/* Public */

void lk_expr_free(lk_expr *e)
{
	node *n, *nx;

	if (!e)
		return;
	for (n = e->nodes; n; n = nx) {
		nx = n->next;
		if (n->hasre)
			regfree(&n->re);
		relit_free(n->lit_re);
		free(n->str);
		free(n->args);
		free(n->sbuf);
		free(n);
	}
	free(e->src);
	free(e->cols);
	free(e->sbuf);
	free(e);
}

lk_expr *lk_expr_compile(const char *src, const char *const *cols, int ncols,
			 lk_err *err)
{
	parser p;
	lk_expr *e;
	int i, k;

	memset(&p, 0, sizeof p);
	p.src = src ? src : "";
	p.len = strlen(p.src);
	p.cols = cols;
	p.ncols = cols ? ncols : 0;
	p.err = err;
	e = calloc(1, sizeof *e);
	p.used = calloc((size_t)(p.ncols > 0 ? p.ncols : 1), 1);
	if (!e || !p.used) {
		free(e);
		free(p.used);
		nomem(&p);
		return NULL;
	}
	p.e = e;
	e->src = strdup(p.src);
	e->sbuf = malloc(40);
	if (!e->src || !e->sbuf) {
		nomem(&p);
		goto fail;
	}
	p.cur.end = 0;
	next(&p);
	if (p.failed)
		goto fail;
	if (p.cur.t == T_EOF) {
		perr(&p, 0, "empty expression");
		goto fail;
	}
	e->root = parse_expr(&p);
	if (!e->root || p.failed)
		goto fail;
	if (p.cur.t != T_EOF) {
		char buf[64];

		perr(&p, p.cur.pos, "unexpected %s after the end of the expression",
		     show(&p, p.cur.pos, p.cur.end, buf, sizeof buf));
		goto fail;
	}
	for (i = k = 0; i < p.ncols; i++)
		k += p.used[i];
	e->cols = malloc(sizeof *e->cols * (size_t)(k ? k : 1));
	if (!e->cols) {
		nomem(&p);
		goto fail;
	}
	for (i = k = 0; i < p.ncols; i++)
		if (p.used[i])
			e->cols[k++] = i;
	e->ncols = k;
	free(p.used);
	return e;
fail:
	free(p.used);
	lk_expr_free(e);
	return NULL;
}

const int *lk_expr_columns(const lk_expr *e, int *n)
{
	*n = e->ncols;
	return e->cols;
}

const char *lk_expr_source(const lk_expr *e)
{
	return e->src;
}

typedef int (*strcmp_fn)(void *ctx, int col, const char *s, size_t len, long line, long colno);

static int compared_lit(const lk_expr *e, const node *c, const node *l, strcmp_fn fn, void *ctx)
{
	long line, col;

	if (c->op != N_COL || l->op != N_STR)
		return 0;
	where(e->src, l->pos, &line, &col);
	return fn(ctx, c->col, l->lit.s, l->lit.len, line, col);
}

static int walk_compared(const lk_expr *e, const node *n, strcmp_fn fn, void *ctx)
{
	int i, rc;

	if (!n)
		return 0;
	if (n->op == N_EQ || n->op == N_NE) {
		if ((rc = compared_lit(e, n->a, n->b, fn, ctx)) ||
		    (rc = compared_lit(e, n->b, n->a, fn, ctx)))
			return rc;
	} else if ((n->op == N_IN || n->op == N_NOTIN) && n->b && n->b->op == N_LIST) {
		for (i = 0; i < n->b->nargs; i++)
			if ((rc = compared_lit(e, n->a, n->b->args[i], fn, ctx)))
				return rc;
		return 0;
	}
	if ((rc = walk_compared(e, n->a, fn, ctx)) || (rc = walk_compared(e, n->b, fn, ctx)))
		return rc;
	for (i = 0; i < n->nargs; i++)
		if ((rc = walk_compared(e, n->args[i], fn, ctx)))
			return rc;
	return 0;
}

int lk_expr_each_compared_string(const lk_expr *e, strcmp_fn fn, void *ctx)
{
	return e ? walk_compared(e, e->root, fn, ctx) : 0;
}

/* ---------------------------------------------------------------- */
/* Printer */


static int is_operator(const node *n)
{
	return n->op >= N_NEG && n->op <= N_NOT;
}

static int print_node(const lk_expr *e, const node *n, lk_buf *out, int paren);

static int print_span(const lk_expr *e, const node *n, lk_buf *out)
{
	return lk_buf_add(out, e->src + n->pos, n->end - n->pos);
}

static int print_node(const lk_expr *e, const node *n, lk_buf *out, int paren)
{
	int i, r = 0;

	if (paren && is_operator(n))
		r |= lk_buf_addc(out, '(');
	switch (n->op) {
	case N_STR:
	case N_NUM:
	case N_BOOL:
		r |= print_span(e, n, out);
		break;
	case N_COL: {
		int bare = is_id0((unsigned char)n->str[0]);
		const char *q;
		static const char *const kw[] = { "and", "or", "not", "in", "true", "false" };

		for (q = n->str; *q && bare; q++)
			bare = is_id((unsigned char)*q);
		for (i = 0; i < 6 && bare; i++)
			bare = strcmp(n->str, kw[i]) != 0;
		r |= bare ? lk_buf_adds(out, n->str) : lk_buf_addf(out, "${%s}", n->str);
		break;
	}
	case N_LIST:
		r |= lk_buf_addc(out, '[');
		for (i = 0; i < n->nargs; i++) {
			if (i)
				r |= lk_buf_adds(out, ", ");
			r |= print_node(e, n->args[i], out, 1);
		}
		r |= lk_buf_addc(out, ']');
		break;
	case N_FUNC:
		r |= lk_buf_addf(out, "%s(", fns[n->fn].name);
		for (i = 0; i < n->nargs; i++) {
			if (i)
				r |= lk_buf_adds(out, ", ");
			r |= print_node(e, n->args[i], out, 0);
		}
		r |= lk_buf_addc(out, ')');
		break;
	case N_NEG:
		r |= lk_buf_addc(out, '-');
		r |= print_node(e, n->a, out, 1);
		break;
	case N_NOT:
		r |= lk_buf_adds(out, "not ");
		r |= print_node(e, n->a, out, 1);
		break;
	case N_RE:
	case N_NRE:
		r |= print_node(e, n->a, out, 1);
		r |= lk_buf_addf(out, " %s%s ", n->op == N_RE ? "~" : "!~",
				 n->icase ? "*" : "");
		r |= print_span(e, n->b, out);
		break;
	default:
		r |= print_node(e, n->a, out, 1);
		r |= lk_buf_addf(out, " %s ", opname[n->op]);
		r |= print_node(e, n->b, out, 1);
		break;
	}
	if (paren && is_operator(n))
		r |= lk_buf_addc(out, ')');
	return r ? -1 : 0;
}

int lk_expr_print(const lk_expr *e, lk_buf *out)
{
	return print_node(e, e->root, out, 0);
}
