/* SPDX-License-Identifier: MIT */
/*
 * Diagnostics. The library never writes to stdout or stderr: during a
 * capture Wireshark shows any stderr text as an error, and stdout carries
 * the extcap grammar. Messages go to the sink the executable configures
 * (--log-file), and are dropped otherwise.
 */
#ifndef TURTLECAP_LOG_H
#define TURTLECAP_LOG_H

#include <stdio.h>

#include "util.h"

enum log_level {
	LOG_ERROR,
	LOG_WARNING,
	LOG_MESSAGE,
	LOG_INFO,
	LOG_DEBUG,
	LOG_NOISY,
};

/* f is borrowed; NULL disables logging. Not thread-safe: call before
 * starting threads. */
void log_setup(FILE *f, enum log_level max);
/* Wireshark's --log-level names (error, critical, warning, message, info,
 * debug, noisy); -EINVAL for anything else. */
int log_level_from_string(const char *s, enum log_level *ret);
void log_full(enum log_level level, const char *fmt, ...) _printf_(2, 3);
int log_enabled(enum log_level level);

#define log_error(...)	 log_full(LOG_ERROR, __VA_ARGS__)
#define log_warning(...) log_full(LOG_WARNING, __VA_ARGS__)
#define log_info(...)	 log_full(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	 log_full(LOG_DEBUG, __VA_ARGS__)

#endif
