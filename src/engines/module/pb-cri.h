/* SPDX-License-Identifier: MIT */
/*
 * The Kubernetes CRI's answers (runtime.v1, src/proto/cri.proto) as struct
 * container and struct engine_info: bytes in, structs out, no I/O, so that
 * the mapping can be tested and fuzzed on its own. Part of the engines
 * module (protobuf-c, jansson for the verbose info). Ids must be valid
 * identifiers (pb_valid_id), names non-empty, a pod's namespace without
 * '/' (the interface is "NAMESPACE/POD"), pids 1..INT32_MAX, strings are
 * cut; what fails a check is skipped (log_info), never guessed.
 *
 * A pod is its sandbox (.infra, .name = the pod's name) and its
 * containers (.name = their CRI name), all with .pod and .pod_namespace.
 *
 * Each function returns 0, -EBADMSG (not the message asked for) or
 * -ENOMEM; on -EBADMSG *ret_msg (if not NULL) gets one malloc'd line.
 */
#ifndef TURTLECAP_PB_CRI_H
#define TURTLECAP_PB_CRI_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"

/* Version: the runtime's version into info->version if that is still
 * unset (containerd's own API names it better), the CRI API version into
 * info->api_version. */
int cri_pb_version(const uint8_t *msg, size_t len, struct engine_info *info,
		   char **ret_msg);

/* ListPodSandbox: append each ready sandbox (state "running", no pid
 * yet) to out, at most ENGINE_CONTAINERS_MAX in all. */
int cri_pb_sandboxes(const uint8_t *msg, size_t len, size_t index,
		     struct container_list *out, char **ret_msg);

/* PodSandboxStatus (verbose) of sandbox c: the pid of its verbose info
 * into c->engine_pid. c is unchanged on failure. */
int cri_pb_sandbox_status(const uint8_t *msg, size_t len, struct container *c,
			  char **ret_msg);

/*
 * ListContainers: append each running container of a sandbox in
 * out->v[pods..] (by its pod_sandbox_id) to out, with its pod's names;
 * containers of other sandboxes are skipped. No pid yet.
 */
int cri_pb_containers(const uint8_t *msg, size_t len, size_t index, size_t pods,
		      struct container_list *out, char **ret_msg);

/* ContainerStatus (verbose) of c: its pid into c->engine_pid, its image
 * (the name it was asked by) into c->image. c is unchanged on failure. */
int cri_pb_container_status(const uint8_t *msg, size_t len, struct container *c,
			    char **ret_msg);

#endif
