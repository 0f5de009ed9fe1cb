/*
 * fit_leads.c - lead-score --fit as one call: the options checked, the
 * labelled leads read from their file, the fit, the figures and the
 * notes as messages, the model rewritten, and the result written out
 * whole.  See fit.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/outfile.h"
#include "score/fit.h"

/* A count, read as every tool reads one (lk_parse_count): -1 with err. */
static int count(const char *opt, const char *arg, long *n, lk_err *err)
{
	if (lk_parse_count(arg, n) < 0)
		return lk_err_set(err, LK_EUSAGE, "--%s: '%s' is not a non-negative number", opt,
				  arg);
	return 0;
}

int lk_fit_config_opt(lk_fit_config *c, const char *opt, const char *arg, lk_err *err)
{
	char *end;
	long n;

	if (!strcmp(opt, "fit")) {
		c->outcome = arg;
	} else if (!strcmp(opt, "value")) {
		c->value = arg;
	} else if (!strcmp(opt, "exclude")) {
		c->exclude = arg;
	} else if (!strcmp(opt, "candidates")) {
		if (strcmp(arg, "auto") && strcmp(arg, "model"))
			return lk_err_set(err, LK_EUSAGE, "--candidates: '%s' is neither auto nor "
					  "model", arg);
		c->candidates = !strcmp(arg, "auto");
	} else if (!strcmp(opt, "max-rules") || !strcmp(opt, "folds") || !strcmp(opt, "seed")) {
		if (count(opt, arg, &n, err) < 0)
			return -1;
		if (opt[0] == 'm')
			c->o.max_rules = (int)n;
		else if (opt[0] == 'f')
			c->o.folds = (int)n;
		else
			c->o.seed = (uint64_t)n;
	} else if (!strcmp(opt, "capture")) {
		c->o.capture = strtod(arg, &end);
		if (!*arg || *end || !(c->o.capture > 0 && c->o.capture <= 1))
			return lk_err_set(err, LK_EUSAGE, "--capture: '%s' is not a share above 0 "
					  "and at most 1", arg);
	} else {
		return lk_err_set(err, LK_EUSAGE, "--%s: no such option", opt);
	}
	return 0;
}

int lk_fit_config_check(const lk_fit_config *c, int scoring, lk_err *err)
{
	if (!c->outcome && (c->value || c->exclude || c->candidates))
		return lk_err_set(err, LK_EUSAGE, "--value, --exclude and --candidates go with "
				  "--fit");
	if (c->outcome && scoring)
		return lk_err_set(err, LK_EUSAGE, "--fit writes a model: --explain, --ledger, "
				  "--baseline, --lint, --keyed and --no-header-out do not apply");
	if (c->exclude && !c->candidates)
		return lk_err_set(err, LK_EUSAGE, "--exclude names columns --candidates auto makes "
				  "no rules from");
	if (c->o.folds == 1 || c->o.folds > 100)
		return lk_err_set(err, LK_EUSAGE, "--folds: %d: give 0 (no held-out figures) or 2 "
				  "to 100", c->o.folds);
	return 0;
}

/* Open a named input ("-" is stdin) into *fd; -1 with err. */
static int open_in(const char *path, int *fd, lk_err *err)
{
	*fd = 0;
	if (!strcmp(path, "-"))
		return 0;
	*fd = open(path, O_RDONLY);
	if (*fd < 0)
		return lk_err_set(err, LK_EIO, "%s: cannot open: %s", path, strerror(errno));
	return 0;
}

/* One message: `prefix`, then len bytes of `text`, then the NUL that
 * ends it.  -1 with err when out of memory. */
static int add_msg(lk_buf *msgs, const char *prefix, const char *text, size_t len, lk_err *err)
{
	if (lk_buf_adds(msgs, prefix) < 0 || lk_buf_add(msgs, text, len) < 0 ||
	    lk_buf_addc(msgs, '\0') < 0)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	return 0;
}

/* Each line of `text` as a message: `prefix`, then the line less its
 * first `skip` bytes.  -1 with err when out of memory. */
static int add_lines(lk_buf *msgs, const char *prefix, const char *text, size_t skip,
		     lk_err *err)
{
	size_t len;

	for (; *text; text += len + (text[len] == '\n')) {
		len = strcspn(text, "\n");
		if (add_msg(msgs, prefix, text + skip, len - skip, err) < 0)
			return -1;
	}
	return 0;
}

/* The activities of c->activities, dated in the model's order and
 * bound to the data's header; NULL with err. */
static lk_activities *load_activities(const lk_fit_config *c, const lk_model *m,
				      const lk_fit_data *d, lk_err *err)
{
	lk_activities *acts;
	const char *const *h;
	int fd, n;

	if (open_in(c->activities, &fd, err) < 0)
		return NULL;
	acts = lk_activities_load(fd, c->activities, c->now, m->date_order, err);
	if (fd > 0)
		close(fd);
	h = lk_fit_data_header(d, &n);
	if (acts)
		lk_activities_bind(acts, h, n);
	return acts;
}

/*
 * The figures (the "# fit:" lines less their "# "), the thresholds
 * table (its title and rows one message, less the last newline), then
 * the model rewritten with them and the rewrite's notes.
 */
static int write_back(const lk_fit_config *c, lk_score *s, lk_fit_data *d, lk_fit *f,
		      const lk_fit_figures *fig, lk_buf *model, lk_buf *msgs, lk_err *err)
{
	lk_buf head = LK_BUF_INIT, table = LK_BUF_INIT, note = LK_BUF_INIT;
	int rc;

	lk_fit_data_summary(d, f, fig, &c->o, &head, &table);
	rc = add_lines(msgs, "", lk_buf_str(&head), 2, err);
	if (rc == 0)
		rc = add_msg(msgs, "", lk_buf_str(&table), table.len - 1, err);
	if (rc == 0)
		rc = lk_fit_rewrite_file(f, fig, c->model, lk_score_model(s), s, lk_buf_str(&head),
					 model, &note, err);
	if (rc == 0)
		rc = add_lines(msgs, "--fit: ", lk_buf_str(&note), 0, err);
	lk_buf_free(&head);
	lk_buf_free(&table);
	lk_buf_free(&note);
	return rc;
}

int lk_fit_leads(const lk_fit_config *c, lk_buf *model, lk_buf *msgs, lk_err *err)
{
	lk_csvopt co = { .delim = c->delim, .name = c->input };
	lk_exprenv env = { .now = c->now };
	lk_activities *acts = NULL;
	lk_fit_data *d = NULL;
	lk_reader *rd = NULL;
	lk_fit *f = NULL;
	lk_score *s;
	lk_model *m;
	lk_fit_figures fig;
	lk_row *row;
	int fd = 0, rc = -1, got;

	if (!(s = lk_score_load(c->model, err)) || open_in(c->input, &fd, err) < 0)
		goto done;
	m = lk_score_model(s);
	env.order = m->date_order;
	if (!(rd = lk_reader_new(fd, &co, err)) || (got = lk_reader_next(rd, &row, err)) < 0)
		goto done;
	if (got == 0) {
		lk_err_set(err, LK_EDATA, "%s: empty input: no header row",
			   strcmp(c->input, "-") ? c->input : "stdin");
		goto done;
	}
	if (!(d = lk_fit_data_new(m, s, row, c->outcome, c->value, c->exclude, err)) ||
	    (c->activities && !(acts = load_activities(c, m, d, err))) ||
	    lk_fit_data_read(d, rd, c->input, msgs, err) < 0)
		goto done;
	/* The checks and the fit are the fit's own failures: -2. */
	if (lk_fit_data_check(d, msgs, err) < 0)
		rc = -2;
	else if (!(f = lk_fit_data_build(d, acts, &env, c->candidates, err)))
		rc = -1;
	else if (lk_fit_run(f, &c->o, &fig, err) < 0)
		rc = -2;
	else if (add_lines(msgs, "--fit: ", lk_fit_notes(f), 0, err) == 0)
		rc = write_back(c, s, d, f, &fig, model, msgs, err);
done:
	lk_fit_free(f);
	lk_fit_data_free(d);
	lk_activities_free(acts);
	lk_reader_free(rd);
	if (fd > 0)
		close(fd);
	lk_score_free(s);
	return rc;
}

int lk_fit_save(const char *path, const lk_buf *model, lk_err *err)
{
	lk_outfile of;
	size_t at = 0;

	if (lk_outfile_open(&of, path, err) < 0)
		return -1;
	while (at < model->len) {
		ssize_t w = write(of.fd, model->data + at, model->len - at);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			int e = errno;
			lk_outfile_abort(&of);
			lk_err_set(err, LK_EIO, "%s: %s", path ? path : "stdout", strerror(e));
			return e == EPIPE ? lk_err_because(err, LK_EPIPE) : -1;
		}
		at += (size_t)w;
	}
	return lk_outfile_commit(&of, err);
}
