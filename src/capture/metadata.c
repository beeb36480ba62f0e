/* SPDX-License-Identifier: MIT */
#include "metadata.h"

#include <string.h>

#include "target.h"
#include "text.h"

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

char *metadata_idb_description(const struct metadata_target *t,
			       const struct netlink_link *link)
{
	const struct netns_info *ns = t->ns;
	const struct container *c = t->l ? netns_container(t->l, ns) : NULL;
	struct sbuf sb = { 0 };

	sbuf_printf(&sb, TURTLE_META_PREFIX "%d", TURTLE_META_VERSION);
	put_key_str(&sb, TURTLE_META_KEY_HOST, t->host);
	put_key_str(&sb, TURTLE_META_KEY_TARGET, t->value);
	put_key_str(&sb, TURTLE_META_KEY_KIND, target_kind_name(t->l, ns));
	if (c) {
		const struct engine_endpoint *ep =
			&t->l->engines.endpoints.v[c->endpoint];
		const struct engine_info *ei = &t->l->engines.info[c->endpoint];

		if (!c->infra)
			put_key_str(&sb, TURTLE_META_KEY_CONTAINER, c->name);
		put_key_str(&sb, TURTLE_META_KEY_ID, c->id);
		put_key_str(&sb, TURTLE_META_KEY_ENGINE,
			    engine_kind_name(ep->kind));
		if (ei->version)
			put_key_str(&sb, TURTLE_META_KEY_ENGINE_VERSION,
				    ei->version);
		if (c->image)
			put_key_str(&sb, TURTLE_META_KEY_IMAGE, c->image);
		if (c->pod)
			put_key_str(&sb, TURTLE_META_KEY_POD, c->pod);
		if (c->pod_namespace)
			put_key_str(&sb, TURTLE_META_KEY_POD_NAMESPACE,
				    c->pod_namespace);
		/* the primary first, then the others joining its netns
		 * (a pod's infra container is no member) */
		sbuf_printf(&sb, ",\"%s\":[", TURTLE_META_KEY_MEMBERS);
		for (size_t i = 0, n = 0; i <= t->l->engines.containers.n;
		     i++) {
			const struct container *m =
				i == 0 ? c : &t->l->engines.containers.v[i - 1];
			char cut[META_STR_MAX + 1];

			if ((i > 0 && m == c) || m->netns != ns->id.ino ||
			    m->infra)
				continue;
			if (n++)
				sbuf_putc(&sb, ',');
			snprintf(cut, sizeof(cut), "%s", m->name);
			sbuf_put_json(&sb, cut);
		}
		sbuf_putc(&sb, ']');
	}
	if (ns->name)
		put_key_str(&sb, TURTLE_META_KEY_NAME, ns->name);
	sbuf_printf(&sb, ",\"%s\":%llu", TURTLE_META_KEY_NETNS,
		    (unsigned long long)ns->id.ino);
	if (ns->pid > 0) {
		sbuf_printf(&sb, ",\"%s\":%d", TURTLE_META_KEY_PID,
			    (int)ns->pid);
		put_key_str(&sb, TURTLE_META_KEY_COMM, ns->comm);
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
	if (c) {
		const struct container *lv[16];
		size_t n =
			engine_lineage(&t->l->engines, c, lv, ELEMENTSOF(lv));

		for (size_t i = 0; i < n; i++) {
			const struct engine_endpoint *ep =
				&t->l->engines.endpoints.v[lv[i]->endpoint];
			char cut[META_STR_MAX + 1];

			sbuf_printf(&sb, ",{\"%s\":\"%s\",\"%s\":",
				    TURTLE_META_LVL_KIND,
				    lv[i]->pod ? "pod" : "container",
				    TURTLE_META_LVL_NAME);
			snprintf(cut, sizeof(cut), "%s",
				 container_ifname(lv[i]));
			sbuf_put_json(&sb, cut);
			sbuf_printf(&sb, ",\"%s\":\"%s\",\"%s\":",
				    TURTLE_META_LVL_ENGINE,
				    engine_kind_name(ep->kind),
				    TURTLE_META_LVL_ID);
			snprintf(cut, sizeof(cut), "%s", lv[i]->id);
			sbuf_put_json(&sb, cut);
			sbuf_putc(&sb, '}');
		}
	} else if (!ns->is_host) {
		char cut[META_STR_MAX + 1];

		sbuf_printf(&sb,
			    ",{\"%s\":\"netns\",\"%s\":", TURTLE_META_LVL_KIND,
			    TURTLE_META_LVL_NAME);
		if (ns->name)
			snprintf(cut, sizeof(cut), "%s", ns->name);
		else
			snprintf(cut, sizeof(cut), "%llu",
				 (unsigned long long)ns->id.ino);
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
	if (t->l && netns_container(t->l, t->ns)) {
		const struct container *c = netns_container(t->l, t->ns);

		/* a pod by the name its interface goes by */
		sbuf_puts(&sb, c->pod ? "pod " : "container ");
		sbuf_put_human(&sb, container_ifname(c));
		sbuf_printf(
			&sb, " (%s, id %.12s, netns %llu)",
			engine_kind_name(
				t->l->engines.endpoints.v[c->endpoint].kind),
			c->id, (unsigned long long)t->ns->id.ino);
	} else if (t->ns->is_host) {
		sbuf_puts(&sb, "the host network namespace");
	} else {
		sbuf_puts(&sb, "network namespace ");
		if (t->ns->name) {
			sbuf_put_human(&sb, t->ns->name);
			sbuf_putc(&sb, ' ');
		}
		sbuf_printf(&sb, "(inode %llu",
			    (unsigned long long)t->ns->id.ino);
		if (t->ns->pid > 0) {
			sbuf_puts(&sb, ", ");
			sbuf_put_human(&sb, t->ns->comm);
			sbuf_printf(&sb, " pid %d", (int)t->ns->pid);
		}
		sbuf_putc(&sb, ')');
	}
	sbuf_printf(&sb, " [%s]", t->value);
	return sbuf_take(&sb);
}
