#!/bin/sh
# I/O faults in SQLite's own way: tests/hostile/cmharden-faults is cmharden
# with a VFS in front of the real one (fault_vfs.c) that fails the Nth open,
# read, write, sync or lock of the journal's files. For a fix and for an
# undo, and for every N from 1 until the run no longer reaches an Nth call:
#   - the run ends by itself (no crash) and, when it fails, says why;
#   - the next start with a sound disk finds the journal intact (journal
#     verify), reconciles, and undoing everything restores the lab exactly:
#     nothing reached the site without a journal row to undo it.
# The number of failure points covered is printed at the end.
. "$top_srcdir/tests/lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed"; exit 77; }
F="${CMHARDEN_FAULTS:-$(dirname "$CMHARDEN")/tests/hostile/cmharden-faults}"
[ -x "$F" ] || { echo "no $F"; exit 77; }
J="$T/journal.db"
FIX=inv.disable-mif.disable

"$CMHARDEN" lab reset default >/dev/null 2>&1
state=$(ls "$XDG_DATA_HOME"/cmharden/labs/default-*.db)
lab_dump() { sqlite3 "$state" "SELECT o.class, o.key, p.name, p.value FROM props p JOIN objects o ON o.id = p.object_id ORDER BY 1, 2, 3"; }
lab_dump >"$T/lab0"
# Baselines: a journal that exists (one earlier fix and undo) with the fresh
# lab, and the same after the fix, for the undo runs.
"$CMHARDEN" --journal "$J" fix "$FIX" --yes >/dev/null 2>&1
"$CMHARDEN" --journal "$J" undo --session --yes >/dev/null 2>&1
mkdir "$T/base-fix" "$T/base-undo"
cp "$J" "$state" "$T/base-fix/"
"$CMHARDEN" --journal "$J" fix "$FIX" --yes >/dev/null 2>&1
cp "$J" "$state" "$T/base-undo/"
[ "$(sqlite3 "$J" "SELECT count(*) FROM changes WHERE state = 'applied'")" -ge 1 ] &&
	pass "the undo baseline holds an applied change" || fail "no applied change to undo"

restore() { # BASE
	rm -f "$J" "$J-wal" "$J-shm" "$state-wal" "$state-shm"
	cp "$1/journal.db" "$J"
	cp "$1/$(basename "$state")" "$state"
}

covered=0 runs=0 bad=0
for phase in fix undo; do
	case $phase in
	fix) set -- fix "$FIX" --yes ;;
	undo) set -- undo --session --yes ;;
	esac
	for op in open read write sync lock; do
		n=1
		while [ $n -le 500 ]; do
			restore "$T/base-$phase"
			CMH_FAULT_FILE="$J" CMH_FAULT_OP=$op CMH_FAULT_N=$n CMH_FAULT_COUNT="$T/count" \
				"$F" --journal "$J" "$@" >"$T/out" 2>"$T/err"
			rc=$?
			seen=$(cat "$T/count" 2>/dev/null || echo 0)
			runs=$((runs + 1))
			[ "$seen" -lt "$n" ] && break # the run never reached an Nth call
			covered=$((covered + 1))
			what="$phase, $op #$n"
			if [ "$rc" -ge 128 ]; then
				bad=$((bad + 1))
				fail "$what: the run crashed (exit $rc)"
			elif [ "$rc" -ge 2 ] && ! grep -q "cmharden:" "$T/err"; then
				bad=$((bad + 1))
				fail "$what: exit $rc without a message"
			fi
			# The next start, on a sound disk.
			if ! "$CMHARDEN" --journal "$J" journal verify >"$T/v" 2>&1; then
				bad=$((bad + 1))
				fail "$what: the journal does not verify afterwards"
				sed 's/^/    | /' "$T/v" | head -3
			fi
			i=0
			while [ $i -lt 5 ] && "$CMHARDEN" --journal "$J" undo --session --yes >"$T/u" 2>&1 &&
				! grep -q "Nothing to undo" "$T/u"; do
				i=$((i + 1))
			done
			grep -q "Nothing to undo" "$T/u" || {
				bad=$((bad + 1))
				fail "$what: recovery did not end clean"
				sed 's/^/    | /' "$T/u" | head -3
			}
			lab_dump >"$T/lab1"
			cmp -s "$T/lab0" "$T/lab1" || {
				bad=$((bad + 1))
				fail "$what: the lab is not restored (a change without a journal row?)"
				diff "$T/lab0" "$T/lab1" | head -4 | sed 's/^/    | /'
			}
			n=$((n + 1))
		done
	done
done
[ "$covered" -ge 100 ] && pass "$covered failure points covered in $runs runs" || fail "only $covered failure points"
[ "$bad" -eq 0 ] && pass "every failure ended cleanly and recovered" || fail "$bad failure point(s) went wrong"
echo "figures: failure points covered=$covered runs=$runs problems=$bad"
finish
