/* SPDX-License-Identifier: MIT */
#include "netns.h"

#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "caps.h"
#include "log.h"
#include "mountinfo.h"
#include "rootpath.h"
#include "text.h"
#include "util.h"

static void netns_info_clear(struct netns_info *ns)
{
	free(ns->name);
	free(ns->bind_path);
	netlink_links_clear(&ns->links);
}

void netns_list_clear(struct netns_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		netns_info_clear(&l->v[i]);
	free(l->v);
	proc_table_clear(&l->procs);
	*l = (struct netns_list){ 0 };
}

struct netns_info *netns_list_find(struct netns_list *l, uint64_t ino)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].id.ino == ino)
			return &l->v[i];
	return NULL;
}

struct netns_info *netns_list_find_name(struct netns_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].name && strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

static struct netns_info *netns_list_add(struct netns_list *l, uint64_t dev,
					 uint64_t ino)
{
	struct netns_info *ns = netns_list_find(l, ino);

	if (ns)
		return ns;
	{
		struct netns_info *v =
			grow_array(l->v, &l->cap, l->n, sizeof(*v), 16);

		if (!v)
			return NULL;
		l->v = v;
	}
	ns = &l->v[l->n++];
	*ns = (struct netns_info){ .id = { dev, ino },
				   .links_err = -ENODATA,
				   .ctr = -1 };
	return ns;
}

/* Is p the topmost process of its netns's subtree, i.e. its parent lives
 * in another network namespace (or is not visible)? */
static bool is_netns_root(const struct proc_table *t,
			  const struct proc_entry *p)
{
	const struct proc_entry *parent = proc_table_find(t, p->ppid);

	return !parent || parent->ns.net != p->ns.net;
}

/* The netns behind an nsfs mount point in a root: its inode, or 0 for
 * another kind of namespace or a point gone meanwhile. */
static uint64_t resolve_nsfs(int rootfd, const char *mountpoint,
			     struct netns_list *l)
{
	_cleanup_close_ int fd = -1, nsfd = -1;
	struct stat st;
	char path[64];

	/* in the root (RESOLVE_IN_ROOT): a container's symlinks cannot
	 * lead us out of it */
	if (rootpath_resolve(rootfd, mountpoint, &fd) < 0 ||
	    fstat(fd, &st) < 0 || st.st_dev != l->nsfs_dev)
		return 0;
	if (netns_list_find(l, st.st_ino))
		return st.st_ino; /* a netns its processes showed */
	/* which kind: the O_PATH handle is opened again, so that a point
	 * replaced by a FIFO since cannot block us */
	nsfd = open(rootpath_fd_path(fd, path, sizeof(path)),
		    O_RDONLY | O_CLOEXEC);
	if (nsfd < 0 || ioctl(nsfd, NS_GET_NSTYPE) != CLONE_NEWNET)
		return 0;
	return st.st_ino;
}

/* The mount table of the process at dir ("PROCFS/self", "PROCFS/PID"):
 * mountstats if it can be opened (0400, root's for most processes:
 * CAP_DAC_OVERRIDE, raised around the open alone), else mountinfo (0444). */
static int read_mount_table(const char *dir, struct mountinfo_nsfs_list *ret)
{
	_cleanup_free_ char *text = NULL;
	uint64_t raised;
	char path[128];
	int r;

	snprintf(path, sizeof(path), "%s/mountstats", dir);
	raised = caps_raise_new(CAPS_BIT(CAP_DAC_OVERRIDE));
	r = read_file_at(AT_FDCWD, path, 16 << 20, &text, NULL);
	caps_lower(raised);
	if (r >= 0)
		return mountstats_parse_nsfs(text, ret);
	if (r != -EACCES)
		return r;
	snprintf(path, sizeof(path), "%s/mountinfo", dir);
	r = read_file_at(AT_FDCWD, path, 16 << 20, &text, NULL);
	return r < 0 ? r : mountinfo_parse_nsfs(text, ret);
}

/* The netns bind mounts of p's mount namespace (ours: of this process,
 * whose view of /run/netns names them), each with its inode. Nothing for
 * a process gone or hidden. Runs in two threads: l is only read. */
static int read_nsfs_mounts(const char *procfs, const struct proc_entry *p,
			    struct netns_list *l,
			    struct mountinfo_nsfs_list *ret)
{
	_cleanup_close_ int rootfd = -1;
	bool own = p->ns.mnt == l->self.mnt;
	char dir[64];
	int r;

	if (own)
		snprintf(dir, sizeof(dir), "%s/self", procfs);
	else
		snprintf(dir, sizeof(dir), "%s/%d", procfs, (int)p->pid);
	r = read_mount_table(dir, ret);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		/* one mount namespace (a container's, maybe hostile: more
		 * than 16 MiB of mounts) costs its own bind mounts only */
		if (!proc_gone(r) && r != -EACCES)
			log_warning("mount table of pid %d: %s; namespaces "
				    "bind-mounted there are not listed",
				    (int)p->pid, strerror(-r));
		return 0;
	}
	for (size_t i = 0; i < ret->n; i++) {
		if (ret->v[i].ino)
			continue; /* from mountinfo */
		if (rootfd < 0) {
			r = rootpath_open_root(procfs, own ? 0 : p->pid,
					       &rootfd);
			if (r < 0)
				return proc_gone(r) || r == -EACCES ? 0 : r;
		}
		ret->v[i].ino = resolve_nsfs(rootfd, ret->v[i].mountpoint, l);
	}
	return 0;
}

/* Add the network namespaces bind-mounted in p's mount namespace. */
static int add_bind_mounts(const char *procfs, const struct proc_entry *p,
			   const struct mountinfo_nsfs_list *mounts,
			   struct netns_list *l, uint64_t dev)
{
	bool own_mntns = p->ns.mnt == l->self.mnt;
	int r = 0;

	for (size_t i = 0; r >= 0 && i < mounts->n; i++) {
		const struct mountinfo_nsfs *m = &mounts->v[i];
		struct netns_info *ns;

		if (!m->ino)
			continue; /* not a netns */
		ns = netns_list_add(l, dev, m->ino);
		if (!ns) {
			r = -ENOMEM;
			break;
		}
		if (!ns->bind_path || (own_mntns && !ns->name)) {
			char *bp;

			if (own_mntns)
				bp = strdup(m->mountpoint);
			else if (asprintf(&bp, "%s/%d/root%s", procfs,
					  (int)p->pid, m->mountpoint) < 0)
				bp = NULL;
			if (!bp) {
				r = -ENOMEM;
				break;
			}
			free(ns->bind_path);
			ns->bind_path = bp;
		}
		/* `ip netns` names: bind mounts in /run/netns of our own
		 * mount namespace */
		if (own_mntns && !ns->name) {
			const char *slash = strrchr(m->mountpoint, '/');
			size_t dirlen =
				slash ? (size_t)(slash - m->mountpoint) : 0;

			if (slash && slash[1] &&
			    ((dirlen == 10 &&
			      memcmp(m->mountpoint, "/run/netns", 10) == 0) ||
			     (dirlen == 14 &&
			      memcmp(m->mountpoint, "/var/run/netns", 14) ==
				      0))) {
				ns->name = strdup(slash + 1);
				if (!ns->name)
					r = -ENOMEM;
			}
		}
	}
	return r < 0 ? r : 0;
}

/* One mount namespace to read: its first process, what was found. */
struct mnt_read {
	const struct proc_entry *p;
	struct mountinfo_nsfs_list mounts;
	int r;
};

struct mnt_reader {
	const char *procfs;
	struct netns_list *l;
	struct mnt_read *v;
	size_t n, first, step;
};

static void *read_mounts(void *arg)
{
	struct mnt_reader *w = arg;

	for (size_t i = w->first; i < w->n; i += w->step)
		w->v[i].r = read_nsfs_mounts(w->procfs, w->v[i].p, w->l,
					     &w->v[i].mounts);
	return NULL;
}

static int cmp_netns(const void *a, const void *b)
{
	const struct netns_info *x = a, *y = b;

	if (x->is_host != y->is_host)
		return x->is_host ? -1 : 1;
	if (!!x->name != !!y->name)
		return x->name ? -1 : 1;
	if (x->name) {
		int c = strcmp(x->name, y->name);

		if (c)
			return c;
	}
	return (x->id.ino > y->id.ino) - (x->id.ino < y->id.ino);
}

int netns_discover_scan(const char *procfs, struct netns_list *ret)
{
	_cleanup_free_ char *selfdir = NULL;
	_cleanup_close_ int selffd = -1;
	struct netns_list l = { 0 };
	uint64_t dev = 0;
	int r;

	if (asprintf(&selfdir, "%s/self", procfs) < 0)
		return -ENOMEM;
	selffd = open(selfdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (selffd < 0)
		return negerrno();
	r = proc_read_ns(selffd, &l.self, &dev);
	if (r < 0)
		return r;
	if (!l.self.net)
		return -EACCES;
	r = proc_table_scan_stat(procfs, &l.procs);
	if (r < 0)
		return r;
	l.nsfs_dev = l.procs.nsfs_dev ? l.procs.nsfs_dev : dev;
	*ret = l;
	return r;
}

int netns_discover_procs(const char *procfs, struct netns_list *l)
{
	struct proc_table *t = &l->procs;
	uint64_t dev = l->nsfs_dev;
	int r;

	/* the engine jobs (engines/) keep no pointer into t */
	r = proc_table_read_ns(procfs, t);
	if (r < 0)
		return r;
	{
		struct netns_info *host = netns_list_add(l, dev, l->self.net);

		if (!host)
			return -ENOMEM;
		host->is_host = true;
	}

	for (size_t i = 0; i < t->n; i++) {
		const struct proc_entry *p = &t->v[i];
		struct netns_info *ns;

		if (!p->ns.net)
			continue; /* not ours to see */
		ns = netns_list_add(l, dev, p->ns.net);
		if (!ns)
			return -ENOMEM;
		ns->nprocs++;
		ns->other_mnt |= p->ns.mnt && p->ns.mnt != l->self.mnt;
		ns->other_pid |= p->ns.pid && p->ns.pid != l->self.pid;
		ns->other_user |= p->ns.user && p->ns.user != l->self.user;
		if (is_netns_root(t, p) &&
		    (!ns->pid || p->starttime < ns->starttime ||
		     (p->starttime == ns->starttime && p->pid < ns->pid))) {
			ns->pid = p->pid;
			ns->starttime = p->starttime;
			ns->pidns = p->ns;
			memcpy(ns->comm, p->comm, sizeof(ns->comm));
		}
	}
	return (int)l->n;
}

int netns_discover_mounts(const char *procfs, struct netns_list *l)
{
	const struct proc_table *t = &l->procs;
	struct mnt_read *v = NULL;
	struct mnt_reader helper;
	pthread_t th;
	bool helped = false;
	size_t n = 0;
	int r = 0;

	/* nsfs bind mounts: one mountstats read per mount namespace, ours
	 * first so that names come from our view of /run/netns */
	v = calloc(t->n + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < t->n; i++) {
			const struct proc_entry *p = &t->v[i];
			bool seen = false;

			if (!p->ns.mnt ||
			    (pass == 0) != (p->ns.mnt == l->self.mnt))
				continue;
			for (size_t j = 0; j < n && !seen; j++)
				seen = v[j].p->ns.mnt == p->ns.mnt;
			if (!seen)
				v[n++].p = p;
		}
	}
	/* the kernel writes each table (every container has a mount
	 * namespace of its own): the reading is shared with a second
	 * thread, which inherits our capabilities; the results are applied
	 * in order, here */
	helper = (struct mnt_reader){
		.procfs = procfs, .l = l, .v = v, .n = n, .first = 1, .step = 2
	};
	if (n >= 8 && pthread_create(&th, NULL, read_mounts, &helper) == 0)
		helped = true;
	read_mounts(&(struct mnt_reader){ .procfs = procfs,
					  .l = l,
					  .v = v,
					  .n = n,
					  .first = 0,
					  .step = helped ? 2 : 1 });
	if (helped)
		pthread_join(th, NULL);
	for (size_t i = 0; i < n; i++) {
		if (r >= 0)
			r = v[i].r;
		if (r >= 0)
			r = add_bind_mounts(procfs, v[i].p, &v[i].mounts, l,
					    l->nsfs_dev);
		mountinfo_nsfs_list_clear(&v[i].mounts);
	}
	free(v);
	if (r < 0)
		return r;
	qsort(l->v, l->n, sizeof(*l->v), cmp_netns);
	return (int)l->n;
}

int netns_discover(const char *procfs, struct netns_list *ret)
{
	struct netns_list l = { 0 };
	int r = netns_discover_scan(procfs, &l);

	if (r >= 0)
		r = netns_discover_procs(procfs, &l);
	if (r >= 0)
		r = netns_discover_mounts(procfs, &l);
	if (r < 0) {
		netns_list_clear(&l);
		return r;
	}
	*ret = l;
	return r;
}

int netns_open(const struct netns_info *ns, int *ret_fd)
{
	_cleanup_close_ int fd = -1;
	struct stat st;

	bool stale = false;

	if (ns->is_host) {
		fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	} else if (ns->bind_path) {
		/* A container may rewrite its part of the path (a symlink out
		 * of its root, a FIFO in the mount's place): O_PATH never
		 * blocks, and only the namespace's own inode is opened for
		 * real, through the fd, not the path again. */
		_cleanup_close_ int pfd =
			open(ns->bind_path, O_PATH | O_CLOEXEC);
		char self[64];

		if (pfd >= 0 && fstat(pfd, &st) == 0 &&
		    st.st_ino == ns->id.ino &&
		    (!ns->id.dev || st.st_dev == ns->id.dev))
			fd = open(rootpath_fd_path(pfd, self, sizeof(self)),
				  O_RDONLY | O_CLOEXEC);
		else
			stale = pfd >= 0;
	}
	if (fd < 0 && ns->pid > 0) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)ns->pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0 && stale)
		return -ESTALE;
	if (fd < 0)
		return proc_gone(errno) ? -ESRCH : negerrno();
	if (fstat(fd, &st) < 0)
		return negerrno();
	/* a namespace inode is unique while the namespace lives, so this
	 * catches a reused pid or a replaced bind mount */
	if (st.st_ino != ns->id.ino || (ns->id.dev && st.st_dev != ns->id.dev))
		return -ESTALE;
	*ret_fd = TAKE_FD(fd);
	return 0;
}

struct links_job {
	struct netns_list *l;
	bool bare_only;
};

bool netns_is_known(const struct netns_info *ns)
{
	return ns->is_host || ns->name || ns->bind_path || ns->ctr >= 0;
}

static void *links_thread(void *arg)
{
	struct links_job *job = arg;
	struct netns_list *l = job->l;

	for (size_t i = 0; i < l->n; i++) {
		struct netns_info *ns = &l->v[i];
		_cleanup_close_ int fd = -1;
		int r;

		if (job->bare_only && netns_is_known(ns))
			continue;
		r = netns_open(ns, &fd);
		if (r >= 0 && setns(fd, CLONE_NEWNET) < 0)
			r = negerrno();
		if (r >= 0)
			r = netlink_list_links(&ns->links);
		ns->links_err = r < 0 ? r : 0;
		if (r < 0)
			log_debug("links of netns %llu: %s",
				  (unsigned long long)ns->id.ino, strerror(-r));
	}
	return NULL;
}

int netns_list_links_all(struct netns_list *l, bool bare_only)
{
	struct links_job job = { .l = l, .bare_only = bare_only };
	pthread_t th;
	int r;

	/* This thread enters every namespace and is then thrown away, so
	 * the caller's threads never leave their own namespace. */
	r = pthread_create(&th, NULL, links_thread, &job);
	if (r)
		return -r;
	pthread_join(th, NULL);
	return 0;
}
