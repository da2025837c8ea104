/* target_snapshot.c — a site snapshot: a scenario file audited read-only.
 *
 * A snapshot is the record of a real site at one moment (the PowerShell agent's
 * -Dump, or `cmharden snapshot`). It is loaded into memory with scenario_load()
 * and never written anywhere: no lab state is created for it, every set is
 * refused. The same file opened as lab:FILE becomes an ordinary (writable)
 * training lab with its own state file. */
#include "config.h"
#include "base/utf8.h"
#include "base/i18n.h"
#include "target/target_agent.h"
#include "target/target_snapshot.h"
#include "base/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

typedef struct snap_impl {
	scenario s;
} snap_impl;

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int snap_site(target *t, site_info *out, char **err)
{
	snap_impl *S = t->impl;
	(void)err;
	t->round_trips++;
	out->code = dup_or_null(S->s.site.code);
	out->name = dup_or_null(S->s.site.name);
	out->server = dup_or_null(S->s.site.server);
	out->version = dup_or_null(S->s.site.version);
	out->build = dup_or_null(S->s.site.build);
	out->mode = dup_or_null(S->s.site.mode);
	return 0;
}

static int snap_query(target *t, const char *cls, objset *out, char **err)
{
	snap_impl *S = t->impl;
	(void)err;
	t->round_trips++;
	for (size_t i = 0; i < S->s.objects.n; i++) {
		const object *o = &S->s.objects.items[i];
		if (strcasecmp(o->cls, cls) != 0)
			continue;
		object *c = objset_add(out, o->cls, o->key);
		for (size_t p = 0; p < o->n; p++) {
			value v = value_copy(&o->props[p].v);
			object_put(c, o->props[p].name, &v);
		}
	}
	return 0;
}

static int snap_get(target *t, const char *cls, const char *key, const char *prop, value *out, char **err)
{
	snap_impl *S = t->impl;
	t->round_trips++;
	for (size_t i = 0; i < S->s.objects.n; i++) {
		const object *o = &S->s.objects.items[i];
		if (strcasecmp(o->cls, cls) != 0 || strcasecmp(o->key, key) != 0)
			continue;
		const value *v = object_get(o, prop);
		if (!v)
			break;
		*out = value_copy(v);
		return 0;
	}
	*err = xasprintf(_("%s '%s' has no property %s"), cls, key, prop);
	return -1;
}

static int snap_set(target *t, const char *cls, const char *key, const char *prop, const value *v,
		    value *prev, char **err)
{
	/* target_set() refuses first (readonly); this is the second line of defence. */
	(void)cls, (void)key, (void)prop, (void)v, (void)prev;
	*err = xasprintf(_("the target %s is read-only: %s"), t->spec, t->readonly_why);
	return -1;
}

static void snap_close(target *t)
{
	snap_impl *S = t->impl;
	if (!S)
		return;
	scenario_release(&S->s);
	free(S);
}

static const target_ops snapshot_target_ops = {
	.kind = "snapshot",
	.site = snap_site,
	.query = snap_query,
	.get = snap_get,
	.set = snap_set,
	.close = snap_close,
};

int snapshot_target_open(const char *path, target **out, char **err)
{
	*out = NULL;
	if (access(path, R_OK) != 0) {
		*err = xasprintf(_("cannot read the snapshot %s: %s"), path, strerror(errno));
		return -1;
	}
	snap_impl *S = xcalloc(1, sizeof *S);
	diags d;
	diags_init(&d);
	if (scenario_load(&S->s, path, &d) < 0) {
		strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < d.n && i < 5; i++)
			sb_addf(&sb, "\n  %s:%d:%d: %s", d.items[i].file, d.items[i].line, d.items[i].col,
				d.items[i].msg);
		*err = xasprintf(_("the snapshot %s is not valid:%s"), path, sb_str(&sb));
		sb_release(&sb);
		diags_release(&d);
		scenario_release(&S->s);
		free(S);
		return -1;
	}
	diags_release(&d);
	target *t = xcalloc(1, sizeof *t);
	t->ops = &snapshot_target_ops;
	t->impl = S;
	t->spec = xasprintf("snapshot:%s", path);
	t->readonly = true;
	t->readonly_why = _("a snapshot records a site as it was and is only audited. Apply fixes on the live "
			    "site (agent:COMMAND), or practise them on a copy opened as lab:FILE");
	t->description = xasprintf(_("snapshot '%s' of site %s (%s), read-only"), S->s.name, S->s.site.code, path);
	*out = t;
	return 0;
}

/* Writing a scenario file. */


/* YAML's printable set, less tab (escaped so it survives every parser). */
static bool yaml_printable(unsigned cp)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
		return false;
	return cp != 0xfeff && cp != 0xfffe && cp != 0xffff;
}

/* A string as a YAML scalar that reads back as exactly these bytes: single-quoted
 * when every character is printable, else double-quoted with escapes. Bytes that
 * are not UTF-8 (which YAML cannot carry) become U+FFFD; returns how many. */
static size_t yaml_quote(strbuf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), bad = 0;
	bool plain = true;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (!n || !yaml_printable(cp)) {
			plain = false;
			break;
		}
		i += n;
	}
	if (plain) {
		sb_addc(out, '\'');
		for (const char *q = s; *q; q++) {
			if (*q == '\'')
				sb_addc(out, '\'');
			sb_addc(out, *q);
		}
		sb_addc(out, '\'');
		return 0;
	}
	sb_addc(out, '"');
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (!n) {
			sb_adds(out, "\\uFFFD");
			bad++;
			i++;
			continue;
		}
		if (cp == '"' || cp == '\\') {
			sb_addc(out, '\\');
			sb_addc(out, (char)cp);
		} else if (cp == '\n') {
			sb_adds(out, "\\n");
		} else if (cp == '\t') {
			sb_adds(out, "\\t");
		} else if (cp == '\r') {
			sb_adds(out, "\\r");
		} else if (!yaml_printable(cp)) {
			sb_addf(out, cp < 0x100 ? "\\x%02X" : "\\u%04X", cp);
		} else {
			sb_add(out, s + i, n);
		}
		i += n;
	}
	sb_addc(out, '"');
	return bad;
}

static size_t yaml_value(strbuf *out, const value *v)
{
	size_t bad = 0;
	switch (v->kind) {
	case V_NULL:
		sb_adds(out, "null");
		break;
	case V_BOOL:
		sb_adds(out, v->b ? "true" : "false");
		break;
	case V_INT:
		sb_addf(out, "%lld", (long long)v->i);
		break;
	case V_STR:
		bad += yaml_quote(out, v->s);
		break;
	case V_LIST:
		sb_addc(out, '[');
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				sb_adds(out, ", ");
			bad += yaml_quote(out, v->items[i]);
		}
		sb_addc(out, ']');
		break;
	}
	return bad;
}

/* "Props[Name].Field" -> base "Props", name "Name", field "Field" (NULL for
 * "PropLists[Name]"). False for plain names. */
static bool split_embedded(const char *path, char **base, char **name, const char **field)
{
	const char *lb = strchr(path, '['), *rb = lb ? strchr(lb, ']') : NULL;
	if (!lb || !rb || rb == lb + 1)
		return false;
	if (rb[1] && (rb[1] != '.' || !rb[2] || strpbrk(rb + 2, "[].")))
		return false;
	*base = xstrndup(path, (size_t)(lb - path));
	*name = xstrndup(lb + 1, (size_t)(rb - lb - 1));
	*field = rb[1] ? rb + 2 : NULL;
	return true;
}

static void write_object(strbuf *sb, const object *o, size_t *bad)
{
	sb_addf(sb, "  - class: %s\n    key: ", o->cls);
	*bad += yaml_quote(sb, o->key);
	sb_adds(sb, "\n    properties:");
	if (!o->n)
		sb_adds(sb, " {}");
	sb_addc(sb, '\n');
	bool *done = xcalloc(o->n ? o->n : 1, sizeof *done);
	for (size_t i = 0; i < o->n; i++) {
		if (done[i])
			continue;
		char *base, *name;
		const char *field;
		if (!split_embedded(o->props[i].name, &base, &name, &field)) {
			sb_addf(sb, "      %s: ", o->props[i].name);
			*bad += yaml_value(sb, &o->props[i].v);
			sb_addc(sb, '\n');
			done[i] = true;
			continue;
		}
		/* Every embedded entry of this base, in order: Name: {F: v, ...} or Name: [list]. */
		sb_addf(sb, "      %s:\n", base);
		for (size_t j = i; j < o->n; j++) {
			char *b2, *n2;
			const char *f2;
			if (done[j] || !split_embedded(o->props[j].name, &b2, &n2, &f2))
				continue;
			bool same = !strcmp(b2, base);
			free(b2);
			if (!same) {
				free(n2);
				continue;
			}
			sb_adds(sb, "        ");
			*bad += yaml_quote(sb, n2);
			sb_adds(sb, ": ");
			if (!f2) {
				*bad += yaml_value(sb, &o->props[j].v);
				done[j] = true;
			} else {
				sb_addc(sb, '{');
				bool first = true;
				for (size_t k = j; k < o->n; k++) {
					char *b3, *n3;
					const char *f3;
					if (done[k] || !split_embedded(o->props[k].name, &b3, &n3, &f3))
						continue;
					bool match = f3 && !strcmp(b3, base) && !strcmp(n3, n2);
					free(b3);
					free(n3);
					if (!match)
						continue;
					sb_addf(sb, "%s%s: ", first ? "" : ", ", f3);
					*bad += yaml_value(sb, &o->props[k].v);
					done[k] = true;
					first = false;
				}
				sb_addc(sb, '}');
			}
			sb_addc(sb, '\n');
			free(n2);
		}
		free(base);
		free(name);
	}
	free(done);
}

void snapshot_write(FILE *f, const scenario *s)
{
	strbuf sb = STRBUF_INIT;
	size_t bad = 0;
	sb_adds(&sb, "# cmharden site snapshot: a lab scenario (doc/content-format.md).\n"
		     "# Audit it read-only with --target snapshot:FILE, or train on it with --target lab:FILE.\n"
		     "scenario:\n  name: ");
	bad += yaml_quote(&sb, s->name ? s->name : "snapshot");
	sb_adds(&sb, "\n  title: ");
	bad += yaml_quote(&sb, s->title ? s->title : "Site snapshot");
	if (s->briefing) {
		sb_adds(&sb, "\n  briefing: ");
		bad += yaml_quote(&sb, s->briefing);
	}
	sb_adds(&sb, "\nsite:\n");
	const char *names[] = {"code", "name", "server", "version", "build", "mode"};
	const char *vals[] = {s->site.code,    s->site.name,  s->site.server,
			      s->site.version, s->site.build, s->site.mode};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (!vals[i])
			continue;
		sb_addf(&sb, "  %s: ", names[i]);
		bad += yaml_quote(&sb, vals[i]);
		sb_addc(&sb, '\n');
	}
	sb_adds(&sb, "objects:");
	if (!s->objects.n)
		sb_adds(&sb, " []");
	sb_addc(&sb, '\n');
	for (size_t i = 0; i < s->objects.n; i++) {
		write_object(&sb, &s->objects.items[i], &bad);
		if (sb.len > 1 << 16) {
			fwrite(sb.buf, 1, sb.len, f);
			sb_reset(&sb);
		}
	}
	if (bad)
		sb_addf(&sb, "# %zu byte(s) that were not UTF-8 were written as U+FFFD.\n", bad);
	fwrite(sb_str(&sb), 1, sb.len, f);
	sb_release(&sb);
}
