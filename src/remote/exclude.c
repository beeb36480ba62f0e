/* SPDX-License-Identifier: MIT */
/* The remote side's filter against its own ssh session (remote-exclude.h). */
#include "remote-exclude.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* An address as SSH_CONNECTION writes it: IPv4 or IPv6, nothing else. */
static bool addr_ok(const char *s)
{
	if (!*s || strlen(s) > 45)
		return false;
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s) && *s != '.' && *s != ':')
			return false;
	return true;
}

int remote_exclude_session(const char *ssh_connection, const char *filter,
			   char **ret)
{
	char ca[64], sa[64];
	unsigned int cp, sp;
	char tail;
	int k;

	if (!ssh_connection ||
	    sscanf(ssh_connection, "%63s %u %63s %u %c", ca, &cp, sa, &sp,
		   &tail) != 4 ||
	    !addr_ok(ca) || !addr_ok(sa) || !cp || !sp || cp > 65535 ||
	    sp > 65535)
		return -EINVAL;
	if (filter && *filter)
		k = asprintf(
			ret,
			"(%s) and not (tcp and host %s and host %s and port %u and port %u)",
			filter, ca, sa, cp, sp);
	else
		k = asprintf(
			ret,
			"not (tcp and host %s and host %s and port %u and port %u)",
			ca, sa, cp, sp);
	return k < 0 ? -ENOMEM : 0;
}
