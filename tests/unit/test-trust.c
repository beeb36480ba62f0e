/* SPDX-License-Identifier: MIT */
/* Trust decides, not order: a netns shared by a host engine's container
 * and a nested engine's is named by the host's (discovery_attach), and a
 * value both would take resolves to the host's (target_resolve), with the
 * nested engine listed first or last. */
#include <stdlib.h>

#include "tap.h"
#include "target.h"

static void one_order(bool nested_first)
{
	struct netns_info v[3] = {
		{ .id = { 4, 100 }, .is_host = true },
		{ .id = { 4, 200 }, .pid = 5 },
		{ .id = { 4, 300 }, .pid = 7 },
	};
	struct engine_endpoint ep[2] = {
		{ .kind = ENGINE_DOCKER, .trust = ENGINE_TRUST_HOST },
		{ .kind = ENGINE_DOCKER, .trust = ENGINE_TRUST_NESTED },
	};
	char web[] = "web", hid[] = "aaaa", nid[] = "0000";
	/* the nested one with the smaller id: ids do not outrank trust */
	struct container host = { .name = web,
				  .id = hid,
				  .netns = 200,
				  .endpoint = 0,
				  .parent = -1 };
	struct container nested = { .name = web,
				    .id = nid,
				    .netns = 300,
				    .endpoint = 1,
				    .parent = -1 };
	struct container cs[2];
	struct discovery d = { .netns = { .v = v, .n = 3 } };
	struct target_ref ref;
	size_t h = nested_first ? 1 : 0;

	cs[h] = host;
	cs[1 - h] = nested;
	d.engines.endpoints.v = ep;
	d.engines.endpoints.n = 2;
	d.engines.containers.v = cs;
	d.engines.containers.n = 2;
	CHECK(target_parse_value("tc-docker-web", &ref) == 0);
	CHECK(target_resolve(&d, &ref) == &v[1]);
	target_ref_clear(&ref);

	/* one netns: the host's entry names it */
	cs[1 - h].netns = 200;
	discovery_attach(&d);
	CHECK_EQ(v[1].ctr, (int)h);
	CHECK_EQ(v[2].ctr, -1);
	/* same trust: the smaller id, whatever the order */
	ep[1].trust = ENGINE_TRUST_HOST;
	discovery_attach(&d);
	CHECK_EQ(v[1].ctr, (int)(1 - h));
}

int main(int argc, char **argv)
{
	tap_init(argc, argv);
	one_order(false);
	one_order(true);
	return tap_done();
}
