/* SPDX-License-Identifier: MIT */
/* The tcr- interface values of remote hosts (remote-value.h). */
#include "remote-value.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "target.h"
#include "text.h"
#include "util.h"

/* the characters Wireshark accepts in a value (the remote's too) */
static bool value_chars(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return false;
	return true;
}

char *remote_value(const char *name, const char *local_value)
{
	struct sbuf sb = { 0 };
	size_t pl = strlen(TARGET_PREFIX);

	if (strncmp(local_value, TARGET_PREFIX, pl) != 0 || !local_value[pl] ||
	    !value_chars(local_value))
		return NULL;
	sbuf_puts(&sb, REMOTE_PREFIX);
	sbuf_put_value(&sb, name);
	sbuf_putc(&sb, '.');
	sbuf_puts(&sb, local_value + pl);
	return sbuf_take(&sb);
}

int remote_value_parse(const char *value, char **ret_name,
		       char **ret_local_value)
{
	const char *p, *dot;
	char *name, *local;

	if (!value || strncmp(value, REMOTE_PREFIX, strlen(REMOTE_PREFIX)))
		return -EINVAL;
	p = value + strlen(REMOTE_PREFIX);
	dot = strchr(p, '.');
	if (!dot || dot == p || !dot[1] || !value_chars(dot + 1))
		return -EINVAL;
	if (value_unescape(p, (size_t)(dot - p), &name) < 0)
		return -EINVAL;
	if (asprintf(&local, TARGET_PREFIX "%s", dot + 1) < 0) {
		free(name);
		return -ENOMEM;
	}
	*ret_name = name;
	*ret_local_value = local;
	return 0;
}
