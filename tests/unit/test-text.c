/* SPDX-License-Identifier: MIT */
#include "tap.h"
#include "text.h"

static char *human(const char *s)
{
	struct sbuf sb = { 0 };

	sbuf_put_human(&sb, s);
	return sbuf_take(&sb);
}

static char *extcap(const char *s)
{
	struct sbuf sb = { 0 };

	sbuf_put_extcap(&sb, s);
	return sbuf_take(&sb);
}

static char *json(const char *s)
{
	struct sbuf sb = { 0 };

	sbuf_put_json(&sb, s);
	return sbuf_take(&sb);
}

static char *value(const char *s)
{
	struct sbuf sb = { 0 };

	sbuf_put_value(&sb, s);
	return sbuf_take(&sb);
}

#define CHECK_FN(fn, in, out)         \
	do {                          \
		char *_s = fn(in);    \
		CHECK_STREQ(_s, out); \
		free(_s);             \
	} while (0)

/* UTF-8 of code point cp (< 0x10000) */
static void utf8_of(unsigned int cp, char out[4])
{
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		out[2] = '\0';
	} else {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		out[3] = '\0';
	}
}

/* Each line or paragraph break and bidi control is written \uXXXX by the
 * human, extcap and JSON writers; its neighbours pass unchanged. */
static void unsafe_code_points(void)
{
	static const unsigned int bad[] = { 0x061C, 0x200E, 0x200F, 0x2028,
					    0x2029, 0x202A, 0x202B, 0x202C,
					    0x202D, 0x202E, 0x2066, 0x2067,
					    0x2068, 0x2069 };
	static const unsigned int good[] = { 0x00A0, 0x061B, 0x061D, 0x200D,
					     0x2010, 0x2027, 0x202F, 0x2065,
					     0x206A, 0x00FF };
	char in[16], want[32], c[4];

	for (unsigned int cp = 0x80; cp <= 0x9F + 14; cp++) {
		unsigned int x = cp <= 0x9F ? cp : bad[cp - 0xA0];
		char *h, *e, *j;

		utf8_of(x, c);
		snprintf(in, sizeof(in), "a%sb", c);
		snprintf(want, sizeof(want), "a\\u%04xb", x);
		h = human(in);
		e = extcap(in);
		j = json(in);
		CHECK_MSG(h && strcmp(h, want) == 0, "human U+%04X: %s", x, h);
		CHECK_MSG(e && strcmp(e, want) == 0, "extcap U+%04X: %s", x, e);
		snprintf(want, sizeof(want), "\"a\\u%04xb\"", x);
		CHECK_MSG(j && strcmp(j, want) == 0, "json U+%04X: %s", x, j);
		CHECK_MSG(!text_extcap_plain(in), "plain U+%04X", x);
		free(h);
		free(e);
		free(j);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		utf8_of(good[i], c);
		snprintf(in, sizeof(in), "a%sb", c);
		CHECK_FN(human, in, in);
		CHECK_FN(extcap, in, in);
		CHECK_MSG(text_extcap_plain(in), "plain U+%04X", good[i]);
	}
	/* the ASCII breaks: \r \n \v \f and the other C0 controls, DEL */
	CHECK_FN(extcap, "a\r\n\v\f\x1c\x7f",
		 "a\\x0d\\x0a\\x0b\\x0c\\x1c\\x7f");
	CHECK(!text_extcap_plain("a\rb") && !text_extcap_plain("x{") &&
	      !text_extcap_plain("\xff") && text_extcap_plain("d\xc3\xbc"));
}

static char *hex(const unsigned char *md, size_t n)
{
	struct sbuf sb = { 0 };

	for (size_t i = 0; i < n; i++)
		sbuf_printf(&sb, "%02x", md[i]);
	return sbuf_take(&sb);
}

static void sha256_vectors(void)
{
	/* FIPS 180-4 examples, and the lengths around a padding block */
	static const struct {
		const char *in, *md;
	} v[] = {
		{ "",
		  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc",
		  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	unsigned char md[32];
	char *h;

	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		text_sha256(v[i].in, strlen(v[i].in), md);
		h = hex(md, 32);
		CHECK_STREQ(h, v[i].md);
		free(h);
	}
	{
		char *m = malloc(1000000);

		memset(m, 'a', 1000000);
		text_sha256(m, 1000000, md);
		h = hex(md, 32);
		CHECK_STREQ(
			h,
			"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
		free(h);
		free(m);
	}
}

/* Long values: at most max, stable, distinct, never half an escape. */
static void short_values(void)
{
	char a[400], b[400], *sa, *sa2, *sb, *same;

	same = value_shorten("tc-docker-web", 40);
	CHECK_STREQ(same, "tc-docker-web");
	CHECK(!value_is_short(same));
	free(same);
	memset(a, 'x', sizeof(a) - 1);
	a[sizeof(a) - 1] = '\0';
	memcpy(b, a, sizeof(a));
	b[398] = 'y'; /* the same for the first 398 bytes */
	sa = value_shorten(a, 200);
	sa2 = value_shorten(a, 200);
	sb = value_shorten(b, 200);
	CHECK(sa && sb && sa2);
	CHECK_EQ(strlen(sa), 200);
	CHECK_STREQ(sa, sa2);
	CHECK(strcmp(sa, sb) != 0);
	CHECK(strncmp(sa, a, 200 - 2 - VALUE_HASH_HEX) == 0);
	CHECK(strstr(sa, VALUE_HASH_SEP) == sa + 200 - 2 - VALUE_HASH_HEX);
	CHECK(value_is_short(sa) && value_is_short(sb));
	free(sa);
	free(sa2);
	free(sb);
	/* the cut never leaves "_" or "_x" of an escape at the end */
	for (size_t at = 170; at < 190; at++) {
		char v[300];

		memset(v, 'x', sizeof(v) - 1);
		v[sizeof(v) - 1] = '\0';
		memcpy(v + at, "_20", 3);
		sa = value_shorten(v, 200);
		CHECK(sa && strlen(sa) <= 200 && value_is_short(sa));
		if (sa) {
			size_t k = strlen(sa) - 2 - VALUE_HASH_HEX;

			CHECK_MSG(k >= 3 && sa[k - 1] != '_' &&
					  sa[k - 2] != '_',
				  "cut at %zu: %s", at, sa);
		}
		free(sa);
	}
	CHECK(!value_is_short("tc-netns-a_5f_5fb"));
	CHECK(!value_is_short("tc-x__0123456789abcdeF"));
	CHECK(!value_is_short("__0123456789abcdef"));
	CHECK(value_is_short("a__0123456789abcdef"));
}

/* The bounded JSON writer: whole characters, both bounds held. */
static void json_bounds(void)
{
	struct sbuf sb = { 0 };

	sbuf_put_json_max(&sb, "abcdef", 4, 100);
	CHECK_STREQ(sb.s, "\"abcd\"");
	sbuf_free(&sb);
	sbuf_put_json_max(&sb, "a\x01b", 100, 6); /* \u0001 is 6 */
	CHECK_STREQ(sb.s, "\"a\"");
	sbuf_free(&sb);
	sbuf_put_json_max(&sb, "d\xc3\xbcx", 2, 100); /* not half a ü */
	CHECK_STREQ(sb.s, "\"d\"");
	sbuf_free(&sb);
	sbuf_put_json_max(&sb, "\xff\xff", 7, 100); /* \\xff: 4 as text */
	CHECK_STREQ(sb.s, "\"\\\\xff\"");
	sbuf_free(&sb);
}

int main(int argc, char **argv)
{
	static const char *roundtrip[] = { "blue",	"with space", "a.b_c",
					   "d\xff\xfe", "d\xc3\xbc",  "nl\nx",
					   "-",		"x{y}" };
	char *out;

	tap_init(argc, argv);
	unsafe_code_points();
	sha256_vectors();
	short_values();
	json_bounds();

	CHECK(utf8_valid("d\xc3\xbc", 3));
	CHECK(!utf8_valid("\xff", 1));
	CHECK(!utf8_valid("\xc0\xaf", 2));	   /* overlong '/' */
	CHECK(!utf8_valid("\xed\xa0\x80", 3));	   /* surrogate */
	CHECK(!utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	CHECK(!utf8_valid("\xe2\x82", 2));	   /* truncated */
	CHECK(utf8_valid("\xf0\x9f\x90\xa2", 4));  /* turtle */

	CHECK_FN(human, "plain", "plain");
	CHECK_FN(human, "", "");
	CHECK_FN(value, "", "");
	CHECK_FN(human, "a\nb\x01\xff", "a\\x0ab\\x01\\xff");
	CHECK_FN(human, "d\xc3\xbc", "d\xc3\xbc");
	CHECK_FN(extcap, "x{y}z", "x(y)z");
	CHECK_FN(extcap, "}{display=evil}", ")(display=evil)");
	CHECK_FN(json, "a\"b\\c\n\t\x01", "\"a\\\"b\\\\c\\n\\t\\u0001\"");
	CHECK_FN(json, "d\xff", "\"d\\\\xff\"");
	CHECK_FN(json, "d\xc3\xbc", "\"d\xc3\xbc\"");
	CHECK_FN(value, "blue", "blue");
	CHECK_FN(value, "with space", "with_20space");
	CHECK_FN(value, "a.b_c", "a_2eb_5fc");
	CHECK_FN(value, "d\xff", "d_ff");

	for (size_t i = 0; i < sizeof(roundtrip) / sizeof(*roundtrip); i++) {
		char *v = value(roundtrip[i]);

		out = NULL;
		CHECK(value_unescape(v, strlen(v), &out) == 0);
		CHECK_STREQ(out, roundtrip[i]);
		free(out);
		free(v);
	}
	out = text_human_cut("abc\ndef", 4);
	CHECK_STREQ(out, "abc\\...");
	free(out);
	out = text_human_cut("d\xc3\xbc\xc3\xbc",
			     2); /* never cuts a sequence */
	CHECK_STREQ(out, "d...");
	free(out);
	out = text_human_cut("", 4);
	CHECK_STREQ(out, "");
	free(out);

	/* malformed or non-canonical escapes are rejected */
	CHECK(value_unescape("a_2", 3, &out) == -EINVAL);
	CHECK(value_unescape("a_zz", 4, &out) == -EINVAL);
	CHECK(value_unescape("a_41", 4, &out) == -EINVAL); /* 'A' is plain */
	CHECK(value_unescape("a_00", 4, &out) == -EINVAL);
	CHECK(value_unescape("a.b", 3, &out) == -EINVAL);
	CHECK(value_unescape("a_2E", 4, &out) == -EINVAL); /* upper-case hex */

	{
		struct sbuf sb = { 0 };

		sbuf_printf(&sb, "%d-%s", 42, "x");
		for (int i = 0; i < 1000; i++)
			sbuf_putc(&sb, 'y');
		CHECK_EQ(sb.len, 1004);
		CHECK(strncmp(sb.s, "42-xyyy", 7) == 0);
		sbuf_free(&sb);
	}
	return tap_done();
}
