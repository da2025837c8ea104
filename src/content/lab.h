/* lab.h — training-lab scenarios (labs/NAME.yaml): their content and where their state lives.
 *
 * A scenario describes a whole simulated site. The first time it is used, it is
 * loaded into a SQLite state file under $XDG_DATA_HOME/cmharden/labs/, so that
 * changes made by fixes persist across runs and undo can restore them;
 * `cmharden lab reset` starts it over. */
#ifndef CMH_LAB_H
#define CMH_LAB_H

#include <stddef.h>

#include "content/catalog.h"
#include "base/diag.h"
#include "content/expr.h"
#include "base/object.h"

#define LAB_MAX_BYTES (16u << 20)
/* Properties of one object, embedded fields counted: real WMI objects have a
 * few hundred at most. Bounds the engine's work per object. */
#define LAB_MAX_PROPS 1024

/* A training goal: what a trainee must bring a check to. `want` is a set of
 * GOAL_* bits; the goal is met when the check's state is any of them. */
enum {
	GOAL_PASS = 1u << 0,           /* the check passes on the lab */
	GOAL_NOT_APPLICABLE = 1u << 1, /* the role it checks was removed */
	GOAL_ATTESTED = 1u << 2,       /* an attestation is recorded in the journal */
	GOAL_WAIVED = 1u << 3          /* a waiver, not expired, is recorded in the journal */
};

typedef struct goal {
	char *check;
	unsigned want;
	bool not_compliant; /* `answer: no`: an attestation counts only if it says "not compliant" */
	char *note; /* NULL when absent */
	int line, col;
} goal;

typedef struct scenario {
	char *file;
	char *name, *title, *briefing;
	goal *goals;
	size_t ngoals;
	site_info site;
	objset objects;
	char digest[65];
} scenario;

/* Loads and validates a scenario file; problems go to `d`. 0 on success. */
int scenario_load(scenario *s, const char *path, diags *d);
/* The same for a scenario held in memory; `path` names it (and is kept in s->file). */
int scenario_load_buffer(scenario *s, const char *path, const char *buf, size_t len, diags *d);
void scenario_release(scenario *s);

/* The names of GOAL_* bits, in bit order: "pass", "not_applicable", "attested", "waived". */
const char *goal_state_name(unsigned bit);
/* Checks the goals against the checklist: every check exists, no check twice, and
 * each wanted state is one the check can reach (an attestation check never passes
 * on its own; an automated check is never attested). */
void scenario_lint_goals(const scenario *s, const catalog *cat, diags *d);

/* Validates every scenario in DIR/labs; returns how many were read. */
size_t lab_lint_dir(const char *dir, const catalog *cat, diags *d);

/* Resolves "NAME" (a shipped scenario) or "PATH.yaml" to a scenario file. */
char *lab_scenario_path(const char *content_dir, const char *name_or_path);
/* The state file for a scenario file. Caller frees. */
char *lab_state_path(const char *data_dir, const char *scenario_path, const scenario *s);

#endif
