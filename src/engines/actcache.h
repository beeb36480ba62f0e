/* SPDX-License-Identifier: MIT */
/*
 * The activator cache: what a socket-activated engine listed the last time
 * it was woken, so that listing interfaces (at every Wireshark start) does
 * not wake a sleeping podman when nothing changed.
 *
 * One small file per activator socket, under /run/turtlecap (root) or
 * $XDG_RUNTIME_DIR/turtlecap, named by a hash of the activator's identity
 * (pid, start time) and its socket (sockfs inode, socket file). An entry
 * is used only while it still matches the processes it names: every
 * cached container's process alive with the same start time, and the set
 * of container monitor processes (podman's conmon: one per container)
 * unchanged, so a container started or stopped since invalidates it.
 */
#ifndef TURTLECAP_ACTCACHE_H
#define TURTLECAP_ACTCACHE_H

#include <stdint.h>

#include "container.h"
#include "finder.h"
#include "proc.h"

#define ACTCACHE_MAX (1U << 20) /* bytes of one cache file */

/* The key of an activator socket. */
uint64_t actcache_key(const struct engine_endpoint *ep);

/* The monitor-process fingerprint of the table (see above), in the pid
 * namespace of ep's activator. */
uint64_t actcache_watch_hash(const struct proc_table *t,
			     const struct engine_endpoint *ep);

/*
 * Load the entry of ep's activator socket into out (each container with .endpoint = index
 * and its host .pid already translated) and info. 1 on a valid hit, 0 on
 * a miss (absent, stale or unreadable: never an error), -ENOMEM.
 */
int actcache_load(const struct proc_table *t, const struct engine_endpoint *ep,
		  size_t index, struct container_list *out,
		  struct engine_info *info);

/* Store the containers of endpoint index found in cl. Best effort:
 * -errno only for the log. */
int actcache_store(const struct proc_table *t, const struct engine_endpoint *ep,
		   size_t index, const struct container_list *cl,
		   const struct engine_info *info);

/* Use another directory (tests). */
void actcache_set_dir(const char *path);

#endif
