#!/bin/sh
# The share-acl-set-entries fix script (fixes/scripts/share-acl-set-entries)
# through the real PowerShell agent against the simulated site of lab default:
# its capture, apply and undo reach Windows through the agent's contact points
# (Invoke-WmiQuery, Resolve-AccountSid, New-WmiInstance,
# ConvertTo-WmiObjectArray), which tests/powershell/FakeSite.ps1 answers as
# Windows does (Win32_LogicalShareSecuritySetting, Win32_SecurityDescriptor,
# Win32_ACE, Win32_Trustee by SID, accounts that do not exist). The chosen fix
# sets the share's entries, deny entries first as Windows orders them, and undo
# leaves the site byte-identical; an account Windows cannot resolve fails the
# fix before the share is touched.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/powershell/find-pwsh.sh"
ps_require "the share-acl-set-entries fix script through the PowerShell agent (tests/powershell/agent_share_acl.sh)"
CMHARDEN_AGENT_TIMEOUT=600
export CMHARDEN_AGENT_TIMEOUT
cd "$T" || exit 1
cp "$top_srcdir/labs/default.yaml" "$T/site.yaml"
lab="lab:$T/site.yaml"
agent="agent:$top_srcdir/tests/powershell/agent-on-lab $T/site.yaml"
FIX=dp.branch-dp-access-controls.set-share-permissions
SHARE='LYN-WS0142/\\LYN-WS0142\SMSPKGD$'
body() { sed '1,/^site:/d' "$1"; }
share_entries() { "$CMHARDEN" --target "$lab" lab show FileAcl | grep -A1 '^FileAcl  LYN-WS0142/\\\\LYN-WS0142\\SMSPKGD\$$' |
	sed -n 's/^ *Entries  *//p'; }
"$CMHARDEN" --target "$lab" snapshot -o "$T/start.yaml" 2>/dev/null
[ "$(share_entries)" = "[Everyone:Full]" ] && pass "the branch share grants Everyone Full" || fail "share: $(share_entries)"

expect_rc 0 "the chosen share fix through the PowerShell agent" -- "$CMHARDEN" --target "$agent" fix "$FIX" --objects "$SHARE" \
	--param 'Entries=BUILTIN\Administrators:Full' --param 'Entries=CONTOSO\$(New-Item pwned):Read' \
	--param 'Entries=CONTOSO\Helpdesk:(DENY)Change' --param 'Entries=NT AUTHORITY\SYSTEM:0x1F01FF' --yes
[ "$(share_entries)" = '[CONTOSO\Helpdesk:(DENY)Change, BUILTIN\Administrators:Full, CONTOSO\$(New-Item pwned):Read, NT AUTHORITY\SYSTEM:Full]' ] &&
	pass "the share holds the entries, deny first as Windows orders them, each account resolved to its SID and back" ||
	fail "share after apply: $(share_entries)"
contains "$T/out" "re-checked: needs_attestation" "the attestation check still asks the operator"
expect_rc 0 "undo through the PowerShell agent" -- "$CMHARDEN" --target "$agent" undo --session --yes
"$CMHARDEN" --target "$lab" snapshot -o "$T/undone.yaml" 2>/dev/null
body "$T/start.yaml" >"$T/a"
body "$T/undone.yaml" >"$T/b"
cmp -s "$T/a" "$T/b" && pass "after undo the site is byte-identical to the start" ||
	{ fail "after undo the site differs:"; diff "$T/a" "$T/b" | head -10 | sed 's/^/    | /'; }

expect_rc 2 "an account Windows cannot resolve fails the fix" -- "$CMHARDEN" --target "$agent" fix "$FIX" --objects "$SHARE" \
	--param 'Entries=BUILTIN\Administrators:Full' --param 'Entries=NOSUCHDOMAIN\nobody:Read' --yes
contains "$T/err" "could not be translated" "with Windows' reason"
[ "$(share_entries)" = "[Everyone:Full]" ] && pass "and the share is left as it was" || fail "share: $(share_entries)"
[ ! -e "$T/pwned" ] && pass "nothing in an account name was executed" || fail "an account name was executed"
finish
