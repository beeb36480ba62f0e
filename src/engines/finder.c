/* SPDX-License-Identifier: MIT */
#include "finder.h"

#include <fcntl.h>
#include <string.h>

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

static int add_endpoint(const char *procfs, struct endpoint_list *l,
			enum engine_kind kind, pid_t pid, pid_t root_pid,
			const char *path, struct engine_endpoint **ret_ep)
{
	_cleanup_close_ int root = -1, fd = -1;
	uint64_t dev, ino;
	struct engine_endpoint *v;
	int r;

	r = rootpath_open_root(procfs, root_pid, &root);
	if (r < 0)
		return r;
	r = rootpath_resolve(root, path, &fd);
	if (r < 0)
		return r;
	r = rootpath_socket_id(fd, &dev, &ino);
	if (r < 0)
		return r;
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
			l->v[i].pid = pid;
			l->v[i].root_pid = root_pid;
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
					    .pid = pid,
					    .root_pid = root_pid,
					    .path = strdup(path),
					    .sock_dev = dev,
					    .sock_ino = ino };
	if (!v[l->n].path)
		return -ENOMEM;
	if (ret_ep)
		*ret_ep = &v[l->n];
	l->n++;
	log_debug("engine %s: pid %d, socket %s (root of pid %d)",
		  engine_kind_name(kind), (int)pid, path, (int)root_pid);
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
	int r, found = 0;

	r = held_api_sockets(st, spec, p, &socks);
	if (r < 0)
		return proc_gone(r) ? 0 : r;
	for (size_t i = 0; i < socks.n; i++) {
		r = add_endpoint(procfs, l, spec->kind, p->pid, p->pid,
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

static int scan_well_known(const char *procfs, const struct finder_spec *spec,
			   struct endpoint_list *l)
{
	for (const char *const *s = spec->sockets; *s; s++) {
		const char *pct = strstr(*s, "%u");

		if (!pct) {
			if (add_endpoint(procfs, l, spec->kind, 0, 0, *s,
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
				if (add_endpoint(procfs, l, spec->kind, 0, 0,
						 path, NULL) == -ENOMEM)
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
	int r;

	r = held_api_sockets(st, NULL, p, &socks);
	if (r < 0)
		return proc_gone(r) ? 0 : r;
	for (size_t i = 0; i < socks.n; i++) {
		for (const struct finder_spec *s = finder_specs; s->comm; s++) {
			struct engine_endpoint *ep = NULL;

			if (!is_api_socket(s, socks.v[i].path))
				continue;
			r = add_endpoint(procfs, l, s->kind, 0, p->pid,
					 socks.v[i].path, &ep);
			if (r == -ENOMEM)
				goto out;
			if (r < 0)
				log_debug("activator %s pid %d: %s: %s",
					  p->comm, (int)p->pid, socks.v[i].path,
					  strerror(-r));
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
	struct finder_scan_state st = { .procfs = procfs };
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
		r = scan_well_known(procfs, s, &l);
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
