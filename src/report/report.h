/* report.h — the report an auditor reads and someone signs: the site, every
 * check with its verdict and evidence, attestations, waivers, every change the
 * journal holds with its before- and after-value, and the journal's verification
 * with its head (SEQ:HASH), so the report can be matched to the journal later.
 *
 * One model, four writers: report_build() gathers everything once (the checks
 * are run on the target now; the rest is read from the journal in one read
 * transaction), then report_write() renders HTML, Markdown, JSON or CSV from
 * it. Building never writes to the target or the journal.
 *
 * Scope: the whole history of the target, or one session. A session's report
 * lists the changes made in it together with the undo changes that reverted
 * them (wherever recorded), or, for an undo session, the changes it reverted;
 * and the attestations, waivers and results recorded in it. The verdicts of
 * the checks are always those of the site now, with the attestations and the
 * waivers in force now. */
#ifndef CMH_REPORT_H
#define CMH_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "check/engine.h"
#include "journal/query.h"

/* Translated words for a status, for people ("pass", "needs attestation" ...);
 * status_name() gives the stable machine names used in JSON and CSV. */
const char *report_status_label(check_status s);

typedef struct report_check {
	const check *chk;
	result res;              /* the engine's verdict now */
	check_status status;          /* after the attestation and waiver in force */
	const jq_attest *attest; /* the newest attestation, or NULL */
	const jq_waiver *waiver; /* the waiver in force, or NULL */
} report_check;

typedef enum { RF_HTML, RF_MD, RF_JSON, RF_CSV } report_format;

typedef struct report {
	const catalog *cat;
	char *target, *target_desc;
	site_info site;
	char *generated_at, *generated_by, *host;
	char today[11];
	int64_t session; /* 0: everything recorded for the target */
	report_check *checks;
	size_t nchecks;
	size_t counts[ST_COUNT]; /* the checklist's checks; beyond it: report_beyond_counts() */
	/* the journal */
	char *journal_path;
	bool have_journal; /* false: no journal file yet, nothing was ever recorded */
	jq_view jv;
	int verify;        /* 0 intact, 1 altered, -1 not verified */
	char *verify_text; /* the problems verify found, first first; or why it could not run */
	char *head;        /* SEQ:HASH, or NULL */
} report;

int report_format_parse(const char *s, report_format *f);
/* "Attested by OP on DATE:" and "Waived by OP until DATE:", the labels of a
 * check's verdict notes in every human-readable format. Caller frees. */
char *report_attest_label(const report_check *rc);
char *report_waiver_label(const report_check *rc);

/* Runs every check on the engine's target and reads the journal `j` (NULL when
 * there is none; `jpath` names it). `session` 0 reports the whole target.
 * 0, or -1 with *err. */
int report_build(report *r, engine *e, journal *j, const char *jpath, int64_t session, char **err);
void report_release(report *r);

int report_write(FILE *out, report_format f, const report *r);
/* Builds the report and writes it to a new file (0600) under
 * $XDG_DATA_HOME/cmharden/reports; *path_out names it. */
int report_save(engine *e, journal *j, const char *jpath, int64_t session, report_format f, char **path_out,
		char **err);

/* What the writers share. */
bool report_change_in_scope(const report *r, const jq_change *c);
bool report_session_in_scope(const report *r, const jq_session *s);
const jq_change *report_change_get(const report *r, int64_t id);
/* Counts of the checks of one section (or, when `section` is NULL, of all the
 * checklist's checks: the sections beyond it are scored apart). */
void report_section_counts(const report *r, const char *section_id, size_t counts[ST_COUNT]);
/* Human text for a value: value_format(), sanitised, cut at `max` bytes (0: whole). */
char *report_value_text(const value *v, size_t max);

int report_write_html(FILE *out, const report *r);
int report_write_md(FILE *out, const report *r);
int report_write_json(FILE *out, const report *r);
int report_write_csv(FILE *out, const report *r);

#endif
