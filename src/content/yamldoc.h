/* yamldoc.h — a strict YAML reader for content and lab scenarios.
 *
 * Builds a small tree (scalars, sequences, mappings) with the position of every
 * node. It refuses what our formats never need and attackers like: anchors,
 * aliases, tags, duplicate keys, NUL characters, more than one document,
 * nesting deeper than YDOC_MAX_DEPTH, more than YDOC_MAX_NODES nodes and inputs
 * over the caller's size limit. libyaml 0.2.5 has no depth limit of its own, so
 * depth is counted here on the event stream, before any node is allocated. */
#ifndef CMH_YAMLDOC_H
#define CMH_YAMLDOC_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

#define YDOC_MAX_DEPTH 16
/* A node costs about a hundred bytes in memory whatever its size in the file:
 * without a cap, 16 MiB of "[a,a,a,...]" took 1.3 GB. A realistic 16 MiB lab
 * scenario holds about 1.2 million nodes. */
#define YDOC_MAX_NODES 2000000

typedef enum { YN_SCALAR, YN_SEQ, YN_MAP } ynode_kind;

typedef struct ynode ynode;
struct ynode {
	ynode_kind kind;
	int line, col;
	/* scalar */
	char *str;
	size_t len;
	bool plain; /* unquoted: eligible for int/bool/null typing */
	/* sequence items, or mapping values; keys[i] pairs with items[i] for maps */
	ynode **items;
	ynode **keys;
	size_t n, cap;
};

typedef struct ydoc {
	char *file;
	ynode *root; /* NULL for an empty document */
} ydoc;

/* Parse `len` bytes. Problems go to `d` (with `file`); returns 0 on success. */
int ydoc_parse(ydoc *doc, const char *file, const char *buf, size_t len, diags *d);
void ydoc_release(ydoc *doc);

ynode *ynode_get(const ynode *map, const char *key);
const char *ynode_kind_name(ynode_kind k);

#endif
