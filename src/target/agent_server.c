/* agent_server.c — serves a target over the agent protocol
 * (doc/agent-protocol.md), reading and writing through it: how labs are
 * served to trainees over ssh (`cmharden agent`), and how the wire path is
 * tested end to end.
 *
 * The output carries the protocol and nothing else. A malformed request is
 * answered with an error and the session goes on; an over-long line is
 * answered once and skipped. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "target/agent_proto.h"
#include "target/agent_server.h"
#include "base/util.h"
#include "base/i18n.h"
#include "target/target.h"

typedef struct server {
	target *t;
	bool readonly;
	bool said_hello;
	strbuf out;
	const agent_break *broken;
	size_t nbroken;
	const char *const *deny_modify;
	size_t ndeny;
} server;

typedef int (*handler)(server *S, const ap_msg *m);

static int reply_error(server *S, unsigned long id, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int reply_error(server *S, unsigned long id, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	ap_write_error(&S->out, id, code, msg);
	free(msg);
	return 0;
}

static bool class_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

static int h_hello(server *S, const ap_msg *m)
{
	char *end1, *end2;
	if (m->nargs != 2)
		return reply_error(S, m->id, AP_E_BAD_REQUEST, "hello takes the lowest and highest version");
	unsigned long lo = strtoul(m->args[0], &end1, 10), hi = strtoul(m->args[1], &end2, 10);
	if (*end1 || *end2)
		return reply_error(S, m->id, AP_E_BAD_REQUEST, "the versions must be numbers");
	if (lo > AP_VERSION || hi < AP_VERSION)
		return reply_error(S, m->id, AP_E_VERSION, "this agent speaks protocol version %d only", AP_VERSION);
	site_info si;
	memset(&si, 0, sizeof si);
	char *err = NULL;
	if (target_site(S->t, &si, &err) < 0) {
		reply_error(S, m->id, AP_E_UNAVAILABLE, "%s", err);
		free(err);
		return 0;
	}
	S->said_hello = true;
	ap_begin(&S->out, "hello", m->id);
	ap_add_ulong(&S->out, AP_VERSION);
	char *who = xasprintf("cmharden %s serving %s", PACKAGE_VERSION, S->t->spec);
	ap_add(&S->out, who);
	free(who);
	ap_end(&S->out);
	ap_begin(&S->out, "cap", m->id);
	ap_add(&S->out, "query");
	ap_add(&S->out, "batch");
	ap_add(&S->out, "get");
	if (!S->readonly)
		ap_add(&S->out, "set");
	if (S->t->ops->run)
		ap_add(&S->out, "run"); /* capture only, when read-only */
	ap_add(&S->out, "probe");
	ap_end(&S->out);
	const char *names[] = {"code", "name", "server", "version", "build", "mode"};
	const char *vals[] = {si.code, si.name, si.server, si.version, si.build, si.mode};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		value v = vals[i] ? value_str(vals[i]) : value_null();
		ap_begin(&S->out, "site", m->id);
		ap_add(&S->out, names[i]);
		ap_add_value(&S->out, &v);
		ap_end(&S->out);
		value_clear(&v);
	}
	ap_begin(&S->out, "end", m->id);
	ap_end(&S->out);
	site_info_release(&si);
	return 0;
}

/* What Windows says for each kind of failure (the texts of the exceptions the
 * PowerShell agent and the relay see), so that a rehearsal reads like the real thing. */
static const char *broken_text(probe_state st)
{
	switch (st) {
	case PROBE_DENIED:
		return "Access is denied. (Exception from HRESULT: 0x80070005 (E_ACCESSDENIED))";
	case PROBE_WINRM:
		return "Connecting to remote server failed: the WinRM client cannot complete the operation "
		       "(WinRM is not enabled or a firewall blocks it)";
	case PROBE_UNRESOLVED:
		return "The network path was not found: the name could not be resolved";
	case PROBE_TIMEOUT:
		return "The operation has timed out.";
	case PROBE_DROPPED:
		return "Processing data from remote server failed with the following error message: The I/O "
		       "operation has been aborted because of either a thread exit or an application request.";
	case PROBE_OK:
	case PROBE_UNAVAILABLE:
	case PROBE_NSTATES:
		break;
	}
	return "The RPC server is unavailable. (Exception from HRESULT: 0x800706BA)";
}

static char *broken_message(const agent_break *b)
{
	return xasprintf("%s: %s", b->server, broken_text(b->state));
}

/* The break that covers a class, if any (a class is read from one source). */
static const agent_break *broken_for_class(const server *S, const char *cls)
{
	const char *src = probe_source_of(cls);
	for (size_t i = 0; src && i < S->nbroken; i++)
		if (!strcmp(S->broken[i].source, src))
			return &S->broken[i];
	return NULL;
}

int agent_break_parse(const char *arg, agent_break *out)
{
	const char *at = strchr(arg, '@'), *eq = strrchr(arg, '=');
	if (!at || !eq || eq < at || at == arg || eq == at + 1 || !eq[1])
		return -1;
	char *source = xstrndup(arg, (size_t)(at - arg));
	bool known = false;
	for (size_t i = 0; i < probe_nsources && !known; i++)
		known = !strcmp(probe_sources[i], source);
	probe_state st = probe_state_parse(eq + 1);
	if (!known || (st == PROBE_UNAVAILABLE && strcmp(eq + 1, "unavailable") != 0) || st == PROBE_OK) {
		free(source);
		return -1;
	}
	out->source = source;
	out->server = xstrndup(at + 1, (size_t)(eq - at - 1));
	out->state = st;
	return 0;
}

void agent_break_release(agent_break *b)
{
	free(b->source);
	free(b->server);
	memset(b, 0, sizeof *b);
}

/* The answer for a list of classes: `class` + `obj` lines, or `classerror`. */
static int answer_classes(server *S, unsigned long id, char *const *classes, size_t n)
{
	size_t nobjs = 0;
	strbuf part = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const char *cls = classes[i];
		if (!class_name_ok(cls)) {
			reply_error(S, id, AP_E_BAD_REQUEST, "'%s' is not a class name", cls);
			sb_release(&part);
			return 0;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const char *cls = classes[i];
		objset os;
		objset_init(&os);
		char *err = NULL;
		sb_reset(&part);
		const agent_break *b = broken_for_class(S, cls);
		if (b) {
			char *msg = broken_message(b);
			ap_begin(&S->out, "classerror", id);
			ap_add(&S->out, cls);
			ap_add_ulong(&S->out, AP_E_UNAVAILABLE);
			ap_add(&S->out, msg);
			ap_end(&S->out);
			free(msg);
			continue;
		}
		if (target_query(S->t, cls, &os, &err) < 0) {
			ap_begin(&S->out, "classerror", id);
			ap_add(&S->out, cls);
			ap_add_ulong(&S->out, AP_E_UNAVAILABLE);
			ap_add(&S->out, err ? err : "the class could not be read");
			ap_end(&S->out);
			free(err);
			objset_release(&os);
			continue;
		}
		const char *why = NULL;
		if (nobjs + os.n > AP_MAX_OBJECTS)
			why = "more objects than one answer may carry";
		for (size_t k = 0; k < os.n && !why; k++)
			if (ap_write_object(&part, id, &os.items[k], AP_MAX_LINE) < 0)
				why = "an object is larger than the line limit";
		if (!why && S->out.len + part.len > AP_MAX_RESPONSE - AP_MAX_LINE)
			why = "the answer would exceed the response limit";
		if (why) {
			ap_begin(&S->out, "classerror", id);
			ap_add(&S->out, cls);
			ap_add_ulong(&S->out, AP_E_TOO_LARGE);
			ap_add(&S->out, why);
			ap_end(&S->out);
		} else {
			nobjs += os.n;
			ap_begin(&S->out, "class", id);
			ap_add(&S->out, cls);
			ap_add_ulong(&S->out, (unsigned long)os.n);
			ap_end(&S->out);
			sb_add(&S->out, sb_str(&part), part.len);
		}
		objset_release(&os);
	}
	sb_release(&part);
	ap_begin(&S->out, "end", id);
	ap_end(&S->out);
	return 0;
}

static int h_query(server *S, const ap_msg *m)
{
	if (m->nargs != 1)
		return reply_error(S, m->id, AP_E_BAD_REQUEST, "query takes one class (batch takes several)");
	return answer_classes(S, m->id, m->args, 1);
}

static int h_batch(server *S, const ap_msg *m)
{
	if (m->nargs < 1 || m->nargs > AP_MAX_BATCH)
		return reply_error(S, m->id, AP_E_BAD_REQUEST, "batch takes 1 to %u classes", AP_MAX_BATCH);
	return answer_classes(S, m->id, m->args, m->nargs);
}

static void reply_value(server *S, unsigned long id, const value *v)
{
	ap_begin(&S->out, "value", id);
	ap_add_value(&S->out, v);
	ap_end(&S->out);
	ap_begin(&S->out, "end", id);
	ap_end(&S->out);
}

static int h_get(server *S, const ap_msg *m)
{
	if (m->nargs != 3)
		return reply_error(S, m->id, AP_E_BAD_REQUEST, "get takes a class, a key and a property");
	value v = VALUE_NULL;
	char *err = NULL;
	if (target_get(S->t, m->args[0], m->args[1], m->args[2], &v, &err) < 0) {
		reply_error(S, m->id, AP_E_NOT_FOUND, "%s", err);
		free(err);
		return 0;
	}
	reply_value(S, m->id, &v);
	value_clear(&v);
	return 0;
}

/* The account lacks MODIFY on this class (--deny-modify). */
static bool modify_denied(const server *S, const char *cls)
{
	for (size_t i = 0; i < S->ndeny; i++)
		if (!strcasecmp(S->deny_modify[i], cls))
			return true;
	return false;
}

static int h_set(server *S, const ap_msg *m)
{
	if (m->nargs != 4)
		return reply_error(S, m->id, AP_E_BAD_REQUEST, "set takes a class, a key, a property and a value");
	if (S->readonly)
		return reply_error(S, m->id, AP_E_READ_ONLY, "this agent was started read-only (--read-only)");
	if (modify_denied(S, m->args[0]))
		return reply_error(S, m->id, AP_E_AGENT, "Access denied (the account has no MODIFY right on %s)",
				   m->args[0]);
	value v, cur = VALUE_NULL, prev = VALUE_NULL;
	strbuf enc = STRBUF_INIT;
	if (value_decode(m->args[3], m->lens[3], &v) < 0)
		return reply_error(S, m->id, AP_E_BAD_REQUEST, "the value is not a typed value");
	value_encode(&v, &enc);
	bool canonical = enc.len == m->lens[3] && !memcmp(sb_str(&enc), m->args[3], enc.len);
	sb_release(&enc);
	if (!canonical) {
		value_clear(&v);
		return reply_error(S, m->id, AP_E_BAD_REQUEST, "the value is not in canonical form");
	}
	char *err = NULL;
	if (target_get(S->t, m->args[0], m->args[1], m->args[2], &cur, &err) < 0) {
		reply_error(S, m->id, AP_E_NOT_FOUND, "%s", err);
	} else if (target_set(S->t, m->args[0], m->args[1], m->args[2], &v, &prev, &err) < 0) {
		reply_error(S, m->id, S->t->readonly ? AP_E_READ_ONLY : AP_E_AGENT, "%s", err);
	} else {
		reply_value(S, m->id, &prev);
	}
	free(err);
	value_clear(&v);
	value_clear(&cur);
	value_clear(&prev);
	return 0;
}

/* One phase of a fix script, through the target's own run (a lab runs its
 * handler in lab_scripts.c; the text is carried but a lab does not read it).
 * The checks script_run() makes on the client are made again here: an agent
 * does not trust its client. */
static int h_run(server *S, const ap_msg *m)
{
	script_phase phase;
	if (!S->t->ops->run)
		return reply_error(S, m->id, AP_E_UNSUPPORTED, "this agent's target cannot run fix scripts");
	if (ap_run_phase(m, &phase) == 0 && phase != SCRIPT_CAPTURE && S->readonly)
		return reply_error(S, m->id, AP_E_READ_ONLY, "this agent was started read-only (--read-only)");
	ap_run run;
	ap_error e;
	if (ap_parse_run(m, &run, &e) < 0)
		return reply_error(S, m->id, e.code, "%s", e.msg);
	script_call call = {run.name, run.phase, run.text, run.text_len, run.params, run.nparams, run.state};
	value outcome = VALUE_NULL;
	char *err = NULL;
	if (S->t->ops->run(S->t, &call, &outcome, &err) < 0) {
		reply_error(S, m->id, AP_E_AGENT, "%s", err ? err : "the script failed");
	} else if (run.phase == SCRIPT_CAPTURE && script_value_check(run.state, &outcome, &err) < 0) {
		reply_error(S, m->id, AP_E_AGENT, "the capture script returned a state that is not a %s: %s",
			    script_type_name(run.state), err);
	} else if (run.phase == SCRIPT_CAPTURE) {
		reply_value(S, m->id, &outcome);
	} else {
		ap_begin(&S->out, "end", m->id);
		ap_end(&S->out);
	}
	free(err);
	value_clear(&outcome);
	ap_run_release(&run);
	return 0;
}

/* Which sources the lab can read: all of them, on every server its objects
 * name, except those broken on purpose; the MODIFY right on the secured
 * classes, as the PowerShell agent asks it: granted but where denied. */
static int h_probe(server *S, const ap_msg *m)
{
	if (m->nargs != 0)
		return reply_error(S, m->id, AP_E_BAD_REQUEST, "probe takes no arguments");
	probe_result p;
	probe_init(&p);
	target_probe_from_classes(S->t, &p);
	for (size_t i = 0; i < S->nbroken; i++)
		probe_put(&p, S->broken[i].source, S->broken[i].server, S->broken[i].state,
			  broken_text(S->broken[i].state));
	for (size_t i = 0; i < probe_nsecured_classes; i++)
		probe_put_right(&p, probe_secured_classes[i], "modify",
				modify_denied(S, probe_secured_classes[i]) ? RIGHT_NO : RIGHT_YES, NULL);
	if (S->readonly && p.can_change) {
		p.can_change = false;
		free(p.change_why);
		p.change_why = xstrdup("the agent was started read-only (--read-only)");
	}
	ap_write_probe(&S->out, m->id, &p);
	probe_release(&p);
	return 0;
}

static int h_bye(server *S, const ap_msg *m)
{
	ap_begin(&S->out, "end", m->id);
	ap_end(&S->out);
	return 1;
}

static const struct {
	const char *verb;
	handler fn;
} handlers[] = {
	{"hello", h_hello}, {"query", h_query}, {"batch", h_batch},
	{"get", h_get},     {"set", h_set},     {"run", h_run}, {"bye", h_bye}, {"probe", h_probe},
};

static int serve(server *S, const ap_msg *m)
{
	if (m->id == 0)
		return reply_error(S, 0, AP_E_BAD_REQUEST, "request ids start at 1");
	for (size_t i = 0; i < ARRAY_SIZE(handlers); i++) {
		if (strcmp(handlers[i].verb, m->verb) != 0)
			continue;
		if (!S->said_hello && handlers[i].fn != h_hello && handlers[i].fn != h_bye)
			return reply_error(S, m->id, AP_E_BAD_REQUEST, "the session starts with hello");
		return handlers[i].fn(S, m);
	}
	return reply_error(S, m->id, AP_E_UNSUPPORTED, "unknown request '%s'", m->verb);
}

static int flush_out(server *S, int fd)
{
	size_t off = 0;
	while (off < S->out.len) {
		ssize_t n = write(fd, S->out.buf + off, S->out.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	sb_reset(&S->out);
	return 0;
}

int agent_serve(target *t, bool read_only, int in, int out, char **err)
{
	return agent_serve_broken(t, read_only, NULL, 0, NULL, 0, in, out, err);
}

int agent_serve_broken(target *t, bool read_only, const agent_break *broken, size_t nbroken,
		       const char *const *deny_modify, size_t ndeny, int in, int out, char **err)
{
	*err = NULL;
	signal(SIGPIPE, SIG_IGN); /* a vanished client is an error return, not a signal */
	server S;
	memset(&S, 0, sizeof S);
	S.t = t;
	S.readonly = read_only || t->readonly;
	S.broken = broken;
	S.nbroken = nbroken;
	S.deny_modify = deny_modify;
	S.ndeny = ndeny;
	ap_reader rd;
	ap_reader_init(&rd, AP_MAX_LINE);
	ap_msg m;
	ap_msg_init(&m);
	char buf[65536];
	bool bye = false;
	int rc = 0;
	while (!bye) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*err = xstrdup(strerror(errno));
			rc = -1;
			break;
		}
		if (n == 0)
			break;
		ap_reader_feed(&rd, buf, (size_t)n);
		ap_error e;
		int r;
		while (!bye && (r = ap_reader_next(&rd, &m, &e)) != 0) {
			if (r < 0) {
				/* The id may be unknown: 0 says "your request, whichever it was". */
				if (e.col)
					reply_error(&S, 0, e.code, "line %lu, column %zu: %s", e.line, e.col, e.msg);
				else
					reply_error(&S, 0, e.code, "line %lu: %s", e.line, e.msg);
			} else {
				bye = serve(&S, &m) == 1;
				ap_msg_release(&m);
			}
			if (flush_out(&S, out) < 0) {
				/* The client went away: nothing more to say, to anyone. */
				rc = -1;
				bye = true;
			}
		}
	}
	ap_msg_release(&m);
	ap_reader_release(&rd);
	sb_release(&S.out);
	return rc;
}
