/* SPDX-License-Identifier: MIT */
/*
 * Unary gRPC calls over a unix socket: libcurl speaking HTTP/2 with prior
 * knowledge (no TLS, no ALPN on a unix socket), POST /pkg.Service/Method
 * with content-type application/grpc and te: trailers. Part of the engines
 * module. A client makes the calls to one engine, within one time budget;
 * each call has a connection of its own (grpc.c says why).
 *
 * Everything the server sends is bounded: the message length announced in
 * the 5-byte frame header and the whole body by limits.msg_max (cut as
 * soon as either is over), the time by connect and total timeouts per
 * call (also sent as grpc-timeout) and a budget for all calls of a client.
 * The answer must be HTTP/2, status 200, content-type application/grpc*,
 * exactly one uncompressed message, and carry grpc-status (in trailers,
 * or in the headers of a trailers-only answer).
 *
 * Errors: -ETIMEDOUT (also grpc DEADLINE_EXCEEDED), -ETIME (the client's
 * budget ran out: the call was not made, or timed out at the limit cut
 * to it), -ECONNREFUSED, -EFBIG
 * (over the limit), -EPROTO (not HTTP/2, not gRPC, HTTP status not 200,
 * compressed), -EBADMSG (truncated frame, trailing data), -EOPNOTSUPP
 * (grpc UNIMPLEMENTED), -ENOENT (NOT_FOUND), -EACCES (PERMISSION_DENIED,
 * UNAUTHENTICATED), -EREMOTEIO (any other grpc-status), -ECONNRESET (the
 * server reset the call before answering, which libcurl 7.88 makes of a
 * trailers-only answer sent before our request was out: grpc.c), -EIO.
 *
 * libcurl's global init is http_unix_global_init()'s (one per process).
 */
#ifndef TURTLECAP_GRPC_H
#define TURTLECAP_GRPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GRPC_FRAME_HDR 5 /* compressed flag, big-endian length */

struct grpc_limits {
	long connect_ms, total_ms; /* per call */
	long budget_ms;		   /* all calls of a client; 0 = none */
	size_t msg_max;		   /* bytes of one message */
};

struct grpc_client;

int grpc_client_new(const char *sock_path, const struct grpc_limits *lim,
		    struct grpc_client **ret);
void grpc_client_free(struct grpc_client *g);
static inline void grpc_client_freep(struct grpc_client **g)
{
	if (*g)
		grpc_client_free(*g);
}

/*
 * Call method ("/pkg.Service/Method") with the serialized request (len
 * may be 0) and extra headers ("name: value", NULL-ended, may be NULL).
 * On success *ret_msg is the malloc'd message (len may be 0; never NULL).
 * On failure *ret_err (may be NULL) gets one line naming the method.
 */
int grpc_call(struct grpc_client *g, const char *method,
	      const char *const *headers, const void *req, size_t req_len,
	      uint8_t **ret_msg, size_t *ret_len, char **ret_err);

/*
 * The pieces of an answer, without I/O (fuzzed on their own).
 */

/* Body bytes as they arrive: checks the frame header as soon as it is
 * there, cuts at the limit. */
struct grpc_body {
	uint8_t *buf;
	size_t len, cap, max; /* max: msg_max */
	int err;	      /* first error, sticky */
};

/* Append n bytes; -EFBIG over the limit (announced or sent), -EPROTO
 * for a compressed message, -ENOMEM. */
int grpc_body_feed(struct grpc_body *b, const void *data, size_t n);
/* The one message of a complete body (points into b->buf): -EBADMSG if
 * truncated, empty or followed by more. */
int grpc_body_message(const struct grpc_body *b, const uint8_t **ret,
		      size_t *ret_len);
void grpc_body_clear(struct grpc_body *b);

/* What the header lines (headers and trailers alike) say. */
struct grpc_reply {
	bool has_status, is_grpc;
	long status;	   /* grpc-status, 0..INT32_MAX */
	char message[256]; /* grpc-message: percent-decoded, printable */
};

/* One header line as libcurl gives it ("name: value\r\n", or a status
 * line, which is ignored). A malformed grpc-status is a status of -1. */
void grpc_reply_header(struct grpc_reply *rep, const char *line, size_t n);

/* -errno for a grpc-status (0 for OK), and its name ("UNIMPLEMENTED",
 * "status 42" for unknown ones: buf of at least 32 bytes). */
int grpc_status_errno(long status);
const char *grpc_status_name(long status, char *buf, size_t len);

#endif
