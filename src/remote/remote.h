/* SPDX-License-Identifier: MIT */
/*
 * Remote hosts: their turtlecap reached over OpenSSH's client, the only
 * program turtlecap ever executes (docs/remote.md says why not libssh).
 *
 * A remote is "NAME [USER@]HOST[:PORT] [PATH]" (a line of
 * /etc/turtlecap/remotes or ~/.config/turtlecap/remotes) or
 * "NAME=[USER@]HOST[:PORT]" (the `remotes` setting, --remote). Its
 * interfaces are the remote turtlecap's, valued
 *
 *   tcr-NAME.REST    the remote's tc-REST, NAME escaped like any name
 *
 * so the first '.' ends NAME (an escaped name holds none) and the value
 * round-trips. ssh runs by absolute path with an argument vector, in batch
 * mode with a connect timeout, honouring the user's ~/.ssh/config, agent
 * and known_hosts; the remote command is one string of single-quoted words.
 */
#ifndef TURTLECAP_REMOTE_H
#define TURTLECAP_REMOTE_H

#include <stdbool.h>
#include <stddef.h>

#define REMOTE_PREFIX	    "tcr-"
#define REMOTE_SYSTEM_FILE  "/etc/turtlecap/remotes"
#define REMOTE_DEFAULT_PATH "turtlecap"
#define REMOTE_NAME_MAX	    64

struct remote {
	char *name;
	char *user; /* or NULL: ssh's own choice (~/.ssh/config) */
	char *host;
	char *port; /* or NULL */
	char *path; /* the remote turtlecap */
	const char *origin;
};

struct remotes {
	struct remote *v;
	size_t n, cap;
	char *origins[2]; /* owned file paths */
};

/* "NAME [USER@]HOST[:PORT] [PATH]" (blank, a comment: -ENOENT). */
int remote_parse_line(const char *line, struct remote *ret, char **ret_msg);
/* "NAME=[USER@]HOST[:PORT]"; a bare destination is named after its host. */
int remote_parse_spec(const char *spec, struct remote *ret, char **ret_msg);
void remote_clear(struct remote *r);

/* The files, then the `remotes` setting, then specs (NULL-ended, may be
 * NULL); a later entry of the same name replaces the earlier. Bad entries
 * are logged and skipped. -ENOMEM. */
int remotes_load(struct remotes *ret, const char *const *specs);
/* The same from given files (tests). */
int remotes_load_from(struct remotes *ret, const char *system_file,
		      const char *user_file, const char *const *specs);
void remotes_clear(struct remotes *rs);
const struct remote *remotes_find(const struct remotes *rs, const char *name);

/* tcr-NAME.REST for the remote's tc-REST (malloc'd; NULL if local_value
 * is not tc-... or on ENOMEM). */
char *remote_value(const char *name, const char *local_value);
/* The reverse: -EINVAL if value is no remote value. */
int remote_value_parse(const char *value, char **ret_name,
		       char **ret_local_value);

/* ssh's argv to run the words of cmd on r (NULL-ended, malloc'd; free
 * with remote_argv_free). -EINVAL (message) if the ssh setting is not an
 * absolute path. */
int remote_ssh_argv(const struct remote *r, const char *const *cmd,
		    int connect_timeout_s, char ***ret, char **ret_msg);
void remote_argv_free(char **argv);

/* One remote's answer to a query. */
struct remote_answer {
	const struct remote *r;
	int err;   /* 0, or -errno; msg says why */
	char *msg; /* one line, or NULL */
	char *out; /* its stdout, NUL-terminated */
	size_t len;
	long ms; /* wall time */
};

/*
 * Run the words of cmd (after the remote turtlecap) on every remote at
 * once, each bounded by timeout_ms of wall time (then killed: -ETIMEDOUT).
 * *ret has rs->n answers. -ENOMEM.
 */
int remote_query_all(const struct remotes *rs, const char *const *cmd,
		     int timeout_ms, struct remote_answer **ret);
void remote_answers_free(struct remote_answer *a, size_t n);

/*
 * Each interface of a remote's --extcap-interfaces answer: fn gets the
 * remote's value and display (both checked: values [A-Za-z0-9_.-], tc-,
 * no portal; display safe in the grammar). Returns how many.
 */
size_t remote_each_interface(const char *out,
			     void (*fn)(const char *value, const char *display,
					void *userdata),
			     void *userdata);

/*
 * A capture on r: runs `PATH cmd...` over ssh and copies its pcapng to
 * out_fd in whole blocks. When stop_fd becomes readable, the remote is
 * asked to stop (its stdin closed: --stdin-stop), given a moment to end
 * its file, then ssh is killed; a partial block is never written.
 * Returns 0 for an orderly end, -errno with *ret_msg otherwise.
 */
int remote_capture(const struct remote *r, const char *const *cmd,
		   int connect_timeout_s, int out_fd, int stop_fd,
		   unsigned long long *ret_bytes, char **ret_msg);

/*
 * On the remote side: the filter that keeps our own ssh session out of a
 * capture of the namespace sshd runs in. ssh_connection is
 * $SSH_CONNECTION ("CLIENT_IP CLIENT_PORT SERVER_IP SERVER_PORT");
 * *ret = the user's filter (or none) and not that session; -EINVAL if
 * ssh_connection is not such a thing.
 */
int remote_exclude_session(const char *ssh_connection, const char *filter,
			   char **ret);

#endif
