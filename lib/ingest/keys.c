/* keys.c - lead-ingest's dedupe and --emit-key keys; see keys.h. */
#include "ingest/keys.h"

#include <stdlib.h>
#include <string.h>

#include "core/hash.h"

lk_dedupe *lk_ingest_dedupe_new(const lk_ingest *g, const char *key, int sorted, lk_err *err)
{
	int keys[16], nk = 0;
	char *ks = strdup(key), *tok, *save = NULL;
	lk_dedupe_cfg dc = { 0 };
	const char *const *names;
	lk_dedupe *d;

	if (!ks) {
		lk_err_set(err, LK_ENOMEM, "out of memory");
		return NULL;
	}
	for (tok = strtok_r(ks, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int col = lk_ingest_column(g, tok);
		if (col < 0 || nk == 16) {
			if (col < 0)
				lk_err_set(err, LK_EUSAGE, "--key: no column '%s' in the output", tok);
			else
				lk_err_set(err, LK_EUSAGE, "--key: at most 16 columns");
			free(ks);
			return NULL;
		}
		keys[nk++] = col;
	}
	free(ks);
	lk_ingest_header(g, &names, &dc.nfields);
	dc.key = keys;
	dc.nkey = nk;
	dc.ts[0] = lk_ingest_column(g, "updated_at");
	dc.ts[1] = lk_ingest_column(g, "last_activity_at");
	dc.ts[2] = lk_ingest_column(g, "created_at");
	dc.id = lk_ingest_column(g, "lead_id");
	dc.merged = lk_ingest_column(g, "merged_ids");
	{
		static const char *const flags[] = { "email_opt_out", "do_not_call", "email_bounced" };
		int i;
		for (i = 0; i < 3; i++)
			if ((dc.flag[dc.nflag] = lk_ingest_column(g, flags[i])) >= 0)
				dc.nflag++;
	}
	dc.sorted = sorted;
	d = lk_dedupe_new(&dc);
	if (!d)
		lk_err_set(err, LK_ENOMEM, "out of memory");
	return d;
}

void lk_ingest_key(const lk_dedupe *d, const lk_row *row, lk_buf *key)
{
	lk_dedupe_key(d, row, key);
	if (!key->len) {
		/* Keyless rows never merge: a key of their own content. */
		lk_buf_reset(key);
		lk_buf_addf(key, "~%016llx.%ld",
			    (unsigned long long)lk_fnv1a(row->f[0], row->len[0]), row->record);
	}
}
