/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>

#include "tap.h"
#include "target.h"
#include "text.h"

/* Long names: values within TARGET_VALUE_MAX, stable, distinct, and each
 * resolves back to its own namespace. */
static void long_names(void)
{
	static const size_t lens[] = { 190, 230, 300, 1500, 4096 };
	enum { N = 2 * sizeof(lens) / sizeof(*lens) };
	struct netns_info v[N + 1] = { 0 };
	struct container cs[N] = { 0 };
	char *names[N], ids[N][17], *vals[N];
	struct engine_endpoint ep = { .kind = ENGINE_DOCKER };
	struct discovery l = { 0 };
	struct target_ref ref;
	char *s;

	for (size_t i = 0; i < N; i++) {
		size_t n = lens[i / 2];

		/* pairs that differ only in their last byte */
		names[i] = malloc(n + 1);
		memset(names[i], 'w', n);
		names[i][n - 1] = (char)('a' + (i % 2));
		names[i][n] = '\0';
		snprintf(ids[i], sizeof(ids[i]), "%016zx", i + 1);
		cs[i] = (struct container){ .name = names[i],
					    .id = ids[i],
					    .netns = 500 + i,
					    .parent = -1 };
		v[i] = (struct netns_info){ .id = { 4, 500 + i },
					    .ctr = (int)i };
	}
	/* a netns named with 250 bytes, a U+2028 among them */
	v[N].id.dev = 4;
	v[N].id.ino = 900;
	v[N].ctr = -1;
	v[N].name = malloc(251);
	memset(v[N].name, 'n', 250);
	memcpy(v[N].name + 100, "\xe2\x80\xa8", 3);
	v[N].name[250] = '\0';
	l.netns.v = v;
	l.netns.n = N + 1;
	l.engines.endpoints.v = &ep;
	l.engines.endpoints.n = 1;
	l.engines.containers.v = cs;
	l.engines.containers.n = N;

	for (size_t i = 0; i < N; i++) {
		vals[i] = target_value(&l, &v[i]);
		CHECK(vals[i] != NULL);
		if (!vals[i])
			return;
		CHECK_MSG(strlen(vals[i]) <= TARGET_VALUE_MAX, "%zu: %zu bytes",
			  lens[i / 2], strlen(vals[i]));
		CHECK(strncmp(vals[i], "tc-docker-www", 13) == 0);
		CHECK(target_parse_value(vals[i], &ref) == 0);
		CHECK(ref.kind == TARGET_CONTAINER);
		CHECK_MSG(target_resolve(&l, &ref) == &v[i], "%s", vals[i]);
		target_ref_clear(&ref);
		/* stable: the same value again */
		s = target_value(&l, &v[i]);
		CHECK_STREQ(s, vals[i]);
		free(s);
		for (size_t k = 0; k < i; k++)
			CHECK(strcmp(vals[i], vals[k]) != 0);
	}
	/* 190 bytes fit: the whole value, decoded exactly */
	CHECK(!value_is_short(vals[0]) && value_is_short(vals[2]));
	s = target_value(&l, &v[N]);
	CHECK(s && strlen(s) <= TARGET_VALUE_MAX && value_is_short(s));
	CHECK(s && strncmp(s, "tc-netns-nnn", 12) == 0);
	CHECK(target_parse_value(s, &ref) == 0 && ref.kind == TARGET_NETNS);
	CHECK(target_resolve(&l, &ref) == &v[N]);
	target_ref_clear(&ref);
	free(s);
	/* a short value of no such name, a wrong hash, a netns hash asked as
	 * a container's */
	CHECK(target_parse_value("tc-docker-www__0123456789abcdef", &ref) == 0);
	CHECK(target_resolve(&l, &ref) == NULL);
	target_ref_clear(&ref);
	s = strdup(vals[2]);
	s[strlen(s) - 1] = s[strlen(s) - 1] == '0' ? '1' : '0';
	CHECK(target_parse_value(s, &ref) == 0 &&
	      target_resolve(&l, &ref) == NULL);
	target_ref_clear(&ref);
	free(s);
	CHECK(target_parse_value("tc-bogus-x__0123456789abcdef", &ref) ==
	      -EINVAL);
	CHECK(target_parse_value("tc-host__0123456789abcdef", &ref) == -EINVAL);
	for (size_t i = 0; i < N; i++) {
		free(vals[i]);
		free(names[i]);
	}
	free(v[N].name);
}

int main(int argc, char **argv)
{
	char name[] = "my ns{x}";
	struct netns_info v[3] = {
		{ .id = { 4, 100 }, .is_host = true },
		{ .id = { 4, 200 }, .name = name, .pid = 5 },
		{ .id = { 4, 300 }, .pid = 7 },
	};
	struct discovery l = { .netns = { .v = v, .n = 3 } };
	struct target_ref ref;
	char *s;

	tap_init(argc, argv);
	long_names();
	snprintf(v[1].comm, sizeof(v[1].comm), "sleep");
	snprintf(v[2].comm, sizeof(v[2].comm), "ev}il{");

	s = target_value(&l, &v[0]);
	CHECK_STREQ(s, "tc-host");
	free(s);
	s = target_value(&l, &v[1]);
	CHECK_STREQ(s, "tc-netns-my_20ns_7bx_7d");
	CHECK(target_parse_value(s, &ref) == 0);
	CHECK(ref.kind == TARGET_NETNS);
	CHECK_STREQ(ref.name, "my ns{x}");
	CHECK(target_resolve(&l, &ref) == &v[1]);
	target_ref_clear(&ref);
	free(s);
	s = target_value(&l, &v[2]);
	CHECK_STREQ(s, "tc-ns-300");
	CHECK(target_parse_value(s, &ref) == 0);
	CHECK(ref.kind == TARGET_NETNS_ANON && ref.ino == 300);
	CHECK(target_resolve(&l, &ref) == &v[2]);
	free(s);

	CHECK(target_parse_value("tc-host", &ref) == 0 &&
	      ref.kind == TARGET_HOST);
	CHECK(target_resolve(&l, &ref) == &v[0]);
	CHECK(target_parse_value("eth0", &ref) == -EINVAL);
	CHECK(target_parse_value("tc-ns-", &ref) == -EINVAL);
	CHECK(target_parse_value("tc-ns-0", &ref) == -EINVAL);
	CHECK(target_parse_value("tc-ns-12x", &ref) == -EINVAL);
	CHECK(target_parse_value("tc-netns-", &ref) == -EINVAL);
	CHECK(target_parse_value("tc-netns-a b", &ref) == -EINVAL);
	CHECK(target_parse_value("tc-bogus", &ref) == -EINVAL);
	CHECK(target_parse_value("tc-netns-gone", &ref) == 0);
	CHECK(target_resolve(&l, &ref) == NULL);
	target_ref_clear(&ref);

	/* displays carry no grammar characters */
	s = target_display(&l, &v[1]);
	CHECK(s && strstr(s, "my ns(x)") && !strchr(s, '{') && !strchr(s, '}'));
	free(s);
	s = target_display(&l, &v[2]);
	CHECK(s && strstr(s, "ev)il(") && strstr(s, "300") && !strchr(s, '{'));
	free(s);

	/* a container: valued by engine and name, resolved to its netns */
	{
		char cname[] = "web one", cid[] = "0123456789abcdef";
		char other[] = "side", oid[] = "fedcba9876543210";
		char mode[] = "container:0123456789abcdef";
		struct engine_endpoint ep = { .kind = ENGINE_DOCKER };
		struct container cs[2] = {
			{ .name = cname,
			  .id = cid,
			  .netns = 300,
			  .parent = -1 },
			{ .name = other,
			  .id = oid,
			  .netns = 300,
			  .netmode = mode,
			  .parent = -1 },
		};

		l.engines.endpoints.v = &ep;
		l.engines.endpoints.n = 1;
		l.engines.containers.v = cs;
		l.engines.containers.n = 2;
		v[2].ctr = 0;
		s = target_value(&l, &v[2]);
		CHECK_STREQ(s, "tc-docker-web_20one");
		CHECK(target_parse_value(s, &ref) == 0);
		CHECK(ref.kind == TARGET_CONTAINER && ref.n_levels == 1 &&
		      ref.levels[0].engine == ENGINE_DOCKER);
		CHECK_STREQ(ref.name, "web one");
		CHECK(target_resolve(&l, &ref) == &v[2]);
		target_ref_clear(&ref);
		free(s);
		CHECK(target_parse_value("tc-podman-web_20one", &ref) == 0);
		CHECK(ref.levels[0].engine == ENGINE_PODMAN &&
		      target_resolve(&l, &ref) == NULL);
		target_ref_clear(&ref);
		s = target_display(&l, &v[2]);
		CHECK_STREQ(s, "web one (docker) + side");
		free(s);
		CHECK_STREQ(target_kind_name(&l, &v[2]), "container");
		CHECK(target_parse_value("tc-docker-", &ref) == -EINVAL);
		CHECK(target_parse_value("tc-docker-a.b", &ref) == -EINVAL);
		CHECK(target_parse_value("tc-docker-dind.podman-in_20ner",
					 &ref) == 0);
		CHECK(ref.n_levels == 2 &&
		      ref.levels[1].engine == ENGINE_PODMAN);
		CHECK_STREQ(ref.levels[0].name, "dind");
		CHECK_STREQ(ref.name, "in ner");
		target_ref_clear(&ref);
	}

	/* a Kubernetes pod (CRI): one interface "NAMESPACE/POD", its
	 * sandbox no member */
	{
		char pod[] = "mypod", pns[] = "default", a1[] = "app1",
		     a2[] = "app2", i0[] = "s0", i1[] = "c1", i2[] = "c2";
		struct engine_endpoint ep = { .kind = ENGINE_CONTAINERD };
		struct container cs[3] = {
			{ .name = pod, .id = i0, .infra = true },
			{ .name = a1, .id = i1 },
			{ .name = a2, .id = i2 },
		};

		for (size_t i = 0; i < 3; i++) {
			cs[i].pod = pod;
			cs[i].pod_namespace = pns;
			cs[i].netns = 300;
			cs[i].parent = -1;
			CHECK(container_name_pod(&cs[i]) == 0);
		}
		l.engines.endpoints.v = &ep;
		l.engines.endpoints.n = 1;
		l.engines.containers.v = cs;
		l.engines.containers.n = 3;
		v[2].ctr = 1; /* the primary: an app container */
		s = target_value(&l, &v[2]);
		CHECK_STREQ(s, "tc-containerd-default_2fmypod");
		CHECK(target_parse_value(s, &ref) == 0);
		CHECK(ref.kind == TARGET_CONTAINER && ref.n_levels == 1 &&
		      ref.levels[0].engine == ENGINE_CONTAINERD);
		CHECK_STREQ(ref.name, "default/mypod");
		CHECK(target_resolve(&l, &ref) == &v[2]);
		target_ref_clear(&ref);
		free(s);
		s = target_display(&l, &v[2]);
		CHECK_STREQ(s, "default/mypod (containerd pod): app1 + app2");
		free(s);
		CHECK_STREQ(target_kind_name(&l, &v[2]), "pod");
		/* the pod's name without its namespace names nothing */
		CHECK(target_parse_value("tc-containerd-mypod", &ref) == 0);
		CHECK(target_resolve(&l, &ref) == NULL);
		target_ref_clear(&ref);
		/* CRI-O's engine name has a '-' of its own */
		CHECK(target_parse_value("tc-cri-o-shop_2fweb", &ref) == 0);
		CHECK(ref.levels[0].engine == ENGINE_CRIO);
		CHECK_STREQ(ref.name, "shop/web");
		target_ref_clear(&ref);
		for (size_t i = 0; i < 3; i++)
			free(cs[i].pod_ref);
		l.engines.containers.n = 0;
	}
	return tap_done();
}
