/* SPDX-License-Identifier: MIT */
#include "remote-cmd.h"

#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/signalfd.h>

#include "caps.h"
#include "config.h"
#include "extcap.h"
#include "log.h"
#include "remote-config.h"
#include "remote-ssh.h"
#include "remote-value.h"
#include "text.h"
#include "util.h"

#define TIMEOUT_DEFAULT_S 5

static int timeout_s(void)
{
	uint64_t t = config_get_u64("remote_timeout", TIMEOUT_DEFAULT_S);

	return t < 1 ? 1 : t > 60 ? 60 : (int)t;
}

/* "root@198.51.100.98:2222" for messages. */
static char *dest(const struct remote *r)
{
	struct sbuf sb = { 0 };

	if (r->user) {
		sbuf_put_human(&sb, r->user);
		sbuf_putc(&sb, '@');
	}
	sbuf_put_human(&sb, r->host);
	if (r->port)
		sbuf_printf(&sb, ":%s", r->port);
	return sbuf_take(&sb);
}

struct print_ctx {
	FILE *out;
	const struct remote *r;
	bool tree;
};

static void print_one(const char *value, const char *display, void *userdata)
{
	struct print_ctx *ctx = userdata;
	_cleanup_free_ char *v = remote_value(ctx->r->name, value);
	struct sbuf name = { 0 };

	if (!v)
		return;
	sbuf_put_extcap(&name, ctx->r->name);
	if (ctx->tree)
		fprintf(ctx->out, "│   %s  [%s]\n", display, v);
	else
		/* the host first, so the list sorts and reads by host */
		fprintf(ctx->out, "interface {value=%s}{display=%s: %s}\n", v,
			name.s ? name.s : "", display);
	sbuf_free(&name);
}

void remote_cmd_list(FILE *out, const char *const *specs, bool tree)
{
	static const char *const cmd[] = { "--extcap-interfaces", NULL };
	struct remotes rs = { 0 };
	struct remote_answer *a = NULL;
	int t = timeout_s();

	if (remotes_load(&rs, specs) < 0 || rs.n == 0) {
		remotes_clear(&rs);
		return;
	}
	/* nothing of ours is needed to run ssh */
	caps_drop();
	if (remote_query_all(&rs, cmd, t * 1000, &a) < 0) {
		extcap_error_line("remotes: out of memory");
		remotes_clear(&rs);
		return;
	}
	for (size_t i = 0; i < rs.n; i++) {
		_cleanup_free_ char *d = dest(&rs.v[i]);
		struct print_ctx ctx = { out, &rs.v[i], tree };
		size_t n;

		if (a[i].err < 0) {
			/* one line; the local interfaces are printed */
			extcap_error_line(
				"remote %s (%s) not listed after %ld ms: %s",
				rs.v[i].name, d ? d : "?", a[i].ms,
				a[i].msg ? a[i].msg : strerror(-a[i].err));
			if (tree)
				fprintf(out, "remote %s (%s): not listed\n",
					rs.v[i].name, d ? d : "?");
			continue;
		}
		if (tree)
			fprintf(out, "remote %s (%s, %ld ms)\n", rs.v[i].name,
				d ? d : "?", a[i].ms);
		n = remote_each_interface(a[i].out, print_one, &ctx);
		log_info("remote %s: %zu interfaces in %ld ms", rs.v[i].name, n,
			 a[i].ms);
		if (n == 0)
			extcap_error_line(
				"remote %s (%s) listed no interface (is %s turtlecap?)",
				rs.v[i].name, d ? d : "?", rs.v[i].path);
	}
	remote_answers_free(a, rs.n);
	remotes_clear(&rs);
}

bool remote_cmd_is_remote(const char *value)
{
	return value &&
	       strncmp(value, REMOTE_PREFIX, strlen(REMOTE_PREFIX)) == 0;
}

int remote_cmd_capture(const struct remote_cmd_capture *c, const void *sigset)
{
	_cleanup_free_ char *name = NULL, *local = NULL, *msg = NULL;
	_cleanup_close_ int sfd = -1, out_fd = -1;
	struct remotes rs = { 0 };
	const struct remote *r;
	const char *cmd[24];
	unsigned long long bytes = 0;
	size_t n = 0;
	int k, ret = 1;

	if (remote_value_parse(c->value, &name, &local) < 0) {
		extcap_error_line(
			"unknown interface \"%s\" (a remote's is tcr-NAME.VALUE)",
			c->value);
		return extcap_fail_capture(c->fifo);
	}
	caps_drop();
	if (remotes_load(&rs, c->specs) < 0) {
		extcap_error_line("remotes: out of memory");
		return extcap_fail_capture(c->fifo);
	}
	r = remotes_find(&rs, name);
	if (!r) {
		extcap_error_line(
			"no remote named \"%s\" (see /etc/turtlecap/remotes, ~/.config/turtlecap/remotes, the remotes setting or --remote)",
			name);
		ret = extcap_fail_capture(c->fifo);
		goto out;
	}
	/* SIGINT/SIGTERM end us at once while the fifo waits for its
	 * reader (nothing written yet); then they are read here */
	out_fd = open(c->fifo, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (out_fd < 0) {
		extcap_error_line("cannot open fifo %s: %s", c->fifo,
				  strerror(errno));
		goto out;
	}
	pthread_sigmask(SIG_BLOCK, sigset, NULL);
	sfd = signalfd(-1, sigset, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		extcap_error_line("signalfd: %s", strerror(errno));
		goto out;
	}
	/* the remote writes to its stdout, stops when its stdin ends, and
	 * names its interfaces by the value the user chose here */
	cmd[n++] = "--capture";
	cmd[n++] = "--extcap-interface";
	cmd[n++] = local;
	cmd[n++] = "--fifo";
	cmd[n++] = "-";
	cmd[n++] = "--stdin-stop";
	cmd[n++] = "--remote-name";
	cmd[n++] = r->name;
	if (c->filter) {
		cmd[n++] = "--extcap-capture-filter";
		cmd[n++] = c->filter;
	}
	if (c->netifs) {
		cmd[n++] = "--netifs";
		cmd[n++] = c->netifs;
	}
	if (c->snaplen) {
		cmd[n++] = "--snaplen";
		cmd[n++] = c->snaplen;
	}
	if (c->promisc)
		cmd[n++] = "--promisc";
	cmd[n] = NULL;
	k = remote_capture(r, cmd, timeout_s(), out_fd, sfd, &bytes, &msg);
	if (k < 0) {
		_cleanup_free_ char *d = dest(r);

		extcap_error_line("remote %s (%s): %s", r->name, d ? d : "?",
				  msg ? msg : strerror(-k));
		goto out;
	}
	log_info("remote %s: relayed %llu bytes", r->name, bytes);
	ret = 0;
out:
	remotes_clear(&rs);
	return ret;
}
