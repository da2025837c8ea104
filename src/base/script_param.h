/* script_param.h — script steps: typed parameters, phases, and the call a target runs.
 *
 * A script step runs one of the scripts shipped in fixes/scripts/NAME/ (see
 * doc/content-format.md, "Script steps"): `capture` reads the state the step
 * changes, `apply` changes it, `undo` puts a captured state back. On a real
 * site they are PowerShell 2.0 files run by the agent; on the lab, a handler
 * in lab_scripts.c does the same to the lab's own state.
 *
 * Parameters are data, never text for a command line. Each has a type, and a
 * value is checked against its type (script_value_check) before anything
 * runs: every text type refuses control characters, line and paragraph
 * separators and bidirectional controls, and each refuses what the Windows
 * object it names cannot contain (a principal cannot hold '"' or ';', a host
 * name only letters, digits, '-' and '.'). What a type allows reaches the
 * script byte for byte: the agent binds parameters by name from decoded
 * values (hashtable splatting), so "$(Start-Process calc)" as a group name is
 * a group name, not a command.
 *
 * Everything here is a pure function of its input (no I/O), so it can be
 * tested and fuzzed alone. */
#ifndef CMH_SCRIPT_PARAM_H
#define CMH_SCRIPT_PARAM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"
#include "base/value.h"

/* The parameter types: name in content, whether a value is a list of items
 * of the base type. Keep doc/content-format.md in step. */
#define SCRIPT_TYPE_TABLE(X)                                 \
	X(ST_STRING, "string", false)                        \
	X(ST_INT, "int", false)                              \
	X(ST_BOOL, "bool", false)                            \
	X(ST_HOSTNAME, "hostname", false)                    \
	X(ST_NAME, "name", false)                            \
	X(ST_PRINCIPAL, "principal", false)                  \
	X(ST_PATH, "path", false)                            \
	X(ST_ACL_ENTRY, "acl-entry", false)                  \
	X(ST_STRING_LIST, "string-list", true)               \
	X(ST_HOSTNAME_LIST, "hostname-list", true)           \
	X(ST_NAME_LIST, "name-list", true)                   \
	X(ST_PRINCIPAL_LIST, "principal-list", true)         \
	X(ST_PATH_LIST, "path-list", true)                   \
	X(ST_ACL_ENTRY_LIST, "acl-entry-list", true)

typedef enum {
#define ST_ENUM(id, name, list) id,
	SCRIPT_TYPE_TABLE(ST_ENUM)
#undef ST_ENUM
	ST_NTYPES
} script_type;

/* Bounds on one value: a string of any text type, and a list. */
#define SCRIPT_MAX_TEXT 1024u
#define SCRIPT_MAX_ITEMS 4096u

/* A script's name, the directory fixes/scripts/NAME: [a-z0-9][a-z0-9-]*,
 * at most 64 characters (it becomes part of a path). */
bool script_name_ok(const char *s);

const char *script_type_name(script_type t);
int script_type_parse(const char *name, script_type *out);
bool script_type_is_list(script_type t);
/* The PowerShell type a script's param() block declares for a parameter of
 * this type: [string], [long], [bool] or [string[]]. */
const char *script_type_ps(script_type t);

/* Checks that `v` is a value of type `t`. -1 with *err naming the first
 * offending character or item ("item 2: a principal cannot contain ';'"). */
int script_value_check(script_type t, const value *v, char **err);
/* The value of a scalar type from text (an operator's --param): "12" for int,
 * "true"/"false" for bool, the text itself otherwise; then checked. */
int script_value_parse(script_type t, const char *text, value *out, char **err);

typedef struct script_param {
	char *name;
	script_type type;
	value v;
} script_param;

void script_params_free(script_param *p, size_t n);
script_param *script_params_copy(const script_param *p, size_t n);
/* Checks every parameter's name ([A-Za-z][A-Za-z0-9]*) and value. */
int script_params_check(const script_param *p, size_t n, char **err);
const script_param *script_params_find(const script_param *p, size_t n, const char *name);
/* Lossless text form for the journal: a value_encode()d list of the type
 * of the captured state, then name, type, value_encode(value) for each
 * parameter. */
void script_params_encode(script_type state, const script_param *p, size_t n, strbuf *out);
int script_params_decode(const char *s, size_t len, script_type *state, script_param **out, size_t *n);

/* Captured states compare as Windows compares what they hold: text without
 * regard to case, and lists as sets (order and repeats do not matter). */
bool script_state_equal(const value *a, const value *b);
/* `state` without the items of `remove` (compared without regard to case),
 * in the order of `state`: the `after: {remove: PARAM}` of a manifest. */
value script_state_remove(const value *state, const value *remove);

typedef enum { SCRIPT_CAPTURE, SCRIPT_APPLY, SCRIPT_UNDO, SCRIPT_NPHASES } script_phase;
const char *script_phase_name(script_phase p);

/* The name of the parameter that carries the captured state to `undo`. */
#define SCRIPT_STATE_PARAM "State"

/* One run of one phase of a script, as a target receives it. */
typedef struct script_call {
	const char *name;        /* fixes/scripts/NAME */
	script_phase phase;
	const char *text;        /* the phase's PowerShell source, read from trusted content */
	size_t text_len;
	const script_param *params;
	size_t nparams;          /* for undo, the last one is State */
	script_type state;       /* the type of the state capture returns (and undo's State) */
} script_call;

#endif
