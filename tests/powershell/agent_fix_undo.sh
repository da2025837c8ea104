#!/bin/sh
# fix --failing --yes then undo --session --yes, through the real PowerShell
# agent against the simulated site of every shipped lab: every set step (SMS
# Provider Put, the site control file's session write path, registry, IIS) and
# every fix script (capture, apply, undo, run by the agent) goes through the
# simulation into the lab's state, and the site ends byte-identical to the start
# (snapshots of the lab compared). The fix must have changed the site in between,
# and the lab must then pass the checks it fixed.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/powershell/find-pwsh.sh"
ps_require "fix --failing and undo --session through the PowerShell agent (tests/powershell/agent_fix_undo.sh)"
CMHARDEN_AGENT_TIMEOUT=600
export CMHARDEN_AGENT_TIMEOUT
body() { sed '1,/^site:/d' "$1"; }   # a snapshot without its dated header
for f in "$top_srcdir"/labs/*.yaml; do
	lab=$(basename "$f" .yaml)
	agent="agent:$top_srcdir/tests/powershell/agent-on-lab $lab"
	"$CMHARDEN" --target "lab:$lab" snapshot -o "$T/before.yaml" 2>/dev/null || { fail "$lab: no snapshot"; continue; }
	"$CMHARDEN" --target "lab:$lab" fix --failing --dry-run >"$T/dry" 2>&1
	if ! grep -q 'Dry run: [1-9][0-9]* value(s) would change' "$T/dry"; then pass "$lab: nothing to fix"; continue; fi
	"$CMHARDEN" --target "$agent" fix --failing --yes >"$T/fix" 2>"$T/fix.err"
	rc=$?
	if [ "$rc" -le 1 ] && ! grep -qi 'error' "$T/fix.err"; then pass "$lab: fix --failing --yes through the PowerShell agent (exit $rc)"; else
		fail "$lab: fix --failing --yes through the agent failed (exit $rc)"
		sed 's/^/    | /' "$T/fix.err" | tail -15
		tail -15 "$T/fix" | sed 's/^/    | /'
	fi
	"$CMHARDEN" --target "lab:$lab" snapshot -o "$T/fixed.yaml" 2>/dev/null
	body "$T/before.yaml" >"$T/b"
	body "$T/fixed.yaml" >"$T/m"
	if cmp -s "$T/b" "$T/m"; then
		fail "$lab: the fix changed nothing in the lab's state"
	else
		pass "$lab: the fix reached the lab's state through the simulation"
	fi
	"$CMHARDEN" --target "$agent" undo --session --yes >"$T/undo" 2>"$T/undo.err"
	rc=$?
	if [ "$rc" -eq 0 ]; then pass "$lab: undo --session --yes through the PowerShell agent"; else
		fail "$lab: undo through the agent failed (exit $rc)"
		sed 's/^/    | /' "$T/undo.err" | tail -15
	fi
	"$CMHARDEN" --target "lab:$lab" snapshot -o "$T/after.yaml" 2>/dev/null
	body "$T/after.yaml" >"$T/a"
	if cmp -s "$T/b" "$T/a"; then pass "$lab: after undo the site is byte-identical to the start"; else
		fail "$lab: after undo the site differs from the start:"
		diff "$T/b" "$T/a" | head -20 | sed 's/^/    | /'
	fi
done
finish
