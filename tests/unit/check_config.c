/*
 * Unit tests for lib/score/config: lead-score's options taken by name
 * (the fit's passed on to the fit's config) and the checks of the modes
 * in their order, each in the words of lead-score's usage error.
 */
#include <string.h>

#include "unit.h"
#include "score/config.h"

START_TEST(takes_options)
{
	lk_score_config c = LK_SCORE_CONFIG_INIT;
	lk_err e;

	ck_assert_int_eq(c.key, LK_JOIN_ID);
	ck_assert_int_eq(c.fit.o.folds, 5);
	ck_assert_int_eq(lk_score_config_opt(&c, "activities", "a.csv", &e), 0);
	ck_assert_int_eq(lk_score_config_opt(&c, "explain", NULL, &e), 0);
	ck_assert_int_eq(lk_score_config_opt(&c, "ledger", "l.csv", &e), 0);
	ck_assert_int_eq(lk_score_config_opt(&c, "baseline", "b.yaml", &e), 0);
	ck_assert_int_eq(lk_score_config_opt(&c, "lint", NULL, &e), 0);
	ck_assert_int_eq(lk_score_config_opt(&c, "emit-key", NULL, &e), 0);
	ck_assert_int_eq(lk_score_config_opt(&c, "key", "email", &e), 0);
	ck_assert_int_eq(lk_score_config_opt(&c, "keyed", NULL, &e), 0);
	ck_assert_int_eq(lk_score_config_opt(&c, "sorted", NULL, &e), 0);
	ck_assert_int_eq(lk_score_config_opt(&c, "folds", "3", &e), 0);
	ck_assert_str_eq(c.activities, "a.csv");
	ck_assert_str_eq(c.fit.activities, "a.csv");	/* the fit reads them too */
	ck_assert_str_eq(c.ledger, "l.csv");
	ck_assert_str_eq(c.baseline, "b.yaml");
	ck_assert(c.explain && c.lint && c.emit_key && c.keyed && c.sorted && c.key_given);
	ck_assert_int_eq(c.key, LK_JOIN_EMAIL);
	ck_assert_int_eq(c.fit.o.folds, 3);
	ck_assert_int_eq(lk_score_config_opt(&c, "key", "lead_id", &e), 0);
	ck_assert_int_eq(c.key, LK_JOIN_ID);

	ck_assert_int_eq(lk_score_config_opt(&c, "key", "id", &e), -1);
	ck_assert_int_eq(e.kind, LK_EUSAGE);
	ck_assert_str_eq(e.msg, "--key: 'id' is neither lead_id nor email");
	ck_assert_int_eq(lk_score_config_opt(&c, "capture", "2", &e), -1);
	ck_assert_str_eq(e.msg, "--capture: '2' is not a share above 0 and at most 1");
	ck_assert_int_eq(lk_score_config_opt(&c, "route", NULL, &e), -1);
}
END_TEST

/* Each check in turn: fix the first failure, and the next one shows. */
START_TEST(checks_in_order)
{
	lk_score_config c = LK_SCORE_CONFIG_INIT;
	lk_err e;

	ck_assert_int_eq(lk_score_config_check(&c, 1, &e), 0);
	c.emit_key = c.keyed = c.key_given = 1;
	c.activities = "a.csv";
	c.explain = 1;
	c.fit.o.folds = 1;
	ck_assert_int_eq(lk_score_config_check(&c, 0, &e), -1);
	ck_assert_int_eq(e.kind, LK_EUSAGE);
	ck_assert_str_eq(e.msg, "--emit-key and --keyed are the two halves of a shuffle; use one");
	c.emit_key = 0;
	ck_assert_int_eq(lk_score_config_check(&c, 0, &e), -1);
	ck_assert_str_eq(e.msg, "--key chooses the join key of --emit-key (the map side)");
	c.key_given = 0;
	ck_assert_int_eq(lk_score_config_check(&c, 0, &e), -1);
	ck_assert_str_eq(e.msg, "--keyed --sorted go together: the reduce side reads the map "
			 "output sorted with LC_ALL=C sort");
	c.sorted = 1;
	ck_assert_int_eq(lk_score_config_check(&c, 0, &e), -1);
	ck_assert_str_eq(e.msg, "--keyed: the activities come in the keyed input, not "
			 "--activities");
	c.keyed = c.sorted = 0;
	c.emit_key = 1;
	ck_assert_int_eq(lk_score_config_check(&c, 0, &e), -1);
	ck_assert_str_eq(e.msg, "--emit-key only keys rows for the shuffle: give --explain, "
			 "--ledger, --baseline and --lint to the reduce side (--keyed), and keep "
			 "the header lines");
	c.explain = 0;
	ck_assert_int_eq(lk_score_config_check(&c, 1, &e), -1);	/* --no-header-out */
	/* The map side takes no fit options, so it is not checked for them. */
	ck_assert_int_eq(lk_score_config_check(&c, 0, &e), 0);
	c.emit_key = 0;
	ck_assert_int_eq(lk_score_config_check(&c, 0, &e), -1);
	ck_assert_str_eq(e.msg, "--folds: 1: give 0 (no held-out figures) or 2 to 100");
	/* --fit with --keyed, or with a scoring option. */
	c.fit.o.folds = 0;
	c.fit.outcome = "won";
	c.keyed = c.sorted = 1;
	c.activities = NULL;
	ck_assert_int_eq(lk_score_config_check(&c, 0, &e), -1);
	ck_assert_str_eq(e.msg, "--fit writes a model: --explain, --ledger, --baseline, --lint, "
			 "--keyed and --no-header-out do not apply");
	c.keyed = c.sorted = 0;
	ck_assert_int_eq(lk_score_config_check(&c, 0, &e), 0);
	c.baseline = "b.yaml";
	ck_assert_int_eq(lk_score_config_check(&c, 0, &e), -1);
}
END_TEST

Suite *lk_suite_config(void)
{
	return lk_unit_suite("config", NULL, NULL, LK_UNIT_TESTS(takes_options, checks_in_order));
}
