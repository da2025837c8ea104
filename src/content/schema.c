#include "config.h"
#include "base/i18n.h"
#include "content/schema.h"
#include "base/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void sc_error(schema_ctx *c, const ynode *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = xvasprintf(fmt, ap);
	va_end(ap);
	diags_add(c->d, c->file, at ? at->line : 0, at ? at->col : 0, "%s", m);
	free(m);
	c->errors++;
}

bool sc_is(schema_ctx *c, const ynode *n, ynode_kind k, const char *what)
{
	if (n && n->kind == k)
		return true;
	sc_error(c, n, _("%s must be %s, not %s"), what, ynode_kind_name(k),
		 n ? ynode_kind_name(n->kind) : _("empty"));
	return false;
}

static bool in_list(const char *k, const char *const *list)
{
	for (; list && *list; list++)
		if (strcmp(k, *list) == 0)
			return true;
	return false;
}

void sc_keys(schema_ctx *c, const ynode *map, const char *what, const char *const *allowed,
	     const char *const *required)
{
	for (size_t i = 0; i < map->n; i++)
		if (!in_list(map->keys[i]->str, allowed) && !in_list(map->keys[i]->str, required))
			sc_error(c, map->keys[i], _("unknown key '%s' in %s"), map->keys[i]->str, what);
	for (; required && *required; required++)
		if (!ynode_get(map, *required))
			sc_error(c, map, _("%s is missing the required key '%s'"), what, *required);
}

char *sc_str(schema_ctx *c, const ynode *map, const char *key, bool required)
{
	ynode *n = ynode_get(map, key);
	if (!n)
		return NULL; /* sc_keys reports missing required keys */
	if (n->kind != YN_SCALAR) {
		sc_error(c, n, _("'%s' must be text, not %s"), key, ynode_kind_name(n->kind));
		return NULL;
	}
	if (required && n->len == 0) {
		sc_error(c, n, _("'%s' must not be empty"), key);
		return NULL;
	}
	return xstrdup(n->str);
}

int sc_enum(schema_ctx *c, const ynode *map, const char *key, const char *const *choices, int dflt,
	    bool required)
{
	ynode *n = ynode_get(map, key);
	if (!n)
		return dflt;
	if (n->kind == YN_SCALAR)
		for (int i = 0; choices[i]; i++)
			if (strcmp(n->str, choices[i]) == 0)
				return i;
	strbuf sb = STRBUF_INIT;
	for (int i = 0; choices[i]; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", choices[i]);
	sc_error(c, n, _("'%s' must be one of: %s"), key, sb_str(&sb));
	sb_release(&sb);
	(void)required;
	return dflt;
}

char **sc_strlist(schema_ctx *c, const ynode *map, const char *key, size_t *n, bool required)
{
	*n = 0;
	ynode *l = ynode_get(map, key);
	if (!l)
		return NULL;
	if (l->kind != YN_SEQ) {
		sc_error(c, l, _("'%s' must be a list"), key);
		return NULL;
	}
	if (required && l->n == 0)
		sc_error(c, l, _("'%s' must not be empty"), key);
	char **out = xcalloc(l->n ? l->n : 1, sizeof *out);
	for (size_t i = 0; i < l->n; i++) {
		if (l->items[i]->kind != YN_SCALAR || l->items[i]->len == 0) {
			sc_error(c, l->items[i], _("items of '%s' must be non-empty text"), key);
			continue;
		}
		out[(*n)++] = xstrdup(l->items[i]->str);
	}
	return out;
}

expr *sc_expr(schema_ctx *c, const ynode *s)
{
	char *err = NULL;
	int col = 0;
	expr *e = expr_parse(s->str, &err, &col);
	if (!e) {
		/* Single-line scalars map columns exactly; quoted ones start one later. */
		int at = s->col + (s->plain ? 0 : 1) + (col > 0 ? col - 1 : 0);
		bool oneline = !strchr(s->str, '\n');
		diags_add(c->d, c->file, s->line, oneline ? at : s->col, _("expression: %s (at column %d of the expression)"),
			  err, col);
		c->errors++;
		free(err);
	} else if (expr_compares_servers_loosely(e)) {
		diags_add(c->d, c->file, s->line, s->col,
			  _("expression: compare servers with same_host, not '=': one server is named by its "
			    "NetBIOS name, its FQDN or a UNC path"));
		c->errors++;
	}
	return e;
}

bool sc_id_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' || *s == '.'))
			return false;
	return true;
}
