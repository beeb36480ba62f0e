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

/* "device DEV mounted on MP with fstype TYPE[ STATS]" or "no device
 * mounted on ...": DEV, MP and TYPE have their spaces escaped, so the
 * first " mounted on " ends the device and the next space the point. */
static int append(struct mountinfo_nsfs_list *l, struct mountinfo_nsfs *m)
{
	struct mountinfo_nsfs *v =
		grow_array(l->v, &l->cap, l->n, sizeof(*v), 16);

	if (!v) {
		free(m->mountpoint);
		return -ENOMEM;
	}
	l->v = v;
	l->v[l->n++] = *m;
	return 0;
}

static int parse_stats_line(const char *line, const char *end, void *userdata)
{
	static const char on[] = " mounted on ", with[] = " with fstype ";
	struct mountinfo_nsfs_list *l = userdata;
	const char *mp, *mpend, *type, *typeend;
	struct mountinfo_nsfs m = { 0 };

	mp = memmem(line, (size_t)(end - line), on, sizeof(on) - 1);
	if (!mp)
		return 0;
	mp += sizeof(on) - 1;
	mpend = memchr(mp, ' ', (size_t)(end - mp));
	if (!mpend || mpend == mp || (size_t)(end - mpend) < sizeof(with) - 1 ||
	    memcmp(mpend, with, sizeof(with) - 1) != 0)
		return 0;
	type = mpend + sizeof(with) - 1;
	typeend = memchr(type, ' ', (size_t)(end - type));
	if (!typeend)
		typeend = end;
	if (typeend - type != 4 || memcmp(type, "nsfs", 4) != 0)
		return 0;
	if (mountinfo_unescape(mp, (size_t)(mpend - mp), &m.mountpoint) < 0)
		return -ENOMEM;
	return append(l, &m);
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

/* "ID PARENT MAJ:MIN ROOT POINT OPTS [OPTIONAL...] - FSTYPE SOURCE OPTS";
 * an nsfs mount's ROOT is "TYPE:[INODE]" */
static int parse_info_line(const char *line, const char *end, void *userdata)
{
	struct mountinfo_nsfs_list *l = userdata;
	const char *sep, *fstype, *root, *mp;
	size_t len = 0, rootlen = 0, mplen = 0;
	struct mountinfo_nsfs m = { 0 };
	char buf[64], *endp;
	unsigned long long ino;

	sep = memmem(line, (size_t)(end - line), " - ", 3);
	if (!sep)
		return 0;
	fstype = field(sep + 3, end, 0, &len);
	if (!fstype || len != 4 || memcmp(fstype, "nsfs", 4) != 0)
		return 0;
	root = field(line, sep, 3, &rootlen);
	mp = field(line, sep, 4, &mplen);
	if (!root || !mp || rootlen >= sizeof(buf) || rootlen < 7 ||
	    memcmp(root, "net:[", 5) != 0 || root[rootlen - 1] != ']')
		return 0;
	memcpy(buf, root + 5, rootlen - 6);
	buf[rootlen - 6] = '\0';
	if (buf[0] < '0' || buf[0] > '9')
		return 0;
	errno = 0;
	ino = strtoull(buf, &endp, 10);
	if (errno || *endp || !ino)
		return 0;
	m.ino = ino;
	if (mountinfo_unescape(mp, mplen, &m.mountpoint) < 0)
		return -ENOMEM;
	return append(l, &m);
}

int mountstats_parse_nsfs(const char *text, struct mountinfo_nsfs_list *l)
{
	return for_each_line(text, parse_stats_line, l);
}

int mountinfo_parse_nsfs(const char *text, struct mountinfo_nsfs_list *l)
{
	return for_each_line(text, parse_info_line, l);
}
