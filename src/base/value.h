/* value.h — a property value of a site object: null, bool, 64-bit integer,
 * string, or list of strings (the types WMI, the registry and group
 * memberships give us). */
#ifndef CMH_VALUE_H
#define CMH_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

typedef enum { V_NULL, V_BOOL, V_INT, V_STR, V_LIST } value_kind;

/* A union keeps a value at 24 bytes: a large site holds millions of them. */
typedef struct value {
	value_kind kind;
	union {
		bool b;       /* V_BOOL */
		int64_t i;    /* V_INT */
		char *s;      /* V_STR */
		struct {      /* V_LIST */
			char **items;
			size_t n;
		};
	};
} value;

#define VALUE_NULL {.kind = V_NULL}

value value_null(void);
value value_bool(bool b);
value value_int(int64_t i);
value value_str(const char *s);     /* copies */
value value_str_take(char *s);      /* takes ownership */
void value_list_push(value *v, const char *s);
void value_clear(value *v);
value value_copy(const value *v);
bool value_equal(const value *a, const value *b); /* exact, case-sensitive */
const char *value_kind_name(value_kind k);

/* Human-readable form (integers also in hex when they look like flags). */
void value_format(const value *v, strbuf *out);
/* Lossless text encoding for storage (journal, lab state, wire): "i:12", "s:text",
 * "b:1", "n:", "l:" followed by length-prefixed items "3:abc". */
void value_encode(const value *v, strbuf *out);
int value_decode(const char *s, size_t len, value *out);

#endif
