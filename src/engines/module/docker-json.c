/* SPDX-License-Identifier: MIT */
/*
 * JSON becomes struct container here and nowhere else; no json_t leaves
 * this file. See docker-json.h.
 */
#include "docker-json.h"

#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "util.h"

#define STR_MAX 1024 /* longest string taken from an engine */
/* Names are kept whole (a cut one would be another container's name, or
 * none) up to this; a longer one is refused. Docker sets no limit. */
#define NAME_LEN_MAX 4096

static json_t *load(const char *body, size_t len, char **ret_msg)
{
	json_error_t jerr;
	json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);

	if (!j)
		set_msg(ret_msg, "malformed JSON: %s", jerr.text);
	return j;
}

static char *dup_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? strndup(s, STR_MAX) : NULL;
}

/* Container ids go into URLs: hex only. */
static bool valid_id(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (n < 12 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= '0' && id[i] <= '9') ||
		      (id[i] >= 'a' && id[i] <= 'f')))
			return false;
	return true;
}

/* A pid as an engine reports it: a JSON integer that fits pid_t, > 0. */
static bool get_pid(json_t *v, pid_t *ret)
{
	json_int_t pid = json_integer_value(v);

	if (!json_is_integer(v) || pid <= 0 || pid > INT32_MAX)
		return false;
	*ret = (pid_t)pid;
	return true;
}

struct ping {
	char api[32], server[80], libpod[32];
};

/* A header's value as a version: [A-Za-z0-9.+~_/ ()-], at most max-1
 * bytes; else it is not taken. */
static void take_value(const char *v, const char *end, char *dst, size_t max)
{
	size_t n;

	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == ' '))
		end--;
	n = (size_t)(end - v);
	if (n == 0 || n >= max)
		return;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ.+~_/ ()-",
			    v[i]) ||
		    v[i] == '\0')
			return;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static int ping_line(const char *line, const char *end, void *userdata)
{
	static const struct {
		const char *name;
		size_t off, max;
	} fields[] = {
		{ "api-version:", offsetof(struct ping, api), 32 },
		{ "server:", offsetof(struct ping, server), 80 },
		{ "libpod-api-version:", offsetof(struct ping, libpod), 32 },
	};
	struct ping *p = userdata;

	for (size_t i = 0; i < ELEMENTSOF(fields); i++) {
		size_t n = strlen(fields[i].name);

		if ((size_t)(end - line) >= n &&
		    strncasecmp(line, fields[i].name, n) == 0)
			take_value(line + n, end, (char *)p + fields[i].off,
				   fields[i].max);
	}
	return 0;
}

int docker_ping_headers(const char *headers, struct engine_info *info,
			bool *is_podman)
{
	struct ping p = { 0 };
	const char *v;
	char *slash, *space;

	for_each_line(headers, ping_line, &p);
	if (!p.api[0])
		return -ENOENT;
	*is_podman = p.libpod[0] != '\0';
	/* "Docker/20.10.24+dfsg1 (linux)": the version after the slash */
	v = p.libpod[0] ? p.libpod : NULL;
	slash = strchr(p.server, '/');
	if (!v && slash) {
		space = strchr(slash, ' ');
		if (space)
			*space = '\0';
		if (slash[1])
			v = slash + 1;
	}
	free(info->api_version);
	info->api_version = strdup(p.api);
	free(info->version);
	info->version = v ? strdup(v) : NULL;
	return info->api_version && (!v || info->version) ? 0 : -ENOMEM;
}

int docker_json_version(const char *body, size_t len, struct engine_info *info,
			bool *is_podman, char **ret_msg)
{
	json_auto_t *j = load(body, len, ret_msg);
	json_t *comp;
	size_t i;

	if (!j)
		return -EBADMSG;
	free(info->version);
	info->version = dup_str(j, "Version");
	free(info->api_version);
	info->api_version = dup_str(j, "ApiVersion");
	*is_podman = false;
	/* podman's compatible /version has Docker's fields too: only its
	 * components tell */
	json_array_foreach(json_object_get(j, "Components"), i, comp)
	{
		const char *name =
			json_string_value(json_object_get(comp, "Name"));

		if (name && strcmp(name, "Podman Engine") == 0) {
			*is_podman = true;
			break;
		}
	}
	return 0;
}

/* Id, name, image and state: what both lists give alike. */
static bool list_item(json_t *item, struct container *c)
{
	json_t *names = json_object_get(item, "Names");
	const char *name = json_string_value(json_array_get(names, 0));

	if (name && name[0] == '/')
		name++; /* Docker's; libpod's names have none */
	c->id = dup_str(item, "Id");
	/* no engine names a container "" or "/x" (fuzzing found "//") */
	if (!valid_id(c->id) || !name || !*name || *name == '/') {
		log_info("engine sent a container without a valid id or name");
		return false;
	}
	if (strlen(name) > NAME_LEN_MAX) {
		log_info("container %.12s: name longer than %d bytes", c->id,
			 NAME_LEN_MAX);
		return false;
	}
	c->name = strdup(name);
	c->image = dup_str(item, "Image");
	c->state = dup_str(item, "State");
	/* Docker's list has it (libpod's not): "container:ID" shares ID's */
	c->netmode =
		dup_str(json_object_get(item, "HostConfig"), "NetworkMode");
	/* only running (or paused) containers have a netns; a state that is
	 * not even a string is a lie */
	if (!c->name || !c->state ||
	    (strcmp(c->state, "running") != 0 &&
	     strcmp(c->state, "paused") != 0)) {
		if (c->name && !c->state)
			log_info("container %s: no valid state", c->name);
		return false;
	}
	return true;
}

/* What libpod's list adds: pid, pod, infra. */
static bool libpod_item(json_t *item, struct container *c)
{
	json_t *pod = json_object_get(item, "PodName");
	json_t *infra = json_object_get(item, "IsInfra");

	if (!get_pid(json_object_get(item, "Pid"), &c->engine_pid)) {
		log_info("container %s: no valid pid", c->name);
		return false;
	}
	if ((pod && !json_is_string(pod) && !json_is_null(pod)) ||
	    (infra && !json_is_boolean(infra))) {
		log_info("container %s: malformed PodName or IsInfra", c->name);
		return false;
	}
	if (json_string_length(pod) > NAME_LEN_MAX) {
		log_info("container %s: pod name longer than %d bytes", c->name,
			 NAME_LEN_MAX);
		return false;
	}
	if (json_string_length(pod) > 0) {
		c->pod = strdup(json_string_value(pod));
		if (!c->pod)
			return false;
	}
	c->infra = json_is_true(infra);
	return true;
}

static int parse_list(const char *body, size_t len, size_t index,
		      struct container_list *out,
		      bool (*more)(json_t *item, struct container *c),
		      char **ret_msg)
{
	json_auto_t *list = load(body, len, ret_msg);
	json_t *item;
	size_t i;

	if (!list)
		return -EBADMSG;
	if (!json_is_array(list)) {
		set_msg(ret_msg, "not a JSON array");
		return -EBADMSG;
	}
	json_array_foreach(list, i, item)
	{
		struct container c = { .endpoint = index };
		struct container *v;

		if (out->n >= ENGINE_CONTAINERS_MAX) {
			log_warning(
				"engine lists more than %d containers: rest ignored",
				ENGINE_CONTAINERS_MAX);
			break;
		}
		if (!list_item(item, &c) || (more && !more(item, &c))) {
			container_clear(&c);
			continue;
		}
		v = grow_array(out->v, &out->cap, out->n, sizeof(*v), 16);
		if (!v) {
			container_clear(&c);
			return -ENOMEM;
		}
		out->v = v;
		out->v[out->n++] = c;
	}
	return 0;
}

int docker_json_list(const char *body, size_t len, size_t index,
		     struct container_list *out, char **ret_msg)
{
	return parse_list(body, len, index, out, NULL, ret_msg);
}

int libpod_json_list(const char *body, size_t len, size_t index,
		     struct container_list *out, char **ret_msg)
{
	return parse_list(body, len, index, out, libpod_item, ret_msg);
}

int docker_json_inspect(const char *body, size_t len, struct container *c,
			char **ret_msg)
{
	json_auto_t *j = load(body, len, ret_msg);
	json_t *state;
	char *paused = NULL;
	pid_t pid;

	if (!j)
		return -EBADMSG;
	state = json_object_get(j, "State");
	if (!json_is_object(state) ||
	    !get_pid(json_object_get(state, "Pid"), &pid)) {
		set_msg(ret_msg, "no valid State.Pid");
		return -EBADMSG;
	}
	if (json_is_true(json_object_get(state, "Paused"))) {
		paused = strdup("paused");
		if (!paused)
			return -ENOMEM;
		free(c->state);
		c->state = paused;
	}
	c->engine_pid = pid;
	free(c->netmode);
	c->netmode = dup_str(json_object_get(j, "HostConfig"), "NetworkMode");
	return 0;
}
