#!/bin/sh
# content lint and list, as a user runs them.
. "$top_srcdir/tests/lib.sh"

expect_rc 0 "--help exits 0" -- "$CMHARDEN" --help
contains "$T/out" "Usage: cmharden" "--help prints usage"
expect_rc 0 "--version exits 0" -- "$CMHARDEN" --version
contains "$T/out" "^cmharden [0-9]" "--version prints the version"
expect_rc 64 "unknown command is a usage error" -- "$CMHARDEN" frobnicate

expect_rc 0 "shipped content lints clean" -- "$CMHARDEN" content lint
contains "$T/err" "14 sections, 82 checks in the checklist, 12 beyond it" "lint reports the checklist's 14 sections and 82 checks, and the 12 beyond it"

# A broken copy: one duplicate key, one bad expression.
cp -R "$CMHARDEN_CONTENT/checks" "$CMHARDEN_CONTENT/labs" "$T/"
mkdir -p "$T/broken" && mv "$T/checks" "$T/labs" "$T/broken/"
sed -i '0,/^    severity: /s//    severity: high\n    severity: /' "$T/broken/checks/02-swdist.yaml"
expect_rc 1 "a broken copy fails lint" -- "$CMHARDEN" content lint "$T/broken"
contains "$T/out" "checks/02-swdist.yaml:[0-9]*:[0-9]*: duplicate key 'severity'" "the error names file:line:col"

# The checklist itself is unchanged: 82 checks in 14 sections, in its order.
expect_rc 0 "list --format json --scope checklist" -- "$CMHARDEN" --scope checklist list --format json
n=$(grep -o '"severity":' "$T/out" | wc -l)
[ "$n" -eq 82 ] && pass "list shows 82 checks" || fail "list shows $n checks, want 82"
order=$(grep -o '{"id":"[a-z]*","title"' "$T/out" | sed 's/{"id":"\([a-z]*\)".*/\1/' | tr '\n' ' ')
[ "$order" = "console swdist dp sum osd ai report dcm mobile nap inv remote wol oob " ] &&
	pass "sections in checklist order" || fail "section order: $order"
lacks "$T/out" '"scope":"beyond"' "--scope checklist leaves the section beyond it out"
# By default the section beyond the checklist follows it, marked as such.
expect_rc 0 "list --format json" -- "$CMHARDEN" list --format json
n=$(grep -o '"severity":' "$T/out" | wc -l)
[ "$n" -eq 94 ] && pass "list shows 82 + 12 checks" || fail "list shows $n checks, want 94"
order=$(grep -o '{"id":"[a-z]*","title"' "$T/out" | sed 's/{"id":"\([a-z]*\)".*/\1/' | tr '\n' ' ')
[ "$order" = "console swdist dp sum osd ai report dcm mobile nap inv remote wol oob beyond " ] &&
	pass "the section beyond the checklist comes last" || fail "section order: $order"
contains "$T/out" '"id":"beyond","title":"Beyond the 2007 checklist","heading":"[^"]*","scope":"beyond"' "it is marked scope beyond"
expect_rc 64 "an unknown scope is a usage error" -- "$CMHARDEN" --scope everything list
expect_rc 64 "list rejects an unknown format" -- "$CMHARDEN" list --format yaml
finish
