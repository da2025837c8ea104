#!/bin/sh
# The HTML and Markdown reports an administrator reads:
#   1. evidence values by the SDK's names and units (checks/00-values.yaml),
#      while JSON and CSV keep the plain values for the programs that read them;
#   2. a fail-or-ask check is labelled as one, with its basis and the part that
#      decided (its automated part, the operator, a waiver), in every format;
#   3. severity words are German in a German report, English words in JSON.
. "$top_srcdir/tests/lib.sh"
de() { LANGUAGE=de LC_ALL=C.UTF-8 "$@"; }
FOA=oob.dedicated-provisioning-collection
# The part of a report about one check: HTML article, Markdown check section.
html_check() { sed -n "/<article class=\"check[^\"]*\" id=\"check-$2\"/,/<\/article>/p" "$1"; }
md_check() { awk -v id="\`$2\` ·" '/^#### /{keep=0; head=$0} index($0, id)==1{keep=1; print head} keep' "$1"; }
json_check() { # FILE ID FIELD
	"${PYTHON3:-python3}" -c 'import json, sys
r = json.load(open(sys.argv[1]))
c = [c for c in r["checks"] if c["id"] == sys.argv[2]][0]
print(json.dumps(c[sys.argv[3]]))' "$@"
}

# ---- 1. named values -----------------------------------------------------
"$CMHARDEN" lab reset default >/dev/null 2>&1
for f in html md json csv; do
	expect_rc 0 "report --format $f" -- "$CMHARDEN" report --format "$f" -o "$T/r.$f"
done
contains "$T/r.html" "136 (0x88: RUN_FROM_LOCAL_DISPPOINT | RUN_FROM_REMOTE_DISPPOINT)" \
	"HTML: advertisement flags by their SDK names beside the number"
contains "$T/r.html" "720 minutes (12 hours)" "HTML: a quantity with its unit"
contains "$T/r.md" 'RemoteClientFlags' "Markdown: the advertisement table is there"
contains "$T/r.md" '136 (0x88: RUN_FROM_LOCAL_DISPPOINT \\| RUN_FROM_REMOTE_DISPPOINT)' \
	"Markdown: flags by name (the bar escaped in a table cell)"
contains "$T/r.md" "720 minutes (12 hours)" "Markdown: a quantity with its unit"
lacks "$T/r.json" "RUN_FROM_LOCAL_DISPPOINT" "JSON keeps plain values"
contains "$T/r.json" '"RemoteClientFlags":136' "JSON: the flags as an integer"
lacks "$T/r.csv" "RUN_FROM_LOCAL_DISPPOINT" "CSV keeps plain values"
validate_report_json "$T/r.json"

# ---- 2. fail-or-ask: its kind and the part that decided -------------------
# The default lab: All Systems provisions automatically, a violation found by
# the automated part; no question is put.
html_check "$T/r.html" "$FOA" >"$T/foa.html"
contains "$T/foa.html" "fail-or-ask (inferred)" "HTML: the kind and the basis of the automated part"
contains "$T/foa.html" "decided by the automated part (evidence of a violation)" "HTML: which part decided"
lacks "$T/foa.html" "· attestation" "HTML: not called an attestation"
lacks "$T/foa.html" "Question:" "HTML: no question once the automated part decided"
md_check "$T/r.md" "$FOA" >"$T/foa.md"
contains "$T/foa.md" "fail-or-ask (inferred) · decided by the automated part (evidence of a violation)" \
	"Markdown: kind, basis and which part decided"
lacks "$T/foa.md" "Question:" "Markdown: no question once the automated part decided"
[ "$(json_check "$T/r.json" "$FOA" kind)" = '"fail-or-ask"' ] && pass "JSON: kind fail-or-ask" ||
	fail "JSON: kind $(json_check "$T/r.json" "$FOA" kind)"
[ "$(json_check "$T/r.json" "$FOA" basis)" = '"inferred"' ] && pass "JSON: the automated part's basis" ||
	fail "JSON: basis $(json_check "$T/r.json" "$FOA" basis)"
[ "$(json_check "$T/r.json" "$FOA" decided_by)" = '"site"' ] && pass "JSON: decided by the site" ||
	fail "JSON: decided_by $(json_check "$T/r.json" "$FOA" decided_by)"
[ "$(json_check "$T/r.json" console.least-privilege decided_by)" = '"operator"' ] &&
	pass "JSON: an attestation check is the operator's" || fail "JSON: attestation check not the operator's"
[ "$(json_check "$T/r.json" console.least-privilege basis)" = null ] && pass "JSON: an attestation has no basis" ||
	fail "JSON: attestation basis $(json_check "$T/r.json" console.least-privilege basis)"
grep "^\"check\",\"$FOA\"," "$T/r.csv" >"$T/foa.csv"
contains "$T/foa.csv" "fail-or-ask" "CSV: the kind of the check row"
# No answer settles a violation the automated part found: the action is the fix.
grep "^\"finding\",.*,\"$FOA\"," "$T/r.csv" >"$T/foa-finding.csv"
contains "$T/foa-finding.csv" "\"cmharden fix $FOA\"" "the action on the violation is its fix"
lacks "$T/foa-finding.csv" "cmharden attest" "not an answer, which would change nothing"
expect_rc 0 "content list --format json" -- "$CMHARDEN" list --format json
"${PYTHON3:-python3}" -c 'import json, sys
for s in json.load(open(sys.argv[1]))["sections"]:
    for c in s["checks"]:
        if c["id"] == sys.argv[2]:
            print(c["kind"], c.get("basis"))' "$T/out" "$FOA" >"$T/list.txt"
contains "$T/list.txt" "^fail-or-ask inferred$" "list JSON: kind fail-or-ask with its basis"

# The hardened lab: only a dedicated collection provisions: the operator is
# asked, with what the automated part found; then answers; then waives.
H() { "$CMHARDEN" --target lab:hardened "$@"; }
H lab reset hardened >/dev/null 2>&1
expect_rc 0 "hardened: report md" -- H report --format md -o "$T/h.md"
md_check "$T/h.md" "$FOA" >"$T/h-foa.md"
contains "$T/h-foa.md" "decided by the operator (the automated part found no violation)" \
	"Markdown: the operator is asked"
contains "$T/h-foa.md" "The automated part found no violation: all 1 SMS_CollectionSettings" \
	"Markdown: what the automated part found"
contains "$T/h-foa.md" "Question:" "Markdown: the question is put"
expect_rc 0 "hardened: report html" -- H report --format html -o "$T/h.html"
html_check "$T/h.html" "$FOA" >"$T/h-foa.html"
contains "$T/h-foa.html" "The automated part found no violation:" "HTML: what the automated part found"
contains "$T/h-foa.html" "Question:" "HTML: the question is put"
expect_rc 0 "attest it" -- H attest "$FOA" --answer yes --note "CON00017 holds only AMT computers"
expect_rc 0 "hardened: report json" -- H report --format json -o "$T/h.json"
[ "$(json_check "$T/h.json" "$FOA" status)" = '"attested"' ] && pass "JSON: attested" ||
	fail "JSON: status $(json_check "$T/h.json" "$FOA" status)"
[ "$(json_check "$T/h.json" "$FOA" decided_by)" = '"operator"' ] && pass "JSON: decided by the operator" ||
	fail "JSON: decided_by $(json_check "$T/h.json" "$FOA" decided_by)"
json_check "$T/h.json" "$FOA" automated_part >"$T/auto.txt"
contains "$T/auto.txt" "avoid: CollectionID matches" "JSON: the automated part's finding"
validate_report_json "$T/h.json"
expect_rc 0 "waive it" -- H waive "$FOA" --reason "provisioning pilot" --until 2099-01-01
expect_rc 0 "hardened: report md after the waiver" -- H report --format md -o "$T/w.md"
md_check "$T/w.md" "$FOA" >"$T/w-foa.md"
contains "$T/w-foa.md" "decided by a waiver" "Markdown: decided by the waiver"
expect_rc 0 "hardened: report json after the waiver" -- H report --format json -o "$T/w.json"
[ "$(json_check "$T/w.json" "$FOA" decided_by)" = '"waiver"' ] && pass "JSON: decided by the waiver" ||
	fail "JSON: decided_by $(json_check "$T/w.json" "$FOA" decided_by)"

# ---- 3. severity words in the reader's language --------------------------
expect_rc 0 "German report (md)" -- de "$CMHARDEN" report --format md -o "$T/de.md"
contains "$T/de.md" "Schweregrad hoch" "Markdown: German severity"
lacks "$T/de.md" "Schweregrad high\|Schweregrad medium\|Schweregrad low\|| high |\|| medium |\|(high,\|(medium," \
	"Markdown: no English severity word"
md_check "$T/de.md" "$FOA" >"$T/de-foa.md"
contains "$T/de-foa.md" "scheitert-oder-fragt (abgeleitet)" "Markdown: the kind and basis in German"
expect_rc 0 "German report (html)" -- de "$CMHARDEN" report --format html -o "$T/de.html"
contains "$T/de.html" "Schweregrad hoch" "HTML: German severity"
lacks "$T/de.html" "<td>high</td>\|<td>medium</td>\|<td>low</td>\|Schweregrad high\|Schweregrad medium\|(high,\|(medium," \
	"HTML: no English severity word"
expect_rc 0 "German report (json)" -- de "$CMHARDEN" report --format json -o "$T/de.json"
contains "$T/de.json" '"severity":"high"' "JSON keeps the English wire words"
expect_rc 0 "German list" -- de "$CMHARDEN" list
contains "$T/out" "hoch" "list: German severity"
lacks "$T/out" " high \| medium " "list: no English severity word"
contains "$T/out" "scheitert-oder-fragt" "list: a fail-or-ask check is not called an attestation"
finish
