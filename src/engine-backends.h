/* SPDX-License-Identifier: MIT */
/* The backends of the engines module, for its entry point
 * (engine-module.c). */
#ifndef TURTLECAP_ENGINE_BACKENDS_H
#define TURTLECAP_ENGINE_BACKENDS_H

#include "engine.h"

extern const struct engine_ops docker_engine_ops;     /* engine-docker.c */
extern const struct engine_ops containerd_engine_ops; /* engine-containerd.c */
extern const struct engine_ops crio_engine_ops;	      /* engine-cri.c */

#endif
