/* config.c - lead-score's options and whether they go together; see config.h. */
#include "score/config.h"

#include <string.h>

int lk_score_config_opt(lk_score_config *c, const char *opt, const char *arg, lk_err *err)
{
	if (!strcmp(opt, "activities")) {
		c->activities = c->fit.activities = arg;
	} else if (!strcmp(opt, "explain")) {
		c->explain = 1;
	} else if (!strcmp(opt, "ledger")) {
		c->ledger = arg;
	} else if (!strcmp(opt, "baseline")) {
		c->baseline = arg;
	} else if (!strcmp(opt, "lint")) {
		c->lint = 1;
	} else if (!strcmp(opt, "emit-key")) {
		c->emit_key = 1;
	} else if (!strcmp(opt, "key")) {
		if (strcmp(arg, "lead_id") && strcmp(arg, "email"))
			return lk_err_set(err, LK_EUSAGE, "--key: '%s' is neither lead_id nor "
					  "email", arg);
		c->key = strcmp(arg, "email") ? LK_JOIN_ID : LK_JOIN_EMAIL;
		c->key_given = 1;
	} else if (!strcmp(opt, "keyed")) {
		c->keyed = 1;
	} else if (!strcmp(opt, "sorted")) {
		c->sorted = 1;
	} else {
		return lk_fit_config_opt(&c->fit, opt, arg, err);
	}
	return 0;
}

int lk_score_config_check(const lk_score_config *c, int no_header_out, lk_err *err)
{
	int scoring = c->explain || c->ledger || c->baseline || c->lint || no_header_out;

	if (c->emit_key && c->keyed)
		return lk_err_set(err, LK_EUSAGE, "--emit-key and --keyed are the two halves of a "
				  "shuffle; use one");
	if (c->key_given && !c->emit_key)
		return lk_err_set(err, LK_EUSAGE, "--key chooses the join key of --emit-key (the "
				  "map side)");
	if (c->keyed != c->sorted)
		return lk_err_set(err, LK_EUSAGE, "--keyed --sorted go together: the reduce side "
				  "reads the map output sorted with LC_ALL=C sort");
	if (c->keyed && c->activities)
		return lk_err_set(err, LK_EUSAGE, "--keyed: the activities come in the keyed "
				  "input, not --activities");
	if (c->emit_key && scoring)
		return lk_err_set(err, LK_EUSAGE, "--emit-key only keys rows for the shuffle: give "
				  "--explain, --ledger, --baseline and --lint to the reduce side "
				  "(--keyed), and keep the header lines");
	return c->emit_key ? 0 : lk_fit_config_check(&c->fit, scoring || c->keyed, err);
}
