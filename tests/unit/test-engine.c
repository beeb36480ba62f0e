/* SPDX-License-Identifier: MIT */
/* engine: one entry per container (engine_dedupe) and the names pods go
 * by (container_name_pod, container_ifname), on constructed lists; the
 * budget's arithmetic (engine_left_ms, engine_call_ms). */
#include <string.h>

#include "engine.h"
#include "containers.h"
#include "tap.h"
#include "util.h"

#define DID "51397be8654204d222c2d367139594dcc196c26f226920c8081032bd8eb6429d"

static void add(struct container_list *l, const char *name, const char *id,
		pid_t pid, size_t endpoint, enum container_api api)
{
	struct container *v = grow_array(l->v, &l->cap, l->n, sizeof(*v), 8);

	if (!v)
		abort();
	l->v = v;
	v[l->n++] = (struct container){ .name = strdup(name),
					.id = strdup(id),
					.pid = pid,
					.endpoint = endpoint,
					.api = api };
}

static void test_dedupe(void)
{
	struct engine_endpoint ev[] = {
		{ .kind = ENGINE_CONTAINERD }, /* 0: dockerd's containerd */
		{ .kind = ENGINE_DOCKER },     /* 1 */
		{ .kind = ENGINE_CONTAINERD }, /* 2: with CRI */
		{ .kind = ENGINE_PODMAN },     /* 3 */
		{ .kind = ENGINE_CONTAINERD }, /* 4: nested dind's */
		{ .kind = ENGINE_DOCKER },     /* 5: nested dind's */
	};
	struct endpoint_list eps = { .v = ev, .n = ELEMENTSOF(ev) };
	struct container_list l = { 0 };

	/* containerd's moby namespace before dockerd: docker wins anyway */
	add(&l, "moby/" DID, DID, 100, 0, CONTAINER_API_CONTAINERD);
	add(&l, "dind", DID, 100, 1, CONTAINER_API_ENGINE);
	/* a CRI pod's container, and its native twin in k8s.io */
	add(&l, "k8s.io/c1", "c1", 200, 2, CONTAINER_API_CONTAINERD);
	add(&l, "app1", "c1", 200, 2, CONTAINER_API_CRI);
	/* two containerds each with "default/web": not the same one */
	add(&l, "web", "web", 300, 2, CONTAINER_API_CONTAINERD);
	add(&l, "web", "web", 301, 4, CONTAINER_API_CONTAINERD);
	/* nested: the inner dockerd's container and its containerd's */
	add(&l, "inner-web", "e1", 400, 5, CONTAINER_API_ENGINE);
	add(&l, "moby/e1", "e1", 400, 4, CONTAINER_API_CONTAINERD);
	/* podman beats the CRI (never seen together, but ordered) */
	add(&l, "cri-one", "p1", 500, 2, CONTAINER_API_CRI);
	add(&l, "pod-one", "p1", 500, 3, CONTAINER_API_ENGINE);
	/* three of one container: docker > CRI > native */
	add(&l, "x-native", "x", 600, 0, CONTAINER_API_CONTAINERD);
	add(&l, "x-cri", "x", 600, 2, CONTAINER_API_CRI);
	add(&l, "x-docker", "x", 600, 1, CONTAINER_API_ENGINE);

	engine_dedupe(&eps, &l);
	CHECK_EQ(l.n, 7);
	CHECK(find_container(&l, "dind") && !find_container(&l, "moby/" DID));
	CHECK(find_container(&l, "app1") && !find_container(&l, "k8s.io/c1"));
	CHECK(find_container(&l, "inner-web") &&
	      !find_container(&l, "moby/e1"));
	CHECK(find_container(&l, "pod-one") && !find_container(&l, "cri-one"));
	CHECK(find_container(&l, "x-docker") && !find_container(&l, "x-cri") &&
	      !find_container(&l, "x-native"));
	/* both webs, in their order */
	{
		int webs = 0;

		for (size_t i = 0; i < l.n; i++)
			if (strcmp(l.v[i].name, "web") == 0)
				CHECK_EQ(l.v[i].pid, 300 + webs++);
		CHECK_EQ(webs, 2);
	}
	/* the survivors keep their order */
	CHECK(l.n == 7 && strcmp(l.v[0].name, "dind") == 0 &&
	      strcmp(l.v[1].name, "app1") == 0 &&
	      strcmp(l.v[6].name, "x-docker") == 0);
	/* again: nothing more to do */
	engine_dedupe(&eps, &l);
	CHECK_EQ(l.n, 7);
	container_list_clear(&l);

	/* an empty list, one entry */
	engine_dedupe(&eps, &l);
	add(&l, "a", "a", 1, 0, CONTAINER_API_CONTAINERD);
	engine_dedupe(&eps, &l);
	CHECK_EQ(l.n, 1);
	container_list_clear(&l);
}

/* A nested engine's entries never rename or shadow the host's: whatever
 * the order of the list (both orders run), the host's entry stays. */
static void trust_case(bool reversed)
{
	struct engine_endpoint ev[] = {
		{ .kind = ENGINE_DOCKER,
		  .trust = ENGINE_TRUST_HOST,
		  .sock_ino = 9 },
		{ .kind = ENGINE_DOCKER,
		  .trust = ENGINE_TRUST_NESTED,
		  .sock_ino = 1 },
	};
	struct endpoint_list eps = { .v = ev, .n = ELEMENTSOF(ev) };
	struct container_list l = { 0 };
	struct {
		const char *name, *id;
		pid_t pid;
		uint64_t netns;
		size_t ep;
	} in[] = {
		{ "web", DID, 100, 1000, 0 },
		{ "db", "d1", 200, 2000, 0 },
		/* a real container's id and pid under another name */
		{ "evil", DID, 100, 1000, 1 },
		/* a real container's id with another pid */
		{ "evil-id", DID, 300, 3000, 1 },
		/* another id, a host container's process */
		{ "evil-pid", "e2", 200, 2000, 1 },
		/* pid 1 of its own container: the host's db's netns */
		{ "evil-netns", "e3", 301, 2000, 1 },
		/* its own: kept */
		{ "inner", "e4", 400, 4000, 1 },
	};
	size_t n = ELEMENTSOF(in);

	for (size_t i = 0; i < n; i++) {
		size_t k = reversed ? n - 1 - i : i;

		add(&l, in[k].name, in[k].id, in[k].pid, in[k].ep,
		    CONTAINER_API_ENGINE);
		l.v[l.n - 1].netns = in[k].netns;
	}
	engine_dedupe(&eps, &l);
	CHECK_EQ(l.n, 3);
	CHECK(find_container(&l, "web") && find_container(&l, "db") &&
	      find_container(&l, "inner"));
	CHECK(!find_container(&l, "evil") && !find_container(&l, "evil-id") &&
	      !find_container(&l, "evil-pid") &&
	      !find_container(&l, "evil-netns"));
	container_list_clear(&l);

	/* two host engines' entries of one container: by API, then by
	 * socket, not by order */
	ev[1].trust = ENGINE_TRUST_HOST;
	add(&l, reversed ? "b" : "a", "x", 7, reversed ? 1 : 0,
	    CONTAINER_API_ENGINE);
	add(&l, reversed ? "a" : "b", "x", 7, reversed ? 0 : 1,
	    CONTAINER_API_ENGINE);
	engine_dedupe(&eps, &l);
	CHECK(l.n == 1 && strcmp(l.v[0].name, "b") == 0); /* socket 1 < 9 */
	container_list_clear(&l);
}

static void test_unshadow(void)
{
	struct engine_endpoint ev[] = {
		{ .kind = ENGINE_DOCKER, .trust = ENGINE_TRUST_HOST },
		{ .kind = ENGINE_DOCKER, .trust = ENGINE_TRUST_NESTED },
		{ .kind = ENGINE_PODMAN, .trust = ENGINE_TRUST_NESTED },
	};
	struct endpoint_list eps = { .v = ev, .n = ELEMENTSOF(ev) };
	struct container_list l = { 0 };
	int epc[] = { -1, -1, 1 }; /* podman runs in nested "web" */

	add(&l, "outer", "o", 50, 0, CONTAINER_API_ENGINE);
	/* nested, found in no container: "web" would be tc-docker-web */
	add(&l, "web", "n1", 60, 1, CONTAINER_API_ENGINE);
	add(&l, "web", "h1", 70, 0, CONTAINER_API_ENGINE);
	add(&l, "other", "n2", 80, 1, CONTAINER_API_ENGINE);
	/* below the nested "web": its lineage starts there */
	add(&l, "below", "n3", 90, 2, CONTAINER_API_ENGINE);
	add(&l, "kid", "k1", 95, 0, CONTAINER_API_ENGINE);
	for (size_t i = 0; i < l.n; i++)
		l.v[i].parent = -1;
	l.v[4].parent = 1;
	l.v[5].parent = 0; /* keeps its parent, renumbered */
	engine_unshadow(&eps, &l, epc);
	CHECK_EQ(l.n, 4);
	CHECK(find_container(&l, "web") &&
	      strcmp(find_container(&l, "web")->id, "h1") == 0);
	CHECK(find_container(&l, "other") && !find_container(&l, "below"));
	CHECK(find_container(&l, "kid") &&
	      find_container(&l, "kid")->parent == 0);
	CHECK_EQ(epc[2], -1);
	/* nothing more to drop */
	engine_unshadow(&eps, &l, epc);
	CHECK_EQ(l.n, 4);
	container_list_clear(&l);
}

static void test_pod_names(void)
{
	struct container c = { .name = strdup("app1") };

	CHECK_EQ(container_name_pod(&c), 0);
	CHECK(!c.pod_ref);
	CHECK_STREQ(container_ifname(&c), "app1");
	/* podman's pods have no namespace: the pod's name */
	c.pod = strdup("mypod");
	CHECK_EQ(container_name_pod(&c), 0);
	CHECK(!c.pod_ref);
	CHECK_STREQ(container_ifname(&c), "mypod");
	/* Kubernetes': NAMESPACE/POD */
	c.pod_namespace = strdup("default");
	CHECK_EQ(container_name_pod(&c), 0);
	CHECK_STREQ(c.pod_ref, "default/mypod");
	CHECK_STREQ(container_ifname(&c), "default/mypod");
	CHECK_EQ(container_name_pod(&c), 0); /* again: same */
	CHECK_STREQ(container_ifname(&c), "default/mypod");
	container_clear(&c);
	CHECK(!c.pod_ref && !c.name);
}

/* Each call's timeout is min(its limit, what is left of the budget),
 * never more than the budget, and nothing once the discovery stopped. */
static void test_budget(void)
{
	atomic_bool stop;
	struct engine_hints h = { .budget_ms = 1500, .stop = &stop };
	long left;

	atomic_init(&stop, false);
	h.deadline = engine_now_ms() + 1500;
	left = engine_left_ms(&h);
	CHECK(left > 1400 && left <= 1500);
	CHECK_EQ(engine_call_ms(&h, ENGINE_TOTAL_MS), ENGINE_TOTAL_MS);
	h.deadline = engine_now_ms() + 200;
	left = engine_call_ms(&h, ENGINE_TOTAL_MS);
	CHECK(left > 100 && left <= 200);
	/* a deadline beyond the budget (a clock step) is cut to it */
	h.deadline = engine_now_ms() + 100000;
	CHECK_EQ(engine_left_ms(&h), 1500);
	h.deadline = engine_now_ms() - 1;
	CHECK_EQ(engine_left_ms(&h), 0);
	CHECK_EQ(engine_call_ms(&h, ENGINE_CONNECT_MS), 0);
	h.deadline = engine_now_ms() + 1000;
	atomic_store(&stop, true);
	CHECK_EQ(engine_left_ms(&h), 0);
	h.stop = NULL;
	CHECK(engine_left_ms(&h) > 0);
	CHECK(ENGINE_BUDGET_MS < DISCOVERY_CEILING_MS);
	CHECK(DISCOVERY_CEILING_MS <= 2000);
}

int main(int argc, char **argv)
{
	tap_init(argc, argv);
	test_dedupe();
	trust_case(false);
	trust_case(true);
	test_unshadow();
	test_pod_names();
	test_budget();
	return tap_done();
}
