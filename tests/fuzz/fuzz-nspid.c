/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the /proc/PID/status, /proc/PID/stat and shim
 * /proc/PID/cmdline parsers (src/proc.c, src/shims.c): a process chooses
 * its own comm and arguments, and a nested engine's pid translation trusts
 * NSpid. The input goes to all three. Besides crashes and
 * sanitizer reports, it checks what the callers rely on (abort() when
 * broken): results in range, the pid array never written past max, comm
 * always terminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"
#include "shims.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the parsers read NUL-terminated files: an exact-size copy */
	char *text = malloc(size + 1);
	/* a max from the input; an exact-size array: ASan sees overflows */
	size_t max = size % 9;
	pid_t *pids = malloc((max ? max : 1) * sizeof(*pids));
	struct proc_entry e;
	int r;

	if (!text || !pids)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	r = proc_parse_nspid(text, pids, max);
	if (r > (int)max ||
	    (r <= 0 && r != -ENOENT && r != -EBADMSG && r != -E2BIG))
		abort();
	for (int i = 0; i < r; i++)
		if (pids[i] <= 0)
			abort();

	memset(&e, 0x55, sizeof(e)); /* nothing written on failure */
	r = proc_parse_stat(text, &e);
	if (r == 0) {
		if (e.pid <= 0 || e.ppid < 0 ||
		    !memchr(e.comm, '\0', sizeof(e.comm)))
			abort();
	} else if (r != -EBADMSG && r != -ENOMEM) {
		abort();
	} else if (e.pid != 0x55555555) {
		abort();
	}

	/* the command line as read: exact size, no terminating NUL added */
	{
		char ns[SHIM_NAME_MAX], id[SHIM_NAME_MAX];

		r = shim_parse_cmdline((const char *)data, size, ns, id);
		if (r == 0) {
			size_t a = strnlen(ns, sizeof(ns)),
			       b = strnlen(id, sizeof(id));

			if (!a || !b || a == sizeof(ns) || b == sizeof(id) ||
			    strchr(ns, '/') || strchr(id, '/'))
				abort();
		} else if (r != -ENOENT && r != -EBADMSG) {
			abort();
		}
	}
	free(pids);
	free(text);
	return 0;
}
