/* session.h — what a command needs, opened in one place.
 *
 * Every command of the CLI and the wizard get their stack from here: the
 * content (checks and fixes), the target and its engine, the journal and the
 * reconciliation gate that must pass before anything new changes the target.
 * The defaults (which target, which journal, which content) are decided here
 * and nowhere else. A command declares what it needs with SESSION_* flags in
 * the command table (src/cli/main.c) and opens it with session_open() once
 * its own options are read, so `--help` and usage errors never touch a site. */
#ifndef CMH_SESSION_H
#define CMH_SESSION_H

#include <stdbool.h>

#include "check/engine.h"
#include "content/catalog.h"
#include "content/fix.h"
#include "journal/journal.h"
#include "remedy/remedy.h"
#include "target/target.h"

/* How a command or the wizard ends, as documented in cmharden(1). */
enum { EXIT_PASS = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2, EXIT_USAGE = 64 };

/* The target when none is given (an empty --target="" is none given too). */
#define SESSION_DEFAULT_TARGET "lab:default"

/* The global options (cmharden(1)): where the content, the site and the journal are. */
typedef struct session_opts {
	char *content;  /* --content DIR; NULL: content_dir() */
	char *target;   /* --target T; NULL or "": SESSION_DEFAULT_TARGET */
	char *journal;  /* --journal PATH; NULL: journal_default_path() */
	int scope;      /* --scope all|checklist: a catalog_scope (catalog.h); 0 is all */
	unsigned needs; /* what the command declares it needs (SESSION_*), from the command table */
} session_opts;

enum {
	SESSION_CONTENT = 1u << 0,   /* the checklist (catalog) */
	SESSION_FIXES = 1u << 1,     /* the fixes; implies SESSION_CONTENT */
	SESSION_TARGET = 1u << 2,    /* the target */
	SESSION_ENGINE = 1u << 3,    /* the engine over the target; implies CONTENT and TARGET */
	SESSION_JOURNAL = 1u << 4,   /* the journal, created if missing */
	SESSION_JOURNAL_READ = 1u << 5, /* the journal if one exists: reading never creates it */
	SESSION_RECONCILE = 1u << 6  /* decide what a crash left unfinished (needs JOURNAL, TARGET) */
};

typedef struct session {
	const session_opts *o;
	const char *tspec;  /* the target's spec in effect (session_target_spec, or a command's own) */
	unsigned open;      /* what is open (SESSION_*) */
	catalog cat;
	fixset fixes;
	target *t;
	engine e;
	journal *j;         /* NULL while there is none (SESSION_JOURNAL_READ) */
	remedy r;           /* the remediation context over the above (session_remedy) */
	reconcile_report recovered; /* what reconciliation decided */
	jchange *unresolved;        /* changes with no known outcome: nothing new may start */
	size_t nunresolved;
} core_session;

/* The defaults, decided once. */
const char *session_target_spec(const session_opts *o);
char *session_content_dir(const session_opts *o);
char *session_journal_path(const session_opts *o, char **err);

/* Loads the checklist; prints its problems to stderr and returns -1 if invalid. */
int session_load_catalog(const session_opts *o, catalog *cat);
/* Opens a target (content_dir: where its scripts and lab scenarios are read from)
 * and, when e is not NULL, the engine over it with the catalog. */
int session_open_target(const char *spec, const char *content_dir, const catalog *cat, target **t, engine *e,
			char **err);
/* Opens the journal; with create false a missing one is left missing (*j NULL). */
int session_open_journal(const session_opts *o, bool create, journal **j, char **err);
/* Another user's lab and journal (a trainee's data directory, `lab score
 * --data-dir`), read-only: nothing there is created or changed. The lab is
 * opened with the engine over it; a missing journal is left missing (*j NULL). */
int session_open_lab_readonly(const char *content_dir, const char *name, const char *data_dir, const catalog *cat,
			      target **t, engine *e, char **err);
int session_open_journal_readonly(const char *path, journal **j, char **err);

void session_init(core_session *s, const session_opts *o);
/* Opens what `needs` names and is not open yet. -1 with *err, or with *err
 * NULL when the problems were already printed (invalid content). */
int session_open(core_session *s, unsigned needs, char **err);
/* The target opened afresh with the same spec (an agent target: a new agent
 * process), and the engine over it when one is open, its site information read
 * again: the wizard goes on after a read was cancelled or the agent's session
 * broke, without a restart. The new target is opened before the old one is
 * closed: on failure (-1, *err) the session keeps what it had. The
 * remediation context (session_remedy) then names the new target. The old
 * target's cancel hook watches the new one from its start (a stalled hello
 * can be cancelled). */
int session_reopen_target(core_session *s, char **err);
/* The remediation context over what is open. */
remedy *session_remedy(core_session *s);
void session_close(core_session *s);

#endif
