/*
 * config.h - what lead-score is asked to do: the options that choose
 * its mode, and whether they go together.
 *
 *   scoring      --activities, --explain, --ledger, --baseline, --lint
 *   map side     --emit-key [--key KIND]: leads and activities keyed for
 *                a shuffle (--activities too)
 *   reduce side  --keyed --sorted: the sorted map output, scored
 *   fit          --fit and its options (lk_fit_config, fit.h)
 *
 * The tool's getopt loop hands each of these options, by name, to
 * lk_score_config_opt; lk_score_config_check then says, as
 * lk_fit_config_check does for the fit, which option does not go with
 * the others, in the words of a usage error.  The options every filter
 * shares and the checks of the input and output (--header-from, the
 * number of inputs, --ledger and -o at the same place, stdin twice) are
 * the tool's.
 *
 * Ownership: the config borrows its strings (the command line's).
 */
#ifndef LK_SCORE_CONFIG_H
#define LK_SCORE_CONFIG_H

#include "core/err.h"
#include "score/activity.h"
#include "score/fit.h"

typedef struct lk_score_config {
	const char *activities;	/* --activities FILE ("-": stdin), or NULL */
	int explain;		/* --explain: add score_reasons */
	const char *ledger;	/* --ledger FILE, or NULL */
	const char *baseline;	/* --baseline MODEL, or NULL */
	int lint;		/* --lint: the summary of the rules, no scoring */
	int emit_key;		/* --emit-key: the map side */
	lk_joinkey key;		/* --key: the map side's join key */
	int key_given;		/* --key was given */
	int keyed, sorted;	/* --keyed, --sorted: the reduce side */
	lk_fit_config fit;	/* --fit and its options; fit.activities is --activities */
} lk_score_config;

/* Nothing asked for: plain scoring, joined on lead_id, the fit's defaults. */
#define LK_SCORE_CONFIG_INIT { .key = LK_JOIN_ID, .fit = LK_FIT_CONFIG_INIT }

/*
 * Take lead-score's option `opt`, by its long name without the dashes
 * ("explain", "key", ...; the fit's go to lk_fit_config_opt), with its
 * value `arg` (NULL for a flag).  -1 with err (LK_EUSAGE) for a value it
 * does not take ("--key: 'x' is neither lead_id nor email").
 */
int lk_score_config_opt(lk_score_config *c, const char *opt, const char *arg, lk_err *err);

/*
 * Do the modes' options go together?  `no_header_out` is
 * --no-header-out, which only the scoring modes take.  In order: the
 * map and reduce sides are one each, --key needs --emit-key, --keyed
 * and --sorted go together and take no --activities, --emit-key takes
 * none of the scoring options; then, but for --emit-key, the fit's
 * checks (lk_fit_config_check; the scoring options and --keyed do not
 * go with --fit).  -1 with err (LK_EUSAGE) naming the first that does
 * not.
 */
int lk_score_config_check(const lk_score_config *c, int no_header_out, lk_err *err);

#endif
