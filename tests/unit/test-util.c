/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <stdint.h>

#include "tap.h"
#include "util.h"

int main(int argc, char **argv)
{
	uint64_t u64;
	uint32_t u32;
	int i;
	char *buf = NULL;
	size_t len;

	tap_init(argc, argv);
	CHECK(parse_u64("18446744073709551615", &u64) == 0 &&
	      u64 == UINT64_MAX);
	CHECK(parse_u64("18446744073709551616", &u64) == -ERANGE);
	CHECK(parse_u64("-1", &u64) == -EINVAL);
	CHECK(parse_u64(" 1", &u64) == -EINVAL);
	CHECK(parse_u64("1x", &u64) == -EINVAL);
	CHECK(parse_u64("", &u64) == -EINVAL);
	CHECK(parse_u32("4294967296", &u32) == -ERANGE);
	CHECK(parse_u32("4294967295", &u32) == 0 && u32 == UINT32_MAX);
	CHECK(parse_int("-5", &i) == 0 && i == -5);
	CHECK(parse_int("2147483648", &i) == -ERANGE);
	CHECK(proc_gone(-ENOENT) && proc_gone(ESRCH) && !proc_gone(-EACCES));

	/* read_file_at: content and the size cap */
	CHECK(read_file_at(AT_FDCWD, "/proc/self/stat", 4096, &buf, &len) == 0);
	CHECK(buf && len > 10 && buf[len] == '\0');
	free(buf);
	buf = NULL;
	CHECK(read_file_at(AT_FDCWD, "/proc/self/maps", 16, &buf, &len) ==
	      -EFBIG);
	CHECK(buf == NULL);
	CHECK(read_file_at(AT_FDCWD, "/nonexistent/x", 16, &buf, &len) ==
	      -ENOENT);
	return tap_done();
}
