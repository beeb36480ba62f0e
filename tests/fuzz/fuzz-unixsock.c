/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the /proc/net/unix parser (src/unixsock.c), which
 * reads a file any process of a container can fill with socket paths.
 * Besides crashes and sanitizer reports, it checks what the finder relies
 * on (abort() when broken): only -ENOMEM fails, and every socket found is
 * a filesystem path (starts with '/', one line) that stands in the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "unixsock.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the parser reads a NUL-terminated file: an exact-size copy */
	char *text = malloc(size + 1);
	struct unixsock_list l = { 0 };
	int r;

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	r = unixsock_parse_listening(text, &l);
	if (r != 0 && r != -ENOMEM)
		abort();
	for (size_t i = 0; i < l.n; i++) {
		const char *p = l.v[i].path;

		if (!p || p[0] != '/' || strchr(p, '\n') || !strstr(text, p))
			abort();
	}
	unixsock_list_clear(&l);
	free(text);
	return 0;
}
