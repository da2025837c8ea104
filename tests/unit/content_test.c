/* content_test.c — the shipped content, and the loader's verdict on broken content.
 *
 * Each malformed case is the same small, valid section file with one mistake;
 * the loader must name the mistake at its exact file:line:col, not crash and
 * not leak (the suite also runs under ASan and valgrind). */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "content/catalog.h"
#include "testutil.h"
#include "base/util.h"

static const char *checklist_yaml =
	"checklist:\n"
	"  title: T\n"
	"  source: https://example.com/c\n"
	"  warning: Test first.\n";

static const char *base_yaml =
	"section:\n"                                     /* 1 */
	"  id: sec\n"                                    /* 2 */
	"  title: Sec\n"                                 /* 3 */
	"  heading: Sec Heading\n"                       /* 4 */
	"checks:\n"                                      /* 5 */
	"  - id: sec.one\n"                              /* 6 */
	"    title: One\n"                               /* 7 */
	"    severity: high\n"                           /* 8 */
	"    kind: automated\n"                          /* 9 */
	"    basis: documented\n"                        /* 10 */
	"    guidance:\n"                                /* 11 */
	"      why: w\n"                                 /* 12 */
	"      compliant: c\n"                           /* 13 */
	"      console: x\n"                             /* 14 */
	"    references:\n"                              /* 15 */
	"      - url: https://example.com/a\n"           /* 16 */
	"    probe:\n"                                   /* 17 */
	"      class: SMS_Advertisement\n"               /* 18 */
	"      show: [AdvertisementID]\n"                /* 19 */
	"    expect:\n"                                  /* 20 */
	"      all: \"RemoteClientFlags has_none 0x88\"\n"; /* 21 */

static char *replace(const char *s, const char *find, const char *with)
{
	const char *at = strstr(s, find);
	cr_assert(at, "test bug: '%s' not in the base file", find);
	strbuf sb = STRBUF_INIT;
	sb_add(&sb, s, (size_t)(at - s));
	sb_adds(&sb, with);
	sb_adds(&sb, at + strlen(find));
	return sb_detach(&sb);
}

/* Loads a content dir holding the checklist and `section`; returns the diagnostics. */
static void load_case(const char *text, diags *d, char **dir_out)
{
	char *dir = tu_tempdir();
	tu_write(dir, "checks/00-checklist.yaml", checklist_yaml);
	tu_write(dir, "checks/01-sec.yaml", text);
	diags_init(d);
	catalog cat;
	catalog_load(&cat, dir, d);
	catalog_release(&cat);
	*dir_out = dir;
}

static void expect_diag(const char *text, int line, int col, const char *substr)
{
	diags d;
	char *dir;
	load_case(text, &d, &dir);
	bool found = false;
	strbuf all = STRBUF_INIT;
	for (size_t i = 0; i < d.n; i++) {
		sb_addf(&all, "\n  %s:%d:%d: %s", d.items[i].file, d.items[i].line, d.items[i].col,
			d.items[i].msg);
		if (d.items[i].line == line && d.items[i].col == col && strstr(d.items[i].msg, substr) &&
		    str_iends(d.items[i].file, "checks/01-sec.yaml"))
			found = true;
	}
	cr_expect(found, "expected 01-sec.yaml:%d:%d: ...%s..., got:%s", line, col, substr, sb_str(&all));
	sb_release(&all);
	diags_release(&d);
	tu_rmrf(dir);
	free(dir);
}

static void expect_mutation(const char *find, const char *with, int line, int col, const char *substr)
{
	char *text = replace(base_yaml, find, with);
	expect_diag(text, line, col, substr);
	free(text);
}

Test(content, base_case_is_valid)
{
	diags d;
	char *dir;
	load_case(base_yaml, &d, &dir);
	cr_expect_eq(d.n, 0, "the base case must load cleanly (%zu problems: %s)", d.n,
		     d.n ? d.items[0].msg : "");
	diags_release(&d);
	tu_rmrf(dir);
	free(dir);
}

Test(content, shipped_content_lints_clean_with_82_checks_in_14_sections)
{
	diags d;
	diags_init(&d);
	catalog cat;
	int r = catalog_load(&cat, tu_content(), &d);
	cr_expect_eq(r, 0, "shipped content has %zu problem(s), first: %s:%d:%d: %s", d.n,
		     d.n ? d.items[0].file : "", d.n ? d.items[0].line : 0, d.n ? d.items[0].col : 0,
		     d.n ? d.items[0].msg : "");
	/* The checklist's own sections and checks are exactly Microsoft's; the section
	 * beyond it comes after them and is counted apart. */
	size_t ns, nc;
	catalog_checklist_counts(&cat, &ns, &nc);
	cr_expect_eq(ns, 14);
	cr_expect_eq(nc, 82);
	cr_expect_eq(cat.nsections, 15);
	cr_expect(cat.nsections == 15 && cat.sections[14].beyond && !strcmp(cat.sections[14].id, "beyond"),
		  "the last section is the one beyond the checklist");
	for (size_t i = 0; i < 14 && i < cat.nsections; i++)
		cr_expect(!cat.sections[i].beyond, "section %zu is one of the checklist's", i + 1);
	static const char *order[] = {"console", "swdist", "dp",  "sum",    "osd", "ai",  "report",
				      "dcm",     "mobile", "nap", "inv",    "remote", "wol", "oob"};
	static const size_t counts[] = {6, 6, 5, 9, 15, 0, 4, 1, 2, 4, 3, 10, 2, 15};
	for (size_t i = 0; i < cat.nsections && i < 14; i++) {
		cr_expect_str_eq(cat.sections[i].id, order[i], "section %zu", i + 1);
		cr_expect_eq(cat.sections[i].n, counts[i], "section %s", order[i]);
	}
	cr_expect(cat.warning && strstr(cat.warning, "test them thoroughly"),
		  "the checklist's opening warning is part of the content");
	/* The Inventory item printed twice is one check. */
	size_t fc = 0;
	for (size_t s = 0; s < cat.nsections; s++)
		for (size_t i = 0; i < cat.sections[s].n; i++)
			fc += strstr(cat.sections[s].checks[i].title, "file collection") != NULL;
	cr_expect_eq(fc, 1);
	catalog_release(&cat);
	diags_release(&d);
}

Test(content, every_automated_check_states_a_basis_and_cites_microsoft)
{
	diags d;
	diags_init(&d);
	catalog cat;
	catalog_load(&cat, tu_content(), &d);
	size_t automated = 0;
	for (size_t s = 0; s < cat.nsections; s++)
		for (size_t i = 0; i < cat.sections[s].n; i++) {
			const check *k = &cat.sections[s].checks[i];
			bool ms = false;
			for (size_t r = 0; r < k->nrefs; r++)
				ms |= strstr(k->refs[r].url, "microsoft.com") != NULL ||
				      strstr(k->refs[r].url, "systemscenter.ru") != NULL;
			cr_expect(ms, "%s cites no Microsoft documentation page", k->id);
			if (k->kind != KIND_AUTOMATED)
				continue;
			automated++;
			cr_expect(k->basis == BASIS_DOCUMENTED || k->basis == BASIS_INFERRED, "%s", k->id);
		}
	cr_expect_geq(automated, 10, "the 10 items the reference marks checkable are automated");
	catalog_release(&cat);
	diags_release(&d);
}

/* ---- one mistake each ---- */

Test(malformed, unknown_key) { expect_mutation("    title: One\n", "    titel: One\n", 7, 5, "unknown key 'titel'"); }
Test(malformed, duplicate_key) { expect_mutation("    severity: high\n", "    severity: high\n    severity: low\n", 9, 5, "duplicate key 'severity'"); }
Test(malformed, tab_indentation) { expect_mutation("    kind: automated\n", "\tkind: automated\n", 9, 1, "YAML syntax error"); }
Test(malformed, anchor) { expect_mutation("title: One", "title: &t One", 7, 12, "anchors"); }
Test(malformed, alias) { expect_mutation("title: One", "title: *t", 7, 12, "aliases"); }
Test(malformed, tag) { expect_mutation("title: One", "title: !!str One", 7, 12, "tags"); }
Test(malformed, missing_title) { expect_mutation("    title: One\n", "", 6, 5, "required key 'title'"); }
Test(malformed, bad_severity) { expect_mutation("severity: high", "severity: urgent", 8, 15, "'severity' must be one of"); }
Test(malformed, bad_kind) { expect_mutation("kind: automated", "kind: auto", 9, 11, "'kind' must be one of"); }
Test(malformed, id_outside_section) { expect_mutation("id: sec.one", "id: other.one", 6, 9, "must be 'sec.SLUG'"); }
Test(malformed, id_upper_case) { expect_mutation("id: sec.one", "id: sec.One", 6, 9, "must be 'sec.SLUG'"); }
Test(malformed, automated_without_probe) { expect_mutation("    probe:\n      class: SMS_Advertisement\n      show: [AdvertisementID]\n", "", 6, 5, "needs a 'probe'"); }
Test(malformed, automated_without_basis) { expect_mutation("    basis: documented\n", "", 6, 5, "must state its basis"); }
Test(malformed, inferred_without_note) { expect_mutation("basis: documented", "basis: inferred", 6, 5, "basis_note"); }
Test(malformed, two_quantifiers) { expect_mutation("0x88\"\n", "0x88\"\n      none: \"x = 1\"\n", 22, 13, "exactly one of"); }
Test(malformed, no_quantifier) { expect_mutation("      all: \"RemoteClientFlags has_none 0x88\"\n", "      when_empty: pass\n", 21, 7, "needs one of all, any, none"); }
Test(malformed, unterminated_string_in_expression) { expect_mutation("\"RemoteClientFlags has_none 0x88\"", "\"Name = 'abc\"", 21, 20, "unterminated string"); }
Test(malformed, unknown_operator) { expect_mutation("\"RemoteClientFlags has_none 0x88\"", "\"RemoteClientFlags ~ 3\"", 21, 31, "unexpected character '~'"); }
Test(malformed, expression_too_deep)
{
	strbuf e = STRBUF_INIT;
	sb_adds(&e, "\"");
	for (int i = 0; i < 40; i++)
		sb_addc(&e, '(');
	sb_adds(&e, "x = 1");
	for (int i = 0; i < 40; i++)
		sb_addc(&e, ')');
	sb_adds(&e, "\"");
	expect_mutation("\"RemoteClientFlags has_none 0x88\"", sb_str(&e), 21, 45, "nested too deeply");
	sb_release(&e);
}
Test(malformed, number_too_large) { expect_mutation("0x88\"", "0x1FFFFFFFFFFFFFFFF\"", 21, 40, "number too large"); }
Test(malformed, expression_trailing_garbage) { expect_mutation("0x88\"", "0x88 0x99\"", 21, 45, "unexpected '0x99'"); }
Test(malformed, unknown_site_field) { expect_mutation("\"RemoteClientFlags has_none 0x88\"", "\"SourceSite = site.sitecode\"", 21, 26, "unknown site field"); }
Test(malformed, attestation_with_probe)
{
	expect_mutation("kind: automated\n    basis: documented\n",
			"kind: attestation\n    attestation: {reason: judgment, question: q}\n"
			"    evidence: [{label: l, class: SMS_Site}]\n",
			19, 7, "'probe' is only for automated checks");
}
Test(malformed, attestation_without_evidence)
{
	char *a = replace(base_yaml, "kind: automated\n    basis: documented\n",
			  "kind: attestation\n    attestation: {reason: judgment, question: q}\n");
	char *b = replace(a, "    probe:\n      class: SMS_Advertisement\n      show: [AdvertisementID]\n"
			     "    expect:\n      all: \"RemoteClientFlags has_none 0x88\"\n", "");
	expect_diag(b, 6, 5, "needs 'evidence'");
	free(a);
	free(b);
}
Test(malformed, attestation_bad_reason)
{
	expect_mutation("kind: automated\n    basis: documented\n",
			"kind: attestation\n    attestation: {reason: gut, question: q}\n", 10, 27,
			"'reason' must be one of");
}
Test(malformed, references_not_a_list) { expect_mutation("    references:\n      - url: https://example.com/a\n", "    references: https://example.com/a\n", 15, 17, "'references' must be a list"); }
Test(malformed, reference_not_http) { expect_mutation("url: https://example.com/a", "url: ftp://example.com/a", 16, 14, "must start with http"); }
Test(malformed, guidance_missing_console) { expect_mutation("      console: x\n", "", 12, 7, "required key 'console'"); }
Test(malformed, evidence_missing_label) { expect_mutation("    expect:\n", "    evidence:\n      - class: SMS_Site\n    expect:\n", 21, 9, "required key 'label'"); }
Test(malformed, bad_class_name) { expect_mutation("class: SMS_Advertisement", "class: SMS Advertisement", 18, 14, "is not a class name"); }
Test(malformed, bad_show_path) { expect_mutation("show: [AdvertisementID]", "show: ['Props[']", 19, 14, "is not a property path"); }
Test(malformed, section_id_upper_case) { expect_mutation("  id: sec\n", "  id: Sec\n", 2, 7, "section id 'Sec'"); }
Test(malformed, section_without_heading) { expect_mutation("  heading: Sec Heading\n", "", 2, 3, "required key 'heading'"); }
Test(malformed, empty_section_without_note)
{
	expect_diag("section:\n  id: sec\n  title: Sec\n  heading: H\nchecks: []\n", 5, 9, "its 'note' must say why");
}
Test(malformed, unknown_top_level_key) { expect_mutation("0x88\"\n", "0x88\"\nextra: 1\n", 22, 1, "unknown key 'extra'"); }
Test(malformed, file_is_a_list) { expect_diag("- a\n- b\n", 1, 1, "must be a mapping"); }
Test(malformed, yaml_nested_too_deep)
{
	strbuf e = STRBUF_INIT;
	for (int i = 0; i < 20; i++)
		sb_addc(&e, '[');
	for (int i = 0; i < 20; i++)
		sb_addc(&e, ']');
	char *with = xasprintf("title: %s", sb_str(&e));
	expect_mutation("title: One", with, 7, 25, "nesting deeper than 16");
	free(with);
	sb_release(&e);
}
Test(malformed, two_documents) { expect_mutation("0x88\"\n", "0x88\"\n---\nfoo: 1\n", 22, 1, "only one YAML document"); }
Test(malformed, bad_when_empty) { expect_mutation("0x88\"\n", "0x88\"\n      when_empty: maybe\n", 22, 19, "'when_empty' must be one of"); }
Test(malformed, complex_mapping_key) { expect_diag("? [a]\n: b\n", 1, 3, "mapping keys must be plain scalars"); }
Test(malformed, duplicate_check_id)
{
	char *dup = xasprintf("%s%s", base_yaml, strstr(base_yaml, "  - id: sec.one"));
	expect_diag(dup, 22, 5, "duplicate check id 'sec.one'");
	free(dup);
}
Test(malformed, select_without_class) { expect_mutation("\"RemoteClientFlags has_none 0x88\"", "\"PackageID in select(, PackageID)\"", 21, 33, "expected a class name"); }
Test(malformed, empty_file) { expect_diag("", 0, 0, "empty file"); }
Test(malformed, scalar_where_list_expected) { expect_mutation("show: [AdvertisementID]", "show: AdvertisementID", 19, 13, "'show' must be a list"); }
