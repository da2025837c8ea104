/* theme.h — colour roles. Screens draw in roles ("fail", "selected"), never in
 * colours; the theme maps each role to a colour pair and attributes, or, on a
 * terminal without colours or with NO_COLOR set, to attributes alone. */
#ifndef CMH_THEME_H
#define CMH_THEME_H

#include <stdbool.h>

/* X(name, mnemonic in screen dumps, fg, bg, colour attrs, monochrome attrs) */
#define UI_ROLES(X)                                                                        \
	X(NORMAL, ' ', -1, -1, 0, 0)                                                            \
	X(TITLE, 'T', COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE)                               \
	X(STATUS, 's', COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE)                                   \
	X(HINT_KEY, 'k', COLOR_WHITE, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD)                   \
	X(SELECTED, '>', COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE)                                 \
	X(HEADING, 'h', COLOR_CYAN, -1, A_BOLD, A_BOLD)                                         \
	X(DIM, 'd', -1, -1, A_DIM, A_DIM)                                                       \
	X(PASS, 'P', COLOR_GREEN, -1, A_BOLD, 0)                                                \
	X(FAIL, 'F', COLOR_RED, -1, A_BOLD, A_BOLD)                                             \
	X(ERROR, 'E', COLOR_MAGENTA, -1, A_BOLD, A_BOLD | A_UNDERLINE)                          \
	X(NA, 'n', -1, -1, A_DIM, A_DIM)                                                        \
	X(ATTEST, 'A', COLOR_YELLOW, -1, A_BOLD, A_UNDERLINE)                                   \
	X(ATTESTED, 'a', COLOR_GREEN, -1, 0, 0)                                                 \
	X(WAIVED, 'W', COLOR_BLUE, -1, A_BOLD, A_DIM)                                           \
	X(NOT_RUN, '.', -1, -1, A_DIM, A_DIM)                                                   \
	X(OFFENDING, 'O', COLOR_RED, -1, 0, A_BOLD)                                             \
	X(BAD_CELL, 'B', COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD)                    \
	X(TABLE_HEAD, 'H', -1, -1, A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE)                  \
	X(WARNING, '!', COLOR_YELLOW, -1, A_BOLD, A_BOLD)                                       \
	X(DIALOG, 'D', COLOR_BLACK, COLOR_WHITE, 0, 0)                                          \
	X(DIALOG_TITLE, 't', COLOR_BLUE, COLOR_WHITE, A_BOLD, A_BOLD)                           \
	X(BUTTON, 'b', COLOR_BLACK, COLOR_WHITE, 0, 0)                                          \
	X(BUTTON_FOCUS, 'f', COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD)               \
	X(INPUT, 'i', COLOR_BLACK, COLOR_CYAN, 0, A_UNDERLINE)                                  \
	X(BAR_DONE, '#', COLOR_GREEN, -1, A_BOLD, A_BOLD)                                       \
	X(CHANGE, 'C', COLOR_YELLOW, -1, A_BOLD, A_BOLD)

typedef enum {
#define X(name, mn, fg, bg, ca, ma) R_##name,
	UI_ROLES(X)
#undef X
	R_COUNT
} role;

/* Decides colour or monochrome (NO_COLOR, has_colors()) and sets up the pairs.
 * Call after initscr()/newterm(). */
void theme_init(void);
bool theme_has_colour(void);
/* The curses attributes (including the colour pair) of a role. */
int theme_attr(role r);
/* For screen dumps: the role a cell was drawn in (colour themes only), or -1. */
int theme_role_of(short pair);
char theme_role_char(int r);

#endif
