/* SPDX-License-Identifier: MIT */
/* The pcapng relay (relay.h): a buffer of what the remote sent, written
 * out a whole, well-framed block at a time. */
#include "relay.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcapng.h"
#include "util.h"

#define BUF_FIRST (256U << 10)
#define READ_MIN  (64U << 10)
/* a partial block of the largest size and one read: more is not pcapng */
#define BUF_MAX (2 * PCAPNG_BLOCK_MAX + BUF_FIRST)

static uint32_t get32(const unsigned char *p, bool be)
{
	return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
			       (uint32_t)p[2] << 8 | p[3]
		  : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
			       (uint32_t)p[1] << 8 | p[0];
}

/* Room for want more bytes, doubling. */
static int reserve(struct relay *r, size_t want)
{
	size_t nc = r->cap ? r->cap : BUF_FIRST;
	unsigned char *nb;

	if (r->cap - r->len >= want)
		return 0;
	while (nc - r->len < want) {
		if (nc > BUF_MAX)
			return -EPROTO;
		nc *= 2;
	}
	if (nc > BUF_MAX)
		return -EPROTO;
	nb = realloc(r->buf, nc);
	if (!nb)
		return -ENOMEM;
	r->buf = nb;
	r->cap = nc;
	return 0;
}

int relay_read(struct relay *r, int fd)
{
	ssize_t n;
	int k = reserve(r, READ_MIN);

	if (k < 0)
		return k;
	n = read(fd, r->buf + r->len, r->cap - r->len);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : negerrno();
	r->len += (size_t)n;
	return n > 0;
}

int relay_push(struct relay *r, const void *data, size_t len)
{
	int k = reserve(r, len);

	if (k < 0)
		return k;
	if (len)
		memcpy(r->buf + r->len, data, len);
	r->len += len;
	return 0;
}

int relay_flush(struct relay *r, int out_fd, char **ret_msg)
{
	size_t off = 0;
	int k = 0;

	while (r->len - off >= PCAPNG_BLOCK_MIN) {
		const unsigned char *b = r->buf + off;
		uint32_t len, trail;

		if (get32(b, false) == PCAPNG_BT_SHB) {
			/* the type reads the same in both orders; the byte
			 * order magic tells the section's */
			if (get32(b + 8, false) == PCAPNG_BYTE_ORDER_MAGIC)
				r->big_endian = false;
			else if (get32(b + 8, true) == PCAPNG_BYTE_ORDER_MAGIC)
				r->big_endian = true;
			else
				goto not_pcapng;
			r->seen_shb = true;
		} else if (!r->seen_shb) {
			goto not_pcapng;
		}
		len = get32(b + 4, r->big_endian);
		if (len < PCAPNG_BLOCK_MIN || len % 4 || len > PCAPNG_BLOCK_MAX)
			goto not_pcapng;
		if (r->len - off < len)
			break;
		/* the lengths disagree: one is wrong, so is the framing of
		 * what follows, and Wireshark rejects the block */
		trail = get32(b + len - 4, r->big_endian);
		if (trail != len) {
			set_msg(ret_msg,
				"the remote's pcapng is corrupt: the block at byte %llu has trailing length %u but leading length %u",
				r->bytes, trail, len);
			k = -EPROTO;
			break;
		}
		k = write_all(out_fd, b, len);
		if (k < 0)
			break;
		r->bytes += len;
		off += len;
	}
	memmove(r->buf, r->buf + off, r->len - off);
	r->len -= off;
	return k;
not_pcapng:
	memmove(r->buf, r->buf + off, r->len - off);
	r->len -= off;
	set_msg(ret_msg,
		"the remote's output is not pcapng (does a login script print something?)");
	return -EPROTO;
}

void relay_discard(struct relay *r)
{
	r->len = 0;
}

void relay_clear(struct relay *r)
{
	free(r->buf);
	*r = (struct relay){ 0 };
}
