/* agent_proto.c — framing and messages of the agent protocol (see agent_proto.h
 * and doc/agent-protocol.md).
 *
 * Invariants: a field on the wire is one or more bytes from 0x21..0x7E, with '%'
 * only as the start of %XX; fields are separated by exactly one space; %00 is
 * refused, so every decoded field is a C string. Values travel in value_encode()'s
 * form and must be canonical (decode then encode gives the same text), so "i:007"
 * or "i:99999999999999999999" never turn silently into another number. */
#include "config.h"
#include "target/agent_proto.h"
#include "base/i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	int code;
	const char *name;
} error_names[] = {
#define AP_NAME(name, code, text) {code, text},
	AP_ERROR_TABLE(AP_NAME)
#undef AP_NAME
};

const char *ap_error_name(int code)
{
	for (size_t i = 0; i < ARRAY_SIZE(error_names); i++)
		if (error_names[i].code == code)
			return error_names[i].name;
	return "error";
}

static int fail(ap_error *e, int code, unsigned long line, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int fail(ap_error *e, int code, unsigned long line, size_t col, const char *fmt, ...)
{
	va_list ap;
	e->code = code;
	e->line = line;
	e->col = col;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

void ap_msg_init(ap_msg *m)
{
	memset(m, 0, sizeof *m);
}

void ap_msg_release(ap_msg *m)
{
	free(m->args);
	free(m->lens);
	free(m->store);
	ap_msg_init(m);
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ap_parse_line(const char *line, size_t len, unsigned long lineno, ap_msg *m, ap_error *e)
{
	ap_msg_release(m);
	m->line = lineno;
	m->raw_len = len + 1;
	if (len && line[len - 1] == '\r')
		len--;
	if (len == 0)
		return fail(e, AP_E_BAD_REQUEST, lineno, 1, "empty line");
	/* Pass 1: validate every byte and count the fields. */
	size_t nf = 1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c == ' ') {
			if (i == 0 || line[i - 1] == ' ' || i == len - 1)
				return fail(e, AP_E_BAD_REQUEST, lineno, i + 1,
					    "empty field (fields are separated by exactly one space)");
			nf++;
		} else if (c == '%') {
			int hi = i + 1 < len ? hexval((unsigned char)line[i + 1]) : -1;
			int lo = i + 2 < len ? hexval((unsigned char)line[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return fail(e, AP_E_BAD_REQUEST, lineno, i + 1,
					    "'%%' must be followed by two hexadecimal digits");
			if (hi == 0 && lo == 0)
				return fail(e, AP_E_BAD_REQUEST, lineno, i + 1, "%%00: NUL bytes are not allowed");
			i += 2;
		} else if (c < 0x21 || c > 0x7e) {
			return fail(e, AP_E_BAD_REQUEST, lineno, i + 1,
				    "raw byte 0x%02X: bytes outside printable ASCII must be percent-encoded", c);
		}
	}
	if (nf < 2)
		return fail(e, AP_E_BAD_REQUEST, lineno, 1, "a line needs at least a verb and a request id");
	/* The verb: [a-z][a-z0-9-]*, never encoded. */
	size_t vl = 0;
	while (vl < len && line[vl] != ' ')
		vl++;
	if (vl >= sizeof m->verb)
		return fail(e, AP_E_BAD_REQUEST, lineno, 1, "the verb is too long");
	for (size_t i = 0; i < vl; i++) {
		char c = line[i];
		if (!((c >= 'a' && c <= 'z') || (i > 0 && ((c >= '0' && c <= '9') || c == '-'))))
			return fail(e, AP_E_BAD_REQUEST, lineno, i + 1,
				    "a verb is lower-case letters, digits and '-'");
	}
	memcpy(m->verb, line, vl);
	m->verb[vl] = '\0';
	/* The request id: 1 to 10 decimal digits, at most AP_MAX_ID. */
	size_t p = vl + 1, q = p;
	unsigned long long id = 0;
	while (q < len && line[q] != ' ') {
		if (line[q] < '0' || line[q] > '9' || q - p >= 10)
			return fail(e, AP_E_BAD_REQUEST, lineno, q + 1, "the request id must be a decimal number");
		id = id * 10 + (unsigned)(line[q] - '0');
		q++;
	}
	if (id > AP_MAX_ID)
		return fail(e, AP_E_BAD_REQUEST, lineno, p + 1, "the request id is too large");
	m->id = (unsigned long)id;
	/* Pass 2: decode the arguments into one store. */
	m->nargs = nf - 2;
	m->args = xcalloc(m->nargs ? m->nargs : 1, sizeof *m->args);
	m->lens = xcalloc(m->nargs ? m->nargs : 1, sizeof *m->lens);
	m->store = xmalloc(len - q + 1);
	char *w = m->store;
	size_t k = 0;
	for (size_t i = q; i < len; i++) {
		if (line[i] == ' ') {
			if (k > 0)
				*w++ = '\0';
			m->args[k] = w;
			if (k > 0)
				m->lens[k - 1] = (size_t)(m->args[k] - m->args[k - 1]) - 1;
			k++;
		} else if (line[i] == '%') {
			*w++ = (char)(hexval((unsigned char)line[i + 1]) * 16 + hexval((unsigned char)line[i + 2]));
			i += 2;
		} else {
			*w++ = line[i];
		}
	}
	*w = '\0';
	if (k > 0)
		m->lens[k - 1] = (size_t)(w - m->args[k - 1]);
	return 0;
}

void ap_reader_init(ap_reader *r, size_t max_line)
{
	memset(r, 0, sizeof *r);
	r->max_line = max_line;
	r->line = 1;
}

void ap_reader_release(ap_reader *r)
{
	free(r->buf);
	memset(r, 0, sizeof *r);
}

void ap_reader_feed(ap_reader *r, const char *data, size_t n)
{
	if (!n)
		return;
	if (r->start) {
		memmove(r->buf, r->buf + r->start, r->len);
		r->start = 0;
	}
	GROW(r->buf, r->cap, r->len + n);
	memcpy(r->buf + r->len, data, n);
	r->len += n;
}

static void consume(ap_reader *r, size_t n)
{
	r->start += n;
	r->len -= n;
	r->scanned = 0;
	if (!r->len)
		r->start = 0;
}

int ap_reader_next(ap_reader *r, ap_msg *m, ap_error *e)
{
	for (;;) {
		const char *p = r->buf ? r->buf + r->start : "";
		const char *nl = r->len > r->scanned ? memchr(p + r->scanned, '\n', r->len - r->scanned) : NULL;
		if (r->skipping) {
			if (!nl) {
				consume(r, r->len);
				return 0;
			}
			consume(r, (size_t)(nl - p) + 1);
			r->skipping = false;
			r->line++;
			continue;
		}
		if (!nl) {
			r->scanned = r->len;
			if (r->len > r->max_line) {
				unsigned long ln = r->line;
				consume(r, r->len);
				r->skipping = true;
				return fail(e, AP_E_TOO_LARGE, ln, 0, "longer than %zu bytes", r->max_line);
			}
			return 0;
		}
		size_t ll = (size_t)(nl - p);
		unsigned long ln = r->line++;
		if (ll > r->max_line) {
			consume(r, ll + 1);
			return fail(e, AP_E_TOO_LARGE, ln, 0, "longer than %zu bytes", r->max_line);
		}
		int rc = ap_parse_line(p, ll, ln, m, e);
		consume(r, ll + 1);
		return rc < 0 ? -1 : 1;
	}
}

int ap_reader_eof(const ap_reader *r, ap_error *e)
{
	if (r->len && !r->skipping)
		return fail(e, AP_E_BAD_REQUEST, r->line, 0, "the stream ended inside line %lu (no LF)", r->line);
	return 0;
}

/* Writing. */

void ap_encode(strbuf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c > 0x20 && c < 0x7f && c != '%') {
			run++;
			continue;
		}
		sb_add(out, s + i - run, run);
		run = 0;
		char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
		sb_add(out, esc, 3);
	}
	sb_add(out, s + n - run, run);
}

void ap_begin(strbuf *out, const char *verb, unsigned long id)
{
	sb_addf(out, "%s %lu", verb, id);
}

void ap_addn(strbuf *out, const char *s, size_t n)
{
	sb_addc(out, ' ');
	if (n == 0)
		sb_adds(out, "%00"); /* never valid: an empty field is a caller's bug, made visible */
	else
		ap_encode(out, s, n);
}

void ap_add(strbuf *out, const char *s)
{
	ap_addn(out, s, strlen(s));
}

void ap_add_value(strbuf *out, const value *v)
{
	strbuf enc = STRBUF_INIT;
	value_encode(v, &enc);
	ap_addn(out, sb_str(&enc), enc.len);
	sb_release(&enc);
}

void ap_add_ulong(strbuf *out, unsigned long n)
{
	sb_addf(out, " %lu", n);
}

void ap_end(strbuf *out)
{
	sb_addc(out, '\n');
}

void ap_write_error(strbuf *out, unsigned long id, int code, const char *msg)
{
	ap_begin(out, "error", id);
	ap_add_ulong(out, (unsigned long)code);
	ap_add(out, msg && *msg ? msg : ap_error_name(code));
	ap_end(out);
}

int ap_write_object(strbuf *out, unsigned long id, const object *o, size_t max_line)
{
	size_t start = out->len;
	ap_begin(out, "obj", id);
	ap_add(out, o->key);
	for (size_t i = 0; i < o->n; i++) {
		ap_add(out, o->props[i].name);
		ap_add_value(out, &o->props[i].v);
		if (out->len - start > max_line)
			break;
	}
	if (out->len - start > max_line) {
		out->len = start;
		if (out->buf)
			out->buf[start] = '\0';
		return -1;
	}
	ap_end(out);
	return 0;
}

/* Responses. */

void ap_response_init(ap_response *r, ap_req_kind kind, unsigned long id, const char *const *asked,
		      size_t nasked)
{
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->id = id;
	r->v = value_null();
	if (nasked) {
		r->asked = xcalloc(nasked, sizeof *r->asked);
		for (size_t i = 0; i < nasked; i++)
			r->asked[i] = xstrdup(asked[i]);
		r->nasked = nasked;
	}
}

void ap_response_release(ap_response *r)
{
	for (size_t i = 0; i < r->nasked; i++)
		free(r->asked[i]);
	free(r->asked);
	for (size_t i = 0; i < r->nclasses; i++) {
		free(r->classes[i].cls);
		objset_release(&r->classes[i].objs);
		free(r->classes[i].error);
		free(r->classes[i].partial);
	}
	free(r->classes);
	free(r->agent);
	for (size_t i = 0; i < r->ncaps; i++)
		free(r->caps[i]);
	free(r->caps);
	site_info_release(&r->site);
	value_clear(&r->v);
	free(r->error);
	probe_release(&r->probe);
	memset(r, 0, sizeof *r);
}

bool ap_response_has_cap(const ap_response *r, const char *cap)
{
	for (size_t i = 0; i < r->ncaps; i++)
		if (!strcmp(r->caps[i], cap))
			return true;
	return false;
}

/* A typed value in canonical form. */
static int decode_value(const char *s, size_t n, value *out)
{
	if (value_decode(s, n, out) < 0)
		return -1;
	strbuf enc = STRBUF_INIT;
	value_encode(out, &enc);
	bool same = enc.len == n && memcmp(sb_str(&enc), s, n) == 0;
	sb_release(&enc);
	if (!same) {
		value_clear(out);
		return -1;
	}
	return 0;
}

static bool parse_count(const char *s, size_t max, size_t *out)
{
	size_t n = 0;
	if (!*s || strlen(s) > 10)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		n = n * 10 + (size_t)(*s - '0');
	}
	if (n > max)
		return false;
	*out = n;
	return true;
}

static int want_args(const ap_msg *m, size_t n, bool at_least, ap_error *e)
{
	if (at_least ? m->nargs >= n : m->nargs == n)
		return 0;
	return fail(e, AP_E_BAD_REQUEST, m->line, 0, "'%s' line with %zu field(s) after the id (%s%zu)", m->verb,
		    m->nargs, at_least ? "at least " : "", n);
}

static const char *req_names[] = {"hello", "query", "get", "set", "bye", "run", "run", "probe"};

static int feed_hello(ap_response *r, const ap_msg *m, ap_error *e)
{
	static const char *fields[] = {"code", "name", "server", "version", "build", "mode"};
	if (!strcmp(m->verb, "hello")) {
		if (r->started)
			return fail(e, AP_E_BAD_REQUEST, m->line, 0, "a second 'hello' line");
		if (want_args(m, 2, false, e) < 0)
			return -1;
		size_t v;
		if (!parse_count(m->args[0], 1000000, &v))
			return fail(e, AP_E_BAD_REQUEST, m->line, 0, "the protocol version is not a number");
		if (v != AP_VERSION)
			return fail(e, AP_E_VERSION, m->line, 0,
				    "the agent speaks protocol version %zu; this cmharden speaks version %d", v,
				    AP_VERSION);
		r->version = (unsigned)v;
		r->agent = xstrdup(m->args[1]);
		r->started = true;
		return 0;
	}
	if (!r->started)
		return fail(e, AP_E_BAD_REQUEST, m->line, 0, "expected 'hello', got '%s'", m->verb);
	if (!strcmp(m->verb, "cap")) {
		for (size_t i = 0; i < m->nargs; i++) {
			if (r->ncaps >= 256)
				return fail(e, AP_E_TOO_LARGE, m->line, 0, "more than 256 capabilities");
			r->caps = xrealloc(r->caps, (r->ncaps + 1) * sizeof *r->caps);
			r->caps[r->ncaps++] = xstrdup(m->args[i]);
		}
		return 0;
	}
	if (!strcmp(m->verb, "site")) {
		if (want_args(m, 2, false, e) < 0)
			return -1;
		char **slot[] = {&r->site.code, &r->site.name, &r->site.server,
				 &r->site.version, &r->site.build, &r->site.mode};
		for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
			if (strcmp(m->args[0], fields[i]) != 0)
				continue;
			value v;
			if (decode_value(m->args[1], m->lens[1], &v) < 0 || (v.kind != V_STR && v.kind != V_NULL)) {
				value_clear(&v);
				return fail(e, AP_E_BAD_REQUEST, m->line, 0,
					    "site %s: expected a typed text value (s:... or n:)", fields[i]);
			}
			free(*slot[i]);
			*slot[i] = v.kind == V_STR ? v.s : NULL;
			return 0;
		}
		return 0; /* site fields this version does not know are ignored */
	}
	if (!strcmp(m->verb, "end")) {
		r->done = true;
		return 1;
	}
	return fail(e, AP_E_BAD_REQUEST, m->line, 0, "unexpected '%s' line in the answer to 'hello'", m->verb);
}

static int cmp_name_ci(const void *a, const void *b)
{
	return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* A property name given twice in one obj line (compared case-insensitively,
 * as object_get does), or NULL. Sorting keeps this O(n log n): checking each
 * name against the object with object_get/object_put took 48 s for one 1 MiB
 * line of 90000 properties, and an answer may hold 256 MiB of them. */
static const char *duplicate_name(const ap_msg *m)
{
	size_t n = m->nargs / 2;
	if (n < 2)
		return NULL;
	const char **names = xcalloc(n, sizeof *names);
	for (size_t i = 0; i < n; i++)
		names[i] = m->args[1 + 2 * i];
	qsort(names, n, sizeof *names, cmp_name_ci);
	const char *twice = NULL;
	for (size_t i = 1; i < n && !twice; i++)
		if (strcasecmp(names[i - 1], names[i]) == 0)
			twice = names[i];
	free(names);
	return twice;
}

/* servererror ID CLASS SERVER CODE MESSAGE: one site system the class could
 * not be read on, after that class's objects; the class stays answered with
 * the objects of the others, and the reasons are kept for the checks. */
static int feed_server_error(ap_response *r, const ap_msg *m, ap_error *e)
{
	if (want_args(m, 4, false, e) < 0)
		return -1;
	ap_class *c = NULL;
	for (size_t i = 0; i < r->nclasses && !c; i++)
		if (!strcasecmp(r->classes[i].cls, m->args[0]))
			c = &r->classes[i];
	if (!c || c->code)
		return fail(e, AP_E_BAD_REQUEST, m->line, 0,
			    "a 'servererror' line for class '%.60s', which was not answered with 'class'", m->args[0]);
	size_t code = 0;
	if (!parse_count(m->args[2], 999, &code) || code < 100)
		return fail(e, AP_E_BAD_REQUEST, m->line, 0, "the error code is not a three-digit number");
	char *s = xasprintf("%s%s%s: %s (%zu %s)", c->partial ? c->partial : "", c->partial ? "; " : "", m->args[1],
			    m->args[3], code, ap_error_name((int)code));
	free(c->partial);
	c->partial = s;
	return 0;
}

static int feed_query(ap_response *r, const ap_msg *m, ap_error *e)
{
	if (!strcmp(m->verb, "obj")) {
		if (!r->expect_objs)
			return fail(e, AP_E_BAD_REQUEST, m->line, 0, "an 'obj' line outside a class");
		if (m->nargs % 2 != 1)
			return fail(e, AP_E_BAD_REQUEST, m->line, 0,
				    "an 'obj' line is a key followed by property/value pairs");
		ap_class *c = &r->classes[r->nclasses - 1];
		const char *twice = duplicate_name(m);
		if (twice)
			return fail(e, AP_E_BAD_REQUEST, m->line, 0, "property '%.60s' appears twice", twice);
		object *o = objset_add(&c->objs, c->cls, m->args[0]);
		for (size_t i = 1; i < m->nargs; i += 2) {
			value v;
			if (decode_value(m->args[i + 1], m->lens[i + 1], &v) < 0)
				return fail(e, AP_E_BAD_REQUEST, m->line, 0,
					    "property '%.60s': not a typed value in canonical form", m->args[i]);
			object_append(o, m->args[i], &v); /* names are unique: checked above */
		}
		r->expect_objs--;
		r->nobjects++;
		return 0;
	}
	if (r->expect_objs)
		return fail(e, AP_E_BAD_REQUEST, m->line, 0, "%zu more 'obj' line(s) of class %.60s were due",
			    r->expect_objs, r->classes[r->nclasses - 1].cls);
	bool is_err = !strcmp(m->verb, "classerror");
	if (is_err || !strcmp(m->verb, "class")) {
		if (want_args(m, is_err ? 3 : 2, false, e) < 0)
			return -1;
		size_t k = 0;
		while (k < r->nasked && strcasecmp(r->asked[k], m->args[0]) != 0)
			k++;
		if (k == r->nasked)
			return fail(e, AP_E_BAD_REQUEST, m->line, 0, "class '%.60s' was not asked for", m->args[0]);
		for (size_t i = 0; i < r->nclasses; i++)
			if (!strcasecmp(r->classes[i].cls, r->asked[k]))
				return fail(e, AP_E_BAD_REQUEST, m->line, 0, "class '%.60s' answered twice",
					    m->args[0]);
		size_t count = 0, code = 0;
		if (!is_err && !parse_count(m->args[1], AP_MAX_OBJECTS - r->nobjects, &count))
			return fail(e, AP_E_TOO_LARGE, m->line, 0,
				    "object count '%.20s' is not a number or exceeds %u objects per response",
				    m->args[1], AP_MAX_OBJECTS);
		if (is_err && (!parse_count(m->args[1], 999, &code) || code < 100))
			return fail(e, AP_E_BAD_REQUEST, m->line, 0, "the error code is not a three-digit number");
		r->classes = xrealloc(r->classes, (r->nclasses + 1) * sizeof *r->classes);
		ap_class *c = &r->classes[r->nclasses++];
		memset(c, 0, sizeof *c);
		c->cls = xstrdup(r->asked[k]);
		objset_init(&c->objs);
		if (is_err) {
			c->code = (int)code;
			c->error = xstrdup(m->args[2]);
		}
		r->expect_objs = count;
		return 0;
	}
	if (!strcmp(m->verb, "servererror"))
		return feed_server_error(r, m, e);
	if (!strcmp(m->verb, "end")) {
		for (size_t k = 0; k < r->nasked; k++) {
			bool found = false;
			for (size_t i = 0; i < r->nclasses && !found; i++)
				found = !strcasecmp(r->classes[i].cls, r->asked[k]);
			if (!found)
				return fail(e, AP_E_BAD_REQUEST, m->line, 0, "the answer ended without class '%.60s'",
					    r->asked[k]);
		}
		r->done = true;
		return 1;
	}
	return fail(e, AP_E_BAD_REQUEST, m->line, 0, "unexpected '%s' line in the answer to a query", m->verb);
}

static int feed_value(ap_response *r, const ap_msg *m, ap_error *e)
{
	if (!strcmp(m->verb, "value")) {
		if (r->has_value)
			return fail(e, AP_E_BAD_REQUEST, m->line, 0, "a second 'value' line");
		if (want_args(m, 1, false, e) < 0)
			return -1;
		if (decode_value(m->args[0], m->lens[0], &r->v) < 0)
			return fail(e, AP_E_BAD_REQUEST, m->line, 0, "not a typed value in canonical form");
		r->has_value = true;
		return 0;
	}
	if (!strcmp(m->verb, "end")) {
		if (!r->has_value)
			return fail(e, AP_E_BAD_REQUEST, m->line, 0, "the answer ended without a 'value' line");
		r->done = true;
		return 1;
	}
	return fail(e, AP_E_BAD_REQUEST, m->line, 0, "unexpected '%s' line in the answer to '%s'", m->verb,
		    req_names[r->kind]);
}

/* A source or server name of a probe: printable, at most 255 bytes (the
 * client sanitises it again before showing it). */
static bool probe_word_ok(const char *s, size_t len)
{
	return len > 0 && len <= 255 && strlen(s) == len;
}

static int feed_probe(ap_response *r, const ap_msg *m, ap_error *e)
{
	if (!strcmp(m->verb, "source")) {
		if (m->nargs < 3 || m->nargs > 4)
			return fail(e, AP_E_BAD_REQUEST, m->line, 0,
				    "a 'source' line is SOURCE SERVER STATE [MESSAGE]");
		if (!probe_word_ok(m->args[0], m->lens[0]) || !probe_word_ok(m->args[1], m->lens[1]))
			return fail(e, AP_E_BAD_REQUEST, m->line, 0, "a source or server name longer than 255 bytes");
		if (r->probe.n >= AP_MAX_PROBE_ITEMS)
			return fail(e, AP_E_TOO_LARGE, m->line, 0, "more than %u 'source' lines", AP_MAX_PROBE_ITEMS);
		probe_put(&r->probe, m->args[0], m->args[1], probe_state_parse(m->args[2]),
			  m->nargs == 4 ? m->args[3] : NULL);
		return 0;
	}
	if (!strcmp(m->verb, "right")) {
		int st = m->nargs >= 3 ? right_state_parse(m->args[2]) : -1;
		if (m->nargs < 3 || m->nargs > 4 || st < 0)
			return fail(e, AP_E_BAD_REQUEST, m->line, 0,
				    "a 'right' line is CLASS RIGHT yes|no|unknown [MESSAGE]");
		if (!probe_word_ok(m->args[0], m->lens[0]) || !probe_word_ok(m->args[1], m->lens[1]))
			return fail(e, AP_E_BAD_REQUEST, m->line, 0, "a class or right name longer than 255 bytes");
		if (r->probe.nrights >= AP_MAX_PROBE_ITEMS)
			return fail(e, AP_E_TOO_LARGE, m->line, 0, "more than %u 'right' lines", AP_MAX_PROBE_ITEMS);
		probe_put_right(&r->probe, m->args[0], m->args[1], (right_state)st, m->nargs == 4 ? m->args[3] : NULL);
		return 0;
	}
	if (!strcmp(m->verb, "changes")) {
		if (m->nargs < 1 || m->nargs > 2 || (strcmp(m->args[0], "yes") && strcmp(m->args[0], "no")))
			return fail(e, AP_E_BAD_REQUEST, m->line, 0, "a 'changes' line is yes|no [MESSAGE]");
		r->has_changes = true;
		r->probe.can_change = !strcmp(m->args[0], "yes");
		free(r->probe.change_why);
		r->probe.change_why = m->nargs == 2 ? xstrdup(m->args[1]) : NULL;
		return 0;
	}
	if (!strcmp(m->verb, "end")) {
		if (!r->has_changes)
			return fail(e, AP_E_BAD_REQUEST, m->line, 0, "the answer to 'probe' ended without a 'changes' line");
		r->done = true;
		return 1;
	}
	return fail(e, AP_E_BAD_REQUEST, m->line, 0, "unexpected '%s' line in the answer to 'probe'", m->verb);
}

void ap_write_probe(strbuf *out, unsigned long id, const probe_result *p)
{
	for (size_t i = 0; i < p->n; i++) {
		ap_begin(out, "source", id);
		ap_add(out, p->items[i].source);
		ap_add(out, p->items[i].server);
		ap_add(out, probe_state_name(p->items[i].state));
		if (p->items[i].message)
			ap_add(out, p->items[i].message);
		ap_end(out);
	}
	for (size_t i = 0; i < p->nrights; i++) {
		ap_begin(out, "right", id);
		ap_add(out, p->rights[i].cls);
		ap_add(out, p->rights[i].right);
		ap_add(out, right_state_name(p->rights[i].state));
		if (p->rights[i].message)
			ap_add(out, p->rights[i].message);
		ap_end(out);
	}
	ap_begin(out, "changes", id);
	ap_add(out, p->can_change ? "yes" : "no");
	if (p->change_why && *p->change_why)
		ap_add(out, p->change_why);
	ap_end(out);
	ap_begin(out, "end", id);
	ap_end(out);
}

int ap_response_feed(ap_response *r, const ap_msg *m, ap_error *e)
{
	if (r->done)
		return fail(e, AP_E_BAD_REQUEST, m->line, 0, "a line after the end of the answer");
	if (!strncmp(m->verb, "x-", 2))
		return 0; /* extensions (progress notes) are ignored */
	/* id 0: the agent could not read our request far enough to know its id. */
	if (m->id != r->id && !(m->id == 0 && !strcmp(m->verb, "error")))
		return fail(e, AP_E_BAD_REQUEST, m->line, 0, "a line for request %lu while request %lu is waiting",
			    m->id, r->id);
	r->bytes += m->raw_len;
	if (r->bytes > AP_MAX_RESPONSE)
		return fail(e, AP_E_TOO_LARGE, m->line, 0, "the answer is larger than %u MiB",
			    AP_MAX_RESPONSE >> 20);
	if (!strcmp(m->verb, "error")) {
		size_t code = 0;
		if (want_args(m, 2, false, e) < 0)
			return -1;
		if (!parse_count(m->args[0], 999, &code) || code < 100)
			return fail(e, AP_E_BAD_REQUEST, m->line, 0, "the error code is not a three-digit number");
		r->code = (int)code;
		r->error = xstrdup(m->args[1]);
		r->done = true;
		return 1;
	}
	switch (r->kind) {
	case AP_REQ_HELLO:
		return feed_hello(r, m, e);
	case AP_REQ_QUERY:
		return feed_query(r, m, e);
	case AP_REQ_GET:
	case AP_REQ_SET:
	case AP_REQ_RUN_CAPTURE:
		return feed_value(r, m, e);
	case AP_REQ_PROBE:
		return feed_probe(r, m, e);
	case AP_REQ_RUN_CHANGE:
	case AP_REQ_BYE:
		if (!strcmp(m->verb, "end")) {
			r->done = true;
			return 1;
		}
		break;
	}
	return fail(e, AP_E_BAD_REQUEST, m->line, 0, "unexpected '%s' line in the answer to '%s'", m->verb,
		    req_names[r->kind]);
}

/* Script runs. */

int ap_write_run(strbuf *out, unsigned long id, const script_call *call)
{
	if (!call->text_len)
		return -1;
	ap_begin(out, "run", id);
	ap_add(out, call->name);
	ap_add(out, script_phase_name(call->phase));
	ap_add(out, script_type_name(call->state));
	ap_addn(out, call->text, call->text_len);
	for (size_t i = 0; i < call->nparams; i++) {
		ap_add(out, call->params[i].name);
		ap_add(out, script_type_name(call->params[i].type));
		ap_add_value(out, &call->params[i].v);
	}
	ap_end(out);
	return 0;
}

int ap_run_phase(const ap_msg *m, script_phase *out)
{
	if (m->nargs < 2)
		return -1;
	for (int p = 0; p < SCRIPT_NPHASES; p++)
		if (!strcmp(m->args[1], script_phase_name((script_phase)p))) {
			*out = (script_phase)p;
			return 0;
		}
	return -1;
}

void ap_run_release(ap_run *r)
{
	script_params_free(r->params, r->nparams);
	memset(r, 0, sizeof *r);
}

int ap_parse_run(const ap_msg *m, ap_run *out, ap_error *e)
{
	memset(out, 0, sizeof *out);
	if (m->nargs < 4 || (m->nargs - 4) % 3 != 0)
		return fail(e, AP_E_BAD_REQUEST, m->line, 0,
			    "run takes a script name, a phase, the state's type, the script's text, then name, "
			    "type and value per parameter");
	if ((m->nargs - 4) / 3 > AP_MAX_RUN_PARAMS)
		return fail(e, AP_E_BAD_REQUEST, m->line, 0, "more than %u parameters", AP_MAX_RUN_PARAMS);
	if (!script_name_ok(m->args[0]))
		return fail(e, AP_E_BAD_REQUEST, m->line, 0, "a script name is [a-z0-9-]");
	if (ap_run_phase(m, &out->phase) < 0)
		return fail(e, AP_E_BAD_REQUEST, m->line, 0, "the phase is capture, apply or undo");
	if (script_type_parse(m->args[2], &out->state) < 0)
		return fail(e, AP_E_BAD_REQUEST, m->line, 0, "the state: unknown type '%.40s'", m->args[2]);
	out->name = m->args[0];
	out->text = m->args[3];
	out->text_len = m->lens[3];
	size_t n = (m->nargs - 4) / 3;
	out->params = xcalloc(n ? n : 1, sizeof *out->params);
	for (size_t i = 0; i < n; i++) {
		const char *name = m->args[4 + 3 * i], *type = m->args[5 + 3 * i];
		script_param *p = &out->params[i];
		p->v = value_null();
		out->nparams = i + 1;
		p->name = xstrdup(name);
		if (script_type_parse(type, &p->type) < 0) {
			fail(e, AP_E_BAD_REQUEST, m->line, 0, "parameter %.60s: unknown type '%.40s'", name, type);
			goto bad;
		}
		if (decode_value(m->args[6 + 3 * i], m->lens[6 + 3 * i], &p->v) < 0) {
			fail(e, AP_E_BAD_REQUEST, m->line, 0, "parameter %.60s: not a typed value in canonical form",
			     name);
			goto bad;
		}
	}
	char *err = NULL;
	if (script_params_check(out->params, out->nparams, &err) < 0) {
		fail(e, AP_E_BAD_REQUEST, m->line, 0, "%s", err);
		free(err);
		goto bad;
	}
	const script_param *st = script_params_find(out->params, out->nparams, SCRIPT_STATE_PARAM);
	if (out->phase == SCRIPT_UNDO && (!st || st->type != out->state)) {
		fail(e, AP_E_BAD_REQUEST, m->line, 0, "undo needs the parameter %s, of type %s", SCRIPT_STATE_PARAM,
		     script_type_name(out->state));
		goto bad;
	}
	return 0;
bad:
	ap_run_release(out);
	return -1;
}

/* Command lines. */

char **ap_split_command(const char *cmd, char **err)
{
	char **argv = NULL;
	size_t n = 0, cap = 0;
	const char *p = cmd;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		strbuf w = STRBUF_INIT; /* an argument may be empty: '' */
		while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
			if (*p == '\'' || *p == '"') {
				char q = *p++;
				const char *end = strchr(p, q);
				if (!end) {
					*err = xstrdup(q == '\'' ? _("unclosed single quote in the agent command")
								  : _("unclosed double quote in the agent command"));
					sb_release(&w);
					goto fail;
				}
				sb_add(&w, p, (size_t)(end - p));
				p = end + 1;
			} else {
				sb_addc(&w, *p++);
			}
		}
		GROW(argv, cap, n + 2);
		argv[n++] = sb_detach(&w);
		argv[n] = NULL;
	}
	if (!n) {
		*err = xstrdup(_("the agent command is empty"));
		goto fail;
	}
	return argv;
fail:
	if (argv) {
		argv[n] = NULL;
		ap_argv_free(argv);
	}
	return NULL;
}

void ap_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}
