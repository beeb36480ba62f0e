/* SPDX-License-Identifier: MIT */
#include "target.h"

#include <string.h>

#include "text.h"

void target_ref_clear(struct target_ref *ref)
{
	free(ref->name);
	*ref = (struct target_ref){ 0 };
}

/* "ENGINE-NAME" for a known engine: fills ref (name NULL if malformed). */
static bool container_value(const char *rest, struct target_ref *ref)
{
	for (int k = 0; k < _ENGINE_KIND_MAX; k++) {
		const char *e = engine_kind_name((enum engine_kind)k);
		size_t n = strlen(e);

		if (strncmp(rest, e, n) == 0 && rest[n] == '-' && rest[n + 1]) {
			ref->kind = TARGET_CONTAINER;
			ref->engine = (enum engine_kind)k;
			if (value_unescape(rest + n + 1, strlen(rest + n + 1),
					   &ref->name) < 0)
				ref->name = NULL;
			return true;
		}
	}
	return false;
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
		if (!ref.name)
			return -EINVAL;
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

static enum engine_kind ctr_engine(const struct netns_list *l,
				   const struct container *c)
{
	return l->engines.endpoints.v[c->endpoint].kind;
}

char *target_value(const struct netns_list *l, const struct netns_info *ns)
{
	const struct container *c = netns_container(l, ns);
	struct sbuf sb = { 0 };

	sbuf_puts(&sb, TARGET_PREFIX);
	if (c) {
		sbuf_puts(&sb, engine_kind_name(ctr_engine(l, c)));
		sbuf_putc(&sb, '-');
		sbuf_put_value(&sb, c->name);
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

const char *target_kind_name(const struct netns_list *l,
			     const struct netns_info *ns)
{
	if (netns_container(l, ns))
		return "container";
	return ns->is_host ? "host" : "netns";
}

char *target_display(const struct netns_list *l, const struct netns_info *ns)
{
	const struct container *c = netns_container(l, ns);
	struct sbuf sb = { 0 };

	if (c) {
		sbuf_put_extcap(&sb, c->name);
		sbuf_printf(&sb, " (%s)", engine_kind_name(ctr_engine(l, c)));
		/* the others sharing its network namespace */
		for (size_t i = 0; i < l->engines.containers.n; i++) {
			const struct container *m = &l->engines.containers.v[i];

			if (m != c && m->netns == ns->id.ino && !m->infra) {
				sbuf_puts(&sb, " + ");
				sbuf_put_extcap(&sb, m->name);
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

struct netns_info *target_resolve(struct netns_list *l,
				  const struct target_ref *ref)
{
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
		for (size_t i = 0; i < l->engines.containers.n; i++) {
			const struct container *c = &l->engines.containers.v[i];

			if (c->netns && strcmp(c->name, ref->name) == 0 &&
			    ctr_engine(l, c) == ref->engine)
				return netns_list_find(l, c->netns);
		}
		return NULL;
	}
	return NULL;
}
