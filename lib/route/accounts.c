/*
 * accounts.c - the accounts table (lk_route_accounts_load) and method
 * account: a lead goes to the owner of its account, found by the
 * email's domain or the company (norm.h's lk_norm_domain and
 * lk_norm_company make the keys).  See route.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/hash.h"
#include "model/norm.h"
#include "route/route_int.h"

static int acct_put(lk_route *r, lk_hash *h, const char *key, size_t len, size_t owner,
		    const char *path, const lk_row *row, const char *what, lk_err *err)
{
	int created = 0;
	void **slot = lk_hash_slot(h, key, len, 1, &created);

	if (!slot)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	if (!created && (size_t)(intptr_t)*slot != owner + 1 &&
	    strcmp(r->owners[(intptr_t)*slot - 1], r->owners[owner])) {
		lk_err_set(err, LK_EDATA, "%s '%s' belongs to '%s' and to '%s': one owner per %s",
			   what, key, r->owners[(intptr_t)*slot - 1], r->owners[owner], what);
		snprintf(err->file, sizeof err->file, "%s", path);
		err->record = row->record;
		err->line = row->line;
		return -1;
	}
	if (created)
		*slot = (void *)(intptr_t)(owner + 1);
	return 0;
}

int lk_route_accounts_load(lk_route *r, const char *path, lk_err *err)
{
	lk_csvopt co = { 0 };
	lk_reader *rd;
	lk_row *row;
	lk_buf key = { 0 };
	int fd, k, cd = -1, cc = -1, co_ = -1, i, rc = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lk_err_set(err, LK_EIO, "%s: cannot open: %s", path, strerror(errno));
	co.name = path;
	if (!(rd = lk_reader_new(fd, &co, err))) {
		close(fd);
		return -1;
	}
	lk_hash_free(r->by_domain);
	lk_hash_free(r->by_company);
	r->by_domain = lk_hash_new(1024);
	r->by_company = lk_hash_new(1024);
	if (!r->by_domain || !r->by_company) {
		lk_err_set(err, LK_ENOMEM, "out of memory");
		goto out;
	}
	if ((k = lk_reader_next(rd, &row, err)) <= 0) {
		if (k == 0)
			lk_err_set(err, LK_EDATA, "%s: empty: the accounts file needs a header with "
				   "owner and domain or company", path);
		goto out;
	}
	for (i = 0; i < row->n; i++) {
		const char *h = row->f[i];
		if (!strcmp(h, "domain") || !strcmp(h, "website"))
			cd = cd < 0 ? i : cd;
		else if (!strcmp(h, "company") || !strcmp(h, "account") || !strcmp(h, "name"))
			cc = cc < 0 ? i : cc;
		else if (!strcmp(h, "owner"))
			co_ = i;
	}
	if (co_ < 0 || (cd < 0 && cc < 0)) {
		lk_err_set(err, LK_EDATA, "%s: the accounts file needs the columns owner and "
			   "domain (or website) or company (or account, name)", path);
		goto out;
	}
	while ((k = lk_reader_next(rd, &row, err)) > 0) {
		char **no;
		size_t ol;
		const char *o;
		if (row->bad) {
			lk_err_set(err, LK_EDATA, "%s", row->bad);
			goto at;
		}
		o = co_ < row->n ? row->f[co_] : "";
		ol = co_ < row->n ? row->len[co_] : 0;
		while (ol && (o[ol - 1] == ' ' || o[ol - 1] == '\t'))
			ol--;
		while (ol && (*o == ' ' || *o == '\t'))
			o++, ol--;
		if (!ol)
			continue;	/* an account nobody owns routes like no account */
		no = realloc(r->owners, (r->nowners + 1) * sizeof *no);
		if (!no || !(no[r->nowners] = strndup(o, ol))) {
			if (no)
				r->owners = no;
			lk_err_set(err, LK_ENOMEM, "out of memory");
			goto out;
		}
		r->owners = no;
		r->nowners++;
		if (cd >= 0 && cd < row->n && lk_norm_domain(row->f[cd], row->len[cd], &key) &&
		    acct_put(r, r->by_domain, key.data, key.len, r->nowners - 1, path, row,
			     "domain", err) < 0)
			goto out;
		if (cc >= 0 && cc < row->n && lk_norm_company(row->f[cc], row->len[cc], &key) &&
		    acct_put(r, r->by_company, key.data, key.len, r->nowners - 1, path, row,
			     "company", err) < 0)
			goto out;
	}
	if (k == 0)
		rc = 0;
	goto out;
at:
	snprintf(err->file, sizeof err->file, "%s", path);
	err->record = row->record;
	err->line = row->line;
out:
	lk_buf_free(&key);
	lk_reader_free(rd);
	close(fd);
	return rc;
}

/* The account owner of the lead: by the email's domain or a parent
 * domain (eu.acme.com, then acme.com), else by company; NULL when none.
 * *how says which key matched (in r->acct). */
static intptr_t account_owner(lk_route *r, const lk_row *in, const char **how)
{
	size_t len, off;
	const char *v = lk_row_field(in, r->in[LK_RTIN_EMAIL], &len);
	intptr_t at;

	if (!r->by_domain)
		return 0;
	if (len && lk_norm_domain(v, len, &r->acct)) {
		for (off = 0; off < r->acct.len;) {
			const char *dot;
			at = (intptr_t)lk_hash_get(r->by_domain, r->acct.data + off, r->acct.len - off);
			if (at) {
				memmove(r->acct.data, r->acct.data + off, r->acct.len - off + 1);
				r->acct.len -= off;
				*how = "domain";
				return at;
			}
			dot = memchr(r->acct.data + off, '.', r->acct.len - off);
			if (!dot || !memchr(dot + 1, '.', r->acct.len - (size_t)(dot + 1 - r->acct.data)))
				break;	/* never up to a bare top-level domain */
			off = (size_t)(dot + 1 - r->acct.data);
		}
	}
	v = lk_row_field(in, r->in[LK_RTIN_COMPANY], &len);
	if (len && lk_norm_company(v, len, &r->acct) &&
	    (at = (intptr_t)lk_hash_get(r->by_company, r->acct.data, r->acct.len))) {
		*how = "company";
		return at;
	}
	return 0;
}

/*
 * Method account: the lead's account owner gets it, unless the owner is
 * one of the pool's reps and away or at cap.  Returns the owner's index
 * + 1 into r->owners, or 0 for the pool's round-robin fallback (with the
 * reason so far in why).
 */
int lk_route_by_account(lk_route *r, lk_pool *p, const lk_row *in, int64_t now, lk_buf *why)
{
	const char *how = NULL, *o;
	intptr_t at = account_owner(r, in, &how);
	int64_t day = lk_route_day_of(r, now);
	int k;
	void *w;

	if (!at) {
		lk_buf_adds(why, "; no account matched");
		return 0;
	}
	o = r->owners[at - 1];
	lk_buf_add(why, "; account (", 11);
	lk_buf_adds(why, how);
	lk_buf_addc(why, ' ');
	lk_buf_add(why, r->acct.data, r->acct.len);
	lk_buf_add(why, ") in ", 5);
	lk_buf_adds(why, p->name);
	lk_buf_add(why, ": ", 2);
	lk_buf_adds(why, o);
	k = lk_route_find_rep(p, o);
	if (k >= 0) {
		lk_buf_reset(&r->note);
		if (!lk_route_available(r, &p->reps[k], day, &r->note)) {
			lk_buf_add(why, " is ", 4);
			lk_buf_adds(why, p->reps[k].away && lk_route_is_away(&p->reps[k], day) ? "away" : "at cap");
			return 0;
		}
	}
	if ((w = lk_hash_get(r->who, o, strlen(o)))) {
		r->day_load[(intptr_t)w - 1]++;
		r->week_load[(intptr_t)w - 1]++;
	}
	return (int)at;
}

int lk_route_needs_accounts(const lk_route *r)
{
	int i;

	for (i = 0; i < r->npools; i++)
		if (r->pools[i].method == LK_POOL_ACCOUNT)
			return 1;
	return 0;
}
