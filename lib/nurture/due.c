/* due.c - the send list of lead-nurture --due; see due.h. */
#include "nurture/due.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "model/consent.h"

const char *const lk_due_columns[LK_DUE_NCOLS] = {
	"lead_id", "email", "track", "step", "offer", "content", "channel", "send_at"
};

void lk_due_init(lk_due *d, const lk_nurture *nu, const char *const *cols, int n)
{
	memset(d, 0, sizeof *d);
	d->nu = nu;
	d->id_col = lk_header_index(cols, n, "lead_id");
	d->email_col = lk_header_index(cols, n, "email");
	d->opt_col = lk_header_index(cols, n, "email_opt_out");
	d->bounced_col = lk_header_index(cols, n, "email_bounced");
	d->dnc_col = lk_header_index(cols, n, "do_not_call");
	d->row.n = LK_DUE_NCOLS;
	d->row.f = d->f;
	d->row.len = d->len;
}

/* Field i of the row.  Nothing writes through a row's fields: the cast
 * only fits lk_row's type. */
static void set(lk_due *d, int i, const char *s, size_t len)
{
	d->f[i] = (char *)s;
	d->len[i] = len;
}

/* 1 when column col of the row says yes, or something not understood. */
static int says_no_touch(const lk_row *in, int col)
{
	size_t len;
	const char *s = lk_row_field(in, col, &len);
	lk_flag f = col >= 0 ? lk_flag_read(s, len, 0) : LK_FLAG_EMPTY;

	return f == LK_FLAG_TRUE || f == LK_FLAG_UNKNOWN;
}

int lk_due_allowed(const lk_due *d, const lk_row *in)
{
	const char *offer, *content, *channel;

	lk_nurture_next(d->nu, &offer, &content, &channel);
	if (lk_channel_is_call(channel))
		return !says_no_touch(in, d->dnc_col);
	return !says_no_touch(in, d->opt_col) && !says_no_touch(in, d->bounced_col);
}

const lk_row *lk_due_row(lk_due *d, const lk_row *in, const lk_nurture_result *res)
{
	const lk_nurture_track *t;
	const char *offer, *content, *channel, *s;
	size_t len;
	int nt;

	t = lk_nurture_tracks(d->nu, &nt);
	lk_nurture_next(d->nu, &offer, &content, &channel);
	snprintf(d->step, sizeof d->step, "%d", res->step);
	lk_date_format_full(res->next, d->send_at);
	s = lk_row_field(in, d->id_col, &len);
	set(d, 0, s, len);
	s = lk_row_field(in, d->email_col, &len);
	set(d, 1, s, len);
	set(d, 2, t[res->track].name, strlen(t[res->track].name));
	set(d, 3, d->step, strlen(d->step));
	set(d, 4, offer, strlen(offer));
	set(d, 5, content, strlen(content));
	set(d, 6, channel, strlen(channel));
	set(d, 7, d->send_at, strlen(d->send_at));
	d->row.record = in->record;
	d->row.line = in->line;
	return &d->row;
}
