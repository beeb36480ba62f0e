/* SPDX-License-Identifier: MIT */
/*
 * A no-op extcap: the floor of what Wireshark pays per extcap interface.
 * --extcap-interfaces lists TC_NOOP_N (environment, default 1) interfaces
 * noop-1 ... noop-N; --extcap-config prints nothing (no arguments);
 * --extcap-dlts prints one DLT. Nothing else is read or opened.
 *
 *   TC_NOOP_N=200 noop-extcap --extcap-interfaces
 *
 * Built by tests/bench/startup-cost.sh (cc -O2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *e = getenv("TC_NOOP_N");
	long n = e ? strtol(e, NULL, 10) : 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--extcap-interfaces")) {
			puts("extcap {version=1.0}{display=noop}");
			for (long k = 1; k <= n; k++)
				printf("interface {value=noop-%ld}{display=noop %ld}\n",
				       k, k);
			return 0;
		}
		if (!strcmp(argv[i], "--extcap-dlts")) {
			puts("dlt {number=1}{name=EN10MB}{display=Ethernet}");
			return 0;
		}
		if (!strcmp(argv[i], "--extcap-config"))
			return 0;
	}
	return 0;
}
