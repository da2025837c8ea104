#!/bin/sh
# The relay (agent/cmharden-relay.ps1) under pwsh, its remoting seam replaced
# by one runspace per simulated site system (tests/powershell/relay-on-lab):
# every shipped lab gives the same results as lab:NAME; fix and undo through it
# leave the lab as it was; a site system out of reach, a data source refusing
# access, WinRM refused and a session dropped in the middle of a batch each give
# the right doctor line and make the checks that need it errors naming the
# server, never a pass, while the other servers' data still arrives.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/powershell/find-pwsh.sh"
ps_require "the WinRM relay on the simulated site (tests/powershell/relay.sh)"
command -v python3 >/dev/null 2>&1 || ps_skip "python3 is not installed" "the comparison of the relay's results with the labs'"
# pwsh starts slowly on a loaded machine: the time-out bounds silence, not work.
CMHARDEN_AGENT_TIMEOUT=600
export CMHARDEN_AGENT_TIMEOUT
R="$top_srcdir/tests/powershell/relay-on-lab"
# same A.json B.json: the same checks with the same verdicts; prints the differences.
same() {
	python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
va = {r["id"]: r["status"] for r in a["results"]}
vb = {r["id"]: r["status"] for r in b["results"]}
bad = [(k, va.get(k), vb.get(k)) for k in sorted(set(va) | set(vb)) if va.get(k) != vb.get(k)]
for k, x, y in bad[:20]:
    print(f"  {k}: {x} through the relay, {y} on the lab")
sys.exit(1 if bad or not va else 0)
PY
}

# 1. Every lab: the same verdicts through the relay as on the lab. (Evidence
# rows are the agent's, compared by tests/powershell/agent_labs.sh.)
n=0
for f in "$top_srcdir"/labs/*.yaml; do
	lab=$(basename "$f" .yaml)
	n=$((n + 1))
	"$CMHARDEN" --target "lab:$lab" check --format json >"$T/lab.json" 2>"$T/lab.err"
	lrc=$?
	"$CMHARDEN" --target "agent:$R $lab" check --format json >"$T/relay.json" 2>"$T/relay.err"
	rrc=$?
	if [ "$lrc" -eq "$rrc" ]; then pass "$lab: same exit code through the relay ($rrc)"; else
		fail "$lab: exit $rrc through the relay, $lrc on the lab"
		sed 's/^/    | /' "$T/relay.err" | tail -20
	fi
	if same "$T/relay.json" "$T/lab.json" >"$T/diff" 2>&1; then
		pass "$lab: every verdict through the relay equals the lab's"
	else
		fail "$lab: the relay's results differ from the lab's:"
		head -40 "$T/diff"
	fi
done
[ "$n" -ge 5 ] && pass "$n labs compared" || fail "only $n labs found"

# 2. Fix and undo through the relay: the lab ends as it began.
# snap FILE: the lab as a scenario, without the lines that date it.
snap() { "$CMHARDEN" --target lab:default snapshot 2>/dev/null | grep -v '^  title: \|^  briefing: ' >"$1"; }
"$CMHARDEN" lab reset default >/dev/null 2>&1
snap "$T/before.yaml"
# Exit 1 as on the lab: the checks whose fix is a console step still fail.
expect_rc 1 "fix --failing --yes through the relay" -- "$CMHARDEN" --target "agent:$R default" fix --failing --yes
grep -q 'applied' "$T/out" && pass "fix --failing applied changes through the relay" ||
	{ fail "fix --failing applied nothing through the relay"; head -20 "$T/out" | sed 's/^/    | /'; }
snap "$T/fixed.yaml"
if cmp -s "$T/before.yaml" "$T/fixed.yaml"; then fail "the fixes through the relay changed nothing in the lab"; else
	pass "the fixes through the relay reached the lab"; fi
expect_rc 0 "undo --session --yes through the relay" -- "$CMHARDEN" --target "agent:$R default" undo --session --yes
snap "$T/after.yaml"
if cmp -s "$T/before.yaml" "$T/after.yaml"; then pass "fix then undo through the relay leave the lab as it was"; else
	fail "the lab differs after fix and undo through the relay:"
	diff "$T/before.yaml" "$T/after.yaml" | head -20 | sed 's/^/    | /'
fi
expect_rc 0 "a read-only relay: doctor exits 0" -- "$CMHARDEN" --target "agent:$R default -ReadOnly" doctor
contains "$T/out" "Changes: refused.*ReadOnly" "a read-only relay refuses changes, and says why"

# 3. Broken sites. Each case: the doctor names the server and the reason, and
# the checks that need it are errors naming the server, never a pass, while
# the checks of other servers still get their verdicts.
# On the hardened lab, where the checks that read local groups pass: through a
# broken site they must not.
# broken CASE-NAME DOCTOR-LINE-REGEX CHECK-ID SERVER RELAY-OPTIONS...
"$CMHARDEN" lab reset hardened >/dev/null 2>&1
"$CMHARDEN" --target lab:hardened check --format json >"$T/lab-hardened.json" 2>/dev/null
grep -q '"id":"console.no-lowrights-ts-to-sitesystems"[^}]*"status":"pass"' "$T/lab-hardened.json" &&
	pass "console.no-lowrights-ts-to-sitesystems passes on the hardened lab" ||
	fail "console.no-lowrights-ts-to-sitesystems does not pass on the hardened lab: the cases below prove nothing"
broken() {
	name=$1 line=$2 check=$3 server=$4
	shift 4
	expect_rc 1 "$name: doctor exits 1" -- "$CMHARDEN" --target "agent:$R hardened $*" doctor
	cp "$T/out" "$T/doctor-$name"
	contains "$T/doctor-$name" "$line" "$name: the doctor says '$line'"
	contains "$T/doctor-$name" "cannot be judged:.*$check" "$name: the doctor names $check among the checks it costs"
	lacks "$T/doctor-$name" "Everything the checklist needs is readable" "$name: the doctor does not call it readable"
	"$CMHARDEN" --target "agent:$R hardened $*" check --format json >"$T/check-$name.json" 2>"$T/check.err"
	rc=$?
	[ "$rc" -eq 2 ] && pass "$name: check exits 2" || fail "$name: check exits $rc, want 2"
	python3 - "$T/check-$name.json" "$T/lab-hardened.json" "$check" "$server" >"$T/verdict" 2>&1 <<'PY'
import json, sys
d, lab = (json.load(open(p)) for p in sys.argv[1:3])
r = {x["id"]: x for x in d["results"]}
c = r[sys.argv[3]]
print(c["status"], sys.argv[4] in (c.get("reason") or ""))
# Every check that is not an error has the lab's verdict: nothing passes on
# data that was not read, and what was read is judged as on the lab.
lv = {x["id"]: x["status"] for x in lab["results"]}
same = sum(1 for x in d["results"] if x["status"] != "error" and x["status"] == lv[x["id"]])
wrong = [x["id"] for x in d["results"] if x["status"] != "error" and x["status"] != lv[x["id"]]]
errors = sum(1 for x in d["results"] if x["status"] == "error")
print(same, errors, " ".join(wrong))
PY
	contains "$T/verdict" "^error True$" "$name: $check is an error naming $server"
	set -- $(sed -n 2p "$T/verdict")
	if [ "${1:-0}" -gt 50 ] && [ -z "${3:-}" ]; then
		pass "$name: the other checks have the lab's verdicts ($1 with a verdict, $2 errors)"
	else
		fail "$name: ${1:-0} checks with the lab's verdict, ${2:-?} errors, different: ${3:-} ${4:-}"
	fi
}
broken unreachable "local groups  *NPS01: timed out" console.no-lowrights-ts-to-sitesystems NPS01 \
	-Remote NPS01=timeout
broken denied "local groups  *CM02: access denied" console.no-lowrights-ts-to-sitesystems CM02 \
	-Fail adsi/CM02=AccessDenied
broken winrm "local groups  *NPS01: WinRM not enabled" console.no-lowrights-ts-to-sitesystems NPS01 \
	-Remote NPS01=refused
# CM02's session opens (the agent loads there), then breaks on its first read:
# the provider's classes and the other site systems have been read in the same
# batch, CM02's have not. (`check` reads everything in one batch, one request
# per computer: drop:1 is the drop in the middle of that batch.)
broken dropped "local groups  *CM02: the session broke while in use" console.no-lowrights-ts-to-sitesystems CM02 \
	-Remote CM02=drop:1

# The relay keeps to PowerShell 2.0 (the parser's check is tests/cli/cli_agent_ps.sh),
# and nothing here may have needed a second hop: each runspace refuses the others.
contains "$T/doctor-denied" "registry  *readable on CM01, CM02" "no second hop: CM02's registry was read on CM02"
finish
