/* lock.h — one writer per journal and per site.
 *
 * A writer (fix, undo, resolve, attest, waive, the wizard while it applies or
 * undoes) holds two locks: one on the journal (PATH.lock beside it) and one on
 * the site it changes, known by its identity (site code and site server, from
 * the agent's hello or the lab), in the data directory's locks/ folder, so two
 * journals cannot change one site at once either. Readers take no lock.
 *
 * The locks are flock(2) locks on files that also say who holds them (pid,
 * user, command, since when). The kernel drops a lock when its holder dies,
 * however it dies, so a crashed holder's lock is taken over at once, and
 * nothing is ever decided from a stale pid. Reconciliation runs only under
 * these locks: no live process can then own a change that is still planned.
 *
 * A second writer waits up to $CMHARDEN_LOCK_WAIT seconds (default 10),
 * telling the operator who holds the lock, then gives up. */
#ifndef CMH_JOURNAL_LOCK_H
#define CMH_JOURNAL_LOCK_H

typedef struct jlock jlock;

/* Called once when the lock is held by another process: `holder` describes
 * it ("pid 123, user ann, 'cmharden fix', since 2026-...Z"), `what` names the
 * lock (the journal's path or the site). */
typedef void (*jlock_wait_fn)(const char *what, const char *holder, double wait_s, void *ctx);

/* Locks the journal at `jpath` and, when `identity` is not NULL, the site.
 * `command` is recorded for others to see. wait_s < 0: $CMHARDEN_LOCK_WAIT or
 * 10 seconds; 0: try once. 0 with *out, or -1 with *err (naming the holder
 * when another process holds it); *busy is set when the lock was held. */
int jlock_acquire(const char *jpath, const char *identity, const char *command, double wait_s,
		  jlock_wait_fn waiting, void *ctx, jlock **out, int *busy, char **err);
void jlock_release(jlock *l);

#endif
