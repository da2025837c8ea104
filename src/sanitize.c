#include "config.h"
#include "sanitize.h"

#include <stdint.h>
#include <string.h>

/* Length of a valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t left, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t v;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
	    (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

static int is_bidi_or_invisible(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
	       cp == 0x200F || cp == 0x061C || cp == 0xFEFF || (cp >= 0x2028 && cp <= 0x2029);
}

void sanitize_append(strbuf *out, const char *s, size_t len, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, lim = (max && len > max) ? max : len;
	while (i < lim) {
		uint32_t cp;
		size_t n = utf8_seq(p + i, len - i, &cp);
		if (n == 0) {
			sb_addf(out, "\\x%02x", p[i]);
			i++;
			continue;
		}
		if (cp == '\n')
			sb_adds(out, "\\n");
		else if (cp == '\t')
			sb_adds(out, "\\t");
		else if (cp == '\r')
			sb_adds(out, "\\r");
		else if (cp < 0x20 || cp == 0x7F)
			sb_addf(out, "\\x%02x", (unsigned)cp);
		else if (cp >= 0x80 && cp <= 0x9F)
			sb_addf(out, "<U+%04X>", (unsigned)cp);
		else if (is_bidi_or_invisible(cp))
			sb_addf(out, "<U+%04X>", (unsigned)cp);
		else
			sb_add(out, s + i, n);
		i += n;
	}
	if (lim < len)
		sb_addf(out, "... [%zu more bytes]", len - lim);
}

char *sanitize_dup(const char *s, size_t max)
{
	strbuf sb = STRBUF_INIT;
	sanitize_append(&sb, s, strlen(s), max);
	return sb_detach(&sb);
}
