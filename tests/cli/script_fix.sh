#!/bin/sh
# Script steps through the cmharden binary, on a private copy of the content
# (so the trust check judges files this test owns): the round trip (fix ->
# check passes -> undo -> the lab identical to fresh), a SIGKILL at every
# point of the write-ahead protocol for a script change, hostile parameters
# (refused when their type forbids them, passed as exact data when it allows
# them), the content trust check, and the lint of scripts.
. "$top_srcdir/tests/lib.sh"

C="$T/content"
mkdir "$C" && cp -R "$top_srcdir/checks" "$top_srcdir/fixes" "$top_srcdir/labs" "$C/" && chmod -R u+w,go-w "$C" # a copy of a read-only tree (make distcheck) is made writable by its owner
CMHARDEN_CONTENT="$C"
export CMHARDEN_CONTENT
cd "$T" || exit 1

FIX=console.no-nonadmin-rdp-siteserver.remove-members
CHECK=console.no-nonadmin-rdp-siteserver
FRESH_MEMBERS='[CONTOSO\Helpdesk, CONTOSO\App Packagers, CONTOSO\svc-sccmreport]'

# The whole lab state, class by class, as 'lab show' prints it.
dump() {
	"$CMHARDEN" "$@" lab show | awk 'NR > 3 && NF == 2 { print $1 }' | while read -r cls; do
		"$CMHARDEN" "$@" lab show "$cls"
	done
}
members() { # [--target T] -> Members of CM01/Remote Desktop Users
	"$CMHARDEN" "$@" lab show LocalGroup | grep -A1 '^LocalGroup  CM01/Remote Desktop Users$' |
		sed -n 's/^ *Members  *//p'
}
status_of() { # CHECK-ID FILE -> status from 'check --format json'
	tr '{' '\n' <"$2" | grep "\"id\":\"$1\"" | sed -n 's/.*"status":"\([a-z_]*\)".*/\1/p' | head -1
}
last_state() { # state of the newest script change in the journal
	"$CMHARDEN" journal export --format json | tr '{' '\n' | grep '"kind":"script"' | tail -1 |
		sed -n 's/.*"state":"\([a-z_]*\)".*/\1/p'
}

"$CMHARDEN" lab reset default >/dev/null
dump >"$T/fresh"
[ "$(members)" = "$FRESH_MEMBERS" ] && pass "the fresh lab has members in Remote Desktop Users" ||
	fail "fresh members: $(members)"

# --- preview: capture runs, nothing changes ---
expect_rc 0 "preview of a script fix" -- "$CMHARDEN" fix "$FIX"
contains "$T/out" "step 1: script localgroup-remove-members on LocalGroup" "the preview names the script"
contains "$T/out" "state: \[CONTOSO.Helpdesk, CONTOSO.App Packagers, CONTOSO.svc-sccmreport\] -> \[\]" \
	"the preview shows the captured state and the state apply leaves"
contains "$T/out" "Group = Remote Desktop Users" "the preview shows the parameters"
dump >"$T/after-preview"
cmp -s "$T/fresh" "$T/after-preview" && pass "the preview left the lab identical" || fail "the preview changed the lab"
[ ! -e "$XDG_DATA_HOME/cmharden/journal.db" ] && pass "the preview wrote no journal" || fail "the preview wrote the journal"

# --- the round trip ---
expect_rc 0 "fix --yes runs the script" -- "$CMHARDEN" fix "$FIX" --yes
contains "$T/out" "applied 1 change(s); $CHECK re-checked: pass" "the check passes after the script"
[ "$(members)" = "[]" ] && pass "the members are gone" || fail "members after the fix: $(members)"
"$CMHARDEN" check --format json >"$T/after.json"
[ "$(status_of "$CHECK" "$T/after.json")" = pass ] && pass "check reports $CHECK pass" || fail "check after the fix"
"$CMHARDEN" journal export --format json >"$T/export.json"
contains "$T/export.json" '"kind":"script"' "the journal records a script change"
contains "$T/export.json" '"property":"localgroup-remove-members"' "... of the script"
contains "$T/export.json" '"params":"l:' "... with its parameters"
contains "$T/export.json" 'Members' "... by name"
expect_rc 0 "journal show" -- "$CMHARDEN" journal show 1
contains "$T/out" "script localgroup-remove-members: \[CONTOSO" "journal show names the script change"
expect_rc 0 "journal verify after a script fix" -- "$CMHARDEN" journal verify
expect_rc 0 "undo --session --yes" -- "$CMHARDEN" undo --session --yes
contains "$T/out" "Undone: 1 change(s)" "the script change is undone"
dump >"$T/undone"
cmp -s "$T/fresh" "$T/undone" && pass "after undo the lab is identical to the fresh lab" ||
	{ fail "undo left differences"; diff "$T/fresh" "$T/undone" | head -10; }
"$CMHARDEN" check --format json >"$T/again.json"
[ "$(status_of "$CHECK" "$T/again.json")" = fail ] && pass "the check fails again after undo" || fail "check after undo"
expect_rc 0 "journal verify after undo" -- "$CMHARDEN" journal verify

# --- crashes: SIGKILL at every point of a script change ---
for point in after-plan after-set after-mark; do
	CMHARDEN_CRASH_AT=$point "$CMHARDEN" fix "$FIX" --yes >"$T/out" 2>&1
	rc=$?
	[ "$rc" -eq 137 ] && pass "killed at $point" || fail "not killed at $point (exit $rc)"
	expect_rc 0 "restart after a kill at $point reconciles" -- "$CMHARDEN" undo --session
	m=$(members)
	s=$(last_state)
	case "$point:$m:$s" in
	"after-plan:$FRESH_MEMBERS:not_applied" | "after-set:[]:applied" | "after-mark:[]:applied")
		pass "journal and lab agree after $point ($s)" ;;
	*) fail "journal and lab disagree after $point: state '$s', members '$m'" ;;
	esac
	"$CMHARDEN" undo --session --yes >/dev/null 2>&1
	[ "$(members)" = "$FRESH_MEMBERS" ] && pass "undo after the $point crash restores the members" ||
		fail "members after undo: $(members)"
done
for point in undo-after-plan undo-after-set; do
	"$CMHARDEN" fix "$FIX" --yes >/dev/null 2>&1
	CMHARDEN_CRASH_AT=$point "$CMHARDEN" undo --session --yes >"$T/out" 2>&1
	rc=$?
	[ "$rc" -eq 137 ] && pass "killed at $point" || fail "not killed at $point (exit $rc)"
	expect_rc 0 "restart after a kill at $point" -- "$CMHARDEN" undo --session --yes
	[ "$(members)" = "$FRESH_MEMBERS" ] && pass "after $point the members are restored exactly once" ||
		fail "members after $point: $(members)"
	expect_rc 0 "nothing is left to undo after $point" -- "$CMHARDEN" undo --session --yes
	contains "$T/out" "Nothing to undo" "the script change is recorded as undone after $point"
done
dump >"$T/final"
cmp -s "$T/fresh" "$T/final" && pass "after all crash cycles the lab equals the fresh lab" ||
	{ fail "crash cycles left differences"; diff "$T/fresh" "$T/final" | head; }
expect_rc 0 "the journal verifies after all crashes" -- "$CMHARDEN" journal verify

# --- hostile parameters ---
scenario() { # NAME MEMBERS-YAML-FLOW-LIST
	cat >"$T/$1.yaml" <<EOF
scenario: {name: $1, title: Hostile members}
site: {code: ODD, name: Odd, server: CM01, version: 2007 SP2, mode: mixed}
objects:
  - class: LocalGroup
    key: CM01/Remote Desktop Users
    properties:
      Server: CM01
      Name: Remote Desktop Users
      Members: $2
EOF
}
# Allowed by the principal type: they reach the lab as exact data.
scenario odd "[\"CONTOSO\\\\O'Brien\", 'CONTOSO\\\$(Start-Process calc)', 'CONTOSO\\\`touch pwned\`', 'CONTOSO\\Name With Spaces', 'NT AUTHORITY\\Authenticated Users']"
ODD="--target=lab:$T/odd.yaml"
ODD_MEMBERS="[CONTOSO\\O'Brien, CONTOSO\\\$(Start-Process calc), CONTOSO\\\`touch pwned\`, CONTOSO\\Name With Spaces, NT AUTHORITY\\Authenticated Users]"
[ "$(members "$ODD")" = "$ODD_MEMBERS" ] && pass "the odd lab holds the odd members" || fail "odd members: $(members "$ODD")"
dump "$ODD" >"$T/odd-fresh"
expect_rc 0 "a fix with odd but valid members" -- "$CMHARDEN" "$ODD" --journal "$T/odd.db" fix "$FIX" --yes
contains "$T/out" "re-checked: pass" "every odd member was matched and removed"
[ ! -e "$T/pwned" ] && pass "nothing in a member name was executed" || fail "a member name was executed"
"$CMHARDEN" --journal "$T/odd.db" journal export --format json >"$T/odd.json"
contains "$T/odd.json" 'CONTOSO\\\\\$(Start-Process calc)' "the journal holds the member names as given"
expect_rc 0 "undo the odd fix" -- "$CMHARDEN" "$ODD" --journal "$T/odd.db" undo --session --yes
dump "$ODD" >"$T/odd-undone"
cmp -s "$T/odd-fresh" "$T/odd-undone" && pass "undo restores the odd members byte for byte" ||
	{ fail "odd members after undo differ"; diff "$T/odd-fresh" "$T/odd-undone"; }

# Forbidden by the type: refused before anything runs, with the reason.
refused() { # NAME WHAT-THE-MESSAGE-SAYS DESCRIPTION
	dump "--target=lab:$T/$1.yaml" >"$T/$1-fresh"
	expect_rc 2 "$3: refused" -- "$CMHARDEN" "--target=lab:$T/$1.yaml" --journal "$T/$1.db" fix "$FIX" --yes
	contains "$T/err" "$2" "$3: the error says why"
	contains "$T/err" "fix $FIX refused" "$3: the fix is refused whole"
	dump "--target=lab:$T/$1.yaml" >"$T/$1-after"
	cmp -s "$T/$1-fresh" "$T/$1-after" && pass "$3: the lab is unchanged" || fail "$3: the lab changed"
	"$CMHARDEN" --journal "$T/$1.db" journal export --format json >"$T/$1.json"
	contains "$T/$1.json" '"changes":\[\]' "$3: no change was journaled"
}
scenario semi "['CONTOSO\\ok', 'CONTOSO\\x; Remove-Item -Recurse C:\\ #']"
refused semi "parameter Members (principal-list): item 2: the name of a principal cannot contain ';'" "a member with '; Remove-Item'"
scenario quote "['CONTOSO\\''@\"']"
refused quote "cannot contain '\"'" "a member with '@\""
scenario newline "[\"CONTOSO\\\\a\\nb\"]"
refused newline "control character U+000A" "a member with a newline"
expect_rc 2 "the preview refuses too" -- "$CMHARDEN" "--target=lab:$T/semi.yaml" fix "$FIX"
contains "$T/err" "cannot contain ';'" "the preview says why"

# --- an action the operator chooses, on an attestation check ---
SHARE_FIX=dp.branch-dp-access-controls.set-share-permissions
LYN_SHARE='LYN-WS0142/\\LYN-WS0142\SMSPKGD$'
share_entries() { "$CMHARDEN" lab show FileAcl | grep -A1 '^FileAcl  LYN-WS0142/\\\\LYN-WS0142\\SMSPKGD\$$' |
	sed -n 's/^ *Entries  *//p'; }
[ "$(share_entries)" = "[Everyone:Full]" ] && pass "the branch share grants Everyone Full" || fail "share: $(share_entries)"
expect_rc 2 "a chosen fix needs --objects" -- "$CMHARDEN" fix "$SHARE_FIX"
contains "$T/err" "name them with --objects" "it says how to choose"
expect_rc 2 "an object not in the evidence is refused" -- "$CMHARDEN" fix "$SHARE_FIX" --objects 'CM01/Nope'
contains "$T/err" "is not in the evidence of dp.branch-dp-access-controls" "it says why"
expect_rc 2 "without its --param the fix is refused" -- "$CMHARDEN" fix "$SHARE_FIX" --objects "$LYN_SHARE"
contains "$T/err" "parameter Entries is for you to give: --param Entries=VALUE" "it says which parameter to give"
expect_rc 2 "an unknown --param is refused" -- "$CMHARDEN" fix "$SHARE_FIX" --objects "$LYN_SHARE" --param 'Entrys=Everyone:Read'
contains "$T/err" "asks for no parameter 'Entrys'" "it names the parameter"
expect_rc 2 "--param on a fix that asks for nothing" -- "$CMHARDEN" fix "$FIX" --param 'Members=x'
expect_rc 64 "--param does not go with --failing" -- "$CMHARDEN" fix --failing --param 'Entries=x:Read'
for bad in 'Everyone:Full; Remove-Item -Recurse C:\ #' "CONTOSO\\'@\":Read" 'Everyone:Read
' 'Everyone:$(Start-Process calc)'; do
	expect_rc 2 "a hostile --param is refused: $(printf %s "$bad" | head -1)" -- \
		"$CMHARDEN" fix "$SHARE_FIX" --objects "$LYN_SHARE" --param 'Entries=BUILTIN\Users:Read' --param "Entries=$bad" --yes
	contains "$T/err" "parameter Entries (acl-entry-list): item 2" "... naming the item"
done
[ "$(share_entries)" = "[Everyone:Full]" ] && pass "refused values changed nothing" || fail "share: $(share_entries)"
expect_rc 0 "preview of the chosen fix (an NTFS object is left alone)" -- \
	"$CMHARDEN" fix "$SHARE_FIX" --objects "$LYN_SHARE,LYN-WS0142/D:\SMSPKGD\$" \
	--param 'Entries=BUILTIN\Administrators:Full' --param 'Entries=CONTOSO\$(Start-Process calc):Read'
contains "$T/out" 'left alone: these are NTFS permissions' "the NTFS object is left alone"
contains "$T/out" 'state: \[Everyone:Full\] -> \[BUILTIN.Administrators:Full, CONTOSO.\$(Start-Process calc):Read\]' \
	"the preview shows the entries the share will have"
expect_rc 0 "the chosen fix applies" -- \
	"$CMHARDEN" fix "$SHARE_FIX" --objects "$LYN_SHARE" \
	--param 'Entries=BUILTIN\Administrators:Full' --param 'Entries=CONTOSO\$(Start-Process calc):Read' --yes
contains "$T/out" "re-checked: needs_attestation" "the attestation check still asks the operator"
[ "$(share_entries)" = '[BUILTIN\Administrators:Full, CONTOSO\$(Start-Process calc):Read]' ] &&
	pass "the share holds the given entries, byte for byte" || fail "share: $(share_entries)"
expect_rc 0 "undo the chosen fix" -- "$CMHARDEN" undo --session --yes
[ "$(share_entries)" = "[Everyone:Full]" ] && pass "undo puts the share's entries back" || fail "share: $(share_entries)"
dump >"$T/after-chosen"
cmp -s "$T/fresh" "$T/after-chosen" && pass "after the chosen fix and its undo the lab equals the fresh lab" ||
	fail "the chosen fix left differences"

# --- a target without 'run' (an agent that does not offer it: here cmharden's own,
# with 'run' cut from its capabilities) refuses script steps, and --failing gives
# it the console fix instead ---
AG="--target=agent-shell:'$CMHARDEN' agent --lab default | sed -u '/^cap /s/ run\$//'"
expect_rc 2 "a script fix through an agent without 'run'" -- "$CMHARDEN" "$AG" fix "$FIX"
contains "$T/err" "cannot run fix scripts" "the refusal says the target cannot run scripts"
expect_rc 0 "the check id through the agent picks the console fix" -- "$CMHARDEN" "$AG" fix "$CHECK"
contains "$T/out" "Fix console.no-nonadmin-rdp-siteserver.console" "the console fix is shown"
expect_rc 0 "fix --failing --dry-run through the agent" -- "$CMHARDEN" "$AG" fix --failing --dry-run
contains "$T/out" "cmharden fix console.no-nonadmin-rdp-siteserver.console" "the console fix is listed for the operator"
lacks "$T/err" "refused" "no fix is refused"

# --- content others can write is refused ---
chmod g+w "$C/fixes/scripts"
expect_rc 2 "group-writable fixes/scripts: the preview is refused" -- "$CMHARDEN" fix "$FIX"
contains "$T/err" "$C/fixes/scripts is group-writable (mode 0775)" "the refusal names the path and its mode"
expect_rc 2 "group-writable fixes/scripts: fix --yes is refused" -- "$CMHARDEN" fix "$FIX" --yes
dump >"$T/trust"
cmp -s "$T/fresh" "$T/trust" && pass "nothing changed under untrusted content" || fail "untrusted content changed the lab"
expect_rc 2 "fix --failing applies the other fixes and refuses the script fixes" -- "$CMHARDEN" fix --failing --yes
contains "$T/out" "inv.disable-mif re-checked: pass" "set fixes still apply"
contains "$T/err" "group-writable" "the script fixes say why they were refused"
[ "$(members)" = "$FRESH_MEMBERS" ] && pass "the script fixes did not run" || fail "members: $(members)"
expect_rc 0 "undo the set fixes" -- "$CMHARDEN" undo --session --yes
chmod g-w "$C/fixes/scripts"
chmod o+w "$C/fixes/scripts/localgroup-remove-members/undo.ps1"
expect_rc 2 "a world-writable undo.ps1 refuses the fix" -- "$CMHARDEN" fix "$FIX" --yes
contains "$T/err" "undo.ps1 is world-writable (mode 0646)" "the refusal names the file"
chmod o-w "$C/fixes/scripts/localgroup-remove-members/undo.ps1"
chmod g+w "$C/fixes/console.yaml"
expect_rc 2 "a group-writable fixes/console.yaml refuses its script fixes" -- "$CMHARDEN" fix "$FIX" --yes
contains "$T/err" "console.yaml is group-writable" "the refusal names the fixes file"
chmod g-w "$C/fixes/console.yaml"
dump >"$T/trust2"
cmp -s "$T/fresh" "$T/trust2" && pass "after the trust refusals the lab equals the fresh lab" || fail "trust refusals changed the lab"

# --- the PowerShell files run nothing built from text ---
# Parameters arrive bound by name; a script that evaluated text (Invoke-Expression,
# a script block made from a string, a new process or shell, the call operator on
# a variable) could turn data into code. None of the shipped scripts may.
EVAL_RE='Invoke-Expression|(^|[^a-z-])iex([^a-z-]|$)|ScriptBlock\]::Create|Start-Process|-EncodedCommand|-Command([^a-z]|$)|cmd(\.exe)? /c|Invoke-Command|&[[:space:]]*\$|Add-Type'
if grep -n -i -E "$EVAL_RE" "$top_srcdir"/fixes/scripts/*/*.ps1 >"$T/evaluating"; then
	fail "a fix script evaluates text:"
	sed 's/^/    | /' "$T/evaluating"
else
	pass "no fix script evaluates text or starts a process"
fi
for evil in 'Invoke-Expression $x' 'iex $x' '& $sb' '[ScriptBlock]::Create($t)' 'Start-Process calc' 'cmd /c $x'; do
	printf '%s\n' "$evil" | grep -q -i -E "$EVAL_RE" && pass "the pattern catches: $evil" || fail "the pattern misses: $evil"
done

# --- lint ---
expect_rc 0 "the copied content lints clean" -- "$CMHARDEN" content lint "$C"
mv "$C/fixes/scripts/localgroup-remove-members/undo.ps1" "$T/undo.ps1"
expect_rc 1 "a script without undo.ps1" -- "$CMHARDEN" content lint "$C"
contains "$T/out" "localgroup-remove-members/undo.ps1: cannot open" "lint names the missing file"
mv "$T/undo.ps1" "$C/fixes/scripts/localgroup-remove-members/undo.ps1"
sed -i 's/\[string\[\]\]\$Members/[string]$Members/' "$C/fixes/scripts/localgroup-remove-members/apply.ps1"
expect_rc 1 "apply.ps1 declares a parameter with another type" -- "$CMHARDEN" content lint "$C"
contains "$T/out" 'apply.ps1:17:0: $Members must be declared \[string\[\]\] (a principal-list)' "lint compares the param() block"
finish
