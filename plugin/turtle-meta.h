/* SPDX-License-Identifier: MIT */
/*
 * Reading turtlecap metadata: one IDB description (format:
 * src/metadata-format.h, docs/metadata.md) into a typed struct.
 *
 * Pure C, no Wireshark and no glib, so the same code runs in the plugin, in
 * the unit test and under libFuzzer (tests/fuzz/). The description comes
 * from a file, so from anyone: the parser is strict JSON, bounded in time
 * (one pass), in depth and in what it keeps, and never fails because of
 * the input; what is wrong with the input is in the result's status and
 * message.
 */
#ifndef TURTLECAP_TURTLE_META_H
#define TURTLECAP_TURTLE_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metadata-format.h"

/*
 * The container keys are documented in docs/metadata.md but not defined in
 * metadata-format.h yet; the header's definition wins as soon as it has
 * them (same names, same pattern as the other keys).
 */
#ifndef TURTLE_META_KEY_CONTAINER
#define TURTLE_META_KEY_CONTAINER "container"
#endif
#ifndef TURTLE_META_KEY_ID
#define TURTLE_META_KEY_ID "id"
#endif
#ifndef TURTLE_META_KEY_ENGINE
#define TURTLE_META_KEY_ENGINE "engine"
#endif
#ifndef TURTLE_META_KEY_ENGINE_VERSION
#define TURTLE_META_KEY_ENGINE_VERSION "engine_version"
#endif
#ifndef TURTLE_META_KEY_IMAGE
#define TURTLE_META_KEY_IMAGE "image"
#endif
#ifndef TURTLE_META_KEY_POD
#define TURTLE_META_KEY_POD "pod"
#endif
#ifndef TURTLE_META_KEY_POD_NAMESPACE
#define TURTLE_META_KEY_POD_NAMESPACE "pod_namespace"
#endif
#ifndef TURTLE_META_KEY_MEMBERS
#define TURTLE_META_KEY_MEMBERS "members"
#endif

/*
 * Longest string kept, in bytes. The writer cuts what it got from outside
 * at 1024 bytes and then writes each byte that is not UTF-8 as the four
 * characters \xNN, so a string it wrote decodes to at most 4 * 1024 bytes.
 * Longer strings were not written by turtlecap: they are cut (at a
 * character boundary) and reported.
 */
#define TURTLE_STR_MAX	   4096
#define TURTLE_LEVELS_MAX  32 /* lineage levels; more is malformed */
#define TURTLE_MEMBERS_MAX 64 /* members kept; more are dropped, reported */
#define TURTLE_NEST_MAX	   16 /* nesting of values under ignored keys */
/* " ▸ " between the levels of turtle.lineage */
#define TURTLE_LINEAGE_SEP " \xe2\x96\xb8 "

enum turtle_meta_status {
	TURTLE_META_OK,	       /* parsed (warnings may be set) */
	TURTLE_META_NOT_OURS,  /* no TURTLE_META_PREFIX: not turtlecap's */
	TURTLE_META_MALFORMED, /* bad JSON, wrong type, missing key... */
	TURTLE_META_FUTURE,    /* format version newer than supported */
};

/* Warnings of an OK result (the values are shown, but altered). */
#define TURTLE_WARN_CUT 0x1u /* a string over TURTLE_STR_MAX was cut */
#define TURTLE_WARN_TEXT \
	0x2u			 /* invalid UTF-8, lone surrogate or NUL \
					replaced */
#define TURTLE_WARN_MEMBERS 0x4u /* members over TURTLE_MEMBERS_MAX dropped */

struct turtle_level {
	const char *kind, *name; /* required */
	const char *engine, *id; /* NULL when absent */
};

/*
 * All strings are NUL-terminated valid UTF-8 without NUL bytes inside, at
 * most TURTLE_STR_MAX bytes (the lineage: the level names joined); NULL
 * when the key was absent. On an OK result the required keys (version,
 * host, target, kind, netns, a lineage of at least one level with kind and
 * name each) are all there.
 */
struct turtle_meta {
	enum turtle_meta_status status;
	unsigned warnings;
	/* MALFORMED/FUTURE: why; OK with warnings: the first warning */
	char message[192];

	uint64_t version;
	const char *host, *target, *kind, *name, *comm;
	const char *ifname, *link, *ifkind;
	const char *container, *id, *engine, *engine_version, *image;
	const char *pod, *pod_namespace;
	uint64_t netns;
	uint32_t pid, ifindex;
	bool has_pid, has_ifindex;
	const char **members;
	size_t n_members;
	struct turtle_level *levels; /* host first */
	size_t n_levels;	     /* depth = n_levels - 1 */

	/* derived */
	const char *lineage;	 /* level names joined by TURTLE_LINEAGE_SEP */
	const char *target_name; /* name, else container, else the host's name
				    for kind host, else the netns inode */
};

/* Allocation for the result; may return NULL (the parse then fails). */
typedef void *(*turtle_alloc_fn)(void *ctx, size_t size);

/*
 * Parse the IDB description DESC of LEN bytes (NUL not needed, not
 * looked at) into *ret, allocating every string and array of the result
 * with ALLOC(CTX, size): the caller releases them together (an arena, a
 * wmem scope). Cost: O(1) for a description without TURTLE_META_PREFIX,
 * otherwise one pass over at most TURTLE_META_MAX_LEN bytes.
 *
 * Returns 0 (then ret->status tells how the input was) or -ENOMEM when
 * ALLOC failed (*ret is then unusable).
 */
int turtle_meta_parse(const char *desc, size_t len, struct turtle_meta *ret,
		      turtle_alloc_fn alloc, void *ctx);

#endif
