/* SPDX-License-Identifier: MIT */
/*
 * The listing policy: which namespaces get an interface of their own in
 * `--extcap-interfaces`, and which are reached through a portal.
 *
 * Wireshark runs `--extcap-config` once per listed interface at every
 * start, so each interface costs every start a process. At most
 * max_interfaces containers and namespaces are listed individually (the
 * host always is, on top); the others of each group (an engine kind for
 * containers, "netns" for bare namespaces) are behind one portal interface,
 * tc-portal-GROUP, whose `--container` selector names them. Settings
 * `engines`, `hide` and `show` send containers to their portal too.
 *
 * Pure functions over a discovery: the settings are read by
 * listing_policy_load() only, so tests build lists and policies by hand.
 */
#ifndef TURTLECAP_LISTING_H
#define TURTLECAP_LISTING_H

#include <stdbool.h>
#include <stddef.h>

#include "discovery.h"

#define LISTING_PORTAL_PREFIX "tc-portal-"
#define LISTING_MAX_DEFAULT   20 /* as config_keys[] in config.c says */

/* Groups: the engine kinds, then bare namespaces. */
#define LISTING_GROUP_NETNS ((int)_ENGINE_KIND_MAX)
#define LISTING_GROUPS	    (LISTING_GROUP_NETNS + 1)

enum listing_why {
	LISTING_SHOWN,	   /* an interface of its own (the host always) */
	LISTING_OVER_CAP,  /* in its portal: beyond max_interfaces */
	LISTING_ENGINE,	   /* in its portal: engine kind not in `engines` */
	LISTING_HIDDEN,	   /* in its portal: matches `hide` */
	LISTING_NOT_SHOWN, /* in its portal: `show` is set, no match */
	LISTING_SANDBOX,   /* nowhere: a sandbox (not netns_is_known(), only
			      loopback, a user namespace of its own) */
	_LISTING_WHY_MAX,
};

struct listing_policy {
	size_t max;	     /* individual interfaces besides the host */
	bool all;	     /* list = all / --all: sandboxes too */
	const char *engines; /* engine kinds, space/comma separated; NULL or
				empty = all */
	const char *hide;    /* fnmatch(3) patterns, space separated */
	const char *show;    /* likewise; NULL or empty = everything */
	/* values the user named (listing_wanted_load()): listed whatever
	 * the cap and filters say, not counted in max; NULL-ended or NULL */
	char *const *wanted;
};

struct listing_entry {
	size_t ns;	  /* index into the discovery's namespaces */
	int group;	  /* LISTING_GROUP_*, an engine kind; -1 = the host */
	size_t depth;	  /* levels of a container's lineage; 0 otherwise */
	const char *name; /* container or `ip netns` name (borrowed), or NULL */
	char *value;	  /* target_value() */
	enum listing_why why;
	bool wanted; /* shown because the user named it */
};

struct listing {
	struct listing_entry *v; /* the host first, then the listing order */
	size_t n;
	size_t n_shown; /* individual interfaces, the host not counted */
	size_t portal[LISTING_GROUPS]; /* members of each portal */
	size_t count[_LISTING_WHY_MAX];
};

/* The policy from the settings (config.h); all from --all or list = all.
 * Borrows the settings' strings. */
void listing_policy_load(struct listing_policy *p, bool all);

/*
 * Decide for every namespace of l. Order: the host, then containers before
 * bare namespaces, outer before nested, then by name (value, inode): the
 * first max candidates that pass the filters are shown. -ENOMEM.
 */
int listing_make(const struct discovery *d, const struct listing_policy *p,
		 struct listing *ret);
void listing_clear(struct listing *s);

/* In a portal: reachable only through tc-portal-GROUP. */
static inline bool listing_in_portal(const struct listing_entry *e)
{
	return e->why != LISTING_SHOWN && e->why != LISTING_SANDBOX;
}

/*
 * Wireshark only routes `tshark -i VALUE` to an extcap whose
 * `--extcap-interfaces` listed VALUE, and has no way to ask about one
 * value. So the values given with -i/--interface to the program that runs
 * us (its argv: NUL-separated, len bytes) are wanted: listed on top of the
 * others. Only well-formed turtlecap values are taken. *ret is NULL-ended
 * (NULL if none); -ENOMEM.
 */
int listing_wanted_parse(const char *argv, size_t len, char ***ret);
/* The same from /proc/PID/cmdline; a process we cannot read wants none. */
int listing_wanted_load(const char *procfs, pid_t pid, char ***ret);
void listing_wanted_free(char **v);

/* "docker", ..., "netns"; NULL if no such group. */
const char *listing_group_name(int group);
/* tc-portal-GROUP (malloc'd, NULL on ENOMEM). */
char *listing_portal_value(int group);
/* The group of a portal value; -EINVAL if value is none. */
int listing_parse_portal(const char *value, int *ret_group);
/* Its interface display for n members (malloc'd, NULL on ENOMEM). */
char *listing_portal_display(int group, size_t n);

#endif
