/* cmd_journal.c — `cmharden journal`: list, show, verify, export, resolve. */
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
#include "journal/print.h"
#include "journal/verify.h"
#include "base/json.h"
#include "remedy/remedy.h"
#include "base/sanitize.h"
#include "session/session.h"
#include "target/target.h"
#include "cli/cli_change.h"

typedef core_session ctx;

/* ---------- cmharden journal ---------- */

static int journal_help(void)
{
	puts(_("Usage: cmharden journal list\n"
	       "       cmharden journal show SESSION\n"
	       "       cmharden journal verify [--head SEQ:HASH]\n"
	       "       cmharden journal export [--format json]\n"
	       "       cmharden [--target T] journal resolve CHANGE\n"
	       "The journal ($XDG_DATA_HOME/cmharden/journal.db, or --journal PATH) records\n"
	       "sessions, fix runs, every change with its before-value, check results,\n"
	       "attestations and waivers.\n\n"
	       "  verify   check the hash chain and every row; print the head SEQ:HASH;\n"
	       "           --head proves that a head recorded earlier is still in the chain\n"
	       "  resolve  settle a change whose outcome is unknown: re-read the site; if it\n"
	       "           holds neither value, accept what it holds now\n\n"
	       "Exit status of verify: 0 intact, 1 altered, 2 on errors."));
	return EXIT_PASS;
}

static int journal_verify_cmd(ctx *c, int argc, char **argv)
{
	const char *head = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--head=", 7))
			head = argv[i] + 7;
		else if (!strcmp(argv[i], "--head") && i + 1 < argc)
			head = argv[++i];
		else
			return cli_usage_error("journal ", _("unexpected argument '%s'"), argv[i]);
	}
	strbuf rep = STRBUF_INIT;
	char *err = NULL, *h = NULL;
	int r = journal_verify(c->j, head, &rep, &h, &err);
	int rc = EXIT_ERROR;
	if (r < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
	} else {
		fputs(sb_str(&rep), stdout);
		if (r == 0)
			printf(head ? _("Journal intact; the head %s is in the chain. Head: %s\n")
				    : _("Journal intact%s. Head: %s\n"),
			       head ? head : "", h);
		else
			printf(_("The journal was altered (the first problem is listed first). Head: %s\n"), h);
		rc = r ? EXIT_FINDINGS : EXIT_PASS;
	}
	free(h);
	sb_release(&rep);
	return rc;
}

static int journal_resolve_cmd(ctx *c, int argc, char **argv)
{
	int64_t id;
	if (argc != 2 || !cli_parse_id(argv[1], &id))
		return cli_usage_error("journal ", _("resolve takes one change id"));
	if (cli_open_stack(c, SESSION_TARGET) < 0 || cli_lock_writer(c, "journal resolve") < 0)
		return EXIT_ERROR;
	char *err = NULL;
	change_state st;
	reconcile_report rep;
	if (journal_reconcile(c->j, c->t, &rep, &err) < 0 || journal_resolve(c->j, c->t, id, &st, &err) < 0) {
		char *e = sanitize_dup(err, 0); /* a capture script's message may quote site data */
		fprintf(stderr, "cmharden: %s\n", e);
		free(e);
		free(err);
		return EXIT_ERROR;
	}
	printf(_("Change %lld is now %s.\n"), (long long)id, change_state_name(st));
	return EXIT_PASS;
}

int cmd_journal(const cli_opts *g, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("journal ", _("expected list, show, verify, export or resolve"));
	const char *sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h"))
		return journal_help();
	ctx c;
	session_init(&c, g);
	int rc = EXIT_ERROR;
	char *err = NULL;
	int64_t id = 0;
	if (strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "verify") && strcmp(sub, "export") &&
	    strcmp(sub, "resolve"))
		return cli_usage_error("journal ", _("unknown subcommand '%s'"), sub);
	if (!strcmp(sub, "show") && (argc != 3 || !cli_parse_id(argv[2], &id)))
		return cli_usage_error("journal ", _("show takes one session id"));
	if (!strcmp(sub, "resolve") && (argc != 3 || !cli_parse_id(argv[2], &id)))
		return cli_usage_error("journal ", _("resolve takes one change id"));
	if (!strcmp(sub, "list") && argc != 2)
		return cli_usage_error("journal ", _("unexpected argument '%s'"), argv[2]);
	if (!strcmp(sub, "export") && argc > 2 &&
	    !(argc == 4 && !strcmp(argv[2], "--format") && !strcmp(argv[3], "json")) &&
	    !(argc == 3 && !strcmp(argv[2], "--format=json")))
		return cli_usage_error("journal ", _("export writes JSON only: --format json"));
	/* Reading a journal never creates one: a missing journal is an error. */
	if (cli_open_stack(&c, SESSION_JOURNAL_READ) < 0)
		goto out;
	if (!c.j) {
		char *path = session_journal_path(g, &err);
		fprintf(stderr, _("cmharden: there is no journal at %s\n"), path ? path : err);
		free(path);
		free(err);
		goto out;
	}
	if (!strcmp(sub, "verify"))
		rc = journal_verify_cmd(&c, argc - 1, argv + 1);
	else if (!strcmp(sub, "resolve"))
		rc = journal_resolve_cmd(&c, argc - 1, argv + 1);
	else if ((!strcmp(sub, "list") ? journal_list(c.j, stdout, &err)
		  : !strcmp(sub, "show") ? journal_show(c.j, id, stdout, &err)
					 : journal_export_json(c.j, stdout, &err)) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
	} else {
		rc = EXIT_PASS;
	}
out:
	session_close(&c);
	return rc;
}
