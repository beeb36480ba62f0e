/* SPDX-License-Identifier: MIT */
#include "actcache.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "caps.h"
#include "log.h"
#include "text.h"
#include "util.h"

#define MAGIC "turtlecap-activator-cache 1"
/* processes whose set changes whenever a container starts or stops */
static const char *const watched_comms[] = { "conmon", NULL };

static uint64_t fnv(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define FNV_INIT 0xcbf29ce484222325ULL

uint64_t actcache_key(const struct engine_endpoint *ep)
{
	uint64_t h = FNV_INIT;
	int64_t pid = ep->activator;

	h = fnv(h, &pid, sizeof(pid));
	h = fnv(h, &ep->act_starttime, sizeof(ep->act_starttime));
	h = fnv(h, &ep->act_sock, sizeof(ep->act_sock));
	h = fnv(h, &ep->sock_dev, sizeof(ep->sock_dev));
	return fnv(h, &ep->sock_ino, sizeof(ep->sock_ino));
}

uint64_t actcache_watch_hash(const struct proc_table *t,
			     const struct engine_endpoint *ep)
{
	const struct proc_entry *a = proc_table_find(t, ep->activator);
	uint64_t h = FNV_INIT, pidns = a ? a->ns.pid : 0;

	/* the table is sorted by pid: the same set hashes the same. Only
	 * the activator's pid namespace: an engine nested elsewhere (whose
	 * `podman exec` makes conmons come and go) is none of its business */
	for (size_t i = 0; i < t->n; i++)
		for (const char *const *c = watched_comms; *c; c++)
			if (strcmp(t->v[i].comm, *c) == 0 &&
			    (!pidns || t->v[i].ns.pid == pidns)) {
				int64_t pid = t->v[i].pid;

				h = fnv(h, &pid, sizeof(pid));
				h = fnv(h, &t->v[i].starttime,
					sizeof(t->v[i].starttime));
			}
	return h;
}

static const char *dir_override;

void actcache_set_dir(const char *path)
{
	dir_override = path;
}

/* Our own directory: created 0700, refused unless ours and private.
 * Root's in /run; a user's in their runtime directory, which with file
 * capabilities is /run/user/UID (main() drops XDG_RUNTIME_DIR then): the
 * cache is read and written with no capability effective (below), as the
 * user could do it themselves. */
static int open_dir(int *ret_fd)
{
	_cleanup_free_ char *path = NULL;
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	_cleanup_close_ int fd = -1;
	struct stat st;
	int r;

	if (dir_override)
		r = (path = strdup(dir_override)) ? 0 : -1;
	else if (geteuid() == 0)
		r = (path = strdup("/run/turtlecap")) ? 0 : -1;
	else if (xdg && xdg[0] == '/')
		r = asprintf(&path, "%s/turtlecap", xdg);
	else
		r = asprintf(&path, "/run/user/%u/turtlecap",
			     (unsigned)getuid());
	if (r < 0 || !path)
		return -ENOMEM;
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return negerrno();
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return negerrno();
	if (fstat(fd, &st) < 0)
		return negerrno();
	if (st.st_uid != geteuid() || (st.st_mode & 077)) {
		log_warning("%s: not private to uid %u, cache not used", path,
			    (unsigned)geteuid());
		return -EPERM;
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

static void file_name(uint64_t key, char *buf, size_t len)
{
	snprintf(buf, len, "act-%016llx.cache", (unsigned long long)key);
}

/* "~" is NULL (sbuf_put_value never writes a lone '~'). */
static void put_field(struct sbuf *sb, const char *s)
{
	sbuf_putc(sb, ' ');
	if (s && *s)
		sbuf_put_value(sb, s);
	else
		sbuf_putc(sb, '~');
}

static int store(const struct proc_table *t, const struct engine_endpoint *ep,
		 size_t index, const struct container_list *cl,
		 const struct engine_info *info)
{
	uint64_t key = actcache_key(ep);
	_cleanup_close_ int dir = -1, fd = -1;
	char name[64], tmp[80];
	struct sbuf sb = { 0 };
	int r;

	r = open_dir(&dir);
	if (r < 0)
		return r;
	sbuf_printf(&sb, "%s\nwatch %llx\nengine", MAGIC,
		    (unsigned long long)actcache_watch_hash(t, ep));
	put_field(&sb, info->version);
	put_field(&sb, info->api_version);
	sbuf_putc(&sb, '\n');
	for (size_t i = 0; i < cl->n; i++) {
		const struct container *c = &cl->v[i];
		const struct proc_entry *p = proc_table_find(t, c->pid);

		if (c->endpoint != index)
			continue;
		if (!p) /* its process is in no table we know: no entry */
			goto fail;
		sbuf_printf(&sb, "ctr %d %d %llu %d", (int)c->engine_pid,
			    (int)c->pid, (unsigned long long)p->starttime,
			    c->infra ? 1 : 0);
		put_field(&sb, c->name);
		put_field(&sb, c->id);
		put_field(&sb, c->image);
		put_field(&sb, c->state);
		put_field(&sb, c->netmode);
		put_field(&sb, c->pod);
		put_field(&sb, c->pod_namespace);
		sbuf_putc(&sb, '\n');
	}
	if (sb.oom || !sb.s) {
		r = -ENOMEM;
		goto out;
	}
	file_name(key, name, sizeof(name));
	snprintf(tmp, sizeof(tmp), "%s.%d", name, (int)getpid());
	/* a new file: nothing left there under this name is written to */
	unlinkat(dir, tmp, 0);
	fd = openat(dir, tmp,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		r = negerrno();
		goto out;
	}
	r = write_all(fd, sb.s, sb.len);
	if (r == 0 && renameat(dir, tmp, dir, name) < 0)
		r = negerrno();
	if (r < 0)
		unlinkat(dir, tmp, 0);
out:
	sbuf_free(&sb);
	return r;
fail:
	sbuf_free(&sb);
	file_name(key, name, sizeof(name));
	unlinkat(dir, name, 0);
	return -ESRCH;
}

struct loader {
	const struct proc_table *t;
	const struct engine_endpoint *ep;
	size_t index;
	struct container_list *out;
	struct engine_info *info;
	int line;
	bool valid;
};

/* Split the rest of a line into at most max space-separated fields. */
static size_t split(char *s, char **f, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		f[n++] = s;
		s += strcspn(s, " ");
		if (*s)
			*s++ = '\0';
	}
	return *s ? max + 1 : n;
}

static int field(const char *s, char **ret)
{
	*ret = NULL;
	if (strcmp(s, "~") == 0)
		return 0;
	return value_unescape(s, strlen(s), ret);
}

static int load_line(const char *line, const char *end, void *userdata)
{
	struct loader *ld = userdata;
	char buf[4096], *f[12];
	size_t len = (size_t)(end - line), n;

	if (!ld->valid)
		return -EINVAL;
	if (len >= sizeof(buf))
		goto bad;
	memcpy(buf, line, len);
	buf[len] = '\0';
	n = split(buf, f, ELEMENTSOF(f));
	if (ld->line++ == 0)
		return 0; /* the magic, checked before */
	if (n == 2 && strcmp(f[0], "watch") == 0) {
		char want[32];

		snprintf(
			want, sizeof(want), "%llx",
			(unsigned long long)actcache_watch_hash(ld->t, ld->ep));
		if (strcmp(f[1], want) != 0) {
			log_debug("activator cache: containers changed");
			goto bad;
		}
		return 0;
	}
	if (n == 3 && strcmp(f[0], "engine") == 0) {
		if (field(f[1], &ld->info->version) < 0 ||
		    field(f[2], &ld->info->api_version) < 0)
			goto bad;
		return 0;
	}
	if (n == 12 && strcmp(f[0], "ctr") == 0) {
		struct container c = { .endpoint = ld->index, .parent = -1 };
		const struct proc_entry *p;
		uint64_t start;
		int epid, pid, infra;
		struct container *v;

		if (parse_int(f[1], &epid) < 0 || parse_int(f[2], &pid) < 0 ||
		    parse_u64(f[3], &start) < 0 || parse_int(f[4], &infra) < 0)
			goto bad;
		p = proc_table_find(ld->t, pid);
		if (!p || p->starttime != start) {
			log_debug("activator cache: pid %d is gone", pid);
			goto bad;
		}
		c.engine_pid = epid;
		c.pid = pid;
		c.infra = infra == 1;
		if (field(f[5], &c.name) < 0 || field(f[6], &c.id) < 0 ||
		    field(f[7], &c.image) < 0 || field(f[8], &c.state) < 0 ||
		    field(f[9], &c.netmode) < 0 || field(f[10], &c.pod) < 0 ||
		    field(f[11], &c.pod_namespace) < 0 || !c.name) {
			container_clear(&c);
			goto bad;
		}
		v = grow_array(ld->out->v, &ld->out->cap, ld->out->n,
			       sizeof(*v), 8);
		if (!v) {
			container_clear(&c);
			return -ENOMEM;
		}
		ld->out->v = v;
		v[ld->out->n++] = c;
		return 0;
	}
bad:
	ld->valid = false;
	return -EINVAL;
}

static int load(const struct proc_table *t, const struct engine_endpoint *ep,
		size_t index, struct container_list *out,
		struct engine_info *info)
{
	uint64_t key = actcache_key(ep);
	_cleanup_close_ int dir = -1;
	_cleanup_free_ char *text = NULL;
	struct container_list l = { 0 };
	struct engine_info ei = { 0 };
	struct loader ld = { t, ep, index, &l, &ei, 0, true };
	char name[64];
	int r;

	if (open_dir(&dir) < 0)
		return 0;
	file_name(key, name, sizeof(name));
	/* the directory is private: no one else planted a link there */
	r = read_file_at(dir, name, ACTCACHE_MAX, &text, NULL);
	if (r < 0 || strncmp(text, MAGIC "\n", strlen(MAGIC) + 1) != 0)
		return 0;
	r = for_each_line(text, load_line, &ld);
	if (r == -ENOMEM || !ld.valid || ld.line < 3) {
		container_list_clear(&l);
		engine_info_clear(&ei);
		return r == -ENOMEM ? r : 0;
	}
	*out = l;
	*info = ei;
	return 1;
}

/* The cache's files are opened with no capability effective: the caller
 * may hold CAP_DAC_OVERRIDE (it is opening engine sockets), and a user's
 * directory is theirs to fill with links. */
int actcache_store(const struct proc_table *t, const struct engine_endpoint *ep,
		   size_t index, const struct container_list *cl,
		   const struct engine_info *info)
{
	uint64_t had = caps_suspend(CAPS_ALL);
	int r = store(t, ep, index, cl, info);

	caps_raise(had);
	return r;
}

int actcache_load(const struct proc_table *t, const struct engine_endpoint *ep,
		  size_t index, struct container_list *out,
		  struct engine_info *info)
{
	uint64_t had = caps_suspend(CAPS_ALL);
	int r = load(t, ep, index, out, info);

	caps_raise(had);
	return r;
}
