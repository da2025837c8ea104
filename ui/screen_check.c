/* screen_check.c — one check: the verdict and why, what was expected, the
 * evidence (every table the check collected, offending rows marked and the
 * properties that made them offend highlighted), the guidance and the
 * references. The view is one document with a cursor: Tab jumps to the next
 * evidence table, Left/Right scroll the tables sideways (the object key stays),
 * Enter on a row shows all of its values, / keeps only the rows that match. */
#include "config.h"
#include "content/content_i18n.h"
#include "base/i18n.h"
#include "base/sanitize.h"
#include "screens.h"
#include "widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { L_TEXT = 0, L_TTITLE, L_THEAD, L_TROW };

typedef struct chk_screen {
	ui_screen base;
	size_t idx;
	ui_doc doc;
	bool stale;       /* the result changed: lay out again */
	ui_table *tables;
	size_t ntables;
	size_t hoff;      /* first data column shown */
	ui_list list;     /* cursor over doc lines */
	int page;
	char *filter;
} chk_screen;


static const check *chk(ui_app *a, chk_screen *s)
{
	return a->checks[s->idx];
}

static void free_tables(chk_screen *s)
{
	for (size_t i = 0; i < s->ntables; i++)
		table_release(&s->tables[i]);
	free(s->tables);
	s->tables = NULL;
	s->ntables = 0;
}

static void prepare_tables(ui_app *a, chk_screen *s)
{
	free_tables(s);
	const result *r = &a->res[s->idx];
	s->ntables = r->ntables;
	s->tables = xcalloc(r->ntables ? r->ntables : 1, sizeof *s->tables);
	/* The properties the expectation reads come first in the probe table. */
	char **paths = NULL;
	size_t npaths = 0;
	const check *k = chk(a, s);
	if (k->kind == KIND_AUTOMATED && k->pred)
		expr_paths(k->pred, &paths, &npaths);
	for (size_t i = 0; i < r->ntables; i++) {
		table_prepare(&s->tables[i], &r->tables[i], paths, i == 0 ? npaths : 0);
		table_filter(&s->tables[i], s->filter);
	}
	for (size_t i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
}

static char *expect_phrase(quantifier q, const char *pred)
{
	switch (q) {
	case Q_ALL: return xasprintf(_("every object must satisfy: %s"), pred);
	case Q_ANY: return xasprintf(_("at least one object must satisfy: %s"), pred);
	default: return xasprintf(_("no object may match: %s"), pred);
	}
}

static void add_table(ui_app *a, chk_screen *s, size_t t, bool probe)
{
	ui_doc *d = &s->doc;
	const ev_table *et = &a->res[s->idx].tables[t];
	ui_table *ut = &s->tables[t];
	size_t off = 0;
	for (size_t i = 0; i < et->nrows; i++)
		off += et->rows[i].offending;
	char *label = sanitize_dup(content_text(et->label), 400);
	char *cls = sanitize_dup(et->cls, 100);
	char *count = xasprintf(ngettext("%zu object", "%zu objects", et->nrows), et->nrows);
	char *title;
	if (probe)
		title = xasprintf(_("Observed: %s (%s, %zu offending)"), cls, count, off);
	else
		title = xasprintf(_("Evidence: %s (%s)"), cls, count);
	doc_line *l = doc_add(d, L_TTITLE, R_HEADING, 1, title);
	l->a = t;
	free(title);
	free(count);
	if (strcmp(label, cls) != 0)
		doc_wrap(d, R_DIM, 3, label);
	if (et->where) {
		char *w = sanitize_dup(et->where, 400);
		char *f = xasprintf(_("filter: %s"), w);
		doc_wrap(d, R_DIM, 3, f);
		free(f);
		free(w);
	}
	free(label);
	free(cls);
	if (et->error) {
		char *e = sanitize_dup(et->error, 400);
		char *m = xasprintf(_("cannot be read: %s"), e);
		doc_wrap(d, R_ERROR, 3, m);
		free(m);
		free(e);
		return;
	}
	if (et->nrows == 0) {
		doc_add(d, L_TEXT, R_DIM, 3, _("(no objects)"));
		return;
	}
	doc_add(d, L_THEAD, R_TABLE_HEAD, 1, "")->a = t;
	for (size_t i = 0; i < ut->nshown; i++) {
		doc_line *row = doc_add(d, L_TROW, R_NORMAL, 1, "");
		row->a = t;
		row->b = i;
	}
	if (ut->nshown == 0)
		doc_add(d, L_TEXT, R_DIM, 3, _("(no row matches the filter)"));
}

/* Sanitised text that keeps its line breaks: an operator's note may have
 * several lines (the multi-line editor), each shown as its own paragraph. */
static char *sanitize_lines(const char *text, size_t max)
{
	strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "");
	for (const char *p = text; p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (p != text)
			sb_addc(&sb, '\n');
		sanitize_append(&sb, p, n, max);
		p = nl ? nl + 1 : NULL;
	}
	return sb_detach(&sb);
}

static void layout(ui_app *a, chk_screen *s, int cols)
{
	ui_doc *d = &s->doc;
	const check *k = chk(a, s);
	const result *r = &a->res[s->idx];
	disp_status ds = app_status(a, s->idx);
	doc_clear(d);
	d->width = cols;
	prepare_tables(a, s);

	doc_wrap(d, R_HEADING, 1, content_text(k->title));
	char *kind = k->kind == KIND_AUTOMATED
			     ? xasprintf(_("automated, %s"), k->basis == BASIS_INFERRED ? _("inferred") : _("documented"))
			     : xstrdup(_("attestation: you judge it from the evidence"));
	char *st = xasprintf("%s %s  %s  %s %s  %s  %s", G->status[ds], ds_label(ds), G->bullet, _("severity"),
			     severity_label(k->sev), G->bullet, kind);
	doc_add(d, L_TEXT, ds_role(ds), 1, st);
	free(st);
	free(kind);
	doc_add(d, L_TEXT, R_DIM, 1, k->id);
	doc_blank(d);

	const char *labels[] = {_("Verdict"), _("Expected"), _("Question"), _("Basis"), _("Duplicate")};
	int lw = 0;
	for (size_t i = 0; i < ARRAY_SIZE(labels); i++)
		if (text_width(labels[i]) > lw)
			lw = text_width(labels[i]);
	if (r->reason) {
		/* an attestation check's reason is its question: content to translate */
		char *why = sanitize_lines(k->kind == KIND_ATTESTATION ? content_text(r->reason) : r->reason, 2000);
		doc_labeled(d, ds == DS_ATTEST ? labels[2] : labels[0], lw, ds == DS_ATTEST ? R_ATTEST : ds_role(ds), why);
		free(why);
	}
	if (k->kind == KIND_AUTOMATED && k->pred_src) {
		char *e = expect_phrase(k->quant, k->pred_src);
		doc_labeled(d, labels[1], lw, R_NORMAL, e);
		free(e);
	}
	if (k->kind == KIND_AUTOMATED && k->basis == BASIS_INFERRED)
		doc_labeled(d, labels[3], lw, R_WARNING,
			    _("inferred: the meaning of the values is deduced from Microsoft's documentation "
			      "(see below, and the references)"));
	if (k->duplicate_note)
		doc_labeled(d, labels[4], lw, R_DIM, content_text(k->duplicate_note));
	doc_blank(d);

	for (size_t t = 0; t < r->ntables; t++) {
		add_table(a, s, t, k->kind == KIND_AUTOMATED && t == 0);
		doc_blank(d);
	}

	static const struct {
		size_t off;
		const char *head;
	} guide[] = {
		{offsetof(check, why), N_("Why it matters")},
		{offsetof(check, compliant), N_("Compliant when")},
		{offsetof(check, console), N_("In the console")},
	};
	if (k->kind == KIND_AUTOMATED && k->basis == BASIS_INFERRED && k->basis_note) {
		doc_add(d, L_TEXT, R_HEADING, 1, _("Why the verdict is inferred"));
		doc_wrap(d, R_NORMAL, 3, content_text(k->basis_note));
		doc_blank(d);
	}
	for (size_t i = 0; i < ARRAY_SIZE(guide); i++) {
		const char *text = *(char *const *)((const char *)k + guide[i].off);
		if (!text)
			continue;
		doc_add(d, L_TEXT, R_HEADING, 1, _(guide[i].head));
		doc_wrap(d, R_NORMAL, 3, content_text(text));
		doc_blank(d);
	}
	if (k->nrefs) {
		doc_add(d, L_TEXT, R_HEADING, 1, _("References"));
		for (size_t i = 0; i < k->nrefs; i++) {
			char *t = xasprintf("%s %s", G->bullet, k->refs[i].title ? k->refs[i].title : k->refs[i].url);
			doc_wrap(d, R_NORMAL, 3, t);
			free(t);
			doc_wrap(d, R_DIM, 5, k->refs[i].url);
		}
	}
	s->stale = false;
}

static size_t max_hoff(chk_screen *s)
{
	size_t m = 0;
	for (size_t i = 0; i < s->ntables; i++)
		if (s->tables[i].ncols > m)
			m = s->tables[i].ncols;
	return m ? m - 1 : 0;
}

static void draw_line(ui_app *a, chk_screen *s, size_t i, int y, int cols, bool sel)
{
	const doc_line *l = &s->doc.l[i];
	switch (l->kind) {
	case L_TTITLE: {
		doc_draw_text(&s->doc, i, y, cols, sel);
		return;
	}
	case L_THEAD: {
		const ui_table *t = &s->tables[l->a];
		size_t h = s->hoff < t->ncols ? s->hoff : (t->ncols ? t->ncols - 1 : 0);
		size_t fit = table_draw_head(t, y, 1, cols - 2, h);
		if (h > 0 || h + fit < t->ncols) {
			char *more = xasprintf("%s%zu-%zu/%zu%s", h > 0 ? G->left : " ", h + 1, h + (fit ? fit : 1), t->ncols,
					       h + fit < t->ncols ? G->right : " ");
			int w = text_width(more);
			draw_text(y, cols - w - 1, w, more, R_DIM, false);
			free(more);
		}
		return;
	}
	case L_TROW: {
		ui_table *t = &s->tables[l->a];
		size_t h = s->hoff < t->ncols ? s->hoff : (t->ncols ? t->ncols - 1 : 0);
		if (sel)
			draw_fill(y, 0, cols, R_SELECTED);
		table_draw_row(t, l->b, y, 1, cols - 2, h, sel);
		return;
	}
	default:
		doc_draw_text(&s->doc, i, y, cols, sel);
	}
}

static void check_draw(ui_app *a, ui_screen *sc, int y0, int rows, int cols)
{
	chk_screen *s = (chk_screen *)sc;
	if (s->stale || s->doc.width != cols)
		layout(a, s, cols);
	int y = y0;
	if (s->filter && *s->filter) {
		char *f = xasprintf(_("Evidence filtered by \"%s\" (/ changes it, Esc clears it)"), s->filter);
		draw_text(y++, 1, cols - 2, f, R_WARNING, true);
		free(f);
		rows--;
	}
	s->page = rows;
	list_clamp(&s->list, s->doc.n, rows);
	for (int i = 0; i < rows && s->list.top + (size_t)i < s->doc.n; i++)
		draw_line(a, s, s->list.top + (size_t)i, y + i, cols, s->list.top + (size_t)i == s->list.cur);
	if (s->doc.n > (size_t)rows)
		ui_position(a, s->list.cur, s->doc.n);
}

static void show_row(ui_app *a, chk_screen *s, const doc_line *l)
{
	ui_table *t = &s->tables[l->a];
	size_t r = t->order[l->b];
	const ev_row *row = &t->src->rows[r];
	strbuf sb = STRBUF_INIT;
	char *key = sanitize_dup(row->key, 1000);
	sb_addf(&sb, _("Object: %s"), key);
	free(key);
	sb_adds(&sb, "\n");
	if (row->offending)
		sb_addf(&sb, _("%s This object offends; the marked properties did not meet the expectation."),
			G->status[DS_FAIL]);
	else
		sb_adds(&sb, _("This object meets the expectation."));
	sb_adds(&sb, "\n");
	for (size_t c = 0; c < t->src->ncols; c++)
		sb_addf(&sb, "\n%s %s = %s", row->bad[c] ? G->status[DS_FAIL] : " ", t->head[c], table_cell(t, r, c));
	ui_alert(a, _("Evidence row"), sb_str(&sb));
	sb_release(&sb);
}

static void goto_check(ui_app *a, chk_screen *s, size_t idx)
{
	s->idx = idx;
	if (!a->ran[idx] || a->stale[idx])
		app_run_check(a, idx);
	s->stale = true;
	s->list.cur = s->list.top = 0;
	s->hoff = 0;
	ui_screen *below = ui_below(a, &s->base);
	size_t sec = 0;
	while (sec + 1 < a->cat.nsections && a->sec_first[sec + 1] <= idx)
		sec++;
	section_screen_follow(below, idx - a->sec_first[sec]);
}

static void filter_changed(ui_app *a, void *ud, const char *text)
{
	chk_screen *s = ud;
	free(s->filter);
	s->filter = xstrdup(text ? text : "");
	s->stale = true;
}

static bool check_key(ui_app *a, ui_screen *sc, const ui_key *k)
{
	chk_screen *s = (chk_screen *)sc;
	if (list_nav(&s->list, k->act, s->doc.n, s->page))
		return true;
	size_t sec = 0;
	while (sec + 1 < a->cat.nsections && a->sec_first[sec + 1] <= s->idx)
		sec++;
	size_t first = a->sec_first[sec], last = first + a->cat.sections[sec].n - 1;
	switch (k->act) {
	case ACT_LEFT:
		if (s->hoff)
			s->hoff--;
		return true;
	case ACT_RIGHT:
		if (s->hoff < max_hoff(s))
			s->hoff++;
		return true;
	case ACT_NEXT_TABLE:
		/* To the first row of the next table, with its title at the top. */
		for (size_t i = 1; i <= s->doc.n; i++) {
			size_t j = (s->list.cur + i) % s->doc.n;
			if (s->doc.l[j].kind != L_TTITLE)
				continue;
			s->list.top = s->list.cur = j;
			for (size_t r = j + 1; r < s->doc.n && s->doc.l[r].kind != L_TTITLE; r++)
				if (s->doc.l[r].kind == L_TROW) {
					s->list.cur = r;
					break;
				}
			return true;
		}
		ui_message(a, R_DIM, _("This check collected no evidence table."));
		return true;
	case ACT_OPEN:
		if (s->list.cur < s->doc.n && s->doc.l[s->list.cur].kind == L_TROW)
			show_row(a, s, &s->doc.l[s->list.cur]);
		else
			ui_message(a, R_DIM, _("Move to an evidence row to see all its values."));
		return true;
	case ACT_RUN: {
		app_refresh(a);
		app_run_check(a, s->idx);
		s->stale = true;
		disp_status d = app_status(a, s->idx);
		ui_message(a, ds_role(d), _("Ran the check again: %s"), ds_label(d));
		return true;
	}
	case ACT_NEXT:
		if (s->idx >= last) {
			ui_message(a, R_DIM, _("This is the last check of the section (q goes back to it)."));
			return true;
		}
		goto_check(a, s, s->idx + 1);
		return true;
	case ACT_PREV:
		if (s->idx <= first) {
			ui_message(a, R_DIM, _("This is the first check of the section."));
			return true;
		}
		goto_check(a, s, s->idx - 1);
		return true;
	case ACT_FILTER:
		ui_push(a, prompt_new(_("Filter evidence rows:"), s->filter, filter_changed, filter_changed, s));
		return true;
	case ACT_FIX: {
		ui_screen *f = screen_fix_new(a, s->idx);
		if (f)
			ui_push(a, f);
		s->stale = true;
		return true;
	}
	case ACT_ATTEST:
		verdict_attest(a, s->idx);
		return true;
	case ACT_WAIVE:
		verdict_waive(a, s->idx);
		return true;
	case ACT_BACK:
		if (s->filter && *s->filter) {
			filter_changed(a, s, "");
			return true;
		}
		return false;
	default:
		return false;
	}
}

static bool check_enabled(ui_app *a, ui_screen *sc, ui_action act)
{
	const check *k = chk(a, (chk_screen *)sc);
	switch (act) {
	case ACT_FIX:
		return app_fix_for(a, ((chk_screen *)sc)->idx) != NULL;
	case ACT_ATTEST:
		return k->kind == KIND_ATTESTATION;
	default:
		return true;
	}
}

static void check_resumed(ui_app *a, ui_screen *sc)
{
	/* Back from a fix or a verdict: the result may have changed. */
	((chk_screen *)sc)->stale = true;
}

static const char *check_title(ui_app *a, ui_screen *sc)
{
	return chk(a, (chk_screen *)sc)->id;
}

static void check_destroy(ui_screen *sc)
{
	chk_screen *s = (chk_screen *)sc;
	doc_clear(&s->doc);
	free_tables(s);
	free(s->filter);
	free(s);
}

static const screen_ops check_ops = {
	.name = "check",
	.scope = SC_CHECK | SC_LIST,
	.draw = check_draw,
	.key = check_key,
	.enabled = check_enabled,
	.title = check_title,
	.resumed = check_resumed,
	.destroy = check_destroy,
};

ui_screen *screen_check_new(ui_app *a, size_t idx)
{
	chk_screen *s = xcalloc(1, sizeof *s);
	s->base.ops = &check_ops;
	goto_check(a, s, idx);
	return &s->base;
}
