/* report_journal.h — what the journal holds about one target, read for reports
 * (src/report.c) and lab scores (src/score.c).
 *
 * Read-only: everything here is SELECTs, in one read transaction so a report
 * sees one consistent state of the journal. The journal's writers are in
 * journal.c; its tables are described in doc/journal.md. */
#ifndef CMH_REPORT_JOURNAL_H
#define CMH_REPORT_JOURNAL_H

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

typedef struct jq_change {
	int64_t id, run, session, undoes;
	int64_t undone_by; /* the undo change that reverted this one, or 0 */
	char *cls, *key, *prop, *updated;
	/* When the change was planned, applied and undone (marked so), from the
	 * journal's log; NULL when it never was. */
	char *planned_at, *applied_at, *undone_at;
	value before, after;
	bool has_observed;
	value observed;
	change_state state;
} jq_change;

typedef struct jq_result {
	int64_t id, session, run;
	char *check_id, *status, *reason, *evidence_json, *at; /* reason, evidence may be NULL */
} jq_result;

typedef struct jq_attest {
	int64_t id, session;
	char *check_id, *note, *operator_, *at;
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

/* The newest attestation of a check, or NULL. */
const jq_attest *jq_attestation_for(const jq_view *v, const char *check_id);
/* The waiver in force on `today` (YYYY-MM-DD): the check's newest waiver that has
 * not expired; a waiver "until D" holds through the whole of day D. NULL when none
 * is. The same rule as journal_verdicts(), which `cmharden check` applies. */
const jq_waiver *jq_waiver_for(const jq_view *v, const char *check_id, const char *today);
bool jq_waiver_expired(const jq_waiver *w, const char *today);

#endif
