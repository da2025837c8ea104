/* ui.h — what the screens, widgets and the main loop of the wizard share.
 *
 * The wizard is a stack of screens. The bottom of the stack is the sections
 * overview (or the start screen above it); dialogs are screens too, drawn on
 * top of the screen below them ("overlay"). Every redraw lays out from scratch
 * from the terminal size and the screens' own state (cursor, scroll offsets),
 * so a resize needs no special path: KEY_RESIZE just redraws.
 *
 * Long work (running checks) is cut into units that the main loop runs between
 * keystrokes, so Esc can cancel and a redraw shows progress; a screen that has
 * work pending is "in flight", and quitting then asks first.
 *
 * Presentation only: verdicts come from the engine, changes from src/. The
 * app struct holds the src/ objects the screens show. */
#ifndef CMH_UI_H
#define CMH_UI_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "content/catalog.h"
#include "session/session.h"
#include "check/engine.h"
#include "content/fix.h"
#include "journal/journal.h"
#include "journal/query.h"
#include "journal/reconcile.h"
#include "keymap.h"
#include "remedy/remedy.h"
#include "target/target.h"
#include "theme.h"
#include "base/util.h"

#define UI_MIN_COLS 60
#define UI_MIN_ROWS 16

typedef struct ui_app ui_app;
typedef struct ui_screen ui_screen;

/* What a key means to a screen: the action bound to it (ACT_NONE if none) and
 * the key itself, for text input. */
typedef struct ui_key {
	ui_action act;
	wint_t ch;    /* the character or KEY_ code */
	bool fkey;    /* ch is a KEY_ code */
} ui_key;

typedef struct screen_ops {
	const char *name; /* used in dumps and messages, not translated */
	unsigned scope;   /* keymap scope (SCOPE_*) */
	bool overlay;     /* drawn over the screen below (dialogs) */
	bool text_input;  /* gets printable keys before they are mapped to actions */
	/* Draws into the content area (rows x cols at y0 of stdscr). */
	void (*draw)(ui_app *a, ui_screen *s, int y0, int rows, int cols);
	/* Returns true when the key was used. */
	bool (*key)(ui_app *a, ui_screen *s, const ui_key *k);
	/* May this action be used now? (hints and help grey out the rest). NULL: all. */
	bool (*enabled)(ui_app *a, ui_screen *s, ui_action act);
	/* One unit of pending work; returns true while more is pending. NULL: none. */
	bool (*work)(ui_app *a, ui_screen *s);
	/* A short, translated title for the breadcrumb. */
	const char *(*title)(ui_app *a, ui_screen *s);
	/* Holds input that leaving would lose (a typed note). NULL: never. */
	bool (*unsaved)(ui_app *a, ui_screen *s);
	/* Called when the screen above it is closed (e.g. a dialog returned). */
	void (*resumed)(ui_app *a, ui_screen *s);
	void (*destroy)(ui_screen *s);
	/* What the screen shows and how, for its help (translated). NULL: none. */
	const char *(*about)(ui_app *a, ui_screen *s);
} screen_ops;

struct ui_screen {
	const screen_ops *ops;
	bool busy;        /* work() has something to do */
};

/* The display status of a check: the engine's verdict, or not yet run. */
typedef enum {
	DS_NOT_RUN,
	DS_PASS,
	DS_FAIL,
	DS_ERROR,
	DS_NA,
	DS_ATTEST,   /* needs attestation */
	DS_ATTESTED,
	DS_WAIVED,
	DS_COUNT
} disp_status;

typedef struct sec_counts {
	size_t total, checked;
	size_t n[DS_COUNT];
} sec_counts;

typedef struct script script;

struct ui_app {
	const session_opts *g;
	core_session core;    /* the stack: content, fixes, target, engine, journal (session.h) */
	char *target_err;     /* the target could not be opened or read */
	const check **checks; /* flat, checklist order */
	size_t *sec_first;    /* index of each section's first check in checks[] */
	result *res;          /* per check */
	bool *ran;            /* res[i] holds a result */
	bool *stale;          /* res[i] came from a resumed session: read again when opened */
	char **roles;         /* "CM01: Site Server, Provider" */
	size_t nroles;
	char *briefing;       /* the lab scenario's briefing, if any */
	char **goals;         /* its goals, for people (score_goal_text) */
	size_t ngoals;
	jverdict *verd;       /* attestations and waivers in force */
	size_t nverd;
	char *journal_err;    /* the journal could not be read at start */
	bool record_failed;   /* a result could not be journaled (said once) */
	result *pending;      /* results not yet journaled (verdict and reason only) */
	size_t npending, cap_pending;
	int64_t resume;       /* the earlier session whose results are to be reopened, or 0 */
	char *resume_started;
	size_t resume_checks;
	int64_t reopened;     /* the session whose results were reopened at start, or 0 */
	char *reopened_taken; /* when its newest result was taken (ISO 8601, UTC) */
	size_t reopened_checks;

	ui_screen **stack;
	size_t depth, cap;
	char pos[48];         /* "12/40": where the cursor is, shown in the status bar */
	char *msg;            /* shown in the status bar until the next key */
	role msg_role;
	bool quit;
	bool wait_cancelled;  /* the operator cancelled a wait for the target */
	bool in_work;         /* a screen's work unit is running (the stack is consistent) */
	int rows, cols;

	script *scr;          /* scripted mode */
	unsigned long work_budget; /* scripted mode: work units allowed before the next key */
};

/* ---- app (wizard.c) ---- */
void ui_push(ui_app *a, ui_screen *s);
/* Closes and frees the top screen; the one below is told (resumed). */
void ui_pop(ui_app *a);
/* Closes and frees s wherever it is in the stack. */
void ui_remove(ui_app *a, ui_screen *s);
/* Puts s in the place of old (which is freed), or on top if old is gone. */
void ui_replace(ui_app *a, ui_screen *old, ui_screen *s);
ui_screen *ui_top(ui_app *a);
/* The screen below s in the stack, or NULL. */
ui_screen *ui_below(ui_app *a, ui_screen *s);
void ui_message(ui_app *a, role r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* After a wait for the target was cancelled on a terminal: takes back the key
 * that cancelled it (wizard.c), for a caller that answers the cancel itself. */
void ui_drop_cancel_key(ui_app *a);
/* Draws a frame at once (the message line included), before a call that blocks. */
void ui_draw_now(ui_app *a);
/* The position shown at the right of the status bar for this frame. */
void ui_position(ui_app *a, size_t cur, size_t n);

disp_status app_status(const ui_app *a, size_t idx);
void app_section_counts(const ui_app *a, size_t sec, sec_counts *c);
void app_total_counts(const ui_app *a, sec_counts *c);
/* "6 of 6 checked: 2 fail, 4 to attest" (only the counts that are not zero). */
char *app_counts_text(const sec_counts *c);
/* Percentage of counted checks that are satisfied; -1 when nothing counts yet. */
int app_score(const sec_counts *c, size_t *num, size_t *den);
/* Forgets what was read from the site, so the next run reads it again. */
void app_refresh(ui_app *a);
/* Opens the target afresh (an agent target: a new agent process), after a read
 * was cancelled or the agent's session broke; says on the message line what
 * happened. The results so far stay, marked to be read again when opened. */
void app_reconnect(ui_app *a);
/* Runs one check and keeps its result (with the operator's verdict applied). */
void app_run_check(ui_app *a, size_t idx);
/* Keeps a result computed elsewhere (after a fix); takes it over. */
void app_set_result(ui_app *a, size_t idx, result *r);
/* Reads the site again and re-runs every check that has a result. */
void app_rerun_all(ui_app *a);

int app_load(ui_app *a, const session_opts *g);
void app_release(ui_app *a);
/* Opens the journal; with create, makes it if missing. 0 (a->j may stay NULL without create) or -1. */
int app_journal(ui_app *a, bool create, char **err);
int app_load_verdicts(ui_app *a, char **err);
/* Decides planned changes from the site and lists what stays unresolved. */
int app_reconcile(ui_app *a, char **err);
/* Before the first change: journal open, reconciled, nothing unresolved, session begun.
 * 0 ready, 1 blocked by unresolved changes (*err says so), -1 error. */
int app_begin_changes(ui_app *a, char **err);
/* Journals the results run since the last call, in one transaction (the main
 * loop calls it whenever no work is pending). */
void app_flush_results(ui_app *a);
/* Runs every check afresh, from a new session (the start screen's re-run). */
void app_new_session(ui_app *a);
/* Writes the HTML audit report of the target and its journal (report_save) and
 * says where, in the status bar. */
void app_write_report(ui_app *a);

/* ---- drawing (draw.c) ---- */
typedef struct glyphs {
	const char *hline, *vline, *tl, *tr, *bl, *br;
	const char *ellipsis, *arrow, *crumb, *bullet, *left, *right;
	const char *bar_full, *bar_empty;
	const char *status[DS_COUNT];
} glyphs;

extern bool ui_utf8;      /* the terminal takes UTF-8 */
extern const glyphs *G;
/* Where the terminal cursor goes after a frame (a focused text field); -1: hidden. */
extern int ui_cursor_y, ui_cursor_x;

void draw_init(bool utf8);
/* Display width of UTF-8 text as draw_text() renders it. */
int text_width(const char *s);
/* Draws UTF-8 text at (y, x), at most `width` columns; control characters and
 * (in ASCII mode) non-ASCII characters never reach the terminal. With `cut`,
 * over-long text ends in an ellipsis. Returns the columns used. */
int draw_text(int y, int x, int width, const char *s, role r, bool cut);
/* Text that came from a site: sanitised first. */
int draw_site(int y, int x, int width, const char *s, role r, bool cut);
/* Fills a run of cells with spaces in role r. */
void draw_fill(int y, int x, int width, role r);
void draw_hline(int y, int x, int width, role r);
void draw_box(int y, int x, int h, int w, role r);
/* Pads or cuts text to exactly width columns (for aligned columns). */
void draw_cell(int y, int x, int width, const char *s, role r, bool right);

/* Word-wraps UTF-8 text to width columns; lines are new strings. */
typedef struct wrapped {
	char **lines;
	size_t n, cap;
} wrapped;
void wrap_text(wrapped *w, const char *s, int width);
void wrapped_release(wrapped *w);

/* ---- status words ---- */
const char *ds_label(disp_status d);
role ds_role(disp_status d);
/* severity_label() is the core's (content/catalog.h): reports say the same words. */

#endif
