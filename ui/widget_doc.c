/* widget_doc.c — a document of laid-out lines (see widget.h). */
#include "config.h"
#include "widget.h"

#include <stdlib.h>
#include <string.h>

void doc_clear(ui_doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->l[i].label);
		free(d->l[i].text);
	}
	free(d->l);
	int w = d->width;
	memset(d, 0, sizeof *d);
	d->width = w;
}

doc_line *doc_add(ui_doc *d, int kind, role r, int indent, const char *text)
{
	GROW(d->l, d->cap, d->n + 1);
	doc_line *l = &d->l[d->n++];
	memset(l, 0, sizeof *l);
	l->kind = kind;
	l->r = r;
	l->indent = indent;
	l->text = xstrdup(text ? text : "");
	return l;
}

void doc_blank(ui_doc *d)
{
	doc_add(d, 0, R_NORMAL, 0, "");
}

void doc_wrap(ui_doc *d, role r, int indent, const char *text)
{
	wrapped w = {0};
	wrap_text(&w, text, d->width - indent - 1);
	for (size_t i = 0; i < w.n; i++)
		doc_add(d, 0, r, indent, w.lines[i]);
	wrapped_release(&w);
}

void doc_labeled(ui_doc *d, const char *label, int labelw, role r, const char *text)
{
	size_t first = d->n;
	doc_wrap(d, r, labelw + 2, text);
	if (d->n > first)
		d->l[first].label = xstrdup(label);
	else
		doc_add(d, 0, r, labelw + 2, "")->label = xstrdup(label);
}

void doc_draw_text(const ui_doc *d, size_t i, int y, int cols, bool selected)
{
	const doc_line *l = &d->l[i];
	if (selected)
		draw_fill(y, 0, cols, R_SELECTED);
	if (l->label)
		draw_text(y, 1, l->indent - 2, l->label, selected ? R_SELECTED : R_HEADING, true);
	draw_text(y, l->indent, cols - l->indent - 1, l->text, selected ? R_SELECTED : l->r, true);
}
