/* SPDX-License-Identifier: MIT */
/*
 * Namespace bind mounts (nsfs) from a process's mount table: this is how
 * `ip netns add NAME` keeps a namespace alive without any process in it
 * (/run/netns/NAME), and how other tools pin namespaces elsewhere.
 *
 * /proc/PID/mountstats is preferred: the kernel writes it without each
 * mount's options (an overlay's layers, a cgroup's path), a third of
 * mountinfo's cost, and every container has a mount namespace of its
 * own. It names no inode: the caller resolves each mount point in that
 * namespace's root (netns.c). It is 0400 and root's for most processes;
 * mountinfo (0444, with the inode) is the fallback.
 */
#ifndef TURTLECAP_MOUNTINFO_H
#define TURTLECAP_MOUNTINFO_H

#include <stdint.h>
#include <stddef.h>

struct mountinfo_nsfs {
	char *mountpoint; /* unescaped (\040 → ' '), relative to the root of
			     the process whose table it came from */
	uint64_t ino;	  /* the netns; 0: unknown yet (mountstats), or no
			     netns (the caller resolved it) */
};

struct mountinfo_nsfs_list {
	struct mountinfo_nsfs *v;
	size_t n, cap;
};

void mountinfo_nsfs_list_clear(struct mountinfo_nsfs_list *l);

/*
 * Append the nsfs mounts found in the text of a mount table. Lines that do
 * not parse are skipped (the kernel's format is stable; a line we do not
 * understand is not worth failing the whole scan). -ENOMEM only.
 * mountstats ("device nsfs mounted on /run/netns/a with fstype nsfs"):
 * every nsfs mount, ino 0. mountinfo: the netns ones, with their inode.
 */
int mountstats_parse_nsfs(const char *text, struct mountinfo_nsfs_list *l);
int mountinfo_parse_nsfs(const char *text, struct mountinfo_nsfs_list *l);

/* Undo the kernel's octal escaping (\040 \011 \012 \134) of a field. */
int mountinfo_unescape(const char *s, size_t len, char **ret);

#endif
