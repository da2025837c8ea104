/* screen_paths.c — the site by attack path (check/paths.h): for each technique
 * of the knowledge base, whether the checks in its way leave it open, with the
 * checks and their marks underneath. Built from the results the wizard holds;
 * checks that have not run are left out and counted, so the view never claims a
 * path is closed on checks it has not read. */
#include "config.h"
#include "base/i18n.h"
#include "check/paths.h"
#include "content/content_i18n.h"
#include "screens.h"
#include "widget.h"

#include <stdlib.h>
#include <string.h>

typedef struct paths_screen {
	ui_screen base;
	ui_doc doc;
	size_t top;
	int page;
} paths_screen;

static role state_role(path_state s)
{
	static const role r[PATH_STATE_COUNT] = {R_FAIL, R_ATTEST, R_PASS, R_NOT_RUN};
	return r[s];
}

static disp_status disp_of(check_status s)
{
	static const disp_status d[ST_COUNT] = {DS_PASS, DS_FAIL, DS_ERROR, DS_NA, DS_ATTEST, DS_ATTESTED, DS_WAIVED};
	return d[s];
}

static void add_entry(ui_doc *d, const path_entry *e)
{
	strbuf line = STRBUF_INIT;
	path_entry_line(e, &line);
	doc_wrap(d, state_role(e->state), 1, sb_str(&line));
	sb_release(&line);
	doc_wrap(d, R_DIM, 3, content_text(e->t->title));
	for (size_t i = 0; i < e->n; i++) {
		const path_check *pc = &e->checks[i];
		disp_status ds = disp_of(pc->status);
		char *t = xasprintf("%s %-10s %s", G->status[ds], ds_label(ds), pc->chk->id);
		doc_add(d, 0, ds_role(ds), 5, t);
		free(t);
	}
}

static void layout(ui_app *a, paths_screen *p, int cols)
{
	ui_doc *d = &p->doc;
	doc_clear(d);
	d->width = cols;
	size_t n = 0, notrun = 0;
	path_verdict *v = xcalloc(a->core.cat.nchecks ? a->core.cat.nchecks : 1, sizeof *v);
	for (size_t i = 0; i < a->core.cat.nchecks; i++) {
		if (!a->ran[i]) {
			notrun++;
			continue;
		}
		v[n].res = &a->res[i];
		v[n++].status = a->res[i].status;
	}
	path_view pv;
	path_view_build(&pv, &a->core.cat, v, n);
	free(v);
	doc_add(d, 0, R_HEADING, 1, _("The site by attack path"));
	doc_wrap(d, R_NORMAL, 1,
		 _("Each technique of the Misconfiguration Manager knowledge base that reaches a 2007 site, "
		   "with the checks that stand in its way. Open: a check in its way fails. Unanswered: "
		   "none fails, but one still needs your answer. Closed: every check in its way is "
		   "satisfied, waived or does not apply."));
	if (notrun) {
		char *t = xasprintf(ngettext("%zu check has not run yet and is left out: press r on the "
					     "overview to run every check.",
					     "%zu checks have not run yet and are left out: press r on the "
					     "overview to run every check.",
					     notrun),
				    notrun);
		doc_wrap(d, R_WARNING, 1, t);
		free(t);
	}
	strbuf sum = STRBUF_INIT;
	for (int s = 0; s < PATH_STATE_COUNT; s++)
		sb_addf(&sum, "%s%zu %s", s ? ", " : "", pv.counts[s], path_state_label((path_state)s));
	doc_wrap(d, R_HEADING, 1, sb_str(&sum));
	sb_release(&sum);
	for (size_t i = 0; i < pv.n; i++) {
		doc_blank(d);
		add_entry(d, &pv.entries[i]);
	}
	path_view_release(&pv);
}

static void paths_draw(ui_app *a, ui_screen *sc, int y0, int rows, int cols)
{
	paths_screen *p = (paths_screen *)sc;
	if (p->doc.width != cols || !p->doc.n)
		layout(a, p, cols);
	p->page = rows;
	if (p->top + (size_t)rows > p->doc.n)
		p->top = p->doc.n > (size_t)rows ? p->doc.n - (size_t)rows : 0;
	for (int y = 0; y < rows && p->top + (size_t)y < p->doc.n; y++)
		doc_draw_text(&p->doc, p->top + (size_t)y, y0 + y, cols, false);
	if (p->doc.n > (size_t)rows)
		ui_position(a, p->top + (size_t)rows - 1, p->doc.n);
}

static bool paths_key(ui_app *a, ui_screen *sc, const ui_key *k)
{
	paths_screen *p = (paths_screen *)sc;
	switch (k->act) {
	case ACT_UP:
		if (p->top)
			p->top--;
		return true;
	case ACT_DOWN:
		p->top++;
		return true;
	case ACT_PGUP:
		p->top = p->top > (size_t)p->page ? p->top - (size_t)p->page : 0;
		return true;
	case ACT_PGDN:
		p->top += (size_t)p->page;
		return true;
	case ACT_HOME:
		p->top = 0;
		return true;
	case ACT_END:
		p->top = p->doc.n;
		return true;
	case ACT_PATHS:
		return true; /* already here */
	default:
		return screen_default_key(a, sc, k);
	}
}

/* Results change under this screen (a fix, an attestation, a re-run): lay out again. */
static void paths_resumed(ui_app *a, ui_screen *sc)
{
	paths_screen *p = (paths_screen *)sc;
	(void)a;
	doc_clear(&p->doc);
}

static const char *paths_title(ui_app *a, ui_screen *s)
{
	(void)a, (void)s;
	return _("Attack paths");
}

static void paths_destroy(ui_screen *sc)
{
	paths_screen *p = (paths_screen *)sc;
	doc_clear(&p->doc);
	free(p);
}

static const screen_ops paths_ops = {
	.name = "paths",
	.scope = SC_PATHS | SC_LIST,
	.draw = paths_draw,
	.key = paths_key,
	.title = paths_title,
	.resumed = paths_resumed,
	.destroy = paths_destroy,
};

ui_screen *screen_paths_new(ui_app *a)
{
	(void)a;
	paths_screen *p = xcalloc(1, sizeof *p);
	p->base.ops = &paths_ops;
	return &p->base;
}
