#!/bin/sh
# The global options are read by getopt_long: a misspelt option is unknown,
# never taken as a prefix of a real one; a missing value is said as such.
. "$top_srcdir/tests/lib.sh"

expect_rc 64 "--targetx is a usage error" -- "$CMHARDEN" --targetx list
contains "$T/err" "unknown option '--targetx'" "--targetx is named as an unknown option"
lacks "$T/err" "needs a value" "--targetx is not taken for --target"
expect_rc 64 "--target=lab:x with a suffix is unknown too" -- "$CMHARDEN" --targetfoo=lab:default list
contains "$T/err" "unknown option" "--targetfoo=... is unknown"
expect_rc 64 "--target without a value" -- "$CMHARDEN" --target
contains "$T/err" "option '--target' needs a value" "the missing value is named"
expect_rc 64 "an unknown short option" -- "$CMHARDEN" -x list
expect_rc 0 "--target=VALUE before the command" -- "$CMHARDEN" --target=lab:default list
expect_rc 0 "-t VALUE before the command" -- "$CMHARDEN" -t lab:default list
expect_rc 0 "options end at the command (its own --format is its own)" -- "$CMHARDEN" list --format json
contains "$T/out" '"sections"' "the command read its own option"
expect_rc 0 "-- ends the global options" -- "$CMHARDEN" -- list
expect_rc 0 "--help" -- "$CMHARDEN" --help
contains "$T/out" "Usage: cmharden" "--help prints the usage"
finish
