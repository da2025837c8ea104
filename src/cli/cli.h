/* cli.h — the command-line interface: one function per subcommand. */
#ifndef CMH_CLI_H
#define CMH_CLI_H

#include <stdio.h>

#include "session/session.h"


/* The global options, and what the command needs opened (session.h). */
typedef session_opts cli_opts;

typedef int (*cmd_fn)(const cli_opts *g, int argc, char **argv);

int cmd_content(const cli_opts *g, int argc, char **argv);
int cmd_list(const cli_opts *g, int argc, char **argv);
int cmd_lab(const cli_opts *g, int argc, char **argv);
int cmd_check(const cli_opts *g, int argc, char **argv);
int cmd_agent(const cli_opts *g, int argc, char **argv);
int cmd_snapshot(const cli_opts *g, int argc, char **argv);
int cmd_fix(const cli_opts *g, int argc, char **argv);
int cmd_undo(const cli_opts *g, int argc, char **argv);
int cmd_journal(const cli_opts *g, int argc, char **argv);
int cmd_attest(const cli_opts *g, int argc, char **argv);
int cmd_waive(const cli_opts *g, int argc, char **argv);
int cmd_report(const cli_opts *g, int argc, char **argv);
/* `cmharden wizard [--script FILE --dump-dir DIR --size COLSxROWS --bench]` */
int cmd_wizard(const cli_opts *g, int argc, char **argv);

/* `cmharden lab score [NAME]` (score_cmd.c), for the lab named NAME. */
int lab_score_cmd(const cli_opts *g, const char *name, int argc, char **argv);

/* Shared helpers for commands. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
