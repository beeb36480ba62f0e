/* SPDX-License-Identifier: MIT */
/* docker-json: recorded answers of real engines (dockerd 20.10, podman
 * 4.3 compatible and libpod), and what a lying engine may send. */
#include <fcntl.h>

#include "docker-json.h"
#include "log.h"
#include "containers.h"
#include "tap.h"
#include "util.h"

typedef int (*list_fn)(const char *body, size_t len, size_t index,
		       struct container_list *out, char **ret_msg);

/* Parse a fixture's list into out (cleared first); returns the result. */
static int list_fixture(list_fn fn, const char *name, size_t index,
			struct container_list *out)
{
	size_t len = 0;
	char *body = tap_fixture("engines", name, &len);
	int r;

	container_list_clear(out);
	r = body ? fn(body, len, index, out, NULL) : -ENOENT;
	free(body);
	return r;
}

/* The number of containers kept from an inline answer, or -errno. */
static int count(list_fn fn, const char *json)
{
	struct container_list l = { 0 };
	int r = fn(json, strlen(json), 0, &l, NULL);

	if (r == 0)
		r = (int)l.n;
	container_list_clear(&l);
	return r;
}

static void test_version(void)
{
	struct engine_info info = { 0 };
	bool podman = true;
	size_t len = 0;
	char *body = tap_fixture("engines", "docker-version.json", &len),
	     *msg = NULL;

	CHECK(body &&
	      docker_json_version(body, len, &info, &podman, NULL) == 0);
	CHECK_STREQ(info.version, "20.10.24+dfsg1");
	CHECK_STREQ(info.api_version, "1.41");
	CHECK(!podman);
	free(body);

	body = tap_fixture("engines", "podman-version.json", &len);
	CHECK(body &&
	      docker_json_version(body, len, &info, &podman, NULL) == 0);
	CHECK_STREQ(info.version, "4.3.1");
	CHECK_STREQ(info.api_version, "1.41"); /* the compatible API's */
	CHECK(podman);
	free(body);
	engine_info_clear(&info);

#define VERSION(json) \
	docker_json_version(json, strlen(json), &info, &podman, NULL)
	/* wrong types: nothing taken, not podman, not an error */
	CHECK(VERSION("{\"Version\":42,\"ApiVersion\":[1],"
		      "\"Components\":{\"Name\":\"Podman Engine\"}}") == 0);
	CHECK(!info.version && !info.api_version && !podman);
	CHECK(VERSION("{\"Components\":[7,{\"Name\":5},"
		      "{\"Name\":\"podman engine\"},\"Podman Engine\"]}") == 0);
	CHECK(!podman);
	CHECK(VERSION("{\"Components\":[{},{\"Name\":\"Podman Engine\"}]}") ==
	      0);
	CHECK(podman);
	CHECK(VERSION("[]") == 0);
	CHECK(!info.version && !podman);
#undef VERSION
	CHECK(docker_json_version("{\"Version\":", 11, &info, &podman, &msg) ==
	      -EBADMSG);
	CHECK(msg && strncmp(msg, "malformed JSON: ", 16) == 0);
	free(msg);
	engine_info_clear(&info);
}

static void test_docker(void)
{
	struct container_list l = { 0 };
	const struct container *c;
	struct container w = { 0 };
	size_t len = 0;
	char *body;

	CHECK_EQ(
		list_fixture(docker_json_list, "docker-containers.json", 3, &l),
		0);
	CHECK_EQ(l.n, 6);
	c = find_container(&l, "web");
	CHECK(c != NULL);
	if (c) {
		CHECK_STREQ(c->id, "26f3c98ed05d58dd37d28283f36ba728bde7a973"
				   "1dc899f719894b20417b35d0");
		CHECK_STREQ(c->image, "local/busybox:1");
		CHECK_STREQ(c->state, "running");
		CHECK_EQ(c->endpoint, 3);
		CHECK_EQ(c->engine_pid, 0); /* inspect's */
		CHECK_STREQ(c->netmode, "default");
		CHECK(!c->pod && !c->infra);
	}
	/* the list's network mode: who shares whose netns, no inspect */
	c = find_container(&l, "sidecar");
	CHECK(c && c->netmode &&
	      strcmp(c->netmode, "container:26f3c98ed05d58dd37d28283f36ba728b"
				 "de7a9731dc899f719894b20417b35d0") == 0);
	CHECK(find_container(&l, "dind") && find_container(&l, "sidecar") &&
	      find_container(&l, "hostnet"));
	CHECK(l.n && strcmp(l.v[0].name, "dind") == 0);

	/* inspect fills pid and network mode */
	body = tap_fixture("engines", "docker-inspect-sidecar.json", &len);
	w.state = strdup("running");
	CHECK(body && docker_json_inspect(body, len, &w, NULL) == 0);
	CHECK_EQ(w.engine_pid, 12906);
	CHECK_STREQ(w.netmode, "container:26f3c98ed05d58dd37d28283f36ba728bd"
			       "e7a9731dc899f719894b20417b35d0");
	CHECK_STREQ(w.state, "running");
	free(body);
	body = tap_fixture("engines", "docker-inspect-hostnet.json", &len);
	CHECK(body && docker_json_inspect(body, len, &w, NULL) == 0);
	CHECK_EQ(w.engine_pid, 12981);
	CHECK_STREQ(w.netmode, "host");
	free(body);
	body = tap_fixture("engines", "docker-inspect-web.json", &len);
	CHECK(body && docker_json_inspect(body, len, &w, NULL) == 0);
	CHECK_EQ(w.engine_pid, 12716);
	CHECK_STREQ(w.netmode, "default");
	free(body);

	/* podman's compatible list: names, but no pids yet */
	CHECK_EQ(list_fixture(docker_json_list, "podman-compat-containers.json",
			      0, &l),
		 0);
	CHECK_EQ(l.n, 4);
	CHECK(find_container(&l, "pind") && find_container(&l, "pweb") &&
	      find_container(&l, "ppod-web"));
	c = find_container(&l, "1d4561b010b8-infra");
	CHECK(c && c->engine_pid == 0 && !c->infra && !c->pod);
	c = find_container(&l, "pind");
	CHECK(c && c->image && c->image[0] == '\0');

	/* appending: the cap counts what out already holds */
	CHECK_EQ(
		list_fixture(docker_json_list, "docker-containers.json", 0, &l),
		0);
	body = tap_fixture("engines", "podman-compat-containers.json", &len);
	CHECK(body && docker_json_list(body, len, 1, &l, NULL) == 0);
	CHECK_EQ(l.n, 10);
	CHECK(l.n == 10 && l.v[5].endpoint == 0 && l.v[6].endpoint == 1);
	free(body);
	container_list_clear(&l);
	container_clear(&w);
}

#define ID12   "0123456789ab"
#define ID64   ID12 ID12 ID12 ID12 ID12 "0123"
#define Q(s)   "\"" s "\""
#define NAME_X "[\"/x\"]"
#define RUN    Q("running")
#define PID1   ",\"Pid\":1"

/* One list item from its JSON parts, and how many containers each list
 * keeps of it (or -errno). */
static const struct item_case {
	const char *id, *names, *state, *more;
	int docker, libpod;
} item_cases[] = {
	/* ids: hex, 12 to 64 digits, lower case, a string */
	{ Q(ID12), NAME_X, RUN, PID1, 1, 1 },
	{ Q(ID64), NAME_X, RUN, PID1, 1, 1 },
	{ Q("0123456789a"), NAME_X, RUN, PID1, 0, 0 },
	{ Q(ID64 "0"), NAME_X, RUN, PID1, 0, 0 },
	{ Q("0123456789AB"), NAME_X, RUN, PID1, 0, 0 },
	{ Q("0123456789ag"), NAME_X, RUN, PID1, 0, 0 },
	{ Q(ID12 "X"), NAME_X, RUN, PID1, 0, 0 },
	{ Q("../../../etc/x"), NAME_X, RUN, PID1, 0, 0 },
	{ "123456789012", NAME_X, RUN, PID1, 0, 0 },
	{ "null", NAME_X, RUN, PID1, 0, 0 },
	/* names: a non-empty string first in an array */
	{ Q(ID12), "[\"x\",3]", RUN, PID1, 1, 1 },
	{ Q(ID12), "\"/x\"", RUN, PID1, 0, 0 },
	{ Q(ID12), "[]", RUN, PID1, 0, 0 },
	{ Q(ID12), "[3,\"/x\"]", RUN, PID1, 0, 0 },
	{ Q(ID12), "[\"/\"]", RUN, PID1, 0, 0 },
	{ Q(ID12), "[\"\"]", RUN, PID1, 0, 0 },
	/* found by fuzzing: "//" left a name of "/" */
	{ Q(ID12), "[\"//\"]", RUN, PID1, 0, 0 },
	{ Q(ID12), "[\"//x\"]", RUN, PID1, 0, 0 },
	/* states: running and paused only, and a string */
	{ Q(ID12), NAME_X, Q("paused"), PID1, 1, 1 },
	{ Q(ID12), NAME_X, Q("exited"), PID1, 0, 0 },
	{ Q(ID12), NAME_X, "{}", PID1, 0, 0 },
	{ Q(ID12), NAME_X, "null", PID1, 0, 0 },
	/* an image that is not a string is just unknown */
	{ Q(ID12), NAME_X, RUN, PID1 ",\"Image\":7", 1, 1 },
	/* libpod's pid: an integer of pid_t, > 0 */
	{ Q(ID12), NAME_X, RUN, "", 1, 0 },
	{ Q(ID12), NAME_X, RUN, ",\"Pid\":2147483647", 1, 1 },
	{ Q(ID12), NAME_X, RUN, ",\"Pid\":0", 1, 0 },
	{ Q(ID12), NAME_X, RUN, ",\"Pid\":-13440", 1, 0 },
	{ Q(ID12), NAME_X, RUN, ",\"Pid\":2147483648", 1, 0 },
	{ Q(ID12), NAME_X, RUN, ",\"Pid\":-9223372036854775808", 1, 0 },
	{ Q(ID12), NAME_X, RUN, ",\"Pid\":1e3", 1, 0 },
	{ Q(ID12), NAME_X, RUN, ",\"Pid\":\"13440\"", 1, 0 },
	{ Q(ID12), NAME_X, RUN, ",\"Pid\":null", 1, 0 },
	/* libpod's pod and infra flag: a string (or null), a boolean */
	{ Q(ID12), NAME_X, RUN,
	  PID1 ",\"IsInfra\":true,\"PodName\":\"p\",\"Pod\":" Q(ID64), 1, 1 },
	{ Q(ID12), NAME_X, RUN, PID1 ",\"PodName\":null", 1, 1 },
	{ Q(ID12), NAME_X, RUN, PID1 ",\"IsInfra\":\"true\"", 1, 0 },
	{ Q(ID12), NAME_X, RUN, PID1 ",\"IsInfra\":1", 1, 0 },
	{ Q(ID12), NAME_X, RUN, PID1 ",\"PodName\":5", 1, 0 },
	{ Q(ID12), NAME_X, RUN, PID1 ",\"PodName\":[\"p\"]", 1, 0 },
	/* a duplicate key fails the whole answer */
	{ Q(ID12), NAME_X, RUN, PID1 ",\"Id\":" Q(ID64), -EBADMSG, -EBADMSG },
};

static void test_hostile_list(void)
{
	struct container_list l = { 0 };
	char *msg = NULL;

	for (size_t i = 0; i < ELEMENTSOF(item_cases); i++) {
		const struct item_case *t = &item_cases[i];
		char json[512];
		int docker, libpod;

		snprintf(json, sizeof(json),
			 "[{\"Id\":%s,\"Names\":%s,\"State\":%s%s}]", t->id,
			 t->names, t->state, t->more);
		docker = count(docker_json_list, json);
		libpod = count(libpod_json_list, json);
		CHECK_EQ(docker, t->docker);
		CHECK_EQ(libpod, t->libpod);
		if (docker != t->docker || libpod != t->libpod)
			fprintf(stderr, "  in case %zu: %s\n", i, json);
	}
	/* items that are not objects, an empty list */
	CHECK_EQ(count(docker_json_list, "[1,\"x\",null,[],true,{}]"), 0);
	CHECK_EQ(count(libpod_json_list, "[1,\"x\",null,[],true,{}]"), 0);
	CHECK_EQ(count(docker_json_list, "[]"), 0);

	/* not a list, not JSON, trailing bytes */
	CHECK_EQ(docker_json_list("{}", 2, 0, &l, &msg), -EBADMSG);
	CHECK_STREQ(msg, "not a JSON array");
	free(msg);
	msg = NULL;
	CHECK_EQ(libpod_json_list("[{\"Id\": \"0123\"", 15, 0, &l, &msg),
		 -EBADMSG);
	CHECK(msg && strncmp(msg, "malformed JSON: ", 16) == 0);
	free(msg);
	CHECK_EQ(count(docker_json_list, "[] []"), -EBADMSG);
	CHECK_EQ(count(docker_json_list, ""), -EBADMSG);
	/* the length is the body's, whatever follows it */
	CHECK_EQ(docker_json_list("[]garbage", 2, 0, &l, NULL), 0);
	CHECK_EQ(docker_json_list("[]\0[]", 5, 0, &l, NULL), -EBADMSG);
	CHECK_EQ(l.n, 0);
}

/* More containers than ENGINE_CONTAINERS_MAX: the rest is ignored. */
static void test_huge_list(void)
{
	const size_t n = ENGINE_CONTAINERS_MAX + 10;
	const char *item =
		"{\"Id\":" Q(ID12) ",\"Names\":" NAME_X ",\"State\":" RUN "},";
	size_t ilen = strlen(item);
	char *json = malloc(n * ilen + 3);
	struct container_list l = { 0 };

	CHECK(json != NULL);
	if (!json)
		return;
	json[0] = '[';
	for (size_t i = 0; i < n; i++)
		memcpy(json + 1 + i * ilen, item, ilen);
	memcpy(json + n * ilen, "]", 2); /* over the last comma */
	CHECK_EQ(docker_json_list(json, strlen(json), 0, &l, NULL), 0);
	CHECK_EQ(l.n, ENGINE_CONTAINERS_MAX);
	container_list_clear(&l);
	free(json);
}

static void test_inspect(void)
{
	struct container c = { 0 };
	char *msg = NULL;

#define INSPECT(json) docker_json_inspect(json, strlen(json), &c, NULL)
	c.state = strdup("running");
	c.netmode = strdup("bridge");
	/* a lie leaves c as it was */
	CHECK_EQ(INSPECT("{\"State\":{\"Pid\":-5}}"), -EBADMSG);
	CHECK_EQ(INSPECT("{\"State\":{\"Pid\":0}}"), -EBADMSG);
	CHECK_EQ(INSPECT("{\"State\":{\"Pid\":2147483648}}"), -EBADMSG);
	CHECK_EQ(INSPECT("{\"State\":{\"Pid\":\"12\"}}"), -EBADMSG);
	CHECK_EQ(INSPECT("{\"State\":{\"Pid\":12.0}}"), -EBADMSG);
	CHECK_EQ(INSPECT("{\"State\":[{\"Pid\":12}]}"), -EBADMSG);
	CHECK_EQ(INSPECT("{\"State\":{\"Pid\":12,\"Pid\":13}}"), -EBADMSG);
	CHECK_EQ(INSPECT("[]"), -EBADMSG);
	CHECK_EQ(c.engine_pid, 0);
	CHECK_STREQ(c.netmode, "bridge");
	CHECK_EQ(docker_json_inspect("{}", 2, &c, &msg), -EBADMSG);
	CHECK_STREQ(msg, "no valid State.Pid");
	free(msg);

	CHECK_EQ(INSPECT("{\"State\":{\"Pid\":2147483647,\"Paused\":true},"
			 "\"HostConfig\":{\"NetworkMode\":7}}"),
		 0);
	CHECK_EQ(c.engine_pid, 2147483647);
	CHECK_STREQ(c.state, "paused");
	CHECK(c.netmode == NULL);
	CHECK_EQ(INSPECT("{\"State\":{\"Pid\":1,\"Paused\":\"true\"},"
			 "\"HostConfig\":{\"NetworkMode\":\"none\"}}"),
		 0);
	CHECK_EQ(c.engine_pid, 1);
	CHECK_STREQ(c.netmode, "none");
#undef INSPECT
	container_clear(&c);
}

static void test_libpod(void)
{
	struct container_list l = { 0 };
	const struct container *c;

	CHECK_EQ(list_fixture(libpod_json_list, "podman-libpod-containers.json",
			      2, &l),
		 0);
	CHECK_EQ(l.n, 4);
	c = find_container(&l, "pweb");
	CHECK(c != NULL);
	if (c) {
		CHECK_STREQ(c->id, "af37720b2c7631573f606a40b78f4b0ce4fa5e57a5"
				   "0bc5f2e104cb3ce893983a");
		CHECK_EQ(c->engine_pid, 13440);
		CHECK_STREQ(c->image, "localhost/local/busybox:1");
		CHECK_STREQ(c->state, "running");
		CHECK(!c->pod && !c->infra && !c->netmode);
		CHECK_EQ(c->endpoint, 2);
	}
	c = find_container(&l, "1d4561b010b8-infra");
	CHECK(c && c->engine_pid == 13520 && c->infra);
	CHECK_STREQ(c ? c->pod : NULL, "ppod");
	c = find_container(&l, "ppod-web");
	CHECK(c && c->engine_pid == 13542 && !c->infra);
	CHECK_STREQ(c ? c->pod : NULL, "ppod");
	c = find_container(&l, "pind");
	CHECK(c && c->engine_pid == 13867 && !c->pod && !c->infra);
	container_list_clear(&l);

	{
		struct container_list one = { 0 };
		const char *j = "[{\"Id\":" Q(
			ID12) ",\"Names\":[\"x\"],"
			      "\"State\":\"paused\",\"Pid\":9,"
			      "\"PodName\":\"\",\"IsInfra\":false}]";

		CHECK_EQ(libpod_json_list(j, strlen(j), 0, &one, NULL), 0);
		CHECK(one.n == 1 && !one.v[0].pod && !one.v[0].infra &&
		      one.v[0].engine_pid == 9);
		CHECK_STREQ(one.n ? one.v[0].state : NULL, "paused");
		container_list_clear(&one);
	}
}

/* What the hostile integration test greps for stays in the log. */
static void test_log(void)
{
	FILE *f = tmpfile();
	char buf[4096] = "";
	size_t n;

	if (!f) {
		CHECK(f != NULL);
		return;
	}
	log_setup(f, LOG_INFO);
	CHECK_EQ(count(docker_json_list,
		       "[{\"Id\":7,\"Names\":\"/x\"},{\"Id\":\"zz\","
		       "\"Names\":[3]},{\"Id\":\"0123456789abcdef\","
		       "\"Names\":[\"/../../etc\"],\"State\":{}}]"),
		 0);
	CHECK_EQ(
		count(libpod_json_list,
		      "[{\"Id\":" Q(ID12) ",\"Names\":[\"liar\"],"
					  "\"State\":\"running\",\"Pid\":-1}]"),
		0);
	log_setup(NULL, LOG_WARNING);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	CHECK(strstr(buf,
		     "engine sent a container without a valid id or name"));
	CHECK(strstr(buf, "container ../../etc: no valid state"));
	CHECK(strstr(buf, "container liar: no valid pid"));
}

/* /_ping's headers: dockerd's and podman's, one without the versions,
 * and values no engine sends */
static void test_ping(void)
{
	struct engine_info info = { 0 };
	bool podman = true;

	CHECK_EQ(docker_ping_headers(
			 "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\n"
			 "Docker-Experimental: false\r\nOstype: linux\r\n"
			 "Server: Docker/20.10.24+dfsg1 (linux)\r\n\r\n",
			 &info, &podman),
		 0);
	CHECK(!podman);
	CHECK_STREQ(info.api_version, "1.41");
	CHECK_STREQ(info.version, "20.10.24+dfsg1");
	CHECK_EQ(docker_ping_headers("HTTP/1.1 200 OK\r\napi-version: 1.41\r\n"
				     "Libpod-Api-Version: 4.3.1\r\n"
				     "Server: Libpod/4.3.1 (linux)\r\n",
				     &info, &podman),
		 0);
	CHECK(podman);
	CHECK_STREQ(info.version, "4.3.1");
	CHECK_EQ(docker_ping_headers("HTTP/1.1 200 OK\r\nServer: x/1\r\n",
				     &info, &podman),
		 -ENOENT);
	CHECK_EQ(docker_ping_headers("Api-Version: 1.41\r\n"
				     "Server: Docker/1.0;rm -rf (x)\r\n",
				     &info, &podman),
		 0);
	CHECK_STREQ(info.api_version, "1.41");
	CHECK(info.version == NULL);
	CHECK_EQ(docker_ping_headers("Api-Version: 1.41 \x01\r\n", &info,
				     &podman),
		 -ENOENT);
	engine_info_clear(&info);
}

int main(int argc, char **argv)
{
	tap_init(argc, argv);
	test_version();
	test_ping();
	test_docker();
	test_hostile_list();
	test_huge_list();
	test_inspect();
	test_libpod();
	test_log();
	return tap_done();
}
