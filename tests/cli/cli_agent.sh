#!/bin/sh
# cmharden through the agent protocol: `check` gives the results of the
# in-process lab, a full run costs one batch on the wire, snapshots audit the
# same, and a dead, stalled or garbled agent ends the run with exit 2 and a clear
# message in bounded time.
. "$top_srcdir/tests/lib.sh"

strip_target() { sed 's/"target":"\([^"\\]\|\\.\)*",//' "$1"; }
elapsed_ok() { # START LIMIT DESC
	took=$(($(date +%s) - $1))
	if [ "$took" -le "$2" ]; then pass "$3 (${took}s)"; else fail "$3 took ${took}s (limit $2s)"; fi
}

# 1. The same results through the wire as in the process.
for lab in default hardened; do
	"$CMHARDEN" --target "lab:$lab" check --format json >"$T/lab.json" 2>"$T/err"
	lrc=$?
	"$CMHARDEN" --target "agent:$CMHARDEN agent --lab $lab" check --format json >"$T/agent.json" 2>"$T/err"
	arc=$?
	[ "$lrc" -eq "$arc" ] && pass "$lab: same exit status through the agent ($arc)" ||
		fail "$lab: exit $arc through the agent, $lrc in process"
	contains "$T/agent.json" "\"target\":\"agent:$CMHARDEN agent --lab $lab\"" "$lab: the report names the agent target"
	strip_target "$T/lab.json" >"$T/a"
	strip_target "$T/agent.json" >"$T/b"
	if cmp -s "$T/a" "$T/b"; then pass "$lab: identical JSON results through the agent"; else
		fail "$lab: JSON results differ through the agent"
		diff "$T/a" "$T/b" | head -5 | sed 's/^/    | /'
	fi
	"$CMHARDEN" --target "lab:$lab" check >"$T/lab.txt" 2>&1
	"$CMHARDEN" --target "agent:$CMHARDEN agent --lab $lab" check >"$T/agent.txt" 2>&1
	if diff "$T/lab.txt" "$T/agent.txt" | grep '^[<>]' | grep -v '^[<>] Target: ' >/dev/null; then
		fail "$lab: text reports differ beyond the Target line"
	else
		pass "$lab: text reports differ only in the Target line"
	fi
done

# 2. Round trips on the wire: hello, one batch, bye (requests logged by a tee).
expect_rc 1 "agent-shell: runs the command through /bin/sh" -- \
	"$CMHARDEN" --target "agent-shell:tee '$T/requests' | '$CMHARDEN' agent --lab default" check --format json
strip_target "$T/out" >"$T/b"
"$CMHARDEN" check --format json | sed 's/"target":"[^"]*",//' >"$T/a"
cmp -s "$T/a" "$T/b" && pass "identical results through agent-shell:" || fail "agent-shell: results differ"
verbs=$(cut -d' ' -f1 "$T/requests" | tr '\n' ' ')
[ "$verbs" = "hello batch bye " ] && pass "a full check is one batch on the wire ($verbs)" ||
	fail "requests on the wire: $verbs"
n=$(wc -l <"$T/requests")
[ "$n" -eq 3 ] && pass "3 requests for 82 checks" || fail "$n requests for a full check"

# 3. Snapshots: recorded from the lab and through the agent, audited read-only.
mkdir -p "$XDG_DATA_HOME"
expect_rc 0 "snapshot of the default lab" -- "$CMHARDEN" snapshot -o "$T/snap.yaml"
contains "$T/err" "wrote [0-9]* objects" "snapshot says what it wrote"
perm=$(stat -c %a "$T/snap.yaml")
[ "$perm" = 600 ] && pass "the snapshot file is mode 0600" || fail "snapshot mode $perm"
expect_rc 0 "snapshot through the agent" -- \
	"$CMHARDEN" --target "agent:$CMHARDEN agent --lab default" snapshot -o "$T/snap2.yaml" --name via-agent
grep -v -e '^  name:' -e '^  title:' -e '^  briefing:' "$T/snap.yaml" >"$T/s1"
grep -v -e '^  name:' -e '^  title:' -e '^  briefing:' "$T/snap2.yaml" >"$T/s2"
cmp -s "$T/s1" "$T/s2" && pass "the agent's snapshot has the lab's objects" || fail "snapshots differ"
states_before=$(ls "$XDG_DATA_HOME/cmharden/labs" | wc -l)
"$CMHARDEN" --target "snapshot:$T/snap.yaml" check --format json >"$T/snap.json"
src=$?
[ "$src" -eq 1 ] && pass "snapshot audit exits as the lab does" || fail "snapshot audit exit $src"
strip_target "$T/snap.json" >"$T/b"
cmp -s "$T/a" "$T/b" && pass "a snapshot audits exactly like its site" || fail "snapshot results differ"
states_after=$(ls "$XDG_DATA_HOME/cmharden/labs" | wc -l)
[ "$states_before" -eq "$states_after" ] && pass "auditing a snapshot creates no lab state" ||
	fail "a snapshot audit created lab state"
"$CMHARDEN" --target "lab:$T/snap.yaml" check --format json | sed 's/"target":"[^"]*",//' >"$T/b"
cmp -s "$T/a" "$T/b" && pass "a snapshot opened as a lab trains on the same site" || fail "snapshot-as-lab differs"
printf 'scenario: {name: x, title: y}\nsite: {code: TOOLONG}\nobjects: []\n' >"$T/bad.yaml"
expect_rc 2 "an invalid snapshot is refused" -- "$CMHARDEN" --target "snapshot:$T/bad.yaml" check
contains "$T/err" "the snapshot $T/bad.yaml is not valid" "the refusal names the file"
expect_rc 2 "a missing snapshot is refused" -- "$CMHARDEN" --target "snapshot:$T/none.yaml" check
contains "$T/err" "cannot read the snapshot" "the refusal says why"

# 4. The lab agent answers malformed requests and carries on.
{
	printf 'query 1 SMS_Site\n'
	printf 'hello 1 1 1\n'
	printf 'hello 2 2 3\n'
	printf 'bogus 3\n'
	printf 'get 4 SMS_Site CON SiteName extra\n'
	printf 'query 5 bad%%2Fname\n'
	printf 'set 6 SMS_Site CON SiteName s:x\n'
	printf 'get 7 SMS_Site CON No%%20Such\n'
	head -c 1100000 /dev/zero | tr '\0' x
	printf '\nquery 8 SMS_Site\n'
	printf 'query 9 a b%%zz\r\n'
	printf 'bye 10\n'
	printf 'query 11 SMS_Site\n'
} >"$T/requests"
"$CMHARDEN" agent --lab default --read-only <"$T/requests" >"$T/answers" 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] && pass "the lab agent ends cleanly on bye" || fail "the lab agent exited $rc"
contains "$T/answers" '^error 1 400 the%20session%20starts%20with%20hello$' "requests before hello are refused"
contains "$T/answers" '^cap 1 query batch get run$' "--read-only offers no set (run it answers for capture only)"
contains "$T/answers" '^error 2 426 ' "an unsupported version range is refused"
contains "$T/answers" "^error 3 405 unknown%20request%20'bogus'" "unknown requests are refused"
contains "$T/answers" '^error 4 400 ' "a wrong field count is refused"
contains "$T/answers" "^error 5 400 'bad/name'%20is%20not%20a%20class%20name" "class names are checked"
contains "$T/answers" '^error 6 403 ' "sets are refused read-only"
contains "$T/answers" '^error 7 404 ' "unknown properties are 404"
contains "$T/answers" '^error 0 413 line%209:%20longer%20than%201048576%20bytes' "an oversized line is refused once"
contains "$T/answers" '^class 8 SMS_Site 1$' "and the session goes on after it"
contains "$T/answers" '^error 0 400 line%2011,%20column%2012:' "bad percent-encoding is located"
contains "$T/answers" '^end 10$' "bye is answered"
lacks "$T/answers" ' 11 ' "nothing is read after bye"

# 5. Misbehaving agents: exit 2, a clear message, bounded time.
cat >"$T/prelude" <<'EOF'
#!/bin/sh
say_hello() {
  read -r l || exit 0
  set -- $l; id=$2
  printf 'hello %s 1 fake\ncap %s query batch get\nsite %s code s:FAK\nsite %s name s:Fake\nsite %s server s:SRV\nsite %s version s:2007%%20SP2\nsite %s mode s:mixed\nend %s\n' $id $id $id $id $id $id $id $id
}
EOF
fake() { # NAME BODY
	{ cat "$T/prelude"; printf '%s\n' "$2"; } >"$T/$1"
	chmod +x "$T/$1"
}
fake killed.sh 'say_hello; read -r l; kill -9 $$'
fake stalled.sh 'say_hello; exec sleep 60'
fake garbled.sh 'say_hello; read -r l; echo "<html><body>500 Internal Server Error</body></html>"; exec sleep 60'
fake huge.sh 'say_hello; read -r l; head -c 5000000 /dev/zero | tr "\0" y; exec sleep 60'
fake dead.sh 'echo "powershell.exe: The term cmharden-agent.ps1 is not recognized" >&2; exit 1'

start=$(date +%s)
expect_rc 2 "an agent killed mid-run: exit 2" -- timeout 60 "$CMHARDEN" --target "agent:$T/killed.sh" check
contains "$T/out" "the agent (killed.sh) was killed by signal 9" "the report says the agent was killed"
elapsed_ok "$start" 10 "a killed agent does not hold the run"

start=$(date +%s)
expect_rc 2 "a stalled agent: exit 2" -- env CMHARDEN_AGENT_TIMEOUT=1 timeout 60 "$CMHARDEN" --target "agent:$T/stalled.sh" check --format json
contains "$T/out" "did not answer a batch of queries for 1 s (CMHARDEN_AGENT_TIMEOUT)" "the report names the time-out"
elapsed_ok "$start" 10 "a stalled agent is given up after its time-out"

start=$(date +%s)
expect_rc 2 "an agent speaking garbage: exit 2" -- timeout 60 "$CMHARDEN" --target "agent:$T/garbled.sh" check
contains "$T/out" "broke the protocol answering a batch of queries: line 9, column 1" "the garbage is located"
elapsed_ok "$start" 10 "garbage ends the run at once"

start=$(date +%s)
expect_rc 2 "an oversized line: exit 2" -- timeout 60 "$CMHARDEN" --target "agent:$T/huge.sh" check --format csv
contains "$T/out" "line 9: longer than 1048576 bytes" "the oversized line is reported"
elapsed_ok "$start" 10 "an oversized line ends the run at once"

expect_rc 2 "an agent that cannot start: exit 2" -- timeout 60 "$CMHARDEN" --target "agent:$T/dead.sh" check
contains "$T/err" "exited with status 1 before answering hello; its last words on stderr: powershell.exe: The term" "its stderr is shown"
expect_rc 2 "a missing agent program: exit 2" -- "$CMHARDEN" --target "agent:$T/no-such-agent" check
contains "$T/err" "cannot run the agent" "the missing program is named"
expect_rc 2 "a zero time-out is refused" -- env CMHARDEN_AGENT_TIMEOUT=0 "$CMHARDEN" --target "agent:$T/stalled.sh" check
contains "$T/err" "CMHARDEN_AGENT_TIMEOUT='0'" "the bad setting is named"
finish
