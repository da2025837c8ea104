/* script_step.h — a script step on one object, under the journal's
 * write-ahead protocol (doc/journal.md, "Script changes").
 *
 * The planner binds and checks the parameters and captures the state before
 * anything changes; applying records the change as planned (with the
 * parameters, the captured state and the state apply is expected to leave)
 * before apply runs, captures again afterwards and records what it found;
 * undo runs the undo script with the state captured before the fix, after the
 * same drift check as a set change. The CLI and the wizard call these; they
 * print nothing. CMHARDEN_CRASH_AT kills the process at the same points as for
 * set changes (after-plan, after-set, after-mark, undo-after-plan,
 * undo-after-set), "set" here meaning the script ran. */
#ifndef CMH_SCRIPT_STEP_H
#define CMH_SCRIPT_STEP_H

#include <stdbool.h>
#include <stdint.h>

#include "content/fix.h"
#include "journal/journal.h"
#include "base/object.h"
#include "base/script_param.h"
#include "target/target.h"

typedef struct script_item {
	script_param *params; /* bound and checked, in the manifest's order */
	size_t nparams;
	value before;         /* what capture returned */
	value after;          /* the state apply is expected to leave; null when not declared */
} script_item;

void script_item_release(script_item *it);

/* A value the operator gives for an `ask` parameter (--param NAME=TEXT);
 * for a list type each one is an item. */
typedef struct script_arg {
	const char *name, *text;
} script_arg;

/* Plans step `s` of the fix defined in `fix_file` on object `o`: refuses
 * content others can change, binds every parameter (from the object's
 * properties, the step's literals or the operator's `args`), checks each
 * against its type, runs capture and computes the expected state. 0: a change
 * to make; 1: nothing to change (*why says so); -1: refused, *why says why
 * (when a parameter is invalid, nothing at all has run). */
int script_step_plan(target *t, const char *fix_file, const fix_step *s, const object *o, const script_arg *args,
		     size_t nargs, script_item *it, char **why);

/* Applies a planned item to object cls/key as one journaled change of run
 * `run`. 0 applied; 1 the script failed (*why; the change is failed, or in
 * conflict if capture shows it changed something); -1 the journal cannot
 * record or the outcome cannot be read back (*err): nothing more may change. */
int script_step_apply(journal *j, target *t, int64_t run, const char *cls, const char *key, const fix_step *s,
		      const script_item *it, char **why, char **err);

typedef enum {
	SUNDO_RESTORED,   /* the captured state is back */
	SUNDO_ALREADY,    /* the site already held it: recorded, nothing changed */
	SUNDO_DRIFTED,    /* the state changed since the fix: left alone */
	SUNDO_FAILED,     /* the undo script failed (journaled as failed) */
	SUNDO_CONFLICT,   /* it failed part way (journaled as a conflict) */
	SUNDO_UNREADABLE, /* capture failed: left alone */
} script_undo_outcome;

/* Undoes an applied script change (from journal_undoable()). *now is the
 * state capture found (release it); *why the message for FAILED, CONFLICT and
 * UNREADABLE. -1 only when the journal cannot record or the outcome cannot be
 * read back: then nothing more may change. */
int script_step_undo(journal *j, target *t, const jchange *ch, int64_t run, bool force, script_undo_outcome *out,
		     value *now, char **why, char **err);

#endif
