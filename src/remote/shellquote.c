/* SPDX-License-Identifier: MIT */
#include "shellquote.h"

void sbuf_put_shell(struct sbuf *sb, const char *s)
{
	sbuf_putc(sb, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sbuf_puts(sb, "'\\''");
		else
			sbuf_putc(sb, *s);
	}
	sbuf_putc(sb, '\'');
}

char *shell_join(const char *const *words)
{
	struct sbuf sb = { 0 };

	for (size_t i = 0; words[i]; i++) {
		if (i)
			sbuf_putc(&sb, ' ');
		sbuf_put_shell(&sb, words[i]);
	}
	return sbuf_take(&sb);
}
