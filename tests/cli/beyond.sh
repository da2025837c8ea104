#!/bin/sh
# The section beyond the 2007 checklist and the attack-path view, as a user runs
# them: the checklist's score is the same with and without the section, --scope
# checklist leaves the section out of a run and a report, check --by-path and
# every report format show the paths, the safe fixes are journaled and undone,
# lint rejects bad techniques, and the relay-sql lab's goals are reachable.
. "$top_srcdir/tests/lib.sh"

# The checklist's score: exactly what the 82 checks gave before the section existed.
want='Summary: 0 pass, 13 fail, 0 error, 0 not applicable, 69 need attestation'
expect_rc 1 "check (default lab)" -- "$CMHARDEN" check
contains "$T/out" "$want" "the checklist's summary counts its 82 checks only"
contains "$T/out" "^Beyond the checklist: 1 pass, 4 fail, 0 error, 0 not applicable, 7 need attestation" \
	"the section beyond it has its own score"
contains "$T/out" "#### Beyond the 2007 checklist" "and its own heading"
expect_rc 1 "check --scope checklist" -- "$CMHARDEN" --scope checklist check
contains "$T/out" "$want" "the same summary with --scope checklist"
lacks "$T/out" "Beyond the" "--scope checklist leaves the section out of the run"
lacks "$T/out" "beyond\." "and every one of its checks"

# The paths, as text and JSON.
expect_rc 1 "check --by-path on relay-sql" -- "$CMHARDEN" --target lab:relay-sql check --by-path
contains "$T/out" "^TAKEOVER-1: open (.*SQL01" "TAKEOVER-1 is open and names SQL01"
contains "$T/out" "^TAKEOVER-8: open (Disable the WebClient service on the site's servers: SQL01/WebClient)" \
	"TAKEOVER-8 is open because of WebClient on SQL01"
contains "$T/out" "^    \[fail *\] beyond.smb-signing-db-provider" "the checks in the way are listed with their verdicts"
expect_rc 1 "check --by-path --format json" -- "$CMHARDEN" --target lab:relay-sql check --by-path --format json
python3 - "$T/out" <<'PY' && pass "the JSON view parses and TAKEOVER-1 is open" || fail "JSON view"
import json, sys
d = json.load(open(sys.argv[1]))
t = {p["id"]: p for p in d["attack_paths"]}
assert t["TAKEOVER-1"]["state"] == "open", t["TAKEOVER-1"]
assert any(c["id"] == "beyond.smb-signing-db-provider" and c["status"] == "fail" and "SQL01" in c["offending"]
           for c in t["TAKEOVER-1"]["checks"])
assert all(p["url"].startswith("https://") and p["id"] in p["url"] for p in d["attack_paths"])
PY
expect_rc 64 "--by-path is not written as junit" -- "$CMHARDEN" check --by-path --format junit
expect_rc 0 "--scope checklist --by-path (nothing in the checklist fails there)" -- "$CMHARDEN" --target lab:relay-sql --scope checklist check --by-path
contains "$T/out" "^TAKEOVER-1: not checked" "without the section, its paths are not checked (not closed)"

# The snapshot format and the agent protocol carry what the new checks read.
expect_rc 0 "snapshot of relay-sql" -- "$CMHARDEN" --target lab:relay-sql snapshot -o "$T/snap.yaml"
contains "$T/snap.yaml" "class: SMS_BootImagePackage" "the snapshot holds the boot images"
contains "$T/snap.yaml" "RequireSecuritySignature" "and the SMB signing values"
contains "$T/snap.yaml" "WebClient" "and the WebClient services"
contains "$T/snap.yaml" "CollectionVariables" "and the collection variables"
expect_rc 1 "check the snapshot" -- "$CMHARDEN" --target "snapshot:$T/snap.yaml" check --section beyond
contains "$T/out" "^Beyond the checklist: 1 pass, 4 fail" "the snapshot gives the lab's verdicts"
expect_rc 1 "check through the agent protocol (agent --lab)" -- "$CMHARDEN" --target "agent:$CMHARDEN agent --lab relay-sql" check --section beyond
contains "$T/out" "^Beyond the checklist: 1 pass, 4 fail" "the agent gives the lab's verdicts"

# Every report format carries the view and the separate score.
for f in html md json csv; do
	expect_rc 0 "report --format $f on relay-sql" -- "$CMHARDEN" --target lab:relay-sql report --format "$f" -o "$T/r.$f"
done
contains "$T/r.html" '<section id="attack-paths">' "HTML has the attack-path section"
contains "$T/r.html" 'TAKEOVER-1</strong>' "HTML lists TAKEOVER-1"
contains "$T/r.html" 'class="path-open"' "HTML marks open paths"
contains "$T/r.md" '^## Attack paths' "Markdown has the attack-path section"
contains "$T/r.md" '^- TAKEOVER-1: open' "Markdown lists TAKEOVER-1 as open"
contains "$T/r.csv" '^"\?path"\?,"\?TAKEOVER-1"\?' "CSV has a path record per technique"
python3 - "$T/r.json" <<'PY' && pass "JSON report: attack paths, the separate score, the checklist total unchanged" || fail "JSON report"
import json, sys
d = json.load(open(sys.argv[1]))
assert {p["id"]: p["state"] for p in d["attack_paths"]}["TAKEOVER-2"] == "open"
assert d["beyond_checklist"]["fail"] == 4, d["beyond_checklist"]
assert d["summary"]["overall"]["total"] == 82, d["summary"]["overall"]
PY
expect_rc 0 "report --scope checklist" -- "$CMHARDEN" --target lab:relay-sql --scope checklist report --format json -o "$T/c.json"
lacks "$T/c.json" '"beyond_checklist"' "--scope checklist leaves the section's score out of a report"
lacks "$T/c.json" '"id":"beyond\.' "and its checks"
expect_rc 0 "report --scope checklist (md)" -- "$CMHARDEN" --target lab:relay-sql --scope checklist report --format md -o "$T/c.md"
lacks "$T/c.md" 'Beyond the 2007 checklist' "the Markdown report has no trace of it"

# The safe fixes: journaled, verified, and undone to the values they replaced.
for f in beyond.smb-signing-site-systems.require beyond.webclient-disabled.disable beyond.boot-image-command-support.disable; do
	expect_rc 0 "fix $f" -- "$CMHARDEN" fix --yes "$f"
	contains "$T/out" "re-checked: pass" "$f: the check passes afterwards"
done
contains "$T/out" "Update Distribution Points" "the boot image fix says what it needs to take effect"
expect_rc 0 "check --section beyond after the fixes" -- "$CMHARDEN" check --check beyond.webclient-disabled
contains "$T/out" "\[pass *\] Disable the WebClient" "WebClient is disabled now"
for n in 1 2 3; do
	expect_rc 0 "undo the newest fix session ($n of 3)" -- "$CMHARDEN" undo --session --yes
done
expect_rc 1 "the section fails again after undo" -- "$CMHARDEN" check --section beyond
contains "$T/out" "^Beyond the checklist: 1 pass, 4 fail" "every fix was undone"
expect_rc 1 "webclient start modes are back" -- "$CMHARDEN" check --check beyond.webclient-disabled
contains "$T/out" "CM01/WebClient.*Manual" "CM01's WebClient is Manual again"

# Lint: techniques are checked.
mkdir -p "$T/c"
cp -R "$CMHARDEN_CONTENT/checks" "$CMHARDEN_CONTENT/fixes" "$CMHARDEN_CONTENT/labs" "$T/c/"
chmod -R go-w "$T/c"
sed -i 's/^    - id: TAKEOVER-9$/    - id: TAKEOVER9/' "$T/c/checks/attack-paths.yaml"
sed -i 's/checks: \[beyond.webclient-disabled\]$/checks: [beyond.no-such-check]/' "$T/c/checks/attack-paths.yaml"
expect_rc 1 "lint rejects a broken attack-paths file" -- "$CMHARDEN" content lint "$T/c"
contains "$T/out" "attack-paths.yaml:[0-9]*:[0-9]*: 'TAKEOVER9' is not a technique id" "a bad technique id, with its position"
contains "$T/out" "attack-paths.yaml:[0-9]*:[0-9]*: the url of 'TAKEOVER9' does not lead to its page" "a link that is not the technique's"
contains "$T/out" "names check 'beyond.no-such-check', which does not exist" "a check that does not exist"
cp "$CMHARDEN_CONTENT/checks/attack-paths.yaml" "$T/c/checks/attack-paths.yaml"
cp "$T/c/checks/99-beyond.yaml" "$T/c/checks/05b-beyond.yaml" && rm "$T/c/checks/99-beyond.yaml"
expect_rc 1 "lint rejects a checklist section after the one beyond it" -- "$CMHARDEN" content lint "$T/c"
contains "$T/out" "06-ai.yaml:2:3: section 'ai' of the checklist comes after 'beyond'" "and says which, where"

# The teaching lab: its goals are reachable with fix, attest and waive.
expect_rc 1 "relay-sql: nothing met at the start" -- "$CMHARDEN" lab score relay-sql
contains "$T/out" "Score: 0 of 7 goals met" "7 goals"
expect_rc 0 "relay-sql: fix --failing" -- "$CMHARDEN" --target lab:relay-sql fix --failing --yes
expect_rc 0 "relay-sql: waive the remote database until it moves back" -- "$CMHARDEN" --target lab:relay-sql waive \
	--reason "moves back to CM01 in the Q3 window" --until 2030-09-30 beyond.site-db-provider-local
# The push account leaves SQL01's Administrators (an action the operator chooses), and comes back on undo.
members() {
	"$CMHARDEN" --target lab:relay-sql check --check beyond.client-push --format json >"$T/cp.json"
	python3 - "$T/cp.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for t in d["results"][0]["evidence"]:
    for r in t["objects"]:
        if r["key"] == "SQL01/Administrators":
            print(" ".join(sorted(r["properties"]["Members"])))
PY
}
before=$(members)
case "$before" in *svc-sccm-push*) pass "the push account administers SQL01 at the start" ;; *) fail "members at the start: $before" ;; esac
expect_rc 0 "relay-sql: remove the push account from SQL01's Administrators" -- "$CMHARDEN" --target lab:relay-sql fix \
	--objects 'SQL01/Administrators' --param 'Members=TAILSPIN\svc-sccm-push' --yes beyond.client-push.remove-members
after=$(members)
case "$after" in *svc-sccm-push*) fail "still a member: $after" ;; *TAILSPIN*) pass "the push account is gone, the rest stays" ;; *) fail "members after: $after" ;; esac
expect_rc 0 "relay-sql: undo it" -- "$CMHARDEN" --target lab:relay-sql undo --session --yes
[ "$(members)" = "$before" ] && pass "undo puts the members back" || fail "after undo: $(members)"
expect_rc 0 "relay-sql: remove it again" -- "$CMHARDEN" --target lab:relay-sql fix \
	--objects 'SQL01/Administrators' --param 'Members=TAILSPIN\svc-sccm-push' --yes beyond.client-push.remove-members
for c in beyond.remote-db-provider-protections beyond.client-push beyond.siteserver-admin-scope; do
	expect_rc 0 "relay-sql: attest $c" -- "$CMHARDEN" --target lab:relay-sql attest --answer yes --note "trainee: reviewed $c" "$c"
done
expect_rc 0 "relay-sql: every goal met" -- "$CMHARDEN" lab score relay-sql
contains "$T/out" "Score: 7 of 7 goals met" "7 of 7"
expect_rc 0 "relay-sql: the relay paths are no longer open" -- "$CMHARDEN" --target lab:relay-sql check --by-path --section beyond
lacks "$T/out" "^TAKEOVER-[1268]: open" "TAKEOVER-1, -2, -6 and -8 are not open"
# An attestation answered "not compliant" is a failure: the path it guards is open again.
expect_rc 0 "relay-sql: answer no for client push" -- "$CMHARDEN" --target lab:relay-sql attest --answer no \
	--note "automatic push is back on" beyond.client-push
expect_rc 1 "relay-sql: check --by-path after the answer no" -- "$CMHARDEN" --target lab:relay-sql check --by-path --section beyond
contains "$T/out" "^ELEVATE-3: open (Keep client push installation from handing out privileged logons)" \
	"ELEVATE-3 is open and names the check answered not compliant"
finish
