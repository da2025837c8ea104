/* screen_sections.c — the sections of the checklist in checklist order with
 * their progress, and the overall score. Enter walks into a section (running
 * its checks); w walks the whole checklist; r runs every check here, with a
 * progress bar; / filters: the list then shows the matching checks of every
 * section, and Enter opens one. When the report settings name a baseline
 * report (report.conf, src/report/engagement.h), a footer line compares the
 * verdicts so far with it, as `cmharden report --baseline` does. */
#include "config.h"
#include "content/content_i18n.h"
#include "base/i18n.h"
#include "report/baseline.h"
#include "report/engagement.h"
#include "base/sanitize.h"
#include "screens.h"
#include "widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sections {
	ui_screen base;
	ui_list list;
	int page;
	char *filter;
	size_t *match; /* flat check indices matching the filter */
	size_t nmatch;
	size_t run_next; /* run-all: next check to run */
	size_t run_done;
	bool base_tried;
	report_baseline *baseline; /* from the report settings, or NULL */
	char *base_err;        /* why it could not be read */
	size_t number; /* the section number being typed (1, then 14), or 0 */
	bool prefetched; /* run-all: the site was read (one request) */
} sections;

static void load_baseline(sections *s)
{
	report_engagement eng;
	s->base_tried = true;
	if (engagement_load(&eng, &s->base_err) == 0 && eng.baseline)
		baseline_load(&s->baseline, eng.baseline, &s->base_err);
	engagement_release(&eng);
}

/* "Since the baseline of DATE: 3 fixed, ..." over the checks run so far. */
static char *baseline_text(ui_app *a, const sections *s)
{
	if (s->base_err)
		return xasprintf(_("Baseline: %s"), s->base_err);
	baseline_now *now = xcalloc(a->core.cat.nchecks ? a->core.cat.nchecks : 1, sizeof *now);
	for (size_t i = 0; i < a->core.cat.nchecks; i++)
		now[i] = (baseline_now){a->checks[i]->id, a->res[i].status, a->ran[i]};
	report_diff d;
	baseline_compare(s->baseline, &a->core.cat, now, a->core.cat.nchecks, &d);
	free(now);
	char *t = xasprintf(_("Since the baseline of %s: %zu fixed, %zu regressed, %zu newly attested, waivers %zu "
			      "expired %zu added, checks %zu added %zu removed"),
			    s->baseline->generated_at ? s->baseline->generated_at : "?", d.counts[DIFF_FIXED],
			    d.counts[DIFF_REGRESSED], d.counts[DIFF_ATTESTED], d.counts[DIFF_WAIVER_EXPIRED],
			    d.counts[DIFF_WAIVER_ADDED], d.counts[DIFF_CHECK_ADDED], d.counts[DIFF_CHECK_REMOVED]);
	diff_release(&d);
	return t;
}

static void refilter(ui_app *a, sections *s)
{
	s->nmatch = 0;
	if (!s->filter || !*s->filter)
		return;
	for (size_t i = 0; i < a->core.cat.nchecks; i++) {
		const check *k = a->checks[i];
		if (str_icontains(k->title, s->filter) || str_icontains(k->id, s->filter))
			s->match[s->nmatch++] = i;
	}
}

static bool filtering(const sections *s)
{
	return s->filter && *s->filter;
}

/* Columns after the title: done, pass, fail, error, n/a, attest, waived. */
typedef struct col {
	const char *head;
	int w;
} col;

static void num_cell(int y, int x, int w, size_t v, role r)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%zu", v);
	draw_cell(y, x, w, v ? buf : "-", v ? r : R_DIM, true);
}

static void draw_section_row(ui_app *a, size_t sec, int y, int cols, const col *c, int titlew, bool sel)
{
	const section *se = &a->core.cat.sections[sec];
	sec_counts sc;
	app_section_counts(a, sec, &sc);
	role base = sel ? R_SELECTED : R_NORMAL;
	if (sel)
		draw_fill(y, 0, cols, R_SELECTED);
	char num[24];
	snprintf(num, sizeof num, "%2zu", sec + 1);
	draw_text(y, 1, 2, num, base, false);
	draw_text(y, 4, titlew, content_text(se->title), base, true);
	int x = 4 + titlew;
	char done[24];
	snprintf(done, sizeof done, "%zu/%zu", sc.checked, sc.total);
	draw_cell(y, x, c[0].w + 1, done, sc.total == 0 ? R_DIM : base, true);
	x += c[0].w + 1;
	static const disp_status order[] = {DS_PASS, DS_FAIL, DS_ERROR, DS_NA, DS_ATTEST, DS_WAIVED};
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		size_t v = sc.n[order[i]] + (order[i] == DS_PASS ? sc.n[DS_ATTESTED] : 0);
		num_cell(y, x, c[i + 1].w + 1, v, sel ? R_SELECTED : ds_role(order[i]));
		x += c[i + 1].w + 1;
	}
}

static void draw_check_row(ui_app *a, size_t idx, int y, int cols, bool sel)
{
	const check *k = a->checks[idx];
	disp_status d = app_status(a, idx);
	role base = sel ? R_SELECTED : R_NORMAL;
	if (sel)
		draw_fill(y, 0, cols, R_SELECTED);
	draw_text(y, 1, 1, G->status[d], sel ? R_SELECTED : ds_role(d), false);
	const section *se = catalog_section(&a->core.cat, k->section);
	int sw = cols / 4;
	draw_text(y, 3, sw, se ? content_text(se->title) : k->section, sel ? R_SELECTED : R_DIM, true);
	draw_text(y, 3 + sw + 1, 1, G->crumb, base, false);
	draw_text(y, 3 + sw + 3, cols - sw - 7, content_text(k->title), base, true);
}

static void sections_draw(ui_app *a, ui_screen *sc, int y0, int rows, int cols)
{
	sections *s = (sections *)sc;
	/* "OK" counts what the score counts as satisfied: pass and attested. */
	static const char *const heads[] = {N_("Done"), N_("OK"), N_("Fail"), N_("Error"), N_("N/A"),
					    N_("Attest"), N_("Waived")};
	col c[ARRAY_SIZE(heads)];
	int fixed = 0;
	for (size_t i = 0; i < ARRAY_SIZE(heads); i++) {
		c[i].head = _(heads[i]);
		c[i].w = text_width(c[i].head);
		if (c[i].w < (i == 0 ? 5 : 3))
			c[i].w = i == 0 ? 5 : 3;
		fixed += c[i].w + 1;
	}
	int titlew = cols - 4 - fixed - 1;
	int footer = 3, head = 1;
	if (!s->base_tried)
		load_baseline(s);
	bool baseline = s->baseline || s->base_err;
	if (s->base.busy)
		footer++;
	if (baseline)
		footer++;
	int listrows = rows - head - footer;
	s->page = listrows;

	if (filtering(s)) {
		char *h = xasprintf(_("Checks matching \"%s\": %zu"), s->filter, s->nmatch);
		draw_text(y0, 1, cols - 2, h, R_HEADING, true);
		free(h);
		list_clamp(&s->list, s->nmatch, listrows);
		for (int i = 0; i < listrows && s->list.top + (size_t)i < s->nmatch; i++)
			draw_check_row(a, s->match[s->list.top + (size_t)i], y0 + head + i, cols,
				       s->list.top + (size_t)i == s->list.cur);
		if (!s->nmatch)
			draw_text(y0 + head + 1, 3, cols - 4, _("No check matches. Press / to change the filter."),
				  R_DIM, true);
	} else {
		draw_fill(y0, 0, cols, R_TABLE_HEAD);
		draw_text(y0, 1, titlew + 3, _("Section"), R_TABLE_HEAD, true);
		int x = 4 + titlew;
		for (size_t i = 0; i < ARRAY_SIZE(heads); i++) {
			draw_cell(y0, x, c[i].w + 1, c[i].head, R_TABLE_HEAD, true);
			x += c[i].w + 1;
		}
		list_clamp(&s->list, a->core.cat.nsections, listrows);
		for (int i = 0; i < listrows && s->list.top + (size_t)i < a->core.cat.nsections; i++)
			draw_section_row(a, s->list.top + (size_t)i, y0 + head + i, cols, c, titlew,
					 s->list.top + (size_t)i == s->list.cur);
	}
	size_t n = filtering(s) ? s->nmatch : a->core.cat.nsections;
	if (n > (size_t)listrows)
		ui_position(a, s->list.cur, n);

	int fy = y0 + rows - footer;
	draw_hline(fy, 0, cols, R_DIM);
	sec_counts t;
	app_total_counts(a, &t);
	char *line = app_counts_text(&t);
	draw_text(fy + 1, 1, cols - 2, line, R_NORMAL, true);
	free(line);
	size_t num, den;
	int score = app_score(&t, &num, &den);
	if (score < 0)
		line = xstrdup(_("Score: none yet (open a section, or press r to run every check)"));
	else
		line = xasprintf(_("Score: %d%% (%zu of %zu verdicts satisfied; n/a and waived not counted)"), score,
				 num, den);
	draw_text(fy + 2, 1, cols - 2, line, score < 0 ? R_DIM : R_HEADING, true);
	free(line);
	if (baseline) {
		line = baseline_text(a, s);
		draw_text(fy + 3, 1, cols - 2, line, s->base_err ? R_DIM : R_NORMAL, true);
		free(line);
		fy++;
	}
	if (s->base.busy) {
		const check *k = s->run_next < a->core.cat.nchecks ? a->checks[s->run_next] : NULL;
		char *label = !s->prefetched ? xstrdup(_("Reading the site in one request (Esc cancels)"))
			      : k	     ? xasprintf(_("Running: %s"), content_text(k->title))
					     : xstrdup("");
		draw_progress(fy + 3, 1, cols - 2, s->run_done, a->core.cat.nchecks, label);
		free(label);
	}
}

/* The first unit of run-all: every class the checks read, in one request (an
 * agent's batch, as `cmharden check` does), rather than one per class. */
static bool prefetch(ui_app *a, sections *s)
{
	char *err = NULL;
	a->wait_cancelled = false;
	/* prefetched only once it is over: the frame drawn during a late answer
	 * (wizard.c, wait_cancelled) says what is being waited for. */
	int pr = engine_prefetch(&a->core.e, &err);
	s->prefetched = true;
	if (pr < 0 && a->wait_cancelled) {
		ui_drop_cancel_key(a);
		char *why = sanitize_dup(err ? err : "", 300);
		char *body = xasprintf(_("No check ran: %s.\n\nThe checks keep the results they had. To read this site "
					 "again, press R to reconnect (the agent starts afresh), then r."),
				       why);
		ui_alert(a, _("Run cancelled"), body);
		free(body);
		free(why);
		free(err);
		return false;
	}
	/* Otherwise a failed read-ahead is reported per class by the checks. */
	free(err);
	return true;
}

static bool sections_work(ui_app *a, ui_screen *sc)
{
	sections *s = (sections *)sc;
	if (!s->prefetched)
		return prefetch(a, s);
	if (s->run_next >= a->core.cat.nchecks)
		return false;
	app_run_check(a, s->run_next++);
	s->run_done++;
	if (s->run_next >= a->core.cat.nchecks) {
		ui_message(a, R_PASS, _("Ran all %zu checks."), a->core.cat.nchecks);
		return false;
	}
	return true;
}

static void filter_changed(ui_app *a, void *ud, const char *text)
{
	sections *s = ud;
	free(s->filter);
	s->filter = xstrdup(text);
	s->list.cur = s->list.top = 0;
	refilter(a, s);
}

static void filter_done(ui_app *a, void *ud, const char *text)
{
	sections *s = ud;
	filter_changed(a, ud, text ? text : "");
	if (!text)
		ui_message(a, R_DIM, _("Filter cleared."));
	else if (filtering(s))
		ui_message(a, R_DIM, _("Filter kept: / changes it, Esc clears it."));
}

/* A digit: the cursor goes to the section of the number typed so far; a second
 * digit makes a two-digit number when there is such a section. */
static void jump(ui_app *a, sections *s, unsigned digit)
{
	size_t want = s->number * 10 + digit;
	if (!s->number || want > a->core.cat.nsections)
		want = digit;
	if (want < 1 || want > a->core.cat.nsections) {
		s->number = 0;
		ui_message(a, R_WARNING, _("There is no section %u (1 to %zu)."), digit, a->core.cat.nsections);
		return;
	}
	s->number = want;
	if (filtering(s))
		filter_changed(a, s, "");
	s->list.cur = want - 1;
	ui_message(a, R_DIM, _("Section %zu: %s (Enter opens it)"), want,
		   content_text(a->core.cat.sections[want - 1].title));
}

static bool sections_key(ui_app *a, ui_screen *sc, const ui_key *k)
{
	sections *s = (sections *)sc;
	if (k->act == ACT_JUMP) {
		jump(a, s, (unsigned)(k->ch - '0'));
		return true;
	}
	s->number = 0;
	size_t n = filtering(s) ? s->nmatch : a->core.cat.nsections;
	if (list_nav(&s->list, k->act, n, s->page))
		return true;
	switch (k->act) {
	case ACT_OPEN:
		if (!n)
			return true;
		if (filtering(s)) {
			size_t idx = s->match[s->list.cur];
			size_t sec = 0;
			while (sec + 1 < a->core.cat.nsections && a->sec_first[sec + 1] <= idx)
				sec++;
			ui_push(a, screen_section_new(a, sec, false, false));
			ui_push(a, screen_check_new(a, idx));
		} else {
			ui_push(a, screen_section_new(a, s->list.cur, false, true));
		}
		return true;
	case ACT_WALK: {
		/* From the first section that is not fully checked. */
		size_t sec = 0;
		for (; sec < a->core.cat.nsections; sec++) {
			sec_counts c;
			app_section_counts(a, sec, &c);
			if (c.checked < c.total)
				break;
		}
		if (sec == a->core.cat.nsections)
			sec = 0;
		s->list.cur = sec;
		ui_push(a, screen_section_new(a, sec, true, true));
		return true;
	}
	case ACT_RECONNECT:
		if (!s->base.busy)
			app_reconnect(a);
		return true;
	case ACT_RUN:
		if (s->base.busy)
			return true;
		app_refresh(a);
		s->run_next = s->run_done = 0;
		s->prefetched = false;
		s->base.busy = a->core.cat.nchecks > 0;
		return true;
	case ACT_BACK:
		if (s->base.busy) {
			s->base.busy = false;
			ui_message(a, R_WARNING, _("Cancelled after %zu of %zu checks."), s->run_done, a->core.cat.nchecks);
			return true;
		}
		if (filtering(s)) {
			filter_changed(a, s, "");
			return true;
		}
		return false;
	case ACT_FILTER:
		ui_push(a, prompt_new(_("Filter checks:"), s->filter, filter_changed, filter_done, s));
		return true;
	default:
		return false;
	}
}

static bool sections_enabled(ui_app *a, ui_screen *sc, ui_action act)
{
	sections *s = (sections *)sc;
	switch (act) {
	case ACT_RUN:
	case ACT_WALK:
	case ACT_RECONNECT:
		return !s->base.busy;
	default:
		return true;
	}
}

static const char *sections_title(ui_app *a, ui_screen *s)
{
	return _("Sections");
}

static void sections_destroy(ui_screen *sc)
{
	sections *s = (sections *)sc;
	free(s->filter);
	free(s->match);
	baseline_free(s->baseline);
	free(s->base_err);
	free(s);
}

static const screen_ops sections_ops = {
	.name = "sections",
	.scope = SC_SECTIONS | SC_LIST,
	.draw = sections_draw,
	.key = sections_key,
	.enabled = sections_enabled,
	.work = sections_work,
	.title = sections_title,
	.destroy = sections_destroy,
};

ui_screen *screen_sections_new(ui_app *a)
{
	sections *s = xcalloc(1, sizeof *s);
	s->base.ops = &sections_ops;
	s->match = xcalloc(a->core.cat.nchecks ? a->core.cat.nchecks : 1, sizeof *s->match);
	return &s->base;
}
