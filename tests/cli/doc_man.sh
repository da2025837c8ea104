#!/bin/sh
# cmharden(1) renders without warnings (groff -ww; mandoc -Tlint when present;
# man itself), and documents every command of the program and every option of
# its --help.
. "$top_srcdir/tests/lib.sh"
page="$top_srcdir/doc/cmharden.1"
if ! command -v groff >/dev/null 2>&1; then
	echo "SKIP: groff is not installed (apt-get install groff-base); the manual page was not rendered"
	exit 77
fi
groff -ww -man -Tutf8 "$page" >"$T/page.txt" 2>"$T/warn"
[ $? -eq 0 ] && [ ! -s "$T/warn" ] && pass "groff -ww renders the page without warnings" ||
	{ fail "groff warns"; sed 's/^/    | /' "$T/warn"; }
if command -v mandoc >/dev/null 2>&1; then
	mandoc -Tlint "$page" >"$T/lint" 2>&1 && pass "mandoc -Tlint is clean" ||
		{ fail "mandoc -Tlint"; sed 's/^/    | /' "$T/lint"; }
else
	echo "# mandoc is not installed: -Tlint not run"
fi
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man -l "$page" >"$T/man.txt" 2>"$T/manerr" && grep -q "hardening wizard" "$T/man.txt" &&
		pass "man -l renders the page" || { fail "man -l"; sed 's/^/    | /' "$T/manerr"; }
fi
# Every command and global option of the program is in the page (rendered wide,
# without hyphenation and without the overstrike of bold and underlining).
groff -man -Tutf8 -rLL=300n -rHY=0 -P-cbou "$page" 2>/dev/null >"$T/plain.txt"
"$CMHARDEN" --help >"$T/help"
cmds=$(sed -n '/^Commands:/,/^$/p' "$T/help" | awk 'NF && !/:$/ { print $1 }')
[ -n "$cmds" ] || fail "no commands in --help"
for c in $cmds; do
	grep -q "^ *cmharden $c\b" "$T/plain.txt" && pass "the page documents '$c'" || fail "the page lacks the command '$c'"
done
for o in $(grep -o -- '--[a-z][a-z-]*' "$T/help" | sort -u); do
	grep -q -- "$o" "$T/plain.txt" && pass "the page documents $o" || fail "the page lacks the option $o"
done
for lab in $(cd "$CMHARDEN_CONTENT/labs" && ls *.yaml | sed 's/\.yaml$//'); do
	grep -q "$lab" "$T/plain.txt" && pass "the page names the lab $lab" || fail "the page does not name the lab $lab"
done
finish
