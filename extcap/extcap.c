/* SPDX-License-Identifier: MIT */
/* The extcap grammar: interface, dlt, arg and value sentences. */
#include "extcap.h"

#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "config.h"
#include "log.h"
#include "netlink.h"
#include "target.h"
#include "text.h"

#define ARG_NETIFS    0
#define ARG_SNAPLEN   1
#define ARG_PROMISC   2
#define ARG_LOGLEVEL  3
#define ARG_LOGFILE   4
#define ARG_CONTAINER 5

void extcap_print_version(FILE *out)
{
	fprintf(out, "extcap {version=%s}{help=%s}{display=turtlecap}\n",
		TURTLECAP_VERSION, EXTCAP_HELP_URL);
}

void extcap_print_interfaces(FILE *out, const struct discovery *d,
			     const struct listing *s)
{
	extcap_print_version(out);
	for (size_t i = 0; i < s->n; i++) {
		const struct listing_entry *e = &s->v[i];
		_cleanup_free_ char *display = NULL;

		if (e->why != LISTING_SHOWN)
			continue;
		display = target_display(d, &d->netns.v[e->ns]);
		if (display)
			fprintf(out, "interface {value=%s}{display=%s}\n",
				e->value, display);
	}
	for (int g = 0; g < LISTING_GROUPS; g++) {
		_cleanup_free_ char *value = NULL, *display = NULL;

		if (!s->portal[g])
			continue;
		value = listing_portal_value(g);
		display = listing_portal_display(g, s->portal[g]);
		if (value && display)
			fprintf(out, "interface {value=%s}{display=%s}\n",
				value, display);
	}
}

void extcap_print_dlts(FILE *out)
{
	/* Informational only: the pcapng stream carries each interface's
	 * real link type in its IDB. */
	fprintf(out,
		"dlt {number=1}{name=EN10MB}{display=Ethernet (each interface keeps its own link type)}\n");
}

void extcap_print_config(FILE *out)
{
	fprintf(out,
		"arg {number=%d}{call=--netifs}{display=Interfaces}{type=selector}"
		"{reload=true}{placeholder=Reload interfaces}"
		"{tooltip=Interfaces inside the namespace to capture; all by default. "
		"On the command line also a comma-separated list}{group=Capture}\n",
		ARG_NETIFS);
	fprintf(out,
		"value {arg=%d}{value=all}{display=All interfaces}{default=true}\n",
		ARG_NETIFS);
	fprintf(out,
		"arg {number=%d}{call=--snaplen}{display=Snapshot length}{type=unsigned}"
		"{range=0,262144}{default=262144}{tooltip=Bytes kept of each packet (0 = 262144)}"
		"{group=Capture}\n",
		ARG_SNAPLEN);
	fprintf(out,
		"arg {number=%d}{call=--promisc}{display=Promiscuous mode}{type=boolflag}"
		"{default=true}{tooltip=Capture packets not addressed to the interface}"
		"{group=Capture}\n",
		ARG_PROMISC);
	fprintf(out,
		"arg {number=%d}{call=--log-level}{display=Log level}{type=selector}"
		"{tooltip=How much to write to the log file}{group=Debug}\n",
		ARG_LOGLEVEL);
	fprintf(out,
		"value {arg=%d}{value=message}{display=Message}{default=true}\n",
		ARG_LOGLEVEL);
	fprintf(out, "value {arg=%d}{value=info}{display=Info}\n",
		ARG_LOGLEVEL);
	fprintf(out, "value {arg=%d}{value=debug}{display=Debug}\n",
		ARG_LOGLEVEL);
	fprintf(out, "value {arg=%d}{value=noisy}{display=Noisy}\n",
		ARG_LOGLEVEL);
	fprintf(out,
		"arg {number=%d}{call=--log-file}{display=Log file}{type=fileselect}"
		"{mustexist=false}{tooltip=Where to write diagnostics}{group=Debug}\n",
		ARG_LOGFILE);
}

void extcap_print_container_values(FILE *out, const struct discovery *d,
				   const struct listing *s, int group)
{
	for (size_t i = 0; d && s && i < s->n; i++) {
		const struct listing_entry *e = &s->v[i];
		_cleanup_free_ char *display = NULL;

		if (e->group != group || !listing_in_portal(e))
			continue;
		display = target_display(d, &d->netns.v[e->ns]);
		if (display)
			fprintf(out, "value {arg=%d}{value=%s}{display=%s}\n",
				ARG_CONTAINER, e->value, display);
	}
}

void extcap_print_portal_config(FILE *out, const struct discovery *d,
				const struct listing *s, int group)
{
	fprintf(out,
		"arg {number=%d}{call=--container}{display=Container}{type=selector}"
		"{reload=true}{required=true}{placeholder=Reload the list}"
		"{tooltip=The %s to capture: those without an interface of their own. "
		"On the command line its interface value}{group=Capture}\n",
		ARG_CONTAINER,
		group == LISTING_GROUP_NETNS ? "network namespace"
					     : "container");
	extcap_print_container_values(out, d, s, group);
	extcap_print_config(out);
}

/* An interface name usable verbatim as a selector value: a container
 * names its links, and a U+2028 in one would break Wireshark's line. */
static bool grammar_safe(const char *s)
{
	return text_extcap_plain(s) && !strchr(s, ',');
}

void extcap_print_netif_values(FILE *out, const struct netns_info *ns)
{
	fprintf(out,
		"value {arg=%d}{value=all}{display=All interfaces}{default=true}\n",
		ARG_NETIFS);
	if (!ns)
		return;
	for (size_t i = 0; i < ns->links.n; i++) {
		const struct netlink_link *k = &ns->links.links[i];

		if (!grammar_safe(k->name))
			continue;
		fprintf(out, "value {arg=%d}{value=%s}{display=%s (%s%s%s)}\n",
			ARG_NETIFS, k->name, k->name,
			netlink_link_type_name(k->type), k->kind[0] ? ", " : "",
			k->kind);
	}
}

/* The last error line, for the header a failed capture writes. */
static char *last_line;

void extcap_error_line(const char *fmt, ...)
{
	_cleanup_free_ char *msg = NULL;
	struct sbuf sb = { 0 };
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	sbuf_put_human(&sb, msg ? msg : "out of memory");
	fprintf(stderr, "turtlecap: %s\n", sb.s ? sb.s : "out of memory");
	log_error("%s", sb.s ? sb.s : "out of memory");
	/* kept as human text: an engine's words reach the pcapng comment
	 * escaped, as UTF-8 */
	free(last_line);
	last_line = sb.s; /* taken from sb */
}

int extcap_fail_capture(const char *fifo)
{
	_cleanup_close_ int fd = -1;

	if (!fifo)
		return 1;
	fd = strcmp(fifo, "-") == 0
		     ? fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)
		     : open(fifo, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		log_error("cannot open fifo %s: %s", fifo, strerror(errno));
		return 1;
	}
	if (capture_write_error(fd, last_line ? last_line : "error") < 0)
		log_error("cannot write the error to fifo %s", fifo);
	return 1;
}
