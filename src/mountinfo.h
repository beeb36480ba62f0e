/* SPDX-License-Identifier: MIT */
/*
 * Namespace bind mounts (nsfs) from /proc/PID/mountstats: this is how
 * `ip netns add NAME` keeps a namespace alive without any process in it
 * (/run/netns/NAME), and how other tools pin namespaces elsewhere.
 *
 * mountstats, not mountinfo: the kernel formats it without each mount's
 * options (an overlay's layers, a cgroup's path), a third of mountinfo's
 * cost, and every container has a mount namespace of its own. It names
 * no inode: the caller resolves each mount point in that namespace's
 * root (netns.c).
 */
#ifndef TURTLECAP_MOUNTINFO_H
#define TURTLECAP_MOUNTINFO_H

#include <stdint.h>
#include <stddef.h>

struct mountinfo_nsfs {
	char *mountpoint; /* unescaped (\040 → ' '), relative to the root of
			     the process whose table it came from */
	uint64_t ino;	  /* filled in by the caller: 0 = not a netns */
};

struct mountinfo_nsfs_list {
	struct mountinfo_nsfs *v;
	size_t n, cap;
};

void mountinfo_nsfs_list_clear(struct mountinfo_nsfs_list *l);

/*
 * Append every nsfs mount found in the text of a mountstats file
 * ("device nsfs mounted on /run/netns/a with fstype nsfs"). Lines that
 * do not parse are skipped (the kernel's format is stable; a line we do
 * not understand is not worth failing the whole scan). -ENOMEM only.
 */
int mountinfo_parse_nsfs(const char *text, struct mountinfo_nsfs_list *l);

/* Undo the kernel's octal escaping (\040 \011 \012 \134) of a field. */
int mountinfo_unescape(const char *s, size_t len, char **ret);

#endif
