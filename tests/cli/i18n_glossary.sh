#!/bin/sh
# One German term per concept: po-content/GLOSSARY names the words a translation must
# not use for a concept (`never "..."`); neither catalog may use them, and the site's
# mode is never left in English inside a German sentence.
. "$top_srcdir/tests/lib.sh"
g="$top_srcdir/po-content/GLOSSARY"
[ -s "$g" ] && pass "the glossary exists" || fail "po-content/GLOSSARY is missing"
# Every msgstr (with its continuation lines) of both catalogs, one entry per line.
for po in "$top_srcdir/po/de.po" "$top_srcdir/po-content/de.po"; do
	awk '/^msgstr/ { on = 1; sub(/^msgstr(\[[0-9]\])? /, ""); printf "\n%s", $0; next }
		on && /^"/ { printf "%s", $0; next } { on = 0 }' "$po"
done >"$T/msgstr"
[ "$(wc -l <"$T/msgstr")" -gt 500 ] && pass "the translations were read" || fail "too few translations read"
n=0
sed -n 's/.*never "\([^"]*\)".*/\1/p' "$g" >"$T/never"
while IFS= read -r word; do
	n=$((n + 1))
	if grep -qF -- "$word" "$T/msgstr"; then
		fail "'$word' is used although the glossary forbids it:"
		grep -F -- "$word" "$T/msgstr" | head -3 | sed 's/^/    | /'
	else
		pass "no translation uses '$word'"
	fi
done <"$T/never"
[ "$n" -ge 3 ] && pass "the glossary forbids $n words" || fail "the glossary forbids only $n words"
for w in 'Modus mixed' 'Modus native' 'Modus %s' 'automatisch, inferred' 'automatisch, documented'; do
	grep -qF -- "$w" "$T/msgstr" && fail "English leaks into German: '$w'" || pass "no '$w'"
done
finish
