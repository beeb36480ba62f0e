/* SPDX-License-Identifier: MIT */
#include "watch.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

int netns_watch_init(struct netns_watch *w, const char *procfs,
		     const struct netns_info *ns)
{
	*w = (struct netns_watch){
		.procfs = procfs,
		.ino = ns->id.ino,
		.is_host = ns->is_host,
		.pid = ns->pid,
		.pidfd = -1,
	};
	if (ns->bind_path) {
		w->bind_path = strdup(ns->bind_path);
		if (!w->bind_path)
			return -ENOMEM;
	}
	if (ns->pid > 0)
		w->pidfd = (int)syscall(SYS_pidfd_open, ns->pid, 0);
	return 0;
}

void netns_watch_clear(struct netns_watch *w)
{
	free(w->bind_path);
	closep(&w->pidfd);
	*w = (struct netns_watch){ .pidfd = -1 };
}

static bool bind_alive(const struct netns_watch *w)
{
	struct stat st;

	return w->bind_path && stat(w->bind_path, &st) == 0 &&
	       st.st_ino == w->ino;
}

/* Still referenced, by the known pid, the bind path or a rescan. */
static int referenced(struct netns_watch *w)
{
	struct netns_list l = { 0 };
	struct netns_info *now;
	struct stat st;
	int r;

	if (w->is_host || bind_alive(w))
		return 1;
	if (w->pid > 0 && w->pid != getpid()) {
		char path[64];

		snprintf(path, sizeof(path), "%s/%d/ns/net", w->procfs,
			 (int)w->pid);
		if (stat(path, &st) == 0 && st.st_ino == w->ino)
			return 1;
	}
	r = netns_discover(w->procfs, &l);
	if (r < 0)
		return r;
	now = netns_list_find(&l, w->ino);
	r = 0;
	if (now && (now->nprocs > 0 || now->bind_path)) {
		char *bind = now->bind_path ? strdup(now->bind_path) : NULL;

		w->pid = now->pid;
		free(w->bind_path);
		w->bind_path = bind;
		r = 1;
	}
	netns_list_clear(&l);
	return r;
}

int netns_watch_check(struct netns_watch *w)
{
	struct pollfd p = { .fd = w->pidfd, .events = POLLIN };

	if (!w->armed) {
		/* decided on the first check, with the privileges the
		 * capture keeps (none) */
		w->blind = !w->is_host && w->pidfd < 0 && !bind_alive(w);
		w->armed = true;
	}
	if (w->blind || (w->pidfd >= 0 && poll(&p, 1, 0) == 0))
		return 1;
	return referenced(w);
}
