/* SPDX-License-Identifier: MIT */
/* The extcap grammar on stdout: interface, dlt, arg and value sentences. */
#ifndef TURTLECAP_EXTCAP_H
#define TURTLECAP_EXTCAP_H

#include <stdbool.h>
#include <stdio.h>

#include "netns.h"

#define EXTCAP_HELP_URL "https://github.com/turtlecap/turtlecap#readme"

void extcap_print_version(FILE *out);
/* The listed namespaces (netns_is_listed() unless show_all). */
void extcap_print_interfaces(FILE *out, const struct netns_list *l,
			     bool show_all);
void extcap_print_dlts(FILE *out);
void extcap_print_config(FILE *out);
/* Values of the --netifs selector: "all" and each link of ns (if any). */
void extcap_print_netif_values(FILE *out, const struct netns_info *ns);
/* The human tree of --list. */
void extcap_print_tree(FILE *out, const struct netns_list *l, bool show_all,
		       const char *host);

#endif
