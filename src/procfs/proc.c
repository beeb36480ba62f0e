/* SPDX-License-Identifier: MIT */
#include "proc.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

void proc_table_clear(struct proc_table *t)
{
	free(t->v);
	*t = (struct proc_table){ 0 };
}

int proc_parse_stat(const char *buf, struct proc_entry *e)
{
	const char *open = strchr(buf, '('), *close = strrchr(buf, ')');
	char *dup, *save = NULL, *tok;
	size_t len;
	int field = 3, r = -EBADMSG;
	struct proc_entry out = { 0 };

	if (!open || !close || close < open)
		return -EBADMSG;
	{
		_cleanup_free_ char *pidstr =
			strndup(buf, (size_t)(open - buf));
		uint32_t pid;

		if (!pidstr)
			return -ENOMEM;
		if (pidstr[0] && pidstr[strlen(pidstr) - 1] == ' ')
			pidstr[strlen(pidstr) - 1] = '\0';
		if (parse_u32(pidstr, &pid) < 0 || pid == 0 || pid > INT32_MAX)
			return -EBADMSG;
		out.pid = (pid_t)pid;
	}
	len = (size_t)(close - open - 1);
	if (len >= sizeof(out.comm))
		len = sizeof(out.comm) - 1;
	memcpy(out.comm, open + 1, len);
	out.comm[len] = '\0';

	dup = strdup(close + 1);
	if (!dup)
		return -ENOMEM;
	/* fields after comm: 3 state, 4 ppid, 9 flags, 22 starttime */
	for (tok = strtok_r(dup, " \n", &save); tok;
	     tok = strtok_r(NULL, " \n", &save), field++) {
		uint64_t v;

		if (field == 4 || field == 9 || field == 22) {
			if (parse_u64(tok, &v) < 0)
				goto out;
			if (field == 4) {
				if (v > INT32_MAX)
					goto out;
				out.ppid = (pid_t)v;
			} else if (field == 9) {
				out.flags = (unsigned int)v;
			} else {
				out.starttime = v;
				r = 0;
				break;
			}
		}
	}
out:
	free(dup);
	if (r == 0)
		*e = out;
	return r;
}

/* "net:[4026531840]" -> 4026531840 */
static int parse_ns_link(const char *link, size_t len, uint64_t *ret)
{
	const char *open = memchr(link, '[', len);
	uint64_t v = 0;
	size_t i;

	if (!open || len < 3 || link[len - 1] != ']')
		return -EBADMSG;
	for (i = (size_t)(open - link) + 1; i < len - 1; i++) {
		if (link[i] < '0' || link[i] > '9' || v > UINT64_MAX / 10)
			return -EBADMSG;
		v = v * 10 + (uint64_t)(link[i] - '0');
	}
	if (i == (size_t)(open - link) + 1 || !v)
		return -EBADMSG;
	*ret = v;
	return 0;
}

/* The namespace inodes of the process whose directory is prefix
 * ("" or "PID/") under dirfd. */
static int read_ns(int dirfd, const char *prefix, struct proc_ns *ret)
{
	static const char *const names[] = { "ns/net", "ns/mnt", "ns/pid",
					     "ns/user" };
	struct proc_ns ns = { 0 };
	uint64_t *nslots[] = { &ns.net, &ns.mnt, &ns.pid, &ns.user };

	/* the link's text names the inode: a readlink costs a third less
	 * than a stat, and there are four per process */
	for (size_t i = 0; i < ELEMENTSOF(names); i++) {
		char path[48], link[64];
		ssize_t n;

		snprintf(path, sizeof(path), "%s%s", prefix, names[i]);
		n = readlinkat(dirfd, path, link, sizeof(link));
		if (n < 0) {
			if (proc_gone(errno))
				return -ESRCH;
			continue; /* EACCES: not ours to see */
		}
		if (parse_ns_link(link, (size_t)n, nslots[i]) < 0)
			continue;
	}
	*ret = ns;
	return 0;
}

int proc_read_ns(int piddirfd, struct proc_ns *ret, uint64_t *ret_dev)
{
	int r = read_ns(piddirfd, "", ret);

	if (r < 0)
		return r;
	if (ret_dev) {
		struct stat st;

		if (fstatat(piddirfd, "ns/net", &st, 0) < 0)
			return proc_gone(errno) ? -ESRCH : negerrno();
		*ret_dev = st.st_dev;
	}
	return 0;
}

static int read_ns_of(int procfd, pid_t pid, struct proc_ns *ret)
{
	char prefix[16];

	snprintf(prefix, sizeof(prefix), "%d/", (int)pid);
	return read_ns(procfd, prefix, ret);
}

static int cmp_pid(const void *a, const void *b)
{
	const struct proc_entry *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* One process's stat fields; false if it is gone, a kernel thread, or
 * hidden. */
static bool scan_one(int procfd, uint32_t pid, struct proc_entry *e)
{
	_cleanup_close_ int fd = -1;
	char name[24], buf[2048]; /* 52 numbers and a 16-byte comm */
	ssize_t n;

	snprintf(name, sizeof(name), "%u/stat", pid);
	fd = openat(procfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false; /* gone, or hidden by hidepid */
	/* the kernel writes it whole on the first read */
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0 || (size_t)n == sizeof(buf) - 1)
		return false;
	buf[n] = '\0';
	return proc_parse_stat(buf, e) == 0 && !(e->flags & PROC_PF_KTHREAD);
}

int proc_table_scan_stat(const char *procfs, struct proc_table *ret)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct proc_table t = { 0 };
	struct dirent *de;

	d = opendir(procfs);
	if (!d)
		return negerrno();
	{
		/* every namespace inode is on the one nsfs */
		struct stat st;

		if (fstatat(dirfd(d), "self/ns/net", &st, 0) == 0)
			t.nsfs_dev = st.st_dev;
	}
	/* one thread: two would share the kernel's locks, measured no
	 * faster (docs/performance.md) */
	while ((de = readdir(d))) {
		struct proc_entry e = { 0 };
		uint32_t pid;

		if (parse_u32(de->d_name, &pid) < 0 ||
		    !scan_one(dirfd(d), pid, &e))
			continue;
		{
			struct proc_entry *v =
				grow_array(t.v, &t.cap, t.n, sizeof(*v), 256);

			if (!v) {
				proc_table_clear(&t);
				return -ENOMEM;
			}
			t.v = v;
		}
		t.v[t.n++] = e;
	}
	qsort(t.v, t.n, sizeof(*t.v), cmp_pid);
	*ret = t;
	return (int)t.n;
}

int proc_entry_read_ns(const char *procfs, struct proc_entry *e)
{
	_cleanup_close_ int procfd =
		open(procfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (procfd < 0)
		return negerrno();
	return read_ns_of(procfd, e->pid, &e->ns);
}

int proc_table_read_ns(const char *procfs, struct proc_table *t)
{
	_cleanup_close_ int procfd =
		open(procfs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t kept = 0;

	if (procfd < 0)
		return negerrno();
	for (size_t i = 0; i < t->n; i++) {
		if (read_ns_of(procfd, t->v[i].pid, &t->v[i].ns) < 0)
			continue; /* vanished meanwhile */
		t->v[kept++] = t->v[i];
	}
	t->n = kept;
	return (int)kept;
}

int proc_table_scan(const char *procfs, struct proc_table *ret)
{
	struct proc_table t = { 0 };
	int r = proc_table_scan_stat(procfs, &t);

	if (r >= 0)
		r = proc_table_read_ns(procfs, &t);
	if (r < 0) {
		proc_table_clear(&t);
		return r;
	}
	*ret = t;
	return r;
}

const struct proc_entry *proc_table_find(const struct proc_table *t, pid_t pid)
{
	struct proc_entry key = { .pid = pid };

	if (!t->n)
		return NULL;
	return bsearch(&key, t->v, t->n, sizeof(*t->v), cmp_pid);
}

bool proc_in_pidns_subtree(const struct proc_table *t,
			   const struct proc_entry *p, uint64_t pidns)
{
	for (int steps = 0; p && steps < 4096; steps++) {
		if (p->ns.pid == pidns)
			return true;
		if (p->ppid <= 0)
			return false;
		p = proc_table_find(t, p->ppid);
	}
	return false;
}

int proc_parse_nspid(const char *status, pid_t *pids, size_t max)
{
	const char *line = status;

	while (line && *line) {
		if (strncmp(line, "NSpid:", 6) == 0) {
			const char *p = line + 6;
			size_t n = 0;

			for (;;) {
				char *end;
				unsigned long v;

				while (*p == ' ' || *p == '\t')
					p++;
				if (*p == '\n' || *p == '\0')
					break;
				if (*p < '0' || *p > '9')
					return -EBADMSG;
				errno = 0;
				v = strtoul(p, &end, 10);
				if (errno || v == 0 || v > INT32_MAX)
					return -EBADMSG;
				if (n == max)
					return -E2BIG;
				pids[n++] = (pid_t)v;
				p = end;
			}
			return n ? (int)n : -EBADMSG;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -ENOENT;
}

static int read_nspid(const char *procfs, pid_t pid, pid_t *v, size_t max)
{
	_cleanup_free_ char *status = NULL;
	char path[64];
	int r;

	snprintf(path, sizeof(path), "%s/%d/status", procfs, (int)pid);
	r = read_file_at(AT_FDCWD, path, 1 << 16, &status, NULL);
	if (r < 0)
		return r;
	return proc_parse_nspid(status, v, max);
}

#define NSPID_MAX 32

int proc_translate_pid(const char *procfs, const struct proc_table *t,
		       pid_t daemon_pid, pid_t engine_pid, pid_t *ret)
{
	const struct proc_entry *d = proc_table_find(t, daemon_pid);
	pid_t v[NSPID_MAX];
	int depth, n;

	if (!d || !d->ns.pid || engine_pid <= 0)
		return -ESRCH;
	depth = read_nspid(procfs, daemon_pid, v, NSPID_MAX);
	if (depth < 1)
		return -ESRCH;
	depth--; /* the level of the daemon's pid namespace */
	for (size_t i = 0; i < t->n; i++) {
		const struct proc_entry *p = &t->v[i];

		if (!proc_in_pidns_subtree(t, p, d->ns.pid))
			continue;
		n = read_nspid(procfs, p->pid, v, NSPID_MAX);
		if (n > depth && v[depth] == engine_pid) {
			*ret = p->pid;
			return 0;
		}
	}
	return -ESRCH;
}
