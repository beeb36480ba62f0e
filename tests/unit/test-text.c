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

int main(int argc, char **argv)
{
	static const char *roundtrip[] = { "blue",	"with space", "a.b_c",
					   "d\xff\xfe", "d\xc3\xbc",  "nl\nx",
					   "-",		"x{y}" };
	char *out;

	tap_init(argc, argv);

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
