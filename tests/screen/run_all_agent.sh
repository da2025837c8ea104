#!/bin/sh
# The wizard's "run all" through an agent: every class in one batched request,
# as `cmharden check` does (it was one request per class); and a stalled agent
# can be cancelled from the progress display with Esc, at once, instead of
# holding the wizard until the time-out.
. "$top_srcdir/tests/lib.sh"

# wizard_timed WHAT -- COMMAND...: expect_rc 0, and how long it took in $took.
wizard_timed() {
	start=$(date +%s)
	expect_rc 0 "$@"
	took=$(($(date +%s) - start))
}

printf '<Enter>r<Wait><Dump ran>' >"$T/keys"
expect_rc 0 "run all through an agent" -- "$CMHARDEN" --target "agent-shell:tee '$T/requests' | '$CMHARDEN' agent --lab default" \
	wizard --script "$T/keys" --dump-dir "$T"
contains "$T/ran.txt" "82 of 82 checked" "every check ran"
verbs=$(cut -d' ' -f1 "$T/requests" | tr '\n' ' ')
[ "$verbs" = "hello query batch bye " ] && pass "one batch for the run (hello, the roles' query, batch, bye)" ||
	fail "requests on the wire: $verbs"

# A stalled agent: the batch never comes back within the test's patience.
printf '<Enter>r<Dump stalled><Esc><Dump cancelled><Enter>q' >"$T/keys2"
wizard_timed "the wizard with a stalled agent" -- env CMHARDEN_AGENT_TIMEOUT=120 STALL_SECONDS=60 "$CMHARDEN" \
	--target "agent:$top_srcdir/tests/screen/stall-agent $CMHARDEN default" wizard --script "$T/keys2" --dump-dir "$T"
[ "$took" -lt 20 ] && pass "Esc ends the wait at once (${took}s, the agent would stall 60s)" ||
	fail "the wait was not cancelled (${took}s)"
contains "$T/stalled.txt" "Reading the site in one request (Esc cancels)" "the progress display says Esc cancels"
contains "$T/cancelled.txt" "Run cancelled" "the run is cancelled"
contains "$T/cancelled.txt" "No check ran: the wait for the agent" "and says why"
contains "$T/cancelled.txt" "0 of 82 checked" "no check ran on a half-read site"
contains "$T/cancelled.txt" "R to reconnect" "and how to read the site again (R reconnects)"

# Reconnect in place: after the cancelled read, R starts the agent afresh and
# run-all reads the site through it; the wizard is not restarted.
printf '<Enter>r<Dump stalled2><Esc><Enter><Dump closed>R<Dump reconnected>r<Wait><Dump ranagain>q' >"$T/keys3"
: >"$T/starts"
wizard_timed "the wizard reconnects after a cancelled read" -- env CMHARDEN_AGENT_TIMEOUT=120 STALL_SECONDS=60 \
	STALL_ONCE="$T/stalled-once" STALL_LOG="$T/starts" "$CMHARDEN" \
	--target "agent:$top_srcdir/tests/screen/stall-agent $CMHARDEN default" wizard --script "$T/keys3" --dump-dir "$T"
[ "$took" -lt 20 ] && pass "nothing waited for the stalled agent (${took}s)" || fail "the reconnect waited (${took}s)"
lacks "$T/closed.txt" "Run cancelled" "the alert is closed"
contains "$T/reconnected.txt" "Reconnected to agent:" "R says it reconnected, naming the target"
contains "$T/ranagain.txt" "82 of 82 checked" "run-all after the reconnect checks everything"
[ "$(wc -l <"$T/starts")" -eq 2 ] && pass "a second agent was started" ||
	fail "agents started: $(wc -l <"$T/starts") (want 2)"

# An agent that cannot be started again (the site server went away): the
# wizard says why and goes on with what it had.
cat >"$T/once-agent" <<EOF2
#!/bin/sh
if [ -e "$T/started" ]; then echo "no route to host" >&2; exit 1; fi
: >"$T/started"
exec "$top_srcdir/tests/screen/stall-agent" "\$@"
EOF2
chmod +x "$T/once-agent"
printf '<Enter>r<Dump stalled3><Esc><Enter>R<Dump failed>q' >"$T/keys4"
expect_rc 0 "the wizard when the reconnect fails" -- env CMHARDEN_AGENT_TIMEOUT=120 STALL_SECONDS=60 "$CMHARDEN" \
	--target "agent:$T/once-agent $CMHARDEN default" wizard --script "$T/keys4" --dump-dir "$T"
contains "$T/failed.txt" "Could not reconnect to agent:" "a failed reconnect says so"
contains "$T/failed.txt" "Sections" "and the wizard stays on its screen"

# A site server that hangs when the agent is started again (it never says
# hello): Esc ends that wait too, and the wizard goes on through the agent it had.
cat >"$T/hello-hangs" <<EOF2
#!/bin/sh
if [ -e "$T/hello-started" ]; then STALL_VERB=hello; else STALL_VERB=none; fi
: >"$T/hello-started"
STALL_VERB=\$STALL_VERB exec "$top_srcdir/tests/screen/stall-agent" "\$@"
EOF2
chmod +x "$T/hello-hangs"
printf '<Enter>R<Dump hello-wait><Esc><Dump hello-cancelled>r<Wait><Dump hello-ran>q' >"$T/keys5"
wizard_timed "the wizard when the reconnected agent never says hello" -- env CMHARDEN_AGENT_TIMEOUT=120 STALL_SECONDS=60 \
	"$CMHARDEN" --target "agent:$T/hello-hangs $CMHARDEN default" wizard --script "$T/keys5" --dump-dir "$T"
[ "$took" -lt 20 ] && pass "Esc ends the wait for the hello at once (${took}s, the agent would stall 60s)" ||
	fail "the wait for the hello was not cancelled (${took}s)"
contains "$T/hello-wait.txt" "Esc cancels" "the reconnect says Esc cancels it"
contains "$T/hello-cancelled.txt" "Could not reconnect to agent:" "the cancelled reconnect says so"
contains "$T/hello-cancelled.txt" "Sections" "and the wizard stays on its screen"
contains "$T/hello-ran.txt" "82 of 82 checked" "the agent it had still reads the whole site"
finish
