/* wizard.h — the ncurses wizard: `cmharden` on a terminal, `cmharden wizard`. */
#ifndef CMH_WIZARD_H
#define CMH_WIZARD_H

#include <stdbool.h>

#include "session/session.h"

typedef struct wizard_opts {
	const char *script;   /* keys from this file, against a virtual screen */
	const char *dump_dir; /* where <Dump NAME> writes NAME.txt (default .) */
	int rows, cols;       /* size of the virtual screen (default 24x80) */
	bool bench;           /* print the time taken per key */
} wizard_opts;

/* Runs the wizard on the target of g (default lab:default). Returns an exit status. */
int wizard_run(const session_opts *g, const wizard_opts *o);

#endif
