/* SPDX-License-Identifier: MIT */
/*
 * The Docker Engine API backend: dockerd, and podman's Docker-compatible
 * API. Only the HTTP calls and their order live here; what the answers
 * mean is docker-json.c's. Container ids are validated there before they
 * go into a URL here.
 */
#include <string.h>

#include "docker-json.h"
#include "backends.h"
#include "http-unix.h"
#include "log.h"
#include "util.h"

/* The newest API version we speak; older engines are asked in theirs. */
#define DOCKER_API_MAX_MAJOR 1
#define DOCKER_API_MAX_MINOR 41

/* podman's own list carries pids, pods and infra flags: no inspect per
 * container. v4.0.0 is the oldest libpod API that has all of them. */
#define LIBPOD_LIST_PATH "/v4.0.0/libpod/containers/json"

/* One call, its timeouts cut to what is left of the engine's budget;
 * -ETIME when that is what it ran out of, at once when nothing is left
 * (curl takes 0 for "no limit"). */
static int http_get(const struct engine_hints *h, const char *sock,
		    const char *path, char **ret_body, size_t *ret_len,
		    char **ret_headers, char **ret_msg)
{
	const struct http_limits lim = {
		.connect_ms = engine_call_ms(h, ENGINE_CONNECT_MS),
		.total_ms = engine_call_ms(h, ENGINE_TOTAL_MS),
		.body_max = ENGINE_BODY_MAX,
	};
	int r;

	if (lim.connect_ms <= 0 || lim.total_ms <= 0) {
		if (ret_msg && asprintf(ret_msg, "GET %s: not asked", path) < 0)
			*ret_msg = NULL;
		return -ETIME;
	}
	r = http_unix_get(sock, path, &lim, ret_body, ret_len, ret_headers,
			  ret_msg);
	if (r == -ETIMEDOUT && (lim.connect_ms < ENGINE_CONNECT_MS ||
				lim.total_ms < ENGINE_TOTAL_MS))
		r = -ETIME;
	return r;
}

/* The engine's first failure is the one line it is reported with. */
static int fail(struct engine_info *info, const char *path, int r, char *msg)
{
	if (!info->msg)
		info->msg = TAKE_PTR(msg);
	free(msg);
	if (!info->msg &&
	    asprintf(&info->msg, "GET %s: %s", path, strerror(-r)) < 0)
		info->msg = NULL;
	return r;
}

/* A parse failure of path's answer: msg ("malformed JSON: ...") is
 * taken; the line names the path. */
static int bad_answer(struct engine_info *info, const char *path, int r,
		      char *msg)
{
	char *line = NULL;

	if (msg && asprintf(&line, "GET %s: %s", path, msg) < 0)
		line = NULL;
	free(msg);
	return fail(info, path, r, line);
}

static int get(const struct engine_hints *h, const char *sock, const char *path,
	       char **ret_body, size_t *ret_len, struct engine_info *info)
{
	char *msg = NULL;
	int r = http_get(h, sock, path, ret_body, ret_len, NULL, &msg);

	return r < 0 ? fail(info, path, r, msg) : 0;
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

/* Pid, network mode and paused state of c; an error only skips c. */
static int inspect(const struct engine_hints *h, const char *sock,
		   const char *prefix, struct container *c)
{
	_cleanup_free_ char *body = NULL, *msg = NULL;
	char path[256];
	size_t len;
	int r;

	snprintf(path, sizeof(path), "%s/containers/%s/json", prefix, c->id);
	r = http_get(h, sock, path, &body, &len, NULL, &msg);
	if (r >= 0)
		r = docker_json_inspect(body, len, c, &msg);
	if (r < 0)
		/* gone meanwhile, or lying */
		log_info("container %s: %s", c->name, msg ? msg : strerror(-r));
	return r;
}

/* The compatible list, then one inspect for each container whose pid the
 * process table does not tell (dockerd runs its containers under
 * containerd shims in containerd's "moby" namespace). Containers whose
 * inspect fails are dropped; once the engine's budget is spent, so are
 * those not inspected yet, and the list is reported cut (-ETIME). */
static int compat_list(const char *sock, const char *prefix, size_t index,
		       const struct engine_hints *hints,
		       struct container_list *out, struct engine_info *info)
{
	_cleanup_free_ char *body = NULL;
	char path[128], *msg = NULL;
	size_t len, first = out->n, kept, inspected = 0, cut = 0, total;
	int r;

	snprintf(path, sizeof(path), "%s/containers/json", prefix);
	r = get(hints, sock, path, &body, &len, info);
	if (r < 0)
		return r;
	r = docker_json_list(body, len, index, out, &msg);
	if (r < 0)
		return bad_answer(info, path, r, msg);
	kept = first;
	total = out->n - first;
	for (size_t i = first; i < out->n; i++) {
		struct container *c = &out->v[i];

		c->pid = hints->shim_pid(hints, "moby", c->id);
		c->pid_is_host = c->pid > 0;
		if (!c->pid_is_host) {
			if (cut || engine_left_ms(hints) == 0) {
				cut++;
				container_clear(c);
				continue;
			}
			inspected++;
			if (inspect(hints, sock, prefix, c) < 0) {
				container_clear(c);
				continue;
			}
		}
		out->v[kept++] = *c;
	}
	out->n = kept;
	log_debug("%zu containers listed, %zu of them inspected (no shim)",
		  out->n - first, inspected);
	if (!cut)
		return 0;
	/* what was inspected in time is kept */
	if (asprintf(&msg, "%zu of %zu containers listed, %zu not inspected",
		     out->n - first, total, cut) < 0)
		msg = NULL;
	return fail(info, path, -ETIME, msg);
}

static int libpod_list(const struct engine_hints *h, const char *sock,
		       size_t index, struct container_list *out,
		       struct engine_info *info)
{
	_cleanup_free_ char *body = NULL;
	char *msg = NULL;
	size_t len;
	int r;

	r = http_get(h, sock, LIBPOD_LIST_PATH, &body, &len, NULL, &msg);
	if (r < 0) {
		/* -ENOENT, -EPROTO: the engine answered, just not this */
		if (r == -ENOENT || r == -EPROTO) {
			log_info("%s; using the compatible API",
				 msg ? msg : strerror(-r));
			free(msg);
			return -EOPNOTSUPP;
		}
		return fail(info, LIBPOD_LIST_PATH, r, msg);
	}
	r = libpod_json_list(body, len, index, out, &msg);
	return r < 0 ? bad_answer(info, LIBPOD_LIST_PATH, r, msg) : 0;
}

static int docker_list(const char *sock, enum engine_kind kind, size_t index,
		       const struct engine_hints *hints,
		       struct container_list *out, struct engine_info *info)
{
	_cleanup_free_ char *body = NULL, *headers = NULL;
	char prefix[32], *msg = NULL;
	bool is_podman = false;
	size_t len;
	int r;

	/* the versions from /_ping's headers; an engine that does not
	 * say them there is asked /version */
	r = http_get(hints, sock, "/_ping", &body, &len, &headers, &msg);
	if (r >= 0)
		r = docker_ping_headers(headers, info, &is_podman);
	else if (r != -ENOENT && r != -EPROTO)
		return fail(info, "/_ping", r, msg);
	free(TAKE_PTR(msg));
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		free(TAKE_PTR(body));
		r = get(hints, sock, "/version", &body, &len, info);
		if (r < 0)
			return r;
		r = docker_json_version(body, len, info, &is_podman, &msg);
		if (r < 0)
			return bad_answer(info, "/version", r, msg);
	}
	if (kind == ENGINE_PODMAN || is_podman) {
		r = libpod_list(hints, sock, index, out, info);
		if (r != -EOPNOTSUPP)
			return r;
	}
	api_prefix(info->api_version, prefix, sizeof(prefix));
	return compat_list(sock, prefix, index, hints, out, info);
}

const struct engine_ops docker_engine_ops = {
	.name = "docker",
	.list = docker_list,
};
