/* SPDX-License-Identifier: MIT */
/* The pcapng relay (src/remote/relay.c): whole blocks out, however the
 * stream is cut; what is not pcapng (garbage, bad lengths, a trailing
 * length that is not the leading one) stops it with one line. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pcapng.h"
#include "relay.h"
#include "tap.h"
#include "util.h"

struct stream {
	unsigned char *b;
	size_t n, cap;
	bool be;
	size_t ends[16]; /* where each block ends */
	size_t n_ends;
};

static void put32(struct stream *s, uint32_t v)
{
	unsigned char *p;

	if (s->n + 4 > s->cap) {
		s->cap = s->cap ? 2 * s->cap : 4096;
		while (s->n + 4 > s->cap)
			s->cap *= 2;
		s->b = realloc(s->b, s->cap);
		if (!s->b)
			abort();
	}
	p = s->b + s->n;
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (s->be ? 24 - 8 * i : 8 * i));
	s->n += 4;
}

/* A block of total length len (body bytes 0x5a), its trailer trail. */
static void block(struct stream *s, uint32_t type, uint32_t len, uint32_t trail)
{
	put32(s, type);
	put32(s, len);
	for (uint32_t i = 12; i < len; i += 4)
		put32(s, 0x5a5a5a5aU);
	put32(s, trail);
	if (s->n_ends < ELEMENTSOF(s->ends))
		s->ends[s->n_ends++] = s->n;
}

static void shb(struct stream *s)
{
	put32(s, PCAPNG_BT_SHB);
	put32(s, 28);
	put32(s, PCAPNG_BYTE_ORDER_MAGIC);
	put32(s, 1);	       /* version 1.0 */
	put32(s, 0xffffffffU); /* section length: unknown */
	put32(s, 0xffffffffU);
	put32(s, 28);
	s->ends[s->n_ends++] = s->n;
}

/* SHB, IDB, two EPBs. */
static void valid(struct stream *s, bool be)
{
	s->be = be;
	shb(s);
	block(s, PCAPNG_BT_IDB, 20, 20);
	block(s, PCAPNG_BT_EPB, 92, 92);
	block(s, PCAPNG_BT_EPB, 32, 32);
}

static int out_fd(void)
{
	int fd = memfd_create("relay-out", MFD_CLOEXEC);

	if (fd < 0)
		abort();
	return fd;
}

/* What fd holds is exactly s's first n bytes. */
static bool holds(int fd, const struct stream *s, size_t n)
{
	unsigned char *got = malloc(n + 1);
	ssize_t k = got ? pread(fd, got, n + 1, 0) : -1;
	bool ok = k == (ssize_t)n && memcmp(got, s->b, n) == 0;

	free(got);
	return ok;
}

static void check_whole(bool be)
{
	struct stream s = { 0 };
	struct relay r = { 0 };
	_cleanup_close_ int fd = out_fd();
	char *msg = NULL;

	valid(&s, be);
	CHECK(relay_push(&r, s.b, s.n) == 0);
	CHECK(relay_flush(&r, fd, &msg) == 0);
	CHECK(holds(fd, &s, s.n));
	CHECK_EQ(r.bytes, s.n);
	CHECK_EQ(r.len, 0);
	CHECK(r.big_endian == be);
	CHECK(msg == NULL);
	relay_clear(&r);
	free(s.b);
}

/* Byte by byte: after each flush exactly the whole blocks so far. */
static void check_bytewise(void)
{
	struct stream s = { 0 };
	struct relay r = { 0 };
	_cleanup_close_ int fd = out_fd();
	char *msg = NULL;
	bool ok = true;
	size_t e = 0;

	valid(&s, false);
	for (size_t i = 0; i < s.n; i++) {
		ok &= relay_push(&r, s.b + i, 1) == 0;
		ok &= relay_flush(&r, fd, &msg) == 0;
		if (e < s.n_ends && i + 1 == s.ends[e])
			e++;
		ok &= r.bytes == (e ? s.ends[e - 1] : 0);
	}
	CHECK(ok);
	CHECK(holds(fd, &s, s.n));
	relay_clear(&r);
	free(s.b);
}

/* A partial block at the end stays unwritten. */
static void check_partial(void)
{
	struct stream s = { 0 };
	struct relay r = { 0 };
	_cleanup_close_ int fd = out_fd();
	char *msg = NULL;

	valid(&s, false);
	CHECK(relay_push(&r, s.b, s.ends[2] - 1) == 0);
	CHECK(relay_flush(&r, fd, &msg) == 0);
	CHECK_EQ(r.bytes, s.ends[1]);
	CHECK(holds(fd, &s, s.ends[1]));
	CHECK_EQ(r.len, s.ends[2] - 1 - s.ends[1]);
	relay_clear(&r);
	free(s.b);
}

/* A little-endian section, then a big-endian one. */
static void check_sections(void)
{
	struct stream s = { 0 };
	struct relay r = { 0 };
	_cleanup_close_ int fd = out_fd();
	char *msg = NULL;

	valid(&s, false);
	valid(&s, true);
	CHECK(relay_push(&r, s.b, s.n) == 0);
	CHECK(relay_flush(&r, fd, &msg) == 0);
	CHECK(holds(fd, &s, s.n));
	CHECK(r.big_endian);
	relay_clear(&r);
	free(s.b);
}

/* The stream s is rejected after its first good bytes, with a message
 * holding what. */
static void rejected(const struct stream *s, size_t good, const char *what)
{
	struct relay r = { 0 };
	_cleanup_close_ int fd = out_fd();
	char *msg = NULL;

	CHECK(relay_push(&r, s->b, s->n) == 0);
	CHECK(relay_flush(&r, fd, &msg) == -EPROTO);
	CHECK(msg && strstr(msg, what) && !strchr(msg, '\n'));
	if (msg && !strstr(msg, what))
		fprintf(stderr, "# message: %s\n", msg);
	free(msg);
	msg = NULL;
	/* and stays so: nothing more is ever written */
	CHECK(relay_flush(&r, fd, &msg) == -EPROTO);
	free(msg);
	CHECK(holds(fd, s, good));
	CHECK_EQ(r.bytes, good);
	relay_clear(&r);
}

static void check_rejected(void)
{
	struct stream s = { 0 };
	static const char login[] = "Last login: Mon Jan  1 00:00:00 2024\n";

	/* the known bug: a trailing length that is not the block's */
	valid(&s, false);
	block(&s, PCAPNG_BT_EPB, 32, 36);
	block(&s, PCAPNG_BT_EPB, 32, 32);
	rejected(
		&s, s.ends[3],
		"block at byte 172 has trailing length 36 but leading length 32");
	free(s.b);
	s = (struct stream){ .be = true };
	shb(&s);
	block(&s, PCAPNG_BT_IDB, 20, 0x14000000U); /* the other order's */
	rejected(&s, 28, "trailing length");
	free(s.b);

	/* a login script's text before the stream */
	s = (struct stream){ 0 };
	s.b = (unsigned char *)strdup(login);
	s.n = strlen(login);
	rejected(&s, 0, "not pcapng");
	free(s.b);

	/* lengths: below a block, not a multiple of 4, above the largest
	 * (not waited for: nothing is buffered for it) */
	static const uint32_t lens[] = { 8, 22, PCAPNG_BLOCK_MAX + 4,
					 0xfffffffcU };
	for (size_t i = 0; i < ELEMENTSOF(lens); i++) {
		s = (struct stream){ 0 };
		shb(&s);
		put32(&s, PCAPNG_BT_EPB);
		put32(&s, lens[i]);
		put32(&s, 0);
		rejected(&s, 28, "not pcapng");
		free(s.b);
	}
	/* a section header of no byte order */
	s = (struct stream){ 0 };
	put32(&s, PCAPNG_BT_SHB);
	put32(&s, 28);
	put32(&s, 0x12345678U);
	rejected(&s, 0, "not pcapng");
	free(s.b);
}

/* The largest block is relayed, in one piece. */
static void check_largest(void)
{
	struct stream s = { 0 };
	struct relay r = { 0 };
	_cleanup_close_ int fd = out_fd();
	char *msg = NULL;

	shb(&s);
	block(&s, PCAPNG_BT_EPB, PCAPNG_BLOCK_MAX, PCAPNG_BLOCK_MAX);
	CHECK(relay_push(&r, s.b, s.n - 1) == 0);
	CHECK(relay_flush(&r, fd, &msg) == 0);
	CHECK_EQ(r.bytes, 28);
	CHECK(relay_push(&r, s.b + s.n - 1, 1) == 0);
	CHECK(relay_flush(&r, fd, &msg) == 0);
	CHECK_EQ(r.bytes, s.n);
	CHECK(holds(fd, &s, s.n));
	relay_clear(&r);
	free(s.b);
}

/* From a pipe, as from ssh; to a reader that went away: -EPIPE. */
static void check_fds(void)
{
	struct stream s = { 0 };
	struct relay r = { 0 };
	_cleanup_close_ int fd = out_fd();
	int p[2], k;
	char *msg = NULL;

	valid(&s, false);
	if (pipe(p) < 0)
		abort();
	CHECK(write_all(p[1], s.b, s.n) == 0);
	close(p[1]);
	while ((k = relay_read(&r, p[0])) > 0)
		;
	CHECK_EQ(k, 0);
	close(p[0]);
	CHECK(relay_flush(&r, fd, &msg) == 0);
	CHECK(holds(fd, &s, s.n));
	relay_clear(&r);

	signal(SIGPIPE, SIG_IGN);
	if (pipe(p) < 0)
		abort();
	close(p[0]);
	CHECK(relay_push(&r, s.b, s.n) == 0);
	CHECK(relay_flush(&r, p[1], &msg) == -EPIPE);
	close(p[1]);
	relay_discard(&r);
	CHECK_EQ(r.len, 0);
	relay_clear(&r);
	free(s.b);
}

int main(int argc, char **argv)
{
	tap_init(argc, argv);
	check_whole(false);
	check_whole(true);
	check_bytewise();
	check_partial();
	check_sections();
	check_rejected();
	check_largest();
	check_fds();
	return tap_done();
}
