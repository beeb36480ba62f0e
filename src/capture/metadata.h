/* SPDX-License-Identifier: MIT */
/*
 * The pcapng metadata of a capture (format: metadata-format.h), made from
 * a snapshot of its target: plain copies that the discovery module fills
 * (discovery_metadata()), so a capture never holds a discovery.
 */
#ifndef TURTLECAP_METADATA_H
#define TURTLECAP_METADATA_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "metadata-format.h"
#include "netlink.h"

#define METADATA_LEVELS_MAX 16

/* One level of a container's lineage below the host. */
struct metadata_level {
	bool pod;
	char *name; /* the name its interface goes by */
	const char *engine;
	char *id;
};

struct metadata_target {
	char *host;	  /* host name */
	char *value;	  /* interface value (tc-...) */
	const char *kind; /* "host", "netns", "container", "pod" */
	bool is_host;
	uint64_t netns; /* inode */
	char *name;	/* `ip netns` name, or NULL */
	pid_t pid;	/* representative process, 0 if none */
	char *comm;	/* its command, or NULL */
	/* the namespace's primary container, if any (id set) */
	struct {
		char *id;
		char *name;   /* NULL for a pod's infra container */
		char *ifname; /* the name its interface goes by */
		bool pod;
		const char *engine;
		char *engine_version, *image, *pod_name, *pod_namespace;
		char **members; /* the names sharing the netns, primary first */
		size_t n_members;
	} ctr;
	struct metadata_level levels[METADATA_LEVELS_MAX];
	size_t n_levels;
};

void metadata_target_clear(struct metadata_target *t);

/* IDB if_description for one link of the target; NULL on ENOMEM.
 * Never longer than TURTLE_META_MAX_LEN (long strings are shortened). */
char *metadata_idb_description(const struct metadata_target *t,
			       const struct netlink_link *link);
/* IDB if_name: "VALUE/IFNAME" (IFNAME escaped like log text). */
char *metadata_idb_name(const struct metadata_target *t,
			const struct netlink_link *link);
/* SHB comment: one human line naming host and target. */
char *metadata_shb_comment(const struct metadata_target *t);

#endif
