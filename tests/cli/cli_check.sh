#!/bin/sh
# cmharden check: exit codes, formats, and the verdicts on the shipped labs.
. "$top_srcdir/tests/lib.sh"

expect_rc 1 "check on a fresh default lab finds failures" -- "$CMHARDEN" check --format json
cp "$T/out" "$T/default.json"
lacks "$T/default.json" '"status":"error"' "no check is in error on default"
fails_n=$(grep -o '"kind":"automated","severity":"[a-z]*","basis":"[a-z]*","status":"fail"' "$T/default.json" | wc -l)
auto_n=$(grep -o '"kind":"automated"' "$T/default.json" | wc -l)
[ "$fails_n" -gt $((auto_n / 2)) ] && pass "most automated checks fail on default ($fails_n of $auto_n)" ||
	fail "only $fails_n of $auto_n automated checks fail on default"
contains "$T/default.json" '"offending":true' "failures carry offending evidence"
contains "$T/default.json" '"target":"lab:default"' "JSON names the target"

expect_rc 0 "every automated check passes on lab:hardened" -- "$CMHARDEN" --target lab:hardened check
contains "$T/out" "Summary: " "text output ends with a summary"

expect_rc 1 "junit output" -- "$CMHARDEN" --scope checklist check --format junit -o "$T/junit.xml"
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$T/junit.xml" && pass "JUnit output is well-formed XML" || fail "JUnit XML is malformed"
else
	fail "xmllint is missing (scripts/install-deps.sh installs libxml2-utils)"
fi
contains "$T/junit.xml" '<failure message=' "JUnit carries failures"
n=$(grep -c '<testcase ' "$T/junit.xml")
[ "$n" -eq 82 ] && pass "one testcase per check" || fail "$n testcases, want 82"

expect_rc 1 "csv output" -- "$CMHARDEN" --scope checklist check --format csv
head -1 "$T/out" | grep -q '^id,section,title,kind,severity,status' && pass "CSV header" || fail "CSV header"
[ "$(wc -l <"$T/out")" -eq 83 ] && pass "CSV has a row per check" || fail "CSV rows: $(wc -l <"$T/out")"

expect_rc 0 "--section limits the run" -- "$CMHARDEN" --target lab:hardened check --section remote --format json
n=$(grep -o '"section":"' "$T/out" | wc -l)
[ "$n" -eq 10 ] && pass "10 remote checks" || fail "$n results for --section remote"
expect_rc 1 "--check runs one check" -- "$CMHARDEN" check --check inv.disable-mif
contains "$T/out" "inv.disable-mif" "the one check is reported"

# A lab whose Remote Control item lacks the property the check reads: error, exit 2.
cat >"$T/broken.yaml" <<'YAML'
scenario: {name: broken, title: Broken}
site: {code: BRK, name: Broken, server: SRV, version: 2007 SP2, mode: mixed}
objects:
  - class: SMS_SCI_ClientComp
    key: Remote Control
    properties: {ItemName: Remote Control, Flags: 1}
YAML
expect_rc 2 "a check that cannot be evaluated exits 2" -- "$CMHARDEN" --target "lab:$T/broken.yaml" check --check remote.ask-permission
contains "$T/out" "error" "the result is reported as an error"
expect_rc 2 "an unknown target exits 2" -- "$CMHARDEN" --target nowhere:x check
expect_rc 2 "a missing lab exits 2" -- "$CMHARDEN" --target lab:no-such-lab check
expect_rc 64 "an unknown format is a usage error" -- "$CMHARDEN" check --format yaml
expect_rc 2 "an unknown check id exits 2" -- "$CMHARDEN" check --check no.such
finish
