#!/bin/sh
# Every shipped lab, checked through the real PowerShell agent
# (agent/cmharden-agent.ps1 under pwsh, Set-StrictMode 2.0, against the
# simulated Windows site of tests/powershell/FakeSite.ps1 built from that lab),
# gives the same `check --format json` as --target lab:NAME: the same verdicts,
# evidence rows and values, and the same exit code; and `snapshot -o` through
# the agent holds the lab's snapshot: the same site fields and every object
# (class, key, properties and values byte for byte), in any object order
# (tests/powershell/same-snapshot.py). The agent reads what the labs hold: the
# SMSPKG* package shares and the shares that hold update and image package
# source folders (doc/agent-protocol.md, FileAcl).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/powershell/find-pwsh.sh"
ps_require "the PowerShell agent's check results on the shipped labs (tests/powershell/agent_labs.sh)"
command -v python3 >/dev/null 2>&1 || ps_skip "python3 is not installed" "the comparison of the agent's results with the labs'"
# pwsh starts slowly on a loaded machine: the time-out bounds silence, not work.
CMHARDEN_AGENT_TIMEOUT=600
export CMHARDEN_AGENT_TIMEOUT
n=0
for f in "$top_srcdir"/labs/*.yaml; do
	lab=$(basename "$f" .yaml)
	n=$((n + 1))
	"$CMHARDEN" --target "lab:$lab" check --format json >"$T/lab.json" 2>"$T/lab.err"
	lrc=$?
	"$CMHARDEN" --target "agent:$top_srcdir/tests/powershell/agent-on-lab $lab" check --format json >"$T/agent.json" 2>"$T/agent.err"
	arc=$?
	if [ "$lrc" -eq "$arc" ]; then pass "$lab: same exit code through the agent ($arc)"; else
		fail "$lab: exit $arc through the agent, $lrc on the lab"
		sed 's/^/    | /' "$T/agent.err" | tail -20
	fi
	if python3 "$top_srcdir/tests/powershell/same-results.py" "$T/agent.json" "$T/lab.json" >"$T/diff" 2>&1; then
		pass "$lab: every verdict, evidence row and value through the PowerShell agent equals the lab's"
	else
		fail "$lab: the PowerShell agent's results differ from the lab's:"
		head -40 "$T/diff"
	fi
	"$CMHARDEN" --target "lab:$lab" snapshot -o "$T/lab-snap.yaml" 2>/dev/null
	if "$CMHARDEN" --target "agent:$top_srcdir/tests/powershell/agent-on-lab $lab" snapshot -o "$T/agent-snap.yaml" >"$T/snap.out" 2>&1 &&
		python3 "$top_srcdir/tests/powershell/same-snapshot.py" "$T/agent-snap.yaml" "$T/lab-snap.yaml" >"$T/diff" 2>&1; then
		pass "$lab: snapshot -o through the PowerShell agent holds the lab's snapshot ($(cat "$T/diff"))"
	else
		fail "$lab: the snapshot through the PowerShell agent differs from the lab's:"
		head -30 "$T/snap.out" "$T/diff" | sed 's/^/    | /'
	fi
done
[ "$n" -ge 5 ] && pass "$n labs compared" || fail "only $n labs found"
# The comparison must be able to fail: one changed value is a difference.
sed 's/"status":"pass"/"status":"fail"/' "$T/lab.json" >"$T/changed.json"
if cmp -s "$T/lab.json" "$T/changed.json" || python3 "$top_srcdir/tests/powershell/same-results.py" "$T/changed.json" "$T/lab.json" >/dev/null; then
	fail "same-results.py did not notice a changed verdict"
else
	pass "same-results.py notices a changed verdict"
fi
# And same-snapshot.py one changed value, and one object missing.
sed '0,/Entries: \[/s//Entries: [Everyone:Full, /' "$T/lab-snap.yaml" >"$T/changed.yaml"
awk '/^  - class: FileAcl/ && !done { skip = 1; done = 1; next } skip && /^  - class:/ { skip = 0 } !skip' "$T/lab-snap.yaml" >"$T/fewer.yaml"
if cmp -s "$T/lab-snap.yaml" "$T/changed.yaml" || python3 "$top_srcdir/tests/powershell/same-snapshot.py" "$T/changed.yaml" "$T/lab-snap.yaml" >/dev/null ||
	cmp -s "$T/lab-snap.yaml" "$T/fewer.yaml" || python3 "$top_srcdir/tests/powershell/same-snapshot.py" "$T/fewer.yaml" "$T/lab-snap.yaml" >/dev/null; then
	fail "same-snapshot.py did not notice a changed ACL entry or a missing share"
else
	pass "same-snapshot.py notices a changed ACL entry and a missing share"
fi
finish
