/*
 * report_tab.c - the rendered table every report kind fills: CSV, TSV,
 * JSON, an aligned text table with bars, an svg chart, and the html page
 * every report (process too) is written as.  See report_int.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

/* Bar width of the table format, in characters, for the largest count. */
#define BAR_WIDTH 30

void lk_tab_init(lk_tab *t, const char *title)
{
	memset(t, 0, sizeof *t);
	t->title = title;
	t->barcol = -1;
	t->chart_group = t->chart_note = t->chart_filter = -1;
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


/* Text for XML and HTML. */
static void xml(lk_buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': lk_buf_adds(out, "&lt;"); break;
		case '>': lk_buf_adds(out, "&gt;"); break;
		case '&': lk_buf_adds(out, "&amp;"); break;
		case '"': lk_buf_adds(out, "&quot;"); break;
		default: lk_buf_addc(out, *s);
		}
	}
}

#define SVG_W 760
#define SVG_ROW 26
#define SVG_LABEL 170		/* bars start here */
#define SVG_BAR 420		/* the longest bar */

static const char *cell(const lk_tab *t, size_t row, int col)
{
	return t->cell[row * (size_t)t->ncol + (size_t)col];
}

static int chart_row(const lk_tab *t, size_t i)
{
	return t->chart_filter < 0 || !strcmp(cell(t, i, t->chart_filter), t->chart_filter_value);
}

/* The chart as one <svg>: centred bars, a funnel per group. */
static void svg(const lk_tab *t, lk_buf *out)
{
	size_t nrow = t->ncol ? t->ncell / (size_t)t->ncol : 0, i;
	double max = 0;
	int rows = 0, sections = 0, y;
	const char *prev = NULL;

	for (i = 0; i < nrow; i++) {
		double v;
		if (!chart_row(t, i))
			continue;
		v = atof(cell(t, i, t->chart_value));
		if (v > max)
			max = v;
		rows++;
		if (t->chart_group >= 0 && (!prev || strcmp(prev, cell(t, i, t->chart_group)))) {
			sections++;
			prev = cell(t, i, t->chart_group);
		}
	}
	lk_buf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		    "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"13\">\n",
		    SVG_W, rows * SVG_ROW + sections * SVG_ROW + 44, SVG_W,
		    rows * SVG_ROW + sections * SVG_ROW + 44);
	lk_buf_adds(out, "<text x=\"10\" y=\"22\" font-size=\"16\" font-weight=\"bold\">");
	xml(out, t->title ? t->title : "report");
	lk_buf_adds(out, "</text>\n");
	y = 36;
	prev = NULL;
	for (i = 0; i < nrow; i++) {
		double v, w;
		const char *note;
		if (!chart_row(t, i))
			continue;
		if (t->chart_group >= 0 && (!prev || strcmp(prev, cell(t, i, t->chart_group)))) {
			prev = cell(t, i, t->chart_group);
			lk_buf_addf(out, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">", y + 17);
			xml(out, *prev ? prev : "(blank)");
			lk_buf_adds(out, "</text>\n");
			y += SVG_ROW;
		}
		v = atof(cell(t, i, t->chart_value));
		w = max > 0 ? v / max * SVG_BAR : 0;
		lk_buf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", SVG_LABEL - 8, y + 17);
		xml(out, cell(t, i, t->chart_label));
		lk_buf_addf(out, "</text>\n<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#3b73b9\"/>\n",
			    SVG_LABEL + (SVG_BAR - w) / 2, y + 3, w, SVG_ROW - 6);
		lk_buf_addf(out, "<text x=\"%d\" y=\"%d\">", SVG_LABEL + SVG_BAR + 10, y + 17);
		xml(out, cell(t, i, t->chart_value));
		note = t->chart_note >= 0 ? cell(t, i, t->chart_note) : "";
		if (*note) {
			lk_buf_adds(out, " (");
			xml(out, note);
			lk_buf_adds(out, "%)");
		}
		lk_buf_adds(out, "</text>\n");
		y += SVG_ROW;
	}
	lk_buf_adds(out, "</svg>\n");
}

static void html_table(const lk_tab *t, lk_buf *out, int titled)
{
	size_t nrow = t->ncol ? t->ncell / (size_t)t->ncol : 0, i;
	int c;

	if (titled && t->title) {
		lk_buf_adds(out, "<h2>");
		xml(out, t->title);
		lk_buf_adds(out, "</h2>\n");
	}
	lk_buf_adds(out, "<table>\n<thead><tr>");
	for (c = 0; c < t->ncol; c++) {
		lk_buf_adds(out, "<th>");
		xml(out, t->name[c]);
		lk_buf_adds(out, "</th>");
	}
	lk_buf_adds(out, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < nrow; i++) {
		lk_buf_adds(out, "<tr>");
		for (c = 0; c < t->ncol; c++) {
			lk_buf_adds(out, t->type[c] == 's' ? "<td>" : "<td class=\"n\">");
			xml(out, cell(t, i, c));
			lk_buf_adds(out, "</td>");
		}
		lk_buf_adds(out, "</tr>\n");
	}
	lk_buf_adds(out, "</tbody>\n</table>\n");
}

void lk_page_head(lk_buf *out, const char *title, const char *style, const char *heading)
{
	lk_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>lead-report: ");
	xml(out, title);
	lk_buf_adds(out, "</title>\n<style>\nbody { font-family: sans-serif; margin: 2em; }\n");
	lk_buf_adds(out, style);
	lk_buf_adds(out, "</style>\n</head>\n<body>\n<h1>lead-report");
	if (heading) {
		lk_buf_adds(out, ": ");
		xml(out, heading);
	}
	lk_buf_adds(out, "</h1>\n");
}

void lk_page_foot(lk_buf *out)
{
	lk_buf_adds(out, "</body>\n</html>\n");
}

/* One page, everything inline: a browser shows it offline. */
static void html(lk_tab *const *t, int n, lk_buf *out)
{
	int i;

	lk_page_head(out, t[0]->title ? t[0]->title : "report",
		     "table { border-collapse: collapse; margin: 1em 0; }\n"
		     "th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; }\n"
		     "td.n { text-align: right; font-variant-numeric: tabular-nums; }\n"
		     "th { background: #f0f0f0; }\n",
		     n == 1 ? t[0]->title : NULL);
	if (t[0]->chart_value > 0)
		svg(t[0], out);
	for (i = 0; i < n; i++)
		html_table(t[i], out, n > 1);
	lk_page_foot(out);
}

int lk_tabs_render(lk_tab *const *t, int n, lk_report_fmt fmt, lk_buf *out, lk_err *err)
{
	int i;

	for (i = 0; i < n; i++)
		if (t[i]->fail)
			return lk_report_nomem(err);
	if (fmt == LK_FMT_HTML) {
		html(t, n, out);
	} else if (fmt == LK_FMT_SVG) {
		svg(t[0], out);
	} else if (n == 1) {
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
