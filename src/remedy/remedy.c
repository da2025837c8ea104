/* remedy.c — planning, applying and undoing fixes (see remedy.h and
 * doc/journal.md). Moved out of cmd_fix.c so that the CLI and the wizard run
 * the same code; the order of journal writes and target writes is unchanged. */
#include "config.h"
#include "remedy/remedy.h"
#include "content/content_i18n.h"
#include "base/i18n.h"
#include "base/json.h"
#include "base/sanitize.h"
#include "remedy/script_step.h"

#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Test hook (doc/journal.md): CMHARDEN_CRASH_AT=POINT kills the process with
 * SIGKILL when it reaches POINT, as a power cut would. */
static void crash_point(const char *point)
{
	const char *at = getenv("CMHARDEN_CRASH_AT");
	if (at && !strcmp(at, point)) {
		fflush(NULL);
		raise(SIGKILL);
	}
}

const char *remedy_operator(void)
{
	const char *u = getenv("USER");
	if (u && *u)
		return u;
	struct passwd *pw = getpwuid(geteuid());
	return pw ? pw->pw_name : "unknown";
}

int remedy_session(remedy *r, const char *command, char **err)
{
	if (r->session > 0)
		return 0;
	site_info si;
	char *site = NULL;
	if (r->e)
		site = xasprintf("%s (%s)", r->e->site.code, r->e->site.server);
	else if (r->t && target_site(r->t, &si, err) == 0) {
		site = xasprintf("%s (%s)", si.code, si.server);
		site_info_release(&si);
	} else {
		free(*err);
		*err = NULL;
	}
	char *digest = NULL;
	if (r->cat && r->fixes)
		digest = xasprintf("checks:%s fixes:%s", r->cat->digest, r->fixes->digest);
	r->session = journal_session_begin(r->j, remedy_operator(), r->t ? r->t->spec : r->tspec ? r->tspec : "lab:default", site, digest,
					   command, err);
	free(site);
	free(digest);
	return r->session < 0 ? -1 : 0;
}

int remedy_reconcile(remedy *r, reconcile_report *rep, jchange **unresolved, size_t *n, char **err)
{
	*unresolved = NULL;
	*n = 0;
	memset(rep, 0, sizeof *rep);
	if (journal_reconcile(r->j, r->t, rep, err) < 0)
		return -1;
	return journal_unresolved(r->j, r->t->spec, unresolved, n, err);
}

/* ---------- the planner ---------- */

void plan_release(plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		if (p->items[i].script) {
			script_item_release(p->items[i].script);
			free(p->items[i].script);
		}
		free(p->items[i].key);
		free(p->items[i].skip);
		free(p->items[i].error);
		value_clear(&p->items[i].before);
		value_clear(&p->items[i].after);
	}
	free(p->items);
	result_release(&p->res);
	memset(p, 0, sizeof *p);
}

static const object *engine_object(const engine *e, const char *cls, const char *key)
{
	for (size_t i = 0; i < e->nclasses; i++)
		if (str_ieq(e->classes[i]->cls, cls))
			return objset_find(&e->classes[i]->objs, key);
	return NULL;
}

static bool key_selected(const char *key, char *const *objects, size_t nobj)
{
	if (!nobj)
		return true;
	for (size_t i = 0; i < nobj; i++)
		if (str_ieq(objects[i], key))
			return true;
	return false;
}

/* A script step on one object: bound, checked and captured (script_step.c). */
static void plan_script(remedy *r, plan *p, plan_item *it, const object *o)
{
	char *why = NULL;
	it->script = xcalloc(1, sizeof *it->script);
	int rc = o ? script_step_plan(r->t, p->f->file, it->step, o, r->args, r->nargs, it->script, &why) : -1;
	if (rc == 0) {
		it->before = value_copy(&it->script->before);
		it->after = value_copy(&it->script->after);
		p->nchanges++;
		return;
	}
	it->skip = why ? why : xstrdup(_("object not found"));
	if (rc < 0) {
		it->refused = true;
		p->refused++;
	}
}

const char *plan_item_class(const plan *p, const plan_item *it)
{
	if (it->step->kind == STEP_SCRIPT && it->step->script)
		return it->step->script->cls;
	return p->k->probe ? p->k->probe->cls : "";
}

/* The change one set or script step makes to one offending object, or why it makes none. */
static void plan_object(remedy *r, plan *p, const fix_step *s, size_t stepno, const char *key)
{
	GROW(p->items, p->cap, p->n + 1);
	plan_item *it = &p->items[p->n++];
	memset(it, 0, sizeof *it);
	it->step = s;
	it->stepno = stepno;
	it->key = xstrdup(key);
	char *err = NULL;
	const char *cls = plan_item_class(p, it);
	if (s->requires) {
		const object *o = engine_object(r->e, cls, key);
		expr_env env = {&r->e->site, NULL, NULL};
		bool ok = false;
		if (!o || expr_eval(s->requires, o, &env, &ok, &err) < 0) {
			it->skip = xasprintf(_("cannot evaluate 'requires': %s"), err ? err : _("object not found"));
			free(err);
			return;
		}
		if (!ok) {
			it->skip = xstrdup(content_text(s->unmet));
			return;
		}
	}
	if (s->kind == STEP_SCRIPT) {
		plan_script(r, p, it, engine_object(r->e, cls, key));
		return;
	}
	/* Steps apply in order: a later step on the same property starts from the
	 * value the earlier one will have set, so each change's before is exact. */
	const plan_item *earlier = NULL;
	for (size_t i = 0; i + 1 < p->n; i++)
		if (!p->items[i].skip && p->items[i].step->kind == STEP_SET && !strcmp(p->items[i].key, key) &&
		    !strcmp(p->items[i].step->path, s->path))
			earlier = &p->items[i];
	if (earlier)
		it->before = value_copy(&earlier->after);
	if ((!earlier && target_get(r->t, cls, key, s->path, &it->before, &err) < 0) ||
	    fix_step_value(s, &it->before, &it->after, &err) < 0) {
		it->skip = err;
		return;
	}
	if (value_equal(&it->before, &it->after)) {
		it->skip = xstrdup(_("already has the value"));
		return;
	}
	if (!earlier)
		p->nchanges++; /* counts values, not steps */
}

/* Every --param must name an `ask` parameter of the fix. */
static int check_args(const remedy *r, const fix *f, char **err)
{
	for (size_t a = 0; a < r->nargs; a++) {
		bool known = false;
		for (size_t s = 0; s < f->nsteps && !known; s++)
			for (size_t b = 0; b < f->steps[s].nbinds && !known; b++)
				known = f->steps[s].binds[b].src == BIND_ASK &&
					str_ieq(f->steps[s].binds[b].name, r->args[a].name);
		if (!known) {
			char *n = sanitize_dup(r->args[a].name, 64);
			*err = xasprintf(_("fix %s asks for no parameter '%s'"), f->id, n);
			free(n);
			return -1;
		}
	}
	return 0;
}

/* The whole fix is refused when any script item was. */
static int plan_refusals(plan *p, char **err)
{
	if (!p->refused)
		return 0;
	const plan_item *first = NULL;
	for (size_t i = 0; i < p->n && !first; i++)
		if (p->items[i].refused)
			first = &p->items[i];
	if (!first) /* refused is only set with the item it refuses */
		return 0;
	char *k = sanitize_dup(first->key, 0), *w = sanitize_dup(first->skip, 0);
	*err = xasprintf(_("fix %s refused, nothing was changed: %s '%s': %s"), p->f->id, plan_item_class(p, first), k,
			 w);
	if (p->refused > 1) {
		char *e = *err;
		*err = xasprintf(_("%s (and %zu more object(s))"), e, p->refused - 1);
		free(e);
	}
	free(k);
	free(w);
	return -1;
}

/* The fix of an attestation check: on the objects the operator names, from
 * the check's evidence. */
static int plan_chosen(remedy *r, const fix *f, char *const *objects, size_t nobj, plan *p, char **err)
{
	if (!nobj) {
		*err = xasprintf(_("fix %s changes objects you choose: name them with --objects KEY,... (the"
				   " evidence of 'cmharden check %s' lists them)"),
				 f->id, p->k->id);
		return -1;
	}
	for (size_t i = 0; i < nobj; i++) {
		bool found = false;
		for (size_t s = 0; s < f->nsteps && !found; s++)
			for (size_t t = 0; f->steps[s].script && t < p->res.ntables && !found; t++)
				for (size_t row = 0; row < p->res.tables[t].nrows && !found; row++)
					found = str_ieq(p->res.tables[t].cls, f->steps[s].script->cls) &&
						str_ieq(p->res.tables[t].rows[row].key, objects[i]);
		if (!found) {
			char *k = sanitize_dup(objects[i], 0);
			*err = xasprintf(_("'%s' is not in the evidence of %s"), k, p->k->id);
			free(k);
			return -1;
		}
	}
	for (size_t s = 0; s < f->nsteps; s++) {
		const fix_step *st = &f->steps[s];
		if (st->kind != STEP_SCRIPT || !st->script)
			continue;
		for (size_t t = 0; t < p->res.ntables; t++) {
			if (!str_ieq(p->res.tables[t].cls, st->script->cls))
				continue;
			for (size_t row = 0; row < p->res.tables[t].nrows; row++) {
				const char *key = p->res.tables[t].rows[row].key;
				bool dup = false;
				for (size_t i = 0; i < p->n && !dup; i++)
					dup = p->items[i].step == st && !strcmp(p->items[i].key, key);
				if (!dup && key_selected(key, objects, nobj))
					plan_object(r, p, st, s + 1, key);
			}
		}
	}
	return plan_refusals(p, err);
}

int remedy_plan(remedy *r, const fix *f, char *const *objects, size_t nobj, plan *p, char **err)
{
	memset(p, 0, sizeof *p);
	p->f = f;
	p->k = catalog_find(r->cat, f->check_id);
	engine_run(r->e, p->k, &p->res);
	if (check_args(r, f, err) < 0)
		return -1;
	if (fix_is_chosen(f, p->k))
		return plan_chosen(r, f, objects, nobj, p, err);
	if (p->res.status != ST_FAIL || !p->res.ntables)
		return 0;
	const ev_table *probe = &p->res.tables[0];
	for (size_t i = 0; i < nobj; i++) {
		bool found = false;
		for (size_t row = 0; row < probe->nrows; row++)
			found |= probe->rows[row].offending && str_ieq(probe->rows[row].key, objects[i]);
		if (!found) {
			char *k = sanitize_dup(objects[i], 0);
			*err = xasprintf(_("'%s' is not an offending object of %s"), k, p->k->id);
			free(k);
			return -1;
		}
	}
	for (size_t s = 0; s < f->nsteps; s++) {
		if (f->steps[s].kind == STEP_MANUAL)
			continue;
		for (size_t row = 0; row < probe->nrows; row++)
			if (probe->rows[row].offending && key_selected(probe->rows[row].key, objects, nobj))
				plan_object(r, p, &f->steps[s], s + 1, probe->rows[row].key);
	}
	return plan_refusals(p, err);
}

/* ---------- applying ---------- */

char *remedy_evidence_json(const result *r)
{
	strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "{\"examined\":%zu,\"offending\":%zu,\"tables\":[", r->examined, r->offending);
	for (size_t t = 0; t < r->ntables; t++) {
		const ev_table *tb = &r->tables[t];
		sb_adds(&sb, t ? ",{\"class\":" : "{\"class\":");
		json_str(&sb, tb->cls);
		sb_adds(&sb, ",\"columns\":[");
		for (size_t c = 0; c < tb->ncols; c++) {
			if (c)
				sb_addc(&sb, ',');
			json_str(&sb, tb->columns[c]);
		}
		sb_adds(&sb, "],\"rows\":[");
		for (size_t i = 0; i < tb->nrows; i++) {
			sb_adds(&sb, i ? ",{\"key\":" : "{\"key\":");
			json_str(&sb, tb->rows[i].key);
			sb_addf(&sb, ",\"offending\":%s,\"cells\":[", tb->rows[i].offending ? "true" : "false");
			for (size_t c = 0; c < tb->ncols; c++) {
				if (c)
					sb_addc(&sb, ',');
				if (tb->rows[i].missing[c])
					sb_adds(&sb, "null");
				else
					json_value(&sb, &tb->rows[i].cells[c]);
			}
			sb_adds(&sb, "]}");
		}
		sb_adds(&sb, "]}");
	}
	sb_adds(&sb, "]}");
	return sb_detach(&sb);
}

int64_t remedy_run_begin(remedy *r, const plan *p, char **err)
{
	return journal_run_begin(r->j, r->session, p->f->id, p->k->id, fix_is_automated(p->f) ? "apply" : "manual",
				 err);
}

/* Write-ahead for one change: planned (committed) -> set -> applied/failed. */
int remedy_apply_item(remedy *r, const plan *p, plan_item *it, int64_t run, char **err)
{
	const char *cls = plan_item_class(p, it);
	if (it->script) {
		char *why = NULL;
		int rc = script_step_apply(r->j, r->t, run, cls, it->key, it->step, it->script, &why, err);
		if (rc == 1) {
			free(it->error);
			it->error = why ? why : xstrdup(_("the script failed"));
		} else {
			free(why);
			it->applied = rc == 0;
		}
		return rc;
	}
	int64_t id = journal_change_plan(r->j, run, cls, it->key, it->step->path, &it->before, &it->after, 0, err);
	if (id < 0)
		return -1;
	crash_point("after-plan");
	value prev = VALUE_NULL;
	char *terr = NULL;
	int rc = target_set(r->t, cls, it->key, it->step->path, &it->after, &prev, &terr);
	crash_point("after-set");
	int out;
	if (rc < 0 && target_set_outcome_unknown(r->t)) {
		/* The change may have been made: it stays planned, and reconciliation
		 * decides it by reading the site before anything else may change. */
		free(it->error);
		it->error = terr;
		rc = 0;
		out = 1;
	} else if (rc < 0) {
		free(it->error);
		it->error = terr ? terr : xstrdup(_("the target refused the change"));
		rc = journal_change_mark(r->j, id, CH_FAILED, NULL, err);
		out = 1;
	} else {
		rc = journal_change_mark(r->j, id, CH_APPLIED, &prev, err);
		it->applied = true;
		out = 0;
	}
	value_clear(&prev);
	crash_point("after-mark");
	return rc < 0 ? -1 : out;
}

int remedy_run_finish(remedy *r, const plan *p, int64_t run, size_t failed, result *after, char **err)
{
	engine_refresh(r->e);
	engine_run(r->e, p->k, after);
	char *ev = remedy_evidence_json(after);
	int rc = journal_result_add(r->j, r->session, run, p->k->id, status_name(after->status), after->reason, ev,
				    err);
	if (rc == 0)
		rc = journal_run_end(r->j, run, failed ? "failed" : status_name(after->status), err);
	free(ev);
	return rc;
}

int remedy_record_results(remedy *r, const char *command, const result *const *res, size_t n, char **err)
{
	if (n == 0)
		return 0;
	if (remedy_session(r, command, err) < 0)
		return -1;
	/* The verdict and its reason, not the evidence: a walk through a large site
	 * would otherwise copy every object into the journal (twice, with the log). */
	jresult_in *v = xcalloc(n, sizeof *v);
	for (size_t i = 0; i < n; i++) {
		v[i].check_id = res[i]->chk->id;
		v[i].status = status_name(res[i]->status);
		v[i].reason = res[i]->reason;
	}
	int rc = journal_results_add(r->j, r->session, v, n, err);
	free(v);
	return rc;
}

/* ---------- undo ---------- */

int64_t remedy_undo_begin(remedy *r, char **err)
{
	return journal_run_begin(r->j, r->session, NULL, NULL, "undo", err);
}

int remedy_undo_one(remedy *r, const jchange *ch, int64_t run, bool force, undo_outcome *out, value *now,
		    char **why, char **err)
{
	*now = value_null();
	*why = NULL;
	if (ch->script) {
		static const undo_outcome map[] = {[SUNDO_RESTORED] = UNDO_RESTORED, [SUNDO_ALREADY] = UNDO_ALREADY,
						   [SUNDO_DRIFTED] = UNDO_DRIFTED,   [SUNDO_FAILED] = UNDO_FAILED,
						   [SUNDO_CONFLICT] = UNDO_FAILED,   [SUNDO_UNREADABLE] = UNDO_UNREADABLE};
		script_undo_outcome so = SUNDO_UNREADABLE;
		int rc = script_step_undo(r->j, r->t, ch, run, force, &so, now, why, err);
		*out = map[so];
		return rc;
	}
	if (target_get(r->t, ch->cls, ch->key, ch->prop, now, why) < 0) {
		*out = UNDO_UNREADABLE;
		return 0;
	}
	if (value_equal(now, &ch->before)) {
		/* Someone already put the old value back: record it, change nothing. */
		*out = UNDO_ALREADY;
		return journal_change_mark(r->j, ch->id, CH_UNDONE, NULL, err) < 0 ? -1 : 0;
	}
	if (!value_equal(now, &ch->after) && !force) {
		*out = UNDO_DRIFTED;
		return 0;
	}
	int64_t id = journal_change_plan(r->j, run, ch->cls, ch->key, ch->prop, now, &ch->before, ch->id, err);
	if (id < 0)
		return -1;
	crash_point("undo-after-plan");
	value prev = VALUE_NULL;
	int s = target_set(r->t, ch->cls, ch->key, ch->prop, &ch->before, &prev, why);
	crash_point("undo-after-set");
	int rc;
	if (s < 0 && target_set_outcome_unknown(r->t)) {
		*out = UNDO_FAILED; /* left planned for reconciliation, as in remedy_apply_item() */
		rc = 0;
	} else if (s < 0) {
		*out = UNDO_FAILED;
		rc = journal_change_mark(r->j, id, CH_FAILED, NULL, err);
	} else {
		*out = UNDO_RESTORED;
		rc = journal_change_mark(r->j, id, CH_APPLIED, &prev, err);
	}
	value_clear(&prev);
	return rc < 0 ? -1 : 0;
}

int remedy_undo_finish(remedy *r, int64_t run, size_t refused, char **err)
{
	return journal_run_end(r->j, run, refused ? "partial" : "done", err);
}

/* ---------- waivers ---------- */

bool remedy_valid_until(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end || strlen(s) != 10)
		return false;
	/* strptime accepts 2026-02-30; a round trip through timegm does not. */
	struct tm norm = tm; /* timegm normalises its argument in place */
	time_t at = timegm(&norm);
	gmtime_r(&at, &norm);
	if (norm.tm_year != tm.tm_year || norm.tm_mon != tm.tm_mon || norm.tm_mday != tm.tm_mday)
		return false;
	char today[11];
	today_utc(today);
	return strcmp(s, today) >= 0;
}
