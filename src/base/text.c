/* SPDX-License-Identifier: MIT */
#include "text.h"

#include <stdarg.h>
#include <string.h>

void sbuf_free(struct sbuf *sb)
{
	free(sb->s);
	*sb = (struct sbuf){ 0 };
}

static bool sbuf_grow(struct sbuf *sb, size_t extra)
{
	size_t want;
	char *n;

	if (sb->oom)
		return false;
	if (sb->len + extra + 1 <= sb->cap)
		return true;
	want = sb->cap ? sb->cap : 64;
	while (want < sb->len + extra + 1) {
		if (want > SIZE_MAX / 2) {
			sb->oom = true;
			return false;
		}
		want *= 2;
	}
	n = realloc(sb->s, want);
	if (!n) {
		sb->oom = true;
		return false;
	}
	sb->s = n;
	sb->cap = want;
	return true;
}

void sbuf_put(struct sbuf *sb, const char *s, size_t len)
{
	if (!sbuf_grow(sb, len))
		return;
	memcpy(sb->s + sb->len, s, len);
	sb->len += len;
	sb->s[sb->len] = '\0';
}

void sbuf_putc(struct sbuf *sb, char c)
{
	sbuf_put(sb, &c, 1);
}

void sbuf_puts(struct sbuf *sb, const char *s)
{
	sbuf_put(sb, s, strlen(s));
}

void sbuf_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !sbuf_grow(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

char *sbuf_take(struct sbuf *sb)
{
	char *s;

	if (sb->oom) {
		sbuf_free(sb);
		return NULL;
	}
	if (!sb->s) {
		if (!sbuf_grow(sb, 0))
			return NULL;
		sb->s[0] = '\0';
	}
	s = sb->s;
	*sb = (struct sbuf){ 0 };
	return s;
}

size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	size_t n;
	unsigned int cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	return n;
}

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len(p + i, len - i);

		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

enum text_dest { DEST_HUMAN, DEST_EXTCAP };

static void put_text(struct sbuf *sb, const char *s, enum text_dest dest)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len(p + i, len - i);

		if (n == 0 || p[i] < 0x20 || p[i] == 0x7F) {
			sbuf_printf(sb, "\\x%02x", p[i]);
			i++;
			continue;
		}
		if (dest == DEST_EXTCAP && p[i] == '{')
			sbuf_putc(sb, '(');
		else if (dest == DEST_EXTCAP && p[i] == '}')
			sbuf_putc(sb, ')');
		else
			sbuf_put(sb, s + i, n);
		i += n;
	}
}

void sbuf_put_human(struct sbuf *sb, const char *s)
{
	put_text(sb, s, DEST_HUMAN);
}

char *text_human_cut(const char *s, size_t max)
{
	struct sbuf sb = { 0 };
	size_t cut;

	sbuf_put_human(&sb, s ? s : "");
	if (!sb.oom && sb.len > max) {
		/* step back to the start of a UTF-8 sequence */
		cut = max;
		while (cut > 0 && ((unsigned char)sb.s[cut] & 0xC0) == 0x80)
			cut--;
		sb.len = cut;
		sb.s[cut] = '\0';
		sbuf_puts(&sb, "...");
	}
	return sbuf_take(&sb);
}

void sbuf_put_extcap(struct sbuf *sb, const char *s)
{
	put_text(sb, s, DEST_EXTCAP);
}

void sbuf_put_json(struct sbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);

	sbuf_putc(sb, '"');
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len(p + i, len - i);

		if (n == 0) {
			sbuf_printf(sb, "\\\\x%02x", p[i]);
			i++;
			continue;
		}
		switch (p[i]) {
		case '"':
			sbuf_puts(sb, "\\\"");
			break;
		case '\\':
			sbuf_puts(sb, "\\\\");
			break;
		case '\n':
			sbuf_puts(sb, "\\n");
			break;
		case '\t':
			sbuf_puts(sb, "\\t");
			break;
		default:
			if (p[i] < 0x20 || p[i] == 0x7F)
				sbuf_printf(sb, "\\u%04x", p[i]);
			else
				sbuf_put(sb, s + i, n);
		}
		i += n;
	}
	sbuf_putc(sb, '"');
}

static bool value_char_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-';
}

void sbuf_put_value(struct sbuf *sb, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (value_char_plain(*p))
			sbuf_putc(sb, (char)*p);
		else
			sbuf_printf(sb, "_%02x", *p);
	}
}

int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* canonical form: lower-case digits only */
static int lower_hex_value(char c)
{
	return c >= 'A' && c <= 'F' ? -1 : hex_digit_value(c);
}

int value_unescape(const char *s, size_t len, char **ret)
{
	_cleanup_free_ char *out = malloc(len + 1);
	size_t o = 0;

	if (!out)
		return -ENOMEM;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '_') {
			int hi, lo;

			if (i + 2 >= len)
				return -EINVAL;
			hi = lower_hex_value(s[i + 1]);
			lo = lower_hex_value(s[i + 2]);
			/* canonical form only: a byte that could be plain
			 * must not be escaped, and NUL never appears */
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0) ||
			    value_char_plain((unsigned char)(hi << 4 | lo)))
				return -EINVAL;
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (value_char_plain(c)) {
			out[o++] = (char)c;
		} else {
			return -EINVAL;
		}
	}
	out[o] = '\0';
	*ret = TAKE_PTR(out);
	return 0;
}
