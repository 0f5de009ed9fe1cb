/* outfile.c - output files that appear whole or not at all; see outfile.h. */
#include "core/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int lk_outfile_open(lk_outfile *o, const char *path, lk_err *err)
{
	size_t n;

	memset(o, 0, sizeof *o);
	o->fd = 1;
	if (!path || !strcmp(path, "-"))
		return 0;
	o->path = strdup(path);
	n = strlen(path) + 32;
	o->tmp = malloc(n);
	if (!o->path || !o->tmp) {
		free(o->path);
		free(o->tmp);
		o->path = o->tmp = NULL;
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	}
	{
		/* Temporary name in the same directory, so rename(2) is atomic. */
		const char *slash = strrchr(path, '/');
		size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
		snprintf(o->tmp, n, "%.*s.%s.tmpXXXXXX", (int)dirlen, path,
			 slash ? slash + 1 : path);
		if (dirlen)
			memcpy(o->tmp, path, dirlen);
	}
	/* Devices and pipes (/dev/null, /dev/full, a FIFO) are written in place. */
	{
		struct stat st;
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			free(o->tmp);
			o->tmp = NULL;
			o->fd = open(path, O_WRONLY);
			if (o->fd < 0) {
				int e = errno;
				free(o->path);
				o->path = NULL;
				return lk_err_set(err, LK_EIO, "%s: cannot open: %s", path, strerror(e));
			}
			return 0;
		}
		o->fd = mkstemp(o->tmp);
		if (o->fd < 0) {
			int e = errno;
			free(o->tmp);
			free(o->path);
			o->tmp = o->path = NULL;
			o->fd = -1;
			return lk_err_set(err, LK_EIO, "%s: cannot create: %s", path, strerror(e));
		}
		/* mkstemp makes 0600; give the file the mode a plain create would. */
		if (stat(path, &st) == 0) {
			fchmod(o->fd, st.st_mode & 07777);
		} else {
			mode_t m = umask(0);
			umask(m);
			fchmod(o->fd, 0666 & ~m);
		}
	}
	return 0;
}

int lk_outfile_commit(lk_outfile *o, lk_err *err)
{
	int rc = 0;

	if (!o->path)
		return 0;
	if (o->tmp) {
		if (fsync(o->fd) < 0 && errno != EINVAL) {
			rc = lk_err_set(err, LK_EIO, "%s: %s", o->path, strerror(errno));
		}
		if (close(o->fd) < 0 && rc == 0)
			rc = lk_err_set(err, LK_EIO, "%s: %s", o->path, strerror(errno));
		if (rc == 0 && rename(o->tmp, o->path) < 0)
			rc = lk_err_set(err, LK_EIO, "%s: cannot rename: %s", o->path,
					strerror(errno));
		if (rc < 0)
			unlink(o->tmp);
		free(o->tmp);
	} else if (close(o->fd) < 0) {
		rc = lk_err_set(err, LK_EIO, "%s: %s", o->path, strerror(errno));
	}
	free(o->path);
	o->path = o->tmp = NULL;
	o->fd = -1;
	return rc;
}

void lk_outfile_abort(lk_outfile *o)
{
	if (!o->path)
		return;
	if (o->tmp) {
		close(o->fd);
		unlink(o->tmp);
		free(o->tmp);
	} else {
		close(o->fd);
	}
	free(o->path);
	o->path = o->tmp = NULL;
	o->fd = -1;
}
