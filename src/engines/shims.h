/* SPDX-License-Identifier: MIT */
/*
 * containerd's shims, read off the process table: the container (namespace
 * and id) each one runs, and that container's init process. The Docker
 * API's container list has no pids: this spares one inspect per container
 * (docs/performance.md). Only the process table is believed: what an
 * engine says selects an entry, never makes one, and a lookup for an engine
 * stays in that engine's pid-namespace subtree.
 */
#ifndef TURTLECAP_SHIMS_H
#define TURTLECAP_SHIMS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "proc.h"

#define SHIM_NAME_MAX 128 /* containerd's ids are at most 76 */

struct shim {
	pid_t pid;  /* the shim */
	pid_t init; /* its earliest-started child: the container's init */
	uint64_t init_start;
	char ns[SHIM_NAME_MAX];
	char id[SHIM_NAME_MAX];
};

struct shim_index {
	struct shim *v; /* sorted by id, then namespace */
	size_t n, cap;
};

/*
 * The arguments of a shim's command line (/proc/PID/cmdline: NUL-separated,
 * len bytes): "-namespace NS -id ID" in any of Go's flag spellings
 * (-x v, --x v, -x=v). -ENOENT without both, -EBADMSG for a name that is
 * empty, too long or not printable.
 */
int shim_parse_cmdline(const char *buf, size_t len, char ns[SHIM_NAME_MAX],
		       char id[SHIM_NAME_MAX]);

/* Every containerd shim of t whose command line names its container, and
 * each one's init. -ENOMEM; unreadable shims are left out. */
int shim_index_build(const char *procfs, const struct proc_table *t,
		     struct shim_index *ret);

/*
 * The host pid of the init of container ns/id, if its shim lies in the
 * subtree of pid namespace pidns (0: anywhere in t); 0 if none does or if
 * the shim has no child (the container is being created or stopped).
 */
pid_t shim_index_find(const struct shim_index *x, const struct proc_table *t,
		      uint64_t pidns, const char *ns, const char *id);

void shim_index_clear(struct shim_index *x);

#endif
