#!/bin/sh
# cmharden doctor: through a lab, an agent and a snapshot it says which data
# sources can be read on which site system; a source broken on purpose
# (cmharden agent --break) is named with its server and reason, the checks that
# need it are listed, the exit status says the checklist cannot be fully read,
# and `check` through the same agent reports those checks as errors, never a
# pass. Everything the agent says is sanitised before it is shown.
. "$top_srcdir/tests/lib.sh"

AGENT="$CMHARDEN agent --lab default"

# 1. A healthy lab, in process and through an agent: exit 0, every source.
expect_rc 0 "lab: doctor exits 0" -- "$CMHARDEN" --target lab:default doctor
cp "$T/out" "$T/lab"
for title in "SMS Provider namespace" "site control file" "registry" "services" "IIS metabase" \
	"local groups" "shares and ACLs" "certificate stores"; do
	contains "$T/lab" "^  $title  *readable on CM01" "lab: $title readable on CM01"
done
contains "$T/lab" "registry  *readable on .*CM02" "lab: site systems other than the site server are listed (CM02)"
contains "$T/lab" "Everything the checklist needs is readable" "lab: says everything is readable"
contains "$T/lab" "Changes: accepted" "lab: changes accepted"

expect_rc 0 "agent: doctor exits 0" -- "$CMHARDEN" --target "agent:$AGENT" doctor
contains "$T/out" "as the agent reports them" "agent: the agent's probe is used"
contains "$T/out" "registry  *readable on CM01, CM02" "agent: registry readable on CM01 and CM02"

# 2. Each reason, on one source of one server: named, with the checks, exit 1.
for why in denied:"access denied" winrm:"WinRM not enabled" unresolved:"name not resolved" \
	timeout:"timed out" unavailable:"could not be read" dropped:"the session broke while in use"; do
	w=${why%%:*} text=${why#*:}
	expect_rc 1 "registry@CM02=$w: doctor exits 1" -- \
		"$CMHARDEN" --target "agent:$AGENT --break registry@CM02=$w" doctor
	contains "$T/out" "registry  *CM02: $text" "registry@CM02=$w: the line names CM02 and '$text'"
	contains "$T/out" "console.no-nonadmin-rdp-siteserver" "registry@CM02=$w: names a check that reads Registry"
	lacks "$T/out" "Everything the checklist needs is readable" "registry@CM02=$w: does not claim all is readable"
done

# A source the verdicts depend on: the checks "cannot be judged", and check
# reports them as errors (exit 2), never as a pass.
expect_rc 1 "groups@NPS01=denied: doctor exits 1" -- \
	"$CMHARDEN" --target "agent:$AGENT --break groups@NPS01=denied" doctor
contains "$T/out" "local groups  *NPS01: access denied" "groups@NPS01=denied: named"
contains "$T/out" "checks cannot be judged:.*console.no-nonadmin-rdp-siteserver" \
	"groups@NPS01=denied: the LocalGroup checks cannot be judged"
expect_rc 2 "groups@NPS01=denied: check exits 2" -- \
	"$CMHARDEN" --target "agent:$AGENT --break groups@NPS01=denied" check --check console.no-nonadmin-rdp-siteserver --format json
contains "$T/out" '"status":"error"' "groups@NPS01=denied: the check is an error"
lacks "$T/out" '"status":"pass"' "groups@NPS01=denied: no pass"

# The provider itself.
expect_rc 1 "provider@CM01=winrm: doctor exits 1" -- \
	"$CMHARDEN" --target "agent:$AGENT --break provider@CM01=winrm" doctor
contains "$T/out" "SMS Provider namespace  *CM01: WinRM not enabled" "provider@CM01=winrm: named"
contains "$T/out" "checks cannot be judged:.*swdist\.download-content" "provider@CM01=winrm: provider checks cannot be judged"

# 3. Rights: a read-only agent refuses changes; missing admin rights are shown
# but do not stop the checklist from being read.
expect_rc 0 "read-only agent: doctor exits 0" -- "$CMHARDEN" --target "agent:$AGENT --read-only" doctor
contains "$T/out" "Changes: refused.*read-only" "read-only agent: changes refused, and why"
expect_rc 0 "admin@CM02=denied: doctor exits 0 (rights are for fixes)" -- \
	"$CMHARDEN" --target "agent:$AGENT --break admin@CM02=denied" doctor
contains "$T/out" "administrator rights (for fixes)  *CM02: no" "admin@CM02=denied: CM02 has no administrator rights"
# Rights that could not be asked are unknown, not "no".
expect_rc 0 "admin@CM02=timeout: doctor exits 0" -- \
	"$CMHARDEN" --target "agent:$AGENT --break admin@CM02=timeout" doctor
contains "$T/out" "administrator rights (for fixes)  *CM02: unknown: timed out" "admin@CM02=timeout: rights unknown, and why"

# 4. A snapshot is read-only; an agent without 'probe' is judged from its classes.
"$CMHARDEN" --target lab:default snapshot -o "$T/snap.yaml" >/dev/null 2>&1
expect_rc 0 "snapshot: doctor exits 0" -- "$CMHARDEN" --target "snapshot:$T/snap.yaml" doctor
contains "$T/out" "Changes: refused" "snapshot: changes refused"
expect_rc 0 "agent without probe: doctor exits 0" -- \
	"$CMHARDEN" --target "agent-shell:$AGENT | sed -u 's/ probe\$//'" doctor
contains "$T/out" "judged from the classes read" "agent without probe: says it judged from the classes"
expect_rc 1 "agent without probe, Registry failing: doctor exits 1" -- \
	"$CMHARDEN" --target "agent-shell:$AGENT --break registry@CM02=denied | sed -u 's/ probe\$//'" doctor
contains "$T/out" "registry  *CM01: could not be read" "agent without probe: the failing class marks its source"

# 5. Nothing to talk to, a hostile agent, an agent that dies during the probe.
expect_rc 2 "no agent: doctor exits 2" -- "$CMHARDEN" --target "agent:$T/no-such-agent" doctor
contains "$T/out" "could not be opened" "no agent: says the target could not be opened"

cat >"$T/fake.sh" <<'FAKE'
#!/bin/sh
# Answers hello, then a probe with escape sequences in the server and message.
while read -r verb id rest; do
	case $verb in
	hello) printf 'hello %s 1 fake\ncap %s query batch get probe\nsite %s code s:CON\nsite %s name s:X\nsite %s server s:CM01\nend %s\n' "$id" "$id" "$id" "$id" "$id" "$id" ;;
	probe) [ -n "${DIE:-}" ] && exit 3
		printf 'source %s registry CM%%1B%%5B31m02 denied Access%%20%%1B%%5D0;pwned%%07denied\nchanges %s no\nend %s\n' "$id" "$id" "$id" ;;
	bye) printf 'end %s\n' "$id"; exit 0 ;;
	*) printf 'error %s 503 no\n' "$id" ;;
	esac
done
FAKE
chmod +x "$T/fake.sh"
expect_rc 1 "hostile agent: doctor exits 1" -- "$CMHARDEN" --target "agent:$T/fake.sh" doctor
if grep -q "$(printf '\033')" "$T/out"; then fail "hostile agent: an escape byte reached the output"; else
	pass "hostile agent: no escape byte in the output"; fi
contains "$T/out" "registry  *CM.*02: access denied" "hostile agent: the line is still shown, sanitised"
expect_rc 2 "agent dies during the probe: doctor exits 2" -- env DIE=1 "$CMHARDEN" --target "agent:$T/fake.sh" doctor
contains "$T/out" "could not be asked" "agent dies during the probe: says the target could not be asked"

# 6. Usage.
expect_rc 64 "doctor rejects arguments" -- "$CMHARDEN" doctor extra
expect_rc 64 "agent rejects a malformed --break" -- "$CMHARDEN" agent --break registry
expect_rc 64 "agent rejects an unknown source" -- "$CMHARDEN" agent --break disk@CM01=denied
finish
