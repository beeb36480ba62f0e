/* SPDX-License-Identifier: MIT */
/*
 * The engines module (turtlecap-engines.so, engines/module/): found,
 * loaded and initialised once, on first use. engine_discover_start()
 * calls it before it starts any job, so the jobs only read the result.
 */
#ifndef TURTLECAP_ENGINES_LOADER_H
#define TURTLECAP_ENGINES_LOADER_H

#include "engine.h"

/* The module, or NULL if it cannot be had (logged once): its 35
 * libraries take ~3.5 ms. Thread-safe (pthread_once). */
const struct engine_module *engine_module_load(void);

#endif
