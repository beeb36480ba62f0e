/* SPDX-License-Identifier: MIT */
/* The tcr- values of remote hosts (src/discovery/remote-value.c): the
 * round trip, dotted names, what is no remote value. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "remote-value.h"
#include "tap.h"

static void check_values(void)
{
	char *v, *name = NULL, *local = NULL;

	v = remote_value("lab", "tc-docker-web");
	CHECK_STREQ(v, "tcr-lab.docker-web");
	CHECK(remote_value_parse(v, &name, &local) == 0);
	CHECK_STREQ(name, "lab");
	CHECK_STREQ(local, "tc-docker-web");
	free(v);
	free(name);
	free(local);
	/* a dotted host name: escaped, so the first '.' ends it */
	v = remote_value("db.example.com", "tc-docker-dind.docker-inner");
	CHECK_STREQ(v, "tcr-db_2eexample_2ecom.docker-dind.docker-inner");
	CHECK(remote_value_parse(v, &name, &local) == 0);
	CHECK_STREQ(name, "db.example.com");
	CHECK_STREQ(local, "tc-docker-dind.docker-inner");
	free(v);
	free(name);
	free(local);
	CHECK(remote_value("lab", "docker-web") == NULL);
	CHECK(remote_value("lab", "tc-x;y") == NULL);
	CHECK(remote_value_parse("tc-docker-web", &name, &local) == -EINVAL);
	CHECK(remote_value_parse("tcr-lab", &name, &local) == -EINVAL);
	CHECK(remote_value_parse("tcr-.host", &name, &local) == -EINVAL);
	CHECK(remote_value_parse("tcr-lab.", &name, &local) == -EINVAL);
	CHECK(remote_value_parse("tcr-lab.ho st", &name, &local) == -EINVAL);
	CHECK(remote_value_parse("tcr-l_zz.host", &name, &local) == -EINVAL);
}

int main(int argc, char **argv)
{
	tap_init(argc, argv);
	check_values();
	return tap_done();
}
