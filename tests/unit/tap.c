/* SPDX-License-Identifier: MIT */
#include "tap.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>

#include "util.h"

/* The failed checks tap_done() names; beyond, only counted. */
#define TAP_FAILED_MAX 32

int tap_pass, tap_fail;
const char *tap_fixtures = "tests/fixtures";

static char *current_name;
static char *failed[TAP_FAILED_MAX];
static size_t nfailed;

void tap_init(int argc, char **argv)
{
	if (argc > 1)
		tap_fixtures = argv[1];
}

void tap_name(const char *fmt, ...)
{
	va_list ap;

	free(current_name);
	current_name = NULL;
	if (!fmt)
		return;
	va_start(ap, fmt);
	if (vasprintf(&current_name, fmt, ap) < 0)
		current_name = NULL;
	va_end(ap);
}

bool tap_check(bool ok, const char *file, int line, const char *func,
	       const char *fmt, ...)
{
	_cleanup_free_ char *what = NULL;
	char *name = NULL;
	va_list ap;

	if (ok) {
		tap_pass++;
		return true;
	}
	tap_fail++;
	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		what = NULL;
	va_end(ap);
	if (asprintf(&name, "%s:%d: %s%s%s%s: %s", file, line, func,
		     current_name ? " [" : "", current_name ? current_name : "",
		     current_name ? "]" : "", what ? what : fmt) < 0) {
		fprintf(stderr, "FAIL %s:%d: %s\n", file, line, func);
		return false;
	}
	fprintf(stderr, "FAIL %s\n", name);
	/* again in the summary, which stdout keeps apart from the output
	 * of the code under test */
	if (nfailed < TAP_FAILED_MAX)
		failed[nfailed++] = name;
	else
		free(name);
	return false;
}

int tap_done(void)
{
	printf("%d passed, %d failed\n", tap_pass, tap_fail);
	for (size_t i = 0; i < nfailed; i++) {
		printf("failed: %s\n", failed[i]);
		free(failed[i]);
	}
	/* tap_fail++ by hand (a test's own checks), or past the limit */
	if (tap_fail > (int)nfailed)
		printf("failed: %d more, unnamed\n", tap_fail - (int)nfailed);
	nfailed = 0;
	tap_name(NULL);
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
