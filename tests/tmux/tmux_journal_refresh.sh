#!/bin/sh
# The wizard's journal screen and changes made elsewhere: a script fix made
# from the command line (Remote Desktop Users) shows as applied, not as
# drifted and unreadable (the screen reads it through its capture script, as
# undo does); an undo made from the command line while the screen is open
# shows on it without leaving it.
. "$top_srcdir/tests/tmux/tmux_lib.sh"

C() { XDG_DATA_HOME="$TMUX_HOME/data" "$CMHARDEN" "$@"; }
C fix console.no-nonadmin-rdp-siteserver.remove-members --yes >/dev/null 2>&1 &&
	pass "a script fix from the command line" || fail "the script fix failed"
start_pane 100 30
type_line 'cmharden; echo "status=$?"'
expect_screen 'Enter continue' "the wizard starts"
keys Enter
expect_screen 'Score: none yet' "the sections overview"
keys J
expect_screen '#1 applied' "the journal screen lists the script change as applied"
capture >"$T/screen1"
lacks "$T/screen1" "has no property" "it is not read as a property"
lacks "$T/screen1" "drifted, now" "it is not reported as drifted"
C undo --session --yes >/dev/null 2>&1 && pass "an undo from the command line" || fail "the undo failed"
keys Down
expect_screen '#1 undone' "the open journal screen shows the undo made elsewhere"
keys Q
expect_screen 'status=0' "the wizard quits"
expect_rc 0 "the journal is intact" -- env XDG_DATA_HOME="$TMUX_HOME/data" "$CMHARDEN" journal verify
finish
