/* SPDX-License-Identifier: MIT */
/* grpc: the framing of answers as they arrive (bounded, one uncompressed
 * message), the header lines (grpc-status, grpc-message, content-type,
 * from headers or trailers) and the status mapping. */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "grpc.h"
#include "http-unix.h"
#include "tap.h"
#include "util.h"

static int feed(struct grpc_body *b, const char *s, size_t n)
{
	return grpc_body_feed(b, s, n);
}

static void test_body(void)
{
	struct grpc_body b = { .max = 16 };
	const uint8_t *m;
	size_t len;

	/* byte by byte: the same message */
	for (size_t i = 0; i < 8; i++)
		CHECK_EQ(feed(&b, &"\0\0\0\0\3abc"[i], 1), 0);
	CHECK_EQ(grpc_body_message(&b, &m, &len), 0);
	CHECK(len == 3 && memcmp(m, "abc", 3) == 0);
	grpc_body_clear(&b);
	CHECK_EQ(b.max, 16);

	/* an empty message is a message; no body is none */
	CHECK_EQ(feed(&b, "\0\0\0\0\0", 5), 0);
	CHECK_EQ(grpc_body_message(&b, &m, &len), 0);
	CHECK_EQ(len, 0);
	grpc_body_clear(&b);
	CHECK_EQ(grpc_body_message(&b, &m, &len), -EBADMSG);

	/* truncated: the header, or the message */
	CHECK_EQ(feed(&b, "\0\0\0", 3), 0);
	CHECK_EQ(grpc_body_message(&b, &m, &len), -EBADMSG);
	CHECK_EQ(feed(&b, "\0\4ab", 4), 0);
	CHECK_EQ(grpc_body_message(&b, &m, &len), -EBADMSG);
	grpc_body_clear(&b);

	/* more than one message */
	CHECK_EQ(feed(&b, "\0\0\0\0\1a\0\0\0\0\1b", 12), 0);
	CHECK_EQ(grpc_body_message(&b, &m, &len), -EBADMSG);
	grpc_body_clear(&b);

	/* compressed: refused as soon as the header is there */
	CHECK_EQ(feed(&b, "\1\0\0", 3), 0);
	CHECK_EQ(feed(&b, "\0\1x", 3), -EPROTO);
	CHECK_EQ(feed(&b, "", 0), -EPROTO); /* sticky */
	CHECK_EQ(grpc_body_message(&b, &m, &len), -EPROTO);
	grpc_body_clear(&b);

	/* an announced length over the limit: cut at the header */
	CHECK_EQ(feed(&b, "\0\0\0\0\x11", 5), -EFBIG);
	grpc_body_clear(&b);
	CHECK_EQ(feed(&b, "\0\xff\xff\xff\xff", 5), -EFBIG);
	grpc_body_clear(&b);
	/* exactly the limit: fine */
	CHECK_EQ(feed(&b, "\0\0\0\0\x10", 5), 0);
	CHECK_EQ(feed(&b, "0123456789abcdef", 16), 0);
	CHECK_EQ(grpc_body_message(&b, &m, &len), 0);
	CHECK_EQ(len, 16);
	/* an endless stream: cut at the limit, whatever it announced */
	CHECK_EQ(feed(&b, "\0", 1), -EFBIG);
	grpc_body_clear(&b);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(feed(&b, "\0\0\0\0\0", 5), 0);
	CHECK_EQ(feed(&b, "\0\0\0\0\0", 5), 0); /* 20 = 16 + 5 - 1 */
	CHECK_EQ(feed(&b, "\0\0", 2), -EFBIG);
	grpc_body_clear(&b);
}

#define LINE(rep, s) grpc_reply_header(rep, s, strlen(s))

static void test_headers(void)
{
	struct grpc_reply rep = { 0 };

	LINE(&rep, "HTTP/2 200 \r\n");
	LINE(&rep, "content-type: application/grpc\r\n");
	CHECK(rep.is_grpc && !rep.has_status);
	LINE(&rep, "\r\n");
	LINE(&rep, "grpc-status: 0\r\n");
	LINE(&rep, "grpc-message: \r\n");
	CHECK(rep.has_status && rep.status == 0 && rep.message[0] == '\0');

	rep = (struct grpc_reply){ 0 };
	LINE(&rep, "Content-Type: application/grpc+proto\r\n");
	CHECK(rep.is_grpc);
	LINE(&rep, "content-type: application/grpcx\r\n");
	CHECK(!rep.is_grpc);
	LINE(&rep, "content-type: text/html\r\n");
	CHECK(!rep.is_grpc);
	LINE(&rep, "content-type: application/grpc;charset=x\r\n");
	CHECK(rep.is_grpc);

	/* percent-decoded, no control characters */
	LINE(&rep, "Grpc-Status:  12 \r\n");
	LINE(&rep, "grpc-message: unknown service%3A x%0a%1By%ZZ%4\r\n");
	CHECK_EQ(rep.status, 12);
	CHECK_STREQ(rep.message, "unknown service: x??y%ZZ%4");
	/* a failure stays one; a malformed status is -1 */
	LINE(&rep, "grpc-status: 0\r\n");
	CHECK_EQ(rep.status, 12);
	rep = (struct grpc_reply){ 0 };
	LINE(&rep, "grpc-status: 1x\r\n");
	CHECK(rep.has_status && rep.status == -1);
	rep = (struct grpc_reply){ 0 };
	LINE(&rep, "grpc-status: 99999999999\r\n");
	CHECK_EQ(rep.status, -1);
	rep = (struct grpc_reply){ 0 };
	LINE(&rep, "grpc-status:\r\n");
	CHECK_EQ(rep.status, -1);
	/* a long message is cut */
	{
		char line[1024] = "grpc-message: ";

		memset(line + 14, 'x', 900);
		line[914] = '\0';
		LINE(&rep, line);
		CHECK_EQ(strlen(rep.message), sizeof(rep.message) - 1);
	}
}

static void test_status(void)
{
	char buf[32];

	CHECK_EQ(grpc_status_errno(0), 0);
	CHECK_EQ(grpc_status_errno(12), -EOPNOTSUPP);
	CHECK_EQ(grpc_status_errno(5), -ENOENT);
	CHECK_EQ(grpc_status_errno(7), -EACCES);
	CHECK_EQ(grpc_status_errno(16), -EACCES);
	CHECK_EQ(grpc_status_errno(4), -ETIMEDOUT);
	CHECK_EQ(grpc_status_errno(2), -EREMOTEIO);
	CHECK_EQ(grpc_status_errno(13), -EREMOTEIO);
	CHECK_EQ(grpc_status_errno(42), -EREMOTEIO);
	CHECK_STREQ(grpc_status_name(12, buf, sizeof(buf)), "UNIMPLEMENTED");
	CHECK_STREQ(grpc_status_name(16, buf, sizeof(buf)), "UNAUTHENTICATED");
	CHECK_STREQ(grpc_status_name(42, buf, sizeof(buf)), "status 42");
}

/* A socket file nobody listens on (left by a stopped engine) and a
 * missing one: each refused at once, in words that say which. */
static void test_connect_errors(void)
{
	char dir[] = "/tmp/tc-grpc-test.XXXXXX", path[64], *body = NULL,
	     *msg = NULL;
	struct http_limits lim = { 200, 500, 1024 };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len;
	int fd;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/stale.sock", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	close(fd); /* the file stays, nothing listens */
	CHECK_EQ(http_unix_global_init(), 0);
	CHECK_EQ(http_unix_get(path, "/_ping", &lim, &body, &len, NULL, &msg),
		 -ECONNREFUSED);
	CHECK(msg && strstr(msg, "nothing listens on the socket"));
	free(msg);
	msg = NULL;
	unlink(path);
	CHECK_EQ(http_unix_get(path, "/_ping", &lim, &body, &len, NULL, &msg),
		 -ECONNREFUSED);
	CHECK(msg && strstr(msg, "no such socket"));
	free(msg);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	tap_init(argc, argv);
	test_body();
	test_headers();
	test_status();
	test_connect_errors();
	return tap_done();
}
