/*
 * expr.h - the one expression language of leadkit.
 *
 * Scoring rules (`when:`), routing rules, nurture track entry and exit,
 * the MQL definition and report filters are all written in this small
 * language.  An expression is compiled once against a CSV header (names
 * resolved to column indices, regexes compiled, literals parsed) and
 * then evaluated for every row without allocating.
 *
 *     title ~* "\b(vp|chief|director)\b"
 *     score >= 60 and grade in ["A", "B"]
 *     empty(email) or domain(email) in ["gmail.com", "yahoo.com"]
 *     status == "Recycled" and days_since(updated_at) > 90d
 *     ${Lead Source} == "Webinar" and not mql
 *
 * Grammar (lowest precedence first; binary operators are left
 * associative, comparisons do not chain):
 *
 *     expr     := or
 *     or       := and { ("or" | "||") and }
 *     and      := not { ("and" | "&&") not }
 *     not      := ("not" | "!") not | compare
 *     compare  := sum [ cmpop sum
 *                     | ("~" | "~*" | "!~" | "!~*") STRING
 *                     | ["not"] "in" list ]
 *     cmpop    := "==" | "!=" | "<" | "<=" | ">" | ">="
 *     sum      := product { ("+" | "-") product }
 *     product  := unary { ("*" | "/") unary }
 *     unary    := "-" unary | primary
 *     primary  := NUMBER | DURATION | STRING | "true" | "false"
 *               | NAME | FUNC "(" [ expr { "," expr } ] ")" | "(" expr ")"
 *     list     := "[" [ item { "," item } [","] ] "]"
 *     item     := STRING | ["-"] NUMBER | ["-"] DURATION | "true" | "false"
 *
 * Names.  A bare identifier [A-Za-z_][A-Za-z0-9_]* names a column, matched
 * exactly (case-sensitive; the first of duplicate headers wins).
 * `${Any Header}` names any header, spaces and punctuation included (it
 * cannot contain '}').  The keywords and, or, not, in, true, false are
 * not column names; write ${and} for a column called "and".  An
 * identifier followed by "(" is a function call, so a column may share a
 * function's name.  A name that is no column is a compile error that
 * suggests the closest column and lists them all.
 *
 * Literals.  Strings in double or single quotes with the escapes \" \'
 * \\ \n \t; any other backslash is kept as it is, so regex escapes such
 * as "\b", "\." and "\w" reach the regex unchanged ("\\." also gives
 * \.).  Numbers: 12, 12.5, .5, 1e3 (a leading "-" is unary minus).
 * Durations: a number with a lower-case unit, as in the model file
 * (lk_duration_parse): s, m (minutes), h, d, w, or spelt sec, min, hr,
 * hour(s), day(s), week(s): 30d, 4h, 90m, 1.5d, 2w, 7days.  A DURATION
 * IS A NUMBER OF DAYS (30d is 30, 4h is 0.1666..., 2w is 14), because
 * the language's clock function, days_since(), counts days:
 * `days_since(last_activity_at) > 30d` and `days_since(last_activity_at)
 * > 30` mean the same.  Lists of literals may only follow `in`.
 *
 * Values.  Every value is a string (a field, a literal, a string
 * function's result), a number (number literals, durations, arithmetic,
 * number(), len(), days_since()), a boolean, or "missing" (a number that
 * could not be computed: number("n/a"), days_since(""), "x" + 1, x / 0).
 * A field of a row shorter than the header is the empty string.
 *
 * A string is a number when, after leading and trailing spaces and tabs,
 * it is entirely [+-]digits[.digits][e[+-]digits] (so "10", " 10.0",
 * "-3", "1e3"; not "", "1,000", "$5", "0x10", "inf", "nan").  Beware:
 * "02134" is then the number 2134.
 *
 * Truthiness (a bare name or value used as a condition: `mql`,
 * `not converted`, `x and y`): a string is false when, after trimming
 * spaces, it is empty, a number equal to zero ("0", "0.0"), or one of
 * "no", "n", "false" in any case; every other string is true, so a
 * column holding yes/no, true/false, 1/0 or Y/N works as a flag.  A number
 * is false when it is zero or missing.
 *
 * Comparisons.
 *   == !=   numeric when both sides are numbers ("10" == "10.0"), else
 *           exact byte comparison (case-sensitive: use lower() to fold).
 *           With a boolean on either side, both sides are compared by
 *           truthiness (`mql == true`).
 *   < <= > >=  need numbers on both sides.
 *   in, not in   membership in a list literal, each item compared as ==.
 *   ~ ~* !~ !~*  POSIX extended regex (regcomp, with glibc's \b \< \> \w
 *           extensions), unanchored; ~* and !~* ignore case.  The regex
 *           must be a string literal; it is compiled once.  The left side
 *           is used as a string (numbers in %.15g form).  Patterns that
 *           are a literal or an alternation of literals, optionally with
 *           ^ $ \b \< \> around them (student|intern,
 *           \b(vp|chief|director)\b, \.edu$), are matched by a built-in
 *           search with regexec's meaning in the C locale (ASCII case
 *           folding and word characters); other patterns go to regexec,
 *           which allocates inside libc on every call.
 * Any comparison (including != and `not in`) with a side that is not a
 * number where a number is needed, or that is missing, is FALSE, and is
 * counted in the evaluation environment: `nonnum` when the value was a
 * non-empty non-number (e.g. "n/a", or missing because of one), `blank`
 * when it was empty (e.g. an empty field, or days_since("")).  So
 * `employees > 100` is false for a lead whose employees is "" or "n/a";
 * write `empty(x) or days_since(x) > 30` when a blank should count as old.
 * Only comparisons actually evaluated count (and/or short-circuit).
 *
 * Arithmetic + - * / and unary minus need numbers; a non-number operand
 * or a division by zero makes the result missing (no error, no count by
 * itself: the comparison that uses it counts).
 *
 * Functions (x is used as a string where a string is wanted):
 *   empty(x)            true when x is empty or only spaces (or missing)
 *   lower(x), upper(x)  ASCII case folding
 *   trim(x)             leading/trailing white space removed
 *   domain(x)           the part after the last '@', trimmed and
 *                       lower-cased; "" when there is no '@'
 *   days_since(ts)      days (fractional) from timestamp ts (any format
 *                       lk_date_parse reads) to env->now; negative for a
 *                       future ts; missing when ts is empty or not a
 *                       date (the latter also counted in env->baddate)
 *   number(x)           x as a number, or missing
 *   len(x)              length of x in UTF-8 characters
 *   contains(x, s), starts_with(x, s), ends_with(x, s)
 *                       case-sensitive substring tests
 *   coalesce(a, b, ...) the first argument that is not empty/missing,
 *                       else the last argument
 *
 * Errors.  lk_expr_compile() fails for a syntax error, an unknown name or
 * function, a wrong number of arguments, an unterminated string or
 * ${...}, a bad duration, a bad regex (with regcomp's message; also
 * refused: back-references, stacked repetitions such as "a++", and
 * repetitions that would expand to more than ~10000 copies), junk
 * after the end, nesting deeper than 256, and type errors visible without
 * data: a list outside `in`, a non-literal regex, arithmetic or < > on a
 * boolean or on a string literal that is not a number, a regex match on a
 * boolean.  The message reads "expression: col N: what" (or "expression:
 * line L, col N: what" for a multi-line source), N being the 1-based
 * character column of the offending token; err->col holds N as well
 * (err->line, file and record are left unset for the caller, e.g. the
 * model loader, to fill in).
 *
 * Ownership and threads.  lk_expr_compile() copies what it needs from
 * its arguments; the result is owned by the caller and released with
 * lk_expr_free().  Evaluation reads the row only during the call.  A
 * string produced by evaluation lives in scratch memory of the compiled
 * expression (allocated at compile time, grown only for unusually long
 * values), so one lk_expr must not be evaluated by two threads at once;
 * compile one per thread instead.
 *
 * Virtual columns.  A caller that wants names that are not (yet) columns,
 * e.g. lead-score's `score`, `fit` and `grade` in its `mql` expression,
 * compiles against the header extended with those names and evaluates
 * with an lk_row whose f/len arrays are extended the same way.
 */
#ifndef LK_EXPR_H
#define LK_EXPR_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/csvio.h"
#include "core/date.h"
#include "core/err.h"

typedef struct lk_expr lk_expr;

/*
 * Per-evaluation context.  The caller sets `now` and `order` and reads
 * the counters, which evaluation only ever increments (zero them when
 * convenient, e.g. per rule to report "rule X: 12 rows had a
 * non-numeric employees").
 */
typedef struct lk_exprenv {
	int64_t now;		/* epoch seconds that days_since() counts to */
	lk_date_order order;	/* how days_since() reads 03/04/2026; 0 = auto */
	long nonnum;		/* comparisons false: a side was a non-empty non-number */
	long blank;		/* comparisons false: a side was empty or missing */
	long baddate;		/* days_since() of a non-empty value that is no date */
} lk_exprenv;

/*
 * Compile `src` against the `ncols` names in `cols` (a header, possibly
 * extended with virtual names).  Returns NULL with err filled (kind
 * LK_EMODEL, or LK_ENOMEM) when the expression is not valid.
 */
lk_expr *lk_expr_compile(const char *src, const char *const *cols, int ncols,
			 lk_err *err);

/* Release a compiled expression; NULL is a no-op. */
void lk_expr_free(lk_expr *e);

/*
 * Evaluate as a condition (truthiness, see above): 1 or 0.  `row` holds
 * the fields: row->f[i] must be NUL-terminated at row->len[i] (as
 * lk_reader rows are); row->len may be NULL (then strlen is used).
 * Fields beyond row->n are empty.  `env` may be NULL: counters are then
 * dropped and days_since() is always missing.
 */
int lk_expr_bool(const lk_expr *e, const lk_row *row, lk_exprenv *env);

/* Evaluate as a number; NaN when the value is not a number or missing
 * (booleans are 1 and 0). */
double lk_expr_num(const lk_expr *e, const lk_row *row, lk_exprenv *env);

/*
 * Evaluate as a string: returns a NUL-terminated string and its length
 * in *len (len may be NULL).  It points into the row or into the
 * expression's scratch memory and stays valid until the next evaluation
 * of `e` or until the row is released.  Numbers are formatted %.15g,
 * booleans as "true"/"false", missing as "".
 */
const char *lk_expr_str(const lk_expr *e, const lk_row *row, lk_exprenv *env,
			size_t *len);

/*
 * The columns the expression reads, as indices into the compile-time
 * column list, ascending and without repeats; *n receives the count.
 * The array belongs to `e`.  Lets a tool say "rule hot needs column
 * last_activity_at" or skip rules whose columns are absent.
 */
const int *lk_expr_columns(const lk_expr *e, int *n);

/*
 * The string literals the expression compares with a bare column by
 * value: `col == "x"`, `"x" != col`, `col in ["x", "y"]`, `col not in
 * [...]` (not through functions such as lower()).  Calls fn once for
 * each, in source order, with the column's index in the compile-time
 * column list, the decoded literal, and its 1-based line and column in
 * the source (as error messages count them); stops at the first
 * non-zero return of fn and returns it, else returns 0.  Lets a caller
 * check values against a vocabulary, e.g. lead-score's stage names.
 */
int lk_expr_each_compared_string(const lk_expr *e,
				 int (*fn)(void *ctx, int col, const char *s, size_t len,
					   long line, long colno),
				 void *ctx);

/* The source text the expression was compiled from (a copy owned by e). */
const char *lk_expr_source(const lk_expr *e);

/*
 * Append the compiled expression to `out` in canonical form: one space
 * around operators, every operand that is itself an operator expression
 * in parentheses (so the parse is visible), names written bare or as
 * ${...}, literals as written.  For lint and `--explain`.  Returns 0, or
 * -1 when out of memory.
 */
int lk_expr_print(const lk_expr *e, lk_buf *out);

#endif
