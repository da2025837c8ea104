/* widget_list.c — a cursor over n rows with a scroll offset. */
#include "config.h"
#include "widget.h"

#include <stdio.h>

bool list_nav(ui_list *l, ui_action act, size_t n, int page)
{
	size_t p = page > 1 ? (size_t)page - 1 : 1;
	switch (act) {
	case ACT_UP:
		if (l->cur > 0)
			l->cur--;
		return true;
	case ACT_DOWN:
		if (l->cur + 1 < n)
			l->cur++;
		return true;
	case ACT_PGUP:
		l->cur = l->cur > p ? l->cur - p : 0;
		l->top = l->top > p ? l->top - p : 0;
		return true;
	case ACT_PGDN:
		l->cur = n ? (l->cur + p < n ? l->cur + p : n - 1) : 0;
		l->top += p;
		return true;
	case ACT_HOME:
		l->cur = 0;
		return true;
	case ACT_END:
		l->cur = n ? n - 1 : 0;
		return true;
	default:
		return false;
	}
}

void list_clamp(ui_list *l, size_t n, int rows)
{
	size_t r = rows > 0 ? (size_t)rows : 1;
	if (n == 0) {
		l->cur = l->top = 0;
		return;
	}
	if (l->cur >= n)
		l->cur = n - 1;
	if (l->top + r > n)
		l->top = n > r ? n - r : 0;
	if (l->cur < l->top)
		l->top = l->cur;
	if (l->cur >= l->top + r)
		l->top = l->cur - r + 1;
}

void draw_position(int y, int x, int w, size_t cur, size_t n, role r)
{
	char buf[48];
	if (n == 0)
		return;
	snprintf(buf, sizeof buf, " %zu/%zu ", cur + 1, n);
	int bw = text_width(buf);
	if (bw <= w)
		draw_text(y, x + w - bw, bw, buf, r, false);
}
