/* SPDX-License-Identifier: MIT */
/*
 * netlink: replay real RTM_GETLINK dumps recorded with nl-record.c
 * (tests/fixtures/netlink/), malformed variants derived from them and
 * hand-built messages, then the live dump against if_nameindex().
 *
 * odd.bin was recorded in a scratch netns holding: lo (up), veth0 (peer
 * veth1 in another netns, port of br0), br0, tun0, ifb "d\xff\xfe"
 * (02:00:00:00:00:01, mtu 1234), ifb "d\xc3\xbc" (02:00:00:00:00:02) and
 * ifb "abcdefghijklmno" (IF_NAMESIZE - 1 bytes). host.bin is the test VM's
 * own netns: lo, ifb0, ifb1, eth0 (02:fc:00:00:00:01).
 */
#include "netlink.h"
#include "tap.h"
#include "util.h"

#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if_arp.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>

#define FIXTURE_BUFS_MAX 64

struct fixture {
	char *data; /* the whole file */
	const uint8_t *buf[FIXTURE_BUFS_MAX];
	size_t len[FIXTURE_BUFS_MAX];
	size_t n;
};

static void fixture_free(struct fixture *f)
{
	free(f->data);
	*f = (struct fixture){ 0 };
}

/* Split a recording into the datagrams as the kernel sent them. */
static int fixture_load(const char *name, struct fixture *f)
{
	char path[4096];
	size_t size, off = 0;
	int r;

	*f = (struct fixture){ 0 };
	snprintf(path, sizeof(path), "%s/netlink/%s", tap_fixtures, name);
	r = read_file_at(AT_FDCWD, path, 1 << 20, &f->data, &size);
	if (r < 0) {
		fprintf(stderr, "# %s: %s\n", path, strerror(-r));
		return r;
	}
	while (off < size) {
		const uint8_t *p = (const uint8_t *)f->data + off;
		size_t len;

		if (size - off < 4 || f->n == FIXTURE_BUFS_MAX)
			goto bad;
		len = (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 |
		      (size_t)p[3] << 24;
		if (len > size - off - 4)
			goto bad;
		f->buf[f->n] = p + 4;
		f->len[f->n] = len;
		f->n++;
		off += 4 + len;
	}
	return 0;
bad:
	fprintf(stderr, "# %s: bad fixture\n", path);
	fixture_free(f);
	return -EBADMSG;
}

/* Replay all datagrams; NLMSG_DONE must come with the last one only. */
static int replay(const struct fixture *f, struct netlink_links *l)
{
	for (size_t i = 0; i < f->n; i++) {
		bool done = true;
		int r = netlink_parse_links(f->buf[i], f->len[i], l, &done);

		if (r < 0)
			return r;
		if (done != (i == f->n - 1))
			return -EPROTO;
	}
	return 0;
}

static const struct netlink_link *find(const struct netlink_links *l,
				       const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->links[i].name, name) == 0)
			return &l->links[i];
	return NULL;
}

static bool mac_is(const struct netlink_link *k, const char *mac)
{
	uint8_t want[6];

	if (sscanf(mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &want[0], &want[1],
		   &want[2], &want[3], &want[4], &want[5]) != 6)
		return false;
	return k->addr_len == 6 && memcmp(k->addr, want, 6) == 0;
}

/* Offset of the first message of buffer buf whose IFLA_IFNAME is name. */
static size_t msg_of(const uint8_t *buf, size_t len, const char *name)
{
	size_t off = 0;

	while (off + NLMSG_HDRLEN <= len) {
		struct nlmsghdr h;
		size_t a;

		memcpy(&h, buf + off, sizeof(h));
		for (a = off + NLMSG_LENGTH(sizeof(struct ifinfomsg));
		     h.nlmsg_type == RTM_NEWLINK &&
		     a + 4 <= off + h.nlmsg_len;) {
			struct rtattr rta;

			memcpy(&rta, buf + a, sizeof(rta));
			if (rta.rta_len < 4)
				break;
			if (rta.rta_type == IFLA_IFNAME &&
			    strcmp((const char *)buf + a + 4, name) == 0)
				return off;
			a += RTA_ALIGN(rta.rta_len);
		}
		off += NLMSG_ALIGN(h.nlmsg_len);
	}
	return SIZE_MAX;
}

/* Offset of attribute type within [from, to) of buf, SIZE_MAX if none. */
static size_t attr_of(const uint8_t *buf, size_t from, size_t to, uint16_t type)
{
	while (from + 4 <= to) {
		struct rtattr rta;

		memcpy(&rta, buf + from, sizeof(rta));
		if (rta.rta_len < 4)
			break;
		if ((rta.rta_type & NLA_TYPE_MASK) == type)
			return from;
		from += RTA_ALIGN(rta.rta_len);
	}
	return SIZE_MAX;
}

static uint32_t msg_len_at(const uint8_t *buf, size_t off)
{
	struct nlmsghdr h;

	memcpy(&h, buf + off, sizeof(h));
	return h.nlmsg_len;
}

static void put_u16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* Parse a private copy of exactly len bytes, so ASan sees any overread. */
static int parse_copy(const void *buf, size_t len, struct netlink_links *l,
		      bool *done)
{
	_cleanup_free_ uint8_t *copy = malloc(len ? len : 1);
	int r;

	if (!copy)
		return -ENOMEM;
	memcpy(copy, buf, len);
	r = netlink_parse_links(copy, len, l, done);
	return r;
}

static void test_host(void)
{
	_cleanup_(netlink_links_clear) struct netlink_links l = { 0 };
	struct fixture f;
	const struct netlink_link *k;

	if (fixture_load("host.bin", &f) < 0) {
		CHECK(!"host.bin loads");
		return;
	}
	CHECK_EQ(f.n, 3);
	CHECK_EQ(replay(&f, &l), 0);
	CHECK_EQ(l.n, 4);

	k = find(&l, "lo");
	CHECK(k);
	if (k) {
		CHECK_EQ(k->index, 1);
		CHECK_EQ(k->type, ARPHRD_LOOPBACK);
		CHECK_EQ(k->flags & (IFF_UP | IFF_LOOPBACK),
			 IFF_UP | IFF_LOOPBACK);
		CHECK_EQ(k->mtu, 65536);
		CHECK_STREQ(k->kind, "");
		CHECK(mac_is(k, "00:00:00:00:00:00"));
		CHECK_EQ(k->link_index, 0);
		CHECK_EQ(k->link_netnsid, -1);
	}
	k = find(&l, "eth0");
	CHECK(k);
	if (k) {
		CHECK_EQ(k->type, ARPHRD_ETHER);
		CHECK(k->flags & IFF_UP);
		CHECK(mac_is(k, "02:fc:00:00:00:01"));
		CHECK_STREQ(k->kind, "");
	}
	k = find(&l, "ifb1");
	CHECK(k);
	if (k) {
		CHECK_STREQ(k->kind, "ifb");
		CHECK(mac_is(k, "42:2a:09:13:de:c0"));
		CHECK(!(k->flags & IFF_UP));
	}
	fixture_free(&f);
}

static void test_odd(void)
{
	_cleanup_(netlink_links_clear) struct netlink_links l = { 0 };
	const struct netlink_link *k, *veth;
	struct fixture f;

	if (fixture_load("odd.bin", &f) < 0) {
		CHECK(!"odd.bin loads");
		return;
	}
	CHECK_EQ(f.n, 3);
	CHECK_EQ(replay(&f, &l), 0);
	CHECK_EQ(l.n, 7);

	k = find(&l, "lo");
	CHECK(k);
	if (k) {
		CHECK_EQ(k->index, 1);
		CHECK_EQ(k->type, ARPHRD_LOOPBACK);
		CHECK_STREQ(netlink_link_type_name(k->type), "loopback");
		CHECK(k->flags & IFF_UP);
		CHECK_EQ(k->addr_len, 6);
	}

	veth = find(&l, "veth0");
	CHECK(veth);
	if (veth) {
		CHECK_STREQ(veth->kind, "veth");
		CHECK_EQ(veth->type, ARPHRD_ETHER);
		CHECK(veth->link_netnsid >= 0);
		CHECK_EQ(veth->link_netnsid, 0);
		CHECK_EQ(veth->link_index, 2); /* veth1 in the peer netns */
		CHECK_EQ(veth->addr_len, 6);
		CHECK(veth->flags & IFF_UP);
		CHECK_EQ(veth->mtu, 1500);
	}

	k = find(&l, "br0");
	CHECK(k);
	if (k) {
		CHECK_STREQ(k->kind, "bridge");
		CHECK_EQ(k->addr_len, 6);
		CHECK_EQ(k->link_netnsid, -1);
		/* a bridge takes the address of its first port */
		CHECK(veth && memcmp(k->addr, veth->addr, 6) == 0);
	}

	k = find(&l, "tun0");
	CHECK(k);
	if (k) {
		CHECK_STREQ(k->kind, "tun");
		CHECK_EQ(k->type, ARPHRD_NONE);
		CHECK_STREQ(netlink_link_type_name(k->type), "none");
		CHECK_EQ(netlink_link_type_linktype(k->type), 101);
		CHECK_EQ(k->addr_len, 0);
		CHECK(k->flags & IFF_POINTOPOINT);
	}

	/* Names are bytes, not text: compared exactly, no conversion. */
	k = find(&l, "d\xff\xfe");
	CHECK(k);
	if (k) {
		CHECK_EQ(strlen(k->name), 3);
		CHECK(memcmp(k->name, "d\xff\xfe", 4) == 0);
		CHECK_STREQ(k->kind, "ifb");
		CHECK_EQ(k->mtu, 1234);
		CHECK(mac_is(k, "02:00:00:00:00:01"));
	}
	k = find(&l, "d\xc3\xbc"); /* "dü" */
	CHECK(k);
	if (k) {
		CHECK_EQ(strlen(k->name), 3);
		CHECK(mac_is(k, "02:00:00:00:00:02"));
		CHECK_EQ(k->mtu, 1500);
	}
	k = find(&l, "abcdefghijklmno");
	CHECK(k);
	if (k)
		CHECK_EQ(strlen(k->name), IF_NAMESIZE - 1);

	for (size_t i = 0; i < l.n; i++) {
		CHECK(l.links[i].index > 0);
		if (&l.links[i] != veth)
			CHECK_EQ(l.links[i].link_netnsid, -1);
	}
	fixture_free(&f);
}

/* Every prefix of a real buffer: -EBADMSG or fewer links, never a crash. */
static void test_truncated(const char *name)
{
	struct fixture f;
	size_t full, boundary_ok = 0, bad = 0, wrong = 0;

	if (fixture_load(name, &f) < 0) {
		CHECK(!"fixture loads");
		return;
	}
	{
		struct netlink_links all = { 0 };

		CHECK_EQ(netlink_parse_links(f.buf[0], f.len[0], &all, NULL),
			 0);
		full = all.n;
		netlink_links_clear(&all);
	}
	CHECK(full >= 2);

	for (size_t cut = 0; cut < f.len[0]; cut++) {
		struct netlink_links l = { 0 };
		bool done = true;
		int r = parse_copy(f.buf[0], cut, &l, &done);

		if (r == -EBADMSG && l.n == 0)
			bad++;
		else if (r == 0 && l.n < full && !done)
			boundary_ok++;
		else
			wrong++;
		netlink_links_clear(&l);
	}
	CHECK_EQ(wrong, 0);
	CHECK(bad > 0);
	/* 0 and each message boundary before the end */
	CHECK_EQ(boundary_ok, full);

	/* Cut inside the first message, with its nlmsg_len cut to match:
	 * this reaches the attribute walk with partial attributes. */
	{
		size_t mlen = msg_len_at(f.buf[0], 0);
		uint8_t *m = malloc(mlen);
		size_t ok = 0;

		CHECK(m);
		for (size_t cut = NLMSG_HDRLEN; m && cut < mlen; cut++) {
			struct netlink_links l = { 0 };
			int r;

			memcpy(m, f.buf[0], mlen);
			put_u32(m, (uint32_t)cut);
			r = parse_copy(m, cut, &l, NULL);
			if (r == 0)
				ok++;
			CHECK(r == 0 || r == -EBADMSG);
			CHECK_EQ(l.n, r == 0 ? 1 : 0);
			netlink_links_clear(&l);
		}
		/* Attributes after IFLA_IFNAME can be dropped cleanly. */
		CHECK(ok > 0);
		free(m);
	}
	fixture_free(&f);
}

static void test_corrupted(void)
{
	_cleanup_free_ uint8_t *b = NULL;
	struct netlink_links l = { 0 };
	struct fixture f;
	size_t bi, len, off = SIZE_MAX, body, end, a, n_before, n_all;
	struct rtattr rta;

	if (fixture_load("odd.bin", &f) < 0) {
		CHECK(!"odd.bin loads");
		return;
	}
	/* The veth0 message: its IFLA_LINKINFO nests IFLA_INFO_KIND. */
	for (bi = 0; bi < f.n; bi++) {
		off = msg_of(f.buf[bi], f.len[bi], "veth0");
		if (off != SIZE_MAX)
			break;
	}
	CHECK(bi < f.n);
	if (bi == f.n)
		goto out;
	len = f.len[bi];
	b = malloc(len);
	if (!b)
		goto out;
	body = off + NLMSG_LENGTH(sizeof(struct ifinfomsg));
	end = off + msg_len_at(f.buf[bi], off);

#define RESET() memcpy(b, f.buf[bi], len)
#define PARSE_FAILS(want)                                       \
	do {                                                    \
		CHECK_EQ(parse_copy(b, len, &l, NULL), (want)); \
		CHECK_EQ(l.n, 0);                               \
		netlink_links_clear(&l);                        \
	} while (0)

	/* Sanity: the pristine copy parses. */
	RESET();
	CHECK_EQ(parse_copy(b, len, &l, NULL), 0);
	n_all = l.n;
	CHECK(n_all >= 2);
	CHECK(find(&l, "veth0") != NULL);
	netlink_links_clear(&l);

	/* First attribute claims to run past the message. */
	RESET();
	put_u16(b + body, 0xfff0);
	PARSE_FAILS(-EBADMSG);
	/* ... or is shorter than its own header. */
	RESET();
	put_u16(b + body, 2);
	PARSE_FAILS(-EBADMSG);
	/* ... or zero, which would loop forever if not caught. */
	RESET();
	put_u16(b + body, 0);
	PARSE_FAILS(-EBADMSG);

	/* IFLA_IFNAME loses its NUL. */
	RESET();
	a = attr_of(b, body, end, IFLA_IFNAME);
	CHECK(a != SIZE_MAX);
	if (a != SIZE_MAX) {
		memcpy(&rta, b + a, sizeof(rta));
		b[a + rta.rta_len - 1] = 'x';
		PARSE_FAILS(-EBADMSG);
	}

	/* IFLA_INFO_KIND runs past IFLA_LINKINFO. */
	RESET();
	a = attr_of(b, body, end, IFLA_LINKINFO);
	CHECK(a != SIZE_MAX);
	if (a != SIZE_MAX) {
		size_t k;

		memcpy(&rta, b + a, sizeof(rta));
		k = attr_of(b, a + 4, a + rta.rta_len, IFLA_INFO_KIND);
		CHECK(k != SIZE_MAX);
		if (k != SIZE_MAX) {
			put_u16(b + k, (uint16_t)(a + rta.rta_len - k + 4));
			PARSE_FAILS(-EBADMSG);
			/* kind without NUL */
			RESET();
			memcpy(&rta, b + k, sizeof(rta));
			b[k + rta.rta_len - 1] = 'x';
			PARSE_FAILS(-EBADMSG);
		}
	}

	/* IFLA_MTU of the wrong size. */
	RESET();
	a = attr_of(b, body, end, IFLA_MTU);
	CHECK(a != SIZE_MAX);
	if (a != SIZE_MAX) {
		put_u16(b + a, 6);
		PARSE_FAILS(-EBADMSG);
	}

	/* nlmsg_len of the veth message: too small, too large. */
	RESET();
	put_u32(b + off, 8);
	PARSE_FAILS(-EBADMSG);
	RESET();
	put_u32(b + off, (uint32_t)(len - off + 4));
	PARSE_FAILS(-EBADMSG);
	/* Too small for an ifinfomsg. */
	RESET();
	put_u32(b + off, NLMSG_LENGTH(8));
	PARSE_FAILS(-EBADMSG);

	/* A failure leaves links already collected alone. */
	CHECK_EQ(netlink_parse_links(f.buf[bi], f.len[bi], &l, NULL), 0);
	n_before = l.n;
	CHECK(n_before > 0);
	RESET();
	put_u16(b + body, 0xfff0);
	CHECK_EQ(parse_copy(b, len, &l, NULL), -EBADMSG);
	CHECK_EQ(l.n, n_before);
	netlink_links_clear(&l);
	CHECK(!l.links && l.n == 0 && l.cap == 0);

	/* Unaligned input parses the same (UBSan watches the reads). */
	{
		uint8_t *u = malloc(len + 1);

		CHECK(u);
		if (u) {
			memcpy(u + 1, f.buf[bi], len);
			CHECK_EQ(netlink_parse_links(u + 1, len, &l, NULL), 0);
			CHECK_EQ(l.n, n_all);
			CHECK(find(&l, "veth0") != NULL);
			netlink_links_clear(&l);
			free(u);
		}
	}
#undef RESET
#undef PARSE_FAILS
out:
	fixture_free(&f);
}

/* Random byte damage on real buffers: must never crash nor half-fill. */
static void test_fuzzish(void)
{
	struct fixture f;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	size_t bad = 0, rounds = 0;

	if (fixture_load("odd.bin", &f) < 0) {
		CHECK(!"odd.bin loads");
		return;
	}
	for (size_t i = 0; i < 20000; i++) {
		size_t which = i % f.n, len = f.len[which];
		uint8_t *b = malloc(len ? len : 1);
		struct netlink_links l = { 0 };
		bool done = false;
		int r;

		if (!b)
			break;
		memcpy(b, f.buf[which], len);
		for (int k = 0; k < 1 + (int)(i % 4); k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			b[(x >> 8) % len] ^= (uint8_t)(1u << (x & 7));
		}
		r = netlink_parse_links(b, len, &l, &done);
		if (r < 0) {
			bad += l.n != 0;
			bad += r < -4095;
		}
		rounds++;
		netlink_links_clear(&l);
		free(b);
	}
	CHECK_EQ(rounds, 20000);
	CHECK_EQ(bad, 0);
	fixture_free(&f);
}

/* Hand-built messages for what real dumps rarely contain. */
struct msg {
	_Alignas(4) uint8_t b[8192];
	size_t len;
};

static size_t msg_begin(struct msg *m, uint16_t type)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_flags = NLM_F_MULTI };
	size_t off = m->len;

	memcpy(m->b + m->len, &h, sizeof(h));
	m->len += NLMSG_HDRLEN;
	return off;
}

static void msg_put(struct msg *m, const void *data, size_t len)
{
	memcpy(m->b + m->len, data, len);
	memset(m->b + m->len + len, 0, NLMSG_ALIGN(len) - len);
	m->len += NLMSG_ALIGN(len);
}

static void msg_end(struct msg *m, size_t off)
{
	put_u32(m->b + off, (uint32_t)(m->len - off));
}

static size_t attr_put(struct msg *m, uint16_t type, const void *data,
		       size_t len)
{
	struct rtattr rta = { .rta_len = (unsigned short)RTA_LENGTH(len),
			      .rta_type = type };
	size_t off = m->len;

	memcpy(m->b + m->len, &rta, sizeof(rta));
	m->len += sizeof(rta);
	if (len)
		msg_put(m, data, len);
	return off;
}

static void attr_end(struct msg *m, size_t off)
{
	put_u16(m->b + off, (uint16_t)(m->len - off));
}

static size_t link_begin(struct msg *m, int index, uint16_t type)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC,
				 .ifi_type = type,
				 .ifi_index = index };
	size_t off = msg_begin(m, RTM_NEWLINK);

	msg_put(m, &ifi, sizeof(ifi));
	return off;
}

static void put_link(struct msg *m, int index, const char *name)
{
	size_t off = link_begin(m, index, ARPHRD_ETHER);

	attr_put(m, IFLA_IFNAME, name, strlen(name) + 1);
	msg_end(m, off);
}

static int parse_msg(const struct msg *m, struct netlink_links *l, bool *done)
{
	return parse_copy(m->b, m->len, l, done);
}

static void test_built(void)
{
	struct netlink_links l = { 0 };
	struct msg m;
	size_t off, nest;
	bool done;
	int e;

	/* NLMSG_ERROR carries -errno. */
	m.len = 0;
	off = msg_begin(&m, NLMSG_ERROR);
	e = -EPERM;
	msg_put(&m, &e, sizeof(e));
	msg_put(&m, &(struct nlmsghdr){ .nlmsg_type = RTM_GETLINK },
		sizeof(struct nlmsghdr));
	msg_end(&m, off);
	CHECK_EQ(parse_msg(&m, &l, NULL), -EPERM);

	/* ... after some links: they are rolled back. */
	m.len = 0;
	put_link(&m, 7, "a");
	off = msg_begin(&m, NLMSG_ERROR);
	e = -EOPNOTSUPP;
	msg_put(&m, &e, sizeof(e));
	msg_end(&m, off);
	CHECK_EQ(parse_msg(&m, &l, NULL), -EOPNOTSUPP);
	CHECK_EQ(l.n, 0);

	/* Too short for its error code. */
	m.len = 0;
	off = msg_begin(&m, NLMSG_ERROR);
	msg_end(&m, off);
	CHECK_EQ(parse_msg(&m, &l, NULL), -EBADMSG);

	/* An absurd "errno". */
	m.len = 0;
	off = msg_begin(&m, NLMSG_ERROR);
	e = -100000;
	msg_put(&m, &e, sizeof(e));
	msg_end(&m, off);
	CHECK_EQ(parse_msg(&m, &l, NULL), -EBADMSG);

	/* error 0 is an ACK: nothing to report. */
	m.len = 0;
	off = msg_begin(&m, NLMSG_ERROR);
	e = 0;
	msg_put(&m, &e, sizeof(e));
	msg_end(&m, off);
	done = true;
	CHECK_EQ(parse_msg(&m, &l, &done), 0);
	CHECK(!done);

	/* NLMSG_DONE with a dump error, with 0, with no payload at all. */
	m.len = 0;
	off = msg_begin(&m, NLMSG_DONE);
	e = -ENOBUFS;
	msg_put(&m, &e, sizeof(e));
	msg_end(&m, off);
	CHECK_EQ(parse_msg(&m, &l, NULL), -ENOBUFS);
	m.len = 0;
	put_link(&m, 3, "x");
	off = msg_begin(&m, NLMSG_DONE);
	e = 0;
	msg_put(&m, &e, sizeof(e));
	msg_end(&m, off);
	done = false;
	CHECK_EQ(parse_msg(&m, &l, &done), 0);
	CHECK(done);
	CHECK_EQ(l.n, 1);
	netlink_links_clear(&l);
	m.len = 0;
	off = msg_begin(&m, NLMSG_DONE);
	msg_end(&m, off);
	done = false;
	CHECK_EQ(parse_msg(&m, &l, &done), 0);
	CHECK(done);

	/* Other message types are skipped, links around them kept. */
	m.len = 0;
	put_link(&m, 4, "one");
	off = msg_begin(&m, NLMSG_NOOP);
	msg_end(&m, off);
	off = msg_begin(&m, RTM_NEWADDR);
	msg_put(&m, &(struct ifaddrmsg){ .ifa_index = 4 },
		sizeof(struct ifaddrmsg));
	msg_end(&m, off);
	put_link(&m, 5, "two");
	CHECK_EQ(parse_msg(&m, &l, NULL), 0);
	CHECK_EQ(l.n, 2);
	if (l.n == 2) {
		CHECK_STREQ(l.links[0].name, "one");
		CHECK_STREQ(l.links[1].name, "two");
		CHECK_EQ(l.links[1].index, 5);
	}
	netlink_links_clear(&l);

	/* Trailing bytes too few for a header: a cut message. */
	m.len = 0;
	put_link(&m, 4, "one");
	memset(m.b + m.len, 0, 8);
	m.len += 8;
	CHECK_EQ(parse_msg(&m, &l, NULL), -EBADMSG);
	CHECK_EQ(l.n, 0);

	/* Names: 15 bytes fit, 16 do not, empty or missing is malformed. */
	m.len = 0;
	put_link(&m, 9, "fifteen-bytes-x");
	CHECK_EQ(parse_msg(&m, &l, NULL), 0);
	CHECK_EQ(l.n, 1);
	netlink_links_clear(&l);
	m.len = 0;
	put_link(&m, 9, "sixteen-bytes-xx");
	CHECK_EQ(parse_msg(&m, &l, NULL), -EBADMSG);
	m.len = 0;
	put_link(&m, 9, "");
	CHECK_EQ(parse_msg(&m, &l, NULL), -EBADMSG);
	m.len = 0;
	off = link_begin(&m, 9, ARPHRD_ETHER);
	attr_put(&m, IFLA_MTU, &(uint32_t){ 1500 }, 4);
	msg_end(&m, off);
	CHECK_EQ(parse_msg(&m, &l, NULL), -EBADMSG);
	/* Bytes after the NUL are tolerated. */
	m.len = 0;
	off = link_begin(&m, 9, ARPHRD_ETHER);
	attr_put(&m, IFLA_IFNAME, "ab\0cd", 5);
	msg_end(&m, off);
	CHECK_EQ(parse_msg(&m, &l, NULL), 0);
	CHECK(l.n == 1 && strcmp(l.links[0].name, "ab") == 0);
	netlink_links_clear(&l);

	/* Index must be positive. */
	m.len = 0;
	put_link(&m, 0, "zero");
	CHECK_EQ(parse_msg(&m, &l, NULL), -EBADMSG);
	m.len = 0;
	put_link(&m, -3, "neg");
	CHECK_EQ(parse_msg(&m, &l, NULL), -EBADMSG);

	/* Addresses up to NETLINK_ADDR_MAX, longer is malformed. */
	{
		uint8_t addr[NETLINK_ADDR_MAX + 1];

		for (size_t i = 0; i < sizeof(addr); i++)
			addr[i] = (uint8_t)(0xa0 + i);
		m.len = 0;
		off = link_begin(&m, 2, ARPHRD_INFINIBAND);
		attr_put(&m, IFLA_IFNAME, "ib0", 4);
		attr_put(&m, IFLA_ADDRESS, addr, NETLINK_ADDR_MAX);
		msg_end(&m, off);
		CHECK_EQ(parse_msg(&m, &l, NULL), 0);
		CHECK(l.n == 1 && l.links[0].addr_len == NETLINK_ADDR_MAX &&
		      memcmp(l.links[0].addr, addr, NETLINK_ADDR_MAX) == 0);
		netlink_links_clear(&l);
		m.len = 0;
		off = link_begin(&m, 2, ARPHRD_INFINIBAND);
		attr_put(&m, IFLA_IFNAME, "ib0", 4);
		attr_put(&m, IFLA_ADDRESS, addr, sizeof(addr));
		msg_end(&m, off);
		CHECK_EQ(parse_msg(&m, &l, NULL), -EBADMSG);
	}

	/* All fields, NLA_F_NESTED on the nest, duplicate: last wins. */
	m.len = 0;
	off = link_begin(&m, 12, ARPHRD_ETHER);
	attr_put(&m, IFLA_IFNAME, "first", 6);
	attr_put(&m, IFLA_IFNAME, "vx", 3);
	attr_put(&m, IFLA_MTU, &(uint32_t){ 9000 }, 4);
	attr_put(&m, IFLA_LINK, &(uint32_t){ 44 }, 4);
	attr_put(&m, IFLA_LINK_NETNSID, &(int32_t){ 3 }, 4);
	nest = attr_put(&m, IFLA_LINKINFO | NLA_F_NESTED, NULL, 0);
	attr_put(&m, IFLA_INFO_KIND, "vxlan", 6);
	attr_put(&m, IFLA_INFO_DATA, "\1\2\3\4", 4);
	attr_end(&m, nest);
	attr_put(&m, 0x7ff0, "unknown", 7);
	msg_end(&m, off);
	CHECK_EQ(parse_msg(&m, &l, NULL), 0);
	CHECK_EQ(l.n, 1);
	if (l.n == 1) {
		CHECK_STREQ(l.links[0].name, "vx");
		CHECK_EQ(l.links[0].mtu, 9000);
		CHECK_EQ(l.links[0].link_index, 44);
		CHECK_EQ(l.links[0].link_netnsid, 3);
		CHECK_STREQ(l.links[0].kind, "vxlan");
		CHECK_EQ(l.links[0].addr_len, 0);
	}
	netlink_links_clear(&l);

	/* IFLA_LINK beyond INT_MAX, netnsid below -1, kind too long. */
	m.len = 0;
	off = link_begin(&m, 12, ARPHRD_ETHER);
	attr_put(&m, IFLA_IFNAME, "vx", 3);
	attr_put(&m, IFLA_LINK, &(uint32_t){ 0x80000000u }, 4);
	msg_end(&m, off);
	CHECK_EQ(parse_msg(&m, &l, NULL), -EBADMSG);
	m.len = 0;
	off = link_begin(&m, 12, ARPHRD_ETHER);
	attr_put(&m, IFLA_IFNAME, "vx", 3);
	attr_put(&m, IFLA_LINK_NETNSID, &(int32_t){ -2 }, 4);
	msg_end(&m, off);
	CHECK_EQ(parse_msg(&m, &l, NULL), -EBADMSG);
	m.len = 0;
	off = link_begin(&m, 12, ARPHRD_ETHER);
	attr_put(&m, IFLA_IFNAME, "vx", 3);
	nest = attr_put(&m, IFLA_LINKINFO, NULL, 0);
	attr_put(&m, IFLA_INFO_KIND, "a-kind-name-of-thirty-two-bytes!", 33);
	attr_end(&m, nest);
	msg_end(&m, off);
	CHECK_EQ(parse_msg(&m, &l, NULL), -EBADMSG);

	/* At most NETLINK_LINKS_MAX links. */
	m.len = 0;
	put_link(&m, 1, "many");
	for (int i = 0; i < NETLINK_LINKS_MAX; i++)
		if (netlink_parse_links(m.b, m.len, &l, NULL) < 0)
			break;
	CHECK_EQ(l.n, NETLINK_LINKS_MAX);
	CHECK_EQ(netlink_parse_links(m.b, m.len, &l, NULL), -E2BIG);
	CHECK_EQ(l.n, NETLINK_LINKS_MAX);
	netlink_links_clear(&l);

	/* Nothing at all is fine and not done. */
	done = true;
	CHECK_EQ(netlink_parse_links(NULL, 0, &l, &done), 0);
	CHECK(!done);
	CHECK_EQ(l.n, 0);
	netlink_links_clear(NULL);
}

static void test_types(void)
{
	static const struct {
		uint16_t arphrd;
		const char *name;
		int linktype;
	} t[] = {
		{ ARPHRD_ETHER, "ether", 1 },
		{ ARPHRD_LOOPBACK, "loopback", 1 },
		{ ARPHRD_NONE, "none", 101 },
		{ ARPHRD_TUNNEL, "ipip", 101 },
		{ ARPHRD_SIT, "sit", 101 },
		{ ARPHRD_IPGRE, "gre", 113 },
		{ 823 /* ARPHRD_IP6GRE */, "ip6gre", 113 },
		{ ARPHRD_TUNNEL6, "tunnel6", 113 },
		{ ARPHRD_IEEE80211, "ieee80211", 105 },
		{ ARPHRD_IEEE80211_RADIOTAP, "ieee80211_radiotap", 127 },
		{ ARPHRD_CAN, "can", 227 },
		{ ARPHRD_INFINIBAND, "infiniband", 113 },
		{ ARPHRD_PPP, "ppp", 113 },
		{ ARPHRD_VOID, "void", 113 },
		{ 824 /* ARPHRD_NETLINK */, "netlink", 253 },
		{ 12345, "other", 113 },
	};

	for (size_t i = 0; i < ELEMENTSOF(t); i++) {
		CHECK_STREQ(netlink_link_type_name(t[i].arphrd), t[i].name);
		CHECK_EQ(netlink_link_type_linktype(t[i].arphrd),
			 t[i].linktype);
	}
}

/* The live dump agrees with glibc's if_nameindex() on names and indexes. */
static bool live_matches(const struct netlink_links *l)
{
	struct if_nameindex *ni = if_nameindex();
	size_t n = 0;
	bool ok = true;

	if (!ni)
		return false;
	for (; ni[n].if_index; n++) {
		const struct netlink_link *k = find(l, ni[n].if_name);

		if (!k || (unsigned)k->index != ni[n].if_index)
			ok = false;
	}
	if_freenameindex(ni);
	return ok && n == l->n;
}

static void check_live(const struct netlink_links *l)
{
	const struct netlink_link *lo = find(l, "lo");

	CHECK(lo);
	if (lo) {
		CHECK_EQ(lo->index, 1);
		CHECK_EQ(lo->type, ARPHRD_LOOPBACK);
	}
	for (size_t i = 1; i < l->n; i++)
		CHECK(l->links[i - 1].index < l->links[i].index);
}

static void test_live(void)
{
	bool same = false;

	/* Others may add or remove links meanwhile: take a listing that
	 * if_nameindex() agrees with, a few tries. */
	for (int attempt = 0; attempt < 5 && !same; attempt++) {
		_cleanup_(netlink_links_clear) struct netlink_links l = { 0 };
		int r = netlink_list_links(&l);

		CHECK_EQ(r, 0);
		if (r < 0)
			return;
		same = live_matches(&l);
		if (same || attempt == 4)
			check_live(&l);
	}
	CHECK(same);

	/* A fresh netns has exactly lo, down. Needs CAP_SYS_ADMIN. */
	if (unshare(CLONE_NEWNET) < 0) {
		printf("# skipping fresh-netns check: unshare: %s\n",
		       strerror(errno));
		return;
	}
	{
		_cleanup_(netlink_links_clear) struct netlink_links l = { 0 };

		CHECK_EQ(netlink_list_links(&l), 0);
		CHECK_EQ(l.n, 1);
		check_live(&l);
		if (l.n == 1) {
			CHECK_STREQ(l.links[0].name, "lo");
			CHECK(!(l.links[0].flags & IFF_UP));
			CHECK_EQ(l.links[0].mtu, 65536);
		}
		CHECK(live_matches(&l));
	}
}

int main(int argc, char **argv)
{
	tap_init(argc, argv);

	test_host();
	test_odd();
	test_truncated("host.bin");
	test_truncated("odd.bin");
	test_corrupted();
	test_fuzzish();
	test_built();
	test_types();
	test_live();

	return tap_done();
}
