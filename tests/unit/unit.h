/*
 * unit.h - shared helpers for the Check suites.
 *
 * Each tests/unit/check_X.c defines `Suite *lk_suite_X(void)` at the
 * start of a line; the Makefile collects them into the one runner.
 * Real data is read in place from $LK_DATA (../shared/data).
 */
#ifndef LK_UNIT_H
#define LK_UNIT_H

#include <check.h>
#include <stdlib.h>

#include "core/csvio.h"

/* Path of a file under the shared real-data folder, in a static buffer. */
const char *lk_test_data(const char *rel);

/* A suite of one test case running tests[0..n), with the fixture
 * setup/teardown around each test when they are not NULL.  The tests
 * are given as LK_UNIT_TESTS(test_a, test_b, ...): the array and its
 * length. */
Suite *lk_unit_suite(const char *name, void (*setup)(void), void (*teardown)(void),
		     const TTest *const *tests, size_t n);
#define LK_UNIT_TESTS(...) (const TTest *[]){ __VA_ARGS__ }, \
	sizeof (const TTest *[]){ __VA_ARGS__ } / sizeof (const TTest *)

/* A row of fields split at commas (no quoting), for tests that build
 * header and data rows from a literal: the fields point into r. */
typedef struct lk_unit_row {
	lk_row row;
	char buf[512];
	char *f[32];
	size_t len[32];
} lk_unit_row;
lk_row *lk_unit_split(lk_unit_row *r, const char *line);

/* A scratch directory: made fresh under /tmp (its name into dir, at
 * least 32 bytes), the number of entries in it (temporary files
 * included), and removed with the files in it. */
void lk_unit_mkdir(char *dir);
int lk_unit_files(const char *dir);
void lk_unit_rmdir(const char *dir);

#endif
