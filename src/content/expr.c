/* expr.c — recursive-descent parser and evaluator for check expressions.
 *
 * The grammar is in doc/content-format.md. Depth and length are bounded
 * (EXPR_MAX_DEPTH, EXPR_MAX_LEN) so hostile content cannot exhaust the stack. */
#include "config.h"
#include "base/i18n.h"
#include "content/expr.h"

#include <ctype.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum {
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS, OP_STARTS, OP_ENDS,
	OP_MATCHES, OP_HAS_ALL, OP_HAS_ANY, OP_HAS_NONE, OP_IN
} cmp_op;

static const struct {
	const char *word;
	cmp_op op;
} word_ops[] = {
	{"contains", OP_CONTAINS}, {"starts_with", OP_STARTS}, {"ends_with", OP_ENDS},
	{"matches", OP_MATCHES},   {"has_all", OP_HAS_ALL},    {"has_any", OP_HAS_ANY},
	{"has_none", OP_HAS_NONE}, {"in", OP_IN},
};

typedef enum { N_OR, N_AND, N_NOT, N_CMP, N_EXISTS, N_EMPTY, N_TRUTH } node_kind;
typedef enum { A_PATH, A_LIT, A_SITE, A_HOST, A_SELECT } operand_kind;

typedef struct operand operand;
struct operand {
	operand_kind kind;
	char *name;   /* path (canonical), site field, or select class */
	value lit;    /* A_LIT (scalar or list) */
	operand *arg; /* A_HOST */
	char *sel_path;
	expr *sel_filter;
	char *sel_src;
};

struct expr {
	node_kind kind;
	expr *a, *b;
	cmp_op op;
	operand *l, *r;
};

/* ---------- lexer ---------- */

typedef enum { T_END, T_IDENT, T_INT, T_STR, T_SYM } tok_kind;

typedef struct parser {
	const char *src;
	size_t pos;
	tok_kind kind;
	size_t tstart;
	char *text; /* ident / string contents / symbol */
	int64_t ival;
	char *err;
	int errcol;
	int depth;
} parser;

static void perr(parser *p, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void perr(parser *p, size_t at, const char *fmt, ...)
{
	if (p->err)
		return;
	va_list ap;
	va_start(ap, fmt);
	p->err = xvasprintf(fmt, ap);
	va_end(ap);
	p->errcol = (int)at + 1;
}

static void next(parser *p)
{
	free(p->text);
	p->text = NULL;
	const char *s = p->src;
	while (s[p->pos] == ' ' || s[p->pos] == '\t' || s[p->pos] == '\n' || s[p->pos] == '\r')
		p->pos++;
	p->tstart = p->pos;
	char c = s[p->pos];
	if (!c) {
		p->kind = T_END;
		return;
	}
	if (isalpha((unsigned char)c) || c == '_') {
		size_t st = p->pos;
		while (isalnum((unsigned char)s[p->pos]) || s[p->pos] == '_')
			p->pos++;
		p->kind = T_IDENT;
		p->text = xstrndup(s + st, p->pos - st);
		return;
	}
	if (isdigit((unsigned char)c) || (c == '-' && isdigit((unsigned char)s[p->pos + 1]))) {
		size_t st = p->pos;
		bool neg = c == '-';
		if (neg)
			p->pos++;
		int base = 10;
		if (s[p->pos] == '0' && (s[p->pos + 1] == 'x' || s[p->pos + 1] == 'X')) {
			base = 16;
			p->pos += 2;
		}
		uint64_t v = 0;
		size_t digits = 0;
		for (;;) {
			char d = s[p->pos];
			int dv;
			if (d >= '0' && d <= '9')
				dv = d - '0';
			else if (base == 16 && isxdigit((unsigned char)d))
				dv = tolower((unsigned char)d) - 'a' + 10;
			else
				break;
			if (v > (UINT64_MAX - (uint64_t)dv) / (uint64_t)base) {
				perr(p, st, "number too large");
				p->kind = T_END;
				return;
			}
			v = v * (uint64_t)base + (uint64_t)dv;
			digits++;
			p->pos++;
		}
		if (!digits || isalpha((unsigned char)s[p->pos]) || s[p->pos] == '_') {
			perr(p, st, "malformed number");
			p->kind = T_END;
			return;
		}
		if (base == 10 && v > (uint64_t)INT64_MAX + (neg ? 1u : 0u)) {
			perr(p, st, "number too large");
			p->kind = T_END;
			return;
		}
		if (base == 16 && v > (uint64_t)INT64_MAX) {
			perr(p, st, "number too large");
			p->kind = T_END;
			return;
		}
		p->kind = T_INT;
		p->ival = neg ? (int64_t)(0 - v) : (int64_t)v;
		p->text = xstrndup(s + st, p->pos - st);
		return;
	}
	if (c == '\'') {
		size_t st = p->pos++;
		strbuf sb = STRBUF_INIT;
		for (;;) {
			char d = s[p->pos];
			if (!d) {
				sb_release(&sb);
				perr(p, st, "unterminated string");
				p->kind = T_END;
				return;
			}
			p->pos++;
			if (d == '\'') {
				if (s[p->pos] == '\'') {
					sb_addc(&sb, '\'');
					p->pos++;
					continue;
				}
				break;
			}
			sb_addc(&sb, d);
		}
		p->kind = T_STR;
		p->text = sb_detach(&sb);
		return;
	}
	static const char *syms[] = {"!=", "<=", ">=", "=", "<", ">", "(", ")", "[", "]", ",", "."};
	for (size_t i = 0; i < ARRAY_SIZE(syms); i++) {
		size_t n = strlen(syms[i]);
		if (strncmp(s + p->pos, syms[i], n) == 0) {
			p->pos += n;
			p->kind = T_SYM;
			p->text = xstrdup(syms[i]);
			return;
		}
	}
	perr(p, p->pos, "unexpected character '%c'", isprint((unsigned char)c) ? c : '?');
	p->kind = T_END;
}

static bool is_sym(parser *p, const char *s)
{
	return p->kind == T_SYM && strcmp(p->text, s) == 0;
}

static bool is_word(parser *p, const char *w)
{
	return p->kind == T_IDENT && strcmp(p->text, w) == 0;
}

static bool expect_sym(parser *p, const char *s)
{
	if (!is_sym(p, s)) {
		perr(p, p->tstart, "expected '%s'", s);
		return false;
	}
	next(p);
	return true;
}

/* ---------- AST helpers ---------- */

static void operand_free(operand *o)
{
	if (!o)
		return;
	free(o->name);
	value_clear(&o->lit);
	operand_free(o->arg);
	free(o->sel_path);
	expr_free(o->sel_filter);
	free(o->sel_src);
	free(o);
}

void expr_free(expr *e)
{
	if (!e)
		return;
	expr_free(e->a);
	expr_free(e->b);
	operand_free(e->l);
	operand_free(e->r);
	free(e);
}

static expr *node(node_kind k)
{
	expr *e = xcalloc(1, sizeof *e);
	e->kind = k;
	return e;
}

/* ---------- parser ---------- */

static expr *parse_or(parser *p);
static operand *parse_operand(parser *p);

static const char *reserved[] = {"and", "or", "not", "true", "false", "null", "exists", "is_empty",
				 "contains", "starts_with", "ends_with", "matches", "has_all",
				 "has_any", "has_none", "in", "select", "host"};

static bool is_reserved(const char *w)
{
	for (size_t i = 0; i < ARRAY_SIZE(reserved); i++)
		if (strcmp(reserved[i], w) == 0)
			return true;
	return false;
}

static char *parse_path(parser *p)
{
	if (p->kind != T_IDENT || is_reserved(p->text)) {
		perr(p, p->tstart, "expected a property name");
		return NULL;
	}
	strbuf sb = STRBUF_INIT;
	sb_adds(&sb, p->text);
	next(p);
	for (;;) {
		if (is_sym(p, "[")) {
			next(p);
			if (p->kind != T_STR || !*p->text) {
				perr(p, p->tstart, "expected a quoted embedded property name inside [ ]");
				sb_release(&sb);
				return NULL;
			}
			sb_addf(&sb, "[%s]", p->text);
			next(p);
			if (!expect_sym(p, "]")) {
				sb_release(&sb);
				return NULL;
			}
		} else if (is_sym(p, ".")) {
			next(p);
			if (p->kind != T_IDENT) {
				perr(p, p->tstart, "expected a property name after '.'");
				sb_release(&sb);
				return NULL;
			}
			sb_addf(&sb, ".%s", p->text);
			next(p);
		} else {
			break;
		}
	}
	return sb_detach(&sb);
}

static bool parse_literal(parser *p, value *out)
{
	if (p->kind == T_INT) {
		*out = value_int(p->ival);
	} else if (p->kind == T_STR) {
		*out = value_str(p->text);
	} else if (is_word(p, "true") || is_word(p, "false")) {
		*out = value_bool(is_word(p, "true"));
	} else if (is_word(p, "null")) {
		*out = value_null();
	} else {
		perr(p, p->tstart, "expected a literal (number, 'string', true, false or null)");
		return false;
	}
	next(p);
	return true;
}

static const char *site_fields[] = {"code", "name", "server", "version", "build", "mode"};

static operand *parse_operand(parser *p)
{
	operand *o = xcalloc(1, sizeof *o);
	if (is_sym(p, "[")) {
		next(p);
		o->kind = A_LIT;
		o->lit.kind = V_LIST;
		while (!is_sym(p, "]")) {
			size_t at = p->tstart;
			value v;
			if (!parse_literal(p, &v))
				goto fail;
			if (v.kind == V_STR) {
				value_list_push(&o->lit, v.s);
			} else if (v.kind == V_INT) {
				char *t = xasprintf("%" PRId64, v.i);
				value_list_push(&o->lit, t);
				free(t);
			} else {
				perr(p, at, "list items must be strings or integers");
				value_clear(&v);
				goto fail;
			}
			value_clear(&v);
			if (is_sym(p, ","))
				next(p);
			else if (!is_sym(p, "]")) {
				perr(p, p->tstart, "expected ',' or ']' in list");
				goto fail;
			}
		}
		next(p);
		return o;
	}
	if (p->kind == T_INT || p->kind == T_STR || is_word(p, "true") || is_word(p, "false") ||
	    is_word(p, "null")) {
		o->kind = A_LIT;
		if (!parse_literal(p, &o->lit))
			goto fail;
		return o;
	}
	if (is_word(p, "host")) {
		next(p);
		o->kind = A_HOST;
		if (!expect_sym(p, "("))
			goto fail;
		if (++p->depth > EXPR_MAX_DEPTH) {
			perr(p, p->tstart, "expression nested too deeply");
			goto fail;
		}
		o->arg = parse_operand(p);
		p->depth--;
		if (!o->arg || !expect_sym(p, ")"))
			goto fail;
		return o;
	}
	if (is_word(p, "select")) {
		next(p);
		o->kind = A_SELECT;
		if (!expect_sym(p, "("))
			goto fail;
		if (p->kind != T_IDENT) {
			perr(p, p->tstart, "expected a class name in select()");
			goto fail;
		}
		o->name = xstrdup(p->text);
		next(p);
		if (!expect_sym(p, ","))
			goto fail;
		o->sel_path = parse_path(p);
		if (!o->sel_path)
			goto fail;
		if (is_sym(p, ",")) {
			next(p);
			size_t st = p->tstart;
			if (++p->depth > EXPR_MAX_DEPTH) {
				perr(p, p->tstart, "expression nested too deeply");
				goto fail;
			}
			o->sel_filter = parse_or(p);
			p->depth--;
			if (!o->sel_filter)
				goto fail;
			size_t en = p->tstart;
			while (en > st && p->src[en - 1] == ' ')
				en--;
			o->sel_src = xstrndup(p->src + st, en - st);
		}
		if (!expect_sym(p, ")"))
			goto fail;
		return o;
	}
	if (is_word(p, "site")) {
		size_t at = p->tstart;
		next(p);
		if (!is_sym(p, ".")) {
			perr(p, p->tstart, "expected '.' after 'site' (site.code, site.server ...)");
			goto fail;
		}
		next(p);
		for (size_t i = 0; p->kind == T_IDENT && i < ARRAY_SIZE(site_fields); i++) {
			if (strcmp(p->text, site_fields[i]) == 0) {
				o->kind = A_SITE;
				o->name = xstrdup(site_fields[i]);
				next(p);
				return o;
			}
		}
		perr(p, at, "unknown site field (code, name, server, version, build, mode)");
		goto fail;
	}
	o->kind = A_PATH;
	o->name = parse_path(p);
	if (!o->name)
		goto fail;
	return o;
fail:
	operand_free(o);
	return NULL;
}

static bool parse_cmp_op(parser *p, cmp_op *op)
{
	static const struct {
		const char *sym;
		cmp_op op;
	} sym_ops[] = {{"=", OP_EQ}, {"!=", OP_NE}, {"<", OP_LT},
		       {"<=", OP_LE}, {">", OP_GT}, {">=", OP_GE}};
	if (p->kind == T_SYM) {
		for (size_t i = 0; i < ARRAY_SIZE(sym_ops); i++) {
			if (strcmp(p->text, sym_ops[i].sym) == 0) {
				*op = sym_ops[i].op;
				return true;
			}
		}
	}
	if (p->kind == T_IDENT) {
		for (size_t i = 0; i < ARRAY_SIZE(word_ops); i++) {
			if (strcmp(p->text, word_ops[i].word) == 0) {
				*op = word_ops[i].op;
				return true;
			}
		}
	}
	return false;
}

static expr *parse_factor(parser *p)
{
	if (++p->depth > EXPR_MAX_DEPTH) {
		perr(p, p->tstart, "expression nested too deeply (more than %d levels)", EXPR_MAX_DEPTH);
		return NULL;
	}
	expr *e = NULL;
	if (is_word(p, "not")) {
		next(p);
		expr *inner = parse_factor(p);
		if (inner) {
			e = node(N_NOT);
			e->a = inner;
		}
	} else if (is_sym(p, "(")) {
		next(p);
		e = parse_or(p);
		if (e && !expect_sym(p, ")")) {
			expr_free(e);
			e = NULL;
		}
	} else {
		operand *l = parse_operand(p);
		if (l) {
			cmp_op op;
			if (is_word(p, "exists") || is_word(p, "is_empty")) {
				e = node(is_word(p, "exists") ? N_EXISTS : N_EMPTY);
				e->l = l;
				next(p);
			} else if (parse_cmp_op(p, &op)) {
				next(p);
				operand *r = parse_operand(p);
				if (r) {
					e = node(N_CMP);
					e->op = op;
					e->l = l;
					e->r = r;
				} else {
					operand_free(l);
				}
			} else {
				e = node(N_TRUTH);
				e->l = l;
			}
		}
	}
	p->depth--;
	return e;
}

static expr *parse_and(parser *p)
{
	expr *l = parse_factor(p);
	while (l && is_word(p, "and")) {
		next(p);
		expr *r = parse_factor(p);
		if (!r) {
			expr_free(l);
			return NULL;
		}
		expr *n = node(N_AND);
		n->a = l;
		n->b = r;
		l = n;
	}
	return l;
}

static expr *parse_or(parser *p)
{
	expr *l = parse_and(p);
	while (l && is_word(p, "or")) {
		next(p);
		expr *r = parse_and(p);
		if (!r) {
			expr_free(l);
			return NULL;
		}
		expr *n = node(N_OR);
		n->a = l;
		n->b = r;
		l = n;
	}
	return l;
}

expr *expr_parse(const char *src, char **err, int *col)
{
	*err = NULL;
	*col = 0;
	if (strlen(src) > EXPR_MAX_LEN) {
		*err = xasprintf(_("expression longer than %d characters"), EXPR_MAX_LEN);
		*col = 1;
		return NULL;
	}
	parser p = {.src = src};
	next(&p);
	expr *e = NULL;
	if (p.kind == T_END && !p.err)
		perr(&p, 0, "empty expression");
	else
		e = parse_or(&p);
	if (e && p.kind != T_END)
		perr(&p, p.tstart, "unexpected '%s' after the expression", p.text ? p.text : "?");
	free(p.text);
	if (p.err) {
		expr_free(e);
		*err = p.err;
		*col = p.errcol;
		return NULL;
	}
	return e;
}

char *expr_path_canonical(const char *src)
{
	char *err = NULL;
	int col;
	expr *e = expr_parse(src, &err, &col);
	free(err);
	char *out = NULL;
	if (e && e->kind == N_TRUTH && e->l->kind == A_PATH)
		out = xstrdup(e->l->name);
	expr_free(e);
	return out;
}

/* ---------- evaluation ---------- */

char *unc_host(const char *path)
{
	/* NAL paths end with the UNC path: take the last "\\" occurrence. */
	const char *s = NULL;
	for (const char *q = path; (q = strstr(q, "\\\\")) != NULL; q += 2)
		s = q;
	if (!s)
		return xstrdup(path);
	s += 2;
	size_t n = strcspn(s, "\\\"]");
	return xstrndup(s, n);
}

static int eval_operand(const operand *o, const object *obj, const expr_env *env, value *out,
			bool *missing, char **err)
{
	*missing = false;
	switch (o->kind) {
	case A_LIT:
		*out = value_copy(&o->lit);
		return 0;
	case A_PATH: {
		const value *v = obj ? object_get(obj, o->name) : NULL;
		if (!v) {
			*missing = true;
			*out = value_null();
			*err = xasprintf(_("property %s is missing"), o->name);
			return -1;
		}
		*out = value_copy(v);
		return 0;
	}
	case A_SITE: {
		const char *v = NULL;
		const site_info *s = env->site;
		if (s) {
			if (!strcmp(o->name, "code")) v = s->code;
			else if (!strcmp(o->name, "name")) v = s->name;
			else if (!strcmp(o->name, "server")) v = s->server;
			else if (!strcmp(o->name, "version")) v = s->version;
			else if (!strcmp(o->name, "build")) v = s->build;
			else if (!strcmp(o->name, "mode")) v = s->mode;
		}
		if (!v) {
			*err = xasprintf(_("site.%s is not known for this target"), o->name);
			return -1;
		}
		*out = value_str(v);
		return 0;
	}
	case A_HOST: {
		value in;
		if (eval_operand(o->arg, obj, env, &in, missing, err) < 0)
			return -1;
		if (in.kind != V_STR) {
			*err = xasprintf(_("host() needs a string, got %s"), value_kind_name(in.kind));
			value_clear(&in);
			return -1;
		}
		*out = value_str_take(unc_host(in.s));
		value_clear(&in);
		return 0;
	}
	case A_SELECT:
		if (!env->select) {
			*err = xstrdup("select() is not available here");
			return -1;
		}
		return env->select(env->ud, o->name, o->sel_path, o->sel_filter, o->sel_src, out, err);
	}
	return -1;
}

static bool item_eq(const value *l, const char *item)
{
	if (l->kind == V_STR)
		return strcasecmp(l->s, item) == 0;
	if (l->kind == V_INT) {
		char buf[32];
		snprintf(buf, sizeof buf, "%" PRId64, l->i);
		return strcmp(buf, item) == 0;
	}
	return false;
}

static int type_error(const char *op, const value *l, const value *r, char **err)
{
	*err = xasprintf(_("cannot apply '%s' to %s and %s"), op, value_kind_name(l->kind),
			 value_kind_name(r->kind));
	return -1;
}

static const char *op_name(cmp_op op)
{
	static const char *names[] = {"=", "!=", "<", "<=", ">", ">=", "contains", "starts_with",
				      "ends_with", "matches", "has_all", "has_any", "has_none", "in"};
	return names[op];
}

static int compare(cmp_op op, const value *l, const value *r, bool *res, char **err)
{
	switch (op) {
	case OP_EQ:
	case OP_NE: {
		bool eq;
		if (l->kind == V_NULL || r->kind == V_NULL)
			eq = l->kind == r->kind;
		else if (l->kind != r->kind)
			return type_error(op_name(op), l, r, err);
		else if (l->kind == V_STR)
			eq = strcasecmp(l->s, r->s) == 0;
		else if (l->kind == V_LIST) {
			eq = l->n == r->n;
			for (size_t i = 0; eq && i < l->n; i++)
				eq = strcasecmp(l->items[i], r->items[i]) == 0;
		} else
			eq = value_equal(l, r);
		*res = op == OP_EQ ? eq : !eq;
		return 0;
	}
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE: {
		int c;
		if (l->kind == V_INT && r->kind == V_INT)
			c = l->i < r->i ? -1 : l->i > r->i;
		else if (l->kind == V_STR && r->kind == V_STR)
			c = strcmp(l->s, r->s);
		else
			return type_error(op_name(op), l, r, err);
		*res = op == OP_LT ? c < 0 : op == OP_LE ? c <= 0 : op == OP_GT ? c > 0 : c >= 0;
		return 0;
	}
	case OP_CONTAINS:
		if (l->kind == V_LIST && (r->kind == V_STR || r->kind == V_INT)) {
			*res = false;
			for (size_t i = 0; i < l->n && !*res; i++)
				*res = item_eq(r, l->items[i]);
			return 0;
		}
		if (l->kind == V_STR && r->kind == V_STR) {
			*res = str_icontains(l->s, r->s);
			return 0;
		}
		return type_error("contains", l, r, err);
	case OP_STARTS:
	case OP_ENDS:
		if (l->kind != V_STR || r->kind != V_STR)
			return type_error(op_name(op), l, r, err);
		*res = op == OP_STARTS ? str_istarts(l->s, r->s) : str_iends(l->s, r->s);
		return 0;
	case OP_MATCHES:
		if (l->kind != V_STR || r->kind != V_STR)
			return type_error("matches", l, r, err);
		*res = fnmatch(r->s, l->s, FNM_CASEFOLD | FNM_NOESCAPE) == 0;
		return 0;
	case OP_HAS_ALL:
	case OP_HAS_ANY:
	case OP_HAS_NONE:
		if (l->kind != V_INT || r->kind != V_INT)
			return type_error(op_name(op), l, r, err);
		if (op == OP_HAS_ALL)
			*res = (l->i & r->i) == r->i;
		else if (op == OP_HAS_ANY)
			*res = (l->i & r->i) != 0;
		else
			*res = (l->i & r->i) == 0;
		return 0;
	case OP_IN:
		if (r->kind != V_LIST || (l->kind != V_STR && l->kind != V_INT))
			return type_error("in", l, r, err);
		*res = false;
		for (size_t i = 0; i < r->n && !*res; i++)
			*res = item_eq(l, r->items[i]);
		return 0;
	}
	return -1;
}

int expr_eval(const expr *e, const object *o, const expr_env *env, bool *result, char **err)
{
	*err = NULL;
	switch (e->kind) {
	case N_OR:
	case N_AND: {
		bool a;
		if (expr_eval(e->a, o, env, &a, err) < 0)
			return -1;
		/* Short-circuit as a reader expects: "x exists and x = 1". */
		if (e->kind == N_OR ? a : !a) {
			*result = a;
			return 0;
		}
		return expr_eval(e->b, o, env, result, err);
	}
	case N_NOT: {
		bool a;
		if (expr_eval(e->a, o, env, &a, err) < 0)
			return -1;
		*result = !a;
		return 0;
	}
	case N_EXISTS:
	case N_EMPTY: {
		value v;
		bool missing;
		int r = eval_operand(e->l, o, env, &v, &missing, err);
		if (r < 0 && missing && e->kind == N_EXISTS) {
			free(*err);
			*err = NULL;
			*result = false;
			return 0;
		}
		if (r < 0)
			return -1;
		if (e->kind == N_EXISTS)
			*result = true;
		else
			*result = v.kind == V_NULL || (v.kind == V_STR && !*v.s) ||
				  (v.kind == V_LIST && v.n == 0);
		value_clear(&v);
		return 0;
	}
	case N_TRUTH: {
		value v;
		bool missing;
		if (eval_operand(e->l, o, env, &v, &missing, err) < 0)
			return -1;
		if (v.kind != V_BOOL) {
			*err = xasprintf(_("expected a boolean, got %s"), value_kind_name(v.kind));
			value_clear(&v);
			return -1;
		}
		*result = v.b;
		value_clear(&v);
		return 0;
	}
	case N_CMP: {
		value l, r;
		bool missing;
		if (eval_operand(e->l, o, env, &l, &missing, err) < 0)
			return -1;
		if (eval_operand(e->r, o, env, &r, &missing, err) < 0) {
			value_clear(&l);
			return -1;
		}
		int rc = compare(e->op, &l, &r, result, err);
		value_clear(&l);
		value_clear(&r);
		return rc;
	}
	}
	return -1;
}

static void push_unique(char ***arr, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (strcasecmp((*arr)[i], s) == 0)
			return;
	*arr = xrealloc(*arr, (*n + 1) * sizeof **arr);
	(*arr)[(*n)++] = xstrdup(s);
}

static void operand_paths(const operand *o, char ***paths, size_t *n)
{
	if (!o)
		return;
	if (o->kind == A_PATH)
		push_unique(paths, n, o->name);
	if (o->kind == A_HOST)
		operand_paths(o->arg, paths, n);
}

void expr_paths(const expr *e, char ***paths, size_t *n)
{
	if (!e)
		return;
	expr_paths(e->a, paths, n);
	expr_paths(e->b, paths, n);
	operand_paths(e->l, paths, n);
	operand_paths(e->r, paths, n);
}

static void operand_classes(const operand *o, char ***classes, size_t *n)
{
	if (!o)
		return;
	if (o->kind == A_SELECT) {
		push_unique(classes, n, o->name);
		expr_select_classes(o->sel_filter, classes, n);
	}
	operand_classes(o->arg, classes, n);
}

void expr_select_classes(const expr *e, char ***classes, size_t *n)
{
	if (!e)
		return;
	expr_select_classes(e->a, classes, n);
	expr_select_classes(e->b, classes, n);
	operand_classes(e->l, classes, n);
	operand_classes(e->r, classes, n);
}
