/*
 * state.c - the state ledger of lead-route --state: the leads assigned
 * this week and the rotation, read at the start of a run and written
 * atomically at its end, under a lock.  See route.h for the file's
 * records.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "core/hash.h"
#include "route/route_int.h"

static const char *const state_cols[] = { "record", "pool", "rep", "day", "value" };

int lk_route_lock(const char *path, double wait, lk_err *err)
{
	lk_buf lp = { 0 };
	struct timespec pause = { 0, 50 * 1000000L };
	double waited = 0;
	char pid[32];
	int fd, n;

	lk_buf_addf(&lp, "%s.lock", path);
	if (!lp.data)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	fd = open(lp.data, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		lk_err_set(err, LK_EIO, "%s: cannot open the lock file: %s", lp.data, strerror(errno));
		lk_buf_free(&lp);
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			lk_err_set(err, LK_EIO, "%s: cannot lock: %s", lp.data, strerror(errno));
			goto fail;
		}
		if (waited >= wait) {
			n = (int)pread(fd, pid, sizeof pid - 1, 0);
			pid[n > 0 ? n : 0] = 0;
			pid[strcspn(pid, "\n")] = 0;
			lk_err_set(err, LK_EIO, "%s: in use by another lead-route run%s%s%s (waited %gs; "
				   "--wait-lock SECONDS waits longer)", path, *pid ? " (pid " : "",
				   pid, *pid ? ")" : "", wait);
			goto fail;
		}
		nanosleep(&pause, NULL);
		waited += 0.05;
	}
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	/* The pid is only a hint for the message above: errors do not matter. */
	if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, (size_t)n, 0) != n) {
		n = 0;
	}
	lk_buf_free(&lp);
	return fd;
fail:
	close(fd);
	lk_buf_free(&lp);
	return -1;
}

static int state_err(lk_err *err, const char *path, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int state_err(lk_err *err, const char *path, long line, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		return lk_err_at(err, path, line, 1, "corrupt state file: %s (it is left as it is; "
				 "move it aside to start afresh)", msg);
	lk_err_set(err, LK_EMODEL, "%s", msg);
	snprintf(err->file, sizeof err->file, "%s", path);
	return -1;
}

/* A whole number, or -1. */
static int state_num(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return *s && !*end && !errno ? 0 : -1;
}

static int state_day(const char *s, size_t len, int64_t *day)
{
	lk_time t;

	if (len != 10 || s[4] != '-' || s[7] != '-' || lk_date_parse(s, len, LK_DATE_AUTO, &t) < 0 || t.has_time)
		return -1;
	*day = t.secs / 86400;
	return 0;
}

/* Count (sign 1) or uncount (-1) a lead of `rep` assigned on `day`. */
void lk_route_count_lead(lk_route *r, const lk_rep *rep, int64_t day, long sign)
{
	if (day == r->today)
		r->day_load[rep->who] += sign;
	if (day >= r->week0 && day < r->week0 + 7)
		r->week_load[rep->who] += sign;
}

/* Remember in the ledger that the lead keyed r->key went to rep k of
 * pool p on `day`, replacing (and uncounting) an earlier assignment. */
int lk_route_remember(lk_route *r, int p, int k, int64_t day)
{
	const lk_rep *rep = &r->pools[p].reps[k];
	struct lk_led *e;
	void **slot;
	int created = 0;

	if (!r->key.len) {
		if (day >= r->week0 && day < r->week0 + 7)
			r->anon[rep->who * 7 + (day - r->week0)]++;
		return 0;
	}
	slot = lk_hash_slot(r->leads, r->key.data, r->key.len, 1, &created);
	if (!slot)
		return -1;
	if (created) {
		if (r->nled == r->aled) {
			size_t na = r->aled ? r->aled * 2 : 256;
			struct lk_led *nl = realloc(r->led, na * sizeof *nl);
			if (!nl)
				return -1;
			r->led = nl;
			r->aled = na;
		}
		*slot = (void *)(intptr_t)(++r->nled);
		e = &r->led[r->nled - 1];
	} else {
		e = &r->led[(intptr_t)*slot - 1];
		lk_route_count_lead(r, &r->pools[e->pool].reps[e->rep], e->day, -1);
	}
	e->pool = p;
	e->rep = k;
	e->day = day;
	return 0;
}

/* Start the ledger as of `now`: empty, this week. */
static int ledger_start(lk_route *r, int64_t now)
{
	r->have_today = 0;
	lk_route_day_of(r, now);
	r->ledger = 1;
	lk_hash_free(r->leads);
	free(r->anon);
	r->leads = lk_hash_new(1024);
	r->anon = calloc((size_t)r->nwho * 7 + 1, sizeof *r->anon);
	return r->leads && r->anon ? 0 : -1;
}

int lk_route_state_load(lk_route *r, const char *path, int64_t now, lk_err *err)
{
	lk_csvopt co = { 0 };
	lk_reader *rd = NULL;
	lk_row *row;
	struct stat st;
	char *seen = NULL;
	int *first = NULL;
	int fd, rc, i, k, nseen = 0, version = 0;

	if (ledger_start(r, now) < 0)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;	/* the first run: the file is created at the end */
		return lk_err_set(err, LK_EIO, "%s: cannot open: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) == 0 && st.st_size == 0) {
		close(fd);
		return 0;	/* touched empty: also a first run */
	}
	/* seen[]: the pools, then each pool's reps, met in the file. */
	first = calloc((size_t)r->npools + 1, sizeof *first);
	for (i = 0; i < r->npools; i++) {
		first[i] = nseen;
		nseen += 1 + r->pools[i].nreps;
	}
	seen = calloc((size_t)nseen + 1, 1);
	co.name = path;
	if (!first || !seen || !(rd = lk_reader_new(fd, &co, err))) {
		rc = err->kind ? -1 : lk_err_set(err, LK_ENOMEM, "out of memory");
		goto out;
	}
	rc = -1;
	if ((k = lk_reader_next(rd, &row, err)) <= 0) {
		if (k == 0)
			state_err(err, path, 1, "no header");
		else
			state_err(err, path, err->line, "%s", err->msg);
		goto out;
	}
	for (i = 0; i < 5; i++)
		if (row->n != 5 || strcmp(row->f[i], state_cols[i])) {
			state_err(err, path, row->line, "the header must be "
				  "record,pool,rep,day,value");
			goto out;
		}
	while ((k = lk_reader_next(rd, &row, err)) > 0) {
		const char *kind = row->f[0], *pn = row->f[1], *id = row->f[2];
		long line = row->line, v = 0;
		int64_t day = 0;
		int p = -1, rep = -1;

		if (row->bad || row->n != 5) {
			state_err(err, path, line, "%s", row->bad ? row->bad : "a record has 5 fields");
			goto out;
		}
		if (!version) {
			if (strcmp(kind, "version") || strcmp(row->f[4], "1")) {
				state_err(err, path, line, "the first record must be version,,,,1");
				goto out;
			}
			version = 1;
			continue;
		}
		if (*pn && (p = lk_route_find_pool(r, pn)) < 0) {
			state_err(err, path, 0, "written for another model: pool '%s' is in the "
				  "state but not in the model (the rotation cannot carry over; move "
				  "the file aside to start afresh)", pn);
			goto out;
		}
		if (p >= 0 && *id && (rep = lk_route_find_rep(&r->pools[p], id)) < 0) {
			state_err(err, path, 0, "written for another model: rep '%s' of pool '%s' "
				  "is in the state but not in the model (the rotation cannot carry "
				  "over; move the file aside to start afresh)", id, pn);
			goto out;
		}
		if (!strcmp(kind, "pool")) {
			if (p < 0 || *id || *row->f[3]) {
				state_err(err, path, line, "a pool record names a pool and nothing else");
				goto out;
			}
			if (seen[first[p]]++) {
				state_err(err, path, line, "pool '%s' twice", pn);
				goto out;
			}
			if (*row->f[4]) {
				int nx = lk_route_find_rep(&r->pools[p], row->f[4]);
				if (nx < 0) {
					state_err(err, path, line, "the next rep '%s' is not in pool "
						  "'%s'", row->f[4], pn);
					goto out;
				}
				r->pools[p].next = nx;
			}
		} else if (!strcmp(kind, "rep")) {
			if (rep < 0 || *row->f[3] || state_num(row->f[4], &v) < 0) {
				state_err(err, path, line, "a rep record has a pool, a rep and a "
					  "whole-number credit");
				goto out;
			}
			if (seen[first[p] + 1 + rep]++) {
				state_err(err, path, line, "rep '%s' of pool '%s' twice", id, pn);
				goto out;
			}
			r->pools[p].reps[rep].credit = v;
		} else if (!strcmp(kind, "lead")) {
			if (rep < 0 || state_day(row->f[3], row->len[3], &day) < 0 || !row->len[4]) {
				state_err(err, path, line, "a lead record has a pool, a rep, a day "
					  "(YYYY-MM-DD) and a lead key");
				goto out;
			}
			if (day < r->week0 || day >= r->week0 + 7)
				continue;	/* an earlier week's: forgotten */
			if (lk_hash_get(r->leads, row->f[4], row->len[4])) {
				state_err(err, path, line, "lead '%s' twice", row->f[4]);
				goto out;
			}
			lk_buf_reset(&r->key);
			if (lk_buf_add(&r->key, row->f[4], row->len[4]) < 0 ||
			    lk_route_remember(r, p, rep, day) < 0) {
				lk_err_set(err, LK_ENOMEM, "out of memory");
				goto out;
			}
			lk_route_count_lead(r, &r->pools[p].reps[rep], day, 1);
		} else if (!strcmp(kind, "count")) {
			void *w = lk_hash_get(r->who, id, strlen(id));
			if (*pn || !w || state_day(row->f[3], row->len[3], &day) < 0 ||
			    state_num(row->f[4], &v) < 0 || v < 0) {
				state_err(err, path, line, "a count record has a rep, a day "
					  "(YYYY-MM-DD) and a number");
				goto out;
			}
			if (day < r->week0 || day >= r->week0 + 7)
				continue;
			k = (int)(intptr_t)w - 1;
			r->anon[k * 7 + (day - r->week0)] += v;
			if (day == r->today)
				r->day_load[k] += v;
			r->week_load[k] += v;
		} else {
			state_err(err, path, line, "unknown record '%s' (records are version, pool, "
				  "rep, lead, count)", kind);
			goto out;
		}
	}
	if (k < 0) {
		state_err(err, path, err->line, "%s", err->msg);
		goto out;
	}
	if (!version) {
		state_err(err, path, 1, "no version record");
		goto out;
	}
	for (i = 0; i < r->npools; i++)
		for (k = 0; k <= r->pools[i].nreps; k++)
			if (!seen[first[i] + k]) {
				if (k == 0)
					state_err(err, path, 0, "written for another model: pool '%s' "
						  "is in the model but not in the state (the rotation "
						  "cannot carry over; move the file aside to start "
						  "afresh)", r->pools[i].name);
				else
					state_err(err, path, 0, "written for another model: rep '%s' "
						  "of pool '%s' is in the model but not in the state "
						  "(the rotation cannot carry over; move the file aside "
						  "to start afresh)", r->pools[i].reps[k - 1].id,
						  r->pools[i].name);
				goto out;
			}
	rc = 0;
out:
	lk_reader_free(rd);
	close(fd);
	free(seen);
	free(first);
	return rc;
}

static void put_day(lk_writer *w, int64_t day)
{
	char ts[40];

	lk_writer_field(w, lk_date_format_full(day * 86400, ts), 10);
}

int lk_route_state_save(lk_route *r, const char *path, lk_err *err)
{
	lk_outfile of;
	lk_writer *w;
	char num[32];
	size_t i;
	int p, k, d, dfd, rc;

	if (!r->ledger)
		return lk_err_set(err, LK_EUSAGE, "no ledger: lk_route_state_load was not called");
	if (lk_outfile_open(&of, path, err) < 0)
		return -1;
	w = lk_writer_new(of.fd, ',', 0);
	if (!w) {
		lk_outfile_abort(&of);
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	lk_writer_row(w, state_cols, NULL, 5, err);
	lk_writer_raw(w, "version,,,,1\n", 13);
	for (p = 0; p < r->npools; p++) {
		const lk_pool *pl = &r->pools[p];
		const char *nx = pl->method == LK_POOL_ROUND_ROBIN || pl->method == LK_POOL_ACCOUNT ?
				 pl->reps[pl->next].id : "";
		lk_writer_field(w, "pool", 4);
		lk_writer_field(w, pl->name, strlen(pl->name));
		lk_writer_field(w, "", 0);
		lk_writer_field(w, "", 0);
		lk_writer_field(w, nx, strlen(nx));
		lk_writer_end(w, err);
		for (k = 0; k < pl->nreps; k++) {
			lk_writer_field(w, "rep", 3);
			lk_writer_field(w, pl->name, strlen(pl->name));
			lk_writer_field(w, pl->reps[k].id, strlen(pl->reps[k].id));
			lk_writer_field(w, "", 0);
			snprintf(num, sizeof num, "%ld", pl->reps[k].credit);
			lk_writer_field(w, num, strlen(num));
			lk_writer_end(w, err);
		}
	}
	for (k = 0; k < r->nwho; k++)
		for (d = 0; d < 7; d++) {
			const char *id;
			long n = r->anon[k * 7 + d];
			if (!n)
				continue;
			lk_hash_entry(r->who, (size_t)k, &id, NULL, NULL);
			lk_writer_field(w, "count", 5);
			lk_writer_field(w, "", 0);
			lk_writer_field(w, id, strlen(id));
			put_day(w, r->week0 + d);
			snprintf(num, sizeof num, "%ld", n);
			lk_writer_field(w, num, strlen(num));
			lk_writer_end(w, err);
		}
	for (i = 0; i < r->nled; i++) {
		const struct lk_led *e = &r->led[i];
		const char *key, *id = r->pools[e->pool].reps[e->rep].id;
		size_t klen;
		if (e->day < r->week0 || e->day >= r->week0 + 7)
			continue;
		lk_hash_entry(r->leads, i, &key, &klen, NULL);
		lk_writer_field(w, "lead", 4);
		lk_writer_field(w, r->pools[e->pool].name, strlen(r->pools[e->pool].name));
		lk_writer_field(w, id, strlen(id));
		put_day(w, e->day);
		lk_writer_field(w, key, klen);
		if (lk_writer_end(w, err) < 0)
			break;
	}
	rc = lk_writer_flush(w, err);
	lk_writer_free(w);
	if (rc < 0) {
		lk_outfile_abort(&of);
		return -1;
	}
	if (lk_outfile_commit(&of, err) < 0)
		return -1;
	/* The rename is durable once the directory is on disk too. */
	{
		const char *slash = strrchr(path, '/');
		lk_buf dir = { 0 };
		if (slash)
			lk_buf_add(&dir, path, slash == path ? 1 : (size_t)(slash - path));
		else
			lk_buf_adds(&dir, ".");
		dfd = dir.data ? open(dir.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
		rc = dfd >= 0 && fsync(dfd) < 0 && errno != EINVAL ?
		     lk_err_set(err, LK_EIO, "%s: cannot sync its directory: %s", path,
				strerror(errno)) : 0;
		if (dfd >= 0)
			close(dfd);
		lk_buf_free(&dir);
	}
	return rc;
}
