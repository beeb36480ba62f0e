/* SPDX-License-Identifier: MIT */
/*
 * A hostile gRPC engine for the tests (HTTP/2 from libnghttp2, protobuf
 * written by hand: nothing shared with turtlecap's decoder). Listens on a
 * unix socket and answers every call according to MODE:
 *
 *   ok         a containerd: Version, namespace "default" holding the
 *              container "fake-ok" whose task runs as PID (and two that
 *              must not be listed: an invalid id, one without a task);
 *              the CRI is UNIMPLEMENTED, like containerd without it
 *   truncated  each frame announces 10 bytes more than it holds
 *   oversize   each frame announces 4 GiB - 1 bytes, and data follows
 *   badproto   each frame holds bytes that are no protobuf
 *   status     each call fails: grpc-status 7 with a (percent-encoded)
 *              message, trailers-only
 *   endless    each answer is a stream of messages that never ends
 *   http1      answers in HTTP/1.1 whatever is asked
 *   stall      listens and never accepts
 *
 * Copy it to a file named "containerd" listening on a socket named
 * containerd.sock, so that the finder takes it for one.
 *   fake-grpc SOCKET MODE [PID]
 */
#include <errno.h>
#include <nghttp2/nghttp2.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake-listen.h"

static const char *mode;
static unsigned pid_arg = 1;

/* --- protobuf, by hand --- */

struct buf {
	uint8_t b[4096];
	size_t n;
};

static void put_varint(struct buf *b, uint64_t v)
{
	while (v >= 0x80 && b->n < sizeof(b->b)) {
		b->b[b->n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	if (b->n < sizeof(b->b))
		b->b[b->n++] = (uint8_t)v;
}

static void put_bytes(struct buf *b, unsigned field, const void *p, size_t n)
{
	put_varint(b, field << 3 | 2);
	put_varint(b, n);
	if (b->n + n <= sizeof(b->b)) {
		memcpy(b->b + b->n, p, n);
		b->n += n;
	}
}

static void put_str(struct buf *b, unsigned field, const char *s)
{
	put_bytes(b, field, s, strlen(s));
}

static void put_msg(struct buf *b, unsigned field, const struct buf *m)
{
	put_bytes(b, field, m->b, m->n);
}

static void put_uint(struct buf *b, unsigned field, uint64_t v)
{
	put_varint(b, field << 3);
	put_varint(b, v);
}

/* The "ok" answer of a containerd method, or 0 for UNIMPLEMENTED. */
static int ok_answer(const char *path, struct buf *out)
{
	struct buf a = { 0 }, b = { 0 };

	if (strcmp(path, "/containerd.services.version.v1.Version/Version") ==
	    0) {
		put_str(out, 1, "fake-1.0");
		put_str(out, 2, "fake");
	} else if (strcmp(path, "/containerd.services.namespaces.v1."
				"Namespaces/List") == 0) {
		put_str(&a, 1, "default");
		put_msg(out, 1, &a);
	} else if (strcmp(path, "/containerd.services.containers.v1."
				"Containers/List") == 0) {
		put_str(&a, 1, "fake-ok");
		put_str(&a, 3, "fake/image:1");
		put_msg(out, 1, &a);
		b.n = 0;
		put_str(&b, 1, "../etc");
		put_msg(out, 1, &b);
		b.n = 0;
		put_str(&b, 1, "fake-created");
		put_msg(out, 1, &b);
	} else if (strcmp(path, "/containerd.services.tasks.v1.Tasks/List") ==
		   0) {
		put_str(&a, 2, "fake-ok");
		put_uint(&a, 3, pid_arg);
		put_uint(&a, 4, 2); /* RUNNING */
		put_msg(out, 1, &a);
		b.n = 0;
		put_str(&b, 2, "../etc");
		put_uint(&b, 3, pid_arg);
		put_uint(&b, 4, 2);
		put_msg(out, 1, &b);
	} else {
		return 0;
	}
	return 1;
}

/* --- HTTP/2 --- */

struct stream {
	int32_t id;
	char path[256];
	/* the answer's body: bytes, then (endless) repeated */
	struct buf body;
	size_t pos;
	int endless;
};

static int fd;

static ssize_t on_send(nghttp2_session *s, const uint8_t *data, size_t n,
		       int flags, void *user)
{
	size_t done = 0;

	(void)s, (void)flags, (void)user;
	while (done < n) {
		ssize_t w = write(fd, data + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return NGHTTP2_ERR_CALLBACK_FAILURE;
		done += (size_t)w;
	}
	return (ssize_t)n;
}

/* nghttp2_nv wants non-const names and values, and copies them */
#define HDR(n, v)                                                      \
	{                                                              \
		(uint8_t *)(uintptr_t)(n), (uint8_t *)(uintptr_t)(v),  \
			sizeof(n) - 1, strlen(v), NGHTTP2_NV_FLAG_NONE \
	}

static ssize_t on_read_body(nghttp2_session *s, int32_t id, uint8_t *out,
			    size_t len, uint32_t *flags,
			    nghttp2_data_source *src, void *user)
{
	struct stream *st = src->ptr;
	size_t n = 0;

	(void)user;
	while (n < len) {
		size_t k = st->body.n - st->pos;

		if (k == 0) {
			if (!st->endless)
				break;
			st->pos = 0; /* again and again */
			continue;
		}
		if (k > len - n)
			k = len - n;
		memcpy(out + n, st->body.b + st->pos, k);
		st->pos += k;
		n += k;
	}
	if (!st->endless && st->pos == st->body.n) {
		nghttp2_nv trailers[] = { HDR("grpc-status", "0") };

		*flags |=
			NGHTTP2_DATA_FLAG_EOF | NGHTTP2_DATA_FLAG_NO_END_STREAM;
		nghttp2_submit_trailer(s, id, trailers, 1);
	}
	return (ssize_t)n;
}

/* A trailers-only answer: the status in the one HEADERS frame. */
static void answer_status(nghttp2_session *s, struct stream *st,
			  const char *code, const char *msg)
{
	nghttp2_nv h[] = {
		HDR(":status", "200"),
		HDR("content-type", "application/grpc"),
		HDR("grpc-status", code),
		HDR("grpc-message", msg),
	};

	nghttp2_submit_response(s, st->id, h, 4, NULL);
}

static void frame(struct buf *out, const struct buf *msg, uint32_t announce)
{
	out->n = 0;
	out->b[0] = 0;
	out->b[1] = (uint8_t)(announce >> 24);
	out->b[2] = (uint8_t)(announce >> 16);
	out->b[3] = (uint8_t)(announce >> 8);
	out->b[4] = (uint8_t)announce;
	memcpy(out->b + 5, msg->b, msg->n);
	out->n = 5 + msg->n;
}

static void answer(nghttp2_session *s, struct stream *st)
{
	nghttp2_nv h[] = { HDR(":status", "200"),
			   HDR("content-type", "application/grpc") };
	nghttp2_data_provider dp = { .source.ptr = st,
				     .read_callback = on_read_body };
	struct buf msg = { 0 };

	if (strcmp(mode, "status") == 0) {
		answer_status(s, st, "7", "fake%3A permission denied");
		return;
	}
	if (strcmp(mode, "ok") == 0 && !ok_answer(st->path, &msg)) {
		answer_status(s, st, "12", "unknown service");
		return;
	}
	if (strcmp(mode, "ok") == 0) {
		frame(&st->body, &msg, (uint32_t)msg.n);
	} else if (strcmp(mode, "truncated") == 0) {
		ok_answer("/containerd.services.version.v1.Version/Version",
			  &msg);
		frame(&st->body, &msg, (uint32_t)msg.n + 10);
	} else if (strcmp(mode, "oversize") == 0) {
		msg.n = 1000;
		memset(msg.b, 'x', msg.n);
		frame(&st->body, &msg, 0xffffffffu);
		st->endless = 1;
	} else if (strcmp(mode, "badproto") == 0) {
		/* field 1 with wire type 7: no such thing */
		memcpy(msg.b, "\x0f\xff\xff\xff", 4);
		msg.n = 4;
		frame(&st->body, &msg, (uint32_t)msg.n);
	} else if (strcmp(mode, "endless") == 0) {
		ok_answer("/containerd.services.version.v1.Version/Version",
			  &msg);
		frame(&st->body, &msg, (uint32_t)msg.n);
		st->endless = 1;
	}
	nghttp2_submit_response(s, st->id, h, 2, &dp);
}

static int on_begin_headers(nghttp2_session *s, const nghttp2_frame *f,
			    void *user)
{
	struct stream *st;

	(void)user;
	if (f->hd.type != NGHTTP2_HEADERS ||
	    f->headers.cat != NGHTTP2_HCAT_REQUEST)
		return 0;
	st = calloc(1, sizeof(*st));
	if (!st)
		return NGHTTP2_ERR_CALLBACK_FAILURE;
	st->id = f->hd.stream_id;
	nghttp2_session_set_stream_user_data(s, st->id, st);
	return 0;
}

static int on_header(nghttp2_session *s, const nghttp2_frame *f,
		     const uint8_t *name, size_t nlen, const uint8_t *value,
		     size_t vlen, uint8_t flags, void *user)
{
	struct stream *st =
		nghttp2_session_get_stream_user_data(s, f->hd.stream_id);

	(void)flags, (void)user;
	if (st && nlen == 5 && memcmp(name, ":path", 5) == 0) {
		size_t n =
			vlen < sizeof(st->path) ? vlen : sizeof(st->path) - 1;

		memcpy(st->path, value, n);
		st->path[n] = '\0';
	}
	return 0;
}

static int on_frame_recv(nghttp2_session *s, const nghttp2_frame *f, void *user)
{
	struct stream *st;

	(void)user;
	if ((f->hd.type != NGHTTP2_HEADERS && f->hd.type != NGHTTP2_DATA) ||
	    !(f->hd.flags & NGHTTP2_FLAG_END_STREAM))
		return 0;
	st = nghttp2_session_get_stream_user_data(s, f->hd.stream_id);
	if (st)
		answer(s, st);
	return 0;
}

static int on_stream_close(nghttp2_session *s, int32_t id, uint32_t err,
			   void *user)
{
	(void)err, (void)user;
	free(nghttp2_session_get_stream_user_data(s, id));
	nghttp2_session_set_stream_user_data(s, id, NULL);
	return 0;
}

static void serve_h2(void)
{
	nghttp2_session_callbacks *cb;
	nghttp2_session *s;
	uint8_t in[16384];

	nghttp2_session_callbacks_new(&cb);
	nghttp2_session_callbacks_set_send_callback(cb, on_send);
	nghttp2_session_callbacks_set_on_begin_headers_callback(
		cb, on_begin_headers);
	nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
	nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame_recv);
	nghttp2_session_callbacks_set_on_stream_close_callback(cb,
							       on_stream_close);
	nghttp2_session_server_new(&s, cb, NULL);
	nghttp2_session_callbacks_del(cb);
	nghttp2_submit_settings(s, NGHTTP2_FLAG_NONE, NULL, 0);
	while (nghttp2_session_want_read(s) || nghttp2_session_want_write(s)) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (nghttp2_session_send(s) != 0)
			break;
		if (nghttp2_session_want_write(s))
			p.events |= POLLOUT;
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			break;
		if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(fd, in, sizeof(in));
		if (n <= 0 || nghttp2_session_mem_recv(s, in, (size_t)n) < 0)
			break;
	}
	nghttp2_session_del(s);
}

static void serve_http1(void)
{
	static const char resp[] =
		"HTTP/1.1 200 OK\r\nContent-Type: application/grpc\r\n"
		"Content-Length: 0\r\nConnection: close\r\n\r\n";
	char in[4096];

	if (read(fd, in, sizeof(in)) <= 0 ||
	    write(fd, resp, sizeof(resp) - 1) < 0)
		return;
	/* until the client gives up: it reads the answer, not a reset */
	while (read(fd, in, sizeof(in)) > 0)
		;
}

int main(int argc, char **argv)
{
	long pid;
	int lfd = fake_listen(argc, argv, &mode, &pid);

	if (pid > 0)
		pid_arg = (unsigned)pid;
	if (strcmp(mode, "stall") == 0)
		for (;;)
			pause(); /* connects queue up, none is accepted */
	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		/* one connection at a time: turtlecap makes one per call */
		if (strcmp(mode, "http1") == 0)
			serve_http1();
		else
			serve_h2();
		close(fd);
	}
}
