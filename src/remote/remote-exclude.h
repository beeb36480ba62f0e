/* SPDX-License-Identifier: MIT */
/*
 * On the remote side: the capture filter that keeps our own ssh session
 * (the relay's stream) out of a capture of the namespace sshd runs in.
 */
#ifndef TURTLECAP_REMOTE_EXCLUDE_H
#define TURTLECAP_REMOTE_EXCLUDE_H

/*
 * ssh_connection is $SSH_CONNECTION ("CLIENT_IP CLIENT_PORT SERVER_IP
 * SERVER_PORT"); *ret = the user's filter (or none) and not that session;
 * -EINVAL if ssh_connection is not such a thing.
 */
int remote_exclude_session(const char *ssh_connection, const char *filter,
			   char **ret);

#endif
