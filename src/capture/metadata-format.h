/* SPDX-License-Identifier: MIT */
/*
 * The turtlecap metadata format: the one definition shared by the capture
 * side (src/metadata.c) and the dissector plugin (plugin/). Documented in
 * docs/metadata.md. Plain macros only: the plugin includes this header
 * and nothing else from src/.
 *
 * Each pcapng IDB written by turtlecap carries, in if_description, one
 * compact JSON object whose first key is TURTLE_META_KEY_VERSION with the
 * format version. Readers must ignore keys they do not know and reject
 * (with a message, never a crash) a version newer than they support.
 */
#ifndef TURTLECAP_METADATA_FORMAT_H
#define TURTLECAP_METADATA_FORMAT_H

#define TURTLE_META_VERSION 1
/* A description starts with exactly this prefix: cheap recognition. */
#define TURTLE_META_PREFIX "{\"turtlecap\":"

#define TURTLE_META_KEY_VERSION "turtlecap" /* number: format version */
#define TURTLE_META_KEY_HOST	"host"	    /* string: host name */
#define TURTLE_META_KEY_TARGET	"target"    /* string: interface value */
#define TURTLE_META_KEY_KIND	"kind"	/* string: host|netns|container|pod */
#define TURTLE_META_KEY_NAME	"name"	/* string: ip netns / container name */
#define TURTLE_META_KEY_NETNS	"netns" /* number: netns inode */
#define TURTLE_META_KEY_PID	"pid"	/* number: host pid inside (optional) */
#define TURTLE_META_KEY_COMM	"comm"	/* string: its command (optional) */
#define TURTLE_META_KEY_IF	"if"	/* string: interface inside the netns */
#define TURTLE_META_KEY_IFINDEX "ifindex" /* number */
#define TURTLE_META_KEY_LINK	"link"	  /* string: ether, loopback, ... */
#define TURTLE_META_KEY_IFKIND \
	"ifkind" /* string: veth, bridge, ... (optional) */
#define TURTLE_META_KEY_LINEAGE "lineage" /* array of levels, host first */
/* Containers (kind "container" or "pod"), all optional: */
#define TURTLE_META_KEY_CONTAINER      "container" /* string: container name */
#define TURTLE_META_KEY_ID	       "id"	/* string: full container id */
#define TURTLE_META_KEY_ENGINE	       "engine" /* string: docker, podman, ... */
#define TURTLE_META_KEY_ENGINE_VERSION "engine_version" /* string */
#define TURTLE_META_KEY_IMAGE	       "image"		/* string */
#define TURTLE_META_KEY_POD	       "pod"		/* string */
#define TURTLE_META_KEY_POD_NAMESPACE  "pod_namespace"	/* string */
#define TURTLE_META_KEY_MEMBERS	       "members" /* array of names sharing the netns */
/* number: members left out of "members" to keep the description within
 * TURTLE_META_MAX_LEN (absent when none were) */
#define TURTLE_META_KEY_MEMBERS_CUT "members_truncated"
/* keys of a lineage level */
#define TURTLE_META_LVL_KIND   "kind"
#define TURTLE_META_LVL_NAME   "name"
#define TURTLE_META_LVL_ENGINE "engine" /* optional */
#define TURTLE_META_LVL_ID     "id"	/* optional */

/* Strings with bytes that are not UTF-8 carry them as the text \xNN. */

#define TURTLE_META_MAX_LEN 60000 /* below pcapng's 65535 option limit */

#endif
