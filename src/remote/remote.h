/* SPDX-License-Identifier: MIT */
/*
 * Remote hosts, all parts at once. Only for extcap/main.c until it
 * includes the two it uses (remote-value.h, remote-exclude.h); then this
 * header goes. New code includes the parts:
 *
 *   remote-config.h   the remotes configuration
 *   remote-ssh.h      the ssh sessions: queries, a capture
 *   relay.h           the pcapng relay of a capture
 *   remote-exclude.h  on the remote: the filter against our ssh session
 *   remote-value.h    the tcr- values (src/discovery, with the tc- ones)
 */
#ifndef TURTLECAP_REMOTE_H
#define TURTLECAP_REMOTE_H

#include "remote-config.h"
#include "remote-exclude.h"
#include "remote-ssh.h"
#include "remote-value.h"

#endif
