/* SPDX-License-Identifier: MIT */
/*
 * The interface values of remote hosts, next to the local ones
 * (target.h):
 *
 *   tcr-NAME.REST    the remote NAME's tc-REST, NAME escaped like any name
 *
 * so the first '.' ends NAME (an escaped name holds none) and the value
 * round-trips. REST is the remote's own value, checked for its characters
 * only: the remote resolves it.
 */
#ifndef TURTLECAP_REMOTE_VALUE_H
#define TURTLECAP_REMOTE_VALUE_H

#define REMOTE_PREFIX "tcr-"

/* tcr-NAME.REST for the remote's tc-REST (malloc'd; NULL if local_value
 * is not tc-... or on ENOMEM). */
char *remote_value(const char *name, const char *local_value);
/* The reverse: -EINVAL if value is no remote value. */
int remote_value_parse(const char *value, char **ret_name,
		       char **ret_local_value);

#endif
