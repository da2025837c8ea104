#!/bin/sh
# cmharden report: every format made from a session that fixed and undid changes
# matches the journal (tests/cli/report_match.py); site and journal text cannot
# become markup; a tampered journal shows in the report; waivers expire.
. "$top_srcdir/tests/lib.sh"
PY=${PYTHON3:-python3}
if ! command -v "$PY" >/dev/null 2>&1; then
	echo "SKIP: python3 is needed to compare the reports with the journal"
	exit 77
fi
J="$XDG_DATA_HOME/cmharden/journal.db"

expect_rc 64 "unknown format is a usage error" -- "$CMHARDEN" report --format pdf
expect_rc 64 "--session needs a number" -- "$CMHARDEN" report --session abc
expect_rc 0 "a report without a journal" -- "$CMHARDEN" report --format json -o "$T/none.json"
contains "$T/none.json" '"present":false' "it says there is no journal"
[ ! -e "$J" ] && pass "making a report did not create a journal" || fail "report created $J"
expect_rc 2 "--session without a journal is an error" -- "$CMHARDEN" report --session 1

# Session 1 fixes, 2 attests, 3 waives, 4 undoes session 1.
# The checklist only (--scope checklist): the counts below are those of its fixes.
expect_rc 1 "fix --failing --yes (PXE interfaces still need the console)" -- "$CMHARDEN" --scope checklist fix --failing --yes
note='Admins use <b>separate</b> accounts & "no" web | *bold* \ CONTOSO\Admins [x](http://e.invalid) <script>alert(1)</script>'
esc=$(printf 'tab\there esc\033[31m red')
expect_rc 0 "attest with markup in the note" -- "$CMHARDEN" attest console.least-privilege --answer yes --note "$note"
expect_rc 0 "attest with control characters" -- "$CMHARDEN" attest console.limit-web-browsing --answer yes --note "$esc"
expect_rc 0 "waive" -- "$CMHARDEN" waive remote.ask-permission --reason "helpdesk pilot until the new policy" --until 2030-06-30
expect_rc 0 "undo --session 1" -- "$CMHARDEN" undo --session 1 --yes
expect_rc 0 "journal export" -- "$CMHARDEN" journal export --format json
cp "$T/out" "$T/export.json"
expect_rc 0 "journal verify" -- "$CMHARDEN" journal verify
head=$(sed -n 's/.*Head: \([0-9]*:[0-9a-f]*\).*/\1/p' "$T/out")

for scope in 1 5 0; do
	opt=""
	[ "$scope" -ne 0 ] && opt="--session $scope"
	for f in html md json csv; do
		# shellcheck disable=SC2086
		expect_rc 0 "report $opt --format $f" -- "$CMHARDEN" report $opt --format "$f" -o "$T/r$scope.$f"
	done
	"$PY" "$top_srcdir/tests/cli/report_match.py" "$T/export.json" "$scope" "$T/r$scope.json" "$T/r$scope.csv" \
		"$T/r$scope.md" "$T/r$scope.html" >"$T/match" 2>&1 &&
		pass "scope ${scope}: every format matches the journal ($(tail -1 "$T/match"))" ||
		{ fail "scope $scope: a format differs from the journal"; sed 's/^/    | /' "$T/match"; }
done
n=$(grep -c '<tr id="change-' "$T/r1.html")
[ "$n" -eq 66 ] && pass "session 1 shows its 33 changes (31 set, 2 script) and the 33 undo changes" || fail "session 1 shows $n changes, want 66"
grep -q "$head" "$T/r1.html" && grep -q "$head" "$T/r1.md" && pass "the head of journal verify is in the report" ||
	fail "head $head missing"
contains "$T/r1.html" "undone" "changes of session 1 are marked undone"
contains "$T/r1.json" '"verification":"intact"' "the journal verifies intact"

# Escaping: nothing from the site or the journal becomes markup.
lacks "$T/r0.html" "<script>alert" "no script tag from an attestation note"
contains "$T/r0.html" "&lt;script&gt;alert(1)&lt;/script&gt;" "the note is shown escaped"
lacks "$T/r0.html" "<b>separate</b>" "no markup from a note"
lacks "$T/r0.md" "<script>" "no raw HTML in Markdown"
lacks "$T/r0.md" '[^\\]](http://e.invalid)' "no link from a note in Markdown (its brackets are escaped)"
contains "$T/r0.md" '\\\[x\\\]' "Markdown brackets are escaped"
for f in html md csv; do
	if LC_ALL=C grep -q "$(printf '\033')" "$T/r0.$f"; then fail "an escape character reached the $f report"; else
		pass "no raw escape character in the $f report"; fi
done
contains "$T/r0.html" 'esc\\x1b\[31m' "control characters are shown as escapes"
# Self-contained: no scripts, no external assets.
for pat in '<script' '<link' ' src=' 'url(' '@import' 'href="http'; do
	lacks "$T/r0.html" "$pat" "the HTML has no '$pat'"
done

# Statuses: attested, waived and their words, never colour alone.
contains "$T/r0.json" '"id":"console.least-privilege".*"status":"attested"' "an attested check reports attested"
contains "$T/r0.json" '"id":"remote.ask-permission".*"status":"waived"' "a waived check reports waived"
contains "$T/r0.html" 'class="st">&#10007;\|class="st">✗ fail' "a failing check carries the word fail"
# The report and `cmharden check` give every check the same status.
for today in "" 2030-07-01; do
	CMHARDEN_TODAY=$today "$CMHARDEN" check --format json -o "$T/check.json" 2>/dev/null
	CMHARDEN_TODAY=$today "$CMHARDEN" report --format json -o "$T/rep.json" 2>/dev/null
	"$PY" - "$T/check.json" "$T/rep.json" <<'PYEOF' && pass "report and check agree on every status ${today:-today}" ||
import json, sys
c = {r['id']: r['status'] for r in json.load(open(sys.argv[1]))['results']}
r = {k['id']: k['status'] for k in json.load(open(sys.argv[2]))['checks']}
bad = [k for k in c if c[k] != r.get(k)]
if bad: print('differ:', [(k, c[k], r.get(k)) for k in bad][:5])
sys.exit(1 if bad or len(c) != len(r) else 0)
PYEOF
		fail "report and check disagree ${today:-today}"
done
CMHARDEN_TODAY=2030-07-01 "$CMHARDEN" report --format json -o "$T/late.json" 2>"$T/err"
contains "$T/late.json" '"id":"remote.ask-permission".*"status":"fail"' "an expired waiver no longer counts"
contains "$T/late.json" '"expired":true' "the waiver is listed as expired"

# Tampering: alter an attestation behind the journal's back.
"$PY" - "$J" <<'PYEOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE attestations SET note = 'changed later' WHERE id = 1")
db.commit()
PYEOF
expect_rc 1 "a report on an altered journal exits 1" -- "$CMHARDEN" report --format html -o "$T/bad.html"
contains "$T/bad.html" "ALTERED" "the HTML says the journal was altered"
"$CMHARDEN" report --format json -o "$T/bad.json" 2>/dev/null
contains "$T/bad.json" '"verification":"altered"' "the JSON says altered"

expect_rc 2 "an unknown session is an error" -- "$CMHARDEN" report --session 999
expect_rc 2 "a session of another target is refused" -- "$CMHARDEN" --target lab:hardened report --session 1
finish
