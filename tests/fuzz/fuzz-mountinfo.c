/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the mount table parsers (src/procfs/mountinfo.c):
 * a container chooses its mount points' paths, and discovery reads every
 * mount namespace's /proc/PID/mountstats or mountinfo. The input goes to
 * both parsers and to the unescaper. Besides crashes and sanitizer
 * reports, it checks what netns.c relies on (abort() when broken): only
 * -ENOMEM fails, every mount point is a terminated string no longer than
 * its text, mountstats leaves the inode to the caller (0) and mountinfo
 * gives one (never 0), and no more mounts than lines.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mountinfo.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_list(const struct mountinfo_nsfs_list *l, size_t text_len,
		       size_t lines, bool want_ino)
{
	if (l->n > lines || l->n > l->cap || (l->n && !l->v))
		abort();
	for (size_t i = 0; i < l->n; i++) {
		const struct mountinfo_nsfs *m = &l->v[i];

		/* strlen() reads up to the NUL: ASan catches a missing one */
		if (!m->mountpoint || strlen(m->mountpoint) > text_len ||
		    !!m->ino != want_ino)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the parsers read NUL-terminated files: an exact-size copy */
	char *text = malloc(size + 1), *u = NULL;
	struct mountinfo_nsfs_list l = { 0 };
	size_t len, lines = 1;
	int r;

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	len = strlen(text); /* what the parsers see */
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';

	r = mountstats_parse_nsfs(text, &l);
	if (r != 0 && r != -ENOMEM)
		abort();
	check_list(&l, len, lines, false);
	mountinfo_nsfs_list_clear(&l);
	if (l.v || l.n || l.cap)
		abort();

	r = mountinfo_parse_nsfs(text, &l);
	if (r != 0 && r != -ENOMEM)
		abort();
	check_list(&l, len, lines, true);
	mountinfo_nsfs_list_clear(&l);

	/* the raw bytes, NULs included, as one field: never longer, and
	 * unchanged when there is nothing to unescape */
	r = mountinfo_unescape((const char *)data, size, &u);
	if (r == 0) {
		if (!u || (!memchr(data, '\\', size) &&
			   (strlen(u) != strnlen((const char *)data, size) ||
			    memcmp(u, data, strlen(u)) != 0)))
			abort();
		if (strlen(u) > size)
			abort();
		free(u);
	} else if (r != -ENOMEM) {
		abort();
	}
	free(text);
	return 0;
}
