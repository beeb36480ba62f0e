/* SPDX-License-Identifier: MIT */
/*
 * Paths inside another process's root (a container's filesystem), resolved
 * in that root. Debian-based images make /var/run an absolute symlink to
 * /run: /proc/PID/root/var/run/docker.sock, resolved naively, follows it
 * against OUR root and silently reaches the host's dockerd. openat2()
 * with RESOLVE_IN_ROOT on an O_PATH fd of /proc/PID/root keeps every
 * symlink and ".." inside that root; the resulting O_PATH fd is then
 * reachable as /proc/self/fd/N, which also escapes the 108-byte sun_path
 * limit for deep paths.
 */
#ifndef TURTLECAP_ROOTPATH_H
#define TURTLECAP_ROOTPATH_H

#include <stdint.h>
#include <sys/types.h>

/* O_PATH fd of /proc/PID/root (pid 0 = our own root "/"). */
int rootpath_open_root(const char *procfs, pid_t pid, int *ret_fd);

/*
 * O_PATH fd of path resolved inside rootfd, symlinks and ".." confined to
 * it, no magic links (/proc/self/... inside the container cannot point
 * elsewhere). -ENOSYS when the kernel lacks openat2 (< 5.6).
 */
int rootpath_resolve(int rootfd, const char *path, int *ret_fd);

/* A path that reaches fd's file ("/proc/self/fd/N"); buf >= 32 bytes. */
const char *rootpath_fd_path(int fd, char *buf, size_t len);

/* Identity (device, inode) of the socket file behind an O_PATH fd;
 * -ENOTSOCK if it is not a socket. */
int rootpath_socket_id(int fd, uint64_t *ret_dev, uint64_t *ret_ino);

#endif
