/* SPDX-License-Identifier: MIT */
#include "tap.h"

#include <fcntl.h>
#include <stdlib.h>

#include "util.h"

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

char *tap_fixture(const char *dir, const char *name, size_t *len)
{
	char path[4096], *text = NULL;

	snprintf(path, sizeof(path), "%s/%s/%s", tap_fixtures, dir, name);
	if (read_file_at(AT_FDCWD, path, 1 << 20, &text, len) < 0)
		return NULL;
	return text;
}
