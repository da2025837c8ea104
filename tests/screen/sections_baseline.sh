#!/bin/sh
# The wizard's sections screen compares the verdicts with the baseline report
# named in the report settings, with the counts `cmharden report --baseline`
# gives; without a baseline the screen has no such line.
. "$top_srcdir/tests/lib.sh"
PY=${PYTHON3:-python3}

cat >"$T/keys" <<'KEYS'
<Enter>
r
<Work 100000>
<Dump sections>
KEYS
mkdir -p "$T/d0" "$T/d1" "$T/d2"
expect_rc 0 "the wizard without a baseline" -- "$CMHARDEN" wizard --script "$T/keys" --dump-dir "$T/d0" --size 120x30
lacks "$T/d0/sections.txt" "baseline" "no baseline line when none is set"

"$CMHARDEN" report --format json -o "$T/before.json" 2>/dev/null
"$CMHARDEN" fix --failing --yes >/dev/null 2>&1
"$CMHARDEN" attest console.least-privilege --answer yes --note 'separate accounts' >/dev/null
mkdir -p "$HOME/.config/cmharden"
printf 'baseline = %s\n' "$T/before.json" >"$HOME/.config/cmharden/report.conf"
"$CMHARDEN" report --format json -o "$T/after.json" 2>/dev/null
counts=$("$PY" -c '
import json, sys
c = json.load(open(sys.argv[1]))["baseline"]["counts"]
print("%d fixed, %d regressed, %d newly attested" % (c["fixed"], c["regressed"], c["newly_attested"]))' "$T/after.json")
expect_rc 0 "the wizard with a baseline" -- "$CMHARDEN" wizard --script "$T/keys" --dump-dir "$T/d1" --size 120x30
contains "$T/d1/sections.txt" "Since the baseline of .*: $counts" "the sections screen shows the report's counts ($counts)"

printf 'baseline = %s\n' "$T/missing.json" >"$HOME/.config/cmharden/report.conf"
expect_rc 0 "the wizard with a missing baseline" -- "$CMHARDEN" wizard --script "$T/keys" --dump-dir "$T/d2" --size 120x30
contains "$T/d2/sections.txt" "Baseline: cannot read the baseline" "a baseline that cannot be read is said so, not ignored"
finish
