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
} doctor_report;

/* Fills *out; returns 0 when everything the checklist needs is readable, 1 when
 * something is not (out->deps says what it costs), -1 when the target could not
 * be asked (out->error). Release with doctor_release() in every case. */
int doctor_run(target *t, const catalog *cat, doctor_report *out);
void doctor_release(doctor_report *r);
/* The report as text for a terminal, one line per source and server, every
 * word from the site sanitised (what `cmharden doctor` prints and the wizard
 * shows). */
void doctor_text(const doctor_report *r, strbuf *out);

#endif
