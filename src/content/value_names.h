/* value_names.h — what a number means, as the SDK names it, for evidence an
 * administrator reads at a glance: `136 (0x88: RUN_FROM_LOCAL_DISPPOINT |
 * RUN_FROM_REMOTE_DISPPOINT)`, `1440 minutes (1 day)`.
 *
 * The names live in the content (checks/ files with a top-level `values:` list,
 * each entry citing the page that defines them), never in C: the file format is
 * in doc/content-format.md. */
#ifndef CMH_VALUE_NAMES_H
#define CMH_VALUE_NAMES_H

#include <stdint.h>

#include "base/diag.h"
#include "base/util.h"
#include "base/value.h"

typedef enum { VN_FLAGS, VN_ENUM, VN_QUANTITY } vn_kind;

typedef struct vn_name {
	int64_t value;
	char *name;
} vn_name;

typedef struct vn_entry {
	char *cls;
	char *prop; /* canonical path: Props[X].Value */
	vn_kind kind;
	vn_name *names;
	size_t nnames;
	char *unit; /* VN_QUANTITY: minutes, seconds, days, bytes ... */
	char *file;
	int line;
} vn_entry;

typedef struct value_names {
	vn_entry *v;
	size_t n;
} value_names;

struct schema_ctx;
struct ynode;
/* Adds the entries of a `values:` list; problems go to the schema context. */
void value_names_load(struct schema_ctx *c, const struct ynode *list, value_names *out);
void value_names_release(value_names *vn);

/* The names the formatting below uses: those of the last catalog loaded. */
void value_names_use(const value_names *vn);

/* value_format(), with the SDK's names and units where the content defines
 * them for this class and property (either may be NULL: plain formatting). */
void value_format_named(const char *cls, const char *prop, const value *v, strbuf *out);

#endif
