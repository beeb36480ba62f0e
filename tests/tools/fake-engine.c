/* SPDX-License-Identifier: MIT */
/*
 * A hostile Docker-API engine for the tests: what a real engine won't do.
 * Listens on a unix socket and answers every request according to MODE:
 *
 *   ok         a valid engine with one running container (pid = PID arg),
 *              its versions in /_ping's headers (the others: /version)
 *   malformed  /containers/json is not JSON
 *   wrongtypes valid JSON with wrong types everywhere
 *   huge       a 100 MB body
 *   endless    a chunked body that never ends
 *   stall      accepts and never answers
 *   badpid     inspect reports pid PID (e.g. one outside its subtree)
 *   slowall    as ok (no versions), each answer after 0.9 s: a listing
 *              that takes seconds
 *   slow       one container slow-K per PID argument (pid PID), each
 *              inspect answered after 0.9 s: within the per-call limit,
 *              over any budget in all
 *   names      one running container per line "PID NAME" of the file
 *              $TC_FAKE_NAMES (any name, of any length)
 *   list       the containers of $FAKE_CONTAINERS, "NAME:ID:PID,...",
 *              each running, inspected with its PID (a liar's list)
 *
 * With $FAKE_SWAP_TO set, the bound SOCKET is then renamed away and
 * replaced by a symlink to that path (another daemon's socket): the
 * bind-then-swap trick.
 *
 * Copy it to a file named "dockerd" so the finder takes it for one.
 *   fake-engine SOCKET MODE [PID...]
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake-listen.h"

static const char *mode;
static int pid_arg = 1;
static char **slow_pids; /* slow: the PID arguments */
static int n_slow;

static void send_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void respond(int fd, const char *body)
{
	char hdr[256];

	snprintf(hdr, sizeof(hdr),
		 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
		 "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		 strlen(body));
	send_all(fd, hdr, strlen(hdr));
	send_all(fd, body, strlen(body));
}

static const char *ID =
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/* slow: the list of n_slow containers (ids 0...0K in hex), and each
 * inspect late */
static void handle_slow(int fd, const char *req)
{
	static char body[65536];
	size_t n = 0;
	unsigned k;

	if (strstr(req, "GET /_ping")) {
		const char *ok = "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\n"
				 "Server: Docker/fake-1.0 (linux)\r\n"
				 "Content-Length: 2\r\n\r\nOK";

		send_all(fd, ok, strlen(ok));
		return;
	}
	if (strstr(req, "/containers/json")) {
		n += (size_t)snprintf(body, sizeof(body), "[");
		for (int i = 0; i < n_slow && n < sizeof(body) - 256; i++)
			n += (size_t)snprintf(
				body + n, sizeof(body) - n,
				"%s{\"Id\":\"%064x\",\"Names\":[\"/slow-%d\"],"
				"\"Image\":\"fake\",\"State\":\"running\"}",
				i ? "," : "", (unsigned)i + 1, i);
		snprintf(body + n, sizeof(body) - n, "]");
		respond(fd, body);
		return;
	}
	if (sscanf(req, "GET /v1.41/containers/%x/json", &k) == 1 && k >= 1 &&
	    k <= (unsigned)n_slow) {
		usleep(900000);
		snprintf(
			body, sizeof(body),
			"{\"Id\":\"%064x\",\"State\":{\"Pid\":%s,\"Running\":true},"
			"\"HostConfig\":{\"NetworkMode\":\"bridge\"}}",
			k, slow_pids[k - 1]);
		respond(fd, body);
		return;
	}
	send_all(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", 45);
}

/* mode "names": the containers of $TC_FAKE_NAMES, ids 1, 2, ... in hex */
static void handle_names(int fd, const char *req)
{
	FILE *in = fopen(getenv("TC_FAKE_NAMES") ?: "/dev/null", "r");
	char *body = NULL, *line = NULL;
	size_t size = 0, cap = 0;
	FILE *out = open_memstream(&body, &size);
	unsigned int want = 0, i = 0;
	bool list = strstr(req, "GET /v") && strstr(req, "/containers/json") &&
		    !strstr(req, "/containers/0");

	if (!in || !out)
		exit(1);
	if (!list && sscanf(strstr(req, "/containers/") ?: "", "/containers/%x",
			    &want) != 1) {
		send_all(fd,
			 "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
			 45);
		fclose(in);
		fclose(out);
		free(body);
		return;
	}
	fputs(list ? "[" : "", out);
	while (getline(&line, &cap, in) > 0) {
		int pid;
		char *name = strchr(line, ' ');

		if (!name || sscanf(line, "%d", &pid) != 1)
			continue;
		line[strcspn(line, "\n")] = '\0';
		name++;
		if (++i != want && !list)
			continue;
		if (list) {
			fprintf(out,
				"%s{\"Id\":\"%064x\",\"Image\":\"fake\","
				"\"State\":\"running\",\"Names\":[\"/",
				i > 1 ? "," : "", i);
			/* JSON: the names of the tests need no escapes but
			 * these */
			for (char *c = name; *c; c++)
				fprintf(out, strchr("\"\\", *c) ? "\\%c" : "%c",
					*c);
			fputs("\"]}", out);
		} else {
			fprintf(out,
				"{\"Id\":\"%064x\",\"State\":{\"Pid\":%d,"
				"\"Running\":true},\"HostConfig\":"
				"{\"NetworkMode\":\"bridge\"}}",
				i, pid);
		}
	}
	fputs(list ? "]" : "", out);
	fclose(out);
	fclose(in);
	free(line);
	respond(fd, body);
	free(body);
}

/* mode "list": $FAKE_CONTAINERS */
#define LIST_MAX 16
static struct {
	char name[128], id[80];
	int pid;
} list[LIST_MAX];
static size_t n_list;

static void parse_list(void)
{
	const char *s = getenv("FAKE_CONTAINERS");

	while (s && *s && n_list < LIST_MAX) {
		int len = 0;

		if (sscanf(s, "%127[^:]:%79[^:]:%d%n", list[n_list].name,
			   list[n_list].id, &list[n_list].pid, &len) != 3)
			break;
		n_list++;
		s += len;
		s += *s == ',';
	}
}

static bool handle_list(int fd, const char *req)
{
	char body[LIST_MAX * 320 + 8];
	size_t n = 0;

	if (strcmp(mode, "list") != 0)
		return false;
	if (strstr(req, "/containers/json")) {
		n += (size_t)snprintf(body + n, sizeof(body) - n, "[");
		for (size_t i = 0; i < n_list; i++)
			n += (size_t)snprintf(
				body + n, sizeof(body) - n,
				"%s{\"Id\":\"%s\",\"Names\":[\"/%s\"],"
				"\"Image\":\"fake\",\"State\":\"running\"}",
				i ? "," : "", list[i].id, list[i].name);
		snprintf(body + n, sizeof(body) - n, "]");
		respond(fd, body);
		return true;
	}
	for (size_t i = 0; i < n_list; i++) {
		char path[128];

		snprintf(path, sizeof(path), "/containers/%s/json", list[i].id);
		if (!strstr(req, path))
			continue;
		snprintf(
			body, sizeof(body),
			"{\"Id\":\"%s\",\"State\":{\"Pid\":%d,\"Running\":true},"
			"\"HostConfig\":{\"NetworkMode\":\"bridge\"}}",
			list[i].id, list[i].pid);
		respond(fd, body);
		return true;
	}
	return false;
}

static void handle(int fd)
{
	char req[4096] = "", body[1024];
	size_t n = 0;

	while (n < sizeof(req) - 1 && !strstr(req, "\r\n\r\n")) {
		ssize_t r = read(fd, req + n, sizeof(req) - 1 - n);

		if (r <= 0)
			return;
		n += (size_t)r;
		req[n] = '\0';
	}
	if (strcmp(mode, "stall") == 0) {
		pause();
		return;
	}
	if (strcmp(mode, "slowall") == 0)
		usleep(900000);
	if (strcmp(mode, "slow") == 0) {
		handle_slow(fd, req);
		return;
	}
	/* versions in /_ping's headers only when "ok"; the others answer
	 * 404 there and are asked /version, like engines that say nothing */
	if (strstr(req, "GET /_ping")) {
		const char *ok = "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\n"
				 "Server: Docker/fake-1.0 (linux)\r\n"
				 "Content-Length: 2\r\n\r\nOK";

		if (strcmp(mode, "ok") == 0)
			send_all(fd, ok, strlen(ok));
		else
			send_all(
				fd,
				"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
				45);
		return;
	}
	if (strcmp(mode, "names") == 0 && !strstr(req, "GET /version")) {
		handle_names(fd, req);
		return;
	}
	if (strstr(req, "GET /version")) {
		respond(fd,
			strcmp(mode, "wrongtypes") == 0
				? "{\"Version\":42,\"ApiVersion\":[1]}"
				: "{\"Version\":\"fake-1.0\",\"ApiVersion\":\"1.41\"}");
		return;
	}
	if (handle_list(fd, req))
		return;
	if (strstr(req, "/containers/json") && !strstr(req, "/containers/0")) {
		if (strcmp(mode, "malformed") == 0) {
			respond(fd, "[{\"Id\": \"0123\", \"Names\": [\"/x\"");
		} else if (strcmp(mode, "wrongtypes") == 0) {
			respond(fd,
				"[{\"Id\":7,\"Names\":\"/x\"},{\"Id\":\"zz\",\"Names\":[3]},"
				"{\"Id\":\"0123456789abcdef\",\"Names\":[\"/../../etc\"],\"State\":{}}]");
		} else if (strcmp(mode, "huge") == 0) {
			static char chunk[65536];
			char hdr[256];
			size_t total = 100u << 20;

			memset(chunk, ' ', sizeof(chunk));
			snprintf(
				hdr, sizeof(hdr),
				"HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n[",
				total);
			send_all(fd, hdr, strlen(hdr));
			for (size_t s = 1; s < total; s += sizeof(chunk))
				send_all(fd, chunk, sizeof(chunk));
		} else if (strcmp(mode, "endless") == 0) {
			const char *hdr =
				"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

			send_all(fd, hdr, strlen(hdr));
			for (;;) {
				if (write(fd, "1\r\n[\r\n", 6) <= 0)
					return;
				usleep(50000);
			}
		} else {
			snprintf(
				body, sizeof(body),
				"[{\"Id\":\"%s\",\"Names\":[\"/fake-%s\"],\"Image\":\"fake\","
				"\"State\":\"running\"}]",
				ID, mode);
			respond(fd, body);
		}
		return;
	}
	if (strstr(req, "/containers/0123")) {
		snprintf(
			body, sizeof(body),
			"{\"Id\":\"%s\",\"State\":{\"Pid\":%d,\"Running\":true},"
			"\"HostConfig\":{\"NetworkMode\":\"bridge\"}}",
			ID, pid_arg);
		respond(fd, body);
		return;
	}
	send_all(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", 45);
}

int main(int argc, char **argv)
{
	long pid;
	int lfd = fake_listen(argc, argv, &mode, &pid);
	const char *swap = getenv("FAKE_SWAP_TO");

	if (pid > 0)
		pid_arg = (int)pid;
	slow_pids = argv + 3;
	n_slow = argc > 3 ? argc - 3 : 0;
	signal(SIGCHLD, SIG_IGN); /* no zombies */
	parse_list();
	if (swap && *swap) {
		char gone[4200];

		snprintf(gone, sizeof(gone), "%s.gone", argv[1]);
		if (rename(argv[1], gone) < 0 || symlink(swap, argv[1]) < 0) {
			perror("swap");
			return 1;
		}
	}
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		/* slow: each connection in a child of its own, so that a
		 * client that gave up on one leaves the next unhindered */
		if (n_slow && strcmp(mode, "slow") == 0 && fork() == 0) {
			handle(fd);
			_exit(0);
		} else if (!n_slow || strcmp(mode, "slow") != 0) {
			handle(fd);
		}
		close(fd);
	}
}
