/* lab.c — loading and validating lab scenarios (see lab.h). */
#include "config.h"
#include "base/i18n.h"
#include "content/lab.h"
#include "content/schema.h"
#include "base/sha256.h"
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>


static const char *versions[] = {"2007 SP1", "2007 SP2", "2007 R2", "2007 R3", NULL};
static const char *modes[] = {"mixed", "native", NULL};

void scenario_release(scenario *s)
{
	free(s->file);
	free(s->name);
	free(s->title);
	free(s->briefing);
	for (size_t i = 0; i < s->ngoals; i++) {
		free(s->goals[i].check);
		free(s->goals[i].note);
	}
	free(s->goals);
	site_info_release(&s->site);
	objset_release(&s->objects);
	memset(s, 0, sizeof *s);
}

static bool parse_int(const char *s, int64_t *out)
{
	const char *p = s;
	bool neg = *p == '-';
	if (neg)
		p++;
	int base = 10;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p)
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(p, &end, base);
	if (*end || errno || v > (unsigned long long)INT64_MAX)
		return false;
	for (const char *q = p; *q; q++)
		if (*q == '+' || *q == '-' || *q == ' ')
			return false;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return true;
}

/* Scalars in scenarios are typed the YAML way, but only the forms we document. */
static value scalar_value(const ynode *n)
{
	int64_t i;
	if (n->plain) {
		if (!strcmp(n->str, "true") || !strcmp(n->str, "True"))
			return value_bool(true);
		if (!strcmp(n->str, "false") || !strcmp(n->str, "False"))
			return value_bool(false);
		if (!strcmp(n->str, "null") || !strcmp(n->str, "~") || n->len == 0)
			return value_null();
		if (parse_int(n->str, &i))
			return value_int(i);
	}
	return value_str(n->str);
}

static bool list_value(schema_ctx *c, const ynode *n, value *out)
{
	*out = value_null();
	out->kind = V_LIST;
	/* One allocation for the whole list: pushing item by item reallocates each
	 * time, which ASan turns into a copy each time (quadratic on long lists). */
	out->items = xcalloc(n->n ? n->n : 1, sizeof *out->items);
	for (size_t i = 0; i < n->n; i++) {
		if (n->items[i]->kind != YN_SCALAR) {
			sc_error(c, n->items[i], _("list items must be text"));
			value_clear(out);
			return false;
		}
		out->items[out->n++] = xstrdup(n->items[i]->str);
	}
	return true;
}

/* Case-insensitive sets of names (ASCII folding, as strcasecmp in the C
 * locale): the loader finds duplicate objects and properties through them,
 * in time linear in the file, not quadratic. */
typedef struct ciset {
	char **slot;
	size_t cap, n;
} ciset;

static size_t ci_hash(const char *s)
{
	size_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)tolower((unsigned char)*s)) * 1099511628211ull;
	return h;
}

/* Adds s; false (and nothing added) when an equal name is there already. */
static bool ciset_add(ciset *cs, const char *s)
{
	if (2 * (cs->n + 1) > cs->cap) {
		size_t nc = cs->cap ? cs->cap * 2 : 16;
		char **ns = xcalloc(nc, sizeof *ns);
		for (size_t i = 0; i < cs->cap; i++) {
			if (!cs->slot[i])
				continue;
			size_t j = ci_hash(cs->slot[i]) & (nc - 1);
			while (ns[j])
				j = (j + 1) & (nc - 1);
			ns[j] = cs->slot[i];
		}
		free(cs->slot);
		cs->slot = ns;
		cs->cap = nc;
	}
	size_t j = ci_hash(s) & (cs->cap - 1);
	for (; cs->slot[j]; j = (j + 1) & (cs->cap - 1))
		if (strcasecmp(cs->slot[j], s) == 0)
			return false;
	cs->slot[j] = xstrdup(s);
	cs->n++;
	return true;
}

static void ciset_release(ciset *cs)
{
	for (size_t i = 0; i < cs->cap; i++)
		free(cs->slot[i]);
	free(cs->slot);
	memset(cs, 0, sizeof *cs);
}

/* The properties of one object being loaded: names seen, and whether the
 * object already went over LAB_MAX_PROPS (said once). */
typedef struct prop_ctx {
	ciset names;
	bool too_many;
} prop_ctx;

static void add_prop(schema_ctx *c, object *o, prop_ctx *pc, const ynode *at, const char *name, value *x)
{
	if (o->n >= LAB_MAX_PROPS) {
		if (!pc->too_many)
			sc_error(c, at, _("object '%s' has more than %d properties"), o->key, LAB_MAX_PROPS);
		pc->too_many = true;
		value_clear(x);
		return;
	}
	if (!ciset_add(&pc->names, name)) {
		sc_error(c, at, _("property '%s' is given twice (property names are case-insensitive)"), name);
		value_clear(x);
		return;
	}
	object_append(o, name, x);
}

/* A property value: scalar, list, or (for embedded arrays such as Props and
 * PropLists) a mapping of name -> fields or name -> list, flattened into paths
 * "Props[Name].Field" and "PropLists[Name]". */
static void put_prop(schema_ctx *c, object *o, prop_ctx *pc, const ynode *at, const char *name,
		     const ynode *v, int depth)
{
	if (v->kind == YN_SCALAR) {
		value x = scalar_value(v);
		add_prop(c, o, pc, at, name, &x);
	} else if (v->kind == YN_SEQ) {
		value x;
		if (list_value(c, v, &x))
			add_prop(c, o, pc, at, name, &x);
	} else if (depth >= 2) {
		sc_error(c, v, _("property '%s' is nested too deeply (embedded properties have one level of fields)"),
			 name);
	} else {
		for (size_t i = 0; i < v->n; i++) {
			const char *k = v->keys[i]->str;
			if (!*k || strpbrk(k, "[]")) {
				sc_error(c, v->keys[i], _("embedded property names must be non-empty and hold no brackets"));
				continue;
			}
			char *sub = depth == 0 ? xasprintf("%s[%s]", name, k) : xasprintf("%s.%s", name, k);
			put_prop(c, o, pc, v->keys[i], sub, v->items[i], depth + 1);
			free(sub);
		}
	}
}

static bool prop_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

static void load_objects(schema_ctx *c, const ynode *list, scenario *s)
{
	static const char *req[] = {"class", "key", "properties", NULL};
	if (!sc_is(c, list, YN_SEQ, "'objects'"))
		return;
	ciset seen = {NULL, 0, 0};
	for (size_t i = 0; i < list->n; i++) {
		const ynode *n = list->items[i];
		if (!sc_is(c, n, YN_MAP, _("an object")))
			continue;
		sc_keys(c, n, _("an object"), NULL, req);
		const ynode *cls = ynode_get(n, "class"), *key = ynode_get(n, "key"),
			    *props = ynode_get(n, "properties");
		if (!cls || !key || !props)
			continue;
		if (!sc_is(c, cls, YN_SCALAR, "'class'") || !sc_is(c, key, YN_SCALAR, "'key'") ||
		    !sc_is(c, props, YN_MAP, "'properties'"))
			continue;
		if (!prop_name_ok(cls->str)) {
			sc_error(c, cls, _("'%s' is not a class name"), cls->str);
			continue;
		}
		if (key->len == 0) {
			sc_error(c, key, _("an object key must not be empty"));
			continue;
		}
		/* Class names hold no control character: "\x1f" cannot occur in one. */
		char *ck = xasprintf("%s\x1f%s", cls->str, key->str);
		bool dup = !ciset_add(&seen, ck);
		free(ck);
		if (dup) {
			sc_error(c, key, _("duplicate key '%s' in class %s"), key->str, cls->str);
			continue;
		}
		object *o = objset_add(&s->objects, cls->str, key->str);
		prop_ctx pc = {{NULL, 0, 0}, false};
		for (size_t p = 0; p < props->n; p++) {
			const char *pn = props->keys[p]->str;
			if (!prop_name_ok(pn)) {
				sc_error(c, props->keys[p], _("'%s' is not a property name"), pn);
				continue;
			}
			put_prop(c, o, &pc, props->keys[p], pn, props->items[p], 0);
		}
		ciset_release(&pc.names);
	}
	ciset_release(&seen);
}

static const char *goal_states[] = {"pass", "not_applicable", "attested", "waived", NULL};

const char *goal_state_name(unsigned bit)
{
	for (unsigned i = 0; goal_states[i]; i++)
		if (bit == 1u << i)
			return goal_states[i];
	return "?";
}

static unsigned goal_state_bit(schema_ctx *c, const ynode *n)
{
	if (!sc_is(c, n, YN_SCALAR, _("a goal status")))
		return 0;
	for (unsigned i = 0; goal_states[i]; i++)
		if (!strcmp(n->str, goal_states[i]))
			return 1u << i;
	sc_error(c, n, _("unknown goal status '%s' (expected pass, not_applicable, attested or waived)"), n->str);
	return 0;
}

/* goals: a list of {check: ID, status: STATE or [STATE, ...], answer: yes|no,
 * note: TEXT}. `answer` is the attestation a goal wants (default yes): a goal
 * is met by an attestation only when its answer matches. */
static void load_goals(schema_ctx *c, const ynode *list, scenario *s)
{
	static const char *req[] = {"check", "status", NULL};
	static const char *allowed[] = {"note", "answer", NULL};
	if (!sc_is(c, list, YN_SEQ, "'goals'"))
		return;
	if (list->n == 0)
		sc_error(c, list, _("'goals' must not be empty (leave it out instead)"));
	s->goals = xcalloc(list->n ? list->n : 1, sizeof *s->goals);
	for (size_t i = 0; i < list->n; i++) {
		const ynode *n = list->items[i];
		if (!sc_is(c, n, YN_MAP, _("a goal")))
			continue;
		sc_keys(c, n, _("a goal"), allowed, req);
		const ynode *st = ynode_get(n, "status");
		char *id = sc_str(c, n, "check", true);
		unsigned want = 0;
		if (st && st->kind == YN_SEQ) {
			if (st->n == 0)
				sc_error(c, st, _("'status' must not be an empty list"));
			for (size_t j = 0; j < st->n; j++)
				want |= goal_state_bit(c, st->items[j]);
		} else if (st) {
			want = goal_state_bit(c, st);
		}
		if (!id || !want) {
			free(id);
			continue;
		}
		goal *g = &s->goals[s->ngoals++];
		g->check = id;
		g->want = want;
		g->note = sc_str(c, n, "note", false);
		char *ans = sc_str(c, n, "answer", false);
		if (ans && strcmp(ans, "yes") && strcmp(ans, "no"))
			sc_error(c, ynode_get(n, "answer"), _("'answer' is yes or no, not '%s'"), ans);
		if (ans && !(want & GOAL_ATTESTED))
			sc_error(c, ynode_get(n, "answer"), _("'answer' belongs to a goal that wants 'attested'"));
		g->not_compliant = ans && !strcmp(ans, "no");
		free(ans);
		const ynode *at = ynode_get(n, "check");
		g->line = at->line;
		g->col = at->col;
	}
}

void scenario_lint_goals(const scenario *s, const catalog *cat, diags *d)
{
	if (!cat || !cat->nsections)
		return; /* the checklist did not load: its own errors say why */
	for (size_t i = 0; i < s->ngoals; i++) {
		const goal *g = &s->goals[i];
		for (size_t j = 0; j < i; j++)
			if (!strcmp(s->goals[j].check, g->check))
				diags_add(d, s->file, g->line, g->col, _("check '%s' already has a goal (line %d)"),
					  g->check, s->goals[j].line);
		const check *k = catalog_find(cat, g->check);
		if (!k) {
			diags_add(d, s->file, g->line, g->col, _("goal for unknown check '%s' (see 'cmharden list')"),
				  g->check);
			continue;
		}
		/* It may not apply (its applies_if finds nothing): the rule below. */
		if (k->kind == KIND_ATTESTATION && !k->fail_or_ask && (g->want & GOAL_PASS) &&
		    !(g->want & (GOAL_ATTESTED | GOAL_WAIVED | GOAL_NOT_APPLICABLE)))
			diags_add(d, s->file, g->line, g->col,
				  _("'%s' is an attestation check: it never passes on its own (want attested or waived)"),
				  g->check);
		if (k->kind == KIND_AUTOMATED && g->want == GOAL_ATTESTED)
			diags_add(d, s->file, g->line, g->col,
				  _("'%s' is an automated check: it is not attested (want pass, not_applicable or waived)"),
				  g->check);
		if (g->want == GOAL_NOT_APPLICABLE && !k->applies_if)
			diags_add(d, s->file, g->line, g->col,
				  _("'%s' has no applies_if: it is never not_applicable"), g->check);
	}
}

static void load_site(schema_ctx *c, const ynode *n, scenario *s)
{
	static const char *req[] = {"code", "name", "server", "version", "mode", NULL};
	static const char *allowed[] = {"build", NULL};
	if (!sc_is(c, n, YN_MAP, "'site'"))
		return;
	sc_keys(c, n, "site", allowed, req);
	s->site.code = sc_str(c, n, "code", true);
	s->site.name = sc_str(c, n, "name", true);
	s->site.server = sc_str(c, n, "server", true);
	s->site.build = sc_str(c, n, "build", true);
	int v = sc_enum(c, n, "version", versions, -1, true);
	int m = sc_enum(c, n, "mode", modes, -1, true);
	if (v >= 0)
		s->site.version = xstrdup(versions[v]);
	if (m >= 0)
		s->site.mode = xstrdup(modes[m]);
	if (s->site.code && (strlen(s->site.code) != 3))
		sc_error(c, ynode_get(n, "code"), _("a site code has three characters"));
}

int scenario_load(scenario *s, const char *path, diags *d)
{
	char *buf = NULL, *err = NULL;
	size_t len = 0;
	if (read_file_limited(path, LAB_MAX_BYTES, &buf, &len, &err) < 0) {
		memset(s, 0, sizeof *s);
		s->file = xstrdup(path);
		diags_add(d, path, 0, 0, "%s", err);
		free(err);
		return -1;
	}
	int rc = scenario_load_buffer(s, path, buf, len, d);
	free(buf);
	return rc;
}

int scenario_load_buffer(scenario *s, const char *path, const char *buf, size_t len, diags *d)
{
	static const char *top[] = {"scenario", "site", "objects", NULL};
	static const char *sc_req[] = {"name", "title", NULL};
	static const char *sc_allowed[] = {"briefing", "goals", NULL};
	memset(s, 0, sizeof *s);
	s->file = xstrdup(path);
	size_t before = d->n;
	if (len > LAB_MAX_BYTES) {
		diags_add(d, path, 0, 0, _("file is %zu bytes, larger than the limit of %u bytes"), len,
			  LAB_MAX_BYTES);
		return -1;
	}
	sha256_hex(buf, len, s->digest);
	ydoc doc;
	if (ydoc_parse(&doc, path, buf, len, d) == 0) {
		schema_ctx c = {.file = path, .d = d};
		if (!doc.root || !sc_is(&c, doc.root, YN_MAP, _("a lab scenario"))) {
			if (!doc.root)
				sc_error(&c, NULL, _("empty file"));
		} else {
			sc_keys(&c, doc.root, _("a lab scenario"), NULL, top);
			const ynode *scn = ynode_get(doc.root, "scenario");
			if (scn && sc_is(&c, scn, YN_MAP, "'scenario'")) {
				sc_keys(&c, scn, "scenario", sc_allowed, sc_req);
				s->name = sc_str(&c, scn, "name", true);
				s->title = sc_str(&c, scn, "title", true);
				s->briefing = sc_str(&c, scn, "briefing", true);
				if (s->name && !sc_id_ok(s->name))
					sc_error(&c, ynode_get(scn, "name"),
						 _("scenario name must be lower case letters, digits and '-'"));
				if (ynode_get(scn, "goals"))
					load_goals(&c, ynode_get(scn, "goals"), s);
			}
			if (ynode_get(doc.root, "site"))
				load_site(&c, ynode_get(doc.root, "site"), s);
			if (ynode_get(doc.root, "objects"))
				load_objects(&c, ynode_get(doc.root, "objects"), s);
		}
	}
	ydoc_release(&doc);
	return d->n == before ? 0 : -1;
}

size_t lab_lint_dir(const char *dir, const catalog *cat, diags *d)
{
	char *ldir = xasprintf("%s/labs", dir);
	size_t n = 0;
	char **files = list_yaml_files(ldir, &n, d);
	for (size_t i = 0; i < n; i++) {
		scenario s;
		if (scenario_load(&s, files[i], d) == 0 && s.name) {
			const char *base = strrchr(files[i], '/') + 1;
			size_t bl = strlen(base) - 5;
			if (strlen(s.name) != bl || strncmp(s.name, base, bl) != 0)
				diags_add(d, files[i], 0, 0, _("scenario name '%s' must match the file name"), s.name);
		}
		/* Goals that loaded are checked even when something else in the file is wrong. */
		scenario_lint_goals(&s, cat, d);
		scenario_release(&s);
		free(files[i]);
	}
	free(files);
	free(ldir);
	return n;
}

char *lab_scenario_path(const char *content_dir, const char *name_or_path)
{
	size_t l = strlen(name_or_path);
	if (strchr(name_or_path, '/') || (l > 5 && !strcmp(name_or_path + l - 5, ".yaml")))
		return xstrdup(name_or_path);
	return xasprintf("%s/labs/%s.yaml", content_dir, name_or_path);
}

char *lab_state_path(const char *data_dir, const char *scenario_path, const scenario *s)
{
	/* The scenario name plus a digest of the file's absolute path: two files that
	 * use one scenario name never share state. */
	char abs[PATH_MAX];
	if (!realpath(scenario_path, abs))
		snprintf(abs, sizeof abs, "%s", scenario_path);
	char h[65];
	sha256_hex(abs, strlen(abs), h);
	h[12] = '\0';
	return xasprintf("%s/labs/%s-%s.db", data_dir, s->name ? s->name : "lab", h);
}
