/*
 * Unit tests for lib/core/outfile: a file appears whole or not at all.
 * The temporary file lives beside the target (".NAME.tmpXXXXXX", so the
 * rename is atomic), a commit gives the target the mode a plain create
 * would (0666 less the umask) or keeps an existing target's, an abort
 * leaves the target as it was, and stdout and devices are written in
 * place.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "core/outfile.h"

static char dir[64], path[128];

static void setup(void)
{
	lk_unit_mkdir(dir);
	snprintf(path, sizeof path, "%s/out.csv", dir);
}

static void teardown(void)
{
	lk_unit_rmdir(dir);
}

/* The number of files in dir: the target, and a temporary one while open. */
static int count(void)
{
	return lk_unit_files(dir);
}

static void write_all(lk_outfile *o, const char *s)
{
	ck_assert_int_eq(write(o->fd, s, strlen(s)), (ssize_t)strlen(s));
}

START_TEST(test_commit)
{
	lk_outfile o;
	lk_err e;
	struct stat st;
	mode_t old = umask(022);
	char buf[16] = "";
	FILE *fp;

	ck_assert_int_eq(lk_outfile_open(&o, path, &e), 0);
	ck_assert_ptr_nonnull(strstr(o.tmp, "/.out.csv.tmp"));
	ck_assert_int_eq(strncmp(o.tmp, dir, strlen(dir)), 0);
	write_all(&o, "a,b\n");
	ck_assert_int_eq(access(path, F_OK), -1);	/* nothing until the commit */
	ck_assert_int_eq(lk_outfile_commit(&o, &e), 0);
	ck_assert_int_eq(count(), 1);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fgets(buf, sizeof buf, fp));
	fclose(fp);
	ck_assert_str_eq(buf, "a,b\n");
	lk_outfile_abort(&o);		/* after a commit: nothing */
	ck_assert_int_eq(count(), 1);

	/* An existing target keeps its mode. */
	chmod(path, 0600);
	ck_assert_int_eq(lk_outfile_open(&o, path, &e), 0);
	write_all(&o, "c\n");
	ck_assert_int_eq(lk_outfile_commit(&o, &e), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	umask(old);
}
END_TEST

START_TEST(test_abort_and_in_place)
{
	lk_outfile o;
	lk_err e;
	FILE *fp = fopen(path, "w");
	char buf[16] = "";

	fputs("old\n", fp);
	fclose(fp);
	ck_assert_int_eq(lk_outfile_open(&o, path, &e), 0);
	write_all(&o, "new\n");
	ck_assert_int_eq(count(), 2);
	lk_outfile_abort(&o);
	ck_assert_int_eq(count(), 1);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fgets(buf, sizeof buf, fp));
	fclose(fp);
	ck_assert_str_eq(buf, "old\n");

	/* stdout and devices: no temporary file. */
	ck_assert_int_eq(lk_outfile_open(&o, "-", &e), 0);
	ck_assert_int_eq(o.fd, 1);
	ck_assert_ptr_null(o.path);
	ck_assert_int_eq(lk_outfile_commit(&o, &e), 0);
	ck_assert_int_eq(lk_outfile_open(&o, "/dev/null", &e), 0);
	ck_assert_ptr_null(o.tmp);
	write_all(&o, "x\n");
	ck_assert_int_eq(lk_outfile_commit(&o, &e), 0);
}
END_TEST

START_TEST(test_cannot_create)
{
	lk_outfile o;
	lk_err e;
	char p[192];

	snprintf(p, sizeof p, "%s/no/such/dir.csv", dir);
	ck_assert_int_eq(lk_outfile_open(&o, p, &e), -1);
	ck_assert_int_eq(e.kind, LK_EIO);
	ck_assert_ptr_nonnull(strstr(e.msg, "cannot create: No such file or directory"));
	ck_assert_int_eq(count(), 0);
}
END_TEST

Suite *lk_suite_outfile(void)
{
	return lk_unit_suite("outfile", setup, teardown, LK_UNIT_TESTS(test_commit,
			     test_abort_and_in_place, test_cannot_create));
}
