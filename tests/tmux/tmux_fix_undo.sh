#!/bin/sh
# Through a real terminal, the loop a newcomer must manage without docs: find
# a failing check, preview its fix, confirm, see the check pass (also from a
# separate `cmharden check`), undo the run from the journal screen, and see
# the check fail again; the journal stays intact.
. "$top_srcdir/tests/tmux/tmux_lib.sh"

status_of() { XDG_DATA_HOME="$TMUX_HOME/data" "$CMHARDEN" check --check remote.ask-permission --format json | grep -o '"status":"[a-z_]*"' | head -1; }

start_pane 80 24
type_line 'cmharden; echo "status=$?"'
expect_screen 'Enter continue' "the wizard starts"
keys Enter
expect_screen 'Score: none yet' "the sections overview"
keys /
tm send-keys -t t -l 'remote.ask-perm'
keys Enter
expect_screen 'Enable "Ask for permission" setting' "the filter finds the check across sections"
keys Enter
expect_screen '✘ fail' "the check fails on the default lab"
expect_screen 'Props\[Permission Required\]\.Value' "its evidence shows the property it reads"
keys f
expect_screen 'Chosen: 1 of 1\. Values to' "f previews the fix for the one offending object"
expect_screen '0 → 1' "the preview shows before → after"
keys a
expect_screen 'Apply this fix\?' "a asks for confirmation"
expect_screen '1 value will change on lab:default' "the confirmation counts the changes"
expect_screen 'SMS_SCI_ClientComp Remote Control Props\[Permission Required\]\.Value:' \
	"and names the object and property"
expect_screen '│ 0 → 1 ' "and the value before → after"
keys Tab Enter
expect_screen 'The check was run again: ✔ pass' "after applying, the check is re-run and passes"
expect_screen 'To undo: press J' "the fix says how to undo it"
[ "$(status_of)" = '"status":"pass"' ] && pass "a separate 'cmharden check' sees the check pass" ||
	fail "cmharden check says $(status_of) after the fix"
keys q
expect_screen '✔ pass' "the check view shows the new verdict"
keys J
expect_screen 'Run 1  fix remote\.ask-permission\.require \(check remote\.ask-permission\): pass' "the journal lists the fix run"
expect_screen '#1 applied' "and its change"
keys U
expect_screen 'Undo this fix run\?' "U asks before undoing the run"
expect_screen 'Required\]\.Value: 1 → 0' "naming the value it restores"
keys y
expect_screen 'Undo done: 1 restored' "the run is undone"
expect_screen '#1 undone' "the change is marked undone"
keys q
expect_screen '✘ fail' "back on the check, it fails again"
[ "$(status_of)" = '"status":"fail"' ] && pass "a separate 'cmharden check' sees it fail again" ||
	fail "cmharden check says $(status_of) after the undo"
keys Q
expect_screen 'status=0' "the wizard quits"
expect_rc 0 "the journal is intact" -- env XDG_DATA_HOME="$TMUX_HOME/data" "$CMHARDEN" journal verify
finish
