/*
 * nurture.c - the nurture section of the model and moving one lead
 * along its track.  See nurture.h for the model syntax and the rules.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "model/bind.h"
#include "model/calendar.h"
#include "model/cap.h"
#include "model/consent.h"
#include "nurture/nurture.h"

const char *const lk_nurture_columns[LK_NU_NCOLS] = {
	"nurture_track", "nurture_step", "nurture_state", "nurture_reason", "last_touch_at",
	"next_touch_at", "next_offer", "next_content", "next_channel"
};

const char *const lk_nurture_builtins[LK_NX_N] = {
	"", "opted_out", "bounced", "customer", "open_deal"
};

const char *const lk_nurture_states[LK_NS_NKINDS] = {
	"", "active", "exited", "exhausted", "paused"
};

/* Input columns read besides the owned ones and the expressions' own. */
enum { IN_STAGE, IN_ROUTE, IN_OPT_OUT, IN_DNC, IN_BOUNCED, IN_N };
static const char *const in_names[IN_N] = { "stage", "route", "email_opt_out", "do_not_call",
					    "email_bounced" };

/*
 * The built-in suppressions (nurture.h): activities that opt a lead out
 * or report a bounce, whatever the model says.
 */
static const char *const optout_acts[] = { "unsubscribe", "unsubscribed", NULL };
static const char *const bounce_acts[] = { "email_bounced", "hard_bounce", NULL };

/* One activity of the lead being moved, in processing order. */
typedef struct event {
	int64_t at;
	int sent;			/* a `sent` activity: may confirm a touch */
	const char *activity, *detail;
} event;

struct lk_nurture {
	lk_model *m;
	lk_calendar cal;
	int quiet;			/* keep out of the calendar's off hours */
	long cap;			/* touches per period; 0: no cap */
	double period;			/* seconds */
	const char *cap_text;
	const char **sent;
	int nsent;
	const char *pause_src;
	lk_expr *pause;
	const yaml_node_t *pause_node;
	lk_nurture_supp *supp;
	int nsupp;
	/* Customers and open deals (nurture.h): what becomes of them, and
	 * the stages that mean them (model stage indices, -1: none). */
	lk_nurture_deal customers, open_deals;
	int won;			/* the won stage: the last of the path */
	int deal_from;			/* the first stage of an open deal */
	lk_nurture_track *tracks;
	int ntracks;
	int nsteps_total;
	int64_t now;			/* of the row being moved */

	/* Output layout, set by lk_nurture_bind. */
	int in[IN_N];
	int col[LK_NU_NCOLS];
	int nin;			/* input columns */
	int nout;
	const char **names;
	lk_row out;
	lk_buf val[LK_NU_NCOLS];

	/* The next working minute, by UTC minute (see next_working). */
	int64_t *qmin, *qval;

	/* Per-row scratch. */
	event *ev;
	int nev;
	int64_t *sends;
	int nsends;
	int cap_ev;
};

/* ---- parsing ---- */

static int nomem(lk_err *err)
{
	return lk_err_set(err, LK_ENOMEM, "out of memory");
}

static size_t seq_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

/* The model stage of id s, or -1 with an error at node at. */
static int stage_of(lk_nurture *n, const yaml_node_t *at, const char *s, lk_err *err)
{
	const char *ids[64];
	int i, k = lk_model_stage_id(n->m, s);

	if (k >= 0)
		return k;
	for (i = 0; i < n->m->nstages && i < 64; i++)
		ids[i] = n->m->stages[i].id;
	{
		const char *dym = lk_did_you_mean(s, ids, i);
		lk_yml_err(&n->m->yml, at, err, "unknown stage '%s'%s%s%s", s,
			   dym ? " (did you mean '" : "", dym ? dym : "", dym ? "'?)" : "");
	}
	return -1;
}

/* offer: or content: a scalar, or a mapping stage id -> value (default). */
static int parse_value(lk_nurture *n, const yaml_node_t *step, const char *key, int required,
		       lk_nvalue *v, lk_err *err)
{
	lk_yml *y = &n->m->yml;
	yaml_node_t *node = lk_yml_get(y, step, key, err);
	yaml_node_pair_t *p;

	memset(v, 0, sizeof *v);
	if (!node) {
		if (required)
			return lk_yml_err(y, step, err, "nurture step has no '%s'", key);
		return 0;
	}
	if (node->type == YAML_SCALAR_NODE) {
		v->def = lk_yml_scalar(node);
		if (!*v->def)
			return lk_yml_err(y, node, err, "'%s' is empty", key);
		return 0;
	}
	if (node->type != YAML_MAPPING_NODE)
		return lk_yml_err(y, node, err, "'%s' must be a value or a mapping from stage to "
				  "value, not %s", key, lk_yml_kind(node));
	if (lk_yml_check_dups(y, node, err) < 0)
		return -1;
	v->by_stage = calloc((size_t)n->m->nstages + 1, sizeof *v->by_stage);
	if (!v->by_stage)
		return nomem(err);
	for (p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; p++) {
		yaml_node_t *k = lk_yml_node(y, p->key, err), *val = lk_yml_node(y, p->value, err);
		const char *ks, *vs;
		int st;
		if (!k || !val)
			return -1;
		ks = lk_yml_scalar(k);
		vs = lk_yml_scalar(val);
		if (!ks || !vs || !*vs)
			return lk_yml_err(y, vs ? k : val, err, "'%s' maps stage ids to values", key);
		if (!strcmp(ks, "default")) {
			v->def = vs;
			continue;
		}
		if ((st = stage_of(n, k, ks, err)) < 0)
			return -1;
		v->by_stage[st] = vs;
	}
	return 0;
}

static int parse_step(lk_nurture *n, lk_nurture_track *t, yaml_node_t *node, lk_err *err)
{
	static const char *const keys[] = { "step", "offer", "content", "channel", "wait",
					    "stage" };
	lk_yml *y = &n->m->yml;
	lk_nurture_step *s = &t->steps[t->nsteps];
	yaml_node_t *st;
	int i;

	memset(s, 0, sizeof *s);
	s->node = node;
	t->nsteps++;		/* counted at once: lk_nurture_free frees what it holds */
	if (lk_yml_expect(y, node, YAML_MAPPING_NODE, "a nurture step", err) < 0 ||
	    lk_yml_check_keys(y, node, keys, 6, "nurture step", err) < 0 ||
	    lk_yml_get_str(y, node, "step", 0, &s->name, err) < 0 ||
	    parse_value(n, node, "offer", 0, &s->offer, err) < 0 ||
	    parse_value(n, node, "content", 1, &s->content, err) < 0 ||
	    lk_yml_get_str(y, node, "channel", 0, &s->channel, err) < 0 ||
	    lk_yml_get_duration(y, node, "wait", 0, &s->wait, err) < 0)
		return -1;
	if (!s->channel)
		s->channel = "email";
	if (s->name) {
		char *end;
		strtol(s->name, &end, 10);
		if (!*s->name || (!*end && end != s->name))
			return lk_yml_err(y, lk_yml_get(y, node, "step", err), err,
					  "a step name must not be a number ('%s'): goto track/N "
					  "counts steps from 1", s->name);
		for (i = 0; i < t->nsteps - 1; i++)
			if (t->steps[i].name && !strcmp(t->steps[i].name, s->name))
				return lk_yml_err(y, lk_yml_get(y, node, "step", err), err,
						  "duplicate step '%s' in track '%s'", s->name,
						  t->name);
	}
	st = lk_yml_get(y, node, "stage", err);
	if (st) {
		const char **list;
		int k = lk_yml_strlist(y, st, &list, "'stage'", err);
		if (k < 0)
			return -1;
		s->serves = calloc((size_t)n->m->nstages + 1, 1);
		if (!s->serves) {
			free(list);
			return nomem(err);
		}
		for (i = 0; i < k; i++) {
			int idx = stage_of(n, st, list[i], err);
			if (idx < 0) {
				free(list);
				return -1;
			}
			s->serves[idx] = 1;
		}
		free(list);
	}
	return 0;
}

static int track_index(const lk_nurture *n, const char *s, size_t len)
{
	int i;

	for (i = 0; i < n->ntracks; i++)
		if (strlen(n->tracks[i].name) == len && !memcmp(n->tracks[i].name, s, len))
			return i;
	return -1;
}

/* goto: "track", "track/N" or "track/step-name". */
static int parse_goto(lk_nurture *n, lk_nurture_trigger *tr, yaml_node_t *g, lk_err *err)
{
	lk_yml *y = &n->m->yml;
	const char *s = lk_yml_scalar(g), *slash;
	const lk_nurture_track *t;
	size_t len;
	int i;

	if (!s || !*s)
		return lk_yml_err(y, g, err, "'goto' must name a track, or track/step");
	slash = strchr(s, '/');
	len = slash ? (size_t)(slash - s) : strlen(s);
	tr->track = track_index(n, s, len);
	if (tr->track < 0) {
		const char *names[256], *dym;
		char want[256];
		for (i = 0; i < n->ntracks && i < 256; i++)
			names[i] = n->tracks[i].name;
		snprintf(want, sizeof want, "%.*s", (int)len, s);
		dym = lk_did_you_mean(want, names, i);
		return lk_yml_err(y, g, err, "goto: no track '%s'%s%s%s", want,
				  dym ? " (did you mean '" : "", dym ? dym : "", dym ? "'?)" : "");
	}
	t = &n->tracks[tr->track];
	tr->step = 0;
	if (!slash)
		return 0;
	slash++;
	for (i = 0; i < t->nsteps; i++)
		if (t->steps[i].name && !strcmp(t->steps[i].name, slash)) {
			tr->step = i;
			return 0;
		}
	{
		char *end;
		long k = strtol(slash, &end, 10);
		if (*slash && !*end && k >= 1 && k <= t->nsteps) {
			tr->step = (int)k - 1;
			return 0;
		}
	}
	return lk_yml_err(y, g, err, "goto: track '%s' has no step '%s' (steps are 1-%d)",
			  t->name, slash, t->nsteps);
}

static int parse_trigger(lk_nurture *n, lk_nurture_track *t, yaml_node_t *node, lk_err *err)
{
	static const char *const keys[] = { "activity", "goto", "skip", "within" };
	lk_yml *y = &n->m->yml;
	lk_nurture_trigger *tr = &t->on[t->non];
	yaml_node_t *a, *g, *sk;

	memset(tr, 0, sizeof *tr);
	tr->node = node;
	tr->track = -1;
	t->non++;		/* counted at once: lk_nurture_free frees what it holds */
	if (lk_yml_expect(y, node, YAML_MAPPING_NODE, "a trigger ('on' item)", err) < 0 ||
	    lk_yml_check_keys(y, node, keys, 4, "trigger", err) < 0 ||
	    lk_yml_get_duration(y, node, "within", 0, &tr->within, err) < 0)
		return -1;
	a = lk_yml_get(y, node, "activity", err);
	if (!a)
		return lk_yml_err(y, node, err, "trigger has no 'activity'");
	if ((tr->nactivities = lk_yml_strlist(y, a, &tr->activities, "'activity'", err)) < 0)
		return -1;
	g = lk_yml_get(y, node, "goto", err);
	sk = lk_yml_get(y, node, "skip", err);
	if (!g == !sk)
		return lk_yml_err(y, node, err, "a trigger needs one of 'goto: track[/step]' "
				  "and 'skip: wait'");
	if (sk) {
		const char *s = lk_yml_scalar(sk);
		if (!s || strcmp(s, "wait"))
			return lk_yml_err(y, sk, err, "'skip' can only be 'wait'");
	} else if (parse_goto(n, tr, g, err) < 0) {
		return -1;
	}
	return 0;
}

static int parse_track_head(lk_nurture *n, lk_nurture_track *t, yaml_node_t *node, lk_err *err)
{
	static const char *const keys[] = { "track", "enter", "exit", "reentry", "steps", "on" };
	lk_yml *y = &n->m->yml;
	const char *re;
	int i, rc;

	t->node = node;
	if (lk_yml_expect(y, node, YAML_MAPPING_NODE, "a nurture track", err) < 0 ||
	    lk_yml_check_keys(y, node, keys, 6, "nurture track", err) < 0 ||
	    lk_yml_get_str(y, node, "track", 1, &t->name, err) < 0 ||
	    lk_yml_get_str(y, node, "enter", 0, &t->enter_src, err) < 0 ||
	    lk_yml_get_str(y, node, "exit", 0, &t->exit_src, err) < 0 ||
	    (rc = lk_yml_get_str(y, node, "reentry", 0, &re, err)) < 0)
		return -1;
	if (!*t->name || strchr(t->name, '/'))
		return lk_yml_err(y, lk_yml_get(y, node, "track", err), err,
				  "a track name must be non-empty and hold no '/'");
	for (i = 0; i < n->ntracks; i++)
		if (!strcmp(n->tracks[i].name, t->name))
			return lk_yml_err(y, lk_yml_get(y, node, "track", err), err,
					  "duplicate track '%s' (first at line %lu)", t->name,
					  (unsigned long)n->tracks[i].node->start_mark.line + 1);
	t->enter_node = lk_yml_get(y, node, "enter", err);
	t->exit_node = lk_yml_get(y, node, "exit", err);
	if (rc && !strcmp(re, "always")) {
		t->reentry = 1;
	} else if (rc && strcmp(re, "never")) {
		if (lk_duration_parse(re, strlen(re), &t->reentry_after) < 0)
			return lk_yml_err(y, lk_yml_get(y, node, "reentry", err), err,
					  "'reentry' must be never, always or a duration such as "
					  "90d, not '%s'", re);
		t->reentry = 2;
	}
	return 0;
}

/* Parse each item of the sequence `seq` into track t with `one` (a step
 * or a trigger), stopping at the first error. */
static int each_item(lk_nurture *n, lk_nurture_track *t, yaml_node_t *seq,
		     int (*one)(lk_nurture *, lk_nurture_track *, yaml_node_t *, lk_err *),
		     lk_err *err)
{
	yaml_node_item_t *it;

	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *s = lk_yml_node(&n->m->yml, *it, err);
		if (!s || one(n, t, s, err) < 0)
			return -1;
	}
	return 0;
}

static int parse_track_body(lk_nurture *n, lk_nurture_track *t, lk_err *err)
{
	lk_yml *y = &n->m->yml;
	yaml_node_t *steps = lk_yml_get(y, t->node, "steps", err);

	if (!steps)
		return lk_yml_err(y, t->node, err, "track '%s' has no 'steps'", t->name);
	if (lk_yml_expect(y, steps, YAML_SEQUENCE_NODE, "'steps'", err) < 0)
		return -1;
	if (!seq_len(steps))
		return lk_yml_err(y, steps, err, "track '%s' has no steps", t->name);
	t->steps = calloc(seq_len(steps), sizeof *t->steps);
	if (!t->steps)
		return nomem(err);
	return each_item(n, t, steps, parse_step, err);
}

static int parse_triggers(lk_nurture *n, lk_nurture_track *t, lk_err *err)
{
	lk_yml *y = &n->m->yml;
	yaml_node_t *on = lk_yml_get(y, t->node, "on", err);

	if (!on)
		return 0;
	if (lk_yml_expect(y, on, YAML_SEQUENCE_NODE, "'on'", err) < 0)
		return -1;
	t->on = calloc(seq_len(on) + 1, sizeof *t->on);
	if (!t->on)
		return nomem(err);
	return each_item(n, t, on, parse_trigger, err);
}

/*
 * Triggers chain: a lead moved into a track meets that track's
 * triggers at once, for the same behaviour.  So the tracks and their
 * gotos (to other tracks) must form no cycle, or a lead would move
 * forever: refuse one, at the trigger that closes it.
 */
static int cycle_from(lk_nurture *n, int i, char *mark, int *path, int depth, lk_err *err)
{
	const lk_nurture_track *t = &n->tracks[i];
	int j, d;

	mark[i] = 1;
	path[depth] = i;
	for (j = 0; j < t->non; j++) {
		int to = t->on[j].track;
		if (to < 0 || to == i)
			continue;
		if (mark[to] == 1) {
			char buf[512];
			size_t len = 0;
			for (d = 0; d <= depth && path[d] != to; d++)
				;
			for (; d <= depth && len < sizeof buf; d++)
				len += (size_t)snprintf(buf + len, sizeof buf - len, "%s -> ",
							n->tracks[path[d]].name);
			if (len < sizeof buf)
				snprintf(buf + len, sizeof buf - len, "%s", n->tracks[to].name);
			return lk_yml_err(&n->m->yml, t->on[j].node, err,
					  "trigger cycle: %s (a lead would move forever)", buf);
		}
		if (!mark[to] && cycle_from(n, to, mark, path, depth + 1, err) < 0)
			return -1;
	}
	mark[i] = 2;
	return 0;
}

static int check_cycles(lk_nurture *n, lk_err *err)
{
	char *mark = calloc((size_t)n->ntracks + 1, 1);
	int *path = calloc((size_t)n->ntracks + 1, sizeof *path);
	int i, rc = 0;

	if (!mark || !path)
		rc = nomem(err);
	for (i = 0; !rc && i < n->ntracks; i++)
		if (!mark[i])
			rc = cycle_from(n, i, mark, path, 0, err);
	free(mark);
	free(path);
	return rc;
}

/*
 * The governor's cap (cap.h's grammar): touches in any window of the
 * period, so every period has its meaning (2/7d, 1/week, 3/36h; a bare
 * number is per day).  At least one touch: 0 would never send.
 */
static int parse_cap(lk_nurture *n, yaml_node_t *c, lk_err *err)
{
	const char *s = lk_yml_scalar(c);
	lk_cap cap;

	if (!s || lk_cap_parse(s, &cap) < 0 || cap.n < 1)
		return lk_yml_err(&n->m->yml, c, err, "'cap' must be touches per period such as "
				  "2/7d or 1/day, not '%s'", s ? s : lk_yml_kind(c));
	n->cap = cap.n;
	n->period = cap.period;
	n->cap_text = s;
	return 0;
}

static int parse_supp(lk_nurture *n, yaml_node_t *node, lk_err *err)
{
	static const char *const keys[] = { "reason", "activity", "when" };
	lk_yml *y = &n->m->yml;
	lk_nurture_supp *s = &n->supp[n->nsupp];
	yaml_node_t *a;

	memset(s, 0, sizeof *s);
	s->node = node;
	n->nsupp++;		/* counted at once: lk_nurture_free frees what it holds */
	if (lk_yml_expect(y, node, YAML_MAPPING_NODE, "a suppression rule", err) < 0 ||
	    lk_yml_check_keys(y, node, keys, 3, "suppression rule", err) < 0 ||
	    lk_yml_get_str(y, node, "reason", 1, &s->reason, err) < 0 ||
	    lk_yml_get_str(y, node, "when", 0, &s->when_src, err) < 0)
		return -1;
	s->when_node = lk_yml_get(y, node, "when", err);
	a = lk_yml_get(y, node, "activity", err);
	if (a && (s->nactivities = lk_yml_strlist(y, a, &s->activities, "'activity'", err)) < 0)
		return -1;
	if (!a && !s->when_src)
		return lk_yml_err(y, node, err, "suppression rule '%s' needs 'activity' or 'when'",
				  s->reason);
	return 0;
}

/* customers: / open_deals: one of the words allowed, or the default. */
static int parse_deal_key(lk_nurture *n, const char *key, int pause_ok, lk_nurture_deal def,
			  lk_nurture_deal *out, lk_err *err)
{
	lk_yml *y = &n->m->yml;
	const char *s;
	int rc = lk_yml_get_str(y, n->m->nurture, key, 0, &s, err);

	*out = def;
	if (rc <= 0)
		return rc;
	if (!strcmp(s, "exit"))
		*out = LK_ND_EXIT;
	else if (!strcmp(s, "keep"))
		*out = LK_ND_KEEP;
	else if (pause_ok && !strcmp(s, "pause"))
		*out = LK_ND_PAUSE;
	else
		return lk_yml_err(y, lk_yml_get(y, n->m->nurture, key, err), err,
				  "'%s' must be exit%s or keep, not '%s'", key,
				  pause_ok ? ", pause" : "", s);
	return 0;
}

/*
 * The stages of customers and open deals: the won stage is the last of
 * the success path; open deals run from deal_stage (default: the path's
 * `opportunity`, when it has one) up to it.
 */
static int parse_deals(lk_nurture *n, lk_err *err)
{
	lk_yml *y = &n->m->yml;
	const yaml_node_t *at;
	const char *id;
	int rc;

	if (parse_deal_key(n, "customers", 0, LK_ND_EXIT, &n->customers, err) < 0 ||
	    parse_deal_key(n, "open_deals", 1, LK_ND_EXIT, &n->open_deals, err) < 0 ||
	    (rc = lk_yml_get_str(y, n->m->nurture, "deal_stage", 0, &id, err)) < 0)
		return -1;
	n->won = n->m->npath > 0 ? n->m->npath - 1 : -1;
	n->deal_from = lk_model_stage_id(n->m, "opportunity");
	if (n->deal_from >= n->m->npath)
		n->deal_from = -1;		/* a detour named opportunity */
	if (!rc)
		return 0;
	at = lk_yml_get(y, n->m->nurture, "deal_stage", err);
	if (!strcmp(id, "none")) {
		n->deal_from = -1;
		return 0;
	}
	if ((n->deal_from = stage_of(n, at, id, err)) < 0)
		return -1;
	if (n->deal_from >= n->m->npath || n->deal_from == n->won)
		return lk_yml_err(y, at, err, "'deal_stage' must be a stage of the success path "
				  "before the last (%s), not '%s'",
				  n->won >= 0 ? n->m->stages[n->won].id : "none", id);
	return 0;
}

lk_nurture *lk_nurture_new(lk_model *m, lk_err *err)
{
	static const char *const keys[] = { "cap", "quiet", "sent", "pause", "suppress",
					    "tracks", "customers", "open_deals", "deal_stage" };
	lk_yml *y = &m->yml;
	yaml_node_t *tracks, *node;
	yaml_node_item_t *it;
	lk_nurture *n;
	const char *q;
	int i, rc;

	if (!m->nurture) {
		lk_model_missing(m, "nurture", "nurture tracks", err);
		return NULL;
	}
	n = calloc(1, sizeof *n);
	if (!n) {
		nomem(err);
		return NULL;
	}
	n->m = m;
	for (i = 0; i < LK_NU_NCOLS; i++)
		n->col[i] = -1;
	if (lk_yml_check_keys(y, m->nurture, keys, 9, "nurture", err) < 0 ||
	    lk_calendar_load(m, &n->cal, err) < 0)
		goto fail;
	n->quiet = 1;
	if ((rc = lk_yml_get_str(y, m->nurture, "quiet", 0, &q, err)) < 0)
		goto fail;
	if (rc && !strcmp(q, "none"))
		n->quiet = 0;
	else if (rc && strcmp(q, "calendar")) {
		lk_yml_err(y, lk_yml_get(y, m->nurture, "quiet", err), err,
			   "'quiet' must be calendar (the days and hours of routing.calendar) "
			   "or none, not '%s'", q);
		goto fail;
	}
	if ((node = lk_yml_get(y, m->nurture, "cap", err)) && parse_cap(n, node, err) < 0)
		goto fail;
	if ((node = lk_yml_get(y, m->nurture, "sent", err))) {
		if ((n->nsent = lk_yml_strlist(y, node, &n->sent, "'sent'", err)) < 0)
			goto fail;
	} else {
		static const char *def[] = { "email_sent" };
		n->sent = malloc(sizeof *n->sent);
		if (!n->sent) {
			nomem(err);
			goto fail;
		}
		n->sent[0] = def[0];
		n->nsent = 1;
	}
	if (lk_yml_get_str(y, m->nurture, "pause", 0, &n->pause_src, err) < 0 ||
	    parse_deals(n, err) < 0)
		goto fail;
	n->pause_node = lk_yml_get(y, m->nurture, "pause", err);
	if ((node = lk_yml_get(y, m->nurture, "suppress", err))) {
		if (lk_yml_expect(y, node, YAML_SEQUENCE_NODE, "'suppress'", err) < 0)
			goto fail;
		n->supp = calloc(seq_len(node) + 1, sizeof *n->supp);
		if (!n->supp) {
			nomem(err);
			goto fail;
		}
		for (it = node->data.sequence.items.start; it < node->data.sequence.items.top; it++) {
			yaml_node_t *s = lk_yml_node(y, *it, err);
			if (!s || parse_supp(n, s, err) < 0)
				goto fail;
		}
	}
	tracks = lk_yml_get(y, m->nurture, "tracks", err);
	if (!tracks) {
		lk_yml_err(y, m->nurture, err, "nurture has no 'tracks'");
		goto fail;
	}
	if (lk_yml_expect(y, tracks, YAML_SEQUENCE_NODE, "nurture 'tracks'", err) < 0)
		goto fail;
	n->tracks = calloc(seq_len(tracks) + 1, sizeof *n->tracks);
	if (!n->tracks) {
		nomem(err);
		goto fail;
	}
	/* Names and steps first: a goto may name a later track. */
	for (it = tracks->data.sequence.items.start; it < tracks->data.sequence.items.top; it++) {
		yaml_node_t *t = lk_yml_node(y, *it, err);
		if (!t || parse_track_head(n, &n->tracks[n->ntracks], t, err) < 0)
			goto fail;
		n->ntracks++;
		if (parse_track_body(n, &n->tracks[n->ntracks - 1], err) < 0)
			goto fail;
		n->nsteps_total += n->tracks[n->ntracks - 1].nsteps;
	}
	if (!n->ntracks) {
		lk_yml_err(y, tracks, err, "nurture has no tracks");
		goto fail;
	}
	for (i = 0; i < n->ntracks; i++)
		if (parse_triggers(n, &n->tracks[i], err) < 0)
			goto fail;
	if (check_cycles(n, err) < 0)
		goto fail;
	return n;
fail:
	if (err->kind != LK_ENOMEM)
		err->kind = LK_EMODEL;
	lk_nurture_free(n);
	return NULL;
}

void lk_nurture_free(lk_nurture *n)
{
	int i, k;

	if (!n)
		return;
	for (i = 0; i < n->ntracks; i++) {
		lk_nurture_track *t = &n->tracks[i];
		lk_expr_free(t->enter);
		lk_expr_free(t->exit);
		for (k = 0; k < t->nsteps; k++) {
			free(t->steps[k].offer.by_stage);
			free(t->steps[k].content.by_stage);
			free(t->steps[k].serves);
		}
		free(t->steps);
		for (k = 0; k < t->non; k++)
			free(t->on[k].activities);
		free(t->on);
	}
	free(n->tracks);
	for (i = 0; i < n->nsupp; i++) {
		free(n->supp[i].activities);
		lk_expr_free(n->supp[i].when);
	}
	free(n->supp);
	free(n->sent);
	lk_expr_free(n->pause);
	lk_calendar_release(&n->cal);
	free(n->names);
	free(n->out.f);
	free(n->out.len);
	for (i = 0; i < LK_NU_NCOLS; i++)
		lk_buf_free(&n->val[i]);
	free(n->ev);
	free(n->sends);
	free(n->qmin);
	free(n->qval);
	free(n);
}

const lk_nurture_track *lk_nurture_tracks(const lk_nurture *n, int *count)
{
	*count = n->ntracks;
	return n->tracks;
}

void lk_nurture_cap(const lk_nurture *n, long *count, double *period)
{
	*count = n->cap;
	*period = n->period;
}

const char *const *lk_nurture_sent(const lk_nurture *n, int *count)
{
	*count = n->nsent;
	return n->sent;
}

/* ---- binding ---- */

static int compile(lk_nurture *n, const char *src, const yaml_node_t *at, const char *what,
		   lk_expr **out, const char *const *cols, int ncols, lk_err *err)
{
	lk_err ee;

	lk_expr_free(*out);
	*out = NULL;
	if (!src)
		return 0;
	lk_err_clear(&ee);
	*out = lk_expr_compile(src, cols, ncols, &ee);
	if (*out)
		return 0;
	lk_yml_err(&n->m->yml, at, err, "%s: %s", what, ee.msg);
	err->kind = ee.kind == LK_ENOMEM ? LK_ENOMEM : LK_EMODEL;
	return -1;
}

int lk_nurture_bind(lk_nurture *n, const char *const *cols, int ncols, lk_err *err)
{
	char what[300];
	int i, k;

	for (i = 0; i < n->ntracks; i++) {
		lk_nurture_track *t = &n->tracks[i];
		snprintf(what, sizeof what, "track '%s': enter", t->name);
		if (compile(n, t->enter_src, t->enter_node, what, &t->enter, cols, ncols, err) < 0)
			return -1;
		snprintf(what, sizeof what, "track '%s': exit", t->name);
		if (compile(n, t->exit_src, t->exit_node, what, &t->exit, cols, ncols, err) < 0)
			return -1;
	}
	for (i = 0; i < n->nsupp; i++) {
		snprintf(what, sizeof what, "suppression '%s': when", n->supp[i].reason);
		if (compile(n, n->supp[i].when_src, n->supp[i].when_node, what, &n->supp[i].when,
			    cols, ncols, err) < 0)
			return -1;
	}
	if (compile(n, n->pause_src, n->pause_node, "pause", &n->pause, cols, ncols, err) < 0)
		return -1;
	lk_bind_find(cols, ncols, in_names, IN_N, n->in);
	k = lk_bind_owned(cols, ncols, lk_nurture_columns, LK_NU_NCOLS, NULL, n->col, &n->names,
			  &n->out, err);
	if (k < 0)
		return -1;
	n->nin = ncols;
	n->nout = k;
	return 0;
}

void lk_nurture_header(const lk_nurture *n, const char *const **names, int *count)
{
	*names = n->names;
	*count = n->nout;
}

/* ---- moving one lead ---- */

/* A field with surrounding blanks removed. */
static const char *tfield(const lk_row *in, int col, size_t *len)
{
	const char *s = lk_row_field(in, col, len);

	while (*len && (*s == ' ' || *s == '\t'))
		s++, (*len)--;
	while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
		(*len)--;
	return s;
}

static int cmp_event(const void *a, const void *b)
{
	const event *x = a, *y = b;
	int c;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->sent != y->sent)
		return x->sent - y->sent;	/* behaviour before the touch it caused */
	if ((c = strcmp(x->activity, y->activity)))
		return c;
	return strcmp(x->detail, y->detail);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static const char *value_for(const lk_nvalue *v, int stage)
{
	if (v->by_stage && stage >= 0 && v->by_stage[stage])
		return v->by_stage[stage];
	return v->def;
}

/* Does step s serve a lead at model stage `stage` (-1: unknown)? */
static int serves(const lk_nurture_step *s, int stage)
{
	if (stage < 0)
		return value_for(&s->content, stage) != NULL;
	if (s->serves && !s->serves[stage])
		return 0;
	return value_for(&s->content, stage) != NULL;
}

/* The lead being moved. */
typedef struct lead {
	int track;			/* -1: none */
	int step;			/* 0-based pending step */
	lk_nstate state;
	int64_t last;			/* last touch, -1: none */
	int64_t raw;			/* pending touch due (before the governor), -1 */
	int stage;			/* model stage, -1 */
	int advanced;
	int suppressed;
	int left;			/* the track it left in this run, -1 */
	int dnc;			/* do_not_call: call steps are skipped */
	lk_buf *why;
} lead;

static void reason(lead *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reason(lead *l, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	lk_buf_reset(l->why);
	lk_buf_adds(l->why, buf);
}

/* The same for the common "text name" reasons, without printf. */
static void reason2(lead *l, const char *text, const char *name)
{
	lk_buf_reset(l->why);
	lk_buf_adds(l->why, text);
	lk_buf_adds(l->why, name);
}

/* Move to step `step` of the current track or past it, skipping steps
 * that do not serve the lead's stage; exhausted past the last one. */
static void settle(const lk_nurture *n, lead *l, int step, int64_t base)
{
	const lk_nurture_track *t = &n->tracks[l->track];

	while (step < t->nsteps && (!serves(&t->steps[step], l->stage) ||
				    (l->dnc && lk_channel_is_call(t->steps[step].channel))))
		step++;
	if (step >= t->nsteps) {
		l->state = LK_NS_EXHAUSTED;
		l->step = t->nsteps - 1;
		l->raw = -1;
		reason(l, "all %d steps of %s done", t->nsteps, t->name);
		return;
	}
	l->step = step;
	l->raw = base + (int64_t)llround(t->steps[step].wait);
}

/*
 * The lead's behaviour since its last touch, to a fixed point: the
 * earliest reported send of the pending content confirms the touch
 * (moving "since" on); otherwise the first trigger of the current track
 * with an activity since the last touch fires.  A goto to where the
 * lead already is changes nothing, and the track graph has no cycles,
 * so this ends; running it again on the result changes nothing.
 */
static void behave(lk_nurture *n, lead *l)
{
	int i, j, k, round, limit = 4 * (n->nsteps_total + n->ntracks) + 8;

	for (round = 0; round < limit && l->state == LK_NS_ACTIVE; round++) {
		const lk_nurture_track *t = &n->tracks[l->track];
		const char *want = value_for(&t->steps[l->step].content, l->stage);
		const lk_nurture_trigger *fire = NULL;
		int64_t first = -1, latest = -1;

		for (i = 0; i < n->nev; i++) {
			const event *e = &n->ev[i];
			if ((l->last >= 0 && e->at <= l->last) || !e->sent || strcmp(e->detail, want))
				continue;
			l->last = e->at;
			l->advanced++;
			reason(l, "step %d (%s) sent", l->step + 1, want);
			settle(n, l, l->step + 1, e->at);
			break;
		}
		if (i < n->nev)
			continue;
		for (j = 0; j < t->non && !fire; j++) {
			const lk_nurture_trigger *tr = &t->on[j];
			for (i = 0; i < n->nev; i++) {
				const event *e = &n->ev[i];
				if ((l->last >= 0 && e->at <= l->last) ||
				    (tr->within > 0 && (double)(n->now - e->at) > tr->within))
					continue;
				for (k = 0; k < tr->nactivities; k++)
					if (!strcmp(e->activity, tr->activities[k]))
						break;
				if (k == tr->nactivities)
					continue;
				if (!fire)
					first = e->at;
				fire = tr;
				latest = e->at;	/* events are in time order */
			}
		}
		if (!fire)
			break;
		if (fire->track < 0) {
			if (l->raw < 0 || first < l->raw) {
				l->raw = first;
				reason(l, "%s: wait skipped", fire->activities[0]);
			}
			break;
		}
		if (fire->track == l->track && fire->step == l->step)
			break;
		l->track = fire->track;
		reason(l, "%s: goto %s/%d", fire->activities[0], n->tracks[fire->track].name,
		       fire->step + 1);
		settle(n, l, fire->step, latest);
	}
}

/* May the lead enter track i (it left track `from`, or -1)? */
static int may_enter(const lk_nurture *n, const lead *l, int i, const lk_row *in,
		     lk_exprenv *env)
{
	const lk_nurture_track *t = &n->tracks[i];

	if (t->enter && !lk_expr_bool(t->enter, in, env))
		return 0;
	if (t->exit && lk_expr_bool(t->exit, in, env))
		return 0;
	if (i != l->left && (l->state == LK_NS_NONE || i != l->track))
		return 1;
	if (t->reentry == 1)
		return 1;
	if (t->reentry == 2)
		return l->last < 0 || (double)(env->now - l->last) >= t->reentry_after;
	return 0;
}

/*
 * The calendar's next working moment at or after t.  Working hours
 * start and end on whole minutes, so within one UTC minute the answer
 * is either t itself (the minute is working time) or one moment (the
 * minute is off): a cache by minute spares most of the time zone
 * arithmetic of a run, where due times crowd into a few weeks.
 */
#define QCACHE 65536
static int64_t next_working(lk_nurture *n, int64_t t)
{
	int64_t m = t >= 0 ? t / 60 : -((-t + 59) / 60), q;
	size_t k = (size_t)((uint64_t)m * 0x9E3779B97F4A7C15ULL >> 48) & (QCACHE - 1);

	if (n->qmin && n->qmin[k] == m)
		return n->qval[k] == m * 60 ? t : n->qval[k];
	q = lk_calendar_add(&n->cal, m * 60, 0);
	if (q < 0 || q % 60)
		return lk_calendar_add(&n->cal, t, 0);
	if (!n->qmin) {
		size_t i;
		n->qmin = malloc(QCACHE * sizeof *n->qmin);
		n->qval = malloc(QCACHE * sizeof *n->qval);
		if (!n->qmin || !n->qval) {
			free(n->qmin);
			free(n->qval);
			n->qmin = n->qval = NULL;
			return q == m * 60 ? t : q;
		}
		for (i = 0; i < QCACHE; i++)
			n->qmin[i] = INT64_MIN;		/* no minute */
	}
	n->qmin[k] = m;
	n->qval[k] = q;
	return q == m * 60 ? t : q;
}

/* The governor and quiet hours: when the touch due at t may go out. */
static int64_t govern(lk_nurture *n, int64_t t, int64_t now, int *why)
{
	int64_t r = t > now ? t : now, q;
	int i0;

	*why = 0;
	if (n->cap > 0 && n->nsends >= n->cap) {
		int64_t edge = r - (int64_t)llround(n->period);
		long k;
		for (i0 = 0; i0 < n->nsends && n->sends[i0] <= edge; i0++)
			;
		k = n->nsends - i0;
		if (k >= n->cap) {
			r = n->sends[i0 + k - n->cap] + (int64_t)llround(n->period);
			*why = 1;
		}
	}
	if (n->quiet) {
		q = next_working(n, r);
		if (q > r) {
			r = q;
			*why |= 2;
		}
	}
	if (t <= now && r == now)
		return t;
	return r;
}

static int set(lk_nurture *n, int which, const char *s, size_t len)
{
	lk_buf *b = &n->val[which];

	lk_buf_reset(b);
	return lk_buf_add(b, s, len);
}

static int parse_ts(const char *s, size_t len, lk_date_order order, int64_t *out)
{
	lk_time t;

	*out = -1;
	if (!len)
		return 0;
	if (lk_date_parse(s, len, order, &t) < 0)
		return -1;
	*out = t.secs;
	return 0;
}

/* The events of one lead: sorted, and the times of its sends. */
static int gather(lk_nurture *n, const lk_act *acts, const char *const *details,
		  int nacts)
{
	int i, k;

	if (nacts > n->cap_ev) {
		event *ne = realloc(n->ev, (size_t)nacts * sizeof *ne);
		int64_t *ns;
		if (!ne)
			return -1;
		n->ev = ne;
		ns = realloc(n->sends, (size_t)nacts * sizeof *ns);
		if (!ns)
			return -1;
		n->sends = ns;
		n->cap_ev = nacts;
	}
	n->nev = n->nsends = 0;
	for (i = 0; i < nacts; i++) {
		event *e = &n->ev[n->nev++];
		e->at = acts[i].at;
		e->activity = acts[i].activity;
		e->detail = details && details[i] ? details[i] : "";
		e->sent = 0;
		for (k = 0; k < n->nsent; k++)
			if (!strcmp(e->activity, n->sent[k])) {
				e->sent = 1;
				n->sends[n->nsends++] = e->at;
				break;
			}
	}
	if (n->nev > 1)
		qsort(n->ev, (size_t)n->nev, sizeof *n->ev, cmp_event);
	if (n->nsends > 1)
		qsort(n->sends, (size_t)n->nsends, sizeof *n->sends, cmp_i64);
	return 0;
}

/* 1 when the lead has an activity named in list (NULL-terminated). */
static int has_activity(const lk_nurture *n, const char *const *list)
{
	int a, k;

	for (a = 0; a < n->nev; a++)
		for (k = 0; list[k]; k++)
			if (!strcmp(n->ev[a].activity, list[k]))
				return 1;
	return 0;
}

/* What a consent column of the row says: 1 when it forbids (a yes, or a
 * value not understood: never send on a guess), 0 when not, with the
 * value in *val when it was not understood (else NULL). */
static int forbids(const lk_row *in, int col, const char **val, size_t *vlen)
{
	size_t len;
	const char *s = tfield(in, col, &len);
	lk_flag f = lk_flag_read(s, len, 0);

	*val = NULL;
	if (f == LK_FLAG_UNKNOWN) {
		*val = s;
		*vlen = len;
	}
	return f == LK_FLAG_TRUE || f == LK_FLAG_UNKNOWN;
}

/*
 * The built-in exits, before the model's own: opted out, then bounced
 * (each by its column, then its activities), then customers and open deals
 * as the model lets them go.  Returns the LK_NX_ kind with the reason
 * set and *pause 0 (exit) or 1 (pause); LK_NX_NONE when none applies.
 */
static int builtin_exit(lk_nurture *n, lead *l, const lk_row *in, int *pause)
{
	static const char *const what[] = { "opted out", "bounced" };
	const int cols[] = { n->in[IN_OPT_OUT], n->in[IN_BOUNCED] };
	const char *const *acts[] = { optout_acts, bounce_acts };
	const char *v;
	size_t vlen = 0;
	int k;

	*pause = 0;
	for (k = 0; k < 2; k++) {
		if (cols[k] >= 0 && forbids(in, cols[k], &v, &vlen)) {
			if (v)
				reason(l, "%s: %s is '%.*s' (not understood: taken as true)",
				       what[k], in_names[k ? IN_BOUNCED : IN_OPT_OUT],
				       (int)(vlen > 40 ? 40 : vlen), v);
			else
				reason(l, "%s: %s", what[k], in_names[k ? IN_BOUNCED : IN_OPT_OUT]);
			return k ? LK_NX_BOUNCED : LK_NX_OPTED_OUT;
		}
		if (has_activity(n, acts[k])) {
			reason(l, "%s: %s activity", what[k], k ? "email_bounced" : "unsubscribe");
			return k ? LK_NX_BOUNCED : LK_NX_OPTED_OUT;
		}
	}
	if (l->stage < 0)
		return LK_NX_NONE;
	if (l->stage == n->won && n->customers == LK_ND_EXIT) {
		reason2(l, "customer: stage ", n->m->stages[l->stage].id);
		return LK_NX_CUSTOMER;
	}
	if (n->deal_from >= 0 && l->stage >= n->deal_from && l->stage < n->won &&
	    n->open_deals != LK_ND_KEEP) {
		reason2(l, "open deal: stage ", n->m->stages[l->stage].id);
		*pause = n->open_deals == LK_ND_PAUSE;
		return LK_NX_OPEN_DEAL;
	}
	return LK_NX_NONE;
}

static int suppressed(lk_nurture *n, const lk_row *in, lk_exprenv *env)
{
	int i, k, a;

	for (i = 0; i < n->nsupp; i++) {
		const lk_nurture_supp *s = &n->supp[i];
		for (a = 0; a < n->nev; a++)
			for (k = 0; k < s->nactivities; k++)
				if (!strcmp(n->ev[a].activity, s->activities[k]))
					return i;
		if (s->when && lk_expr_bool(s->when, in, env))
			return i;
	}
	return -1;
}

int lk_nurture_row(lk_nurture *n, const lk_row *in, const lk_act *acts,
		   const char *const *details, int nacts, lk_exprenv *env, lk_row **out,
		   lk_nurture_result *res, const char **why)
{
	static char bad[160];
	const char *s;
	size_t len;
	lead l;
	int i, k, pass, transition = 0, deferred = 0, unknown = 0, builtin = LK_NX_NONE;
	int64_t next = -1;
	char ts[40];

	*out = NULL;
	memset(&l, 0, sizeof l);
	l.track = l.left = -1;
	l.last = l.raw = -1;
	l.why = &n->val[LK_NU_REASON];
	s = lk_row_field(in, n->col[LK_NU_REASON], &len);
	if (set(n, LK_NU_REASON, s, len) < 0)
		return -1;
	s = tfield(in, n->in[IN_STAGE], &len);
	l.stage = len ? lk_model_stage(n->m, s, len) : -1;
	if (n->in[IN_DNC] >= 0) {
		const char *v;
		size_t vlen;
		l.dnc = forbids(in, n->in[IN_DNC], &v, &vlen);
	}

	/* Read the state the row carries. */
	s = tfield(in, n->col[LK_NU_STATE], &len);
	for (k = 0; k < LK_NS_NKINDS; k++)
		if (strlen(lk_nurture_states[k]) == len && !memcmp(s, lk_nurture_states[k], len))
			break;
	if (k == LK_NS_NKINDS) {
		snprintf(bad, sizeof bad, "nurture_state '%.40s' is not active, exited, exhausted "
			 "or paused", s);
		*why = bad;
		return 1;
	}
	l.state = (lk_nstate)k;
	s = tfield(in, n->col[LK_NU_LAST], &len);
	if (parse_ts(s, len, env->order, &l.last) < 0) {
		snprintf(bad, sizeof bad, "last_touch_at '%.40s' is not a date", s);
		*why = bad;
		return 1;
	}
	s = tfield(in, n->col[LK_NU_NEXT], &len);
	if (parse_ts(s, len, env->order, &l.raw) < 0) {
		snprintf(bad, sizeof bad, "next_touch_at '%.40s' is not a date", s);
		*why = bad;
		return 1;
	}
	s = tfield(in, n->col[LK_NU_TRACK], &len);
	if (len) {
		char *end;
		const char *st;
		size_t slen;
		long v;
		l.track = track_index(n, s, len);
		if (l.track < 0) {
			/* Kept as it is, flagged. */
			unknown = 1;
			reason(&l, "track '%.*s' is not in the model", (int)(len > 60 ? 60 : len), s);
			goto write;
		}
		st = tfield(in, n->col[LK_NU_STEP], &slen);
		v = slen ? strtol(st, &end, 10) : 1;
		if ((slen && (end != st + slen)) || v < 1) {
			snprintf(bad, sizeof bad, "nurture_step '%.40s' is not a step number", st);
			*why = bad;
			return 1;
		}
		if (l.state == LK_NS_NONE)
			l.state = LK_NS_ACTIVE;
		if (v > n->tracks[l.track].nsteps) {
			if (l.state == LK_NS_ACTIVE || l.state == LK_NS_PAUSED) {
				l.state = LK_NS_EXHAUSTED;
				reason(&l, "step %ld is past the end of %s (%d step%s)", v,
				       n->tracks[l.track].name, n->tracks[l.track].nsteps,
				       n->tracks[l.track].nsteps == 1 ? "" : "s");
			}
			v = n->tracks[l.track].nsteps;
		}
		l.step = (int)v - 1;
	} else if (l.state != LK_NS_NONE && l.state != LK_NS_EXITED) {
		snprintf(bad, sizeof bad, "nurture_state '%s' without a nurture_track",
			 lk_nurture_states[l.state]);
		*why = bad;
		return 1;
	}
	if (gather(n, acts, details, nacts) < 0)
		return -1;
	n->now = env->now;

	/* The built-in exits win over everything, then the model's
	 * suppression; an open deal may pause instead (open_deals: pause). */
	{
		int pause;
		lk_nstate was = l.state;
		if ((builtin = builtin_exit(n, &l, in, &pause)) != LK_NX_NONE) {
			if (!pause)
				l.state = LK_NS_EXITED;
			else if (was == LK_NS_ACTIVE || was == LK_NS_PAUSED)
				l.state = LK_NS_PAUSED;
			else {
				/* Not in a track: nothing to pause; kept as it was. */
				s = lk_row_field(in, n->col[LK_NU_REASON], &len);
				if (set(n, LK_NU_REASON, s, len) < 0)
					return -1;
			}
			goto write;
		}
	}
	if ((k = suppressed(n, in, env)) >= 0) {
		if (l.state != LK_NS_EXITED || strcmp(lk_buf_str(l.why), n->supp[k].reason))
			reason(&l, "%s", n->supp[k].reason);
		l.state = LK_NS_EXITED;
		goto write;
	}
	/* Routed to sales (or the model's pause): hold where it is. */
	s = tfield(in, n->in[IN_ROUTE], &len);
	if ((len == 5 && !memcmp(s, "sales", 5)) || (n->pause && lk_expr_bool(n->pause, in, env))) {
		if (l.state == LK_NS_ACTIVE || l.state == LK_NS_PAUSED) {
			if (l.state == LK_NS_ACTIVE && len == 5 && !memcmp(s, "sales", 5))
				reason(&l, "routed to sales");
			else if (l.state == LK_NS_ACTIVE)
				reason(&l, "pause: %s", n->pause_src);
			l.state = LK_NS_PAUSED;
		}
		goto write;
	}
	if (l.state == LK_NS_PAUSED) {
		const lk_nurture_step *st = &n->tracks[l.track].steps[l.step];
		l.state = LK_NS_ACTIVE;
		l.raw = (l.last >= 0 ? l.last : env->now) + (int64_t)llround(st->wait);
		transition = 1;
		reason(&l, "resumed");
	}
	/* do_not_call: a pending call step is skipped, never due. */
	if (l.state == LK_NS_ACTIVE && l.dnc &&
	    lk_channel_is_call(n->tracks[l.track].steps[l.step].channel)) {
		int from = l.step;
		settle(n, &l, l.step + 1, l.last >= 0 ? l.last : env->now);
		transition = 1;
		if (l.state == LK_NS_ACTIVE)
			reason(&l, "step %d (%s) skipped: do_not_call", from + 1,
			       n->tracks[l.track].steps[from].channel);
		else
			l.left = l.track;
	}
	for (pass = 0; pass <= n->ntracks + 1; pass++) {
		if (l.state != LK_NS_ACTIVE) {
			for (i = 0; i < n->ntracks; i++)
				if (may_enter(n, &l, i, in, env))
					break;
			if (i == n->ntracks)
				break;
			l.track = i;
			l.state = LK_NS_ACTIVE;
			transition = 1;
			reason2(&l, "entered ", n->tracks[i].name);
			settle(n, &l, 0, env->now);
			if (l.state != LK_NS_ACTIVE) {
				l.left = l.track;
				continue;
			}
		}
		k = l.advanced;
		{
			int tr0 = l.track, st0 = l.step;
			int64_t raw0 = l.raw;
			behave(n, &l);
			if (l.advanced != k || l.track != tr0 || l.step != st0 || l.raw != raw0)
				transition = 1;
		}
		if (l.state == LK_NS_ACTIVE && n->tracks[l.track].exit &&
		    lk_expr_bool(n->tracks[l.track].exit, in, env)) {
			l.state = LK_NS_EXITED;
			l.left = l.track;
			reason(&l, "exit %s: %s", n->tracks[l.track].name, n->tracks[l.track].exit_src);
			continue;
		}
		if (l.state == LK_NS_ACTIVE || l.state == LK_NS_EXITED)
			break;
		/* Exhausted: it may go on to another track at once. */
		l.left = l.track;
	}
	if (l.state == LK_NS_ACTIVE) {
		int w;
		if (!transition && l.raw < 0) {
			const lk_nurture_step *st = &n->tracks[l.track].steps[l.step];
			l.raw = (l.last >= 0 ? l.last : env->now) + (int64_t)llround(st->wait);
		}
		next = govern(n, l.raw, env->now, &w);
		if (w && next > env->now && next != l.raw) {
			deferred = 1;
			if (w & 1)
				reason2(&l, "deferred: cap ", n->cap_text);
			else
				reason2(&l, "deferred: quiet hours", "");
		}
	}

write:
	if (!unknown) {
		const lk_nurture_step *st = NULL;
		lk_buf_reset(&n->val[LK_NU_TRACK]);
		lk_buf_reset(&n->val[LK_NU_STEP]);
		if (l.track >= 0) {
			lk_buf_adds(&n->val[LK_NU_TRACK], n->tracks[l.track].name);
			lk_buf_addf(&n->val[LK_NU_STEP], "%d", l.step + 1);
			if (l.state == LK_NS_ACTIVE)
				st = &n->tracks[l.track].steps[l.step];
		}
		set(n, LK_NU_STATE, lk_nurture_states[l.state], strlen(lk_nurture_states[l.state]));
		lk_buf_reset(&n->val[LK_NU_LAST]);
		if (l.last >= 0)
			lk_buf_adds(&n->val[LK_NU_LAST], lk_date_format_full(l.last, ts));
		lk_buf_reset(&n->val[LK_NU_NEXT]);
		lk_buf_reset(&n->val[LK_NU_OFFER]);
		lk_buf_reset(&n->val[LK_NU_CONTENT]);
		lk_buf_reset(&n->val[LK_NU_CHANNEL]);
		if (st) {
			const char *o = value_for(&st->offer, l.stage);
			lk_buf_adds(&n->val[LK_NU_NEXT], lk_date_format_full(next, ts));
			lk_buf_adds(&n->val[LK_NU_OFFER], o ? o : "");
			lk_buf_adds(&n->val[LK_NU_CONTENT], value_for(&st->content, l.stage));
			lk_buf_adds(&n->val[LK_NU_CHANNEL], st->channel);
		}
	} else {
		for (k = 0; k < LK_NU_NCOLS; k++)
			if (k != LK_NU_REASON) {
				const char *f = lk_row_field(in, n->col[k], &len);
				if (set(n, k, f, len) < 0)
					return -1;
			}
	}
	lk_bind_pass(&n->out, in, n->nin);
	for (k = 0; k < LK_NU_NCOLS; k++) {
		if (!n->val[k].data && lk_buf_add(&n->val[k], "", 0) < 0)
			return -1;
		n->out.f[n->col[k]] = n->val[k].data;
		n->out.len[n->col[k]] = n->val[k].len;
	}
	*out = &n->out;
	if (res) {
		res->state = l.state;
		res->track = unknown ? -1 : l.track;
		res->step = l.track >= 0 ? l.step + 1 : 0;
		res->next = next;
		res->due = l.state == LK_NS_ACTIVE && !unknown && next >= 0 && next <= env->now;
		res->deferred = deferred;
		res->advanced = l.advanced;
		res->unknown = unknown;
		res->builtin = builtin;
	}
	return 0;
}

void lk_nurture_next(const lk_nurture *n, const char **offer, const char **content,
		     const char **channel)
{
	*offer = lk_buf_str(&n->val[LK_NU_OFFER]);
	*content = lk_buf_str(&n->val[LK_NU_CONTENT]);
	*channel = lk_buf_str(&n->val[LK_NU_CHANNEL]);
}
