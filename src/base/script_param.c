/* script_param.c — parameter types, validation and encoding for script steps
 * (see script_param.h).
 *
 * Validation is by allow-rules per type, applied to decoded code points: text
 * must be valid UTF-8 of at most SCRIPT_MAX_TEXT bytes and holds no C0/C1
 * control character, no DEL, no U+2028/U+2029 and no bidirectional control;
 * then each type adds what its Windows object cannot contain. The messages
 * name the offending character as U+XXXX or in quotes, never raw. */
#include "config.h"
#include "base/script_param.h"
#include "base/utf8.h"
#include "base/i18n.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	bool list;
} types[ST_NTYPES] = {
#define ST_ROW(id, name, list) {name, list},
	SCRIPT_TYPE_TABLE(ST_ROW)
#undef ST_ROW
};

bool script_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64 || s[0] == '-')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

const char *script_type_name(script_type t)
{
	return t < ST_NTYPES ? types[t].name : "?";
}

int script_type_parse(const char *name, script_type *out)
{
	for (int i = 0; i < ST_NTYPES; i++)
		if (!strcmp(name, types[i].name)) {
			*out = (script_type)i;
			return 0;
		}
	return -1;
}

bool script_type_is_list(script_type t)
{
	return t < ST_NTYPES && types[t].list;
}

/* The type of one item of a list type (ST_PRINCIPAL for ST_PRINCIPAL_LIST);
 * the type itself for a scalar type. */
static script_type script_type_item(script_type t)
{
	switch (t) {
	case ST_STRING_LIST:
		return ST_STRING;
	case ST_HOSTNAME_LIST:
		return ST_HOSTNAME;
	case ST_NAME_LIST:
		return ST_NAME;
	case ST_PRINCIPAL_LIST:
		return ST_PRINCIPAL;
	case ST_PATH_LIST:
		return ST_PATH;
	case ST_ACL_ENTRY_LIST:
		return ST_ACL_ENTRY;
	default:
		return t;
	}
}

const char *script_type_ps(script_type t)
{
	if (script_type_is_list(t))
		return "string[]";
	return t == ST_INT ? "long" : t == ST_BOOL ? "bool" : "string";
}

/* ---------- text rules ---------- */


static bool forbidden_anywhere(unsigned cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
	       cp == 0x200f || cp == 0x061c || cp == 0xfeff;
}

static char *describe(unsigned cp)
{
	if (cp >= 0x21 && cp < 0x7f)
		return xasprintf("'%c'", (char)cp);
	if (cp == ' ')
		return xstrdup(_("a space"));
	return xasprintf("U+%04X", cp);
}

/* The rules every text type shares. */
static int text_ok(const char *s, const char *what, char **err)
{
	size_t len = strlen(s);
	if (len > SCRIPT_MAX_TEXT) {
		*err = xasprintf(_("%s is longer than %u bytes"), what, SCRIPT_MAX_TEXT);
		return -1;
	}
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (!n) {
			*err = xasprintf(_("%s is not valid UTF-8 (byte %zu)"), what, i + 1);
			return -1;
		}
		if (forbidden_anywhere(cp)) {
			char *d = describe(cp);
			*err = xasprintf(_("%s contains the control character %s (a parameter is one line of"
					   " plain text)"),
					 what, d);
			free(d);
			return -1;
		}
		i += n;
	}
	return 0;
}

static int refuse_char(const char *what, const char *type_desc, char c, char **err)
{
	char *d = describe((unsigned char)c);
	*err = xasprintf(_("%s: %s cannot contain %s"), what, type_desc, d);
	free(d);
	return -1;
}

static bool edge_space(const char *s, size_t len)
{
	return len && (s[0] == ' ' || s[len - 1] == ' ');
}

/* A Windows account or group name: the characters Windows refuses in local
 * user and group names, not only dots and spaces, no spaces at either end. */
static int name_ok(const char *s, size_t len, const char *what, const char *type_desc, char **err)
{
	static const char bad[] = "\"/\\[]:;|=,+*?<>";
	if (len == 0) {
		*err = xasprintf(_("%s: %s cannot be empty"), what, type_desc);
		return -1;
	}
	if (len > 256) {
		*err = xasprintf(_("%s: %s is longer than 256 characters"), what, type_desc);
		return -1;
	}
	bool only_dots = true;
	for (size_t i = 0; i < len; i++) {
		if (s[i] && strchr(bad, s[i]))
			return refuse_char(what, type_desc, s[i], err);
		only_dots &= s[i] == '.' || s[i] == ' ';
	}
	if (only_dots || edge_space(s, len)) {
		*err = xasprintf(_("%s: %s cannot consist of dots and spaces or begin or end with a space"), what,
				 type_desc);
		return -1;
	}
	return 0;
}

/* NetBIOS domain or computer name, or a built-in authority (NT AUTHORITY,
 * BUILTIN): letters, digits, '-', '_', '.', and inner spaces. */
static int domain_ok(const char *s, size_t len, const char *what, char **err)
{
	const char *desc = _("the domain of a principal");
	if (len == 0 || len > 255) {
		*err = xasprintf(_("%s: the domain before '\\' must hold 1 to 255 characters"), what);
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!(c >= 0x80 || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.' || c == ' '))
			return refuse_char(what, desc, s[i], err);
	}
	if (edge_space(s, len)) {
		*err = xasprintf(_("%s: the domain of a principal cannot begin or end with a space"), what);
		return -1;
	}
	return 0;
}

static int principal_ok(const char *s, size_t len, const char *what, char **err)
{
	const char *bs = memchr(s, '\\', len);
	if (!bs)
		return name_ok(s, len, what, _("a principal"), err);
	if (domain_ok(s, (size_t)(bs - s), what, err) < 0)
		return -1;
	return name_ok(bs + 1, len - (size_t)(bs + 1 - s), what, _("the name of a principal"), err);
}

static bool alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* A DNS or NetBIOS host name: labels of letters, digits and inner '-'. */
static int hostname_ok(const char *s, size_t len, const char *what, char **err)
{
	if (len == 0 || len > 253) {
		*err = xasprintf(_("%s: a host name holds 1 to 253 characters"), what);
		return -1;
	}
	size_t label = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || s[i] == '.') {
			if (label == 0 || label > 63 || s[i - 1] == '-' || s[i - label] == '-') {
				*err = xasprintf(_("%s: each part of a host name holds 1 to 63 letters, digits or"
						   " inner '-'"),
						 what);
				return -1;
			}
			label = 0;
		} else if (alnum(s[i]) || s[i] == '-') {
			label++;
		} else {
			return refuse_char(what, _("a host name"), s[i], err);
		}
	}
	return 0;
}

/* An absolute Windows path, drive (C:\...) or UNC (\\server\share\...):
 * none of the characters Windows refuses in file names, no '/', no '.' or
 * '..' component (nothing climbs out of the named place). */
static int path_ok(const char *s, size_t len, const char *what, char **err)
{
	static const char bad[] = "<>\"|?*/";
	const char *desc = _("a path");
	size_t start;
	if (len >= 3 && ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')) && s[1] == ':' &&
	    s[2] == '\\') {
		start = 3;
	} else if (len >= 5 && s[0] == '\\' && s[1] == '\\' && s[2] != '\\') {
		start = 2;
		const char *sh = memchr(s + 2, '\\', len - 2);
		if (!sh || sh == s + 2 || (size_t)(sh - s) + 1 >= len || sh[1] == '\\') {
			*err = xasprintf(_("%s: a UNC path is \\\\SERVER\\SHARE[\\...]"), what);
			return -1;
		}
		if (hostname_ok(s + 2, (size_t)(sh - s - 2), what, err) < 0)
			return -1;
	} else {
		*err = xasprintf(_("%s: a path is absolute: X:\\... or \\\\SERVER\\SHARE\\..."), what);
		return -1;
	}
	size_t comp = start;
	for (size_t i = start; i <= len; i++) {
		if (i == len || s[i] == '\\') {
			size_t n = i - comp;
			if ((n == 0 && i != len) || (n == 1 && s[comp] == '.') ||
			    (n == 2 && s[comp] == '.' && s[comp + 1] == '.')) {
				*err = xasprintf(_("%s: a path has no empty, '.' or '..' parts"), what);
				return -1;
			}
			comp = i + 1;
		} else if ((s[i] && strchr(bad, s[i])) || s[i] == ':') {
			return refuse_char(what, desc, s[i], err);
		}
	}
	return 0;
}

/* PRINCIPAL:RIGHTS as FileAcl.Entries holds it: rights are letters (F, RX,
 * Full, Change) or a 0x mask, optionally after "(DENY)". */
static int acl_entry_ok(const char *s, size_t len, const char *what, char **err)
{
	const char *colon = NULL;
	for (size_t i = len; i-- > 0;)
		if (s[i] == ':') {
			colon = s + i;
			break;
		}
	if (!colon) {
		*err = xasprintf(_("%s: an ACL entry is PRINCIPAL:RIGHTS"), what);
		return -1;
	}
	if (principal_ok(s, (size_t)(colon - s), what, err) < 0)
		return -1;
	const char *r = colon + 1, *end = s + len;
	if ((size_t)(end - r) >= 6 && !memcmp(r, "(DENY)", 6))
		r += 6;
	bool ok = r < end && end - r <= 18;
	if (ok && end - r > 2 && r[0] == '0' && (r[1] == 'x' || r[1] == 'X')) {
		for (const char *q = r + 2; q < end; q++)
			ok &= (*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f') || (*q >= 'A' && *q <= 'F');
	} else {
		for (const char *q = r; q < end && ok; q++)
			ok &= (*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z');
	}
	if (!ok) {
		*err = xasprintf(_("%s: the rights of an ACL entry are letters (F, RX, Full) or a 0x mask,"
				   " optionally after (DENY)"),
				 what);
		return -1;
	}
	return 0;
}

static int item_ok(script_type t, const char *s, const char *what, char **err)
{
	if (text_ok(s, what, err) < 0)
		return -1;
	size_t len = strlen(s);
	switch (t) {
	case ST_HOSTNAME:
		return hostname_ok(s, len, what, err);
	case ST_NAME:
		return name_ok(s, len, what, _("a name"), err);
	case ST_PRINCIPAL:
		return principal_ok(s, len, what, err);
	case ST_PATH:
		return path_ok(s, len, what, err);
	case ST_ACL_ENTRY:
		return acl_entry_ok(s, len, what, err);
	default:
		return 0;
	}
}

int script_value_check(script_type t, const value *v, char **err)
{
	if (t >= ST_NTYPES) {
		*err = xstrdup(_("unknown parameter type"));
		return -1;
	}
	value_kind want = script_type_is_list(t) ? V_LIST : t == ST_INT ? V_INT : t == ST_BOOL ? V_BOOL : V_STR;
	if (v->kind != want) {
		*err = xasprintf(_("a %s needs %s, not %s"), script_type_name(t), value_kind_name(want),
				 value_kind_name(v->kind));
		return -1;
	}
	if (want == V_STR)
		return item_ok(t, v->s, _("the value"), err);
	if (want != V_LIST)
		return 0;
	if (v->n > SCRIPT_MAX_ITEMS) {
		*err = xasprintf(_("the list has more than %u items"), SCRIPT_MAX_ITEMS);
		return -1;
	}
	for (size_t i = 0; i < v->n; i++) {
		char *what = xasprintf(_("item %zu"), i + 1);
		int rc = item_ok(script_type_item(t), v->items[i], what, err);
		free(what);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int script_value_parse(script_type t, const char *text, value *out, char **err)
{
	*out = value_null();
	if (script_type_is_list(t)) {
		*out = value_null();
		out->kind = V_LIST;
		value_list_push(out, text);
	} else if (t == ST_INT) {
		errno = 0;
		char *end = NULL;
		long long x = strtoll(text, &end, 10);
		if (!*text || *end || errno) {
			*err = xstrdup(_("an int is a decimal integer"));
			return -1;
		}
		*out = value_int(x);
	} else if (t == ST_BOOL) {
		if (strcmp(text, "true") && strcmp(text, "false")) {
			*err = xstrdup(_("a bool is true or false"));
			return -1;
		}
		*out = value_bool(text[0] == 't');
	} else {
		*out = value_str(text);
	}
	if (script_value_check(t, out, err) < 0) {
		value_clear(out);
		return -1;
	}
	return 0;
}

/* ---------- parameter lists ---------- */

void script_params_free(script_param *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].name);
		value_clear(&p[i].v);
	}
	free(p);
}

script_param *script_params_copy(const script_param *p, size_t n)
{
	script_param *c = xcalloc(n ? n : 1, sizeof *c);
	for (size_t i = 0; i < n; i++) {
		c[i].name = xstrdup(p[i].name);
		c[i].type = p[i].type;
		c[i].v = value_copy(&p[i].v);
	}
	return c;
}

static bool param_name_ok(const char *s)
{
	if (!s || !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!alnum(*s))
			return false;
	return true;
}

int script_params_check(const script_param *p, size_t n, char **err)
{
	for (size_t i = 0; i < n; i++) {
		if (!param_name_ok(p[i].name)) {
			*err = xstrdup(_("a parameter name is a letter followed by letters and digits"));
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (str_ieq(p[i].name, p[j].name)) {
				*err = xasprintf(_("parameter %s is given twice"), p[i].name);
				return -1;
			}
		char *e = NULL;
		if (script_value_check(p[i].type, &p[i].v, &e) < 0) {
			*err = xasprintf(_("parameter %s (%s): %s"), p[i].name, script_type_name(p[i].type), e);
			free(e);
			return -1;
		}
	}
	return 0;
}

const script_param *script_params_find(const script_param *p, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (str_ieq(p[i].name, name))
			return &p[i];
	return NULL;
}

void script_params_encode(script_type state, const script_param *p, size_t n, strbuf *out)
{
	value l = VALUE_NULL;
	l.kind = V_LIST;
	strbuf enc = STRBUF_INIT;
	value_list_push(&l, script_type_name(state));
	for (size_t i = 0; i < n; i++) {
		value_list_push(&l, p[i].name);
		value_list_push(&l, script_type_name(p[i].type));
		sb_reset(&enc);
		value_encode(&p[i].v, &enc);
		value_list_push(&l, sb_str(&enc));
	}
	value_encode(&l, out);
	sb_release(&enc);
	value_clear(&l);
}

int script_params_decode(const char *s, size_t len, script_type *state, script_param **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	value l;
	if (value_decode(s, len, &l) < 0)
		return -1;
	if (l.kind != V_LIST || l.n % 3 != 1 || script_type_parse(l.items[0], state) < 0) {
		value_clear(&l);
		return -1;
	}
	script_param *p = xcalloc(l.n / 3 + 1, sizeof *p);
	size_t k = 0;
	int rc = 0;
	for (size_t i = 1; i < l.n && rc == 0; i += 3, k++) {
		p[k].name = xstrdup(l.items[i]);
		if (script_type_parse(l.items[i + 1], &p[k].type) < 0 ||
		    value_decode(l.items[i + 2], strlen(l.items[i + 2]), &p[k].v) < 0)
			rc = -1;
	}
	value_clear(&l);
	if (rc < 0) {
		script_params_free(p, k);
		return -1;
	}
	*out = p;
	*n = k;
	return 0;
}

/* ---------- captured states ---------- */

static bool list_has(const value *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (str_ieq(l->items[i], s))
			return true;
	return false;
}

bool script_state_equal(const value *a, const value *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == V_STR)
		return str_ieq(a->s, b->s);
	if (a->kind != V_LIST)
		return value_equal(a, b);
	for (size_t i = 0; i < a->n; i++)
		if (!list_has(b, a->items[i]))
			return false;
	for (size_t i = 0; i < b->n; i++)
		if (!list_has(a, b->items[i]))
			return false;
	return true;
}

value script_state_remove(const value *state, const value *remove)
{
	value out = VALUE_NULL;
	out.kind = V_LIST;
	if (state->kind != V_LIST)
		return value_copy(state);
	for (size_t i = 0; i < state->n; i++)
		if (remove->kind != V_LIST || !list_has(remove, state->items[i]))
			value_list_push(&out, state->items[i]);
	return out;
}

const char *script_phase_name(script_phase p)
{
	static const char *names[SCRIPT_NPHASES] = {"capture", "apply", "undo"};
	return p < SCRIPT_NPHASES ? names[p] : "?";
}
