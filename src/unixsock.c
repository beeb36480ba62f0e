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

/* The sockfs inodes of pid's open sockets. */
static int socket_inodes(const char *procfs, pid_t pid, uint64_t **ret,
			 size_t *ret_n)
{
	_cleanup_free_ char *dir = NULL;
	_cleanup_closedir_ DIR *d = NULL;
	uint64_t *inodes = NULL;
	size_t n_inodes = 0, cap_inodes = 0;
	struct dirent *de;

	if (asprintf(&dir, "%s/%d/fd", procfs, (int)pid) < 0)
		return -ENOMEM;
	d = opendir(dir);
	if (!d)
		return proc_gone(errno) ? -ESRCH : negerrno();
	while ((de = readdir(d))) {
		char target[64];
		ssize_t n;
		unsigned long long ino;
		uint64_t *v;

		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(dirfd(d), de->d_name, target,
			       sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (sscanf(target, "socket:[%llu]", &ino) != 1)
			continue;
		v = grow_array(inodes, &cap_inodes, n_inodes, sizeof(*v), 16);
		if (!v) {
			free(inodes);
			return -ENOMEM;
		}
		inodes = v;
		inodes[n_inodes++] = ino;
	}
	*ret = inodes;
	*ret_n = n_inodes;
	return 0;
}

int unixsock_held_by(const char *procfs, pid_t pid, uint64_t inode)
{
	_cleanup_free_ uint64_t *inodes = NULL;
	size_t n = 0;
	int r;

	r = socket_inodes(procfs, pid, &inodes, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (inodes[i] == inode)
			return 1;
	return 0;
}

int unixsock_of_process(const char *procfs, pid_t pid,
			struct unixsock_list *ret)
{
	_cleanup_free_ char *path = NULL, *text = NULL;
	struct unixsock_list all = { 0 }, out = { 0 };
	uint64_t *inodes = NULL;
	size_t n_inodes = 0;
	int r;

	r = socket_inodes(procfs, pid, &inodes, &n_inodes);
	if (r < 0)
		return r;
	if (n_inodes == 0) {
		free(inodes);
		*ret = out;
		return 0;
	}
	if (asprintf(&path, "%s/%d/net/unix", procfs, (int)pid) < 0) {
		free(inodes);
		return -ENOMEM;
	}
	r = read_file_at(AT_FDCWD, path, 32 << 20, &text, NULL);
	if (r < 0) {
		free(inodes);
		return proc_gone(r) ? -ESRCH : r;
	}
	r = unixsock_parse_listening(text, &all);
	for (size_t i = 0; r >= 0 && i < all.n; i++)
		for (size_t j = 0; j < n_inodes; j++)
			if (inodes[j] == all.v[i].inode) {
				r = add(&out, all.v[i].inode, all.v[i].path,
					strlen(all.v[i].path));
				break;
			}
	free(inodes);
	unixsock_list_clear(&all);
	if (r < 0) {
		unixsock_list_clear(&out);
		return r;
	}
	*ret = out;
	return (int)out.n;
}
