#!/bin/sh
# The training labs: every scenario lints clean, every automated check gives pass
# or fail (never error) on it, and the goals format rejects mistakes with positions.
. "$top_srcdir/tests/lib.sh"

labs=$(cd "$CMHARDEN_CONTENT/labs" && ls *.yaml | sed 's/\.yaml$//')
for want in default hardened pxe-exposed leaky-dps careless-oob; do
	echo "$labs" | grep -qx "$want" && pass "lab $want is shipped" || fail "lab $want is missing"
done
expect_rc 0 "every lab lints clean" -- "$CMHARDEN" content lint

for lab in $labs; do
	"$CMHARDEN" --target "lab:$lab" check --format csv >"$T/$lab.csv" 2>"$T/err"
	bad=$(awk -F'","|",|,"' 'NR > 1 && $0 ~ /,automated,/ && $0 !~ /,automated,[a-z]*,(pass|fail),/' "$T/$lab.csv" | wc -l)
	auto=$(grep -c ',automated,' "$T/$lab.csv")
	[ "$auto" -gt 0 ] && [ "$bad" -eq 0 ] && pass "$lab: all $auto automated checks give pass or fail" ||
		fail "$lab: $bad of $auto automated checks neither pass nor fail"
done

# The teaching labs start with their automated goals failing (otherwise there is nothing
# to do) and everything outside their topic passing.
for lab in pxe-exposed leaky-dps careless-oob; do
	failing=$(grep ',automated,[a-z]*,fail,' "$T/$lab.csv" | cut -d, -f1 | tr -d '"' | sort | tr '\n' ' ')
	goals=$(sed -n '/^  goals:/,/^[a-z]/p' "$CMHARDEN_CONTENT/labs/$lab.yaml" |
		awk '/- check:/ { id = $3 } /status: (pass|\[pass)/ { print id }' | sort | tr '\n' ' ')
	[ -n "$goals" ] && [ "$failing" = "$goals" ] && pass "$lab: exactly the checks of its pass goals fail at the start ($goals)" ||
		fail "$lab: failing '$failing' but pass goals '$goals'"
	grep -q '^  briefing: ' "$CMHARDEN_CONTENT/labs/$lab.yaml" && pass "$lab has a briefing" || fail "$lab has no briefing"
done

# Goals that cannot be right are lint errors with file:line:col.
mkdir -p "$T/c/labs"
ln -s "$CMHARDEN_CONTENT/checks" "$T/c/checks"
sed -n '1,/^objects:/p' "$CMHARDEN_CONTENT/labs/hardened.yaml" | sed 's/^  name: hardened/  name: bad/' >"$T/c/labs/bad.yaml"
cat >>"$T/c/labs/bad.yaml" <<'YAML'
  - class: SMS_Site
    key: CON
    properties:
      SiteCode: CON
YAML
# insert goals after the briefing (before site:)
awk '/^site:/ && !done { print "  goals:\n    - check: osd.no-such-check\n      status: pass\n    - check: osd.pxe-password\n      status: attested\n    - check: osd.pxe-secure-segments\n      status: pass\n    - check: osd.pxe-password\n      status: [pass, waived]\n    - check: remote.ask-permission\n      status: fixed\n      note: unknown status\n    - check: remote.notification\n      status: pass\n      hint: unknown key"; done = 1 } { print }' \
	"$T/c/labs/bad.yaml" >"$T/c/labs/bad.tmp" && mv "$T/c/labs/bad.tmp" "$T/c/labs/bad.yaml"
expect_rc 1 "bad goals fail lint" -- "$CMHARDEN" content lint "$T/c"
contains "$T/out" "bad.yaml:[0-9]*:[0-9]*: goal for unknown check 'osd.no-such-check'" "unknown check id is an error with its position"
contains "$T/out" "bad.yaml:[0-9]*:[0-9]*: 'osd.pxe-password' is an automated check: it is not attested" "automated check cannot be attested"
contains "$T/out" "bad.yaml:[0-9]*:[0-9]*: 'osd.pxe-secure-segments' is an attestation check: it never passes" "attestation check cannot pass"
contains "$T/out" "bad.yaml:[0-9]*:[0-9]*: check 'osd.pxe-password' already has a goal" "a check has one goal"
contains "$T/out" "bad.yaml:[0-9]*:[0-9]*: unknown goal status 'fixed'" "unknown status is an error"
contains "$T/out" "bad.yaml:[0-9]*:[0-9]*: unknown key 'hint'" "unknown key in a goal is an error"
n=$(grep -c 'bad.yaml' "$T/out")
[ "$n" -eq 6 ] && pass "exactly the six mistakes are reported" || fail "$n problems reported, want 6"
finish
