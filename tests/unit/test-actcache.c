/* SPDX-License-Identifier: MIT */
/* config (files, environment, origins) and the activator cache (a hit only
 * while the processes it names are unchanged; a private directory). */
#include <fcntl.h>
#include <sys/stat.h>

#include "actcache.h"
#include "config.h"
#include "tap.h"
#include "util.h"

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_config(const char *dir)
{
	char sys[512], user[512];

	snprintf(sys, sizeof(sys), "%s/system.conf", dir);
	snprintf(user, sizeof(user), "%s/user.conf", dir);
	write_text(sys, "# comment\n list = all \nactivators = systemd, sockd\n"
			"bogus = 1\nno equals sign\nactivator_cache = maybe\n"
			"engines = docker#1 # a comment\n");
	write_text(user, "activators=systemd tc-sockact\n");
	unsetenv("TURTLECAP_LIST");
	unsetenv("TURTLECAP_ACTIVATORS");
	setenv("TURTLECAP_ACTIVATOR_CACHE", "no", 1);
	config_load_from(sys, user);
	CHECK_STREQ(config_get("list"), "all");
	CHECK_STREQ(config_origin("list"), sys);
	/* the user's file overrides the system's */
	CHECK_STREQ(config_get("activators"), "systemd tc-sockact");
	CHECK(config_list_has("activators", "tc-sockact"));
	CHECK(config_list_has("activators", "systemd"));
	CHECK(!config_list_has("activators", "sockd"));
	CHECK(!config_list_has("activators", "tc-sock"));
	/* the environment overrides both */
	CHECK(!config_get_bool("activator_cache", true));
	CHECK_STREQ(config_origin("activator_cache"), "environment");
	CHECK(config_get("bogus") == NULL);
	/* a comment after white space ends the value, a '#' inside not */
	CHECK_STREQ(config_get("engines"), "docker#1");

	/* defaults without files; a bad boolean keeps the default */
	unsetenv("TURTLECAP_ACTIVATOR_CACHE");
	config_load_from("/nonexistent/a", NULL);
	CHECK_STREQ(config_get("list"), "default");
	CHECK_STREQ(config_origin("list"), "default");
	CHECK_STREQ(config_get("activators"), "systemd");
	setenv("TURTLECAP_ACTIVATOR_CACHE", "maybe", 1);
	config_load_from(NULL, NULL);
	CHECK(config_get_bool("activator_cache", true));
	unsetenv("TURTLECAP_ACTIVATOR_CACHE");
}

/* writable strings: struct container owns char * */
static char s_web[] = "web";
static char s_abc123[] = "abc123";
static char s_img_1[] = "img:1";
static char s_running[] = "running";
static char s_p_infra[] = "p-infra";
static char s_my_pod[] = "my pod";
static char s_other[] = "other";
static char s_4_3_1[] = "4.3.1";
static char s_1_41[] = "1.41";

static struct proc_entry procs[] = {
	{ .pid = 100,
	  .ppid = 1,
	  .comm = "tc-sockact",
	  .starttime = 5,
	  .ns.pid = 1000 },
	{ .pid = 200,
	  .ppid = 1,
	  .comm = "conmon",
	  .starttime = 10,
	  .ns.pid = 1000 },
	{ .pid = 201,
	  .ppid = 200,
	  .comm = "httpd",
	  .starttime = 11,
	  .ns.pid = 1000 },
	{ .pid = 300,
	  .ppid = 1,
	  .comm = "conmon",
	  .starttime = 20,
	  .ns.pid = 1000 },
	{ .pid = 301,
	  .ppid = 300,
	  .comm = "catatonit",
	  .starttime = 21,
	  .ns.pid = 1000 },
};

static void test_cache(const char *dir)
{
	struct proc_table t = { .v = procs, .n = ELEMENTSOF(procs) };
	struct engine_endpoint ep = { .activator = 100,
				      .act_starttime = 5,
				      .act_sock = 4242,
				      .sock_dev = 1,
				      .sock_ino = 77 };
	struct container cv[3] = {
		{ .name = s_web,
		  .id = s_abc123,
		  .image = s_img_1,
		  .state = s_running,
		  .engine_pid = 7,
		  .pid = 201,
		  .endpoint = 2 },
		{ .name = s_p_infra,
		  .pod = s_my_pod,
		  .infra = true,
		  .engine_pid = 8,
		  .pid = 301,
		  .endpoint = 2 },
		/* another endpoint's: not stored */
		{ .name = s_other, .pid = 100, .endpoint = 1 },
	};
	struct container_list cl = { .v = cv, .n = 3 };
	struct engine_info info = { .version = s_4_3_1, .api_version = s_1_41 };
	struct container_list out = { 0 };
	struct engine_info got = { 0 };
	uint64_t key = actcache_key(&ep);
	char cdir[512];

	snprintf(cdir, sizeof(cdir), "%s/cache", dir);
	actcache_set_dir(cdir);
	CHECK_EQ(actcache_load(&t, &ep, 2, &out, &got), 0); /* nothing yet */
	CHECK_EQ(actcache_store(&t, &ep, 2, &cl, &info), 0);
	{
		struct stat st;

		CHECK(stat(cdir, &st) == 0 && (st.st_mode & 0777) == 0700);
	}
	CHECK_EQ(actcache_load(&t, &ep, 5, &out, &got), 1);
	CHECK_EQ(out.n, 2);
	if (out.n == 2) {
		CHECK_STREQ(out.v[0].name, "web");
		CHECK_STREQ(out.v[0].image, "img:1");
		CHECK_EQ(out.v[0].pid, 201);
		CHECK_EQ(out.v[0].engine_pid, 7);
		CHECK_EQ(out.v[0].endpoint, 5);
		CHECK(out.v[0].pod == NULL && !out.v[0].infra);
		CHECK_STREQ(out.v[1].pod, "my pod");
		CHECK(out.v[1].infra);
		CHECK(out.v[1].state == NULL);
	}
	CHECK_STREQ(got.version, "4.3.1");
	CHECK_STREQ(got.api_version, "1.41");
	container_list_clear(&out);
	engine_info_clear(&got);

	/* another activator (or socket): another key, a miss */
	ep.act_starttime = 6;
	CHECK(actcache_key(&ep) != key);
	CHECK_EQ(actcache_load(&t, &ep, 2, &out, &got), 0);
	ep.act_starttime = 5;

	/* a container's process replaced (same pid, new start time) */
	procs[2].starttime = 12;
	CHECK_EQ(actcache_load(&t, &ep, 2, &out, &got), 0);
	procs[2].starttime = 11;
	CHECK_EQ(actcache_load(&t, &ep, 2, &out, &got), 1);
	container_list_clear(&out);
	engine_info_clear(&got);

	/* a container started or stopped: its monitor set changed */
	strcpy(procs[4].comm, "conmon");
	CHECK_EQ(actcache_load(&t, &ep, 2, &out, &got), 0);
	/* ... but not one of another pid namespace (a nested engine's) */
	procs[4].ns.pid = 2000;
	CHECK_EQ(actcache_load(&t, &ep, 2, &out, &got), 1);
	container_list_clear(&out);
	engine_info_clear(&got);
	procs[4].ns.pid = 1000;
	strcpy(procs[4].comm, "catatonit");
	t.n = 3; /* conmon 300 and its container gone */
	CHECK_EQ(actcache_load(&t, &ep, 2, &out, &got), 0);
	t.n = ELEMENTSOF(procs);

	/* garbage in the file: a miss, never an error */
	{
		char f[700];

		snprintf(f, sizeof(f), "%s/act-%016llx.cache", cdir,
			 (unsigned long long)key);
		write_text(f, "turtlecap-activator-cache 1\nctr 1 2\n");
		CHECK_EQ(actcache_load(&t, &ep, 2, &out, &got), 0);
		write_text(f, "something else\n");
		CHECK_EQ(actcache_load(&t, &ep, 2, &out, &got), 0);
		CHECK(out.n == 0 && got.version == NULL);
	}
	/* a directory others can write is not used */
	CHECK_EQ(actcache_store(&t, &ep, 2, &cl, &info), 0);
	CHECK(chmod(cdir, 0777) == 0);
	CHECK_EQ(actcache_load(&t, &ep, 2, &out, &got), 0);
	CHECK(actcache_store(&t, &ep, 2, &cl, &info) == -EPERM);
	actcache_set_dir(NULL);
}

int main(int argc, char **argv)
{
	char tmpl[] = "/tmp/tc-actcache.XXXXXX", *dir;

	tap_init(argc, argv);
	dir = mkdtemp(tmpl);
	CHECK(dir != NULL);
	if (!dir)
		return tap_done();
	test_config(dir);
	test_cache(dir);
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		CHECK(system(cmd) == 0);
	}
	return tap_done();
}
