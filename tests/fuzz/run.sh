#!/bin/sh
# Runs each libFuzzer harness for a bounded time, JOBS at a time (a harness
# uses one core).
#   run.sh BUILD_DIR WORK_DIR TOP_SRCDIR SECONDS JOBS TARGET...
# New corpus entries go to WORK_DIR/corpus/TARGET, crashes to WORK_DIR/artifacts.
# Exits 1 if any harness found a crash, a leak, undefined behaviour or a timeout.
set -u
bin=$1 work=$2 top=$3 secs=$4 jobs=$5
shift 5
mkdir -p "$work/artifacts"
rm -f "$work"/*.result

# One harness for $secs seconds; its line of results in WORK/TARGET.result.
fuzz_one() {
	t=$1
	mkdir -p "$work/corpus/$t"
	# Seeds as large as the shipped labs would set max_len to 120 KB and slow
	# every mutation; bigger seeds are still replayed whole by make check.
	dict="" maxlen=4096 shipped=""
	case $t in
	content) dict="-dict=$top/tests/fuzz/yaml.dict" maxlen=65536 shipped="$top/checks" ;;
	lab) dict="-dict=$top/tests/fuzz/yaml.dict" maxlen=131072 shipped="$top/labs" ;;
	expr) dict="-dict=$top/tests/fuzz/expr.dict" maxlen=8192 ;;
	value) maxlen=8192 ;;
	agent) maxlen=16384 ;;
	esac
	regress=""
	[ -d "$top/tests/fuzz/regress/$t" ] && regress="$top/tests/fuzz/regress/$t"
	start=$(date +%s)
	# shellcheck disable=SC2086
	"$bin/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -max_len=$maxlen \
		-artifact_prefix="$work/artifacts/$t-" $dict \
		"$work/corpus/$t" "$top/tests/fuzz/corpus/$t" $shipped $regress >"$work/$t.log" 2>&1
	rc=$?
	end=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$work/$t.log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		printf 'fuzz %-8s ok    %4ss  %s runs  %s\n' "$t" $((end - start)) "${execs:-?}" "${cov:-}" >"$work/$t.result"
	else
		{
			printf 'fuzz %-8s FAIL  %4ss  (exit %s; log %s)\n' "$t" $((end - start)) "$rc" "$work/$t.log"
			grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)|Test unit written to' "$work/$t.log" | head -10 |
				sed 's/^/    | /'
		} >"$work/$t.result"
		touch "$work/$t.failed"
	fi
}

rm -f "$work"/*.failed
running=0
for t in "$@"; do
	fuzz_one "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait
failed=""
for t in "$@"; do
	cat "$work/$t.result"
	[ -e "$work/$t.failed" ] && failed="$failed $t"
done
if [ -n "$failed" ]; then
	echo "fuzz: failures in:$failed (reproduce: $bin/fuzz_NAME ARTIFACT)"
	exit 1
fi
exit 0
