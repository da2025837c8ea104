/* fuzz_agent.c — the agent protocol reader (src/target/agent_proto.h): the bytes an
 * agent sends, fed in pieces of a size the input chooses, through the line
 * reader and the answer assembler of a request the input chooses too.
 *
 * Oracles: the reader never holds more than one line plus one feed; every
 * error says where; an answer that completes holds only canonical values, and
 * each object it holds writes back as one line that parses again; site text
 * and objects, sanitised, are inert. The same bytes also go through
 * ap_split_command (how agent:COMMAND is split without a shell). */
#include "config.h"
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target/agent_proto.h"
#include "base/sanitize.h"

static void check_object(const object *o, unsigned long id)
{
	strbuf sb = STRBUF_INIT;
	sanitize_append(&sb, o->key, strlen(o->key), 0);
	fuzz_assert_inert(sb_str(&sb), sb.len, "agent object key, sanitised");
	for (size_t p = 0; p < o->n; p++) {
		strbuf enc = STRBUF_INIT;
		value_encode(&o->props[p].v, &enc);
		value back;
		if (value_decode(sb_str(&enc), enc.len, &back) < 0 || !value_equal(&back, &o->props[p].v)) {
			fprintf(stderr, "a value from the agent is not canonical\n");
			abort();
		}
		value_clear(&back);
		sb_release(&enc);
	}
	sb_reset(&sb);
	if (ap_write_object(&sb, id, o, AP_MAX_LINE) == 0) {
		/* One line, LF-terminated, that the reader accepts again. */
		if (!sb.len || sb.buf[sb.len - 1] != '\n' || memchr(sb.buf, '\n', sb.len - 1))
			abort();
		ap_msg m;
		ap_error e;
		ap_msg_init(&m);
		if (ap_parse_line(sb.buf, sb.len - 1, 1, &m, &e) < 0) {
			fprintf(stderr, "an object read from the agent does not write back: %s\n", e.msg);
			abort();
		}
		ap_msg_release(&m);
	}
	sb_release(&sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	static const char *const asked[] = {"SMS_Site", "LocalGroup", "Registry"};
	static const ap_req_kind kinds[] = {AP_REQ_HELLO, AP_REQ_QUERY, AP_REQ_GET, AP_REQ_SET};
	static const unsigned long ids[] = {1, 2, 3, 4};
	unsigned sel = data[0] & 3;
	size_t piece = data[1] ? data[1] : size; /* 0: all at once */
	size_t max_line = (data[0] & 0x80) ? 64 : AP_MAX_LINE;
	const char *bytes = (const char *)data + 2;
	size_t n = size - 2;

	ap_reader r;
	ap_reader_init(&r, max_line);
	ap_response resp;
	ap_response_init(&resp, kinds[sel], ids[sel], sel == 1 ? asked : NULL, sel == 1 ? 3 : 0);
	bool done = false, broken = false;
	for (size_t off = 0; off < n;) {
		size_t k = n - off < piece ? n - off : piece;
		ap_reader_feed(&r, bytes + off, k);
		off += k;
		for (;;) {
			ap_msg m;
			ap_error e;
			ap_msg_init(&m);
			memset(&e, 0, sizeof e);
			int rc = ap_reader_next(&r, &m, &e);
			if (rc == 0) {
				ap_msg_release(&m);
				break;
			}
			if (rc < 0) {
				if (!e.msg[0] || !e.code)
					abort(); /* every error says what and where */
				broken = true;
			} else if (!done && !broken) {
				int f = ap_response_feed(&resp, &m, &e);
				if (f < 0 && (!e.msg[0] || !e.code))
					abort();
				if (f < 0)
					broken = true;
				else if (f == 1)
					done = true;
			}
			ap_msg_release(&m);
		}
		/* Bounded: at most one line plus one feed is held. */
		if (r.len > max_line + k + 1) {
			fprintf(stderr, "the reader holds %zu bytes (line limit %zu, feed %zu)\n", r.len, max_line, k);
			abort();
		}
	}
	ap_error e;
	(void)ap_reader_eof(&r, &e);
	if (done && !broken && !resp.code) {
		for (size_t c = 0; c < resp.nclasses; c++)
			for (size_t i = 0; i < resp.classes[c].objs.n; i++)
				check_object(&resp.classes[c].objs.items[i], resp.id);
		const char *site[] = {resp.site.code, resp.site.name, resp.site.server, resp.site.version,
				      resp.site.build, resp.site.mode};
		for (size_t i = 0; i < 6; i++)
			if (site[i]) {
				char *s = sanitize_dup(site[i], 0);
				fuzz_assert_inert(s, strlen(s), "agent site field, sanitised");
				free(s);
			}
	}
	ap_response_release(&resp);
	ap_reader_release(&r);

	char *cmd = xstrndup(bytes, n), *err = NULL;
	char **argv = ap_split_command(cmd, &err);
	if (argv) {
		if (!argv[0])
			abort(); /* an empty command is an error, not an empty vector */
		ap_argv_free(argv);
	} else if (!err) {
		abort();
	}
	free(err);
	free(cmd);
	return 0;
}
