/*
 * report_load.c - the side files of a report, read whole: an activity
 * file (sla, timeline) or a stage history (--history).  See report.h.
 */
#include <stdio.h>

#include "report/report_int.h"

static int load(lk_report *r, int fd, const char *name, char delim, int hist, lk_err *err)
{
	lk_csvopt co = { 0 };
	lk_reader *rd;
	lk_row *row;
	int c;

	co.delim = delim;
	co.detect = delim ? 0 : lk_report_opts(r)->detect;
	co.encoding = lk_report_opts(r)->encoding;
	co.check_utf8 = 1;
	co.name = name;
	rd = lk_reader_new(fd, &co, err);
	if (!rd)
		return -1;
	c = lk_reader_next(rd, &row, err);
	if (c > 0 && (hist ? lk_report_bind_history : lk_report_bind_activities)(
			     r, (const char *const *)row->f, row->n, err) < 0) {
		/* The header does not fit: the message names the file. */
		snprintf(err->file, sizeof err->file, "%s", name);
		c = -1;
	}
	while (c > 0 && (c = lk_reader_next(rd, &row, err)) > 0)
		if (!row->bad && (hist ? lk_report_add_history : lk_report_add_activity)(r, row, err) < 0)
			c = -1;
	lk_reader_free(rd);
	return c < 0 ? -1 : 0;
}

int lk_report_load_activities(lk_report *r, int fd, const char *name, char delim, lk_err *err)
{
	return load(r, fd, name, delim, 0, err);
}

int lk_report_load_history(lk_report *r, int fd, const char *name, char delim, lk_err *err)
{
	return load(r, fd, name, delim, 1, err);
}
