/* SPDX-License-Identifier: MIT */
#include <jansson.h>
#include <net/if_arp.h>

#include "discovery.h"
#include "metadata.h"
#include "tap.h"

/* The snapshot of ns, as a capture of it gets it from a discovery. */
static bool snapshot(struct netns_info *ns, struct metadata_target *t)
{
	struct discovery d = { .netns = { .v = ns, .n = 1 } };

	return discovery_metadata(&d, ns, "tc-netns-bl_22ue_ff", "myhost", t) ==
	       0;
}

static char *describe(struct netns_info *ns, const struct netlink_link *lk)
{
	struct metadata_target t;
	char *d;

	if (!snapshot(ns, &t))
		return NULL;
	d = metadata_idb_description(&t, lk);
	metadata_target_clear(&t);
	return d;
}

int main(int argc, char **argv)
{
	char name[] = "bl\"ue\xff";
	struct netns_info ns = {
		.id = { 4, 4026532177ULL }, .name = name, .pid = 1234, .ctr = -1
	};
	struct netlink_link lk = { .index = 3,
				   .name = "veth-b",
				   .type = ARPHRD_ETHER,
				   .kind = "veth" };
	struct metadata_target t;
	json_error_t err;
	json_t *j, *lin;
	char *d, *n, *c;

	tap_init(argc, argv);
	snprintf(ns.comm, sizeof(ns.comm), "sleep");

	d = describe(&ns, &lk);
	CHECK(d != NULL);
	CHECK(strncmp(d, TURTLE_META_PREFIX, strlen(TURTLE_META_PREFIX)) == 0);
	j = json_loads(d, 0, &err);
	CHECK(j != NULL);
	if (j) {
		CHECK_EQ(json_integer_value(
				 json_object_get(j, TURTLE_META_KEY_VERSION)),
			 TURTLE_META_VERSION);
		CHECK_STREQ(json_string_value(json_object_get(j, "host")),
			    "myhost");
		CHECK_STREQ(json_string_value(json_object_get(j, "target")),
			    "tc-netns-bl_22ue_ff");
		CHECK_STREQ(json_string_value(json_object_get(j, "kind")),
			    "netns");
		/* the invalid byte survives as the text \xff */
		CHECK_STREQ(json_string_value(json_object_get(j, "name")),
			    "bl\"ue\\xff");
		CHECK_EQ(json_integer_value(json_object_get(j, "netns")),
			 4026532177LL);
		CHECK_EQ(json_integer_value(json_object_get(j, "pid")), 1234);
		CHECK_STREQ(json_string_value(json_object_get(j, "comm")),
			    "sleep");
		CHECK_STREQ(json_string_value(json_object_get(j, "if")),
			    "veth-b");
		CHECK_EQ(json_integer_value(json_object_get(j, "ifindex")), 3);
		CHECK_STREQ(json_string_value(json_object_get(j, "link")),
			    "ether");
		CHECK_STREQ(json_string_value(json_object_get(j, "ifkind")),
			    "veth");
		lin = json_object_get(j, "lineage");
		CHECK(json_is_array(lin) && json_array_size(lin) == 2);
		CHECK_STREQ(json_string_value(json_object_get(
				    json_array_get(lin, 0), "kind")),
			    "host");
		CHECK_STREQ(json_string_value(json_object_get(
				    json_array_get(lin, 0), "name")),
			    "myhost");
		CHECK_STREQ(json_string_value(json_object_get(
				    json_array_get(lin, 1), "name")),
			    "bl\"ue\\xff");
		json_decref(j);
	}
	free(d);

	/* a huge name is cut: the description stays below the option limit */
	{
		char *big = malloc(200000);

		memset(big, 'x', 199999);
		big[199999] = '\0';
		ns.name = big;
		d = describe(&ns, &lk);
		CHECK(d && strlen(d) < TURTLE_META_MAX_LEN);
		j = d ? json_loads(d, 0, &err) : NULL;
		CHECK(j != NULL);
		json_decref(j);
		free(d);
		free(big);
	}

	/* the host has a one-level lineage and no name */
	ns.name = NULL;
	ns.is_host = true;
	ns.pid = 0;
	d = describe(&ns, NULL);
	j = d ? json_loads(d, 0, &err) : NULL;
	CHECK(j != NULL);
	if (j) {
		CHECK_STREQ(json_string_value(json_object_get(j, "kind")),
			    "host");
		CHECK(json_object_get(j, "name") == NULL);
		CHECK(json_object_get(j, "pid") == NULL);
		CHECK_EQ(json_array_size(json_object_get(j, "lineage")), 1);
		json_decref(j);
	}
	free(d);

	CHECK(snapshot(&ns, &t));
	n = metadata_idb_name(&t, &lk);
	CHECK_STREQ(n, "tc-netns-bl_22ue_ff/veth-b");
	free(n);
	c = metadata_shb_comment(&t);
	CHECK(c && strstr(c, "myhost") && strstr(c, "tc-netns-bl_22ue_ff"));
	free(c);
	metadata_target_clear(&t);
	return tap_done();
}
