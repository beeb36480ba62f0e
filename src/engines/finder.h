/* SPDX-License-Identifier: MIT */
/*
 * Finding container engines: daemons in the process table (the list is
 * data: finder_specs[]), their API endpoints from the unix sockets they
 * listen on, resolved inside the daemon's own root, and the well-known
 * socket paths as a fallback. Each endpoint is identified by its socket
 * file (device, inode), so one engine reached through several paths is
 * queried once.
 */
#ifndef TURTLECAP_FINDER_H
#define TURTLECAP_FINDER_H

#include <stdint.h>
#include <sys/types.h>

#include "container.h"
#include "proc.h"

struct finder_spec {
	const char *comm; /* process name of the daemon */
	enum engine_kind kind;
	const char *const *sockets; /* well-known paths, NULL-ended */
};

extern const struct finder_spec finder_specs[];

/* How far an engine is believed (docs/security.md, threat model): the
 * host's engines may name any process; a nested one, found inside a
 * container (whatever its pid namespace), only processes of that
 * container, and it never shadows what a host engine lists. */
enum engine_trust {
	ENGINE_TRUST_HOST,
	ENGINE_TRUST_NESTED,
};

struct engine_endpoint {
	enum engine_kind kind;
	enum engine_trust trust;
	pid_t pid; /* the daemon (host pid), 0 if only the socket is known */
	pid_t root_pid; /* whose root the path lives in; 0 = ours */
	char *path;	/* socket path inside that root */
	uint64_t sock_dev, sock_ino; /* the socket file */
	/* socket activation: the activator holding the listening socket
	 * (0 = none), its start time and the socket's own (sockfs) inode;
	 * with pid 0 the engine is asleep until someone connects */
	pid_t activator;
	uint64_t act_starttime, act_sock;
	/* the listening socket (sockfs inode) the daemon holds, and who
	 * listen()ed on the socket file reached (SO_PEERCRED; 0 unknown) */
	uint64_t listener;
	pid_t peer;
};

struct endpoint_sockid {
	uint64_t dev, ino;
};

struct endpoint_list {
	struct engine_endpoint *v;
	size_t n, cap;
	/* other sockets of daemons already listed: the same engine */
	struct endpoint_sockid *alias;
	size_t n_alias, cap_alias;
};

void endpoint_list_clear(struct endpoint_list *l);

/* Whether a process named comm is one finder_scan() looks at (a daemon
 * of finder_specs[] or an activator): it needs their namespaces. */
bool finder_is_candidate(const char *comm);

/*
 * Find every engine endpoint: daemons in t (from procfs), the sockets of
 * socket activators (the `activators` setting: process names, systemd by
 * default) with an engine's well-known name, and the well-known paths in
 * our own root. Vanished daemons are skipped.
 */
int finder_scan(const char *procfs, const struct proc_table *t,
		struct endpoint_list *ret);

/*
 * Open the endpoint's socket file as an O_PATH fd (resolved in its root
 * and re-checked against sock_dev/sock_ino); connect through
 * rootpath_fd_path(). -ESTALE if it changed.
 */
int finder_open_endpoint(const char *procfs, const struct engine_endpoint *ep,
			 int *ret_fd);

/*
 * The engine daemon an activator spawned for ep (a child of the activator
 * holding its listening socket), from a fresh scan t; 0 if none.
 */
pid_t finder_spawned_daemon(const char *procfs, const struct proc_table *t,
			    const struct engine_endpoint *ep);

/*
 * The trust of an engine whose daemon (or activator, or the process that
 * answers on its socket) is pid: the host's if pid runs in our own mount,
 * pid and user namespaces, in no container's cgroup and under no
 * container monitor (containerd shim, conmon); else nested.
 */
enum engine_trust finder_trust(const char *procfs, const struct proc_table *t,
			       pid_t pid);

/* The container monitor (a containerd shim, conmon) nearest above pid: a
 * nested engine's containers must be below it. 0 if none. */
pid_t finder_monitor_of(const struct proc_table *t, pid_t pid);

/* Whether pid descends from root (root itself excluded). */
bool finder_below(const struct proc_table *t, pid_t pid, pid_t root);

/* The process an endpoint's engine runs as: its daemon, else its
 * activator, else who answers on its socket; 0 if none is known. */
static inline pid_t endpoint_daemon(const struct engine_endpoint *ep)
{
	return ep->pid ? ep->pid : ep->activator ? ep->activator : ep->peer;
}

#endif
