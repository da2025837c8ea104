#!/bin/sh
# A waiver has an end: --until is required, or an explicit --permanent, which
# every report shows as permanent.
. "$top_srcdir/tests/lib.sh"

expect_rc 64 "a waiver without --until or --permanent is refused" -- "$CMHARDEN" waive inv.disable-mif --reason later
contains "$T/err" "needs --until" "and says what is missing"
expect_rc 64 "--until and --permanent together are refused" -- "$CMHARDEN" waive inv.disable-mif --reason x --until 2999-01-01 --permanent
expect_rc 0 "a permanent waiver, chosen explicitly" -- "$CMHARDEN" waive inv.disable-mif --reason "vendor tool needs MIFs" --permanent
contains "$T/out" "permanently" "confirmed as permanent"
expect_rc 0 "it settles the check" -- "$CMHARDEN" check --check inv.disable-mif
contains "$T/out" "waived permanently by" "check says permanent"
for f in json csv md html; do
	expect_rc 0 "report --format $f" -- "$CMHARDEN" report --format $f -o "$T/r.$f"
done
contains "$T/r.json" '"permanent":true' "JSON report: permanent"
contains "$T/r.csv" "\"waiver\",.*\"permanent\"" "CSV report: permanent"
contains "$T/r.md" "Waived permanently by" "Markdown report: permanent"
contains "$T/r.html" "permanent (no end date)" "HTML report: permanent"
contains "$T/r.md" "permanent (no end date)" "Markdown report: permanent in the waivers"
validate_report_json "$T/r.json"
finish
