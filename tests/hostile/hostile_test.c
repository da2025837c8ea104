/* hostile_test.c — hostile site data and hostile files, through the loaders,
 * the lab state file and every report writer.
 *
 * The state-file cases put into a lab state, with the SQLite API, what YAML
 * cannot carry: NUL bytes and invalid UTF-8 (and megabyte strings). Reports
 * must stay inert (text, CSV), valid (JSON; JUnit is checked by xmllint in
 * tests/hostile/hostile_cli.sh) and readable: the hostile text is still there, escaped.
 * The loader cases are the lab-scenario equivalents of content_test's
 * malformed cases, plus the resource limits. (Who may change fix scripts is
 * tested with the script steps, tests/unit/script_test.c.) */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content/catalog.h"
#include "check/engine.h"
#include "fuzz/jsonv.h"
#include "hostile_util.h"
#include "base/json.h"
#include "target/target_lab.h"
#include "base/paths.h"
#include "report/results_out.h"
#include "unit/testutil.h"
#include "base/util.h"
#include "content/yamldoc.h"

/* ---------- helpers ---------- */

static char *scenario_copy(const char *src, char **dir)
{
	char *text = NULL, *err = NULL;
	size_t len;
	cr_assert(read_file_limited(src, LAB_MAX_BYTES, &text, &len, &err) == 0, "%s: %s", src, err);
	*dir = tu_tempdir();
	tu_write(*dir, "lab.yaml", text);
	free(text);
	return xasprintf("%s/lab.yaml", *dir);
}

/* Creates the state file of scenario `path` and returns its path. */
static char *make_state(const char *path)
{
	target *t = NULL;
	char *err = NULL;
	cr_assert(lab_target_open(tu_content(), path, &t, &err) == 0, "open %s: %s", path, err);
	target_close(t);
	scenario s;
	diags d;
	diags_init(&d);
	cr_assert(scenario_load(&s, path, &d) == 0);
	char *ddir = data_dir(&err);
	cr_assert(ddir, "%s", err);
	char *state = lab_state_path(ddir, path, &s);
	scenario_release(&s);
	diags_release(&d);
	free(ddir);
	return state;
}

typedef struct reports {
	char *out[4];
	size_t len[4];
	result *rs;
	size_t n;
	catalog cat;
	engine e;
	target *t;
} reports;


static void run_reports(const char *scenario_path, reports *r)
{
	memset(r, 0, sizeof *r);
	diags d;
	diags_init(&d);
	cr_assert(catalog_load(&r->cat, tu_content(), &d) == 0, "the shipped content must load");
	diags_release(&d);
	char *err = NULL;
	cr_assert(lab_target_open(tu_content(), scenario_path, &r->t, &err) == 0, "%s", err);
	cr_assert(engine_init(&r->e, r->t, &r->cat, &err) == 0, "%s", err);
	r->rs = xcalloc(r->cat.nchecks, sizeof *r->rs);
	for (size_t s = 0; s < r->cat.nsections; s++)
		for (size_t i = 0; i < r->cat.sections[s].n; i++)
			engine_run(&r->e, &r->cat.sections[s].checks[i], &r->rs[r->n++]);
	run_info ri = {"lab:hostile", &r->e.site, &r->cat};
	for (int f = 0; f < 4; f++) {
		FILE *m = open_memstream(&r->out[f], &r->len[f]);
		cr_assert(m);
		results_write(m, (out_format)f, &ri, r->rs, r->n);
		fclose(m);
	}
}

static void reports_release(reports *r)
{
	for (size_t i = 0; i < r->n; i++)
		result_release(&r->rs[i]);
	free(r->rs);
	engine_release(&r->e);
	target_close(r->t);
	catalog_release(&r->cat);
	for (int f = 0; f < 4; f++)
		free(r->out[f]);
}

static const result *result_of(const reports *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->rs[i].chk->id, id))
			return &r->rs[i];
	cr_assert_fail("no check %s", id);
	return NULL;
}

/* What every report promises, whatever the site said. */
static void assert_reports_safe(const reports *r)
{
	size_t at;
	const char *why;
	cr_assert(hostile_inert(r->out[FMT_TEXT], r->len[FMT_TEXT], false, &at),
		  "text report: unsafe byte 0x%02x at %zu", (unsigned char)r->out[FMT_TEXT][at], at);
	cr_assert(jsonv_valid(r->out[FMT_JSON], r->len[FMT_JSON], &at, &why), "JSON report: %s at byte %zu", why,
		  at);
	/* XML 1.0 allows no C0 control but tab/CR/LF: sanitised text has none. */
	cr_assert(hostile_inert(r->out[FMT_JUNIT], r->len[FMT_JUNIT], false, &at),
		  "JUnit report: unsafe byte 0x%02x at %zu", (unsigned char)r->out[FMT_JUNIT][at], at);
	cr_assert(hostile_inert(r->out[FMT_CSV], r->len[FMT_CSV], true, &at), "CSV report: unsafe byte at %zu",
		  at);
	size_t line;
	cr_assert(hostile_csv_safe(r->out[FMT_CSV], r->len[FMT_CSV], &line),
		  "CSV line %zu starts a field like a formula", line);
	/* Text is for people: no line grows with the site's megabytes. */
	const char *p = r->out[FMT_TEXT], *end = p + r->len[FMT_TEXT];
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		cr_assert(l < 16384, "a text line of %zu bytes", l);
		p += l + 1;
	}
}

static bool has(const reports *r, int f, const char *needle)
{
	return memmem(r->out[f], r->len[f], needle, strlen(needle)) != NULL;
}

/* ---------- hostile text through YAML ---------- */

Test(hostile, yaml_site_text_is_inert_and_readable_in_every_report)
{
	char *dir, *path = scenario_copy(ABS_TOP_SRCDIR "/tests/hostile/site-text.yaml", &dir);
	reports r;
	run_reports(path, &r);
	assert_reports_safe(&r);
	/* Readable: the operator sees what the site holds, escaped. */
	cr_assert(has(&r, FMT_TEXT, "ADV\\x1b[2J\\x1b[H"), "the escape shows as text");
	cr_assert(has(&r, FMT_TEXT, "Hostile \\x1b[31mred\\x1b[0m <U+202E>gnp.exe"), "site name readable");
	cr_assert(has(&r, FMT_TEXT, "SRV\\x1b]0;title\\x0701"), "OSC title sequence shown inert");
	cr_assert(has(&r, FMT_JSON, "\"ADV\\u001b[2J\\u001b[H\""), "JSON keeps the exact bytes, escaped");
	cr_assert(has(&r, FMT_JUNIT, "&lt;U+202E&gt;"), "JUnit shows the override as a marker");
	cr_assert(has(&r, FMT_JUNIT, "&lt;U+FFFF&gt;"), "JUnit escapes a character XML 1.0 forbids");
	cr_assert(has(&r, FMT_CSV, "\"'=HYPERLINK"), "a formula in CSV is defused");
	const result *dl = result_of(&r, "swdist.download-content");
	cr_assert_eq(dl->status, ST_FAIL, "the hostile advertisement is found, not skipped");
	reports_release(&r);
	tu_rmrf(dir);
	free(dir);
	free(path);
}

/* ---------- hostile bytes through the state file ---------- */

Test(hostile, state_with_invalid_utf8_escapes_and_megabytes)
{
	char *dir, *path = scenario_copy(ABS_TOP_SRCDIR "/labs/default.yaml", &dir), *err = NULL;
	char *state = make_state(path);
	cr_assert(hostile_inject(state, HOSTILE_TEXT, &err) == 0, "%s", err);
	reports r;
	run_reports(path, &r);
	assert_reports_safe(&r);
	/* Invalid UTF-8 reads as \xNN in text and as its Latin-1 escape in JSON. */
	cr_assert(has(&r, FMT_TEXT, "INJ\\xff\\x1b[2J<U+202E>"), "the injected key is shown escaped");
	cr_assert(has(&r, FMT_TEXT, "Inj \\x80\\xbf \\xc3 \\xc0\\xaf"), "the site name is shown escaped");
	cr_assert(has(&r, FMT_JSON, "\"INJ\\u00ff\\u001b[2J\xe2\x80\xae\""), "JSON keeps the key");
	/* Megabytes: cut in text with a marker, whole in JSON. */
	cr_assert(has(&r, FMT_TEXT, "more bytes]"), "long text is cut and says so");
	size_t longest = 0, run = 0;
	for (size_t i = 0; i < r.len[FMT_JSON]; i++) {
		run = r.out[FMT_JSON][i] == 'A' ? run + 1 : 0;
		longest = run > longest ? run : longest;
	}
	cr_assert_geq(longest, HOSTILE_BIG, "JSON holds the whole megabyte value (%zu)", longest);
	const result *dl = result_of(&r, "swdist.download-content");
	cr_assert_eq(dl->status, ST_FAIL, "the injected advertisement (0x88) offends");
	reports_release(&r);
	tu_rmrf(dir);
	free(dir);
	free(path);
	free(state);
}

Test(hostile, state_value_with_nul_is_reported_corrupt_not_cut)
{
	char *dir, *path = scenario_copy(ABS_TOP_SRCDIR "/labs/default.yaml", &dir), *err = NULL;
	char *state = make_state(path);
	cr_assert(hostile_inject(state, HOSTILE_NUL_VALUE, &err) == 0, "%s", err);
	target *t;
	cr_assert(lab_target_open(tu_content(), path, &t, &err) == 0, "%s", err);
	objset os;
	objset_init(&os);
	err = NULL;
	cr_assert(target_query(t, "Registry", &os, &err) < 0, "a value holding a NUL must not read back cut short");
	cr_assert(strstr(err, "corrupt value of REGNUL.Value"), "the message names it: %s", err);
	free(err);
	objset_release(&os);
	target_close(t);
	reports r;
	run_reports(path, &r);
	assert_reports_safe(&r);
	/* Every check that reads the class says it cannot (in its verdict or its
	 * evidence); none passes on what it could not read. */
	size_t unreadable = 0;
	for (size_t i = 0; i < r.n; i++)
		for (size_t t2 = 0; t2 < r.rs[i].ntables; t2++) {
			const ev_table *tb = &r.rs[i].tables[t2];
			if (strcasecmp(tb->cls, "Registry") != 0)
				continue;
			/* A probe that cannot be read makes the verdict an error that says why. */
			bool in_verdict = t2 == 0 && r.rs[i].chk->probe && r.rs[i].status == ST_ERROR &&
					  r.rs[i].reason && strstr(r.rs[i].reason, "corrupt value of REGNUL.Value");
			cr_assert(in_verdict || (tb->error && strstr(tb->error, "corrupt value of REGNUL.Value")),
				  "%s: the Registry evidence must report the corruption", r.rs[i].chk->id);
			cr_assert_neq(r.rs[i].status, ST_PASS, "%s passed without reading Registry", r.rs[i].chk->id);
			unreadable++;
		}
	cr_assert_gt(unreadable, 0, "the shipped checks read Registry");
	reports_release(&r);
	tu_rmrf(dir);
	free(dir);
	free(path);
	free(state);
}

Test(hostile, state_key_with_nul_is_reported_corrupt_and_inert)
{
	char *dir, *path = scenario_copy(ABS_TOP_SRCDIR "/labs/default.yaml", &dir), *err = NULL;
	char *state = make_state(path);
	cr_assert(hostile_inject(state, HOSTILE_NUL_KEY, &err) == 0, "%s", err);
	target *t;
	cr_assert(lab_target_open(tu_content(), path, &t, &err) == 0, "%s", err);
	objset os;
	objset_init(&os);
	err = NULL;
	cr_assert(target_query(t, "Win32_Service", &os, &err) < 0, "a key holding a NUL is not shown cut short");
	cr_assert(strstr(err, "NUL byte"), "%s", err);
	size_t at;
	cr_assert(hostile_inert(err, strlen(err), false, &at), "the message quotes the key sanitised: %s", err);
	free(err);
	objset_release(&os);
	target_close(t);
	tu_rmrf(dir);
	free(dir);
	free(path);
	free(state);
}

/* ---------- lab scenario loader: refusals with file:line:col ---------- */

static const char *scen_head =
	"scenario: {name: t, title: T}\n"                                          /* 1 */
	"site: {code: TST, name: T, server: S, version: 2007 SP2, mode: mixed}\n" /* 2 */
	"objects:\n"                                                              /* 3 */
	"  - class: SMS_Site\n"                                                   /* 4 */
	"    key: TST\n"                                                          /* 5 */
	"    properties:\n";                                                      /* 6 */

static void expect_scenario(const char *body, int line, int col, const char *substr)
{
	char *text = xasprintf("%s%s", scen_head, body);
	diags d;
	diags_init(&d);
	scenario s;
	int rc = scenario_load_buffer(&s, "t.yaml", text, strlen(text), &d);
	bool found = false;
	strbuf all = STRBUF_INIT;
	for (size_t i = 0; i < d.n; i++) {
		sb_addf(&all, "\n  %d:%d: %s", d.items[i].line, d.items[i].col, d.items[i].msg);
		found |= d.items[i].line == line && d.items[i].col == col && strstr(d.items[i].msg, substr);
	}
	cr_assert(rc < 0, "the scenario must be refused");
	cr_assert(found, "want %d:%d: ...%s...; got:%s", line, col, substr, sb_str(&all));
	sb_release(&all);
	scenario_release(&s);
	diags_release(&d);
	free(text);
}

Test(scenario_limits, base_is_valid)
{
	char *text = xasprintf("%s      SiteCode: TST\n", scen_head);
	diags d;
	diags_init(&d);
	scenario s;
	cr_assert(scenario_load_buffer(&s, "t.yaml", text, strlen(text), &d) == 0);
	cr_assert_eq(s.objects.n, 1);
	scenario_release(&s);
	diags_release(&d);
	free(text);
}

Test(scenario_limits, anchor) { expect_scenario("      SiteCode: &c TST\n", 7, 17, "anchors"); }
Test(scenario_limits, alias) { expect_scenario("      SiteCode: TST\n      SiteName: *c\n", 8, 17, "aliases"); }
Test(scenario_limits, tag) { expect_scenario("      SiteCode: !!str TST\n", 7, 17, "tags"); }
Test(scenario_limits, local_tag) { expect_scenario("      SiteCode: !x TST\n", 7, 17, "tags"); }
Test(scenario_limits, duplicate_key)
{
	expect_scenario("      SiteCode: TST\n      SiteCode: X\n", 8, 7, "duplicate key 'SiteCode' (first at line 7)");
}
Test(scenario_limits, property_twice_in_other_case)
{
	expect_scenario("      SiteCode: TST\n      sitecode: X\n", 8, 7, "given twice");
}
Test(scenario_limits, escaped_nul)
{
	expect_scenario("      SiteCode: \"T\\0ST\"\n", 7, 17, "NUL character");
}
Test(scenario_limits, escaped_nul_in_a_key)
{
	expect_scenario("      \"Site\\x00Code\": TST\n", 7, 7, "NUL character");
}
Test(scenario_limits, embedded_too_deep)
{
	expect_scenario("      Props: {A: {B: {C: 1}}}\n", 7, 22, "nested too deeply");
}
Test(scenario_limits, yaml_nesting_deeper_than_the_format_needs)
{
	strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "      L: ");
	for (int i = 0; i < 100000; i++)
		sb_addc(&sb, '[');
	sb_addc(&sb, '\n');
	/* The root mapping is level 1, objects 2, the object 3, properties 4: the
	 * first bracket (column 10) opens level 5, the 13th (column 22) level 17. */
	expect_scenario(sb_str(&sb), 7, 22, "nesting deeper than 16 levels");
	sb_release(&sb);
}
Test(scenario_limits, duplicate_object_in_other_case)
{
	expect_scenario("      SiteCode: TST\n  - class: sms_site\n    key: tst\n    properties: {}\n", 9, 10,
			"duplicate key 'tst' in class sms_site");
}

Test(scenario_limits, too_many_properties)
{
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i <= LAB_MAX_PROPS; i++)
		sb_addf(&sb, "      P%d: 1\n", i);
	expect_scenario(sb_str(&sb), 7 + LAB_MAX_PROPS, 7, "more than 1024 properties");
	sb_release(&sb);
}

Test(scenario_limits, too_many_nodes)
{
	strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "      L: [");
	for (int i = 0; i < YDOC_MAX_NODES; i++)
		sb_adds(&sb, "a,");
	sb_adds(&sb, "a]\n");
	/* The root mapping and the 4 scalar/collection nodes before the list take 12 of the budget. */
	char *text = xasprintf("%s%s", scen_head, sb_str(&sb));
	diags d;
	diags_init(&d);
	scenario s;
	cr_assert(scenario_load_buffer(&s, "t.yaml", text, strlen(text), &d) < 0);
	cr_assert(d.n >= 1 && strstr(d.items[0].msg, "more than 2000000 YAML nodes"), "%s",
		  d.n ? d.items[0].msg : "(none)");
	cr_assert_eq(d.items[0].line, 7);
	scenario_release(&s);
	diags_release(&d);
	free(text);
	sb_release(&sb);
}

Test(scenario_limits, file_over_the_size_limit)
{
	char *dir = tu_tempdir(), *path = xasprintf("%s/big.yaml", dir);
	FILE *f = fopen(path, "wb");
	cr_assert(f);
	fputs(scen_head, f);
	fputs("      Big: '", f);
	for (size_t i = 0; i < LAB_MAX_BYTES; i++)
		fputc('x', f);
	fputs("'\n", f);
	fclose(f);
	diags d;
	diags_init(&d);
	scenario s;
	cr_assert(scenario_load(&s, path, &d) < 0);
	cr_assert(d.n == 1 && strstr(d.items[0].msg, "larger than the limit of 16777216 bytes"), "%s",
		  d.n ? d.items[0].msg : "(none)");
	scenario_release(&s);
	diags_release(&d);
	tu_rmrf(dir);
	free(dir);
	free(path);
}

/* Duplicate keys are found through a hash: the position must still be exact
 * after the table has grown many times. */
Test(scenario_limits, duplicate_among_many_keys)
{
	strbuf sb = STRBUF_INIT;
	for (int i = 0; i < 1000; i++)
		sb_addf(&sb, "      P%d: 1\n", i);
	sb_adds(&sb, "      P517: 2\n");
	expect_scenario(sb_str(&sb), 1007, 7, "duplicate key 'P517' (first at line 524)");
	sb_release(&sb);
}

/* ---------- stored values, JSON escaping, evidence width ---------- */

Test(values, decode_accepts_only_what_encode_writes)
{
	static const char *bad[] = {"i:", "i:+1", "i: 1", "i:-0", "i:007", "i:99999999999999999999",
				    "i:9223372036854775808", "i:1x", "b:2", "n:x", "l:03:abc", "l:3:ab", "x:1", "s"};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		value v;
		cr_assert(value_decode(bad[i], strlen(bad[i]), &v) < 0, "'%s' must be refused", bad[i]);
	}
	value v;
	cr_assert(value_decode("s:a\0b", 5, &v) < 0, "a NUL in text would cut it short");
	cr_assert(value_decode("l:3:a\0b", 7, &v) < 0, "a NUL in a list item too");
	cr_assert(value_decode("i:-9223372036854775808", 22, &v) == 0 && v.kind == V_INT && v.i == INT64_MIN);
	cr_assert(value_decode("l:0:1:a", 7, &v) == 0 && v.n == 2);
	value_clear(&v);
}

Test(values, json_escapes_every_invalid_utf8_sequence)
{
	static const char *bad[] = {"\xf8\x88\x80\x80\x80", "\xfe", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80",
				    "\xf4\x90\x80\x80", "\x80", "\xe2\x82"};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		strbuf sb = STRBUF_INIT;
		json_str(&sb, bad[i]);
		size_t at;
		const char *why;
		cr_assert(jsonv_valid(sb.buf, sb.len, &at, &why), "case %zu: %s", i, why);
		cr_assert(sb.buf[1] == '\\', "case %zu: the first byte is escaped: %s", i, sb.buf);
		sb_release(&sb);
	}
	strbuf sb = STRBUF_INIT;
	json_str(&sb, "\xe2\x80\xae\xf0\x9f\x98\x80");
	cr_assert_str_eq(sb.buf, "\"\xe2\x80\xae\xf0\x9f\x98\x80\"", "valid UTF-8 is kept as it is");
	sb_release(&sb);
}

Test(evidence, a_table_of_every_property_is_bounded)
{
	static const char *sec_yaml =
		"section: {id: sec, title: Sec, heading: H}\n"
		"checks:\n"
		"  - id: sec.one\n"
		"    title: One\n"
		"    severity: low\n"
		"    kind: attestation\n"
		"    guidance: {why: w, compliant: c, console: x}\n"
		"    references: [{url: 'https://example.com/a'}]\n"
		"    evidence: [{label: all, class: SMS_SCI_ClientComp}]\n"
		"    attestation: {reason: judgment, question: q}\n";
	catalog cat;
	memset(&cat, 0, sizeof cat);
	diags d;
	diags_init(&d);
	cr_assert(catalog_load_buffer(&cat, "s.yaml", sec_yaml, strlen(sec_yaml), &d) == 0);
	strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "scenario: {name: wide, title: W}\n"
		     "site: {code: WID, name: W, server: S, version: 2007 SP2, mode: mixed}\nobjects:\n");
	for (int o = 0; o < 3; o++) {
		sb_addf(&sb, "  - class: SMS_SCI_ClientComp\n    key: K%d\n    properties:\n", o);
		for (int p = 0; p < 200; p++)
			sb_addf(&sb, "      P%d_%d: 1\n", o, p);
	}
	char *dir = tu_tempdir();
	tu_write(dir, "wide.yaml", sb_str(&sb));
	char *path = xasprintf("%s/wide.yaml", dir), *err = NULL;
	target *t;
	cr_assert(lab_target_open(tu_content(), path, &t, &err) == 0, "%s", err);
	engine e;
	cr_assert(engine_init(&e, t, &cat, &err) == 0);
	result r;
	engine_run(&e, &cat.sections[0].checks[0], &r);
	cr_assert_eq(r.ntables, 1);
	cr_assert_eq(r.tables[0].ncols, EV_MAX_COLUMNS);
	cr_assert(r.tables[0].columns_cut, "the table says that properties were left out");
	cr_assert_eq(r.tables[0].nrows, 3, "every object is still listed");
	result_release(&r);
	engine_release(&e);
	target_close(t);
	catalog_release(&cat);
	diags_release(&d);
	sb_release(&sb);
	tu_rmrf(dir);
	free(dir);
	free(path);
}
