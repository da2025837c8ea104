#!/bin/sh
# The example files of doc/content-format.md (fences that name a file) lint clean
# and work: the example check fails on the example lab, its fix makes it pass,
# and lab score counts the goals.
. "$top_srcdir/tests/lib.sh"
doc="$top_srcdir/doc/content-format.md"
mkdir -p "$T/c"
cp -R "$CMHARDEN_CONTENT/checks" "$CMHARDEN_CONTENT/fixes" "$CMHARDEN_CONTENT/labs" "$T/c/"
awk -v dir="$T/c" '
	/^```yaml file=/ { f = dir "/" substr($2, 6); n++; next }
	/^```/ && f { close(f); f = ""; next }
	f { print > f }
	END { print n > (dir "/count") }' "$doc"
n=$(cat "$T/c/count")
[ "$n" -ge 3 ] && pass "the document holds $n example files" || fail "only $n example files in $doc"
for f in checks/90-example.yaml fixes/example.yaml labs/example-lab.yaml; do
	[ -s "$T/c/$f" ] && pass "example $f extracted" || fail "example $f missing"
done
expect_rc 0 "the examples lint clean with the shipped content" -- "$CMHARDEN" content lint "$T/c"
C="--content=$T/c"
expect_rc 1 "the example check fails on the example lab" -- "$CMHARDEN" "$C" --target lab:example-lab check --section example
contains "$T/out" "\[fail *\] Ask the user for permission" "the automated example check fails"
contains "$T/out" "\[needs_attestation\] Keep the Permitted Viewers list short" "the attestation example asks"
expect_rc 1 "lab score: nothing met yet" -- "$CMHARDEN" "$C" lab score example-lab
contains "$T/out" "Score: 0 of 2 goals met" "two goals, none met"
expect_rc 0 "the example fix applies" -- "$CMHARDEN" "$C" --target lab:example-lab fix example.ask-permission.require --yes
expect_rc 0 "and the check passes" -- "$CMHARDEN" "$C" --target lab:example-lab check --check example.ask-permission
expect_rc 0 "attest the viewers" -- "$CMHARDEN" "$C" --target lab:example-lab attest example.viewers --answer yes --note "Only CONTOSO\\RemoteSupport stays"
expect_rc 0 "lab score: every goal met" -- "$CMHARDEN" "$C" lab score example-lab
finish
