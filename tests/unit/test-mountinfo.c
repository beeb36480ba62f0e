/* SPDX-License-Identifier: MIT */
#include <fcntl.h>

#include "mountinfo.h"
#include "tap.h"
#include "util.h"

int main(int argc, char **argv)
{
	struct mountinfo_nsfs_list l = { 0 };
	char path[4096], *text = NULL, *u = NULL;

	tap_init(argc, argv);
	snprintf(path, sizeof(path), "%s/mountinfo/mountstats.txt",
		 tap_fixtures);
	CHECK(read_file_at(AT_FDCWD, path, 1 << 20, &text, NULL) == 0);
	if (!text)
		return tap_done();
	CHECK(mountstats_parse_nsfs(text, &l) == 0);
	/* blue, space, newline, backslash, no device, var/run blue with
	 * statistics; not: proc, tmpfs, nsfsx, nsf, garbage, a line cut
	 * short, an empty point, nfs and its statistics lines */
	CHECK_EQ(l.n, 6);
	if (l.n == 6) {
		CHECK_STREQ(l.v[0].mountpoint, "/run/netns/blue");
		CHECK_EQ(l.v[0].ino, 0);
		CHECK_STREQ(l.v[1].mountpoint, "/run/netns/with space");
		CHECK_STREQ(l.v[2].mountpoint, "/run/netns/nl\nname");
		CHECK_STREQ(l.v[3].mountpoint, "/run/netns/back\\slash\xff");
		CHECK_STREQ(l.v[4].mountpoint, "/run/pinned/mnt");
		CHECK_STREQ(l.v[5].mountpoint, "/var/run/netns/blue");
	}
	mountinfo_nsfs_list_clear(&l);
	free(text);

	/* mountinfo: the netns mounts only, with their inodes */
	snprintf(path, sizeof(path), "%s/mountinfo/mountinfo.txt",
		 tap_fixtures);
	CHECK(read_file_at(AT_FDCWD, path, 1 << 20, &text, NULL) == 0);
	if (!text)
		return tap_done();
	CHECK(mountinfo_parse_nsfs(text, &l) == 0);
	/* blue, space, newline, backslash, var/run blue; not: the mnt
	 * namespace, a bad inode, a line cut short, tmpfs, proc */
	CHECK_EQ(l.n, 5);
	if (l.n == 5) {
		CHECK_STREQ(l.v[0].mountpoint, "/run/netns/blue");
		CHECK_EQ(l.v[0].ino, 4026532177ULL);
		CHECK_STREQ(l.v[1].mountpoint, "/run/netns/with space");
		CHECK_EQ(l.v[1].ino, 4026532300ULL);
		CHECK_STREQ(l.v[2].mountpoint, "/run/netns/nl\nname");
		CHECK_STREQ(l.v[3].mountpoint, "/run/netns/back\\slash\xff");
		CHECK_STREQ(l.v[4].mountpoint, "/var/run/netns/blue");
		CHECK_EQ(l.v[4].ino, 4026532177ULL);
	}
	mountinfo_nsfs_list_clear(&l);
	free(text);

	CHECK(mountinfo_unescape("a\\040b\\", 7, &u) == 0);
	CHECK_STREQ(u, "a b\\");
	free(u);
	CHECK(mountinfo_unescape("\\12", 3, &u) == 0); /* too short: literal */
	CHECK_STREQ(u, "\\12");
	free(u);

	/* the live table of this process has proc mounted, and parsing it
	 * must not fail */
	CHECK(read_file_at(AT_FDCWD, "/proc/self/mountstats", 16 << 20, &text,
			   NULL) == 0);
	CHECK(mountstats_parse_nsfs(text, &l) == 0);
	mountinfo_nsfs_list_clear(&l);
	free(text);
	CHECK(read_file_at(AT_FDCWD, "/proc/self/mountinfo", 16 << 20, &text,
			   NULL) == 0);
	CHECK(mountinfo_parse_nsfs(text, &l) == 0);
	mountinfo_nsfs_list_clear(&l);
	free(text);
	return tap_done();
}
