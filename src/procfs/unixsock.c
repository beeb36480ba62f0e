/* SPDX-License-Identifier: MIT */
#include "unixsock.h"

#include <fcntl.h>
#include <string.h>

#include "util.h"

#define UNIX_FLAG_LISTENING    0x00010000UL /* __SO_ACCEPTCON */
#define UNIX_TYPE_STREAM       1
#define UNIX_STATE_UNCONNECTED 1 /* SS_UNCONNECTED: what listeners show */

void unixsock_list_clear(struct unixsock_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	*l = (struct unixsock_list){ 0 };
}

static int add(struct unixsock_list *l, uint64_t inode, const char *path,
	       size_t len)
{
	struct unixsock *v = grow_array(l->v, &l->cap, l->n, sizeof(*v), 16);
	char *p;

	if (!v)
		return -ENOMEM;
	l->v = v;
	p = strndup(path, len);
	if (!p)
		return -ENOMEM;
	l->v[l->n++] = (struct unixsock){ .inode = inode, .path = p };
	return 0;
}

/* "Num: RefCount Protocol Flags Type St Inode [Path]"; the path is the
 * rest of the line (it may contain spaces; newlines in it cannot be told
 * apart from the next line, so such sockets are simply not found). */
static int parse_line(const char *line, const char *end, void *userdata)
{
	struct unixsock_list *l = userdata;
	unsigned long refcnt, proto, flags, type, st;
	unsigned long long inode;
	char num[32];
	int off = 0;
	const char *path;
	char buf[256];
	size_t len = (size_t)(end - line);

	if (!memchr(line, '/', len))
		return 0; /* unbound or abstract: most lines, cheaply */
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1; /* the numbers come first */
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (sscanf(buf, "%31s %lx %lx %lx %lx %lx %llu %n", num, &refcnt,
		   &proto, &flags, &type, &st, &inode, &off) != 7 ||
	    off <= 0)
		return 0;
	if (!(flags & UNIX_FLAG_LISTENING) || type != UNIX_TYPE_STREAM ||
	    st != UNIX_STATE_UNCONNECTED)
		return 0;
	path = line + off;
	if (path >= end || *path != '/')
		return 0; /* unbound or abstract (@name) */
	return add(l, inode, path, (size_t)(end - path));
}

int unixsock_parse_listening(const char *text, struct unixsock_list *l)
{
	const char *body = strchr(text, '\n'); /* past the header line */

	return body ? for_each_line(body + 1, parse_line, l) : 0;
}

int unixsock_listening(const char *procfs, pid_t pid, struct unixsock_list *ret)
{
	_cleanup_free_ char *path = NULL, *text = NULL;
	struct unixsock_list l = { 0 };
	int r;

	if (asprintf(&path, "%s/%d/net/unix", procfs, (int)pid) < 0)
		return -ENOMEM;
	r = read_file_at(AT_FDCWD, path, 32 << 20, &text, NULL);
	if (r < 0)
		return proc_gone(r) ? -ESRCH : r;
	r = unixsock_parse_listening(text, &l);
	if (r < 0) {
		unixsock_list_clear(&l);
		return r;
	}
	*ret = l;
	return (int)l.n;
}

/* Mark the entry of want that fd (a /proc/PID/fd name) is, if any;
 * returns 1 if it was not marked before. */
static int mark(int dirfd, const char *name, const struct unixsock_list *want,
		bool *held)
{
	char target[64];
	unsigned long long ino;
	ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);

	if (n <= 0)
		return 0;
	target[n] = '\0';
	if (sscanf(target, "socket:[%llu]", &ino) != 1)
		return 0;
	for (size_t i = 0; i < want->n; i++)
		if (want->v[i].inode == ino && !held[i]) {
			held[i] = true;
			return 1;
		}
	return 0;
}

/* Daemons open their listening sockets first: the low descriptors are
 * looked at by number, and only if some socket is still missing are the
 * others listed (a dockerd has one or more per container). */
#define FD_PROBE 64

int unixsock_held(const char *procfs, pid_t pid,
		  const struct unixsock_list *want, bool *held)
{
	_cleanup_free_ char *dir = NULL;
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;
	size_t found = 0;

	for (size_t i = 0; i < want->n; i++)
		held[i] = false;
	if (want->n == 0)
		return 0;
	if (asprintf(&dir, "%s/%d/fd", procfs, (int)pid) < 0)
		return -ENOMEM;
	d = opendir(dir);
	if (!d)
		return proc_gone(errno) ? -ESRCH : negerrno();
	for (int fd = 0; fd < FD_PROBE && found < want->n; fd++) {
		char name[16];

		snprintf(name, sizeof(name), "%d", fd);
		found += (size_t)mark(dirfd(d), name, want, held);
	}
	while (found < want->n && (de = readdir(d))) {
		uint32_t fd;

		if (parse_u32(de->d_name, &fd) < 0 || fd < FD_PROBE)
			continue;
		found += (size_t)mark(dirfd(d), de->d_name, want, held);
	}
	return (int)found;
}

int unixsock_held_by(const char *procfs, pid_t pid, uint64_t inode)
{
	struct unixsock one = { .inode = inode };
	struct unixsock_list want = { .v = &one, .n = 1 };
	bool held;
	int r = unixsock_held(procfs, pid, &want, &held);

	return r < 0 ? r : held;
}
