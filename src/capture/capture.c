/* SPDX-License-Identifier: MIT */
#include "capture.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>

#include "caps.h"
#include "log.h"
#include "metadata.h"
#include "netlink.h"
#include "pcapdl.h"
#include "pcapng.h"
#include "text.h"

#define DEFAULT_SNAPLEN 262144
#define POLL_MS		200
#define RING_TIMEOUT_MS 10
#define RING_BYTES	(4 << 20) /* per handle, as tcpdump -B 4096 */
/* Longer than any packet waits in a ring (the kernel retires a block at
 * the second tick of its RING_TIMEOUT_MS timer after the block opened,
 * rounded up to jiffies, plus our wake-up): what is older is complete. */
#define HOLD_NS	       (35 * 1000000ULL)
#define HOLD_BYTES_MAX (4U << 20)
/* A quiet handle (every packet its ring took has been read) can still get
 * a packet stamped a little before we looked: the kernel stamps when the
 * packet enters the stack (or the taps), microseconds before it reaches
 * the ring, in the same softirq. */
#define SETTLE_NS (500 * 1000ULL)
/* How long held packets wait for a round when no ring hands anything
 * over: with traffic, the next block comes first (RING_TIMEOUT_MS) and
 * takes them along; this bounds their wait when traffic stops. */
#define HELD_POLL_MS (2 * RING_TIMEOUT_MS)

struct handle {
	pcap_t *p;
	int fd;
	uint32_t if_id;
	uint32_t dir; /* PCAPNG_EPB_DIR_* stamped on its packets */
	struct capture *c;
	/* the kernel's counts (PACKET_STATISTICS, summed: reading resets
	 * them, so libpcap's pcap_stats() is not used) and ours */
	uint64_t k_packets, k_drops;
	bool k_ok;	     /* the counts were read at least once */
	uint64_t seen;	     /* packets read from its ring */
	uint64_t unseen;     /* taken by the ring, never handed to us */
	uint64_t last_seen;  /* seen, when progress was set */
	uint64_t progress;   /* when seen or the counts last changed */
	uint64_t not_before; /* its next packet is stamped after this */
};

struct capture {
	struct capture_config cfg;
	pthread_t thread;
	bool started;
	int stop_fd; /* eventfd: main → thread */
	int done_fd; /* eventfd: thread → main */
	const struct pcapdl *pcap;
	struct pcapng_writer *w;
	struct handle *h;
	size_t nh;
	int result;
	char *msg;
	unsigned long long packets;
	bool links_gone;
	bool shb_written;
	/* packets of all handles, written in time order. Each handle's
	 * ring hands a block over when it is full or RING_TIMEOUT_MS after
	 * its first packet, so another ring may still hold older packets:
	 * they are held until no ring can (update_bounds(): about SETTLE_NS
	 * when the other rings are quiet, HOLD_NS when they are busy too),
	 * then merged by timestamp. */
	struct pending *batch;
	size_t n_batch, cap_batch;
	bool unsorted;
	uint8_t *arena;
	size_t arena_len, arena_cap;
	size_t arena_live; /* bytes of held packets; the rest is written */
};

struct pending {
	uint64_t ts;
	size_t off, seq;
	uint32_t if_id, dir, caplen, len;
	uint32_t h; /* index of its handle */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Record the first failure with a one-line message for the user. */
_printf_(3, 4) static int fail(struct capture *c, int err, const char *fmt, ...)
{
	_cleanup_free_ char *raw = NULL;
	va_list ap;

	if (c->result < 0)
		return c->result;
	c->result = err < 0 ? err : -EIO;
	free(c->msg);
	c->msg = NULL;
	va_start(ap, fmt);
	if (vasprintf(&raw, fmt, ap) < 0)
		raw = NULL;
	va_end(ap);
	/* names and filters come from outside: one line, escaped, bounded */
	c->msg = raw ? text_human_cut(raw, 600) : NULL;
	return c->result;
}

static int cmp_off(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	return (x->off > y->off) - (x->off < y->off);
}

static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq); /* stable */
}

/*
 * Write the held packets that no handle can precede any more, in time
 * order, and keep the rest: a packet of handle X goes out once every other
 * handle's next packet is known to be newer (not_before); X's own are
 * newer anyway. final: all of them. Errors are the writer's (sticky, read
 * by the loop).
 */
static void release(struct capture *c, bool final)
{
	uint64_t m1 = UINT64_MAX, m2 = UINT64_MAX;
	size_t n = 0, argmin = SIZE_MAX;
	bool err = false;

	if (c->n_batch == 0)
		return;
	if (c->unsorted)
		qsort(c->batch, c->n_batch, sizeof(*c->batch), cmp_pending);
	/* the smallest bound and the second smallest: a packet of the
	 * handle with the smallest waits for the second */
	for (size_t i = 0; !final && i < c->nh; i++) {
		uint64_t b = c->h[i].p ? c->h[i].not_before : UINT64_MAX;

		if (b < m1) {
			m2 = m1;
			m1 = b;
			argmin = i;
		} else if (b < m2) {
			m2 = b;
		}
	}
	for (; n < c->n_batch; n++) {
		const struct pending *p = &c->batch[n];

		if (p->ts > (p->h == argmin ? m2 : m1))
			break;
		if (pcapng_write_epb(c->w, p->if_id, p->ts, c->arena + p->off,
				     p->caplen, p->len, p->dir, NULL) < 0) {
			err = true;
			break;
		}
		c->packets++;
	}
	if (err)
		n = c->n_batch; /* write error: drop them all */
	for (size_t i = 0; i < n; i++)
		c->arena_live -= c->batch[i].caplen;
	/* the newer ones stay, in time order; their data stays put until
	 * the arena is full (compact()): a packet held over several rounds
	 * is not moved at every one */
	memmove(c->batch, c->batch + n, (c->n_batch - n) * sizeof(*c->batch));
	c->n_batch -= n;
	c->unsorted = false;
	for (size_t i = 0; i < c->n_batch; i++)
		c->batch[i].seq = i;
	if (c->n_batch == 0)
		c->arena_len = c->arena_live = 0;
}

/* Move the held packets' data to the front of the arena, in arena order
 * (so no copy overwrites data not yet moved); arena order is arrival
 * order, which breaks timestamp ties. */
static void compact(struct capture *c)
{
	size_t keep = 0;

	qsort(c->batch, c->n_batch, sizeof(*c->batch), cmp_off);
	for (size_t i = 0; i < c->n_batch; i++) {
		struct pending *p = &c->batch[i];

		if (p->off != keep)
			memmove(c->arena + keep, c->arena + p->off, p->caplen);
		p->off = keep;
		p->seq = i;
		keep += p->caplen;
	}
	c->arena_len = keep;
	c->unsorted = c->n_batch > 1;
}

static bool batch_reserve(struct capture *c, size_t bytes)
{
	{
		struct pending *v = grow_array(c->batch, &c->cap_batch,
					       c->n_batch, sizeof(*v), 512);

		if (!v)
			return false;
		c->batch = v;
	}
	if (c->arena_len + bytes > c->arena_cap) {
		size_t cap = c->arena_cap ? c->arena_cap : 1U << 16;
		uint8_t *a;

		while (cap < c->arena_len + bytes)
			cap *= 2;
		a = realloc(c->arena, cap);
		if (!a)
			return false;
		c->arena = a;
		c->arena_cap = cap;
	}
	return true;
}

static void on_packet(u_char *user, const struct pcap_pkthdr *hdr,
		      const u_char *data)
{
	struct handle *h = (struct handle *)(void *)user; /* ours, as given */
	struct capture *c = h->c;
	uint64_t ts = (uint64_t)hdr->ts.tv_sec * 1000000000ULL +
		      (uint64_t)hdr->ts.tv_usec; /* nanosecond precision */

	if (c->arena_len + hdr->caplen > HOLD_BYTES_MAX) {
		/* more than half the budget held: out with it (an overload,
		 * when order across rings is the least of the losses) */
		if (c->arena_live + hdr->caplen > HOLD_BYTES_MAX / 2)
			release(c, true);
		else
			compact(c);
	}
	if (!batch_reserve(c, hdr->caplen)) {
		/* out of memory: write this one directly, unordered */
		h->seen++;
		if (pcapng_write_epb(c->w, h->if_id, ts, data, hdr->caplen,
				     hdr->len, h->dir, NULL) >= 0)
			c->packets++;
		return;
	}
	if (hdr->caplen)
		memcpy(c->arena + c->arena_len, data, hdr->caplen);
	if (c->n_batch && ts < c->batch[c->n_batch - 1].ts)
		c->unsorted = true;
	c->batch[c->n_batch] = (struct pending){ .ts = ts,
						 .off = c->arena_len,
						 .seq = c->n_batch,
						 .if_id = h->if_id,
						 .dir = h->dir,
						 .caplen = hdr->caplen,
						 .len = hdr->len,
						 .h = (uint32_t)(h - c->h) };
	c->n_batch++;
	h->seen++;
	c->arena_len += hdr->caplen;
	c->arena_live += hdr->caplen;
}

static bool wanted(const struct capture *c, const struct netlink_link *l)
{
	if (!c->cfg.netifs)
		return true;
	for (char **n = c->cfg.netifs; *n; n++)
		if (strcmp(*n, l->name) == 0)
			return true;
	return false;
}

/*
 * Have the kernel drop incoming packets before it copies them into an
 * outbound handle's ring (libpcap would only skip them after the copy):
 * prog (the capture filter, or NULL) behind a check for PACKET_OUTGOING.
 * libpcap keeps prog itself for the blocks already in the ring. Classic
 * BPF jumps are relative, so prepending keeps prog's own jumps valid. Best
 * effort: libpcap's direction check still holds without it.
 */
static void kernel_outgoing_only(const struct pcapdl *pc, pcap_t *p,
				 const struct bpf_program *prog)
{
	size_t n = prog ? prog->bf_len : 1;
	_cleanup_free_ struct sock_filter *v = calloc(3 + n, sizeof(*v));
	struct sock_fprog fp = { .len = (unsigned short)(3 + n), .filter = v };

	if (!v || 3 + n > BPF_MAXINSNS)
		return;
	/* SKF_AD_OFF is negative: the kernel's u32 k wraps it on purpose */
	v[0] = (struct sock_filter)BPF_STMT(
		BPF_LD | BPF_W | BPF_ABS,
		(uint32_t)(SKF_AD_OFF + SKF_AD_PKTTYPE));
	v[1] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					    PACKET_OUTGOING, 1, 0);
	v[2] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
	if (prog) /* same layout: code, jt, jf, k */
		memcpy(v + 3, prog->bf_insns, n * sizeof(*v));
	else
		v[3] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						    (uint32_t)pc->snapshot(p));
	if (setsockopt(pc->get_selectable_fd(p), SOL_SOCKET, SO_ATTACH_FILTER,
		       &fp, sizeof(fp)) < 0)
		log_debug("outgoing-only kernel filter: %s", strerror(errno));
}

static int open_handle(struct capture *c, const struct netlink_link *l,
		       pcap_direction_t dir, pcap_t **ret)
{
	const struct pcapdl *pc = c->pcap;
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p;
	int r;

	p = pc->create(l->name, errbuf);
	if (!p)
		return fail(c, -ENODEV, "cannot open interface %s: %s", l->name,
			    errbuf);
	pc->set_snaplen(p,
			c->cfg.snaplen > 0 ? c->cfg.snaplen : DEFAULT_SNAPLEN);
	pc->set_promisc(p, c->cfg.promisc);
	/* not immediate mode: libpcap then falls back to TPACKET_V2, whose
	 * fixed frames are snaplen-sized (veth has offloads, so no MTU
	 * trim): a 2 MiB ring held 8 packets and lost some at 20 kpps.
	 * TPACKET_V3 packs frames into blocks handed over when full or
	 * after RING_TIMEOUT_MS (the latency a live view sees). */
	pc->set_timeout(p, RING_TIMEOUT_MS);
	pc->set_buffer_size(p, RING_BYTES);
	pc->set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	r = pc->activate(p);
	if (r < 0) {
		int err = r == PCAP_ERROR_PERM_DENIED ? -EPERM : -ENODEV;

		if (r == PCAP_ERROR_PERM_DENIED)
			fail(c, err,
			     "cannot capture on %s: missing %s (and %s for promiscuous mode)",
			     l->name, caps_name(CAP_NET_RAW),
			     caps_name(CAP_NET_ADMIN));
		else if (r == PCAP_ERROR_NO_SUCH_DEVICE ||
			 r == PCAP_ERROR_IFACE_NOT_UP)
			r = -ENODEV; /* caller decides: skipped when capturing all */
		else
			fail(c, err, "cannot capture on %s: %s (%s)", l->name,
			     pc->statustostr(r), pc->geterr(p));
		pc->close(p);
		return r == -ENODEV ? -ENODEV : err;
	}
	if (r > 0)
		log_info("%s: %s", l->name, pc->statustostr(r));
	if (dir != PCAP_D_INOUT && pc->setdirection(p, dir) < 0) {
		fail(c, -EIO, "cannot set capture direction on %s: %s", l->name,
		     pc->geterr(p));
		pc->close(p);
		return -EIO;
	}
	/* libpcap drops the other direction only after the kernel copied it
	 * into the ring: skip that copy (on the sender's CPU) in the kernel.
	 * So for loopback, whose outgoing copies libpcap skips (each packet
	 * comes back in) */
	if (dir == PCAP_D_IN || (l->flags & IFF_LOOPBACK)) {
		int one = 1;

		if (setsockopt(pc->get_selectable_fd(p), SOL_PACKET,
			       PACKET_IGNORE_OUTGOING, &one, sizeof(one)) < 0)
			log_debug("%s: PACKET_IGNORE_OUTGOING: %s", l->name,
				  strerror(errno));
	}
	if (c->cfg.filter) {
		struct bpf_program prog;

		if (pc->compile(p, &prog, c->cfg.filter, 1,
				PCAP_NETMASK_UNKNOWN) < 0) {
			_cleanup_free_ char *f =
				text_human_cut(c->cfg.filter, 120);

			fail(c, -EINVAL, "invalid capture filter \"%s\": %s",
			     f ? f : "?", pc->geterr(p));
			pc->close(p);
			return -EINVAL;
		}
		r = pc->setfilter(p, &prog);
		if (r >= 0 && dir == PCAP_D_OUT)
			kernel_outgoing_only(pc, p, &prog);
		pc->freecode(&prog);
		if (r < 0) {
			fail(c, -EINVAL, "cannot set capture filter on %s: %s",
			     l->name, pc->geterr(p));
			pc->close(p);
			return -EINVAL;
		}
	} else if (dir == PCAP_D_OUT) {
		kernel_outgoing_only(pc, p, NULL);
	}
	if (pc->setnonblock(p, 1, errbuf) < 0) {
		fail(c, -EIO, "%s: %s", l->name, errbuf);
		pc->close(p);
		return -EIO;
	}
	*ret = p;
	return 0;
}

static int add_handle(struct capture *c, pcap_t *p, uint32_t if_id,
		      uint32_t dir)
{
	struct handle *v = realloc(c->h, (c->nh + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	c->h = v;
	c->h[c->nh++] = (struct handle){ .p = p,
					 .fd = c->pcap->get_selectable_fd(p),
					 .if_id = if_id,
					 .dir = dir,
					 .c = c };
	return 0;
}

/* Open the handles of one link and describe it with an IDB. */
static int open_link(struct capture *c, const struct netlink_link *l,
		     const struct metadata_target *mt)
{
	bool loopback = l->flags & IFF_LOOPBACK;
	pcap_t *in = NULL, *out = NULL;
	_cleanup_free_ char *name = NULL, *desc = NULL;
	uint32_t if_id;
	int r;

	/* libpcap drops the outgoing copy of loopback packets itself, so a
	 * loopback link has one handle and no direction. */
	r = open_handle(c, l, loopback ? PCAP_D_INOUT : PCAP_D_IN, &in);
	if (r < 0)
		return r;
	if (!loopback) {
		r = open_handle(c, l, PCAP_D_OUT, &out);
		if (r < 0) {
			c->pcap->close(in);
			return r;
		}
	}
	name = metadata_idb_name(mt, l);
	desc = metadata_idb_description(mt, l);
	if (!name || !desc) {
		r = -ENOMEM;
		goto fail;
	}
	{
		struct utsname u;
		char os[2 * sizeof(u.release) + 2] = "";
		struct pcapng_idb idb = {
			.linktype = (uint16_t)c->pcap->datalink(in),
			.snaplen = (uint32_t)c->pcap->snapshot(in),
			.name = name,
			.description = desc,
			.filter = c->cfg.filter,
		};

		if (uname(&u) == 0) {
			snprintf(os, sizeof(os), "%s %s", u.sysname, u.release);
			idb.os = os;
		}
		r = pcapng_write_idb(c->w, &idb, &if_id);
		if (r < 0)
			goto fail;
	}
	r = add_handle(c, in, if_id,
		       loopback ? PCAPNG_EPB_DIR_UNKNOWN
				: PCAPNG_EPB_DIR_INBOUND);
	if (r < 0)
		goto fail;
	in = NULL;
	if (out) {
		r = add_handle(c, out, if_id, PCAPNG_EPB_DIR_OUTBOUND);
		if (r < 0)
			goto fail;
		out = NULL;
	}
	log_info("capturing on %s (linktype %d)", l->name,
		 c->pcap->datalink(c->h[c->nh - 1].p));
	return 0;
fail:
	if (in)
		c->pcap->close(in);
	if (out)
		c->pcap->close(out);
	return fail(c, r, "cannot describe interface %s: %s", l->name,
		    strerror(-r));
}

static int enter_netns(struct capture *c)
{
	struct stat st;

	if (c->cfg.meta->is_host)
		return 0;
	if (setns(c->cfg.nsfd, CLONE_NEWNET) < 0) {
		int err = negerrno();

		if (err == -EPERM)
			return fail(
				c, err,
				"cannot enter the network namespace of %s: missing %s",
				c->cfg.meta->value, caps_name(CAP_SYS_ADMIN));
		return fail(c, err,
			    "cannot enter the network namespace of %s: %s",
			    c->cfg.meta->value, strerror(-err));
	}
	/* re-validate from inside: the fd was checked when opened, this
	 * proves the thread really is where it was asked to go */
	if (stat("/proc/thread-self/ns/net", &st) < 0 ||
	    st.st_ino != c->cfg.meta->netns)
		return fail(c, -ESTALE,
			    "network namespace of %s changed while entering it",
			    c->cfg.meta->value);
	return 0;
}

/* The section header's fields, in si's storage. */
struct shb_info {
	struct pcapng_shb shb;
	struct utsname u;
	char os[2 * sizeof(((struct utsname *)0)->release) + 2];
};

static const struct pcapng_shb *shb_fill(struct shb_info *si,
					 const char *comment)
{
	si->shb =
		(struct pcapng_shb){ .userappl = "turtlecap " TURTLECAP_VERSION,
				     .comment = comment };
	if (uname(&si->u) == 0) {
		snprintf(si->os, sizeof(si->os), "%s %s", si->u.sysname,
			 si->u.release);
		si->shb.os = si->os;
		si->shb.hardware = si->u.machine;
	}
	return &si->shb;
}

/* A section header alone, its comment the error: a valid, empty capture
 * that says why it is empty. */
static int write_error_shb(struct pcapng_writer *w, const char *msg)
{
	_cleanup_free_ char *comment = NULL;
	struct shb_info si;
	int r;

	if (asprintf(&comment, "turtlecap: %s", msg) < 0)
		comment = NULL;
	r = pcapng_write_shb(w, shb_fill(&si, comment));
	return r < 0 ? r : pcapng_writer_flush(w);
}

int capture_write_error(int out_fd, const char *msg)
{
	struct pcapng_writer *w = NULL;
	int r = pcapng_writer_new(out_fd, &w);

	if (r < 0) {
		close(out_fd);
		return r;
	}
	r = write_error_shb(w, msg);
	pcapng_writer_free(w);
	return r;
}

static int setup(struct capture *c)
{
	struct netlink_links links = { 0 };
	const struct metadata_target *mt = c->cfg.meta;
	const char *err = NULL;
	int r;

	r = enter_netns(c);
	if (r < 0)
		return r;
	r = pcapdl_get(&c->pcap, &err);
	if (r < 0)
		return fail(c, r, "%s", err);
	r = netlink_list_links(&links);
	if (r < 0)
		return fail(c, r, "cannot list the interfaces of %s: %s",
			    c->cfg.meta->value, strerror(-r));
	if (c->cfg.netifs)
		for (char **n = c->cfg.netifs; *n; n++) {
			bool found = false;

			for (size_t i = 0; i < links.n && !found; i++)
				found = strcmp(links.links[i].name, *n) == 0;
			if (!found) {
				r = fail(c, -ENODEV,
					 "no interface \"%s\" in %s", *n,
					 c->cfg.meta->value);
				goto out;
			}
		}

	{
		_cleanup_free_ char *comment = metadata_shb_comment(mt);
		struct shb_info si;

		r = pcapng_write_shb(c->w, shb_fill(&si, comment));
		c->shb_written = r >= 0;
		if (r < 0) {
			r = fail(c, r, "cannot write the capture: %s",
				 strerror(-r));
			goto out;
		}
	}

	for (size_t i = 0; i < links.n; i++) {
		if (!wanted(c, &links.links[i]))
			continue;
		r = open_link(c, &links.links[i], mt);
		if (r == -ENODEV && !c->cfg.netifs && c->result >= 0) {
			/* capturing "all": a link that is down or just went
			 * away is not worth failing for */
			log_info("skipping %s", links.links[i].name);
			continue;
		}
		if (r < 0)
			goto out;
	}
	if (c->nh == 0) {
		r = fail(c, -ENODEV,
			 "no interface to capture in %s (none is up)",
			 c->cfg.meta->value);
		goto out;
	}
	/* the handles are open: reading them and writing the fifo need no
	 * privilege, so this thread holds none from here on (caps.h) */
	r = caps_drop();
	if (r < 0) {
		r = fail(c, r, "cannot drop capabilities: %s", strerror(-r));
		goto out;
	}
	r = pcapng_writer_flush(c->w);
out:
	netlink_links_clear(&links);
	return r;
}

/* Add the kernel's counts of h's ring since the last call (reading them
 * resets them). */
static bool read_kernel_counts(struct handle *h)
{
	struct tpacket_stats_v3 st = { 0 };
	socklen_t len = sizeof(st);

	if (h->fd < 0 ||
	    getsockopt(h->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) < 0)
		return false;
	h->k_packets += st.tp_packets; /* drops included */
	h->k_drops += st.tp_drops;
	h->k_ok = true;
	return true;
}

static void close_handle(struct capture *c, size_t i)
{
	read_kernel_counts(&c->h[i]); /* its last counts, for the ISB */
	c->pcap->close(c->h[i].p);
	c->h[i].p = NULL;
	c->h[i].fd = -1;
}

static size_t n_open(const struct capture *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nh; i++)
		n += c->h[i].p != NULL;
	return n;
}

/*
 * After a round that read every ring: from when on can each handle's next
 * packet be stamped? A quiet handle (the packets its ring took, less the
 * drops, are all read) gets only packets stamped from about now on; any
 * other may have packets in the block the kernel is still filling, handed
 * over at most RING_TIMEOUT_MS after the first of them: HOLD_NS covers
 * that. Packets a ring takes and libpcap never hands over (the outgoing
 * copies it skips itself) would keep a handle busy: once nothing moved for
 * HOLD_NS, the difference is counted as unseen.
 */
static void update_bounds(struct capture *c)
{
	uint64_t now = now_ns(); /* before the counts: see SETTLE_NS */

	for (size_t i = 0; i < c->nh; i++) {
		struct handle *h = &c->h[i];
		uint64_t before = h->k_packets, taken;
		bool ok;

		if (!h->p)
			continue;
		ok = read_kernel_counts(h);
		if (h->k_packets != before || h->seen != h->last_seen) {
			h->progress = now;
			h->last_seen = h->seen;
		}
		taken = h->k_packets - h->k_drops;
		if (ok && h->seen + h->unseen < taken &&
		    now - h->progress > HOLD_NS)
			h->unseen = taken - h->seen;
		h->not_before = ok && h->seen + h->unseen == taken
					? now - SETTLE_NS
					: now - HOLD_NS;
	}
}

/* One round over every handle (all their rings have), then out with what
 * no handle can precede any more (final: everything). -EPIPE etc. from
 * the writer. */
static int drain(struct capture *c, bool final)
{
	for (size_t i = 0; i < c->nh; i++) {
		struct handle *h = &c->h[i];
		int n;

		if (!h->p)
			continue;
		n = c->pcap->dispatch(h->p, -1, on_packet, (u_char *)h);
		if (n == PCAP_ERROR) {
			/* the link went away (container stopped, veth
			 * deleted): close it, the others go on */
			log_info("interface of if_id %u ended: %s", h->if_id,
				 c->pcap->geterr(h->p));
			close_handle(c, i);
		}
	}
	if (!final)
		update_bounds(c);
	release(c, final);
	return pcapng_writer_flush(c->w);
}

static void write_stats(struct capture *c, uint64_t start_ns)
{
	for (uint32_t id = 0; id < pcapng_writer_n_interfaces(c->w); id++) {
		struct pcapng_isb isb = { .start_ns = start_ns,
					  .end_ns = now_ns() };

		for (size_t i = 0; i < c->nh; i++) {
			struct handle *h = &c->h[i];

			if (h->if_id != id)
				continue;
			read_kernel_counts(h);
			if (!h->k_ok)
				continue;
			/* as libpcap's ps_recv and ps_drop */
			isb.has_counts = 1;
			isb.ifrecv += h->k_packets;
			isb.ifdrop += h->k_drops;
		}
		pcapng_write_isb(c->w, id, isb.end_ns, &isb);
	}
}

static void *capture_thread(void *arg)
{
	struct capture *c = arg;
	struct pollfd *pfd = NULL;
	uint64_t start_ns = now_ns(), one = 1;
	int r;

	r = setup(c);
	if (r < 0)
		goto out;
	pfd = calloc(c->nh + 1, sizeof(*pfd));
	if (!pfd) {
		r = fail(c, -ENOMEM, "out of memory");
		goto out;
	}
	pfd[0] = (struct pollfd){ .fd = c->stop_fd, .events = POLLIN };
	for (;;) {
		for (size_t i = 0; i < c->nh; i++)
			pfd[i + 1] = (struct pollfd){ .fd = c->h[i].fd,
						      .events = POLLIN };
		if (poll(pfd, c->nh + 1, c->n_batch ? HELD_POLL_MS : POLL_MS) <
			    0 &&
		    errno != EINTR) {
			r = fail(c, negerrno(), "poll: %s", strerror(errno));
			break;
		}
		if (pfd[0].revents) {
			/* stop requested: let the rings hand over their last
			 * blocks, then take all libpcap holds */
			struct timespec ts = { 0,
					       2 * RING_TIMEOUT_MS * 1000000L };

			nanosleep(&ts, NULL);
			r = drain(c, true);
			break;
		}
		/* packets can sit in the ring until the timeout: also
		 * dispatch on timeouts (all handles) */
		r = drain(c, false);
		if (r < 0)
			break;
		if (n_open(c) == 0) {
			c->links_gone = true;
			break;
		}
	}
	release(c, true);
	if (r >= 0) {
		write_stats(c, start_ns);
		r = pcapng_writer_flush(c->w);
	}
	if (r == -EPIPE) {
		log_info("the reader closed the fifo: stopping");
		r = 0;
	} else if (r < 0) {
		fail(c, r, "cannot write the capture: %s", strerror(-r));
	}
out:
	free(pfd);
	if (r < 0 && c->result >= 0)
		fail(c, r, "capture failed: %s", strerror(-r));
	/* failed before the header (no such interface, cannot enter):
	 * the reader still gets one, and ends instead of waiting */
	if (c->result < 0 && !c->shb_written &&
	    write_error_shb(c->w, c->msg ? c->msg : strerror(-c->result)) < 0)
		log_error("cannot write the error to the output");
	if (write(c->done_fd, &one, sizeof(one)) < 0)
		log_error("cannot signal the end of the capture");
	return NULL;
}

static long ms_since(const struct timespec *a)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - a->tv_sec) * 1000 +
	       (now.tv_nsec - a->tv_nsec) / 1000000;
}

int capture_wait(struct capture *c, struct netns_watch *w, const sigset_t *sigs,
		 int stop_fd, bool *ret_gone)
{
	_cleanup_close_ int sfd =
		signalfd(-1, sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	struct timespec last;

	if (sfd < 0)
		return negerrno();
	clock_gettime(CLOCK_MONOTONIC, &last);
	for (;;) {
		/* the output with no event asked: a pipe's (fifo's) writer
		 * gets POLLERR once the read end is closed, a socket or tty
		 * POLLHUP; a regular file never gets either. Without this a
		 * reader that leaves is noticed at the next packet only. */
		struct pollfd pfd[4] = {
			{ .fd = sfd, .events = POLLIN },
			{ .fd = capture_done_fd(c), .events = POLLIN },
			{ .fd = stop_fd, .events = POLLIN },
			{ .fd = pcapng_writer_fd(c->w), .events = 0 },
		};

		if (poll(pfd, 4, CAPTURE_WATCH_MS / 2) < 0 && errno != EINTR)
			return negerrno();
		if (pfd[1].revents)
			return 0; /* the capture ended by itself */
		if (pfd[3].revents & (POLLERR | POLLHUP)) {
			log_info("the reader closed the output: stopping");
			capture_stop(c);
			return 0;
		}
		if (pfd[2].revents) {
			char buf[512];
			ssize_t n = read(stop_fd, buf, sizeof(buf));

			/* --stdin-stop: the ssh session ended or the relay
			 * asked us to stop */
			if (n == 0 ||
			    (n < 0 && errno != EINTR && errno != EAGAIN)) {
				log_info("stdin ended: stopping");
				capture_stop(c);
				return 0;
			}
		}
		if (pfd[0].revents) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) > 0)
				log_info("signal %u: stopping", si.ssi_signo);
			capture_stop(c);
			return 0;
		}
		if (ms_since(&last) >= CAPTURE_WATCH_MS) {
			clock_gettime(CLOCK_MONOTONIC, &last);
			if (netns_watch_check(w) == 0) {
				*ret_gone = true;
				capture_stop(c);
				return 0;
			}
		}
	}
}

int capture_start(struct capture_config *cfg, struct capture **ret)
{
	struct capture *c;
	sigset_t all, old;
	int r;

	c = calloc(1, sizeof(*c));
	if (!c) {
		closep(&cfg->nsfd);
		closep(&cfg->out_fd);
		return -ENOMEM;
	}
	c->cfg = *cfg;
	cfg->nsfd = cfg->out_fd = -1; /* taken */
	c->stop_fd = c->done_fd = -1;
	c->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	c->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->stop_fd < 0 || c->done_fd < 0) {
		r = negerrno();
		goto fail;
	}
	/* Wireshark's fifo: a 1 MiB pipe wakes its reader once per write
	 * batch, not every 64 KiB (fails harmlessly on a plain file) */
	(void)fcntl(c->cfg.out_fd, F_SETPIPE_SZ, 1 << 20);
	r = pcapng_writer_new(c->cfg.out_fd, &c->w);
	if (r < 0)
		goto fail;
	c->cfg.out_fd = -1; /* the writer owns it */

	/* the thread takes no signal: they are the main thread's business */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = -pthread_create(&c->thread, NULL, capture_thread, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r < 0)
		goto fail;
	c->started = true;
	*ret = c;
	return 0;
fail:
	capture_free(c);
	return r;
}

int capture_done_fd(const struct capture *c)
{
	return c->done_fd;
}

void capture_stop(struct capture *c)
{
	uint64_t one = 1;

	if (write(c->stop_fd, &one, sizeof(one)) < 0)
		log_error("cannot ask the capture to stop: %s",
			  strerror(errno));
}

int capture_join(struct capture *c, char **ret_msg)
{
	if (c->started) {
		pthread_join(c->thread, NULL);
		c->started = false;
	}
	if (ret_msg)
		*ret_msg = c->result < 0 && c->msg ? strdup(c->msg) : NULL;
	return c->result;
}

unsigned long long capture_packets(const struct capture *c)
{
	return c->packets;
}

bool capture_links_gone(const struct capture *c)
{
	return c->links_gone;
}

void capture_free(struct capture *c)
{
	if (!c)
		return;
	if (c->started) {
		capture_stop(c);
		pthread_join(c->thread, NULL);
	}
	for (size_t i = 0; i < c->nh; i++)
		if (c->h[i].p)
			c->pcap->close(c->h[i].p);
	free(c->h);
	free(c->batch);
	free(c->arena);
	pcapng_writer_free(c->w);
	closep(&c->cfg.out_fd);
	closep(&c->cfg.nsfd);
	closep(&c->stop_fd);
	closep(&c->done_fd);
	free(c->msg);
	free(c);
}
