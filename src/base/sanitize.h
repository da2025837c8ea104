/* sanitize.h — making site data safe to show.
 *
 * Text that came from a site (object names, property values) may hold terminal
 * escape sequences, NUL bytes, invalid UTF-8 or bidirectional overrides. Before
 * it reaches a terminal, a report or a log it passes through here: control
 * characters and bidi controls become visible escapes (\x1b, \n, <U+202E>),
 * invalid UTF-8 bytes become \xNN, and over-long text is cut with a marker.
 * Backslashes are left alone: DOMAIN\user must read as it is written. */
#ifndef CMH_SANITIZE_H
#define CMH_SANITIZE_H

#include <stddef.h>

#include "base/util.h"

/* Appends a printable rendering of s[0..len) to out, at most `max` source bytes
 * (0: no limit). Newlines and tabs are escaped too: a value is one line. */
void sanitize_append(strbuf *out, const char *s, size_t len, size_t max);
char *sanitize_dup(const char *s, size_t max);

#endif
