/* SPDX-License-Identifier: MIT */
#include "engine.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "actcache.h"
#include "caps.h"
#include "config.h"
#include "container.h"
#include "loader.h"
#include "log.h"
#include "rootpath.h"
#include "shims.h"
#include "util.h"

void engine_result_clear(struct engine_result *r)
{
	for (size_t i = 0; r->info && i < r->endpoints.n; i++)
		engine_info_clear(&r->info[i]);
	free(r->info);
	free(r->ep_container);
	endpoint_list_clear(&r->endpoints);
	container_list_clear(&r->containers);
	*r = (struct engine_result){ 0 };
}

/* What a job's thread touches is its own (out, info, fd, sock) or q's,
 * never the caller's: a thread the discovery stopped waiting for runs on
 * and the last of q's holders frees it. */
struct job {
	const struct engine_ops *ops;
	struct engine_hints hints;
	enum engine_kind kind;
	enum engine_trust trust; /* its endpoint's, for the other jobs */
	char sock[64];
	size_t index;
	struct container_list out;
	struct engine_info info; /* moved to the result if over in time */
	int fd;
	bool over;     /* under q->lock: answered, failed or never started */
	bool taken;    /* the caller's: over when it stopped waiting */
	bool run_here; /* no thread: the caller's runs it */
	bool cached;   /* out came from the activator cache */
	long ms;       /* how long the query took */
	struct engine_query *q;
	pthread_t th;
	bool joinable; /* th runs it: joined once over, else detached */
};

struct engine_query {
	const char *procfs;
	const struct proc_table *t;
	struct engine_result res;
	struct shim_index shims;
	struct job *jobs;
	size_t njobs;
	long budget_ms; /* each engine's, engine_budget_ms */
	pthread_mutex_t lock;
	pthread_cond_t done; /* CLOCK_MONOTONIC */
	/* under lock: the caller and each running job thread */
	unsigned refs;
	size_t running;
	/* the caller stopped waiting: the hints no longer read the
	 * caller's table nor other jobs' lists */
	bool abandoned;
	atomic_bool stop; /* abandoned, for the backends (engine_hints) */
	/* the shim index is built while the first queries are on their
	 * way: the hints wait for it */
	bool shims_ready;
	/* Docker jobs not done yet: containerd's "moby" waits for them */
	size_t docker_pending;
};

/* Wait for q->done (q->lock held) until deadline (CLOCK_MONOTONIC ms);
 * false once it has passed. */
static bool wait_until(struct engine_query *q, long long deadline)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline / 1000),
		.tv_nsec = (long)(deadline % 1000) * 1000000,
	};

	return pthread_cond_timedwait(&q->done, &q->lock, &ts) != ETIMEDOUT;
}

/* A job is over (answered, failed, or never started): a Docker job's
 * list is final, for hint_listed_elsewhere() to read. A thread's job
 * says so in the same breath as it stops running: the caller waits for
 * both. */
static void job_over(struct job *j, bool thread)
{
	struct engine_query *q = j->q;

	pthread_mutex_lock(&q->lock);
	j->over = true;
	if (j->kind == ENGINE_DOCKER && q->docker_pending)
		q->docker_pending--;
	if (thread)
		q->running--;
	pthread_cond_broadcast(&q->done);
	pthread_mutex_unlock(&q->lock);
}

static void engine_query_free(struct engine_query *q);

/* Drop one hold on q; the last frees it. */
static void engine_query_unref(struct engine_query *q)
{
	bool last;

	pthread_mutex_lock(&q->lock);
	last = --q->refs == 0;
	pthread_mutex_unlock(&q->lock);
	if (last)
		engine_query_free(q);
}

/* The engine's listing was cut by its budget: its line says so first
 * (what it kept is listed). */
static void budget_spent(struct job *j)
{
	char *msg = NULL;

	if (asprintf(&msg, "took longer than %ld ms%s%s", j->hints.budget_ms,
		     j->info.msg ? ": " : "",
		     j->info.msg ? j->info.msg : "") < 0)
		return;
	free(j->info.msg);
	j->info.msg = msg;
}

static void *job_run(void *arg)
{
	struct job *j = arg;
	const struct engine_module *m = engine_module_load();
	struct timespec a, b;

	j->ops = m ? m->ops(j->kind) : NULL;
	if (!j->ops) {
		j->info.err = -EOPNOTSUPP;
		return NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	j->info.err = j->ops->list(j->sock, j->kind, j->index, &j->hints,
				   &j->out, &j->info);
	clock_gettime(CLOCK_MONOTONIC, &b);
	j->ms = (b.tv_sec - a.tv_sec) * 1000 +
		(b.tv_nsec - a.tv_nsec) / 1000000;
	if (j->info.err == -ETIME) {
		j->info.err = -ETIMEDOUT;
		budget_spent(j);
	}
	return NULL;
}

/* An engine's own thread: its answers are parsed with nothing effective
 * (the backends raise what connecting needs around the connect alone).
 * Lowered here, not in job_run(), which the caller's thread runs itself
 * when no thread can be made and which must keep its privileges. */
static void *job_thread(void *arg)
{
	struct job *j = arg;
	struct engine_query *q = j->q;

	caps_lower(CAPS_ALL);
	job_run(j);
	job_over(j, true);
	engine_query_unref(q);
	return NULL;
}

/* The hints read the caller's table and other jobs' lists under q->lock,
 * and not at all once the caller stopped waiting (q->abandoned). */
static pid_t hint_shim_pid(const struct engine_hints *h, const char *ns,
			   const char *id)
{
	struct engine_query *q = h->query;
	pid_t pid = 0;

	pthread_mutex_lock(&q->lock);
	while (!q->shims_ready && !q->abandoned && wait_until(q, h->deadline))
		;
	if (q->shims_ready && !q->abandoned)
		pid = shim_index_find(&q->shims, h->procs, h->pidns, ns, id);
	pthread_mutex_unlock(&q->lock);
	return pid;
}

/* Whether a Docker job listed the container of shim s with the shim's
 * init as its pid: an engine elsewhere naming the same id (it may lie)
 * got no pid from a shim outside its own subtree. */
static bool docker_listed(const struct engine_query *q, const struct shim *s,
			  enum engine_trust trust)
{
	if (!s->init)
		return false; /* starting: no pid to compare */
	for (size_t i = 0; i < q->njobs; i++) {
		const struct job *j = &q->jobs[i];

		/* a less trusted Docker API cannot spare a containerd's
		 * listing (and so hide its containers) */
		if (j->kind != ENGINE_DOCKER || j->info.err || j->trust > trust)
			continue;
		for (size_t k = 0; k < j->out.n; k++) {
			const struct container *c = &j->out.v[k];

			if (c->id && c->pid_is_host && c->pid == s->init &&
			    strcmp(c->id, s->id) == 0)
				return true;
		}
	}
	return false;
}

/* containerd's "moby" namespace is Docker's: when Docker's API listed
 * every running container of it, containerd's list of the same (~10 KiB
 * of spec each) is not asked for, which spares both daemons' time. */
static bool moby_listed(const struct engine_hints *h, const char *ns)
{
	const struct engine_query *q = h->query;
	const struct shim_index *x = &q->shims;
	enum engine_trust trust = ENGINE_TRUST_NESTED;
	bool any = false;

	/* the asking job's trust: the hints are its own (job_start()) */
	for (size_t i = 0; i < q->njobs; i++)
		if (&q->jobs[i].hints == h)
			trust = q->jobs[i].trust;
	for (size_t i = 0; i < q->njobs; i++)
		any |= q->jobs[i].kind == ENGINE_DOCKER &&
		       !q->jobs[i].info.err && q->jobs[i].trust <= trust;
	if (!any)
		return false;
	for (size_t i = 0; i < x->n; i++) {
		const struct shim *s = &x->v[i];

		if (strcmp(s->ns, ns) != 0 ||
		    (h->pidns &&
		     !proc_in_pidns_subtree(h->procs,
					    proc_table_find(h->procs, s->pid),
					    h->pidns)))
			continue;
		if (!docker_listed(q, s, trust))
			return false;
	}
	return true;
}

/* Docker's jobs are waited for until this engine's own deadline: past
 * it, its calls have no time left anyway. */
static bool hint_listed_elsewhere(const struct engine_hints *h, const char *ns)
{
	struct engine_query *q = h->query;
	bool listed = false;

	if (strcmp(ns, "moby") != 0 || h->pidns == UINT64_MAX)
		return false;
	pthread_mutex_lock(&q->lock);
	while ((!q->shims_ready || q->docker_pending) && !q->abandoned &&
	       wait_until(q, h->deadline))
		;
	if (q->shims_ready && !q->docker_pending && !q->abandoned)
		listed = moby_listed(h, ns);
	pthread_mutex_unlock(&q->lock);
	return listed;
}

/* The netns of a container whose host pid is known. */
static void locate(const char *procfs, struct container *c)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%d/ns/net", procfs, (int)c->pid);
	if (stat(path, &st) == 0)
		c->netns = st.st_ino;
}

/* The container (of another engine) a daemon runs in: the one whose main
 * process is the daemon or one of its ancestors, else, for a daemon in a
 * pid namespace of its own, the one whose netns it shares (a host daemon
 * shares the host's netns with every --network host container, which does
 * not make it theirs). -1 = the host. */
static int container_of(const struct proc_table *t,
			const struct container_list *cl, pid_t daemon,
			bool nested, size_t self)
{
	const struct proc_entry *p = proc_table_find(t, daemon);

	for (int steps = 0; p && steps < 4096; steps++) {
		for (size_t i = 0; i < cl->n; i++)
			if (cl->v[i].pid == p->pid && cl->v[i].endpoint != self)
				return (int)i;
		p = p->ppid > 0 ? proc_table_find(t, p->ppid) : NULL;
	}
	p = nested ? proc_table_find(t, daemon) : NULL;
	for (size_t i = 0; p && i < cl->n; i++)
		if (cl->v[i].netns && cl->v[i].netns == p->ns.net &&
		    cl->v[i].endpoint != self)
			return (int)i;
	return -1;
}

static bool same_pidns(const char *procfs, pid_t pid)
{
	char a[128], b[128];
	struct stat sa, sb;

	snprintf(a, sizeof(a), "%s/%d/ns/pid", procfs, (int)pid);
	snprintf(b, sizeof(b), "%s/self/ns/pid", procfs);
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_ino == sb.st_ino;
}

/* Engines being queried: engine_discover_start() to _finish() and the
 * end of the last job thread, whichever comes later. */
static void engine_query_free(struct engine_query *q)
{
	for (size_t i = 0; i < q->njobs; i++) {
		closep(&q->jobs[i].fd);
		container_list_clear(&q->jobs[i].out);
		engine_info_clear(&q->jobs[i].info);
	}
	free(q->jobs);
	shim_index_clear(&q->shims);
	engine_result_clear(&q->res);
	pthread_cond_destroy(&q->done);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

/* Start the job of endpoint i: from the activator cache, or a thread
 * that asks the engine. */
static void job_start(struct engine_query *q, size_t i)
{
	const struct engine_endpoint *ep = &q->res.endpoints.v[i];
	struct job *j = &q->jobs[i];
	pid_t daemon = ep->pid ? ep->pid : ep->activator;
	const struct proc_entry *dp = proc_table_find(q->t, daemon);
	sigset_t all, old;
	pthread_t th;
	int r;

	/* a daemon we cannot place finds no shims: its engine is asked
	 * for every pid */
	j->hints = (struct engine_hints){
		.shim_pid = hint_shim_pid,
		.procs = q->t,
		.pidns = !dp				 ? UINT64_MAX
			 : same_pidns(q->procfs, daemon) ? 0
							 : dp->ns.pid,
		.listed_elsewhere = hint_listed_elsewhere,
		.query = q,
		.deadline = engine_now_ms() + q->budget_ms,
		.budget_ms = q->budget_ms,
		.stop = &q->stop,
	};
	if (ep->activator && !ep->pid) {
		/* asleep: what it listed last time, if that still matches
		 * the processes; else wake it */
		r = config_get_bool("activator_cache", true)
			    ? actcache_load(q->t, ep, i, &j->out, &j->info)
			    : 0;
		if (r > 0) {
			j->cached = j->info.cached = true;
			job_over(j, false);
			return;
		}
		j->info.woken = true;
	}
	r = finder_open_endpoint(q->procfs, ep, &j->fd);
	if (r < 0) {
		j->info.err = r;
		job_over(j, false);
		return;
	}
	rootpath_fd_path(j->fd, j->sock, sizeof(j->sock));
	/* one thread per engine: a hanging one costs its own timeouts, not
	 * the others'; it holds q, which outlives it */
	pthread_mutex_lock(&q->lock);
	q->refs++;
	q->running++;
	pthread_mutex_unlock(&q->lock);
	/* with every signal blocked: one sent to the process goes to the
	 * caller, also while a thread left running outlives the discovery */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&th, NULL, job_thread, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r == 0) {
		j->th = th;
		j->joinable = true;
		return;
	}
	pthread_mutex_lock(&q->lock);
	q->refs--;
	q->running--;
	pthread_mutex_unlock(&q->lock);
	j->run_here = true; /* once the table is complete */
}

/* Load the module in this thread, with none of its capabilities
 * effective while the libraries' constructors run. */
static void load_module_unprivileged(void)
{
	uint64_t had = caps_suspend(CAPS_ALL);

	engine_module_load();
	caps_raise(had);
}

/* A sleeping engine's job reads the activator cache, which checks the
 * whole process table: it starts once the table is complete. */
static bool asleep(const struct engine_endpoint *ep)
{
	return ep->activator && !ep->pid;
}

int engine_discover_start(const char *procfs, struct proc_table *t,
			  struct engine_query **ret)
{
	struct engine_query *q = calloc(1, sizeof(*q));
	pthread_condattr_t ca;
	struct engine_result *res;
	uint64_t budget;
	int r;

	if (!q)
		return -ENOMEM;
	pthread_mutex_init(&q->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->done, &ca);
	pthread_condattr_destroy(&ca);
	q->refs = 1;
	atomic_init(&q->stop, false);
	budget = config_get_u64("engine_budget_ms", ENGINE_BUDGET_MS);
	q->budget_ms = budget >= 1 && budget <= 60000 ? (long)budget
						      : ENGINE_BUDGET_MS;
	q->procfs = procfs;
	q->t = t;
	res = &q->res;
	/* the table has stat fields only yet: the daemons' namespaces are
	 * read now, the others' while the engines answer */
	for (size_t i = 0; i < t->n; i++)
		if (finder_is_candidate(t->v[i].comm))
			(void)proc_entry_read_ns(procfs, &t->v[i]);
	r = finder_scan(procfs, t, &res->endpoints);
	if (r < 0)
		goto fail;
	if (res->endpoints.n == 0) {
		*ret = q;
		return 0;
	}
	q->jobs = calloc(res->endpoints.n, sizeof(*q->jobs));
	if (!q->jobs) {
		r = -ENOMEM;
		goto fail;
	}
	q->njobs = res->endpoints.n;
	log_debug("engines: %zu endpoints found", res->endpoints.n);
	/* what other jobs' threads read of a job is set before any starts */
	for (size_t i = 0; i < res->endpoints.n; i++) {
		q->jobs[i] = (struct job){ .q = q,
					   .fd = -1,
					   .kind = res->endpoints.v[i].kind,
					   .trust = res->endpoints.v[i].trust,
					   .index = i };
		q->docker_pending += res->endpoints.v[i].kind == ENGINE_DOCKER;
	}
	/* here, before the threads and the rest of the scan: loading its
	 * 35 libraries beside a thread reading /proc slows both (their
	 * mappings), measured in docs/performance.md */
	load_module_unprivileged();
	/* Docker's jobs first: one that must run in this thread (no thread
	 * to be had) is over before any containerd job waits for it */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < res->endpoints.n; i++)
			if ((res->endpoints.v[i].kind == ENGINE_DOCKER) ==
				    (pass == 0) &&
			    !asleep(&res->endpoints.v[i]))
				job_start(q, i);
	*ret = q;
	return 0;
fail:
	engine_query_free(q);
	return r;
}

void engine_discover_procs_ready(struct engine_query *q)
{
	if (q->shims_ready)
		return;
	/* no shims: every pid from the engines */
	if (shim_index_build(q->procfs, q->t, &q->shims) < 0)
		shim_index_clear(&q->shims);
	log_debug("engines: %zu containerd shims", q->shims.n);
	pthread_mutex_lock(&q->lock);
	q->shims_ready = true;
	pthread_cond_broadcast(&q->done);
	pthread_mutex_unlock(&q->lock);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < q->njobs; i++) {
			struct job *j = &q->jobs[i];
			bool docker =
				q->res.endpoints.v[i].kind == ENGINE_DOCKER;

			if (docker != (pass == 0))
				continue;
			if (asleep(&q->res.endpoints.v[i]))
				job_start(q, i);
			if (j->run_here) {
				job_run(j);
				job_over(j, false);
			}
		}
}

/* Wait for the job threads until deadline; then the answers of the jobs
 * over go to res, the others are reported as not answering and their
 * threads left with what they hold. */
/* The caller stopped waiting: the threads of the jobs it took are
 * joined (their last steps are short: no thread of a finished job may
 * outlive the discovery, e.g. into the exit, where LeakSanitizer cannot
 * stop a thread that kept capabilities the caller dropped); the others
 * run on, detached, holding q. */
static void release_threads(struct engine_query *q)
{
	for (size_t i = 0; i < q->njobs; i++) {
		struct job *j = &q->jobs[i];

		if (!j->joinable)
			continue;
		if (j->taken)
			pthread_join(j->th, NULL);
		else
			pthread_detach(j->th);
		j->joinable = false;
	}
}

static void take_answers(struct engine_query *q, long long deadline,
			 struct engine_result *res)
{
	pthread_mutex_lock(&q->lock);
	while (q->running && wait_until(q, deadline))
		;
	for (size_t i = 0; i < q->njobs; i++)
		q->jobs[i].taken = q->jobs[i].over;
	q->abandoned = true;
	atomic_store(&q->stop, true);
	pthread_cond_broadcast(&q->done);
	pthread_mutex_unlock(&q->lock);
	release_threads(q);
	for (size_t i = 0; i < q->njobs; i++) {
		struct job *j = &q->jobs[i];

		if (j->taken) {
			res->info[i] = j->info;
			j->info = (struct engine_info){ 0 };
			closep(&j->fd);
			continue;
		}
		/* its thread owns j: only what the caller wrote is read */
		res->info[i].woken = j->info.woken;
		res->info[i].err = -ETIMEDOUT;
		if (asprintf(
			    &res->info[i].msg,
			    "no answer in time: the discovery stops waiting for the engines after %d ms",
			    DISCOVERY_CEILING_MS) < 0)
			res->info[i].msg = NULL;
	}
}

int engine_discover_finish(struct engine_query *q, long long deadline,
			   struct engine_result *ret)
{
	const char *procfs = q->procfs;
	const struct proc_table *t = q->t;
	struct engine_result res = q->res;
	struct proc_table fresh = { 0 };
	struct job *jobs = q->jobs;
	bool woke = false;
	int r = 0;

	engine_discover_procs_ready(q); /* if the caller did not */
	q->res = (struct engine_result){ 0 };
	if (res.endpoints.n == 0)
		goto out;
	res.info = calloc(res.endpoints.n, sizeof(*res.info));
	res.ep_container = malloc(res.endpoints.n * sizeof(*res.ep_container));
	if (!res.info) {
		/* nothing to take the answers to: stop waiting */
		pthread_mutex_lock(&q->lock);
		q->abandoned = true;
		atomic_store(&q->stop, true);
		pthread_cond_broadcast(&q->done);
		pthread_mutex_unlock(&q->lock);
		release_threads(q);
		r = -ENOMEM;
		goto out;
	}
	take_answers(q, deadline, &res);
	if (!res.ep_container) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < res.endpoints.n; i++)
		woke |= res.info[i].woken && res.info[i].err == 0;
	/* a woken engine's daemon was not in t: look again, once */
	if (woke && proc_table_scan(procfs, &fresh) >= 0)
		t = &fresh;
	for (size_t i = 0; i < res.endpoints.n; i++) {
		struct job *j = &jobs[i];
		struct engine_endpoint *ep = &res.endpoints.v[i];
		pid_t daemon, monitor;
		bool nested;

		res.ep_container[i] = -1;
		if (j->taken && j->ops && !j->cached)
			log_debug("%s engine at %s: %zu containers in %ld ms",
				  engine_kind_name(ep->kind), ep->path,
				  j->out.n, j->ms);
		if (res.info[i].err < 0 && res.info[i].err != -EOPNOTSUPP)
			log_warning("%s engine at %s: %s",
				    engine_kind_name(ep->kind), ep->path,
				    res.info[i].msg
					    ? res.info[i].msg
					    : strerror(-res.info[i].err));
		else if (res.info[i].err == 0 && res.info[i].msg)
			log_info("%s engine at %s: %s",
				 engine_kind_name(ep->kind), ep->path,
				 res.info[i].msg);
		if (!j->taken)
			continue;
		if (res.info[i].woken && res.info[i].err == 0) {
			ep->pid = finder_spawned_daemon(procfs, t, ep);
			if (!ep->pid)
				log_info(
					"activator pid %d woke its %s engine, which is gone already",
					(int)ep->activator,
					engine_kind_name(ep->kind));
		}
		/* an engine behind an activator runs in the activator's
		 * pid namespace */
		daemon = endpoint_daemon(ep);
		nested = daemon > 0 && !same_pidns(procfs, daemon);
		/* a nested engine (even in our pid namespace: --pid=host)
		 * names the processes of its own container only */
		monitor = ep->trust != ENGINE_TRUST_HOST
				  ? finder_monitor_of(t, daemon)
				  : 0;
		for (size_t k = 0; k < j->out.n; k++) {
			struct container *c = &j->out.v[k], *v;

			c->parent = -1;
			if (j->cached || c->pid_is_host) {
				/* pid translated when it was cached, or
				 * found in the process table */
			} else if (!nested) {
				c->pid = c->engine_pid;
			} else if (proc_translate_pid(procfs, t, daemon,
						      c->engine_pid,
						      &c->pid) < 0) {
				log_info(
					"%s engine pid %d: container %s: pid %d is not in its pid namespace",
					engine_kind_name(ep->kind), (int)daemon,
					c->name, (int)c->engine_pid);
				container_clear(c);
				continue;
			}
			if (monitor && !finder_below(t, c->pid, monitor)) {
				log_info(
					"nested %s engine pid %d: container %s: pid %d is not in its container",
					engine_kind_name(ep->kind), (int)daemon,
					c->name, (int)c->pid);
				container_clear(c);
				continue;
			}
			locate(procfs, c);
			if (container_name_pod(c) < 0) {
				container_clear(c);
				r = -ENOMEM;
				continue;
			}
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
	engine_dedupe(&res.endpoints, &res.containers);
	/* turtles: place each engine in the container it runs in */
	for (size_t i = 0; i < res.endpoints.n; i++) {
		const struct engine_endpoint *ep = &res.endpoints.v[i];
		pid_t daemon = endpoint_daemon(ep);

		if (daemon <= 0)
			continue;
		res.ep_container[i] =
			container_of(t, &res.containers, daemon,
				     ep->trust != ENGINE_TRUST_HOST ||
					     !same_pidns(procfs, daemon),
				     i);
	}
	for (size_t k = 0; k < res.containers.n; k++) {
		struct container *c = &res.containers.v[k];

		c->parent = res.ep_container[c->endpoint];
		if (c->parent == (int)k)
			c->parent = -1;
	}
	engine_unshadow(&res.endpoints, &res.containers, res.ep_container);
	/* remember what activated engines list, for when they sleep */
	for (size_t i = 0; i < res.endpoints.n; i++) {
		const struct engine_endpoint *ep = &res.endpoints.v[i];
		int rs;

		if (!ep->activator || jobs[i].cached || res.info[i].err < 0 ||
		    !config_get_bool("activator_cache", true))
			continue;
		rs = actcache_store(t, ep, i, &res.containers, &res.info[i]);
		if (rs < 0)
			log_debug("activator cache not written: %s",
				  strerror(-rs));
	}
out:
	proc_table_clear(&fresh);
	engine_query_unref(q);
	if (r < 0) {
		engine_result_clear(&res);
		return r;
	}
	*ret = res;
	return 0;
}
