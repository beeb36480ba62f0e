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
 * written as \xNN, and the code points that Wireshark, Qt or a terminal
 * takes for a line or paragraph break, or that reorder text, as \uXXXX:
 * C1 controls (U+0080..U+009F, NEL among them), U+2028, U+2029, the bidi
 * controls U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069. Used
 * for log lines and --list. Linear: one pass, no allocation per byte.
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
/* Whether sbuf_put_extcap would write s unchanged. */
bool text_extcap_plain(const char *s);
/*
 * A JSON string literal with quotes. Invalid UTF-8 bytes are written as
 * the six characters \\xNN (an escaped backslash), so the JSON stays
 * valid and the original bytes remain recognisable; the line breaks and
 * bidi controls of sbuf_put_human() as \uXXXX (the same string).
 */
void sbuf_put_json(struct sbuf *sb, const char *s);
/* The same, cut at a character (never inside one or its escape) so that
 * at most max_json characters stand between the quotes and a reader gets
 * at most max_text bytes (an invalid byte's \\xNN counted as 4). */
void sbuf_put_json_max(struct sbuf *sb, const char *s, size_t max_text,
		       size_t max_json);

/*
 * Interface values (public contract, see README): only [A-Za-z0-9-] pass;
 * every other byte is written _XX (lower-case hex), so the encoding is
 * reversible and '.' stays free as a separator.
 */
void sbuf_put_value(struct sbuf *sb, const char *s);
/* Reverse of sbuf_put_value for one component; -EINVAL if malformed. */
int value_unescape(const char *s, size_t len, char **ret);

/*
 * Short values. Wireshark 4.0 names the fifo of a capture
 * "wireshark_extcap_" VALUE + 6 random characters, one file in its temp
 * directory (extcap.c:1658, wsutil/tempfile.c:70): a value over 232 bytes
 * exceeds NAME_MAX and the capture never starts. A value longer than max is
 * written as its first bytes (never half an _XX escape) + VALUE_HASH_SEP +
 * VALUE_HASH_HEX lower-case hex digits of the SHA-256 of the whole value:
 * "__" never occurs in a value sbuf_put_value wrote ('_' always starts an
 * escape), so a short form is never another name's full value.
 */
#define VALUE_HASH_SEP "__"
#define VALUE_HASH_HEX 16
/* value itself when at most max bytes, else its short form; NULL on ENOMEM.
 * max must leave room for the hash (> 2 + VALUE_HASH_HEX + 3). */
char *value_shorten(const char *value, size_t max);
/* Whether value has the form value_shorten() gives a long one. */
bool value_is_short(const char *value);

/* SHA-256 of len bytes (FIPS 180-4), for the short values' hash. Written
 * here (80 lines, tested against the FIPS vectors in test-text) rather
 * than taken from libcrypto or nettle: the extcap links libc alone, so
 * that Wireshark's start loads nothing more (docs/design.md). */
void text_sha256(const void *data, size_t len, unsigned char out[32]);

#endif
