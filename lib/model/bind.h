/*
 * bind.h - the owned columns of a per-lead filter: where they go in the
 * output, and the input passed through around them.
 *
 * The data contract (DESIGN.md) says every per-lead filter passes
 * through every column it does not own, values unchanged and in order,
 * and appends its own columns, or updates them in place where the input
 * already has them (lead-score's output scored again, lead-route's
 * output routed again).  lead-score, lead-route and lead-nurture all
 * lay out their output with lk_bind_owned and start each output row
 * with lk_bind_pass, so the rule is written once:
 *
 *   input   lead_id, email, score, stage          owned: route, owner, score?
 *   output  lead_id, email, score, stage, route, owner
 *
 * An owned column the input lacks is appended after every input column,
 * in the filter's own order; one the input has keeps the input's place
 * (the first column of that name, if the header repeats it).
 *
 * Ownership: the output header lk_bind_owned makes is an array the
 * caller owns (free it, or pass it back to the next bind); its strings
 * are borrowed from the input header and the owned names, which must
 * outlive it.  The output row's arrays are the caller's too; its fields
 * point into the input row (lk_bind_pass) or into the filter's own
 * buffers, so the input row must stay valid while the output is used
 * (lib/README.md: transformers own their output row).
 */
#ifndef LK_BIND_H
#define LK_BIND_H

#include "core/csvio.h"
#include "core/err.h"

/*
 * Find columns by name: idx[j] becomes the index of the first of the n
 * columns cols named names[j], or -1 when there is none.
 */
void lk_bind_find(const char *const *cols, int n, const char *const *names, int k, int *idx);

/*
 * Lay out the output of a filter that owns the columns owned[0..nowned)
 * over an input header cols[0..n): col[j] becomes the output index of
 * owned[j], or -1 when skip[j] is set (a column not written in this
 * run, such as lead-score's score_reasons without --explain; skip may
 * be NULL).  *names is freed and replaced by the output header; out's
 * field arrays are freed and replaced by arrays for the output width,
 * and out->n is set to it.  Returns the output width, or -1 with err
 * (LK_ENOMEM).
 */
int lk_bind_owned(const char *const *cols, int n, const char *const *owned, int nowned,
		  const char *skip, int *col, const char ***names, lk_row *out, lk_err *err);

/*
 * Start an output row laid out by lk_bind_owned over an input of nin
 * columns: each input column gets the row's field (the same pointer),
 * or "" when the row is short; each appended column gets "" until the
 * filter sets it.
 */
void lk_bind_pass(lk_row *out, const lk_row *in, int nin);

#endif
