/* main.c — entry point: global options, then one subcommand from the table. */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "content/catalog.h"
#include "content/content_i18n.h"
#include "base/i18n.h"
#include "base/paths.h"
#include "base/util.h"
#include "wizard.h"

/* A command, what it needs from the core session (SESSION_*, session.h; the
 * command opens it with session_open() once its own options are read), and
 * its line in --help. */
typedef struct command {
	const char *name;
	cmd_fn fn;
	unsigned needs;
	const char *summary;
} command;

enum {
	RUN_CHECKS = SESSION_ENGINE | SESSION_JOURNAL_READ,
	CHANGE = SESSION_ENGINE | SESSION_FIXES | SESSION_JOURNAL | SESSION_RECONCILE,
	UNDO = SESSION_TARGET | SESSION_JOURNAL | SESSION_RECONCILE,
	RECORD = SESSION_CONTENT | SESSION_JOURNAL
};

static const command commands[] = {
	{"check", cmd_check, RUN_CHECKS, N_("run the checks against the target and report the results")},
	{"list", cmd_list, SESSION_CONTENT, N_("list the sections and checks of the checklist")},
	{"fix", cmd_fix, CHANGE, N_("preview and apply a fix; every change is journaled first")},
	{"undo", cmd_undo, UNDO, N_("restore what fixes changed: one change, a fix run or a session")},
	{"journal", cmd_journal, SESSION_JOURNAL, N_("list, show, verify or export the undo journal")},
	{"attest", cmd_attest, RECORD, N_("record the verdict on an attestation check, with a note")},
	{"waive", cmd_waive, RECORD, N_("record a deliberate deviation from a check, with a reason")},
	{"report", cmd_report, RUN_CHECKS, N_("write the report: checks, evidence, attestations, waivers, changes")},
	{"lab", cmd_lab, 0, N_("manage training-lab sites (list, reset, show, score)")},
	{"content", cmd_content, 0, N_("validate checks, fixes and lab scenarios (content lint)")},
	{"agent", cmd_agent, SESSION_TARGET, N_("serve a lab over the agent protocol on stdin/stdout")},
	{"snapshot", cmd_snapshot, SESSION_CONTENT | SESSION_TARGET, N_("record the target's objects as a scenario file")},
	{"doctor", cmd_doctor, SESSION_CONTENT | SESSION_TARGET,
	 N_("say which data sources the target can read, and which checks need them")},
	{"wizard", cmd_wizard, CHANGE, N_("walk the checklist interactively (the default on a terminal)")},
};

static void i18n_init(void)
{
	setlocale(LC_ALL, "");
	i18n_bind(); /* the program's and the content's catalogs (content_i18n.h) */
	textdomain(PACKAGE);
}

static void usage(FILE *out)
{
	fprintf(out, _("Usage: %s [OPTION]... [COMMAND [ARG]...]\n"), PACKAGE);
	fputs(_("Walk a Configuration Manager 2007 site through the security best-practices\n"
		"checklist: run each check live, show the evidence, and remediate reversibly.\n"
		"Without a command, start the wizard on a terminal; otherwise list the checklist.\n\n"),
	      out);
	fputs(_("Commands:\n"), out);
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
	fputs(_("\nOptions:\n"
		"  -t, --target=TARGET   the site to work on: lab:NAME or lab:FILE.yaml\n"
		"                        (default lab:default, the built-in training lab),\n"
		"                        agent:COMMAND (a live site) or snapshot:FILE\n"
		"      --content=DIR     read checks, fixes and labs from DIR\n"
		"      --journal=PATH    the undo journal (default $XDG_DATA_HOME/cmharden/journal.db)\n"
		"      --scope=SCOPE     all (default): the checklist and the section beyond it;\n"
		"                        checklist: only Microsoft's checklist\n"
		"  -h, --help            display this help and exit\n"
		"  -V, --version         output version information and exit\n\n"),
	      out);
	fprintf(out, _("Run '%s COMMAND --help' for the options of a command.\n"), PACKAGE);
	fputs(_("Data (lab state, journal) is kept in $XDG_DATA_HOME/cmharden.\n"), out);
	fprintf(out, _("Report bugs to: %s\n"), PACKAGE_BUGREPORT);
}

static void version(void)
{
	printf("%s %s\n", PACKAGE, PACKAGE_VERSION);
	puts(_("Copyright (C) 2026 the cmharden developers.\n"
	       "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
	       "This is free software: you are free to change and redistribute it.\n"
	       "There is NO WARRANTY, to the extent permitted by law."));
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", PACKAGE);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, _("\nTry '%s %s--help' for more information.\n"), PACKAGE, cmd ? cmd : "");
	return EXIT_USAGE;
}

/* The global options, before the command: getopt_long stops at the first
 * word that is not an option ('+'), which is the command. */
static const struct option global_opts[] = {{"target", required_argument, NULL, 't'},
					    {"content", required_argument, NULL, 'c'},
					    {"journal", required_argument, NULL, 'j'},
					    {"scope", required_argument, NULL, 's'},
					    {"help", no_argument, NULL, 'h'},
					    {"version", no_argument, NULL, 'V'},
					    {NULL, 0, NULL, 0}};

/* Reads the global options into g; returns -1 when the program should exit
 * with *rc (help, version, usage error), else the index of the command. */
static int parse_global(int argc, char **argv, cli_opts *g, int *rc)
{
	int c;
	optind = 0; /* glibc: initialise afresh (commands do the same for their own options) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:t:hV", global_opts, NULL)) != -1) {
		switch (c) {
		case 't':
			g->target = optarg;
			break;
		case 'c':
			g->content = optarg;
			break;
		case 'j':
			g->journal = optarg;
			break;
		case 's': {
			catalog_scope sc;
			if (catalog_scope_parse(optarg, &sc) < 0) {
				*rc = cli_usage_error(NULL, _("unknown scope '%s' (all or checklist)"), optarg);
				return -1;
			}
			g->scope = (int)sc;
			break;
		}
		case 'h':
			usage(stdout);
			*rc = EXIT_PASS;
			return -1;
		case 'V':
			version();
			*rc = EXIT_PASS;
			return -1;
		case ':':
			*rc = cli_usage_error(NULL, _("option '%s' needs a value"), argv[optind - 1]);
			return -1;
		default:
			*rc = cli_usage_error(NULL, _("unknown option '%s'"), argv[optind - 1]);
			return -1;
		}
	}
	return optind;
}

int main(int argc, char **argv)
{
	i18n_init();
	cli_opts g = {0};
	int rc = EXIT_PASS, i = parse_global(argc, argv, &g, &rc);
	if (i < 0)
		return rc;
	if (i >= argc) {
		/* On a terminal the wizard; in a pipe or a script, the checklist as text. */
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
			g.needs = CHANGE;
			return wizard_run(&g, NULL);
		}
		char *args[] = {"list", NULL};
		g.needs = SESSION_CONTENT;
		return cmd_list(&g, 1, args);
	}
	for (size_t c = 0; c < ARRAY_SIZE(commands); c++)
		if (strcmp(argv[i], commands[c].name) == 0) {
			g.needs = commands[c].needs;
			return commands[c].fn(&g, argc - i, argv + i);
		}
	return cli_usage_error(NULL, _("unknown command '%s'"), argv[i]);
}
