/* journal_test.c — the undo journal: every state transition, reconciliation
 * against a lab target, undo bookkeeping, tamper evidence (rows altered,
 * inserted and deleted behind the journal's back with the sqlite3 API), the
 * head proof, the file's mode and schema guards; and, through the cmharden
 * binary, drift refusal and the conflict gate that needs a target changed
 * between two runs. */
#include "config.h"

#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "journal/journal.h"
#include "journal/print.h"
#include "journal/query.h"
#include "journal/reconcile.h"
#include "journal/verify.h"
#include "content/lab.h"
#include "target/target.h"
#include "testutil.h"
#include "base/util.h"

static char *home, *jpath, *labfile;
static journal *j;
static target *t;

static const char *tiny_lab =
	"scenario: {name: tiny, title: Tiny}\n"
	"site: {code: TNY, name: Tiny, server: SRV, version: 2007 SP2, mode: mixed}\n"
	"objects:\n"
	"  - class: SMS_SCI_ClientComp\n"
	"    key: Hardware Inventory Agent\n"
	"    properties:\n"
	"      ItemName: Hardware Inventory Agent\n"
	"      Flags: 1\n"
	"      Props:\n"
	"        MIF Collection: {Value: 12, Value1: '', Value2: ''}\n";

#define HW "Hardware Inventory Agent"
#define MIF "Props[MIF Collection].Value"

static void setup(void)
{
	home = tu_tempdir();
	setenv("XDG_DATA_HOME", home, 1);
	tu_write(home, "tiny.yaml", tiny_lab);
	labfile = xasprintf("%s/tiny.yaml", home);
	jpath = xasprintf("%s/journal.db", home);
	char *err = NULL, *spec = xasprintf("lab:%s", labfile);
	cr_assert_eq(journal_open(jpath, &j, &err), 0, "journal_open: %s", err ? err : "");
	cr_assert_eq(target_open(spec, tu_content(), &t, &err), 0, "target_open: %s", err ? err : "");
	free(spec);
}

static void teardown(void)
{
	journal_close(j);
	target_close(t);
	tu_rmrf(home);
	free(home);
	free(jpath);
	free(labfile);
}

TestSuite(journal, .init = setup, .fini = teardown);

static int64_t new_run(const char *kind)
{
	char *err = NULL;
	int64_t s = journal_session_begin(j, "tester", t->spec, "TNY", NULL, "test", &err);
	cr_assert_gt(s, 0, "session: %s", err ? err : "");
	int64_t r = journal_run_begin(j, s, "inv.disable-mif.disable", "inv.disable-mif", kind, &err);
	cr_assert_gt(r, 0, "run: %s", err ? err : "");
	return r;
}

static int64_t plan(int64_t run, int64_t b, int64_t a, int64_t undoes)
{
	value vb = value_int(b), va = value_int(a);
	char *err = NULL;
	int64_t id = journal_change_plan(j, run, "SMS_SCI_ClientComp", HW, MIF, &vb, &va, undoes, &err);
	cr_assert_gt(id, 0, "plan: %s", err ? err : "");
	return id;
}

static bool mark(int64_t id, change_state s)
{
	char *err = NULL;
	int rc = journal_change_mark(j, id, s, NULL, &err);
	free(err);
	return rc == 0;
}

static int64_t site_mif(void)
{
	value v;
	char *err = NULL;
	cr_assert_eq(target_get(t, "SMS_SCI_ClientComp", HW, MIF, &v, &err), 0, "%s", err ? err : "");
	cr_assert_eq(v.kind, V_INT);
	return v.i;
}

static void site_set_mif(int64_t x)
{
	value v = value_int(x), prev;
	char *err = NULL;
	cr_assert_eq(target_set(t, "SMS_SCI_ClientComp", HW, MIF, &v, &prev, &err), 0, "%s", err ? err : "");
	value_clear(&prev);
}

/* ---------- state transitions ---------- */

Test(journal, planned_to_each_outcome)
{
	int64_t run = new_run("apply");
	change_state outcomes[] = {CH_APPLIED, CH_FAILED, CH_NOT_APPLIED, CH_CONFLICT};
	for (size_t i = 0; i < ARRAY_SIZE(outcomes); i++) {
		int64_t id = plan(run, 12, 0, 0);
		cr_expect_eq(tu_change_state(j, id), CH_PLANNED);
		cr_expect(mark(id, outcomes[i]), "planned -> %s", change_state_name(outcomes[i]));
		cr_expect_eq(tu_change_state(j, id), outcomes[i]);
	}
}

Test(journal, forbidden_transitions_are_refused)
{
	int64_t run = new_run("apply");
	int64_t id = plan(run, 12, 0, 0);
	cr_expect_not(mark(id, CH_UNDONE), "planned -> undone");
	cr_expect_not(mark(id, CH_RESOLVED), "planned -> resolved");
	cr_expect_not(mark(id, CH_PLANNED), "planned -> planned");
	cr_assert(mark(id, CH_APPLIED));
	cr_expect_not(mark(id, CH_FAILED), "applied -> failed");
	cr_expect_not(mark(id, CH_NOT_APPLIED), "applied -> not_applied");
	cr_expect_not(mark(id, CH_CONFLICT), "applied -> conflict");
	cr_assert(mark(id, CH_UNDONE));
	cr_expect_not(mark(id, CH_APPLIED), "undone -> applied");
	int64_t f = plan(run, 12, 0, 0);
	cr_assert(mark(f, CH_FAILED));
	cr_expect_not(mark(f, CH_APPLIED), "failed -> applied");
	int64_t n = plan(run, 12, 0, 0);
	cr_assert(mark(n, CH_NOT_APPLIED));
	cr_expect_not(mark(n, CH_APPLIED), "not_applied -> applied");
	int64_t c = plan(run, 12, 0, 0);
	cr_assert(mark(c, CH_CONFLICT));
	cr_assert(mark(c, CH_RESOLVED), "conflict -> resolved");
	cr_expect_not(mark(c, CH_APPLIED), "resolved -> applied");
	cr_expect_eq(tu_change_state(j, id), CH_UNDONE);
}

Test(journal, applied_undo_marks_the_original_undone_atomically)
{
	int64_t run = new_run("apply");
	int64_t orig = plan(run, 12, 0, 0);
	cr_assert(mark(orig, CH_APPLIED));
	int64_t urun = new_run("undo");
	int64_t u = plan(urun, 0, 12, orig);
	cr_expect_eq(tu_change_state(j, orig), CH_APPLIED, "planning an undo changes nothing yet");
	cr_assert(mark(u, CH_APPLIED));
	cr_expect_eq(tu_change_state(j, orig), CH_UNDONE);
	/* Undoing it again must fail as a whole: the second undo stays planned. */
	int64_t u2 = plan(urun, 0, 12, orig);
	cr_expect_not(mark(u2, CH_APPLIED));
	cr_expect_eq(tu_change_state(j, u2), CH_PLANNED, "the failed transaction was rolled back");
}

Test(journal, applied_records_what_the_target_replaced)
{
	int64_t run = new_run("apply");
	int64_t id = plan(run, 12, 0, 0);
	value seen = value_int(7);
	char *err = NULL;
	cr_assert_eq(journal_change_mark(j, id, CH_APPLIED, &seen, &err), 0);
	jchange c;
	cr_assert_eq(journal_change_get(j, id, &c, &err), 0);
	cr_expect_eq(c.before.i, 7, "undo must restore what was really there");
	jchange_release(&c);
}

/* ---------- reconciliation ---------- */

Test(journal, reconcile_decides_by_reading_the_target)
{
	int64_t run = new_run("apply");
	int64_t not_done = plan(run, 12, 0, 0); /* crashed before the set: site still 12 */
	reconcile_report rep;
	char *err = NULL;
	cr_assert_eq(journal_reconcile(j, t, &rep, &err), 0, "%s", err ? err : "");
	cr_expect_eq(rep.not_applied, 1);
	cr_expect_eq(tu_change_state(j, not_done), CH_NOT_APPLIED);

	int64_t done = plan(run, 12, 0, 0); /* crashed after the set */
	site_set_mif(0);
	cr_assert_eq(journal_reconcile(j, t, &rep, &err), 0);
	cr_expect_eq(rep.applied, 1);
	cr_expect_eq(tu_change_state(j, done), CH_APPLIED);

	int64_t other = plan(run, 0, 4, 0); /* someone else changed it meanwhile */
	site_set_mif(9);
	cr_assert_eq(journal_reconcile(j, t, &rep, &err), 0);
	cr_expect_eq(rep.conflicts, 1);
	cr_expect_eq(tu_change_state(j, other), CH_CONFLICT);

	/* Reconciling twice is harmless: nothing is planned any more. */
	cr_assert_eq(journal_reconcile(j, t, &rep, &err), 0);
	cr_expect_eq(rep.applied + rep.not_applied + rep.conflicts, 0);
	cr_expect_eq(tu_change_state(j, done), CH_APPLIED);

	jchange *v;
	size_t n;
	cr_assert_eq(journal_unresolved(j, t->spec, NULL, &v, &n, &err), 0);
	cr_expect_eq(n, 1, "the conflict blocks new changes");
	jchanges_free(v, n);
	change_state out;
	cr_assert_eq(journal_resolve(j, t, other, &out, &err), 0, "%s", err ? err : "");
	cr_expect_eq(out, CH_RESOLVED);
	cr_assert_eq(journal_unresolved(j, t->spec, NULL, &v, &n, &err), 0);
	cr_expect_eq(n, 0);
	jchanges_free(v, n);
}

Test(journal, resolve_prefers_agreement_with_the_site)
{
	int64_t run = new_run("apply");
	int64_t id = plan(run, 12, 0, 0);
	site_set_mif(5);
	reconcile_report rep;
	char *err = NULL;
	cr_assert_eq(journal_reconcile(j, t, &rep, &err), 0);
	cr_assert_eq(tu_change_state(j, id), CH_CONFLICT);
	site_set_mif(0); /* the operator finished the change by hand */
	change_state out;
	cr_assert_eq(journal_resolve(j, t, id, &out, &err), 0);
	cr_expect_eq(out, CH_APPLIED);
	cr_expect_eq(tu_change_state(j, id), CH_APPLIED, "so it can still be undone");
}

Test(journal, undoable_lists_applied_changes_newest_first)
{
	int64_t run = new_run("apply");
	int64_t a = plan(run, 12, 0, 0), b = plan(run, 0, 3, 0), c = plan(run, 3, 4, 0);
	cr_assert(mark(a, CH_APPLIED) && mark(b, CH_APPLIED) && mark(c, CH_FAILED));
	jchange *v;
	size_t n;
	char *err = NULL;
	cr_assert_eq(journal_undoable(j, t->spec, NULL, UNDO_RUN, run, &v, &n, &err), 0);
	cr_assert_eq(n, 2);
	cr_expect_eq(v[0].id, b);
	cr_expect_eq(v[1].id, a);
	jchanges_free(v, n);
	cr_assert_eq(journal_undoable(j, "lab:elsewhere", NULL, UNDO_RUN, run, &v, &n, &err), 0);
	cr_expect_eq(n, 0, "another target's changes are never undone here");
	jchanges_free(v, n);
}

/* ---------- tamper evidence ---------- */

static void fill(void)
{
	int64_t run = new_run("apply");
	for (int i = 0; i < 3; i++) {
		int64_t id = plan(run, i, i + 1, 0);
		cr_assert(mark(id, CH_APPLIED));
	}
	char *err = NULL;
	cr_assert_eq(journal_run_end(j, run, "pass", &err), 0);
}

/* Edits the file behind the journal's back, as an attacker with the file would. */
static void tamper(const char *sql)
{
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(jpath, &db), SQLITE_OK);
	char *e = NULL;
	int rc = sqlite3_exec(db, "DROP TRIGGER IF EXISTS log_no_update; DROP TRIGGER IF EXISTS log_no_delete;", NULL,
			      NULL, &e);
	cr_assert_eq(rc, SQLITE_OK, "%s", e ? e : "");
	rc = sqlite3_exec(db, sql, NULL, NULL, &e);
	cr_assert_eq(rc, SQLITE_OK, "%s: %s", sql, e ? e : "");
	sqlite3_close(db);
}

static char *verify(int want, const char *head)
{
	strbuf rep = STRBUF_INIT;
	char *err = NULL, *h = NULL;
	int r = journal_verify(j, head, &rep, &h, &err);
	cr_assert_eq(r, want, "verify returned %d: %s%s", r, sb_str(&rep), err ? err : "");
	free(h);
	return sb_detach(&rep);
}

static char *head_now(void)
{
	strbuf rep = STRBUF_INIT;
	char *err = NULL, *h = NULL;
	cr_assert_eq(journal_verify(j, NULL, &rep, &h, &err), 0);
	sb_release(&rep);
	return h;
}

Test(journal, intact_journal_verifies)
{
	fill();
	free(verify(0, NULL));
}

Test(journal, the_log_refuses_updates)
{
	fill();
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(jpath, &db), SQLITE_OK);
	cr_expect_neq(sqlite3_exec(db, "UPDATE log SET data = 'x' WHERE seq = 1", NULL, NULL, NULL), SQLITE_OK);
	cr_expect_neq(sqlite3_exec(db, "DELETE FROM log WHERE seq = 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

Test(journal, altered_log_row_is_named)
{
	fill();
	tamper("UPDATE log SET data = replace(data, 'state=t7:planned', 'state=t7:applied') WHERE seq = 5");
	char *r = verify(1, NULL);
	cr_expect(strstr(r, "log row 5 was altered") != NULL, "%s", r);
	free(r);
}

Test(journal, deleted_log_row_is_named)
{
	fill();
	tamper("DELETE FROM log WHERE seq = 4");
	char *r = verify(1, NULL);
	cr_expect(strstr(r, "log row 4 was deleted") != NULL, "%s", r);
	free(r);
}

Test(journal, inserted_log_row_is_named)
{
	fill();
	/* Make room in the middle, as an insertion must, and forge a row there. */
	tamper("UPDATE log SET seq = seq + 1000 WHERE seq >= 6; UPDATE log SET seq = seq - 999 WHERE seq >= 1006;"
	       "INSERT INTO log(seq, at, event, tbl, row_id, data, hash) SELECT 6, at, event, tbl, row_id, data, hash"
	       " FROM log WHERE seq = 5;");
	char *r = verify(1, NULL);
	cr_expect(strstr(r, "log row 6 was altered or inserted") != NULL, "%s", r);
	free(r);
}

Test(journal, altered_table_row_is_named)
{
	fill();
	tamper("UPDATE changes SET before = 'i:99' WHERE id = 2");
	char *r = verify(1, NULL);
	cr_expect(strstr(r, "changes row 2 was altered") != NULL, "%s", r);
	free(r);
}

Test(journal, deleted_and_inserted_table_rows_are_named)
{
	fill();
	tamper("DELETE FROM changes WHERE id = 3;"
	       "INSERT INTO results(session, check_id, status, at) VALUES (1, 'x', 'pass', 'now')");
	char *r = verify(1, NULL);
	cr_expect(strstr(r, "changes row 3 was deleted") != NULL, "%s", r);
	cr_expect(strstr(r, "results row 1 was inserted") != NULL, "%s", r);
	free(r);
}

Test(journal, an_earlier_head_is_proved_and_a_cut_tail_is_seen)
{
	fill();
	char *h1 = head_now();
	fill();
	free(verify(0, h1)); /* the old head is still in the longer chain */
	char *h2 = head_now();
	char *sql = xasprintf("DELETE FROM log WHERE seq > %lld; DELETE FROM changes WHERE run = 2;"
			      " DELETE FROM fix_runs WHERE id = 2; DELETE FROM sessions WHERE id = 2;",
			      strtoll(h1, NULL, 10));
	tamper(sql);
	free(sql);
	/* Cutting the newest rows leaves a valid shorter chain; only the head shows it. */
	char *r = verify(1, h2);
	cr_expect(strstr(r, "is not in the chain") != NULL, "%s", r);
	free(r);
	free(verify(0, h1));
	free(h1);
	free(h2);
	strbuf rep = STRBUF_INIT;
	char *err = NULL, *h = NULL;
	cr_expect_eq(journal_verify(j, "12:nothex", &rep, &h, &err), -1, "a malformed head is an error");
	free(err);
	sb_release(&rep);
}

/* ---------- the file ---------- */

Test(journal, file_is_0600_and_wal)
{
	struct stat st;
	cr_assert_eq(stat(jpath, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0600);
	sqlite3 *db;
	sqlite3_open(jpath, &db);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	cr_expect_str_eq((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	sqlite3_close(db);
}

Test(journal, newer_schema_and_foreign_files_are_refused)
{
	journal_close(j);
	j = NULL;
	tamper("PRAGMA user_version = 99");
	journal *k = NULL;
	char *err = NULL;
	cr_expect_eq(journal_open(jpath, &k, &err), -1);
	cr_expect(err && strstr(err, "newer"), "%s", err ? err : "");
	free(err);
	err = NULL;
	char *foreign = xasprintf("%s/foreign.db", home);
	tu_write(home, "foreign.db", "not a database at all");
	cr_expect_eq(journal_open(foreign, &k, &err), -1);
	free(err);
	FILE *f = fopen(foreign, "r");
	char buf[64] = {0};
	cr_assert(fgets(buf, sizeof buf, f));
	fclose(f);
	cr_expect_str_eq(buf, "not a database at all", "a foreign file is left untouched");
	free(foreign);
}

/* ---------- through the binary ---------- */

static int run_cmd(const char *args)
{
	const char *bin = getenv("CMHARDEN");
	cr_assert(bin, "the test harness sets CMHARDEN");
	char *cmd = xasprintf("'%s' --journal '%s' --target 'lab:%s' %s >/dev/null 2>&1", bin, jpath, labfile, args);
	int st = system(cmd);
	free(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

Test(journal, undo_refuses_drift_unless_forced)
{
	cr_assert_eq(run_cmd("fix inv.disable-mif.disable --yes"), 0);
	cr_assert_eq(site_mif(), 0);
	site_set_mif(5); /* someone changed it after the fix */
	cr_expect_eq(run_cmd("undo --session --yes"), 1, "drift is refused");
	cr_expect_eq(site_mif(), 5, "and left alone");
	cr_expect_eq(run_cmd("undo --session --yes --force"), 0);
	cr_expect_eq(site_mif(), 12, "--force restores the value before the fix");
}

Test(journal, an_unknown_outcome_blocks_new_changes_until_resolved)
{
	setenv("CMHARDEN_CRASH_AT", "after-plan", 1);
	cr_assert_eq(run_cmd("fix inv.disable-mif.disable --yes"), 128 + 9, "killed between plan and set");
	unsetenv("CMHARDEN_CRASH_AT");
	site_set_mif(3); /* neither before (12) nor after (0): a conflict */
	cr_expect_eq(run_cmd("fix inv.disable-mif.disable --yes"), 2, "no new change while in conflict");
	cr_expect_eq(site_mif(), 3);
	cr_expect_eq(run_cmd("undo --session --yes"), 2, "nor an undo");
	cr_expect_eq(run_cmd("journal resolve 1"), 0);
	cr_expect_eq(run_cmd("fix inv.disable-mif.disable --yes"), 0, "resolved: work goes on");
	cr_expect_eq(site_mif(), 0);
	cr_expect_eq(run_cmd("journal verify"), 0);
}

/* ---------- fixes/SECTION.yaml: loader and lint ---------- */

#include "content/catalog.h"
#include "content/fix.h"

/* Lints one fixes file against the shipped checklist; returns every message. */
static char *lint_fixes(const char *yaml)
{
	char *dir = tu_tempdir();
	tu_write(dir, "fixes/t.yaml", yaml);
	catalog cat;
	diags d;
	diags_init(&d);
	cr_assert_eq(catalog_load(&cat, tu_content(), &d), 0);
	fixes_lint(dir, &cat, &d);
	strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < d.n; i++)
		sb_addf(&sb, "%s:%d:%d: %s\n", strrchr(d.items[i].file, '/') + 1, d.items[i].line, d.items[i].col,
			d.items[i].msg);
	diags_release(&d);
	catalog_release(&cat);
	tu_rmrf(dir);
	free(dir);
	return sb_detach(&sb);
}

#define EXPECT_DIAG(out, text) cr_expect(strstr(out, text) != NULL, "want '%s' in:\n%s", text, out)

Test(fixes, the_shipped_fixes_lint_clean)
{
	catalog cat;
	diags d;
	diags_init(&d);
	cr_assert_eq(catalog_load(&cat, tu_content(), &d), 0);
	fixset fs;
	cr_expect_eq(fixes_load(&fs, tu_content(), &cat, &d), 0, "%s", d.n ? d.items[0].msg : "");
	const check *k = catalog_find(&cat, "inv.disable-mif");
	const fix *f = fix_for_check(&fs, k);
	cr_assert(f);
	cr_expect_str_eq(f->steps[0].path, "Props[MIF Collection].Value", "paths are canonical");
	fixes_release(&fs);
	diags_release(&d);
	catalog_release(&cat);
}

Test(fixes, mistakes_are_reported_with_their_position)
{
	char *out = lint_fixes("fixes:\n"
			       "  - id: inv.disable-mif.x\n"
			       "    title: T\n"
			       "    check: inv.disable-mif\n"
			       "    colour: red\n"
			       "    steps:\n"
			       "      - set: \"Props['MIF Collection'.Value\"\n"
			       "        value: 0\n"
			       "      - set: Flags\n"
			       "        value: 1\n"
			       "        set_bits: 0x10\n"
			       "      - set: Flags\n"
			       "        clear_bits: 0x18\n"
			       "        set_bits: 0x10\n"
			       "      - set: Flags\n"
			       "        clear_bits: lots\n"
			       "      - script: run.ps1\n"
			       "  - id: no.such-check.fix\n"
			       "    title: T\n"
			       "    check: no.such-check\n"
			       "    steps: none\n"
			       "  - id: console.least-privilege.x\n"
			       "    title: T\n"
			       "    check: console.least-privilege\n"
			       "    steps:\n"
			       "      - set: Members\n"
			       "        value: []\n"
			       "        requires: \"Name in select(LocalGroup, Name)\"\n"
			       "        unmet: x\n");
	EXPECT_DIAG(out, "t.yaml:5:5: unknown key 'colour' in a fix");
	EXPECT_DIAG(out, "t.yaml:7:37: property path: expected ']' after the quoted name");
	EXPECT_DIAG(out, "t.yaml:9:9: a set step has either 'value' or 'clear_bits'/'set_bits', not both");
	EXPECT_DIAG(out, "t.yaml:12:9: 'clear_bits' and 'set_bits' overlap (0x10)");
	EXPECT_DIAG(out, "t.yaml:16:21: 'clear_bits' must be a non-negative integer");
	EXPECT_DIAG(out, "t.yaml:17:17: no script 'run.ps1' in fixes/scripts/");
	EXPECT_DIAG(out, "t.yaml:20:12: unknown check 'no.such-check'");
	EXPECT_DIAG(out, "t.yaml:21:12: 'steps' must be a list, not a scalar");
	EXPECT_DIAG(out, "a set step needs an automated check");
	EXPECT_DIAG(out, "'requires' may read only the object itself (no select())");
	EXPECT_DIAG(out, "check 'inv.disable-mif' (");
	EXPECT_DIAG(out, "does not list this fix in its 'fixes:'");
	/* The shipped checks list fixes this directory does not define. */
	EXPECT_DIAG(out, "11-inv.yaml:");
	EXPECT_DIAG(out, "lists fix 'inv.disable-mif.disable', which no file in fixes/ defines");
	free(out);
}

Test(fixes, bit_operations_need_an_integer)
{
	fix_step s = {.kind = STEP_SET, .path = "Flags", .op = SET_BITS, .clear_bits = 0x88, .set_bits = 0x10};
	value cur = value_int(0x2088), out;
	char *err = NULL;
	cr_assert_eq(fix_step_value(&s, &cur, &out, &err), 0);
	cr_expect_eq(out.i, 0x2010);
	value str = value_str("x");
	cr_expect_eq(fix_step_value(&s, &str, &out, &err), -1);
	cr_expect(err && strstr(err, "not an integer"));
	free(err);
	value_clear(&str);
}

/* A damaged journal: the change an undo reverts is gone, or the change itself
 * is. Marking it fails with a message and rolls back; nothing uninitialised
 * is read or freed (it was: an invalid free, found by clang's analyzer). */
Test(journal, marking_an_undo_whose_original_is_gone_fails_cleanly)
{
	int64_t run = new_run("apply");
	int64_t orig = plan(run, 12, 0, 0);
	cr_assert(mark(orig, CH_APPLIED));
	int64_t u = plan(new_run("undo"), 0, 12, orig);
	char *sql = xasprintf("DELETE FROM changes WHERE id = %lld", (long long)orig);
	tamper(sql);
	free(sql);
	char *err = NULL;
	cr_expect_eq(journal_change_mark(j, u, CH_APPLIED, NULL, &err), -1);
	cr_expect(err && strstr(err, "there is no change"), "the missing change is named: %s", err ? err : "(none)");
	free(err);
	cr_expect_eq(tu_change_state(j, u), CH_PLANNED, "the failed transaction was rolled back");
}

Test(journal, marking_a_change_that_is_not_there_fails_cleanly)
{
	char *err = NULL;
	cr_expect_eq(journal_change_mark(j, 424242, CH_APPLIED, NULL, &err), -1);
	cr_expect(err && strstr(err, "there is no change 424242"), "%s", err ? err : "(none)");
	free(err);
}
