/*
 * report_tab.c - the rendered table every report kind fills: CSV, TSV,
 * JSON, and an aligned text table with bars.  See report_int.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

/* Bar width of the table format, in characters, for the largest count. */
#define BAR_WIDTH 30

void lk_tab_init(lk_tab *t, const char *title)
{
	memset(t, 0, sizeof *t);
	t->title = title;
	t->barcol = -1;
}

void lk_tab_col(lk_tab *t, const char *name, char type)
{
	if (t->ncol == LK_TAB_MAXCOL) {
		t->fail = 1;
		return;
	}
	t->name[t->ncol] = name;
	t->type[t->ncol++] = type;
}

void lk_tab_add(lk_tab *t, const char *s, size_t len)
{
	char *c;

	if (t->ncell == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **nc = realloc(t->cell, cap * sizeof *nc);
		if (!nc) {
			t->fail = 1;
			return;
		}
		t->cell = nc;
		t->cap = cap;
	}
	c = malloc(len + 1);
	if (!c) {
		t->fail = 1;
		return;
	}
	memcpy(c, s, len);
	c[len] = '\0';
	t->cell[t->ncell++] = c;
}

void lk_tab_adds(lk_tab *t, const char *s)
{
	lk_tab_add(t, s, strlen(s));
}

void lk_tab_int(lk_tab *t, int64_t n)
{
	char b[32];

	snprintf(b, sizeof b, "%lld", (long long)n);
	lk_tab_adds(t, b);
}

void lk_tab_pct(lk_tab *t, int64_t n, int64_t d)
{
	char b[48];
	int64_t h;

	if (d <= 0) {
		lk_tab_adds(t, "");
		return;
	}
	h = (n * 20000 + d) / (2 * d);
	snprintf(b, sizeof b, "%lld.%02lld", (long long)(h / 100), (long long)(h % 100));
	lk_tab_adds(t, b);
}

void lk_tab_num(lk_tab *t, double v, int dec)
{
	char b[64];

	if (isnan(v) || isinf(v)) {
		lk_tab_adds(t, "");
		return;
	}
	snprintf(b, sizeof b, "%.*f", dec, v);
	/* No "-0.00": a rounded zero has no sign. */
	lk_tab_adds(t, strspn(b, "-0.") == strlen(b) && *b == '-' ? b + 1 : b);
}

void lk_tab_free(lk_tab *t)
{
	size_t i;

	for (i = 0; i < t->ncell; i++)
		free(t->cell[i]);
	free(t->cell);
	t->cell = NULL;
	t->ncell = t->cap = 0;
}

/* Display width of UTF-8 text: code points, not bytes. */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void json_str(lk_buf *out, const char *s)
{
	lk_buf_addc(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			lk_buf_addc(out, '\\');
			lk_buf_addc(out, c);
		} else if (c == '\n') {
			lk_buf_adds(out, "\\n");
		} else if (c == '\t') {
			lk_buf_adds(out, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			lk_buf_addf(out, "\\u%04x", c);
		} else {
			lk_buf_addc(out, c);
		}
	}
	lk_buf_addc(out, '"');
}

static void render_table(const lk_tab *t, lk_buf *out)
{
	size_t nrow = t->ncell / (size_t)t->ncol, w[LK_TAB_MAXCOL], i;
	int64_t max = 0;
	int c;

	for (c = 0; c < t->ncol; c++)
		w[c] = width(t->name[c]);
	for (i = 0; i < nrow; i++)
		for (c = 0; c < t->ncol; c++) {
			const char *s = t->cell[i * (size_t)t->ncol + (size_t)c];
			size_t cw = *s || t->type[c] != 's' ? width(s) : 7;	/* "(blank)" */
			if (cw > w[c])
				w[c] = cw;
			if (c == t->barcol && *s && atoll(s) > max)
				max = atoll(s);
		}
	for (i = 0; i <= nrow; i++) {
		size_t mark = out->len;
		for (c = 0; c < t->ncol; c++) {
			const char *s = i ? t->cell[(i - 1) * (size_t)t->ncol + (size_t)c] : t->name[c];
			size_t cw, k;
			if (i && !*s && t->type[c] == 's')
				s = "(blank)";
			cw = width(s);
			if (c)
				lk_buf_adds(out, "  ");
			if (t->type[c] != 's')
				for (k = cw; k < w[c]; k++)
					lk_buf_addc(out, ' ');
			lk_buf_adds(out, s);
			if (t->type[c] == 's')
				for (k = cw; k < w[c]; k++)
					lk_buf_addc(out, ' ');
			if (c == t->barcol) {
				int64_t v = i && *s ? atoll(s) : 0;
				int64_t bar = max ? (v * 2 * BAR_WIDTH + max) / (2 * max) : 0;
				lk_buf_adds(out, "  ");
				for (k = 0; k < BAR_WIDTH; k++)
					lk_buf_addc(out, (int64_t)k < bar ? '#' : ' ');
			}
		}
		while (out->len > mark && out->data[out->len - 1] == ' ')
			out->len--;
		out->data[out->len] = '\0';
		lk_buf_addc(out, '\n');
	}
}

static void render_one(const lk_tab *t, lk_report_fmt fmt, lk_buf *out)
{
	size_t nrow = t->ncell / (size_t)t->ncol, i;
	int c;

	if (fmt == LK_FMT_TABLE) {
		render_table(t, out);
	} else if (fmt == LK_FMT_JSON) {
		lk_buf_adds(out, "[");
		for (i = 0; i < nrow; i++) {
			lk_buf_adds(out, i ? ",\n  {" : "\n  {");
			for (c = 0; c < t->ncol; c++) {
				const char *s = t->cell[i * (size_t)t->ncol + (size_t)c];
				if (c)
					lk_buf_adds(out, ", ");
				json_str(out, t->name[c]);
				lk_buf_adds(out, ": ");
				if (t->type[c] == 's')
					json_str(out, s);
				else if (!*s)
					lk_buf_adds(out, "null");
				else
					lk_buf_adds(out, s);
			}
			lk_buf_addc(out, '}');
		}
		lk_buf_adds(out, nrow ? "\n]\n" : "]\n");
	} else {
		char d = fmt == LK_FMT_TSV ? '\t' : ',';
		for (i = 0; i <= nrow; i++) {
			for (c = 0; c < t->ncol; c++) {
				const char *s = i ? t->cell[(i - 1) * (size_t)t->ncol + (size_t)c] : t->name[c];
				if (c)
					lk_buf_addc(out, d);
				lk_csv_quote(out, s, strlen(s), d);
			}
			lk_buf_addc(out, '\n');
		}
	}
}


int lk_tabs_render(lk_tab *const *t, int n, lk_report_fmt fmt, lk_buf *out, lk_err *err)
{
	int i;

	for (i = 0; i < n; i++)
		if (t[i]->fail)
			return lk_report_nomem(err);
	if (n == 1) {
		render_one(t[0], fmt, out);
	} else if (fmt == LK_FMT_JSON) {
		lk_buf_adds(out, "{");
		for (i = 0; i < n; i++) {
			lk_buf_adds(out, i ? ",\n" : "\n");
			json_str(out, t[i]->title ? t[i]->title : "");
			lk_buf_adds(out, ": ");
			render_one(t[i], fmt, out);
			/* Drop the array's newline: the object goes on. */
			out->len--;
			out->data[out->len] = '\0';
		}
		lk_buf_adds(out, "\n}\n");
	} else {
		for (i = 0; i < n; i++) {
			if (i)
				lk_buf_addc(out, '\n');
			if (fmt == LK_FMT_TABLE && t[i]->title)
				lk_buf_addf(out, "%s\n", t[i]->title);
			render_one(t[i], fmt, out);
		}
	}
	if (!out->data)
		return lk_report_nomem(err);
	return 0;
}
