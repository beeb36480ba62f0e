/* SPDX-License-Identifier: MIT */
#include "discovery.h"

#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "log.h"
#include "util.h"

void discovery_clear(struct discovery *d)
{
	netns_list_clear(&d->netns);
	engine_result_clear(&d->engines);
}

/* Does c join another container's network namespace? */
static bool joins_other(const struct container *c)
{
	return c->netmode && strncmp(c->netmode, "container:", 10) == 0;
}

/* Which container of a shared netns names it: one that joins nobody
 * first, then joiners, then a pod's infra container (which never appears
 * by its own name: its interface is the pod's). */
static int primary_rank(const struct container *c)
{
	return c->infra ? 2 : joins_other(c) ? 1 : 0;
}

static enum engine_trust trust_of(const struct discovery *d,
				  const struct container *c)
{
	return c->endpoint < d->engines.endpoints.n
		       ? d->engines.endpoints.v[c->endpoint].trust
		       : ENGINE_TRUST_NESTED;
}

/* Whether c rather than o names their shared netns: the more trusted
 * engine's first (a nested engine never renames what the host's list),
 * then primary_rank(), then the smaller id: never the order in which
 * the engines were found or answered. */
static bool attach_before(const struct discovery *d, const struct container *c,
			  const struct container *o)
{
	if (trust_of(d, c) != trust_of(d, o))
		return trust_of(d, c) < trust_of(d, o);
	if (primary_rank(c) != primary_rank(o))
		return primary_rank(c) < primary_rank(o);
	return strcmp(c->id ? c->id : "", o->id ? o->id : "") < 0;
}

void discovery_attach(struct discovery *d)
{
	const struct container_list *cl = &d->engines.containers;

	for (size_t i = 0; i < d->netns.n; i++)
		d->netns.v[i].ctr = -1;
	for (size_t i = 0; i < cl->n; i++) {
		const struct container *c = &cl->v[i];
		struct netns_info *ns;

		if (!c->netns || (c->infra && !c->pod))
			continue;
		ns = netns_list_find(&d->netns, c->netns);
		/* the host's namespace (--network host) stays the host */
		if (!ns || ns->is_host)
			continue;
		if (ns->ctr < 0 || attach_before(d, c, &cl->v[ns->ctr]))
			ns->ctr = (int)i;
	}
}

int discovery_run(const char *procfs, enum discovery_links links, bool engines,
		  struct discovery *ret)
{
	struct discovery d = { 0 };
	struct netns_list *l = &d.netns;
	struct engine_query *q = NULL;
	/* past it, the engines that have not answered are listed without */
	long long ceiling = engine_now_ms() + DISCOVERY_CEILING_MS;
	int r;

	/* each phase with what it needs (caps.h); the engine threads lower
	 * everything at their start and raise what connecting needs around
	 * the connect alone (docs/security.md). The engines answer while the
	 * mount namespaces and the links are read. */
	caps_raise(CAPS_PROC);
	r = netns_discover_scan(procfs, l);
	if (r < 0)
		goto out;
	/* the debug log's timestamps time the phases */
	log_debug("discovery: %zu processes", l->procs.n);
	if (engines) {
		caps_raise(CAPS_ENGINES);
		/* the scan netns_discover_scan() made: /proc is walked once
		 * per listing */
		r = engine_discover_start(procfs, &l->procs, &q);
		caps_lower(CAPS_ENGINES & ~CAPS_PROC);
		if (r < 0)
			log_warning("engines: %s", strerror(-r));
		log_debug("discovery: engines asked");
	}
	r = netns_discover_procs(procfs, l);
	if (r < 0)
		goto out;
	log_debug("discovery: namespaces of the processes read, %zu netns",
		  l->n);
	if (q) {
		/* a sleeping engine is woken from here */
		caps_raise(CAPS_ENGINES);
		engine_discover_procs_ready(q);
		caps_lower(CAPS_ENGINES & ~CAPS_PROC);
		log_debug("discovery: engines told the process table");
	}
	r = netns_discover_mounts(procfs, l);
	if (r < 0)
		goto out;
	log_debug("discovery: mount namespaces read, %zu netns", l->n);
	if (links == DISCOVERY_LINKS_ALL) {
		caps_raise(CAPS_NETNS);
		netns_list_links_all(l, false);
		caps_lower(CAPS_NETNS & ~CAPS_PROC);
		log_debug("discovery: links listed");
	}
	if (q) {
		caps_raise(CAPS_ENGINES);
		r = engine_discover_finish(TAKE_PTR(q), ceiling, &d.engines);
		if (r < 0)
			log_warning("engines: %s", strerror(-r));
		discovery_attach(&d);
		log_debug("discovery: engines answered, %zu containers",
			  d.engines.containers.n);
	}
	if (links == DISCOVERY_LINKS_BARE) {
		/* a container's namespace is listed whatever its links */
		caps_raise(CAPS_NETNS);
		netns_list_links_all(l, engines);
		log_debug("discovery: links of bare namespaces listed");
	}
	r = 0;
out:
	if (q) /* the engines were asked, the rest failed */
		(void)engine_discover_finish(q, ceiling, &d.engines);
	caps_lower(CAPS_ALL);
	if (r < 0) {
		discovery_clear(&d);
		return r;
	}
	*ret = d;
	return 0;
}

const struct container *discovery_container(const struct discovery *d,
					    const struct netns_info *ns)
{
	if (!d || ns->ctr < 0 || (size_t)ns->ctr >= d->engines.containers.n)
		return NULL;
	return &d->engines.containers.v[ns->ctr];
}

enum engine_kind discovery_engine_kind(const struct discovery *d,
				       const struct container *c)
{
	return c->endpoint < d->engines.endpoints.n
		       ? d->engines.endpoints.v[c->endpoint].kind
		       : _ENGINE_KIND_MAX;
}

const struct engine_info *discovery_engine_info(const struct discovery *d,
						const struct container *c)
{
	static const struct engine_info none = { 0 };

	return d->engines.info && c->endpoint < d->engines.endpoints.n
		       ? &d->engines.info[c->endpoint]
		       : &none;
}

const struct container *discovery_parent(const struct discovery *d,
					 const struct container *c)
{
	return c->parent >= 0 && (size_t)c->parent < d->engines.containers.n
		       ? &d->engines.containers.v[c->parent]
		       : NULL;
}

size_t discovery_lineage(const struct discovery *d, const struct container *c,
			 const struct container **levels, size_t max)
{
	return container_lineage(&d->engines.containers, c, levels, max);
}

/* *dst = a copy of src (NULL stays NULL); false on ENOMEM. */
static bool dup_to(char **dst, const char *src)
{
	*dst = src ? strdup(src) : NULL;
	return !src || *dst;
}

static int container_metadata(const struct discovery *d,
			      const struct netns_info *ns,
			      const struct container *c,
			      struct metadata_target *t)
{
	const struct container_list *cl = &d->engines.containers;
	const struct container *lv[METADATA_LEVELS_MAX];
	size_t n;

	t->ctr.pod = c->pod != NULL;
	t->ctr.engine = engine_kind_name(discovery_engine_kind(d, c));
	if (!dup_to(&t->ctr.id, c->id ? c->id : "") ||
	    !dup_to(&t->ctr.name, c->infra ? NULL : c->name) ||
	    !dup_to(&t->ctr.ifname, container_ifname(c)) ||
	    !dup_to(&t->ctr.engine_version,
		    discovery_engine_info(d, c)->version) ||
	    !dup_to(&t->ctr.image, c->image) ||
	    !dup_to(&t->ctr.pod_name, c->pod) ||
	    !dup_to(&t->ctr.pod_namespace, c->pod_namespace))
		return -ENOMEM;
	/* the primary first, then the others joining its netns (a pod's
	 * infra container is no member) */
	t->ctr.members = calloc(cl->n + 1, sizeof(*t->ctr.members));
	if (!t->ctr.members)
		return -ENOMEM;
	for (size_t i = 0; i <= cl->n; i++) {
		const struct container *m = i == 0 ? c : &cl->v[i - 1];

		if ((i > 0 && m == c) || m->netns != ns->id.ino || m->infra)
			continue;
		if (!dup_to(&t->ctr.members[t->ctr.n_members], m->name))
			return -ENOMEM;
		t->ctr.n_members += m->name != NULL;
	}
	n = discovery_lineage(d, c, lv, ELEMENTSOF(lv));
	for (size_t i = 0; i < n; i++) {
		struct metadata_level *l = &t->levels[t->n_levels++];

		l->pod = lv[i]->pod != NULL;
		l->engine = engine_kind_name(discovery_engine_kind(d, lv[i]));
		if (!dup_to(&l->name, container_ifname(lv[i])) ||
		    !dup_to(&l->id, lv[i]->id ? lv[i]->id : ""))
			return -ENOMEM;
	}
	return 0;
}

int discovery_metadata(const struct discovery *d, const struct netns_info *ns,
		       const char *value, const char *host,
		       struct metadata_target *ret)
{
	const struct container *c = discovery_container(d, ns);
	struct metadata_target t = {
		.kind = c	      ? c->pod ? "pod" : "container"
			: ns->is_host ? "host"
				      : "netns",
		.is_host = ns->is_host,
		.netns = ns->id.ino,
		.pid = ns->pid,
	};
	int r = 0;

	if (!dup_to(&t.host, host) || !dup_to(&t.value, value) ||
	    !dup_to(&t.name, ns->name) ||
	    !dup_to(&t.comm, ns->pid > 0 ? ns->comm : NULL))
		r = -ENOMEM;
	if (r >= 0 && c)
		r = container_metadata(d, ns, c, &t);
	if (r < 0) {
		metadata_target_clear(&t);
		return r;
	}
	*ret = t;
	return 0;
}
