/* report_model_test.c — the report model's pieces called directly: Markdown
 * escaping (only what CommonMark reads as markup), the report settings file,
 * and the comparison with a baseline report, kind by kind. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "content/catalog.h"
#include "report/baseline.h"
#include "report/engagement.h"
#include "report/md.h"
#include "testutil.h"

static char *md_of(const char *prefix, const char *s)
{
	strbuf sb = STRBUF_INIT;
	sb_adds(&sb, prefix);
	md(&sb, s);
	char *out = xstrdup(sb_str(&sb) + strlen(prefix));
	sb_release(&sb);
	return out;
}

static void md_is(const char *prefix, const char *in, const char *want)
{
	char *got = md_of(prefix, in);
	cr_expect_str_eq(got, want, "md(%s) after %s", in, prefix);
	free(got);
}

Test(md, leaves_what_markdown_reads_as_text)
{
	md_is("x ", "SMS_Advertisement", "SMS_Advertisement");
	md_is("x ", "2007 SP2 (build 6487)", "2007 SP2 (build 6487)");
	md_is("x ", "CONTOSO\\Admins", "CONTOSO\\Admins");
	md_is("x ", "C:\\Program Files\\x.exe", "C:\\Program Files\\x.exe");
	md_is("x ", "a-b + c = d #1", "a-b + c = d #1");
	md_is("x ", "Wow!", "Wow!");
}

Test(md, escapes_what_markdown_would_read_as_markup)
{
	md_is("x ", "[x](http://e.invalid)", "\\[x\\](http://e.invalid)");
	md_is("x ", "*bold* `code` ~strike~ a|b", "\\*bold\\* \\`code\\` \\~strike\\~ a\\|b");
	md_is("x ", "_emphasis_ and snake_case", "\\_emphasis_ and snake_case");
	md_is("x ", "<script>&amp;", "&lt;script&gt;&amp;amp;");
	md_is("x ", "ends with \\", "ends with \\\\");
	md_is("x ", "\\*", "\\\\\\*");
}

Test(md, escapes_block_markers_at_the_start_of_a_line_only)
{
	md_is("", "# not a heading", "\\# not a heading");
	md_is("\n", "- not a list", "\\- not a list");
	md_is("\n", "12. not a list", "12\\. not a list");
	md_is("\n", "+ x", "\\+ x");
	md_is("| ", "# in a cell", "# in a cell");
	md_is("| ", "12. in a cell", "12. in a cell");
}

Test(md, sanitises_control_characters)
{
	md_is("x ", "a\x1b[31mb\nc", "a\\x1b\\[31mb\\nc");
}

static char *home;

static void settings_setup(void)
{
	home = tu_tempdir();
	setenv("XDG_CONFIG_HOME", home, 1);
}

static void settings_teardown(void)
{
	tu_rmrf(home);
	free(home);
	unsetenv("XDG_CONFIG_HOME");
}

Test(engagement, reads_the_settings_file, .init = settings_setup, .fini = settings_teardown)
{
	tu_write(home, "cmharden/report.conf",
		 "# comment\n\ntitle = Security review \norganisation=Contoso Ltd\n  prepared-by =  Jane Doe\n"
		 "baseline = /tmp/old.json\n");
	report_engagement e;
	char *err = NULL;
	cr_assert_eq(engagement_load(&e, &err), 0, "%s", err ? err : "");
	cr_expect_str_eq(e.title, "Security review");
	cr_expect_str_eq(e.organisation, "Contoso Ltd");
	cr_expect_str_eq(e.prepared_by, "Jane Doe");
	cr_expect_str_eq(e.baseline, "/tmp/old.json");
	cr_expect_null(e.engagement);
	/* Options win: merge fills only what the options left out. */
	report_engagement opts = {.title = "From the option"};
	report_engagement merged = {0};
	engagement_merge(&merged, &opts);
	engagement_merge(&merged, &e);
	cr_expect_str_eq(merged.title, "From the option");
	cr_expect_str_eq(merged.organisation, "Contoso Ltd");
	engagement_release(&merged);
	engagement_release(&e);
}

Test(engagement, missing_file_is_no_error_and_a_bad_line_is_named, .init = settings_setup,
     .fini = settings_teardown)
{
	report_engagement e;
	char *err = NULL;
	cr_assert_eq(engagement_load(&e, &err), 0);
	cr_expect_null(e.title);
	tu_write(home, "cmharden/report.conf", "title = x\ncolour = blue\n");
	cr_assert_eq(engagement_load(&e, &err), -1);
	cr_expect(strstr(err, "report.conf:2: not a setting") != NULL, "%s", err);
	free(err);
}

static catalog cat;
static report_baseline base;

static void compare_setup(void)
{
	diags d = {0};
	cr_assert_eq(catalog_load(&cat, tu_content(), &d), 0);
	diags_release(&d);
	memset(&base, 0, sizeof base);
}

static void compare_teardown(void)
{
	free(base.checks);
	catalog_release(&cat);
}

/* The catalog's first checks, with statuses then (baseline) and now. */
static void compare(const char *const *was, const bool *waived, const check_status *now, size_t n, report_diff *d)
{
	base.checks = xcalloc(n, sizeof *base.checks);
	baseline_now *cur = xcalloc(cat.nchecks, sizeof *cur);
	size_t k = 0;
	for (size_t s = 0; s < cat.nsections; s++)
		for (size_t i = 0; i < cat.sections[s].n; i++, k++) {
			cur[k] = (baseline_now){cat.sections[s].checks[i].id, k < n ? now[k] : ST_NEEDS_ATTESTATION, k < n};
			if (k < n)
				base.checks[base.nchecks++] = (baseline_check){(char *)cur[k].id, (char *)was[k], waived[k]};
		}
	baseline_compare(&base, &cat, cur, cat.nchecks, d);
	free(cur);
}

Test(baseline, every_kind_of_difference, .init = compare_setup, .fini = compare_teardown)
{
	const char *was[] = {"fail", "pass", "needs_attestation", "waived", "error", "fail"};
	const bool waived[] = {false, false, false, true, false, false};
	const check_status now[] = {ST_PASS, ST_FAIL, ST_ATTESTED, ST_FAIL, ST_NOT_APPLICABLE, ST_WAIVED};
	report_diff d;
	compare(was, waived, now, 6, &d);
	cr_expect_eq(d.counts[DIFF_FIXED], 2);      /* checks 0 and 4 */
	cr_expect_eq(d.counts[DIFF_REGRESSED], 2);  /* checks 1 and 3 (its waiver expired) */
	cr_expect_eq(d.counts[DIFF_ATTESTED], 1);   /* check 2 */
	cr_expect_eq(d.counts[DIFF_WAIVER_EXPIRED], 1);
	cr_expect_eq(d.counts[DIFF_WAIVER_ADDED], 1); /* check 5 */
	/* The checks the baseline lacks were added to the content since. */
	cr_expect_eq(d.counts[DIFF_CHECK_ADDED], cat.nchecks - 6);
	cr_expect_eq(d.counts[DIFF_CHECK_REMOVED], 0);
	cr_expect_eq(d.items[0].kind, DIFF_FIXED);
	cr_expect_str_eq(d.items[0].check_id, base.checks[0].id);
	cr_expect_str_eq(d.items[0].was, "fail");
	cr_expect_str_eq(d.items[0].now, "pass");
	diff_release(&d);
}

Test(baseline, a_check_the_content_no_longer_has_is_removed, .init = compare_setup, .fini = compare_teardown)
{
	const char *was[] = {"pass"};
	const bool waived[] = {false};
	const check_status now[] = {ST_PASS};
	report_diff d;
	base.checks = NULL;
	compare(was, waived, now, 1, &d);
	free(base.checks);
	base.checks = xcalloc(2, sizeof *base.checks);
	base.checks[0] = (baseline_check){cat.sections[0].checks[0].id, (char *)"pass", false};
	base.checks[1] = (baseline_check){(char *)"gone.retired", (char *)"fail", false};
	base.nchecks = 2;
	diff_release(&d);
	baseline_now cur = {cat.sections[0].checks[0].id, ST_PASS, true};
	baseline_compare(&base, &cat, &cur, 1, &d);
	cr_expect_eq(d.counts[DIFF_CHECK_REMOVED], 1);
	cr_expect_str_eq(d.items[d.n - 1].check_id, "gone.retired");
	cr_expect_eq(d.counts[DIFF_FIXED] + d.counts[DIFF_REGRESSED], 0);
	diff_release(&d);
}

Test(baseline, loads_a_report_and_refuses_what_is_not_one)
{
	char *dir = tu_tempdir();
	tu_write(dir, "old.json",
		 "{\"report\":{\"schema_version\":\"2.0\",\"generated_at\":\"2026-01-02T03:04:05Z\"},"
		 "\"site\":{\"code\":\"CON\"},\"content_digest\":\"abc\","
		 "\"checks\":[{\"id\":\"a.b\",\"status\":\"fail\",\"waiver\":null},"
		 "{\"id\":\"c.d\",\"status\":\"waived\",\"waiver\":{\"id\":1}}]}");
	tu_write(dir, "new.json", "{\"report\":{\"schema_version\":\"3.0\"},\"checks\":[]}");
	tu_write(dir, "other.json", "{\"results\":[]}");
	char *p = xasprintf("%s/old.json", dir), *err = NULL;
	report_baseline *b = NULL;
	cr_assert_eq(baseline_load(&b, p, &err), 0, "%s", err ? err : "");
	cr_expect_eq(b->nchecks, 2);
	cr_expect_str_eq(b->site_code, "CON");
	cr_expect_str_eq(b->generated_at, "2026-01-02T03:04:05Z");
	cr_expect(!baseline_find(b, "a.b")->waived);
	cr_expect(baseline_find(b, "c.d")->waived);
	baseline_free(b);
	free(p);
	p = xasprintf("%s/new.json", dir);
	cr_expect_eq(baseline_load(&b, p, &err), -1);
	cr_expect(strstr(err, "newer layout") != NULL, "%s", err);
	free(err), free(p);
	p = xasprintf("%s/other.json", dir);
	cr_expect_eq(baseline_load(&b, p, &err), -1);
	cr_expect(strstr(err, "not a cmharden JSON report") != NULL, "%s", err);
	free(err), free(p);
	tu_rmrf(dir);
	free(dir);
}
