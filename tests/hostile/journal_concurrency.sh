#!/bin/sh
# Four processes at once on one lab and one journal: two `fix --failing --yes`
# and two `undo --session --yes`, started together, for several rounds within
# a bounded time. One writer at a time holds the journal and the site
# (src/journal/lock.c); the others wait. After every round:
#   - no process failed with a journal error ("cannot become", "not_applied");
#   - `journal verify` is clean;
#   - every applied change of a fix is on the site (the newest one of each
#     property: its after-value is what the lab holds); nothing is left
#     planned or in conflict;
# and at the end, undoing every session restores the lab byte-identical, so
# no change reached the site without an applied change to undo it.
# CMH_CONC_ROUNDS / CMH_CONC_SECONDS bound the run (default 6 rounds, 90 s).
. "$top_srcdir/tests/lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed"; exit 77; }
J="$T/journal.db"
rounds=${CMH_CONC_ROUNDS:-6}
limit=${CMH_CONC_SECONDS:-90}
CMHARDEN_LOCK_WAIT=60
export CMHARDEN_LOCK_WAIT

"$CMHARDEN" lab reset default >/dev/null 2>&1
state=$(ls "$XDG_DATA_HOME"/cmharden/labs/default-*.db)
# The lab's properties, one line each, sorted: what "byte-identical" compares.
lab_dump() { sqlite3 "$state" "SELECT o.class, o.key, p.name, p.value FROM props p JOIN objects o ON o.id = p.object_id ORDER BY 1, 2, 3"; }
lab_dump >"$T/lab0"

# The newest applied set change of each property (two fixes may set one
# property in turn) whose after-value the lab does not hold.
missing_on_site() {
	sqlite3 "$J" "ATTACH '$state' AS lab;
	SELECT c.id FROM changes c JOIN fix_runs r ON r.id = c.run
	WHERE r.kind = 'apply' AND c.state = 'applied' AND c.kind IS NULL
	AND c.id = (SELECT max(d.id) FROM changes d WHERE d.class = c.class AND d.key = c.key
	            AND d.property = c.property AND d.state = 'applied' AND d.undoes IS NULL)
	AND NOT EXISTS (
	  SELECT 1 FROM lab.props p JOIN lab.objects o ON o.id = p.object_id
	  WHERE o.class = c.class AND o.key = c.key AND p.name = c.property AND p.value = c.after);"
}

start=$(date +%s)
done_rounds=0 lost=0 errors=0
for round in $(seq 1 "$rounds"); do
	[ $(($(date +%s) - start)) -lt "$limit" ] || break
	for p in 1 2 3 4; do
		case $p in
		1 | 2) set -- fix --failing --yes ;;
		*) set -- undo --session --yes ;;
		esac
		"$CMHARDEN" --journal "$J" "$@" >"$T/out.$p" 2>"$T/err.$p" &
		eval "pid$p=\$!"
	done
	for p in 1 2 3 4; do
		eval "wait \$pid$p"
		rc=$?
		# 0 done, 1 findings left (a fix whose check still fails); 2 is an error.
		if [ "$rc" -gt 1 ] || grep -q "cannot become\|not_applied\|no known outcome" "$T/err.$p"; then
			errors=$((errors + 1))
			fail "round $round, process $p (exit $rc)"
			sed 's/^/    | /' "$T/err.$p" | head -5
		fi
	done
	"$CMHARDEN" --journal "$J" journal verify >"$T/verify" 2>&1 || { fail "round $round: journal verify"; cat "$T/verify"; }
	m=$(missing_on_site)
	planned=$(sqlite3 "$J" "SELECT count(*) FROM changes WHERE state IN ('planned', 'conflict')")
	if [ -n "$m" ] || [ "$planned" -ne 0 ]; then
		lost=$((lost + 1))
		fail "round $round: applied changes not on the site: [$m], planned or in conflict: $planned"
	fi
	done_rounds=$round
done
[ "$done_rounds" -ge 2 ] && pass "$done_rounds rounds of 4 processes within ${limit}s" || fail "only $done_rounds round(s) ran"
[ "$errors" -eq 0 ] && pass "no process failed in $done_rounds rounds" || fail "$errors process(es) failed"
[ "$lost" -eq 0 ] && pass "every applied change was on the site after every round" || fail "$lost round(s) lost changes"

# Undo everything left, newest session first, then compare the lab.
i=0
while [ $i -lt 50 ] && "$CMHARDEN" --journal "$J" undo --session --yes >"$T/undo" 2>&1 &&
	! grep -q "Nothing to undo" "$T/undo"; do
	i=$((i + 1))
done
lab_dump >"$T/lab1"
if cmp -s "$T/lab0" "$T/lab1"; then pass "undo restored the lab byte-identical"; else
	fail "the lab differs from its start after undoing everything"
	diff "$T/lab0" "$T/lab1" | head -10 | sed 's/^/    | /'
fi
expect_rc 0 "the journal verifies at the end" -- "$CMHARDEN" --journal "$J" journal verify
echo "figures: processes=4 rounds=$done_rounds lost=$lost errors=$errors"
finish
