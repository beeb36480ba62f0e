/* SPDX-License-Identifier: MIT */
/*
 * Exec-to-exit time of the commands Wireshark runs at every start, side by
 * side with what they compare to: a no-op C program (the floor for any
 * extcap), and for discovery `lsns -t net` and `ip netns list` (what a
 * user would run by hand). Prints medians and ratios.
 *
 *   turtlecap-bench-startup TURTLECAP [RUNS]
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* argv strings must be writable for posix_spawn's prototype */
static char *S(const char *s)
{
	char *d = strdup(s);

	if (!d)
		abort();
	return d;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median exec-to-exit in ms of argv over runs (stdout to /dev/null), or
 * -1 if the command fails. */
static double measure(char *const argv[], int runs)
{
	double *t = calloc((size_t)runs, sizeof(*t)), med;
	posix_spawn_file_actions_t fa;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	for (int i = 0; i < runs; i++) {
		double t0 = now_ms();
		pid_t pid;
		int st;

		if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0 ||
		    waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0) {
			free(t);
			return -1;
		}
		t[i] = now_ms() - t0;
	}
	qsort(t, (size_t)runs, sizeof(*t), cmp_double);
	med = t[runs / 2];
	posix_spawn_file_actions_destroy(&fa);
	free(t);
	return med;
}

int main(int argc, char **argv)
{
	int runs = argc > 2 ? atoi(argv[2]) : 200;
	double floor_ms, cfg, ifs, dlts, lsns, ipnetns;
	char *tc = argc > 1 ? argv[1] : NULL;

	if (!tc || runs < 1) {
		fprintf(stderr, "usage: %s TURTLECAP [RUNS]\n", argv[0]);
		return 2;
	}
	/* the floor: this very program, asked to do nothing */
	{
		char *a[] = { argv[0], S("--noop"), NULL };

		if (argc > 1 && strcmp(argv[1], "--noop") == 0)
			return 0;
		floor_ms = measure(a, runs);
	}
	{
		char *a[] = { tc, S("--extcap-config"), S("--extcap-interface"),
			      S("tc-host"), NULL };
		cfg = measure(a, runs);
	}
	{
		char *a[] = { tc, S("--extcap-dlts"), S("--extcap-interface"),
			      S("tc-host"), NULL };
		dlts = measure(a, runs);
	}
	{
		char *a[] = { tc, S("--extcap-interfaces"),
			      S("--extcap-version=4.0"), NULL };
		ifs = measure(a, runs);
	}
	{
		char *a[] = { S("/usr/bin/lsns"), S("-t"), S("net"), NULL };
		lsns = measure(a, runs);
	}
	{
		char *a[] = { S("/usr/sbin/ip"), S("netns"), S("list"), NULL };
		ipnetns = measure(a, runs);
	}
	printf("exec-to-exit, median of %d runs (ms)\n", runs);
	printf("  no-op C program                 %8.3f\n", floor_ms);
	printf("  turtlecap --extcap-config       %8.3f   %.2fx no-op\n", cfg,
	       cfg / floor_ms);
	printf("  turtlecap --extcap-dlts         %8.3f   %.2fx no-op\n", dlts,
	       dlts / floor_ms);
	printf("  turtlecap --extcap-interfaces   %8.3f   %.2fx no-op\n", ifs,
	       ifs / floor_ms);
	printf("  lsns -t net                     %8.3f   turtlecap/lsns %.2f\n",
	       lsns, ifs / lsns);
	printf("  ip netns list                   %8.3f\n", ipnetns);
	return cfg < 0 || ifs < 0 || dlts < 0 ? 1 : 0;
}
