/* SPDX-License-Identifier: MIT */
#include "target.h"

#include <string.h>

#include "text.h"

void target_ref_clear(struct target_ref *ref)
{
	free(ref->name);
	*ref = (struct target_ref){ 0 };
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

char *target_value(const struct netns_info *ns)
{
	struct sbuf sb = { 0 };

	sbuf_puts(&sb, TARGET_PREFIX);
	if (ns->is_host) {
		sbuf_puts(&sb, "host");
	} else if (ns->name) {
		sbuf_puts(&sb, "netns-");
		sbuf_put_value(&sb, ns->name);
	} else {
		sbuf_printf(&sb, "ns-%llu", (unsigned long long)ns->id.ino);
	}
	return sbuf_take(&sb);
}

const char *target_kind_name(const struct netns_info *ns)
{
	return ns->is_host ? "host" : "netns";
}

char *target_display(const struct netns_info *ns)
{
	struct sbuf sb = { 0 };

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
	}
	return NULL;
}
