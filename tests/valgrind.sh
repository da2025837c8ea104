#!/bin/sh
# make check-valgrind: each program under valgrind, JOBS at a time.
#   valgrind.sh JOBS PROGRAM...   (VALGRIND_FLAGS from the environment)
# Valgrind runs a program about thirty times slower and on one core, so the
# programs run side by side, one per core. Each one's output goes to its own log,
# printed whole when it fails, so the outputs of programs running together never
# interleave. Exits 1 when any program fails (an error or a definite leak).
set -u

# One program: its own private data directory (tests/env.sh), its log, one line.
run_one() {
	t=$1
	log="$logs/$(echo "$t" | tr / _).log"
	start=$(date +%s)
	# shellcheck disable=SC2086
	if (. "$top_srcdir/tests/env.sh" && valgrind $VALGRIND_FLAGS "./$t" --jobs 1) >"$log" 2>&1; then
		echo "valgrind $t: ok ($(($(date +%s) - start)) s)"
	else
		echo "valgrind $t: FAILED (exit $?), its output:"
		sed 's/^/    | /' "$log"
		touch "$logs/failed"
	fi
}

if [ "${1:-}" = --one ]; then
	# xargs calls this script back for each program (run_one is not exported).
	logs=$2
	run_one "$3"
	exit 0
fi

jobs=$1
shift
logs=$(mktemp -d "${TMPDIR:-/tmp}/cmh-valgrind-XXXXXX")
trap 'rm -rf "$logs"' EXIT
printf '%s\n' "$@" | xargs -P "$jobs" -I{} sh "$0" --one "$logs" {}
if [ -e "$logs/failed" ]; then
	echo "check-valgrind: some programs failed under valgrind (above)"
	exit 1
fi
echo "check-valgrind: $# programs, no errors, no definite leaks"
