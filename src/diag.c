#include "config.h"
#include "diag.h"
#include "util.h"

#include <stdlib.h>

void diags_init(diags *d)
{
	d->items = NULL;
	d->n = d->cap = 0;
}

void diags_release(diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].msg);
	}
	free(d->items);
	diags_init(d);
}

void diags_add(diags *d, const char *file, int line, int col, const char *fmt, ...)
{
	GROW(d->items, d->cap, d->n + 1);
	diag *g = &d->items[d->n++];
	g->file = xstrdup(file ? file : "-");
	g->line = line;
	g->col = col;
	va_list ap;
	va_start(ap, fmt);
	g->msg = xvasprintf(fmt, ap);
	va_end(ap);
}

void diags_print(const diags *d, FILE *out)
{
	for (size_t i = 0; i < d->n; i++) {
		const diag *g = &d->items[i];
		if (g->line > 0)
			fprintf(out, "%s:%d:%d: %s\n", g->file, g->line, g->col, g->msg);
		else
			fprintf(out, "%s: %s\n", g->file, g->msg);
	}
}
