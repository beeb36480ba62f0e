/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <ctype.h>
#include <fcntl.h>
#include <string.h>

#include "log.h"
#include "util.h"

#define CONFIG_FILE_MAX (64U << 10)

struct config_key {
	const char *key;
	const char *def; /* default, or NULL */
	const char *help;
};

/* Every setting turtlecap knows; documented in README "Configuration" and
 * turtlecap(1). */
static const struct config_key config_keys[] = {
	{ "list", "default",
	  "default: hide unprivileged loopback-only sandboxes; all: list every network namespace" },
	{ "activators", "systemd",
	  "process names of socket activators whose podman.sock/docker.sock are woken" },
	{ "activator_cache", "yes",
	  "reuse the containers of a sleeping socket-activated engine while its processes are unchanged" },
	{ "max_interfaces", "20",
	  "containers and namespaces listed as interfaces of their own (the host always is); the others are in one portal interface per engine" },
	{ "engines", NULL,
	  "engine kinds whose containers are listed individually, e.g. \"docker podman\"; empty: all" },
	{ "hide", NULL,
	  "fnmatch(3) patterns (container name or value) of containers only reached through their portal" },
	{ "show", NULL,
	  "fnmatch(3) patterns: if set, only matching containers are listed individually" },
	{ "remotes", NULL,
	  "remote hosts NAME=[USER@]HOST[:PORT], space separated; also /etc/turtlecap/remotes and ~/.config/turtlecap/remotes (docs/remote.md)" },
	{ "ssh", "/usr/bin/ssh",
	  "OpenSSH client run for remote hosts: an absolute path, never searched on PATH" },
	{ "ssh_config", NULL,
	  "ssh -F FILE for remote hosts (empty: ssh's own ~/.ssh/config)" },
	{ "remote_timeout", "5",
	  "seconds a remote host's listing may take (ssh's ConnectTimeout is one less)" },
	{ "exclude_ssh", "yes",
	  "under ssh, a capture of the namespace sshd runs in leaves that ssh session out" },
	{ "engine_budget_ms", "1500",
	  "milliseconds one engine's whole listing may take, all its calls together (1-60000); the discovery waits 2000 at most for all of them" },
	{ NULL, NULL, NULL },
};

struct config_value {
	char *value;
	const char *origin;
};

static struct config_value values[ELEMENTSOF(config_keys)];
static char *origins[2]; /* the files' paths, owned */
static bool loaded;

static int key_index(const char *key)
{
	for (int i = 0; config_keys[i].key; i++)
		if (strcmp(config_keys[i].key, key) == 0)
			return i;
	return -1;
}

static void set_value(int k, const char *v, size_t len, const char *origin)
{
	char *s = strndup(v, len);

	if (!s)
		return;
	free(values[k].value);
	values[k].value = s;
	values[k].origin = origin;
}

static char *trim(char *s, char *end)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

static int parse_line(const char *line, const char *end, void *userdata)
{
	const char *origin = userdata;
	size_t len = (size_t)(end - line);
	char buf[1024], *eq, *key, *val;
	int k;

	if (len >= sizeof(buf)) {
		log_warning("%s: line too long, ignored", origin);
		return 0;
	}
	memcpy(buf, line, len);
	buf[len] = '\0';
	key = trim(buf, buf + len);
	if (!*key || *key == '#')
		return 0;
	/* a comment may follow a value after white space */
	for (char *h = strchr(key, '#'); h; h = strchr(h + 1, '#'))
		if (h > key && isspace((unsigned char)h[-1])) {
			*h = '\0';
			break;
		}
	eq = strchr(key, '=');
	if (!eq) {
		log_warning("%s: no '=' in \"%s\", ignored", origin, key);
		return 0;
	}
	val = trim(eq + 1, key + strlen(key));
	key = trim(key, eq);
	k = key_index(key);
	if (k < 0) {
		log_warning("%s: unknown setting \"%s\", ignored", origin, key);
		return 0;
	}
	set_value(k, val, strlen(val), origin);
	return 0;
}

static void load_file(const char *path, int slot)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	if (!path)
		return;
	r = read_file_at(AT_FDCWD, path, CONFIG_FILE_MAX, &text, &len);
	if (r < 0) {
		if (r != -ENOENT && r != -ENOTDIR)
			log_warning("%s: %s", path, strerror(-r));
		return;
	}
	free(origins[slot]);
	origins[slot] = strdup(path);
	if (!origins[slot])
		return;
	(void)len;
	for_each_line(text, parse_line, origins[slot]);
}

static void load_env(void)
{
	for (int i = 0; config_keys[i].key; i++) {
		char name[64];
		const char *v;
		size_t n;

		n = (size_t)snprintf(name, sizeof(name), "TURTLECAP_%s",
				     config_keys[i].key);
		for (size_t c = 10; c < n && c < sizeof(name); c++)
			name[c] = (char)toupper((unsigned char)name[c]);
		v = getenv(name);
		if (v)
			set_value(i, v, strlen(v), "environment");
	}
}

static void reset(void)
{
	for (int i = 0; config_keys[i].key; i++) {
		free(values[i].value);
		values[i].value = NULL;
		values[i].origin = "default";
		if (config_keys[i].def)
			set_value(i, config_keys[i].def,
				  strlen(config_keys[i].def), "default");
	}
}

int config_load_from(const char *system_file, const char *user_file)
{
	reset();
	load_file(system_file, 0);
	load_file(user_file, 1);
	load_env();
	loaded = true;
	return 0;
}

void config_load(void)
{
	_cleanup_free_ char *user = NULL;
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int r = -1;

	if (loaded)
		return;
	if (xdg && xdg[0] == '/')
		r = asprintf(&user, "%s/turtlecap/turtlecap.conf", xdg);
	else if (home && home[0] == '/')
		r = asprintf(&user, "%s/.config/turtlecap/turtlecap.conf",
			     home);
	if (r < 0)
		user = NULL;
	config_load_from(CONFIG_SYSTEM_FILE, user);
}

const char *config_get(const char *key)
{
	int k = key_index(key);

	config_load();
	return k < 0 ? NULL : values[k].value;
}

const char *config_origin(const char *key)
{
	int k = key_index(key);

	config_load();
	return k < 0 || !values[k].origin ? "default" : values[k].origin;
}

uint64_t config_get_u64(const char *key, uint64_t def)
{
	const char *v = config_get(key);
	uint64_t n;

	if (!v || parse_u64(v, &n) < 0) {
		if (v && *v)
			log_warning("setting %s: \"%s\" is not a number", key,
				    v);
		return def;
	}
	return n;
}

bool config_get_bool(const char *key, bool def)
{
	const char *v = config_get(key);

	if (!v || !*v)
		return def;
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1") ||
	    !strcmp(v, "on"))
		return true;
	if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0") ||
	    !strcmp(v, "off"))
		return false;
	log_warning("setting %s: \"%s\" is not yes or no", key, v);
	return def;
}

bool config_list_has(const char *key, const char *word)
{
	const char *v = config_get(key);
	size_t n = strlen(word);

	while (v && *v) {
		size_t len = strcspn(v, " ,\t");

		if (len == n && n && strncmp(v, word, n) == 0)
			return true;
		v += len;
		v += strspn(v, " ,\t");
	}
	return false;
}

void config_dump(FILE *out)
{
	config_load();
	for (int i = 0; config_keys[i].key; i++)
		fprintf(out, "%s = %s\t# %s (%s)\n", config_keys[i].key,
			values[i].value ? values[i].value : "",
			config_origin(config_keys[i].key), config_keys[i].help);
}
