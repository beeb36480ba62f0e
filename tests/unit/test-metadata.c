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

/* A string of n bytes of c. */
static char *fill(size_t n, char c)
{
	char *s = malloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* A pod whose 200 members each have a 1000-byte name (E2BIG before): the
 * description fits, is valid JSON, keeps the primary first and says how
 * many members it left out. */
static void many_members(void)
{
	enum { N = 200 };
	struct container cs[N] = { 0 };
	struct engine_endpoint ep = { .kind = ENGINE_DOCKER };
	struct netns_info ns = { .id = { 4, 77 }, .ctr = 0 };
	struct discovery d = { .netns = { .v = &ns, .n = 1 } };
	struct metadata_target t;
	char ids[N][17];
	json_error_t err;
	json_t *j;
	char *desc;

	for (size_t i = 0; i < N; i++) {
		cs[i].name = fill(1000, (char)('a' + i % 26));
		snprintf(ids[i], sizeof(ids[i]), "%016zx", i + 1);
		cs[i].id = ids[i];
		cs[i].netns = 77;
		cs[i].parent = -1;
	}
	d.engines.endpoints.v = &ep;
	d.engines.endpoints.n = 1;
	d.engines.containers.v = cs;
	d.engines.containers.n = N;
	CHECK(discovery_metadata(&d, &ns, "tc-docker-x", "h", &t) == 0);
	CHECK_EQ(t.ctr.n_members, N);
	desc = metadata_idb_description(&t, NULL);
	CHECK(desc != NULL);
	CHECK_MSG(desc && strlen(desc) <= TURTLE_META_MAX_LEN, "%zu bytes",
		  desc ? strlen(desc) : 0);
	j = desc ? json_loads(desc, JSON_REJECT_DUPLICATES, &err) : NULL;
	CHECK_MSG(j != NULL, "%s", j ? "" : err.text);
	if (j) {
		json_t *m = json_object_get(j, TURTLE_META_KEY_MEMBERS);
		size_t kept = json_array_size(m);

		CHECK(kept > 0 && kept < N);
		CHECK_STREQ(json_string_value(json_array_get(m, 0)),
			    cs[0].name);
		CHECK_EQ(json_integer_value(json_object_get(
				 j, TURTLE_META_KEY_MEMBERS_CUT)),
			 (json_int_t)(N - kept));
		CHECK_EQ(json_integer_value(json_object_get(j, "netns")), 77);
		json_decref(j);
	}
	free(desc);
	/* a few members: all kept, no cut key */
	d.engines.containers.n = 3;
	metadata_target_clear(&t);
	CHECK(discovery_metadata(&d, &ns, "tc-docker-x", "h", &t) == 0);
	desc = metadata_idb_description(&t, NULL);
	j = desc ? json_loads(desc, 0, &err) : NULL;
	CHECK(j && json_array_size(json_object_get(j, "members")) == 3 &&
	      !json_object_get(j, TURTLE_META_KEY_MEMBERS_CUT));
	json_decref(j);
	free(desc);
	metadata_target_clear(&t);
	for (size_t i = 0; i < N; i++)
		free(cs[i].name);
}

/* Every field at its worst (64 KiB of control bytes each, 16 levels, 64
 * members): still within TURTLE_META_MAX_LEN and valid JSON. */
static void worst_case(void)
{
	char *big = fill(65536, '\x01'), *names[64];
	struct netlink_link lk = { .index = 1,
				   .name = "x",
				   .type = ARPHRD_ETHER };
	struct metadata_target t = {
		.host = big,
		.value = big,
		.kind = "container",
		.netns = 1,
		.name = big,
		.pid = 1,
		.comm = big,
	};
	json_error_t err;
	json_t *j;
	char *desc;

	t.ctr.id = big;
	t.ctr.name = big;
	t.ctr.ifname = big;
	t.ctr.engine = "docker";
	t.ctr.engine_version = big;
	t.ctr.image = big;
	t.ctr.pod_name = big;
	t.ctr.pod_namespace = big;
	for (size_t i = 0; i < 64; i++)
		names[i] = big;
	t.ctr.members = names;
	t.ctr.n_members = 64;
	t.n_levels = METADATA_LEVELS_MAX;
	for (size_t i = 0; i < t.n_levels; i++)
		t.levels[i] = (struct metadata_level){ .name = big,
						       .engine = "docker",
						       .id = big };
	memcpy(lk.kind, "veth", 5);
	desc = metadata_idb_description(&t, &lk);
	CHECK(desc != NULL);
	CHECK_MSG(desc && strlen(desc) <= TURTLE_META_MAX_LEN, "%zu bytes",
		  desc ? strlen(desc) : 0);
	j = desc ? json_loads(desc, JSON_REJECT_DUPLICATES, &err) : NULL;
	CHECK_MSG(j != NULL, "%s", j ? "" : err.text);
	CHECK(j && json_integer_value(json_object_get(
			   j, TURTLE_META_KEY_MEMBERS_CUT)) > 0);
	json_decref(j);
	free(desc);
	free(big);
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
	many_members();
	worst_case();
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
