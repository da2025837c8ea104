/* wizard.c — the wizard's main loop, the screen stack, the frame (title bar,
 * status bar with key hints), and `cmharden wizard`.
 *
 * One loop serves the terminal and the scripted mode: it draws a frame when
 * something changed, then takes a key (from the terminal or the script) or,
 * while a screen has work pending and no key is waiting, runs one unit of that
 * work. A frame is always laid out from scratch from LINES x COLS, so
 * KEY_RESIZE needs nothing but a redraw. */
#include "config.h"
#include "wizard.h"
#include "base/i18n.h"
#include "base/sanitize.h"
#include "screens.h"
#include "script.h"
#include "term.h"
#include "ui.h"
#include "widget.h"

#include <langinfo.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- the screen stack ---- */

void ui_push(ui_app *a, ui_screen *s)
{
	GROW(a->stack, a->cap, a->depth + 1);
	a->stack[a->depth++] = s;
}

ui_screen *ui_top(ui_app *a)
{
	return a->depth ? a->stack[a->depth - 1] : NULL;
}

ui_screen *ui_below(ui_app *a, ui_screen *s)
{
	for (size_t i = 1; i < a->depth; i++)
		if (a->stack[i] == s)
			return a->stack[i - 1];
	return NULL;
}

void ui_remove(ui_app *a, ui_screen *s)
{
	for (size_t i = 0; i < a->depth; i++) {
		if (a->stack[i] != s)
			continue;
		memmove(a->stack + i, a->stack + i + 1, (a->depth - i - 1) * sizeof *a->stack);
		a->depth--;
		s->ops->destroy(s);
		ui_screen *top = ui_top(a);
		if (top && i == a->depth && top->ops->resumed)
			top->ops->resumed(a, top);
		return;
	}
}

void ui_pop(ui_app *a)
{
	if (a->depth)
		ui_remove(a, a->stack[a->depth - 1]);
}

void ui_replace(ui_app *a, ui_screen *old, ui_screen *s)
{
	for (size_t i = 0; i < a->depth; i++)
		if (a->stack[i] == old) {
			a->stack[i] = s;
			old->ops->destroy(old);
			return;
		}
	ui_push(a, s);
}

void ui_message(ui_app *a, role r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(a->msg);
	a->msg = xvasprintf(fmt, ap);
	a->msg_role = r;
	va_end(ap);
}

void ui_position(ui_app *a, size_t cur, size_t n)
{
	snprintf(a->pos, sizeof a->pos, "%zu/%zu", n ? cur + 1 : 0, n);
}

/* Something is in flight: work pending anywhere on the stack. */
static bool ui_in_flight(ui_app *a)
{
	for (size_t i = 0; i < a->depth; i++)
		if (a->stack[i]->busy)
			return true;
	return false;
}

static void quit_answer(ui_app *a, void *ud, int button)
{
	if (button == 0)
		a->quit = true;
}

/* Input typed on some screen and not yet recorded (a note in a form). */
static bool ui_unsaved(ui_app *a)
{
	for (size_t i = 0; i < a->depth; i++)
		if (a->stack[i]->ops->unsaved && a->stack[i]->ops->unsaved(a, a->stack[i]))
			return true;
	return false;
}

/* Asks before quitting if something is in flight. */
static void ui_request_quit(ui_app *a)
{
	const char *buttons[] = {_("Quit"), _("Keep working")};
	if (ui_in_flight(a))
		ui_push(a, dialog_new(_("Quit while work is in progress?"),
				      _("Checks are running or changes are being made. If you quit now, what has not "
					"started yet will not happen: checks not run have no result, changes not made are "
					"not made. Every change already made is in the journal and can be undone."),
				      buttons, 2, 1, quit_answer, NULL));
	else if (ui_unsaved(a))
		ui_push(a, dialog_new(_("Quit without recording what you typed?"),
				      _("A form holds text you typed that has not been recorded. If you quit now, it is "
					"lost. Everything recorded before is in the journal."),
				      buttons, 2, 1, quit_answer, NULL));
	else
		a->quit = true;
}

/* ---- the frame ---- */

static unsigned screen_scope(const ui_screen *s)
{
	return s->ops->scope | (s->ops->overlay ? 0u : SC_GLOBAL);
}

static bool action_enabled(ui_app *a, ui_screen *s, ui_action act)
{
	return !s->ops->enabled || s->ops->enabled(a, s, act);
}

/* Status-bar hints for a screen, from the keymap. */
static void draw_hints(ui_app *a, ui_screen *s, int y, int cols)
{
	size_t n;
	const binding *b = keymap_bindings(&n);
	unsigned scope = screen_scope(s);
	bool shown[ACT_COUNT] = {false};
	draw_fill(y, 0, cols, R_STATUS);
	/* "? help" is kept at the right end whatever else has to go. */
	const binding *help = NULL;
	for (size_t i = 0; i < n; i++)
		if ((b[i].scopes & scope) && b[i].act == ACT_HELP && b[i].hint) {
			help = &b[i];
			break;
		}
	int right = cols;
	if (a->pos[0] && !s->ops->overlay) {
		int w = text_width(a->pos);
		right -= w + 2;
		draw_text(y, right + 1, w, a->pos, R_STATUS, false);
	}
	if (help) {
		const char *kn = key_label(help->key, help->fkey);
		int w = text_width(kn) + 1 + text_width(_(help->hint)) + 1;
		right -= w;
		int x = right;
		x += draw_text(y, x, cols - x, kn, R_HINT_KEY, false);
		x += draw_text(y, x, 1, " ", R_STATUS, false);
		draw_text(y, x, cols - x, _(help->hint), R_STATUS, true);
		shown[ACT_HELP] = true;
	}
	int x = 1;
	for (size_t i = 0; i < n; i++) {
		if (!(b[i].scopes & scope) || !b[i].hint || shown[b[i].act])
			continue;
		/* A key taken by an earlier binding in this scope is not this action's. */
		if (keymap_lookup(scope, b[i].key, b[i].fkey) != b[i].act)
			continue;
		shown[b[i].act] = true;
		if (!action_enabled(a, s, b[i].act))
			continue;
		/* On the first screen, going back is quitting. */
		const char *hint = _(b[i].hint);
		if (a->depth == 1 && b[i].act == ACT_QUIT)
			continue;
		if (a->depth == 1 && b[i].act == ACT_BACK)
			hint = _("quit");
		const char *kn = key_label(b[i].key, b[i].fkey);
		int w = text_width(kn) + 1 + text_width(hint);
		if (x + w > right - 2)
			break;
		x += draw_text(y, x, w, kn, R_HINT_KEY, false);
		x += draw_text(y, x, 1, " ", R_STATUS, false);
		x += draw_text(y, x, right - x, hint, R_STATUS, false);
		x += 2;
	}
}

static void draw_title(ui_app *a, size_t base)
{
	int cols = COLS;
	draw_fill(0, 0, cols, R_TITLE);
	char *site = xasprintf(" %s %s %s ", a->core.e.site.code ? a->core.e.site.code : "?", G->bullet, a->core.t->spec);
	char *clean = sanitize_dup(site, 200);
	int sw = text_width(clean);
	if (sw > cols / 3)
		sw = 0;
	const char **crumbs = xcalloc(base + 1, sizeof *crumbs);
	size_t nc = 0;
	for (size_t i = 0; i <= base; i++) {
		if (a->stack[i]->ops->overlay)
			continue;
		const char *t = a->stack[i]->ops->title ? a->stack[i]->ops->title(a, a->stack[i]) : NULL;
		if (t)
			crumbs[nc++] = t;
	}
	/* Where the operator is now matters most: when the trail does not fit,
	 * its first steps give way to "…" (the screen's own title stays). */
	strbuf sb = STRBUF_INIT;
	for (size_t from = 0; from < nc; from++) {
		sb_reset(&sb);
		sb_adds(&sb, " cmharden");
		if (from)
			sb_addf(&sb, " %s %s", G->crumb, G->ellipsis);
		for (size_t i = from; i < nc; i++)
			sb_addf(&sb, " %s %s", G->crumb, crumbs[i]);
		if (text_width(sb_str(&sb)) <= cols - sw - 1 || from + 1 == nc)
			break;
	}
	if (!nc)
		sb_adds(&sb, " cmharden");
	free(crumbs);
	draw_text(0, 0, cols - sw - 1, sb_str(&sb), R_TITLE, true);
	if (sw)
		draw_text(0, cols - sw, sw, clean, R_TITLE, false);
	sb_release(&sb);
	free(site);
	free(clean);
}

static bool too_small(void)
{
	return LINES < UI_MIN_ROWS || COLS < UI_MIN_COLS;
}

static void draw_too_small(void)
{
	char *m = xasprintf(_("The terminal is too small: %dx%d; the wizard needs at least %dx%d."), COLS, LINES,
			    UI_MIN_COLS, UI_MIN_ROWS);
	wrapped w = {0};
	wrap_text(&w, m, COLS > 2 ? COLS - 2 : 1);
	wrap_text(&w, _("Make it larger, or press Q to quit."), COLS > 2 ? COLS - 2 : 1);
	int y = (LINES - (int)w.n) / 2;
	for (size_t i = 0; i < w.n; i++)
		if (y + (int)i >= 0 && y + (int)i < LINES)
			draw_text(y + (int)i, 1, COLS - 2, w.lines[i], i == 0 ? R_WARNING : R_NORMAL, true);
	wrapped_release(&w);
	free(m);
}

static void frame(ui_app *a)
{
	erase();
	ui_cursor_y = ui_cursor_x = -1;
	a->pos[0] = '\0';
	a->rows = LINES;
	a->cols = COLS;
	if (too_small()) {
		draw_too_small();
	} else if (a->depth) {
		size_t base = a->depth - 1;
		while (base > 0 && a->stack[base]->ops->overlay)
			base--;
		ui_screen *s = a->stack[base], *top = ui_top(a);
		draw_title(a, base);
		s->ops->draw(a, s, 1, LINES - 2, COLS);
		if (a->msg) {
			draw_fill(LINES - 1, 0, COLS, R_NORMAL);
			draw_text(LINES - 1, 1, COLS - 2, a->msg, a->msg_role, true);
		} else {
			draw_hints(a, top, LINES - 1, COLS);
		}
		for (size_t i = base + 1; i < a->depth; i++)
			a->stack[i]->ops->draw(a, a->stack[i], 0, LINES, COLS);
	}
	if (ui_cursor_y >= 0) {
		move(ui_cursor_y, ui_cursor_x);
		curs_set(1);
	} else {
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

/* ---- input ---- */

static void handle_key(ui_app *a, ui_key *k)
{
	free(a->msg);
	a->msg = NULL;
	if (k->fkey && k->ch == KEY_RESIZE)
		return; /* the next frame lays out from scratch */
	ui_screen *s = ui_top(a);
	if (!s)
		return;
	unsigned scope = screen_scope(s);
	if (too_small()) {
		ui_action act = keymap_lookup(SC_GLOBAL, k->ch, k->fkey);
		if (act == ACT_QUIT || act == ACT_BACK)
			a->quit = true;
		return;
	}
	k->act = ACT_NONE;
	if (s->ops->text_input && s->ops->key(a, s, k))
		return;
	k->act = keymap_lookup(scope, k->ch, k->fkey);
	if (k->act == ACT_NONE)
		return;
	if (!action_enabled(a, s, k->act)) {
		ui_message(a, R_WARNING, _("'%s' is not available here (press ? for the keys of this screen)"),
			   key_label(k->ch, k->fkey));
		return;
	}
	if (!s->ops->key || !s->ops->key(a, s, k))
		screen_default_key(a, s, k);
}

bool screen_default_key(ui_app *a, ui_screen *s, const ui_key *k)
{
	switch (k->act) {
	case ACT_HELP:
		ui_push(a, screen_help_new(a, s));
		return true;
	case ACT_BACK:
		if (a->depth > 1)
			ui_pop(a);
		else
			ui_request_quit(a);
		return true;
	case ACT_QUIT:
		ui_request_quit(a);
		return true;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		return true;
	case ACT_JOURNAL:
		ui_push(a, screen_journal_new(a));
		return true;
	case ACT_REPORT:
		app_write_report(a);
		return true;
	case ACT_PATHS:
		ui_push(a, screen_paths_new(a));
		return true;
	default:
		return false;
	}
}

static ui_screen *busy_screen(ui_app *a)
{
	/* A dialog or prompt on top asks something first: work waits for the answer
	 * (the quit question must not be overtaken by the work it is about). */
	if (a->depth && a->stack[a->depth - 1]->ops->overlay)
		return NULL;
	for (size_t i = a->depth; i-- > 0;)
		if (a->stack[i]->busy && a->stack[i]->ops->work)
			return a->stack[i];
	return NULL;
}

/* Asked by the target while an answer is late (target.h): a key that goes
 * back or cancels (Esc, q, c) stops the wait; other keys wait their turn. In
 * scripted mode the next key of the script is looked at (screens dumped first,
 * so a test sees the progress display of the stalled wait). During a screen's
 * work unit the frame is drawn again on every call (a tenth of a second), so
 * the progress display shows the time going by and follows a resize of the
 * terminal while the target is slow; outside one (a key being handled) the
 * screens may be half-way through a change and are left alone. */
static bool wait_cancelled(void *ud)
{
	ui_app *a = ud;
	wint_t ch;
	bool fkey;
	if (a->in_work)
		frame(a);
	if (a->scr) {
		const token *t;
		while ((t = script_peek(a->scr)) &&
		       (t->kind == TK_DUMP || t->kind == TK_DUMPATTR || (t->kind == TK_RESIZE && a->in_work))) {
			if (t->kind == TK_RESIZE) {
				resizeterm(t->rows, t->cols);
				frame(a);
			} else if (script_dump(a->scr, t->name, t->kind == TK_DUMPATTR) < 0) {
				return false;
			}
			script_advance(a->scr);
		}
		if (!t || t->kind != TK_KEY)
			return false;
		ch = t->ch;
		fkey = t->fkey;
	} else {
		timeout(0);
		int r = get_wch(&ch);
		if (r == ERR)
			return false;
		fkey = r == KEY_CODE_YES;
		if (fkey && ch == KEY_RESIZE) {
			/* ncurses has taken the new size: lay out again now. */
			if (a->in_work)
				frame(a);
			return false;
		}
	}
	ui_action act = keymap_lookup(SC_SECTIONS | SC_SECTION | SC_GLOBAL, ch, fkey);
	bool stop = act == ACT_BACK || act == ACT_CANCEL;
	if (a->scr && stop)
		script_advance(a->scr);
	else if (!a->scr && fkey)
		ungetch((int)ch);
	else if (!a->scr)
		unget_wch((wchar_t)ch);
	a->wait_cancelled |= stop;
	return stop;
}

/* Told by the journal's lock (journal/lock.h) while a fix or undo waits for
 * another process: the status line names the holder and how long is left,
 * and Esc, q or c stop waiting. The operator's cancel of this wait is not a
 * cancel of a wait for the target, so that flag is left as it was. */
static bool lock_waiting(const char *what, const char *holder, double wait_s, double waited_s, void *ud)
{
	ui_app *a = ud;
	(void)what; /* the journal's path or the site: too long for the status line, the holder says more */
	char *h = sanitize_dup(holder, 200);
	double left = wait_s - waited_s;
	ui_message(a, R_FAIL, _("Locked by %s: waiting %.0f s more (Esc cancels)"), h, left > 0 ? left : 0);
	free(h);
	frame(a);
	bool was = a->wait_cancelled, stop = wait_cancelled(a);
	a->wait_cancelled = was;
	/* This cancel is answered by the error dialog, which the key must not close. */
	if (stop)
		ui_drop_cancel_key(a);
	return !stop;
}

/* A frame now, from inside a key's handling: what is about to block (opening
 * the target afresh) is announced on screen before it starts. */
void ui_draw_now(ui_app *a)
{
	frame(a);
}

/* On a terminal wait_cancelled gives the cancelling key back to the screens
 * (a run between two checks stops on it). A caller that answers the cancel
 * itself, with an alert or a dialog, takes the key back first, so that it does
 * not also close what explains the cancel. In scripted mode the script has
 * already moved past it. */
void ui_drop_cancel_key(ui_app *a)
{
	if (a->scr)
		return;
	wint_t ch;
	timeout(0);
	get_wch(&ch);
}

/* 1: a key, 0: nothing (run work), -1: the script ended or failed. */
static int script_next(ui_app *a, ui_key *k, bool busy, int *rc)
{
	for (;;) {
		const token *t = script_peek(a->scr);
		if (t && t->kind == TK_WORK) {
			a->work_budget = t->n;
			script_advance(a->scr);
			continue;
		}
		if (busy && a->work_budget > 0) {
			if (a->work_budget != ULONG_MAX)
				a->work_budget--;
			return 0;
		}
		if (!t)
			return -1;
		if (t->kind == TK_DUMP || t->kind == TK_DUMPATTR) {
			if (script_dump(a->scr, t->name, t->kind == TK_DUMPATTR) < 0) {
				*rc = EXIT_ERROR;
				return -1;
			}
			script_advance(a->scr);
			continue;
		}
		memset(k, 0, sizeof *k);
		if (t->kind == TK_RESIZE) {
			resizeterm(t->rows, t->cols);
			k->ch = KEY_RESIZE;
			k->fkey = true;
		} else {
			k->ch = t->ch;
			k->fkey = t->fkey;
		}
		script_advance(a->scr);
		a->work_budget = ULONG_MAX;
		return 1;
	}
}

static int term_next(ui_key *k, bool busy)
{
	wint_t ch;
	timeout(busy ? 0 : 200);
	int r = get_wch(&ch);
	if (r == ERR)
		return 0;
	memset(k, 0, sizeof *k);
	k->ch = ch;
	k->fkey = r == KEY_CODE_YES;
	return 1;
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

typedef struct bench {
	double *key, *draw;
	size_t n, cap;
	size_t units;
	double work;
} bench;

static void bench_report(bench *b)
{
	if (!b->n) {
		puts("bench: no keys");
		return;
	}
	double *v[2] = {b->key, b->draw};
	const char *what[2] = {"key handling + frame", "frame only"};
	printf("keys: %zu\n", b->n);
	for (int j = 0; j < 2; j++) {
		double sum = 0;
		for (size_t i = 0; i < b->n; i++)
			sum += v[j][i];
		qsort(v[j], b->n, sizeof *v[j], cmp_double);
		printf("%-22s mean %7.1f us  median %7.1f us  p95 %7.1f us  max %7.1f us\n", what[j],
		       sum / (double)b->n, v[j][b->n / 2], v[j][(size_t)((double)b->n * 0.95)], v[j][b->n - 1]);
	}
	if (b->units)
		printf("%-22s %zu units, mean %.1f us (running checks; not rendering)\n", "work", b->units,
		       b->work / (double)b->units);
}

static int run_loop(ui_app *a, bench *bm)
{
	bool dirty = true;
	int rc = EXIT_PASS;
	double t_key = 0;
	bool timing = false;
	for (;;) {
		if (term_signal())
			return -term_signal();
		if (a->quit || !a->depth)
			break;
		if (dirty) {
			double t0 = bm ? now_us() : 0;
			frame(a);
			if (bm && timing) {
				double t1 = now_us();
				GROW(bm->key, bm->cap, bm->n + 1);
				bm->draw = xrealloc(bm->draw, bm->cap * sizeof *bm->draw);
				bm->key[bm->n] = t1 - t_key;
				bm->draw[bm->n] = t1 - t0;
				bm->n++;
				timing = false;
			}
			dirty = false;
		}
		ui_screen *busy = busy_screen(a);
		if (!busy && !ui_in_flight(a))
			app_flush_results(a);
		ui_key k;
		int got = a->scr ? script_next(a, &k, busy != NULL, &rc) : term_next(&k, busy != NULL);
		if (got < 0)
			break;
		if (got == 0) {
			if (busy) {
				double t0 = bm ? now_us() : 0;
				a->in_work = true;
				busy->busy = busy->ops->work(a, busy);
				a->in_work = false;
				if (bm) {
					bm->work += now_us() - t0;
					bm->units++;
				}
				dirty = true;
			}
			continue;
		}
		if (bm) {
			t_key = now_us();
			timing = true;
		}
		handle_key(a, &k);
		dirty = true;
	}
	return rc;
}

int wizard_run(const session_opts *g, const wizard_opts *o)
{
	static const wizard_opts none = {0};
	if (!o)
		o = &none;
	ui_app a;
	script scr;
	bool scripted = o->script != NULL;
	if (scripted && script_load(&scr, o->script, o->dump_dir) < 0)
		return EXIT_ERROR;
	if (app_load(&a, g) < 0) {
		app_release(&a);
		if (scripted)
			script_release(&scr);
		return EXIT_ERROR;
	}
	const char *cs = nl_langinfo(CODESET);
	draw_init(cs && !strcmp(cs, "UTF-8"));
	if (term_start(scripted ? (o->rows ? o->rows : 24) : 0, scripted ? (o->cols ? o->cols : 80) : 0) < 0) {
		app_release(&a);
		if (scripted)
			script_release(&scr);
		return EXIT_ERROR;
	}
	theme_init();
	if (scripted)
		a.scr = &scr;
	a.core.t->cancelled = wait_cancelled;
	a.core.t->cancel_ud = &a;
	a.core.r.lock_waiting = lock_waiting;
	a.core.r.lock_waiting_ctx = &a;
	ui_push(&a, screen_start_new(&a));
	bench bm = {0};
	int rc = run_loop(&a, o->bench ? &bm : NULL);
	a.core.t->cancelled = NULL; /* no more keys to ask once the screen is left */
	/* Leave the screen before anything is printed or the process dies of a signal. */
	term_stop();
	app_release(&a);
	if (scripted)
		script_release(&scr);
	if (rc < 0)
		term_reraise(-rc);
	if (o->bench)
		bench_report(&bm);
	free(bm.key);
	free(bm.draw);
	return rc;
}
