/* SPDX-License-Identifier: MIT */
/*
 * pb-containerd: recorded answers of a real containerd 1.6.20 (fixtures/
 * engines/containerd-*.pb: the messages of `curl --http2-prior-knowledge`
 * calls without their 5-byte frame: namespaces default (ctr run), devns
 * (a paused task), k8s.io (the CRI plugin's pods), and the moby namespace
 * of a dockerd's containerd), and what a lying engine may send.
 */
#include <fcntl.h>

#include "log.h"
#include "pb-containerd.h"
#include "pbw.h"
#include "containers.h"
#include "tap.h"
#include "util.h"

/* Containers/List and Tasks/List of one namespace, as the backend joins
 * them; returns the tasks mapping's result. */
static int join(const char *ns, bool skip_cri, struct container_list *out)
{
	char cname[128], tname[128];
	size_t clen = 0, tlen = 0, first = out->n;
	const char *tag = strcmp(ns, "k8s.io") == 0 ? "k8sio" : ns;
	_cleanup_free_ uint8_t *c = NULL, *t = NULL;
	int r;

	snprintf(cname, sizeof(cname), "containerd-containers-%s.pb", tag);
	snprintf(tname, sizeof(tname), "containerd-tasks-%s.pb", tag);
	c = (uint8_t *)tap_fixture("engines", cname, &clen);
	t = (uint8_t *)tap_fixture("engines", tname, &tlen);
	if (!c || !t)
		return -ENOENT;
	r = containerd_pb_containers(c, clen, ns, 2, skip_cri, out, NULL);
	if (r < 0)
		return r;
	return containerd_pb_tasks(t, tlen, out, first, NULL);
}

static void test_version_namespaces(void)
{
	struct engine_info info = { 0 };
	_cleanup_free_ uint8_t *v = NULL, *n = NULL;
	char **ns = NULL, *msg = NULL;
	size_t len = 0, nlen = 0;

	v = (uint8_t *)tap_fixture("engines", "containerd-version.pb", &len);
	CHECK(v && containerd_pb_version(v, len, &info, NULL) == 0);
	CHECK_STREQ(info.version, "1.6.20~ds1");
	CHECK(!info.api_version);
	engine_info_clear(&info);
	/* an empty message is a valid one: all fields absent */
	CHECK(containerd_pb_version(NULL, 0, &info, NULL) == 0);
	CHECK(!info.version);
	CHECK(containerd_pb_version((const uint8_t *)"\x0a\x05"
						     "ab",
				    4, &info, &msg) == -EBADMSG);
	CHECK_STREQ(msg, "malformed VersionResponse");
	free(msg);

	n = (uint8_t *)tap_fixture("engines", "containerd-namespaces.pb",
				   &nlen);
	CHECK(n && containerd_pb_namespaces(n, nlen, &ns, NULL) == 0);
	if (ns) {
		CHECK_STREQ(ns[0], "default");
		CHECK_STREQ(ns[1], "devns");
		CHECK_STREQ(ns[2], "k8s.io");
		CHECK(ns[3] == NULL);
	}
	containerd_pb_strv_free(ns);
}

static void test_recorded(void)
{
	struct container_list l = { 0 };
	const struct container *c;

	/* default: dev-web runs; dev-created has no task */
	CHECK_EQ(join("default", false, &l), 0);
	CHECK_EQ(l.n, 1);
	c = find_container(&l, "dev-web");
	CHECK(c != NULL);
	if (c) {
		CHECK_STREQ(c->id, "dev-web");
		CHECK_STREQ(c->image, "docker.io/local/busybox:1");
		CHECK_STREQ(c->state, "running");
		CHECK_EQ(c->engine_pid, 22435);
		CHECK_EQ(c->endpoint, 2);
		CHECK_EQ(c->api, CONTAINER_API_CONTAINERD);
		CHECK(!c->pod && !c->pod_namespace && !c->infra);
	}
	CHECK(!find_container(&l, "dev-created"));

	/* another namespace names it: "devns/dev-other", paused */
	CHECK_EQ(join("devns", false, &l), 0);
	CHECK_EQ(l.n, 2);
	c = find_container(&l, "devns/dev-other");
	CHECK(c != NULL);
	if (c) {
		CHECK_STREQ(c->id, "dev-other");
		CHECK_STREQ(c->state, "paused");
		CHECK_EQ(c->engine_pid, 22562);
	}

	/* k8s.io: the CRI plugin's two sandboxes and three containers,
	 * skipped when the CRI describes them */
	CHECK_EQ(join("k8s.io", true, &l), 0);
	CHECK_EQ(l.n, 2);
	CHECK_EQ(join("k8s.io", false, &l), 0);
	CHECK_EQ(l.n, 7);
	c = find_container(
		&l, "k8s.io/865b42529075d77131fe57ad2ac03146abe018966539166"
		    "ec7f974b4240bd111");
	CHECK(c && c->engine_pid == 22912);
	c = find_container(
		&l, "k8s.io/55081ec26970ed8c3d00a62d13bab8f2a5718aa867a40f"
		    "ec7a29b68e553cf92a");
	CHECK(c && c->engine_pid == 23148);

	/* a dockerd's containerd: its container by the 64-hex docker id */
	CHECK_EQ(join("moby", false, &l), 0);
	CHECK_EQ(l.n, 8);
	c = find_container(
		&l, "moby/72dcd84571ccfb4335bf760d76702ec7af166d321a5a538"
		    "9217e2893d0b5896f");
	CHECK(c && c->engine_pid == 24292 && !c->image);
	container_list_clear(&l);
}

/* ListContainersResponse with one container of id and label key. */
static void one_container(struct pbw *w, const char *id, const char *label)
{
	struct pbw c = { 0 }, e = { 0 };

	pbw_str(&c, 1, id);
	if (label) {
		pbw_str(&e, 1, label);
		pbw_str(&e, 2, "sandbox");
		pbw_msg(&c, 2, &e);
	}
	pbw_str(&c, 3, "img");
	pbw_msg(w, 1, &c);
	pbw_free(&c);
	pbw_free(&e);
}

static void one_task(struct pbw *w, const char *id, uint64_t pid,
		     uint64_t status)
{
	struct pbw t = { 0 };

	pbw_str(&t, 2, id);
	pbw_uint(&t, 3, pid);
	pbw_uint(&t, 4, status);
	pbw_msg(w, 1, &t);
	pbw_free(&t);
}

static void test_lies(void)
{
	struct container_list l = { 0 };
	struct pbw cw = { 0 }, tw = { 0 };
	char long_id[80], **ns = NULL, *msg = NULL;

	memset(long_id, 'a', 77);
	long_id[77] = '\0';
	one_container(&cw, "ok", NULL);
	one_container(&cw, "../etc", NULL);
	one_container(&cw, "", NULL);
	one_container(&cw, long_id, NULL);
	long_id[76] = '\0'; /* 76: the longest allowed */
	one_container(&cw, long_id, NULL);
	one_container(&cw, "cri", CONTAINERD_CRI_LABEL);
	one_container(&cw, "stopped", NULL);
	one_container(&cw, "pid0", NULL);
	one_container(&cw, "bigpid", NULL);
	one_container(&cw, "twice", NULL);
	CHECK_EQ(containerd_pb_containers(cw.b, cw.n, "ns", 0, true, &l, NULL),
		 0);
	CHECK_EQ(l.n, 6); /* ok, the 76, stopped, pid0, bigpid, twice */
	one_task(&tw, "ok", 10, 2);
	one_task(&tw, long_id, 11, 4);
	one_task(&tw, "stopped", 12, 3);
	one_task(&tw, "pid0", 0, 2);
	one_task(&tw, "bigpid", 1ULL << 31, 2);
	one_task(&tw, "twice", 13, 2);
	one_task(&tw, "twice", 14, 2);
	one_task(&tw, "ghost", 15, 2);
	one_task(&tw, "../etc", 16, 2);
	CHECK_EQ(containerd_pb_tasks(tw.b, tw.n, &l, 0, NULL), 0);
	CHECK_EQ(l.n, 3);
	CHECK(find_container(&l, "ns/ok") &&
	      find_container(&l, "ns/ok")->engine_pid == 10);
	CHECK(find_container(&l, "ns/twice") &&
	      find_container(&l, "ns/twice")->engine_pid == 13);
	for (size_t i = 0; i < l.n; i++)
		if (strlen(l.v[i].id) == 76)
			CHECK_STREQ(l.v[i].state, "paused");

	/* malformed tasks: the namespace's containers go */
	CHECK_EQ(containerd_pb_containers(cw.b, cw.n, "ns", 0, true, &l, NULL),
		 0);
	CHECK_EQ(l.n, 9);
	CHECK_EQ(containerd_pb_tasks((const uint8_t *)"\x0a\x09", 2, &l, 3,
				     &msg),
		 -EBADMSG);
	CHECK_STREQ(msg, "malformed ListTasksResponse");
	free(msg);
	CHECK_EQ(l.n, 3);
	container_list_clear(&l);

	/* namespaces: invalid and repeated names are dropped */
	pbw_free(&cw);
	{
		struct pbw a = { 0 };

		pbw_str(&a, 1, "a");
		pbw_msg(&cw, 1, &a);
		pbw_msg(&cw, 1, &a);
		pbw_free(&a);
		pbw_str(&a, 1, "no/slash");
		pbw_msg(&cw, 1, &a);
		pbw_free(&a);
	}
	CHECK(containerd_pb_namespaces(cw.b, cw.n, &ns, NULL) == 0);
	CHECK(ns && ns[0] && strcmp(ns[0], "a") == 0 && !ns[1]);
	containerd_pb_strv_free(ns);
	pbw_free(&cw);
	pbw_free(&tw);
}

int main(int argc, char **argv)
{
	tap_init(argc, argv);
	test_version_namespaces();
	test_recorded();
	test_lies();
	return tap_done();
}
