/* value_codec — cmharden's own typed-value encoder and decoder (src/base/value.c,
 * src/target/agent_proto.c) on one side of an agreement test with the
 * PowerShell agent's (tests/powershell/agent.Tests.ps1):
 *
 *   value_codec gen N SEED   N random values, one per line: the protocol field
 *                            as cmharden encodes it, a space, and a plain
 *                            description (DESC below) for the other side to check
 *   value_codec check        reads such lines written by the agent, decodes each
 *                            field with cmharden's decoder, compares it with the
 *                            description and prints "ok N" or "FAIL ..." lines
 *
 * DESC: "n", "b0"/"b1", "i" and the decimal, "s" and the hex of the UTF-8
 * bytes, "l" and the hex of each item joined by "," (an empty item is "-"). */
#define _POSIX_C_SOURCE 200809L
#include "base/util.h"
#include "base/value.h"
#include "target/agent_proto.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long rng_state;

static unsigned long long rnd(void)
{
	/* xorshift64*: reproducible from the seed on any platform. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* One random code point in UTF-8 (no NUL, no surrogates): every byte value
 * below 0x80, and two-, three- and four-byte sequences. */
static void random_char(strbuf *sb)
{
	unsigned long long r = rnd();
	unsigned cp;
	switch (r % 4) {
	case 0: cp = 1 + (unsigned)(rnd() % 0x7F); break;
	case 1: cp = 0x80 + (unsigned)(rnd() % (0x800 - 0x80)); break;
	case 2:
		do
			cp = 0x800 + (unsigned)(rnd() % (0x10000 - 0x800));
		while (cp >= 0xD800 && cp <= 0xDFFF);
		break;
	default: cp = 0x10000 + (unsigned)(rnd() % (0x110000 - 0x10000)); break;
	}
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	sb_add(sb, b, n);
}

static char *random_text(void)
{
	strbuf sb = STRBUF_INIT;
	size_t n = (size_t)(rnd() % 12);
	for (size_t i = 0; i < n; i++)
		random_char(&sb);
	return sb.buf ? sb_detach(&sb) : xstrdup("");
}

static value random_value(void)
{
	switch (rnd() % 5) {
	case 0: return value_null();
	case 1: return value_bool(rnd() % 2);
	case 2: {
		int64_t edge[] = {0, -1, 1, INT64_MAX, INT64_MIN, 4294967295LL};
		if (rnd() % 3 == 0)
			return value_int(edge[rnd() % 6]);
		return value_int((int64_t)rnd());
	}
	case 3: return value_str_take(random_text());
	default: {
		value v = {.kind = V_LIST};
		size_t n = (size_t)(rnd() % 5);
		for (size_t i = 0; i < n; i++) {
			char *t = random_text();
			value_list_push(&v, t);
			free(t);
		}
		return v;
	}
	}
}

static void hex(strbuf *sb, const char *s)
{
	if (!*s)
		sb_adds(sb, "-");
	for (; *s; s++)
		sb_addf(sb, "%02X", (unsigned char)*s);
}

static void describe(const value *v, strbuf *sb)
{
	switch (v->kind) {
	case V_NULL: sb_adds(sb, "n"); break;
	case V_BOOL: sb_addf(sb, "b%d", v->b ? 1 : 0); break;
	case V_INT: sb_addf(sb, "i%" PRId64, v->i); break;
	case V_STR: sb_adds(sb, "s"); hex(sb, v->s); break;
	case V_LIST:
		sb_adds(sb, "l");
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				sb_adds(sb, ",");
			hex(sb, v->items[i]);
		}
		break;
	}
}

static int gen(long n, unsigned long long seed)
{
	rng_state = seed ? seed : 88172645463325252ULL;
	for (long k = 0; k < n; k++) {
		value v = random_value();
		strbuf typed = STRBUF_INIT, field = STRBUF_INIT, desc = STRBUF_INIT;
		value_encode(&v, &typed);
		ap_encode(&field, sb_str(&typed), typed.len);
		describe(&v, &desc);
		printf("%s %s\n", sb_str(&field), sb_str(&desc));
		sb_release(&typed);
		sb_release(&field);
		sb_release(&desc);
		value_clear(&v);
	}
	return 0;
}

static int check(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long no = 0, bad = 0;
	while ((len = getline(&line, &cap, stdin)) > 0) {
		no++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		char *sp = strchr(line, ' ');
		if (!sp) {
			printf("FAIL line %lu: no description\n", no);
			bad++;
			continue;
		}
		*sp = '\0';
		/* The field as it would travel: "value 1 FIELD", parsed as cmharden does. */
		char *msgline = xasprintf("value 1 %s", line);
		ap_msg m;
		ap_msg_init(&m);
		ap_error e;
		value v = VALUE_NULL;
		strbuf desc = STRBUF_INIT, again = STRBUF_INIT;
		if (ap_parse_line(msgline, strlen(msgline), no, &m, &e) < 0 || m.nargs != 1) {
			printf("FAIL line %lu: the field does not parse: %s\n", no, e.msg);
			bad++;
		} else if (value_decode(m.args[0], m.lens[0], &v) < 0) {
			printf("FAIL line %lu: not a typed value in canonical form\n", no);
			bad++;
		} else {
			describe(&v, &desc);
			value_encode(&v, &again);
			if (strcmp(sb_str(&desc), sp + 1) != 0) {
				printf("FAIL line %lu: decoded %s, the agent meant %s\n", no, sb_str(&desc), sp + 1);
				bad++;
			} else if (again.len != m.lens[0] || memcmp(sb_str(&again), m.args[0], again.len) != 0) {
				printf("FAIL line %lu: not canonical\n", no);
				bad++;
			}
		}
		value_clear(&v);
		sb_release(&desc);
		sb_release(&again);
		ap_msg_release(&m);
		free(msgline);
	}
	free(line);
	printf("%s %lu\n", bad ? "FAIL" : "ok", no);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "gen"))
		return gen(atol(argv[2]), strtoull(argv[3], NULL, 10));
	if (argc == 2 && !strcmp(argv[1], "check"))
		return check();
	fprintf(stderr, "usage: value_codec gen N SEED | value_codec check\n");
	return 64;
}
