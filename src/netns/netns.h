/* SPDX-License-Identifier: MIT */
/*
 * The netns folder: network namespaces. This file: their discovery from
 * the process table and from nsfs bind mounts, identity by (device,
 * inode), opening with re-validation, and listing their links from
 * inside; watch.h: whether one still exists; netlink.h: rtnetlink. Calls
 * procfs/ and base/, knows nothing of containers (a namespace's container
 * is an index the discovery module sets).
 *
 * The reference namespaces are turtlecap's own (/proc/self/ns/...), never
 * /proc/1's: PID 1 may be unreadable, or not the host's init at all.
 */
#ifndef TURTLECAP_NETNS_H
#define TURTLECAP_NETNS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "netlink.h"
#include "proc.h"

struct netns_id {
	uint64_t dev, ino;
};

struct netns_info {
	struct netns_id id;
	bool is_host;	 /* turtlecap's own network namespace */
	char *name;	 /* `ip netns` name (bound under /run/netns), or NULL */
	char *bind_path; /* a path that opens it without a process: a bind
			    mount, reached through /proc/PID/root when it lives
			    in another mount namespace; or NULL */
	pid_t pid;	 /* representative: topmost process inside, or 0 */
	char comm[PROC_COMM_MAX];
	uint64_t starttime;   /* of pid, to detect pid reuse */
	struct proc_ns pidns; /* namespaces of the representative */
	size_t nprocs;	      /* processes inside */
	/* some process inside has a mount / pid / user namespace other than
	 * turtlecap's: what containers and sandboxes look like */
	bool other_mnt, other_pid, other_user;
	/* the container living here: an index into the discovery's
	 * containers (discovery_attach()), -1 = none */
	int ctr;
	/* filled by netns_list_links_all() */
	struct netlink_links links;
	int links_err; /* -errno if they could not be listed */
};

struct netns_list {
	struct netns_info *v;
	size_t n, cap;
	struct proc_ns self;	 /* turtlecap's own namespaces */
	struct proc_table procs; /* the scan the list was made from */
	uint64_t nsfs_dev;	 /* st_dev of the nsfs inodes */
};

void netns_list_clear(struct netns_list *l);

/*
 * Discover every network namespace visible from procfs ("/proc"): those of
 * all processes and those bind-mounted in any mount namespace (each mount
 * namespace's mount table is read once). The host comes first. Returns the
 * count or -errno when procfs itself is unusable.
 */
int netns_discover(const char *procfs, struct netns_list *ret);

/*
 * The same in steps, so that the engines are asked early and answer while
 * the rest is read (discovery_run() sequences them): _scan() makes l with
 * the processes' stat fields, the engines may be asked then (they read
 * the namespaces of the engine daemons they need), _procs() reads every
 * process's namespaces and lists the netns they are in, _mounts() adds
 * the bind-mounted netns and sorts the list. Same returns.
 */
int netns_discover_scan(const char *procfs, struct netns_list *ret);
int netns_discover_procs(const char *procfs, struct netns_list *l);
int netns_discover_mounts(const char *procfs, struct netns_list *l);

struct netns_info *netns_list_find(struct netns_list *l, uint64_t ino);
struct netns_info *netns_list_find_name(struct netns_list *l, const char *name);

/*
 * Open an O_RDONLY fd on the namespace and check it is still the one that
 * was discovered (pids are reused, bind mounts replaced): -ESTALE if not,
 * -ESRCH if nothing holds it any more.
 */
int netns_open(const struct netns_info *ns, int *ret_fd);

/*
 * List the links of every namespace in l (links / links_err), from a
 * dedicated thread that enters each one in turn: no other thread changes
 * namespace, and the thread ends with the listing. bare_only: only those
 * whose listing depends on them, the ones not netns_is_known() (after the
 * containers are attached).
 */
int netns_list_links_all(struct netns_list *l, bool bare_only);

/* Whether ns is known for more than its links: the host, named, bound,
 * or a container's. */
bool netns_is_known(const struct netns_info *ns);

#endif
