/* SPDX-License-Identifier: MIT */
/*
 * The human tree of `turtlecap --list`: the host, then containers and
 * namespaces, a nested container beneath the container its engine runs
 * in, the engines found, and a footer on who is only reachable through a
 * portal and which setting (with its origin) put it there.
 */
#include "tree.h"

#include <net/if.h>
#include <string.h>

#include "config.h"
#include "netlink.h"
#include "target.h"
#include "text.h"

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

/* What --list draws: everything but the hidden sandboxes. */
static bool in_tree(const struct listing_entry *e)
{
	return e->group >= 0 && e->why != LISTING_SANDBOX;
}

/* no such entry; as a parent: drawn beneath the host */
#define NO_ENTRY SIZE_MAX

/* A nested container is drawn beneath the container its engine runs in;
 * the parent is always shallower, so there is no cycle. */
static size_t tree_parent(const struct discovery *d, const struct listing *s,
			  size_t i)
{
	const struct listing_entry *e = &s->v[i];
	const struct container *c = discovery_container(d, &d->netns.v[e->ns]);
	const struct container *pc = c ? discovery_parent(d, c) : NULL;

	if (!pc)
		return NO_ENTRY;
	for (size_t k = 0; k < s->n; k++)
		if (in_tree(&s->v[k]) && s->v[k].depth < e->depth &&
		    d->netns.v[s->v[k].ns].id.ino == pc->netns)
			return k;
	return NO_ENTRY;
}

struct tree {
	FILE *out;
	const struct discovery *d;
	const struct listing *s;
	size_t *parent; /* per entry: drawn beneath, or NO_ENTRY */
};

/* The last entry drawn beneath p, or NO_ENTRY. */
static size_t last_child(const struct tree *t, size_t p)
{
	size_t last = NO_ENTRY;

	for (size_t i = 0; i < t->s->n; i++)
		if (in_tree(&t->s->v[i]) && t->parent[i] == p)
			last = i;
	return last;
}

/* Why an entry is only in its portal: "beyond max_interfaces". */
static const struct {
	const char *phrase, *key;
} why_text[] = {
	[LISTING_OVER_CAP] = { "beyond", "max_interfaces" },
	[LISTING_ENGINE] = { "not in", "engines" },
	[LISTING_HIDDEN] = { "hidden by", "hide" },
	[LISTING_NOT_SHOWN] = { "not in", "show" },
};

static void print_node_line(const struct tree *t, const char *prefix, size_t i,
			    bool last)
{
	const struct listing_entry *e = &t->s->v[i];
	const struct netns_info *ns = &t->d->netns.v[e->ns];
	struct sbuf sb = { 0 };

	sbuf_puts(&sb, prefix);
	sbuf_puts(&sb, last ? "└── " : "├── ");
	if (discovery_container(t->d, ns)) {
		_cleanup_free_ char *d = target_display(t->d, ns);

		sbuf_puts(&sb, "container ");
		sbuf_puts(&sb, d ? d : "?");
	} else if (ns->name) {
		sbuf_puts(&sb, "netns ");
		sbuf_put_human(&sb, ns->name);
	} else {
		sbuf_puts(&sb, "netns (unnamed)");
	}
	sbuf_printf(&sb, "  [%s]  netns %llu", e->value,
		    (unsigned long long)ns->id.ino);
	if (ns->pid > 0) {
		sbuf_printf(&sb, ", pid %d ", (int)ns->pid);
		sbuf_put_human(&sb, ns->comm);
		sbuf_printf(&sb, ", %zu process%s", ns->nprocs,
			    ns->nprocs == 1 ? "" : "es");
	} else {
		sbuf_puts(&sb, ", no process (kept by a bind mount)");
	}
	if (listing_in_portal(e))
		sbuf_printf(&sb, "  (only via %s%s: %s %s)",
			    LISTING_PORTAL_PREFIX, listing_group_name(e->group),
			    why_text[e->why].phrase, why_text[e->why].key);
	if (sb.s)
		fprintf(t->out, "%s\n", sb.s);
	sbuf_free(&sb);
}

static void print_node(const struct tree *t, size_t i, const char *prefix,
		       bool last)
{
	size_t lastc = last_child(t, i);
	struct sbuf inner = { 0 }, links = { 0 };

	print_node_line(t, prefix, i, last);
	sbuf_puts(&inner, prefix);
	sbuf_puts(&inner, last ? "    " : "│   ");
	sbuf_puts(&links, inner.s);
	sbuf_puts(&links, lastc != NO_ENTRY ? "│     " : "      ");
	print_links(t->out, links.s ? links.s : "",
		    &t->d->netns.v[t->s->v[i].ns]);
	for (size_t k = 0; lastc != NO_ENTRY && k <= lastc; k++)
		if (in_tree(&t->s->v[k]) && t->parent[k] == i)
			print_node(t, k, inner.s ? inner.s : "", k == lastc);
	sbuf_free(&inner);
	sbuf_free(&links);
}

/* Which are reachable only through a portal, and which setting says so. */
static void print_portal_footer(FILE *out, const struct listing *s,
				const struct listing_policy *p)
{
	const char *values[] = {
		[LISTING_ENGINE] = p->engines,
		[LISTING_HIDDEN] = p->hide,
		[LISTING_NOT_SHOWN] = p->show,
	};
	size_t n = 0;
	struct sbuf sb = { 0 };
	const char *sep = "";

	for (int w = LISTING_OVER_CAP; w <= LISTING_NOT_SHOWN; w++)
		n += s->count[w];
	if (!n) {
		fprintf(out,
			"(every one has an interface of its own: %zu of max_interfaces = %zu (%s))\n",
			s->n_shown, p->max, config_origin("max_interfaces"));
		return;
	}
	sbuf_printf(&sb, "(%zu reachable only through a portal:", n);
	for (int w = LISTING_OVER_CAP; w <= LISTING_NOT_SHOWN; w++) {
		if (!s->count[w])
			continue;
		sbuf_printf(&sb, "%s %zu %s %s = ", sep, s->count[w],
			    why_text[w].phrase, why_text[w].key);
		if (w == LISTING_OVER_CAP)
			sbuf_printf(&sb, "%zu", p->max);
		else
			sbuf_put_human(&sb, values[w]);
		sbuf_puts(&sb, " (");
		sbuf_put_human(&sb, config_origin(why_text[w].key));
		sbuf_putc(&sb, ')');
		sep = ",";
	}
	sep = ";";
	for (int g = 0; g < LISTING_GROUPS; g++) {
		if (!s->portal[g])
			continue;
		sbuf_printf(&sb, "%s %s%s holds %zu", sep,
			    LISTING_PORTAL_PREFIX, listing_group_name(g),
			    s->portal[g]);
		sep = ",";
	}
	sbuf_putc(&sb, ')');
	if (sb.s)
		fprintf(out, "%s\n", sb.s);
	sbuf_free(&sb);
}

void extcap_print_tree(FILE *out, const struct discovery *d,
		       const struct listing *s, const struct listing_policy *p,
		       const char *host)
{
	_cleanup_free_ size_t *parent =
		calloc(s->n ? s->n : 1, sizeof(*parent));
	struct tree t = { out, d, s, parent };
	size_t lastc;
	struct sbuf h = { 0 };

	if (!parent)
		return;
	for (size_t i = 0; i < s->n; i++)
		parent[i] = tree_parent(d, s, i);
	lastc = last_child(&t, NO_ENTRY);
	sbuf_put_human(&h, host);
	for (size_t i = 0; i < s->n; i++) {
		const struct netns_info *ns = &d->netns.v[s->v[i].ns];

		if (!ns->is_host)
			continue;
		fprintf(out, "host %s  [%s]  netns %llu\n", h.s ? h.s : "",
			s->v[i].value, (unsigned long long)ns->id.ino);
		print_links(out, lastc != NO_ENTRY ? "│     " : "      ", ns);
	}
	sbuf_free(&h);
	for (size_t k = 0; lastc != NO_ENTRY && k <= lastc; k++)
		if (in_tree(&s->v[k]) && parent[k] == NO_ENTRY)
			print_node(&t, k, "", k == lastc);
	for (size_t i = 0; i < d->engines.endpoints.n; i++) {
		const struct engine_endpoint *ep = &d->engines.endpoints.v[i];
		const struct engine_info *ei = &d->engines.info[i];
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
		if (ep->activator) {
			const struct proc_entry *a =
				proc_table_find(&d->netns.procs, ep->activator);

			/* socket activation: asleep, or woken by us */
			sbuf_puts(&sb, ei->cached ? " (asleep, activator "
						  : " (activator ");
			sbuf_put_human(&sb, a ? a->comm : "?");
			sbuf_printf(&sb, " pid %d%s)", (int)ep->activator,
				    ei->cached	? "; containers from cache"
				    : ei->woken ? "; woken by this listing"
						: "");
		}
		if (ei->err == -EOPNOTSUPP) {
			sbuf_puts(&sb,
				  " (not queried: engines module not loaded)");
		} else if (ei->err < 0) {
			sbuf_puts(&sb, ": ");
			sbuf_put_human(&sb,
				       ei->msg ? ei->msg : strerror(-ei->err));
		}
		if (sb.s)
			fprintf(out, "%s\n", sb.s);
		sbuf_free(&sb);
	}
	print_portal_footer(out, s, p);
	if (s->count[LISTING_SANDBOX])
		fprintf(out,
			"(%zu more network namespace%s hidden: unprivileged sandboxes with only loopback; --all or TURTLECAP_LIST=all shows them)\n",
			s->count[LISTING_SANDBOX],
			s->count[LISTING_SANDBOX] == 1 ? "" : "s");
}
