#include "config.h"
#include "base/sanitize.h"
#include "base/utf8.h"

#include <stdint.h>
#include <string.h>


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
		size_t n = utf8_decode(p + i, len - i, &cp);
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
