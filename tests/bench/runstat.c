/* SPDX-License-Identifier: MIT */
/*
 * Runs a command and reports what it cost: CPU seconds (user + system)
 * and peak RSS (the kernel's maxrss, i.e. VmHWM) from wait4(), the same
 * way for every tool benchmarked. SIGINT and SIGTERM are passed on, so
 * the bench stops a capture the way a user would.
 *
 *   turtlecap-bench-runstat OUTFILE CMD [ARGS...]
 *
 * OUTFILE gets one line: cpu_s=S utime_s=S stime_s=S maxrss_kb=N status=N
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile pid_t child;

static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = forward };
	struct rusage ru;
	double u, s;
	int st = 0;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: turtlecap-bench-runstat OUT CMD...\n");
		return 2;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	while (wait4(child, &st, 0, &ru) < 0)
		if (errno != EINTR) /* EINTR: a forwarded signal */
			return 1;
	u = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
	s = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	f = fopen(argv[1], "w");
	if (!f)
		return 1;
	fprintf(f,
		"cpu_s=%.4f utime_s=%.4f stime_s=%.4f maxrss_kb=%ld status=%d\n",
		u + s, u, s, ru.ru_maxrss,
		WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	fclose(f);
	return 0;
}
