/* jsonv.c — see jsonv.h. Recursive descent with a depth bound. */
#include "jsonv.h"

#include <string.h>

typedef struct jv {
	const unsigned char *s;
	size_t n, i;
	const char *why;
	int depth;
} jv;

size_t jsonv_utf8(const unsigned char *s, size_t left, unsigned long *cp)
{
	unsigned char c = s[0];
	size_t n;
	unsigned long v;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1Fu;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0Fu;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07u;
	} else {
		return 0;
	}
	if (left < n)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[k] & 0x3Fu);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
	    (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

static bool fail(jv *j, const char *why)
{
	if (!j->why)
		j->why = why;
	return false;
}

static void ws(jv *j)
{
	while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' ||
			       j->s[j->i] == '\r'))
		j->i++;
}

static bool lit(jv *j, const char *w)
{
	size_t l = strlen(w);
	if (j->n - j->i < l || memcmp(j->s + j->i, w, l) != 0)
		return fail(j, "unexpected character");
	j->i += l;
	return true;
}

static bool hex4(jv *j, unsigned *v)
{
	*v = 0;
	for (int k = 0; k < 4; k++, j->i++) {
		if (j->i >= j->n)
			return fail(j, "short \\u escape");
		unsigned char c = j->s[j->i];
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*v |= c - 'a' + 10u;
		else if (c >= 'A' && c <= 'F')
			*v |= c - 'A' + 10u;
		else
			return fail(j, "bad \\u escape");
	}
	return true;
}

static bool string(jv *j)
{
	j->i++; /* the opening quote */
	for (;;) {
		if (j->i >= j->n)
			return fail(j, "unterminated string");
		unsigned char c = j->s[j->i];
		if (c == '"') {
			j->i++;
			return true;
		}
		if (c < 0x20)
			return fail(j, "raw control character in a string");
		if (c == '\\') {
			j->i++;
			if (j->i >= j->n)
				return fail(j, "unterminated escape");
			c = j->s[j->i];
			if (c == 'u') {
				unsigned v;
				j->i++;
				if (!hex4(j, &v))
					return false;
				/* A high surrogate must be followed by an escaped low one. */
				if (v >= 0xD800 && v <= 0xDBFF) {
					unsigned w;
					if (j->n - j->i < 2 || j->s[j->i] != '\\' || j->s[j->i + 1] != 'u')
						return fail(j, "lone high surrogate");
					j->i += 2;
					if (!hex4(j, &w))
						return false;
					if (w < 0xDC00 || w > 0xDFFF)
						return fail(j, "bad low surrogate");
				} else if (v >= 0xDC00 && v <= 0xDFFF) {
					return fail(j, "lone low surrogate");
				}
				continue;
			}
			if (!strchr("\"\\/bfnrt", c) || c == '\0')
				return fail(j, "bad escape");
			j->i++;
			continue;
		}
		unsigned long cp;
		size_t l = jsonv_utf8(j->s + j->i, j->n - j->i, &cp);
		if (!l)
			return fail(j, "invalid UTF-8");
		j->i += l;
	}
}

static bool digits(jv *j)
{
	size_t st = j->i;
	while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
		j->i++;
	return j->i > st ? true : fail(j, "expected a digit");
}

static bool number(jv *j)
{
	if (j->s[j->i] == '-')
		j->i++;
	if (j->i < j->n && j->s[j->i] == '0')
		j->i++;
	else if (!digits(j))
		return false;
	if (j->i < j->n && j->s[j->i] == '.') {
		j->i++;
		if (!digits(j))
			return false;
	}
	if (j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
		j->i++;
		if (j->i < j->n && (j->s[j->i] == '+' || j->s[j->i] == '-'))
			j->i++;
		if (!digits(j))
			return false;
	}
	return true;
}

static bool value(jv *j);

static bool container(jv *j, bool obj)
{
	if (++j->depth > 512)
		return fail(j, "nested too deeply");
	j->i++;
	ws(j);
	if (j->i < j->n && j->s[j->i] == (obj ? '}' : ']')) {
		j->i++;
		j->depth--;
		return true;
	}
	for (;;) {
		ws(j);
		if (obj) {
			if (j->i >= j->n || j->s[j->i] != '"')
				return fail(j, "expected a member name");
			if (!string(j))
				return false;
			ws(j);
			if (j->i >= j->n || j->s[j->i] != ':')
				return fail(j, "expected ':'");
			j->i++;
		}
		if (!value(j))
			return false;
		ws(j);
		if (j->i >= j->n)
			return fail(j, "unterminated container");
		if (j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		if (j->s[j->i] == (obj ? '}' : ']')) {
			j->i++;
			j->depth--;
			return true;
		}
		return fail(j, "expected ',' or the end of the container");
	}
}

static bool value(jv *j)
{
	ws(j);
	if (j->i >= j->n)
		return fail(j, "expected a value");
	switch (j->s[j->i]) {
	case '{':
		return container(j, true);
	case '[':
		return container(j, false);
	case '"':
		return string(j);
	case 't':
		return lit(j, "true");
	case 'f':
		return lit(j, "false");
	case 'n':
		return lit(j, "null");
	default:
		if (j->s[j->i] == '-' || (j->s[j->i] >= '0' && j->s[j->i] <= '9'))
			return number(j);
		return fail(j, "unexpected character");
	}
}

bool jsonv_valid(const char *s, size_t len, size_t *at, const char **why)
{
	jv j = {(const unsigned char *)s, len, 0, NULL, 0};
	bool ok = value(&j);
	if (ok) {
		ws(&j);
		if (j.i != j.n)
			ok = fail(&j, "text after the JSON value");
	}
	if (!ok) {
		*at = j.i;
		*why = j.why ? j.why : "invalid";
	}
	return ok;
}
