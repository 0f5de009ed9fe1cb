/*
 * fuzz_nurture.c - libFuzzer harness for the nurture section of the
 * model (lib/nurture).
 *
 * Loads arbitrary text as a model (lk_model_load_mem), parses its
 * nurture section (lk_nurture_new) and binds it against a fixed header.
 * A model that fails must say why, at a position in fuzz.yaml.  A model
 * that binds moves a few leads (new ones, leads in its first and last
 * track at several steps and states, a lead in a track it does not
 * have, a lead routed to sales) with activities made from the model's
 * own names: reported sends of every step's content, every trigger's
 * activities and every suppression's, at several ages.  It checks what
 * lead-nurture promises:
 *   - the output row is as wide as the output header, and every input
 *     column that nurture does not own passes through unchanged;
 *   - nurture_state is one of the five; an active lead has a readable
 *     next_touch_at and a next_content; `due` is active and
 *     next_touch_at <= now;
 *   - a lead in an unknown track keeps every nurture column but the
 *     reason;
 *   - a run is a fixed point: the output moved again (bound to the
 *     output header, same activities and now) is the same row.
 * Then it frees everything (leaks show up under ASan).
 *
 *   clang -fsanitize=fuzzer,address,undefined -g -O1 -std=c11 \
 *     -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Ilib \
 *     tests/fuzz/fuzz_nurture.c lib/[a-z]*.c $(pkg-config --cflags --libs yaml-0.1) \
 *     -lcsv -lm -o fuzz_nurture && ./fuzz_nurture tests/fuzz/corpus/nurture
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "model/model.h"
#include "nurture/nurture.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_nurture: check failed at line %d: %s\n", __LINE__, #cond); \
	abort(); } } while (0)

static const char *const header[] = {
	"lead_id", "email", "stage", "route", "mql", "status", "title", "do_not_email",
	"route_rule", "grade", "nurture_track", "nurture_step", "nurture_state", "last_touch_at", "next_touch_at",
};
#define NH ((int)(sizeof header / sizeof header[0]))
enum { C_TRACK = 10, C_STEP, C_STATE, C_LAST, C_NEXT };

#define NOW 1795132800		/* 2026-11-20T00:00:00Z */
#define MAXACTS 64
#define MAXROWS 12

static char cells[MAXROWS][NH][64];

/* The rows: a few fixed ones, and some in the model's own tracks. */
static int make_rows(const lk_nurture *n)
{
	static const char *const fixed[][NH] = {
		{ "L1", "a@x.com", "inquiry", "nurture", "no", "", "VP", "no", "default", "A",
		  "", "", "", "", "" },
		{ "L2", "b@x.com", "mql", "sales", "yes", "Open", "", "yes", "recycled", "B",
		  "", "", "", "", "" },
		{ "L3", "", "won", "", "", "", "", "", "", "", "gone", "3", "active", "2026-01-01",
		  "junk" },
		{ "", "", "", "", "", "", "", "", "", "", "", "", "exited", "", "" },
	};
	const lk_nurture_track *t;
	int nt, r = 0, i, k;
	static const char *const states[] = { "active", "paused", "exhausted", "exited", "" };
	static const char *const steps[] = { "1", "2", "9", "1", "" };

	for (i = 0; i < (int)(sizeof fixed / sizeof fixed[0]); i++, r++)
		for (k = 0; k < NH; k++)
			snprintf(cells[r][k], sizeof cells[r][k], "%s", fixed[i][k]);
	t = lk_nurture_tracks(n, &nt);
	for (i = 0; i < 5 && r < MAXROWS; i++, r++) {
		const char *name = t[i % 2 ? nt - 1 : 0].name;
		for (k = 0; k < NH; k++)
			snprintf(cells[r][k], sizeof cells[r][k], "%s", fixed[i % 2][k]);
		snprintf(cells[r][0], sizeof cells[r][0], "T%d", i);
		snprintf(cells[r][C_TRACK], sizeof cells[r][C_TRACK], "%.60s", name);
		snprintf(cells[r][C_STEP], sizeof cells[r][C_STEP], "%s", steps[i]);
		snprintf(cells[r][C_STATE], sizeof cells[r][C_STATE], "%s", states[i]);
		snprintf(cells[r][C_LAST], sizeof cells[r][C_LAST], "%s",
			 i % 3 ? "2026-11-01T10:00:00Z" : "");
		snprintf(cells[r][C_NEXT], sizeof cells[r][C_NEXT], "%s",
			 i % 2 ? "2026-11-25T10:00:00Z" : "");
	}
	return r;
}

/* Activities from the model's own names, at several ages. */
static int make_acts(const lk_nurture *n, lk_act *a, const char **d)
{
	const lk_nurture_track *t;
	const char *const *sent;
	int nt, ns, i, j, k, c = 0;

	t = lk_nurture_tracks(n, &nt);
	sent = lk_nurture_sent(n, &ns);
	for (i = 0; i < nt && c < MAXACTS; i++) {
		for (j = 0; j < t[i].nsteps && c < MAXACTS; j++) {
			const char *content = t[i].steps[j].content.def;
			if (!content || !ns)
				continue;
			a[c].activity = sent[0];
			a[c].at = NOW - (int64_t)(j + 1) * 86400 * (i + 2);
			d[c++] = content;
		}
		for (j = 0; j < t[i].non && c < MAXACTS; j++)
			for (k = 0; k < t[i].on[j].nactivities && c < MAXACTS; k++) {
				a[c].activity = t[i].on[j].activities[k];
				a[c].at = NOW - (int64_t)(k + j + 1) * 3 * 86400 - 3600;
				d[c++] = "";
			}
	}
	return c;
}

static int owned(const char *name)
{
	int k;

	for (k = 0; k < LK_NU_NCOLS; k++)
		if (!strcmp(name, lk_nurture_columns[k]))
			return 1;
	return 0;
}

static int find(const char *const *names, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

/* Move every row; check each; return the outputs (malloc'd strings). */
static void run(lk_nurture *n, lk_nurture *again, const lk_act *acts,
		const char *const *det, int nacts, int nrows)
{
	const char *const *names, *const *names2;
	int nout, nout2, r, i;

	lk_nurture_header(n, &names, &nout);
	lk_nurture_header(again, &names2, &nout2);
	CHECK(nout == nout2);
	for (r = 0; r < nrows; r++) {
		char *f[NH];
		size_t len[NH];
		lk_row in = { 0 }, *out;
		lk_nurture_result res;
		lk_exprenv env = { 0 };
		const char *why = NULL;
		int sub = r % 3 == 2 ? nacts / 2 : nacts, rc;
		char **keep;
		size_t *klen;

		for (i = 0; i < NH; i++) {
			f[i] = cells[r][i];
			len[i] = strlen(cells[r][i]);
		}
		in.n = NH;
		in.f = f;
		in.len = len;
		in.record = r + 1;
		env.now = NOW;
		rc = lk_nurture_row(n, &in, acts, det, sub, &env, &out, &res, &why);
		CHECK(rc >= 0);
		if (rc == 1) {
			CHECK(why && *why);
			continue;
		}
		CHECK(out->n == nout);
		for (i = 0; i < NH; i++)
			if (!owned(header[i]))
				CHECK(strcmp(out->f[i], cells[r][i]) == 0);
		{
			const char *st = out->f[find(names, nout, "nurture_state")];
			const char *nx = out->f[find(names, nout, "next_touch_at")];
			lk_time t;
			int k, ok = 0;
			for (k = 0; k < LK_NS_NKINDS; k++)
				ok |= !strcmp(st, lk_nurture_states[k]);
			CHECK(ok);
			if (res.unknown) {
				for (i = 0; i < NH; i++)
					if (owned(header[i]) && strcmp(header[i], "nurture_reason"))
						CHECK(strcmp(out->f[i], cells[r][i]) == 0);
			} else if (!strcmp(st, "active")) {
				CHECK(lk_date_parse(nx, strlen(nx), LK_DATE_AUTO, &t) == 0);
				CHECK(*out->f[find(names, nout, "next_content")]);
				CHECK(res.due == (t.secs <= NOW));
			} else {
				CHECK(!*nx);
				CHECK(!res.due);
			}
		}
		/* The fixed point: move the output again. */
		keep = malloc((size_t)nout * sizeof *keep);
		klen = malloc((size_t)nout * sizeof *klen);
		CHECK(keep && klen);
		for (i = 0; i < nout; i++) {
			keep[i] = strdup(out->f[i]);
			CHECK(keep[i]);
			klen[i] = strlen(keep[i]);
		}
		{
			lk_row in2 = { 0 }, *out2;
			lk_nurture_result res2;
			in2.n = nout;
			in2.f = keep;
			in2.len = klen;
			in2.record = r + 1;
			rc = lk_nurture_row(again, &in2, acts, det, sub, &env, &out2, &res2, &why);
			CHECK(rc == 0);
			CHECK(out2->n == nout);
			for (i = 0; i < nout; i++)
				if (strcmp(out2->f[i], keep[i])) {
					fprintf(stderr, "fuzz_nurture: row %d column %s: '%s' then '%s'\n",
						r, names[i], keep[i], out2->f[i]);
					CHECK(!"moving the output again changed it");
				}
			CHECK(res2.advanced == 0);
		}
		for (i = 0; i < nout; i++)
			free(keep[i]);
		free(keep);
		free(klen);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static lk_act acts[MAXACTS];
	static const char *det[MAXACTS];
	char *text = malloc(size ? size : 1);
	const char *const *names;
	const char **copy = NULL;
	lk_err e;
	lk_model *m;
	lk_nurture *n = NULL, *again = NULL;
	int nacts, nrows, nout, i;

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
	n = lk_nurture_new(m, &e);
	if (!n) {
		CHECK(e.msg[0] != '\0');
		if (e.kind == LK_EMODEL && e.line > 0) {
			CHECK(strcmp(e.file, "fuzz.yaml") == 0);
			CHECK(e.col >= 1);
		}
		goto out;
	}
	lk_err_clear(&e);
	if (lk_nurture_bind(n, header, NH, &e) < 0) {
		CHECK(e.msg[0] != '\0');
		goto out;
	}
	again = lk_nurture_new(m, &e);
	CHECK(again);
	lk_nurture_header(n, &names, &nout);
	copy = malloc((size_t)nout * sizeof *copy);
	if (!copy)
		goto out;
	for (i = 0; i < nout; i++)
		copy[i] = names[i];
	CHECK(lk_nurture_bind(again, copy, nout, &e) == 0);
	nrows = make_rows(n);
	nacts = make_acts(n, acts, det);
	run(n, again, acts, det, nacts, nrows);
out:
	free(copy);
	lk_nurture_free(again);
	lk_nurture_free(n);
	lk_model_free(m);
	free(text);
	return 0;
}
