/* SPDX-License-Identifier: MIT */
/*
 * The engines module's entry point (see engine.h): the backend of each
 * kind of engine.
 */
#include "backends.h"
#include "http-unix.h"

static int module_init(void)
{
	/* libcurl's global init serves http-unix.c and grpc.c alike */
	return http_unix_global_init();
}

static const struct engine_ops *module_ops(enum engine_kind kind)
{
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

const struct engine_module *turtlecap_engine_module_v7(void);
const struct engine_module *turtlecap_engine_module_v7(void)
{
	static const struct engine_module m = { .init = module_init,
						.ops = module_ops };

	return &m;
}
