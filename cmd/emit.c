/*
 * emit.c - the map side of the keyed join of leads and activities
 * (lead-score --emit-key), on the filter driver; see filter.h.  The
 * reduce side is the driver's keyed input (lk_filter_opts.keyed_in).
 */
#include "filter.h"

/* What the callbacks share. */
struct emitter {
	const char *acts;	/* --activities FILE, or NULL */
	lk_joinkey first;	/* --key */
	lk_keyemit *ka, *kl;	/* the activities' and the leads' keys */
};

/* The activities first, whole, before the leads are opened. */
static int emit_acts(void *st, lk_filter *f)
{
	struct emitter *t = st;
	lk_err e = { .record = -1 };
	lk_reader *rd;
	lk_row *row;
	int c;

	if (!t->acts)
		return 0;
	if (!(rd = lk_filter_open(f, t->acts, &row)))
		return -1;
	if (!(t->ka = lk_keyemit_new(lk_filter_writer(f), LK_KEY_ACT, t->first)))
		return lk_filter_nomem(f);
	if (lk_keyemit_header(t->ka, row, t->acts, &e) < 0)
		return lk_filter_fail(f, e.kind == LK_EUSAGE ? NULL : lk_filter_out_name(f), &e);
	while ((c = lk_filter_read(f, rd, &row)) > 0)
		if (lk_keyemit_row(t->ka, row, &e) < 0)
			return lk_filter_fail(f, lk_filter_out_name(f), &e);
	return c;
}

/* The leads' header line, as it was read (the empty key). */
static int emit_bind(void *st, lk_filter *f, const lk_row *hdr, const char *const *names, int n)
{
	struct emitter *t = st;
	lk_err e = { .record = -1 };

	if (!(t->kl = lk_keyemit_new(lk_filter_writer(f), LK_KEY_LEAD, t->first)))
		return lk_filter_nomem(f);
	if (lk_keyemit_header(t->kl, hdr, "", &e) < 0)
		return lk_filter_fail(f, lk_filter_out_name(f), &e);
	return 0;
}

static int emit_row(void *st, lk_filter *f, lk_row *row)
{
	struct emitter *t = st;
	const char *key;
	size_t len;

	if (!(key = lk_keyemit_key(t->kl, row, &len)))
		return lk_filter_nomem(f);
	return lk_filter_put_keyed(f, key, len, row);
}

static int emit_finish(void *st, lk_filter *f)
{
	struct emitter *t = st;
	long n = t->kl ? lk_keyemit_keyless(t->kl) : 0;

	if (n)
		lk_cli_warn("%ld lead%s without a lead_id or email: keyed to join no activity", n,
			    n == 1 ? "" : "s");
	return 0;
}

static void emit_report(void *st, lk_filter *f)
{
	struct emitter *t = st;
	const char *ex = "";
	long n = t->ka ? lk_keyemit_rejected(t->ka, &ex) : 0;

	if (n)
		lk_cli_warn("%ld activit%s rejected (%s)", n, n == 1 ? "y" : "ies", ex);
	lk_cli_counter(lk_scale.counters, "activities_rejected", n);
}

static const lk_filter_ops emit_ops = {
	.start = emit_acts, .bind = emit_bind, .row = emit_row, .finish = emit_finish,
	.report = emit_report
};

int lk_filter_emit(lk_filter_opts *o, const char *acts, lk_joinkey first)
{
	struct emitter t = { acts, first, NULL, NULL };
	int rc;

	o->keyed_out = o->out_first = 1;
	o->no_input = acts && (!o->inputs || !*o->inputs);
	rc = lk_filter_run(&emit_ops, &t, o);
	lk_keyemit_free(t.ka);
	lk_keyemit_free(t.kl);
	return rc;
}
