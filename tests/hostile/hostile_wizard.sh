#!/bin/sh
# Hostile site data in the wizard (scripted mode, virtual 120x40 terminal):
# every screen that shows site text must show it inert (no control character,
# no bidi control, valid UTF-8) and readable (the escapes spelled out).
. "$top_srcdir/tests/lib.sh"
tool="$(dirname "$CMHARDEN")/tests/hostile/hostile_tool"

# wizard NAME TARGET KEYS: run the wizard, dumps go to $T/NAME-*.txt
wizard() {
	name=$1 tgt=$2 keys=$3
	printf '%s' "$keys" >"$T/$name.keys"
	mkdir -p "$T/$name"
	"$CMHARDEN" --target "$tgt" wizard --script "$T/$name.keys" --dump-dir "$T/$name" --size 120x40 \
		>"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	[ "$rc" -eq 0 ] && pass "$name: the wizard ran its script" || {
		fail "$name: wizard exit $rc"
		head -5 "$T/$name.err" | sed 's/^/    | /'
	}
	for f in "$T/$name"/*.txt; do
		[ -f "$f" ] || { fail "$name: no screen was dumped"; continue; }
		"$tool" inert "$f" && pass "$name: screen $(basename "$f" .txt) is inert" ||
			fail "$name: screen $(basename "$f" .txt) is not inert"
	done
}
# Start screen and Software Distribution's first check (the advertisements);
# Remote Tools' first check (every property of the Remote Control item).
KEYS='<Dump start><Enter><Down><Enter><Enter><Dump adv><Tab><Dump adv-table>'
REMOTE='<Enter><Down><Down><Down><Down><Down><Down><Down><Down><Down><Down><Down><Enter><Enter><Dump remote><Tab><Tab><Dump remote-table>'

cp "$top_srcdir/tests/hostile/site-text.yaml" "$T/site-text.yaml"
wizard yaml "lab:$T/site-text.yaml" "$KEYS"
wizard remote "lab:$T/site-text.yaml" "$REMOTE"
contains "$T/yaml/start.txt" 'Hostile \\x1b\[31mred\\x1b\[0m <U+202E>gnp.exe' "start: the site name reads escaped"
contains "$T/yaml/start.txt" '\\x1b\]52;c;' "start: the clipboard write in the briefing reads as text"
contains "$T/yaml/adv.txt" 'ADV\\x1b\[2J\\x1b\[H' "check: the clear-screen value reads as text"
contains "$T/yaml/adv.txt" 'PKG<U+202E>1' "check: the right-to-left override is marked"
contains "$T/remote/remote-table.txt" 'Props\[\\x1b7\\x1b8 <x> & <U+202E>\]' "evidence: a property name from the site reads escaped"
contains "$T/remote/remote-table.txt" '\\x1b\]52;c;' "evidence: the clipboard write in a list reads as text"

# What YAML cannot carry: invalid UTF-8 and megabytes, in the state file.
cp "$top_srcdir/labs/default.yaml" "$T/inj.yaml"
"$CMHARDEN" --target "lab:$T/inj.yaml" lab show >/dev/null 2>&1
db=$(ls -t "$XDG_DATA_HOME"/cmharden/labs/default-*.db 2>/dev/null | head -1)
"$tool" inject "$db" text && pass "hostile bytes injected into the state" || fail "inject"
# The injected advertisement is one of 42: the evidence filter finds it.
wizard state "lab:$T/inj.yaml" "$KEYS"
wizard filtered "lab:$T/inj.yaml" '<Enter><Down><Enter><Enter>/INJ<Enter><Dump adv-filtered>'
contains "$T/state/start.txt" 'Inj \\x80\\xbf' "start: invalid UTF-8 in the site name reads as \\xNN"
contains "$T/filtered/adv-filtered.txt" 'INJ\\xff\\x1b\[2J<U+202E>' "check: the injected key reads escaped"
contains "$T/filtered/adv-filtered.txt" 'AAAAAAAAAAAAAAAA' "check: the megabyte value is shown, cut to its column"
longest=$(cat "$T"/state/*.txt | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
[ "$longest" -le 480 ] && pass "megabyte values fit the screen ($longest bytes on the longest line)" ||
	fail "a screen line of $longest bytes"

# A NUL byte: the class cannot be read, and the screen says so, inert.
"$tool" inject "$db" nul-value && pass "a NUL injected into a Registry value" || fail "inject NUL"
wizard nul "lab:$T/inj.yaml" "$KEYS"
finish
