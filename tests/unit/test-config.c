/* SPDX-License-Identifier: MIT */
/*
 * Settings (src/base/config.c): files written to a temp dir and read with
 * config_load_from() (the system file, then the user's, then TURTLECAP_*
 * variables); the user file's place ($XDG_CONFIG_HOME, $HOME) through
 * config_load() in child processes, as it loads once per process. The
 * warnings are read back from the log (log_setup() on a memory stream).
 */
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "config.h"
#include "log.h"
#include "tap.h"
#include "util.h"

/* config.c's keys, each of which config_dump() prints */
static const char *const keys[] = {
	"list",
	"activators",
	"activator_cache",
	"max_interfaces",
	"engines",
	"hide",
	"show",
	"remotes",
	"ssh",
	"ssh_config",
	"remote_timeout",
	"exclude_ssh",
	"engine_budget_ms",
};

static char root[] = "/tmp/tc-config.XXXXXX";
static char *log_text;
static size_t log_len;
static FILE *log_stream;

static void log_restart(void)
{
	if (log_stream)
		fclose(log_stream);
	free(log_text);
	log_text = NULL;
	log_stream = open_memstream(&log_text, &log_len);
	log_setup(log_stream, LOG_WARNING);
}

/* How often s occurs in what was logged since log_restart(). */
static int logged(const char *s)
{
	int n = 0;

	fflush(log_stream);
	for (const char *p = log_text; p && (p = strstr(p, s)); p++)
		n++;
	return n;
}

/* root/rel with text; the path, owned by the caller */
static char *put(const char *rel, const char *text)
{
	char *path = NULL;
	_cleanup_close_ int fd = -1;

	if (asprintf(&path, "%s/%s", root, rel) < 0)
		return NULL;
	for (char *s = strchr(path + strlen(root) + 1, '/'); s;
	     s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, text, strlen(text)) < 0) {
		free(path);
		return NULL;
	}
	return path;
}

static void unset_env(void)
{
	for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
		char name[64];

		snprintf(name, sizeof(name), "TURTLECAP_%s", keys[i]);
		for (char *c = name + 10; *c; c++)
			*c = (char)(*c - (*c >= 'a' && *c <= 'z' ? 32 : 0));
		unsetenv(name);
	}
}

static void test_precedence(void)
{
	_cleanup_free_ char *sys =
		put("etc/turtlecap.conf", "list = all\n"
					  "max_interfaces = 30\n"
					  "ssh = /sys/ssh\n"
					  "hide = sys-*\n");
	_cleanup_free_ char *user =
		put("home/turtlecap.conf", "max_interfaces = 5\n"
					   "ssh = /user/ssh\n"
					   "hide =\n");

	tap_name("precedence");
	if (!CHECK(sys && user))
		return;
	setenv("TURTLECAP_SSH", "/env/ssh", 1);
	CHECK_EQ(config_load_from(sys, user), 0);
	/* each source overrides the one before, key by key */
	CHECK_STREQ(config_get("list"), "all");
	CHECK_STREQ(config_origin("list"), sys);
	CHECK_STREQ(config_get("max_interfaces"), "5");
	CHECK_STREQ(config_origin("max_interfaces"), user);
	CHECK_EQ(config_get_u64("max_interfaces", 1), 5);
	CHECK_STREQ(config_get("ssh"), "/env/ssh");
	CHECK_STREQ(config_origin("ssh"), "environment");
	/* an empty value overrides too */
	CHECK_STREQ(config_get("hide"), "");
	CHECK_STREQ(config_origin("hide"), user);
	/* untouched: the default, or unset */
	CHECK_STREQ(config_get("activators"), "systemd");
	CHECK_STREQ(config_origin("activators"), "default");
	CHECK(!config_get("engines"));
	CHECK_STREQ(config_origin("engines"), "default");

	/* a reload starts from the defaults: nothing stays from before */
	unsetenv("TURTLECAP_SSH");
	CHECK_EQ(config_load_from(NULL, NULL), 0);
	CHECK_STREQ(config_get("list"), "default");
	CHECK_STREQ(config_get("ssh"), "/usr/bin/ssh");
	CHECK_STREQ(config_origin("max_interfaces"), "default");
	CHECK(!config_get("hide"));
}

static void test_lines(void)
{
	char long_line[1100];
	_cleanup_free_ char *text = NULL, *path = NULL;

	/* 1024 bytes and more: the line is dropped, not cut */
	memset(long_line, 'x', sizeof(long_line));
	memcpy(long_line, "hide = ", 7);
	long_line[sizeof(long_line) - 1] = '\0';
	if (asprintf(&text,
		     "# a comment\n"
		     "\n"
		     "   \t\n"
		     "  max_interfaces   =   7  \n"
		     "list = all # why: see the README\n"
		     "show = a#b\n"
		     "remotes = h1=root@a h2=b:22\n"
		     "activators = first\n"
		     "activators = second\n"
		     "ssh_config = /etc/ssh/x\r\n"
		     "LIST = none\n"
		     "bogus = 1\n"
		     "= nokey\n"
		     "novalue\n"
		     "%s\n"
		     "engines = docker",
		     long_line) < 0)
		text = NULL;
	path = text ? put("lines.conf", text) : NULL;
	tap_name("lines");
	if (!CHECK(path))
		return;
	log_restart();
	config_load_from(path, NULL);
	CHECK_STREQ(config_get("max_interfaces"), "7"); /* trimmed */
	CHECK_STREQ(config_get("list"), "all");		/* comment after */
	CHECK_STREQ(config_get("show"), "a#b");		/* '#' inside a value */
	CHECK_STREQ(config_get("remotes"), "h1=root@a h2=b:22");
	CHECK_STREQ(config_get("activators"), "second");     /* the last */
	CHECK_STREQ(config_get("ssh_config"), "/etc/ssh/x"); /* CRLF */
	CHECK_STREQ(config_get("engines"), "docker"); /* no final newline */
	CHECK(!config_get("hide"));		      /* the long line */
	/* keys are case-sensitive; unknown ones are warned about, as are
	 * lines without '=' or too long */
	CHECK(!config_get("LIST") && !config_get("bogus"));
	CHECK_EQ(logged("unknown setting \"LIST\""), 1);
	CHECK_EQ(logged("unknown setting \"bogus\""), 1);
	CHECK_EQ(logged("unknown setting \"\""), 1);
	CHECK_EQ(logged("no '=' in \"novalue\""), 1);
	CHECK_EQ(logged("line too long"), 1);
	CHECK_EQ(logged("warning"), 5);
}

static void test_files(void)
{
	_cleanup_free_ char *big = NULL, *path = NULL, *dir = NULL,
			    *missing = NULL;

	tap_name("files");
	/* missing: fine, silently */
	if (asprintf(&missing, "%s/none/turtlecap.conf", root) < 0)
		missing = NULL;
	log_restart();
	config_load_from(missing, missing);
	CHECK_EQ(logged("warning"), 0);
	CHECK_STREQ(config_origin("list"), "default");

	/* a directory: warned about, ignored */
	if (asprintf(&dir, "%s", root) < 0)
		dir = NULL;
	log_restart();
	config_load_from(dir, NULL);
	CHECK_EQ(logged("warning"), 1);
	CHECK_STREQ(config_origin("list"), "default");

	/* more than 64 KiB: the whole file is ignored, its first line too */
	big = malloc(70 << 10);
	if (!CHECK(big))
		return;
	memset(big, '#', 70 << 10);
	memcpy(big, "list = all\n", 11);
	big[(70 << 10) - 1] = '\0';
	path = put("big.conf", big);
	if (!CHECK(path))
		return;
	log_restart();
	config_load_from(path, NULL);
	CHECK_STREQ(config_get("list"), "default");
	CHECK_EQ(logged("File too large"), 1);
}

static void test_env(void)
{
	tap_name("environment");
	setenv("TURTLECAP_MAX_INTERFACES", "3", 1);
	setenv("TURTLECAP_LIST", "", 1);
	setenv("turtlecap_show", "lower", 1); /* not ours: upper case only */
	setenv("TURTLECAP_BOGUS", "x", 1);
	log_restart();
	config_load_from(NULL, NULL);
	CHECK_STREQ(config_get("max_interfaces"), "3");
	CHECK_STREQ(config_origin("max_interfaces"), "environment");
	CHECK_STREQ(config_get("list"), "");
	CHECK_STREQ(config_origin("list"), "environment");
	CHECK(!config_get("show"));
	CHECK(!config_get("bogus"));
	CHECK_EQ(logged("warning"), 0);
	unsetenv("TURTLECAP_MAX_INTERFACES");
	unsetenv("TURTLECAP_LIST");
	unsetenv("turtlecap_show");
	unsetenv("TURTLECAP_BOGUS");
}

/* One value of a key through the environment, then its typed getters. */
static void set_one(const char *key, const char *value)
{
	char name[64];

	snprintf(name, sizeof(name), "TURTLECAP_%s", key);
	for (char *c = name + 10; *c; c++)
		*c = (char)(*c - (*c >= 'a' && *c <= 'z' ? 32 : 0));
	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
	config_load_from(NULL, NULL);
	if (value)
		unsetenv(name);
}

static void test_numbers(void)
{
	static const struct {
		const char *v;
		uint64_t want;
		int warns;
	} cases[] = {
		{ "0", 0, 0 },
		{ "42", 42, 0 },
		{ "18446744073709551615", UINT64_MAX, 0 },
		{ "18446744073709551616", 99, 1 }, /* too big */
		{ "-1", 99, 1 },
		{ "+1", 99, 1 },
		{ " 1", 99, 1 }, /* the environment is not trimmed */
		{ "1x", 99, 1 },
		{ "0x10", 99, 1 },
		{ "", 99, 0 }, /* empty: the default, quietly */
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		tap_name("number \"%s\"", cases[i].v);
		log_restart();
		set_one("remote_timeout", cases[i].v);
		CHECK_EQ(config_get_u64("remote_timeout", 99), cases[i].want);
		CHECK_EQ(logged("is not a number"), cases[i].warns);
	}
	tap_name("number: default and unknown");
	set_one("remote_timeout", NULL);
	CHECK_EQ(config_get_u64("remote_timeout", 99), 5);
	CHECK_EQ(config_get_u64("engines", 99), 99); /* unset, no default */
	CHECK_EQ(config_get_u64("no_such_key", 99), 99);
}

static void test_booleans(void)
{
	static const struct {
		const char *v;
		int want; /* -1: the default */
	} cases[] = {
		{ "yes", 1 },  { "true", 1 },	{ "1", 1 },	{ "on", 1 },
		{ "no", 0 },   { "false", 0 },	{ "0", 0 },	{ "off", 0 },
		{ "YES", -1 }, { "y", -1 },	{ "2", -1 },	{ "yes ", -1 },
		{ "", -1 },    { "maybe", -1 }, { "nope", -1 },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		tap_name("boolean \"%s\"", cases[i].v);
		log_restart();
		set_one("exclude_ssh", cases[i].v);
		if (cases[i].want >= 0) {
			CHECK_EQ(config_get_bool("exclude_ssh", false),
				 cases[i].want);
			CHECK_EQ(config_get_bool("exclude_ssh", true),
				 cases[i].want);
		} else {
			CHECK(!config_get_bool("exclude_ssh", false));
			CHECK(config_get_bool("exclude_ssh", true));
		}
		/* warned about when neither yes nor no, but not when empty */
		CHECK_EQ(logged("is not yes or no"),
			 cases[i].want < 0 && cases[i].v[0] ? 2 : 0);
	}
	tap_name("boolean: default and unknown");
	set_one("exclude_ssh", NULL);
	CHECK(config_get_bool("exclude_ssh", false)); /* "yes" */
	CHECK(!config_get_bool("no_such_key", false));
	CHECK(config_get_bool("no_such_key", true));
}

static void test_lists(void)
{
	tap_name("lists");
	set_one("engines", "docker, podman\tcrio,,  containerd ");
	CHECK(config_list_has("engines", "docker"));
	CHECK(config_list_has("engines", "podman"));
	CHECK(config_list_has("engines", "crio"));
	CHECK(config_list_has("engines", "containerd"));
	CHECK(!config_list_has("engines", "dock"));
	CHECK(!config_list_has("engines", "docker,"));
	CHECK(!config_list_has("engines", "podman crio"));
	CHECK(!config_list_has("engines", ""));
	set_one("engines", NULL);
	CHECK(!config_list_has("engines", "docker")); /* unset */
	CHECK(!config_list_has("no_such_key", "docker"));
	CHECK(config_list_has("activators", "systemd")); /* the default */
	/* unknown keys: nothing */
	CHECK(!config_get("no_such_key"));
	CHECK_STREQ(config_origin("no_such_key"), "default");
}

static void test_dump(void)
{
	_cleanup_free_ char *user = put("dump.conf", "max_interfaces = 9\n"),
			    *out = NULL, *want = NULL;
	size_t len = 0;
	FILE *f;
	int lines = 0;

	tap_name("dump");
	if (!CHECK(user))
		return;
	setenv("TURTLECAP_SHOW", "web*", 1);
	config_load_from(NULL, user);
	unsetenv("TURTLECAP_SHOW");
	f = open_memstream(&out, &len);
	if (!CHECK(f))
		return;
	config_dump(f);
	fclose(f);
	for (size_t i = 0; i < len; i++)
		lines += out[i] == '\n';
	CHECK_EQ(lines, ELEMENTSOF(keys));
	/* "KEY = VALUE\t# ORIGIN (HELP)", one line each, in order */
	{
		const char *p = out;

		for (size_t i = 0; i < ELEMENTSOF(keys) && p; i++) {
			size_t n = strlen(keys[i]);

			CHECK_MSG(strncmp(p, keys[i], n) == 0 &&
					  strncmp(p + n, " = ", 3) == 0,
				  "line %zu is %s's", i, keys[i]);
			p = strchr(p, '\n');
			p = p ? p + 1 : NULL;
		}
	}
	if (asprintf(&want, "\nmax_interfaces = 9\t# %s (", user) < 0)
		want = NULL;
	CHECK(want && strstr(out, want));
	CHECK(strstr(out, "\nshow = web*\t# environment ("));
	CHECK(strstr(out, "\nengines = \t# default ("));
	CHECK(strncmp(out, "list = default\t# default (", 26) == 0);
}

static int rm_one(const char *path, const struct stat *st, int type,
		  struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

/*
 * config_load() in a child: the user file under $XDG_CONFIG_HOME when it
 * is absolute, else under $HOME/.config. The system file is the real
 * /etc one: only keys it cannot override are looked at. Returns the
 * child's failed checks (its FAIL lines are its own).
 */
static int load_in_child(const char *xdg, const char *home, const char *want)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		tap_fail = 0;
		if (xdg)
			setenv("XDG_CONFIG_HOME", xdg, 1);
		else
			unsetenv("XDG_CONFIG_HOME");
		if (home)
			setenv("HOME", home, 1);
		else
			unsetenv("HOME");
		CHECK_STREQ(config_get("remote_timeout"), want);
		/* loaded once: a later change of the environment is not
		 * seen */
		setenv("TURTLECAP_REMOTE_TIMEOUT", "1", 1);
		CHECK_STREQ(config_get("remote_timeout"), want);
		_exit(tap_fail ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_user_file(void)
{
	_cleanup_free_ char *xdgfile = put("xdg/turtlecap/turtlecap.conf",
					   "remote_timeout = 11\n"),
			    *homefile = put("home/.config/turtlecap/"
					    "turtlecap.conf",
					    "remote_timeout = 12\n"),
			    *xdg = NULL, *home = NULL;

	tap_name("user file");
	if (!CHECK(xdgfile && homefile))
		return;
	if (asprintf(&xdg, "%s/xdg", root) < 0 ||
	    asprintf(&home, "%s/home", root) < 0)
		return;
	/* the files' keys might be in /etc's: a check needs a key that is
	 * not set there, or the user's value (which wins anyway) */
	CHECK_MSG(load_in_child(xdg, home, "11") == 0, "XDG_CONFIG_HOME");
	CHECK_MSG(load_in_child(NULL, home, "12") == 0, "HOME");
	CHECK_MSG(load_in_child("relative/xdg", home, "12") == 0,
		  "XDG_CONFIG_HOME relative: HOME");
	CHECK_MSG(load_in_child(xdg, "relative", "11") == 0,
		  "HOME relative, XDG_CONFIG_HOME");
}

int main(int argc, char **argv)
{
	tap_init(argc, argv);
	unset_env();
	if (!mkdtemp(root)) {
		perror(root);
		return 1;
	}
	log_restart();
	test_user_file();
	test_precedence();
	test_lines();
	test_files();
	test_env();
	test_numbers();
	test_booleans();
	test_lists();
	test_dump();
	log_setup(NULL, LOG_ERROR);
	fclose(log_stream);
	free(log_text);
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return tap_done();
}
