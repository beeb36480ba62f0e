/* SPDX-License-Identifier: MIT */
/*
 * What the gRPC backends share (engines module): the limits of their
 * calls, one call with a protobuf request, and the CRI listing that both
 * containerd (its CRI plugin, on its own socket) and CRI-O serve.
 */
#ifndef TURTLECAP_ENGINE_GRPC_H
#define TURTLECAP_ENGINE_GRPC_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "grpc.h"

/* A client for the engine at sock, its calls within what is left of the
 * engine's budget (-ETIMEDOUT if nothing is). */
int engine_grpc_client(const char *sock, const struct engine_hints *h,
		       struct grpc_client **ret);

/*
 * Call method with the request req (a protobuf-c message, NULL for an
 * empty one) in containerd namespace ns (NULL: none). On failure *ret_err
 * (may be NULL) gets one line.
 */
int engine_grpc_call(struct grpc_client *g, const char *method, const char *ns,
		     const void *req, uint8_t **ret_msg, size_t *ret_len,
		     char **ret_err);

/* The engine's first failure is the one line it is reported with: line
 * (taken; "what: why" from prefix and why when prefix is not NULL) goes
 * to info->msg unless that is set. Returns r. */
int engine_grpc_fail(struct engine_info *info, int r, const char *prefix,
		     char *line);

/*
 * The CRI's ready pods and running containers (runtime.v1.RuntimeService)
 * through g, appended to out. 1 if the engine serves the CRI, 0 if it
 * does not (UNIMPLEMENTED: containerd without its CRI plugin), else
 * -errno with the reason in *ret_err.
 */
int cri_list(struct grpc_client *g, size_t index, struct container_list *out,
	     struct engine_info *info, char **ret_err);

#endif
