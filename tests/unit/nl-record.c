/* SPDX-License-Identifier: MIT */
/*
 * Record an RTM_GETLINK dump of the current netns as a netlink fixture, so
 * that tests replay real kernel output. Same request as src/netlink.c.
 * Output format, per received datagram: its length as 4 bytes
 * little-endian, then the bytes as recv() returned them.
 *
 *   gcc -std=gnu17 -Wall -Wextra -o /tmp/nl-record tests/unit/nl-record.c
 *   ip netns exec NAME /tmp/nl-record tests/fixtures/netlink/NAME.bin
 *
 * Not part of the build: a tool for regenerating fixtures by hand.
 */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif
#ifndef RTEXT_FILTER_SKIP_STATS
#define RTEXT_FILTER_SKIP_STATS (1 << 3)
#endif

#define SEQ 0x7c0ffee5u

static int fail(const char *what)
{
	fprintf(stderr, "nl-record: %s: %s\n", what, strerror(errno));
	return 1;
}

/* Does this datagram end the dump (NLMSG_DONE or NLMSG_ERROR)? */
static int is_last(const uint8_t *buf, size_t len)
{
	while (len >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;
		size_t step;

		memcpy(&h, buf, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len)
			return 1; /* garbage: stop, keep what we have */
		if (h.nlmsg_type == NLMSG_DONE || h.nlmsg_type == NLMSG_ERROR)
			return 1;
		step = NLMSG_ALIGN((size_t)h.nlmsg_len);
		if (step > len)
			step = len;
		buf += step;
		len -= step;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
		struct rtattr rta;
		uint32_t ext_mask;
	} req;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 1 };
	size_t size = 32 * 1024;
	uint8_t *buf;
	FILE *out;
	int fd, one = 1, last = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s OUTPUT.bin\n", argv[0]);
		return 2;
	}

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return fail("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return fail("SO_RCVTIMEO");
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one,
			 sizeof(one));

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = SEQ;
	req.ifi.ifi_family = AF_UNSPEC;
	req.rta.rta_type = IFLA_EXT_MASK;
	req.rta.rta_len = RTA_LENGTH(sizeof(uint32_t));
	req.ext_mask = RTEXT_FILTER_SKIP_STATS;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) != (ssize_t)sizeof(req))
		return fail("sendto");

	buf = malloc(size);
	out = fopen(argv[1], "we");
	if (!buf || !out)
		return fail(argv[1]);

	while (!last) {
		struct iovec iov = { .iov_base = buf, .iov_len = size };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		uint8_t le[4];
		ssize_t n;

		n = recvmsg(fd, &mh, MSG_PEEK | MSG_TRUNC);
		if (n < 0)
			return fail("recvmsg");
		if ((size_t)n > size) {
			size = (size_t)n;
			buf = realloc(buf, size);
			if (!buf)
				return fail("realloc");
			continue;
		}
		n = recvmsg(fd, &mh, 0);
		if (n < 0)
			return fail("recvmsg");

		le[0] = (uint8_t)n;
		le[1] = (uint8_t)(n >> 8);
		le[2] = (uint8_t)(n >> 16);
		le[3] = (uint8_t)(n >> 24);
		if (fwrite(le, 1, 4, out) != 4 ||
		    fwrite(buf, 1, (size_t)n, out) != (size_t)n)
			return fail("fwrite");
		last = is_last(buf, (size_t)n);
	}

	if (fclose(out) != 0)
		return fail("fclose");
	free(buf);
	close(fd);
	return 0;
}
