#!/bin/sh
# The wizard's "run all" through an agent: every class in one batched request,
# as `cmharden check` does (it was one request per class); and a stalled agent
# can be cancelled from the progress display with Esc, at once, instead of
# holding the wizard until the time-out.
. "$top_srcdir/tests/lib.sh"

printf '<Enter>r<Wait><Dump ran>' >"$T/keys"
expect_rc 0 "run all through an agent" -- "$CMHARDEN" --target "agent-shell:tee '$T/requests' | '$CMHARDEN' agent --lab default" \
	wizard --script "$T/keys" --dump-dir "$T"
contains "$T/ran.txt" "82 of 82 checked" "every check ran"
verbs=$(cut -d' ' -f1 "$T/requests" | tr '\n' ' ')
[ "$verbs" = "hello query batch bye " ] && pass "one batch for the run (hello, the roles' query, batch, bye)" ||
	fail "requests on the wire: $verbs"

# A stalled agent: the batch never comes back within the test's patience.
printf '<Enter>r<Dump stalled><Esc><Dump cancelled><Enter>q' >"$T/keys2"
start=$(date +%s)
expect_rc 0 "the wizard with a stalled agent" -- env CMHARDEN_AGENT_TIMEOUT=120 STALL_SECONDS=60 "$CMHARDEN" \
	--target "agent:$top_srcdir/tests/screen/stall-agent $CMHARDEN default" wizard --script "$T/keys2" --dump-dir "$T"
took=$(($(date +%s) - start))
[ "$took" -lt 20 ] && pass "Esc ends the wait at once (${took}s, the agent would stall 60s)" ||
	fail "the wait was not cancelled (${took}s)"
contains "$T/stalled.txt" "Reading the site in one request (Esc cancels)" "the progress display says Esc cancels"
contains "$T/cancelled.txt" "Run cancelled" "the run is cancelled"
contains "$T/cancelled.txt" "No check ran: the wait for the agent" "and says why"
contains "$T/cancelled.txt" "0 of 82 checked" "no check ran on a half-read site"
finish
