/* SPDX-License-Identifier: MIT */
/*
 * The Docker Engine API backend: dockerd, and podman's Docker-compatible
 * API. JSON becomes struct container here and nowhere else; no json_t
 * leaves this file. Everything the engine sends is untrusted: types are
 * checked, ids validated before they go into a URL, counts bounded.
 */
#include <jansson.h>
#include <string.h>

#include "engine.h"
#include "http-unix.h"
#include "log.h"
#include "util.h"

/* The newest API version we speak; older engines are asked in theirs. */
#define DOCKER_API_MAX_MAJOR 1
#define DOCKER_API_MAX_MINOR 41

static const struct http_limits limits = {
	.connect_ms = ENGINE_CONNECT_MS,
	.total_ms = ENGINE_TOTAL_MS,
	.body_max = ENGINE_BODY_MAX,
};

static int get_json(const char *sock, const char *path, json_t **ret,
		    struct engine_info *info)
{
	_cleanup_free_ char *body = NULL, *msg = NULL;
	json_error_t jerr;
	size_t len;
	json_t *j;
	int r;

	r = http_unix_get(sock, path, &limits, &body, &len, &msg);
	if (r < 0) {
		if (!info->msg)
			info->msg = TAKE_PTR(msg);
		return r;
	}
	j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j) {
		if (!info->msg &&
		    asprintf(&info->msg, "GET %s: malformed JSON: %s", path,
			     jerr.text) < 0)
			info->msg = NULL;
		return -EBADMSG;
	}
	*ret = j;
	return 0;
}

static char *dup_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? strndup(s, 1024) : NULL;
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

/* "1.41" → major, minor; the API prefix is min(engine's, ours). */
static void api_prefix(const char *engine_api, char *buf, size_t len)
{
	unsigned int major = 0, minor = 0;

	if (!engine_api || sscanf(engine_api, "%u.%u", &major, &minor) != 2 ||
	    major > DOCKER_API_MAX_MAJOR ||
	    (major == DOCKER_API_MAX_MAJOR && minor > DOCKER_API_MAX_MINOR)) {
		major = DOCKER_API_MAX_MAJOR;
		minor = DOCKER_API_MAX_MINOR;
	}
	snprintf(buf, len, "/v%u.%u", major, minor);
}

static int inspect(const char *sock, const char *prefix, struct container *c,
		   struct engine_info *info)
{
	json_auto_t *j = NULL;
	json_t *state, *hc;
	json_int_t pid;
	char path[256];
	int r;

	snprintf(path, sizeof(path), "%s/containers/%s/json", prefix, c->id);
	r = get_json(sock, path, &j, info);
	if (r < 0)
		return r;
	state = json_object_get(j, "State");
	pid = json_integer_value(json_object_get(state, "Pid"));
	if (!json_is_object(state) || pid <= 0 || pid > INT32_MAX)
		return -EBADMSG;
	c->engine_pid = (pid_t)pid;
	hc = json_object_get(j, "HostConfig");
	free(c->netmode);
	c->netmode = dup_str(hc, "NetworkMode");
	if (json_is_true(json_object_get(state, "Paused"))) {
		free(c->state);
		c->state = strdup("paused");
	}
	return 0;
}

static int docker_list(const char *sock, size_t index,
		       struct container_list *out, struct engine_info *info)
{
	json_auto_t *ver = NULL, *list = NULL;
	char prefix[32], path[128];
	size_t i;
	json_t *item;
	int r;

	r = get_json(sock, "/version", &ver, info);
	if (r < 0)
		return r;
	info->version = dup_str(ver, "Version");
	info->api_version = dup_str(ver, "ApiVersion");
	api_prefix(info->api_version, prefix, sizeof(prefix));

	snprintf(path, sizeof(path), "%s/containers/json", prefix);
	r = get_json(sock, path, &list, info);
	if (r < 0)
		return r;
	if (!json_is_array(list)) {
		if (!info->msg)
			info->msg = strdup("containers/json: not a JSON array");
		return -EBADMSG;
	}
	json_array_foreach(list, i, item)
	{
		struct container c = { .endpoint = index };
		json_t *names = json_object_get(item, "Names");
		const char *name = json_string_value(json_array_get(names, 0));

		if (out->n >= ENGINE_CONTAINERS_MAX) {
			log_warning(
				"engine lists more than %d containers: rest ignored",
				ENGINE_CONTAINERS_MAX);
			break;
		}
		c.id = dup_str(item, "Id");
		if (!valid_id(c.id) || !name || !*name) {
			log_info(
				"engine sent a container without a valid id or name");
			container_clear(&c);
			continue;
		}
		c.name = strndup(name[0] == '/' ? name + 1 : name, 1024);
		c.image = dup_str(item, "Image");
		c.state = dup_str(item, "State");
		/* only running (or paused) containers have a netns; a state
		 * that is not even a string is a lie */
		if (!c.name || !c.state ||
		    (strcmp(c.state, "running") != 0 &&
		     strcmp(c.state, "paused") != 0)) {
			if (c.name && !c.state)
				log_info("container %s: no valid state",
					 c.name);
			container_clear(&c);
			continue;
		}
		r = inspect(sock, prefix, &c, info);
		if (r < 0) {
			/* gone meanwhile, or lying: skip this one */
			log_info("container %s: %s", c.name, strerror(-r));
			container_clear(&c);
			continue;
		}
		{
			struct container *v = grow_array(
				out->v, &out->cap, out->n, sizeof(*v), 16);

			if (!v) {
				container_clear(&c);
				return -ENOMEM;
			}
			out->v = v;
			out->v[out->n++] = c;
		}
	}
	return 0;
}

static const struct engine_ops docker_ops = {
	.name = "docker",
	.list = docker_list,
};

/* The engines module's entry point (see engine.h). */
const struct engine_ops *turtlecap_engine_ops_v1(enum engine_kind kind);
const struct engine_ops *turtlecap_engine_ops_v1(enum engine_kind kind)
{
	static bool inited;

	if (!inited) {
		/* called from the single-threaded loader first */
		if (http_unix_global_init() < 0)
			return NULL;
		inited = true;
	}
	switch (kind) {
	case ENGINE_DOCKER:
	case ENGINE_PODMAN:
		return &docker_ops;
	default:
		return NULL;
	}
}
