/* draw.c — text on the screen: UTF-8 decoding, display widths, cutting to a
 * width, word wrapping, and the line-drawing glyph set.
 *
 * Everything the wizard shows passes through draw_text(). It decodes UTF-8
 * itself (site data and catalogs are UTF-8 whatever the locale), measures each
 * character with wcwidth() on a UTF-8 terminal, and never lets a control
 * character through: C0/C1 controls and DEL become '?', and text from a site is
 * sanitised before that (draw_site), so an escape sequence in an object name
 * shows as "\x1b[2J" instead of clearing the screen. On a non-UTF-8 terminal
 * (LANG=C) every non-ASCII character is drawn as '?' and lines are ASCII. */
#include "config.h"
#include "ui.h"
#include "base/i18n.h"
#include "base/sanitize.h"

#include "base/utf8.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool ui_utf8;
const glyphs *G;
int ui_cursor_y = -1, ui_cursor_x = -1;

static const glyphs utf8_glyphs = {
	"─", "│", "┌", "┐", "└", "┘", "…", "→", "›", "•", "◂", "▸", "█", "░",
	{"·", "✔", "✘", "!", "–", "?", "✎", "~"},
};
static const glyphs ascii_glyphs = {
	"-", "|", "+", "+", "+", "+", "~", "->", ">", "*", "<", ">", "#", ".",
	{".", "+", "x", "!", "-", "?", "a", "~"},
};

void draw_init(bool utf8)
{
	ui_utf8 = utf8;
	G = utf8 ? &utf8_glyphs : &ascii_glyphs;
}

/* Decodes one character of a NUL-terminated string; invalid bytes decode as
 * U+FFFD, one byte each (the NUL ends any sequence, so no length is needed). */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
	size_t n = utf8_decode(s, SIZE_MAX, cp);
	if (n)
		return n;
	*cp = 0xFFFD;
	return 1;
}

/* What is drawn for a character, and its width (0: combines with the previous). */
static int render_cp(uint32_t *cp)
{
	if (*cp < 0x20 || *cp == 0x7F || (*cp >= 0x80 && *cp <= 0x9F)) {
		*cp = '?';
		return 1;
	}
	if (!ui_utf8) {
		if (*cp >= 0x80)
			*cp = '?';
		return 1;
	}
	int w = wcwidth((wchar_t)*cp);
	if (w < 0) {
		*cp = 0xFFFD;
		return 1;
	}
	return w;
}

int text_width(const char *s)
{
	int w = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t cp;
		p += utf8_next(p, &cp);
		w += render_cp(&cp);
	}
	return w;
}

static void put_cell(wchar_t *wc, int n, int attr)
{
	cchar_t cc;
	wc[n] = L'\0';
	setcchar(&cc, wc, (attr_t)(attr & ~A_COLOR), (short)PAIR_NUMBER(attr), NULL);
	add_wch(&cc);
}

/* Draws at most `width` columns of s; returns the columns used. */
static int draw_raw(int y, int x, int width, const char *s, int attr)
{
	const unsigned char *p = (const unsigned char *)s;
	wchar_t cell[CCHARW_MAX + 1];
	int ncell = 0, used = 0, pending_w = 0;
	if (width <= 0)
		return 0;
	move(y, x);
	while (*p) {
		uint32_t cp;
		size_t n = utf8_next(p, &cp);
		int w = render_cp(&cp);
		if (w == 0) {
			if (ncell > 0 && ncell < CCHARW_MAX)
				cell[ncell++] = (wchar_t)cp;
			p += n;
			continue;
		}
		if (used + pending_w + w > width)
			break;
		if (ncell) {
			put_cell(cell, ncell, attr);
			used += pending_w;
		}
		cell[0] = (wchar_t)cp;
		ncell = 1;
		pending_w = w;
		p += n;
	}
	if (ncell) {
		put_cell(cell, ncell, attr);
		used += pending_w;
	}
	return used;
}

int draw_text(int y, int x, int width, const char *s, role r, bool cut)
{
	int attr = theme_attr(r);
	if (!s || width <= 0)
		return 0;
	if (cut && text_width(s) > width) {
		int ew = text_width(G->ellipsis);
		if (width <= ew)
			return draw_raw(y, x, width, G->ellipsis, attr);
		int used = draw_raw(y, x, width - ew, s, attr);
		return used + draw_raw(y, x + used, ew, G->ellipsis, attr);
	}
	return draw_raw(y, x, width, s, attr);
}

int draw_site(int y, int x, int width, const char *s, role r, bool cut)
{
	if (!s)
		return 0;
	char *clean = sanitize_dup(s, 4096);
	int used = draw_text(y, x, width, clean, r, cut);
	free(clean);
	return used;
}

void draw_fill(int y, int x, int width, role r)
{
	int attr = theme_attr(r);
	if (width <= 0)
		return;
	move(y, x);
	for (int i = 0; i < width; i++) {
		wchar_t sp[2] = {L' ', L'\0'};
		put_cell(sp, 1, attr);
	}
}

void draw_hline(int y, int x, int width, role r)
{
	int attr = theme_attr(r);
	move(y, x);
	for (int i = 0; i < width; i++)
		draw_raw(y, x + i, 1, G->hline, attr);
}

void draw_box(int y, int x, int h, int w, role r)
{
	int attr = theme_attr(r);
	if (h < 2 || w < 2)
		return;
	draw_raw(y, x, 1, G->tl, attr);
	draw_raw(y, x + w - 1, 1, G->tr, attr);
	draw_raw(y + h - 1, x, 1, G->bl, attr);
	draw_raw(y + h - 1, x + w - 1, 1, G->br, attr);
	for (int i = 1; i < w - 1; i++) {
		draw_raw(y, x + i, 1, G->hline, attr);
		draw_raw(y + h - 1, x + i, 1, G->hline, attr);
	}
	for (int j = 1; j < h - 1; j++) {
		draw_raw(y + j, x, 1, G->vline, attr);
		draw_raw(y + j, x + w - 1, 1, G->vline, attr);
	}
}

void draw_cell(int y, int x, int width, const char *s, role r, bool right)
{
	if (width <= 0)
		return;
	int w = text_width(s);
	if (w >= width) {
		draw_text(y, x, width, s, r, true);
		return;
	}
	draw_fill(y, x, width, r);
	draw_text(y, right ? x + width - w : x, w, s, r, false);
}

/* ---- wrapping ---- */

static void wrap_push(wrapped *w, const char *s, size_t n)
{
	GROW(w->lines, w->cap, w->n + 1);
	w->lines[w->n++] = xstrndup(s, n);
}

/* Byte length of the longest prefix of s[0..n) that fits in width columns (at least one character). */
static size_t fit_prefix(const char *s, size_t n, int width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int used = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = utf8_next(p + i, &cp);
		int cw = render_cp(&cp);
		if (used + cw > width && i > 0)
			break;
		used += cw;
		i += k;
	}
	return i;
}

static int span_width(const char *s, size_t n)
{
	char *t = xstrndup(s, n);
	int w = text_width(t);
	free(t);
	return w;
}

void wrap_text(wrapped *w, const char *s, int width)
{
	if (width < 1)
		width = 1;
	if (!s || !*s) {
		wrap_push(w, "", 0);
		return;
	}
	const char *para = s;
	while (para) {
		const char *nl = strchr(para, '\n');
		size_t plen = nl ? (size_t)(nl - para) : strlen(para);
		/* One paragraph: greedy fill, breaking at spaces; words wider than the line are cut. */
		strbuf line = STRBUF_INIT;
		int lw = 0;
		size_t i = 0;
		bool any = false;
		while (i < plen) {
			while (i < plen && para[i] == ' ')
				i++;
			if (i >= plen)
				break;
			size_t j = i;
			while (j < plen && para[j] != ' ')
				j++;
			int ww = span_width(para + i, j - i);
			if (lw > 0 && lw + 1 + ww <= width) {
				sb_addc(&line, ' ');
				sb_add(&line, para + i, j - i);
				lw += 1 + ww;
				i = j;
				continue;
			}
			if (lw > 0) {
				wrap_push(w, sb_str(&line), line.len);
				any = true;
				sb_reset(&line);
				lw = 0;
			}
			if (ww <= width) {
				sb_add(&line, para + i, j - i);
				lw = ww;
				i = j;
				continue;
			}
			/* A word longer than the line: cut it into line-sized pieces. */
			while (i < j) {
				size_t k = fit_prefix(para + i, j - i, width);
				int kw = span_width(para + i, k);
				if (i + k < j) {
					wrap_push(w, para + i, k);
					any = true;
				} else {
					sb_add(&line, para + i, k);
					lw = kw;
				}
				i += k;
			}
		}
		if (lw > 0 || !any)
			wrap_push(w, sb_str(&line), line.len);
		sb_release(&line);
		para = nl ? nl + 1 : NULL;
	}
}

void wrapped_release(wrapped *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->lines[i]);
	free(w->lines);
	memset(w, 0, sizeof *w);
}

/* ---- status words ---- */

const char *ds_label(disp_status d)
{
	static const char *labels[DS_COUNT] = {
		N_("not run"), N_("pass"), N_("fail"), N_("error"), N_("n/a"), N_("attest"), N_("attested"),
		N_("waived"),
	};
	return _(labels[d]);
}

role ds_role(disp_status d)
{
	static const role roles[DS_COUNT] = {R_NOT_RUN, R_PASS, R_FAIL, R_ERROR, R_NA, R_ATTEST, R_ATTESTED,
					     R_WAIVED};
	return roles[d];
}

