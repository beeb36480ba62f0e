/* SPDX-License-Identifier: MIT */
/*
 * Namespace bind mounts (nsfs) from /proc/PID/mountinfo: this is how
 * `ip netns add NAME` keeps a namespace alive without any process in it
 * (/run/netns/NAME), and how other tools pin namespaces elsewhere.
 */
#ifndef TURTLECAP_MOUNTINFO_H
#define TURTLECAP_MOUNTINFO_H

#include <stdint.h>
#include <stddef.h>

struct mountinfo_nsfs {
	char type[16]; /* "net", "mnt", ... from the root field "net:[N]" */
	uint64_t ino;  /* N */
	unsigned int dev_major, dev_minor;
	char *mountpoint; /* unescaped (\040 → ' '), relative to the mount
			     namespace's root */
};

struct mountinfo_nsfs_list {
	struct mountinfo_nsfs *v;
	size_t n, cap;
};

void mountinfo_nsfs_list_clear(struct mountinfo_nsfs_list *l);

/*
 * Append every nsfs mount found in the text of a mountinfo file. Lines
 * that do not parse are skipped (the kernel's format is stable; a line we
 * do not understand is not worth failing the whole scan). -ENOMEM only.
 */
int mountinfo_parse_nsfs(const char *text, struct mountinfo_nsfs_list *l);

/* Undo the kernel's octal escaping (\040 \011 \012 \134) of a field. */
int mountinfo_unescape(const char *s, size_t len, char **ret);

#endif
