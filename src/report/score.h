/* score.h — how far a training lab is from its scenario's goals.
 *
 * A goal (lab.h) names a check and the states that meet it: pass and
 * not_applicable are read from the site by running the check now; attested and
 * waived are read from the journal (an attestation meets a goal only when its
 * answer is the goal's: compliant, or `answer: no`). Only journal records made since the lab's
 * state was last created count, so `cmharden lab reset` starts the score over
 * as it starts the site over. */
#ifndef CMH_SCORE_H
#define CMH_SCORE_H

#include <stdbool.h>
#include <stddef.h>

#include "check/engine.h"
#include "content/lab.h"
#include "journal/query.h"

typedef struct goal_eval {
	const goal *g;
	const check *chk;         /* never NULL: scenarios are linted against the checklist */
	check_status status;      /* the site's verdict now (the engine's) */
	check_status verdict;     /* with the trainee's waiver or attestation applied */
	char *reason;             /* why, from the engine; may be NULL */
	size_t offending;
	const jq_attest *attest;  /* counted attestation, or NULL */
	const jq_waiver *waiver;  /* counted waiver in force, or NULL */
	unsigned state;           /* GOAL_* bits that hold now */
	bool met;
} goal_eval;

typedef struct lab_score {
	goal_eval *items;
	size_t n, met;
} lab_score;

/* Evaluates every goal of `s` on the engine's target. `jv` holds the journal's
 * records for the lab (NULL when there is no journal); only records at or after
 * `since` (ISO 8601, NULL: all) count; waivers are judged on `today`. Returns 0,
 * or -1 with *err when a goal names a check the catalog lacks. */
int score_eval(lab_score *out, const scenario *s, engine *e, const jq_view *jv, const char *since,
	       const char *today, char **err);
void score_release(lab_score *sc);

/* One goal for people, translated: "TITLE (ID): pass or waived", and on a second
 * line its note, if any (the wizard's start screen lists a lab's goals so). */
void score_goal_text(const goal *g, const catalog *cat, strbuf *out);

/* True when `at` is not earlier than `since`; times compare to the second, so a
 * record made in the second the lab was reset counts. */
bool score_time_counts(const char *at, const char *since);

#endif
