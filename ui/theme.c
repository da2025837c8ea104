/* theme.c — colour roles (see theme.h). Colour is used only when the terminal
 * has it and NO_COLOR (https://no-color.org) is unset or empty; otherwise every
 * role falls back to attributes, chosen so that what matters (failures, the
 * offending rows and cells, the selection) stays distinguishable in monochrome. */
#include "config.h"
#include "ui.h"

#include <stdlib.h>

typedef struct role_def {
	short fg, bg;
	int cattr, mattr;
} role_def;

static const role_def defs[R_COUNT] = {
#define X(name, mn, fg, bg, ca, ma) {fg, bg, ca, ma},
	UI_ROLES(X)
#undef X
};

static bool colour;
static int attrs[R_COUNT];

void theme_init(void)
{
	const char *nc = getenv("NO_COLOR");
	colour = has_colors() && !(nc && *nc);
	if (colour && start_color() == ERR)
		colour = false;
	if (colour && COLORS < 8)
		colour = false;
	if (colour)
		use_default_colors();
	for (int r = 0; r < R_COUNT; r++) {
		if (!colour) {
			attrs[r] = defs[r].mattr;
			continue;
		}
		/* One pair per role, so a dump can tell roles apart by pair number. */
		short pair = (short)(r + 1);
		if (r < COLOR_PAIRS && init_pair(pair, defs[r].fg, defs[r].bg) != ERR)
			attrs[r] = (int)COLOR_PAIR(pair) | defs[r].cattr;
		else
			attrs[r] = defs[r].cattr;
	}
}

bool theme_has_colour(void)
{
	return colour;
}

int theme_attr(role r)
{
	return attrs[r];
}

int theme_role_of(short pair)
{
	if (!colour)
		return -1;
	if (pair == 0)
		return R_NORMAL; /* cells nobody drew in */
	return pair <= R_COUNT ? pair - 1 : -1;
}

char theme_role_char(int r)
{
	static const char mn[R_COUNT] = {
#define X(name, m, fg, bg, ca, ma) m,
		UI_ROLES(X)
#undef X
	};
	return r >= 0 && r < R_COUNT ? mn[r] : '?';
}
