/* SPDX-License-Identifier: MIT */
/* The remotes configuration (remote-config.h): the remotes files' lines,
 * the specs of the `remotes` setting and --remote, and their merge. */
#include "remote-config.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "text.h"
#include "util.h"

#define REMOTES_FILE_MAX (64U << 10)

void remote_clear(struct remote *r)
{
	free(r->name);
	free(r->user);
	free(r->host);
	free(r->port);
	free(r->path);
	*r = (struct remote){ 0 };
}

static bool word_ok(const char *s, const char *extra)
{
	if (!*s || *s == '-')
		return false; /* never an option to ssh */
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(extra, *s))
			return false;
	return true;
}

/* "[USER@]HOST[:PORT]", HOST may be "[v6 address]". */
static int parse_dest(const char *dest, struct remote *r, char **ret_msg)
{
	_cleanup_free_ char *d = strdup(dest);
	char *host, *at, *port = NULL;
	uint32_t p;

	if (!d)
		return -ENOMEM;
	host = d;
	at = strrchr(d, '@');
	if (at) {
		*at = '\0';
		host = at + 1;
		if (!word_ok(d, "._-")) {
			set_msg(ret_msg, "bad user name \"%s\"", d);
			return -EINVAL;
		}
	}
	if (*host == '[') {
		char *close = strchr(host, ']');

		if (!close || (close[1] && close[1] != ':')) {
			set_msg(ret_msg, "bad address \"%s\"", host);
			return -EINVAL;
		}
		*close = '\0';
		if (close[1])
			port = close + 2;
		host++;
	} else {
		port = strchr(host, ':');
		if (port)
			*port++ = '\0';
	}
	if (!word_ok(host, "._-:")) {
		set_msg(ret_msg, "bad host name \"%s\"", host);
		return -EINVAL;
	}
	if (port && (parse_u32(port, &p) < 0 || p == 0 || p > 65535)) {
		set_msg(ret_msg, "bad port \"%s\"", port);
		return -EINVAL;
	}
	r->host = strdup(host);
	r->user = at ? strdup(d) : NULL;
	r->port = port ? strdup(port) : NULL;
	if (!r->host || (at && !r->user) || (port && !r->port))
		return -ENOMEM;
	return 0;
}

static int check_name(const char *name, char **ret_msg)
{
	size_t n = strlen(name);

	if (n == 0 || n > REMOTE_NAME_MAX || !utf8_valid(name, n)) {
		set_msg(ret_msg, "bad remote name");
		return -EINVAL;
	}
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			set_msg(ret_msg, "bad remote name");
			return -EINVAL;
		}
	return 0;
}

static int finish(struct remote *r, const char *name, const char *dest,
		  const char *path, struct remote *ret, char **ret_msg)
{
	int k = check_name(name, ret_msg);

	if (k < 0)
		return k;
	if (path && (!*path || strpbrk(path, "\n\r"))) {
		set_msg(ret_msg, "bad remote turtlecap path");
		return -EINVAL;
	}
	k = parse_dest(dest, r, ret_msg);
	if (k < 0)
		return k;
	r->name = strdup(name);
	r->path = strdup(path ? path : REMOTE_DEFAULT_PATH);
	if (!r->name || !r->path)
		return -ENOMEM;
	*ret = *r;
	*r = (struct remote){ 0 };
	return 0;
}

int remote_parse_line(const char *line, struct remote *ret, char **ret_msg)
{
	_cleanup_free_ char *d = strdup(line);
	struct remote r = { 0 };
	char *w[3], *save = NULL, *h;
	size_t n = 0;
	int k;

	if (!d)
		return -ENOMEM;
	h = strchr(d, '#');
	if (h)
		*h = '\0';
	for (char *t = strtok_r(d, " \t\r", &save); t;
	     t = strtok_r(NULL, " \t\r", &save)) {
		if (n == ELEMENTSOF(w)) {
			set_msg(ret_msg,
				"too many words (NAME [USER@]HOST[:PORT] [PATH])");
			return -EINVAL;
		}
		w[n++] = t;
	}
	if (n == 0)
		return -ENOENT;
	if (n < 2) {
		set_msg(ret_msg,
			"no destination (NAME [USER@]HOST[:PORT] [PATH])");
		return -EINVAL;
	}
	k = finish(&r, w[0], w[1], n > 2 ? w[2] : NULL, ret, ret_msg);
	remote_clear(&r);
	return k;
}

int remote_parse_spec(const char *spec, struct remote *ret, char **ret_msg)
{
	_cleanup_free_ char *d = strdup(spec);
	struct remote r = { 0 };
	char *eq, *name, *dest;
	int k;

	if (!d)
		return -ENOMEM;
	eq = strchr(d, '=');
	if (eq) {
		*eq = '\0';
		name = d;
		dest = eq + 1;
	} else {
		/* named after its host */
		char *at = strrchr(d, '@');

		dest = d;
		name = strdup(at ? at + 1 : d);
		if (!name)
			return -ENOMEM;
		name[strcspn(name, ":]")] = '\0';
		if (*name == '[')
			memmove(name, name + 1, strlen(name));
		k = finish(&r, name, dest, NULL, ret, ret_msg);
		free(name);
		remote_clear(&r);
		return k;
	}
	k = finish(&r, name, dest, NULL, ret, ret_msg);
	remote_clear(&r);
	return k;
}

static int add(struct remotes *rs, struct remote *r)
{
	struct remote *v;

	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].name, r->name) == 0) {
			remote_clear(&rs->v[i]);
			rs->v[i] = *r;
			return 0;
		}
	v = grow_array(rs->v, &rs->cap, rs->n, sizeof(*v), 4);
	if (!v) {
		remote_clear(r);
		return -ENOMEM;
	}
	rs->v = v;
	rs->v[rs->n++] = *r;
	return 0;
}

struct file_ctx {
	struct remotes *rs;
	const char *origin;
	unsigned int lineno;
};

static int file_line(const char *line, const char *end, void *userdata)
{
	struct file_ctx *ctx = userdata;
	_cleanup_free_ char *s = strndup(line, (size_t)(end - line));
	_cleanup_free_ char *msg = NULL;
	struct remote r = { 0 };
	int k;

	ctx->lineno++;
	if (!s)
		return -ENOMEM;
	k = remote_parse_line(s, &r, &msg);
	if (k == -ENOENT)
		return 0;
	if (k < 0) {
		log_warning("%s:%u: %s, ignored", ctx->origin, ctx->lineno,
			    msg ? msg : strerror(-k));
		return k == -ENOMEM ? k : 0;
	}
	r.origin = ctx->origin;
	return add(ctx->rs, &r);
}

static int load_file(struct remotes *rs, const char *path, int slot)
{
	_cleanup_free_ char *text = NULL;
	struct file_ctx ctx = { rs, NULL, 0 };
	size_t len;
	int k;

	if (!path)
		return 0;
	k = read_file_at(AT_FDCWD, path, REMOTES_FILE_MAX, &text, &len);
	if (k < 0) {
		if (k != -ENOENT && k != -ENOTDIR)
			log_warning("%s: %s", path, strerror(-k));
		return 0;
	}
	rs->origins[slot] = strdup(path);
	if (!rs->origins[slot])
		return -ENOMEM;
	ctx.origin = rs->origins[slot];
	return for_each_line(text, file_line, &ctx);
}

static int add_spec(struct remotes *rs, const char *spec, const char *origin)
{
	_cleanup_free_ char *msg = NULL;
	struct remote r = { 0 };
	int k = remote_parse_spec(spec, &r, &msg);

	if (k < 0) {
		log_warning("%s: remote \"%s\": %s, ignored", origin, spec,
			    msg ? msg : strerror(-k));
		return k == -ENOMEM ? k : 0;
	}
	r.origin = origin;
	return add(rs, &r);
}

int remotes_load_from(struct remotes *ret, const char *system_file,
		      const char *user_file, const char *const *specs)
{
	struct remotes rs = { 0 };
	const char *setting = config_get("remotes");
	int k;

	k = load_file(&rs, system_file, 0);
	if (k >= 0)
		k = load_file(&rs, user_file, 1);
	/* the setting: space-separated NAME=DEST words */
	while (k >= 0 && setting && *setting) {
		size_t len = strcspn(setting, " \t,");
		_cleanup_free_ char *w = strndup(setting, len);

		if (!w) {
			k = -ENOMEM;
			break;
		}
		if (*w)
			k = add_spec(&rs, w, "setting remotes");
		setting += len;
		setting += strspn(setting, " \t,");
	}
	for (size_t i = 0; k >= 0 && specs && specs[i]; i++)
		k = add_spec(&rs, specs[i], "--remote");
	if (k < 0) {
		remotes_clear(&rs);
		return k;
	}
	*ret = rs;
	return 0;
}

int remotes_load(struct remotes *ret, const char *const *specs)
{
	_cleanup_free_ char *user = NULL;
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int k = -1;

	if (xdg && xdg[0] == '/')
		k = asprintf(&user, "%s/turtlecap/remotes", xdg);
	else if (home && home[0] == '/')
		k = asprintf(&user, "%s/.config/turtlecap/remotes", home);
	if (k < 0)
		user = NULL;
	return remotes_load_from(ret, REMOTE_SYSTEM_FILE, user, specs);
}

void remotes_clear(struct remotes *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		remote_clear(&rs->v[i]);
	free(rs->v);
	free(rs->origins[0]);
	free(rs->origins[1]);
	*rs = (struct remotes){ 0 };
}

const struct remote *remotes_find(const struct remotes *rs, const char *name)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].name, name) == 0)
			return &rs->v[i];
	return NULL;
}
