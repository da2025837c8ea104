#include "config.h"
#include "base/diag.h"
#include "base/sanitize.h"
#include "base/util.h"

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

/* Messages quote what the file said (keys, values, expressions): a lab
 * scenario may be a snapshot of a real site, so they are printed sanitised. */
void diags_print(const diags *d, FILE *out)
{
	for (size_t i = 0; i < d->n; i++) {
		const diag *g = &d->items[i];
		char *file = sanitize_dup(g->file, 0), *msg = sanitize_dup(g->msg, 400);
		if (g->line > 0)
			fprintf(out, "%s:%d:%d: %s\n", file, g->line, g->col, msg);
		else
			fprintf(out, "%s: %s\n", file, msg);
		free(file);
		free(msg);
	}
}
