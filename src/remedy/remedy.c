/* remedy.c — planning, applying and undoing fixes (see remedy.h and
 * doc/journal.md). Moved out of cmd_fix.c so that the CLI and the wizard run
 * the same code; the order of journal writes and target writes is unchanged. */
#include "config.h"
#include "remedy/remedy.h"
#include "journal/verify.h"
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

/* The site's identity for its lock: site code and server, as the session records it. */
static char *site_identity(remedy *r)
{
	if (r->e)
		return xasprintf("%s (%s)", r->e->site.code, r->e->site.server);
	site_info si;
	char *err = NULL;
	if (!r->t || target_site(r->t, &si, &err) < 0) {
		free(err);
		return NULL;
	}
	char *id = xasprintf("%s (%s)", si.code, si.server);
	site_info_release(&si);
	return id;
}

int remedy_lock(remedy *r, const char *command, jlock_wait_fn waiting, void *ctx, char **err)
{
	if (r->lock)
		return 0;
	char *id = site_identity(r);
	int busy;
	int rc = jlock_acquire(journal_path(r->j), id, command, -1, waiting, ctx, &r->lock, &busy, err);
	free(id);
	r->lock_temporary = false;
	return rc;
}

void remedy_unlock(remedy *r)
{
	jlock_release(r->lock);
	r->lock = NULL;
	r->lock_temporary = false;
}

int remedy_journal_verified(remedy *r, char **err)
{
	strbuf rep = STRBUF_INIT;
	char *head = NULL;
	int v = journal_verify(r->j, NULL, &rep, &head, err);
	free(head);
	if (v > 0) {
		char *first = sb_detach(&rep);
		first[strcspn(first, "\n")] = 0;
		*err = xasprintf(_("the journal %s was altered (%s); nothing was read from it. Restore it from a "
				   "backup ('cmharden journal verify' lists the problems)"),
				 journal_path(r->j), first);
		free(first);
	}
	sb_release(&rep);
	return v == 0 ? 0 : -1;
}

/* The target's unresolved changes, through any command that reaches its site. */
static int unresolved_of(remedy *r, jchange **unresolved, size_t *n, char **err)
{
	char *site = journal_site_identity(r->t);
	int rc = journal_unresolved(r->j, r->t->spec, site, unresolved, n, err);
	free(site);
	return rc;
}

int remedy_reconcile(remedy *r, reconcile_report *rep, jchange **unresolved, size_t *n, char **err)
{
	*unresolved = NULL;
	*n = 0;
	memset(rep, 0, sizeof *rep);
	jlock *mine = NULL;
	int busy = 0;
	if (!r->lock) {
		/* Not a writer (yet): decide only if no other process is writing. */
		char *id = site_identity(r), *lerr = NULL;
		if (jlock_acquire(journal_path(r->j), id, "reconcile", 0, NULL, NULL, &mine, &busy, &lerr) < 0) {
			free(id);
			if (!busy) {
				*err = lerr;
				return -1;
			}
			free(lerr);
			return unresolved_of(r, unresolved, n, err);
		}
		free(id);
	}
	int rc = journal_reconcile(r->j, r->t, rep, err);
	jlock_release(mine);
	if (rc < 0)
		return -1;
	return unresolved_of(r, unresolved, n, err);
}

/* The wizard applies and undoes without holding the locks between actions:
 * each action takes them, and must find nothing unresolved that another
 * process left, before its first change. */
static int lock_for_action(remedy *r, const char *command, char **err)
{
	if (r->lock)
		return 0;
	if (remedy_lock(r, command, NULL, NULL, err) < 0)
		return -1;
	r->lock_temporary = true;
	reconcile_report rep;
	jchange *v;
	size_t n;
	if (remedy_reconcile(r, &rep, &v, &n, err) < 0) {
		remedy_unlock(r);
		return -1;
	}
	jchanges_free(v, n);
	if (n) {
		*err = xasprintf(_("%zu change(s) on %s have no known outcome; nothing new may start until each is "
				   "resolved (the journal screen lists them)"),
				 n, r->t->spec);
		remedy_unlock(r);
		return -1;
	}
	return 0;
}

static void unlock_after_action(remedy *r)
{
	if (r->lock_temporary)
		remedy_unlock(r);
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
	if (lock_for_action(r, "fix", err) < 0)
		return -1;
	int64_t run = journal_run_begin(r->j, r->session, p->f->id, p->k->id,
					fix_is_automated(p->f) ? "apply" : "manual", err);
	if (run < 0)
		unlock_after_action(r);
	return run;
}

/* What a set did, decided by what the site shows afterwards rather than by
 * what the target said: an agent may report an error after a set that took
 * effect, or success for one it did not make. `said_ok`: the set returned
 * success with *prev (the value it replaced). Returns applied (then *prev
 * holds the value replaced: the reply's when it is of the property's type,
 * else the planned before-value), failed (the site still holds `before`),
 * conflict (*seen holds what it shows instead) or planned (the site cannot be
 * read: reconciliation decides later). *terr explains anything but applied. */
static change_state settle_set(remedy *r, const char *cls, const char *key, const char *prop, const value *before,
			       const value *after, bool said_ok, value *prev, value *seen, char **terr)
{
	/* The value replaced must be of the property's type: the type of what
	 * the site held before (a reply of another type is not trusted). */
	bool prev_ok = said_ok && (prev->kind == before->kind || before->kind == V_NULL);
	if (said_ok && !prev_ok) {
		free(*terr);
		*terr = xasprintf(_("the target's reply to the change is not a %s value"), value_kind_name(before->kind));
	}
	char *gerr = NULL;
	if (target_get(r->t, cls, key, prop, seen, &gerr) < 0) {
		if (!*terr)
			*terr = gerr;
		else
			free(gerr);
		/* A set the target refused outright and that cannot be read back
		 * failed only if the target knows it did nothing. */
		return !said_ok && !target_set_outcome_unknown(r->t) ? CH_FAILED : CH_PLANNED;
	}
	if (value_equal(seen, after)) {
		if (!prev_ok) {
			value_clear(prev);
			*prev = value_copy(before);
		}
		return CH_APPLIED;
	}
	if (!*terr)
		*terr = xstrdup(_("the target reported the change made, but the site does not show it"));
	return value_equal(seen, before) ? CH_FAILED : CH_CONFLICT;
}

/* Write-ahead for one change: planned (committed) -> set -> applied/failed,
 * decided by reading the site back (settle_set). */
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
	value prev = VALUE_NULL, seen = VALUE_NULL;
	char *terr = NULL;
	int rc = target_set(r->t, cls, it->key, it->step->path, &it->after, &prev, &terr);
	crash_point("after-set");
	change_state st = settle_set(r, cls, it->key, it->step->path, &it->before, &it->after, rc == 0, &prev, &seen,
				     &terr);
	int out = st == CH_APPLIED ? 0 : 1;
	if (st == CH_PLANNED) {
		/* The change may have been made and the site cannot say: it stays
		 * planned, and reconciliation decides it by reading the site before
		 * anything else may change. */
		rc = 0;
	} else {
		rc = journal_change_mark(r->j, id, st, st == CH_APPLIED ? &prev : st == CH_CONFLICT ? &seen : NULL, err);
	}
	if (st == CH_APPLIED) {
		it->applied = true;
		free(terr);
	} else {
		free(it->error);
		it->error = terr ? terr : xstrdup(_("the target refused the change"));
	}
	value_clear(&prev);
	value_clear(&seen);
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
	unlock_after_action(r);
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
	if (lock_for_action(r, "undo", err) < 0)
		return -1;
	int64_t run = journal_run_begin(r->j, r->session, NULL, NULL, "undo", err);
	if (run < 0)
		unlock_after_action(r);
	return run;
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
	value prev = VALUE_NULL, seen = VALUE_NULL;
	int s = target_set(r->t, ch->cls, ch->key, ch->prop, &ch->before, &prev, why);
	crash_point("undo-after-set");
	change_state st = settle_set(r, ch->cls, ch->key, ch->prop, now, &ch->before, s == 0, &prev, &seen, why);
	int rc = 0;
	*out = st == CH_APPLIED ? UNDO_RESTORED : UNDO_FAILED;
	if (st != CH_PLANNED) /* planned: left for reconciliation, as in remedy_apply_item() */
		rc = journal_change_mark(r->j, id, st, st == CH_APPLIED ? &prev : st == CH_CONFLICT ? &seen : NULL, err);
	if (st == CH_APPLIED) {
		free(*why);
		*why = NULL;
	}
	value_clear(&prev);
	value_clear(&seen);
	return rc < 0 ? -1 : 0;
}

int remedy_undo_finish(remedy *r, int64_t run, size_t refused, char **err)
{
	int rc = journal_run_end(r->j, run, refused ? "partial" : "done", err);
	unlock_after_action(r);
	return rc;
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
