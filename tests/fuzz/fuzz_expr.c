/*
 * libFuzzer harness for the expression compiler (lib/expr): compiles
 * arbitrary input against a fixed header and, when it compiles,
 * evaluates it every way against a few fixed rows (a full row, a short
 * one, one of junk and blanks), and prints it back.  Then uses the input
 * as a regex and checks expr agrees with regexec (see regex_agrees).
 *
 *   clang -fsanitize=fuzzer,address,undefined -g -O1 -std=c11 \
 *     -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Ilib \
 *     tests/fuzz/fuzz_expr.c lib/[a-z]*.c $(pkg-config --cflags --libs yaml-0.1) \
 *     -lcsv -lm -o fuzz_expr && ./fuzz_expr tests/fuzz/corpus/expr
 */
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/expr.h"

static const char *const header[] = {
	"title", "score", "grade", "email", "created_at", "Job Title", "mql",
	"employees", "status", "note"
};
#define NH ((int)(sizeof header / sizeof header[0]))

static char *rows[][NH] = {
	{ "Senior VP Sales", "65", "A", "Bob@Example.COM", "2026-01-01",
	  "CTO", "yes", "500", "Open", "  x\t" },
	{ "intern", "-3.5e2", "", "nobody", "2026-02-30", "", "no", "n/a", "", "" },
	{ "", " 10 ", "b", "a@b@c", "soon", "\xc3\xa9", "0", "", "Recycled", "\\b" },
};
#define NROWS ((int)(sizeof rows / sizeof rows[0]))

/*
 * The input as a regex: `title ~ "<input>"` (and ~*) must agree with
 * regexec on every field of the fixed rows, whichever way expr matches
 * it (its built-in literal matcher or regexec).  regcomp is only called
 * on patterns expr accepted, which are the ones it bounds.
 */
static void regex_agrees(const uint8_t *data, size_t size)
{
	static const char *const h[] = { "title" };
	char *src;
	size_t i, k = 0;
	int icase, r, j;

	if (memchr(data, '\0', size) || size > 200)
		return;
	src = malloc(2 * size + 16);
	if (!src)
		return;
	for (icase = 0; icase < 2; icase++) {
		lk_expr *e;
		regex_t re;

		k = (size_t)sprintf(src, "title %s \"", icase ? "~*" : "~");
		for (i = 0; i < size; i++) {
			if (data[i] == '"' || data[i] == '\\')
				src[k++] = '\\';
			src[k++] = (char)data[i];
		}
		src[k++] = '"';
		src[k] = '\0';
		e = lk_expr_compile(src, h, 1, NULL);
		if (!e)
			continue;
		memcpy(src, data, size);
		src[size] = '\0';
		if (regcomp(&re, src, REG_EXTENDED | REG_NOSUB | (icase ? REG_ICASE : 0)) == 0) {
			for (r = 0; r < NROWS; r++)
				for (j = 0; j < NH; j++) {
					size_t len = strlen(rows[r][j]);
					lk_row row;

					memset(&row, 0, sizeof row);
					row.n = 1;
					row.f = &rows[r][j];
					row.len = &len;
					if (lk_expr_bool(e, &row, NULL) !=
					    (regexec(&re, rows[r][j], 0, NULL, 0) == 0))
						abort();
				}
			regfree(&re);
		}
		lk_expr_free(e);
	}
	free(src);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *src = malloc(size + 1);
	lk_err err;
	lk_expr *e;
	lk_exprenv env;
	lk_buf out = LK_BUF_INIT;
	size_t lens[NROWS][NH], len;
	int i, j, n;

	if (!src)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	lk_err_clear(&err);
	e = lk_expr_compile(src, header, NH, &err);
	if (e) {
		memset(&env, 0, sizeof env);
		env.now = 1769817600;	/* 2026-01-31T00:00:00Z */
		for (i = 0; i < NROWS; i++) {
			lk_row row;

			for (j = 0; j < NH; j++)
				lens[i][j] = strlen(rows[i][j]);
			memset(&row, 0, sizeof row);
			row.f = rows[i];
			row.len = lens[i];
			/* Every row whole, then cut short (missing fields). */
			for (n = NH; n >= 0; n -= 4) {
				row.n = n;
				(void)lk_expr_bool(e, &row, &env);
				(void)lk_expr_num(e, &row, &env);
				(void)lk_expr_str(e, &row, &env, &len);
				(void)lk_expr_bool(e, &row, NULL);
			}
		}
		lk_expr_columns(e, &n);
		lk_expr_print(e, &out);
		lk_buf_free(&out);
		lk_expr_free(e);
	}
	free(src);
	regex_agrees(data, size);
	return 0;
}
