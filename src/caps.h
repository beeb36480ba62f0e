/* SPDX-License-Identifier: MIT */
/*
 * Capabilities: which ones the process holds, so that a missing privilege
 * is reported by name ("missing CAP_SYS_ADMIN") instead of a bare EPERM.
 * Uses capget(2) directly: no libcap for three syscalls.
 */
#ifndef TURTLECAP_CAPS_H
#define TURTLECAP_CAPS_H

#include <linux/capability.h>
#include <stdbool.h>

/* Whether cap is in the effective set. */
bool caps_effective(int cap);
const char *caps_name(int cap);

#endif
