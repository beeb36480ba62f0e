/* SPDX-License-Identifier: MIT */
#include "metadata.h"

#include <string.h>

#include "text.h"
#include "util.h"

/*
 * Untrusted strings are cut so that a description never reaches the pcapng
 * option limit, whatever a name holds: a name to META_NAME_MAX bytes as the
 * plugin reads it (its TURTLE_STR_MAX: never "cut" there) and 1.5 times as
 * many JSON characters, the outer levels' names to META_OUTER_MAX, ids to
 * META_ID_MAX, other strings to META_STR_MAX. With every field at its
 * bound that is about 50 kB; the members list gets what is left of
 * TURTLE_META_MAX_LEN, at most META_MEMBERS_MAX names (the plugin keeps
 * 64), and says how many it left out (TURTLE_META_KEY_MEMBERS_CUT).
 */
#define META_NAME_MAX	 4096
#define META_NAME_JSON	 6144
#define META_STR_MAX	 1024
#define META_OUTER_MAX	 512
#define META_ID_MAX	 128
#define META_MEMBERS_MAX 64
/* ',"members_truncated":N' and the closing bracket */
#define META_MEMBERS_RESERVE 48

/* sbuf_put_json_max with one bound for both */
static void put_json(struct sbuf *sb, const char *s, size_t max)
{
	sbuf_put_json_max(sb, s, max,
			  max == META_NAME_MAX ? META_NAME_JSON : max);
}

static void put_key_max(struct sbuf *sb, const char *key, const char *val,
			size_t max)
{
	sbuf_printf(sb, ",\"%s\":", key);
	put_json(sb, val, max);
}

static void put_key_str(struct sbuf *sb, const char *key, const char *val)
{
	put_key_max(sb, key, val, META_STR_MAX);
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

/* Members, primary first, within budget bytes of sb's growth. */
static void put_members(struct sbuf *sb, const struct metadata_target *t,
			size_t budget)
{
	size_t start = sb->len, kept = 0;

	sbuf_printf(sb, ",\"%s\":[", TURTLE_META_KEY_MEMBERS);
	for (; kept < t->ctr.n_members && kept < META_MEMBERS_MAX; kept++) {
		size_t at = sb->len;

		if (kept)
			sbuf_putc(sb, ',');
		put_json(sb, t->ctr.members[kept], META_STR_MAX);
		if (sb->oom)
			return;
		if (sb->len - start + META_MEMBERS_RESERVE > budget) {
			sb->len = at; /* this one does not fit */
			sb->s[at] = '\0';
			break;
		}
	}
	sbuf_putc(sb, ']');
	if (kept < t->ctr.n_members)
		sbuf_printf(sb, ",\"%s\":%zu", TURTLE_META_KEY_MEMBERS_CUT,
			    t->ctr.n_members - kept);
}

/* Everything after the members: name, netns, process, link, lineage. */
static void put_tail(struct sbuf *sb, const struct metadata_target *t,
		     const struct netlink_link *link)
{
	if (t->name)
		put_key_max(sb, TURTLE_META_KEY_NAME, t->name, META_NAME_MAX);
	sbuf_printf(sb, ",\"%s\":%llu", TURTLE_META_KEY_NETNS,
		    (unsigned long long)t->netns);
	if (t->pid > 0) {
		sbuf_printf(sb, ",\"%s\":%d", TURTLE_META_KEY_PID, (int)t->pid);
		put_key_str(sb, TURTLE_META_KEY_COMM, t->comm ? t->comm : "");
	}
	if (link) {
		put_key_str(sb, TURTLE_META_KEY_IF, link->name);
		sbuf_printf(sb, ",\"%s\":%d", TURTLE_META_KEY_IFINDEX,
			    link->index);
		put_key_str(sb, TURTLE_META_KEY_LINK,
			    netlink_link_type_name(link->type));
		if (link->kind[0])
			put_key_str(sb, TURTLE_META_KEY_IFKIND, link->kind);
	}
	sbuf_printf(sb, ",\"%s\":[{\"%s\":\"host\",\"%s\":",
		    TURTLE_META_KEY_LINEAGE, TURTLE_META_LVL_KIND,
		    TURTLE_META_LVL_NAME);
	put_json(sb, t->host, META_STR_MAX);
	sbuf_putc(sb, '}');
	if (t->ctr.id) {
		for (size_t i = 0; i < t->n_levels; i++) {
			const struct metadata_level *lv = &t->levels[i];

			sbuf_printf(sb, ",{\"%s\":\"%s\",\"%s\":",
				    TURTLE_META_LVL_KIND,
				    lv->pod ? "pod" : "container",
				    TURTLE_META_LVL_NAME);
			/* the target's own name whole, its outer levels'
			 * shorter: 16 of them must fit */
			put_json(sb, lv->name,
				 i + 1 == t->n_levels ? META_NAME_MAX
						      : META_OUTER_MAX);
			sbuf_printf(sb, ",\"%s\":\"%s\",\"%s\":",
				    TURTLE_META_LVL_ENGINE, lv->engine,
				    TURTLE_META_LVL_ID);
			put_json(sb, lv->id, META_ID_MAX);
			sbuf_putc(sb, '}');
		}
	} else if (!t->is_host) {
		char ino[32];

		sbuf_printf(sb,
			    ",{\"%s\":\"netns\",\"%s\":", TURTLE_META_LVL_KIND,
			    TURTLE_META_LVL_NAME);
		snprintf(ino, sizeof(ino), "%llu",
			 (unsigned long long)t->netns);
		put_json(sb, t->name ? t->name : ino, META_NAME_MAX);
		sbuf_putc(sb, '}');
	}
	sbuf_puts(sb, "]}");
}

char *metadata_idb_description(const struct metadata_target *t,
			       const struct netlink_link *link)
{
	struct sbuf sb = { 0 }, tail = { 0 };

	sbuf_printf(&sb, TURTLE_META_PREFIX "%d", TURTLE_META_VERSION);
	put_key_str(&sb, TURTLE_META_KEY_HOST, t->host);
	put_key_str(&sb, TURTLE_META_KEY_TARGET, t->value);
	put_key_str(&sb, TURTLE_META_KEY_KIND, t->kind);
	if (t->ctr.id) {
		if (t->ctr.name)
			put_key_max(&sb, TURTLE_META_KEY_CONTAINER, t->ctr.name,
				    META_NAME_MAX);
		put_key_max(&sb, TURTLE_META_KEY_ID, t->ctr.id, META_ID_MAX);
		put_key_str(&sb, TURTLE_META_KEY_ENGINE, t->ctr.engine);
		if (t->ctr.engine_version)
			put_key_str(&sb, TURTLE_META_KEY_ENGINE_VERSION,
				    t->ctr.engine_version);
		if (t->ctr.image)
			put_key_str(&sb, TURTLE_META_KEY_IMAGE, t->ctr.image);
		if (t->ctr.pod_name)
			put_key_max(&sb, TURTLE_META_KEY_POD, t->ctr.pod_name,
				    META_NAME_MAX);
		if (t->ctr.pod_namespace)
			put_key_str(&sb, TURTLE_META_KEY_POD_NAMESPACE,
				    t->ctr.pod_namespace);
	}
	put_tail(&tail, t, link);
	if (t->ctr.id) {
		size_t used = sb.len + tail.len;

		put_members(&sb, t,
			    used < TURTLE_META_MAX_LEN
				    ? TURTLE_META_MAX_LEN - used
				    : 0);
	}
	if (tail.oom)
		sb.oom = true;
	else
		sbuf_put(&sb, tail.s, tail.len);
	sbuf_free(&tail);
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
