/* screen_section.c — one section: its checks run live when the section is
 * opened (a progress bar; Esc or c cancels), then the list of checks with
 * their status. Enter opens a check; n and p go to the next and previous
 * section (in a walk, the next section's checks run as it opens). */
#include "config.h"
#include "content/content_i18n.h"
#include "base/i18n.h"
#include "screens.h"
#include "widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sec_screen {
	ui_screen base;
	size_t sec;
	bool walk;
	ui_list list;
	int page;
	size_t run_next, run_done;
	char *filter;
	size_t *match; /* positions in the section (after filtering) */
	size_t nmatch;
	char *title;
} sec_screen;

static const section *sec_of(ui_app *a, sec_screen *s)
{
	return &a->core.cat.sections[s->sec];
}

static void refilter(ui_app *a, sec_screen *s)
{
	const section *se = sec_of(a, s);
	s->nmatch = 0;
	for (size_t i = 0; i < se->n; i++)
		if (!s->filter || !*s->filter || str_icontains(se->checks[i].title, s->filter) ||
		    str_icontains(se->checks[i].id, s->filter))
			s->match[s->nmatch++] = i;
}

static void start_run(ui_app *a, sec_screen *s)
{
	app_refresh(a);
	s->run_next = s->run_done = 0;
	s->base.busy = sec_of(a, s)->n > 0;
}

static void set_section(ui_app *a, sec_screen *s, size_t sec, bool run)
{
	s->sec = sec;
	s->list.cur = s->list.top = 0;
	free(s->filter);
	s->filter = NULL;
	free(s->match);
	s->match = xcalloc(sec_of(a, s)->n ? sec_of(a, s)->n : 1, sizeof *s->match);
	refilter(a, s);
	free(s->title);
	s->title = xstrdup(content_text(sec_of(a, s)->title));
	if (run)
		start_run(a, s);
}

static void section_draw(ui_app *a, ui_screen *sc, int y0, int rows, int cols)
{
	sec_screen *s = (sec_screen *)sc;
	const section *se = sec_of(a, s);
	int y = y0;
	size_t ncl, nck;
	catalog_checklist_counts(&a->core.cat, &ncl, &nck);
	/* The section beyond the checklist is not numbered among the checklist's: its heading says what it is. */
	char *head = se->beyond ? xstrdup(content_text(se->heading ? se->heading : se->title))
				: xasprintf(_("Section %zu of %zu: %s"), s->sec + 1, ncl,
					    content_text(se->heading ? se->heading : se->title));
	draw_text(y++, 1, cols - 2, head, R_HEADING, true);
	free(head);
	if (se->beyond && se->source) {
		char *src = xasprintf(_("Source: %s"), se->source);
		draw_text(y++, 2, cols - 3, src, R_DIM, true);
		free(src);
	}
	if (se->note) {
		wrapped w = {0};
		wrap_text(&w, content_text(se->note), cols - 3);
		size_t maxn = rows >= 20 ? 3 : 1;
		for (size_t i = 0; i < w.n && i < maxn; i++) {
			bool last = i + 1 == maxn && w.n > maxn;
			if (last) {
				char *cut = xasprintf("%s %s", w.lines[i], G->ellipsis);
				draw_text(y++, 2, cols - 3, cut, R_DIM, true);
				free(cut);
			} else {
				draw_text(y++, 2, cols - 3, w.lines[i], R_DIM, true);
			}
		}
		wrapped_release(&w);
	}
	if (s->base.busy) {
		const check *k = s->run_next < se->n ? &se->checks[s->run_next] : NULL;
		char *label = xasprintf(_("Running: %s"), k ? content_text(k->title) : "");
		draw_progress(y++, 1, cols - 2, s->run_done, se->n, label);
		free(label);
	}
	if (s->filter && *s->filter) {
		char *f = xasprintf(_("Filter \"%s\": %zu of %zu checks"), s->filter, s->nmatch, se->n);
		draw_text(y++, 1, cols - 2, f, R_DIM, true);
		free(f);
	}
	draw_hline(y++, 0, cols, R_DIM);
	int footer = 2;
	int listrows = y0 + rows - footer - y;
	s->page = listrows;
	/* status word column: as wide as the widest translated label */
	int stw = 0, sevw = 0;
	for (int d = 0; d < DS_COUNT; d++)
		if (text_width(ds_label((disp_status)d)) > stw)
			stw = text_width(ds_label((disp_status)d));
	for (int v = SEV_LOW; v <= SEV_HIGH; v++)
		if (text_width(severity_label((severity)v)) > sevw)
			sevw = text_width(severity_label((severity)v));
	list_clamp(&s->list, s->nmatch, listrows);
	if (se->n == 0)
		draw_text(y + 1, 3, cols - 4, _("The checklist publishes no practice for this section."), R_DIM, true);
	else if (s->nmatch == 0)
		draw_text(y + 1, 3, cols - 4, _("No check matches the filter."), R_DIM, true);
	for (int i = 0; i < listrows && s->list.top + (size_t)i < s->nmatch; i++) {
		size_t pos = s->match[s->list.top + (size_t)i];
		size_t idx = a->sec_first[s->sec] + pos;
		const check *k = &se->checks[pos];
		bool sel = s->list.top + (size_t)i == s->list.cur;
		disp_status d = app_status(a, idx);
		role base = sel ? R_SELECTED : R_NORMAL;
		int ry = y + i;
		if (sel)
			draw_fill(ry, 0, cols, R_SELECTED);
		draw_text(ry, 1, 1, G->status[d], sel ? R_SELECTED : ds_role(d), false);
		draw_cell(ry, 3, stw, ds_label(d), sel ? R_SELECTED : ds_role(d), false);
		draw_cell(ry, 4 + stw, sevw, severity_label(k->sev), base, false);
		int tx = 5 + stw + sevw;
		draw_text(ry, tx, cols - tx - 1, content_text(k->title), base, true);
	}
	if (s->nmatch > (size_t)listrows)
		ui_position(a, s->list.cur, s->nmatch);
	int fy = y0 + rows - footer;
	draw_hline(fy, 0, cols, R_DIM);
	sec_counts c;
	app_section_counts(a, s->sec, &c);
	char *line = app_counts_text(&c);
	size_t num, den;
	int score = se->beyond ? app_score(&c, &num, &den) : -1;
	if (score >= 0) {
		/* The section beyond the checklist has its own score, never part of the checklist's. */
		char *with = xasprintf(_("%s; its own score: %d%% (%zu of %zu)"), line, score, num, den);
		free(line);
		line = with;
	}
	draw_text(fy + 1, 1, cols - 2, line, R_NORMAL, true);
	free(line);
}

static bool section_work(ui_app *a, ui_screen *sc)
{
	sec_screen *s = (sec_screen *)sc;
	const section *se = sec_of(a, s);
	if (s->run_next >= se->n)
		return false;
	app_run_check(a, a->sec_first[s->sec] + s->run_next++);
	s->run_done++;
	if (s->run_next < se->n)
		return true;
	sec_counts c;
	app_section_counts(a, s->sec, &c);
	if (s->walk)
		ui_message(a, R_HEADING, _("%zu checks ran: %zu fail, %zu to attest. Enter opens a check, n goes on to the next section."),
			   se->n, c.n[DS_FAIL], c.n[DS_ATTEST]);
	else
		ui_message(a, R_HEADING, _("%zu checks ran: %zu fail, %zu to attest."), se->n, c.n[DS_FAIL],
			   c.n[DS_ATTEST]);
	return false;
}

static void cancel(ui_app *a, sec_screen *s)
{
	s->base.busy = false;
	ui_message(a, R_WARNING, _("Cancelled after %zu of %zu checks; the others have no result."), s->run_done,
		   sec_of(a, s)->n);
}

static void filter_changed(ui_app *a, void *ud, const char *text)
{
	sec_screen *s = ud;
	free(s->filter);
	s->filter = xstrdup(text ? text : "");
	s->list.cur = s->list.top = 0;
	refilter(a, s);
}

static void filter_done(ui_app *a, void *ud, const char *text)
{
	filter_changed(a, ud, text);
}

static bool section_key(ui_app *a, ui_screen *sc, const ui_key *k)
{
	sec_screen *s = (sec_screen *)sc;
	if (list_nav(&s->list, k->act, s->nmatch, s->page))
		return true;
	switch (k->act) {
	case ACT_CANCEL:
		if (s->base.busy)
			cancel(a, s);
		return true;
	case ACT_BACK:
		if (s->base.busy) {
			cancel(a, s);
			return true;
		}
		if (s->filter && *s->filter) {
			filter_changed(a, s, "");
			return true;
		}
		return false;
	case ACT_OPEN:
		if (s->nmatch)
			ui_push(a, screen_check_new(a, a->sec_first[s->sec] + s->match[s->list.cur]));
		return true;
	case ACT_NEXT:
		if (s->sec + 1 >= a->core.cat.nsections) {
			sec_counts t;
			size_t num, den;
			app_total_counts(a, &t);
			int score = app_score(&t, &num, &den);
			if (t.checked < t.total)
				ui_message(a, R_HEADING,
					   _("This is the last section; %zu checks have not run yet (w on the sections walks to them)."),
					   t.total - t.checked);
			else
				ui_message(a, R_HEADING, _("The checklist is done: score %d%%, %zu fail, %zu to attest."),
					   score < 0 ? 0 : score, t.n[DS_FAIL], t.n[DS_ATTEST]);
			return true;
		}
		set_section(a, s, s->sec + 1, true);
		return true;
	case ACT_PREV:
		if (s->sec == 0) {
			ui_message(a, R_DIM, _("This is the first section."));
			return true;
		}
		set_section(a, s, s->sec - 1, true);
		return true;
	case ACT_RUN:
		start_run(a, s);
		return true;
	case ACT_FILTER:
		ui_push(a, prompt_new(_("Filter checks:"), s->filter, filter_changed, filter_done, s));
		return true;
	default:
		return false;
	}
}

static bool section_enabled(ui_app *a, ui_screen *sc, ui_action act)
{
	sec_screen *s = (sec_screen *)sc;
	switch (act) {
	case ACT_CANCEL:
		return s->base.busy;
	case ACT_RUN:
	case ACT_NEXT:
	case ACT_PREV:
	case ACT_FILTER:
	case ACT_OPEN:
		return !s->base.busy;
	default:
		return true;
	}
}

static const char *section_title(ui_app *a, ui_screen *sc)
{
	return ((sec_screen *)sc)->title;
}

static void section_destroy(ui_screen *sc)
{
	sec_screen *s = (sec_screen *)sc;
	free(s->filter);
	free(s->match);
	free(s->title);
	free(s);
}

static const screen_ops section_ops = {
	.name = "section",
	.scope = SC_SECTION | SC_LIST,
	.draw = section_draw,
	.key = section_key,
	.enabled = section_enabled,
	.work = section_work,
	.title = section_title,
	.destroy = section_destroy,
};

ui_screen *screen_section_new(ui_app *a, size_t sec, bool walk, bool run)
{
	sec_screen *s = xcalloc(1, sizeof *s);
	s->base.ops = &section_ops;
	s->walk = walk;
	set_section(a, s, sec, run);
	return &s->base;
}

/* For the check screen: the section screen below it follows the check it shows. */
void section_screen_follow(ui_screen *sc, size_t pos)
{
	if (!sc || sc->ops != &section_ops)
		return;
	sec_screen *s = (sec_screen *)sc;
	for (size_t i = 0; i < s->nmatch; i++)
		if (s->match[i] == pos)
			s->list.cur = i;
}
