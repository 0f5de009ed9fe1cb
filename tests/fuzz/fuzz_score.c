/*
 * fuzz_score.c - libFuzzer harness for the scoring section of the model
 * (lib/score).
 *
 * Loads arbitrary text as a model (lk_model_load_mem), parses its
 * scoring section (lk_score_new) and binds it against a fixed header
 * with --explain's column (lk_score_bind).  A model that fails must say
 * why.  A model that binds scores a few fixed rows (a full one, a short
 * one, one of junk and blanks), each with no activities and with a set
 * of activities made from the rules' own activity names at several
 * ages, and checks what lead-score promises:
 *   - the output row is as wide as the output header, and every input
 *     column passes through unchanged (the owned ones excepted);
 *   - fit is the sum of the points of the fit rules whose `when` holds;
 *   - score = fit + engagement; no activities means engagement 0;
 *   - score, fit and engagement are printed as lk_score_fmt prints them,
 *     mql is yes or no, grade is one the model defines (or its fallback)
 *     and the first whose threshold fit reaches;
 *   - the parts of score_reasons add up to the score.
 * Then it binds a second time (the in-place path: the header already
 * holds the owned columns) and scores again, and frees everything (leaks
 * show up under ASan).
 *
 *   clang -fsanitize=fuzzer,address,undefined -g -O1 -std=c11 \
 *     -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Ilib \
 *     tests/fuzz/fuzz_score.c lib/[a-z]*.c $(pkg-config --cflags --libs yaml-0.1) \
 *     -lcsv -lm -o fuzz_score && ./fuzz_score tests/fuzz/corpus/score
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "model/expr.h"
#include "model/model.h"
#include "score/score.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_score: check failed at line %d: %s\n", __LINE__, #cond); \
	abort(); } } while (0)

/* The canonical lead columns, a few CRM custom fields (reached with
 * ${...}), and `score`, which lead-score must update in place. */
static const char *const header[] = {
	"lead_id", "email", "first_name", "last_name", "company", "title", "phone",
	"industry", "employees", "country", "source", "stage", "status", "owner",
	"created_at", "updated_at", "last_activity_at", "Lead Source", "TotalVisits",
	"Do Not Email", "score",
};
#define NH ((int)(sizeof header / sizeof header[0]))

static char *rows[][NH] = {
	{ "L1", "bob@gmail.com", "Bob", "Smith", "Acme", "VP of Sales", "+1 555 0100",
	  "Software", "500", "US", "webinar", "mql", "Open", "alice",
	  "2026-01-01T00:00:00Z", "2026-02-01", "2026-11-01T09:30:00Z", "Google", "12",
	  "No", "99.9" },
	{ "L2", "x@acme.example", "", "", "", "student intern", "", "", "n/a", "DE", "",
	  "inquiry", "", "", "soon", "", "", "", "-3.5e2", "Yes", "" },
	{ "", "", "\xc3\xa9", "\\b", "\"", "  ", "0", "Select", " 10 ", "", "N/A", "won",
	  "Recycled", "", "2026-02-30", "x", "0", "", "", "", "abc" },
};
#define NROWS ((int)(sizeof rows / sizeof rows[0]))

#define NOW 1795132800	/* 2026-11-20T00:00:00Z */

/* Fixed activity names, besides the ones the rules name. */
static const char *const extra_acts[] = { "webinar_attended", "email_click", "" };
/* Ages in days, all at or before now. */
static const double ages[] = { 0, 0.5, 1, 13.9, 30, 90, 181, 400, 36500 };
#define NAGES ((int)(sizeof ages / sizeof ages[0]))
#define MAXACTS 256

/* Sum of the parts of score_reasons ("a:+20;b(12d):+9.6;c(cap):-3"), in
 * tenths; each part's number follows its last ':'. */
static long reasons_sum(const char *s, size_t len)
{
	long sum = 0;
	size_t i = 0;

	while (i < len) {
		size_t end = i, colon = (size_t)-1;
		long whole = 0, frac = 0;
		int neg = 0;
		size_t k;

		while (end < len && s[end] != ';') {
			if (s[end] == ':')
				colon = end;
			end++;
		}
		CHECK(colon != (size_t)-1 && colon + 1 < end);
		k = colon + 1;
		CHECK(s[k] == '+' || s[k] == '-');
		neg = s[k] == '-';
		k++;
		CHECK(k < end && s[k] >= '0' && s[k] <= '9');
		while (k < end && s[k] >= '0' && s[k] <= '9')
			whole = whole * 10 + (s[k++] - '0');
		if (k < end) {
			CHECK(s[k] == '.' && k + 2 == end && s[k + 1] >= '0' && s[k + 1] <= '9');
			frac = s[k + 1] - '0';
		}
		sum += (neg ? -1 : 1) * (whole * 10 + frac);
		i = end + 1;
	}
	return sum;
}

static int field_is(const lk_row *r, int i, const char *want)
{
	return strlen(want) == r->len[i] && memcmp(r->f[i], want, r->len[i]) == 0;
}

static void check_row(lk_score *s, const lk_row *in, const lk_act *acts, int nacts)
{
	const char *const *names;
	const lk_score_rule *rules;
	const lk_grade *grades;
	const char *fallback;
	lk_exprenv env;
	lk_score_result res;
	lk_row *out = NULL;
	lk_buf b = LK_BUF_INIT;
	long fit = 0;
	int nout, nrules, ngrades, i, c, owned;

	memset(&env, 0, sizeof env);
	env.now = NOW;
	rules = lk_score_rules(s, &nrules);
	for (i = 0; i < nrules; i++)
		if (rules[i].kind == LK_RULE_FIT && lk_expr_bool(rules[i].expr, in, &env))
			fit += rules[i].points;

	memset(&res, 0, sizeof res);
	if (lk_score_row(s, in, acts, nacts, &env, &out, &res) < 0)
		return;	/* out of memory */
	lk_score_header(s, &names, &nout);
	CHECK(out != NULL && out->n == nout);
	for (i = 0; i < nout; i++)
		CHECK(out->f[i] != NULL && strlen(out->f[i]) == out->len[i]);

	/* Input columns pass through, except the owned ones. */
	for (i = 0; i < in->n && i < nout; i++) {
		owned = 0;
		for (c = 0; c < LK_SC_NCOLS; c++)
			owned |= lk_score_column(s, c) == i;
		if (!owned)
			CHECK(out->f[i] == in->f[i] || field_is(out, i, in->f[i]));
	}

	CHECK(res.fit == fit);
	CHECK(res.score == res.fit + res.engagement);
	if (nacts == 0)
		CHECK(res.engagement == 0);
	CHECK(res.mql == 0 || res.mql == 1);

	lk_score_fmt(&b, res.score, 0, 0);
	CHECK(field_is(out, lk_score_column(s, LK_SC_SCORE), lk_buf_str(&b)));
	lk_buf_reset(&b);
	lk_score_fmt(&b, res.fit, 0, 0);
	CHECK(field_is(out, lk_score_column(s, LK_SC_FIT), lk_buf_str(&b)));
	lk_buf_reset(&b);
	lk_score_fmt(&b, res.engagement, 0, 0);
	CHECK(field_is(out, lk_score_column(s, LK_SC_ENGAGEMENT), lk_buf_str(&b)));
	lk_buf_free(&b);
	CHECK(field_is(out, lk_score_column(s, LK_SC_MQL), res.mql ? "yes" : "no"));

	/* The grade: the first whose threshold fit reaches, else the fallback. */
	grades = lk_score_grades(s, &ngrades, &fallback);
	CHECK(res.grade != NULL);
	for (i = 0; i < ngrades; i++) {
		if (i > 0)
			CHECK(grades[i].min < grades[i - 1].min);
		if (fit >= grades[i].min)
			break;
	}
	CHECK(strcmp(res.grade, i < ngrades ? grades[i].name : fallback) == 0);
	CHECK(field_is(out, lk_score_column(s, LK_SC_GRADE), res.grade));

	c = lk_score_column(s, LK_SC_REASONS);
	if (c >= 0)
		CHECK(reasons_sum(out->f[c], out->len[c]) == res.score);
}

/* Activities named as the rules name them (and a few others), at every
 * age in ages[]. */
static int make_acts(lk_score *s, lk_act *acts)
{
	const lk_score_rule *rules;
	int nrules, i, k, a, n = 0;

	rules = lk_score_rules(s, &nrules);
	for (i = 0; i < nrules && n < MAXACTS - NAGES; i++)
		for (k = 0; k < rules[i].nactivities && n < MAXACTS - NAGES; k++)
			for (a = 0; a < NAGES; a++) {
				acts[n].activity = rules[i].activities[k];
				acts[n++].at = NOW - (int64_t)(ages[a] * 86400);
			}
	for (i = 0; i < (int)(sizeof extra_acts / sizeof extra_acts[0]) &&
		    n < MAXACTS - NAGES; i++)
		for (a = 0; a < NAGES; a++) {
			acts[n].activity = extra_acts[i];
			acts[n++].at = NOW - (int64_t)(ages[a] * 86400);
		}
	return n;
}

static void score_rows(lk_score *s, const lk_act *acts, int nacts, int width)
{
	size_t len[NH];
	lk_row row;
	int r, i;

	for (r = 0; r < NROWS; r++) {
		memset(&row, 0, sizeof row);
		/* The second row is short, as ragged input can be. */
		row.n = r == 1 ? width / 2 : width;
		row.f = rows[r];
		for (i = 0; i < NH; i++)
			len[i] = strlen(rows[r][i]);
		row.len = len;
		row.record = r + 1;
		row.line = r + 2;
		row.nlines = 1;
		check_row(s, &row, NULL, 0);
		check_row(s, &row, acts, nacts);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static lk_act acts[MAXACTS];
	char *text = malloc(size ? size : 1);
	const char *const *names;
	const char **again = NULL;
	lk_err e;
	lk_model *m;
	lk_score *s;
	int nacts, nout, i;

	if (!text)
		return 0;
	memcpy(text, data, size);	/* no NUL: reading past size is caught */
	lk_err_clear(&e);
	m = lk_model_load_mem("fuzz.yaml", text, size, &e);
	if (!m) {
		CHECK(e.msg[0] != '\0');
		free(text);
		return 0;
	}
	lk_err_clear(&e);
	s = lk_score_new(m, &e);
	if (!s) {
		CHECK(e.msg[0] != '\0');
		if (e.kind == LK_EMODEL && e.line > 0) {
			CHECK(strcmp(e.file, "fuzz.yaml") == 0);
			CHECK(e.col >= 1);
		}
		goto out;
	}
	lk_err_clear(&e);
	if (lk_score_bind(s, header, NH, 1, &e) < 0) {
		CHECK(e.msg[0] != '\0');
		goto out;
	}
	nacts = make_acts(s, acts);
	score_rows(s, acts, nacts, NH);

	/* Bind again to the output header, without explain: every owned
	 * column is now updated in place. */
	lk_score_header(s, &names, &nout);
	again = malloc((size_t)nout * sizeof *again);
	if (!again)
		goto out;
	for (i = 0; i < nout; i++)
		again[i] = names[i];	/* names is replaced by the next bind */
	lk_err_clear(&e);
	if (lk_score_bind(s, again, nout, 0, &e) == 0) {
		lk_score_header(s, &names, &i);
		CHECK(i == nout);
		/* The fixed rows are only NH wide: score them at that width. */
		score_rows(s, acts, nacts, NH);
	}
out:
	free(again);
	lk_score_free(s);
	lk_model_free(m);
	free(text);
	return 0;
}
