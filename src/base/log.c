/* SPDX-License-Identifier: MIT */
#include "log.h"

#include <stdarg.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

static FILE *log_file;
static enum log_level log_max = LOG_WARNING;

void log_setup(FILE *f, enum log_level max)
{
	log_file = f;
	log_max = max;
}

int log_level_from_string(const char *s, enum log_level *ret)
{
	static const struct {
		const char *name;
		enum log_level level;
	} map[] = {
		{ "error", LOG_ERROR },	    { "critical", LOG_ERROR },
		{ "warning", LOG_WARNING }, { "message", LOG_MESSAGE },
		{ "info", LOG_INFO },	    { "debug", LOG_DEBUG },
		{ "noisy", LOG_NOISY },
	};

	for (size_t i = 0; i < ELEMENTSOF(map); i++)
		if (strcasecmp(s, map[i].name) == 0) {
			*ret = map[i].level;
			return 0;
		}
	return -EINVAL;
}

int log_enabled(enum log_level level)
{
	return log_file && level <= log_max;
}

void log_full(enum log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "message",
					     "info",  "debug",	 "noisy" };
	struct timespec ts;
	va_list ap;
	int saved = errno;

	if (!log_enabled(level))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	flockfile(log_file);
	fprintf(log_file,
		"%lld.%06ld turtlecap[%d/%ld] %s: ", (long long)ts.tv_sec,
		ts.tv_nsec / 1000, (int)getpid(), (long)syscall(SYS_gettid),
		names[level]);
	va_start(ap, fmt);
	vfprintf(log_file, fmt, ap);
	va_end(ap);
	fputc('\n', log_file);
	fflush(log_file);
	funlockfile(log_file);
	errno = saved;
}
