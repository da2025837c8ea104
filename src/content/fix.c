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
 *     can evaluate it without the engine;
 *   - every script a step names has its manifest and its three PowerShell
 *     files (apply, undo, capture) whose param() blocks declare exactly the
 *     manifest's parameters with the PowerShell type of each (undo also
 *     State); script steps belong to automated checks whose probe class is
 *     the script's class, bind every parameter and nothing else, and their
 *     literals are values of their parameter's type. */
#include "config.h"
#include "base/i18n.h"
#include "content/fix.h"
#include "content/schema.h"
#include "base/sha256.h"
#include "base/util.h"
#include "content/yamldoc.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>


static void step_free(fix_step *s)
{
	for (size_t i = 0; i < s->nbinds; i++) {
		free(s->binds[i].name);
		free(s->binds[i].from);
		free(s->binds[i].ask);
		value_clear(&s->binds[i].v);
	}
	free(s->binds);
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

static void script_def_free(script_def *sd)
{
	free(sd->name);
	free(sd->title);
	free(sd->cls);
	for (size_t i = 0; i < sd->nparams; i++)
		free(sd->params[i].name);
	free(sd->params);
	free(sd->after_remove);
	free(sd->after_value);
	free(sd->file);
}

void fixes_release(fixset *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		fix_free(&fs->items[i]);
	free(fs->items);
	for (size_t i = 0; i < fs->nscripts; i++)
		script_def_free(&fs->scripts[i]);
	free(fs->scripts);
	free(fs->dir);
	memset(fs, 0, sizeof *fs);
}

const script_def *fixes_script(const fixset *fs, const char *name)
{
	for (size_t i = 0; i < fs->nscripts; i++)
		if (!strcmp(fs->scripts[i].name, name))
			return &fs->scripts[i];
	return NULL;
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
		if (f->steps[i].kind == STEP_SET || f->steps[i].kind == STEP_SCRIPT)
			return true;
	return false;
}

bool fix_is_chosen(const fix *f, const check *k)
{
	/* A fail-or-ask check's fix changes the objects its automated part found, as
	 * an automated check's does; only a pure attestation leaves the choice to the operator. */
	return k && k->kind == KIND_ATTESTATION && !k->fail_or_ask && fix_is_automated(f);
}

static bool has_script(const fix *f)
{
	for (size_t i = 0; i < f->nsteps; i++)
		if (f->steps[i].kind == STEP_SCRIPT)
			return true;
	return false;
}

const fix *fix_for_target(const fixset *fs, const check *k, bool scripts)
{
	for (size_t i = 0; i < k->nfixes; i++) {
		const fix *f = fixes_find(fs, k->fixes[i]);
		if (f && fix_is_automated(f) && (scripts || !has_script(f)))
			return f;
	}
	return NULL;
}

const fix *fix_by_hand(const fixset *fs, const check *k)
{
	for (size_t i = 0; i < k->nfixes; i++) {
		const fix *f = fixes_find(fs, k->fixes[i]);
		if (f && !fix_is_automated(f))
			return f;
	}
	return NULL;
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

/* ---------- scripts: fixes/scripts/NAME/ ---------- */

static const char *const script_files[] = {"apply.ps1", "undo.ps1", "capture.ps1"};

typedef struct ps_param {
	char *name, *type; /* type: the [..] before the name, lower case; NULL when none */
	int line;
} ps_param;

static void ps_params_free(ps_param *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].name);
		free(p[i].type);
	}
	free(p);
}

typedef struct ps_scan {
	const char *s;
	size_t len, i;
	int line;
} ps_scan;

static void ps_adv(ps_scan *sc)
{
	if (sc->s[sc->i] == '\n')
		sc->line++;
	sc->i++;
}

/* Skips whitespace and comments; false at an unterminated block comment. */
static bool ps_skip(ps_scan *sc)
{
	while (sc->i < sc->len) {
		char ch = sc->s[sc->i];
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
			ps_adv(sc);
		} else if (ch == '#') {
			while (sc->i < sc->len && sc->s[sc->i] != '\n')
				ps_adv(sc);
		} else if (ch == '<' && sc->i + 1 < sc->len && sc->s[sc->i + 1] == '#') {
			sc->i += 2;
			while (sc->i + 1 < sc->len && !(sc->s[sc->i] == '#' && sc->s[sc->i + 1] == '>'))
				ps_adv(sc);
			if (sc->i + 1 >= sc->len)
				return false;
			sc->i += 2;
		} else {
			break;
		}
	}
	return true;
}

/* Skips a quoted string starting at sc->i; false when unterminated. */
static bool ps_skip_string(ps_scan *sc)
{
	char q = sc->s[sc->i];
	ps_adv(sc);
	while (sc->i < sc->len) {
		char ch = sc->s[sc->i];
		if (q == '"' && ch == '`' && sc->i + 1 < sc->len) {
			ps_adv(sc);
			ps_adv(sc);
		} else if (ch == q && sc->i + 1 < sc->len && sc->s[sc->i + 1] == q) {
			ps_adv(sc);
			ps_adv(sc);
		} else if (ch == q) {
			ps_adv(sc);
			return true;
		} else {
			ps_adv(sc);
		}
	}
	return false;
}

/* The text inside a balanced [...] starting at sc->i; NULL when unbalanced. */
static char *ps_bracket(ps_scan *sc)
{
	size_t start = sc->i + 1;
	int depth = 0;
	while (sc->i < sc->len) {
		char ch = sc->s[sc->i];
		if (ch == '\'' || ch == '"') {
			if (!ps_skip_string(sc))
				return NULL;
			continue;
		}
		if (ch == '[')
			depth++;
		else if (ch == ']' && --depth == 0) {
			char *t = xstrndup(sc->s + start, sc->i - start);
			ps_adv(sc);
			return t;
		}
		ps_adv(sc);
	}
	return NULL;
}

static bool ps_word_char(char ch)
{
	return name_char(ch) || ch == '-';
}

/* The parameters of a script's top-level param() block: the name of each
 * and the type in the last [...] without parentheses before it (attributes
 * such as [Parameter(Mandatory = $true)] have them). A script without a
 * param() block has none. -1 with *err and *line when it cannot be read. */
static int ps_params(const char *src, size_t len, ps_param **out, size_t *n, int *line, char **err)
{
	ps_scan sc = {src, len, 0, 1};
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	for (;;) {
		if (!ps_skip(&sc)) {
			*err = xstrdup(_("unterminated <# comment"));
			goto fail;
		}
		if (sc.i < len && src[sc.i] == '[') { /* [CmdletBinding()] before param */
			char *t = ps_bracket(&sc);
			if (!t) {
				*err = xstrdup(_("unbalanced '['"));
				goto fail;
			}
			free(t);
			continue;
		}
		break;
	}
	size_t w = sc.i;
	while (w < len && ps_word_char(src[w]))
		w++;
	if (w - sc.i != 5 || strncasecmp(src + sc.i, "param", 5) != 0)
		return 0;
	sc.i = w;
	if (!ps_skip(&sc) || sc.i >= len || src[sc.i] != '(')
		return 0;
	int open_line = sc.line;
	ps_adv(&sc);
	int depth = 1;
	char *pending = NULL;
	bool in_default = false;
	while (depth > 0) {
		if (!ps_skip(&sc) || sc.i >= len) {
			free(pending);
			*err = xstrdup(_("the param( block is not closed"));
			*line = open_line;
			goto fail_noline;
		}
		char ch = src[sc.i];
		if (ch == '\'' || ch == '"') {
			if (!ps_skip_string(&sc)) {
				free(pending);
				*err = xstrdup(_("unterminated string in the param( block"));
				goto fail;
			}
		} else if (ch == '[') {
			char *t = ps_bracket(&sc);
			if (!t) {
				free(pending);
				*err = xstrdup(_("unbalanced '[' in the param( block"));
				goto fail;
			}
			if (depth == 1 && !in_default && !strchr(t, '(')) {
				free(pending);
				for (char *q = t; *q; q++)
					*q = (char)(*q >= 'A' && *q <= 'Z' ? *q - 'A' + 'a' : *q);
				pending = t;
			} else {
				free(t);
			}
		} else if (ch == '(' || ch == '{') {
			depth++;
			ps_adv(&sc);
		} else if (ch == ')' || ch == '}') {
			depth--;
			ps_adv(&sc);
		} else if (ch == ',' && depth == 1) {
			in_default = false;
			free(pending);
			pending = NULL;
			ps_adv(&sc);
		} else if (ch == '$' && depth == 1 && !in_default) {
			size_t st = ++sc.i;
			while (sc.i < len && name_char(src[sc.i]))
				sc.i++;
			GROW(*out, cap, *n + 1);
			ps_param *pp = &(*out)[(*n)++];
			pp->name = xstrndup(src + st, sc.i - st);
			pp->type = pending;
			pp->line = sc.line;
			pending = NULL;
			in_default = true;
		} else {
			ps_adv(&sc);
		}
	}
	free(pending);
	return 0;
fail:
	*line = sc.line;
fail_noline:
	ps_params_free(*out, *n);
	*out = NULL;
	*n = 0;
	return -1;
}

/* The param() block of one script file against the manifest. */
static void check_ps_file(diags *d, const script_def *sd, const char *path, const char *buf, size_t len,
			  bool is_undo)
{
	ps_param *pp = NULL;
	size_t np = 0;
	int line = 0;
	char *err = NULL;
	if (ps_params(buf, len, &pp, &np, &line, &err) < 0) {
		diags_add(d, path, line, 0, _("cannot read the param() block: %s"), err);
		free(err);
		return;
	}
	size_t want = sd->nparams + (is_undo ? 1 : 0);
	for (size_t i = 0; i < want; i++) {
		const char *name = i < sd->nparams ? sd->params[i].name : SCRIPT_STATE_PARAM;
		script_type t = i < sd->nparams ? sd->params[i].type : sd->state;
		const ps_param *found = NULL;
		for (size_t k = 0; k < np && !found; k++)
			if (str_ieq(pp[k].name, name))
				found = &pp[k];
		if (!found && i < sd->nparams)
			diags_add(d, path, 1, 1, _("the param() block does not declare $%s (%s: %s)"), name, sd->file,
				  script_type_name(t));
		else if (!found)
			diags_add(d, path, 1, 1, _("the param() block does not declare $%s (the captured state: %s)"),
				  name, script_type_name(t));
		else if (!found->type || strcmp(found->type, script_type_ps(t)) != 0)
			diags_add(d, path, found->line, 0, _("$%s must be declared [%s] (a %s)"), found->name,
				  script_type_ps(t), script_type_name(t));
	}
	for (size_t k = 0; k < np; k++) {
		bool known = is_undo && str_ieq(pp[k].name, SCRIPT_STATE_PARAM);
		for (size_t i = 0; i < sd->nparams && !known; i++)
			known = str_ieq(pp[k].name, sd->params[i].name);
		if (!known)
			diags_add(d, path, pp[k].line, 0,
				  is_undo ? _("$%s is neither State nor a parameter of the manifest %s: the agent binds"
					      " only those")
					  : _("$%s is not a parameter of the manifest %s: the agent binds only those"),
				  pp[k].name, sd->file);
	}
	ps_params_free(pp, np);
}

static bool param_name_ok(const char *s)
{
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!name_char(*s) || *s == '_')
			return false;
	return true;
}

static const char *const type_names =
	"string, int, bool, hostname, name, principal, path, acl-entry, or a list: string-list,"
	" hostname-list, name-list, principal-list, path-list, acl-entry-list";

static bool load_type(schema_ctx *c, const ynode *map, const char *key, script_type *out)
{
	char *t = sc_str(c, map, key, true);
	bool ok = t && script_type_parse(t, out) == 0;
	if (t && !ok)
		sc_error(c, ynode_get(map, key), _("unknown type '%s' (%s)"), t, type_names);
	free(t);
	return ok;
}

/* script.yaml: name, title, class, params, state, after. */
static void load_manifest(schema_ctx *c, const ynode *root, script_def *sd, const char *dirname)
{
	static const char *allowed[] = {"params", "after", NULL};
	static const char *req[] = {"name", "title", "class", "state", NULL};
	sc_keys(c, root, _("a script manifest"), allowed, req);
	char *given = sc_str(c, root, "name", true);
	if (given && strcmp(given, dirname) != 0)
		sc_error(c, ynode_get(root, "name"), _("the name '%s' must be the directory's name '%s'"), given,
			 dirname);
	free(given);
	sd->title = sc_str(c, root, "title", true);
	sd->cls = sc_str(c, root, "class", true);
	load_type(c, root, "state", &sd->state);
	const ynode *pl = ynode_get(root, "params");
	if (pl && sc_is(c, pl, YN_SEQ, "'params'")) {
		sd->params = xcalloc(pl->n + 1, sizeof *sd->params);
		for (size_t i = 0; i < pl->n; i++) {
			const ynode *pn = pl->items[i];
			static const char *preq[] = {"name", "type", NULL};
			if (!sc_is(c, pn, YN_MAP, _("a parameter")))
				continue;
			sc_keys(c, pn, _("a parameter"), NULL, preq);
			char *name = sc_str(c, pn, "name", true);
			script_type t = ST_STRING;
			load_type(c, pn, "type", &t);
			if (!name)
				continue;
			if (!param_name_ok(name))
				sc_error(c, ynode_get(pn, "name"),
					 _("parameter name '%s': a letter, then letters and digits (a PowerShell parameter)"),
					 name);
			else if (str_ieq(name, SCRIPT_STATE_PARAM)) {
				sc_error(c, ynode_get(pn, "name"),
					 _("'State' is the parameter that carries the captured state to undo.ps1; choose"
					 " another name"));
				free(name);
				continue;
			}
			for (size_t k = 0; k < sd->nparams; k++)
				if (str_ieq(sd->params[k].name, name))
					sc_error(c, ynode_get(pn, "name"), _("parameter '%s' is declared twice"), name);
			sd->params[sd->nparams].name = name;
			sd->params[sd->nparams++].type = t;
		}
	}
	const ynode *af = ynode_get(root, "after");
	if (af && sc_is(c, af, YN_MAP, "'after'")) {
		static const char *aok[] = {"remove", "value", NULL};
		sc_keys(c, af, "'after'", aok, NULL);
		const char *key = ynode_get(af, "remove") ? "remove" : "value";
		if (!ynode_get(af, "remove") == !ynode_get(af, "value")) {
			sc_error(c, af, _("'after' is {remove: PARAM} or {value: PARAM}"));
			return;
		}
		char *pname = sc_str(c, af, key, true);
		const script_param_decl *p = NULL;
		for (size_t k = 0; pname && k < sd->nparams && !p; k++)
			if (!strcmp(sd->params[k].name, pname))
				p = &sd->params[k];
		if (pname && !p)
			sc_error(c, ynode_get(af, key), _("'%s' names a parameter of this script"), key);
		else if (p && key[0] == 'r' && (p->type != sd->state || !script_type_is_list(sd->state)))
			sc_error(c, ynode_get(af, key),
				 _("'remove: %s' needs a list state and a parameter of the state's type (state %s, %s"
				   " %s)"),
				 p->name, script_type_name(sd->state), p->name, script_type_name(p->type));
		else if (p && key[0] == 'v' && p->type != sd->state)
			sc_error(c, ynode_get(af, key),
				 _("'value: %s' needs a parameter of the state's type (state %s, %s %s)"), p->name,
				 script_type_name(sd->state), p->name, script_type_name(p->type));
		if (key[0] == 'r')
			sd->after_remove = pname;
		else
			sd->after_value = pname;
	}
}

static void digest_file(sha256_ctx *digest, const char *rel, const char *buf, size_t len)
{
	sha256_update(digest, rel, strlen(rel) + 1);
	sha256_update(digest, buf, len);
}

static void load_script_dir(fixset *fs, const char *dir, const char *name, sha256_ctx *digest, diags *d)
{
	GROW(fs->scripts, fs->cap_scripts, fs->nscripts + 1);
	script_def *sd = &fs->scripts[fs->nscripts++];
	memset(sd, 0, sizeof *sd);
	sd->name = xstrdup(name);
	sd->file = xasprintf("%s/script.yaml", dir);
	sd->line = sd->col = 1;
	if (!script_name_ok(name))
		diags_add(d, dir, 0, 0,
			  _("a script directory is named [a-z0-9-] (at most 64 characters): the name becomes part"
			  " of a path on the site"));
	char *buf = NULL, *err = NULL;
	size_t len = 0;
	if (read_file_limited(sd->file, CONTENT_MAX_BYTES, &buf, &len, &err) < 0) {
		diags_add(d, sd->file, 0, 0, _("%s (every script needs its manifest)"), err);
		free(err);
	} else {
		char *rel = xasprintf("scripts/%s/script.yaml", name);
		digest_file(digest, rel, buf, len);
		free(rel);
		ydoc doc;
		if (ydoc_parse(&doc, sd->file, buf, len, d) == 0) {
			schema_ctx c = {sd->file, d, 0};
			if (!doc.root)
				diags_add(d, sd->file, 1, 1, _("empty file (expected a script manifest)"));
			else if (sc_is(&c, doc.root, YN_MAP, _("the document")))
				load_manifest(&c, doc.root, sd, name);
		}
		ydoc_release(&doc);
		free(buf);
	}
	for (size_t i = 0; i < ARRAY_SIZE(script_files); i++) {
		char *path = xasprintf("%s/%s", dir, script_files[i]);
		if (read_file_limited(path, CONTENT_MAX_BYTES, &buf, &len, &err) < 0) {
			diags_add(d, path, 0, 0, _("%s (a script has apply.ps1, undo.ps1 and capture.ps1)"), err);
			free(err);
		} else {
			char *rel = xasprintf("scripts/%s/%s", name, script_files[i]);
			digest_file(digest, rel, buf, len);
			free(rel);
			check_ps_file(d, sd, path, buf, len, i == 1);
			free(buf);
		}
		free(path);
	}
}

/* Every directory of DIR/fixes/scripts (none when it does not exist). */
static void load_scripts(fixset *fs, const char *dir, sha256_ctx *digest, diags *d)
{
	char *sdir = xasprintf("%s/fixes/scripts", dir);
	DIR *dh = opendir(sdir);
	if (!dh) {
		if (errno != ENOENT)
			diags_add(d, sdir, 0, 0, _("cannot read the directory: %s"), strerror(errno));
		free(sdir);
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dh)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", sdir, e->d_name);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			GROW(names, cap, n + 1);
			names[n++] = xstrdup(e->d_name);
		}
		free(p);
	}
	closedir(dh);
	for (size_t i = 1; i < n; i++) /* name order, so the digest is stable */
		for (size_t k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
			char *t = names[k];
			names[k] = names[k - 1];
			names[k - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		char *p = xasprintf("%s/%s", sdir, names[i]);
		load_script_dir(fs, p, names[i], digest, d);
		free(p);
		free(names[i]);
	}
	free(names);
	free(sdir);
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

/* `requires` and `unmet`, shared by set and script steps. */
static void load_requires(schema_ctx *c, const ynode *n, fix_step *s)
{
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
	load_requires(c, n, s);
}

/* params: {NAME: {from: PATH} | {value: LITERAL}, ...}, one per parameter of the script. */
static void load_binds(schema_ctx *c, const ynode *pm, fix_step *s)
{
	const script_def *sd = s->script;
	s->binds = xcalloc(sd->nparams ? sd->nparams : 1, sizeof *s->binds);
	s->nbinds = sd->nparams;
	for (size_t i = 0; i < sd->nparams; i++) {
		s->binds[i].name = xstrdup(sd->params[i].name);
		s->binds[i].type = sd->params[i].type;
		s->binds[i].src = BIND_VALUE;
	}
	bool *given = xcalloc(sd->nparams + 1, sizeof *given);
	if (pm && sc_is(c, pm, YN_MAP, "'params'"))
		for (size_t k = 0; k < pm->n; k++) {
			const ynode *key = pm->keys[k], *b = pm->items[k];
			size_t i = 0;
			while (i < sd->nparams && strcmp(sd->params[i].name, key->str) != 0)
				i++;
			if (i == sd->nparams) {
				sc_error(c, key, _("script '%s' has no parameter '%s' (see %s)"), sd->name, key->str,
					 sd->file);
				continue;
			}
			given[i] = true;
			script_bind *bd = &s->binds[i];
			static const char *allowed[] = {"from", "value", "ask", NULL};
			if (!sc_is(c, b, YN_MAP, _("a parameter ({from: PROPERTY}, {value: LITERAL} or {ask: TEXT})")))
				continue;
			sc_keys(c, b, _("a parameter"), allowed, NULL);
			const ynode *from = ynode_get(b, "from"), *lit = ynode_get(b, "value"), *ask = ynode_get(b, "ask");
			if ((from != NULL) + (lit != NULL) + (ask != NULL) != 1) {
				sc_error(c, b, _("parameter '%s' takes exactly one of 'from' (a property of the object),"
					       " 'value' (a literal) or 'ask' (the operator gives it)"),
					 bd->name);
				continue;
			}
			if (ask) {
				bd->src = BIND_ASK;
				bd->ask = sc_str(c, b, "ask", true);
			} else if (from && sc_is(c, from, YN_SCALAR, _("'from' (a property path)"))) {
				char *err = NULL;
				int col = 0;
				bd->src = BIND_FROM;
				bd->from = fix_path_canon(from->str, &err, &col);
				if (!bd->from) {
					diags_add(c->d, c->file, from->line, from->col + (from->plain ? 0 : 1) + col - 1,
						  _("parameter '%s': property path: %s"), bd->name, err);
					c->errors++;
					free(err);
				}
			} else if (lit && literal(c, lit, &bd->v)) {
				char *err = NULL;
				if (script_value_check(bd->type, &bd->v, &err) < 0) {
					sc_error(c, lit, _("parameter '%s' is a %s: %s"), bd->name,
						 script_type_name(bd->type), err);
					free(err);
				}
			}
		}
	for (size_t i = 0; i < sd->nparams; i++)
		if (!given[i])
			sc_error(c, pm, _("parameter '%s' of script '%s' is not given"), sd->params[i].name,
				 sd->name);
	free(given);
}

static void load_script_step(schema_ctx *c, const ynode *n, fix_step *s, const fixset *fs)
{
	static const char *allowed[] = {"params", "requires", "unmet", NULL};
	static const char *req[] = {"script", NULL};
	sc_keys(c, n, _("a script step"), allowed, req);
	s->kind = STEP_SCRIPT;
	const ynode *sn = ynode_get(n, "script");
	if (sn && sc_is(c, sn, YN_SCALAR, _("'script' (a name in fixes/scripts/)"))) {
		s->path = xstrdup(sn->str); /* what front ends show for the step */
		s->script = fixes_script(fs, sn->str);
		if (!s->script)
			sc_error(c, sn,
				 _("no script '%s' in fixes/scripts/ (a script is a directory fixes/scripts/NAME/ with"
				 " script.yaml, apply.ps1, undo.ps1 and capture.ps1)"),
				 sn->str);
	}
	if (s->script) {
		const ynode *pm = ynode_get(n, "params");
		if (!pm && s->script->nparams)
			sc_error(c, n, _("a script step of '%s' needs 'params' (%zu parameter(s))"), s->script->name,
				 s->script->nparams);
		else
			load_binds(c, pm, s);
	}
	load_requires(c, n, s);
}

static void load_manual(schema_ctx *c, const ynode *n, fix_step *s)
{
	static const char *req[] = {"manual", "do", NULL};
	sc_keys(c, n, _("a manual step"), NULL, req);
	s->kind = STEP_MANUAL;
	s->console = sc_str(c, n, "manual", true);
	s->instructions = sc_str(c, n, "do", true);
}

static void load_steps(schema_ctx *c, const ynode *list, fix *f, const fixset *fs)
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
		else if (ynode_get(n, "script"))
			load_script_step(c, n, s, fs);
		else if (ynode_get(n, "manual"))
			load_manual(c, n, s);
		else {
			s->kind = STEP_MANUAL;
			sc_error(c, n, _("a step starts with 'set: PROPERTY', 'script: NAME' or 'manual: CONSOLE PATH'"));
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
	bool automated = (k->kind == KIND_AUTOMATED || k->fail_or_ask) && k->probe;
	for (size_t i = 0; i < f->nsteps; i++) {
		const fix_step *st = &f->steps[i];
		if (st->kind == STEP_MANUAL)
			continue;
		if (st->kind == STEP_SET && !automated) {
			diags_add(c->d, c->file, st->line, st->col,
				  _("a set step needs an automated check (it changes the check's offending"
				  " objects); '%s' is an attestation check"),
				  k->id);
			c->errors++;
		} else if (st->kind == STEP_SCRIPT && st->script && automated) {
			if (!str_ieq(st->script->cls, k->probe->cls)) {
				diags_add(c->d, c->file, st->line, st->col,
					  _("script '%s' changes %s objects, but check '%s' offends with %s objects"),
					  st->script->name, st->script->cls, k->id, k->probe->cls);
				c->errors++;
			}
			for (size_t b = 0; b < st->nbinds; b++)
				if (st->binds[b].src == BIND_ASK) {
					diags_add(c->d, c->file, st->line, st->col,
						  _("parameter '%s': 'ask' is for fixes of attestation checks, which the"
						  " operator runs on objects they choose; a fix of an automated check"
						  " runs unattended (fix --failing)"),
						  st->binds[b].name);
					c->errors++;
				}
		} else if (st->kind == STEP_SCRIPT && st->script) {
			/* An attestation check: the operator chooses objects from its evidence. */
			bool shown = false;
			for (size_t e = 0; e < k->nevidence && !shown; e++)
				shown = str_ieq(k->evidence[e].cls, st->script->cls);
			if (!shown) {
				diags_add(c->d, c->file, st->line, st->col,
					  _("script '%s' changes %s objects, but attestation check '%s' shows no %s"
					  " evidence to choose them from"),
					  st->script->name, st->script->cls, k->id, st->script->cls);
				c->errors++;
			}
		}
	}
}

static void load_fix(schema_ctx *c, const ynode *n, fix *f, const catalog *cat, const fixset *fs)
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
		load_steps(c, steps, f, fs);
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
				load_fix(&c, list->items[i], f, cat, fs);
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
	fs->dir = xstrdup(dir);
	size_t before = d->n, nfiles = 0;
	sha256_ctx digest;
	sha256_init(&digest);
	/* Scripts first: fixes point into fs->scripts, which then never moves. */
	load_scripts(fs, dir, &digest, d);
	char *fdir = xasprintf("%s/fixes", dir);
	char **files = list_yaml_files(fdir, &nfiles, d);
	free(fdir);
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
			/* fixes/SECTION.yaml of a section this run leaves out (--scope) has no checks to fix. */
			if (!catalog_scoped_out(cat, base))
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
