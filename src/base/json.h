/* json.h — writing JSON text. Strings are escaped per RFC 8259; bytes that are
 * not valid UTF-8 are written as \u00XX of the byte so the output stays valid. */
#ifndef CMH_JSON_H
#define CMH_JSON_H

#include "base/util.h"
#include "base/value.h"

void json_str(strbuf *out, const char *s);
void json_strn(strbuf *out, const char *s, size_t n);
void json_value(strbuf *out, const value *v);

#endif
