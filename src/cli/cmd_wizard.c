/* cmd_wizard.c — `cmharden wizard`: the options of the wizard, then ui/ runs it. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "base/i18n.h"
#include "cli/cli.h"
#include "wizard.h"

static int wizard_help(void)
{
	puts(_("Usage: cmharden [--target T] [wizard [OPTION]...]\n"
	       "Walk the checklist interactively. Without a command, cmharden starts the\n"
	       "wizard when its output is a terminal.\n\n"
	       "Scripted mode (for tests): the real screens run against a virtual terminal\n"
	       "whose output is discarded; keys come from a file and screen dumps go to files.\n"
	       "  -s, --script=FILE     read keys from FILE (the key language is in ui/script.h)\n"
	       "  -d, --dump-dir=DIR    write <Dump NAME> screens to DIR/NAME.txt (default .)\n"
	       "      --size=COLSxROWS  size of the virtual terminal (default 80x24)\n"
	       "      --bench           print the time taken per key (handling and drawing)"));
	return EXIT_PASS;
}

int cmd_wizard(const cli_opts *g, int argc, char **argv)
{
	static const struct option lo[] = {{"script", required_argument, NULL, 's'},
					   {"dump-dir", required_argument, NULL, 'd'},
					   {"size", required_argument, NULL, 'z'},
					   {"bench", no_argument, NULL, 'b'},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};
	wizard_opts o = {0};
	int c;
	optind = 0; /* glibc: start afresh, not in main's stop-at-the-command order */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "s:d:h", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			o.script = optarg;
			break;
		case 'd':
			o.dump_dir = optarg;
			break;
		case 'z': {
			char extra;
			if (sscanf(optarg, "%dx%d%c", &o.cols, &o.rows, &extra) != 2 || o.cols < 1 || o.rows < 1 ||
			    o.cols > 1000 || o.rows > 1000)
				return cli_usage_error("wizard ", _("--size takes COLSxROWS, e.g. 80x24"));
			break;
		}
		case 'b':
			o.bench = true;
			break;
		case 'h':
			return wizard_help();
		default:
			return cli_usage_error("wizard ", _("unknown or incomplete option '%s'"), argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("wizard ", _("unexpected argument '%s'"), argv[optind]);
	if ((o.dump_dir || o.rows || o.bench) && !o.script)
		return cli_usage_error("wizard ", _("--dump-dir, --size and --bench need --script"));
	if (!o.script && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fputs(_("cmharden: the wizard needs a terminal; use 'cmharden check' for reports\n"), stderr);
		return EXIT_ERROR;
	}
	return wizard_run(g, &o);
}
