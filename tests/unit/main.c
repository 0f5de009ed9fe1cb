/*
 * The one unit-test runner: runs every suite, exits with the number of
 * failed tests.  CK_RUN_SUITE / CK_RUN_CASE select tests; CK_FORK=no
 * runs in one process for gdb and valgrind.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "unit_suites.h"

const char *lk_test_data(const char *rel)
{
	static char path[4096];
	const char *d = getenv("LK_DATA");

	snprintf(path, sizeof path, "%s/%s", d ? d : "../../../shared/data", rel);
	return path;
}

Suite *lk_unit_suite(const char *name, void (*setup)(void), void (*teardown)(void),
		     const TTest *const *tests, size_t n)
{
	Suite *s = suite_create(name);
	TCase *tc = tcase_create(name);
	size_t i;

	/* A guard against a hang, not a speed test: the sanitizer build on
	 * a busy machine runs several times slower than Check's 4 s. */
	tcase_set_timeout(tc, 60);
	if (setup || teardown)
		tcase_add_checked_fixture(tc, setup, teardown);
	for (i = 0; i < n; i++)
		tcase_add_test(tc, tests[i]);
	suite_add_tcase(s, tc);
	return s;
}

lk_row *lk_unit_split(lk_unit_row *r, const char *line)
{
	char *p;

	memset(r, 0, sizeof *r);
	strncpy(r->buf, line, sizeof r->buf - 1);
	for (p = r->buf;; p++) {
		char *c = strchr(p, ',');
		r->f[r->row.n] = p;
		r->len[r->row.n] = c ? (size_t)(c - p) : strlen(p);
		r->row.n++;
		if (!c)
			break;
		*c = 0;
		p = c;
	}
	r->row.f = r->f;
	r->row.len = r->len;
	r->row.record = 1;
	return &r->row;
}

void lk_unit_mkdir(char *dir)
{
	strcpy(dir, "/tmp/lk-unit-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* Each entry of dir but . and .. to fn, by its path. */
static int each(const char *dir, int (*fn)(const char *path))
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[4096];
	int n = 0;

	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		n += fn ? fn(path) : 1;
	}
	if (d)
		closedir(d);
	return n;
}

int lk_unit_files(const char *dir)
{
	return each(dir, NULL);
}

/* A file, or an empty directory (the tests make read-only ones). */
static int remove_one(const char *path)
{
	return unlink(path) < 0 ? rmdir(path) : 0;
}

void lk_unit_rmdir(const char *dir)
{
	each(dir, remove_one);
	rmdir(dir);
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
