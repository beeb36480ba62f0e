/* SPDX-License-Identifier: MIT */
#include "metadata.h"

#include <string.h>

#include "text.h"
#include "util.h"

/* Untrusted strings are cut to this many bytes so that a description never
 * reaches the pcapng option limit, whatever a name holds. */
#define META_STR_MAX 1024

static void put_key_str(struct sbuf *sb, const char *key, const char *val)
{
	char cut[META_STR_MAX + 1];

	sbuf_printf(sb, ",\"%s\":", key);
	snprintf(cut, sizeof(cut), "%s", val);
	sbuf_put_json(sb, cut);
}

void metadata_target_clear(struct metadata_target *t)
{
	free(t->host);
	free(t->value);
	free(t->name);
	free(t->comm);
	free(t->ctr.id);
	free(t->ctr.name);
	free(t->ctr.ifname);
	free(t->ctr.engine_version);
	free(t->ctr.image);
	free(t->ctr.pod_name);
	free(t->ctr.pod_namespace);
	for (size_t i = 0; i < t->ctr.n_members; i++)
		free(t->ctr.members[i]);
	free(t->ctr.members);
	for (size_t i = 0; i < t->n_levels; i++) {
		free(t->levels[i].name);
		free(t->levels[i].id);
	}
	*t = (struct metadata_target){ 0 };
}

char *metadata_idb_description(const struct metadata_target *t,
			       const struct netlink_link *link)
{
	struct sbuf sb = { 0 };

	sbuf_printf(&sb, TURTLE_META_PREFIX "%d", TURTLE_META_VERSION);
	put_key_str(&sb, TURTLE_META_KEY_HOST, t->host);
	put_key_str(&sb, TURTLE_META_KEY_TARGET, t->value);
	put_key_str(&sb, TURTLE_META_KEY_KIND, t->kind);
	if (t->ctr.id) {
		if (t->ctr.name)
			put_key_str(&sb, TURTLE_META_KEY_CONTAINER,
				    t->ctr.name);
		put_key_str(&sb, TURTLE_META_KEY_ID, t->ctr.id);
		put_key_str(&sb, TURTLE_META_KEY_ENGINE, t->ctr.engine);
		if (t->ctr.engine_version)
			put_key_str(&sb, TURTLE_META_KEY_ENGINE_VERSION,
				    t->ctr.engine_version);
		if (t->ctr.image)
			put_key_str(&sb, TURTLE_META_KEY_IMAGE, t->ctr.image);
		if (t->ctr.pod_name)
			put_key_str(&sb, TURTLE_META_KEY_POD, t->ctr.pod_name);
		if (t->ctr.pod_namespace)
			put_key_str(&sb, TURTLE_META_KEY_POD_NAMESPACE,
				    t->ctr.pod_namespace);
		sbuf_printf(&sb, ",\"%s\":[", TURTLE_META_KEY_MEMBERS);
		for (size_t i = 0; i < t->ctr.n_members; i++) {
			char cut[META_STR_MAX + 1];

			if (i)
				sbuf_putc(&sb, ',');
			snprintf(cut, sizeof(cut), "%s", t->ctr.members[i]);
			sbuf_put_json(&sb, cut);
		}
		sbuf_putc(&sb, ']');
	}
	if (t->name)
		put_key_str(&sb, TURTLE_META_KEY_NAME, t->name);
	sbuf_printf(&sb, ",\"%s\":%llu", TURTLE_META_KEY_NETNS,
		    (unsigned long long)t->netns);
	if (t->pid > 0) {
		sbuf_printf(&sb, ",\"%s\":%d", TURTLE_META_KEY_PID,
			    (int)t->pid);
		put_key_str(&sb, TURTLE_META_KEY_COMM, t->comm ? t->comm : "");
	}
	if (link) {
		put_key_str(&sb, TURTLE_META_KEY_IF, link->name);
		sbuf_printf(&sb, ",\"%s\":%d", TURTLE_META_KEY_IFINDEX,
			    link->index);
		put_key_str(&sb, TURTLE_META_KEY_LINK,
			    netlink_link_type_name(link->type));
		if (link->kind[0])
			put_key_str(&sb, TURTLE_META_KEY_IFKIND, link->kind);
	}
	sbuf_printf(&sb, ",\"%s\":[{\"%s\":\"host\",\"%s\":",
		    TURTLE_META_KEY_LINEAGE, TURTLE_META_LVL_KIND,
		    TURTLE_META_LVL_NAME);
	{
		char cut[META_STR_MAX + 1];

		snprintf(cut, sizeof(cut), "%s", t->host);
		sbuf_put_json(&sb, cut);
	}
	sbuf_putc(&sb, '}');
	if (t->ctr.id) {
		for (size_t i = 0; i < t->n_levels; i++) {
			const struct metadata_level *lv = &t->levels[i];
			char cut[META_STR_MAX + 1];

			sbuf_printf(&sb, ",{\"%s\":\"%s\",\"%s\":",
				    TURTLE_META_LVL_KIND,
				    lv->pod ? "pod" : "container",
				    TURTLE_META_LVL_NAME);
			snprintf(cut, sizeof(cut), "%s", lv->name);
			sbuf_put_json(&sb, cut);
			sbuf_printf(&sb, ",\"%s\":\"%s\",\"%s\":",
				    TURTLE_META_LVL_ENGINE, lv->engine,
				    TURTLE_META_LVL_ID);
			snprintf(cut, sizeof(cut), "%s", lv->id);
			sbuf_put_json(&sb, cut);
			sbuf_putc(&sb, '}');
		}
	} else if (!t->is_host) {
		char cut[META_STR_MAX + 1];

		sbuf_printf(&sb,
			    ",{\"%s\":\"netns\",\"%s\":", TURTLE_META_LVL_KIND,
			    TURTLE_META_LVL_NAME);
		if (t->name)
			snprintf(cut, sizeof(cut), "%s", t->name);
		else
			snprintf(cut, sizeof(cut), "%llu",
				 (unsigned long long)t->netns);
		sbuf_put_json(&sb, cut);
		sbuf_putc(&sb, '}');
	}
	sbuf_puts(&sb, "]}");
	return sbuf_take(&sb);
}

char *metadata_idb_name(const struct metadata_target *t,
			const struct netlink_link *link)
{
	struct sbuf sb = { 0 };

	sbuf_puts(&sb, t->value);
	sbuf_putc(&sb, '/');
	sbuf_put_human(&sb, link->name);
	return sbuf_take(&sb);
}

char *metadata_shb_comment(const struct metadata_target *t)
{
	struct sbuf sb = { 0 };

	sbuf_puts(&sb, "turtlecap capture on host ");
	sbuf_put_human(&sb, t->host);
	sbuf_puts(&sb, " of ");
	if (t->ctr.id) {
		/* a pod by the name its interface goes by */
		sbuf_puts(&sb, t->ctr.pod ? "pod " : "container ");
		sbuf_put_human(&sb, t->ctr.ifname);
		sbuf_printf(&sb, " (%s, id %.12s, netns %llu)", t->ctr.engine,
			    t->ctr.id, (unsigned long long)t->netns);
	} else if (t->is_host) {
		sbuf_puts(&sb, "the host network namespace");
	} else {
		sbuf_puts(&sb, "network namespace ");
		if (t->name) {
			sbuf_put_human(&sb, t->name);
			sbuf_putc(&sb, ' ');
		}
		sbuf_printf(&sb, "(inode %llu", (unsigned long long)t->netns);
		if (t->pid > 0) {
			sbuf_puts(&sb, ", ");
			sbuf_put_human(&sb, t->comm ? t->comm : "");
			sbuf_printf(&sb, " pid %d", (int)t->pid);
		}
		sbuf_putc(&sb, ')');
	}
	sbuf_printf(&sb, " [%s]", t->value);
	return sbuf_take(&sb);
}
