/* SPDX-License-Identifier: MIT */
/*
 * Bounded HTTP/1.1 GET over a unix socket (libcurl): connect and total
 * timeouts, a hard cap on the body, no redirects, http only. Part of the
 * engines module. Errors: -ETIMEDOUT, -ECONNREFUSED, -EFBIG (body over
 * the cap), -ENOENT (404), -EPROTO (other non-2xx or not HTTP), -EIO.
 */
#ifndef TURTLECAP_HTTP_UNIX_H
#define TURTLECAP_HTTP_UNIX_H

#include <stddef.h>

struct http_limits {
	long connect_ms, total_ms;
	size_t body_max;
};

/* Once, before any thread uses http_unix_get(). */
int http_unix_global_init(void);

#define HTTP_HEADERS_MAX 16384 /* header bytes kept; the rest unread */

/* *ret_body is NUL-terminated (len excludes the NUL); ret_headers (may
 * be NULL) gets the header lines, NUL-terminated, at most
 * HTTP_HEADERS_MAX bytes; *ret_msg (may be NULL) gets one line on
 * failure. */
int http_unix_get(const char *sock_path, const char *path,
		  const struct http_limits *lim, char **ret_body,
		  size_t *ret_len, char **ret_headers, char **ret_msg);

/*
 * curl_easy_perform() on a handle set up for an engine socket, with
 * CAP_DAC_OVERRIDE (engine sockets are root 0660) effective only until the
 * connection stands: the answer is read and parsed with nothing effective
 * (engine threads start with everything lowered). Returns the CURLcode.
 */
int http_unix_perform(void *curl);

/* After a failed connect (CURLE_COULDNT_CONNECT): why, in words, from the
 * connect's errno (curl's own text names "localhost port 80"). */
const char *http_unix_connect_error(void *curl);

#endif
