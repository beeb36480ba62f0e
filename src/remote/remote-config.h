/* SPDX-License-Identifier: MIT */
/*
 * The remotes configuration: which remote hosts there are and how to
 * reach them.
 *
 * A remote is "NAME [USER@]HOST[:PORT] [PATH]" (a line of
 * /etc/turtlecap/remotes or ~/.config/turtlecap/remotes) or
 * "NAME=[USER@]HOST[:PORT]" (the `remotes` setting, --remote). USER and
 * HOST never start with '-' (never an option to ssh); PATH is the remote
 * turtlecap, turtlecap on the remote's PATH by default.
 */
#ifndef TURTLECAP_REMOTE_CONFIG_H
#define TURTLECAP_REMOTE_CONFIG_H

#include <stddef.h>

#define REMOTE_SYSTEM_FILE  "/etc/turtlecap/remotes"
#define REMOTE_DEFAULT_PATH "turtlecap"
#define REMOTE_NAME_MAX	    64

struct remote {
	char *name;
	char *user; /* or NULL: ssh's own choice (~/.ssh/config) */
	char *host;
	char *port; /* or NULL */
	char *path; /* the remote turtlecap */
	const char *origin;
};

struct remotes {
	struct remote *v;
	size_t n, cap;
	char *origins[2]; /* owned file paths */
};

/* "NAME [USER@]HOST[:PORT] [PATH]" (blank, a comment: -ENOENT). */
int remote_parse_line(const char *line, struct remote *ret, char **ret_msg);
/* "NAME=[USER@]HOST[:PORT]"; a bare destination is named after its host. */
int remote_parse_spec(const char *spec, struct remote *ret, char **ret_msg);
void remote_clear(struct remote *r);

/* The files, then the `remotes` setting, then specs (NULL-ended, may be
 * NULL); a later entry of the same name replaces the earlier. Bad entries
 * are logged and skipped. -ENOMEM. */
int remotes_load(struct remotes *ret, const char *const *specs);
/* The same from given files (tests). */
int remotes_load_from(struct remotes *ret, const char *system_file,
		      const char *user_file, const char *const *specs);
void remotes_clear(struct remotes *rs);
const struct remote *remotes_find(const struct remotes *rs, const char *name);

#endif
