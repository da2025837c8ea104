/* schema.h — typed access to a yamldoc tree with positioned complaints, shared by
 * the content and lab loaders so every mistake reads file:line:col: message. */
#ifndef CMH_SCHEMA_H
#define CMH_SCHEMA_H

#include <stdbool.h>

#include "base/diag.h"
#include "content/expr.h"
#include "content/yamldoc.h"

typedef struct schema_ctx {
	const char *file;
	diags *d;
	int errors;
} schema_ctx;

void sc_error(schema_ctx *c, const ynode *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool sc_is(schema_ctx *c, const ynode *n, ynode_kind k, const char *what);
/* Complains about keys not in `allowed` (NULL-terminated) and missing `required` ones. */
void sc_keys(schema_ctx *c, const ynode *map, const char *what, const char *const *allowed,
	     const char *const *required);
/* A string field; NULL when absent (complaining if required) or not a scalar. */
char *sc_str(schema_ctx *c, const ynode *map, const char *key, bool required);
/* One of `choices` (NULL-terminated); returns its index, or `dflt` when absent. */
int sc_enum(schema_ctx *c, const ynode *map, const char *key, const char *const *choices, int dflt,
	    bool required);
char **sc_strlist(schema_ctx *c, const ynode *map, const char *key, size_t *n, bool required);
/* Parses an expression held in a scalar, reporting errors at their column. */
expr *sc_expr(schema_ctx *c, const ynode *scalar);
bool sc_id_ok(const char *s);

#endif
