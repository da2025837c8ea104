/* keymap.c — the binding table (see keymap.h). Order matters: the first
 * binding of a key that applies to a scope wins, so screen-specific bindings
 * come before the global ones, and the first binding of an action in a scope
 * is the one whose hint the status bar shows. */
#include "config.h"
#include "ui.h"
#include "base/i18n.h"

#include <stdio.h>

#define CTRL(c) ((c) & 0x1f)
#define K(c) (wint_t)(c), false
#define F(c) (wint_t)(c), true

static const binding bindings[] = {
	/* Dialogs: message, confirm. */
	{SC_DIALOG, K('\n'), ACT_ACCEPT, N_("choose"), NULL},
	{SC_DIALOG, F(KEY_ENTER), ACT_ACCEPT, NULL, NULL},
	{SC_DIALOG, K('y'), ACT_YES, NULL, NULL},
	{SC_DIALOG, K('n'), ACT_NO, NULL, NULL},
	{SC_DIALOG | SC_INPUT, K('\t'), ACT_NEXT_FIELD, N_("next"), NULL},
	{SC_DIALOG, F(KEY_RIGHT), ACT_NEXT_FIELD, NULL, NULL},
	{SC_DIALOG | SC_INPUT, F(KEY_BTAB), ACT_PREV_FIELD, NULL, NULL},
	{SC_DIALOG, F(KEY_LEFT), ACT_PREV_FIELD, NULL, NULL},
	{SC_DIALOG, K(27), ACT_BACK, N_("cancel"), N_("Close the dialog without doing anything")},
	{SC_DIALOG, K('q'), ACT_BACK, NULL, N_("Close the dialog without doing anything")},
	{SC_DIALOG, F(KEY_UP), ACT_UP, NULL, N_("Scroll the text up")},
	{SC_DIALOG, F(KEY_DOWN), ACT_DOWN, NULL, N_("Scroll the text down")},
	{SC_DIALOG, F(KEY_PPAGE), ACT_PGUP, NULL, NULL},
	{SC_DIALOG, F(KEY_NPAGE), ACT_PGDN, NULL, NULL},
	{SC_DIALOG, K('?'), ACT_HELP, NULL, NULL},
	{SC_DIALOG | SC_INPUT, F(KEY_F(1)), ACT_HELP, NULL, NULL},

	/* Text entry: printable keys are text; these are what remains. */
	{SC_INPUT, K('\n'), ACT_ACCEPT, N_("accept"), NULL},
	{SC_INPUT, F(KEY_ENTER), ACT_ACCEPT, NULL, NULL},
	{SC_INPUT, K(27), ACT_BACK, N_("cancel"), N_("Close the dialog without doing anything")},
	{SC_INPUT, F(KEY_UP), ACT_PREV_FIELD, NULL, NULL},
	{SC_INPUT, F(KEY_DOWN), ACT_NEXT_FIELD, NULL, NULL},

	/* Start screen. */
	{SC_START, K('\n'), ACT_CONTINUE, N_("continue"), NULL},
	{SC_START, F(KEY_ENTER), ACT_CONTINUE, NULL, NULL},
	{SC_START, K('w'), ACT_WALK, N_("walk"), NULL},
	{SC_START, K('r'), ACT_RESUME, N_("re-run"), NULL},
	{SC_START, K('d'), ACT_DOCTOR, NULL, NULL}, /* in the help (?), not the hints */

	/* Sections overview. */
	{SC_SECTIONS, K('\n'), ACT_OPEN, N_("open"), N_("Open the selected section and run its checks")},
	{SC_SECTIONS, F(KEY_ENTER), ACT_OPEN, NULL, NULL},
	{SC_SECTIONS, K('w'), ACT_WALK, N_("walk"), NULL},
	{SC_SECTIONS, K('r'), ACT_RUN, N_("run all"), N_("Run every check of the checklist now")},
	{SC_SECTIONS, K('1'), ACT_JUMP, NULL, NULL},
	{SC_SECTIONS, K('2'), ACT_JUMP, NULL, NULL},
	{SC_SECTIONS, K('3'), ACT_JUMP, NULL, NULL},
	{SC_SECTIONS, K('4'), ACT_JUMP, NULL, NULL},
	{SC_SECTIONS, K('5'), ACT_JUMP, NULL, NULL},
	{SC_SECTIONS, K('6'), ACT_JUMP, NULL, NULL},
	{SC_SECTIONS, K('7'), ACT_JUMP, NULL, NULL},
	{SC_SECTIONS, K('8'), ACT_JUMP, NULL, NULL},
	{SC_SECTIONS, K('9'), ACT_JUMP, NULL, NULL},
	{SC_SECTIONS, K('0'), ACT_JUMP, NULL, NULL},
	{SC_SECTIONS | SC_JOURNAL, K('E'), ACT_REPORT, N_("report"), NULL},
	{SC_SECTIONS, K('A'), ACT_PATHS, N_("paths"), NULL},
	{SC_START | SC_SECTIONS, K('R'), ACT_RECONNECT, NULL, NULL}, /* in the help, not the hints */

	/* A section. */
	{SC_SECTION, K('c'), ACT_CANCEL, N_("cancel"), NULL},
	{SC_SECTION, K('\n'), ACT_OPEN, N_("open"), N_("Open the selected check")},
	{SC_SECTION, F(KEY_ENTER), ACT_OPEN, NULL, NULL},
	{SC_SECTION, K('n'), ACT_NEXT, N_("next section"), N_("Go to the next section and run its checks")},
	{SC_SECTION, K('p'), ACT_PREV, N_("prev"), N_("Go to the previous section")},
	{SC_SECTION, K('r'), ACT_RUN, N_("re-run"), NULL},

	/* A check. */
	{SC_CHECK, K('f'), ACT_FIX, N_("fix"), NULL},
	{SC_CHECK, K('r'), ACT_RUN, N_("re-run"), N_("Run this check again, reading the site afresh")},
	{SC_CHECK, K('a'), ACT_ATTEST, N_("attest"), NULL},
	{SC_CHECK, K('w'), ACT_WAIVE, N_("waive"), NULL},
	{SC_CHECK, K('n'), ACT_NEXT, N_("next"), N_("Next check of this section")},
	{SC_CHECK, K('p'), ACT_PREV, N_("prev"), N_("Previous check of this section")},
	{SC_CHECK, K('\t'), ACT_NEXT_TABLE, N_("table"), NULL},
	{SC_CHECK, K('\n'), ACT_OPEN, NULL, N_("Show every property of the selected evidence row")},
	{SC_CHECK, F(KEY_ENTER), ACT_OPEN, NULL, NULL},
	{SC_CHECK, F(KEY_LEFT), ACT_LEFT, NULL, NULL},
	{SC_CHECK, K('h'), ACT_LEFT, NULL, NULL},
	{SC_CHECK, F(KEY_RIGHT), ACT_RIGHT, NULL, NULL},
	{SC_CHECK, K('l'), ACT_RIGHT, NULL, NULL},

	{SC_SECTIONS | SC_SECTION | SC_CHECK, K('/'), ACT_FILTER, N_("filter"), NULL},

	/* Fix preview and manual steps. */
	{SC_FIX, K(' '), ACT_TOGGLE, N_("select"), NULL},
	{SC_FIX, K('a'), ACT_APPLY, N_("apply"), NULL},
	{SC_FIX, K('\n'), ACT_APPLY, NULL, NULL},
	{SC_MANUAL, K('d'), ACT_DONE, N_("done"), NULL},

	/* Journal. */
	{SC_JOURNAL, K('u'), ACT_UNDO, N_("undo"), NULL},
	{SC_JOURNAL, K('U'), ACT_UNDO_RUN, N_("undo run"), NULL},
	{SC_JOURNAL, K('S'), ACT_UNDO_SESSION, N_("undo session"), NULL},
	{SC_JOURNAL, K('R'), ACT_RESOLVE, N_("resolve"), NULL},
	{SC_JOURNAL, K('\n'), ACT_OPEN, NULL, N_("Show the selected change in full")},
	{SC_JOURNAL, F(KEY_ENTER), ACT_OPEN, NULL, NULL},

	/* Moving around. */
	{SC_LIST, F(KEY_UP), ACT_UP, NULL, NULL},
	{SC_LIST, K('k'), ACT_UP, NULL, NULL},
	{SC_LIST, F(KEY_DOWN), ACT_DOWN, NULL, NULL},
	{SC_LIST, K('j'), ACT_DOWN, NULL, NULL},
	{SC_LIST, F(KEY_PPAGE), ACT_PGUP, NULL, NULL},
	{SC_LIST, K('b'), ACT_PGUP, NULL, NULL},
	{SC_LIST, F(KEY_NPAGE), ACT_PGDN, NULL, NULL},
	{SC_LIST, K(' '), ACT_PGDN, NULL, NULL},
	{SC_LIST, F(KEY_HOME), ACT_HOME, NULL, NULL},
	{SC_LIST, K('g'), ACT_HOME, NULL, NULL},
	{SC_LIST, F(KEY_END), ACT_END, NULL, NULL},
	{SC_LIST, K('G'), ACT_END, NULL, NULL},

	/* Everywhere (full screens). */
	{SC_GLOBAL, K('J'), ACT_JOURNAL, N_("journal"), NULL},
	{SC_GLOBAL, K('?'), ACT_HELP, N_("help"), NULL},
	{SC_GLOBAL, F(KEY_F(1)), ACT_HELP, NULL, NULL},
	{SC_GLOBAL, K('q'), ACT_BACK, N_("back"), NULL},
	{SC_GLOBAL, K(27), ACT_BACK, NULL, NULL},
	{SC_GLOBAL, F(KEY_BACKSPACE), ACT_BACK, NULL, NULL},
	{SC_GLOBAL, K('Q'), ACT_QUIT, N_("quit"), NULL},
	{SC_GLOBAL | SC_INPUT, F(KEY_F(10)), ACT_QUIT, NULL, NULL},
	{SC_GLOBAL | SC_DIALOG | SC_INPUT, K(CTRL('l')), ACT_REDRAW, NULL, NULL},
};

ui_action keymap_lookup(unsigned scope, wint_t key, bool fkey)
{
	for (size_t i = 0; i < ARRAY_SIZE(bindings); i++)
		if ((bindings[i].scopes & scope) && bindings[i].key == key && bindings[i].fkey == fkey)
			return bindings[i].act;
	return ACT_NONE;
}

const binding *keymap_bindings(size_t *n)
{
	*n = ARRAY_SIZE(bindings);
	return bindings;
}

const char *action_help(ui_action a)
{
	static const char *help[ACT_COUNT] = {
#define X(name, h) h,
		UI_ACTIONS(X)
#undef X
	};
	return help[a][0] ? _(help[a]) : "";
}

const char *key_label(wint_t key, bool fkey)
{
	static char buf[16];
	if (fkey) {
		if (key >= KEY_F(1) && key <= KEY_F(12)) {
			snprintf(buf, sizeof buf, "F%d", (int)(key - KEY_F0));
			return buf;
		}
		switch (key) {
		case KEY_UP: return ui_utf8 ? "↑" : "Up";
		case KEY_DOWN: return ui_utf8 ? "↓" : "Down";
		case KEY_LEFT: return ui_utf8 ? "←" : "Left";
		case KEY_RIGHT: return ui_utf8 ? "→" : "Right";
		case KEY_PPAGE: return "PgUp";
		case KEY_NPAGE: return "PgDn";
		case KEY_HOME: return "Home";
		case KEY_END: return "End";
		case KEY_ENTER: return "Enter";
		case KEY_BTAB: return "S-Tab";
		case KEY_BACKSPACE: return "BkSp";
		default: return "?";
		}
	}
	switch (key) {
	case '\n': return "Enter";
	case '\t': return "Tab";
	case 27: return "Esc";
	case ' ': return _("Space");
	default: break;
	}
	if (key < 0x20) {
		snprintf(buf, sizeof buf, "^%c", (char)(key + '@'));
		return buf;
	}
	snprintf(buf, sizeof buf, "%lc", (wint_t)key);
	return buf;
}
