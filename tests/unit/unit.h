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

/* Path of a file under the shared real-data folder, in a static buffer. */
const char *lk_test_data(const char *rel);

#endif
