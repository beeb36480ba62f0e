/* SPDX-License-Identifier: MIT */
/*
 * tc-sockact: a socket activator that behaves like systemd's podman.socket,
 * for tests on machines where PID 1 is not systemd. It keeps the listening
 * unix socket for its whole life; when a client connects and no service
 * runs, it forks the service with the socket as fd 3 (LISTEN_FDS=1,
 * LISTEN_PID, LISTEN_FDNAMES), and when the service exits (podman system
 * service --time=N does after N idle seconds) it listens again. So the
 * service's parent is the activator and the socket inode never changes
 * (systemd-socket-activate, by contrast, execs the service in place once).
 *
 * usage: tc-sockact [--pidfile F] [--log F] SOCKET -- /ABS/CMD [ARGS...]
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static FILE *log_fp;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	struct timespec ts;
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(log_fp, "%lld.%03ld ", (long long)ts.tv_sec,
		ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vfprintf(log_fp, fmt, ap);
	va_end(ap);
	fputc('\n', log_fp);
	fflush(log_fp);
}

static void die(const char *what)
{
	fprintf(stderr, "tc-sockact: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	const char *pidfile = NULL, *path;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char **cmd, name[64];
	pid_t child = 0;
	sigset_t mask;
	int ls, sfd, i = 1;

	log_fp = stderr;
	for (; i + 1 < argc && argv[i][0] == '-' && strcmp(argv[i], "--");
	     i += 2) {
		if (!strcmp(argv[i], "--pidfile"))
			pidfile = argv[i + 1];
		else if (!strcmp(argv[i], "--log") &&
			 !(log_fp = fopen(argv[i + 1], "ae")))
			die(argv[i + 1]);
	}
	if (argc - i < 3 || strcmp(argv[i + 1], "--") ||
	    argv[i + 2][0] != '/') {
		fprintf(stderr,
			"usage: tc-sockact [--pidfile F] [--log F] SOCKET -- /ABS/CMD [ARGS...]\n");
		return 2;
	}
	path = argv[i];
	cmd = &argv[i + 2];
	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		die(path);
	}
	strcpy(sa.sun_path, path);
	ls = socket(AF_UNIX, SOCK_STREAM, 0); /* inherited: no CLOEXEC */
	if (ls < 0)
		die("socket");
	unlink(path);
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die(path);
	chmod(path, 0660);
	if (listen(ls, 128) < 0)
		die("listen");
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0)
		die("signalfd");
	if (pidfile) {
		FILE *f = fopen(pidfile, "we");

		if (!f)
			die(pidfile);
		fprintf(f, "%d\n", (int)getpid());
		fclose(f);
	}
	prctl(PR_SET_NAME, "tc-sockact");
	say("listening on %s, pid %d", path, (int)getpid());
	for (;;) {
		struct pollfd pf[2] = { { sfd, POLLIN, 0 }, { ls, POLLIN, 0 } };
		struct signalfd_siginfo si;

		/* while the service runs it owns accepting */
		if (poll(pf, child ? 1 : 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (pf[0].revents & POLLIN) {
			if (read(sfd, &si, sizeof(si)) != sizeof(si))
				continue;
			if (si.ssi_signo == SIGCHLD) {
				int st;

				while (waitpid(-1, &st, WNOHANG) > 0) {
					say("pid %d exited, status %d",
					    (int)child, st);
					child = 0;
				}
				continue;
			}
			if (child)
				kill(child, SIGTERM);
			unlink(path);
			say("stopped");
			return 0;
		}
		if (child || !(pf[1].revents & POLLIN))
			continue;
		child = fork();
		if (child < 0)
			die("fork");
		if (child == 0) {
			char pid[32];

			sigprocmask(SIG_UNBLOCK, &mask, NULL);
			if (ls != 3 && (dup2(ls, 3) < 0 || close(ls) < 0))
				_exit(127);
			snprintf(pid, sizeof(pid), "%d", (int)getpid());
			snprintf(name, sizeof(name), "%s",
				 strrchr(path, '/') ? strrchr(path, '/') + 1
						    : path);
			setenv("LISTEN_FDS", "1", 1);
			setenv("LISTEN_PID", pid, 1);
			setenv("LISTEN_FDNAMES", name, 1);
			execv(cmd[0], cmd);
			_exit(127);
		}
		say("activated pid %d: %s", (int)child, cmd[0]);
	}
}
