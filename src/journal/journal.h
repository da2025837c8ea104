/* journal.h — the undo journal: a SQLite file that records, before anything is
 * changed, what will be changed and what it was (doc/journal.md).
 *
 * Write-ahead protocol for one change (every step is its own committed
 * transaction, synchronous=FULL):
 *   1. journal_change_plan()   state planned, with the before- and after-value
 *   2. target_set()            the site changes
 *   3. journal_change_mark()   applied (with the previous value the target
 *                              returned) or failed
 * A crash between 1 and 3 leaves a planned change; journal_reconcile() reads
 * the target and decides: equals after -> applied, equals before ->
 * not_applied, anything else -> conflict for the operator. Until no change of
 * a target is planned or in conflict, no new change may start on it.
 *
 * A script change (a script step on one object, kind 'script') follows the
 * same protocol with the script's capture in place of reading a property:
 * its before-value is what capture returned before apply ran; it is planned
 * with its parameters and the state apply is expected to leave (null when the
 * script declares none); when applied, its after-value becomes what capture
 * returns after apply. Reconciliation re-runs capture and compares states
 * with script_state_equal() (without regard to case, lists as sets).
 *
 * States and the only transitions allowed:
 *   planned  -> applied | failed | not_applied | conflict
 *   conflict -> applied | not_applied | resolved   (journal_resolve)
 *   applied  -> undone                              (an undo change applied, or
 *                                                    the site already holds the
 *                                                    before-value)
 * Every insert or update of a row is logged, in the same transaction, to the
 * append-only `log` table whose rows are hash-chained (journal_verify).
 *
 * This header is the store: opening and every write. Reads are in
 * journal/query.h, verification in journal/verify.h, reconciliation with the
 * target in journal/reconcile.h, the printed forms in journal/print.h. */
#ifndef CMH_JOURNAL_H
#define CMH_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/script_param.h"
#include "target/target.h"
#include "base/util.h"
#include "base/value.h"

#define JOURNAL_APP_ID 0x434d484a /* "CMHJ" */
#define JOURNAL_SCHEMA 3

typedef enum {
	CH_PLANNED,
	CH_APPLIED,
	CH_FAILED,
	CH_NOT_APPLIED,
	CH_CONFLICT,
	CH_UNDONE,
	CH_RESOLVED,
	CH_NSTATES
} change_state;

const char *change_state_name(change_state s);

typedef struct journal journal;

typedef struct jchange {
	int64_t id, run, session, undoes; /* undoes: the change this one reverts, or 0 */
	char *cls, *key, *prop;           /* prop: the script's name for a script change */
	value before, after;              /* script change: captured states; after null = not known yet */
	change_state state;
	char *target; /* the target of the session */
	bool script;  /* a script change: the fields below hold its call */
	script_type state_type;
	script_param *params;
	size_t nparams;
	char *updated;     /* when the state last moved */
	bool has_observed; /* the value the site held when the outcome was decided */
	value observed;
	int64_t undone_by; /* the undo change that reverted this one, or 0 (jq_load fills it) */
	/* When the change was first planned, applied and undone (marked so), from
	 * the journal's log; NULL when it never was (only jq_load fills them). */
	char *planned_at, *applied_at, *undone_at;
} jchange;

void jchange_release(jchange *c);
void jchanges_free(jchange *v, size_t n);

/* $XDG_DATA_HOME/cmharden/journal.db. Caller frees; NULL with *err. */
char *journal_default_path(char **err);
/* Opens (creating 0600 and migrating as needed) the journal at PATH. A journal
 * of a newer schema, or a file that is not a journal, is refused untouched. */
int journal_open(const char *path, journal **out, char **err);
/* The same for a journal that must exist already (readers: journal verify,
 * list, show, export): a missing path is an error, and nothing is created.
 *
 * Both refuse, with a precise error and leaving the file untouched: a
 * symbolic link (never followed), anything but a regular file, an empty
 * file, a file SQLite finds damaged (with its reason), a full disk, a
 * foreign database, a negative or newer schema. A new journal is created
 * 0600, whole or not at all, in a directory others cannot write. */
int journal_open_existing(const char *path, journal **out, char **err);
/* Opens an existing journal only to read it (another user's, for scoring a
 * trainee): nothing is created, migrated or written. */
int journal_open_readonly(const char *path, journal **out, char **err);
void journal_close(journal *j);
const char *journal_path(const journal *j);

int64_t journal_session_begin(journal *j, const char *operator_, const char *tspec, const char *site,
			      const char *digest, const char *command, char **err);
/* kind: "apply", "manual" or "undo". */
int64_t journal_run_begin(journal *j, int64_t session, const char *fix_id, const char *check_id,
			  const char *kind, char **err);
int journal_run_end(journal *j, int64_t run, const char *outcome, char **err);

int64_t journal_change_plan(journal *j, int64_t run, const char *cls, const char *key, const char *prop,
			    const value *before, const value *after, int64_t undoes, char **err);
/* A script change of `script` on the object cls/key: `before` is the state
 * capture returned, `after` the state apply is expected to leave (a null
 * value when not known); the parameters and the state's type are recorded
 * with it, so reconciliation and undo can run capture and undo again. */
int64_t journal_script_plan(journal *j, int64_t run, const char *cls, const char *key, const char *script,
			    script_type state, const script_param *params, size_t nparams, const value *before,
			    const value *after, int64_t undoes, char **err);
/* Moves a change to `st` if the transition is allowed. When `observed` is given
 * it is recorded: for applied, the value the target returned as previous
 * (becomes the before-value, so undo restores what really was there) or, for
 * a script change, the state capture returned after the script ran (becomes
 * the after-value, what undo expects to find). An undo change that becomes
 * applied marks the change it reverts undone, atomically. */
int journal_change_mark(journal *j, int64_t id, change_state st, const value *observed, char **err);

int journal_result_add(journal *j, int64_t session, int64_t run, const char *check_id, const char *status,
		       const char *reason, const char *evidence_json, char **err);
/* compliant: the operator's answer to the check's question; "not compliant"
 * makes the check a failure, with the note as its reason. */
int64_t journal_attest(journal *j, int64_t session, const char *check_id, bool compliant, const char *note,
		       const char *operator_, char **err);
/* until NULL: a permanent waiver (the operator chose it explicitly). */
int64_t journal_waive(journal *j, int64_t session, const char *check_id, const char *reason,
		      const char *until, const char *operator_, char **err);

/* Several results (check id, status, reason; no evidence) in one transaction:
 * one commit for a whole section run instead of one per check. */
typedef struct jresult_in {
	const char *check_id, *status, *reason;
} jresult_in;
int journal_results_add(journal *j, int64_t session, const jresult_in *v, size_t n, char **err);

#endif
