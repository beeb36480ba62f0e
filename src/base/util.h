/* SPDX-License-Identifier: MIT */
/*
 * Small helpers shared by every module: scope-based cleanup, ownership
 * transfer, checked number parsing and the "process is gone" predicate.
 *
 * Error convention for the whole library: functions returning int give
 * >= 0 on success and -errno on failure. Out-parameters are named ret_*
 * and are written only on success.
 */
#ifndef TURTLECAP_UTIL_H
#define TURTLECAP_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f)   __attribute__((cleanup(f)))
#define _unused_       __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define ELEMENTSOF(x)  (sizeof(x) / sizeof((x)[0]))

static inline void freep(void *p)
{
	free(*(void **)p);
}
/* Close fd if it is one, keeping errno; returns -1 for
 * `fd = safe_close(fd)`, so that a closed number is never closed again
 * (another thread may have been given it meanwhile). */
static inline int safe_close(int fd)
{
	if (fd >= 0) {
		int saved = errno;
		close(fd);
		errno = saved;
	}
	return -1;
}
/* ... and for _cleanup_close_ and explicit closes alike: resets to -1. */
static inline void closep(int *fd)
{
	*fd = safe_close(*fd);
}
static inline void fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}
static inline void closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

#define _cleanup_free_	   _cleanup_(freep)
#define _cleanup_close_	   _cleanup_(closep)
#define _cleanup_fclose_   _cleanup_(fclosep)
#define _cleanup_closedir_ _cleanup_(closedirp)

/* Hand ownership on: returns the value and resets the variable. */
#define TAKE_PTR(p)                     \
	({                              \
		__typeof__(p) _p = (p); \
		(p) = NULL;             \
		_p;                     \
	})
#define TAKE_FD(fd)             \
	({                      \
		int _fd = (fd); \
		(fd) = -1;      \
		_fd;            \
	})

/* errno as a negative return value, never 0 even if errno was not set. */
static inline int negerrno(void)
{
	return errno > 0 ? -errno : -EIO;
}

/*
 * A process (or one of its /proc entries) vanished while we looked at it.
 * Scanning /proc races with exits all the time: this is control flow,
 * never an error worth reporting.
 */
static inline bool proc_gone(int err)
{
	err = err < 0 ? -err : err;
	return err == ENOENT || err == ESRCH;
}

/* Checked parsers: the whole string must be a number in range. */
int parse_u64(const char *s, uint64_t *ret);
int parse_u32(const char *s, uint32_t *ret);
int parse_int(const char *s, int *ret);

/* Read a whole small file (at most max bytes; -EFBIG beyond) into a
 * NUL-terminated buffer. dirfd may be AT_FDCWD. */
int read_file_at(int dirfd, const char *path, size_t max, char **ret,
		 size_t *ret_len);

/*
 * Room for one more element in a growable array of n used, *cap allocated
 * elements of elem bytes: doubles from initial. Returns the (maybe moved)
 * array, or NULL on ENOMEM or overflow with the old one left intact.
 */
void *grow_array(void *v, size_t *cap, size_t n, size_t elem, size_t initial);

/*
 * Call fn for each line of text (without its '\n'; the last line may lack
 * one). Stops at the first negative return of fn and returns it.
 */
int for_each_line(const char *text,
		  int (*fn)(const char *line, const char *end, void *userdata),
		  void *userdata);

/* *ret_msg = a formatted one-line message (NULL on ENOMEM); nothing if
 * ret_msg is NULL. For the "char **ret_msg" out-parameters of parsers. */
void set_msg(char **ret_msg, const char *fmt, ...) _printf_(2, 3);

/* Write all of buf, retrying on EINTR and short writes. */
int write_all(int fd, const void *buf, size_t len);

#endif
