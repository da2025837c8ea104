/* term.c — curses set-up and teardown (see term.h).
 *
 * The terminal is restored on every way out:
 *   normal exit and exit()      term_stop(), also registered with atexit();
 *   SIGINT, SIGTERM, SIGHUP,    the handler only records the signal; the main
 *   SIGQUIT                     loop notices it within one input timeout, stops
 *                               at a safe point, restores the terminal and dies
 *                               of the same signal; a second signal while that
 *                               is under way restores the terminal at once;
 *   SIGSEGV, SIGBUS, SIGFPE,    the handler restores the terminal and re-raises
 *   SIGILL, SIGABRT             (a crash leaves a usable shell behind; abort()
 *                               is what allocation failure does).
 * SIGTSTP and SIGWINCH are left to curses. */
#include "config.h"
#include "base/i18n.h"
#include "term.h"
#include "ui.h"

#include <ncursesw/term.h> /* the system's terminfo interface (ui/term.h is this file's own) */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t active, caught;
static bool is_virtual, atexit_done;
static SCREEN *vscreen;
static FILE *vout, *vin;

static void restore(void)
{
	if (active) {
		active = 0;
		endwin();
	}
}

static void on_terminate(int sig)
{
	if (caught) {
		/* Second signal: the orderly path is stuck; restore and go. */
		restore();
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	caught = sig;
}

static void on_fatal(int sig)
{
	restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install(void)
{
	static const int term_sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	static const int fatal_sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_terminate; /* no SA_RESTART: a blocked read returns */
	for (size_t i = 0; i < ARRAY_SIZE(term_sigs); i++)
		sigaction(term_sigs[i], &sa, NULL);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < ARRAY_SIZE(fatal_sigs); i++)
		sigaction(fatal_sigs[i], &sa, NULL);
}

/* Whether the terminal on stdout can move the cursor (terminfo "cup"): the
 * wizard draws whole screens, and without it (TERM=dumb, an unknown
 * terminal) only its status line would be seen. */
static bool can_address_cursor(void)
{
	int terr = 0;
	if (setupterm(NULL, STDOUT_FILENO, &terr) != OK)
		return false;
	const char *cup = tigetstr("cup");
	bool ok = cup && cup != (const char *)-1 && *cup;
	del_curterm(cur_term);
	return ok;
}

int term_start(int rows, int cols)
{
	if (!atexit_done) {
		atexit(term_stop);
		atexit_done = true;
	}
	install();
	if (rows > 0) {
		const char *tn = getenv("TERM");
		if (!tn || !*tn)
			tn = "xterm";
		vout = fopen("/dev/null", "w");
		vin = fopen("/dev/null", "r");
		if (!vout || !vin) {
			perror("/dev/null");
			return -1;
		}
		vscreen = newterm(tn, vout, vin);
		if (!vscreen) {
			fprintf(stderr, _("cmharden: cannot set up a virtual screen for TERM=%s\n"), tn);
			return -1;
		}
		set_term(vscreen);
		is_virtual = true;
		resizeterm(rows, cols);
	} else {
		if (!can_address_cursor()) {
			const char *tn = getenv("TERM");
			fprintf(stderr,
				_("cmharden: the wizard needs a terminal that can move the cursor, and TERM=%s cannot; "
				  "use a full terminal (TERM=xterm-256color, for example) or the commands (cmharden "
				  "--help)\n"),
				tn ? tn : "");
			return -1;
		}
		if (!newterm(NULL, stdout, stdin)) {
			fprintf(stderr, _("cmharden: cannot use this terminal (TERM=%s)\n"),
				getenv("TERM") ? getenv("TERM") : "");
			return -1;
		}
	}
	active = 1;
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	set_escdelay(25);
	curs_set(0);
	return 0;
}

void term_stop(void)
{
	restore();
	if (vscreen) {
		delscreen(vscreen);
		vscreen = NULL;
	}
	if (vout) {
		fclose(vout);
		vout = NULL;
	}
	if (vin) {
		fclose(vin);
		vin = NULL;
	}
}

int term_signal(void)
{
	return caught;
}

void term_reraise(int sig)
{
	signal(sig, SIG_DFL);
	raise(sig);
}

