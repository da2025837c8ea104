/* cli_change.c — what the commands that change a site (fix, undo, journal,
 * attest, waive) share: opening their session, the reconciliation gate and
 * printing a change. */
#include "config.h"

#include <errno.h>
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

/* Opens what the command needs now; prints why not. */
int cli_open_stack(core_session *c, unsigned needs)
{
	char *err = NULL;
	if (session_open(c, needs, &err) < 0) {
		if (err)
			fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		return -1;
	}
	return 0;
}

void cli_print_change(const jchange *ch, const char *prefix)
{
	strbuf b = STRBUF_INIT, a = STRBUF_INIT;
	value_format(&ch->before, &b);
	if (ch->script && ch->after.kind == V_NULL)
		sb_adds(&a, _("(as the script leaves it)"));
	else
		value_format(&ch->after, &a);
	char *key = sanitize_dup(ch->key, 0), *bs = sanitize_dup(sb_str(&b), 200), *as = sanitize_dup(sb_str(&a), 200);
	char *prop = ch->script ? xasprintf(_("script %s"), ch->prop) : xstrdup(ch->prop);
	printf(_("%schange %lld (%s): %s '%s' %s: %s -> %s\n"), prefix, (long long)ch->id,
	       change_state_name(ch->state), ch->cls, key, prop, bs, as);
	free(prop);
	free(key);
	free(bs);
	free(as);
	sb_release(&b);
	sb_release(&a);
}

/* Reconciles the journal with the target; -1 if a change is still unresolved. */
int cli_reconcile_gate(core_session *c)
{
	char *err = NULL;
	if (session_open(c, SESSION_RECONCILE, &err) < 0) {
		/* A capture script's message may quote site data. */
		char *e = sanitize_dup(err, 0);
		fprintf(stderr, "cmharden: %s\n", e);
		free(e);
		free(err);
		return -1;
	}
	const reconcile_report rep = c->recovered;
	size_t n = c->nunresolved;
	if (rep.applied + rep.not_applied + rep.conflicts)
		printf(_("Recovered unfinished changes from the journal: %zu applied, %zu not applied,"
			 " %zu in conflict.\n"),
		       rep.applied, rep.not_applied, rep.conflicts);
	if (n) {
		fprintf(stderr, _("cmharden: %zu change(s) on %s have no known outcome; nothing new may start"
				  " until each is resolved:\n"),
			n, c->t->spec);
		for (size_t i = 0; i < n; i++)
			cli_print_change(&c->unresolved[i], "  ");
		fprintf(stderr, _("Compare them with the site, then run 'cmharden journal resolve CHANGE'.\n"));
	}
	return n ? -1 : 0;
}

int cli_begin_session(core_session *c, const char *command)
{
	char *err = NULL;
	if (remedy_session(session_remedy(c), command, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		return -1;
	}
	return 0;
}

/* Tells the operator, once, that another process holds a lock we wait for. */
static void lock_waiting(const char *what, const char *holder, double wait_s, void *unused)
{
	(void)unused;
	fprintf(stderr, _("cmharden: %s is in use by %s; waiting up to %.0f seconds...\n"), what, holder, wait_s);
}

int cli_lock_writer(core_session *c, const char *command)
{
	char *err = NULL;
	if (remedy_lock(session_remedy(c), command, lock_waiting, NULL, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		return -1;
	}
	/* What was read before the lock may have changed while we waited. */
	if (c->open & SESSION_ENGINE)
		engine_refresh(&c->e);
	return 0;
}

int cli_journal_verified(core_session *c)
{
	char *err = NULL;
	if (remedy_journal_verified(session_remedy(c), &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		return -1;
	}
	return 0;
}

/* A change, run or session id: a positive decimal number; out of range is
 * refused, never clamped to the largest. */
bool cli_parse_id(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v <= 0 || errno == ERANGE)
		return false;
	*out = v;
	return true;
}
