#!/bin/sh
# An attestation answers the check's question: yes (compliant) or no (not
# compliant). "No" is a failure with its note in `check` (exit 1) and in every
# report format; the answer is required.
. "$top_srcdir/tests/lib.sh"

H="--target lab:hardened"
id=console.limit-web-browsing
# shellcheck disable=SC2086
expect_rc 0 "unanswered, the question alone does not fail the run" -- "$CMHARDEN" $H check --check $id
# shellcheck disable=SC2086
expect_rc 64 "attest without --answer is refused" -- "$CMHARDEN" $H attest $id --note "looked at it"
contains "$T/err" "--answer yes|no is required" "and says the answer is required"
# shellcheck disable=SC2086
expect_rc 64 "an answer other than yes or no is refused" -- "$CMHARDEN" $H attest $id --answer maybe --note x
# shellcheck disable=SC2086
expect_rc 0 "answer no, with a note" -- "$CMHARDEN" $H attest $id --answer no --note "Consoles browse freely; no proxy"
contains "$T/out" "not compliant" "the answer is confirmed"
# shellcheck disable=SC2086
expect_rc 1 "a not-compliant answer fails the check" -- "$CMHARDEN" $H check --check $id
contains "$T/out" "\[fail" "shown as a failure"
contains "$T/out" "judged not compliant by .*: Consoles browse freely; no proxy" "with the note as the finding"
# shellcheck disable=SC2086
expect_rc 1 "in JSON too" -- "$CMHARDEN" $H check --check $id --format json
contains "$T/out" "\"id\":\"$id\"[^}]*\"status\":\"fail\"" "status fail in JSON"

for f in json csv md html; do
	# shellcheck disable=SC2086
	expect_rc 0 "report --format $f" -- "$CMHARDEN" $H report --format $f -o "$T/r.$f"
done
contains "$T/r.json" "\"answer\":\"not_compliant\"" "JSON report: the answer"
contains "$T/r.json" "\"id\":\"$id\"[^]]*\"status\":\"fail\"" "JSON report: the check fails"
contains "$T/r.csv" "\"attestation\",.*\"$id\",.*\"not_compliant\"" "CSV report: the answer"
contains "$T/r.csv" "not compliant: Consoles browse freely" "CSV report: the check's finding"
contains "$T/r.md" "Judged not compliant by" "Markdown report: the verdict"
contains "$T/r.html" "Judged not compliant by" "HTML report: the verdict"
# The answer is a finding of the customer's report, with the note as its evidence.
"${PYTHON3:-python3}" - "$T/r.json" "$T/r.html" "$id" <<'PYEOF' >"$T/cmp" 2>&1 && pass "HTML report: a finding with the note" ||
import json, sys
a = json.load(open(sys.argv[1]))
h = open(sys.argv[2]).read()
cid = sys.argv[3]
if cid not in a['summary']['findings']:
    print('not a finding:', a['summary']['findings']); sys.exit(1)
art = h.split('id="finding-%s"' % cid)[1].split('</article>')[0]
sys.exit(0 if 'Judged not compliant by' in art and 'Consoles browse freely; no proxy' in art else 1)
PYEOF
	{ fail "HTML report: the finding lacks the answer"; sed 's/^/    | /' "$T/cmp"; }
sed -n '/^## Findings/,/^## /p' "$T/r.md" >"$T/findings.md"
contains "$T/findings.md" "Judged not compliant by .*Consoles browse freely; no proxy" "Markdown report: a finding with the note"
validate_report_json "$T/r.json"

# shellcheck disable=SC2086
expect_rc 0 "answer yes later" -- "$CMHARDEN" $H attest $id --answer yes --note "Proxy now blocks browsing"
# shellcheck disable=SC2086
expect_rc 0 "the newest answer stands" -- "$CMHARDEN" $H check --check $id
contains "$T/out" "attested compliant by" "attested"
expect_rc 0 "the journal still verifies" -- "$CMHARDEN" journal verify
finish
