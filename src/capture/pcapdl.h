/* SPDX-License-Identifier: MIT */
/*
 * libpcap, loaded on first use. Wireshark runs the extcap's query
 * commands (--extcap-interfaces, and --extcap-config once per listed
 * interface) at every start; merely loading libpcap and its dependencies
 * costs several milliseconds per process, so only the paths that capture
 * or compile a filter pay for it. See docs/design.md.
 */
#ifndef TURTLECAP_PCAPDL_H
#define TURTLECAP_PCAPDL_H

#include <pcap/pcap.h>

struct pcapdl {
	pcap_t *(*create)(const char *, char *);
	int (*set_snaplen)(pcap_t *, int);
	int (*set_promisc)(pcap_t *, int);
	int (*set_timeout)(pcap_t *, int);
	int (*set_immediate_mode)(pcap_t *, int);
	int (*set_buffer_size)(pcap_t *, int);
	int (*set_tstamp_precision)(pcap_t *, int);
	int (*activate)(pcap_t *);
	int (*datalink)(pcap_t *);
	int (*snapshot)(pcap_t *);
	int (*setdirection)(pcap_t *, pcap_direction_t);
	int (*compile)(pcap_t *, struct bpf_program *, const char *, int,
		       bpf_u_int32);
	int (*setfilter)(pcap_t *, struct bpf_program *);
	void (*freecode)(struct bpf_program *);
	int (*setnonblock)(pcap_t *, int, char *);
	int (*get_selectable_fd)(pcap_t *);
	int (*dispatch)(pcap_t *, int, pcap_handler, u_char *);
	int (*stats)(pcap_t *, struct pcap_stat *);
	char *(*geterr)(pcap_t *);
	const char *(*statustostr)(int);
	void (*close)(pcap_t *);
	pcap_t *(*open_dead)(int, int);
};

/*
 * The loaded library (shared, loaded once, never unloaded). -ENOENT with
 * a message in *ret_err when libpcap cannot be loaded.
 */
int pcapdl_get(const struct pcapdl **ret, const char **ret_err);

#endif
