/* SPDX-License-Identifier: MIT */
/*
 * The pcapng relay: a remote's capture (hostile input: whatever the other
 * end of ssh sends) copied to Wireshark's fifo in whole blocks only, so
 * that whatever ends the stream the file written so far is valid pcapng.
 * Each block is checked for framing only (a section header first, its
 * byte order, a length in bounds that the block's trailing length
 * repeats), never parsed further: the local Wireshark reads it.
 */
#ifndef TURTLECAP_RELAY_H
#define TURTLECAP_RELAY_H

#include <stdbool.h>
#include <stddef.h>

/* Zero-initialised to start; relay_clear() at the end. */
struct relay {
	unsigned char *buf;
	size_t len, cap; /* after relay_flush: a partial block at most */
	bool seen_shb, big_endian; /* the current section's byte order */
	unsigned long long bytes;  /* written out so far, whole blocks */
};

/* Read what fd has into the buffer: 1 if more may come (EINTR, EAGAIN
 * too), 0 at EOF, -errno. */
int relay_read(struct relay *r, int fd);
/* Append bytes as if read (tests, the fuzz target). -ENOMEM, -EPROTO if
 * more than two largest blocks would be buffered. */
int relay_push(struct relay *r, const void *data, size_t len);
/*
 * Write the complete blocks buffered to out_fd; a partial block stays
 * buffered. -EPROTO with a one-line *ret_msg at the first block that is
 * not pcapng (nothing of it or after it is ever written: every later call
 * fails the same), -EPIPE when the reader went away, or write's -errno.
 */
int relay_flush(struct relay *r, int out_fd, char **ret_msg);
/* Drop what is buffered: nobody to write it to. */
void relay_discard(struct relay *r);
void relay_clear(struct relay *r);

#endif
