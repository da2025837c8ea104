/* script_run.h — running one phase of a fix script on a target.
 *
 * The only way a script runs: script_run() refuses a target without the
 * `run` operation, apply and undo on a read-only target, a script name that is
 * not [a-z0-9-], content that someone other than root or the current user
 * could have changed (trust.h), and any parameter that is not a value of its
 * type (script_param.h); only then does the target see the call. */
#ifndef CMH_SCRIPT_RUN_H
#define CMH_SCRIPT_RUN_H

#include <stddef.h>

#include "base/script_param.h"
#include "target/target.h"

#define SCRIPT_MAX_BYTES (1u << 20)

/* Runs `phase` of fixes/scripts/NAME/ in the target's content directory.
 * For undo, `undo_state` (a value of type `state`) is passed as the State
 * parameter. For capture, *result is the state, checked to be a `state`. */
int script_run(target *t, const char *name, script_phase phase, script_type state, const script_param *params,
	       size_t n, const value *undo_state, value *result, char **err);

#endif
