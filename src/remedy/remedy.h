/* remedy.h — remediation as a library: plan a fix, apply it one change at a
 * time under the journal's write-ahead protocol, re-check, and undo.
 *
 * Nothing here prints. The CLI (cmd_fix.c) and the wizard (ui/) are two front
 * ends of the same operations, and show the outcomes their own way; callers
 * run the loops (one change per call) so a front end can show progress.
 *
 * Invariants (doc/journal.md):
 *   - remedy_plan() reads the target and never writes it or the journal;
 *   - before the first change of a command, remedy_reconcile() must report no
 *     unresolved change, or nothing may start;
 *   - every target_set() is preceded by a committed `planned` change and
 *     followed by applied/failed; CMHARDEN_CRASH_AT=POINT kills the process at
 *     after-plan, after-set, after-mark, undo-after-plan or undo-after-set, for
 *     the crash tests;
 *   - after a fix the check is re-run and its verdict journaled
 *     (remedy_run_finish);
 *   - undo never overwrites a value that drifted from what the fix set,
 *     unless forced. */
#ifndef CMH_REMEDY_H
#define CMH_REMEDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "content/catalog.h"
#include "check/engine.h"
#include "content/fix.h"
#include "journal/journal.h"
#include "journal/query.h"
#include "journal/reconcile.h"
#include "journal/lock.h"
#include "remedy/script_step.h"
#include "target/target.h"

typedef struct remedy {
	const catalog *cat;
	const fixset *fixes;
	target *t;
	const char *tspec; /* the target's spec when t is not open (attest, waive) */
	engine *e;       /* needed to plan and re-check; NULL for undo only */
	journal *j;      /* needed to apply, undo and reconcile */
	int64_t session; /* 0 until remedy_session() */
	const script_arg *args; /* the operator's values for `ask` parameters (--param) */
	size_t nargs;
	jlock *lock;     /* the writer's locks (remedy_lock), NULL when not held */
	bool lock_temporary; /* taken by remedy_run_begin/undo_begin, dropped at their finish */
} remedy;

/* One set or script step on one offending object: the change it makes, or
 * why it makes none. For a script step, before/after are the captured state
 * and the state apply is expected to leave (null: not declared), and
 * `script` holds the bound parameters. */
typedef struct plan_item {
	const fix_step *step;
	size_t stepno;   /* 1-based */
	char *key;
	value before, after;
	char *skip;      /* left alone, and why */
	char *error;     /* applying failed: what the target said */
	bool applied;
	bool refused;    /* a script step that must not run (skip says why) */
	script_item *script;
} plan_item;

typedef struct plan {
	const fix *f;
	const check *k;
	result res;      /* the check as it was when planned */
	plan_item *items;
	size_t n, cap;
	size_t nchanges; /* distinct values the plan changes */
	size_t refused;  /* items refused: the fix must not run at all */
} plan;

/* The class of the objects an item changes. */
const char *plan_item_class(const plan *p, const plan_item *it);

/* The operator recorded in the journal ($USER, else the account name). */
const char *remedy_operator(void);
/* Begins the session that records what follows (once; later calls do nothing). */
int remedy_session(remedy *r, const char *command, char **err);

/* Takes the writer's locks on the journal and the site (journal/lock.h) for
 * `command`, waiting as lock.h says; `waiting` is told who holds them. A
 * command that changes the site or the journal holds them from before it
 * reconciles until it ends (remedy_unlock). */
int remedy_lock(remedy *r, const char *command, jlock_wait_fn waiting, void *ctx, char **err);
void remedy_unlock(remedy *r);

/* The journal proved unaltered before undo or resume read from it: -1 with
 * *err naming the first altered row when it is not (doc/journal.md). */
int remedy_journal_verified(remedy *r, char **err);

/* Decides planned changes by reading the target, then lists the changes that
 * still have no known outcome (planned or conflict). Nothing new may start
 * while *n > 0. Free the list with jchanges_free(). Planned changes are
 * decided only under the writer's locks (taken here for the moment when not
 * held): while another process holds them its changes are left alone and
 * listed as unresolved. */
int remedy_reconcile(remedy *r, reconcile_report *rep, jchange **unresolved, size_t *n, char **err);

/* Runs the check and plans every set and script step for its offending
 * objects (or, with nobj > 0, only for the objects named). -1 with *err when a
 * named object does not offend, or when a script step is refused (a
 * parameter is not a value of its type, or content others could change): then
 * the fix must not run, and the plan's refused items say why. A check that
 * does not fail gives an empty plan. The fix of an attestation check
 * (fix_is_chosen) runs on the objects the operator names, which must be in
 * the check's evidence (nobj > 0 is required), with r->args for its `ask`
 * parameters. */
int remedy_plan(remedy *r, const fix *f, char *const *objects, size_t nobj, plan *p, char **err);
void plan_release(plan *p);

/* Starts the journal's record of applying a plan; returns the run id or -1. */
int64_t remedy_run_begin(remedy *r, const plan *p, char **err);
/* Applies one item (skipped items are not to be passed). 0 applied, 1 the
 * target refused (it->error says why; the change is journaled as failed), -1
 * the journal cannot record: then nothing more may change. */
int remedy_apply_item(remedy *r, const plan *p, plan_item *it, int64_t run, char **err);
/* Re-reads the site, re-runs the check into *after and journals its verdict
 * and the run's outcome. Release *after with result_release(). */
int remedy_run_finish(remedy *r, const plan *p, int64_t run, size_t failed, result *after, char **err);

typedef enum {
	UNDO_RESTORED,   /* the value the fix replaced is back */
	UNDO_ALREADY,    /* the site already held it: recorded, nothing changed */
	UNDO_DRIFTED,    /* the value changed since the fix set it: left alone */
	UNDO_FAILED,     /* the target refused (journaled as failed) */
	UNDO_UNREADABLE, /* the current value could not be read: left alone */
} undo_outcome;

/* Starts the journal's record of an undo; returns the run id or -1. */
int64_t remedy_undo_begin(remedy *r, char **err);
/* Restores one applied change (from journal_undoable()). *now is the value
 * the site held (for UNDO_DRIFTED messages; release it); *why the target's
 * message for UNDO_FAILED and UNDO_UNREADABLE. -1 only when the journal
 * cannot record: then nothing more may change. */
int remedy_undo_one(remedy *r, const jchange *ch, int64_t run, bool force, undo_outcome *out, value *now,
		    char **why, char **err);
int remedy_undo_finish(remedy *r, int64_t run, size_t refused, char **err);

/* The evidence of a result as JSON, as the journal stores it with results. Caller frees. */
char *remedy_evidence_json(const result *r);
/* Journals checks' verdicts and reasons (not their evidence) in the session,
 * begun on first use with `command`, in one transaction. */
int remedy_record_results(remedy *r, const char *command, const result *const *res, size_t n, char **err);

/* A waiver's expiry: YYYY-MM-DD, a real date, not before today (UTC). */
bool remedy_valid_until(const char *s);

#endif
