/* SPDX-License-Identifier: MIT */
/* The common start of the fake engines: `PROG SOCKET MODE [PID]`, a
 * listening unix socket at SOCKET (replacing a stale one), SIGPIPE
 * ignored. Returns the listening fd; exits on a usage or socket error. */
#ifndef TURTLECAP_FAKE_LISTEN_H
#define TURTLECAP_FAKE_LISTEN_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static inline int fake_listen(int argc, char **argv, const char **ret_mode,
			      long *ret_pid)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int lfd;

	if (argc < 3) {
		fprintf(stderr, "usage: %s SOCKET MODE [PID]\n", argv[0]);
		exit(2);
	}
	*ret_mode = argv[2];
	*ret_pid = argc > 3 ? atol(argv[3]) : 0;
	signal(SIGPIPE, SIG_IGN);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", argv[1]);
	unlink(argv[1]);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(lfd, 64) < 0) {
		perror(argv[0]);
		exit(1);
	}
	return lfd;
}

#endif
