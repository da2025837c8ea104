#!/bin/sh
# The HTML report renders in headless Chromium, to PDF and to PNG, and the
# rendered text holds the site code, a failing check's title and the journal's
# head. Without Chromium (apt package chromium) or pdftotext (poppler-utils) the
# test says so and is skipped (exit 77); it never passes without rendering.
. "$top_srcdir/tests/lib.sh"
CHROMIUM=${CHROMIUM:-}
for c in chromium chromium-browser google-chrome; do
	[ -z "$CHROMIUM" ] && command -v "$c" >/dev/null 2>&1 && CHROMIUM=$c
done
if [ -z "$CHROMIUM" ]; then
	echo "SKIP: Chromium is not installed (apt-get install chromium); the HTML report was not rendered"
	exit 77
fi
if ! command -v pdftotext >/dev/null 2>&1; then
	echo "SKIP: pdftotext is not installed (apt-get install poppler-utils); the PDF cannot be read back"
	exit 77
fi

# A session that fixed and undid changes, with an attestation and a waiver.
"$CMHARDEN" fix --failing --yes >/dev/null 2>&1
"$CMHARDEN" attest console.least-privilege --answer yes --note 'Separate admin accounts <verified>' >/dev/null
"$CMHARDEN" waive remote.ask-permission --reason 'helpdesk pilot' --until 2030-06-30 >/dev/null
"$CMHARDEN" undo --session 1 --yes >/dev/null
head=$("$CMHARDEN" journal verify | sed -n 's/.*Head: \([0-9]*:[0-9a-f]*\).*/\1/p')
[ -n "$head" ] && pass "journal head $head" || fail "no journal head"
expect_rc 0 "report --session 1 as HTML" -- "$CMHARDEN" report --session 1 --format html -o "$T/report.html"

# chromium refuses to run as root without --no-sandbox; a private profile keeps
# it from reading or writing anything of the user's. Each run is time-bounded.
render() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --user-data-dir="$(mktemp -d "$T/profile-XXXXXX")" \
		"$@" "file://$T/report.html" >"$T/chromium.log" 2>&1
}
render --print-to-pdf="$T/report.pdf"
if [ ! -s "$T/report.pdf" ]; then
	fail "Chromium made no PDF"
	sed 's/^/    | /' "$T/chromium.log" | tail -20
	finish
fi
pass "Chromium printed the report to PDF ($(wc -c <"$T/report.pdf") bytes)"
pdftotext -layout "$T/report.pdf" "$T/report.txt"
contains "$T/report.txt" "Security report for site CON" "the PDF text has the title with the site code"
contains "$T/report.txt" "CON – Contoso Headquarters" "the PDF text has the site code and name"
contains "$T/report.txt" "Always configure advertisements to download content" "the PDF text has a failing check's title"
# pdftotext may break the head where the page breaks its line: compare without spaces.
tr -d ' \n' <"$T/report.txt" | grep -q "$head" && pass "the PDF text has the journal head" ||
	fail "the journal head $head is not in the PDF text"
contains "$T/report.txt" "Verification: intact" "the PDF says the journal is intact"
contains "$T/report.txt" "✗ FAIL" "statuses are printed as words with a symbol"
contains "$T/report.txt" "Separate admin accounts <verified>" "an attestation note is printed as text"

render --screenshot="$T/report.png" --window-size=1200,1600
if [ -s "$T/report.png" ] && [ "$(od -An -tx1 -N8 "$T/report.png" | tr -d ' \n')" = 89504e470d0a1a0a ]; then
	w=$(od -An -tu1 -j16 -N4 "$T/report.png" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
	h=$(od -An -tu1 -j20 -N4 "$T/report.png" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
	[ "$w" -eq 1200 ] && [ "$h" -eq 1600 ] && pass "Chromium made a 1200x1600 PNG" || fail "PNG is ${w}x$h"
else
	fail "Chromium made no PNG"
	sed 's/^/    | /' "$T/chromium.log" | tail -20
fi
finish
