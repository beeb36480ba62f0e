/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <sys/stat.h>

#include "proc.h"
#include "tap.h"
#include "util.h"

static char *fixture(const char *name)
{
	char path[4096], *text = NULL;

	snprintf(path, sizeof(path), "%s/proc/%s", tap_fixtures, name);
	if (read_file_at(AT_FDCWD, path, 1 << 20, &text, NULL) < 0)
		return NULL;
	return text;
}

int main(int argc, char **argv)
{
	struct proc_entry e;
	struct proc_table t = { 0 };
	pid_t pids[8];
	char *s;

	tap_init(argc, argv);

	s = fixture("stat-simple.txt");
	CHECK(s && proc_parse_stat(s, &e) == 0);
	CHECK_EQ(e.pid, 1234);
	CHECK_EQ(e.ppid, 1);
	CHECK_STREQ(e.comm, "sleep");
	CHECK_EQ(e.starttime, 987654);
	CHECK(!(e.flags & PROC_PF_KTHREAD));
	free(s);

	/* comm with spaces and parentheses ends at the last ')' */
	s = fixture("stat-odd.txt");
	CHECK(s && proc_parse_stat(s, &e) == 0);
	CHECK_EQ(e.pid, 77);
	CHECK_STREQ(e.comm, "we ird) (x) y");
	CHECK_EQ(e.ppid, 42);
	CHECK_EQ(e.starttime, 555);
	free(s);

	s = fixture("stat-kthread.txt");
	CHECK(s && proc_parse_stat(s, &e) == 0);
	CHECK(e.flags & PROC_PF_KTHREAD);
	free(s);

	CHECK(proc_parse_stat("", &e) == -EBADMSG);
	CHECK(proc_parse_stat("12 (x", &e) == -EBADMSG);
	CHECK(proc_parse_stat("12 (x) S", &e) == -EBADMSG);
	CHECK(proc_parse_stat("abc (x) S 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1",
			      &e) == -EBADMSG);
	CHECK(proc_parse_stat("12 (x) S -1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1",
			      &e) == -EBADMSG);

	s = fixture("status-nested.txt");
	CHECK(s && proc_parse_nspid(s, pids, 8) == 3);
	CHECK(pids[0] == 4242 && pids[1] == 17 && pids[2] == 1);
	CHECK(proc_parse_nspid(s, pids, 2) == -E2BIG);
	free(s);
	CHECK(proc_parse_nspid("Name:\tx\n", pids, 8) == -ENOENT);
	CHECK(proc_parse_nspid("NSpid:\tx\n", pids, 8) == -EBADMSG);

	/* live: this process is in the table with its real parent and
	 * namespace inodes, and kernel threads are not */
	CHECK(proc_table_scan("/proc", &t) > 0);
	{
		const struct proc_entry *me = proc_table_find(&t, getpid());
		struct stat st;

		CHECK(me != NULL);
		if (me) {
			CHECK_EQ(me->ppid, getppid());
			CHECK(stat("/proc/self/ns/net", &st) == 0);
			CHECK_EQ(me->ns.net, st.st_ino);
			CHECK_EQ(t.nsfs_dev, st.st_dev);
			CHECK(stat("/proc/self/ns/mnt", &st) == 0);
			CHECK_EQ(me->ns.mnt, st.st_ino);
		}
		CHECK(proc_table_find(&t, 2) == NULL); /* kthreadd */
		for (size_t i = 1; i < t.n; i++)
			CHECK(t.v[i - 1].pid < t.v[i].pid);
	}
	proc_table_clear(&t);
	CHECK(proc_table_scan("/nonexistent", &t) == -ENOENT);
	return tap_done();
}
