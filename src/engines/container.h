/* SPDX-License-Identifier: MIT */
/*
 * The container model: containers as the engines describe them, what is
 * known of each engine, and the operations on a list of them that need
 * no engine (their lineage, one entry per container). The engine jobs
 * (engine.h), the backends (module/) and the activator cache
 * (actcache.h) all fill and read these; this file calls nothing but base.
 */
#ifndef TURTLECAP_CONTAINER_H
#define TURTLECAP_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum engine_kind {
	ENGINE_DOCKER,
	ENGINE_PODMAN,
	ENGINE_CONTAINERD,
	ENGINE_CRIO,
	_ENGINE_KIND_MAX,
};

/* "docker", "podman", "containerd", "cri-o"; "?" for no kind. */
const char *engine_kind_name(enum engine_kind kind);

/* Which API described a container. One container seen through several
 * (dockerd's are also in its containerd's `moby` namespace, CRI's in
 * `k8s.io`) is kept once, from the richest: engine_dedupe(). */
enum container_api {
	CONTAINER_API_ENGINE,	  /* the engine's own: Docker API, libpod */
	CONTAINER_API_CRI,	  /* Kubernetes CRI (containerd, CRI-O) */
	CONTAINER_API_CONTAINERD, /* containerd's native API */
};

struct container {
	char *name; /* as the engine names it, without Docker's leading '/' */
	char *id;
	char *image;
	char *state;   /* running, paused, ... */
	char *netmode; /* "container:ID" when sharing another's netns */
	char *pod, *pod_namespace;
	char *pod_ref; /* "pod_namespace/pod": container_name_pod() */
	bool infra;    /* pod infra / pause container */
	enum container_api api;
	pid_t engine_pid; /* as reported, in the engine's pid namespace */
	pid_t pid;	  /* host pid (translated) */
	bool pid_is_host; /* pid came from engine_hints, not the engine */
	uint64_t netns;	  /* inode of its network namespace, 0 if unknown */
	size_t endpoint;  /* index in the endpoint list */
	int parent;	  /* the container its engine runs in, -1 = host */
};

struct container_list {
	struct container *v;
	size_t n, cap;
};

struct engine_info {
	char *version;	   /* engine version, or NULL */
	char *api_version; /* negotiated API version */
	int err;	   /* -errno of the query, 0 if fine */
	char *msg;	   /* one line about err (or, err 0, a partial
			      failure, e.g. of CRI beside containerd's own
			      API) */
	/* socket activation: the engine was asleep and its containers came
	 * from the activator cache, or this query woke it */
	bool cached, woken;
};

/* The name c's interface goes by: its pod's (a pod is one interface, its
 * containers sharing the sandbox's netns), "NAMESPACE/POD" for pods with a
 * namespace (Kubernetes'), else its own. */
static inline const char *container_ifname(const struct container *c)
{
	return c->pod_ref ? c->pod_ref : c->pod ? c->pod : c->name;
}

/* Set c->pod_ref from pod and pod_namespace (engine_discover() does it
 * for every container it lists); -ENOMEM. */
int container_name_pod(struct container *c);

void container_clear(struct container *c);
void container_list_clear(struct container_list *l);
void engine_info_clear(struct engine_info *e);

/* Levels from the host down to c (c last), by the containers' parent
 * indices into l; returns the count (<= max). */
size_t container_lineage(const struct container_list *l,
			 const struct container *c,
			 const struct container **levels, size_t max);

struct endpoint_list; /* finder.h: which engine listed each container */
/*
 * One entry per container: of the entries with the same id and host pid
 * (the same container, seen through several APIs or endpoints), keep the
 * richest: docker > podman > CRI > containerd's native API. Same id with
 * another pid is another container (two containerds may each have a
 * "default/web"). The survivors keep their order.
 * Trust (finder.h) comes first: of one container's entries the host
 * engine's is kept, then the richest API's, then by socket, never by
 * order; and an entry of a nested engine with the id, pid or network
 * namespace of a more trusted engine's entry is dropped (logged).
 */
void engine_dedupe(const struct endpoint_list *eps, struct container_list *l);
/*
 * Once the lineage (parents) is known: a nested engine's container with
 * no parent (its engine found in no container) whose value would be a
 * more trusted one's (same kind and name) is dropped, with what lies
 * below it; parents and ep_container (per endpoint, may be NULL) are
 * renumbered.
 */
void engine_unshadow(const struct endpoint_list *eps, struct container_list *l,
		     int *ep_container);

#endif
