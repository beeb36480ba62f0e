/* SPDX-License-Identifier: MIT */
/* The backends of the engines module, for its entry point
 * (module.c). */
#ifndef TURTLECAP_ENGINES_MODULE_BACKENDS_H
#define TURTLECAP_ENGINES_MODULE_BACKENDS_H

#include "engine.h"

extern const struct engine_ops docker_engine_ops;     /* docker.c */
extern const struct engine_ops containerd_engine_ops; /* containerd.c */
extern const struct engine_ops crio_engine_ops;	      /* cri.c */

#endif
