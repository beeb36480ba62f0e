/* SPDX-License-Identifier: MIT */
#include "pcapdl.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stddef.h>

/* The SONAME of libpcap 1.x on Debian (and most distributions); only the
 * loader's trusted directories are searched when running with file
 * capabilities (secure-execution mode ignores LD_LIBRARY_PATH). */
static const char *const sonames[] = { "libpcap.so.0.8", "libpcap.so.1",
				       "libpcap.so" };

static struct pcapdl lib;
static int lib_err = -ENOENT;
static const char *lib_msg = "libpcap was not loaded";
static pthread_once_t once = PTHREAD_ONCE_INIT;

#define SYM(field, name)                                 \
	do {                                             \
		*(void **)&lib.field = dlsym(h, name);   \
		if (!lib.field) {                        \
			lib_msg = "libpcap lacks " name; \
			return;                          \
		}                                        \
	} while (0)

static void load(void)
{
	void *h = NULL;

	for (size_t i = 0; !h && i < sizeof(sonames) / sizeof(*sonames); i++)
		h = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		lib_msg =
			"cannot load libpcap (libpcap.so.0.8): install libpcap0.8";
		return;
	}
	SYM(create, "pcap_create");
	SYM(set_snaplen, "pcap_set_snaplen");
	SYM(set_promisc, "pcap_set_promisc");
	SYM(set_timeout, "pcap_set_timeout");
	SYM(set_immediate_mode, "pcap_set_immediate_mode");
	SYM(set_buffer_size, "pcap_set_buffer_size");
	SYM(set_tstamp_precision, "pcap_set_tstamp_precision");
	SYM(activate, "pcap_activate");
	SYM(datalink, "pcap_datalink");
	SYM(snapshot, "pcap_snapshot");
	SYM(setdirection, "pcap_setdirection");
	SYM(compile, "pcap_compile");
	SYM(setfilter, "pcap_setfilter");
	SYM(freecode, "pcap_freecode");
	SYM(setnonblock, "pcap_setnonblock");
	SYM(get_selectable_fd, "pcap_get_selectable_fd");
	SYM(dispatch, "pcap_dispatch");
	SYM(stats, "pcap_stats");
	SYM(geterr, "pcap_geterr");
	SYM(statustostr, "pcap_statustostr");
	SYM(close, "pcap_close");
	SYM(open_dead, "pcap_open_dead");
	lib_err = 0;
	lib_msg = NULL;
}

int pcapdl_get(const struct pcapdl **ret, const char **ret_err)
{
	pthread_once(&once, load);
	if (lib_err < 0) {
		if (ret_err)
			*ret_err = lib_msg;
		return lib_err;
	}
	*ret = &lib;
	return 0;
}
