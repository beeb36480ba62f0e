/* SPDX-License-Identifier: MIT */
#include "container.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finder.h"
#include "log.h"
#include "util.h"

const char *engine_kind_name(enum engine_kind kind)
{
	static const char *const names[] = { "docker", "podman", "containerd",
					     "cri-o" };

	return (unsigned)kind < ELEMENTSOF(names) ? names[kind] : "?";
}

void container_clear(struct container *c)
{
	free(c->name);
	free(c->id);
	free(c->image);
	free(c->state);
	free(c->netmode);
	free(c->pod);
	free(c->pod_namespace);
	free(c->pod_ref);
	*c = (struct container){ 0 };
}

int container_name_pod(struct container *c)
{
	free(c->pod_ref);
	c->pod_ref = NULL;
	if (c->pod && c->pod_namespace &&
	    asprintf(&c->pod_ref, "%s/%s", c->pod_namespace, c->pod) < 0) {
		c->pod_ref = NULL;
		return -ENOMEM;
	}
	return 0;
}

void container_list_clear(struct container_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		container_clear(&l->v[i]);
	free(l->v);
	*l = (struct container_list){ 0 };
}

void engine_info_clear(struct engine_info *e)
{
	free(e->version);
	free(e->api_version);
	free(e->msg);
	*e = (struct engine_info){ 0 };
}

size_t container_lineage(const struct container_list *l,
			 const struct container *c,
			 const struct container **levels, size_t max)
{
	const struct container *chain[16];
	size_t n = 0, out = 0;

	while (c && n < ELEMENTSOF(chain)) {
		chain[n++] = c;
		c = c->parent >= 0 && (size_t)c->parent < l->n
			    ? &l->v[c->parent]
			    : NULL;
	}
	while (n > 0 && out < max)
		levels[out++] = chain[--n];
	return out;
}

/* The richer the API, the lower. */
static int api_rank(const struct endpoint_list *eps, const struct container *c)
{
	enum engine_kind k = c->endpoint < eps->n ? eps->v[c->endpoint].kind
						  : _ENGINE_KIND_MAX;

	switch (c->api) {
	case CONTAINER_API_ENGINE:
		return k == ENGINE_DOCKER ? 0 : 1;
	case CONTAINER_API_CRI:
		return 2;
	default:
		return 3;
	}
}

static enum engine_trust trust_of(const struct endpoint_list *eps,
				  const struct container *c)
{
	return c->endpoint < eps->n ? eps->v[c->endpoint].trust
				    : ENGINE_TRUST_NESTED;
}

/* Of two entries of one container, whether a is kept over b: the more
 * trusted engine's, then the richer API's, then by the socket (not by
 * which engine answered or was found first). */
static bool keep_over(const struct endpoint_list *eps,
		      const struct container *a, const struct container *b)
{
	const struct engine_endpoint *ea =
		a->endpoint < eps->n ? &eps->v[a->endpoint] : NULL;
	const struct engine_endpoint *eb =
		b->endpoint < eps->n ? &eps->v[b->endpoint] : NULL;

	if (trust_of(eps, a) != trust_of(eps, b))
		return trust_of(eps, a) < trust_of(eps, b);
	if (api_rank(eps, a) != api_rank(eps, b))
		return api_rank(eps, a) < api_rank(eps, b);
	if (!ea || !eb || ea == eb)
		return false;
	if (ea->sock_dev != eb->sock_dev)
		return ea->sock_dev < eb->sock_dev;
	return ea->sock_ino < eb->sock_ino;
}

/* What a more trusted entry m says that c, of a less trusted engine,
 * would rename or shadow: the same id, process or network namespace;
 * NULL if none. */
static const char *clash(const struct container *c, const struct container *m)
{
	if (c->id && m->id && strcmp(c->id, m->id) == 0)
		return "id";
	if (c->pid > 0 && c->pid == m->pid)
		return "pid";
	if (c->netns && c->netns == m->netns)
		return "network namespace";
	return NULL;
}

static int by_id_pid(const void *a, const void *b, void *base)
{
	const struct container *x =
		&((const struct container *)base)[*(const size_t *)a];
	const struct container *y =
		&((const struct container *)base)[*(const size_t *)b];
	int r = strcmp(x->id ? x->id : "", y->id ? y->id : "");

	if (r)
		return r;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	/* ties in the original order, so the first of equals is kept */
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

void engine_dedupe(const struct endpoint_list *eps, struct container_list *l)
{
	_cleanup_free_ size_t *idx = NULL;
	_cleanup_free_ bool *drop = NULL;
	size_t kept = 0;

	if (l->n < 2)
		return;
	idx = malloc(l->n * sizeof(*idx));
	drop = calloc(l->n, sizeof(*drop));
	if (!idx || !drop)
		return; /* duplicates are a blemish, not a failure */
	for (size_t i = 0; i < l->n; i++)
		idx[i] = i;
	qsort_r(idx, l->n, sizeof(*idx), by_id_pid, l->v);
	for (size_t s = 0, e; s < l->n; s = e) {
		const struct container *first = &l->v[idx[s]];
		size_t best = idx[s];

		for (e = s + 1; e < l->n; e++) {
			const struct container *c = &l->v[idx[e]];

			if (!first->id || !c->id || strcmp(first->id, c->id) ||
			    first->pid != c->pid)
				break;
			if (keep_over(eps, c, &l->v[best]))
				best = idx[e];
		}
		for (size_t k = s; k < e; k++)
			drop[idx[k]] = idx[k] != best;
	}
	for (size_t i = 0; i < l->n; i++)
		if (drop[i])
			log_debug(
				"container %s also listed by another API: kept once",
				l->v[i].name);
	/* a nested engine's entry never stands for what the host's engines
	 * list (per entry of a nested engine, not per process) */
	for (size_t i = 0; i < l->n; i++) {
		const struct container *c = &l->v[i];

		if (drop[i] || trust_of(eps, c) == ENGINE_TRUST_HOST)
			continue;
		for (size_t k = 0; k < l->n; k++) {
			const struct container *m = &l->v[k];
			const char *what;

			if (drop[k] || trust_of(eps, m) >= trust_of(eps, c) ||
			    !(what = clash(c, m)))
				continue;
			log_info(
				"container %s of a nested %s engine has the %s of the host's %s: dropped",
				c->name,
				engine_kind_name(eps->v[c->endpoint].kind),
				what, m->name);
			drop[i] = true;
			break;
		}
	}
	for (size_t i = 0; i < l->n; i++) {
		if (drop[i]) {
			container_clear(&l->v[i]);
			continue;
		}
		l->v[kept++] = l->v[i];
	}
	l->n = kept;
}

/* The kind and name a top-level container's value is made of. */
static bool same_value(const struct endpoint_list *eps,
		       const struct container *a, const struct container *b)
{
	return a->parent < 0 && b->parent < 0 && a->endpoint < eps->n &&
	       b->endpoint < eps->n &&
	       eps->v[a->endpoint].kind == eps->v[b->endpoint].kind &&
	       strcmp(container_ifname(a), container_ifname(b)) == 0;
}

void engine_unshadow(const struct endpoint_list *eps, struct container_list *l,
		     int *ep_container)
{
	_cleanup_free_ bool *drop = NULL;
	_cleanup_free_ size_t *map = NULL;
	size_t kept = 0;
	bool any = false;

	if (l->n < 2)
		return;
	drop = calloc(l->n, sizeof(*drop));
	map = calloc(l->n, sizeof(*map));
	if (!drop || !map)
		return;
	for (size_t i = 0; i < l->n; i++) {
		const struct container *c = &l->v[i];

		if (c->parent >= 0 || trust_of(eps, c) == ENGINE_TRUST_HOST)
			continue;
		for (size_t k = 0; !drop[i] && k < l->n; k++)
			if (trust_of(eps, &l->v[k]) < trust_of(eps, c) &&
			    same_value(eps, c, &l->v[k])) {
				log_info(
					"container %s of a nested %s engine found in no container would take the value of the host's: dropped",
					c->name,
					engine_kind_name(
						eps->v[c->endpoint].kind));
				drop[i] = any = true;
			}
	}
	if (!any)
		return;
	/* and what lies below it (its lineage would start there) */
	for (int pass = 0; pass < 16 && any; pass++) {
		any = false;
		for (size_t i = 0; i < l->n; i++)
			if (!drop[i] && l->v[i].parent >= 0 &&
			    (size_t)l->v[i].parent < l->n &&
			    drop[l->v[i].parent])
				drop[i] = any = true;
	}
	for (size_t i = 0; i < l->n; i++)
		map[i] = drop[i] ? SIZE_MAX : kept++;
	for (size_t i = 0; ep_container && i < eps->n; i++)
		if (ep_container[i] >= 0 && (size_t)ep_container[i] < l->n)
			ep_container[i] = drop[ep_container[i]]
						  ? -1
						  : (int)map[ep_container[i]];
	kept = 0;
	for (size_t i = 0; i < l->n; i++) {
		struct container *c = &l->v[i];

		if (drop[i]) {
			container_clear(c);
			continue;
		}
		if (c->parent >= 0 && (size_t)c->parent < l->n)
			c->parent = (int)map[c->parent];
		l->v[kept++] = *c;
	}
	l->n = kept;
}
