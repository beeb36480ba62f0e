/* SPDX-License-Identifier: MIT */
/*
 * Protobuf from an engine, decoded without trusting it: protobuf-c's
 * unpack under an allocation budget (it bounds nothing itself; the
 * transport's limit bounds the input, this bounds what the decoder makes
 * of it: a repeated empty message costs 2 bytes on the wire and a struct
 * in memory), and the checks every field gets before it becomes part of
 * a struct container. Part of the engines module; no I/O.
 */
#ifndef TURTLECAP_PB_H
#define TURTLECAP_PB_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define PB_STR_MAX   1024	 /* longest string taken from an engine */
#define PB_ALLOC_MAX (64U << 20) /* what one unpack may allocate */
#define PB_ID_MAX    76		 /* containerd's identifier limit */

/* Unpack len bytes as a d; NULL if malformed or over the budget. Free
 * with pb_free(). */
void *pb_unpack(const ProtobufCMessageDescriptor *d, const uint8_t *buf,
		size_t len);
void pb_free(void *m);

/* Serialize a request: malloc'd (len may be 0, never NULL). */
int pb_pack(const void *m, uint8_t **ret, size_t *ret_len);

/* An identifier as containerd allows them (ids, namespaces), which CRI
 * ids are too: [A-Za-z0-9._-], 1..76 bytes. */
bool pb_valid_id(const char *s);

/* A copy of s cut at PB_STR_MAX bytes; NULL for NULL or "" (absent in
 * proto3) or on ENOMEM. */
char *pb_str(const char *s);

#endif
