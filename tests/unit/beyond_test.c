/* beyond_test.c — the section "Beyond the 2007 checklist" and the attack-path
 * view: each new check on the labs that teach it, every check tagged, the
 * checklist left as it was under --scope checklist, and the view's verdicts. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "check/engine.h"
#include "check/paths.h"
#include "content/catalog.h"
#include "target/target.h"
#include "testutil.h"

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

TestSuite(beyond, .init = setup, .fini = teardown);

/* Whether an offending object of the probe has this key. */
static bool offends(const result *x, const char *key)
{
	if (!x->ntables)
		return false;
	for (size_t i = 0; i < x->tables[0].nrows; i++)
		if (x->tables[0].rows[i].offending && !strcmp(x->tables[0].rows[i].key, key))
			return true;
	return false;
}

/* The automated checks of the section, lab by lab: what the default lab's
 * realistic exposures, the hardened lab and the relay-sql teaching lab give. */
static const struct {
	const char *id;
	check_status on_default, on_hardened, on_relay;
	const char *relay_offender; /* an offending object on relay-sql, or NULL */
} expected[] = {
	{"beyond.smb-signing-db-provider", ST_FAIL, ST_PASS, ST_FAIL, "SMS SQL Server/SQL01"},
	{"beyond.smb-signing-site-systems", ST_FAIL, ST_PASS, ST_FAIL,
	 "SQL01/HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanManServer\\Parameters/RequireSecuritySignature"},
	{"beyond.webclient-disabled", ST_FAIL, ST_PASS, ST_FAIL, "SQL01/WebClient"},
	{"beyond.boot-image-command-support", ST_FAIL, ST_PASS, ST_PASS, NULL},
	{"beyond.site-db-provider-local", ST_PASS, ST_PASS, ST_FAIL, "SMS SQL Server/SQL01"},
};

Test(beyond, every_automated_check_of_the_section_is_tested_here)
{
	const section *sec = catalog_section(&cat, "beyond");
	cr_assert(sec && sec->beyond);
	for (size_t i = 0; i < sec->n; i++) {
		if (sec->checks[i].kind != KIND_AUTOMATED)
			continue;
		bool listed = false;
		for (size_t j = 0; j < ARRAY_SIZE(expected); j++)
			listed |= !strcmp(expected[j].id, sec->checks[i].id);
		cr_expect(listed, "%s has no expectation on the labs", sec->checks[i].id);
	}
}

static void expect_on(const char *spec, size_t which)
{
	tu_run r;
	tu_run_checks(spec, &cat, &r);
	for (size_t j = 0; j < ARRAY_SIZE(expected); j++) {
		const result *x = tu_run_find(&r, expected[j].id);
		check_status want = which == 0 ? expected[j].on_default
				    : which == 1 ? expected[j].on_hardened
						 : expected[j].on_relay;
		cr_expect_eq(x->status, want, "%s on %s: %s, want %s (%s)", x->chk->id, spec, status_name(x->status),
			     status_name(want), x->reason ? x->reason : "");
		if (which == 2 && expected[j].relay_offender)
			cr_expect(offends(x, expected[j].relay_offender), "%s on %s: %s is not shown as offending",
				  x->chk->id, spec, expected[j].relay_offender);
		if (x->status == ST_FAIL)
			cr_expect_gt(x->offending, 0, "%s: a failure names what offends", x->chk->id);
	}
	tu_run_free(&r);
}

Test(beyond, default_lab_exposes_signing_webclient_and_command_support)
{
	expect_on("lab:default", 0);
}

Test(beyond, hardened_lab_passes_every_automated_check_of_the_section)
{
	expect_on("lab:hardened", 1);
}

Test(beyond, relay_sql_lab_fails_on_the_remote_database)
{
	expect_on("lab:relay-sql", 2);
}

/* Only the command-support boot image offends; the other is compliant. */
Test(beyond, boot_images_are_judged_one_by_one)
{
	tu_run r;
	tu_run_checks("lab:default", &cat, &r);
	const result *x = tu_run_find(&r, "beyond.boot-image-command-support");
	cr_expect_eq(x->examined, 2);
	cr_expect_eq(x->offending, 1);
	cr_expect(offends(x, "CON00002"));
	tu_run_free(&r);
}

/* A missing signing value on a database host is a failure (the Windows default is
 * "not required"), never a pass by absence. */
Test(beyond, database_host_without_a_signing_value_fails)
{
	tu_run r;
	tu_run_checks("lab:pxe-exposed", &cat, &r);
	cr_expect_eq(tu_run_find(&r, "beyond.smb-signing-db-provider")->status, ST_PASS);
	tu_run_free(&r);
	char *dir = tu_tempdir();
	char *src = xasprintf("%s/labs/hardened.yaml", tu_content());
	char *buf = NULL, *err = NULL;
	size_t len = 0;
	cr_assert_eq(read_file_limited(src, 16u << 20, &buf, &len, &err), 0, "%s", err ? err : "");
	/* Drop CM01's value: CM01 holds the database and the SMS Provider. */
	const char *key = "'CM01/HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanManServer\\Parameters/RequireSecuritySignature'";
	char *at = strstr(buf, key);
	cr_assert(at, "hardened.yaml holds CM01's signing value");
	char *obj = at;
	while (obj > buf && strncmp(obj, "  - class:", 10) != 0)
		obj--;
	char *next = strstr(at, "  - class:");
	cr_assert(next);
	memmove(obj, next, strlen(next) + 1);
	/* The scenario keeps its name, which must be the file's. */
	tu_write(dir, "hardened.yaml", buf);
	char *spec = xasprintf("lab:%s/hardened.yaml", dir);
	tu_run_checks(spec, &cat, &r);
	const result *x = tu_run_find(&r, "beyond.smb-signing-db-provider");
	cr_expect_eq(x->status, ST_FAIL, "%s", x->reason ? x->reason : "");
	cr_expect(offends(x, "SMS SQL Server/CM01"));
	tu_run_free(&r);
	free(spec);
	free(buf);
	free(src);
	tu_rmrf(dir);
	free(dir);
}

Test(beyond, attestation_checks_ask_with_evidence_on_the_default_lab)
{
	tu_run r;
	tu_run_checks("lab:default", &cat, &r);
	const section *sec = catalog_section(&cat, "beyond");
	for (size_t i = 0; i < sec->n; i++) {
		if (sec->checks[i].kind != KIND_ATTESTATION)
			continue;
		const result *x = tu_run_find(&r, sec->checks[i].id);
		cr_expect_eq(x->status, ST_NEEDS_ATTESTATION, "%s", x->chk->id);
		size_t rows = 0;
		for (size_t t = 0; t < x->ntables; t++) {
			cr_expect_null(x->tables[t].error, "%s: %s", x->chk->id, x->tables[t].error);
			rows += x->tables[t].nrows;
		}
		cr_expect_gt(rows, 0, "%s shows evidence from the site", x->chk->id);
	}
	tu_run_free(&r);
}

/* Every check, the checklist's and the new ones, is either in some technique's
 * way or listed as standing in none: none is forgotten. */
Test(beyond, every_check_is_tagged_or_listed_as_untagged)
{
	cr_expect_gt(cat.ntechniques, 0);
	for (size_t s = 0; s < cat.nsections; s++)
		for (size_t i = 0; i < cat.sections[s].n; i++) {
			const char *id = cat.sections[s].checks[i].id;
			size_t tagged = 0, untagged = 0;
			for (size_t t = 0; t < cat.ntechniques; t++)
				for (size_t k = 0; k < cat.techniques[t].nchecks; k++)
					tagged += !strcmp(cat.techniques[t].checks[k], id);
			for (size_t u = 0; u < cat.nuntagged; u++)
				untagged += !strcmp(cat.untagged[u], id);
			cr_expect(tagged + untagged > 0, "%s is neither tagged nor listed as untagged", id);
			if (cat.sections[s].beyond)
				cr_expect_gt(tagged, 0, "%s (beyond the checklist) stands in no technique's way", id);
		}
}

Test(beyond, scope_checklist_leaves_the_checklist_exactly_as_it_was)
{
	catalog_limit_scope(&cat, SCOPE_CHECKLIST);
	cr_expect_eq(cat.nsections, 14);
	cr_expect_eq(cat.nchecks, 82);
	size_t total = 0;
	for (size_t s = 0; s < cat.nsections; s++) {
		cr_expect(!cat.sections[s].beyond);
		total += cat.sections[s].n;
	}
	cr_expect_eq(total, 82);
	cr_expect_null(catalog_find(&cat, "beyond.webclient-disabled"));
	cr_expect(catalog_scoped_out(&cat, "beyond.yaml"), "fixes/beyond.yaml is left out with its section");
	cr_expect(!catalog_scoped_out(&cat, "osd.yaml"));
	cr_expect_not_null(catalog_find(&cat, "osd.pxe-password"));
}

static path_view view_of(const tu_run *r)
{
	path_verdict *v = xcalloc(r->n, sizeof *v);
	for (size_t i = 0; i < r->n; i++) {
		v[i].res = &r->rs[i];
		v[i].status = r->rs[i].status;
	}
	path_view pv;
	path_view_build(&pv, &cat, v, r->n);
	free(v);
	return pv;
}

static const path_entry *entry(const path_view *pv, const char *id)
{
	for (size_t i = 0; i < pv->n; i++)
		if (!strcmp(pv->entries[i].t->id, id))
			return &pv->entries[i];
	cr_assert_fail("no technique %s", id);
	return NULL;
}

Test(beyond, relay_paths_are_open_on_relay_sql_and_name_the_database_host)
{
	tu_run r;
	tu_run_checks("lab:relay-sql", &cat, &r);
	path_view pv = view_of(&r);
	const path_entry *e = entry(&pv, "TAKEOVER-1");
	cr_expect_eq(e->state, PATH_OPEN);
	strbuf line = STRBUF_INIT;
	path_entry_line(e, &line);
	cr_expect(strstr(sb_str(&line), "TAKEOVER-1: open (") && strstr(sb_str(&line), "SQL01"), "%s", sb_str(&line));
	sb_release(&line);
	cr_expect_eq(entry(&pv, "TAKEOVER-8")->state, PATH_OPEN);
	/* Nothing in the checklist fails on this lab: CRED-6 waits only for answers. */
	cr_expect_eq(entry(&pv, "CRED-6")->state, PATH_UNANSWERED);
	size_t total = 0;
	for (int s = 0; s < PATH_STATE_COUNT; s++)
		total += pv.counts[s];
	cr_expect_eq(total, cat.ntechniques);
	path_view_release(&pv);
	tu_run_free(&r);
}

/* Once every check in a path's way is satisfied, it is closed; a waiver closes it too. */
Test(beyond, a_path_closes_when_its_checks_are_satisfied)
{
	tu_run r;
	tu_run_checks("lab:hardened", &cat, &r);
	for (size_t i = 0; i < r.n; i++)
		if (r.rs[i].status == ST_NEEDS_ATTESTATION)
			r.rs[i].status = ST_ATTESTED;
	path_view pv = view_of(&r);
	for (size_t i = 0; i < pv.n; i++)
		cr_expect_eq(pv.entries[i].state, PATH_CLOSED, "%s", pv.entries[i].t->id);
	path_view_release(&pv);
	tu_run_free(&r);
}

/* Checks not in the run do not close a path: with none of its checks run, a
 * technique is "not checked". */
Test(beyond, checks_outside_the_run_never_close_a_path)
{
	path_view pv;
	path_view_build(&pv, &cat, NULL, 0);
	cr_expect_eq(pv.counts[PATH_NOT_CHECKED], cat.ntechniques);
	path_view_release(&pv);
}

/* Object keys come from the site: the view's line shows them sanitised (no
 * terminal escapes, no newlines), however they were written. */
Test(beyond, offending_keys_are_sanitised_in_the_line)
{
	const check *k = catalog_find(&cat, "beyond.webclient-disabled");
	cr_assert_not_null(k);
	result r;
	memset(&r, 0, sizeof r);
	r.chk = k;
	r.status = ST_FAIL;
	r.offending = 1;
	ev_table t;
	memset(&t, 0, sizeof t);
	t.cls = (char *)"Win32_Service";
	ev_row row;
	memset(&row, 0, sizeof row);
	row.key = (char *)"EVIL\x1b[31m\n/WebClient";
	row.offending = true;
	t.rows = &row;
	t.nrows = 1;
	r.tables = &t;
	r.ntables = 1;
	path_verdict v = {&r, ST_FAIL};
	path_view pv;
	path_view_build(&pv, &cat, &v, 1);
	const path_entry *e = entry(&pv, "TAKEOVER-8");
	cr_expect_eq(e->state, PATH_OPEN);
	strbuf line = STRBUF_INIT;
	path_entry_line(e, &line);
	cr_expect(strstr(sb_str(&line), "EVIL"), "%s", sb_str(&line));
	cr_expect_null(strchr(sb_str(&line), '\x1b'), "no escape reaches the line");
	cr_expect_null(strchr(sb_str(&line), '\n'), "no newline reaches the line");
	sb_release(&line);
	path_view_release(&pv);
}
