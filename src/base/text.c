/* SPDX-License-Identifier: MIT */
#include "text.h"

#include <stdarg.h>
#include <stdint.h>
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

/*
 * The code point of the valid n-byte sequence at p if it breaks a line or
 * paragraph (Qt and GLib's line breaking, Python's splitlines, terminals)
 * or reorders text (Trojan Source), else 0. By bytes, no decoding: all of
 * them are 2 or 3 bytes long.
 */
static unsigned int unsafe_code_point(const unsigned char *p, size_t n)
{
	if (n == 2 && p[0] == 0xC2 && p[1] <= 0x9F)
		return p[1]; /* C1: U+0080..U+009F, NEL U+0085 */
	if (n == 2 && p[0] == 0xD8 && p[1] == 0x9C)
		return 0x061C; /* ARABIC LETTER MARK */
	if (n != 3 || p[0] != 0xE2)
		return 0;
	if (p[1] == 0x80 &&
	    (p[2] == 0x8E || p[2] == 0x8F || (p[2] >= 0xA8 && p[2] <= 0xAE)))
		return 0x2000u | (p[2] & 0x3Fu); /* U+200E/F, U+2028..202E */
	if (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
		return 0x2040u | (p[2] & 0x3Fu); /* U+2066..U+2069 isolates */
	return 0;
}

static void put_text(struct sbuf *sb, const char *s, enum text_dest dest)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len(p + i, len - i);
		unsigned int cp;

		if (n == 0 || p[i] < 0x20 || p[i] == 0x7F) {
			sbuf_printf(sb, "\\x%02x", p[i]);
			i++;
			continue;
		}
		cp = unsafe_code_point(p + i, n);
		if (cp)
			sbuf_printf(sb, "\\u%04x", cp);
		else if (dest == DEST_EXTCAP && p[i] == '{')
			sbuf_putc(sb, '(');
		else if (dest == DEST_EXTCAP && p[i] == '}')
			sbuf_putc(sb, ')');
		else
			sbuf_put(sb, s + i, n);
		i += n;
	}
}

bool text_extcap_plain(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len(p + i, len - i);

		if (n == 0 || p[i] < 0x20 || p[i] == 0x7F || p[i] == '{' ||
		    p[i] == '}' || unsafe_code_point(p + i, n))
			return false;
		i += n;
	}
	return true;
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

/* The JSON text of the character at p (n bytes): into buf, or *plain. */
static size_t json_piece(const unsigned char *p, size_t n, char buf[12],
			 bool *plain)
{
	*plain = false;
	if (n == 0)
		return (size_t)snprintf(buf, 12, "\\\\x%02x", p[0]);
	switch (p[0]) {
	case '"':
		return (size_t)snprintf(buf, 12, "\\\"");
	case '\\':
		return (size_t)snprintf(buf, 12, "\\\\");
	case '\n':
		return (size_t)snprintf(buf, 12, "\\n");
	case '\t':
		return (size_t)snprintf(buf, 12, "\\t");
	default:
		if (p[0] < 0x20 || p[0] == 0x7F)
			return (size_t)snprintf(buf, 12, "\\u%04x", p[0]);
		/* the same string, but a raw description shown in Wireshark
		 * stays one line and in order */
		if (unsafe_code_point(p, n))
			return (size_t)snprintf(buf, 12, "\\u%04x",
						unsafe_code_point(p, n));
		*plain = true;
		return n;
	}
}

void sbuf_put_json_max(struct sbuf *sb, const char *s, size_t max_text,
		       size_t max_json)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), text = 0, out = 0;

	sbuf_putc(sb, '"');
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len(p + i, len - i);
		char buf[12];
		bool plain;
		size_t w = json_piece(p + i, n, buf, &plain);
		size_t t = n ? n : 4; /* a reader's "\xNN" text */

		/* whole characters only: the text stays valid */
		if (w > max_json - out || t > max_text - text)
			break;
		sbuf_put(sb, plain ? s + i : buf, w);
		out += w;
		text += t;
		i += n ? n : 1;
	}
	sbuf_putc(sb, '"');
}

void sbuf_put_json(struct sbuf *sb, const char *s)
{
	sbuf_put_json_max(sb, s, SIZE_MAX, SIZE_MAX);
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

/* SHA-256, FIPS 180-4: small and only ever run on values over the limit */
static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror32(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha256_block(uint32_t h[8], const unsigned char *b)
{
	uint32_t w[64], v[8];

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 |
		       (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^
			      (w[i - 15] >> 3);
		uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^
			      (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, h, sizeof(v));
	for (int i = 0; i < 64; i++) {
		uint32_t s1 =
			ror32(v[4], 6) ^ ror32(v[4], 11) ^ ror32(v[4], 25);
		uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
		uint32_t t1 = v[7] + s1 + ch + sha256_k[i] + w[i];
		uint32_t s0 =
			ror32(v[0], 2) ^ ror32(v[0], 13) ^ ror32(v[0], 22);
		uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);

		memmove(v + 1, v, 7 * sizeof(*v));
		v[4] += t1;
		v[0] = t1 + s0 + maj;
	}
	for (int i = 0; i < 8; i++)
		h[i] += v[i];
}

void text_sha256(const void *data, size_t len, unsigned char out[32])
{
	uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	const unsigned char *p = data;
	unsigned char last[128] = { 0 };
	size_t rest = len % 64, tail;
	uint64_t bits = (uint64_t)len * 8;

	for (size_t i = 0; i + 64 <= len; i += 64)
		sha256_block(h, p + i);
	memcpy(last, p + len - rest, rest);
	last[rest] = 0x80;
	tail = rest < 56 ? 64 : 128;
	for (int i = 0; i < 8; i++)
		last[tail - 1 - (size_t)i] = (unsigned char)(bits >> (8 * i));
	sha256_block(h, last);
	if (tail == 128)
		sha256_block(h, last + 64);
	for (int i = 0; i < 32; i++)
		out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

char *value_shorten(const char *value, size_t max)
{
	size_t len = strlen(value), keep, sep = strlen(VALUE_HASH_SEP);
	unsigned char md[32];
	struct sbuf sb = { 0 };

	if (len <= max)
		return strdup(value);
	keep = max - sep - VALUE_HASH_HEX;
	/* never half an escape: "_x" or "_" at the end */
	if (keep >= 1 && value[keep - 1] == '_')
		keep -= 1;
	else if (keep >= 2 && value[keep - 2] == '_')
		keep -= 2;
	text_sha256(value, len, md);
	sbuf_put(&sb, value, keep);
	sbuf_puts(&sb, VALUE_HASH_SEP);
	for (size_t i = 0; i < VALUE_HASH_HEX / 2; i++)
		sbuf_printf(&sb, "%02x", md[i]);
	return sbuf_take(&sb);
}

bool value_is_short(const char *value)
{
	size_t len = strlen(value), sep = strlen(VALUE_HASH_SEP);

	if (len < sep + VALUE_HASH_HEX + 1 ||
	    memcmp(value + len - VALUE_HASH_HEX - sep, VALUE_HASH_SEP, sep) !=
		    0)
		return false;
	for (size_t i = len - VALUE_HASH_HEX; i < len; i++)
		if (lower_hex_value(value[i]) < 0)
			return false;
	return true;
}
