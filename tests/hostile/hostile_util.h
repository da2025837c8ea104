/* hostile_util.h — hostile site data that YAML cannot carry (NUL bytes, invalid
 * UTF-8) or that is too big to keep in the tree (megabyte strings), written
 * straight into a lab state file with the SQLite API, as a forged or damaged
 * state file would deliver it. Shared by tests/hostile/hostile_test.c and the
 * hostile_tool used by tests/hostile/hostile_cli.sh. */
#ifndef CMH_HOSTILE_UTIL_H
#define CMH_HOSTILE_UTIL_H

#include <stdbool.h>
#include <stddef.h>

enum {
	/* Site fields, an SMS_Advertisement object (key, property name and values)
	 * with invalid UTF-8, escape sequences, bidi overrides and 1 MiB strings:
	 * all decodable, so every check still runs. */
	HOSTILE_TEXT = 1,
	/* A Registry object whose Value is "s:abc\0hidden": corrupt. */
	HOSTILE_NUL_VALUE = 2,
	/* A Win32_Service object whose key holds a NUL: corrupt. */
	HOSTILE_NUL_KEY = 4,
};

#define HOSTILE_BIG (1u << 20)

int hostile_inject(const char *db_path, unsigned what, char **err);

/* Checks for report text, independent of the code that wrote it. */
/* true when s[0..len) holds no C0/C1 control (except \n, and \r before \n when
 * crlf), no DEL, no bidi control and only valid UTF-8; else *at is the offset. */
bool hostile_inert(const char *s, size_t len, bool crlf, size_t *at);
/* true when no CSV field (RFC 4180, fields may be quoted) starts with = + - @,
 * a tab or a carriage return; else *line is the 1-based line of the first. */
bool hostile_csv_safe(const char *s, size_t len, size_t *line);

#endif
