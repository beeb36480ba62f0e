/* SPDX-License-Identifier: MIT */
/* The commands on remote hosts (src/remote, the tcr- values of
 * src/discovery/remote-value.h): their interfaces after ours, and a
 * capture of one relayed to Wireshark's fifo. */
#ifndef TURTLECAP_REMOTE_CMD_H
#define TURTLECAP_REMOTE_CMD_H

#include <stdbool.h>
#include <stdio.h>

#define REMOTE_CMD_SPECS_MAX 16

struct remote_cmd_capture {
	const char *value; /* tcr-NAME.REST */
	const char *fifo;
	const char *filter; /* or NULL */
	const char *netifs, *snaplen;
	bool promisc;
	const char *const *specs; /* --remote, NULL-ended */
};

/*
 * The remotes' interfaces, asked of all at once within remote_timeout
 * seconds: extcap sentences, or (tree) one block per remote for --list.
 * A remote that fails costs one line on stderr (and the log). Nothing
 * runs when no remote is configured.
 */
void remote_cmd_list(FILE *out, const char *const *specs, bool tree);

/* Whether value names an interface of a remote host. */
bool remote_cmd_is_remote(const char *value);

/* Capture a remote value into the fifo until SIGINT/SIGTERM (blocked by
 * the caller and read here through a signalfd) or its end. Exit code. */
int remote_cmd_capture(const struct remote_cmd_capture *c, const void *sigset);

#endif
