/* SPDX-License-Identifier: MIT */
#include "util.h"

#include <stdarg.h>

#include <fcntl.h>
#include <limits.h>
#include <string.h>

int parse_u64(const char *s, uint64_t *ret)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -errno;
	if (*end)
		return -EINVAL;
	*ret = v;
	return 0;
}

int parse_u32(const char *s, uint32_t *ret)
{
	uint64_t v;
	int r = parse_u64(s, &v);

	if (r < 0)
		return r;
	if (v > UINT32_MAX)
		return -ERANGE;
	*ret = (uint32_t)v;
	return 0;
}

int parse_int(const char *s, int *ret)
{
	char *end;
	long v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno)
		return -errno;
	if (*end)
		return -EINVAL;
	if (v < INT_MIN || v > INT_MAX)
		return -ERANGE;
	*ret = (int)v;
	return 0;
}

int read_file_at(int dirfd, const char *path, size_t max, char **ret,
		 size_t *ret_len)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = max < 4096 ? max + 1 : 4096;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return negerrno();
	buf = malloc(cap + 1);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nb;

			/* room for one byte past max tells "too big" from
			 * "exactly max" */
			if (cap > max)
				return -EFBIG;
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			nb = realloc(buf, cap + 1);
			if (!nb)
				return -ENOMEM;
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return negerrno();
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max)
		return -EFBIG;
	buf[len] = '\0';
	if (ret_len)
		*ret_len = len;
	*ret = TAKE_PTR(buf);
	return 0;
}

void *grow_array(void *v, size_t *cap, size_t n, size_t elem, size_t initial)
{
	size_t want;

	if (n < *cap)
		return v;
	want = *cap ? *cap * 2 : initial;
	if (want < *cap || want > SIZE_MAX / elem)
		return NULL;
	v = realloc(v, want * elem);
	if (v)
		*cap = want;
	return v;
}

int for_each_line(const char *text,
		  int (*fn)(const char *line, const char *end, void *userdata),
		  void *userdata)
{
	const char *line = text;

	while (*line) {
		const char *nl = strchr(line, '\n');
		const char *end = nl ? nl : line + strlen(line);
		int r = fn(line, end, userdata);

		if (r < 0)
			return r;
		if (!nl)
			break;
		line = nl + 1;
	}
	return 0;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return negerrno();
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void set_msg(char **ret_msg, const char *fmt, ...)
{
	va_list ap;

	if (!ret_msg)
		return;
	va_start(ap, fmt);
	if (vasprintf(ret_msg, fmt, ap) < 0)
		*ret_msg = NULL;
	va_end(ap);
}
