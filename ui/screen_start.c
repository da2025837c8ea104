/* screen_start.c — the first screen: what cmharden is about to work on (target,
 * site, roles), the checklist's own warning, and for a training lab its
 * briefing; and when the site was checked before, the latest results, reopened
 * as they were. Enter continues to the sections; w starts walking the
 * checklist; r runs every check again. */
#include "config.h"
#include "content/content_i18n.h"
#include "base/i18n.h"
#include "base/sanitize.h"
#include "screens.h"
#include "widget.h"

#include <stdlib.h>
#include <string.h>

typedef struct start {
	ui_screen base;
	ui_doc doc;
	size_t top;
	int page;
} start;

static int max_label(const char *const *labels, size_t n)
{
	int w = 0;
	for (size_t i = 0; i < n; i++)
		if (text_width(labels[i]) > w)
			w = text_width(labels[i]);
	return w;
}

/* What the journal says before anything starts: a recovery report when a
 * crash left changes unfinished, what still blocks new changes, and what
 * earlier sessions left in force. */
static void add_journal(ui_app *a, ui_doc *d)
{
	bool any = false;
	if (a->journal_err) {
		char *m = xasprintf(_("The journal could not be read: %s"), a->journal_err);
		doc_wrap(d, R_ERROR, 1, m);
		free(m);
		any = true;
	}
	const reconcile_report *r = &a->core.recovered;
	if (r->applied + r->not_applied + r->conflicts) {
		char *m = xasprintf(_("Recovery: the last run stopped while changing the site. The journal was checked "
				      "against the site: %zu change(s) had been made, %zu had not, %zu are in conflict."),
				    r->applied, r->not_applied, r->conflicts);
		doc_wrap(d, R_WARNING, 1, m);
		free(m);
		any = true;
	}
	if (a->core.nunresolved) {
		char *m = xasprintf(ngettext("%zu change has no known outcome. Nothing new may change on this site until "
					     "it is resolved: press J, move to it and press R.",
					     "%zu changes have no known outcome. Nothing new may change on this site until "
					     "each is resolved: press J, move to each and press R.",
					     a->core.nunresolved),
				    a->core.nunresolved);
		doc_wrap(d, R_ERROR, 1, m);
		free(m);
		for (size_t i = 0; i < a->core.nunresolved && i < 5; i++) {
			const jchange *c = &a->core.unresolved[i];
			char *k = sanitize_dup(c->key, 100);
			char *l = xasprintf("#%lld %s %s %s (%s)", (long long)c->id, c->cls, k, c->prop,
					    c->state == CH_CONFLICT ? _("conflict") : _("planned"));
			doc_wrap(d, R_NORMAL, 3, l);
			free(l);
			free(k);
		}
		any = true;
	}
	if (a->reopened) {
		char *at = xstrndup(a->reopened_taken ? a->reopened_taken : "", 19);
		if (strlen(at) > 10)
			at[10] = ' ';
		/* The time first, on a line of its own: it must never wrap apart. */
		char *m = xasprintf(_("Results taken %s UTC: %zu of %zu checks (session %lld)."), at,
				    a->reopened_checks, a->core.cat.nchecks, (long long)a->reopened);
		doc_wrap(d, R_HEADING, 1, m);
		free(m);
		doc_wrap(d, R_NORMAL, 1,
			 _("These latest results of this site are open as they were; a check is read again when "
			   "you open it. Press r to run every check again now."));
		free(at);
		any = true;
	}
	if (a->core.j) {
		char *err = NULL;
		char *site = journal_site_identity(a->core.t);
		int64_t s = journal_last_undoable_session(a->core.j, a->core.t->spec, site, &err);
		free(site);
		free(err);
		if (s > 0) {
			char *m = xasprintf(_("Earlier sessions changed this site (the newest: session %lld) and those "
					      "changes are still applied. J shows them and can undo them."),
					    (long long)s);
			doc_wrap(d, R_NORMAL, 1, m);
			free(m);
			any = true;
		}
		if (a->nverd) {
			char *m = xasprintf(ngettext("%zu attestation or waiver recorded earlier applies to this site.",
						     "%zu attestations and waivers recorded earlier apply to this site.",
						     a->nverd),
					    a->nverd);
			doc_wrap(d, R_NORMAL, 1, m);
			free(m);
			any = true;
		}
	}
	if (any)
		doc_blank(d);
}

static void layout(ui_app *a, start *s, int cols)
{
	ui_doc *d = &s->doc;
	doc_clear(d);
	d->width = cols;
	const site_info *si = &a->core.e.site;
	const char *labels[] = {_("Target"), _("Site"), _("Version"), _("Roles")};
	int lw = max_label(labels, ARRAY_SIZE(labels));
	doc_blank(d);
	doc_wrap(d, R_HEADING, 1, content_text(a->core.cat.title));
	doc_blank(d);
	char *spec = sanitize_dup(a->core.t->spec, 200);
	char *line = a->core.t->readonly ? xasprintf(_("%s (read-only)"), spec) : xstrdup(spec);
	doc_labeled(d, labels[0], lw, R_NORMAL, line);
	free(line);
	free(spec);
	char *code = sanitize_dup(si->code ? si->code : "?", 16), *name = sanitize_dup(si->name ? si->name : "", 200),
	     *server = sanitize_dup(si->server ? si->server : "?", 200);
	line = xasprintf(_("%s %s %s, site server %s"), code, G->bullet, name, server);
	doc_labeled(d, labels[1], lw, R_NORMAL, line);
	free(line);
	free(code);
	free(name);
	free(server);
	char *ver = sanitize_dup(si->version ? si->version : "?", 64),
	     *build = sanitize_dup(si->build && *si->build ? si->build : "?", 64);
	line = si->mode && !strcmp(si->mode, "native") ? xasprintf(_("%s (build %s), native mode"), ver, build)
						       : xasprintf(_("%s (build %s), mixed mode"), ver, build);
	doc_labeled(d, labels[2], lw, R_NORMAL, line);
	free(line);
	free(ver);
	free(build);
	if (a->nroles == 0)
		doc_labeled(d, labels[3], lw, R_DIM, _("(the site control file lists no site systems)"));
	for (size_t i = 0; i < a->nroles; i++)
		doc_labeled(d, i == 0 ? labels[3] : "", lw, R_NORMAL, a->roles[i]);
	doc_blank(d);
	add_journal(a, d);
	char *warn = xasprintf("%s %s", G->status[DS_ERROR], a->core.cat.warning ? content_text(a->core.cat.warning) : "");
	doc_wrap(d, R_WARNING, 1, warn);
	free(warn);
	doc_blank(d);
	if (a->briefing) {
		doc_wrap(d, R_HEADING, 1, _("Training lab briefing"));
		doc_wrap(d, R_NORMAL, 1, a->briefing);
		doc_blank(d);
	}
	if (a->ngoals) {
		doc_wrap(d, R_HEADING, 1, _("Goals of this lab ('cmharden lab score' shows what is left)"));
		for (size_t i = 0; i < a->ngoals; i++) {
			/* title and wanted states, then the note indented */
			char *nl = strchr(a->goals[i], '\n');
			char *head = nl ? xstrndup(a->goals[i], (size_t)(nl - a->goals[i])) : xstrdup(a->goals[i]);
			char *item = xasprintf("%zu. %s", i + 1, head);
			char *clean = sanitize_dup(item, 0);
			doc_wrap(d, R_NORMAL, 1, clean);
			if (nl) {
				char *note = sanitize_dup(nl + 1, 0);
				doc_wrap(d, R_DIM, 4, note);
				free(note);
			}
			free(clean);
			free(item);
			free(head);
		}
		doc_blank(d);
	}
	if (a->core.cat.intro) {
		doc_wrap(d, R_HEADING, 1, _("How the wizard works"));
		doc_wrap(d, R_NORMAL, 1, content_text(a->core.cat.intro));
		doc_blank(d);
	}
	doc_wrap(d, R_DIM, 1,
		 _("Press Enter to see the sections of the checklist, or w to walk through them one after "
		   "another. Nothing is changed on the site without a preview and your confirmation."));
}

static void start_draw(ui_app *a, ui_screen *sc, int y0, int rows, int cols)
{
	start *s = (start *)sc;
	if (s->doc.width != cols || !s->doc.n)
		layout(a, s, cols);
	s->page = rows;
	if (s->top + (size_t)rows > s->doc.n)
		s->top = s->doc.n > (size_t)rows ? s->doc.n - (size_t)rows : 0;
	for (int y = 0; y < rows && s->top + (size_t)y < s->doc.n; y++)
		doc_draw_text(&s->doc, s->top + (size_t)y, y0 + y, cols, false);
	if (s->doc.n > (size_t)rows)
		ui_position(a, s->top + (size_t)rows - 1, s->doc.n);
}

static bool start_key(ui_app *a, ui_screen *sc, const ui_key *k)
{
	start *s = (start *)sc;
	switch (k->act) {
	case ACT_CONTINUE:
		ui_replace(a, sc, screen_sections_new(a));
		return true;
	case ACT_WALK:
		ui_replace(a, sc, screen_sections_new(a));
		ui_push(a, screen_section_new(a, 0, true, true));
		return true;
	case ACT_RESUME: {
		/* Re-run: every check afresh, in a session of its own, from the overview. */
		ui_screen *next = screen_sections_new(a);
		ui_replace(a, sc, next);
		app_new_session(a);
		ui_key run = {.act = ACT_RUN};
		next->ops->key(a, next, &run);
		return true;
	}
	case ACT_DOCTOR:
		ui_push(a, screen_doctor_new(a));
		return true;
	case ACT_RECONNECT:
		app_reconnect(a);
		return true;
	case ACT_UP:
		if (s->top)
			s->top--;
		return true;
	case ACT_DOWN:
		s->top++;
		return true;
	case ACT_PGUP:
		s->top = s->top > (size_t)s->page ? s->top - (size_t)s->page : 0;
		return true;
	case ACT_PGDN:
		s->top += (size_t)s->page;
		return true;
	case ACT_HOME:
		s->top = 0;
		return true;
	case ACT_END:
		s->top = s->doc.n;
		return true;
	default:
		return false;
	}
}

static const char *start_title(ui_app *a, ui_screen *s)
{
	return _("Start");
}

static void start_destroy(ui_screen *sc)
{
	start *s = (start *)sc;
	doc_clear(&s->doc);
	free(s);
}

static bool start_enabled(ui_app *a, ui_screen *sc, ui_action act)
{
	return act != ACT_RESUME || a->reopened > 0;
}

static const screen_ops start_ops = {
	.name = "start",
	.scope = SC_START | SC_LIST,
	.draw = start_draw,
	.key = start_key,
	.enabled = start_enabled,
	.title = start_title,
	.destroy = start_destroy,
};

ui_screen *screen_start_new(ui_app *a)
{
	start *s = xcalloc(1, sizeof *s);
	s->base.ops = &start_ops;
	return &s->base;
}
