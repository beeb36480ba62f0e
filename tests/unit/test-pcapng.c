/* SPDX-License-Identifier: MIT */
/*
 * pcapng writer: byte layout checked against the spec at fixed offsets,
 * read back with the real libpcap, and the error paths (-E2BIG, -EINVAL,
 * -EPIPE, sticky errors).
 */
#include "capture.h"
#include "pcapng.h"
#include "tap.h"
#include "util.h"

#include <fcntl.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TS1 1700000000123456789ULL /* 2023-11-14, .123456789 */
#define TS2 1700000001999999999ULL

/* ---- reading back ---------------------------------------------------- */

static uint16_t get16(const uint8_t *b, size_t off)
{
	uint16_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

static uint32_t get32(const uint8_t *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

static uint64_t get64(const uint8_t *b, size_t off)
{
	uint64_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

static bool all_zero(const uint8_t *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

/* Creates an empty temp file; *path must hold "/tmp/...XXXXXX". */
static int make_temp(char *path)
{
	int fd = mkostemp(path, O_CLOEXEC);

	if (fd < 0) {
		perror("mkostemp");
		exit(EXIT_FAILURE);
	}
	return fd;
}

static uint8_t *slurp(const char *path, size_t *ret_len)
{
	char *buf = NULL;
	int r = read_file_at(AT_FDCWD, path, 64U * 1024U * 1024U, &buf,
			     ret_len);

	if (r < 0) {
		fprintf(stderr, "read %s: %s\n", path, strerror(-r));
		exit(EXIT_FAILURE);
	}
	return (uint8_t *)buf;
}

static off_t fd_size(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	return st.st_size;
}

/*
 * Walks the blocks of a whole file: each total length is a multiple of 4,
 * at least 12, repeated in the trailer, and the blocks fill the file
 * exactly. Returns the number of blocks, or -1.
 */
static int count_blocks(const uint8_t *b, size_t len)
{
	size_t off = 0;
	int n = 0;

	while (off < len) {
		uint32_t total;

		if (len - off < 12)
			return -1;
		total = get32(b, off + 4);
		if (total < 12 || total % 4 || total > len - off ||
		    get32(b, off + total - 4) != total)
			return -1;
		off += total;
		n++;
	}
	return n;
}

/* Offset of the idx-th block (0-based), or -1. */
static long block_at(const uint8_t *b, size_t len, int idx)
{
	size_t off = 0;

	for (int i = 0; off < len; i++) {
		if (i == idx)
			return (long)off;
		off += get32(b, off + 4);
	}
	return -1;
}

struct opt_view {
	uint16_t code, len;
	const uint8_t *val;
};

/*
 * Parses the options between off and the block trailer: code, length,
 * value zero-padded to 4, terminated by exactly one opt_endofopt right
 * before the trailer. No options at all = nothing between. Returns the
 * number of options (endofopt not counted) or -1 if malformed.
 */
static int parse_opts(const uint8_t *block, size_t off, struct opt_view *out,
		      int max)
{
	size_t end = get32(block, 4) - 4;
	int n = 0;

	if (off == end)
		return 0;
	while (off + 4 <= end) {
		uint16_t code = get16(block, off), len = get16(block, off + 2);
		size_t padded = ((size_t)len + 3) & ~(size_t)3;

		if (code == PCAPNG_OPT_ENDOFOPT)
			return len == 0 && off + 4 == end ? n : -1;
		if (n == max || off + 4 + padded > end)
			return -1;
		if (!all_zero(block + off + 4 + len, padded - len))
			return -1;
		out[n++] = (struct opt_view){ code, len, block + off + 4 };
		off += 4 + padded;
	}
	return -1;
}

static const struct opt_view *find_opt(const struct opt_view *o, int n,
				       uint16_t code)
{
	const struct opt_view *found = NULL;

	for (int i = 0; i < n; i++) {
		if (o[i].code != code)
			continue;
		if (found) /* every option we write appears once */
			return NULL;
		found = &o[i];
	}
	return found;
}

/* The option is present once and its value is exactly s (no NUL). */
static bool opt_is(const struct opt_view *o, int n, uint16_t code,
		   const void *s, size_t len)
{
	const struct opt_view *v = find_opt(o, n, code);

	return v && v->len == len && memcmp(v->val, s, len) == 0;
}

static bool opt_is_str(const struct opt_view *o, int n, uint16_t code,
		       const char *s)
{
	return opt_is(o, n, code, s, strlen(s));
}

/* ---- (a) byte layout ------------------------------------------------- */

static void test_layout(void)
{
	char path[] = "/tmp/test-pcapng-XXXXXX";
	struct pcapng_writer *w = NULL;
	const struct pcapng_shb shb = {
		.hardware = "x86_64",	     /* 6 -> 8 */
		.os = "Linux 6.1",	     /* 9 -> 12 */
		.userappl = "turtlecap 0.1", /* 13 -> 16 */
		.comment = "hi",	     /* 2 -> 4 */
	};
	const struct pcapng_idb idb0 = {
		.linktype = 1,
		.snaplen = 262144,
		.name = "ctr:docker:web1/eth0",
		.description = "{\"v\":1}",
		.filter = "tcp port 80",
		.os = "Linux 6.1.0",
		.hardware = "veth",
		.comment = "first",
	};
	const struct pcapng_idb idb1 = { .linktype = 101, .snaplen = 65535 };
	const struct pcapng_isb isb = {
		.start_ns = 0x0000000100000002ULL,
		.end_ns = 0xAABBCCDD11223344ULL,
		.ifrecv = 0x0102030405060708ULL,
		.ifdrop = 3,
		.has_counts = 1,
	};
	const struct pcapng_isb isb_counts = { .ifrecv = 7, .has_counts = 1 };
	const uint8_t pkt[5] = { 0xde, 0xad, 0xbe, 0xef, 0x42 };
	struct opt_view o[16];
	uint32_t id0 = 99, id1 = 99;
	_cleanup_free_ uint8_t *b = NULL;
	const uint8_t *p;
	size_t len;
	long off;
	int n;

	CHECK_EQ(pcapng_writer_new(make_temp(path), &w), 0);
	CHECK_EQ(pcapng_write_shb(w, &shb), 0);
	CHECK_EQ(pcapng_write_idb(w, &idb0, &id0), 0);
	CHECK_EQ(pcapng_write_idb(w, &idb1, &id1), 0);
	CHECK_EQ(id0, 0);
	CHECK_EQ(id1, 1);
	CHECK_EQ(pcapng_writer_n_interfaces(w), 2);
	CHECK_EQ(pcapng_write_epb(w, 1, 0x0123456789ABCDEFULL, pkt, 5, 60,
				  PCAPNG_EPB_DIR_INBOUND, "c1"),
		 0);
	CHECK_EQ(pcapng_write_epb(w, 0, TS1, pkt, 4, 4, 0, NULL), 0);
	CHECK_EQ(pcapng_write_epb(w, 0, TS1, NULL, 0, 0, 0, NULL), 0);
	CHECK_EQ(pcapng_write_isb(w, 0, TS2, &isb), 0);
	CHECK_EQ(pcapng_write_isb(w, 1, TS2, NULL), 0);
	CHECK_EQ(pcapng_write_isb(w, 1, TS2, &isb_counts), 0);
	CHECK_EQ(pcapng_write_shb(w, NULL), 0);
	CHECK_EQ(pcapng_writer_flush(w), 0);
	pcapng_writer_free(w);

	b = slurp(path, &len);
	unlink(path);
	CHECK_EQ(count_blocks(b, len), 10);
	if (count_blocks(b, len) != 10)
		return;

	/* SHB, every offset computed by hand from the spec. */
	p = b;
	CHECK_EQ(get32(p, 0), 0x0A0D0D0A);
	CHECK_EQ(get32(p, 4), 88);
	CHECK_EQ(get32(p, 8), 0x1A2B3C4D);
	CHECK_EQ(get16(p, 12), 1);
	CHECK_EQ(get16(p, 14), 0);
	CHECK_EQ(get64(p, 16), UINT64_MAX);
	CHECK_EQ(get16(p, 24), 2);
	CHECK_EQ(get16(p, 26), 6);
	CHECK(memcmp(p + 28, "x86_64\0\0", 8) == 0);
	CHECK_EQ(get16(p, 36), 3);
	CHECK_EQ(get16(p, 38), 9);
	CHECK(memcmp(p + 40, "Linux 6.1\0\0\0", 12) == 0);
	CHECK_EQ(get16(p, 52), 4);
	CHECK_EQ(get16(p, 54), 13);
	CHECK(memcmp(p + 56, "turtlecap 0.1\0\0\0", 16) == 0);
	CHECK_EQ(get16(p, 72), 1);
	CHECK_EQ(get16(p, 74), 2);
	CHECK(memcmp(p + 76, "hi\0\0", 4) == 0);
	CHECK_EQ(get32(p, 80), 0); /* opt_endofopt: code 0, length 0 */
	CHECK_EQ(get32(p, 84), 88);

	/* IDB 0: all options, any order, each once. */
	p = b + block_at(b, len, 1);
	CHECK_EQ(get32(p, 0), 1);
	/* 8 + 8 fixed + 24 name + 12 descr + 8 tsresol + 16 filter
	 * + 16 os + 8 hw + 12 comment + 4 endofopt + 4 trailer */
	CHECK_EQ(get32(p, 4), 120);
	CHECK_EQ(get16(p, 8), 1);
	CHECK_EQ(get16(p, 10), 0);
	CHECK_EQ(get32(p, 12), 262144);
	n = parse_opts(p, 16, o, 16);
	CHECK_EQ(n, 7);
	CHECK(opt_is_str(o, n, 2, "ctr:docker:web1/eth0"));
	CHECK(opt_is_str(o, n, 3, "{\"v\":1}"));
	CHECK(opt_is(o, n, 9, "\x09", 1));
	CHECK(opt_is(o, n, 11, "\0tcp port 80", 12));
	CHECK(opt_is_str(o, n, 12, "Linux 6.1.0"));
	CHECK(opt_is_str(o, n, 15, "veth"));
	CHECK(opt_is_str(o, n, 1, "first"));

	/* IDB 1: no strings, but if_tsresol is always there. */
	p = b + block_at(b, len, 2);
	CHECK_EQ(get32(p, 0), 1);
	CHECK_EQ(get32(p, 4), 32);
	CHECK_EQ(get16(p, 8), 101);
	CHECK_EQ(get32(p, 12), 65535);
	CHECK_EQ(get16(p, 16), 9);
	CHECK_EQ(get16(p, 18), 1);
	CHECK(memcmp(p + 20, "\x09\0\0\0", 4) == 0);
	CHECK_EQ(get32(p, 24), 0);

	/* EPB with flags and comment, fixed offsets. */
	p = b + block_at(b, len, 3);
	CHECK_EQ(get32(p, 0), 6);
	CHECK_EQ(get32(p, 4), 60);
	CHECK_EQ(get32(p, 8), 1);
	CHECK_EQ(get32(p, 12), 0x01234567);
	CHECK_EQ(get32(p, 16), 0x89ABCDEF);
	CHECK_EQ(get32(p, 20), 5);
	CHECK_EQ(get32(p, 24), 60);
	CHECK(memcmp(p + 28, "\xde\xad\xbe\xef\x42\0\0\0", 8) == 0);
	CHECK_EQ(get16(p, 36), 2);
	CHECK_EQ(get16(p, 38), 4);
	CHECK_EQ(get32(p, 40), PCAPNG_EPB_DIR_INBOUND);
	CHECK_EQ(get16(p, 44), 1);
	CHECK_EQ(get16(p, 46), 2);
	CHECK(memcmp(p + 48, "c1\0\0", 4) == 0);
	CHECK_EQ(get32(p, 52), 0);
	CHECK_EQ(get32(p, 56), 60);

	/* EPB without options: no endofopt either. */
	p = b + block_at(b, len, 4);
	CHECK_EQ(get32(p, 0), 6);
	CHECK_EQ(get32(p, 4), 36);
	CHECK_EQ(get32(p, 8), 0);
	CHECK_EQ(get32(p, 12), (uint32_t)(TS1 >> 32));
	CHECK_EQ(get32(p, 16), (uint32_t)(TS1 & 0xffffffffU));
	CHECK_EQ(get32(p, 20), 4);
	CHECK_EQ(get32(p, 24), 4);
	CHECK(memcmp(p + 28, pkt, 4) == 0);
	CHECK_EQ(get32(p, 32), 36);
	p = b + block_at(b, len, 5);
	CHECK_EQ(get32(p, 4), 32); /* empty packet */
	CHECK_EQ(get32(p, 20), 0);

	/* ISB with all options, fixed offsets. */
	p = b + block_at(b, len, 6);
	CHECK_EQ(get32(p, 0), 5);
	CHECK_EQ(get32(p, 4), 76);
	CHECK_EQ(get32(p, 8), 0);
	CHECK_EQ(get32(p, 12), (uint32_t)(TS2 >> 32));
	CHECK_EQ(get32(p, 16), (uint32_t)(TS2 & 0xffffffffU));
	CHECK_EQ(get16(p, 20), 2);
	CHECK_EQ(get16(p, 22), 8);
	CHECK_EQ(get32(p, 24), 1); /* isb_starttime high */
	CHECK_EQ(get32(p, 28), 2); /* isb_starttime low */
	CHECK_EQ(get16(p, 32), 3);
	CHECK_EQ(get16(p, 34), 8);
	CHECK_EQ(get32(p, 36), 0xAABBCCDD);
	CHECK_EQ(get32(p, 40), 0x11223344);
	CHECK_EQ(get16(p, 44), 4);
	CHECK_EQ(get16(p, 46), 8);
	CHECK(get64(p, 48) == 0x0102030405060708ULL);
	CHECK_EQ(get16(p, 56), 5);
	CHECK_EQ(get16(p, 58), 8);
	CHECK(get64(p, 60) == 3);
	CHECK_EQ(get32(p, 68), 0);
	CHECK_EQ(get32(p, 72), 76);

	/* ISB without options, and with the counters only. */
	p = b + block_at(b, len, 7);
	CHECK_EQ(get32(p, 0), 5);
	CHECK_EQ(get32(p, 4), 24);
	CHECK_EQ(get32(p, 8), 1);
	p = b + block_at(b, len, 8);
	CHECK_EQ(get32(p, 4), 52);
	n = parse_opts(p, 20, o, 16);
	CHECK_EQ(n, 2);
	CHECK(find_opt(o, n, 2) == NULL);
	CHECK(find_opt(o, n, 3) == NULL);
	CHECK(opt_is(o, n, 4, &isb_counts.ifrecv, 8));
	CHECK(opt_is(o, n, 5, &isb_counts.ifdrop, 8));

	/* A second SHB without options: 28 bytes, no endofopt. */
	off = block_at(b, len, 9);
	CHECK_EQ(get32(b, (size_t)off), 0x0A0D0D0A);
	CHECK_EQ(get32(b, (size_t)off + 4), 28);
	CHECK_EQ(get32(b, (size_t)off + 24), 28);
}

/* ---- (b) libpcap reads it -------------------------------------------- */

struct pkt {
	uint32_t if_id;
	uint64_t ts;
	uint32_t caplen, origlen;
	uint8_t data[64];
};

static void test_libpcap(void)
{
	char path[] = "/tmp/test-pcapng-XXXXXX";
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcapng_writer *w = NULL;
	struct pkt pkts[3] = {
		{ 0, TS1, 60, 60, { 0 } },
		{ 1, TS2, 20, 1500, { 0 } }, /* caplen < origlen */
		{ 0, 5ULL * 1000000000ULL + 7, 33, 33, { 0 } },
	};
	struct pcapng_idb idb = { .linktype = DLT_EN10MB,
				  .snaplen = 262144,
				  .name = "eth0" };
	const struct pcapng_isb isb = { .ifrecv = 3, .has_counts = 1 };
	struct pcap_pkthdr *hdr;
	const u_char *data;
	pcap_t *pc;
	size_t i;

	for (i = 0; i < ELEMENTSOF(pkts); i++)
		for (size_t j = 0; j < sizeof(pkts[i].data); j++)
			pkts[i].data[j] = (uint8_t)(i * 64 + j);

	/* Two interfaces with the same linktype: libpcap 1.10 refuses a
	 * file whose IDBs differ in linktype (checked byte-wise above). */
	CHECK_EQ(pcapng_writer_new(make_temp(path), &w), 0);
	CHECK_EQ(pcapng_write_shb(w, &(struct pcapng_shb){ .os = "Linux" }), 0);
	CHECK_EQ(pcapng_write_idb(w, &idb, NULL), 0);
	idb.name = "eth1";
	idb.filter = "udp";
	CHECK_EQ(pcapng_write_idb(w, &idb, NULL), 0);
	for (i = 0; i < ELEMENTSOF(pkts); i++)
		CHECK_EQ(pcapng_write_epb(w, pkts[i].if_id, pkts[i].ts,
					  pkts[i].data, pkts[i].caplen,
					  pkts[i].origlen,
					  PCAPNG_EPB_DIR_OUTBOUND, "x"),
			 0);
	CHECK_EQ(pcapng_write_isb(w, 1, TS2, &isb), 0);
	pcapng_writer_free(w);

	pc = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	CHECK(pc != NULL);
	if (!pc) {
		fprintf(stderr, "pcap: %s\n", errbuf);
		unlink(path);
		return;
	}
	CHECK_EQ(pcap_datalink(pc), DLT_EN10MB);
	CHECK_EQ(pcap_get_tstamp_precision(pc), PCAP_TSTAMP_PRECISION_NANO);
	for (i = 0; i < ELEMENTSOF(pkts); i++) {
		CHECK_EQ(pcap_next_ex(pc, &hdr, &data), 1);
		if (!hdr || !data)
			break;
		CHECK_EQ(hdr->caplen, pkts[i].caplen);
		CHECK_EQ(hdr->len, pkts[i].origlen);
		/* tv_usec holds nanoseconds at PCAP_TSTAMP_PRECISION_NANO */
		CHECK_EQ(hdr->ts.tv_sec, pkts[i].ts / 1000000000ULL);
		CHECK_EQ(hdr->ts.tv_usec, pkts[i].ts % 1000000000ULL);
		CHECK(memcmp(data, pkts[i].data, pkts[i].caplen) == 0);
	}
	CHECK_EQ(pcap_next_ex(pc, &hdr, &data), PCAP_ERROR_BREAK); /* EOF */
	pcap_close(pc);
	unlink(path);

	/* And a single-interface DLT_RAW file. */
	strcpy(path, "/tmp/test-pcapng-XXXXXX");
	CHECK_EQ(pcapng_writer_new(make_temp(path), &w), 0);
	CHECK_EQ(pcapng_write_shb(w, NULL), 0);
	CHECK_EQ(pcapng_write_idb(w,
				  &(struct pcapng_idb){ .linktype = DLT_RAW,
							.snaplen = 65535 },
				  NULL),
		 0);
	CHECK_EQ(pcapng_write_epb(w, 0, TS2, "\x45\0\0\x14", 4, 4, 0, NULL), 0);
	pcapng_writer_free(w);
	pc = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	CHECK(pc != NULL);
	if (pc) {
		CHECK_EQ(pcap_datalink(pc), DLT_RAW);
		CHECK_EQ(pcap_next_ex(pc, &hdr, &data), 1);
		CHECK_EQ(hdr->caplen, 4);
		CHECK_EQ(hdr->ts.tv_sec, TS2 / 1000000000ULL);
		CHECK_EQ(hdr->ts.tv_usec, 999999999);
		CHECK(memcmp(data, "\x45\0\0\x14", 4) == 0);
		pcap_close(pc);
	}
	unlink(path);
}

/* ---- (c) errors -------------------------------------------------------- */

static void test_errors(void)
{
	char path[] = "/tmp/test-pcapng-XXXXXX";
	struct pcapng_writer *w = NULL;
	_cleanup_free_ char *big = malloc(PCAPNG_OPTION_MAX + 2);
	struct pcapng_idb idb = { .linktype = 1, .snaplen = 1500 };
	struct opt_view o[8];
	_cleanup_free_ uint8_t *b = NULL;
	const uint8_t *p;
	uint32_t id = 77;
	size_t len;
	int fd, n;

	if (!big)
		exit(EXIT_FAILURE);
	memset(big, 'a', PCAPNG_OPTION_MAX + 1);
	big[PCAPNG_OPTION_MAX + 1] = '\0';

	fd = make_temp(path);
	CHECK_EQ(pcapng_writer_new(fd, &w), 0);
	/* IDB before the section header */
	CHECK_EQ(pcapng_write_idb(w, &idb, &id), -EINVAL);
	CHECK_EQ(pcapng_write_shb(w, NULL), 0);
	CHECK_EQ(pcapng_write_epb(w, 0, 0, "x", 1, 1, 0, NULL), -EINVAL);
	CHECK_EQ(pcapng_write_isb(w, 0, 0, NULL), -EINVAL);

	/* 65536-byte option: refused, nothing appended, no id used */
	idb.name = big;
	CHECK_EQ(pcapng_write_idb(w, &idb, &id), -E2BIG);
	CHECK_EQ(id, 77);
	CHECK_EQ(pcapng_writer_n_interfaces(w), 0);
	CHECK_EQ(pcapng_write_shb(w, &(struct pcapng_shb){ .comment = big }),
		 -E2BIG);
	CHECK_EQ(pcapng_writer_flush(w), 0);
	CHECK_EQ(fd_size(fd), 28);

	/* 65535 bytes is the maximum; the filter's type byte counts too */
	idb.name = big + 1;
	idb.filter = big + 1;
	CHECK_EQ(pcapng_write_idb(w, &idb, &id), -E2BIG);
	idb.filter = big + 2;
	CHECK_EQ(pcapng_write_idb(w, &idb, &id), 0);
	CHECK_EQ(id, 0);
	idb.name = NULL;
	idb.filter = NULL;

	/* caplen > origlen, unknown interface */
	CHECK_EQ(pcapng_write_epb(w, 0, 0, "abcd", 4, 3, 0, NULL), -EINVAL);
	CHECK_EQ(pcapng_write_epb(w, 1, 0, "abcd", 4, 4, 0, NULL), -EINVAL);
	CHECK_EQ(pcapng_write_isb(w, 1, 0, NULL), -EINVAL);
	CHECK_EQ(pcapng_write_epb(w, 0, 0, "abcd", 4, 4, 0, big), -E2BIG);
	CHECK_EQ(pcapng_write_epb(w, 0, 0, "abcd", 4, 4, 0, big + 1), 0);

	/* a block beyond PCAPNG_BLOCK_MAX, then one that needs the buffer to
	 * grow past its initial size */
	{
		_cleanup_free_ uint8_t *pkt = calloc(1, PCAPNG_BLOCK_MAX);

		if (!pkt)
			exit(EXIT_FAILURE);
		pkt[0] = 0x11;
		pkt[1024 * 1024 - 1] = 0x22;
		CHECK_EQ(pcapng_write_epb(w, 0, 0, pkt, PCAPNG_BLOCK_MAX,
					  PCAPNG_BLOCK_MAX, 0, NULL),
			 -E2BIG);
		CHECK_EQ(pcapng_write_epb(w, 0, 0, pkt, 1024 * 1024,
					  1024 * 1024, 0, NULL),
			 0);
	}

	/* a new section resets the interface ids */
	CHECK_EQ(pcapng_write_shb(w, NULL), 0);
	CHECK_EQ(pcapng_writer_n_interfaces(w), 0);
	CHECK_EQ(pcapng_write_epb(w, 0, 0, "abcd", 4, 4, 0, NULL), -EINVAL);
	pcapng_writer_free(w);

	b = slurp(path, &len);
	unlink(path);
	/* SHB, IDB, EPB (big comment), EPB (1 MiB), SHB */
	CHECK_EQ(count_blocks(b, len), 5);
	if (count_blocks(b, len) != 5)
		return;
	p = b + block_at(b, len, 1);
	CHECK_EQ(get32(p, 0), 1);
	n = parse_opts(p, 16, o, 8);
	CHECK_EQ(n, 3);
	CHECK(opt_is(o, n, 2, big + 1, PCAPNG_OPTION_MAX));
	CHECK(opt_is(o, n, 9, "\x09", 1));
	{
		const struct opt_view *f = find_opt(o, n, 11);

		CHECK(f && f->len == PCAPNG_OPTION_MAX && f->val[0] == 0 &&
		      memcmp(f->val + 1, big + 2, PCAPNG_OPTION_MAX - 1) == 0);
	}
	p = b + block_at(b, len, 2);
	CHECK_EQ(get32(p, 0), 6);
	n = parse_opts(p, 28 + 4, o, 8);
	CHECK_EQ(n, 1);
	CHECK(opt_is(o, n, 1, big + 1, PCAPNG_OPTION_MAX));
	p = b + block_at(b, len, 3);
	CHECK_EQ(get32(p, 0), 6);
	CHECK_EQ(get32(p, 4), 32 + 1024 * 1024);
	CHECK_EQ(get32(p, 20), 1024 * 1024);
	CHECK_EQ(p[28], 0x11);
	CHECK_EQ(p[28 + 1024 * 1024 - 1], 0x22);
}

static void test_epipe(void)
{
	const struct pcapng_idb idb = { .linktype = 1, .snaplen = 1500 };
	struct pcapng_writer *w = NULL;
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		exit(EXIT_FAILURE);
	close(fds[0]);
	CHECK_EQ(pcapng_writer_new(fds[1], &w), 0);
	/* buffered: nothing is written yet */
	CHECK_EQ(pcapng_write_shb(w, NULL), 0);
	CHECK_EQ(pcapng_writer_flush(w), -EPIPE);
	/* sticky */
	CHECK_EQ(pcapng_writer_flush(w), -EPIPE);
	CHECK_EQ(pcapng_write_idb(w, &idb, NULL), -EPIPE);
	CHECK_EQ(pcapng_write_shb(w, NULL), -EPIPE);
	CHECK_EQ(pcapng_write_epb(w, 0, 0, "a", 1, 1, 0, NULL), -EPIPE);
	CHECK_EQ(pcapng_write_epb(w, 9, 0, "a", 2, 1, 0, NULL), -EPIPE);
	pcapng_writer_free(w);
}

/* Drains a non-blocking pipe, returns the number of bytes read. */
static size_t drain(int fd)
{
	static uint8_t sink[65536];
	size_t total = 0;
	ssize_t n;

	while ((n = read(fd, sink, sizeof(sink))) > 0)
		total += (size_t)n;
	return total;
}

/*
 * Stickiness with an error that goes away (a full non-blocking pipe):
 * after the failure nothing more reaches the fd even once it could.
 */
static void test_sticky(void)
{
	const struct pcapng_idb idb = { .linktype = 1, .snaplen = 262144 };
	static uint8_t pkt[60000];
	struct pcapng_writer *w = NULL;
	size_t got;
	int fds[2], r = 0, i;

	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
		exit(EXIT_FAILURE);
	CHECK_EQ(pcapng_writer_new(fds[1], &w), 0);
	CHECK_EQ(pcapng_write_shb(w, NULL), 0);
	CHECK_EQ(pcapng_write_idb(w, &idb, NULL), 0);
	/* The default pipe holds 64 KiB: an automatic flush fails. */
	for (i = 0; i < 100 && r == 0; i++)
		r = pcapng_write_epb(w, 0, 0, pkt, sizeof(pkt), sizeof(pkt), 0,
				     NULL);
	CHECK_EQ(r, -EAGAIN);
	got = drain(fds[0]);
	CHECK(got > 0);
	CHECK_EQ(pcapng_writer_flush(w), -EAGAIN);
	CHECK_EQ(pcapng_write_epb(w, 0, 0, pkt, 10, 10, 0, NULL), -EAGAIN);
	CHECK_EQ(pcapng_write_shb(w, NULL), -EAGAIN);
	pcapng_writer_free(w);
	/* neither the calls above nor free() wrote anything */
	CHECK_EQ(drain(fds[0]), 0);
	close(fds[0]);
}

/* Auto-flush: the file only ever holds whole blocks. */
static void test_autoflush(void)
{
	char path[] = "/tmp/test-pcapng-XXXXXX";
	const struct pcapng_idb idb = { .linktype = 1, .snaplen = 262144 };
	static uint8_t pkt[1000];
	struct pcapng_writer *w = NULL;
	_cleanup_free_ uint8_t *b = NULL;
	size_t len;
	int fd, i;

	fd = make_temp(path);
	CHECK_EQ(pcapng_writer_new(fd, &w), 0);
	CHECK_EQ(pcapng_write_shb(w, NULL), 0);
	CHECK_EQ(pcapng_write_idb(w, &idb, NULL), 0);
	for (i = 0; i < 1000; i++) {
		pkt[0] = (uint8_t)i;
		CHECK_EQ(pcapng_write_epb(w, 0, (uint64_t)i, pkt, 999, 999, 0,
					  NULL),
			 0);
	}
	/* ~1 MB written through a 256 KiB buffer, no explicit flush yet */
	b = slurp(path, &len);
	CHECK(len > 0);
	CHECK(len < 28 + 32 + 1000 * (32 + 1000));
	CHECK(count_blocks(b, len) > 2);
	free(b);
	pcapng_writer_free(w);

	b = slurp(path, &len);
	unlink(path);
	CHECK_EQ(count_blocks(b, len), 1002);
	CHECK_EQ(len, 28 + 32 + 1000 * (32 + 1000));
	CHECK_EQ(b[block_at(b, len, 1001) + 28], (uint8_t)999);
}

/* ---- (d) odd strings --------------------------------------------------- */

static void test_odd_strings(void)
{
	char path[] = "/tmp/test-pcapng-XXXXXX";
	static const char name[] = " a b\nc\xff\x01\t\xc3 ";
	const struct pcapng_idb idb = {
		.linktype = 1, .snaplen = 1500, .name = name, .description = ""
	};
	struct pcapng_writer *w = NULL;
	_cleanup_free_ uint8_t *b = NULL;
	struct opt_view o[8];
	const uint8_t *p;
	size_t len;
	int n;

	CHECK_EQ(pcapng_writer_new(make_temp(path), &w), 0);
	CHECK_EQ(pcapng_write_shb(w, NULL), 0);
	CHECK_EQ(pcapng_write_idb(w, &idb, NULL), 0);
	pcapng_writer_free(w);

	b = slurp(path, &len);
	unlink(path);
	CHECK_EQ(count_blocks(b, len), 2);
	p = b + 28;
	n = parse_opts(p, 16, o, 8);
	CHECK_EQ(n, 3);
	CHECK(opt_is(o, n, 2, name, sizeof(name) - 1));
	/* if_name comes first: 11 bytes, then one zero byte of padding */
	CHECK_EQ(sizeof(name) - 1, 11);
	CHECK_EQ(get16(p, 16), 2);
	CHECK_EQ(get16(p, 18), 11);
	CHECK(memcmp(p + 20, name, 11) == 0);
	CHECK_EQ(p[31], 0);
	CHECK(opt_is(o, n, 3, "", 0));
}

/*
 * capture_write_error(): a section header alone, its comment the error,
 * for a capture that fails before it starts; the fd is taken.
 */
static void test_error_header(void)
{
	static const char want[] = "turtlecap: no such network namespace";
	char path[] = "/tmp/test-pcapng-XXXXXX";
	struct opt_view o[8];
	uint8_t *b;
	size_t len;
	int n;

	CHECK_EQ(capture_write_error(make_temp(path),
				     "no such network namespace"),
		 0);
	b = slurp(path, &len);
	unlink(path);
	CHECK_EQ(count_blocks(b, len), 1);
	CHECK_EQ(get32(b, 0), PCAPNG_BT_SHB);
	CHECK_EQ(get32(b, 8), PCAPNG_BYTE_ORDER_MAGIC);
	n = parse_opts(b, 24, o, 8);
	CHECK(n >= 2);
	CHECK(opt_is_str(o, n, PCAPNG_OPT_COMMENT, want));
	CHECK(find_opt(o, n, PCAPNG_OPT_SHB_USERAPPL) != NULL);
	free(b);
}

/*
 * What capture_wait() relies on to notice a reader that leaves while no
 * packet comes: polled with no event asked, a pipe's write end reports
 * POLLERR once the read end is closed, and a regular file nothing.
 */
static void test_reader_gone_poll(void)
{
	char path[] = "/tmp/test-pcapng-XXXXXX";
	struct pcapng_writer *w = NULL;
	struct pollfd p = { .events = 0 };
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		exit(EXIT_FAILURE);
	CHECK_EQ(pcapng_writer_new(fds[1], &w), 0);
	CHECK_EQ(pcapng_writer_fd(w), fds[1]);
	p.fd = pcapng_writer_fd(w);
	CHECK_EQ(poll(&p, 1, 0), 0);
	close(fds[0]);
	CHECK_EQ(poll(&p, 1, 0), 1);
	CHECK(p.revents & POLLERR);
	pcapng_writer_free(w);

	p.fd = make_temp(path);
	unlink(path);
	CHECK_EQ(poll(&p, 1, 0), 0);
	close(p.fd);
	CHECK_EQ(pcapng_writer_fd(NULL), -1);
}

int main(int argc, char **argv)
{
	tap_init(argc, argv);
	signal(SIGPIPE, SIG_IGN);

	pcapng_writer_free(NULL);
	test_layout();
	test_libpcap();
	test_errors();
	test_epipe();
	test_sticky();
	test_autoflush();
	test_odd_strings();
	test_error_header();
	test_reader_gone_poll();
	return tap_done();
}
