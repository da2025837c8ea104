/* app.c — the state the wizard shows: catalog, fixes, target, engine, the
 * results of the checks, the journal and the operator's standing verdicts.
 * Everything that decides or changes goes through src/ (engine.h, remedy.h,
 * journal.h); this file only keeps the results and counts them. */
#include "config.h"
#include "session/session.h"
#include "base/i18n.h"
#include "content/content_i18n.h"
#include "content/lab.h"
#include "report/score.h"
#include "report/report.h"
#include "base/sanitize.h"
#include "ui.h"
#include "widget.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>



static size_t app_check_index(const ui_app *a, const check *k)
{
	for (size_t i = 0; i < a->core.cat.nchecks; i++)
		if (a->checks[i] == k)
			return i;
	return 0;
}

disp_status app_status(const ui_app *a, size_t idx)
{
	if (!a->ran[idx])
		return DS_NOT_RUN;
	switch (a->res[idx].status) {
	case ST_PASS: return DS_PASS;
	case ST_FAIL: return DS_FAIL;
	case ST_ERROR: return DS_ERROR;
	case ST_NOT_APPLICABLE: return DS_NA;
	case ST_NEEDS_ATTESTATION: return DS_ATTEST;
	case ST_ATTESTED: return DS_ATTESTED;
	case ST_WAIVED: return DS_WAIVED;
	default: return DS_ERROR;
	}
}

void app_section_counts(const ui_app *a, size_t sec, sec_counts *c)
{
	memset(c, 0, sizeof *c);
	const section *s = &a->core.cat.sections[sec];
	for (size_t i = 0; i < s->n; i++) {
		disp_status d = app_status(a, a->sec_first[sec] + i);
		c->total++;
		c->n[d]++;
		if (d != DS_NOT_RUN)
			c->checked++;
	}
}

void app_total_counts(const ui_app *a, sec_counts *c)
{
	memset(c, 0, sizeof *c);
	for (size_t s = 0; s < a->core.cat.nsections; s++) {
		sec_counts sc;
		if (a->core.cat.sections[s].beyond)
			continue; /* the checklist's score: the section beyond it shows its own */
		app_section_counts(a, s, &sc);
		c->total += sc.total;
		c->checked += sc.checked;
		for (int d = 0; d < DS_COUNT; d++)
			c->n[d] += sc.n[d];
	}
}

char *app_counts_text(const sec_counts *c)
{
	strbuf sb = STRBUF_INIT;
	sb_addf(&sb, _("%zu of %zu checked"), c->checked, c->total);
	static const disp_status order[] = {DS_PASS, DS_ATTESTED, DS_FAIL, DS_ERROR, DS_NA, DS_ATTEST, DS_WAIVED};
	static const char *const words[] = {N_("pass"), N_("attested"), N_("fail"), N_("error"),
					    N_("n/a"), N_("to attest"), N_("waived")};
	bool first = true;
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		if (!c->n[order[i]])
			continue;
		sb_adds(&sb, first ? ": " : ", ");
		sb_addf(&sb, "%zu %s", c->n[order[i]], _(words[i]));
		first = false;
	}
	return sb_detach(&sb);
}

/* Satisfied (pass, attested) out of every check with a verdict that counts:
 * not-applicable and waived checks are left out, unanswered questions and
 * errors count against. */
int app_score(const sec_counts *c, size_t *num, size_t *den)
{
	*num = c->n[DS_PASS] + c->n[DS_ATTESTED];
	*den = *num + c->n[DS_FAIL] + c->n[DS_ERROR] + c->n[DS_ATTEST];
	if (*den == 0)
		return -1;
	return (int)((*num * 100 + *den / 2) / *den);
}

void app_refresh(ui_app *a)
{
	engine_refresh(&a->core.e);
}

void app_reconnect(ui_app *a)
{
	char *spec = sanitize_dup(a->core.t->spec, 200);
	ui_message(a, R_DIM, _("Reconnecting (Esc cancels): opening %s afresh..."), spec);
	ui_draw_now(a);
	/* The wizard's cancel hook watches the new target from its hello on. */
	char *err = NULL;
	a->wait_cancelled = false;
	if (session_reopen_target(&a->core, &err) < 0) {
		/* An Esc that ended the wait is answered here, not by the screen. */
		if (a->wait_cancelled)
			ui_drop_cancel_key(a);
		char *why = sanitize_dup(err ? err : "", 300);
		ui_message(a, R_ERROR, _("Could not reconnect to %s: %s"), spec, why);
		free(why);
		free(err);
		free(spec);
		return;
	}
	/* Read through the session that ended: read again when opened. */
	for (size_t i = 0; i < a->core.cat.nchecks; i++)
		if (a->ran[i])
			a->stale[i] = true;
	ui_message(a, R_PASS, _("Reconnected to %s. Results so far are read again when opened; r runs every check."),
		   spec);
	free(spec);
}

/* The operator's standing verdict (attestation, waiver in force) on a result. */
static void apply_verdict(ui_app *a, result *r)
{
	for (size_t i = 0; i < a->nverd; i++)
		if (!strcmp(a->verd[i].check_id, r->chk->id)) {
			result_apply_verdict(r, a->verd[i].waived, a->verd[i].compliant, a->verd[i].text, a->verd[i].operator_,
					     a->verd[i].until);
			return;
		}
}

/* Every result is journaled in the wizard's session (the engine's own verdict,
 * before the operator's), so that an unfinished session can be resumed and a
 * report made from it. Results are kept here and written in one transaction
 * when the work in flight is done: one commit per section run, not per check. */
static void record(ui_app *a, const result *r)
{
	GROW(a->pending, a->cap_pending, a->npending + 1);
	result *p = &a->pending[a->npending++];
	memset(p, 0, sizeof *p);
	p->chk = r->chk;
	p->status = r->status;
	p->reason = r->reason ? xstrdup(r->reason) : NULL;
}

void app_flush_results(ui_app *a)
{
	if (!a->npending)
		return;
	char *err = NULL;
	const result **v = xcalloc(a->npending, sizeof *v);
	for (size_t i = 0; i < a->npending; i++)
		v[i] = &a->pending[i];
	if (app_journal(a, true, &err) < 0 || remedy_record_results(&a->core.r, "wizard", v, a->npending, &err) < 0) {
		if (!a->record_failed)
			ui_message(a, R_ERROR, _("The results could not be recorded in the journal: %s"), err ? err : "");
		a->record_failed = true;
	}
	free(err);
	free(v);
	for (size_t i = 0; i < a->npending; i++)
		free(a->pending[i].reason);
	a->npending = 0;
}

void app_run_check(ui_app *a, size_t idx)
{
	if (a->ran[idx])
		result_release(&a->res[idx]);
	engine_run(&a->core.e, a->checks[idx], &a->res[idx]);
	record(a, &a->res[idx]);
	apply_verdict(a, &a->res[idx]);
	a->ran[idx] = true;
	a->stale[idx] = false;
}

/* Takes up the session a->resume (the newest with results, finished or not):
 * its results become the starting point (marked stale), and what follows is
 * recorded in it. app_load() does this for the start screen. */
static int app_resume(ui_app *a, char **err)
{
	jresult *v;
	size_t n;
	if (!a->core.j || a->resume <= 0 || journal_session_results(a->core.j, a->resume, &v, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const check *k = catalog_find(&a->core.cat, v[i].check_id);
		int st = -1;
		for (int s = 0; s < ST_COUNT && k; s++)
			if (!strcmp(status_name((check_status)s), v[i].status))
				st = s;
		if (!k || st < 0)
			continue; /* content changed since: that check starts afresh */
		size_t idx = app_check_index(a, k);
		if (a->ran[idx])
			result_release(&a->res[idx]);
		memset(&a->res[idx], 0, sizeof a->res[idx]);
		a->res[idx].chk = k;
		a->res[idx].status = (check_status)st;
		a->res[idx].reason = xstrdup(v[i].reason);
		apply_verdict(a, &a->res[idx]);
		a->ran[idx] = true;
		a->stale[idx] = true;
	}
	for (size_t i = 0; i < n; i++)
		if (v[i].at && (!a->reopened_taken || strcmp(v[i].at, a->reopened_taken) > 0)) {
			free(a->reopened_taken);
			a->reopened_taken = xstrdup(v[i].at);
		}
	jresults_free(v, n);
	a->core.r.session = a->resume;
	a->reopened = a->resume;
	a->reopened_checks = n;
	a->resume = 0;
	return 0;
}

void app_new_session(ui_app *a)
{
	app_flush_results(a);
	/* The next result begins a session of its own (remedy_session). */
	a->core.r.session = 0;
}

void app_set_result(ui_app *a, size_t idx, result *r)
{
	if (a->ran[idx])
		result_release(&a->res[idx]);
	a->res[idx] = *r;
	memset(r, 0, sizeof *r);
	apply_verdict(a, &a->res[idx]);
	a->ran[idx] = true;
}

void app_rerun_all(ui_app *a)
{
	app_refresh(a);
	for (size_t i = 0; i < a->core.cat.nchecks; i++)
		if (a->ran[i])
			app_run_check(a, i);
}

/* ---- the journal ---- */

int app_journal(ui_app *a, bool create, char **err)
{
	*err = NULL;
	if (a->core.j)
		return 0;
	int rc = session_open(&a->core, create ? SESSION_JOURNAL : SESSION_JOURNAL_READ, err);
	session_remedy(&a->core);
	return rc;
}

int app_load_verdicts(ui_app *a, char **err)
{
	jverdicts_free(a->verd, a->nverd);
	a->verd = NULL;
	a->nverd = 0;
	if (!a->core.j)
		return 0;
	char today[11];
	today_utc(today);
	return journal_verdicts(a->core.j, a->core.t->spec, today, &a->verd, &a->nverd, err);
}

int app_reconcile(ui_app *a, char **err)
{
	/* No journal: nothing to reconcile, and looking creates none. */
	if (!a->core.j)
		return 0;
	return session_open(&a->core, SESSION_RECONCILE, err);
}

int app_begin_changes(ui_app *a, char **err)
{
	if (app_journal(a, true, err) < 0 || app_reconcile(a, err) < 0)
		return -1;
	if (a->core.nunresolved) {
		*err = xasprintf(ngettext("%zu change on %s has no known outcome; nothing new may start until it is "
					  "resolved in the journal (J, then R on the change).",
					  "%zu changes on %s have no known outcome; nothing new may start until each is "
					  "resolved in the journal (J, then R on each change).",
					  a->core.nunresolved),
				 a->core.nunresolved, a->core.t->spec);
		return 1;
	}
	return remedy_session(&a->core.r, "wizard", err);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* "CM01: Site Server, Management Point" per server, from the site control file. */
static void load_roles(ui_app *a)
{
	objset objs;
	char *err = NULL;
	objset_init(&objs);
	if (target_query(a->core.t, "SMS_SCI_SysResUse", &objs, &err) < 0) {
		free(err);
		objset_release(&objs);
		return;
	}
	char **servers = NULL;
	size_t ns = 0;
	for (size_t i = 0; i < objs.n; i++) {
		const value *srv = object_get(&objs.items[i], "NetworkOSPath");
		if (!srv || srv->kind != V_STR)
			continue;
		const char *name = srv->s;
		while (*name == '\\')
			name++;
		bool seen = false;
		for (size_t j = 0; j < ns && !seen; j++)
			seen = !strcmp(servers[j], name);
		if (!seen) {
			servers = xrealloc(servers, (ns + 1) * sizeof *servers);
			servers[ns++] = xstrdup(name);
		}
	}
	for (size_t j = 0; j < ns; j++) {
		strbuf sb = STRBUF_INIT;
		sanitize_append(&sb, servers[j], strlen(servers[j]), 64);
		sb_adds(&sb, ":");
		bool first = true;
		for (size_t i = 0; i < objs.n; i++) {
			const value *srv = object_get(&objs.items[i], "NetworkOSPath");
			const value *rn = object_get(&objs.items[i], "RoleName");
			if (!srv || srv->kind != V_STR || !rn || rn->kind != V_STR)
				continue;
			const char *name = srv->s;
			while (*name == '\\')
				name++;
			if (strcmp(name, servers[j]) != 0)
				continue;
			const char *rname = rn->s;
			/* Every server has these two; they say nothing about what it does. */
			if (!strcmp(rname, "SMS Site System") || !strcmp(rname, "SMS Component Server"))
				continue;
			if (!strncmp(rname, "SMS ", 4))
				rname += 4;
			sb_adds(&sb, first ? " " : ", ");
			sanitize_append(&sb, rname, strlen(rname), 64);
			first = false;
		}
		a->roles = xrealloc(a->roles, (a->nroles + 1) * sizeof *a->roles);
		a->roles[a->nroles++] = sb_detach(&sb);
		free(servers[j]);
	}
	free(servers);
	/* A site without site systems has no roles: qsort(NULL, 0) is undefined (UBSan). */
	if (a->nroles)
		qsort(a->roles, a->nroles, sizeof *a->roles, cmp_str);
	objset_release(&objs);
}

static void load_briefing(ui_app *a, const char *spec)
{
	if (strncmp(spec, "lab:", 4) != 0)
		return;
	char *path = lab_scenario_path(a->core.cat.dir, spec + 4);
	if (!path)
		return;
	scenario s;
	diags d;
	diags_init(&d);
	if (scenario_load(&s, path, &d) == 0 && s.briefing)
		a->briefing = sanitize_dup(content_text(s.briefing), 8192);
	/* The goals a trainee works towards (labs/NAME.yaml, `cmharden lab score`). */
	a->goals = xcalloc(s.ngoals ? s.ngoals : 1, sizeof *a->goals);
	for (size_t i = 0; i < s.ngoals; i++) {
		strbuf sb = STRBUF_INIT;
		score_goal_text(&s.goals[i], &a->core.cat, &sb);
		a->goals[a->ngoals++] = sb_detach(&sb);
	}
	scenario_release(&s);
	diags_release(&d);
	free(path);
}

int app_load(ui_app *a, const session_opts *g)
{
	memset(a, 0, sizeof *a);
	a->g = g;
	a->work_budget = ULONG_MAX;
	session_init(&a->core, g);
	char *err = NULL;
	if (session_open(&a->core, SESSION_CONTENT, &err) < 0)
		return -1; /* the content's problems are printed */
	a->checks = xcalloc(a->core.cat.nchecks ? a->core.cat.nchecks : 1, sizeof *a->checks);
	a->sec_first = xcalloc(a->core.cat.nsections ? a->core.cat.nsections : 1, sizeof *a->sec_first);
	a->res = xcalloc(a->core.cat.nchecks ? a->core.cat.nchecks : 1, sizeof *a->res);
	a->ran = xcalloc(a->core.cat.nchecks ? a->core.cat.nchecks : 1, sizeof *a->ran);
	a->stale = xcalloc(a->core.cat.nchecks ? a->core.cat.nchecks : 1, sizeof *a->stale);
	size_t n = 0;
	for (size_t s = 0; s < a->core.cat.nsections; s++) {
		a->sec_first[s] = n;
		for (size_t i = 0; i < a->core.cat.sections[s].n; i++)
			a->checks[n++] = &a->core.cat.sections[s].checks[i];
	}
	if (session_open(&a->core, SESSION_ENGINE, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		return -1;
	}
	if (session_open(&a->core, SESSION_FIXES, &err) < 0)
		return -1; /* the fixes' problems are printed */
	session_remedy(&a->core);
	load_roles(a);
	load_briefing(a, a->core.tspec);
	/* An existing journal: decide what a crash left unfinished, and read the
	 * operator's attestations and waivers. A missing one is created on the
	 * first change, not by looking. */
	if (app_journal(a, false, &err) < 0 || app_reconcile(a, &err) < 0 || app_load_verdicts(a, &err) < 0) {
		a->journal_err = err;
		err = NULL;
	}
	/* Coming back: the newest wizard session with results on this site,
	 * finished or not, is reopened as it was (each check is read again when
	 * opened; the start screen offers to run them all again). */
	if (a->core.j && !a->journal_err) {
		size_t nres = 0;
		int64_t s = journal_last_session(a->core.j, a->core.t->spec, "wizard", &a->resume_started, &nres, &err);
		if (s > 0 && nres > 0) {
			a->resume = s;
			a->resume_checks = nres;
			if (app_resume(a, &err) < 0)
				a->resume = 0;
		}
		free(err);
		err = NULL;
	}
	return 0;
}

void app_release(ui_app *a)
{
	if ((a->core.open & SESSION_ENGINE) && (a->core.open & SESSION_FIXES))
		app_flush_results(a);
	free(a->pending);
	while (a->depth)
		ui_pop(a);
	free(a->stack);
	if (a->res)
		for (size_t i = 0; i < a->core.cat.nchecks; i++)
			if (a->ran[i])
				result_release(&a->res[i]);
	free(a->res);
	free(a->ran);
	free(a->stale);
	free(a->resume_started);
	free(a->reopened_taken);
	free(a->checks);
	free(a->sec_first);
	for (size_t i = 0; i < a->nroles; i++)
		free(a->roles[i]);
	free(a->roles);
	free(a->briefing);
	for (size_t i = 0; i < a->ngoals; i++)
		free(a->goals[i]);
	free(a->goals);
	free(a->msg);
	jverdicts_free(a->verd, a->nverd);
	free(a->journal_err);
	session_close(&a->core);
}


void app_write_report(ui_app *a)
{
	char *err = NULL, *path = NULL;
	if (!(a->core.open & SESSION_ENGINE)) {
		ui_message(a, R_ERROR, _("No report: the site could not be read."));
		return;
	}
	/* Pending results go to the journal first, so the report shows them. */
	app_flush_results(a);
	char *jpath = a->core.j ? xstrdup(journal_path(a->core.j))
			   : session_journal_path(a->g, &err);
	if (!jpath || report_save(&a->core.e, a->core.j, jpath, 0, RF_HTML, &path, &err) < 0) {
		free(jpath);
		ui_message(a, R_ERROR, _("The report could not be written: %s"), err ? err : "");
		free(err);
		return;
	}
	/* The whole path, wrapped in a dialog: a status line cut it at 80 columns. */
	char *shown = sanitize_dup(path, 0);
	char *body = xasprintf(_("Report written to:\n%s\n\nOpen it in a web browser; it holds the checks with "
				 "their evidence, the verdicts and every change in the journal."),
			       shown);
	ui_alert(a, _("Report written"), body);
	free(body);
	free(shown);
	free(path);
	free(jpath);
}
