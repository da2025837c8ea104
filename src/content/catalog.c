/* catalog.c — loads and validates checks/ into a catalog (see catalog.h).
 *
 * Loading and linting are one code path: every rule of the format is checked
 * here, so a catalog that loaded without diagnostics is one the engine can run. */
#include "config.h"
#include "base/i18n.h"
#include "content/catalog.h"
#include "content/schema.h"
#include "base/sha256.h"
#include "base/util.h"

#include <dirent.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

static const char *sev_names[] = {"low", "medium", "high", NULL};
static const char *kind_names[] = {"automated", "attestation", NULL};
/* Translated where shown (_(basis_name(b))). */
static const char *basis_names[] = {"none", N_("documented"), N_("inferred"), NULL};
static const char *empty_names[] = {"not_applicable", "pass", NULL};
static const char *attest_reasons[] = {"judgment", "procedural", "unconfirmed", NULL};
static const char *scope_names[] = {"checklist", "beyond", NULL};

const char *severity_name(severity s) { return sev_names[s]; }

const char *severity_label(severity s)
{
	static const char *labels[] = {N_("low"), N_("medium"), N_("high")};
	return _(labels[s]);
}
const char *kind_name(check_kind k) { return kind_names[k]; }
const char *basis_name(check_basis b) { return basis_names[b]; }
const char *check_kind_label(const check *k) { return k->fail_or_ask ? "fail-or-ask" : kind_names[k->kind]; }

static void collect_free(collect *c)
{
	if (!c)
		return;
	free(c->label);
	free(c->cls);
	free(c->where_src);
	expr_free(c->where);
	for (size_t i = 0; i < c->nshow; i++)
		free(c->show[i]);
	free(c->show);
	free(c->reason);
}

static void check_free(check *k)
{
	free(k->id);
	free(k->title);
	free(k->section);
	free(k->basis_note);
	free(k->duplicate_note);
	free(k->why);
	free(k->compliant);
	free(k->console);
	for (size_t i = 0; i < k->nrefs; i++) {
		free(k->refs[i].url);
		free(k->refs[i].title);
	}
	free(k->refs);
	for (size_t i = 0; i < k->nfail_refs; i++) {
		free(k->fail_refs[i].url);
		free(k->fail_refs[i].title);
	}
	free(k->fail_refs);
	collect_free(k->applies_if);
	free(k->applies_if);
	collect_free(k->probe);
	free(k->probe);
	free(k->pred_src);
	expr_free(k->pred);
	for (size_t i = 0; i < k->nevidence; i++)
		collect_free(&k->evidence[i]);
	free(k->evidence);
	free(k->attest_reason);
	free(k->attest_question);
	for (size_t i = 0; i < k->nfixes; i++)
		free(k->fixes[i]);
	free(k->fixes);
	free(k->file);
}

static void section_free(section *sec)
{
	for (size_t i = 0; i < sec->n; i++)
		check_free(&sec->checks[i]);
	free(sec->checks);
	free(sec->id);
	free(sec->title);
	free(sec->heading);
	free(sec->source);
	free(sec->note);
	free(sec->file);
}

static void techniques_free(catalog *cat)
{
	for (size_t t = 0; t < cat->ntechniques; t++) {
		technique *q = &cat->techniques[t];
		free(q->id), free(q->title), free(q->url), free(q->file);
		for (size_t i = 0; i < q->nchecks; i++)
			free(q->checks[i]);
		free(q->checks);
	}
	free(cat->techniques);
	for (size_t i = 0; i < cat->nuntagged; i++)
		free(cat->untagged[i]);
	free(cat->untagged);
	for (size_t i = 0; i < cat->nscoped_out; i++)
		free(cat->scoped_out[i]);
	free(cat->scoped_out);
}

void catalog_release(catalog *cat)
{
	value_names_release(&cat->names);
	for (size_t s = 0; s < cat->nsections; s++)
		section_free(&cat->sections[s]);
	free(cat->sections);
	techniques_free(cat);
	free(cat->dir);
	free(cat->title);
	free(cat->source);
	free(cat->warning);
	free(cat->intro);
	memset(cat, 0, sizeof *cat);
}

/* A class name as WMI spells them: letters, digits and underscores. */
static bool class_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

static bool load_collect(schema_ctx *c, const ynode *n, const char *what, bool applies, collect *out)
{
	static const char *allowed_ev[] = {"label", "where", "show", NULL};
	static const char *allowed_ap[] = {"where", "reason", NULL};
	static const char *allowed_probe[] = {"where", "show", NULL};
	static const char *req_ev[] = {"label", "class", NULL};
	static const char *req[] = {"class", NULL};
	memset(out, 0, sizeof *out);
	if (!sc_is(c, n, YN_MAP, what))
		return false;
	bool evidence = strcmp(what, "evidence item") == 0;
	sc_keys(c, n, what, applies ? allowed_ap : evidence ? allowed_ev : allowed_probe,
		evidence ? req_ev : req);
	out->label = sc_str(c, n, "label", true);
	out->cls = sc_str(c, n, "class", true);
	if (out->cls && !class_name_ok(out->cls))
		sc_error(c, ynode_get(n, "class"), _("'%s' is not a class name"), out->cls);
	out->reason = sc_str(c, n, "reason", true);
	ynode *w = ynode_get(n, "where");
	if (w && sc_is(c, w, YN_SCALAR, "'where'")) {
		out->where_src = xstrdup(w->str);
		out->where = sc_expr(c, w);
	}
	ynode *show = ynode_get(n, "show");
	if (show) {
		out->show = sc_strlist(c, n, "show", &out->nshow, false);
		for (size_t i = 0; i < show->n && i < out->nshow; i++) {
			/* A show entry is a property path: parse it as an expression operand. */
			char *err = NULL;
			int col;
			expr *e = expr_parse(out->show[i], &err, &col);
			if (!e) {
				sc_error(c, show->items[i], _("show: '%s' is not a property path: %s"),
					 out->show[i], err);
				free(err);
			}
			expr_free(e);
		}
	}
	return true;
}

static void load_ref_list(schema_ctx *c, const ynode *map, reference **out, size_t *nout)
{
	ynode *refs = ynode_get(map, "references");
	if (!refs || !sc_is(c, refs, YN_SEQ, "'references'"))
		return;
	if (refs->n == 0)
		sc_error(c, refs, _("'references' must name at least one page"));
	*out = xcalloc(refs->n ? refs->n : 1, sizeof **out);
	for (size_t i = 0; i < refs->n; i++) {
		static const char *allowed[] = {"title", NULL};
		static const char *req[] = {"url", NULL};
		ynode *r = refs->items[i];
		if (!sc_is(c, r, YN_MAP, _("a reference")))
			continue;
		sc_keys(c, r, _("a reference"), allowed, req);
		reference *ref = &(*out)[(*nout)++];
		ref->url = sc_str(c, r, "url", true);
		ref->title = sc_str(c, r, "title", false);
		if (ref->url && strncmp(ref->url, "http://", 7) != 0 && strncmp(ref->url, "https://", 8) != 0)
			sc_error(c, ynode_get(r, "url"), _("reference url must start with http:// or https://"));
	}
}

static void load_refs(schema_ctx *c, const ynode *map, check *k)
{
	load_ref_list(c, map, &k->refs, &k->nrefs);
}

static void load_guidance(schema_ctx *c, const ynode *map, check *k)
{
	static const char *req[] = {"why", "compliant", "console", NULL};
	ynode *g = ynode_get(map, "guidance");
	if (!g || !sc_is(c, g, YN_MAP, "'guidance'"))
		return;
	sc_keys(c, g, "guidance", NULL, req);
	k->why = sc_str(c, g, "why", true);
	k->compliant = sc_str(c, g, "compliant", true);
	k->console = sc_str(c, g, "console", true);
}

static void load_expect(schema_ctx *c, const ynode *map, check *k)
{
	static const char *allowed[] = {"all", "any", "none", "when_empty", NULL};
	static const char *qnames[] = {"all", "any", "none"};
	ynode *e = ynode_get(map, "expect");
	if (!e || !sc_is(c, e, YN_MAP, "'expect'"))
		return;
	sc_keys(c, e, "expect", allowed, NULL);
	int found = 0;
	for (int q = 0; q < 3; q++) {
		ynode *p = ynode_get(e, qnames[q]);
		if (!p)
			continue;
		if (++found > 1) {
			sc_error(c, p, _("'expect' takes exactly one of all, any, none"));
			continue;
		}
		k->quant = (quantifier)q;
		if (sc_is(c, p, YN_SCALAR, _("the expectation"))) {
			k->pred_src = xstrdup(p->str);
			k->pred = sc_expr(c, p);
		}
	}
	if (!found)
		sc_error(c, e, _("'expect' needs one of all, any, none"));
	k->when_empty = (empty_rule)sc_enum(c, e, "when_empty", empty_names, EMPTY_NOT_APPLICABLE, false);
}

static void load_evidence(schema_ctx *c, const ynode *map, check *k)
{
	ynode *ev = ynode_get(map, "evidence");
	if (!ev || !sc_is(c, ev, YN_SEQ, "'evidence'"))
		return;
	k->evidence = xcalloc(ev->n ? ev->n : 1, sizeof *k->evidence);
	for (size_t i = 0; i < ev->n; i++)
		if (load_collect(c, ev->items[i], "evidence item", false, &k->evidence[k->nevidence]))
			k->nevidence++;
}

static void load_attestation(schema_ctx *c, const ynode *map, check *k)
{
	static const char *req[] = {"reason", "question", NULL};
	ynode *a = ynode_get(map, "attestation");
	if (!a || !sc_is(c, a, YN_MAP, "'attestation'"))
		return;
	sc_keys(c, a, "attestation", NULL, req);
	int r = sc_enum(c, a, "reason", attest_reasons, -1, true);
	if (r >= 0)
		k->attest_reason = xstrdup(attest_reasons[r]);
	k->attest_question = sc_str(c, a, "question", true);
}

/* ---------- kind: fail-or-ask ----------
 * The automated part of a fail-or-ask check: documented evidence of a violation
 * fails the check; otherwise the operator is asked, with the evidence. It sits
 * under its own key so the part that decides automatically carries its own
 * basis and its own citations, which lint requires. */
static void load_fails_if(schema_ctx *c, const ynode *n, check *k)
{
	static const char *allowed[] = {"basis_note", NULL};
	static const char *req[] = {"basis", "references", "probe", "expect", NULL};
	ynode *f = ynode_get(n, "fails_if");
	if (!f) {
		sc_error(c, n, _("fail-or-ask check '%s' needs 'fails_if': the automated part and its references"),
			 k->id ? k->id : "?");
		return;
	}
	if (!sc_is(c, f, YN_MAP, "'fails_if'"))
		return;
	sc_keys(c, f, "fails_if", allowed, req);
	k->basis = (check_basis)sc_enum(c, f, "basis", basis_names, BASIS_NONE, true);
	if (k->basis == BASIS_NONE && ynode_get(f, "basis"))
		sc_error(c, ynode_get(f, "basis"), _("'basis' of 'fails_if' must be documented or inferred"));
	k->basis_note = sc_str(c, f, "basis_note", true);
	if (k->basis == BASIS_INFERRED && !k->basis_note)
		sc_error(c, f, _("check '%s' has an inferred basis: 'basis_note' must say from what"),
			 k->id ? k->id : "?");
	load_ref_list(c, f, &k->fail_refs, &k->nfail_refs);
	ynode *probe = ynode_get(f, "probe");
	if (probe) {
		k->probe = xcalloc(1, sizeof *k->probe);
		load_collect(c, probe, "probe", false, k->probe);
	}
	load_expect(c, f, k);
}

/* `kind: fail-or-ask` is an attestation check with a `fails_if` part. */
static bool is_fail_or_ask(const ynode *n)
{
	const ynode *kind = ynode_get(n, "kind");
	return kind && kind->kind == YN_SCALAR && kind->str && strcmp(kind->str, "fail-or-ask") == 0;
}

static void load_check(schema_ctx *c, const ynode *n, const section *sec, check *k)
{
	static const char *allowed[] = {"basis", "basis_note", "duplicate_note", "applies_if", "probe",
					"expect", "evidence", "attestation", "fixes", "fails_if", NULL};
	static const char *req[] = {"id", "title", "severity", "kind", "guidance", "references", NULL};
	memset(k, 0, sizeof *k);
	k->file = xstrdup(c->file);
	k->line = n->line;
	k->col = n->col;
	k->section = xstrdup(sec->id ? sec->id : "");
	sc_keys(c, n, _("a check"), allowed, req);
	k->id = sc_str(c, n, "id", true);
	if (k->id && sec->id) {
		size_t sl = strlen(sec->id);
		if (!sc_id_ok(k->id) || strncmp(k->id, sec->id, sl) != 0 || k->id[sl] != '.' ||
		    !k->id[sl + 1] || strchr(k->id + sl + 1, '.'))
			sc_error(c, ynode_get(n, "id"), _("check id '%s' must be '%s.SLUG' (lower case, digits, '-')"),
				 k->id, sec->id);
	}
	k->title = sc_str(c, n, "title", true);
	k->sev = (severity)sc_enum(c, n, "severity", sev_names, SEV_MEDIUM, true);
	k->fail_or_ask = is_fail_or_ask(n);
	k->kind = k->fail_or_ask ? KIND_ATTESTATION
				 : (check_kind)sc_enum(c, n, "kind", kind_names, KIND_ATTESTATION, true);
	k->basis = (check_basis)sc_enum(c, n, "basis", basis_names, BASIS_NONE, false);
	k->basis_note = sc_str(c, n, "basis_note", true);
	k->duplicate_note = sc_str(c, n, "duplicate_note", true);
	load_guidance(c, n, k);
	load_refs(c, n, k);
	ynode *ap = ynode_get(n, "applies_if");
	if (ap) {
		k->applies_if = xcalloc(1, sizeof *k->applies_if);
		load_collect(c, ap, "applies_if", true, k->applies_if);
	}
	ynode *probe = ynode_get(n, "probe");
	if (probe) {
		k->probe = xcalloc(1, sizeof *k->probe);
		load_collect(c, probe, "probe", false, k->probe);
	}
	load_expect(c, n, k);
	load_evidence(c, n, k);
	load_attestation(c, n, k);
	k->fixes = sc_strlist(c, n, "fixes", &k->nfixes, true);
	if (k->fail_or_ask)
		load_fails_if(c, n, k);
	else if (ynode_get(n, "fails_if"))
		sc_error(c, ynode_get(n, "fails_if"), _("'fails_if' is only for fail-or-ask checks"));

	if (k->kind == KIND_AUTOMATED) {
		if (!probe)
			sc_error(c, n, _("automated check '%s' needs a 'probe'"), k->id ? k->id : "?");
		if (!ynode_get(n, "expect"))
			sc_error(c, n, _("automated check '%s' needs 'expect'"), k->id ? k->id : "?");
		if (k->basis == BASIS_NONE)
			sc_error(c, ynode_get(n, "basis") ? ynode_get(n, "basis") : n,
				 _("automated check '%s' must state its basis: documented or inferred"),
				 k->id ? k->id : "?");
		if (k->basis == BASIS_INFERRED && !k->basis_note)
			sc_error(c, n, _("check '%s' has an inferred basis: 'basis_note' must say from what"),
				 k->id ? k->id : "?");
		if (ynode_get(n, "attestation"))
			sc_error(c, ynode_get(n, "attestation"), _("'attestation' is only for attestation checks"));
	} else {
		static const char *only_auto[] = {"probe", "expect", "basis", "basis_note"};
		for (size_t i = 0; i < ARRAY_SIZE(only_auto); i++)
			if (ynode_get(n, only_auto[i]))
				sc_error(c, ynode_get(n, only_auto[i]),
					 _("'%s' is only for automated checks (this one is an attestation)"),
					 only_auto[i]);
		if (!ynode_get(n, "attestation"))
			sc_error(c, n, _("attestation check '%s' needs 'attestation' (reason, question)"),
				 k->id ? k->id : "?");
		if (!ynode_get(n, "evidence"))
			sc_error(c, n, _("attestation check '%s' needs 'evidence' to show the operator"),
				 k->id ? k->id : "?");
	}
}

static void load_section_file(schema_ctx *c, const ynode *root, catalog *cat)
{
	static const char *top[] = {"section", "checks", NULL};
	static const char *sec_allowed[] = {"source", "note", "scope", NULL};
	static const char *sec_req[] = {"id", "title", "heading", NULL};
	if (!sc_is(c, root, YN_MAP, _("a section file")))
		return;
	sc_keys(c, root, _("a section file"), NULL, top);
	ynode *s = ynode_get(root, "section");
	ynode *checks = ynode_get(root, "checks");
	if (!s || !sc_is(c, s, YN_MAP, "'section'"))
		return;
	sc_keys(c, s, "section", sec_allowed, sec_req);
	cat->sections = xrealloc(cat->sections, (cat->nsections + 1) * sizeof *cat->sections);
	section *sec = &cat->sections[cat->nsections++];
	memset(sec, 0, sizeof *sec);
	sec->file = xstrdup(c->file);
	sec->id = sc_str(c, s, "id", true);
	if (sec->id && (!sc_id_ok(sec->id) || strchr(sec->id, '.')))
		sc_error(c, ynode_get(s, "id"), _("section id '%s' must be lower case letters, digits and '-'"),
			 sec->id);
	for (size_t i = 0; sec->id && i + 1 < cat->nsections; i++)
		if (cat->sections[i].id && strcmp(cat->sections[i].id, sec->id) == 0)
			sc_error(c, ynode_get(s, "id"), _("duplicate section id '%s' (also in %s)"), sec->id,
				 cat->sections[i].file);
	sec->title = sc_str(c, s, "title", true);
	sec->heading = sc_str(c, s, "heading", true);
	sec->source = sc_str(c, s, "source", true);
	sec->note = sc_str(c, s, "note", true);
	sec->beyond = sc_enum(c, s, "scope", scope_names, 0, false) == 1;
	if (sec->beyond && !sec->source)
		sc_error(c, s, _("section '%s' is beyond the checklist: its 'source' must say where its checks come from"),
			 sec->id ? sec->id : "?");
	if (!sec->beyond)
		for (size_t i = 0; i + 1 < cat->nsections; i++)
			if (cat->sections[i].beyond)
				sc_error(c, s, _("section '%s' of the checklist comes after '%s', which is beyond the"
						 " checklist: name the files so that the checklist comes first"),
					 sec->id ? sec->id : "?", cat->sections[i].id ? cat->sections[i].id : "?");
	if (!checks || !sc_is(c, checks, YN_SEQ, "'checks'"))
		return;
	if (checks->n == 0 && !sec->note)
		sc_error(c, checks, _("section '%s' has no checks: its 'note' must say why"),
			 sec->id ? sec->id : "?");
	sec->checks = xcalloc(checks->n ? checks->n : 1, sizeof *sec->checks);
	for (size_t i = 0; i < checks->n; i++) {
		if (!sc_is(c, checks->items[i], YN_MAP, _("a check")))
			continue;
		load_check(c, checks->items[i], sec, &sec->checks[sec->n++]);
		cat->nchecks++;
	}
}

static void load_checklist_file(schema_ctx *c, const ynode *root, catalog *cat)
{
	static const char *top[] = {"checklist", NULL};
	static const char *allowed[] = {"intro", NULL};
	static const char *req[] = {"title", "source", "warning", NULL};
	if (!sc_is(c, root, YN_MAP, _("the checklist file")))
		return;
	sc_keys(c, root, _("the checklist file"), NULL, top);
	ynode *cl = ynode_get(root, "checklist");
	if (!cl || !sc_is(c, cl, YN_MAP, "'checklist'"))
		return;
	sc_keys(c, cl, "checklist", allowed, req);
	cat->title = sc_str(c, cl, "title", true);
	cat->source = sc_str(c, cl, "source", true);
	cat->warning = sc_str(c, cl, "warning", true);
	cat->intro = sc_str(c, cl, "intro", true);
}

/* A technique id of the knowledge base: a family in capitals, '-', a number
 * (CRED-1, TAKEOVER-8). */
static bool technique_id_ok(const char *s)
{
	const char *p = s;
	while (*p >= 'A' && *p <= 'Z')
		p++;
	if (p == s || *p != '-' || !p[1])
		return false;
	for (p++; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* The link must lead to the technique's own page: it names the id. */
static bool url_names_id(const char *url, const char *id)
{
	size_t l = strlen(id);
	for (const char *p = url; *p; p++)
		if (strncasecmp(p, id, l) == 0 && (p[l] < '0' || p[l] > '9'))
			return true;
	return false;
}

static void load_technique(schema_ctx *c, const ynode *n, catalog *cat)
{
	static const char *req[] = {"id", "title", "url", "checks", NULL};
	if (!sc_is(c, n, YN_MAP, _("a technique")))
		return;
	sc_keys(c, n, _("a technique"), NULL, req);
	technique *q = &cat->techniques[cat->ntechniques++];
	memset(q, 0, sizeof *q);
	q->file = xstrdup(c->file);
	q->line = n->line;
	q->col = n->col;
	q->id = sc_str(c, n, "id", true);
	q->title = sc_str(c, n, "title", true);
	q->url = sc_str(c, n, "url", true);
	q->checks = sc_strlist(c, n, "checks", &q->nchecks, true);
	if (q->id && !technique_id_ok(q->id))
		sc_error(c, ynode_get(n, "id"), _("'%s' is not a technique id (FAMILY-NUMBER, e.g. TAKEOVER-1)"), q->id);
	for (size_t i = 0; q->id && i + 1 < cat->ntechniques; i++)
		if (cat->techniques[i].id && !strcmp(cat->techniques[i].id, q->id))
			sc_error(c, ynode_get(n, "id"), _("duplicate technique '%s'"), q->id);
	if (q->url && strncmp(q->url, "https://", 8) != 0)
		sc_error(c, ynode_get(n, "url"), _("a technique's url must start with https://"));
	else if (q->url && q->id && !url_names_id(q->url, q->id))
		sc_error(c, ynode_get(n, "url"), _("the url of '%s' does not lead to its page (it does not name %s)"),
			 q->id, q->id);
}

/* checks/attack-paths.yaml: the techniques and the checks that stand in their way. */
static void load_attack_paths(schema_ctx *c, const ynode *root, catalog *cat)
{
	static const char *top[] = {"attack_paths", NULL};
	static const char *allowed[] = {"note", "untagged", NULL};
	static const char *req[] = {"source", "techniques", NULL};
	sc_keys(c, root, _("the attack-paths file"), NULL, top);
	ynode *ap = ynode_get(root, "attack_paths");
	if (!ap || !sc_is(c, ap, YN_MAP, "'attack_paths'"))
		return;
	sc_keys(c, ap, "attack_paths", allowed, req);
	if (cat->techniques) {
		sc_error(c, ap, _("a second attack-paths file: the techniques are listed in one file"));
		return;
	}
	ynode *ts = ynode_get(ap, "techniques");
	if (!ts || !sc_is(c, ts, YN_SEQ, "'techniques'"))
		return;
	cat->techniques = xcalloc(ts->n ? ts->n : 1, sizeof *cat->techniques);
	for (size_t i = 0; i < ts->n; i++)
		load_technique(c, ts->items[i], cat);
	cat->untagged = sc_strlist(c, ap, "untagged", &cat->nuntagged, false);
}

/* After every file: each check a technique or `untagged` names exists, and a
 * check is not both tagged and listed as untagged. */
static void check_technique_refs(catalog *cat, diags *d)
{
	for (size_t t = 0; t < cat->ntechniques; t++) {
		const technique *q = &cat->techniques[t];
		for (size_t i = 0; i < q->nchecks; i++) {
			if (!catalog_find(cat, q->checks[i]))
				diags_add(d, q->file, q->line, q->col, _("technique '%s' names check '%s', which does not exist"),
					  q->id ? q->id : "?", q->checks[i]);
			for (size_t j = 0; j < i; j++)
				if (!strcmp(q->checks[i], q->checks[j]))
					diags_add(d, q->file, q->line, q->col, _("technique '%s' names check '%s' twice"),
						  q->id ? q->id : "?", q->checks[i]);
			for (size_t u = 0; u < cat->nuntagged; u++)
				if (!strcmp(q->checks[i], cat->untagged[u]))
					diags_add(d, q->file, q->line, q->col,
						  _("check '%s' is listed as untagged but technique '%s' names it"),
						  q->checks[i], q->id ? q->id : "?");
		}
	}
	for (size_t u = 0; u < cat->nuntagged; u++)
		if (!catalog_find(cat, cat->untagged[u]))
			diags_add(d, cat->techniques ? cat->techniques[0].file : cat->dir, 0, 0,
				  _("'untagged' names check '%s', which does not exist"), cat->untagged[u]);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* YAML file names in `dir`, sorted; NULL with a diagnostic if unreadable. */
char **list_yaml_files(const char *dir, size_t *n, diags *d)
{
	*n = 0;
	DIR *dh = opendir(dir);
	if (!dh) {
		diags_add(d, dir, 0, 0, _("cannot read the directory"));
		return NULL;
	}
	char **names = NULL;
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(dh)) != NULL) {
		size_t l = strlen(e->d_name);
		if (e->d_name[0] == '.' || l < 6 || strcmp(e->d_name + l - 5, ".yaml") != 0)
			continue;
		GROW(names, cap, *n + 1);
		names[(*n)++] = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(dh);
	if (*n)
		qsort(names, *n, sizeof *names, cmp_str);
	return names;
}

static void check_unique_ids(catalog *cat, diags *d)
{
	for (size_t s = 0; s < cat->nsections; s++)
		for (size_t i = 0; i < cat->sections[s].n; i++) {
			check *k = &cat->sections[s].checks[i];
			if (!k->id)
				continue;
			for (size_t t = 0; t <= s; t++)
				for (size_t j = 0; j < (t == s ? i : cat->sections[t].n); j++) {
					check *o = &cat->sections[t].checks[j];
					if (o->id && strcmp(o->id, k->id) == 0)
						diags_add(d, k->file, k->line, k->col,
							  _("duplicate check id '%s' (first at %s:%d:%d)"), k->id,
							  o->file, o->line, o->col);
				}
		}
}

/* One content file, already in memory: the checklist file or a section file. */
static void load_buffer(catalog *cat, const char *file, const char *buf, size_t len, diags *d,
			bool *have_checklist)
{
	ydoc doc;
	if (ydoc_parse(&doc, file, buf, len, d) == 0) {
		schema_ctx c = {.file = file, .d = d};
		if (!doc.root)
			sc_error(&c, NULL, _("empty file"));
		else if (doc.root->kind == YN_MAP && ynode_get(doc.root, "checklist")) {
			*have_checklist = true;
			load_checklist_file(&c, doc.root, cat);
		} else if (doc.root->kind == YN_MAP && ynode_get(doc.root, "values")) {
			static const char *top[] = {"values", NULL};
			sc_keys(&c, doc.root, _("a values file"), NULL, top);
			value_names_load(&c, ynode_get(doc.root, "values"), &cat->names);
		} else if (doc.root->kind == YN_MAP && ynode_get(doc.root, "attack_paths"))
			load_attack_paths(&c, doc.root, cat);
		else
			load_section_file(&c, doc.root, cat);
	}
	ydoc_release(&doc);
}

int catalog_load_buffer(catalog *cat, const char *file, const char *buf, size_t len, diags *d)
{
	size_t before = d->n;
	bool have_checklist = false;
	if (len > CONTENT_MAX_BYTES) {
		diags_add(d, file, 0, 0, _("file is %zu bytes, larger than the limit of %u bytes"), len,
			  CONTENT_MAX_BYTES);
		return -1;
	}
	load_buffer(cat, file, buf, len, d, &have_checklist);
	check_unique_ids(cat, d);
	return d->n == before ? 0 : -1;
}

int catalog_load(catalog *cat, const char *dir, diags *d)
{
	memset(cat, 0, sizeof *cat);
	cat->dir = xstrdup(dir);
	size_t before = d->n;
	char *cdir = xasprintf("%s/checks", dir);
	size_t nfiles;
	char **files = list_yaml_files(cdir, &nfiles, d);
	free(cdir);
	sha256_ctx digest;
	sha256_init(&digest);
	bool have_checklist = false;
	for (size_t i = 0; i < nfiles; i++) {
		char *buf = NULL, *err = NULL;
		size_t len = 0;
		if (read_file_limited(files[i], CONTENT_MAX_BYTES, &buf, &len, &err) < 0) {
			diags_add(d, files[i], 0, 0, "%s", err);
			free(err);
			free(files[i]);
			continue;
		}
		const char *base = strrchr(files[i], '/') + 1;
		sha256_update(&digest, base, strlen(base) + 1);
		sha256_update(&digest, buf, len);
		load_buffer(cat, files[i], buf, len, d, &have_checklist);
		free(buf);
		free(files[i]);
	}
	free(files);
	uint8_t raw[32];
	sha256_final(&digest, raw);
	sha256_to_hex(raw, cat->digest);
	value_names_use(&cat->names);
	if (!have_checklist)
		diags_add(d, dir, 0, 0, _("checks/ has no checklist file (a file with a 'checklist' mapping)"));
	if (cat->nsections == 0)
		diags_add(d, dir, 0, 0, _("checks/ holds no sections"));
	check_unique_ids(cat, d);
	check_technique_refs(cat, d);
	return d->n == before ? 0 : -1;
}

int catalog_scope_parse(const char *s, catalog_scope *out)
{
	if (!strcmp(s, "all"))
		*out = SCOPE_ALL;
	else if (!strcmp(s, "checklist"))
		*out = SCOPE_CHECKLIST;
	else
		return -1;
	return 0;
}

void catalog_limit_scope(catalog *cat, catalog_scope scope)
{
	if (scope == SCOPE_ALL)
		return;
	size_t kept = 0;
	for (size_t s = 0; s < cat->nsections; s++) {
		if (cat->sections[s].beyond) {
			cat->nchecks -= cat->sections[s].n;
			cat->scoped_out = xrealloc(cat->scoped_out, (cat->nscoped_out + 1) * sizeof *cat->scoped_out);
			cat->scoped_out[cat->nscoped_out++] = xstrdup(cat->sections[s].id ? cat->sections[s].id : "");
			section_free(&cat->sections[s]);
			continue;
		}
		cat->sections[kept++] = cat->sections[s];
	}
	cat->nsections = kept;
}

bool catalog_scoped_out(const catalog *cat, const char *file)
{
	for (size_t i = 0; i < cat->nscoped_out; i++) {
		size_t l = strlen(cat->scoped_out[i]);
		if (!strncmp(file, cat->scoped_out[i], l) && !strcmp(file + l, ".yaml"))
			return true;
	}
	return false;
}

void catalog_checklist_counts(const catalog *cat, size_t *nsections, size_t *nchecks)
{
	*nsections = *nchecks = 0;
	for (size_t s = 0; s < cat->nsections; s++)
		if (!cat->sections[s].beyond) {
			++*nsections;
			*nchecks += cat->sections[s].n;
		}
}

const technique *catalog_technique(const catalog *cat, const char *id)
{
	for (size_t t = 0; t < cat->ntechniques; t++)
		if (cat->techniques[t].id && !strcmp(cat->techniques[t].id, id))
			return &cat->techniques[t];
	return NULL;
}

const check *catalog_find(const catalog *cat, const char *id)
{
	for (size_t s = 0; s < cat->nsections; s++)
		for (size_t i = 0; i < cat->sections[s].n; i++)
			if (cat->sections[s].checks[i].id && strcmp(cat->sections[s].checks[i].id, id) == 0)
				return &cat->sections[s].checks[i];
	return NULL;
}

const section *catalog_section(const catalog *cat, const char *id)
{
	for (size_t s = 0; s < cat->nsections; s++)
		if (cat->sections[s].id && strcmp(cat->sections[s].id, id) == 0)
			return &cat->sections[s];
	return NULL;
}
