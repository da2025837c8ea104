/* jsonv.h — a strict JSON (RFC 8259) validator for tests: one value, valid
 * UTF-8, no raw control characters, correct escapes and numbers. It checks
 * the reports cmharden writes, independently of the code that wrote them. */
#ifndef CMH_JSONV_H
#define CMH_JSONV_H

#include <stdbool.h>
#include <stddef.h>

/* true when s[0..len) is exactly one JSON text; otherwise false with *at the
 * byte offset of the first problem and *why a static message. */
bool jsonv_valid(const char *s, size_t len, size_t *at, const char **why);
/* The length (1..4) of a valid UTF-8 sequence at s (shortest form, no
 * surrogates, at most U+10FFFF), or 0. */
size_t jsonv_utf8(const unsigned char *s, size_t left, unsigned long *cp);

#endif
