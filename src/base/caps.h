/* SPDX-License-Identifier: MIT */
/*
 * Capabilities, dumpcap-style: the installed binary holds a few file
 * capabilities as permitted only; each is raised to effective around the
 * operation that needs it, lowered after, and all are dropped (with
 * no-new-privs) before the program writes captured data or its answers.
 * Missing ones are reported by name ("missing CAP_SYS_ADMIN").
 *
 * Capabilities are per thread on Linux: these act on the calling thread
 * only, and a new thread starts with its creator's sets. Uses
 * capget(2)/capset(2) directly: no libcap for a few syscalls.
 */
#ifndef TURTLECAP_CAPS_H
#define TURTLECAP_CAPS_H

#include <linux/capability.h>
#include <stdbool.h>
#include <stdint.h>

#define CAPS_BIT(cap) (UINT64_C(1) << (cap))

/* What each operation raises (docs/security.md says why). */
/* other users' /proc/PID/{ns,root,fd,mountinfo} */
#define CAPS_PROC CAPS_BIT(CAP_SYS_PTRACE)
/* ... and engine sockets (root 0660) and the paths to them; covers
 * what CAP_DAC_READ_SEARCH would, so that one is not asked for */
#define CAPS_ENGINES (CAPS_PROC | CAPS_BIT(CAP_DAC_OVERRIDE))
/* setns(2) into another network namespace */
#define CAPS_NETNS CAPS_BIT(CAP_SYS_ADMIN)
/* packet sockets; promiscuous mode through them (PACKET_MR_PROMISC)
 * needs no CAP_NET_ADMIN, so the package does not grant it (root has it) */
#define CAPS_CAPTURE (CAPS_BIT(CAP_NET_RAW) | CAPS_BIT(CAP_NET_ADMIN))
/* all of the above; the package grants these but CAP_NET_ADMIN */
#define CAPS_ALL (CAPS_ENGINES | CAPS_NETNS | CAPS_CAPTURE)

/* Whether cap is in the effective set. */
bool caps_effective(int cap);
/* Around an operation that must run without mask: lower those of it
 * that are effective and return them, for caps_raise() after. */
uint64_t caps_suspend(uint64_t mask);
/* Around an operation that needs mask: raise it (what is permitted) and
 * return what was not effective before, for caps_lower() after. */
uint64_t caps_raise_new(uint64_t mask);
/* Whether cap is in the permitted set (effective or can be raised). */
bool caps_permitted(int cap);
/* Raise to effective those of mask that are permitted; the others stay
 * off (callers check caps_effective() and say which is missing). */
int caps_raise(uint64_t mask);
/* Lower mask from effective; permitted stays. */
int caps_lower(uint64_t mask);
/* Drop every capability of this thread for good (effective, permitted,
 * inheritable, hence ambient) and set no-new-privs: nothing this thread
 * does or execs later can regain one. */
int caps_drop(void);
const char *caps_name(int cap);

#endif
