/* widget_table.c — an evidence table: the objects a check collected, one row
 * per object, offending rows marked and the properties that made them offend
 * highlighted. Values are formatted and sanitised once, when the table is
 * prepared, so drawing a frame only copies text. The object key stays in view
 * while the data columns scroll sideways. */
#include "config.h"
#include "widget.h"
#include "base/i18n.h"
#include "base/sanitize.h"

#include <stdlib.h>
#include <string.h>

#define KEY_MAXW 28
#define COL_MAXW 36
#define VALUE_MAX 2048
#define WIDTH_ROWS 2000

static int clampw(int w, int lo, int hi)
{
	return w < lo ? lo : w > hi ? hi : w;
}

static bool repeats_key(const ev_table *src, size_t c)
{
	if (src->nrows == 0)
		return false;
	for (size_t r = 0; r < src->nrows; r++) {
		const ev_row *row = &src->rows[r];
		if (row->missing[c] || row->cells[c].kind != V_STR || strcmp(row->cells[c].s, row->key) != 0)
			return false;
	}
	return true;
}

/* Formats (once) and returns the cells of row r. */
static char **row_cells(ui_table *t, size_t r)
{
	if (t->cells[r])
		return t->cells[r];
	const ev_row *row = &t->src->rows[r];
	t->cells[r] = xcalloc(t->nsrc ? t->nsrc : 1, sizeof **t->cells);
	for (size_t c = 0; c < t->nsrc; c++) {
		strbuf sb = STRBUF_INIT;
		if (row->missing[c]) {
			sb_adds(&sb, _("(missing)"));
		} else {
			strbuf raw = STRBUF_INIT;
			value_format(&row->cells[c], &raw);
			sanitize_append(&sb, sb_str(&raw), raw.len, VALUE_MAX);
			sb_release(&raw);
		}
		t->cells[r][c] = sb_detach(&sb);
	}
	return t->cells[r];
}

const char *table_cell(ui_table *t, size_t r, size_t c)
{
	return row_cells(t, r)[c];
}

void table_prepare(ui_table *t, const ev_table *src, char *const *first, size_t nfirst)
{
	memset(t, 0, sizeof *t);
	t->src = src;
	size_t nsrc = src->ncols;
	t->nsrc = nsrc;
	t->nrows = src->nrows;
	t->col = xcalloc(nsrc ? nsrc : 1, sizeof *t->col);
	bool *taken = xcalloc(nsrc ? nsrc : 1, sizeof *taken);
	for (size_t f = 0; f < nfirst; f++)
		for (size_t c = 0; c < nsrc; c++)
			if (!taken[c] && str_ieq(src->columns[c], first[f])) {
				taken[c] = true;
				t->col[t->ncols++] = c;
			}
	for (size_t c = 0; c < nsrc; c++)
		if (!taken[c] && !repeats_key(src, c))
			t->col[t->ncols++] = c;
	free(taken);
	t->head = xcalloc(nsrc ? nsrc : 1, sizeof *t->head);
	t->colw = xcalloc(nsrc ? nsrc : 1, sizeof *t->colw);
	t->cells = xcalloc(t->nrows ? t->nrows : 1, sizeof *t->cells);
	t->order = xcalloc(t->nrows ? t->nrows : 1, sizeof *t->order);
	t->keyw = text_width(_("Object"));
	for (size_t c = 0; c < nsrc; c++) {
		t->head[c] = sanitize_dup(src->columns[c], 200);
		t->colw[c] = text_width(t->head[c]);
	}
	/* Cells are formatted when first drawn (a site can have 50,000 objects in
	 * one table); the column widths come from the first WIDTH_ROWS rows. */
	for (size_t r = 0; r < t->nrows; r++) {
		t->order[r] = r;
		if (r >= WIDTH_ROWS)
			continue;
		char *key = sanitize_dup(src->rows[r].key, 400);
		int kw = text_width(key);
		free(key);
		if (kw > t->keyw)
			t->keyw = kw;
		char **cells = row_cells(t, r);
		for (size_t c = 0; c < nsrc; c++) {
			int w = text_width(cells[c]);
			if (w > t->colw[c])
				t->colw[c] = w;
		}
	}
	t->nshown = t->nrows;
	t->keyw = clampw(t->keyw, 6, KEY_MAXW);
	for (size_t c = 0; c < nsrc; c++)
		t->colw[c] = clampw(t->colw[c], 3, COL_MAXW);
}

void table_release(ui_table *t)
{
	size_t nsrc = t->nsrc;
	for (size_t r = 0; r < t->nrows; r++) {
		if (!t->cells[r])
			continue;
		for (size_t c = 0; c < nsrc; c++)
			free(t->cells[r][c]);
		free(t->cells[r]);
	}
	for (size_t c = 0; c < nsrc; c++)
		free(t->head[c]);
	free(t->col);
	free(t->cells);
	free(t->head);
	free(t->colw);
	free(t->order);
	memset(t, 0, sizeof *t);
}

void table_filter(ui_table *t, const char *filter)
{
	if (!filter || !*filter) {
		for (size_t r = 0; r < t->nrows; r++)
			t->order[r] = r;
		t->nshown = t->nrows;
		return;
	}
	t->nshown = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		bool keep = !filter || !*filter || str_icontains(t->src->rows[r].key, filter);
		for (size_t c = 0; c < t->nsrc && !keep; c++)
			keep = str_icontains(table_cell(t, r, c), filter);
		if (keep)
			t->order[t->nshown++] = r;
	}
}

/* Draws the columns from hoff; the last one may be cut. Returns columns shown whole. */
static size_t draw_cols(const ui_table *t, const char *const *vals, const bool *bad, int y, int x, int w,
			size_t hoff, role base)
{
	int cx = x;
	size_t whole = 0;
	for (size_t i = hoff; i < t->ncols && cx < x + w; i++) {
		size_t c = t->col[i];
		int left = x + w - cx;
		draw_fill(y, cx, 1, base);
		cx++;
		left--;
		if (left <= 0)
			break;
		int cw = t->colw[c] < left ? t->colw[c] : left;
		role r = bad && bad[c] ? R_BAD_CELL : base;
		draw_cell(y, cx, cw, vals[c], r, false);
		if (cw == t->colw[c])
			whole++;
		cx += cw;
	}
	if (cx < x + w)
		draw_fill(y, cx, x + w - cx, base);
	return whole;
}

size_t table_draw_head(const ui_table *t, int y, int x, int w, size_t hoff)
{
	draw_fill(y, x, 2, R_TABLE_HEAD);
	draw_cell(y, x + 2, t->keyw < w - 2 ? t->keyw : w - 2, _("Object"), R_TABLE_HEAD, false);
	int used = 2 + t->keyw;
	if (used >= w)
		return 0;
	return draw_cols(t, (const char *const *)t->head, NULL, y, x + used, w - used, hoff, R_TABLE_HEAD);
}

size_t table_draw_row(ui_table *t, size_t i, int y, int x, int w, size_t hoff, bool selected)
{
	size_t r = t->order[i];
	const ev_row *row = &t->src->rows[r];
	role base = selected ? R_SELECTED : R_NORMAL;
	role keyrole = selected ? R_SELECTED : row->offending ? R_OFFENDING : R_NORMAL;
	draw_fill(y, x, 2, base);
	if (row->offending)
		draw_text(y, x, 1, G->status[DS_FAIL], selected ? R_SELECTED : R_OFFENDING, false);
	char *key = sanitize_dup(row->key, 400);
	draw_cell(y, x + 2, t->keyw < w - 2 ? t->keyw : w - 2, key, keyrole, false);
	free(key);
	int used = 2 + t->keyw;
	if (used >= w)
		return 0;
	return draw_cols(t, (const char *const *)row_cells(t, r), row->bad, y, x + used, w - used, hoff, base);
}
