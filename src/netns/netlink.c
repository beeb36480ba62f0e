/* SPDX-License-Identifier: MIT */
/*
 * RTM_GETLINK dump over a raw NETLINK_ROUTE socket. The parser treats its
 * input as hostile (it is fuzzed and replayed from fixtures): every header
 * is copied out with memcpy() (the buffer need not be aligned) and every
 * length is checked against what is left before it is used.
 */
#include "netlink.h"
#include "util.h"

#include <limits.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if_arp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>

/* Newer than glibc's <net/if_arp.h>. */
#ifndef ARPHRD_CAIF
#define ARPHRD_CAIF 822
#endif
#ifndef ARPHRD_IP6GRE
#define ARPHRD_IP6GRE 823
#endif
#ifndef ARPHRD_NETLINK
#define ARPHRD_NETLINK 824
#endif
#ifndef ARPHRD_6LOWPAN
#define ARPHRD_6LOWPAN 825
#endif
#ifndef ARPHRD_VSOCKMON
#define ARPHRD_VSOCKMON 826
#endif
#ifndef ARPHRD_PHONET
#define ARPHRD_PHONET 820
#endif
#ifndef ARPHRD_PHONET_PIPE
#define ARPHRD_PHONET_PIPE 821
#endif
#ifndef ARPHRD_LAPD
#define ARPHRD_LAPD 8445
#endif
#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif
#ifndef RTEXT_FILTER_SKIP_STATS
#define RTEXT_FILTER_SKIP_STATS (1 << 3)
#endif

/* A single dump message never comes near this; beyond it we give up. */
#define RECV_BUF_INITIAL (32 * 1024)
#define RECV_BUF_MAX	 (1024 * 1024)

/* Largest errno the kernel hands out (MAX_ERRNO). */
#define ERRNO_MAX 4095

void netlink_links_clear(struct netlink_links *l)
{
	if (!l)
		return;
	free(l->links);
	*l = (struct netlink_links){ 0 };
}

/*
 * Step over one attribute of [*p, *p + *rem). Returns 1 with the type
 * (flags stripped) and payload, 0 at the end, -EBADMSG if the attribute
 * claims more than is there. Fewer than sizeof(struct rtattr) bytes left
 * over are ignored, as the kernel's own nla_parse() does.
 */
static int attr_next(const uint8_t **p, size_t *rem, uint16_t *ret_type,
		     const uint8_t **ret_data, size_t *ret_len)
{
	struct rtattr rta;
	size_t step;

	if (*rem < sizeof(rta))
		return 0;
	memcpy(&rta, *p, sizeof(rta));
	if (rta.rta_len < sizeof(rta) || rta.rta_len > *rem)
		return -EBADMSG;

	*ret_type = rta.rta_type & (uint16_t)NLA_TYPE_MASK;
	*ret_data = *p + sizeof(rta);
	*ret_len = rta.rta_len - sizeof(rta);

	/* The last attribute may lack its padding. */
	step = RTA_ALIGN((size_t)rta.rta_len);
	if (step > *rem)
		step = *rem;
	*p += step;
	*rem -= step;
	return 1;
}

/* A NUL-terminated string attribute that fits buf (bytes after the NUL
 * are tolerated). Never truncated: too long is malformed. */
static int attr_string(const uint8_t *data, size_t len, char *buf, size_t size,
		       bool allow_empty)
{
	const uint8_t *nul = memchr(data, 0, len);
	size_t n;

	if (!nul)
		return -EBADMSG;
	n = (size_t)(nul - data);
	if (n >= size || (n == 0 && !allow_empty))
		return -EBADMSG;
	memcpy(buf, data, n + 1);
	return 0;
}

static int attr_u32(const uint8_t *data, size_t len, uint32_t *ret)
{
	if (len != sizeof(*ret))
		return -EBADMSG;
	memcpy(ret, data, sizeof(*ret));
	return 0;
}

static int parse_linkinfo(const uint8_t *p, size_t rem,
			  struct netlink_link *link)
{
	const uint8_t *data;
	uint16_t type;
	size_t len;
	int r;

	while ((r = attr_next(&p, &rem, &type, &data, &len)) > 0) {
		if (type != IFLA_INFO_KIND)
			continue;
		r = attr_string(data, len, link->kind, sizeof(link->kind),
				true);
		if (r < 0)
			return r;
	}
	return r;
}

/* The payload of one RTM_NEWLINK: struct ifinfomsg, then attributes. */
static int parse_link(const uint8_t *p, size_t len, struct netlink_link *ret)
{
	struct netlink_link link = { .link_netnsid = -1 };
	struct ifinfomsg ifi;
	bool have_name = false;
	const uint8_t *data;
	uint16_t type;
	size_t dlen, rem;
	uint32_t v;
	int r;

	if (len < NLMSG_ALIGN(sizeof(ifi)))
		return -EBADMSG;
	memcpy(&ifi, p, sizeof(ifi));
	if (ifi.ifi_index <= 0)
		return -EBADMSG;
	link.index = ifi.ifi_index;
	link.type = ifi.ifi_type;
	link.flags = ifi.ifi_flags;

	p += NLMSG_ALIGN(sizeof(ifi));
	rem = len - NLMSG_ALIGN(sizeof(ifi));
	while ((r = attr_next(&p, &rem, &type, &data, &dlen)) > 0) {
		switch (type) {
		case IFLA_IFNAME:
			r = attr_string(data, dlen, link.name,
					sizeof(link.name), false);
			have_name = r >= 0;
			break;
		case IFLA_MTU:
			r = attr_u32(data, dlen, &link.mtu);
			break;
		case IFLA_LINK:
			r = attr_u32(data, dlen, &v);
			if (r >= 0 && v > INT_MAX)
				r = -EBADMSG;
			if (r >= 0)
				link.link_index = (int)v;
			break;
		case IFLA_LINK_NETNSID:
			/* s32; -1 (NETNSA_NSID_NOT_ASSIGNED) if the peer
			 * netns is going away */
			r = attr_u32(data, dlen, &v);
			if (r >= 0 && (int32_t)v < -1)
				r = -EBADMSG;
			if (r >= 0)
				link.link_netnsid = (int32_t)v;
			break;
		case IFLA_ADDRESS:
			if (dlen > sizeof(link.addr)) {
				r = -EBADMSG;
				break;
			}
			memcpy(link.addr, data, dlen);
			link.addr_len = (uint8_t)dlen;
			break;
		case IFLA_LINKINFO:
			r = parse_linkinfo(data, dlen, &link);
			break;
		default:
			break;
		}
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;
	if (!have_name)
		return -EBADMSG;

	*ret = link;
	return 0;
}

static int links_append(struct netlink_links *l,
			const struct netlink_link *link)
{
	if (l->n >= NETLINK_LINKS_MAX)
		return -E2BIG;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct netlink_link *nl;

		if (cap > NETLINK_LINKS_MAX)
			cap = NETLINK_LINKS_MAX;
		nl = realloc(l->links, cap * sizeof(*nl));
		if (!nl)
			return -ENOMEM;
		l->links = nl;
		l->cap = cap;
	}
	l->links[l->n++] = *link;
	return 0;
}

/* The leading int of NLMSG_ERROR and NLMSG_DONE payloads. */
static int payload_errno(const uint8_t *p, size_t len, int *ret)
{
	int e;

	if (len < sizeof(e))
		return -EBADMSG;
	memcpy(&e, p, sizeof(e));
	if (e < -ERRNO_MAX)
		return -EBADMSG;
	*ret = e;
	return 0;
}

struct dump_filter {
	uint32_t seq;
};

/*
 * The body of netlink_parse_links(). With a filter (the live path),
 * messages of another sequence number are skipped, and NLM_F_DUMP_INTR
 * is reported in *ret_intr.
 */
static int parse_buffer(const void *buf, size_t len, struct netlink_links *l,
			const struct dump_filter *filter, bool *ret_done,
			bool *ret_intr)
{
	const uint8_t *p = buf;
	size_t rem = len, n0;
	bool done = false, intr = false;
	int r = 0;

	if (!l || (!buf && len > 0))
		return -EINVAL;
	n0 = l->n;

	while (!done && rem >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;
		struct netlink_link link;
		const uint8_t *payload;
		size_t plen, step;
		int e;

		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > rem) {
			r = -EBADMSG;
			goto fail;
		}
		payload = p + NLMSG_HDRLEN;
		plen = h.nlmsg_len - NLMSG_HDRLEN;

		step = NLMSG_ALIGN((size_t)h.nlmsg_len);
		if (step > rem)
			step = rem;
		p += step;
		rem -= step;

		if (filter && h.nlmsg_seq != filter->seq)
			continue;
		if (h.nlmsg_flags & NLM_F_DUMP_INTR)
			intr = true;

		switch (h.nlmsg_type) {
		case NLMSG_DONE:
			/* Carries the dump's final error (0 when fine); very
			 * old kernels sent no payload at all. */
			if (plen >= sizeof(int)) {
				r = payload_errno(payload, plen, &e);
				if (r < 0)
					goto fail;
				if (e < 0) {
					r = e;
					goto fail;
				}
			}
			done = true;
			break;
		case NLMSG_ERROR:
			r = payload_errno(payload, plen, &e);
			if (r < 0)
				goto fail;
			/* error 0 is an ACK, which a dump is not */
			if (e < 0) {
				r = e;
				goto fail;
			}
			break;
		case RTM_NEWLINK:
			r = parse_link(payload, plen, &link);
			if (r < 0)
				goto fail;
			r = links_append(l, &link);
			if (r < 0)
				goto fail;
			break;
		default:
			/* NLMSG_NOOP, NLMSG_OVERRUN, anything newer */
			break;
		}
	}
	/* Part of a header left: the buffer was cut mid-message. */
	if (!done && rem > 0) {
		r = -EBADMSG;
		goto fail;
	}

	if (ret_done)
		*ret_done = done;
	if (ret_intr)
		*ret_intr = intr;
	return 0;

fail:
	l->n = n0;
	return r;
}

int netlink_parse_links(const void *buf, size_t len, struct netlink_links *l,
			bool *ret_done)
{
	return parse_buffer(buf, len, l, NULL, ret_done, NULL);
}

static int open_route_socket(void)
{
	_cleanup_close_ int fd = -1;
	struct timeval tv = { .tv_sec = 1 };
	int one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return negerrno();
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return negerrno();
	/* Have the kernel reject a request it does not understand instead
	 * of silently ignoring parts of it; pre-4.20 kernels lack it. */
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one,
			 sizeof(one));
	return TAKE_FD(fd);
}

static int send_getlink(int fd, uint32_t seq)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
		struct rtattr rta;
		uint32_t ext_mask;
	} req;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;

	_Static_assert(sizeof(req) == NLMSG_LENGTH(sizeof(struct ifinfomsg)) +
					      RTA_LENGTH(sizeof(uint32_t)),
		       "request must be packed");

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = seq;
	req.ifi.ifi_family = AF_UNSPEC;
	/* Statistics are most of each message and we never look at them. */
	req.rta.rta_type = IFLA_EXT_MASK;
	req.rta.rta_len = RTA_LENGTH(sizeof(uint32_t));
	req.ext_mask = RTEXT_FILTER_SKIP_STATS;

	do
		n = sendto(fd, &req, sizeof(req), 0,
			   (const struct sockaddr *)&kernel, sizeof(kernel));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return negerrno();
	if ((size_t)n != sizeof(req))
		return -EIO;
	return 0;
}

/* recvmsg() that turns the SO_RCVTIMEO expiry into -ETIMEDOUT. */
static ssize_t recv_retry(int fd, struct msghdr *mh, int flags)
{
	ssize_t n;

	do
		n = recvmsg(fd, mh, flags);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		/* EWOULDBLOCK == EAGAIN on Linux */
		return errno == EAGAIN ? -ETIMEDOUT : negerrno();
	return n;
}

/* One complete dump on a fresh socket into *ret. */
static int dump_links(uint32_t seq, struct netlink_links *ret, bool *ret_intr)
{
	_cleanup_(netlink_links_clear) struct netlink_links l = { 0 };
	_cleanup_close_ int fd = -1;
	_cleanup_free_ uint8_t *buf = NULL;
	struct dump_filter filter = { .seq = seq };
	size_t size = RECV_BUF_INITIAL;
	bool done = false, intr = false;
	int r;

	fd = open_route_socket();
	if (fd < 0)
		return fd;
	r = send_getlink(fd, seq);
	if (r < 0)
		return r;
	buf = malloc(size);
	if (!buf)
		return -ENOMEM;

	while (!done) {
		struct sockaddr_nl sender;
		struct iovec iov = { .iov_base = buf, .iov_len = size };
		struct msghdr mh = {
			.msg_name = &sender,
			.msg_namelen = sizeof(sender),
			.msg_iov = &iov,
			.msg_iovlen = 1,
		};
		bool buf_intr = false;
		ssize_t n;

		/* Peek first so a datagram larger than buf is never cut. */
		n = recv_retry(fd, &mh, MSG_PEEK | MSG_TRUNC);
		if (n < 0)
			return (int)n;
		if ((size_t)n > size) {
			uint8_t *nb;

			if ((size_t)n > RECV_BUF_MAX)
				return -EMSGSIZE;
			nb = realloc(buf, (size_t)n);
			if (!nb)
				return -ENOMEM;
			buf = nb;
			size = (size_t)n;
			continue;
		}

		mh.msg_namelen = sizeof(sender);
		n = recv_retry(fd, &mh, 0);
		if (n < 0)
			return (int)n;
		if (mh.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		/* Only the kernel (port 0) answers our dump. */
		if (mh.msg_namelen != sizeof(sender) ||
		    sender.nl_family != AF_NETLINK || sender.nl_pid != 0)
			continue;
		if (n == 0)
			return -EBADMSG;

		r = parse_buffer(buf, (size_t)n, &l, &filter, &done, &buf_intr);
		if (r < 0)
			return r;
		intr = intr || buf_intr;
	}

	*ret_intr = intr;
	*ret = l;
	l = (struct netlink_links){ 0 };
	return 0;
}

static int link_cmp(const void *a, const void *b)
{
	const struct netlink_link *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

int netlink_list_links(struct netlink_links *ret)
{
	uint32_t seq = (uint32_t)time(NULL);

	if (!ret)
		return -EINVAL;

	/* Links changed while the kernel walked them: once more, then
	 * give up rather than spin. */
	for (int attempt = 0; attempt < 2; attempt++) {
		struct netlink_links l = { 0 };
		bool intr = false;
		int r;

		r = dump_links(seq + (uint32_t)attempt, &l, &intr);
		if (r < 0)
			return r;
		if (!intr) {
			if (l.n > 1)
				qsort(l.links, l.n, sizeof(*l.links), link_cmp);
			*ret = l;
			return 0;
		}
		netlink_links_clear(&l);
	}
	return -EAGAIN;
}

const char *netlink_link_type_name(uint16_t arphrd)
{
	/* Short names after iproute2's ll_types.c, lowercased. */
	switch (arphrd) {
	case ARPHRD_NETROM:
		return "netrom";
	case ARPHRD_ETHER:
		return "ether";
	case ARPHRD_EETHER:
		return "eether";
	case ARPHRD_AX25:
		return "ax25";
	case ARPHRD_PRONET:
		return "pronet";
	case ARPHRD_CHAOS:
		return "chaos";
	case ARPHRD_IEEE802:
		return "ieee802";
	case ARPHRD_ARCNET:
		return "arcnet";
	case ARPHRD_APPLETLK:
		return "atalk";
	case ARPHRD_DLCI:
		return "dlci";
	case ARPHRD_ATM:
		return "atm";
	case ARPHRD_METRICOM:
		return "metricom";
	case ARPHRD_IEEE1394:
		return "ieee1394";
	case ARPHRD_EUI64:
		return "eui64";
	case ARPHRD_INFINIBAND:
		return "infiniband";
	case ARPHRD_SLIP:
		return "slip";
	case ARPHRD_CSLIP:
		return "cslip";
	case ARPHRD_SLIP6:
		return "slip6";
	case ARPHRD_CSLIP6:
		return "cslip6";
	case ARPHRD_RSRVD:
		return "rsrvd";
	case ARPHRD_ADAPT:
		return "adapt";
	case ARPHRD_ROSE:
		return "rose";
	case ARPHRD_X25:
		return "x25";
	case ARPHRD_HWX25:
		return "hwx25";
	case ARPHRD_CAN:
		return "can";
	case ARPHRD_MCTP:
		return "mctp";
	case ARPHRD_PPP:
		return "ppp";
	case ARPHRD_CISCO:
		return "cisco";
	case ARPHRD_LAPB:
		return "lapb";
	case ARPHRD_DDCMP:
		return "ddcmp";
	case ARPHRD_RAWHDLC:
		return "rawhdlc";
	case ARPHRD_RAWIP:
		return "rawip";
	case ARPHRD_TUNNEL:
		return "ipip";
	case ARPHRD_TUNNEL6:
		return "tunnel6";
	case ARPHRD_FRAD:
		return "frad";
	case ARPHRD_SKIP:
		return "skip";
	case ARPHRD_LOOPBACK:
		return "loopback";
	case ARPHRD_LOCALTLK:
		return "ltalk";
	case ARPHRD_FDDI:
		return "fddi";
	case ARPHRD_BIF:
		return "bif";
	case ARPHRD_SIT:
		return "sit";
	case ARPHRD_IPDDP:
		return "ipddp";
	case ARPHRD_IPGRE:
		return "gre";
	case ARPHRD_PIMREG:
		return "pimreg";
	case ARPHRD_HIPPI:
		return "hippi";
	case ARPHRD_ASH:
		return "ash";
	case ARPHRD_ECONET:
		return "econet";
	case ARPHRD_IRDA:
		return "irda";
	case ARPHRD_FCPP:
		return "fcpp";
	case ARPHRD_FCAL:
		return "fcal";
	case ARPHRD_FCPL:
		return "fcpl";
	case ARPHRD_FCFABRIC:
		return "fcfabric";
	case ARPHRD_IEEE802_TR:
		return "tr";
	case ARPHRD_IEEE80211:
		return "ieee80211";
	case ARPHRD_IEEE80211_PRISM:
		return "ieee80211_prism";
	case ARPHRD_IEEE80211_RADIOTAP:
		return "ieee80211_radiotap";
	case ARPHRD_IEEE802154:
		return "ieee802154";
	case ARPHRD_IEEE802154_PHY:
		return "ieee802154_phy";
	case ARPHRD_PHONET:
		return "phonet";
	case ARPHRD_PHONET_PIPE:
		return "phonet_pipe";
	case ARPHRD_CAIF:
		return "caif";
	case ARPHRD_IP6GRE:
		return "ip6gre";
	case ARPHRD_NETLINK:
		return "netlink";
	case ARPHRD_6LOWPAN:
		return "6lowpan";
	case ARPHRD_VSOCKMON:
		return "vsockmon";
	case ARPHRD_LAPD:
		return "lapd";
	case ARPHRD_VOID:
		return "void";
	case ARPHRD_NONE:
		return "none";
	default:
		return "other";
	}
}

/* pcap LINKTYPE_* values (the on-disk numbers, not the local DLT_*). */
#define LINKTYPE_ETHERNET	     1
#define LINKTYPE_EXP_ETHERNET	     2
#define LINKTYPE_PRONET		     4
#define LINKTYPE_CHAOS		     5
#define LINKTYPE_IEEE802_5	     6
#define LINKTYPE_FDDI		     10
#define LINKTYPE_RAW		     101
#define LINKTYPE_C_HDLC		     104
#define LINKTYPE_IEEE802_11	     105
#define LINKTYPE_FRELAY		     107
#define LINKTYPE_LINUX_SLL	     113
#define LINKTYPE_LTALK		     114
#define LINKTYPE_IEEE802_11_PRISM    119
#define LINKTYPE_IP_OVER_FC	     122
#define LINKTYPE_IEEE802_11_RADIOTAP 127
#define LINKTYPE_ARCNET_LINUX	     129
#define LINKTYPE_LINUX_IRDA	     144
#define LINKTYPE_LINUX_LAPD	     177
#define LINKTYPE_AX25_KISS	     202
#define LINKTYPE_FC_2		     224
#define LINKTYPE_CAN_SOCKETCAN	     227
#define LINKTYPE_IEEE802_15_4_NOFCS  230
#define LINKTYPE_NETLINK	     253
#define LINKTYPE_VSOCK		     271

int netlink_link_type_linktype(uint16_t arphrd)
{
	/*
	 * Mirrors map_arphrd_to_dlt() in libpcap's pcap-linux.c (1.10).
	 * Whatever it has no mapping for is captured in cooked mode, and so
	 * are ATM and PPP; ignored are its by-name special cases (Android's
	 * cdma_rmnet* is raw IP, isdn* is cooked, DSA masters get a DSA
	 * type) since only the ARPHRD is known here.
	 */
	switch (arphrd) {
	case ARPHRD_ETHER:
	case ARPHRD_METRICOM:
	case ARPHRD_LOOPBACK: /* Linux loopback has Ethernet framing */
		return LINKTYPE_ETHERNET;
	case ARPHRD_EETHER:
		return LINKTYPE_EXP_ETHERNET;
	case ARPHRD_AX25:
		return LINKTYPE_AX25_KISS;
	case ARPHRD_PRONET:
		return LINKTYPE_PRONET;
	case ARPHRD_CHAOS:
		return LINKTYPE_CHAOS;
	case ARPHRD_CAN:
		return LINKTYPE_CAN_SOCKETCAN;
	case ARPHRD_IEEE802_TR:
	case ARPHRD_IEEE802:
		return LINKTYPE_IEEE802_5;
	case ARPHRD_ARCNET:
		return LINKTYPE_ARCNET_LINUX;
	case ARPHRD_FDDI:
		return LINKTYPE_FDDI;
	case ARPHRD_IEEE80211:
		return LINKTYPE_IEEE802_11;
	case ARPHRD_IEEE80211_PRISM:
		return LINKTYPE_IEEE802_11_PRISM;
	case ARPHRD_IEEE80211_RADIOTAP:
		return LINKTYPE_IEEE802_11_RADIOTAP;
	case ARPHRD_CISCO:
		return LINKTYPE_C_HDLC;
	case ARPHRD_TUNNEL: /* ipip */
	case ARPHRD_SIT:
	case ARPHRD_CSLIP:
	case ARPHRD_SLIP6:
	case ARPHRD_CSLIP6:
	case ARPHRD_ADAPT:
	case ARPHRD_SLIP:
	case ARPHRD_RAWHDLC:
	case ARPHRD_DLCI:
	case ARPHRD_NONE: /* tun, wireguard: bare IP packets */
		return LINKTYPE_RAW;
	case ARPHRD_FRAD:
		return LINKTYPE_FRELAY;
	case ARPHRD_LOCALTLK:
		return LINKTYPE_LTALK;
	case 18: /* RFC 4338 IP over FC; Linux has no ARPHRD_ name */
		return LINKTYPE_IP_OVER_FC;
	case ARPHRD_FCPP:
	case ARPHRD_FCAL:
	case ARPHRD_FCPL:
	case ARPHRD_FCFABRIC:
		return LINKTYPE_FC_2;
	case ARPHRD_IRDA:
		return LINKTYPE_LINUX_IRDA;
	case ARPHRD_LAPD:
		return LINKTYPE_LINUX_LAPD;
	case ARPHRD_IEEE802154:
		return LINKTYPE_IEEE802_15_4_NOFCS;
	case ARPHRD_NETLINK:
		return LINKTYPE_NETLINK;
	case ARPHRD_VSOCKMON:
		return LINKTYPE_VSOCK;
	default:
		/* gre, ip6gre, tunnel6, ppp, atm, infiniband, void, ... */
		return LINKTYPE_LINUX_SLL;
	}
}
