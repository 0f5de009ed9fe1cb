/* filter.c - lead-ingest's row filter: normalise, merge or key; see filter.h. */
#include "ingest/filter.h"

#include <stdlib.h>

#include "ingest/activities.h"
#include "ingest/dedupe.h"
#include "ingest/keys.h"

struct lk_ingest_filter {
	lk_ingest *ing;		/* a lead export, or NULL */
	lk_actingest *act;	/* an activity export, or NULL */
	lk_dedupe *dd;		/* --dedupe or --emit-key: the key policy, or NULL */
	int emit_key;		/* key rows rather than merge them */
	lk_row *ready;		/* a taken row not yet out (plain and keyed) */
	lk_buf key;		/* its key and the TAB after it */
};

lk_ingest_filter *lk_ingest_filter_new(const lk_model *m, const lk_ingest_opt *io, int activities,
				       const lk_row *header, lk_err *err)
{
	lk_ingest_filter *f = calloc(1, sizeof *f);

	if (!f) {
		lk_err_set(err, LK_ENOMEM, "out of memory");
		return NULL;
	}
	if (activities) {
		lk_actingest_opt ao = { .date_order = io->date_order, .tz = io->tz };
		if ((f->act = lk_actingest_new(m, &ao, err)) &&
		    lk_actingest_add(f->act, header, err) < 0) {
			lk_actingest_free(f->act);
			f->act = NULL;
		}
	} else
		f->ing = lk_ingest_new(m, io, header, err);
	if (!f->act && !f->ing) {
		free(f);
		return NULL;
	}
	return f;
}

void lk_ingest_filter_free(lk_ingest_filter *f)
{
	if (!f)
		return;
	lk_dedupe_free(f->dd);
	lk_ingest_free(f->ing);
	lk_actingest_free(f->act);
	lk_buf_free(&f->key);
	free(f);
}

lk_ingest *lk_ingest_filter_ingest(const lk_ingest_filter *f)
{
	return f->ing;
}

void lk_ingest_filter_header(const lk_ingest_filter *f, const char *const **names, int *n)
{
	if (f->act)
		lk_actingest_header(f->act, names, n);
	else
		lk_ingest_header(f->ing, names, n);
}

int lk_ingest_filter_keys(lk_ingest_filter *f, const char *key, int sorted, int emit_key,
			  lk_err *err)
{
	if (!f->ing)
		return lk_err_set(err, LK_EUSAGE, "activity exports have no lead key");
	if (!(f->dd = lk_ingest_dedupe_new(f->ing, key, sorted, err)))
		return -1;
	f->emit_key = emit_key;
	return 0;
}

int lk_ingest_filter_row(lk_ingest_filter *f, const lk_row *in, const char **reason, lk_err *err)
{
	lk_row *out;
	int ok;

	ok = f->act ? lk_actingest_row(f->act, in, &out, reason, err)
		    : lk_ingest_row(f->ing, in, &out, reason);
	if (ok <= 0)
		return ok;
	if (ok == LK_ACT_REPEAT)
		return 1;	/* dropped: nothing comes out */
	if (f->dd && !f->emit_key)
		return lk_dedupe_add(f->dd, out, err) < 0 ? -1 : 1;
	f->ready = out;
	return 1;
}

int lk_ingest_filter_finish(lk_ingest_filter *f, lk_err *err)
{
	if (f->dd && !f->emit_key)
		return lk_dedupe_finish(f->dd, err);
	return 0;
}

int lk_ingest_filter_next(lk_ingest_filter *f, lk_row **out, const lk_buf **key)
{
	*key = NULL;
	if (f->ready) {
		*out = f->ready;
		f->ready = NULL;
		if (f->emit_key) {
			lk_ingest_key(f->dd, *out, &f->key);
			lk_buf_addc(&f->key, '\t');
			*key = &f->key;
		}
		return 1;
	}
	return f->dd && !f->emit_key ? lk_dedupe_next(f->dd, out) : 0;
}

long lk_ingest_filter_merged(const lk_ingest_filter *f)
{
	return f->dd && !f->emit_key ? lk_dedupe_merged(f->dd) : 0;
}
