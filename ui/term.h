/* term.h — the terminal: curses set-up on a real terminal or on a virtual
 * screen (scripted mode), and its restoration on every way out. */
#ifndef CMH_TERM_H
#define CMH_TERM_H

#include <stdbool.h>

/* Starts curses on the controlling terminal, or, with rows > 0, on a virtual
 * screen of that size whose output is discarded. 0 or -1 (message printed). */
int term_start(int rows, int cols);
/* Restores the terminal (idempotent). */
void term_stop(void);
/* A termination signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) that arrived, or 0. */
int term_signal(void);
/* After term_stop(): dies of the signal that was caught, so the parent sees it. */
void term_reraise(int sig);

#endif
