/*
 * The one unit-test runner: runs every suite, exits with the number of
 * failed tests.  CK_RUN_SUITE / CK_RUN_CASE select tests; CK_FORK=no
 * runs in one process for gdb and valgrind.
 */
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"
#include "unit_suites.h"

const char *lk_test_data(const char *rel)
{
	static char path[4096];
	const char *d = getenv("LK_DATA");

	snprintf(path, sizeof path, "%s/%s", d ? d : "../../../shared/data", rel);
	return path;
}

int main(void)
{
	Suite *(*suites[])(void) = { LK_SUITES };
	SRunner *sr = srunner_create(NULL);
	size_t i;
	int failed;

	for (i = 0; i < sizeof suites / sizeof suites[0]; i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed > 255 ? 255 : failed;
}
