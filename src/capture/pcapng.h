/* SPDX-License-Identifier: MIT */
/*
 * A small pcapng block writer (libpcap 1.10 can read pcapng but not write
 * it). Blocks are serialised in host byte order into an in-memory buffer
 * that only ever holds complete blocks, and written to the fd by
 * pcapng_writer_flush() (or automatically when the buffer is full). So the
 * output is always a sequence of whole blocks: whatever stops the capture,
 * the file read so far is valid pcapng.
 *
 * Spec: draft-ietf-opsawg-pcapng. Not emitted on purpose: epb_verdict
 * (Wireshark 4.0's writer corrupts it when a file is re-saved).
 */
#ifndef TURTLECAP_PCAPNG_H
#define TURTLECAP_PCAPNG_H

#include <stddef.h>
#include <stdint.h>

#define PCAPNG_BT_SHB		0x0A0D0D0AU
#define PCAPNG_BT_IDB		0x00000001U
#define PCAPNG_BT_EPB		0x00000006U
#define PCAPNG_BT_ISB		0x00000005U
#define PCAPNG_BYTE_ORDER_MAGIC 0x1A2B3C4DU
/* The smallest block: its type, total length and trailing total length. */
#define PCAPNG_BLOCK_MIN 12U

#define PCAPNG_OPT_ENDOFOPT	  0
#define PCAPNG_OPT_COMMENT	  1
#define PCAPNG_OPT_SHB_HARDWARE	  2
#define PCAPNG_OPT_SHB_OS	  3
#define PCAPNG_OPT_SHB_USERAPPL	  4
#define PCAPNG_OPT_IF_NAME	  2
#define PCAPNG_OPT_IF_DESCRIPTION 3
#define PCAPNG_OPT_IF_TSRESOL	  9
#define PCAPNG_OPT_IF_FILTER	  11
#define PCAPNG_OPT_IF_OS	  12
#define PCAPNG_OPT_IF_HARDWARE	  15
#define PCAPNG_OPT_EPB_FLAGS	  2
#define PCAPNG_OPT_EPB_DROPCOUNT  4
#define PCAPNG_OPT_ISB_STARTTIME  2
#define PCAPNG_OPT_ISB_ENDTIME	  3
#define PCAPNG_OPT_ISB_IFRECV	  4
#define PCAPNG_OPT_ISB_IFDROP	  5
#define PCAPNG_OPT_ISB_OSDROP	  7

/* epb_flags bits 0-1: direction */
#define PCAPNG_EPB_DIR_UNKNOWN	0U
#define PCAPNG_EPB_DIR_INBOUND	1U
#define PCAPNG_EPB_DIR_OUTBOUND 2U

/* Largest option value: the option length field is 16 bits. */
#define PCAPNG_OPTION_MAX 65535U
/*
 * Largest block the writer accepts (total length, options included); far
 * above any real snaplen. Larger blocks, and options over
 * PCAPNG_OPTION_MAX, fail with -E2BIG and write nothing.
 */
#define PCAPNG_BLOCK_MAX (17U * 1024U * 1024U)

struct pcapng_writer;

/* Strings are UTF-8, NULL = option omitted. */
struct pcapng_shb {
	const char *hardware;
	const char *os;
	const char *userappl;
	const char *comment;
};

struct pcapng_idb {
	uint16_t linktype; /* LINKTYPE_* (== DLT_* for the common ones) */
	uint32_t snaplen;
	const char *name;
	const char *description;
	const char *filter; /* written as if_filter, type byte 0 (libpcap) */
	const char *os;
	const char *hardware;
	const char *comment;
	/* timestamps are always written with if_tsresol = 9 (nanoseconds) */
};

struct pcapng_isb {
	uint64_t start_ns, end_ns; /* 0 = omitted */
	uint64_t ifrecv, ifdrop;
	int has_counts;
};

/* Takes ownership of fd (closed by pcapng_writer_free). -ENOMEM. */
int pcapng_writer_new(int fd, struct pcapng_writer **ret);
/* Flushes what it can (errors ignored) and closes the fd. NULL is fine. */
void pcapng_writer_free(struct pcapng_writer *w);

/*
 * Section header, section length -1 (a stream). Must come first (IDBs
 * before it are -EINVAL); another SHB starts a new section, interface ids
 * restart at 0.
 */
int pcapng_write_shb(struct pcapng_writer *w, const struct pcapng_shb *shb);
/*
 * Interface description, always with if_tsresol = 9; *ret_if_id (may be
 * NULL) is its index in the section (0, 1..).
 */
int pcapng_write_idb(struct pcapng_writer *w, const struct pcapng_idb *idb,
		     uint32_t *ret_if_id);
/*
 * Enhanced packet block. ts_ns in nanoseconds since the epoch. flags are
 * epb_flags (0 = omit the option). comment NULL = none. -EINVAL for an
 * unknown if_id or caplen > origlen.
 */
int pcapng_write_epb(struct pcapng_writer *w, uint32_t if_id, uint64_t ts_ns,
		     const void *data, uint32_t caplen, uint32_t origlen,
		     uint32_t flags, const char *comment);
int pcapng_write_isb(struct pcapng_writer *w, uint32_t if_id, uint64_t ts_ns,
		     const struct pcapng_isb *isb);

/*
 * Write out the buffered blocks. -EPIPE when the reader went away (an
 * orderly stop for the caller). Errors are sticky: after a failed write
 * every later call fails with the same error and writes nothing.
 */
int pcapng_writer_flush(struct pcapng_writer *w);

/* Number of interfaces described so far. */
uint32_t pcapng_writer_n_interfaces(const struct pcapng_writer *w);

/* The fd it writes (still owned by the writer): to poll for the reader
 * going away. */
int pcapng_writer_fd(const struct pcapng_writer *w);

#endif
