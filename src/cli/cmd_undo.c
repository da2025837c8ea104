/* cmd_undo.c — `cmharden undo`: restore what fixes changed (remedy.h);
 * never overwrites a value that drifted from what was set, unless --force. */
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

/* ---------- cmharden undo ---------- */

static int undo_help(void)
{
	puts(_("Usage: cmharden [--target T] undo CHANGE [--yes] [--force]\n"
	       "       cmharden [--target T] undo --run ID [--yes] [--force]\n"
	       "       cmharden [--target T] undo --session[=ID] [--yes] [--force]\n"
	       "Restore the values that fixes replaced, newest first: one change, every change\n"
	       "of a fix run, or of a session (default: the newest session with changes left to\n"
	       "undo). Undo is journaled like any change.\n\n"
	       "  -y, --yes     restore (without it, only show what would be restored)\n"
	       "  -f, --force   also restore values that changed since the fix set them\n\n"
	       "Exit status: 0 done (or previewed), 1 some values drifted and were left alone,\n"
	       "2 on errors."));
	return EXIT_PASS;
}

/* Restores one change. 0 done, 1 refused (drift), -1 journal failure. */
static int undo_one(ctx *c, const jchange *ch, int64_t run, bool force)
{
	char *err = NULL, *why = NULL;
	value now;
	undo_outcome out;
	int rc = remedy_undo_one(session_remedy(c), ch, run, force, &out, &now, &why, &err);
	if (why) { /* a script's message may quote site data */
		char *w = sanitize_dup(why, 0);
		free(why);
		why = w;
	}
	if (rc < 0) {
		fprintf(stderr, _("cmharden: the journal cannot record the undo, so nothing more is changed: %s\n"), err);
		free(err);
	} else if (out == UNDO_UNREADABLE) {
		fprintf(stderr, _("cmharden: cannot read change %lld's value: %s\n"), (long long)ch->id, why);
		rc = 1;
	} else if (out == UNDO_DRIFTED) {
		strbuf sb = STRBUF_INIT;
		value_format(&now, &sb);
		char *v = sanitize_dup(sb_str(&sb), 200);
		printf(_("  change %lld left alone: the value is now %s, not what the fix set (--force restores it)\n"),
		       (long long)ch->id, v);
		free(v);
		sb_release(&sb);
		rc = 1;
	} else if (out == UNDO_FAILED) {
		fprintf(stderr, _("cmharden: cannot restore change %lld: %s\n"), (long long)ch->id, why);
		rc = 1;
	}
	free(why);
	value_clear(&now);
	return rc;
}

typedef struct undo_args {
	undo_scope scope;
	int64_t id;
	bool yes, force, session_given;
} undo_args;

static int undo_parse(int argc, char **argv, undo_args *a)
{
	static const struct option lo[] = {{"run", required_argument, NULL, 'r'},
					   {"session", optional_argument, NULL, 's'},
					   {"yes", no_argument, NULL, 'y'},
					   {"force", no_argument, NULL, 'f'},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};
	int ch, scopes = 0;
	optind = 0; /* glibc: start afresh, not in main's stop-at-the-command order */
	opterr = 0;
	a->scope = UNDO_CHANGE;
	while ((ch = getopt_long(argc, argv, "yfh", lo, NULL)) != -1) {
		switch (ch) {
		case 'r':
			a->scope = UNDO_RUN;
			scopes++;
			if (!cli_parse_id(optarg, &a->id))
				return cli_usage_error("undo ", _("'%s' is not a run id"), optarg);
			break;
		case 's':
			a->scope = UNDO_SESSION;
			a->session_given = true;
			scopes++;
			if (optarg && !cli_parse_id(optarg, &a->id))
				return cli_usage_error("undo ", _("'%s' is not a session id"), optarg);
			break;
		case 'y':
			a->yes = true;
			break;
		case 'f':
			a->force = true;
			break;
		case 'h':
			return undo_help() + 1;
		default:
			return cli_usage_error("undo ", _("unknown or incomplete option '%s'"), argv[optind - 1]);
		}
	}
	/* "undo CHANGE" and "undo --session ID" both take the id as an operand. */
	if (optind < argc) {
		if (a->scope == UNDO_RUN || a->id || !cli_parse_id(argv[optind], &a->id))
			return cli_usage_error("undo ", _("unexpected argument '%s'"), argv[optind]);
		if (!a->session_given)
			scopes++;
		optind++;
	}
	if (optind < argc || scopes != 1)
		return cli_usage_error("undo ", _("give exactly one of CHANGE, --run ID or --session [ID]"));
	return 0;
}

int cmd_undo(const cli_opts *g, int argc, char **argv)
{
	undo_args a = {0};
	int prc = undo_parse(argc, argv, &a);
	if (prc)
		return prc == 1 ? EXIT_PASS : prc;
	ctx c;
	session_init(&c, g);
	int rc = EXIT_ERROR;
	char *err = NULL;
	jchange *v = NULL;
	size_t n = 0;
	if (cli_open_stack(&c, g->needs & ~SESSION_RECONCILE) < 0 || (a.yes && cli_lock_writer(&c, "undo") < 0) ||
	    cli_journal_verified(&c) < 0 || cli_reconcile_gate(&c) < 0)
		goto out;
	if (a.scope == UNDO_SESSION && !a.id && (a.id = journal_last_undoable_session(c.j, c.t->spec, &err)) <= 0) {
		if (a.id < 0)
			goto fail;
		printf(_("Nothing to undo on %s.\n"), c.t->spec);
		rc = EXIT_PASS;
		goto out;
	}
	if (journal_undoable(c.j, c.t->spec, a.scope, a.id, &v, &n, &err) < 0)
		goto fail;
	if (!n) {
		printf(_("Nothing to undo: no applied change of %s in that scope.\n"), c.t->spec);
		rc = a.scope == UNDO_CHANGE ? EXIT_ERROR : EXIT_PASS;
		goto out;
	}
	printf(_("%zu change(s) to undo, newest first:\n"), n);
	for (size_t i = 0; i < n; i++)
		cli_print_change(&v[i], "  ");
	if (!a.yes) {
		printf(_("Nothing was changed: run again with --yes to restore these values.\n"));
		rc = EXIT_PASS;
		goto out;
	}
	int64_t run;
	if (cli_begin_session(&c, "undo") < 0 || (run = remedy_undo_begin(session_remedy(&c), &err)) < 0)
		goto fail;
	size_t refused = 0, done = 0;
	for (size_t i = 0; i < n; i++) {
		int r = undo_one(&c, &v[i], run, a.force);
		if (r < 0)
			goto out;
		if (r)
			refused++;
		else
			done++;
	}
	if (remedy_undo_finish(session_remedy(&c), run, refused, &err) < 0)
		goto fail;
	printf(_("Undone: %zu change(s); left alone: %zu.\n"), done, refused);
	rc = refused ? EXIT_FINDINGS : EXIT_PASS;
	goto out;
fail:
	fprintf(stderr, "cmharden: %s\n", err);
	free(err);
out:
	jchanges_free(v, n);
	session_close(&c);
	return rc;
}
