/* ui_test_units.c — the wizard's building blocks without a screen: display
 * widths and wrapping (what keeps site text inside its columns), the key
 * language of the scripted mode, the consistency of the key-binding table, and
 * the journal queries the wizard adds (results in one transaction, resuming). */
#include "config.h"

#include <criterion/criterion.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "journal/journal.h"
#include "journal/print.h"
#include "journal/query.h"
#include "journal/reconcile.h"
#include "journal/verify.h"
#include "script.h"
#include "testutil.h"
#include "ui.h"

static void utf8_mode(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	draw_init(true);
}

Test(draw, widths_follow_the_terminal_not_the_bytes)
{
	utf8_mode();
	cr_expect_eq(text_width("abc"), 3);
	cr_expect_eq(text_width("安装"), 4, "CJK characters take two columns");
	cr_expect_eq(text_width("e\xcc\x81"), 1, "a combining accent takes none");
	cr_expect_eq(text_width("a\x1b[2Jb"), 6, "a control character is drawn as one '?'");
	cr_expect_eq(text_width("\xff\xfe"), 2, "invalid bytes are one replacement each");
	draw_init(false);
	cr_expect_eq(text_width("安装"), 2, "on an ASCII terminal every character is one '?'");
}

Test(draw, wrapping_never_exceeds_the_width)
{
	utf8_mode();
	const char *texts[] = {
		"The quick brown fox jumps over the lazy dog again and again",
		"Averyveryveryverylongwordthatdoesnotfitanywhere and more",
		"安装程序安装程序安装程序安装程序 mixed with text",
		"first paragraph\nsecond paragraph that is longer than the width",
	};
	for (size_t t = 0; t < ARRAY_SIZE(texts); t++)
		for (int w = 1; w <= 30; w++) {
			wrapped wr = {0};
			wrap_text(&wr, texts[t], w);
			cr_assert_gt(wr.n, 0);
			strbuf all = STRBUF_INIT;
			for (size_t i = 0; i < wr.n; i++) {
				int lw = text_width(wr.lines[i]);
				cr_expect(lw <= w || (lw == 2 && w == 1), "line '%s' is %d wide at width %d", wr.lines[i],
					  lw, w);
				for (const char *p = wr.lines[i]; *p; p++)
					if (*p != ' ')
						sb_addc(&all, *p);
			}
			/* Nothing is lost: the words come back in order. */
			strbuf want = STRBUF_INIT;
			for (const char *p = texts[t]; *p; p++)
				if (*p != ' ' && *p != '\n')
					sb_addc(&want, *p);
			cr_expect_str_eq(sb_str(&all), sb_str(&want), "text %zu at width %d", t, w);
			sb_release(&all);
			sb_release(&want);
			wrapped_release(&wr);
		}
}

Test(draw, words_wrap_at_spaces)
{
	utf8_mode();
	wrapped wr = {0};
	wrap_text(&wr, "one two three four", 9);
	cr_assert_eq(wr.n, 3);
	cr_expect_str_eq(wr.lines[0], "one two");
	cr_expect_str_eq(wr.lines[1], "three");
	cr_expect_str_eq(wr.lines[2], "four");
	wrapped_release(&wr);
}

/* Writes a key script into a fresh directory; returns the directory (the script is DIR/k). */
static char *write_script(const char *text, char **path)
{
	char *dir = tu_tempdir();
	tu_write(dir, "k", text);
	*path = xasprintf("%s/k", dir);
	return dir;
}

Test(script, the_key_language)
{
	char *path, *dir = write_script("# comment line\nab<Enter><Esc>\n<Resize 100x30><Dump one><DumpAttr two>"
					"<Work 3><Wait><F1><C-l><lt><PgDn>ü",
					&path);
	script s;
	cr_assert_eq(script_load(&s, path, "/tmp"), 0);
	struct {
		token_kind k;
		wint_t ch;
		bool fkey;
	} want[] = {{TK_KEY, 'a', false},	   {TK_KEY, 'b', false},	   {TK_KEY, '\n', false},
		    {TK_KEY, 27, false},	   {TK_RESIZE, 0, false},	   {TK_DUMP, 0, false},
		    {TK_DUMPATTR, 0, false},	   {TK_WORK, 0, false},	   {TK_WORK, 0, false},
		    {TK_KEY, KEY_F(1), true},	   {TK_KEY, 12, false},	   {TK_KEY, '<', false},
		    {TK_KEY, KEY_NPAGE, true}, {TK_KEY, 0xFC, false}};
	cr_assert_eq(s.n, ARRAY_SIZE(want));
	for (size_t i = 0; i < s.n; i++) {
		cr_expect_eq(s.t[i].kind, want[i].k, "token %zu", i);
		if (want[i].k == TK_KEY) {
			cr_expect_eq(s.t[i].ch, want[i].ch, "token %zu", i);
			cr_expect_eq(s.t[i].fkey, want[i].fkey, "token %zu", i);
		}
	}
	cr_expect_eq(s.t[4].cols, 100);
	cr_expect_eq(s.t[4].rows, 30);
	cr_expect_str_eq(s.t[5].name, "one");
	cr_expect_eq(s.t[7].n, 3);
	cr_expect_eq(s.t[8].n, ULONG_MAX, "<Wait> lets all work finish");
	script_release(&s);
	free(path);
	tu_rmrf(dir);
	free(dir);
}

Test(script, bad_tags_are_refused)
{
	const char *bad[] = {"<Nope>", "<Resize 100>", "<Dump ../x>", "<Work x>", "<Enter", "<Dump>"};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char *path, *dir = write_script(bad[i], &path);
		script s;
		cr_expect_eq(script_load(&s, path, "/tmp"), -1, "'%s' must be refused", bad[i]);
		script_release(&s);
		free(path);
		tu_rmrf(dir);
		free(dir);
	}
}

/* The scopes real screens have (see the screen_ops of each screen). */
static const unsigned screen_scopes[] = {
	SC_START | SC_LIST | SC_GLOBAL,	  SC_SECTIONS | SC_LIST | SC_GLOBAL,
	SC_SECTION | SC_LIST | SC_GLOBAL, SC_CHECK | SC_LIST | SC_GLOBAL,
	SC_FIX | SC_MANUAL | SC_LIST | SC_GLOBAL, SC_JOURNAL | SC_LIST | SC_GLOBAL,
	SC_HELP | SC_LIST | SC_GLOBAL,	  SC_DIALOG,
	SC_INPUT,
};

Test(keymap, every_binding_is_reachable_somewhere)
{
	size_t n;
	const binding *b = keymap_bindings(&n);
	for (size_t i = 0; i < n; i++) {
		bool reached = false;
		for (size_t s = 0; s < ARRAY_SIZE(screen_scopes) && !reached; s++)
			reached = (b[i].scopes & screen_scopes[s]) &&
				  keymap_lookup(screen_scopes[s], b[i].key, b[i].fkey) == b[i].act;
		cr_expect(reached, "binding %zu (%s for action %d) is shadowed everywhere", i,
			  key_label(b[i].key, b[i].fkey), b[i].act);
	}
}

Test(keymap, every_screen_has_help_and_a_way_back)
{
	for (size_t s = 0; s < ARRAY_SIZE(screen_scopes); s++) {
		unsigned sc = screen_scopes[s];
		if (sc == SC_INPUT) {
			cr_expect_eq(keymap_lookup(sc, KEY_F(1), true), ACT_HELP);
		} else {
			cr_expect_eq(keymap_lookup(sc, '?', false), ACT_HELP, "scope %#x", sc);
			cr_expect_eq(keymap_lookup(sc, 'q', false), ACT_BACK, "scope %#x", sc);
		}
		cr_expect_eq(keymap_lookup(sc, 27, false), ACT_BACK, "Esc goes back in scope %#x", sc);
	}
}

Test(journal, results_in_one_transaction_and_resuming)
{
	char *dir = tu_tempdir();
	char *path = xasprintf("%s/j.db", dir), *err = NULL;
	journal *j;
	cr_assert_eq(journal_open(path, &j, &err), 0, "%s", err ? err : "");
	int64_t s1 = journal_session_begin(j, "op", "lab:default", "CON (CM01)", NULL, "wizard", &err);
	cr_assert_gt(s1, 0);
	jresult_in v[] = {{"a.one", "fail", "2 of 4 do not satisfy"}, {"a.two", "pass", "all satisfy"},
			  {"a.one", "pass", "all satisfy"}};
	cr_assert_eq(journal_results_add(j, s1, v, 3, &err), 0, "%s", err ? err : "");
	char *started = NULL;
	size_t nchecks = 0;
	cr_expect_eq(journal_last_session(j, "lab:default", "wizard", &started, &nchecks, &err), s1);
	cr_expect_eq(nchecks, 2, "distinct checks");
	cr_expect_not_null(started);
	free(started);
	cr_expect_eq(journal_last_session(j, "lab:other", "wizard", &started, &nchecks, &err), 0);
	free(started);
	jresult *r;
	size_t n;
	cr_assert_eq(journal_session_results(j, s1, &r, &n, &err), 0);
	cr_assert_eq(n, 2);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(r[i].check_id, "a.one"))
			cr_expect_str_eq(r[i].status, "pass", "the newest result of a check wins");
	jresults_free(r, n);
	strbuf rep = STRBUF_INIT;
	char *head = NULL;
	cr_expect_eq(journal_verify(j, NULL, &rep, &head, &err), 0, "results are in the hash chain: %s", sb_str(&rep));
	sb_release(&rep);
	free(head);
	journal_close(j);
	tu_rmrf(dir);
	free(dir);
	free(path);
}
