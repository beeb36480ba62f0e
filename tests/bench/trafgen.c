/* SPDX-License-Identifier: MIT */
/*
 * Paced traffic generator for the capture benchmark: Ethernet/IPv4 UDP (or
 * TCP ACK) frames of a fixed size on an AF_PACKET socket, sendmmsg in
 * batches, PACKET_QDISC_BYPASS, at a target packet rate. On a 2-core VM
 * this reaches ~1 Mpps at 64 B where iperf3 and trafgen(8) top out or pace
 * badly. Run it inside the sender's netns:
 *
 *   ip netns exec NS turtlecap-bench-trafgen -i IF -m DSTMAC -s SRCIP
 *	-d DSTIP -l FRAMELEN -r PPS -t SECONDS [-p PORT] [-T]
 *
 * Prints one line: sent=N txerr=N seconds=S pps=R (txerr: frames the veth
 * refused, e.g. its peer's backlog full; not counted as sent).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH	64
#define MAX_LEN 1514

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint16_t csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != 6)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

/* One frame, sent over and over: the receiver's stack drops it (closed
 * port), the capture tools see every copy. */
static size_t build_frame(uint8_t *f, size_t len, const uint8_t dst[6],
			  const uint8_t src[6], struct in_addr sip,
			  struct in_addr dip, uint16_t port, int tcp)
{
	struct ether_header *eth = (struct ether_header *)f;
	/* f is 2 bytes past a 4-byte boundary (main's buf): the IP header
	 * is aligned */
	struct iphdr *ip = (struct iphdr *)(void *)(f + sizeof(*eth));
	size_t l4 = tcp ? sizeof(struct tcphdr) : sizeof(struct udphdr);
	size_t min = sizeof(*eth) + sizeof(*ip) + l4;

	if (len < min)
		len = min;
	memset(f, 0, len);
	memcpy(eth->ether_dhost, dst, 6);
	memcpy(eth->ether_shost, src, 6);
	eth->ether_type = htons(ETHERTYPE_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = tcp ? IPPROTO_TCP : IPPROTO_UDP;
	ip->tot_len = htons((uint16_t)(len - sizeof(*eth)));
	ip->saddr = sip.s_addr;
	ip->daddr = dip.s_addr;
	ip->check = csum(ip, sizeof(*ip));
	if (tcp) {
		struct tcphdr *t = (struct tcphdr *)(ip + 1);

		t->source = htons(40000);
		t->dest = htons(port);
		t->seq = htonl(1);
		t->ack_seq = htonl(1);
		t->doff = 5;
		t->ack = 1;
		t->window = htons(65535);
	} else {
		struct udphdr *u = (struct udphdr *)(ip + 1);

		u->source = htons(40000);
		u->dest = htons(port);
		u->len = htons((uint16_t)(len - sizeof(*eth) - sizeof(*ip)));
	}
	return len;
}

static void usage(void)
{
	fprintf(stderr, "usage: turtlecap-bench-trafgen -i IF -m DSTMAC -s "
			"SRCIP -d DSTIP -l LEN -r PPS -t SECONDS [-p PORT] "
			"[-T]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *dmac = NULL, *sip_s = NULL, *dip_s = NULL;
	/* 2 bytes in: the IP header after the 14-byte Ethernet one is
	 * 4-aligned */
	static uint8_t buf[MAX_LEN + 2] __attribute__((aligned(4)));
	uint8_t *frame = buf + 2, dst[6], src[6];
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	struct sockaddr_ll sll = { 0 };
	struct in_addr sip, dip;
	struct ifreq ifr = { 0 };
	double seconds = 1, rate = 1000;
	uint64_t sent = 0, txerr = 0, t0, end, now;
	size_t len = 64;
	int opt, fd, one = 1, sndbuf = 4 << 20, tcp = 0;
	uint16_t port = 9;

	while ((opt = getopt(argc, argv, "i:m:s:d:l:r:t:p:T")) != -1) {
		switch (opt) {
		case 'i':
			ifname = optarg;
			break;
		case 'm':
			dmac = optarg;
			break;
		case 's':
			sip_s = optarg;
			break;
		case 'd':
			dip_s = optarg;
			break;
		case 'l':
			len = strtoul(optarg, NULL, 10);
			break;
		case 'r':
			rate = strtod(optarg, NULL);
			break;
		case 't':
			seconds = strtod(optarg, NULL);
			break;
		case 'p':
			port = (uint16_t)strtoul(optarg, NULL, 10);
			break;
		case 'T':
			tcp = 1;
			break;
		default:
			usage();
		}
	}
	if (!ifname || !dmac || !sip_s || !dip_s || len > MAX_LEN ||
	    rate <= 0 || seconds <= 0 || parse_mac(dmac, dst) < 0 ||
	    inet_pton(AF_INET, sip_s, &sip) != 1 ||
	    inet_pton(AF_INET, dip_s, &dip) != 1)
		usage();

	fd = socket(AF_PACKET, SOCK_RAW, 0); /* send only: no protocol */
	if (fd < 0) {
		perror("socket(AF_PACKET)");
		return 1;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		perror(ifname);
		return 1;
	}
	memcpy(src, ifr.ifr_hwaddr.sa_data, 6);
	/* straight to the driver: no qdisc lock, no requeue per frame */
	if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) <
	    0)
		perror("PACKET_QDISC_BYPASS (going on without)");
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, dst, 6);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("bind");
		return 1;
	}
	len = build_frame(frame, len, dst, src, sip, dip, port, tcp);
	iov = (struct iovec){ .iov_base = frame, .iov_len = len };
	for (int i = 0; i < BATCH; i++)
		msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov,
							 .msg_iovlen = 1 } };
	/* sleeps of a few microseconds must not stretch to 50 */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);

	t0 = now_ns();
	end = t0 + (uint64_t)(seconds * 1e9);
	while ((now = now_ns()) < end) {
		/* frames due by now, from the start: a late wake-up sends a
		 * bigger batch, so the average holds */
		uint64_t due = (uint64_t)((double)(now - t0) * rate / 1e9) + 1;
		int n, want;

		if (due <= sent + txerr) {
			uint64_t next = t0 + (uint64_t)((double)(sent + txerr) *
							1e9 / rate);
			struct timespec ts;

			if (next > now + 2000) {
				ts.tv_sec = 0;
				ts.tv_nsec = (long)(next - now);
				nanosleep(&ts, NULL);
			}
			continue;
		}
		want = due - sent - txerr > BATCH ? BATCH
						  : (int)(due - sent - txerr);
		n = sendmmsg(fd, msgs, (unsigned int)want, 0);
		if (n < 0) {
			if (errno == ENOBUFS || errno == EAGAIN) {
				txerr++; /* one refused: skip it, stay paced */
				continue;
			}
			perror("sendmmsg");
			return 1;
		}
		sent += (uint64_t)n;
		if (n < want)
			txerr++; /* the batch stopped at a refused frame */
	}
	now = now_ns();
	printf("sent=%llu txerr=%llu seconds=%.3f pps=%.0f\n",
	       (unsigned long long)sent, (unsigned long long)txerr,
	       (double)(now - t0) / 1e9,
	       (double)sent * 1e9 / (double)(now - t0));
	close(fd);
	return 0;
}
