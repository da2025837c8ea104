#!/bin/sh
# Through a real terminal: the connection doctor while the agent hangs on the
# probe. The screen names the step and counts the seconds as they go by (the
# wizard is not frozen), lays itself out again when the terminal is resized
# during the wait, and Esc cancels at once; the wizard then goes back and quits
# normally.
. "$top_srcdir/tests/tmux/tmux_lib.sh"

stall="$top_srcdir/tests/screen/stall-agent"
case $stall in /*) ;; *) stall="$(pwd)/$stall" ;; esac
start_pane 100 30 STALL_VERB=probe STALL_SECONDS=60 CMHARDEN_AGENT_TIMEOUT=120
type_line "cmharden --target 'agent:$stall $CMHARDEN default'; echo \"status=\$?\""
expect_screen 'Enter continue' "the wizard starts through the agent"
keys d
expect_screen 'Asking the target which data sources it can read' "d: the doctor names the step it waits for"
expect_screen '[0-9]+ s so far\. Esc or q cancels\.' "with the seconds taken and how to cancel"
expect_screen '[3-9] s so far' "the seconds go by while the agent hangs (the screen is redrawn)" 10
tm resize-window -t t -x 64 -y 18
wait_for 'Esc or q cancels' 5 >/dev/null
sleep 0.3
[ "$(capture | wc -l)" -eq 18 ] && pass "resized during the wait: 18 lines" || fail "the pane has $(capture | wc -l) lines"
capture | grep -q 'Asking the target which data sources' && pass "the progress is laid out for 64 columns" ||
	fail "no progress after the resize"
width=$(capture | LC_ALL=C.UTF-8 wc -L)
[ "$width" -le 64 ] && pass "no line wider than 64 columns ($width)" || fail "a line is $width columns wide"
start=$(date +%s)
keys Escape
expect_screen 'The doctor was cancelled while' "Esc cancels the wait" 5
took=$(($(date +%s) - start))
[ "$took" -lt 5 ] && pass "at once (${took}s; the agent would hang 60s)" || fail "the cancel took ${took}s"
tm resize-window -t t -x 100 -y 30
expect_screen 'Nothing is judged' "the cancelled doctor judges nothing"
keys Escape
expect_screen 'Enter continue' "Esc goes back to the start screen"
keys Q
expect_screen 'status=0' "the wizard quits normally"
finish
