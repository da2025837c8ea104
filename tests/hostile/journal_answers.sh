#!/bin/sh
# The operator's answers (attestations, waivers) settle verdicts only from a
# journal proved unaltered, the rule undo, resume and reconciliation follow
# (journal_require_intact). A "no" turned into a "yes", or a waiver's end date
# moved, with sqlite3:
#   check   applies neither, names the altered row, exits 2;
#   report  still shows the journal and its records, applies none of its
#           answers, says so (answers_applied false in JSON), exits 1;
#   lab score refuses to score from it.
. "$top_srcdir/tests/lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed"; exit 77; }
J="$T/journal.db"
C() { "$CMHARDEN" --journal "$J" "$@"; }
PY=${PYTHON3:-python3}
status_of() { # JSON FILE, CHECK
	"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print([c for c in d["checks"] if c["id"] == sys.argv[2]][0]["status"])' "$1" "$2"
}

"$CMHARDEN" lab reset default >/dev/null 2>&1
# ---- intact: the answers apply ----------------------------------------------
expect_rc 0 "attest: not compliant" -- C attest console.least-privilege --answer no --note "shared admin account"
expect_rc 0 "waive an automated failure" -- C waive remote.ask-permission --reason "pilot" --until 2099-01-01
expect_rc 1 "check: the 'no' fails the check" -- C check --check console.least-privilege --check remote.ask-permission
contains "$T/out" "\[fail *\] Always use an account with least permissions" "the operator's 'no' is a failure"
contains "$T/out" "\[waived" "the waiver applies"
expect_rc 0 "report on the intact journal" -- C report --format json -o "$T/ok.json"
contains "$T/ok.json" '"answers_applied":true' "the report applies the answers of an intact journal"
[ "$(status_of "$T/ok.json" console.least-privilege)" = fail ] && pass "report: the 'no' fails" || fail "report: not failing"

# ---- a "no" forged into a "yes" ----------------------------------------------
sqlite3 "$J" "UPDATE attestations SET answer = 'yes', note = 'separate admin accounts' WHERE check_id = 'console.least-privilege'"
row=$(sqlite3 "$J" "SELECT id FROM attestations WHERE check_id = 'console.least-privilege'")
expect_rc 2 "check refuses the answers of an altered journal" -- \
	C check --check console.least-privilege --check remote.ask-permission
contains "$T/err" "attestations row $row was altered" "it names the altered row"
lacks "$T/out" "\[attested" "the forged 'yes' is not applied"
lacks "$T/out" "\[waived" "nor is any other answer of that journal"
contains "$T/out" "\[needs_attestation\] Always use an account" "the question stands"
expect_rc 2 "check --format json refuses too" -- C check --check console.least-privilege --format json
contains "$T/out" '"status":"needs_attestation"' "JSON: the question stands"
expect_rc 1 "report on the altered journal exits 1" -- C report --format json -o "$T/bad.json"
contains "$T/bad.json" '"verification":"altered"' "the report says the journal was altered"
contains "$T/bad.json" '"answers_applied":false' "and that its answers are not applied"
[ "$(status_of "$T/bad.json" console.least-privilege)" = needs_attestation ] &&
	pass "report: the forged 'yes' does not attest the check" ||
	fail "report: console.least-privilege is $(status_of "$T/bad.json" console.least-privilege)"
[ "$(status_of "$T/bad.json" remote.ask-permission)" = fail ] && pass "report: the waiver is not applied either" ||
	fail "report: remote.ask-permission is $(status_of "$T/bad.json" remote.ask-permission)"
contains "$T/bad.json" '"note":"separate admin accounts"' "the altered record is still shown for inspection"
validate_report_json "$T/bad.json"
expect_rc 1 "report md" -- C report --format md -o "$T/bad.md"
contains "$T/bad.md" "could not be proved unaltered: its attestations and waivers are not applied" \
	"Markdown: the standing says the answers are not applied"
expect_rc 1 "journal verify still reports it" -- C journal verify

# ---- a waiver's end date moved -----------------------------------------------
rm -f "$J"
"$CMHARDEN" lab reset default >/dev/null 2>&1
expect_rc 0 "waive until a near date" -- C waive remote.ask-permission --reason "pilot" --until 2099-01-01
sqlite3 "$J" "UPDATE waivers SET until = '2199-01-01'"
expect_rc 2 "check refuses a journal whose waiver was moved" -- C check --check remote.ask-permission
contains "$T/err" "waivers row 1 was altered" "it names the waiver"
contains "$T/out" "\[fail" "the site's own verdict stands"

# ---- lab score (the user's own journal: --journal names a trainee's directory) ----
J="$XDG_DATA_HOME/cmharden/journal.db"
S() { "$CMHARDEN" --target lab:careless-oob "$@"; }
S lab reset careless-oob >/dev/null 2>&1
expect_rc 0 "attest a goal of the lab" -- S attest oob.provcert-renew --answer yes --note "renewed on 1 April"
S lab score careless-oob --format json >"$T/score-ok.json" 2>&1
grep -o '{"check":"oob.provcert-renew"[^{]*' "$T/score-ok.json" >"$T/goal-ok.txt"
contains "$T/goal-ok.txt" '"met":true' "intact journal: the attestation meets the goal"
sqlite3 "$J" "UPDATE attestations SET note = 'renewed on 2 April'"
expect_rc 2 "lab score refuses an altered journal" -- S lab score careless-oob
contains "$T/err" "attestations row 1 was altered" "it names the altered row"
finish
