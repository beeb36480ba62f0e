/* SPDX-License-Identifier: MIT */
/*
 * Whether a network namespace still exists for anyone but us: what a
 * capture checks to end when its namespace is deleted (the container
 * stopped, `ip netns del`). A watch keeps its own copy of what it needs,
 * so the discovery that found the namespace can be freed.
 */
#ifndef TURTLECAP_NETNS_WATCH_H
#define TURTLECAP_NETNS_WATCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "netns.h"

struct netns_watch {
	const char *procfs;
	uint64_t ino;
	bool is_host;
	char *bind_path; /* or NULL */
	pid_t pid;	 /* the last process known inside, or 0 */
	int pidfd;	 /* on pid, taken while privileged; or -1 */
	bool armed, blind;
};

/* Watch ns (found in procfs). Call while /proc/PID of the namespace's
 * process is still ours to open. -ENOMEM. */
int netns_watch_init(struct netns_watch *w, const char *procfs,
		     const struct netns_info *ns);
void netns_watch_clear(struct netns_watch *w);

/*
 * 1 while anything but turtlecap keeps the namespace alive (a process
 * other than us inside, or a bind mount), 0 once nothing does, -errno if
 * it cannot tell now. Cheap checks first (the process's pidfd, the known
 * pid and bind path), then a rescan of procfs. Without privileges other
 * processes' /proc/PID/ns cannot be read: the pidfd tells whether that
 * process lives, and a namespace kept only by a bind mount we cannot stat
 * (another mount namespace's) is not watched at all ("blind": always 1),
 * its capture ending when its links go or when stopped.
 */
int netns_watch_check(struct netns_watch *w);

#endif
