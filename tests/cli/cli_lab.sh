#!/bin/sh
# cmharden lab list/show/reset, and where lab state lives.
. "$top_srcdir/tests/lib.sh"

expect_rc 0 "lab list" -- "$CMHARDEN" lab list
contains "$T/out" "^default " "lab list shows default"
contains "$T/out" "^hardened " "lab list shows hardened"

expect_rc 0 "lab show SMS_Advertisement" -- "$CMHARDEN" lab show SMS_Advertisement
contains "$T/out" "RemoteClientFlags" "objects are shown with their properties"
expect_rc 0 "lab show (classes)" -- "$CMHARDEN" lab show
contains "$T/out" "SMS_Advertisement" "lab show lists classes with counts"

dir="$XDG_DATA_HOME/cmharden/labs"
db=$(ls "$dir"/default-*.db 2>/dev/null | head -1)
[ -n "$db" ] && pass "the lab state was created under XDG_DATA_HOME" || fail "no state in $dir"
[ "$(stat -c %a "$db")" = 600 ] && pass "lab state is 0600" || fail "lab state mode $(stat -c %a "$db")"
[ "$(stat -c %a "$dir")" = 700 ] && pass "labs dir is 0700" || fail "labs dir mode $(stat -c %a "$dir")"
[ "$(stat -c %a "$XDG_DATA_HOME/cmharden")" = 700 ] && pass "data dir is 0700" || fail "data dir mode"

expect_rc 0 "lab reset default" -- "$CMHARDEN" lab reset default
contains "$T/out" "reset" "reset says what it did"
expect_rc 0 "lab reset with --target" -- "$CMHARDEN" --target lab:hardened lab reset
expect_rc 2 "reset of an unknown lab fails" -- "$CMHARDEN" lab reset no-such-lab
expect_rc 64 "lab without a subcommand is a usage error" -- "$CMHARDEN" lab

# A state file that is not ours is refused, never overwritten.
printf 'not a database' >"$db"
expect_rc 2 "a foreign state file is refused" -- "$CMHARDEN" check
[ "$(cat "$db")" = "not a database" ] && pass "the foreign file was left untouched" || fail "state file was changed"
finish
