/* agent_proto.h — the agent protocol's framing and messages
 * (../doc/agent-protocol.md is the reference).
 *
 * Everything here is a pure function of its input: a reader turns bytes into
 * messages or positioned errors, a response assembler turns messages into
 * objects and values, and a writer formats requests and responses. Nothing
 * does I/O, so the whole path from bytes to objects can be fuzzed.
 *
 * Bounds (a misbehaving agent cannot make the client use more):
 *   one line              AP_MAX_LINE bytes (without its LF)
 *   one response          AP_MAX_RESPONSE bytes and AP_MAX_OBJECTS objects
 *   one batch request     AP_MAX_BATCH classes
 * The reader holds at most one line plus the bytes of one feed. */
#ifndef CMH_AGENT_PROTO_H
#define CMH_AGENT_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#include "content/expr.h"
#include "base/object.h"
#include "base/script_param.h"
#include "base/util.h"
#include "base/value.h"
#include "target/probe.h"

#define AP_VERSION 1
#define AP_MAX_LINE (1u << 20)
#define AP_MAX_RESPONSE (256u << 20)
#define AP_MAX_OBJECTS 500000u
#define AP_MAX_BATCH 256u
#define AP_MAX_ID 4294967295ul
#define AP_MAX_RUN_PARAMS 64u

/* Error codes on the wire (an `error` line) and in ap_error. */
#define AP_ERROR_TABLE(X)                                                                  \
	X(AP_E_BAD_REQUEST, 400, "bad request")                                            \
	X(AP_E_READ_ONLY, 403, "read-only")                                                \
	X(AP_E_NOT_FOUND, 404, "not found")                                                \
	X(AP_E_UNSUPPORTED, 405, "not supported")                                          \
	X(AP_E_TOO_LARGE, 413, "too large")                                                \
	X(AP_E_VERSION, 426, "protocol version not supported")                             \
	X(AP_E_AGENT, 500, "agent failure")                                                \
	X(AP_E_UNAVAILABLE, 503, "source unavailable")

enum {
#define AP_ENUM(name, code, text) name = code,
	AP_ERROR_TABLE(AP_ENUM)
#undef AP_ENUM
};

/* The short English name of a code ("not found"), or "error" for unknown codes. */
const char *ap_error_name(int code);

/* A protocol error, with where it was found. */
typedef struct ap_error {
	int code;           /* AP_E_* */
	unsigned long line; /* 1-based line of the stream; 0 when not tied to a line */
	size_t col;         /* 1-based byte column in that line; 0 when not tied to one */
	char msg[200];
} ap_error;

/* One line, split and decoded. Fields never contain NUL (the protocol forbids it). */
typedef struct ap_msg {
	char verb[16];
	unsigned long id;
	char **args;
	size_t *lens;
	size_t nargs;
	size_t raw_len; /* bytes of the line on the wire, LF included */
	unsigned long line;
	char *store; /* one allocation behind args */
} ap_msg;

void ap_msg_init(ap_msg *m);
void ap_msg_release(ap_msg *m);

/* Parses one line (without its LF; one trailing CR is ignored) into *m, which must
 * have been initialised (its previous contents are released). 0, or -1 with *e set.
 * `lineno` is only used for positions in *e. */
int ap_parse_line(const char *line, size_t len, unsigned long lineno, ap_msg *m, ap_error *e);

/* Byte stream -> lines. Feed what was read, then call ap_reader_next() until it
 * returns 0 before feeding more: then the reader never holds more than one line
 * plus one feed. A line longer than the limit is reported once and skipped up to
 * its LF; a malformed line is reported and consumed, so reading can go on. */
typedef struct ap_reader {
	char *buf;
	size_t start, len, cap; /* pending bytes are buf[start .. start+len) */
	size_t scanned;         /* bytes of the pending line already searched for LF */
	size_t max_line;
	unsigned long line; /* number of the next line, 1-based */
	bool skipping;      /* inside an over-long line */
} ap_reader;

void ap_reader_init(ap_reader *r, size_t max_line);
void ap_reader_release(ap_reader *r);
void ap_reader_feed(ap_reader *r, const char *data, size_t n);
/* 1: a message in *m (release it); 0: need more bytes; -1: an error in *e. */
int ap_reader_next(ap_reader *r, ap_msg *m, ap_error *e);
/* At end of stream: -1 with *e if an incomplete line is pending, else 0. */
int ap_reader_eof(const ap_reader *r, ap_error *e);

/* Writing: ap_begin, any number of ap_add*, then ap_end. */
void ap_encode(strbuf *out, const char *s, size_t n);
void ap_begin(strbuf *out, const char *verb, unsigned long id);
void ap_add(strbuf *out, const char *s);
void ap_addn(strbuf *out, const char *s, size_t n);
void ap_add_value(strbuf *out, const value *v);
void ap_add_ulong(strbuf *out, unsigned long n);
void ap_end(strbuf *out);
/* An `error ID CODE MESSAGE` line. */
void ap_write_error(strbuf *out, unsigned long id, int code, const char *msg);
/* One `obj` line for an object; -1 (and nothing written) if it would exceed max_line. */
int ap_write_object(strbuf *out, unsigned long id, const object *o, size_t max_line);

/* A `run` request: `run ID NAME PHASE STATE TEXT` (STATE: the type name of the
 * captured state) then NAME TYPE VALUE per parameter,
 * the value in value_encode()'s form. -1 (nothing written) when the call cannot
 * be sent: an empty script text (a field is never empty). */
int ap_write_run(strbuf *out, unsigned long id, const script_call *call);

/* A `run` request as an agent reads it. name and text point into the message;
 * params are decoded copies (free with ap_run_release). */
typedef struct ap_run {
	const char *name;
	script_phase phase;
	script_type state;
	const char *text;
	size_t text_len;
	script_param *params;
	size_t nparams;
} ap_run;

/* Reads the phase of a run request only (for a read-only agent, which refuses
 * apply and undo before anything else): 0, or -1 if the field is not a phase. */
int ap_run_phase(const ap_msg *m, script_phase *out);
/* Decodes and checks a run request: the script name ([a-z0-9-]), the phase,
 * the state's type, every parameter's type (known), value (typed, canonical)
 * and the value against its type (script_params_check: an agent does not
 * trust its client); undo must carry State, of the state's type.
 * 0, or -1 with *e (AP_E_BAD_REQUEST, the message names the parameter). */
int ap_parse_run(const ap_msg *m, ap_run *out, ap_error *e);
void ap_run_release(ap_run *r);

/* The response to one request, assembled from its lines. A run's capture is
 * answered with one value (AP_REQ_RUN_CAPTURE); its apply and undo with `end`
 * alone (AP_REQ_RUN_CHANGE). */
typedef enum {
	AP_REQ_HELLO,
	AP_REQ_QUERY,
	AP_REQ_GET,
	AP_REQ_SET,
	AP_REQ_BYE,
	AP_REQ_RUN_CAPTURE,
	AP_REQ_RUN_CHANGE,
	AP_REQ_PROBE
} ap_req_kind;

/* At most this many `source` lines in the answer to a probe. */
#define AP_MAX_PROBE_ITEMS 4096u

typedef struct ap_class {
	char *cls;
	objset objs;
	int code;    /* 0, or the agent's error code for this class */
	char *error; /* the agent's message when code != 0 */
	/* With code 0: the site systems the class could not be read on
	 * ('servererror' lines), "SERVER: message (code name)" joined by "; ",
	 * or NULL when every server was read. The objects are the others'. */
	char *partial;
} ap_class;

typedef struct ap_response {
	ap_req_kind kind;
	unsigned long id;
	/* query and batch: the classes asked for, answered in any order */
	char **asked;
	size_t nasked;
	ap_class *classes;
	size_t nclasses;
	size_t expect_objs; /* objects still due in the current class */
	/* hello */
	unsigned version;
	char *agent;
	char **caps;
	size_t ncaps;
	site_info site;
	/* probe: `source` and `changes` lines */
	probe_result probe;
	bool has_changes;
	/* get, set */
	value v;
	bool has_value;
	/* an `error` line ended the response */
	int code;
	char *error;
	size_t nobjects, bytes;
	bool started, done;
} ap_response;

/* The answer to a probe: `source SOURCE SERVER STATE [MESSAGE]` lines, one
 * `changes yes|no [MESSAGE]`, then `end`. */
void ap_write_probe(strbuf *out, unsigned long id, const probe_result *p);

/* `asked` (copied) lists the classes of a query or batch; NULL otherwise. */
void ap_response_init(ap_response *r, ap_req_kind kind, unsigned long id, const char *const *asked,
		      size_t nasked);
void ap_response_release(ap_response *r);
/* 1: the response is complete; 0: more lines are due; -1: a protocol violation in *e. */
int ap_response_feed(ap_response *r, const ap_msg *m, ap_error *e);
bool ap_response_has_cap(const ap_response *r, const char *cap);

/* Splits an agent command line into words without a shell (doc/agent-protocol.md):
 * whitespace separates words, '...' and "..." quote literally (no escapes inside),
 * a backslash is an ordinary character. NULL with *err on an unclosed quote or an
 * empty command. The vector is NULL-terminated; free with ap_argv_free. */
char **ap_split_command(const char *cmd, char **err);
void ap_argv_free(char **argv);

#endif
