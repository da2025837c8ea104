#!/bin/sh
# The lab state files and the journal: private whatever the umask; a file of a
# newer schema, a damaged one (a corrupt page) or a truncated one is refused
# with a clear message and left byte for byte as it was.
. "$top_srcdir/tests/lib.sh"
tool="$(dirname "$CMHARDEN")/tests/hostile/hostile_tool"
D="$XDG_DATA_HOME/cmharden"
J="$D/journal.db"

# Created under umask 000, still private.
(umask 000 && "$CMHARDEN" lab reset default >/dev/null && "$CMHARDEN" fix inv.disable-mif.disable --yes >/dev/null)
L=$(ls "$D"/labs/default-*.db 2>/dev/null | head -1)
[ -f "$J" ] && [ -n "$L" ] && pass "a fix under umask 000 made a journal and a lab state" || fail "no journal or lab state"
[ "$(stat -c %a "$J")" = 600 ] && pass "journal is 0600" || fail "journal mode $(stat -c %a "$J")"
[ "$(stat -c %a "$L")" = 600 ] && pass "lab state is 0600" || fail "lab state mode $(stat -c %a "$L")"
[ "$(stat -c %a "$D")" = 700 ] && pass "data dir is 0700" || fail "data dir mode $(stat -c %a "$D")"
[ "$(stat -c %a "$D/labs")" = 700 ] && pass "labs dir is 0700" || fail "labs dir mode $(stat -c %a "$D/labs")"
open=$(find "$D" -perm /077 | head -3)
[ -z "$open" ] && pass "nothing under the data dir is open to others" || fail "open to others: $open"
cp "$J" "$T/journal.good"
cp "$L" "$T/lab.good"

# refused FILE NAME WANT-IN-MESSAGE -- CMD...: CMD exits 2, says WANT, leaves FILE as it was.
refused() {
	file=$1 name=$2 want=$3
	shift 4
	cp "$file" "$T/before"
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" -eq 2 ] && pass "$name: '$*' refuses (exit 2)" || fail "$name: '$*' exit $rc, want 2"
	grep -q -- "$want" "$T/err" && pass "$name: the message says '$want'" ||
		fail "$name: no '$want' in: $(head -c 300 "$T/err")"
	cmp -s "$file" "$T/before" && pass "$name: the file is untouched" || fail "$name: '$*' changed the file"
}

# -- the journal --
"$tool" sql "$J" "PRAGMA user_version = 99"
for cmd in "journal verify" "journal list" "fix remote.ask-permission.require --yes" "check"; do
	# shellcheck disable=SC2086
	refused "$J" "newer journal" "newer cmharden" -- "$CMHARDEN" $cmd
done
cp "$T/journal.good" "$J"
# A corrupt page: the root page of a table, overwritten.
head -c 4096 /dev/zero | tr '\0' '\377' | dd of="$J" bs=4096 seek=2 conv=notrunc 2>/dev/null
for cmd in "journal verify" "journal list" "journal export" "fix remote.ask-permission.require --yes" "check"; do
	# shellcheck disable=SC2086
	refused "$J" "damaged journal" "is damaged" -- "$CMHARDEN" $cmd
done
head -c 3000 "$T/journal.good" >"$J"
refused "$J" "truncated journal" "journal" -- "$CMHARDEN" journal list
refused "$J" "truncated journal" "journal" -- "$CMHARDEN" fix remote.ask-permission.require --yes
rm -f "$J"

# -- the lab state --
"$tool" sql "$L" "PRAGMA user_version = 2"
refused "$L" "newer lab state" "newer cmharden" -- "$CMHARDEN" check
refused "$L" "newer lab state" "newer cmharden" -- "$CMHARDEN" lab show SMS_Site
cp "$T/lab.good" "$L"
head -c 4096 /dev/zero | tr '\0' '\377' | dd of="$L" bs=4096 seek=3 conv=notrunc 2>/dev/null
refused "$L" "damaged lab state" "is damaged" -- "$CMHARDEN" check
refused "$L" "damaged lab state" "is damaged" -- "$CMHARDEN" lab show SMS_Site
refused "$L" "damaged lab state" "is damaged" -- "$CMHARDEN" fix inv.disable-mif.disable --yes
head -c 3000 "$T/lab.good" >"$L"
refused "$L" "truncated lab state" "lab state" -- "$CMHARDEN" check
# ... and 'lab reset' is how the operator starts over.
expect_rc 0 "lab reset replaces a damaged state" -- "$CMHARDEN" lab reset default
expect_rc 1 "and the lab works again" -- "$CMHARDEN" check
finish
