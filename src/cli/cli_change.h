/* cli_change.h — what the commands that change a site share (cli_change.c). */
#ifndef CMH_CLI_CHANGE_H
#define CMH_CLI_CHANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/cli.h"

/* Opens what the command needs now (SESSION_*); prints why not. */
int cli_open_stack(core_session *c, unsigned needs);
/* One journaled change as a line: "PREFIXchange ID (STATE): CLASS 'KEY' PROP: BEFORE -> AFTER". */
void cli_print_change(const jchange *ch, const char *prefix);
/* Reconciles the journal with the target; -1 if a change is still unresolved. */
int cli_reconcile_gate(core_session *c);
/* Takes the writer's locks on the journal and the site (journal/lock.h),
 * telling the operator who holds them while it waits; prints why not. */
int cli_lock_writer(core_session *c, const char *command);
/* The journal proved unaltered before undo reads from it; prints the first
 * altered row when not. */
int cli_journal_verified(core_session *c);
/* Begins the journal session that records what the command does. */
int cli_begin_session(core_session *c, const char *command);
/* A change, run or session id: a positive decimal number. */
bool cli_parse_id(const char *s, int64_t *out);
/* `attest` (waive false) and `waive`: records the verdict on one check. */
int cli_record_verdict(const cli_opts *g, int argc, char **argv, bool waive);

#endif
