#!/bin/sh
# cmharden lab score: every goal of every teaching lab can be reached with the
# shipped commands (fix, attest, waive), the score says what is left, a reset
# starts it over, and waivers stop counting when they expire.
. "$top_srcdir/tests/lib.sh"

# goals LAB: one line per goal, "CHECK STATUS..." (status list flattened).
goals() {
	sed -n '/^  goals:/,/^[a-z]/p' "$CMHARDEN_CONTENT/labs/$1.yaml" |
		awk '/- check:/ { if (id) print id, st; id = $3; st = "" }
		     /^      status:/ { $1 = ""; gsub(/[][,]/, " "); st = $0 }
		     END { if (id) print id, st }'
}

expect_rc 2 "a lab without goals cannot be scored" -- "$CMHARDEN" lab score default
contains "$T/err" "no goals" "and says why"
expect_rc 64 "unknown format is a usage error" -- "$CMHARDEN" lab score pxe-exposed --format xml
expect_rc 2 "an unknown lab is an error" -- "$CMHARDEN" lab score no-such-lab

for lab in pxe-exposed leaky-dps careless-oob; do
	n=$(goals "$lab" | wc -l)
	expect_rc 1 "$lab: a fresh lab is not done" -- "$CMHARDEN" lab score "$lab"
	contains "$T/out" "Score: 0 of $n goals met" "$lab: fresh score is 0 of $n"
	[ "$(grep -c '^  \[left\]' "$T/out")" -eq "$n" ] && pass "$lab: every goal is listed as open" ||
		fail "$lab: not every goal is open"
	expect_rc 1 "$lab: json score" -- "$CMHARDEN" --target "lab:$lab" lab score --format json
	contains "$T/out" "\"goals_met\":0,\"complete\":false" "$lab: json says 0 met, not complete"
	if [ -n "${PYTHON3:-}" ] || command -v python3 >/dev/null 2>&1; then
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["goals"]) == int(sys.argv[2])' \
			"$T/out" "$n" && pass "$lab: json parses with $n goals" || fail "$lab: json does not parse"
	fi

	# A trainee's work: the automated fixes, then attestations and waivers.
	expect_rc 0 "$lab: fix --failing --yes" -- "$CMHARDEN" --target "lab:$lab" fix --failing --yes
	"$CMHARDEN" lab score "$lab" >"$T/mid" 2>&1
	goals "$lab" | while read -r id st; do
		case " $st " in
		*" attested "*) "$CMHARDEN" --target "lab:$lab" attest "$id" --answer yes --note "trainee: done for $id" ;;
		*" waived "*)
			grep -q "^  \[done\] $id " "$T/mid" ||
				"$CMHARDEN" --target "lab:$lab" waive "$id" --reason "trainee: planned" --until 2030-12-31 ;;
		esac >/dev/null
	done
	expect_rc 0 "$lab: every goal is reachable with fix, attest and waive" -- "$CMHARDEN" lab score "$lab"
	contains "$T/out" "Score: $n of $n goals met" "$lab: score is $n of $n"
	contains "$T/out" "Every goal is met" "$lab: says so"
	expect_rc 0 "$lab: json says complete" -- "$CMHARDEN" lab score "$lab" --format json
	contains "$T/out" "\"complete\":true" "$lab: json complete"
	contains "$T/out" "\"attestation\":{\"id\":" "$lab: json carries the attestation"

	# An expired waiver no longer meets its goal.
	if goals "$lab" | grep -q ' waived'; then
		if grep -q 'trainee: planned' "$T/out"; then
			CMHARDEN_TODAY=2031-01-01 "$CMHARDEN" lab score "$lab" >"$T/exp" 2>&1
			[ $? -eq 1 ] && pass "$lab: an expired waiver leaves its goal open" ||
				fail "$lab: expired waiver still counts"
		fi
	fi

	# A reset starts the site and the score over: old attestations do not count.
	sleep 1 # the reset must fall in a later second than the attestations
	expect_rc 0 "$lab: reset" -- "$CMHARDEN" lab reset "$lab"
	expect_rc 1 "$lab: after a reset the lab is not done" -- "$CMHARDEN" lab score "$lab"
	contains "$T/out" "Score: 0 of $n goals met" "$lab: after reset 0 of $n"
done
finish
