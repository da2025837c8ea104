/* report_scope.c — the parts of the model every emitter shares: the journal's
 * records in the report's scope, the findings and the action plan in severity
 * order, the score, and the comparison with a baseline. Computed once here so
 * no emitter walks the journal or ranks the checks on its own. */
#include "config.h"
#include "report/report.h"
#include "base/i18n.h"

#include <stdlib.h>
#include <string.h>

static bool change_in_scope(const report *r, const jq_change *c)
{
	if (!r->session || c->session == r->session)
		return true;
	/* The undo that reverted one of the session's changes, and the change an undo
	 * in the session reverted, belong to the session's story. */
	const jq_change *orig = c->undoes ? report_change_get(r, c->undoes) : NULL;
	if (orig && orig->session == r->session)
		return true;
	for (size_t i = 0; i < r->jv.nchanges; i++) {
		const jq_change *u = &r->jv.changes[i];
		if (u->undoes == c->id && u->session == r->session)
			return true;
	}
	return false;
}

static void count_visit(report_visit *v, const jq_change *c)
{
	if (c->undoes)
		v->undo_changes++;
	else if (c->state == CH_UNDONE || c->undone_by)
		v->undone++;
	else if (c->state == CH_APPLIED)
		v->applied++;
	else if (c->state == CH_FAILED)
		v->failed++;
	else
		v->other++;
}

static void scope_changes(report *r)
{
	r->changes = xcalloc(r->jv.nchanges ? r->jv.nchanges : 1, sizeof *r->changes);
	for (size_t i = 0; i < r->jv.nchanges; i++) {
		const jq_change *c = &r->jv.changes[i];
		if (!change_in_scope(r, c))
			continue;
		report_change *rc = &r->changes[r->nchanges++];
		rc->c = c;
		rc->run = jq_run_get(&r->jv, c->run);
		rc->session = jq_session_get(&r->jv, c->session);
		count_visit(&r->visit, c);
	}
}

static void scope_sessions(report *r)
{
	r->sessions = xcalloc(r->jv.nsessions ? r->jv.nsessions : 1, sizeof *r->sessions);
	for (size_t i = 0; i < r->jv.nsessions; i++) {
		const jq_session *s = &r->jv.sessions[i];
		bool in = !r->session || s->id == r->session;
		for (size_t k = 0; !in && k < r->nchanges; k++)
			in = r->changes[k].c->session == s->id;
		if (in)
			r->sessions[r->nsessions++] = s;
	}
}

/* Attestations, waivers and results: those recorded in the scope's session. */
#define SCOPE_RECORDS(r, arr, n, out, nout)                                        \
	do {                                                                       \
		(out) = xcalloc((n) ? (n) : 1, sizeof *(out));                     \
		for (size_t i_ = 0; i_ < (n); i_++)                                \
			if (!(r)->session || (arr)[i_].session == (r)->session)    \
				(out)[(nout)++] = &(arr)[i_];                      \
	} while (0)

void report_scope_journal(report *r)
{
	scope_changes(r);
	scope_sessions(r);
	SCOPE_RECORDS(r, r->jv.attests, r->jv.nattests, r->attests, r->nattests);
	SCOPE_RECORDS(r, r->jv.waivers, r->jv.nwaivers, r->waivers, r->nwaivers);
	SCOPE_RECORDS(r, r->jv.results, r->jv.nresults, r->results, r->nresults);
	r->visit.attested = r->nattests;
	r->visit.waived = r->nwaivers;
}

static bool failing(check_status s)
{
	return s == ST_FAIL || s == ST_ERROR;
}

/* Findings (failing and erroring checks) worst first: high severity before
 * low, within a severity in checklist order; the action plan adds the open
 * questions after the findings of their severity. */
static void rank(report *r)
{
	r->findings = xcalloc(r->nchecks ? r->nchecks : 1, sizeof *r->findings);
	r->actions = xcalloc(r->nchecks ? r->nchecks : 1, sizeof *r->actions);
	for (int sev = SEV_HIGH; sev >= SEV_LOW; sev--) {
		for (size_t i = 0; i < r->nchecks; i++)
			if ((int)r->checks[i].chk->sev == sev && failing(r->checks[i].status)) {
				r->findings[r->nfindings++] = i;
				r->actions[r->nactions++] = i;
				r->fail_by_sev[sev]++;
			}
		for (size_t i = 0; i < r->nchecks; i++)
			if ((int)r->checks[i].chk->sev == sev && r->checks[i].status == ST_NEEDS_ATTESTATION)
				r->actions[r->nactions++] = i;
	}
}

static void compare(report *r)
{
	baseline_now *now = xcalloc(r->nchecks ? r->nchecks : 1, sizeof *now);
	for (size_t i = 0; i < r->nchecks; i++)
		now[i] = (baseline_now){r->checks[i].chk->id, r->checks[i].status, true};
	baseline_compare(r->base, r->cat, now, r->nchecks, &r->diff);
	free(now);
}

void report_plan(report *r)
{
	rank(r);
	/* The checklist's score; the section beyond it has its own (report_paths.h). */
	size_t applicable = r->ncounted - r->counts[ST_NOT_APPLICABLE];
	r->score = applicable ? (int)((200 * (r->counts[ST_PASS] + r->counts[ST_ATTESTED]) + applicable) /
				      (2 * applicable))
			      : -1;
	if (r->base)
		compare(r);
}

size_t report_deciding_columns(const report_check *rc, const ev_table *t, bool *keep)
{
	char **paths = NULL;
	size_t np = 0, n = 0;
	if (rc->chk->pred && t == &rc->res->tables[0])
		expr_paths(rc->chk->pred, &paths, &np);
	for (size_t c = 0; c < t->ncols; c++) {
		keep[c] = false;
		for (size_t i = 0; i < t->nrows && !keep[c]; i++)
			keep[c] = t->rows[i].offending && t->rows[i].bad[c];
		for (size_t p = 0; p < np && !keep[c]; p++)
			keep[c] = str_ieq(paths[p], t->columns[c]);
		n += keep[c];
	}
	for (size_t p = 0; p < np; p++)
		free(paths[p]);
	free(paths);
	return n;
}

const char *report_action_kind(const report_check *rc)
{
	if (rc->status == ST_NEEDS_ATTESTATION)
		return "decide";
	if (rc->status == ST_ERROR)
		return "investigate";
	return rc->chk->nfixes ? "fix" : "console";
}

char *report_action_command(const report_check *rc)
{
	const char *kind = report_action_kind(rc), *id = rc->chk->id;
	if (!strcmp(kind, "decide"))
		return xasprintf("cmharden attest %s --answer yes|no --note TEXT", id);
	/* Judged not compliant: once remedied in the console, answered again. Not
	 * a violation a fail-or-ask check's automated part found: no answer
	 * settles that, a fix or the console does. */
	if (rc->chk->kind == KIND_ATTESTATION && rc->status == ST_FAIL && rc->res->decided == DECIDED_OPERATOR)
		return xasprintf("cmharden attest %s --answer yes --note TEXT", id);
	if (!strcmp(kind, "fix"))
		return xasprintf("cmharden fix %s", id);
	return xasprintf("cmharden check --check %s", id);
}
