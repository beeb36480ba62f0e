/* SPDX-License-Identifier: MIT */
/*
 * Quoting for a remote POSIX shell. ssh joins its command words with
 * spaces and hands the string to the remote user's login shell, so every
 * word we send must come out of that shell exactly as we meant it:
 * each is wrapped in single quotes, where nothing is special but the
 * quote itself, written '\''.
 */
#ifndef TURTLECAP_SHELLQUOTE_H
#define TURTLECAP_SHELLQUOTE_H

#include "text.h"

/* Append s as one single-quoted word. */
void sbuf_put_shell(struct sbuf *sb, const char *s);

/* A command line of NULL-ended words, each quoted, joined by spaces
 * (malloc'd; NULL on ENOMEM). */
char *shell_join(const char *const *words);

#endif
