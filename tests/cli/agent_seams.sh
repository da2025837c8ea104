#!/bin/sh
# The agent touches Windows only through its named contact points (the
# functions tests/powershell/FakeSite.ps1 replaces): WMI, ADSI, the registry,
# ACLs, certificates and account names appear in no other function, so every
# other line of the agent is the line the PowerShell tests ran. The fix
# scripts reach Windows through the same contact points, and [ADSI] for local
# groups (which the simulated site answers). Static: no PowerShell runs here.
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is not installed"; exit 77; }

cat >"$T/seams.py" <<'PY'
import re, sys

# What reaches Windows directly.
WINDOWS = re.compile(r"Get-WmiObject|Get-CimInstance|Invoke-WmiMethod|Set-WmiInstance|\[ADSI\]|\[WMIClass\]|\[wmi\]"
                     r"|System\.Management\.(?!Automation)|Microsoft\.Win32\.Registry(?!ValueOptions)|\bGet-Acl\b|\bSet-Acl\b"
                     r"|X509Store|X509Chain|NTAccount|\bGet-Service\b", re.I)
CONTACTS = {"Invoke-WmiQuery", "Get-WmiStatus", "Connect-WmiNamespace", "New-WmiContext", "Get-WmiPathObject",
            "Invoke-WmiObjectMethod", "Save-WmiPathObject", "Get-AdsiEntry", "Open-RemoteHklm",
            "Get-PathAccessRules", "Open-CertificateStore", "Get-ChainStatus", "Resolve-AccountSid",
            "New-WmiInstance", "ConvertTo-WmiObjectArray"}


def code_lines(path):
    """(line number, function or None, text) of each line that is code, not comment."""
    fn, in_block = None, False
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        s = line.strip()
        if in_block:
            in_block = "#>" not in s
            continue
        if s.startswith("<#"):
            in_block = "#>" not in s
            continue
        m = re.match(r"function\s+([A-Za-z][\w-]*)", s)
        if m:
            fn = m.group(1)
        if s.startswith("#"):
            continue
        yield n, fn, line.split(" #")[0]


def outside(path, allowed, allow_adsi=False):
    bad = []
    for n, fn, text in code_lines(path):
        for m in WINDOWS.finditer(text):
            if allow_adsi and m.group(0).upper() == "[ADSI]":
                continue
            if fn not in allowed:
                bad.append(f"{path}:{n}: {m.group(0)} in {fn or 'the script body'}")
    return bad


mode, paths = sys.argv[1], sys.argv[2:]
bad = []
for p in paths:
    bad += outside(p, CONTACTS if mode == "agent" else set(), allow_adsi=mode == "scripts")
print("\n".join(bad) if bad else "none")
sys.exit(1 if bad else 0)
PY

agent="$top_srcdir/agent/cmharden-agent.ps1"
if python3 "$T/seams.py" agent "$agent" >"$T/out" 2>&1; then
	pass "the agent touches Windows only in its contact points"
else
	fail "the agent touches Windows outside its contact points:"
	sed 's/^/    | /' "$T/out"
fi
if python3 "$T/seams.py" scripts "$top_srcdir"/fixes/scripts/*/*.ps1 >"$T/out" 2>&1; then
	pass "the fix scripts touch Windows only through the contact points and [ADSI]"
else
	fail "a fix script touches Windows directly:"
	sed 's/^/    | /' "$T/out"
fi

# The check must catch what it is for: a direct Get-WmiObject in a reader, and
# a registry key opened in a fix script.
sed 's/^function Read-Service(\$Out) {$/&\n    $x = Get-WmiObject -Class Win32_Service/' "$agent" >"$T/bad-agent.ps1"
cmp -s "$agent" "$T/bad-agent.ps1" && fail "the broken copy of the agent was not made (Read-Service not found)"
python3 "$T/seams.py" agent "$T/bad-agent.ps1" >"$T/out" 2>&1 &&
	fail "a Get-WmiObject in Read-Service was not noticed" ||
	contains "$T/out" "Get-WmiObject in Read-Service" "a Get-WmiObject outside the contact points is named, with its function"
printf '$k = [Microsoft.Win32.RegistryKey]::OpenRemoteBaseKey(0, $Server)\n' >"$T/bad-script.ps1"
python3 "$T/seams.py" scripts "$T/bad-script.ps1" >"$T/out" 2>&1 &&
	fail "a fix script opening the registry itself was not noticed" ||
	pass "a fix script opening the registry itself is noticed"
finish
