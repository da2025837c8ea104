/* reconcile.h — the journal against the target: a change planned but never
 * marked (a crash, a lost connection) is decided by reading what the site
 * holds now: equals after -> applied, equals before -> not_applied, anything
 * else -> conflict, which the operator settles (journal_resolve). */
#ifndef CMH_JOURNAL_RECONCILE_H
#define CMH_JOURNAL_RECONCILE_H

#include "journal/journal.h"
#include "target/target.h"

typedef struct reconcile_report {
	size_t applied, not_applied, conflicts;
} reconcile_report;

/* A site reached through an agent is known by its site code and server
 * ("CON (CM01)", as sessions record it), whatever command reaches it; NULL
 * for a lab or snapshot (two labs may simulate one site) or when unknown.
 * Caller frees. */
char *journal_site_identity(target *t);
/* Decides every planned change of the target's sessions by reading the
 * target: the sessions recorded for its spec, and those of the same site
 * (journal_site_identity) reached through another agent command. Harmless
 * to repeat. */
int journal_reconcile(journal *j, target *t, reconcile_report *rep, char **err);
/* A conflict, re-read: applied / not_applied if the site now agrees, else
 * resolved (the operator accepts the site's current value; it is recorded). */
int journal_resolve(journal *j, target *t, int64_t change, change_state *outcome, char **err);

#endif
