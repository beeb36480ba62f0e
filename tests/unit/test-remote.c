/* SPDX-License-Identifier: MIT */
/* Remote hosts: shell quoting (run through a real sh), the remotes file
 * and spec syntax, ssh's argv and listings, the ssh-session filter. The
 * tcr- values: test-remote-value.c; the relay: test-relay.c. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "config.h"
#include "remote-config.h"
#include "remote-exclude.h"
#include "remote-ssh.h"
#include "shellquote.h"
#include "tap.h"

/* What /bin/sh makes of a quoted word: printf '%s' WORD. */
static char *through_sh(const char *word)
{
	struct sbuf cmd = { 0 };
	char buf[4096];
	size_t n;
	FILE *p;

	sbuf_puts(&cmd, "printf '%s' ");
	sbuf_put_shell(&cmd, word);
	p = popen(cmd.s, "r");
	sbuf_free(&cmd);
	if (!p)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, p);
	buf[n] = '\0';
	pclose(p);
	return strdup(buf);
}

static void check_quoting(void)
{
	static const char *const hostile[] = {
		"plain", "x; touch /tmp/tc-unit-pwned $(id)", "it's", "'",
		"''\\'", "`id` $HOME ${PATH} \"q\" \\n",      "a\nb", "-rf *",
		"",
	};
	const char *words[] = { "/usr/bin/turtlecap", "--fifo", "-", NULL };
	char *s;

	for (size_t i = 0; i < ELEMENTSOF(hostile); i++) {
		s = through_sh(hostile[i]);
		CHECK_STREQ(s, hostile[i]);
		free(s);
	}
	CHECK(access("/tmp/tc-unit-pwned", F_OK) != 0);
	s = shell_join(words);
	CHECK_STREQ(s, "'/usr/bin/turtlecap' '--fifo' '-'");
	free(s);
	{
		struct sbuf sb = { 0 };

		sbuf_put_shell(&sb, "it's");
		CHECK_STREQ(sb.s, "'it'\\''s'");
		sbuf_free(&sb);
	}
}

static void check_parse(void)
{
	struct remote r;
	char *msg = NULL;

	CHECK(remote_parse_line("lab root@198.51.100.98:2222 /opt/tc/turtlecap",
				&r, &msg) == 0);
	CHECK_STREQ(r.name, "lab");
	CHECK_STREQ(r.user, "root");
	CHECK_STREQ(r.host, "198.51.100.98");
	CHECK_STREQ(r.port, "2222");
	CHECK_STREQ(r.path, "/opt/tc/turtlecap");
	remote_clear(&r);
	CHECK(remote_parse_line("  web1\tweb1.example.com # comment", &r,
				&msg) == 0);
	CHECK(r.user == NULL && r.port == NULL);
	CHECK_STREQ(r.path, REMOTE_DEFAULT_PATH);
	remote_clear(&r);
	CHECK(remote_parse_line("v6 [2001:db8::1]:22", &r, &msg) == 0);
	CHECK_STREQ(r.host, "2001:db8::1");
	CHECK_STREQ(r.port, "22");
	remote_clear(&r);
	CHECK(remote_parse_line("# only a comment", &r, &msg) == -ENOENT);
	CHECK(remote_parse_line("   ", &r, &msg) == -ENOENT);
	/* never an option to ssh, never a second destination */
	CHECK(remote_parse_line("x -oProxyCommand=id", &r, &msg) == -EINVAL);
	free(msg);
	msg = NULL;
	CHECK(remote_parse_line("x -l@host", &r, &msg) == -EINVAL);
	free(msg);
	msg = NULL;
	CHECK(remote_parse_line("x host:99999", &r, &msg) == -EINVAL);
	free(msg);
	msg = NULL;
	CHECK(remote_parse_line("x ho;st", &r, &msg) == -EINVAL);
	free(msg);
	msg = NULL;
	CHECK(remote_parse_line("x", &r, &msg) == -EINVAL);
	free(msg);
	msg = NULL;
	CHECK(remote_parse_line("a b c d", &r, &msg) == -EINVAL);
	free(msg);
	msg = NULL;

	CHECK(remote_parse_spec("lab=admin@lab.example:2200", &r, &msg) == 0);
	CHECK_STREQ(r.name, "lab");
	CHECK_STREQ(r.user, "admin");
	CHECK_STREQ(r.host, "lab.example");
	remote_clear(&r);
	CHECK(remote_parse_spec("admin@db2:22", &r, &msg) == 0);
	CHECK_STREQ(r.name, "db2");
	remote_clear(&r);
	CHECK(remote_parse_spec("=host", &r, &msg) == -EINVAL);
	free(msg);
}

static void check_argv(void)
{
	struct remote r = { 0 };
	const char *cmd[] = { "--capture",
			      "--extcap-interface",
			      "tc-netns-x_3b",
			      "--extcap-capture-filter",
			      "port 1; rm -rf / $(id)",
			      NULL };
	char **argv = NULL, *msg = NULL;
	size_t n = 0;

	config_load_from(NULL, NULL);
	CHECK(remote_parse_line("lab root@h.example:2222 /opt/it's/turtlecap",
				&r, &msg) == 0);
	CHECK(remote_ssh_argv(&r, cmd, 3, &argv, &msg) == 0);
	while (argv && argv[n])
		n++;
	CHECK(n >= 4);
	CHECK_STREQ(argv[0], "/usr/bin/ssh");
	CHECK_STREQ(argv[n - 3], "--");
	CHECK_STREQ(argv[n - 2], "h.example");
	CHECK_STREQ(
		argv[n - 1],
		"'/opt/it'\\''s/turtlecap' '--capture' '--extcap-interface' "
		"'tc-netns-x_3b' '--extcap-capture-filter' "
		"'port 1; rm -rf / $(id)'");
	{
		bool batch = false, timeout = false, port = false;

		for (size_t i = 0; i + 1 < n; i++) {
			batch |= !strcmp(argv[i], "-o") &&
				 !strcmp(argv[i + 1], "BatchMode=yes");
			timeout |= !strcmp(argv[i], "-o") &&
				   !strcmp(argv[i + 1], "ConnectTimeout=3");
			port |= !strcmp(argv[i], "-p") &&
				!strcmp(argv[i + 1], "2222");
		}
		CHECK(batch && timeout && port);
	}
	remote_argv_free(argv);
	/* never searched on PATH */
	setenv("TURTLECAP_SSH", "ssh", 1);
	config_load_from(NULL, NULL);
	CHECK(remote_ssh_argv(&r, cmd, 3, &argv, &msg) == -EINVAL);
	CHECK(msg && strstr(msg, "absolute"));
	free(msg);
	unsetenv("TURTLECAP_SSH");
	config_load_from(NULL, NULL);
	remote_clear(&r);
}

static void one(const char *value, const char *display, void *userdata)
{
	size_t *n = userdata;

	(*n)++;
	if (*n == 1) {
		CHECK_STREQ(value, "tc-host");
		CHECK_STREQ(display, "turtlecap: host network namespace");
	} else {
		CHECK_STREQ(value, "tc-netns-x_3b_20touch");
		CHECK(strchr(display, '{') == NULL);
	}
}

static void check_listing(void)
{
	const char *out =
		"extcap {version=0.1.0}{display=turtlecap}\n"
		"interface {value=tc-host}{display=turtlecap: host network namespace}\n"
		"interface {value=tc-netns-x_3b_20touch}{display=netns x; touch {evil}\n"
		"interface {value=tc-portal-docker}{display=portal}\n"
		"interface {value=tc-x y}{display=bad value}\n"
		"interface {value=other}{display=not ours}\n"
		"garbage line\n";
	size_t n = 0;

	CHECK_EQ(remote_each_interface(out, one, &n), 2);
	CHECK_EQ(n, 2);
}

static void check_exclusion(void)
{
	char *f = NULL;

	CHECK(remote_exclude_session("198.51.100.97 40000 198.51.100.98 2222",
				     NULL, &f) == 0);
	CHECK_STREQ(f, "not (tcp and host 198.51.100.97 and host "
		       "198.51.100.98 and port 40000 and port 2222)");
	free(f);
	CHECK(remote_exclude_session("2001:db8::1 40000 2001:db8::2 22", "icmp",
				     &f) == 0);
	CHECK_STREQ(f, "(icmp) and not (tcp and host 2001:db8::1 and host "
		       "2001:db8::2 and port 40000 and port 22)");
	free(f);
	CHECK(remote_exclude_session("1.2.3.4 1 1.2.3.5", NULL, &f) == -EINVAL);
	CHECK(remote_exclude_session("1.2.3.4) or (x 1 1.2.3.5 2", NULL, &f) ==
	      -EINVAL);
	CHECK(remote_exclude_session("1.2.3.4 1 1.2.3.5 2 extra", NULL, &f) ==
	      -EINVAL);
	CHECK(remote_exclude_session(NULL, NULL, &f) == -EINVAL);
}

int main(int argc, char **argv)
{
	tap_init(argc, argv);
	check_quoting();
	check_parse();
	check_argv();
	check_listing();
	check_exclusion();
	return tap_done();
}
