/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the plugin's metadata parser (plugin/turtle-meta.c).
 * Besides crashes and sanitizer reports, it checks what the plugin relies
 * on (abort() when broken): the status is one of the four, every string
 * of an OK result is valid UTF-8 without NUL of bounded length, the
 * required keys are there, and the lineage is joined from the levels.
 * Built with libFuzzer when TURTLECAP_FUZZ=ON (clang); replay.c feeds the
 * corpus to the same entry point as a plain CTest test.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "turtle-meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every allocation of one parse, freed together. */
struct arena {
	void **v;
	size_t n, cap;
	size_t fail_after; /* 0 = never fail */
};

static void *arena_alloc(void *ctx, size_t size)
{
	struct arena *a = ctx;
	void *p;

	if (a->fail_after && a->n + 1 >= a->fail_after)
		return NULL;
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		void **v = realloc(a->v, cap * sizeof(*v));

		if (!v)
			abort();
		a->v = v;
		a->cap = cap;
	}
	p = malloc(size);
	if (!p)
		abort();
	a->v[a->n++] = p;
	return p;
}

static void arena_free(struct arena *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

/* Strict UTF-8 (base's decoder, tested on its own in unit-text), no NUL. */
static int valid_text(const char *s, size_t max)
{
	size_t len = strlen(s);

	return len <= max && utf8_valid(s, len);
}

static void check_str(const char *s)
{
	if (s && !valid_text(s, TURTLE_STR_MAX))
		abort();
}

static void check(const struct turtle_meta *m, const uint8_t *data, size_t size)
{
	const size_t plen = strlen(TURTLE_META_PREFIX);
	size_t seplen = strlen(TURTLE_LINEAGE_SEP), want = 0;

	if (memchr(m->message, '\0', sizeof(m->message)) == NULL)
		abort();
	switch (m->status) {
	case TURTLE_META_NOT_OURS:
		if (size >= plen && memcmp(data, TURTLE_META_PREFIX, plen) == 0)
			abort();
		return;
	case TURTLE_META_MALFORMED:
	case TURTLE_META_FUTURE:
		if (!m->message[0])
			abort();
		return;
	case TURTLE_META_OK:
		break;
	default:
		abort();
	}
	if (!m->host || !m->target || !m->kind || !m->lineage ||
	    !m->target_name || m->n_levels < 1 ||
	    m->n_levels > TURTLE_LEVELS_MAX || m->version < 1 ||
	    m->version > TURTLE_META_VERSION ||
	    m->n_members > TURTLE_MEMBERS_MAX)
		abort();
	if (m->warnings && !m->message[0])
		abort();
	check_str(m->host);
	check_str(m->target);
	check_str(m->kind);
	check_str(m->name);
	check_str(m->comm);
	check_str(m->ifname);
	check_str(m->link);
	check_str(m->ifkind);
	check_str(m->container);
	check_str(m->id);
	check_str(m->engine);
	check_str(m->engine_version);
	check_str(m->image);
	check_str(m->pod);
	check_str(m->pod_namespace);
	check_str(m->target_name);
	for (size_t i = 0; i < m->n_members; i++) {
		if (!m->members[i])
			abort();
		check_str(m->members[i]);
	}
	for (size_t i = 0; i < m->n_levels; i++) {
		const struct turtle_level *lv = &m->levels[i];

		if (!lv->kind || !lv->name)
			abort();
		check_str(lv->kind);
		check_str(lv->name);
		check_str(lv->engine);
		check_str(lv->id);
		want += strlen(lv->name) + (i ? seplen : 0);
	}
	if (strlen(m->lineage) != want || !valid_text(m->lineage, (size_t)-1) ||
	    strncmp(m->lineage, m->levels[0].name, strlen(m->levels[0].name)) !=
		    0)
		abort();
}

static void run(const uint8_t *data, size_t size, size_t fail_after)
{
	/* an exact-size copy: ASan sees any read past the end */
	char *buf = malloc(size ? size : 1);
	struct arena a = { .fail_after = fail_after };
	struct turtle_meta m;
	int r;

	if (!buf)
		abort();
	if (size)
		memcpy(buf, data, size);
	r = turtle_meta_parse(buf, size, &m, arena_alloc, &a);
	if (r == 0)
		check(&m, data, size);
	else if (!fail_after)
		abort(); /* -ENOMEM without an allocation failure */
	arena_free(&a);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const size_t plen = strlen(TURTLE_META_PREFIX);

	run(data, size, 0);
	/* most inputs lack the prefix: also read them as what follows it, so
	 * the fuzzer explores the JSON rather than the recognition */
	if (size < plen || memcmp(data, TURTLE_META_PREFIX, plen) != 0) {
		uint8_t *p = malloc(plen + size);

		if (!p)
			abort();
		memcpy(p, TURTLE_META_PREFIX, plen);
		if (size)
			memcpy(p + plen, data, size);
		run(p, plen + size, 0);
		/* and with an allocation failing: -ENOMEM, nothing leaked */
		run(p, plen + size, 1 + size % 5);
		free(p);
	}
	return 0;
}
