#!/bin/sh
# Nothing of the content stays English on German screens: with LANGUAGE=de, the
# check results, the Markdown and HTML reports, the fix previews and the lab
# commands show no English text of the content (a guidance text, question,
# console path, note, evidence label, script title or briefing that po-content
# translates), and the report names the basis of a verdict in German.
. "$top_srcdir/tests/lib.sh"
command -v msgattrib >/dev/null 2>&1 || { echo "SKIP: msgattrib (gettext) is not installed"; exit 77; }
de() { LANGUAGE=de LC_ALL=C.UTF-8 "$@"; }

# The English side of every translated content message whose German differs,
# long enough not to occur by chance in site data (the labs' objects are English).
msgattrib --translated --no-obsolete --no-wrap "$top_srcdir/po-content/de.po" >"$T/de.po"
awk '/^msgid "./ { id = substr($0, 8, length($0) - 8); next }
	/^msgstr "./ { s = substr($0, 9, length($0) - 9); if (id != "" && id != s && length(id) >= 40) print id }
	{ id = "" }' "$T/de.po" |
	sed 's/\\"/"/g; s/\\\\/\\/g' >"$T/english.all"
# An English console label the German text quotes on purpose ("Require a password
# for computers that boot to PXE") is not a leak: drop what German text contains.
awk '/^msgstr "./ { print substr($0, 9, length($0) - 9) }' "$T/de.po" | sed 's/\\"/"/g; s/\\\\/\\/g' >"$T/german"
while IFS= read -r e; do grep -qF -- "$e" "$T/german" || printf '%s\n' "$e"; done <"$T/english.all" >"$T/english"
n=$(wc -l <"$T/english")
[ "$n" -gt 600 ] && pass "$n English content texts to look for" || fail "only $n English content texts read"

expect_rc 1 "check in German" -- de "$CMHARDEN" check
cp "$T/out" "$T/check.txt"
expect_rc 0 "the Markdown report in German" -- de "$CMHARDEN" report --format md -o "$T/report.md"
expect_rc 0 "the HTML report in German" -- de "$CMHARDEN" report --format html -o "$T/report.html"
expect_rc 0 "fix previews in German" -- de "$CMHARDEN" fix --failing --dry-run
cp "$T/out" "$T/fix.txt"
expect_rc 2 "a fix that asks for a value, in German" -- de "$CMHARDEN" fix beyond.client-push.remove-members \
	--objects 'CM02/Administrators' --dry-run
cp "$T/err" "$T/ask.txt"
expect_rc 0 "lab list in German" -- de "$CMHARDEN" lab list
cp "$T/out" "$T/labs.txt"
expect_rc 0 "list in German" -- de "$CMHARDEN" list
cp "$T/out" "$T/list.txt"

for f in check.txt report.md report.html fix.txt ask.txt labs.txt list.txt; do
	# References cite Microsoft's English pages by their English titles; evidence
	# tables hold what the site stores, in its own language.
	if grep -v -e 'Referenz' -e '^|' -e '^<tr>' "$T/$f" | grep -F -f "$T/english" >"$T/leaks"; then
		fail "$f shows English content text in German:"
		cut -c1-160 "$T/leaks" | head -5 | sed 's/^/    | /'
	else
		pass "$f shows no English content text"
	fi
done
# The pieces the program puts around content values are German too.
for f in report.md report.html; do
	lacks "$T/$f" "(documented)\|(inferred)" "$f names the basis in German"
done
contains "$T/report.md" "automatisch (dokumentiert)" "the Markdown report says 'automatisch (dokumentiert)'"
contains "$T/fix.txt" "Warnung der Checkliste: Testen Sie" "the checklist's warning is German in fix previews"
lacks "$T/fix.txt" "für Prüfung [a-z.-]*: fail" "the check's status in fix previews is German"
contains "$T/fix.txt" "Mitglieder aus einer lokalen Gruppe entfernen" "a fix script's title is German"
contains "$T/ask.txt" "die Konten, die aus der Gruppe entfernt werden sollen" "what a fix asks for is German"
finish
