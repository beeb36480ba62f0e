/* SPDX-License-Identifier: MIT */
/* A minimal TAP-ish test helper: CHECK() records a failure and goes on;
 * tap_done() prints "N passed, N failed" and returns the exit code. */
#ifndef TURTLECAP_TAP_H
#define TURTLECAP_TAP_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

extern int tap_pass, tap_fail;
extern const char *tap_fixtures; /* argv[1]: tests/fixtures */

#define CHECK(cond)                                                   \
	do {                                                          \
		if (cond) {                                           \
			tap_pass++;                                   \
		} else {                                              \
			tap_fail++;                                   \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, \
				__LINE__, #cond);                     \
		}                                                     \
	} while (0)
#define CHECK_STREQ(a, b)                                                    \
	do {                                                                 \
		const char *_a = (a), *_b = (b);                             \
		if (_a && _b && strcmp(_a, _b) == 0) {                       \
			tap_pass++;                                          \
		} else {                                                     \
			tap_fail++;                                          \
			fprintf(stderr,                                      \
				"FAIL %s:%d: %s == %s (\"%s\" vs \"%s\")\n", \
				__FILE__, __LINE__, #a, #b,                  \
				_a ? _a : "(null)", _b ? _b : "(null)");     \
		}                                                            \
	} while (0)
#define CHECK_EQ(a, b)                                                   \
	do {                                                             \
		long long _a = (long long)(a), _b = (long long)(b);      \
		if (_a == _b) {                                          \
			tap_pass++;                                      \
		} else {                                                 \
			tap_fail++;                                      \
			fprintf(stderr,                                  \
				"FAIL %s:%d: %s == %s (%lld vs %lld)\n", \
				__FILE__, __LINE__, #a, #b, _a, _b);     \
		}                                                        \
	} while (0)

void tap_init(int argc, char **argv);
/* The content of tests/fixtures/DIR/NAME (NUL-terminated, at most 1 MiB;
 * *len without the NUL, len may be NULL), or NULL. */
char *tap_fixture(const char *dir, const char *name, size_t *len);
int tap_done(void);

#endif
