#!/bin/sh
# Attested and waived checks report as such in `check`; waivers expire.
. "$top_srcdir/tests/lib.sh"

expect_rc 0 "attest an attestation check" -- "$CMHARDEN" attest console.limit-web-browsing --answer yes --note "Proxy blocks browsing from console hosts"
expect_rc 1 "check after attesting" -- "$CMHARDEN" check --format json
contains "$T/out" '"id":"console.limit-web-browsing"[^}]*"status":"attested"' "the attestation is reported"
contains "$T/out" 'Proxy blocks browsing' "with its note"

expect_rc 0 "waive a failing check" -- "$CMHARDEN" waive remote.notification --reason "Kiosk clients, CHG-1234" --until 2999-12-31
expect_rc 1 "check after waiving" -- "$CMHARDEN" check --check remote.notification --check inv.disable-mif
contains "$T/out" '\[waived' "the waiver is reported"
contains "$T/out" 'until 2999-12-31: Kiosk clients' "with reason and expiry"
contains "$T/out" 'the check itself: fail' "and the check's own verdict"
expect_rc 0 "a waived failure alone does not fail the run" -- "$CMHARDEN" check --check remote.notification

expect_rc 64 "a waiver cannot be given an expiry in the past" -- "$CMHARDEN" waive inv.disable-mif --reason "old" --until 2001-01-01
# Record a waiver "in 2000" (test hook CMHARDEN_TODAY) that ran out in 2001.
expect_rc 0 "waive in the past with an expiry in 2001" -- env CMHARDEN_TODAY=2000-06-01 "$CMHARDEN" waive inv.disable-mif --reason "old exception" --until 2001-01-01
expect_rc 0 "in 2000 the waiver was in force" -- env CMHARDEN_TODAY=2000-06-01 "$CMHARDEN" check --check inv.disable-mif
expect_rc 1 "an expired waiver no longer applies" -- "$CMHARDEN" check --check inv.disable-mif
lacks "$T/out" 'waived' "the expired waiver is not shown as in force"

# Verdicts belong to the target they were recorded on.
expect_rc 0 "the hardened lab has no verdicts" -- "$CMHARDEN" --target lab:hardened check --check console.limit-web-browsing
contains "$T/out" 'needs_attestation' "an attestation on one site does not settle another"

# An unreadable journal is an error, not a silent loss of verdicts.
printf 'garbage' >"$T/bad.db"
expect_rc 2 "a corrupt journal is reported" -- "$CMHARDEN" --journal "$T/bad.db" check --check console.limit-web-browsing
[ "$(cat "$T/bad.db")" = garbage ] && pass "the corrupt journal was left untouched" || fail "journal file changed"
finish
