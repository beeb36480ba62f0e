/* SPDX-License-Identifier: MIT */
/*
 * Capture targets and their interface values: the public contract users
 * type into `tshark -i VALUE` and `-o extcap.VALUE.option:...`.
 *
 *   tc-host                 turtlecap's own (the host's) network namespace
 *   tc-netns-NAME           a namespace bound by `ip netns add NAME`
 *   tc-ns-INODE             any other namespace, by its nsfs inode
 *   tc-ENGINE-NAME          a container (docker, podman), by the name its
 *                           engine gives it: stable across restarts
 *   tc-E1-OUTER.E2-INNER    a container of an engine that runs in another
 *                           container (turtles): its lineage, outer first
 *
 * NAME is escaped (sbuf_put_value): [A-Za-z0-9-] pass, every other byte is
 * _XX, so values only hold characters Wireshark accepts and decode back
 * exactly. '.' is reserved to join levels of a lineage (containers in
 * containers) and remote hosts; see README "Interface values".
 */
#ifndef TURTLECAP_TARGET_H
#define TURTLECAP_TARGET_H

#include <stdint.h>

#include "discovery.h"

#define TARGET_PREFIX "tc-"
/*
 * The longest value we list. Wireshark 4.0 builds a fifo file name of
 * "wireshark_extcap_" + value + 6 characters (NAME_MAX 255: at most 232
 * bytes of value, tested live), its control pipes "wireshark_control_
 * ext_to_ws_" + value + 6 (221); 200 also leaves a remote's "tcr-NAME."
 * some room. Longer values are shortened (value_shorten(), README).
 */
#define TARGET_VALUE_MAX 200

enum target_kind {
	TARGET_HOST,
	TARGET_NETNS, /* named */
	TARGET_NETNS_ANON,
	TARGET_CONTAINER,
};

#define TARGET_LEVELS_MAX 8

struct target_ref {
	enum target_kind kind;
	char *name;   /* TARGET_NETNS; TARGET_CONTAINER: the innermost */
	uint64_t ino; /* TARGET_NETNS_ANON */
	/* TARGET_CONTAINER: the lineage below the host, outermost first */
	size_t n_levels;
	struct {
		enum engine_kind engine;
		char *name;
	} levels[TARGET_LEVELS_MAX];
	/* a short form (value_is_short()), kind TARGET_NETNS or
	 * TARGET_CONTAINER, name NULL and no levels: resolved by computing the
	 * short form of each candidate's value */
	char *short_value;
};

void target_ref_clear(struct target_ref *ref);

/* -EINVAL if value is not one of ours (or malformed). */
int target_parse_value(const char *value, struct target_ref *ret);

/* The value for a discovered namespace (malloc'd, NULL on ENOMEM). */
char *target_value(const struct discovery *d, const struct netns_info *ns);
/* Human name for the interface list, safe inside {display=...}. */
char *target_display(const struct discovery *d, const struct netns_info *ns);
/* "host", "netns", "container": the kind written into the metadata. */
const char *target_kind_name(const struct discovery *d,
			     const struct netns_info *ns);

/* The discovered namespace a value designates, or NULL. */
struct netns_info *target_resolve(struct discovery *d,
				  const struct target_ref *ref);

#endif
