#!/bin/sh
# Resource limits: a scenario over the size limit, an endless stream, nesting
# deeper than the format needs, too many nodes, a billion laughs and a mapping
# of many distinct keys are each refused (or read) quickly, with a clear
# error, in bounded memory. Memory is bounded with `ulimit -v` unless the
# binary is built with AddressSanitizer (which reserves terabytes of address
# space up front).
. "$top_srcdir/tests/lib.sh"

asan=no
ldd "$CMHARDEN" 2>/dev/null | grep -q asan && asan=yes
# run_bounded KB SECONDS WANT-RC DESC -- CMD...: CMD under a memory and time limit.
run_bounded() {
	kb=$1 secs=$2 want=$3 desc=$4
	shift 5
	(
		[ "$asan" = yes ] || ulimit -v "$kb"
		exec timeout "$secs" "$@"
	) >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then pass "$desc"; else
		fail "$desc (exit $rc, want $want)"
		head -c 2000 "$T/err" | sed 's/^/    | /'
	fi
}

head='scenario: {name: big, title: Big}
site: {code: BIG, name: B, server: S, version: 2007 SP2, mode: mixed}
objects:
  - class: SMS_Site
    key: BIG
    properties:'

# Over the size limit: refused before it is read.
{ echo "$head"; printf '      X: "'; head -c 16777216 /dev/zero | tr '\0' 'x'; echo '"'; } >"$T/over.yaml"
run_bounded 131072 20 2 "a scenario over 16 MiB is refused in 128 MiB" -- "$CMHARDEN" --target "lab:$T/over.yaml" lab show
contains "$T/err" "larger than the limit of 16777216 bytes" "the message gives the limit"
rm -f "$T/over.yaml"

# A stream without end (the scenario read from a pipe): cut at the limit.
run_bounded 131072 60 2 "an endless scenario stream is refused in 128 MiB" -- \
	sh -c 'yes "      x: 1" | "$0" --target lab:/dev/stdin lab show' "$CMHARDEN"
contains "$T/err" "larger than the limit" "the endless stream hits the size limit"

# Nesting: a million open brackets.
{ echo "$head"; printf '      X: '; head -c 1000000 /dev/zero | tr '\0' '['; echo; } >"$T/deep.yaml"
run_bounded 131072 20 2 "a million open brackets are refused in 128 MiB" -- "$CMHARDEN" --target "lab:$T/deep.yaml" lab show
contains "$T/err" "deep.yaml:7:22: nesting deeper than 16 levels" "with the position"

# Too many nodes: 16 MiB of a one-letter list.
{ echo "$head"; printf '      X: ['; head -c 8000000 /dev/zero | tr '\0' 'a' | sed 's/a/a,/g'; echo 'a]'; } >"$T/nodes.yaml"
run_bounded 524288 60 2 "a list of millions of items is refused in 512 MiB" -- "$CMHARDEN" --target "lab:$T/nodes.yaml" lab show
contains "$T/err" "more than 2000000 YAML nodes" "the message gives the limit"
rm -f "$T/nodes.yaml"

# A billion laughs: refused at the first anchor.
{
	echo "$head"
	echo '      A: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
	echo '      B: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]'
	echo '      C: [*b,*b,*b,*b,*b,*b,*b,*b,*b]'
} >"$T/laughs.yaml"
run_bounded 131072 20 2 "a billion laughs is refused" -- "$CMHARDEN" --target "lab:$T/laughs.yaml" lab show
contains "$T/err" "laughs.yaml:7:10: YAML anchors" "at the first anchor"

# 300000 distinct keys in one mapping (6 MiB): duplicate detection is linear
# (it took minutes when every key was compared with every other).
{ echo "$head"; awk 'BEGIN { for (i = 0; i < 300000; i++) printf "      P%d: 1\n", i }'; } >"$T/keys.yaml"
run_bounded 524288 30 2 "300000 distinct keys are read in seconds" -- "$CMHARDEN" --target "lab:$T/keys.yaml" lab show
contains "$T/err" "more than 1024 properties" "and an object's properties are capped"
{ echo "$head"; awk 'BEGIN { for (i = 0; i < 300000; i++) printf "      P%d: 1\n", i; print "      P5: 2" }'; } >"$T/keys.yaml"
run_bounded 524288 30 2 "a duplicate after 300000 keys is found in seconds" -- "$CMHARDEN" --target "lab:$T/keys.yaml" lab show
contains "$T/err" "keys.yaml:300007:7: duplicate key 'P5' (first at line 12)" "at its position"
rm -f "$T/keys.yaml"

# The same limits hold for content: a checks file of many keys, linted.
mkdir -p "$T/content/checks"
cp "$top_srcdir/checks/00-checklist.yaml" "$T/content/checks/"
{ echo 'section: {id: big, title: B, heading: H}'; echo 'checks: []'; echo 'x:';
	awk 'BEGIN { for (i = 0; i < 200000; i++) printf "  k%d: 1\n", i; print "  k7: 2" }'; } >"$T/content/checks/01-big.yaml"
run_bounded 524288 30 1 "a content file of 200000 keys is linted in seconds" -- "$CMHARDEN" content lint "$T/content"
contains "$T/out" "01-big.yaml:200004:3: duplicate key 'k7' (first at line 11)" "with the duplicate's position"
finish
