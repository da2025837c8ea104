#!/bin/sh
# Windows failures through the real PowerShell agent (simulated site of lab
# default, tests/powershell/FakeSite.ps1 -Fail rules): each gives the answer
# doc/agent-protocol.md specifies, within the time-out, and nothing passes or
# looks complete on data that was not read.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/powershell/find-pwsh.sh"
ps_require "Windows failures through the PowerShell agent (tests/powershell/agent_failures.sh)"
command -v python3 >/dev/null 2>&1 || ps_skip "python3 is not installed" "the failure results of the PowerShell agent"
CMHARDEN_AGENT_TIMEOUT=600
export CMHARDEN_AGENT_TIMEOUT
on_lab="$top_srcdir/tests/powershell/agent-on-lab default"

# 1. One site system switched off (CM02: RPC server unavailable, remote registry
# path not found), a certificate store that cannot be opened (access denied),
# a class the provider refuses (access denied) and SMS_PackageBaseClass missing
# (invalid class: the agent reads the package classes one by one).
"$CMHARDEN" --target "agent:$on_lab -Fail server/CM02=RpcUnavailable;certstore/CM01/SMS=AccessDenied;wmi/*/SMS_Advertisement=AccessDenied;wmi/*/SMS_PackageBaseClass=InvalidClass" \
	check --format json >"$T/partial.json" 2>"$T/partial.err"
rc=$?
[ "$rc" -eq 2 ] && pass "a site with failures exits 2 (errors)" || fail "exit $rc with failures, want 2"
python3 - "$T/partial.json" >"$T/py" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
res = {r["id"]: r for r in d["results"]}
ok = True
def expect(cond, what):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok = ok and cond
def tables(cls):
    return [(r, e) for r in d["results"] for e in r.get("evidence") or [] if e.get("class") == cls]
lg = tables("LocalGroup")
expect(lg and all("could not be read on CM02: The RPC server is unavailable" in (e.get("error") or "") for r, e in lg),
       "every LocalGroup table names CM02 and Windows' reason")
expect(any(o["key"].startswith("CM01/") for r, e in lg for o in e.get("objects", [])),
       "CM01's local groups still arrive")
expect(not any(o["key"].startswith("CM02/") for r, e in lg for o in e.get("objects", [])),
       "nothing is shown for CM02")
reg = tables("Registry")
expect(reg and all("CM02: The network path was not found." in (e.get("error") or "") for r, e in reg),
       "the remote registry's failure on CM02 is that server's error")
certs = tables("Certificate")
expect(certs and all("CM01: Access is denied." in (e.get("error") or "") for r, e in certs),
       "a certificate store that cannot be opened is an error, never an empty list")
bad = [r["id"] for r in d["results"] if r["status"] == "pass"
       and any((e.get("error") or "").startswith("incomplete") or (e.get("error") or "").startswith("cannot")
               for e in r.get("evidence") or [])]
expect(not bad, "no check passes on data that was not read " + str(bad))
adv = [r for r in d["results"] if r.get("evidence") and any(e.get("class") == "SMS_Advertisement" for e in r["evidence"])]
expect(adv and all(r["status"] in ("error", "needs_attestation") for r in adv)
       and any("Access denied" in (r.get("reason") or "") for r in adv),
       "a class the provider refuses is an error of the checks that read it, with WMI's reason")
pk = tables("SMS_Package")
expect(pk and sum(len(e.get("objects", [])) for r, e in pk) > 0 and not any(e.get("error") for r, e in pk),
       "without SMS_PackageBaseClass the packages are read class by class")
sys.exit(0 if ok else 1)
PY
prc=$?
cat "$T/py"
[ "$prc" -eq 0 ] || fail "the partial-site results are wrong"

# 2. The SMS Provider cannot be reached: the hello is refused with 503.
s=$(date +%s)
"$CMHARDEN" --target "agent:$on_lab -Fail wmi/*/root\\sms=RpcUnavailable" check >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 2 ] && pass "an unreachable SMS Provider exits 2" || fail "exit $rc for an unreachable provider, want 2"
contains "$T/err" "cannot reach the SMS Provider: The RPC server is unavailable" "the error says the provider is unreachable and why"
contains "$T/err" "503" "with the protocol's 503 (source unavailable)"

# 3. A WMI call that never returns: cmharden stops the agent after its idle
# time-out and reports the checks as errors; nothing waits without a bound.
# The time-out must outlast the agent's start before its hello (pwsh and the
# simulation: 3 to 5 s here, ten times that on a machine under heavy load);
# the test then waits it out in full, its make -j slot idle meanwhile.
CMHARDEN_AGENT_TIMEOUT=60
s=$(date +%s)
"$CMHARDEN" --target "agent:$on_lab -Fail wmi/*/SMS_Collection=Timeout" check >"$T/out" 2>"$T/err"
rc=$?
e=$(date +%s)
[ "$rc" -eq 2 ] && pass "a hung WMI call exits 2" || fail "exit $rc for a hung WMI call, want 2"
if grep -qi 'time' "$T/out" "$T/err"; then pass "the time-out is reported"; else
	fail "no time-out in the output"
	tail -5 "$T/err" | sed 's/^/    | /'
fi
[ $((e - s)) -lt 2400 ] && pass "it ended in $((e - s)) s, within ten times the time-out" ||
	fail "it took $((e - s)) s"
finish
