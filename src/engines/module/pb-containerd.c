/* SPDX-License-Identifier: MIT */
/*
 * containerd's protobuf becomes struct container here and nowhere else;
 * no generated type leaves this file. See pb-containerd.h.
 */
#include "pb-containerd.h"

#include <string.h>

#include "containerd.pb-c.h"
#include "log.h"
#include "pb.h"
#include "util.h"

int containerd_pb_version(const uint8_t *msg, size_t len,
			  struct engine_info *info, char **ret_msg)
{
	Containerd__VersionResponse *v =
		pb_unpack(&containerd__version_response__descriptor, msg, len);

	if (!v) {
		set_msg(ret_msg, "malformed VersionResponse");
		return -EBADMSG;
	}
	free(info->version);
	info->version = pb_str(v->version);
	pb_free(v);
	return 0;
}

void containerd_pb_strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

int containerd_pb_namespaces(const uint8_t *msg, size_t len, char ***ret,
			     char **ret_msg)
{
	Containerd__ListNamespacesResponse *l = pb_unpack(
		&containerd__list_namespaces_response__descriptor, msg, len);
	char **v;
	size_t n = 0;

	if (!l) {
		set_msg(ret_msg, "malformed ListNamespacesResponse");
		return -EBADMSG;
	}
	v = calloc(CONTAINERD_NAMESPACES_MAX + 1, sizeof(*v));
	for (size_t i = 0; v && i < l->n_namespaces; i++) {
		const char *name = l->namespaces[i]->name;

		if (n == CONTAINERD_NAMESPACES_MAX) {
			log_warning(
				"engine lists more than %d namespaces: rest ignored",
				CONTAINERD_NAMESPACES_MAX);
			break;
		}
		if (!pb_valid_id(name)) {
			log_info(
				"engine sent a namespace without a valid name");
			continue;
		}
		/* one namespace twice would list its containers twice */
		for (size_t k = 0; name && k < n; k++)
			if (strcmp(v[k], name) == 0)
				name = NULL;
		if (name && !(v[n++] = strdup(name))) {
			containerd_pb_strv_free(v);
			v = NULL;
		}
	}
	pb_free(l);
	if (!v)
		return -ENOMEM;
	*ret = v;
	return 0;
}

static bool has_label(const Containerd__Container *c, const char *key)
{
	for (size_t i = 0; i < c->n_labels; i++)
		if (c->labels[i]->key && strcmp(c->labels[i]->key, key) == 0)
			return true;
	return false;
}

/* A container of namespace ns as struct container, or false to skip. */
static bool map_container(const Containerd__Container *pc, const char *ns,
			  size_t index, struct container *c)
{
	*c = (struct container){ .endpoint = index,
				 .api = CONTAINER_API_CONTAINERD };
	if (!pb_valid_id(pc->id)) {
		log_info("engine sent a container without a valid id");
		return false;
	}
	c->id = strdup(pc->id);
	/* the default namespace is what ctr and most users mean */
	if (strcmp(ns, "default") == 0)
		c->name = strdup(pc->id);
	else if (asprintf(&c->name, "%s/%s", ns, pc->id) < 0)
		c->name = NULL;
	c->image = pb_str(pc->image);
	return c->id && c->name;
}

int containerd_pb_containers(const uint8_t *msg, size_t len, const char *ns,
			     size_t index, bool skip_cri,
			     struct container_list *out, char **ret_msg)
{
	Containerd__ListContainersResponse *l = pb_unpack(
		&containerd__list_containers_response__descriptor, msg, len);
	int r = 0;

	if (!l) {
		set_msg(ret_msg, "malformed ListContainersResponse");
		return -EBADMSG;
	}
	for (size_t i = 0; i < l->n_containers; i++) {
		struct container c, *v;

		if (out->n >= ENGINE_CONTAINERS_MAX) {
			log_warning(
				"engine lists more than %d containers: rest ignored",
				ENGINE_CONTAINERS_MAX);
			break;
		}
		if (skip_cri &&
		    has_label(l->containers[i], CONTAINERD_CRI_LABEL))
			continue;
		if (!map_container(l->containers[i], ns, index, &c)) {
			container_clear(&c);
			continue;
		}
		v = grow_array(out->v, &out->cap, out->n, sizeof(*v), 16);
		if (!v) {
			container_clear(&c);
			r = -ENOMEM;
			break;
		}
		out->v = v;
		out->v[out->n++] = c;
	}
	pb_free(l);
	return r;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct container *)a)->id,
		      ((const struct container *)b)->id);
}

/* Drop out->v[first..] that have no state. */
static void keep_live(struct container_list *out, size_t first)
{
	size_t kept = first;

	for (size_t i = first; i < out->n; i++) {
		if (!out->v[i].state) {
			container_clear(&out->v[i]);
			continue;
		}
		out->v[kept++] = out->v[i];
	}
	out->n = kept;
}

int containerd_pb_tasks(const uint8_t *msg, size_t len,
			struct container_list *out, size_t first,
			char **ret_msg)
{
	Containerd__ListTasksResponse *l = pb_unpack(
		&containerd__list_tasks_response__descriptor, msg, len);
	size_t n = out->n - first;
	int r = 0;

	if (!l) {
		keep_live(out, first); /* none has a state yet */
		set_msg(ret_msg, "malformed ListTasksResponse");
		return -EBADMSG;
	}
	/* by id, for the join: thousands of each are possible */
	if (n > 1)
		qsort(out->v + first, n, sizeof(*out->v), by_id);
	for (size_t i = 0; i < l->n_tasks; i++) {
		const Containerd__Process *t = l->tasks[i];
		struct container key = { .id = t->id }, *c;
		const char *state;

		if (t->status == CONTAINERD__TASK_STATUS__RUNNING)
			state = "running";
		else if (t->status == CONTAINERD__TASK_STATUS__PAUSED)
			state = "paused";
		else
			continue;
		if (!pb_valid_id(t->id) || n == 0)
			continue;
		c = bsearch(&key, out->v + first, n, sizeof(*out->v), by_id);
		if (!c)
			continue; /* a task of no container we were told of */
		if (t->pid < 1 || t->pid > INT32_MAX) {
			log_info("container %s: no valid pid", c->name);
			continue;
		}
		if (c->state) {
			log_info("container %s: more than one task", c->name);
			continue;
		}
		c->engine_pid = (pid_t)t->pid;
		c->state = strdup(state);
		if (!c->state) {
			r = -ENOMEM;
			break;
		}
	}
	pb_free(l);
	keep_live(out, first);
	return r;
}
