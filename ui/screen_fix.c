/* screen_fix.c — a fix, from preview to verdict.
 *
 *   preview   every step; for set steps every offending object with its value
 *             before -> after (or why it is left alone); Space chooses objects;
 *             manual steps show the console path and what to do there
 *   confirm   a dialog that names exactly the changes that will be made,
 *             planned again from the site at that moment
 *   applying  one change per unit of work (progress bar), each written to the
 *             journal before the site is touched (remedy.h)
 *   done      the check run again and its verdict, the changes with their
 *             outcome, and how to undo them
 * Nothing is decided here: planning, applying and re-checking are remedy.h. */
#include "config.h"
#include "content/content_i18n.h"
#include "base/i18n.h"
#include "base/sanitize.h"
#include "screens.h"
#include "widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { L_TEXT = 0, L_ITEM };
typedef enum { FX_PREVIEW, FX_APPLYING, FX_DONE } fx_state;

typedef struct fix_screen {
	ui_screen base;
	size_t idx;
	const fix *f;
	plan p;          /* the preview: every offending object */
	char **keys;     /* objects the preview would change */
	bool *sel;
	size_t nkeys;
	plan ap;         /* what is being applied: the chosen objects, planned at confirm */
	bool have_ap;
	int64_t run;
	size_t next, done, failed;
	bool stop;
	result after;
	bool have_after;
	disp_status after_ds; /* the check's status right after the fix */
	fx_state st;
	char *error;     /* the journal could not record: nothing more was changed */
	ui_doc doc;
	bool stale;
	ui_list list;
	int page;
	char *title;
} fix_screen;

static bool automated(const fix_screen *s)
{
	return fix_is_automated(s->f);
}

static size_t key_index(const fix_screen *s, const char *key)
{
	for (size_t i = 0; i < s->nkeys; i++)
		if (!strcmp(s->keys[i], key))
			return i;
	return s->nkeys;
}

static size_t nselected(const fix_screen *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->nkeys; i++)
		n += s->sel[i];
	return n;
}

static char *fmt_value(const value *v)
{
	strbuf raw = STRBUF_INIT;
	value_format(v, &raw);
	char *s = sanitize_dup(sb_str(&raw), 300);
	sb_release(&raw);
	return s;
}

static char *change_text(const plan_item *it)
{
	char *b = fmt_value(&it->before), *af = fmt_value(&it->after);
	char *t = xasprintf("%s %s %s", b, G->arrow, af);
	free(b);
	free(af);
	return t;
}

/* Values the chosen objects would change in the preview. */
static size_t nchanges_selected(const fix_screen *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->p.n; i++) {
		const plan_item *it = &s->p.items[i];
		size_t k = key_index(s, it->key);
		if (!it->skip && k < s->nkeys && s->sel[k])
			n++;
	}
	return n;
}

static void add_steps(fix_screen *s, const plan *p, bool preview)
{
	ui_doc *d = &s->doc;
	const char *cls = p->k->probe ? p->k->probe->cls : "";
	for (size_t st = 0; st < s->f->nsteps; st++) {
		const fix_step *step = &s->f->steps[st];
		if (step->kind == STEP_MANUAL) {
			char *h = xasprintf(_("Step %zu, in the console:"), st + 1);
			doc_add(d, L_TEXT, R_HEADING, 1, h);
			free(h);
			doc_wrap(d, R_NORMAL, 3, content_text(step->console));
			if (step->instructions)
				doc_wrap(d, R_NORMAL, 3, content_text(step->instructions));
			doc_blank(d);
			continue;
		}
		char *h = step->kind == STEP_SCRIPT
				  ? xasprintf(_("Step %zu: run the script %s on %s (undone by its undo script)"), st + 1,
					      step->path, cls)
				  : xasprintf(_("Step %zu: set %s of %s"), st + 1, step->path, cls);
		doc_add(d, L_TEXT, R_HEADING, 1, h);
		free(h);
		if (step->requires_src) {
			char *r = xasprintf(_("only where %s"), step->requires_src);
			doc_wrap(d, R_DIM, 3, r);
			free(r);
		}
		bool any = false;
		for (size_t i = 0; i < p->n; i++) {
			if (p->items[i].step != step)
				continue;
			any = true;
			doc_line *l = doc_add(d, L_ITEM, R_NORMAL, 3, "");
			l->a = i;
			l->b = preview;
		}
		if (!any)
			doc_add(d, L_TEXT, R_DIM, 3, _("(no object to change)"));
		doc_blank(d);
	}
}

static void layout(ui_app *a, fix_screen *s, int cols)
{
	ui_doc *d = &s->doc;
	doc_clear(d);
	d->width = cols;
	const check *k = a->checks[s->idx];
	char *t = xasprintf(_("Fix: %s"), content_text(s->f->title));
	doc_wrap(d, R_HEADING, 1, t);
	free(t);
	t = xasprintf(_("%s, for the check %s"), s->f->id, k->id);
	doc_add(d, L_TEXT, R_DIM, 1, t);
	free(t);
	if (s->f->note)
		doc_wrap(d, R_NORMAL, 1, content_text(s->f->note));
	doc_blank(d);
	if (s->st == FX_PREVIEW) {
		const result *r = &s->p.res;
		if (automated(s)) {
			char *l = xasprintf(_("Offending %s objects: %zu of %zu. Chosen: %zu of %zu. Values to change: %zu."),
					    k->probe ? k->probe->cls : "", r->offending, r->examined, nselected(s), s->nkeys,
					    nchanges_selected(s));
			doc_wrap(d, R_WARNING, 1, l);
			free(l);
		} else {
			doc_wrap(d, R_WARNING, 1,
				 _("This fix is done by hand in the Configuration Manager console. Do the steps below, "
				   "then press d: the check is run again and the result is recorded."));
		}
		doc_blank(d);
		add_steps(s, &s->p, true);
		doc_wrap(d, R_DIM, 1,
			 automated(s) ? _("Nothing changes until you confirm. Every change is written to the journal "
					  "before it is made, and can be undone from the journal (J).")
				      : _("cmharden changes nothing for a manual fix; it records that you did it."));
		s->stale = false;
		return;
	}
	if (s->st == FX_APPLYING) {
		doc_add(d, L_TEXT, R_HEADING, 1, _("Applying..."));
		doc_blank(d);
		add_steps(s, &s->ap, false);
		s->stale = false;
		return;
	}
	/* done */
	if (s->error) {
		char *e = xasprintf(_("The journal could not record a change, so nothing more was changed: %s"), s->error);
		doc_wrap(d, R_ERROR, 1, e);
		free(e);
		doc_blank(d);
	}
	if (automated(s)) {
		size_t total = 0;
		for (size_t i = 0; i < s->ap.n; i++)
			total += !s->ap.items[i].skip;
		char *l = s->done < total
				  ? xasprintf(ngettext("Stopped: %zu of %zu change made (%zu failed); the others were not made.",
						       "Stopped: %zu of %zu changes made (%zu failed); the others were not made.",
						       total),
					      s->done - s->failed, total, s->failed)
				  : xasprintf(ngettext("Made %zu of %zu change (%zu failed).", "Made %zu of %zu changes (%zu failed).",
						       total),
					      s->done - s->failed, total, s->failed);
		doc_add(d, L_TEXT, s->failed || s->done < total ? R_WARNING : R_NORMAL, 1, l);
		free(l);
	} else {
		doc_wrap(d, R_NORMAL, 1, _("The manual steps were recorded as done, in the journal."));
	}
	if (s->have_after) {
		disp_status ds = app_status(a, s->idx);
		char *l = ds == s->after_ds ? xasprintf(_("The check was run again: %s %s"), G->status[ds], ds_label(ds))
					    : xasprintf(_("The check reads %s %s now (it read %s %s after the fix; an undo "
							  "or a later change came since)."),
							G->status[ds], ds_label(ds), G->status[s->after_ds],
							ds_label(s->after_ds));
		doc_add(d, L_TEXT, ds_role(ds), 1, l);
		free(l);
		if (a->res[s->idx].reason) {
			char *why = sanitize_dup(a->res[s->idx].reason, 1000);
			doc_wrap(d, R_NORMAL, 3, why);
			free(why);
		}
		if (!automated(s) && ds == DS_FAIL)
			doc_wrap(d, R_WARNING, 1,
				 _("The site does not show the change yet. Check the steps in the console, then press r "
				   "on the check to read the site again."));
	}
	if (automated(s) && s->done - s->failed > 0) {
		char *u = xasprintf(_("To undo: press J for the journal; run %lld is at the top: U undoes it all, "
				      "u one change."),
				    (long long)s->run);
		doc_wrap(d, R_HEADING, 1, u);
		free(u);
	}
	doc_blank(d);
	if (s->have_ap && s->ap.n)
		add_steps(s, &s->ap, false);
	s->stale = false;
}

/* "before → after" in w cells: when it does not fit, the before-value is cut
 * first (then both share the width), so the arrow and what the value becomes
 * always show. */
static void draw_change(int y, int x, int w, const plan_item *it, role r)
{
	char *b = fmt_value(&it->before), *af = fmt_value(&it->after);
	char *arrow = xasprintf(" %s ", G->arrow);
	int bw = text_width(b), aw = text_width(af), rw = text_width(arrow);
	if (bw + rw + aw > w) {
		int room = w - rw;
		if (aw > room / 2 && bw > room / 2)
			aw = room - room / 2, bw = room / 2;
		else if (aw > room / 2)
			aw = room - bw;
		else
			bw = room - aw;
	}
	if (bw < 1)
		bw = 1;
	x += draw_text(y, x, bw, b, r, true);
	x += draw_text(y, x, rw, arrow, r, false);
	draw_text(y, x, aw > 0 ? aw : 1, af, r, true);
	free(b);
	free(af);
	free(arrow);
}

static void draw_item(ui_app *a, fix_screen *s, const doc_line *l, int y, int cols, bool sel)
{
	const plan *p = l->b ? &s->p : &s->ap;
	const plan_item *it = &p->items[l->a];
	role base = sel ? R_SELECTED : R_NORMAL;
	if (sel)
		draw_fill(y, 0, cols, R_SELECTED);
	int x = 3;
	if (l->b) {
		size_t k = key_index(s, it->key);
		const char *box = it->skip ? "   " : (k < s->nkeys && s->sel[k]) ? "[x]" : "[ ]";
		x += draw_text(y, x, 3, box, base, false) + 1;
	} else {
		const char *mark = it->applied ? G->status[DS_PASS] : it->error ? G->status[DS_FAIL] : it->skip ? " " : G->status[DS_NOT_RUN];
		role mr = sel ? R_SELECTED : it->applied ? R_PASS : it->error ? R_FAIL : R_DIM;
		x += draw_text(y, x, 1, mark, mr, false) + 1;
	}
	char *key = sanitize_dup(it->key, 200);
	int kw = cols / 4;
	draw_cell(y, x, kw, key, it->skip ? (sel ? R_SELECTED : R_DIM) : base, false);
	free(key);
	x += kw + 1;
	char *t;
	if (it->skip) {
		char *why = sanitize_dup(it->skip, 300);
		t = xasprintf(_("left alone: %s"), why);
		free(why);
	} else if (it->error) {
		char *e = sanitize_dup(it->error, 300);
		t = xasprintf(_("failed: %s"), e);
		free(e);
	} else {
		draw_change(y, x, cols - x - 1, it, sel ? R_SELECTED : R_CHANGE);
		return;
	}
	draw_text(y, x, cols - x - 1, t, sel ? R_SELECTED : it->skip ? R_DIM : it->error ? R_FAIL : R_CHANGE, true);
	free(t);
}

static void fix_draw(ui_app *a, ui_screen *sc, int y0, int rows, int cols)
{
	fix_screen *s = (fix_screen *)sc;
	if (s->stale || s->doc.width != cols)
		layout(a, s, cols);
	int y = y0;
	if (s->st == FX_APPLYING) {
		size_t total = 0;
		for (size_t i = 0; i < s->ap.n; i++)
			total += !s->ap.items[i].skip;
		char *label = xasprintf(_("Applying change %zu of %zu (Esc stops after this change)"),
					s->done < total ? s->done + 1 : total, total);
		draw_progress(y++, 1, cols - 2, s->done, total, label);
		free(label);
		rows--;
	}
	s->page = rows;
	list_clamp(&s->list, s->doc.n, rows);
	for (int i = 0; i < rows && s->list.top + (size_t)i < s->doc.n; i++) {
		size_t li = s->list.top + (size_t)i;
		const doc_line *l = &s->doc.l[li];
		bool sel = li == s->list.cur && s->st == FX_PREVIEW;
		if (l->kind == L_ITEM)
			draw_item(a, s, l, y + i, cols, sel);
		else
			doc_draw_text(&s->doc, li, y + i, cols, sel);
	}
	if (s->doc.n > (size_t)rows)
		ui_position(a, s->list.cur, s->doc.n);
}

/* ---- applying ---- */

static void finish(ui_app *a, fix_screen *s)
{
	char *err = NULL;
	result after;
	memset(&after, 0, sizeof after);
	if (remedy_run_finish(&a->rem, &s->ap, s->run, s->failed, &after, &err) < 0) {
		free(s->error);
		s->error = err;
		result_release(&after);
	} else {
		app_set_result(a, s->idx, &after);
		s->have_after = true;
		s->after_ds = app_status(a, s->idx);
	}
	/* Other checks may read what changed: every result shown is read again. */
	app_rerun_all(a);
	s->st = FX_DONE;
	s->stale = true;
	s->list.cur = s->list.top = 0;
	disp_status ds = app_status(a, s->idx);
	if (s->error)
		ui_message(a, R_ERROR, _("Stopped: the journal could not record a change."));
	else if (automated(s))
		ui_message(a, ds_role(ds), _("Fix applied; the check now reads: %s"), ds_label(ds));
	else
		ui_message(a, ds_role(ds), _("Recorded; the check now reads: %s"), ds_label(ds));
}

static bool fix_work(ui_app *a, ui_screen *sc)
{
	fix_screen *s = (fix_screen *)sc;
	if (s->st != FX_APPLYING)
		return false;
	while (s->next < s->ap.n && s->ap.items[s->next].skip)
		s->next++;
	if (s->next >= s->ap.n || s->stop) {
		finish(a, s);
		return false;
	}
	char *err = NULL;
	plan_item *it = &s->ap.items[s->next++];
	int r = remedy_apply_item(&a->rem, &s->ap, it, s->run, &err);
	if (r < 0) {
		s->error = err;
		finish(a, s);
		return false;
	}
	s->done++;
	if (r > 0)
		s->failed++;
	return true;
}

static void start_apply(ui_app *a, fix_screen *s)
{
	char *err = NULL;
	int g = app_begin_changes(a, &err);
	if (g != 0) {
		ui_alert(a, g > 0 ? _("Unfinished changes in the journal") : _("The journal cannot be used"),
			 err ? err : "");
		free(err);
		return;
	}
	s->run = remedy_run_begin(&a->rem, &s->ap, &err);
	if (s->run < 0) {
		ui_alert(a, _("The journal cannot be used"), err ? err : "");
		free(err);
		return;
	}
	s->st = FX_APPLYING;
	s->next = s->done = s->failed = 0;
	s->stale = true;
	s->base.busy = true;
}

static void confirm_answer(ui_app *a, void *ud, int button)
{
	fix_screen *s = ud;
	if (button != 0) {
		ui_message(a, R_DIM, _("Nothing was changed."));
		return;
	}
	start_apply(a, s);
}

static void ask_confirm(ui_app *a, fix_screen *s)
{
	char *err = NULL;
	if (s->have_ap)
		plan_release(&s->ap);
	s->have_ap = false;
	if (automated(s)) {
		size_t n = nselected(s);
		if (n == 0) {
			ui_message(a, R_WARNING, _("No object is chosen: Space chooses the object under the cursor."));
			return;
		}
		char **keys = xcalloc(n, sizeof *keys);
		size_t m = 0;
		for (size_t i = 0; i < s->nkeys; i++)
			if (s->sel[i])
				keys[m++] = s->keys[i];
		/* Planned again now, from the site as it is: the dialog names what will happen. */
		app_refresh(a);
		int rc = remedy_plan(&a->rem, s->f, keys, m, &s->ap, &err);
		free(keys);
		s->have_ap = true;
		if (rc < 0) {
			ui_alert(a, _("The site changed"), err);
			free(err);
			return;
		}
	} else {
		app_refresh(a);
		remedy_plan(&a->rem, s->f, NULL, 0, &s->ap, &err);
		free(err);
		s->have_ap = true;
	}
	strbuf body = STRBUF_INIT;
	size_t nch = 0;
	const char *cls = s->ap.k->probe ? s->ap.k->probe->cls : "";
	for (size_t i = 0; i < s->ap.n; i++)
		nch += !s->ap.items[i].skip;
	if (automated(s)) {
		if (nch == 0) {
			ui_alert(a, _("Nothing to change"),
				 _("The chosen objects already have the values this fix sets, or no longer offend."));
			return;
		}
		sb_addf(&body, ngettext("%zu value will change on %s (it is written to the journal first):\n",
					"%zu values will change on %s (each is written to the journal first):\n", nch),
			nch, a->t->spec);
		for (size_t i = 0; i < s->ap.n; i++) {
			const plan_item *it = &s->ap.items[i];
			if (it->skip)
				continue;
			char *key = sanitize_dup(it->key, 200), *ch = change_text(it);
			sb_addf(&body, "\n%s %s %s: %s", cls, key, it->step->path, ch);
			free(key);
			free(ch);
		}
		sb_adds(&body, "\n\n");
		sb_adds(&body, _("Then the check is run again. You can undo these changes from the journal."));
	} else {
		sb_adds(&body, _("Confirm that you have done the steps in the console. Nothing on the site is changed "
				 "by cmharden; the check is run again and the result is recorded in the journal."));
	}
	char *apply = automated(s) ? xasprintf(ngettext("Apply %zu change", "Apply %zu changes", nch), nch)
				   : xstrdup(_("Record and re-check"));
	const char *buttons[] = {apply, _("Cancel")};
	ui_push(a, dialog_new(automated(s) ? _("Apply this fix?") : _("Manual steps done?"), sb_str(&body), buttons, 2, 1,
			      confirm_answer, s));
	free(apply);
	sb_release(&body);
}

static bool blank_line(const fix_screen *s, size_t i)
{
	const doc_line *l = &s->doc.l[i];
	return l->kind == L_TEXT && (!l->text || !*l->text) && !l->label;
}

/* The cursor rests on lines that say something: past blank ones in the
 * direction it moved, or back the other way at the end of the document. */
static void skip_blank(fix_screen *s, bool down)
{
	size_t n = s->doc.n, c = s->list.cur;
	if (!n || c >= n || !blank_line(s, c))
		return;
	for (size_t i = c; down ? i < n : i + 1 > 0; down ? i++ : i--)
		if (!blank_line(s, i)) {
			s->list.cur = i;
			return;
		}
	for (size_t i = c; !down ? i < n : i + 1 > 0; !down ? i++ : i--)
		if (!blank_line(s, i)) {
			s->list.cur = i;
			return;
		}
}

static bool fix_key(ui_app *a, ui_screen *sc, const ui_key *k)
{
	fix_screen *s = (fix_screen *)sc;
	if (s->st == FX_APPLYING) {
		if (k->act == ACT_BACK || k->act == ACT_CANCEL) {
			s->stop = true;
			ui_message(a, R_WARNING, _("Stopping after the current change..."));
			return true;
		}
		return false;
	}
	size_t was = s->list.cur;
	if (list_nav(&s->list, k->act, s->doc.n, s->page)) {
		skip_blank(s, s->list.cur >= was);
		return true;
	}
	switch (k->act) {
	case ACT_TOGGLE: {
		if (s->list.cur >= s->doc.n || s->doc.l[s->list.cur].kind != L_ITEM) {
			ui_message(a, R_DIM, _("Move to an object to choose it."));
			return true;
		}
		const plan_item *it = &s->p.items[s->doc.l[s->list.cur].a];
		size_t i = key_index(s, it->key);
		if (i < s->nkeys) {
			s->sel[i] = !s->sel[i];
			s->stale = true;
		}
		if (s->list.cur + 1 < s->doc.n)
			s->list.cur++;
		skip_blank(s, true);
		return true;
	}
	case ACT_APPLY:
		if (!automated(s)) {
			ui_message(a, R_DIM, _("This fix is done in the console: press d when you have done it."));
			return true;
		}
		ask_confirm(a, s);
		return true;
	case ACT_DONE:
		if (automated(s))
			return false;
		ask_confirm(a, s);
		return true;
	default:
		return false;
	}
}

static bool fix_enabled(ui_app *a, ui_screen *sc, ui_action act)
{
	fix_screen *s = (fix_screen *)sc;
	switch (act) {
	case ACT_TOGGLE:
	case ACT_APPLY:
		return s->st == FX_PREVIEW && automated(s);
	case ACT_DONE:
		return s->st == FX_PREVIEW && !automated(s);
	case ACT_JOURNAL:
	case ACT_HELP:
		return s->st != FX_APPLYING;
	default:
		return true;
	}
}

static const char *fix_title(ui_app *a, ui_screen *sc)
{
	return ((fix_screen *)sc)->title;
}

static void fix_destroy(ui_screen *sc)
{
	fix_screen *s = (fix_screen *)sc;
	plan_release(&s->p);
	if (s->have_ap)
		plan_release(&s->ap);
	for (size_t i = 0; i < s->nkeys; i++)
		free(s->keys[i]);
	free(s->keys);
	free(s->sel);
	free(s->error);
	free(s->title);
	doc_clear(&s->doc);
	free(s);
}

/* Back from the journal (an undo may have changed the site): lay out again
 * from the results as they are now. */
static void fix_resumed(ui_app *a, ui_screen *sc)
{
	((fix_screen *)sc)->stale = true;
}

static const screen_ops fix_ops = {
	.name = "fix",
	.scope = SC_FIX | SC_MANUAL | SC_LIST,
	.draw = fix_draw,
	.key = fix_key,
	.enabled = fix_enabled,
	.work = fix_work,
	.title = fix_title,
	.resumed = fix_resumed,
	.destroy = fix_destroy,
};

const fix *app_fix_for(ui_app *a, size_t idx)
{
	const check *k = a->checks[idx];
	/* A target that cannot run scripts (an agent without `run`) gets the
	 * fix it can carry out, usually the console one. */
	const fix *f = fix_for_target(&a->fixes, k, a->t && a->t->ops->run != NULL);
	if (!f)
		f = fix_by_hand(&a->fixes, k);
	if (!f && k->nfixes)
		f = fixes_find(&a->fixes, k->fixes[0]);
	return f;
}

ui_screen *screen_fix_new(ui_app *a, size_t idx)
{
	const fix *f = app_fix_for(a, idx);
	if (!f) {
		ui_message(a, R_DIM, _("No fix is defined for this check."));
		return NULL;
	}
	fix_screen *s = xcalloc(1, sizeof *s);
	s->base.ops = &fix_ops;
	s->idx = idx;
	s->f = f;
	s->title = xstrdup(_("Fix"));
	char *err = NULL;
	/* Read the site afresh: the preview shows the values as they are now. */
	app_refresh(a);
	if (remedy_plan(&a->rem, f, NULL, 0, &s->p, &err) < 0) {
		ui_alert(a, _("Cannot plan the fix"), err ? err : "");
		free(err);
		fix_destroy(&s->base);
		return NULL;
	}
	if (s->p.res.status != ST_FAIL) {
		app_run_check(a, idx);
		ui_message(a, R_DIM, _("The check is %s now: there is nothing to fix."), ds_label(app_status(a, idx)));
		fix_destroy(&s->base);
		return NULL;
	}
	for (size_t i = 0; i < s->p.n; i++) {
		const plan_item *it = &s->p.items[i];
		if (it->skip || key_index(s, it->key) < s->nkeys)
			continue;
		s->keys = xrealloc(s->keys, (s->nkeys + 1) * sizeof *s->keys);
		s->sel = xrealloc(s->sel, (s->nkeys + 1) * sizeof *s->sel);
		s->keys[s->nkeys] = xstrdup(it->key);
		s->sel[s->nkeys++] = true;
	}
	/* The cursor starts on the first object, where Space chooses. */
	layout(a, s, COLS);
	for (size_t i = 0; i < s->doc.n; i++)
		if (s->doc.l[i].kind == L_ITEM) {
			s->list.cur = i;
			break;
		}
	s->stale = true;
	return &s->base;
}
