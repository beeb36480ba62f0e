/* SPDX-License-Identifier: MIT */
/*
 * pb-cri: recorded answers of containerd 1.6.20's CRI plugin
 * (fixtures/engines/cri-*.pb, messages without their gRPC frame: pods
 * default/mypod with app1 + app2 and shop/shop-pod with web, the verbose
 * statuses of mypod and app1), and what a lying engine may send.
 */
#include <fcntl.h>

#include "pb-cri.h"
#include "pbw.h"
#include "containers.h"
#include "tap.h"
#include "util.h"

#define MYPOD "865b42529075d77131fe57ad2ac03146abe018966539166ec7f974b4240bd111"
#define APP1  "55081ec26970ed8c3d00a62d13bab8f2a5718aa867a40fec7a29b68e553cf92a"

static void test_version(void)
{
	struct engine_info info = { 0 };
	_cleanup_free_ uint8_t *v = NULL;
	size_t len = 0;

	v = (uint8_t *)tap_fixture("engines", "cri-version.pb", &len);
	CHECK(v && cri_pb_version(v, len, &info, NULL) == 0);
	CHECK_STREQ(info.version, "1.6.20~ds1");
	CHECK_STREQ(info.api_version, "v1");
	/* containerd's own API named the version already: kept */
	free(info.version);
	info.version = strdup("native");
	CHECK(v && cri_pb_version(v, len, &info, NULL) == 0);
	CHECK_STREQ(info.version, "native");
	engine_info_clear(&info);
}

static void test_recorded(void)
{
	struct container_list l = { 0 };
	struct container *c;
	_cleanup_free_ uint8_t *pods = NULL, *ctrs = NULL, *ps = NULL,
			       *cs = NULL;
	size_t plen = 0, clen = 0, pslen = 0, cslen = 0;
	char *msg = NULL;

	pods = (uint8_t *)tap_fixture("engines", "cri-pods.pb", &plen);
	ctrs = (uint8_t *)tap_fixture("engines", "cri-containers.pb", &clen);
	ps = (uint8_t *)tap_fixture("engines", "cri-podstatus-mypod.pb",
				    &pslen);
	cs = (uint8_t *)tap_fixture("engines", "cri-ctrstatus-app1.pb", &cslen);
	CHECK(pods && ctrs && ps && cs);
	if (!pods || !ctrs || !ps || !cs)
		return;

	CHECK_EQ(cri_pb_sandboxes(pods, plen, 4, &l, NULL), 0);
	CHECK_EQ(l.n, 2);
	c = find_container(&l, "mypod");
	CHECK(c != NULL);
	if (c) {
		CHECK_STREQ(c->id, MYPOD);
		CHECK_STREQ(c->pod, "mypod");
		CHECK_STREQ(c->pod_namespace, "default");
		CHECK_STREQ(c->state, "running");
		CHECK(c->infra);
		CHECK_EQ(c->api, CONTAINER_API_CRI);
		CHECK_EQ(c->endpoint, 4);
		CHECK_EQ(c->engine_pid, 0);
	}
	c = find_container(&l, "shop-pod");
	CHECK(c && strcmp(c->pod_namespace, "shop") == 0 && c->infra);

	CHECK_EQ(cri_pb_containers(ctrs, clen, 4, 0, &l, NULL), 0);
	CHECK_EQ(l.n, 5);
	c = find_container(&l, "app1");
	CHECK(c != NULL);
	if (c) {
		CHECK_STREQ(c->id, APP1);
		CHECK_STREQ(c->pod, "mypod");
		CHECK_STREQ(c->pod_namespace, "default");
		CHECK_STREQ(c->image, "docker.io/local/busybox:1");
		CHECK(!c->infra);
		CHECK_EQ(c->api, CONTAINER_API_CRI);
	}
	c = find_container(&l, "app2");
	CHECK(c && strcmp(c->pod, "mypod") == 0);
	c = find_container(&l, "web");
	CHECK(c && strcmp(c->pod, "shop-pod") == 0 &&
	      strcmp(c->pod_namespace, "shop") == 0);

	/* the verbose statuses' pids */
	c = find_container(&l, "mypod");
	CHECK(c && cri_pb_sandbox_status(ps, pslen, c, NULL) == 0);
	CHECK(c && c->engine_pid == 22912);
	c = find_container(&l, "app1");
	CHECK(c && cri_pb_container_status(cs, cslen, c, NULL) == 0);
	CHECK(c && c->engine_pid == 23148);
	CHECK(c && strcmp(c->image, "docker.io/local/busybox:1") == 0);

	/* a status of another: refused, nothing changed */
	c = find_container(&l, "app2");
	CHECK(c && cri_pb_container_status(cs, cslen, c, &msg) == -EBADMSG);
	CHECK_STREQ(msg, "status of another container");
	free(TAKE_PTR(msg));
	CHECK(c && c->engine_pid == 0);
	c = find_container(&l, "shop-pod");
	CHECK(c && cri_pb_sandbox_status(ps, pslen, c, &msg) == -EBADMSG);
	CHECK_STREQ(msg, "status of another sandbox");
	free(TAKE_PTR(msg));
	/* a sandbox's status is no container's */
	c = find_container(&l, "app1");
	c->engine_pid = 0;
	CHECK(c && cri_pb_container_status(ps, pslen, c, &msg) == -EBADMSG);
	free(TAKE_PTR(msg));
	CHECK(c && c->engine_pid == 0);
	container_list_clear(&l);
}

/* ListPodSandboxResponse item */
static void sandbox(struct pbw *w, const char *id, const char *name,
		    const char *ns, uint64_t state)
{
	struct pbw p = { 0 }, md = { 0 };

	pbw_str(&p, 1, id);
	if (name) {
		pbw_str(&md, 1, name);
		pbw_str(&md, 3, ns);
		pbw_msg(&p, 2, &md);
	}
	pbw_uint(&p, 3, state);
	pbw_msg(w, 1, &p);
	pbw_free(&p);
	pbw_free(&md);
}

static void container(struct pbw *w, const char *id, const char *pod,
		      const char *name, uint64_t state)
{
	struct pbw c = { 0 }, md = { 0 };

	pbw_str(&c, 1, id);
	pbw_str(&c, 2, pod);
	if (name) {
		pbw_str(&md, 1, name);
		pbw_msg(&c, 3, &md);
	}
	pbw_uint(&c, 6, state);
	pbw_msg(w, 1, &c);
	pbw_free(&c);
	pbw_free(&md);
}

/* A status response with the verbose info "info" = json. */
static int status(const char *json, struct container *c, bool pod, char **msg)
{
	struct pbw w = { 0 }, e = { 0 };
	int r;

	if (json) {
		pbw_str(&e, 1, "info");
		pbw_str(&e, 2, json);
		pbw_msg(&w, 2, &e);
	}
	r = pod ? cri_pb_sandbox_status(w.b, w.n, c, msg)
		: cri_pb_container_status(w.b, w.n, c, msg);
	free(TAKE_PTR(*msg));
	pbw_free(&w);
	pbw_free(&e);
	return r;
}

static void test_lies(void)
{
	static char xid[] = "x";
	struct container_list l = { 0 };
	struct container c = { .id = xid };
	struct pbw w = { 0 };
	char *msg = NULL;

	sandbox(&w, "p1", "ok", "ns", 0);
	sandbox(&w, "p2", "slash", "a/b", 0);
	sandbox(&w, "p3", "", "ns", 0);
	sandbox(&w, "p4", "noname", "", 0);
	sandbox(&w, "p5", NULL, NULL, 0);
	sandbox(&w, "p6", "notready", "ns", 1);
	sandbox(&w, "../p7", "badid", "ns", 0);
	CHECK_EQ(cri_pb_sandboxes(w.b, w.n, 0, &l, NULL), 0);
	CHECK_EQ(l.n, 1);
	CHECK(l.n && strcmp(l.v[0].name, "ok") == 0);
	pbw_free(&w);

	container(&w, "c1", "p1", "app", 1);
	container(&w, "c2", "p6", "ofnotready", 1);
	container(&w, "c3", "p1", "exited", 2);
	container(&w, "c4", "p1", "", 1);
	container(&w, "c5", "p1", NULL, 1);
	container(&w, "c 6", "p1", "badid", 1);
	container(&w, "c7", "nope", "orphan", 1);
	CHECK_EQ(cri_pb_containers(w.b, w.n, 0, 0, &l, NULL), 0);
	CHECK_EQ(l.n, 2);
	CHECK(l.n == 2 && strcmp(l.v[1].name, "app") == 0 &&
	      strcmp(l.v[1].pod, "ok") == 0 &&
	      strcmp(l.v[1].pod_namespace, "ns") == 0);
	/* only the sandboxes from index pods on are looked at */
	CHECK_EQ(cri_pb_containers(w.b, w.n, 0, 1, &l, NULL), 0);
	CHECK_EQ(l.n, 2);
	container_list_clear(&l);
	pbw_free(&w);

	/* verbose info */
	CHECK_EQ(status("{\"pid\":42}", &c, true, &msg), 0);
	CHECK_EQ(c.engine_pid, 42);
	c.engine_pid = 0;
	CHECK_EQ(status("{\"pid\":42}", &c, false, &msg), 0);
	CHECK_EQ(c.engine_pid, 42);
	c.engine_pid = 0;
	CHECK_EQ(status(NULL, &c, true, &msg), -EBADMSG);
	CHECK_EQ(status("{\"pid\":0}", &c, true, &msg), -EBADMSG);
	CHECK_EQ(status("{\"pid\":-5}", &c, false, &msg), -EBADMSG);
	CHECK_EQ(status("{\"pid\":2147483648}", &c, false, &msg), -EBADMSG);
	CHECK_EQ(status("{\"pid\":\"42\"}", &c, true, &msg), -EBADMSG);
	CHECK_EQ(status("{\"pid\":1,\"pid\":2}", &c, true, &msg), -EBADMSG);
	CHECK_EQ(status("[42]", &c, true, &msg), -EBADMSG);
	CHECK_EQ(status("{\"pid\":4", &c, false, &msg), -EBADMSG);
	CHECK_EQ(c.engine_pid, 0);
	CHECK_EQ(cri_pb_container_status((const uint8_t *)"\xff", 1, &c, &msg),
		 -EBADMSG);
	CHECK_STREQ(msg, "malformed ContainerStatusResponse");
	free(msg);
}

int main(int argc, char **argv)
{
	tap_init(argc, argv);
	test_version();
	test_recorded();
	test_lies();
	return tap_done();
}
