/* SPDX-License-Identifier: MIT */
/* The human tree of `turtlecap --list` (tree.c). */
#ifndef TURTLECAP_EXTCAP_TREE_H
#define TURTLECAP_EXTCAP_TREE_H

#include <stdio.h>

#include "discovery.h"
#include "listing.h"

/* Nested containers beneath the container their engine runs in, the
 * engines, and a footer on who is only reachable through a portal and
 * which setting (with its origin) put it there. */
void extcap_print_tree(FILE *out, const struct discovery *d,
		       const struct listing *s, const struct listing_policy *p,
		       const char *host);

#endif
