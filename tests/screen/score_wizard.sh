#!/bin/sh
# The wizard's start screen shows a training lab's briefing and its goals, in
# English and in German (scripted mode: the real screens on a virtual terminal).
. "$top_srcdir/tests/lib.sh"
printf '<Dump start>\nQ\n' >"$T/keys"
for lab in pxe-exposed leaky-dps careless-oob; do
	n=$(sed -n '/^  goals:/,/^[a-z]/p' "$CMHARDEN_CONTENT/labs/$lab.yaml" | grep -c -- '- check:')
	rm -f "$T/start.txt"
	expect_rc 0 "$lab: the wizard starts" -- "$CMHARDEN" --target "lab:$lab" wizard --script "$T/keys" \
		--dump-dir "$T" --size 100x120
	contains "$T/start.txt" "Training lab briefing" "$lab: the briefing is shown"
	contains "$T/start.txt" "Goals of this lab" "$lab: the goals are shown"
	got=$(grep -c '^ [0-9]\. ' "$T/start.txt")
	[ "$got" -eq "$n" ] && pass "$lab: all $n goals are listed" || fail "$lab: $got goals listed, want $n"
done
contains "$T/start.txt" "oob.dedicated-provisioning-collection" "goals name their check"
contains "$T/start.txt" "attested or waived" "goals say which states meet them"

rm -f "$T/start.txt"
expect_rc 0 "the wizard in German" -- env LANGUAGE=de LC_ALL=C.UTF-8 "$CMHARDEN" --target lab:careless-oob wizard \
	--script "$T/keys" --dump-dir "$T" --size 100x120
contains "$T/start.txt" "Lernziele dieses Labors" "the goals heading is German"
contains "$T/start.txt" "Für die In-Band-Bereitstellung eine eigene Sammlung verwenden" "goal titles are German"
contains "$T/start.txt" "bescheinigt oder Ausnahme" "wanted states are German"
finish
