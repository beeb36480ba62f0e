/* SPDX-License-Identifier: MIT */
/* shims: the command lines of containerd's shims, each shim's init, and
 * lookups that stay in an engine's pid-namespace subtree. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shims.h"
#include "tap.h"
#include "util.h"

#define ARGS(s) s, sizeof(s) - 1

static void test_parse(void)
{
	char ns[SHIM_NAME_MAX], id[SHIM_NAME_MAX];

	CHECK_EQ(shim_parse_cmdline(
			 ARGS("/usr/bin/containerd-shim-runc-v2\0-namespace\0"
			      "moby\0-id\0abc123\0-address\0/run/c.sock\0"),
			 ns, id),
		 0);
	CHECK_STREQ(ns, "moby");
	CHECK_STREQ(id, "abc123");
	/* Go's other spellings */
	CHECK_EQ(shim_parse_cmdline(ARGS("shim\0--namespace=k8s.io\0--id\0"
					 "pod-1\0"),
				    ns, id),
		 0);
	CHECK_STREQ(ns, "k8s.io");
	CHECK_STREQ(id, "pod-1");
	/* no id (containerd-shim v1), a value missing, a name with '/', an
	 * empty one, a last argument cut off (no NUL) */
	CHECK_EQ(shim_parse_cmdline(ARGS("shim\0-namespace\0moby\0-workdir\0"
					 "/x/moby/abc\0"),
				    ns, id),
		 -ENOENT);
	CHECK_EQ(shim_parse_cmdline(ARGS("shim\0-namespace\0moby\0-id\0"), ns,
				    id),
		 -EBADMSG);
	CHECK_EQ(shim_parse_cmdline(ARGS("shim\0-namespace\0moby\0-id\0"
					 "../../x\0"),
				    ns, id),
		 -EBADMSG);
	CHECK_EQ(
		shim_parse_cmdline(ARGS("shim\0-namespace=\0-id\0a\0"), ns, id),
		-EBADMSG);
	CHECK_EQ(shim_parse_cmdline(ARGS("shim\0-namespace\0moby\0-id\0abc"),
				    ns, id),
		 -EBADMSG);
	/* a flag that only starts like one */
	CHECK_EQ(shim_parse_cmdline(
			 ARGS("shim\0-identity\0x\0-namespaces\0y\0"), ns, id),
		 -ENOENT);
}

/* A process table and a procfs holding the shims' command lines. */
static const char *procfs;

static void write_cmdline(pid_t pid, const char *args, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d", procfs, (int)pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%d/cmdline", procfs, (int)pid);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fwrite(args, 1, len, f);
		fclose(f);
	}
}

#define HOSTNS 1000
#define DINDNS 2000

static void test_index(void)
{
	/* sorted by pid: the host's shim 10 of moby/aaa with its init 11
	 * and a later exec 12; a dind (pid 20, own pid namespace) with its
	 * shim 30 of moby/bbb (init 31) and shim 40 of default/web (no
	 * child yet); the host's shim 50 of default/web (init 51); a
	 * process 60 named otherwise whose command line looks alike */
	struct proc_entry v[] = {
		{ .pid = 10, .ppid = 1, .comm = "containerd-shim" },
		{ .pid = 11, .ppid = 10, .starttime = 50, .comm = "httpd" },
		{ .pid = 12, .ppid = 10, .starttime = 90, .comm = "sh" },
		{ .pid = 20, .ppid = 1, .comm = "dockerd" },
		{ .pid = 30, .ppid = 20, .comm = "containerd-shim" },
		{ .pid = 31, .ppid = 30, .starttime = 70, .comm = "sleep" },
		{ .pid = 40, .ppid = 20, .comm = "containerd-shim" },
		{ .pid = 50, .ppid = 1, .comm = "containerd-shim" },
		{ .pid = 51, .ppid = 50, .starttime = 40, .comm = "nginx" },
		{ .pid = 60, .ppid = 1, .comm = "impostor" },
		{ .pid = 61, .ppid = 60, .starttime = 10, .comm = "x" },
	};
	struct proc_table t = { .v = v, .n = ELEMENTSOF(v) };
	struct shim_index x = { 0 };
	char dir[] = "/tmp/tc-shims-test.XXXXXX";

	for (size_t i = 0; i < t.n; i++)
		v[i].ns.pid = v[i].pid >= 20 && v[i].pid < 50 ? DINDNS : HOSTNS;
	v[3].ns.pid = HOSTNS; /* dind's own process: made by the host */
	procfs = mkdtemp(dir);
	CHECK(procfs != NULL);
	if (!procfs)
		return;
	write_cmdline(10, ARGS("shim\0-namespace\0moby\0-id\0aaa\0"));
	write_cmdline(30, ARGS("shim\0-namespace\0moby\0-id\0bbb\0"));
	write_cmdline(40, ARGS("shim\0-namespace\0default\0-id\0web\0"));
	write_cmdline(50, ARGS("shim\0-namespace\0default\0-id\0web\0"));
	write_cmdline(60, ARGS("shim\0-namespace\0moby\0-id\0ccc\0"));
	CHECK_EQ(shim_index_build(procfs, &t, &x), 0);
	CHECK_EQ(x.n, 4);

	/* the earliest child, not the later exec */
	CHECK_EQ(shim_index_find(&x, &t, 0, "moby", "aaa"), 11);
	CHECK_EQ(shim_index_find(&x, &t, HOSTNS, "moby", "aaa"), 11);
	/* a nested engine finds its own, and nothing outside its subtree */
	CHECK_EQ(shim_index_find(&x, &t, DINDNS, "moby", "bbb"), 31);
	CHECK_EQ(shim_index_find(&x, &t, DINDNS, "moby", "aaa"), 0);
	CHECK_EQ(shim_index_find(&x, &t, 0, "moby", "bbb"), 31);
	/* two default/web under the host: ambiguous; in dind's subtree only
	 * its own, which has no init yet */
	CHECK_EQ(shim_index_find(&x, &t, 0, "default", "web"), 0);
	CHECK_EQ(shim_index_find(&x, &t, DINDNS, "default", "web"), 0);
	/* not a shim by its name; unknown names; names no shim can have */
	CHECK_EQ(shim_index_find(&x, &t, 0, "moby", "ccc"), 0);
	CHECK_EQ(shim_index_find(&x, &t, 0, "moby", "zzz"), 0);
	CHECK_EQ(shim_index_find(&x, &t, 0, "moby", "../aaa"), 0);
	CHECK_EQ(shim_index_find(&x, &t, 0, "", "aaa"), 0);
	/* an engine that cannot be placed (pid namespace no process has) */
	CHECK_EQ(shim_index_find(&x, &t, UINT64_MAX, "moby", "aaa"), 0);
	shim_index_clear(&x);
	CHECK_EQ(x.n, 0);

	/* no shims at all */
	t.n = 4;
	CHECK_EQ(shim_index_build(procfs, &t, &x), 0);
	CHECK_EQ(x.n, 1);
	shim_index_clear(&x);
	t.n = 0;
	CHECK_EQ(shim_index_build(procfs, &t, &x), 0);
	CHECK_EQ(shim_index_find(&x, &t, 0, "moby", "aaa"), 0);
	shim_index_clear(&x);

	for (pid_t p = 10; p <= 60; p += 10) {
		char path[256];

		snprintf(path, sizeof(path), "%s/%d/cmdline", procfs, (int)p);
		unlink(path);
		snprintf(path, sizeof(path), "%s/%d", procfs, (int)p);
		rmdir(path);
	}
	rmdir(procfs);
}

int main(int argc, char **argv)
{
	tap_init(argc, argv);
	test_parse();
	test_index();
	return tap_done();
}
