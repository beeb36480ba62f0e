/* SPDX-License-Identifier: MIT */
/* A protobuf writer for the tests: what a lying engine sends, written by
 * hand (nothing shared with the decoder under test). */
#ifndef TURTLECAP_PBW_H
#define TURTLECAP_PBW_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct pbw {
	uint8_t *b;
	size_t n, cap;
};

static inline void pbw_raw(struct pbw *w, const void *p, size_t n)
{
	if (w->n + n > w->cap) {
		size_t cap = w->cap ? w->cap : 64;

		while (cap < w->n + n)
			cap *= 2;
		w->b = realloc(w->b, cap);
		if (!w->b)
			abort();
		w->cap = cap;
	}
	if (n)
		memcpy(w->b + w->n, p, n);
	w->n += n;
}

static inline void pbw_varint(struct pbw *w, uint64_t v)
{
	uint8_t b;

	do {
		b = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			b |= 0x80;
		pbw_raw(w, &b, 1);
	} while (v);
}

static inline void pbw_bytes(struct pbw *w, unsigned field, const void *p,
			     size_t n)
{
	pbw_varint(w, (uint64_t)field << 3 | 2);
	pbw_varint(w, n);
	pbw_raw(w, p, n);
}

static inline void pbw_str(struct pbw *w, unsigned field, const char *s)
{
	pbw_bytes(w, field, s, strlen(s));
}

static inline void pbw_msg(struct pbw *w, unsigned field, const struct pbw *m)
{
	pbw_bytes(w, field, m->b, m->n);
}

static inline void pbw_uint(struct pbw *w, unsigned field, uint64_t v)
{
	pbw_varint(w, (uint64_t)field << 3);
	pbw_varint(w, v);
}

static inline void pbw_free(struct pbw *w)
{
	free(w->b);
	*w = (struct pbw){ 0 };
}

#endif
