/* SPDX-License-Identifier: MIT */
/*
 * The Docker Engine API's answers (and podman's libpod list) as struct
 * container and struct engine_info: JSON in, structs out, no I/O, so that
 * the mapping can be tested and fuzzed on its own. Part of the engines
 * module (jansson). Everything an engine sends is untrusted: types are
 * checked, ids validated (they go into URLs), pids and counts bounded; a
 * container that fails a check is skipped (log_info), never guessed.
 *
 * Each function returns 0, -EBADMSG (not JSON, or not the shape asked
 * for) or -ENOMEM. On -EBADMSG, *ret_msg (if ret_msg is not NULL) gets
 * one malloc'd line saying why, e.g. "malformed JSON: ...".
 */
#ifndef TURTLECAP_DOCKER_JSON_H
#define TURTLECAP_DOCKER_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"

/* GET /_ping's header lines (no JSON; dockerd's /version runs programs
 * to name its components, /_ping is 20 times cheaper): Api-Version into
 * info->api_version, the engine version from Server ("Docker/V (os)") or,
 * podman's, Libpod-Api-Version, which also sets *is_podman. -ENOENT
 * without Api-Version (ask /version instead), -ENOMEM. */
int docker_ping_headers(const char *headers, struct engine_info *info,
			bool *is_podman);

/* GET /version: Version and ApiVersion into info (NULL when absent);
 * *is_podman when a component is "Podman Engine" (podman's compatible
 * service says so). */
int docker_json_version(const char *body, size_t len, struct engine_info *info,
			bool *is_podman, char **ret_msg);

/*
 * GET /containers/json: append the running and paused containers (id,
 * name without the leading '/', image, state; .endpoint = index) to out,
 * at most ENGINE_CONTAINERS_MAX in all. They still lack their pid and
 * network mode: docker_json_inspect() fills those.
 */
int docker_json_list(const char *body, size_t len, size_t index,
		     struct container_list *out, char **ret_msg);

/* GET /containers/ID/json: State.Pid into c->engine_pid, the network
 * mode, and state "paused" if State.Paused. c is unchanged on failure. */
int docker_json_inspect(const char *body, size_t len, struct container *c,
			char **ret_msg);

/*
 * podman's GET /v4.0.0/libpod/containers/json: like docker_json_list(),
 * and complete without an inspect: the pid, the pod's name and whether
 * it is a pod's infra container come with the list.
 */
int libpod_json_list(const char *body, size_t len, size_t index,
		     struct container_list *out, char **ret_msg);

#endif
