/* doctor.h — can cmharden read what the checklist needs, through this target?
 *
 * `cmharden doctor` and the wizard's connection screen ask the target which data
 * sources it can read on which site system (probe.h; an agent's `probe`), then
 * read every class the checklist needs, as a check run would. A source that
 * cannot be read, or a class that fails, names the checks that cannot be judged
 * until it is fixed. Nothing here prints: the report is data for the CLI and
 * the wizard. */
#ifndef CMH_DOCTOR_H
#define CMH_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "content/catalog.h"
#include "content/fix.h"
#include "base/util.h"
#include "target/probe.h"
#include "target/target.h"

typedef struct doctor_report {
	probe_result probe;
	bool probed;      /* the target gave its own account (an agent's probe) */
	char ***deps;     /* per probe item: ids of the checks whose verdict needs it (when not ok) */
	size_t *ndeps;
	char ***evdeps;   /* per probe item: ids of the other checks whose evidence reads it */
	size_t *nevdeps;
	char **class_errors; /* "CLASS: message" for every class that could not be read */
	size_t nclass_errors;
	char *error;      /* the probe itself failed (a broken session): nothing is known */
	bool ok;          /* everything the checklist needs is readable */
	/* The SMS Provider classes the fixes change, each with the ids of those
	 * fixes (from the fixes given to doctor_run; none without them). */
	char **change_classes;
	char ***change_fixes;
	size_t *nchange_fixes;
	size_t nchange_classes;
} doctor_report;

/* Fills *out; returns 0 when everything the checklist needs is readable, 1 when
 * something is not (out->deps says what it costs), -1 when the target could not
 * be asked (out->error). Release with doctor_release() in every case. */
int doctor_run(target *t, const catalog *cat, const fixset *fixes, doctor_report *out);

/* The same run cut into steps (the probe, the batch read, the site, one class
 * each, the judgement), so that the wizard can show which step is under way
 * and let it be cancelled between steps or, through target->cancelled, during
 * one. doctor_run() is doctor_begin(), doctor_step() until it returns false,
 * then doctor_end(). */
typedef struct doctor_job {
	target *t;
	const catalog *cat;
	doctor_report *out;
	char **classes; /* the classes the checklist reads */
	size_t nclasses;
	size_t next;    /* the step to run next (see doctor_job_step_text) */
	site_info si;
	bool done;
} doctor_job;

void doctor_begin(doctor_job *j, target *t, const catalog *cat, const fixset *fixes, doctor_report *out);
/* Runs the next step; true while steps remain. */
bool doctor_step(doctor_job *j);
/* Steps done and in all (the total is known from the start). */
void doctor_progress(const doctor_job *j, size_t *done, size_t *total);
/* What the next step does, for people (translated; class names as they are). */
char *doctor_step_text(const doctor_job *j);
/* Ends the job (whether or not every step ran) and returns doctor_run()'s
 * value; a job ended early leaves *out as far as it got, not judged. */
int doctor_end(doctor_job *j);
void doctor_release(doctor_report *r);
/* The report as text for a terminal, one line per source and server, every
 * word from the site sanitised (what `cmharden doctor` prints and the wizard
 * shows); then whether changes are accepted and, per SMS Provider class the
 * fixes change, what the account's rights say (probe.h, probe_right). */
void doctor_text(const doctor_report *r, strbuf *out);

#endif
