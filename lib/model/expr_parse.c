/*
 * expr_parse.c - the recursive-descent parser of expr.h's grammar: the
 * tree, the type errors visible without data, regexes compiled once,
 * and lk_expr_compile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/expr_int.h"

const struct fninfo lk_expr_fns[NFNS] = {
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

const char *const lk_expr_opname[] = {
	[N_ADD] = "+", [N_SUB] = "-", [N_MUL] = "*", [N_DIV] = "/",
	[N_EQ] = "==", [N_NE] = "!=", [N_LT] = "<", [N_LE] = "<=",
	[N_GT] = ">", [N_GE] = ">=", [N_IN] = "in", [N_NOTIN] = "not in",
	[N_AND] = "and", [N_OR] = "or",
};

/* The parser's cursor: move to the next token (reporting a bad one),
 * or look at it without moving. */
static void next(parser *p)
{
	p->cur = lk_expr_lex(p, p->cur.end, 1);
	if (p->cur.t == T_ERR && !p->failed)
		lk_expr_perr(p, p->cur.pos, "unexpected input");
}

static tok peek(parser *p)
{
	return lk_expr_lex(p, p->cur.end, 0);
}

static node *mknode(parser *p, int op, int ty, size_t pos, size_t end)
{
	node *n = calloc(1, sizeof *n);

	if (!n)
		return lk_expr_nomem(p);
	n->op = (unsigned char)op;
	n->ty = (unsigned char)ty;
	n->pos = pos;
	n->end = end;
	n->height = 1;
	n->next = p->e->nodes;
	p->e->nodes = n;
	return n;
}

/* Nesting past MAX_DEPTH is an error at pos (so recursion stays far
 * from the end of the stack); returns NULL. */
static void *too_deep(parser *p, size_t pos)
{
	return lk_expr_perr(p, pos, "expression too deeply nested (more than %d levels)", MAX_DEPTH);
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
		too_deep(p, pos);
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
		return lk_expr_nomem(p);
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
	n->lit.isnum = (signed char)lk_expr_parse_num(n->str, k, &n->lit.num);
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
	} else if (!lk_expr_parse_num(p->src + t.pos, t.end - t.pos, &d)) {
		return lk_expr_perr(p, t.pos, "bad number '%.*s'",
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
		if (strlen(lk_expr_fns[i].name) == len && memcmp(lk_expr_fns[i].name, s, len) == 0)
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
			return lk_expr_nomem(p);
		dym = lk_did_you_mean(word, p->cols, p->ncols);
		if (dym)
			snprintf(hint, sizeof hint, " (did you mean '%.80s'?)", dym);
		else if (t.t == T_IDENT && find_fn(name, len) >= 0)
			snprintf(hint, sizeof hint, " (%s is a function: write %s(...))",
				 word, word);
		list_names(p->cols, p->ncols, cols, sizeof cols);
		lk_expr_perr(p, t.pos, "unknown column '%.100s'%s; %s%s", word, hint,
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
		return lk_expr_nomem(p);
	p->used[i] = 1;
	return n;
}

/* Append a to n's arguments (a call's, or a list's items), the array
 * growing from `first` entries; -1 when memory runs out. */
static int push_arg(parser *p, node *n, node *a, int *cap, int first)
{
	node **args;

	if (n->nargs == *cap) {
		*cap = *cap ? *cap * 2 : first;
		args = realloc(n->args, sizeof *args * (size_t)*cap);
		if (!args) {
			lk_expr_nomem(p);
			return -1;
		}
		n->args = args;
	}
	n->args[n->nargs++] = a;
	return 0;
}

static node *parse_expr(parser *p);

static node *call(parser *p, tok name)
{
	const char *s = p->src + name.pos;
	size_t len = name.end - name.pos;
	int f = find_fn(s, len), cap = 0, i;
	node *n, *a;
	char hint[100] = "", list[300];

	if (f < 0) {
		const char *names[NFNS];
		const char *dym;
		char *word = strndup(s, len);

		if (!word)
			return lk_expr_nomem(p);
		for (i = 0; i < NFNS; i++)
			names[i] = lk_expr_fns[i].name;
		dym = lk_did_you_mean(word, names, NFNS);
		if (dym)
			snprintf(hint, sizeof hint, " (did you mean '%s'?)", dym);
		list_names(names, NFNS, list, sizeof list);
		lk_expr_perr(p, name.pos, "unknown function '%.100s'%s; functions are: %s",
			     word, hint, list);
		free(word);
		return NULL;
	}
	n = mknode(p, N_FUNC, lk_expr_fns[f].ty, name.pos, name.end);
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
			if (lk_expr_fns[f].needs_value && (a->ty == TY_BOOL))
				return lk_expr_perr(p, a->pos, "%s() needs a value, not a true/false "
						    "condition", lk_expr_fns[f].name);
			if (push_arg(p, n, a, &cap, 2) < 0)
				return NULL;
			if (p->cur.t != T_COMMA)
				break;
			next(p);
		}
		if (p->cur.t != T_RP) {
			char buf[64];

			return lk_expr_perr(p, p->cur.pos, "expected ',' or ')' in %s(), found %s",
					    lk_expr_fns[f].name, p->cur.t == T_EOF ? "end of expression" :
					    lk_expr_show(p, p->cur.pos, p->cur.end, buf, sizeof buf));
		}
	}
	next(p);
	if (n->nargs < lk_expr_fns[f].minargs ||
	    (lk_expr_fns[f].maxargs >= 0 && n->nargs > lk_expr_fns[f].maxargs)) {
		if (lk_expr_fns[f].maxargs < 0)
			return lk_expr_perr(p, name.pos, "%s() takes at least %d argument%s, got %d",
					    lk_expr_fns[f].name, lk_expr_fns[f].minargs,
					    lk_expr_fns[f].minargs == 1 ? "" : "s", n->nargs);
		return lk_expr_perr(p, name.pos, "%s() takes %d argument%s, got %d",
				    lk_expr_fns[f].name, lk_expr_fns[f].minargs,
				    lk_expr_fns[f].minargs == 1 ? "" : "s", n->nargs);
	}
	if (set_height(p, n, name.pos))
		return NULL;
	n->sbuf = malloc(64);
	if (!n->sbuf)
		return lk_expr_nomem(p);
	n->scap = 64;
	return n;
}

static void *unexpected(parser *p, const char *wanted)
{
	char buf[64];

	if (p->cur.t == T_EOF)
		return lk_expr_perr(p, p->cur.pos, "expected %s, found end of expression", wanted);
	return lk_expr_perr(p, p->cur.pos, "expected %s, found %s", wanted,
			    p->cur.t == T_STR || p->cur.t == T_NAME || p->cur.t == T_IDENT ||
			    p->cur.t == T_NUM || p->cur.t == T_DUR ?
			    lk_expr_show(p, p->cur.pos, p->cur.end, buf, sizeof buf) : tokname[p->cur.t]);
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
		return lk_expr_perr(p, t.pos, "a list [...] can only follow 'in' or 'not in'");
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
		lk_expr_perr(p, n->pos, "'%s' needs numbers, not a true/false condition", op);
		return -1;
	}
	if (n->op == N_STR && !n->lit.isnum) {
		lk_expr_perr(p, n->pos, "'%s' needs numbers; %.*s is not a number", op,
			     (int)(n->end - n->pos > 60 ? 60 : n->end - n->pos), p->src + n->pos);
		return -1;
	}
	return 0;
}

/*
 * The operand of the prefix operator t ('-' or 'not'), parsed by `self`,
 * the operator's own rule: nesting is counted, so a long run of
 * prefixes ends in an error rather than at the end of the stack.
 */
static node *prefix_operand(parser *p, tok t, node *(*self)(parser *))
{
	node *a;

	if (++p->depth > MAX_DEPTH)
		return too_deep(p, t.pos);
	next(p);
	a = self(p);
	p->depth--;
	return a;
}

/* The node of the prefix operator t over its operand a. */
static node *prefix_node(parser *p, int op, int ty, tok t, node *a)
{
	node *n = mknode(p, op, ty, t.pos, t.end);

	if (!n)
		return NULL;
	n->a = a;
	return set_height(p, n, t.pos) ? NULL : n;
}

static node *parse_unary(parser *p)
{
	tok t = p->cur;
	node *a;

	if (t.t != T_MINUS)
		return parse_primary(p);
	a = prefix_operand(p, t, parse_unary);
	if (need_num(p, a, "-"))
		return NULL;
	if (a->op == N_NUM) {	/* fold -5 into a literal */
		a->lit.num = -a->lit.num;
		if (a->lit.num == 0)
			a->lit.num = 0;
		a->pos = t.pos;
		return a;
	}
	return prefix_node(p, N_NEG, TY_NUM, t, a);
}

/*
 * sum := product { ("+" | "-") product } with `sum`, else
 * product := unary { ("*" | "/") unary }: left associative, and every
 * operand must be able to be a number.
 */
static node *parse_arith(parser *p, int sum)
{
	int t1 = sum ? T_PLUS : T_STAR, t2 = sum ? T_MINUS : T_SLASH;
	node *a = sum ? parse_arith(p, 0) : parse_unary(p), *b;

	while (a && (p->cur.t == t1 || p->cur.t == t2)) {
		tok t = p->cur;
		int op = t.t == T_PLUS ? N_ADD : t.t == T_MINUS ? N_SUB : t.t == T_STAR ? N_MUL : N_DIV;

		next(p);
		b = sum ? parse_arith(p, 0) : parse_unary(p);
		if (need_num(p, a, lk_expr_opname[op]) || need_num(p, b, lk_expr_opname[op]))
			return NULL;
		a = binary(p, op, TY_NUM, a, b, t.pos);
	}
	return a;
}

static int is_cmp(int t)
{
	return (t >= T_EQ && t <= T_NREI) || t == T_IN;
}

static node *parse_list(parser *p)
{
	node *l = mknode(p, N_LIST, TY_LIST, p->cur.pos, p->cur.pos), *it;
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
				return lk_expr_perr(p, p->cur.pos, "a list holds literals only (strings, numbers, true, false)");
			return unexpected(p, neg ? "a number after '-'" : "a list item or ']'");
		}
		next(p);
		if (push_arg(p, l, it, &cap, 4) < 0)
			return NULL;
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

static node *parse_compare(parser *p)
{
	node *a = parse_arith(p, 1), *b, *n;
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
			return lk_expr_perr(p, a->pos, "%s needs a string on the left, not a true/false condition",
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
			const char *why = lk_expr_re_refused(b->str);

			if (why)
				return lk_expr_perr(p, b->pos, "bad regex %.*s: %s",
						    (int)(b->end - b->pos > 80 ? 80 : b->end - b->pos),
						    p->src + b->pos, why);
		}
		rc = regcomp(&n->re, b->str, REG_EXTENDED | REG_NOSUB |
			     (n->icase ? REG_ICASE : 0));
		if (rc != 0) {
			char msg[200];

			regerror(rc, &n->re, msg, sizeof msg);
			return lk_expr_perr(p, b->pos, "bad regex %.*s: %s",
					    (int)(b->end - b->pos > 80 ? 80 : b->end - b->pos),
					    p->src + b->pos, msg);
		}
		n->hasre = 1;
		n->lit_re = lk_expr_relit_new(b->str, n->icase);
		break;
	}
	default:
		b = parse_arith(p, 1);
		if (!b)
			return NULL;
		op = t.t - T_EQ + N_EQ;
		if (op >= N_LT && (need_num(p, a, lk_expr_opname[op]) ||
				   need_num(p, b, lk_expr_opname[op])))
			return NULL;
		n = binary(p, op, TY_BOOL, a, b, t.pos);
		break;
	}
	if (n && (is_cmp(p->cur.t) || (p->cur.t == T_NOT && peek(p).t == T_IN)))
		return lk_expr_perr(p, p->cur.pos, "comparisons do not chain; join them with 'and'");
	return n;
}

static node *parse_not(parser *p)
{
	tok t = p->cur;
	node *a;

	if (t.t != T_NOT)
		return parse_compare(p);
	a = prefix_operand(p, t, parse_not);
	if (!a)
		return NULL;
	return prefix_node(p, N_NOT, TY_BOOL, t, a);
}

/*
 * or := and { ("or" | "||") and } with `or`, else
 * and := not { ("and" | "&&") not }: left associative.
 */
static node *parse_bool(parser *p, int or)
{
	int tt = or ? T_OR : T_AND, op = or ? N_OR : N_AND;
	node *a = or ? parse_bool(p, 0) : parse_not(p);

	while (a && p->cur.t == tt) {
		size_t pos = p->cur.pos;

		next(p);
		a = binary(p, op, TY_BOOL, a, or ? parse_bool(p, 0) : parse_not(p), pos);
	}
	return a;
}

static node *parse_expr(parser *p)
{
	node *a;

	if (++p->depth > MAX_DEPTH)
		return too_deep(p, p->cur.pos);
	a = parse_bool(p, 1);
	p->depth--;
	return a;
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
		lk_expr_nomem(&p);
		return NULL;
	}
	p.e = e;
	e->src = strdup(p.src);
	e->sbuf = malloc(40);
	if (!e->src || !e->sbuf) {
		lk_expr_nomem(&p);
		goto fail;
	}
	p.cur.end = 0;
	next(&p);
	if (p.failed)
		goto fail;
	if (p.cur.t == T_EOF) {
		lk_expr_perr(&p, 0, "empty expression");
		goto fail;
	}
	e->root = parse_expr(&p);
	if (!e->root || p.failed)
		goto fail;
	if (p.cur.t != T_EOF) {
		char buf[64];

		lk_expr_perr(&p, p.cur.pos, "unexpected %s after the end of the expression",
			     lk_expr_show(&p, p.cur.pos, p.cur.end, buf, sizeof buf));
		goto fail;
	}
	for (i = k = 0; i < p.ncols; i++)
		k += p.used[i];
	e->cols = malloc(sizeof *e->cols * (size_t)(k ? k : 1));
	if (!e->cols) {
		lk_expr_nomem(&p);
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
