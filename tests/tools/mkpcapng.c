/* SPDX-License-Identifier: MIT */
/*
 * turtlecap-mkpcapng: write a pcapng file with chosen interface
 * descriptions, for the plugin tests (container metadata before the
 * engines exist, malformed metadata, foreign descriptions).
 *
 *   turtlecap-mkpcapng OUT NAME DESCFILE COUNT [NAME DESCFILE COUNT]...
 *
 * One Ethernet IDB per triplet: if_name NAME, if_description the bytes of
 * DESCFILE ("-": no description), and COUNT dummy frames on it. Frames are
 * written round-robin over the interfaces (1st of each, 2nd of each, ...)
 * so that the frames of one interface are not contiguous. Uses the
 * project's own pcapng writer (src/pcapng.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcapng.h"

#define MAX_IFS	  64
#define FRAME_LEN 60

static int usage(void)
{
	fprintf(stderr, "usage: turtlecap-mkpcapng OUT NAME DESCFILE COUNT "
			"[NAME DESCFILE COUNT]...\n");
	return 2;
}

/* The whole file as a string (NUL bytes would end it early). */
static char *read_desc(const char *path)
{
	FILE *f = fopen(path, "rbe");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(PCAPNG_OPTION_MAX + 2);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, PCAPNG_OPTION_MAX + 1, f);
	fclose(f);
	if (n > PCAPNG_OPTION_MAX) {
		free(buf);
		errno = E2BIG;
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

int main(int argc, char **argv)
{
	struct pcapng_writer *w = NULL;
	unsigned long counts[MAX_IFS], most = 0;
	uint32_t ids[MAX_IFS];
	int nifs, fd, r;

	if (argc < 5 || (argc - 2) % 3 != 0 || (argc - 2) / 3 > MAX_IFS)
		return usage();
	nifs = (argc - 2) / 3;

	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	r = pcapng_writer_new(fd, &w);
	if (r == 0) {
		struct pcapng_shb shb = {
			.userappl = "turtlecap-mkpcapng (tests)"
		};

		r = pcapng_write_shb(w, &shb);
	}
	for (int i = 0; r == 0 && i < nifs; i++) {
		const char *name = argv[2 + 3 * i], *dpath = argv[3 + 3 * i];
		char *desc = NULL, *end;
		struct pcapng_idb idb = { .linktype = 1, /* Ethernet */
					  .snaplen = 65535,
					  .name = name };

		errno = 0;
		counts[i] = strtoul(argv[4 + 3 * i], &end, 10);
		if (errno || *end || end == argv[4 + 3 * i] ||
		    counts[i] > 100000) {
			fprintf(stderr, "bad COUNT: %s\n", argv[4 + 3 * i]);
			pcapng_writer_free(w);
			return 2;
		}
		if (counts[i] > most)
			most = counts[i];
		if (strcmp(dpath, "-") != 0) {
			desc = read_desc(dpath);
			if (!desc) {
				perror(dpath);
				pcapng_writer_free(w);
				return 1;
			}
		}
		idb.description = desc;
		r = pcapng_write_idb(w, &idb, &ids[i]);
		free(desc);
	}
	for (unsigned long k = 0; r == 0 && k < most; k++) {
		for (int i = 0; r == 0 && i < nifs; i++) {
			unsigned char f[FRAME_LEN] = {
				0x02, 0,    0,
				0,    0,    (unsigned char)(i + 1), /* dst */
				0x02, 0,    0,
				0,    0,    0xfe, /* src */
				0x88, 0xb5, /* local experimental ethertype */
			};
			uint64_t ts =
				UINT64_C(1700000000) * UINT64_C(1000000000) +
				(uint64_t)k * UINT64_C(1000000) +
				(uint64_t)i * UINT64_C(1000);

			if (k >= counts[i])
				continue;
			snprintf((char *)f + 14, FRAME_LEN - 14,
				 "turtle %d.%lu", i, k);
			r = pcapng_write_epb(w, ids[i], ts, f, FRAME_LEN,
					     FRAME_LEN, 0, NULL);
		}
	}
	if (r == 0)
		r = pcapng_writer_flush(w);
	pcapng_writer_free(w);
	if (r < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(-r));
		return 1;
	}
	return 0;
}
