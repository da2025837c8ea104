/* widget_dialog.c — modal boxes: a title, wrapped text that scrolls when it
 * is longer than the screen, and a row of buttons. The dialog is a screen of
 * its own drawn over the one below, so resizing and help work as anywhere. */
#include "config.h"
#include "widget.h"
#include "base/i18n.h"

#include <stdlib.h>
#include <string.h>

typedef struct dialog {
	ui_screen base;
	char *title, *body;
	char **buttons;
	int nbuttons, focus;
	dialog_fn fn;
	void *ud;
	size_t scroll, nlines;
	int page;
} dialog;

static void dialog_destroy(ui_screen *s)
{
	dialog *d = (dialog *)s;
	free(d->title);
	free(d->body);
	for (int i = 0; i < d->nbuttons; i++)
		free(d->buttons[i]);
	free(d->buttons);
	free(d);
}

/* Draws the button row centred in [x, x+w). */
static void draw_buttons(char *const *buttons, int n, int focus, int y, int x, int w)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total += text_width(buttons[i]) + 4 + (i ? 2 : 0);
	int bx = x + (w - total) / 2;
	if (bx < x)
		bx = x;
	for (int i = 0; i < n; i++) {
		if (i)
			bx += 2;
		role r = i == focus ? R_BUTTON_FOCUS : R_BUTTON;
		int bw = text_width(buttons[i]) + 4;
		if (bx + bw > x + w)
			break;
		draw_text(y, bx, 2, "[ ", r, false);
		draw_text(y, bx + 2, bw - 4, buttons[i], r, false);
		draw_text(y, bx + bw - 2, 2, " ]", r, false);
		bx += bw;
	}
}

static void dialog_draw(ui_app *a, ui_screen *s, int y0, int rows, int cols)
{
	dialog *d = (dialog *)s;
	int w = cols - 4 < 72 ? cols - 4 : 72;
	int inner = w - 4;
	wrapped wr = {0};
	wrap_text(&wr, d->body, inner);
	d->nlines = wr.n;
	/* title row, blank, body, blank, buttons, borders */
	int maxbody = rows - 2 - 6;
	int body = (int)wr.n < maxbody ? (int)wr.n : maxbody;
	if (body < 1)
		body = 1;
	d->page = body;
	if (d->scroll + (size_t)body > wr.n)
		d->scroll = wr.n > (size_t)body ? wr.n - (size_t)body : 0;
	int h = body + 6;
	int y = y0 + (rows - h) / 2, x = (cols - w) / 2;
	for (int j = 0; j < h; j++)
		draw_fill(y + j, x, w, R_DIALOG);
	draw_box(y, x, h, w, R_DIALOG);
	int tw = text_width(d->title);
	if (tw > w - 6)
		tw = w - 6;
	draw_text(y, x + (w - tw - 2) / 2, 1, " ", R_DIALOG_TITLE, false);
	draw_text(y, x + (w - tw) / 2, tw, d->title, R_DIALOG_TITLE, true);
	draw_text(y, x + (w + tw) / 2, 1, " ", R_DIALOG_TITLE, false);
	for (int j = 0; j < body && d->scroll + (size_t)j < wr.n; j++)
		draw_text(y + 2 + j, x + 2, inner, wr.lines[d->scroll + (size_t)j], R_DIALOG, true);
	if (wr.n > (size_t)body)
		draw_position(y + h - 1, x + 1, w - 2, d->scroll + (size_t)body - 1, wr.n, R_DIALOG);
	draw_buttons(d->buttons, d->nbuttons, d->focus, y + h - 2, x + 1, w - 2);
	wrapped_release(&wr);
}

static void dialog_finish(ui_app *a, dialog *d, int button)
{
	dialog_fn fn = d->fn;
	void *ud = d->ud;
	ui_pop(a); /* frees d */
	if (fn)
		fn(a, ud, button);
}

static bool dialog_key(ui_app *a, ui_screen *s, const ui_key *k)
{
	dialog *d = (dialog *)s;
	switch (k->act) {
	case ACT_ACCEPT:
		dialog_finish(a, d, d->focus);
		return true;
	case ACT_YES:
		dialog_finish(a, d, 0);
		return true;
	case ACT_NO:
	case ACT_BACK:
		dialog_finish(a, d, -1);
		return true;
	case ACT_NEXT_FIELD:
		d->focus = (d->focus + 1) % d->nbuttons;
		return true;
	case ACT_PREV_FIELD:
		d->focus = (d->focus + d->nbuttons - 1) % d->nbuttons;
		return true;
	case ACT_UP:
		if (d->scroll)
			d->scroll--;
		return true;
	case ACT_DOWN:
		d->scroll++;
		return true;
	case ACT_PGUP:
		d->scroll = d->scroll > (size_t)d->page ? d->scroll - (size_t)d->page : 0;
		return true;
	case ACT_PGDN:
		d->scroll += (size_t)d->page;
		return true;
	default:
		return false;
	}
}

static const char *dialog_title(ui_app *a, ui_screen *s)
{
	return ((dialog *)s)->title;
}

static const screen_ops dialog_ops = {
	.name = "dialog",
	.scope = SC_DIALOG,
	.overlay = true,
	.draw = dialog_draw,
	.key = dialog_key,
	.title = dialog_title,
	.destroy = dialog_destroy,
};

ui_screen *dialog_new(const char *title, const char *body, const char *const *buttons, int nbuttons,
		      int focus, dialog_fn fn, void *ud)
{
	dialog *d = xcalloc(1, sizeof *d);
	d->base.ops = &dialog_ops;
	d->title = xstrdup(title);
	d->body = xstrdup(body ? body : "");
	d->nbuttons = nbuttons;
	d->buttons = xcalloc((size_t)nbuttons, sizeof *d->buttons);
	for (int i = 0; i < nbuttons; i++)
		d->buttons[i] = xstrdup(buttons[i]);
	d->focus = focus;
	d->fn = fn;
	d->ud = ud;
	return &d->base;
}

void ui_alert(ui_app *a, const char *title, const char *body)
{
	const char *ok[] = {_("OK")};
	ui_push(a, dialog_new(title, body, ok, 1, 0, NULL, NULL));
}

/* Exported for the form dialogs. */
void dialog_draw_buttons(char *const *buttons, int n, int focus, int y, int x, int w)
{
	draw_buttons(buttons, n, focus, y, x, w);
}
