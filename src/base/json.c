#include "config.h"
#include "base/json.h"
#include "base/utf8.h"

#include <inttypes.h>
#include <stdint.h>
#include <string.h>

void json_strn(strbuf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	sb_addc(out, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		switch (c) {
		case '"': sb_adds(out, "\\\""); continue;
		case '\\': sb_adds(out, "\\\\"); continue;
		case '\n': sb_adds(out, "\\n"); continue;
		case '\r': sb_adds(out, "\\r"); continue;
		case '\t': sb_adds(out, "\\t"); continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7F) {
			sb_addf(out, "\\u%04x", c);
			continue;
		}
		if (c < 0x80) {
			sb_addc(out, (char)c);
			continue;
		}
		/* Copy a valid UTF-8 sequence (utf8.h: what RFC 3629 allows, or JSON
		 * readers reject the report); escape stray bytes as their Latin-1 code. */
		uint32_t cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (len) {
			sb_add(out, s + i, len);
			i += len - 1;
		} else {
			sb_addf(out, "\\u%04x", c);
		}
	}
	sb_addc(out, '"');
}

void json_str(strbuf *out, const char *s)
{
	if (!s) {
		sb_adds(out, "null");
		return;
	}
	json_strn(out, s, strlen(s));
}

void json_value(strbuf *out, const value *v)
{
	switch (v->kind) {
	case V_NULL:
		sb_adds(out, "null");
		break;
	case V_BOOL:
		sb_adds(out, v->b ? "true" : "false");
		break;
	case V_INT:
		sb_addf(out, "%" PRId64, v->i);
		break;
	case V_STR:
		json_str(out, v->s);
		break;
	case V_LIST:
		sb_addc(out, '[');
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				sb_addc(out, ',');
			json_str(out, v->items[i]);
		}
		sb_addc(out, ']');
		break;
	}
}
