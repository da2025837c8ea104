/* screen_doctor.c — the connection doctor (src/check/doctor.c) in the wizard:
 * which data sources the target can read on which site system, which checks
 * cannot be judged without them, and whether changes are accepted. Reached
 * with d from the start screen; the text is the one `cmharden doctor` prints. */
#include "config.h"
#include "base/i18n.h"
#include "check/doctor.h"
#include "screens.h"
#include "widget.h"

#include <stdlib.h>
#include <string.h>

typedef struct doctor_screen {
	ui_screen base;
	ui_doc doc;
	strbuf text; /* doctor_text(): already sanitised */
	bool ok;
	size_t top;
	int page;
} doctor_screen;

static void layout(doctor_screen *s, int cols)
{
	ui_doc *d = &s->doc;
	doc_clear(d);
	d->width = cols;
	doc_blank(d);
	const char *p = sb_str(&s->text);
	while (*p) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		p += n + (p[n] == '\n');
		/* The verdict is the last line; the checks a failure costs are indented. */
		role r = !*p ? (s->ok ? R_HEADING : R_ERROR) : !strncmp(line, "      ", 6) ? R_WARNING : R_NORMAL;
		if (!strncmp(line, "  ", 2) && line[2] != ' ' && n > 37 && line[36] == ' ') {
			/* "  SOURCE (padded to 34) TEXT": the source as a label column. */
			char *label = xstrndup(line + 2, 34);
			for (size_t e = strlen(label); e && label[e - 1] == ' ';)
				label[--e] = '\0';
			doc_labeled(d, label, 34, r, line + 37);
			free(label);
		} else {
			doc_wrap(d, r, 1 + (int)strspn(line, " "), line);
		}
		free(line);
	}
	doc_blank(d);
	doc_wrap(d, R_DIM, 1, _("The same report: cmharden --target ... doctor. Press q or Esc to go back."));
}

static void doctor_draw(ui_app *a, ui_screen *sc, int y0, int rows, int cols)
{
	doctor_screen *s = (doctor_screen *)sc;
	if (s->doc.width != cols || !s->doc.n)
		layout(s, cols);
	s->page = rows;
	if (s->top + (size_t)rows > s->doc.n)
		s->top = s->doc.n > (size_t)rows ? s->doc.n - (size_t)rows : 0;
	for (int y = 0; y < rows && s->top + (size_t)y < s->doc.n; y++)
		doc_draw_text(&s->doc, s->top + (size_t)y, y0 + y, cols, false);
	if (s->doc.n > (size_t)rows)
		ui_position(a, s->top + (size_t)rows - 1, s->doc.n);
}

static bool doctor_key(ui_app *a, ui_screen *sc, const ui_key *k)
{
	doctor_screen *s = (doctor_screen *)sc;
	(void)a;
	switch (k->act) {
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

static const char *doctor_title(ui_app *a, ui_screen *s)
{
	(void)a;
	(void)s;
	return _("Connection doctor");
}

static void doctor_destroy(ui_screen *sc)
{
	doctor_screen *s = (doctor_screen *)sc;
	doc_clear(&s->doc);
	sb_release(&s->text);
	free(s);
}

static const screen_ops doctor_ops = {
	.name = "doctor",
	.scope = SC_LIST,
	.draw = doctor_draw,
	.key = doctor_key,
	.title = doctor_title,
	.destroy = doctor_destroy,
};

ui_screen *screen_doctor_new(ui_app *a)
{
	doctor_screen *s = xcalloc(1, sizeof *s);
	s->base.ops = &doctor_ops;
	doctor_report r;
	s->ok = doctor_run(a->core.t, &a->core.cat, &r) == 0;
	doctor_text(&r, &s->text);
	doctor_release(&r);
	return &s->base;
}
