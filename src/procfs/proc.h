/* SPDX-License-Identifier: MIT */
/*
 * The process table, read from a procfs root (a parameter, so that tests
 * can replay a recorded tree). Processes vanish while we scan: such
 * entries are skipped silently (proc_gone()), never reported as errors.
 */
#ifndef TURTLECAP_PROC_H
#define TURTLECAP_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define PROC_COMM_MAX 64 /* the kernel's is 16; room for escaping */

/* Inode numbers of a process's namespaces; 0 = unknown (no access). */
struct proc_ns {
	uint64_t net, mnt, pid, user;
};

struct proc_entry {
	pid_t pid, ppid;
	char comm[PROC_COMM_MAX];
	uint64_t starttime; /* clock ticks after boot */
	unsigned int flags; /* PF_* from stat */
	struct proc_ns ns;
};

struct proc_table {
	struct proc_entry *v; /* sorted by pid */
	size_t n, cap;
	uint64_t nsfs_dev; /* st_dev shared by all ns inodes (nsfs) */
};

#define PROC_PF_KTHREAD 0x00200000U

void proc_table_clear(struct proc_table *t);

/*
 * Scan every process under procfs (normally "/proc"): stat fields and
 * namespace inodes. Kernel threads are left out. Returns the number of
 * processes, or -errno if procfs itself cannot be read.
 */
int proc_table_scan(const char *procfs, struct proc_table *ret);

/* The same in two steps, for discovery to start asking the engines in
 * between: _scan_stat() reads the stat fields (ns all 0), _read_ns() the
 * namespaces of every entry, dropping those gone meanwhile (entries may
 * move: no pointer into t survives it). */
int proc_table_scan_stat(const char *procfs, struct proc_table *ret);
int proc_table_read_ns(const char *procfs, struct proc_table *t);
/* One entry's namespaces, ahead of the others. */
int proc_entry_read_ns(const char *procfs, struct proc_entry *e);

const struct proc_entry *proc_table_find(const struct proc_table *t, pid_t pid);

/*
 * Parse the content of /proc/PID/stat. comm may contain spaces and ')':
 * it ends at the last ')'. -EBADMSG if malformed.
 */
int proc_parse_stat(const char *buf, struct proc_entry *e);

/* Namespace inodes of one process; fields it cannot read stay 0. */
int proc_read_ns(int piddirfd, struct proc_ns *ret, uint64_t *ret_dev);

/* Is p, or one of its ancestors, in the pid namespace pidns? Processes
 * can only create children in their own pid namespace or below it, so
 * this holds exactly for p inside pidns's subtree. */
bool proc_in_pidns_subtree(const struct proc_table *t,
			   const struct proc_entry *p, uint64_t pidns);

/* /proc/PID/status NSpid: the pid in each nested pid namespace,
 * outermost first. Returns the count (<= max) or -errno. */
int proc_parse_nspid(const char *status, pid_t *pids, size_t max);

/*
 * Translate a pid reported by a nested engine (in the pid namespace of its
 * daemon, host pid daemon_pid) to a host pid. Only processes inside that
 * daemon's pid-namespace subtree are considered: whatever the engine
 * claims, the answer never lies outside it. -ESRCH if none matches.
 */
int proc_translate_pid(const char *procfs, const struct proc_table *t,
		       pid_t daemon_pid, pid_t engine_pid, pid_t *ret);

#endif
