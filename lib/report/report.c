/*
 * report.c - funnel and velocity aggregates, partials and rendering.
 * See report.h for the definitions every number follows.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/hash.h"
#include "report/report_int.h"
#include "core/stats.h"

/* The counters of one group.  Arrays are sized by the model's stages. */
typedef struct rgroup {
	char *key;		/* group value, owned (NUL-terminated) */
	size_t len;
	int64_t leads;		/* rows in the group */
	int64_t blank;		/* rows with an empty stage value */
	int64_t *reached;	/* [nstages] funnel: reached at least */
	int64_t *current;	/* [nstages] funnel: in the stage now */
	lk_hash *unknown;	/* stage value the model lacks -> count */
	lk_hash *hist;		/* velocity: hkey(a, b, day) -> count */
	int64_t *pairn;		/* [npath * npath] durations >= 0 per pair */
	int64_t *neg;		/* [npath * npath] negative durations per pair */
} rgroup;

/* "No date" in a history's per-stage times. */
#define HIST_NONE INT64_MAX

/* One lead of a stage history (--history). */
typedef struct hlead {
	int64_t *at;		/* [nstages] earliest change to the stage, HIST_NONE */
	int cur;		/* stage of the latest change, -1 unknown */
	int has_cur;
	int64_t cur_t;		/* time of the latest change */
	char *cur_unknown;	/* its value when the model lacks it, owned */
} hlead;

struct lk_report {
	const lk_model *m;
	lk_report_kind kind;
	char *by;		/* --by column, owned; NULL: one group */
	int by_month;		/* group by created_at's month */
	int by_col;		/* bound column of --by (or created_at), -1 */
	int stage_col;		/* bound stage column, -1 */
	int *at_col;		/* [nstages] bound <id>_at column, -1 */
	lk_hash *gidx;		/* group key -> index + 1 */
	rgroup **g;
	size_t ng, capg;
	lk_report_stats st;
	lk_report_opt opt;	/* options (strings borrowed) */
	const lk_report_ops *ops;	/* kinds kept in report_*.c, else NULL */
	void *x;		/* their state */
	lk_hash *hidx;		/* history: lead key -> index + 1 into hl */
	hlead *hl;
	size_t nhl, caphl;
	int hcol[3];		/* history columns: key, stage, changed_at */
	const char *hist_key;	/* "lead_id" or "email" */
	int hkey_col;		/* that column in the lead file, -1 */
	long merged;		/* version lines merged so far */
	int merge_state;	/* 0: expect version; 1: stages; 2: detours; 3: data */
};

/* Hash values are counts kept in the pointer slot (64-bit hosts). */
static int count_add(lk_hash *h, const char *k, size_t len, int64_t n)
{
	void **slot = lk_hash_slot(h, k, len, 1, NULL);

	if (!slot)
		return -1;
	*slot = (void *)((intptr_t)*slot + (intptr_t)n);
	return 0;
}

/* The velocity histogram key: two stage indices and a day count. */
static void hkey(char k[16], int32_t a, int32_t b, int64_t day)
{
	memcpy(k, &a, 4);
	memcpy(k + 4, &b, 4);
	memcpy(k + 8, &day, 8);
}

static void hkey_split(const char *k, int32_t *a, int32_t *b, int64_t *day)
{
	memcpy(a, k, 4);
	memcpy(b, k + 4, 4);
	memcpy(day, k + 8, 8);
}

static int nomem(lk_err *err)
{
	return lk_err_set(err, LK_ENOMEM, "out of memory");
}

int lk_report_nomem(lk_err *err)
{
	return nomem(err);
}

/* Options every kind that reads leads into counters takes. */
#define COUNTS (LK_ROPT_PARTIAL | LK_ROPT_MERGE | LK_ROPT_BY | LK_ROPT_HISTORY | \
		LK_ROPT_NO_HEADER_OUT | LK_ROPT_FILES)

/*
 * The report kinds, in lk_report_kind order: the name a user gives, the
 * implementation (NULL: funnel, velocity and plan, which are kept in this
 * file, and process, which renders the model), the options the kind
 * takes and those it needs.  lk_report_check holds a run against it.
 */
static const struct kind {
	const char *name;
	const lk_report_ops *ops;
	unsigned takes, needs;
} kinds[] = {
	{ "funnel", NULL, COUNTS, 0 },
	{ "velocity", NULL, COUNTS, 0 },
	{ "calibration", &lk_report_cal_ops, LK_ROPT_FILES, 0 },
	{ "sla", &lk_report_sla_ops, LK_ROPT_ACTIVITIES | LK_ROPT_FILES, 0 },
	{ "plan", NULL, COUNTS, LK_ROPT_TARGET },
	{ "timeline", &lk_report_timeline_ops,
	  LK_ROPT_HISTORY | LK_ROPT_ACTIVITIES | LK_ROPT_NO_HEADER_OUT | LK_ROPT_FILES, 0 },
	/* Process reads no leads: --history and --no-header-out are
	 * accepted and change nothing, as they always were. */
	{ "process", NULL, LK_ROPT_HISTORY | LK_ROPT_NO_HEADER_OUT, 0 },
};

int lk_report_kind_parse(const char *s, lk_report_kind *kind)
{
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (!strcmp(s, kinds[i].name)) {
			*kind = (lk_report_kind)i;
			return 0;
		}
	return -1;
}

int lk_report_takes(lk_report_kind kind, unsigned opt)
{
	return (kinds[kind].takes & opt) == opt;
}

int lk_report_takes_activities(lk_report_kind kind)
{
	return lk_report_takes(kind, LK_ROPT_ACTIVITIES);
}

int lk_report_mergeable(lk_report_kind kind)
{
	return lk_report_takes(kind, LK_ROPT_PARTIAL);
}

int lk_report_check(lk_report_kind kind, unsigned given, lk_err *err)
{
	const struct kind *k = &kinds[kind];
	unsigned refused = given & ~k->takes;

	if (refused & (LK_ROPT_PARTIAL | LK_ROPT_MERGE))
		return lk_err_set(err, LK_EUSAGE,
				  "--%s: only funnel, velocity and plan have partial aggregates",
				  given & LK_ROPT_PARTIAL ? "partial" : "merge");
	if (refused & LK_ROPT_NO_HEADER_OUT)
		return lk_err_set(err, LK_EUSAGE, "--no-header-out: a %s report has several tables",
				  k->name);
	if (refused & LK_ROPT_BY)
		return lk_err_set(err, LK_EUSAGE, "--by: only funnel, velocity and plan have groups");
	/* A stage history stands in for lead columns: partials have none. */
	if ((refused & LK_ROPT_HISTORY) || (given & LK_ROPT_HISTORY && given & LK_ROPT_MERGE))
		return lk_err_set(err, LK_EUSAGE, "--history: only funnel, velocity, plan and "
				  "timeline read a stage history");
	if ((given & LK_ROPT_HISTORY) && (given & LK_ROPT_BY) && !(given & LK_ROPT_FILES))
		return lk_err_set(err, LK_EUSAGE,
				  "--history without lead files: --by has no column to group by");
	if (refused & LK_ROPT_ACTIVITIES)
		return lk_err_set(err, LK_EUSAGE, "--activities: a %s report reads no activities",
				  k->name);
	/* A partial only counts; the target is the merge's to give. */
	if ((k->needs & ~given & LK_ROPT_TARGET) && !(given & LK_ROPT_PARTIAL))
		return lk_err_set(err, LK_EUSAGE, "%s: give --revenue and --deal-size", k->name);
	return 0;
}

int lk_report_bands_parse(const char *s, double *v, int max, lk_err *err)
{
	const char *all = s;
	int n = 0;
	char *end;

	for (;;) {
		if (n == max)
			return lk_err_set(err, LK_EUSAGE, "--bands: more than %d edges", max);
		v[n] = strtod(s, &end);
		if (end == s || (*end && *end != ',') || (n && !(v[n] > v[n - 1])))
			return lk_err_set(err, LK_EUSAGE,
					  "--bands: '%s' is not a list of ascending numbers", all);
		n++;
		if (!*end)
			return n;
		s = end + 1;
	}
}

int lk_report_fmt_parse(const char *s, lk_report_fmt *fmt)
{
	static const char *const names[] = { "csv", "tsv", "table", "json", "svg", "html", "dot", "md" };
	int i;

	for (i = 0; i < 8; i++)
		if (!strcmp(s, names[i])) {
			*fmt = (lk_report_fmt)i;
			return 0;
		}
	return -1;
}

/* The kind written in partials: a plan counts what a funnel counts,
 * so funnel partials merge into a plan. */
static const char *kind_name(lk_report_kind k)
{
	return k == LK_REPORT_VELOCITY ? "velocity" : "funnel";
}

lk_report *lk_report_new_opt(const lk_model *m, lk_report_kind kind, const lk_report_opt *o,
			     lk_err *err)
{
	lk_report *r = calloc(1, sizeof *r);
	int i;

	if (!r)
		goto fail;
	r->m = m;
	r->kind = kind;
	if (o)
		r->opt = *o;
	r->by_col = r->stage_col = -1;
	r->gidx = lk_hash_new(64);
	r->at_col = malloc(sizeof *r->at_col * (size_t)(m->nstages ? m->nstages : 1));
	if (!r->gidx || !r->at_col || (r->opt.by && !(r->by = strdup(r->opt.by))))
		goto fail;
	for (i = 0; i < m->nstages; i++)
		r->at_col[i] = -1;
	r->ops = kinds[kind].ops;
	if (r->ops && !(r->x = r->ops->create(m, &r->opt, &r->st, err))) {
		lk_report_free(r);
		return NULL;
	}
	return r;
fail:
	lk_report_free(r);
	nomem(err);
	return NULL;
}

lk_report *lk_report_new(const lk_model *m, lk_report_kind kind, const char *by, lk_err *err)
{
	lk_report_opt o;

	memset(&o, 0, sizeof o);
	o.by = by;
	return lk_report_new_opt(m, kind, &o, err);
}

int lk_report_bind_activities(lk_report *r, const char *const *names, int n, lk_err *err)
{
	if (!r->ops || !r->ops->bind_act)
		return lk_err_set(err, LK_EUSAGE, "--activities: a %s report reads no activities",
				  kinds[r->kind].name);
	return r->ops->bind_act(r->x, names, n, err);
}

int lk_report_add_activity(lk_report *r, const lk_row *row, lk_err *err)
{
	return r->ops->add_act(r->x, row, err);
}

static void group_free(rgroup *g)
{
	if (!g)
		return;
	free(g->key);
	free(g->reached);
	free(g->current);
	free(g->pairn);
	free(g->neg);
	lk_hash_free(g->unknown);
	lk_hash_free(g->hist);
	free(g);
}

void lk_report_free(lk_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->ng; i++)
		group_free(r->g[i]);
	free(r->g);
	lk_hash_free(r->gidx);
	for (i = 0; i < r->nhl; i++) {
		free(r->hl[i].at);
		free(r->hl[i].cur_unknown);
	}
	free(r->hl);
	lk_hash_free(r->hidx);
	free(r->at_col);
	free(r->by);
	if (r->ops)
		r->ops->destroy(r->x);
	free(r);
}

const lk_report_stats *lk_report_stats_get(const lk_report *r)
{
	return &r->st;
}

/* The messages of lk_report_notes: a counter, what it counts and what
 * became of them. */
static const struct {
	size_t off;
	const char *noun, *what;
} notes[] = {
	{ offsetof(lk_report_stats, unknown), "lead",
	  "with a stage the model does not know (rows of kind unknown)" },
	{ offsetof(lk_report_stats, bad_dates), "<stage>_at value", "not a date (ignored)" },
	{ offsetof(lk_report_stats, bad_scores), "lead", "without a numeric score (left out)" },
	{ offsetof(lk_report_stats, open), "lead", "without an outcome yet (left out)" },
	{ offsetof(lk_report_stats, bad_outcomes), "lead",
	  "whose outcome is not 1/0, yes/no, won/lost or a stage (left out)" },
	{ offsetof(lk_report_stats, no_sla), "sales lead", "without a sla_due_at date (left out)" },
	{ offsetof(lk_report_stats, bad_times), "time value", "not a date (ignored)" },
	{ offsetof(lk_report_stats, hist_unknown), "history row",
	  "with a stage the model does not know" },
	{ offsetof(lk_report_stats, bad_months), "lead", "without a created_at date (month blank)" },
	{ offsetof(lk_report_stats, neg_response), "first touch",
	  "before assigned_at (left out of response times)" },
};

int lk_report_notes(const lk_report *r, lk_buf *out)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof notes / sizeof notes[0]; i++) {
		long n = *(const long *)((const char *)&r->st + notes[i].off);
		if (!n)
			continue;
		bad |= lk_buf_addf(out, "%ld %s%s %s", n, notes[i].noun, n == 1 ? "" : "s",
				   notes[i].what);
		bad |= lk_buf_addc(out, 0);
	}
	return bad ? -1 : 0;
}

/* The group for a key, created (with zero counters) when new. */
static rgroup *group(lk_report *r, const char *key, size_t len)
{
	size_t ns = (size_t)r->m->nstages, np = (size_t)r->m->npath;
	void **slot;
	rgroup *g;
	int created = 0;

	slot = lk_hash_slot(r->gidx, key, len, 1, &created);
	if (!slot)
		return NULL;
	if (!created)
		return r->g[(intptr_t)*slot - 1];
	if (r->ng == r->capg) {
		size_t cap = r->capg ? r->capg * 2 : 16;
		rgroup **ng = realloc(r->g, cap * sizeof *ng);
		if (!ng)
			return NULL;
		r->g = ng;
		r->capg = cap;
	}
	g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->key = malloc(len + 1);
	g->reached = calloc(ns + 1, sizeof *g->reached);
	g->current = calloc(ns + 1, sizeof *g->current);
	g->pairn = calloc(np * np + 1, sizeof *g->pairn);
	g->neg = calloc(np * np + 1, sizeof *g->neg);
	g->unknown = lk_hash_new(8);
	g->hist = lk_hash_new(r->kind == LK_REPORT_VELOCITY ? 64 : 1);
	if (!g->key || !g->reached || !g->current || !g->pairn || !g->neg || !g->unknown || !g->hist) {
		group_free(g);
		return NULL;
	}
	memcpy(g->key, key, len);
	g->key[len] = '\0';
	g->len = len;
	r->g[r->ng++] = g;
	*slot = (void *)(intptr_t)r->ng;
	return g;
}

int lk_report_col(const char *const *names, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	for (i = 0; i < n; i++)
		if (!strcasecmp(names[i], name))
			return i;
	return -1;
}

int lk_report_bind(lk_report *r, const char *const *names, int n, lk_err *err)
{
	const lk_model *m = r->m;
	char at[256];
	int i, nat = 0;

	if (r->ops)
		return r->ops->bind(r->x, names, n, err);
	r->by_month = 0;
	r->by_col = -1;
	if (r->by) {
		r->by_col = lk_report_col(names, n, r->by);
		if (r->by_col < 0 && !strcmp(r->by, "month")) {
			r->by_month = 1;
			r->by_col = lk_report_col(names, n, "created_at");
			if (r->by_col < 0)
				return lk_err_set(err, LK_EUSAGE,
						  "--by month: no column month or created_at in the input");
		}
		if (r->by_col < 0)
			return lk_err_set(err, LK_EUSAGE, "--by: no column '%s' in the input", r->by);
	}
	r->stage_col = lk_report_col(names, n, "stage");
	r->hkey_col = -1;
	if (r->hidx) {
		r->hkey_col = lk_report_col(names, n, r->hist_key);
		if (r->hkey_col < 0)
			return lk_err_set(err, LK_EUSAGE,
					  "--history: the history is keyed by %s, which the leads lack",
					  r->hist_key);
	}
	for (i = 0; i < m->nstages; i++) {
		snprintf(at, sizeof at, "%s_at", m->stages[i].id);
		r->at_col[i] = lk_report_col(names, n, at);
		nat += r->at_col[i] >= 0 && i < m->npath;
	}
	if (r->kind != LK_REPORT_VELOCITY && r->stage_col < 0 && nat == 0 && !r->hidx)
		return lk_err_set(err, LK_EUSAGE,
				  "%s: the input has no stage column and no <stage>_at column",
				  kinds[r->kind].name);
	if (r->kind == LK_REPORT_VELOCITY && nat == 0 && !r->hidx)
		return lk_err_set(err, LK_EUSAGE,
				  "velocity: the input has no <stage>_at column (such as %s_at)",
				  m->npath ? m->stages[m->npath - 1].id : "won");
	return 0;
}

/* Calendar day (UTC) of a time: floor division, right for negatives. */
static int64_t day_of(int64_t secs)
{
	return (secs >= 0 ? secs : secs - 86399) / 86400;
}

static int field_ok(const lk_row *row, int col)
{
	return col >= 0 && col < row->n && !lk_blank(row->f[col], row->len[col], 0);
}

int lk_report_field_ok(const lk_row *row, int col)
{
	return field_ok(row, col);
}

int lk_report_key(const lk_row *row, int id_col, int email_col, const char **k, size_t *len)
{
	int c = field_ok(row, id_col) ? id_col : field_ok(row, email_col) ? email_col : -1;

	if (c < 0)
		return 0;
	*k = row->f[c];
	*len = row->len[c];
	return 1;
}

const lk_report_opt *lk_report_opts(const lk_report *r)
{
	return &r->opt;
}

int lk_report_time(const lk_model *m, const lk_row *row, int col, int64_t *secs)
{
	lk_time t;

	if (!field_ok(row, col) || lk_date_parse_tz(row->f[col], row->len[col], m->date_order, m->zone, &t) < 0)
		return -1;
	*secs = t.secs;
	return 0;
}

/* 1 when the lead reached stage s by a <stage>_at column or its history. */
static int has_at(const lk_report *r, const lk_row *row, const hlead *h, int s)
{
	return (row && field_ok(row, r->at_col[s])) || (h && h->at[s] != HIST_NONE);
}

static int add_funnel(lk_report *r, rgroup *g, const lk_row *row, const hlead *h)
{
	const lk_model *m = r->m;
	int s, cur = -1, far = -1;

	if (row && field_ok(row, r->stage_col)) {
		cur = lk_model_stage(m, row->f[r->stage_col], row->len[r->stage_col]);
		if (cur >= 0) {
			g->current[cur]++;
		} else {
			r->st.unknown++;
			if (count_add(g->unknown, row->f[r->stage_col], row->len[r->stage_col], 1) < 0)
				return -1;
		}
	} else if (h && (h->cur >= 0 || h->cur_unknown)) {
		/* No stage column: the latest change of the history. */
		cur = h->cur;
		if (cur >= 0) {
			g->current[cur]++;
		} else {
			r->st.unknown++;
			if (count_add(g->unknown, h->cur_unknown, strlen(h->cur_unknown), 1) < 0)
				return -1;
		}
	} else {
		g->blank++;
	}
	if (cur >= 0 && cur < m->npath)
		far = cur;
	for (s = 0; s < m->npath; s++)
		if (s > far && has_at(r, row, h, s))
			far = s;
	for (s = 0; s <= far; s++)
		g->reached[s]++;
	for (s = m->npath; s < m->nstages; s++)
		if (cur == s || has_at(r, row, h, s))
			g->reached[s]++;
	return 0;
}

static int add_velocity(lk_report *r, rgroup *g, const lk_row *row, const hlead *h)
{
	const lk_model *m = r->m;
	int s, prev = -1;
	int64_t pday = 0;

	for (s = 0; s < m->npath; s++) {
		int c = r->at_col[s];
		lk_time t;
		int64_t d;

		if (row && field_ok(row, c)) {
			if (lk_date_parse_tz(row->f[c], row->len[c], m->date_order, m->zone, &t) < 0) {
				r->st.bad_dates++;
				continue;
			}
		} else if (h && h->at[s] != HIST_NONE) {
			t.secs = h->at[s];
		} else {
			continue;
		}
		d = day_of(t.secs);
		if (prev >= 0) {
			size_t pi = (size_t)prev * (size_t)m->npath + (size_t)s;
			if (d < pday) {
				g->neg[pi]++;
			} else {
				char k[16];
				hkey(k, prev, s, d - pday);
				if (count_add(g->hist, k, 16, 1) < 0)
					return -1;
				g->pairn[pi]++;
			}
		}
		prev = s;
		pday = d;
	}
	return 0;
}

int lk_report_hist_cols(const char *const *names, int n, int col[3], lk_err *err)
{
	col[0] = lk_report_col(names, n, "lead_id");
	if (col[0] < 0)
		col[0] = lk_report_col(names, n, "email");
	col[1] = lk_report_col(names, n, "stage");
	col[2] = lk_report_col(names, n, "changed_at");
	if (col[0] < 0 || col[1] < 0 || col[2] < 0)
		return lk_err_set(err, LK_EUSAGE,
				  "--history: the file needs lead_id (or email), stage and changed_at columns");
	return 0;
}

int lk_report_bind_history(lk_report *r, const char *const *names, int n, lk_err *err)
{
	if (r->ops) {
		if (!r->ops->bind_hist)
			return lk_err_set(err, LK_EUSAGE, "--history: a %s report reads no stage history",
					  kinds[r->kind].name);
		return r->ops->bind_hist(r->x, names, n, err);
	}
	if (lk_report_hist_cols(names, n, r->hcol, err) < 0)
		return -1;
	r->hist_key = strcasecmp(names[r->hcol[0]], "email") ? "lead_id" : "email";
	if (!r->hidx && !(r->hidx = lk_hash_new(64)))
		return nomem(err);
	return 0;
}

int lk_report_add_history(lk_report *r, const lk_row *row, lk_err *err)
{
	const lk_model *m = r->m;
	int created, st, s;
	void **slot;
	hlead *h;
	lk_time t;
	const char *v;
	size_t len;

	if (r->ops)
		return r->ops->add_hist(r->x, row, err);
	if (!field_ok(row, r->hcol[0]))
		return 0;
	if (!field_ok(row, r->hcol[2]) ||
	    lk_date_parse_tz(row->f[r->hcol[2]], row->len[r->hcol[2]], m->date_order,
			     m->zone, &t) < 0) {
		r->st.bad_dates++;
		return 0;
	}
	if (t.secs > r->opt.now)
		return 0;	/* as of --now */
	slot = lk_hash_slot(r->hidx, row->f[r->hcol[0]], row->len[r->hcol[0]], 1, &created);
	if (!slot)
		return nomem(err);
	if (created) {
		if (r->nhl == r->caphl) {
			size_t cap = r->caphl ? r->caphl * 2 : 64;
			hlead *nh = realloc(r->hl, cap * sizeof *nh);
			if (!nh)
				return nomem(err);
			r->hl = nh;
			r->caphl = cap;
		}
		h = &r->hl[r->nhl];
		memset(h, 0, sizeof *h);
		h->cur = -1;
		h->at = malloc(sizeof *h->at * (size_t)(m->nstages + 1));
		if (!h->at)
			return nomem(err);
		for (s = 0; s < m->nstages; s++)
			h->at[s] = HIST_NONE;
		*slot = (void *)(intptr_t)++r->nhl;
	}
	h = &r->hl[(intptr_t)*slot - 1];
	/* A short row has no stage: a blank change, which moves nothing. */
	v = r->hcol[1] < row->n ? row->f[r->hcol[1]] : "";
	len = r->hcol[1] < row->n ? row->len[r->hcol[1]] : 0;
	st = lk_blank(v, len, 0) ? -2 : lk_model_stage(m, v, len);
	if (st == -1)
		r->st.hist_unknown++;
	if (st >= 0 && t.secs < h->at[st])
		h->at[st] = t.secs;
	if (st != -2 && (!h->has_cur || t.secs >= h->cur_t)) {
		h->has_cur = 1;
		h->cur_t = t.secs;
		h->cur = st;
		free(h->cur_unknown);
		h->cur_unknown = NULL;
		if (st < 0 && !(h->cur_unknown = strndup(v, len)))
			return nomem(err);
	}
	return 0;
}

int lk_report_add_history_leads(lk_report *r, lk_err *err)
{
	size_t i;
	rgroup *g;

	if (r->ops || !r->hidx)
		return 0;
	for (i = 0; i < r->nhl; i++) {
		const hlead *h = &r->hl[i];
		g = group(r, "", 0);
		if (!g)
			return nomem(err);
		r->st.rows++;
		g->leads++;
		if ((r->kind != LK_REPORT_VELOCITY ? add_funnel(r, g, NULL, h)
						    : add_velocity(r, g, NULL, h)) < 0)
			return nomem(err);
	}
	return 0;
}

int lk_report_add(lk_report *r, const lk_row *row, lk_err *err)
{
	char month[32];
	const char *key = "";
	size_t len = 0;
	rgroup *g;
	const hlead *h = NULL;

	if (r->ops)
		return r->ops->add(r->x, row, err);
	if (r->by_col >= 0 && r->by_col < row->n) {
		key = row->f[r->by_col];
		len = row->len[r->by_col];
		if (r->by_month) {
			lk_time t;
			if (!lk_blank(key, len, 0) &&
			    lk_date_parse_tz(key, len, r->m->date_order, r->m->zone, &t) == 0) {
				int y, mo, d;
				lk_civil_from_days(day_of(t.secs), &y, &mo, &d);
				snprintf(month, sizeof month, "%04d-%02d", y, mo);
				key = month;
				len = strlen(month);
			} else {
				r->st.bad_months++;
				key = "";
				len = 0;
			}
		}
	}
	g = group(r, key, len);
	if (!g)
		return nomem(err);
	r->st.rows++;
	g->leads++;
	if (r->hidx && r->hkey_col >= 0 && field_ok(row, r->hkey_col)) {
		void *v = lk_hash_get(r->hidx, row->f[r->hkey_col], row->len[r->hkey_col]);
		if (v)
			h = &r->hl[(intptr_t)v - 1];
	}
	if ((r->kind != LK_REPORT_VELOCITY ? add_funnel(r, g, row, h) : add_velocity(r, g, row, h)) < 0)
		return nomem(err);
	return 0;
}

/* ---- sorting ------------------------------------------------------- */

static int cmp_bytes(const char *a, size_t al, const char *b, size_t bl)
{
	int c = al && bl ? memcmp(a, b, al < bl ? al : bl) : 0;

	return c ? c : (al > bl) - (al < bl);
}

int lk_report_cmp(const char *a, size_t al, const char *b, size_t bl)
{
	return cmp_bytes(a, al, b, bl);
}

static int cmp_group(const void *x, const void *y)
{
	const rgroup *a = *(rgroup *const *)x, *b = *(rgroup *const *)y;

	return cmp_bytes(a->key, a->len, b->key, b->len);
}

/* The groups in key order; NULL on ENOMEM (or no groups). */
static rgroup **sorted_groups(const lk_report *r)
{
	rgroup **v = malloc((r->ng + 1) * sizeof *v);

	if (!v)
		return NULL;
	if (r->ng)
		memcpy(v, r->g, r->ng * sizeof *v);
	qsort(v, r->ng, sizeof *v, cmp_group);
	return v;
}

typedef struct kv {
	const char *k;
	size_t len;
	int64_t n;
} kv;

static int cmp_kv(const void *x, const void *y)
{
	const kv *a = x, *b = y;

	return cmp_bytes(a->k, a->len, b->k, b->len);
}

static int cmp_hist(const void *x, const void *y)
{
	const kv *a = x, *b = y;
	int32_t aa, ab, ba, bb;
	int64_t ad, bd;

	hkey_split(a->k, &aa, &ab, &ad);
	hkey_split(b->k, &ba, &bb, &bd);
	if (aa != ba)
		return aa < ba ? -1 : 1;
	if (ab != bb)
		return ab < bb ? -1 : 1;
	return (ad > bd) - (ad < bd);
}

/* The entries of a count table, sorted; *n set.  NULL on ENOMEM. */
static kv *sorted_counts(const lk_hash *h, int hist, size_t *n)
{
	size_t i, c = lk_hash_count(h);
	kv *v = malloc((c + 1) * sizeof *v);

	if (!v)
		return NULL;
	for (i = 0; i < c; i++) {
		void *val;
		lk_hash_entry(h, i, &v[i].k, &v[i].len, &val);
		v[i].n = (int64_t)(intptr_t)val;
	}
	qsort(v, c, sizeof *v, hist ? cmp_hist : cmp_kv);
	*n = c;
	return v;
}

/* ---- partial aggregates ------------------------------------------- */

static void pfield(lk_buf *out, const char *s, size_t len, int first)
{
	if (!first)
		lk_buf_addc(out, ',');
	lk_csv_quote(out, s, len, ',');
}

static void pnum(lk_buf *out, int64_t n)
{
	lk_buf_addf(out, ",%lld", (long long)n);
}

int lk_report_partial(const lk_report *r, lk_buf *out, lk_err *err)
{
	const lk_model *m = r->m;
	rgroup **gs = sorted_groups(r);
	size_t i, j, n;
	int s;

	if (!gs)
		return nomem(err);
	lk_buf_addf(out, "leadkit-report,%d,%s,", LK_REPORT_PARTIAL_VERSION, kind_name(r->kind));
	if (r->by)
		lk_csv_quote(out, r->by, strlen(r->by), ',');
	lk_buf_adds(out, "\nstages");
	for (s = 0; s < m->npath; s++)
		lk_buf_addf(out, ",%s", m->stages[s].id);
	lk_buf_adds(out, "\ndetours");
	for (s = m->npath; s < m->nstages; s++)
		lk_buf_addf(out, ",%s", m->stages[s].id);
	lk_buf_addc(out, '\n');
	for (i = 0; i < r->ng; i++) {
		rgroup *g = gs[i];
		kv *v;

		lk_buf_adds(out, "g");
		pfield(out, g->key, g->len, 0);
		pnum(out, g->leads);
		if (r->kind != LK_REPORT_VELOCITY) {
			pnum(out, g->blank);
			for (s = 0; s < m->nstages; s++)
				pnum(out, g->reached[s]);
			for (s = 0; s < m->nstages; s++)
				pnum(out, g->current[s]);
		}
		lk_buf_addc(out, '\n');
		v = sorted_counts(g->unknown, 0, &n);
		if (!v)
			goto fail;
		for (j = 0; j < n; j++) {
			lk_buf_adds(out, "u");
			pfield(out, g->key, g->len, 0);
			pfield(out, v[j].k, v[j].len, 0);
			pnum(out, v[j].n);
			lk_buf_addc(out, '\n');
		}
		free(v);
		v = sorted_counts(g->hist, 1, &n);
		if (!v)
			goto fail;
		for (j = 0; j < n; j++) {
			int32_t a, b;
			int64_t d;
			hkey_split(v[j].k, &a, &b, &d);
			lk_buf_adds(out, "h");
			pfield(out, g->key, g->len, 0);
			lk_buf_addf(out, ",%s,%s,%lld,%lld\n", m->stages[a].id, m->stages[b].id,
				    (long long)d, (long long)v[j].n);
		}
		free(v);
		for (j = 0; j < (size_t)m->npath * (size_t)m->npath; j++) {
			if (!g->neg[j])
				continue;
			lk_buf_adds(out, "n");
			pfield(out, g->key, g->len, 0);
			lk_buf_addf(out, ",%s,%s,%lld\n", m->stages[j / (size_t)m->npath].id,
				    m->stages[j % (size_t)m->npath].id, (long long)g->neg[j]);
		}
	}
	free(gs);
	if (!out->data)
		return nomem(err);
	return 0;
fail:
	free(gs);
	return nomem(err);
}

static int bad_partial(lk_err *err, const lk_row *row, const char *fmt, const char *what)
{
	lk_err_set(err, LK_EDATA, fmt, what);
	if (err) {
		err->record = row->record;
		err->line = row->line;
	}
	return -1;
}

static int num(const lk_row *row, int i, int64_t *out)
{
	char *end;
	long long v;

	if (i >= row->n || !row->len[i])
		return -1;
	errno = 0;
	v = strtoll(row->f[i], &end, 10);
	if (*end || errno || v < 0)
		return -1;
	*out = v;
	return 0;
}

/* The stage list of a partial must be the model's, in order. */
static int same_stages(const lk_report *r, const lk_row *row, int from, int to)
{
	int s;

	if (row->n - 1 != to - from)
		return 0;
	for (s = from; s < to; s++)
		if (strcmp(row->f[s - from + 1], r->m->stages[s].id))
			return 0;
	return 1;
}

static int path_stage(const lk_report *r, const lk_row *row, int i)
{
	int s;

	if (i >= row->n)
		return -1;
	s = lk_model_stage_id(r->m, row->f[i]);
	return s < r->m->npath ? s : -1;
}

int lk_report_merge_row(lk_report *r, const lk_row *row, lk_err *err)
{
	const lk_model *m = r->m;
	const char *t = row->n ? row->f[0] : "";
	int ns = m->nstages, s;
	rgroup *g;

	if (!strcmp(t, "leadkit-report")) {
		const char *by = row->n > 3 ? row->f[3] : "";
		if (row->n != 4 || strcmp(row->f[1], "1"))
			return bad_partial(err, row, "%s: not a version 1 partial aggregate",
					   row->n > 1 ? row->f[1] : "");
		if (strcmp(row->f[2], kind_name(r->kind)))
			return bad_partial(err, row, "a %s partial cannot be merged into this report",
					   row->f[2]);
		if (!r->by && *by && r->merged == 0 && r->st.rows == 0 && !(r->by = strdup(by)))
			return nomem(err);
		if (strcmp(r->by ? r->by : "", by))
			return bad_partial(err, row, "partial grouped by '%s' does not match --by", by);
		r->merged++;
		r->merge_state = 1;
		return 0;
	}
	switch (r->merge_state) {
	case 0:
		return bad_partial(err, row, "%s", "not a lead-report partial aggregate (no leadkit-report line)");
	case 1:
		if (strcmp(t, "stages") || !same_stages(r, row, 0, m->npath))
			return bad_partial(err, row, "%s", "the partial's stages are not the model's");
		r->merge_state = 2;
		return 0;
	case 2:
		if (strcmp(t, "detours") || !same_stages(r, row, m->npath, ns))
			return bad_partial(err, row, "%s", "the partial's detours are not the model's");
		r->merge_state = 3;
		return 0;
	}
	if (row->n < 2)
		return bad_partial(err, row, "%s", "short line in a partial aggregate");
	g = group(r, row->f[1], row->len[1]);
	if (!g)
		return nomem(err);
	if (!strcmp(t, "g")) {
		int64_t v;
		int want = r->kind != LK_REPORT_VELOCITY ? 4 + 2 * ns : 3;
		if (row->n != want || num(row, 2, &v) < 0)
			return bad_partial(err, row, "%s", "bad group line in a partial aggregate");
		g->leads += v;
		if (r->kind != LK_REPORT_VELOCITY) {
			int64_t bl;
			if (num(row, 3, &bl) < 0)
				return bad_partial(err, row, "%s", "bad group line in a partial aggregate");
			g->blank += bl;
			for (s = 0; s < 2 * ns; s++) {
				if (num(row, 4 + s, &v) < 0)
					return bad_partial(err, row, "%s", "bad group line in a partial aggregate");
				if (s < ns)
					g->reached[s] += v;
				else
					g->current[s - ns] += v;
			}
		}
		return 0;
	}
	if (!strcmp(t, "u")) {
		int64_t v;
		if (row->n != 4 || num(row, 3, &v) < 0)
			return bad_partial(err, row, "%s", "bad unknown-stage line in a partial aggregate");
		if (count_add(g->unknown, row->f[2], row->len[2], v) < 0)
			return nomem(err);
		return 0;
	}
	if (!strcmp(t, "h") || !strcmp(t, "n")) {
		int a = path_stage(r, row, 2), b = path_stage(r, row, 3);
		int64_t d = 0, v;
		size_t pi;
		if (a < 0 || b <= a || row->n != (*t == 'h' ? 6 : 5) ||
		    (*t == 'h' && num(row, 4, &d) < 0) || num(row, row->n - 1, &v) < 0)
			return bad_partial(err, row, "%s", "bad velocity line in a partial aggregate");
		pi = (size_t)a * (size_t)m->npath + (size_t)b;
		if (*t == 'n') {
			g->neg[pi] += v;
		} else {
			char k[16];
			hkey(k, a, b, d);
			if (count_add(g->hist, k, 16, v) < 0)
				return nomem(err);
			g->pairn[pi] += v;
		}
		return 0;
	}
	return bad_partial(err, row, "unknown line type '%s' in a partial aggregate", t);
}

/* ---- the rendered table ------------------------------------------- */

static void funnel_rows(const lk_report *r, lk_tab *t, const rgroup *g)
{
	const lk_model *m = r->m;
	int s;
	size_t i, n;
	kv *v;

#define GROUP() do { if (r->by) lk_tab_add(t, g->key, g->len); } while (0)
	GROUP();
	lk_tab_adds(t, "all");
	lk_tab_adds(t, "total");
	lk_tab_int(t, g->leads);
	lk_tab_int(t, g->leads);
	lk_tab_adds(t, "");
	lk_tab_adds(t, "");
	for (s = 0; s < m->nstages; s++) {
		int path = s < m->npath;
		GROUP();
		lk_tab_adds(t, m->stages[s].id);
		lk_tab_adds(t, path ? "path" : "detour");
		lk_tab_int(t, g->reached[s]);
		lk_tab_int(t, g->current[s]);
		if (path && s > 0)
			lk_tab_pct(t, g->reached[s], g->reached[s - 1]);
		else
			lk_tab_adds(t, "");
		if (path)
			lk_tab_pct(t, g->reached[s], g->reached[0]);
		else
			lk_tab_adds(t, "");
	}
	if (g->blank) {
		GROUP();
		lk_tab_adds(t, "");
		lk_tab_adds(t, "blank");
		lk_tab_adds(t, "");
		lk_tab_int(t, g->blank);
		lk_tab_adds(t, "");
		lk_tab_adds(t, "");
	}
	v = sorted_counts(g->unknown, 0, &n);
	if (!v) {
		t->fail = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		GROUP();
		lk_tab_add(t, v[i].k, v[i].len);
		lk_tab_adds(t, "unknown");
		lk_tab_adds(t, "");
		lk_tab_int(t, v[i].n);
		lk_tab_adds(t, "");
		lk_tab_adds(t, "");
	}
	free(v);
}

/* The k-th (1-based) smallest duration of a sorted histogram slice. */
static int64_t kth(const kv *v, size_t n, int64_t k)
{
	size_t i;
	int64_t seen = 0;

	for (i = 0; i < n; i++) {
		seen += v[i].n;
		if (seen >= k)
			break;
	}
	{
		int32_t a, b;
		int64_t d;
		hkey_split(v[i < n ? i : n - 1].k, &a, &b, &d);
		return d;
	}
}

static void velocity_pair(const lk_report *r, lk_tab *t, const rgroup *g, int a, int b,
			  const kv *v, size_t n)
{
	const lk_model *m = r->m;
	size_t pi = (size_t)a * (size_t)m->npath + (size_t)b;
	int64_t cnt = g->pairn[pi], sum = 0;
	size_t i;
	char buf[48];

	for (i = 0; i < n; i++) {
		int32_t x, y;
		int64_t d;
		hkey_split(v[i].k, &x, &y, &d);
		sum += d * v[i].n;
	}
	GROUP();
	lk_tab_adds(t, m->stages[a].id);
	lk_tab_adds(t, m->stages[b].id);
	lk_tab_int(t, cnt);
	if (cnt) {
		int64_t lo = kth(v, n, (cnt + 1) / 2), hi = kth(v, n, cnt / 2 + 1);
		int64_t p90 = kth(v, n, (cnt * 9 + 9) / 10), mean10;
		/* The middle value, or the mean of the two middle ones (lo and
		 * hi are the same value when the count is odd). */
		snprintf(buf, sizeof buf, "%lld%s", (long long)((lo + hi) / 2),
			 (lo + hi) % 2 ? ".5" : "");
		lk_tab_adds(t, buf);
		lk_tab_int(t, p90);
		mean10 = (sum * 20 + cnt) / (2 * cnt);
		snprintf(buf, sizeof buf, "%lld.%lld", (long long)(mean10 / 10), (long long)(mean10 % 10));
		lk_tab_adds(t, buf);
		lk_tab_int(t, kth(v, n, 1));
		lk_tab_int(t, kth(v, n, cnt));
	} else {
		for (i = 0; i < 5; i++)
			lk_tab_adds(t, "");
	}
	lk_tab_int(t, g->neg[pi]);
}

static void velocity_rows(const lk_report *r, lk_tab *t, const rgroup *g)
{
	const lk_model *m = r->m;
	size_t n, i = 0;
	kv *v = sorted_counts(g->hist, 1, &n);
	int a, b;

	if (!v) {
		t->fail = 1;
		return;
	}
	for (a = 0; a < m->npath; a++)
		for (b = a + 1; b < m->npath; b++) {
			size_t pi = (size_t)a * (size_t)m->npath + (size_t)b, j;
			if (b != a + 1 && !g->pairn[pi] && !g->neg[pi])
				continue;
			/* The histogram is sorted by (a, b, day): this pair's slice. */
			for (; i < n; i++) {
				int32_t x, y;
				int64_t d;
				hkey_split(v[i].k, &x, &y, &d);
				if (x > a || (x == a && y >= b))
					break;
			}
			for (j = i; j < n; j++) {
				int32_t x, y;
				int64_t d;
				hkey_split(v[j].k, &x, &y, &d);
				if (x != a || y != b)
					break;
			}
			velocity_pair(r, t, g, a, b, v + i, j - i);
			i = j;
		}
	free(v);
#undef GROUP
}

/* ceil(x) with a little slack, so that 12.000000001 needs 12. */
static double ceil_slack(double x)
{
	return ceil(x - 1e-9);
}

/*
 * The plan: the last path stage needs ceil(revenue / deal size) leads;
 * each earlier stage s needs ceil(next / rate), rate being reached[s+1]
 * / reached[s].  The range takes the Wilson 95% interval of each rate:
 * the high bound divides by the low rate, the low bound by the high
 * rate, stage by stage, so it holds every rate at its worst (or best)
 * at once.  A stage whose rate is 0 or unmeasured has no bound.  A rate
 * the model gives (plan.rates, keyed by the later stage) replaces the
 * measured one and is its own range: rate_source says which is which.
 */
static void plan_rows(const lk_report *r, lk_tab *t, const rgroup *g)
{
	const lk_model *m = r->m;
	int s, np = m->npath;
	double need, lo, hi;
	double *cell = calloc((size_t)np * 6 + 1, sizeof *cell);

	if (!cell || np == 0) {
		t->fail = !cell;
		free(cell);
		return;
	}
	need = lo = hi = r->opt.deal_size > 0 ? ceil_slack(r->opt.revenue / r->opt.deal_size) : NAN;
	for (s = np - 1; s >= 0; s--) {
		double *c = cell + (size_t)s * 6, rlo = NAN, rhi = NAN, rate = NAN;
		if (s < np - 1) {
			int64_t a = g->reached[s], b = g->reached[s + 1];
			if (m->plan_rate && m->plan_rate[s + 1] > 0) {
				rate = rlo = rhi = m->plan_rate[s + 1];
			} else if (a > 0) {
				rate = (double)b / (double)a;
				lk_wilson((long)b, (long)a, 1.96, &rlo, &rhi);
			}
			need = rate > 0 ? ceil_slack(need / rate) : NAN;
			lo = rhi > 0 ? ceil_slack(lo / rhi) : NAN;
			hi = rlo > 0 ? ceil_slack(hi / rlo) : NAN;
		}
		c[0] = need;
		c[1] = lo;
		c[2] = hi;
		c[3] = rate;
		c[4] = rlo;
		c[5] = rhi;
	}
	for (s = 0; s < np; s++) {
		double *c = cell + (size_t)s * 6;
		int k;
		if (r->by)
			lk_tab_add(t, g->key, g->len);
		lk_tab_adds(t, m->stages[s].id);
		for (k = 0; k < 3; k++)
			lk_tab_num(t, c[k], 0);
		if (s < np - 1) {
			int given = m->plan_rate && m->plan_rate[s + 1] > 0;
			lk_tab_int(t, g->reached[s]);
			lk_tab_int(t, g->reached[s + 1]);
			if (given)
				lk_tab_num(t, 100 * c[3], 2);
			else
				lk_tab_pct(t, g->reached[s + 1], g->reached[s]);
			lk_tab_num(t, 100 * c[4], 2);
			lk_tab_num(t, 100 * c[5], 2);
			lk_tab_adds(t, given ? "model" : "measured");
		} else {
			lk_tab_int(t, g->reached[s]);
			for (k = 0; k < 5; k++)
				lk_tab_adds(t, "");
		}
	}
	free(cell);
}

/* lk_report_render, the header line left in. */
static int render(const lk_report *r, lk_report_fmt fmt, lk_buf *out, lk_err *err)
{
	lk_tab t, *tp = &t;
	rgroup **gs;
	size_t i;
	int rc;

	if (fmt == LK_FMT_DOT || fmt == LK_FMT_MD ||
	    (fmt == LK_FMT_SVG && r->kind != LK_REPORT_FUNNEL && r->kind != LK_REPORT_PLAN))
		return lk_err_set(err, LK_EUSAGE, "--format %s: not for a %s report",
				  fmt == LK_FMT_DOT ? "dot" : fmt == LK_FMT_MD ? "md" : "svg",
				  kinds[r->kind].name);
	if (r->ops)
		return r->ops->render(r->x, fmt, out, err);
	gs = sorted_groups(r);
	lk_tab_init(&t, NULL);
	if (!gs)
		return nomem(err);
	if (r->by)
		lk_tab_col(&t, r->by, 's');
	if (r->kind == LK_REPORT_PLAN) {
		lk_tab_col(&t, "stage", 's');
		t.barcol = t.ncol;
		lk_tab_col(&t, "needed", 'i');
		lk_tab_col(&t, "needed_low", 'i');
		lk_tab_col(&t, "needed_high", 'i');
		lk_tab_col(&t, "reached", 'i');
		lk_tab_col(&t, "next_reached", 'i');
		lk_tab_col(&t, "next_conversion_pct", 'n');
		lk_tab_col(&t, "next_low_pct", 'n');
		lk_tab_col(&t, "next_high_pct", 'n');
		lk_tab_col(&t, "rate_source", 's');
	} else if (r->kind == LK_REPORT_FUNNEL) {		lk_tab_col(&t, "stage", 's');
		lk_tab_col(&t, "kind", 's');
		t.barcol = t.ncol;
		lk_tab_col(&t, "reached", 'i');
		lk_tab_col(&t, "current", 'i');
		lk_tab_col(&t, "conversion_pct", 'n');
		lk_tab_col(&t, "cumulative_pct", 'n');
	} else {
		lk_tab_col(&t, "from", 's');
		lk_tab_col(&t, "to", 's');
		lk_tab_col(&t, "leads", 'i');
		lk_tab_col(&t, "median_days", 'n');
		lk_tab_col(&t, "p90_days", 'i');
		lk_tab_col(&t, "mean_days", 'n');
		lk_tab_col(&t, "min_days", 'i');
		lk_tab_col(&t, "max_days", 'i');
		lk_tab_col(&t, "negative", 'i');
	}
	/* Without --by there is always the one group, even with no leads:
	 * a report of zeros.  Adding an empty group changes no count, so
	 * the report stays logically const. */
	if (!r->by && r->ng == 0) {
		rgroup *g = group((lk_report *)r, "", 0);
		free(gs);
		if (!g || !(gs = sorted_groups(r)))
			return nomem(err);
	}
	for (i = 0; i < r->ng; i++) {
		if (r->kind == LK_REPORT_PLAN)
			plan_rows(r, &t, gs[i]);
		else if (r->kind == LK_REPORT_FUNNEL)
			funnel_rows(r, &t, gs[i]);
		else
			velocity_rows(r, &t, gs[i]);
	}
	free(gs);
	/* The chart: the path stages' reached counts (funnel) or the leads
	 * each stage needs (plan), one section per group. */
	t.title = kinds[r->kind].name;
	if (r->kind == LK_REPORT_FUNNEL) {
		t.chart_group = r->by ? 0 : -1;
		t.chart_label = t.chart_group + 1;
		t.chart_value = t.chart_group + 3;
		t.chart_note = t.chart_group + 5;
		t.chart_filter = t.chart_group + 2;
		t.chart_filter_value = "path";
	} else if (r->kind == LK_REPORT_PLAN) {
		t.chart_group = r->by ? 0 : -1;
		t.chart_label = t.chart_group + 1;
		t.chart_value = t.chart_group + 2;
		t.chart_note = -1;
	}
	rc = lk_tabs_render(&tp, 1, fmt, out, err);
	lk_tab_free(&t);
	return rc;
}

int lk_report_render(const lk_report *r, lk_report_fmt fmt, lk_buf *out, lk_err *err)
{
	size_t from = out->len, cut;
	const char *nl;

	if (render(r, fmt, out, err) < 0)
		return -1;
	if (!r->opt.no_header || (fmt != LK_FMT_CSV && fmt != LK_FMT_TSV) || out->len == from)
		return 0;
	/* The first line goes, its newline with it (all of it when it has none). */
	nl = memchr(out->data + from, '\n', out->len - from);
	cut = nl ? (size_t)(nl - (out->data + from)) + 1 : out->len - from;
	memmove(out->data + from, out->data + from + cut, out->len - from - cut + 1);
	out->len -= cut;
	return 0;
}

const lk_model *lk_report_model(const lk_report *r)
{
	return r->m;
}
