/* SPDX-License-Identifier: MIT */
/*
 * Network namespaces: discovery from the process table and from nsfs bind
 * mounts, identity by (device, inode), opening with re-validation, and
 * listing their links from inside.
 *
 * The reference namespaces are turtlecap's own (/proc/self/ns/...), never
 * /proc/1's: PID 1 may be unreadable, or not the host's init at all.
 */
#ifndef TURTLECAP_NETNS_H
#define TURTLECAP_NETNS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine.h"
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
	/* the container living here (index into the list's engines), -1 */
	int ctr;
	/* filled by netns_list_links_all() */
	struct netlink_links links;
	int links_err; /* -errno if they could not be listed */
};

struct netns_list {
	struct netns_info *v;
	size_t n, cap;
	struct proc_ns self;	      /* turtlecap's own namespaces */
	struct proc_table procs;      /* the scan the list was made from */
	uint64_t nsfs_dev;	      /* st_dev of the nsfs inodes */
	struct engine_result engines; /* filled by netns_engines_finish() */
	struct engine_query *query;   /* between _engines_start and _finish */
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
 * the rest is read: _scan() makes l with the processes' stat fields,
 * netns_engines_start() may follow (it reads the namespaces of the engine
 * daemons it needs), _procs() reads every process's namespaces and lists
 * the netns they are in, netns_engines_ready() follows if the engines
 * were started, _mounts() adds the bind-mounted netns and sorts the list.
 * Same returns.
 */
int netns_discover_scan(const char *procfs, struct netns_list *ret);
int netns_discover_procs(const char *procfs, struct netns_list *l);
int netns_discover_mounts(const char *procfs, struct netns_list *l);

/*
 * Ask the container engines found in l's process table which containers
 * run, and attach each to its network namespace: a namespace shared by
 * several containers (`--network container:X`, pods) gets the one the
 * others join as its primary. A failing engine is logged, never fatal.
 * _start() sends the queries (after netns_discover_scan()), _ready() tells
 * them the process table is complete (after netns_discover_procs()),
 * _finish() takes the answers and attaches them (after
 * netns_discover_mounts(): the list must be sorted).
 */
int netns_engines_start(const char *procfs, struct netns_list *l);
void netns_engines_ready(struct netns_list *l);
int netns_engines_finish(struct netns_list *l);

/* The primary container of ns, or NULL. */
const struct container *netns_container(const struct netns_list *l,
					const struct netns_info *ns);

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
 * whose listing depends on them (netns_is_listed(); after the engines are
 * attached).
 */
int netns_list_links_all(struct netns_list *l, bool bare_only);

/*
 * Default listing policy: the host, named namespaces, and namespaces that
 * look like containers or have a non-loopback link. Unprivileged sandboxes
 * (browsers create one per renderer: a user namespace of their own and only
 * loopback) are hidden unless TURTLECAP_LIST=all or --all.
 */
bool netns_is_listed(const struct netns_list *l, const struct netns_info *ns);

/*
 * Whether anything but turtlecap still keeps the namespace alive: a process
 * (other than us) inside it, or a bind mount. Cheap checks first (the
 * known pid and bind path), then a rescan. Used to end a capture when the
 * namespace is deleted. -errno on failure to check.
 */
int netns_still_referenced(const char *procfs, struct netns_info *ns);

#endif
