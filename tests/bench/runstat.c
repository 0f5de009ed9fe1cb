/*
 * runstat: run one benchmark command and record its cost.
 *
 *   runstat OUT.tsv LABEL -- cmd [args...]
 *
 * The command inherits stdin, stdout and stderr. When it ends, one line
 * "LABEL<TAB>wall_seconds<TAB>maxrss_kib<TAB>exit_status" is appended to
 * OUT.tsv: wall time from CLOCK_MONOTONIC, peak resident memory of the
 * command alone from wait4(2) (so no GNU time is needed), and its exit
 * status (128+N when killed by signal N). runstat exits with that status.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status, rc;
	pid_t pid;
	FILE *out;
	double wall;

	if (argc < 5 || strcmp(argv[3], "--") != 0) {
		fputs("usage: runstat OUT.tsv LABEL -- cmd [args...]\n", stderr);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("runstat: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[4], argv + 4);
		fprintf(stderr, "runstat: %s: %s\n", argv[4], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("runstat: wait4");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

	out = fopen(argv[1], "a");
	if (out == NULL) {
		fprintf(stderr, "runstat: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	/* ru_maxrss is in KiB on Linux. */
	fprintf(out, "%s\t%.3f\t%ld\t%d\n", argv[2], wall, ru.ru_maxrss, rc);
	if (fclose(out) != 0) {
		fprintf(stderr, "runstat: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	return rc;
}
