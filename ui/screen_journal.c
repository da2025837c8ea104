/* screen_journal.c — the journal of this target: sessions, newest first, each
 * with its fix runs and their changes (state, before -> after). A change whose
 * value drifted since the fix set it is flagged; a change with no known
 * outcome (after a crash) is flagged too, and R resolves it by reading the site
 * again. u, U and S undo a change, its run, or its whole session, after the
 * same kind of confirmation a fix gets (remedy.h does the undoing). */
#include "config.h"
#include "base/i18n.h"
#include "base/sanitize.h"
#include "base/script_param.h"
#include "remedy/script_run.h"
#include "screens.h"
#include "widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { L_TEXT = 0, L_SESSION, L_RUN, L_CHANGE };

typedef struct jscreen {
	ui_screen base;
	jrun *runs;
	size_t nruns;
	jchange *ch;
	size_t nch;
	char **drift;       /* per change: the site's value when it differs from what the fix set */
	ui_doc doc;
	bool stale;
	ui_list list;
	int page;
	char *error;
	int64_t version;    /* the journal's data version when loaded: another process's change shows */
	/* an undo in flight */
	jchange *undo;
	size_t nundo, next;
	int64_t run;
	size_t restored, already, refused;
	strbuf notes;
} jscreen;

static void free_history(jscreen *s)
{
	jruns_free(s->runs, s->nruns);
	if (s->drift)
		for (size_t i = 0; i < s->nch; i++)
			free(s->drift[i]);
	free(s->drift);
	jchanges_free(s->ch, s->nch);
	s->runs = NULL;
	s->ch = NULL;
	s->drift = NULL;
	s->nruns = s->nch = 0;
	free(s->error);
	s->error = NULL;
}

static char *fmt_value(const value *v)
{
	strbuf raw = STRBUF_INIT;
	value_format(v, &raw);
	char *s = sanitize_dup(sb_str(&raw), 300);
	sb_release(&raw);
	return s;
}

/* "2026-11-25T19:30:12.123Z" -> "2026-11-25 19:30:12" */
static char *when(const char *iso)
{
	char *s = xstrndup(iso, 19);
	if (strlen(s) > 10 && s[10] == 'T')
		s[10] = ' ';
	return s;
}

static const jrun *run_of(const jscreen *s, int64_t id)
{
	for (size_t i = 0; i < s->nruns; i++)
		if (s->runs[i].id == id)
			return &s->runs[i];
	return NULL;
}

static void load(ui_app *a, jscreen *s)
{
	free_history(s);
	char *err = NULL;
	if (!a->j)
		return;
	s->version = journal_data_version(a->j);
	if (journal_runs(a->j, a->t->spec, &s->runs, &s->nruns, &err) < 0 ||
	    journal_changes(a->j, a->t->spec, &s->ch, &s->nch, &err) < 0) {
		s->error = err;
		return;
	}
	s->drift = xcalloc(s->nch ? s->nch : 1, sizeof *s->drift);
	for (size_t i = 0; i < s->nch; i++) {
		const jchange *c = &s->ch[i];
		const jrun *r = run_of(s, c->run);
		if (c->state != CH_APPLIED || !r || strcmp(r->kind, "apply") != 0)
			continue;
		/* Only the newest applied change of a property says what the site
		 * should hold; an earlier one was superseded (two steps of one fix on
		 * one property), which is not drift. */
		bool superseded = false;
		for (size_t j = i + 1; j < s->nch && !superseded; j++)
			superseded = s->ch[j].state == CH_APPLIED && !s->ch[j].undoes && !strcmp(s->ch[j].cls, c->cls) &&
				     !strcmp(s->ch[j].key, c->key) && !strcmp(s->ch[j].prop, c->prop);
		if (superseded)
			continue;
		value now = VALUE_NULL;
		char *terr = NULL;
		/* A script change is read as undo reads it: through its capture
		 * script, compared as script states (a property of that name
		 * does not exist). Its expected state unknown: no drift to tell. */
		if (c->script && c->after.kind == V_NULL)
			continue;
		int got = c->script ? script_run(a->t, c->prop, SCRIPT_CAPTURE, c->state_type, c->params, c->nparams,
						 NULL, &now, &terr)
				    : target_get(a->t, c->cls, c->key, c->prop, &now, &terr);
		if (got < 0) {
			s->drift[i] = xasprintf(_("cannot be read: %s"), terr ? terr : "");
			free(terr);
		} else if (c->script ? !script_state_equal(&now, &c->after) : !value_equal(&now, &c->after)) {
			s->drift[i] = fmt_value(&now);
		}
		value_clear(&now);
	}
}

static void layout(ui_app *a, jscreen *s, int cols)
{
	ui_doc *d = &s->doc;
	doc_clear(d);
	d->width = cols;
	if (s->error) {
		doc_wrap(d, R_ERROR, 1, s->error);
		s->stale = false;
		return;
	}
	if (!a->j || s->nruns == 0) {
		doc_blank(d);
		doc_wrap(d, R_DIM, 1,
			 _("Nothing has been changed on this target yet. Every change a fix makes is recorded here "
			   "before it is made, and can be undone from here."));
		s->stale = false;
		return;
	}
	size_t applied = 0, drifted = 0, open = 0;
	for (size_t i = 0; i < s->nch; i++) {
		const jrun *r = run_of(s, s->ch[i].run);
		if (s->ch[i].state == CH_APPLIED && r && !strcmp(r->kind, "apply"))
			applied++;
		drifted += s->drift[i] != NULL;
		open += s->ch[i].state == CH_PLANNED || s->ch[i].state == CH_CONFLICT;
	}
	char *sum = xasprintf(ngettext("%zu change still applied (can be undone), %zu drifted since, %zu without a known "
				       "outcome",
				       "%zu changes still applied (can be undone), %zu drifted since, %zu without a known "
				       "outcome",
				       applied),
			      applied, drifted, open);
	doc_add(d, L_TEXT, open ? R_ERROR : R_NORMAL, 1, sum);
	free(sum);
	doc_blank(d);
	/* Sessions newest first; within one, runs newest first; changes in order. */
	int64_t last_session = 0;
	for (size_t ri = s->nruns; ri-- > 0;) {
		const jrun *r = &s->runs[ri];
		if (r->session != last_session) {
			if (last_session)
				doc_blank(d);
			last_session = r->session;
			char *at = when(r->session_started);
			char *op = sanitize_dup(r->operator_, 100), *cmd = sanitize_dup(r->command, 100);
			char *t = xasprintf(_("Session %lld  %s  %s  %s"), (long long)r->session, at, op, cmd);
			doc_line *l = doc_add(d, L_SESSION, R_HEADING, 1, t);
			l->a = (size_t)r->session;
			free(t);
			free(at);
			free(op);
			free(cmd);
		}
		char *t;
		const char *outcome = *r->outcome ? r->outcome : _("unfinished");
		if (!strcmp(r->kind, "undo"))
			t = xasprintf(_("Run %lld  undo: %s"), (long long)r->id, outcome);
		else if (!strcmp(r->kind, "manual"))
			t = xasprintf(_("Run %lld  manual fix %s (check %s): %s"), (long long)r->id, r->fix_id, r->check_id,
				      outcome);
		else
			t = xasprintf(_("Run %lld  fix %s (check %s): %s"), (long long)r->id, r->fix_id, r->check_id, outcome);
		doc_line *l = doc_add(d, L_RUN, R_NORMAL, 3, t);
		l->a = ri;
		free(t);
		for (size_t ci = 0; ci < s->nch; ci++)
			if (s->ch[ci].run == r->id)
				doc_add(d, L_CHANGE, R_NORMAL, 5, "")->a = ci;
	}
	s->stale = false;
}

/* The journal's states in the operator's language (src/ keeps the stored names). */
static const char *state_label(change_state st)
{
	static const char *const labels[CH_NSTATES] = {N_("planned"),	  N_("applied"),  N_("failed"),
							 N_("not applied"), N_("conflict"), N_("undone"),
							 N_("resolved")};
	return st < CH_NSTATES ? _(labels[st]) : "?";
}

static role state_role(change_state st)
{
	switch (st) {
	case CH_APPLIED: return R_CHANGE;
	case CH_UNDONE: return R_DIM;
	case CH_FAILED: return R_FAIL;
	case CH_PLANNED:
	case CH_CONFLICT: return R_ERROR;
	default: return R_NORMAL;
	}
}

static void draw_change(ui_app *a, jscreen *s, const doc_line *l, int y, int cols, bool sel)
{
	const jchange *c = &s->ch[l->a];
	if (sel)
		draw_fill(y, 0, cols, R_SELECTED);
	int x = l->indent;
	char id[32];
	snprintf(id, sizeof id, "#%lld", (long long)c->id);
	draw_cell(y, x, 5, id, sel ? R_SELECTED : R_DIM, true);
	x += 6;
	int sw = 11;
	draw_cell(y, x, sw, state_label(c->state), sel ? R_SELECTED : state_role(c->state), false);
	x += sw + 1;
	char *key = sanitize_dup(c->key, 100), *b = fmt_value(&c->before), *af = fmt_value(&c->after);
	strbuf t = STRBUF_INIT;
	sb_addf(&t, "%s %s: %s %s %s", key, c->prop, b, G->arrow, af);
	if (c->undoes)
		sb_addf(&t, _(" (undoes #%lld)"), (long long)c->undoes);
	free(key);
	free(b);
	free(af);
	int left = cols - x - 1;
	if (s->drift[l->a]) {
		char *dr = xasprintf(_("drifted, now %s"), s->drift[l->a]);
		int dw = text_width(dr) + 2;
		if (dw > left / 2)
			dw = left / 2;
		draw_text(y, cols - dw - 1, dw, dr, sel ? R_SELECTED : R_WARNING, true);
		left -= dw + 1;
		free(dr);
	}
	draw_text(y, x, left, sb_str(&t), sel ? R_SELECTED : R_NORMAL, true);
	sb_release(&t);
}

static void journal_draw(ui_app *a, ui_screen *sc, int y0, int rows, int cols)
{
	jscreen *s = (jscreen *)sc;
	/* A change made elsewhere (the CLI, another wizard) since the history
	 * was read: read it again, so the screen never shows a stale state. */
	if (a->j && !s->base.busy && !s->nundo && journal_data_version(a->j) != s->version) {
		load(a, s);
		s->stale = true;
	}
	if (s->stale || s->doc.width != cols)
		layout(a, s, cols);
	int y = y0;
	if (s->base.busy) {
		char *label = xasprintf(_("Undoing change %zu of %zu"), s->next < s->nundo ? s->next + 1 : s->nundo, s->nundo);
		draw_progress(y++, 1, cols - 2, s->next, s->nundo, label);
		free(label);
		rows--;
	}
	s->page = rows;
	list_clamp(&s->list, s->doc.n, rows);
	for (int i = 0; i < rows && s->list.top + (size_t)i < s->doc.n; i++) {
		size_t li = s->list.top + (size_t)i;
		const doc_line *l = &s->doc.l[li];
		bool sel = li == s->list.cur;
		if (l->kind == L_CHANGE)
			draw_change(a, s, l, y + i, cols, sel);
		else
			doc_draw_text(&s->doc, li, y + i, cols, sel);
	}
	if (s->doc.n > (size_t)rows)
		ui_position(a, s->list.cur, s->doc.n);
}

/* ---- undo ---- */

static void undo_finish(ui_app *a, jscreen *s)
{
	char *err = NULL;
	if (remedy_undo_finish(&a->rem, s->run, s->refused, &err) < 0) {
		ui_message(a, R_ERROR, "%s", err);
		free(err);
	}
	jchanges_free(s->undo, s->nundo);
	s->undo = NULL;
	s->nundo = 0;
	app_rerun_all(a);
	load(a, s);
	s->stale = true;
	if (s->notes.len)
		ui_alert(a, _("Some values were left alone"), sb_str(&s->notes));
	ui_message(a, s->refused ? R_WARNING : R_PASS, _("Undo done: %zu restored, %zu were already restored, %zu left alone."),
		   s->restored, s->already, s->refused);
	sb_release(&s->notes);
}

static bool journal_work(ui_app *a, ui_screen *sc)
{
	jscreen *s = (jscreen *)sc;
	if (s->next >= s->nundo) {
		undo_finish(a, s);
		return false;
	}
	const jchange *c = &s->undo[s->next++];
	undo_outcome out;
	value now;
	char *why = NULL, *err = NULL;
	if (remedy_undo_one(&a->rem, c, s->run, false, &out, &now, &why, &err) < 0) {
		ui_alert(a, _("The journal cannot record the undo"), err ? err : "");
		free(err);
		value_clear(&now);
		free(why);
		s->nundo = s->next; /* nothing more may change */
		undo_finish(a, s);
		return false;
	}
	char *k = sanitize_dup(c->key, 100);
	switch (out) {
	case UNDO_RESTORED: s->restored++; break;
	case UNDO_ALREADY: s->already++; break;
	case UNDO_DRIFTED: {
		char *v = fmt_value(&now);
		sb_addf(&s->notes, _("#%lld %s %s: now %s, not what the fix set; left alone.\n"), (long long)c->id, k,
			c->prop, v);
		free(v);
		s->refused++;
		break;
	}
	default: {
		char *w = sanitize_dup(why ? why : "", 300);
		sb_addf(&s->notes, _("#%lld %s %s: %s\n"), (long long)c->id, k, c->prop, w);
		free(w);
		s->refused++;
		break;
	}
	}
	free(k);
	free(why);
	value_clear(&now);
	return true;
}

static void undo_answer(ui_app *a, void *ud, int button)
{
	jscreen *s = ud;
	if (button != 0) {
		jchanges_free(s->undo, s->nundo);
		s->undo = NULL;
		s->nundo = 0;
		ui_message(a, R_DIM, _("Nothing was changed."));
		return;
	}
	char *err = NULL;
	int g = app_begin_changes(a, &err);
	if (g == 0 && (s->run = remedy_undo_begin(&a->rem, &err)) < 0)
		g = -1;
	if (g != 0) {
		ui_alert(a, g > 0 ? _("Unfinished changes in the journal") : _("The journal cannot be used"), err ? err : "");
		free(err);
		jchanges_free(s->undo, s->nundo);
		s->undo = NULL;
		s->nundo = 0;
		return;
	}
	s->next = s->restored = s->already = s->refused = 0;
	sb_init(&s->notes);
	s->base.busy = true;
}

static void ask_undo(ui_app *a, jscreen *s, undo_scope scope)
{
	if (s->list.cur >= s->doc.n) {
		ui_message(a, R_DIM, _("The journal is empty."));
		return;
	}
	const doc_line *l = &s->doc.l[s->list.cur];
	int64_t id = 0;
	if (scope == UNDO_CHANGE) {
		if (l->kind != L_CHANGE) {
			ui_message(a, R_DIM, _("Move to a change to undo it (U undoes a run, S a session)."));
			return;
		}
		id = s->ch[l->a].id;
	} else if (scope == UNDO_RUN) {
		if (l->kind == L_RUN)
			id = s->runs[l->a].id;
		else if (l->kind == L_CHANGE)
			id = s->ch[l->a].run;
		else {
			ui_message(a, R_DIM, _("Move to a run or one of its changes to undo the run."));
			return;
		}
	} else {
		for (size_t i = s->list.cur + 1; i-- > 0 && !id;)
			if (s->doc.l[i].kind == L_SESSION)
				id = (int64_t)s->doc.l[i].a;
		if (!id) {
			ui_message(a, R_DIM, _("Move into a session to undo it."));
			return;
		}
	}
	char *err = NULL;
	if (journal_undoable(a->j, a->t->spec, scope, id, &s->undo, &s->nundo, &err) < 0) {
		ui_alert(a, _("The journal cannot be read"), err ? err : "");
		free(err);
		return;
	}
	if (s->nundo == 0) {
		ui_message(a, R_DIM, _("Nothing to undo there: no change of a fix is still applied."));
		return;
	}
	strbuf body = STRBUF_INIT;
	sb_addf(&body, ngettext("%zu value will be restored on %s:\n", "%zu values will be restored on %s, newest first:\n",
				s->nundo),
		s->nundo, a->t->spec);
	for (size_t i = 0; i < s->nundo; i++) {
		const jchange *c = &s->undo[i];
		char *k = sanitize_dup(c->key, 100), *b = fmt_value(&c->before), *af = fmt_value(&c->after);
		sb_addf(&body, "\n#%lld %s %s %s: %s %s %s", (long long)c->id, c->cls, k, c->prop, af, G->arrow, b);
		for (size_t j = 0; j < s->nch; j++)
			if (s->ch[j].id == c->id && s->drift[j])
				sb_addf(&body, _(" (drifted: now %s; it will be left alone)"), s->drift[j]);
		free(k);
		free(b);
		free(af);
	}
	sb_adds(&body, "\n\n");
	sb_adds(&body, _("Each restore is written to the journal first. A value that changed since the fix set it "
			 "is left alone."));
	char *yes = xasprintf(ngettext("Undo %zu change", "Undo %zu changes", s->nundo), s->nundo);
	const char *buttons[] = {yes, _("Cancel")};
	static const char *titles[] = {N_("Undo this change?"), N_("Undo this fix run?"), N_("Undo this session?")};
	ui_push(a, dialog_new(_(titles[scope]), sb_str(&body), buttons, 2, 1, undo_answer, s));
	free(yes);
	sb_release(&body);
}

static void show_change(ui_app *a, jscreen *s, const jchange *c)
{
	strbuf b = STRBUF_INIT;
	char *k = sanitize_dup(c->key, 400), *bv = fmt_value(&c->before), *av = fmt_value(&c->after);
	const jrun *r = run_of(s, c->run);
	sb_addf(&b, _("Change #%lld, %s\nRun %lld, session %lld\n\nObject: %s %s\nProperty: %s\nBefore: %s\nAfter: %s"),
		(long long)c->id, state_label(c->state), (long long)c->run, (long long)c->session, c->cls, k, c->prop,
		bv, av);
	if (r && *r->fix_id)
		sb_addf(&b, _("\nFix: %s (check %s)"), r->fix_id, r->check_id);
	if (c->undoes)
		sb_addf(&b, _("\nUndoes change #%lld"), (long long)c->undoes);
	for (size_t j = 0; j < s->nch; j++)
		if (s->ch[j].id == c->id && s->drift[j])
			sb_addf(&b, _("\n\nThe site now holds %s, not the value the fix set: undo leaves it alone."), s->drift[j]);
	if (c->state == CH_CONFLICT || c->state == CH_PLANNED)
		sb_adds(&b, _("\n\nThe outcome of this change is not known (the program stopped while making it). "
			      "R reads the site again: if it holds the before or after value the change is settled; "
			      "otherwise the value the site holds now is accepted and recorded."));
	ui_alert(a, _("Change"), sb_str(&b));
	free(k);
	free(bv);
	free(av);
	sb_release(&b);
}

static bool journal_key(ui_app *a, ui_screen *sc, const ui_key *k)
{
	jscreen *s = (jscreen *)sc;
	if (s->base.busy)
		return k->act != ACT_QUIT && k->act != ACT_HELP; /* undo in flight: wait */
	if (list_nav(&s->list, k->act, s->doc.n, s->page))
		return true;
	const doc_line *l = s->list.cur < s->doc.n ? &s->doc.l[s->list.cur] : NULL;
	switch (k->act) {
	case ACT_UNDO:
		ask_undo(a, s, UNDO_CHANGE);
		return true;
	case ACT_UNDO_RUN:
		ask_undo(a, s, UNDO_RUN);
		return true;
	case ACT_UNDO_SESSION:
		ask_undo(a, s, UNDO_SESSION);
		return true;
	case ACT_OPEN:
		if (l && l->kind == L_CHANGE)
			show_change(a, s, &s->ch[l->a]);
		return true;
	case ACT_RESOLVE: {
		if (!l || l->kind != L_CHANGE ||
		    (s->ch[l->a].state != CH_CONFLICT && s->ch[l->a].state != CH_PLANNED)) {
			ui_message(a, R_DIM, _("Only a change without a known outcome can be resolved."));
			return true;
		}
		char *err = NULL;
		change_state st;
		int64_t id = s->ch[l->a].id;
		if (app_reconcile(a, &err) < 0 || journal_resolve(a->j, a->t, id, &st, &err) < 0) {
			ui_alert(a, _("Cannot resolve the change"), err ? err : "");
			free(err);
			return true;
		}
		app_reconcile(a, &err);
		free(err);
		app_rerun_all(a);
		load(a, s);
		s->stale = true;
		ui_message(a, R_PASS, _("Change #%lld is now %s."), (long long)id, state_label(st));
		return true;
	}
	case ACT_BACK:
		return false;
	default:
		return false;
	}
}

static bool journal_enabled(ui_app *a, ui_screen *sc, ui_action act)
{
	jscreen *s = (jscreen *)sc;
	switch (act) {
	case ACT_JOURNAL:
		return false;
	case ACT_UNDO:
	case ACT_UNDO_RUN:
	case ACT_UNDO_SESSION:
		return !s->base.busy && s->nch > 0;
	case ACT_RESOLVE:
		return !s->base.busy && a->nunresolved > 0;
	default:
		return true;
	}
}

static const char *journal_title(ui_app *a, ui_screen *s)
{
	return _("Journal");
}

static void journal_destroy(ui_screen *sc)
{
	jscreen *s = (jscreen *)sc;
	free_history(s);
	jchanges_free(s->undo, s->nundo);
	sb_release(&s->notes);
	doc_clear(&s->doc);
	free(s);
}

static const screen_ops journal_ops = {
	.name = "journal",
	.scope = SC_JOURNAL | SC_LIST,
	.draw = journal_draw,
	.key = journal_key,
	.enabled = journal_enabled,
	.work = journal_work,
	.title = journal_title,
	.destroy = journal_destroy,
};

ui_screen *screen_journal_new(ui_app *a)
{
	jscreen *s = xcalloc(1, sizeof *s);
	s->base.ops = &journal_ops;
	char *err = NULL;
	if (app_journal(a, false, &err) < 0) {
		s->error = err;
	} else {
		load(a, s);
	}
	/* The cursor starts on the newest run, where u, U and S apply. */
	layout(a, s, COLS);
	for (size_t i = 0; i < s->doc.n; i++)
		if (s->doc.l[i].kind == L_RUN) {
			s->list.cur = i;
			break;
		}
	s->stale = true;
	return &s->base;
}
