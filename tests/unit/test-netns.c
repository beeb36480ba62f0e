/* SPDX-License-Identifier: MIT */
/*
 * netns discovery (src/netns/netns.c) on a fake procfs built in a temp
 * dir: PID/stat files, PID/ns/{net,mnt,pid,user} symlinks whose text names the inode
 * ("net:[4026531840]", all proc.c reads of them), self/ns as the reference
 * (netns.c reads PROCFS/self, not the real /proc/self), mount tables and a
 * container root for the bind mounts.
 *
 * The test drops every capability first (caps_drop()): files of mode 0
 * then read as they do for an unprivileged turtlecap, whoever runs it.
 * That is how the mountinfo fallback (self/mountstats unreadable) and
 * unreadable namespaces are reached.
 *
 * What cannot be faked: resolved nsfs mount points only count when their
 * inode is one a process showed (a bind mount held by no process needs
 * the NS_GET_NSTYPE ioctl, which a regular file fails), so the resolving
 * path is tested with inodes of regular files given to processes.
 */
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <sys/stat.h>

#include "caps.h"
#include "netns.h"
#include "tap.h"
#include "util.h"

#define HOST_NET  4026531840ULL
#define HOST_MNT  4026531841ULL
#define HOST_PID  4026531836ULL
#define HOST_USER 4026531837ULL
#define A_NET	  4026532500ULL /* a container: mnt and pid of its own */
#define A_MNT	  4026532501ULL
#define A_PID	  4026532502ULL
#define B_NET	  4026532600ULL /* a sandbox: user namespace of its own */
#define B_USER	  4026532601ULL
#define E_NET	  4026532800ULL /* a long comm */
#define F_NET	  4026532900ULL /* processes in many mount namespaces */
#define F_MNT0	  4026533000ULL
#define F_N	  9 /* >= 8: discovery reads the tables in two threads */
#define BLUE_NET  4026532177ULL /* as in fixtures/mountinfo/mountinfo.txt */

/* the hostile comm: a newline, U+2028, a ')' and a '(' */
static const char hostile_comm[] = "a\nb\xe2\x80\xa8"
				   "c) (x";

static char root[] = "/tmp/tc-netns.XXXXXX";
/* inodes of regular files, given to processes as their netns */
static uint64_t c_net, d_net, tmp_dev;

static int put(const char *rel, const char *text, size_t len, mode_t mode)
{
	char path[4096];
	_cleanup_close_ int fd = -1;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	/* the parents, one by one */
	for (char *s = strchr(path + strlen(root) + 1, '/'); s;
	     s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return negerrno();
		*s = '/';
	}
	if (!text)
		return mkdir(path, mode) < 0 && errno != EEXIST ? negerrno()
								: 0;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, text, len) < 0 || fchmod(fd, mode) < 0)
		return negerrno();
	return 0;
}

static int put_text(const char *rel, const char *text)
{
	return put(rel, text, strlen(text), 0644);
}

static int put_link(const char *rel, const char *target)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return symlink(target, path) < 0 ? negerrno() : 0;
}

static uint64_t ino_of(const char *rel)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return stat(path, &st) < 0 ? 0 : st.st_ino;
}

struct fake_proc {
	int pid, ppid;
	const char *comm;
	uint64_t starttime;
	unsigned flags;
	uint64_t net, mnt, pid_ns, user; /* 0: host's */
};

static int put_proc(const struct fake_proc *p)
{
	const uint64_t ns[] = { p->net ? p->net : HOST_NET,
				p->mnt ? p->mnt : HOST_MNT,
				p->pid_ns ? p->pid_ns : HOST_PID,
				p->user ? p->user : HOST_USER };
	static const char *const names[] = { "net", "mnt", "pid", "user" };
	char rel[64], *stat = NULL;
	int r;

	/* fields 3..22 after the comm: state, ppid, pgrp, session, tty,
	 * tpgid, flags, 8 counters, priority, nice, threads, 0, starttime */
	if (asprintf(&stat,
		     "%d (%s) S %d %d %d 0 -1 %u 0 0 0 0 0 0 0 0 20 0 1 0 "
		     "%" PRIu64 " 0 0\n",
		     p->pid, p->comm, p->ppid, p->pid, p->pid, p->flags,
		     p->starttime) < 0)
		return -ENOMEM;
	snprintf(rel, sizeof(rel), "%d/stat", p->pid);
	r = put_text(rel, stat);
	free(stat);
	for (size_t i = 0; r >= 0 && i < ELEMENTSOF(names); i++) {
		char target[64];

		snprintf(rel, sizeof(rel), "%d/ns", p->pid);
		r = put(rel, NULL, 0, 0755);
		snprintf(rel, sizeof(rel), "%d/ns/%s", p->pid, names[i]);
		snprintf(target, sizeof(target), "%s:[%" PRIu64 "]", names[i],
			 ns[i]);
		if (r >= 0)
			r = put_link(rel, target);
	}
	return r;
}

static int build_procfs(void)
{
	char *mi = NULL;
	size_t mi_len = 0;
	int r;

	if (!mkdtemp(root))
		return negerrno();
	/* turtlecap's own namespaces; ns/net is also stat()ed (the nsfs
	 * device), so its link leads to a file */
	r = put_text("self/ns/net:[4026531840]", "");
	if (r >= 0)
		r = put_link("self/ns/net", "net:[4026531840]");
	if (r >= 0)
		r = put_link("self/ns/mnt", "mnt:[4026531841]");
	if (r >= 0)
		r = put_link("self/ns/pid", "pid:[4026531836]");
	if (r >= 0)
		r = put_link("self/ns/user", "user:[4026531837]");
	/* our mount table: mountstats unreadable, the mountinfo fixture */
	if (r >= 0) {
		static const char stats[] = "device nsfs mounted on "
					    "/run/netns/x with fstype nsfs\n";

		r = put("self/mountstats", stats, strlen(stats), 0);
	}
	mi = tap_fixture("mountinfo", "mountinfo.txt", &mi_len);
	if (r >= 0)
		r = mi ? put("self/mountinfo", mi, mi_len, 0444) : -ENOENT;
	free(mi);

	/* the container's root: a netns bind mount, a symlink out of the
	 * root to a file whose inode is a netns (it must not be followed
	 * there), a plain file that is no netns */
	if (r >= 0)
		r = put_text("root10/run/netns/inner", "");
	if (r >= 0)
		r = put_text("root10/run/netns/plain", "");
	if (r >= 0)
		r = put_text("outside", "");
	if (r >= 0) {
		char target[4096];

		snprintf(target, sizeof(target), "%s/outside", root);
		r = put_link("root10/run/netns/escape", target);
	}
	if (r < 0)
		return r;
	c_net = ino_of("outside");
	d_net = ino_of("root10/run/netns/inner");
	{
		struct stat st;
		char path[4096];

		snprintf(path, sizeof(path), "%s/self/ns/net", root);
		if (stat(path, &st) < 0)
			return negerrno();
		tmp_dev = st.st_dev;
	}

	{
		const struct fake_proc procs[] = {
			{ 1, 0, "init", 1, 0 },
			{ 2, 0, "kthreadd", 2, PROC_PF_KTHREAD },
			{ 5, 1, "sshd", 10, 0 },
			/* the container: its init, a child, an exec'd
			 * process (parent outside, started later) */
			{ 10, 1, "nginx", 100, 0, A_NET, A_MNT, A_PID },
			{ 11, 10, "worker", 101, 0, A_NET, A_MNT, A_PID },
			{ 12, 5, "sh", 200, 0, A_NET, A_MNT, A_PID },
			{ 20, 1, hostile_comm, 300, 0, B_NET, 0, 0, B_USER },
			{ 21, 20, "renderer", 301, 0, B_NET, 0, 0, B_USER },
			/* `ip netns exec`-like: only the netns differs; the
			 * later-started lower pid is not the topmost */
			{ 30, 1, "late", 400, 0, c_net },
			{ 32, 1, "early", 350, 0, c_net },
			{ 40, 1, "blue-proc", 500, 0, BLUE_NET },
			/* in the container's mount namespace, a netns bound
			 * there */
			{ 50, 10, "inner", 600, 0, d_net, A_MNT, A_PID },
			{ 60, 1,
			  "0123456789012345678901234567890123456789"
			  "0123456789012345678901234567890123456789",
			  700, 0, E_NET },
		};

		for (size_t i = 0; r >= 0 && i < ELEMENTSOF(procs); i++)
			r = put_proc(&procs[i]);
		for (int i = 0; r >= 0 && i < F_N; i++)
			r = put_proc(&(struct fake_proc){
				80 + i, 1, "f", 800 + (uint64_t)i, 0, F_NET,
				F_MNT0 + (unsigned)i });
	}
	/* the container's root and mount table (mountstats readable:
	 * resolved in that root) */
	if (r >= 0)
		r = put_link("10/root", "../root10");
	if (r >= 0)
		r = put_text("10/mountstats",
			     "device nsfs mounted on /run/netns/inner with "
			     "fstype nsfs\n"
			     "device nsfs mounted on /run/netns/escape with "
			     "fstype nsfs\n"
			     "device nsfs mounted on /run/netns/plain with "
			     "fstype nsfs\n"
			     "device nsfs mounted on /run/netns/gone with "
			     "fstype nsfs\n");
	/* hidden: namespaces unreadable (EACCES: not counted), the ns dir
	 * gone (ESRCH: vanished), a link we cannot parse, a bad stat */
	if (r >= 0)
		r = put_proc(&(struct fake_proc){ 35, 1, "hidden", 900 });
	if (r >= 0) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/35/ns", root);
		r = chmod(path, 0) < 0 ? negerrno() : 0;
	}
	if (r >= 0)
		r = put_text("36/stat",
			     "36 (gone) S 1 36 36 0 -1 0 0 0 0 0 0 0 "
			     "0 0 20 0 1 0 901 0 0\n");
	if (r >= 0) {
		r = put_proc(&(struct fake_proc){ 37, 1, "garbled", 902 });
		if (r >= 0) {
			char path[4096];

			snprintf(path, sizeof(path), "%s/37/ns/net", root);
			unlink(path);
			r = put_link("37/ns/net", "net:[abc]");
		}
	}
	if (r >= 0)
		r = put_text("38/stat", "38 (bad stat\n");
	return r;
}

static int rm_one(const char *path, const struct stat *st, int type,
		  struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

static void remove_procfs(void)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/35/ns", root);
	chmod(path, 0755);
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static const struct netns_info *find(const struct netns_list *l, uint64_t ino)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].id.ino == ino)
			return &l->v[i];
	return NULL;
}

static const struct netns_info *find_name(const struct netns_list *l,
					  const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].name && strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

static void test_list(const struct netns_list *l, int r)
{
	tap_name("list");
	/* host, 4 named (mountinfo), A, B, C, D, E, F */
	CHECK_EQ(r, 11);
	CHECK_EQ(l->n, 11);
	for (size_t i = 0; i < l->n; i++) {
		CHECK_MSG(l->v[i].id.dev == tmp_dev, "netns %zu: dev", i);
		CHECK_MSG(memchr(l->v[i].comm, '\0', sizeof(l->v[i].comm)),
			  "netns %zu: comm terminated", i);
		/* grouped by inode: each once */
		for (size_t j = 0; j < i; j++)
			CHECK_MSG(l->v[i].id.ino != l->v[j].id.ino,
				  "netns %zu and %zu: one inode", j, i);
	}
	/* order: host, named by name, the others by inode */
	if (!CHECK(l->n > 5))
		return;
	CHECK(l->v[0].is_host);
	CHECK_STREQ(l->v[1].name, "back\\slash\xff");
	CHECK_STREQ(l->v[2].name, "blue");
	CHECK_STREQ(l->v[3].name, "nl\nname");
	CHECK_STREQ(l->v[4].name, "with space");
	for (size_t i = 5; i < l->n; i++) {
		CHECK_MSG(!l->v[i].is_host && !l->v[i].name,
			  "netns %zu: unnamed", i);
		if (i > 5)
			CHECK_MSG(l->v[i].id.ino > l->v[i - 1].id.ino,
				  "netns %zu: by inode", i);
	}
}

static void test_host(const struct netns_list *l)
{
	const struct netns_info *h = find(l, HOST_NET);

	tap_name("host");
	if (!CHECK(h))
		return;
	CHECK(h->is_host);
	for (size_t i = 0; i < l->n; i++)
		CHECK_MSG(l->v[i].is_host == (&l->v[i] == h),
			  "netns %zu: one host", i);
	/* init, sshd; not kthreadd (a kernel thread), nor those whose
	 * namespaces cannot be read (35, 36, 37) or whose stat is bad */
	CHECK_EQ(h->nprocs, 2);
	CHECK_EQ(h->pid, 1);
	CHECK_STREQ(h->comm, "init");
	CHECK(!h->other_mnt && !h->other_pid && !h->other_user);
	CHECK(!h->name);
}

static void test_container(const struct netns_list *l)
{
	const struct netns_info *a = find(l, A_NET);

	tap_name("container");
	if (!CHECK(a))
		return;
	/* its init, a child, an exec'd shell; not 50 (another netns,
	 * same mount namespace) */
	CHECK_EQ(a->nprocs, 3);
	CHECK_EQ(a->pid, 10); /* topmost: not 11 (a child), not 12 (later) */
	CHECK_STREQ(a->comm, "nginx");
	CHECK(a->other_mnt);
	CHECK(a->other_pid);
	CHECK(!a->other_user);
	CHECK(!a->name && !a->is_host);
}

static void test_sandbox(const struct netns_list *l)
{
	const struct netns_info *b = find(l, B_NET);

	tap_name("sandbox, hostile comm");
	if (!CHECK(b))
		return;
	CHECK_EQ(b->nprocs, 2);
	CHECK_EQ(b->pid, 20);
	/* copied as the kernel has it: up to the last ')', newline and
	 * U+2028 included (escaping is the writers' job) */
	CHECK_STREQ(b->comm, hostile_comm);
	CHECK(!b->other_mnt && !b->other_pid);
	CHECK(b->other_user);
}

static void test_topmost(const struct netns_list *l)
{
	const struct netns_info *c = find(l, c_net), *e = find(l, E_NET);

	tap_name("topmost, long comm");
	if (CHECK(c)) {
		/* both have a parent outside: the earliest started */
		CHECK_EQ(c->nprocs, 2);
		CHECK_EQ(c->pid, 32);
		CHECK_STREQ(c->comm, "early");
		CHECK(!c->other_mnt && !c->other_pid && !c->other_user);
		/* the symlink out of the container's root was not
		 * followed to c's inode */
		CHECK(!c->bind_path);
		/* ... which a naive resolution reaches: the trap is set */
		CHECK_EQ(ino_of("root10/run/netns/escape"), c_net);
	}
	if (CHECK(e)) {
		/* cut to PROC_COMM_MAX - 1, terminated */
		CHECK_EQ(strlen(e->comm), PROC_COMM_MAX - 1);
		CHECK(strncmp(e->comm, "0123456789", 10) == 0);
	}
}

static void test_bind_mounts(const struct netns_list *l)
{
	const struct netns_info *blue = find_name(l, "blue"), *d, *ns;
	char want[4096];

	tap_name("bind mounts, ours (mountinfo)");
	if (CHECK(blue)) {
		/* a process in it, and bound: one entry */
		CHECK_EQ(blue->id.ino, BLUE_NET);
		CHECK_EQ(blue->nprocs, 1);
		CHECK_EQ(blue->pid, 40);
		/* the first of /run/netns/blue and /var/run/netns/blue */
		CHECK_STREQ(blue->bind_path, "/run/netns/blue");
	}
	/* bound only: no process */
	ns = find_name(l, "with space");
	if (CHECK(ns)) {
		CHECK_EQ(ns->id.ino, 4026532300ULL);
		CHECK_EQ(ns->nprocs, 0);
		CHECK_EQ(ns->pid, 0);
		CHECK_STREQ(ns->comm, "");
		CHECK_STREQ(ns->bind_path, "/run/netns/with space");
		CHECK(!ns->other_mnt && !ns->other_pid && !ns->other_user);
	}
	ns = find_name(l, "nl\nname");
	if (CHECK(ns))
		CHECK_EQ(ns->id.ino, 4026532301ULL);
	/* the nsfs mount of a mount namespace, not a netns */
	CHECK(!find(l, 4026532400ULL));

	tap_name("bind mounts, a container's (mountstats)");
	d = find(l, d_net);
	if (CHECK(d)) {
		CHECK_EQ(d->nprocs, 1);
		CHECK_EQ(d->pid, 50);
		/* reached through the container's root; no `ip netns` name
		 * (not our /run/netns) */
		snprintf(want, sizeof(want), "%s/10/root/run/netns/inner",
			 root);
		CHECK_STREQ(d->bind_path, want);
		CHECK(!d->name);
		CHECK(d->other_mnt && d->other_pid);
	}
	/* a plain file and a missing point add nothing (the count in
	 * test_list), and nothing else has a bind path */
	for (size_t i = 0; i < l->n; i++)
		CHECK_MSG(!l->v[i].bind_path || l->v[i].name || &l->v[i] == d,
			  "netns %zu: bind path", i);
}

static void test_many_mount_namespaces(const struct netns_list *l)
{
	const struct netns_info *f = find(l, F_NET);

	/* their tables are missing: no bind mounts, no failure */
	tap_name("many mount namespaces");
	if (!CHECK(f))
		return;
	CHECK_EQ(f->nprocs, F_N);
	CHECK_EQ(f->pid, 80);
	CHECK(f->other_mnt && !f->other_pid && !f->other_user);
	CHECK(!f->bind_path);
}

static void test_errors(void)
{
	struct netns_list l = { 0 };
	char path[4096];

	tap_name("errors");
	snprintf(path, sizeof(path), "%s/nothing", root);
	CHECK_EQ(netns_discover(path, &l), -ENOENT);
	CHECK(!l.v && !l.n);
	/* no net inode of our own (self/ns/net is no link): -EACCES */
	snprintf(path, sizeof(path), "%s/root10", root);
	CHECK(put_text("root10/self/ns/net", "not a link") == 0);
	CHECK(put_link("root10/self/ns/mnt", "mnt:[4026531841]") == 0);
	CHECK(put_link("root10/self/ns/pid", "pid:[4026531836]") == 0);
	CHECK(put_link("root10/self/ns/user", "user:[4026531837]") == 0);
	CHECK_EQ(netns_discover(path, &l), -EACCES);
	CHECK(!l.v && !l.n);
}

/* A bind path a container rewrote: a FIFO in the mount's place must not
 * block the open (it would stall every listing), a symlink to one of our
 * files must not be opened as the namespace; the real one still opens. */
static void test_open_rewritten(void)
{
	struct stat self;
	struct netns_info ns = { .ctr = -1 };
	char fifo[4096], link[4096], real[] = "/proc/self/ns/net";
	int fd = -1;

	tap_name("netns_open of a rewritten bind path");
	if (!CHECK(stat("/proc/self/ns/net", &self) == 0))
		return;
	ns.id.dev = self.st_dev;
	ns.id.ino = self.st_ino;
	snprintf(fifo, sizeof(fifo), "%s/fifo", root);
	snprintf(link, sizeof(link), "%s/to-passwd", root);
	CHECK(mkfifo(fifo, 0600) == 0);
	CHECK(symlink("/etc/passwd", link) == 0);
	ns.bind_path = fifo;
	/* alarm: a blocking open fails the test instead of hanging it */
	alarm(5);
	CHECK_EQ(netns_open(&ns, &fd), -ESTALE);
	ns.bind_path = link;
	CHECK_EQ(netns_open(&ns, &fd), -ESTALE);
	alarm(0);
	CHECK_EQ(fd, -1);
	ns.bind_path = real;
	CHECK_EQ(netns_open(&ns, &fd), 0);
	CHECK(fd >= 0);
	closep(&fd);
}

int main(int argc, char **argv)
{
	struct netns_list l = { 0 };
	int r;

	tap_init(argc, argv);
	/* mode 0 must mean unreadable, as for an unprivileged user */
	if (caps_drop() < 0) {
		fprintf(stderr, "# cannot drop capabilities\n");
		return 77;
	}
	r = build_procfs();
	if (!CHECK_EQ(r, 0)) {
		fprintf(stderr, "# fake procfs %s: %s\n", root, strerror(-r));
		remove_procfs();
		return tap_done();
	}
	r = netns_discover(root, &l);
	test_list(&l, r);
	test_host(&l);
	test_container(&l);
	test_sandbox(&l);
	test_topmost(&l);
	test_bind_mounts(&l);
	test_many_mount_namespaces(&l);
	netns_list_clear(&l);
	CHECK(!l.v && !l.n);
	test_errors();
	test_open_rewritten();
	remove_procfs();
	return tap_done();
}
