/* report.h — the report model: what an auditor reads and someone signs.
 *
 * One model, built once, and an emitter per format. The model holds the site,
 * the sections with their counts, every check with its verdict and evidence,
 * the findings and the action plan in severity order, the journal's records in
 * the report's scope (sessions, changes with when they were planned, applied
 * and undone, attestations, waivers), the journal's verification and head, the
 * engagement (who the report is for and who prepared it) and, when a baseline
 * report is given, what changed since it.
 *
 * Two builders fill it: report_build() runs every check on the target now and
 * reads the journal in one read transaction (`cmharden report`, the wizard);
 * report_from_results() wraps results a caller already has (`cmharden check`,
 * whose text, JSON, JUnit and CSV writers are in results_out.c). Building
 * never writes to the target or the journal. Emitters only walk the model:
 * every list is already scoped and ordered here, so no format decides what
 * belongs in the report.
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
#include "report/baseline.h"
#include "report/engagement.h"

/* The version of the JSON report's layout (doc/report-format.md); a reader
 * refuses a major version it does not know. */
#define REPORT_SCHEMA_VERSION "2.1"

/* Translated words for a status, for people ("pass", "needs attestation" ...);
 * status_name() gives the stable machine names used in JSON and CSV. */
const char *report_status_label(check_status s);

typedef struct report_check {
	const check *chk;
	const result *res;       /* the engine's verdict now */
	check_status status;     /* after the attestation and waiver in force */
	const jq_attest *attest; /* the newest attestation, or NULL */
	const jq_waiver *waiver; /* the waiver in force, or NULL */
	bool beyond;             /* in a section beyond the checklist: not in the checklist's standing */
} report_check;

typedef struct report_section {
	const section *sec;
	size_t *idx; /* its checks, indexes into report.checks, in catalog order */
	size_t n;
	size_t counts[ST_COUNT];
} report_section;

/* One change of the journal with what a reader needs beside it. */
typedef struct report_change {
	const jq_change *c;
	const jq_run *run;         /* NULL when the journal lacks it */
	const jq_session *session; /* who made it, from which command; NULL when absent */
} report_change;

/* What happened in the report's scope: the visit, for the summary. */
typedef struct report_visit {
	size_t applied, undone, failed, other; /* changes (not undo changes) by state */
	size_t undo_changes;
	size_t attested, waived;
} report_visit;

typedef enum { RF_HTML, RF_MD, RF_JSON, RF_CSV } report_format;

typedef struct report {
	const catalog *cat;
	char *target, *target_desc;
	site_info site;
	char *generated_at, *generated_by, *host;
	char today[11];
	int64_t session; /* 0: everything recorded for the target */
	result *owned;   /* the results report_build ran (NULL: borrowed) */
	report_check *checks;
	size_t nchecks;
	report_section *sections; /* every section of the catalog, in order */
	size_t nsections;
	/* The checklist's standing: counts, severities, score, findings and actions
	 * leave out the sections beyond it, which are scored apart (report_paths.h). */
	size_t counts[ST_COUNT];
	size_t ncounted;       /* the checks those counts count */
	size_t fail_by_sev[3]; /* failing and erroring checks by severity (SEV_LOW..SEV_HIGH) */
	int score;             /* percent of the applicable checks that pass or are attested; -1: none applies */
	size_t *findings;      /* failing and erroring checks, worst first */
	size_t nfindings;
	size_t *actions;       /* findings, then open questions, worst first */
	size_t nactions;
	/* the journal, scoped */
	char *journal_path;
	bool have_journal; /* false: no journal file yet, nothing was ever recorded */
	jq_view jv;
	const jq_session **sessions;
	size_t nsessions;
	report_change *changes;
	size_t nchanges;
	const jq_attest **attests;
	size_t nattests;
	const jq_waiver **waivers;
	size_t nwaivers;
	const jq_result **results;
	size_t nresults;
	report_visit visit;
	int verify;        /* 0 intact, 1 altered, -1 not verified */
	char *verify_text; /* the problems verify found, first first; or why it could not run */
	char *head;        /* SEQ:HASH, or NULL */
	/* who it is for, and the comparison with an earlier report */
	report_engagement eng;
	report_baseline *base; /* NULL: no baseline */
	report_diff diff;
} report;

int report_format_parse(const char *s, report_format *f);
/* "Attested by OP on DATE:" and "Waived by OP until DATE:", the labels of a
 * check's verdict notes in every human-readable format. Caller frees. */
char *report_attest_label(const report_check *rc);
char *report_waiver_label(const report_check *rc);

/* What report_build needs beyond the engine: the journal `j` (NULL when there
 * is none; `jpath` names it), the scope (`session` 0: the whole target), the
 * engagement (NULL: from the config file alone) and a baseline report (NULL:
 * none). */
typedef struct report_opts {
	journal *j;
	const char *jpath;
	int64_t session;
	const report_engagement *eng;
	const char *baseline_path;
} report_opts;

/* Runs every check on the engine's target and reads the journal. 0, or -1 with *err. */
int report_build(report *r, engine *e, const report_opts *o, char **err);
/* The model of results a caller already ran (no journal, no engagement). The
 * results, the catalog and the site must outlive the report. */
void report_from_results(report *r, const catalog *cat, const char *tspec, const site_info *site,
			 const result *rs, size_t n);
void report_release(report *r);

int report_write(FILE *out, report_format f, const report *r);
/* Builds the report and writes it to a new file (0600) under
 * $XDG_DATA_HOME/cmharden/reports; *path_out names it. */
int report_save(engine *e, journal *j, const char *jpath, int64_t session, report_format f, char **path_out,
		char **err);

/* What the emitters share. */
const jq_change *report_change_get(const report *r, int64_t id);
/* The standing of a waiver on the report's day: "expired", "in_force" or "superseded". */
const char *report_waiver_standing(const report *r, const jq_waiver *w);
/* Human text for a value, sanitised, cut at `max` bytes (0: whole): with the
 * SDK's names and units the content gives for property `prop` of class `cls`
 * (value_format_named), or plain when either is NULL (CSV and JSON keep the
 * plain value, for the programs that read them). */
char *report_value_text(const char *cls, const char *prop, const value *v, size_t max);
/* The columns of an evidence table that decided the verdict: the properties the
 * check's expression reads and those that made an object offend. `keep[c]` is
 * set for each; returns how many. */
size_t report_deciding_columns(const report_check *rc, const ev_table *t, bool *keep);
/* Whether the journal's attestations and waivers settle the verdicts: only
 * when it was proved unaltered (verify 0). */
bool report_answers_applied(const report *r);
/* Which part decided the check's status in the report: a waiver in force, or
 * the engine's verdict (the site, the automated part of a fail-or-ask check,
 * or the operator); and the sentence for it (decided_text). */
decided_by report_decided_by(const report_check *rc);
const char *report_decided_text(const report_check *rc);
/* How an action is taken: "fix", "console" or "decide", and the command that starts it (caller frees). */
const char *report_action_kind(const report_check *rc);
char *report_action_command(const report_check *rc);

/* The sentences the human formats share (report_text.c): translated, not escaped. */
#define REPORT_BAR_N 6
/* The statuses a chart shows, in order; not applicable is not a verdict. */
extern const check_status report_bar_order[REPORT_BAR_N];
void report_text_counts(strbuf *out, const size_t counts[ST_COUNT]); /* "3 pass, 2 fail" */
void report_text_score(strbuf *out, const report *r);
void report_text_severity(strbuf *out, const report *r);
void report_text_standing(strbuf *out, const report *r); /* score, severities, questions, waivers */
void report_text_visit(strbuf *out, const report *r);
void report_text_since(strbuf *out, const report *r);    /* needs r->base */
void report_text_baseline(strbuf *out, const report *r); /* needs r->base */
const char *report_action_text(const char *kind); /* "automated fix" ... */
/* The check's kind for people: "automated (documented)", "fail-or-ask
 * (inferred)", "attestation"; translated, caller frees. */
char *report_kind_text(const check *k);
void report_text_actions_legend(strbuf *out);      /* what each way of acting means */
const char *report_standing_label(const char *standing);
char *report_journal_state(const report *r); /* caller frees */
char *report_scope_text(const report *r);    /* caller frees */

/* Filling the model (report_scope.c). */
void report_scope_journal(report *r);
void report_plan(report *r);

int report_write_html(FILE *out, const report *r);
int report_write_md(FILE *out, const report *r);
int report_write_json(FILE *out, const report *r);
int report_write_csv(FILE *out, const report *r);

#endif
