/* SPDX-License-Identifier: MIT */
/*
 * containerd's native API answers (protobuf, src/proto/containerd.proto)
 * as struct container and struct engine_info: bytes in, structs out, no
 * I/O, so that the mapping can be tested and fuzzed on its own. Part of
 * the engines module. Ids and namespaces must be containerd identifiers
 * (pb_valid_id), pids 1..INT32_MAX, strings are cut; a container that
 * fails a check is skipped (log_info), never guessed.
 *
 * Each function returns 0, -EBADMSG (not the message asked for) or
 * -ENOMEM; on -EBADMSG *ret_msg (if not NULL) gets one malloc'd line.
 */
#ifndef TURTLECAP_PB_CONTAINERD_H
#define TURTLECAP_PB_CONTAINERD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"

#define CONTAINERD_NAMESPACES_MAX 64
/* the label containerd's CRI plugin puts on what it creates */
#define CONTAINERD_CRI_LABEL "io.cri-containerd.kind"

/* Version/Version: the version into info. */
int containerd_pb_version(const uint8_t *msg, size_t len,
			  struct engine_info *info, char **ret_msg);

/* Namespaces/List: the valid names (at most CONTAINERD_NAMESPACES_MAX),
 * a malloc'd NULL-ended array; free with containerd_pb_strv_free(). */
int containerd_pb_namespaces(const uint8_t *msg, size_t len, char ***ret,
			     char **ret_msg);
void containerd_pb_strv_free(char **v);

/*
 * Containers/List of namespace ns: append each container (.id, .image,
 * .name = ID in namespace "default", else "NS/ID", .api native, .endpoint
 * = index) to out, at most ENGINE_CONTAINERS_MAX in all. With skip_cri,
 * those labelled CONTAINERD_CRI_LABEL are skipped: the CRI describes them.
 * They lack pid and state: containerd_pb_tasks() adds those.
 */
int containerd_pb_containers(const uint8_t *msg, size_t len, const char *ns,
			     size_t index, bool skip_cri,
			     struct container_list *out, char **ret_msg);

/*
 * Tasks/List of the same namespace: each running or paused task's pid and
 * status go to the container of out->v[first..] with its id; the
 * containers left without such a task (created, stopped) are dropped.
 */
int containerd_pb_tasks(const uint8_t *msg, size_t len,
			struct container_list *out, size_t first,
			char **ret_msg);

#endif
