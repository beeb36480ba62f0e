/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the CRI's protobuf mapping (src/pb-cri.c, over
 * protobuf-c's unpack and jansson for the verbose info): the input goes to
 * every mapper as an engine's answer; the containers mapper also sees two
 * sandboxes of the recorded corpus, so that recorded lists reach its
 * pods. Besides crashes, leaks and sanitizer reports, it checks what the
 * backend relies on (abort() when broken): ids are valid identifiers,
 * every pod member names its pod and namespace (no '/' in it), sandboxes
 * are infra, a status either sets a pid in range or changes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pb-cri.h"
#include "pb.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INDEX 1

static void check_member(const struct container *c)
{
	if (!pb_valid_id(c->id) || !c->name || !c->name[0] || !c->pod ||
	    !c->pod[0] || !c->pod_namespace || !c->pod_namespace[0] ||
	    strchr(c->pod_namespace, '/') || c->endpoint != INDEX ||
	    c->api != CONTAINER_API_CRI || strcmp(c->state, "running") != 0)
		abort();
	if (strlen(c->name) > PB_STR_MAX || strlen(c->pod) > PB_STR_MAX ||
	    (c->image && strlen(c->image) > PB_STR_MAX))
		abort();
	if (c->infra && strcmp(c->name, c->pod) != 0)
		abort();
}

static void add_pod(struct container_list *l, const char *id, const char *name)
{
	struct container *v = grow_array(l->v, &l->cap, l->n, sizeof(*v), 4);

	if (!v)
		abort();
	l->v = v;
	v[l->n++] = (struct container){ .id = strdup(id),
					.name = strdup(name),
					.pod = strdup(name),
					.pod_namespace = strdup("default"),
					.state = strdup("running"),
					.infra = true,
					.endpoint = INDEX,
					.api = CONTAINER_API_CRI };
}

static void check_status(const uint8_t *buf, size_t size, bool pod)
{
	struct container c = { .id = strdup(pod ? "865b42529075d77131fe57ad2a"
						  "c03146abe018966539166ec7f9"
						  "74b4240bd111"
						: "55081ec26970ed8c3d00a62d13"
						  "bab8f2a5718aa867a40fec7a29"
						  "b68e553cf92a") };
	char *msg = NULL;
	int r;

	if (!c.id)
		abort();
	r = pod ? cri_pb_sandbox_status(buf, size, &c, &msg)
		: cri_pb_container_status(buf, size, &c, &msg);
	if ((r == 0) == (msg != NULL) || (r && r != -EBADMSG && r != -ENOMEM))
		abort();
	free(msg);
	if (r == 0 ? c.engine_pid < 1 : c.engine_pid != 0 || c.image != NULL)
		abort();
	container_clear(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy: ASan sees any read past the end */
	uint8_t *buf = malloc(size ? size : 1);
	struct engine_info info = { 0 };
	struct container_list l = { 0 };
	char *msg = NULL;
	size_t pods;

	if (!buf)
		abort();
	if (size)
		memcpy(buf, data, size);

	if (cri_pb_version(buf, size, &info, &msg) == 0 && msg)
		abort();
	free(TAKE_PTR(msg));
	if ((info.version && strlen(info.version) > PB_STR_MAX) ||
	    (info.api_version && !info.api_version[0]))
		abort();
	engine_info_clear(&info);

	add_pod(&l,
		"865b42529075d77131fe57ad2ac03146abe018966539166ec7f974b"
		"4240bd111",
		"mypod");
	add_pod(&l,
		"71f5c09040a6f03faabc25f6d539cb73be18f5acaf81ba3f3e5273e"
		"ec6dcdc7a",
		"shop-pod");
	cri_pb_sandboxes(buf, size, INDEX, &l, &msg);
	free(TAKE_PTR(msg));
	pods = l.n;
	for (size_t i = 0; i < l.n; i++)
		if (!l.v[i].infra)
			abort();
	cri_pb_containers(buf, size, INDEX, 0, &l, &msg);
	free(TAKE_PTR(msg));
	for (size_t i = 0; i < l.n; i++) {
		check_member(&l.v[i]);
		if (i >= pods && l.v[i].infra)
			abort();
	}
	if (l.n > ENGINE_CONTAINERS_MAX + 2)
		abort();
	container_list_clear(&l);

	check_status(buf, size, true);
	check_status(buf, size, false);
	free(buf);
	return 0;
}
