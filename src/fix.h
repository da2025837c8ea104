/* fix.h — remediation definitions (fixes/SECTION.yaml, doc/content-format.md).
 *
 * A fix remedies one check and is a list of steps:
 *   set     change one property of each offending object of the check's probe
 *           class, to a literal value or by clearing/setting bits of the
 *           current integer value; the engine captures the before-value, so
 *           undo is exact;
 *   manual  console path and instructions; the operator confirms.
 * Loading and linting are one code path (as for checks): a fixset that loaded
 * without diagnostics is one the planner can apply. */
#ifndef CMH_FIX_H
#define CMH_FIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "diag.h"
#include "expr.h"
#include "value.h"

typedef enum { STEP_SET, STEP_MANUAL } step_kind;
typedef enum { SET_VALUE, SET_BITS } set_op;

typedef struct fix_step {
	step_kind kind;
	/* set */
	char *path;          /* canonical property path: Props[MIF Collection].Value */
	set_op op;
	value v;             /* SET_VALUE */
	int64_t clear_bits;  /* SET_BITS: new = (cur & ~clear_bits) | set_bits */
	int64_t set_bits;
	char *requires_src;  /* optional: objects that do not satisfy it are skipped */
	expr *requires;
	char *unmet;         /* why an object is skipped when `requires` is false */
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
	char digest[65]; /* SHA-256 of every fixes/SECTION.yaml file, in name order */
} fixset;

/* Loads DIR/fixes/SECTION.yaml, validated against `cat` (known checks, dangling
 * references from checks' `fixes:`). Problems go to `d`; 0 when there was none. */
int fixes_load(fixset *fs, const char *dir, const catalog *cat, diags *d);
void fixes_release(fixset *fs);
const fix *fixes_find(const fixset *fs, const char *id);
/* The lint entry point of `content lint`: loads and discards. Returns the number of fixes read. */
int fixes_lint(const char *dir, const catalog *cat, diags *d);

/* True when the fix changes site state by itself (it has a set step). */
bool fix_is_automated(const fix *f);
/* The first automated fix listed by the check, or NULL. */
const fix *fix_for_check(const fixset *fs, const check *k);

/* The value a set step gives a property whose current value is `cur`.
 * -1 with *err when the operation does not fit the value (bits on a non-integer). */
int fix_step_value(const fix_step *s, const value *cur, value *out, char **err);

/* Canonical form of a property path as written in content ("Props['X'].Value"
 * -> "Props[X].Value"). NULL with *err and *col (1-based) when it is not a path. */
char *fix_path_canon(const char *src, char **err, int *col);

#endif
