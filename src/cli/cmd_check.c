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
static int apply_verdicts(core_session *c, result *rs, size_t n)
{
	char *err = NULL;
	jverdict *v = NULL;
	size_t nv = 0;
	char today[11];
	today_utc(today);
	int rc = 0;
	if (session_open(c, SESSION_JOURNAL_READ, &err) < 0 ||
	    (c->j && journal_verdicts(c->j, c->t->spec, today, &v, &nv, &err) < 0)) {
		char *perr = NULL, *path = session_journal_path(c->o, &perr);
		free(perr);
		if (path)
			fprintf(stderr, _("cmharden: cannot read attestations and waivers from %s: %s\n"), path, err);
		else
			fprintf(stderr, "cmharden: %s\n", err);
		free(path);
		free(err);
		rc = -1;
	}
	for (size_t i = 0; i < nv; i++)
		for (size_t k = 0; k < n; k++)
			if (!strcmp(rs[k].chk->id, v[i].check_id))
				result_apply_verdict(&rs[k], v[i].waived, v[i].compliant, v[i].text, v[i].operator_, v[i].until);
	jverdicts_free(v, nv);
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
	core_session ses;
	session_init(&ses, g);
	ses.tspec = tspec;
	char *err = NULL;
	if (session_open(&ses, SESSION_CONTENT, &err) < 0) {
		session_close(&ses);
		free(sections);
		free(checks);
		return EXIT_ERROR;
	}
	for (size_t i = 0; i < ns; i++)
		if (!catalog_section(&ses.cat, sections[i])) {
			fprintf(stderr, _("cmharden: no section '%s' (see 'cmharden list')\n"), sections[i]);
			goto out_cat;
		}
	for (size_t i = 0; i < nc; i++)
		if (!catalog_find(&ses.cat, checks[i])) {
			fprintf(stderr, _("cmharden: no check '%s' (see 'cmharden list')\n"), checks[i]);
			goto out_cat;
		}
	if (session_open(&ses, g->needs & ~SESSION_JOURNAL_READ, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		goto out_cat;
	}
	if (!ns && !nc && engine_prefetch(&ses.e, &err) < 0) {
		/* Not fatal: each class is then read (or reported) on its own. */
		free(err);
		err = NULL;
	}
	result *rs = xcalloc(ses.cat.nchecks ? ses.cat.nchecks : 1, sizeof *rs);
	size_t n = 0;
	for (size_t s = 0; s < ses.cat.nsections; s++)
		for (size_t i = 0; i < ses.cat.sections[s].n; i++)
			if (wanted(&ses.cat.sections[s].checks[i], sections, ns, checks, nc))
				engine_run(&ses.e, &ses.cat.sections[s].checks[i], &rs[n++]);
	FILE *out = stdout;
	outfile of = {0};
	char *oerr = NULL;
	bool verdict_error = apply_verdicts(&ses, rs, n) < 0;
	if (output && outfile_open(&of, output, 0666, &oerr) < 0) {
		fprintf(stderr, "cmharden: %s\n", oerr);
		free(oerr);
	} else {
		if (output)
			out = of.f;
		run_info ri = {ses.t->spec, &ses.e.site, &ses.cat};
		if (by_path && fmt == FMT_JSON)
			paths_write_json(out, &ses.cat, rs, n);
		else if (by_path)
			paths_write_text(out, &ses.cat, rs, n);
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
out_cat:
	session_close(&ses);
	free(sections);
	free(checks);
	return rc;
}
