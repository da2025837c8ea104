/* cmd_check.c — `cmharden check`: run checks against the target and report. */
#include "config.h"

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
#include "journal/journal.h"
#include "journal/query.h"
#include "report/results_out.h"
#include "report/report_paths.h"
#include "target/target.h"


static int check_help(void)
{
	puts(_("Usage: cmharden [--target T] check [--section ID] [--check ID] [--format FMT]\n"
	       "Run the checks of the checklist against the target and report the results.\n\n"
	       "  -s, --section=ID   only the checks of this section (may be repeated)\n"
	       "  -c, --check=ID     only this check (may be repeated)\n"
	       "  -f, --format=FMT   text (default), json, junit or csv\n"
	       "  -p, --by-path      show the site by attack path (text or json): for each\n"
	       "                     technique, the checks in its way and their verdicts\n"
	       "  -o, --output=FILE  write the report to FILE instead of standard output\n\n"
	       "Exit status: 0 when no check fails, 1 when a check fails, 2 on errors\n"
	       "(a check in error, an unreachable target, invalid content), 64 on usage errors."));
	return EXIT_PASS;
}

/* Attestations and waivers recorded in the journal for this target. A missing
 * journal means none were recorded; an unreadable one is an error, since
 * ignoring it would silently drop the operator's verdicts. */
static int apply_verdicts(const cli_opts *g, const char *tspec, result *rs, size_t n)
{
	char *err = NULL;
	char *path = session_journal_path(g, &err);
	if (!path) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		return -1;
	}
	if (access(path, F_OK) != 0) {
		free(path);
		return 0;
	}
	journal *j = NULL;
	jverdict *v = NULL;
	size_t nv = 0;
	char today[11];
	today_utc(today);
	int rc = 0;
	if (journal_open(path, &j, &err) < 0 || journal_verdicts(j, tspec, today, &v, &nv, &err) < 0) {
		fprintf(stderr, _("cmharden: cannot read attestations and waivers from %s: %s\n"), path, err);
		free(err);
		rc = -1;
	}
	for (size_t i = 0; i < nv; i++)
		for (size_t k = 0; k < n; k++)
			if (!strcmp(rs[k].chk->id, v[i].check_id))
				result_apply_verdict(&rs[k], v[i].waived, v[i].compliant, v[i].text, v[i].operator_, v[i].until);
	jverdicts_free(v, nv);
	if (j)
		journal_close(j);
	free(path);
	return rc;
}

static bool wanted(const check *k, char **sections, size_t ns, char **checks, size_t nc)
{
	if (!ns && !nc)
		return true;
	for (size_t i = 0; i < ns; i++)
		if (!strcmp(sections[i], k->section))
			return true;
	for (size_t i = 0; i < nc; i++)
		if (!strcmp(checks[i], k->id))
			return true;
	return false;
}

int cmd_check(const cli_opts *g, int argc, char **argv)
{
	static const struct option lo[] = {{"section", required_argument, NULL, 's'},
					   {"check", required_argument, NULL, 'c'},
					   {"format", required_argument, NULL, 'f'},
					   {"output", required_argument, NULL, 'o'},
					   {"by-path", no_argument, NULL, 'p'},
					   {"target", required_argument, NULL, 't'},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};
	char **sections = NULL, **checks = NULL;
	size_t ns = 0, nc = 0;
	out_format fmt = FMT_TEXT;
	const char *output = NULL, *tspec = session_target_spec(g);
	bool by_path = false;
	int c, rc = EXIT_ERROR;
	optind = 0; /* glibc: start afresh, not in main's stop-at-the-command order */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "s:c:f:o:t:ph", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			sections = xrealloc(sections, (ns + 1) * sizeof *sections);
			sections[ns++] = optarg;
			break;
		case 'c':
			checks = xrealloc(checks, (nc + 1) * sizeof *checks);
			checks[nc++] = optarg;
			break;
		case 'f':
			if (out_format_parse(optarg, &fmt) < 0) {
				free(sections);
				free(checks);
				return cli_usage_error("check ", _("unknown format '%s' (text, json, junit, csv)"),
						       optarg);
			}
			break;
		case 'o':
			output = optarg;
			break;
		case 'p':
			by_path = true;
			break;
		case 't':
			tspec = optarg;
			break;
		case 'h':
			free(sections);
			free(checks);
			return check_help();
		default:
			free(sections);
			free(checks);
			return cli_usage_error("check ", _("unknown or incomplete option '%s'"), argv[optind - 1]);
		}
	}
	if (by_path && fmt != FMT_TEXT && fmt != FMT_JSON) {
		free(sections);
		free(checks);
		return cli_usage_error("check ", _("--by-path is written as text or json"));
	}
	if (optind < argc) {
		free(sections);
		free(checks);
		return cli_usage_error("check ", _("unexpected argument '%s'"), argv[optind]);
	}
	catalog cat;
	if (session_load_catalog(g, &cat) < 0) {
		free(sections);
		free(checks);
		return EXIT_ERROR;
	}
	for (size_t i = 0; i < ns; i++)
		if (!catalog_section(&cat, sections[i])) {
			fprintf(stderr, _("cmharden: no section '%s' (see 'cmharden list')\n"), sections[i]);
			goto out_cat;
		}
	for (size_t i = 0; i < nc; i++)
		if (!catalog_find(&cat, checks[i])) {
			fprintf(stderr, _("cmharden: no check '%s' (see 'cmharden list')\n"), checks[i]);
			goto out_cat;
		}
	target *t = NULL;
	char *err = NULL;
	engine e;
	if (session_open_target(tspec, cat.dir, &cat, &t, &e, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		target_close(t);
		goto out_cat;
	}
	if (!ns && !nc && engine_prefetch(&e, &err) < 0) {
		/* Not fatal: each class is then read (or reported) on its own. */
		free(err);
		err = NULL;
	}
	result *rs = xcalloc(cat.nchecks ? cat.nchecks : 1, sizeof *rs);
	size_t n = 0;
	for (size_t s = 0; s < cat.nsections; s++)
		for (size_t i = 0; i < cat.sections[s].n; i++)
			if (wanted(&cat.sections[s].checks[i], sections, ns, checks, nc))
				engine_run(&e, &cat.sections[s].checks[i], &rs[n++]);
	FILE *out = stdout;
	outfile of = {0};
	char *oerr = NULL;
	bool verdict_error = apply_verdicts(g, t->spec, rs, n) < 0;
	if (output && outfile_open(&of, output, 0666, &oerr) < 0) {
		fprintf(stderr, "cmharden: %s\n", oerr);
		free(oerr);
	} else {
		if (output)
			out = of.f;
		run_info ri = {t->spec, &e.site, &cat};
		if (by_path && fmt == FMT_JSON)
			paths_write_json(out, &cat, rs, n);
		else if (by_path)
			paths_write_text(out, &cat, rs, n);
		else
			results_write(out, fmt, &ri, rs, n);
		bool failed = false, errored = false;
		for (size_t i = 0; i < n; i++) {
			failed |= rs[i].status == ST_FAIL;
			errored |= rs[i].status == ST_ERROR;
		}
		rc = errored || verdict_error ? EXIT_ERROR : failed ? EXIT_FINDINGS : EXIT_PASS;
		if (output && outfile_commit(&of, &oerr) < 0) {
			fprintf(stderr, "cmharden: %s\n", oerr);
			free(oerr);
			rc = EXIT_ERROR;
		}
	}
	for (size_t i = 0; i < n; i++)
		result_release(&rs[i]);
	free(rs);
	engine_release(&e);
	target_close(t);
out_cat:
	catalog_release(&cat);
	free(sections);
	free(checks);
	return rc;
}
