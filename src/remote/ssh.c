/* SPDX-License-Identifier: MIT */
/* The ssh sessions (remote-ssh.h): ssh's argv, spawning it, the queries
 * of all remotes at once, their interface lists, and a capture relayed
 * (relay.h) until asked to stop. */
#include "remote-ssh.h"

#include <ctype.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "config.h"
#include "log.h"
#include "relay.h"
#include "shellquote.h"
#include "text.h"
#include "util.h"

extern char **environ;

#define ANSWER_MAX    (4U << 20) /* a remote's listing */
#define STDERR_KEEP   4096
#define STOP_GRACE_MS 3000 /* for the remote to end its file */

/* the characters of an interface value (the codec, remote-value.c, has
 * the same rule; tc-remote does not link the discovery) */
static bool value_chars(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return false;
	return true;
}

void remote_argv_free(char **argv)
{
	for (char **p = argv; p && *p; p++)
		free(*p);
	free(argv);
}

int remote_ssh_argv(const struct remote *r, const char *const *cmd,
		    int connect_timeout_s, char ***ret, char **ret_msg)
{
	const char *ssh = config_get("ssh"), *cfg = config_get("ssh_config");
	const char *w[32];
	char timeout[64];
	_cleanup_free_ char *line = NULL;
	const char **words;
	size_t n = 0, ncmd = 0;
	char **argv;

	if (!ssh || ssh[0] != '/') {
		set_msg(ret_msg,
			"setting ssh = \"%s\" is not an absolute path (turtlecap never searches PATH)",
			ssh ? ssh : "");
		return -EINVAL;
	}
	if (cfg && *cfg && cfg[0] != '/') {
		set_msg(ret_msg, "setting ssh_config = \"%s\" is not absolute",
			cfg);
		return -EINVAL;
	}
	while (cmd[ncmd])
		ncmd++;
	words = calloc(ncmd + 2, sizeof(*words));
	if (!words)
		return -ENOMEM;
	words[0] = r->path;
	memcpy(words + 1, cmd, ncmd * sizeof(*words));
	line = shell_join(words);
	free(words);
	if (!line)
		return -ENOMEM;

	snprintf(timeout, sizeof(timeout), "ConnectTimeout=%d",
		 connect_timeout_s > 0 ? connect_timeout_s : 1);
	w[n++] = ssh;
	if (cfg && *cfg) {
		w[n++] = "-F";
		w[n++] = cfg;
	}
	/* no prompt ever (Wireshark has no terminal), no forwarding, no
	 * escape character in a binary stream, no tty to mangle it */
	w[n++] = "-o";
	w[n++] = "BatchMode=yes";
	w[n++] = "-o";
	w[n++] = timeout;
	w[n++] = "-x";
	w[n++] = "-a";
	w[n++] = "-T";
	w[n++] = "-e";
	w[n++] = "none";
	if (r->port) {
		w[n++] = "-p";
		w[n++] = r->port;
	}
	if (r->user) {
		w[n++] = "-l";
		w[n++] = r->user;
	}
	w[n++] = "--";
	w[n++] = r->host;
	w[n++] = line;
	argv = calloc(n + 1, sizeof(*argv));
	if (!argv)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		argv[i] = strdup(w[i]);
		if (!argv[i]) {
			remote_argv_free(argv);
			return -ENOMEM;
		}
	}
	*ret = argv;
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

struct child {
	pid_t pid;
	int in, out, err; /* our ends; -1 when closed */
};

static void child_close(struct child *c)
{
	closep(&c->in);
	closep(&c->out);
	closep(&c->err);
}

/* ssh with stdin a pipe (or /dev/null), stdout and stderr pipes, default
 * signal dispositions and an empty mask (we block SIGTERM for our
 * signalfd), in a process group of its own so a terminal's ^C reaches
 * only us: we end the stream. */
static int spawn(char **argv, bool want_stdin, struct child *ret)
{
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, def;
	pid_t pid;
	int k;

	if ((want_stdin && pipe2(pin, O_CLOEXEC) < 0) ||
	    pipe2(pout, O_CLOEXEC) < 0 || pipe2(perr, O_CLOEXEC) < 0) {
		k = negerrno();
		goto fail;
	}
	posix_spawn_file_actions_init(&fa);
	if (want_stdin)
		posix_spawn_file_actions_adddup2(&fa, pin[0], 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY,
						 0);
	posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
	posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
					      POSIX_SPAWN_SETSIGDEF |
					      POSIX_SPAWN_SETPGROUP);
	k = posix_spawn(&pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (k != 0) {
		k = -k;
		goto fail;
	}
	closep(&pin[0]);
	close(pout[1]);
	close(perr[1]);
	*ret = (struct child){ pid, pin[1], pout[0], perr[0] };
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		closep(&pin[i]);
		closep(&pout[i]);
		closep(&perr[i]);
	}
	return k;
}

/* Append what fd has to buf (at most max; the rest is read and dropped).
 * Returns 0 at EOF, 1 if more may come, -errno. */
static int drain(int fd, char **buf, size_t *len, size_t *cap, size_t max)
{
	char tmp[16384];
	ssize_t n = read(fd, tmp, sizeof(tmp));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : negerrno();
	if (n == 0)
		return 0;
	if (*len + (size_t)n + 1 > *cap && *len < max) {
		size_t want = *len + (size_t)n + 1;
		char *nb;

		if (want > max + 1)
			want = max + 1;
		nb = realloc(*buf, want > *cap * 2 ? want : *cap * 2);
		if (!nb)
			return -ENOMEM;
		*buf = nb;
		*cap = want > *cap * 2 ? want : *cap * 2;
	}
	if (*len < max) {
		size_t take = (size_t)n;

		if (take > max - *len)
			take = max - *len;
		memcpy(*buf + *len, tmp, take);
		*len += take;
		(*buf)[*len] = '\0';
	}
	return 1;
}

/* The last non-empty line of ssh's stderr, made printable. */
static char *last_line(const char *s, size_t len)
{
	_cleanup_free_ char *line = NULL;
	const char *end = s + len, *start;

	while (end > s && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	start = end;
	while (start > s && start[-1] != '\n')
		start--;
	if (start == end)
		return NULL;
	line = strndup(start, (size_t)(end - start));
	return line ? text_human_cut(line, 300) : NULL;
}

static int wait_exit(pid_t pid, int *ret_status)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return negerrno();
	*ret_status = st;
	return 0;
}

/* Why a query failed, from ssh's exit and stderr. */
static void explain(struct remote_answer *a, int status, const char *err,
		    size_t errlen)
{
	_cleanup_free_ char *line = last_line(err ? err : "", err ? errlen : 0);

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	a->err = WIFEXITED(status) && WEXITSTATUS(status) == 255 ? -ECONNREFUSED
								 : -EIO;
	if (line)
		set_msg(&a->msg, "%s", line);
	else if (WIFEXITED(status))
		set_msg(&a->msg, "ssh exited with status %d",
			WEXITSTATUS(status));
	else
		set_msg(&a->msg, "ssh killed by signal %d", WTERMSIG(status));
}

struct query {
	struct child c;
	char *err;
	size_t errlen, errcap, outcap;
	long t0;
	bool running;
};

int remote_query_all(const struct remotes *rs, const char *const *cmd,
		     int timeout_ms, struct remote_answer **ret)
{
	struct remote_answer *a = calloc(rs->n ? rs->n : 1, sizeof(*a));
	struct query *q = calloc(rs->n ? rs->n : 1, sizeof(*q));
	_cleanup_free_ struct pollfd *pfd =
		calloc(2 * (rs->n ? rs->n : 1), sizeof(*pfd));
	long deadline = now_ms() + timeout_ms;
	size_t live = 0;

	if (!a || !q || !pfd) {
		free(a);
		free(q);
		return -ENOMEM;
	}
	for (size_t i = 0; i < rs->n; i++) {
		char **argv = NULL;
		int k;

		a[i].r = &rs->v[i];
		q[i].c = (struct child){ 0, -1, -1, -1 };
		q[i].t0 = now_ms();
		/* the connect timeout leaves a second of the wall time for
		 * the remote's own discovery */
		k = remote_ssh_argv(&rs->v[i], cmd,
				    timeout_ms > 2000 ? timeout_ms / 1000 - 1
						      : 1,
				    &argv, &a[i].msg);
		if (k >= 0)
			k = spawn(argv, false, &q[i].c);
		remote_argv_free(argv);
		if (k < 0) {
			a[i].err = k;
			if (!a[i].msg)
				set_msg(&a[i].msg, "cannot run ssh: %s",
					strerror(-k));
			continue;
		}
		q[i].running = true;
		live++;
	}
	while (live) {
		long left = deadline - now_ms();
		size_t np = 0;

		if (left <= 0)
			break;
		for (size_t i = 0; i < rs->n; i++) {
			pfd[2 * i] = (struct pollfd){ q[i].c.out, POLLIN, 0 };
			pfd[2 * i + 1] =
				(struct pollfd){ q[i].c.err, POLLIN, 0 };
			np += 2;
		}
		if (poll(pfd, np, (int)left) < 0 && errno != EINTR)
			break;
		for (size_t i = 0; i < rs->n; i++) {
			if (!q[i].running)
				continue;
			if (q[i].c.out >= 0 && pfd[2 * i].revents &&
			    drain(q[i].c.out, &a[i].out, &a[i].len,
				  &q[i].outcap, ANSWER_MAX) <= 0) {
				closep(&q[i].c.out);
			}
			if (q[i].c.err >= 0 && pfd[2 * i + 1].revents &&
			    drain(q[i].c.err, &q[i].err, &q[i].errlen,
				  &q[i].errcap, STDERR_KEEP) <= 0) {
				closep(&q[i].c.err);
			}
			if (q[i].c.out < 0 && q[i].c.err < 0) {
				int st = 0;

				q[i].running = false;
				live--;
				a[i].ms = now_ms() - q[i].t0;
				if (wait_exit(q[i].c.pid, &st) == 0)
					explain(&a[i], st, q[i].err,
						q[i].errlen);
			}
		}
	}
	for (size_t i = 0; i < rs->n; i++) {
		int st;

		if (q[i].running) {
			_cleanup_free_ char *line =
				last_line(q[i].err ? q[i].err : "",
					  q[i].err ? q[i].errlen : 0);

			kill(q[i].c.pid, SIGKILL);
			wait_exit(q[i].c.pid, &st);
			a[i].err = -ETIMEDOUT;
			a[i].ms = now_ms() - q[i].t0;
			set_msg(&a[i].msg, "no answer within %d ms%s%s",
				timeout_ms, line ? ": " : "", line ? line : "");
		}
		child_close(&q[i].c);
		free(q[i].err);
		if (!a[i].out && !a[i].err) {
			a[i].out = strdup("");
			if (!a[i].out)
				a[i].err = -ENOMEM;
		}
	}
	free(q);
	*ret = a;
	return 0;
}

void remote_answers_free(struct remote_answer *a, size_t n)
{
	for (size_t i = 0; a && i < n; i++) {
		free(a[i].msg);
		free(a[i].out);
	}
	free(a);
}

/* The text of {key=...} in an extcap sentence, or NULL. */
static char *sentence_param(const char *line, const char *end, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = line; p + kl + 2 < end; p++) {
		if (p[0] == '{' && strncmp(p + 1, key, kl) == 0 &&
		    p[1 + kl] == '=') {
			const char *v = p + kl + 2, *e = v;

			while (e < end && *e != '}')
				e++;
			return e < end ? strndup(v, (size_t)(e - v)) : NULL;
		}
	}
	return NULL;
}

struct each_ctx {
	void (*fn)(const char *, const char *, void *);
	void *userdata;
	size_t n;
};

static int each_line(const char *line, const char *end, void *userdata)
{
	struct each_ctx *ctx = userdata;
	_cleanup_free_ char *value = NULL, *display = NULL;
	struct sbuf d = { 0 };

	if ((size_t)(end - line) < 10 || strncmp(line, "interface ", 10) != 0)
		return 0;
	value = sentence_param(line, end, "value");
	display = sentence_param(line, end, "display");
	if (!value || strncmp(value, "tc-", 3) != 0 || !value[3] ||
	    strlen(value) > 1024 || !value_chars(value) ||
	    strncmp(value, "tc-portal-", 10) == 0)
		return 0;
	/* the remote is trusted no further than any other text */
	sbuf_put_extcap(&d, display ? display : value);
	if (d.s)
		ctx->fn(value, d.s, ctx->userdata);
	sbuf_free(&d);
	ctx->n++;
	return 0;
}

size_t remote_each_interface(const char *out,
			     void (*fn)(const char *value, const char *display,
					void *userdata),
			     void *userdata)
{
	struct each_ctx ctx = { fn, userdata, 0 };

	for_each_line(out ? out : "", each_line, &ctx);
	return ctx.n;
}

int remote_capture(const struct remote *rm, const char *const *cmd,
		   int connect_timeout_s, int out_fd, int stop_fd,
		   unsigned long long *ret_bytes, char **ret_msg)
{
	struct child c = { 0, -1, -1, -1 };
	struct relay r = { 0 };
	char *err = NULL, **argv = NULL;
	size_t errlen = 0, errcap = 0;
	long stop_at = 0;
	bool stopping = false, killed = false, reader_gone = false;
	int k, st = 0;

	k = remote_ssh_argv(rm, cmd, connect_timeout_s, &argv, ret_msg);
	if (k < 0)
		return k;
	k = spawn(argv, true, &c);
	remote_argv_free(argv);
	if (k < 0) {
		set_msg(ret_msg, "cannot run ssh: %s", strerror(-k));
		return k;
	}
	log_info("remote %s: capture started over ssh (pid %d)", rm->name,
		 (int)c.pid);
	while (c.out >= 0 || c.err >= 0) {
		struct pollfd pfd[3] = {
			{ c.out, POLLIN, 0 },
			{ c.err, POLLIN, 0 },
			{ stopping ? -1 : stop_fd, POLLIN, 0 },
		};
		int timeout = -1;

		if (stopping) {
			timeout = (int)(stop_at - now_ms());
			if (timeout <= 0) {
				/* the remote did not end in time: a partial
				 * block stays unwritten */
				kill(c.pid, killed ? SIGKILL : SIGTERM);
				if (killed)
					break;
				killed = true;
				stop_at = now_ms() + 1000;
				continue;
			}
		}
		if (poll(pfd, 3, timeout) < 0 && errno != EINTR) {
			k = negerrno();
			break;
		}
		if (pfd[2].revents) {
			/* close its stdin: the remote's --stdin-stop ends
			 * its capture and file */
			log_info("remote %s: stopping", rm->name);
			closep(&c.in);
			stopping = true;
			stop_at = now_ms() + STOP_GRACE_MS;
		}
		if (c.err >= 0 && pfd[1].revents &&
		    drain(c.err, &err, &errlen, &errcap, STDERR_KEEP) <= 0) {
			closep(&c.err);
		}
		if (c.out >= 0 && pfd[0].revents) {
			int n = relay_read(&r, c.out);

			if (n <= 0) {
				closep(&c.out);
				if (n < 0)
					k = n;
			}
			if (reader_gone)
				/* drained, nobody to write to */
				relay_discard(&r);
			else if (n >= 0) {
				k = relay_flush(&r, out_fd, ret_msg);
				if (k == -EPIPE) {
					/* the reader left: stop the remote
					 * as if asked to */
					reader_gone = true;
					k = 0;
					closep(&c.in);
					stopping = true;
					stop_at = now_ms() + STOP_GRACE_MS;
				} else if (k < 0) {
					kill(c.pid, SIGTERM);
					break;
				}
			}
		}
	}
	child_close(&c);
	wait_exit(c.pid, &st);
	if (k >= 0 && !stopping && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
		_cleanup_free_ char *line = last_line(err ? err : "", errlen);

		k = -EIO;
		set_msg(ret_msg, "%s",
			line ? line : "ssh ended without a capture");
	} else if (k >= 0 && !stopping && r.bytes == 0 && !r.seen_shb) {
		k = -EIO;
		set_msg(ret_msg, "the remote sent no capture");
	}
	if (ret_bytes)
		*ret_bytes = r.bytes;
	relay_clear(&r);
	free(err);
	return k < 0 ? k : 0;
}
