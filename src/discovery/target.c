/* SPDX-License-Identifier: MIT */
#include "target.h"

#include <string.h>

#include "text.h"

void target_ref_clear(struct target_ref *ref)
{
	if (ref->kind != TARGET_CONTAINER)
		free(ref->name);
	for (size_t i = 0; i < ref->n_levels; i++)
		free(ref->levels[i].name);
	*ref = (struct target_ref){ 0 };
}

/* One level "ENGINE-NAME" (len bytes); -EINVAL if not one. */
static int parse_level(const char *s, size_t len, struct target_ref *ref)
{
	for (int k = 0; k < _ENGINE_KIND_MAX; k++) {
		const char *e = engine_kind_name((enum engine_kind)k);
		size_t n = strlen(e);
		char *name;

		if (len > n + 1 && strncmp(s, e, n) == 0 && s[n] == '-') {
			if (ref->n_levels == TARGET_LEVELS_MAX ||
			    value_unescape(s + n + 1, len - n - 1, &name) < 0)
				return -EINVAL;
			ref->levels[ref->n_levels].engine = (enum engine_kind)k;
			ref->levels[ref->n_levels++].name = name;
			return 0;
		}
	}
	return -EINVAL;
}

/* "E1-N1[.E2-N2...]": a container's lineage; false if rest is no such
 * thing (then it may be another kind of value). */
static bool container_value(const char *rest, struct target_ref *ref)
{
	const char *p = rest;

	for (;;) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);

		if (parse_level(p, len, ref) < 0) {
			for (size_t i = 0; i < ref->n_levels; i++)
				free(ref->levels[i].name);
			ref->n_levels = 0;
			return false;
		}
		if (!dot)
			break;
		p = dot + 1;
	}
	ref->kind = TARGET_CONTAINER;
	ref->name = ref->levels[ref->n_levels - 1].name;
	return true;
}

int target_parse_value(const char *value, struct target_ref *ret)
{
	struct target_ref ref = { 0 };
	const char *rest;
	int r;

	if (strncmp(value, TARGET_PREFIX, strlen(TARGET_PREFIX)) != 0)
		return -EINVAL;
	rest = value + strlen(TARGET_PREFIX);
	if (strcmp(rest, "host") == 0) {
		ref.kind = TARGET_HOST;
	} else if (strncmp(rest, "netns-", 6) == 0 && rest[6]) {
		ref.kind = TARGET_NETNS;
		r = value_unescape(rest + 6, strlen(rest + 6), &ref.name);
		if (r < 0)
			return r;
	} else if (container_value(rest, &ref)) {
		/* parsed */
	} else if (strncmp(rest, "ns-", 3) == 0) {
		ref.kind = TARGET_NETNS_ANON;
		if (parse_u64(rest + 3, &ref.ino) < 0 || ref.ino == 0)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	*ret = ref;
	return 0;
}

char *target_value(const struct discovery *d, const struct netns_info *ns)
{
	const struct container *c = discovery_container(d, ns);
	struct sbuf sb = { 0 };

	sbuf_puts(&sb, TARGET_PREFIX);
	if (c) {
		const struct container *lv[TARGET_LEVELS_MAX];
		size_t n = discovery_lineage(d, c, lv, ELEMENTSOF(lv));

		for (size_t i = 0; i < n; i++) {
			if (i)
				sbuf_putc(&sb, '.');
			sbuf_puts(&sb, engine_kind_name(discovery_engine_kind(
					       d, lv[i])));
			sbuf_putc(&sb, '-');
			sbuf_put_value(&sb, container_ifname(lv[i]));
		}
	} else if (ns->is_host) {
		sbuf_puts(&sb, "host");
	} else if (ns->name) {
		sbuf_puts(&sb, "netns-");
		sbuf_put_value(&sb, ns->name);
	} else {
		sbuf_printf(&sb, "ns-%llu", (unsigned long long)ns->id.ino);
	}
	return sbuf_take(&sb);
}

const char *target_kind_name(const struct discovery *d,
			     const struct netns_info *ns)
{
	const struct container *c = discovery_container(d, ns);

	if (c)
		return c->pod ? "pod" : "container";
	return ns->is_host ? "host" : "netns";
}

char *target_display(const struct discovery *d, const struct netns_info *ns)
{
	const struct container *c = discovery_container(d, ns);
	struct sbuf sb = { 0 };

	if (c) {
		const struct container *lv[TARGET_LEVELS_MAX];
		size_t n = discovery_lineage(d, c, lv, ELEMENTSOF(lv));

		/* the outer levels first: "[dind] inner-web (docker)" */
		if (n > 1) {
			sbuf_putc(&sb, '[');
			for (size_t i = 0; i + 1 < n; i++) {
				if (i)
					sbuf_puts(&sb,
						  " \xe2\x96\xb8 "); /* ▸ */
				sbuf_put_extcap(&sb, container_ifname(lv[i]));
			}
			sbuf_puts(&sb, "] ");
		}
		sbuf_put_extcap(&sb, container_ifname(c));
		sbuf_printf(&sb, " (%s%s)",
			    engine_kind_name(discovery_engine_kind(d, c)),
			    c->pod ? " pod" : "");
		/* its members: "web (docker) + side", "p (podman pod): a + b" */
		{
			const char *sep = c->pod ? ": " : " + ";

			for (size_t i = 0; i < d->engines.containers.n; i++) {
				const struct container *m =
					&d->engines.containers.v[i];

				if (m->netns != ns->id.ino || m->infra ||
				    (m == c && !c->pod))
					continue;
				sbuf_puts(&sb, sep);
				sbuf_put_extcap(&sb, m->name);
				sep = " + ";
			}
		}
		return sbuf_take(&sb);
	}
	if (ns->is_host) {
		sbuf_puts(&sb, "turtlecap: host network namespace");
	} else if (ns->name) {
		sbuf_puts(&sb, "turtlecap: netns ");
		sbuf_put_extcap(&sb, ns->name);
	} else {
		sbuf_printf(&sb, "turtlecap: netns %llu",
			    (unsigned long long)ns->id.ino);
	}
	if (!ns->is_host && ns->pid > 0) {
		sbuf_puts(&sb, " (");
		sbuf_put_extcap(&sb, ns->comm);
		sbuf_printf(&sb, ", pid %d)", (int)ns->pid);
	}
	return sbuf_take(&sb);
}

static bool host_engine(const struct discovery *d, const struct container *c)
{
	return c->endpoint < d->engines.endpoints.n &&
	       d->engines.endpoints.v[c->endpoint].trust == ENGINE_TRUST_HOST;
}

struct netns_info *target_resolve(struct discovery *d,
				  const struct target_ref *ref)
{
	struct netns_list *l = &d->netns;

	switch (ref->kind) {
	case TARGET_HOST:
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i].is_host)
				return &l->v[i];
		return NULL;
	case TARGET_NETNS:
		return netns_list_find_name(l, ref->name);
	case TARGET_NETNS_ANON:
		return netns_list_find(l, ref->ino);
	case TARGET_CONTAINER:
		/* the host's engines' containers first, whatever the order
		 * of discovery: a nested engine never shadows them */
		for (size_t pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < d->engines.containers.n; i++) {
				const struct container *c =
					&d->engines.containers.v[i];
				const struct container *lv[TARGET_LEVELS_MAX];
				size_t n;
				bool match;

				if (host_engine(d, c) != (pass == 0))
					continue;
				n = discovery_lineage(d, c, lv, ELEMENTSOF(lv));
				match = c->netns && n == ref->n_levels;
				for (size_t k = 0; match && k < n; k++)
					match = strcmp(container_ifname(lv[k]),
						       ref->levels[k].name) ==
							0 &&
						discovery_engine_kind(d,
								      lv[k]) ==
							ref->levels[k].engine;
				if (match)
					return netns_list_find(l, c->netns);
			}
		return NULL;
	}
	return NULL;
}
