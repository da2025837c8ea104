/* value_names.c — names and units of values, from the content (value_names.h). */
#include "config.h"
#include "base/i18n.h"
#include "content/value_names.h"
#include "content/expr.h"
#include "content/schema.h"
#include "content/yamldoc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A copy of the names of the last catalog loaded: the formatting below runs
 * where no catalog is at hand (a table cell, a journal line). */
static value_names registry;
static const value_names *current;

void value_names_release(value_names *vn)
{
	for (size_t i = 0; i < vn->n; i++) {
		vn_entry *e = &vn->v[i];
		free(e->cls);
		free(e->prop);
		for (size_t j = 0; j < e->nnames; j++)
			free(e->names[j].name);
		free(e->names);
		free(e->unit);
		free(e->file);
	}
	free(vn->v);
	memset(vn, 0, sizeof *vn);
}

void value_names_use(const value_names *vn)
{
	value_names_release(&registry);
	registry.v = xcalloc(vn->n ? vn->n : 1, sizeof *registry.v);
	for (size_t i = 0; i < vn->n; i++) {
		const vn_entry *e = &vn->v[i];
		vn_entry *c = &registry.v[registry.n++];
		*c = *e;
		c->cls = e->cls ? xstrdup(e->cls) : NULL;
		c->prop = e->prop ? xstrdup(e->prop) : NULL;
		c->unit = e->unit ? xstrdup(e->unit) : NULL;
		c->file = e->file ? xstrdup(e->file) : NULL;
		c->names = xcalloc(e->nnames ? e->nnames : 1, sizeof *c->names);
		for (size_t j = 0; j < e->nnames; j++) {
			c->names[j].value = e->names[j].value;
			c->names[j].name = xstrdup(e->names[j].name);
		}
	}
	current = &registry;
}

static bool parse_int(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 0);
	if (errno || end == s || *end)
		return false;
	*out = v;
	return true;
}

/* An SDK name: letters, digits, '_' (RUN_FROM_LOCAL_DISPPOINT, StorageNoSource). */
static bool name_ok(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static void load_names(schema_ctx *c, const ynode *map, vn_entry *e)
{
	if (!sc_is(c, map, YN_MAP, e->kind == VN_FLAGS ? "'flags'" : "'enum'"))
		return;
	e->names = xcalloc(map->n ? map->n : 1, sizeof *e->names);
	for (size_t i = 0; i < map->n; i++) {
		const ynode *k = map->keys[i], *v = map->items[i];
		int64_t num;
		if (!k || k->kind != YN_SCALAR || !parse_int(k->str, &num)) {
			sc_error(c, k ? k : map, _("a value must be a number (decimal or 0x hex)"));
			continue;
		}
		if (e->kind == VN_FLAGS && (num <= 0 || (num & (num - 1)) != 0)) {
			sc_error(c, k, _("a flag must be a single bit, not %s"), k->str);
			continue;
		}
		if (!v || v->kind != YN_SCALAR || !name_ok(v->str)) {
			sc_error(c, v ? v : k, _("a name must be an SDK name (letters, digits, '_')"));
			continue;
		}
		e->names[e->nnames].value = num;
		e->names[e->nnames++].name = xstrdup(v->str);
	}
}

void value_names_load(schema_ctx *c, const ynode *list, value_names *out)
{
	static const char *allowed[] = {"flags", "enum", "unit", "references", NULL};
	static const char *req[] = {"class", "property", NULL};
	if (!sc_is(c, list, YN_SEQ, "'values'"))
		return;
	for (size_t i = 0; i < list->n; i++) {
		const ynode *n = list->items[i];
		if (!sc_is(c, n, YN_MAP, _("a value description")))
			continue;
		sc_keys(c, n, _("a value description"), allowed, req);
		const ynode *fl = ynode_get(n, "flags"), *en = ynode_get(n, "enum"), *un = ynode_get(n, "unit");
		if ((fl != NULL) + (en != NULL) + (un != NULL) != 1) {
			sc_error(c, n, _("a value description has exactly one of 'flags', 'enum' or 'unit'"));
			continue;
		}
		if ((fl || en) && !ynode_get(n, "references"))
			sc_error(c, n, _("names of values need 'references': the page that defines them"));
		out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
		vn_entry *e = &out->v[out->n++];
		memset(e, 0, sizeof *e);
		e->file = xstrdup(c->file);
		e->line = n->line;
		e->cls = sc_str(c, n, "class", true);
		char *prop = sc_str(c, n, "property", true);
		e->prop = prop ? expr_path_canonical(prop) : NULL;
		if (prop && !e->prop)
			sc_error(c, ynode_get(n, "property"), _("'%s' is not a property path"), prop);
		free(prop);
		if (fl) {
			e->kind = VN_FLAGS;
			load_names(c, fl, e);
		} else if (en) {
			e->kind = VN_ENUM;
			load_names(c, en, e);
		} else {
			e->kind = VN_QUANTITY;
			e->unit = sc_str(c, n, "unit", true);
			if (e->unit && strcmp(e->unit, "minutes") != 0 && strcmp(e->unit, "seconds") != 0)
				sc_error(c, un, _("unknown unit '%s' (minutes or seconds)"), e->unit);
		}
		const ynode *refs = ynode_get(n, "references");
		if (refs && sc_is(c, refs, YN_SEQ, "'references'"))
			for (size_t r = 0; r < refs->n; r++) {
				static const char *rallowed[] = {"title", NULL};
				static const char *rreq[] = {"url", NULL};
				if (sc_is(c, refs->items[r], YN_MAP, _("a reference")))
					sc_keys(c, refs->items[r], _("a reference"), rallowed, rreq);
			}
	}
}

static const vn_entry *find(const char *cls, const char *prop)
{
	if (!current || !cls || !prop)
		return NULL;
	for (size_t i = 0; i < current->n; i++) {
		const vn_entry *e = &current->v[i];
		if (e->cls && e->prop && !strcasecmp(e->cls, cls) && !strcasecmp(e->prop, prop))
			return e;
	}
	return NULL;
}

static void format_flags(const vn_entry *e, int64_t v, strbuf *out)
{
	sb_addf(out, "%" PRId64 " (0x%" PRIX64, v, (uint64_t)v);
	uint64_t rest = (uint64_t)v;
	const char *sep = ": ";
	for (size_t i = 0; i < e->nnames; i++)
		if ((rest & (uint64_t)e->names[i].value) != 0) {
			sb_addf(out, "%s%s", sep, e->names[i].name);
			rest &= ~(uint64_t)e->names[i].value;
			sep = " | ";
		}
	/* Bits the content does not name are shown as they are, never dropped. */
	if (rest)
		sb_addf(out, "%s0x%" PRIX64, sep, rest);
	sb_addc(out, ')');
}

/* A duration in words, in the largest unit that divides it: 1440 minutes is 1 day. */
static void format_duration(long long secs, bool from_minutes, strbuf *out)
{
	if (secs % 86400 == 0) {
		long long n = secs / 86400;
		sb_addf(out, ngettext(" (%lld day)", " (%lld days)", (unsigned long)n), n);
	} else if (secs % 3600 == 0) {
		long long n = secs / 3600;
		sb_addf(out, ngettext(" (%lld hour)", " (%lld hours)", (unsigned long)n), n);
	} else if (!from_minutes && secs % 60 == 0) {
		long long n = secs / 60;
		sb_addf(out, ngettext(" (%lld minute)", " (%lld minutes)", (unsigned long)n), n);
	}
}

void value_format_named(const char *cls, const char *prop, const value *v, strbuf *out)
{
	const vn_entry *e = find(cls, prop);
	if (!e || v->kind != V_INT) {
		value_format(v, out);
		return;
	}
	if (e->kind == VN_FLAGS) {
		format_flags(e, v->i, out);
		return;
	}
	if (e->kind == VN_ENUM) {
		for (size_t i = 0; i < e->nnames; i++)
			if (e->names[i].value == v->i) {
				sb_addf(out, "%" PRId64 " (%s)", v->i, e->names[i].name);
				return;
			}
		value_format(v, out);
		return;
	}
	long long n = v->i;
	bool minutes = !strcmp(e->unit, "minutes");
	if (minutes)
		sb_addf(out, ngettext("%lld minute", "%lld minutes", (unsigned long)n), n);
	else
		sb_addf(out, ngettext("%lld second", "%lld seconds", (unsigned long)n), n);
	/* Only a whole, larger unit is worth a second reading: 90 minutes stays as it is. */
	if (n > 0 && n < (1LL << 40) && (minutes ? n >= 60 : n >= 120))
		format_duration(minutes ? n * 60 : n, minutes, out);
}
