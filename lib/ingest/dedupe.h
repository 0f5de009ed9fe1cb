/*
 * dedupe.h - merge records of the same lead.
 *
 * Records with the same key (normalised email by default) are merged
 * field by field: for each column the value of the newest record that
 * has one wins, so blanks are filled from older records.  "Newest" is
 * the record's updated_at, else last_activity_at, else created_at;
 * ties are broken by comparing the records' bytes, so the survivor
 * never depends on input order.  `merged_ids` lists the lead_ids of the
 * other records (and any merged_ids they already carried), sorted.
 *
 * Consent columns (cfg.flag: email_opt_out, do_not_call, email_bounced,
 * see model/consent.h) are never lost in a merge: there the value that
 * says most wins whatever the records' times, in the order true, then a
 * value not understood (kept as it was), then false, then empty; among
 * values of the same rank the newest record's wins.  So one record that
 * opted out makes the merged lead opted out, even when a newer record
 * says false.
 *
 * Two modes: in memory (every record is held until lk_dedupe_finish;
 * groups come out in order of first appearance) and sorted (input is
 * grouped by key already, e.g. after `LC_ALL=C sort`; a group comes out
 * when the key changes, in O(1) memory).  Records with an empty key
 * are never merged and pass through.
 *
 * Memory, in memory mode: rows are held packed (values a column repeats
 * kept once, digit runs two to a byte, no pointers), so a million-row
 * export takes less than its own size on disk; each key is hashed once
 * and never copied.  The bench's dedupe table (tests/bench/run.sh)
 * measures it on several export shapes.
 *
 * Ownership: rows given to lk_dedupe_add are copied.  A row returned
 * by lk_dedupe_next is owned by the dedupe and valid until the next
 * call to lk_dedupe_add, lk_dedupe_next or lk_dedupe_free; its fields
 * are NUL-terminated copies, none points into a row that was added.
 */
#ifndef LK_DEDUPE_H
#define LK_DEDUPE_H

#include "core/csvio.h"
#include "core/err.h"

typedef struct lk_dedupe_cfg {
	int nfields;		/* fields per row */
	const int *key;		/* key columns (values joined to form the key) */
	int nkey;
	int ts[3];		/* updated_at, last_activity_at, created_at columns (-1: none) */
	int id;			/* lead_id column, or -1 */
	int merged;		/* merged_ids column, or -1 */
	int flag[3];		/* consent columns, merged by rank (see above) */
	int nflag;		/* how many of flag[] are used (0: none) */
	int sorted;		/* input already grouped by key */
} lk_dedupe_cfg;

typedef struct lk_dedupe lk_dedupe;

lk_dedupe *lk_dedupe_new(const lk_dedupe_cfg *cfg);
void lk_dedupe_free(lk_dedupe *d);
/* Add a (normalised) row.  -1 on ENOMEM or, in sorted mode, on a key
 * smaller than the previous one (input not sorted), with err. */
int lk_dedupe_add(lk_dedupe *d, const lk_row *row, lk_err *err);
/* End of input: everything held becomes ready. */
int lk_dedupe_finish(lk_dedupe *d, lk_err *err);
/* Next merged row ready for output: 1 and *out, or 0. */
int lk_dedupe_next(lk_dedupe *d, lk_row **out);
/* Records absorbed into another (rows in = rows out + merged). */
long lk_dedupe_merged(const lk_dedupe *d);
/* The key of a row as the dedupe sees it (values joined by \x1f). */
void lk_dedupe_key(const lk_dedupe *d, const lk_row *row, lk_buf *out);

#endif
