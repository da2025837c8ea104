/* cmd_report.c — `cmharden report`: the report of a target or of one session
 * (src/report.h), as HTML, Markdown, JSON or CSV.
 *
 * The report only reads: the checks are run on the target, the journal is read
 * (and not created when it does not exist yet). With -o the report is written
 * to a temporary file and renamed, so a failed run never leaves half a report. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content/catalog.h"
#include "cli/cli.h"
#include "check/engine.h"
#include "base/i18n.h"
#include "base/outfile.h"
#include "report/report.h"
#include "target/target.h"


static int report_help(void)
{
	puts(_("Usage: cmharden [--target T] report [--session ID] [--format FMT] [-o FILE]\n"
	       "                                    [--baseline OLD.json] [--title T] [--organisation O]\n"
	       "                                    [--engagement E] [--prepared-by NAME]\n"
	       "Write the report of the target: the site, every check with its verdict and\n"
	       "evidence, attestations, waivers, every change made and undone with its before-\n"
	       "and after-value, and the journal's verification with its head.\n\n"
	       "  -s, --session=ID   report one session of the journal (and its target)\n"
	       "  -f, --format=FMT   html (one self-contained, printable file), md, json or csv;\n"
	       "                     default: from the extension of FILE, else html\n"
	       "  -o, --output=FILE  write to FILE instead of standard output\n"
	       "  -b, --baseline=OLD.json  compare with an earlier JSON report: checks fixed,\n"
	       "                     regressed, newly attested, waivers expired or added,\n"
	       "                     checks added or removed\n"
	       "      --title=T, --organisation=O, --engagement=E, --prepared-by=NAME\n"
	       "                     the cover and the sign-off; default: the settings file\n"
	       "                     $XDG_CONFIG_HOME/cmharden/report.conf (key = value lines)\n\n"
	       "The checks are run on the target when the report is made; attestations and\n"
	       "waivers in force are applied to their verdicts.\n"
	       "Exit status: 0 written, 1 written but the journal was altered, 2 on errors."));
	return EXIT_PASS;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && str_ieq(s + a - b, suffix);
}

static report_format format_from_name(const char *path)
{
	if (path && ends_with(path, ".md"))
		return RF_MD;
	if (path && ends_with(path, ".json"))
		return RF_JSON;
	if (path && ends_with(path, ".csv"))
		return RF_CSV;
	return RF_HTML;
}

static bool parse_id(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || end == s || v <= 0)
		return false;
	*out = v;
	return true;
}

int cmd_report(const cli_opts *g, int argc, char **argv)
{
	static const struct option lo[] = {{"session", required_argument, NULL, 's'},
					   {"format", required_argument, NULL, 'f'},
					   {"output", required_argument, NULL, 'o'},
					   {"baseline", required_argument, NULL, 'b'},
					   {"title", required_argument, NULL, 'T'},
					   {"organisation", required_argument, NULL, 'O'},
					   {"organization", required_argument, NULL, 'O'},
					   {"engagement", required_argument, NULL, 'E'},
					   {"prepared-by", required_argument, NULL, 'P'},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};
	const char *output = NULL, *fmt_arg = NULL;
	report_engagement eng = {0};
	int64_t session = 0;
	int c;
	optind = 0; /* glibc: start afresh, not in main's stop-at-the-command order */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "s:f:o:b:h", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!parse_id(optarg, &session))
				return cli_usage_error("report ", _("--session takes a session number"));
			break;
		case 'f': fmt_arg = optarg; break;
		case 'o': output = optarg; break;
		case 'b': eng.baseline = optarg; break;
		case 'T': eng.title = optarg; break;
		case 'O': eng.organisation = optarg; break;
		case 'E': eng.engagement = optarg; break;
		case 'P': eng.prepared_by = optarg; break;
		case 'h': return report_help();
		default:
			return cli_usage_error("report ", _("unknown or incomplete option '%s'"), argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("report ", _("unexpected argument '%s'"), argv[optind]);
	report_format fmt = format_from_name(output);
	if (fmt_arg && report_format_parse(fmt_arg, &fmt) < 0)
		return cli_usage_error("report ", _("unknown format '%s' (html, md, json, csv)"), fmt_arg);

	int rc = EXIT_ERROR;
	char *err = NULL, *jpath = NULL, *tspec = NULL;
	journal *j = NULL;
	target *t = NULL;
	engine e;
	bool have_engine = false, have_report = false;
	report r;
	catalog cat;
	if (session_load_catalog(g, &cat) < 0)
		return EXIT_ERROR;
	jpath = session_journal_path(g, &err);
	if (!jpath)
		goto fail;
	/* Reading must not create a journal: a missing one means nothing was recorded. */
	if (access(jpath, F_OK) == 0) {
		if (journal_open(jpath, &j, &err) < 0)
			goto fail;
	} else if (session) {
		err = xasprintf(_("there is no journal at %s, so no session %lld"), jpath, (long long)session);
		goto fail;
	}
	if (session) {
		if (!(tspec = jq_session_target(j, session, &err)))
			goto fail;
		if (g->target && *g->target && strcmp(session_target_spec(g), tspec)) {
			err = xasprintf(_("session %lld was recorded for %s, not %s"), (long long)session, tspec, g->target);
			goto fail;
		}
	} else {
		tspec = xstrdup(session_target_spec(g));
	}
	if (session_open_target(tspec, cat.dir, &cat, &t, &e, &err) < 0)
		goto fail;
	have_engine = true;
	report_opts ro = {.j = j, .jpath = jpath, .session = session, .eng = &eng, .baseline_path = eng.baseline};
	if (report_build(&r, &e, &ro, &err) < 0)
		goto fail;
	have_report = true;

	FILE *out = stdout;
	outfile of;
	if (output) {
		if (outfile_open(&of, output, 0666, &err) < 0)
			goto fail;
		out = of.f;
	}
	int w = report_write(out, fmt, &r);
	if (output) {
		if (w < 0) {
			outfile_abort(&of);
			err = xasprintf(_("cannot write %s: %s"), output, strerror(errno));
			goto fail;
		}
		if (outfile_commit(&of, &err) < 0)
			goto fail;
	} else if (w < 0 || fflush(stdout) != 0) {
		err = xasprintf(_("cannot write the report: %s"), strerror(errno));
		goto fail;
	}
	if (r.verify == 1)
		fprintf(stderr, _("cmharden: the journal was altered; the report says where (head %s)\n"),
			r.head ? r.head : "?");
	rc = r.verify == 1 ? EXIT_FINDINGS : EXIT_PASS;
	goto out;
fail:
	fprintf(stderr, "cmharden: %s\n", err ? err : _("the report could not be made"));
out:
	if (have_report)
		report_release(&r);
	if (have_engine)
		engine_release(&e);
	target_close(t);
	journal_close(j);
	catalog_release(&cat);
	free(err), free(jpath), free(tspec);
	return rc;
}
