/* yamldoc.c — strict YAML tree reader on libyaml's event API (see yamldoc.h).
 *
 * Invariant: every node in the tree was produced by a scalar, sequence-start or
 * mapping-start event that carried no anchor and no tag, at a depth of at most
 * YDOC_MAX_DEPTH; mapping keys are scalars and unique (compared byte-wise). */
#include "config.h"
#include "base/i18n.h"
#include "content/yamldoc.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct parse_ctx {
	const char *file;
	diags *d;
	yaml_parser_t parser;
	int depth;
	size_t nodes;
	bool failed;
} parse_ctx;

const char *ynode_kind_name(ynode_kind k)
{
	switch (k) {
	case YN_SCALAR:
		return _("a scalar");
	case YN_SEQ:
		return _("a list");
	case YN_MAP:
		return _("a mapping");
	}
	return "?";
}

static ynode *node_new(ynode_kind k, const yaml_event_t *ev)
{
	ynode *n = xcalloc(1, sizeof *n);
	n->kind = k;
	n->line = (int)ev->start_mark.line + 1;
	n->col = (int)ev->start_mark.column + 1;
	return n;
}

static void node_free(ynode *n)
{
	if (!n)
		return;
	free(n->str);
	for (size_t i = 0; i < n->n; i++) {
		node_free(n->items[i]);
		if (n->keys)
			node_free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n);
}

static void fail_at(parse_ctx *c, const yaml_mark_t *m, const char *msg)
{
	if (!c->failed)
		diags_add(c->d, c->file, (int)m->line + 1, (int)m->column + 1, "%s", msg);
	c->failed = true;
}

static bool next_event(parse_ctx *c, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&c->parser, ev)) {
		const char *prob = c->parser.problem ? c->parser.problem : "syntax error";
		const yaml_mark_t *m = &c->parser.problem_mark;
		if (!c->failed) {
			if (c->parser.context)
				diags_add(c->d, c->file, (int)m->line + 1, (int)m->column + 1,
					  _("YAML syntax error: %s %s"), prob, c->parser.context);
			else
				diags_add(c->d, c->file, (int)m->line + 1, (int)m->column + 1,
					  _("YAML syntax error: %s"), prob);
		}
		c->failed = true;
		return false;
	}
	return true;
}

/* Anchors and tags ride on the node events themselves. */
static bool refuse_decorations(parse_ctx *c, const yaml_event_t *ev)
{
	const yaml_char_t *anchor = NULL, *tag = NULL;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
		break;
	default:
		break;
	}
	if (anchor) {
		fail_at(c, &ev->start_mark, _("YAML anchors (&name) are not allowed in cmharden content"));
		return false;
	}
	if (tag) {
		fail_at(c, &ev->start_mark, _("YAML tags (!tag) are not allowed in cmharden content"));
		return false;
	}
	return true;
}

static ynode *parse_node(parse_ctx *c, yaml_event_t *ev);

/* Duplicate keys are found through a hash of the keys seen so far in one
 * mapping: comparing each key with every earlier one made a 4 MiB file of
 * distinct keys take minutes (and a 16 MiB lab scenario hours). */
typedef struct keyset {
	size_t *slot; /* index + 1 into the mapping's keys; 0 is empty */
	size_t cap;
} keyset;

static size_t key_hash(const char *s, size_t len)
{
	size_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static void keyset_put(keyset *ks, ynode *const *keys, size_t idx)
{
	size_t j = key_hash(keys[idx]->str, keys[idx]->len) & (ks->cap - 1);
	while (ks->slot[j])
		j = (j + 1) & (ks->cap - 1);
	ks->slot[j] = idx + 1;
}

/* The earlier key (of keys[0..n)) equal to `key` byte-wise, or NULL. */
static const ynode *keyset_find(keyset *ks, ynode *const *keys, size_t n, const ynode *key)
{
	/* No table yet (slot is NULL exactly while cap is 0), or one too full. */
	if (!ks->slot || 2 * (n + 1) > ks->cap) {
		size_t nc = ks->cap ? ks->cap * 2 : 16;
		while (2 * (n + 1) > nc)
			nc *= 2;
		free(ks->slot);
		ks->slot = xcalloc(nc, sizeof *ks->slot);
		ks->cap = nc;
		for (size_t i = 0; i < n; i++)
			keyset_put(ks, keys, i);
	}
	size_t j = key_hash(key->str, key->len) & (ks->cap - 1);
	for (; ks->slot[j]; j = (j + 1) & (ks->cap - 1)) {
		const ynode *k = keys[ks->slot[j] - 1];
		if (k->len == key->len && memcmp(k->str, key->str, key->len) == 0)
			return k;
	}
	return NULL;
}

static ynode *parse_children(parse_ctx *c, ynode *n, yaml_event_type_t end)
{
	keyset ks = {NULL, 0};
	ynode *r = NULL;
	for (;;) {
		yaml_event_t ev;
		if (!next_event(c, &ev))
			goto out;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			r = n;
			goto out;
		}
		if (n->kind == YN_MAP) {
			if (ev.type != YAML_SCALAR_EVENT) {
				fail_at(c, &ev.start_mark, _("mapping keys must be plain scalars"));
				yaml_event_delete(&ev);
				goto out;
			}
			ynode *key = parse_node(c, &ev);
			yaml_event_delete(&ev);
			if (!key)
				goto out;
			const ynode *first = keyset_find(&ks, n->keys, n->n, key);
			if (first) {
				yaml_mark_t m = {0, (size_t)key->line - 1, (size_t)key->col - 1};
				char *msg = xasprintf(_("duplicate key '%s' (first at line %d)"), key->str, first->line);
				fail_at(c, &m, msg);
				free(msg);
				node_free(key);
				goto out;
			}
			yaml_event_t vev;
			if (!next_event(c, &vev)) {
				node_free(key);
				goto out;
			}
			ynode *val = parse_node(c, &vev);
			yaml_event_delete(&vev);
			if (!val) {
				node_free(key);
				goto out;
			}
			/* keys[] follows items[] in size; resize it only when items[] grew
			 * (an ASan realloc always copies: once per key was quadratic). */
			size_t oldcap = n->cap;
			GROW(n->items, n->cap, n->n + 1);
			if (n->cap != oldcap)
				n->keys = xrealloc(n->keys, n->cap * sizeof *n->keys);
			n->keys[n->n] = key;
			n->items[n->n] = val;
			keyset_put(&ks, n->keys, n->n++);
		} else {
			ynode *item = parse_node(c, &ev);
			yaml_event_delete(&ev);
			if (!item)
				goto out;
			GROW(n->items, n->cap, n->n + 1);
			n->items[n->n++] = item;
		}
	}
out:
	free(ks.slot);
	return r;
}

static ynode *parse_node(parse_ctx *c, yaml_event_t *ev)
{
	if (!refuse_decorations(c, ev))
		return NULL;
	if (++c->nodes > YDOC_MAX_NODES) {
		char *msg = xasprintf(_("more than %d YAML nodes (values, lists and mappings)"), YDOC_MAX_NODES);
		fail_at(c, &ev->start_mark, msg);
		free(msg);
		return NULL;
	}
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		fail_at(c, &ev->start_mark, _("YAML aliases (*name) are not allowed in cmharden content"));
		return NULL;
	case YAML_SCALAR_EVENT: {
		/* A double-quoted "\0" (or "\x00", "\u0000") puts a NUL inside a
		 * scalar even though the raw input holds none. Our strings are C
		 * strings: a NUL would cut a value short and let "id\0x" pass as the
		 * key "id" beside a real "id", so it is refused like a raw one. */
		if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length)) {
			fail_at(c, &ev->start_mark, _("NUL character (an escaped \\0) in a YAML scalar"));
			return NULL;
		}
		ynode *n = node_new(YN_SCALAR, ev);
		n->str = xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
		n->len = ev->data.scalar.length;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		return n;
	}
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		if (++c->depth > YDOC_MAX_DEPTH) {
			char *msg = xasprintf(_("nesting deeper than %d levels"), YDOC_MAX_DEPTH);
			fail_at(c, &ev->start_mark, msg);
			free(msg);
			return NULL;
		}
		bool map = ev->type == YAML_MAPPING_START_EVENT;
		ynode *n = node_new(map ? YN_MAP : YN_SEQ, ev);
		ynode *r = parse_children(c, n, map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT);
		c->depth--;
		if (!r)
			node_free(n);
		return r;
	}
	default:
		fail_at(c, &ev->start_mark, _("unexpected YAML event"));
		return NULL;
	}
}

int ydoc_parse(ydoc *doc, const char *file, const char *buf, size_t len, diags *d)
{
	parse_ctx c = {.file = file, .d = d};
	doc->file = xstrdup(file);
	doc->root = NULL;
	if (memchr(buf, '\0', len)) {
		const char *z = memchr(buf, '\0', len);
		int line = 1, col = 1;
		for (const char *p = buf; p < z; p++) {
			if (*p == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		diags_add(d, file, line, col, _("NUL byte in YAML input"));
		return -1;
	}
	if (!yaml_parser_initialize(&c.parser)) {
		diags_add(d, file, 0, 0, _("cannot initialise the YAML parser"));
		return -1;
	}
	yaml_parser_set_input_string(&c.parser, (const unsigned char *)buf, len);
	yaml_event_t ev;
	int docs = 0;
	while (!c.failed && next_event(&c, &ev)) {
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_DOCUMENT_START_EVENT) {
			if (++docs > 1)
				fail_at(&c, &ev.start_mark, _("only one YAML document per file is allowed"));
		} else if (t != YAML_STREAM_START_EVENT && t != YAML_DOCUMENT_END_EVENT) {
			ynode *n = parse_node(&c, &ev);
			if (n)
				doc->root = n;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&c.parser);
	if (c.failed) {
		node_free(doc->root);
		doc->root = NULL;
		return -1;
	}
	return 0;
}

void ydoc_release(ydoc *doc)
{
	node_free(doc->root);
	free(doc->file);
	doc->root = NULL;
	doc->file = NULL;
}

ynode *ynode_get(const ynode *map, const char *key)
{
	if (!map || map->kind != YN_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->str, key) == 0)
			return map->items[i];
	return NULL;
}
