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
			if (api_rank(eps, c) < api_rank(eps, &l->v[best]))
				best = idx[e];
		}
		for (size_t k = s; k < e; k++)
			drop[idx[k]] = idx[k] != best;
	}
	for (size_t i = 0; i < l->n; i++) {
		if (drop[i]) {
			log_debug(
				"container %s also listed by another API: kept once",
				l->v[i].name);
			container_clear(&l->v[i]);
			continue;
		}
		l->v[kept++] = l->v[i];
	}
	l->n = kept;
}
