/* SPDX-License-Identifier: MIT */
#include "tap.h"

int tap_pass, tap_fail;
const char *tap_fixtures = "tests/fixtures";

void tap_init(int argc, char **argv)
{
	if (argc > 1)
		tap_fixtures = argv[1];
}

int tap_done(void)
{
	printf("%d passed, %d failed\n", tap_pass, tap_fail);
	return tap_fail ? 1 : 0;
}
