/* SPDX-License-Identifier: MIT */
#include "finder.h"

#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include "config.h"
#include "log.h"
#include "rootpath.h"
#include "unixsock.h"
#include "util.h"

static const char *const docker_sockets[] = { "/run/docker.sock",
					      "/var/run/docker.sock", NULL };
static const char *const podman_sockets[] = { "/run/podman/podman.sock",
					      "/run/user/%u/podman/podman.sock",
					      NULL };
static const char *const containerd_sockets[] = {
	"/run/containerd/containerd.sock",
	"/run/docker/containerd/containerd.sock", NULL
};
static const char *const crio_sockets[] = { "/run/crio/crio.sock", NULL };

/* The engines we look for: process name, kind, well-known sockets. */
const struct finder_spec finder_specs[] = {
	{ "dockerd", ENGINE_DOCKER, docker_sockets },
	{ "podman", ENGINE_PODMAN, podman_sockets },
	{ "containerd", ENGINE_CONTAINERD, containerd_sockets },
	{ "crio", ENGINE_CRIO, crio_sockets },
	{ NULL, 0, NULL },
};

void endpoint_list_clear(struct endpoint_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	free(l->alias);
	*l = (struct endpoint_list){ 0 };
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* Container monitors: every container of containerd (dockerd's too) and
 * of podman runs under one. */
static bool is_monitor(const char *comm)
{
	return strncmp(comm, "containerd-shim", 15) == 0 ||
	       strcmp(comm, "conmon") == 0;
}

pid_t finder_monitor_of(const struct proc_table *t, pid_t pid)
{
	const struct proc_entry *p = proc_table_find(t, pid);

	for (int steps = 0; p && p->ppid > 0 && steps < 4096; steps++) {
		p = proc_table_find(t, p->ppid);
		if (p && is_monitor(p->comm))
			return p->pid;
	}
	return 0;
}

bool finder_below(const struct proc_table *t, pid_t pid, pid_t root)
{
	const struct proc_entry *p = proc_table_find(t, pid);

	for (int steps = 0; p && p->ppid > 0 && steps < 4096; steps++) {
		if (p->ppid == root)
			return true;
		p = proc_table_find(t, p->ppid);
	}
	return false;
}

/* Cgroup path components that only containers' processes are in
 * (cgroupfs and systemd drivers of docker, podman, CRI-O, containerd's
 * CRI, Kubernetes, LXC). */
static const char *const container_cgroups[] = {
	"/docker/",  "/docker-",      "/libpod-", "/crio-", "/cri-containerd-",
	"/kubepods", "/lxc.payload.", "/lxc/",	  NULL,
};

/* The path of hierarchy line "ID:CONTROLLERS:PATH" with the given
 * "ID:CONTROLLERS:" prefix in a /proc/PID/cgroup text, or NULL. */
static const char *cgroup_path(const char *text, const char *prefix,
			       size_t plen, size_t *ret_len)
{
	for (const char *l = text; l && *l;) {
		const char *end = strchrnul(l, '\n');

		if ((size_t)(end - l) >= plen && memcmp(l, prefix, plen) == 0) {
			*ret_len = (size_t)(end - l) - plen;
			return l + plen;
		}
		l = *end ? end + 1 : NULL;
	}
	return NULL;
}

/* Whether pid's cgroup, below the part it shares with ours, is a
 * container's (turtlecap itself may run in one: what it shares with us
 * says nothing). Unreadable: no. */
static bool in_container_cgroup(const char *procfs, pid_t pid)
{
	_cleanup_free_ char *path = NULL, *theirs = NULL, *ours = NULL;
	bool hit = false;

	if (asprintf(&path, "%s/%d/cgroup", procfs, (int)pid) < 0)
		return false;
	if (read_file_at(AT_FDCWD, path, 64 << 10, &theirs, NULL) < 0)
		return false;
	free(path);
	if (asprintf(&path, "%s/self/cgroup", procfs) < 0)
		path = NULL;
	else if (read_file_at(AT_FDCWD, path, 64 << 10, &ours, NULL) < 0)
		ours = NULL;
	for (const char *l = theirs; !hit && l && *l;) {
		const char *end = strchrnul(l, '\n'),
			   *c1 = memchr(l, ':', (size_t)(end - l));
		const char *c2 =
			c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
		const char *mine = NULL, *rest;
		size_t mlen = 0, skip = 0, len;
		char buf[4096];

		if (c2) {
			rest = c2 + 1;
			len = (size_t)(end - rest);
			if (ours)
				mine = cgroup_path(ours, l, (size_t)(rest - l),
						   &mlen);
			/* the common prefix, to a component's end */
			for (size_t k = 0;
			     mine && k < len && k < mlen && rest[k] == mine[k];
			     k++)
				if (rest[k] == '/')
					skip = k;
			len -= skip;
			if (len >= sizeof(buf) - 1)
				len = sizeof(buf) - 2;
			memcpy(buf, rest + skip, len);
			buf[len] = '/'; /* so ".../docker/ID" ends like a dir */
			buf[len + 1] = '\0';
			for (const char *const *pat = container_cgroups;
			     !hit && *pat; pat++)
				hit = strstr(buf, *pat) != NULL;
		}
		l = *end ? end + 1 : NULL;
	}
	return hit;
}

enum engine_trust finder_trust(const char *procfs, const struct proc_table *t,
			       pid_t pid)
{
	_cleanup_close_ int self = -1, dir = -1;
	struct proc_ns ours = { 0 }, theirs = { 0 };
	char path[128];

	if (pid <= 0)
		return ENGINE_TRUST_NESTED;
	snprintf(path, sizeof(path), "%s/self", procfs);
	self = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	snprintf(path, sizeof(path), "%s/%d", procfs, (int)pid);
	dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	/* namespaces we cannot read prove nothing */
	if (self < 0 || dir < 0 || proc_read_ns(self, &ours, NULL) < 0 ||
	    proc_read_ns(dir, &theirs, NULL) < 0 || !theirs.mnt ||
	    theirs.mnt != ours.mnt || theirs.pid != ours.pid ||
	    theirs.user != ours.user)
		return ENGINE_TRUST_NESTED;
	if (finder_monitor_of(t, pid) || in_container_cgroup(procfs, pid))
		return ENGINE_TRUST_NESTED;
	return ENGINE_TRUST_HOST;
}

/* Who listen()ed on the socket file fd (O_PATH): connect and ask the
 * kernel. The path proves nothing (a container may swap it for a
 * symlink to a socket it mounted); the answering process does. */
static int socket_peer(int fd, pid_t *ret)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_usec = 200000 };
	struct ucred cr;
	socklen_t len = sizeof(cr);
	_cleanup_close_ int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return negerrno();
	rootpath_fd_path(fd, sa.sun_path, sizeof(sa.sun_path));
	/* a full backlog blocks a unix connect for this long at most */
	(void)setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return negerrno();
	*ret = cr.pid;
	return 0;
}

/* A listening socket is the engine's API if its name is one of the
 * well-known names of that engine (dockerd also listens on libnetwork
 * and metrics sockets, which are not its API). */
static bool is_api_socket(const struct finder_spec *spec, const char *path)
{
	for (const char *const *s = spec->sockets; *s; s++)
		if (strcmp(base_name(*s), base_name(path)) == 0)
			return true;
	return false;
}

/* Who claims a socket file: the daemon or activator holding a listening
 * socket bound there, or nobody (a well-known path). */
struct claim {
	pid_t pid;	/* the daemon; 0 = none (yet) */
	pid_t root_pid; /* whose root the path lives in; 0 = ours */
	enum engine_trust trust;
	pid_t monitor;	   /* nested: its container's monitor, 0 = none */
	uint64_t listener; /* the listening socket it holds; 0 = none */
};

/* Whether the process that listens on the socket file reached (peer) is
 * the claiming daemon, or for the host's, a process it inherited the
 * socket from (a socket unit: systemd listens, dockerd -H fd:// holds),
 * or for a nested one, another process of its own container. */
static bool claim_owns(const struct proc_table *t, const struct claim *c,
		       pid_t peer)
{
	if (peer == c->pid)
		return true;
	if (c->trust == ENGINE_TRUST_HOST)
		return peer == 0 || finder_below(t, c->pid, peer);
	return peer > 0 && c->monitor && finder_below(t, peer, c->monitor);
}

static uint64_t starttime_of(const struct proc_table *t, pid_t pid)
{
	const struct proc_entry *p = proc_table_find(t, pid);

	return p ? p->starttime : UINT64_MAX;
}

/* Two daemons hold a socket bound to one file: the one that listens on
 * it wins, then the more trusted, then the earlier started; never the
 * first found (the scan follows pid order, which a container picks). */
static bool claim_better(const struct proc_table *t, const struct claim *c,
			 const struct engine_endpoint *v)
{
	bool c_owner = c->pid == v->peer, v_owner = v->pid == v->peer;
	uint64_t cs = starttime_of(t, c->pid), vs = starttime_of(t, v->pid);

	if (c_owner != v_owner)
		return c_owner;
	if (c->trust != v->trust)
		return c->trust < v->trust;
	if (cs != vs)
		return cs < vs;
	return c->pid < v->pid;
}

static void take_claim(struct engine_endpoint *v, const struct claim *c)
{
	v->pid = c->pid;
	v->root_pid = c->root_pid;
	v->trust = c->trust;
	v->listener = c->listener;
}

static int add_endpoint(const char *procfs, const struct proc_table *t,
			struct endpoint_list *l, enum engine_kind kind,
			const struct claim *cl, const char *path,
			struct engine_endpoint **ret_ep)
{
	_cleanup_close_ int root = -1, fd = -1;
	uint64_t dev, ino;
	struct engine_endpoint *v;
	pid_t pid = cl->pid, peer = 0;
	int r;

	r = rootpath_open_root(procfs, cl->root_pid, &root);
	if (r < 0)
		return r;
	r = rootpath_resolve(root, path, &fd);
	if (r < 0)
		return r;
	r = rootpath_socket_id(fd, &dev, &ino);
	if (r < 0)
		return r;
	/* a daemon's bound path is only a name: the socket reached must be
	 * one it listens on (one connect per socket a daemon holds) */
	if (pid > 0) {
		r = socket_peer(fd, &peer);
		if (r < 0)
			return r;
		if (!claim_owns(t, cl, peer)) {
			log_info(
				"%s pid %d: %s leads to a socket that pid %d listens on, not its own: ignored",
				engine_kind_name(kind), (int)pid, path,
				(int)peer);
			return -EPERM;
		}
	}
	for (size_t i = 0; i < l->n_alias; i++)
		if (l->alias[i].dev == dev && l->alias[i].ino == ino)
			return 0;
	for (size_t i = 0; i < l->n; i++) {
		/* one daemon listening on several sockets is one engine;
		 * remember this socket so a well-known path to it merges */
		if (pid > 0 && l->v[i].pid == pid && l->v[i].kind == kind) {
			struct endpoint_sockid *a =
				grow_array(l->alias, &l->cap_alias, l->n_alias,
					   sizeof(*a), 4);

			if (!a)
				return -ENOMEM;
			l->alias = a;
			a[l->n_alias++] = (struct endpoint_sockid){ dev, ino };
			return 0;
		}
		if (l->v[i].sock_dev != dev || l->v[i].sock_ino != ino)
			continue;
		/* the same engine through another path: keep the
		 * one that knows its daemon */
		if (!l->v[i].pid && pid) {
			take_claim(&l->v[i], cl);
			l->v[i].peer = peer;
		} else if (pid && l->v[i].pid != pid) {
			bool better = claim_better(t, cl, &l->v[i]);

			log_info(
				"%s pids %d and %d claim one socket: pid %d kept",
				engine_kind_name(kind), (int)l->v[i].pid,
				(int)pid, (int)(better ? pid : l->v[i].pid));
			if (better) {
				char *p = strdup(path);

				if (!p)
					return -ENOMEM;
				free(l->v[i].path);
				l->v[i].path = p;
				take_claim(&l->v[i], cl);
			}
		}
		if (ret_ep)
			*ret_ep = &l->v[i];
		return 0;
	}
	v = grow_array(l->v, &l->cap, l->n, sizeof(*v), 8);
	if (!v)
		return -ENOMEM;
	l->v = v;
	v[l->n] = (struct engine_endpoint){ .kind = kind,
					    .path = strdup(path),
					    .sock_dev = dev,
					    .sock_ino = ino,
					    .peer = peer };
	take_claim(&v[l->n], cl);
	if (!v[l->n].path)
		return -ENOMEM;
	if (ret_ep)
		*ret_ep = &v[l->n];
	l->n++;
	log_debug("engine %s: pid %d, socket %s (root of pid %d), %s",
		  engine_kind_name(kind), (int)pid, path, (int)cl->root_pid,
		  cl->trust == ENGINE_TRUST_HOST ? "host" : "nested");
	return 1;
}

/* The listening sockets with an engine's API name, per network
 * namespace: read once for all the daemons there. */
struct netns_socks {
	uint64_t netns;
	struct unixsock_list api;
};

struct finder_scan_state {
	const char *procfs;
	const struct proc_table *t;
	struct netns_socks *v;
	size_t n, cap;
};

static bool is_any_api_socket(const char *path)
{
	for (const struct finder_spec *s = finder_specs; s->comm; s++)
		if (is_api_socket(s, path))
			return true;
	return false;
}

static int api_sockets_of(struct finder_scan_state *st,
			  const struct proc_entry *p,
			  const struct netns_socks **ret)
{
	struct unixsock_list all = { 0 };
	struct netns_socks *e;
	int r;

	for (size_t i = 0; i < st->n; i++)
		if (p->ns.net && st->v[i].netns == p->ns.net) {
			*ret = &st->v[i];
			return 0;
		}
	r = unixsock_listening(st->procfs, p->pid, &all);
	if (r < 0)
		return r; /* not kept: another process there may do */
	e = grow_array(st->v, &st->cap, st->n, sizeof(*e), 4);
	if (!e) {
		unixsock_list_clear(&all);
		return -ENOMEM;
	}
	st->v = e;
	e = &st->v[st->n++];
	/* unknown netns (0): never shared */
	*e = (struct netns_socks){ .netns = p->ns.net };
	for (size_t i = 0; i < all.n; i++) {
		struct unixsock *v;

		if (!is_any_api_socket(all.v[i].path))
			continue;
		v = grow_array(e->api.v, &e->api.cap, e->api.n, sizeof(*v), 4);
		if (!v) {
			unixsock_list_clear(&all);
			return -ENOMEM;
		}
		e->api.v = v;
		e->api.v[e->api.n++] = all.v[i];
		all.v[i].path = NULL; /* moved */
	}
	unixsock_list_clear(&all);
	*ret = e;
	return 0;
}

static void scan_state_clear(struct finder_scan_state *st)
{
	for (size_t i = 0; i < st->n; i++)
		unixsock_list_clear(&st->v[i].api);
	free(st->v);
}

/*
 * The API sockets of spec (NULL: of any engine) among the listening
 * sockets of p's network namespace that p holds: only those candidates
 * are looked for among p's descriptors, and the looking stops once all
 * are found.
 */
static int held_api_sockets(struct finder_scan_state *st,
			    const struct finder_spec *spec,
			    const struct proc_entry *p,
			    struct unixsock_list *ret)
{
	const struct netns_socks *ns = NULL;
	struct unixsock_list want = { 0 };
	_cleanup_free_ bool *held = NULL;
	int r;

	r = api_sockets_of(st, p, &ns);
	if (r < 0)
		return r;
	/* borrowed entries: want owns its array, not the paths */
	want.v = calloc(ns->api.n + 1, sizeof(*want.v));
	held = calloc(ns->api.n + 1, sizeof(*held));
	if (!want.v || !held) {
		free(want.v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < ns->api.n; i++)
		if (!spec || is_api_socket(spec, ns->api.v[i].path))
			want.v[want.n++] = ns->api.v[i];
	if (want.n)
		r = unixsock_held(st->procfs, p->pid, &want, held);
	*ret = (struct unixsock_list){ 0 };
	for (size_t i = 0; r >= 0 && i < want.n; i++) {
		struct unixsock *v;

		if (!held[i])
			continue;
		v = grow_array(ret->v, &ret->cap, ret->n, sizeof(*v), 4);
		if (!v) {
			r = -ENOMEM;
			break;
		}
		ret->v = v;
		ret->v[ret->n] = want.v[i];
		ret->v[ret->n].path = strdup(want.v[i].path);
		if (!ret->v[ret->n++].path)
			r = -ENOMEM;
	}
	free(want.v);
	if (r < 0)
		unixsock_list_clear(ret);
	return r;
}

static int scan_daemon(struct finder_scan_state *st,
		       const struct finder_spec *spec,
		       const struct proc_entry *p, struct endpoint_list *l)
{
	const char *procfs = st->procfs;
	struct unixsock_list socks = { 0 };
	struct claim cl = { .pid = p->pid, .root_pid = p->pid };
	int r, found = 0;

	r = held_api_sockets(st, spec, p, &socks);
	if (r < 0)
		return proc_gone(r) ? 0 : r;
	if (socks.n) {
		cl.trust = finder_trust(procfs, st->t, p->pid);
		cl.monitor = finder_monitor_of(st->t, p->pid);
	}
	for (size_t i = 0; i < socks.n; i++) {
		cl.listener = socks.v[i].inode;
		r = add_endpoint(procfs, st->t, l, spec->kind, &cl,
				 socks.v[i].path, NULL);
		if (r == -ENOMEM)
			break;
		if (r < 0)
			log_debug("%s pid %d: %s: %s", spec->comm, (int)p->pid,
				  socks.v[i].path, strerror(-r));
		else
			found++;
	}
	unixsock_list_clear(&socks);
	return r == -ENOMEM ? r : found;
}

static int scan_well_known(const char *procfs, const struct proc_table *t,
			   const struct finder_spec *spec,
			   struct endpoint_list *l)
{
	const struct claim none = { 0 };

	for (const char *const *s = spec->sockets; *s; s++) {
		const char *pct = strstr(*s, "%u");

		if (!pct) {
			if (add_endpoint(procfs, t, l, spec->kind, &none, *s,
					 NULL) == -ENOMEM)
				return -ENOMEM;
			continue;
		}
		/* per-user sockets: every /run/user/UID */
		{
			_cleanup_closedir_ DIR *d = opendir("/run/user");
			struct dirent *de;

			while (d && (de = readdir(d))) {
				_cleanup_free_ char *path = NULL;
				uint32_t uid;

				if (parse_u32(de->d_name, &uid) < 0)
					continue;
				if (asprintf(&path, "%.*s%u%s", (int)(pct - *s),
					     *s, uid, pct + 2) < 0) {
					path = NULL;
					return -ENOMEM;
				}
				if (add_endpoint(procfs, t, l, spec->kind,
						 &none, path, NULL) == -ENOMEM)
					return -ENOMEM;
			}
		}
	}
	return 0;
}

/*
 * A socket activator (systemd's podman.socket, docker.socket) keeps the
 * listening socket while the engine sleeps. Its sockets with an engine's
 * well-known name are that engine; when a running daemon holds the same
 * socket file it merged above, else the endpoint has no daemon (pid 0)
 * until a query wakes it.
 */
static int scan_activator(struct finder_scan_state *st,
			  const struct proc_entry *p, struct endpoint_list *l)
{
	const char *procfs = st->procfs;
	struct unixsock_list socks = { 0 };
	struct claim cl = { .root_pid = p->pid };
	int r;

	r = held_api_sockets(st, NULL, p, &socks);
	if (r < 0)
		return proc_gone(r) ? 0 : r;
	if (socks.n) {
		cl.trust = finder_trust(procfs, st->t, p->pid);
		cl.monitor = finder_monitor_of(st->t, p->pid);
	}
	for (size_t i = 0; i < socks.n; i++) {
		for (const struct finder_spec *s = finder_specs; s->comm; s++) {
			struct engine_endpoint *ep = NULL;

			if (!is_api_socket(s, socks.v[i].path))
				continue;
			cl.listener = socks.v[i].inode;
			r = add_endpoint(procfs, st->t, l, s->kind, &cl,
					 socks.v[i].path, &ep);
			if (r == -ENOMEM)
				goto out;
			if (r < 0)
				log_debug("activator %s pid %d: %s: %s",
					  p->comm, (int)p->pid, socks.v[i].path,
					  strerror(-r));
			/* not connected to (that would wake it): an
			 * activator is one of a running daemon only if it
			 * holds the very listening socket the daemon does,
			 * and of the more trusted of two */
			if (ep && ep->pid && ep->listener != cl.listener) {
				log_info(
					"activator %s pid %d: %s is not the socket its daemon pid %d holds: ignored",
					p->comm, (int)p->pid, socks.v[i].path,
					(int)ep->pid);
				ep = NULL;
			}
			if (ep && ep->activator && !ep->pid &&
			    cl.trust < ep->trust) {
				char *path = strdup(socks.v[i].path);

				if (!path) {
					r = -ENOMEM;
					goto out;
				}
				free(ep->path);
				ep->path = path;
				ep->activator = 0;
				take_claim(ep, &cl);
			}
			if (ep && !ep->activator) {
				ep->activator = p->pid;
				ep->act_starttime = p->starttime;
				ep->act_sock = socks.v[i].inode;
			}
			break;
		}
	}
	r = 0;
out:
	unixsock_list_clear(&socks);
	return r;
}

bool finder_is_candidate(const char *comm)
{
	for (const struct finder_spec *s = finder_specs; s->comm; s++)
		if (strcmp(comm, s->comm) == 0)
			return true;
	return config_list_has("activators", comm);
}

int finder_scan(const char *procfs, const struct proc_table *t,
		struct endpoint_list *ret)
{
	struct finder_scan_state st = { .procfs = procfs, .t = t };
	struct endpoint_list l = { 0 };
	int r = 0;

	for (size_t i = 0; r >= 0 && i < t->n; i++)
		for (const struct finder_spec *s = finder_specs; s->comm; s++)
			if (strcmp(t->v[i].comm, s->comm) == 0) {
				r = scan_daemon(&st, s, &t->v[i], &l);
				break;
			}
	for (size_t i = 0; r >= 0 && i < t->n; i++)
		if (config_list_has("activators", t->v[i].comm))
			r = scan_activator(&st, &t->v[i], &l);
	scan_state_clear(&st);
	for (const struct finder_spec *s = finder_specs; r >= 0 && s->comm; s++)
		r = scan_well_known(procfs, t, s, &l);
	/* a socket nobody we know holds: judged by who answers on it */
	for (size_t i = 0; r >= 0 && i < l.n; i++) {
		struct engine_endpoint *ep = &l.v[i];
		_cleanup_close_ int fd = -1;

		if (ep->pid || ep->activator)
			continue;
		ep->trust = ENGINE_TRUST_HOST; /* our own root's */
		if (finder_open_endpoint(procfs, ep, &fd) >= 0 &&
		    socket_peer(fd, &ep->peer) >= 0 && ep->peer > 0)
			ep->trust = finder_trust(procfs, t, ep->peer);
	}
	if (r < 0) {
		endpoint_list_clear(&l);
		return r;
	}
	*ret = l;
	return (int)l.n;
}

int finder_open_endpoint(const char *procfs, const struct engine_endpoint *ep,
			 int *ret_fd)
{
	_cleanup_close_ int root = -1, fd = -1;
	uint64_t dev, ino;
	int r;

	r = rootpath_open_root(procfs, ep->root_pid, &root);
	if (r < 0)
		return r;
	r = rootpath_resolve(root, ep->path, &fd);
	if (r < 0)
		return r;
	r = rootpath_socket_id(fd, &dev, &ino);
	if (r < 0)
		return r;
	if (dev != ep->sock_dev || ino != ep->sock_ino)
		return -ESTALE;
	*ret_fd = TAKE_FD(fd);
	return 0;
}

pid_t finder_spawned_daemon(const char *procfs, const struct proc_table *t,
			    const struct engine_endpoint *ep)
{
	const char *comm = NULL;

	for (const struct finder_spec *s = finder_specs; s->comm; s++)
		if (s->kind == ep->kind)
			comm = s->comm;
	if (!ep->activator || !comm)
		return 0;
	/* peer credentials would name the activator: the daemon is the
	 * activator's child that holds the same listening socket */
	for (size_t i = 0; i < t->n; i++) {
		const struct proc_entry *p = &t->v[i];

		if (p->ppid == ep->activator && strcmp(p->comm, comm) == 0 &&
		    unixsock_held_by(procfs, p->pid, ep->act_sock) > 0)
			return p->pid;
	}
	return 0;
}
