/* SPDX-License-Identifier: MIT */
/* Test helpers over container lists. */
#ifndef TURTLECAP_TEST_CONTAINERS_H
#define TURTLECAP_TEST_CONTAINERS_H

#include <string.h>

#include "engine.h"

/* The container named name in l, or NULL. */
static inline struct container *find_container(const struct container_list *l,
					       const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].name && strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

#endif
