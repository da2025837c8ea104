#include "config.h"
#include "base/i18n.h"
#include "base/value.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

value value_null(void)
{
	value v = VALUE_NULL;
	return v;
}

value value_bool(bool b)
{
	value v = VALUE_NULL;
	v.kind = V_BOOL;
	v.b = b;
	return v;
}

value value_int(int64_t i)
{
	value v = VALUE_NULL;
	v.kind = V_INT;
	v.i = i;
	return v;
}

value value_str(const char *s)
{
	return value_str_take(xstrdup(s));
}

value value_str_take(char *s)
{
	value v = VALUE_NULL;
	v.kind = V_STR;
	v.s = s;
	return v;
}

void value_list_push(value *v, const char *s)
{
	if (v->kind != V_LIST) {
		value_clear(v);
		v->kind = V_LIST;
	}
	v->items = xrealloc(v->items, (v->n + 1) * sizeof *v->items);
	v->items[v->n++] = xstrdup(s);
}

void value_clear(value *v)
{
	if (v->kind == V_STR)
		free(v->s);
	if (v->kind == V_LIST) {
		for (size_t i = 0; i < v->n; i++)
			free(v->items[i]);
		free(v->items);
	}
	*v = value_null();
}

value value_copy(const value *v)
{
	value c = *v;
	if (v->kind == V_STR)
		c.s = xstrdup(v->s);
	if (v->kind == V_LIST) {
		c.items = xcalloc(v->n ? v->n : 1, sizeof *c.items);
		for (size_t i = 0; i < v->n; i++)
			c.items[i] = xstrdup(v->items[i]);
	}
	return c;
}

bool value_equal(const value *a, const value *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case V_NULL:
		return true;
	case V_BOOL:
		return a->b == b->b;
	case V_INT:
		return a->i == b->i;
	case V_STR:
		return strcmp(a->s, b->s) == 0;
	case V_LIST:
		if (a->n != b->n)
			return false;
		for (size_t i = 0; i < a->n; i++)
			if (strcmp(a->items[i], b->items[i]) != 0)
				return false;
		return true;
	}
	return false;
}

const char *value_kind_name(value_kind k)
{
	switch (k) {
	case V_NULL:
		/* TRANSLATORS: a value type, in "expected a boolean, got %s" */
		return _("null");
	case V_BOOL:
		return _("boolean");
	case V_INT:
		return _("integer");
	case V_STR:
		return _("string");
	case V_LIST:
		return _("list");
	}
	return "?";
}

void value_format(const value *v, strbuf *out)
{
	switch (v->kind) {
	case V_NULL:
		sb_adds(out, "null");
		break;
	case V_BOOL:
		sb_adds(out, v->b ? "true" : "false");
		break;
	case V_INT:
		if (v->i >= 16)
			sb_addf(out, "%" PRId64 " (0x%" PRIX64 ")", v->i, (uint64_t)v->i);
		else
			sb_addf(out, "%" PRId64, v->i);
		break;
	case V_STR:
		sb_adds(out, v->s);
		break;
	case V_LIST:
		sb_addc(out, '[');
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				sb_adds(out, ", ");
			sb_adds(out, v->items[i]);
		}
		sb_addc(out, ']');
		break;
	}
}

void value_encode(const value *v, strbuf *out)
{
	switch (v->kind) {
	case V_NULL:
		sb_adds(out, "n:");
		break;
	case V_BOOL:
		sb_adds(out, v->b ? "b:1" : "b:0");
		break;
	case V_INT:
		sb_addf(out, "i:%" PRId64, v->i);
		break;
	case V_STR:
		sb_adds(out, "s:");
		sb_adds(out, v->s);
		break;
	case V_LIST:
		sb_adds(out, "l:");
		for (size_t i = 0; i < v->n; i++)
			sb_addf(out, "%zu:%s", strlen(v->items[i]), v->items[i]);
		break;
	}
}

/* Decoding accepts exactly what value_encode writes, so stored data either
 * reads back as the value that was stored or is reported corrupt: no integer
 * with a sign, spaces, leading zeros or out of range (strtoll alone clamped
 * those to INT64_MAX), no length with leading zeros, and no NUL byte in text,
 * which a value (a C string) cannot hold and would silently cut. */
int value_decode(const char *s, size_t len, value *out)
{
	*out = value_null();
	if (len < 2 || s[1] != ':')
		return -1;
	const char *p = s + 2, *end = s + len;
	switch (s[0]) {
	case 'n':
		return p == end ? 0 : -1;
	case 'b':
		if (end - p != 1 || (*p != '0' && *p != '1'))
			return -1;
		*out = value_bool(*p == '1');
		return 0;
	case 'i': {
		char canon[32];
		if (end - p < 1 || end - p > 20)
			return -1;
		char *tmp = xstrndup(p, (size_t)(end - p)), *e = NULL;
		long long x = strtoll(tmp, &e, 10);
		snprintf(canon, sizeof canon, "%lld", x);
		bool ok = strlen(canon) == (size_t)(end - p) && memcmp(canon, p, (size_t)(end - p)) == 0;
		free(tmp);
		if (!ok)
			return -1;
		*out = value_int(x);
		return 0;
	}
	case 's':
		if (memchr(p, '\0', (size_t)(end - p)))
			return -1;
		*out = value_str_take(xstrndup(p, (size_t)(end - p)));
		return 0;
	case 'l': {
		value v = VALUE_NULL;
		v.kind = V_LIST;
		while (p < end) {
			size_t n = 0;
			const char *q = p;
			while (q < end && *q >= '0' && *q <= '9' && n < (size_t)(end - p))
				n = n * 10 + (size_t)(*q++ - '0');
			if (q == p || q >= end || *q != ':' || (size_t)(end - q - 1) < n ||
			    (*p == '0' && q - p > 1) || memchr(q + 1, '\0', n)) {
				value_clear(&v);
				return -1;
			}
			char *item = xstrndup(q + 1, n);
			value_list_push(&v, item);
			free(item);
			p = q + 1 + n;
		}
		*out = v;
		return 0;
	}
	default:
		return -1;
	}
}
