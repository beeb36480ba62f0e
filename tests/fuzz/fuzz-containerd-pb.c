/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for containerd's protobuf mapping (src/pb-containerd.c,
 * over protobuf-c's unpack under pb.c's budget): the input goes to every
 * mapper as an engine's answer. Besides crashes, leaks and sanitizer
 * reports, it checks what the backend relies on (abort() when broken):
 * namespaces and container ids are containerd identifiers, a container
 * is named ID or NS/ID, only running or paused ones with a pid in range
 * survive the join, and nothing grows past its bound.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pb-containerd.h"
#include "pb.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INDEX 3

static void check_id(const char *s)
{
	if (!pb_valid_id(s))
		abort();
}

static void check_container(const struct container *c, const char *ns,
			    bool joined)
{
	char name[256];

	check_id(c->id);
	snprintf(name, sizeof(name), "%s/%s", ns, c->id);
	if (strcmp(c->name, strcmp(ns, "default") ? name : c->id) != 0)
		abort();
	if (c->endpoint != INDEX || c->api != CONTAINER_API_CONTAINERD ||
	    c->pod || c->infra || c->netmode)
		abort();
	if (c->image && (!c->image[0] || strlen(c->image) > PB_STR_MAX))
		abort();
	if (!joined)
		return;
	if (!c->state || (strcmp(c->state, "running") != 0 &&
			  strcmp(c->state, "paused") != 0))
		abort();
	if (c->engine_pid < 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy: ASan sees any read past the end */
	uint8_t *buf = malloc(size ? size : 1);
	struct engine_info info = { 0 };
	struct container_list l = { 0 };
	char **ns = NULL, *msg = NULL;
	int r;

	if (!buf)
		abort();
	if (size)
		memcpy(buf, data, size);

	r = containerd_pb_version(buf, size, &info, &msg);
	if ((r == 0) == (msg != NULL) || (r && r != -EBADMSG))
		abort();
	free(TAKE_PTR(msg));
	if (info.version && strlen(info.version) > PB_STR_MAX)
		abort();
	engine_info_clear(&info);

	r = containerd_pb_namespaces(buf, size, &ns, &msg);
	free(TAKE_PTR(msg));
	if (r == 0) {
		size_t n = 0;

		for (; ns[n]; n++) {
			check_id(ns[n]);
			for (size_t k = 0; k < n; k++)
				if (strcmp(ns[k], ns[n]) == 0)
					abort();
		}
		if (n > CONTAINERD_NAMESPACES_MAX)
			abort();
		containerd_pb_strv_free(ns);
	}

	/* the same bytes as the containers, then the tasks, of "default"
	 * and of another namespace */
	for (int pass = 0; pass < 2; pass++) {
		const char *name = pass ? "k8s.io" : "default";
		size_t first = l.n;

		r = containerd_pb_containers(buf, size, name, INDEX, pass, &l,
					     &msg);
		free(TAKE_PTR(msg));
		if (r < 0 && r != -EBADMSG)
			abort();
		for (size_t i = first; i < l.n; i++)
			check_container(&l.v[i], name, false);
		r = containerd_pb_tasks(buf, size, &l, first, &msg);
		free(TAKE_PTR(msg));
		for (size_t i = first; i < l.n; i++)
			check_container(&l.v[i], name, true);
		if (l.n > ENGINE_CONTAINERS_MAX)
			abort();
	}
	container_list_clear(&l);
	free(buf);
	return 0;
}
