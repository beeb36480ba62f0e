/* SPDX-License-Identifier: MIT */
#include "caps.h"

#include <errno.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

struct capsets {
	uint64_t eff, prm, inh;
};

static int get(struct capsets *s)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = { 0 };

	if (syscall(SYS_capget, &hdr, d) < 0)
		return negerrno();
	s->eff = d[0].effective | (uint64_t)d[1].effective << 32;
	s->prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	s->inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

/* capset(2) with pid 0 changes the calling thread only (glibc does not
 * broadcast it like setuid) — which is what we want. */
static int set(const struct capsets *s)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = {
		{ (uint32_t)s->eff, (uint32_t)s->prm, (uint32_t)s->inh },
		{ (uint32_t)(s->eff >> 32), (uint32_t)(s->prm >> 32),
		  (uint32_t)(s->inh >> 32) },
	};

	if (syscall(SYS_capset, &hdr, d) < 0)
		return negerrno();
	return 0;
}

static bool valid(int cap)
{
	return cap >= 0 && cap < 64;
}

bool caps_effective(int cap)
{
	struct capsets s;

	return valid(cap) && get(&s) == 0 && (s.eff & CAPS_BIT(cap));
}

static uint64_t effective_of(uint64_t mask)
{
	struct capsets s;

	return get(&s) == 0 ? s.eff & mask : 0;
}

uint64_t caps_suspend(uint64_t mask)
{
	uint64_t had = effective_of(mask);

	caps_lower(had);
	return had;
}

uint64_t caps_raise_new(uint64_t mask)
{
	uint64_t had = effective_of(mask);

	caps_raise(mask);
	return effective_of(mask) & ~had;
}

bool caps_permitted(int cap)
{
	struct capsets s;

	return valid(cap) && get(&s) == 0 && (s.prm & CAPS_BIT(cap));
}

int caps_raise(uint64_t mask)
{
	struct capsets s;
	int r = get(&s);

	if (r < 0)
		return r;
	if ((s.eff & mask) == (s.prm & mask))
		return 0; /* nothing to do: spare the syscall */
	s.eff |= mask & s.prm;
	return set(&s);
}

int caps_lower(uint64_t mask)
{
	struct capsets s;
	int r = get(&s);

	if (r < 0)
		return r;
	if (!(s.eff & mask))
		return 0;
	s.eff &= ~mask;
	return set(&s);
}

int caps_drop(void)
{
	struct capsets s;
	int r = get(&s);

	if (r < 0)
		return r;
	if (s.eff || s.prm || s.inh) {
		/* ambient caps go with permitted (they must be a subset) */
		s = (struct capsets){ 0 };
		r = set(&s);
		if (r < 0)
			return r;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return negerrno();
	return 0;
}

const char *caps_name(int cap)
{
	switch (cap) {
	case CAP_SYS_ADMIN:
		return "CAP_SYS_ADMIN";
	case CAP_NET_RAW:
		return "CAP_NET_RAW";
	case CAP_NET_ADMIN:
		return "CAP_NET_ADMIN";
	case CAP_SYS_PTRACE:
		return "CAP_SYS_PTRACE";
	case CAP_DAC_READ_SEARCH:
		return "CAP_DAC_READ_SEARCH";
	case CAP_DAC_OVERRIDE:
		return "CAP_DAC_OVERRIDE";
	default:
		return "CAP_?";
	}
}
