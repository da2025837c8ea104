#!/bin/sh
# The translations are complete and current: po/de.po translates every message
# of the files in po/POTFILES.in as they are now (no untranslated, no fuzzy),
# and po-content/ matches the content (`make update-content-po` refreshes it).
. "$top_srcdir/tests/lib.sh"
for tool in xgettext msgmerge msgfmt msgcmp; do
	command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool (gettext) is not installed"; exit 77; }
done
cd "$top_srcdir" || exit 1

# A fresh template from the sources, as 'make -C po update-po' would make it.
files=$(grep -v '^#' po/POTFILES.in | grep .)
# shellcheck disable=SC2086
xgettext --keyword=_ --keyword=N_ --keyword=ngettext:1,2 --from-code=UTF-8 --add-comments=TRANSLATORS: \
	-o "$T/cmharden.pot" $files 2>"$T/err" && pass "xgettext reads every file of POTFILES.in" ||
	{ fail "xgettext failed"; cat "$T/err"; }
n=$(grep -c '^msgid ' "$T/cmharden.pot")
msgmerge --quiet -o "$T/de.po" po/de.po "$T/cmharden.pot"
msgfmt --check --statistics -o /dev/null "$T/de.po" >"$T/stats" 2>&1
if grep -q "untranslated\|fuzzy" "$T/stats"; then
	fail "po/de.po is not complete for the current sources: $(cat "$T/stats")"
	msgattrib --untranslated --no-obsolete "$T/de.po" 2>/dev/null | grep '^msgid' | head -10 | sed 's/^/    | /'
	echo "    (regenerate with 'make -C po update-po' and translate every entry)"
else
	pass "po/de.po translates all $((n - 1)) messages: $(cat "$T/stats")"
fi
msgfmt --check -o /dev/null po/de.po && pass "po/de.po passes msgfmt --check" || fail "msgfmt --check po/de.po"
grep -q '^"Content-Type: text/plain; charset=UTF-8' po/de.po && pass "po/de.po is UTF-8" || fail "po/de.po charset"

# The content's template is the one the content makes now.
CMHARDEN_CONTENT=$top_srcdir "$CMHARDEN" content pot >"$T/content.pot" 2>"$T/err"
if cmp -s "$T/content.pot" po-content/cmharden-content.pot; then
	pass "po-content/cmharden-content.pot matches the content"
else
	fail "po-content/cmharden-content.pot is stale: run 'make update-content-po'"
	diff "$T/content.pot" po-content/cmharden-content.pot | head -10 | sed 's/^/    | /'
fi
msgfmt --check -o /dev/null po-content/de.po && pass "po-content/de.po passes msgfmt --check" || fail "po-content/de.po"
msgcmp --use-untranslated po-content/de.po "$T/content.pot" >"$T/cmp" 2>&1 &&
	pass "every entry of po-content/de.po is a string of the content" ||
	{ fail "po-content/de.po does not match the content"; head -5 "$T/cmp" | sed 's/^/    | /'; }
# Every message of the content is translated: guidance, questions, console paths,
# basis and section notes, briefings, not only titles. A German wizard or report
# would otherwise show those texts in English in the middle of German screens.
msgmerge --quiet -o "$T/content-de.po" po-content/de.po "$T/content.pot"
msgfmt --check --statistics -o /dev/null "$T/content-de.po" >"$T/cstats" 2>&1
if grep -q "untranslated\|fuzzy" "$T/cstats"; then
	fail "po-content/de.po is not complete for the current content: $(cat "$T/cstats")"
	msgattrib --untranslated --no-obsolete --no-wrap "$T/content-de.po" 2>/dev/null | grep '^msgid' | head -10 | cut -c1-120 | sed 's/^/    | /'
	msgattrib --only-fuzzy --no-obsolete --no-wrap "$T/content-de.po" 2>/dev/null | grep '^msgid' | head -10 | cut -c1-120 | sed 's/^/    | fuzzy: /'
	echo "    (run 'make update-content-po' and translate every entry of po-content/de.po)"
else
	pass "po-content/de.po translates all $(($(grep -c '^msgid ' "$T/content.pot") - 1)) content messages: $(cat "$T/cstats")"
fi
# Every title of the checklist is translated.
CMHARDEN_CONTENT=$top_srcdir "$CMHARDEN" list --format json | grep -o '"title":"[^"]*"' | sed 's/"title":"\(.*\)"/\1/' |
	sort -u >"$T/titles"
msgattrib --translated --no-obsolete --no-wrap po-content/de.po >"$T/translated.po" 2>/dev/null
missing=0
while IFS= read -r t; do
	grep -qF "msgid \"$t\"" "$T/translated.po" || { missing=$((missing + 1)); echo "    | untranslated: $t"; }
done <"$T/titles"
[ "$missing" -eq 0 ] && pass "all $(wc -l <"$T/titles") section and check titles are translated" ||
	fail "$missing section or check titles have no German translation"
finish
