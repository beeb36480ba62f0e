/* SPDX-License-Identifier: MIT */
/* unixsock (net/unix parsing, a process's listening sockets), rootpath
 * (resolution confined to a root: the /var/run trap) and finder. */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "finder.h"
#include "rootpath.h"
#include "tap.h"
#include "unixsock.h"
#include "util.h"

static int listen_at(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 4) < 0)
		return -1;
	return fd;
}

static pid_t spawn_listener(const char *path, const char *swap_to)
{
	pid_t pid = fork();

	if (pid == 0) {
		char gone[600];
		int fd = listen_at(path);

		if (fd < 0)
			_exit(1);
		/* bind, then swap the bound path for a symlink to another
		 * daemon's socket */
		snprintf(gone, sizeof(gone), "%s.gone", path);
		if (swap_to &&
		    (rename(path, gone) < 0 || symlink(swap_to, path) < 0))
			_exit(1);
		pause();
		_exit(0);
	}
	for (int i = 0; i < 200; i++) {
		struct stat st;

		if (lstat(path, &st) == 0 &&
		    (swap_to ? S_ISLNK(st.st_mode) : S_ISSOCK(st.st_mode)))
			break;
		usleep(5000);
	}
	return pid;
}

static void add_proc(struct proc_table *t, pid_t pid, const char *comm)
{
	struct proc_entry *v = grow_array(t->v, &t->cap, t->n, sizeof(*v), 4);

	if (!v)
		abort();
	t->v = v;
	v[t->n] = (struct proc_entry){ .pid = pid, .ppid = getpid() };
	snprintf(v[t->n].comm, sizeof(v[t->n].comm), "%s", comm);
	(void)proc_entry_read_ns("/proc", &v[t->n]);
	t->n++;
}

/* A process named dockerd that binds docker.sock and then swaps the path
 * for a symlink to the real daemon's socket is not that daemon's owner,
 * whether its pid is lower (fake_first) or higher than the daemon's, and
 * whether the daemon is in the table (real_listed) or not. */
static void test_swap(const char *dir, bool fake_first, bool real_listed)
{
	char real[512], fake[512];
	struct endpoint_list l = { 0 };
	struct proc_table t = { 0 };
	pid_t r_pid, f_pid;
	struct stat st;
	size_t owners = 0;
	bool fake_named = false;

	snprintf(real, sizeof(real), "%s/real-%d%d", dir, fake_first,
		 real_listed);
	snprintf(fake, sizeof(fake), "%s/fake-%d%d", dir, fake_first,
		 real_listed);
	mkdir(real, 0755);
	mkdir(fake, 0755);
	strcat(real, "/docker.sock");
	strcat(fake, "/docker.sock");
	if (fake_first) {
		f_pid = spawn_listener(fake, real); /* dangling until real */
		r_pid = spawn_listener(real, NULL);
	} else {
		r_pid = spawn_listener(real, NULL);
		f_pid = spawn_listener(fake, real);
	}
	CHECK(r_pid > 0 && f_pid > 0 && stat(real, &st) == 0);
	CHECK((f_pid < r_pid) == fake_first);
	add_proc(&t, r_pid < f_pid ? r_pid : f_pid,
		 r_pid < f_pid && !real_listed ? "sleeper" : "dockerd");
	add_proc(&t, r_pid < f_pid ? f_pid : r_pid,
		 r_pid > f_pid && !real_listed ? "sleeper" : "dockerd");
	CHECK(finder_scan("/proc", &t, &l) >= 0);
	for (size_t i = 0; i < l.n; i++) {
		if (l.v[i].sock_ino == st.st_ino) {
			owners++;
			CHECK_EQ(l.v[i].pid, r_pid);
			CHECK_EQ(l.v[i].peer, r_pid);
			CHECK_EQ(l.v[i].trust, ENGINE_TRUST_HOST);
		}
		fake_named |= l.v[i].pid == f_pid;
	}
	CHECK_EQ(owners, real_listed);
	CHECK(!fake_named);
	endpoint_list_clear(&l);
	proc_table_clear(&t);
	kill(r_pid, SIGKILL);
	kill(f_pid, SIGKILL);
	waitpid(r_pid, NULL, 0);
	waitpid(f_pid, NULL, 0);
}

/* Trust: we are the host; a process in a mount namespace of its own is
 * not; a container monitor above a process makes it nested. */
static void test_trust(void)
{
	struct proc_table t = { 0 };
	struct proc_entry v[] = {
		{ .pid = 1, .ppid = 0, .comm = "init" },
		{ .pid = 10, .ppid = 1, .comm = "containerd-shim" },
		{ .pid = 11, .ppid = 10, .comm = "sh" },
		{ .pid = 12, .ppid = 11, .comm = "dockerd" },
		{ .pid = 13, .ppid = 10, .comm = "orphan" },
		{ .pid = 20, .ppid = 1, .comm = "dockerd" },
		{ .pid = 21, .ppid = 20, .comm = "conmon" },
		{ .pid = 22, .ppid = 21, .comm = "app" },
	};
	int pfd[2];
	pid_t child;
	char c = 0;

	t.v = v;
	t.n = ELEMENTSOF(v);
	CHECK_EQ(finder_monitor_of(&t, 12), 10);
	CHECK_EQ(finder_monitor_of(&t, 20), 0);
	CHECK_EQ(finder_monitor_of(&t, 22), 21);
	CHECK_EQ(finder_monitor_of(&t, 99), 0);
	CHECK(finder_below(&t, 13, 10) && finder_below(&t, 12, 10));
	CHECK(!finder_below(&t, 10, 10) && !finder_below(&t, 20, 10) &&
	      !finder_below(&t, 22, 10) && !finder_below(&t, 99, 10));

	CHECK_EQ(finder_trust("/proc", &t, getpid()), ENGINE_TRUST_HOST);
	CHECK_EQ(finder_trust("/proc", &t, 0), ENGINE_TRUST_NESTED);
	CHECK(pipe(pfd) == 0);
	child = fork();
	if (child == 0) {
		close(pfd[0]);
		if (unshare(CLONE_NEWNS) < 0)
			_exit(1);
		(void)!write(pfd[1], "x", 1);
		pause();
		_exit(0);
	}
	close(pfd[1]);
	CHECK(read(pfd[0], &c, 1) == 1);
	close(pfd[0]);
	CHECK_EQ(finder_trust("/proc", &t, child), ENGINE_TRUST_NESTED);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

/* finder_trust on a fake procfs: namespaces as links, cgroups as text */
static void put(const char *dir, const char *name, const char *text)
{
	char p[900];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void fake_pid(const char *procfs, const char *pid, const char *mnt,
		     const char *cgroup)
{
	static const char *const ns[] = { "net", "mnt", "pid", "user" };
	char d[620], l[700], t[64];

	snprintf(d, sizeof(d), "%s/%s", procfs, pid);
	mkdir(d, 0755);
	snprintf(l, sizeof(l), "%s/ns", d);
	mkdir(l, 0755);
	for (size_t i = 0; i < 4; i++) {
		snprintf(l, sizeof(l), "%s/ns/%s", d, ns[i]);
		snprintf(t, sizeof(t), "%s:[%s]", ns[i],
			 strcmp(ns[i], "mnt") == 0 ? mnt : "4026531840");
		unlink(l);
		(void)!symlink(t, l);
	}
	put(d, "cgroup", cgroup);
}

static void test_trust_cgroups(const char *dir)
{
	static const struct {
		const char *ours, *theirs, *mnt;
		enum engine_trust want;
	} cases[] = {
		{ "0::/\n", "0::/\n", "1", ENGINE_TRUST_HOST },
		{ "0::/user.slice/s.scope\n",
		  "0::/system.slice/docker.service\n", "1", ENGINE_TRUST_HOST },
		{ "0::/\n", "0::/system.slice/docker-0123abcd.scope\n", "1",
		  ENGINE_TRUST_NESTED },
		{ "4:memory:/\n0::/\n", "4:memory:/docker/0123abcd\n0::/\n",
		  "1", ENGINE_TRUST_NESTED },
		{ "0::/\n", "0::/kubepods.slice/pod1/cri-containerd-9.scope\n",
		  "1", ENGINE_TRUST_NESTED },
		/* we run in that container ourselves: what we share is ours */
		{ "0::/docker/0123abcd\n", "0::/docker/0123abcd\n", "1",
		  ENGINE_TRUST_HOST },
		{ "0::/docker/0123abcd\n", "0::/docker/0123abcd/docker/77\n",
		  "1", ENGINE_TRUST_NESTED },
		/* another mount namespace, whatever the cgroup */
		{ "0::/\n", "0::/\n", "2", ENGINE_TRUST_NESTED },
	};
	char procfs[600];
	struct proc_table t = { 0 };

	snprintf(procfs, sizeof(procfs), "%s/procfs", dir);
	mkdir(procfs, 0755);
	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		fake_pid(procfs, "self", "1", cases[i].ours);
		fake_pid(procfs, "100", cases[i].mnt, cases[i].theirs);
		CHECK_EQ(finder_trust(procfs, &t, 100), cases[i].want);
	}
}

int main(int argc, char **argv)
{
	struct unixsock_list l = { 0 };
	char path[4096], *text = NULL, tmpl[] = "/tmp/tc-finder.XXXXXX", *dir;
	int r;

	tap_init(argc, argv);

	snprintf(path, sizeof(path), "%s/unix/sample.txt", tap_fixtures);
	CHECK(read_file_at(AT_FDCWD, path, 1 << 20, &text, NULL) == 0);
	CHECK(text && unixsock_parse_listening(text, &l) == 0);
	/* podman, docker listener, the one with a space; not the connected
	 * docker.sock peer, dgram, abstract, unbound, seqpacket, garbage */
	CHECK_EQ(l.n, 3);
	if (l.n == 3) {
		CHECK_STREQ(l.v[0].path, "/run/podman/podman.sock");
		CHECK_EQ(l.v[0].inode, 53621);
		CHECK_STREQ(l.v[1].path, "/run/docker.sock");
		CHECK_EQ(l.v[1].inode, 53700);
		CHECK_STREQ(l.v[2].path, "/run/with space/x.sock");
	}
	unixsock_list_clear(&l);
	free(text);

	dir = mkdtemp(tmpl);
	CHECK(dir != NULL);
	if (!dir)
		return tap_done();

	/* live: a socket this process listens on is in its namespace's
	 * table; a process gone is -ESRCH */
	{
		char sp[512];
		int lfd;
		bool found = false;
		struct unixsock_list none = { 0 };
		bool held;

		snprintf(sp, sizeof(sp), "%s/api.sock", dir);
		lfd = listen_at(sp);
		CHECK(lfd >= 0);
		r = unixsock_listening("/proc", getpid(), &l);
		CHECK(r >= 1);
		for (size_t i = 0; i < l.n; i++)
			found |= strcmp(l.v[i].path, sp) == 0;
		CHECK(found);
		{
			/* one flag per wanted socket: l holds every listening
			 * socket of our namespace, as many as run here */
			_cleanup_free_ bool *flags =
				calloc(l.n ? l.n : 1, sizeof(*flags));

			CHECK(flags && unixsock_held("/proc", 0x7ffffff0, &l,
						     flags) == -ESRCH);
		}
		unixsock_list_clear(&l);
		close(lfd);
		CHECK(unixsock_listening("/proc", 0x7ffffff0, &l) == -ESRCH);
		/* nothing wanted: nothing to look for */
		CHECK(unixsock_held("/proc", getpid(), &none, &held) == 0);
	}

	/* unixsock_held: a socket on a low descriptor, one on a high one
	 * (past the probed numbers: found by listing the others), one
	 * another process holds */
	{
		char a[512], b[512], c[512];
		int fa, fb, fc = -1, hi = 300;
		struct unixsock_list want = { 0 };
		struct stat st;
		bool held[3];
		pid_t child;

		snprintf(a, sizeof(a), "%s/a.sock", dir);
		snprintf(b, sizeof(b), "%s/b.sock", dir);
		snprintf(c, sizeof(c), "%s/c.sock", dir);
		fa = listen_at(a);
		fb = listen_at(b);
		CHECK(fa >= 0 && fa < 64 && fb >= 0);
		CHECK(dup2(fb, hi) == hi);
		close(fb);
		child = fork();
		if (child == 0) {
			/* holds c only */
			close(fa);
			close(hi);
			fc = listen_at(c);
			pause();
			_exit(0);
		}
		CHECK(child > 0);
		for (int i = 0; i < 100 && stat(c, &st) < 0; i++)
			usleep(10000);
		CHECK(unixsock_listening("/proc", getpid(), &l) >= 3);
		for (size_t i = 0; i < l.n; i++) {
			const char *p = l.v[i].path;

			if (strcmp(p, a) == 0 || strcmp(p, b) == 0 ||
			    strcmp(p, c) == 0) {
				struct unixsock *v =
					grow_array(want.v, &want.cap, want.n,
						   sizeof(*v), 4);

				if (!v)
					break;
				want.v = v;
				want.v[want.n++] = l.v[i];
			}
		}
		CHECK_EQ(want.n, 3);
		if (want.n == 3) {
			CHECK_EQ(unixsock_held("/proc", getpid(), &want, held),
				 2);
			for (size_t i = 0; i < 3; i++)
				CHECK(held[i] ==
				      (strcmp(want.v[i].path, c) != 0));
			CHECK_EQ(unixsock_held("/proc", child, &want, held), 1);
			for (size_t i = 0; i < 3; i++)
				CHECK(held[i] ==
				      (strcmp(want.v[i].path, c) == 0));
			CHECK_EQ(unixsock_held_by("/proc", getpid(),
						  want.v[0].inode),
				 strcmp(want.v[0].path, c) != 0);
		}
		free(want.v); /* its paths are l's */
		unixsock_list_clear(&l);
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		close(fa);
		close(hi);
		(void)fc;
	}

	/* the /var/run trap: inside a fake root, var/run is an absolute
	 * symlink to /run. Resolved in that root it must reach ROOT/run, never
	 * our own /run. */
	{
		char root[512], p[600];
		int rootfd = -1, fd = -1, lfd;
		uint64_t dev = 0, ino = 0;
		struct stat st;

		snprintf(root, sizeof(root), "%s/root", dir);
		mkdir(root, 0755);
		snprintf(p, sizeof(p), "%s/run", root);
		mkdir(p, 0755);
		snprintf(p, sizeof(p), "%s/var", root);
		mkdir(p, 0755);
		snprintf(p, sizeof(p), "%s/var/run", root);
		CHECK(symlink("/run", p) == 0);
		snprintf(p, sizeof(p), "%s/run/tc-finder-test.sock", root);
		lfd = listen_at(p);
		CHECK(lfd >= 0);
		CHECK(stat(p, &st) == 0);

		rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
		CHECK(rootfd >= 0);
		r = rootpath_resolve(rootfd, "/var/run/tc-finder-test.sock",
				     &fd);
		CHECK_EQ(r, 0);
		CHECK(fd >= 0 && rootpath_socket_id(fd, &dev, &ino) == 0);
		CHECK_EQ(ino, st.st_ino);
		if (fd >= 0)
			close(fd);
		/* ".." cannot climb out either */
		r = rootpath_resolve(
			rootfd, "/../../../../run/tc-finder-test.sock", &fd);
		CHECK_EQ(r, 0);
		CHECK(fd >= 0 && rootpath_socket_id(fd, &dev, &ino) == 0 &&
		      ino == st.st_ino);
		if (fd >= 0)
			close(fd);
		/* a regular file is not a socket */
		r = rootpath_resolve(rootfd, "/run", &fd);
		CHECK(r == 0 &&
		      rootpath_socket_id(fd, &dev, &ino) == -ENOTSOCK);
		if (fd >= 0)
			close(fd);
		CHECK(rootpath_resolve(rootfd, "/nonexistent.sock", &fd) ==
		      -ENOENT);
		close(rootfd);
		close(lfd);
		unlink(p);
	}

	test_trust();
	test_trust_cgroups(dir);
	for (int i = 0; i < 4; i++)
		test_swap(dir, i & 1, i & 2);

	/* finder: this process is not an engine; the table data is sane */
	for (const struct finder_spec *s = finder_specs; s->comm; s++) {
		CHECK(s->sockets && s->sockets[0] && s->sockets[0][0] == '/');
		CHECK(strcmp(engine_kind_name(s->kind), "?") != 0);
	}
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		CHECK(system(cmd) == 0);
	}
	return tap_done();
}
