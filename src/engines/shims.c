/* SPDX-License-Identifier: MIT */
#include "shims.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* comm of containerd-shim-runc-v2 (and of v1's containerd-shim): the
 * kernel keeps 15 characters */
#define SHIM_COMM   "containerd-shim"
#define CMDLINE_MAX 4096

/* "-name", "--name", "-name=v", "--name=v": the value if arg is flag name
 * (*ret_inline set when the value is in arg itself), else NULL. */
static const char *flag_value(const char *arg, const char *name,
			      bool *ret_inline)
{
	size_t n = strlen(name);

	if (arg[0] != '-')
		return NULL;
	arg += arg[1] == '-' ? 2 : 1;
	if (strncmp(arg, name, n) != 0)
		return NULL;
	if (arg[n] == '\0') {
		*ret_inline = false;
		return arg + n;
	}
	if (arg[n] == '=') {
		*ret_inline = true;
		return arg + n + 1;
	}
	return NULL;
}

static int copy_name(char dst[SHIM_NAME_MAX], const char *v)
{
	size_t n = strnlen(v, SHIM_NAME_MAX);

	if (n == 0 || n == SHIM_NAME_MAX)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++)
		if (v[i] <= ' ' || v[i] > '~' || v[i] == '/')
			return -EBADMSG;
	memcpy(dst, v, n + 1);
	return 0;
}

int shim_parse_cmdline(const char *buf, size_t len, char ns[SHIM_NAME_MAX],
		       char id[SHIM_NAME_MAX])
{
	const char *end = buf + len;
	char *pending = NULL; /* the flag before wants its value */
	bool got_ns = false, got_id = false;

	/* arguments are NUL-terminated; a last one without its NUL (a
	 * truncated read) is not looked at */
	for (const char *a = buf; a < end;) {
		const char *nul = memchr(a, '\0', (size_t)(end - a)), *v;
		char *slot = NULL;
		bool in = false;
		int r;

		if (!nul)
			break;
		if (pending) {
			r = copy_name(pending, a);
			if (r < 0)
				return r;
			pending = NULL;
		} else if ((v = flag_value(a, "namespace", &in))) {
			slot = ns;
			got_ns = true;
		} else if ((v = flag_value(a, "id", &in))) {
			slot = id;
			got_id = true;
		}
		if (slot && in) {
			r = copy_name(slot, v);
			if (r < 0)
				return r;
		} else if (slot) {
			pending = slot;
		}
		a = nul + 1;
	}
	if (pending)
		return -EBADMSG; /* a flag without its value */
	return got_ns && got_id ? 0 : -ENOENT;
}

static int cmp_shim(const void *a, const void *b)
{
	const struct shim *x = a, *y = b;
	int r = strcmp(x->id, y->id);

	return r ? r : strcmp(x->ns, y->ns);
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = ((const struct shim *)a)->pid,
	      y = ((const struct shim *)b)->pid;

	return (x > y) - (x < y);
}

int shim_index_build(const char *procfs, const struct proc_table *t,
		     struct shim_index *ret)
{
	struct shim_index x = { 0 };

	for (size_t i = 0; i < t->n; i++) {
		const struct proc_entry *p = &t->v[i];
		_cleanup_free_ char *buf = NULL;
		struct shim s = { .pid = p->pid };
		char path[64];
		size_t len;
		struct shim *v;

		if (strcmp(p->comm, SHIM_COMM) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%d/cmdline", procfs,
			 (int)p->pid);
		if (read_file_at(AT_FDCWD, path, CMDLINE_MAX, &buf, &len) < 0 ||
		    shim_parse_cmdline(buf, len, s.ns, s.id) < 0)
			continue; /* gone, or no shim of a container */
		v = grow_array(x.v, &x.cap, x.n, sizeof(*v), 16);
		if (!v) {
			shim_index_clear(&x);
			return -ENOMEM;
		}
		x.v = v;
		x.v[x.n++] = s;
	}
	if (x.n == 0) {
		*ret = x;
		return 0;
	}
	/* each shim's earliest-started child: its container's init (the
	 * processes of `docker exec` are the shim's children too, later) */
	qsort(x.v, x.n, sizeof(*x.v), cmp_pid);
	for (size_t i = 0; i < t->n; i++) {
		const struct proc_entry *p = &t->v[i];
		struct shim key = { .pid = p->ppid }, *s;

		s = bsearch(&key, x.v, x.n, sizeof(*x.v), cmp_pid);
		if (s && (!s->init || p->starttime < s->init_start)) {
			s->init = p->pid;
			s->init_start = p->starttime;
		}
	}
	qsort(x.v, x.n, sizeof(*x.v), cmp_shim);
	*ret = x;
	return 0;
}

pid_t shim_index_find(const struct shim_index *x, const struct proc_table *t,
		      uint64_t pidns, const char *ns, const char *id)
{
	struct shim key = { 0 };
	const struct shim *s;
	pid_t found = 0;

	if (!x->n || copy_name(key.ns, ns) < 0 || copy_name(key.id, id) < 0)
		return 0;
	s = bsearch(&key, x->v, x->n, sizeof(*x->v), cmp_shim);
	if (!s)
		return 0;
	while (s > x->v && cmp_shim(s - 1, &key) == 0)
		s--;
	/* of equals (engines in other containers may reuse a name), only
	 * one in the subtree; two there: ambiguous, ask the engine */
	for (; s < x->v + x->n && cmp_shim(s, &key) == 0; s++) {
		if (pidns && !proc_in_pidns_subtree(
				     t, proc_table_find(t, s->pid), pidns))
			continue;
		if (found || !s->init)
			return 0;
		found = s->init;
	}
	return found;
}

void shim_index_clear(struct shim_index *x)
{
	free(x->v);
	*x = (struct shim_index){ 0 };
}
