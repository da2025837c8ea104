/* fix.c — loads and validates fixes/SECTION.yaml (see fix.h, doc/content-format.md).
 *
 * Invariants of a fixset loaded without diagnostics:
 *   - fix ids are unique and start with the id of the check they remedy + '.';
 *   - every fix names a known check, and that check lists the fix in `fixes:`;
 *     every id a check lists names a fix (no dangling references either way);
 *   - set steps belong to automated checks (their probe class is the class the
 *     step changes), hold a canonical property path, and exactly one of
 *     `value` or `clear_bits`/`set_bits` (bits disjoint);
 *   - `requires` reads only the object itself (no select()), so the planner
 *     can evaluate it without the engine. */
#include "config.h"
#include "i18n.h"
#include "fix.h"
#include "schema.h"
#include "sha256.h"
#include "util.h"
#include "yamldoc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

char **list_yaml_files(const char *dir, size_t *n, diags *d);

static void step_free(fix_step *s)
{
	free(s->path);
	value_clear(&s->v);
	free(s->requires_src);
	expr_free(s->requires);
	free(s->unmet);
	free(s->console);
	free(s->instructions);
}

static void fix_free(fix *f)
{
	free(f->id);
	free(f->title);
	free(f->check_id);
	free(f->note);
	for (size_t i = 0; i < f->nsteps; i++)
		step_free(&f->steps[i]);
	free(f->steps);
	free(f->file);
}

void fixes_release(fixset *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		fix_free(&fs->items[i]);
	free(fs->items);
	memset(fs, 0, sizeof *fs);
}

const fix *fixes_find(const fixset *fs, const char *id)
{
	for (size_t i = 0; i < fs->n; i++)
		if (fs->items[i].id && strcmp(fs->items[i].id, id) == 0)
			return &fs->items[i];
	return NULL;
}

bool fix_is_automated(const fix *f)
{
	for (size_t i = 0; i < f->nsteps; i++)
		if (f->steps[i].kind == STEP_SET)
			return true;
	return false;
}

const fix *fix_for_check(const fixset *fs, const check *k)
{
	for (size_t i = 0; i < k->nfixes; i++) {
		const fix *f = fixes_find(fs, k->fixes[i]);
		if (f && fix_is_automated(f))
			return f;
	}
	return NULL;
}

int fix_step_value(const fix_step *s, const value *cur, value *out, char **err)
{
	if (s->op == SET_VALUE) {
		*out = value_copy(&s->v);
		return 0;
	}
	if (cur->kind != V_INT) {
		*err = xasprintf(_("cannot change bits of %s: the value is %s, not an integer"), s->path,
				 value_kind_name(cur->kind));
		return -1;
	}
	*out = value_int((cur->i & ~s->clear_bits) | s->set_bits);
	return 0;
}

/* ---------- property paths ---------- */

static bool name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* NAME { "[" 'quoted' "]" | "." NAME }, the path syntax of expressions. */
char *fix_path_canon(const char *src, char **err, int *col)
{
	strbuf sb = STRBUF_INIT;
	const char *p = src;
	if (!name_char(*p))
		goto bad_name;
	while (name_char(*p))
		sb_addc(&sb, *p++);
	while (*p) {
		if (*p == '.') {
			sb_addc(&sb, *p++);
			if (!name_char(*p))
				goto bad_name;
			while (name_char(*p))
				sb_addc(&sb, *p++);
		} else if (p[0] == '[' && p[1] == '\'') {
			p += 2;
			sb_addc(&sb, '[');
			size_t start = sb.len;
			for (;;) {
				if (!*p) {
					*err = xstrdup("unterminated quoted name");
					goto fail;
				}
				if (p[0] == '\'' && p[1] == '\'') {
					sb_addc(&sb, '\'');
					p += 2;
				} else if (*p == '\'') {
					p++;
					break;
				} else {
					sb_addc(&sb, *p++);
				}
			}
			if (sb.len == start || *p != ']') {
				*err = xstrdup(sb.len == start ? "empty embedded property name"
							      : "expected ']' after the quoted name");
				goto fail;
			}
			sb_addc(&sb, *p++);
		} else {
			*err = xstrdup("expected '.', '[' or the end of the property path");
			goto fail;
		}
	}
	return sb_detach(&sb);
bad_name:
	*err = xstrdup("expected a property name");
fail:
	*col = (int)(p - src) + 1;
	sb_release(&sb);
	return NULL;
}

/* ---------- loader ---------- */

static bool parse_int(const ynode *n, int64_t *out)
{
	if (n->kind != YN_SCALAR || !n->plain || !*n->str)
		return false;
	const char *p = n->str;
	int base = 10;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p || *p == '-' || *p == '+' || *p == ' ')
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(p, &end, base);
	if (*end || errno || v > (unsigned long long)INT64_MAX)
		return false;
	*out = (int64_t)v;
	return true;
}

/* Literal values are typed as in lab scenarios: plain true/false/null and
 * integers, quoted text, a sequence of text for a list. */
static bool literal(schema_ctx *c, const ynode *n, value *out)
{
	int64_t i;
	if (n->kind == YN_SCALAR) {
		if (n->plain && (!strcmp(n->str, "true") || !strcmp(n->str, "false")))
			*out = value_bool(n->str[0] == 't');
		else if (n->plain && (!strcmp(n->str, "null") || !strcmp(n->str, "~")))
			*out = value_null();
		else if (parse_int(n, &i))
			*out = value_int(i);
		else
			*out = value_str(n->str);
		return true;
	}
	if (n->kind == YN_SEQ) {
		*out = value_null();
		out->kind = V_LIST;
		for (size_t k = 0; k < n->n; k++) {
			if (n->items[k]->kind != YN_SCALAR) {
				sc_error(c, n->items[k], _("list items must be text"));
				value_clear(out);
				return false;
			}
			value_list_push(out, n->items[k]->str);
		}
		return true;
	}
	sc_error(c, n, _("'value' must be a scalar or a list of text, not %s"), ynode_kind_name(n->kind));
	return false;
}

static bool bits(schema_ctx *c, const ynode *map, const char *key, int64_t *out)
{
	const ynode *n = ynode_get(map, key);
	*out = 0;
	if (!n)
		return false;
	if (!parse_int(n, out))
		sc_error(c, n, _("'%s' must be a non-negative integer (0x hex allowed)"), key);
	return true;
}

static void load_set(schema_ctx *c, const ynode *n, fix_step *s)
{
	static const char *allowed[] = {"value", "clear_bits", "set_bits", "requires", "unmet", NULL};
	static const char *req[] = {"set", NULL};
	sc_keys(c, n, _("a set step"), allowed, req);
	s->kind = STEP_SET;
	const ynode *pn = ynode_get(n, "set");
	if (pn && sc_is(c, pn, YN_SCALAR, _("'set' (the property path)"))) {
		char *err = NULL;
		int col = 0;
		s->path = fix_path_canon(pn->str, &err, &col);
		if (!s->path) {
			diags_add(c->d, c->file, pn->line, pn->col + (pn->plain ? 0 : 1) + col - 1,
				  _("property path: %s"), err);
			c->errors++;
			free(err);
		}
	}
	const ynode *vn = ynode_get(n, "value");
	bool has_bits = bits(c, n, "clear_bits", &s->clear_bits);
	has_bits |= bits(c, n, "set_bits", &s->set_bits);
	if (vn && has_bits)
		sc_error(c, n, _("a set step has either 'value' or 'clear_bits'/'set_bits', not both"));
	else if (!vn && !has_bits)
		sc_error(c, n, _("a set step needs 'value' or 'clear_bits'/'set_bits'"));
	if (vn) {
		s->op = SET_VALUE;
		literal(c, vn, &s->v);
	} else {
		s->op = SET_BITS;
		if (s->clear_bits & s->set_bits)
			sc_error(c, n, _("'clear_bits' and 'set_bits' overlap (0x%llx)"),
				 (unsigned long long)(s->clear_bits & s->set_bits));
	}
	const ynode *rq = ynode_get(n, "requires");
	if (rq && sc_is(c, rq, YN_SCALAR, "'requires'")) {
		s->requires_src = xstrdup(rq->str);
		s->requires = sc_expr(c, rq);
		char **cls = NULL;
		size_t ncls = 0;
		expr_select_classes(s->requires, &cls, &ncls);
		if (ncls)
			sc_error(c, rq, _("'requires' may read only the object itself (no select())"));
		for (size_t i = 0; i < ncls; i++)
			free(cls[i]);
		free(cls);
	}
	s->unmet = sc_str(c, n, "unmet", true);
	if (rq && !s->unmet)
		sc_error(c, rq, _("a step with 'requires' needs 'unmet': what the operator must do first"));
}

static void load_manual(schema_ctx *c, const ynode *n, fix_step *s)
{
	static const char *req[] = {"manual", "do", NULL};
	sc_keys(c, n, _("a manual step"), NULL, req);
	s->kind = STEP_MANUAL;
	s->console = sc_str(c, n, "manual", true);
	s->instructions = sc_str(c, n, "do", true);
}

static void load_steps(schema_ctx *c, const ynode *list, fix *f)
{
	if (!sc_is(c, list, YN_SEQ, "'steps'"))
		return;
	if (list->n == 0)
		sc_error(c, list, _("a fix needs at least one step"));
	f->steps = xcalloc(list->n ? list->n : 1, sizeof *f->steps);
	for (size_t i = 0; i < list->n; i++) {
		const ynode *n = list->items[i];
		if (!sc_is(c, n, YN_MAP, _("a step")))
			continue;
		fix_step *s = &f->steps[f->nsteps++];
		s->line = n->line;
		s->col = n->col;
		if (ynode_get(n, "set"))
			load_set(c, n, s);
		else if (ynode_get(n, "manual"))
			load_manual(c, n, s);
		else {
			s->kind = STEP_MANUAL;
			sc_error(c, n, _("a step starts with 'set: PROPERTY' or 'manual: CONSOLE PATH'"
				       " (script steps are not supported yet)"));
		}
	}
}

/* The rules that need the catalog: the check exists, set steps fit it. */
static void check_against_catalog(schema_ctx *c, const ynode *n, fix *f, const catalog *cat)
{
	if (!f->check_id)
		return;
	const check *k = catalog_find(cat, f->check_id);
	const ynode *cn = ynode_get(n, "check");
	if (!k) {
		sc_error(c, cn, _("unknown check '%s'"), f->check_id);
		return;
	}
	if (f->id && (strncmp(f->id, k->id, strlen(k->id)) != 0 || f->id[strlen(k->id)] != '.'))
		sc_error(c, ynode_get(n, "id"), _("a fix id starts with the id of its check: '%s.NAME'"), k->id);
	bool listed = false;
	for (size_t i = 0; i < k->nfixes; i++)
		listed |= f->id && strcmp(k->fixes[i], f->id) == 0;
	if (f->id && !listed)
		sc_error(c, ynode_get(n, "id"), _("check '%s' (%s:%d) does not list this fix in its 'fixes:'"),
			 k->id, k->file, k->line);
	for (size_t i = 0; i < f->nsteps; i++) {
		if (f->steps[i].kind != STEP_SET || (k->kind == KIND_AUTOMATED && k->probe))
			continue;
		diags_add(c->d, c->file, f->steps[i].line, f->steps[i].col,
			  _("a set step needs an automated check (it changes the check's offending"
			  " objects); '%s' is an attestation check"),
			  k->id);
		c->errors++;
	}
}

static void load_fix(schema_ctx *c, const ynode *n, fix *f, const catalog *cat)
{
	static const char *allowed[] = {"note", NULL};
	static const char *req[] = {"id", "title", "check", "steps", NULL};
	sc_keys(c, n, _("a fix"), allowed, req);
	f->file = xstrdup(c->file);
	f->line = n->line;
	f->col = n->col;
	f->id = sc_str(c, n, "id", true);
	if (f->id && !sc_id_ok(f->id))
		sc_error(c, ynode_get(n, "id"), _("fix id '%s' may hold only a-z, 0-9, '-' and '.'"), f->id);
	f->title = sc_str(c, n, "title", true);
	f->check_id = sc_str(c, n, "check", true);
	f->note = sc_str(c, n, "note", true);
	const ynode *steps = ynode_get(n, "steps");
	if (steps)
		load_steps(c, steps, f);
	check_against_catalog(c, n, f, cat);
}

static void load_file(fixset *fs, const char *path, const char *buf, size_t len, const catalog *cat,
		      diags *d)
{
	ydoc doc;
	if (ydoc_parse(&doc, path, buf, len, d) < 0) {
		ydoc_release(&doc);
		return;
	}
	schema_ctx c = {path, d, 0};
	static const char *req[] = {"fixes", NULL};
	if (!doc.root) {
		diags_add(d, path, 1, 1, _("empty file (expected 'fixes:')"));
	} else if (sc_is(&c, doc.root, YN_MAP, _("the document"))) {
		sc_keys(&c, doc.root, _("a fixes file"), NULL, req);
		const ynode *list = ynode_get(doc.root, "fixes");
		if (list && sc_is(&c, list, YN_SEQ, "'fixes'"))
			for (size_t i = 0; i < list->n; i++) {
				if (!sc_is(&c, list->items[i], YN_MAP, _("a fix")))
					continue;
				GROW(fs->items, fs->cap, fs->n + 1);
				fix *f = &fs->items[fs->n++];
				memset(f, 0, sizeof *f);
				load_fix(&c, list->items[i], f, cat);
			}
	}
	ydoc_release(&doc);
}

static void check_unique(const fixset *fs, diags *d)
{
	for (size_t i = 0; i < fs->n; i++)
		for (size_t j = 0; j < i; j++)
			if (fs->items[i].id && fs->items[j].id && !strcmp(fs->items[i].id, fs->items[j].id))
				diags_add(d, fs->items[i].file, fs->items[i].line, fs->items[i].col,
					  _("duplicate fix id '%s' (first at %s:%d:%d)"), fs->items[i].id,
					  fs->items[j].file, fs->items[j].line, fs->items[j].col);
}

static void check_references(const fixset *fs, const catalog *cat, diags *d)
{
	for (size_t s = 0; s < cat->nsections; s++)
		for (size_t i = 0; i < cat->sections[s].n; i++) {
			const check *k = &cat->sections[s].checks[i];
			for (size_t j = 0; j < k->nfixes; j++) {
				const fix *f = fixes_find(fs, k->fixes[j]);
				if (!f)
					diags_add(d, k->file, k->line, k->col,
						  _("check '%s' lists fix '%s', which no file in fixes/ defines"), k->id,
						  k->fixes[j]);
				else if (f->check_id && strcmp(f->check_id, k->id) != 0)
					diags_add(d, k->file, k->line, k->col,
						  _("check '%s' lists fix '%s', which remedies '%s'"), k->id, f->id,
						  f->check_id);
			}
		}
}

int fixes_load(fixset *fs, const char *dir, const catalog *cat, diags *d)
{
	memset(fs, 0, sizeof *fs);
	size_t before = d->n, nfiles = 0;
	char *fdir = xasprintf("%s/fixes", dir);
	char **files = list_yaml_files(fdir, &nfiles, d);
	free(fdir);
	sha256_ctx digest;
	sha256_init(&digest);
	for (size_t i = 0; i < nfiles; i++) {
		char *buf = NULL, *err = NULL;
		size_t len = 0;
		if (read_file_limited(files[i], CONTENT_MAX_BYTES, &buf, &len, &err) < 0) {
			diags_add(d, files[i], 0, 0, "%s", err);
			free(err);
		} else {
			const char *base = strrchr(files[i], '/') + 1;
			sha256_update(&digest, base, strlen(base) + 1);
			sha256_update(&digest, buf, len);
			load_file(fs, files[i], buf, len, cat, d);
			free(buf);
		}
		free(files[i]);
	}
	free(files);
	uint8_t h[32];
	sha256_final(&digest, h);
	sha256_to_hex(h, fs->digest);
	check_unique(fs, d);
	check_references(fs, cat, d);
	return d->n > before ? -1 : 0;
}

int fixes_lint(const char *dir, const catalog *cat, diags *d)
{
	fixset fs;
	fixes_load(&fs, dir, cat, d);
	int n = (int)fs.n;
	fixes_release(&fs);
	return n;
}
