/* fix.h — remediation definitions (fixes/SECTION.yaml, doc/content-format.md).
 *
 * A fix remedies one check and is a list of steps:
 *   set     change one property of each offending object of the check's probe
 *           class, to a literal value or by clearing/setting bits of the
 *           current integer value; the engine captures the before-value, so
 *           undo is exact;
 *   script  run a script of fixes/scripts/NAME/ on each offending object, with
 *           typed parameters bound from the object's properties or literals;
 *           its capture script records the state undo restores;
 *   manual  console path and instructions; the operator confirms.
 * Loading and linting are one code path (as for checks): a fixset that loaded
 * without diagnostics is one the planner can apply. */
#ifndef CMH_FIX_H
#define CMH_FIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "content/catalog.h"
#include "base/diag.h"
#include "content/expr.h"
#include "base/script_param.h"
#include "base/value.h"

typedef enum { STEP_SET, STEP_SCRIPT, STEP_MANUAL } step_kind;
typedef enum { SET_VALUE, SET_BITS } set_op;

/* fixes/scripts/NAME/script.yaml: what a script takes and what it captures. */
typedef struct script_param_decl {
	char *name;
	script_type type;
} script_param_decl;

typedef struct script_def {
	char *name;          /* the directory under fixes/scripts/ */
	char *title;
	char *cls;           /* the class of the objects it changes */
	script_param_decl *params;
	size_t nparams;
	script_type state;   /* what capture returns; undo receives it as State */
	char *after_remove;  /* after: {remove: PARAM}: the state without PARAM's items */
	char *after_value;   /* after: {value: PARAM}: the state is PARAM's value; neither: not declared */
	char *file;
	int line, col;
} script_def;

/* Where one parameter of a script step takes its value from. BIND_ASK is for
 * fixes of attestation checks only, which the operator runs on objects they
 * choose: the operator gives the value (cmharden fix --param NAME=VALUE). */
typedef enum { BIND_FROM, BIND_VALUE, BIND_ASK } bind_source;
typedef struct script_bind {
	char *name;          /* as the manifest spells it */
	script_type type;
	bind_source src;
	char *from;          /* BIND_FROM: canonical property path of the object */
	value v;             /* BIND_VALUE: the literal, checked against the type */
	char *ask;           /* BIND_ASK: what the operator is asked for */
} script_bind;

typedef struct fix_step {
	step_kind kind;
	/* set */
	char *path;          /* canonical property path: Props[MIF Collection].Value; script: its name */
	set_op op;
	value v;             /* SET_VALUE */
	int64_t clear_bits;  /* SET_BITS: new = (cur & ~clear_bits) | set_bits */
	int64_t set_bits;
	char *requires_src;  /* optional: objects that do not satisfy it are skipped */
	expr *requires;
	char *unmet;         /* why an object is skipped when `requires` is false */
	/* script (requires/unmet as for set) */
	const script_def *script;
	script_bind *binds;  /* in the manifest's order */
	size_t nbinds;
	/* manual */
	char *console, *instructions;
	int line, col;
} fix_step;

typedef struct fix {
	char *id, *title, *check_id, *note;
	fix_step *steps;
	size_t nsteps;
	char *file;
	int line, col;
} fix;

typedef struct fixset {
	fix *items;
	size_t n, cap;
	script_def *scripts; /* fixes/scripts/NAME/, in name order */
	size_t nscripts, cap_scripts;
	char *dir;           /* the content directory */
	char digest[65]; /* SHA-256 of every fixes/SECTION.yaml file and every script file, in name order */
} fixset;

/* Loads DIR/fixes/scripts/NAME/ and DIR/fixes/SECTION.yaml, validated against
 * `cat` (known checks, dangling references from checks' `fixes:`) and the
 * scripts (every script file present, parameters bound and typed, the
 * scripts' param() blocks matching their manifests). Problems go to `d`; 0
 * when there was none. */
int fixes_load(fixset *fs, const char *dir, const catalog *cat, diags *d);
void fixes_release(fixset *fs);
const fix *fixes_find(const fixset *fs, const char *id);
/* The lint entry point of `content lint`: loads and discards. Returns the number of fixes read. */
int fixes_lint(const char *dir, const catalog *cat, diags *d);

/* True when the fix changes site state by itself (it has a set or script step). */
bool fix_is_automated(const fix *f);
/* True when the operator chooses the objects (and gives the `ask` parameters):
 * the fix of an attestation check, made of script steps. */
bool fix_is_chosen(const fix *f, const check *k);
const script_def *fixes_script(const fixset *fs, const char *name);
/* The first automated fix listed by the check, or NULL. */
const fix *fix_for_check(const fixset *fs, const check *k);
/* The same among the fixes a target can run: with `scripts` false (the
 * target has no `run`), fixes with script steps are passed over. */
const fix *fix_for_target(const fixset *fs, const check *k, bool scripts);
/* The first fix the check lists that is done by hand (manual steps only), or NULL. */
const fix *fix_by_hand(const fixset *fs, const check *k);

/* The value a set step gives a property whose current value is `cur`.
 * -1 with *err when the operation does not fit the value (bits on a non-integer). */
int fix_step_value(const fix_step *s, const value *cur, value *out, char **err);

/* Canonical form of a property path as written in content ("Props['X'].Value"
 * -> "Props[X].Value"). NULL with *err and *col (1-based) when it is not a path. */
char *fix_path_canon(const char *src, char **err, int *col);

#endif
