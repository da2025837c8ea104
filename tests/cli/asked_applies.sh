#!/bin/sh
# applies_if holds for every kind of check: with the Remote Tools client agent
# disabled, the remote.* attestation checks do not apply (with the content's
# reason) instead of asking their question; an answer recorded anyway changes
# nothing; reports say the same; lab lint accepts a not_applicable goal on such
# a check and lab score meets it.
. "$top_srcdir/tests/lib.sh"
PY=${PYTHON3:-python3}
REASON="the Remote Tools client agent is disabled"
# The default lab with the Remote Control client agent disabled (Flags 0).
awk '/ItemName: Remote Control/ { rc = 1 } rc && /^      Flags: 1$/ { sub(/1$/, "0"); rc = 0 } { print }' \
	"$CMHARDEN_CONTENT/labs/default.yaml" >"$T/off.yaml"
grep -q "^      Flags: 0$" "$T/off.yaml" && pass "the lab case is set up" || fail "Remote Control is still enabled"
OFF="lab:$T/off.yaml"
"$CMHARDEN" lab reset "$T/off.yaml" >/dev/null 2>&1
"$CMHARDEN" lab reset default >/dev/null 2>&1
statuses() { # FILE: "id status reason" of every remote.* check
	"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
for c in d["checks"] if "checks" in d else d["results"]:
    if c["id"].startswith("remote.") or c["id"] == "console.least-privilege":
        print(c["id"], c["kind"], c["status"], c["reason"])' "$1"
}

expect_rc 0 "check --section remote on the lab without Remote Tools" -- \
	"$CMHARDEN" --target "$OFF" check --section remote --check console.least-privilege --format json
statuses "$T/out" >"$T/off.txt"
for id in remote.ra-single-authority remote.lock-user-settings remote.limit-permitted-viewers \
	remote.global-groups remote.domain-context remote.no-collection-security-reliance \
	remote.win2000-ask-permission-inadequate remote.win2000-no-privileged-passwords; do
	contains "$T/off.txt" "^$id attestation not_applicable $REASON$" "$id does not apply, with the content's reason"
done
contains "$T/off.txt" "^remote.ask-permission automated not_applicable $REASON$" "an automated remote check as before"
contains "$T/off.txt" "^console.least-privilege attestation needs_attestation" "a check without applies_if still asks"

expect_rc 1 "check --section remote on the default lab (Remote Tools enabled)" -- \
	"$CMHARDEN" check --section remote --format json
statuses "$T/out" >"$T/on.txt"
contains "$T/on.txt" "^remote.lock-user-settings attestation needs_attestation" "where it applies, the question is asked"

# An answer recorded for a check that does not apply settles nothing.
C() { "$CMHARDEN" --target "$OFF" "$@"; }
expect_rc 0 "attest it anyway" -- C attest remote.lock-user-settings --answer no --note "agent is off"
expect_rc 0 "check: still not applicable" -- C check --check remote.lock-user-settings
contains "$T/out" "\[not_applicable" "the answer does not turn it into a failure"
contains "$T/out" "$REASON" "the reason is the content's"
expect_rc 0 "report json" -- C report --format json -o "$T/r.json"
statuses "$T/r.json" >"$T/r.txt"
contains "$T/r.txt" "^remote.lock-user-settings attestation not_applicable $REASON$" "the report: not applicable"
validate_report_json "$T/r.json"
expect_rc 0 "report md" -- C report --format md -o "$T/r.md"
awk '/^#### /{keep=0; head=$0} index($0, "`remote.lock-user-settings` ·")==1{keep=1; print head} keep' "$T/r.md" >"$T/r-one.md"
contains "$T/r-one.md" "^#### \*\*not applicable\*\*" "Markdown: not applicable"
contains "$T/r-one.md" "$REASON" "Markdown: with the reason"

# Lint and score: a lab that teaches "this does not apply here".
mkdir -p "$T/c"
cp -R "$CMHARDEN_CONTENT/checks" "$CMHARDEN_CONTENT/fixes" "$CMHARDEN_CONTENT/labs" "$T/c/"
chmod -R u+w "$T/c"
sed 's/^  name: default$/  name: remote-off/' "$T/off.yaml" >"$T/c/labs/remote-off.yaml"
"$PY" - "$T/c/labs/remote-off.yaml" <<'PYEOF'
import sys
p = sys.argv[1]
s = open(p).read()
goal = ("  goals:\n    - check: remote.lock-user-settings\n      status: not_applicable\n"
        "      note: Remote Tools is disabled, so there are no client settings to lock.\n")
i = s.index("\n", s.index("  title:")) + 1
open(p, "w").write(s[:i] + goal + s[i:])
PYEOF
grep -q "status: not_applicable" "$T/c/labs/remote-off.yaml" && pass "the goal is set up" || fail "no goal"
expect_rc 0 "lint accepts not_applicable on an attestation check with applies_if" -- "$CMHARDEN" content lint "$T/c"
sed -i 's/check: remote.lock-user-settings/check: console.least-privilege/' "$T/c/labs/remote-off.yaml"
expect_rc 1 "lint refuses it on an attestation check without applies_if" -- "$CMHARDEN" content lint "$T/c"
contains "$T/out" "console.least-privilege' has no applies_if" "naming why"
sed -i 's/check: console.least-privilege/check: remote.lock-user-settings/' "$T/c/labs/remote-off.yaml"
L() { CMHARDEN_CONTENT="$T/c" "$CMHARDEN" --target lab:remote-off "$@"; }
L lab reset remote-off >/dev/null 2>&1
expect_rc 0 "lab score: the goal is met" -- L lab score remote-off --format json
grep -o '{"check":"remote.lock-user-settings"[^{]*' "$T/out" >"$T/goal.txt"
contains "$T/goal.txt" '"met":true' "not applicable meets the goal"
finish
