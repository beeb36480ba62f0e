/* SPDX-License-Identifier: MIT */
#include "mountinfo.h"

#include <string.h>

#include "util.h"

void mountinfo_nsfs_list_clear(struct mountinfo_nsfs_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].mountpoint);
	free(l->v);
	*l = (struct mountinfo_nsfs_list){ 0 };
}

int mountinfo_unescape(const char *s, size_t len, char **ret)
{
	char *out = malloc(len + 1);
	size_t o = 0;

	if (!out)
		return -ENOMEM;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 3 < len && s[i + 1] >= '0' &&
		    s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
		    s[i + 3] >= '0' && s[i + 3] <= '7') {
			out[o++] = (char)((s[i + 1] - '0') << 6 |
					  (s[i + 2] - '0') << 3 |
					  (s[i + 3] - '0'));
			i += 3;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	*ret = out;
	return 0;
}

/* The n-th space-separated field of a line (no spaces inside fields: the
 * kernel escapes them). */
static const char *field(const char *line, const char *end, int n,
			 size_t *ret_len)
{
	const char *p = line;

	for (int i = 0; i < n; i++) {
		p = memchr(p, ' ', (size_t)(end - p));
		if (!p)
			return NULL;
		p++;
	}
	{
		const char *e = memchr(p, ' ', (size_t)(end - p));

		*ret_len = (size_t)((e ? e : end) - p);
	}
	return p;
}

static int parse_line(const char *line, const char *end, void *userdata)
{
	struct mountinfo_nsfs_list *l = userdata;
	const char *sep, *fstype, *devf, *root, *mp;
	size_t len = 0, devlen = 0, rootlen = 0, mplen = 0;
	struct mountinfo_nsfs m = { 0 };
	char buf[64], *close;
	unsigned long long ino;

	/* "... - FSTYPE SOURCE OPTS": optional fields come before " - " */
	sep = memmem(line, (size_t)(end - line), " - ", 3);
	if (!sep)
		return 0;
	fstype = field(sep + 3, end, 0, &len);
	if (!fstype || len != 4 || memcmp(fstype, "nsfs", 4) != 0)
		return 0;
	devf = field(line, sep, 2, &devlen);
	root = field(line, sep, 3, &rootlen);
	mp = field(line, sep, 4, &mplen);
	if (!devf || !root || !mp || devlen >= sizeof(buf) ||
	    rootlen >= sizeof(buf))
		return 0;

	memcpy(buf, devf, devlen);
	buf[devlen] = '\0';
	if (sscanf(buf, "%u:%u", &m.dev_major, &m.dev_minor) != 2)
		return 0;

	/* root is "TYPE:[INODE]" */
	memcpy(buf, root, rootlen);
	buf[rootlen] = '\0';
	{
		char *colon = strchr(buf, ':');
		char *endp;

		if (!colon || colon == buf ||
		    (size_t)(colon - buf) >= sizeof(m.type) || colon[1] != '[')
			return 0;
		close = strchr(colon, ']');
		if (!close || close[1] != '\0')
			return 0;
		*close = '\0';
		errno = 0;
		ino = strtoull(colon + 2, &endp, 10);
		if (errno || *endp || endp == colon + 2)
			return 0;
		memcpy(m.type, buf, (size_t)(colon - buf));
		m.type[colon - buf] = '\0';
		m.ino = ino;
	}
	if (mountinfo_unescape(mp, mplen, &m.mountpoint) < 0)
		return -ENOMEM;
	{
		struct mountinfo_nsfs *v =
			grow_array(l->v, &l->cap, l->n, sizeof(*v), 16);

		if (!v) {
			free(m.mountpoint);
			return -ENOMEM;
		}
		l->v = v;
	}
	l->v[l->n++] = m;
	return 0;
}

int mountinfo_parse_nsfs(const char *text, struct mountinfo_nsfs_list *l)
{
	return for_each_line(text, parse_line, l);
}
