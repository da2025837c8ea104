/* script_test.c — script steps: parameter types against hostile values,
 * the journal encoding of parameters, state comparison, the content trust
 * check, the lab's handlers reached through script_run() (parameters arrive
 * byte for byte; what a type forbids never runs), the lab table against the
 * shipped manifests, the script lint (manifests and PowerShell param()
 * blocks), the journal's schema 2 migration under the hash chain, and the
 * reconciliation of script changes after a crash. */
#include "config.h"

#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content/catalog.h"
#include "content/fix.h"
#include "journal/journal.h"
#include "journal/print.h"
#include "journal/query.h"
#include "journal/reconcile.h"
#include "journal/verify.h"
#include "content/lab.h"
#include "target/lab_scripts.h"
#include "base/script_param.h"
#include "remedy/script_run.h"
#include "remedy/script_step.h"
#include "target/target.h"
#include "testutil.h"
#include "content/trust.h"
#include "base/util.h"

/* ---------- parameter types ---------- */

typedef struct {
	script_type t;
	const char *s;
	const char *why; /* NULL: accepted; else a part of the error message */
} case_t;

static const case_t text_cases[] = {
	/* Every text type refuses control and bidi characters and bad UTF-8. */
	{ST_STRING, "; Remove-Item -Recurse C:\\ #", NULL},
	{ST_STRING, "$(Start-Process calc)", NULL},
	{ST_STRING, "'@\"", NULL},
	{ST_STRING, "`whoami` & del *.* | x > y", NULL},
	{ST_STRING, "line\nbreak", "U+000A"},
	{ST_STRING, "cr\rhere", "U+000D"},
	{ST_STRING, "tab\there", "U+0009"},
	{ST_STRING, "esc\x1b[31m", "U+001B"},
	{ST_STRING, "del\x7f", "U+007F"},
	{ST_STRING, "nel\xc2\x85", "U+0085"},
	{ST_STRING, "ls\xe2\x80\xa8", "U+2028"},
	{ST_STRING, "rlo\xe2\x80\xae", "U+202E"},
	{ST_STRING, "bad\xff", "not valid UTF-8"},
	{ST_STRING, "overlong\xc0\xaf", "not valid UTF-8"},
	{ST_STRING, "Zürich", NULL},
	/* principal: [DOMAIN\]NAME; what Windows refuses in account names. */
	{ST_PRINCIPAL, "CONTOSO\\Helpdesk", NULL},
	{ST_PRINCIPAL, "NT AUTHORITY\\Authenticated Users", NULL},
	{ST_PRINCIPAL, "Name With Spaces", NULL},
	{ST_PRINCIPAL, "CONTOSO\\O'Brien", NULL},
	{ST_PRINCIPAL, "CONTOSO\\$(Start-Process calc)", NULL},
	{ST_PRINCIPAL, "CONTOSO\\a`b", NULL},
	{ST_PRINCIPAL, "CONTOSO\\CM02$", NULL},
	{ST_PRINCIPAL, "CONTOSO\\say \"hi\"", "'\"'"},
	{ST_PRINCIPAL, "'@\"", "'\"'"},
	{ST_PRINCIPAL, "x; Remove-Item -Recurse C:\\ #", "cannot contain"},
	{ST_PRINCIPAL, "CONTOSO\\a;b", "';'"},
	{ST_PRINCIPAL, "CONTOSO\\a|b", "'|'"},
	{ST_PRINCIPAL, "CONTOSO\\a\\b", "'\\'"},
	{ST_PRINCIPAL, "CONTOSO\\a\nb", "U+000A"},
	{ST_PRINCIPAL, "CONTOSO\\", "cannot be empty"},
	{ST_PRINCIPAL, "\\name", "1 to 255"},
	{ST_PRINCIPAL, "CON(TOSO)\\x", "'('"},
	{ST_PRINCIPAL, " lead", "begin or end"},
	{ST_PRINCIPAL, "...", "dots and spaces"},
	{ST_PRINCIPAL, "", "cannot be empty"},
	/* name: a group or account name alone. */
	{ST_NAME, "Remote Desktop Users", NULL},
	{ST_NAME, "$(Start-Process calc)", NULL},
	{ST_NAME, "a/b", "'/'"},
	{ST_NAME, "a,b", "','"},
	{ST_NAME, "a\\b", "'\\'"},
	/* hostname: letters, digits, inner '-', dots between labels. */
	{ST_HOSTNAME, "CM01", NULL},
	{ST_HOSTNAME, "lyn-ws0142.corp.contoso.com", NULL},
	{ST_HOSTNAME, "CM01;calc", "';'"},
	{ST_HOSTNAME, "$(x)", "'$'"},
	{ST_HOSTNAME, "CM01 ", "a space"},
	{ST_HOSTNAME, "-cm01", "inner '-'"},
	{ST_HOSTNAME, "a..b", "inner '-'"},
	{ST_HOSTNAME, "cm01`", "'`'"},
	{ST_HOSTNAME, "", "1 to 253"},
	/* path: absolute, no Windows-forbidden characters, nothing climbs out. */
	{ST_PATH, "D:\\SMSPKGD$", NULL},
	{ST_PATH, "\\\\CM01\\SMSPKGD$", NULL},
	{ST_PATH, "\\\\CM01\\Sources$\\OSD\\Images\\WinXPSP3-Ref-20100115.wim", NULL},
	{ST_PATH, "C:\\a\\..\\b", "'..'"},
	{ST_PATH, "relative\\x", "absolute"},
	{ST_PATH, "C:/x", "absolute"},
	{ST_PATH, "C:\\a/b", "'/'"},
	{ST_PATH, "C:\\a|b", "'|'"},
	{ST_PATH, "C:\\a:b", "':'"},
	{ST_PATH, "C:\\a\"b", "'\"'"},
	{ST_PATH, "\\\\CM01\\", "UNC"},
	{ST_PATH, "\\\\CM;01\\x", "';'"},
	/* acl-entry: PRINCIPAL:RIGHTS. */
	{ST_ACL_ENTRY, "BUILTIN\\Users:RX", NULL},
	{ST_ACL_ENTRY, "Everyone:Full", NULL},
	{ST_ACL_ENTRY, "CONTOSO\\Lyon Staff:(DENY)M", NULL},
	{ST_ACL_ENTRY, "CONTOSO\\x:0x1F01FF", NULL},
	{ST_ACL_ENTRY, "Everyone", "PRINCIPAL:RIGHTS"},
	{ST_ACL_ENTRY, "Everyone:F;x", "rights"},
	{ST_ACL_ENTRY, "Everyone:(DENY)", "rights"},
	{ST_ACL_ENTRY, "a\"b:F", "'\"'"},
};

Test(types, every_text_type_keeps_to_its_rules)
{
	for (size_t i = 0; i < ARRAY_SIZE(text_cases); i++) {
		const case_t *c = &text_cases[i];
		value v = value_str(c->s);
		char *err = NULL;
		int rc = script_value_check(c->t, &v, &err);
		if (!c->why)
			cr_expect_eq(rc, 0, "%s '%s' refused: %s", script_type_name(c->t), c->s, err ? err : "");
		else
			cr_expect(rc < 0 && err && strstr(err, c->why), "%s '%s': want refusal with '%s', got %d: %s",
				  script_type_name(c->t), c->s, c->why, rc, err ? err : "(accepted)");
		free(err);
		value_clear(&v);
	}
}

Test(types, values_of_the_wrong_kind_are_refused)
{
	char *err = NULL;
	value i = value_int(5), b = value_bool(true), s = value_str("5"), l = VALUE_NULL;
	l.kind = V_LIST;
	cr_expect_eq(script_value_check(ST_INT, &i, &err), 0);
	cr_expect_eq(script_value_check(ST_INT, &s, &err), -1);
	cr_expect(err && strstr(err, "int needs integer"), "%s", err);
	free(err);
	cr_expect_eq(script_value_check(ST_BOOL, &b, &err), 0);
	cr_expect_eq(script_value_check(ST_STRING, &i, &err), -1);
	free(err);
	cr_expect_eq(script_value_check(ST_PRINCIPAL_LIST, &l, &err), 0, "an empty list is a list");
	cr_expect_eq(script_value_check(ST_PRINCIPAL_LIST, &s, &err), -1);
	free(err);
	value_list_push(&l, "CONTOSO\\ok");
	value_list_push(&l, "CONTOSO\\x; Remove-Item -Recurse C:\\ #");
	cr_expect_eq(script_value_check(ST_PRINCIPAL_LIST, &l, &err), -1);
	cr_expect(err && strstr(err, "item 2"), "the message names the item: %s", err);
	free(err);
	value_clear(&s);
	value_clear(&l);
}

Test(types, operator_text_is_parsed_by_type)
{
	value v;
	char *err = NULL;
	cr_assert_eq(script_value_parse(ST_INT, "42", &v, &err), 0);
	cr_expect_eq(v.i, 42);
	cr_expect_eq(script_value_parse(ST_INT, "4 2", &v, &err), -1);
	free(err);
	cr_assert_eq(script_value_parse(ST_BOOL, "false", &v, &err), 0);
	cr_expect_eq(v.b, false);
	cr_expect_eq(script_value_parse(ST_BOOL, "yes", &v, &err), -1);
	free(err);
	cr_expect_eq(script_value_parse(ST_HOSTNAME, "CM01 && calc", &v, &err), -1);
	free(err);
	cr_assert_eq(script_value_parse(ST_PRINCIPAL_LIST, "CONTOSO\\a", &v, &err), 0);
	cr_expect(v.kind == V_LIST && v.n == 1 && !strcmp(v.items[0], "CONTOSO\\a"));
	value_clear(&v);
}

Test(types, names_of_scripts_and_parameters)
{
	cr_expect(script_name_ok("localgroup-remove-members"));
	cr_expect(!script_name_ok("../etc"));
	cr_expect(!script_name_ok("a/b"));
	cr_expect(!script_name_ok("A"));
	cr_expect(!script_name_ok(""));
	script_param p[2] = {{"Good1", ST_INT, VALUE_NULL}, {"bad-name", ST_INT, VALUE_NULL}};
	p[0].v = value_int(1);
	p[1].v = value_int(2);
	char *err = NULL;
	cr_expect_eq(script_params_check(p, 1, &err), 0);
	cr_expect_eq(script_params_check(p, 2, &err), -1);
	free(err);
	p[1].name = "good1";
	cr_expect_eq(script_params_check(p, 2, &err), -1, "names differ only in case");
	cr_expect(err && strstr(err, "twice"), "%s", err);
	free(err);
}

/* The journal keeps parameters byte for byte, whatever they hold. */
Test(types, parameters_survive_the_journal_encoding_exactly)
{
	script_param p[4];
	p[0] = (script_param){"Server", ST_HOSTNAME, VALUE_NULL};
	p[0].v = value_str("CM01");
	p[1] = (script_param){"Group", ST_NAME, VALUE_NULL};
	p[1].v = value_str("$(Start-Process calc)");
	p[2] = (script_param){"Members", ST_PRINCIPAL_LIST, VALUE_NULL};
	p[2].v = value_null();
	p[2].v.kind = V_LIST;
	const char *hostile[] = {"CONTOSO\\O'Brien", "CONTOSO\\a`b", "x:12:y", "l:3:abc", "", "3:"};
	for (size_t i = 0; i < ARRAY_SIZE(hostile); i++)
		value_list_push(&p[2].v, hostile[i]);
	p[3] = (script_param){"Text", ST_STRING, VALUE_NULL};
	p[3].v = value_str("; Remove-Item -Recurse C:\\ # '@\" \n\x01");
	strbuf enc = STRBUF_INIT;
	script_params_encode(ST_PRINCIPAL_LIST, p, 4, &enc);
	script_param *back;
	size_t n;
	script_type st;
	cr_assert_eq(script_params_decode(sb_str(&enc), enc.len, &st, &back, &n), 0);
	cr_expect_eq(st, ST_PRINCIPAL_LIST);
	cr_assert_eq(n, 4);
	for (size_t i = 0; i < 4; i++) {
		cr_expect_str_eq(back[i].name, p[i].name);
		cr_expect_eq(back[i].type, p[i].type);
		cr_expect(value_equal(&back[i].v, &p[i].v), "parameter %s changed", p[i].name);
	}
	script_params_free(back, n);
	cr_expect_eq(script_params_decode("l:1:x", 5, &st, &back, &n), -1, "a list that is not triples");
	cr_expect_eq(script_params_decode("s:x", 3, &st, &back, &n), -1);
	sb_release(&enc);
	for (size_t i = 0; i < 4; i++)
		value_clear(&p[i].v);
}

Test(types, states_compare_as_windows_names)
{
	value a = VALUE_NULL, b = VALUE_NULL, rm = VALUE_NULL;
	a.kind = b.kind = rm.kind = V_LIST;
	value_list_push(&a, "CONTOSO\\Helpdesk");
	value_list_push(&a, "CONTOSO\\App Packagers");
	value_list_push(&b, "contoso\\app packagers");
	cr_expect(!script_state_equal(&a, &b));
	value_list_push(&b, "CONTOSO\\HELPDESK");
	cr_expect(script_state_equal(&a, &b), "order and case do not matter");
	value_list_push(&rm, "contoso\\helpdesk");
	value_list_push(&rm, "CONTOSO\\not-a-member");
	value left = script_state_remove(&a, &rm);
	cr_assert_eq(left.n, 1);
	cr_expect_str_eq(left.items[0], "CONTOSO\\App Packagers");
	value s1 = value_str("X"), s2 = value_str("x"), i1 = value_int(1);
	cr_expect(script_state_equal(&s1, &s2));
	cr_expect(!script_state_equal(&s1, &i1));
	value_clear(&a);
	value_clear(&b);
	value_clear(&rm);
	value_clear(&left);
	value_clear(&s1);
	value_clear(&s2);
}

/* ---------- a private content directory with the shipped script ---------- */

static char *home, *content, *labfile, *jpath;
static target *t;

#define LG "localgroup-remove-members"
static const char *const lg_files[] = {"script.yaml", "apply.ps1", "undo.ps1", "capture.ps1"};

static void copy_script(const char *dir, const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(lg_files); i++) {
		char *src = xasprintf("%s/fixes/scripts/%s/%s", tu_content(), name, lg_files[i]);
		char *buf = NULL, *err = NULL;
		size_t len;
		cr_assert_eq(read_file_limited(src, 1 << 20, &buf, &len, &err), 0, "%s", err ? err : "");
		char *rel = xasprintf("fixes/scripts/%s/%s", name, lg_files[i]);
		tu_write(dir, rel, buf);
		free(rel);
		free(buf);
		free(src);
	}
}

/* Members that their types allow, however they look to a shell or PowerShell. */
static const char *const odd_members[] = {
	"CONTOSO\\O'Brien",
	"CONTOSO\\$(Start-Process calc)",
	"CONTOSO\\`touch pwned`",
	"CONTOSO\\Name With Spaces",
	"NT AUTHORITY\\Authenticated Users",
};

static const char *odd_lab =
	"scenario: {name: odd, title: Odd}\n"
	"site: {code: ODD, name: Odd, server: CM01, version: 2007 SP2, mode: mixed}\n"
	"objects:\n"
	"  - class: LocalGroup\n"
	"    key: CM01/$(Start-Process calc)\n"
	"    properties:\n"
	"      Server: CM01\n"
	"      Name: $(Start-Process calc)\n"
	"      Members: [\"CONTOSO\\\\O'Brien\", 'CONTOSO\\$(Start-Process calc)', 'CONTOSO\\`touch pwned`',\n"
	"                'CONTOSO\\Name With Spaces', 'NT AUTHORITY\\Authenticated Users']\n"
	"  - class: LocalGroup\n"
	"    key: CM01/Remote Desktop Users\n"
	"    properties:\n"
	"      Server: CM01\n"
	"      Name: Remote Desktop Users\n"
	"      Members: ['CONTOSO\\Helpdesk']\n"
	"  - class: FileAcl\n"
	"    key: 'CM01/\\\\CM01\\PKG$'\n"
	"    properties: {Server: CM01, Path: '\\\\CM01\\PKG$', Kind: share, Entries: ['Everyone:Full']}\n"
	"  - class: FileAcl\n"
	"    key: 'CM01/D:\\PKG'\n"
	"    properties: {Server: CM01, Path: 'D:\\PKG', Kind: ntfs, Entries: ['Everyone:F']}\n";

static void setup(void)
{
	home = tu_tempdir();
	content = xasprintf("%s/content", home);
	mkdir(content, 0755);
	copy_script(content, LG);
	copy_script(content, "share-acl-set-entries");
	setenv("XDG_DATA_HOME", home, 1);
	tu_write(home, "odd.yaml", odd_lab);
	labfile = xasprintf("%s/odd.yaml", home);
	jpath = xasprintf("%s/journal.db", home);
	char *err = NULL, *spec = xasprintf("lab:%s", labfile);
	cr_assert_eq(target_open(spec, content, &t, &err), 0, "target_open: %s", err ? err : "");
	free(spec);
}

static void teardown(void)
{
	target_close(t);
	tu_rmrf(home);
	free(home);
	free(content);
	free(labfile);
	free(jpath);
}

static script_param *lg_params(const char *group, const char *const *members, size_t n)
{
	script_param *p = xcalloc(3, sizeof *p);
	p[0].name = xstrdup("Server");
	p[0].type = ST_HOSTNAME;
	p[0].v = value_str("CM01");
	p[1].name = xstrdup("Group");
	p[1].type = ST_NAME;
	p[1].v = value_str(group);
	p[2].name = xstrdup("Members");
	p[2].type = ST_PRINCIPAL_LIST;
	p[2].v.kind = V_LIST;
	for (size_t i = 0; i < n; i++)
		value_list_push(&p[2].v, members[i]);
	return p;
}

static value capture(script_param *p)
{
	value v;
	char *err = NULL;
	cr_assert_eq(script_run(t, LG, SCRIPT_CAPTURE, ST_PRINCIPAL_LIST, p, 3, NULL, &v, &err), 0, "capture: %s",
		     err ? err : "");
	return v;
}

TestSuite(lab_scripts, .init = setup, .fini = teardown);

Test(lab_scripts, parameters_reach_the_handler_as_exact_data)
{
	script_param *p = lg_params("$(Start-Process calc)", odd_members + 1, 2);
	value before = capture(p);
	cr_assert_eq(before.kind, V_LIST);
	cr_assert_eq(before.n, ARRAY_SIZE(odd_members));
	for (size_t i = 0; i < before.n; i++)
		cr_expect_str_eq(before.items[i], odd_members[i], "capture returns the members byte for byte");
	char *err = NULL;
	value none;
	cr_assert_eq(script_run(t, LG, SCRIPT_APPLY, ST_PRINCIPAL_LIST, p, 3, NULL, &none, &err), 0, "apply: %s",
		     err ? err : "");
	value after = capture(p);
	/* Exactly the two named members went: the handler matched their bytes. */
	cr_assert_eq(after.n, 3);
	cr_expect_str_eq(after.items[0], odd_members[0]);
	cr_expect_str_eq(after.items[1], odd_members[3]);
	cr_expect_str_eq(after.items[2], odd_members[4]);
	cr_expect_neq(access("pwned", F_OK), 0, "nothing was executed");
	cr_assert_eq(script_run(t, LG, SCRIPT_UNDO, ST_PRINCIPAL_LIST, p, 3, &before, &none, &err), 0, "undo: %s",
		     err ? err : "");
	value back = capture(p);
	cr_expect(value_equal(&back, &before), "undo restores the list exactly, in order");
	/* A handler's message carries the parameter as it came. */
	script_param *q = lg_params("No Such Group $(calc)", NULL, 0);
	cr_expect_eq(script_run(t, LG, SCRIPT_CAPTURE, ST_PRINCIPAL_LIST, q, 3, NULL, &none, &err), -1);
	cr_expect(err && strstr(err, "'No Such Group $(calc)'"), "%s", err ? err : "");
	free(err);
	script_params_free(q, 3);
	value_clear(&before);
	value_clear(&after);
	value_clear(&back);
	script_params_free(p, 3);
}

Test(lab_scripts, what_a_type_forbids_never_runs)
{
	const char *bad[] = {"CONTOSO\\x; Remove-Item -Recurse C:\\ #", "CONTOSO\\'@\"", "CONTOSO\\a\nb"};
	script_param *ok = lg_params("Remote Desktop Users", NULL, 0);
	value before = capture(ok);
	unsigned long trips = t->round_trips;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		script_param *p = lg_params("Remote Desktop Users", bad + i, 1);
		char *err = NULL;
		value none;
		cr_expect_eq(script_run(t, LG, SCRIPT_APPLY, ST_PRINCIPAL_LIST, p, 3, NULL, &none, &err), -1);
		cr_expect(err && strstr(err, "parameter Members (principal-list): item 1"), "%s", err ? err : "");
		free(err);
		script_params_free(p, 3);
	}
	cr_expect_eq(t->round_trips, trips, "the target never saw the calls");
	/* A hostile host name and an undo state that is not a principal list. */
	script_param *p = lg_params("Remote Desktop Users", NULL, 0);
	value_clear(&p[0].v);
	p[0].v = value_str("CM01;calc");
	char *err = NULL;
	value none;
	cr_expect_eq(script_run(t, LG, SCRIPT_CAPTURE, ST_PRINCIPAL_LIST, p, 3, NULL, &none, &err), -1);
	cr_expect(err && strstr(err, "Server (hostname)"), "%s", err);
	free(err);
	value s = value_str("not a list");
	cr_expect_eq(script_run(t, LG, SCRIPT_UNDO, ST_PRINCIPAL_LIST, ok, 3, &s, &none, &err), -1);
	cr_expect(err && strstr(err, "parameter State"), "%s", err);
	free(err);
	value now = capture(ok);
	cr_expect(value_equal(&now, &before), "the lab is unchanged");
	value_clear(&s);
	value_clear(&now);
	value_clear(&before);
	script_params_free(p, 3);
	script_params_free(ok, 3);
}

Test(lab_scripts, capture_cannot_write_and_names_are_checked)
{
	script_param *p = lg_params("Remote Desktop Users", NULL, 0);
	char *err = NULL;
	value none;
	cr_expect_eq(script_run(t, "../../etc", SCRIPT_CAPTURE, ST_PRINCIPAL_LIST, p, 3, NULL, &none, &err), -1);
	cr_expect(err && strstr(err, "[a-z0-9-]"), "%s", err);
	free(err);
	cr_expect_eq(script_run(t, "no-such-script", SCRIPT_CAPTURE, ST_PRINCIPAL_LIST, p, 3, NULL, &none, &err), -1);
	free(err);
	/* A target without run() refuses, and says so. */
	target_ops ops = *t->ops;
	ops.run = NULL;
	const target_ops *saved = t->ops;
	t->ops = &ops;
	cr_expect_eq(script_run(t, LG, SCRIPT_CAPTURE, ST_PRINCIPAL_LIST, p, 3, NULL, &none, &err), -1);
	cr_expect(err && strstr(err, "cannot run fix scripts"), "%s", err);
	free(err);
	t->ops = saved;
	/* Read-only targets run capture only. */
	t->readonly = true;
	cr_expect_eq(script_run(t, LG, SCRIPT_APPLY, ST_PRINCIPAL_LIST, p, 3, NULL, &none, &err), -1);
	cr_expect(err && strstr(err, "read-only"), "%s", err);
	free(err);
	value v = capture(p);
	value_clear(&v);
	t->readonly = false;
	script_params_free(p, 3);
}

/* ---------- trust ---------- */

Test(lab_scripts, content_others_can_write_is_refused)
{
	script_param *p = lg_params("Remote Desktop Users", NULL, 0);
	char *err = NULL, *dir = xasprintf("%s/fixes/scripts", content);
	value none;
	cr_assert_eq(trust_script(content, LG, &err), 0, "%s", err ? err : "");
	chmod(dir, 0775);
	cr_expect_eq(script_run(t, LG, SCRIPT_CAPTURE, ST_PRINCIPAL_LIST, p, 3, NULL, &none, &err), -1);
	char *want = xasprintf("%s is group-writable (mode 0775)", dir);
	cr_expect(err && strstr(err, want), "%s", err ? err : "");
	free(want);
	free(err);
	chmod(dir, 0755);
	char *file = xasprintf("%s/fixes/scripts/%s/apply.ps1", content, LG);
	chmod(file, 0646);
	cr_expect_eq(script_run(t, LG, SCRIPT_CAPTURE, ST_PRINCIPAL_LIST, p, 3, NULL, &none, &err), -1);
	want = xasprintf("%s is world-writable (mode 0646)", file);
	cr_expect(err && strstr(err, want), "any phase's file refuses every phase: %s", err ? err : "");
	free(want);
	free(err);
	chmod(file, 0644);
	value v = capture(p);
	value_clear(&v);
	char *manifest = xasprintf("%s/fixes/scripts/%s/script.yaml", content, LG);
	chmod(manifest, 0664);
	cr_expect_eq(trust_script(content, LG, &err), -1);
	free(err);
	chmod(manifest, 0644);
	chmod(content, 0777);
	cr_expect_eq(trust_path(content, &err), -1);
	cr_expect(err && strstr(err, "world-writable"), "%s", err);
	free(err);
	chmod(content, 0755);
	/* A symbolic link is judged by what it points to, and a directory is not a script. */
	char *link = xasprintf("%s/link.ps1", home);
	cr_assert_eq(symlink(file, link), 0);
	char *buf = NULL;
	size_t len;
	cr_expect_eq(trust_read(link, 1 << 20, &buf, &len, &err), 0, "%s", err ? err : "");
	free(buf);
	cr_expect_eq(trust_read(content, 1 << 20, &buf, &len, &err), -1);
	free(err);
	free(link);
	free(manifest);
	free(file);
	free(dir);
	script_params_free(p, 3);
}

/* ---------- the lab table and the shipped manifests ---------- */

Test(manifests, every_shipped_script_has_a_lab_handler_that_takes_its_parameters)
{
	catalog cat;
	diags d;
	diags_init(&d);
	cr_assert_eq(catalog_load(&cat, tu_content(), &d), 0);
	fixset fs;
	cr_assert_eq(fixes_load(&fs, tu_content(), &cat, &d), 0, "%s", d.n ? d.items[0].msg : "");
	cr_expect_geq(fs.nscripts, 1);
	cr_expect_eq(fs.nscripts, lab_nscripts, "one handler per script and one script per handler");
	for (size_t i = 0; i < fs.nscripts; i++) {
		const script_def *sd = &fs.scripts[i];
		const lab_script *ls = lab_script_find(sd->name);
		cr_assert(ls, "no lab handler for %s", sd->name);
		cr_expect_eq(ls->state, sd->state, "%s: state type", sd->name);
		cr_assert_eq(ls->nparams, sd->nparams, "%s: parameters", sd->name);
		for (size_t k = 0; k < sd->nparams; k++) {
			cr_expect_str_eq(ls->params[k].name, sd->params[k].name);
			cr_expect_eq(ls->params[k].type, sd->params[k].type, "%s.%s", sd->name, sd->params[k].name);
		}
		for (int ph = 0; ph < SCRIPT_NPHASES; ph++)
			cr_expect(ls->phase[ph], "%s has no %s handler", sd->name, script_phase_name((script_phase)ph));
	}
	/* The two Remote Desktop checks have script fixes that --failing picks. */
	const check *k = catalog_find(&cat, "console.no-nonadmin-rdp-siteserver");
	const fix *f = fix_for_check(&fs, k);
	cr_assert(f);
	cr_expect_eq(f->steps[0].kind, STEP_SCRIPT);
	cr_expect_str_eq(f->steps[0].script->name, LG);
	fixes_release(&fs);
	catalog_release(&cat);
	diags_release(&d);
}

/* Lints a content directory holding one script (files given) and one fix. */
static char *lint_script(const char *manifest, const char *apply, const char *undo, const char *capture,
			 const char *fixes)
{
	char *dir = tu_tempdir();
	const char *texts[] = {manifest, apply, undo, capture};
	for (size_t i = 0; i < 4; i++) {
		if (!texts[i])
			continue;
		char *rel = xasprintf("fixes/scripts/s/%s", lg_files[i]);
		tu_write(dir, rel, texts[i]);
		free(rel);
	}
	tu_write(dir, "fixes/console.yaml", fixes);
	catalog cat;
	diags d;
	diags_init(&d);
	cr_assert_eq(catalog_load(&cat, tu_content(), &d), 0);
	fixes_lint(dir, &cat, &d);
	strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < d.n; i++) {
		const char *f = strstr(d.items[i].file, "/fixes/");
		sb_addf(&sb, "%s:%d: %s\n", f ? f + 1 : d.items[i].file, d.items[i].line, d.items[i].msg);
	}
	diags_release(&d);
	catalog_release(&cat);
	tu_rmrf(dir);
	free(dir);
	return sb_detach(&sb);
}

#define EXPECT_DIAG(out, text) cr_expect(strstr(out, text) != NULL, "want '%s' in:\n%s", text, out)

static const char *good_manifest = "name: s\ntitle: T\nclass: LocalGroup\n"
				   "params:\n  - {name: Server, type: hostname}\n  - {name: Members, type: principal-list}\n"
				   "state: principal-list\nafter: {remove: Members}\n";
static const char *good_ps = "# comment\n<# block\n param($x) #>\n[CmdletBinding()]\nparam(\n"
			     "  [Parameter(Mandatory = $true)][string]$Server, # 'quote\n"
			     "  [AllowEmptyCollection()][string[]]$Members = @('a', \"b)\")\n)\n$y = 1\n";
static const char *good_undo = "param([string]$Server, [string[]]$Members,\n [string[]]$State)\n";

static const char *fix_head = "fixes:\n"
			      "  - id: console.no-lowrights-ts-to-sitesystems.remove-members\n"
			      "    title: T\n"
			      "    check: console.no-lowrights-ts-to-sitesystems\n"
			      "    steps:\n";

Test(manifests, a_good_script_lints_clean)
{
	char *fx = xasprintf("%s      - script: s\n        params:\n          Server: {from: Server}\n"
			     "          Members: {value: ['CONTOSO\\a', 'BUILTIN\\b']}\n",
			     fix_head);
	char *out = lint_script(good_manifest, good_ps, good_undo, good_ps, fx);
	cr_expect_eq(strstr(out, "fixes/scripts/"), NULL, "unexpected:\n%s", out);
	cr_expect_eq(strstr(out, "fixes/console.yaml"), NULL, "unexpected:\n%s", out);
	free(out);
	free(fx);
}

Test(manifests, script_mistakes_are_reported)
{
	char *fx = xasprintf("%s      - script: s\n        params:\n          Server: {from: \"Props['x'.Value\"}\n"
			     "          Members: {value: ['CONTOSO\\a;b']}\n          Extra: {value: 1}\n"
			     "      - script: s\n        params:\n          Server: {value: 'CM01 && calc', from: Server}\n"
			     "      - script: nope\n",
			     fix_head);
	const char *bad_manifest = "name: other\ntitle: T\nclass: Registry\n"
				   "params:\n  - {name: Server, type: hostnme}\n  - {name: State, type: string}\n"
				   "  - {name: Members, type: principal-list}\nstate: principal-list\nafter: {remove: Nope}\n";
	const char *bad_apply = "param([int]$Server, [string[]]$Members, [string]$Sneaky)\n";
	char *out = lint_script(bad_manifest, bad_apply, "param([string]$Server, [string[]]$Members)\n", NULL, fx);
	EXPECT_DIAG(out, "script.yaml:1: the name 'other' must be the directory's name 's'");
	EXPECT_DIAG(out, "script.yaml:5: unknown type 'hostnme'");
	EXPECT_DIAG(out, "'State' is the parameter that carries the captured state");
	EXPECT_DIAG(out, "'remove' names a parameter of this script");
	EXPECT_DIAG(out, "apply.ps1:1: $Server must be declared [string]");
	EXPECT_DIAG(out, "apply.ps1:1: $Sneaky is not a parameter of the manifest");
	EXPECT_DIAG(out, "undo.ps1:1: the param() block does not declare $State");
	EXPECT_DIAG(out, "capture.ps1:0: cannot open");
	EXPECT_DIAG(out, "console.yaml:8: parameter 'Server': property path: expected ']'");
	EXPECT_DIAG(out, "console.yaml:9: parameter 'Members' is a principal-list: item 1");
	EXPECT_DIAG(out, "console.yaml:10: script 's' has no parameter 'Extra'");
	EXPECT_DIAG(out, "parameter 'Server' takes exactly one of 'from'");
	EXPECT_DIAG(out, "console.yaml:13: parameter 'Members' of script 's' is not given");
	EXPECT_DIAG(out, "console.yaml:14: no script 'nope' in fixes/scripts/");
	EXPECT_DIAG(out, "script 's' changes Registry objects, but check 'console.no-lowrights-ts-to-sitesystems'"
			 " offends with LocalGroup objects");
	free(out);
	free(fx);
	/* A script step on an attestation check without evidence of its class,
	 * and a literal of the wrong type. */
	out = lint_script(good_manifest, good_ps, good_undo, good_ps,
			  "fixes:\n  - id: console.protect-transfer-settings-xml.x\n    title: T\n"
			  "    check: console.protect-transfer-settings-xml\n"
			  "    steps:\n      - script: s\n        params:\n          Server: {value: 12}\n"
			  "          Members: {ask: who}\n");
	EXPECT_DIAG(out, "script 's' changes LocalGroup objects, but attestation check"
			 " 'console.protect-transfer-settings-xml' shows no LocalGroup evidence");
	EXPECT_DIAG(out, "parameter 'Server' is a hostname: a hostname needs string, not integer");
	free(out);
	/* 'ask' belongs to fixes the operator runs on objects they choose. */
	char *fa = xasprintf("%s      - script: s\n        params:\n          Server: {from: Server}\n"
			     "          Members: {ask: who to remove}\n",
			     fix_head);
	out = lint_script(good_manifest, good_ps, good_undo, good_ps, fa);
	EXPECT_DIAG(out, "console.yaml:6: parameter 'Members': 'ask' is for fixes of attestation checks");
	free(out);
	free(fa);
	/* Unclosed param( block. */
	out = lint_script(good_manifest, "param([string]$Server,\n", good_undo, good_ps, "fixes: []\n");
	EXPECT_DIAG(out, "apply.ps1:1: cannot read the param() block: the param( block is not closed");
	free(out);
}

/* ---------- the journal ---------- */

TestSuite(jscript, .init = setup, .fini = teardown);

static int64_t new_run(journal *j)
{
	char *err = NULL;
	int64_t s = journal_session_begin(j, "tester", t->spec, "ODD", NULL, "test", &err);
	cr_assert_gt(s, 0, "%s", err ? err : "");
	int64_t r = journal_run_begin(j, s, "x.y.z", "x.y", "apply", &err);
	cr_assert_gt(r, 0, "%s", err ? err : "");
	return r;
}

/* A crash between plan and apply, after apply, and a third state: each is
 * decided by running capture again. */
Test(jscript, reconciliation_runs_capture_and_compares_states)
{
	journal *j;
	char *err = NULL;
	cr_assert_eq(journal_open(jpath, &j, &err), 0, "%s", err ? err : "");
	int64_t run = new_run(j);
	const char *rm[] = {"CONTOSO\\Helpdesk"};
	script_param *p = lg_params("Remote Desktop Users", rm, 1);
	value before = capture(p), expect = VALUE_NULL, none;
	expect.kind = V_LIST;
	/* 1: planned, never run -> not_applied */
	int64_t c1 = journal_script_plan(j, run, "LocalGroup", "CM01/Remote Desktop Users", LG, ST_PRINCIPAL_LIST, p,
					 3, &before, &expect, 0, &err);
	cr_assert_gt(c1, 0, "%s", err ? err : "");
	reconcile_report rep;
	cr_assert_eq(journal_reconcile(j, t, &rep, &err), 0, "%s", err ? err : "");
	cr_expect_eq(rep.not_applied, 1);
	cr_expect_eq(tu_change_state(j, c1), CH_NOT_APPLIED);
	/* 2: planned, apply ran -> applied, with the state capture found as after */
	int64_t c2 = journal_script_plan(j, run, "LocalGroup", "CM01/Remote Desktop Users", LG, ST_PRINCIPAL_LIST, p,
					 3, &before, &expect, 0, &err);
	cr_assert_eq(script_run(t, LG, SCRIPT_APPLY, ST_PRINCIPAL_LIST, p, 3, NULL, &none, &err), 0);
	cr_assert_eq(journal_reconcile(j, t, &rep, &err), 0, "%s", err ? err : "");
	cr_expect_eq(rep.applied, 1);
	jchange c;
	cr_assert_eq(journal_change_get(j, c2, &c, &err), 0);
	cr_expect_eq(c.state, CH_APPLIED);
	cr_expect(c.script && c.after.kind == V_LIST && c.after.n == 0);
	cr_expect_str_eq(c.prop, LG);
	cr_expect_eq(c.nparams, 3);
	cr_expect(value_equal(&c.params[2].v, &p[2].v), "parameters come back from the journal");
	/* undo through the journal's record restores the captured state */
	int64_t urun = new_run(j);
	script_undo_outcome out;
	value now;
	char *why = NULL;
	cr_assert_eq(script_step_undo(j, t, &c, urun, false, &out, &now, &why, &err), 0, "%s", err ? err : "");
	cr_expect_eq(out, SUNDO_RESTORED, "%s", why ? why : "");
	value_clear(&now);
	jchange_release(&c);
	cr_expect_eq(tu_change_state(j, c2), CH_UNDONE);
	value back = capture(p);
	cr_expect(value_equal(&back, &before));
	value_clear(&back);
	/* 3: planned with an undeclared after, and the site holds a third state -> conflict */
	value null = VALUE_NULL, third = VALUE_NULL;
	third.kind = V_LIST;
	value_list_push(&third, "CONTOSO\\Someone Else");
	int64_t c3 = journal_script_plan(j, run, "LocalGroup", "CM01/Remote Desktop Users", LG, ST_PRINCIPAL_LIST, p,
					 3, &before, &null, 0, &err);
	script_param *ps = lg_params("Remote Desktop Users", NULL, 0);
	cr_assert_eq(script_run(t, LG, SCRIPT_UNDO, ST_PRINCIPAL_LIST, ps, 3, &third, &none, &err), 0);
	cr_assert_eq(journal_reconcile(j, t, &rep, &err), 0, "%s", err ? err : "");
	cr_expect_eq(rep.conflicts, 1);
	cr_expect_eq(tu_change_state(j, c3), CH_CONFLICT);
	change_state st;
	cr_assert_eq(journal_resolve(j, t, c3, &st, &err), 0, "%s", err ? err : "");
	cr_expect_eq(st, CH_RESOLVED);
	strbuf rpt = STRBUF_INIT;
	char *head = NULL;
	cr_expect_eq(journal_verify(j, NULL, &rpt, &head, &err), 0, "%s", sb_str(&rpt));
	free(head);
	sb_release(&rpt);
	value_clear(&third);
	value_clear(&before);
	script_params_free(ps, 3);
	script_params_free(p, 3);
	journal_close(j);
}

/* A journal written before script changes existed verifies after the
 * migration, and an edit of a script change's parameters is seen. */
Test(jscript, schema_1_journals_migrate_and_verify)
{
	journal *j;
	char *err = NULL;
	cr_assert_eq(journal_open(jpath, &j, &err), 0, "%s", err ? err : "");
	int64_t run = new_run(j);
	value b = value_int(12), a = value_int(0);
	cr_assert_gt(journal_change_plan(j, run, "SMS_SCI_ClientComp", "Hardware Inventory Agent",
					 "Props[MIF Collection].Value", &b, &a, 0, &err),
		     0);
	journal_close(j);
	/* Make it the schema 1 file an older cmharden wrote. */
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(jpath, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db,
				  "ALTER TABLE changes DROP COLUMN kind; ALTER TABLE changes DROP COLUMN params;"
				  " ALTER TABLE attestations DROP COLUMN answer; PRAGMA user_version = 1;",
				  NULL, NULL, NULL),
		     SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
	cr_assert_eq(journal_open(jpath, &j, &err), 0, "%s", err ? err : "");
	strbuf rpt = STRBUF_INIT;
	char *head = NULL;
	cr_expect_eq(journal_verify(j, NULL, &rpt, &head, &err), 0, "after the migration: %s", sb_str(&rpt));
	free(head);
	sb_reset(&rpt);
	/* A script change, then someone rewrites its parameters. */
	script_param *p = lg_params("Remote Desktop Users", NULL, 0);
	value st = VALUE_NULL;
	st.kind = V_LIST;
	int64_t c = journal_script_plan(j, run, "LocalGroup", "CM01/Remote Desktop Users", LG, ST_PRINCIPAL_LIST, p, 3,
					&st, &st, 0, &err);
	cr_assert_gt(c, 0);
	cr_expect_eq(journal_verify(j, NULL, &rpt, &head, &err), 0, "%s", sb_str(&rpt));
	free(head);
	journal_close(j);
	cr_assert_eq(sqlite3_open(jpath, &db), SQLITE_OK);
	char *sql = xasprintf("UPDATE changes SET params = replace(params, 'CM01', 'DC01') WHERE id = %lld",
			      (long long)c);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	free(sql);
	sqlite3_close(db);
	cr_assert_eq(journal_open(jpath, &j, &err), 0);
	sb_reset(&rpt);
	cr_expect_eq(journal_verify(j, NULL, &rpt, &head, &err), 1);
	char *want = xasprintf("changes row %lld was altered", (long long)c);
	cr_expect(strstr(sb_str(&rpt), want), "%s", sb_str(&rpt));
	free(want);
	free(head);
	sb_release(&rpt);
	script_params_free(p, 3);
	journal_close(j);
}

/* The planner's and undo's path through script_step.c: bind from the
 * object, capture, apply under the journal; then a group changed behind our
 * back is left alone unless forced. */
Test(jscript, drift_is_left_alone_unless_forced)
{
	script_param_decl decl[3] = {{"Server", ST_HOSTNAME}, {"Group", ST_NAME}, {"Members", ST_PRINCIPAL_LIST}};
	script_def sd = {.name = LG, .title = "T", .cls = "LocalGroup", .params = decl, .nparams = 3,
			 .state = ST_PRINCIPAL_LIST, .after_remove = "Members"};
	script_bind binds[3] = {{"Server", ST_HOSTNAME, BIND_FROM, "Server", VALUE_NULL, NULL},
				{"Group", ST_NAME, BIND_FROM, "Name", VALUE_NULL, NULL},
				{"Members", ST_PRINCIPAL_LIST, BIND_FROM, "Members", VALUE_NULL, NULL}};
	fix_step s = {.kind = STEP_SCRIPT, .script = &sd, .binds = binds, .nbinds = 3};
	char *err = NULL, *why = NULL;
	objset os;
	objset_init(&os);
	cr_assert_eq(target_query(t, "LocalGroup", &os, &err), 0);
	const object *o = objset_find(&os, "CM01/Remote Desktop Users");
	cr_assert(o);
	script_item it;
	cr_assert_eq(script_step_plan(t, NULL, &s, o, NULL, 0, &it, &why), 0, "%s", why ? why : "");
	cr_expect(it.before.n == 1 && !strcmp(it.before.items[0], "CONTOSO\\Helpdesk"));
	cr_expect(it.after.kind == V_LIST && it.after.n == 0, "the manifest's after: {remove: Members}");
	journal *j;
	cr_assert_eq(journal_open(jpath, &j, &err), 0, "%s", err ? err : "");
	int64_t run = new_run(j);
	cr_assert_eq(script_step_apply(j, t, run, "LocalGroup", o->key, &s, &it, &why, &err), 0, "%s %s",
		     why ? why : "", err ? err : "");
	value now = capture(it.params);
	cr_expect_eq(now.n, 0);
	value_clear(&now);
	/* Planning again finds nothing to do. */
	script_item again;
	objset_release(&os);
	objset_init(&os);
	cr_assert_eq(target_query(t, "LocalGroup", &os, &err), 0);
	o = objset_find(&os, "CM01/Remote Desktop Users");
	cr_expect_eq(script_step_plan(t, NULL, &s, o, NULL, 0, &again, &why), 1);
	cr_expect(why && strstr(why, "already"), "%s", why ? why : "");
	free(why);
	why = NULL;
	script_item_release(&again);
	/* Someone adds a member. */
	value third = VALUE_NULL, none;
	third.kind = V_LIST;
	value_list_push(&third, "CONTOSO\\Someone Else");
	cr_assert_eq(script_run(t, LG, SCRIPT_UNDO, ST_PRINCIPAL_LIST, it.params, 3, &third, &none, &err), 0);
	jchange *v;
	size_t n;
	cr_assert_eq(journal_undoable(j, t->spec, NULL, UNDO_RUN, run, &v, &n, &err), 0);
	cr_assert_eq(n, 1);
	int64_t urun = new_run(j);
	script_undo_outcome out;
	cr_assert_eq(script_step_undo(j, t, &v[0], urun, false, &out, &now, &why, &err), 0);
	cr_expect_eq(out, SUNDO_DRIFTED);
	cr_expect(script_state_equal(&now, &third));
	value_clear(&now);
	cr_expect_eq(tu_change_state(j, v[0].id), CH_APPLIED, "a drifted change stays applied");
	cr_assert_eq(script_step_undo(j, t, &v[0], urun, true, &out, &now, &why, &err), 0);
	cr_expect_eq(out, SUNDO_RESTORED);
	value_clear(&now);
	cr_expect_eq(tu_change_state(j, v[0].id), CH_UNDONE);
	now = capture(it.params);
	cr_expect(value_equal(&now, &it.before), "--force restores the captured members");
	value_clear(&now);
	jchanges_free(v, n);
	value_clear(&third);
	script_item_release(&it);
	objset_release(&os);
	journal_close(j);
}

static script_param *share_params(const char *path, const char *const *entries, size_t n)
{
	script_param *p = xcalloc(3, sizeof *p);
	p[0].name = xstrdup("Server");
	p[0].type = ST_HOSTNAME;
	p[0].v = value_str("CM01");
	p[1].name = xstrdup("Path");
	p[1].type = ST_PATH;
	p[1].v = value_str(path);
	p[2].name = xstrdup("Entries");
	p[2].type = ST_ACL_ENTRY_LIST;
	p[2].v.kind = V_LIST;
	for (size_t i = 0; i < n; i++)
		value_list_push(&p[2].v, entries[i]);
	return p;
}

#define SH "share-acl-set-entries"

Test(lab_scripts, share_entries_are_set_exactly_and_only_on_shares)
{
	const char *want[] = {"BUILTIN\\Administrators:Full", "CONTOSO\\$(Start-Process calc):(DENY)Read",
			      "CONTOSO\\x:0x1F01FF"};
	script_param *p = share_params("\\\\CM01\\PKG$", want, 3);
	value before, none, after;
	char *err = NULL;
	cr_assert_eq(script_run(t, SH, SCRIPT_CAPTURE, ST_ACL_ENTRY_LIST, p, 3, NULL, &before, &err), 0, "%s",
		     err ? err : "");
	cr_assert(before.n == 1 && !strcmp(before.items[0], "Everyone:Full"));
	cr_assert_eq(script_run(t, SH, SCRIPT_APPLY, ST_ACL_ENTRY_LIST, p, 3, NULL, &none, &err), 0, "%s",
		     err ? err : "");
	cr_assert_eq(script_run(t, SH, SCRIPT_CAPTURE, ST_ACL_ENTRY_LIST, p, 3, NULL, &after, &err), 0);
	cr_assert_eq(after.n, 3);
	for (size_t i = 0; i < 3; i++)
		cr_expect_str_eq(after.items[i], want[i]);
	value_clear(&after);
	cr_assert_eq(script_run(t, SH, SCRIPT_UNDO, ST_ACL_ENTRY_LIST, p, 3, &before, &none, &err), 0);
	cr_assert_eq(script_run(t, SH, SCRIPT_CAPTURE, ST_ACL_ENTRY_LIST, p, 3, NULL, &after, &err), 0);
	cr_expect(value_equal(&after, &before));
	value_clear(&after);
	/* An empty list would lock everyone out: refused, nothing written. */
	script_param *empty = share_params("\\\\CM01\\PKG$", NULL, 0);
	cr_expect_eq(script_run(t, SH, SCRIPT_APPLY, ST_ACL_ENTRY_LIST, empty, 3, NULL, &none, &err), -1);
	cr_expect(err && strstr(err, "at least one entry"), "%s", err ? err : "");
	free(err);
	cr_assert_eq(script_run(t, SH, SCRIPT_CAPTURE, ST_ACL_ENTRY_LIST, p, 3, NULL, &after, &err), 0);
	cr_expect(value_equal(&after, &before));
	value_clear(&after);
	/* An NTFS object is not a share. */
	script_param *ntfs = share_params("D:\\PKG", want, 1);
	cr_expect_eq(script_run(t, SH, SCRIPT_APPLY, ST_ACL_ENTRY_LIST, ntfs, 3, NULL, &none, &err), -1);
	cr_expect(err && strstr(err, "there is no share D:\\PKG on CM01"), "%s", err ? err : "");
	free(err);
	value_clear(&before);
	script_params_free(p, 3);
	script_params_free(empty, 3);
	script_params_free(ntfs, 3);
}
