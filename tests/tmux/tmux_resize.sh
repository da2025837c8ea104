#!/bin/sh
# Through a real terminal: resizing to 100x30 lays the screen out again for the
# new size and keeps the state (the same check, the same cursor); back at
# 80x24 the screen is what it was; too small says so, and recovers.
. "$top_srcdir/tests/tmux/tmux_lib.sh"

start_pane 80 24
type_line 'cmharden; echo "status=$?"'
expect_screen 'Enter continue' "the wizard starts"
keys Enter Down Enter
expect_screen '6 checks ran' "section 2 ran (the run is over: keys that open a check are taken)"
keys Enter Tab
expect_screen 'Observed: SMS_Advertisement \(40 objects, 13 offending\)' "a check with evidence is open"
sleep 0.2
capture >"$T/before"
tm resize-window -t t -x 100 -y 30
expect_screen 'swdist\.download-content  ' "at 100 columns the title has room for the whole check id"
wait_for '^ f fix .* \? help  [0-9]+/[0-9]+ *$' 5 >/dev/null
[ "$(capture | wc -l)" -eq 30 ] && pass "the pane has 30 lines" || fail "the pane has $(capture | wc -l) lines"
capture | sed -n 30p | grep -q '? help' && pass "the status bar moved to line 30" ||
	fail "line 30 is not the status bar: $(capture | sed -n 30p)"
# The expectation's column (RemoteClientFlags, with its SDK names) comes first and is
# wide; at 100 columns the next column after AdvertisementName comes into view.
head_now=$(capture | grep -m1 '^ *Object  *RemoteClientFlags')
head_before=$(grep -m1 '^ *Object  *RemoteClientFlags' "$T/before")
echo "$head_now" | grep -q 'AdvertisementName *Packag' && ! echo "$head_before" | grep -q 'Packag' &&
	pass "more columns of the table are shown" ||
	fail "the table did not widen: $head_now (before: $head_before)"
tm resize-window -t t -x 80 -y 24
wait_for 'swdist\.downl…' 5 >/dev/null
sleep 0.2
capture >"$T/after"
if cmp -s "$T/before" "$T/after"; then pass "back at 80x24 the screen is exactly as before (state kept)"; else
	fail "the screen differs after resizing back"
	diff "$T/before" "$T/after" | head -20 | sed 's/^/    | /'
fi
tm resize-window -t t -x 50 -y 12
expect_screen 'The terminal is too small: 50x12' "too small says so"
keys j
tm resize-window -t t -x 80 -y 24
expect_screen 'Observed: SMS_Advertisement' "larger again, the same screen returns"
sleep 0.2
capture >"$T/again"
cmp -s "$T/before" "$T/again" && pass "keys pressed while too small did nothing" || fail "the state changed while too small"
keys Q
expect_screen 'status=0' "the wizard quits"
finish
