/* SPDX-License-Identifier: MIT */
#include "pb.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct budget {
	size_t used;
};

static void *budget_alloc(void *data, size_t size)
{
	struct budget *b = data;

	if (size > PB_ALLOC_MAX - b->used)
		return NULL;
	b->used += size;
	return malloc(size ? size : 1);
}

static void budget_free(void *data, void *p)
{
	(void)data;
	free(p);
}

void *pb_unpack(const ProtobufCMessageDescriptor *d, const uint8_t *buf,
		size_t len)
{
	struct budget b = { 0 };
	ProtobufCAllocator a = {
		.alloc = budget_alloc,
		.free = budget_free,
		.allocator_data = &b,
	};

	/* protobuf-c needs a pointer even for an empty message */
	return protobuf_c_message_unpack(d, &a, len,
					 buf ? buf : (const uint8_t *)"");
}

void pb_free(void *m)
{
	/* the budget's free is plain free() */
	if (m)
		protobuf_c_message_free_unpacked(m, NULL);
}

int pb_pack(const void *m, uint8_t **ret, size_t *ret_len)
{
	size_t n = protobuf_c_message_get_packed_size(m);
	uint8_t *buf = malloc(n ? n : 1);

	if (!buf)
		return -ENOMEM;
	*ret_len = protobuf_c_message_pack(m, buf);
	*ret = buf;
	return 0;
}

bool pb_valid_id(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 1 || n > PB_ID_MAX)
		return false;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789._-") == n;
}

char *pb_str(const char *s)
{
	return s && *s ? strndup(s, PB_STR_MAX) : NULL;
}
