#!/bin/sh
# Through a real terminal: "run all" while the agent hangs on the batch read.
# Esc cancels the wait at once, and the alert that says the run was cancelled
# stays on screen until the operator closes it (the key that cancelled the
# wait does not also close it); R then reconnects (a new agent, which answers)
# and r reads the whole site; the wizard then quits normally.
. "$top_srcdir/tests/tmux/tmux_lib.sh"

stall="$top_srcdir/tests/screen/stall-agent"
case $stall in /*) ;; *) stall="$(pwd)/$stall" ;; esac
start_pane 100 30 STALL_VERB=batch STALL_SECONDS=60 CMHARDEN_AGENT_TIMEOUT=120 STALL_ONCE="$T/stalled-once"
type_line "cmharden --target 'agent:$stall $CMHARDEN default'; echo \"status=\$?\""
expect_screen 'Enter continue' "the wizard starts through the agent"
keys Enter
expect_screen 'Software Distribution' "Enter shows the sections"
keys r
expect_screen 'Reading the site in one request' "r: run-all waits for the batch read"
start=$(date +%s)
keys Escape
expect_screen 'Run cancelled' "Esc cancels the wait" 5
took=$(($(date +%s) - start))
[ "$took" -lt 5 ] && pass "at once (${took}s; the agent would hang 60s)" || fail "the cancel took ${took}s"
sleep 1
capture | grep -q 'Run cancelled' && pass "the alert is still shown a second later" ||
	fail "the alert was closed by the key that cancelled the wait"
keys Enter
sleep 0.5
capture | grep -q 'Run cancelled' && fail "Enter did not close the alert" || pass "Enter closes the alert"
keys R
expect_screen 'Reconnected to agent:' "R reconnects in place" 30
keys r
expect_screen '82 of 82 checked' "r then reads the site through the new agent" 60
keys Q
expect_screen 'status=0' "the wizard quits normally"
finish
