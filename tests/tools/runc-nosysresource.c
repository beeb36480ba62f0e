/* SPDX-License-Identifier: MIT */
/*
 * A runc wrapper for the test engines: on this machine kind, processes
 * lack CAP_SYS_RESOURCE in their bounding set, so `docker run
 * --privileged` (which asks for every capability) fails. Docker ignores
 * --cap-drop with --privileged, so this strips CAP_SYS_RESOURCE from the
 * OCI spec (create/run: BUNDLE/config.json; exec: --process FILE) and execs
 * the real runc with the same arguments. Test tool only.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define REAL_RUNC "/usr/sbin/runc"
#define DROP	  "CAP_SYS_RESOURCE"

static void strip(json_t *caps)
{
	const char *k;
	json_t *v;

	json_object_foreach(caps, k, v)
	{
		for (size_t i = json_array_size(v); i-- > 0;)
			if (strcmp(json_string_value(json_array_get(v, i))
					   ?: "",
				   DROP) == 0)
				json_array_remove(v, i);
	}
}

static void fix(const char *path, int nested)
{
	json_error_t err;
	json_t *spec = json_load_file(path, 0, &err);
	json_t *caps;
	char tmp[4096];

	if (!spec)
		return;
	caps = nested ? json_object_get(json_object_get(spec, "process"),
					"capabilities")
		      : json_object_get(spec, "capabilities");
	if (caps) {
		strip(caps);
		snprintf(tmp, sizeof(tmp), "%s.nosr.tmp", path);
		if (json_dump_file(spec, tmp, JSON_COMPACT) == 0)
			rename(tmp, path);
	}
	json_decref(spec);
}

int main(int argc, char **argv)
{
	const char *bundle = ".";
	int create = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "create") == 0 ||
		    strcmp(argv[i], "run") == 0)
			create = 1;
		else if ((strcmp(argv[i], "--bundle") == 0 ||
			  strcmp(argv[i], "-b") == 0) &&
			 i + 1 < argc)
			bundle = argv[i + 1];
		else if (strcmp(argv[i], "--process") == 0 && i + 1 < argc)
			fix(argv[i + 1], 0);
	}
	if (create) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/config.json", bundle);
		fix(path, 1);
	}
	{
		static char real[] = REAL_RUNC;

		argv[0] = real;
	}
	execv(REAL_RUNC, argv);
	perror("runc-nosysresource: exec " REAL_RUNC);
	return 127;
}
