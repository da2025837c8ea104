/* cli.h — the command-line interface: one function per subcommand. */
#ifndef CMH_CLI_H
#define CMH_CLI_H

#include <stdio.h>

/* Exit codes, as documented in cmharden(1). */
enum { EXIT_PASS = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2, EXIT_USAGE = 64 };

typedef struct cli_opts {
	char *content; /* --content DIR */
	char *target;  /* --target T */
	char *journal; /* --journal PATH (default $XDG_DATA_HOME/cmharden/journal.db) */
	int scope;     /* --scope all|checklist: a catalog_scope (catalog.h) */
} cli_opts;

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

/* Shared helpers for commands. */
char *cli_content_dir(const cli_opts *g);
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
