/* SPDX-License-Identifier: MIT */
/*
 * turtlecap: the extcap executable. It owns argv, the extcap grammar on
 * stdout, user-facing messages (one line on stderr, only for real errors)
 * and exit codes; everything else lives in src/.
 */
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <string.h>
#include <sys/auxv.h>

#include "capture.h"
#include "config.h"
#include "caps.h"
#include "discovery.h"
#include "extcap.h"
#include "listing.h"
#include "log.h"
#include "pcapdl.h"
#include "remote-cmd.h"
#include "remote-exclude.h"
#include "remote-value.h"
#include "target.h"
#include "text.h"
#include "tree.h"
#include "util.h"
#include "watch.h"

#define PROCFS "/proc"

enum {
	OPT_INTERFACES = 1000,
	OPT_VERSION,
	OPT_DLTS,
	OPT_INTERFACE,
	OPT_CONFIG,
	OPT_RELOAD,
	OPT_CAPTURE,
	OPT_FILTER,
	OPT_FIFO,
	OPT_CONTROL_IN,
	OPT_CONTROL_OUT,
	OPT_LOG_LEVEL,
	OPT_LOG_FILE,
	OPT_NETIFS,
	OPT_SNAPLEN,
	OPT_PROMISC,
	OPT_LIST,
	OPT_ALL,
	OPT_HELP,
	OPT_PROG_VERSION,
	OPT_CONTAINER,
	OPT_SHOW_CONFIG,
	OPT_REMOTE,
	OPT_REMOTE_NAME,
	OPT_STDIN_STOP,
};

struct args {
	bool interfaces, dlts, config, capture, list, all, promisc, help,
		version, show_config;
	const char *interface, *reload, *filter, *fifo, *log_level, *log_file,
		*netifs, *snaplen, *container;
	bool has_filter;
	/* remote hosts (remote-cmd.h); and on a remote: who asks, and
	 * stop when the ssh session's stdin ends */
	const char *remotes[REMOTE_CMD_SPECS_MAX + 1];
	size_t n_remotes;
	const char *remote_name;
	bool stdin_stop;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: turtlecap --list [--all]\n"
		"       turtlecap --show-config\n"
		"       turtlecap --extcap-interfaces\n"
		"       turtlecap --extcap-config --extcap-interface IF\n"
		"       turtlecap --capture --extcap-interface IF --fifo PATH\n"
		"                 [--container VALUE] [--extcap-capture-filter FILTER]\n"
		"                 [--netifs all|IF,IF...] [--snaplen N] [--promisc]\n"
		"                 [--log-level L] [--log-file F]\n"
		"\n"
		"Capture the traffic of a network namespace (a container's, an `ip netns`,\n"
		"or the host's) as pcapng, as a Wireshark extcap. Interface values:\n"
		"tc-host, tc-netns-NAME, tc-ns-INODE, tc-ENGINE-NAME; each works whether\n"
		"listed or not.\n"
		"\n"
		"Listing: the host, then at most max_interfaces (20) containers and\n"
		"namespaces; the others, and containers filtered out by engines, hide or\n"
		"show, are behind one portal per engine (tc-portal-docker, ...,\n"
		"tc-portal-netns): capture one with --container VALUE. Settings:\n"
		"/etc/turtlecap/turtlecap.conf, ~/.config/turtlecap/turtlecap.conf, or\n"
		"TURTLECAP_<KEY> (TURTLECAP_MAX_INTERFACES=50, TURTLECAP_HIDE='ci-*',\n"
		"TURTLECAP_LIST=all lists sandboxes too); --show-config prints them.\n");
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "extcap-interfaces", no_argument, NULL, OPT_INTERFACES },
		{ "extcap-version", optional_argument, NULL, OPT_VERSION },
		{ "extcap-dlts", no_argument, NULL, OPT_DLTS },
		{ "extcap-interface", required_argument, NULL, OPT_INTERFACE },
		{ "extcap-config", no_argument, NULL, OPT_CONFIG },
		{ "extcap-reload-option", required_argument, NULL, OPT_RELOAD },
		{ "capture", no_argument, NULL, OPT_CAPTURE },
		{ "extcap-capture-filter", required_argument, NULL,
		  OPT_FILTER },
		{ "fifo", required_argument, NULL, OPT_FIFO },
		{ "extcap-control-in", required_argument, NULL,
		  OPT_CONTROL_IN },
		{ "extcap-control-out", required_argument, NULL,
		  OPT_CONTROL_OUT },
		{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
		{ "log-file", required_argument, NULL, OPT_LOG_FILE },
		{ "debug", no_argument, NULL, OPT_LOG_LEVEL },
		{ "netifs", required_argument, NULL, OPT_NETIFS },
		{ "snaplen", required_argument, NULL, OPT_SNAPLEN },
		{ "promisc", no_argument, NULL, OPT_PROMISC },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_PROG_VERSION },
		{ "container", required_argument, NULL, OPT_CONTAINER },
		{ "show-config", no_argument, NULL, OPT_SHOW_CONFIG },
		{ "remote", required_argument, NULL, OPT_REMOTE },
		{ "remote-name", required_argument, NULL, OPT_REMOTE_NAME },
		{ "stdin-stop", no_argument, NULL, OPT_STDIN_STOP },
		{ 0 },
	};
	int c;

	opterr = 0; /* unknown options are ignored: Wireshark adds new ones */
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_INTERFACES:
			a->interfaces = true;
			break;
		case OPT_VERSION:
		case OPT_CONTROL_IN:
		case OPT_CONTROL_OUT:
			break;
		case OPT_DLTS:
			a->dlts = true;
			break;
		case OPT_INTERFACE:
			a->interface = optarg;
			break;
		case OPT_CONFIG:
			a->config = true;
			break;
		case OPT_RELOAD:
			a->reload = optarg;
			break;
		case OPT_CAPTURE:
			a->capture = true;
			break;
		case OPT_FILTER:
			a->filter = optarg;
			a->has_filter = true;
			break;
		case OPT_FIFO:
			a->fifo = optarg;
			break;
		case OPT_LOG_LEVEL:
			a->log_level = optarg ? optarg : "debug";
			break;
		case OPT_LOG_FILE:
			a->log_file = optarg;
			break;
		case OPT_NETIFS:
			a->netifs = optarg;
			break;
		case OPT_SNAPLEN:
			a->snaplen = optarg;
			break;
		case OPT_PROMISC:
			a->promisc = true;
			break;
		case OPT_LIST:
			a->list = true;
			break;
		case OPT_ALL:
			a->all = true;
			break;
		case 'h':
		case OPT_HELP:
			a->help = true;
			break;
		case OPT_PROG_VERSION:
			a->version = true;
			break;
		case OPT_CONTAINER:
			a->container = optarg;
			break;
		case OPT_SHOW_CONFIG:
			a->show_config = true;
			break;
		case OPT_REMOTE:
			if (a->n_remotes < REMOTE_CMD_SPECS_MAX)
				a->remotes[a->n_remotes++] = optarg;
			break;
		case OPT_REMOTE_NAME:
			a->remote_name = optarg;
			break;
		case OPT_STDIN_STOP:
			a->stdin_stop = true;
			break;
		default:
			break; /* '?': unknown, ignored */
		}
	}
	return 0;
}

static FILE *log_fp;

/* What the user typed, echoed safely: escaped and at most 120 bytes, so
 * the reason after it survives Wireshark's 1024-byte error buffer. Returns
 * a pointer into a small ring of buffers (main thread only). */
static const char *U(const char *s)
{
	static char *ring[4];
	static unsigned int next;
	char **slot = &ring[next++ % 4];

	free(*slot);
	*slot = text_human_cut(s, 120);
	return *slot ? *slot : "?";
}

static int setup_logging(const struct args *a)
{
	enum log_level level = LOG_MESSAGE;

	if (a->log_level && log_level_from_string(a->log_level, &level) < 0)
		level = LOG_MESSAGE;
	if (!a->log_file || !*a->log_file)
		return 0;
	log_fp = fopen(a->log_file, "ae");
	if (!log_fp)
		return negerrno();
	log_setup(log_fp, level);
	return 0;
}

static bool show_all(const struct args *a)
{
	const char *e = config_get("list");

	return a->all || (e && strcmp(e, "all") == 0);
}

static void host_name(char *buf, size_t len)
{
	if (gethostname(buf, len) < 0 || !*buf)
		snprintf(buf, len, "localhost");
	buf[len - 1] = '\0';
}

/* Discovery (links and engines) and the listing policy over it. */
static int make_listing(const struct args *a, enum discovery_links links,
			struct discovery *d, struct listing_policy *p,
			struct listing *s)
{
	char **wanted = NULL;
	int r = discovery_run(PROCFS, links, true, d);

	if (r < 0)
		return r;
	listing_policy_load(p, show_all(a));
	/* `tshark -i VALUE` works for any value, listed or not: Wireshark
	 * only routes what --extcap-interfaces printed, so what our parent
	 * was asked for is printed too */
	if (listing_wanted_load(PROCFS, getppid(), &wanted) < 0)
		log_warning("cannot read the command line of our parent");
	p->wanted = wanted;
	r = listing_make(d, p, s);
	p->wanted = NULL;
	listing_wanted_free(wanted);
	/* discovery is over: nothing printed from here on runs privileged */
	if (caps_drop() < 0)
		return -EPERM;
	return r;
}

static int cmd_interfaces(const struct args *a)
{
	struct discovery d = { 0 };
	struct listing_policy p;
	struct listing s = { 0 };
	int r = make_listing(a, DISCOVERY_LINKS_BARE, &d, &p, &s);

	if (r < 0) {
		/* still a valid answer: the extcap with no interface */
		log_error("discovery failed: %s", strerror(-r));
		extcap_print_version(stdout);
	} else {
		extcap_print_interfaces(stdout, &d, &s);
	}
	/* then the remote hosts' (none configured: nothing runs) */
	remote_cmd_list(stdout, (const char *const *)a->remotes, false);
	listing_clear(&s);
	discovery_clear(&d);
	return 0;
}

static int cmd_list(const struct args *a)
{
	struct discovery d = { 0 };
	struct listing_policy p;
	struct listing s = { 0 };
	char host[256];
	int r = make_listing(a, DISCOVERY_LINKS_ALL, &d, &p, &s);

	if (r < 0) {
		extcap_error_line("cannot read %s: %s", PROCFS, strerror(-r));
		listing_clear(&s);
		discovery_clear(&d);
		return 1;
	}
	host_name(host, sizeof(host));
	printf("turtlecap %s\n", TURTLECAP_VERSION);
	extcap_print_tree(stdout, &d, &s, &p, host);
	remote_cmd_list(stdout, (const char *const *)a->remotes, true);
	listing_clear(&s);
	discovery_clear(&d);
	return 0;
}

/* A portal's members, as the same listing --extcap-interfaces made: the
 * one query path that does discovery, once per portal. Failures print
 * no member. */
static void print_portal(const struct args *a, int group)
{
	struct discovery d = { 0 };
	struct listing_policy p;
	struct listing s = { 0 };
	int r = make_listing(a, DISCOVERY_LINKS_BARE, &d, &p, &s);

	if (r < 0)
		log_error("discovery failed: %s", strerror(-r));
	extcap_print_container_values(stdout, r < 0 ? NULL : &d,
				      r < 0 ? NULL : &s, group);
	listing_clear(&s);
	discovery_clear(&d);
}

static int cmd_config(const struct args *a)
{
	int group;

	if (listing_parse_portal(a->interface, &group) == 0) {
		/* Wireshark asks this at every start: no discovery here (it
		 * costs as much as a listing); the members come on Reload */
		caps_drop();
		extcap_print_portal_config(stdout, NULL, NULL, group);
	} else {
		caps_drop();
		extcap_print_config(stdout);
	}
	return 0;
}

/* Why a container of engine kind is not found, when that is the engine's
 * fault: none of kind on the host answered (the first that failed is
 * named), or there is none. NULL when one answered: the container is
 * simply not there. */
static char *engine_silence(const struct discovery *d, enum engine_kind kind)
{
	const struct engine_result *e = &d->engines;
	const char *name = engine_kind_name(kind);
	char *msg = NULL;
	size_t bad = SIZE_MAX;

	for (size_t i = 0; i < e->endpoints.n; i++) {
		if (e->endpoints.v[i].kind != kind ||
		    (e->ep_container && e->ep_container[i] != -1))
			continue; /* not the host's: a nested engine's */
		if (e->info[i].err >= 0)
			return NULL;
		if (bad == SIZE_MAX)
			bad = i;
	}
	if (bad == SIZE_MAX) {
		if (asprintf(&msg, "no %s engine is running", name) < 0)
			msg = NULL;
	} else {
		const struct engine_endpoint *ep = &e->endpoints.v[bad];
		const struct engine_info *ei = &e->info[bad];
		char pid[32] = "";

		if (ep->pid)
			snprintf(pid, sizeof(pid), ", pid %d", (int)ep->pid);
		if (asprintf(&msg, "%s does not answer: %s (at %s%s)", name,
			     ei->msg ? ei->msg : strerror(-ei->err),
			     U(ep->path), pid) < 0)
			msg = NULL;
	}
	return msg;
}

/* Resolve a value to a discovered namespace; prints the error. */
static int resolve(const char *value, struct discovery *d,
		   struct netns_info **ret)
{
	struct target_ref ref = { 0 };
	struct netns_info *ns;
	int r;

	if (!value || target_parse_value(value, &ref) < 0) {
		extcap_error_line(
			"unknown interface \"%s\" (expected tc-host, tc-netns-NAME, tc-ns-INODE or tc-ENGINE-NAME; see turtlecap --list)",
			U(value));
		return -EINVAL;
	}
	/* containers are resolved by engine and name at capture time, so a
	 * capture re-run after a restart finds the new namespace */
	r = discovery_run(PROCFS, DISCOVERY_LINKS_NONE,
			  ref.kind == TARGET_CONTAINER, d);
	if (r < 0) {
		target_ref_clear(&ref);
		extcap_error_line("cannot read %s: %s", PROCFS, strerror(-r));
		return r;
	}
	ns = target_resolve(d, &ref);
	if (!ns) {
		_cleanup_free_ char *why =
			ref.kind == TARGET_CONTAINER
				? engine_silence(d, ref.levels[0].engine)
				: NULL;

		target_ref_clear(&ref);
		if (why) {
			extcap_error_line("unknown interface \"%s\": %s",
					  U(value), why);
			return -EHOSTUNREACH;
		}
		extcap_error_line(
			"unknown interface \"%s\": no such network namespace (deleted, or not visible without privileges)",
			U(value));
		return -ENOENT;
	}
	target_ref_clear(&ref);
	*ret = ns;
	return 0;
}

static int cmd_reload(const struct args *a)
{
	struct discovery d = { 0 };
	struct netns_info *ns = NULL;
	const char *value = a->interface;
	int group;

	if (remote_cmd_is_remote(a->interface)) {
		/* a query never runs ssh: Wireshark asks at every start */
		caps_drop();
		extcap_print_netif_values(stdout, NULL);
		return 0;
	}
	if (listing_parse_portal(a->interface, &group) == 0) {
		if (strcmp(a->reload, "container") == 0) {
			print_portal(a, group);
			return 0;
		}
		/* a portal's links are those of the chosen container */
		value = a->container;
	}
	if (strcmp(a->reload, "netifs") != 0)
		return 0;
	/* the config dialog's Reload button: list the links of this one
	 * namespace; failures just leave "all" */
	if (value && resolve(value, &d, &ns) == 0) {
		struct netns_list one = { .v = ns,
					  .n = 1,
					  .self = d.netns.self };

		caps_raise(CAPS_PROC | CAPS_NETNS);
		netns_list_links_all(&one, false);
	}
	if (caps_drop() < 0)
		ns = NULL;
	extcap_print_netif_values(stdout, ns);
	discovery_clear(&d);
	return 0;
}

static int cmd_filter_check(const struct args *a)
{
	const struct pcapdl *pc;
	const char *err = NULL;
	struct bpf_program prog;
	pcap_t *p;

	/* By protocol: any stdout means invalid, exit 0 either way. */
	if (pcapdl_get(&pc, &err) < 0) {
		printf("%s\n", err);
		return 0;
	}
	p = pc->open_dead(1 /* DLT_EN10MB */, 262144);
	if (!p) {
		printf("cannot check the filter: out of memory\n");
		return 0;
	}
	if (pc->compile(p, &prog, a->filter, 1, PCAP_NETMASK_UNKNOWN) < 0)
		printf("%s\n", pc->geterr(p));
	else
		pc->freecode(&prog);
	pc->close(p);
	return 0;
}

static char **split_netifs(const char *s)
{
	_cleanup_free_ char *dup = NULL;
	char **v = NULL, *save = NULL;
	size_t n = 0;

	if (!s || !*s || strcmp(s, "all") == 0)
		return NULL;
	dup = strdup(s);
	if (!dup)
		return NULL;
	for (char *t = strtok_r(dup, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		char **nv = realloc(v, (n + 2) * sizeof(*v));

		if (!nv)
			break;
		v = nv;
		v[n] = strdup(t);
		if (!v[n])
			break;
		v[++n] = NULL;
	}
	return v;
}

static void strv_free(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

/* The value a capture of a->interface captures: a portal captures the
 * container picked in its options, exactly as that container's own value
 * would. NULL (message printed) if none. */
static const char *capture_value(const struct args *a)
{
	int group;

	if (listing_parse_portal(a->interface, &group) < 0)
		return a->interface;
	if (!a->container || !*a->container) {
		extcap_error_line(
			"%s is a portal: pick a %s in its interface options (--container VALUE)",
			U(a->interface),
			group == LISTING_GROUP_NETNS ? "network namespace"
						     : "container");
		return NULL;
	}
	return a->container;
}

/* The namespace of value, opened, with its watch and metadata (the host
 * name: ours). Prints the error. */
static int open_target(const struct args *a, const char *value,
		       struct metadata_target *ret_meta,
		       struct netns_watch *ret_watch, int *ret_nsfd)
{
	struct discovery d = { 0 };
	struct netns_info *ns = NULL;
	_cleanup_free_ char *remote_meta = NULL;
	char host[256];
	int r;

	r = resolve(value, &d, &ns);
	if (r < 0)
		goto out;
	r = -EPERM;
	if (!ns->is_host && !caps_permitted(CAP_SYS_ADMIN)) {
		extcap_error_line(
			"cannot enter the network namespace of %s: missing %s",
			U(value), caps_name(CAP_SYS_ADMIN));
		goto out;
	}
	if (!caps_permitted(CAP_NET_RAW)) {
		extcap_error_line("cannot capture on %s: missing %s", U(value),
				  caps_name(CAP_NET_RAW));
		goto out;
	}
	/* run for a remote host's relay: the metadata names the value the
	 * user chose there (tcr-NAME.VALUE); our host name stays the root
	 * of the lineage */
	if (a->remote_name)
		remote_meta = remote_value(a->remote_name, value);
	host_name(host, sizeof(host));
	r = netns_watch_init(ret_watch, PROCFS, ns);
	if (r >= 0)
		r = discovery_metadata(&d, ns,
				       remote_meta ? remote_meta : value, host,
				       ret_meta);
	if (r < 0) {
		netns_watch_clear(ret_watch);
		extcap_error_line("cannot start the capture: %s", strerror(-r));
		goto out;
	}
	caps_raise(CAPS_PROC);
	r = netns_open(ns, ret_nsfd);
	caps_lower(CAPS_PROC);
	if (r < 0) {
		extcap_error_line("cannot open the network namespace of %s: %s",
				  U(value),
				  r == -ESTALE || r == -ESRCH ? "it went away"
							      : strerror(-r));
		netns_watch_clear(ret_watch);
		metadata_target_clear(ret_meta);
	}
out:
	discovery_clear(&d);
	return r;
}

/* Wireshark made the fifo; it may also be a plain file, or "-". Opened
 * with no capability effective: the path is the caller's. */
static int open_fifo(const char *fifo)
{
	int fd = strcmp(fifo, "-") == 0
			 ? fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)
			 : open(fifo, O_WRONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		int err = errno;

		extcap_error_line("cannot open fifo %s: %s", U(fifo),
				  strerror(err));
		return -err;
	}
	return fd;
}

static int cmd_capture(const struct args *a)
{
	struct metadata_target meta = { 0 };
	struct netns_watch watch = { .pidfd = -1 };
	struct capture_config cfg = { .nsfd = -1, .out_fd = -1, .meta = &meta };
	struct capture *c = NULL;
	_cleanup_free_ char *ssh_filter = NULL, *msg = NULL;
	const char *value;
	sigset_t sigs;
	bool gone = false;
	int r, ret = 1;

	/*
	 * Until the fifo is open and the capture about to start, SIGINT and
	 * SIGTERM keep their default action: nothing is written yet, so
	 * dying is a clean end (Wireshark ignores how an extcap exits), and
	 * a discovery stuck on a slow engine or an open() of a fifo nobody
	 * reads ends at once, with no watcher thread and no polling. Once
	 * there is a pcapng stream to finish, they are blocked and read by
	 * capture_wait() through a signalfd; the reader closing the fifo
	 * shows up as POLLERR there or EPIPE, not as a signal.
	 * An ignored signal is discarded before it can be read (a shell
	 * starts background jobs with SIGINT ignored), and a blocked one is
	 * inherited: both are reset.
	 */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (!a->fifo || !a->interface) {
		extcap_error_line(
			a->fifo ? "--capture needs --extcap-interface VALUE"
				: "--capture needs --fifo PATH");
		return extcap_fail_capture(a->fifo);
	}
	value = capture_value(a);
	if (!value)
		return extcap_fail_capture(a->fifo);
	if (a->snaplen && (parse_int(a->snaplen, &cfg.snaplen) < 0 ||
			   cfg.snaplen < 0 || cfg.snaplen > 262144)) {
		extcap_error_line("invalid --snaplen \"%s\" (0..262144)",
				  U(a->snaplen));
		return extcap_fail_capture(a->fifo);
	}

	if (remote_cmd_is_remote(value)) {
		struct remote_cmd_capture rc = {
			.value = value,
			.fifo = a->fifo,
			.filter =
				a->has_filter && *a->filter ? a->filter : NULL,
			.netifs = a->netifs,
			.snaplen = a->snaplen,
			.promisc = a->promisc,
			.specs = (const char *const *)a->remotes,
		};

		/* it blocks them once its fifo is open */
		return remote_cmd_capture(&rc, &sigs);
	}
	if (open_target(a, value, &meta, &watch, &cfg.nsfd) < 0)
		return extcap_fail_capture(a->fifo);
	cfg.out_fd = open_fifo(a->fifo);
	if (cfg.out_fd < 0)
		goto out;
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	cfg.filter = a->has_filter && *a->filter ? a->filter : NULL;
	/* under ssh, capturing the namespace sshd runs in: leave our own
	 * session out, as sshdump does (exclude_ssh = no keeps it) */
	if (meta.is_host && getenv("SSH_CONNECTION") &&
	    config_get_bool("exclude_ssh", true) &&
	    remote_exclude_session(getenv("SSH_CONNECTION"), cfg.filter,
				   &ssh_filter) == 0)
		cfg.filter = ssh_filter;
	cfg.promisc = a->promisc;
	cfg.netifs = split_netifs(a->netifs);
	/* the capture thread starts with these; it drops them once its
	 * handles are open, this thread right after creating it */
	caps_raise(CAPS_NETNS | CAPS_BIT(CAP_NET_RAW) |
		   (cfg.promisc ? CAPS_BIT(CAP_NET_ADMIN) : 0));
	r = capture_start(&cfg, &c);
	if (caps_drop() < 0 && r >= 0) {
		capture_stop(c);
		r = -EPERM;
	}
	if (r < 0) {
		extcap_error_line("cannot start the capture: %s", strerror(-r));
		goto out;
	}
	r = capture_wait(c, &watch, &sigs, a->stdin_stop ? STDIN_FILENO : -1,
			 &gone);
	if (r < 0)
		capture_stop(c);
	r = capture_join(c, &msg);
	if (r < 0) {
		extcap_error_line("%s", msg ? msg : strerror(-r));
		goto out;
	}
	if (gone || capture_links_gone(c))
		/* not an error, but the user did not stop it: say why */
		extcap_error_line(
			"%s went away; capture ended after %llu packets",
			U(value), capture_packets(c));
	log_info("captured %llu packets", capture_packets(c));
	ret = 0;
out:
	capture_free(c);
	closep(&cfg.nsfd);
	closep(&cfg.out_fd);
	strv_free(cfg.netifs);
	netns_watch_clear(&watch);
	metadata_target_clear(&meta);
	return ret;
}

int main(int argc, char **argv)
{
	struct args a = { 0 };
	int r = 0;

	parse_args(argc, argv, &a);
	/* Installed with file capabilities (permitted only), or run by root:
	 * none is effective until raised around the operation needing it
	 * (caps.h). Settings are read now, with the caller's own rights. */
	caps_lower(CAPS_ALL);
	config_load();
	if (getauxval(AT_SECURE) && geteuid() != 0)
		/* with file capabilities the activator cache is in
		 * /run/user/UID, not in a folder the caller names (it is
		 * read and written with no capability effective anyway) */
		unsetenv("XDG_RUNTIME_DIR");
	if (!(a.list || a.interfaces || a.capture || a.config))
		caps_drop(); /* answers that need no privilege */
	if (setup_logging(&a) < 0) {
		/* a query must still answer: only a capture cares */
		if (a.capture) {
			int err = errno;

			extcap_error_line("cannot open log file %s: %s",
					  U(a.log_file), strerror(err));
			return extcap_fail_capture(a.fifo);
		}
	}

	if (a.help) {
		usage(stdout);
	} else if (a.version) {
		printf("turtlecap %s\n", TURTLECAP_VERSION);
	} else if (a.show_config) {
		config_dump(stdout);
	} else if (a.list) {
		r = cmd_list(&a);
	} else if (a.interfaces) {
		r = cmd_interfaces(&a);
	} else if (a.capture) {
		r = cmd_capture(&a);
	} else if (a.has_filter) {
		r = cmd_filter_check(&a);
	} else if (a.dlts) {
		extcap_print_dlts(stdout);
	} else if (a.config && a.reload) {
		r = cmd_reload(&a);
	} else if (a.config) {
		r = cmd_config(&a);
	} else {
		usage(stderr);
		r = 2;
	}
	if (fflush(stdout) != 0 && r == 0)
		r = 1;
	if (log_fp)
		fclose(log_fp);
	return r;
}
