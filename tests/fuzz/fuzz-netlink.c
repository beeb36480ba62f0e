/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the RTM_GETLINK dump parser (src/netns/netlink.c):
 * the dump lists the links of a namespace a container controls (names,
 * kinds, addresses are its choice). An input in the recording format of
 * tests/unit/nl-record.c (4-byte little-endian length, then the datagram,
 * repeated) is replayed datagram by datagram as netlink_list_links() does,
 * until NLMSG_DONE; every input is also parsed as one datagram. Besides crashes and
 * sanitizer reports, it checks what the callers rely on (abort() when
 * broken): errors are -errno, a failure keeps the links from before, and
 * every link has a positive index, a terminated non-empty name, a
 * terminated kind and an address that fits.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netlink.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DATAGRAMS_MAX 64

static void check_links(const struct netlink_links *l, size_t from)
{
	if (l->n > NETLINK_LINKS_MAX || l->n > l->cap || (l->n && !l->links))
		abort();
	for (size_t i = from; i < l->n; i++) {
		const struct netlink_link *k = &l->links[i];
		size_t name = strnlen(k->name, sizeof(k->name));

		if (k->index <= 0 || name == 0 || name == sizeof(k->name) ||
		    strnlen(k->kind, sizeof(k->kind)) == sizeof(k->kind) ||
		    k->addr_len > sizeof(k->addr) || k->link_index < 0 ||
		    k->link_netnsid < -1 || !netlink_link_type_name(k->type))
			abort();
	}
}

/* One datagram, from an exact-size copy (ASan sees any overread). */
static int parse_one(const uint8_t *buf, size_t len, struct netlink_links *l,
		     bool *ret_done)
{
	uint8_t *copy = malloc(len ? len : 1);
	size_t n0 = l->n;
	bool done = true; /* must stay as it is on failure */
	int r;

	if (!copy)
		abort();
	memcpy(copy, buf, len);
	r = netlink_parse_links(copy, len, l, &done);
	free(copy);
	if (r > 0 || r < -4095)
		abort();
	if (r < 0) {
		if (l->n != n0 || !done)
			abort();
		return r;
	}
	check_links(l, n0);
	*ret_done = done;
	return 0;
}

/* Split a recording; false if data is not one. */
static bool split(const uint8_t *data, size_t size, const uint8_t **bufs,
		  size_t *lens, size_t *ret_n)
{
	size_t off = 0, n = 0;

	while (off < size) {
		size_t len;

		if (size - off < 4 || n == DATAGRAMS_MAX)
			return false;
		len = (size_t)data[off] | (size_t)data[off + 1] << 8 |
		      (size_t)data[off + 2] << 16 | (size_t)data[off + 3] << 24;
		if (len > size - off - 4)
			return false;
		bufs[n] = data + off + 4;
		lens[n++] = len;
		off += 4 + len;
	}
	*ret_n = n;
	return n > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *bufs[DATAGRAMS_MAX];
	size_t lens[DATAGRAMS_MAX], n;
	struct netlink_links l = { 0 };

	bool done = false;

	if (split(data, size, bufs, lens, &n)) {
		for (size_t i = 0; i < n; i++)
			if (parse_one(bufs[i], lens[i], &l, &done) < 0 || done)
				break;
		netlink_links_clear(&l);
	}
	(void)parse_one(data, size, &l, &done);
	netlink_links_clear(&l);
	if (l.links || l.n || l.cap)
		abort();
	/* never NULL, for any type a link may claim */
	if (size >= 2) {
		uint16_t t;

		memcpy(&t, data, sizeof(t));
		if (!netlink_link_type_name(t))
			abort();
		(void)netlink_link_type_linktype(t);
	}
	return 0;
}
