/* leads.c - leads read with their activities; see leads.h. */
#include "score/leads.h"

#include <stdlib.h>

struct lk_leads {
	lk_reader *rd;		/* plain input, or NULL */
	lk_keyjoin *kj;		/* keyed input, or NULL */
	lk_activities *acts;	/* the joined table (plain only), or NULL */
	const lk_act *la;	/* the activities of the last lead */
	const char *const *ld;	/* their details, or NULL */
	int nla;
};

lk_leads *lk_leads_new(int fd, const lk_csvopt *co, int keyed, int64_t now,
		       lk_date_order order, lk_err *err)
{
	lk_leads *l = calloc(1, sizeof *l);

	if (!l) {
		lk_err_set(err, LK_ENOMEM, "out of memory");
		return NULL;
	}
	if (keyed)
		l->kj = lk_keyjoin_new(fd, co->name, co->delim, now, order, err);
	else
		l->rd = lk_reader_new(fd, co, err);
	if (!l->rd && !l->kj) {
		free(l);
		return NULL;
	}
	return l;
}

void lk_leads_free(lk_leads *l)
{
	if (!l)
		return;
	lk_reader_free(l->rd);
	lk_keyjoin_free(l->kj);
	free(l);
}

const lk_dialect *lk_leads_dialect(const lk_leads *l)
{
	return l && l->rd ? lk_reader_dialect(l->rd) : NULL;
}

void lk_leads_join(lk_leads *l, lk_activities *acts)
{
	l->acts = acts;
}

int lk_leads_next(lk_leads *l, lk_row **row, lk_err *err)
{
	int c;

	if (l->kj) {
		c = lk_keyjoin_next(l->kj, row, &l->la, &l->nla, err);
		l->ld = c > 0 ? lk_keyjoin_details(l->kj) : NULL;
		return c;
	}
	l->la = NULL;
	l->ld = NULL;
	l->nla = 0;
	c = lk_reader_next(l->rd, row, err);
	if (c > 0 && l->acts && !(*row)->bad && (*row)->record > 0) {
		l->la = lk_activities_for(l->acts, *row, &l->nla);
		l->ld = lk_activities_details(l->acts);
	}
	return c;
}

const lk_act *lk_leads_acts(const lk_leads *l, int *n, const char *const **details)
{
	*n = l->nla;
	if (details)
		*details = l->ld;
	return l->la;
}

int lk_leads_keyed(const lk_leads *l)
{
	return l->kj != NULL;
}

const lk_activities_stats *lk_leads_stats(lk_leads *l)
{
	if (l->kj)
		return lk_keyjoin_stats(l->kj);
	return l->acts ? lk_activities_stats_get(l->acts) : NULL;
}
