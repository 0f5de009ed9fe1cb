/*
 * expr.c - the expression language; see expr.h for the manual and
 * expr_int.h for the files that make it up.  Here: freeing, the columns
 * an expression reads, the strings it compares, and the printer.
 */
#include <stdlib.h>
#include <string.h>

#include "model/expr_int.h"

void lk_expr_free(lk_expr *e)
{
	node *n, *nx;

	if (!e)
		return;
	for (n = e->nodes; n; n = nx) {
		nx = n->next;
		if (n->hasre)
			regfree(&n->re);
		lk_expr_relit_free(n->lit_re);
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
	lk_expr_where(e->src, l->pos, &line, &col);
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

/* A call's arguments or a list's items, separated by ", ". */
static int print_args(const lk_expr *e, const node *n, lk_buf *out, int paren)
{
	int i, r = 0;

	for (i = 0; i < n->nargs; i++) {
		if (i)
			r |= lk_buf_adds(out, ", ");
		r |= print_node(e, n->args[i], out, paren);
	}
	return r;
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
		r |= print_args(e, n, out, 1);
		r |= lk_buf_addc(out, ']');
		break;
	case N_FUNC:
		r |= lk_buf_addf(out, "%s(", lk_expr_fns[n->fn].name);
		r |= print_args(e, n, out, 0);
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
		r |= lk_buf_addf(out, " %s ", lk_expr_opname[n->op]);
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
