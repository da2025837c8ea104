/* screens.h — constructors of the wizard's screens, one file each. */
#ifndef CMH_SCREENS_H
#define CMH_SCREENS_H

#include "ui.h"

ui_screen *screen_start_new(ui_app *a);
/* The connection doctor: what the target can read (src/check/doctor.h). */
ui_screen *screen_doctor_new(ui_app *a);
ui_screen *screen_sections_new(ui_app *a);
/* walk: part of "walk the whole checklist" (n goes on to the next section);
 * run: run its checks now (not when it is only the way to one check). */
ui_screen *screen_section_new(ui_app *a, size_t sec, bool walk, bool run);
/* Moves a section screen's cursor to its check at pos (the check screen above it went on). */
void section_screen_follow(ui_screen *sc, size_t pos);
/* Opens the check at flat index idx; the section screen below it is its list. */
ui_screen *screen_check_new(ui_app *a, size_t idx);
/* The fix of the check at idx: preview, confirm, apply, verify. NULL (with a
 * message or an alert pushed) when there is nothing to fix. */
ui_screen *screen_fix_new(ui_app *a, size_t idx);
/* The fix a check offers: its first automated fix, else its first fix, or NULL. */
const fix *app_fix_for(ui_app *a, size_t idx);
/* The journal: history by session and fix run, undo, conflicts, drift. */
ui_screen *screen_journal_new(ui_app *a);
/* The attest and waive forms for the check at idx. */
void verdict_attest(ui_app *a, size_t idx);
void verdict_waive(ui_app *a, size_t idx);
/* The site by attack path (check/paths.h), from the results run so far. */
ui_screen *screen_paths_new(ui_app *a);
/* The keys of `of` (the screen help was asked on). */
ui_screen *screen_help_new(ui_app *a, ui_screen *of);

/* The generic handling of actions a screen did not use: help, back, quit, journal. */
bool screen_default_key(ui_app *a, ui_screen *s, const ui_key *k);

#endif
