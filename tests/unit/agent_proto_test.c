/* agent_proto_test.c — the agent protocol's framing, message and response rules
 * (doc/agent-protocol.md): what is accepted, what is refused, and where. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "target/agent_proto.h"
#include "testutil.h"

static int parse(const char *line, ap_msg *m, ap_error *e)
{
	ap_msg_init(m);
	memset(e, 0, sizeof *e);
	return ap_parse_line(line, strlen(line), 7, m, e);
}

Test(proto, encode_escapes_exactly_what_it_must)
{
	strbuf sb = STRBUF_INIT;
	const char in[] = "a b%c\t\x7f\xc3\xa9~!";
	ap_encode(&sb, in, sizeof in - 1);
	cr_assert_str_eq(sb_str(&sb), "a%20b%25c%09%7F%C3%A9~!");
	sb_release(&sb);
}

Test(proto, every_byte_round_trips)
{
	char in[255];
	for (int i = 0; i < 255; i++)
		in[i] = (char)(i + 1);
	strbuf line = STRBUF_INIT;
	ap_begin(&line, "value", 3);
	ap_addn(&line, in, sizeof in);
	ap_add(&line, "plain");
	ap_msg m;
	ap_error e;
	cr_assert_eq(parse(sb_str(&line), &m, &e), 0, "%s", e.msg);
	cr_assert_str_eq(m.verb, "value");
	cr_assert_eq(m.id, 3);
	cr_assert_eq(m.nargs, 2);
	cr_assert_eq(m.lens[0], sizeof in);
	cr_assert(memcmp(m.args[0], in, sizeof in) == 0);
	cr_assert_str_eq(m.args[1], "plain");
	ap_msg_release(&m);
	sb_release(&line);
}

Test(proto, values_round_trip_through_fields)
{
	value v = VALUE_NULL;
	value_list_push(&v, "C:\\Program Files\\x y");
	value_list_push(&v, "");
	value_list_push(&v, "caf\xc3\xa9 %41 \n");
	strbuf line = STRBUF_INIT;
	ap_begin(&line, "value", 9);
	ap_add_value(&line, &v);
	ap_end(&line);
	cr_assert_eq(strchr(line.buf, '\n'), line.buf + line.len - 1, "only the terminating LF is raw");
	ap_response r;
	ap_response_init(&r, AP_REQ_GET, 9, NULL, 0);
	ap_msg m;
	ap_msg_init(&m);
	ap_error e;
	cr_assert_eq(ap_parse_line(line.buf, line.len - 1, 1, &m, &e), 0);
	cr_assert_eq(ap_response_feed(&r, &m, &e), 0);
	ap_msg_release(&m);
	cr_assert_eq(parse("end 9", &m, &e), 0);
	cr_assert_eq(ap_response_feed(&r, &m, &e), 1);
	cr_assert(value_equal(&r.v, &v));
	ap_msg_release(&m);
	ap_response_release(&r);
	value_clear(&v);
	sb_release(&line);
}

Test(proto, a_trailing_cr_is_ignored)
{
	ap_msg m;
	ap_error e;
	cr_assert_eq(parse("end 4\r", &m, &e), 0);
	cr_assert_eq(m.nargs, 0);
	cr_assert_eq(m.id, 4);
	ap_msg_release(&m);
}

static void refused(const char *line, size_t col, const char *what)
{
	ap_msg m;
	ap_error e;
	cr_assert_eq(parse(line, &m, &e), -1, "'%s' was accepted", line);
	cr_assert_eq(e.line, 7);
	cr_assert_eq(e.col, col, "'%s': column %zu, want %zu (%s)", line, e.col, col, e.msg);
	cr_assert(strstr(e.msg, what), "'%s': message '%s' lacks '%s'", line, e.msg, what);
	ap_msg_release(&m);
}

Test(proto, malformed_lines_are_refused_with_their_column)
{
	refused("", 1, "empty line");
	refused("end", 1, "verb and a request id");
	refused("obj 1  x", 7, "empty field");
	refused(" obj 1", 1, "empty field");
	refused("obj 1 x ", 8, "empty field");
	refused("obj 1 a\tb", 8, "raw byte 0x09");
	refused("obj 1 caf\xc3\xa9", 10, "raw byte 0xC3");
	refused("obj 1 a%2", 8, "two hexadecimal digits");
	refused("obj 1 a%zz", 8, "two hexadecimal digits");
	refused("obj 1 a%00b", 8, "NUL");
	refused("Obj 1 a", 1, "lower-case");
	refused("obj x1 a", 5, "decimal number");
	refused("obj 12345678901 a", 15, "decimal number");
	refused("obj 4294967296 a", 5, "too large");
	refused("averyveryverylongverb 1", 1, "too long");
	refused("end 1\r\r", 6, "raw byte 0x0D");
}

Test(proto, the_reader_frames_lines_fed_in_any_pieces)
{
	const char *stream = "hello 1 1 agent\ncap 1 query batch\r\nsite 1 code s:CON\nend 1\n";
	for (size_t chunk = 1; chunk <= 7; chunk++) {
		ap_reader r;
		ap_reader_init(&r, 64);
		ap_msg m;
		ap_msg_init(&m);
		ap_error e;
		size_t got = 0, len = strlen(stream);
		const char *verbs[] = {"hello", "cap", "site", "end"};
		for (size_t off = 0; off < len; off += chunk) {
			ap_reader_feed(&r, stream + off, off + chunk > len ? len - off : chunk);
			int rc;
			while ((rc = ap_reader_next(&r, &m, &e)) != 0) {
				cr_assert_eq(rc, 1, "%s", e.msg);
				cr_assert_str_eq(m.verb, verbs[got]);
				cr_assert_eq(m.line, got + 1);
				got++;
				ap_msg_release(&m);
			}
		}
		cr_assert_eq(got, 4, "chunk %zu", chunk);
		cr_assert_eq(ap_reader_eof(&r, &e), 0);
		ap_reader_release(&r);
	}
}

Test(proto, an_oversized_line_is_reported_once_skipped_and_memory_stays_bounded)
{
	ap_reader r;
	ap_reader_init(&r, 100);
	ap_msg m;
	ap_msg_init(&m);
	ap_error e;
	char big[64];
	memset(big, 'x', sizeof big);
	int errors = 0;
	for (int i = 0; i < 1000; i++) { /* 64 KB without a LF */
		ap_reader_feed(&r, big, sizeof big);
		int rc;
		while ((rc = ap_reader_next(&r, &m, &e)) != 0) {
			cr_assert_eq(rc, -1);
			cr_assert_eq(e.code, AP_E_TOO_LARGE);
			cr_assert_eq(e.line, 1);
			cr_assert_str_eq(e.msg, "longer than 100 bytes");
			errors++;
		}
		cr_assert_leq(r.cap, 256, "the reader holds %zu bytes", r.cap);
	}
	cr_assert_eq(errors, 1);
	ap_reader_feed(&r, "xx\nend 5\n", 9);
	cr_assert_eq(ap_reader_next(&r, &m, &e), 1, "the reader resynchronises at the next LF");
	cr_assert_str_eq(m.verb, "end");
	cr_assert_eq(m.line, 2);
	ap_msg_release(&m);
	ap_reader_release(&r);
}

Test(proto, a_complete_line_over_the_limit_is_refused)
{
	ap_reader r;
	ap_reader_init(&r, 10);
	ap_msg m;
	ap_msg_init(&m);
	ap_error e;
	ap_reader_feed(&r, "end 1 12345678\nend 2\n", 21);
	cr_assert_eq(ap_reader_next(&r, &m, &e), -1);
	cr_assert_eq(e.code, AP_E_TOO_LARGE);
	cr_assert_eq(ap_reader_next(&r, &m, &e), 1);
	cr_assert_eq(m.id, 2);
	ap_msg_release(&m);
	ap_reader_release(&r);
}

Test(proto, a_stream_ending_inside_a_line_is_an_error)
{
	ap_reader r;
	ap_reader_init(&r, 100);
	ap_msg m;
	ap_msg_init(&m);
	ap_error e;
	ap_reader_feed(&r, "end 1\nclass 2 X", 15);
	cr_assert_eq(ap_reader_next(&r, &m, &e), 1);
	ap_msg_release(&m);
	cr_assert_eq(ap_reader_next(&r, &m, &e), 0);
	cr_assert_eq(ap_reader_eof(&r, &e), -1);
	cr_assert(strstr(e.msg, "line 2"), "%s", e.msg);
	ap_reader_release(&r);
}

Test(proto, hello_gives_version_capabilities_and_site)
{
	const char *lines[] = {"hello 1 1 cmharden-agent.ps1%200.1", "cap 1 query batch get", "x-note 77 ignored",
			       "site 1 code s:CON", "site 1 name s:Contoso%20HQ", "site 1 build n:",
			       "site 1 future s:ignored", "end 1", NULL};
	ap_response r;
	ap_response_init(&r, AP_REQ_HELLO, 1, NULL, 0);
	ap_error e;
	cr_assert_eq(tu_feed_lines(&r, lines, &e), 1, "%s", e.msg);
	cr_assert_eq(r.version, 1);
	cr_assert_str_eq(r.agent, "cmharden-agent.ps1 0.1");
	cr_assert(ap_response_has_cap(&r, "batch"));
	cr_assert_not(ap_response_has_cap(&r, "set"));
	cr_assert_str_eq(r.site.code, "CON");
	cr_assert_str_eq(r.site.name, "Contoso HQ");
	cr_assert_null(r.site.build);
	ap_response_release(&r);
}

static void response_refused(ap_req_kind kind, const char *const *asked, size_t nasked, const char *const *lines,
			     const char *what)
{
	ap_response r;
	ap_response_init(&r, kind, 2, asked, nasked);
	ap_error e;
	int rc = tu_feed_lines(&r, lines, &e);
	cr_assert_eq(rc, -1, "accepted (%d) where '%s' was expected", rc, what);
	cr_assert(strstr(e.msg, what), "message '%s' lacks '%s'", e.msg, what);
	cr_assert_gt(e.line, 0);
	ap_response_release(&r);
}

Test(proto, hello_violations)
{
	const char *v2[] = {"hello 2 2 future", NULL};
	response_refused(AP_REQ_HELLO, NULL, 0, v2, "protocol version 2");
	const char *nohello[] = {"site 2 code s:CON", NULL};
	response_refused(AP_REQ_HELLO, NULL, 0, nohello, "expected 'hello'");
	const char *badsite[] = {"hello 2 1 a", "site 2 code i:5", NULL};
	response_refused(AP_REQ_HELLO, NULL, 0, badsite, "typed text value");
}

Test(proto, a_batch_answer_becomes_objects)
{
	const char *asked[] = {"SMS_Site", "LocalGroup", "Registry"};
	const char *lines[] = {"class 2 localgroup 2",
			       "obj 2 CM01/Administrators Name s:Administrators Members l:5:A%5Cb%20c0:",
			       "x-progress 2",
			       "obj 2 CM01/Users Name s:Users",
			       "classerror 2 Registry 503 access%20denied",
			       "class 2 SMS_Site 0",
			       "end 2",
			       NULL};
	ap_response r;
	ap_response_init(&r, AP_REQ_QUERY, 2, asked, 3);
	ap_error e;
	cr_assert_eq(tu_feed_lines(&r, lines, &e), 1, "%s", e.msg);
	cr_assert_eq(r.nclasses, 3);
	cr_assert_str_eq(r.classes[0].cls, "LocalGroup", "the asked spelling is kept");
	cr_assert_eq(r.classes[0].objs.n, 2);
	const value *mem = object_get(&r.classes[0].objs.items[0], "members");
	cr_assert(mem && mem->kind == V_LIST && mem->n == 2);
	cr_assert_str_eq(mem->items[0], "A\\b c");
	cr_assert_str_eq(mem->items[1], "");
	cr_assert_eq(r.classes[1].code, 503);
	cr_assert_str_eq(r.classes[1].error, "access denied");
	cr_assert_eq(r.classes[2].objs.n, 0);
	cr_assert_eq(r.nobjects, 2);
	ap_response_release(&r);
}

Test(proto, query_answer_violations)
{
	const char *one[] = {"SMS_Site"};
	const char *l1[] = {"class 2 SMS_Site 2", "obj 2 A", "end 2", NULL};
	response_refused(AP_REQ_QUERY, one, 1, l1, "more 'obj' line");
	const char *l2[] = {"class 2 Other 0", NULL};
	response_refused(AP_REQ_QUERY, one, 1, l2, "not asked for");
	const char *l3[] = {"class 2 SMS_Site 0", "class 2 SMS_SITE 0", NULL};
	response_refused(AP_REQ_QUERY, one, 1, l3, "answered twice");
	const char *l4[] = {"end 2", NULL};
	response_refused(AP_REQ_QUERY, one, 1, l4, "without class 'SMS_Site'");
	const char *l5[] = {"class 2 SMS_Site 1", "obj 2 A Name", NULL};
	response_refused(AP_REQ_QUERY, one, 1, l5, "property/value pairs");
	const char *l6[] = {"class 2 SMS_Site 1", "obj 2 A Name s:x name s:y", NULL};
	response_refused(AP_REQ_QUERY, one, 1, l6, "appears twice");
	const char *l7[] = {"class 2 SMS_Site 1", "obj 2 A N i:007", NULL};
	response_refused(AP_REQ_QUERY, one, 1, l7, "canonical");
	const char *l8[] = {"class 2 SMS_Site 1", "obj 2 A N i:99999999999999999999", NULL};
	response_refused(AP_REQ_QUERY, one, 1, l8, "canonical");
	const char *l9[] = {"class 2 SMS_Site 1", "obj 2 A N l:5:ab", NULL};
	response_refused(AP_REQ_QUERY, one, 1, l9, "canonical");
	const char *l10[] = {"class 2 SMS_Site 500001", NULL};
	response_refused(AP_REQ_QUERY, one, 1, l10, "exceeds 500000 objects");
	const char *l11[] = {"class 3 SMS_Site 0", NULL};
	response_refused(AP_REQ_QUERY, one, 1, l11, "request 3 while request 2");
	const char *l12[] = {"obj 2 A", NULL};
	response_refused(AP_REQ_QUERY, one, 1, l12, "outside a class");
	const char *l13[] = {"value 2 s:x", NULL};
	response_refused(AP_REQ_QUERY, one, 1, l13, "unexpected 'value'");
	const char *l14[] = {"error 2 42 x", NULL};
	response_refused(AP_REQ_QUERY, one, 1, l14, "three-digit");
}

Test(proto, an_error_ends_the_answer_even_with_id_0)
{
	const char *one[] = {"SMS_Site"};
	const char *lines[] = {"error 0 400 line%201:%20bad", NULL};
	ap_response r;
	ap_response_init(&r, AP_REQ_QUERY, 2, one, 1);
	ap_error e;
	cr_assert_eq(tu_feed_lines(&r, lines, &e), 1);
	cr_assert_eq(r.code, 400);
	cr_assert_str_eq(r.error, "line 1: bad");
	cr_assert_str_eq(ap_error_name(r.code), "bad request");
	const char *more[] = {"end 2", NULL};
	cr_assert_eq(tu_feed_lines(&r, more, &e), -1, "nothing may follow the end of an answer");
	ap_response_release(&r);
}

Test(proto, set_answers_carry_the_previous_value)
{
	const char *lines[] = {"value 2 i:136", "end 2", NULL};
	ap_response r;
	ap_response_init(&r, AP_REQ_SET, 2, NULL, 0);
	ap_error e;
	cr_assert_eq(tu_feed_lines(&r, lines, &e), 1, "%s", e.msg);
	cr_assert_eq(r.v.kind, V_INT);
	cr_assert_eq(r.v.i, 136);
	ap_response_release(&r);
	const char *noval[] = {"end 2", NULL};
	response_refused(AP_REQ_SET, NULL, 0, noval, "without a 'value'");
	const char *twice[] = {"value 2 n:", "value 2 n:", NULL};
	response_refused(AP_REQ_GET, NULL, 0, twice, "second 'value'");
}

Test(proto, objects_are_written_within_the_line_limit)
{
	object o;
	object_init(&o, "X", "key with space");
	value v = value_str("0123456789");
	object_put(&o, "P", &v);
	strbuf sb = STRBUF_INIT;
	cr_assert_eq(ap_write_object(&sb, 5, &o, 200), 0);
	cr_assert_str_eq(sb_str(&sb), "obj 5 key%20with%20space P s:0123456789\n");
	sb_reset(&sb);
	sb_adds(&sb, "keep\n");
	cr_assert_eq(ap_write_object(&sb, 5, &o, 20), -1);
	cr_assert_str_eq(sb_str(&sb), "keep\n", "nothing is left of a refused object");
	sb_release(&sb);
	object_release(&o);
}

Test(proto, commands_split_without_a_shell)
{
	char *err = NULL;
	char **a = ap_split_command("  ssh -o 'BatchMode yes' admin@cm01 powershell -File C:\\cmh\\agent.ps1 "
				    "\"a 'b'\"c '' $HOME *",
				    &err);
	cr_assert_not_null(a, "%s", err);
	const char *want[] = {"ssh", "-o", "BatchMode yes", "admin@cm01", "powershell", "-File",
			      "C:\\cmh\\agent.ps1", "a 'b'c", "", "$HOME", "*", NULL};
	for (size_t i = 0; want[i]; i++)
		cr_assert_str_eq(a[i], want[i], "word %zu", i);
	cr_assert_null(a[11]);
	ap_argv_free(a);
	cr_assert_null(ap_split_command("ssh 'unclosed", &err));
	cr_assert(strstr(err, "unclosed single quote"), "%s", err);
	free(err);
	err = NULL;
	cr_assert_null(ap_split_command(" \t ", &err));
	cr_assert(strstr(err, "empty"), "%s", err);
	free(err);
}

/* Mutated answers (fixed seed): whatever the bytes, the reader and the assembler
 * end in a defined state, never read out of bounds (ASan and valgrind runs of this
 * suite check that) and never hold more than one line plus one feed. */
static unsigned long rng_state = 12345;
static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)((rng_state >> 33) % n);
}

Test(proto, mutated_streams_fail_cleanly)
{
	const char *good = "class 2 SMS_Site 2\nobj 2 CON SiteCode s:CON Members l:3:a%20b0: Flags i:-12\n"
			   "obj 2 XYZ N b:1 M n:\nclasserror 2 LocalGroup 503 no%20access\nx-note 2\nend 2\n";
	const char *asked[] = {"SMS_Site", "LocalGroup"};
	const char alphabet[] = " %:\n\r0123456789abcdefxyzABCDEFls-\xc3\xa9\x00\t";
	size_t glen = strlen(good), completed = 0, refused = 0;
	for (int iter = 0; iter < 20000; iter++) {
		char buf[512];
		size_t len = glen;
		memcpy(buf, good, glen);
		for (unsigned k = rnd(4) + 1; k > 0; k--) {
			unsigned op = rnd(3), at = rnd((unsigned)len + 1);
			char c = alphabet[rnd(sizeof alphabet - 1)];
			if (op == 0 && at < len) {
				buf[at] = c;
			} else if (op == 1 && len + 1 < sizeof buf) {
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = c;
				len++;
			} else if (at < len) {
				memmove(buf + at, buf + at + 1, len - at - 1);
				len--;
			}
		}
		ap_reader r;
		ap_reader_init(&r, 64);
		ap_response resp;
		ap_response_init(&resp, AP_REQ_QUERY, 2, asked, 2);
		ap_msg m;
		ap_msg_init(&m);
		ap_error e;
		int state = 0;
		for (size_t off = 0; off < len && state == 0;) {
			size_t n = rnd(40) + 1;
			if (n > len - off)
				n = len - off;
			ap_reader_feed(&r, buf + off, n);
			off += n;
			int rc;
			while (state == 0 && (rc = ap_reader_next(&r, &m, &e)) != 0) {
				if (rc < 0) {
					state = -1;
					break;
				}
				rc = ap_response_feed(&resp, &m, &e);
				ap_msg_release(&m);
				if (rc != 0)
					state = rc;
			}
			cr_assert_leq(r.len, 64 + 40, "the reader holds %zu bytes", r.len);
		}
		if (state == 1) {
			completed++;
			cr_assert(resp.done);
			size_t objs = 0;
			for (size_t i = 0; i < resp.nclasses; i++)
				objs += resp.classes[i].objs.n;
			cr_assert_eq(objs, resp.nobjects);
		} else if (state == -1) {
			refused++;
			cr_assert_gt(strlen(e.msg), 0, "every refusal says why");
		}
		ap_msg_release(&m);
		ap_response_release(&resp);
		ap_reader_release(&r);
	}
	cr_assert_gt(completed, 100, "some mutations still make a valid answer");
	cr_assert_gt(refused, 10000, "most are refused");
}

/* ---------- run ---------- */

static script_param *hostile_params(size_t *n)
{
	script_param *p = xcalloc(4, sizeof *p);
	p[0] = (script_param){xstrdup("Server"), ST_HOSTNAME, value_str("CM01")};
	p[1] = (script_param){xstrdup("Path"), ST_PATH, value_str("\\\\CM01\\Pkg;'$(calc)`x%41\xc3\xbc$")};
	p[2] = (script_param){xstrdup("Members"), ST_PRINCIPAL_LIST, VALUE_NULL};
	p[2].v.kind = V_LIST;
	value_list_push(&p[2].v, "CONTOSO\\O'Brien");
	value_list_push(&p[2].v, "CONTOSO\\$(Start-Process calc) `x` 100%25");
	value_list_push(&p[2].v, "\xc3\x84-Dom\xc3\xa4ne\\\xe6\x97\xa5\xe6\x9c\xac");
	p[3] = (script_param){xstrdup("Count"), ST_INT, value_int(-42)};
	*n = 4;
	return p;
}

static int parse_run(const char *line, ap_msg *m, ap_run *run, ap_error *e)
{
	if (parse(line, m, e) < 0)
		return -2;
	return ap_parse_run(m, run, e);
}

Test(proto, a_run_request_carries_text_and_typed_parameters_byte_for_byte)
{
	size_t n;
	script_param *p = hostile_params(&n);
	const char text[] = "param([string]$Server)\r\n# 100% \"quoted\" `tick` $(x)\n\xc3\xa9\n";
	script_call call = {"localgroup-remove-members", SCRIPT_CAPTURE, text, sizeof text - 1, p, n,
			    ST_PRINCIPAL_LIST};
	strbuf line = STRBUF_INIT;
	cr_assert_eq(ap_write_run(&line, 12, &call), 0);
	cr_assert_eq(strchr(line.buf, '\n'), line.buf + line.len - 1, "one line");
	cr_assert(strstr(line.buf, "run 12 localgroup-remove-members capture principal-list param("));
	cr_assert(strstr(line.buf, " Path path s:\\\\CM01\\Pkg;'$(calc)`x%2541%C3%BC$ "), "%s", line.buf);
	line.buf[--line.len] = '\0';
	ap_msg m;
	ap_run run;
	ap_error e;
	cr_assert_eq(parse_run(sb_str(&line), &m, &run, &e), 0, "%s", e.msg);
	cr_assert_str_eq(run.name, "localgroup-remove-members");
	cr_assert_eq(run.phase, SCRIPT_CAPTURE);
	cr_assert_eq(run.state, ST_PRINCIPAL_LIST);
	cr_assert_eq(run.text_len, sizeof text - 1);
	cr_assert(memcmp(run.text, text, sizeof text - 1) == 0);
	cr_assert_eq(run.nparams, n);
	for (size_t i = 0; i < n; i++) {
		cr_assert_str_eq(run.params[i].name, p[i].name);
		cr_assert_eq(run.params[i].type, p[i].type);
		cr_assert(value_equal(&run.params[i].v, &p[i].v), "parameter %s differs", p[i].name);
	}
	ap_run_release(&run);
	ap_msg_release(&m);
	sb_release(&line);
	/* An empty text cannot be sent (a field is never empty). */
	call.text_len = 0;
	cr_assert_eq(ap_write_run(&line, 13, &call), -1);
	cr_assert_eq(line.len, 0);
	script_params_free(p, n);
	sb_release(&line);
}

Test(proto, run_requests_an_agent_must_refuse)
{
	static const struct {
		const char *line, *why;
	} bad[] = {
		{"run 2 lg capture principal-list", "run takes"},
		{"run 2 lg capture principal-list T Server hostname", "run takes"},
		{"run 2 ../x capture principal-list T", "script name"},
		{"run 2 lg destroy principal-list T", "the phase"},
		{"run 2 lg capture text T", "the state: unknown type"},
		{"run 2 lg capture principal-list T Server shell s:CM01", "unknown type 'shell'"},
		{"run 2 lg capture principal-list T Server hostname s:CM01%3B%20calc", "a host name cannot contain ';'"},
		{"run 2 lg capture principal-list T Group name s:a%0Ab", "control character U+000A"},
		{"run 2 lg capture principal-list T Members principal-list l:12:CONTOSO\\x;%20y", "cannot contain ';'"},
		{"run 2 lg capture principal-list T Members principal-list l:3:abcd", "canonical"},
		{"run 2 lg capture principal-list T Count int i:007", "canonical"},
		{"run 2 lg capture principal-list T Count int s:7", "a int needs"},
		{"run 2 lg capture principal-list T 9x string s:a", "parameter name"},
		{"run 2 lg capture principal-list T A string s:a a string s:b", "given twice"},
		{"run 2 lg undo principal-list T Members principal-list l:", "undo needs the parameter State"},
		{"run 2 lg undo principal-list T State string-list l:", "undo needs the parameter State"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ap_msg m;
		ap_run run;
		ap_error e;
		cr_expect_eq(parse_run(bad[i].line, &m, &run, &e), -1, "accepted: %s", bad[i].line);
		cr_expect_eq(e.code, AP_E_BAD_REQUEST, "%s", bad[i].line);
		cr_expect(strstr(e.msg, bad[i].why), "%s: '%s' does not say '%s'", bad[i].line, e.msg, bad[i].why);
		ap_msg_release(&m);
	}
	ap_msg m;
	ap_run run;
	ap_error e;
	cr_assert_eq(parse_run("run 2 lg undo principal-list T State principal-list l:", &m, &run, &e), 0, "%s", e.msg);
	ap_run_release(&run);
	ap_msg_release(&m);
	/* A read-only agent refuses on the phase alone, before reading the rest. */
	script_phase ph;
	cr_assert_eq(parse("run 3 lg apply", &m, &e), 0);
	cr_assert_eq(ap_run_phase(&m, &ph), 0);
	cr_assert_eq(ph, SCRIPT_APPLY);
	ap_msg_release(&m);
}

Test(proto, run_answers)
{
	ap_response r;
	ap_error e;
	/* capture: one value, then end. */
	const char *cap[] = {"value 2 l:3:a%20b", "end 2", NULL};
	ap_response_init(&r, AP_REQ_RUN_CAPTURE, 2, NULL, 0);
	cr_assert_eq(tu_feed_lines(&r, cap, &e), 1, "%s", e.msg);
	cr_assert_eq(r.v.kind, V_LIST);
	cr_assert_eq(r.v.n, 1);
	cr_assert_str_eq(r.v.items[0], "a b");
	ap_response_release(&r);
	const char *noval[] = {"end 2", NULL};
	response_refused(AP_REQ_RUN_CAPTURE, NULL, 0, noval, "without a 'value'");
	/* apply and undo: end alone; a value is a violation. */
	const char *done[] = {"end 2", NULL};
	ap_response_init(&r, AP_REQ_RUN_CHANGE, 2, NULL, 0);
	cr_assert_eq(tu_feed_lines(&r, done, &e), 1, "%s", e.msg);
	ap_response_release(&r);
	const char *val[] = {"value 2 n:", "end 2", NULL};
	response_refused(AP_REQ_RUN_CHANGE, NULL, 0, val, "unexpected 'value' line in the answer to 'run'");
	const char *fail[] = {"error 2 500 Access%20is%20denied.", NULL};
	ap_response_init(&r, AP_REQ_RUN_CHANGE, 2, NULL, 0);
	cr_assert_eq(tu_feed_lines(&r, fail, &e), 1, "%s", e.msg);
	cr_assert_eq(r.code, 500);
	cr_assert_str_eq(r.error, "Access is denied.");
	ap_response_release(&r);
}

/* relay (issue 17): the answer to a probe. */
Test(proto, a_probe_answer_gives_every_source_with_its_reason)
{
	const char *lines[] = {"source 2 provider CM01 ok",
			       "source 2 registry CM02 denied Access%20is%20denied.",
			       "source 2 groups DP1 winrm",
			       "source 2 newsource CM01 someday%20maybe",
			       "source 2 shares CM02 teleported why",
			       "x-progress 2",
			       "changes 2 no read-only",
			       "end 2",
			       NULL};
	ap_response r;
	ap_response_init(&r, AP_REQ_PROBE, 2, NULL, 0);
	ap_error e;
	cr_assert_eq(tu_feed_lines(&r, lines, &e), 1, "%s", e.msg);
	cr_assert_eq(r.probe.n, 5);
	const probe_item *it = probe_find(&r.probe, "registry", "cm02");
	cr_assert_not_null(it, "servers are found whatever their case");
	cr_assert_eq(it->state, PROBE_DENIED);
	cr_assert_str_eq(it->message, "Access is denied.");
	cr_assert_eq(probe_find(&r.probe, "provider", "CM01")->state, PROBE_OK);
	cr_assert_null(probe_find(&r.probe, "groups", "DP1")->message);
	/* A source this cmharden does not know is kept; a state it does not know is a failure. */
	cr_assert_not_null(probe_find(&r.probe, "newsource", "CM01"));
	cr_assert_eq(probe_find(&r.probe, "shares", "CM02")->state, PROBE_UNAVAILABLE);
	cr_assert_not(r.probe.can_change);
	cr_assert_str_eq(r.probe.change_why, "read-only");
	ap_response_release(&r);
}

Test(proto, probe_answer_violations)
{
	const char *nochanges[] = {"source 2 provider CM01 ok", "end 2", NULL};
	response_refused(AP_REQ_PROBE, NULL, 0, nochanges, "without a 'changes' line");
	const char *short_source[] = {"source 2 provider CM01", NULL};
	response_refused(AP_REQ_PROBE, NULL, 0, short_source, "SOURCE SERVER STATE");
	const char *bad_changes[] = {"changes 2 maybe", NULL};
	response_refused(AP_REQ_PROBE, NULL, 0, bad_changes, "yes|no");
	const char *stray[] = {"obj 2 K a s:b", NULL};
	response_refused(AP_REQ_PROBE, NULL, 0, stray, "answer to 'probe'");
}

Test(proto, a_probe_written_reads_back_the_same)
{
	probe_result p;
	probe_init(&p);
	probe_put(&p, "registry", "CM02", PROBE_DENIED, "Access is denied. \x1b[31m");
	probe_put(&p, "provider", "CM01", PROBE_OK, NULL);
	probe_put(&p, "registry", "CM02", PROBE_TIMEOUT, "late"); /* replaces */
	p.can_change = true;
	strbuf out = STRBUF_INIT;
	ap_write_probe(&out, 7, &p);
	ap_response r;
	ap_response_init(&r, AP_REQ_PROBE, 7, NULL, 0);
	ap_error e;
	cr_assert_eq(tu_feed_stream(&r, sb_str(&out), out.len, &e), 1, "%s", e.msg);
	cr_assert_eq(r.probe.n, 2);
	cr_assert_eq(probe_find(&r.probe, "registry", "CM02")->state, PROBE_TIMEOUT);
	cr_assert_str_eq(probe_find(&r.probe, "registry", "CM02")->message, "late");
	cr_assert(r.probe.can_change);
	ap_response_release(&r);
	sb_release(&out);
	probe_release(&p);
}
