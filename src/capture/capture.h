/* SPDX-License-Identifier: MIT */
/*
 * The capture: a dedicated thread enters the target network namespace
 * (setns, CLONE_NEWNET only, re-validated after entering), opens libpcap
 * handles on the selected links there and streams them as ONE pcapng
 * stream to the output fd. Only this thread ever changes namespace, and it
 * stays there until it ends.
 *
 * Each link gets one IDB and, except loopback, two handles (inbound and
 * outbound, via pcap_setdirection) so that every EPB carries its direction
 * in epb_flags: libpcap does not report direction on Ethernet handles.
 */
#ifndef TURTLECAP_CAPTURE_H
#define TURTLECAP_CAPTURE_H

#include <stdbool.h>

#include <signal.h>

#include "metadata.h"
#include "watch.h"

struct capture_config {
	/* the target (value, host, namespace, container): borrowed until
	 * capture_free() */
	const struct metadata_target *meta;
	char **netifs;	    /* NULL-terminated names, NULL = all links */
	const char *filter; /* libpcap filter or NULL */
	int snaplen;	    /* 0 = 262144 */
	bool promisc;
	int nsfd; /* opened with netns_open(); taken (closed by the capture) */
	int out_fd; /* the fifo; taken */
};

struct capture;

/* Start the capture thread. Takes cfg's fds (set to -1) whatever happens:
 * on failure nothing is started and they are closed. */
int capture_start(struct capture_config *cfg, struct capture **ret);

/* An fd that becomes readable once the capture thread has ended. */
int capture_done_fd(const struct capture *c);

/* Ask the thread to stop; it drains what libpcap holds, writes interface
 * statistics and ends within a fraction of a second. */
void capture_stop(struct capture *c);

/*
 * Wait for the thread. Returns 0 for an orderly end (stopped, or the
 * reader closed the fifo, or every link went away), or -errno with a one
 * line explanation in *ret_msg (malloc'd; may be NULL).
 */
int capture_join(struct capture *c, char **ret_msg);

/*
 * Run until the capture ends: by itself (capture_done_fd()), on one of
 * sigs (blocked by the caller, read here through a signalfd), at the end
 * of stop_fd (-1 = none: --stdin-stop's stdin), or when the namespace w
 * watches is gone (checked every CAPTURE_WATCH_MS: *ret_gone), or when
 * the reader closes the output (an orderly end, like EPIPE). Stops the
 * capture in every case but the first; -errno if it cannot wait.
 */
#define CAPTURE_WATCH_MS 400
int capture_wait(struct capture *c, struct netns_watch *w, const sigset_t *sigs,
		 int stop_fd, bool *ret_gone);

/*
 * For an error found before the capture could start: write to out_fd
 * (taken, closed) a pcapng section header alone, its comment "turtlecap:
 * msg", so that the reader gets a valid, empty capture and ends it
 * (Wireshark then shows our stderr line).
 */
int capture_write_error(int out_fd, const char *msg);

/* Counters, valid after capture_join(). */
unsigned long long capture_packets(const struct capture *c);
bool capture_links_gone(const struct capture *c);

void capture_free(struct capture *c);

#endif
