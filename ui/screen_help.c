/* screen_help.c — the keys of the screen help was asked on, generated from
 * the keymap (so it cannot disagree with what the keys do), the meaning of the
 * status marks, and how the score is counted. */
#include "config.h"
#include "base/i18n.h"
#include "screens.h"
#include "widget.h"

#include <stdlib.h>
#include <string.h>

typedef struct help {
	ui_screen base;
	unsigned scope;    /* of the screen help is about */
	ui_screen *of;
	char *of_title;
	ui_doc doc;
	size_t top;
	int page;
} help;

/* Adds one line per action bound in `want` (and not in `except`), keys joined. */
static void add_keys(ui_app *a, help *h, unsigned want, unsigned except, int keyw)
{
	size_t n;
	const binding *b = keymap_bindings(&n);
	bool done[ACT_COUNT] = {false};
	for (size_t i = 0; i < n; i++) {
		ui_action act = b[i].act;
		if (!(b[i].scopes & want) || (b[i].scopes & except) || done[act])
			continue;
		done[act] = true;
		strbuf keys = STRBUF_INIT;
		const char *desc = NULL;
		for (size_t j = i; j < n; j++) {
			if (b[j].act != act || !(b[j].scopes & want) || (b[j].scopes & except))
				continue;
			/* Only keys that reach this action here (not shadowed by an earlier binding). */
			if (keymap_lookup(h->scope, b[j].key, b[j].fkey) != act)
				continue;
			const char *kn = key_label(b[j].key, b[j].fkey);
			/* Enter and the keypad's Enter have one name: list it once. */
			bool dup = false;
			for (const char *p = sb_str(&keys); *p && !dup; p += strcspn(p, " "), p += *p == ' ')
				dup = !strncmp(p, kn, strlen(kn)) && (p[strlen(kn)] == ' ' || !p[strlen(kn)]);
			if (dup)
				continue;
			if (keys.len)
				sb_adds(&keys, " ");
			sb_adds(&keys, kn);
			if (!desc && b[j].help)
				desc = _(b[j].help);
		}
		/* Ten digit keys make one entry, not a column ten keys wide. */
		if (act == ACT_JUMP && keys.len) {
			sb_reset(&keys);
			sb_adds(&keys, "0-9");
		}
		if (keys.len) {
			bool enabled = !h->of->ops->enabled || h->of->ops->enabled(a, h->of, act);
			char *line = xasprintf("%s%s", desc ? desc : action_help(act),
					       enabled ? "" : _(" (not available now)"));
			/* Wrapped, never cut: a translation may be longer than the line. */
			size_t first = h->doc.n;
			doc_wrap(&h->doc, enabled ? R_NORMAL : R_DIM, keyw + 4, line);
			if (h->doc.n > first)
				h->doc.l[first].label = sb_detach(&keys);
			free(line);
		}
		sb_release(&keys);
	}
}

static void layout(ui_app *a, help *h, int cols)
{
	ui_doc *d = &h->doc;
	doc_clear(d);
	d->width = cols;
	/* The key column is as wide as its widest entry (within reason). */
	int keyw = 12;
	size_t nb;
	const binding *bs = keymap_bindings(&nb);
	for (ui_action act = ACT_NONE + 1; act < ACT_COUNT; act++) {
		int w = -1;
		if (act == ACT_JUMP)
			continue; /* "0-9" */
		for (size_t i = 0; i < nb; i++)
			if (bs[i].act == act && (bs[i].scopes & h->scope) && keymap_lookup(h->scope, bs[i].key, bs[i].fkey) == act)
				w += text_width(key_label(bs[i].key, bs[i].fkey)) + 1;
		if (w > keyw)
			keyw = w;
	}
	if (keyw > 20)
		keyw = 20;
	char *t = xasprintf(_("Keys on this screen (%s)"), h->of_title);
	doc_add(d, 0, R_HEADING, 1, t);
	free(t);
	if (h->of->ops->about) {
		doc_wrap(d, R_NORMAL, 3, h->of->ops->about(a, h->of));
		doc_blank(d);
	}
	unsigned own = h->scope & ~(SC_GLOBAL | SC_LIST);
	add_keys(a, h, own, 0, keyw);
	if (h->scope & SC_LIST) {
		doc_blank(d);
		doc_add(d, 0, R_HEADING, 1, _("Moving around"));
		add_keys(a, h, SC_LIST, own, keyw);
	}
	if (h->scope & SC_GLOBAL) {
		doc_blank(d);
		doc_add(d, 0, R_HEADING, 1, _("Everywhere"));
		add_keys(a, h, SC_GLOBAL, own | SC_LIST, keyw);
	}
	doc_blank(d);
	doc_add(d, 0, R_HEADING, 1, _("Status marks"));
	static const char *const what[DS_COUNT] = {
		N_("the check has not run yet"),
		N_("the site meets the practice"),
		N_("the site does not meet the practice: see the offending objects"),
		N_("the check could not be evaluated (the reason is shown)"),
		N_("not applicable: the role or feature is absent"),
		N_("the site cannot answer this alone: judge the evidence and attest"),
		N_("attested by an operator, with a note"),
		N_("waived by an operator, with a reason and an expiry date"),
	};
	/* The label column is as wide as the widest status word, which in German
	 * ("nicht bestanden") is wider than any key; the meanings are wrapped, never
	 * cut, like the keys' descriptions. */
	char *lab[DS_COUNT];
	int statw = keyw;
	for (int i = 0; i < DS_COUNT; i++) {
		lab[i] = xasprintf("%s %s", G->status[i], ds_label((disp_status)i));
		if (text_width(lab[i]) > statw)
			statw = text_width(lab[i]);
	}
	if (statw > 24)
		statw = 24;
	for (int i = 0; i < DS_COUNT; i++) {
		size_t first = d->n;
		doc_wrap(d, R_NORMAL, statw + 4, _(what[i]));
		if (d->n > first)
			d->l[first].label = lab[i];
		else
			free(lab[i]);
	}
	doc_blank(d);
	doc_add(d, 0, R_HEADING, 1, _("Score"));
	doc_wrap(d, R_NORMAL, 3,
		 _("The score is the share of checks with a verdict that are satisfied (pass or attested). "
		   "Failures, errors and unanswered questions count against it; checks that are not "
		   "applicable or are waived are not counted."));
	doc_blank(d);
	doc_wrap(d, R_DIM, 1, _("Press q or Esc to close this help."));
}

static void help_draw(ui_app *a, ui_screen *sc, int y0, int rows, int cols)
{
	help *h = (help *)sc;
	if (h->doc.width != cols || !h->doc.n)
		layout(a, h, cols);
	h->page = rows;
	if (h->top + (size_t)rows > h->doc.n)
		h->top = h->doc.n > (size_t)rows ? h->doc.n - (size_t)rows : 0;
	for (int y = 0; y < rows && h->top + (size_t)y < h->doc.n; y++) {
		const doc_line *l = &h->doc.l[h->top + (size_t)y];
		if (l->label)
			draw_text(y0 + y, 3, l->indent - 4, l->label, R_HEADING, true);
		draw_text(y0 + y, l->indent, cols - l->indent - 1, l->text, l->r, true);
	}
	if (h->doc.n > (size_t)rows)
		ui_position(a, h->top + (size_t)rows - 1, h->doc.n);
}

static bool help_key(ui_app *a, ui_screen *sc, const ui_key *k)
{
	help *h = (help *)sc;
	switch (k->act) {
	case ACT_UP:
		if (h->top)
			h->top--;
		return true;
	case ACT_DOWN:
		h->top++;
		return true;
	case ACT_PGUP:
		h->top = h->top > (size_t)h->page ? h->top - (size_t)h->page : 0;
		return true;
	case ACT_PGDN:
		h->top += (size_t)h->page;
		return true;
	case ACT_HOME:
		h->top = 0;
		return true;
	case ACT_END:
		h->top = h->doc.n;
		return true;
	case ACT_HELP:
		return true; /* already here */
	default:
		return false;
	}
}

static const char *help_title(ui_app *a, ui_screen *s)
{
	return _("Help");
}

static void help_destroy(ui_screen *sc)
{
	help *h = (help *)sc;
	doc_clear(&h->doc);
	free(h->of_title);
	free(h);
}

static const screen_ops help_ops = {
	.name = "help",
	.scope = SC_HELP | SC_LIST,
	.draw = help_draw,
	.key = help_key,
	.title = help_title,
	.destroy = help_destroy,
};

ui_screen *screen_help_new(ui_app *a, ui_screen *of)
{
	help *h = xcalloc(1, sizeof *h);
	h->base.ops = &help_ops;
	h->of = of;
	h->scope = of->ops->scope | (of->ops->overlay ? 0u : SC_GLOBAL);
	const char *t = of->ops->title ? of->ops->title(a, of) : NULL;
	h->of_title = xstrdup(t ? t : of->ops->name);
	return &h->base;
}
