#!/bin/sh
# At 80 columns the wizard shows where the report went in full: the path is
# wrapped in a dialog, not cut at the edge of the status line.
. "$top_srcdir/tests/lib.sh"

printf '<Enter>E<Dump written>' >"$T/keys"
mkdir -p "$T/d"
expect_rc 0 "the scripted wizard writes the report" -- "$CMHARDEN" wizard --script "$T/keys" --dump-dir "$T/d" --size 80x24
f=$(ls "$XDG_DATA_HOME"/cmharden/reports/report-CON-*.html 2>/dev/null | head -1)
[ -n "$f" ] && pass "a report was written" || fail "no report written"
# The dialog's lines, without its frame, joined: the whole path must be there.
sed -n 's/^[^│]*│ \(.*[^ ]\) *│.*$/\1/p' "$T/d/written.txt" | tr -d '\n' >"$T/joined"
grep -qF "$f" "$T/joined" && pass "the whole path is on screen" ||
	{ fail "the path is cut"; sed 's/^/    | /' "$T/d/written.txt"; }
contains "$T/d/written.txt" "Report written to" "it says what the path is"
finish
