/* activities.c - activity exports to the canonical activity stream; see activities.h. */
#include "ingest/activities.h"

#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "model/norm.h"

/* One input file. */
struct afile {
	lk_actmap map;
	lk_linkplan *plan;	/* with a link, or NULL */
	int *outcol;		/* per input column: output column, or -1 */
	long repeats;
};

struct lk_actingest {
	const lk_model *model;
	lk_actingest_opt opt;
	struct afile *files;
	int nfiles, cur;
	char **names;		/* output header: the canonical five, then copies */
	int nout, capout;
	lk_buf val[LK_NACT], alt, tmp, reason, key;
	lk_hash *aliases;	/* loose key of a model alias -> activity name */
	lk_hash *seen;		/* the rows out, for the repeats */
	lk_row out;
	int outcap;
};

/* Statuses of campaign members, email sends and tasks, by loose key. */
static const struct {
	const char *loose, *name;
} builtin[] = {
	{ "sent", "email_sent" }, { "delivered", "email_delivered" },
	{ "opened", "email_open" }, { "open", "email_open" },
	{ "clicked", "email_click" }, { "clickedlink", "email_click" },
	{ "responded", "campaign_response" }, { "optedout", "unsubscribe" },
	{ "unsubscribed", "unsubscribe" }, { "bounced", "email_bounced" },
	{ "hardbounce", "email_bounced" }, { "softbounce", "email_bounced" },
	{ "hardbounced", "email_bounced" }, { "softbounced", "email_bounced" },
	{ "registered", "event_registered" }, { "attended", "event_attended" },
	{ "noshow", "event_no_show" }, { "completed", "task_completed" },
	{ "notstarted", "task_open" }, { "inprogress", "task_open" },
	{ "waitingonsomeoneelse", "task_open" }, { "deferred", "task_deferred" },
	{ NULL, NULL }
};

const char *lk_act_builtin(const char *s, size_t len)
{
	lk_buf k = LK_BUF_INIT;
	const char *name = NULL;
	int i;

	lk_loose_key(s, len, &k);
	for (i = 0; builtin[i].loose && !name; i++)
		if (!strcmp(builtin[i].loose, lk_buf_str(&k)))
			name = builtin[i].name;
	lk_buf_free(&k);
	return name;
}

void lk_actingest_free(lk_actingest *a)
{
	int i;

	if (!a)
		return;
	for (i = 0; i < a->nfiles; i++) {
		lk_actmap_free(&a->files[i].map);
		lk_linkplan_free(a->files[i].plan);
		free(a->files[i].outcol);
	}
	free(a->files);
	for (i = LK_NACT; i < a->nout; i++)
		free(a->names[i]);
	free(a->names);
	for (i = 0; i < LK_NACT; i++)
		lk_buf_free(&a->val[i]);
	lk_buf_free(&a->alt);
	lk_buf_free(&a->tmp);
	lk_buf_free(&a->reason);
	lk_buf_free(&a->key);
	lk_hash_free(a->aliases);
	lk_hash_free(a->seen);
	free(a->out.f);
	free(a->out.len);
	free(a);
}

lk_actingest *lk_actingest_new(const lk_model *m, const lk_actingest_opt *opt, lk_err *err)
{
	lk_actingest *a = calloc(1, sizeof *a);
	int i;

	if (!a)
		goto oom;
	a->model = m;
	if (opt)
		a->opt = *opt;
	if (a->opt.date_order == LK_DATE_AUTO && m)
		a->opt.date_order = m->date_order;
	a->capout = 16;
	a->names = calloc((size_t)a->capout, sizeof *a->names);
	a->aliases = lk_hash_new(m ? (size_t)m->nactivity_aliases : 0);
	a->seen = lk_hash_new(1024);
	if (!a->names || !a->aliases || !a->seen)
		goto oom;
	for (i = 0; i < LK_NACT; i++)
		a->names[i] = (char *)lk_act_canon[i];
	a->nout = LK_NACT;
	/* Aliases are matched on their loose keys; the first of a key wins,
	 * as the list order promises. */
	for (i = 0; m && i < m->nactivity_aliases; i++) {
		const lk_alias *al = &m->activity_aliases[i];
		void **slot;
		lk_loose_key(al->alias, strlen(al->alias), &a->tmp);
		if (!(slot = lk_hash_slot(a->aliases, lk_buf_str(&a->tmp), a->tmp.len, 1, NULL)))
			goto oom;
		if (!*slot)
			*slot = (void *)al->name;
	}
	return a;
oom:
	lk_actingest_free(a);
	lk_err_set(err, LK_ENOMEM, "out of memory");
	return NULL;
}

/* The output column of the k-th column named `name` (0-based k) among
 * the others, added when there is none yet; -1 on ENOMEM. */
static int out_column(lk_actingest *a, const char *name, int k)
{
	int i;

	for (i = LK_NACT; i < a->nout; i++)
		if (!strcmp(a->names[i], name) && k-- == 0)
			return i;
	if (a->nout == a->capout) {
		char **nn = realloc(a->names, sizeof *nn * (size_t)a->capout * 2);
		if (!nn)
			return -1;
		a->names = nn;
		a->capout *= 2;
	}
	if (!(a->names[a->nout] = strdup(name)))
		return -1;
	return a->nout++;
}

int lk_actingest_add(lk_actingest *a, const lk_row *h, lk_err *err)
{
	struct afile *fl, *nf;
	int i, j, q;

	if (!(nf = realloc(a->files, sizeof *nf * (size_t)(a->nfiles + 1))))
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	a->files = nf;
	fl = memset(&a->files[a->nfiles], 0, sizeof *fl);
	if (lk_mapping_activities(&fl->map, a->model, a->opt.from, a->opt.activity_name,
				  a->opt.link != NULL, h, err) < 0)
		return -1;
	a->nfiles++;
	if (a->opt.link && !(fl->plan = lk_link_plan(a->opt.link, a->model, h, fl->map.ref, err)))
		return -1;
	if (!(fl->outcol = calloc((size_t)h->n + 1, sizeof *fl->outcol)))
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	/* The columns that are not a role pass through: a name met before
	 * (its k-th time in this file) is the same output column. */
	for (i = 0; i < h->n; i++) {
		int used = 0, k = 0;
		for (j = 0; j < LK_NACT; j++)
			used |= fl->map.src[j] == i;
		fl->outcol[i] = -1;
		if (used)
			continue;
		for (q = 0; q < i; q++)
			k += !strcmp(fl->map.names[q], fl->map.names[i]);
		if ((fl->outcol[i] = out_column(a, fl->map.names[i], k)) < 0)
			return lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	return a->nfiles - 1;
}

int lk_actingest_files(const lk_actingest *a)
{
	return a->nfiles;
}

const lk_actmap *lk_actingest_mapping(const lk_actingest *a, int file)
{
	return &a->files[file].map;
}

int lk_actingest_describe(const lk_actingest *a, int file, lk_buf *out)
{
	const struct afile *fl = &a->files[file];

	const lk_actmap *am = &fl->map;
	int bad = 0;

	if (lk_actmap_describe(am, out) < 0)
		return -1;
	if (fl->plan)
		return lk_linkplan_describe(fl->plan, out);
	/* Without a link, say what stands for the lead. */
	bad |= lk_buf_adds(out, "how rows are linked (no --link): by their own ");
	if (am->src[LK_ACT_LEAD_ID] >= 0)
		bad |= lk_buf_addf(out, "lead_id ('%s')%s", am->names[am->src[LK_ACT_LEAD_ID]],
				   am->src[LK_ACT_EMAIL] >= 0 ? " and " : "");
	if (am->src[LK_ACT_EMAIL] >= 0)
		bad |= lk_buf_addf(out, "email ('%s')", am->names[am->src[LK_ACT_EMAIL]]);
	bad |= lk_buf_addc(out, '\n');
	return bad ? -1 : 0;
}

void lk_actingest_header(const lk_actingest *a, const char *const **names, int *n)
{
	*names = (const char *const *)a->names;
	*n = a->nout;
}

void lk_actingest_use(lk_actingest *a, int file)
{
	a->cur = file;
}

void lk_actingest_stats_get(const lk_actingest *a, int file, lk_actingest_stats *st)
{
	const struct afile *fl = &a->files[file];

	memset(st, 0, sizeof *st);
	st->repeats = fl->repeats;
	if (fl->plan) {
		const lk_link_stats *ls = lk_linkplan_stats(fl->plan);
		st->linked = ls->linked;
		st->ambiguous = ls->ambiguous;
		st->missing = ls->missing;
	}
}

/* Activity names: the model's aliases, the built-in statuses, else
 * lower_snake_case of the value. */
static void activity_name(lk_actingest *a, const char *s, size_t n, lk_buf *out)
{
	const char *name;
	size_t j;
	int under = 0;

	lk_buf_reset(out);
	if (lk_hash_count(a->aliases)) {
		lk_loose_key(s, n, &a->tmp);
		if ((name = lk_hash_get(a->aliases, lk_buf_str(&a->tmp), a->tmp.len))) {
			lk_buf_adds(out, name);
			return;
		}
	}
	if ((name = lk_act_builtin(s, n))) {
		lk_buf_adds(out, name);
		return;
	}
	for (j = 0; j < n; j++) {
		unsigned char c = (unsigned char)s[j];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
			if (under && out->len)
				lk_buf_addc(out, '_');
			under = 0;
			lk_buf_addc(out, c);
		} else if (c >= 'A' && c <= 'Z') {
			if (under && out->len)
				lk_buf_addc(out, '_');
			under = 0;
			lk_buf_addc(out, c + 32);
		} else {
			under = 1;
		}
	}
}

/* The row's own lead_id and email (no link, or no reference value). */
static void own_lead(lk_actingest *a, const struct afile *fl, const lk_row *in)
{
	int s;

	if ((s = fl->map.src[LK_ACT_LEAD_ID]) >= 0 && (!fl->plan || s != fl->map.lead_ref))
		lk_norm_space(in->f[s], in->len[s], &a->val[LK_ACT_LEAD_ID]);
	if ((s = fl->map.src[LK_ACT_EMAIL]) >= 0) {
		lk_buf_reset(&a->alt);
		if (!lk_norm_email(in->f[s], in->len[s], &a->val[LK_ACT_EMAIL], &a->alt))
			lk_buf_reset(&a->val[LK_ACT_EMAIL]);
	}
}

static const char *set_reason(lk_actingest *a, const char *fmt, const char *s, size_t n)
{
	lk_buf_reset(&a->reason);
	lk_buf_addf(&a->reason, fmt, (int)(n > 60 ? 60 : n), s);
	return a->reason.data;
}

int lk_actingest_row(lk_actingest *a, const lk_row *in, lk_row **out, const char **reason,
		     lk_err *err)
{
	struct afile *fl = &a->files[a->cur];
	char tmp[40];
	lk_time t;
	int o, q, s;
	void **slot;

	if (in->bad) {
		*reason = in->bad;
		return 0;
	}
	if (in->n != fl->map.ncols) {
		lk_buf_reset(&a->reason);
		lk_buf_addf(&a->reason, "ragged row: %d field%s, the header has %d", in->n,
			    in->n == 1 ? "" : "s", fl->map.ncols);
		*reason = a->reason.data;
		return 0;
	}
	for (o = 0; o < LK_NACT; o++)
		lk_buf_reset(&a->val[o]);
	/* The lead: through the link, else the row's own columns. */
	if (fl->plan && lk_linkplan_count(fl->plan)) {
		lk_linked lead;
		int c = lk_link_resolve(fl->plan, in, &lead, reason);
		if (c == 0)
			return 0;
		if (c > 0) {
			lk_buf_adds(&a->val[LK_ACT_LEAD_ID], lead.lead_id);
			lk_buf_adds(&a->val[LK_ACT_EMAIL], lead.email);
		} else {
			own_lead(a, fl, in);
		}
	} else {
		own_lead(a, fl, in);
	}
	if (!a->val[LK_ACT_LEAD_ID].len && !a->val[LK_ACT_EMAIL].len) {
		const lk_actmap *am = &fl->map;
		int q1, name = -1;
		for (q1 = 0; q1 < am->nrefs; q1++)
			if (am->ref[am->refs[q1]] == LK_REF_NAME && name < 0)
				name = am->refs[q1];
		lk_buf_reset(&a->reason);
		if (fl->plan && am->nrefs)
			lk_buf_addf(&a->reason, "no %s and no lead_id or valid email",
				    am->names[am->refs[0]]);
		else if (am->lead_ref >= 0)
			lk_buf_addf(&a->reason, "no %s and no valid email", am->names[am->lead_ref]);
		else
			lk_buf_adds(&a->reason, "no lead_id and no valid email");
		/* A name that could have said who it was, given a link. */
		if (!fl->plan && name >= 0 && !lk_blank(in->f[name], in->len[name], 1))
			lk_buf_addf(&a->reason, " (%s names the lead; give --link FILE)",
				    am->names[name]);
		*reason = a->reason.data;
		return 0;
	}
	if (fl->map.activity_name) {
		lk_buf_adds(&a->val[LK_ACT_ACTIVITY], fl->map.activity_name);
	} else {
		s = fl->map.src[LK_ACT_ACTIVITY];
		activity_name(a, in->f[s], in->len[s], &a->val[LK_ACT_ACTIVITY]);
	}
	if (!a->val[LK_ACT_ACTIVITY].len) {
		*reason = "no activity";
		return 0;
	}
	/* The first date column with a value. */
	for (s = -1, q = 0; q < LK_ACT_MAXDATES && fl->map.dates[q] >= 0; q++)
		if (!lk_blank(in->f[fl->map.dates[q]], in->len[fl->map.dates[q]], 1)) {
			s = fl->map.dates[q];
			break;
		}
	if (s < 0) {
		s = fl->map.src[LK_ACT_OCCURRED_AT];
		*reason = set_reason(a, "no date (%.*s is empty)", fl->map.names[s],
				     strlen(fl->map.names[s]));
		return 0;
	}
	if (lk_date_parse_tz(in->f[s], in->len[s], a->opt.date_order,
			     a->opt.tz ? a->opt.tz : a->model ? a->model->zone : NULL, &t) < 0) {
		*reason = set_reason(a, "unparseable date '%.*s'", in->f[s], in->len[s]);
		return 0;
	}
	lk_buf_adds(&a->val[LK_ACT_OCCURRED_AT], lk_date_format_full(t.secs, tmp));
	if ((s = fl->map.src[LK_ACT_DETAIL]) >= 0)
		lk_norm_space(in->f[s], in->len[s], &a->val[LK_ACT_DETAIL]);
	/* An exact repeat of a row already out is dropped. */
	lk_buf_reset(&a->key);
	for (o = 0; o < LK_NACT; o++) {
		lk_buf_add(&a->key, lk_buf_str(&a->val[o]), a->val[o].len);
		lk_buf_addc(&a->key, 0x1f);
	}
	if (!(slot = lk_hash_slot(a->seen, a->key.data, a->key.len, 1, NULL)))
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	if (*slot) {
		fl->repeats++;
		return LK_ACT_REPEAT;
	}
	*slot = (void *)1;
	if (a->outcap < a->nout) {
		char **f = realloc(a->out.f, sizeof *f * (size_t)a->nout);
		size_t *len = f ? realloc(a->out.len, sizeof *len * (size_t)a->nout) : NULL;
		if (f)
			a->out.f = f;
		if (!len)
			return lk_err_set(err, LK_ENOMEM, "out of memory");
		a->out.len = len;
		a->outcap = a->nout;
	}
	for (o = 0; o < LK_NACT; o++) {
		a->out.f[o] = (char *)lk_buf_str(&a->val[o]);
		a->out.len[o] = a->val[o].len;
	}
	for (; o < a->nout; o++) {
		a->out.f[o] = "";
		a->out.len[o] = 0;
	}
	for (q = 0; q < in->n; q++)
		if (fl->outcol[q] >= 0) {
			a->out.f[fl->outcol[q]] = in->f[q];
			a->out.len[fl->outcol[q]] = in->len[q];
		}
	a->out.n = a->nout;
	a->out.record = in->record;
	a->out.line = in->line;
	*out = &a->out;
	return LK_ACT_OUT;
}
