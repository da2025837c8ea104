/* widget_input.c — a one-line text editor, the forms built from it (attest
 * note, waiver), and the bottom-line prompt of / filters.
 *
 * Text is kept as wide characters while it is edited and handed out as UTF-8.
 * Only printable characters are accepted (no control characters can be typed
 * into a note that ends up in the journal and in reports); on a non-UTF-8
 * terminal only ASCII is. */
#include "config.h"
#include "widget.h"
#include "base/i18n.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#define CTRL(c) ((c) & 0x1f)


static void utf8_put(strbuf *sb, uint32_t c)
{
	char b[4];
	if (c < 0x80) {
		sb_addc(sb, (char)c);
		return;
	}
	if (c < 0x800) {
		b[0] = (char)(0xC0 | (c >> 6));
		b[1] = (char)(0x80 | (c & 0x3F));
		sb_add(sb, b, 2);
	} else if (c < 0x10000) {
		b[0] = (char)(0xE0 | (c >> 12));
		b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		b[2] = (char)(0x80 | (c & 0x3F));
		sb_add(sb, b, 3);
	} else {
		b[0] = (char)(0xF0 | (c >> 18));
		b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		b[3] = (char)(0x80 | (c & 0x3F));
		sb_add(sb, b, 4);
	}
}

static char *wide_to_utf8(const wchar_t *w, size_t n)
{
	strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "");
	for (size_t i = 0; i < n; i++)
		utf8_put(&sb, (uint32_t)w[i]);
	return sb_detach(&sb);
}

static void input_insert(ui_input *in, wchar_t c)
{
	if (in->max && in->len >= in->max)
		return;
	GROW(in->buf, in->cap, in->len + 2);
	memmove(in->buf + in->cur + 1, in->buf + in->cur, (in->len - in->cur) * sizeof *in->buf);
	in->buf[in->cur++] = c;
	in->len++;
	in->buf[in->len] = L'\0';
}

void input_init(ui_input *in, const char *initial, size_t max)
{
	memset(in, 0, sizeof *in);
	in->max = max;
	GROW(in->buf, in->cap, 1);
	in->buf[0] = L'\0';
	if (initial) {
		/* Decode UTF-8 ourselves: the text is UTF-8 whatever the locale. */
		const unsigned char *p = (const unsigned char *)initial;
		while (*p) {
			uint32_t c = *p;
			size_t n = 1;
			if (c >= 0xF0 && p[1] && p[2] && p[3]) {
				c = ((c & 7u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
				n = 4;
			} else if (c >= 0xE0 && p[1] && p[2]) {
				c = ((c & 0xFu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
				n = 3;
			} else if (c >= 0xC0 && p[1]) {
				c = ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
				n = 2;
			}
			input_insert(in, (wchar_t)c);
			p += n;
		}
	}
}

void input_release(ui_input *in)
{
	free(in->buf);
	memset(in, 0, sizeof *in);
}

char *input_text(const ui_input *in)
{
	return wide_to_utf8(in->buf, in->len);
}

char *input_slice(const ui_input *in, size_t from, size_t to)
{
	return wide_to_utf8(in->buf + from, to - from);
}

bool input_key(ui_input *in, const ui_key *k)
{
	if (k->fkey) {
		switch (k->ch) {
		case KEY_LEFT:
			if (in->cur)
				in->cur--;
			return true;
		case KEY_RIGHT:
			if (in->cur < in->len)
				in->cur++;
			return true;
		case KEY_HOME:
			in->cur = 0;
			return true;
		case KEY_END:
			in->cur = in->len;
			return true;
		case KEY_BACKSPACE:
			goto backspace;
		case KEY_DC:
			if (in->cur < in->len) {
				memmove(in->buf + in->cur, in->buf + in->cur + 1, (in->len - in->cur) * sizeof *in->buf);
				in->len--;
			}
			return true;
		default:
			return false;
		}
	}
	switch (k->ch) {
	case 127:
	case CTRL('h'):
	backspace:
		if (in->cur) {
			memmove(in->buf + in->cur - 1, in->buf + in->cur, (in->len - in->cur + 1) * sizeof *in->buf);
			in->cur--;
			in->len--;
		}
		return true;
	case CTRL('a'):
		in->cur = 0;
		return true;
	case CTRL('e'):
		in->cur = in->len;
		return true;
	case CTRL('u'):
		memmove(in->buf, in->buf + in->cur, (in->len - in->cur + 1) * sizeof *in->buf);
		in->len -= in->cur;
		in->cur = 0;
		return true;
	case CTRL('w'): {
		size_t c = in->cur;
		while (c && in->buf[c - 1] == L' ')
			c--;
		while (c && in->buf[c - 1] != L' ')
			c--;
		memmove(in->buf + c, in->buf + in->cur, (in->len - in->cur + 1) * sizeof *in->buf);
		in->len -= in->cur - c;
		in->cur = c;
		return true;
	}
	default:
		break;
	}
	if (k->ch < 0x20 || k->ch == 0x7F || (k->ch >= 0x80 && k->ch < 0xA0) || !iswprint(k->ch))
		return false;
	if (!ui_utf8 && k->ch >= 0x80)
		return true; /* swallowed: the terminal cannot show it */
	input_insert(in, (wchar_t)k->ch);
	return true;
}

static int wide_width(const wchar_t *w, size_t n)
{
	char *s = wide_to_utf8(w, n);
	int r = text_width(s);
	free(s);
	return r;
}

void input_draw(ui_input *in, int y, int x, int w, role r, bool focused)
{
	if (w < 2)
		return;
	if (in->cur < in->off)
		in->off = in->cur;
	while (in->off < in->cur && wide_width(in->buf + in->off, in->cur - in->off) >= w)
		in->off++;
	draw_fill(y, x, w, r);
	char *s = wide_to_utf8(in->buf + in->off, in->len - in->off);
	draw_text(y, x, w, s, r, false);
	free(s);
	if (focused) {
		ui_cursor_y = y;
		ui_cursor_x = x + wide_width(in->buf + in->off, in->cur - in->off);
	}
}

/* ---- forms ---- */

typedef struct form {
	ui_screen base;
	char *title, *body;
	int nfields;
	char **labels, **initial;
	int *lines; /* rows of each field: 1 a line editor, more a text area */
	ui_input *in;
	char **buttons; /* the caller's, then Cancel */
	int nbuttons;
	int focus; /* 0..n-1 fields, then the buttons */
	int inner; /* the width of the fields, as last drawn */
	form_fn fn;
	void *ud;
} form;

static void form_destroy(ui_screen *s)
{
	form *f = (form *)s;
	for (int i = 0; i < f->nfields; i++) {
		free(f->labels[i]);
		free(f->initial[i]);
		input_release(&f->in[i]);
	}
	for (int i = 0; i < f->nbuttons; i++)
		free(f->buttons[i]);
	free(f->buttons);
	free(f->labels);
	free(f->initial);
	free(f->lines);
	free(f->in);
	free(f->title);
	free(f->body);
	free(f->ud); /* the form owns its caller's data (see widget.h) */
	free(f);
}

static void form_draw(ui_app *a, ui_screen *s, int y0, int rows, int cols)
{
	form *f = (form *)s;
	int w = cols - 4 < 72 ? cols - 4 : 72;
	int inner = w - 4;
	f->inner = inner;
	wrapped wr = {0};
	wrap_text(&wr, f->body, inner);
	int fixed = 2 + 1 + 2;
	for (int i = 0; i < f->nfields; i++)
		fixed += 1 + f->lines[i];
	int body = (int)wr.n;
	if (body > rows - 2 - fixed)
		body = rows - 2 - fixed;
	if (body < 0)
		body = 0;
	int h = fixed + body + (body ? 1 : 0);
	int y = y0 + (rows - h) / 2, x = (cols - w) / 2;
	for (int j = 0; j < h; j++)
		draw_fill(y + j, x, w, R_DIALOG);
	draw_box(y, x, h, w, R_DIALOG);
	int tw = text_width(f->title);
	if (tw > w - 6)
		tw = w - 6;
	draw_text(y, x + (w - tw - 2) / 2, 1, " ", R_DIALOG_TITLE, false);
	draw_text(y, x + (w - tw) / 2, tw, f->title, R_DIALOG_TITLE, true);
	draw_text(y, x + (w + tw) / 2, 1, " ", R_DIALOG_TITLE, false);
	int cy = y + 1;
	for (int j = 0; j < body; j++)
		draw_text(cy++, x + 2, inner, wr.lines[j], R_DIALOG, true);
	if (body)
		cy++;
	for (int i = 0; i < f->nfields; i++) {
		draw_text(cy++, x + 2, inner, f->labels[i], i == f->focus ? R_DIALOG_TITLE : R_DIALOG, true);
		if (f->lines[i] > 1)
			textarea_draw(&f->in[i], cy, x + 2, inner, f->lines[i], R_INPUT, i == f->focus);
		else
			input_draw(&f->in[i], cy, x + 2, inner, R_INPUT, i == f->focus);
		cy += f->lines[i];
	}
	int bf = f->focus >= f->nfields ? f->focus - f->nfields : -1;
	dialog_draw_buttons(f->buttons, f->nbuttons, bf, y + h - 2, x + 1, w - 2);
	wrapped_release(&wr);
}

/* button: the caller's button, or -1 (Cancel, Esc). */
static void form_finish(ui_app *a, form *f, int button)
{
	if (button < 0 || button >= f->nbuttons - 1) {
		f->fn(a, f->ud, NULL, -1);
		ui_remove(a, &f->base);
		return;
	}
	char **vals = xcalloc((size_t)f->nfields, sizeof *vals);
	for (int i = 0; i < f->nfields; i++)
		vals[i] = input_text(&f->in[i]);
	bool close = f->fn(a, f->ud, vals, button);
	for (int i = 0; i < f->nfields; i++)
		free(vals[i]);
	free(vals);
	if (close)
		ui_remove(a, &f->base);
}

/* Text typed into a field and not yet recorded. */
static bool form_unsaved(ui_app *a, ui_screen *s)
{
	form *f = (form *)s;
	bool changed = false;
	for (int i = 0; i < f->nfields && !changed; i++) {
		char *t = input_text(&f->in[i]);
		changed = strcmp(t, f->initial[i]) != 0;
		free(t);
	}
	return changed;
}

static void discard_answer(ui_app *a, void *ud, int button)
{
	if (button == 0)
		form_finish(a, ud, -1);
}

/* Esc: a note typed but not recorded is not thrown away without asking. */
static void form_cancel(ui_app *a, form *f)
{
	if (!form_unsaved(a, &f->base)) {
		form_finish(a, f, -1);
		return;
	}
	const char *buttons[] = {_("Discard"), _("Keep editing")};
	ui_push(a, dialog_new(_("Discard what you typed?"),
			      _("What you typed in this form has not been recorded. If you close the form, it is lost."),
			      buttons, 2, 1, discard_answer, f));
}

static bool form_key(ui_app *a, ui_screen *s, const ui_key *k)
{
	form *f = (form *)s;
	int n = f->nfields, total = n + f->nbuttons;
	if (k->act == ACT_NONE) {
		if (f->focus >= n)
			return false;
		if (f->lines[f->focus] > 1)
			return textarea_key(&f->in[f->focus], k, f->inner);
		return input_key(&f->in[f->focus], k);
	}
	switch (k->act) {
	case ACT_ACCEPT:
		if (f->focus < n - 1)
			f->focus++;
		else if (f->focus == n - 1 && f->nbuttons > 2)
			f->focus = n; /* several answers: the operator chooses one */
		else
			form_finish(a, f, f->focus < n ? 0 : f->focus - n);
		return true;
	case ACT_BACK:
		form_cancel(a, f);
		return true;
	case ACT_NEXT_FIELD:
		f->focus = (f->focus + 1) % total;
		return true;
	case ACT_PREV_FIELD:
		f->focus = (f->focus + total - 1) % total;
		return true;
	default:
		return false;
	}
}

static const char *form_title(ui_app *a, ui_screen *s)
{
	return ((form *)s)->title;
}

static const screen_ops form_ops = {
	.name = "form",
	.scope = SC_INPUT,
	.overlay = true,
	.text_input = true,
	.draw = form_draw,
	.key = form_key,
	.title = form_title,
	.unsaved = form_unsaved,
	.destroy = form_destroy,
};

ui_screen *form_new(const char *title, const char *body, const form_field *fields, int nfields,
		    const char *const *buttons, int nbuttons, form_fn fn, void *ud)
{
	form *f = xcalloc(1, sizeof *f);
	f->base.ops = &form_ops;
	f->title = xstrdup(title);
	f->body = xstrdup(body ? body : "");
	f->nbuttons = nbuttons + 1;
	f->buttons = xcalloc((size_t)f->nbuttons, sizeof *f->buttons);
	for (int i = 0; i < nbuttons; i++)
		f->buttons[i] = xstrdup(buttons[i]);
	f->buttons[nbuttons] = xstrdup(_("Cancel"));
	f->nfields = nfields;
	f->labels = xcalloc((size_t)nfields, sizeof *f->labels);
	f->initial = xcalloc((size_t)nfields, sizeof *f->initial);
	f->lines = xcalloc((size_t)nfields, sizeof *f->lines);
	f->in = xcalloc((size_t)nfields, sizeof *f->in);
	for (int i = 0; i < nfields; i++) {
		f->labels[i] = xstrdup(fields[i].label);
		f->initial[i] = xstrdup(fields[i].initial ? fields[i].initial : "");
		f->lines[i] = fields[i].lines > 1 ? fields[i].lines : 1;
		input_init(&f->in[i], fields[i].initial, fields[i].max);
	}
	f->fn = fn;
	f->ud = ud;
	return &f->base;
}

/* ---- the bottom-line prompt ---- */

typedef struct prompt {
	ui_screen base;
	char *label;
	ui_input in;
	prompt_fn changed, done;
	void *ud;
} prompt;

static void prompt_destroy(ui_screen *s)
{
	prompt *p = (prompt *)s;
	free(p->label);
	input_release(&p->in);
	free(p);
}

static void prompt_draw(ui_app *a, ui_screen *s, int y0, int rows, int cols)
{
	prompt *p = (prompt *)s;
	int y = y0 + rows - 1;
	draw_fill(y, 0, cols, R_NORMAL);
	int lw = draw_text(y, 0, cols / 2, p->label, R_HEADING, true);
	draw_text(y, lw, 1, " ", R_NORMAL, false);
	input_draw(&p->in, y, lw + 1, cols - lw - 1, R_NORMAL, true);
}

static void prompt_finish(ui_app *a, prompt *p, bool ok)
{
	char *text = ok ? input_text(&p->in) : NULL;
	prompt_fn done = p->done;
	void *ud = p->ud;
	ui_pop(a);
	done(a, ud, text);
	free(text);
}

static bool prompt_key(ui_app *a, ui_screen *s, const ui_key *k)
{
	prompt *p = (prompt *)s;
	if (k->act == ACT_NONE) {
		if (!input_key(&p->in, k))
			return false;
		if (p->changed) {
			char *t = input_text(&p->in);
			p->changed(a, p->ud, t);
			free(t);
		}
		return true;
	}
	if (k->act == ACT_ACCEPT || k->act == ACT_BACK) {
		prompt_finish(a, p, k->act == ACT_ACCEPT);
		return true;
	}
	return false;
}

static const char *prompt_title(ui_app *a, ui_screen *s)
{
	return ((prompt *)s)->label;
}

static const screen_ops prompt_ops = {
	.name = "prompt",
	.scope = SC_INPUT,
	.overlay = true,
	.text_input = true,
	.draw = prompt_draw,
	.key = prompt_key,
	.title = prompt_title,
	.destroy = prompt_destroy,
};

ui_screen *prompt_new(const char *label, const char *initial, prompt_fn changed, prompt_fn done, void *ud)
{
	prompt *p = xcalloc(1, sizeof *p);
	p->base.ops = &prompt_ops;
	p->label = xstrdup(label);
	input_init(&p->in, initial, 200);
	p->changed = changed;
	p->done = done;
	p->ud = ud;
	return &p->base;
}
