/* SPDX-License-Identifier: MIT */
#include "target.h"

#include <string.h>

#include "log.h"
#include "text.h"

void target_ref_clear(struct target_ref *ref)
{
	if (ref->kind != TARGET_CONTAINER)
		free(ref->name);
	for (size_t i = 0; i < ref->n_levels; i++)
		free(ref->levels[i].name);
	free(ref->short_value);
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

/* A short form "tc-PREFIX__HASH" (value_shorten()): the kind its prefix
 * says; the rest is checked when it is resolved. */
static int parse_short(const char *value, const char *rest,
		       struct target_ref *ref)
{
	size_t len = strlen(value);
	bool engine = false;

	if (len > TARGET_VALUE_MAX ||
	    strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			  "0123456789_.-") != len)
		return -EINVAL;
	for (int k = 0; k < _ENGINE_KIND_MAX && !engine; k++) {
		const char *e = engine_kind_name((enum engine_kind)k);
		size_t n = strlen(e);

		engine = strncmp(rest, e, n) == 0 && rest[n] == '-';
	}
	if (strncmp(rest, "netns-", 6) == 0)
		ref->kind = TARGET_NETNS;
	else if (engine)
		ref->kind = TARGET_CONTAINER;
	else
		return -EINVAL;
	ref->short_value = strdup(value);
	return ref->short_value ? 0 : -ENOMEM;
}

int target_parse_value(const char *value, struct target_ref *ret)
{
	struct target_ref ref = { 0 };
	const char *rest;
	int r;

	if (strncmp(value, TARGET_PREFIX, strlen(TARGET_PREFIX)) != 0)
		return -EINVAL;
	rest = value + strlen(TARGET_PREFIX);
	if (value_is_short(value)) {
		r = parse_short(value, rest, &ref);
		if (r < 0)
			return r;
	} else if (strcmp(rest, "host") == 0) {
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

/* The whole value of container c: its lineage, outer level first. */
static void put_container_value(struct sbuf *sb, const struct discovery *d,
				const struct container *c)
{
	const struct container *lv[TARGET_LEVELS_MAX];
	size_t n = discovery_lineage(d, c, lv, ELEMENTSOF(lv));

	sbuf_puts(sb, TARGET_PREFIX);
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_putc(sb, '.');
		sbuf_puts(sb,
			  engine_kind_name(discovery_engine_kind(d, lv[i])));
		sbuf_putc(sb, '-');
		sbuf_put_value(sb, container_ifname(lv[i]));
	}
}

static void put_netns_value(struct sbuf *sb, const char *name)
{
	sbuf_puts(sb, TARGET_PREFIX "netns-");
	sbuf_put_value(sb, name);
}

/* The value as listed: the whole one, or its short form. */
static char *listed_value(struct sbuf *sb)
{
	_cleanup_free_ char *full = sbuf_take(sb);

	return full ? value_shorten(full, TARGET_VALUE_MAX) : NULL;
}

char *target_value(const struct discovery *d, const struct netns_info *ns)
{
	const struct container *c = discovery_container(d, ns);
	struct sbuf sb = { 0 };

	if (c)
		put_container_value(&sb, d, c);
	else if (ns->is_host)
		sbuf_puts(&sb, TARGET_PREFIX "host");
	else if (ns->name)
		put_netns_value(&sb, ns->name);
	else
		sbuf_printf(&sb, TARGET_PREFIX "ns-%llu",
			    (unsigned long long)ns->id.ino);
	return listed_value(&sb);
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

/*
 * *full = the candidate's whole value if its short form is want. Two
 * different whole values with one short form (a SHA-256 collision in 64
 * bits, or a name made to collide) resolve to nothing: neither wins.
 */
static int short_match(struct sbuf *sb, const char *want, char **full)
{
	_cleanup_free_ char *cand = sbuf_take(sb), *s = NULL;

	if (!cand || !(s = value_shorten(cand, TARGET_VALUE_MAX)))
		return -ENOMEM;
	if (strcmp(s, want) != 0)
		return 0;
	if (*full && strcmp(*full, cand) != 0)
		return -ENOTUNIQ;
	if (!*full)
		*full = TAKE_PTR(cand);
	return 0;
}

/* A short value: the one whole value it stands for, resolved as such (so
 * a clash of whole values is settled the way it is for them). */
static struct netns_info *resolve_short(struct discovery *d,
					const struct target_ref *ref)
{
	_cleanup_free_ char *full = NULL;
	struct target_ref whole = { 0 };
	struct netns_info *ns;
	int r = 0;

	if (ref->kind == TARGET_NETNS) {
		for (size_t i = 0; r >= 0 && i < d->netns.n; i++) {
			struct sbuf sb = { 0 };

			if (!d->netns.v[i].name)
				continue;
			put_netns_value(&sb, d->netns.v[i].name);
			r = short_match(&sb, ref->short_value, &full);
		}
	} else {
		for (size_t i = 0; r >= 0 && i < d->engines.containers.n; i++) {
			const struct container *c = &d->engines.containers.v[i];
			struct sbuf sb = { 0 };

			if (!c->netns)
				continue;
			put_container_value(&sb, d, c);
			r = short_match(&sb, ref->short_value, &full);
		}
	}
	if (r == -ENOTUNIQ)
		log_error("%s stands for two names: not resolved",
			  ref->short_value);
	if (r < 0 || !full || target_parse_value(full, &whole) < 0 ||
	    whole.short_value) {
		target_ref_clear(&whole);
		return NULL;
	}
	ns = target_resolve(d, &whole);
	target_ref_clear(&whole);
	return ns;
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

	if (ref->short_value)
		return resolve_short(d, ref);
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
