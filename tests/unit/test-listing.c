/* SPDX-License-Identifier: MIT */
/* The listing policy over a discovery built by hand: order, cap,
 * filters, portals, wanted values, and portal values that no target value
 * can be mistaken for. */
#include <errno.h>
#include <stdlib.h>

#include "config.h"
#include "listing.h"
#include "tap.h"
#include "target.h"
#include "util.h"

static char n_dind[] = "dind", n_web[] = "web", n_api[] = "api",
	    n_inner[] = "inner", n_pause[] = "pause", n_app[] = "app",
	    n_alpha[] = "alpha", n_blue[] = "blue";

static struct engine_endpoint eps[] = {
	{ .kind = ENGINE_DOCKER },
	{ .kind = ENGINE_PODMAN },
	{ .kind = ENGINE_DOCKER }, /* the one inside dind */
};

static struct container cs[] = {
	{ .name = n_dind, .netns = 200, .endpoint = 0, .parent = -1 },
	{ .name = n_web, .netns = 300, .endpoint = 0, .parent = -1 },
	{ .name = n_api, .netns = 400, .endpoint = 1, .parent = -1 },
	{ .name = n_inner, .netns = 500, .endpoint = 2, .parent = 0 },
	{ .name = n_pause,
	  .netns = 600,
	  .endpoint = 1,
	  .parent = -1,
	  .infra = true },
	{ .name = n_app, .netns = 600, .endpoint = 1, .parent = -1 },
	{ .name = n_alpha, .netns = 700, .endpoint = 0, .parent = -1 },
};

/* discovery order, not the listing order */
static struct netns_info v[] = {
	{ .id = { 4, 100 }, .is_host = true, .ctr = -1 },
	{ .id = { 4, 900 }, .ctr = -1, .other_mnt = true, .other_pid = true },
	{ .id = { 4, 300 }, .ctr = 1 },
	{ .id = { 4, 500 }, .ctr = 3 },
	{ .id = { 4, 800 }, .name = n_blue, .ctr = -1 },
	{ .id = { 4, 200 }, .ctr = 0 },
	{ .id = { 4, 1000 }, .ctr = -1, .other_user = true },
	{ .id = { 4, 400 }, .ctr = 2 },
	{ .id = { 4, 600 }, .ctr = 5 },
	{ .id = { 4, 700 }, .ctr = 6 },
};

static struct discovery l = {
	.netns = { .v = v, .n = ELEMENTSOF(v) },
	.engines = {
		.endpoints = { .v = eps, .n = ELEMENTSOF(eps) },
		.containers = { .v = cs, .n = ELEMENTSOF(cs) },
	},
};

static const char *const order[] = {
	"tc-host",
	"tc-docker-alpha",
	"tc-podman-api",
	"tc-podman-app",
	"tc-docker-dind",
	"tc-docker-web",
	"tc-docker-dind.docker-inner",
	"tc-netns-blue",
	"tc-ns-900",
	"tc-ns-1000",
};

static const struct listing_entry *find(const struct listing *s,
					const char *value)
{
	const struct listing_entry *e = s->v, *end = s->v + s->n;

	while (e < end && strcmp(e->value, value) != 0)
		e++;
	return e < end ? e : NULL;
}

static enum listing_why why(const struct listing *s, const char *value)
{
	const struct listing_entry *e = find(s, value);

	return e ? e->why : _LISTING_WHY_MAX;
}

/* Make a listing under p; every namespace gets exactly one entry. */
static void make(const struct listing_policy *p, struct listing *s)
{
	CHECK(listing_make(&l, p, s) == 0);
	CHECK_EQ(s->n, ELEMENTSOF(v));
}

static void test_order_and_cap(void)
{
	struct listing_policy p = { .max = 3 };
	struct listing s;

	make(&p, &s);
	for (size_t i = 0; i < s.n && i < ELEMENTSOF(order); i++)
		CHECK_STREQ(s.v[i].value, order[i]);
	CHECK_EQ(s.v[0].group, -1);
	CHECK_EQ(s.v[6].depth, 2);
	CHECK_EQ(s.v[6].group, ENGINE_DOCKER);
	CHECK_EQ(s.v[7].group, LISTING_GROUP_NETNS);
	/* the infra container has no entry of its own */
	for (size_t i = 0; i < s.n; i++)
		CHECK(!strstr(s.v[i].value, "pause"));

	CHECK_EQ(s.n_shown, 3);
	CHECK_EQ(why(&s, "tc-host"), LISTING_SHOWN);
	CHECK_EQ(why(&s, "tc-docker-alpha"), LISTING_SHOWN);
	CHECK_EQ(why(&s, "tc-podman-app"), LISTING_SHOWN);
	CHECK_EQ(why(&s, "tc-docker-dind"), LISTING_OVER_CAP);
	CHECK_EQ(why(&s, "tc-docker-dind.docker-inner"), LISTING_OVER_CAP);
	CHECK_EQ(why(&s, "tc-netns-blue"), LISTING_OVER_CAP);
	CHECK_EQ(why(&s, "tc-ns-1000"), LISTING_SANDBOX);
	CHECK_EQ(s.portal[ENGINE_DOCKER], 3);
	CHECK_EQ(s.portal[ENGINE_PODMAN], 0);
	CHECK_EQ(s.portal[LISTING_GROUP_NETNS], 2);
	CHECK_EQ(s.count[LISTING_OVER_CAP], 5);
	CHECK_EQ(s.count[LISTING_SANDBOX], 1);
	CHECK(!listing_in_portal(find(&s, "tc-ns-1000")));
	CHECK(listing_in_portal(find(&s, "tc-ns-900")));
	listing_clear(&s);

	/* the host is listed on top of the cap, even a cap of 0 */
	p.max = 0;
	make(&p, &s);
	CHECK_EQ(s.n_shown, 0);
	CHECK_EQ(why(&s, "tc-host"), LISTING_SHOWN);
	CHECK_EQ(s.portal[ENGINE_DOCKER], 4);
	CHECK_EQ(s.portal[ENGINE_PODMAN], 2);
	CHECK_EQ(s.portal[LISTING_GROUP_NETNS], 2);
	listing_clear(&s);

	/* room for all: no portal; --all makes the sandbox a candidate */
	p.max = 100;
	p.all = true;
	make(&p, &s);
	CHECK_EQ(s.n_shown, 9);
	for (int g = 0; g < LISTING_GROUPS; g++)
		CHECK_EQ(s.portal[g], 0);
	CHECK_EQ(why(&s, "tc-ns-1000"), LISTING_SHOWN);
	listing_clear(&s);

	/* an empty list is a listing of nothing */
	{
		struct discovery empty = { 0 };

		CHECK(listing_make(&empty, &p, &s) == 0 && s.n == 0);
		listing_clear(&s);
	}
}

/*
 * Each policy's decision for every entry, in the listing order (order[]):
 * S shown, C over the cap, E engine, H hidden, N not in show, X sandbox.
 */
static const struct {
	struct listing_policy p;
	const char *want;
} filter_cases[] = {
	/* engines: containers only, a nested one by its own engine */
	{ { .max = 100, .engines = "podman" }, "SESSEEESSX" },
	{ { .max = 100, .engines = "docker, podman" }, "SSSSSSSSSX" },
	/* hide: by name, or by value (everything inside dind) */
	{ { .max = 100, .hide = "x*  d?nd" }, "SSSSHSSSSX" },
	{ { .max = 100, .hide = "tc-docker-dind.*" }, "SSSSSSHSSX" },
	{ { .max = 100, .hide = "*" }, "SHHHHHHSSX" },
	/* show: only the matching containers; hide still wins */
	{ { .max = 100, .show = "a*", .hide = "api" }, "SSHSNNNSSX" },
	/* filtered ones do not use up the cap */
	{ { .max = 2, .hide = "alpha api" }, "SHHSSCCCCX" },
};

static void test_filters(void)
{
	static const char letters[] = "SCEHNX";
	struct listing s;

	for (size_t i = 0; i < ELEMENTSOF(filter_cases); i++) {
		char got[ELEMENTSOF(v) + 1] = "";

		make(&filter_cases[i].p, &s);
		for (size_t k = 0; k < s.n && k < ELEMENTSOF(v); k++)
			got[k] = letters[s.v[k].why];
		CHECK_STREQ(got, filter_cases[i].want);
		listing_clear(&s);
	}
	/* the filtered containers are in their portals */
	make(&filter_cases[5].p, &s);
	CHECK_EQ(s.portal[ENGINE_PODMAN], 1);
	CHECK_EQ(s.portal[ENGINE_DOCKER], 3);
	CHECK_EQ(s.count[LISTING_HIDDEN], 1);
	CHECK_EQ(s.count[LISTING_NOT_SHOWN], 3);
	CHECK_EQ(s.n_shown, 4);
	listing_clear(&s);
}

static void test_wanted(void)
{
	char w_web[] = "tc-docker-web", w_sandbox[] = "tc-ns-1000";
	char *wanted[] = { w_web, w_sandbox, NULL };
	const char argv[] = "tshark\0-i\0tc-docker-a\0-itc-host\0"
			    "--interface=tc-netns-x\0--interface\0tc-ns-5\0"
			    "-i\0eth0\0-i\0tc-portal-docker\0-i\0tc-bad{\0"
			    "-w\0-i\0-i\0tc-ns-7";
	struct listing_policy p = { .max = 1, .wanted = wanted };
	struct listing s;
	char **w = NULL;

	make(&p, &s);
	CHECK_EQ(why(&s, "tc-docker-alpha"), LISTING_SHOWN);
	CHECK_EQ(why(&s, "tc-docker-web"), LISTING_SHOWN);
	CHECK(find(&s, "tc-docker-web")->wanted);
	CHECK_EQ(why(&s, "tc-ns-1000"), LISTING_SHOWN);
	CHECK_EQ(why(&s, "tc-docker-dind"), LISTING_OVER_CAP);
	CHECK_EQ(s.n_shown, 1);
	listing_clear(&s);

	/* the last argument lacks its NUL: not taken */
	CHECK(listing_wanted_parse(argv, sizeof(argv) - 1, &w) == 0);
	CHECK(w != NULL);
	if (w) {
		CHECK_STREQ(w[0], "tc-docker-a");
		CHECK_STREQ(w[1], "tc-host");
		CHECK_STREQ(w[2], "tc-netns-x");
		CHECK_STREQ(w[3], "tc-ns-5");
		CHECK(w[4] == NULL);
	}
	listing_wanted_free(w);
	CHECK(listing_wanted_parse(argv, 0, &w) == 0 && w == NULL);
	CHECK(listing_wanted_parse("-i", 2, &w) == 0 && w == NULL);
	CHECK(listing_wanted_load("/nonexistent", 1, &w) == 0 && w == NULL);
}

static void test_portals(void)
{
	struct target_ref ref;
	char *s;
	int g = -1;

	for (int k = 0; k < LISTING_GROUPS; k++) {
		s = listing_portal_value(k);
		CHECK(s && strncmp(s, LISTING_PORTAL_PREFIX,
				   strlen(LISTING_PORTAL_PREFIX)) == 0);
		CHECK(s && listing_parse_portal(s, &g) == 0 && g == k);
		/* no target value is a portal value, and back */
		CHECK(s && target_parse_value(s, &ref) == -EINVAL);
		free(s);
	}
	s = listing_portal_value(LISTING_GROUP_NETNS);
	CHECK_STREQ(s, "tc-portal-netns");
	free(s);
	CHECK(listing_portal_value(LISTING_GROUPS) == NULL);
	CHECK(listing_parse_portal("tc-portal-", &g) == -EINVAL);
	CHECK(listing_parse_portal("tc-portal-dockerx", &g) == -EINVAL);
	CHECK(listing_parse_portal("tc-docker-web", &g) == -EINVAL);
	CHECK(listing_parse_portal(NULL, &g) == -EINVAL);
	CHECK(listing_parse_portal("tc-portal-cri-o", &g) == 0 &&
	      g == ENGINE_CRIO);

	s = listing_portal_display(ENGINE_DOCKER, 180);
	CHECK_STREQ(
		s,
		"turtlecap: 180 more docker containers (pick one in the interface options)");
	free(s);
	s = listing_portal_display(LISTING_GROUP_NETNS, 1);
	CHECK_STREQ(
		s,
		"turtlecap: 1 more network namespace (pick one in the interface options)");
	free(s);
}

static void test_policy_load(void)
{
	struct listing_policy p;

	setenv("TURTLECAP_MAX_INTERFACES", "7", 1);
	setenv("TURTLECAP_HIDE", "ci-* tmp-*", 1);
	unsetenv("TURTLECAP_SHOW");
	unsetenv("TURTLECAP_ENGINES");
	CHECK(config_load_from(NULL, NULL) == 0);
	listing_policy_load(&p, false);
	CHECK_EQ(p.max, 7);
	CHECK_STREQ(p.hide, "ci-* tmp-*");
	CHECK(p.show == NULL && p.engines == NULL && !p.all);
	CHECK_STREQ(config_origin("max_interfaces"), "environment");

	/* not a number: the default, with a warning in the log */
	setenv("TURTLECAP_MAX_INTERFACES", "lots", 1);
	CHECK(config_load_from(NULL, NULL) == 0);
	listing_policy_load(&p, true);
	CHECK_EQ(p.max, LISTING_MAX_DEFAULT);
	CHECK(p.all);

	unsetenv("TURTLECAP_MAX_INTERFACES");
	CHECK(config_load_from(NULL, NULL) == 0);
	listing_policy_load(&p, false);
	CHECK_EQ(p.max, LISTING_MAX_DEFAULT);
	CHECK_STREQ(config_origin("max_interfaces"), "default");
	unsetenv("TURTLECAP_HIDE");
}

int main(int argc, char **argv)
{
	tap_init(argc, argv);
	test_order_and_cap();
	test_filters();
	test_wanted();
	test_portals();
	test_policy_load();
	return tap_done();
}
