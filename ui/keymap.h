/* keymap.h — actions are data (after tig's request table).
 *
 * One table of actions and one table of key bindings drive key handling, the
 * help screen (?) and the status-bar hints, so they cannot disagree. Screens
 * receive actions, not keys; only text input sees raw characters. */
#ifndef CMH_KEYMAP_H
#define CMH_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* X(name, description shown in help) */
#define UI_ACTIONS(X)                                                                       \
	X(NONE, "")                                                                         \
	X(HELP, N_("Show the keys of this screen"))                                         \
	X(BACK, N_("Go back to the previous screen"))                                       \
	X(QUIT, N_("Quit the wizard (asks first while work is in progress)"))               \
	X(REDRAW, N_("Redraw the screen"))                                                  \
	X(UP, N_("Move up"))                                                                \
	X(DOWN, N_("Move down"))                                                            \
	X(PGUP, N_("Page up"))                                                              \
	X(PGDN, N_("Page down"))                                                            \
	X(HOME, N_("Go to the top"))                                                        \
	X(END, N_("Go to the bottom"))                                                      \
	X(LEFT, N_("Scroll the evidence tables left"))                                      \
	X(RIGHT, N_("Scroll the evidence tables right"))                                    \
	X(OPEN, N_("Open the selected item"))                                               \
	X(FILTER, N_("Filter the list (type to narrow, Enter keeps, Esc clears)"))          \
	X(CONTINUE, N_("Continue to the sections of the checklist"))                        \
	X(RESUME, N_("Run every check again now (the latest results are open)"))            \
	X(DOCTOR, N_("Connection doctor: what the target can read, per site system"))     \
	X(WALK, N_("Walk the whole checklist, section after section"))                      \
	X(RUN, N_("Run the checks (again), reading the site afresh"))                       \
	X(CANCEL, N_("Cancel the checks that are running"))                                 \
	X(NEXT, N_("Next"))                                                                 \
	X(PREV, N_("Previous"))                                                             \
	X(NEXT_TABLE, N_("Jump to the next evidence table"))                                \
	X(FIX, N_("Preview the fix for this check"))                                        \
	X(ATTEST, N_("Attest this check with a note"))                                      \
	X(WAIVE, N_("Waive this check with a reason and an expiry date"))                   \
	X(JOURNAL, N_("Open the journal of changes (undo)"))                                \
	X(REPORT, N_("Write the audit report (HTML) of the site and its journal to a file")) \
	X(TOGGLE, N_("Select or deselect the object"))                                      \
	X(APPLY, N_("Apply: review what will change, then confirm"))                        \
	X(UNDO, N_("Undo the selected change"))                                             \
	X(UNDO_RUN, N_("Undo the whole fix run of the selected change"))                    \
	X(UNDO_SESSION, N_("Undo everything the session of the selected change did"))       \
	X(RESOLVE, N_("Resolve the selected conflict by reading the site again"))           \
	X(DONE, N_("Confirm that the manual steps are done"))                               \
	X(NEXT_FIELD, N_("Next field or button"))                                           \
	X(PREV_FIELD, N_("Previous field or button"))                                       \
	X(ACCEPT, N_("Choose the focused button or accept the input"))                      \
	X(YES, N_("Yes: go ahead"))                                                         \
	X(NO, N_("No: cancel"))                                                             \
	X(JUMP, N_("Go to the section of that number (two digits for 10 and on)"))          \
	X(PATHS, N_("Show the site by attack path: the checks in each technique's way"))     \
	X(RECONNECT, N_("Reconnect (start the agent afresh) after a cancelled read"))

typedef enum {
#define X(name, help) ACT_##name,
	UI_ACTIONS(X)
#undef X
	ACT_COUNT
} ui_action;

/* Where a binding applies. */
enum {
	SC_GLOBAL = 1u << 0,  /* every full screen (not dialogs) */
	SC_LIST = 1u << 1,    /* screens with a cursor or scrolling */
	SC_START = 1u << 2,
	SC_SECTIONS = 1u << 3,
	SC_SECTION = 1u << 4,
	SC_CHECK = 1u << 5,
	SC_FIX = 1u << 6,
	SC_JOURNAL = 1u << 7,
	SC_HELP = 1u << 8,
	SC_DIALOG = 1u << 9,  /* message and confirm dialogs */
	SC_INPUT = 1u << 10,  /* text-entry dialogs */
	SC_MANUAL = 1u << 11, /* manual fix steps */
	SC_PATHS = 1u << 12,  /* the attack-path view */
};

typedef struct binding {
	unsigned scopes;
	wint_t key;
	bool fkey;        /* key is a KEY_ code */
	ui_action act;
	const char *hint; /* short label for the status bar, or NULL (untranslated) */
	const char *help; /* what the action does here, if it differs (untranslated) */
} binding;

/* The action a key means in a scope (screen bindings win over global ones). */
ui_action keymap_lookup(unsigned scope, wint_t key, bool fkey);
/* Visits every binding in a scope, in table order. */
const binding *keymap_bindings(size_t *n);
/* Description of an action, translated. */
const char *action_help(ui_action a);
/* A key as shown to the user: "Enter", "F1", "^L", "q". Static buffer. */
const char *key_label(wint_t key, bool fkey);

#endif
