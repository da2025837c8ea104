/* cmd_attest.c — `cmharden attest`: the operator's answer (compliant or not)
 * on an attestation check; cli_record_verdict() also records `cmharden
 * waive`'s waivers, which need an expiry or an explicit --permanent. */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "content/catalog.h"
#include "cli/cli.h"
#include "check/engine.h"
#include "content/fix.h"
#include "content/content_i18n.h"
#include "base/i18n.h"
#include "journal/journal.h"
#include "base/json.h"
#include "remedy/remedy.h"
#include "base/sanitize.h"
#include "session/session.h"
#include "target/target.h"
#include "cli/cli_change.h"

typedef core_session ctx;

/* ---------- cmharden attest / waive ---------- */

/* "yes" or "no" (and their translations): the answer of `attest --answer`. */
static int parse_answer(const char *s, bool *compliant)
{
	if (!strcmp(s, "yes") || !strcmp(s, _("yes"))) {
		*compliant = true;
		return 0;
	}
	if (!strcmp(s, "no") || !strcmp(s, _("no"))) {
		*compliant = false;
		return 0;
	}
	return -1;
}

/* attest and waive share everything but their options and the row they write. */
int cli_record_verdict(const cli_opts *g, int argc, char **argv, bool waive)
{
	const char *cmd = waive ? "waive " : "attest ";
	static const struct option lo[] = {{"note", required_argument, NULL, 'n'},
					   {"answer", required_argument, NULL, 'a'},
					   {"reason", required_argument, NULL, 'r'},
					   {"until", required_argument, NULL, 'u'},
					   {"permanent", no_argument, NULL, 'p'},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};
	const char *text = NULL, *until = NULL, *answer = NULL;
	bool permanent = false, compliant = true;
	int ch;
	optind = 0; /* glibc: start afresh, not in main's stop-at-the-command order */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (ch == 'h') {
			puts(waive ? _("Usage: cmharden waive CHECK --reason TEXT (--until YYYY-MM-DD | --permanent)\n"
				       "Record that a check is deliberately not met, why, and until when. A waiver\n"
				       "needs an expiry date; --permanent records one without (reports say so).")
				   : _("Usage: cmharden attest CHECK --answer yes|no --note TEXT\n"
				       "Record the answer to an attestation check's question, with a note: yes, the\n"
				       "site is compliant (the check reads attested), or no, it is not (the check\n"
				       "fails, with the note as the finding)."));
			return EXIT_PASS;
		}
		if ((ch == 'n' && !waive) || (ch == 'r' && waive))
			text = optarg;
		else if (ch == 'a' && !waive)
			answer = optarg;
		else if (ch == 'u' && waive)
			until = optarg;
		else if (ch == 'p' && waive)
			permanent = true;
		else
			return cli_usage_error(cmd, _("unknown or incomplete option '%s'"), argv[optind - 1]);
	}
	if (optind + 1 != argc)
		return cli_usage_error(cmd, _("give one check id"));
	if (!waive && !answer)
		return cli_usage_error(cmd, _("--answer yes|no is required (is the site compliant?)"));
	if (answer && parse_answer(answer, &compliant) < 0)
		return cli_usage_error(cmd, _("--answer takes yes or no, not '%s'"), answer);
	if (!text || !*text)
		return cli_usage_error(cmd, waive ? _("--reason TEXT is required") : _("--note TEXT is required"));
	if (waive && !until && !permanent)
		return cli_usage_error(cmd, _("a waiver needs --until YYYY-MM-DD (or, deliberately, --permanent)"));
	if (until && permanent)
		return cli_usage_error(cmd, _("--until and --permanent exclude each other"));
	if (until && !remedy_valid_until(until))
		return cli_usage_error(cmd, _("--until takes a date from today on, as YYYY-MM-DD"));
	const char *id = argv[optind];
	ctx c;
	session_init(&c, g);
	int rc = EXIT_ERROR;
	char *err = NULL;
	if (cli_open_stack(&c, SESSION_CONTENT) < 0)
		return EXIT_ERROR;
	const check *k = catalog_find(&c.cat, id);
	if (!k) {
		fprintf(stderr, _("cmharden: no check '%s' (see 'cmharden list')\n"), id);
	} else if (!waive && k->kind != KIND_ATTESTATION) {
		fprintf(stderr, _("cmharden: %s is an automated check; the site decides it (use 'cmharden waive'"
				  " to accept a deviation)\n"),
			id);
	} else if (cli_open_stack(&c, SESSION_JOURNAL) == 0 && cli_begin_session(&c, waive ? "waive" : "attest") == 0) {
		int64_t r = waive ? journal_waive(c.j, c.r.session, id, text, until, remedy_operator(), &err)
				  : journal_attest(c.j, c.r.session, id, compliant, text, remedy_operator(), &err);
		if (r < 0) {
			fprintf(stderr, "cmharden: %s\n", err);
			free(err);
		} else {
			if (waive)
				printf(until ? _("Waiver %lld recorded for %s, until %s.\n")
					     : _("Waiver %lld recorded for %s, permanently.\n"),
				       (long long)r, id, until);
			else
				printf(compliant ? _("Attestation %lld recorded for %s: compliant.\n")
						 : _("Attestation %lld recorded for %s: not compliant (the check fails).\n"),
				       (long long)r, id);
			rc = EXIT_PASS;
		}
	}
	session_close(&c);
	return rc;
}

int cmd_attest(const cli_opts *g, int argc, char **argv)
{
	return cli_record_verdict(g, argc, argv, false);
}
