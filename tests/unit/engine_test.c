/* engine_test.c — checks evaluated against lab sites: the default lab fails
 * for the documented reasons, the hardened lab passes, and what cannot be
 * evaluated is an error with its reason. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "content/catalog.h"
#include "check/engine.h"
#include "content/lab.h"
#include "target/target.h"
#include "testutil.h"
#include "base/util.h"

static catalog cat;
static char *home;

static void setup(void)
{
	home = tu_catalog_open(&cat);
}

static void teardown(void)
{
	tu_catalog_close(&cat, home);
}

TestSuite(engine, .init = setup, .fini = teardown);

Test(engine, default_lab_fails_every_automated_check_with_evidence)
{
	tu_run r;
	tu_run_checks("lab:default", &cat, &r);
	for (size_t i = 0; i < r.n; i++) {
		const result *x = &r.rs[i];
		if (x->chk->kind != KIND_AUTOMATED && !x->chk->fail_or_ask) {
			cr_expect_eq(x->status, ST_NEEDS_ATTESTATION, "%s", x->chk->id);
			continue;
		}
		/* The section beyond the checklist spreads its failures over the default and
		 * the relay-sql labs (tests/unit/beyond_test.c). */
		if (catalog_section(&cat, x->chk->section)->beyond)
			continue;
		cr_expect_eq(x->status, ST_FAIL, "%s on default: %s (%s)", x->chk->id, status_name(x->status),
			     x->reason ? x->reason : "");
		if (x->status != ST_FAIL)
			continue;
		/* Evidence: the offending objects are marked, and the offending property too. */
		cr_assert_geq(x->ntables, 1);
		const ev_table *t = &x->tables[0];
		size_t marked = 0, bad_cells = 0;
		for (size_t j = 0; j < t->nrows; j++) {
			marked += t->rows[j].offending;
			for (size_t c = 0; c < t->ncols; c++)
				bad_cells += t->rows[j].offending && t->rows[j].bad[c];
		}
		cr_expect_eq(marked, x->offending, "%s", x->chk->id);
		cr_expect_gt(bad_cells, 0, "%s: the offending property is marked", x->chk->id);
	}
	tu_run_free(&r);
}

Test(engine, default_lab_mixes_compliant_objects_in)
{
	tu_run r;
	tu_run_checks("lab:default", &cat, &r);
	const result *adv = tu_run_find(&r, "swdist.download-content");
	cr_expect_gt(adv->examined, adv->offending, "some advertisements already download content");
	cr_expect_gt(adv->offending, 0);
	tu_run_free(&r);
}

Test(engine, hardened_lab_passes_every_automated_check)
{
	tu_run r;
	tu_run_checks("lab:hardened", &cat, &r);
	for (size_t i = 0; i < r.n; i++)
		if (r.rs[i].chk->kind == KIND_AUTOMATED)
			cr_expect_eq(r.rs[i].status, ST_PASS, "%s on hardened: %s (%s)", r.rs[i].chk->id,
				     status_name(r.rs[i].status), r.rs[i].reason ? r.rs[i].reason : "");
		else if (r.rs[i].chk->fail_or_ask) /* no violation found: the operator is asked */
			cr_expect(r.rs[i].status == ST_NEEDS_ATTESTATION || r.rs[i].status == ST_PASS,
				  "%s on hardened: %s (%s)", r.rs[i].chk->id, status_name(r.rs[i].status),
				  r.rs[i].reason ? r.rs[i].reason : "");
	tu_run_free(&r);
}

Test(engine, attestation_checks_show_evidence_from_the_site)
{
	tu_run r;
	tu_run_checks("lab:default", &cat, &r);
	size_t with_rows = 0, attest = 0;
	for (size_t i = 0; i < r.n; i++) {
		const result *x = &r.rs[i];
		if (x->chk->kind != KIND_ATTESTATION)
			continue;
		attest++;
		size_t rows = 0;
		for (size_t t = 0; t < x->ntables; t++) {
			cr_expect_null(x->tables[t].error, "%s: %s", x->chk->id, x->tables[t].error);
			rows += x->tables[t].nrows;
		}
		with_rows += rows > 0;
	}
	cr_expect_geq(with_rows * 10, attest * 8, "most attestation checks find evidence (%zu of %zu)",
		      with_rows, attest);
	tu_run_free(&r);
}

static void add_class(char ***classes, size_t *n, const char *cls)
{
	for (size_t x = 0; x < *n; x++)
		if (!strcasecmp((*classes)[x], cls))
			return;
	*classes = xrealloc(*classes, (*n + 1) * sizeof **classes);
	(*classes)[(*n)++] = xstrdup(cls);
}

static void add_collect(char ***classes, size_t *n, const collect *c)
{
	add_class(classes, n, c->cls);
	char **sel = NULL;
	size_t ns = 0;
	expr_select_classes(c->where, &sel, &ns);
	for (size_t i = 0; i < ns; i++) {
		add_class(classes, n, sel[i]);
		free(sel[i]);
	}
	free(sel);
}

/* A shown column that no collected object has is a wrong path in the content
 * (or an unexpanded embedded array): the operator would see only "(missing)". */
Test(engine, evidence_columns_exist_on_the_objects_shown)
{
	tu_run r;
	tu_run_checks("lab:default", &cat, &r);
	for (size_t i = 0; i < r.n; i++)
		for (size_t t = 0; t < r.rs[i].ntables; t++) {
			const ev_table *tb = &r.rs[i].tables[t];
			if (!tb->nrows)
				continue;
			for (size_t c = 0; c < tb->ncols; c++) {
				/* Unknown computer support exists from R2 on; the default
				 * lab is SP2, where "(missing)" is the true answer. */
				if (!strcmp(tb->columns[c], "Props[SupportUnknownMachines].Value"))
					continue;
				bool seen = false;
				for (size_t j = 0; j < tb->nrows && !seen; j++)
					seen = !tb->rows[j].missing[c];
				cr_expect(seen, "%s, table '%s': column %s is missing on every object",
					  r.rs[i].chk->id, tb->label, tb->columns[c]);
			}
		}
	tu_run_free(&r);
}

Test(engine, whole_embedded_arrays_and_quoted_paths_are_shown)
{
	tu_run r;
	tu_run_checks("lab:default", &cat, &r);
	const result *x = tu_run_find(&r, "inv.disable-mif");
	bool canon = false;
	for (size_t c = 0; c < x->tables[0].ncols; c++)
		canon |= !strcmp(x->tables[0].columns[c], "Props[MIF Collection].Value");
	cr_expect(canon, "the probe shows the canonical embedded path");
	tu_run_free(&r);
}

Test(engine, one_round_trip_per_class)
{
	tu_run r;
	tu_run_checks("lab:default", &cat, &r);
	/* Every class named anywhere in the content is read once, plus the site info. */
	char **classes = NULL;
	size_t n = 0;
	for (size_t s = 0; s < cat.nsections; s++)
		for (size_t i = 0; i < cat.sections[s].n; i++) {
			const check *k = &cat.sections[s].checks[i];
			if (k->applies_if)
				add_collect(&classes, &n, k->applies_if);
			if (k->probe)
				add_collect(&classes, &n, k->probe);
			for (size_t j = 0; j < k->nevidence; j++)
				add_collect(&classes, &n, &k->evidence[j]);
			char **sel = NULL;
			size_t ns = 0;
			expr_select_classes(k->pred, &sel, &ns);
			for (size_t j = 0; j < ns; j++) {
				add_class(&classes, &n, sel[j]);
				free(sel[j]);
			}
			free(sel);
		}
	cr_expect_eq(r.round_trips, n + 1, "round trips %lu for %zu classes + site", r.round_trips, n);
	for (size_t i = 0; i < n; i++)
		free(classes[i]);
	free(classes);
	tu_run_free(&r);
}

static void write_lab(const char *dir, const char *objects)
{
	char *text = xasprintf("scenario:\n  name: t\n  title: T\n"
			       "site: {code: TST, name: Test, server: SRV1, version: 2007 SP2, mode: mixed}\n"
			       "objects:\n%s",
			       objects);
	tu_write(dir, "t.yaml", text);
	free(text);
}

static check_status status_on(const char *objects, const char *id, char **reason)
{
	char *dir = tu_tempdir();
	write_lab(dir, objects);
	char *spec = xasprintf("lab:%s/t.yaml", dir);
	target *t = NULL;
	char *err = NULL;
	cr_assert_eq(target_open(spec, cat.dir, &t, &err), 0, "%s", err ? err : "");
	engine e;
	cr_assert_eq(engine_init(&e, t, &cat, &err), 0);
	result r;
	const check *k = catalog_find(&cat, id);
	cr_assert(k, "%s", id);
	engine_run(&e, k, &r);
	check_status st = r.status;
	if (reason)
		*reason = xstrdup(r.reason ? r.reason : "");
	result_release(&r);
	engine_release(&e);
	target_close(t);
	free(spec);
	tu_rmrf(dir);
	free(dir);
	return st;
}

Test(engine, missing_property_is_an_error_with_its_reason)
{
	char *why = NULL;
	check_status st = status_on("  - class: SMS_SCI_ClientComp\n    key: Remote Control\n"
				    "    properties: {ItemName: Remote Control, Flags: 1}\n",
				    "remote.ask-permission", &why);
	cr_expect_eq(st, ST_ERROR, "got %s", status_name(st));
	cr_expect(strstr(why, "Permission Required"), "reason names the property: %s", why);
	free(why);
}

Test(engine, wrong_type_is_an_error)
{
	check_status st = status_on("  - class: SMS_SCI_ClientComp\n    key: Remote Control\n"
				    "    properties:\n      ItemName: Remote Control\n      Flags: 1\n"
				    "      Props: {Permission Required: {Value: 'yes'}}\n",
				    "remote.ask-permission", NULL);
	cr_expect_eq(st, ST_ERROR, "got %s", status_name(st));
}

Test(engine, absent_role_is_not_applicable)
{
	check_status st = status_on("  - class: SMS_Site\n    key: TST\n    properties: {SiteCode: TST}\n",
				    "osd.pxe-password", NULL);
	cr_expect_eq(st, ST_NOT_APPLICABLE, "got %s", status_name(st));
	st = status_on("  - class: SMS_SCI_ClientComp\n    key: Remote Control\n"
		       "    properties: {ItemName: Remote Control, Flags: 0}\n",
		       "remote.ask-permission", NULL);
	cr_expect_eq(st, ST_NOT_APPLICABLE, "agent disabled: got %s", status_name(st));
}

Test(engine, one_compliant_and_one_offending_object)
{
	const char *objs =
		"  - class: SMS_SCI_ClientComp\n    key: Remote Control\n"
		"    properties:\n      ItemName: Remote Control\n      Flags: 1\n"
		"      Props: {Permission Required: {Value: 1}, Visible Signal: {Value: 0}}\n";
	cr_expect_eq(status_on(objs, "remote.ask-permission", NULL), ST_PASS);
	cr_expect_eq(status_on(objs, "remote.notification", NULL), ST_FAIL);
}

Test(engine, unreadable_lab_state_is_an_error_not_a_pass)
{
	target *t = NULL;
	char *err = NULL;
	cr_assert_eq(target_open("lab:default", cat.dir, &t, &err), 0);
	engine e;
	cr_assert_eq(engine_init(&e, t, &cat, &err), 0);
	/* Break the state under the engine: every query now fails. */
	char *path = xasprintf("%s/cmharden/labs", home);
	char *cmd = xasprintf("for f in '%s'/*.db; do printf 'garbage' > \"$f\"; done", path);
	cr_assert_eq(system(cmd), 0);
	result r;
	engine_run(&e, catalog_find(&cat, "remote.ask-permission"), &r);
	cr_expect_eq(r.status, ST_ERROR, "got %s", status_name(r.status));
	result_release(&r);
	engine_release(&e);
	target_close(t);
	free(cmd);
	free(path);
}

/* applies_if holds for attestation checks too: the Remote Tools agent
 * disabled, remote.lock-user-settings has nothing to ask about. */
Test(engine, attestation_check_not_applicable_by_applies_if)
{
	char *why = NULL;
	check_status st = status_on("  - class: SMS_SCI_ClientComp\n    key: Remote Control\n"
				    "    properties: {ItemName: Remote Control, Flags: 0}\n",
				    "remote.lock-user-settings", &why);
	cr_expect_eq(st, ST_NOT_APPLICABLE, "agent disabled: got %s", status_name(st));
	cr_expect_str_eq(why, "the Remote Tools client agent is disabled");
	free(why);
	st = status_on("  - class: SMS_SCI_ClientComp\n    key: Remote Control\n"
		       "    properties: {ItemName: Remote Control, Flags: 1}\n",
		       "remote.lock-user-settings", NULL);
	cr_expect_eq(st, ST_NEEDS_ATTESTATION, "agent enabled: got %s", status_name(st));
}

/* Data that was not read never hides a question: an applies_if that cannot
 * be read leaves the attestation check asking, and says why. */
Test(engine, unreadable_applies_if_keeps_the_question)
{
	target *t = NULL;
	char *err = NULL;
	cr_assert_eq(target_open("lab:default", cat.dir, &t, &err), 0);
	engine e;
	cr_assert_eq(engine_init(&e, t, &cat, &err), 0);
	char *path = xasprintf("%s/cmharden/labs", home);
	char *cmd = xasprintf("for f in '%s'/*.db; do printf 'garbage' > \"$f\"; done", path);
	cr_assert_eq(system(cmd), 0);
	result r;
	engine_run(&e, catalog_find(&cat, "remote.lock-user-settings"), &r);
	cr_expect_eq(r.status, ST_NEEDS_ATTESTATION, "got %s", status_name(r.status));
	cr_expect(r.reason && strstr(r.reason, "whether the check applies could not be read"), "reason: %s",
		  r.reason ? r.reason : "(none)");
	result_release(&r);
	engine_release(&e);
	target_close(t);
	free(cmd);
	free(path);
}
