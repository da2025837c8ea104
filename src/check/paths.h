/* paths.h — the site by attack path.
 *
 * checks/attack-paths.yaml names, for each technique of the public
 * Misconfiguration Manager knowledge base, the checks that stand in its way.
 * Given the verdicts of a run (after attestations and waivers), a technique is:
 *   open        a check in its way fails: the site leaves that path open;
 *   unanswered  none fails, but one still needs an answer (an attestation, or a
 *               check that could not be decided);
 *   closed      every check in its way passes, is attested, waived or does not
 *               apply;
 *   not checked none of its checks is part of this run (`--scope checklist`).
 * The view keeps, for each check, its verdict and the objects that offend, so a
 * reader sees "TAKEOVER-1: open (... SQL01)". */
#ifndef CMH_PATHS_H
#define CMH_PATHS_H

#include <stddef.h>

#include "base/util.h"
#include "check/engine.h"

typedef enum { PATH_OPEN, PATH_UNANSWERED, PATH_CLOSED, PATH_NOT_CHECKED, PATH_STATE_COUNT } path_state;

/* One verdict of the run: the engine's result and the status after the
 * operator's attestation or waiver. */
typedef struct path_verdict {
	const result *res;
	check_status status;
} path_verdict;

typedef struct path_check {
	const check *chk;
	check_status status;
	char *offenders; /* "SQL01, CM01" (keys of the offending objects, sanitised), or NULL */
} path_check;

typedef struct path_entry {
	const technique *t;
	path_state state;
	path_check *checks; /* the technique's checks that are in the run, in its order */
	size_t n;
} path_entry;

typedef struct path_view {
	path_entry *entries; /* the catalog's techniques, in its order */
	size_t n;
	size_t counts[PATH_STATE_COUNT];
} path_view;

void path_view_build(path_view *pv, const catalog *cat, const path_verdict *v, size_t nv);
void path_view_release(path_view *pv);

/* Stable machine names (open, unanswered, closed, not_checked) and translated words. */
const char *path_state_name(path_state s);
const char *path_state_label(path_state s);
/* "TAKEOVER-1: open (Title of a failing check: SQL01; ...)" — one line for
 * people, translated, sanitised; the reasons name the checks that decide the
 * state when it is open (failing checks), or how many checks await an answer. */
void path_entry_line(const path_entry *e, strbuf *out);

#endif
