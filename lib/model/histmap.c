/* histmap.c - the columns of a stage history or deals export; see histmap.h. */
#include "model/histmap.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/norm.h"

const char *const lk_hrole[LK_NHROLE] = {
	"lead_id", "email", "stage", "changed_at", "amount", "currency", "deal_id",
	"from_stage", "status", "created_at", "close_date", "won_at", "lost_at", "contact_id"
};

struct hsyn {
	const char *loose;
	int role;
};

/* What Salesforce (API names and report labels), HubSpot, Zoho,
 * Pipedrive and spreadsheets call the columns of a history or deal. */
static const struct hsyn synonyms[] = {
	{ "leadid", LK_H_LEAD_ID }, { "mqlid", LK_H_LEAD_ID }, { "prospectid", LK_H_LEAD_ID },
	{ "email", LK_H_EMAIL }, { "emailaddress", LK_H_EMAIL }, { "contactemail", LK_H_EMAIL },
	{ "leademail", LK_H_EMAIL }, { "personemail", LK_H_EMAIL },
	{ "associatedemail", LK_H_EMAIL }, { "primarycontactemail", LK_H_EMAIL },
	{ "stage", LK_H_STAGE }, { "stagename", LK_H_STAGE }, { "tostage", LK_H_STAGE },
	{ "pipelinestage", LK_H_STAGE }, { "newstage", LK_H_STAGE },
	{ "fromstage", LK_H_FROM_STAGE }, { "fromopportunitystagename", LK_H_FROM_STAGE },
	{ "fromstagename", LK_H_FROM_STAGE }, { "previousstage", LK_H_FROM_STAGE },
	{ "oldstage", LK_H_FROM_STAGE },
	{ "changedat", LK_H_CHANGED_AT }, { "changeddate", LK_H_CHANGED_AT },
	{ "datechanged", LK_H_CHANGED_AT }, { "stagechangedate", LK_H_CHANGED_AT },
	{ "stagechangedat", LK_H_CHANGED_AT }, { "lastmodified", LK_H_CHANGED_AT },
	{ "lastmodifieddate", LK_H_CHANGED_AT }, { "modifiedtime", LK_H_CHANGED_AT },
	{ "modifieddate", LK_H_CHANGED_AT }, { "updatetime", LK_H_CHANGED_AT },
	{ "updatedat", LK_H_CHANGED_AT }, { "lastupdated", LK_H_CHANGED_AT },
	{ "createddate", LK_H_CREATED_AT }, { "createdate", LK_H_CREATED_AT },
	{ "createdtime", LK_H_CREATED_AT }, { "createdat", LK_H_CREATED_AT },
	{ "dealcreated", LK_H_CREATED_AT }, { "creationdate", LK_H_CREATED_AT },
	{ "amount", LK_H_AMOUNT }, { "value", LK_H_AMOUNT },
	{ "amountincompanycurrency", LK_H_AMOUNT },
	{ "currency", LK_H_CURRENCY }, { "currencyisocode", LK_H_CURRENCY },
	{ "currencycode", LK_H_CURRENCY },
	{ "dealid", LK_H_DEAL_ID }, { "opportunityid", LK_H_DEAL_ID },
	/* Not a bare "Id": in an OpportunityHistory export that is the
	 * history row's own id, and OpportunityId the deal's. */
	{ "potentialid", LK_H_DEAL_ID }, { "recordid", LK_H_DEAL_ID },
	{ "hsobjectid", LK_H_DEAL_ID },
	/* A deal's status (Pipedrive's "Deal - Status": open, won, lost),
	 * not a bare "Status", which in a lead's columns means other things. */
	{ "dealstatus", LK_H_STATUS }, { "opportunitystatus", LK_H_STATUS },
	{ "closedate", LK_H_CLOSE_DATE }, { "closingdate", LK_H_CLOSE_DATE },
	{ "expectedclosedate", LK_H_CLOSE_DATE }, { "closedon", LK_H_CLOSE_DATE },
	{ "dealclosedon", LK_H_CLOSE_DATE },
	{ "wondate", LK_H_WON_AT }, { "wontime", LK_H_WON_AT }, { "datewon", LK_H_WON_AT },
	{ "closedwondate", LK_H_WON_AT },
	{ "lostdate", LK_H_LOST_AT }, { "losttime", LK_H_LOST_AT }, { "datelost", LK_H_LOST_AT },
	{ "contactid", LK_H_CONTACT }, { "whoid", LK_H_CONTACT }, { "personid", LK_H_CONTACT },
	{ "associatedcontact", LK_H_CONTACT }, { "associatedcontactids", LK_H_CONTACT },
	{ "associatedcontactid", LK_H_CONTACT }, { "contactname", LK_H_CONTACT },
	{ "contactperson", LK_H_CONTACT }, { "primarycontact", LK_H_CONTACT },
	{ NULL, 0 }
};

/* The canonical history's own names. */
static const char *const canon_names[] = {
	"lead_id", "email", "stage", "changed_at", "amount", "currency", "deal_id"
};

enum { HOW_NONE, HOW_SELF, HOW_MODEL, HOW_SYNONYM };

struct entered {
	int col;		/* input column */
	int stage;		/* the stage it dates */
};

struct lk_histmap {
	const lk_model *m;
	lk_histmap_opt opt;
	int ncols;
	char **names;		/* the header's names, copied */
	int col[LK_NHROLE];	/* per role: input column, or -1 */
	int *how;		/* per input column: HOW_* of its role */
	int *role;		/* per input column: role, or -1 */
	struct entered *ent;	/* the stage-date columns, in header order */
	int nent;
	lk_hshape shape;
	lk_histev *ev;		/* room for nent + 1 changes */
	lk_buf email, lead, reason;
};

static int lookup(const char *loose)
{
	const struct hsyn *s;

	for (s = synonyms; s->loose; s++)
		if (!strcmp(s->loose, loose))
			return s->role;
	return -1;
}

/* The role of a loose name, trying a deal/opportunity/potential prefix away. */
static int role_of(const char *loose)
{
	static const char *pre[] = { "deal", "opportunity", "potential", NULL };
	int r = lookup(loose), i;

	for (i = 0; r < 0 && pre[i]; i++) {
		size_t n = strlen(pre[i]);
		if (!strncmp(loose, pre[i], n) && loose[n])
			r = lookup(loose + n);
	}
	return r;
}

/*
 * The stage text of a stage-date column, or NULL: "Date entered Closed
 * Won (Sales Pipeline)" gives "Closed Won", "hs_date_entered_closedwon"
 * "closedwon".  *len is set.
 */
static const char *entered_stage(const char *h, size_t *len)
{
	static const char *pre[] = { "date entered ", "hs_date_entered_", "date_entered_", NULL };
	size_t n = 0, hl = strlen(h);
	const char *s = NULL, *e;
	int i;

	for (i = 0; pre[i] && !s; i++) {
		n = strlen(pre[i]);
		if (hl > n && !strncasecmp(h, pre[i], n))
			s = h + n;
	}
	if (!s)
		return NULL;
	/* HubSpot quotes the stage and its pipeline in some portals:
	 * Date entered "Closed Won (Sales Pipeline)". */
	while (*s == ' ' || *s == '"' || *s == '\'')
		s++;
	e = h + hl;
	while (e > s && (e[-1] == ' ' || e[-1] == '"' || e[-1] == '\''))
		e--;
	if (e > s && e[-1] == ')') {	/* the pipeline's name */
		const char *p = e - 1;
		while (p > s && *p != '(')
			p--;
		if (p > s)
			e = p;
	}
	while (e > s && (e[-1] == ' ' || e[-1] == '"' || e[-1] == '\''))
		e--;
	*len = (size_t)(e - s);
	return *len ? s : NULL;
}

/* Edit distance of two short strings (for the closest stage ids). */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int row[64], prev, t;

	if (la > 63)
		la = 63;
	if (lb > 63)
		lb = 63;
	for (j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (int)i;
		for (j = 1; j <= lb; j++) {
			t = row[j];
			row[j] = a[i - 1] == b[j - 1] ? prev : 1 + (prev < row[j - 1] ?
				 (prev < row[j] ? prev : row[j]) : (row[j - 1] < row[j] ? row[j - 1] : row[j]));
			prev = t;
		}
	}
	return row[lb];
}

void lk_histmap_unknown_stage(const lk_model *m, const char *s, size_t len, lk_buf *out)
{
	lk_buf k = LK_BUF_INIT, a = LK_BUF_INIT;
	int best[3] = { -1, -1, -1 }, bd[3] = { 1 << 20, 1 << 20, 1 << 20 }, i, q;

	lk_loose_key(s, len, &k);
	for (i = 0; m && i < m->nstages; i++) {
		const lk_stage *st = &m->stages[i];
		int d;
		size_t e, n = m->stage_index ? lk_hash_count(m->stage_index) : 0;
		lk_loose_key(st->id, strlen(st->id), &a);
		d = distance(lk_buf_str(&k), lk_buf_str(&a));
		/* Every alias, the built-in ones too, as the index holds them. */
		for (e = 0; e < n; e++) {
			const char *key;
			size_t kl;
			void *v;
			int dd;
			lk_hash_entry(m->stage_index, e, &key, &kl, &v);
			if ((intptr_t)v - 1 == i && (dd = distance(lk_buf_str(&k), key)) < d)
				d = dd;
		}
		for (q = 0; q < 3; q++)
			if (d < bd[q]) {
				memmove(best + q + 1, best + q, sizeof *best * (size_t)(2 - q));
				memmove(bd + q + 1, bd + q, sizeof *bd * (size_t)(2 - q));
				best[q] = i;
				bd[q] = d;
				break;
			}
	}
	lk_buf_reset(out);
	lk_buf_addf(out, "stage '%.*s' is no stage of the model", (int)len, s);
	for (q = 0; q < 3 && best[q] >= 0; q++)
		lk_buf_addf(out, "%s %s", q ? "," : " (closest:", m->stages[best[q]].id);
	lk_buf_adds(out, best[0] >= 0 ? "; give the stage an alias in the model)" : "");
	lk_buf_free(&k);
	lk_buf_free(&a);
}

void lk_histmap_free(lk_histmap *hm)
{
	int i;

	if (!hm)
		return;
	for (i = 0; i < hm->ncols; i++)
		free(hm->names[i]);
	free(hm->names);
	free(hm->how);
	free(hm->role);
	free(hm->ent);
	free(hm->ev);
	lk_buf_free(&hm->email);
	lk_buf_free(&hm->lead);
	lk_buf_free(&hm->reason);
	free(hm);
}

static void take(lk_histmap *hm, int col, int role, int how)
{
	if (role < 0 || hm->role[col] >= 0 || hm->col[role] >= 0)
		return;
	hm->col[role] = col;
	hm->role[col] = role;
	hm->how[col] = how;
}

/* The header's names for a message: the first eight, quoted. */
static void some_names(const lk_histmap *hm, lk_buf *out)
{
	int i;

	for (i = 0; i < hm->ncols && i < 8; i++)
		lk_buf_addf(out, "%s'%s'", i ? ", " : "", hm->names[i]);
	if (hm->ncols > 8)
		lk_buf_addf(out, " and %d more", hm->ncols - 8);
}

static lk_histmap *fail(lk_histmap *hm, lk_err *err, lk_buf *msg)
{
	lk_err_set(err, LK_EDATA, "%s", msg->len ? msg->data : "out of memory");
	if (!msg->len)
		err->kind = LK_ENOMEM;
	lk_buf_free(msg);
	lk_histmap_free(hm);
	return NULL;
}

lk_histmap *lk_histmap_new(const lk_model *m, const lk_row *h, const lk_histmap_opt *opt,
			   lk_err *err)
{
	lk_histmap *hm = calloc(1, sizeof *hm);
	lk_buf k = LK_BUF_INIT, msg = LK_BUF_INIT;
	int i, j, r;

	if (!hm)
		return fail(NULL, err, &msg);
	hm->m = m;
	if (opt)
		hm->opt = *opt;
	hm->ncols = h->n;
	hm->names = calloc((size_t)h->n + 1, sizeof *hm->names);
	hm->how = calloc((size_t)h->n + 1, sizeof *hm->how);
	hm->role = malloc(sizeof *hm->role * ((size_t)h->n + 1));
	hm->ent = malloc(sizeof *hm->ent * ((size_t)h->n + 1));
	hm->ev = calloc((size_t)h->n + 2, sizeof *hm->ev);
	if (!hm->names || !hm->how || !hm->role || !hm->ent || !hm->ev)
		return fail(hm, err, &msg);
	for (r = 0; r < LK_NHROLE; r++)
		hm->col[r] = -1;
	for (i = 0; i < h->n; i++) {
		hm->role[i] = -1;
		if (!(hm->names[i] = strndup(h->f[i], h->len[i])))
			return fail(hm, err, &msg);
	}
	/* 1. The canonical names. */
	for (i = 0; i < h->n; i++)
		for (r = 0; r < (int)(sizeof canon_names / sizeof *canon_names); r++)
			if (!strcasecmp(hm->names[i], canon_names[r]))
				take(hm, i, r, HOW_SELF);
	/* 2. The model's aliases of the canonical history's columns (today
	 * the model takes aliases of lead columns only: lead_id, email and
	 * stage; any other of these it comes to accept counts too). */
	for (j = 0; m && j < m->nfield_aliases; j++) {
		const char *name = m->field_aliases[j].name;
		lk_buf a = LK_BUF_INIT;
		for (r = (int)(sizeof canon_names / sizeof *canon_names) - 1; r >= 0; r--)
			if (!strcmp(name, canon_names[r]))
				break;
		if (r < 0)
			continue;
		lk_loose_key(m->field_aliases[j].alias, strlen(m->field_aliases[j].alias), &a);
		for (i = 0; i < h->n; i++) {
			lk_loose_key(h->f[i], h->len[i], &k);
			if (!strcmp(lk_buf_str(&k), lk_buf_str(&a)))
				take(hm, i, r, HOW_MODEL);
		}
		lk_buf_free(&a);
	}
	/* 3. Stage-date columns, then the synonyms. */
	for (i = 0; i < h->n; i++) {
		size_t sl;
		const char *s = entered_stage(hm->names[i], &sl);
		int st;
		if (!s || hm->role[i] >= 0)
			continue;
		if ((st = m ? lk_model_stage(m, s, sl) : -1) < 0) {
			lk_histmap_unknown_stage(m, s, sl, &hm->reason);
			lk_buf_addf(&msg, "history header: column %d '%s': %s", i + 1, hm->names[i],
				    hm->reason.data);
			lk_buf_free(&k);
			return fail(hm, err, &msg);
		}
		hm->ent[hm->nent].col = i;
		hm->ent[hm->nent++].stage = st;
		hm->role[i] = LK_NHROLE;	/* taken, by no single role */
	}
	for (i = 0; i < h->n; i++) {
		if (hm->role[i] >= 0)
			continue;
		lk_loose_key(h->f[i], h->len[i], &k);
		take(hm, i, role_of(lk_buf_str(&k)), HOW_SYNONYM);
	}
	lk_buf_free(&k);
	for (i = 0; i < h->n; i++)
		if (hm->role[i] == LK_NHROLE)
			hm->role[i] = -1;

	hm->shape = hm->nent ? LK_HSHAPE_ENTERED
		  : hm->col[LK_H_FROM_STAGE] >= 0 ||
		    (hm->col[LK_H_STAGE] >= 0 && hm->col[LK_H_CLOSE_DATE] < 0 &&
		     hm->col[LK_H_WON_AT] < 0 && hm->col[LK_H_LOST_AT] < 0 &&
		     hm->col[LK_H_STATUS] < 0) ? LK_HSHAPE_CHANGES : LK_HSHAPE_DEALS;
	if (hm->col[LK_H_STAGE] < 0 && !hm->nent && hm->col[LK_H_WON_AT] < 0 &&
	    hm->col[LK_H_LOST_AT] < 0 && hm->col[LK_H_STATUS] < 0) {
		lk_buf_adds(&msg, "history header: no stage column (stage, StageName, \"Deal Stage\", "
			    "\"Date entered <stage>\" columns or a won date); the header has ");
		some_names(hm, &msg);
		return fail(hm, err, &msg);
	}
	if (!hm->nent && hm->col[LK_H_CHANGED_AT] < 0 && hm->col[LK_H_CREATED_AT] < 0 &&
	    hm->col[LK_H_CLOSE_DATE] < 0 && hm->col[LK_H_WON_AT] < 0 &&
	    hm->col[LK_H_LOST_AT] < 0) {
		lk_buf_adds(&msg, "history header: no date column (changed_at, CreatedDate, "
			    "\"Last Modified\", \"Modified Time\", \"Close Date\", a won or lost "
			    "time); the header has ");
		some_names(hm, &msg);
		return fail(hm, err, &msg);
	}
	if (hm->col[LK_H_LEAD_ID] < 0 && hm->col[LK_H_EMAIL] < 0) {
		int c = hm->col[LK_H_CONTACT] >= 0 ? hm->col[LK_H_CONTACT] : hm->col[LK_H_DEAL_ID];
		if (c >= 0 && hm->opt.link && hm->col[LK_H_CONTACT] >= 0)
			goto ok;	/* the link plan finds each row's lead */
		if (c >= 0)
			lk_buf_addf(&msg, "history header: the rows name a CRM %s ('%s'), not a lead: "
				    "add a lead_id or email column, or name one in the model "
				    "(fields.aliases), or link the %s ids to leads with --link FILE",
				    c == hm->col[LK_H_CONTACT] ? "contact or person" : "deal",
				    hm->names[c], c == hm->col[LK_H_CONTACT] ? "contact" : "deal");
		else {
			lk_buf_adds(&msg, "history header: no lead_id or email column (nor an alias "
				    "of one in the model's fields.aliases); the header has ");
			some_names(hm, &msg);
		}
		return fail(hm, err, &msg);
	}
ok:
	return hm;
}

lk_hshape lk_histmap_shape(const lk_histmap *hm)
{
	return hm->shape;
}

int lk_histmap_col(const lk_histmap *hm, int role)
{
	return role >= 0 && role < LK_NHROLE ? hm->col[role] : -1;
}

const char *lk_histmap_name(const lk_histmap *hm, int col)
{
	return col >= 0 && col < hm->ncols ? hm->names[col] : "";
}

int lk_histmap_is_date(const lk_histmap *hm, int col)
{
	int i;

	if (col < 0)
		return 0;
	if (col == hm->col[LK_H_CHANGED_AT] || col == hm->col[LK_H_CREATED_AT] ||
	    col == hm->col[LK_H_CLOSE_DATE] || col == hm->col[LK_H_WON_AT] ||
	    col == hm->col[LK_H_LOST_AT])
		return 1;
	for (i = 0; i < hm->nent; i++)
		if (hm->ent[i].col == col)
			return 1;
	return 0;
}

/* Field `col` of the row, white space trimmed at both ends. */
static const char *fld(const lk_row *row, int col, size_t *len)
{
	const char *s = lk_row_field(row, col, len);

	while (*len && isspace((unsigned char)*s)) {
		s++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)s[*len - 1]))
		(*len)--;
	return s;
}

static int reject(lk_histmap *hm, const char **reason)
{
	*reason = hm->reason.data ? hm->reason.data : "out of memory";
	return 0;
}

/* 1 when stage index st is the won stage (the last of the success path). */
static int is_won(const lk_model *m, int st)
{
	return st >= 0 && m->npath > 0 && st == m->npath - 1;
}

/*
 * The one change of a deal row into *e: the row's stage, or its status
 * when that says won or lost, or won (lost) when only a won (lost) date
 * is given; dated as histmap.h says.  0 with the reason in hm->reason.
 */
static int one_change(lk_histmap *hm, const lk_row *row, const lk_histev *base, lk_histev *e)
{
	const lk_model *m = hm->m;
	const char *s;
	size_t len;
	int st = -1, date_col = -1, stat;

	*e = *base;
	s = fld(row, hm->col[LK_H_STATUS], &len);
	stat = len ? lk_model_stage(m, s, len) : -1;
	if (stat >= 0 && (is_won(m, stat) || m->stages[stat].detour)) {
		st = stat;
		e->stage_text = s;
		e->stage_len = len;
	} else if (hm->col[LK_H_STAGE] >= 0) {
		e->stage_text = fld(row, hm->col[LK_H_STAGE], &e->stage_len);
		if (!e->stage_len) {
			lk_buf_addf(&hm->reason, "no stage: '%s' is empty",
				    hm->names[hm->col[LK_H_STAGE]]);
			return 0;
		}
		st = lk_model_stage(m, e->stage_text, e->stage_len);
		if (st < 0 && !hm->opt.keep_unknown) {
			lk_histmap_unknown_stage(m, e->stage_text, e->stage_len, &hm->reason);
			return 0;
		}
	} else if (fld(row, hm->col[LK_H_WON_AT], &len), len && m->npath > 0) {
		st = m->npath - 1;
		e->stage_text = m->stages[st].id;
		e->stage_len = strlen(e->stage_text);
	} else if (fld(row, hm->col[LK_H_LOST_AT], &len), len &&
		   (st = lk_model_stage_id(m, "lost")) >= 0) {
		e->stage_text = m->stages[st].id;
		e->stage_len = strlen(e->stage_text);
	} else {
		lk_buf_adds(&hm->reason, "no stage: no stage column, and no won or lost date");
		return 0;
	}
	e->stage = st;
	/* The date: a history's change time; a deal's won or lost time
	 * or close date when it is closed, else its last change. */
	if (hm->shape == LK_HSHAPE_CHANGES) {
		date_col = hm->col[LK_H_CHANGED_AT];
		if (fld(row, date_col, &len), !len)
			date_col = hm->col[LK_H_CREATED_AT];
	} else {
		int closed = is_won(m, st) || (st >= 0 && m->stages[st].detour);
		int order[5], k;
		order[0] = is_won(m, st) ? hm->col[LK_H_WON_AT] : -1;
		order[1] = st >= 0 && m->stages[st].detour ? hm->col[LK_H_LOST_AT] : -1;
		order[2] = closed ? hm->col[LK_H_CLOSE_DATE] : -1;
		order[3] = hm->col[LK_H_CHANGED_AT];
		order[4] = hm->col[LK_H_CREATED_AT];
		for (k = 0; k < 5; k++)
			if (order[k] >= 0 && (fld(row, order[k], &len), len)) {
				date_col = order[k];
				break;
			}
	}
	e->at = fld(row, date_col, &e->at_len);
	e->at_col = date_col;
	if (!e->at_len) {
		lk_buf_addf(&hm->reason, "no date for the change to '%.*s'",
			    (int)e->stage_len, e->stage_text);
		return 0;
	}
	return 1;
}

int lk_histmap_row(lk_histmap *hm, const lk_row *row, const lk_histev **evp, const char **reason)
{
	const lk_model *m = hm->m;
	lk_histev base;
	size_t len;
	const char *s;
	int n = 0, i;

	lk_buf_reset(&hm->reason);
	if (row->bad) {
		*reason = row->bad;
		return 0;
	}
	if (row->n != hm->ncols) {
		lk_buf_addf(&hm->reason, "ragged row: %d field%s, the header has %d", row->n,
			    row->n == 1 ? "" : "s", hm->ncols);
		return reject(hm, reason);
	}
	memset(&base, 0, sizeof base);
	base.stage = -1;
	base.at_col = -1;
	base.stage_text = base.at = "";
	base.lead_id = fld(row, hm->col[LK_H_LEAD_ID], &base.lead_id_len);
	s = fld(row, hm->col[LK_H_EMAIL], &len);
	lk_buf_reset(&hm->email);
	if (len && lk_norm_email(s, len, &hm->email, NULL)) {
		base.email = hm->email.data;
		base.email_len = hm->email.len;
	} else {
		base.email = "";
	}
	if (!base.lead_id_len && !base.email_len && hm->opt.link && hm->col[LK_H_CONTACT] >= 0) {
		const char *why = "no lead for the contact";
		s = fld(row, hm->col[LK_H_CONTACT], &len);
		lk_buf_reset(&hm->lead);
		lk_buf_reset(&hm->email);
		if (hm->opt.link(hm->opt.link_ctx, row, s, len, &hm->lead, &hm->email, &why) == 1) {
			base.lead_id = hm->lead.len ? hm->lead.data : "";
			base.lead_id_len = hm->lead.len;
			base.email = hm->email.len ? hm->email.data : "";
			base.email_len = hm->email.len;
		} else {
			lk_buf_adds(&hm->reason, why);
			return reject(hm, reason);
		}
	}
	if (!base.lead_id_len && !base.email_len) {
		if (hm->col[LK_H_LEAD_ID] >= 0 && hm->col[LK_H_EMAIL] >= 0)
			lk_buf_addf(&hm->reason, "no lead: '%s' and '%s' are empty or no address",
				    hm->names[hm->col[LK_H_LEAD_ID]], hm->names[hm->col[LK_H_EMAIL]]);
		else if (hm->col[LK_H_LEAD_ID] >= 0)
			lk_buf_addf(&hm->reason, "no lead: '%s' is empty",
				    hm->names[hm->col[LK_H_LEAD_ID]]);
		else
			lk_buf_addf(&hm->reason, "no lead: '%s' holds no email address",
				    hm->names[hm->col[LK_H_EMAIL]]);
		return reject(hm, reason);
	}
	base.amount = fld(row, hm->col[LK_H_AMOUNT], &base.amount_len);
	base.currency = fld(row, hm->col[LK_H_CURRENCY], &base.currency_len);
	base.deal_id = fld(row, hm->col[LK_H_DEAL_ID], &base.deal_id_len);

	/* A deal with stage dates: one change per date. */
	for (i = 0; i < hm->nent; i++) {
		s = fld(row, hm->ent[i].col, &len);
		if (!len)
			continue;
		hm->ev[n] = base;
		hm->ev[n].stage = hm->ent[i].stage;
		hm->ev[n].stage_text = m->stages[hm->ent[i].stage].id;
		hm->ev[n].stage_len = strlen(hm->ev[n].stage_text);
		hm->ev[n].at = s;
		hm->ev[n].at_len = len;
		hm->ev[n].at_col = hm->ent[i].col;
		n++;
	}
	/* The deal's current stage too, when the model knows it and no
	 * stage date gave it (an export without that stage's column). */
	if (n && (hm->col[LK_H_STAGE] >= 0 || hm->col[LK_H_STATUS] >= 0)) {
		lk_histev *e = &hm->ev[n];
		int k, seen = 0;
		if (one_change(hm, row, &base, e) && e->stage >= 0) {
			for (k = 0; k < n; k++)
				seen |= hm->ev[k].stage == e->stage;
			n += !seen;
		}
		lk_buf_reset(&hm->reason);
	}
	if (n) {
		*evp = hm->ev;
		return n;
	}
	if (!one_change(hm, row, &base, &hm->ev[0]))
		return reject(hm, reason);
	*evp = hm->ev;
	return 1;
}

int lk_histmap_describe(const lk_histmap *hm, lk_buf *out)
{
	static const char *how[] = { "", "canonical name", "model alias", "synonym" };
	static const char *shape[] = {
		"stage changes (one row per change)",
		"deals with a date column per stage (one change per date)",
		"deals (one change per deal: its stage, at its won, lost or close date, "
		"else its last change)"
	};
	size_t at = out->len;
	int i, j, un = 0;

	lk_buf_addf(out, "history: %s\n", shape[hm->shape]);
	for (i = 0; i < hm->ncols; i++) {
		if (hm->role[i] >= 0) {
			lk_buf_addf(out, "  %-32s -> %-16s (%s)\n", hm->names[i], lk_hrole[hm->role[i]],
				    how[hm->how[i]]);
			continue;
		}
		for (j = 0; j < hm->nent; j++)
			if (hm->ent[j].col == i)
				lk_buf_addf(out, "  %-32s -> stage %s at this date\n", hm->names[i],
					    hm->m->stages[hm->ent[j].stage].id);
	}
	if (hm->col[LK_H_LEAD_ID] < 0 && hm->col[LK_H_EMAIL] < 0)
		lk_buf_adds(out, "  leads: linked from contact_id\n");
	for (i = 0; i < hm->ncols; i++) {
		int ent = 0;
		for (j = 0; j < hm->nent; j++)
			ent |= hm->ent[j].col == i;
		if (hm->role[i] >= 0 || ent)
			continue;
		if (!un++)
			lk_buf_adds(out, "not used (left out of the history):\n");
		lk_buf_addf(out, "  %s\n", hm->names[i]);
	}
	return out->len > at ? 0 : -1;
}
