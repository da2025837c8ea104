/* expr.h — the filter and expectation language of checks (doc/content-format.md).
 *
 * Parsing never fails silently: an error carries the column (1-based, in the
 * expression text). Evaluation is three-valued in effect: true, false, or an
 * error with a reason (missing property, type mismatch), which the engine
 * reports as the check's `error` status, never as a pass. */
#ifndef CMH_EXPR_H
#define CMH_EXPR_H

#include <stdbool.h>

#include "base/object.h"
#include "base/site.h"
#include "base/value.h"

#define EXPR_MAX_LEN 4096
#define EXPR_MAX_DEPTH 32

typedef struct expr expr;

/* Resolves select(CLASS, PATH, FILTER) into a list of strings. */
typedef int (*expr_select_fn)(void *ud, const char *cls, const char *path, const expr *filter,
			      const char *filter_src, value *out, char **err);

typedef struct expr_env {
	const site_info *site;
	expr_select_fn select;
	void *ud;
} expr_env;

/* Returns NULL on a syntax error; then *err is the message and *col its column. */
expr *expr_parse(const char *src, char **err, int *col);
void expr_free(expr *e);

/* 0 with *result set, or -1 with *err (to free). */
int expr_eval(const expr *e, const object *o, const expr_env *env, bool *result, char **err);

/* Property paths the expression reads from the object itself (not inside select). */
void expr_paths(const expr *e, char ***paths, size_t *n);
/* Classes named by select(...) anywhere in the expression. */
void expr_select_classes(const expr *e, char ***classes, size_t *n);

/* The canonical form of a property path written in expression syntax
 * ("Props['MIF Collection'].Value" -> "Props[MIF Collection].Value"), or NULL
 * if src is not a single path. Caller frees. */
char *expr_path_canonical(const char *src);

/* host(): server name from "\\SRV\share", NAL paths or a bare name. Caller frees. */
char *unc_host(const char *path);

#endif
