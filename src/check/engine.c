/* engine.c — evaluation of checks (see engine.h and doc/content-format.md).
 *
 * Rule: a check passes only when every object it needed was read and every
 * expression evaluated; a missing property, a wrong type or an unreadable class
 * is an error with its reason, never a pass. */
#include "config.h"
#include "base/i18n.h"
#include "check/engine.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct sel_cache {
	char *key;
	value list;
	char *error;
};

static const char *status_names[] = {"pass",		 "fail",     "error", "not_applicable",
				     "needs_attestation", "attested", "waived"};

const char *status_name(check_status s)
{
	return status_names[s];
}

const char *decided_name(decided_by d)
{
	static const char *names[] = {"site", "operator", "waiver"};
	return names[d];
}

const char *decided_text(const result *r)
{
	if (r->decided == DECIDED_WAIVER)
		return _("decided by a waiver");
	if (r->chk->fail_or_ask)
		return r->decided == DECIDED_SITE ? _("decided by the automated part (evidence of a violation)")
						  : _("decided by the operator (the automated part found no violation)");
	return r->decided == DECIDED_SITE ? _("decided by the site") : _("decided by the operator");
}

int engine_init(engine *e, target *t, const catalog *cat, char **err)
{
	memset(e, 0, sizeof *e);
	e->t = t;
	e->cat = cat;
	return target_site(t, &e->site, err);
}

void engine_refresh(engine *e)
{
	for (size_t i = 0; i < e->nclasses; i++) {
		free(e->classes[i]->cls);
		objset_release(&e->classes[i]->objs);
		free(e->classes[i]->error);
		free(e->classes[i]->partial);
		free(e->classes[i]);
	}
	free(e->classes);
	e->classes = NULL;
	e->nclasses = 0;
	for (size_t i = 0; i < e->nsel; i++) {
		free(e->sel[i].key);
		value_clear(&e->sel[i].list);
		free(e->sel[i].error);
	}
	free(e->sel);
	e->sel = NULL;
	e->nsel = 0;
}

void engine_release(engine *e)
{
	engine_refresh(e);
	site_info_release(&e->site);
}

static void add_class(char ***classes, size_t *n, const char *cls)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcasecmp((*classes)[i], cls))
			return;
	*classes = xrealloc(*classes, (*n + 1) * sizeof **classes);
	(*classes)[(*n)++] = xstrdup(cls);
}

static void collect_classes(const collect *c, const expr *pred, char ***classes, size_t *n)
{
	if (!c)
		return;
	add_class(classes, n, c->cls);
	expr_select_classes(c->where, classes, n);
	expr_select_classes(pred, classes, n);
}

void engine_check_verdict_classes(const check *k, char ***classes, size_t *n)
{
	collect_classes(k->applies_if, NULL, classes, n);
	collect_classes(k->probe, k->pred, classes, n);
}

void engine_check_classes(const check *k, char ***classes, size_t *n)
{
	engine_check_verdict_classes(k, classes, n);
	for (size_t j = 0; j < k->nevidence; j++)
		collect_classes(&k->evidence[j], NULL, classes, n);
}

void engine_catalog_classes(const catalog *cat, char ***classes, size_t *n)
{
	for (size_t s = 0; s < cat->nsections; s++)
		for (size_t i = 0; i < cat->sections[s].n; i++)
			engine_check_classes(&cat->sections[s].checks[i], classes, n);
}

int engine_prefetch(engine *e, char **err)
{
	char **classes = NULL;
	size_t n = 0;
	engine_catalog_classes(e->cat, &classes, &n);
	/* Only what this pass has not read yet. */
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool have = false;
		for (size_t j = 0; j < e->nclasses && !have; j++)
			have = !strcasecmp(e->classes[j]->cls, classes[i]);
		if (have)
			free(classes[i]);
		else
			classes[k++] = classes[i];
	}
	int rc = target_prefetch(e->t, (const char *const *)classes, k, err);
	for (size_t i = 0; i < k; i++)
		free(classes[i]);
	free(classes);
	return rc;
}

/* Every object of a class, read once per engine pass. */
static const class_entry *class_get(engine *e, const char *cls)
{
	for (size_t i = 0; i < e->nclasses; i++)
		if (!strcasecmp(e->classes[i]->cls, cls))
			return e->classes[i];
	e->classes = xrealloc(e->classes, (e->nclasses + 1) * sizeof *e->classes);
	class_entry *c = xcalloc(1, sizeof *c);
	e->classes[e->nclasses++] = c;
	c->cls = xstrdup(cls);
	objset_init(&c->objs);
	if (target_query(e->t, cls, &c->objs, &c->error) < 0) {
		if (!c->error)
			c->error = xstrdup("the target could not be queried");
	} else {
		const char *p = target_partial(e->t, cls);
		if (p)
			c->partial = xstrdup(p);
	}
	return c;
}

static int engine_select(void *ud, const char *cls, const char *path, const expr *filter,
			 const char *filter_src, value *out, char **err)
{
	engine *e = ud;
	char *key = xasprintf("%s\x1f%s\x1f%s", cls, path, filter_src ? filter_src : "");
	for (size_t i = 0; i < e->nsel; i++) {
		if (!strcmp(e->sel[i].key, key)) {
			free(key);
			if (e->sel[i].error) {
				*err = xstrdup(e->sel[i].error);
				return -1;
			}
			*out = value_copy(&e->sel[i].list);
			return 0;
		}
	}
	struct sel_cache sc = {key, VALUE_NULL, NULL};
	sc.list.kind = V_LIST;
	const class_entry *c = class_get(e, cls);
	expr_env env = {&e->site, engine_select, e};
	if (c->error) {
		sc.error = xasprintf("select(%s): %s", cls, c->error);
	} else {
		for (size_t i = 0; i < c->objs.n && !sc.error; i++) {
			const object *o = &c->objs.items[i];
			bool keep = true;
			char *ferr = NULL;
			if (filter && expr_eval(filter, o, &env, &keep, &ferr) < 0) {
				sc.error = xasprintf("select(%s) on '%s': %s", cls, o->key, ferr);
				free(ferr);
				break;
			}
			const value *v = keep ? object_get(o, path) : NULL;
			if (!keep)
				continue;
			if (!v) {
				sc.error = xasprintf(_("select(%s): '%s' has no property %s"), cls, o->key, path);
			} else if (v->kind == V_STR) {
				value_list_push(&sc.list, v->s);
			} else if (v->kind == V_INT) {
				char buf[32];
				snprintf(buf, sizeof buf, "%lld", (long long)v->i);
				value_list_push(&sc.list, buf);
			} else if (v->kind != V_NULL) {
				sc.error = xasprintf(_("select(%s): %s of '%s' is a %s"), cls, path, o->key,
						     value_kind_name(v->kind));
			}
		}
	}
	e->sel = xrealloc(e->sel, (e->nsel + 1) * sizeof *e->sel);
	e->sel[e->nsel++] = sc;
	if (sc.error) {
		*err = xstrdup(sc.error);
		return -1;
	}
	*out = value_copy(&sc.list);
	return 0;
}

static void table_init(ev_table *t, const collect *c, const char *label)
{
	memset(t, 0, sizeof *t);
	t->label = xstrdup(label ? label : c->cls);
	t->cls = xstrdup(c->cls);
	t->where = c->where_src ? xstrdup(c->where_src) : NULL;
}

static bool has_column(const ev_table *t, const char *col)
{
	for (size_t j = 0; j < t->ncols; j++)
		if (!strcasecmp(t->columns[j], col))
			return true;
	return false;
}

static void add_column(ev_table *t, const char *col)
{
	if (has_column(t, col))
		return;
	t->columns = xrealloc(t->columns, (t->ncols + 1) * sizeof *t->columns);
	t->columns[t->ncols++] = xstrdup(col);
}

/* Every property of the objects whose name is `prefix` followed by '[' or '.':
 * "Props" shows each embedded property of a site-control item. */
static bool add_columns_under(ev_table *t, const char *prefix, const object **objs, size_t n)
{
	size_t pl = strlen(prefix);
	bool any = false;
	for (size_t i = 0; i < n; i++)
		for (size_t p = 0; p < objs[i]->n; p++) {
			const char *name = objs[i]->props[p].name;
			if (strncasecmp(name, prefix, pl) == 0 && (name[pl] == '[' || name[pl] == '.')) {
				add_column(t, name);
				any = true;
			}
		}
	return any;
}

/* Columns: what the expectation reads; then the check's `show` (each a property,
 * or a whole embedded array), or every property any collected object has. */
static void table_columns(ev_table *t, const collect *c, char **extra, size_t nextra, const object **objs,
			  size_t n)
{
	/* What the expectation reads comes first, so the property that decided is
	 * the first thing an administrator reads; then the check's `show` (the
	 * identifying properties first, as the content orders them); then the rest. */
	for (size_t i = 0; i < nextra; i++)
		add_column(t, extra[i]);
	if (c->nshow == 0)
		for (size_t i = 0; i < n && !t->columns_cut; i++)
			for (size_t p = 0; p < objs[i]->n; p++) {
				const char *name = objs[i]->props[p].name;
				if (t->ncols < EV_MAX_COLUMNS) {
					add_column(t, name);
				} else if (!has_column(t, name)) {
					t->columns_cut = true;
					break;
				}
			}
	for (size_t s = 0; s < c->nshow; s++) {
		char *canon = expr_path_canonical(c->show[s]);
		const char *col = canon ? canon : c->show[s];
		bool direct = false;
		for (size_t i = 0; i < n && !direct; i++)
			direct = object_get(objs[i], col) != NULL;
		/* An embedded array with no entries shows nothing; any other path
		 * stays as a column so a mistake in the content reads "(missing)". */
		bool array = !strcasecmp(col, "Props") || !strcasecmp(col, "PropLists") ||
			     !strcasecmp(col, "RegMultiStringLists");
		if (direct || (!add_columns_under(t, col, objs, n) && !array))
			add_column(t, col);
		free(canon);
	}
}

static ev_row *table_add(ev_table *t, const object *o)
{
	GROW(t->rows, t->cap, t->nrows + 1);
	ev_row *r = &t->rows[t->nrows++];
	memset(r, 0, sizeof *r);
	r->key = xstrdup(o->key);
	r->cells = xcalloc(t->ncols ? t->ncols : 1, sizeof *r->cells);
	r->missing = xcalloc(t->ncols ? t->ncols : 1, sizeof *r->missing);
	r->bad = xcalloc(t->ncols ? t->ncols : 1, sizeof *r->bad);
	for (size_t i = 0; i < t->ncols; i++) {
		const value *v = object_get(o, t->columns[i]);
		if (v)
			r->cells[i] = value_copy(v);
		else
			r->missing[i] = true;
	}
	return r;
}

static void table_release(ev_table *t)
{
	for (size_t i = 0; i < t->nrows; i++) {
		ev_row *r = &t->rows[i];
		for (size_t c = 0; c < t->ncols; c++)
			value_clear(&r->cells[c]);
		free(r->cells);
		free(r->missing);
		free(r->bad);
		free(r->key);
	}
	free(t->rows);
	for (size_t c = 0; c < t->ncols; c++)
		free(t->columns[c]);
	free(t->columns);
	free(t->label);
	free(t->cls);
	free(t->where);
	free(t->error);
}

void result_release(result *r)
{
	free(r->reason);
	free(r->expected);
	free(r->auto_reason);
	for (size_t i = 0; i < r->ntables; i++)
		table_release(&r->tables[i]);
	free(r->tables);
	memset(r, 0, sizeof *r);
}

static ev_table *result_table(result *r)
{
	r->tables = xrealloc(r->tables, (r->ntables + 1) * sizeof *r->tables);
	return &r->tables[r->ntables++];
}

/* Objects of c->cls matching c->where; -1 with *err on any failure. */
static int collect_objects(engine *e, const collect *c, const object ***out, size_t *n, char **err)
{
	*out = NULL;
	*n = 0;
	const class_entry *ce = class_get(e, c->cls);
	if (ce->error) {
		*err = xasprintf(_("cannot read %s: %s"), c->cls, ce->error);
		return -1;
	}
	expr_env env = {&e->site, engine_select, e};
	const object **v = xcalloc(ce->objs.n ? ce->objs.n : 1, sizeof *v);
	for (size_t i = 0; i < ce->objs.n; i++) {
		bool keep = true;
		char *ferr = NULL;
		if (c->where && expr_eval(c->where, &ce->objs.items[i], &env, &keep, &ferr) < 0) {
			*err = xasprintf(_("%s '%s': %s (in the filter \"%s\")"), c->cls, ce->objs.items[i].key,
					 ferr, c->where_src);
			free(ferr);
			free(v);
			return -1;
		}
		if (keep)
			v[(*n)++] = &ce->objs.items[i];
	}
	*out = v;
	return 0;
}

static void collect_evidence(engine *e, const check *k, result *r)
{
	for (size_t i = 0; i < k->nevidence; i++) {
		const collect *c = &k->evidence[i];
		ev_table *t = result_table(r);
		table_init(t, c, c->label);
		const object **objs;
		size_t n;
		char *err = NULL;
		if (collect_objects(e, c, &objs, &n, &err) < 0) {
			t->error = err;
			continue;
		}
		table_columns(t, c, NULL, 0, objs, n);
		for (size_t j = 0; j < n; j++)
			table_add(t, objs[j]);
		free(objs);
		/* The rows read are shown, but the table must not look complete. */
		const char *partial = class_get(e, c->cls)->partial;
		if (partial)
			t->error = xasprintf(_("incomplete: %s could not be read on %s"), c->cls, partial);
	}
}

static const char *quant_names[] = {"all", "any", "none"};

static void mark_bad(ev_table *t, ev_row *row, char **paths, size_t npaths)
{
	row->offending = true;
	for (size_t c = 0; c < t->ncols; c++)
		for (size_t p = 0; p < npaths; p++)
			if (!strcasecmp(t->columns[c], paths[p]))
				row->bad[c] = true;
}

/* A check whose classes were not read on every site system cannot pass: what
 * was not read might offend. A failure found on what was read stands; a pass
 * or not-applicable becomes an error naming the servers. */
static void judge_partial(engine *e, const check *k, result *r)
{
	const char *partial = class_get(e, k->probe->cls)->partial;
	const char *cls = k->probe->cls;
	if (!partial && k->applies_if) {
		partial = class_get(e, k->applies_if->cls)->partial;
		cls = k->applies_if->cls;
	}
	if (!partial)
		return;
	/* The probe's own table shows the rows read, marked incomplete too. */
	for (size_t i = 0; i < r->ntables; i++)
		if (!r->tables[i].error && r->tables[i].cls && !strcasecmp(r->tables[i].cls, cls))
			r->tables[i].error = xasprintf(_("incomplete: %s could not be read on %s"), cls, partial);
	if (r->status == ST_ERROR)
		return;
	char *reason;
	if (r->status == ST_FAIL) {
		reason = xasprintf(_("%s (and %s could not be read on %s)"), r->reason ? r->reason : "", cls, partial);
	} else {
		reason = xasprintf(_("%s could not be read on %s; of what was read: %s"), cls, partial,
				   r->reason ? r->reason : "");
		r->status = ST_ERROR;
	}
	free(r->reason);
	r->reason = reason;
}

/* A check's `applies_if`, for every kind: 1 it applies (or has no
 * applies_if), 0 it does not (status and reason set: not applicable), -1 the
 * objects could not be read or filtered (*err). */
static int judge_applies(engine *e, const check *k, result *r, char **err)
{
	if (!k->applies_if)
		return 1;
	const object **objs;
	size_t n;
	if (collect_objects(e, k->applies_if, &objs, &n, err) < 0)
		return -1;
	free(objs);
	if (n > 0)
		return 1;
	r->status = ST_NOT_APPLICABLE;
	r->reason = xstrdup(k->applies_if->reason ? k->applies_if->reason : "the role or feature is absent");
	return 0;
}

static void run_automated(engine *e, const check *k, result *r)
{
	char *aerr = NULL;
	int applies = judge_applies(e, k, r, &aerr);
	if (applies < 0) {
		r->status = ST_ERROR;
		r->reason = aerr;
	}
	if (applies <= 0)
		return;
	char **paths = NULL;
	size_t npaths = 0;
	expr_paths(k->pred, &paths, &npaths);
	ev_table *t = result_table(r);
	table_init(t, k->probe, k->probe->cls);
	r->expected = xasprintf("%s: %s", quant_names[k->quant], k->pred_src);
	const object **objs = NULL;
	size_t n = 0;
	char *err = NULL;
	if (collect_objects(e, k->probe, &objs, &n, &err) < 0) {
		r->status = ST_ERROR;
		r->reason = err;
		table_columns(t, k->probe, paths, npaths, NULL, 0);
		goto out;
	}
	table_columns(t, k->probe, paths, npaths, objs, n);
	r->examined = n;
	if (n == 0) {
		r->status = k->when_empty == EMPTY_PASS ? ST_PASS : ST_NOT_APPLICABLE;
		r->reason = xasprintf(k->when_empty == EMPTY_PASS ? "no %s object is subject to this check"
								  : "the site has no %s object to check",
				      k->probe->cls);
		goto out;
	}
	expr_env env = {&e->site, engine_select, e};
	size_t satisfied = 0;
	for (size_t i = 0; i < n; i++) {
		bool ok;
		char *eerr = NULL;
		if (expr_eval(k->pred, objs[i], &env, &ok, &eerr) < 0) {
			r->status = ST_ERROR;
			r->reason = xasprintf("%s '%s': %s", k->probe->cls, objs[i]->key, eerr);
			free(eerr);
			ev_row *row = table_add(t, objs[i]);
			mark_bad(t, row, paths, npaths);
			goto out;
		}
		ev_row *row = table_add(t, objs[i]);
		bool offends = (k->quant == Q_ALL && !ok) || (k->quant == Q_NONE && ok);
		if (ok)
			satisfied++;
		if (offends) {
			mark_bad(t, row, paths, npaths);
			r->offending++;
		}
	}
	if (k->quant == Q_ANY) {
		if (satisfied == 0) {
			for (size_t i = 0; i < t->nrows; i++)
				mark_bad(t, &t->rows[i], paths, npaths);
			r->offending = t->nrows;
			r->status = ST_FAIL;
			r->reason = xasprintf(_("none of %zu %s object(s) satisfies: %s"), n, k->probe->cls,
					      k->pred_src);
		} else {
			r->status = ST_PASS;
			r->reason = xasprintf(_("%zu of %zu %s object(s) satisfy: %s"), satisfied, n,
					      k->probe->cls, k->pred_src);
		}
	} else if (r->offending) {
		r->status = ST_FAIL;
		r->reason = xasprintf(_("%zu of %zu %s object(s) %s: %s"), r->offending, n, k->probe->cls,
				      k->quant == Q_ALL ? _("do not satisfy") : _("match"), k->pred_src);
	} else {
		r->status = ST_PASS;
		r->reason = xasprintf(k->quant == Q_ALL ? _("all %zu %s object(s) satisfy: %s")
							: _("all %zu %s object(s) avoid: %s"),
				      n, k->probe->cls, k->pred_src);
	}
out:
	free(objs);
	for (size_t i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
}

/* A fail-or-ask check: its automated part fails the check on documented
 * evidence of a violation (or reports an error, or finds nothing to judge);
 * otherwise the operator is asked, with the evidence and what the automated
 * part found. An empty probe with `when_empty: pass` leaves nothing to ask. */
static void run_fail_or_ask(engine *e, const check *k, result *r)
{
	run_automated(e, k, r);
	/* Data not read on some server proves no absence of a violation: an
	 * error, as for automated checks, never a question that looks clean. */
	judge_partial(e, k, r);
	if (r->status != ST_PASS || (r->examined == 0 && k->when_empty == EMPTY_PASS))
		return;
	r->auto_reason = r->reason;
	r->reason = xstrdup(k->attest_question ? k->attest_question : "the operator must judge this practice");
	r->status = ST_NEEDS_ATTESTATION;
	r->decided = DECIDED_OPERATOR;
}

/* An attestation check asks its question where it applies. Where its
 * applies_if finds nothing the question has no object: not applicable, with
 * the content's reason, as for an automated check. Never a confident "does
 * not apply" from data that was not read: an applies_if that cannot be read,
 * or read on only some site systems, leaves the question asked and says so. */
static void run_attestation(engine *e, const check *k, result *r)
{
	const char *question = k->attest_question ? k->attest_question : "the operator must judge this practice";
	char *aerr = NULL;
	int applies = judge_applies(e, k, r, &aerr);
	const char *partial = k->applies_if ? class_get(e, k->applies_if->cls)->partial : NULL;
	if (applies == 0 && !partial)
		return;
	free(r->reason);
	r->status = ST_NEEDS_ATTESTATION;
	r->decided = DECIDED_OPERATOR;
	if (applies < 0)
		r->reason = xasprintf(_("%s (whether the check applies could not be read: %s)"), question, aerr);
	else if (applies == 0)
		r->reason = xasprintf(_("%s (whether the check applies could not be read on %s)"), question,
				      partial);
	else
		r->reason = xstrdup(question);
	free(aerr);
}

void engine_run(engine *e, const check *k, result *r)
{
	memset(r, 0, sizeof *r);
	r->chk = k;
	if (k->kind == KIND_AUTOMATED) {
		run_automated(e, k, r);
		judge_partial(e, k, r);
	} else if (k->fail_or_ask) {
		run_fail_or_ask(e, k, r);
	} else {
		run_attestation(e, k, r);
	}
	collect_evidence(e, k, r);
}

void result_apply_verdict(result *r, bool waived, bool compliant, const char *text, const char *operator_,
			  const char *until)
{
	/* An attestation settles only a question: never a failure that the
	 * automated part of a fail-or-ask check found on documented evidence. */
	if (!waived && (r->chk->kind != KIND_ATTESTATION || r->status != ST_NEEDS_ATTESTATION))
		return;
	char *reason;
	if (waived && until && *until)
		reason = xasprintf(_("waived by %s until %s: %s (the check itself: %s%s%s)"), operator_ ? operator_ : "?",
				   until, text ? text : "", status_name(r->status), r->reason ? ": " : "",
				   r->reason ? r->reason : "");
	else if (waived)
		reason = xasprintf(_("waived permanently by %s: %s (the check itself: %s%s%s)"),
				   operator_ ? operator_ : "?", text ? text : "", status_name(r->status),
				   r->reason ? ": " : "", r->reason ? r->reason : "");
	else if (compliant)
		reason = xasprintf(_("attested compliant by %s: %s"), operator_ ? operator_ : "?", text ? text : "");
	else
		reason = xasprintf(_("judged not compliant by %s: %s"), operator_ ? operator_ : "?", text ? text : "");
	free(r->reason);
	r->reason = reason;
	/* "Not compliant" is the operator's finding: a failure like the site's own. */
	r->status = waived ? ST_WAIVED : compliant ? ST_ATTESTED : ST_FAIL;
	r->decided = waived ? DECIDED_WAIVER : DECIDED_OPERATOR;
}
