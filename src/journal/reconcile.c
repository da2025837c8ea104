/* reconcile.c — deciding the changes whose outcome the journal does not know
 * (a crash between planning and marking) by reading the target, and settling
 * conflicts the operator resolves (see reconcile.h). */
#include "config.h"
#include "journal/reconcile.h"
#include "journal/journal_int.h"
#include "journal/query.h"
#include "base/i18n.h"
#include "remedy/script_run.h"

#include <stdlib.h>
#include <string.h>

/* What the site holds now decides a change whose outcome is unknown. A
 * script change whose expected state was not declared (after is null) is
 * applied only if the operator says so (journal resolve). */
static change_state decide(const jchange *c, const value *now)
{
	if (c->script) {
		if (c->after.kind != V_NULL && script_state_equal(now, &c->after))
			return CH_APPLIED;
		return script_state_equal(now, &c->before) ? CH_NOT_APPLIED : CH_CONFLICT;
	}
	if (value_equal(now, &c->after))
		return CH_APPLIED;
	if (value_equal(now, &c->before))
		return CH_NOT_APPLIED;
	return CH_CONFLICT;
}

/* What the site holds now: the property, or for a script change what its
 * capture script returns. */
static int read_now(target *t, const jchange *c, value *now, char **err)
{
	if (c->script)
		return script_run(t, c->prop, SCRIPT_CAPTURE, c->state_type, c->params, c->nparams, NULL, now, err);
	return target_get(t, c->cls, c->key, c->prop, now, err);
}

char *journal_site_identity(target *t)
{
	if (!t || strcmp(t->ops->kind, "agent") != 0)
		return NULL;
	site_info si;
	char *err = NULL;
	if (target_site(t, &si, &err) < 0) {
		free(err);
		return NULL;
	}
	char *id = si.code && *si.code && si.server && *si.server ? xasprintf("%s (%s)", si.code, si.server) : NULL;
	site_info_release(&si);
	return id;
}

int journal_reconcile(journal *j, target *t, reconcile_report *rep, char **err)
{
	memset(rep, 0, sizeof *rep);
	jchange *v;
	size_t n;
	char *site = journal_site_identity(t);
	int r = jread_changes(j, &v, &n, err, "WHERE " JOURNAL_SITE_SESSIONS " AND c.state = 'planned' ORDER BY c.id",
			      "sss", t->spec, site, site);
	free(site);
	if (r < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		value now = VALUE_NULL;
		char *terr = NULL;
		if (read_now(t, &v[i], &now, &terr) < 0) {
			/* Unreadable: the outcome stays unknown (planned) and blocks new changes. */
			*err = xasprintf(_("cannot reconcile change %lld: %s"), (long long)v[i].id, terr);
			free(terr);
			rc = -1;
			break;
		}
		change_state st = decide(&v[i], &now);
		/* A script change found applied records the state it left. */
		const value *obs = st == CH_CONFLICT || (st == CH_APPLIED && v[i].script) ? &now : NULL;
		rc = journal_change_mark(j, v[i].id, st, obs, err);
		size_t *count = st == CH_APPLIED ? &rep->applied : st == CH_NOT_APPLIED ? &rep->not_applied : &rep->conflicts;
		if (rc == 0)
			(*count)++;
		value_clear(&now);
	}
	jchanges_free(v, n);
	return rc;
}

int journal_resolve(journal *j, target *t, int64_t change, change_state *outcome, char **err)
{
	jchange c;
	if (journal_change_get(j, change, &c, err) < 0)
		return -1;
	int rc = -1;
	value now = VALUE_NULL;
	char *terr = NULL;
	if (c.state != CH_CONFLICT && c.state != CH_PLANNED) {
		*err = xasprintf(_("change %lld is %s, not in conflict"), (long long)change, change_state_name(c.state));
	} else if (strcmp(c.target, t->spec) != 0) {
		*err = xasprintf(_("change %lld was made on %s, not on %s"), (long long)change, c.target, t->spec);
	} else if (read_now(t, &c, &now, &terr) < 0) {
		*err = xasprintf(_("cannot read %s '%s' %s: %s"), c.cls, c.key, c.prop, terr);
		free(terr);
	} else {
		change_state st = decide(&c, &now);
		if (st == CH_CONFLICT && c.state == CH_PLANNED)
			rc = journal_change_mark(j, change, CH_CONFLICT, &now, err);
		else
			rc = 0;
		if (rc == 0 && st == CH_CONFLICT)
			st = CH_RESOLVED;
		if (rc == 0)
			rc = journal_change_mark(j, change, st,
						 st == CH_RESOLVED || (st == CH_APPLIED && c.script) ? &now : NULL, err);
		*outcome = st;
	}
	value_clear(&now);
	jchange_release(&c);
	return rc;
}

