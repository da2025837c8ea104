/* cmd_snapshot.c — `cmharden snapshot`: records every object the checklist
 * reads from the target into a scenario file, for an offline audit
 * (--target snapshot:FILE) or to turn a site into a training lab (lab:FILE).
 * It writes the same format as the PowerShell agent's -Dump.
 *
 * A class that cannot be read makes the whole snapshot fail: an empty class in
 * a snapshot would read as "nothing to check", which is not what the site said. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "content/catalog.h"
#include "cli/cli.h"
#include "check/engine.h"
#include "base/i18n.h"
#include "base/outfile.h"
#include "content/lab.h"
#include "target/target.h"
#include "target/target_agent.h"
#include "target/target_snapshot.h"


static int snapshot_help(void)
{
	puts(_("Usage: cmharden [--target T] snapshot [-o FILE] [--name NAME] [--title TEXT]\n"
	       "Read every class the checklist needs from the target and write them as a lab\n"
	       "scenario (doc/content-format.md): audit it offline with --target snapshot:FILE\n"
	       "(read-only), or train on it with --target lab:FILE.\n\n"
	       "  -o, --output=FILE  write to FILE (created 0600) instead of standard output\n"
	       "  -n, --name=NAME    the scenario name (default: snapshot-SITECODE)\n"
	       "      --title=TEXT   the scenario title (default: names the site and the date)"));
	return EXIT_PASS;
}

static char *default_name(const char *code)
{
	strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "snapshot");
	if (code && *code)
		sb_addc(&sb, '-');
	for (const char *p = code ? code : ""; *p; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			sb_addc(&sb, c);
	}
	return sb_detach(&sb);
}

static int write_out(const char *path, const scenario *s)
{
	if (!path || !strcmp(path, "-")) {
		snapshot_write(stdout, s);
		return fflush(stdout) == 0 ? 0 : -1;
	}
	outfile of;
	char *err = NULL;
	if (outfile_open(&of, path, 0600, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		return -1;
	}
	snapshot_write(of.f, s);
	if (outfile_commit(&of, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		return -1;
	}
	return 0;
}

int cmd_snapshot(const cli_opts *g, int argc, char **argv)
{
	static const struct option lo[] = {{"output", required_argument, NULL, 'o'},
					   {"name", required_argument, NULL, 'n'},
					   {"title", required_argument, NULL, 'T'},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};
	const char *output = NULL, *name = NULL, *title = NULL;
	int c;
	optind = 0; /* glibc: start afresh, not in main's stop-at-the-command order */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:n:h", lo, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'T':
			title = optarg;
			break;
		case 'h':
			return snapshot_help();
		default:
			return cli_usage_error("snapshot ", _("unknown or incomplete option '%s'"), argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("snapshot ", _("unexpected argument '%s'"), argv[optind]);
	catalog cat;
	if (session_load_catalog(g, &cat) < 0)
		return EXIT_ERROR;
	int rc = EXIT_ERROR;
	target *t = NULL;
	char *err = NULL, **classes = NULL;
	size_t n = 0, failed = 0;
	scenario s;
	memset(&s, 0, sizeof s);
	objset_init(&s.objects);
	if (session_open_target(session_target_spec(g), cat.dir, &cat, &t, NULL, &err) < 0 || target_site(t, &s.site, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		goto out;
	}
	engine_catalog_classes(&cat, &classes, &n);
	if (target_prefetch(t, (const char *const *)classes, n, &err) < 0) {
		free(err); /* each class is then read on its own, and reports for itself */
		err = NULL;
	}
	for (size_t i = 0; i < n; i++) {
		objset os;
		objset_init(&os);
		if (target_query(t, classes[i], &os, &err) < 0) {
			fprintf(stderr, _("cmharden: %s: %s\n"), classes[i], err);
			free(err);
			err = NULL;
			failed++;
		}
		/* Move the objects over. */
		for (size_t k = 0; k < os.n; k++) {
			GROW(s.objects.items, s.objects.cap, s.objects.n + 1);
			s.objects.items[s.objects.n++] = os.items[k];
		}
		free(os.items);
	}
	if (failed) {
		fprintf(stderr, _("cmharden: %zu class(es) could not be read; no snapshot was written\n"), failed);
		goto out;
	}
	char date[32];
	time_t now = time(NULL);
	strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&now));
	s.name = name ? xstrdup(name) : default_name(s.site.code);
	s.title = title ? xstrdup(title)
			: xasprintf("Snapshot of site %s (%s) on %s, %s", s.site.code ? s.site.code : "?",
				    s.site.name ? s.site.name : "?", s.site.server ? s.site.server : "?", date);
	s.briefing = xasprintf("Taken by cmharden %s from %s on %s: %zu objects of %zu classes.",
			       PACKAGE_VERSION, t->spec, date, s.objects.n, n);
	if (write_out(output, &s) < 0)
		goto out;
	rc = EXIT_PASS;
	if (output && strcmp(output, "-") != 0) {
		/* Read it back: a snapshot that does not load is no snapshot. */
		scenario back;
		diags d;
		diags_init(&d);
		if (scenario_load(&back, output, &d) < 0) {
			diags_print(&d, stderr);
			fprintf(stderr, _("cmharden: %s was written but does not load as a scenario\n"), output);
			rc = EXIT_ERROR;
		} else {
			fprintf(stderr, _("cmharden: wrote %zu objects of %zu classes to %s\n"), back.objects.n, n,
				output);
		}
		scenario_release(&back);
		diags_release(&d);
	}
out:
	for (size_t i = 0; i < n; i++)
		free(classes[i]);
	free(classes);
	scenario_release(&s);
	target_close(t);
	catalog_release(&cat);
	return rc;
}
