/* SPDX-License-Identifier: MIT */
/*
 * The discovery module: one discovery session (every network namespace,
 * every engine's containers, each container attached to its namespace),
 * the capabilities each phase needs, and the accessors of its result.
 * Then the interface values (target.h) and the listing policy
 * (listing.h) over it. It calls netns/ and engines/ (and procfs/, base/);
 * nothing below calls it. A capture does not take a discovery: it takes
 * the small snapshot discovery_metadata() makes of its target.
 */
#ifndef TURTLECAP_DISCOVERY_H
#define TURTLECAP_DISCOVERY_H

#include <stdbool.h>
#include <stddef.h>

#include "container.h"
#include "engine.h"
#include "metadata.h"
#include "netns.h"

struct discovery {
	struct netns_list netns;      /* the namespaces, the host first */
	struct engine_result engines; /* the engines and their containers;
					 netns.v[i].ctr indexes
					 engines.containers */
};

/* Which namespaces' links a discovery lists. */
enum discovery_links {
	DISCOVERY_LINKS_NONE,
	DISCOVERY_LINKS_ALL,
	DISCOVERY_LINKS_BARE, /* those the listing needs: namespaces that are
				 no container's, unnamed and unbound */
};

/*
 * Discover, from procfs ("/proc"): the processes, the engines (with
 * engines: asked early, answering while the mount namespaces are read),
 * the namespaces, the links (as links says). Each phase raises what it
 * needs (caps.h) and everything is lowered on return. A failing engine is
 * logged and reported in its engine_info, never fatal; -errno only when
 * procfs itself is unusable (ret is then empty).
 */
int discovery_run(const char *procfs, enum discovery_links links, bool engines,
		  struct discovery *ret);
void discovery_clear(struct discovery *d);

/*
 * Attach the containers to their namespaces: a namespace shared by
 * several containers (`--network container:X`, pods) gets the one the
 * others join as its primary; the host's namespace stays the host's.
 * discovery_run() does it; exposed for lists built by hand (tests).
 */
void discovery_attach(struct discovery *d);

/* The primary container of ns, or NULL. */
const struct container *discovery_container(const struct discovery *d,
					    const struct netns_info *ns);
/* Which kind of engine listed c (its endpoint's). */
enum engine_kind discovery_engine_kind(const struct discovery *d,
				       const struct container *c);
/* What is known of the engine that listed c. */
const struct engine_info *discovery_engine_info(const struct discovery *d,
						const struct container *c);
/* The container c's engine runs in, or NULL for the host. */
const struct container *discovery_parent(const struct discovery *d,
					 const struct container *c);
/* Levels from the host down to c (c last); returns the count (<= max). */
size_t discovery_lineage(const struct discovery *d, const struct container *c,
			 const struct container **levels, size_t max);

/*
 * The snapshot a capture of ns writes as metadata (capture/metadata.h):
 * copies, so the discovery can be cleared once the capture has it.
 * value is the interface value, host the host name. -ENOMEM.
 */
int discovery_metadata(const struct discovery *d, const struct netns_info *ns,
		       const char *value, const char *host,
		       struct metadata_target *ret);

#endif
