/* SPDX-License-Identifier: MIT */
/*
 * The ssh sessions to remote hosts: their turtlecap reached over OpenSSH's
 * client, the only program turtlecap ever executes (docs/remote.md says
 * why not libssh). ssh runs by absolute path with an argument vector, in
 * batch mode with a connect timeout, honouring the user's ~/.ssh/config,
 * agent and known_hosts; the remote command is one string of single-quoted
 * words. Queries (the remotes' interface lists) and a capture, whose
 * pcapng goes through the relay (relay.h).
 */
#ifndef TURTLECAP_REMOTE_SSH_H
#define TURTLECAP_REMOTE_SSH_H

#include <stddef.h>

#include "remote-config.h"

/* ssh's argv to run the words of cmd on r (NULL-ended, malloc'd; free
 * with remote_argv_free). -EINVAL (message) if the ssh setting is not an
 * absolute path. */
int remote_ssh_argv(const struct remote *r, const char *const *cmd,
		    int connect_timeout_s, char ***ret, char **ret_msg);
void remote_argv_free(char **argv);

/* One remote's answer to a query. */
struct remote_answer {
	const struct remote *r;
	int err;   /* 0, or -errno; msg says why */
	char *msg; /* one line, or NULL */
	char *out; /* its stdout, NUL-terminated */
	size_t len;
	long ms; /* wall time */
};

/*
 * Run the words of cmd (after the remote turtlecap) on every remote at
 * once, each bounded by timeout_ms of wall time (then killed: -ETIMEDOUT).
 * *ret has rs->n answers. -ENOMEM.
 */
int remote_query_all(const struct remotes *rs, const char *const *cmd,
		     int timeout_ms, struct remote_answer **ret);
void remote_answers_free(struct remote_answer *a, size_t n);

/*
 * Each interface of a remote's --extcap-interfaces answer: fn gets the
 * remote's value and display (both checked: values [A-Za-z0-9_.-], tc-,
 * no portal; display safe in the grammar). Returns how many.
 */
size_t remote_each_interface(const char *out,
			     void (*fn)(const char *value, const char *display,
					void *userdata),
			     void *userdata);

/*
 * A capture on r: runs `PATH cmd...` over ssh and copies its pcapng to
 * out_fd in whole blocks. When stop_fd becomes readable, the remote is
 * asked to stop (its stdin closed: --stdin-stop), given a moment to end
 * its file, then ssh is killed; a partial block is never written.
 * Returns 0 for an orderly end, -errno with *ret_msg otherwise.
 */
int remote_capture(const struct remote *r, const char *const *cmd,
		   int connect_timeout_s, int out_fd, int stop_fd,
		   unsigned long long *ret_bytes, char **ret_msg);

#endif
