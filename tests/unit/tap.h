/* SPDX-License-Identifier: MIT */
/* A minimal TAP-ish test helper: CHECK() records a failure and goes on;
 * tap_done() prints "N passed, N failed", the names of the failed checks,
 * and returns the exit code.
 *
 * A check is named by the function it is in (__func__), by the name the
 * test set last (tap_name("hostile comm")), and for CHECK_MSG() by its own
 * message: "FAIL test-x.c:42: test_comm [hostile comm]: l.n == 3 (...)". */
#ifndef TURTLECAP_TAP_H
#define TURTLECAP_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

extern int tap_pass, tap_fail;
extern const char *tap_fixtures; /* argv[1]: tests/fixtures */

/* Record one check: ok, or a FAIL line naming it (what: printf format of
 * the condition and values). Returns ok, so that a test can skip what
 * depends on a failed check. */
bool tap_check(bool ok, const char *file, int line, const char *func,
	       const char *fmt, ...) _printf_(5, 6);
/* Name the checks that follow (until the next call; NULL: none), e.g. one
 * case of a table-driven test. Copied. */
void tap_name(const char *fmt, ...) _printf_(1, 2);

static inline bool tap_streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

#define CHECK(cond) \
	tap_check(!!(cond), __FILE__, __LINE__, __func__, "%s", #cond)
/* A check with a name of its own: CHECK_MSG(n == 3, "pid %d", pid). */
#define CHECK_MSG(cond, ...) \
	tap_check(!!(cond), __FILE__, __LINE__, __func__, __VA_ARGS__)
#define CHECK_STREQ(a, b)                                                  \
	({                                                                 \
		const char *_a = (a), *_b = (b);                           \
		tap_check(tap_streq(_a, _b), __FILE__, __LINE__, __func__, \
			  "%s == %s (\"%s\" vs \"%s\")", #a, #b,           \
			  _a ? _a : "(null)", _b ? _b : "(null)");         \
	})
#define CHECK_EQ(a, b)                                                \
	({                                                            \
		long long _a = (long long)(a), _b = (long long)(b);   \
		tap_check(_a == _b, __FILE__, __LINE__, __func__,     \
			  "%s == %s (%lld vs %lld)", #a, #b, _a, _b); \
	})

void tap_init(int argc, char **argv);
/* The content of tests/fixtures/DIR/NAME (NUL-terminated, at most 1 MiB;
 * *len without the NUL, len may be NULL), or NULL. */
char *tap_fixture(const char *dir, const char *name, size_t *len);
int tap_done(void);

#endif
