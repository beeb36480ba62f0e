/* SPDX-License-Identifier: MIT */
#include "capture.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/eventfd.h>
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
#define DISPATCH_BATCH	256
#define POLL_MS		200

struct handle {
	pcap_t *p;
	int fd;
	uint32_t if_id;
	uint32_t dir; /* PCAPNG_EPB_DIR_* stamped on its packets */
	struct capture *c;
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
	/* one round of packets from all handles, written in time order:
	 * the inbound and outbound handles of a link are read one after the
	 * other, so their packets interleave only once sorted */
	struct pending *batch;
	size_t n_batch, cap_batch;
	uint8_t *arena;
	size_t arena_len, arena_cap;
};

struct pending {
	uint64_t ts;
	size_t off, seq;
	uint32_t if_id, dir, caplen, len;
};

/* Bytes buffered before a round is written out early, whatever its size. */
#define BATCH_BYTES_MAX (8U << 20)

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

static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq); /* stable */
}

/* Write the buffered round in time order; errors are the writer's
 * (sticky, read by the loop). */
static void write_batch(struct capture *c)
{
	if (c->n_batch == 0)
		return;
	qsort(c->batch, c->n_batch, sizeof(*c->batch), cmp_pending);
	for (size_t i = 0; i < c->n_batch; i++) {
		const struct pending *p = &c->batch[i];

		if (pcapng_write_epb(c->w, p->if_id, p->ts, c->arena + p->off,
				     p->caplen, p->len, p->dir, NULL) < 0)
			break;
		c->packets++;
	}
	c->n_batch = 0;
	c->arena_len = 0;
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
	struct handle *h = (struct handle *)user;
	struct capture *c = h->c;
	uint64_t ts = (uint64_t)hdr->ts.tv_sec * 1000000000ULL +
		      (uint64_t)hdr->ts.tv_usec; /* nanosecond precision */

	if (c->arena_len + hdr->caplen > BATCH_BYTES_MAX)
		write_batch(c);
	if (!batch_reserve(c, hdr->caplen)) {
		/* out of memory: write this one directly, unordered */
		if (pcapng_write_epb(c->w, h->if_id, ts, data, hdr->caplen,
				     hdr->len, h->dir, NULL) >= 0)
			c->packets++;
		return;
	}
	if (hdr->caplen)
		memcpy(c->arena + c->arena_len, data, hdr->caplen);
	c->batch[c->n_batch] = (struct pending){ .ts = ts,
						 .off = c->arena_len,
						 .seq = c->n_batch,
						 .if_id = h->if_id,
						 .dir = h->dir,
						 .caplen = hdr->caplen,
						 .len = hdr->len };
	c->n_batch++;
	c->arena_len += hdr->caplen;
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
	pc->set_timeout(p, POLL_MS);
	pc->set_immediate_mode(p, 1);
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
		pc->freecode(&prog);
		if (r < 0) {
			fail(c, -EINVAL, "cannot set capture filter on %s: %s",
			     l->name, pc->geterr(p));
			pc->close(p);
			return -EINVAL;
		}
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

	if (c->cfg.ns->is_host)
		return 0;
	if (setns(c->cfg.nsfd, CLONE_NEWNET) < 0) {
		int err = negerrno();

		if (err == -EPERM)
			return fail(
				c, err,
				"cannot enter the network namespace of %s: missing %s",
				c->cfg.value, caps_name(CAP_SYS_ADMIN));
		return fail(c, err,
			    "cannot enter the network namespace of %s: %s",
			    c->cfg.value, strerror(-err));
	}
	/* re-validate from inside: the fd was checked when opened, this
	 * proves the thread really is where it was asked to go */
	if (stat("/proc/thread-self/ns/net", &st) < 0 ||
	    st.st_ino != c->cfg.ns->id.ino)
		return fail(c, -ESTALE,
			    "network namespace of %s changed while entering it",
			    c->cfg.value);
	return 0;
}

static int setup(struct capture *c)
{
	struct netlink_links links = { 0 };
	struct metadata_target mt = { .l = c->cfg.l,
				      .host = c->cfg.host,
				      .value = c->cfg.value,
				      .ns = c->cfg.ns };
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
			    c->cfg.value, strerror(-r));
	if (c->cfg.netifs)
		for (char **n = c->cfg.netifs; *n; n++) {
			bool found = false;

			for (size_t i = 0; i < links.n && !found; i++)
				found = strcmp(links.links[i].name, *n) == 0;
			if (!found) {
				r = fail(c, -ENODEV,
					 "no interface \"%s\" in %s", *n,
					 c->cfg.value);
				goto out;
			}
		}

	{
		_cleanup_free_ char *comment = metadata_shb_comment(&mt);
		struct utsname u;
		char os[2 * sizeof(u.release) + 2] = "";
		struct pcapng_shb shb = {
			.userappl = "turtlecap " TURTLECAP_VERSION,
			.comment = comment
		};

		if (uname(&u) == 0) {
			snprintf(os, sizeof(os), "%s %s", u.sysname, u.release);
			shb.os = os;
			shb.hardware = u.machine;
		}
		r = pcapng_write_shb(c->w, &shb);
		if (r < 0) {
			r = fail(c, r, "cannot write the capture: %s",
				 strerror(-r));
			goto out;
		}
	}

	for (size_t i = 0; i < links.n; i++) {
		if (!wanted(c, &links.links[i]))
			continue;
		r = open_link(c, &links.links[i], &mt);
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
			 c->cfg.value);
		goto out;
	}
	r = pcapng_writer_flush(c->w);
out:
	netlink_links_clear(&links);
	return r;
}

static void close_handle(struct capture *c, size_t i)
{
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

/* One round over the readable handles. -EPIPE etc. from the writer. */
static int drain(struct capture *c, const struct pollfd *pfd, bool all)
{
	for (size_t i = 0; i < c->nh; i++) {
		struct handle *h = &c->h[i];
		int n;

		if (!h->p || (!all && !pfd[i + 1].revents))
			continue;
		n = c->pcap->dispatch(h->p, DISPATCH_BATCH, on_packet,
				      (u_char *)h);
		if (n == PCAP_ERROR) {
			/* the link went away (container stopped, veth
			 * deleted): close it, the others go on */
			log_info("interface of if_id %u ended: %s", h->if_id,
				 c->pcap->geterr(h->p));
			close_handle(c, i);
		}
	}
	write_batch(c);
	return pcapng_writer_flush(c->w);
}

static void write_stats(struct capture *c, uint64_t start_ns)
{
	for (uint32_t id = 0; id < pcapng_writer_n_interfaces(c->w); id++) {
		struct pcapng_isb isb = { .start_ns = start_ns,
					  .end_ns = now_ns() };

		for (size_t i = 0; i < c->nh; i++) {
			struct pcap_stat st;

			if (c->h[i].if_id != id || !c->h[i].p ||
			    c->pcap->stats(c->h[i].p, &st) < 0)
				continue;
			isb.has_counts = 1;
			isb.ifrecv += st.ps_recv;
			isb.ifdrop += st.ps_drop;
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
		if (poll(pfd, c->nh + 1, POLL_MS) < 0 && errno != EINTR) {
			r = fail(c, negerrno(), "poll: %s", strerror(errno));
			break;
		}
		if (pfd[0].revents) {
			/* stop requested: take what libpcap still holds */
			r = drain(c, pfd, true);
			break;
		}
		/* packets can sit in the ring until the timeout: also
		 * dispatch on timeouts (all handles) */
		r = drain(c, pfd, true);
		if (r < 0)
			break;
		if (n_open(c) == 0) {
			c->links_gone = true;
			break;
		}
	}
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
	if (write(c->done_fd, &one, sizeof(one)) < 0)
		log_error("cannot signal the end of the capture");
	return NULL;
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
		cfg->nsfd = cfg->out_fd = -1;
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
