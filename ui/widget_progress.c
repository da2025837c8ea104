/* widget_progress.c — progress bars. */
#include "config.h"
#include "widget.h"

#include <stdio.h>

void draw_minibar(int y, int x, int w, size_t done, size_t total)
{
	if (w <= 0)
		return;
	int full = total ? (int)((done * (size_t)w + total / 2) / total) : 0;
	if (done > 0 && full == 0)
		full = 1;
	for (int i = 0; i < w; i++)
		draw_text(y, x + i, 1, i < full ? G->bar_full : G->bar_empty, i < full ? R_BAR_DONE : R_DIM,
			  false);
}

void draw_progress(int y, int x, int w, size_t done, size_t total, const char *label)
{
	char count[48];
	snprintf(count, sizeof count, " %zu/%zu", done, total);
	int cw = text_width(count);
	int barw = w / 3;
	if (barw < 10)
		barw = w - cw > 10 ? 10 : w - cw;
	draw_minibar(y, x, barw, done, total);
	draw_text(y, x + barw, cw, count, R_NORMAL, false);
	int lx = x + barw + cw + 2;
	if (label && lx < x + w)
		draw_text(y, lx, x + w - lx, label, R_NORMAL, true);
}
