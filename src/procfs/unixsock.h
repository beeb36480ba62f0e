/* SPDX-License-Identifier: MIT */
/*
 * Listening unix sockets of a process: the socket inodes among its
 * /proc/PID/fd links, matched against /proc/PID/net/unix (which lists every
 * unix socket of the process's network namespace) in state listening.
 * This is how an engine's API endpoint is found without guessing paths.
 */
#ifndef TURTLECAP_UNIXSOCK_H
#define TURTLECAP_UNIXSOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct unixsock {
	uint64_t inode;
	char *path; /* as bound (inside the owner's mount namespace) */
};

struct unixsock_list {
	struct unixsock *v;
	size_t n, cap;
};

void unixsock_list_clear(struct unixsock_list *l);

/*
 * Append the listening stream sockets bound to a filesystem path from the
 * text of a net/unix file (abstract and unbound sockets are skipped).
 * Malformed lines are skipped. -ENOMEM only.
 */
int unixsock_parse_listening(const char *text, struct unixsock_list *l);

/* The listening filesystem sockets of pid's network namespace (its
 * net/unix). Returns the count; -ESRCH when the process is gone. */
int unixsock_listening(const char *procfs, pid_t pid,
		       struct unixsock_list *ret);

/*
 * Which sockets of want pid holds open: held[i] for want->v[i]. Stops
 * looking once all are found. Returns how many are held, or -ESRCH.
 */
int unixsock_held(const char *procfs, pid_t pid,
		  const struct unixsock_list *want, bool *held);

/* Whether pid holds the socket with sockfs inode open: 1, 0, or -ESRCH. */
int unixsock_held_by(const char *procfs, pid_t pid, uint64_t inode);

#endif
