/* SPDX-License-Identifier: MIT */
/*
 * Settings: `key = value` lines from /etc/turtlecap/turtlecap.conf, then
 * the user's $XDG_CONFIG_HOME/turtlecap/turtlecap.conf (~/.config/...),
 * then environment variables TURTLECAP_<KEY> (upper case), each source
 * overriding the one before. The keys are data (config_keys[] in
 * config.c); an unknown key is reported once and ignored. Settings only
 * choose among things turtlecap may do anyway (what to list, which
 * activators to wake), so a user's own file is honoured even when the
 * binary runs with capabilities.
 */
#ifndef TURTLECAP_CONFIG_H
#define TURTLECAP_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CONFIG_SYSTEM_FILE "/etc/turtlecap/turtlecap.conf"

/* Load once (later calls are no-ops); a missing file is fine. */
void config_load(void);
/* Replace the sources (tests): a file, then the environment. */
int config_load_from(const char *system_file, const char *user_file);

/* The value of a known key (NULL if unset); never NULL for keys with a
 * default. */
const char *config_get(const char *key);
/* Where a key's value came from ("default", a file path, "environment"). */
const char *config_origin(const char *key);
/* Unsigned value, or def when unset or not a number. */
uint64_t config_get_u64(const char *key, uint64_t def);
bool config_get_bool(const char *key, bool def);

/* Does word occur in the key's space- or comma-separated list? */
bool config_list_has(const char *key, const char *word);

/* Print every key with its value and origin (turtlecap --show-config). */
void config_dump(FILE *out);

#endif
