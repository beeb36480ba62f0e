/* SPDX-License-Identifier: MIT */
/*
 * The containerd backend: its native gRPC API (every namespace, its
 * containers and their tasks) and, on the same socket when its CRI plugin
 * is enabled, the CRI (engine-cri.c), which names pods. Only the calls and
 * their order live here; what the answers mean is pb-containerd.c's.
 */
#include <string.h>

#include "containerd.pb-c.h"
#include "backends.h"
#include "engine-grpc.h"
#include "log.h"
#include "pb-containerd.h"
#include "pb.h"
#include "util.h"

#define VERSION_METHOD	  "/containerd.services.version.v1.Version/Version"
#define NAMESPACES_METHOD "/containerd.services.namespaces.v1.Namespaces/List"
#define CONTAINERS_METHOD "/containerd.services.containers.v1.Containers/List"
#define TASKS_METHOD	  "/containerd.services.tasks.v1.Tasks/List"

/* A failed mapping of method's answer as one line (why is taken). */
static char *map_line(const char *method, int r, char *why)
{
	char *line = NULL;

	if (asprintf(&line, "%s: %s", method, why ? why : strerror(-r)) < 0)
		line = NULL;
	free(why);
	return line;
}

/* Is id among the CRI's (out->v[first..end])? */
static bool cri_has(const struct container_list *out, size_t first, size_t end,
		    const char *id)
{
	for (size_t i = first; i < end; i++)
		if (strcmp(out->v[i].id, id) == 0)
			return true;
	return false;
}

/*
 * dockerd's namespace: its containers' pids from their shims (the process
 * table) instead of Tasks/List, which asks every shim in turn (19 ms for
 * 100 containers here). Docker's own list, richer, also names them and
 * tells paused from running: these entries are its duplicates (dropped by
 * engine_dedupe()) or, if dockerd does not answer, stand in for it, as
 * "running". False if a container has no shim: ask Tasks/List.
 */
static bool moby_from_shims(const struct engine_hints *hints,
			    struct container_list *out, size_t first)
{
	for (size_t i = first; i < out->n; i++) {
		struct container *c = &out->v[i];

		c->pid = hints->shim_pid(hints, "moby", c->id);
		c->pid_is_host = c->pid > 0;
		if (!c->pid_is_host || !(c->state = strdup("running")))
			return false; /* the caller asks Tasks/List */
	}
	return true;
}

/* The containers of namespace ns with a live task; an error skips ns. */
static int namespace_list(struct grpc_client *g, const char *ns, size_t index,
			  const struct engine_hints *hints, bool cri,
			  size_t cri_first, size_t cri_end,
			  struct container_list *out, char **ret_err)
{
	Containerd__ListContainersRequest creq;
	Containerd__ListTasksRequest treq;
	_cleanup_free_ uint8_t *cmsg = NULL, *tmsg = NULL;
	size_t clen, tlen, first = out->n, kept;
	char *why = NULL;
	int r;

	if (hints->listed_elsewhere && hints->listed_elsewhere(hints, ns)) {
		log_debug("containerd namespace %s: its running containers "
			  "listed by Docker's API, not asked",
			  ns);
		return 0;
	}
	/* the generated __INIT macros cast const away: functions instead */
	containerd__list_containers_request__init(&creq);
	containerd__list_tasks_request__init(&treq);
	r = engine_grpc_call(g, CONTAINERS_METHOD, ns, &creq, &cmsg, &clen,
			     ret_err);
	if (r < 0)
		return r;
	r = containerd_pb_containers(cmsg, clen, ns, index, cri, out, &why);
	if (r < 0) {
		*ret_err = map_line(CONTAINERS_METHOD, r, why);
		return r;
	}
	if (strcmp(ns, "moby") == 0 && moby_from_shims(hints, out, first)) {
		log_debug("containerd namespace moby: %zu pids from shims",
			  out->n - first);
	} else {
		/* states and pids as containerd knows them */
		for (size_t i = first; i < out->n; i++) {
			free(TAKE_PTR(out->v[i].state));
			out->v[i].pid = 0;
			out->v[i].pid_is_host = false;
		}
		r = engine_grpc_call(g, TASKS_METHOD, ns, &treq, &tmsg, &tlen,
				     ret_err);
		if (r >= 0)
			r = containerd_pb_tasks(tmsg, tlen, out, first, &why);
		if (r < 0) {
			if (!*ret_err)
				*ret_err = map_line(TASKS_METHOD, r, why);
			/* none of them has a state */
			for (size_t i = first; i < out->n; i++)
				container_clear(&out->v[i]);
			out->n = first;
			return r;
		}
	}
	/* what the CRI describes, it names better: pods */
	kept = first;
	for (size_t i = first; i < out->n; i++) {
		if (cri && cri_has(out, cri_first, cri_end, out->v[i].id)) {
			container_clear(&out->v[i]);
			continue;
		}
		out->v[kept++] = out->v[i];
	}
	out->n = kept;
	return 0;
}

static int containerd_list(const char *sock, enum engine_kind kind,
			   size_t index, const struct engine_hints *hints,
			   struct container_list *out, struct engine_info *info)
{
	_cleanup_(grpc_client_freep) struct grpc_client *g = NULL;
	_cleanup_free_ uint8_t *msg = NULL;
	char **namespaces = NULL, *why = NULL;
	size_t len, cri_first, cri_end;
	bool cri, spent = false;
	int r;

	(void)kind;
	r = engine_grpc_client(sock, hints, &g);
	if (r < 0)
		return r;
	r = engine_grpc_call(g, VERSION_METHOD, NULL, NULL, &msg, &len, &why);
	if (r >= 0) {
		r = containerd_pb_version(msg, len, info, &why);
		if (r < 0)
			why = map_line(VERSION_METHOD, r, why);
	}
	/* UNIMPLEMENTED here means "not a containerd", not "no backend" */
	if (r == -EOPNOTSUPP)
		r = -EPROTONOSUPPORT;
	if (r < 0)
		return engine_grpc_fail(info, r, NULL, why);

	/* CRI first: its containers are the native ones of k8s.io */
	cri_first = out->n;
	r = cri_list(g, index, out, info, &why);
	cri_end = out->n;
	cri = r > 0;
	if (r < 0) {
		engine_grpc_fail(info, 0, "CRI", why);
		why = NULL;
		/* what it found before failing counts */
		cri = cri_end > cri_first;
	}

	free(TAKE_PTR(msg));
	r = engine_grpc_call(g, NAMESPACES_METHOD, NULL, NULL, &msg, &len,
			     &why);
	if (r >= 0) {
		r = containerd_pb_namespaces(msg, len, &namespaces, &why);
		if (r < 0)
			why = map_line(NAMESPACES_METHOD, r, why);
	}
	if (r < 0)
		return engine_grpc_fail(info, r, NULL, why);
	/* "moby" last: it may wait for Docker's answer (listed_elsewhere) */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; namespaces[i]; i++) {
			if ((strcmp(namespaces[i], "moby") == 0) != (pass == 1))
				continue;
			if (spent)
				continue;
			r = namespace_list(g, namespaces[i], index, hints, cri,
					   cri_first, cri_end, out, &why);
			/* out of time: the namespaces listed stay, the
			 * others are not asked */
			if (r == -ETIME) {
				spent = true;
				engine_grpc_fail(info, r, "namespace",
						 map_line(namespaces[i], r,
							  TAKE_PTR(why)));
			} else if (r < 0) {
				/* the other namespaces may still answer */
				log_info("containerd namespace %s: %s",
					 namespaces[i],
					 why ? why : strerror(-r));
				free(TAKE_PTR(why));
			}
		}
	containerd_pb_strv_free(namespaces);
	return spent ? -ETIME : 0;
}

const struct engine_ops containerd_engine_ops = {
	.name = "containerd",
	.list = containerd_list,
};
