#!/bin/sh
# doc/verdicts.md is what `cmharden content verdicts` makes of the content now:
# every check of the checklist and beyond it, once, with its kind and what decides
# it, and counts per kind that add up. A change to checks/ without
# `make update-verdicts-doc` fails here.
. "$top_srcdir/tests/lib.sh"
doc="$top_srcdir/doc/verdicts.md"
expect_rc 0 "content verdicts" -- "$CMHARDEN" content verdicts "$top_srcdir"
cp "$T/out" "$T/verdicts.md"
if cmp -s "$T/verdicts.md" "$doc"; then
	pass "doc/verdicts.md matches the content"
else
	fail "doc/verdicts.md is stale: run 'make update-verdicts-doc'"
	diff "$doc" "$T/verdicts.md" | head -10 | cut -c1-160 | sed 's/^/    | /'
fi

# Every check of `cmharden list` has one entry, and nothing else has one.
"$CMHARDEN" list --format json | grep -o '"id":"[a-z0-9]*\.[a-z0-9.-]*"' | sed 's/"id":"\(.*\)"/\1/' | sort >"$T/ids"
sed -n 's/^### `\(.*\)`$/\1/p' "$T/verdicts.md" | sort >"$T/listed"
[ "$(wc -l <"$T/ids")" -ge 90 ] && pass "$(wc -l <"$T/ids") checks in the content" || fail "too few checks listed"
cmp -s "$T/ids" "$T/listed" && pass "every check has exactly one entry" ||
	{ fail "the entries differ from the checks"; diff "$T/ids" "$T/listed" | head -5 | sed 's/^/    | /'; }

# Each entry says its kind and what decides it.
awk '/^### /{ if (id != "" && !(kind && rule)) print id; id = $2; kind = rule = 0 }
	/^- Kind: \*\*(automated|fail-or-ask|attestation)\*\*/ { kind = 1 }
	/^- (Decided by: .* must satisfy `|Decided by: no .* may satisfy `|Fails by itself when .*`)/ { rule = 1 }
	/^- The operator is asked: ./ { rule = 1 }
	END { if (id != "" && !(kind && rule)) print id }' "$T/verdicts.md" >"$T/bare"
[ ! -s "$T/bare" ] && pass "every entry names its kind and its rule or question" ||
	{ fail "entries without kind or rule:"; head -5 "$T/bare" | sed 's/^/    | /'; }
# An automated part cites the pages it rests on.
awk '/^### /{ if (auto && !cited) print id; id = $2; auto = cited = 0 }
	/^- Kind: \*\*(automated|fail-or-ask)\*\*/ { auto = 1 }
	/^- Cited( for the automated part)?: .*<https?:/ { cited = 1 }
	END { if (auto && !cited) print id }' "$T/verdicts.md" >"$T/uncited"
[ ! -s "$T/uncited" ] && pass "every automated part cites a page" ||
	{ fail "automated parts without a cited page:"; head -5 "$T/uncited" | sed 's/^/    | /'; }

# The counts add up to the entries of each kind, and the checklist has 82 checks.
row() { grep "^| $1 |" "$T/verdicts.md"; }
row "Microsoft's 2007 checklist" | grep -q '^| [^|]* | 82 |' && pass "the checklist counts 82 checks" ||
	fail "the checklist's count is not 82: $(row "Microsoft's 2007 checklist")"
for kind in automated fail-or-ask attestation; do
	n=$(grep -c "^- Kind: \*\*$kind\*\*" "$T/verdicts.md")
	sum=$(grep '^| \(Microsoft\|Beyond\)' "$T/verdicts.md" | awk -F'|' -v k="$kind" '
		{ c = (k == "automated") ? $4 : (k == "fail-or-ask") ? $5 : $6; split(c, w, " "); s += w[1] } END { print s }')
	[ "$n" -eq "$sum" ] && pass "$kind: $n entries, as counted" || fail "$kind: $n entries, counted $sum"
done
finish
