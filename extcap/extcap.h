/* SPDX-License-Identifier: MIT */
/* The extcap grammar on stdout: interface, dlt, arg and value sentences. */
#ifndef TURTLECAP_EXTCAP_H
#define TURTLECAP_EXTCAP_H

#include <stdbool.h>
#include <stdio.h>

#include "listing.h"
#include "discovery.h"
#include "util.h"

#define EXTCAP_HELP_URL "https://github.com/turtlecap/turtlecap#readme"

void extcap_print_version(FILE *out);
/* The interfaces the listing shows, then one portal per group with
 * members. */
void extcap_print_interfaces(FILE *out, const struct discovery *d,
			     const struct listing *s);
void extcap_print_dlts(FILE *out);
void extcap_print_config(FILE *out);
/* A portal's: the --container selector with its members, then the rest. */
void extcap_print_portal_config(FILE *out, const struct discovery *d,
				const struct listing *s, int group);
/* Values of the --container selector: the portal's members (l and s may
 * be NULL: none). */
void extcap_print_container_values(FILE *out, const struct discovery *d,
				   const struct listing *s, int group);
/* Values of the --netifs selector: "all" and each link of ns (if any). */
void extcap_print_netif_values(FILE *out, const struct netns_info *ns);
/* The one clear error line, on stderr and in the log: Wireshark shows a
 * capture's stderr as an error dialog, and a person running --list or
 * tshark -D reads it; never more than a line. */
void extcap_error_line(const char *fmt, ...) _printf_(1, 2);

/*
 * An error before a capture could start: open the fifo and write a pcapng
 * header that carries the last error line and nothing else. Wireshark's
 * reader (dumpcap) waits in open() for us: without this it waited until
 * the user stopped it; with it the capture ends at once, empty, and
 * Wireshark shows our stderr line. Returns the exit code (1).
 */
int extcap_fail_capture(const char *fifo);

#endif
