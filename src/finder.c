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

const char *engine_kind_name(enum engine_kind kind)
{
	static const char *const names[] = { "docker", "podman", "containerd",
					     "cri-o" };

	return (unsigned)kind < ELEMENTSOF(names) ? names[kind] : "?";
}

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

static int scan_daemon(const char *procfs, const struct finder_spec *spec,
		       const struct proc_entry *p, struct endpoint_list *l)
{
	struct unixsock_list socks = { 0 };
	int r, found = 0;

	r = unixsock_of_process(procfs, p->pid, &socks);
	if (r < 0)
		return proc_gone(r) ? 0 : r;
	for (size_t i = 0; i < socks.n; i++) {
		if (!is_api_socket(spec, socks.v[i].path))
			continue;
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
				uint32_t uid;
				char path[512];

				if (parse_u32(de->d_name, &uid) < 0)
					continue;
				snprintf(path, sizeof(path), "%.*s%u%s",
					 (int)(pct - *s), *s, uid, pct + 2);
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
static int scan_activator(const char *procfs, const struct proc_entry *p,
			  struct endpoint_list *l)
{
	struct unixsock_list socks = { 0 };
	int r;

	r = unixsock_of_process(procfs, p->pid, &socks);
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

int finder_scan(const char *procfs, const struct proc_table *t,
		struct endpoint_list *ret)
{
	struct endpoint_list l = { 0 };
	int r = 0;

	for (size_t i = 0; r >= 0 && i < t->n; i++)
		for (const struct finder_spec *s = finder_specs; s->comm; s++)
			if (strcmp(t->v[i].comm, s->comm) == 0) {
				r = scan_daemon(procfs, s, &t->v[i], &l);
				break;
			}
	for (size_t i = 0; r >= 0 && i < t->n; i++)
		if (config_list_has("activators", t->v[i].comm))
			r = scan_activator(procfs, &t->v[i], &l);
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
