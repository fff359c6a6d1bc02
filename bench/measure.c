/* measure - runs a command and reports what it cost: wall time, CPU time
 * (user + system) and peak resident set size, of that command alone.
 * bench/run.py runs every timed tool through it: a Python process that
 * forks would lend the child its own resident pages, which the kernel
 * counts in the child's peak.
 *
 *   measure REPORT-FD COMMAND [ARG]...
 *
 * writes "wall_s cpu_s maxrss_kib exit_status" to file descriptor
 * REPORT-FD; the command's standard streams are left alone. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: measure REPORT-FD COMMAND [ARG]...\n", stderr);
		return 2;
	}
	int fd = atoi(argv[1]);
	FILE *rep = fdopen(fd, "w");
	if (!rep) {
		perror("measure: report fd");
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("measure: fork");
		return 2;
	}
	if (pid == 0) {
		close(fd);
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) != pid) {
		perror("measure: wait4");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double wall = (double)(t1.tv_sec - t0.tv_sec) +
		      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	double cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		     (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	fprintf(rep, "%.6f %.6f %ld %d\n", wall, cpu, ru.ru_maxrss, code);
	fclose(rep);
	return code;
}
