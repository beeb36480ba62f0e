/* SPDX-License-Identifier: MIT */
/*
 * Network interfaces of the calling thread's current network namespace,
 * listed with an rtnetlink RTM_GETLINK dump. sysfs would show the mounting
 * process's namespace, not the one we entered, hence netlink.
 *
 * The parser is separate from the socket code so that recorded dumps
 * (tests/fixtures/netlink/) can be replayed and fuzzed.
 */
#ifndef TURTLECAP_NETLINK_H
#define TURTLECAP_NETLINK_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NETLINK_KIND_MAX  32
#define NETLINK_ADDR_MAX  32 /* MAX_ADDR_LEN of the kernel */
#define NETLINK_LINKS_MAX 4096

struct netlink_link {
	int index;
	char name
		[IF_NAMESIZE]; /* NUL-terminated; bytes as the kernel has them */
	uint16_t type;	       /* ARPHRD_* */
	uint32_t flags;	       /* IFF_* */
	uint32_t mtu;
	char kind
		[NETLINK_KIND_MAX]; /* IFLA_INFO_KIND ("veth", "bridge"), or "" */
	int link_index;		    /* IFLA_LINK, 0 if none */
	int link_netnsid;	    /* IFLA_LINK_NETNSID, -1 if none */
	uint8_t addr[NETLINK_ADDR_MAX]; /* IFLA_ADDRESS */
	uint8_t addr_len;
};

struct netlink_links {
	struct netlink_link *links;
	size_t n, cap;
};

void netlink_links_clear(struct netlink_links *l);

/*
 * List the links of the current thread's netns, sorted by index.
 * Bounded: at most NETLINK_LINKS_MAX links (-E2BIG beyond) and a receive
 * timeout of 1 s (-ETIMEDOUT). An inconsistent dump (NLM_F_DUMP_INTR) is
 * retried once, then gives -EAGAIN. *ret is overwritten, not freed.
 */
int netlink_list_links(struct netlink_links *ret);

/*
 * Parse one buffer received from an RTM_GETLINK dump (several nlmsghdr),
 * appending links to *l. *ret_done (may be NULL) tells whether NLMSG_DONE
 * was seen. Other message types are skipped; nlmsg_seq is not checked here.
 * Malformed input gives -EBADMSG; an NLMSG_ERROR (or a NLMSG_DONE carrying
 * an error) gives its -errno; more than NETLINK_LINKS_MAX links -E2BIG.
 * On failure *l keeps the links it had before the call. A buffer cut at
 * a message boundary is not malformed: it just holds fewer messages.
 * Strict about what the kernel never sends: IFLA_IFNAME missing, empty,
 * unterminated or >= IF_NAMESIZE, IFLA_INFO_KIND unterminated or >=
 * NETLINK_KIND_MAX, IFLA_ADDRESS longer than NETLINK_ADDR_MAX and
 * fixed-size attributes of the wrong size are all -EBADMSG (nothing is
 * silently truncated).
 */
int netlink_parse_links(const void *buf, size_t len, struct netlink_links *l,
			bool *ret_done);

/* "ether", "loopback", "none", "ipip", ... ; never NULL. */
const char *netlink_link_type_name(uint16_t arphrd);
/* The pcap LINKTYPE a capture on this ARPHRD will most likely have. */
int netlink_link_type_linktype(uint16_t arphrd);

#endif
