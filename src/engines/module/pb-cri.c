/* SPDX-License-Identifier: MIT */
/*
 * The CRI's protobuf becomes struct container here and nowhere else; no
 * generated type leaves this file. See pb-cri.h.
 */
#include "pb-cri.h"

#include <jansson.h>
#include <string.h>

#include "cri.pb-c.h"
#include "log.h"
#include "pb.h"
#include "util.h"

int cri_pb_version(const uint8_t *msg, size_t len, struct engine_info *info,
		   char **ret_msg)
{
	Runtime__V1__VersionResponse *v =
		pb_unpack(&runtime__v1__version_response__descriptor, msg, len);

	if (!v) {
		set_msg(ret_msg, "malformed VersionResponse");
		return -EBADMSG;
	}
	if (!info->version)
		info->version = pb_str(v->runtime_version);
	free(info->api_version);
	info->api_version = pb_str(v->runtime_api_version);
	pb_free(v);
	return 0;
}

static int append(struct container_list *out, struct container *c)
{
	struct container *v =
		grow_array(out->v, &out->cap, out->n, sizeof(*v), 16);

	if (!v) {
		container_clear(c);
		return -ENOMEM;
	}
	out->v = v;
	out->v[out->n++] = *c;
	return 0;
}

static bool full(const struct container_list *out)
{
	if (out->n < ENGINE_CONTAINERS_MAX)
		return false;
	log_warning("engine lists more than %d containers: rest ignored",
		    ENGINE_CONTAINERS_MAX);
	return true;
}

/* A ready sandbox as struct container, or false to skip it. */
static bool map_sandbox(const Runtime__V1__PodSandbox *p, size_t index,
			struct container *c)
{
	const Runtime__V1__PodSandboxMetadata *md = p->metadata;

	*c = (struct container){ .endpoint = index,
				 .api = CONTAINER_API_CRI,
				 .infra = true };
	if (!pb_valid_id(p->id) || !md || !md->name[0] || !md->namespace_[0] ||
	    strchr(md->namespace_, '/')) {
		log_info(
			"engine sent a pod sandbox without a valid id, name or namespace");
		return false;
	}
	c->id = strdup(p->id);
	c->name = pb_str(md->name);
	c->pod = pb_str(md->name);
	c->pod_namespace = pb_str(md->namespace_);
	c->state = strdup("running");
	return c->id && c->name && c->pod && c->pod_namespace && c->state;
}

int cri_pb_sandboxes(const uint8_t *msg, size_t len, size_t index,
		     struct container_list *out, char **ret_msg)
{
	Runtime__V1__ListPodSandboxResponse *l = pb_unpack(
		&runtime__v1__list_pod_sandbox_response__descriptor, msg, len);
	int r = 0;

	if (!l) {
		set_msg(ret_msg, "malformed ListPodSandboxResponse");
		return -EBADMSG;
	}
	for (size_t i = 0; r == 0 && i < l->n_items && !full(out); i++) {
		struct container c;

		/* we asked for ready ones only: the engine may not care */
		if (l->items[i]->state !=
		    RUNTIME__V1__POD_SANDBOX_STATE__SANDBOX_READY)
			continue;
		if (!map_sandbox(l->items[i], index, &c)) {
			container_clear(&c);
			continue;
		}
		r = append(out, &c);
	}
	pb_free(l);
	return r;
}

/* The pid in the verbose info (the value of key "info": a JSON object
 * with "pid", as containerd and CRI-O write it); value may be NULL. */
static int info_pid(const char *value, pid_t *ret, char **ret_msg)
{
	json_auto_t *j = NULL;
	json_error_t jerr;
	json_int_t pid;
	json_t *v;

	if (!value) {
		set_msg(ret_msg, "no verbose info");
		return -EBADMSG;
	}
	j = json_loads(value, JSON_REJECT_DUPLICATES, &jerr);
	if (!j) {
		set_msg(ret_msg, "verbose info: malformed JSON: %s", jerr.text);
		return -EBADMSG;
	}
	v = json_object_get(j, "pid");
	pid = json_integer_value(v);
	if (!json_is_integer(v) || pid < 1 || pid > INT32_MAX) {
		set_msg(ret_msg, "verbose info: no valid pid");
		return -EBADMSG;
	}
	*ret = (pid_t)pid;
	return 0;
}

/* The value of key "info" among a map's entries (all the generated
 * entry types are alike, one per map). */
#define INFO_VALUE(entries, n)                                       \
	({                                                           \
		const char *_v = NULL;                               \
		for (size_t _i = 0; _i < (n); _i++)                  \
			if (strcmp((entries)[_i]->key, "info") == 0) \
				_v = (entries)[_i]->value;           \
		_v;                                                  \
	})

int cri_pb_sandbox_status(const uint8_t *msg, size_t len, struct container *c,
			  char **ret_msg)
{
	Runtime__V1__PodSandboxStatusResponse *s =
		pb_unpack(&runtime__v1__pod_sandbox_status_response__descriptor,
			  msg, len);
	pid_t pid = 0;
	int r;

	if (!s) {
		set_msg(ret_msg, "malformed PodSandboxStatusResponse");
		return -EBADMSG;
	}
	if (s->status && s->status->id[0] && strcmp(s->status->id, c->id)) {
		set_msg(ret_msg, "status of another sandbox");
		r = -EBADMSG;
	} else if (s->status &&
		   s->status->state !=
			   RUNTIME__V1__POD_SANDBOX_STATE__SANDBOX_READY) {
		set_msg(ret_msg, "sandbox not ready");
		r = -EBADMSG;
	} else {
		r = info_pid(INFO_VALUE(s->info, s->n_info), &pid, ret_msg);
	}
	pb_free(s);
	if (r < 0)
		return r;
	c->engine_pid = pid;
	return 0;
}

/* A running container of a known pod as struct container, or false. */
static bool map_container(const Runtime__V1__Container *pc, size_t index,
			  const struct container *pod, struct container *c)
{
	const char *image = pc->image ? pc->image->image : NULL;

	*c = (struct container){ .endpoint = index, .api = CONTAINER_API_CRI };
	if (!pb_valid_id(pc->id) || !pc->metadata || !pc->metadata->name[0]) {
		log_info("engine sent a container without a valid id or name");
		return false;
	}
	c->id = strdup(pc->id);
	c->name = pb_str(pc->metadata->name);
	c->image = pb_str(image);
	c->pod = strdup(pod->pod);
	c->pod_namespace = strdup(pod->pod_namespace);
	c->state = strdup("running");
	return c->id && c->name && c->pod && c->pod_namespace && c->state;
}

int cri_pb_containers(const uint8_t *msg, size_t len, size_t index, size_t pods,
		      struct container_list *out, char **ret_msg)
{
	Runtime__V1__ListContainersResponse *l = pb_unpack(
		&runtime__v1__list_containers_response__descriptor, msg, len);
	size_t n_pods = out->n;
	int r = 0;

	if (!l) {
		set_msg(ret_msg, "malformed ListContainersResponse");
		return -EBADMSG;
	}
	for (size_t i = 0; r == 0 && i < l->n_containers && !full(out); i++) {
		const Runtime__V1__Container *pc = l->containers[i];
		const struct container *pod = NULL;
		struct container c;

		if (pc->state !=
		    RUNTIME__V1__CONTAINER_STATE__CONTAINER_RUNNING)
			continue;
		for (size_t k = pods; !pod && k < n_pods; k++)
			if (out->v[k].infra &&
			    strcmp(out->v[k].id, pc->pod_sandbox_id) == 0)
				pod = &out->v[k];
		if (!pod)
			continue; /* of a sandbox not ready (or not told of) */
		if (!map_container(pc, index, pod, &c)) {
			container_clear(&c);
			continue;
		}
		r = append(out, &c);
	}
	pb_free(l);
	return r;
}

int cri_pb_container_status(const uint8_t *msg, size_t len, struct container *c,
			    char **ret_msg)
{
	Runtime__V1__ContainerStatusResponse *s = pb_unpack(
		&runtime__v1__container_status_response__descriptor, msg, len);
	const Runtime__V1__ContainerStatus *st;
	char *image = NULL;
	pid_t pid = 0;
	int r;

	if (!s) {
		set_msg(ret_msg, "malformed ContainerStatusResponse");
		return -EBADMSG;
	}
	st = s->status;
	if (st && st->id[0] && strcmp(st->id, c->id)) {
		set_msg(ret_msg, "status of another container");
		r = -EBADMSG;
	} else if (st &&
		   st->state !=
			   RUNTIME__V1__CONTAINER_STATE__CONTAINER_RUNNING) {
		set_msg(ret_msg, "container not running");
		r = -EBADMSG;
	} else {
		r = info_pid(INFO_VALUE(s->info, s->n_info), &pid, ret_msg);
	}
	if (r == 0 && st && st->image && st->image->image[0] &&
	    !(image = pb_str(st->image->image)))
		r = -ENOMEM;
	pb_free(s);
	if (r < 0)
		return r;
	c->engine_pid = pid;
	if (image) {
		free(c->image);
		c->image = image;
	}
	return 0;
}
