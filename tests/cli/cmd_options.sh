#!/bin/sh
# The options of lab, content and journal are read by getopt_long like every
# other command's: a long option may be given by an unambiguous prefix, a
# missing value is said as such, and an unknown option is a usage error (64)
# that touches nothing.
. "$top_srcdir/tests/lib.sh"

J="$T/j.db"
expect_rc 0 "a journal to read" -- "$CMHARDEN" --journal "$J" attest console.limit-web-browsing --answer yes --note "Proxy blocks browsing"

# journal
expect_rc 0 "journal export --format=json" -- "$CMHARDEN" --journal "$J" journal export --format=json
cp "$T/out" "$T/export.json"
expect_rc 0 "journal export --form json: a prefix of --format" -- "$CMHARDEN" --journal "$J" journal export --form json
cmp -s "$T/out" "$T/export.json" && pass "the prefix exports the same JSON" || fail "the prefix exported something else"
expect_rc 64 "journal export --format xml" -- "$CMHARDEN" --journal "$J" journal export --format xml
contains "$T/err" "JSON only" "only JSON is written"
expect_rc 0 "journal verify" -- "$CMHARDEN" --journal "$J" journal verify
head=$(sed -n 's/.*Head: //p' "$T/out")
expect_rc 0 "journal verify --hea=HEAD: a prefix of --head" -- "$CMHARDEN" --journal "$J" journal verify --hea="$head"
contains "$T/out" "the head $head is in the chain" "the head given by a prefix was checked"
expect_rc 64 "journal verify --he: ambiguous (--head, --help)" -- "$CMHARDEN" --journal "$J" journal verify --he=x
expect_rc 64 "journal verify --head without its value" -- "$CMHARDEN" --journal "$J" journal verify --head
contains "$T/err" "incomplete option '--head'" "the option missing its value is named"
expect_rc 64 "journal verify --head on another subcommand" -- "$CMHARDEN" --journal "$J" journal list --head=1:x
expect_rc 64 "journal list --bogus" -- "$CMHARDEN" --journal "$J" journal list --bogus
contains "$T/err" "unknown or incomplete option '--bogus'" "the unknown option is named"
expect_rc 0 "journal show --help" -- "$CMHARDEN" --journal "$J" journal show --help
contains "$T/out" "Usage: cmharden journal" "help after the subcommand"
expect_rc 64 "an option refused before a missing journal is looked for" -- "$CMHARDEN" --journal "$T/none.db" journal verify --bogus
[ ! -e "$T/none.db" ] && pass "no journal was created" || fail "a journal was created"

# lab
expect_rc 64 "lab reset --bogus is an unknown option, not a lab named --bogus" -- "$CMHARDEN" lab reset --bogus
contains "$T/err" "unknown or incomplete option '--bogus'" "the unknown option is named"
expect_rc 0 "lab list --help" -- "$CMHARDEN" lab list --help
contains "$T/out" "Usage: cmharden lab list" "help after the subcommand"
expect_rc 0 "lab --he: a prefix of --help" -- "$CMHARDEN" lab --he
contains "$T/out" "Usage: cmharden lab list" "the prefix asks for help"
expect_rc 0 "lab list" -- "$CMHARDEN" lab list
contains "$T/out" "default" "the scenarios are listed"
expect_rc 64 "lab list with an operand" -- "$CMHARDEN" lab list extra

# content
expect_rc 0 "content lint --he: a prefix of --help" -- "$CMHARDEN" content lint --he
contains "$T/out" "Usage: cmharden content lint" "the prefix asks for help"
expect_rc 64 "content lint --bogus" -- "$CMHARDEN" content lint --bogus
contains "$T/err" "unknown option '--bogus'" "the unknown option is named"
expect_rc 64 "content lint with two directories" -- "$CMHARDEN" content lint a b
expect_rc 64 "content pot --bogus" -- "$CMHARDEN" content pot --bogus
contains "$T/err" "unknown option '--bogus'" "the unknown option is named"
expect_rc 64 "content pot with two directories" -- "$CMHARDEN" content pot a b
finish
