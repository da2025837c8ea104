#!/bin/sh
# The real PowerShell agent's -Dump and -ReadOnly, against the simulated site of
# lab default: the dumped scenario loads as lab:FILE with the same verdicts,
# evidence rows and values as the lab; a read-only agent offers no set and
# answers set with 403 and the apply phase of a fix script with 403.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/powershell/find-pwsh.sh"
ps_require "the PowerShell agent's -Dump and -ReadOnly (tests/powershell/agent_dump.sh)"
command -v python3 >/dev/null 2>&1 || ps_skip "python3 is not installed" "the comparison of the agent's -Dump with the lab"
on_lab="$top_srcdir/tests/powershell/agent-on-lab"

"$on_lab" default -Dump "$T/dump.yaml" </dev/null >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] && pass "-Dump writes a snapshot" || { fail "-Dump exit $rc"; tail -5 "$T/err"; }
contains "$T/err" "wrote [0-9]* objects of 23 classes" "-Dump says what it wrote"
"$CMHARDEN" --target "lab:$T/dump.yaml" check --format json >"$T/dump.json" 2>/dev/null
"$CMHARDEN" --target lab:default check --format json >"$T/lab.json" 2>/dev/null
if python3 "$top_srcdir/tests/powershell/same-results.py" "$T/dump.json" "$T/lab.json" >"$T/diff" 2>&1; then
	pass "the dumped scenario, as lab:FILE, gives the lab's verdicts, evidence rows and values"
else
	fail "the dumped scenario checks differently:"
	head -20 "$T/diff"
fi

printf 'hello 1 1 1\nset 2 SMS_Advertisement CON20001 RemoteClientFlags i:48\nbye 3\n' |
	"$on_lab" default -ReadOnly >"$T/ro" 2>"$T/ro.err"
contains "$T/ro" "^cap 1 query batch get run probe$" "a read-only agent offers no set"
contains "$T/ro" "^error 2 403 " "a set to a read-only agent is refused with 403"
"$CMHARDEN" --target lab:default snapshot -o "$T/after.yaml" 2>/dev/null
grep -A8 "key: 'CON20001'" "$T/after.yaml" | grep -q 'RemoteClientFlags: 48' &&
	fail "the read-only agent changed the site" || pass "the read-only agent changed nothing"
finish
