/* SPDX-License-Identifier: MIT */
/*
 * Containers as the engines describe them, and the engine layer: the
 * endpoints the finder found are queried in parallel through the backends'
 * ops (engine-docker.c speaks the Docker Engine API for dockerd and
 * podman; containerd and CRI speak gRPC), each bounded in time and size.
 *
 * The backends need libcurl and jansson, which are too heavy to load on
 * the query paths Wireshark runs at every start when there is no engine:
 * they live in a module (turtlecap-engines.so) loaded only when the finder
 * found an endpoint. See docs/design.md.
 */
#ifndef TURTLECAP_ENGINE_H
#define TURTLECAP_ENGINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "container.h"
#include "finder.h"

/* Limits on what an engine may send us. */
#define ENGINE_BODY_MAX	      (8U << 20) /* bytes of one response */
#define ENGINE_CONNECT_MS     300
#define ENGINE_TOTAL_MS	      1000 /* one request, connect included */
#define ENGINE_CONTAINERS_MAX 4096
/* One engine's whole listing, all its calls together (/_ping, /version,
 * the list, each inspect; the CRI's call per pod and container), from its
 * job's start: an engine answering each call just in time cannot multiply
 * ENGINE_TOTAL_MS by their number. Each call gets min(its own limit, what
 * is left). Shorter than the ceiling, so that a slow engine stops on its
 * own and reports what it has (setting engine_budget_ms). */
#define ENGINE_BUDGET_MS 1500
/* The discovery waits this long for the engines, from its start, whatever
 * their budgets: then what is known is listed (engine_discover_finish()). */
#define DISCOVERY_CEILING_MS 2000

struct shim_index;
struct proc_table;

/* What the core knows already, to spare a backend calls to its engine. */
struct engine_query;
struct engine_hints {
	/* The host pid of container ns/id from its containerd shim (the
	 * process table, shims.h), looked up in the engine daemon's
	 * pid-namespace subtree only; 0 = unknown, ask the engine. */
	pid_t (*shim_pid)(const struct engine_hints *h, const char *ns,
			  const char *id);
	const struct proc_table *procs;
	uint64_t pidns; /* the daemon's pid namespace; 0 = ours */
	/* Whether every running container of containerd namespace ns (its
	 * shims in the daemon's subtree) was listed by another API of this
	 * discovery, richer (Docker's, for "moby"): then the backend need
	 * not ask for them. Waits for those APIs' answers. */
	bool (*listed_elsewhere)(const struct engine_hints *h, const char *ns);
	struct engine_query *query;
	/* The engine's budget: its calls end by deadline (CLOCK_MONOTONIC
	 * ms, engine_left_ms()); budget_ms is its length, for the message. */
	long long deadline;
	long budget_ms;
	/* Set once the discovery stopped waiting (its ceiling): no call is
	 * made after that, by a thread that keeps the capabilities the
	 * caller has dropped by then. */
	const atomic_bool *stop;
};

static inline long long engine_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What is left of the engine's budget, in ms (0: spent). */
static inline long engine_left_ms(const struct engine_hints *h)
{
	long long left = h->deadline - engine_now_ms();

	if (h->stop && atomic_load_explicit(h->stop, memory_order_relaxed))
		return 0;
	return left <= 0 ? 0 : left > h->budget_ms ? h->budget_ms : (long)left;
}

/* A call's timeout: its own limit, or less if the budget has less. A
 * backend returns -ETIME when its listing was cut by the budget (a call
 * not made, or timed out at the cut limit); the core reports it as
 * -ETIMEDOUT, "took longer than N ms". */
static inline long engine_call_ms(const struct engine_hints *h, long limit)
{
	long left = engine_left_ms(h);

	return left < limit ? left : limit;
}

/* The ops of one backend: nothing here knows about HTTP or gRPC. */
struct engine_ops {
	const char *name;
	/*
	 * List the running containers of the engine reachable at sock_path
	 * (a "/proc/self/fd/N" path of the socket), of the kind the finder
	 * took it for. Appends to out (each with .endpoint = index), fills
	 * info. Bounded by ENGINE_* limits. hints are never NULL.
	 */
	int (*list)(const char *sock_path, enum engine_kind kind, size_t index,
		    const struct engine_hints *hints,
		    struct container_list *out, struct engine_info *info);
};

/* The module's entry point, resolved by name with dlsym; the version
 * changes with any change to the ops or the structs they fill. */
#define ENGINE_MODULE_SYMBOL "turtlecap_engine_module_v7"
struct engine_module {
	/* Once, by the loader (pthread_once, before any job starts): the
	 * libraries' global state (curl_global_init is not thread-safe).
	 * -errno: the module is not used. */
	int (*init)(void);
	/* The backend of kind, or NULL; safe from any thread after init. */
	const struct engine_ops *(*ops)(enum engine_kind kind);
};
typedef const struct engine_module *(*engine_module_fn)(void);

struct engine_result {
	struct endpoint_list endpoints;
	struct engine_info *info; /* one per endpoint */
	int *ep_container;	  /* per endpoint: the container its daemon
				     runs in, -1 = the host */
	struct container_list containers;
};

void engine_result_clear(struct engine_result *r);

/*
 * Find the engines and list their containers (queried in parallel; a
 * failing engine is reported in its info, never fatal), for the caller to
 * do its own work while they answer. _start() takes a table with the stat
 * fields (proc_table_scan_stat()), reads the namespaces of the engine
 * daemons in it, finds their endpoints and sends the queries; the caller
 * then completes the table (proc_table_read_ns()) and says so with
 * _procs_ready(), which the answers' pids wait for; _finish() (which does
 * _procs_ready() if the caller did not) waits for the answers until
 * deadline (CLOCK_MONOTONIC ms), fills in the containers' host pids and
 * network namespaces and releases q, whatever it returns. An engine that
 * has not answered by then is reported so (-ETIMEDOUT) and left out; its
 * thread runs on with data of its own and frees it when it ends, touching
 * nothing of the caller's. t stays valid until _finish().
 */
struct engine_query;
int engine_discover_start(const char *procfs, struct proc_table *t,
			  struct engine_query **ret);
void engine_discover_procs_ready(struct engine_query *q);
int engine_discover_finish(struct engine_query *q, long long deadline,
			   struct engine_result *ret);

#endif
