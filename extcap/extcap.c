/* SPDX-License-Identifier: MIT */
#include "extcap.h"

#include <string.h>

#include "netlink.h"
#include "target.h"
#include "text.h"

#define ARG_NETIFS   0
#define ARG_SNAPLEN  1
#define ARG_PROMISC  2
#define ARG_LOGLEVEL 3
#define ARG_LOGFILE  4

void extcap_print_version(FILE *out)
{
	fprintf(out, "extcap {version=%s}{help=%s}{display=turtlecap}\n",
		TURTLECAP_VERSION, EXTCAP_HELP_URL);
}

void extcap_print_interfaces(FILE *out, const struct netns_list *l,
			     bool show_all)
{
	extcap_print_version(out);
	for (size_t i = 0; i < l->n; i++) {
		const struct netns_info *ns = &l->v[i];
		_cleanup_free_ char *value = NULL, *display = NULL;

		if (!show_all && !netns_is_listed(l, ns))
			continue;
		value = target_value(l, ns);
		display = target_display(l, ns);
		if (!value || !display)
			continue;
		fprintf(out, "interface {value=%s}{display=%s}\n", value,
			display);
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

/* An interface name usable verbatim as a selector value. */
static bool grammar_safe(const char *s)
{
	if (!utf8_valid(s, strlen(s)))
		return false;
	for (const char *p = s; *p; p++)
		if (*p == '{' || *p == '}' || (unsigned char)*p < 0x20 ||
		    *p == ',')
			return false;
	return true;
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

static void print_links(FILE *out, const char *indent,
			const struct netns_info *ns)
{
	struct sbuf sb = { 0 };

	sbuf_puts(&sb, indent);
	if (ns->links_err < 0) {
		sbuf_printf(&sb, "(interfaces not listed: %s)",
			    strerror(-ns->links_err));
	} else if (ns->links.n == 0) {
		sbuf_puts(&sb, "(no interfaces)");
	}
	for (size_t i = 0; ns->links_err >= 0 && i < ns->links.n; i++) {
		const struct netlink_link *k = &ns->links.links[i];

		if (i)
			sbuf_puts(&sb, "  ");
		sbuf_put_human(&sb, k->name);
		sbuf_printf(&sb, " (%s%s%s%s)", netlink_link_type_name(k->type),
			    k->kind[0] ? ", " : "", k->kind,
			    (k->flags & IFF_UP) ? "" : ", down");
	}
	if (sb.s)
		fprintf(out, "%s\n", sb.s);
	sbuf_free(&sb);
}

void extcap_print_tree(FILE *out, const struct netns_list *l, bool show_all,
		       const char *host)
{
	size_t hidden = 0, shown = 0, last = 0;
	struct sbuf h = { 0 };

	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].is_host)
			continue;
		if (show_all || netns_is_listed(l, &l->v[i]))
			last = i, shown++;
		else
			hidden++;
	}
	sbuf_put_human(&h, host);
	for (size_t i = 0; i < l->n; i++) {
		const struct netns_info *ns = &l->v[i];
		_cleanup_free_ char *value = target_value(l, ns);
		const struct container *ctr = netns_container(l, ns);
		bool is_last = i == last;
		struct sbuf sb = { 0 };

		if (ns->is_host) {
			fprintf(out, "host %s  [%s]  netns %llu\n",
				h.s ? h.s : "", value ? value : "?",
				(unsigned long long)ns->id.ino);
			print_links(out, shown ? "│     " : "      ", ns);
			continue;
		}
		if (!show_all && !netns_is_listed(l, ns))
			continue;
		sbuf_puts(&sb, is_last ? "└── " : "├── ");
		if (ctr) {
			_cleanup_free_ char *d = target_display(l, ns);

			sbuf_puts(&sb, "container ");
			sbuf_puts(&sb, d ? d : "?");
		} else if (ns->name) {
			sbuf_puts(&sb, "netns ");
			sbuf_put_human(&sb, ns->name);
		} else {
			sbuf_puts(&sb, "netns (unnamed)");
		}
		sbuf_printf(&sb, "  [%s]  netns %llu", value ? value : "?",
			    (unsigned long long)ns->id.ino);
		if (ns->pid > 0) {
			sbuf_puts(&sb, ", pid ");
			sbuf_printf(&sb, "%d ", (int)ns->pid);
			sbuf_put_human(&sb, ns->comm);
			sbuf_printf(&sb, ", %zu process%s", ns->nprocs,
				    ns->nprocs == 1 ? "" : "es");
		} else {
			sbuf_puts(&sb, ", no process (kept by a bind mount)");
		}
		if (sb.s)
			fprintf(out, "%s\n", sb.s);
		sbuf_free(&sb);
		print_links(out, is_last ? "          " : "│         ", ns);
	}
	for (size_t i = 0; i < l->engines.endpoints.n; i++) {
		const struct engine_endpoint *ep = &l->engines.endpoints.v[i];
		const struct engine_info *ei = &l->engines.info[i];
		struct sbuf sb = { 0 };

		sbuf_printf(&sb, "engine %s", engine_kind_name(ep->kind));
		if (ei->version) {
			sbuf_putc(&sb, ' ');
			sbuf_put_human(&sb, ei->version);
		}
		sbuf_puts(&sb, " at ");
		sbuf_put_human(&sb, ep->path);
		if (ep->pid)
			sbuf_printf(&sb, " (pid %d)", (int)ep->pid);
		if (ei->err == -EOPNOTSUPP) {
			sbuf_puts(&sb, " (not queried: backend to come)");
		} else if (ei->err < 0) {
			sbuf_puts(&sb, ": ");
			sbuf_put_human(&sb,
				       ei->msg ? ei->msg : strerror(-ei->err));
		}
		if (sb.s)
			fprintf(out, "%s\n", sb.s);
		sbuf_free(&sb);
	}
	if (hidden)
		fprintf(out,
			"(%zu more network namespace%s hidden: unprivileged sandboxes with only loopback; --all or TURTLECAP_LIST=all shows them)\n",
			hidden, hidden == 1 ? "" : "s");
	sbuf_free(&h);
}
