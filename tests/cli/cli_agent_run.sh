#!/bin/sh
# Script steps through the agent protocol ('run', doc/agent-protocol.md), on a
# private copy of the content (the trust check judges files this test owns):
# hostile parameter values cross the wire and reach the lab's handler byte for
# byte, values their type forbids are refused by the client before anything is
# sent (and by the agent if a client sends them anyway), a read-only agent runs
# capture only, and an agent that dies during a run leaves the change planned
# for reconciliation, which runs capture on the next start.
. "$top_srcdir/tests/lib.sh"

C="$T/content"
mkdir "$C" && cp -R "$top_srcdir/checks" "$top_srcdir/fixes" "$top_srcdir/labs" "$C/" && chmod -R go-w "$C"
CMHARDEN_CONTENT="$C"
export CMHARDEN_CONTENT
cd "$T" || exit 1

FIX=console.no-nonadmin-rdp-siteserver.remove-members
SHARE_FIX=dp.branch-dp-access-controls.set-share-permissions

# The whole lab state, class by class, read from the lab itself (not the agent).
dump() { # LAB-FILE
	"$CMHARDEN" --target "lab:$1" lab show | awk 'NR > 3 && NF == 2 { print $1 }' | while read -r cls; do
		"$CMHARDEN" --target "lab:$1" lab show "$cls"
	done
}
members() { # LAB-FILE
	"$CMHARDEN" --target "lab:$1" lab show LocalGroup | grep -A1 '^LocalGroup  CM01/Remote Desktop Users$' |
		sed -n 's/^ *Members  *//p'
}
last_state() { # JOURNAL -> state of the newest script change
	"$CMHARDEN" --journal "$1" journal export --format json | tr '{' '\n' | grep '"kind":"script"' | tail -1 |
		sed -n 's/.*"state":"\([a-z_]*\)".*/\1/p'
}
# An agent whose every request is recorded in $T/wire.
wired() { # LAB-FILE
	echo "agent-shell:tee -a '$T/wire' | '$CMHARDEN' agent --lab '$1'"
}

# --- hostile but valid values: quotes, backticks, $(...), percent signs, UTF-8,
# spaces; and semicolons, which a path may hold ---
cat >"$T/odd.yaml" <<'EOF'
scenario: {name: odd, title: Hostile values}
site: {code: ODD, name: Odd, server: CM01, version: 2007 SP2, mode: mixed}
objects:
  - class: LocalGroup
    key: CM01/Remote Desktop Users
    properties:
      Server: CM01
      Name: Remote Desktop Users
      Members: ["CONTOSO\\O'Brien x", 'CONTOSO\$(Start-Process calc)', 'CONTOSO\`touch pwned`', 'CONTOSO\100%41 %25', 'CONTOSO\Jürgen Groß', 'ÄÖ-Domäne\日本語']
  - class: FileAcl
    key: 'CM01/\\CM01\SMSPKG;''$(calc)`x%41ü$'
    properties:
      Server: CM01
      Path: '\\CM01\SMSPKG;''$(calc)`x%41ü$'
      Kind: share
      Entries: ['Everyone:Full']
EOF
ODD_MEMBERS="[CONTOSO\\O'Brien x, CONTOSO\\\$(Start-Process calc), CONTOSO\\\`touch pwned\`, CONTOSO\\100%41 %25, CONTOSO\\Jürgen Groß, ÄÖ-Domäne\\日本語]"
[ "$(members "$T/odd.yaml")" = "$ODD_MEMBERS" ] && pass "the odd lab holds the odd members" ||
	fail "odd members: $(members "$T/odd.yaml")"
dump "$T/odd.yaml" >"$T/odd-fresh"
AG=$(wired "$T/odd.yaml")
J="--journal=$T/odd.db"
: >"$T/wire"
expect_rc 0 "a script fix with odd members through the agent" -- "$CMHARDEN" --target "$AG" "$J" fix "$FIX" --yes
contains "$T/out" "re-checked: pass" "every odd member was matched and removed by the lab behind the agent"
[ "$(members "$T/odd.yaml")" = "[]" ] && pass "the group is empty" || fail "members: $(members "$T/odd.yaml")"
[ ! -e "$T/pwned" ] && pass "nothing in a member name was executed" || fail "a member name was executed"
grep '^run ' "$T/wire" >"$T/runs"
[ "$(grep -c '^run [0-9]* localgroup-remove-members capture principal-list ' "$T/runs")" -ge 2 ] &&
	pass "capture went over the wire (before and after apply)" || fail "no capture on the wire"
[ "$(grep -c '^run [0-9]* localgroup-remove-members apply principal-list ' "$T/runs")" -eq 1 ] &&
	pass "apply went over the wire once" || fail "apply on the wire: $(grep -c ' apply ' "$T/runs")"
contains "$T/runs" "Set-StrictMode%20-Version%202.0" "the request carries the script's text"
contains "$T/runs" " Members principal-list l:" "parameters travel as name, type and typed value"
contains "$T/runs" "CONTOSO\\\\\$(Start-Process%20calc)" "\$(...) travels as data"
contains "$T/runs" "CONTOSO\\\\100%2541%20%2525" "percent signs are encoded as %25"
contains "$T/runs" "J%C3%BCrgen%20Gro%C3%9F" "UTF-8 travels as its bytes"
"$CMHARDEN" "$J" journal export --format json >"$T/odd.json"
contains "$T/odd.json" 'CONTOSO\\\\\$(Start-Process calc)' "the journal holds the captured names as given"
expect_rc 0 "undo the odd fix through the agent (State crosses the wire)" -- \
	"$CMHARDEN" --target "$AG" "$J" undo --session --yes
contains "$T/wire" "^run [0-9]* localgroup-remove-members undo principal-list .* State principal-list l:" \
	"undo received the captured State"
[ "$(members "$T/odd.yaml")" = "$ODD_MEMBERS" ] && pass "undo put back every odd member, byte for byte" ||
	fail "members after undo: $(members "$T/odd.yaml")"

# A path with a semicolon, a quote, a backtick, \$(...), a percent sign and UTF-8; and
# operator-given entries with the same.
SHARE="CM01/\\\\CM01\\SMSPKG;'\$(calc)\`x%41ü\$"
E1='BUILTIN\Administrators:Full'
E2="CONTOSO\\O'Brien\`\$(x)%41 ü:Read"
: >"$T/wire"
expect_rc 0 "a chosen share fix on a hostile path through the agent" -- \
	"$CMHARDEN" --target "$AG" "$J" fix "$SHARE_FIX" --objects "$SHARE" --param "Entries=$E1" --param "Entries=$E2" --yes
contains "$T/out" "re-checked: needs_attestation" "the fix ran"
"$CMHARDEN" --target "lab:$T/odd.yaml" lab show FileAcl >"$T/acl"
[ "$(sed -n 's/^ *Entries  *//p' "$T/acl")" = "[$E1, $E2]" ] &&
	pass "the share holds the given entries, byte for byte" || fail "entries: $(sed -n 's/^ *Entries  *//p' "$T/acl")"
contains "$T/wire" " Path path s:\\\\\\\\CM01\\\\SMSPKG;'\$(calc)\`x%2541%C3%BC\$ " "the path crossed the wire as data"
expect_rc 0 "undo the share fix through the agent" -- "$CMHARDEN" --target "$AG" "$J" undo --session --yes
dump "$T/odd.yaml" >"$T/odd-undone"
cmp -s "$T/odd-fresh" "$T/odd-undone" && pass "after both fixes and their undo the odd lab equals the fresh one" ||
	{ fail "the odd lab differs"; diff "$T/odd-fresh" "$T/odd-undone" | head; }

# --- values their type forbids: refused by the client, nothing is sent ---
cat >"$T/semi.yaml" <<'EOF'
scenario: {name: semi, title: Forbidden members}
site: {code: SEM, name: Semi, server: CM01, version: 2007 SP2, mode: mixed}
objects:
  - class: LocalGroup
    key: CM01/Remote Desktop Users
    properties:
      Server: CM01
      Name: Remote Desktop Users
      Members: ['CONTOSO\ok', 'CONTOSO\x; Remove-Item -Recurse C:\ #']
EOF
dump "$T/semi.yaml" >"$T/semi-fresh"
: >"$T/wire"
expect_rc 2 "a member with '; Remove-Item' through the agent is refused" -- \
	"$CMHARDEN" --target "$(wired "$T/semi.yaml")" --journal "$T/semi.db" fix "$FIX" --yes
contains "$T/err" "item 2: the name of a principal cannot contain ';'" "the client says why"
contains "$T/wire" "^hello " "the agent was reached"
lacks "$T/wire" "^run " "no script request was sent"
: >"$T/wire"
expect_rc 2 "a hostile --param through the agent is refused" -- \
	"$CMHARDEN" --target "$AG" "$J" fix "$SHARE_FIX" --objects "$SHARE" --param "Entries=Everyone:Full; Remove-Item C:\\" --yes
contains "$T/err" "parameter Entries (acl-entry-list): item 1" "the client names the item"
lacks "$T/wire" "^run " "no script request was sent for it"
dump "$T/semi.yaml" >"$T/semi-after"
cmp -s "$T/semi-fresh" "$T/semi-after" && pass "the refused fix changed nothing" || fail "the semi lab changed"

# --- the agent checks again: a client that sends forbidden values anyway ---
TXT='param(%5Bstring%5D$Server)'
G='Group name s:Remote%20Desktop%20Users'
raw() { # LINE: hello, the line, bye
	printf 'hello 1 1 1\n%s\nbye 99\n' "$1" | "$CMHARDEN" agent --lab "$T/odd.yaml" 2>"$T/agent.err"
}
raw "run 2 localgroup-remove-members capture principal-list $TXT Server hostname s:CM01 $G Members principal-list l:12:CONTOSO\\x;%20y" >"$T/raw"
contains "$T/raw" "^cap 1 query batch get set run$" "cmharden agent offers run"
contains "$T/raw" "^error 2 400 .*item%201:.*cannot%20contain%20';'" "the agent refuses a forbidden member itself (400)"
raw "run 2 localgroup-remove-members capture principal-list $TXT Server hostname s:CM01%3Bcalc $G Members principal-list l:" >"$T/raw"
contains "$T/raw" "^error 2 400 parameter%20Server" "the agent refuses a forbidden host name, naming the parameter"
raw "run 2 localgroup-remove-members capture principal-list $TXT Server shell s:CM01" >"$T/raw"
contains "$T/raw" "^error 2 400 .*unknown%20type%20'shell'" "the agent refuses an unknown type"
raw "run 2 localgroup-remove-members capture principal-list $TXT Server hostname s:CM01 $G Members principal-list l:" >"$T/raw"
contains "$T/raw" "^value 2 l:" "a valid capture is answered with a value"
contains "$T/raw" "^end 2$" "... and end"
contains "$T/raw" "^end 99$" "the session goes on to bye"
dump "$T/odd.yaml" >"$T/odd-raw"
cmp -s "$T/odd-fresh" "$T/odd-raw" && pass "the refused and capture-only requests changed nothing" ||
	fail "raw requests changed the lab"

# --- a read-only agent runs capture only ---
ro() { printf "hello 1 1 1\n%s\nbye 99\n" "$1" | "$CMHARDEN" agent --read-only --lab "$T/odd.yaml" 2>"$T/agent.err"; }
ro "run 2 localgroup-remove-members apply principal-list $TXT Server hostname s:CM01 $G Members principal-list l:" >"$T/raw"
contains "$T/raw" "^cap 1 query batch get run$" "a read-only agent offers run (for capture) but not set"
contains "$T/raw" "^error 2 403 " "a read-only agent refuses apply (403)"
ro "run 2 localgroup-remove-members capture principal-list $TXT Server hostname s:CM01 $G Members principal-list l:" >"$T/raw"
contains "$T/raw" "^value 2 l:" "a read-only agent answers capture"
RO="agent:$CMHARDEN agent --read-only --lab $T/odd.yaml"
expect_rc 0 "preview through a read-only agent (capture runs)" -- "$CMHARDEN" --target "$RO" --journal "$T/ro.db" fix "$FIX"
contains "$T/out" "state: \[CONTOSO.O'Brien x" "the preview shows the captured state"
expect_rc 2 "fix --yes through a read-only agent is refused" -- "$CMHARDEN" --target "$RO" --journal "$T/ro.db" fix "$FIX" --yes
contains "$T/err" "read-only" "it says the target is read-only"
[ "$(members "$T/odd.yaml")" = "$ODD_MEMBERS" ] && pass "the read-only agent changed nothing" || fail "members: $(members "$T/odd.yaml")"

# --- the agent dies during a run ---
cp "$top_srcdir/labs/default.yaml" "$T/lab.yaml"
FRESH_MEMBERS='[CONTOSO\Helpdesk, CONTOSO\App Packagers, CONTOSO\svc-sccmreport]'
dump "$T/lab.yaml" >"$T/lab-fresh"
# mode "after": the agent applies, then its answer is lost (the proxy dies);
# mode "before": the agent's input ends with the apply request, which never reaches it.
cat >"$T/dying.sh" <<EOF
#!/bin/sh
while IFS= read -r line; do
	case "\$line" in "run "*" apply "*)
		if [ -e "$T/armed" ]; then
			rm "$T/armed"
			if [ "\$(cat "$T/mode")" = before ]; then exit 0; fi
			echo "\$line" | cut -d' ' -f2 >"$T/runid"
		fi ;;
	esac
	printf '%s\\n' "\$line"
done | "$CMHARDEN" agent --lab "$T/lab.yaml" | while IFS= read -r line; do
	id=\$(cat "$T/runid" 2>/dev/null)
	if [ -n "\$id" ] && [ "\$line" = "end \$id" ]; then
		rm "$T/runid"
		kill \$\$
		exit 0
	fi
	printf '%s\\n' "\$line"
done
EOF
chmod +x "$T/dying.sh"
DY="agent:$T/dying.sh"
for mode in after before; do
	echo "$mode" >"$T/mode"
	touch "$T/armed"
	JD="--journal=$T/dying-$mode.db"
	start=$(date +%s)
	"$CMHARDEN" --target "$DY" "$JD" fix "$FIX" --yes >"$T/out" 2>&1
	rc=$?
	[ "$rc" -ne 0 ] && pass "$mode: a fix whose agent died during apply does not succeed (exit $rc)" ||
		fail "$mode: exit 0"
	took=$(($(date +%s) - start))
	[ "$took" -le 10 ] && pass "$mode: and does not wait for a time-out (${took}s)" || fail "$mode: it took ${took}s"
	contains "$T/out" "the change may or may not have been made" "$mode: the operator is told the outcome is unknown"
	contains "$T/out" "stays planned and is decided on the next start" "$mode: ... and that it is decided on the next start"
	[ "$(last_state "$T/dying-$mode.db")" = planned ] && pass "$mode: the journal leaves the change planned" ||
		fail "$mode: the change is '$(last_state "$T/dying-$mode.db")'"
	if [ $mode = after ]; then
		[ "$(members "$T/lab.yaml")" = "[]" ] && pass "after: the agent did apply it" || fail "after: members $(members "$T/lab.yaml")"
		decided=applied
	else
		[ "$(members "$T/lab.yaml")" = "$FRESH_MEMBERS" ] && pass "before: the agent never applied it" ||
			fail "before: members $(members "$T/lab.yaml")"
		decided=not_applied
	fi
	expect_rc 0 "$mode: the next start through the agent reconciles" -- "$CMHARDEN" --target "$DY" "$JD" undo --session
	[ "$(last_state "$T/dying-$mode.db")" = $decided ] && pass "$mode: reconciliation ran capture and decided: $decided" ||
		fail "$mode: after reconciliation: '$(last_state "$T/dying-$mode.db")'"
	expect_rc 0 "$mode: undo through the agent" -- "$CMHARDEN" --target "$DY" "$JD" undo --session --yes
	[ "$(members "$T/lab.yaml")" = "$FRESH_MEMBERS" ] && pass "$mode: the members are back" ||
		fail "$mode: members $(members "$T/lab.yaml")"
	expect_rc 0 "$mode: the journal verifies" -- "$CMHARDEN" "$JD" journal verify
done
dump "$T/lab.yaml" >"$T/lab-final"
cmp -s "$T/lab-fresh" "$T/lab-final" && pass "after both deaths the lab equals the fresh lab" ||
	{ fail "the lab differs at the end"; diff "$T/lab-fresh" "$T/lab-final" | head; }
finish
