/* utf8.h — the one UTF-8 decoder of cmharden.
 *
 * Valid means what RFC 3629 says: lead bytes C2..F4, shortest form, no
 * surrogates, nothing above U+10FFFF. Sanitising, JSON, the wizard's drawing,
 * script parameters and snapshots all decide validity here, so they agree. */
#ifndef CMH_UTF8_H
#define CMH_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length (1..4) of the valid sequence at s, at most `left` bytes, with its
 * code point in *cp; 0 when the bytes there are not valid UTF-8. */
size_t utf8_decode(const unsigned char *s, size_t left, uint32_t *cp);

#endif
