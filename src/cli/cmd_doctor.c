/* cmd_doctor.c — `cmharden doctor`: can the checklist be read through the
 * target? The work is src/check/doctor.c's; this prints it. */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/sanitize.h"
#include "base/util.h"
#include "check/doctor.h"
#include "cli/cli.h"
#include "base/diag.h"
#include "content/catalog.h"
#include "content/fix.h"
#include "target/target.h"

static int doctor_help(void)
{
	puts(_("Usage: cmharden [--target T] doctor\n"
	       "Connect through the target and report, per data source and per site system\n"
	       "(SMS Provider namespace, site control file, registry, services, IIS metabase,\n"
	       "local groups, shares and ACLs, certificate stores), whether it can be read and\n"
	       "why not (access denied, WinRM not enabled, name not resolved, time-out), which\n"
	       "checks cannot be judged while it is not, and whether the target accepts changes.\n\n"
	       "Exit status: 0 when everything the checklist needs is readable, 1 when\n"
	       "something is not, 2 when the target cannot be reached at all, 64 on usage errors."));
	return EXIT_PASS;
}

int cmd_doctor(const cli_opts *g, int argc, char **argv)
{
	static const struct option lo[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	int c;
	optind = 0; /* glibc: start afresh, not in main's stop-at-the-command order */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c == 'h')
			return doctor_help();
		return cli_usage_error("doctor ", _("unknown or incomplete option '%s'"), argv[optind - 1]);
	}
	if (optind < argc)
		return cli_usage_error("doctor ", _("unexpected argument '%s'"), argv[optind]);
	catalog cat;
	if (session_load_catalog(g, &cat) < 0)
		return EXIT_ERROR;
	/* The fixes say which SMS Provider classes changes touch (the rights
	 * lines); invalid fixes leave those lines out, the rest still runs. */
	fixset fs;
	diags d;
	diags_init(&d);
	bool fixes_ok = fixes_load(&fs, cat.dir, &cat, &d) == 0;
	diags_release(&d);
	const char *spec = session_target_spec(g);
	char *err = NULL;
	target *t = NULL;
	int rc = EXIT_ERROR;
	if (session_open_target(spec, cat.dir, &cat, &t, NULL, &err) < 0) {
		char *clean = sanitize_dup(err, 2000);
		printf(_("Target: %s\nThe target could not be opened: %s\n"), spec, clean);
		free(clean);
		free(err);
		goto out;
	}
	char *desc = sanitize_dup(t->description ? t->description : t->spec, 500);
	printf(_("Target: %s\n"), desc);
	free(desc);
	doctor_report r;
	int dr = doctor_run(t, &cat, fixes_ok ? &fs : NULL, &r);
	strbuf text = STRBUF_INIT;
	doctor_text(&r, &text);
	fputs(sb_str(&text), stdout);
	sb_release(&text);
	rc = dr < 0 ? EXIT_ERROR : dr ? EXIT_FINDINGS : EXIT_PASS;
	doctor_release(&r);
	target_close(t);
out:
	fixes_release(&fs);
	catalog_release(&cat);
	return rc;
}
