#!/bin/sh
# Through a real terminal: colours by default; NO_COLOR gives attributes only
# (the offending rows stay marked); TERM=vt100 with LANG=C gives plain ASCII.
. "$top_srcdir/tests/tmux/tmux_lib.sh"

open_failing_check() {
	type_line 'cmharden; echo "status=$?"'
	expect_screen 'Enter continue' "$1: the wizard starts"
	keys Enter Down Enter
	expect_screen '6 checks ran' "$1: section 2 ran (the run is over: keys that open a check are taken)"
	keys Enter Tab
	expect_screen 'Observed: SMS_Advertisement' "$1: a failing check is open"
	sleep 0.2
}
# SGR colour parameters in a capture with escapes: 30-37, 40-47, 90-107, 38;, 48;
has_colour() { capture -e | grep -Eq "$ESC\\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;|48;)"; }

start_pane 80 24
open_failing_check "default"
has_colour && pass "default: the screen has colours" || fail "default: no colour on a 256-colour terminal"
keys Q
expect_screen 'status=0' "default: quits"

start_pane 80 24 NO_COLOR=1
open_failing_check "NO_COLOR"
has_colour && fail "NO_COLOR: colour escapes were sent" || pass "NO_COLOR: no colour at all"
capture -e | grep -Eq "$ESC\\[([0-9;]*;)?7m" && pass "NO_COLOR: reverse video marks the selection and the title" ||
	fail "NO_COLOR: no reverse video"
capture -e | grep -Eq "$ESC\\[([0-9;]*;)?1m" && pass "NO_COLOR: bold marks what matters (offending rows)" ||
	fail "NO_COLOR: no bold"
keys Q
expect_screen 'status=0' "NO_COLOR: quits"

start_pane 80 24 TERM=vt100 LC_ALL=C LANG=C
open_failing_check "vt100/LANG=C"
expect_screen '^ x CON20002' "vt100/LANG=C: offending rows marked with an ASCII x"
expect_screen ' cmharden > ~ > swdist' "vt100/LANG=C: ASCII breadcrumbs"
LC_ALL=C capture | grep -q "$(printf '[\200-\377]')" && fail "vt100/LANG=C: non-ASCII bytes on screen" ||
	pass "vt100/LANG=C: the screen is plain ASCII"
has_colour && fail "vt100/LANG=C: colour on a vt100" || pass "vt100/LANG=C: no colour on a vt100"
keys f a
expect_screen '^ Fix\+-+ Apply this fix\? -+\+' "vt100/LANG=C: dialog boxes are drawn with + - |"
keys Escape
keys Q
expect_screen 'status=0' "vt100/LANG=C: quits"
finish
