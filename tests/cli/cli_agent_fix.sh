#!/bin/sh
# fix -> undo through the agent protocol restores the site exactly (set fixes and
# script fixes, which the agent runs with 'run'), and an agent that loses the
# answer to a change leaves the journal consistent with the site: the change stays
# planned until reconciliation reads the site through the agent.
. "$top_srcdir/tests/lib.sh"

cp "$top_srcdir/labs/default.yaml" "$T/lab.yaml"
LAB="lab:$T/lab.yaml"
AGENT="agent:$CMHARDEN agent --lab $T/lab.yaml"
# The whole site, as a snapshot written from the lab itself (not through the agent).
state() {
	"$CMHARDEN" --target "$LAB" snapshot -o "$T/state.yaml" 2>/dev/null
	grep -v -e '^  name:' -e '^  title:' -e '^  briefing:' "$T/state.yaml"
}
status_of() { # CHECK-ID FILE
	tr '{' '\n' <"$2" | grep "\"id\":\"$1\"" | sed -n 's/.*"status":"\([a-z_]*\)".*/\1/p' | head -1
}
mif() { "$CMHARDEN" --target "$LAB" lab show SMS_SCI_ClientComp | sed -n 's/^ *Props\[MIF Collection\]\.Value  *//p'; }
last_state() { "$CMHARDEN" journal export --format json | tr '{' '\n' | grep '"property":"Props\[MIF Collection\].Value"' |
	tail -1 | sed -n 's/.*"state":"\([a-z_]*\)".*/\1/p'; }

state >"$T/fresh"
[ "$(grep -c 'class: SMS_Advertisement' "$T/fresh")" -gt 10 ] && pass "the fresh site is recorded" || fail "empty site record"

# 0. One script fix through the agent: capture, apply, capture, all on the wire.
SFIX=console.no-nonadmin-rdp-siteserver.remove-members
SCHECK=console.no-nonadmin-rdp-siteserver
expect_rc 0 "a script fix through the agent" -- "$CMHARDEN" --target "$AGENT" fix "$SFIX" --yes
contains "$T/out" "applied 1 change(s); $SCHECK re-checked: pass" "the script ran through the agent and the check passes"
"$CMHARDEN" --target "$AGENT" check --format json >"$T/s.json"
[ "$(status_of "$SCHECK" "$T/s.json")" = pass ] && pass "$SCHECK passes through the agent" ||
	fail "$SCHECK is '$(status_of "$SCHECK" "$T/s.json")' after its fix"
"$CMHARDEN" --target "$LAB" lab show LocalGroup | grep -A1 '^LocalGroup  CM01/Remote Desktop Users$' >"$T/rdp"
contains "$T/rdp" "Members  *\[\]$" "the lab behind the agent has no members left in the group"
"$CMHARDEN" journal export --format json >"$T/export.json"
contains "$T/export.json" '"kind":"script"' "the journal records a script change"
expect_rc 0 "undo the script fix through the agent" -- "$CMHARDEN" --target "$AGENT" undo --session --yes
contains "$T/out" "Undone: 1 change(s)" "the script change is undone"
state >"$T/s-undone"
if cmp -s "$T/fresh" "$T/s-undone"; then pass "script fix -> undo through the agent restores the site exactly"; else
	fail "the site differs after the script fix and its undo"
	diff "$T/fresh" "$T/s-undone" | head -6 | sed 's/^/    | /'
fi

# 1. The round trip.
expect_rc 1 "fix --failing --yes through the agent (PXE interfaces still need the console)" -- \
	"$CMHARDEN" --target "$AGENT" fix --failing --yes
contains "$T/out" "swdist.download-content re-checked: pass" "checks are re-run through the agent after their fix"
contains "$T/out" "applied 2 change(s); console.no-lowrights-ts-to-sitesystems re-checked: pass" \
	"--failing runs the script fixes through the agent too"
lacks "$T/out" "console.no-lowrights-ts-to-sitesystems.console" "no console fix is offered where the agent runs the script"
"$CMHARDEN" --target "$AGENT" check --format json >"$T/after.json"
for id in swdist.download-content sum.utc-deadlines inv.disable-mif remote.ask-permission \
	console.no-lowrights-ts-to-sitesystems "$SCHECK"; do
	st=$(status_of "$id" "$T/after.json")
	[ "$st" = pass ] && pass "$id passes through the agent after its fix" || fail "$id is '$st' after its fix"
done
state >"$T/fixed"
cmp -s "$T/fresh" "$T/fixed" && fail "the fixes changed nothing in the lab" || pass "the fixes reached the lab through the agent"
expect_rc 0 "the journal verifies" -- "$CMHARDEN" journal verify
expect_rc 0 "undo --session --yes through the agent" -- "$CMHARDEN" --target "$AGENT" undo --session --yes
state >"$T/undone"
if cmp -s "$T/fresh" "$T/undone"; then pass "fix -> undo through the agent restores the site exactly"; else
	fail "the site differs after undo"
	diff "$T/fresh" "$T/undone" | head -6 | sed 's/^/    | /'
fi

# 2. The answer to a change is lost: the agent applied it, cmharden never heard.
# The proxy (line by line: sh's read never reads ahead) notes the id of the first
# set while armed and cuts the agent's output at its answer. It has to be the
# same target spec afterwards: the journal reconciles the changes of a target.
cat >"$T/lossy.sh" <<EOF
#!/bin/sh
while IFS= read -r line; do
	case "\$line" in "set "*) [ -e "$T/armed" ] && rm "$T/armed" && echo "\$line" | cut -d' ' -f2 >"$T/setid" ;; esac
	printf '%s\\n' "\$line"
done | "$CMHARDEN" agent --lab "$T/lab.yaml" | while IFS= read -r line; do
	id=\$(cat "$T/setid" 2>/dev/null)
	if [ -n "\$id" ] && [ "\${line#value \$id }" != "\$line" ]; then
		rm "$T/setid"
		kill \$\$
		exit 0
	fi
	printf '%s\\n' "\$line"
done
EOF
chmod +x "$T/lossy.sh"
touch "$T/armed"
PROXY="agent:$T/lossy.sh"
[ "$(mif)" = 12 ] && pass "MIF collection is on (12) before the fix" || fail "MIF value $(mif)"
start=$(date +%s)
"$CMHARDEN" --target "$PROXY" fix inv.disable-mif.disable --yes >"$T/out" 2>&1
rc=$?
[ "$rc" -ne 0 ] && pass "a fix whose answer is lost does not succeed (exit $rc)" || fail "exit 0 after a lost answer"
took=$(($(date +%s) - start))
[ "$took" -le 10 ] && pass "and does not wait for a time-out (${took}s)" || fail "it took ${took}s"
contains "$T/out" "the change may or may not have been made" "the operator is told the outcome is unknown"
[ "$(mif)" = 0 ] && pass "the agent did apply it" || fail "MIF value $(mif) after the lost answer"
[ "$(last_state)" = planned ] && pass "the journal leaves the change planned, not failed" ||
	fail "the change is '$(last_state)' in the journal"
expect_rc 0 "the next command through the agent reconciles" -- "$CMHARDEN" --target "$PROXY" undo --session
[ "$(last_state)" = applied ] && pass "reconciliation read the site: applied" || fail "after reconciliation: '$(last_state)'"
expect_rc 0 "undo through the agent" -- "$CMHARDEN" --target "$PROXY" undo --session --yes
[ "$(mif)" = 12 ] && pass "the value is restored" || fail "MIF value $(mif) after undo"
state >"$T/final"
cmp -s "$T/fresh" "$T/final" && pass "the site equals the fresh site" || fail "the site differs at the end"
expect_rc 0 "the journal verifies at the end" -- "$CMHARDEN" journal verify
finish
