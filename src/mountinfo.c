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
static int parse_line(const char *line, const char *end, void *userdata)
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
