/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the pcapng relay (src/remote/relay.c), which copies
 * whatever the other end of ssh sends to Wireshark's fifo. The input's
 * first byte says how to cut the rest (the stream) into chunks, and
 * whether they come through a pipe and relay_read() as in a capture or
 * through relay_push(). Besides crashes and sanitizer reports (the bytes
 * buffered past what was read are poisoned during each flush: no read past
 * them), it checks what callers rely on (abort() when broken):
 *   - what is written is a prefix of the stream, r.bytes long, made of
 *     whole well-framed blocks (a section header first, lengths in bounds
 *     and repeated at each block's end): always a valid pcapng file;
 *   - it is the longest such prefix, and the relay fails (-EPROTO, one
 *     line) exactly when the next block is detectably not pcapng;
 *   - how the stream is cut changes nothing: the same bytes, the same end.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pcapng.h"
#include "relay.h"
#include "util.h"

#if defined(__SANITIZE_ADDRESS__)
#define TC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TC_ASAN 1
#endif
#endif
#ifdef TC_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n)   ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n)   ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PIPE_CHUNK_MAX 65536 /* what one write to an empty pipe takes */

static uint32_t rd32(const uint8_t *p, bool be)
{
	return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
			       (uint32_t)p[2] << 8 | p[3]
		  : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
			       (uint32_t)p[1] << 8 | p[0];
}

/* The framing rules, from the spec: how long the prefix of whole valid
 * blocks is, and whether what follows it is known not to be pcapng (a bad
 * header, or a whole block whose trailing length differs). */
static size_t framed(const uint8_t *s, size_t n, bool *ret_bad)
{
	bool be = false, shb = false;
	size_t off = 0;

	*ret_bad = false;
	while (n - off >= 12) {
		const uint8_t *b = s + off;
		uint32_t len;

		if (rd32(b, false) == PCAPNG_BT_SHB) {
			if (rd32(b + 8, false) != PCAPNG_BYTE_ORDER_MAGIC &&
			    rd32(b + 8, true) != PCAPNG_BYTE_ORDER_MAGIC)
				break;
			be = rd32(b + 8, true) == PCAPNG_BYTE_ORDER_MAGIC;
			shb = true;
		} else if (!shb) {
			break;
		}
		len = rd32(b + 4, be);
		if (len < 12 || len % 4 || len > PCAPNG_BLOCK_MAX)
			break;
		if (n - off < len)
			return off;
		if (rd32(b + len - 4, be) != len)
			break;
		off += len;
	}
	*ret_bad = n - off >= 12;
	return off;
}

struct outcome {
	int err;
	size_t written, buffered;
};

static int out_fd = -1;

/* Poisoned outside [buf, buf + len) while the relay flushes. */
static int flush(struct relay *r, char **msg)
{
	int k;

	POISON(r->buf + r->len, r->cap - r->len);
	k = relay_flush(r, out_fd, msg);
	UNPOISON(r->buf, r->cap);
	return k;
}

/* Relay s in chunks of at most max bytes (sizes from the seed), through a
 * pipe or not; check what was written. */
static struct outcome run(const uint8_t *s, size_t n, size_t max, uint32_t seed,
			  bool piped)
{
	struct relay r = { 0 };
	struct outcome o = { 0 };
	_cleanup_free_ uint8_t *got = NULL;
	int p[2] = { -1, -1 };
	size_t off = 0;

	if (ftruncate(out_fd, 0) < 0 || lseek(out_fd, 0, SEEK_SET) < 0)
		abort();
	if (piped && pipe(p) < 0)
		abort();
	while (off < n && o.err == 0) {
		size_t c = max;
		char *msg = NULL;

		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		if (max > 1)
			c = 1 + seed % max;
		if (c > n - off)
			c = n - off;
		if (piped) {
			size_t want = r.len + c;

			if (write_all(p[1], s + off, c) < 0)
				abort();
			while (r.len < want)
				if (relay_read(&r, p[0]) != 1)
					abort();
		} else if (relay_push(&r, s + off, c) < 0) {
			abort();
		}
		off += c;
		o.err = flush(&r, &msg);
		if (o.err != 0 && o.err != -EPROTO)
			abort();
		/* one line, and only with an error */
		if ((o.err != 0) != (msg != NULL) ||
		    (msg && (!*msg || strchr(msg, '\n'))))
			abort();
		free(msg);
	}
	closep(&p[0]);
	closep(&p[1]);
	o.written = (size_t)lseek(out_fd, 0, SEEK_CUR);
	o.buffered = r.len;
	if (o.written != r.bytes)
		abort();
	/* a prefix of the stream, whole blocks */
	got = malloc(o.written + 1);
	if (!got ||
	    pread(out_fd, got, o.written + 1, 0) != (ssize_t)o.written ||
	    memcmp(got, s, o.written) != 0)
		abort();
	/* nothing written is lost, nothing is buffered twice */
	if (o.err == 0 && o.written + o.buffered != n)
		abort();
	relay_clear(&r);
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t maxes[] = {
		1, 3, 16, 64, 512, 4096, PIPE_CHUNK_MAX, SIZE_MAX
	};
	struct outcome whole, cut;
	size_t n, max, expect;
	bool bad, piped;

	if (size < 1)
		return 0;
	if (out_fd < 0) {
		out_fd = memfd_create("fuzz-relay", MFD_CLOEXEC);
		if (out_fd < 0)
			abort();
	}
	n = size - 1;
	max = maxes[data[0] & 7];
	piped = data[0] & 8;
	if (piped && max > PIPE_CHUNK_MAX)
		max = PIPE_CHUNK_MAX;
	expect = framed(data + 1, n, &bad);
	whole = run(data + 1, n, n ? n : 1, 1, false);
	cut = run(data + 1, n, max, 0x9e3779b9U ^ data[0], piped);
	if (whole.written != expect || whole.err != (bad ? -EPROTO : 0) ||
	    cut.written != whole.written || cut.err != whole.err ||
	    (!bad && cut.buffered != n - expect))
		abort();
	/* what was written frames on its own: a valid file */
	if (framed(data + 1, expect, &bad) != expect || bad)
		abort();
	return 0;
}
