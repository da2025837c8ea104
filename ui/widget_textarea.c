/* widget_textarea.c — a multi-line text editor over the line editor's buffer
 * (ui_input): Enter starts a new line, Up and Down move between the lines as
 * they are shown, long lines wrap at the width of the box. Used for notes,
 * which can take a paragraph or a list.
 *
 * The text holds '\n' and nothing else below 0x20 (input_key refuses control
 * characters; only this editor inserts newlines). */
#include "config.h"
#include "widget.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>


static int char_width(wchar_t c)
{
	int w = wcwidth(c);
	return w < 0 ? 1 : w;
}

/* Where each shown line starts in the buffer, for a box `w` cells wide. A
 * newline ends its line; a line that fills the width goes on below. The
 * caller frees *starts; *n >= 1. */
static void layout(const ui_input *in, int w, size_t **starts, size_t *n)
{
	size_t cap = 8;
	*starts = xcalloc(cap, sizeof **starts);
	*n = 1;
	int x = 0;
	for (size_t i = 0; i < in->len; i++) {
		size_t next = 0;
		if (in->buf[i] == L'\n') {
			next = i + 1;
		} else {
			int cw = char_width(in->buf[i]);
			if (x + cw > w && x > 0) {
				next = i;
				x = 0;
			}
			x += cw;
		}
		if (next) {
			if (in->buf[i] == L'\n')
				x = 0;
			GROW(*starts, cap, *n + 1);
			(*starts)[(*n)++] = next;
		}
	}
}

/* The shown line that holds position `pos`. */
static size_t line_of(const size_t *starts, size_t n, size_t pos)
{
	size_t l = 0;
	while (l + 1 < n && starts[l + 1] <= pos)
		l++;
	return l;
}

static size_t line_end(const ui_input *in, const size_t *starts, size_t n, size_t l)
{
	size_t end = l + 1 < n ? starts[l + 1] : in->len;
	if (end > starts[l] && end <= in->len && in->buf[end - 1] == L'\n')
		end--;
	return end;
}

static int cells(const ui_input *in, size_t from, size_t to)
{
	int x = 0;
	for (size_t i = from; i < to; i++)
		x += char_width(in->buf[i]);
	return x;
}

/* Moves the cursor one shown line up (-1) or down (+1), keeping its column;
 * false at the first or last line (the form then moves between fields). */
static bool move_line(ui_input *in, int w, int dir)
{
	size_t *st, n;
	layout(in, w, &st, &n);
	size_t l = line_of(st, n, in->cur);
	bool moved = false;
	if ((dir < 0 && l > 0) || (dir > 0 && l + 1 < n)) {
		int col = cells(in, st[l], in->cur);
		size_t t = dir < 0 ? l - 1 : l + 1, end = line_end(in, st, n, t), p = st[t];
		int x = 0;
		while (p < end && x + char_width(in->buf[p]) <= col)
			x += char_width(in->buf[p++]);
		in->cur = p;
		moved = true;
	}
	free(st);
	return moved;
}

bool textarea_key(ui_input *in, const ui_key *k, int w)
{
	if ((!k->fkey && (k->ch == '\n' || k->ch == '\r')) || (k->fkey && k->ch == KEY_ENTER)) {
		if (in->max && in->len >= in->max)
			return true;
		GROW(in->buf, in->cap, in->len + 2);
		memmove(in->buf + in->cur + 1, in->buf + in->cur, (in->len - in->cur + 1) * sizeof *in->buf);
		in->buf[in->cur++] = L'\n';
		in->len++;
		return true;
	}
	if (k->fkey && (k->ch == KEY_UP || k->ch == KEY_DOWN))
		return move_line(in, w > 1 ? w : 1, k->ch == KEY_UP ? -1 : 1);
	return input_key(in, k);
}

void textarea_draw(ui_input *in, int y, int x, int w, int h, role r, bool focused)
{
	if (w < 2 || h < 1)
		return;
	size_t *st, n;
	layout(in, w, &st, &n);
	size_t cl = line_of(st, n, in->cur);
	/* in->off is the first shown line here: keep the cursor's line in view. */
	if (cl < in->off)
		in->off = cl;
	if (cl >= in->off + (size_t)h)
		in->off = cl - (size_t)h + 1;
	if (in->off >= n)
		in->off = n - 1;
	for (int j = 0; j < h; j++) {
		draw_fill(y + j, x, w, r);
		size_t l = in->off + (size_t)j;
		if (l >= n)
			continue;
		size_t end = line_end(in, st, n, l);
		char *t = input_slice(in, st[l], end);
		draw_text(y + j, x, w, t, r, false);
		free(t);
	}
	if (focused) {
		ui_cursor_y = y + (int)(cl - in->off);
		ui_cursor_x = x + cells(in, st[cl], in->cur);
		if (ui_cursor_x >= x + w)
			ui_cursor_x = x + w - 1;
	}
	free(st);
}
