/*
 * expr_int.h - what the files of the expression language share inside
 * liblead (not for tools): the tree, values, tokens and the parser's
 * state, and the calls between the files.
 *
 *   expr_lex.c    tokens, and error messages that point into the source
 *   expr_parse.c  the recursive-descent parser and its type checks,
 *                 lk_expr_compile
 *   expr_re.c     regexes: patterns refused before regcomp, and the
 *                 matcher of literal patterns that saves regexec
 *   expr_eval.c   numbers, values and evaluation
 *   expr.c        the rest of expr.h: freeing, the columns read, the
 *                 compared strings and the printer
 *
 * Ownership: every node of an expression is on its lk_expr's `nodes`
 * list and freed with it by lk_expr_free, with what the node owns (a
 * decoded string, a compiled regex, a literal matcher, scratch memory).
 * The parser's state lives on lk_expr_compile's stack.
 */
#ifndef LK_EXPR_INT_H
#define LK_EXPR_INT_H

#include <regex.h>
#include <stddef.h>

#include "model/expr.h"

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

struct fninfo {
	const char *name;
	int minargs, maxargs;	/* maxargs -1: any number */
	int ty;			/* result type */
	int needs_value;	/* 1: a boolean argument is a type error */
};
#define NFNS (F_COALESCE + 1)
/* The functions by F_*: names, arities and types (expr_parse.c). */
extern const struct fninfo lk_expr_fns[NFNS];

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

/* Tokens. */
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

/* Operator spelling by N_*, for messages and the printer (expr_parse.c). */
extern const char *const lk_expr_opname[];

static inline int is_sp(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static inline int is_id0(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static inline int is_id(int c)
{
	return is_id0(c) || (c >= '0' && c <= '9');
}

/* Make v the string s[0..len), its number-ness not yet looked at. */
static inline void set_str(val *v, const char *s, size_t len)
{
	v->t = V_STR;
	v->s = s;
	v->len = len;
	v->isnum = -1;
}

/* expr_lex.c */

/* Line and character column (1-based) of byte offset pos in src. */
void lk_expr_where(const char *src, size_t pos, long *line, long *col);
/* Record the parser's first error, at byte offset pos; returns NULL. */
void *lk_expr_perr(parser *p, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Record running out of memory as the first error; returns NULL. */
void *lk_expr_nomem(parser *p);
/* The text at [pos, end) quoted for "unexpected ..." messages, in buf. */
const char *lk_expr_show(parser *p, size_t pos, size_t end, char *buf, size_t size);
/* Lex one token at byte offset pos; report errors only when `report`. */
tok lk_expr_lex(parser *p, size_t pos, int report);

/* expr_re.c */

struct relit;
/* Why regcomp must not see the pattern (too costly, or not POSIX), or
 * NULL when it may. */
const char *lk_expr_re_refused(const char *re);
/* The literal matcher for a pattern simple enough, else NULL. */
struct relit *lk_expr_relit_new(const char *re, int icase);
void lk_expr_relit_free(struct relit *r);
/* Does s[0..len) match, as regexec would say? */
int lk_expr_relit_match(const struct relit *r, const char *s, size_t len);

/* expr_eval.c */

/* Read s[0..len) as a number (see expr.h): 1 and *out, or 0. */
int lk_expr_parse_num(const char *s, size_t len, double *out);

#endif
