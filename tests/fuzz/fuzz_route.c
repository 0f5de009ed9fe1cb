/*
 * fuzz_route.c - libFuzzer harness for the routing section and routing.
 *
 * The input is a model (YAML) optionally followed by a line "%%" and
 * lead rows, one per line, fields separated by '|' in the order of a
 * fixed header.  A routing section that fails must say where; one that
 * loads is bound to the header and routes every row (and a few fixed
 * ones) twice as of two instants.  Each result must be consistent:
 *   - the route is one of the five, the rule index in range, and a
 *     lead held with no rule has rule -1;
 *   - an owner chosen from a pool is a rep of that pool, or the lead's
 *     own owner, or empty;
 *   - sla_due_at is never before assigned_at;
 *   - the output row has the header's width.
 * lk_calendar_add is also probed with the fuzzed calendar: the due
 * time of a positive duration is later than the start, or -1.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "route/route.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static const char *const header[] = { "lead_id", "email", "company", "stage", "status", "owner",
				      "route", "recycle_count", "assigned_at", "score", "mql",
				      "grade", "title", "country" };
#define NH ((int)(sizeof header / sizeof header[0]))

static void route_one(lk_route *r, char **f, int64_t now)
{
	size_t len[NH];
	lk_row in = { 0 }, *out;
	lk_exprenv env = { 0 };
	lk_route_result res;
	const char *const *names;
	int i, k, nn, nr, np, ok = 0;
	const lk_route_rule *rules = lk_route_rules(r, &nr);
	const lk_pool *pools = lk_route_pools(r, &np);

	for (i = 0; i < NH; i++)
		len[i] = strlen(f[i]);
	in.n = NH;
	in.f = f;
	in.len = len;
	env.now = now;
	if (lk_route_row(r, &in, &env, &out, &res) < 0)
		return;
	lk_route_header(r, &names, &nn);
	CHECK(out->n == nn);
	CHECK(res.route >= 0 && res.route < LK_ROUTE_NKINDS);
	CHECK(res.rule >= -1 && res.rule < nr);
	if (res.rule < 0)
		CHECK(res.route == LK_ROUTE_HOLD);
	if (res.sla_due_at >= 0)
		CHECK(res.assigned_at >= 0 && res.sla_due_at >= res.assigned_at);
	if (res.rule >= 0 && rules[res.rule].pool >= 0 && res.owner[0] &&
	    pools[rules[res.rule].pool].method != LK_POOL_ACCOUNT) {
		const lk_pool *p = &pools[rules[res.rule].pool];
		ok = !strcmp(res.owner, f[5]);
		for (k = 0; k < p->nreps && !ok; k++)
			ok = !strcmp(res.owner, p->reps[k].id);
		CHECK(ok);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char empty[] = "";
	static const char *fixed[][NH] = {
		{ "L1", "a@x.com", "Acme", "mql", "", "", "", "", "", "80", "yes", "A", "VP", "US" },
		{ "", "", "", "Recycled", "recycled", "bob", "sales", "7", "2026-01-02", "x", "no",
		  "", "", "" },
	};
	char *text = malloc(size + 1), *rows, *line, *save = NULL;
	lk_err e;
	lk_model *m;
	lk_route *r;
	size_t msize = size;
	int i, k;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	rows = strstr(text, "\n%%\n");
	if (rows) {
		msize = (size_t)(rows - text);
		rows += 4;
	}
	lk_err_clear(&e);
	m = lk_model_load_mem("fuzz.yaml", text, msize, &e);
	if (!m) {
		CHECK(e.msg[0] != '\0');
		free(text);
		return 0;
	}
	lk_err_clear(&e);
	r = lk_route_new(m, &e);
	if (!r) {
		CHECK(e.msg[0] != '\0');
		if (e.kind == LK_EMODEL && e.line > 0)
			CHECK(e.col >= 1);
		lk_model_free(m);
		free(text);
		return 0;
	}
	{
		const lk_calendar *c = lk_route_calendar(r);
		int64_t start = 1763672400;	/* 2025-11-20T21:00:00Z */
		int64_t due = lk_calendar_add(c, start, 3600);
		CHECK(due == -1 || due > start);
	}
	lk_err_clear(&e);
	if (lk_route_bind(r, header, NH, &e) == 0) {
		for (i = 0; i < 2; i++) {
			char *f[NH];
			for (k = 0; k < NH; k++)
				f[k] = (char *)fixed[i][k];
			route_one(r, f, 1763672400);
		}
		for (line = rows ? strtok_r(rows, "\n", &save) : NULL; line;
		     line = strtok_r(NULL, "\n", &save)) {
			char *f[NH], *p = line;
			for (k = 0; k < NH; k++) {
				f[k] = p ? p : empty;
				if (p && (p = strchr(p, '|')))
					*p++ = 0;
			}
			route_one(r, f, 1763672400);
			route_one(r, f, 1764277200);	/* a week later */
		}
	}
	lk_route_free(r);
	lk_model_free(m);
	free(text);
	return 0;
}
