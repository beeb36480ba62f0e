/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the gRPC answer parsing of src/grpc.c: the input is
 * an answer body fed in chunks (their sizes from the input's first bytes,
 * as a socket may split it) to the frame parser with a small limit, and,
 * line by line, to the header parser. Besides crashes and sanitizer
 * reports it checks what grpc_call() relies on (abort() when broken): the
 * body never outgrows the limit, a message is exactly what its header
 * announced and at most the limit, an error is sticky, and what the
 * header lines keep is a status in range and a printable message.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX 64

static void check_body(const uint8_t *data, size_t size)
{
	struct grpc_body b = { .max = MAX };
	const uint8_t *msg;
	size_t pos = 0, len, k = 0;
	int err = 0, r;

	/* chunk sizes: the first 4 bytes, then the rest of the input */
	while (pos < size) {
		size_t n = size >= 4 ? (size_t)data[k++ % 4] % 17 + 1 : 1;

		if (n > size - pos)
			n = size - pos;
		r = grpc_body_feed(&b, data + pos, n);
		if (err && r != err)
			abort(); /* sticky */
		if (r < 0)
			err = r;
		else if (r != 0)
			abort();
		if (b.len > MAX + GRPC_FRAME_HDR)
			abort();
		pos += n;
	}
	r = grpc_body_message(&b, &msg, &len);
	if (r == 0) {
		if (err || len > MAX || b.len != GRPC_FRAME_HDR + len ||
		    msg != b.buf + GRPC_FRAME_HDR || b.buf[0] != 0)
			abort();
	} else if (r != -EBADMSG && r != err) {
		abort();
	}
	grpc_body_clear(&b);
	if (b.buf || b.len || b.max != MAX)
		abort();
}

static void check_headers(const uint8_t *data, size_t size)
{
	struct grpc_reply rep = { 0 };
	const char *p = (const char *)data, *end = p + size;
	char name[32];

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		/* an exact-size copy: ASan sees any read past the line */
		char *line = malloc(n ? n : 1);

		if (!line)
			abort();
		memcpy(line, p, n);
		grpc_reply_header(&rep, line, n);
		free(line);
		p += n;
	}
	if (rep.has_status && (rep.status < -1 || rep.status > INT32_MAX))
		abort();
	if (strlen(rep.message) >= sizeof(rep.message))
		abort();
	for (const char *m = rep.message; *m; m++)
		if ((unsigned char)*m < 0x20 || *m == 0x7f)
			abort();
	if (rep.has_status) {
		int e = grpc_status_errno(rep.status);

		if ((rep.status == 0) != (e == 0) || e > 0)
			abort();
		if (!grpc_status_name(rep.status, name, sizeof(name))[0])
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_body(data, size);
	check_headers(data, size);
	return 0;
}
