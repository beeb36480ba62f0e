/* SPDX-License-Identifier: MIT */
#include "rootpath.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "util.h"

int rootpath_open_root(const char *procfs, pid_t pid, int *ret_fd)
{
	char path[64];
	int fd;

	if (pid > 0)
		snprintf(path, sizeof(path), "%s/%d/root", procfs, (int)pid);
	else
		snprintf(path, sizeof(path), "/");
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return proc_gone(errno) ? -ESRCH : negerrno();
	*ret_fd = fd;
	return 0;
}

int rootpath_resolve(int rootfd, const char *path, int *ret_fd)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd;

	/* relative to the root: a leading '/' is fine with RESOLVE_IN_ROOT */
	do
		fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	while (fd < 0 && (errno == EAGAIN || errno == EINTR));
	if (fd < 0)
		return negerrno();
	*ret_fd = (int)fd;
	return 0;
}

const char *rootpath_fd_path(int fd, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
	return buf;
}

int rootpath_socket_id(int fd, uint64_t *ret_dev, uint64_t *ret_ino)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return negerrno();
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	*ret_dev = st.st_dev;
	*ret_ino = st.st_ino;
	return 0;
}
