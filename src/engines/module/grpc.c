/* SPDX-License-Identifier: MIT */
#include "grpc.h"

#include "http-unix.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "log.h"
#include "text.h"
#include "util.h"

struct grpc_client {
	CURL *curl;
	char *sock_path;
	struct grpc_limits lim;
	long long deadline; /* CLOCK_MONOTONIC ms; 0 = none */
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- the body: frames as they arrive --- */

/* The length a frame header announces. */
static size_t grpc_frame_len(const uint8_t *hdr)
{
	return (size_t)hdr[1] << 24 | (size_t)hdr[2] << 16 |
	       (size_t)hdr[3] << 8 | hdr[4];
}

int grpc_body_feed(struct grpc_body *b, const void *data, size_t n)
{
	if (b->err)
		return b->err;
	/* the whole body, header included, is cut at the limit: an endless
	 * stream ends here */
	if (n > b->max + GRPC_FRAME_HDR - b->len)
		return (b->err = -EFBIG);
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *nb;

		while (cap < b->len + n)
			cap *= 2;
		nb = realloc(b->buf, cap);
		if (!nb)
			return (b->err = -ENOMEM);
		b->buf = nb;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, data, n);
	/* the header is judged once it is complete, before the message */
	if (b->len < GRPC_FRAME_HDR && b->len + n >= GRPC_FRAME_HDR) {
		size_t mlen = grpc_frame_len(b->buf);

		if (b->buf[0] != 0)
			return (b->err = -EPROTO); /* we offered no encoding */
		if (mlen > b->max)
			return (b->err = -EFBIG);
	}
	b->len += n;
	return 0;
}

int grpc_body_message(const struct grpc_body *b, const uint8_t **ret,
		      size_t *ret_len)
{
	size_t mlen;

	if (b->err)
		return b->err;
	if (b->len < GRPC_FRAME_HDR)
		return -EBADMSG;
	mlen = grpc_frame_len(b->buf);
	/* a unary answer is exactly one message */
	if (b->len - GRPC_FRAME_HDR != mlen)
		return -EBADMSG;
	*ret = b->buf + GRPC_FRAME_HDR;
	*ret_len = mlen;
	return 0;
}

void grpc_body_clear(struct grpc_body *b)
{
	free(b->buf);
	*b = (struct grpc_body){ .max = b->max };
}

/* --- header lines --- */

/* grpc-message is percent-encoded; what we keep goes into log lines: no
 * control characters. */
static void decode_message(const char *s, size_t n, char *out, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < len; i++) {
		int c = (unsigned char)s[i];

		if (c == '%' && i + 2 < n && hex_digit_value(s[i + 1]) >= 0 &&
		    hex_digit_value(s[i + 2]) >= 0) {
			c = hex_digit_value(s[i + 1]) << 4 |
			    hex_digit_value(s[i + 2]);
			i += 2;
		}
		out[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	out[o] = '\0';
}

static long parse_status(const char *s, size_t n)
{
	long v = 0;

	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= INT32_MAX ? v : -1;
}

void grpc_reply_header(struct grpc_reply *rep, const char *line, size_t n)
{
	const char *colon = memchr(line, ':', n), *v, *end = line + n;
	size_t name_len;

	if (!colon || colon == line)
		return; /* status line, blank line */
	name_len = (size_t)(colon - line);
	v = colon + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
			   end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (name_len == 11 && strncasecmp(line, "grpc-status", 11) == 0) {
		long st = parse_status(v, (size_t)(end - v));

		/* a failure anywhere (headers or trailers) stays one */
		if (!rep->has_status || rep->status == 0)
			rep->status = st;
		rep->has_status = true;
	} else if (name_len == 12 &&
		   strncasecmp(line, "grpc-message", 12) == 0) {
		decode_message(v, (size_t)(end - v), rep->message,
			       sizeof(rep->message));
	} else if (name_len == 12 &&
		   strncasecmp(line, "content-type", 12) == 0) {
		size_t vl = (size_t)(end - v);

		rep->is_grpc = vl >= 16 &&
			       strncasecmp(v, "application/grpc", 16) == 0 &&
			       (vl == 16 || v[16] == '+' || v[16] == ';');
	}
}

int grpc_status_errno(long status)
{
	switch (status) {
	case 0:
		return 0;
	case 1: /* CANCELLED */
		return -ECANCELED;
	case 4: /* DEADLINE_EXCEEDED */
		return -ETIMEDOUT;
	case 5: /* NOT_FOUND */
		return -ENOENT;
	case 7:	 /* PERMISSION_DENIED */
	case 16: /* UNAUTHENTICATED */
		return -EACCES;
	case 12: /* UNIMPLEMENTED */
		return -EOPNOTSUPP;
	default:
		return -EREMOTEIO;
	}
}

const char *grpc_status_name(long status, char *buf, size_t len)
{
	static const char *const names[] = {
		"OK",
		"CANCELLED",
		"UNKNOWN",
		"INVALID_ARGUMENT",
		"DEADLINE_EXCEEDED",
		"NOT_FOUND",
		"ALREADY_EXISTS",
		"PERMISSION_DENIED",
		"RESOURCE_EXHAUSTED",
		"FAILED_PRECONDITION",
		"ABORTED",
		"OUT_OF_RANGE",
		"UNIMPLEMENTED",
		"INTERNAL",
		"UNAVAILABLE",
		"DATA_LOSS",
		"UNAUTHENTICATED",
	};

	if (status >= 0 && (size_t)status < ELEMENTSOF(names))
		return names[status];
	snprintf(buf, len, "status %ld", status);
	return buf;
}

/* --- the transport --- */

int grpc_client_new(const char *sock_path, const struct grpc_limits *lim,
		    struct grpc_client **ret)
{
	struct grpc_client *g = calloc(1, sizeof(*g));

	if (!g)
		return -ENOMEM;
	g->curl = curl_easy_init();
	g->sock_path = strdup(sock_path);
	if (!g->curl || !g->sock_path) {
		grpc_client_free(g);
		return -ENOMEM;
	}
	g->lim = *lim;
	if (lim->budget_ms > 0)
		g->deadline = now_ms() + lim->budget_ms;
	*ret = g;
	return 0;
}

void grpc_client_free(struct grpc_client *g)
{
	if (g->curl)
		curl_easy_cleanup(g->curl);
	free(g->sock_path);
	free(g);
}

static size_t on_data(char *data, size_t size, size_t nmemb, void *user)
{
	size_t n = size * nmemb;

	/* anything but n aborts the transfer (CURLE_WRITE_ERROR) */
	return grpc_body_feed(user, data, n) < 0 ? 0 : n;
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *user)
{
	grpc_reply_header(user, line, size * nmemb);
	return size * nmemb;
}

static void curl_slist_freep(struct curl_slist **l)
{
	curl_slist_free_all(*l);
}

static int curl_errno(CURLcode cc)
{
	switch (cc) {
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_COULDNT_CONNECT:
		return -ECONNREFUSED;
	case CURLE_OUT_OF_MEMORY:
		return -ENOMEM;
	/* not HTTP/2: an HTTP/1.1 server answers our preface with text */
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_GOT_NOTHING:
		return -EPROTO;
	default:
		return -EIO;
	}
}

/* The one line of a failed call. */
static void set_err(char **ret_err, const char *method, const char *fmt, ...)
	_printf_(3, 4);
static void set_err(char **ret_err, const char *method, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	if (!ret_err)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (asprintf(ret_err, "%s: %s", method, what) < 0)
		*ret_err = NULL;
}

static const char *body_err_text(int r)
{
	switch (r) {
	case -EFBIG:
		return "answer larger than the limit";
	case -EPROTO:
		return "compressed message (none was offered)";
	default:
		return strerror(-r);
	}
}

/* The transfer, in total ms at most. */
static CURLcode perform(struct grpc_client *g, CURL *c, const char *url,
			struct curl_slist *hl, const uint8_t *frame, size_t len,
			long total, struct grpc_body *body,
			struct grpc_reply *rep, char *err)
{
	curl_easy_reset(c);
	/* a connection per call: libcurl 7.88 (Debian 12) fails to reuse an
	 * HTTP/2 prior-knowledge one (curl issue 10634, fixed in 7.89); on a
	 * unix socket a connection costs little */
	curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
	/* 7.88 also leaves HTTP/2 data it read in its buffers when an answer
	 * outgrows its receive buffer, and waits 200 ms for the socket: a
	 * large one holds the usual answers (tens of KB) at once */
	curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 512L * 1024);
	curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, g->sock_path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
	curl_easy_setopt(c, CURLOPT_HTTP_VERSION,
			 (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
			 g->lim.connect_ms < total ? g->lim.connect_ms : total);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, total);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, frame);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "turtlecap/" TURTLECAP_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, rep);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	return (CURLcode)http_unix_perform(c);
}

int grpc_call(struct grpc_client *g, const char *method,
	      const char *const *headers, const void *req, size_t req_len,
	      uint8_t **ret_msg, size_t *ret_len, char **ret_err)
{
	_cleanup_(curl_slist_freep) struct curl_slist *hl = NULL;
	_cleanup_free_ uint8_t *frame = NULL;
	struct grpc_body body = { .max = g->lim.msg_max };
	struct grpc_reply rep = { 0 };
	char url[512], tmo[64], err[CURL_ERROR_SIZE] = "", sname[32];
	long total = g->lim.total_ms, http = 0, version = 0;
	const uint8_t *msg = NULL;
	size_t mlen = 0;
	CURLcode cc;
	CURL *c = g->curl;
	int r;

	if (g->deadline) {
		long long left = g->deadline - now_ms();

		if (left <= 0) {
			set_err(ret_err, method, "not asked");
			return -ETIME;
		}
		if (left < total)
			total = (long)left;
	}
	snprintf(url, sizeof(url), "http://localhost%s", method);
	/* the server's deadline, as gRPC says it: at most 8 digits */
	snprintf(tmo, sizeof(tmo), "grpc-timeout: %ldm", total);
	hl = curl_slist_append(hl, "content-type: application/grpc");
	if (hl)
		hl = curl_slist_append(hl, "te: trailers");
	if (hl)
		hl = curl_slist_append(hl, tmo);
	if (hl)
		hl = curl_slist_append(hl, "Accept:");
	for (size_t i = 0; hl && headers && headers[i]; i++)
		hl = curl_slist_append(hl, headers[i]);
	if (!hl)
		return -ENOMEM;

	/* the request in its frame */
	frame = malloc(GRPC_FRAME_HDR + req_len);
	if (!frame)
		return -ENOMEM;
	frame[0] = 0;
	frame[1] = (uint8_t)(req_len >> 24);
	frame[2] = (uint8_t)(req_len >> 16);
	frame[3] = (uint8_t)(req_len >> 8);
	frame[4] = (uint8_t)req_len;
	if (req_len)
		memcpy(frame + GRPC_FRAME_HDR, req, req_len);

	{
		long long t0 = now_ms();

		cc = perform(g, c, url, hl, frame, GRPC_FRAME_HDR + req_len,
			     total, &body, &rep, err);
		log_debug("gRPC %s: %lld ms, %zu bytes", method, now_ms() - t0,
			  body.len);
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &http);
	curl_easy_getinfo(c, CURLINFO_HTTP_VERSION, &version);

	/* grpc-status comes last: with it the answer is complete, whatever
	 * befell the stream after (grpc-go may reset a stream it answered
	 * trailers-only before reading the request) */
	if (cc == CURLE_HTTP2_STREAM && !body.err && rep.has_status &&
	    http == 200)
		cc = CURLE_OK;
	if (cc == CURLE_HTTP2_STREAM && !http) {
		/* libcurl 7.88 loses an answer whose stream the server resets
		 * while our request is still on its way: grpc-go answers so,
		 * before reading the request, only when the call cannot be
		 * served at all (an unknown service, mostly) */
		r = -ECONNRESET;
		set_err(ret_err, method,
			"the server reset the call before reading it (an unknown service?)");
		goto fail;
	}
	if (cc != CURLE_OK) {
		if (body.err) {
			r = body.err;
			set_err(ret_err, method, "%s", body_err_text(r));
		} else {
			r = curl_errno(cc);
			set_err(ret_err, method, "%s%s",
				r == -ECONNREFUSED ? http_unix_connect_error(c)
				: err[0]	   ? err
						   : curl_easy_strerror(cc),
				r == -EPROTO ? " (not an HTTP/2 gRPC server?)"
					     : "");
		}
		goto fail;
	}
	if (version != CURL_HTTP_VERSION_2_0) {
		r = -EPROTO;
		set_err(ret_err, method, "answer is not HTTP/2");
		goto fail;
	}
	if (http != 200) {
		r = -EPROTO;
		set_err(ret_err, method, "HTTP status %ld", http);
		goto fail;
	}
	if (!rep.has_status || rep.status < 0) {
		r = -EPROTO;
		set_err(ret_err, method, "%s grpc-status",
			rep.has_status ? "malformed" : "no");
		goto fail;
	}
	if (rep.status != 0) {
		r = grpc_status_errno(rep.status);
		set_err(ret_err, method, "grpc-status %ld (%s)%s%s", rep.status,
			grpc_status_name(rep.status, sname, sizeof(sname)),
			rep.message[0] ? ": " : "", rep.message);
		goto fail;
	}
	if (!rep.is_grpc) {
		r = -EPROTO;
		set_err(ret_err, method,
			"content-type is not application/grpc");
		goto fail;
	}
	r = grpc_body_message(&body, &msg, &mlen);
	if (r < 0) {
		size_t want =
			body.len >= GRPC_FRAME_HDR
				? GRPC_FRAME_HDR + grpc_frame_len(body.buf)
				: GRPC_FRAME_HDR;

		if (body.len < want)
			set_err(ret_err, method,
				"truncated gRPC message (%zu of %zu bytes)",
				body.len, want);
		else
			set_err(ret_err, method,
				"more than one message in a unary answer");
		goto fail;
	}
	/* the message moves to the front of the buffer we hand over */
	memmove(body.buf, msg, mlen);
	*ret_msg = body.buf;
	*ret_len = mlen;
	return 0;
fail:
	grpc_body_clear(&body);
	/* out of time because the budget had less than the call's limit */
	if (r == -ETIMEDOUT && total < g->lim.total_ms)
		r = -ETIME;
	return r;
}
