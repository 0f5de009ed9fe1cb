/*
 * expr_eval.c - numbers, values and evaluation of a compiled expression
 * (expr.h has the rules: truthiness, comparisons, missing values).
 * Nothing here allocates but a function node's scratch, grown rarely.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/expr_int.h"

/* ---------------------------------------------------------------- */
/* Numbers */

static const double p10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/*
 * Read s[0..len) as a number: surrounding spaces and tabs, then
 * [+-]digits[.digits][e[+-]digits] or [+-].digits[...].  Returns 1 and
 * the value, or 0.  Short plain decimals are converted exactly without
 * strtod (an integer below 2^53 divided by an exact power of ten is
 * correctly rounded); everything else goes through strtod.
 */
int lk_expr_parse_num(const char *s, size_t len, double *out)
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
			v->isnum = (signed char)lk_expr_parse_num(v->s, v->len, &v->num);
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
		r = lk_expr_relit_match(n->lit_re, s, len);
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
