/* SPDX-License-Identifier: MIT */
#include "engine.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "rootpath.h"
#include "util.h"

void container_clear(struct container *c)
{
	free(c->name);
	free(c->id);
	free(c->image);
	free(c->state);
	free(c->netmode);
	free(c->pod);
	free(c->pod_namespace);
	*c = (struct container){ 0 };
}

void container_list_clear(struct container_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		container_clear(&l->v[i]);
	free(l->v);
	*l = (struct container_list){ 0 };
}

void engine_info_clear(struct engine_info *e)
{
	free(e->version);
	free(e->api_version);
	free(e->msg);
	*e = (struct engine_info){ 0 };
}

void engine_result_clear(struct engine_result *r)
{
	for (size_t i = 0; r->info && i < r->endpoints.n; i++)
		engine_info_clear(&r->info[i]);
	free(r->info);
	endpoint_list_clear(&r->endpoints);
	container_list_clear(&r->containers);
	*r = (struct engine_result){ 0 };
}

/*
 * The module: next to the executable (build tree, personal installs), else
 * in the installed library folder. Both are as trusted as the executable
 * itself; no environment variable can redirect it.
 */
static engine_module_fn load_module(void)
{
	static engine_module_fn fn;
	static bool tried;
	char exe[PATH_MAX], path[PATH_MAX + 64];
	void *h = NULL;
	ssize_t n;

	if (tried)
		return fn;
	tried = true;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		snprintf(path, sizeof(path), "%s/turtlecap-engines.so",
			 dirname(exe));
		h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	}
	if (!h)
		h = dlopen(TURTLECAP_MODULE_DIR "/turtlecap-engines.so",
			   RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		log_warning("cannot load the engines module: %s", dlerror());
		return NULL;
	}
	*(void **)&fn = dlsym(h, ENGINE_MODULE_SYMBOL);
	if (!fn)
		log_warning("engines module lacks %s", ENGINE_MODULE_SYMBOL);
	return fn;
}

struct job {
	const struct engine_ops *ops;
	char sock[64];
	size_t index;
	struct container_list out;
	struct engine_info *info;
	int fd;
	pthread_t th;
	bool started;
};

static void *job_run(void *arg)
{
	struct job *j = arg;

	j->info->err = j->ops->list(j->sock, j->index, &j->out, j->info);
	return NULL;
}

/* Host pid and netns of a container of a host-level engine. */
static void locate(const char *procfs, struct container *c)
{
	char path[128];
	struct stat st;

	c->pid = c->engine_pid;
	snprintf(path, sizeof(path), "%s/%d/ns/net", procfs, (int)c->pid);
	if (stat(path, &st) == 0)
		c->netns = st.st_ino;
}

static bool same_pidns(const char *procfs, pid_t pid)
{
	char a[128], b[128];
	struct stat sa, sb;

	snprintf(a, sizeof(a), "%s/%d/ns/pid", procfs, (int)pid);
	snprintf(b, sizeof(b), "%s/self/ns/pid", procfs);
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_ino == sb.st_ino;
}

int engine_discover(const char *procfs, const struct proc_table *t,
		    struct engine_result *ret)
{
	struct engine_result res = { 0 };
	struct job *jobs = NULL;
	engine_module_fn fn;
	int r;

	r = finder_scan(procfs, t, &res.endpoints);
	if (r < 0)
		return r;
	if (res.endpoints.n == 0) {
		*ret = res;
		return 0;
	}
	res.info = calloc(res.endpoints.n, sizeof(*res.info));
	jobs = calloc(res.endpoints.n, sizeof(*jobs));
	if (!res.info || !jobs) {
		r = -ENOMEM;
		goto out;
	}
	fn = load_module();
	for (size_t i = 0; i < res.endpoints.n; i++) {
		const struct engine_endpoint *ep = &res.endpoints.v[i];
		struct job *j = &jobs[i];

		j->fd = -1;
		j->index = i;
		j->info = &res.info[i];
		j->ops = fn ? fn(ep->kind) : NULL;
		if (!j->ops) {
			j->info->err = -EOPNOTSUPP;
			continue;
		}
		r = finder_open_endpoint(procfs, ep, &j->fd);
		if (r < 0) {
			j->info->err = r;
			continue;
		}
		rootpath_fd_path(j->fd, j->sock, sizeof(j->sock));
		/* one thread per engine: a hanging one costs its own
		 * timeouts, not the others' */
		if (pthread_create(&j->th, NULL, job_run, j) == 0)
			j->started = true;
		else
			job_run(j);
	}
	r = 0;
	for (size_t i = 0; i < res.endpoints.n; i++) {
		struct job *j = &jobs[i];
		const struct engine_endpoint *ep = &res.endpoints.v[i];
		bool host_level;

		if (j->started)
			pthread_join(j->th, NULL);
		closep(&j->fd);
		if (j->info->err < 0 && j->info->err != -EOPNOTSUPP)
			log_warning("%s engine at %s: %s",
				    engine_kind_name(ep->kind), ep->path,
				    j->info->msg ? j->info->msg
						 : strerror(-j->info->err));
		host_level = ep->root_pid == 0 || same_pidns(procfs, ep->pid);
		for (size_t k = 0; k < j->out.n; k++) {
			struct container *c = &j->out.v[k], *v;

			if (!host_level) {
				/* nested engines: pid translation comes with
				 * NSpid support */
				container_clear(c);
				continue;
			}
			locate(procfs, c);
			v = grow_array(res.containers.v, &res.containers.cap,
				       res.containers.n, sizeof(*v), 16);
			if (!v) {
				container_clear(c);
				r = -ENOMEM;
				continue;
			}
			res.containers.v = v;
			v[res.containers.n++] = *c;
			*c = (struct container){ 0 };
		}
		container_list_clear(&j->out);
	}
out:
	free(jobs);
	if (r < 0) {
		engine_result_clear(&res);
		return r;
	}
	*ret = res;
	return 0;
}
