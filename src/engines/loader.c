/* SPDX-License-Identifier: MIT */
#include "loader.h"

#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/*
 * The module: next to the executable (build tree, personal installs), else
 * in the installed library folder. Both are as trusted as the executable
 * itself; no environment variable can redirect it.
 */
static const struct engine_module *module;

static void load_module_once(void)
{
	char exe[PATH_MAX], path[PATH_MAX + 64];
	const struct engine_module *m;
	engine_module_fn fn;
	void *h = NULL;
	ssize_t n;
	int r;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		snprintf(path, sizeof(path), "%s/turtlecap-engines.so",
			 dirname(exe));
		h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	}
	if (!h)
		h = dlopen(TURTLECAP_MODULE_DIR "/turtlecap-engines.so",
			   RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		log_warning("cannot load the engines module: %s", dlerror());
		return;
	}
	*(void **)&fn = dlsym(h, ENGINE_MODULE_SYMBOL);
	m = fn ? fn() : NULL;
	if (!m) {
		log_warning("engines module lacks %s", ENGINE_MODULE_SYMBOL);
		return;
	}
	r = m->init();
	if (r < 0) {
		log_warning("engines module: %s", strerror(-r));
		return;
	}
	module = m;
}

const struct engine_module *engine_module_load(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, load_module_once);
	return module;
}
