/* SPDX-License-Identifier: MIT */
/*
 * The reader end of a capture, the same for every tool benchmarked: reads
 * a pcap or pcapng stream (a fifo, or stdin when PATH is "-") the way
 * Wireshark would, and counts the benchmark's frames (Ethernet, IPv4,
 * UDP/TCP to PORT) without keeping them.
 *
 *   turtlecap-bench-pktsink PATH PORT
 *
 * At end of stream prints one line:
 *   packets=N matched=N bytes=N isb_recv=N isb_drop=N first_ms=T
 * isb_*: summed over the last ISB of each interface (pcapng only, -1 if
 * none); first_ms: CLOCK_REALTIME milliseconds when the first matching
 * frame was read (time to first packet is taken against the start time).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHUNK	(1U << 20)
#define MAX_IFS 256

struct sink {
	uint16_t port;
	unsigned long long packets, matched, bytes;
	long long isb_recv[MAX_IFS], isb_drop[MAX_IFS];
	uint32_t n_ifs;
	double first_ms;
};

static double realtime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static uint32_t rd32(const uint8_t *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static uint16_t rd16(const uint8_t *p, int swap)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return swap ? __builtin_bswap16(v) : v;
}

static void frame(struct sink *s, const uint8_t *f, uint32_t caplen)
{
	s->packets++;
	s->bytes += caplen;
	/* Ethernet, IPv4 with a 20-byte header, UDP or TCP dst port */
	if (caplen < 38 || f[12] != 0x08 || f[13] != 0x00 || f[14] != 0x45 ||
	    (f[23] != 17 && f[23] != 6))
		return;
	if ((uint16_t)(f[36] << 8 | f[37]) != s->port)
		return;
	if (s->matched++ == 0)
		s->first_ms = realtime_ms();
}

/* The ISB's isb_ifrecv (4) and isb_ifdrop (5) options. */
static void isb(struct sink *s, const uint8_t *b, uint32_t len, int swap)
{
	uint32_t id = rd32(b + 8, swap), off = 20;

	if (id >= MAX_IFS)
		return;
	while (off + 4 <= len - 4) {
		uint16_t code = rd16(b + off, swap),
			 olen = rd16(b + off + 2, swap);
		uint64_t v;

		if (code == 0 || off + 4 + olen > len - 4)
			break;
		if ((code == 4 || code == 5) && olen == 8) {
			memcpy(&v, b + off + 4, 8);
			if (swap)
				v = __builtin_bswap64(v);
			if (code == 4)
				s->isb_recv[id] = (long long)v;
			else
				s->isb_drop[id] = (long long)v;
		}
		off += 4 + ((olen + 3U) & ~3U);
	}
}

/* Consumes complete records from buf; returns the bytes used. */
static size_t parse(struct sink *s, const uint8_t *buf, size_t len, int *fmt,
		    int *swap)
{
	size_t off = 0;

	if (*fmt == 0) {
		uint32_t m;

		if (len < 24)
			return 0;
		memcpy(&m, buf, 4);
		if (m == 0x0a0d0d0a) {
			*fmt = 2;
			*swap = rd32(buf + 8, 0) != 0x1a2b3c4d;
		} else if (m == 0xa1b2c3d4 || m == 0xa1b23c4d) {
			*fmt = 1;
		} else if (m == 0xd4c3b2a1 || m == 0x4d3cb2a1) {
			*fmt = 1;
			*swap = 1;
		} else {
			fprintf(stderr, "pktsink: neither pcap nor pcapng\n");
			exit(1);
		}
		if (*fmt == 1)
			off = 24; /* pcap file header */
	}
	for (;;) {
		const uint8_t *b = buf + off;
		size_t left = len - off;

		if (*fmt == 1) {
			uint32_t caplen;

			if (left < 16)
				break;
			caplen = rd32(b + 8, *swap);
			if (left < 16 + (size_t)caplen)
				break;
			frame(s, b + 16, caplen);
			off += 16 + caplen;
		} else {
			uint32_t type, blen;

			if (left < 12)
				break;
			type = rd32(b, *swap);
			if (type == 0x0a0d0d0a)
				*swap = rd32(b + 8, 0) != 0x1a2b3c4d;
			blen = rd32(b + 4, *swap);
			if (blen < 12 || blen % 4) {
				fprintf(stderr, "pktsink: bad block length\n");
				exit(1);
			}
			if (left < blen)
				break;
			if (type == 6 && blen >= 32)
				frame(s, b + 28, rd32(b + 20, *swap));
			else if (type == 1 && s->n_ifs < MAX_IFS)
				s->n_ifs++;
			else if (type == 5 && blen >= 24)
				isb(s, b, blen, *swap);
			off += blen;
		}
	}
	return off;
}

int main(int argc, char **argv)
{
	static struct sink s;
	size_t cap = 4 * CHUNK, have = 0;
	uint8_t *buf = malloc(cap);
	int fd, fmt = 0, swap = 0;
	long long recv = -1, drop = -1;

	if (argc != 3 || !buf) {
		fprintf(stderr, "usage: turtlecap-bench-pktsink PATH|- PORT\n");
		return 2;
	}
	s.port = (uint16_t)atoi(argv[2]);
	for (int i = 0; i < MAX_IFS; i++)
		s.isb_recv[i] = s.isb_drop[i] = -1;
	fd = strcmp(argv[1], "-") == 0 ? 0 : open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	/* as big a pipe as Wireshark would like: fewer wake-ups per byte */
	fcntl(fd, 1031 /* F_SETPIPE_SZ */, 1 << 20);
	for (;;) {
		ssize_t n;
		size_t used;

		if (cap - have < CHUNK) {
			uint8_t *nb = realloc(buf, cap * 2);

			if (!nb)
				return 1;
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + have, cap - have);
		if (n < 0) {
			perror("read");
			return 1;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		used = parse(&s, buf, have, &fmt, &swap);
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	for (int i = 0; i < MAX_IFS; i++) {
		if (s.isb_recv[i] >= 0)
			recv = (recv < 0 ? 0 : recv) + s.isb_recv[i];
		if (s.isb_drop[i] >= 0)
			drop = (drop < 0 ? 0 : drop) + s.isb_drop[i];
	}
	printf("packets=%llu matched=%llu bytes=%llu isb_recv=%lld "
	       "isb_drop=%lld first_ms=%.1f\n",
	       s.packets, s.matched, s.bytes, recv, drop, s.first_ms);
	free(buf);
	return 0;
}
