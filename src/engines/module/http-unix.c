/* SPDX-License-Identifier: MIT */
#include "http-unix.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "log.h"
#include "util.h"

struct body {
	char *buf;
	size_t len, cap, max;
	bool too_big;
};

int http_unix_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_NOTHING) == CURLE_OK ? 0 : -EIO;
}

/* Called once connected, before the request goes out: from here on the
 * thread reads and parses with nothing effective. */
static int connected(void *clientp, char *conn_primary_ip, char *conn_local_ip,
		     int conn_primary_port, int conn_local_port)
{
	(void)clientp;
	(void)conn_primary_ip;
	(void)conn_local_ip;
	(void)conn_primary_port;
	(void)conn_local_port;
	caps_lower(CAPS_BIT(CAP_DAC_OVERRIDE));
	return CURL_PREREQFUNC_OK;
}

int http_unix_perform(void *curl)
{
	int cc;

	caps_raise(CAPS_BIT(CAP_DAC_OVERRIDE));
	curl_easy_setopt(curl, CURLOPT_PREREQFUNCTION, connected);
	cc = (int)curl_easy_perform(curl);
	caps_lower(CAPS_BIT(CAP_DAC_OVERRIDE)); /* if it never connected */
	return cc;
}

const char *http_unix_connect_error(void *curl)
{
	long e = 0;

	curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &e);
	switch (e) {
	case ECONNREFUSED:
		return "connection refused: nothing listens on the socket "
		       "(left by a stopped engine?)";
	case ENOENT:
		return "no such socket";
	case EACCES:
	case EPERM:
		return "permission denied (needs CAP_DAC_OVERRIDE or the "
		       "socket's group)";
	case EAGAIN:
		return "the engine's accept queue is full";
	default:
		return e ? strerror((int)e) : "could not connect";
	}
}

static size_t on_data(char *data, size_t size, size_t nmemb, void *user)
{
	struct body *b = user;
	size_t n = size * nmemb;

	if (b->len + n > b->max) {
		b->too_big = true;
		return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 16384;
		char *nb;

		while (cap < b->len + n + 1)
			cap *= 2;
		nb = realloc(b->buf, cap);
		if (!nb)
			return 0;
		b->buf = nb;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, data, n);
	b->len += n;
	b->buf[b->len] = '\0';
	return n;
}

/* The header lines, kept up to a bound (what lies beyond is not read:
 * the few we want come first). */
static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
	struct body *h = user;
	size_t n = size * nmemb;

	if (h->len + n <= h->max && on_data(data, 1, n, h) != n)
		return 0;
	return n;
}

static void curlp(CURL **c)
{
	if (*c)
		curl_easy_cleanup(*c);
}

int http_unix_get(const char *sock_path, const char *path,
		  const struct http_limits *lim, char **ret_body,
		  size_t *ret_len, char **ret_headers, char **ret_msg)
{
	_cleanup_(curlp) CURL *c = curl_easy_init();
	struct body b = { .max = lim->body_max },
		    h = { .max = HTTP_HEADERS_MAX };
	char url[1024], err[CURL_ERROR_SIZE] = "";
	long status = 0;
	CURLcode cc;
	int r = 0;

	if (!c)
		return -ENOMEM;
	snprintf(url, sizeof(url), "http://localhost%s", path);
	curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, sock_path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, lim->connect_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, lim->total_ms);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
			 (curl_off_t)lim->body_max);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	if (ret_headers) {
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
	}
	cc = (CURLcode)http_unix_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (log_enabled(LOG_DEBUG)) {
		double t = 0;

		curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &t);
		log_debug("GET %s: %.1f ms, %zu bytes", path, t * 1000, b.len);
	}
	if (cc != CURLE_OK) {
		if (b.too_big || cc == CURLE_FILESIZE_EXCEEDED)
			r = -EFBIG;
		else if (cc == CURLE_OPERATION_TIMEDOUT)
			r = -ETIMEDOUT;
		else if (cc == CURLE_COULDNT_CONNECT)
			r = -ECONNREFUSED;
		else if (cc == CURLE_WEIRD_SERVER_REPLY ||
			 cc == CURLE_UNSUPPORTED_PROTOCOL)
			r = -EPROTO;
		else
			r = -EIO;
		if (ret_msg &&
		    asprintf(ret_msg, "GET %s: %s", path,
			     r == -EFBIG ? "response larger than the limit"
			     : r == -ECONNREFUSED ? http_unix_connect_error(c)
			     : err[0]		  ? err
						  : curl_easy_strerror(cc)) < 0)
			*ret_msg = NULL;
	} else if (status < 200 || status > 299) {
		r = status == 404 ? -ENOENT : -EPROTO;
		if (ret_msg && asprintf(ret_msg, "GET %s: HTTP status %ld",
					path, status) < 0)
			*ret_msg = NULL;
	}
	/* an empty body or header block is "", not NULL */
	if (r >= 0 && ((!b.buf && !(b.buf = calloc(1, 1))) ||
		       (ret_headers && !h.buf && !(h.buf = calloc(1, 1)))))
		r = -ENOMEM;
	if (r < 0) {
		free(b.buf);
		free(h.buf);
		return r;
	}
	if (ret_headers)
		*ret_headers = h.buf;
	*ret_body = b.buf;
	if (ret_len)
		*ret_len = b.len;
	return 0;
}
