/* SPDX-License-Identifier: MIT */
/* Building the pcapng metadata of a capture (format: metadata-format.h). */
#ifndef TURTLECAP_METADATA_H
#define TURTLECAP_METADATA_H

#include "metadata-format.h"
#include "netlink.h"
#include "netns.h"

struct metadata_target {
	const char *host;	    /* host name */
	const char *value;	    /* interface value (tc-...) */
	const struct netns_list *l; /* for the container of ns, if any */
	const struct netns_info *ns;
};

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
