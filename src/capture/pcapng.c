/* SPDX-License-Identifier: MIT */
/*
 * pcapng block writer, see pcapng.h.
 *
 * Every block is laid out as
 *	type (32) | total length (32) | fixed body | data padded to 4 |
 *	options | opt_endofopt (only if there were options) | total length
 * and each option as code (16) | length (16) | value padded to 4, where the
 * length field holds the unpadded value length.
 */
#include "pcapng.h"

#include "util.h"

#include <stdbool.h>
#include <string.h>

/*
 * Normal buffer size: many packets per write() without hogging memory. It
 * grows for a single bigger block, up to PCAPNG_BLOCK_MAX.
 */
#define BUF_INITIAL (256U * 1024U)

/* Block type and total length up front, total length again at the end. */
#define BLOCK_OVERHEAD 12U

struct pcapng_writer {
	int fd;
	int error; /* sticky: 0 or the -errno of the first failed write */
	bool have_shb;
	uint32_t n_interfaces; /* IDBs in the current section */
	uint8_t *buf;	       /* complete blocks only */
	size_t len, cap;
};

struct option {
	uint16_t code;
	bool has_type; /* value starts with type_byte (if_filter) */
	uint8_t type_byte;
	const void *data;
	size_t len;
};

/* Any call after a failed write returns that write's error. */
static int writer_usable(const struct pcapng_writer *w)
{
	if (!w)
		return -EINVAL;
	return w->error;
}

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static size_t option_len(const struct option *o)
{
	return o->len + (o->has_type ? 1 : 0);
}

/* Adds a string option if s is set; NULL means "omit". */
static void add_str(struct option *opts, size_t *n, uint16_t code,
		    const char *s)
{
	if (!s)
		return;
	opts[(*n)++] =
		(struct option){ .code = code, .data = s, .len = strlen(s) };
}

static void add_raw(struct option *opts, size_t *n, uint16_t code,
		    const void *data, size_t len)
{
	opts[(*n)++] =
		(struct option){ .code = code, .data = data, .len = len };
}

static uint8_t *put_u16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
	return p + sizeof(v);
}

static uint8_t *put_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
	return p + sizeof(v);
}

/* Copies len bytes and zero-pads to a multiple of 4. */
static uint8_t *put_padded(uint8_t *p, const void *data, size_t len)
{
	if (len > 0)
		memcpy(p, data, len);
	memset(p + len, 0, pad4(len) - len);
	return p + pad4(len);
}

/* Makes room for a block of size bytes, flushing or growing the buffer. */
static int reserve(struct pcapng_writer *w, size_t size)
{
	uint8_t *nb;
	int r;

	if (w->cap - w->len >= size)
		return 0;
	if (w->len > 0) {
		r = pcapng_writer_flush(w);
		if (r < 0)
			return r;
		if (w->cap >= size)
			return 0;
	}
	/* An oversized single block: grow (never beyond PCAPNG_BLOCK_MAX). */
	nb = realloc(w->buf, size);
	if (!nb)
		return -ENOMEM;
	w->buf = nb;
	w->cap = size;
	return 0;
}

/*
 * Serialises one block into the buffer: fixed body (fixed_len bytes, a
 * multiple of 4), then data padded to 4, then the options. Either the whole
 * block is appended or nothing is.
 */
static int append_block(struct pcapng_writer *w, uint32_t type,
			const void *fixed, size_t fixed_len, const void *data,
			size_t data_len, const struct option *opts,
			size_t n_opts)
{
	size_t total = BLOCK_OVERHEAD + fixed_len;
	uint8_t *p;
	int r;

	if (data_len > PCAPNG_BLOCK_MAX)
		return -E2BIG;
	total += pad4(data_len);
	for (size_t i = 0; i < n_opts; i++) {
		if (option_len(&opts[i]) > PCAPNG_OPTION_MAX)
			return -E2BIG;
		total += 4 + pad4(option_len(&opts[i]));
	}
	if (n_opts > 0)
		total += 4; /* opt_endofopt */
	if (total > PCAPNG_BLOCK_MAX)
		return -E2BIG;

	r = reserve(w, total);
	if (r < 0)
		return r;

	p = w->buf + w->len;
	p = put_u32(p, type);
	p = put_u32(p, (uint32_t)total);
	memcpy(p, fixed, fixed_len);
	p += fixed_len;
	p = put_padded(p, data, data_len);
	for (size_t i = 0; i < n_opts; i++) {
		const struct option *o = &opts[i];

		p = put_u16(p, o->code);
		p = put_u16(p, (uint16_t)option_len(o));
		if (o->has_type) {
			/* Shift the value by the type byte, pad the sum. */
			*p = o->type_byte;
			if (o->len > 0)
				memcpy(p + 1, o->data, o->len);
			memset(p + 1 + o->len, 0,
			       pad4(o->len + 1) - (o->len + 1));
			p += pad4(o->len + 1);
		} else {
			p = put_padded(p, o->data, o->len);
		}
	}
	if (n_opts > 0) {
		p = put_u16(p, PCAPNG_OPT_ENDOFOPT);
		p = put_u16(p, 0);
	}
	p = put_u32(p, (uint32_t)total);

	w->len += total;
	return 0;
}

int pcapng_writer_new(int fd, struct pcapng_writer **ret)
{
	struct pcapng_writer *w;

	if (fd < 0 || !ret)
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->buf = malloc(BUF_INITIAL);
	if (!w->buf) {
		free(w);
		return -ENOMEM;
	}
	w->cap = BUF_INITIAL;
	w->fd = fd;
	*ret = w;
	return 0;
}

void pcapng_writer_free(struct pcapng_writer *w)
{
	if (!w)
		return;
	(void)pcapng_writer_flush(w);
	if (w->fd >= 0)
		close(w->fd);
	free(w->buf);
	free(w);
}

int pcapng_writer_flush(struct pcapng_writer *w)
{
	int r;

	r = writer_usable(w);
	if (r < 0)
		return r;
	if (w->len == 0)
		return 0;
	/*
	 * After a failed (possibly partial) write the stream position is
	 * unknown, so nothing may follow: keep the error.
	 */
	r = write_all(w->fd, w->buf, w->len);
	if (r < 0) {
		w->error = r;
		return r;
	}
	w->len = 0;
	return 0;
}

uint32_t pcapng_writer_n_interfaces(const struct pcapng_writer *w)
{
	return w ? w->n_interfaces : 0;
}

int pcapng_writer_fd(const struct pcapng_writer *w)
{
	return w ? w->fd : -1;
}

int pcapng_write_shb(struct pcapng_writer *w, const struct pcapng_shb *shb)
{
	uint8_t fixed[16], *p = fixed;
	struct option opts[4];
	size_t n = 0;
	int r;

	r = writer_usable(w);
	if (r < 0)
		return r;
	p = put_u32(p, PCAPNG_BYTE_ORDER_MAGIC);
	p = put_u16(p, 1); /* major version */
	p = put_u16(p, 0); /* minor version */
	/* Section length -1: unknown, we are a stream. */
	p = put_u32(p, UINT32_MAX);
	put_u32(p, UINT32_MAX);

	if (shb) {
		add_str(opts, &n, PCAPNG_OPT_SHB_HARDWARE, shb->hardware);
		add_str(opts, &n, PCAPNG_OPT_SHB_OS, shb->os);
		add_str(opts, &n, PCAPNG_OPT_SHB_USERAPPL, shb->userappl);
		add_str(opts, &n, PCAPNG_OPT_COMMENT, shb->comment);
	}
	r = append_block(w, PCAPNG_BT_SHB, fixed, sizeof(fixed), NULL, 0, opts,
			 n);
	if (r < 0)
		return r;
	/* A new section starts: interface ids count from 0 again. */
	w->have_shb = true;
	w->n_interfaces = 0;
	return 0;
}

int pcapng_write_idb(struct pcapng_writer *w, const struct pcapng_idb *idb,
		     uint32_t *ret_if_id)
{
	static const uint8_t tsresol = 9; /* 10^-9 s: nanoseconds */
	uint8_t fixed[8], *p = fixed;
	struct option opts[7];
	size_t n = 0;
	int r;

	r = writer_usable(w);
	if (r < 0)
		return r;
	if (!idb || !w->have_shb || w->n_interfaces == UINT32_MAX)
		return -EINVAL;
	p = put_u16(p, idb->linktype);
	p = put_u16(p, 0); /* reserved */
	put_u32(p, idb->snaplen);

	add_str(opts, &n, PCAPNG_OPT_IF_NAME, idb->name);
	add_str(opts, &n, PCAPNG_OPT_IF_DESCRIPTION, idb->description);
	add_raw(opts, &n, PCAPNG_OPT_IF_TSRESOL, &tsresol, 1);
	if (idb->filter) {
		/* Type byte 0: a libpcap filter expression follows. */
		add_str(opts, &n, PCAPNG_OPT_IF_FILTER, idb->filter);
		opts[n - 1].has_type = true;
		opts[n - 1].type_byte = 0;
	}
	add_str(opts, &n, PCAPNG_OPT_IF_OS, idb->os);
	add_str(opts, &n, PCAPNG_OPT_IF_HARDWARE, idb->hardware);
	add_str(opts, &n, PCAPNG_OPT_COMMENT, idb->comment);

	r = append_block(w, PCAPNG_BT_IDB, fixed, sizeof(fixed), NULL, 0, opts,
			 n);
	if (r < 0)
		return r;
	if (ret_if_id)
		*ret_if_id = w->n_interfaces;
	w->n_interfaces++;
	return 0;
}

int pcapng_write_epb(struct pcapng_writer *w, uint32_t if_id, uint64_t ts_ns,
		     const void *data, uint32_t caplen, uint32_t origlen,
		     uint32_t flags, const char *comment)
{
	uint8_t fixed[20], *p = fixed;
	struct option opts[2];
	size_t n = 0;
	int r;

	r = writer_usable(w);
	if (r < 0)
		return r;
	if (if_id >= w->n_interfaces || caplen > origlen ||
	    (!data && caplen > 0))
		return -EINVAL;
	/* if_tsresol is 9, so the 64-bit timestamp counts nanoseconds. */
	p = put_u32(p, if_id);
	p = put_u32(p, (uint32_t)(ts_ns >> 32));
	p = put_u32(p, (uint32_t)ts_ns);
	p = put_u32(p, caplen);
	put_u32(p, origlen);

	if (flags != 0)
		add_raw(opts, &n, PCAPNG_OPT_EPB_FLAGS, &flags, sizeof(flags));
	add_str(opts, &n, PCAPNG_OPT_COMMENT, comment);

	return append_block(w, PCAPNG_BT_EPB, fixed, sizeof(fixed), data,
			    caplen, opts, n);
}

int pcapng_write_isb(struct pcapng_writer *w, uint32_t if_id, uint64_t ts_ns,
		     const struct pcapng_isb *isb)
{
	uint8_t fixed[12], *p = fixed;
	/* isb_starttime/endtime: high and low 32 bits, like the block's. */
	uint32_t start[2], end[2];
	struct option opts[4];
	size_t n = 0;
	int r;

	r = writer_usable(w);
	if (r < 0)
		return r;
	if (if_id >= w->n_interfaces)
		return -EINVAL;
	p = put_u32(p, if_id);
	p = put_u32(p, (uint32_t)(ts_ns >> 32));
	put_u32(p, (uint32_t)ts_ns);

	if (isb && isb->start_ns) {
		start[0] = (uint32_t)(isb->start_ns >> 32);
		start[1] = (uint32_t)isb->start_ns;
		add_raw(opts, &n, PCAPNG_OPT_ISB_STARTTIME, start,
			sizeof(start));
	}
	if (isb && isb->end_ns) {
		end[0] = (uint32_t)(isb->end_ns >> 32);
		end[1] = (uint32_t)isb->end_ns;
		add_raw(opts, &n, PCAPNG_OPT_ISB_ENDTIME, end, sizeof(end));
	}
	if (isb && isb->has_counts) {
		add_raw(opts, &n, PCAPNG_OPT_ISB_IFRECV, &isb->ifrecv,
			sizeof(isb->ifrecv));
		add_raw(opts, &n, PCAPNG_OPT_ISB_IFDROP, &isb->ifdrop,
			sizeof(isb->ifdrop));
	}

	return append_block(w, PCAPNG_BT_ISB, fixed, sizeof(fixed), NULL, 0,
			    opts, n);
}
