/* main.c — entry point: global options, then one subcommand from the table. */
#include "config.h"

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

typedef struct command {
	const char *name;
	cmd_fn fn;
	const char *summary;
} command;

static const command commands[] = {
	{"check", cmd_check, N_("run the checks against the target and report the results")},
	{"list", cmd_list, N_("list the sections and checks of the checklist")},
	{"fix", cmd_fix, N_("preview and apply a fix; every change is journaled first")},
	{"undo", cmd_undo, N_("restore what fixes changed: one change, a fix run or a session")},
	{"journal", cmd_journal, N_("list, show, verify or export the undo journal")},
	{"attest", cmd_attest, N_("record the verdict on an attestation check, with a note")},
	{"waive", cmd_waive, N_("record a deliberate deviation from a check, with a reason")},
	{"report", cmd_report, N_("write the report: checks, evidence, attestations, waivers, changes")},
	{"lab", cmd_lab, N_("manage training-lab sites (list, reset, show, score)")},
	{"content", cmd_content, N_("validate checks, fixes and lab scenarios (content lint)")},
	{"agent", cmd_agent, N_("serve a lab over the agent protocol on stdin/stdout")},
	{"snapshot", cmd_snapshot, N_("record the target's objects as a scenario file")},
	{"wizard", cmd_wizard, N_("walk the checklist interactively (the default on a terminal)")},
};

void i18n_init(void)
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

char *cli_content_dir(const cli_opts *g)
{
	return g->content ? xstrdup(g->content) : content_dir();
}

/* Takes "--opt=value" or "--opt value"; returns the value or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *lng, const char *shrt)
{
	const char *a = argv[*i];
	size_t l = strlen(lng);
	if (strncmp(a, lng, l) == 0 && a[l] == '=')
		return a + l + 1;
	if (strcmp(a, lng) == 0 || (shrt && strcmp(a, shrt) == 0)) {
		if (*i + 1 >= argc)
			return NULL;
		return argv[++*i];
	}
	return NULL;
}

int main(int argc, char **argv)
{
	i18n_init();
	cli_opts g = {0};
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *v;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return EXIT_PASS;
		}
		if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
			version();
			return EXIT_PASS;
		}
		if (!strncmp(a, "--target", 8) || !strcmp(a, "-t")) {
			if (!(v = opt_value(argc, argv, &i, "--target", "-t")))
				return cli_usage_error(NULL, _("option '%s' needs a value"), a);
			g.target = (char *)v;
		} else if (!strncmp(a, "--content", 9)) {
			if (!(v = opt_value(argc, argv, &i, "--content", NULL)))
				return cli_usage_error(NULL, _("option '%s' needs a value"), a);
			g.content = (char *)v;
		} else if (!strncmp(a, "--journal", 9)) {
			if (!(v = opt_value(argc, argv, &i, "--journal", NULL)))
				return cli_usage_error(NULL, _("option '%s' needs a value"), a);
			g.journal = (char *)v;
		} else if (!strncmp(a, "--scope", 7)) {
			if (!(v = opt_value(argc, argv, &i, "--scope", NULL)))
				return cli_usage_error(NULL, _("option '%s' needs a value"), a);
			catalog_scope sc;
			if (catalog_scope_parse(v, &sc) < 0)
				return cli_usage_error(NULL, _("unknown scope '%s' (all or checklist)"), v);
			g.scope = (int)sc;
		} else if (!strcmp(a, "--")) {
			i++;
			break;
		} else {
			return cli_usage_error(NULL, _("unknown option '%s'"), a);
		}
	}
	if (i >= argc) {
		/* On a terminal the wizard; in a pipe or a script, the checklist as text. */
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			return wizard_run(&g, NULL);
		char *args[] = {"list", NULL};
		return cmd_list(&g, 1, args);
	}
	for (size_t c = 0; c < ARRAY_SIZE(commands); c++)
		if (strcmp(argv[i], commands[c].name) == 0)
			return commands[c].fn(&g, argc - i, argv + i);
	return cli_usage_error(NULL, _("unknown command '%s'"), argv[i]);
}
