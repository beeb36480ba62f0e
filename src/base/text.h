/* SPDX-License-Identifier: MIT */
/*
 * Text that came from outside (/proc, mount tables, interface names, later
 * engines) is untrusted: it may hold any byte. This module is the one place
 * that turns it into something safe for each destination: the extcap
 * {key=value} grammar, JSON in pcapng options, interface values.
 */
#ifndef TURTLECAP_TEXT_H
#define TURTLECAP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* A growable NUL-terminated string. Errors are sticky (sb->oom). */
struct sbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

void sbuf_free(struct sbuf *sb);
void sbuf_putc(struct sbuf *sb, char c);
void sbuf_put(struct sbuf *sb, const char *s, size_t len);
void sbuf_puts(struct sbuf *sb, const char *s);
void sbuf_printf(struct sbuf *sb, const char *fmt, ...) _printf_(2, 3);
/* Hands the string over (never NULL unless out of memory). */
char *sbuf_take(struct sbuf *sb);

/*
 * Length of the valid UTF-8 sequence at s (1..4), 0 if invalid: the
 * project's one UTF-8 decoder (strict: no overlong forms, surrogates or
 * code points beyond U+10FFFF).
 */
size_t utf8_seq_len(const unsigned char *s, size_t avail);
bool utf8_valid(const char *s, size_t len);
/* The value of a hex digit, either case; -1 if c is none. The one hex
 * decoder. */
int hex_digit_value(char c);

/*
 * Human text: valid UTF-8 kept, control characters and invalid bytes
 * written as \xNN. Used for log lines and --list.
 */
void sbuf_put_human(struct sbuf *sb, const char *s);
/*
 * Human text of at most max bytes (plus "..."), for echoing what a user
 * typed into a one-line error message. malloc'd; NULL on ENOMEM.
 */
char *text_human_cut(const char *s, size_t max);
/*
 * Safe inside an extcap {key=value}: like human text, and '{' '}' become
 * '(' ')' since the grammar has no escaping.
 */
void sbuf_put_extcap(struct sbuf *sb, const char *s);
/*
 * A JSON string literal with quotes. Invalid UTF-8 bytes are written as
 * the six characters \\xNN (an escaped backslash), so the JSON stays
 * valid and the original bytes remain recognisable.
 */
void sbuf_put_json(struct sbuf *sb, const char *s);

/*
 * Interface values (public contract, see README): only [A-Za-z0-9-] pass;
 * every other byte is written _XX (lower-case hex), so the encoding is
 * reversible and '.' stays free as a separator.
 */
void sbuf_put_value(struct sbuf *sb, const char *s);
/* Reverse of sbuf_put_value for one component; -EINVAL if malformed. */
int value_unescape(const char *s, size_t len, char **ret);

#endif
