/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the engines' JSON mapping (src/docker-json.c): the
 * input goes to all four parsers as an engine's answer. Besides crashes,
 * leaks and sanitizer reports, it checks what engine.c and engine-docker.c
 * rely on (abort() when broken): every container kept has a hex id of 12
 * to 64 digits (it goes into a URL), a non-empty name without Docker's
 * '/', state running or paused, a pid in range once one is claimed, and
 * a failed inspect changes nothing. replay.c feeds the corpus to the same
 * entry point as a plain CTest test.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "docker-json.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INDEX 5

static void check_str(const char *s)
{
	if (s && strlen(s) > 1024)
		abort();
}

static void check_container(const struct container *c, bool has_pid)
{
	size_t n = strlen(c->id);

	if (n < 12 || n > 64 || strspn(c->id, "0123456789abcdef") != n)
		abort();
	if (!c->name[0] || c->name[0] == '/' || c->endpoint != INDEX)
		abort();
	if (strcmp(c->state, "running") != 0 && strcmp(c->state, "paused") != 0)
		abort();
	if (has_pid ? c->engine_pid <= 0 : c->engine_pid != 0)
		abort();
	/* Docker's list gives the network mode, libpod's (with pids) not */
	if ((has_pid && c->netmode) || (!has_pid && (c->pod || c->infra)))
		abort();
	if (c->pod && !c->pod[0])
		abort();
	check_str(c->name);
	check_str(c->image);
	check_str(c->pod);
	check_str(c->netmode);
}

/* A parse's message: one line on -EBADMSG, nothing otherwise. */
static void check_msg(int r, char *msg)
{
	if (r != 0 && r != -EBADMSG && r != -ENOMEM)
		abort();
	if ((r == -EBADMSG) != (msg != NULL))
		abort();
	free(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy: ASan sees any read past the end */
	char *buf = malloc(size ? size : 1), *msg = NULL;
	struct engine_info info = { 0 };
	struct container_list l = { 0 };
	struct container c = { 0 };
	bool podman = false;
	size_t n;
	int r;

	if (!buf)
		abort();
	if (size)
		memcpy(buf, data, size);

	r = docker_json_version(buf, size, &info, &podman, &msg);
	check_msg(r, TAKE_PTR(msg));
	check_str(info.version);
	check_str(info.api_version);
	engine_info_clear(&info);

	/* the same bytes as /_ping's header lines (NUL-terminated there) */
	{
		char *h = malloc(size + 1);

		if (!h)
			abort();
		memcpy(h, data, size);
		h[size] = '\0';
		r = docker_ping_headers(h, &info, &podman);
		if (r != 0 && r != -ENOENT)
			abort();
		if (r == 0 && (!info.api_version || !info.api_version[0] ||
			       strlen(info.api_version) > 31 ||
			       (info.version && strlen(info.version) > 79)))
			abort();
		check_str(info.version);
		engine_info_clear(&info);
		free(h);
	}

	r = docker_json_list(buf, size, INDEX, &l, &msg);
	check_msg(r, TAKE_PTR(msg));
	for (size_t i = 0; i < l.n; i++)
		check_container(&l.v[i], false);
	n = l.n;
	r = libpod_json_list(buf, size, INDEX, &l, &msg);
	check_msg(r, TAKE_PTR(msg));
	for (size_t i = n; i < l.n; i++)
		check_container(&l.v[i], true);
	/* libpod's list keeps what the compatible one would, and more
	 * checks may drop some */
	if (l.n > ENGINE_CONTAINERS_MAX || l.n - n > n)
		abort();
	container_list_clear(&l);

	c.id = strdup("0123456789ab");
	c.state = strdup("running");
	if (!c.id || !c.state)
		abort();
	r = docker_json_inspect(buf, size, &c, &msg);
	check_msg(r, TAKE_PTR(msg));
	if (r == 0 ? c.engine_pid <= 0
		   : c.engine_pid != 0 || strcmp(c.state, "running") != 0)
		abort();
	check_str(c.netmode);
	container_clear(&c);
	free(buf);
	return 0;
}
