/* SPDX-License-Identifier: MIT */
/*
 * The plugin's metadata parser (plugin/turtle-meta.c): what the writer
 * (src/metadata.c) produces reads back field for field, the container
 * fixtures, and every way a description can be wrong (status + message),
 * including the limits (string length, lineage depth, nesting, size).
 */
#include <errno.h>
#include <net/if_arp.h>
#include <stdlib.h>

#include "discovery.h"
#include "metadata.h"
#include "tap.h"
#include "turtle-meta.h"

/* One arena for the whole test: freed at the end. */
static void *blocks[100000];
static size_t n_blocks;
static size_t fail_countdown; /* 0 = never */

static void *test_alloc(void *ctx, size_t size)
{
	if (fail_countdown && --fail_countdown == 0)
		return NULL;
	if (n_blocks == sizeof(blocks) / sizeof(blocks[0]))
		return NULL;
	return blocks[n_blocks++] = malloc(size);
}

static struct turtle_meta m;

static int parse(const char *s)
{
	return turtle_meta_parse(s, s ? strlen(s) : 0, &m, test_alloc, NULL);
}

/* parse S, expect STATUS and WHY in the message */
static void expect_bad(const char *s, enum turtle_meta_status status,
		       const char *why)
{
	int r = parse(s);

	CHECK_EQ(r, 0);
	CHECK_EQ(m.status, status);
	if (!strstr(m.message, why)) {
		tap_fail++;
		fprintf(stderr,
			"FAIL: \"%.80s\": message \"%s\" lacks \"%s\"\n", s,
			m.message, why);
	} else {
		tap_pass++;
	}
}

/* A valid description with REPLACE put in place of "name":"blue". */
#define WITH_NAME_FMT                                                    \
	"{\"turtlecap\":1,\"host\":\"vm\",\"target\":\"tc-netns-blue\"," \
	"\"kind\":\"netns\",%s,\"netns\":4026532177,\"lineage\":[{"      \
	"\"kind\":\"host\",\"name\":\"vm\"},{\"kind\":\"netns\","        \
	"\"name\":\"blue\"}]}"

static char *with_name(const char *replace)
{
	size_t n = strlen(WITH_NAME_FMT) + strlen(replace) + 1;
	char *s = malloc(n);

	snprintf(s, n, WITH_NAME_FMT, replace);
	return s;
}

/* What the writer makes of ns, through the snapshot a capture gets. */
static char *describe(struct netns_info *ns, const struct netlink_link *lk)
{
	struct discovery d = { .netns = { .v = ns, .n = 1 } };
	struct metadata_target t;
	char *desc;

	if (discovery_metadata(&d, ns, "tc-netns-bl_22ue_ff", "myhost", &t) < 0)
		return NULL;
	desc = metadata_idb_description(&t, lk);
	metadata_target_clear(&t);
	return desc;
}

static void writer_round_trip(void)
{
	char name[] = "bl\"ue\xff";
	struct netns_info ns = {
		.id = { 4, 4026532177ULL }, .name = name, .pid = 1234, .ctr = -1
	};
	struct netlink_link lk = { .index = 3,
				   .name = "veth-b",
				   .type = ARPHRD_ETHER,
				   .kind = "veth" };
	char *d;

	snprintf(ns.comm, sizeof(ns.comm), "sleep");
	d = describe(&ns, &lk);
	CHECK_EQ(parse(d), 0);
	CHECK_EQ(m.status, TURTLE_META_OK);
	CHECK_EQ(m.warnings, 0);
	CHECK_EQ(m.version, TURTLE_META_VERSION);
	CHECK_STREQ(m.host, "myhost");
	CHECK_STREQ(m.target, "tc-netns-bl_22ue_ff");
	CHECK_STREQ(m.kind, "netns");
	CHECK_STREQ(m.name, "bl\"ue\\xff"); /* the writer's \xNN text */
	CHECK_STREQ(m.target_name, "bl\"ue\\xff");
	CHECK(m.netns == 4026532177ULL);
	CHECK(m.has_pid && m.pid == 1234);
	CHECK_STREQ(m.comm, "sleep");
	CHECK_STREQ(m.ifname, "veth-b");
	CHECK(m.has_ifindex && m.ifindex == 3);
	CHECK_STREQ(m.link, "ether");
	CHECK_STREQ(m.ifkind, "veth");
	CHECK(m.container == NULL && m.engine == NULL && m.pod == NULL);
	CHECK_EQ(m.n_levels, 2);
	CHECK_STREQ(m.levels[0].kind, "host");
	CHECK_STREQ(m.levels[0].name, "myhost");
	CHECK(m.levels[0].engine == NULL && m.levels[0].id == NULL);
	CHECK_STREQ(m.levels[1].kind, "netns");
	CHECK_STREQ(m.lineage, "myhost \xe2\x96\xb8 bl\"ue\\xff");
	free(d);

	/* unnamed: the name is the inode, in the lineage and turtle.name */
	ns.name = NULL;
	d = describe(&ns, &lk);
	CHECK_EQ(parse(d), 0);
	CHECK_EQ(m.status, TURTLE_META_OK);
	CHECK(m.name == NULL);
	CHECK_STREQ(m.target_name, "4026532177");
	CHECK_STREQ(m.lineage, "myhost \xe2\x96\xb8 4026532177");
	free(d);

	/* the host: one level, depth 0, named after the host */
	ns.is_host = true;
	ns.pid = 0;
	d = describe(&ns, NULL);
	CHECK_EQ(parse(d), 0);
	CHECK_EQ(m.status, TURTLE_META_OK);
	CHECK_STREQ(m.kind, "host");
	CHECK_EQ(m.n_levels, 1);
	CHECK_STREQ(m.lineage, "myhost");
	CHECK_STREQ(m.target_name, "myhost");
	CHECK(!m.has_pid && m.ifname == NULL);
	free(d);

	/* the writer's worst case is read without a warning: a name of 1024
	 * bytes that are not UTF-8 becomes 4096 bytes of \xNN text */
	{
		char big[1025];

		memset(big, 0xff, 1024);
		big[1024] = '\0';
		ns.is_host = false;
		ns.name = big;
		d = describe(&ns, &lk);
		CHECK_EQ(parse(d), 0);
		CHECK_EQ(m.status, TURTLE_META_OK);
		CHECK_EQ(m.warnings, 0);
		CHECK_EQ(m.name ? strlen(m.name) : 0, 4096);
		free(d);
	}
}

static void containers(void)
{
	CHECK_EQ(
		parse("{\"turtlecap\":1,\"host\":\"node1\",\"target\":\"tc-cri-"
		      "x\",\"kind\":\"pod\",\"name\":\"web-7d4b9\",\"netns\":"
		      "18446744073709551615,\"container\":\"web\",\"id\":"
		      "\"abc\",\"engine\":\"containerd\",\"engine_version\":"
		      "\"1.7\",\"image\":\"nginx:1\",\"pod\":\"web-7d4b9\","
		      "\"pod_namespace\":\"shop\",\"members\":[\"web\","
		      "\"side\"],\"future\":{\"a\":[1,-2.5e+3,true,false,"
		      "null,{\"b\":\"\\u00e9\"}]},\"lineage\":[{\"kind\":"
		      "\"host\",\"name\":\"node1\",\"extra\":[]},{\"kind\":"
		      "\"container\",\"name\":\"dind\",\"engine\":\"docker\","
		      "\"id\":\"d1\"},{\"kind\":\"pod\",\"name\":\"web-7d4b9\","
		      "\"engine\":\"cri\",\"id\":\"p1\"}]}"),
		0);
	CHECK_EQ(m.status, TURTLE_META_OK);
	CHECK_EQ(m.warnings, 0);
	CHECK(m.netns == UINT64_MAX);
	CHECK_STREQ(m.container, "web");
	CHECK_STREQ(m.id, "abc");
	CHECK_STREQ(m.engine, "containerd");
	CHECK_STREQ(m.engine_version, "1.7");
	CHECK_STREQ(m.image, "nginx:1");
	CHECK_STREQ(m.pod, "web-7d4b9");
	CHECK_STREQ(m.pod_namespace, "shop");
	CHECK_EQ(m.n_members, 2);
	CHECK_STREQ(m.n_members == 2 ? m.members[1] : NULL, "side");
	CHECK_EQ(m.n_levels, 3);
	CHECK_STREQ(m.levels[1].engine, "docker");
	CHECK_STREQ(m.levels[1].id, "d1");
	CHECK_STREQ(m.lineage,
		    "node1 \xe2\x96\xb8 dind \xe2\x96\xb8 web-7d4b9");
	CHECK_STREQ(m.target_name, "web-7d4b9");

	/* no name: the container's */
	CHECK_EQ(
		parse("{\"turtlecap\":1,\"host\":\"h\",\"target\":\"t\","
		      "\"kind\":\"container\",\"netns\":1,\"container\":\"db\","
		      "\"lineage\":[{\"kind\":\"host\",\"name\":\"h\"}]}"),
		0);
	CHECK_STREQ(m.target_name, "db");

	/* white space anywhere JSON allows it */
	CHECK_EQ(parse("{\"turtlecap\": 1 ,\n\"host\" : \"h\"\t,\"target\":"
		       "\"t\",\"kind\":\"netns\",\"netns\":0,\"lineage\":[ {"
		       "\"kind\":\"host\" , \"name\":\"h\" } ] }\r\n"),
		 0);
	CHECK_EQ(m.status, TURTLE_META_OK);
}

static void not_ours(void)
{
	const char *v[] = { "",
			    "eth0 uplink",
			    "{\"turtlecap\" :1}",
			    "{\"turtlecap\"",
			    " {\"turtlecap\":1}",
			    "{\"TURTLECAP\":1}" };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		CHECK_EQ(parse(v[i]), 0);
		CHECK_EQ(m.status, TURTLE_META_NOT_OURS);
	}
	CHECK_EQ(parse(NULL), 0);
	CHECK_EQ(m.status, TURTLE_META_NOT_OURS);
}

static void malformed(void)
{
	char *s;

	/* truncated, anywhere */
	expect_bad("{\"turtlecap\":", TURTLE_META_MALFORMED, "truncated");
	expect_bad("{\"turtlecap\":1", TURTLE_META_MALFORMED, "truncated");
	expect_bad("{\"turtlecap\":1,\"host\":\"vm", TURTLE_META_MALFORMED,
		   "truncated");
	expect_bad("{\"turtlecap\":1,\"lineage\":[{\"kind\":\"ho",
		   TURTLE_META_MALFORMED, "truncated");
	/* bad JSON */
	expect_bad("{\"turtlecap\":1,\"host\":vm}", TURTLE_META_MALFORMED,
		   "must be a string");
	expect_bad("{\"turtlecap\":1,\"x\":vm}", TURTLE_META_MALFORMED,
		   "bad JSON");
	expect_bad("{\"turtlecap\":1,\"x\":tru}", TURTLE_META_MALFORMED,
		   "bad JSON");
	expect_bad("{\"turtlecap\":1,\"x\":01}", TURTLE_META_MALFORMED,
		   "bad JSON");
	expect_bad("{\"turtlecap\":1,\"x\":1.}", TURTLE_META_MALFORMED,
		   "after '.'");
	expect_bad("{\"turtlecap\":1,\"x\":[1,]}", TURTLE_META_MALFORMED,
		   "bad JSON");
	expect_bad("{\"turtlecap\":1,,}", TURTLE_META_MALFORMED, "bad JSON");
	expect_bad("{\"turtlecap\":1 \"host\":\"h\"}", TURTLE_META_MALFORMED,
		   "expected ',' or '}'");
	expect_bad("{\"turtlecap\":1,\"host\"\"h\"}", TURTLE_META_MALFORMED,
		   "expected ':'");
	expect_bad("{\"turtlecap\":1,\"x\":\"a\\qb\"}", TURTLE_META_MALFORMED,
		   "unknown escape");
	expect_bad("{\"turtlecap\":1,\"x\":\"\\u12g4\"}", TURTLE_META_MALFORMED,
		   "four hex digits");
	expect_bad("{\"turtlecap\":1,\"x\":\"a\x01\"}", TURTLE_META_MALFORMED,
		   "control character");
	expect_bad("{\"turtlecap\":1}x", TURTLE_META_MALFORMED, "required");
	s = with_name("\"name\":\"blue\"");
	CHECK_EQ(parse(s), 0);
	CHECK_EQ(m.status, TURTLE_META_OK);
	{
		char t[1024];

		snprintf(t, sizeof(t), "%s}", s);
		expect_bad(t, TURTLE_META_MALFORMED, "trailing data");
	}
	free(s);
	/* wrong types */
	s = with_name("\"pid\":\"812\"");
	expect_bad(s, TURTLE_META_MALFORMED, "\"pid\" must be a number");
	free(s);
	s = with_name("\"pid\":4294967296");
	expect_bad(s, TURTLE_META_MALFORMED, "\"pid\" must be an integer");
	free(s);
	s = with_name("\"ifindex\":-1");
	expect_bad(s, TURTLE_META_MALFORMED, "\"ifindex\" must be an integer");
	free(s);
	s = with_name("\"ifindex\":1.5");
	expect_bad(s, TURTLE_META_MALFORMED, "\"ifindex\" must be an integer");
	free(s);
	s = with_name("\"name\":null");
	expect_bad(s, TURTLE_META_MALFORMED, "\"name\" must be a string");
	free(s);
	s = with_name("\"members\":\"web\"");
	expect_bad(s, TURTLE_META_MALFORMED, "\"members\" must be an array");
	free(s);
	s = with_name("\"members\":[1]");
	expect_bad(s, TURTLE_META_MALFORMED, "\"members\" must be a string");
	free(s);
	expect_bad("{\"turtlecap\":1,\"netns\":18446744073709551616}",
		   TURTLE_META_MALFORMED, "\"netns\" must be an integer");
	expect_bad("{\"turtlecap\":1,\"lineage\":{}}", TURTLE_META_MALFORMED,
		   "\"lineage\" must be an array");
	expect_bad("{\"turtlecap\":1,\"lineage\":[\"vm\"]}",
		   TURTLE_META_MALFORMED, "level 0 must be an object");
	expect_bad("{\"turtlecap\":1,\"lineage\":[{\"kind\":\"host\"}]}",
		   TURTLE_META_MALFORMED, "level 0 has no \"name\"");
	expect_bad("{\"turtlecap\":1,\"lineage\":[{\"name\":1}]}",
		   TURTLE_META_MALFORMED, "lineage.0.name\" must be a string");
	expect_bad("{\"turtlecap\":1,\"lineage\":[{\"name\":\"a\",\"name\":"
		   "\"b\"}]}",
		   TURTLE_META_MALFORMED, "twice");
	/* missing keys */
	expect_bad("{\"turtlecap\":1}", TURTLE_META_MALFORMED,
		   "required key \"host\" missing");
	expect_bad("{\"turtlecap\":1,\"host\":\"h\",\"target\":\"t\","
		   "\"kind\":\"k\",\"lineage\":[{\"kind\":\"host\",\"name\":"
		   "\"h\"}]}",
		   TURTLE_META_MALFORMED, "required key \"netns\" missing");
	expect_bad("{\"turtlecap\":1,\"host\":\"h\",\"target\":\"t\","
		   "\"kind\":\"k\",\"netns\":1,\"lineage\":[]}",
		   TURTLE_META_MALFORMED, "lineage is empty");
	/* duplicates */
	expect_bad("{\"turtlecap\":1,\"host\":\"a\",\"host\":\"b\"}",
		   TURTLE_META_MALFORMED, "\"host\" twice");
	expect_bad("{\"turtlecap\":1,\"turtlecap\":1}", TURTLE_META_MALFORMED,
		   "\"turtlecap\" twice");
	/* versions */
	expect_bad("{\"turtlecap\":0}", TURTLE_META_MALFORMED, "from 1");
	expect_bad("{\"turtlecap\":-1}", TURTLE_META_MALFORMED, "from 1");
	expect_bad("{\"turtlecap\":1.0}", TURTLE_META_MALFORMED, "from 1");
	expect_bad("{\"turtlecap\":\"1\"}", TURTLE_META_MALFORMED,
		   "must be a number");
	expect_bad("{\"turtlecap\":2}", TURTLE_META_FUTURE,
		   "version 2 is newer");
	CHECK(m.version == 2);
	/* a newer version is reported whatever follows it */
	expect_bad("{\"turtlecap\":99,<not json>", TURTLE_META_FUTURE,
		   "version 99 is newer");
	expect_bad("{\"turtlecap\":123456789012345678901234567890}",
		   TURTLE_META_FUTURE, "is newer");
	/* limits */
	s = malloc(TURTLE_META_MAX_LEN + 2);
	memset(s, ' ', TURTLE_META_MAX_LEN + 1);
	memcpy(s, TURTLE_META_PREFIX, strlen(TURTLE_META_PREFIX));
	s[TURTLE_META_MAX_LEN + 1] = '\0';
	expect_bad(s, TURTLE_META_MALFORMED, "over the format's limit");
	free(s);
	{
		char deep[256];
		int n = 0;

		n += snprintf(deep + n, sizeof(deep) - (size_t)n,
			      "{\"turtlecap\":1,\"x\":");
		for (int i = 0; i < TURTLE_NEST_MAX + 1; i++)
			deep[n++] = '[';
		for (int i = 0; i < TURTLE_NEST_MAX + 1; i++)
			deep[n++] = ']';
		snprintf(deep + n, sizeof(deep) - (size_t)n, "}");
		expect_bad(deep, TURTLE_META_MALFORMED, "nested deeper");
	}
	{
		char lin[4096];
		int n = snprintf(lin, sizeof(lin),
				 "{\"turtlecap\":1,\"lineage\":[");

		for (int i = 0; i <= TURTLE_LEVELS_MAX; i++)
			n += snprintf(lin + n, sizeof(lin) - (size_t)n,
				      "%s{\"kind\":\"k\",\"name\":\"n%d\"}",
				      i ? "," : "", i);
		snprintf(lin + n, sizeof(lin) - (size_t)n, "]}");
		expect_bad(lin, TURTLE_META_MALFORMED, "deeper than 32 levels");
	}
}

static void text(void)
{
	char *s, *big;

	/* escapes, pairs */
	s = with_name("\"name\":\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d"
		      "\\ude00\"");
	CHECK_EQ(parse(s), 0);
	CHECK_EQ(m.status, TURTLE_META_OK);
	CHECK_EQ(m.warnings, 0);
	CHECK_STREQ(m.name, "a\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80");
	free(s);
	/* \u escapes take hex digits of either case (base's decoder) */
	s = with_name("\"name\":\"\\u00E9\\uD83D\\uDe00\"");
	CHECK_EQ(parse(s), 0);
	CHECK_EQ(m.status, TURTLE_META_OK);
	CHECK_EQ(m.warnings, 0);
	CHECK_STREQ(m.name, "\xc3\xa9\xf0\x9f\x98\x80");
	free(s);
	/* what C strings and UTF-8 cannot carry is replaced, and said */
	s = with_name("\"name\":\"b\\ud800l\\u0000u\\udc00e\\ud800\\u0041\"");
	CHECK_EQ(parse(s), 0);
	CHECK_EQ(m.status, TURTLE_META_OK);
	CHECK_EQ(m.warnings, TURTLE_WARN_TEXT);
	CHECK_STREQ(m.name, "b\xef\xbf\xbdl\\x00u\xef\xbf\xbd"
			    "e\xef\xbf\xbd"
			    "A");
	CHECK(strstr(m.message, "\"name\"") != NULL);
	free(s);
	/* raw bytes that are not UTF-8: overlong, surrogate, truncated */
	s = with_name("\"name\":\"x\xc0\xaf\xed\xa0\x80\xff\xe2\x96\"");
	CHECK_EQ(parse(s), 0);
	CHECK_EQ(m.status, TURTLE_META_OK);
	CHECK_EQ(m.warnings, TURTLE_WARN_TEXT);
	CHECK_STREQ(m.name, "x\\xc0\\xaf\\xed\\xa0\\x80\\xff\\xe2\\x96");
	free(s);
	/* a string over TURTLE_STR_MAX is cut on a character boundary */
	big = malloc(3 * 2000 + 16);
	strcpy(big, "\"name\":\"");
	for (int i = 0; i < 2000; i++)
		strcat(big, "\xe2\x96\xb8");
	strcat(big, "\"");
	s = with_name(big);
	CHECK_EQ(parse(s), 0);
	CHECK_EQ(m.status, TURTLE_META_OK);
	CHECK_EQ(m.warnings, TURTLE_WARN_CUT);
	CHECK_EQ(strlen(m.name), (TURTLE_STR_MAX / 3) * 3);
	CHECK(strstr(m.message, "longer than") != NULL);
	free(s);
	free(big);
	/* members beyond the limit are dropped, and said */
	big = malloc(16 + 6 * (TURTLE_MEMBERS_MAX + 10));
	strcpy(big, "\"members\":[");
	for (int i = 0; i < TURTLE_MEMBERS_MAX + 10; i++)
		strcat(big, i ? ",\"m\"" : "\"m\"");
	strcat(big, "]");
	s = with_name(big);
	CHECK_EQ(parse(s), 0);
	CHECK_EQ(m.status, TURTLE_META_OK);
	CHECK_EQ(m.warnings, TURTLE_WARN_MEMBERS);
	CHECK_EQ(m.n_members, TURTLE_MEMBERS_MAX);
	free(s);
	free(big);
	/* long keys and unknown keys are skipped */
	s = with_name("\"a-key-much-longer-than-any-key-we-know-of\":{\"x\":"
		      "[1]},\"name\":\"blue\"");
	CHECK_EQ(parse(s), 0);
	CHECK_EQ(m.status, TURTLE_META_OK);
	CHECK_STREQ(m.name, "blue");
	free(s);
}

static void out_of_memory(void)
{
	const char *d = "{\"turtlecap\":1,\"host\":\"h\",\"target\":\"t\","
			"\"kind\":\"k\",\"netns\":1,\"lineage\":[{\"kind\":"
			"\"host\",\"name\":\"h\"}]}";

	for (size_t k = 1; k <= 8; k++) {
		fail_countdown = k;
		CHECK_EQ(parse(d), -ENOMEM);
	}
	fail_countdown = 0;
	CHECK_EQ(parse(d), 0);
	CHECK_EQ(m.status, TURTLE_META_OK);
}

int main(int argc, char **argv)
{
	tap_init(argc, argv);
	writer_round_trip();
	containers();
	not_ours();
	malformed();
	text();
	out_of_memory();
	for (size_t i = 0; i < n_blocks; i++)
		free(blocks[i]);
	return tap_done();
}
