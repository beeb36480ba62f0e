/* SPDX-License-Identifier: MIT */
/*
 * A strict, single-pass JSON reader for one turtlecap IDB description
 * (RFC 8259 grammar; keys it does not know are skipped, whatever their
 * value, down to TURTLE_NEST_MAX levels). wsutil's jsmn-based wsjson was
 * not used: it reads numbers only as doubles (a netns inode is a uint64),
 * and it would pull glib and libwsutil into the fuzz target. Nor jansson:
 * docs/design.md says why. Its UTF-8 and hex decoding are src/base/text.c's,
 * compiled into the plugin (plugin/CMakeLists.txt).
 */
#include "turtle-meta.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text.h" /* utf8_seq_len, hex_digit_value */

struct reader {
	const unsigned char *p, *start, *end;
	struct turtle_meta *m;
	turtle_alloc_fn alloc;
	void *ctx;
	bool failed; /* input error: m->status/message set */
	bool nomem;
};

/* Keys longer than this are not ours: they are read but never match. */
#define KEY_MAX 32

static void failf(struct reader *r, enum turtle_meta_status st, const char *fmt,
		  ...) __attribute__((format(printf, 3, 4)));

static void failf(struct reader *r, enum turtle_meta_status st, const char *fmt,
		  ...)
{
	va_list ap;

	if (r->failed)
		return; /* the first error is the one that matters */
	r->failed = true;
	r->m->status = st;
	va_start(ap, fmt);
	vsnprintf(r->m->message, sizeof(r->m->message), fmt, ap);
	va_end(ap);
}

static void warnf(struct reader *r, unsigned w, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void warnf(struct reader *r, unsigned w, const char *fmt, ...)
{
	va_list ap;

	if (!r->m->warnings) {
		va_start(ap, fmt);
		vsnprintf(r->m->message, sizeof(r->m->message), fmt, ap);
		va_end(ap);
	}
	r->m->warnings |= w;
}

static size_t offset(const struct reader *r)
{
	return (size_t)(r->p - r->start);
}

/* An error at the current position: "truncated" when the input ended. */
static void syntax(struct reader *r, const char *what)
{
	if (r->p >= r->end)
		failf(r, TURTLE_META_MALFORMED,
		      "truncated: the description ends at byte %zu, inside "
		      "the JSON object (%s)",
		      offset(r), what);
	else
		failf(r, TURTLE_META_MALFORMED,
		      "bad JSON at byte %zu: %s, found '%c'", offset(r), what,
		      *r->p >= 0x20 && *r->p < 0x7f ? *r->p : '?');
}

static void *ralloc(struct reader *r, size_t n)
{
	void *v = r->alloc(r->ctx, n ? n : 1);

	if (!v) {
		r->nomem = true;
		r->failed = true;
	}
	return v;
}

static void skip_ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
				 *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

/* Consume C (after white space) or fail with WHAT. */
static bool expect(struct reader *r, unsigned char c, const char *what)
{
	skip_ws(r);
	if (r->p < r->end && *r->p == c) {
		r->p++;
		return true;
	}
	syntax(r, what);
	return false;
}

/* --- strings --- */

/* A string being decoded into a bounded buffer. */
struct strbuf {
	char *buf;
	size_t cap, len; /* cap excludes the NUL */
	bool cut;	 /* something did not fit */
	bool replaced;	 /* bad UTF-8 / lone surrogate / NUL replaced */
};

/* Append N bytes, all or nothing (so a character is never split). */
static void sb_put(struct strbuf *sb, const void *s, size_t n)
{
	if (sb->cut || sb->len + n > sb->cap) {
		sb->cut = true;
		return;
	}
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
}

static void sb_put_cp(struct strbuf *sb, uint32_t cp)
{
	unsigned char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xC0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xE0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xF0 | (cp >> 18));
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	sb_put(sb, u, n);
}

/* A byte that cannot be carried: the text \xNN, as the writer does. */
static void sb_put_byte_text(struct strbuf *sb, unsigned char b)
{
	char t[5];

	snprintf(t, sizeof(t), "\\x%02x", b);
	sb_put(sb, t, 4);
	sb->replaced = true;
}

/* Read the 4 hex digits of a \u escape (r->p after the 'u'). */
static bool read_u4(struct reader *r, uint32_t *ret)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++) {
		int h = r->p < r->end ? hex_digit_value((char)*r->p) : -1;

		if (h < 0) {
			syntax(r, "a \\u escape needs four hex digits");
			return false;
		}
		v = v << 4 | (uint32_t)h;
		r->p++;
	}
	*ret = v;
	return true;
}

/*
 * Read a JSON string (r->p at the opening quote) into SB (may be NULL:
 * validate and skip). Invalid UTF-8 bytes become the text \xNN, lone
 * surrogates U+FFFD, \u0000 the text \x00: flagged in sb->replaced.
 */
static bool read_string(struct reader *r, struct strbuf *sb)
{
	struct strbuf dummy = { .buf = NULL, .cap = 0 };

	if (!sb)
		sb = &dummy;
	if (r->p >= r->end || *r->p != '"') {
		syntax(r, "expected a string");
		return false;
	}
	r->p++;
	for (;;) {
		unsigned char c;

		if (r->p >= r->end) {
			syntax(r, "unterminated string");
			return false;
		}
		c = *r->p;
		if (c == '"') {
			r->p++;
			return true;
		}
		if (c < 0x20) {
			syntax(r, "control character in a string");
			return false;
		}
		if (c == '\\') {
			uint32_t cp, lo;

			r->p++;
			if (r->p >= r->end) {
				syntax(r, "unterminated escape");
				return false;
			}
			c = *r->p++;
			switch (c) {
			case '"':
			case '\\':
			case '/':
				sb_put(sb, &c, 1);
				continue;
			case 'b':
				sb_put(sb, "\b", 1);
				continue;
			case 'f':
				sb_put(sb, "\f", 1);
				continue;
			case 'n':
				sb_put(sb, "\n", 1);
				continue;
			case 'r':
				sb_put(sb, "\r", 1);
				continue;
			case 't':
				sb_put(sb, "\t", 1);
				continue;
			case 'u':
				break;
			default:
				r->p--;
				syntax(r, "unknown escape");
				return false;
			}
			if (!read_u4(r, &cp))
				return false;
			if (cp >= 0xD800 && cp <= 0xDBFF &&
			    r->end - r->p >= 6 && r->p[0] == '\\' &&
			    r->p[1] == 'u') {
				const unsigned char *save = r->p;

				r->p += 2;
				if (!read_u4(r, &lo))
					return false;
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					sb_put_cp(sb, 0x10000 +
							      ((cp - 0xD800)
							       << 10) +
							      (lo - 0xDC00));
					continue;
				}
				r->p = save; /* not a pair: read it next */
			}
			if (cp >= 0xD800 && cp <= 0xDFFF) {
				sb_put_cp(sb, 0xFFFD);
				sb->replaced = true;
			} else if (cp == 0) {
				sb_put_byte_text(sb, 0);
			} else {
				sb_put_cp(sb, cp);
			}
			continue;
		}
		if (c < 0x80) {
			sb_put(sb, &c, 1);
			r->p++;
		} else {
			size_t n = utf8_seq_len(r->p, (size_t)(r->end - r->p));

			if (n) {
				sb_put(sb, r->p, n);
				r->p += n;
			} else {
				sb_put_byte_text(sb, c);
				r->p++;
			}
		}
	}
}

/* Read a string value for KEY into a new allocation (*ret). */
static bool read_string_value(struct reader *r, const char *key,
			      const char **ret)
{
	char buf[TURTLE_STR_MAX + 1];
	struct strbuf sb = { .buf = buf, .cap = TURTLE_STR_MAX };
	char *s;

	skip_ws(r);
	if (r->p < r->end && *r->p != '"') {
		failf(r, TURTLE_META_MALFORMED,
		      "key \"%s\" must be a string (byte %zu)", key, offset(r));
		return false;
	}
	if (!read_string(r, &sb))
		return false;
	if (sb.cut)
		warnf(r, TURTLE_WARN_CUT,
		      "the value of \"%s\" is longer than %d bytes: cut", key,
		      TURTLE_STR_MAX);
	if (sb.replaced)
		warnf(r, TURTLE_WARN_TEXT,
		      "the value of \"%s\" is not valid text (bad UTF-8, NUL "
		      "or lone surrogate): replaced",
		      key);
	s = ralloc(r, sb.len + 1);
	if (!s)
		return false;
	memcpy(s, buf, sb.len);
	s[sb.len] = '\0';
	*ret = s;
	return true;
}

/* --- numbers and other values --- */

/* A JSON number as read: an unsigned integer in v unless one of the flags
 * says otherwise. */
struct number {
	uint64_t v;
	bool neg, frac, overflow; /* frac: a fraction or an exponent */
	const unsigned char *tok; /* where it starts */
};

static bool number_is_uint(const struct number *n)
{
	return !n->neg && !n->frac && !n->overflow;
}

static bool read_digits(struct reader *r, const char *what)
{
	if (r->p >= r->end || *r->p < '0' || *r->p > '9') {
		syntax(r, what);
		return false;
	}
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
		r->p++;
	return true;
}

static bool read_number(struct reader *r, struct number *n)
{
	memset(n, 0, sizeof(*n));
	n->tok = r->p;
	if (r->p < r->end && *r->p == '-') {
		n->neg = true;
		r->p++;
	}
	if (r->p >= r->end || *r->p < '0' || *r->p > '9') {
		syntax(r, "expected a digit");
		return false;
	}
	if (*r->p == '0') {
		r->p++;
	} else {
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
			unsigned d = (unsigned)(*r->p - '0');

			if (n->v > (UINT64_MAX - d) / 10)
				n->overflow = true;
			else
				n->v = n->v * 10 + d;
			r->p++;
		}
	}
	if (r->p < r->end && *r->p == '.') {
		n->frac = true;
		r->p++;
		if (!read_digits(r, "expected a digit after '.'"))
			return false;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		n->frac = true;
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (!read_digits(r, "expected a digit in the exponent"))
			return false;
	}
	return true;
}

static bool read_literal(struct reader *r, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, lit, n) != 0) {
		syntax(r, "expected a JSON value");
		return false;
	}
	r->p += n;
	return true;
}

static bool skip_value(struct reader *r, int depth);

/* Skip an object or array (r->p at '{' or '['). */
static bool skip_container(struct reader *r, int depth)
{
	bool obj = *r->p == '{';
	unsigned char close = obj ? '}' : ']';

	if (depth >= TURTLE_NEST_MAX) {
		failf(r, TURTLE_META_MALFORMED,
		      "values nested deeper than %d levels (byte %zu)",
		      TURTLE_NEST_MAX, offset(r));
		return false;
	}
	r->p++;
	skip_ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return true;
	}
	for (;;) {
		if (obj) {
			skip_ws(r);
			if (!read_string(r, NULL) ||
			    !expect(r, ':', "expected ':'"))
				return false;
		}
		if (!skip_value(r, depth + 1))
			return false;
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			return true;
		}
		syntax(r, obj ? "expected ',' or '}'" : "expected ',' or ']'");
		return false;
	}
}

/* Validate and skip any JSON value. */
static bool skip_value(struct reader *r, int depth)
{
	struct number n;

	skip_ws(r);
	if (r->p >= r->end) {
		syntax(r, "expected a value");
		return false;
	}
	switch (*r->p) {
	case '"':
		return read_string(r, NULL);
	case '{':
	case '[':
		return skip_container(r, depth);
	case 't':
		return read_literal(r, "true");
	case 'f':
		return read_literal(r, "false");
	case 'n':
		return read_literal(r, "null");
	default:
		return read_number(r, &n);
	}
}

/* An unsigned integer value of at most MAX for KEY. */
static bool read_uint_value(struct reader *r, const char *key, uint64_t max,
			    uint64_t *ret)
{
	struct number n;

	skip_ws(r);
	if (r->p < r->end && *r->p != '-' && (*r->p < '0' || *r->p > '9')) {
		failf(r, TURTLE_META_MALFORMED,
		      "key \"%s\" must be a number (byte %zu)", key, offset(r));
		return false;
	}
	if (!read_number(r, &n))
		return false;
	if (!number_is_uint(&n) || n.v > max) {
		failf(r, TURTLE_META_MALFORMED,
		      "key \"%s\" must be an integer from 0 to %llu", key,
		      (unsigned long long)max);
		return false;
	}
	*ret = n.v;
	return true;
}

/* Skip white space, then true if the array/object continues (after ','),
 * false at CLOSE (consumed) or on error (r->failed). */
static bool next_member(struct reader *r, unsigned char close)
{
	skip_ws(r);
	if (r->p < r->end && *r->p == ',') {
		r->p++;
		return true;
	}
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return false;
	}
	syntax(r, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
	return false;
}

/* Read an object key (r->p before it) into KEY (cut: never matches). */
static bool read_key(struct reader *r, char key[KEY_MAX + 1])
{
	struct strbuf sb = { .buf = key, .cap = KEY_MAX };

	skip_ws(r);
	if (!read_string(r, &sb))
		return false;
	/* a cut key matches nothing: no known key is empty */
	key[sb.cut ? 0 : sb.len] = '\0';
	return expect(r, ':', "expected ':' after a key");
}

/* --- the lineage and the members --- */

static bool read_level(struct reader *r, size_t idx, struct turtle_level *lv)
{
	char key[KEY_MAX + 1];
	char what[64];

	skip_ws(r);
	if (r->p < r->end && *r->p != '{') {
		failf(r, TURTLE_META_MALFORMED,
		      "lineage level %zu must be an object (byte %zu)", idx,
		      offset(r));
		return false;
	}
	if (!expect(r, '{', "expected a lineage level"))
		return false;
	skip_ws(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
	} else {
		do {
			const char **dst = NULL;

			if (!read_key(r, key))
				return false;
			if (strcmp(key, TURTLE_META_LVL_KIND) == 0)
				dst = &lv->kind;
			else if (strcmp(key, TURTLE_META_LVL_NAME) == 0)
				dst = &lv->name;
			else if (strcmp(key, TURTLE_META_LVL_ENGINE) == 0)
				dst = &lv->engine;
			else if (strcmp(key, TURTLE_META_LVL_ID) == 0)
				dst = &lv->id;
			if (!dst) {
				if (!skip_value(r, 2))
					return false;
				continue;
			}
			if (*dst) {
				failf(r, TURTLE_META_MALFORMED,
				      "lineage level %zu: key \"%s\" twice",
				      idx, key);
				return false;
			}
			snprintf(what, sizeof(what), "%s.%zu.%s",
				 TURTLE_META_KEY_LINEAGE, idx, key);
			if (!read_string_value(r, what, dst))
				return false;
		} while (next_member(r, '}'));
		if (r->failed)
			return false;
	}
	if (!lv->kind || !lv->name) {
		failf(r, TURTLE_META_MALFORMED,
		      "lineage level %zu has no \"%s\"", idx,
		      !lv->kind ? TURTLE_META_LVL_KIND : TURTLE_META_LVL_NAME);
		return false;
	}
	return true;
}

static bool read_lineage(struct reader *r)
{
	struct turtle_meta *m = r->m;

	skip_ws(r);
	if (r->p < r->end && *r->p != '[') {
		failf(r, TURTLE_META_MALFORMED,
		      "key \"%s\" must be an array (byte %zu)",
		      TURTLE_META_KEY_LINEAGE, offset(r));
		return false;
	}
	if (!expect(r, '[', "expected the lineage"))
		return false;
	m->levels = ralloc(r, TURTLE_LEVELS_MAX * sizeof(*m->levels));
	if (!m->levels)
		return false;
	memset(m->levels, 0, TURTLE_LEVELS_MAX * sizeof(*m->levels));
	skip_ws(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		return true; /* empty: reported as missing by the caller */
	}
	do {
		if (m->n_levels == TURTLE_LEVELS_MAX) {
			failf(r, TURTLE_META_MALFORMED,
			      "lineage deeper than %d levels",
			      TURTLE_LEVELS_MAX);
			return false;
		}
		if (!read_level(r, m->n_levels, &m->levels[m->n_levels]))
			return false;
		m->n_levels++;
	} while (next_member(r, ']'));
	return !r->failed;
}

static bool read_members(struct reader *r)
{
	struct turtle_meta *m = r->m;

	skip_ws(r);
	if (r->p < r->end && *r->p != '[') {
		failf(r, TURTLE_META_MALFORMED,
		      "key \"%s\" must be an array of strings (byte %zu)",
		      TURTLE_META_KEY_MEMBERS, offset(r));
		return false;
	}
	if (!expect(r, '[', "expected the members"))
		return false;
	m->members = ralloc(r, TURTLE_MEMBERS_MAX * sizeof(*m->members));
	if (!m->members)
		return false;
	skip_ws(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		return true;
	}
	do {
		const char *s = NULL;

		if (!read_string_value(r, TURTLE_META_KEY_MEMBERS, &s))
			return false;
		if (m->n_members < TURTLE_MEMBERS_MAX)
			m->members[m->n_members++] = s;
		else
			warnf(r, TURTLE_WARN_MEMBERS,
			      "more than %d members: the others are not shown",
			      TURTLE_MEMBERS_MAX);
	} while (next_member(r, ']'));
	return !r->failed;
}

/* --- the top-level object --- */

enum vtype { V_STR, V_U32, V_U64, V_LINEAGE, V_MEMBERS };

struct key_def {
	const char *key;
	enum vtype type;
	size_t off;	/* of the value in struct turtle_meta */
	size_t has_off; /* of its bool has_..., or 0 */
	bool required;
};

#define STR(k, f)                                                   \
	{                                                           \
		k, V_STR, offsetof(struct turtle_meta, f), 0, false \
	}
#define REQ_STR(k, f)                                              \
	{                                                          \
		k, V_STR, offsetof(struct turtle_meta, f), 0, true \
	}
#define U32(k, f)                                                    \
	{                                                            \
		k, V_U32, offsetof(struct turtle_meta, f),           \
			offsetof(struct turtle_meta, has_##f), false \
	}

static const struct key_def keys[] = {
	REQ_STR(TURTLE_META_KEY_HOST, host),
	REQ_STR(TURTLE_META_KEY_TARGET, target),
	REQ_STR(TURTLE_META_KEY_KIND, kind),
	{ TURTLE_META_KEY_NETNS, V_U64, offsetof(struct turtle_meta, netns), 0,
	  true },
	{ TURTLE_META_KEY_LINEAGE, V_LINEAGE, 0, 0, true },
	STR(TURTLE_META_KEY_NAME, name),
	U32(TURTLE_META_KEY_PID, pid),
	STR(TURTLE_META_KEY_COMM, comm),
	STR(TURTLE_META_KEY_IF, ifname),
	U32(TURTLE_META_KEY_IFINDEX, ifindex),
	STR(TURTLE_META_KEY_LINK, link),
	STR(TURTLE_META_KEY_IFKIND, ifkind),
	STR(TURTLE_META_KEY_CONTAINER, container),
	STR(TURTLE_META_KEY_ID, id),
	STR(TURTLE_META_KEY_ENGINE, engine),
	STR(TURTLE_META_KEY_ENGINE_VERSION, engine_version),
	STR(TURTLE_META_KEY_IMAGE, image),
	STR(TURTLE_META_KEY_POD, pod),
	STR(TURTLE_META_KEY_POD_NAMESPACE, pod_namespace),
	{ TURTLE_META_KEY_MEMBERS, V_MEMBERS, 0, 0, false },
};
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

static bool read_known(struct reader *r, const struct key_def *k)
{
	char *base = (char *)r->m;
	uint64_t v;

	switch (k->type) {
	case V_STR:
		return read_string_value(
			r, k->key, (const char **)(void *)(base + k->off));
	case V_U32:
		if (!read_uint_value(r, k->key, UINT32_MAX, &v))
			return false;
		*(uint32_t *)(void *)(base + k->off) = (uint32_t)v;
		*(bool *)(void *)(base + k->has_off) = true;
		return true;
	case V_U64:
		if (!read_uint_value(r, k->key, UINT64_MAX, &v))
			return false;
		*(uint64_t *)(void *)(base + k->off) = v;
		return true;
	case V_LINEAGE:
		return read_lineage(r);
	case V_MEMBERS:
		return read_members(r);
	}
	return false;
}

/* The members after the version, up to and including the closing '}'. */
static bool read_members_of_root(struct reader *r)
{
	bool seen[N_KEYS] = { false };
	char key[KEY_MAX + 1];

	while (next_member(r, '}')) {
		size_t i;

		if (!read_key(r, key))
			return false;
		if (strcmp(key, TURTLE_META_KEY_VERSION) == 0) {
			failf(r, TURTLE_META_MALFORMED, "key \"%s\" twice",
			      TURTLE_META_KEY_VERSION);
			return false;
		}
		for (i = 0; i < N_KEYS; i++)
			if (strcmp(key, keys[i].key) == 0)
				break;
		if (i == N_KEYS) {
			if (!skip_value(r, 1)) /* unknown keys are ignored */
				return false;
			continue;
		}
		if (seen[i]) {
			failf(r, TURTLE_META_MALFORMED, "key \"%s\" twice",
			      keys[i].key);
			return false;
		}
		seen[i] = true;
		if (!read_known(r, &keys[i]))
			return false;
	}
	if (r->failed)
		return false;
	for (size_t i = 0; i < N_KEYS; i++) {
		if (keys[i].required && !seen[i]) {
			failf(r, TURTLE_META_MALFORMED,
			      "required key \"%s\" missing", keys[i].key);
			return false;
		}
	}
	return true;
}

/* Version right after the prefix: checked before anything else, so a newer
 * format is reported as such whatever follows it. */
static bool read_version(struct reader *r)
{
	struct number n;
	int toklen;

	skip_ws(r);
	if (r->p < r->end && (*r->p < '0' || *r->p > '9') && *r->p != '-') {
		failf(r, TURTLE_META_MALFORMED,
		      "the format version (\"%s\") must be a number",
		      TURTLE_META_KEY_VERSION);
		return false;
	}
	if (!read_number(r, &n))
		return false;
	toklen = r->p - n.tok > 24 ? 24 : (int)(r->p - n.tok);
	if (!n.neg && !n.frac && (n.overflow || n.v > TURTLE_META_VERSION)) {
		r->m->version = n.overflow ? UINT64_MAX : n.v;
		failf(r, TURTLE_META_FUTURE,
		      "format version %.*s%s is newer than this plugin reads "
		      "(%d): update the plugin",
		      toklen, (const char *)n.tok, n.overflow ? "..." : "",
		      TURTLE_META_VERSION);
		return false;
	}
	if (!number_is_uint(&n) || n.v == 0) {
		failf(r, TURTLE_META_MALFORMED,
		      "the format version must be an integer from 1 (found "
		      "%.*s)",
		      toklen, (const char *)n.tok);
		return false;
	}
	r->m->version = n.v;
	return true;
}

static char *join_lineage(struct reader *r)
{
	const struct turtle_meta *m = r->m;
	size_t seplen = strlen(TURTLE_LINEAGE_SEP), n = 0;
	char *s, *p;

	for (size_t i = 0; i < m->n_levels; i++)
		n += strlen(m->levels[i].name) + (i ? seplen : 0);
	s = ralloc(r, n + 1);
	if (!s)
		return NULL;
	p = s;
	for (size_t i = 0; i < m->n_levels; i++) {
		size_t l = strlen(m->levels[i].name);

		if (i) {
			memcpy(p, TURTLE_LINEAGE_SEP, seplen);
			p += seplen;
		}
		memcpy(p, m->levels[i].name, l);
		p += l;
	}
	*p = '\0';
	return s;
}

static bool derive(struct reader *r)
{
	struct turtle_meta *m = r->m;

	if (m->n_levels == 0) {
		failf(r, TURTLE_META_MALFORMED,
		      "the lineage is empty (the host level is missing)");
		return false;
	}
	m->lineage = join_lineage(r);
	if (!m->lineage)
		return false;
	if (m->name) {
		m->target_name = m->name;
	} else if (m->container) {
		m->target_name = m->container;
	} else if (strcmp(m->kind, "host") == 0) {
		m->target_name = m->host;
	} else {
		char *s = ralloc(r, 24);

		if (!s)
			return false;
		snprintf(s, 24, "%llu", (unsigned long long)m->netns);
		m->target_name = s;
	}
	return true;
}

int turtle_meta_parse(const char *desc, size_t len, struct turtle_meta *ret,
		      turtle_alloc_fn alloc, void *ctx)
{
	const size_t plen = sizeof(TURTLE_META_PREFIX) - 1;
	struct reader r = { .m = ret, .alloc = alloc, .ctx = ctx };

	memset(ret, 0, sizeof(*ret));
	if (!desc || len < plen ||
	    memcmp(desc, TURTLE_META_PREFIX, plen) != 0) {
		ret->status = TURTLE_META_NOT_OURS;
		return 0;
	}
	ret->status = TURTLE_META_OK;
	if (len > TURTLE_META_MAX_LEN) {
		failf(&r, TURTLE_META_MALFORMED,
		      "the description is %zu bytes long, over the format's "
		      "limit of %d",
		      len, TURTLE_META_MAX_LEN);
		return 0;
	}
	r.start = (const unsigned char *)desc;
	r.p = r.start + plen;
	r.end = r.start + len;
	if (read_version(&r) && read_members_of_root(&r)) {
		skip_ws(&r);
		if (r.p < r.end)
			failf(&r, TURTLE_META_MALFORMED,
			      "%zu bytes of trailing data after the JSON "
			      "object (byte %zu)",
			      (size_t)(r.end - r.p), offset(&r));
		else
			derive(&r);
	}
	if (r.nomem)
		return -ENOMEM;
	if (ret->status != TURTLE_META_OK)
		ret->warnings = 0;
	return 0;
}
