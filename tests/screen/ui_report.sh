#!/bin/sh
# The audit report is reachable from the wizard: E on the sections screen
# writes the HTML report of the site and its journal under the data directory.
. "$top_srcdir/tests/lib.sh"

cat >"$T/keys" <<'KEYS'
<Enter>
r
<Work 100000>
E
<Dump written>
KEYS
mkdir -p "$T/d"
expect_rc 0 "the scripted wizard runs" -- "$CMHARDEN" wizard --script "$T/keys" --dump-dir "$T/d" --size 100x30
contains "$T/d/written.txt" "Report written to" "the wizard says where the report went"
rdir="$XDG_DATA_HOME/cmharden/reports"
f=$(ls "$rdir"/report-CON-*.html 2>/dev/null | head -1)
[ -n "$f" ] && pass "an HTML report was written in $rdir" || fail "no report in $rdir"
[ -n "$f" ] && [ "$(stat -c %a "$f")" = 600 ] && pass "the report file is 0600" || fail "report mode"
[ -n "$f" ] && contains "$f" "Contoso Headquarters" "the report names the site"
[ -n "$f" ] && contains "$f" "Always configure advertisements to download content" "and the checks"
ls "$rdir"/*.tmp.* >/dev/null 2>&1 && fail "a temporary file was left behind" || pass "no temporary file left"
finish
