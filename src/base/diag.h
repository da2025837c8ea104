/* diag.h — a list of positioned diagnostics, printed as file:line:col: message. */
#ifndef CMH_DIAG_H
#define CMH_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef struct diag {
	char *file;
	int line, col; /* 1-based; 0 when unknown */
	char *msg;
} diag;

typedef struct diags {
	diag *items;
	size_t n, cap;
} diags;

void diags_init(diags *d);
void diags_release(diags *d);
void diags_add(diags *d, const char *file, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void diags_print(const diags *d, FILE *out);

#endif
