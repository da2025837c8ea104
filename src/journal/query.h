/* query.h — every read of the journal: what commands, the wizard, resume,
 * reports (src/report) and lab scores (src/check/score.c) need to know, with
 * no database handle outside src/journal/.
 *
 * Read-only: everything here is SELECTs; jq_load reads in one read
 * transaction so a report sees one consistent state of the journal. The
 * writers are in journal.h; the tables are described in doc/journal.md. */
#ifndef CMH_JOURNAL_QUERY_H
#define CMH_JOURNAL_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "journal/journal.h"

typedef struct jq_session {
	int64_t id;
	char *started, *operator_, *target, *site, *digest, *command;
} jq_session;

typedef struct jq_run {
	int64_t id, session;
	char *fix_id, *check_id, *kind, *started, *finished, *outcome; /* NULL when absent */
} jq_run;

/* A change as reports read it: the journal's own change row. */
typedef jchange jq_change;

typedef struct jq_result {
	int64_t id, session, run;
	char *check_id, *status, *reason, *evidence_json, *at; /* reason, evidence may be NULL */
} jq_result;

typedef struct jq_attest {
	int64_t id, session;
	char *check_id, *note, *operator_, *at;
	bool compliant; /* the answer: false when the operator judged "not compliant" */
} jq_attest;

typedef struct jq_waiver {
	int64_t id, session;
	char *check_id, *reason, *until, *operator_, *at; /* until "" when open-ended */
} jq_waiver;

/* Everything recorded for one target, oldest first. */
typedef struct jq_view {
	char *target;
	jq_session *sessions;
	size_t nsessions;
	jq_run *runs;
	size_t nruns;
	jq_change *changes;
	size_t nchanges;
	jq_result *results;
	size_t nresults;
	jq_attest *attests;
	size_t nattests;
	jq_waiver *waivers;
	size_t nwaivers;
} jq_view;

/* Reads every session of `tspec` (as recorded: "lab:default") with its runs,
 * changes, results, attestations and waivers. 0, or -1 with *err. */
int jq_load(journal *j, const char *tspec, jq_view *out, char **err);
void jq_release(jq_view *v);

/* The target a session was recorded for (caller frees); NULL with *err if there
 * is no such session. */
char *jq_session_target(journal *j, int64_t session, char **err);

const jq_session *jq_session_get(const jq_view *v, int64_t id);
const jq_run *jq_run_get(const jq_view *v, int64_t id);

/* The rule for what is in force, the only one (journal_verdicts, reports and
 * scores apply it): a check's newest attestation, and its waiver in force;
 * a waiver in force outranks an attestation. */
/* The newest attestation of a check, or NULL. */
const jq_attest *jq_attestation_for(const jq_view *v, const char *check_id);
/* The waiver in force on `today` (YYYY-MM-DD): the check's newest waiver that has
 * not expired; a waiver "until D" holds through the whole of day D. NULL when none
 * is. The same rule as journal_verdicts(), which `cmharden check` applies. */
const jq_waiver *jq_waiver_for(const jq_view *v, const char *check_id, const char *today);
bool jq_waiver_expired(const jq_waiver *w, const char *today);

int journal_change_get(journal *j, int64_t id, jchange *out, char **err);
/* A number that changes whenever the journal does, by this process or
 * another (front ends re-read what they show when it moves); -1 on errors. */
int64_t journal_data_version(journal *j);

/* The operator's standing verdict on a check of a target: its newest
 * attestation, or its newest waiver that has not expired (until >= today). */
typedef struct jverdict {
	char *check_id;
	bool waived; /* false: attested */
	bool compliant; /* an attestation's answer (always true for a waiver) */
	char *text;  /* the attestation note or the waiver reason */
	char *operator_, *at, *until;
} jverdict;

int journal_verdicts(journal *j, const char *tspec, const char *today, jverdict **out, size_t *n,
		     char **err);
void jverdicts_free(jverdict *v, size_t n);

/* Changes of the target that are planned or in conflict: of the sessions
 * recorded for `tspec`, or for the same site (`site`: its identity from
 * journal_site_identity, may be NULL) through another agent command. */
int journal_unresolved(journal *j, const char *tspec, const char *site, jchange **out, size_t *n, char **err);

typedef enum { UNDO_CHANGE, UNDO_RUN, UNDO_SESSION } undo_scope;
/* Applied, not yet undone changes of apply runs on `target` in the scope,
 * newest first (the order to undo them in). */
int journal_undoable(journal *j, const char *tspec, undo_scope scope, int64_t id, jchange **out,
		     size_t *n, char **err);
/* The newest session on the target with something to undo; 0 if none. */
int64_t journal_last_undoable_session(journal *j, const char *tspec, char **err);

/* The history of a target for front ends (the wizard's journal screen): every
 * fix run of its sessions and every change, oldest first. */
typedef struct jrun {
	int64_t id, session;
	char *fix_id, *check_id, *kind, *outcome, *started; /* "" when not set */
	char *session_started, *operator_, *command;
} jrun;
int journal_runs(journal *j, const char *tspec, jrun **out, size_t *n, char **err);
void jruns_free(jrun *v, size_t n);
int journal_changes(journal *j, const char *tspec, jchange **out, size_t *n, char **err);

/* Resuming a session: the newest session on the target started by `command`
 * ("wizard") that holds results, with its start time (caller frees) and how
 * many distinct checks it holds results for; 0 when there is none. */
int64_t journal_last_session(journal *j, const char *tspec, const char *command, char **started,
			     size_t *nchecks, char **err);
typedef struct jresult {
	char *check_id, *status, *reason, *at;
} jresult;
/* The newest result of each check recorded in a session. */
int journal_session_results(journal *j, int64_t session, jresult **out, size_t *n, char **err);
void jresults_free(jresult *v, size_t n);

#endif
