/* SPDX-License-Identifier: MIT */
/*
 * The engines module's entry point (see engine.h): the backend of each
 * kind of engine.
 */
#include "backends.h"
#include "http-unix.h"

const struct engine_ops *turtlecap_engine_ops_v5(enum engine_kind kind);
const struct engine_ops *turtlecap_engine_ops_v5(enum engine_kind kind)
{
	static bool inited;

	if (!inited) {
		/* called from the single-threaded loader first; libcurl's
		 * global init serves http-unix.c and grpc.c alike */
		if (http_unix_global_init() < 0)
			return NULL;
		inited = true;
	}
	switch (kind) {
	case ENGINE_DOCKER:
	case ENGINE_PODMAN:
		return &docker_engine_ops;
	case ENGINE_CONTAINERD:
		return &containerd_engine_ops;
	case ENGINE_CRIO:
		return &crio_engine_ops;
	default:
		return NULL;
	}
}
