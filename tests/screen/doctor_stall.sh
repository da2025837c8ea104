#!/bin/sh
# The wizard's connection doctor with an agent that stalls: the screen shows
# the step under way and the time taken while the probe (then the batch read)
# hangs, follows a resize, and Esc or q cancels at once, without waiting for
# the agent's time-out; the wizard stays usable afterwards (help, back to the
# start screen, quit normally).
. "$top_srcdir/tests/lib.sh"

stall() { # VERB KEYS: the wizard on a lab behind stall-agent holding VERB for 60 s
	printf '%s' "$2" >"$T/keys"
	start=$(date +%s)
	expect_rc 0 "the wizard, the agent stalling on $1" -- env CMHARDEN_AGENT_TIMEOUT=120 STALL_VERB="$1" \
		STALL_SECONDS=60 "$CMHARDEN" --target "agent:$top_srcdir/tests/screen/stall-agent $CMHARDEN default" \
		wizard --script "$T/keys" --dump-dir "$T" --size 80x24
	took=$(($(date +%s) - start))
	[ "$took" -lt 20 ] && pass "the wait ended at once (${took}s, the agent would stall 60s)" ||
		fail "the wait was not cancelled (${took}s)"
}

# The probe hangs: progress, a resize during the wait, Esc.
stall probe 'd<Dump probing><Resize 64x18><Dump probing-small><Esc><Dump cancelled>?<Dump help><Esc><Esc><Dump start>q'
contains "$T/probing.txt" "Asking the target which data sources it can read" "the step under way is shown"
contains "$T/probing.txt" "s so far. Esc or q cancels." "with the time taken and how to cancel"
contains "$T/probing.txt" "Connection doctor" "on the doctor's screen"
width=$(LC_ALL=C.UTF-8 wc -L <"$T/probing-small.txt")
[ "$width" -le 64 ] && pass "after the resize the screen is laid out for 64 columns" ||
	fail "the screen is $width columns wide after the resize to 64"
contains "$T/probing-small.txt" "Esc or q cancels" "the progress is still shown after the resize"
contains "$T/cancelled.txt" "The doctor was cancelled while: Asking the target which data" \
	"the cancelled step is named"
contains "$T/cancelled.txt" "was cancelled" "with the target's words"
contains "$T/cancelled.txt" "Nothing is judged" "and no verdict on the connection"
lacks "$T/cancelled.txt" "Everything the checklist needs is readable" "no claim that all is readable"
contains "$T/help.txt" "The connection doctor asks the target" "the help says what the screen shows"
contains "$T/start.txt" "cmharden › Start" "back on the start screen"

# The batch read hangs (the probe answered): the step says so; q cancels.
stall batch 'd<Dump reading>q<Dump cancelled2><Esc>q'
contains "$T/reading.txt" "classes the checklist needs in one request" "the batch read is the step shown"
contains "$T/cancelled2.txt" "The doctor was cancelled while: Reading the" "q cancels the batch read"
finish
