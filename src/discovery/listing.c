/* SPDX-License-Identifier: MIT */
#include "listing.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <net/if.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "target.h"

/* a command line longer than this wants nothing */
#define WANTED_ARGV_MAX (256U << 10)

/* Calls fn for each word of list (separated by any of seps) as a
 * NUL-terminated string; stops at the first true return. */
static bool any_word(const char *list, const char *seps,
		     bool (*fn)(const char *word, const void *arg),
		     const void *arg)
{
	const char *p = list;

	while (p && *p) {
		size_t len = strcspn(p, seps);

		if (len) {
			_cleanup_free_ char *w = strndup(p, len);

			if (w && fn(w, arg))
				return true;
		}
		p += len;
		p += strspn(p, seps);
	}
	return false;
}

static bool is_word(const char *word, const void *arg)
{
	return strcmp(word, arg) == 0;
}

static bool known_engine(const char *word, const void *arg)
{
	(void)arg;
	for (int k = 0; k < _ENGINE_KIND_MAX; k++)
		if (strcmp(word, engine_kind_name((enum engine_kind)k)) == 0)
			return false;
	log_warning("setting engines: unknown engine \"%s\", ignored", word);
	return false;
}

void listing_policy_load(struct listing_policy *p, bool all)
{
	/* a number that does not parse falls back to the default, with a
	 * warning in the log (config_get_u64) */
	uint64_t max = config_get_u64("max_interfaces", LISTING_MAX_DEFAULT);

	*p = (struct listing_policy){
		.max = max > SIZE_MAX ? SIZE_MAX : (size_t)max,
		.all = all,
		.engines = config_get("engines"),
		.hide = config_get("hide"),
		.show = config_get("show"),
	};
	any_word(p->engines, " ,\t", known_engine, NULL);
}

/* The name and the value of a container are both matched, so that
 * `tc-docker-dind.*` picks everything inside dind. */
struct match {
	const char *name, *value;
};

static bool matches(const char *pattern, const void *arg)
{
	const struct match *m = arg;

	return (m->name && fnmatch(pattern, m->name, 0) == 0) ||
	       (m->value && fnmatch(pattern, m->value, 0) == 0);
}

static bool is_wanted(const struct listing_policy *p, const char *value)
{
	for (char *const *w = p->wanted; w && *w; w++)
		if (strcmp(*w, value) == 0)
			return true;
	return false;
}

static bool set(const char *s)
{
	return s && *s;
}

static enum listing_why container_why(const struct listing_policy *p,
				      const struct listing_entry *e)
{
	const struct match m = { e->name, e->value };

	if (set(p->engines) &&
	    !any_word(p->engines, " ,\t", is_word,
		      engine_kind_name((enum engine_kind)e->group)))
		return LISTING_ENGINE;
	if (set(p->hide) && any_word(p->hide, " \t", matches, &m))
		return LISTING_HIDDEN;
	if (set(p->show) && !any_word(p->show, " \t", matches, &m))
		return LISTING_NOT_SHOWN;
	return LISTING_SHOWN;
}

/* Default policy: the host, named namespaces, and namespaces that look
 * like containers or have a non-loopback link. Unprivileged sandboxes
 * (browsers create one per renderer: a user namespace of their own and
 * only loopback) are hidden unless TURTLECAP_LIST=all or --all. */
static bool default_listed(const struct netns_info *ns)
{
	if (netns_is_known(ns))
		return true;
	if (ns->links_err < 0)
		return true; /* cannot tell: better shown than lost */
	for (size_t i = 0; i < ns->links.n; i++)
		if (!(ns->links.links[i].flags & IFF_LOOPBACK))
			return true;
	/* container-like: rootful (only our user namespace inside) with
	 * mount and pid namespaces of its own, e.g. `docker run --network
	 * none`; an unprivileged sandbox has a user namespace of its own */
	return !ns->other_user && ns->other_mnt && ns->other_pid;
}

/* Sorting rank: containers, then `ip netns` names, then the others. */
static int rank(const struct listing_entry *e, const struct netns_list *l)
{
	if (e->group < 0)
		return -1;
	if (e->group != LISTING_GROUP_NETNS)
		return 0;
	return l->v[e->ns].name ? 1 : 2;
}

static int cmp_entry(const void *pa, const void *pb, void *arg)
{
	const struct listing_entry *a = pa, *b = pb;
	const struct netns_list *l = *(const struct netns_list **)arg;
	uint64_t ia = l->v[a->ns].id.ino, ib = l->v[b->ns].id.ino;
	int ra = rank(a, l), rb = rank(b, l), r;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (a->depth != b->depth)
		return a->depth < b->depth ? -1 : 1;
	if (a->name && b->name && (r = strcmp(a->name, b->name)) != 0)
		return r;
	/* unnamed namespaces: by inode, as numbers */
	if (ra == 2 && ia != ib)
		return ia < ib ? -1 : 1;
	if (a->value && b->value && (r = strcmp(a->value, b->value)) != 0)
		return r;
	return ia < ib ? -1 : ia > ib;
}

static void entry_init(const struct discovery *d, size_t i,
		       struct listing_entry *e)
{
	const struct netns_info *ns = &d->netns.v[i];
	const struct container *c = discovery_container(d, ns);

	*e = (struct listing_entry){ .ns = i, .name = ns->name };
	if (ns->is_host) {
		e->group = -1;
	} else if (c) {
		const struct container *lv[TARGET_LEVELS_MAX];

		e->group = (int)discovery_engine_kind(d, c);
		e->depth = discovery_lineage(d, c, lv, ELEMENTSOF(lv));
		e->name = container_ifname(c);
	} else {
		e->group = LISTING_GROUP_NETNS;
	}
}

int listing_make(const struct discovery *d, const struct listing_policy *p,
		 struct listing *ret)
{
	const struct netns_list *l = &d->netns;
	struct listing s = { 0 };

	if (l->n == 0) {
		*ret = s;
		return 0;
	}
	s.v = calloc(l->n, sizeof(*s.v));
	if (!s.v)
		return -ENOMEM;
	for (size_t i = 0; i < l->n; i++, s.n++) {
		entry_init(d, i, &s.v[i]);
		s.v[i].value = target_value(d, &l->v[i]);
		if (!s.v[i].value) {
			listing_clear(&s);
			return -ENOMEM;
		}
	}
	/* qsort_r's context is not const: pass the pointer's address */
	qsort_r(s.v, s.n, sizeof(*s.v), cmp_entry, &l);

	for (size_t i = 0; i < s.n; i++) {
		struct listing_entry *e = &s.v[i];

		if (e->group < 0)
			e->why = LISTING_SHOWN;
		else if (is_wanted(p, e->value))
			e->wanted = true;
		else if (!p->all && !default_listed(&l->v[e->ns]))
			e->why = LISTING_SANDBOX;
		else if (e->group != LISTING_GROUP_NETNS)
			e->why = container_why(p, e);
		if (e->group >= 0 && !e->wanted && e->why == LISTING_SHOWN) {
			if (s.n_shown < p->max)
				s.n_shown++;
			else
				e->why = LISTING_OVER_CAP;
		}
		s.count[e->why]++;
		if (listing_in_portal(e))
			s.portal[e->group]++;
	}
	*ret = s;
	return 0;
}

void listing_clear(struct listing *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].value);
	free(s->v);
	*s = (struct listing){ 0 };
}

/* A value we would print verbatim: well-formed and grammar-safe. */
static bool wanted_value(const char *v)
{
	struct target_ref ref;
	int g;

	if (strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		      "0123456789_.-") != strlen(v))
		return false;
	if (listing_parse_portal(v, &g) == 0 || target_parse_value(v, &ref))
		return false;
	target_ref_clear(&ref);
	return true;
}

static int wanted_add(char ***v, size_t *n, const char *value)
{
	char **nv;

	if (!wanted_value(value))
		return 0;
	nv = realloc(*v, (*n + 2) * sizeof(**v));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[*n] = strdup(value);
	if (!nv[*n])
		return -ENOMEM;
	nv[++*n] = NULL;
	return 0;
}

int listing_wanted_parse(const char *argv, size_t len, char ***ret)
{
	static const char long_opt[] = "--interface";
	const size_t lo = sizeof(long_opt) - 1;
	const char *end = argv + len, *next;
	char **v = NULL;
	size_t n = 0;
	int r = 0;

	/* getopt's forms: -i V, -iV, --interface V, --interface=V; each
	 * argument is NUL-terminated inside the buffer or ignored */
	for (const char *a = argv; a < end && r >= 0; a = next) {
		size_t alen = strnlen(a, (size_t)(end - a));
		const char *value = NULL;

		if (a + alen == end)
			break;
		next = a + alen + 1;
		if (strcmp(a, "-i") == 0 || strcmp(a, long_opt) == 0) {
			if (next < end && strnlen(next, (size_t)(end - next)) <
						  (size_t)(end - next))
				value = next;
		} else if (strncmp(a, "-i", 2) == 0) {
			value = a + 2;
		} else if (strncmp(a, long_opt, lo) == 0 && a[lo] == '=') {
			value = a + lo + 1;
		}
		if (value)
			r = wanted_add(&v, &n, value);
	}
	if (r < 0) {
		listing_wanted_free(v);
		return r;
	}
	*ret = v;
	return 0;
}

int listing_wanted_load(const char *procfs, pid_t pid, char ***ret)
{
	_cleanup_free_ char *buf = NULL;
	char path[64];
	size_t len;

	*ret = NULL;
	snprintf(path, sizeof(path), "%s/%d/cmdline", procfs, (int)pid);
	if (pid <= 0 ||
	    read_file_at(AT_FDCWD, path, WANTED_ARGV_MAX, &buf, &len) < 0)
		return 0;
	return listing_wanted_parse(buf, len, ret);
}

void listing_wanted_free(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

const char *listing_group_name(int group)
{
	if (group == LISTING_GROUP_NETNS)
		return "netns";
	if (group >= 0 && group < _ENGINE_KIND_MAX)
		return engine_kind_name((enum engine_kind)group);
	return NULL;
}

char *listing_portal_value(int group)
{
	const char *g = listing_group_name(group);
	char *s;

	if (!g || asprintf(&s, "%s%s", LISTING_PORTAL_PREFIX, g) < 0)
		return NULL;
	return s;
}

int listing_parse_portal(const char *value, int *ret_group)
{
	size_t n = strlen(LISTING_PORTAL_PREFIX);

	if (!value || strncmp(value, LISTING_PORTAL_PREFIX, n) != 0)
		return -EINVAL;
	for (int g = 0; g < LISTING_GROUPS; g++)
		if (strcmp(value + n, listing_group_name(g)) == 0) {
			*ret_group = g;
			return 0;
		}
	return -EINVAL;
}

#define PICK " (pick one in the interface options)"

char *listing_portal_display(int group, size_t n)
{
	const char *g = listing_group_name(group);
	const char *plural = n == 1 ? "" : "s";
	char *s;
	int r;

	if (!g)
		return NULL;
	if (group == LISTING_GROUP_NETNS)
		r = asprintf(&s, "turtlecap: %zu more network namespace%s%s", n,
			     plural, PICK);
	else
		r = asprintf(&s, "turtlecap: %zu more %s container%s%s", n, g,
			     plural, PICK);
	if (r < 0)
		return NULL;
	return s;
}
