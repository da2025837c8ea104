#!/bin/sh
# The classroom: `lab score LAB --data-dir DIR...` scores every trainee from
# their own data directory, read-only, one row each (goals met, checks fixed,
# attestations with their notes, time taken) in text, JSON and CSV; it never
# scores the instructor's own lab. An attestation goal is met only by the
# answer it wants; the JSON's status agrees with what is met.
. "$top_srcdir/tests/lib.sh"

lab=pxe-exposed
as() { who=$1; shift; env XDG_DATA_HOME="$T/$who" USER="$who" "$@"; }
mkdir -p "$T/alice" "$T/bob"

# The instructor has done the whole lab in their own data directory.
"$CMHARDEN" --target lab:$lab fix --failing --yes >/dev/null 2>&1
for id in osd.unknown-computer-network-access osd.pxe-secure-segments osd.secure-sitesrv-pxe-channel; do
	"$CMHARDEN" --target lab:$lab attest $id --answer yes --note "instructor" >/dev/null
done
"$CMHARDEN" --target lab:$lab waive osd.pxe-password --reason "instructor" --until 2999-01-01 >/dev/null
expect_rc 0 "the instructor's own lab is complete" -- "$CMHARDEN" lab score $lab

# Alice fixes and answers; Bob only looks.
as alice "$CMHARDEN" --target lab:$lab fix --failing --yes >/dev/null 2>&1
as alice "$CMHARDEN" --target lab:$lab attest osd.pxe-secure-segments --answer yes --note "Only VLAN 20 (imaging)
reaches the PXE point" >/dev/null
as alice "$CMHARDEN" --target lab:$lab attest osd.secure-sitesrv-pxe-channel --answer no --note "No IPsec yet" >/dev/null
as bob "$CMHARDEN" --target lab:$lab check >/dev/null 2>&1

state() { (cd "$T/$1" && find . -type f | sort | xargs md5sum); }
state alice >"$T/alice.before"
state bob >"$T/bob.before"
A="$T/alice/cmharden" B="$T/bob/cmharden"

expect_rc 1 "a room with goals left exits 1" -- "$CMHARDEN" lab score $lab --data-dir "$A" --data-dir "$B"
cp "$T/out" "$T/room.txt"
contains "$T/room.txt" "2 trainees" "two trainees"
contains "$T/room.txt" "cmharden (alice)" "alice's row names her"
contains "$T/room.txt" "goals met: 4 of 7; checks fixed: 3; attestations: 2; time taken: 0:0" "alice: goals, fixes, attestations, time"
contains "$T/room.txt" "goals met: 0 of 7; checks fixed: 0; attestations: 0" "bob: nothing done"
contains "$T/room.txt" "not compliant osd.secure-sitesrv-pxe-channel: No IPsec yet" "the instructor reads each answer and note"
lacks "$T/room.txt" "instructor" "the instructor's own records are not scored"

expect_rc 1 "the room as JSON" -- "$CMHARDEN" lab score $lab --data-dir "$A" --data-dir "$B" --format json
python3 - "$T/out" <<'PY' && pass "JSON: one entry per trainee, consistent" || fail "JSON room"
import json, sys
d = json.load(open(sys.argv[1]))
t = d["trainees"]
assert len(t) == 2, t
a = t[0]
assert a["operator"] == "alice" and a["goals_met"] == 4 and a["error"] is None, a
assert sorted(x["answer"] for x in a["attestations"]) == ["compliant", "not_compliant"]
assert isinstance(a["seconds_taken"], int)
for g in a["goals"]:
    # a goal met by an attestation reads attested; none reads needs_attestation when met
    assert not (g["met"] and g["status"] == "needs_attestation"), g
    if g["check"] == "osd.secure-sitesrv-pxe-channel":
        assert g["status"] == "fail" and not g["met"], g
PY

expect_rc 1 "the room as CSV" -- "$CMHARDEN" lab score $lab --data-dir "$A" --data-dir "$B" --format csv
[ "$(wc -l <"$T/out")" -ge 3 ] && pass "CSV: a header and a row per trainee" || fail "CSV rows"
contains "$T/out" "^data_dir,operator,goals_met,goals_total,checks_fixed,attestations,seconds_taken" "CSV header"
contains "$T/out" "alice,4,7," "CSV: alice's score"

state alice | cmp -s - "$T/alice.before" && pass "alice's data is untouched" || fail "alice's data changed"
state bob | cmp -s - "$T/bob.before" && pass "bob's data is untouched" || fail "bob's data changed"

expect_rc 2 "a directory without the lab is an error, named" -- "$CMHARDEN" lab score $lab --data-dir "$A" --data-dir "$T/nobody"
contains "$T/out" "not scored: .*nobody holds no state of the lab" "and says why"

# --journal names a trainee's journal: their lab is scored, not the instructor's.
expect_rc 1 "--journal scores the trainee beside that journal" -- "$CMHARDEN" --journal "$A/journal.db" lab score $lab
contains "$T/out" "Score: 4 of 7 goals met" "alice's score, not the instructor's 7 of 7"

# A goal that wants the answer "no" is met only by a not-compliant answer.
sed '/check: osd.secure-sitesrv-pxe-channel/,/status:/ s/status: .*/status: attested\n      answer: no/' \
	"$CMHARDEN_CONTENT/labs/$lab.yaml" >"$T/answer-no.yaml"
mkdir -p "$T/carol" "$T/dave"
as carol "$CMHARDEN" --target "lab:$T/answer-no.yaml" check >/dev/null
as dave "$CMHARDEN" --target "lab:$T/answer-no.yaml" check >/dev/null
as carol "$CMHARDEN" --target "lab:$T/answer-no.yaml" attest osd.secure-sitesrv-pxe-channel --answer no --note "x" >/dev/null
as dave "$CMHARDEN" --target "lab:$T/answer-no.yaml" attest osd.secure-sitesrv-pxe-channel --answer yes --note "x" >/dev/null
expect_rc 1 "a lab whose goal wants 'no'" -- "$CMHARDEN" lab score "$T/answer-no.yaml" --data-dir "$T/carol/cmharden" --data-dir "$T/dave/cmharden" --format json
python3 - "$T/out" <<'PY' && pass "only the matching answer meets the goal" || fail "answer: no goal"
import json, sys
t = json.load(open(sys.argv[1]))["trainees"]
met = [[g["met"] for g in x["goals"] if g["check"] == "osd.secure-sitesrv-pxe-channel"][0] for x in t]
assert met == [True, False], met
PY
expect_rc 1 "alice answered 'no' where the goal wants 'yes'" -- "$CMHARDEN" lab score $lab --data-dir "$A"
contains "$T/out" "left: osd.secure-sitesrv-pxe-channel" "the not-compliant answer leaves the goal open"

expect_rc 0 "lab list" -- "$CMHARDEN" lab list
contains "$T/out" "cmharden --target lab:NAME" "lab list says how to start a lab"
finish
