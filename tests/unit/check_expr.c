/*
 * Unit tests for lib/expr: the expression language.  Every expected
 * value below is worked out from expr.h's rules, not copied from a run.
 */
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "model/expr.h"

/* The header every test compiles against; "and" is a column only ${}
 * can name. */
static const char *const H[] = {
	"title", "score", "grade", "email", "created_at", "Job Title", "mql",
	"employees", "status", "note", "and"
};
#define NH ((int)(sizeof H / sizeof H[0]))
#define COLS "title, score, grade, email, created_at, Job Title, mql, employees, status, note, and"

/* The standard row, fields separated by '|'. */
#define ROW "Senior VP Sales|65|A|Bob@Example.COM |2026-01-01|CTO|yes|500|Open|  x\t|conj"

/* "Now" for days_since: 2026-01-31T00:00:00Z. */
static int64_t now(void)
{
	return lk_days_from_civil(2026, 1, 31) * 86400;
}

/* A row built from a '|'-separated spec; an empty spec is a row of no
 * fields. */
typedef struct trow {
	char *buf;
	char *f[32];
	size_t len[32];
	lk_row r;
} trow;

static void mkrow(trow *t, const char *spec)
{
	char *p;
	int n = 0;

	memset(t, 0, sizeof *t);
	t->buf = strdup(spec);
	ck_assert_ptr_nonnull(t->buf);
	if (*spec) {
		for (p = t->buf;; p++) {
			char *bar = strchr(p, '|');

			t->f[n] = p;
			t->len[n] = bar ? (size_t)(bar - p) : strlen(p);
			n++;
			if (!bar)
				break;
			*bar = '\0';
			p = bar;
		}
	}
	t->r.n = n;
	t->r.f = t->f;
	t->r.len = t->len;
}

static lk_expr *comp(const char *src)
{
	lk_err err;
	lk_expr *e;

	lk_err_clear(&err);
	e = lk_expr_compile(src, H, NH, &err);
	ck_assert_msg(e != NULL, "%s: %s", src, err.msg);
	return e;
}

static int evb_env(const char *src, const char *spec, lk_exprenv *env)
{
	lk_expr *e = comp(src);
	trow t;
	int r;

	mkrow(&t, spec);
	r = lk_expr_bool(e, &t.r, env);
	free(t.buf);
	lk_expr_free(e);
	return r;
}

static int evb(const char *src, const char *spec)
{
	lk_exprenv env = { 0 };

	env.now = now();
	return evb_env(src, spec, &env);
}

/* Numeric value of src against the standard row. */
static double evn(const char *src, const char *spec)
{
	lk_exprenv env = { 0 };
	lk_expr *e = comp(src);
	trow t;
	double d;

	env.now = now();
	mkrow(&t, spec);
	d = lk_expr_num(e, &t.r, &env);
	free(t.buf);
	lk_expr_free(e);
	return d;
}

/* Assert src is true / false on the standard row or on a given row. */
#define T(src) ck_assert_msg(evb(src, ROW) == 1, "expected true: %s", src)
#define F(src) ck_assert_msg(evb(src, ROW) == 0, "expected false: %s", src)
#define TR(src, row) ck_assert_msg(evb(src, row) == 1, "expected true: %s on %s", src, row)
#define FR(src, row) ck_assert_msg(evb(src, row) == 0, "expected false: %s on %s", src, row)

/* Assert src fails to compile with exactly `msg` at column `col`. */
static void fails(const char *src, long col, const char *msg)
{
	lk_err err;
	lk_expr *e;

	lk_err_clear(&err);
	e = lk_expr_compile(src, H, NH, &err);
	ck_assert_msg(e == NULL, "compiled but should not: %s", src);
	ck_assert_str_eq(err.msg, msg);
	ck_assert_int_eq(err.col, col);
	ck_assert_int_eq(err.kind, LK_EMODEL);
}

/* The compiled expression printed back. */
static void prints(const char *src, const char *want)
{
	lk_expr *e = comp(src);
	lk_buf b = LK_BUF_INIT;

	ck_assert_int_eq(lk_expr_print(e, &b), 0);
	ck_assert_str_eq(lk_buf_str(&b), want);
	ck_assert_str_eq(lk_expr_source(e), src);
	lk_buf_free(&b);
	lk_expr_free(e);
}

START_TEST(truthiness)
{
	T("mql");
	FR("mql", "||||||no");
	FR("mql", "||||||No");
	FR("mql", "||||||N");
	FR("mql", "||||||n");
	FR("mql", "||||||FALSE");
	FR("mql", "||||||0");
	FR("mql", "||||||0.0");
	FR("mql", "||||||00");
	FR("mql", "||||||");
	FR("mql", "||||||  ");
	FR("mql", "|||||| no ");
	TR("mql", "||||||Y");
	TR("mql", "||||||1");
	TR("mql", "||||||true");
	TR("mql", "||||||0.5");
	TR("mql", "||||||nope");	/* only the listed words are false */
	FR("mql", "");			/* missing field: empty */
	T("\"abc\"");
	F("\"\"");
	F("'0'");
	T("1");
	F("0");
	F("0.0");
	T("-2");
	T("true");
	F("false");
	T("not false");
	F("not mql");
	/* A number is false when missing. */
	F("number(title)");
	F("1 / 0");
}
END_TEST

START_TEST(equality_numeric_or_string)
{
	T("score == 65");
	T("score == 65.0");
	T("score == \"65\"");
	T("score == \"65.00\"");
	T("65 == score");
	TR("score == 10", "|10.0");
	TR("score == 10", "| 10 ");
	TR("score == 1000", "|1e3");
	TR("score == -3", "|-3");
	TR("score == 3", "|+3");
	FR("score == 1000", "|1,000");	/* not a number: string comparison */
	FR("score == 16", "|0x10");
	FR("score == 0", "|abc");
	TR("score != 0", "|abc");
	TR("score == \"02134\"", "|2134");	/* both numbers */
	TR("\"10\" == \"10.0\"", "");
	T("title == \"Senior VP Sales\"");
	F("title == \"senior vp sales\"");	/* case-sensitive */
	F("title == \"Senior VP Sales \"");	/* exact bytes */
	T("title != \"CEO\"");
	T("grade == 'A'");
	T("status == \"Open\"");
	F("status != \"Open\"");
	T("email == \"Bob@Example.COM \"");
	/* A number against a non-number is never equal. */
	F("len(title) == \"abc\"");
	T("len(title) != \"abc\"");
	T("len(title) == \"15\"");
	/* Booleans compare by truthiness. */
	T("mql == true");
	F("mql == false");
	TR("mql == false", "||||||no");
	T("true == 1");
	T("false != \"yes\"");
	T("empty(note) == false");
	/* Fields against fields. */
	TR("score == employees", "|7||||||7.0");
	FR("score == employees", "|7||||||8");
	TR("title == note", "a|||||||||a");
	FR("title == note", "a|||||||||A");
}
END_TEST

START_TEST(ordering_needs_numbers)
{
	lk_exprenv env = { 0 };

	T("score > 60");
	T("score >= 65");
	F("score > 65");
	T("score <= 65");
	T("score < 65.5");
	F("score < 65");
	T("employees > score");
	T("score < employees");
	TR("score < -1", "|-2");
	TR("score > 1", "| 2\t");
	/* Non-numbers: false both ways, and counted. */
	env.now = now();
	ck_assert_int_eq(evb_env("employees > 100", "|||||||n/a", &env), 0);
	ck_assert_int_eq(evb_env("employees <= 100", "|||||||n/a", &env), 0);
	ck_assert_int_eq(env.nonnum, 2);
	ck_assert_int_eq(env.blank, 0);
	/* `not` of a false comparison is true, and the comparison still counts. */
	ck_assert_int_eq(evb_env("not (employees > 100)", "|||||||n/a", &env), 1);
	ck_assert_int_eq(env.nonnum, 3);
	/* Empty and missing fields count as blank, not as junk. */
	ck_assert_int_eq(evb_env("employees > 100", "|||||||", &env), 0);
	ck_assert_int_eq(evb_env("employees < 100", "title", &env), 0);
	ck_assert_int_eq(evb_env("employees < 100", "|||||||  ", &env), 0);
	ck_assert_int_eq(env.blank, 3);
	ck_assert_int_eq(env.nonnum, 3);
	/* One count per comparison, only when evaluated. */
	memset(&env, 0, sizeof env);
	ck_assert_int_eq(evb_env("false and employees > 1", "|||||||x", &env), 0);
	ck_assert_int_eq(evb_env("true or employees > 1", "|||||||x", &env), 1);
	ck_assert_int_eq(env.nonnum, 0);
	ck_assert_int_eq(evb_env("employees > score", "|x||||||y", &env), 0);
	ck_assert_int_eq(env.nonnum, 1);
	/* == and != with a missing number are both false, and counted. */
	memset(&env, 0, sizeof env);
	ck_assert_int_eq(evb_env("number(employees) == 5", "|||||||n/a", &env), 0);
	ck_assert_int_eq(evb_env("number(employees) != 5", "|||||||n/a", &env), 0);
	ck_assert_int_eq(evb_env("number(employees) != 5", "|||||||", &env), 0);
	ck_assert_int_eq(env.nonnum, 2);
	ck_assert_int_eq(env.blank, 1);
}
END_TEST

START_TEST(arithmetic_and_precedence)
{
	lk_exprenv env = { 0 };

	T("2 + 3 * 4 == 14");
	T("(2 + 3) * 4 == 20");
	T("10 - 4 - 3 == 3");		/* left associative */
	T("12 / 4 / 3 == 1");
	T("-2 * 3 == -6");
	T("- score == -65");
	T("-(-score) == 65");
	T("2 - -3 == 5");
	T("score + 10 > 70");
	T("score * 2 == 130");
	T("score / 2 == 32.5");
	T("score + employees == 565");
	T("0.1 + 0.2 == 0.3 or 0.1 + 0.2 != 0.3");	/* no crash either way */
	ck_assert(evn("score * 2", ROW) == 130);
	ck_assert(evn("7 / 2", ROW) == 3.5);
	ck_assert(isnan(evn("title + 1", ROW)));
	ck_assert(isnan(evn("1 / 0", ROW)));
	/* A non-number operand makes the result missing; its comparison
	 * counts it as junk (or as blank for an empty operand). */
	env.now = now();
	ck_assert_int_eq(evb_env("employees + 1 > 0", "|||||||n/a", &env), 0);
	ck_assert_int_eq(evb_env("1 / 0 > 0", "", &env), 0);
	ck_assert_int_eq(env.nonnum, 2);
	ck_assert_int_eq(evb_env("employees * 2 < 10", "|||||||", &env), 0);
	ck_assert_int_eq(env.blank, 1);
	/* Logic: and binds tighter than or; not looser than comparison. */
	T("true or false and false");		/* true or (false and false) */
	F("(true or false) and false");
	F("not false and false");		/* (not false) and false */
	T("not (false and false)");
	T("not score == 1");			/* not (score == 1) */
	T("score > 1 and grade == \"A\" or false");
	T("false or score > 1 and grade == \"A\"");
	F("false or score > 1 and grade == \"B\"");
	/* Symbolic spellings. */
	T("score > 1 && grade == \"A\"");
	T("false || mql");
	T("!false");
	T("! empty(title)");
	T("!(score < 1)");
}
END_TEST

START_TEST(membership)
{
	lk_exprenv env = { 0 };

	T("grade in [\"A\", \"B\"]");
	F("grade in [\"a\", \"b\"]");
	T("grade not in [\"C\", \"D\"]");
	F("grade not in [\"A\"]");
	T("score in [64, 65, 66]");
	TR("score in [65]", "|65.0");
	T("score in [\"65\"]");
	T("score in [\"x\", 65,]");		/* trailing comma */
	TR("score in [-1]", "|-1");
	F("title in []");
	T("title not in []");
	T("mql in [true]");
	F("mql in [false]");
	T("1d in [1]");
	T("lower(grade) in [\"a\"]");
	T("not grade in [\"Z\"]");		/* not (grade in [...]) */
	env.now = now();
	ck_assert_int_eq(evb_env("number(employees) in [1, 2]", "|||||||n/a", &env), 0);
	ck_assert_int_eq(evb_env("number(employees) not in [1, 2]", "|||||||n/a", &env), 0);
	ck_assert_int_eq(env.nonnum, 2);
}
END_TEST

START_TEST(regex)
{
	F("title ~ \"vp\"");
	T("title ~ \"VP\"");
	T("title ~* \"vp\"");
	T("title !~ \"vp\"");
	F("title !~* \"vp\"");
	T("title ~ \"^Senior\"");
	F("title ~ \"^VP\"");
	T("title ~* \"sales$\"");
	T("title ~* \"\\b(vp|chief|director)\\b\"");
	FR("title ~* \"\\b(vp|chief|director)\\b\"", "MVP Award");
	TR("title ~* \"\\b(vp|chief|director)\\b\"", "VP, Marketing");
	TR("title ~* \"\\b(vp|chief|director)\\b\"", "Chief of Staff");
	FR("title ~* \"\\b(vp|chief|director)\\b\"", "Directory Admin");
	TR("title ~* \"\\<intern\\>\"", "Summer Intern");
	/* "\\." and "\." are both a literal dot. */
	TR("note ~ \"a\\\\.b\"", "|||||||||a.b");
	FR("note ~ \"a\\\\.b\"", "|||||||||axb");
	TR("note ~ \"a\\.b\"", "|||||||||a.b");
	FR("note ~ \"a\\.b\"", "|||||||||axb");
	T("title ~ 'S.*s'");
	T("score ~ \"^6[0-9]$\"");
	T("len(title) ~ \"^15$\"");
	/* Empty and missing fields are the empty string. */
	TR("status ~ \"^$\"", "x");
	T("title ~ \"\"");
	T("domain(email) ~ \"^example\\\\.com$\"");
}
END_TEST

/* Simple patterns are matched without regexec: they must agree with it. */
START_TEST(regex_fast_path_agrees_with_regexec)
{
	static const char *const pats[] = {
		"vp", "VP", "^Senior", "sales$", "^vp$", "\\b(vp|chief|director)\\b",
		"\\<intern\\>", "\\bvp", "vp\\b", "\\<vp", "vp\\>", "a\\.b",
		"student|intern", "(x|yy|zzz)", "^(ab|a)$", "\\b_x\\b", "\\.com$",
		"c\\+\\+", "a-b", "@gmail", "\\b(a|ab)\\b", "^a|b$", "\\b-\\b",
		"(vp)", "^\\bvp\\b$", "\\<-", "-\\>", "x y", "\"q\"",
	};
	static const char *const subj[] = {
		"", "vp", "VP", "Senior VP Sales", "MVP", "vp_x", "_x", "a _x b",
		"vp-x", "x.vp", "Intern", "internship", "summer intern", "a.b",
		"axb", "a.com", "c++ dev", "ab", "a", "yy", "zz", "x@gmail.com",
		"ab a", "Senior", "sales", "xvp", "vp9", "9vp", "a-b", "a - b",
		"x y", "say \"q\"", "-", "b", "Vp, CFO", "\xc3\xa9vp",
	};
	size_t i, j, k;
	int icase;

	for (i = 0; i < sizeof pats / sizeof pats[0]; i++) {
		for (icase = 0; icase < 2; icase++) {
			char src[200];
			regex_t re;
			lk_expr *e;

			/* The pattern as an expression string literal. */
			k = (size_t)snprintf(src, sizeof src, "title %s \"", icase ? "~*" : "~");
			for (j = 0; pats[i][j]; j++) {
				if (pats[i][j] == '"' || pats[i][j] == '\\')
					src[k++] = '\\';
				src[k++] = pats[i][j];
			}
			src[k++] = '"';
			src[k] = '\0';
			e = comp(src);
			ck_assert_int_eq(regcomp(&re, pats[i], REG_EXTENDED | REG_NOSUB |
						 (icase ? REG_ICASE : 0)), 0);
			for (j = 0; j < sizeof subj / sizeof subj[0]; j++) {
				trow t;
				int want = regexec(&re, subj[j], 0, NULL, 0) == 0;

				mkrow(&t, "");
				t.f[0] = (char *)subj[j];
				t.len[0] = strlen(subj[j]);
				t.r.n = 1;
				ck_assert_msg(lk_expr_bool(e, &t.r, NULL) == want,
					      "%s on '%s': want %d", src, subj[j], want);
				free(t.buf);
			}
			regfree(&re);
			lk_expr_free(e);
		}
	}
}
END_TEST

START_TEST(functions)
{
	lk_exprenv env = { 0 };
	lk_expr *e;
	trow t;
	size_t len;
	const char *s;

	/* empty */
	T("empty(status) == false");
	TR("empty(status)", "||||||||");
	TR("empty(status)", "|||||||| \t ");
	TR("empty(status)", "x");
	T("empty(number(title))");
	F("empty(score)");
	/* lower, upper, trim */
	T("lower(title) == \"senior vp sales\"");
	T("upper(title) == \"SENIOR VP SALES\"");
	T("upper(lower(grade)) == \"A\"");
	T("trim(note) == \"x\"");
	T("note != \"x\"");
	T("trim(\"  a b  \") == \"a b\"");
	T("len(trim(note)) == 1");
	/* domain */
	T("domain(email) == \"example.com\"");
	TR("domain(email) == \"c.com\"", "|||a@b@c.com");
	TR("domain(email) == \"\"", "|||nobody");
	TR("empty(domain(email))", "|||x@");
	/* number */
	T("number(score) == 65");
	T("number(\"1e2\") == 100");
	T("number(\" 7 \") == 7");
	F("number(title) == 0");
	/* len counts characters, not bytes */
	T("len(title) == 15");
	T("len(\"h\xc3\xa9llo\") == 5");
	T("len(\"\") == 0");
	T("len(status) == 4");
	TR("len(status) == 0", "x");
	/* contains, starts_with, ends_with: case-sensitive */
	T("contains(title, \"VP\")");
	F("contains(title, \"vp\")");
	T("contains(lower(title), \"vp\")");
	T("contains(title, \"\")");
	T("contains(title, \"Sales\")");
	F("contains(grade, \"AA\")");
	T("contains(email, domain(\"x@Example\"))" " == false");
	T("starts_with(title, \"Senior\")");
	F("starts_with(title, \"VP\")");
	T("ends_with(title, \"Sales\")");
	F("ends_with(title, \"Sale\")");
	T("ends_with(email, \".COM \")");
	T("starts_with(score, 6)");
	/* coalesce: first not empty, else the last */
	T("coalesce(status, title) == \"Open\"");
	TR("coalesce(status, title) == \"x\"", "x");
	TR("coalesce(status, note, \"none\") == \"none\"", "x||||||||");
	TR("coalesce(number(employees), 0) == 0", "|||||||n/a");
	T("coalesce(number(employees), 0) == 500");
	T("coalesce(grade) == \"A\"");
	TR("coalesce(status) == \"\"", "");
	/* days_since: days from the timestamp to env.now */
	T("days_since(created_at) == 30");
	T("days_since(created_at) > 4w");	/* 30 > 28 */
	F("days_since(created_at) > 30d");
	T("days_since(created_at) >= 30d");
	T("days_since(created_at) < 31");
	TR("days_since(created_at) == -10", "||||2026-02-10");
	TR("days_since(created_at) == 0.5", "||||2026-01-30T12:00:00Z");
	TR("days_since(created_at) < 5h and days_since(created_at) > 3h",
	   "||||2026-01-30T20:00:00Z");		/* 4 hours */
	TR("days_since(created_at) == 1", "||||2026-01-30T02:00:00+02:00");
	ck_assert(fabs(evn("days_since(created_at)", "||||2026-01-30T20:00:00Z") - 4.0 / 24) < 1e-12);
	/* Bad and blank timestamps: false, counted apart. */
	env.now = now();
	ck_assert_int_eq(evb_env("days_since(created_at) > 1", "||||soon", &env), 0);
	ck_assert_int_eq(evb_env("days_since(created_at) <= 1", "||||soon", &env), 0);
	ck_assert_int_eq(env.baddate, 2);
	ck_assert_int_eq(env.nonnum, 2);
	ck_assert_int_eq(evb_env("days_since(created_at) > 1", "||||", &env), 0);
	ck_assert_int_eq(evb_env("empty(created_at) or days_since(created_at) > 30", "||||", &env), 1);
	ck_assert_int_eq(env.baddate, 2);
	ck_assert_int_eq(env.blank, 1);
	/* Without an environment days_since is missing. */
	e = comp("days_since(created_at) > 1");
	mkrow(&t, ROW);
	ck_assert_int_eq(lk_expr_bool(e, &t.r, NULL), 0);
	lk_expr_free(e);
	/* A string function's result as the whole expression. */
	e = comp("domain(email)");
	s = lk_expr_str(e, &t.r, &env, &len);
	ck_assert_str_eq(s, "example.com");
	ck_assert_uint_eq(len, 11);
	lk_expr_free(e);
	free(t.buf);
}
END_TEST

START_TEST(strings_and_escapes)
{
	TR("note == \"a\\\"b\"", "|||||||||a\"b");
	TR("note == 'a\\'b'", "|||||||||a'b");
	TR("note == 'a\"b'", "|||||||||a\"b");
	TR("note == \"a'b\"", "|||||||||a'b");
	TR("note == \"a\\\\b\"", "|||||||||a\\b");
	TR("len(\"a\\\\b\") == 3", "");
	TR("len(\"\\b\") == 2", "");		/* unknown escape keeps its backslash */
	TR("len(\"\\n\\t\") == 2", "");
	TR("contains(\"a\\nb\", \"\\n\")", "");
	TR("\"\\t\" ~ \"\t\"", "");
	TR("note == \"\"", "");
}
END_TEST

START_TEST(durations_are_days)
{
	T("1d == 1");
	T("30d == 30");
	T("2w == 14");
	T("12h * 2 == 1d");
	T("36h == 1.5d");
	T("90m == 1.5h");
	T("30s == 0.5m");
	T("-3d == -3");
	T("7days == 1w");
	T("2 * 3d == 6");
	ck_assert(fabs(evn("4h", "") - 1.0 / 6) < 1e-15);
}
END_TEST

START_TEST(names_and_missing_fields)
{
	lk_expr *e;
	trow t;

	T("${Job Title} == \"CTO\"");
	T("${score} == 65");
	T("${and} == \"conj\"");
	T("${Job Title} ~* \"^c\"");
	/* A function name used as a column name. */
	{
		const char *hd[] = { "domain", "email" };
		lk_expr *ed = lk_expr_compile("domain == domain(email)", hd, 2, NULL);

		ck_assert_ptr_nonnull(ed);
		mkrow(&t, "x.org|a@X.org");
		ck_assert_int_eq(lk_expr_bool(ed, &t.r, NULL), 1);
		free(t.buf);
		lk_expr_free(ed);
	}
	/* Missing fields (row shorter than the header) are empty strings. */
	TR("empty(status) and status == \"\" and status != \"x\"", "A|1");
	TR("${and} == \"\"", "A|1");
	TR("title == \"A\" and score == 1", "A|1");
	/* A row with NULL len: strlen is used. */
	e = comp("title == \"ab\" and len(score) == 3");
	mkrow(&t, "ab|xyz");
	t.r.len = NULL;
	ck_assert_int_eq(lk_expr_bool(e, &t.r, NULL), 1);
	free(t.buf);
	lk_expr_free(e);
	/* Virtual columns: the caller extends header and row alike. */
	{
		const char *hv[NH + 2];
		lk_err err;
		int i;

		for (i = 0; i < NH; i++)
			hv[i] = H[i];
		hv[NH] = "fit";
		hv[NH + 1] = "Grade Letter";
		lk_err_clear(&err);
		e = lk_expr_compile("score >= 60 and fit > 20 and ${Grade Letter} in [\"A\"]",
				    hv, NH + 2, &err);
		ck_assert_ptr_nonnull(e);
		mkrow(&t, ROW "|25|A");
		ck_assert_int_eq(t.r.n, NH + 2);
		ck_assert_int_eq(lk_expr_bool(e, &t.r, NULL), 1);
		t.f[NH] = "15";
		t.len[NH] = 2;
		ck_assert_int_eq(lk_expr_bool(e, &t.r, NULL), 0);
		free(t.buf);
		lk_expr_free(e);
	}
}
END_TEST

START_TEST(compile_errors)
{
	lk_err err;
	char deep[700];
	int i;

	fails("titel == 1", 1,
	      "expression: col 1: unknown column 'titel' (did you mean 'title'?); columns are: " COLS);
	fails("score >= 60 and titel == \"x\"", 17,
	      "expression: col 17: unknown column 'titel' (did you mean 'title'?); columns are: " COLS);
	fails("${Job Titel} == \"x\"", 1,
	      "expression: col 1: unknown column 'Job Titel' (did you mean 'Job Title'?); columns are: " COLS);
	fails("Title == 1", 1,
	      "expression: col 1: unknown column 'Title' (did you mean 'title'?); columns are: " COLS);
	fails("lower", 1,
	      "expression: col 1: unknown column 'lower' (lower is a function: write lower(...)); columns are: " COLS);
	fails("zzzzzzzz", 1,
	      "expression: col 1: unknown column 'zzzzzzzz'; columns are: " COLS);
	/* Columns are counted in characters: "é" is one. */
	fails("\"\xc3\xa9\" == titel", 8,
	      "expression: col 8: unknown column 'titel' (did you mean 'title'?); columns are: " COLS);
	fails("score > 1\n  and titel == 2", 7,
	      "expression: line 2, col 7: unknown column 'titel' (did you mean 'title'?); columns are: " COLS);
	fails("\"abc", 1, "expression: col 1: unterminated string");
	fails("title == 'x", 10, "expression: col 10: unterminated string");
	fails("title == \"x\\\"", 10, "expression: col 10: unterminated string");
	fails("${Job Title == \"x\"", 1, "expression: col 1: unterminated '${' (no closing '}')");
	fails("${} == 1", 1, "expression: col 1: empty name '${}'");
	fails("days_since(created_at) > 30x", 26,
	      "expression: col 26: bad duration '30x' (write a number and a unit: 30d, 4h, 90m, 2w, 10s)");
	fails("score > 3D", 9,
	      "expression: col 9: bad duration '3D' (write a number and a unit: 30d, 4h, 90m, 2w, 10s)");
	fails("title < \"abc\"", 9, "expression: col 9: '<' needs numbers; \"abc\" is not a number");
	fails("'x' >= score", 1, "expression: col 1: '>=' needs numbers; 'x' is not a number");
	fails("mql > true", 7, "expression: col 7: '>' needs numbers, not a true/false condition");
	fails("true + 1", 1, "expression: col 1: '+' needs numbers, not a true/false condition");
	fails("\"x\" * 2 > 1", 1, "expression: col 1: '*' needs numbers; \"x\" is not a number");
	fails("-\"x\" > 1", 2, "expression: col 2: '-' needs numbers; \"x\" is not a number");
	fails("1 - (score > 2)", 6, "expression: col 6: '-' needs numbers, not a true/false condition");
	fails("score > 1 and", 14, "expression: col 14: expected a value, found end of expression");
	fails("score > 1 junk", 11, "expression: col 11: unexpected 'junk' after the end of the expression");
	fails("score == 1)", 11, "expression: col 11: unexpected ')' after the end of the expression");
	fails("(score == 1", 12, "expression: col 12: expected ')', found end of expression");
	fails("score == == 1", 10, "expression: col 10: expected a value, found '=='");
	fails("", 1, "expression: col 1: empty expression");
	fails("   ", 1, "expression: col 1: empty expression");
	fails("lowr(title)", 1,
	      "expression: col 1: unknown function 'lowr' (did you mean 'lower'?); functions are: "
	      "empty, lower, upper, trim, domain, days_since, number, len, contains, starts_with, ends_with, coalesce");
	fails("lower(title, grade)", 1, "expression: col 1: lower() takes 1 argument, got 2");
	fails("contains(title)", 1, "expression: col 1: contains() takes 2 arguments, got 1");
	fails("coalesce()", 1, "expression: col 1: coalesce() takes at least 1 argument, got 0");
	fails("lower(score > 1)", 7, "expression: col 7: lower() needs a value, not a true/false condition");
	fails("lower(title grade)", 13, "expression: col 13: expected ',' or ')' in lower(), found 'grade'");
	fails("grade in \"A\"", 10,
	      "expression: col 10: expected a list such as [\"a\", \"b\"] after 'in', found '\"A\"'");
	fails("grade not in grade", 14,
	      "expression: col 14: expected a list such as [\"a\", \"b\"] after 'in', found 'grade'");
	fails("grade == [\"A\"]", 10, "expression: col 10: a list [...] can only follow 'in' or 'not in'");
	fails("grade in [title]", 11,
	      "expression: col 11: a list holds literals only (strings, numbers, true, false)");
	fails("grade in [\"A\" \"B\"]", 15, "expression: col 15: expected ',' or ']', found '\"B\"'");
	fails("grade in [\"A\"", 14, "expression: col 14: expected ',' or ']', found end of expression");
	fails("grade in [", 11, "expression: col 11: expected a list item or ']', found end of expression");
	fails("grade in [-\"A\"]", 12, "expression: col 12: expected a number after '-', found '\"A\"'");
	fails("title ~ grade", 9, "expression: col 9: expected a string literal regex, found 'grade'");
	fails("empty(title) ~ \"x\"", 1,
	      "expression: col 1: '~' needs a string on the left, not a true/false condition");
	fails("1 < 2 < 3", 7, "expression: col 7: comparisons do not chain; join them with 'and'");
	fails("grade == \"A\" in [\"A\"]", 14,
	      "expression: col 14: comparisons do not chain; join them with 'and'");
	fails("score = 5", 7, "expression: col 7: unexpected '='; did you mean '=='?");
	fails("score > 1 & mql", 11, "expression: col 11: unexpected '&'; did you mean 'and'?");
	fails("score > 1 | mql", 11, "expression: col 11: unexpected '|'; did you mean 'or'?");
	fails("score # 1", 7, "expression: col 7: unexpected character '#'");
	fails("score $ 1", 7, "expression: col 7: unexpected character '$'");
	fails("score > \x01", 9, "expression: col 9: unexpected character byte 0x01");
	fails("and", 1, "expression: col 1: expected a value, found 'and'");
	/* A bad regex carries regcomp's own explanation. */
	lk_err_clear(&err);
	ck_assert_ptr_null(lk_expr_compile("title ~ \"(vp\"", H, NH, &err));
	ck_assert_msg(strncmp(err.msg, "expression: col 9: bad regex \"(vp\": ", 36) == 0, "%s", err.msg);
	ck_assert_int_gt(strlen(err.msg), 36);
	ck_assert_int_eq(err.col, 9);
	/* Patterns that would make regcomp build gigabytes, and back-references. */
	fails("title ~ \"a++\"", 9,
	      "expression: col 9: bad regex \"a++\": "
	      "stacked repetitions (such as '++' or '*{2}') are not supported");
	fails("title ~ \"(ab)*{2}\"", 9,
	      "expression: col 9: bad regex \"(ab)*{2}\": "
	      "stacked repetitions (such as '++' or '*{2}') are not supported");
	fails("title ~* \"((a{99}){99}){99}\"", 10,
	      "expression: col 10: bad regex \"((a{99}){99}){99}\": "
	      "regex too complex (its repetitions expand too far)");
	fails("title ~ \"(a)\\1\"", 9,
	      "expression: col 9: bad regex \"(a)\\1\": back-references (\\1 ... \\9) are not supported");
	/* Ordinary repetitions and bracket expressions are fine. */
	TR("title ~ \"^[0-9]{3}-[[:digit:]]{4}$\"", "555-1234");
	TR("title ~ \"^(ab|cd){2,}[]x]+\"", "abcd]x");
	TR("title ~ \"a{2}\"", "baab");
	/* Nesting is bounded, both by parentheses and by long chains. */
	for (i = 0; i < 300; i++)
		deep[i] = '(';
	strcpy(deep + 300, "1");
	lk_err_clear(&err);
	ck_assert_ptr_null(lk_expr_compile(deep, H, NH, &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "too deeply nested"));
	for (i = 0; i < 300; i++)
		memcpy(deep + 2 * i, "1+", 2);
	strcpy(deep + 600, "1");
	lk_err_clear(&err);
	ck_assert_ptr_null(lk_expr_compile(deep, H, NH, &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "too deeply nested"));
	/* 200 levels are fine. */
	for (i = 0; i < 200; i++)
		deep[i] = '(';
	deep[200] = '1';
	for (i = 0; i < 200; i++)
		deep[201 + i] = ')';
	deep[401] = '\0';
	lk_expr_free(comp(deep));
	/* A NULL lk_err is allowed. */
	ck_assert_ptr_null(lk_expr_compile("titel", H, NH, NULL));
	/* No columns at all. */
	lk_err_clear(&err);
	ck_assert_ptr_null(lk_expr_compile("x", NULL, 0, &err));
	ck_assert_str_eq(err.msg, "expression: col 1: unknown column 'x'; there are no columns");
	lk_expr_free(NULL);
}
END_TEST

START_TEST(columns_used)
{
	lk_expr *e;
	const int *c;
	int n;

	e = comp("score > 1 and title ~ \"x\" or score < 0 and ${Job Title} == \"\" or lower(note) == \"\"");
	c = lk_expr_columns(e, &n);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(c[0], 0);	/* title */
	ck_assert_int_eq(c[1], 1);	/* score */
	ck_assert_int_eq(c[2], 5);	/* Job Title */
	ck_assert_int_eq(c[3], 9);	/* note */
	lk_expr_free(e);
	e = comp("1 + 1 == 2");
	lk_expr_columns(e, &n);
	ck_assert_int_eq(n, 0);
	lk_expr_free(e);
}
END_TEST

START_TEST(print_back)
{
	prints("title or grade and mql", "title or (grade and mql)");
	prints("(title or grade) and mql", "(title or grade) and mql");
	prints("not score == 1", "not (score == 1)");
	prints("-score * 2 + 1", "((-score) * 2) + 1");
	prints("score>=60 and grade in [\"A\",'B']", "(score >= 60) and (grade in [\"A\", 'B'])");
	prints("${Job Title} !~* \"^c\" && ${and}", "(${Job Title} !~* \"^c\") and ${and}");
	prints("${score} not in [-1, 2d, true]", "score not in [-1, 2d, true]");
	prints("days_since( created_at ) > 30d", "days_since(created_at) > 30d");
	prints("coalesce(note, lower(title), \"x\")", "coalesce(note, lower(title), \"x\")");
	prints("!mql || -5 < score", "(not mql) or (-5 < score)");
}
END_TEST

START_TEST(value_forms)
{
	lk_exprenv env = { 0 };
	lk_expr *e;
	trow t;
	size_t len;

	mkrow(&t, ROW);
	e = comp("score * 2");
	ck_assert_str_eq(lk_expr_str(e, &t.r, &env, &len), "130");
	ck_assert_uint_eq(len, 3);
	lk_expr_free(e);
	e = comp("0.1 + 0.2");
	ck_assert_str_eq(lk_expr_str(e, &t.r, &env, NULL), "0.3");
	lk_expr_free(e);
	e = comp("number(title)");
	ck_assert_str_eq(lk_expr_str(e, &t.r, &env, &len), "");
	ck_assert_uint_eq(len, 0);
	ck_assert(isnan(lk_expr_num(e, &t.r, &env)));
	lk_expr_free(e);
	e = comp("score > 1");
	ck_assert_str_eq(lk_expr_str(e, &t.r, &env, NULL), "true");
	ck_assert(lk_expr_num(e, &t.r, &env) == 1);
	lk_expr_free(e);
	e = comp("title");
	ck_assert_str_eq(lk_expr_str(e, &t.r, &env, NULL), "Senior VP Sales");
	ck_assert(isnan(lk_expr_num(e, &t.r, &env)));
	lk_expr_free(e);
	e = comp("score");
	ck_assert(lk_expr_num(e, &t.r, &env) == 65);
	lk_expr_free(e);
	free(t.buf);
}
END_TEST

START_TEST(long_values_grow_scratch)
{
	static char big[20001];
	char *f[1];
	size_t l[1];
	lk_row r;
	lk_expr *e;
	size_t len;
	const char *s;
	int i;

	memset(big, 'A', 20000);
	big[20000] = '\0';
	f[0] = big;
	l[0] = 20000;
	memset(&r, 0, sizeof r);
	r.n = 1;
	r.f = f;
	r.len = l;
	e = comp("lower(title)");
	for (i = 0; i < 3; i++) {
		s = lk_expr_str(e, &r, NULL, &len);
		ck_assert_uint_eq(len, 20000);
		ck_assert_int_eq(s[0], 'a');
		ck_assert_int_eq(s[19999], 'a');
		ck_assert_int_eq(s[20000], '\0');
	}
	lk_expr_free(e);
	e = comp("len(upper(lower(title))) == 20000 and contains(lower(title), \"aaa\")");
	ck_assert_int_eq(lk_expr_bool(e, &r, NULL), 1);
	lk_expr_free(e);
}
END_TEST

Suite *lk_suite_expr(void)
{
	Suite *s = suite_create("expr");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, truthiness);
	tcase_add_test(tc, equality_numeric_or_string);
	tcase_add_test(tc, ordering_needs_numbers);
	tcase_add_test(tc, arithmetic_and_precedence);
	tcase_add_test(tc, membership);
	tcase_add_test(tc, regex);
	tcase_add_test(tc, regex_fast_path_agrees_with_regexec);
	tcase_add_test(tc, functions);
	tcase_add_test(tc, strings_and_escapes);
	tcase_add_test(tc, durations_are_days);
	tcase_add_test(tc, names_and_missing_fields);
	tcase_add_test(tc, compile_errors);
	tcase_add_test(tc, columns_used);
	tcase_add_test(tc, print_back);
	tcase_add_test(tc, value_forms);
	tcase_add_test(tc, long_values_grow_scratch);
	suite_add_tcase(s, tc);
	return s;
}
